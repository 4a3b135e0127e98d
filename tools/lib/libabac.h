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
#include <stdio.h>
#include <stdbool.h>
#include <linux/types.h>

#include "../../lsm/abac_abi.h"
#include "../../lsm/abac_decide.h"

/* ---- diagnostics (diag.c) ---------------------------------------------- */

/**
 * struct abac_diag - one error or warning, with where it was found.
 * @file: the source file name (or "<stdin>", "<label>", "<tags>").
 * @line: 1-based line, 0 when there is none.
 * @column: 1-based column, 0 when there is none.
 * @warning: true for a warning, false for an error.
 * @msg: the message, which names the offending key or value.
 */
struct abac_diag {
	char file[256];
	unsigned int line;
	unsigned int column;
	bool warning;
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
/* "FILE:LINE:COL: error: MSG" per entry, to @f. */
void abac_diags_print(const struct abac_diags *d, FILE *f);

/* ---- the policy model (policy.c) --------------------------------------- */

/**
 * struct abac_attr_def - one declared attribute.
 * @name: the attribute's name.
 * @nvalues: declared values; a value's number is its index (its mask bit).
 * @values: the values.
 * @line: where it was declared (for diagnostics).
 * @column: where it was declared.
 */
struct abac_attr_def {
	char *name;
	unsigned int nvalues;
	char **values;
	unsigned int line, column;
};

/**
 * struct abac_rule_cond - one parsed condition: attribute @attr of the
 * rule's side must hold one of the values in @mask.
 */
struct abac_rule_cond {
	unsigned int attr;
	__u64 mask;
};

/**
 * struct abac_rule_def - one parsed rule.
 * @id: the rule's id, unique in the policy.
 * @nlp: the natural-language sentence the rule was derived from.
 * @effect: enum abac_effect.
 * @ops: mask of (1 << enum abac_op).
 * @nsubj, @subj: the subject conditions.
 * @nobj, @obj: the object conditions.
 * @line, @column: where the rule starts.
 */
struct abac_rule_def {
	char *id;
	char *nlp;
	unsigned int effect;
	__u32 ops;
	unsigned int nsubj, nobj;
	struct abac_rule_cond *subj, *obj;
	unsigned int line, column;
};

/**
 * struct abac_policy - a parsed and validated policy.
 * @file: the source file name.
 * @name: the policy's name.
 * @version: the policy language version (1).
 * @mode: enum abac_mode.
 * @combining: enum abac_combining.
 * @default_effect: enum abac_effect.
 * @nsattrs, @sattrs: subject attributes declared.
 * @noattrs, @oattrs: object attributes declared.
 * @nrules, @rules: the rules in order.
 */
struct abac_policy {
	char *file;
	char *name;
	unsigned int version;
	unsigned int mode;
	unsigned int combining;
	unsigned int default_effect;
	unsigned int nsattrs, noattrs, nrules;
	struct abac_attr_def *sattrs, *oattrs;
	struct abac_rule_def *rules;
};

/*
 * Parse and validate a policy.  On failure returns -EINVAL (or -ENOENT,
 * -ENOMEM, ...) with at least one error in @diags, and *@out untouched.
 */
int abac_policy_parse_file(const char *path, struct abac_policy **out,
			   struct abac_diags *diags);
int abac_policy_parse_buf(const char *name, const char *buf, size_t len,
			  struct abac_policy **out, struct abac_diags *diags);
void abac_policy_free(struct abac_policy *p);

const char *abac_op_name(unsigned int op);
int abac_op_from_name(const char *name);	/* -1 if unknown */

/* ---- tags and compiling (compile.c) ------------------------------------ */

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
	char tags[1024];
};

/*
 * Resolve "k=v k=v" (space-separated; also accepts one pair per argv
 * element joined by spaces) against the policy's subject schema.
 * Unknown attributes and values are errors in @diags (file "<tags>").
 */
int abac_tags_resolve(const struct abac_policy *p, const char *tags,
		      struct abac_attrs *out, struct abac_diags *diags);

/*
 * Build an image from a policy and its tagged subjects.  *@img is
 * malloc()ed, *@len bytes, generation 0, content hash set.
 */
int abac_image_build(const struct abac_policy *p,
		     const struct abac_subject *subjects, size_t nsubjects,
		     void **img, size_t *len, struct abac_diags *diags);

/* ---- images (image.c) -------------------------------------------------- */

/*
 * The bounds-checked loader: magic, ABI version, record counts, every
 * table inside the image, every rule's conditions inside the conditions
 * table, string offsets inside the string table, the content hash.
 * Returns 0 or -EINVAL / -EPROTO / -EBADMSG with one error in @diags.
 */
int abac_image_check(const void *img, size_t len, struct abac_diags *diags);
__u64 abac_image_hash(const void *img, size_t len);
/* Stamp @generation into an image (not covered by the content hash). */
void abac_image_set_generation(void *img, __u32 generation);
/* The string at string-table offset @off, or "" when out of range. */
const char *abac_image_str(const void *img, size_t len, __u32 off);
/* The id and the nlp sentence of rule @idx, or NULL/NULL. */
void abac_image_rule_text(const void *img, size_t len, __u32 idx,
			  const char **id, const char **nlp);
static inline struct abac_image abac_image_view(const void *img, size_t len)
{
	struct abac_image v = { img, (__u32)(len / ABAC_REC_SIZE) };

	return v;
}
/* Print a human-readable or JSON decoding of an image. */
void abac_image_dump(const void *img, size_t len, FILE *f, bool json);

/* ---- file helpers ------------------------------------------------------ */
int abac_read_file(const char *path, char **buf, size_t *len);

/* ---- small helpers (util.c) -------------------------------------------- */
#define ABAC_POLICY_MAX_BYTES	(4U << 20)	/* largest policy source */
/* [A-Za-z0-9_.:/@+-]{1,63}: attribute, value, rule id, policy name. */
bool abac_name_valid(const char *s, size_t len);
/* Length of the well-formed UTF-8 sequence at @s, 0 if there is none. */
size_t abac_utf8_seq(const unsigned char *s, size_t len);
unsigned int abac_edit_distance(const char *a, const char *b);
/* The candidate within edit distance 2 of @word, or NULL. */
const char *abac_suggest(const char *word, const char *const *cands,
			 size_t n);
#define ABAC_QUOTE_MAX		64	/* bytes of a value quoted in a diag */
#define ABAC_QUOTE_BYTES	(ABAC_QUOTE_MAX * 4 + 4)
/* @s cut and escaped (\xNN) into @out, ABAC_QUOTE_BYTES bytes. */
const char *abac_quote(const char *s, size_t len, char *out);

#endif /* _LIBABAC_H */
