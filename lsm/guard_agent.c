// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: the agent out of reach, from its first instruction to
 * its last, by the routes kill(2) and ptrace(2) do not take; what
 * bpf/guard_agent.h does for the BPF guard.
 *
 *   - known at its exec: an untagged exec of the agent's binary (kind
 *     ABAC_GUARD_INODE_AGENT among the guard's inodes, entered by the
 *     agent before) makes the new process an agent before it runs a
 *     single instruction, so a restarted agent is shielded before it
 *     could write the guard file itself;
 *   - no signal through file ownership: F_SETOWN, F_SETOWN_EX and the
 *     FIOSETOWN and SIOCSPGRP ioctls naming the agent (its pid, a thread
 *     of it, its process group) are refused to tagged subjects, and
 *     whatever set the owner, the kernel's SIGIO or SIGURG (or the signal
 *     of F_SETSIG, SIGKILL included) never reaches the agent, which asks
 *     for none (file_send_sigiotask);
 *   - its control socket per message: a connection opened before its
 *     holder was tagged, or passed to a tagged process, carries nothing
 *     either way (socket_sendmsg, socket_recvmsg) unless a rule allows
 *     the subject "administer", as at connect (guard.c).
 */
#include "abac.h"

#include <linux/binfmts.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/security.h>
#include <linux/sockios.h>
#include <linux/uaccess.h>
#include <net/af_unix.h>
#include <net/sock.h>

#include "abac_blobs.h"

/**
 * abac_guard_agent_exec() - an exec went through (bprm_committed_creds):
 * an untagged exec of the agent's binary makes the process an agent from
 * its first instruction; any other exec ends it.
 * @bprm: the exec.
 */
void abac_guard_agent_exec(const struct linux_binprm *bprm)
{
	bool agent = (abac_guard_inode_kind(file_inode(bprm->file)) &
		      ABAC_GUARD_INODE_AGENT) && !abac_current_tagged();

	WRITE_ONCE(abac_task(current)->agent, agent);
}

/*
 * Would owner @nr (F_SETOWN's argument, in the caller's pid namespace: a
 * pid or thread id, or minus a process group) send the agent signals?
 */
static bool abac_owner_is_agent(int nr)
{
	struct task_struct *p;
	struct pid *pgrp;
	bool hit = false;

	if (!nr)
		return false;
	rcu_read_lock();
	if (nr > 0) {
		p = find_task_by_vpid(nr);
		hit = p && abac_guard_is_agent(p);
	} else {
		pgrp = find_vpid(-nr);
		do_each_pid_task(pgrp, PIDTYPE_PGID, p) {
			if (abac_guard_is_agent(p)) {
				hit = true;
				break;
			}
		} while_each_pid_task(pgrp, PIDTYPE_PGID, p);
	}
	rcu_read_unlock();
	return hit;
}

/*
 * Owner @nr set by @how on @file: refused to a tagged task when it names
 * the agent.
 */
static int abac_guard_owner(struct file *file, const char *how, int nr)
{
	struct abac_ctx c;
	int err = 0;

	if (!abac_ctx_get(&c))
		return 0;
	if (abac_owner_is_agent(nr))
		err = abac_guard_refuse(&c, ABAC_GUARD_SIGNAL,
					ABAC_OP_ADMINISTER, file_inode(file),
					"%s %d: signals to the agent", how, nr);
	abac_ctx_put(&c);
	return err;
}

/* F_SETOWN, F_SETOWN_EX naming the agent. */
static int abac_file_fcntl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct f_owner_ex ex;

	if (cmd == F_SETOWN)
		return abac_guard_owner(file, "F_SETOWN", (int)arg);
	if (cmd != F_SETOWN_EX)
		return 0;
	if (copy_from_user(&ex, (void __user *)arg, sizeof(ex)))
		return 0;	/* the kernel's copy fails too */
	return abac_guard_owner(file, "F_SETOWN_EX",
				ex.type == F_OWNER_PGRP ? -ex.pid : ex.pid);
}

