// SPDX-License-Identifier: GPL-2.0-only
/*
 * The schema: the "attributes:" section of a policy, parsed into struct
 * abac_attr_def per subject, object and environment attribute: its type,
 * its values, an int's range, metadata, then (once relations have fixed
 * every attribute's value numbering, relations.c) aliases and defaults.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

static int cmp_value_ptr(const void *x, const void *y)
{
	return strcmp(**(char *const *const *)x, **(char *const *const *)y);
}

/*
 * values: [a, b, ...] of a string, set or level attribute.  More than
 * ABAC_MAX_VALUES makes a string or a level a large enumeration (its
 * word its number plus one, abac_attr_is_enum()), up to
 * ABAC_MAX_ENUM_VALUES; a set stays a mask of ABAC_MAX_VALUES bits.
 */
static void parse_values(struct pctx *c, const struct ynode *n,
			 struct abac_attr_def *a, const char *what)
{
	unsigned int max = a->type == ABAC_TYPE_SET ? ABAC_MAX_VALUES :
			   ABAC_MAX_ENUM_VALUES;
	char q[SHOW_BYTES], ctx[176], **grown, ***order;
	unsigned int j;
	size_t i;

	snprintf(ctx, sizeof(ctx), "'values' of %s", what);
	if (!abac_parse_expect(c, n, YN_SEQ, ctx))
		return;
	if (!n->n)
		perr(c, n, "%s: values must not be empty", what);
	if (n->n > max) {	/* at the first value past the limit */
		if (a->type == ABAC_TYPE_SET)
			perr(c, n->kids[max], "%s: more than %d values (ABAC_MAX_VALUES) for a set: a string or a level may take up to %u (ABAC_MAX_ENUM_VALUES), a set may be open (open: true)",
			     what, ABAC_MAX_VALUES, ABAC_MAX_ENUM_VALUES);
		else
			perr(c, n->kids[max], "%s: more than %u values (ABAC_MAX_ENUM_VALUES)",
			     what, ABAC_MAX_ENUM_VALUES);
		return;
	}
	if (n->n > ABAC_MAX_VALUES) {
		grown = realloc(a->values, n->n * sizeof(*grown));
		if (!grown) {
			perr(c, n, "out of memory");
			return;
		}
		memset(grown + ABAC_MAX_VALUES, 0,
		       (n->n - ABAC_MAX_VALUES) * sizeof(*grown));
		a->values = grown;
	}
	for (i = 0; i < n->n && !c->stop; i++) {
		const struct ynode *v = n->kids[i];
		char *name;

		if (!abac_parse_value(c, v, "value", &name))
			continue;
		for (j = 0; n->n <= ABAC_MAX_VALUES && j < a->nvalues; j++)
			if (!strcmp(a->values[j], name))
				break;
		if (n->n <= ABAC_MAX_VALUES && j < a->nvalues) {
			perr(c, v, "duplicate value '%s' in %s",
			     show(v->s, v->len, q), what);
			free(name);
			continue;
		}
		if (a->nvalues < 64)
			a->legal |= 1ULL << a->nvalues;
		a->values[a->nvalues++] = name;
	}
	if (a->nvalues <= ABAC_MAX_VALUES)
		return;
	/* a large list: duplicates found by sorting, not pair by pair */
	order = malloc(a->nvalues * sizeof(*order));
	if (!order) {
		perr(c, n, "out of memory");
		return;
	}
	for (j = 0; j < a->nvalues; j++)
		order[j] = &a->values[j];
	qsort(order, a->nvalues, sizeof(*order), cmp_value_ptr);
	for (j = 1; j < a->nvalues; j++)
		if (!strcmp(*order[j], *order[j - 1])) {
			size_t at = (size_t)(order[j] > order[j - 1] ?
					     order[j] : order[j - 1]) -
				    (size_t)a->values;

			at /= sizeof(*a->values);
			perr(c, at < n->n ? n->kids[at] : n,
			     "duplicate value '%s' in %s",
			     show(*order[j], strlen(*order[j]), q), what);
			break;
		}
	free(order);
}

/* An int bound: a decimal scalar. */
static bool parse_int_bound(struct pctx *c, const struct ynode *n,
			    const char *key, const char *what, long long *out)
{
	char q[SHOW_BYTES], *end;

	if (!abac_parse_expect(c, n, YN_SCALAR, key))
		return false;
	errno = 0;
	*out = strtoll(n->s, &end, 10);
	if (errno || *end || end == n->s) {
		perr(c, n, "%s: '%s' must be a decimal number",
		     what, show(n->s, n->len, q));
		return false;
	}
	return true;
}

