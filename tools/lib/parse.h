/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the pieces of the policy parser share, and nothing else includes:
 * the YAML tree (yaml_tree.c), the schema (schema.c), relations
 * (relations.c), rules (rules.c), networks (networks.c), the top level
 * (policy.c) and layering (layers.c).
 *
 * A parse has two passes.  The first (abac_yaml_tree()) turns libyaml's
 * event stream into a small tree of struct ynode that remembers where
 * every node was written, and refuses what no policy needs but an
 * attacker would use.  The second walks the tree against the schema:
 * every mapping is described by a table of known keys (struct key_spec),
 * every attribute type and every condition form by one parser function,
 * so that a later version of the language adds a key, a type or a
 * condition form by adding an entry.
 */
#ifndef _ABAC_PARSE_H
#define _ABAC_PARSE_H

#include <stdbool.h>
#include <string.h>

#include "libabac.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

/* ---- the YAML tree (yaml_tree.c) --------------------------------------- */

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
 * @kids: a sequence's items; a mapping's keys and values, alternating;
 *	allocated once the collection is closed, exactly @n entries.
 * @n: entries in @kids.
 * @arena: the root's: where the tree lives; NULL in every other node.
 *
 * A policy of 100,000 rules is 2.4 million nodes: the fields are kept
 * narrow (48 bytes a node) because the pages the tree touches were a
 * quarter of that policy's parse.  A scalar is at most a ytext's
 * @scalar_max bytes and a text at most 258 MiB (abac_read_file()), so
 * 32 bits hold every length and count.
 */
struct ynode {
	unsigned char kind;	/* enum ynode_kind */
	bool plain, dup;
	unsigned int line, col;
	unsigned int len;
	unsigned int n;
	char *s;
	struct ynode **kids;
	struct yarena *arena;
};

/**
 * struct ytext - what a YAML text is, and what it may hold.
 * @what: its name in messages ("policy", "pod list").
 * @syntax: what libyaml's syntax errors are prefixed with ("not JSON"),
 *	or NULL.
 * @scalar_max: bytes of one scalar at most.
 * @depth_max: nested collections at most (YAML_DEPTH_LIMIT at most).
 * @nodes_max: nodes at most.
 */
struct ytext {
	const char *what;
	const char *syntax;
	size_t scalar_max;
	unsigned int depth_max;
	size_t nodes_max;
};

#define YAML_DEPTH_LIMIT	64	/* the deepest any ytext may allow */

/* A policy's limits, when struct pctx names no other. */
extern const struct ytext abac_policy_text;

/**
 * struct pctx - one parse.
 * @file: the name errors are reported under.
 * @buf: the source text.
 * @len: bytes in @buf.
 * @diags: where errors go.
 * @text: what the text is and may hold; NULL: a policy (abac_policy_text).
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
	const struct ytext *text;
	unsigned int errors;
	bool stop;
	bool attrs_bad;
	struct abac_policy *p;
	const struct abac_policy *top;
	const struct ynode *defnode[ABAC_SIDE_COUNT][ABAC_MAX_ATTRS];
	const struct ynode *aliasnode[ABAC_SIDE_COUNT][ABAC_MAX_ATTRS];
	unsigned int *id_slots;	/* rule ids seen: index + 1, open addressing */
	size_t id_mask;		/* slots - 1 */
};

/**
 * struct key_spec - one key a mapping may hold.
 * @name: the key.
 * @required: a missing key is an error.
 */
struct key_spec {
	const char *name;
	bool required;
};

