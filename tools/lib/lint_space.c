// SPDX-License-Identifier: GPL-2.0-only
/*
 * The linter's exact checks, over the request space (space.c) rather than
 * by comparing conditions as text:
 *
 *	a rule that can never apply: no request satisfies all its
 *	conditions (contradictory ones, a value outside the attribute's
 *	domain, an empty time window);
 *	an allow rule that never permits: wherever it applies, a deny (or an
 *	indeterminate rule, or a lower layer) decides instead.
 *
 * A rule depends only on the attributes its conditions read, so the first
 * check walks only those dimensions; the second walks those of every rule
 * that names one of the allow rule's operations, and is left out (never
 * guessed) when they are more than LINT_CELLS_MAX classes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libabac.h"

#define LINT_CELLS_MAX	200000
/* Rule evaluations the override check may spend on one policy. */
#define LINT_BUDGET	20000000.0

/* Mark the dimensions rule @r reads in @used. */
static void rule_dims(const struct abac_space *sp,
		      const struct abac_rule_def *r, bool *used)
{
	const struct abac_rule_cond *c;
	unsigned int j;
	int d;

	for (j = 0; j < r->ncond; j++) {
		c = &r->conds[j];
		if (c->kind == ABAC_COND_TIME)
			d = abac_space_attr_dim(sp, 0, ABAC_DIM_MINUTE, 0);
		else if (c->kind == ABAC_COND_DAYS)
			d = abac_space_attr_dim(sp, 0, ABAC_DIM_WDAY, 0);
		else
			d = abac_space_attr_dim(sp, 0, c->side, c->attr);
		if (d >= 0)
			used[d] = true;
		if (abac_cond_is_relation(c->kind)) {
			d = abac_space_attr_dim(sp, 0, c->rhs_side, c->rhs);
			if (d >= 0)
				used[d] = true;
		}
	}
}

/*
 * Keep every class of the dimensions in @used, one of the others, and
 * the operations @ops; the number of cells that leaves, or 0 when it is
 * more than LINT_CELLS_MAX.
 */
static double keep_only(struct abac_space *sp, const bool *used, __u32 ops)
{
	unsigned int i, v;
	double cells = 1;

	for (i = 0; i < sp->ndims; i++) {
		if (sp->dims[i].kind == ABAC_DIM_OP) {
			for (v = 0; v < sp->dims[i].nvals; v++)
				sp->keep[i][v] = ops >> v & 1;
			cells *= __builtin_popcount(ops);
		} else if (used[i]) {
			abac_space_keep(sp, i, -1);
			cells *= sp->dims[i].nvals;
		} else {
			abac_space_keep(sp, i, 0);	/* absent */
		}
	}
	return cells > LINT_CELLS_MAX ? 0 : cells;
}

/* The request of a cell in the space's only policy. */
static void request_of(const struct abac_space *sp, const unsigned int *cell,
		       struct abac_attrs *a, struct abac_env *e,
		       unsigned int *op)
{
	const struct abac_dim *dim;
	const struct abac_dval *v;
	unsigned int i;

	memset(a, 0, 2 * sizeof(*a));
	memset(e, 0, sizeof(*e));
	for (i = 0; i < sp->ndims; i++) {
		dim = &sp->dims[i];
		v = &dim->vals[cell[i]];
		if (dim->kind == ABAC_DIM_OP)
			*op = v->word[0];
		else if (dim->kind == ABAC_DIM_MINUTE)
			e->minute = v->word[0];
		else if (dim->kind == ABAC_DIM_WDAY)
			e->wday = v->word[0];
		else if (dim->kind == ABAC_SIDE_ENV)
			e->a.v[dim->attr[0]] = v->word[0];
		else
			a[dim->kind].v[dim->attr[0]] = v->word[0];
	}
}

/**
 * struct rule_walk - what a walk over one rule's cells found.
 * @rule: the rule's index.
 * @applies: cells where it applies.
 * @permits: cells where the policy permits with it determining.
 * @deciders: for an allow rule, the rules that decided where it applied.
 */
struct rule_walk {
	const struct abac_space *sp;
	__u32 rule;
	unsigned long applies, permits;
	bool *deciders;
};

static int rule_cell(void *ctx, const unsigned int *cell,
		     const struct abac_decision *dec)
{
	struct rule_walk *w = ctx;
	const struct abac_space *sp = w->sp;
	struct abac_attrs a[2];
	struct abac_env e;
	struct abac_request rq = { &a[0], &a[1], &e };
	unsigned int op = 0;
	int out;

	request_of(sp, cell, a, &e, &op);
	out = abac_rule_eval_at(&sp->img[0], w->rule, &rq);
	if (out != ABAC_OUT_PERMIT && out != ABAC_OUT_DENY)
		return 0;	/* its conditions do not all hold */
	w->applies++;
	if (!dec)
		return 1;	/* it applies somewhere: enough */
	if (dec[0].outcome == ABAC_OUT_PERMIT)
		w->permits++;	/* with it, or beside it */
	else if (w->deciders && dec[0].rule < sp->pol[0]->nrules)
		w->deciders[dec[0].rule] = true;
	return 0;
}

