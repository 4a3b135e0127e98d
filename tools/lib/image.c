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

#define IMAGE_FILE	"<image>"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define GEN_OFF		offsetof(struct abac_image_hdr, generation)
#define GEN_END		(GEN_OFF + sizeof(__u32))
#define HASH_OFF	offsetof(struct abac_image_hdr, content_hash)
#define HASH_END	(HASH_OFF + sizeof(__u64))

/**
 * abac_image_hash() - the content hash of an image.
 * @img: the image.
 * @len: its length in bytes.
 *
 * FNV-1a 64 over all @len bytes, with the generation and the content hash
 * fields read as 0, so that stamping either does not change the hash.
 *
 * Return: the hash.
 */
__u64 abac_image_hash(const void *img, size_t len)
{
	const __u8 *b = img;
	__u64 h = ABAC_FNV_OFFSET;
	size_t i;

	for (i = 0; b && i < len; i++) {
		if ((i >= GEN_OFF && i < GEN_END) ||
		    (i >= HASH_OFF && i < HASH_END))
			h = abac_hash_byte(h, 0);
		else
			h = abac_hash_byte(h, b[i]);
	}
	return h;
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

/* ---- the loader's checks ----------------------------------------------- */

static int bad(struct abac_diags *d, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(struct abac_diags *d, int err, const char *fmt, ...)
{
	char msg[sizeof(((struct abac_diag *)0)->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	abac_diag_add(d, false, IMAGE_FILE, 0, 0, "%s", msg);
	return err;
}

static bool pow2_or_0(__u32 v)
{
	return !(v & (v - 1));
}

static bool all_zero(const void *p, size_t n)
{
	const __u8 *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

static __u32 str_records(const struct abac_image_hdr *h)
{
	return (__u32)(((__u64)h->str_len + ABAC_REC_SIZE - 1) /
		       ABAC_REC_SIZE);
}

/* Size, magic, version, record count, then the hash. */
static int check_frame(const __u8 *img, size_t len, struct abac_diags *d)
{
	const struct abac_image_hdr *h = (const void *)img;
	__u64 hash;

	if (len > ABAC_IMAGE_BYTES)
		return bad(d, -E2BIG, "image of %zu bytes exceeds the limit of %u",
			   len, ABAC_IMAGE_BYTES);
	if (!img || len < sizeof(*h))
		return bad(d, -EINVAL, "image is truncated: %zu bytes, less than its %zu-byte header",
			   img ? len : 0, sizeof(*h));
	if (h->magic != ABAC_MAGIC)
		return bad(d, -EPROTO, "not an abac image: bad magic 0x%08x",
			   h->magic);
	if (h->abi_version != ABAC_ABI_VERSION)
		return bad(d, -EPROTO, "image ABI version %u, this build reads version %u",
			   h->abi_version, ABAC_ABI_VERSION);
	if (h->hdr_records != ABAC_HDR_RECORDS)
		return bad(d, -EINVAL, "header of %u records, expected %u",
			   h->hdr_records, ABAC_HDR_RECORDS);
	if (h->total_records > ABAC_IMAGE_RECORDS)
		return bad(d, -E2BIG, "image of %u records exceeds the limit of %u",
			   h->total_records, ABAC_IMAGE_RECORDS);
	if ((__u64)h->total_records * ABAC_REC_SIZE != len)
		return bad(d, -EINVAL, "image is truncated or padded: the header says %u records, the image has %zu bytes",
			   h->total_records, len);
	hash = abac_image_hash(img, len);
	if (hash != h->content_hash)
		return bad(d, -EBADMSG, "content hash mismatch: the header says %016" PRIx64 ", the content hashes to %016" PRIx64,
			   (uint64_t)h->content_hash, (uint64_t)hash);
	return 0;
}

/* Mode, combining, default, reserved fields, attribute counts. */
static int check_settings(const struct abac_image_hdr *h,
			  struct abac_diags *d)
{
	if (h->mode > ABAC_MODE_AUDIT)
		return bad(d, -EINVAL, "unknown mode %u", h->mode);
	unsigned int i;

	if (h->combining >= ABAC_COMBINE_COUNT)
		return bad(d, -EINVAL, "unknown combining algorithm %u",
			   h->combining);
	if (!h->nlayers || h->nlayers > ABAC_MAX_LAYERS)
		return bad(d, -EINVAL, "%u layers (1 to %d)", h->nlayers,
			   ABAC_MAX_LAYERS);
	for (i = 0; i < ABAC_MAX_LAYERS; i++)
		if (i < h->nlayers ? h->layer_combining[i] >= ABAC_COMBINE_COUNT :
				     h->layer_combining[i] != 0)
			return bad(d, -EINVAL, "layer %u: bad combining algorithm %u",
				   i, h->layer_combining[i]);
	if (h->n_eattrs > ABAC_MAX_ATTRS)
		return bad(d, -EINVAL, "%u environment attributes (at most %d)",
			   h->n_eattrs, ABAC_MAX_ATTRS);
	if (h->nnets > ABAC_MAX_NETS)
		return bad(d, -EINVAL, "%u network entries (at most %d)",
			   h->nnets, ABAC_MAX_NETS);
	if (h->default_effect > ABAC_ALLOW)
		return bad(d, -EINVAL, "unknown default effect %u",
			   h->default_effect);
	if (h->flags || h->pad || !all_zero(h->pad2, sizeof(h->pad2)) ||
	    !all_zero(h->reserved, sizeof(h->reserved)))
		return bad(d, -EINVAL, "reserved header fields are not 0");
	if (h->n_sattrs > ABAC_MAX_ATTRS || h->n_oattrs > ABAC_MAX_ATTRS)
		return bad(d, -EINVAL, "%u subject and %u object attributes (at most %d each)",
			   h->n_sattrs, h->n_oattrs, ABAC_MAX_ATTRS);
	if (h->nrules > ABAC_MAX_RULES)
		return bad(d, -EINVAL, "%u rules (at most %d)", h->nrules,
			   ABAC_MAX_RULES);
	if (!pow2_or_0(h->dict_size) || !pow2_or_0(h->subj_size))
		return bad(d, -EINVAL, "table sizes %u and %u are not powers of two",
			   h->dict_size, h->subj_size);
	return 0;
}

/*
 * Every table inside the image, in order and without overlap: header,
 * rules, conditions, dictionary, subjects, strings.
 */
static int check_tables(const struct abac_image_hdr *h, struct abac_diags *d)
{
	const struct {
		const char *name;
		__u64 off, count;
	} t[] = {
		{ "rules", h->rules_off, h->nrules },
		{ "conditions", h->conds_off, h->nconds },
		{ "label dictionary", h->dict_off, h->dict_size },
		{ "subject table", h->subj_off,
		  (__u64)h->subj_size * ABAC_SUBJ_RECORDS },
		{ "defaults", h->defaults_off,
		  ABAC_SIDE_COUNT * ABAC_ATTRS_RECORDS },
		{ "operation index", h->opidx_off, ABAC_OPIDX_RECORDS },
		{ "operation rule list", h->oplist_off,
		  ((__u64)h->noplist + 3) / 4 },
		{ "network table", h->nets_off,
		  (__u64)h->nnets * ABAC_NET_RECORDS },
		{ "attribute table", h->meta_off,
		  (__u64)h->n_sattrs + h->n_oattrs + h->n_eattrs },
		{ "string table", h->str_off, str_records(h) },
	};
	__u64 end = ABAC_HDR_RECORDS;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		if (t[i].off < end || t[i].off + t[i].count > h->total_records)
			return bad(d, -EINVAL, "%s [%" PRIu64 ", +%" PRIu64 ") is outside the image or overlaps another table",
				   t[i].name, (uint64_t)t[i].off,
				   (uint64_t)t[i].count);
		end = t[i].off + t[i].count;
	}
	return 0;
}

/* The NUL-terminated string at @off of the string table, or NULL. */
static const char *table_str(const __u8 *img, const struct abac_image_hdr *h,
			     __u64 off)
{
	const char *s = (const char *)img + (size_t)h->str_off * ABAC_REC_SIZE;

	if (off >= h->str_len || !memchr(s + off, '\0', h->str_len - off))
		return NULL;
	return s + off;
}

static int check_strings(const __u8 *img, const struct abac_image_hdr *h,
			 struct abac_diags *d)
{
	const char *s = (const char *)img + (size_t)h->str_off * ABAC_REC_SIZE;

	if (!h->str_len || s[h->str_len - 1])
		return bad(d, -EINVAL, "the string table is not NUL-terminated");
	if (!table_str(img, h, h->name_str) || !table_str(img, h, h->tz_str))
		return bad(d, -EINVAL, "policy name or timezone offset is outside the string table");
	return 0;
}

static const struct abac_rule *rule_at(const __u8 *img,
				       const struct abac_image_hdr *h, __u32 i)
{
	return (const void *)(img + ((size_t)h->rules_off + i) *
			      ABAC_REC_SIZE);
}

static int check_rule(const __u8 *img, const struct abac_image_hdr *h,
		      __u32 i, struct abac_diags *d)
{
	const struct abac_rule *r = rule_at(img, h, i);
	const char *id;

	if (r->effect > ABAC_ALLOW || r->pad || (r->ops >> ABAC_OP_COUNT))
		return bad(d, -EINVAL, "rule %u: bad effect, ops or padding", i);
	if (r->layer >= h->nlayers || (i && r->layer < rule_at(img, h, i - 1)->layer))
		return bad(d, -EINVAL, "rule %u: layer %u out of range or order",
			   i, r->layer);
	if (r->ncond > ABAC_MAX_CONDS)
		return bad(d, -EINVAL, "rule %u: %u conditions (at most %d)", i,
			   r->ncond, ABAC_MAX_CONDS);
	if (r->cond < h->conds_off ||
	    (__u64)r->cond + r->ncond > (__u64)h->conds_off + h->nconds)
		return bad(d, -EINVAL, "rule %u: conditions [%u, +%u) are outside the conditions table",
			   i, r->cond, r->ncond);
	id = table_str(img, h, r->str);
	if (!id || !table_str(img, h, (__u64)r->str + strlen(id) + 1))
		return bad(d, -EINVAL, "rule %u: string offset %u is outside the string table",
			   i, r->str);
	return 0;
}

static unsigned int side_attrs(const struct abac_image_hdr *h,
			       unsigned int side)
{
	return side == ABAC_SIDE_SUBJECT ? h->n_sattrs :
	       side == ABAC_SIDE_OBJECT ? h->n_oattrs :
	       side == ABAC_SIDE_ENV ? h->n_eattrs : 0;
}

static bool kind_is_rel(unsigned int k)
{
	return k == ABAC_COND_REL_EQ || k == ABAC_COND_REL_NE ||
	       (k >= ABAC_COND_REL_GE && k <= ABAC_COND_REL_CONTAINS);
}

static int check_cond(const struct abac_cond *c, __u32 i,
		      const struct abac_image_hdr *h, struct abac_diags *d)
{
	bool rel = kind_is_rel(c->kind);
	bool clock = c->kind == ABAC_COND_TIME || c->kind == ABAC_COND_DAYS;

	if (c->kind >= ABAC_COND_KIND_COUNT)
		return bad(d, -EINVAL, "condition %u: unknown kind %u", i,
			   c->kind);
	if (clock ? c->side != ABAC_SIDE_ENV || c->attr :
		    c->attr >= side_attrs(h, c->side))
		return bad(d, -EINVAL, "condition %u: no attribute %u on side %u",
			   i, c->attr, c->side);
	if (rel ? c->rhs >= side_attrs(h, c->rhs_side) || c->mask :
		  c->rhs != 0 || c->rhs_side != 0)
		return bad(d, -EINVAL, "condition %u: bad right-hand attribute %u on side %u",
			   i, c->rhs, c->rhs_side);
	if (c->kind == ABAC_COND_TIME &&
	    ((c->mask & 0xffff) > ABAC_MINUTES_PER_DAY ||
	     (c->mask >> 16) > ABAC_MINUTES_PER_DAY))
		return bad(d, -EINVAL, "condition %u: bad time window", i);
	if (!all_zero(c->pad, sizeof(c->pad)))
		return bad(d, -EINVAL, "condition %u: padding is not 0", i);
	return 0;
}

/*
 * Each operation's span inside the list, naming its rules in order, and
 * all of them: the kernel reads only the list, so a rule left out of it
 * would be shown by "abac policy show" and never applied.
 */
static int check_oplist(const __u8 *img, const struct abac_image_hdr *h,
			struct abac_diags *d)
{
	const struct abac_op_span *span = (const void *)(img +
		(size_t)h->opidx_off * ABAC_REC_SIZE);
	const __u32 *list = (const void *)(img +
		(size_t)h->oplist_off * ABAC_REC_SIZE);
	unsigned int op;
	__u32 k, idx, prev, naming;

	for (op = 0; op < ABAC_OP_COUNT; op++) {
		if ((__u64)span[op].first + span[op].count > h->noplist)
			return bad(d, -EINVAL, "operation %u: rule list outside the table",
				   op);
		for (idx = 0, naming = 0; idx < h->nrules; idx++)
			naming += !!(rule_at(img, h, idx)->ops & (1U << op));
		if (span[op].count != naming)
			return bad(d, -EINVAL, "operation %u: %u rule(s) name it, its rule list holds %u",
				   op, naming, span[op].count);
		for (k = 0, prev = 0; k < span[op].count; k++) {
			idx = list[span[op].first + k];
			if (idx >= h->nrules || (k && idx <= prev) ||
			    !(rule_at(img, h, idx)->ops & (1U << op)))
				return bad(d, -EINVAL, "operation %u: rule list entry %u is wrong",
					   op, k);
			prev = idx;
		}
	}
	return 0;
}

static const struct abac_attr_meta *meta_at(const __u8 *img,
					   const struct abac_image_hdr *h,
					   __u32 i)
{
	return (const void *)(img + ((size_t)h->meta_off + i) * ABAC_REC_SIZE);
}

static bool opt_str(const __u8 *img, const struct abac_image_hdr *h, __u32 off)
{
	return off == ABAC_STR_NONE || table_str(img, h, off);
}

static int check_meta(const __u8 *img, const struct abac_image_hdr *h,
		      struct abac_diags *d)
{
	const struct abac_attr_meta *m;
	__u32 i, n = h->n_sattrs + h->n_oattrs + h->n_eattrs, side;

	for (i = 0; i < n; i++) {
		m = meta_at(img, h, i);
		side = i < h->n_sattrs ? ABAC_SIDE_SUBJECT :
		       i < (__u32)h->n_sattrs + h->n_oattrs ? ABAC_SIDE_OBJECT :
		       ABAC_SIDE_ENV;
		if (m->side != side || m->type > 4 || m->pad ||
		    !table_str(img, h, m->name_str) ||
		    !opt_str(img, h, m->authority_str) ||
		    !opt_str(img, h, m->expires_str))
			return bad(d, -EINVAL, "attribute record %u is malformed", i);
	}
	return 0;
}

static int check_nets(const __u8 *img, const struct abac_image_hdr *h,
		      struct abac_diags *d)
{
	const struct abac_net *n;
	const struct abac_attrs *a;
	__u32 i;

	for (i = 0; i < h->nnets; i++) {
		n = (const void *)(img + ((size_t)h->nets_off +
					  (size_t)i * ABAC_NET_RECORDS) *
				   ABAC_REC_SIZE);
		a = (const void *)(n + 1);
		if ((n->family != 4 && n->family != 6) ||
		    n->prefix > (n->family == 4 ? 32 : 128) ||
		    n->port_lo > n->port_hi || n->pad || n->pad2 ||
		    !table_str(img, h, n->name_str) ||
		    !all_zero(&a->v[h->n_oattrs],
			      (ABAC_MAX_ATTRS - h->n_oattrs) * sizeof(a->v[0])))
			return bad(d, -EINVAL, "network entry %u is malformed", i);
	}
	return 0;
}

static int check_dict(const __u8 *img, const struct abac_image_hdr *h,
		      struct abac_diags *d)
{
	const struct abac_dict_ent *e;
	__u32 i;

	for (i = 0; i < h->dict_size; i++) {
		e = (const void *)(img + ((size_t)h->dict_off + i) *
				   ABAC_REC_SIZE);
		if (!e->hash)
			continue;
		if (e->attr >= h->n_oattrs || e->bit >= ABAC_MAX_VALUES ||
		    (e->flags & ~ABAC_DICT_SINGLE) ||
		    !all_zero(e->pad, sizeof(e->pad)))
			return bad(d, -EINVAL, "label dictionary slot %u is malformed",
				   i);
	}
	return 0;
}

static int check_subjects(const __u8 *img, const struct abac_image_hdr *h,
			  struct abac_diags *d)
{
	const struct abac_subj_key *key;
	const struct abac_attrs *a;
	__u32 i;
	size_t off;

	for (i = 0; i < h->subj_size; i++) {
		off = ((size_t)h->subj_off + (size_t)i * ABAC_SUBJ_RECORDS) *
		      ABAC_REC_SIZE;
		key = (const void *)(img + off);
		a = (const void *)(img + off + ABAC_REC_SIZE);
		if (!key->cgroup_id)
			continue;
		if (key->pad ||
		    !all_zero(&a->v[h->n_sattrs],
			      (ABAC_MAX_ATTRS - h->n_sattrs) * sizeof(a->v[0])))
			return bad(d, -EINVAL, "subject slot %u is malformed",
				   i);
	}
	return 0;
}

/**
 * abac_image_check() - the loader's checks of an untrusted image.
 * @img: the image.
 * @len: its length in bytes.
 * @diags: receives one error (file "<image>") on failure; may be NULL.
 *
 * Checks the size, magic, ABI version, record count and content hash,
 * then every setting, every table's place, every rule's conditions and
 * strings, every condition, dictionary entry and subject slot.
 *
 * Return: 0; -E2BIG for an image over the limit; -EPROTO for a bad magic
 * or ABI version; -EBADMSG for a content hash mismatch; -EINVAL for any
 * other bad field.
 */
int abac_image_check(const void *img, size_t len, struct abac_diags *diags)
{
	const struct abac_image_hdr *h = img;
	const __u8 *b = img;
	__u32 i;
	int err;

	err = check_frame(b, len, diags);
	if (!err)
		err = check_settings(h, diags);
	if (!err)
		err = check_tables(h, diags);
	if (!err)
		err = check_strings(b, h, diags);
	for (i = 0; !err && i < h->nrules; i++)
		err = check_rule(b, h, i, diags);
	for (i = 0; !err && i < h->nconds; i++)
		err = check_cond((const void *)(b + ((size_t)h->conds_off + i) *
						ABAC_REC_SIZE), i, h, diags);
	if (!err)
		err = check_dict(b, h, diags);
	if (!err)
		err = check_subjects(b, h, diags);
	if (!err)
		err = check_oplist(b, h, diags);
	if (!err)
		err = check_nets(b, h, diags);
	if (!err)
		err = check_meta(b, h, diags);
	return err;
}

/* ---- accessors --------------------------------------------------------- */

/* The header when @img's string table is inside @len bytes, else NULL. */
static const struct abac_image_hdr *str_hdr(const void *img, size_t len)
{
	const struct abac_image_hdr *h = img;
	__u64 nrec = len / ABAC_REC_SIZE;

	if (!img || len < sizeof(*h) || h->str_off < ABAC_HDR_RECORDS ||
	    (__u64)h->str_off + str_records(h) > nrec)
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
	const char *s = h ? table_str(img, h, off) : NULL;

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
	*id = table_str(img, h, r->str);
	if (*id)
		*nlp = table_str(img, h, (__u64)r->str + strlen(*id) + 1);
	if (!*nlp)
		*id = NULL;
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
	"rel-lt", "rel-contains", "time", "days",
};

static const char *const kind_ops[ABAC_COND_KIND_COUNT] = {
	"in", "not in", "present", "absent", "==", "!=", "contains all",
	"==", "!=", ">=", ">", "<=", "<", ">=", ">", "<=", "<", "contains",
	"time", "days",
};

static const char *combining_str(unsigned int c)
{
	return c == ABAC_COMBINE_PERMIT_OVERRIDES ? "permit-overrides" :
	       c == ABAC_COMBINE_FIRST_APPLICABLE ? "first-applicable" :
	       "deny-overrides";
}

/* One condition as text: "subject[2] in 0x5", "subject[0] == object[1]". */
static void cond_text(const struct abac_cond *c, char *buf, size_t sz)
{
	const char *side = side_str(c->side);
	unsigned int k = c->kind < ABAC_COND_KIND_COUNT ? c->kind : 0;

	if (k == ABAC_COND_TIME)
		snprintf(buf, sz, "env time %02u:%02u-%02u:%02u",
			 (unsigned int)(c->mask & 0xffff) / 60,
			 (unsigned int)(c->mask & 0xffff) % 60,
			 (unsigned int)(c->mask >> 16 & 0xffff) / 60,
			 (unsigned int)(c->mask >> 16 & 0xffff) % 60);
	else if (k == ABAC_COND_DAYS)
		snprintf(buf, sz, "env days 0x%" PRIx64, (uint64_t)c->mask);
	else if (k == ABAC_COND_PRESENT || k == ABAC_COND_ABSENT)
		snprintf(buf, sz, "%s[%u] %s", side, c->attr, kind_ops[k]);
	else if (kind_is_rel(k))
		snprintf(buf, sz, "%s[%u] %s %s[%u]", side, c->attr,
			 kind_ops[k], side_str(c->rhs_side), c->rhs);
	else
		snprintf(buf, sz, "%s[%u] %s 0x%" PRIx64, side, c->attr,
			 kind_ops[k], (uint64_t)c->mask);
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
			   const struct abac_image_hdr *h, __u32 i, FILE *f)
{
	const struct abac_rule *r = rule_at(img, h, i);
	const char *id, *nlp;
	char buf[96];
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
		cond_text(cond_at(img, r->cond + j), buf, sizeof(buf));
		fprintf(f, "%s%s", j ? " and " : "", buf);
	}
	fputc('\n', f);
}

static void dump_subjects_text(const __u8 *img,
			       const struct abac_image_hdr *h, FILE *f)
{
	const struct abac_subj_key *key;
	const struct abac_attrs *a;
	unsigned int i, k;

	for (i = 0; i < h->subj_size; i++) {
		key = subj_at(img, h, i);
		if (!key->cgroup_id)
			continue;
		a = (const void *)(key + 1);
		fprintf(f, "\nsubject cgroup %" PRIu64 " (level %u, slot %u):",
			(uint64_t)key->cgroup_id, key->level, i);
		for (k = 0; k < h->n_sattrs; k++)
			if (a->v[k])
				fprintf(f, " subject[%u]=0x%" PRIx64, k,
					(uint64_t)a->v[k]);
		fputc('\n', f);
	}
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
		m = meta_at(img, h, i);
		base = m->side == ABAC_SIDE_SUBJECT ? 0 :
		       m->side == ABAC_SIDE_OBJECT ? h->n_sattrs :
		       (__u32)h->n_sattrs + h->n_oattrs;
		fprintf(f, "  %s[%u] ", side_str(m->side), i - base);
		put_text(f, abac_image_str(img, len, m->name_str));
		fprintf(f, ": %s", type_strs[m->type % 5]);
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

static void dump_text(const __u8 *img, size_t len, FILE *f)
{
	const struct abac_image_hdr *h = (const void *)img;
	__u32 i;

	fputs("policy: ", f);
	put_text(f, abac_image_str(img, len, h->name_str));
	fprintf(f, "\nabi version: %u\nrecords: %u (%zu bytes)\n",
		h->abi_version, h->total_records, len);
	fprintf(f, "generation: %u\ncontent hash: %016" PRIx64 "\n",
		h->generation, (uint64_t)h->content_hash);
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
	fprintf(f, "subject table: %u slots, %u tagged cgroups, levels 0x%x\n",
		h->subj_size, subj_entries(img, h), h->tag_levels);
	fprintf(f, "rules: %u, conditions: %u\n", h->nrules, h->nconds);
	for (i = 0; i < h->nrules; i++)
		dump_rule_text(img, len, h, i, f);
	dump_subjects_text(img, h, f);
}

static void dump_rule_json(const __u8 *img, size_t len,
			   const struct abac_image_hdr *h, __u32 i, FILE *f)
{
	const struct abac_rule *r = rule_at(img, h, i);
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
		cond_text(c, buf, sizeof(buf));
		fprintf(f, "%s{\"side\":\"%s\",\"attr\":%u,\"kind\":\"%s\"",
			j ? "," : "", side_str(c->side), c->attr,
			kind_names[c->kind]);
		if (!kind_is_rel(c->kind))
			fprintf(f, ",\"mask\":\"0x%" PRIx64 "\"",
				(uint64_t)c->mask);
		else
			fprintf(f, ",\"rhs_side\":\"%s\",\"rhs\":%u",
				side_str(c->rhs_side), c->rhs);
		fprintf(f, ",\"text\":\"%s\"}", buf);
	}
	fputs("]}", f);
}

static void dump_subjects_json(const __u8 *img,
			       const struct abac_image_hdr *h, FILE *f)
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
		fprintf(f, "%s{\"cgroup_id\":%" PRIu64 ",\"level\":%u,\"slot\":%u,\"attrs\":{",
			first ? "" : ",", (uint64_t)key->cgroup_id,
			key->level, i);
		kfirst = true;
		for (k = 0; k < h->n_sattrs; k++) {
			if (!a->v[k])
				continue;
			fprintf(f, "%s\"%u\":\"0x%" PRIx64 "\"",
				kfirst ? "" : ",", k, (uint64_t)a->v[k]);
			kfirst = false;
		}
		fputs("}}", f);
		first = false;
	}
}

static void dump_json(const __u8 *img, size_t len, FILE *f)
{
	const struct abac_image_hdr *h = (const void *)img;
	__u32 i;

	fputs("{\"name\":", f);
	put_json(f, abac_image_str(img, len, h->name_str));
	fprintf(f, ",\"abi_version\":%u,\"records\":%u,\"bytes\":%zu",
		h->abi_version, h->total_records, len);
	fprintf(f, ",\"generation\":%u,\"content_hash\":\"%016" PRIx64 "\"",
		h->generation, (uint64_t)h->content_hash);
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
	fprintf(f, ",\"tag_levels\":%u,\"subjects\":[", h->tag_levels);
	dump_subjects_json(img, h, f);
	fputs("],\"rules\":[", f);
	for (i = 0; i < h->nrules; i++)
		dump_rule_json(img, len, h, i, f);
	fputs("]}\n", f);
}

/**
 * abac_image_dump() - decode an image for people or for scripts.
 * @img: the image.
 * @len: its length in bytes.
 * @f: where to write.
 * @json: one JSON object (and a newline) instead of text.
 *
 * The image goes through abac_image_check() first; an image that fails
 * is not decoded, the reason is printed instead ({"error": ...} in JSON).
 * Attribute names are not in the image, so conditions read
 * "subject[2] in 0x5": attribute 2 of the subject holds value 0 or 2.
 */
void abac_image_dump(const void *img, size_t len, FILE *f, bool json)
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
	} else if (json) {
		dump_json(img, len, f);
	} else {
		dump_text(img, len, f);
	}
	abac_diags_free(&d);
}
