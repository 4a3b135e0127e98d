/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * abac image validator: the checks an untrusted compiled image must pass
 * before anything decides with it, shared by user space (tools/lib/image.c,
 * for every image read from a file, the network or the kernel) and by the
 * native LSM (lsm/policy.c, for every image written to securityfs).
 *
 * Nothing here trusts a field of an image: every offset and count is
 * checked against the image's length before it is used, with 64-bit
 * arithmetic so that no sum can wrap.
 *
 * Includers provide, before including this header: the fixed-width types
 * and abac_abi.h, bool, size_t, snprintf(), memchr(), strlen(),
 * ARRAY_SIZE() and the errno constants (<linux/kernel.h>,
 * <linux/string.h>, <linux/errno.h> in the kernel; the C library and a
 * definition of ARRAY_SIZE() in user space).
 */
#ifndef _ABAC_IMAGE_CHECK_H
#define _ABAC_IMAGE_CHECK_H

#define ABAC_CHECK_GEN_OFF	12	/* offsetof(struct abac_image_hdr, generation) */
#define ABAC_CHECK_HASH_OFF	72	/* offsetof(struct abac_image_hdr, content_hash) */
#define ABAC_CHECK_SLOT_OFF	160	/* offsetof(struct abac_image_hdr, bpf_slot) */

ABAC_ABI_ASSERT(__builtin_offsetof(struct abac_image_hdr, generation) ==
		ABAC_CHECK_GEN_OFF);
ABAC_ABI_ASSERT(__builtin_offsetof(struct abac_image_hdr, content_hash) ==
		ABAC_CHECK_HASH_OFF);
ABAC_ABI_ASSERT(__builtin_offsetof(struct abac_image_hdr, bpf_slot) ==
		ABAC_CHECK_SLOT_OFF);

/**
 * abac_image_content_hash() - the content hash of an image.
 * @img: the image.
 * @len: its length in bytes.
 *
 * FNV-1a 64 over all @len bytes, with the generation, the BPF slot and the
 * content hash fields, and every chunk stamp (abac_rec_is_stamp()), read
 * as 0: stamping any of them does not change the hash.  The header's
 * condition table bounds only choose which records are stamps; nothing
 * else of the image is trusted here.
 *
 * Return: the hash.
 */
static inline __u64 abac_image_content_hash(const void *img, size_t len)
{
	const struct abac_image_hdr *hdr = img;
	const __u8 *b = img;
	__u64 h = ABAC_FNV_OFFSET;
	size_t i;

	for (i = 0; b && i < len; i++) {
		__u8 c = b[i];

		if (i < ABAC_HDR_RECORDS * ABAC_REC_SIZE) {
			if ((i >= ABAC_CHECK_GEN_OFF &&
			     i < ABAC_CHECK_GEN_OFF + 4) ||
			    (i >= ABAC_CHECK_HASH_OFF &&
			     i < ABAC_CHECK_HASH_OFF + 8) ||
			    (i >= ABAC_CHECK_SLOT_OFF &&
			     i < ABAC_CHECK_SLOT_OFF + 4))
				c = 0;
		} else if ((i & (ABAC_CHUNK_BYTES - 1)) < ABAC_REC_SIZE &&
			   len >= sizeof(*hdr) &&
			   abac_rec_is_stamp(hdr, i / ABAC_REC_SIZE)) {
			c = 0;
		}
		h = abac_hash_byte(h, c);
	}
	return h;
}

/**
 * struct abac_check_msg - where a validator writes why it refused.
 * @buf: the message buffer, or NULL for none.
 * @size: bytes at @buf.
 */
struct abac_check_msg {
	char *buf;
	size_t size;
};

#define abac_check_bad(m, err, ...)					\
	({								\
		if ((m)->buf && (m)->size)				\
			snprintf((m)->buf, (m)->size, __VA_ARGS__);	\
		(err);							\
	})

static inline bool abac_check_pow2_or_0(__u32 v)
{
	return !(v & (v - 1));
}

