// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac policy check's second opinion: a policy that compiles may still
 * say something other than what its author meant.  Warnings for
 * attributes declared but never used, rules that can never decide
 * because an earlier or stronger rule always decides first, rules on files
 * that read an int object attribute no label can carry, and allow and
 * deny rules that can both apply to one request (which one wins then
 * depends on the combining algorithm), and every capability grant.
 *
 * The analysis is conservative: conditions it cannot compare (relations,
 * time windows) are assumed to be satisfiable together, and a rule
 * "covers" another only when each of its conditions is implied by one of
 * the other's.
 */
#include <string.h>

#include "libabac.h"

static bool mask_kind(unsigned int k)
{
	return k == ABAC_COND_ANY;
}

/* Does condition @b (of the covered rule) imply condition @a? */
static bool implies(const struct abac_rule_cond *b,
		    const struct abac_rule_cond *a)
{
	if (a->side != b->side || a->attr != b->attr)
		return false;
	if (a->kind == b->kind && a->mask == b->mask && a->rhs == b->rhs &&
	    a->rhs_side == b->rhs_side)
		return true;
	if (mask_kind(a->kind) && mask_kind(b->kind))
		return !(b->mask & ~a->mask);	/* b's values all satisfy a */
	if (a->kind == ABAC_COND_PRESENT)
		return b->kind != ABAC_COND_ABSENT;	/* any value implies it */
	return false;
}

/* Every request @b applies to, @a applies to as well. */
static bool covers(const struct abac_rule_def *a, const struct abac_rule_def *b)
{
	unsigned int i, j;

	if ((a->ops & b->ops) != b->ops)
		return false;
	for (i = 0; i < a->ncond; i++) {
		for (j = 0; j < b->ncond; j++)
			if (implies(&b->conds[j], &a->conds[i]))
				break;
		if (j == b->ncond)
			return false;
	}
	return true;
}

/* Can some request satisfy both @a and @b?  (Maybe: true.) */
static bool may_overlap(const struct abac_rule_def *a,
			const struct abac_rule_def *b)
{
	const struct abac_rule_cond *x, *y;
	unsigned int i, j;

	if (!(a->ops & b->ops))
		return false;
	for (i = 0; i < a->ncond; i++) {
		x = &a->conds[i];
		for (j = 0; j < b->ncond; j++) {
			y = &b->conds[j];
			if (x->side != y->side || x->attr != y->attr)
				continue;
			if (mask_kind(x->kind) && mask_kind(y->kind) &&
			    !(x->mask & y->mask))
				return false;	/* no value satisfies both */
			if ((x->kind == ABAC_COND_PRESENT &&
			     y->kind == ABAC_COND_ABSENT) ||
			    (x->kind == ABAC_COND_ABSENT &&
			     y->kind != ABAC_COND_ABSENT &&
			     y->kind != ABAC_COND_TIME &&
			     y->kind != ABAC_COND_DAYS))
				return false;
		}
	}
	return true;
}

/*
 * Does the earlier rule @a, covering @b, always decide before @b can
 * matter?  Under first-applicable always; under deny-overrides when @a
 * denies or both allow; under permit-overrides when @a allows or both
 * deny.
 */
static bool shadows(const struct abac_policy *p,
		    const struct abac_rule_def *a,
		    const struct abac_rule_def *b)
{
	unsigned int comb = p->layer_combining[a->layer % ABAC_MAX_LAYERS];

	if (a->layer != b->layer || !covers(a, b))
		return false;
	if (comb == ABAC_COMBINE_FIRST_APPLICABLE)
		return true;
	if (comb == ABAC_COMBINE_DENY_OVERRIDES)
		return a->effect == ABAC_DENY || b->effect == ABAC_ALLOW;
	return a->effect == ABAC_ALLOW || b->effect == ABAC_DENY;
}

static void lint_unused(const struct abac_policy *p, struct abac_diags *d)
{
	const struct abac_attr_def *a;
	unsigned int side, i, n;

	for (side = 0; side < ABAC_SIDE_COUNT; side++) {
		a = abac_policy_attrs(p, side, &n);
		for (i = 0; i < n; i++)
			if (!a[i].used)
				abac_diag_add(d, true, p->file, a[i].line,
					      a[i].column,
					      "%s attribute '%s' is declared but no rule, relation or network uses it",
					      abac_side_name(side), a[i].name);
	}
}

/* The operations whose object is a file, and so a label. */
#define FILE_OPS	((1U << ABAC_OP_READ) | (1U << ABAC_OP_WRITE) | \
			 (1U << ABAC_OP_EXEC) | (1U << ABAC_OP_CREATE) | \
			 (1U << ABAC_OP_DELETE) | (1U << ABAC_OP_RELABEL) | \
			 (1U << ABAC_OP_ADMINISTER))

/*
 * A label holds names, resolved through the image's dictionary of
 * declared key=value pairs: it cannot carry a number, so an int object
 * attribute is only ever its default on a file (a label naming it is a
 * bad label), though a network object may carry it.  Say so where a rule
 * on files reads one, once a rule and attribute.
 */
