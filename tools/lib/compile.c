// SPDX-License-Identifier: GPL-2.0-only
/*
 * The compiler: a validated policy and its tagged subjects in, an image
 * (lsm/abac_abi.h) out.
 *
 * The layout is fixed: header, rules (in policy order), conditions (each
 * rule's subject conditions, then its object conditions), the label
 * dictionary, the subject table, the string table.  Both hash tables are
 * open-addressed with linear probing, as abac_dict_find() and
 * abac_subject_find() search them, and sized as a power of two at least
 * twice their entries, doubled until every entry sits within the probe
 * limit.  Subjects are placed in cgroup id order, so the same policy and
 * the same subjects always give the same bytes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libabac.h"

#define TAGS_FILE	"<tags>"

/* The file a policy came from, for messages about it. */
static const char *pfile(const struct abac_policy *p)
{
	return p->file ? p->file : "<policy>";
}

/* ---- tags -------------------------------------------------------------- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* The index of @s (@len bytes) in @names, or -1. */
static int find_name(char *const *names, unsigned int n, const char *s,
		     size_t len)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len && !memcmp(names[i], s, len))
			return i;
	return -1;
}

/* "unknown WHAT 'word'[ for ...] (did you mean 'x'?)" at column @col. */
static void tag_unknown(struct abac_diags *d, unsigned int col,
			const char *what, const char *s, size_t len,
			const char *for_attr, const char *const *names,
			unsigned int n)
{
	char q[ABAC_QUOTE_BYTES], word[ABAC_NAME_MAX];
	const char *sug = NULL;

	if (len < sizeof(word)) {
		memcpy(word, s, len);
		word[len] = '\0';
		sug = abac_suggest(word, names, n);
	}
	abac_diag_add(d, false, TAGS_FILE, 1, col, "unknown %s '%s'%s%s%s%s",
		      what, abac_quote(s, len, q), for_attr ? for_attr : "",
		      sug ? " (did you mean '" : "", sug ? sug : "",
		      sug ? "'?)" : "");
}

/* One "key=value" of @len bytes at 1-based column @col. */
static int tag_pair(const struct abac_policy *p, const char *s, size_t len,
		    unsigned int col, struct abac_attrs *out,
		    struct abac_diags *d)
{
	const char *names[ABAC_MAX_ATTRS], *eq = memchr(s, '=', len);
	const struct abac_attr_def *a;
	char q[ABAC_QUOTE_BYTES], what[128];
	size_t klen, vlen;
	unsigned int i;
	int attr, v;

	if (!eq || eq == s || eq == s + len - 1) {
		abac_diag_add(d, false, TAGS_FILE, 1, col,
			      "expected key=value, found '%s'",
			      abac_quote(s, len, q));
		return -EINVAL;
	}
	klen = eq - s;
	vlen = len - klen - 1;
	for (i = 0; i < p->nsattrs; i++)
		names[i] = p->sattrs[i].name;
	attr = find_name((char *const *)names, p->nsattrs, s, klen);
	if (attr < 0) {
		tag_unknown(d, col, "subject attribute", s, klen, NULL, names,
			    p->nsattrs);
		return -EINVAL;
	}
	a = &p->sattrs[attr];
	if (out->v[attr]) {
		abac_diag_add(d, false, TAGS_FILE, 1, col,
			      "subject attribute '%s' given twice", a->name);
		return -EINVAL;
	}
	if (memchr(eq + 1, ',', vlen)) {
		abac_diag_add(d, false, TAGS_FILE, 1, col,
			      "subject attribute '%s' takes one value, not '%s'",
			      a->name, abac_quote(eq + 1, vlen, q));
		return -EINVAL;
	}
	v = find_name(a->values, a->nvalues, eq + 1, vlen);
	if (v < 0) {
		snprintf(what, sizeof(what), " for subject attribute '%s'",
			 a->name);
		tag_unknown(d, col, "value", eq + 1, vlen, what,
			    (const char *const *)a->values, a->nvalues);
		return -EINVAL;
	}
	out->v[attr] = 1ULL << v;
	return 0;
}

/**
 * abac_tags_resolve() - the attributes a subject's tags give.
 * @p: the policy whose subject attributes the tags name.
 * @tags: "key=value key=value", pairs separated by white space.
 * @out: receives the attribute masks.
 * @diags: receives an error per bad pair, under the file name "<tags>",
 *	line 1, the column being the pair's 1-based byte offset.
 *
 * Every key must be a declared subject attribute and every value one of
 * its declared values; a key may appear once.
 *
 * Return: 0, or -EINVAL when a pair is refused or there is none.
 */
