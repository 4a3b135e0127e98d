// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compiled images: the content hash, the bounds-checked loader that every
 * image from a file, the network or the kernel goes through, read-only
 * accessors, and a text or JSON decoding for people and scripts.
 *
 * Nothing here trusts a field of an image: every offset and count is
 * checked against the image's length before it is used, with 64-bit
 * arithmetic so that no sum can wrap.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "libabac.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#include "../../lsm/abac_image_check.h"

#define IMAGE_FILE	"<image>"

#define GEN_OFF		ABAC_CHECK_GEN_OFF

/**
 * abac_hash_text() - a content hash as people and scripts read it.
 * @hash: the hash.
 * @buf: receives "0x" and 16 lower-case hex digits.
 *
 * Return: @buf.
 */
const char *abac_hash_text(__u64 hash, char buf[ABAC_HASH_TEXT])
{
	snprintf(buf, ABAC_HASH_TEXT, "0x%016" PRIx64, (uint64_t)hash);
	return buf;
}

/**
 * abac_image_hash() - the content hash of an image.
 * @img: the image.
 * @len: its length in bytes.
 *
 * FNV-1a 64 over all @len bytes, with the generation, BPF slot and
 * content hash fields and the chunk stamps read as 0, so that stamping
 * any of them does not change the hash (abac_image_content_hash() in
 * lsm/abac_image_check.h, which the native LSM uses too).
 *
 * Return: the hash.
 */
__u64 abac_image_hash(const void *img, size_t len)
{
	return abac_image_content_hash(img, len);
}

/**
 * abac_image_rehash() - the content hash of an image that was changed,
 *	put in its header and in the stamp of every chunk past the first.
 * @img: the image, a whole header at least.
 * @len: its length in bytes.
 *
 * For a tool that edits a compiled image (the bench's copy without
 * subject classes): a chunk whose stamp names another hash is never read
 * by the BPF programs, and the decision fails closed.
 */
void abac_image_rehash(void *img, size_t len)
{
	struct abac_image_hdr *h = img;
	struct abac_chunk_stamp *st;
	__u64 k, rec;

	h->content_hash = abac_image_hash(img, len);
	for (k = 1; k < ABAC_MAX_CHUNKS; k++) {
		rec = k * ABAC_CHUNK_RECORDS;
		if ((rec + 1) * ABAC_REC_SIZE > len)
			break;
		if (!abac_rec_is_stamp(h, rec))
			continue;
		st = (void *)((__u8 *)img + rec * ABAC_REC_SIZE);
		st->content_hash = h->content_hash;
	}
}

/**
 * abac_image_set_generation() - stamp the agent's generation number.
 * @img: the image, at least a header long.
 * @generation: the number; it is not covered by the content hash.
 */
void abac_image_set_generation(void *img, __u32 generation)
{
	if (img)
		memcpy((__u8 *)img + GEN_OFF, &generation, sizeof(generation));
}

/**
 * abac_image_bpf_check() - can the BPF backend load this image?
 * @img: an image abac_image_check() accepted.
 * @len: its length in bytes.
 * @msg: receives why not, naming the limit.
 * @msg_size: bytes at @msg.
 *
 * Return: 0, or -E2BIG (abac_image_bpf_fits() in lsm/abac_image_check.h).
 */
int abac_image_bpf_check(const void *img, size_t len, char *msg,
			 size_t msg_size)
{
	struct abac_image_hdr h;

	if (!img || len < sizeof(h)) {
		snprintf(msg, msg_size, "image is truncated");
		return -EINVAL;
	}
	memcpy(&h, img, sizeof(h));
	return abac_image_bpf_fits(&h, msg, msg_size);
}

/* ---- the loader's checks ----------------------------------------------- */

/**
 * abac_image_check() - the loader's checks of an untrusted image.
 * @img: the image.
 * @len: its length in bytes.
 * @diags: receives one error (file "<image>") on failure; may be NULL.
 *
 * The checks are abac_image_validate() of lsm/abac_image_check.h, the very
 * code the native LSM runs on an image written to securityfs.
 *
 * Return: 0; -E2BIG for an image over the limit; -EPROTO for a bad magic
 * or ABI version; -EBADMSG for a content hash mismatch; -EINVAL for any
 * other bad field.
 */
int abac_image_check(const void *img, size_t len, struct abac_diags *diags)
{
	char msg[sizeof(((struct abac_diag *)0)->msg)];
	int err;

	err = abac_image_validate(img, len, msg, sizeof(msg));
	if (err)
		abac_diag_add(diags, false, IMAGE_FILE, 0, 0, "%s",
			      msg[0] ? msg : "invalid image");
	return err;
}

