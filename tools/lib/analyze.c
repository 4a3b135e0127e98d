// SPDX-License-Identifier: GPL-2.0-only
/*
 * Questions asked of a whole policy rather than of one request, answered
 * over every class of its request space (space.c) with the decision core
 * itself, and kept as readable rows (cubes.c):
 *
 *	who can, what can	the cells a policy permits, each row with the
 *				rule that permits it (NIST SP 800-162
 *				3.1.2.3: "which subjects can perform which
 *				operations on which objects");
 *	diff			the cells whose enforced effect two policies
 *				decide differently, each row with the rules
 *				that decide it in either.
 *
 * Two policies that differ only in rule order under deny-overrides, or by
 * a rule that never changes an effect, have no cell in their diff: the
 * diff compares what the kernel enforces, not how the rules are written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libabac.h"

struct collect {
	struct abac_cubes *c;
	bool diff;
};

static int collect_cell(void *ctx, const unsigned int *cell,
			const struct abac_decision *dec)
{
	struct collect *cl = ctx;
	struct abac_cube_key key;
	unsigned int k, npol = cl->diff ? 2 : 1;

	if (cl->diff ? dec[0].effect == dec[1].effect :
		       dec[0].effect != ABAC_ALLOW)
		return 0;
	memset(&key, 0, sizeof(key));
	key.rule[1] = ABAC_RULE_NONE;
	for (k = 0; k < npol; k++) {
		key.rule[k] = dec[k].rule;
		key.effect[k] = dec[k].effect;
		key.reason[k] = dec[k].reason;
	}
	return abac_cubes_add(cl->c, cell, &key);
}

/**
 * abac_analyze_permitted() - the cells the space's first policy permits.
 * @sp: the space, its dimensions restricted as the question says.
 * @c: receives the rows (initialised here; free with abac_cubes_free()),
 *	keyed by the deciding rule (ABAC_RULE_NONE: the default effect).
 *
 * Return: 0 or -ENOMEM.
 */
int abac_analyze_permitted(const struct abac_space *sp, struct abac_cubes *c)
{
	struct collect cl = { c, false };
	int err;

	abac_cubes_init(c, sp);
	err = abac_space_walk(sp, collect_cell, &cl);
	if (!err)
		err = abac_cubes_merge(c);
	return err;
}

/**
 * abac_analyze_diff() - the cells whose enforced effect the space's two
 *	policies decide differently.
 * @sp: a space of two policies: the old one first.
 * @c: receives the rows, keyed by the rules and effects of both.
 *
 * Return: 0, -EINVAL for a space of one policy, or -ENOMEM.
 */
int abac_analyze_diff(const struct abac_space *sp, struct abac_cubes *c)
{
	struct collect cl = { c, true };
	int err;

	if (sp->npol != 2)
		return -EINVAL;
	abac_cubes_init(c, sp);
	err = abac_space_walk(sp, collect_cell, &cl);
	if (!err)
		err = abac_cubes_merge(c);
	return err;
}

/**
 * abac_space_fix() - keep, on one side, the classes a request names.
 * @sp: the space.
 * @side: enum abac_side.
 * @text: "k=v k=v" in the first policy's words.
 * @exact: the attributes @text does not name are absent (a subject's
 *	whole set of tags); else they stay free.
 * @d: receives why @text does not fit the policy.
 *
 * Return: 0, or -EINVAL.
 */
int abac_space_fix(struct abac_space *sp, unsigned int side,
		   const char *text, bool exact, struct abac_diags *d)
{
	static const char *const files[] = { "<subject>", "<object>",
					     "<env>" };
	struct abac_attrs a;

	memset(&a, 0, sizeof(a));
	if (text && *text &&
	    abac_attrs_resolve(sp->pol[0], side, files[side % 3], text, &a, d))
		return -EINVAL;
	return abac_space_fix_attrs(sp, side, &a, exact);
}

/**
 * abac_space_fix_attrs() - keep, on one side, the classes of @a.
 * @sp: the space.
 * @side: enum abac_side.
 * @a: words in the first policy's numbering; 0 leaves an attribute free,
 *	or absent when @exact.
 * @exact: see abac_space_fix().
 *
 * Return: 0, or -EINVAL when a word is in no class.
 */
int abac_space_fix_attrs(struct abac_space *sp, unsigned int side,
			 const struct abac_attrs *a, bool exact)
{
	struct abac_dim *dim;
	unsigned int i;
	int cls;

	for (i = 0; i < sp->ndims; i++) {
		dim = &sp->dims[i];
		if (dim->kind != side || dim->attr[0] < 0)
			continue;
		if (!a->v[dim->attr[0]]) {
			if (exact)
				abac_space_keep(sp, i, 0);
			continue;
		}
		cls = abac_space_classify(sp, i, 0, a->v[dim->attr[0]]);
		if (cls < 0)
			return -EINVAL;
		abac_space_keep(sp, i, cls);
	}
	return 0;
}

/**
 * abac_space_shown() - is dimension @dim worth a column: does the
 *	question leave it more than one class?
 * @sp: the space.
 * @dim: the dimension.
 *
 * Return: true when it does.
 */