int abac_tags_resolve(const struct abac_policy *p, const char *tags,
		      struct abac_attrs *out, struct abac_diags *diags)
{
	size_t i = 0, start, npairs = 0;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (!p || !tags) {
		abac_diag_add(diags, false, TAGS_FILE, 0, 0, "no tags");
		return -EINVAL;
	}
	for (;;) {
		while (tags[i] && is_space(tags[i]))
			i++;
		if (!tags[i])
			break;
		start = i;
		while (tags[i] && !is_space(tags[i]))
			i++;
		npairs++;
		if (tag_pair(p, tags + start, i - start, start + 1, out, diags))
			err = -EINVAL;
	}
	if (!npairs) {
		abac_diag_add(diags, false, TAGS_FILE, 0, 0,
			      "no tags: expected key=value pairs");
		return -EINVAL;
	}
	return err;
}

/* ---- checking the model ------------------------------------------------ */

/*
 * The compiler takes a struct abac_policy from anyone (a test may build one
 * by hand), so it checks every limit the image format depends on.
 */
static int check_attrs(const struct abac_policy *p,
		       const struct abac_attr_def *defs, unsigned int n,
		       const char *side, struct abac_diags *d)
{
	unsigned int i;

	if (n > ABAC_MAX_ATTRS || (n && !defs)) {
		abac_diag_add(d, false, pfile(p), 0, 0,
			      "%u %s attributes (at most %d)", n, side,
			      ABAC_MAX_ATTRS);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (!defs[i].name || defs[i].nvalues > ABAC_MAX_VALUES ||
		    (defs[i].nvalues && !defs[i].values)) {
			abac_diag_add(d, false, pfile(p), defs[i].line,
				      defs[i].column,
				      "%s attribute #%u is malformed", side, i);
			return -EINVAL;
		}
	}
	return 0;
}

static bool conds_ok(const struct abac_rule_cond *conds, unsigned int n,
		     const struct abac_attr_def *defs, unsigned int ndefs)
{
	unsigned int i, nv;

	if (n && !conds)
		return false;
	for (i = 0; i < n; i++) {
		if (conds[i].attr >= ndefs || !conds[i].mask)
			return false;
		nv = defs[conds[i].attr].nvalues;
		if (nv < 64 && (conds[i].mask >> nv))
			return false;
	}
	return true;
}

static int check_rule(const struct abac_policy *p, unsigned int idx,
		      struct abac_diags *d)
{
	const struct abac_rule_def *r = &p->rules[idx];

	if (r->id && r->nlp && r->effect <= ABAC_ALLOW && r->ops &&
	    !(r->ops >> ABAC_OP_COUNT) &&
	    r->nsubj + r->nobj <= ABAC_MAX_CONDS &&
	    conds_ok(r->subj, r->nsubj, p->sattrs, p->nsattrs) &&
	    conds_ok(r->obj, r->nobj, p->oattrs, p->noattrs))
		return 0;
	abac_diag_add(d, false, pfile(p), r->line, r->column,
		      "rule #%u ('%s') is malformed", idx + 1,
		      r->id ? r->id : "?");
	return -EINVAL;
}

static int check_policy(const struct abac_policy *p, struct abac_diags *d)
{
	unsigned int i;
	int err;

	if (!p->name || p->mode > ABAC_MODE_AUDIT ||
	    p->combining != ABAC_COMBINE_DENY_OVERRIDES ||
	    p->default_effect > ABAC_ALLOW || p->nrules > ABAC_MAX_RULES ||
	    (p->nrules && !p->rules)) {
		abac_diag_add(d, false, pfile(p), 0, 0,
			      "the policy's settings are malformed");
		return -EINVAL;
	}
	err = check_attrs(p, p->sattrs, p->nsattrs, "subject", d);
	if (!err)
		err = check_attrs(p, p->oattrs, p->noattrs, "object", d);
	for (i = 0; !err && i < p->nrules; i++)
		err = check_rule(p, i, d);
	return err;
}

/* ---- hash tables ------------------------------------------------------- */

typedef __u32 (*home_fn)(__u64 key, __u32 size);

