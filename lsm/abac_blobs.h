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
 * struct abac_avc_last - the last reads and writes allowed on an inode,
 *	under one key: what abac_avc_last_allows() answers a repeated read
 *	or write with before the AVC is searched.
 * @subj: the key (struct abac_avc_key) but its operation: the subject,
 * @id: the label,
 * @epoch: the label epoch,
 * @seq: and the image.
 * @allowed: BIT(op) for each of ABAC_OP_READ and ABAC_OP_WRITE allowed
 *	under that key; 0: none.
 * @rule: the rule that allowed each (its hit counter), by operation.
 */
struct abac_avc_last {
	u64 subj;
	u64 id;
	u64 epoch;
	u64 seq;
	u32 allowed;
	u32 rule[ABAC_OP_WRITE + 1];
};

/**
 * struct abac_avc - the decisions cached on one inode, allocated at the
 *	first decision stored there and freed with the inode.
 * @lock: serialises writers.
 * @seq: lets readers see a whole entry, never half of two.
 * @last: the last allowed read and write (abac_avc_last_allows()).
 * @e: the entries, one per (subject, label, operation) hash.
 */
struct abac_avc {
	spinlock_t lock;	/* serialises the writers of @e and @last */
	seqcount_spinlock_t seq;
	struct abac_avc_last last;
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

/**
 * abac_avc_last_allows() - is this read or write allowed by the last
 * decision kept on @inode (struct abac_avc_last)?
 * @inode: the object's inode.
 * @subj: the key, as abac_decide_cached() makes it (struct abac_avc_key):
 *	the subject,
 * @id: the label,
 * @epoch: the label epoch,
 * @seq: the image,
 * @op: and the operation.
 * @rule: receives the rule that allowed it.
 *
 * Inline, with no loop: a write under way or one that happened meanwhile
 * makes it a miss, and the caller decides the long way.  Only allowed
 * decisions are kept, each under its whole key, which names the image:
 * one that reads the environment is never kept (abac_decide_cached()).
 * The key's parts come as scalars: a key on the stack would be zeroed at
 * every call (CONFIG_INIT_STACK_ALL_ZERO).  Call under rcu_read_lock().
 *
 * Return: true when it is allowed.
 */
static __always_inline bool abac_avc_last_allows(const struct inode *inode,
						 u64 subj, u64 id, u64 epoch,
						 u64 seq, u32 op, u32 *rule)
{
	struct abac_avc *avc = rcu_dereference(abac_inode(inode)->avc);
	const struct abac_avc_last *l;
	unsigned int s;
	bool hit;

	if (!avc || op > ABAC_OP_WRITE)
		return false;
	l = &avc->last;
	s = raw_read_seqcount(&avc->seq);
	if (s & 1)
		return false;	/* a write under way */
	hit = (l->allowed & BIT(op)) && l->subj == subj && l->id == id &&
	      l->epoch == epoch && l->seq == seq;
	*rule = l->rule[op];
	return hit && !read_seqcount_retry(&avc->seq, s);
}

/**
 * abac_check_last() - is a read or write of @inode allowed by the
 * decision last kept there (abac_avc_last_allows())?  Then it is counted
 * as a decision from the cache, as abac_check() would count it.
 * @pol: the image in force.
 * @subj: the caller's tagged cgroup (struct abac_ctx.tagged_id).
 * @inode: the object's inode.
 * @lab: the label that applies, as abac_label_applies() found it.
 * @epoch: the label epoch, read before the label was.
 * @op: enum abac_op.
 *
 * Not while allows are sampled: a sampled allow is reported with what
 * the decision read.  Call under rcu_read_lock().
 *
 * Return: true when allowed; false: the caller decides.
 */
static __always_inline bool abac_check_last(struct abac_loaded *pol, u64 subj,
					    const struct inode *inode,
					    const struct abac_label *lab,
					    u64 epoch, u32 op)
{
	u32 rule;

	if ((unsigned long)lab <= (unsigned long)ABAC_LABEL_UNKNOWN ||
	    READ_ONCE(abac_allow_sample) ||
	    !abac_avc_last_allows(inode, subj, lab->id, epoch, pol->seq, op,
				  &rule))
		return false;
	atomic64_inc(&abac_stats.cached);
	atomic64_inc(&abac_stats.decisions);
	if (rule < pol->nhits)	/* ABAC_RULE_NONE is not */
		atomic64_inc(&pol->hits[rule]);
	return true;
}

/**
 * abac_label_applies_inline() - abac_label_applies(@dentry, true), with
 * no call when the inode has a label of its own (or one not read yet).
 * @dentry: a positive dentry.
 *
 * Call under rcu_read_lock().
 *
 * Return: as abac_label_applies().
 */
static __always_inline const struct abac_label *
abac_label_applies_inline(struct dentry *dentry)
{
	const struct abac_label *lab;

	lab = rcu_dereference(abac_inode(d_inode(dentry))->label);
	if (!lab)
		return ABAC_LABEL_UNKNOWN;
	if (lab->state != ABAC_LABEL_NONE)
		return lab;
	return abac_label_applies(dentry, true);
}

#endif /* _SECURITY_ABAC_BLOBS_H */