/* A metadata string (authority, expires): kept as written. */
static void parse_meta(struct pctx *c, const struct ynode *n,
		       const char *key, char **out)
{
	if (!abac_parse_expect(c, n, YN_SCALAR, key) || is_null(n))
		return;
	*out = strdup(n->s);
	if (!*out)
		perr(c, n, "out of memory");
}

enum {
	A_TYPE, A_VALUES, A_MIN, A_MAX, A_DEFAULT, A_ALIASES, A_AUTHORITY,
	A_EXPIRES, A_OPEN, A_COUNT
};

static const struct key_spec attr_keys[A_COUNT] = {
	[A_TYPE] = { "type", true },
	[A_VALUES] = { "values", false },
	[A_MIN] = { "min", false },
	[A_MAX] = { "max", false },
	[A_DEFAULT] = { "default", false },
	[A_ALIASES] = { "aliases", false },
	[A_AUTHORITY] = { "authority", false },
	[A_EXPIRES] = { "expires", false },
	[A_OPEN] = { "open", false },
};

/*
 * open: true -- a string or set attribute whose values need not be
 * declared: each value's word is the hash of its text; an open set's
 * word is a handle to its members: in the image for a subject, in the
 * object member store for an object (its label's members).
 */
static void parse_open(struct pctx *c, const struct ynode *n,
		       struct abac_attr_def *a, unsigned int side,
		       const char *what)
{
	char q[SHOW_BYTES];

	if (!abac_parse_expect(c, n, YN_SCALAR, "'open'"))
		return;
	if (scalar_is(n, "false"))
		return;
	if (!scalar_is(n, "true")) {
		perr(c, n, "%s: 'open' is true or false, not '%s'", what,
		     show(n->s, n->len, q));
		return;
	}
	if (a->type == ABAC_TYPE_SET && side == ABAC_SIDE_ENV) {
		perr(c, n, "%s: an open set is supported on subjects and objects only: an %s attribute may be an open string",
		     what, side_name(side));
		return;
	}
	if (a->type != ABAC_TYPE_STRING && a->type != ABAC_TYPE_SET) {
		perr(c, n, "%s: only a string or a set attribute may be open, not a %s",
		     what, abac_type_names[a->type]);
		return;
	}
	a->open = true;
}

/*
 * name: {type: T, ...}.  Defaults and aliases are resolved later, once
 * the relations have fixed every attribute's value numbering.
 */
static void parse_attr(struct pctx *c, const struct ynode *val,
		       struct abac_attr_def *a, unsigned int side,
		       unsigned int idx, const char *what)
{
	const struct ynode *vals[A_COUNT], *type;
	char where[176];
	bool has_values;
	int t;

	if (!abac_parse_expect(c, val, YN_MAP, what))
		return;
	snprintf(where, sizeof(where), " in %s", what);
	type = abac_parse_get(val, "type");
	abac_parse_fields(c, val, attr_keys, A_COUNT, vals, where);
	if (!type)
		return;
	t = abac_parse_enum(c, type, "attribute type", abac_type_names, ABAC_TYPE_COUNT);
	if (t < 0)
		return;
	a->type = t;
	if (vals[A_OPEN])
		parse_open(c, vals[A_OPEN], a, side, what);
	has_values = t == ABAC_TYPE_STRING || t == ABAC_TYPE_SET ||
		     t == ABAC_TYPE_LEVEL;
	if (has_values && !vals[A_VALUES] && t == ABAC_TYPE_LEVEL)
		perr(c, val, "missing key 'values'%s", where);
	if (has_values && !vals[A_VALUES] && t != ABAC_TYPE_LEVEL &&
	    !a->open)
		perr(c, val, "missing key 'values'%s: list the values a string may take, or declare it 'open: true'",
		     where);
	if (!has_values && vals[A_VALUES])
		perr(c, vals[A_VALUES], "%s: a %s attribute takes no 'values'",
		     what, abac_type_names[t]);
	if (t != ABAC_TYPE_INT && (vals[A_MIN] || vals[A_MAX]))
		perr(c, vals[A_MIN] ? vals[A_MIN] : vals[A_MAX],
		     "%s: only an int attribute takes 'min' and 'max'", what);
	if (has_values && vals[A_VALUES])
		parse_values(c, vals[A_VALUES], a, what);
	if (t == ABAC_TYPE_BOOL) {
		a->values[0] = strdup("false");
		a->values[1] = strdup("true");
		a->nvalues = 2;
		a->legal = 3;
		if (!a->values[0] || !a->values[1])
			perr(c, val, "out of memory");
	}
	if (t == ABAC_TYPE_INT) {
		if (vals[A_MIN])
			a->has_min = parse_int_bound(c, vals[A_MIN], "'min'",
						     what, &a->min);
		if (vals[A_MAX])
			a->has_max = parse_int_bound(c, vals[A_MAX], "'max'",
						     what, &a->max);
		if (a->has_min && a->has_max && a->min > a->max)
			perr(c, vals[A_MAX], "%s: max %lld is below min %lld",
			     what, a->max, a->min);
	}
	if (vals[A_AUTHORITY])
		parse_meta(c, vals[A_AUTHORITY], "'authority'", &a->authority);
	if (vals[A_EXPIRES])
		parse_meta(c, vals[A_EXPIRES], "'expires'", &a->expires);
	c->defnode[side][idx] = vals[A_DEFAULT];
	c->aliasnode[side][idx] = vals[A_ALIASES];
}