/* ---- accessors --------------------------------------------------------- */

/* The header when @img's string table is inside @len bytes, else NULL. */
static const struct abac_image_hdr *str_hdr(const void *img, size_t len)
{
	const struct abac_image_hdr *h = img;
	__u64 nrec = len / ABAC_REC_SIZE;

	if (!img || len < sizeof(*h) || h->str_off < ABAC_HDR_RECORDS ||
	    (__u64)h->str_off + abac_check_str_records(h) > nrec)
		return NULL;
	return h;
}

/**
 * abac_image_str() - a string of the string table.
 * @img: the image (not necessarily checked).
 * @len: its length in bytes.
 * @off: the string's offset in the string table.
 *
 * Return: the NUL-terminated string, or "" when @off or the table is out
 * of range.
 */
const char *abac_image_str(const void *img, size_t len, __u32 off)
{
	const struct abac_image_hdr *h = str_hdr(img, len);
	const char *s = h ? abac_check_table_str(img, h, off) : NULL;

	return s ? s : "";
}

/**
 * abac_image_rule_text() - the id and the sentence of a rule.
 * @img: the image (not necessarily checked).
 * @len: its length in bytes.
 * @idx: the rule's index.
 * @id: receives the rule's id, or NULL.
 * @nlp: receives the rule's sentence, or NULL.
 */
void abac_image_rule_text(const void *img, size_t len, __u32 idx,
			  const char **id, const char **nlp)
{
	const struct abac_image_hdr *h = str_hdr(img, len);
	const struct abac_rule *r;
	__u64 rec;

	*id = NULL;
	*nlp = NULL;
	if (!h || idx >= h->nrules)
		return;
	rec = (__u64)h->rules_off + idx;
	if (rec < ABAC_HDR_RECORDS || rec >= len / ABAC_REC_SIZE)
		return;
	r = (const void *)((const __u8 *)img + rec * ABAC_REC_SIZE);
	*id = abac_check_table_str(img, h, r->str);
	if (*id)
		*nlp = abac_check_table_str(img, h, (__u64)r->str + strlen(*id) + 1);
	if (!*nlp)
		*id = NULL;
}

/**
 * abac_image_rule_effect() - the effect of a rule.
 * @img: the image (not necessarily checked).
 * @len: its length in bytes.
 * @idx: the rule's index.
 *
 * Return: enum abac_effect, or -1 when @idx names no rule of @img.
 */
int abac_image_rule_effect(const void *img, size_t len, __u32 idx)
{
	const struct abac_image_hdr *h = str_hdr(img, len);
	const struct abac_rule *r;
	__u64 rec;

	if (!h || idx >= h->nrules)
		return -1;
	rec = (__u64)h->rules_off + idx;
	if (rec < ABAC_HDR_RECORDS || rec >= len / ABAC_REC_SIZE)
		return -1;
	r = (const void *)((const __u8 *)img + rec * ABAC_REC_SIZE);
	return r->effect;
}

/* ---- decoding ---------------------------------------------------------- */

static const char *mode_str(unsigned int m)
{
	return m == ABAC_MODE_AUDIT ? "audit" : "enforce";
}

static const char *effect_str(unsigned int e)
{
	return e == ABAC_ALLOW ? "allow" : "deny";
}

static const char *side_str(unsigned int s)
{
	return abac_side_name(s);
}

static const char *const kind_names[ABAC_COND_KIND_COUNT] = {
	"any", "none", "present", "absent", "rel-eq", "rel-ne", "all",
	"eq", "ne", "ge", "gt", "le", "lt", "rel-ge", "rel-gt", "rel-le",
	"rel-lt", "rel-contains", "time", "days", "set-any", "set-all",
	"set-none", "rel-in", "rel-subset", "rel-intersects", "in", "not-in",
};

static const char *const kind_ops[ABAC_COND_KIND_COUNT] = {
	"in", "not in", "present", "absent", "==", "!=", "contains all",
	"==", "!=", ">=", ">", "<=", "<", ">=", ">", "<=", "<", "contains",
	"time", "days", "has any of set", "has all of set", "has none of set",
	"in", "subset", "intersects", "in list", "not in list",
};

static const char *combining_str(unsigned int c)
{
	return c == ABAC_COMBINE_PERMIT_OVERRIDES ? "permit-overrides" :
	       c == ABAC_COMBINE_FIRST_APPLICABLE ? "first-applicable" :
	       "deny-overrides";
}