static __u32 dict_home(__u64 hash, __u32 size)
{
	return (__u32)hash & (size - 1);
}

static __u32 subj_home(__u64 cgroup_id, __u32 size)
{
	return abac_subj_slot(cgroup_id, size);
}

/* Place @keys in @size slots, each within @probes of its home slot. */
static int try_place(const __u64 *keys, size_t n, __u32 size, home_fn home,
		     __u32 *slots)
{
	__u32 i, home_slot, s;
	unsigned char *used;
	size_t k;

	used = calloc(size, 1);
	if (!used)
		return -ENOMEM;
	for (k = 0; k < n; k++) {
		home_slot = home(keys[k], size);
		for (i = 0; i < ABAC_DICT_PROBES; i++) {
			s = (home_slot + i) & (size - 1);
			if (!used[s])
				break;
		}
		if (i == ABAC_DICT_PROBES) {
			free(used);
			return -ENOSPC;
		}
		used[s] = 1;
		slots[k] = s;
	}
	free(used);
	return 0;
}

/*
 * The size of a table for @n keys: the smallest power of two, at least 2n,
 * at most @max, in which every key sits within the probe limit (the same,
 * ABAC_DICT_PROBES == ABAC_SUBJ_PROBES, for both tables).  slots[k]
 * receives the slot of keys[k].
 */
static int table_size(const __u64 *keys, size_t n, home_fn home, __u32 max,
		      __u32 *size, __u32 *slots)
{
	__u32 sz = 1;
	int err;

	ABAC_ABI_ASSERT(ABAC_DICT_PROBES == ABAC_SUBJ_PROBES);
	*size = 0;
	if (!n)
		return 0;
	while (sz < 2 * n)
		sz *= 2;
	for (; sz && sz <= max; sz *= 2) {
		err = try_place(keys, n, sz, home, slots);
		if (err != -ENOSPC) {
			if (!err)
				*size = sz;
			return err;
		}
	}
	return -E2BIG;
}

/* ---- the build --------------------------------------------------------- */

/**
 * struct subj - one subject, its tags resolved.
 * @id: the cgroup id.
 * @level: its level.
 * @attrs: its attribute masks.
 */
struct subj {
	__u64 id;
	__u32 level;
	struct abac_attrs attrs;
};

/**
 * struct build - an image being laid out and written.
 * @p: the policy.
 * @d: diagnostics.
 * @nconds: conditions of all rules.
 * @ndict: label dictionary entries (object attribute values).
 * @dict_keys: their "key=value" hashes, in declaration order.
 * @dict_slots: their slots.
 * @subj: the subjects, in cgroup id order.
 * @nsubj: entries in @subj.
 * @subj_keys: their cgroup ids.
 * @subj_slots: their slots.
 * @hdr: the header being filled.
 * @img: the image.
 */
struct build {
	const struct abac_policy *p;
	struct abac_diags *d;
	__u32 nconds;
	size_t ndict;
	__u64 *dict_keys;
	__u32 *dict_slots;
	struct subj *subj;
	size_t nsubj;
	__u64 *subj_keys;
	__u32 *subj_slots;
	struct abac_image_hdr hdr;
	__u8 *img;
};

static __u64 hash_str(__u64 h, const char *s)
{
	while (*s)
		h = abac_hash_byte(h, (__u8)*s++);
	return h;
}

/* The hash of "key=value", as abac_label_hash() computes it. */
static __u64 pair_hash(const char *key, const char *value)
{
	return hash_str(abac_hash_byte(hash_str(ABAC_FNV_OFFSET, key), '='),
			value);
}

/*
 * Hash every declared "key=value" of the object side into b->dict_keys.
 * A hash of 0 marks an empty slot and two equal hashes would make two
 * values one: both are refused (rename a value), never guessed around.
 */
static int dict_hash_pairs(struct build *b)
{
	const struct abac_policy *p = b->p;
	const struct abac_attr_def *a;
	unsigned int i, v;
	size_t k = 0, j;
	__u64 h;

	for (i = 0; i < p->noattrs; i++) {
		a = &p->oattrs[i];
		for (v = 0; v < a->nvalues; v++, k++) {
			h = pair_hash(a->name, a->values[v]);
			for (j = 0; h && j < k; j++)
				if (b->dict_keys[j] == h)
					break;
			if (!h || j < k) {
				abac_diag_add(b->d, false, pfile(p), a->line,
					      a->column,
					      "label pair '%s=%s' %s; rename the value",
					      a->name, a->values[v],
					      h ? "hashes like another pair" :
					      "hashes to 0");
				return -EINVAL;
			}
			b->dict_keys[k] = h;
		}
	}
	return 0;
}

