// SPDX-License-Identifier: GPL-2.0-only
/*
 * The policy parser: YAML text in, a validated struct abac_policy out.
 *
 * It works in two passes.  The first turns libyaml's event stream into a
 * small tree (struct ynode) that remembers where every node was written,
 * and refuses what no policy needs but an attacker would use: anchors and
 * aliases, nesting deeper than YAML_DEPTH_MAX, scalars longer than
 * YAML_SCALAR_MAX bytes, NUL bytes, invalid UTF-8, several documents and
 * duplicate keys.  The second walks the tree against the schema: every
 * mapping is described by a table of known keys, every attribute type and
 * every condition form by one parser function, so that a later version of
 * the language adds a key, a type or a condition form by adding an entry.
 *
 * Errors are collected (up to MAX_ERRORS) and name the file, the line and
 * the column of the offending key or value.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "libabac.h"

#define YAML_DEPTH_MAX		32	/* nested collections */
#define YAML_SCALAR_MAX		4096	/* bytes of one scalar */
#define YAML_NODES_MAX		(1U << 19)
#define MAX_ERRORS		64	/* then stop: the rest are echoes */

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

/* ---- the YAML tree ----------------------------------------------------- */

enum ynode_kind {
	YN_SCALAR,
	YN_SEQ,
	YN_MAP,
};

/**
 * struct ynode - one YAML node and where it was written.
 * @kind: scalar, sequence ("list") or mapping.
 * @line: 1-based line.
 * @col: 1-based column, in characters.
 * @plain: a plain (unquoted) scalar, which may spell null.
 * @dup: a mapping key written before in the same mapping: skipped.
 * @s: a scalar's text, NUL-terminated (it may hold a "\0" escape too).
 * @len: bytes in @s.
 * @kids: a sequence's items; a mapping's keys and values, alternating.
 * @n: entries in @kids.
 * @cap: entries allocated.
 */
struct ynode {
	enum ynode_kind kind;
	unsigned int line, col;
	bool plain, dup;
	char *s;
	size_t len;
	struct ynode **kids;
	size_t n, cap;
};

/**
 * struct pctx - one parse.
 * @file: the name errors are reported under.
 * @buf: the source text.
 * @len: bytes in @buf.
 * @diags: where errors go.
 * @errors: errors this parse reported.
 * @stop: too many errors: report nothing more.
 * @attrs_bad: the attribute declarations had errors, so unknown
 *	attributes and values in rules are not reported (they would only be
 *	echoes of the first mistake).
 * @p: the policy being built.
 */
struct pctx {
	const char *file;
	const char *buf;
	size_t len;
	struct abac_diags *diags;
	unsigned int errors;
	bool stop;
	bool attrs_bad;
	struct abac_policy *p;
};

static void report(struct pctx *c, bool warning, unsigned int line,
		   unsigned int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void report(struct pctx *c, bool warning, unsigned int line,
		   unsigned int col, const char *fmt, ...)
{
	char msg[sizeof(((struct abac_diag *)0)->msg)];
	va_list ap;

	if (c->stop)
		return;
	if (!warning && c->errors == MAX_ERRORS) {
		abac_diag_add(c->diags, false, c->file, 0, 0,
			      "too many errors; stopping");
		c->errors++;
		c->stop = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	abac_diag_add(c->diags, warning, c->file, line, col, "%s", msg);
	if (!warning)
		c->errors++;
}

#define perr(c, node, ...) \
	report(c, false, (node) ? (node)->line : 0, (node) ? (node)->col : 0, \
	       __VA_ARGS__)
#define pwarn(c, node, ...) \
	report(c, true, (node) ? (node)->line : 0, (node) ? (node)->col : 0, \
	       __VA_ARGS__)

#define SHOW_BYTES	ABAC_QUOTE_BYTES
#define show(s, len, out) abac_quote(s, len, out)

static void ynode_free(struct ynode *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->n; i++)
		ynode_free(n->kids[i]);
	free(n->kids);
	free(n->s);
	free(n);
}

static const char *kind_name(enum ynode_kind k)
{
	return k == YN_MAP ? "mapping" : k == YN_SEQ ? "list" : "scalar";
}

/* Is scalar @n exactly @s?  (A quoted scalar may hold a "\0" escape.) */
static bool scalar_is(const struct ynode *n, const char *s)
{
	return n->kind == YN_SCALAR && n->len == strlen(s) &&
	       !memcmp(n->s, s, n->len);
}

static bool is_null(const struct ynode *n)
{
	if (n->kind != YN_SCALAR || !n->plain)
		return false;
	return !n->len || scalar_is(n, "~") || scalar_is(n, "null") ||
	       scalar_is(n, "Null") || scalar_is(n, "NULL");
}

/* ---- pass 1: libyaml events to a tree ---------------------------------- */

/**
 * struct ybuild - the tree being built.
 * @c: the parse.
 * @root: the document's top node.
 * @stack: the open collections, innermost last.
 * @depth: entries in @stack.
 * @nodes: nodes made so far.
 * @docs: documents seen.
 * @err: the first fatal error (negative errno), 0 while none.
 */
struct ybuild {
	struct pctx *c;
	struct ynode *root;
	struct ynode *stack[YAML_DEPTH_MAX];
	int depth;
	size_t nodes;
	unsigned int docs;
	int err;
};

/*
 * Bytes of the line break at @s (@n bytes readable), 0 if none.  The
 * breaks libyaml counts in its marks: LF, CR, CR LF, and NEL, LS and PS
 * (U+0085, U+2028, U+2029), so that every position in one message list
 * counts lines the same way.
 */
static size_t line_break(const unsigned char *s, size_t n)
{
	if (s[0] == '\n')
		return 1;
	if (s[0] == '\r')
		return n > 1 && s[1] == '\n' ? 2 : 1;
	if (n > 1 && s[0] == 0xc2 && s[1] == 0x85)
		return 2;
	if (n > 2 && s[0] == 0xe2 && s[1] == 0x80 &&
	    (s[2] == 0xa8 || s[2] == 0xa9))
		return 3;
	return 0;
}

/* Line and column (1-based, columns in characters) of byte @off. */
static void where_is(const char *buf, size_t len, size_t off,
		     unsigned int *line, unsigned int *col)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = 0, n;

	*line = 1;
	*col = 1;
	while (i < off && i < len) {
		n = line_break(s + i, len - i);
		if (n) {
			(*line)++;
			*col = 1;
			i += n;
			continue;
		}
		if ((s[i] & 0xc0) != 0x80)
			(*col)++;
		i++;
	}
}