/*
 * The name of attribute @attr of @side from the image's own metadata, or
 * "side[attr]" when the image does not say.
 */
static const char *meta_name(const __u8 *img, size_t len, unsigned int side,
			     unsigned int attr, char *buf, size_t sz)
{
	const struct abac_image_hdr *h = (const void *)img;
	const struct abac_attr_meta *m;
	__u32 base, n;

	base = side == ABAC_SIDE_SUBJECT ? 0 :
	       side == ABAC_SIDE_OBJECT ? h->n_sattrs :
	       (__u32)h->n_sattrs + h->n_oattrs;
	n = side == ABAC_SIDE_SUBJECT ? h->n_sattrs :
	    side == ABAC_SIDE_OBJECT ? h->n_oattrs : h->n_eattrs;
	m = attr < n ? abac_check_meta_at(img, h, base + attr) : NULL;
	if (m && *abac_image_str(img, len, m->name_str))
		snprintf(buf, sz, "%s.%s", side_str(side),
			 abac_image_str(img, len, m->name_str));
	else
		snprintf(buf, sz, "%s[%u]", side_str(side), attr);
	return buf;
}

/*
 * One condition as text.  With the policy it was compiled from, in the
 * policy's words ("subject.role is one of [doctor, nurse]"); from an
 * image alone, the attribute names the image keeps and the value bits
 * ("subject.role in 0x5": the values numbered 0 and 2).
 */
static void cond_text(const __u8 *img, size_t len,
		      const struct abac_policy *p, const struct abac_cond *c,
		      char *buf, size_t sz)
{
	unsigned int k = c->kind < ABAC_COND_KIND_COUNT ? c->kind : 0;
	char a[160], r[160];

	if (p) {
		abac_cond_describe(p, c, buf, sz);
		return;
	}
	meta_name(img, len, c->side, c->attr, a, sizeof(a));
	if (k == ABAC_COND_TIME)
		snprintf(buf, sz, "env time %02u:%02u-%02u:%02u",
			 (unsigned int)(c->mask & 0xffff) / 60,
			 (unsigned int)(c->mask & 0xffff) % 60,
			 (unsigned int)(c->mask >> 16 & 0xffff) / 60,
			 (unsigned int)(c->mask >> 16 & 0xffff) % 60);
	else if (k == ABAC_COND_DAYS)
		snprintf(buf, sz, "env days 0x%" PRIx64, (uint64_t)c->mask);
	else if (k == ABAC_COND_PRESENT || k == ABAC_COND_ABSENT)
		snprintf(buf, sz, "%s %s", a, kind_ops[k]);
	else if (abac_cond_is_relation(k))
		snprintf(buf, sz, "%s %s %s", a, kind_ops[k],
			 meta_name(img, len, c->rhs_side, c->rhs, r,
				   sizeof(r)));
	else
		snprintf(buf, sz, "%s %s 0x%" PRIx64, a, kind_ops[k],
			 (uint64_t)c->mask);
}

/* Text output: control characters of image strings as \xNN. */
static void put_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fprintf(f, "\\x%02x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
}

/*
 * A JSON string, quoted: quotes, backslashes and control characters
 * escaped, bytes that are not well-formed UTF-8 as U+FFFD.
 */
static void put_json(FILE *f, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n, left = strlen(s);

	fputc('"', f);
	while (left) {
		if (*u == '"' || *u == '\\') {
			fprintf(f, "\\%c", *u);
		} else if (*u == '\n') {
			fputs("\\n", f);
		} else if (*u == '\t') {
			fputs("\\t", f);
		} else if (*u < 0x20 || *u == 0x7f) {
			fprintf(f, "\\u%04x", *u);
		} else {
			n = abac_utf8_seq(u, left);
			if (!n) {
				fputs("\\ufffd", f);
			} else {
				fwrite(u, 1, n, f);
				u += n;
				left -= n;
				continue;
			}
		}
		u++;
		left--;
	}
	fputc('"', f);
}

static const struct abac_cond *cond_at(const __u8 *img, __u32 rec)
{
	return (const void *)(img + (size_t)rec * ABAC_REC_SIZE);
}

static unsigned int dict_entries(const __u8 *img,
				 const struct abac_image_hdr *h)
{
	const struct abac_dict_ent *e;
	unsigned int i, n = 0;

	for (i = 0; i < h->dict_size; i++) {
		e = (const void *)(img + ((size_t)h->dict_off + i) *
				   ABAC_REC_SIZE);
		n += !!e->hash;
	}
	return n;
}

