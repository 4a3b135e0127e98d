// SPDX-License-Identifier: GPL-2.0-only
/*
 * The policy parser's entry: YAML text in, a validated struct abac_policy
 * out.  It runs the two passes parse.h describes: the text to a tree
 * (yaml_tree.c), then the tree against the schema, top level here, then
 * the schema (schema.c), the value numbering relations impose
 * (relations.c), networks (networks.c), rules (rules.c) and capability
 * grants (grants.c).  Layering,
 * several files as one policy, is wholly in layers.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"

enum {
	T_VERSION, T_NAME, T_MODE, T_COMBINING, T_DEFAULT, T_TIMEZONE,
	T_ATTRIBUTES, T_NETWORKS, T_RULES, T_EVENTS, T_CAPABILITIES, T_SUBJECTS,
	T_COUNT
};

static const struct key_spec top_keys[T_COUNT] = {
	[T_VERSION] = { "version", true },
	[T_NAME] = { "name", true },
	[T_MODE] = { "mode", false },
	[T_COMBINING] = { "combining", false },
	[T_DEFAULT] = { "default", false },
	[T_TIMEZONE] = { "timezone", false },
	[T_ATTRIBUTES] = { "attributes", false },
	[T_NETWORKS] = { "networks", false },
	[T_RULES] = { "rules", true },
	[T_EVENTS] = { "events", false },
	[T_CAPABILITIES] = { "capabilities", false },
	[T_SUBJECTS] = { "subjects", false },
};

static const char *const mode_names[] = {
	[ABAC_MODE_ENFORCE] = "enforce",
	[ABAC_MODE_AUDIT] = "audit",
};

static const char *const combining_names[ABAC_COMBINE_COUNT] = {
	[ABAC_COMBINE_DENY_OVERRIDES] = "deny-overrides",
	[ABAC_COMBINE_PERMIT_OVERRIDES] = "permit-overrides",
	[ABAC_COMBINE_FIRST_APPLICABLE] = "first-applicable",
};

/* version: 1, the only version this compiler knows. */
static bool parse_version(struct pctx *c, const struct ynode *n)
{
	char q[SHOW_BYTES];

	if (!abac_parse_expect(c, n, YN_SCALAR, "'version'"))
		return false;
	if (!scalar_is(n, "1")) {
		perr(c, n, "unsupported policy language version '%s' (this compiler knows version 1)",
		     show(n->s, n->len, q));
		return false;
	}
	c->p->version = 1;
	return true;
}

/* Store enumeration @n (or keep *@out's default when @n is absent). */
static void parse_setting(struct pctx *c, const struct ynode *n,
			  const char *what, const char *const *names,
			  size_t count, unsigned int *out)
{
	int v;

	if (!n)
		return;
	v = abac_parse_enum(c, n, what, names, count);
	if (v >= 0)
		*out = v;
}

/* timezone: an IANA name the system knows ("Europe/Paris"), or UTC. */
static void parse_timezone(struct pctx *c, const struct ynode *n)
{
	char path[320], q[SHOW_BYTES];

	if (!abac_parse_expect(c, n, YN_SCALAR, "'timezone'"))
		return;
	if (!abac_name_valid(n->s, n->len) || strstr(n->s, "..") ||
	    n->s[0] == '/') {
		perr(c, n, "invalid timezone '%s'", show(n->s, n->len, q));
		return;
	}
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", n->s);
	if (strcmp(n->s, "UTC") && access(path, R_OK))
		pwarn(c, n, "timezone '%s' is not in /usr/share/zoneinfo on this machine; time conditions will use UTC here",
		      show(n->s, n->len, q));
	free(c->p->timezone);
	c->p->timezone = strdup(n->s);
}

/* A whole number from 0 to @max, for a setting named @what. */
static bool get_uint(struct pctx *c, const struct ynode *n, const char *what,
		     unsigned long max, unsigned int *out)
{
	char q[SHOW_BYTES], *end;
	unsigned long v;

	if (!abac_parse_expect(c, n, YN_SCALAR, what))
		return false;
	errno = 0;
	v = strtoul(n->s, &end, 10);
	if (!n->len || *end || errno || v > max || n->s[0] == '-' ||
	    n->s[0] == '+' || n->s[0] == ' ') {
		perr(c, n, "%s must be a whole number from 0 to %lu, not '%s'",
		     what, max, show(n->s, n->len, q));
		return false;
	}
	*out = v;
	return true;
}

