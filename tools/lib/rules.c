// SPDX-License-Identifier: GPL-2.0-only
/*
 * Rules: the "rules:" list of a policy, each into a struct abac_rule_def
 * with its operations, effect, sentence and conditions (subject:, object:,
 * env: and where:), every value checked against the schema.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

static const char *const op_names[ABAC_OP_COUNT] = {
	[ABAC_OP_READ] = "read",
	[ABAC_OP_WRITE] = "write",
	[ABAC_OP_EXEC] = "exec",
	[ABAC_OP_CREATE] = "create",
	[ABAC_OP_DELETE] = "delete",
	[ABAC_OP_RELABEL] = "relabel",
	[ABAC_OP_CONNECT] = "connect",
	[ABAC_OP_BIND] = "bind",
	[ABAC_OP_LISTEN] = "listen",
	[ABAC_OP_ADMINISTER] = "administer",
};

/**
 * abac_op_name() - the policy-language name of an operation.
 * @op: enum abac_op.
 *
 * Return: "read", "write", ... or "unknown".
 */
const char *abac_op_name(unsigned int op)
{
	return op < ABAC_OP_COUNT ? op_names[op] : "unknown";
}

/**
 * abac_op_from_name() - the operation a name stands for.
 * @name: "read", "write", ...
 *
 * Return: enum abac_op, or -1 when @name names no operation.
 */
int abac_op_from_name(const char *name)
{
	unsigned int i;

	for (i = 0; name && i < ABAC_OP_COUNT; i++)
		if (!strcmp(name, op_names[i]))
			return i;
	return -1;
}

/**
 * struct rule_ctx - what the parsers of one rule share.
 * @r: the rule being filled.
 * @label: "rule 'id'" or "rule #N", for messages.
 * @where: " in rule 'id'".
 */
struct rule_ctx {
	struct abac_rule_def *r;
	char label[96];
	char where[104];
};

/*
 * Is @n a @kind, as the rule's field @field must be?  Else report it,
 * naming the field and the rule.  The message is formatted only then: a
 * policy of 100,000 rules formatted it 300,000 times for nothing.
 */
static bool expect_in(struct pctx *c, const struct ynode *n,
		      enum ynode_kind kind, const char *field,
		      const struct rule_ctx *rc)
{
	char what[128];

	if (n->kind == kind)
		return true;
	snprintf(what, sizeof(what), "'%s'%s", field, rc->where);
	return abac_parse_expect(c, n, kind, what);
}

/* The next free condition of the rule, or NULL after reporting. */
static struct abac_rule_cond *cond_new(struct pctx *c, const struct ynode *n,
				       struct rule_ctx *rc)
{
	if (rc->r->ncond == ABAC_MAX_CONDS) {
		perr(c, n, "%s: more than %d conditions (ABAC_MAX_CONDS)", rc->label,
		     ABAC_MAX_CONDS);
		return NULL;
	}
	return &rc->r->conds[rc->r->ncond];
}

static void cond_add(struct pctx *c, const struct ynode *n,
		     struct rule_ctx *rc, unsigned int side, unsigned int attr,
		     unsigned int kind, __u64 mask)
{
	struct abac_rule_cond *k = cond_new(c, n, rc);

	if (!k)
		return;
	k->side = side;
	k->attr = attr;
	k->kind = kind;
	k->mask = mask;
	k->line = n->line;
	k->column = n->col;
	rc->r->ncond++;
}

static __u64 value_word(struct pctx *c, const struct ynode *v,
			const struct abac_attr_def *a, unsigned int side,
			const struct rule_ctx *rc);

/* A fingerprint of a constant set's members: equal sets, equal masks. */
static __u64 set_fingerprint(const struct abac_set *m)
{
	__u64 h = ABAC_FNV_OFFSET;
	unsigned int i, k;

	for (i = 0; i < m->n; i++)
		for (k = 0; k < 8; k++)
			h = abac_hash_byte(h, (__u8)(m->w[i] >> (8 * k)));
	return h ? h : 1;
}

/*
 * Sort @m (the condition's constants), then add the condition of @kind
 * holding it; @m is the condition's from then on, or freed on an error.
 */