static inline bool abac_check_all_zero(const void *p, size_t n)
{
	const __u8 *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

static inline __u32 abac_check_str_records(const struct abac_image_hdr *h)
{
	return (__u32)(((__u64)h->str_len + ABAC_REC_SIZE - 1) /
		       ABAC_REC_SIZE);
}

/* Size, magic, version, record count, then the hash. */
static inline int abac_check_frame(const __u8 *img, size_t len, struct abac_check_msg *m)
{
	const struct abac_image_hdr *h = (const void *)img;
	__u64 hash;

	if (len > ABAC_IMAGE_BYTES)
		return abac_check_bad(m, -E2BIG, "image of %zu bytes exceeds the limit of %u", len,
				      ABAC_IMAGE_BYTES);
	if (!img || len < sizeof(*h))
		return abac_check_bad(m, -EINVAL,
				      "image is truncated: %zu bytes, less than its %zu-byte header",
				      img ? len : 0, sizeof(*h));
	if (h->magic != ABAC_MAGIC)
		return abac_check_bad(m, -EPROTO, "not an abac image: bad magic 0x%08x", h->magic);
	if (h->abi_version != ABAC_ABI_VERSION)
		return abac_check_bad(m, -EPROTO,
				      "image ABI version %u, this build reads version %u",
				      h->abi_version, ABAC_ABI_VERSION);
	if (h->hdr_records != ABAC_HDR_RECORDS)
		return abac_check_bad(m, -EINVAL, "header of %u records, expected %u",
				      h->hdr_records, ABAC_HDR_RECORDS);
	if (h->total_records > ABAC_IMAGE_RECORDS)
		return abac_check_bad(m, -E2BIG, "image of %u records exceeds the limit of %u",
				      h->total_records, ABAC_IMAGE_RECORDS);
	if ((__u64)h->total_records * ABAC_REC_SIZE != len)
		return abac_check_bad(m, -EINVAL,
				      "image is truncated or padded: the header says %u records, the image has %zu bytes",
				      h->total_records, len);
	hash = abac_image_content_hash(img, len);
	if (hash != h->content_hash)
		return abac_check_bad(m, -EBADMSG,
				      "content hash mismatch: the header says %016llx, the content hashes to %016llx",
				      (unsigned long long)h->content_hash,
				      (unsigned long long)hash);
	return 0;
}

/* Mode, combining, default, reserved fields, attribute counts. */
static inline int abac_check_settings(const struct abac_image_hdr *h, struct abac_check_msg *m)
{
	if (h->mode > ABAC_MODE_AUDIT)
		return abac_check_bad(m, -EINVAL, "unknown mode %u", h->mode);
	unsigned int i;

	if (h->combining >= ABAC_COMBINE_COUNT)
		return abac_check_bad(m, -EINVAL, "unknown combining algorithm %u", h->combining);
	if (!h->nlayers || h->nlayers > ABAC_MAX_LAYERS)
		return abac_check_bad(m, -EINVAL, "%u layers (1 to %d)", h->nlayers,
				      ABAC_MAX_LAYERS);
	for (i = 0; i < ABAC_MAX_LAYERS; i++)
		if (i < h->nlayers ? h->layer_combining[i] >= ABAC_COMBINE_COUNT :
				     h->layer_combining[i] != 0)
			return abac_check_bad(m, -EINVAL, "layer %u: bad combining algorithm %u", i,
					      h->layer_combining[i]);
	if (h->n_eattrs > ABAC_MAX_ATTRS)
		return abac_check_bad(m, -EINVAL, "%u environment attributes (at most %d)",
				      h->n_eattrs, ABAC_MAX_ATTRS);
	if (h->nnets > ABAC_MAX_NETS)
		return abac_check_bad(m, -EINVAL, "%u network entries (at most %d)", h->nnets,
				      ABAC_MAX_NETS);
	if (h->default_effect > ABAC_ALLOW)
		return abac_check_bad(m, -EINVAL, "unknown default effect %u", h->default_effect);
	if ((h->flags & ~ABAC_HDR_F_ENV) || h->pad ||
	    !abac_check_all_zero(h->pad2, sizeof(h->pad2)) || h->bpf_slot > 1 ||
	    !abac_check_all_zero(h->chunks_rsv, sizeof(h->chunks_rsv)) ||
	    !abac_check_all_zero(h->rsv_enum, sizeof(h->rsv_enum)))
		return abac_check_bad(m, -EINVAL, "reserved header fields are not 0");
	if (h->nenum > ABAC_MAX_ENUM_PAIRS ||
	    (!h->nenum && h->enum_first) ||
	    (__u64)h->enum_first + 2 * (__u64)h->nenum > h->nmembers)
		return abac_check_bad(m, -EINVAL,
				      "label table of %u pairs from member %u exceeds the member table or ABAC_MAX_ENUM_PAIRS (%u)",
				      h->nenum, h->enum_first, ABAC_MAX_ENUM_PAIRS);
	if (h->n_sattrs > ABAC_MAX_ATTRS || h->n_oattrs > ABAC_MAX_ATTRS)
		return abac_check_bad(m, -EINVAL,
				      "%u subject and %u object attributes (at most %d each)",
				      h->n_sattrs, h->n_oattrs, ABAC_MAX_ATTRS);
	if (h->nrules > ABAC_MAX_RULES)
		return abac_check_bad(m, -EINVAL, "%u rules (at most %d)", h->nrules,
				      ABAC_MAX_RULES);
	if (h->ncls > ABAC_MAX_SUBJECTS ||
	    (__u64)h->ncls * ABAC_CLS_RECORDS + ((__u64)h->nclist + 3) / 4 +
	    ((__u64)h->nbkt + 1) / 2 > ABAC_INDEX_RECORDS ||
	    !abac_check_all_zero(h->rsv_index, sizeof(h->rsv_index)))
		return abac_check_bad(m, -EINVAL,
				      "rule index of %u classes, %u list entries and %u buckets exceeds %d records, or reserved fields are not 0",
				      h->ncls, h->nclist, h->nbkt, ABAC_INDEX_RECORDS);
	if (h->nbind > ABAC_MAX_BINDINGS || h->bind_rsv ||
	    (!h->nbind && h->bind_levels) ||
	    (h->nbind && (!h->bind_levels || (h->bind_levels & 1))))
		return abac_check_bad(m, -EINVAL,
				      "binding table of %u bindings (at most %d, ABAC_MAX_BINDINGS) at levels %#x is malformed",
				      h->nbind, ABAC_MAX_BINDINGS, h->bind_levels);
	if (!abac_check_pow2_or_0(h->dict_size) || !abac_check_pow2_or_0(h->subj_size))
		return abac_check_bad(m, -EINVAL, "table sizes %u and %u are not powers of two",
				      h->dict_size, h->subj_size);
	return 0;
}

/*
 * Every table inside the image, in order and without overlap: header,
 * rules, dictionary, subjects, defaults, operation index and list,
 * networks, attributes, hash key, member table, then the conditions and
 * the strings last (the tables BPF reads in chunk 0 first:
 * abac_image_bpf_fits()).
 */
static inline int abac_check_tables(const struct abac_image_hdr *h, struct abac_check_msg *m)
{
	const struct {
		const char *name;
		__u64 off, count;
	} t[] = {
		{ "rules", h->rules_off, h->nrules },
		{ "label dictionary", h->dict_off, h->dict_size },
		{ "subject table", h->subj_off,
		  (__u64)h->subj_size * ABAC_SUBJ_RECORDS },
		{ "defaults", h->defaults_off,
		  ABAC_SIDE_COUNT * ABAC_ATTRS_RECORDS },
		{ "operation index", h->opidx_off, ABAC_OPIDX_RECORDS },
		{ "operation rule list", h->oplist_off,
		  ((__u64)h->noplist + 3) / 4 },
		{ "class table", h->cls_off,
		  (__u64)h->ncls * ABAC_CLS_RECORDS },
		{ "class rule list", h->clist_off,
		  ((__u64)h->nclist + 3) / 4 },
		{ "bucket table", h->bkt_off, ((__u64)h->nbkt + 1) / 2 },
		{ "network table", h->nets_off,
		  (__u64)h->nnets * ABAC_NET_RECORDS },
		{ "attribute table", h->meta_off,
		  (__u64)h->n_sattrs + h->n_oattrs + h->n_eattrs },
		{ "hash key", h->key_off, 1 },
		{ "member table", h->members_off,
		  ((__u64)h->nmembers + 1) / 2 },
		/*
		 * An image without bindings leaves bind_off 0 (format 4's):
		 * then an empty table just after the member table.
		 */
		{ "binding table", h->nbind ? h->bind_off :
			h->members_off + ((__u64)h->nmembers + 1) / 2,
		  (__u64)h->nbind * ABAC_BIND_RECORDS },
		{ "conditions", h->conds_off, h->nconds },
		{ "string table", h->str_off, abac_check_str_records(h) },
	};
	__u64 end = ABAC_HDR_RECORDS;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		if (t[i].off < end || t[i].off + t[i].count > h->total_records)
			return abac_check_bad(m, -EINVAL,
					      "%s [%llu, +%llu) is outside the image or overlaps another table",
					      t[i].name, (unsigned long long)t[i].off,
					      (unsigned long long)t[i].count);
		end = t[i].off + t[i].count;
	}
	/* BPF reads the member table in the image's first map value */
	if ((__u64)h->members_off + ((__u64)h->nmembers + 1) / 2 >
	    ABAC_MEMBERS_END)
		return abac_check_bad(m, -EINVAL, "member table ends past record %u",
				      ABAC_MEMBERS_END);
	return 0;
}