/*
 * events: {fold-window: MS, budget: N, sample-allows: N}: how the kernel
 * folds repeated denials (0 ms: never), how many records a second one
 * cgroup may send before its denials fold per rule (bpf/fold.h), and the
 * one allowed decision in N it reports too (0: none).
 */
static void parse_events(struct pctx *c, const struct ynode *n)
{
	static const struct key_spec keys[] = {
		{ "fold-window", false }, { "budget", false },
		{ "sample-allows", false },
	};
	const struct ynode *vals[ARRAY_SIZE(keys)];

	if (!abac_parse_expect(c, n, YN_MAP, "'events'"))
		return;
	abac_parse_fields(c, n, keys, ARRAY_SIZE(keys), vals, " in 'events'");
	if (vals[2])
		get_uint(c, vals[2],
			 "'sample-allows' (one allowed decision in N; 0: none)",
			 ABAC_ALLOW_SAMPLE_MAX, &c->p->allow_sample);
	if (vals[0])
		get_uint(c, vals[0], "'fold-window' (milliseconds)", 3600000,
			 &c->p->fold_window_ms);
	if (vals[1] && get_uint(c, vals[1], "'budget' (records a second)",
				1000000, &c->p->event_budget) &&
	    !c->p->event_budget)
		perr(c, vals[1], "'budget' must be at least 1 record a second");
}

/* A lower layer: the keys only the top layer sets, then its schema. */
static void lower_layer(struct pctx *c, const struct ynode **vals)
{
	static const unsigned int top_only[] = {
		T_MODE, T_DEFAULT, T_TIMEZONE, T_ATTRIBUTES, T_NETWORKS,
		T_EVENTS, T_CAPABILITIES, T_SUBJECTS,
	};
	const struct ynode *set[ARRAY_SIZE(top_only)];
	const char *names[ARRAY_SIZE(top_only)];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(top_only); i++) {
		set[i] = vals[top_only[i]];
		names[i] = top_keys[top_only[i]].name;
	}
	abac_parse_lower_layer(c, set, names, ARRAY_SIZE(top_only));
}

static void parse_top(struct pctx *c, const struct ynode *root)
{
	const struct ynode *vals[T_COUNT];
	struct abac_policy *p = c->p;

	if (!abac_parse_expect(c, root, YN_MAP, "the policy"))
		return;
	abac_parse_fields(c, root, top_keys, T_COUNT, vals, " at top level");
	if (vals[T_VERSION] && !parse_version(c, vals[T_VERSION]))
		return;	/* another language: the rest would be noise */
	if (vals[T_NAME])
		abac_parse_name(c, vals[T_NAME], "policy name", &p->name);
	parse_setting(c, vals[T_COMBINING], "combining algorithm",
		      combining_names, ABAC_COMBINE_COUNT, &p->combining);
	if (c->top) {
		lower_layer(c, vals);
	} else {
		parse_setting(c, vals[T_MODE], "mode", mode_names, 2,
			      &p->mode);
		parse_setting(c, vals[T_DEFAULT], "default effect",
			      abac_effect_names, 2, &p->default_effect);
		if (vals[T_TIMEZONE])
			parse_timezone(c, vals[T_TIMEZONE]);
		if (vals[T_EVENTS])
			parse_events(c, vals[T_EVENTS]);
		if (vals[T_ATTRIBUTES]) {
			abac_parse_attributes(c, vals[T_ATTRIBUTES]);
		} else {
			/*
			 * Most likely a lower layer checked alone: say so,
			 * rather than call each attribute its rules name
			 * unknown.
			 */
			perr(c, root, "missing key 'attributes' at top level (a lower layer names its top layer's attributes: check it as 'abac policy check --layers TOP.yaml %s')",
			     c->file);
			return;
		}
		abac_parse_unify_numbering(c, vals[T_RULES]);
		abac_parse_defaults_aliases(c);
		if (vals[T_NETWORKS])
			abac_parse_networks(c, vals[T_NETWORKS]);
		if (vals[T_CAPABILITIES])
			abac_parse_capabilities(c, vals[T_CAPABILITIES]);
		if (vals[T_SUBJECTS])
			abac_parse_subjects(c, vals[T_SUBJECTS]);
	}
	if (vals[T_RULES])
		abac_parse_rules(c, vals[T_RULES]);
	abac_parse_open_collisions(c);
}

/* ---- entry points ------------------------------------------------------ */

/**
 * abac_policy_free() - release a policy and everything it holds.
 * @p: the policy, or NULL.
 */
