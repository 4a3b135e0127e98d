// SPDX-License-Identifier: GPL-2.0-only
/*
 * Subjects bound by name: a policy's 'subjects:' list.
 *
 *   subjects:
 *     - unit: ehr-*.service              # system.slice/ehr-*.service
 *       attributes: {role: ehr}
 *     - unit: billing.service
 *       slice: batch-low.slice           # batch.slice/batch-low.slice/...
 *       attributes: {role: billing}
 *     - cgroup: /kubepods.slice/pod-*.scope
 *       attributes: {role: worker}
 *
 * Each entry names one parent cgroup (exactly, no pattern) and a glob
 * for the name of the cgroups below it: literal bytes and at most one
 * '*'.  A cgroup whose parent is that one and whose own name matches is
 * tagged with the entry's attributes, as 'abac subject tag' would tag it.
 * The parent is exact, never a pattern, because users own delegated
 * subtrees: a user may name a cgroup "ehr-x.service" anywhere below
 * user.slice, and it must not be taken for the service.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* The suffixes of the unit types systemd gives a cgroup of their own. */
static const char *const unit_suffixes[] = { ".service", ".scope" };

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && !memcmp(s + len - n, suffix, n);
}

/* A byte systemd allows in a unit name (systemd.unit(5)), or '*'. */
static bool unit_char(char ch, bool star)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || strchr(":-_.\\@", ch) ||
	       (star && ch == '*');
}

/* A byte a cgroup's name may hold here: printable, no '/', no space. */
static bool cgroup_char(char ch)
{
	return (unsigned char)ch > ' ' && ch != 0x7f && ch != '/';
}

/*
 * Check the glob @s (@len bytes): at most one '*', none of the other
 * glob characters.  Returns false after reporting it at @n.
 */
static bool check_glob(struct pctx *c, const struct ynode *n, const char *s,
		       size_t len, const char *what)
{
	char q[SHOW_BYTES];
	const char *star = memchr(s, '*', len);

	if (star && memchr(star + 1, '*', len - (star + 1 - s))) {
		perr(c, n, "%s '%s' holds more than one '*': a binding matches a name with at most one '*'",
		     what, show(n->s, n->len, q));
		return false;
	}
	if (memchr(s, '?', len) || memchr(s, '[', len)) {
		perr(c, n, "%s '%s': a binding's only wildcard is one '*' ('?' and '[' are not patterns here)",
		     what, show(n->s, n->len, q));
		return false;
	}
	return true;
}

/* unit: NAME.service or NAME.scope, systemd's characters and one '*'. */
static bool check_unit(struct pctx *c, const struct ynode *n)
{
	char q[SHOW_BYTES];
	size_t i;

	if (!abac_parse_expect(c, n, YN_SCALAR, "'unit'") ||
	    !check_glob(c, n, n->s, n->len, "unit"))
		return false;
	for (i = 0; i < n->len; i++) {
		if (!unit_char(n->s[i], true)) {
			perr(c, n, "invalid unit name '%s': a unit name holds A-Z a-z 0-9 : - _ . \\ @ and here one '*'",
			     show(n->s, n->len, q));
			return false;
		}
	}
	for (i = 0; i < ARRAY_SIZE(unit_suffixes); i++) {
		if (ends_with(n->s, n->len, unit_suffixes[i]) &&
		    n->len > strlen(unit_suffixes[i]))
			return true;
	}
	perr(c, n, "unit '%s' is not a service or a scope: only units named *.service or *.scope run in a cgroup of their own",
	     show(n->s, n->len, q));
	return false;
}

/*
 * slice: NAME.slice, as systemd nests it: "a-b.slice" is the cgroup
 * a.slice/a-b.slice, "-.slice" the root.  Returns the parent path in
 * *@dir (malloc()ed) or false after reporting.
 */