/**
 * abac_image_bpf_fits() - can the BPF programs decide with this image?
 * @h: the header of an image abac_image_validate() accepted.
 * @msg: receives why not (may be NULL).
 * @msg_size: bytes at @msg.
 *
 * BPF reads an image by chunks of ABAC_CHUNK_RECORDS records, and past
 * the first chunk only condition records: every table before the
 * conditions must end inside chunk 0.  Its per-rule decision counters
 * hold ABAC_MAX_KERNEL_RULES rules.  User space and the native LSM read
 * the image flat and have neither limit.
 *
 * Return: 0, or -E2BIG with @msg naming the limit.
 */
static inline int abac_image_bpf_fits(const struct abac_image_hdr *h, char *msg, size_t msg_size)
{
	struct abac_check_msg mm = { msg, msg_size };

	if (h->nrules > ABAC_MAX_KERNEL_RULES)
		return abac_check_bad(&mm, -E2BIG,
				      "%u rules: the BPF backend loads at most %u (ABAC_MAX_KERNEL_RULES)",
				      h->nrules, ABAC_MAX_KERNEL_RULES);
	if (h->conds_off > ABAC_CHUNK_RECORDS)
		return abac_check_bad(&mm, -E2BIG,
				      "the tables before the conditions take %u records: the BPF backend reads them from one map value of %u records (ABAC_CHUNK_RECORDS)",
				      h->conds_off, ABAC_CHUNK_RECORDS);
	return 0;
}

/* The NUL-terminated string at @off of the string table, or NULL. */
static inline const char *abac_check_table_str(const __u8 *img, const struct abac_image_hdr *h,
					       __u64 off)
{
	const char *s = (const char *)img + (size_t)h->str_off * ABAC_REC_SIZE;

	if (off >= h->str_len || !memchr(s + off, '\0', h->str_len - off))
		return NULL;
	return s + off;
}

static inline int abac_check_strings(const __u8 *img, const struct abac_image_hdr *h,
				     struct abac_check_msg *m)
{
	const char *s = (const char *)img + (size_t)h->str_off * ABAC_REC_SIZE;

	if (!h->str_len || s[h->str_len - 1])
		return abac_check_bad(m, -EINVAL, "the string table is not NUL-terminated");
	if (!abac_check_table_str(img, h, h->name_str) || !abac_check_table_str(img, h, h->tz_str))
		return abac_check_bad(m, -EINVAL,
				      "policy name or timezone offset is outside the string table");
	return 0;
}

static inline const struct abac_rule *abac_check_rule_at(const __u8 *img,
							 const struct abac_image_hdr *h, __u32 i)
{
	return (const void *)(img + ((size_t)h->rules_off + i) *
			      ABAC_REC_SIZE);
}

