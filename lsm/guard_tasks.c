// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: other processes.  A tagged subject acts only on its
 * own processes, as bpf/guard_tasks.h has it for the BPF guard.
 *
 * A process the subject could trace, read or write the memory of, take
 * descriptors from, or steer (limits, priority, scheduler) would run the
 * subject's code, or hand over what it may read, outside the policy: an
 * untagged process is decided by nothing, a process of another subject
 * by other rules.  So every such request on a process whose subject is
 * not the caller's own (the nearest tagged cgroup above each differs) is
 * refused:
 *
 *   - ptrace_access_check: ptrace, /proc/PID/mem, environ, maps, the
 *     magic links fd/, cwd, root and exe, process_vm_readv/writev,
 *     pidfd_getfd, kcmp, process_madvise, migrate_pages;
 *   - task_setrlimit (prlimit of another process), task_setnice,
 *     task_setioprio, task_setscheduler;
 *   - a write open of another process's /proc/PID files (oom_score_adj,
 *     comm ...), from abac_guard_file_open().
 *
 * The agent keeps its own, more specific refusals (ptrace-agent,
 * agent-sched), whatever its subject.  Signals to processes other than
 * the agent are not decided (Documentation/threat-model.rst).
 */
#include "abac.h"

#include <linux/cgroup.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/ptrace.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/security.h>

#include "abac_blobs.h"

/* ---- set-up ------------------------------------------------------------ */

/*
 * Set-up: what a container runtime (runc, crun) or systemd does in a
 * cgroup before the workload runs there, as bpf/guard_setup.h has it for
 * the BPF guard.  A task is in set-up when it has run no execve in the
 * cgroup it is in now: its blob holds the id of the cgroup it was in at
 * its last execve (abac_setup_exec()), a fork inheriting its parent's
 * (abac_setup_fork()).  A task that has none is never in set-up.  A
 * tagged task cannot move itself nor clone into another cgroup (the
 * guard refuses it cgroup.procs and CLONE_INTO_CGROUP), so only an
 * untagged process puts a task in set-up; its first execve there ends it.
 */

/**
 * abac_setup_exec() - an execve went through: note the cgroup it
 * happened in (bprm_committed_creds).
 */
void abac_setup_exec(void)
{
	u64 id;

	rcu_read_lock();
	id = cgroup_id(task_dfl_cgroup(current));
	rcu_read_unlock();
	WRITE_ONCE(abac_task(current)->exec_cgroup, id);
}

/**
 * abac_setup_fork() - a new task starts with its parent's record, or,
 * when the parent has none (a kernel thread), the parent's cgroup
 * (task_alloc, before @task runs).
 * @task: the new task.
 */
void abac_setup_fork(struct task_struct *task)
{
	u64 id = READ_ONCE(abac_task(current)->exec_cgroup);

	if (!id) {
		rcu_read_lock();
		id = cgroup_id(task_dfl_cgroup(current));
		rcu_read_unlock();
	}
	abac_task(task)->exec_cgroup = id;
}

/* Is @p in set-up: moved to another cgroup since its last execve? */
static bool abac_task_in_setup(struct task_struct *p)
{
	u64 at = READ_ONCE(abac_task(p)->exec_cgroup);
	bool moved;

	if (!at)
		return false;
	rcu_read_lock();
	moved = at != cgroup_id(task_dfl_cgroup(p));
	rcu_read_unlock();
	return moved;
}

/**
 * abac_guard_in_setup() - may the tagged caller do its runtime's set-up:
 * mount, umount, move_mount, pivot_root, user namespaces, the withheld
 * capabilities?  Only when its subject holds the "setup" grant and it is
 * in set-up.  Every other refusal of the guard, and every decision of the
 * policy, stands for it.
 * @c: the tagged caller.
 *
 * Return: true when it may.
 */
bool abac_guard_in_setup(const struct abac_ctx *c)
{
	return abac_ctx_granted(c, ABAC_CAP_SETUP) &&
	       abac_task_in_setup(current);
}

/*
 * Is @p a process in set-up that the tagged caller, not in set-up itself,
 * may not reach although it is of its own subject?  A subject granted
 * "setup" has processes in set-up that hold what the guard withholds:
 * its other processes, the workload, may not trace them, read their
 * memory or take their descriptors, their root or their cwd.
 */
static bool abac_setup_shielded(const struct abac_ctx *c,
				struct task_struct *p)
{
	return abac_ctx_granted(c, ABAC_CAP_SETUP) &&
	       !abac_task_in_setup(current) && abac_task_in_setup(p);
}

/* ---- other processes ---------------------------------------------------- */

/*
 * Is @p one of the tagged caller's own processes: a thread of the
 * caller's, or one whose subject is the caller's?  Under @c's RCU read
 * section.
 */
static bool abac_own_task(const struct abac_ctx *c, struct task_struct *p)
{
	return same_thread_group(p, current) ||
	       abac_task_subject(c, p) == c->tagged_id;
}

