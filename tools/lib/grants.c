// SPDX-License-Identifier: GPL-2.0-only
/*
 * Capability grants: the "capabilities:" list of a policy.  The guard
 * withholds the capabilities of ABAC_CAPS_WITHHELD (and new user
 * namespaces) from every tagged subject; a grant gives some of them back
 * to the subjects its conditions match:
 *
 *   capabilities:
 *     - id: timekeeper-sets-the-clock
 *       nlp: "The time service may set the system clock."
 *       grant: [sys_time]
 *       subject: {role: timekeeper}
 *
 * The compiler evaluates every grant against every tagged subject when
 * it builds an image (abac_grants_for(), with the kernel's own
 * abac_cond_eval()) and writes the result into the subject's key record,
 * so that the capable hook tests one bit.  A grant holds subject
 * conditions only: a capability is held or not, whatever the object or
 * the hour.  abac policy lint warns of every grant (lint.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* The withheld capabilities by their policy-language names. */
#define CAP_NAME(number, name)	[number] = name,
static const char *const cap_names[ABAC_CAP_USERNS + 1] = {
	ABAC_CAPS_WITHHELD_NAMES(CAP_NAME)
	[ABAC_CAP_SETUP] = "setup",
	[ABAC_CAP_USERNS] = "userns",
};
#undef CAP_NAME

/* The capabilities tagged root keeps (linux/capability.h, 6.12). */
static const char *const kept_caps[] = {
	"chown", "dac_override", "dac_read_search", "fowner", "fsetid",
	"kill", "setgid", "setuid", "setpcap", "net_bind_service",
	"net_broadcast", "ipc_lock", "ipc_owner", "sys_chroot", "sys_pacct",
	"sys_nice", "sys_resource", "sys_tty_config", "mknod", "lease",
	"audit_write", "audit_control", "setfcap", "syslog", "wake_alarm",
	"block_suspend", "audit_read", "checkpoint_restore",
};

/**
 * abac_caps_text() - the names of granted capabilities.
 * @caps: ABAC_CAP_GRANT_BIT() of each.
 * @buf: receives "sys_time,userns" ("" for none).
 * @sz: bytes at @buf.
 *
 * Return: @buf.
 */
const char *abac_caps_text(__u32 caps, char *buf, size_t sz)
{
	size_t used = 0;
	unsigned int cap;
	int n;

	if (sz)
		buf[0] = '\0';
	for (cap = 0; cap <= ABAC_CAP_USERNS && used < sz; cap++) {
		if (!cap_names[cap] || !(caps & ABAC_CAP_GRANT_BIT(cap)))
			continue;
		n = snprintf(buf + used, sz - used, "%s%s", used ? "," : "",
			     cap_names[cap]);
		if (n < 0)
			break;
		used += n;
	}
	return buf;
}

/* grant: a capability name or a list of them, into @g->caps. */
static void parse_caps(struct pctx *c, const struct ynode *n,
		       struct abac_cap_grant *g, const char *label)
{
	size_t i, cnt = n->kind == YN_SEQ ? n->n : 1;
	char q[SHOW_BYTES];
	__u32 bit;
	int cap;

	if (n->kind == YN_MAP || (n->kind == YN_SEQ && !n->n)) {
		perr(c, n, "%s: 'grant' is a capability or a list of them, such as [sys_time]",
		     label);
		return;
	}
	for (i = 0; i < cnt; i++) {
		const struct ynode *v = n->kind == YN_SEQ ? n->kids[i] : n;
		size_t k;

		for (k = 0; v->kind == YN_SCALAR && k < ARRAY_SIZE(kept_caps);
		     k++)
			if (scalar_is(v, kept_caps[k]))
				break;
		if (v->kind == YN_SCALAR && k < ARRAY_SIZE(kept_caps)) {
			perr(c, v, "%s: tagged subjects keep capability '%s': only the withheld ones can be granted",
			     label, kept_caps[k]);
			continue;
		}
		cap = abac_parse_enum(c, v, "withheld capability", cap_names,
				      ARRAY_SIZE(cap_names));
		if (cap < 0)
			continue;
		bit = ABAC_CAP_GRANT_BIT(cap);
		if (g->caps & bit)
			pwarn(c, v, "%s: capability '%s' listed twice", label,
			      show(v->s, v->len, q));
		g->caps |= bit;
	}
}

enum { G_ID, G_NLP, G_GRANT, G_SUBJECT, G_COUNT };

static const struct key_spec grant_keys[G_COUNT] = {
	[G_ID] = { "id", true },
	[G_NLP] = { "nlp", true },
	[G_GRANT] = { "grant", true },
	[G_SUBJECT] = { "subject", true },
};

