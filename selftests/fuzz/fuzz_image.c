// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for what reads a compiled image: the loader
 * abac_image_check(), the decoders behind "abac policy show"
 * (abac_image_dump(), abac_image_str(), abac_image_rule_text()) and the
 * decision core lsm/abac_decide.h (abac_subject_find(),
 * abac_label_parse(), abac_decide()) with arbitrary attributes.
 *
 * The input is an image followed by a tail:
 *
 *	image	header.total_records * 16 bytes when the input holds that
 *		many, else the whole input (and no tail);
 *	tail	flags (bit 0: keep the image's content hash as it is,
 *		else the harness sets it, so that mutations get past the
 *		hash to the checks behind it), operation, cgroup id (8
 *		bytes, little endian), then the label bytes.
 *
 * The image is copied to a buffer of exactly its length so that the
 * address sanitizer sees any read past it.  Properties, besides the
 * sanitizers':
 *  - the loader fails with exactly one error, or succeeds with none;
 *  - the decision core never reads outside the image, checked or not;
 *  - on an image the loader accepted, abac_decide() never reports a bad
 *    image and agrees with a plain reading of the records, and a label
 *    sets only declared object attributes;
 *  - abac_label_hash() agrees with a plain split of the label grammar.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libabac.h"
#include "fuzz_common.h"

#define TAIL_KEEP_HASH	0x1
#define LABEL_ROOM	(ABAC_LABEL_MAX + 64)	/* longer labels too */

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	devnull = fuzz_devnull();
	return 0;
}

/* ---- references: the ABI documents, read plainly --------------------- */

static bool ref_name_char(__u8 c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("_.:/@+-", c));
}

static __u64 ref_fnv(__u64 h, const __u8 *s, size_t n)
{
	while (n--)
		h = (h ^ *s++) * ABAC_FNV_PRIME;
	return h;
}

/* label := pair (';' pair)*  pair := key '=' value (',' value)* */
static int ref_label_hash(const __u8 *buf, __u32 len,
			  struct abac_label_pairs *p)
{
	__u32 i = 0, start, n = 0;
	__u64 hk;

	if (len && len <= ABAC_LABEL_MAX && !buf[len - 1])
		len--;
	if (!len || len > ABAC_LABEL_MAX)
		return -1;
	for (;;) {
		for (start = i; i < len && ref_name_char(buf[i]); i++)
			;
		if (i == start || i == len || buf[i] != '=')
			return -1;
		hk = ref_fnv(ref_fnv(ABAC_FNV_OFFSET, buf + start, i - start),
			     (const __u8 *)"=", 1);
		i++;
		for (;;) {
			for (start = i; i < len && ref_name_char(buf[i]); i++)
				;
			if (i == start || n == ABAC_LABEL_PAIRS)
				return -1;
			p->h[n++] = ref_fnv(hk, buf + start, i - start);
			if (i == len) {
				p->n = n;
				return 0;
			}
			if (buf[i++] == ';')
				break;
			if (buf[i - 1] != ',')
				return -1;
		}
	}
}

static const void *ref_rec(const __u8 *img, __u64 idx)
{
	return img + idx * ABAC_REC_SIZE;
}

static bool ref_cond(const struct abac_cond *c, const struct abac_attrs *s,
		     const struct abac_attrs *o)
{
	__u64 v = (c->side == ABAC_SIDE_OBJECT ? o : s)->v[c->attr];
	__u64 r = o->v[c->rhs];

	switch (c->kind) {
	case ABAC_COND_ANY:
		return v & c->mask;
	case ABAC_COND_NONE:
		return v != 0 && (v & c->mask) == 0;
	case ABAC_COND_PRESENT:
		return v != 0;
	case ABAC_COND_ABSENT:
		return v == 0;
	case ABAC_COND_REL_EQ:
		return v & r;
	case ABAC_COND_REL_NE:
		return v != 0 && r != 0 && (v & r) == 0;
	}
	FUZZ_ASSERT(!"the loader let an unknown condition kind through");
	return false;
}

/* Deny-overrides over the records of an image the loader accepted. */
static void ref_decide(const __u8 *img, __u32 op, const struct abac_attrs *s,
		       const struct abac_attrs *o, struct abac_decision *d)
{
	const struct abac_image_hdr *h = (const void *)img;
	const struct abac_rule *r;
	__u32 i, j, allow = ABAC_RULE_NONE;
	bool holds;

	for (i = 0; i < h->nrules; i++) {
		r = ref_rec(img, (__u64)h->rules_off + i);
		if (op >= 32 || !(r->ops & (1U << op)))
			continue;
		for (holds = true, j = 0; holds && j < r->ncond; j++)
			holds = ref_cond(ref_rec(img, (__u64)r->cond + j), s, o);
		if (!holds)
			continue;
		if (r->effect == ABAC_DENY) {
			d->effect = ABAC_DENY;
			d->reason = ABAC_REASON_RULE;
			d->rule = i;
			return;
		}
		if (allow == ABAC_RULE_NONE)
			allow = i;
	}
	d->rule = allow;
	d->reason = allow == ABAC_RULE_NONE ? ABAC_REASON_DEFAULT :
					      ABAC_REASON_RULE;
	d->effect = allow != ABAC_RULE_NONE ? ABAC_ALLOW :
		    h->default_effect == ABAC_ALLOW ? ABAC_ALLOW : ABAC_DENY;
}