static void never_applies(struct abac_space *sp, unsigned int i,
			  double *budget, struct abac_diags *d)
{
	const struct abac_rule_def *r = &sp->pol[0]->rules[i];
	bool used[ABAC_SPACE_DIMS] = { false };
	struct rule_walk w = { sp, i, 0, 0, NULL };
	double cells;

	rule_dims(sp, r, used);
	cells = keep_only(sp, used, r->ops);
	if (!cells || cells > *budget)
		return;
	*budget -= cells;
	/* one rule's conditions: no need to decide the whole policy */
	abac_space_walk_flags(sp, ABAC_WALK_NO_DECIDE, rule_cell, &w);
	if (!w.applies)
		abac_diag_add(d, true, r->file, r->line, r->column,
			      "rule '%s' can never apply: no request satisfies all its conditions (contradictory conditions, or a value outside an attribute's domain)",
			      r->id);
}

/* "'a' (line 3), 'b' (line 9)" of the rules marked in @deciders. */
static void names_of(const struct abac_policy *p, const bool *deciders,
		     char *buf, size_t sz)
{
	size_t o = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < p->nrules && o < sz; i++)
		if (deciders[i])
			o += snprintf(buf + o, sz - o, "%s'%s' (line %u)",
				      o ? ", " : "", p->rules[i].id,
				      p->rules[i].line);
}

/*
 * Is allow rule @i never the reason of a permit?  @budget is what is left
 * of LINT_BUDGET; false when the check did not fit in it (not done).
 */
static bool never_permits(struct abac_space *sp, unsigned int i,
			  bool *deciders, double *budget,
			  struct abac_diags *d)
{
	const struct abac_policy *p = sp->pol[0];
	const struct abac_rule_def *r = &p->rules[i];
	bool used[ABAC_SPACE_DIMS] = { false };
	struct rule_walk w = { sp, i, 0, 0, deciders };
	unsigned int k, sharing = 0;
	char names[512];
	double cells;

	if (r->effect != ABAC_ALLOW)
		return true;
	if (r->layer) {	/* folding never lets a lower layer's permit in */
		abac_diag_add(d, true, r->file, r->line, r->column,
			      "allow rule '%s' is in a lower layer, which may only restrict: it grants nothing the layers above do not",
			      r->id);
		abac_diag_mark_note(d);
		return true;
	}
	for (k = 0; k < p->nrules; k++)
		if (p->rules[k].ops & r->ops) {
			rule_dims(sp, &p->rules[k], used);
			sharing++;
		}
	cells = keep_only(sp, used, r->ops);
	if (!cells || cells * (sharing + 1) > *budget)
		return false;
	*budget -= cells * (sharing + 1);
	memset(deciders, 0, p->nrules * sizeof(*deciders));
	abac_space_walk(sp, rule_cell, &w);
	if (!w.applies || w.permits)
		return true;
	names_of(p, deciders, names, sizeof(names));
	abac_diag_add(d, true, r->file, r->line, r->column,
		      "allow rule '%s' never permits anything: wherever it applies, %s%s decide%s instead",
		      r->id, *names ? "rule " : "the default",
		      names, strchr(names, ',') ? "" : "s");
	return true;
}

/* Has rule @r a warning already (a rule that never decides)? */
static bool warned(const struct abac_diags *d, const struct abac_rule_def *r)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->v[i].line == r->line && d->v[i].column == r->column &&
		    !strcmp(d->v[i].file, r->file ? r->file : ""))
			return true;
	return false;
}

/**
 * abac_policy_lint_space() - the linter's exact checks.
 * @p: a parsed policy (all its layers).
 * @d: receives a warning for each rule that can never apply and each
 *	allow rule that never permits, at the rule's place.
 *
 * A policy whose space cannot be built (a set of too many values) is
 * left to the other checks.
 */
void abac_policy_lint_space(const struct abac_policy *p, struct abac_diags *d)
{
	struct abac_space *sp = calloc(1, sizeof(*sp));
	bool *deciders = calloc(p->nrules + 1, sizeof(bool));
	const struct abac_policy *pols[1] = { p };
	struct abac_image img;
	struct abac_diags quiet;
	void *buf = NULL;
	size_t len;
	unsigned int i, before, skipped = 0;
	double budget = LINT_BUDGET;

	abac_diags_init(&quiet);
	if (!sp || !deciders ||
	    abac_image_build(p, NULL, 0, &buf, &len, &quiet))
		goto out;
	img = abac_image_view(buf, len);
	if (abac_space_init_flags(sp, pols, &img, 1, ABAC_SPACE_UNBOUNDED,
				  &quiet))
		goto out;
	for (i = 0; i < p->nrules; i++) {
		if (warned(d, &p->rules[i]))
			continue;
		before = d->n;
		never_applies(sp, i, &budget, d);
		if (d->n == before &&
		    !never_permits(sp, i, deciders, &budget, d))
			skipped++;
	}
	if (skipped) {
		abac_diag_add(d, true, p->file, 0, 0,
			      "%u allow rule%s not checked for being always overridden: the policy is too large for the exact check",
			      skipped, skipped == 1 ? "" : "s");
		abac_diag_mark_note(d);
	}
	abac_space_free(sp);
out:
	abac_diags_free(&quiet);
	free(buf);
	free(deciders);
	free(sp);
}
