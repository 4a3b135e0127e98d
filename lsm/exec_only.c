// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: programs a subject may run but not read ("exec-only"),
 * whose content stays out of the subject's reach through the process
 * running them; what bpf/memory.h does for the BPF programs.
 *
 *   - bprm_check_security decides read on the program beside exec: a
 *     program the subject may exec but not read is not run under a
 *     tracer (the refusal is the read's), and is noted;
 *   - once the exec is committed (bprm_committed_creds) the note becomes
 *     the process's mark, and a fork of it (task_alloc) shares the mark,
 *     as it runs the same image; a thread reads its leader's;
 *   - attaching to a marked process (ptrace_access_check in ATTACH mode:
 *     ptrace, /proc/PID/mem, process_vm_readv/writev, pidfd_getfd) is
 *     decided as a read of the program, with the label it had at the
 *     exec, for every tagged caller, the subject's own processes and
 *     CAP_SYS_PTRACE included;
 *   - a marked process writes no core file (file_open with PF_DUMPCORE).
 *
 * Nothing is marked in audit mode, where nothing is refused.  The mark is
 * replaced under RCU by the process's next exec and freed after a grace
 * period, so a tracer's hook reads it under RCU without a lock (the
 * kernel calls ptrace_access_check under task_lock() of the target).
 */
#include "abac.h"

#include <linux/binfmts.h>
#include <linux/fs.h>
#include <linux/ptrace.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/security.h>
#include <linux/slab.h>

#include "abac_blobs.h"

/**
 * struct abac_exec_mark - the exec-only program a process runs.
 * @ref: one per process carrying it, plus the pending note's.
 * @rcu: frees it after a grace period.
 * @ino: the program's inode number, for the event.
 * @dev: its device.
 * @lab: the label that applied to it at the exec (text included).
 */
struct abac_exec_mark {
	refcount_t ref;
	struct rcu_head rcu;
	u64 ino;
	u32 dev;
	struct abac_label lab;
};

static void abac_exec_mark_put(struct abac_exec_mark *mark)
{
	if (mark && refcount_dec_and_test(&mark->ref))
		kfree_rcu(mark, rcu);
}

/* A mark for @file, whose label @lab is; NULL without memory. */
static struct abac_exec_mark *abac_exec_mark_new(const struct file *file,
						 const struct abac_label *lab)
{
	struct abac_exec_mark *mark;

	mark = kmalloc(sizeof(*mark) + lab->len + 1, GFP_ATOMIC | __GFP_NOWARN);
	if (!mark)
		return NULL;
	refcount_set(&mark->ref, 1);
	mark->ino = file_inode(file)->i_ino;
	mark->dev = file_inode(file)->i_sb->s_dev;
	memcpy(&mark->lab, lab, sizeof(*lab) + lab->len);
	mark->lab.text[lab->len] = '\0';
	return mark;
}

/**
 * abac_exec_forget() - a new exec starts: the note of an earlier one that
 * failed goes.  For an untagged exec, whose program is never exec-only.
 */
void abac_exec_forget(void)
{
	struct abac_task *t = abac_task(current);
	struct abac_exec_mark *note = t->exec_note;

	t->exec_note = NULL;
	abac_exec_mark_put(note);
}

/**
 * abac_exec_check() - decide exec of @file for the caller, and whether
 * the program is exec-only: then refuse it under a tracer, or note it.
 * @c: the caller (abac_ctx_get()).
 * @file: the program (bprm->file).
 *
 * Return: 0 to allow; -EACCES.
 */
