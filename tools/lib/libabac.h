/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libabac: the user-space policy library shared by the abac CLI, the abacd
 * agent and the tests.  Parse (policy.c) -> validated model -> compile
 * (compile.c) -> image (image.c), plus diagnostics (diag.c) and a small JSON
 * writer (json.c).  Decisions themselves come from lsm/abac_decide.h, the
 * same code the kernel runs.
 */
#ifndef _LIBABAC_H
#define _LIBABAC_H

#include <stddef.h>
#include <time.h>
#include <stdio.h>
#include <stdbool.h>
#include <linux/types.h>

#include "../../lsm/abac_abi.h"
#include "../../lsm/abac_hash.h"
#include "../../lsm/abac_decide.h"

/* ---- diagnostics (diag.c) ---------------------------------------------- */

/**
 * struct abac_diag - one error or warning, with where it was found.
 * @file: the source file name (or "<stdin>", "<label>", "<tags>").
 * @line: 1-based line, 0 when there is none.
 * @column: 1-based column, 0 when there is none.
 * @warning: true for a warning (or a note), false for an error.
 * @note: a note: information, not a warning.
 * @msg: the message, which names the offending key or value.
 */
struct abac_diag {
	char file[256];
	unsigned int line;
	unsigned int column;
	bool warning;
	bool note;
	char msg[512];
};

/**
 * struct abac_diags - a list of diagnostics filled by the library.
 * @v: the entries.
 * @n: entries used.
 * @cap: entries allocated.
 * @errors: entries with warning == false.
 */
struct abac_diags {
	struct abac_diag *v;
	size_t n;
	size_t cap;
	size_t errors;
};