void abac_policy_free(struct abac_policy *p)
{
	unsigned int i;

	if (!p)
		return;
	abac_attr_defs_free(p->sattrs, p->nsattrs);
	abac_attr_defs_free(p->oattrs, p->noattrs);
	abac_attr_defs_free(p->eattrs, p->neattrs);
	abac_rules_free(p->rules, p->nrules);
	abac_grants_free(p->grants, p->ngrants);
	abac_bindings_free(p->bindings, p->nbindings);
	for (i = 0; p->nets && i < p->nnets; i++) {
		free(p->nets[i].name);
		free(p->nets[i].cidrs);
		free(p->nets[i].port_lo);
		free(p->nets[i].port_hi);
	}
	free(p->nets);
	for (i = 1; i < ABAC_MAX_LAYERS; i++)
		free(p->layer_file[i]);
	free(p->timezone);
	free(p->name);
	free(p->file);
	free(p);
}

/**
 * abac_parse_text() - parse one policy text, the top layer or a lower one.
 * @name: the file name errors are reported under.
 * @buf: the YAML text.
 * @len: bytes in @buf.
 * @top: NULL for a top layer; for a lower layer, the top layer whose
 *	schema it borrows (layers.c).
 * @out: receives the policy on success; untouched on failure.
 * @diags: receives every error and warning.
 *
 * Return: 0 or a negative errno, as abac_policy_parse_buf().
 */
int abac_parse_text(const char *name, const char *buf, size_t len,
		    const struct abac_policy *top, struct abac_policy **out,
		    struct abac_diags *diags)
{
	struct pctx c = {
		.file = name ? name : "<buffer>",
		.buf = buf ? buf : "",
		.len = buf ? len : 0,
		.diags = diags,
		.top = top,
	};
	struct ynode *root = NULL;
	int err;

	if (c.len > ABAC_POLICY_MAX_BYTES) {
		abac_parse_report(&c, false, 0, 0,
				  "policy is larger than %u MiB (%zu bytes)",
				  ABAC_POLICY_MAX_BYTES >> 20, c.len);
		return -EFBIG;
	}
	/* a UTF-8 byte order mark is invisible in an editor: skip it */
	if (c.len >= 3 && !memcmp(c.buf, "\xef\xbb\xbf", 3)) {
		c.buf += 3;
		c.len -= 3;
	}
	err = abac_parse_check_text(&c);
	if (!err)
		err = abac_yaml_tree(&c, &root);
	if (err)
		goto fail;
	if (!root) {
		abac_parse_report(&c, false, 1, 1, "the policy is empty");
		err = -EINVAL;
		goto fail;
	}
	err = -ENOMEM;
	c.p = calloc(1, sizeof(*c.p));
	if (!c.p)
		goto free_root;
	c.p->file = strdup(c.file);
	c.p->nlayers = 1;
	c.p->fold_window_ms = ABAC_FOLD_WINDOW_MS_DEFAULT;
	c.p->event_budget = ABAC_EVENT_BUDGET_DEFAULT;
	if (!c.p->file)
		goto free_root;
	parse_top(&c, root);
	c.p->layer_combining[0] = c.p->combining;
	c.p->layer_file[0] = c.p->file;
	if (!c.p->timezone && !top)
		c.p->timezone = strdup("UTC");
	if (c.errors) {
		err = -EINVAL;
		goto free_root;
	}
	abac_ynode_free(root);
	*out = c.p;
	return 0;

free_root:
	abac_ynode_free(root);
	if (top && c.p)		/* the schema is the top layer's */
		abac_layer_drop_schema(c.p);
	abac_policy_free(c.p);
fail:
	if (!c.errors)
		abac_parse_report(&c, false, 0, 0, "%s", strerror(-err));
	return err;
}

/**
 * abac_policy_parse_buf() - parse and validate a policy text.
 * @name: the file name errors are reported under.
 * @buf: the YAML text; it need not be NUL-terminated.
 * @len: bytes in @buf, at most ABAC_POLICY_MAX_BYTES.
 * @out: receives the policy on success; untouched on failure.
 * @diags: receives every error and warning.
 *
 * Return: 0; -EINVAL for an invalid policy, -EFBIG for a text over
 * ABAC_POLICY_MAX_BYTES, -ENOMEM; on failure @diags holds an error.
 */
int abac_policy_parse_buf(const char *name, const char *buf, size_t len,
			  struct abac_policy **out, struct abac_diags *diags)
{
	return abac_parse_text(name, buf, len, NULL, out, diags);
}