static const struct abac_subj_key *subj_at(const __u8 *img,
					   const struct abac_image_hdr *h,
					   __u32 slot)
{
	return (const void *)(img + ((size_t)h->subj_off +
				     (size_t)slot * ABAC_SUBJ_RECORDS) *
			      ABAC_REC_SIZE);
}

static unsigned int subj_entries(const __u8 *img,
				 const struct abac_image_hdr *h)
{
	unsigned int i, n = 0;

	for (i = 0; i < h->subj_size; i++)
		n += !!subj_at(img, h, i)->cgroup_id;
	return n;
}

static void dump_ops(FILE *f, __u32 ops, bool json)
{
	unsigned int op;
	bool first = true;

	for (op = 0; op < ABAC_OP_COUNT; op++) {
		if (!(ops & (1U << op)))
			continue;
		if (json)
			fprintf(f, "%s\"%s\"", first ? "" : ",",
				abac_op_name(op));
		else
			fprintf(f, "%s%s", first ? "" : " ", abac_op_name(op));
		first = false;
	}
}

static void dump_rule_text(const __u8 *img, size_t len,
			   const struct abac_image_hdr *h,
			   const struct abac_policy *p, __u32 i, FILE *f)
{
	const struct abac_rule *r = abac_check_rule_at(img, h, i);
	const char *id, *nlp;
	char buf[512];
	__u32 j;

	abac_image_rule_text(img, len, i, &id, &nlp);
	fprintf(f, "\nrule %u: ", i);
	put_text(f, id ? id : "?");
	fputs("\n  nlp: ", f);
	put_text(f, nlp ? nlp : "?");
	fprintf(f, "\n  layer: %u\n  effect: %s\n  ops: ", r->layer,
		effect_str(r->effect));
	dump_ops(f, r->ops, false);
	fputs("\n  when: ", f);
	if (!r->ncond)
		fputs("always", f);
	for (j = 0; j < r->ncond; j++) {
		cond_text(img, len, p, cond_at(img, r->cond + j), buf,
			  sizeof(buf));
		fputs(j ? " and " : "", f);
		put_text(f, buf);
	}
	fputc('\n', f);
}

/* A subject's tag as "name=value" (or "subject[k]=0xMASK" from an image). */
static void tag_text(const __u8 *img, size_t len,
		     const struct abac_policy *p, unsigned int k, __u64 w,
		     char *buf, size_t sz)
{
	char v[256], n[160];

	if (p && k < p->nsattrs) {
		abac_attr_word_text(&p->sattrs[k], w, v, sizeof(v));
		snprintf(buf, sz, "%s=%s", p->sattrs[k].name, v);
		return;
	}
	meta_name(img, len, ABAC_SIDE_SUBJECT, k, n, sizeof(n));
	snprintf(buf, sz, "%s=0x%" PRIx64, n + strlen("subject."),
		 (uint64_t)w);
}

/*
 * The tags of subject attributes @a: " role=x level=7" for people, or
 * "role=x","level=7" (the inside of a JSON array).
 */
static void put_tags(const __u8 *img, size_t len,
		     const struct abac_image_hdr *h,
		     const struct abac_policy *p, const struct abac_attrs *a,
		     FILE *f, bool json)
{
	bool first = true;
	char buf[512];
	unsigned int k;

	for (k = 0; k < h->n_sattrs; k++) {
		if (!a->v[k])
			continue;
		tag_text(img, len, p, k, a->v[k], buf, sizeof(buf));
		if (json) {
			fputs(first ? "" : ",", f);
			put_json(f, buf);
		} else {
			fputc(' ', f);
			put_text(f, buf);
		}
		first = false;
	}
}

static void dump_subjects_text(const __u8 *img, size_t len,
			       const struct abac_image_hdr *h,
			       const struct abac_policy *p, FILE *f)
{
	const struct abac_subj_key *key;
	const struct abac_attrs *a;
	unsigned int i;

	for (i = 0; i < h->subj_size; i++) {
		key = subj_at(img, h, i);
		if (!key->cgroup_id)
			continue;
		a = (const void *)(key + 1);
		fprintf(f, "\nsubject cgroup %" PRIu64 " (level %u, slot %u, class %u):",
			(uint64_t)key->cgroup_id, key->level, i, key->cls);
		put_tags(img, len, h, p, a, f, false);
		fputc('\n', f);
	}
}

