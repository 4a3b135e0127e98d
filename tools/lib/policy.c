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
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

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
 * @top: when parsing a lower layer, the top layer whose attributes it uses.
 * @defnode: per side and attribute, the node of its default, if any.
 * @aliasnode: per side and attribute, the node of its aliases, if any.
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
	const struct abac_policy *top;
	const struct ynode *defnode[ABAC_SIDE_COUNT][ABAC_MAX_ATTRS];
	const struct ynode *aliasnode[ABAC_SIDE_COUNT][ABAC_MAX_ATTRS];
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

/* Is @name exactly the @len bytes at @s? */
static bool same_str(const char *name, const char *s, size_t len)
{
	return strlen(name) == len && !memcmp(name, s, len);
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
	const char *names[24];
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
	return abac_side_name(side);
}

/* values: [a, b, ...] of a string, set or level attribute. */
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
		a->legal |= 1ULL << a->nvalues;
		a->values[a->nvalues++] = name;
	}
}

/* An int bound: a decimal scalar. */
static bool parse_int_bound(struct pctx *c, const struct ynode *n,
			    const char *key, const char *what, long long *out)
{
	char q[SHOW_BYTES], *end;

	if (!expect_kind(c, n, YN_SCALAR, key))
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
	if (!expect_kind(c, n, YN_SCALAR, key) || is_null(n))
		return;
	*out = strdup(n->s);
	if (!*out)
		perr(c, n, "out of memory");
}

enum {
	A_TYPE, A_VALUES, A_MIN, A_MAX, A_DEFAULT, A_ALIASES, A_AUTHORITY,
	A_EXPIRES, A_COUNT
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
};

