// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for what reads a compiled image: the loader
 * abac_image_check(), the decoders behind "abac policy show"
 * (abac_image_dump(), abac_image_str(), abac_image_rule_text()) and the
 * decision core lsm/abac_decide.h (abac_subject_find(), abac_bind_find(),
 * abac_label_parse(), abac_net_find(), abac_decide()) with arbitrary
 * attributes.
 *
 * The input is an image followed by a tail:
 *
 *	image	header.total_records * 16 bytes when the input holds that
 *		many, else the whole input (and no tail);
 *	tail	flags (TAIL_*: bit 0 keeps the image's content hash as it
 *		is, else the harness sets it, so that mutations get past
 *		the hash to the checks behind it; the others leave out the
 *		subject, object or environment, or take the object from a
 *		network), operation, minute of the day (2 bytes), weekday,
 *		cgroup id (8 bytes, little endian), then the label bytes.
 *		A cgroup id no subject slot holds is looked up in the
 *		binding table as a parent, with the label's first bytes as
 *		the cgroup's name.
 *
 * The image is copied to a buffer of exactly its length so that the
 * address sanitizer sees any read past it.  Properties, besides the
 * sanitizers':
 *  - the loader fails with exactly one error, or succeeds with none;
 *  - the decision core never reads outside the image, checked or not,
 *    decides the same twice, and denies whatever it cannot read;
 *  - on an image the loader accepted, abac_decide() never reports a bad
 *    image and gives the outcome, effect, reason, rule and layer of the
 *    reference (fuzz_ref.h) run on a plain reading of the records, a
 *    label sets only declared object attributes (a pair of the label
 *    table, found by a plain scan, its entry's word), and abac_net_find()
 *    gives the first network entry that holds the address;
 *  - abac_label_hash() agrees with a plain split of the label grammar.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libabac.h"
#include "fuzz_common.h"
#include "fuzz_ref.h"

#define TAIL_KEEP_HASH	0x1	/* keep the image's content hash */
#define TAIL_NO_SUBJECT	0x2	/* decide with no subject attributes */
#define TAIL_NO_OBJECT	0x4	/* ... no object attributes */
#define TAIL_NO_ENV	0x8	/* ... no environment, no clock */
#define TAIL_NET_OBJECT	0x10	/* the object is the network found */
#define TAIL_NET_V6	0x20	/* look up an IPv6 address, else IPv4 */
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

/*
 * One value of @n escaped bytes at @s, unescaped into @raw and checked
 * plainly: '\' before one of '\' ',' ';' '=', no other '=', UTF-8 of
 * RFC 3629 without controls (C0, DEL, C1), 1 to ABAC_VALUE_MAX bytes, no
 * space first or last.  Its length, or -1.
 */
static int ref_value(const __u8 *s, __u32 n, __u8 *raw)
{
	__u32 i, o = 0, k, cp, need;

	for (i = 0; i < n; i++) {
		if (s[i] == '=')
			return -1;
		if (s[i] == '\\') {
			if (++i == n || !strchr("\\,;=", s[i]))
				return -1;
		}
		if (o == ABAC_VALUE_MAX)
			return -1;
		raw[o++] = s[i];
	}
	if (!o || raw[0] == ' ' || raw[o - 1] == ' ')
		return -1;
	for (i = 0; i < o; i += need + 1) {
		need = raw[i] < 0x80 ? 0 : raw[i] >= 0xf8 ? 9 :
		       raw[i] >= 0xf0 ? 3 : raw[i] >= 0xe0 ? 2 :
		       raw[i] >= 0xc0 ? 1 : 9;
		if (need == 9 || i + need >= o)
			return -1;
		cp = need ? raw[i] & (0x3f >> need) : raw[i];
		for (k = 1; k <= need; k++) {
			if ((raw[i + k] & 0xc0) != 0x80)
				return -1;
			cp = cp << 6 | (raw[i + k] & 0x3f);
		}
		if (cp < (need == 1 ? 0x80U : need == 2 ? 0x800U :
			  need == 3 ? 0x10000U : 0) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
		    cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return -1;
	}
	return o;
}

/*
 * label := pair (';' pair)*  pair := key '=' value (',' value)*, where a
 * value ends at the first ',' or ';' not escaped by '\'.
 */
static const struct abac_hash_key ref_pub = {
	ABAC_HASH_KEY_PUBLIC_K0, ABAC_HASH_KEY_PUBLIC_K1,
};

/* Pairs in (key hash, value word) order, as the parser keeps them. */
static int ref_pair_cmp(const void *a, const void *b)
{
	const __u64 *x = a, *y = b;

	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* Sort the @n pairs in @all, drop duplicates, keep them in @p. */
static int ref_pairs_keep(__u64 (*all)[2], __u32 n,
			  struct abac_label_pairs *p)
{
	__u32 i, k = 0;

	qsort(all, n, sizeof(all[0]), ref_pair_cmp);
	for (i = 0; i < n; i++) {
		if (k && all[i][0] == p->k[k - 1] && all[i][1] == p->v[k - 1])
			continue;
		if (k == ABAC_LABEL_PAIRS)
			return -1;
		p->k[k] = all[i][0];
		p->v[k++] = all[i][1];
	}
	p->n = k;
	return 0;
}

static int ref_label_hash(const __u8 *buf, __u32 len,
			  struct abac_label_pairs *p)
{
	static __u64 all[ABAC_LABEL_MAX / 2 + 1][2];
	__u32 i = 0, start, n = 0;
	__u8 raw[ABAC_VALUE_MAX];
	__u64 hk;
	int rl;

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
			for (start = i; i < len && buf[i] != ',' &&
			     buf[i] != ';'; i++)
				if (buf[i] == '\\' && i + 1 < len)
					i++;
			rl = ref_value(buf + start, i - start, raw);
			if (rl < 0)
				return -1;
			all[n][0] = hk;
			all[n++][1] = abac_hash_word(abac_sip_bytes(&ref_pub,
								    raw, rl));
			if (i == len)
				return ref_pairs_keep(all, n, p);
			if (buf[i++] == ';')
				break;
		}
	}
}

static const void *ref_rec(const __u8 *img, __u64 idx)
{
	return img + idx * ABAC_REC_SIZE;
}

/*
 * The rules, layers and defaults of an image the loader accepted, read
 * plainly from the records for fuzz_ref.h.  The operation lists are not
 * read: the reference finds an operation's rules by their ops bits.
 */
static void ref_policy_of(const __u8 *img, struct ref_policy *p,
			  struct ref_rule *rules)
{
	const struct abac_image_hdr *h = (const void *)img;
	const struct abac_rule *r;
	const __u64 *def;
	unsigned int i, side;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < h->nrules; i++) {
		r = ref_rec(img, (__u64)h->rules_off + i);
		rules[i].ops = r->ops;
		rules[i].effect = r->effect;
		rules[i].layer = r->layer;
		rules[i].ncond = r->ncond;
		rules[i].conds = ref_rec(img, r->cond);
	}
	p->nrules = h->nrules;
	p->rules = rules;
	p->nlayers = h->nlayers;
	for (i = 0; i < ABAC_MAX_LAYERS; i++)
		p->comb[i] = h->layer_combining[i];
	p->default_effect = h->default_effect;
	for (side = 0; side < ABAC_SIDE_COUNT; side++) {
		def = ref_rec(img, (__u64)h->defaults_off +
				   side * ABAC_ATTRS_RECORDS);
		for (i = 0; i < ABAC_MAX_ATTRS; i++)
			p->defaults[side][i] = def[i];
	}
	p->members = ref_rec(img, h->members_off);
	p->nmembers = h->nmembers;
}

