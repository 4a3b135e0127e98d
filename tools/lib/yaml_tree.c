// SPDX-License-Identifier: GPL-2.0-only
/*
 * The policy parser's first pass and the helpers of its second: YAML text
 * to a tree of struct ynode (parse.h) that remembers where every node was
 * written, refusing what no policy needs but an attacker would use:
 * anchors and aliases, nesting deeper than YAML_DEPTH_MAX, scalars longer
 * than YAML_SCALAR_MAX bytes, NUL bytes, invalid UTF-8, several documents
 * and duplicate keys.  Then the helpers every later walk uses: kinds,
 * known keys, names and enumerations, with "did you mean".  Other YAML
 * (and JSON) texts, pod lists, are read by the same first pass under
 * limits of their own (struct ytext).
 *
 * Errors are collected (up to MAX_ERRORS) and name the file, the line and
 * the column of the offending key or value.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <yaml.h>

#include "parse.h"

#define YAML_DEPTH_MAX		32	/* nested collections */
#define YAML_SCALAR_MAX		4096	/* bytes of one scalar */
#define YAML_NODES_MAX		(1U << 25)	/* 1,048,576 rules of ~24 nodes */
#define MAX_ERRORS		64	/* then stop: the rest are echoes */

const struct ytext abac_policy_text = {
	.what = "policy",
	.scalar_max = YAML_SCALAR_MAX,
	.depth_max = YAML_DEPTH_MAX,
	.nodes_max = YAML_NODES_MAX,
};

_Static_assert(YAML_DEPTH_MAX <= YAML_DEPTH_LIMIT, "a policy's depth fits");

/* What @c's text is and may hold. */
static const struct ytext *text_of(const struct pctx *c)
{
	return c->text ? c->text : &abac_policy_text;
}

void abac_parse_report(struct pctx *c, bool warning, unsigned int line,
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

/*
 * A tree's nodes, scalars and child lists are carved from large blocks
 * (an arena) rather than allocated one by one: a policy of 100,000 rules
 * is 2.4 million nodes, and their mallocs and frees were most of its
 * parse.  The root holds the arena; the tree is freed at once.
 */
#define YARENA_FIRST	(1U << 16)	/* the first block; each next doubles */
#define YARENA_MAX	(1U << 25)	/* up to 32 MiB a block */

struct yarena {
	struct yarena *next;
	size_t used, cap, size;
	char mem[];
};

static void yarena_free(struct yarena *a)
{
	struct yarena *next;

	for (; a; a = next) {
		next = a->next;
		munmap(a, a->size);
	}
}

/*
 * A block of at least @n bytes after @prev's size, mapped afresh (zeroed)
 * and, once large, in huge pages where the kernel allows: the first touch
 * of each 4 KiB page was a third of a large policy's parse.
 */
static struct yarena *yarena_block(const struct yarena *prev, size_t n)
{
	size_t size = prev ? prev->size * 2 : YARENA_FIRST;
	struct yarena *a;

	if (size > YARENA_MAX)
		size = YARENA_MAX;
	if (size < sizeof(*a) + n)
		size = (sizeof(*a) + n + 4095) & ~(size_t)4095;
	a = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED)
		return NULL;
	if (size >= (2U << 20))
		madvise(a, size, MADV_HUGEPAGE);
	a->size = size;
	a->cap = size - sizeof(*a);
	a->used = 0;
	return a;
}

/* @n zeroed bytes, 8-aligned, from *@ap; NULL when out of memory. */
static void *yarena_alloc(struct yarena **ap, size_t n)
{
	struct yarena *a = *ap;
	void *p;

	n = (n + 7) & ~(size_t)7;
	if (!a || a->cap - a->used < n) {
		a = yarena_block(a, n);
		if (!a)
			return NULL;
		a->next = *ap;
		*ap = a;
	}
	p = a->mem + a->used;
	a->used += n;	/* fresh mappings are zeroed; nothing is reused */
	return p;
}

/* Free a tree from its root; a node under the root is freed with it. */
void abac_ynode_free(struct ynode *n)
{
	if (n)
		yarena_free(n->arena);
}