/*
 * Binding @i of the binding table: its record, its template slot and its
 * name pattern in @pat ("ehr-*.service": the '*' put back).
 */
static const struct abac_bind *bind_at(const __u8 *img,
				       const struct abac_image_hdr *h, __u32 i,
				       const struct abac_subj_key **key,
				       char *pat, size_t sz)
{
	size_t off = ((size_t)h->bind_off + (size_t)i * ABAC_BIND_RECORDS) *
		     ABAC_REC_SIZE;
	const struct abac_bind *b = (const void *)(img + off);
	const char *name = (const char *)img + off +
			   (1 + ABAC_SUBJ_RECORDS) * ABAC_REC_SIZE;

	*key = (const void *)(img + off + ABAC_REC_SIZE);
	snprintf(pat, sz, "%.*s%s%.*s", b->pre_len, name, b->glob ? "*" : "",
		 b->suf_len, name + b->pre_len);
	return b;
}

/* Each binding: its parent cgroup, its name pattern, its tags. */
static void dump_binds_text(const __u8 *img, size_t len,
			    const struct abac_image_hdr *h,
			    const struct abac_policy *p, FILE *f)
{
	const struct abac_subj_key *key;
	const struct abac_bind *b;
	const struct abac_attrs *a;
	char pat[ABAC_BIND_NAME_MAX + 2];
	__u32 i;

	fprintf(f, "bindings: %u, levels 0x%x\n", h->nbind, h->bind_levels);
	for (i = 0; i < h->nbind; i++) {
		b = bind_at(img, h, i, &key, pat, sizeof(pat));
		a = (const void *)(key + 1);
		fprintf(f, "  binding %u: under cgroup %" PRIu64 " (level %u, class %u), name ",
			i, (uint64_t)b->parent_id, key->level, key->cls);
		put_text(f, pat);
		fputc(':', f);
		put_tags(img, len, h, p, a, f, false);
		fputc('\n', f);
	}
}

static void dump_binds_json(const __u8 *img, size_t len,
			    const struct abac_image_hdr *h,
			    const struct abac_policy *p, FILE *f)
{
	const struct abac_subj_key *key;
	const struct abac_bind *b;
	const struct abac_attrs *a;
	char pat[ABAC_BIND_NAME_MAX + 2];
	__u32 i;

	fputs(",\"bindings\":[", f);
	for (i = 0; i < h->nbind; i++) {
		b = bind_at(img, h, i, &key, pat, sizeof(pat));
		a = (const void *)(key + 1);
		fprintf(f, "%s{\"parent_cgroup_id\":%" PRIu64 ",\"level\":%u,\"class\":%u,\"name\":",
			i ? "," : "", (uint64_t)b->parent_id, key->level,
			key->cls);
		put_json(f, pat);
		fputs(",\"tags\":[", f);
		put_tags(img, len, h, p, a, f, true);
		fputs("]}", f);
	}
	fputc(']', f);
}

static const char *const type_strs[] = {
	"string", "set", "bool", "int", "level",
};

/* Each attribute: side[number] name type, authority, expires. */
static void dump_meta_text(const __u8 *img, size_t len,
			   const struct abac_image_hdr *h, FILE *f)
{
	const struct abac_attr_meta *m;
	__u32 i, n = h->n_sattrs + h->n_oattrs + h->n_eattrs, base;

	for (i = 0; i < n; i++) {
		m = abac_check_meta_at(img, h, i);
		base = m->side == ABAC_SIDE_SUBJECT ? 0 :
		       m->side == ABAC_SIDE_OBJECT ? h->n_sattrs :
		       (__u32)h->n_sattrs + h->n_oattrs;
		fprintf(f, "  %s[%u] ", side_str(m->side), i - base);
		put_text(f, abac_image_str(img, len, m->name_str));
		fprintf(f, ": %s%s", type_strs[m->type % 5],
			m->flags & ABAC_META_OPEN ? " (open)" :
			m->flags & ABAC_META_ENUM ? " (large enumeration)" : "");
		if (m->authority_str != ABAC_STR_NONE) {
			fputs(", authority ", f);
			put_text(f, abac_image_str(img, len, m->authority_str));
		}
		if (m->expires_str != ABAC_STR_NONE) {
			fputs(", expires ", f);
			put_text(f, abac_image_str(img, len, m->expires_str));
		}
		fputc('\n', f);
	}
}

