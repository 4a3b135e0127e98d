/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A reference decision for the fuzzers: the semantics that
 * lsm/abac_abi.h and Documentation/policy-language.rst describe, written
 * plainly and independently of lsm/abac_decide.h.  It knows nothing of
 * records, ranks or operation lists: it takes every rule as a plain
 * struct, scans all of them for the operation's bit, evaluates each
 * rule's conditions in three values, combines each layer by the
 * textbook reading of its algorithm and folds the layers in order.
 *
 *  - A condition reads its attribute's word, else the attribute's
 *    default, else 0 (absent).  PRESENT and ABSENT test exactly that;
 *    TIME and DAYS read the clock and do not hold without an
 *    environment; every other kind is indeterminate when an attribute
 *    it needs (the right-hand one of a relation too) is absent.
 *  - A rule: one false condition makes it not applicable, else one
 *    indeterminate condition makes it indeterminate, else it gives its
 *    effect.
 *  - deny-overrides: a deny if any, else an indeterminate if any, else a
 *    permit if any, else not applicable; permit-overrides the mirror;
 *    first-applicable the first rule that is not "not applicable".  The
 *    deciding rule is the first rule with that outcome.
 *  - The top layer decides; a lower layer's deny or indeterminate
 *    replaces a permit or not-applicable so far; nothing else changes.
 *  - Permit allows, deny and indeterminate deny, not applicable takes
 *    the default effect and names no rule.
 *  - An open set is a run of the member table (ABAC_SET_WORD()); a
 *    member is found by reading the whole run, one word after another
 *    (the core searches it).  The fuzzers only decide images the
 *    validator accepted, with subjects of the image, so every run they
 *    name is readable.  An object's open set (ABAC_SET_OBJ) is a run of
 *    the request's object member store, read the same way.
 */
#ifndef _ABAC_FUZZ_REF_H
#define _ABAC_FUZZ_REF_H

#include <string.h>

#include "libabac.h"

/**
 * struct ref_rule - one rule as the reference sees it.
 * @ops: mask of (1 << op).
 * @effect: enum abac_effect.
 * @layer: its layer.
 * @ncond: conditions in @conds.
 * @conds: the conditions.
 * @csets: per condition, the members of its constant set as the policy
 *	gives them (abac_cond_takes_set()), or NULL: then the condition's
 *	mask is a handle into the member table.
 */
struct ref_rule {
	__u32 ops;
	unsigned int effect;
	unsigned int layer;
	unsigned int ncond;
	const struct abac_cond *conds;
	const struct abac_set *csets;
};

/**
 * struct ref_policy - a policy as the reference sees it.
 * @nrules: rules in @rules, in policy (hence layer) order.
 * @rules: the rules.
 * @nlayers: layers.
 * @comb: each layer's combining algorithm.
 * @default_effect: enum abac_effect when nothing applies.
 * @defaults: per side and attribute, the default word (0: none).
 * @members: the image's member table.
 * @nmembers: words in it.
 * @obj: the request's object member store, or NULL (set by ref_decide()).
 */
struct ref_policy {
	unsigned int nrules;
	const struct ref_rule *rules;
	unsigned int nlayers;
	unsigned int comb[ABAC_MAX_LAYERS];
	unsigned int default_effect;
	__u64 defaults[ABAC_SIDE_COUNT][ABAC_MAX_ATTRS];
	const __u64 *members;
	__u32 nmembers;
	const struct abac_object *obj;
};

enum { REF_FALSE, REF_TRUE, REF_INDET };

static inline __u64 ref_word(const struct ref_policy *p,
			     const struct abac_request *rq,
			     unsigned int side, unsigned int attr)
{
	const struct abac_attrs *a = NULL;
	__u64 v = 0;

	FUZZ_ASSERT(side < ABAC_SIDE_COUNT && attr < ABAC_MAX_ATTRS);
	if (side == ABAC_SIDE_SUBJECT)
		a = rq->s;
	else if (side == ABAC_SIDE_OBJECT)
		a = rq->o;
	else if (rq->e)
		a = &rq->e->a;
	if (a)
		v = a->v[attr];
	return v ? v : p->defaults[side][attr];
}