/* ---- pass 1: libyaml events to a tree ---------------------------------- */

/**
 * struct ybuild - the tree being built.
 * @c: the parse.
 * @arena: where the nodes, scalars and child arrays are carved.
 * @root: the document's top node.
 * @stack: the open collections, innermost last.
 * @base: per entry of @stack, where its children start in @pend.
 * @depth: entries in @stack.
 * @pend: the children of every open collection, outermost first: a
 *	collection's array is made when it closes, of its exact size (a
 *	doubling array in the arena, which frees nothing, wasted a third).
 * @npend: entries in @pend.
 * @pcap: entries allocated at @pend.
 * @nodes: nodes made so far.
 * @docs: documents seen.
 * @err: the first fatal error (negative errno), 0 while none.
 */
struct ybuild {
	struct pctx *c;
	struct yarena *arena;
	struct ynode *root;
	struct ynode *stack[YAML_DEPTH_LIMIT];
	size_t base[YAML_DEPTH_LIMIT];
	int depth;
	struct ynode **pend;
	size_t npend, pcap;
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
	abac_parse_report((b)->c, false, (m)->line + 1, (m)->column + 1, \
			  __VA_ARGS__); \
	(b)->err = -EINVAL; \
} while (0)

static bool no_anchor(struct ybuild *b, const yaml_event_t *ev,
		      const yaml_char_t *anchor)
{
	char q[SHOW_BYTES];

	if (!anchor)
		return true;
	yfail(b, &ev->start_mark, "anchors are not allowed in a %s ('&%s')",
	      text_of(b->c)->what,
	      show((const char *)anchor, strlen((const char *)anchor), q));
	return false;
}