static bool slice_dir(struct pctx *c, const struct ynode *n, char **dir)
{
	char q[SHOW_BYTES], *out, *o;
	size_t i, base;

	if (!abac_parse_expect(c, n, YN_SCALAR, "'slice'"))
		return false;
	if (scalar_is(n, "-.slice")) {
		*dir = strdup("");
		return *dir != NULL;
	}
	base = n->len - (ends_with(n->s, n->len, ".slice") ? 6 : 0);
	for (i = 0; i < base; i++)
		if (!unit_char(n->s[i], false) || n->s[i] == '@')
			break;
	if (base == n->len || !base || i < base || n->s[0] == '-' ||
	    n->s[base - 1] == '-' || memmem(n->s, base, "--", 2)) {
		perr(c, n, "invalid slice '%s': a slice is NAME.slice, its parts joined by single '-' (systemd.slice(5)), no pattern",
		     show(n->s, n->len, q));
		return false;
	}
	/* "a-b-c" becomes "a.slice/a-b.slice/a-b-c.slice" */
	out = malloc(base * (base + 7) + 1);
	if (!out)
		return false;
	o = out;
	for (i = 0; i <= base; i++) {
		if (i < base && n->s[i] != '-')
			continue;
		o += sprintf(o, "%s%.*s.slice", o == out ? "" : "/", (int)i,
			     n->s);
	}
	*dir = out;
	return true;
}

/*
 * cgroup: PARENT/GLOB below the cgroup2 root: the parent exact, the last
 * part a glob.  Returns the parent and the glob, malloc()ed.
 */
static bool cgroup_glob(struct pctx *c, const struct ynode *n, char **dir,
			char **glob)
{
	char q[SHOW_BYTES];
	const char *s, *slash, *part;
	size_t i, len;

	if (!abac_parse_expect(c, n, YN_SCALAR, "'cgroup'"))
		return false;
	s = n->s;
	while (*s == '/')
		s++;
	len = n->len - (s - n->s);
	for (part = s, i = 0; i <= len; i++) {
		if (i < len && s[i] != '/') {
			if (!cgroup_char(s[i]))
				break;
			continue;
		}
		if (s + i == part || (s + i - part == 1 && *part == '.') ||
		    (s + i - part == 2 && !memcmp(part, "..", 2)))
			break;
		part = s + i + 1;
	}
	if (!len || i <= len) {
		perr(c, n, "invalid cgroup '%s': a path below the cgroup2 root, parts of printable characters, no empty, '.' or '..' part",
		     show(n->s, n->len, q));
		return false;
	}
	slash = memrchr(s, '/', len);
	part = slash ? slash + 1 : s;
	if (memchr(s, '*', part - s)) {
		perr(c, n, "cgroup '%s': only its last part may hold a '*' (the parent is named exactly)",
		     show(n->s, n->len, q));
		return false;
	}
	if (!check_glob(c, n, part, len - (part - s), "cgroup"))
		return false;
	*dir = strndup(s, slash ? (size_t)(slash - s) : 0);
	*glob = strdup(part);
	return *dir && *glob;
}

/* One attribute of a binding, as tag text "key=v1,v2" in @out. */
static bool binding_pair(struct pctx *c, const struct ynode *key,
			 const struct ynode *val, FILE *out)
{
	char err[256], esc[2 * ABAC_VALUE_MAX + 1];
	const struct abac_attr_def *a;
	const struct ynode *v;
	char *pair = NULL, *quoted;
	size_t i, nv, plen;
	FILE *f;
	__u64 w;
	int idx;

	idx = abac_attr_find(c->p, ABAC_SIDE_SUBJECT, key->s, key->len);
	if (idx < 0) {
		const char *names[ABAC_MAX_ATTRS];
		unsigned int i;

		for (i = 0; i < c->p->nsattrs && i < ABAC_MAX_ATTRS; i++)
			names[i] = c->p->sattrs[i].name;
		abac_parse_unknown(c, key, "subject attribute", " in a binding",
				   names, i);
		return false;
	}
	a = &c->p->sattrs[idx];
	nv = val->kind == YN_SEQ ? val->n : 1;
	if (val->kind == YN_MAP || (val->kind == YN_SEQ &&
				    (a->type != ABAC_TYPE_SET || !nv))) {
		perr(c, val, "subject attribute '%s' takes %s here, not a %s",
		     a->name, a->type == ABAC_TYPE_SET ?
		     "a value or a list of values" : "one value",
		     kind_name(val->kind));
		return false;
	}
	f = open_memstream(&pair, &plen);
	if (!f)
		return false;
	fprintf(f, "%s=", a->name);
	for (i = 0; i < nv; i++) {
		v = val->kind == YN_SEQ ? val->kids[i] : val;
		if (!abac_parse_expect(c, v, YN_SCALAR, "a value") ||
		    abac_attr_value_word(a, v->s, v->len, &w, err,
					 sizeof(err))) {
			if (v->kind == YN_SCALAR)
				perr(c, v, "%s", err);
			fclose(f);
			free(pair);
			return false;
		}
		abac_value_escape(v->s, v->len, esc, sizeof(esc));
		fprintf(f, "%s%s", i ? "," : "", esc);
	}
	fclose(f);
	quoted = abac_pair_quote(pair);
	free(pair);
	if (!quoted)
		return false;
	fprintf(out, "%s", quoted);
	free(quoted);
	return true;
}