static inline int abac_check_rule(const __u8 *img, const struct abac_image_hdr *h, __u32 i,
				  struct abac_check_msg *m)
{
	const struct abac_rule *r = abac_check_rule_at(img, h, i);
	const char *id;

	if (r->effect > ABAC_ALLOW || r->pad || (r->ops >> ABAC_OP_COUNT))
		return abac_check_bad(m, -EINVAL, "rule %u: bad effect, ops or padding", i);
	if (r->layer >= h->nlayers || (i && r->layer < abac_check_rule_at(img, h, i - 1)->layer))
		return abac_check_bad(m, -EINVAL, "rule %u: layer %u out of range or order", i,
				      r->layer);
	if (r->ncond > ABAC_MAX_CONDS)
		return abac_check_bad(m, -EINVAL, "rule %u: %u conditions (at most %d)", i,
				      r->ncond, ABAC_MAX_CONDS);
	if (r->cond < h->conds_off ||
	    (__u64)r->cond + r->ncond > (__u64)h->conds_off + h->nconds)
		return abac_check_bad(m, -EINVAL,
				      "rule %u: conditions [%u, +%u) are outside the conditions table",
				      i, r->cond, r->ncond);
	/* in one chunk, and not its stamp */
	if (r->ncond && (abac_rec_is_stamp(h, r->cond) ||
			 r->cond / ABAC_CHUNK_RECORDS !=
			 (r->cond + r->ncond - 1) / ABAC_CHUNK_RECORDS))
		return abac_check_bad(m, -EINVAL,
				      "rule %u: conditions [%u, +%u) cross a chunk boundary", i,
				      r->cond, r->ncond);
	id = abac_check_table_str(img, h, r->str);
	if (!id || !abac_check_table_str(img, h, (__u64)r->str + strlen(id) + 1))
		return abac_check_bad(m, -EINVAL,
				      "rule %u: string offset %u is outside the string table", i,
				      r->str);
	return 0;
}

static inline unsigned int abac_check_side_attrs(const struct abac_image_hdr *h, unsigned int side)
{
	return side == ABAC_SIDE_SUBJECT ? h->n_sattrs :
	       side == ABAC_SIDE_OBJECT ? h->n_oattrs :
	       side == ABAC_SIDE_ENV ? h->n_eattrs : 0;
}

static inline int abac_check_cond(const struct abac_cond *c, __u32 i,
				  const struct abac_image_hdr *h, struct abac_check_msg *m)
{
	bool rel = abac_cond_is_relation(c->kind);
	bool clock = c->kind == ABAC_COND_TIME || c->kind == ABAC_COND_DAYS;

	if (c->kind >= ABAC_COND_KIND_COUNT)
		return abac_check_bad(m, -EINVAL, "condition %u: unknown kind %u", i, c->kind);
	if (clock ? c->side != ABAC_SIDE_ENV || c->attr :
		    c->attr >= abac_check_side_attrs(h, c->side))
		return abac_check_bad(m, -EINVAL, "condition %u: no attribute %u on side %u", i,
				      c->attr, c->side);
	if (rel ? c->rhs >= abac_check_side_attrs(h, c->rhs_side) || c->mask :
		  c->rhs != 0 || c->rhs_side != 0)
		return abac_check_bad(m, -EINVAL,
				      "condition %u: bad right-hand attribute %u on side %u", i,
				      c->rhs, c->rhs_side);
	if (c->kind == ABAC_COND_TIME &&
	    ((c->mask & 0xffff) > ABAC_MINUTES_PER_DAY ||
	     (c->mask >> 16) > ABAC_MINUTES_PER_DAY))
		return abac_check_bad(m, -EINVAL, "condition %u: bad time window", i);
	if (!abac_check_all_zero(c->pad, sizeof(c->pad)))
		return abac_check_bad(m, -EINVAL, "condition %u: padding is not 0", i);
	return 0;
}

/* A chunk stamp names this image and its chunk. */
static inline int abac_check_stamp(const struct abac_chunk_stamp *st,
				   const struct abac_image_hdr *h, struct abac_check_msg *m)
{
	__u64 rec = (__u64)((const __u8 *)st - (const __u8 *)h) /
		    ABAC_REC_SIZE;

	if (st->content_hash != h->content_hash || st->magic != ABAC_CHUNK_MAGIC ||
	    st->chunk != rec / ABAC_CHUNK_RECORDS)
		return abac_check_bad(m, -EINVAL, "chunk %llu: its stamp does not name this image",
				      (unsigned long long)(rec / ABAC_CHUNK_RECORDS));
	return 0;
}

/* Each operation's span inside the list, naming its rules in order. */
static inline int abac_check_oplist(const __u8 *img, const struct abac_image_hdr *h,
				    struct abac_check_msg *m)
{
	const struct abac_op_span *span = (const void *)(img +
		(size_t)h->opidx_off * ABAC_REC_SIZE);
	const __u32 *list = (const void *)(img +
		(size_t)h->oplist_off * ABAC_REC_SIZE);
	unsigned int op;
	__u32 k, idx, prev, naming;