/*
 * A subject made up from a seed holds, for each open set of a checked
 * image, what a tagged cgroup can hold: nothing, the empty set, or the
 * set of the image's first tagged cgroup that has one.
 */
static void sets_from(const struct abac_image *v, __u64 seed,
		      struct abac_attrs *s)
{
	const struct abac_image_hdr *h = abac_hdr(v);
	const struct abac_attr_meta *m;
	const struct abac_subj_key *key;
	const struct abac_attrs *a;
	unsigned int i, k;

	for (i = 0; i < h->n_sattrs && i < ABAC_MAX_ATTRS; i++) {
		m = abac_rec(v, h->meta_off + i);
		if (!m || !(m->flags & ABAC_META_OPEN) ||
		    m->type != ABAC_TYPE_SET)
			continue;
		s->v[i] = (seed >> i & 3) == 1 ? ABAC_SET_WORD(0, 0) : 0;
		for (k = 0; (seed >> i & 3) >= 2 && k < h->subj_size; k++) {
			key = abac_rec(v, h->subj_off + k * ABAC_SUBJ_RECORDS);
			a = abac_span(v, h->subj_off + k * ABAC_SUBJ_RECORDS + 1,
				      ABAC_SUBJ_RECORDS - 1);
			if (key && key->cgroup_id && a && a->v[i]) {
				s->v[i] = a->v[i];
				break;
			}
		}
	}
}