/* BPF map values of ABAC_CHUNK_RECORDS records the image takes. */
static __u32 image_chunks(const struct abac_image_hdr *h)
{
	return (h->total_records + ABAC_CHUNK_RECORDS - 1) /
	       ABAC_CHUNK_RECORDS;
}

/* Class @c's (0-based) entry for @op in the rule index. */
static const struct abac_cls_op *cls_op_at(const __u8 *img,
					   const struct abac_image_hdr *h,
					   __u32 c, __u32 op)
{
	return (const void *)(img + ((size_t)h->cls_off +
				     (size_t)c * ABAC_CLS_RECORDS + op) *
			      ABAC_REC_SIZE);
}

/* An operation's rule count in the operation rule list. */
static __u32 op_count(const __u8 *img, const struct abac_image_hdr *h,
		      __u32 op)
{
	const struct abac_op_span *sp = (const void *)(img +
		(size_t)h->opidx_off * ABAC_REC_SIZE);

	return sp[op].count;
}

static __u32 index_records(const struct abac_image_hdr *h)
{
	return h->ncls * ABAC_CLS_RECORDS + (h->nclist + 3) / 4 +
	       (h->nbkt + 1) / 2;
}

/*
 * The rule index: per class, each operation some rule names, as "read
 * 2/7" (the class reads 2 of the 7 rules naming read), and the object
 * attribute its buckets split on with each bucket's size.
 */
static void dump_index_text(const __u8 *img, size_t len,
			    const struct abac_image_hdr *h, FILE *f)
{
	const struct abac_op_span *bkt = (const void *)(img +
		(size_t)h->bkt_off * ABAC_REC_SIZE);
	const struct abac_cls_op *co;
	char n[160];
	__u32 c, op, b;

	fprintf(f, "rule index: %u classes, %u list entries, %u buckets, %u records\n",
		h->ncls, h->nclist, h->nbkt, index_records(h));
	for (c = 0; c < h->ncls; c++) {
		fprintf(f, "  class %u:", c + 1);
		for (op = 0; op < ABAC_OP_COUNT; op++) {
			co = cls_op_at(img, h, c, op);
			if (!op_count(img, h, op))
				continue;
			fprintf(f, " %s %u/%u", abac_op_name(op), co->count,
				op_count(img, h, op));
			if (!co->nbkt)
				continue;
			fprintf(f, " (by %s:", meta_name(img, len,
				ABAC_SIDE_OBJECT, co->battr, n, sizeof(n)));
			for (b = 0; b < co->nbkt; b++)
				fprintf(f, " %u", bkt[co->bkt + b].count);
			fputc(')', f);
		}
		fputc('\n', f);
	}
}

static void dump_index_json(const __u8 *img, size_t len,
			    const struct abac_image_hdr *h, FILE *f)
{
	const struct abac_op_span *bkt = (const void *)(img +
		(size_t)h->bkt_off * ABAC_REC_SIZE);
	const struct abac_cls_op *co;
	bool first;
	char n[160];
	__u32 c, op, b;

	fprintf(f, ",\"index\":{\"classes\":%u,\"list_entries\":%u,\"buckets\":%u,\"records\":%u,\"class_lists\":[",
		h->ncls, h->nclist, h->nbkt, index_records(h));
	for (c = 0; c < h->ncls; c++) {
		fprintf(f, "%s{\"class\":%u,\"ops\":{", c ? "," : "", c + 1);
		for (op = 0, first = true; op < ABAC_OP_COUNT; op++) {
			co = cls_op_at(img, h, c, op);
			if (!op_count(img, h, op))
				continue;
			fprintf(f, "%s\"%s\":{\"rules\":%u,\"of\":%u",
				first ? "" : ",", abac_op_name(op), co->count,
				op_count(img, h, op));
			first = false;
			if (co->nbkt) {
				fputs(",\"split_on\":", f);
				put_json(f, meta_name(img, len,
					ABAC_SIDE_OBJECT, co->battr, n,
					sizeof(n)));
				fputs(",\"buckets\":[", f);
				for (b = 0; b < co->nbkt; b++)
					fprintf(f, "%s%u", b ? "," : "",
						bkt[co->bkt + b].count);
				fputc(']', f);
			}
			fputc('}', f);
		}
		fputs("}}", f);
	}
	fputs("]}", f);
}