static struct ynode *node_new(struct ybuild *b, enum ynode_kind kind,
			      const yaml_mark_t *m)
{
	struct ynode *n;

	if (b->nodes >= text_of(b->c)->nodes_max) {
		yfail(b, m, "too many YAML nodes (at most %zu)",
		      text_of(b->c)->nodes_max);
		return NULL;
	}
	n = yarena_alloc(&b->arena, sizeof(*n));
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

/* Add @kid to the children of the innermost open collection, @parent. */
static int kids_push(struct ybuild *b, struct ynode *parent,
		     struct ynode *kid)
{
	struct ynode **np;
	size_t cap;

	if (b->npend == b->pcap) {
		cap = b->pcap ? b->pcap * 2 : 256;
		np = realloc(b->pend, cap * sizeof(*np));
		if (!np)
			return -ENOMEM;
		b->pend = np;
		b->pcap = cap;
	}
	b->pend[b->npend++] = kid;
	parent->n++;
	return 0;
}

/* Hang @n under the innermost open collection, or make it the root. */
static void attach(struct ybuild *b, struct ynode *n)
{
	struct ynode *parent;

	if (!b->depth) {
		if (b->root) {	/* cannot happen: one document only */
			b->err = -EINVAL;
			return;
		}
		b->root = n;
		return;
	}
	parent = b->stack[b->depth - 1];
	if (parent->kind == YN_MAP && !(parent->n & 1) &&
	    n->kind != YN_SCALAR) {
		abac_parse_report(b->c, false, n->line, n->col,
				  "a mapping key must be a scalar, not a %s",
				  kind_name(n->kind));
		b->err = -EINVAL;
		return;
	}
	if (kids_push(b, parent, n))
		b->err = -ENOMEM;
}

static void on_scalar(struct ybuild *b, const yaml_event_t *ev)
{
	size_t len = ev->data.scalar.length;
	struct ynode *n;

	if (!no_anchor(b, ev, ev->data.scalar.anchor))
		return;
	if (len > text_of(b->c)->scalar_max) {
		yfail(b, &ev->start_mark, "scalar longer than %zu bytes",
		      text_of(b->c)->scalar_max);
		return;
	}
	n = node_new(b, YN_SCALAR, &ev->start_mark);
	if (!n)
		return;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	n->len = len;
	n->s = yarena_alloc(&b->arena, len + 1);
	if (!n->s) {
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
	if (b->depth >= (int)text_of(b->c)->depth_max ||
	    b->depth == YAML_DEPTH_LIMIT) {
		yfail(b, &ev->start_mark, "nesting deeper than %d levels",
		      b->depth);
		return;
	}
	n = node_new(b, kind, &ev->start_mark);
	if (!n)
		return;
	attach(b, n);
	if (b->err)
		return;
	b->base[b->depth] = b->npend;
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
	struct ynode **keys, *few[16];
	char q[SHOW_BYTES];

	if (nkeys < 2)
		return;
	keys = nkeys <= 16 ? few : malloc(nkeys * sizeof(*keys));
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
		abac_parse_report(b->c, false, keys[i]->line, keys[i]->col,
				  "duplicate key '%s' (first at line %u)",
				  show(keys[i]->s, keys[i]->len, q),
				  keys[i - 1]->line);
	}
	if (keys != few)
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
	if (n->n) {
		n->kids = yarena_alloc(&b->arena, n->n * sizeof(*n->kids));
		if (!n->kids) {
			b->err = -ENOMEM;
			return;
		}
		memcpy(n->kids, b->pend + b->base[b->depth],
		       n->n * sizeof(*n->kids));
	}
	b->npend = b->base[b->depth];
	if (n->kind == YN_MAP)
		check_dup_keys(b, n);
}

static void on_alias(struct ybuild *b, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	char q[SHOW_BYTES];

	yfail(b, &ev->start_mark, "aliases are not allowed in a %s ('*%s')",
	      text_of(b->c)->what, show(name, strlen(name), q));
}

static void on_event(struct ybuild *b, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (b->docs++)
			yfail(b, &ev->start_mark,
			      "a %s is one YAML document, not several",
			      text_of(b->c)->what);
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
	const char *problem = yp->problem ? yp->problem : "syntax error";
	const char *pre = text_of(c)->syntax;
	const char *sep = pre ? ": " : "";
	unsigned int line, col;

	if (!pre)
		pre = "";
	if (yp->error == YAML_MEMORY_ERROR) {
		abac_parse_report(c, false, 0, 0, "out of memory while reading YAML");
		return;
	}
	if (yp->error == YAML_READER_ERROR) {
		where_is(c->buf, c->len, yp->problem_offset, &line, &col);
		abac_parse_report(c, false, line, col, "%s%s%s (byte 0x%02x)",
				  pre, sep, problem, yp->problem_value & 0xff);
		return;
	}
	line = yp->problem_mark.line + 1;
	col = yp->problem_mark.column + 1;
	if (yp->context)
		abac_parse_report(c, false, line, col,
				  "%s%s%s %s (line %zu, column %zu)", pre, sep,
				  problem, yp->context,
				  yp->context_mark.line + 1,
				  yp->context_mark.column + 1);
	else
		abac_parse_report(c, false, line, col, "%s%s%s", pre, sep,
				  problem);
}

/* Pass 1: parse @c's text into a tree at *@root. */
int abac_yaml_tree(struct pctx *c, struct ynode **root)
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
	free(b.pend);
	if (!b.err && b.depth)	/* libyaml closes what it opens */
		b.err = -EINVAL;
	if (b.err || !b.root) {
		yarena_free(b.arena);
		if (!b.err)
			*root = NULL;
		return b.err;
	}
	b.root->arena = b.arena;
	*root = b.root;
	return 0;
}

/* Refuse a NUL byte or invalid UTF-8 with its place, before libyaml. */
int abac_parse_check_text(struct pctx *c)
{
	const unsigned char *s = (const unsigned char *)c->buf;
	unsigned int line, col;
	size_t i = 0, n;

	while (i < c->len) {
		/* ASCII without NUL, eight bytes at a time: most of a text */
		while (i + 8 <= c->len) {
			__u64 w;

			memcpy(&w, s + i, 8);
			if ((w & 0x8080808080808080ULL) ||
			    ((w - 0x0101010101010101ULL) & ~w &
			     0x8080808080808080ULL))
				break;
			i += 8;
		}
		if (i >= c->len)
			break;
		if (!s[i]) {
			where_is(c->buf, c->len, i, &line, &col);
			abac_parse_report(c, false, line, col,
					  "NUL byte in the %s: not a YAML text",
					  text_of(c)->what);
			return -EINVAL;
		}
		n = abac_utf8_seq(s + i, c->len - i);
		if (!n) {
			where_is(c->buf, c->len, i, &line, &col);
			abac_parse_report(c, false, line, col,
					  "invalid UTF-8 (byte 0x%02x)", s[i]);
			return -EINVAL;
		}
		i += n;
	}
	return 0;
}