/* A fatal error at libyaml mark @m: the tree is not built. */
#define yfail(b, m, ...) do { \
	report((b)->c, false, (m)->line + 1, (m)->column + 1, __VA_ARGS__); \
	(b)->err = -EINVAL; \
} while (0)

static bool no_anchor(struct ybuild *b, const yaml_event_t *ev,
		      const yaml_char_t *anchor)
{
	char q[SHOW_BYTES];

	if (!anchor)
		return true;
	yfail(b, &ev->start_mark, "anchors are not allowed in a policy ('&%s')",
	      show((const char *)anchor, strlen((const char *)anchor), q));
	return false;
}

static struct ynode *node_new(struct ybuild *b, enum ynode_kind kind,
			      const yaml_mark_t *m)
{
	struct ynode *n;

	if (b->nodes >= YAML_NODES_MAX) {
		yfail(b, m, "too many YAML nodes (at most %u)", YAML_NODES_MAX);
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (!n) {
		b->err = -ENOMEM;
		return NULL;
	}
	b->nodes++;
	n->kind = kind;
	n->line = m->line + 1;
	n->col = m->column + 1;
	return n;
}

static int kids_push(struct ynode *parent, struct ynode *kid)
{
	struct ynode **nk;
	size_t cap;

	if (parent->n == parent->cap) {
		cap = parent->cap ? parent->cap * 2 : 4;
		nk = realloc(parent->kids, cap * sizeof(*nk));
		if (!nk)
			return -ENOMEM;
		parent->kids = nk;
		parent->cap = cap;
	}
	parent->kids[parent->n++] = kid;
	return 0;
}

/* Hang @n under the innermost open collection, or make it the root. */
static void attach(struct ybuild *b, struct ynode *n)
{
	struct ynode *parent;

	if (!b->depth) {
		if (b->root) {	/* cannot happen: one document only */
			ynode_free(n);
			b->err = -EINVAL;
			return;
		}
		b->root = n;
		return;
	}
	parent = b->stack[b->depth - 1];
	if (parent->kind == YN_MAP && !(parent->n & 1) &&
	    n->kind != YN_SCALAR) {
		report(b->c, false, n->line, n->col,
		       "a mapping key must be a scalar, not a %s",
		       kind_name(n->kind));
		b->err = -EINVAL;
		ynode_free(n);
		return;
	}
	if (kids_push(parent, n)) {
		ynode_free(n);
		b->err = -ENOMEM;
	}
}

static void on_scalar(struct ybuild *b, const yaml_event_t *ev)
{
	size_t len = ev->data.scalar.length;
	struct ynode *n;

	if (!no_anchor(b, ev, ev->data.scalar.anchor))
		return;
	if (len > YAML_SCALAR_MAX) {
		yfail(b, &ev->start_mark, "scalar longer than %d bytes",
		      YAML_SCALAR_MAX);
		return;
	}
	n = node_new(b, YN_SCALAR, &ev->start_mark);
	if (!n)
		return;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	n->len = len;
	n->s = malloc(len + 1);
	if (!n->s) {
		ynode_free(n);
		b->err = -ENOMEM;
		return;
	}
	memcpy(n->s, ev->data.scalar.value, len);
	n->s[len] = '\0';
	attach(b, n);
}

static void on_open(struct ybuild *b, const yaml_event_t *ev,
		    enum ynode_kind kind, const yaml_char_t *anchor)
{
	struct ynode *n;

	if (!no_anchor(b, ev, anchor))
		return;
	if (b->depth == YAML_DEPTH_MAX) {
		yfail(b, &ev->start_mark, "nesting deeper than %d levels",
		      YAML_DEPTH_MAX);
		return;
	}
	n = node_new(b, kind, &ev->start_mark);
	if (!n)
		return;
	attach(b, n);
	if (!b->err)
		b->stack[b->depth++] = n;
}

static int key_cmp(const void *a, const void *b)
{
	const struct ynode *x = *(struct ynode *const *)a;
	const struct ynode *y = *(struct ynode *const *)b;
	int r;

	r = x->len < y->len ? -1 : x->len > y->len;
	if (!r)
		r = memcmp(x->s, y->s, x->len);
	if (!r)
		r = x->line < y->line ? -1 : x->line > y->line;
	if (!r)
		r = x->col < y->col ? -1 : x->col > y->col;
	return r;
}

/*
 * Mark every key written a second time in @map, and report it; the walk
 * then skips it, and the error fails the parse.  Sorting a copy keeps this
 * O(n log n) for a hostile mapping of half a million keys.
 */
static void check_dup_keys(struct ybuild *b, struct ynode *map)
{
	size_t nkeys = map->n / 2, i;
	struct ynode **keys;
	char q[SHOW_BYTES];

	if (nkeys < 2)
		return;
	keys = malloc(nkeys * sizeof(*keys));
	if (!keys) {
		b->err = -ENOMEM;
		return;
	}
	for (i = 0; i < nkeys; i++)
		keys[i] = map->kids[2 * i];
	qsort(keys, nkeys, sizeof(*keys), key_cmp);
	for (i = 1; i < nkeys; i++) {
		if (keys[i]->len != keys[i - 1]->len ||
		    memcmp(keys[i]->s, keys[i - 1]->s, keys[i]->len))
			continue;
		keys[i]->dup = true;
		report(b->c, false, keys[i]->line, keys[i]->col,
		       "duplicate key '%s' (first at line %u)",
		       show(keys[i]->s, keys[i]->len, q), keys[i - 1]->line);
	}
	free(keys);
}

static void on_close(struct ybuild *b)
{
	struct ynode *n;

	if (!b->depth) {
		b->err = -EINVAL;
		return;
	}
	n = b->stack[--b->depth];
	if (n->kind == YN_MAP)
		check_dup_keys(b, n);
}

static void on_alias(struct ybuild *b, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	char q[SHOW_BYTES];

	yfail(b, &ev->start_mark, "aliases are not allowed in a policy ('*%s')",
	      show(name, strlen(name), q));
}

static void on_event(struct ybuild *b, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (b->docs++)
			yfail(b, &ev->start_mark,
			      "a policy is one YAML document, not several");
		break;
	case YAML_SCALAR_EVENT:
		on_scalar(b, ev);
		break;
	case YAML_SEQUENCE_START_EVENT:
		on_open(b, ev, YN_SEQ, ev->data.sequence_start.anchor);
		break;
	case YAML_MAPPING_START_EVENT:
		on_open(b, ev, YN_MAP, ev->data.mapping_start.anchor);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		on_close(b);
		break;
	case YAML_ALIAS_EVENT:
		on_alias(b, ev);
		break;
	default:
		break;
	}
}