static void dump_text(const __u8 *img, size_t len,
		      const struct abac_policy *p, FILE *f)
{
	const struct abac_image_hdr *h = (const void *)img;
	char hash[ABAC_HASH_TEXT];
	__u32 i;

	fputs("policy: ", f);
	put_text(f, abac_image_str(img, len, h->name_str));
	fprintf(f, "\nabi version: %u\nrecords: %u (%zu bytes, %u BPF chunk%s)\n",
		h->abi_version, h->total_records, len, image_chunks(h),
		image_chunks(h) == 1 ? "" : "s");
	fprintf(f, "generation: %u\ncontent hash: %s\n", h->generation,
		abac_hash_text(h->content_hash, hash));
	fprintf(f, "mode: %s\ncombining: %s\ndefault: %s\ntimezone: ",
		mode_str(h->mode), combining_str(h->combining),
		effect_str(h->default_effect));
	put_text(f, abac_image_str(img, len, h->tz_str));
	fprintf(f, "\nlayers: %u (", h->nlayers);
	for (i = 0; i < h->nlayers; i++)
		fprintf(f, "%s%s", i ? ", " : "",
			combining_str(h->layer_combining[i]));
	fprintf(f, ")\nattributes: %u subject, %u object, %u environment\n",
		h->n_sattrs, h->n_oattrs, h->n_eattrs);
	fprintf(f, "networks: %u entries\n", h->nnets);
	dump_meta_text(img, len, h, f);
	fprintf(f, "label dictionary: %u slots, %u pairs\n", h->dict_size,
		dict_entries(img, h));
	if (h->nenum)
		fprintf(f, "label table: %u pairs of large enumerations from member %u\n",
			h->nenum, h->enum_first);
	fprintf(f, "subject table: %u slots, %u tagged cgroups, levels 0x%x\n",
		h->subj_size, subj_entries(img, h), h->tag_levels);
	if (h->nbind)
		dump_binds_text(img, len, h, p, f);
	dump_index_text(img, len, h, f);
	fprintf(f, "rules: %u, conditions: %u\n", h->nrules, h->nconds);
	for (i = 0; i < h->nrules; i++)
		dump_rule_text(img, len, h, p, i, f);
	dump_subjects_text(img, len, h, p, f);
}

static void dump_rule_json(const __u8 *img, size_t len,
			   const struct abac_image_hdr *h,
			   const struct abac_policy *p, __u32 i, FILE *f)
{
	const struct abac_rule *r = abac_check_rule_at(img, h, i);
	const struct abac_cond *c;
	const char *id, *nlp;
	char buf[96];
	__u32 j;

	abac_image_rule_text(img, len, i, &id, &nlp);
	fprintf(f, "%s{\"index\":%u,\"id\":", i ? "," : "", i);
	put_json(f, id ? id : "");
	fputs(",\"nlp\":", f);
	put_json(f, nlp ? nlp : "");
	fprintf(f, ",\"layer\":%u,\"effect\":\"%s\",\"ops\":[", r->layer,
		effect_str(r->effect));
	dump_ops(f, r->ops, true);
	fputs("],\"conditions\":[", f);
	for (j = 0; j < r->ncond; j++) {
		c = cond_at(img, r->cond + j);
		cond_text(img, len, p, c, buf, sizeof(buf));
		fprintf(f, "%s{\"side\":\"%s\",\"attr\":%u,\"kind\":\"%s\"",
			j ? "," : "", side_str(c->side), c->attr,
			kind_names[c->kind]);
		if (!abac_cond_is_relation(c->kind))
			fprintf(f, ",\"mask\":\"0x%" PRIx64 "\"",
				(uint64_t)c->mask);
		else
			fprintf(f, ",\"rhs_side\":\"%s\",\"rhs\":%u",
				side_str(c->rhs_side), c->rhs);
		fputs(",\"text\":", f);
		put_json(f, buf);
		fputc('}', f);
	}
	fputs("]}", f);
}

static void dump_subjects_json(const __u8 *img, size_t len,
			       const struct abac_image_hdr *h,
			       const struct abac_policy *p, FILE *f)
{
	const struct abac_subj_key *key;
	const struct abac_attrs *a;
	unsigned int i, k;
	bool first = true, kfirst;

	for (i = 0; i < h->subj_size; i++) {
		key = subj_at(img, h, i);
		if (!key->cgroup_id)
			continue;
		a = (const void *)(key + 1);
		fprintf(f, "%s{\"cgroup_id\":%" PRIu64 ",\"level\":%u,\"slot\":%u,\"class\":%u,\"attrs\":{",
			first ? "" : ",", (uint64_t)key->cgroup_id,
			key->level, i, key->cls);
		kfirst = true;
		for (k = 0; k < h->n_sattrs; k++) {
			if (!a->v[k])
				continue;
			fprintf(f, "%s\"%u\":\"0x%" PRIx64 "\"",
				kfirst ? "" : ",", k, (uint64_t)a->v[k]);
			kfirst = false;
		}
		fputs("},\"tags\":[", f);
		put_tags(img, len, h, p, a, f, true);
		fputs("]}", f);
		first = false;
	}
}