/* The label dictionary: every declared "key=value" of the object side. */
static int build_dict(struct build *b)
{
	const struct abac_policy *p = b->p;
	unsigned int i;
	size_t n = 0;
	int err;

	for (i = 0; i < p->noattrs; i++)
		n += p->oattrs[i].nvalues;
	b->ndict = n;
	b->dict_keys = calloc(n + 1, sizeof(*b->dict_keys));
	b->dict_slots = calloc(n + 1, sizeof(*b->dict_slots));
	if (!b->dict_keys || !b->dict_slots)
		return -ENOMEM;
	err = dict_hash_pairs(b);
	if (err)
		return err;
	err = table_size(b->dict_keys, n, dict_home, ABAC_IMAGE_RECORDS,
			 &b->hdr.dict_size, b->dict_slots);
	if (err == -E2BIG)
		abac_diag_add(b->d, false, pfile(p), 0, 0,
			      "the label dictionary cannot be laid out");
	return err;
}

static int subj_cmp(const void *a, const void *b)
{
	const struct subj *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Is the cgroup at @anc (relative path, "/" the root) above @path? */
static bool cg_is_ancestor(const char *anc, const char *path)
{
	size_t len = strlen(anc);

	if (!strcmp(anc, "/"))
		return strcmp(path, "/") != 0;
	return !strncmp(path, anc, len) && path[len] == '/';
}

/*
 * Subject tags inherit down the cgroup tree: a tagged cgroup gets, for
 * each attribute it does not set itself, the value of its nearest tagged
 * ancestor that sets it.  A child so adds tags to, or overrides per
 * attribute, what its ancestors say.  The image holds the merged tags,
 * so the kernel still looks up one (nearest tagged) cgroup.
 * b->subj[i] belongs to @s[i] here (before sorting).
 */
static int merge_inherited_tags(struct build *b, const struct abac_subject *s,
				size_t n)
{
	struct abac_attrs *own;
	size_t i, j;
	unsigned int a, best_level;
	long best;

	own = calloc(n + 1, sizeof(*own));
	if (!own)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		own[i] = b->subj[i].attrs;
	for (i = 0; i < n; i++) {
		for (a = 0; a < ABAC_MAX_ATTRS; a++) {
			if (own[i].v[a])
				continue;
			best = -1;
			best_level = 0;
			for (j = 0; j < n; j++) {
				if (j == i || !own[j].v[a] ||
				    !cg_is_ancestor(s[j].path, s[i].path))
					continue;
				if (best < 0 || s[j].level > best_level) {
					best = (long)j;
					best_level = s[j].level;
				}
			}
			if (best >= 0)
				b->subj[i].attrs.v[a] = own[best].v[a];
		}
	}
	free(own);
	return 0;
}

/* Resolve every subject's tags, merge inherited ones, sort by cgroup id. */
static int resolve_subjects(struct build *b, const struct abac_subject *s,
			    size_t n)
{
	const char *file = pfile(b->p);
	size_t i;
	int err = 0;

	if (n > ABAC_MAX_SUBJECTS) {
		abac_diag_add(b->d, false, file, 0, 0,
			      "%zu tagged cgroups (at most %d)", n,
			      ABAC_MAX_SUBJECTS);
		return -E2BIG;
	}
	b->subj = calloc(n + 1, sizeof(*b->subj));
	b->subj_keys = calloc(n + 1, sizeof(*b->subj_keys));
	b->subj_slots = calloc(n + 1, sizeof(*b->subj_slots));
	if (!b->subj || !b->subj_keys || !b->subj_slots)
		return -ENOMEM;
	b->nsubj = n;
	for (i = 0; i < n; i++) {
		b->subj[i].id = s[i].cgroup_id;
		b->subj[i].level = s[i].level;
		if (!s[i].cgroup_id) {
			abac_diag_add(b->d, false, file, 0, 0,
				      "tagged cgroup '%.256s' has id 0",
				      s[i].path);
			err = -EINVAL;
		} else if (abac_tags_resolve(b->p, s[i].tags,
					     &b->subj[i].attrs, b->d)) {
			abac_diag_add(b->d, false, file, 0, 0,
				      "the tags of cgroup '%.256s' do not match the policy",
				      s[i].path);
			err = -EINVAL;
		}
	}
	if (err)
		return err;
	err = merge_inherited_tags(b, s, n);
	if (err)
		return err;
	qsort(b->subj, n, sizeof(*b->subj), subj_cmp);
	for (i = 0; i < n; i++) {
		if (i && b->subj[i].id == b->subj[i - 1].id) {
			abac_diag_add(b->d, false, file, 0, 0,
				      "cgroup id %llu is tagged twice",
				      (unsigned long long)b->subj[i].id);
			return -EINVAL;
		}
		b->subj_keys[i] = b->subj[i].id;
		b->hdr.tag_levels |= 1U << (b->subj[i].level & 31);
	}
	return 0;
}

static int build_subjects(struct build *b, const struct abac_subject *s,
			  size_t n)
{
	int err;

	err = resolve_subjects(b, s, n);
	if (err)
		return err;
	err = table_size(b->subj_keys, n, subj_home,
			 ABAC_IMAGE_RECORDS / ABAC_SUBJ_RECORDS,
			 &b->hdr.subj_size, b->subj_slots);
	if (err == -E2BIG)
		abac_diag_add(b->d, false, pfile(b->p), 0, 0,
			      "%zu tagged cgroups do not fit in an image", n);
	return err;
}

/* Bytes of the string table: the name, then "id\0nlp\0" per rule. */
static size_t strings_len(const struct abac_policy *p)
{
	size_t len = strlen(p->name) + 1;
	unsigned int i;

	for (i = 0; i < p->nrules; i++)
		len += strlen(p->rules[i].id) + strlen(p->rules[i].nlp) + 2;
	return len;
}

/* Offsets and counts of every table; the image's size. */
static int layout(struct build *b, size_t *len)
{
	struct abac_image_hdr *h = &b->hdr;
	const struct abac_policy *p = b->p;
	size_t total, str_len;
	unsigned int i;

	for (i = 0, b->nconds = 0; i < p->nrules; i++)
		b->nconds += p->rules[i].nsubj + p->rules[i].nobj;
	str_len = strings_len(p);
	h->nrules = p->nrules;
	h->rules_off = ABAC_HDR_RECORDS;
	h->nconds = b->nconds;
	h->conds_off = h->rules_off + h->nrules;
	h->dict_off = h->conds_off + h->nconds;
	h->subj_off = h->dict_off + h->dict_size;
	h->str_off = h->subj_off + h->subj_size * ABAC_SUBJ_RECORDS;
	total = h->str_off + (str_len + ABAC_REC_SIZE - 1) / ABAC_REC_SIZE;
	if (total > ABAC_IMAGE_RECORDS) {
		abac_diag_add(b->d, false, pfile(p), 0, 0,
			      "the compiled policy needs %zu records (at most %u): fewer rules, shorter sentences or fewer tagged cgroups",
			      total, ABAC_IMAGE_RECORDS);
		return -E2BIG;
	}
	h->str_len = str_len;
	h->total_records = total;
	*len = total * ABAC_REC_SIZE;
	return 0;
}

static void *rec(struct build *b, __u32 idx)
{
	return b->img + (size_t)idx * ABAC_REC_SIZE;
}

static __u32 write_conds(struct build *b, __u32 idx, unsigned int side,
			 const struct abac_rule_cond *conds, unsigned int n)
{
	struct abac_cond *c;
	unsigned int i;

	for (i = 0; i < n; i++, idx++) {
		c = rec(b, idx);
		c->side = side;
		c->attr = conds[i].attr;
		c->kind = ABAC_COND_ANY;
		c->mask = conds[i].mask;
	}
	return idx;
}

/* Rules, their conditions and the string table. */
static void write_rules(struct build *b)
{
	const struct abac_policy *p = b->p;
	const struct abac_rule_def *r;
	char *str = (char *)rec(b, b->hdr.str_off);
	__u32 cond = b->hdr.conds_off, off;
	struct abac_rule *out;
	unsigned int i;

	off = strlen(p->name) + 1;
	memcpy(str, p->name, off);
	for (i = 0; i < p->nrules; i++) {
		r = &p->rules[i];
		out = rec(b, b->hdr.rules_off + i);
		out->ops = r->ops;
		out->effect = r->effect;
		out->ncond = r->nsubj + r->nobj;
		out->cond = cond;
		out->str = off;
		cond = write_conds(b, cond, ABAC_SIDE_SUBJECT, r->subj,
				   r->nsubj);
		cond = write_conds(b, cond, ABAC_SIDE_OBJECT, r->obj, r->nobj);
		memcpy(str + off, r->id, strlen(r->id) + 1);
		off += strlen(r->id) + 1;
		memcpy(str + off, r->nlp, strlen(r->nlp) + 1);
		off += strlen(r->nlp) + 1;
	}
}

static void write_dict(struct build *b)
{
	const struct abac_policy *p = b->p;
	struct abac_dict_ent *e;
	unsigned int i, v;
	size_t k = 0;

	for (i = 0; i < p->noattrs; i++) {
		for (v = 0; v < p->oattrs[i].nvalues; v++, k++) {
			e = rec(b, b->hdr.dict_off + b->dict_slots[k]);
			e->hash = b->dict_keys[k];
			e->attr = i;
			e->bit = v;
			e->flags = ABAC_DICT_SINGLE;	/* string: one value */
		}
	}
}

static void write_subjects(struct build *b)
{
	struct abac_subj_key *key;
	__u32 idx;
	size_t i;

	for (i = 0; i < b->nsubj; i++) {
		idx = b->hdr.subj_off + b->subj_slots[i] * ABAC_SUBJ_RECORDS;
		key = rec(b, idx);
		key->cgroup_id = b->subj[i].id;
		key->level = b->subj[i].level;
		memcpy(rec(b, idx + 1), &b->subj[i].attrs,
		       sizeof(b->subj[i].attrs));
	}
}

static void write_header(struct build *b)
{
	const struct abac_policy *p = b->p;
	struct abac_image_hdr *h = &b->hdr;

	h->magic = ABAC_MAGIC;
	h->abi_version = ABAC_ABI_VERSION;
	h->hdr_records = ABAC_HDR_RECORDS;
	h->mode = p->mode;
	h->combining = p->combining;
	h->default_effect = p->default_effect;
	h->name_str = 0;
	h->n_sattrs = p->nsattrs;
	h->n_oattrs = p->noattrs;
	memcpy(b->img, h, sizeof(*h));
}

static void build_free(struct build *b)
{
	free(b->dict_keys);
	free(b->dict_slots);
	free(b->subj);
	free(b->subj_keys);
	free(b->subj_slots);
}

/**
 * abac_image_build() - compile a policy and its subjects into an image.
 * @p: a policy from abac_policy_parse_*() (or built alike).
 * @subjects: the tagged cgroups, or NULL.
 * @nsubjects: entries in @subjects.
 * @img: receives the malloc()ed image.
 * @len: receives its length in bytes.
 * @diags: receives the reasons of a failure.
 *
 * The image has generation 0 and its content hash set.  The same policy
 * and the same subjects (in any order) give the same bytes.
 *
 * Return: 0; -EINVAL for a malformed policy or subject, -E2BIG when the
 * image would exceed ABAC_IMAGE_RECORDS, -ENOMEM.
 */
int abac_image_build(const struct abac_policy *p,
		     const struct abac_subject *subjects, size_t nsubjects,
		     void **img, size_t *len, struct abac_diags *diags)
{
	struct build b = { .p = p, .d = diags };
	struct abac_image_hdr *h;
	size_t n;
	int err;

	if (!p || (nsubjects && !subjects)) {
		abac_diag_add(diags, false, "<policy>", 0, 0, "no policy");
		return -EINVAL;
	}
	err = check_policy(p, diags);
	if (!err)
		err = build_dict(&b);
	if (!err)
		err = build_subjects(&b, subjects, nsubjects);
	if (!err)
		err = layout(&b, &n);
	if (err)
		goto free_build;
	b.img = calloc(1, n);
	if (!b.img) {
		err = -ENOMEM;
		goto free_build;
	}
	write_header(&b);
	write_rules(&b);
	write_dict(&b);
	write_subjects(&b);
	h = (struct abac_image_hdr *)b.img;
	h->content_hash = abac_image_hash(b.img, n);
	*img = b.img;
	*len = n;
free_build:
	if (err == -ENOMEM)
		abac_diag_add(diags, false, pfile(p), 0, 0, "out of memory");
	build_free(&b);
	return err;
}