/* libyaml's own report of a syntax error, at its own line and column. */
static void yaml_failure(struct pctx *c, const yaml_parser_t *yp)
{
	unsigned int line, col;
	const char *problem = yp->problem ? yp->problem : "syntax error";

	if (yp->error == YAML_MEMORY_ERROR) {
		report(c, false, 0, 0, "out of memory while reading YAML");
		return;
	}
	if (yp->error == YAML_READER_ERROR) {
		where_is(c->buf, c->len, yp->problem_offset, &line, &col);
		report(c, false, line, col, "%s (byte 0x%02x)", problem,
		       yp->problem_value & 0xff);
		return;
	}
	line = yp->problem_mark.line + 1;
	col = yp->problem_mark.column + 1;
	if (yp->context)
		report(c, false, line, col, "%s %s (line %zu, column %zu)",
		       problem, yp->context, yp->context_mark.line + 1,
		       yp->context_mark.column + 1);
	else
		report(c, false, line, col, "%s", problem);
}

/* Pass 1: parse @c's text into a tree at *@root. */
static int build_tree(struct pctx *c, struct ynode **root)
{
	struct ybuild b = { .c = c };
	yaml_parser_t yp;
	yaml_event_t ev;
	bool done = false;

	if (!yaml_parser_initialize(&yp))
		return -ENOMEM;
	yaml_parser_set_input_string(&yp, (const unsigned char *)c->buf,
				     c->len);
	yaml_parser_set_encoding(&yp, YAML_UTF8_ENCODING);
	while (!done && !b.err) {
		if (!yaml_parser_parse(&yp, &ev)) {
			yaml_failure(c, &yp);
			b.err = yp.error == YAML_MEMORY_ERROR ? -ENOMEM :
								-EINVAL;
			break;
		}
		on_event(&b, &ev);
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&yp);
	if (b.err) {
		ynode_free(b.root);
		return b.err;
	}
	*root = b.root;
	return 0;
}

/* Refuse a NUL byte or invalid UTF-8 with its place, before libyaml. */
static int check_text(struct pctx *c)
{
	const unsigned char *s = (const unsigned char *)c->buf;
	unsigned int line, col;
	size_t i = 0, n;

	while (i < c->len) {
		if (!s[i]) {
			where_is(c->buf, c->len, i, &line, &col);
			report(c, false, line, col,
			       "NUL byte in the policy: not a YAML text");
			return -EINVAL;
		}
		n = abac_utf8_seq(s + i, c->len - i);
		if (!n) {
			where_is(c->buf, c->len, i, &line, &col);
			report(c, false, line, col,
			       "invalid UTF-8 (byte 0x%02x)", s[i]);
			return -EINVAL;
		}
		i += n;
	}
	return 0;
}

