// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: the only file that calls the decision core
 * (lsm/abac_decide.h), the very code the BPF programs and the user-space
 * tools run.  It is reached through abac_subject_find(),
 * abac_label_parse() and abac_decide() only, so that a new core changes
 * this file and nothing else.
 */
#include <linux/cgroup.h>
#include <linux/sched.h>

#include "abac.h"

static struct abac_image abac_core_image(const struct abac_loaded *pol)
{
	struct abac_image img = {
		.base = pol->img,
		.nrec = (u32)(pol->len / ABAC_REC_SIZE),
	};

	return img;
}

/**
 * abac_core_subject() - the tags that apply to the current task.
 * @pol: the image in force.
 * @subj: receives the task's cgroup and, when tagged, its tags.
 *
 * The task's own cgroup (v2) first, then the nearest tagged ancestor,
 * looking only at the levels the image says hold tags (tag_levels), as
 * bpf/common.h does, at most ABAC_MAX_CGROUP_DEPTH levels up.
 *
 * Return: true when tags apply.
 */
bool abac_core_subject(const struct abac_loaded *pol,
		       struct abac_subject *subj)
{
	const struct abac_image_hdr *hdr = abac_loaded_hdr(pol);
	struct abac_image img = abac_core_image(pol);
	struct cgroup *cgrp, *anc;
	u32 levels = hdr->tag_levels, k;
	int level;

	subj->attrs = NULL;
	subj->tagged_id = 0;
	rcu_read_lock();
	cgrp = task_dfl_cgroup(current);
	subj->cgroup_id = cgroup_id(cgrp);
	if (!hdr->subj_size)
		goto out;
	level = cgrp->level;
	for (k = 0; k < ABAC_MAX_CGROUP_DEPTH; k++) {
		int l = level - (int)k;
		u64 id;

		if (l < 0)
			break;
		if (!(levels & (1U << (l & 31))))
			continue;
		anc = cgroup_ancestor(cgrp, l);
		if (!anc)
			continue;
		id = cgroup_id(anc);
		subj->attrs = abac_subject_find(&img, id);
		if (subj->attrs) {
			subj->tagged_id = id;
			break;
		}
	}
out:
	rcu_read_unlock();
	return subj->attrs != NULL;
}

/**
 * abac_core_decide() - decide operations of a subject on a labelled object.
 * @pol: the image in force.
 * @subj: the subject's tags (from abac_core_subject()).
 * @label: the object's user.abac bytes.
 * @len: bytes in @label.
 * @ops: mask of (1 << enum abac_op), decided in ascending order.
 * @d: receives the first refusal, or the last allow.
 *
 * A label that does not parse, or names a pair the policy does not
 * declare, is refused whole: @d says deny, ABAC_REASON_BAD_LABEL.
 *
 * Return: the operation @d is about (ABAC_OP_COUNT when @ops is empty).
 */
u32 abac_core_decide(const struct abac_loaded *pol,
		     const struct abac_attrs *subj, const u8 *label,
		     u32 len, u32 ops, struct abac_decision *d)
{
	struct abac_image img = abac_core_image(pol);
	struct abac_label_pairs pairs;
	struct abac_attrs obj = {};
	/* no environment: policy.c refuses images whose rules read one */
	struct abac_request rq = { .s = subj, .o = &obj, .e = NULL };
	u32 op, last = ABAC_OP_COUNT;

	d->effect = ABAC_ALLOW;
	d->reason = ABAC_REASON_DEFAULT;
	d->rule = ABAC_RULE_NONE;
	for (op = 0; op < ABAC_OP_COUNT; op++) {
		if (!(ops & (1U << op)))
			continue;
		if (last == ABAC_OP_COUNT) {
			if (abac_label_parse(&img, label, len, &pairs, &obj)) {
				d->effect = ABAC_DENY;
				d->reason = ABAC_REASON_BAD_LABEL;
				return op;
			}
		}
		abac_decide(&img, op, &rq, d);
		last = op;
		if (d->effect != ABAC_ALLOW)
			break;
	}
	return last;
}