static inline int ref_bool(bool b)
{
	return b ? REF_TRUE : REF_FALSE;
}

/* Member @i of open set @h: the member table's, or the object's. */
static inline __u64 ref_set_at(const struct ref_policy *p, __u64 h, __u32 i)
{
	__u32 first = ABAC_SET_FIRST(h), n = ABAC_SET_COUNT(h);

	FUZZ_ASSERT(h & ABAC_SET_BIT);
	if (h & ABAC_SET_OBJ) {
		FUZZ_ASSERT(p->obj && (__u64)first + n <= p->obj->n &&
			    p->obj->n <= ABAC_LABEL_SET_MEMBERS);
		return p->obj->m[first + i];
	}
	FUZZ_ASSERT(n <= ABAC_SET_MEMBERS &&
		    (__u64)first + n <= p->nmembers);
	return p->members[first + i];
}

/* Is @w a member of the open set @h?  The whole run read. */
static inline bool ref_member(const struct ref_policy *p, __u64 h, __u64 w)
{
	__u32 n = ABAC_SET_COUNT(h), i;

	for (i = 0; i < n; i++)
		if (ref_set_at(p, h, i) == w)
			return true;
	return false;
}

/* How many members of set @a (a handle, or @ca when given) are in @b. */
static inline unsigned int ref_common(const struct ref_policy *p, __u64 a,
				      const struct abac_set *ca, __u64 b,
				      unsigned int *na)
{
	unsigned int i, k = 0;

	if (ca) {
		*na = ca->n;
		for (i = 0; i < ca->n; i++)
			k += ref_member(p, b, ca->w[i]);
		return k;
	}
	*na = ABAC_SET_COUNT(a);
	for (i = 0; i < *na; i++)
		k += ref_member(p, b, ref_set_at(p, a, i));
	return k;
}

/* The open-set kinds: @v the left word, @r the right, @cs the constant. */
static inline int ref_set_cond(const struct ref_policy *p,
			       const struct abac_cond *c, __u64 v, __u64 r,
			       const struct abac_set *cs)
{
	unsigned int n, k;

	switch (c->kind) {
	case ABAC_COND_SET_ANY:
		k = ref_common(p, c->mask, cs, v, &n);
		return ref_bool(k > 0);
	case ABAC_COND_SET_ALL:
		k = ref_common(p, c->mask, cs, v, &n);
		return ref_bool(k == n);
	case ABAC_COND_SET_NONE:
		k = ref_common(p, c->mask, cs, v, &n);
		return ref_bool(k == 0);
	case ABAC_COND_REL_IN:
		return ref_bool(ref_member(p, r, v));
	case ABAC_COND_REL_SUBSET:
		k = ref_common(p, v, NULL, r, &n);
		return ref_bool(k == n);
	case ABAC_COND_REL_INTERSECTS:
		k = ref_common(p, v, NULL, r, &n);
		return ref_bool(k > 0);
	case ABAC_COND_IN:
	case ABAC_COND_NOT_IN:
		if (cs) {
			for (n = 0, k = 0; n < cs->n; n++)
				k += cs->w[n] == v;
		} else {
			k = ref_member(p, c->mask, v);
		}
		return ref_bool(c->kind == ABAC_COND_IN ? k > 0 : k == 0);
	}
	FUZZ_ASSERT(!"not an open-set kind");
	return REF_INDET;
}

