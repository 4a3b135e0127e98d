/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The agent out of reach, from its first instruction to its last:
 *
 *   - known at its exec: an untagged exec of the agent's binary (kind
 *     ABAC_GUARD_INODE_AGENT in abac_guard_inodes, entered by the agent
 *     before) puts the new process in abac_guard_agents before it runs a
 *     single instruction, so a restarted agent is shielded before it
 *     could tell the guard itself (abac_guard_cfg, at start);
 *   - no signal through file ownership: F_SETOWN, F_SETOWN_EX and the
 *     FIOSETOWN and SIOCSPGRP ioctls naming the agent (its pid, a thread
 *     of it, its process group) are refused to tagged subjects, and
 *     whatever set the owner, the kernel's SIGIO or SIGURG (or the signal
 *     of F_SETSIG, SIGKILL included) never reaches the agent, which asks
 *     for none (file_send_sigiotask);
 *   - its control socket per message: a connection opened before its
 *     holder was tagged, or passed to a tagged process, carries nothing
 *     either way (socket_sendmsg, socket_recvmsg) unless a rule allows
 *     the subject "administer", as at connect.
 *
 * Included once, by guard.bpf.c.
 */
#ifndef _ABAC_BPF_GUARD_AGENT_H
#define _ABAC_BPF_GUARD_AGENT_H

#define F_SETOWN		8
#define F_SETOWN_EX		15
#define F_OWNER_TID		0
#define F_OWNER_PID		1
#define F_OWNER_PGRP		2
#define FIOSETOWN		0x8901
#define SIOCSPGRP		0x8902
#define PIDTYPE_PGID		2
#define AF_UNIX			1

/*
 * guard_agent_exec() - an untagged exec of the agent's binary: the new
 * process is an agent from its first instruction.
 */
SEC("lsm/bprm_committed_creds")
int BPF_PROG(guard_agent_exec, const struct linux_binprm *bprm)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct guard_ctx g;
	__u64 start;

	if (!(inode_kind(BPF_CORE_READ(bprm, file, f_inode)) &
	      ABAC_GUARD_INODE_AGENT) || guard_tagged(&g))
		return 0;
	start = BPF_CORE_READ(task, group_leader, start_time);
	bpf_map_update_elem(&abac_guard_agents, &tgid, &start, BPF_ANY);
	return 0;
}

/* Is the task of global pid @nr (a thread id too) the agent's? */
static __always_inline bool names_agent(int nr)
{
	struct task_struct *p;
	bool hit;

	if (nr <= 0)
		return false;
	p = bpf_task_from_pid(nr);
	if (!p)
		return false;
	hit = is_agent(p);
	bpf_task_release(p);
	return hit;
}

/*
 * Would owner @nr (F_SETOWN's argument: a pid, or minus a process group)
 * send the agent signals?
 */
static __always_inline bool owner_is_agent(int nr)
{
	__u32 agent = guard_agent_tgid();
	struct task_struct *p;
	bool hit;

	if (nr > 0)
		return names_agent(nr);
	if (!agent || nr == 0)
		return false;
	p = bpf_task_from_pid(agent);
	if (!p)
		return false;
	hit = BPF_CORE_READ(p, signal, pids[PIDTYPE_PGID], numbers[0].nr) ==
	      -nr;
	bpf_task_release(p);
	return hit;
}

static __always_inline int refuse_owner(struct guard_ctx *g, struct file *file,
					const char *how, int nr)
{
	return refuse_text(g, ABAC_GUARD_SIGNAL, ABAC_OP_ADMINISTER,
			   file->f_inode, "%s %d: signals to the agent", how,
			   nr);
}

/* guard_fcntl() - no F_SETOWN, F_SETOWN_EX naming the agent. */
SEC("lsm/file_fcntl")
int BPF_PROG(guard_fcntl, struct file *file, unsigned int cmd,
	     unsigned long arg, int ret)
{
	struct f_owner_ex ex = {};
	struct guard_ctx g;

	if (ret || (cmd != F_SETOWN && cmd != F_SETOWN_EX) ||
	    !guard_tagged(&g))
		return ret;
	if (cmd == F_SETOWN)
		return owner_is_agent((int)arg) ?
		       refuse_owner(&g, file, "F_SETOWN", (int)arg) : 0;
	if (bpf_probe_read_user(&ex, sizeof(ex), (void *)arg))
		return 0;	/* the kernel's copy fails too */
	if (ex.type == F_OWNER_PGRP ? owner_is_agent(-ex.pid) :
	    names_agent(ex.pid))
		return refuse_owner(&g, file, "F_SETOWN_EX", ex.pid);
	return 0;
}