static void set_cond_add(struct pctx *c, const struct ynode *key,
			 const struct ynode *v, struct rule_ctx *rc,
			 unsigned int side, unsigned int attr,
			 unsigned int kind, struct abac_set *m)
{
	char err[2 * ABAC_VALUE_MAX + 96];
	struct abac_rule_cond *k;

	if (abac_set_sort(m, err, sizeof(err))) {
		perr(c, v, "%s: %s", rc->label, err);
		goto free_set;
	}
	k = cond_new(c, key, rc);
	if (!k)
		goto free_set;
	cond_add(c, key, rc, side, attr, kind, set_fingerprint(m));
	k->set = *m;
	return;
free_set:
	abac_set_free(m);
}

/*
 * A condition of kind @kind on open set @a against the constant members
 * @v (one value or a list), their texts as YAML gives them.
 */
static void set_cond(struct pctx *c, const struct ynode *key,
		     const struct ynode *v, const struct abac_attr_def *a,
		     unsigned int side, unsigned int attr, unsigned int kind,
		     struct rule_ctx *rc)
{
	struct abac_set m = { 0 };
	size_t i, n = v->kind == YN_SEQ ? v->n : 1;
	const struct ynode *x;

	if (v->kind == YN_SEQ && !v->n) {
		perr(c, v, "%s: empty list of values for %s attribute '%s'",
		     rc->label, side_name(side), a->name);
		return;
	}
	if (n > ABAC_SET_MEMBERS) {
		perr(c, v, "%s: more than %d values for open set '%s' (ABAC_SET_MEMBERS)",
		     rc->label, ABAC_SET_MEMBERS, a->name);
		return;
	}
	for (i = 0; i < n; i++) {
		x = v->kind == YN_SEQ ? v->kids[i] : v;
		if (!value_word(c, x, a, side, rc))
			goto free_set;
		if (abac_set_add(&m, x->s, x->len)) {
			perr(c, x, "out of memory");
			goto free_set;
		}
	}
	set_cond_add(c, key, v, rc, side, attr, kind, &m);
	return;
free_set:
	abac_set_free(&m);
}

/*
 * A list of constants on an open string or a large enumeration: kind
 * ABAC_COND_IN (@kind) or ABAC_COND_NOT_IN, the words a sorted run of the
 * member table searched by the decision, any length up to ABAC_MAX_LIST.
 */
static void list_cond(struct pctx *c, const struct ynode *key,
		      const struct ynode *v, const struct abac_attr_def *a,
		      unsigned int side, unsigned int attr, unsigned int kind,
		      struct rule_ctx *rc)
{
	struct abac_set m = { 0 };
	char q[SHOW_BYTES];
	const struct ynode *x;
	const char *text;
	unsigned int before, j;
	size_t i;
	__u64 w;

	if (!v->n) {
		perr(c, v, "%s: empty list of values for %s attribute '%s'",
		     rc->label, side_name(side), a->name);
		return;
	}
	if (v->n > ABAC_MAX_LIST) {
		perr(c, v, "%s: %u values in one list for %s attribute '%s', more than %d (ABAC_MAX_LIST)",
		     rc->label, v->n, side_name(side), a->name,
		     ABAC_MAX_LIST);
		return;
	}
	for (i = 0; i < v->n; i++) {
		x = v->kids[i];
		w = value_word(c, x, a, side, rc);
		if (!w)
			goto free_set;
		/* a large enumeration's value by its name, not an alias */
		text = a->open ? x->s : a->values[w - 1];
		before = m.n;
		if (abac_set_add_word(&m, text, strlen(text), w)) {
			perr(c, x, "out of memory");
			goto free_set;
		}
		for (j = 0; j < before; j++)
			if (m.w[j] == w) {
				pwarn(c, x, "%s: value '%s' listed twice",
				      rc->label, show(x->s, x->len, q));
				break;
			}
	}
	set_cond_add(c, key, v, rc, side, attr, kind, &m);
	return;
free_set:
	abac_set_free(&m);
}

/*
 * Keep a value a condition names for open attribute @a with its declared
 * ones: it is checked for collisions and shown by name (explain, show).
 */
static void open_text_note(struct pctx *c, const struct ynode *v,
			   struct abac_attr_def *a)
{
	unsigned int i;

	for (i = 0; i < a->nvalues; i++)
		if (!strcmp(a->values[i], v->s))
			return;
	if (a->nvalues == ABAC_MAX_VALUES)
		return;	/* shown by its hash; still decided alike */
	a->values[a->nvalues] = strdup(v->s);
	if (!a->values[a->nvalues]) {
		perr(c, v, "out of memory");
		return;
	}
	a->legal |= 1ULL << a->nvalues;
	a->nvalues++;
}

