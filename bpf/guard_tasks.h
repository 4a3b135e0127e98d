/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Other processes: a tagged subject acts only on its own processes.
 *
 * A process the subject could trace, read or write the memory of, take
 * descriptors from, or steer (limits, priority, scheduler) would run the
 * subject's code, or hand over what it may read, outside the policy: an
 * untagged process is decided by nothing, a process of another subject by
 * other rules.  So every such request on a process whose subject is not
 * the caller's own (the nearest tagged cgroup above each is not the same)
 * is refused:
 *
 *   - ptrace_access_check: ptrace, /proc/PID/mem, environ, maps, the
 *     magic links fd/, cwd, root and exe, process_vm_readv/writev,
 *     pidfd_getfd, kcmp, process_madvise, migrate_pages;
 *   - task_setrlimit (prlimit of another process), task_setnice,
 *     task_setioprio, task_setscheduler.
 *
 * The agent keeps its own, more specific refusals (ptrace-agent,
 * agent-sched), whatever its subject.  Signals to processes other than
 * the agent are not decided (Documentation/threat-model.rst).
 *
 * Included once, by guard.bpf.c.
 */
#ifndef _ABAC_BPF_GUARD_TASKS_H
#define _ABAC_BPF_GUARD_TASKS_H

#define PTRACE_MODE_NOAUDIT	0x04

/*
 * The subject of task @p: the id of the nearest tagged cgroup at or above
 * its cgroup, as abac_subject_walk() finds current's; 0 when untagged.
 * The cgroup pointers are read, not trusted: they only make lookup keys
 * and names.
 */
static __always_inline __u64 task_subject(const struct abac_image *img,
					  struct task_struct *p)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	const struct abac_subj_key *key;
	struct cgroup *cg;
	__u32 idx;

	if (!hdr || (!hdr->subj_size && !hdr->nbind))
		return 0;
	cg = BPF_CORE_READ(p, cgroups, dfl_cgrp);
	if (!cg)
		return 0;
	idx = abac_subject_walk(img, cg, BPF_CORE_READ(cg, level));
	key = idx ? abac_rec(img, idx) : NULL;
	if (!key)
		return 0;
	/* matched by name: its own cgroup's id, as abac_subject_get() says */
	return key->cgroup_id == ABAC_SUBJ_BOUND ? BPF_CORE_READ(cg, kn, id) :
						   key->cgroup_id;
}

/* Is @p one of the tagged caller's own processes? */
static __always_inline bool own_task(struct guard_ctx *g,
				     struct task_struct *p)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	return BPF_CORE_READ(p, tgid) == tgid ||
	       task_subject(&g->img, p) == g->sc.tagged_id;
}

/*
 * Is @p a process in set-up that the tagged caller, not in set-up itself,
 * may not reach although it is of the caller's own subject?  A subject
 * granted "setup" has processes in set-up that hold what the guard
 * withholds (guard_setup.h): its other processes, the workload, may not
 * trace them, read their memory or take their descriptors, their root or
 * their cwd.
 */
static __always_inline bool setup_shielded(struct guard_ctx *g,
					   struct task_struct *p)
{
	return (g->sc.caps & ABAC_CAP_GRANT_BIT(ABAC_CAP_SETUP)) &&
	       !task_in_setup(bpf_get_current_task_btf()) &&
	       task_in_setup(p);
}

/*
 * guard_ptrace() - no access to the agent's process, nor to a process
 * outside the caller's subject, nor to a process in set-up from one of
 * its subject that is not (setup_shielded()).  An access the kernel only
 * probes (PTRACE_MODE_NOAUDIT: whether to show a /proc field) is refused
 * without an event.
 */
SEC("lsm/ptrace_access_check")
int BPF_PROG(guard_ptrace, struct task_struct *child, unsigned int mode,
	     int ret)
{
	struct guard_ctx g;

	if (ret || !guard_tagged(&g))
		return ret;
	if (is_agent(child))
		return refuse_text(&g, ABAC_GUARD_PTRACE, ABAC_OP_ADMINISTER,
				   NULL, "ptrace mode=0x%x of pid %d", mode,
				   BPF_CORE_READ(child, tgid));
	if (own_task(&g, child) && !setup_shielded(&g, child))
		return 0;
	if (mode & PTRACE_MODE_NOAUDIT)
		return -EPERM;
	return refuse_text(&g, ABAC_GUARD_OTHER_PROCESS, ABAC_OP_ADMINISTER,
			   NULL, "ptrace mode=0x%x of pid %d", mode,
			   BPF_CORE_READ(child, tgid));
}

/* Steering @p (limits, priority, scheduler): its own processes only. */
static __always_inline int steer_task(struct task_struct *p, const char *what)
{
	struct guard_ctx g;

	if (!guard_tagged(&g))
		return 0;
	if (is_agent(p))
		return refuse_text(&g, ABAC_GUARD_AGENT_SCHED,
				   ABAC_OP_ADMINISTER, NULL, "%s of pid %d",
				   what, BPF_CORE_READ(p, tgid));
	if (own_task(&g, p))
		return 0;
	return refuse_text(&g, ABAC_GUARD_OTHER_PROCESS, ABAC_OP_ADMINISTER,
			   NULL, "%s of pid %d", what, BPF_CORE_READ(p, tgid));
}

SEC("lsm/task_setnice")
int BPF_PROG(guard_setnice, struct task_struct *p, int nice, int ret)
{
	return ret ?: steer_task(p, "setpriority");
}

SEC("lsm/task_setioprio")
int BPF_PROG(guard_setioprio, struct task_struct *p, int ioprio, int ret)
{
	return ret ?: steer_task(p, "ioprio_set");
}

SEC("lsm.s/task_setscheduler")
int BPF_PROG(guard_setscheduler, struct task_struct *p, int ret)
{
	return ret ?: steer_task(p, "sched_setscheduler");
}

/* prlimit(2) with new limits, and setrlimit(2) of the caller itself. */
SEC("lsm/task_setrlimit")
int BPF_PROG(guard_setrlimit, struct task_struct *p, unsigned int resource,
	     struct rlimit *new_rlim, int ret)
{
	return ret ?: steer_task(p, "prlimit");
}

#endif /* _ABAC_BPF_GUARD_TASKS_H */
