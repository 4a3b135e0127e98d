/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * abac native LSM: what it keeps in the kernel's objects (the blobs
 * setup.c asks the LSM framework for), and how a file reaches its part.
 */
#ifndef _SECURITY_ABAC_BLOBS_H
#define _SECURITY_ABAC_BLOBS_H

#include <linux/fs.h>
#include <linux/sched.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>

#include "abac.h"

/**
 * struct abac_avc_entry - one cached decision.
 * @key: what it holds for; it is used only for exactly that.
 * @d: the decision.
 * @used: the entry holds a decision.
 */
struct abac_avc_entry {
	struct abac_avc_key key;
	struct abac_decision d;
	bool used;
};

/**
 * struct abac_avc - the decisions cached on one inode, allocated at the
 *	first decision stored there and freed with the inode.
 * @lock: serialises writers.
 * @seq: lets readers see a whole entry, never half of two.
 * @e: the entries, one per (subject, label, operation) hash.
 */
struct abac_avc {
	spinlock_t lock;	/* serialises the writers of @e */
	seqcount_spinlock_t seq;
	struct abac_avc_entry e[ABAC_AVC_SLOTS];
};

/**
 * struct abac_inode - abac's part of an inode's security blob.
 * @label: the inode's own label as last read (&abac_label_none when it
 *	has none); NULL while it has not been read.  Replaced, never
 *	changed, when the label changes (label.c).
 * @avc: its cached decisions, or NULL.
 * @proc_tgid: for a /proc inode, the process it stands for (the guard
 *	keeps tagged tasks out of the agent's); else 0.
 */
struct abac_inode {
	const struct abac_label __rcu *label;
	struct abac_avc __rcu *avc;
	pid_t proc_tgid;
};

/**
 * struct abac_task - abac's part of a task's security blob.  Only the
 *	task itself reads or writes it (every hook decides for current), so
 *	it takes no lock; @agent and @exec_only aside.
 * @subj: whose tags apply to the task, as last found (struct
 *	abac_subj_memo, read inline by abac_ctx_get()).
 * @agent: on a thread group leader: an untagged exec of the agent's
 *	binary made this process the agent (guard_agent.c); other tasks
 *	read it, with READ_ONCE(), and only exec writes it.
 * @exec_only: the exec-only program the process runs (exec_only.c), on
 *	the thread group's leader and each fork of it; read by other tasks
 *	under RCU, replaced at exec.
 * @exec_note: the program bprm_check_security found exec-only, until the
 *	exec is committed.
 * @net: the task's decisions on network objects, which have no inode.
 * @ovl_cred: the credentials an overlay last copied up with in this task
 *	(its mounter's), held (overlay.c).
 * @ovl_cu_cred: the credentials prepared for that copy, held.
 * @exec_cgroup: the id of the cgroup (v2) the task was in at its last
 *	execve, or its parent's at fork (guard_tasks.c, "set-up"); 0: none.
 *	Written by the task itself (exec) or before it runs (task_alloc);
 *	other tasks read it with READ_ONCE().
 */
struct abac_task {
	struct abac_subj_memo subj;	/* first: abac_subj_memo() */
	bool agent;
	struct abac_exec_mark __rcu *exec_only;
	struct abac_exec_mark *exec_note;
	struct abac_avc_entry net[ABAC_AVC_SLOTS];
	const struct cred *ovl_cred;
	const struct cred *ovl_cu_cred;
	u64 exec_cgroup;
};

static_assert(offsetof(struct abac_task, subj) == 0);

static inline struct abac_inode *abac_inode(const struct inode *inode)
{
	return inode->i_security + abac_blob_sizes.lbs_inode;
}

static inline struct abac_task *abac_task(const struct task_struct *task)
{
	return task->security + abac_blob_sizes.lbs_task;
}

#endif /* _SECURITY_ABAC_BLOBS_H */