/* The word of scalar @v for attribute @a, or 0 after reporting. */
static __u64 value_word(struct pctx *c, const struct ynode *v,
			const struct abac_attr_def *a, unsigned int side,
			const struct rule_ctx *rc)
{
	char err[256];
	__u64 w;

	if (!abac_parse_expect(c, v, YN_SCALAR, "a value") || is_null(v)) {
		if (v->kind == YN_SCALAR)
			perr(c, v, "%s: null is not a value of %s attribute '%s'",
			     rc->label, side_name(side), a->name);
		return 0;
	}
	if (abac_attr_value_word(a, v->s, v->len, &w, err, sizeof(err))) {
		/* a value may hold a comma; else it means a list */
		if (a->type != ABAC_TYPE_INT && memchr(v->s, ',', v->len))
			perr(c, v, "%s: write several values as a list [a, b]",
			     rc->label);
		else if (!c->attrs_bad)
			perr(c, v, "%s", err);
		return 0;
	}
	if (a->open && a->type != ABAC_TYPE_SET)
		open_text_note(c, v, (struct abac_attr_def *)a);
	return w;
}

/* A scalar or a list of values: the OR of their bits (not for ints). */
static __u64 value_mask(struct pctx *c, const struct ynode *v,
			const struct abac_attr_def *a, unsigned int side,
			const struct rule_ctx *rc)
{
	char q[SHOW_BYTES];
	__u64 mask = 0, w;
	size_t i;

	if (a->type == ABAC_TYPE_INT) {
		perr(c, v, "%s: int attribute '%s' takes one number here; use {gte: N, lte: M} for a range",
		     rc->label, a->name);
		return 0;
	}
	if (v->kind != YN_SEQ)
		return value_word(c, v, a, side, rc);
	if (a->open) {
		perr(c, v, "%s: a list of values of open %s attribute '%s' is not supported yet: write one rule per value",
		     rc->label, side_name(side), a->name);
		return 0;
	}
	if (!v->n) {
		perr(c, v, "%s: empty list of values for %s attribute '%s'",
		     rc->label, side_name(side), a->name);
		return 0;
	}
	for (i = 0; i < v->n; i++) {
		w = value_word(c, v->kids[i], a, side, rc);
		if (!w)
			return 0;
		if (w & mask)
			pwarn(c, v->kids[i], "%s: value '%s' listed twice",
			      rc->label,
			      show(v->kids[i]->s, v->kids[i]->len, q));
		mask |= w;
	}
	return mask;
}

/* The bits of a level at or above (@ge) / strictly above / ... value @w. */
static __u64 level_mask(__u64 w, const char *op, unsigned int nvalues)
{
	__u64 all = nvalues >= 64 ? ~0ULL : (1ULL << nvalues) - 1;

	if (!strcmp(op, "gte"))
		return all & ~(w - 1);
	if (!strcmp(op, "gt"))
		return all & ~(w | (w - 1));
	if (!strcmp(op, "lte"))
		return w | (w - 1);
	return w - 1;	/* lt */
}