/* The first network entry that holds the address and port, or -1. */
static int ref_net(const __u8 *img, __u32 family, const __u8 *addr,
		   __u32 port)
{
	const struct abac_image_hdr *h = (const void *)img;
	const struct abac_net *n;
	unsigned int i, b;
	bool match;

	for (i = 0; i < h->nnets; i++) {
		n = ref_rec(img, (__u64)h->nets_off + i * ABAC_NET_RECORDS);
		if (n->family != family || port < n->port_lo ||
		    port > n->port_hi)
			continue;
		for (match = true, b = 0; match && b < n->prefix; b++)
			match = ((n->addr[b / 8] ^ addr[b / 8]) &
				 (0x80 >> (b % 8))) == 0;
		if (match)
			return (int)i;
	}
	return -1;
}

/* ---- the harness ------------------------------------------------------- */

#define TAIL_FIXED	13	/* bytes before the label */

struct tail {
	__u8 flags;
	__u8 op;
	__u16 minute;
	__u8 wday;
	__u64 cgroup_id;
	__u8 label[LABEL_ROOM];
	__u32 label_len;
};

static void split_tail(const uint8_t *t, size_t n, struct tail *out)
{
	__u8 fixed[TAIL_FIXED] = { 0 };

	memset(out, 0, sizeof(*out));
	memcpy(fixed, t, n < TAIL_FIXED ? n : TAIL_FIXED);
	out->flags = fixed[0];
	out->op = fixed[1];
	out->minute = (fixed[2] | fixed[3] << 8) % ABAC_MINUTES_PER_DAY;
	out->wday = fixed[4] % 7;
	memcpy(&out->cgroup_id, fixed + 5, 8);
	if (n > TAIL_FIXED) {
		out->label_len = n - TAIL_FIXED < LABEL_ROOM ?
				 n - TAIL_FIXED : LABEL_ROOM;
		memcpy(out->label, t + TAIL_FIXED, out->label_len);
	}
}

/* Arbitrary attributes, spread from a seed. */
static void attrs_from(__u64 seed, struct abac_attrs *s)
{
	unsigned int i;

	for (i = 0; i < ABAC_MAX_ATTRS; i++) {
		seed += 0x9e3779b97f4a7c15ULL;
		s->v[i] = (seed ^ (seed >> 29)) * 0xbf58476d1ce4e5b9ULL;
		if (seed & 0x100)
			s->v[i] &= s->v[i] >> 17;	/* sparser masks */
		if (seed & 0x200)
			s->v[i] = 0;			/* absent */
	}
}

/*
 * The label's attributes, and the members of its open sets in @ob: each
 * a sorted run of distinct words, its handle pointing at it.
 */
static void check_labels(const struct abac_image *v, const struct tail *t,
			 bool checked, struct abac_object *ob)
{
	struct abac_attrs *o = &ob->a;
	const struct abac_attr_meta *m;
	__u32 j;
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
		FUZZ_ASSERT(!memcmp(got.k, ref.k, got.n * sizeof(got.k[0])));
		FUZZ_ASSERT(!memcmp(got.v, ref.v, got.n * sizeof(got.v[0])));
	}
	memset(ob, 0, sizeof(*ob));
	rc = abac_label_parse_obj(v, t->label, t->label_len, &got, ob);
	if (rc)
		memset(ob, 0, sizeof(*ob));	/* fail closed: unlabelled */
	FUZZ_ASSERT(ob->n <= ABAC_LABEL_SET_MEMBERS);
	for (i = 0; checked && !rc && i < ABAC_MAX_ATTRS; i++) {
		FUZZ_ASSERT(i < h->n_oattrs || !o->v[i]);
		/* an open set's handle; other words are any 64 bits */
		m = i < h->n_oattrs ?
		    abac_rec(v, h->meta_off + h->n_sattrs + i) : NULL;
		if (!m || !(m->flags & ABAC_META_OPEN) ||
		    m->type != ABAC_TYPE_SET || !o->v[i])
			continue;
		FUZZ_ASSERT((o->v[i] & ABAC_SET_BIT) &&
			    (o->v[i] & ABAC_SET_OBJ));
		FUZZ_ASSERT(ABAC_SET_FIRST(o->v[i]) + ABAC_SET_COUNT(o->v[i]) <=
			    ob->n);
		for (j = 1; j < ABAC_SET_COUNT(o->v[i]); j++)
			FUZZ_ASSERT(ob->m[ABAC_SET_FIRST(o->v[i]) + j - 1] <
				    ob->m[ABAC_SET_FIRST(o->v[i]) + j]);
	}
	/*
	 * A pair of a large enumeration, found by a plain scan of the label
	 * table and not in the dictionary, set its attribute to its word.
	 */
	for (i = 0; checked && !rc && i < got.n; i++) {
		const __u64 *t = abac_rec(v, h->members_off);
		__u64 ph = abac_pair_hash(got.k[i], got.v[i]);
		unsigned int k;

		if (abac_dict_find(v, ph))
			continue;
		for (k = 0; k < h->nenum; k++)
			if (t[h->enum_first + k] == ph)
				break;
		if (k < h->nenum)
			FUZZ_ASSERT(o->v[ABAC_ENUM_ENT_ATTR(t[h->enum_first + h->nenum + k])] ==
				    ABAC_ENUM_ENT_WORD(t[h->enum_first + h->nenum + k]));
	}
}