	for (op = 0; op < ABAC_OP_COUNT; op++) {
		if ((__u64)span[op].first + span[op].count > h->noplist)
			return abac_check_bad(m, -EINVAL,
					      "operation %u: rule list outside the table", op);
		/*
		 * All of them: the kernel reads only the list, so a rule left
		 * out would be shown by "abac policy show" and never applied.
		 */
		for (idx = 0, naming = 0; idx < h->nrules; idx++)
			naming += !!(abac_check_rule_at(img, h, idx)->ops &
				     (1U << op));
		if (span[op].count != naming)
			return abac_check_bad(m, -EINVAL,
					      "operation %u: %u rule(s) name it, its rule list holds %u",
					      op, naming, span[op].count);
		for (k = 0, prev = 0; k < span[op].count; k++) {
			idx = list[span[op].first + k];
			if (idx >= h->nrules || (k && idx <= prev) ||
			    !(abac_check_rule_at(img, h, idx)->ops & (1U << op)))
				return abac_check_bad(m, -EINVAL,
						      "operation %u: rule list entry %u is wrong",
						      op, k);
			prev = idx;
		}
	}
	return 0;
}

/*
 * A slice of the class rule list: inside it, rules naming @op in rule
 * order, and each of them in the slice @outer (when not NULL) too, so that
 * a bucket only ever leaves rules of its list out.
 */
static inline bool abac_check_clist(const __u8 *img, const struct abac_image_hdr *h, __u32 op,
				    __u32 first, __u32 count, const struct abac_op_span *outer)
{
	const __u32 *list = (const void *)(img +
		(size_t)h->clist_off * ABAC_REC_SIZE);
	__u32 k, j = 0, idx;

	if ((__u64)first + count > h->nclist)
		return false;
	for (k = 0; k < count; k++) {
		idx = list[first + k];
		if (idx >= h->nrules || (k && idx <= list[first + k - 1]) ||
		    !(abac_check_rule_at(img, h, idx)->ops & (1U << op)))
			return false;
		if (!outer)
			continue;
		while (j < outer->count && list[outer->first + j] < idx)
			j++;
		if (j == outer->count || list[outer->first + j] != idx)
			return false;
	}
	return true;
}

/*
 * The rule index: every (class, operation) list and every bucket inside
 * the class rule list, naming rules of the operation in rule order, each
 * bucket a part of its list, split on an object attribute of the image.
 * That the rules left out are NotApplicable is the compiler's proof
 * (tools/lib/index.c); selftests/host/index_test.c checks it.
 */
static inline int abac_check_index(const __u8 *img, const struct abac_image_hdr *h,
				   struct abac_check_msg *m)
{
	const struct abac_cls_op *co;
	const struct abac_op_span *bkt = (const void *)(img +
		(size_t)h->bkt_off * ABAC_REC_SIZE);
	__u32 c, op, b;
	struct abac_op_span whole;

	for (c = 0; c < h->ncls; c++) {
		for (op = 0; op < ABAC_OP_COUNT; op++) {
			co = (const void *)(img + ((size_t)h->cls_off +
				(size_t)c * ABAC_CLS_RECORDS + op) *
				ABAC_REC_SIZE);
			if (co->pad || !abac_check_clist(img, h, op, co->first,
							 co->count, NULL))
				return abac_check_bad(m, -EINVAL,
						      "class %u operation %u: rule list is wrong",
						      c + 1, op);
			if (!co->nbkt)
				continue;
			if (co->battr >= h->n_oattrs ||
			    co->nbkt > ABAC_MAX_VALUES ||
			    (__u64)co->bkt + co->nbkt > h->nbkt)
				return abac_check_bad(m, -EINVAL,
						      "class %u operation %u: bad buckets", c + 1,
						      op);
			whole.first = co->first;
			whole.count = co->count;
			for (b = 0; b < co->nbkt; b++)
				if (!abac_check_clist(img, h, op,
						      bkt[co->bkt + b].first,
						      bkt[co->bkt + b].count,
						      &whole))
					return abac_check_bad(m, -EINVAL,
							      "class %u operation %u: bucket %u is wrong",
							      c + 1, op, b);
		}
	}
	return 0;
}

static inline const struct abac_attr_meta *abac_check_meta_at(const __u8 *img,
							      const struct abac_image_hdr *h,
							      __u32 i)
{
	return (const void *)(img + ((size_t)h->meta_off + i) * ABAC_REC_SIZE);
}

static inline bool abac_check_opt_str(const __u8 *img, const struct abac_image_hdr *h, __u32 off)
{
	return off == ABAC_STR_NONE || abac_check_table_str(img, h, off);
}

static inline int abac_check_meta(const __u8 *img, const struct abac_image_hdr *h,
				  struct abac_check_msg *m)
{
	const struct abac_attr_meta *a;
	__u32 i, n = h->n_sattrs + h->n_oattrs + h->n_eattrs, side;

	for (i = 0; i < n; i++) {
		a = abac_check_meta_at(img, h, i);
		side = i < h->n_sattrs ? ABAC_SIDE_SUBJECT :
		       i < (__u32)h->n_sattrs + h->n_oattrs ? ABAC_SIDE_OBJECT :
		       ABAC_SIDE_ENV;
		if (a->side != side || a->type >= ABAC_TYPE_COUNT || a->pad ||
		    (a->flags & ~(ABAC_META_OPEN | ABAC_META_ENUM)) ||
		    ((a->flags & ABAC_META_ENUM) &&
		     ((a->flags & ABAC_META_OPEN) ||
		      (a->type != ABAC_TYPE_STRING &&
		       a->type != ABAC_TYPE_LEVEL))) ||
		    ((a->flags & ABAC_META_OPEN) && a->type != ABAC_TYPE_STRING &&
		     (a->type != ABAC_TYPE_SET || side == ABAC_SIDE_ENV)) ||
		    !abac_check_table_str(img, h, a->name_str) ||
		    !abac_check_opt_str(img, h, a->authority_str) ||
		    !abac_check_opt_str(img, h, a->expires_str))
			return abac_check_bad(m, -EINVAL, "attribute record %u is malformed", i);
	}
	return 0;
}