/* One operator of a {op: value} condition form. */
static void cond_op(struct pctx *c, const struct ynode *key,
		    const struct ynode *v, const struct abac_attr_def *a,
		    unsigned int side, unsigned int attr, struct rule_ctx *rc)
{
	static const char *const ops[] = {
		"not", "present", "gte", "lte", "gt", "lt", "contains",
	};
	static const __u8 int_kind[] = {
		[2] = ABAC_COND_GE, [3] = ABAC_COND_LE, [4] = ABAC_COND_GT,
		[5] = ABAC_COND_LT,
	};
	const char *tn = abac_type_name(a->type);
	int op = abac_parse_enum(c, key, "condition operator", ops, ARRAY_SIZE(ops));
	__u64 w;

	if (op < 0)
		return;
	if (a->open && a->type == ABAC_TYPE_SET && (op == 0 || op == 6)) {
		/* none of them; every one of them */
		set_cond(c, key, v, a, side, attr,
			 op ? ABAC_COND_SET_ALL : ABAC_COND_SET_NONE, rc);
		return;
	}
	switch (op) {
	case 0:	/* not */
		if ((a->open || abac_attr_is_enum(a)) && v->kind == YN_SEQ) {
			/* none of them: not in the list */
			list_cond(c, key, v, a, side, attr, ABAC_COND_NOT_IN,
				  rc);
			return;
		}
		if (a->type == ABAC_TYPE_INT || a->open ||
		    abac_attr_is_enum(a)) {
			w = value_word(c, v, a, side, rc);
			if (w)
				cond_add(c, key, rc, side, attr, ABAC_COND_NE, w);
			return;
		}
		w = value_mask(c, v, a, side, rc);
		if (w)
			cond_add(c, key, rc, side, attr, ABAC_COND_NONE, w);
		return;
	case 1:	/* present */
		if (v->kind != YN_SCALAR || (!scalar_is(v, "true") &&
					     !scalar_is(v, "false"))) {
			perr(c, v, "%s: 'present' takes true or false",
			     rc->label);
			return;
		}
		cond_add(c, key, rc, side, attr,
			 scalar_is(v, "true") ? ABAC_COND_PRESENT :
						ABAC_COND_ABSENT, 0);
		return;
	case 6:	/* contains */
		if (a->type != ABAC_TYPE_SET) {
			perr(c, key, "%s: 'contains' needs a set attribute; %s attribute '%s' is a %s",
			     rc->label, side_name(side), a->name, tn);
			return;
		}
		w = value_mask(c, v, a, side, rc);
		if (w)
			cond_add(c, key, rc, side, attr, ABAC_COND_ALL, w);
		return;
	default: /* gte lte gt lt */
		if (a->type != ABAC_TYPE_INT && a->type != ABAC_TYPE_LEVEL) {
			perr(c, key, "%s: '%s' orders a level or an int; %s attribute '%s' is a %s",
			     rc->label, ops[op], side_name(side), a->name, tn);
			return;
		}
		w = value_word(c, v, a, side, rc);
		if (!w)
			return;
		if (a->type == ABAC_TYPE_INT || abac_attr_is_enum(a)) {
			/* a large level's word orders as the level does */
			cond_add(c, key, rc, side, attr, int_kind[op], w);
			return;
		}
		w = level_mask(w, ops[op], a->nvalues);
		if (!w) {
			perr(c, key, "%s: no value of level '%s' is %s %s",
			     rc->label, a->name, ops[op], v->s);
			return;
		}
		cond_add(c, key, rc, side, attr, ABAC_COND_ANY, w);
		return;
	}
}

static const char *const day_names[7] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat",
};