/* ---- pass 2 helpers: kinds, keys, names, enumerations ------------------ */

static bool expect_kind(struct pctx *c, const struct ynode *n,
			enum ynode_kind kind, const char *what)
{
	if (n->kind == kind)
		return true;
	perr(c, n, "expected a %s for %s, found a %s", kind_name(kind), what,
	     is_null(n) ? "null" : kind_name(n->kind));
	return false;
}

/**
 * struct key_spec - one key a mapping may hold.
 * @name: the key.
 * @required: a missing key is an error.
 */
struct key_spec {
	const char *name;
	bool required;
};

/* The value of key @name in @map, or NULL. */
static const struct ynode *map_get(const struct ynode *map, const char *name)
{
	size_t i;

	for (i = 0; i + 1 < map->n; i += 2)
		if (!map->kids[i]->dup && scalar_is(map->kids[i], name))
			return map->kids[i + 1];
	return NULL;
}

/* "unknown WHAT 'word' WHERE (did you mean 'x'?)", or with the choices. */
static void report_unknown(struct pctx *c, const struct ynode *n,
			   const char *what, const char *where,
			   const char *const *names, size_t count)
{
	const char *sug;
	char q[SHOW_BYTES], choices[256] = "";
	size_t i, o = 0;

	/*
	 * Past MAX_ERRORS nothing is reported: skip the edit distances too,
	 * or a text of 60000 unknown 60-character keys costs half a minute.
	 */
	if (c->stop)
		return;
	sug = abac_suggest(n->s, names, count);
	if (sug) {
		perr(c, n, "unknown %s '%s'%s (did you mean '%s'?)", what,
		     show(n->s, n->len, q), where, sug);
		return;
	}
	for (i = 0; i < count && o < sizeof(choices) - 1; i++)
		o += snprintf(choices + o, sizeof(choices) - o, "%s%s",
			      i ? ", " : "", names[i]);
	if (count && count <= 16)
		perr(c, n, "unknown %s '%s'%s (expected one of: %s)", what,
		     show(n->s, n->len, q), where, choices);
	else
		perr(c, n, "unknown %s '%s'%s", what, show(n->s, n->len, q),
		     where);
}

/*
 * Check the keys of @map against @spec: unknown keys and missing required
 * ones are errors.  vals[i] receives the value of spec[i], or NULL.
 */
static void map_fields(struct pctx *c, const struct ynode *map,
		       const struct key_spec *spec, size_t nspec,
		       const struct ynode **vals, const char *where)
{
	const char *names[16];
	size_t i, k;

	for (k = 0; k < nspec; k++) {
		names[k] = spec[k].name;
		vals[k] = map_get(map, spec[k].name);
	}
	for (i = 0; i + 1 < map->n; i += 2) {
		const struct ynode *key = map->kids[i];

		if (key->dup)
			continue;
		for (k = 0; k < nspec; k++)
			if (scalar_is(key, spec[k].name))
				break;
		if (k == nspec)
			report_unknown(c, key, "key", where, names, nspec);
	}
	for (k = 0; k < nspec; k++)
		if (spec[k].required && !vals[k])
			perr(c, map, "missing key '%s'%s", spec[k].name, where);
}

/* A scalar that is a valid name: a malloc()ed copy in *@out. */
static bool get_name(struct pctx *c, const struct ynode *n, const char *what,
		     char **out)
{
	char q[SHOW_BYTES];

	if (!expect_kind(c, n, YN_SCALAR, what))
		return false;
	if (!abac_name_valid(n->s, n->len)) {
		perr(c, n, "invalid %s '%s': names are 1 to 63 of the characters A-Z a-z 0-9 _ . : / @ + -",
		     what, show(n->s, n->len, q));
		return false;
	}
	*out = strdup(n->s);
	if (!*out) {
		perr(c, n, "out of memory");
		return false;
	}
	return true;
}

/* The index of scalar @n in @names, or -1 after reporting it. */
static int get_enum(struct pctx *c, const struct ynode *n, const char *what,
		    const char *const *names, size_t count)
{
	size_t i;

	if (!expect_kind(c, n, YN_SCALAR, what))
		return -1;
	for (i = 0; i < count; i++)
		if (names[i] && scalar_is(n, names[i]))
			return i;
	report_unknown(c, n, what, "", names, count);
	return -1;
}

/* ---- operations -------------------------------------------------------- */

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

/* ---- attributes -------------------------------------------------------- */

static const char *side_name(unsigned int side)
{
	return side == ABAC_SIDE_OBJECT ? "object" : "subject";
}

/* values: [a, b, ...] of a string attribute; @what names the attribute. */
static void parse_values(struct pctx *c, const struct ynode *n,
			 struct abac_attr_def *a, const char *what)
{
	char q[SHOW_BYTES], ctx[160];
	unsigned int j;
	size_t i;