/**
 * abac_guard_proc_access() - a write to /proc/@tgid/..., at open or
 * through a descriptor already open, or a read through a descriptor of
 * a file abac_proc_opens_memory() names: only of the caller's own
 * processes.
 * @c: the tagged caller.
 * @file: the /proc file.
 * @tgid: the process it stands for (global pid).
 * @op: ABAC_OP_WRITE or ABAC_OP_READ.
 *
 * A descriptor opened before its holder was tagged, or passed in, would
 * otherwise keep the access the kernel checked once, at open.
 *
 * Return: 0 or -EPERM.
 */
int abac_guard_proc_access(const struct abac_ctx *c, struct file *file,
			   pid_t tgid, u32 op)
{
	struct task_struct *p;

	if (abac_guard_tgid_is_agent(tgid))
		return abac_guard_refuse_file(c, ABAC_GUARD_AGENT_PROC,
					      ABAC_OP_ADMINISTER, file);
	p = pid_task(find_pid_ns(tgid, &init_pid_ns), PIDTYPE_TGID);
	if (!p || abac_own_task(c, p))
		return 0;	/* gone: the access fails by itself */
	return abac_guard_refuse_file(c, ABAC_GUARD_OTHER_PROCESS, op, file);
}

/*
 * ptrace_access_check() - no access to the agent's process, nor to a
 * process outside the caller's subject, nor to a process in set-up from
 * one of its subject that is not (abac_setup_shielded()).  An access the kernel only
 * probes (PTRACE_MODE_NOAUDIT: whether to show a /proc field) is refused
 * without an event.  Attaching to one of its own that runs an exec-only
 * program is decided as a read of the program (exec_only.c).
 */
static int abac_ptrace_access_check(struct task_struct *child,
				    unsigned int mode)
{
	struct abac_ctx c;
	int err = 0;

	if (!abac_ctx_get(&c))
		return 0;
	if (abac_guard_is_agent(child))
		err = abac_guard_refuse(&c, ABAC_GUARD_PTRACE,
					ABAC_OP_ADMINISTER, NULL,
					"ptrace mode=0x%x of pid %d", mode,
					task_tgid_nr(child));
	else if (abac_own_task(&c, child) && !abac_setup_shielded(&c, child))
		err = abac_exec_only_ptrace(&c, child, mode);
	else if (mode & PTRACE_MODE_NOAUDIT)
		err = -EPERM;
	else
		err = abac_guard_refuse(&c, ABAC_GUARD_OTHER_PROCESS,
					ABAC_OP_ADMINISTER, NULL,
					"ptrace mode=0x%x of pid %d", mode,
					task_tgid_nr(child));
	abac_ctx_put(&c);
	return err;
}

/* Steering @p (limits, priority, scheduler): its own processes only. */
static int abac_steer_task(struct task_struct *p, const char *what)
{
	struct abac_ctx c;
	int err = 0;

	if (!abac_ctx_get(&c))
		return 0;
	if (abac_guard_is_agent(p))
		err = abac_guard_refuse(&c, ABAC_GUARD_AGENT_SCHED,
					ABAC_OP_ADMINISTER, NULL,
					"%s of pid %d", what, task_tgid_nr(p));
	else if (!abac_own_task(&c, p))
		err = abac_guard_refuse(&c, ABAC_GUARD_OTHER_PROCESS,
					ABAC_OP_ADMINISTER, NULL,
					"%s of pid %d", what, task_tgid_nr(p));
	abac_ctx_put(&c);
	return err;
}

static int abac_task_setnice(struct task_struct *p, int nice)
{
	return abac_steer_task(p, "setpriority");
}

static int abac_task_setioprio(struct task_struct *p, int ioprio)
{
	return abac_steer_task(p, "ioprio_set");
}

static int abac_task_setscheduler(struct task_struct *p)
{
	return abac_steer_task(p, "sched_setscheduler");
}

/* prlimit(2) with new limits, and setrlimit(2) of the caller itself. */
static int abac_task_setrlimit(struct task_struct *p, unsigned int resource,
			       struct rlimit *new_rlim)
{
	return abac_steer_task(p, "prlimit");
}

static struct security_hook_list abac_tasks_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(ptrace_access_check, abac_ptrace_access_check),
	LSM_HOOK_INIT(task_setnice, abac_task_setnice),
	LSM_HOOK_INIT(task_setioprio, abac_task_setioprio),
	LSM_HOOK_INIT(task_setscheduler, abac_task_setscheduler),
	LSM_HOOK_INIT(task_setrlimit, abac_task_setrlimit),
};

/**
 * abac_add_tasks_hooks() - register the guard's hooks on other processes.
 */
void __init abac_add_tasks_hooks(void)
{
	security_add_hooks(abac_tasks_hooks, ARRAY_SIZE(abac_tasks_hooks),
			   &abac_lsmid);
}