static struct abac_attr_def **side_slot(struct abac_policy *p,
					unsigned int side,
					unsigned int **count)
{
	if (side == ABAC_SIDE_SUBJECT) {
		*count = &p->nsattrs;
		return &p->sattrs;
	}
	if (side == ABAC_SIDE_OBJECT) {
		*count = &p->noattrs;
		return &p->oattrs;
	}
	*count = &p->neattrs;
	return &p->eattrs;
}

/* attributes: subject:, object: or environment: -- name to declaration. */
static void parse_side(struct pctx *c, const struct ynode *n,
		       unsigned int side)
{
	struct abac_attr_def **defs, *a;
	unsigned int *count, j;
	char where[160], q[SHOW_BYTES];
	size_t i;

	snprintf(where, sizeof(where), "'%s' attributes", side_name(side));
	if (!abac_parse_expect(c, n, YN_MAP, where))
		return;
	defs = side_slot(c->p, side, &count);
	*defs = calloc(ABAC_MAX_ATTRS, sizeof(**defs));
	if (!*defs) {
		perr(c, n, "out of memory");
		return;
	}
	for (i = 0; i + 1 < n->n && !c->stop; i += 2) {
		const struct ynode *key = n->kids[i];

		if (key->dup)
			continue;
		if (*count == ABAC_MAX_ATTRS) {
			perr(c, key, "more than %d %s attributes (ABAC_MAX_ATTRS)",
			     ABAC_MAX_ATTRS, side_name(side));
			return;
		}
		a = &(*defs)[*count];
		a->values = calloc(ABAC_MAX_VALUES, sizeof(*a->values));
		if (!a->values) {
			perr(c, key, "out of memory");
			return;
		}
		a->side = side;
		if (!abac_parse_name(c, key, "attribute name", &a->name)) {
			free(a->values);
			a->values = NULL;
			continue;
		}
		if (side == ABAC_SIDE_ENV &&
		    (!strcmp(a->name, "time") || !strcmp(a->name, "days")))
			perr(c, key, "'%s' is the clock, not an environment attribute: name it otherwise",
			     a->name);
		a->line = key->line;
		a->column = key->col;
		snprintf(where, sizeof(where), "%s attribute '%s'",
			 side_name(side), show(key->s, key->len, q));
		j = *count;
		(*count)++;
		parse_attr(c, n->kids[i + 1], a, side, j, where);
	}
}

void abac_parse_attributes(struct pctx *c, const struct ynode *n)
{
	static const struct key_spec keys[] = {
		{ "subject", false },
		{ "object", false },
		{ "environment", false },
	};
	const struct ynode *vals[3];
	unsigned int before = c->errors, side;

	if (abac_parse_expect(c, n, YN_MAP, "'attributes'")) {
		abac_parse_fields(c, n, keys, 3, vals, " in attributes");
		for (side = 0; side < ABAC_SIDE_COUNT; side++)
			if (vals[side])
				parse_side(c, vals[side], side);
	}
	c->attrs_bad = c->errors != before;
}