static const char *const type_names[ABAC_TYPE_COUNT] = {
	[ABAC_TYPE_STRING] = "string",
	[ABAC_TYPE_SET] = "set",
	[ABAC_TYPE_BOOL] = "bool",
	[ABAC_TYPE_INT] = "int",
	[ABAC_TYPE_LEVEL] = "level",
};

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

	if (!expect_kind(c, val, YN_MAP, what))
		return;
	snprintf(where, sizeof(where), " in %s", what);
	type = map_get(val, "type");
	map_fields(c, val, attr_keys, A_COUNT, vals, where);
	if (!type)
		return;
	t = get_enum(c, type, "attribute type", type_names, ABAC_TYPE_COUNT);
	if (t < 0)
		return;
	a->type = t;
	has_values = t == ABAC_TYPE_STRING || t == ABAC_TYPE_SET ||
		     t == ABAC_TYPE_LEVEL;
	if (has_values && !vals[A_VALUES] && t != ABAC_TYPE_STRING)
		perr(c, val, "missing key 'values'%s", where);
	if (has_values && !vals[A_VALUES] && t == ABAC_TYPE_STRING)
		perr(c, val, "missing key 'values'%s: list the values a string may take",
		     where);
	if (!has_values && vals[A_VALUES])
		perr(c, vals[A_VALUES], "%s: a %s attribute takes no 'values'",
		     what, type_names[t]);
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
	if (!expect_kind(c, n, YN_MAP, where))
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
			perr(c, key, "more than %d %s attributes",
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
		if (!get_name(c, key, "attribute name", &a->name)) {
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

static void parse_attributes(struct pctx *c, const struct ynode *n)
{
	static const struct key_spec keys[] = {
		{ "subject", false },
		{ "object", false },
		{ "environment", false },
	};
	const struct ynode *vals[3];
	unsigned int before = c->errors, side;

	if (expect_kind(c, n, YN_MAP, "'attributes'")) {
		map_fields(c, n, keys, 3, vals, " in attributes");
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

	if (!expect_kind(c, n, YN_MAP, "'aliases'"))
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

		if (key->dup || !get_name(c, key, "alias", &name))
			continue;
		if (abac_attr_find(c->p, side, name, strlen(name)) >= 0) {
			perr(c, key, "alias '%s' of %s attribute '%s' is already an attribute name",
			     name, side_name(side), a->name);
			free(name);
			continue;
		}
		for (v = 0; v < a->nvalues; v++)
			if ((a->legal >> v & 1) && !strcmp(a->values[v], name))
				break;
		if (v < a->nvalues) {
			perr(c, key, "alias '%s' of %s attribute '%s' is already one of its values",
			     name, side_name(side), a->name);
			free(name);
			continue;
		}
		if (expect_kind(c, to, YN_SCALAR, "an alias target")) {
			if (scalar_is(to, a->name))
				target = -1;
			for (i = 0; target == -2 && i < a->nvalues; i++)
				if ((a->legal >> i & 1) &&
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
	char err[256], text[1024];
	size_t o = 0, i;

	if (n->kind == YN_SEQ && a->type == ABAC_TYPE_SET) {
		for (i = 0; i < n->n; i++) {
			if (!expect_kind(c, n->kids[i], YN_SCALAR, "a default"))
				return;
			o += snprintf(text + o, sizeof(text) - o, "%s%s",
				      i ? "," : "", n->kids[i]->s);
			if (o >= sizeof(text)) {
				perr(c, n, "default too long");
				return;
			}
		}
	} else if (expect_kind(c, n, YN_SCALAR, "a default")) {
		snprintf(text, sizeof(text), "%s", n->s);
		o = n->len;
	} else {
		return;
	}
	if (abac_attr_word(a, text, strlen(text), &a->def, err, sizeof(err)))
		perr(c, n, "default of %s attribute '%s': %s", side_name(side),
		     a->name, err);
}

static void resolve_defaults_aliases(struct pctx *c)
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

/* ---- relations: "subject.a OP object.b" -------------------------------- */

enum rel_op { RO_EQ, RO_NE, RO_GE, RO_GT, RO_LE, RO_LT, RO_CONTAINS, RO_COUNT };

static const char *const rel_op_names[RO_COUNT] = {
	"==", "!=", ">=", ">", "<=", "<", "contains",
};

static const __u8 rel_op_kind[RO_COUNT] = {
	ABAC_COND_REL_EQ, ABAC_COND_REL_NE, ABAC_COND_REL_GE,
	ABAC_COND_REL_GT, ABAC_COND_REL_LE, ABAC_COND_REL_LT,
	ABAC_COND_REL_CONTAINS,
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
			perr(c, n, "relation '%s': expected 'SIDE.ATTR OP SIDE.ATTR' with OP one of == != >= > <= < contains",
			     show(n->s, n->len, q));
		return -1;
	}
	for (op = 0; op < RO_COUNT; op++)
		if (same_str(rel_op_names[op], tok[1], tlen[1]))
			break;
	if (op == RO_COUNT) {
		if (!quiet)
			perr(c, n, "relation '%s': unknown operator '%.*s' (expected one of: == != >= > <= < contains)",
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
static void unify_numbering(struct pctx *c, const struct ynode *rules)
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
			where = map_get(rules->kids[i], "where");
			if (!where || where->kind != YN_SEQ)
				continue;
			for (k = 0; k < where->n; k++) {
				if (parse_rel(c, where->kids[k], &r, true))
					continue;
				la = &abac_policy_attrs(c->p, r.side, &n)[r.attr];
				ra = &abac_policy_attrs(c->p, r.rside, &n)[r.rattr];
				if (!valued(la->type) || !valued(ra->type) ||
				    la == ra)
					continue;
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

/* One relation of where: into a condition, its types checked. */
static bool rel_cond(struct pctx *c, const struct ynode *n,
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
	default:
		if (lt != ABAC_TYPE_SET || !valued(rt))
			why = "needs a set on the left and a set or string on the right";
		break;
	}
	if (!why && lt != ABAC_TYPE_INT && !same_values(la, ra))
		why = lt == ABAC_TYPE_LEVEL ?
		      "relates two levels whose values differ (declare them alike)" :
		      "relates attributes whose values cannot be numbered alike";
	if (why) {
		perr(c, n, "%s: relation '%s' %s (%s is %s, %s is %s)", label,
		     show(n->s, n->len, q), why, la->name, abac_type_name(lt),
		     ra->name, abac_type_name(rt));
		return false;
	}
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

/* The next free condition of the rule, or NULL after reporting. */
static struct abac_rule_cond *cond_new(struct pctx *c, const struct ynode *n,
				       struct rule_ctx *rc)
{
	if (rc->r->ncond == ABAC_MAX_CONDS) {
		perr(c, n, "%s: more than %d conditions", rc->label,
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

/* The word of scalar @v for attribute @a, or 0 after reporting. */
static __u64 value_word(struct pctx *c, const struct ynode *v,
			const struct abac_attr_def *a, unsigned int side,
			const struct rule_ctx *rc)
{
	char err[256];
	__u64 w;

	if (!expect_kind(c, v, YN_SCALAR, "a value") || is_null(v)) {
		if (v->kind == YN_SCALAR)
			perr(c, v, "%s: null is not a value of %s attribute '%s'",
			     rc->label, side_name(side), a->name);
		return 0;
	}
	if (a->type != ABAC_TYPE_INT && memchr(v->s, ',', v->len)) {
		perr(c, v, "%s: write several values as a list [a, b]",
		     rc->label);
		return 0;
	}
	if (abac_attr_word(a, v->s, v->len, &w, err, sizeof(err))) {
		if (!c->attrs_bad)
			perr(c, v, "%s", err);
		return 0;
	}
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
	int op = get_enum(c, key, "condition operator", ops, ARRAY_SIZE(ops));
	__u64 w;

	if (op < 0)
		return;
	switch (op) {
	case 0:	/* not */
		if (a->type == ABAC_TYPE_INT) {
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
		if (a->type == ABAC_TYPE_INT) {
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

	if (!expect_kind(c, v, YN_SCALAR, "'time'"))
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

	if (!expect_kind(c, v, YN_SEQ, "'days'"))
		return;
	if (!v->n) {
		perr(c, v, "%s: days must not be empty", rc->label);
		return;
	}
	for (i = 0; i < v->n; i++) {
		d = get_enum(c, v->kids[i], "day", day_names, 7);
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
			report_unknown(c, key, what, rc->where, names, n);
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
	if (v->kind == YN_SEQ) {
		w = value_mask(c, v, a, side, rc);
		if (w)
			cond_add(c, key, rc, side, attr, ABAC_COND_ANY, w);
		return;
	}
	w = value_word(c, v, a, side, rc);
	if (!w)
		return;
	/* equals: a set contains the value, an int is the number */
	cond_add(c, key, rc, side, attr,
		 a->type == ABAC_TYPE_SET ? ABAC_COND_ALL :
		 a->type == ABAC_TYPE_INT ? ABAC_COND_EQ : ABAC_COND_ANY, w);
}

/* subject: {...}, object: {...} or env: {...} of a rule. */
static void parse_conds(struct pctx *c, const struct ynode *n,
			unsigned int side, struct rule_ctx *rc)
{
	char what[128];
	size_t i;

	snprintf(what, sizeof(what), "'%s'%s", side_name(side), rc->where);
	if (!expect_kind(c, n, YN_MAP, what))
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
		if (rel_cond(c, r, k, rc->label))
			rc->r->ncond++;
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

/* id: a valid name, unique among the rules before (and the top layer's). */
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
	rc.r->file = c->p->file;
	snprintf(rc.label, sizeof(rc.label), "rule #%u", idx + 1);
	if (!expect_kind(c, n, YN_MAP, rc.label))
		return;
	rc.r->conds = calloc(ABAC_MAX_CONDS, sizeof(*rc.r->conds));
	if (!rc.r->conds) {
		perr(c, n, "out of memory");
		return;
	}
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
	if (vals[R_ENV])
		parse_conds(c, vals[R_ENV], ABAC_SIDE_ENV, &rc);
	if (vals[R_WHERE])
		parse_where(c, vals[R_WHERE], &rc);
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

/* ---- networks ---------------------------------------------------------- */

/* "10.0.0.0/8", "2001:db8::/32" or a plain address (a /32 or /128). */
static bool parse_cidr(struct pctx *c, const struct ynode *n,
		       struct abac_cidr *out, const char *what)
{
	char buf[64], q[SHOW_BYTES], *slash, *end;
	unsigned int max, i;
	long pfx;

	if (!expect_kind(c, n, YN_SCALAR, "a CIDR"))
		return false;
	if (n->len >= sizeof(buf))
		goto bad;
	memcpy(buf, n->s, n->len + 1);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, buf, out->addr) == 1) {
		out->family = 4;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, out->addr) == 1) {
		out->family = 6;
		max = 128;
	} else {
		goto bad;
	}
	pfx = max;
	if (slash) {
		pfx = strtol(slash + 1, &end, 10);
		if (*end || end == slash + 1 || pfx < 0 || pfx > (long)max)
			goto bad;
	}
	out->prefix = pfx;
	for (i = pfx; i < 128; i++)
		if (out->addr[i / 8] & (0x80 >> (i % 8))) {
			pwarn(c, n, "%s: '%s' has host bits set past /%ld; they are ignored",
			      what, show(n->s, n->len, q), pfx);
			break;
		}
	for (i = pfx; i < 128; i++)
		out->addr[i / 8] &= ~(0x80 >> (i % 8));
	return true;
bad:
	perr(c, n, "%s: '%s' is not an IPv4 or IPv6 address or CIDR block",
	     what, show(n->s, n->len, q));
	return false;
}

/* A port (443) or a range ("8000-8999"). */
static bool parse_port(struct pctx *c, const struct ynode *n, __u16 *lo,
		       __u16 *hi, const char *what)
{
	char q[SHOW_BYTES], *end;
	unsigned long a, b;

	if (!expect_kind(c, n, YN_SCALAR, "a port"))
		return false;
	a = strtoul(n->s, &end, 10);
	b = a;
	if (end != n->s && *end == '-')
		b = strtoul(end + 1, &end, 10);
	if (*end || end == n->s || a > 65535 || b > 65535 || a > b) {
		perr(c, n, "%s: port '%s' must be N or N-M with 0 <= N <= M <= 65535",
		     what, show(n->s, n->len, q));
		return false;
	}
	*lo = a;
	*hi = b;
	return true;
}

static void parse_net(struct pctx *c, const struct ynode *key,
		      const struct ynode *n, struct abac_net_def *net)
{
	static const struct key_spec keys[] = {
		{ "cidrs", true },
		{ "ports", false },
		{ "attributes", false },
	};
	const struct ynode *vals[3];
	char what[128], err[256];
	struct abac_attr_def *a;
	unsigned int cnt;
	size_t i;
	int attr;

	snprintf(what, sizeof(what), "network '%s'", net->name);
	if (!expect_kind(c, n, YN_MAP, what))
		return;
	map_fields(c, n, keys, 3, vals, what);
	if (vals[0] && expect_kind(c, vals[0], YN_SEQ, "'cidrs'")) {
		if (!vals[0]->n)
			perr(c, vals[0], "%s: cidrs must not be empty", what);
		net->cidrs = calloc(vals[0]->n + 1, sizeof(*net->cidrs));
		for (i = 0; net->cidrs && i < vals[0]->n; i++)
			if (parse_cidr(c, vals[0]->kids[i],
				       &net->cidrs[net->ncidrs], what))
				net->ncidrs++;
	}
	if (vals[1] && expect_kind(c, vals[1], YN_SEQ, "'ports'")) {
		net->port_lo = calloc(vals[1]->n + 1, sizeof(__u16));
		net->port_hi = calloc(vals[1]->n + 1, sizeof(__u16));
		for (i = 0; net->port_lo && net->port_hi && i < vals[1]->n; i++)
			if (parse_port(c, vals[1]->kids[i],
				       &net->port_lo[net->nports],
				       &net->port_hi[net->nports], what))
				net->nports++;
	}
	if (vals[2] && expect_kind(c, vals[2], YN_MAP, "'attributes'")) {
		for (i = 0; i + 1 < vals[2]->n; i += 2) {
			const struct ynode *k = vals[2]->kids[i];
			const struct ynode *v = vals[2]->kids[i + 1];

			attr = abac_attr_find(c->p, ABAC_SIDE_OBJECT, k->s,
					      k->len);
			if (attr < 0) {
				perr(c, k, "%s: unknown object attribute '%s'",
				     what, k->s);
				continue;
			}
			a = &abac_policy_attrs(c->p, ABAC_SIDE_OBJECT,
					       &cnt)[attr];
			a->used = true;
			if (!expect_kind(c, v, YN_SCALAR, "a value"))
				continue;
			if (abac_attr_word(a, v->s, v->len,
					   &net->attrs.v[attr], err,
					   sizeof(err)))
				perr(c, v, "%s: %s", what, err);
		}
	}
	(void)key;
}

static void parse_networks(struct pctx *c, const struct ynode *n)
{
	struct abac_policy *p = c->p;
	struct abac_net_def *net;
	size_t i;

	if (!expect_kind(c, n, YN_MAP, "'networks'"))
		return;
	p->nets = calloc(n->n / 2 + 1, sizeof(*p->nets));
	if (!p->nets) {
		perr(c, n, "out of memory");
		return;
	}
	for (i = 0; i + 1 < n->n && !c->stop; i += 2) {
		if (n->kids[i]->dup)
			continue;
		net = &p->nets[p->nnets];
		if (!get_name(c, n->kids[i], "network name", &net->name))
			continue;
		net->line = n->kids[i]->line;
		net->column = n->kids[i]->col;
		p->nnets++;
		parse_net(c, n->kids[i], n->kids[i + 1], net);
	}
}

/* ---- the top level ----------------------------------------------------- */

enum {
	T_VERSION, T_NAME, T_MODE, T_COMBINING, T_DEFAULT, T_TIMEZONE,
	T_ATTRIBUTES, T_NETWORKS, T_RULES, T_COUNT
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

/* timezone: an IANA name the system knows ("Europe/Paris"), or UTC. */
static void parse_timezone(struct pctx *c, const struct ynode *n)
{
	char path[320], q[SHOW_BYTES];

	if (!expect_kind(c, n, YN_SCALAR, "'timezone'"))
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

/* Keys only the top layer may set. */
static void lower_layer_keys(struct pctx *c, const struct ynode **vals)
{
	static const unsigned int top_only[] = {
		T_MODE, T_DEFAULT, T_TIMEZONE, T_ATTRIBUTES, T_NETWORKS,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(top_only); i++)
		if (vals[top_only[i]])
			perr(c, vals[top_only[i]], "'%s' is set by the top layer (%s); a lower layer only adds rules and its combining algorithm",
			     top_keys[top_only[i]].name, c->top->file);
}

/* A lower layer sees the top layer's attributes and networks, read-only. */
static void borrow_schema(struct pctx *c)
{
	struct abac_policy *p = c->p;
	const struct abac_policy *t = c->top;

	p->sattrs = t->sattrs;
	p->nsattrs = t->nsattrs;
	p->oattrs = t->oattrs;
	p->noattrs = t->noattrs;
	p->eattrs = t->eattrs;
	p->neattrs = t->neattrs;
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
	parse_setting(c, vals[T_COMBINING], "combining algorithm",
		      combining_names, ABAC_COMBINE_COUNT, &p->combining);
	if (c->top) {
		lower_layer_keys(c, vals);
		borrow_schema(c);
	} else {
		parse_setting(c, vals[T_MODE], "mode", mode_names, 2,
			      &p->mode);
		parse_setting(c, vals[T_DEFAULT], "default effect",
			      effect_names, 2, &p->default_effect);
		if (vals[T_TIMEZONE])
			parse_timezone(c, vals[T_TIMEZONE]);
		if (vals[T_ATTRIBUTES]) {
			parse_attributes(c, vals[T_ATTRIBUTES]);
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
		unify_numbering(c, vals[T_RULES]);
		resolve_defaults_aliases(c);
		if (vals[T_NETWORKS])
			parse_networks(c, vals[T_NETWORKS]);
	}
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
		for (j = 0; defs[i].values && j < ABAC_MAX_VALUES; j++)
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

static void rules_free(struct abac_rule_def *rules, unsigned int n)
{
	unsigned int i;

	for (i = 0; rules && i < n; i++) {
		free(rules[i].id);
		free(rules[i].nlp);
		free(rules[i].conds);
	}
	free(rules);
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
	attr_defs_free(p->eattrs, p->neattrs);
	rules_free(p->rules, p->nrules);
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

static int parse_buf(const char *name, const char *buf, size_t len,
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
	c.p->nlayers = 1;
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
	ynode_free(root);
	*out = c.p;
	return 0;

free_root:
	ynode_free(root);
	if (top && c.p) {	/* the schema is the top layer's */
		c.p->sattrs = c.p->oattrs = c.p->eattrs = NULL;
		c.p->nsattrs = c.p->noattrs = c.p->neattrs = 0;
	}
	abac_policy_free(c.p);
fail:
	if (!c.errors)
		report(&c, false, 0, 0, "%s", strerror(-err));
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
	return parse_buf(name, buf, len, NULL, out, diags);
}

/**
 * abac_policy_parse_layer_buf() - parse a lower-layer text.
 * @name: the file name errors are reported under.
 * @buf: the YAML text.
 * @len: bytes in @buf.
 * @top: the top layer, whose attributes the text's rules name.
 * @out: receives the layer; pass it to abac_policy_add_layer().
 * @diags: receives every error and warning.
 *
 * Return: 0 or a negative errno, as abac_policy_parse_buf().
 */
int abac_policy_parse_layer_buf(const char *name, const char *buf,
				size_t len, const struct abac_policy *top,
				struct abac_policy **out,
				struct abac_diags *diags)
{
	return parse_buf(name, buf, len, top, out, diags);
}

/* Read policy file @path; a failure becomes a diagnostic. */
static int read_policy_file(const char *path, char **buf, size_t *len,
			    struct abac_diags *diags)
{
	int err = abac_read_file(path, buf, len);

	if (err == -EFBIG)
		abac_diag_add(diags, false, path, 0, 0,
			      "policy is larger than 4 MiB");
	else if (err)
		abac_diag_add(diags, false, path, 0, 0, "cannot read: %s",
			      strerror(-err));
	return err;
}

/**
 * abac_policy_parse_file() - read, parse and validate a policy file.
 * @path: the file: one YAML policy or a joined layered text.
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

	err = read_policy_file(path, &buf, &len, diags);
	if (err)
		return err;
	err = abac_policy_parse_source(path, buf, len, out, diags);
	free(buf);
	return err;
}

/**
 * abac_policy_add_layer() - append a lower layer's rules to @top.
 * @top: the policy so far.
 * @lower: a layer from abac_policy_parse_layer_buf(@top); consumed.
 * @diags: receives an error on failure.
 *
 * Return: 0, -E2BIG past ABAC_MAX_LAYERS or ABAC_MAX_RULES, -EINVAL for
 * a rule id the layers above already use, -ENOMEM.
 */
int abac_policy_add_layer(struct abac_policy *top, struct abac_policy *lower,
			  struct abac_diags *diags)
{
	struct abac_rule_def *rules;
	unsigned int i, j, layer = top->nlayers;
	int err = 0;

	if (layer >= ABAC_MAX_LAYERS ||
	    top->nrules + lower->nrules > ABAC_MAX_RULES) {
		abac_diag_add(diags, false, lower->file, 0, 0,
			      "more than %d layers or %d rules in all",
			      ABAC_MAX_LAYERS, ABAC_MAX_RULES);
		err = -E2BIG;
		goto out;
	}
	for (i = 0; i < lower->nrules; i++)
		for (j = 0; j < top->nrules; j++)
			if (!strcmp(lower->rules[i].id, top->rules[j].id)) {
				abac_diag_add(diags, false, lower->file,
					      lower->rules[i].line,
					      lower->rules[i].column,
					      "rule id '%s' is already used in %s",
					      lower->rules[i].id,
					      top->rules[j].file);
				err = -EINVAL;
			}
	if (err)
		goto out;
	rules = realloc(top->rules, (top->nrules + lower->nrules + 1) *
			sizeof(*rules));
	if (!rules) {
		err = -ENOMEM;
		goto out;
	}
	top->rules = rules;
	top->layer_file[layer] = lower->file;
	lower->file = NULL;
	for (i = 0; i < lower->nrules; i++) {
		rules[top->nrules] = lower->rules[i];
		rules[top->nrules].layer = layer;
		rules[top->nrules].file = top->layer_file[layer];
		top->nrules++;
	}
	lower->nrules = 0;
	top->layer_combining[layer] = lower->combining;
	top->nlayers++;
out:
	lower->sattrs = lower->oattrs = lower->eattrs = NULL;
	lower->nsattrs = lower->noattrs = lower->neattrs = 0;
	abac_policy_free(lower);
	return err;
}

/**
 * abac_policy_parse_files() - parse a top layer and its lower layers.
 * @files: the files, top layer first (one file may be a layered text).
 * @n: how many (1 to ABAC_MAX_LAYERS).
 * @out: receives the layered policy.
 * @diags: receives every error and warning.
 *
 * Return: 0 or a negative errno; on failure @diags holds an error.
 */
int abac_policy_parse_files(const char *const *files, size_t n,
			    struct abac_policy **out,
			    struct abac_diags *diags)
{
	struct abac_layer_text v[ABAC_MAX_LAYERS];
	char *bufs[ABAC_MAX_LAYERS] = { NULL };
	size_t i;
	int err = 0;

	if (n == 1)
		return abac_policy_parse_file(files[0], out, diags);
	if (!n || n > ABAC_MAX_LAYERS)
		return abac_policy_parse_layers(NULL, n, out, diags);
	for (i = 0; !err && i < n; i++) {
		err = read_policy_file(files[i], &bufs[i], &v[i].len, diags);
		v[i].name = (char *)files[i];
		v[i].text = bufs[i];
	}
	if (!err)
		err = abac_policy_parse_layers(v, n, out, diags);
	for (i = 0; i < n; i++)
		free(bufs[i]);
	return err;
}