/* ---- the harness ------------------------------------------------------- */

struct tail {
	__u8 flags;
	__u8 op;
	__u64 cgroup_id;
	__u8 label[LABEL_ROOM];
	__u32 label_len;
};

static void split_tail(const uint8_t *t, size_t n, struct tail *out)
{
	memset(out, 0, sizeof(*out));
	if (n > 0)
		out->flags = t[0];
	if (n > 1)
		out->op = t[1];
	if (n > 2)
		memcpy(&out->cgroup_id, t + 2, n - 2 < 8 ? n - 2 : 8);
	if (n > 10) {
		out->label_len = n - 10 < LABEL_ROOM ? n - 10 : LABEL_ROOM;
		memcpy(out->label, t + 10, out->label_len);
	}
}

/* Arbitrary subject attributes, spread from the cgroup id. */
static void subject_from(__u64 seed, struct abac_attrs *s)
{
	unsigned int i;

	for (i = 0; i < ABAC_MAX_ATTRS; i++) {
		seed += 0x9e3779b97f4a7c15ULL;
		s->v[i] = (seed ^ (seed >> 29)) * 0xbf58476d1ce4e5b9ULL;
		if (seed & 0x100)
			s->v[i] &= s->v[i] >> 17;	/* sparser masks */
	}
}

static void check_labels(const struct abac_image *v, const struct tail *t,
			 bool checked, struct abac_attrs *o)
{
	const struct abac_image_hdr *h = abac_hdr(v);
	struct abac_label_pairs got, ref;
	int rc, ref_rc;
	unsigned int i;

	memset(&got, 0, sizeof(got));
	memset(&ref, 0, sizeof(ref));
	rc = abac_label_hash(t->label, t->label_len, &got);
	ref_rc = ref_label_hash(t->label, t->label_len, &ref);
	FUZZ_ASSERT(rc == ref_rc);
	if (!rc) {
		FUZZ_ASSERT(got.n == ref.n);
		FUZZ_ASSERT(!memcmp(got.h, ref.h, got.n * sizeof(got.h[0])));
	}
	memset(o, 0, sizeof(*o));
	rc = abac_label_parse(v, t->label, t->label_len, &got, o);
	if (rc)
		memset(o, 0, sizeof(*o));	/* fail closed: unlabelled */
	for (i = 0; checked && !rc && i < ABAC_MAX_ATTRS; i++)
		FUZZ_ASSERT(i < h->n_oattrs || !o->v[i]);
}

static void decode(const __u8 *img, size_t len, const struct tail *t)
{
	const char *id, *nlp;
	__u32 i;

	abac_image_dump(img, len, devnull, false);
	abac_image_dump(img, len, devnull, true);
	fputs(abac_image_str(img, len, (__u32)t->cgroup_id), devnull);
	for (i = 0; i < 64; i++) {
		abac_image_rule_text(img, len, i, &id, &nlp);
		FUZZ_ASSERT(!id == !nlp);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct abac_image_hdr hdr;
	const struct abac_attrs *found;
	struct abac_decision got, ref;
	struct abac_attrs s, o;
	struct abac_diags d;
	struct abac_image v;
	struct tail t;
	size_t len = size;
	__u8 *img;
	int err;

	if (size >= sizeof(hdr)) {
		memcpy(&hdr, data, sizeof(hdr));
		if ((__u64)hdr.total_records * ABAC_REC_SIZE <= size)
			len = (size_t)hdr.total_records * ABAC_REC_SIZE;
	}
	split_tail(data + len, size - len, &t);
	img = malloc(len ? len : 1);
	FUZZ_ASSERT(img);
	memcpy(img, data, len);
	if (len >= sizeof(hdr) && !(t.flags & TAIL_KEEP_HASH))
		((struct abac_image_hdr *)img)->content_hash =
			abac_image_hash(img, len);

	abac_diags_init(&d);
	err = abac_image_check(img, len, &d);
	fuzz_check_diags(&d, err, NULL, 0);
	FUZZ_ASSERT(!err || d.n == 1);
	decode(img, len, &t);

	v = abac_image_view(img, len);
	check_labels(&v, &t, !err, &o);
	found = abac_subject_find(&v, t.cgroup_id);
	if (found) {
		FUZZ_ASSERT((const __u8 *)found >= img + ABAC_REC_SIZE);
		FUZZ_ASSERT((const __u8 *)(found + 1) <= img + len);
		FUZZ_ASSERT(((const struct abac_subj_key *)found - 1)->cgroup_id ==
			    t.cgroup_id);
		s = *found;
	} else {
		subject_from(t.cgroup_id, &s);
	}
	abac_decide(&v, t.op, &s, &o, &got);
	if (!err) {
		FUZZ_ASSERT(got.reason != ABAC_REASON_BAD_IMAGE);
		ref_decide(img, t.op & 31, &s, &o, &ref);
		FUZZ_ASSERT(got.effect == ref.effect);
		FUZZ_ASSERT(got.reason == ref.reason);
		FUZZ_ASSERT(got.rule == ref.rule);
	}
	abac_diags_free(&d);
	free(img);
	return 0;
}