	snprintf(ctx, sizeof(ctx), "'values' of %s", what);
	if (!expect_kind(c, n, YN_SEQ, ctx))
		return;
	if (!n->n)
		perr(c, n, "%s: values must not be empty", what);
	a->values = calloc(ABAC_MAX_VALUES, sizeof(*a->values));
	if (!a->values) {
		perr(c, n, "out of memory");
		return;
	}
	for (i = 0; i < n->n && !c->stop; i++) {
		const struct ynode *v = n->kids[i];
		char *name;

		if (a->nvalues == ABAC_MAX_VALUES) {
			perr(c, v, "%s: more than %d values", what,
			     ABAC_MAX_VALUES);
			return;
		}
		if (!get_name(c, v, "value", &name))
			continue;
		for (j = 0; j < a->nvalues; j++)
			if (!strcmp(a->values[j], name))
				break;
		if (j < a->nvalues) {
			perr(c, v, "duplicate value '%s' in %s",
			     show(v->s, v->len, q), what);
			free(name);
			continue;
		}
		a->values[a->nvalues++] = name;
	}
}

/*
 * An attribute type: its name in "type:", the keys its declaration may
 * hold besides "type", and its parser.
 */
struct attr_type {
	const char *name;
	const struct key_spec *keys;
	size_t nkeys;
	void (*parse)(struct pctx *c, const struct ynode **vals,
		      struct abac_attr_def *a, const char *what);
};

static void parse_string_attr(struct pctx *c, const struct ynode **vals,
			      struct abac_attr_def *a, const char *what)
{
	if (vals[1])
		parse_values(c, vals[1], a, what);
}

static const struct key_spec string_keys[] = {
	{ "type", true },
	{ "values", true },
};

static const struct attr_type attr_types[] = {
	{ "string", string_keys, 2, parse_string_attr },
};

#define N_ATTR_TYPES	ARRAY_SIZE(attr_types)

/*
 * name: {type: T, ...}; the declaration's other keys depend on T.  @what
 * names the attribute: "subject attribute 'role'".
 */
static void parse_attr(struct pctx *c, const struct ynode *val,
		       struct abac_attr_def *a, const char *what)
{
	const char *names[N_ATTR_TYPES];
	const struct ynode *vals[16], *type;
	char where[160];
	int t;
	size_t i;

	if (!expect_kind(c, val, YN_MAP, what))
		return;
	snprintf(where, sizeof(where), " in %s", what);
	type = map_get(val, "type");
	if (!type) {
		perr(c, val, "missing key 'type'%s", where);
		return;
	}
	for (i = 0; i < N_ATTR_TYPES; i++)
		names[i] = attr_types[i].name;
	t = get_enum(c, type, "attribute type", names, N_ATTR_TYPES);
	if (t < 0)
		return;
	map_fields(c, val, attr_types[t].keys, attr_types[t].nkeys, vals,
		   where);
	attr_types[t].parse(c, vals, a, what);
}

/* attributes: subject: or object: -- a mapping of name to declaration. */
static void parse_side(struct pctx *c, const struct ynode *n,
		       unsigned int side)
{
	struct abac_policy *p = c->p;
	struct abac_attr_def *defs;
	unsigned int *count;
	char where[128], q[SHOW_BYTES];
	size_t i;

	snprintf(where, sizeof(where), "'attributes: %s'", side_name(side));
	if (!expect_kind(c, n, YN_MAP, where))
		return;
	defs = calloc(ABAC_MAX_ATTRS, sizeof(*defs));
	if (!defs) {
		perr(c, n, "out of memory");
		return;
	}
	if (side == ABAC_SIDE_SUBJECT) {
		p->sattrs = defs;
		count = &p->nsattrs;
	} else {
		p->oattrs = defs;
		count = &p->noattrs;
	}
	for (i = 0; i + 1 < n->n && !c->stop; i += 2) {
		const struct ynode *key = n->kids[i];
		struct abac_attr_def *a = &defs[*count];

		if (key->dup)
			continue;
		if (*count == ABAC_MAX_ATTRS) {
			perr(c, key, "more than %d %s attributes",
			     ABAC_MAX_ATTRS, side_name(side));
			return;
		}
		if (!get_name(c, key, "attribute name", &a->name))
			continue;
		a->line = key->line;
		a->column = key->col;
		snprintf(where, sizeof(where), "%s attribute '%s'",
			 side_name(side), show(key->s, key->len, q));
		parse_attr(c, n->kids[i + 1], a, where);
		(*count)++;
	}
}

static void parse_attributes(struct pctx *c, const struct ynode *n)
{
	static const struct key_spec keys[] = {
		{ "subject", false },
		{ "object", false },
	};
	const struct ynode *vals[2];
	unsigned int before = c->errors;

	if (expect_kind(c, n, YN_MAP, "'attributes'")) {
		map_fields(c, n, keys, 2, vals, " in attributes");
		if (vals[0])
			parse_side(c, vals[0], ABAC_SIDE_SUBJECT);
		if (vals[1])
			parse_side(c, vals[1], ABAC_SIDE_OBJECT);
	}
	c->attrs_bad = c->errors != before;
}

/* ---- rules ------------------------------------------------------------- */

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

