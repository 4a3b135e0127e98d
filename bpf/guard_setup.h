/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Set-up: what a container runtime (runc, crun) or systemd does in a
 * cgroup before the workload runs there.  The runtime moves a container's
 * first process into the container's cgroup (or clones it there with
 * CLONE_INTO_CGROUP) before that process makes its namespaces, mounts
 * /proc, pivots into the image and execs the entrypoint.  Below a tagged
 * cgroup the guard refuses all of that; a policy that grants its subject
 * "setup" (ABAC_CAP_SETUP) lets a process still in set-up do it.
 *
 * A task is in set-up when it has run no execve in the cgroup it is in
 * now: abac_guard_exec_cg holds the id of the cgroup it was in at its
 * last execve, a fork inheriting its parent's (or, from a parent without
 * one, the parent's present cgroup).  A task without a record (older than
 * the guard) is never in set-up.  A tagged task cannot move itself nor
 * clone into another cgroup (the guard refuses it cgroup.procs), so only
 * an untagged process puts a task in set-up; its first execve in the
 * cgroup ends it, for it and every child it makes afterwards.
 *
 * Included once, by guard.bpf.c.
 */
#ifndef _ABAC_BPF_GUARD_SETUP_H
#define _ABAC_BPF_GUARD_SETUP_H

/* The id of @p's cgroup in the default hierarchy (0: none to read). */
static __always_inline __u64 task_cgroup_id(struct task_struct *p)
{
	return BPF_CORE_READ(p, cgroups, dfl_cgrp, kn, id);
}

/* Is @p in set-up: moved to another cgroup since its last execve? */
static __always_inline bool task_in_setup(struct task_struct *p)
{
	__u64 *at = bpf_task_storage_get(&abac_guard_exec_cg, p, NULL, 0);

	return at && *at && *at != task_cgroup_id(p);
}

/*
 * guard_in_setup() - may tagged current do its runtime's set-up: mount,
 * umount, move_mount, pivot_root, user namespaces, the withheld
 * capabilities?  Only when its subject holds the "setup" grant and it is
 * in set-up.  Every other refusal of the guard, and every decision of the
 * policy, stands for it.
 */
static __always_inline bool guard_in_setup(const struct guard_ctx *g)
{
	return (g->sc.caps & ABAC_CAP_GRANT_BIT(ABAC_CAP_SETUP)) &&
	       task_in_setup(bpf_get_current_task_btf());
}

/* guard_setup_exec() - an execve ends set-up: note where it happened. */
SEC("lsm/bprm_committed_creds")
int BPF_PROG(guard_setup_exec, const struct linux_binprm *bprm)
{
	__u64 *at;

	at = bpf_task_storage_get(&abac_guard_exec_cg,
				  bpf_get_current_task_btf(), NULL,
				  BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (at)
		*at = bpf_get_current_cgroup_id();
	return 0;
}

/*
 * guard_setup_fork() - a new task starts where its parent's set-up
 * stands: with the parent's record, or, when the parent has none, its
 * present cgroup (so that the child of a task older than the guard is
 * in set-up only once moved).  Threads too: each task has its own
 * record.  When no record can be stored the task is made without one,
 * and is never in set-up (closed: it keeps the guard's refusals).
 */
SEC("lsm/task_alloc")
int BPF_PROG(guard_setup_fork, struct task_struct *task,
	     unsigned long clone_flags, int ret)
{
	__u64 *parent, *child;

	if (ret)
		return ret;
	parent = bpf_task_storage_get(&abac_guard_exec_cg,
				      bpf_get_current_task_btf(), NULL, 0);
	child = bpf_task_storage_get(&abac_guard_exec_cg, task, NULL,
				     BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!child)
		return 0;
	*child = parent && *parent ? *parent : bpf_get_current_cgroup_id();
	return 0;
}

#endif /* _ABAC_BPF_GUARD_SETUP_H */