/* ---- pass 2 helpers: kinds, keys, names, enumerations ------------------ */

bool abac_parse_expect(struct pctx *c, const struct ynode *n,
		       enum ynode_kind kind, const char *what)
{
	if (n->kind == kind)
		return true;
	perr(c, n, "expected a %s for %s, found a %s", kind_name(kind), what,
	     is_null(n) ? "null" : kind_name(n->kind));
	return false;
}

/* The value of key @name in @map, or NULL. */
const struct ynode *abac_parse_get(const struct ynode *map, const char *name)
{
	size_t i;

	for (i = 0; i + 1 < map->n; i += 2)
		if (!map->kids[i]->dup && scalar_is(map->kids[i], name))
			return map->kids[i + 1];
	return NULL;
}

/* "unknown WHAT 'word' WHERE (did you mean 'x'?)", or with the choices. */
void abac_parse_unknown(struct pctx *c, const struct ynode *n,
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
void abac_parse_fields(struct pctx *c, const struct ynode *map,
		       const struct key_spec *spec, size_t nspec,
		       const struct ynode **vals, const char *where)
{
	const char *names[24];
	size_t i, k;

	for (k = 0; k < nspec; k++) {
		names[k] = spec[k].name;
		vals[k] = abac_parse_get(map, spec[k].name);
	}
	for (i = 0; i + 1 < map->n; i += 2) {
		const struct ynode *key = map->kids[i];

		if (key->dup)
			continue;
		for (k = 0; k < nspec; k++)
			if (scalar_is(key, spec[k].name))
				break;
		if (k == nspec)
			abac_parse_unknown(c, key, "key", where, names, nspec);
	}
	for (k = 0; k < nspec; k++)
		if (spec[k].required && !vals[k])
			perr(c, map, "missing key '%s'%s", spec[k].name, where);
}

/* A scalar that is a valid name: a malloc()ed copy in *@out. */
bool abac_parse_name(struct pctx *c, const struct ynode *n, const char *what,
		     char **out)
{
	char q[SHOW_BYTES];

	if (!abac_parse_expect(c, n, YN_SCALAR, what))
		return false;
	if (!abac_name_valid(n->s, n->len)) {
		perr(c, n, "invalid %s '%s': names are 1 to 63 ASCII characters of A-Z a-z 0-9 _ . : / @ + - (attribute values may be any UTF-8 text)",
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

/*
 * A scalar that is a valid attribute value (any UTF-8 text without
 * control characters, values.c): a malloc()ed copy in *@out.
 */
bool abac_parse_value(struct pctx *c, const struct ynode *n, const char *what,
		      char **out)
{
	char q[SHOW_BYTES], why[160];

	if (!abac_parse_expect(c, n, YN_SCALAR, what))
		return false;
	if (strlen(n->s) != n->len ||
	    abac_value_invalid(n->s, n->len, why, sizeof(why))) {
		perr(c, n, "invalid %s '%s': %s", what,
		     show(n->s, n->len, q),
		     strlen(n->s) != n->len ? "a NUL byte" : why);
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
int abac_parse_enum(struct pctx *c, const struct ynode *n, const char *what,
		    const char *const *names, size_t count)
{
	size_t i;

	if (!abac_parse_expect(c, n, YN_SCALAR, what))
		return -1;
	for (i = 0; i < count; i++)
		if (names[i] && scalar_is(n, names[i]))
			return i;
	abac_parse_unknown(c, n, what, "", names, count);
	return -1;
}