void abac_parse_report(struct pctx *c, bool warning, unsigned int line,
		       unsigned int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#define perr(c, node, ...) \
	abac_parse_report(c, false, (node) ? (node)->line : 0, \
			  (node) ? (node)->col : 0, __VA_ARGS__)
#define pwarn(c, node, ...) \
	abac_parse_report(c, true, (node) ? (node)->line : 0, \
			  (node) ? (node)->col : 0, __VA_ARGS__)

#define SHOW_BYTES	ABAC_QUOTE_BYTES
#define show(s, len, out) abac_quote(s, len, out)

static inline const char *kind_name(enum ynode_kind k)
{
	return k == YN_MAP ? "mapping" : k == YN_SEQ ? "list" : "scalar";
}

/* Is scalar @n exactly @s?  (A quoted scalar may hold a "\0" escape.) */
static inline bool scalar_is(const struct ynode *n, const char *s)
{
	return n->kind == YN_SCALAR && n->len == strlen(s) &&
	       !memcmp(n->s, s, n->len);
}

/* Is @name exactly the @len bytes at @s? */
static inline bool same_str(const char *name, const char *s, size_t len)
{
	return strlen(name) == len && !memcmp(name, s, len);
}

static inline bool is_null(const struct ynode *n)
{
	if (n->kind != YN_SCALAR || !n->plain)
		return false;
	return !n->len || scalar_is(n, "~") || scalar_is(n, "null") ||
	       scalar_is(n, "Null") || scalar_is(n, "NULL");
}

static inline const char *side_name(unsigned int side)
{
	return abac_side_name(side);
}

void abac_ynode_free(struct ynode *n);
int abac_parse_check_text(struct pctx *c);
int abac_yaml_tree(struct pctx *c, struct ynode **root);

bool abac_parse_expect(struct pctx *c, const struct ynode *n,
		       enum ynode_kind kind, const char *what);
const struct ynode *abac_parse_get(const struct ynode *map,
				   const char *name);
void abac_parse_unknown(struct pctx *c, const struct ynode *n,
			const char *what, const char *where,
			const char *const *names, size_t count);
void abac_parse_fields(struct pctx *c, const struct ynode *map,
		       const struct key_spec *spec, size_t nspec,
		       const struct ynode **vals, const char *where);
bool abac_parse_name(struct pctx *c, const struct ynode *n, const char *what,
		     char **out);
bool abac_parse_value(struct pctx *c, const struct ynode *n, const char *what,
		      char **out);
int abac_parse_enum(struct pctx *c, const struct ynode *n, const char *what,
		    const char *const *names, size_t count);

/* ---- the schema (schema.c) --------------------------------------------- */

void abac_parse_attributes(struct pctx *c, const struct ynode *n);
void abac_parse_defaults_aliases(struct pctx *c);
void abac_parse_open_collisions(struct pctx *c);
void abac_attr_defs_free(struct abac_attr_def *defs, unsigned int n);

/* ---- relations (relations.c) ------------------------------------------- */

void abac_parse_unify_numbering(struct pctx *c, const struct ynode *rules);
bool abac_parse_relation(struct pctx *c, const struct ynode *n,
			 struct abac_rule_cond *out, const char *label);

/* ---- rules (rules.c) --------------------------------------------------- */

extern const char *const abac_effect_names[2];
extern const char *const abac_type_names[ABAC_TYPE_COUNT];	/* attr.c */
void abac_parse_rules(struct pctx *c, const struct ynode *n);
void abac_rules_free(struct abac_rule_def *rules, unsigned int n);
void abac_rule_conds_free(struct abac_rule_def *r);
void abac_parse_rule_part(struct pctx *c, const struct ynode *n,
			  const char *part, struct abac_rule_def *r,
			  const char *label);

/* ---- capability grants (grants.c) -------------------------------------- */

void abac_parse_capabilities(struct pctx *c, const struct ynode *n);
void abac_grants_free(struct abac_cap_grant *grants, unsigned int n);

/* ---- subjects bound by name (bindings.c) ------------------------------ */

void abac_parse_subjects(struct pctx *c, const struct ynode *n);
void abac_bindings_free(struct abac_binding *b, unsigned int n);

/* ---- networks (networks.c) --------------------------------------------- */

void abac_parse_networks(struct pctx *c, const struct ynode *n);

/* ---- the top level (policy.c) ------------------------------------------ */

int abac_parse_text(const char *name, const char *buf, size_t len,
		    const struct abac_policy *top, struct abac_policy **out,
		    struct abac_diags *diags);

/* ---- layers (layers.c) ------------------------------------------------- */

void abac_parse_lower_layer(struct pctx *c, const struct ynode *const *set,
			    const char *const *names, size_t n);
void abac_layer_drop_schema(struct abac_policy *lower);

#endif /* _ABAC_PARSE_H */
