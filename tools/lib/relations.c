// SPDX-License-Identifier: GPL-2.0-only
/*
 * Relations between two attributes, "subject.a OP object.b" in a rule's
 * "where:", and the value numbering they impose: a relation compares two
 * words, so the string and set attributes it links must number their
 * values alike (abac_parse_unify_numbering(), run before defaults and
 * aliases are resolved and before any rule is read).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

enum rel_op {
	RO_EQ, RO_NE, RO_GE, RO_GT, RO_LE, RO_LT, RO_CONTAINS, RO_IN,
	RO_SUBSET, RO_INTERSECTS, RO_COUNT
};

static const char *const rel_op_names[RO_COUNT] = {
	"==", "!=", ">=", ">", "<=", "<", "contains", "in", "subset",
	"intersects",
};

#define REL_OPS "== != >= > <= < contains in subset intersects"

static const __u8 rel_op_kind[RO_COUNT] = {
	ABAC_COND_REL_EQ, ABAC_COND_REL_NE, ABAC_COND_REL_GE,
	ABAC_COND_REL_GT, ABAC_COND_REL_LE, ABAC_COND_REL_LT,
	ABAC_COND_REL_CONTAINS, ABAC_COND_REL_IN, ABAC_COND_REL_SUBSET,
	ABAC_COND_REL_INTERSECTS,
};

/**
 * struct rel - one parsed relation.
 * @side, @attr: the left operand.
 * @rside, @rattr: the right operand.
 * @op: enum rel_op.
 */
struct rel {
	unsigned int side, attr, rside, rattr;
	enum rel_op op;
};

/* "side.attr" of @len bytes at @s: the side and attribute, or false. */
static bool parse_ref(const struct abac_policy *p, const char *s, size_t len,
		      unsigned int *side, int *attr, bool *side_ok)
{
	static const char *const sides[] = { "subject", "object", "env" };
	const char *dot = memchr(s, '.', len);
	unsigned int k;

	*side_ok = false;
	*attr = -1;
	if (!dot)
		return false;
	for (k = 0; k < 3; k++)
		if (same_str(sides[k], s, dot - s))
			break;
	if (k == 3 && same_str("environment", s, dot - s))
		k = ABAC_SIDE_ENV;
	if (k == 3)
		return false;
	*side_ok = true;
	*side = k;
	*attr = abac_attr_find(p, k, dot + 1, len - (dot + 1 - s));
	return *attr >= 0;
}

/*
 * Split a relation "A OP B" (tokens separated by blanks).  Returns 0 and
 * fills @r, or -1 after reporting (when @quiet is false) what is wrong.
 */
static int parse_rel(struct pctx *c, const struct ynode *n, struct rel *r,
		     bool quiet)
{
	const char *s = n->s, *tok[4];
	size_t tlen[4], i = 0, nt = 0;
	unsigned int op;
	bool side_ok;
	int attr;
	char q[SHOW_BYTES];

	if (n->kind != YN_SCALAR) {
		if (!quiet)
			perr(c, n, "a relation is a string such as 'subject.department == object.department'");
		return -1;
	}
	while (i < n->len && nt < 4) {
		while (i < n->len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == n->len)
			break;
		tok[nt] = s + i;
		while (i < n->len && s[i] != ' ' && s[i] != '\t')
			i++;
		tlen[nt] = s + i - tok[nt];
		nt++;
	}
	if (nt != 3 || i < n->len) {
		if (!quiet)
			perr(c, n, "relation '%s': expected 'SIDE.ATTR OP SIDE.ATTR' with OP one of " REL_OPS,
			     show(n->s, n->len, q));
		return -1;
	}
	for (op = 0; op < RO_COUNT; op++)
		if (same_str(rel_op_names[op], tok[1], tlen[1]))
			break;
	if (op == RO_COUNT) {
		if (!quiet)
			perr(c, n, "relation '%s': unknown operator '%.*s' (expected one of: " REL_OPS ")",
			     show(n->s, n->len, q), (int)tlen[1], tok[1]);
		return -1;
	}
	r->op = op;
	for (i = 0; i < 3; i += 2) {
		if (!parse_ref(c->p, tok[i], tlen[i], i ? &r->rside : &r->side,
			       &attr, &side_ok)) {
			if (!quiet && !side_ok)
				perr(c, n, "relation '%s': '%.*s' must be subject.NAME, object.NAME or env.NAME",
				     show(n->s, n->len, q), (int)tlen[i],
				     tok[i]);
			else if (!quiet && !c->attrs_bad)
				perr(c, n, "relation '%s': unknown attribute '%.*s'",
				     show(n->s, n->len, q), (int)tlen[i],
				     tok[i]);
			return -1;
		}
		if (i)
			r->rattr = attr;
		else
			r->attr = attr;
	}
	return 0;
}