/*
 * The network object of an address spread from the cgroup id: inside
 * the image, the first entry that holds it, with only declared object
 * attributes.  On TAIL_NET_OBJECT it replaces the labelled object, as
 * for connect, bind and listen.
 */
static void check_net(const struct abac_image *v, const __u8 *img,
		      size_t len, const struct tail *t, bool checked,
		      struct abac_object *ob)
{
	struct abac_attrs *o = &ob->a;

	const struct abac_attrs *a;
	__u32 family = t->flags & TAIL_NET_V6 ? 6 : 4, idx = ~0U;
	__u8 addr[16] = { 0 };
	unsigned int i;

	memcpy(addr, &t->cgroup_id, 8);
	memcpy(addr + 8, t->label, t->label_len < 8 ? t->label_len : 8);
	if (family == 4)
		memset(addr + 4, 0, 12);
	a = abac_net_find(v, family, addr, t->minute * 45, &idx);
	if (a) {
		FUZZ_ASSERT((const __u8 *)a >= img + ABAC_REC_SIZE);
		FUZZ_ASSERT((const __u8 *)(a + 1) <= img + len);
	}
	if (checked) {
		FUZZ_ASSERT(ref_net(img, family, addr, t->minute * 45) ==
			    (a ? (int)idx : -1));
		for (i = 0; a && i < ABAC_MAX_ATTRS; i++)
			FUZZ_ASSERT(i < abac_hdr(v)->n_oattrs || !a->v[i]);
	}
	if (t->flags & TAIL_NET_OBJECT) {
		memset(ob, 0, sizeof(*ob));
		if (a)
			*o = *a;
	}
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

/* Decide, twice, and against the reference when the image was checked. */
/*
 * The template a binding gives a cgroup under parent @t->cgroup_id whose
 * name is the label's first bytes (at most ABAC_BIND_NAME_MAX), or NULL.
 * It lies inside the image; on a checked image it is a template slot of
 * the binding table, and a name one byte longer than a cgroup's can be
 * matches nothing.
 */
static const struct abac_attrs *bind_found(const struct abac_image *v,
					   const __u8 *img, size_t len,
					   const struct tail *t, bool checked)
{
	const struct abac_image_hdr *h = abac_hdr(v);
	__u8 name[ABAC_BIND_NAME_MAX + 1] = { 0 };
	__u32 n = t->label_len < ABAC_BIND_NAME_MAX ? t->label_len :
						      ABAC_BIND_NAME_MAX;
	const struct abac_subj_key *key;
	__u32 idx;

	memcpy(name, t->label, n);
	FUZZ_ASSERT(!abac_bind_find(v, t->cgroup_id, name,
				    ABAC_BIND_NAME_MAX + 1));
	idx = abac_bind_find(v, t->cgroup_id, name, n);
	if (!idx)
		return NULL;
	key = abac_rec(v, idx);
	FUZZ_ASSERT(key && abac_span(v, idx + 1, ABAC_SUBJ_RECORDS - 1));
	FUZZ_ASSERT((const __u8 *)key + ABAC_SUBJ_RECORDS * ABAC_REC_SIZE <=
		    img + len);
	if (checked) {
		FUZZ_ASSERT(h && idx > h->bind_off &&
			    (idx - h->bind_off) % ABAC_BIND_RECORDS == 1 &&
			    (idx - h->bind_off) / ABAC_BIND_RECORDS < h->nbind);
		FUZZ_ASSERT(key->cgroup_id == ABAC_SUBJ_BOUND);
	}
	return abac_span(v, idx + 1, ABAC_SUBJ_RECORDS - 1);
}

static void check_decision(const struct abac_image *v, const __u8 *img,
			   bool checked, unsigned int op,
			   const struct abac_request *rq)
{
	struct abac_decision got, again, ref;
	struct ref_policy p;
	struct ref_rule *rules;

	memset(&got, 0xa5, sizeof(got));
	memset(&again, 0x5a, sizeof(again));
	abac_decide(v, op, rq, &got);
	abac_decide(v, op, rq, &again);
	FUZZ_ASSERT(!memcmp(&got, &again, sizeof(got)));
	FUZZ_ASSERT(got.effect <= ABAC_ALLOW && got.outcome <= ABAC_OUT_INDET);
	FUZZ_ASSERT(got.effect == ABAC_DENY || got.outcome == ABAC_OUT_PERMIT ||
		    got.outcome == ABAC_OUT_NA);
	if (!checked) {
		if (got.reason == ABAC_REASON_BAD_IMAGE)
			FUZZ_ASSERT(got.effect == ABAC_DENY &&
				    got.rule == ABAC_RULE_NONE);
		return;
	}
	FUZZ_ASSERT(got.reason != ABAC_REASON_BAD_IMAGE);
	FUZZ_ASSERT(got.layer < abac_hdr(v)->nlayers);
	FUZZ_ASSERT(got.rule == ABAC_RULE_NONE ||
		    got.rule < abac_hdr(v)->nrules);
	rules = calloc(abac_hdr(v)->nrules + 1, sizeof(*rules));
	FUZZ_ASSERT(rules);
	ref_policy_of(img, &p, rules);
	ref_decide(&p, op, rq, &ref);
	ref_check(&got, &ref);
	free(rules);
}

/*
 * With the subject's class (the rule index): never a read outside the
 * image, the same twice, and on a checked image never a bad image.  Not
 * the reference's decision: the validator checks the index's shape, not
 * that the rules it leaves out cannot apply (the compiler's proof,
 * fuzz_policy.c checks it on compiled images).
 */
static void check_indexed(const struct abac_image *v, bool checked,
			  unsigned int op, const struct abac_request *rq)
{
	struct abac_decision got, again;

	memset(&got, 0xa5, sizeof(got));
	memset(&again, 0x5a, sizeof(again));
	abac_decide(v, op, rq, &got);
	abac_decide(v, op, rq, &again);
	FUZZ_ASSERT(!memcmp(&got, &again, sizeof(got)));
	FUZZ_ASSERT(got.effect == ABAC_DENY || got.outcome == ABAC_OUT_PERMIT ||
		    got.outcome == ABAC_OUT_NA);
	if (checked)
		FUZZ_ASSERT(got.reason != ABAC_REASON_BAD_IMAGE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct abac_image_hdr hdr;
	const struct abac_attrs *found;
	struct abac_request rq;
	struct abac_object ob;
	struct abac_attrs s;
	struct abac_env env;
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
	check_labels(&v, &t, !err, &ob);
	check_net(&v, img, len, &t, !err, &ob);
	found = abac_subject_find(&v, t.cgroup_id);
	if (found) {
		FUZZ_ASSERT((const __u8 *)found >= img + ABAC_REC_SIZE);
		FUZZ_ASSERT((const __u8 *)(found + 1) <= img + len);
		FUZZ_ASSERT(((const struct abac_subj_key *)found - 1)->cgroup_id ==
			    t.cgroup_id);
		s = *found;
	} else if ((found = bind_found(&v, img, len, &t, !err))) {
		s = *found;
	} else {
		attrs_from(t.cgroup_id, &s);
		if (!err)
			sets_from(&v, t.cgroup_id, &s);
	}
	memset(&env, 0, sizeof(env));
	attrs_from(~t.cgroup_id, &env.a);
	env.minute = t.minute;
	env.wday = t.wday;
	rq.s = t.flags & TAIL_NO_SUBJECT ? NULL : &s;
	rq.o = t.flags & TAIL_NO_OBJECT ? NULL : &ob.a;
	rq.ostore = !(t.flags & TAIL_NO_OBJECT);
	rq.e = t.flags & TAIL_NO_ENV ? NULL : &env;
	rq.cls = ABAC_CLASS_NONE;
	check_decision(&v, img, !err, t.op, &rq);
	if (found) {
		rq.cls = ((const struct abac_subj_key *)found - 1)->cls;
		check_indexed(&v, !err, t.op, &rq);
	}
	abac_diags_free(&d);
	free(img);
	return 0;
}