static void dump_json(const __u8 *img, size_t len,
		      const struct abac_policy *p, FILE *f)
{
	const struct abac_image_hdr *h = (const void *)img;
	char hash[ABAC_HASH_TEXT];
	__u32 i;

	fputs("{\"name\":", f);
	put_json(f, abac_image_str(img, len, h->name_str));
	fprintf(f, ",\"abi_version\":%u,\"records\":%u,\"bytes\":%zu,\"chunks\":%u",
		h->abi_version, h->total_records, len, image_chunks(h));
	fprintf(f, ",\"generation\":%u,\"content_hash\":\"%s\"",
		h->generation, abac_hash_text(h->content_hash, hash));
	fprintf(f, ",\"mode\":\"%s\",\"combining\":\"%s\",\"default\":\"%s\"",
		mode_str(h->mode), combining_str(h->combining),
		effect_str(h->default_effect));
	fputs(",\"timezone\":", f);
	put_json(f, abac_image_str(img, len, h->tz_str));
	fputs(",\"layers\":[", f);
	for (i = 0; i < h->nlayers; i++)
		fprintf(f, "%s\"%s\"", i ? "," : "",
			combining_str(h->layer_combining[i]));
	fprintf(f, "],\"subject_attributes\":%u,\"object_attributes\":%u,\"environment_attributes\":%u,\"networks\":%u",
		h->n_sattrs, h->n_oattrs, h->n_eattrs, h->nnets);
	fprintf(f, ",\"dictionary\":{\"slots\":%u,\"pairs\":%u}",
		h->dict_size, dict_entries(img, h));
	dump_index_json(img, len, h, f);
	dump_binds_json(img, len, h, p, f);
	fprintf(f, ",\"tag_levels\":%u,\"subjects\":[", h->tag_levels);
	dump_subjects_json(img, len, h, p, f);
	fputs("],\"rules\":[", f);
	for (i = 0; i < h->nrules; i++)
		dump_rule_json(img, len, h, p, i, f);
	fputs("]}\n", f);
}

/* Was @img compiled from @p?  (Its attributes and rules line up.) */
static bool policy_matches(const void *img, const struct abac_policy *p)
{
	const struct abac_image_hdr *h = img;

	return p && h->n_sattrs == p->nsattrs && h->n_oattrs == p->noattrs &&
	       h->n_eattrs == p->neattrs && h->nrules == p->nrules;
}

/**
 * abac_image_dump_policy() - decode an image for people or for scripts.
 * @img: the image.
 * @len: its length in bytes.
 * @p: the policy @img was compiled from, for the names of values; NULL
 *	when there is only the image.
 * @f: where to write.
 * @json: one JSON object (and a newline) instead of text.
 *
 * The image goes through abac_image_check() first; an image that fails
 * is not decoded, the reason is printed instead ({"error": ...} in JSON).
 * With @p conditions read as the policy says them ("subject.role is one
 * of [doctor]"); an image alone keeps attribute names but not value
 * names, so they read "subject.role in 0x5" (values numbered 0 and 2).
 */
void abac_image_dump_policy(const void *img, size_t len,
			    const struct abac_policy *p, FILE *f, bool json)
{
	struct abac_diags d;

	abac_diags_init(&d);
	if (abac_image_check(img, len, &d)) {
		const char *msg = d.n ? d.v[0].msg : "invalid image";

		if (json) {
			fputs("{\"error\":", f);
			put_json(f, msg);
			fputs("}\n", f);
		} else {
			fprintf(f, "invalid image: %s\n", msg);
		}
	} else {
		if (!policy_matches(img, p))
			p = NULL;
		if (json)
			dump_json(img, len, p, f);
		else
			dump_text(img, len, p, f);
	}
	abac_diags_free(&d);
}

/**
 * abac_image_dump() - abac_image_dump_policy() without the policy.
 * @img: the image.
 * @len: its length in bytes.
 * @f: where to write.
 * @json: JSON instead of text.
 */
void abac_image_dump(const void *img, size_t len, FILE *f, bool json)
{
	abac_image_dump_policy(img, len, NULL, f, json);
}