static inline int ref_cond(const struct ref_policy *p,
			   const struct abac_cond *c,
			   const struct abac_request *rq,
			   const struct abac_set *cs)
{
	__u64 m = c->mask, v, r = 0;
	unsigned int lo, hi, now;
	bool rel = false;

	switch (c->kind) {
	case ABAC_COND_TIME:
		if (!rq->e)
			return REF_FALSE;
		lo = m & 0xffff;
		hi = (m >> 16) & 0xffff;
		now = rq->e->minute;
		if (lo <= hi)
			return ref_bool(lo <= now && now < hi);
		return ref_bool(now >= lo || now < hi);
	case ABAC_COND_DAYS:
		if (!rq->e)
			return REF_FALSE;
		return ref_bool(m & (1ULL << rq->e->wday));
	case ABAC_COND_REL_EQ: case ABAC_COND_REL_NE:
	case ABAC_COND_REL_GE: case ABAC_COND_REL_GT:
	case ABAC_COND_REL_LE: case ABAC_COND_REL_LT:
	case ABAC_COND_REL_CONTAINS:
	case ABAC_COND_REL_IN: case ABAC_COND_REL_SUBSET:
	case ABAC_COND_REL_INTERSECTS:
		rel = true;
		break;
	}
	v = ref_word(p, rq, c->side, c->attr);
	if (c->kind == ABAC_COND_PRESENT)
		return ref_bool(v);
	if (c->kind == ABAC_COND_ABSENT)
		return ref_bool(!v);
	if (rel)
		r = ref_word(p, rq, c->rhs_side, c->rhs);
	if (!v || (rel && !r))
		return REF_INDET;
	switch (c->kind) {
	case ABAC_COND_ANY:		return ref_bool(v & m);
	case ABAC_COND_NONE:		return ref_bool(!(v & m));
	case ABAC_COND_ALL:		return ref_bool((v & m) == m);
	case ABAC_COND_EQ:		return ref_bool(v == m);
	case ABAC_COND_NE:		return ref_bool(v != m);
	case ABAC_COND_GE:		return ref_bool(v >= m);
	case ABAC_COND_GT:		return ref_bool(v > m);
	case ABAC_COND_LE:		return ref_bool(v <= m);
	case ABAC_COND_LT:		return ref_bool(v < m);
	case ABAC_COND_REL_EQ:		return ref_bool(v == r);
	case ABAC_COND_REL_NE:		return ref_bool(v != r);
	case ABAC_COND_REL_GE:		return ref_bool(v >= r);
	case ABAC_COND_REL_GT:		return ref_bool(v > r);
	case ABAC_COND_REL_LE:		return ref_bool(v <= r);
	case ABAC_COND_REL_LT:		return ref_bool(v < r);
	case ABAC_COND_REL_CONTAINS:	return ref_bool((v & r) == r);
	case ABAC_COND_SET_ANY: case ABAC_COND_SET_ALL:
	case ABAC_COND_SET_NONE: case ABAC_COND_REL_IN:
	case ABAC_COND_REL_SUBSET: case ABAC_COND_REL_INTERSECTS:
	case ABAC_COND_IN: case ABAC_COND_NOT_IN:
		return ref_set_cond(p, c, v, r, cs);
	}
	FUZZ_ASSERT(!"a condition of unknown kind got this far");
	return REF_INDET;
}

/* enum abac_outcome of one rule. */
static inline unsigned int ref_rule_outcome(const struct ref_policy *p,
					    const struct ref_rule *r,
					    const struct abac_request *rq)
{
	bool indet = false;
	unsigned int j;
	int cv;

	for (j = 0; j < r->ncond; j++) {
		cv = ref_cond(p, &r->conds[j], rq,
			      r->csets ? &r->csets[j] : NULL);
		if (cv == REF_FALSE)
			return ABAC_OUT_NA;
		indet |= cv == REF_INDET;
	}
	if (indet)
		return ABAC_OUT_INDET;
	return r->effect == ABAC_ALLOW ? ABAC_OUT_PERMIT : ABAC_OUT_DENY;
}

/*
 * One layer: *@rule receives the first rule with the layer's outcome
 * (ABAC_RULE_NONE when not applicable).
 */