/* "HH:MM" at @s: minutes, or -1. */
static int hhmm(const char *s)
{
	if (s[0] < '0' || s[0] > '2' || s[1] < '0' || s[1] > '9' ||
	    s[2] != ':' || s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -1;
	int h = (s[0] - '0') * 10 + s[1] - '0';
	int m = (s[3] - '0') * 10 + s[4] - '0';

	if (h > 24 || (h == 24 && m))
		return -1;
	return h * 60 + m;
}

/* env time: "HH:MM-HH:MM", the end excluded; an end before the start wraps. */
static void cond_time(struct pctx *c, const struct ynode *v,
		      struct rule_ctx *rc)
{
	char q[SHOW_BYTES];
	int lo, hi;

	if (!abac_parse_expect(c, v, YN_SCALAR, "'time'"))
		return;
	if (v->len != 11 || v->s[5] != '-' || (lo = hhmm(v->s)) < 0 ||
	    (hi = hhmm(v->s + 6)) < 0 || lo == hi) {
		perr(c, v, "%s: time '%s' must be HH:MM-HH:MM (24-hour clock, end excluded, start and end different)",
		     rc->label, show(v->s, v->len, q));
		return;
	}
	cond_add(c, v, rc, ABAC_SIDE_ENV, 0, ABAC_COND_TIME,
		 (__u64)lo | (__u64)hi << 16);
}

static void cond_days(struct pctx *c, const struct ynode *v,
		      struct rule_ctx *rc)
{
	__u64 mask = 0;
	size_t i;
	int d;

	if (!abac_parse_expect(c, v, YN_SEQ, "'days'"))
		return;
	if (!v->n) {
		perr(c, v, "%s: days must not be empty", rc->label);
		return;
	}
	for (i = 0; i < v->n; i++) {
		d = abac_parse_enum(c, v->kids[i], "day", day_names, 7);
		if (d >= 0)
			mask |= 1ULL << d;
	}
	if (mask)
		cond_add(c, v, rc, ABAC_SIDE_ENV, 0, ABAC_COND_DAYS, mask);
}

/* One "attr: value" of a subject:, object: or env: mapping. */
static void parse_cond(struct pctx *c, const struct ynode *key,
		       const struct ynode *v, unsigned int side,
		       struct rule_ctx *rc)
{
	struct abac_attr_def *attrs, *a;
	const char *names[ABAC_MAX_ATTRS + 2];
	char what[64];
	unsigned int n, i;
	int attr;
	__u64 w;
	size_t k;

	if (side == ABAC_SIDE_ENV && scalar_is(key, "time")) {
		cond_time(c, v, rc);
		return;
	}
	if (side == ABAC_SIDE_ENV && scalar_is(key, "days")) {
		cond_days(c, v, rc);
		return;
	}
	attrs = abac_policy_attrs(c->p, side, &n);
	attr = abac_attr_find(c->p, side, key->s, key->len);
	if (attr < 0) {
		for (i = 0; i < n; i++)
			names[i] = attrs[i].name;
		if (side == ABAC_SIDE_ENV) {
			names[n++] = "time";
			names[n++] = "days";
		}
		snprintf(what, sizeof(what), "%s attribute", side_name(side));
		if (!c->attrs_bad)
			abac_parse_unknown(c, key, what, rc->where, names, n);
		return;
	}
	a = &attrs[attr];
	a->used = true;
	if (is_null(v)) {
		perr(c, v, "%s: expected a value, a list or {operator: value} for %s attribute '%s', found null",
		     rc->label, side_name(side), a->name);
		return;
	}
	if (v->kind == YN_MAP) {
		if (!v->n)
			perr(c, v, "%s: empty condition for %s attribute '%s'",
			     rc->label, side_name(side), a->name);
		for (k = 0; k + 1 < v->n; k += 2)
			if (!v->kids[k]->dup)
				cond_op(c, v->kids[k], v->kids[k + 1], a, side,
					attr, rc);
		return;
	}
	if (a->open && a->type == ABAC_TYPE_SET) {
		/* a list: any of them; one value: the set contains it */
		set_cond(c, key, v, a, side, attr,
			 v->kind == YN_SEQ ? ABAC_COND_SET_ANY :
					     ABAC_COND_SET_ALL, rc);
		return;
	}
	if (v->kind == YN_SEQ && (a->open || abac_attr_is_enum(a))) {
		/* any of a list: a member of the constant set */
		list_cond(c, key, v, a, side, attr, ABAC_COND_IN, rc);
		return;
	}
	if (v->kind == YN_SEQ) {
		w = value_mask(c, v, a, side, rc);
		if (w)
			cond_add(c, key, rc, side, attr, ABAC_COND_ANY, w);
		return;
	}
	w = value_word(c, v, a, side, rc);
	if (!w)
		return;
	/*
	 * equals: a set contains the value, an int is the number, an open
	 * value's word is its hash
	 */
	cond_add(c, key, rc, side, attr,
		 a->type == ABAC_TYPE_SET ? ABAC_COND_ALL :
		 a->type == ABAC_TYPE_INT || a->open || abac_attr_is_enum(a) ?
		 ABAC_COND_EQ :
		 ABAC_COND_ANY, w);
}

/* subject: {...}, object: {...} or env: {...} of a rule. */
static void parse_conds(struct pctx *c, const struct ynode *n,
			unsigned int side, struct rule_ctx *rc)
{
	size_t i;

	if (!expect_in(c, n, YN_MAP, side_name(side), rc))
		return;
	for (i = 0; i + 1 < n->n; i += 2)
		if (!n->kids[i]->dup)
			parse_cond(c, n->kids[i], n->kids[i + 1], side, rc);
}

/* where: [relation, ...] (or one relation). */
static void parse_where(struct pctx *c, const struct ynode *n,
			struct rule_ctx *rc)
{
	struct abac_rule_cond *k;
	size_t i, cnt = n->kind == YN_SEQ ? n->n : 1;

	if (n->kind == YN_MAP) {
		perr(c, n, "%s: 'where' is a list of relations", rc->label);
		return;
	}
	for (i = 0; i < cnt; i++) {
		const struct ynode *r = n->kind == YN_SEQ ? n->kids[i] : n;

		k = cond_new(c, r, rc);
		if (!k)
			return;
		if (abac_parse_relation(c, r, k, rc->label))
			rc->r->ncond++;
	}
}

static void parse_ops(struct pctx *c, const struct ynode *n,
		      struct rule_ctx *rc)
{
	char q[SHOW_BYTES];
	size_t i;
	int op;

	if (!expect_in(c, n, YN_SEQ, "ops", rc))
		return;
	if (!n->n) {
		perr(c, n, "%s: ops must not be empty", rc->label);
		return;
	}
	for (i = 0; i < n->n; i++) {
		const struct ynode *v = n->kids[i];

		op = abac_parse_enum(c, v, "operation", op_names, ABAC_OP_COUNT);
		if (op < 0)
			continue;
		if (rc->r->ops & (1U << op))
			pwarn(c, v, "%s: operation '%s' listed twice",
			      rc->label, show(v->s, v->len, q));
		rc->r->ops |= 1U << op;
	}
}

static void parse_nlp(struct pctx *c, const struct ynode *n,
		      struct rule_ctx *rc)
{
	size_t i;

	if (!expect_in(c, n, YN_SCALAR, "nlp", rc))
		return;
	for (i = 0; i < n->len; i++)
		if (n->s[i] != ' ' && n->s[i] != '\t' && n->s[i] != '\n')
			break;
	if (i == n->len || is_null(n)) {
		perr(c, n, "%s: nlp must not be empty", rc->label);
		return;
	}
	if (memchr(n->s, '\0', n->len)) {
		perr(c, n, "%s: nlp holds a NUL character", rc->label);
		return;
	}
	rc->r->nlp = strdup(n->s);
	if (!rc->r->nlp)
		perr(c, n, "out of memory");
}

/*
 * id: a valid name, unique among the rules before.  The ids seen are kept
 * in an open-addressed table (c->id_slots, sized by abac_parse_rules() for
 * every rule), so that a policy of a million rules is not a million
 * squared comparisons.
 */
static void parse_id(struct pctx *c, const struct ynode *n,
		     struct rule_ctx *rc, unsigned int idx)
{
	struct abac_rule_def *rules = c->p->rules;
	const char *s;
	__u64 h = ABAC_FNV_OFFSET;
	size_t slot;
	unsigned int i;

	if (!abac_parse_name(c, n, "rule id", &rc->r->id))
		return;
	if (!c->id_slots)
		return;
	for (s = rc->r->id; *s; s++)
		h = abac_hash_byte(h, *s);
	for (slot = h & c->id_mask; c->id_slots[slot];
	     slot = (slot + 1) & c->id_mask) {
		i = c->id_slots[slot] - 1;
		if (!strcmp(rules[i].id, rc->r->id)) {
			perr(c, n, "duplicate rule id '%s' (first at line %u)",
			     rc->r->id, rules[i].line);
			return;
		}
	}
	c->id_slots[slot] = idx + 1;
}

enum {
	R_ID, R_NLP, R_EFFECT, R_OPS, R_SUBJECT, R_OBJECT, R_ENV, R_WHERE,
	R_COUNT
};

static const struct key_spec rule_keys[R_COUNT] = {
	[R_ID] = { "id", true },
	[R_NLP] = { "nlp", true },
	[R_EFFECT] = { "effect", true },
	[R_OPS] = { "ops", true },
	[R_SUBJECT] = { "subject", false },
	[R_OBJECT] = { "object", false },
	[R_ENV] = { "env", false },
	[R_WHERE] = { "where", false },
};

const char *const abac_effect_names[2] = {
	[ABAC_DENY] = "deny",
	[ABAC_ALLOW] = "allow",
};

static void parse_rule(struct pctx *c, const struct ynode *n,
		       unsigned int idx)
{
	const struct ynode *vals[R_COUNT], *id;
	struct rule_ctx rc = { .r = &c->p->rules[idx] };
	struct abac_rule_cond conds[ABAC_MAX_CONDS] = { { 0 } };
	char q[SHOW_BYTES];
	int effect;

	rc.r->line = n->line;
	rc.r->column = n->col;
	rc.r->file = c->p->file;
	snprintf(rc.label, sizeof(rc.label), "rule #%u", idx + 1);
	if (!abac_parse_expect(c, n, YN_MAP, rc.label))
		return;
	rc.r->conds = conds;	/* kept at its size below */
	id = abac_parse_get(n, "id");
	if (id && id->kind == YN_SCALAR && abac_name_valid(id->s, id->len))
		snprintf(rc.label, sizeof(rc.label), "rule '%s'",
			 show(id->s, id->len, q));
	snprintf(rc.where, sizeof(rc.where), " in %s", rc.label);
	abac_parse_fields(c, n, rule_keys, R_COUNT, vals, rc.where);
	if (vals[R_ID])
		parse_id(c, vals[R_ID], &rc, idx);
	if (vals[R_NLP])
		parse_nlp(c, vals[R_NLP], &rc);
	if (vals[R_EFFECT]) {
		effect = abac_parse_enum(c, vals[R_EFFECT], "effect", abac_effect_names, 2);
		rc.r->effect = effect == ABAC_ALLOW ? ABAC_ALLOW : ABAC_DENY;
	}
	if (vals[R_OPS])
		parse_ops(c, vals[R_OPS], &rc);
	if (vals[R_SUBJECT])
		parse_conds(c, vals[R_SUBJECT], ABAC_SIDE_SUBJECT, &rc);
	if (vals[R_OBJECT])
		parse_conds(c, vals[R_OBJECT], ABAC_SIDE_OBJECT, &rc);
	if (vals[R_ENV])
		parse_conds(c, vals[R_ENV], ABAC_SIDE_ENV, &rc);
	if (vals[R_WHERE])
		parse_where(c, vals[R_WHERE], &rc);
	/*
	 * Room for ABAC_MAX_CONDS while parsing, then only what the rule
	 * has: 384 bytes a rule, 38 MB at 100,000 rules, were mostly empty.
	 */
	rc.r->conds = malloc((rc.r->ncond ? rc.r->ncond : 1) * sizeof(conds[0]));
	if (!rc.r->conds) {
		rc.r->ncond = 0;
		perr(c, n, "out of memory");
		return;
	}
	memcpy(rc.r->conds, conds, rc.r->ncond * sizeof(conds[0]));
}

void abac_parse_rules(struct pctx *c, const struct ynode *n)
{
	struct abac_policy *p = c->p;
	size_t i;

	if (!abac_parse_expect(c, n, YN_SEQ, "'rules'"))
		return;
	if (n->n > ABAC_MAX_RULES) {
		perr(c, n->kids[ABAC_MAX_RULES], "more than %d rules",
		     ABAC_MAX_RULES);
		return;
	}
	p->rules = calloc(n->n + 1, sizeof(*p->rules));
	for (c->id_mask = 1; c->id_mask < 2 * n->n; c->id_mask <<= 1)
		;
	c->id_slots = calloc(c->id_mask, sizeof(*c->id_slots));
	c->id_mask--;
	if (!p->rules || !c->id_slots) {
		perr(c, n, "out of memory");
		goto free_ids;
	}
	for (i = 0; i < n->n && !c->stop; i++) {
		parse_rule(c, n->kids[i], i);
		p->nrules++;
	}
free_ids:
	free(c->id_slots);
	c->id_slots = NULL;
}

/**
 * abac_parse_rule_part() - parse one part of a rule-like entry (a
 * capability grant, grants.c) into @r, as a rule's own would be.
 * @c: the parser.
 * @n: the part's value.
 * @part: "nlp", or "subject" for its subject conditions.
 * @r: the entry; @r->conds has room for ABAC_MAX_CONDS.
 * @label: how messages name the entry ("grant 'id'").
 */
void abac_parse_rule_part(struct pctx *c, const struct ynode *n,
			  const char *part, struct abac_rule_def *r,
			  const char *label)
{
	struct rule_ctx rc = { .r = r };

	snprintf(rc.label, sizeof(rc.label), "%s", label);
	snprintf(rc.where, sizeof(rc.where), " in %s", label);
	if (!strcmp(part, "nlp"))
		parse_nlp(c, n, &rc);
	else
		parse_conds(c, n, ABAC_SIDE_SUBJECT, &rc);
}

/**
 * abac_rule_conds_free() - release a rule's conditions and their sets.
 * @r: the rule.
 */
void abac_rule_conds_free(struct abac_rule_def *r)
{
	unsigned int i;

	for (i = 0; r->conds && i < r->ncond; i++)
		abac_set_free(&r->conds[i].set);
	free(r->conds);
	r->conds = NULL;
}

void abac_rules_free(struct abac_rule_def *rules, unsigned int n)
{
	unsigned int i;

	for (i = 0; rules && i < n; i++) {
		free(rules[i].id);
		free(rules[i].nlp);
		abac_rule_conds_free(&rules[i]);
	}
	free(rules);
}