bool abac_space_shown(const struct abac_space *sp, unsigned int dim)
{
	unsigned int i, kept = 0;

	for (i = 0; i < sp->dims[dim].nvals; i++)
		kept += sp->keep[dim][i];
	return kept > 1;
}

/* The classes of @dim in @row joined by @sep; "*" for every class. */
static const char *cube_text_sep(const struct abac_cubes *c, size_t row,
				 unsigned int dim, const char *sep, char *buf,
				 size_t sz)
{
	const struct abac_dim *dm = &c->sp->dims[dim];
	size_t o = 0;
	unsigned int i;

	buf[0] = '\0';
	if (abac_cube_all(c, row, dim)) {
		snprintf(buf, sz, "*");
		return buf;
	}
	for (i = 0; i < dm->nvals && o < sz; i++)
		if (abac_cube_has(c, row, dim, i))
			o += snprintf(buf + o, sz - o, "%s%s", o ? sep : "",
				      dm->vals[i].text);
	return buf;
}

/**
 * abac_cube_text() - the classes of one dimension of a row as text.
 * @c: the rows.
 * @row: the row.
 * @dim: the dimension.
 * @buf: receives "*" for every class, else the classes joined by "|".
 * @sz: bytes in @buf.
 *
 * Return: @buf.
 */
const char *abac_cube_text(const struct abac_cubes *c, size_t row,
			   unsigned int dim, char *buf, size_t sz)
{
	return cube_text_sep(c, row, dim, "|", buf, sz);
}

/*
 * "role=doctor, department=cardiology or oncology" for the dimensions of
 * @kind that the row narrows; "" when it narrows none.
 */
static size_t side_text(const struct abac_cubes *c, size_t row,
			unsigned int kind, char *buf, size_t sz)
{
	const struct abac_space *sp = c->sp;
	char v[1024];
	size_t o = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < sp->ndims && o < sz; i++) {
		if (sp->dims[i].kind != kind || abac_cube_all(c, row, i))
			continue;
		cube_text_sep(c, row, i, " or ", v, sizeof(v));
		o += snprintf(buf + o, sz - o, "%s%s=%s", o ? ", " : "",
			      kind < ABAC_SIDE_COUNT ? sp->dims[i].attr_name :
			      sp->dims[i].name, v);
	}
	return o;
}

/* " when threat=high, env.time=08:00-18:00", or "". */
static void env_text(const struct abac_cubes *c, size_t row, char *buf,
		     size_t sz)
{
	static const unsigned int kinds[] = { ABAC_SIDE_ENV, ABAC_DIM_MINUTE,
					      ABAC_DIM_WDAY };
	char part[1024];
	size_t o = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < 3 && o < sz; i++)
		if (side_text(c, row, kinds[i], part, sizeof(part)))
			o += snprintf(buf + o, sz - o, "%s%s",
				      o ? ", " : " when ", part);
}

/* "rule 'id'" of policy @k, or "no rule (the default)", "a bad label". */
static void rule_words(const struct abac_space *sp, unsigned int k,
		       const struct abac_cube_key *key, char *buf, size_t sz)
{
	__u32 r = key->rule[k];

	if (key->reason[k] == ABAC_REASON_BAD_LABEL)
		snprintf(buf, sz, "a value this policy does not declare");
	else if (r == ABAC_RULE_NONE || r >= sp->pol[k]->nrules)
		snprintf(buf, sz, "%s", key->reason[k] ==
			 ABAC_REASON_INDETERMINATE ? "an indeterminate rule" :
			 "no rule (the default)");
	else
		snprintf(buf, sz, "rule '%s'", sp->pol[k]->rules[r].id);
}

/**
 * abac_cube_summary() - one row of a diff in words.
 * @c: the rows of abac_analyze_diff().
 * @row: the row.
 * @buf: receives "subjects with role=nurse, department=oncology lose read
 *	on objects with type=lab-result: now denied by rule 'x' (was
 *	allowed by rule 'y')".
 * @sz: bytes in @buf.
 *
 * Return: @buf.
 */
const char *abac_cube_summary(const struct abac_cubes *c, size_t row,
			      char *buf, size_t sz)
{
	const struct abac_cube_key *key = &c->keys[row];
	const struct abac_space *sp = c->sp;
	char subj[1024], obj[1024], env[1024], ops[256], was[160], now[160];
	bool gain = key->effect[1] == ABAC_ALLOW;
	int opd = abac_space_find(sp, "op");

	side_text(c, row, ABAC_SIDE_SUBJECT, subj, sizeof(subj));
	side_text(c, row, ABAC_SIDE_OBJECT, obj, sizeof(obj));
	env_text(c, row, env, sizeof(env));
	cube_text_sep(c, row, opd, " and ", ops, sizeof(ops));
	rule_words(sp, 0, key, was, sizeof(was));
	rule_words(sp, 1, key, now, sizeof(now));
	snprintf(buf, sz, "%s%s %s %s on %s%s%s: now %s by %s (was %s by %s)",
		 *subj ? "subjects with " : "every subject", subj,
		 gain ? "gain" : "lose",
		 strcmp(ops, "*") ? ops : "every operation",
		 *obj ? "objects with " : "every object", obj, env,
		 gain ? "allowed" : "denied", now,
		 gain ? "denied" : "allowed", was);
	return buf;
}