static void lint_int_labels(const struct abac_policy *p, struct abac_diags *d)
{
	const struct abac_attr_def *oa;
	const struct abac_rule_cond *c;
	const struct abac_rule_def *r;
	unsigned int i, j, n, attr, warned;

	oa = abac_policy_attrs(p, ABAC_SIDE_OBJECT, &n);
	for (i = 0; i < p->nrules; i++) {
		r = &p->rules[i];
		if (!(r->ops & FILE_OPS))
			continue;
		warned = 0;
		for (j = 0; j < r->ncond; j++) {
			c = &p->rules[i].conds[j];
			if (c->side == ABAC_SIDE_OBJECT)
				attr = c->attr;
			else if (abac_cond_is_relation(c->kind) &&
				 c->rhs_side == ABAC_SIDE_OBJECT)
				attr = c->rhs;
			else
				continue;
			if (attr >= n || attr >= 32 ||
			    oa[attr].type != ABAC_TYPE_INT ||
			    (warned & (1U << attr)))
				continue;
			warned |= 1U << attr;
			abac_diag_add(d, true, r->file, c->line, c->column,
				      "rule '%s' reads int object attribute '%s' on files, but a file label cannot carry a number: files have only its default (a label naming it is a bad label); network objects can carry it",
				      r->id, oa[attr].name);
		}
	}
}

/*
 * Every capability grant: what the guard withholds is each a way out of
 * containment, so a grant is never something to pass over unread.
 */
static void lint_grants(const struct abac_policy *p, struct abac_diags *d)
{
	const struct abac_cap_grant *g;
	char caps[256];
	unsigned int i;

	__u32 setup = ABAC_CAP_GRANT_BIT(ABAC_CAP_SETUP);

	for (i = 0; i < p->ngrants; i++) {
		g = &p->grants[i];
		if (g->caps & ~setup)
			abac_diag_add(d, true, g->r.file, g->r.line,
				      g->r.column,
				      "grant '%s' gives tagged subjects back %s, withheld because each leads out of containment (Documentation/threat-model.rst, \"Capabilities\"): make sure its subject conditions name only the services that need it",
				      g->r.id, abac_caps_text(g->caps & ~setup,
							       caps,
							       sizeof(caps)));
		if (g->caps & setup)
			abac_diag_add(d, true, g->r.file, g->r.line,
				      g->r.column,
				      "grant '%s' gives setup: a process of its subjects that an untagged process (a container runtime, systemd) moved into their cgroup may, until its first execve there, mount, make namespaces and use every withheld capability (Documentation/threat-model.rst, \"Set-up\"): make sure its subject conditions name only pods or units a runtime sets up",
				      g->r.id);
	}
}

static void lint_shadowed(const struct abac_policy *p, struct abac_diags *d);
static void lint_overlaps(const struct abac_policy *p, struct abac_diags *d);

/* Notes of overlapping allow and deny pairs kept; the rest are counted. */
#define LINT_OVERLAP_NOTES	1000

/*
 * The checks that compare every rule with every rule before it (shadowed
 * rules, overlaps) run up to this many rules: past it they would take
 * minutes (a hundred thousand rules are five billion pairs), so they are
 * skipped with a note saying so.
 */
#define LINT_PAIRS_MAX		10000

/**
 * abac_policy_lint() - warn about what compiles but is likely a mistake.
 * @p: a parsed policy (all its layers).
 * @d: receives warnings, at the place of the rule or attribute.
 */
void abac_policy_lint(const struct abac_policy *p, struct abac_diags *d)
{
	lint_unused(p, d);
	lint_grants(p, d);
	lint_int_labels(p, d);
	if (p->nrules > LINT_PAIRS_MAX) {
		abac_diag_add(d, true, p->file, 0, 0,
			      "%u rules: the checks between pairs of rules (shadowed rules, overlaps, rules that never apply) run on at most %u and were skipped",
			      p->nrules, LINT_PAIRS_MAX);
		abac_diag_mark_note(d);
		return;
	}
	lint_shadowed(p, d);
	abac_policy_lint_space(p, d);
	lint_overlaps(p, d);
}

/* Rules an earlier or stronger one always decides before. */
static void lint_shadowed(const struct abac_policy *p, struct abac_diags *d)
{
	const struct abac_rule_def *a, *b;
	unsigned int i, j;

	for (j = 0; j < p->nrules; j++) {
		b = &p->rules[j];
		for (i = 0; i < j; i++) {
			a = &p->rules[i];
			if (shadows(p, a, b)) {
				abac_diag_add(d, true, b->file, b->line,
					      b->column,
					      "rule '%s' never decides: rule '%s' (line %u) applies to every request it does and decides first",
					      b->id, a->id, a->line);
				break;
			}
		}
	}
}

/* Allow and deny rules that can apply to one request (notes). */
static void lint_overlaps(const struct abac_policy *p, struct abac_diags *d)
{
	const struct abac_rule_def *a, *b;
	unsigned long more = 0;
	unsigned int i, j, kept = 0;

	for (j = 0; j < p->nrules; j++) {
		b = &p->rules[j];
		for (i = 0; i < j; i++) {
			a = &p->rules[i];
			if (a->effect == b->effect || a->layer != b->layer ||
			    !may_overlap(a, b) || covers(a, b) || covers(b, a))
				continue;
			if (kept == LINT_OVERLAP_NOTES) {	/* keep memory bounded */
				more++;
				continue;
			}
			kept++;
			abac_diag_add(d, true, b->file, b->line, b->column,
				      "%s rule '%s' and %s rule '%s' (line %u) can apply to the same request; the combining algorithm decides which wins",
				      b->effect == ABAC_ALLOW ? "allow" : "deny",
				      b->id,
				      a->effect == ABAC_ALLOW ? "allow" : "deny",
				      a->id, a->line);
			abac_diag_mark_note(d);
		}
	}
	if (more) {
		abac_diag_add(d, true, p->file, 0, 0,
			      "%lu more pairs of allow and deny rules can apply to the same request",
			      more);
		abac_diag_mark_note(d);
	}
}