void abac_diags_init(struct abac_diags *d);
void abac_diags_free(struct abac_diags *d);
void abac_diag_add(struct abac_diags *d, bool warning, const char *file,
		   unsigned int line, unsigned int column, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void abac_diag_mark_note(struct abac_diags *d);
/* Warnings and notes abac_diags_print() shows; every error is shown. */
#define ABAC_DIAGS_SHOWN	50
/* "FILE:LINE:COL: error: MSG" per entry, to @f, sorted by place. */
void abac_diags_print(const struct abac_diags *d, FILE *f);
void abac_diags_print_max(const struct abac_diags *d, FILE *f, size_t max);
size_t *abac_diags_order(const struct abac_diags *d);

/* ---- the policy model (policy.c) --------------------------------------- */

/* enum abac_attr_type is in abac_abi.h, beside the image field storing it. */
const char *abac_type_name(unsigned int type);

/**
 * struct abac_attr_def - one declared attribute.
 * @name: the attribute's name.
 * @type: enum abac_attr_type.
 * @side: enum abac_side the attribute belongs to.
 * @nvalues: numbered values; a value's number is its index (its bit).
 *	Attributes linked by a relation share one numbering, so this may
 *	hold values another attribute declared.
 * @values: the numbered values.
 * @legal: bits of the values this attribute itself declares.
 * @has_min, @has_max, @min, @max: the range of an int.
 * @def: the default word when absent, 0 for none.
 * @authority: who vouches for the attribute (metadata), or NULL.
 * @expires: when its assignments expire (metadata), or NULL.
 * @naliases: entries in @alias and @alias_to.
 * @alias: other names, of the attribute or of one of its values.
 * @alias_to: -1 when @alias[i] names the attribute, else the value number.
 * @used: some rule, relation or network uses the attribute.
 * @line: where it was declared (for diagnostics).
 * @column: where it was declared.
 */
struct abac_attr_def {
	char *name;
	unsigned int type;
	unsigned int side;
	unsigned int nvalues;
	char **values;
	__u64 legal;
	bool has_min, has_max;
	long long min, max;
	__u64 def;
	char *authority;
	char *expires;
	unsigned int naliases;
	char **alias;
	int *alias_to;
	bool used;
	bool open;
	unsigned int line, column;
};

/*
 * A large enumeration: a string or level attribute declaring more than
 * ABAC_MAX_VALUES values (up to ABAC_MAX_ENUM_VALUES).  Its word is its
 * value's number plus one (ABAC_ENUM_WORD()), not a bit; every value it
 * numbers is its own (@legal is not read).
 */
static inline bool abac_attr_is_enum(const struct abac_attr_def *a)
{
	return !a->open && a->nvalues > ABAC_MAX_VALUES &&
	       (a->type == ABAC_TYPE_STRING || a->type == ABAC_TYPE_LEVEL);
}

/* Is value number @v one @a declares itself? */
static inline bool abac_attr_legal(const struct abac_attr_def *a,
				   unsigned int v)
{
	return v < a->nvalues &&
	       (abac_attr_is_enum(a) || (v < 64 && (a->legal >> v & 1)));
}

/* The word of value number @v of closed attribute @a. */
static inline __u64 abac_attr_num_word(const struct abac_attr_def *a,
				       unsigned int v)
{
	return abac_attr_is_enum(a) ? ABAC_ENUM_WORD(v) : 1ULL << (v & 63);
}

/**
 * struct abac_set - the members of an open set: their words sorted
 *	ascending and distinct, each with its text.
 * @w: the words (abac_open_word() of each text).
 * @text: the texts, unescaped, in the order of @w.
 * @n: members.
 */
struct abac_set {
	__u64 *w;
	char **text;
	unsigned int n;
};

void abac_set_free(struct abac_set *m);
int abac_set_add(struct abac_set *m, const char *s, size_t len);
int abac_set_add_word(struct abac_set *m, const char *s, size_t len, __u64 w);
/*
 * The members of open set @a written as text (@s, @len bytes: values
 * separated by commas, each escaped as in a label) into @m.  The same
 * text twice is one member; two texts with one word are refused.
 * Returns 0, or -EINVAL / -E2BIG (more than ABAC_SET_MEMBERS) with a
 * message in @err, or -ENOMEM.
 */
int abac_set_parse(const struct abac_attr_def *a, const char *s, size_t len,
		   struct abac_set *m, char *err, size_t errsz);
/* Sort @m by word, drop repeated texts; -EEXIST (message) on a collision. */
int abac_set_sort(struct abac_set *m, char *err, size_t errsz);

/*
 * The first member of the word of an open set resolved without an image
 * (abac_attr_word(), abac_attrs_resolve()): no member table holds it, so
 * a decision that reads it fails closed.  The compiler, which writes the
 * members into the image, gives the real handle.
 */
#define ABAC_SET_UNRESOLVED	0xffffffffU

/**
 * struct abac_rule_cond - one compiled condition of a rule (see struct
 * abac_cond), with where it was written.
 * @set: for the kinds that take a constant set (abac_cond_takes_set()),
 *	its members; the compiler writes them to the image's member table
 *	and puts their handle in the condition's mask.  Here @mask is a
 *	fingerprint of the members, so that two conditions with one mask
 *	name one set.
 */
struct abac_rule_cond {
	__u8 side, attr, kind, rhs, rhs_side;
	__u64 mask;
	unsigned int line, column;
	struct abac_set set;
};

/**
 * struct abac_rule_def - one parsed rule.
 * @id: the rule's id, unique in the policy.
 * @nlp: the natural-language sentence the rule was derived from.
 * @effect: enum abac_effect.
 * @ops: mask of (1 << enum abac_op).
 * @layer: the layer (file) the rule comes from, 0 at the top.
 * @ncond, @conds: the conditions: subject, object, env, then where.
 * @line, @column: where the rule starts.
 * @file: the file the rule was written in.
 */
struct abac_rule_def {
	char *id;
	char *nlp;
	unsigned int effect;
	__u32 ops;
	unsigned int layer;
	unsigned int ncond;
	struct abac_rule_cond *conds;
	unsigned int line, column;
	const char *file;
};

/**
 * struct abac_cap_grant - one entry of a policy's capabilities: section:
 * withheld capabilities given back to the subjects it matches.
 * @r: its id, sentence, subject conditions and place (@r.ops, @r.effect
 *	unused).
 * @caps: ABAC_CAP_GRANT_BIT() of each capability it grants.
 */
struct abac_cap_grant {
	struct abac_rule_def r;
	__u32 caps;
};

/**
 * struct abac_cidr - one address block of a network object.
 * @family: 4 or 6.
 * @prefix: its prefix length.
 * @addr: the address, network order, the bits past @prefix zero.
 */
struct abac_cidr {
	__u8 family;
	__u8 prefix;
	__u8 addr[16];
};

/**
 * struct abac_net_def - one network object.
 * @name: its name.
 * @ncidrs, @cidrs: its address blocks.
 * @nports, @port_lo, @port_hi: its port ranges (none: every port).
 * @attrs: the object attributes it gives.
 * @line, @column: where it was declared.
 */
struct abac_net_def {
	char *name;
	unsigned int ncidrs;
	struct abac_cidr *cidrs;
	unsigned int nports;
	__u16 *port_lo, *port_hi;
	struct abac_attrs attrs;
	unsigned int line, column;
};

/* The most entries a policy's subjects: list holds: ABAC_MAX_BINDINGS. */

/**
 * struct abac_binding - cgroups a policy tags by name (bindings.c).
 * @unit: the unit glob as written, or NULL for a 'cgroup:' entry.
 * @dir: the parent cgroup below the cgroup2 root, no leading or trailing
 *	'/' ("system.slice"); "" for the root.  Exact: never a pattern.
 * @glob: the name of the cgroups below @dir it tags: literal bytes and at
 *	most one '*'.
 * @tags: the attributes, as tag text ("role=ehr dept=cardiology").
 * @line: where the entry was written.
 * @column: likewise.
 */
struct abac_binding {
	char *unit;
	char *dir;
	char *glob;
	char *tags;
	unsigned int line, column;
};

/**
 * struct abac_policy - a parsed and validated policy (one or more layers).
 * @file: the source file name (of the top layer).
 * @name: the policy's name.
 * @version: the policy language version (1).
 * @mode: enum abac_mode.
 * @combining: enum abac_combining of the top layer.
 * @default_effect: enum abac_effect.
 * @timezone: the IANA timezone of time conditions ("UTC" when unset).
 * @nsattrs, @sattrs: subject attributes declared.
 * @noattrs, @oattrs: object attributes declared.
 * @neattrs, @eattrs: environment attributes declared.
 * @nrules, @rules: the rules in order (layer order).
 * @nnets, @nets: the network objects.
 * @nlayers: layers, 1 when one file.
 * @layer_combining: each layer's combining algorithm.
 * @layer_file: each layer's file name.
 * @nbindings, @bindings: the cgroups it tags by name (its subjects: list).
 */
struct abac_policy {
	char *file;
	char *name;
	unsigned int version;
	unsigned int mode;
	unsigned int combining;
	unsigned int default_effect;
	char *timezone;
	unsigned int nsattrs, noattrs, neattrs, nrules, nnets;
	struct abac_attr_def *sattrs, *oattrs, *eattrs;
	struct abac_rule_def *rules;
	struct abac_net_def *nets;
	unsigned int nlayers;
	unsigned int layer_combining[ABAC_MAX_LAYERS];
	char *layer_file[ABAC_MAX_LAYERS];
	unsigned int fold_window_ms;	/* events: fold-window; 0: no folding */
	unsigned int event_budget;	/* events: budget, records/s a cgroup */
	unsigned int allow_sample;	/* events: sample-allows; 0: none */
	unsigned int ngrants;		/* capabilities: */
	struct abac_cap_grant *grants;
	unsigned int nbindings;		/* subjects: */
	struct abac_binding *bindings;
};

/* Does a cgroup's own name match binding @b?  Which binding tags it? */
bool abac_binding_match(const struct abac_binding *b, const char *name);
const struct abac_binding *abac_binding_find(const struct abac_policy *p,
					     const char *dir,
					     const char *name);

/* The attributes of @side (enum abac_side) and their count. */
struct abac_attr_def *abac_policy_attrs(const struct abac_policy *p,
					unsigned int side, unsigned int *n);
/* The attribute @name (or an alias of it) on @side, or -1. */
int abac_attr_find(const struct abac_policy *p, unsigned int side,
		   const char *name, size_t len);
/* The word of one unescaped value (as YAML gives it) of attribute @a. */
int abac_attr_value_word(const struct abac_attr_def *a, const char *s,
			 size_t len, __u64 *word, char *err, size_t errsz);
/*
 * Parse the text value @s (@len bytes) of attribute @a into its word:
 * a value or alias escaped as in a label, a comma list for a set, a
 * number for an int, true or false for a bool.  On failure returns
 * -EINVAL with a message in @err.
 */
int abac_attr_word(const struct abac_attr_def *a, const char *s, size_t len,
		   __u64 *word, char *err, size_t errsz);
/*
 * The word of a value of an open attribute: abac_hash_word() of the
 * SipHash of its @len bytes of text (unescaped) under the image's key,
 * the public key until per-host keys land (lsm/abac_hash.h).
 */
__u64 abac_open_word(const char *s, size_t len);
/*
 * Declared values that collide: of @n values (@texts, their @words),
 * two different texts with one word.  Writes a message naming both in
 * @err and returns -EEXIST, else 0.
 */
int abac_open_collisions(const char *const *texts, const __u64 *words,
			 size_t n, char *err, size_t errsz);
/* The text of word @w of attribute @a into @buf. */
const char *abac_attr_word_text(const struct abac_attr_def *a, __u64 w,
				char *buf, size_t sz);
const char *abac_side_name(unsigned int side);

/* ---- capability grants (grants.c) -------------------------------------- */

/*
 * The ABAC_CAP_GRANT_BIT()s the grants of @p give subject @subj under
 * image @img (its attribute defaults), each grant whose subject
 * conditions all hold.
 */
__u32 abac_grants_for(const struct abac_policy *p,
		      const struct abac_image *img,
		      const struct abac_attrs *subj);
/* "sys_time,userns" for @caps (ABAC_CAP_GRANT_BIT()s) into @buf; "" for none. */
const char *abac_caps_text(__u32 caps, char *buf, size_t sz);

/*
 * Parse and validate a policy.  On failure returns -EINVAL (or -ENOENT,
 * -ENOMEM, ...) with at least one error in @diags, and *@out untouched.
 */
int abac_policy_parse_file(const char *path, struct abac_policy **out,
			   struct abac_diags *diags);
int abac_policy_parse_buf(const char *name, const char *buf, size_t len,
			  struct abac_policy **out, struct abac_diags *diags);
void abac_policy_free(struct abac_policy *p);
/*
 * Add @lower as the next layer below @top: its rules may only restrict.
 * @lower must use the top's attributes (it declares none of its own) and
 * has been parsed with abac_policy_parse_layer_buf().  @lower is consumed.
 */
int abac_policy_add_layer(struct abac_policy *top, struct abac_policy *lower,
			  struct abac_diags *diags);
/* Parse files[0] and add files[1..n-1] as lower layers. */
int abac_policy_parse_files(const char *const *files, size_t n,
			    struct abac_policy **out,
			    struct abac_diags *diags);
/* Parse a lower-layer text against the attributes of @top. */
int abac_policy_parse_layer_buf(const char *name, const char *buf,
				size_t len, const struct abac_policy *top,
				struct abac_policy **out,
				struct abac_diags *diags);

/* ---- layered policy texts (layers.c) ------------------------------------ */
#define ABAC_LAYERS_MAX_BYTES	(258U << 20)	/* a joined text, all layers */
/**
 * struct abac_layer_text - one layer of a joined text.
 * @name: its file name, malloc()ed.
 * @text: its YAML, inside the joined text (not NUL-terminated).
 * @len: bytes of @text.
 */
struct abac_layer_text {
	char *name;
	const char *text;
	size_t len;
};
bool abac_layers_is_joined(const char *buf, size_t len);
int abac_layers_join(const char *const *names, const char *const *texts,
		     const size_t *lens, size_t n, char **out,
		     size_t *out_len);
int abac_layers_split(const char *name, const char *buf, size_t len,
		      struct abac_layer_text *v, size_t *n,
		      struct abac_diags *diags);
void abac_layers_free(struct abac_layer_text *v, size_t n);
/* Texts @v[0..@n) as one policy, top layer first; no joined text among several. */
int abac_policy_parse_layers(const struct abac_layer_text *v, size_t n,
			     struct abac_policy **out,
			     struct abac_diags *diags);
/* One YAML policy or a joined layered text, told apart by its first line. */
int abac_policy_parse_source(const char *name, const char *buf, size_t len,
			     struct abac_policy **out,
			     struct abac_diags *diags);

const char *abac_op_name(unsigned int op);
int abac_op_from_name(const char *name);	/* -1 if unknown */

/* ---- tags and compiling (compile.c) ------------------------------------ */

/* Bytes of one cgroup's tag text, its NUL included (values are long). */
#define ABAC_TAGS_MAX		65536

/**
 * struct abac_subject - one tagged cgroup, as stored by the agent.
 * @cgroup_id: the cgroup's id.
 * @level: its depth below the cgroup2 root.
 * @path: its path relative to the cgroup2 root, for display.
 * @tags: "key=value key=value" as given by the operator.
 */
struct abac_subject {
	__u64 cgroup_id;
	unsigned int level;
	char path[4096];
	char tags[ABAC_TAGS_MAX];
};

bool abac_policy_has_open_sets(const struct abac_policy *p);
int abac_image_build_for(const struct abac_policy *p, const char *file,
			 const char *tags, void **img, size_t *len,
			 struct abac_attrs *s, struct abac_diags *diags);

/*
 * Resolve "k=v k=v" (space-separated; also accepts one pair per argv
 * element joined by spaces) against the policy's subject schema.
 * Unknown attributes and values are errors in @diags (file "<tags>").
 */
int abac_tags_resolve(const struct abac_policy *p, const char *tags,
		      struct abac_attrs *out, struct abac_diags *diags);
/* The same for any side, errors under the file name @file. */
int abac_attrs_resolve(const struct abac_policy *p, unsigned int side,
		       const char *file, const char *text,
		       struct abac_attrs *out, struct abac_diags *diags);

/**
 * struct abac_rindex - the rule index of an image being compiled
 *	(tools/lib/index.c; lsm/abac_abi.h, struct abac_cls_op).
 * @ncls: classes.
 * @ops: per class and operation, ABAC_CLS_RECORDS a class.
 * @list: the class rule list.
 * @nlist: entries in @list.
 * @bkt: the bucket table.
 * @nbkt: entries in @bkt.
 */
struct abac_rindex {
	__u32 ncls;
	struct abac_cls_op *ops;
	__u32 *list;
	size_t nlist;
	struct abac_op_span *bkt;
	size_t nbkt;
};

int abac_rindex_build(const struct abac_policy *p,
		      const struct abac_attrs *const *subj, size_t nsubj,
		      size_t budget, __u16 *cls, struct abac_rindex *ix);
void abac_rindex_free(struct abac_rindex *ix);

/*
 * Build an image from a policy and its tagged subjects.  *@img is
 * malloc()ed, *@len bytes, generation 0, content hash set.
 */
int abac_image_build(const struct abac_policy *p,
		     const struct abac_subject *subjects, size_t nsubjects,
		     void **img, size_t *len, struct abac_diags *diags);

/**
 * struct abac_bind_parent - the parent cgroup of one of a policy's
 *	bindings, as the agent found it when it builds an image.
 * @id: its cgroup id; 0 when it does not exist (yet) or is not owned by
 *	root: the kernel then does not match the binding by name, the
 *	agent's watch tags its cgroups by id as they appear.
 * @level: its depth below the cgroup2 root.
 * @path: its path relative to the cgroup2 root ("/" the root), as
 *	&struct abac_subject.path, for the tags a template inherits.
 */
struct abac_bind_parent {
	__u64 id;
	unsigned int level;
	const char *path;
};

int abac_image_build_bound(const struct abac_policy *p,
			   const struct abac_subject *subjects,
			   size_t nsubjects,
			   const struct abac_bind_parent *parents,
			   void **img, size_t *len,
			   struct abac_diags *diags);

/* ---- images (image.c) -------------------------------------------------- */

/*
 * The bounds-checked loader: magic, ABI version, record counts, every
 * table inside the image, every rule's conditions inside the conditions
 * table, string offsets inside the string table, the content hash.
 * Returns 0 or -EINVAL / -EPROTO / -EBADMSG with one error in @diags.
 */
int abac_image_check(const void *img, size_t len, struct abac_diags *diags);
__u64 abac_image_hash(const void *img, size_t len);
void abac_image_rehash(void *img, size_t len);
int abac_image_bpf_check(const void *img, size_t len, char *msg,
			 size_t msg_size);
/* The one spelling of a content hash, "0x" and 16 hex digits, into @buf. */
#define ABAC_HASH_TEXT		19
const char *abac_hash_text(__u64 hash, char buf[ABAC_HASH_TEXT]);
/* Stamp @generation into an image (not covered by the content hash). */
void abac_image_set_generation(void *img, __u32 generation);
/* The string at string-table offset @off, or "" when out of range. */
const char *abac_image_str(const void *img, size_t len, __u32 off);
/* The id and the nlp sentence of rule @idx, or NULL/NULL. */
void abac_image_rule_text(const void *img, size_t len, __u32 idx,
			  const char **id, const char **nlp);
/* The effect of rule @idx (enum abac_effect), or -1. */
int abac_image_rule_effect(const void *img, size_t len, __u32 idx);
static inline struct abac_image abac_image_view(const void *img, size_t len)
{
	struct abac_image v = { img, (__u32)(len / ABAC_REC_SIZE) };

	return v;
}
/* Print a human-readable or JSON decoding of an image. */
void abac_image_dump(const void *img, size_t len, FILE *f, bool json);
/* The same, naming values as the policy @img was compiled from does. */
void abac_image_dump_policy(const void *img, size_t len,
			    const struct abac_policy *p, FILE *f, bool json);

/* ---- the linter (lint.c) ---------------------------------------------- */
void abac_policy_lint(const struct abac_policy *p, struct abac_diags *d);
/* Its exact checks over the request space (lint_space.c). */
void abac_policy_lint_space(const struct abac_policy *p, struct abac_diags *d);

/* ---- explaining decisions (explain.c) --------------------------------- */

/**
 * struct abac_explain_rule - one determining rule.
 * @index: the rule's index in the image.
 * @outcome: enum abac_outcome it gave.
 */
struct abac_explain_rule {
	__u32 index;
	int outcome;
};

/**
 * struct abac_explain_hint - what would have to differ.
 * @rule: the rule the condition belongs to.
 * @absent: the attribute is absent (the condition is indeterminate).
 * @cond: the condition, in the policy's words.
 * @now: the attribute's value in the request.
 */
struct abac_explain_hint {
	__u32 rule;
	bool absent;
	char cond[384];
	char now[256];
};

/**
 * struct abac_explain - a decision and its reasons.
 * @d: the decision, exactly as abac_decide() gives it.
 * @nrules, @rules: the determining rules.
 * @nhints, @hints: for a denial, the conditions that would have to
 *	differ (a deny rule's holding ones, an allow rule's missing ones).
 */
struct abac_explain {
	struct abac_decision d;
	size_t nrules;
	struct abac_explain_rule *rules;
	size_t nhints;
	struct abac_explain_hint *hints;
};

const char *abac_outcome_name(unsigned int outcome);
const char *abac_cond_describe(const struct abac_policy *p,
			       const struct abac_cond *c, char *buf,
			       size_t sz);
int abac_explain(const struct abac_policy *p, const struct abac_image *img,
		 __u32 op, const struct abac_request *rq,
		 struct abac_explain *x);
void abac_explain_free(struct abac_explain *x);
#include <time.h>
int abac_local_time(time_t t, const char *tz, struct abac_env *env);
int abac_parse_time(const char *s, const char *tz, time_t *t);

/* ---- file helpers ------------------------------------------------------ */
int abac_read_file(const char *path, char **buf, size_t *len);

/* ---- small helpers (util.c) -------------------------------------------- */
#define ABAC_POLICY_MAX_BYTES	(256U << 20)	/* largest policy source */
/* [A-Za-z0-9_.:/@+-]{1,63}: attribute, rule id, policy name, alias. */
bool abac_name_valid(const char *s, size_t len);
/* Length of the well-formed UTF-8 sequence at @s, 0 if there is none. */
size_t abac_utf8_seq(const unsigned char *s, size_t len);
unsigned int abac_edit_distance(const char *a, const char *b);
/* The candidate within edit distance 2 of @word, or NULL. */
const char *abac_suggest(const char *word, const char *const *cands,
			 size_t n);
#define ABAC_QUOTE_MAX		64	/* bytes of a value quoted in a diag */
#define ABAC_QUOTE_BYTES	(ABAC_QUOTE_MAX * 4 + 4)
/* "IP:PORT" or "[IPv6]:PORT": family 4 or 6, address, port. */
int abac_parse_addr(const char *s, __u32 *family, __u8 *addr, __u32 *port);
/* @s cut and escaped (\xNN) into @out, ABAC_QUOTE_BYTES bytes. */
const char *abac_quote(const char *s, size_t len, char *out);

/* ---- values as people write them (values.c) ---------------------------- */
/* Bytes that hold any value escaped as a label writes it, and its NUL. */
#define ABAC_VALUE_ESC_BYTES	(2 * ABAC_VALUE_MAX + 1)
bool abac_value_invalid(const char *s, size_t len, char *why, size_t sz);
size_t abac_value_span(const char *s, size_t len);
int abac_value_unescape(const char *s, size_t len, char *out, size_t sz,
			char *why, size_t whysz);
size_t abac_value_escape(const char *s, size_t len, char *out, size_t sz);
char *abac_pair_quote(const char *pair);
size_t abac_tag_token(const char *s, char *out, size_t sz);

/* ---- the request space (space.c) --------------------------------------- */

/* Dimensions beyond the three sides of attributes. */
#define ABAC_DIM_OP		ABAC_SIDE_COUNT		/* the operation */
#define ABAC_DIM_MINUTE		(ABAC_SIDE_COUNT + 1)	/* local time of day */
#define ABAC_DIM_WDAY		(ABAC_SIDE_COUNT + 2)	/* local weekday */

#define ABAC_SPACE_DIMS		(3 * 2 * ABAC_MAX_ATTRS + 3)
#define ABAC_SPACE_SET_MAX	12	/* values of a set enumerated */
#define ABAC_SPACE_WINDOWS	256	/* time windows cut the day */
#define ABAC_SPACE_CELLS_MAX	2e8	/* classes of requests enumerated */

/**
 * struct abac_dval - one class of a dimension: values decided alike.
 * @text: what it is, as people read it: "doctor", "a,b" (a subset),
 *	"(absent)", "3..9", ">=10", "08:00-18:00", "mon", "read".
 * @word: its word in each policy (a request is made of them).
 * @ok: whether each policy declares it; a cell with a value a policy
 *	does not declare is refused there (a bad label).
 * @lo: first int, minute, weekday or operation of the class.
 * @hi: last one.
 */
struct abac_dval {
	char text[160];
	__u64 word[2];
	bool ok[2];
	long long lo, hi;
};

/**
 * struct abac_dim - one dimension of a request space.
 * @kind: enum abac_side of an attribute, or ABAC_DIM_*.
 * @name: "subject.role", "op", "env.time", "env.day".
 * @attr_name: the attribute's own name.
 * @type: enum abac_attr_type of an attribute.
 * @attr: its number in each policy, -1 where it is not declared.
 * @nvals: classes.
 * @vals: the classes; an attribute's class 0 is "(absent)".
 * @points: the classes are representative points of an int, not all of
 *	its values.
 */
struct abac_dim {
	unsigned int kind;
	char name[ABAC_NAME_MAX + 16];
	char attr_name[ABAC_NAME_MAX];
	unsigned int type;
	int attr[2];
	unsigned int nvals;
	struct abac_dval *vals;
	bool points;
};

/**
 * struct abac_space - the requests of one or two policies, in classes.
 * @npol: policies, 1 or 2.
 * @pol: the policies.
 * @img: their images.
 * @ndims: dimensions.
 * @dims: the dimensions: the operation, then the subject, object and
 *	environment attributes, then the clock when a rule reads it.
 * @keep: per dimension, per class, whether abac_space_walk() visits it.
 * @unbounded: built with ABAC_SPACE_UNBOUNDED.
 */
struct abac_space {
	bool unbounded;
	unsigned int npol;
	const struct abac_policy *pol[2];
	struct abac_image img[2];
	unsigned int ndims;
	struct abac_dim dims[ABAC_SPACE_DIMS];
	unsigned char *keep[ABAC_SPACE_DIMS];
};

int abac_space_init(struct abac_space *sp,
		    const struct abac_policy *const *pols,
		    const struct abac_image *imgs, unsigned int npol,
		    struct abac_diags *d);
#define ABAC_SPACE_UNBOUNDED	0x1
int abac_space_init_flags(struct abac_space *sp,
			  const struct abac_policy *const *pols,
			  const struct abac_image *imgs, unsigned int npol,
			  unsigned int flags, struct abac_diags *d);
void abac_space_free(struct abac_space *sp);
/* The dimension of attribute @attr of @side in policy @k, or -1. */
int abac_space_attr_dim(const struct abac_space *sp, unsigned int k,
			unsigned int side, unsigned int attr);
int abac_space_find(const struct abac_space *sp, const char *name);
int abac_space_classify(const struct abac_space *sp, unsigned int dim,
			unsigned int k, __u64 word);
void abac_space_keep(struct abac_space *sp, unsigned int dim, int cls);
void abac_space_decide(const struct abac_space *sp, const unsigned int *cell,
		       struct abac_decision *dec);
int abac_space_walk(const struct abac_space *sp,
		    int (*fn)(void *ctx, const unsigned int *cell,
			      const struct abac_decision *dec),
		    void *ctx);
#define ABAC_WALK_NO_DECIDE	0x1
int abac_space_walk_flags(const struct abac_space *sp, unsigned int flags,
			  int (*fn)(void *ctx, const unsigned int *cell,
				    const struct abac_decision *dec),
			  void *ctx);

/* ---- sets of cells as readable rows (cubes.c) --------------------------- */

/**
 * struct abac_cube_key - what a row of cells is about; only rows with
 *	equal keys join.
 * @rule: the deciding rule in each policy, ABAC_RULE_NONE for none.
 * @effect: enum abac_effect in each policy.
 * @reason: enum abac_reason in each policy.
 * @pad: 0.
 */
struct abac_cube_key {
	__u32 rule[2];
	__u8 effect[2];
	__u8 reason[2];
	__u8 pad[4];
};

/**
 * struct abac_cubes - rows, each a set of classes per dimension standing
 *	for all their combinations.
 * @sp: the space the classes are of.
 * @off: per dimension, its first word in a row.
 * @words: 64-bit words a row takes.
 * @n: rows.
 * @cap: rows allocated.
 * @bits: the rows, @words each: bit i of a dimension's words is class i.
 * @keys: each row's key.
 * @cells: the cells each row stands for.
 */
struct abac_cubes {
	const struct abac_space *sp;
	size_t off[ABAC_SPACE_DIMS];
	size_t words;
	size_t n, cap;
	__u64 *bits;
	struct abac_cube_key *keys;
	__u64 *cells;
};

void abac_cubes_init(struct abac_cubes *c, const struct abac_space *sp);
void abac_cubes_free(struct abac_cubes *c);
int abac_cubes_add(struct abac_cubes *c, const unsigned int *cell,
		   const struct abac_cube_key *key);
int abac_cubes_merge(struct abac_cubes *c);
bool abac_cube_has(const struct abac_cubes *c, size_t row, unsigned int dim,
		   unsigned int cls);
bool abac_cube_all(const struct abac_cubes *c, size_t row, unsigned int dim);

/* ---- whole-policy questions (analyze.c) -------------------------------- */
int abac_space_fix(struct abac_space *sp, unsigned int side,
		   const char *text, bool exact, struct abac_diags *d);
int abac_space_fix_attrs(struct abac_space *sp, unsigned int side,
			 const struct abac_attrs *a, bool exact);
bool abac_space_shown(const struct abac_space *sp, unsigned int dim);
int abac_analyze_permitted(const struct abac_space *sp, struct abac_cubes *c);
int abac_analyze_diff(const struct abac_space *sp, struct abac_cubes *c);
const char *abac_cube_text(const struct abac_cubes *c, size_t row,
			   unsigned int dim, char *buf, size_t sz);
const char *abac_cube_summary(const struct abac_cubes *c, size_t row,
			      char *buf, size_t sz);

/* ---- policy unit tests (ptest.c) --------------------------------------- */

#define ABAC_PTEST_TEXT_MAX	4096
/* The instant a test without "time" is decided at (a Monday noon, local). */
#define ABAC_PTEST_TIME		"2026-01-05T12:00"

/**
 * struct abac_ptest_case - one test: a request and the decision it must get.
 * @name: what it shows.
 * @line, @column: where it is written.
 * @op: enum abac_op.
 * @side: "k=v k=v" of its subject, object and env mappings.
 * @given: which of @side the test gives.
 * @addr: an object by network address, "IP:PORT", or "".
 * @time: ISO 8601, or "" for ABAC_PTEST_TIME.
 * @expect: enum abac_effect it must get.
 * @rule: the rule that must determine it ("default": none), or "".
 * @decided: the run could decide it.
 * @got: the decision.
 * @ok: it got @expect (and @rule).
 */
struct abac_ptest_case {
	char name[256];
	unsigned int line, column;
	int op;
	char side[ABAC_SIDE_COUNT][ABAC_PTEST_TEXT_MAX];
	bool given[ABAC_SIDE_COUNT];
	char addr[80];
	char time[40];
	int expect;
	char rule[ABAC_NAME_MAX];
	bool decided;
	struct abac_decision got;
	bool ok;
};

/**
 * struct abac_ptest - a test file.
 * @file: its path (set by the caller, for diagnostics).
 * @policy: the policy files it tests, top layer first.
 * @npolicy: entries in @policy.
 * @n: tests.
 * @v: the tests.
 */
struct abac_ptest {
	const char *file;
	char *policy[ABAC_MAX_LAYERS];
	unsigned int npolicy;
	size_t n;
	struct abac_ptest_case *v;
};

int abac_ptest_load(const char *path, struct abac_ptest *t,
		    struct abac_diags *d);
void abac_ptest_free(struct abac_ptest *t);
int abac_ptest_run(struct abac_ptest *t, const struct abac_policy *p,
		   const struct abac_image *img, bool *covered,
		   struct abac_diags *d);

/* ---- the event log, read back (evlog.c) -------------------------------- */

/**
 * struct abac_evrec - the fields of one event-log line that replay and
 *	suggest read; "" where the line has none.
 * @time: "2026-03-02T10:00:00.123456789Z".
 * @op: the operation's name.
 * @path: the object's path (or an entry's name).
 * @decision: "deny", "audit" (denied, let through) or "allow" (sampled).
 * @subject_tags: "k=v k=v", the tags of the deciding cgroup.
 * @object_label: the object's effective label, when the log records it.
 * @env: the operator's environment "k=v k=v", when the log records it.
 * @rule: the deciding rule's id.
 * @comm: the task's name.
 * @reason: "rule", "default", "bad-label", ...
 * @event_id: the event's id, when the log records it.
 * @pid: the process id, as text.
 * @uid: the user id, as text.
 * @cgroup: the process's cgroup.
 * @guard: the tamper guard's kind, for a guard refusal.
 */
struct abac_evrec {
	char time[48];
	char op[16];
	char path[ABAC_PATH_MAX];
	char decision[16];
	char subject_tags[1024];
	char object_label[ABAC_LABEL_MAX + 1];
	char env[ABAC_ENV_TEXT_MAX];
	char rule[ABAC_NAME_MAX];
	char comm[32];
	char reason[32];
	char event_id[32];
	char pid[16];
	char uid[16];
	char cgroup[256];
	char guard[32];
};

int abac_evrec_parse(const char *line, size_t len, struct abac_evrec *r);
int abac_evrec_effect(const struct abac_evrec *r);
int abac_evrec_time(const struct abac_evrec *r, time_t *t);
int abac_jflat_get(const char *obj, size_t len, const char *key, char *out,
		   size_t sz);

/* ---- drafting rules from sentences (draft.c) --------------------------- */

#define ABAC_DRAFT_MAP		64
#define ABAC_DRAFT_UNMATCHED	32

/**
 * struct abac_draft - a sentence read as a rule.
 * @effect: enum abac_effect.
 * @ops: mask of (1 << enum abac_op).
 * @only: "only ... may ever": a deny for every other subject.
 * @yaml: the rule, an entry of a rules list ("  - id: ...").
 * @nmap: entries in @map.
 * @map: how each word or phrase was read: @words -> @meaning.
 * @nunmatched: entries in @unmatched.
 * @unmatched: the words the grammar could not place (the sentence is
 *	refused).
 * @error: why the sentence is refused otherwise, or "".
 */
struct abac_draft {
	int effect;
	__u32 ops;
	bool only;
	char yaml[4096];
	size_t nmap;
	struct {
		char words[128];
		char meaning[256];
	} map[ABAC_DRAFT_MAP];
	size_t nunmatched;
	char unmatched[ABAC_DRAFT_UNMATCHED][48];
	char error[256];
};

int abac_draft(const struct abac_policy *p, const char *sentence,
	       const char *id, struct abac_draft *out);

#endif /* _LIBABAC_H */