/* attributes: {KEY: VALUE, ...} into tag text in *@tags. */
static bool binding_tags(struct pctx *c, const struct ynode *n, char **tags)
{
	struct abac_attrs attrs;
	struct abac_diags one;
	bool ok = true;
	size_t i, len;
	FILE *f;

	if (!abac_parse_expect(c, n, YN_MAP, "'attributes' of a binding"))
		return false;
	if (!n->n) {
		perr(c, n, "a binding gives at least one subject attribute");
		return false;
	}
	f = open_memstream(tags, &len);
	if (!f)
		return false;
	for (i = 0; i + 1 < n->n; i += 2) {
		if (n->kids[i]->dup)
			continue;
		if (i)
			fputc(' ', f);
		if (!binding_pair(c, n->kids[i], n->kids[i + 1], f))
			ok = false;
	}
	if (fclose(f))
		ok = false;
	if (!ok)
		return false;
	if (len >= ABAC_TAGS_MAX) {
		perr(c, n, "the attributes of a binding are at most %d bytes as tags",
		     ABAC_TAGS_MAX - 1);
		return false;
	}
	/* the text must resolve exactly as 'abac subject tag' resolves it */
	abac_diags_init(&one);
	if (abac_tags_resolve(c->p, *tags, &attrs, &one) || one.errors) {
		perr(c, n, "the attributes of a binding do not resolve as tags: %s",
		     one.n ? one.v[0].msg : "?");
		ok = false;
	}
	abac_diags_free(&one);
	return ok;
}

/* Is @b the same parent and glob as an earlier entry? */
static bool binding_dup(struct pctx *c, const struct ynode *n,
			const struct abac_binding *b)
{
	const struct abac_policy *p = c->p;
	unsigned int i;

	for (i = 0; i < p->nbindings; i++) {
		if (!strcmp(p->bindings[i].dir, b->dir) &&
		    !strcmp(p->bindings[i].glob, b->glob)) {
			perr(c, n, "a binding for cgroup %s/%s is written before, at line %u",
			     b->dir, b->glob, p->bindings[i].line);
			return true;
		}
	}
	return false;
}

static bool parse_binding(struct pctx *c, const struct ynode *n,
			  struct abac_binding *b)
{
	static const struct key_spec keys[] = {
		{ "unit", false }, { "slice", false }, { "cgroup", false },
		{ "attributes", true },
	};
	const struct ynode *vals[ARRAY_SIZE(keys)];