/* aliases: {alias: attribute-name-or-value, ...} of attribute @a. */
static void parse_aliases(struct pctx *c, const struct ynode *n,
			  struct abac_attr_def *a, unsigned int side)
{
	char q[SHOW_BYTES];
	unsigned int i, v;
	size_t k;

	if (!abac_parse_expect(c, n, YN_MAP, "'aliases'"))
		return;
	a->alias = calloc(n->n / 2 + 1, sizeof(*a->alias));
	a->alias_to = calloc(n->n / 2 + 1, sizeof(*a->alias_to));
	if (!a->alias || !a->alias_to) {
		perr(c, n, "out of memory");
		return;
	}
	for (k = 0; k + 1 < n->n; k += 2) {
		const struct ynode *key = n->kids[k], *to = n->kids[k + 1];
		char *name;
		int target = -2;

		if (key->dup || !abac_parse_name(c, key, "alias", &name))
			continue;
		if (abac_attr_find(c->p, side, name, strlen(name)) >= 0) {
			perr(c, key, "alias '%s' of %s attribute '%s' is already an attribute name",
			     name, side_name(side), a->name);
			free(name);
			continue;
		}
		for (v = 0; v < a->nvalues; v++)
			if (abac_attr_legal(a, v) && !strcmp(a->values[v], name))
				break;
		if (v < a->nvalues) {
			perr(c, key, "alias '%s' of %s attribute '%s' is already one of its values",
			     name, side_name(side), a->name);
			free(name);
			continue;
		}
		if (abac_parse_expect(c, to, YN_SCALAR, "an alias target")) {
			if (scalar_is(to, a->name))
				target = -1;
			else if (a->open) {
				perr(c, to, "alias '%s' of open %s attribute '%s': an open attribute's values have no aliases",
				     name, side_name(side), a->name);
				free(name);
				continue;
			}
			for (i = 0; target == -2 && i < a->nvalues; i++)
				if (abac_attr_legal(a, i) &&
				    scalar_is(to, a->values[i]))
					target = i;
			if (target == -2)
				perr(c, to, "alias '%s' of %s attribute '%s' must name the attribute or one of its values, not '%s'",
				     name, side_name(side), a->name,
				     show(to->s, to->len, q));
		}
		if (target == -2) {
			free(name);
			continue;
		}
		a->alias[a->naliases] = name;
		a->alias_to[a->naliases++] = target;
	}
}

/* default: a value (a list for a set) of attribute @a. */
static void parse_default(struct pctx *c, const struct ynode *n,
			  struct abac_attr_def *a, unsigned int side)
{
	char err[320], text[ABAC_MAX_VALUES * ABAC_VALUE_ESC_BYTES];
	const struct ynode *v;
	size_t o = 0, i;

	if (a->open && a->type == ABAC_TYPE_SET) {
		perr(c, n, "default of %s attribute '%s': an open set takes no default (its members are a subject's tags or an object's label)",
		     side_name(side), a->name);
		return;
	}
	if (n->kind != YN_SEQ || a->type != ABAC_TYPE_SET) {
		/* one value; for a set "a,b" too, as in a label */
		if (!abac_parse_expect(c, n, YN_SCALAR, "a default"))
			return;
		if (a->type == ABAC_TYPE_SET) {
			snprintf(text, sizeof(text), "%s", n->s);
			o = strlen(text);
			goto resolve;
		}
	}
	/* the values joined as a label writes them, each escaped */
	for (i = 0; i < (n->kind == YN_SEQ ? n->n : 1); i++) {
		v = n->kind == YN_SEQ ? n->kids[i] : n;
		if (!abac_parse_expect(c, v, YN_SCALAR, "a default"))
			return;
		if (i)
			text[o++] = ',';
		o += abac_value_escape(v->s, v->len, text + o,
				       sizeof(text) - o);
		if (o >= sizeof(text) - 1) {
			perr(c, n, "default too long");
			return;
		}
	}
resolve:
	if (abac_attr_word(a, text, o, &a->def, err, sizeof(err)))
		perr(c, n, "default of %s attribute '%s': %s", side_name(side),
		     a->name, err);
}

