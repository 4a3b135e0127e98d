// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rule index (Documentation/scale.rst, "The rule index"): per subject
 * class and operation, the rules that can apply; per object value, the
 * rules of such a list that can apply to it.
 *
 * Tagged subjects whose attribute words are all equal form a class.  A
 * rule is left out of a class's list when one of its conditions that read
 * the subject alone is false for the class's words, as abac_cond_eval()
 * (the kernel's own code) finds it, defaults included; such a rule is
 * NotApplicable for every request of the class, and no combining
 * algorithm nor layer fold looks at a NotApplicable rule, so the decision
 * is the one the scan of the operation's rules gives.  The same holds of
 * a bucket: a rule is left out of bucket b when one of its conditions on
 * the bucket's object attribute alone is false for the word (1 << b),
 * and the decision reads bucket b only when the attribute's word is
 * exactly that.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libabac.h"

/* The defaults of a policy as an image abac_cond_eval() can read. */
#define EVAL_RECORDS	(ABAC_HDR_RECORDS + ABAC_SIDE_COUNT * ABAC_ATTRS_RECORDS)

struct eval_ctx {
	struct abac_rec rec[EVAL_RECORDS];
	struct abac_image img;
	const struct abac_image_hdr *hdr;
};

static void eval_init(struct eval_ctx *ev, const struct abac_policy *p)
{
	struct abac_image_hdr *h = (struct abac_image_hdr *)ev->rec;
	const struct abac_attr_def *a;
	unsigned int side, i, n;
	__u64 *def;

	memset(ev->rec, 0, sizeof(ev->rec));
	h->total_records = EVAL_RECORDS;
	h->defaults_off = ABAC_HDR_RECORDS;
	for (side = 0; side < ABAC_SIDE_COUNT; side++) {
		a = abac_policy_attrs(p, side, &n);
		def = (__u64 *)&ev->rec[ABAC_HDR_RECORDS +
					side * ABAC_ATTRS_RECORDS];
		for (i = 0; i < n && i < ABAC_MAX_ATTRS; i++)
			def[i] = a[i].def;
	}
	ev->img.base = (const __u8 *)ev->rec;
	ev->img.nrec = EVAL_RECORDS;
	ev->hdr = h;
}

/* abac_cond_eval() of a policy's condition. */
static int eval_cond(const struct eval_ctx *ev, const struct abac_rule_cond *in,
		     const struct abac_request *rq)
{
	struct abac_cond c = {
		.side = in->side, .attr = in->attr, .kind = in->kind,
		.rhs = in->rhs, .rhs_side = in->rhs_side, .mask = in->mask,
	};

	return abac_cond_eval(&ev->img, ev->hdr, &c, rq);
}

/* Does the condition read nothing but the subject's attributes? */
static bool subject_only(const struct abac_rule_cond *c)
{
	/*
	 * A condition on an open set reads the member table, which the
	 * image the compiler evaluates in does not hold: never dropped on
	 * it (the rule stays in every list, which is always exact).
	 */
	if (c->kind == ABAC_COND_TIME || c->kind == ABAC_COND_DAYS ||
	    c->side != ABAC_SIDE_SUBJECT || c->kind >= ABAC_COND_SET_ANY)
		return false;
	return !abac_cond_is_relation(c->kind) ||
	       c->rhs_side == ABAC_SIDE_SUBJECT;
}

/*
 * The values b of object attribute @attr (with @nv values) for which a
 * condition of @r on @attr alone is false when its word is (1 << b).
 */
static __u64 false_values(const struct eval_ctx *ev,
			  const struct abac_rule_def *r, unsigned int attr,
			  unsigned int nv)
{
	const struct abac_rule_cond *c;
	struct abac_attrs o = {};
	struct abac_request rq = { .o = &o };
	unsigned int j, b;
	__u64 out = 0;

	for (j = 0; j < r->ncond; j++) {
		c = &r->conds[j];
		if (c->side != ABAC_SIDE_OBJECT || c->attr != attr ||
		    abac_cond_is_relation(c->kind) ||
		    c->kind == ABAC_COND_TIME || c->kind == ABAC_COND_DAYS)
			continue;
		for (b = 0; b < nv; b++) {
			o.v[attr] = 1ULL << b;
			if (eval_cond(ev, c, &rq) == ABAC_CV_FALSE)
				out |= 1ULL << b;
		}
	}
	return out;
}

/* The buckets of an object attribute: its values, when they are bits. */
static unsigned int bucket_values(const struct abac_attr_def *a)
{
	if (a->open || a->nvalues > ABAC_MAX_VALUES ||
	    (a->type != ABAC_TYPE_STRING && a->type != ABAC_TYPE_LEVEL &&
	     a->type != ABAC_TYPE_BOOL))
		return 0;
	return a->nvalues;
}

/**
 * struct ix_build - the index being built.
 * @p: the policy.
 * @ev: its defaults, for abac_cond_eval().
 * @ix: the tables.
 * @ofalse: per rule and column, false_values(); NULL when no attribute
 *	can split a list.
 * @nv: per object attribute, bucket_values().
 * @col: per object attribute with @nv, its column of @ofalse.
 * @ncol: columns of @ofalse.
 * @lcap: entries @ix->list has room for.
 * @bcap: entries @ix->bkt has room for.
 * @oprules: per operation, the rules naming it, in rule order.
 * @nop: entries of each @oprules.
 * @sc: the distinct subject-only conditions of the policy.
 * @nsc: entries in @sc.
 * @cfalse: per entry of @sc, whether it is false for the class at hand.
 * @rc: per rule, where its entries of @rcid start (@rc[nrules]: the end).
 * @rcid: per rule, its subject-only conditions as indexes into @sc.
 */
struct ix_build {
	const struct abac_policy *p;
	struct eval_ctx ev;
	struct abac_rindex *ix;
	__u64 *ofalse;
	unsigned int nv[ABAC_MAX_ATTRS];
	unsigned int col[ABAC_MAX_ATTRS];
	unsigned int ncol;
	size_t lcap, bcap;
	__u32 *oprules[ABAC_OP_COUNT];
	__u32 nop[ABAC_OP_COUNT];
	struct abac_rule_cond *sc;
	size_t nsc;
	bool *cfalse;
	__u32 *rc, *rcid;
};

static __u64 cond_key(const struct abac_rule_cond *c)
{
	__u64 h = ABAC_FNV_OFFSET;

	h = (h ^ ((__u64)c->side << 32 | (__u32)c->attr << 24 |
		  (__u32)c->kind << 16 | (__u32)c->rhs << 8 | c->rhs_side)) *
	    ABAC_FNV_PRIME;
	return (h ^ c->mask) * ABAC_FNV_PRIME;
}

static bool cond_same(const struct abac_rule_cond *a,
		      const struct abac_rule_cond *b)
{
	return a->side == b->side && a->attr == b->attr &&
	       a->kind == b->kind && a->rhs == b->rhs &&
	       a->rhs_side == b->rhs_side && a->mask == b->mask;
}

/*
 * The index of condition @c in @xb->sc, added when new; @slots is an
 * open-addressed table of @size (a power of two) entries, 0 for empty,
 * else index + 1.
 */
static __u32 cond_id(struct ix_build *xb, __u32 *slots, size_t size,
		     const struct abac_rule_cond *c)
{
	size_t k = cond_key(c) & (size - 1);

	for (;; k = (k + 1) & (size - 1)) {
		if (!slots[k]) {
			xb->sc[xb->nsc] = *c;
			slots[k] = ++xb->nsc;
			return slots[k] - 1;
		}
		if (cond_same(&xb->sc[slots[k] - 1], c))
			return slots[k] - 1;
	}
}

/*
 * What every class reads: each operation's rules, and each rule's
 * subject-only conditions as numbers of distinct conditions, so that a
 * class evaluates each distinct condition once, not once a rule.
 */
static int prepare(struct ix_build *xb)
{
	const struct abac_policy *p = xb->p;
	const struct abac_rule_def *r;
	size_t total = 0, size = 2, n;
	unsigned int i, j, op;
	__u32 *slots;

	for (op = 0; op < ABAC_OP_COUNT; op++) {
		xb->oprules[op] = calloc(p->nrules + 1, sizeof(__u32));
		if (!xb->oprules[op])
			return -ENOMEM;
		for (i = 0; i < p->nrules; i++)
			if (p->rules[i].ops & (1U << op))
				xb->oprules[op][xb->nop[op]++] = i;
	}
	for (i = 0; i < p->nrules; i++)
		total += p->rules[i].ncond;
	while (size < 2 * total)
		size *= 2;
	slots = calloc(size, sizeof(*slots));
	xb->sc = calloc(total + 1, sizeof(*xb->sc));
	xb->cfalse = calloc(total + 1, sizeof(*xb->cfalse));
	xb->rc = calloc(p->nrules + 1, sizeof(*xb->rc));
	xb->rcid = calloc(total + 1, sizeof(*xb->rcid));
	if (!slots || !xb->sc || !xb->cfalse || !xb->rc || !xb->rcid) {
		free(slots);
		return -ENOMEM;
	}
	for (i = 0, n = 0; i < p->nrules; i++) {
		r = &p->rules[i];
		xb->rc[i] = n;
		for (j = 0; j < r->ncond; j++)
			if (subject_only(&r->conds[j]))
				xb->rcid[n++] = cond_id(xb, slots, size,
							&r->conds[j]);
	}
	xb->rc[p->nrules] = n;
	free(slots);
	return 0;
}

static void prepare_free(struct ix_build *xb)
{
	unsigned int op;

	for (op = 0; op < ABAC_OP_COUNT; op++)
		free(xb->oprules[op]);
	free(xb->sc);
	free(xb->cfalse);
	free(xb->rc);
	free(xb->rcid);
}

/* Is one of rule @i's subject-only conditions false for the class? */
static bool rule_false(const struct ix_build *xb, __u32 i)
{
	__u32 k;

	for (k = xb->rc[i]; k < xb->rc[i + 1]; k++)
		if (xb->cfalse[xb->rcid[k]])
			return true;
	return false;
}

static int list_push(struct ix_build *xb, __u32 rule)
{
	struct abac_rindex *ix = xb->ix;
	__u32 *n;

	if (ix->nlist == xb->lcap) {
		xb->lcap = xb->lcap ? 2 * xb->lcap : 1024;
		n = realloc(ix->list, xb->lcap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		ix->list = n;
	}
	ix->list[ix->nlist++] = rule;
	return 0;
}

static int bkt_push(struct ix_build *xb, __u32 first, __u32 count)
{
	struct abac_rindex *ix = xb->ix;
	struct abac_op_span *n;

	if (ix->nbkt == xb->bcap) {
		xb->bcap = xb->bcap ? 2 * xb->bcap : 256;
		n = realloc(ix->bkt, xb->bcap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		ix->bkt = n;
	}
	ix->bkt[ix->nbkt].first = first;
	ix->bkt[ix->nbkt].count = count;
	ix->nbkt++;
	return 0;
}

/*
 * The object attribute that splits the list [first, first + count) into
 * the smallest buckets on average, or -1 when none makes them smaller
 * than the list; *@entries receives the entries its buckets hold.
 */
static int best_split(struct ix_build *xb, __u32 first, __u32 count,
		      __u64 *entries)
{
	const struct abac_rindex *ix = xb->ix;
	unsigned int a, nv, best_nv = 1;
	__u64 total, best_total = count;
	__u32 k, rule;
	int best = -1;

	if (!xb->ofalse)
		return -1;
	for (a = 0; a < xb->p->noattrs; a++) {
		nv = xb->nv[a];
		if (!nv)
			continue;
		for (k = 0, total = 0; k < count; k++) {
			rule = ix->list[first + k];
			total += nv - __builtin_popcountll(
				xb->ofalse[(size_t)rule * xb->ncol + xb->col[a]]);
		}
		/* a smaller mean bucket: total / nv < best_total / best_nv */
		if (total * best_nv < best_total * nv) {
			best = (int)a;
			best_total = total;
			best_nv = nv;
		}
	}
	*entries = best_total;
	return best;
}

/* Split the (class, op) list of @co by object attribute @a. */
static int split(struct ix_build *xb, struct abac_cls_op *co, unsigned int a)
{
	struct abac_rindex *ix = xb->ix;
	__u32 k, rule, first;
	unsigned int b;
	int err;

	co->battr = a;
	co->nbkt = xb->nv[a];
	co->bkt = ix->nbkt;
	for (b = 0; b < xb->nv[a]; b++) {
		first = ix->nlist;
		for (k = 0; k < co->count; k++) {
			rule = ix->list[co->first + k];
			if (xb->ofalse[(size_t)rule * xb->ncol + xb->col[a]] >> b & 1)
				continue;
			err = list_push(xb, rule);
			if (err)
				return err;
		}
		err = bkt_push(xb, first, ix->nlist - first);
		if (err)
			return err;
	}
	return 0;
}

/* Records the tables take with @nlist list entries and @nbkt buckets. */
static size_t ix_records(__u32 ncls, size_t nlist, size_t nbkt)
{
	return (size_t)ncls * ABAC_CLS_RECORDS + (nlist + 3) / 4 +
	       (nbkt + 1) / 2;
}

/*
 * Add the lists of the class whose words are @s as class ix->ncls + 1;
 * 1 when they do not fit @budget records (nothing added), 0 when added.
 */
static int add_class(struct ix_build *xb, const struct abac_attrs *s,
		     bool *nf, size_t budget)
{
	const struct abac_policy *p = xb->p;
	const struct abac_request rq = { .s = s };
	struct abac_rindex *ix = xb->ix;
	size_t nlist = ix->nlist, k;
	struct abac_cls_op *co;
	unsigned int i, op;
	int err;

	for (k = 0; k < xb->nsc; k++)
		xb->cfalse[k] = eval_cond(&xb->ev, &xb->sc[k], &rq) ==
				ABAC_CV_FALSE;
	for (i = 0; i < p->nrules; i++)
		nf[i] = !rule_false(xb, i);
	co = &ix->ops[(size_t)ix->ncls * ABAC_CLS_RECORDS];
	memset(co, 0, ABAC_CLS_RECORDS * sizeof(*co));
	for (op = 0; op < ABAC_OP_COUNT; op++) {
		co[op].first = ix->nlist;
		for (k = 0; k < xb->nop[op]; k++) {
			if (!nf[xb->oprules[op][k]])
				continue;
			err = list_push(xb, xb->oprules[op][k]);
			if (err)
				return err;
		}
		co[op].count = ix->nlist - co[op].first;
	}
	if (ix_records(ix->ncls + 1, ix->nlist, ix->nbkt) > budget) {
		ix->nlist = nlist;	/* over the budget: no class */
		return 1;
	}
	ix->ncls++;
	return 0;
}

/*
 * Split the lists longer than ABAC_BUCKET_MIN, class by class, while the
 * buckets fit @budget records: classes first, buckets with what is left.
 */
static int add_buckets(struct ix_build *xb, size_t budget)
{
	struct abac_rindex *ix = xb->ix;
	struct abac_cls_op *co;
	__u64 entries;
	size_t c;
	int a, err;

	for (c = 0; c < (size_t)ix->ncls * ABAC_CLS_RECORDS; c++) {
		co = &ix->ops[c];
		if (co->count <= ABAC_BUCKET_MIN)
			continue;
		a = best_split(xb, co->first, co->count, &entries);
		if (a < 0 || ix_records(ix->ncls, ix->nlist + entries,
					ix->nbkt + xb->nv[a]) > budget)
			continue;
		err = split(xb, co, a);
		if (err)
			return err;
	}
	return 0;
}

/* Precompute false_values() of every rule, when an attribute can split. */
static int object_falses(struct ix_build *xb)
{
	const struct abac_policy *p = xb->p;
	unsigned int i, a;

	for (a = 0; a < p->noattrs && a < ABAC_MAX_ATTRS; a++) {
		xb->nv[a] = bucket_values(&p->oattrs[a]);
		if (xb->nv[a])
			xb->col[a] = xb->ncol++;
	}
	if (!xb->ncol)
		return 0;
	xb->ofalse = calloc((size_t)p->nrules * xb->ncol + 1,
			    sizeof(*xb->ofalse));
	if (!xb->ofalse)
		return -ENOMEM;
	for (i = 0; i < p->nrules; i++)
		for (a = 0; a < p->noattrs; a++)
			if (xb->nv[a])
				xb->ofalse[(size_t)i * xb->ncol + xb->col[a]] =
					false_values(&xb->ev, &p->rules[i], a,
						     xb->nv[a]);
	return 0;
}

static const struct abac_attrs *const *sort_base;

static int attrs_cmp(const void *x, const void *y)
{
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int c = memcmp(sort_base[i], sort_base[j], sizeof(**sort_base));

	return c ? c : (i > j) - (i < j);
}

/**
 * abac_rindex_build() - the rule index of a policy and its subjects.
 * @p: the policy.
 * @subj: the subjects' attribute words, merged as the image holds them.
 * @nsubj: entries in @subj.
 * @budget: records the tables may take (at most ABAC_INDEX_RECORDS).
 * @cls: receives each subject's class, 1 to @ix->ncls, or
 *	ABAC_CLASS_NONE when the index had no room for it.
 * @ix: receives the tables; abac_rindex_free() it.
 *
 * Classes are numbered in the order of their words, so the same policy and
 * subjects give the same index.  Classes get their lists first, in that
 * order, until the next would not fit @budget; then lists are split into
 * buckets while those fit.
 *
 * Return: 0, or -ENOMEM.
 */
int abac_rindex_build(const struct abac_policy *p,
		      const struct abac_attrs *const *subj, size_t nsubj,
		      size_t budget, __u16 *cls, struct abac_rindex *ix)
{
	struct ix_build xb = { .p = p, .ix = ix };
	size_t *order = NULL, i;
	bool *nf = NULL, full = false;
	int err = -ENOMEM;

	memset(ix, 0, sizeof(*ix));
	memset(cls, 0, nsubj * sizeof(*cls));
	if (!nsubj || !p->nrules)
		return 0;
	eval_init(&xb.ev, p);
	order = calloc(nsubj, sizeof(*order));
	nf = calloc(p->nrules, sizeof(*nf));
	ix->ops = calloc(nsubj * ABAC_CLS_RECORDS, sizeof(*ix->ops));
	if (!order || !nf || !ix->ops || prepare(&xb) || object_falses(&xb))
		goto out;
	for (i = 0; i < nsubj; i++)
		order[i] = i;
	sort_base = subj;
	qsort(order, nsubj, sizeof(*order), attrs_cmp);
	for (i = 0; i < nsubj && !full; i++) {
		if (i && !memcmp(subj[order[i]], subj[order[i - 1]],
				 sizeof(**subj))) {
			cls[order[i]] = cls[order[i - 1]];
			continue;
		}
		err = add_class(&xb, subj[order[i]], nf, budget);
		if (err < 0)
			goto out;
		full = err > 0;
		if (!full)
			cls[order[i]] = ix->ncls;
	}
	err = add_buckets(&xb, budget);
out:
	free(order);
	free(nf);
	free(xb.ofalse);
	prepare_free(&xb);
	return err;
}

/**
 * abac_rindex_free() - free the tables of a rule index.
 * @ix: the index.
 */
void abac_rindex_free(struct abac_rindex *ix)
{
	free(ix->ops);
	free(ix->list);
	free(ix->bkt);
	memset(ix, 0, sizeof(*ix));
}