static bool valued(unsigned int t)
{
	return t == ABAC_TYPE_STRING || t == ABAC_TYPE_SET;
}

/* Give @a and @b one numbering: @a's values, then @b's new ones. */
static int merge_numbering(struct abac_attr_def *a, struct abac_attr_def *b)
{
	char *own[ABAC_MAX_VALUES], *u[ABAC_MAX_VALUES];
	struct abac_attr_def *x[2] = { a, b };
	unsigned int nu = 0, i, j, k, nown;
	bool changed = false;
	int err = 0;

	for (k = 0; k < 2; k++)
		for (i = 0; i < x[k]->nvalues; i++) {
			for (j = 0; j < nu; j++)
				if (!strcmp(u[j], x[k]->values[i]))
					break;
			if (j < nu)
				continue;
			if (nu == ABAC_MAX_VALUES)
				return -E2BIG;
			u[nu++] = x[k]->values[i];
		}
	/* own copies: the lists below are rewritten while @u is read */
	for (i = 0; i < nu; i++) {
		u[i] = strdup(u[i]);
		if (!u[i])
			err = -ENOMEM;
	}
	for (k = 0; !err && k < 2; k++) {
		struct abac_attr_def *t = x[k];
		__u64 legal = 0;

		if (t->nvalues == nu)
			continue;	/* its list is the union already */
		changed = true;
		for (i = 0, nown = 0; i < t->nvalues; i++)
			if (t->legal >> i & 1)
				own[nown++] = t->values[i];
		for (j = 0; j < nu; j++)
			for (i = 0; i < nown; i++)
				if (!strcmp(u[j], own[i]))
					legal |= 1ULL << j;
		for (i = 0; i < nu; i++) {
			char *dup = strdup(u[i]);

			if (!dup) {
				err = -ENOMEM;
				break;
			}
			if (i < t->nvalues)
				free(t->values[i]);
			t->values[i] = dup;
		}
		if (err)
			break;
		t->nvalues = nu;
		t->legal = legal;
	}
	for (i = 0; i < nu; i++)
		free(u[i]);
	return err ? err : changed;
}

/*
 * Relations compare words, so two string or set attributes a relation
 * links must number their values alike: merge their value lists until
 * nothing changes.  Levels must be declared alike (their order is their
 * meaning); that is checked with each relation.
 */
void abac_parse_unify_numbering(struct pctx *c, const struct ynode *rules)
{
	struct abac_attr_def *la, *ra;
	unsigned int n, pass;
	const struct ynode *where;
	struct rel r;
	size_t i, k;
	int ch, any;

	if (!rules || rules->kind != YN_SEQ || c->top)
		return;
	for (pass = 0; pass < 64; pass++) {
		any = 0;
		for (i = 0; i < rules->n; i++) {
			if (rules->kids[i]->kind != YN_MAP)
				continue;
			where = abac_parse_get(rules->kids[i], "where");
			if (!where || where->kind != YN_SEQ)
				continue;
			for (k = 0; k < where->n; k++) {
				if (parse_rel(c, where->kids[k], &r, true))
					continue;
				la = &abac_policy_attrs(c->p, r.side, &n)[r.attr];
				ra = &abac_policy_attrs(c->p, r.rside, &n)[r.rattr];
				if (!valued(la->type) || !valued(ra->type) ||
				    la == ra || la->open || ra->open ||
				    abac_attr_is_enum(la) ||
				    abac_attr_is_enum(ra))
					continue;	/* hashes, numbers */
				ch = merge_numbering(la, ra);
				if (ch < 0) {
					perr(c, where->kids[k], "relation links attributes with more than %d values in all",
					     ABAC_MAX_VALUES);
					return;
				}
				any |= ch;
			}
		}
		if (!any)
			return;
	}
}

static bool same_values(const struct abac_attr_def *a,
			const struct abac_attr_def *b)
{
	unsigned int i;

	if (a->nvalues != b->nvalues)
		return false;
	for (i = 0; i < a->nvalues; i++)
		if (strcmp(a->values[i], b->values[i]))
			return false;
	return true;
}