static const struct abac_attr_def *side_attrs(const struct abac_policy *p,
					      unsigned int side,
					      unsigned int *n)
{
	*n = side == ABAC_SIDE_SUBJECT ? p->nsattrs : p->noattrs;
	return side == ABAC_SIDE_SUBJECT ? p->sattrs : p->oattrs;
}

/* The bit of scalar @v among @a's values, or 0 after reporting it. */
static __u64 value_bit(struct pctx *c, const struct ynode *v,
		       const struct abac_attr_def *a, unsigned int side)
{
	char what[128];
	unsigned int i;

	snprintf(what, sizeof(what), "for %s attribute '%s'",
		 side_name(side), a->name);
	if (!expect_kind(c, v, YN_SCALAR, what + 4))
		return 0;
	for (i = 0; i < a->nvalues; i++)
		if (scalar_is(v, a->values[i]))
			return 1ULL << i;
	if (c->attrs_bad)
		return 0;
	snprintf(what, sizeof(what), " for %s attribute '%s'",
		 side_name(side), a->name);
	report_unknown(c, v, "value", what, (const char *const *)a->values,
		a->nvalues);
	return 0;
}

/* Condition form "attr: value": the attribute equals the value. */
static __u64 cond_equals(struct pctx *c, const struct ynode *v,
			 const struct abac_attr_def *a, unsigned int side,
			 const struct rule_ctx *rc)
{
	return value_bit(c, v, a, side);
}

/* Condition form "attr: [v1, v2]": the attribute is any of the values. */
static __u64 cond_any_of(struct pctx *c, const struct ynode *v,
			 const struct abac_attr_def *a, unsigned int side,
			 const struct rule_ctx *rc)
{
	char q[SHOW_BYTES];
	__u64 mask = 0, bit;
	size_t i;

	if (!v->n) {
		perr(c, v, "%s: empty list of values for %s attribute '%s'",
		     rc->label, side_name(side), a->name);
		return 0;
	}
	for (i = 0; i < v->n; i++) {
		bit = value_bit(c, v->kids[i], a, side);
		if (bit & mask)
			pwarn(c, v->kids[i], "%s: value '%s' listed twice",
			      rc->label,
			      show(v->kids[i]->s, v->kids[i]->len, q));
		mask |= bit;
	}
	return mask;
}

/*
 * The condition forms, by the YAML kind of the value.  A later language
 * version adds operators as mappings ({not: [...]}, {present: true}, ...).
 */
typedef __u64 (*cond_form_fn)(struct pctx *c, const struct ynode *v,
			      const struct abac_attr_def *a,
			      unsigned int side, const struct rule_ctx *rc);

static const cond_form_fn cond_forms[] = {
	[YN_SCALAR] = cond_equals,
	[YN_SEQ] = cond_any_of,
	[YN_MAP] = NULL,
};

/* One "attr: value" of a subject: or object: mapping. */
static bool parse_cond(struct pctx *c, const struct ynode *key,
		       const struct ynode *v, unsigned int side,
		       struct rule_ctx *rc, struct abac_rule_cond *out)
{
	const struct abac_attr_def *attrs;
	const char *names[ABAC_MAX_ATTRS];
	char what[64];
	unsigned int n, i;
	__u64 mask;

	attrs = side_attrs(c->p, side, &n);
	for (i = 0; i < n; i++) {
		names[i] = attrs[i].name;
		if (scalar_is(key, attrs[i].name))
			break;
	}
	if (i == n) {
		snprintf(what, sizeof(what), "%s attribute", side_name(side));
		if (!c->attrs_bad)
			report_unknown(c, key, what, rc->where, names, n);
		return false;
	}
	if (!cond_forms[v->kind] || is_null(v)) {
		perr(c, v, "%s: expected a value or a list of values for %s attribute '%s', found a %s",
		     rc->label, side_name(side), attrs[i].name,
		     is_null(v) ? "null" : kind_name(v->kind));
		return false;
	}
	mask = cond_forms[v->kind](c, v, &attrs[i], side, rc);
	if (!mask)
		return false;
	out->attr = i;
	out->mask = mask;
	return true;
}

/* subject: {...} or object: {...} of a rule. */
static void parse_conds(struct pctx *c, const struct ynode *n,
			unsigned int side, struct rule_ctx *rc)
{
	struct abac_rule_cond *conds;
	unsigned int *count, ncond;
	char what[128];
	size_t i;

	snprintf(what, sizeof(what), "'%s'%s", side_name(side), rc->where);
	if (!expect_kind(c, n, YN_MAP, what))
		return;
	conds = calloc(n->n / 2 + 1, sizeof(*conds));
	if (!conds) {
		perr(c, n, "out of memory");
		return;
	}
	if (side == ABAC_SIDE_SUBJECT) {
		rc->r->subj = conds;
		count = &rc->r->nsubj;
	} else {
		rc->r->obj = conds;
		count = &rc->r->nobj;
	}
	for (i = 0; i + 1 < n->n; i += 2) {
		const struct ynode *key = n->kids[i];

		if (key->dup)
			continue;
		ncond = rc->r->nsubj + rc->r->nobj;
		if (ncond == ABAC_MAX_CONDS) {
			perr(c, key, "%s: more than %d conditions", rc->label,
			     ABAC_MAX_CONDS);
			return;
		}
		if (parse_cond(c, key, n->kids[i + 1], side, rc,
			       &conds[*count]))
			(*count)++;
	}
}