static inline int abac_check_nets(const __u8 *img, const struct abac_image_hdr *h,
				  struct abac_check_msg *m)
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
		    !abac_check_table_str(img, h, n->name_str) ||
		    !abac_check_all_zero(&a->v[h->n_oattrs],
			      (ABAC_MAX_ATTRS - h->n_oattrs) * sizeof(a->v[0])))
			return abac_check_bad(m, -EINVAL, "network entry %u is malformed", i);
	}
	return 0;
}

/*
 * The label table of the large enumerations: its pair hashes ascending
 * and distinct, each entry naming a large object enumeration (@meta_enum,
 * by attribute record) and a word within ABAC_MAX_ENUM_VALUES.
 */
static inline int abac_check_enum_table(const __u8 *img, const struct abac_image_hdr *h,
					__u32 meta_enum, struct abac_check_msg *m)
{
	const __u64 *t = (const void *)(img + (size_t)h->members_off *
					ABAC_REC_SIZE);
	__u32 i, attr, word;
	__u64 e;

	for (i = 0; i < h->nenum; i++) {
		e = t[(size_t)h->enum_first + h->nenum + i];
		attr = ABAC_ENUM_ENT_ATTR(e);
		word = ABAC_ENUM_ENT_WORD(e);
		if (!t[h->enum_first + i] ||
		    (i && t[h->enum_first + i] <= t[h->enum_first + i - 1]) ||
		    e != ABAC_ENUM_ENT(attr, word) || attr >= h->n_oattrs ||
		    !(meta_enum >> attr & 1) || !word ||
		    word > ABAC_MAX_ENUM_VALUES)
			return abac_check_bad(m, -EINVAL, "label table entry %u is malformed", i);
	}
	return 0;
}

/*
 * Is attribute @attr of @side an open set (@set) or an open string (not
 * @set), by its attribute record?
 */
static inline bool abac_check_is_open(const __u8 *img, const struct abac_image_hdr *h,
				      unsigned int side, unsigned int attr, bool set)
{
	const struct abac_attr_meta *a;
	__u32 base = side == ABAC_SIDE_SUBJECT ? 0 :
		     side == ABAC_SIDE_OBJECT ? h->n_sattrs :
		     (__u32)h->n_sattrs + h->n_oattrs;

	if (attr >= abac_check_side_attrs(h, side))
		return false;
	a = abac_check_meta_at(img, h, base + attr);
	return (a->flags & ABAC_META_OPEN) &&
	       a->type == (set ? ABAC_TYPE_SET : ABAC_TYPE_STRING);
}

/*
 * Every slot well formed, and each object attribute either open (one
 * ABAC_DICT_OPEN entry, its attribute record saying so) or closed (value
 * entries only): a word is never read both as a mask and as a hash.
 */
static inline int abac_check_dict(const __u8 *img, const struct abac_image_hdr *h,
				  struct abac_check_msg *m)
{
	const struct abac_dict_ent *e;
	__u32 i, open = 0, closed = 0, meta_open = 0, meta_enum = 0, fl;

	for (i = 0; i < h->n_oattrs; i++) {
		fl = abac_check_meta_at(img, h, h->n_sattrs + i)->flags;
		if (fl & ABAC_META_OPEN)
			meta_open |= 1U << i;
		if (fl & ABAC_META_ENUM)
			meta_enum |= 1U << i;
	}
	for (i = 0; i < h->dict_size; i++) {
		e = (const void *)(img + ((size_t)h->dict_off + i) *
				   ABAC_REC_SIZE);
		if (!e->hash)
			continue;
		if (e->attr >= h->n_oattrs || e->bit >= ABAC_MAX_VALUES ||
		    (e->flags & ~(ABAC_DICT_SINGLE | ABAC_DICT_OPEN |
				  ABAC_DICT_SET)) ||
		    ((e->flags & ABAC_DICT_SET) &&
		     (!(e->flags & ABAC_DICT_OPEN) ||
		      !abac_check_is_open(img, h, ABAC_SIDE_OBJECT, e->attr,
					  true))) ||
		    ((e->flags & ABAC_DICT_OPEN) &&
		     (e->bit || !(e->flags & ABAC_DICT_SINGLE) ==
				!(e->flags & ABAC_DICT_SET) ||
		      (open >> e->attr & 1))) ||
		    !abac_check_all_zero(e->pad, sizeof(e->pad)))
			return abac_check_bad(m, -EINVAL, "label dictionary slot %u is malformed",
					      i);
		if (e->flags & ABAC_DICT_OPEN)
			open |= 1U << e->attr;
		else
			closed |= 1U << e->attr;
	}
	if ((open & closed) || (open & ~meta_open) || (closed & meta_open) ||
	    ((open | closed) & meta_enum))
		return abac_check_bad(m, -EINVAL,
				      "label dictionary: an object attribute is both open and closed, or unlike its attribute record");
	return abac_check_enum_table(img, h, meta_enum, m);
}

/*
 * Is subject slot @key, with tags @a, well formed: grants, class and
 * tags within what the image declares?
 */