/* FIOSETOWN, SIOCSPGRP naming the agent: 0 or the refusal. */
static __always_inline int ioctl_owner(unsigned int cmd, unsigned long arg,
				       struct file *file)
{
	struct guard_ctx g;
	int nr = 0;

	if ((cmd != FIOSETOWN && cmd != SIOCSPGRP) || !guard_tagged(&g))
		return 0;
	if (bpf_probe_read_user(&nr, sizeof(nr), (void *)arg))
		return 0;	/* the kernel's copy fails too */
	return owner_is_agent(nr) ? refuse_owner(&g, file, "FIOSETOWN", nr) :
				    0;
}

/* guard_ioctl() - no FIOSETOWN, SIOCSPGRP naming the agent. */
SEC("lsm/file_ioctl")
int BPF_PROG(guard_ioctl, struct file *file, unsigned int cmd,
	     unsigned long arg, int ret)
{
	return ret ?: ioctl_owner(cmd, arg, file);
}

/*
 * guard_ioctl_compat() - nor through a 32-bit ioctl, which a 64-bit
 * process makes with int 0x80 and which skips file_ioctl.
 */
SEC("lsm/file_ioctl_compat")
int BPF_PROG(guard_ioctl_compat, struct file *file, unsigned int cmd,
	     unsigned long arg, int ret)
{
	return ret ?: ioctl_owner(cmd, arg, file);
}

/*
 * guard_sigiotask() - the kernel's SIGIO, SIGURG or F_SETSIG signal never
 * reaches the agent, whoever made it its file's owner.  It runs in any
 * context (an interrupt delivering data too): the event names no caller.
 */
SEC("lsm/file_send_sigiotask")
int BPF_PROG(guard_sigiotask, struct task_struct *tsk,
	     struct fown_struct *fown, int sig, int ret)
{
	struct guard_ctx g = {};

	if (ret || !is_agent(tsk) || !abac_image_get(&g.img))
		return ret;
	return refuse_text(&g, ABAC_GUARD_SIGNAL, ABAC_OP_ADMINISTER, NULL,
			   "signal %d to pid %d through file ownership",
			   sig ? sig : 29, BPF_CORE_READ(tsk, tgid));
}

/* Is @sock connected to the agent's control socket? */
static __always_inline bool to_control_socket(struct socket *sock)
{
	struct unix_sock *u, *peer;
	struct sock *sk = sock->sk;

	if (!sk || sk->__sk_common.skc_family != AF_UNIX)
		return false;
	u = bpf_skc_to_unix_sock(sk);
	if (!u)
		return false;
	peer = (struct unix_sock *)BPF_CORE_READ(u, peer);
	return peer && (inode_kind(BPF_CORE_READ(peer, path.dentry, d_inode)) &
			ABAC_GUARD_INODE_SOCKET);
}

/* A message on the control socket: only an administrator's. */
static __always_inline int control_message(struct socket *sock,
					   const char *dir)
{
	struct guard_ctx g;

	if (!to_control_socket(sock) || !guard_tagged(&g) ||
	    rule_allows(&g, ABAC_OP_ADMINISTER, &guard_no_attrs))
		return 0;
	return refuse_text(&g, ABAC_GUARD_SOCKET, ABAC_OP_ADMINISTER, NULL,
			   "%s on the control socket", dir);
}

SEC("lsm/socket_sendmsg")
int BPF_PROG(guard_sendmsg, struct socket *sock, struct msghdr *msg, int size,
	     int ret)
{
	return ret ?: control_message(sock, "send");
}

SEC("lsm/socket_recvmsg")
int BPF_PROG(guard_recvmsg, struct socket *sock, struct msghdr *msg, int size,
	     int flags, int ret)
{
	return ret ?: control_message(sock, "receive");
}

#endif /* _ABAC_BPF_GUARD_AGENT_H */