/* FIOSETOWN, SIOCSPGRP naming the agent. */
static int abac_file_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	int nr;

	if (cmd != FIOSETOWN && cmd != SIOCSPGRP)
		return 0;
	if (get_user(nr, (int __user *)arg))
		return 0;	/* the kernel's copy fails too */
	return abac_guard_owner(file, cmd == FIOSETOWN ? "FIOSETOWN" :
				"SIOCSPGRP", nr);
}

/*
 * The kernel's SIGIO, SIGURG or F_SETSIG signal never reaches the agent,
 * whoever made it its file's owner.  It runs in any context (an
 * interrupt delivering data too, interrupts off): the event names no
 * subject, and it needs an image in force to be stamped with.
 */
static int abac_file_send_sigiotask(struct task_struct *tsk,
				    struct fown_struct *fown, int sig)
{
	struct abac_ctx c = {};
	int err = 0;

	if (!abac_guard_is_agent(tsk))
		return 0;
	rcu_read_lock();
	c.pol = abac_policy_rcu();
	if (c.pol)
		err = abac_guard_refuse(&c, ABAC_GUARD_SIGNAL,
					ABAC_OP_ADMINISTER, NULL,
					"signal %d to pid %d through file ownership",
					sig ? sig : SIGIO, task_tgid_nr(tsk));
	rcu_read_unlock();
	return err;
}

/* Is @sock connected to the agent's control socket? */
static bool abac_to_control_socket(struct socket *sock)
{
	struct sock *sk = sock->sk, *peer;
	struct dentry *dentry;
	bool hit;

	if (!sk || sk->sk_family != AF_UNIX)
		return false;
	peer = unix_peer_get(sk);
	if (!peer)
		return false;
	dentry = unix_sk(peer)->path.dentry;
	hit = dentry && (abac_guard_inode_kind(d_inode(dentry)) &
			 ABAC_GUARD_INODE_SOCKET);
	sock_put(peer);
	return hit;
}

/* A message on the control socket: only an administrator's. */
static int abac_control_message(struct socket *sock, const char *dir)
{
	struct abac_ctx c;
	int err = 0;

	if (!sock->sk || sock->sk->sk_family != AF_UNIX || !abac_ctx_get(&c))
		return 0;
	if (abac_to_control_socket(sock) &&
	    !abac_rule_allows(&c, ABAC_OP_ADMINISTER))
		err = abac_guard_refuse(&c, ABAC_GUARD_SOCKET,
					ABAC_OP_ADMINISTER, NULL,
					"%s on the control socket", dir);
	abac_ctx_put(&c);
	return err;
}

static int abac_socket_sendmsg(struct socket *sock, struct msghdr *msg,
			       int size)
{
	return abac_control_message(sock, "send");
}

static int abac_socket_recvmsg(struct socket *sock, struct msghdr *msg,
			       int size, int flags)
{
	return abac_control_message(sock, "receive");
}

static struct security_hook_list abac_agent_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(file_fcntl, abac_file_fcntl),
	LSM_HOOK_INIT(file_ioctl, abac_file_ioctl),
	/* a 32-bit ioctl (int 0x80 from a 64-bit process) skips file_ioctl */
	LSM_HOOK_INIT(file_ioctl_compat, abac_file_ioctl),
	LSM_HOOK_INIT(file_send_sigiotask, abac_file_send_sigiotask),
	LSM_HOOK_INIT(socket_sendmsg, abac_socket_sendmsg),
	LSM_HOOK_INIT(socket_recvmsg, abac_socket_recvmsg),
};

/**
 * abac_add_agent_hooks() - register the hooks that shield the agent.
 */
void __init abac_add_agent_hooks(void)
{
	security_add_hooks(abac_agent_hooks, ARRAY_SIZE(abac_agent_hooks),
			   &abac_lsmid);
}