static void parse_grant(struct pctx *c, const struct ynode *n,
			unsigned int idx)
{
	struct abac_cap_grant *g = &c->p->grants[idx];
	const struct ynode *vals[G_COUNT], *id;
	char label[96], where[104], q[SHOW_BYTES];
	unsigned int i;

	g->r.line = n->line;
	g->r.column = n->col;
	g->r.file = c->p->file;
	snprintf(label, sizeof(label), "grant #%u", idx + 1);
	if (!abac_parse_expect(c, n, YN_MAP, label))
		return;
	g->r.conds = calloc(ABAC_MAX_CONDS, sizeof(*g->r.conds));
	if (!g->r.conds) {
		perr(c, n, "out of memory");
		return;
	}
	id = abac_parse_get(n, "id");
	if (id && id->kind == YN_SCALAR && abac_name_valid(id->s, id->len))
		snprintf(label, sizeof(label), "grant '%s'",
			 show(id->s, id->len, q));
	snprintf(where, sizeof(where), " in %s", label);
	abac_parse_fields(c, n, grant_keys, G_COUNT, vals, where);
	if (vals[G_ID] && abac_parse_name(c, vals[G_ID], "grant id", &g->r.id)) {
		for (i = 0; i < idx; i++) {
			if (c->p->grants[i].r.id &&
			    !strcmp(c->p->grants[i].r.id, g->r.id)) {
				perr(c, vals[G_ID], "duplicate grant id '%s' (first at line %u)",
				     g->r.id, c->p->grants[i].r.line);
				break;
			}
		}
	}
	if (vals[G_NLP])
		abac_parse_rule_part(c, vals[G_NLP], "nlp", &g->r, label);
	if (vals[G_GRANT])
		parse_caps(c, vals[G_GRANT], g, label);
	if (!vals[G_SUBJECT])
		return;
	abac_parse_rule_part(c, vals[G_SUBJECT], "subject", &g->r, label);
	if (vals[G_SUBJECT]->kind == YN_MAP && !vals[G_SUBJECT]->n)
		perr(c, vals[G_SUBJECT], "%s: 'subject' names whom the grant is for: give at least one condition",
		     label);
}

/**
 * abac_parse_capabilities() - parse a policy's capabilities: list.
 * @c: the parser (a top layer: lower layers take no grants).
 * @n: the list.
 */
void abac_parse_capabilities(struct pctx *c, const struct ynode *n)
{
	struct abac_policy *p = c->p;
	size_t i;

	if (!abac_parse_expect(c, n, YN_SEQ, "'capabilities'"))
		return;
	if (n->n > ABAC_MAX_RULES) {
		perr(c, n->kids[ABAC_MAX_RULES], "more than %d grants",
		     ABAC_MAX_RULES);
		return;
	}
	p->grants = calloc(n->n + 1, sizeof(*p->grants));
	if (!p->grants) {
		perr(c, n, "out of memory");
		return;
	}
	for (i = 0; i < n->n && !c->stop; i++) {
		parse_grant(c, n->kids[i], i);
		p->ngrants++;
	}
}

/*
 * A condition against a constant set, whose members the grant holds
 * itself (the image holds those of the rules only): each searched in
 * the subject's set.
 */
static int grant_set_eval(const struct abac_image *img,
			  const struct abac_rule_cond *c,
			  const struct abac_request *rq)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	__u64 v = abac_attr_value(img, hdr, rq, c->side, c->attr);
	unsigned int i, hits = 0;
	int r;

	if (!v)
		return ABAC_CV_INDET;
	if (c->kind == ABAC_COND_IN || c->kind == ABAC_COND_NOT_IN) {
		for (i = 0; i < c->set.n; i++)
			hits += c->set.w[i] == v;
		return c->kind == ABAC_COND_IN ? hits > 0 : hits == 0;
	}
	for (i = 0; i < c->set.n; i++) {
		r = abac_set_has(img, hdr, NULL, v, c->set.w[i]);
		if (r < 0)
			return r;
		hits += r;
	}
	if (c->kind == ABAC_COND_SET_ANY)
		return hits > 0;
	if (c->kind == ABAC_COND_SET_ALL)
		return hits == c->set.n;
	return hits == 0;
}

/* Do all of @g's conditions hold for @rq's subject? */
static bool grant_matches(const struct abac_cap_grant *g,
			  const struct abac_image *img,
			  const struct abac_request *rq)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	struct abac_cond k;
	unsigned int i;

	for (i = 0; i < g->r.ncond; i++) {
		if (abac_cond_takes_set(g->r.conds[i].kind)) {
			if (grant_set_eval(img, &g->r.conds[i], rq) !=
			    ABAC_CV_TRUE)
				return false;
			continue;
		}
		memset(&k, 0, sizeof(k));
		k.side = g->r.conds[i].side;
		k.attr = g->r.conds[i].attr;
		k.kind = g->r.conds[i].kind;
		k.rhs = g->r.conds[i].rhs;
		k.rhs_side = g->r.conds[i].rhs_side;
		k.mask = g->r.conds[i].mask;
		/* an absent attribute (indeterminate) grants nothing */
		if (abac_cond_eval(img, hdr, &k, rq) != ABAC_CV_TRUE)
			return false;
	}
	return g->r.ncond > 0;
}

/**
 * abac_grants_for() - the capabilities a policy gives back to a subject.
 * @p: the policy.
 * @img: the image being built for it (its attribute defaults are read).
 * @subj: the subject's attributes.
 *
 * Return: ABAC_CAP_GRANT_BIT() of every capability of every grant whose
 * subject conditions all hold for @subj.
 */
__u32 abac_grants_for(const struct abac_policy *p,
		      const struct abac_image *img,
		      const struct abac_attrs *subj)
{
	struct abac_request rq = { .s = subj };
	__u32 caps = 0;
	unsigned int i;

	if (!abac_hdr(img))
		return 0;
	for (i = 0; i < p->ngrants; i++)
		if (grant_matches(&p->grants[i], img, &rq))
			caps |= p->grants[i].caps;
	return caps & ABAC_CAPS_GRANTABLE;
}

/**
 * abac_grants_free() - release a policy's grants.
 * @grants: the array, or NULL.
 * @n: its entries.
 */
void abac_grants_free(struct abac_cap_grant *grants, unsigned int n)
{
	unsigned int i;

	for (i = 0; grants && i < n; i++) {
		free(grants[i].r.id);
		free(grants[i].r.nlp);
		abac_rule_conds_free(&grants[i].r);
	}
	free(grants);
}