static inline unsigned int ref_layer(const struct ref_policy *p,
				     unsigned int layer, unsigned int op,
				     const struct abac_request *rq,
				     __u32 *rule)
{
	static const unsigned int order[ABAC_COMBINE_COUNT][3] = {
		[ABAC_COMBINE_DENY_OVERRIDES] = {
			ABAC_OUT_DENY, ABAC_OUT_INDET, ABAC_OUT_PERMIT },
		[ABAC_COMBINE_PERMIT_OVERRIDES] = {
			ABAC_OUT_PERMIT, ABAC_OUT_INDET, ABAC_OUT_DENY },
	};
	__u32 first[4] = { ABAC_RULE_NONE, ABAC_RULE_NONE, ABAC_RULE_NONE,
			   ABAC_RULE_NONE };
	unsigned int comb = p->comb[layer], i, k, out;

	FUZZ_ASSERT(comb < ABAC_COMBINE_COUNT);
	for (i = 0; i < p->nrules; i++) {
		if (p->rules[i].layer != layer ||
		    !(op < 32 && (p->rules[i].ops & (1U << op))))
			continue;
		out = ref_rule_outcome(p, &p->rules[i], rq);
		if (out == ABAC_OUT_NA)
			continue;
		if (comb == ABAC_COMBINE_FIRST_APPLICABLE) {
			*rule = i;
			return out;
		}
		if (first[out] == ABAC_RULE_NONE)
			first[out] = i;
	}
	*rule = ABAC_RULE_NONE;
	if (comb == ABAC_COMBINE_FIRST_APPLICABLE)
		return ABAC_OUT_NA;
	for (k = 0; k < 3; k++) {
		if (first[order[comb][k]] != ABAC_RULE_NONE) {
			*rule = first[order[comb][k]];
			return order[comb][k];
		}
	}
	return ABAC_OUT_NA;
}

static inline void ref_decide(const struct ref_policy *pol, unsigned int op,
			      const struct abac_request *rq,
			      struct abac_decision *d)
{
	struct ref_policy q = *pol;
	const struct ref_policy *p = &q;
	unsigned int layer, out;
	__u32 rule;

	q.obj = abac_rq_store(rq);

	memset(d, 0, sizeof(*d));
	FUZZ_ASSERT(p->nlayers >= 1 && p->nlayers <= ABAC_MAX_LAYERS);
	d->outcome = ref_layer(p, 0, op, rq, &d->rule);
	for (layer = 1; layer < p->nlayers; layer++) {
		out = ref_layer(p, layer, op, rq, &rule);
		if ((out == ABAC_OUT_DENY || out == ABAC_OUT_INDET) &&
		    (d->outcome == ABAC_OUT_PERMIT ||
		     d->outcome == ABAC_OUT_NA)) {
			d->outcome = out;
			d->rule = rule;
			d->layer = layer;
		}
	}
	switch (d->outcome) {
	case ABAC_OUT_PERMIT:
		d->effect = ABAC_ALLOW;
		d->reason = ABAC_REASON_RULE;
		break;
	case ABAC_OUT_DENY:
		d->effect = ABAC_DENY;
		d->reason = ABAC_REASON_RULE;
		break;
	case ABAC_OUT_INDET:
		d->effect = ABAC_DENY;
		d->reason = ABAC_REASON_INDETERMINATE;
		break;
	default:
		d->effect = p->default_effect == ABAC_ALLOW ? ABAC_ALLOW :
							      ABAC_DENY;
		d->reason = ABAC_REASON_DEFAULT;
		d->rule = ABAC_RULE_NONE;
	}
}

/* The decision the core gave is the reference's, field by field. */
static inline void ref_check(const struct abac_decision *got,
			     const struct abac_decision *want)
{
	FUZZ_ASSERT(got->outcome == want->outcome);
	FUZZ_ASSERT(got->effect == want->effect);
	FUZZ_ASSERT(got->reason == want->reason);
	FUZZ_ASSERT(got->rule == want->rule);
	FUZZ_ASSERT(got->layer == want->layer);
}

#endif /* _ABAC_FUZZ_REF_H */