/* Swap the operands of @r. */
static void rel_swap(struct rel *r)
{
	unsigned int side = r->side, attr = r->attr;

	r->side = r->rside;
	r->attr = r->rattr;
	r->rside = side;
	r->rattr = attr;
}

/*
 * The kinds the core decides, for a relation whose types are checked:
 * on open attributes A contains B is B in A (B a string) or B subset A,
 * and A in B between sets is A subset B; on closed ones (masks) A in B
 * and A subset B are B contains A.
 */
static void rel_normalise(struct rel *r, const struct abac_attr_def *la,
			  const struct abac_attr_def *ra)
{
	if (!la->open) {
		if (r->op == RO_IN || r->op == RO_SUBSET) {
			rel_swap(r);
			r->op = RO_CONTAINS;
		}
		return;
	}
	if (r->op == RO_CONTAINS) {
		rel_swap(r);
		r->op = ra->type == ABAC_TYPE_SET ? RO_SUBSET : RO_IN;
	} else if (r->op == RO_IN && la->type == ABAC_TYPE_SET) {
		r->op = RO_SUBSET;
	}
}

/* One relation of where: into a condition, its types checked. */
bool abac_parse_relation(struct pctx *c, const struct ynode *n,
			 struct abac_rule_cond *out, const char *label)
{
	const struct abac_attr_def *la, *ra;
	unsigned int cnt, lt, rt;
	struct rel r;
	char q[SHOW_BYTES];
	const char *why = NULL;

	if (parse_rel(c, n, &r, false))
		return false;
	la = &abac_policy_attrs(c->p, r.side, &cnt)[r.attr];
	ra = &abac_policy_attrs(c->p, r.rside, &cnt)[r.rattr];
	((struct abac_attr_def *)la)->used = true;
	((struct abac_attr_def *)ra)->used = true;
	lt = la->type;
	rt = ra->type;
	switch (r.op) {
	case RO_EQ:
	case RO_NE:
		if ((lt == ABAC_TYPE_INT) != (rt == ABAC_TYPE_INT) ||
		    (lt == ABAC_TYPE_BOOL) != (rt == ABAC_TYPE_BOOL) ||
		    (lt == ABAC_TYPE_LEVEL) != (rt == ABAC_TYPE_LEVEL))
			why = "compares attributes of different types";
		break;
	case RO_GE:
	case RO_GT:
	case RO_LE:
	case RO_LT:
		if (lt != rt || (lt != ABAC_TYPE_LEVEL && lt != ABAC_TYPE_INT))
			why = "orders only two levels or two ints";
		break;
	case RO_CONTAINS:
		if (lt != ABAC_TYPE_SET || !valued(rt))
			why = "needs a set on the left and a set or string on the right";
		break;
	case RO_IN:
		if (rt != ABAC_TYPE_SET || !valued(lt))
			why = "needs a string or set on the left and a set on the right";
		break;
	default:	/* subset intersects */
		if (lt != ABAC_TYPE_SET || rt != ABAC_TYPE_SET)
			why = "needs a set on either side";
		break;
	}
	if (!why && la->open != ra->open)
		why = "relates an open attribute to a closed one: their words cannot be compared";
	else if (!why && la->open && (r.op == RO_EQ || r.op == RO_NE) &&
		 (lt == ABAC_TYPE_SET || rt == ABAC_TYPE_SET))
		why = "compares open sets: use in, subset or intersects";
	else if (!why && !la->open && r.op == RO_INTERSECTS)
		why = "intersects relates two open sets only yet";
	else if (!why && lt != ABAC_TYPE_INT && !la->open &&
		 !same_values(la, ra))
		why = lt == ABAC_TYPE_LEVEL ?
		      "relates two levels whose values differ (declare them alike)" :
		      "relates attributes whose values cannot be numbered alike";
	if (why) {
		perr(c, n, "%s: relation '%s' %s (%s is %s, %s is %s)", label,
		     show(n->s, n->len, q), why, la->name, abac_type_name(lt),
		     ra->name, abac_type_name(rt));
		return false;
	}
	rel_normalise(&r, la, ra);
	out->side = r.side;
	out->attr = r.attr;
	out->kind = rel_op_kind[r.op];
	out->rhs = r.rattr;
	out->rhs_side = r.rside;
	out->mask = 0;
	out->line = n->line;
	out->column = n->col;
	return true;
}