	if (!abac_parse_expect(c, n, YN_MAP, "a binding of 'subjects'"))
		return false;
	b->line = n->line;
	b->column = n->col;
	abac_parse_fields(c, n, keys, ARRAY_SIZE(keys), vals,
			  " in a binding of 'subjects'");
	if (!vals[0] == !vals[2]) {
		perr(c, n, "a binding names either a 'unit' or a 'cgroup'%s",
		     vals[0] ? ", not both" : "");
		return false;
	}
	if (vals[1] && !vals[0]) {
		perr(c, vals[1], "'slice' goes with 'unit', not with 'cgroup' (write the slice's path in 'cgroup')");
		return false;
	}
	if (vals[0]) {
		if (!check_unit(c, vals[0]))
			return false;
		b->unit = strdup(vals[0]->s);
		b->glob = strdup(vals[0]->s);
		if (!vals[1])
			b->dir = strdup("system.slice");
		else if (!slice_dir(c, vals[1], &b->dir))
			return false;
		if (!b->dir)
			return false;
	} else if (!cgroup_glob(c, vals[2], &b->dir, &b->glob)) {
		return false;
	}
	if (!b->glob || (vals[0] && !b->unit) || binding_dup(c, n, b))
		return false;
	/* a cgroup's name is at most NAME_MAX bytes: so is the kernel's copy */
	if (strlen(b->glob) - !!strchr(b->glob, '*') > ABAC_BIND_NAME_MAX) {
		perr(c, n, "the name pattern of a binding is %zu bytes: at most %d (ABAC_BIND_NAME_MAX)",
		     strlen(b->glob), ABAC_BIND_NAME_MAX);
		return false;
	}
	return vals[3] && binding_tags(c, vals[3], &b->tags);
}

static void binding_clear(struct abac_binding *b)
{
	free(b->unit);
	free(b->dir);
	free(b->glob);
	free(b->tags);
	memset(b, 0, sizeof(*b));
}

/**
 * abac_parse_subjects() - parse a policy's subjects: list.
 * @c: the parser (a top layer, its attributes parsed).
 * @n: the list.
 */
void abac_parse_subjects(struct pctx *c, const struct ynode *n)
{
	struct abac_policy *p = c->p;
	size_t i;

	if (!abac_parse_expect(c, n, YN_SEQ, "'subjects'") || c->attrs_bad)
		return;
	if (n->n > ABAC_MAX_BINDINGS) {
		perr(c, n->kids[ABAC_MAX_BINDINGS], "more than %d bindings (ABAC_MAX_BINDINGS)",
		     ABAC_MAX_BINDINGS);
		return;
	}
	p->bindings = calloc(n->n + 1, sizeof(*p->bindings));
	if (!p->bindings) {
		perr(c, n, "out of memory");
		return;
	}
	for (i = 0; i < n->n && !c->stop; i++) {
		unsigned int errors = c->errors;

		if (parse_binding(c, n->kids[i], &p->bindings[p->nbindings])) {
			p->nbindings++;
			continue;
		}
		binding_clear(&p->bindings[p->nbindings]);
		/* never a binding dropped without an error */
		if (c->errors == errors)
			perr(c, n->kids[i], "out of memory");
	}
}

/**
 * abac_bindings_free() - free a policy's bindings.
 * @b: the bindings, or NULL.
 * @n: how many.
 */
void abac_bindings_free(struct abac_binding *b, unsigned int n)
{
	unsigned int i;

	for (i = 0; b && i < n; i++)
		binding_clear(&b[i]);
	free(b);
}

/**
 * abac_binding_match() - does a cgroup's own name match a binding's glob?
 * @b: the binding.
 * @name: the cgroup's last path component.
 *
 * Return: true when @name is the glob with its '*' (if any) standing for
 * any bytes, none included.
 */
bool abac_binding_match(const struct abac_binding *b, const char *name)
{
	const char *star = strchr(b->glob, '*');
	size_t pre, post, len = strlen(name);

	if (!star)
		return !strcmp(b->glob, name);
	pre = star - b->glob;
	post = strlen(star + 1);
	return len >= pre + post && !memcmp(name, b->glob, pre) &&
	       !memcmp(name + len - post, star + 1, post);
}

/**
 * abac_binding_find() - the binding that tags a cgroup.
 * @p: the policy.
 * @dir: the cgroup's parent below the cgroup2 root, no leading or
 *	trailing '/' ("" for the root).
 * @name: the cgroup's own name.
 *
 * Return: the first binding, in policy order, whose parent is @dir and
 * whose glob matches @name; NULL when none does.
 */
const struct abac_binding *abac_binding_find(const struct abac_policy *p,
					     const char *dir,
					     const char *name)
{
	unsigned int i;

	for (i = 0; i < p->nbindings; i++) {
		if (!strcmp(p->bindings[i].dir, dir) &&
		    abac_binding_match(&p->bindings[i], name))
			return &p->bindings[i];
	}
	return NULL;
}