static void parse_ops(struct pctx *c, const struct ynode *n,
		      struct rule_ctx *rc)
{
	char what[128], q[SHOW_BYTES];
	size_t i;
	int op;

	snprintf(what, sizeof(what), "'ops'%s", rc->where);
	if (!expect_kind(c, n, YN_SEQ, what))
		return;
	if (!n->n) {
		perr(c, n, "%s: ops must not be empty", rc->label);
		return;
	}
	for (i = 0; i < n->n; i++) {
		const struct ynode *v = n->kids[i];

		op = get_enum(c, v, "operation", op_names, ABAC_OP_COUNT);
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
	char what[128];
	size_t i;

	snprintf(what, sizeof(what), "'nlp'%s", rc->where);
	if (!expect_kind(c, n, YN_SCALAR, what))
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

/* id: a valid name, unique among the rules before. */
static void parse_id(struct pctx *c, const struct ynode *n,
		     struct rule_ctx *rc, unsigned int idx)
{
	struct abac_rule_def *rules = c->p->rules;
	unsigned int i;

	if (!get_name(c, n, "rule id", &rc->r->id))
		return;
	for (i = 0; i < idx; i++) {
		if (rules[i].id && !strcmp(rules[i].id, rc->r->id)) {
			perr(c, n, "duplicate rule id '%s' (first at line %u)",
			     rc->r->id, rules[i].line);
			return;
		}
	}
}

enum { R_ID, R_NLP, R_EFFECT, R_OPS, R_SUBJECT, R_OBJECT, R_COUNT };

static const struct key_spec rule_keys[R_COUNT] = {
	[R_ID] = { "id", true },
	[R_NLP] = { "nlp", true },
	[R_EFFECT] = { "effect", true },
	[R_OPS] = { "ops", true },
	[R_SUBJECT] = { "subject", false },
	[R_OBJECT] = { "object", false },
};

static const char *const effect_names[] = {
	[ABAC_DENY] = "deny",
	[ABAC_ALLOW] = "allow",
};

static void parse_rule(struct pctx *c, const struct ynode *n,
		       unsigned int idx)
{
	const struct ynode *vals[R_COUNT], *id;
	struct rule_ctx rc = { .r = &c->p->rules[idx] };
	char q[SHOW_BYTES];
	int effect;

	rc.r->line = n->line;
	rc.r->column = n->col;
	snprintf(rc.label, sizeof(rc.label), "rule #%u", idx + 1);
	if (!expect_kind(c, n, YN_MAP, rc.label))
		return;
	id = map_get(n, "id");
	if (id && id->kind == YN_SCALAR && abac_name_valid(id->s, id->len))
		snprintf(rc.label, sizeof(rc.label), "rule '%s'",
			 show(id->s, id->len, q));
	snprintf(rc.where, sizeof(rc.where), " in %s", rc.label);
	map_fields(c, n, rule_keys, R_COUNT, vals, rc.where);
	if (vals[R_ID])
		parse_id(c, vals[R_ID], &rc, idx);
	if (vals[R_NLP])
		parse_nlp(c, vals[R_NLP], &rc);
	if (vals[R_EFFECT]) {
		effect = get_enum(c, vals[R_EFFECT], "effect", effect_names, 2);
		rc.r->effect = effect == ABAC_ALLOW ? ABAC_ALLOW : ABAC_DENY;
	}
	if (vals[R_OPS])
		parse_ops(c, vals[R_OPS], &rc);
	if (vals[R_SUBJECT])
		parse_conds(c, vals[R_SUBJECT], ABAC_SIDE_SUBJECT, &rc);
	if (vals[R_OBJECT])
		parse_conds(c, vals[R_OBJECT], ABAC_SIDE_OBJECT, &rc);
}

static void parse_rules(struct pctx *c, const struct ynode *n)
{
	struct abac_policy *p = c->p;
	size_t i;

	if (!expect_kind(c, n, YN_SEQ, "'rules'"))
		return;
	if (n->n > ABAC_MAX_RULES) {
		perr(c, n->kids[ABAC_MAX_RULES], "more than %d rules",
		     ABAC_MAX_RULES);
		return;
	}
	p->rules = calloc(n->n + 1, sizeof(*p->rules));
	if (!p->rules) {
		perr(c, n, "out of memory");
		return;
	}
	for (i = 0; i < n->n && !c->stop; i++) {
		parse_rule(c, n->kids[i], i);
		p->nrules++;
	}
}

/* ---- the top level ----------------------------------------------------- */

enum {
	T_VERSION, T_NAME, T_MODE, T_COMBINING, T_DEFAULT, T_ATTRIBUTES,
	T_RULES, T_COUNT
};

static const struct key_spec top_keys[T_COUNT] = {
	[T_VERSION] = { "version", true },
	[T_NAME] = { "name", true },
	[T_MODE] = { "mode", false },
	[T_COMBINING] = { "combining", false },
	[T_DEFAULT] = { "default", false },
	[T_ATTRIBUTES] = { "attributes", true },
	[T_RULES] = { "rules", true },
};

static const char *const mode_names[] = {
	[ABAC_MODE_ENFORCE] = "enforce",
	[ABAC_MODE_AUDIT] = "audit",
};

static const char *const combining_names[] = {
	[ABAC_COMBINE_DENY_OVERRIDES] = "deny-overrides",
};

/* version: 1, the only version this compiler knows. */
static bool parse_version(struct pctx *c, const struct ynode *n)
{
	char q[SHOW_BYTES];

	if (!expect_kind(c, n, YN_SCALAR, "'version'"))
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
	v = get_enum(c, n, what, names, count);
	if (v >= 0)
		*out = v;
}

static void parse_top(struct pctx *c, const struct ynode *root)
{
	const struct ynode *vals[T_COUNT];
	struct abac_policy *p = c->p;

	if (!expect_kind(c, root, YN_MAP, "the policy"))
		return;
	map_fields(c, root, top_keys, T_COUNT, vals, " at top level");
	if (vals[T_VERSION] && !parse_version(c, vals[T_VERSION]))
		return;	/* another language: the rest would be noise */
	if (vals[T_NAME])
		get_name(c, vals[T_NAME], "policy name", &p->name);
	parse_setting(c, vals[T_MODE], "mode", mode_names, 2, &p->mode);
	parse_setting(c, vals[T_COMBINING], "combining algorithm",
		      combining_names, 1, &p->combining);
	parse_setting(c, vals[T_DEFAULT], "default effect", effect_names, 2,
		      &p->default_effect);
	if (vals[T_ATTRIBUTES])
		parse_attributes(c, vals[T_ATTRIBUTES]);
	else
		c->attrs_bad = true;
	if (vals[T_RULES])
		parse_rules(c, vals[T_RULES]);
}

/* ---- entry points ------------------------------------------------------ */

static void attr_defs_free(struct abac_attr_def *defs, unsigned int n)
{
	unsigned int i, j;

	if (!defs)
		return;
	for (i = 0; i < n; i++) {
		for (j = 0; j < defs[i].nvalues; j++)
			free(defs[i].values[j]);
		free(defs[i].values);
		free(defs[i].name);
	}
	free(defs);
}

/**
 * abac_policy_free() - release a policy and everything it holds.
 * @p: the policy, or NULL.
 */
void abac_policy_free(struct abac_policy *p)
{
	unsigned int i;

	if (!p)
		return;
	attr_defs_free(p->sattrs, p->nsattrs);
	attr_defs_free(p->oattrs, p->noattrs);
	for (i = 0; p->rules && i < p->nrules; i++) {
		free(p->rules[i].id);
		free(p->rules[i].nlp);
		free(p->rules[i].subj);
		free(p->rules[i].obj);
	}
	free(p->rules);
	free(p->name);
	free(p->file);
	free(p);
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
	struct pctx c = {
		.file = name ? name : "<buffer>",
		.buf = buf ? buf : "",
		.len = buf ? len : 0,
		.diags = diags,
	};
	struct ynode *root = NULL;
	int err;

	if (c.len > ABAC_POLICY_MAX_BYTES) {
		report(&c, false, 0, 0,
		       "policy is larger than 4 MiB (%zu bytes)", c.len);
		return -EFBIG;
	}
	/* a UTF-8 byte order mark is invisible in an editor: skip it */
	if (c.len >= 3 && !memcmp(c.buf, "\xef\xbb\xbf", 3)) {
		c.buf += 3;
		c.len -= 3;
	}
	err = check_text(&c);
	if (!err)
		err = build_tree(&c, &root);
	if (err)
		goto fail;
	if (!root) {
		report(&c, false, 1, 1, "the policy is empty");
		err = -EINVAL;
		goto fail;
	}
	err = -ENOMEM;
	c.p = calloc(1, sizeof(*c.p));
	if (!c.p)
		goto free_root;
	c.p->file = strdup(c.file);
	if (!c.p->file)
		goto free_root;
	parse_top(&c, root);
	if (c.errors) {
		err = -EINVAL;
		goto free_root;
	}
	ynode_free(root);
	*out = c.p;
	return 0;

free_root:
	ynode_free(root);
	abac_policy_free(c.p);
fail:
	if (!c.errors)
		report(&c, false, 0, 0, "%s", strerror(-err));
	return err;
}

/**
 * abac_policy_parse_file() - read, parse and validate a policy file.
 * @path: the file.
 * @out: receives the policy on success; untouched on failure.
 * @diags: receives every error and warning, under the name @path.
 *
 * Return: 0, or a negative errno as abac_policy_parse_buf() or as reading
 * the file failed; on failure @diags holds an error.
 */
int abac_policy_parse_file(const char *path, struct abac_policy **out,
			   struct abac_diags *diags)
{
	size_t len;
	char *buf;
	int err;

	err = abac_read_file(path, &buf, &len);
	if (err == -EFBIG) {
		abac_diag_add(diags, false, path, 0, 0,
			      "policy is larger than 4 MiB");
		return err;
	}
	if (err) {
		abac_diag_add(diags, false, path, 0, 0, "cannot read: %s",
			      strerror(-err));
		return err;
	}
	err = abac_policy_parse_buf(path, buf, len, out, diags);
	free(buf);
	return err;
}