static inline int abac_check_slot_ok(const struct abac_image_hdr *h,
				     const struct abac_subj_key *key, const struct abac_attrs *a)
{
	return !(key->caps & ~ABAC_CAPS_GRANTABLE) && key->cls <= h->ncls &&
	       abac_check_all_zero(&a->v[h->n_sattrs],
				   (ABAC_MAX_ATTRS - h->n_sattrs) *
				   sizeof(a->v[0]));
}

/*
 * Every binding: a parent, a pattern of at most ABAC_BIND_NAME_MAX bytes
 * with 0 after it, a template slot keyed ABAC_SUBJ_BOUND at a level
 * bind_levels names.
 */
static inline int abac_check_binds(const __u8 *img, const struct abac_image_hdr *h,
				   struct abac_check_msg *m)
{
	const struct abac_subj_key *key;
	const struct abac_bind *b;
	const __u8 *pat;
	__u32 i, len;
	size_t off;

	for (i = 0; i < h->nbind; i++) {
		off = ((size_t)h->bind_off + (size_t)i * ABAC_BIND_RECORDS) *
		      ABAC_REC_SIZE;
		b = (const void *)(img + off);
		key = (const void *)(img + off + ABAC_REC_SIZE);
		pat = img + off + (1 + ABAC_SUBJ_RECORDS) * ABAC_REC_SIZE;
		len = (__u32)b->pre_len + b->suf_len;
		if (!b->parent_id || b->glob > 1 ||
		    !abac_check_all_zero(b->pad, sizeof(b->pad)) ||
		    len > ABAC_BIND_NAME_MAX || (!b->glob && b->suf_len) ||
		    !abac_check_all_zero(pat + len,
					 ABAC_BIND_NAME_RECORDS * ABAC_REC_SIZE -
					 len) ||
		    key->cgroup_id != ABAC_SUBJ_BOUND ||
		    !(h->bind_levels & (1U << (key->level & 31))) ||
		    !abac_check_slot_ok(h, key, (const void *)(key + 1)))
			return abac_check_bad(m, -EINVAL, "binding %u is malformed", i);
	}
	return 0;
}

static inline int abac_check_subjects(const __u8 *img, const struct abac_image_hdr *h,
				      struct abac_check_msg *m)
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
		if (key->cgroup_id == ABAC_SUBJ_BOUND ||
		    !abac_check_slot_ok(h, key, a))
			return abac_check_bad(m, -EINVAL, "subject slot %u is malformed", i);
	}
	return 0;
}

/* Is attribute @attr of @side a large enumeration (ABAC_META_ENUM)? */
static inline bool abac_check_is_enum(const __u8 *img, const struct abac_image_hdr *h,
				      unsigned int side, unsigned int attr)
{
	__u32 base = side == ABAC_SIDE_SUBJECT ? 0 :
		     side == ABAC_SIDE_OBJECT ? h->n_sattrs :
		     (__u32)h->n_sattrs + h->n_oattrs;

	if (attr >= abac_check_side_attrs(h, side))
		return false;
	return abac_check_meta_at(img, h, base + attr)->flags &
	       ABAC_META_ENUM;
}

/* A set handle inside the member table, its run sorted and distinct. */
static inline bool abac_check_set_word(const __u8 *img, const struct abac_image_hdr *h, __u64 w)
{
	const __u64 *t = (const void *)(img + (size_t)h->members_off *
					ABAC_REC_SIZE);
	__u32 first = ABAC_SET_FIRST(w), n = ABAC_SET_COUNT(w), i;

	if (!(w & ABAC_SET_BIT) || (w & ABAC_SET_OBJ) ||
	    n > ABAC_SET_MEMBERS || (__u64)first + n > h->nmembers)
		return false;
	for (i = 0; i < n; i++)
		if (!t[first + i] || (i && t[first + i] <= t[first + i - 1]))
			return false;
	return true;
}

/*
 * Conditions on open sets name open sets (and an open string on the left
 * of "in"), their constant sets well formed; every subject's open sets
 * are well formed handles.
 */
static inline int abac_check_sets(const __u8 *img, const struct abac_image_hdr *h,
				  struct abac_check_msg *m)
{
	const struct abac_cond *c;
	const struct abac_subj_key *key;
	const struct abac_attrs *a;
	__u32 i, k;
	bool ok;

