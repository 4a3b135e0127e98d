// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: decisions cached where their object lives, as the BPF
 * programs cache them (bpf/common.h): on a file, in its inode's blob; on a
 * network object, which has no inode, in the calling task's blob.
 *
 * A cached decision is used only for exactly the key it was taken under:
 * the subject (tagged cgroup), the label or network object that applied,
 * the label epoch (every label change moves it) and the image (its load
 * sequence number: a policy or tag change loads a new one).  Decisions
 * that read the environment are never cached (core.c).  So an entry is
 * never stale: it is either right or unused.
 *
 * An inode's entries are written by tasks on any CPU: a spinlock orders
 * the writers and a seqcount lets readers retry rather than take a
 * decision torn between two writes.  A task's entries are its own.
 *
 * Beside its entries, an inode keeps the last read and write allowed on
 * it under one key (struct abac_avc_last), which a repeated open, read
 * or write by the same subject finds inline, with no hash and no call
 * (abac_avc_last_allows()); a reader that meets a write there does not
 * retry but decides the long way.
 */
#include "abac.h"

#include <linux/sched.h>
#include <linux/slab.h>

#include "abac_blobs.h"

static __always_inline u32 abac_avc_slot(const struct abac_avc_key *k)
{
	return (u32)((((k->subj ^ k->id) + k->op) *
		      0x9e3779b97f4a7c15ULL) >> 32) & (ABAC_AVC_SLOTS - 1);
}

static __always_inline bool abac_avc_hit(const struct abac_avc_entry *e,
					 const struct abac_avc_key *k)
{
	return e->used && e->key.subj == k->subj && e->key.id == k->id &&
	       e->key.epoch == k->epoch && e->key.seq == k->seq &&
	       e->key.op == k->op;
}

/**
 * abac_avc_inode_find() - a decision cached on @inode for @k.
 * @inode: the object's inode.
 * @k: what the decision must hold for.
 * @d: receives it.
 *
 * Return: true when there is one.
 */
bool abac_avc_inode_find(struct inode *inode, const struct abac_avc_key *k,
			 struct abac_decision *d)
{
	const struct abac_avc_entry *e;
	struct abac_avc *avc;
	unsigned int s;
	bool hit;

	rcu_read_lock();
	avc = rcu_dereference(abac_inode(inode)->avc);
	if (!avc) {
		rcu_read_unlock();
		return false;
	}
	e = &avc->e[abac_avc_slot(k)];
	do {
		s = read_seqcount_begin(&avc->seq);
		hit = abac_avc_hit(e, k);
		if (hit)
			*d = e->d;
	} while (read_seqcount_retry(&avc->seq, s));
	rcu_read_unlock();
	return hit;
}

/* The inode's entries, allocated at the first store. */
static struct abac_avc *abac_avc_of(struct inode *inode)
{
	struct abac_inode *ai = abac_inode(inode);
	struct abac_avc *avc, *old;

	avc = rcu_access_pointer(ai->avc);
	if (avc)
		return avc;
	avc = kzalloc(sizeof(*avc), GFP_ATOMIC | __GFP_NOWARN);
	if (!avc)
		return NULL;	/* not cached: decided again next time */
	spin_lock_init(&avc->lock);
	seqcount_spinlock_init(&avc->seq, &avc->lock);
	old = unrcu_pointer(cmpxchg(&ai->avc, NULL, RCU_INITIALIZER(avc)));
	if (old) {
		kfree(avc);
		return old;
	}
	return avc;
}

/**
 * abac_avc_inode_store() - cache a decision on @inode.
 * @inode: the object's inode.
 * @k: what it holds for.
 * @d: the decision.
 *
 * It replaces whatever its slot held.  May be called in atomic context.
 */
void abac_avc_inode_store(struct inode *inode, const struct abac_avc_key *k,
			  const struct abac_decision *d)
{
	struct abac_avc *avc = abac_avc_of(inode);
	struct abac_avc_entry *e;

	if (!avc)
		return;
	e = &avc->e[abac_avc_slot(k)];
	spin_lock(&avc->lock);
	write_seqcount_begin(&avc->seq);
	e->key = *k;
	e->d = *d;
	e->used = true;
	write_seqcount_end(&avc->seq);
	spin_unlock(&avc->lock);
}

/**
 * abac_avc_last_store() - keep an allowed read or write as @inode's last
 * (struct abac_avc_last), for abac_avc_last_allows().
 * @inode: the object's inode.
 * @k: the key it was decided under; ABAC_OP_READ or ABAC_OP_WRITE.
 * @rule: the rule that allowed it.
 *
 * A read and a write allowed under the same key are kept together; a
 * decision under another key replaces both.  May be called in atomic
 * context.
 */
void abac_avc_last_store(struct inode *inode, const struct abac_avc_key *k,
			 u32 rule)
{
	struct abac_avc *avc = abac_avc_of(inode);
	struct abac_avc_last *l;
	bool same;

	if (!avc || k->op > ABAC_OP_WRITE)
		return;
	l = &avc->last;
	spin_lock(&avc->lock);
	same = l->subj == k->subj && l->id == k->id &&
	       l->epoch == k->epoch && l->seq == k->seq;
	if (!same || !(l->allowed & BIT(k->op)) || l->rule[k->op] != rule) {
		write_seqcount_begin(&avc->seq);
		if (!same) {
			l->subj = k->subj;
			l->id = k->id;
			l->epoch = k->epoch;
			l->seq = k->seq;
			l->allowed = 0;
		}
		l->rule[k->op] = rule;
		l->allowed |= BIT(k->op);
		write_seqcount_end(&avc->seq);
	}
	spin_unlock(&avc->lock);
}

/**
 * abac_avc_inode_free() - free the entries of an inode's blob.
 * @blob: the inode's whole security blob, after its grace period.
 */
void abac_avc_inode_free(void *blob)
{
	struct abac_inode *ai = blob + abac_blob_sizes.lbs_inode;

	kfree(rcu_access_pointer(ai->avc));
}

/**
 * abac_avc_task_find() - a decision the calling task cached for @k.
 * @k: what the decision must hold for.
 * @d: receives it.
 *
 * Return: true when there is one.
 */
bool abac_avc_task_find(const struct abac_avc_key *k, struct abac_decision *d)
{
	const struct abac_avc_entry *e;

	e = &abac_task(current)->net[abac_avc_slot(k)];
	if (!abac_avc_hit(e, k))
		return false;
	*d = e->d;
	return true;
}

/**
 * abac_avc_task_store() - cache a decision in the calling task's blob.
 * @k: what it holds for.
 * @d: the decision.
 */
void abac_avc_task_store(const struct abac_avc_key *k,
			 const struct abac_decision *d)
{
	struct abac_avc_entry *e = &abac_task(current)->net[abac_avc_slot(k)];

	e->key = *k;
	e->d = *d;
	e->used = true;
}