/* One rule's (or grant's) constant set members into @texts, @words. */
static size_t rule_set_consts(const struct abac_policy *p,
			      const struct abac_rule_def *r,
			      const char **texts, __u64 *words)
{
	const struct abac_attr_def *a;
	unsigned int j, m, n;
	size_t k = 0;

	for (j = 0; r->conds && j < r->ncond; j++) {
		a = abac_policy_attrs(p, r->conds[j].side, &n);
		if (r->conds[j].attr < n &&
		    abac_attr_is_enum(&a[r->conds[j].attr]))
			continue;	/* numbers, not hashes */
		for (m = 0; m < r->conds[j].set.n; m++, k++)
			if (texts) {
				texts[k] = r->conds[j].set.text[m];
				words[k] = r->conds[j].set.w[m];
			}
	}
	return k;
}

/*
 * The members the conditions on open sets name, of every rule and grant,
 * into @texts and @words when not NULL; their count.
 */
static size_t open_set_consts(const struct abac_policy *p, const char **texts,
			      __u64 *words)
{
	size_t k = 0;
	unsigned int i;

	for (i = 0; p->rules && i < p->nrules; i++)
		k += rule_set_consts(p, &p->rules[i], texts ? texts + k : NULL,
				     words ? words + k : NULL);
	for (i = 0; p->grants && i < p->ngrants; i++)
		k += rule_set_consts(p, &p->grants[i].r,
				     texts ? texts + k : NULL,
				     words ? words + k : NULL);
	return k;
}

/*
 * The declared values of every open attribute (its values: and those
 * its rules' conditions name, the members of open sets among them),
 * hashed: two different texts with one word
 * would be one value to every decision (a relation compares the words of
 * two attributes, so all open attributes count together).  Refused,
 * naming both.
 */
void abac_parse_open_collisions(struct pctx *c)
{
	const char **texts = NULL;
	struct abac_attr_def *a;
	unsigned int side, i, n, v;
	__u64 *words = NULL;
	size_t k = 0, max = 0;
	char err[2 * ABAC_VALUE_MAX + 96];
	int rc;

	for (side = 0; side < ABAC_SIDE_COUNT; side++) {
		a = abac_policy_attrs(c->p, side, &n);
		for (i = 0; i < n; i++)
			if (a[i].open)
				max += a[i].nvalues;
	}
	max += open_set_consts(c->p, NULL, NULL);
	if (max < 2)
		return;
	texts = calloc(max, sizeof(*texts));
	words = calloc(max, sizeof(*words));
	if (!texts || !words) {
		perr(c, (const struct ynode *)NULL, "out of memory");
		goto out;
	}
	for (side = 0; side < ABAC_SIDE_COUNT; side++) {
		a = abac_policy_attrs(c->p, side, &n);
		for (i = 0; i < n; i++)
			for (v = 0; a[i].open && v < a[i].nvalues; v++) {
				texts[k] = a[i].values[v];
				words[k++] = abac_open_word(a[i].values[v],
						strlen(a[i].values[v]));
			}
	}
	k += open_set_consts(c->p, texts + k, words + k);
	rc = abac_open_collisions(texts, words, k, err, sizeof(err));
	if (rc == -EEXIST)
		perr(c, (const struct ynode *)NULL,
		     "open attributes: declared %s", err);
	else if (rc)
		perr(c, (const struct ynode *)NULL, "out of memory");
out:
	free(texts);
	free(words);
}

void abac_parse_defaults_aliases(struct pctx *c)
{
	struct abac_attr_def *a;
	unsigned int side, i, n;

	for (side = 0; side < ABAC_SIDE_COUNT; side++) {
		a = abac_policy_attrs(c->p, side, &n);
		for (i = 0; i < n; i++) {
			if (c->aliasnode[side][i])
				parse_aliases(c, c->aliasnode[side][i], &a[i],
					      side);
			if (c->defnode[side][i])
				parse_default(c, c->defnode[side][i], &a[i],
					      side);
		}
	}
}

void abac_attr_defs_free(struct abac_attr_def *defs, unsigned int n)
{
	unsigned int i, j;

	if (!defs)
		return;
	for (i = 0; i < n; i++) {
		/* ABAC_MAX_VALUES slots, more for a large enumeration */
		for (j = 0; defs[i].values && (j < ABAC_MAX_VALUES ||
					       j < defs[i].nvalues); j++)
			free(defs[i].values[j]);
		for (j = 0; j < defs[i].naliases; j++)
			free(defs[i].alias[j]);
		free(defs[i].alias);
		free(defs[i].alias_to);
		free(defs[i].values);
		free(defs[i].name);
		free(defs[i].authority);
		free(defs[i].expires);
	}
	free(defs);
}