int abac_exec_check(struct abac_ctx *c, struct file *file)
{
	struct abac_task *t = abac_task(current);
	struct abac_obj o = { .path = &file->f_path };
	int err;

	abac_exec_forget();
	err = abac_check_file(c, file, ABAC_OP_EXEC);
	if (err || !c->pol ||
	    abac_loaded_hdr(c->pol)->mode == ABAC_MODE_AUDIT)
		return err;
	o.inode = file_inode(file);
	o.epoch = abac_label_epoch();
	o.lab = abac_label_applies(file->f_path.dentry, true);
	if (!o.lab)
		return 0;	/* no label: nothing to keep from anyone */
	if (o.lab == ABAC_LABEL_UNKNOWN) {
		o.lab = &abac_label_bad;	/* changed since: closed */
		o.nocache = true;
	}
	if (abac_allowed(c, &o, ABAC_OP_READ))
		return 0;
	if (current->ptrace)
		return abac_check(c, &o, ABAC_OP_READ);
	t->exec_note = abac_exec_mark_new(file, o.lab);
	return t->exec_note ? 0 : -ENOMEM;
}

/**
 * abac_exec_commit() - the exec went through: the process runs the
 * program abac_exec_check() noted last (a script's interpreter after the
 * script), and carries its note as its mark, or no mark.
 */
void abac_exec_commit(void)
{
	struct abac_task *t = abac_task(current);
	struct abac_exec_mark *old;

	old = rcu_replace_pointer(t->exec_only, t->exec_note, true);
	t->exec_note = NULL;
	abac_exec_mark_put(old);
}

/**
 * abac_exec_fork() - a process forked from one running an exec-only
 * program runs the same image: it gets the same mark.  A new thread has
 * none of its own: its leader's is read.
 * @task: the new task.
 * @clone_flags: the clone's flags.
 */
void abac_exec_fork(struct task_struct *task, unsigned long clone_flags)
{
	struct abac_exec_mark *mark;

	if (clone_flags & CLONE_THREAD)
		return;
	rcu_read_lock();
	mark = rcu_dereference(abac_task(current->group_leader)->exec_only);
	if (mark && !refcount_inc_not_zero(&mark->ref))
		mark = NULL;
	rcu_read_unlock();
	RCU_INIT_POINTER(abac_task(task)->exec_only, mark);
}

/* task_free: the task's mark and pending note go. */
static void abac_exec_free(struct task_struct *task)
{
	struct abac_task *t = abac_task(task);

	abac_exec_mark_put(rcu_dereference_protected(t->exec_only, true));
	abac_exec_mark_put(t->exec_note);
}

/**
 * abac_exec_only_ptrace() - attaching to @child reads its memory: for a
 * process marked exec-only, decided as read on the program it runs.
 * @c: the tagged caller.
 * @child: the process attached to.
 * @mode: PTRACE_MODE_*.
 *
 * Return: 0 to allow; -EACCES.
 */
int abac_exec_only_ptrace(const struct abac_ctx *c, struct task_struct *child,
			  unsigned int mode)
{
	struct abac_exec_mark *mark;
	struct abac_obj o = { .nocache = true };

	if (!(mode & PTRACE_MODE_ATTACH))
		return 0;
	/* @c's RCU read section keeps the mark */
	mark = rcu_dereference(abac_task(READ_ONCE(child->group_leader))->exec_only);
	if (!mark)
		return 0;
	o.lab = &mark->lab;
	o.ino = mark->ino;
	o.dev = mark->dev;
	o.epoch = abac_label_epoch();
	return abac_check(c, &o, ABAC_OP_READ);
}

/**
 * abac_exec_only_core() - does current, dumping core (PF_DUMPCORE: the
 * kernel is opening the core file), run an exec-only program?  Then the
 * core file, which would hold the program's pages, is refused.  Called
 * by abac_exec_only_dumping() only for a task that dumps core: every
 * other open costs one flag test.
 *
 * Return: true when the open is the core file of a marked process.
 */
bool abac_exec_only_core(void)
{
	bool hit;

	rcu_read_lock();
	hit = rcu_access_pointer(abac_task(current->group_leader)->exec_only);
	rcu_read_unlock();
	return hit;
}

static struct security_hook_list abac_exec_only_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(task_free, abac_exec_free),
};

/**
 * abac_add_exec_only_hooks() - register the hook that frees a task's mark.
 */
void __init abac_add_exec_only_hooks(void)
{
	security_add_hooks(abac_exec_only_hooks,
			   ARRAY_SIZE(abac_exec_only_hooks), &abac_lsmid);
}