	for (i = 0; i < h->nconds; i++) {
		c = (const void *)(img + ((size_t)h->conds_off + i) *
				   ABAC_REC_SIZE);
		if (c->kind < ABAC_COND_SET_ANY ||
		    c->kind > ABAC_COND_REL_INTERSECTS)
			continue;
		ok = abac_check_is_open(img, h, c->side, c->attr,
					c->kind != ABAC_COND_REL_IN);
		if (abac_cond_takes_set(c->kind))
			ok = ok && abac_check_set_word(img, h, c->mask);
		else
			ok = ok && abac_check_is_open(img, h, c->rhs_side,
						      c->rhs, true);
		if (!ok)
			return abac_check_bad(m, -EINVAL,
					      "condition %u: an open-set condition on attributes that are not open sets, or a bad set",
					      i);
	}
	for (i = 0; i < h->nconds; i++) {
		c = (const void *)(img + ((size_t)h->conds_off + i) *
				   ABAC_REC_SIZE);
		if (c->kind != ABAC_COND_IN && c->kind != ABAC_COND_NOT_IN)
			continue;
		if ((!abac_check_is_open(img, h, c->side, c->attr, false) &&
		     !abac_check_is_enum(img, h, c->side, c->attr)) ||
		    !abac_check_set_word(img, h, c->mask))
			return abac_check_bad(m, -EINVAL,
					      "condition %u: a list condition on an attribute that is neither an open string nor a large enumeration, or a bad list",
					      i);
	}
	a = (const void *)(img + (size_t)h->defaults_off * ABAC_REC_SIZE);
	for (k = 0; k < h->n_sattrs; k++)
		if (a->v[k] &&
		    abac_check_is_open(img, h, ABAC_SIDE_SUBJECT, k, true))
			return abac_check_bad(m, -EINVAL, "open set %u has a default", k);
	a = (const void *)(img + ((size_t)h->defaults_off +
				  ABAC_ATTRS_RECORDS) * ABAC_REC_SIZE);
	for (k = 0; k < h->n_oattrs; k++)
		if (a->v[k] &&
		    abac_check_is_open(img, h, ABAC_SIDE_OBJECT, k, true))
			return abac_check_bad(m, -EINVAL, "object open set %u has a default", k);
	for (i = 0; i < h->subj_size; i++) {
		key = (const void *)(img + ((size_t)h->subj_off +
					    (size_t)i * ABAC_SUBJ_RECORDS) *
				     ABAC_REC_SIZE);
		a = (const void *)(key + 1);
		if (!key->cgroup_id)
			continue;
		for (k = 0; k < h->n_sattrs; k++)
			if (a->v[k] &&
			    abac_check_is_open(img, h, ABAC_SIDE_SUBJECT, k,
					       true) &&
			    !abac_check_set_word(img, h, a->v[k]))
				return abac_check_bad(m, -EINVAL,
						      "subject slot %u: open set %u is not a sorted run of the member table",
						      i, k);
	}
	for (i = 0; i < h->nbind; i++) {
		key = (const void *)(img + ((size_t)h->bind_off +
					    (size_t)i * ABAC_BIND_RECORDS + 1) *
				     ABAC_REC_SIZE);
		a = (const void *)(key + 1);
		for (k = 0; k < h->n_sattrs; k++)
			if (a->v[k] &&
			    abac_check_is_open(img, h, ABAC_SIDE_SUBJECT, k,
					       true) &&
			    !abac_check_set_word(img, h, a->v[k]))
				return abac_check_bad(m, -EINVAL,
						      "binding %u: open set %u is not a sorted run of the member table",
						      i, k);
	}
	return 0;
}

/**
 * abac_image_validate() - every check of an untrusted image.
 * @img: the image.
 * @len: its length in bytes.
 * @msg: receives why the image was refused (may be NULL).
 * @msg_size: bytes at @msg.
 *
 * Checks the size, magic, ABI version, record count and content hash,
 * then every setting, every table's place, every rule's conditions and
 * strings, every condition (and that the header's environment flag
 * matches them), the operation rule lists, the rule index, network
 * objects, attribute metadata, dictionary entries, subject slots and open
 * sets (each a sorted run of the member table).  An image that passes
 * can be read by the decision core with no out-of-bounds record and every
 * string it names NUL-terminated inside it.
 *
 * Return: 0; -E2BIG for an image over the limit; -EPROTO for a bad magic
 * or ABI version; -EBADMSG for a content hash mismatch; -EINVAL for any
 * other bad field.
 */
static inline int abac_image_validate(const void *img, size_t len, char *msg, size_t msg_size)
{
	struct abac_check_msg mm = { msg, msg_size }, *m = &mm;
	const struct abac_image_hdr *h = img;
	const __u8 *b = img;
	__u32 i, env = 0;
	int err;

	if (msg && msg_size)
		msg[0] = '\0';

	err = abac_check_frame(b, len, m);
	if (!err)
		err = abac_check_settings(h, m);
	if (!err)
		err = abac_check_tables(h, m);
	if (!err)
		err = abac_check_strings(b, h, m);
	for (i = 0; !err && i < h->nrules; i++)
		err = abac_check_rule(b, h, i, m);
	for (i = 0; !err && i < h->nconds; i++) {
		const struct abac_cond *c = (const void *)(b +
			((size_t)h->conds_off + i) * ABAC_REC_SIZE);

		if (abac_rec_is_stamp(h, (__u64)h->conds_off + i)) {
			err = abac_check_stamp((const void *)c, h, m);
			continue;
		}
		/* an all-zero record is the padding before a stamp */
		if (abac_check_all_zero(c, sizeof(*c)))
			continue;
		err = abac_check_cond(c, i, h, m);
		if (abac_cond_reads_env(c->side, c->kind, c->rhs_side))
			env = ABAC_HDR_F_ENV;
	}
	if (!err && (h->flags & ABAC_HDR_F_ENV) != env)
		err = abac_check_bad(m, -EINVAL, "header flag 'env' does not match the conditions");
	if (!err)
		err = abac_check_dict(b, h, m);
	if (!err)
		err = abac_check_subjects(b, h, m);
	if (!err)
		err = abac_check_binds(b, h, m);
	if (!err)
		err = abac_check_oplist(b, h, m);
	if (!err)
		err = abac_check_index(b, h, m);
	if (!err)
		err = abac_check_nets(b, h, m);
	if (!err)
		err = abac_check_meta(b, h, m);
	if (!err)
		err = abac_check_sets(b, h, m);
	return err;
}

#endif /* _ABAC_IMAGE_CHECK_H */
