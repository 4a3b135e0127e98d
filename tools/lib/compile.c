// SPDX-License-Identifier: GPL-2.0-only
/*
 * The compiler: a validated policy and its tagged subjects in, an image
 * (lsm/abac_abi.h) out.
 *
 * The layout is fixed: header, rules (in policy order), the label
 * dictionary, the subject table, the defaults, the operation lists, the
 * networks, the attribute records and the hash key, then the conditions
 * (each rule's subject conditions, then its object conditions) and the
 * string table last: BPF reads everything before the conditions from the
 * image's first chunk (ABAC_CHUNK_RECORDS records), conditions from any
 * chunk, and strings never.  A rule's conditions stay in one chunk; the
 * first record of every later chunk the conditions reach is its stamp
 * (struct abac_chunk_stamp), with zero records before it as padding.  Both hash tables are
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

/* "unknown WHAT 'word'[ for ...] (did you mean 'x'?)" at column @col. */
static void tag_unknown_in(struct abac_diags *d, const char *file,
			   unsigned int col,
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
	abac_diag_add(d, false, file, 1, col, "unknown %s '%s'%s%s%s%s",
		      what, abac_quote(s, len, q), for_attr ? for_attr : "",
		      sug ? " (did you mean '" : "", sug ? sug : "",
		      sug ? "'?)" : "");
}

/*
 * One "key=value" of @len bytes at 1-based column @col, on @side.  The
 * members of an open set go to @sets[attr] when @sets is not NULL.
 */
static int tag_pair(const struct abac_policy *p, unsigned int side,
		    const char *file, const char *s, size_t len,
		    unsigned int col, struct abac_attrs *out,
		    struct abac_set *sets, struct abac_diags *d)
{
	const char *names[ABAC_MAX_ATTRS], *eq = memchr(s, '=', len);
	const struct abac_attr_def *a, *defs;
	char q[ABAC_QUOTE_BYTES], what[32], err[320];
	unsigned int i, n;
	size_t klen, vlen;
	__u64 w;
	int attr;

	if (!eq || eq == s || eq == s + len - 1) {
		abac_diag_add(d, false, file, 1, col,
			      "expected key=value, found '%s'",
			      abac_quote(s, len, q));
		return -EINVAL;
	}
	klen = eq - s;
	vlen = len - klen - 1;
	defs = abac_policy_attrs(p, side, &n);
	for (i = 0; i < n; i++)
		names[i] = defs[i].name;
	attr = abac_attr_find(p, side, s, klen);
	if (attr < 0) {
		snprintf(what, sizeof(what), "%s attribute",
			 abac_side_name(side));
		tag_unknown_in(d, file, col, what, s, klen, NULL, names, n);
		return -EINVAL;
	}
	a = &defs[attr];
	if (out->v[attr]) {
		abac_diag_add(d, false, file, 1, col,
			      "%s attribute '%s' given twice",
			      abac_side_name(side), a->name);
		return -EINVAL;
	}
	if (sets && a->open && a->type == ABAC_TYPE_SET) {
		if (abac_set_parse(a, eq + 1, vlen, &sets[attr], err,
				   sizeof(err))) {
			abac_diag_add(d, false, file, 1, col, "%s", err);
			return -EINVAL;
		}
		/* the handle is known once the image is laid out */
		out->v[attr] = ABAC_SET_WORD(ABAC_SET_UNRESOLVED,
					     sets[attr].n);
		return 0;
	}
	if (abac_attr_word(a, eq + 1, vlen, &w, err, sizeof(err))) {
		abac_diag_add(d, false, file, 1, col, "%s", err);
		return -EINVAL;
	}
	out->v[attr] = w;
	return 0;
}

/* abac_attrs_resolve(), the members of open sets into @sets if given. */
static int attrs_resolve(const struct abac_policy *p, unsigned int side,
			 const char *file, const char *text,
			 struct abac_attrs *out, struct abac_set *sets,
			 struct abac_diags *diags)
{
	size_t i = 0, start, npairs = 0, used, sz;
	char *pair;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (!p || !text) {
		abac_diag_add(diags, false, file, 0, 0, "no pairs");
		return -EINVAL;
	}
	sz = strlen(text) + 1;	/* a pair is never longer than the text */
	pair = malloc(sz);
	if (!pair) {
		abac_diag_add(diags, false, file, 0, 0, "out of memory");
		return -ENOMEM;
	}
	for (;;) {
		while (text[i] && is_space(text[i]))
			i++;
		if (!text[i])
			break;
		start = i;
		used = abac_tag_token(text + i, pair, sz);
		npairs++;
		if (!used) {
			abac_diag_add(diags, false, file, 1, start + 1,
				      "a '\"' not closed");
			err = -EINVAL;
			goto free_pair;
		}
		i += used;
		if (tag_pair(p, side, file, pair, strlen(pair), start + 1,
			     out, sets, diags))
			err = -EINVAL;
	}
	if (!npairs) {
		abac_diag_add(diags, false, file, 0, 0,
			      "nothing given: expected key=value pairs");
		err = -EINVAL;
	}
free_pair:
	free(pair);
	return err;
}

/**
 * abac_attrs_resolve() - the attributes "k=v k=v" give on one side.
 * @p: the policy whose attributes the pairs name.
 * @side: enum abac_side.
 * @file: the name errors are reported under ("<tags>", "<env>", ...).
 * @text: the pairs, separated by white space; a set's values by commas;
 *	each value escaped as in a label, and a value holding white space
 *	or '"' double-quoted, a '"' in it written \" (abac_pair_quote()).
 * @out: receives the words.
 * @diags: receives an error per bad pair, at line 1, the column being the
 *	pair's 1-based byte offset.
 *
 * The members of an open set are checked, but only an image holds them:
 * its word here is ABAC_SET_WORD(ABAC_SET_UNRESOLVED, count), which no
 * decision can read (abac_image_build() gives the real one).
 *
 * Return: 0, or -EINVAL when a pair is refused or there is none.
 */
int abac_attrs_resolve(const struct abac_policy *p, unsigned int side,
		       const char *file, const char *text,
		       struct abac_attrs *out, struct abac_diags *diags)
{
	return attrs_resolve(p, side, file, text, out, NULL, diags);
}

/**
 * abac_tags_resolve() - the attributes a subject's tags give.
 * @p: the policy whose subject attributes the tags name.
 * @tags: "key=value key=value", pairs separated by white space.
 * @out: receives the attribute masks.
 * @diags: receives an error per bad pair, under the file name "<tags>",
 *	line 1, the column being the pair's 1-based byte offset.
 *
 * Every key must be a declared subject attribute (or an alias) and every
 * value one of its values; a key may appear once.  A set takes several
 * values separated by commas, an int a decimal number.
 *
 * Return: 0, or -EINVAL when a pair is refused or there is none.
 */
int abac_tags_resolve(const struct abac_policy *p, const char *tags,
		      struct abac_attrs *out, struct abac_diags *diags)
{
	if (!tags || !*tags) {
		memset(out, 0, sizeof(*out));
		abac_diag_add(diags, false, TAGS_FILE, 0, 0,
			      "no tags: expected key=value pairs");
		return -EINVAL;
	}
	return abac_attrs_resolve(p, ABAC_SIDE_SUBJECT, TAGS_FILE, tags, out,
				  diags);
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
		if (!defs[i].name ||
		    (defs[i].nvalues > ABAC_MAX_VALUES &&
		     !abac_attr_is_enum(&defs[i])) ||
		    defs[i].nvalues > ABAC_MAX_ENUM_VALUES ||
		    defs[i].type >= ABAC_TYPE_COUNT ||
		    (defs[i].nvalues && !defs[i].values)) {
			abac_diag_add(d, false, pfile(p), defs[i].line,
				      defs[i].column,
				      "%s attribute #%u is malformed", side, i);
			return -EINVAL;
		}
	}
	return 0;
}

static bool cond_ok(const struct abac_policy *p, const struct abac_rule_cond *c)
{
	unsigned int n, rn;

	if (c->kind >= ABAC_COND_KIND_COUNT || c->side >= ABAC_SIDE_COUNT)
		return false;
	if (c->kind == ABAC_COND_TIME || c->kind == ABAC_COND_DAYS)
		return c->side == ABAC_SIDE_ENV && !c->attr;
	abac_policy_attrs(p, c->side, &n);
	if (c->attr >= n)
		return false;
	if (!abac_cond_is_relation(c->kind))
		return !c->rhs && !c->rhs_side;
	if (c->rhs_side >= ABAC_SIDE_COUNT)
		return false;
	abac_policy_attrs(p, c->rhs_side, &rn);
	return c->rhs < rn && !c->mask;
}

static int check_rule(const struct abac_policy *p, unsigned int idx,
		      struct abac_diags *d)
{
	const struct abac_rule_def *r = &p->rules[idx];
	unsigned int i;
	bool ok;

	ok = r->id && r->nlp && r->effect <= ABAC_ALLOW && r->ops &&
	     !(r->ops >> ABAC_OP_COUNT) && r->ncond <= ABAC_MAX_CONDS &&
	     (!r->ncond || r->conds) && r->layer < p->nlayers &&
	     (!idx || r->layer >= p->rules[idx - 1].layer);
	for (i = 0; ok && i < r->ncond; i++)
		ok = cond_ok(p, &r->conds[i]);
	if (ok)
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
	    p->combining >= ABAC_COMBINE_COUNT ||
	    !p->nlayers || p->nlayers > ABAC_MAX_LAYERS ||
	    p->default_effect > ABAC_ALLOW || p->nrules > ABAC_MAX_RULES ||
	    p->nnets > ABAC_MAX_NETS || (p->nrules && !p->rules)) {
		abac_diag_add(d, false, pfile(p), 0, 0,
			      "the policy's settings are malformed");
		return -EINVAL;
	}
	for (i = 0; i < p->nlayers; i++)
		if (p->layer_combining[i] >= ABAC_COMBINE_COUNT) {
			abac_diag_add(d, false, pfile(p), 0, 0,
				      "layer %u: bad combining algorithm", i);
			return -EINVAL;
		}
	err = check_attrs(p, p->sattrs, p->nsattrs, "subject", d);
	if (!err)
		err = check_attrs(p, p->oattrs, p->noattrs, "object", d);
	if (!err)
		err = check_attrs(p, p->eattrs, p->neattrs, "environment", d);
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
 * struct enum_pair - one "key=value" of a large enumeration.
 * @hash: its pair hash, as the dictionary's.
 * @ent: ABAC_ENUM_ENT() of its attribute and word.
 */
struct enum_pair {
	__u64 hash;
	__u64 ent;
};

/**
 * struct subj - one subject, its tags resolved.
 * @id: the cgroup id.
 * @level: its level.
 * @cls: its class in the rule index, or ABAC_CLASS_NONE.
 * @bind: for a binding's template slot, 1 + the binding's number in the
 *	policy; 0 for a tagged cgroup.
 * @attrs: its attribute masks.
 * @sets: the members of each of its open sets.
 */
struct subj {
	__u64 id;
	__u32 level;
	__u16 cls;
	__u32 bind;
	struct abac_attrs attrs;
	struct abac_set sets[ABAC_MAX_ATTRS];
};

/**
 * struct dict_ent - one "key=value" a label may carry.
 * @hash: its hash.
 * @attr: the object attribute.
 * @bit: the value number.
 * @single: the attribute takes one value.
 * @open: the entry of an open attribute (any value).
 */
struct dict_ent {
	__u64 hash;
	__u8 attr, bit;
	bool single, open;
};

/**
 * struct build - an image being laid out and written.
 * @p: the policy.
 * @d: diagnostics.
 * @nconds: conditions of all rules.
 * @ndict: label dictionary entries.
 * @dict: the entries, in declaration order.
 * @dict_keys: their hashes.
 * @dict_slots: their slots.
 * @subj: the bindings' templates in policy order, then the subjects in
 *	cgroup id order.
 * @nsubj: entries in @subj.
 * @nreal: tagged cgroups among them (the input's first entries before
 *	sorting; the templates follow them there).
 * @ntmpl: templates: the first @ntmpl entries of @subj once sorted.
 * @parents: per binding of the policy, its parent (NULL: none known).
 * @tin: the templates as subjects: path and tags (no id).
 * @tmpl_bind: per entry of @tin, its binding's number in the policy.
 * @subj_keys: their cgroup ids.
 * @subj_slots: their slots.
 * @nets: network entries (one per cidr and port range), most specific
 *	first.
 * @nnets: entries in @nets.
 * @ix: the rule index.
 * @hdr: the header being filled.
 * @img: the image.
 * @mcur: the next free word of the member table, while writing.
 * @decl: the texts the policy names for open attributes, by word.
 * @ndecl: entries in @decl.
 * @enums: the label table of the large enumerations: per pair, its hash
 *	and its entry (ABAC_ENUM_ENT()), sorted by hash.
 * @nenum: pairs in @enums.
 */
struct build {
	const struct abac_policy *p;
	struct abac_diags *d;
	__u32 nconds;
	size_t ndict;
	struct dict_ent *dict;
	__u64 *dict_keys;
	__u32 *dict_slots;
	struct subj *subj;
	size_t nsubj, nreal, ntmpl;
	const struct abac_bind_parent *parents;
	struct abac_subject *tin;
	__u32 *tmpl_bind;
	__u64 *subj_keys;
	__u32 *subj_slots;
	struct net_ent *nets;
	size_t nnets;
	struct abac_rindex ix;
	struct abac_image_hdr hdr;
	__u8 *img;
	__u32 mcur;
	struct declared *decl;
	size_t ndecl;
	struct enum_pair *enums;
	size_t nenum;
};

static __u64 hash_str(__u64 h, const char *s)
{
	while (*s)
		h = abac_hash_byte(h, (__u8)*s++);
	return h;
}

/*
 * The dictionary hash of "key=value", as abac_label_resolve() looks it
 * up; of an open attribute's entry when @value is NULL.
 */
static __u64 pair_hash(const char *key, const char *value)
{
	__u64 k = abac_hash_byte(hash_str(ABAC_FNV_OFFSET, key), '=');

	return abac_pair_hash(k, value ? abac_open_word(value, strlen(value))
				       : 0);
}

/* Add "key=value" for every name of the attribute (itself, its aliases). */
static int dict_add(struct build *b, const struct abac_attr_def *a,
		    unsigned int attr, const char *value, unsigned int bit)
{
	const char *key;
	unsigned int k;
	size_t j;
	__u64 h;

	for (k = 0; k <= a->naliases; k++) {
		if (k && a->alias_to[k - 1] >= 0)
			continue;
		key = k ? a->alias[k - 1] : a->name;
		h = pair_hash(key, value);
		for (j = 0; h && j < b->ndict; j++)
			if (b->dict[j].hash == h)
				break;
		if (!h || j < b->ndict) {
			abac_diag_add(b->d, false, pfile(b->p), a->line,
				      a->column,
				      "label pair '%s=%s' %s; rename the value",
				      key, value ? value : "(any)",
				      h ? "hashes like another pair" :
				      "hashes to 0");
			return -EINVAL;
		}
		b->dict[b->ndict].hash = h;
		b->dict[b->ndict].attr = attr;
		b->dict[b->ndict].bit = bit;
		b->dict[b->ndict].single = a->type != ABAC_TYPE_SET;
		b->dict[b->ndict].open = !value;
		b->ndict++;
	}
	return 0;
}

/*
 * Every "key=value" a label may carry: each value (and value alias) of
 * each object attribute under its name and its aliases.  An int has no
 * entry: labels carry values of a list.  A hash of 0 marks an empty slot
 * and two equal hashes would make two values one: both are refused
 * (rename a value), never guessed around.
 */
static int dict_hash_pairs(struct build *b)
{
	const struct abac_policy *p = b->p;
	const struct abac_attr_def *a;
	unsigned int i, v;
	int err;

	for (i = 0; i < p->noattrs; i++) {
		a = &p->oattrs[i];
		if (a->open) {	/* one entry: any value, its word its hash */
			err = dict_add(b, a, i, NULL, 0);
			if (err)
				return err;
			continue;
		}
		if (abac_attr_is_enum(a))
			continue;	/* in the label table: build_enums() */
		for (v = 0; v < a->nvalues; v++) {
			if (!abac_attr_legal(a, v))
				continue;
			err = dict_add(b, a, i, a->values[v], v);
			if (err)
				return err;
		}
		for (v = 0; v < a->naliases; v++) {
			if (a->alias_to[v] < 0)
				continue;
			err = dict_add(b, a, i, a->alias[v], a->alias_to[v]);
			if (err)
				return err;
		}
	}
	return 0;
}

static int cmp_enum_pair(const void *x, const void *y)
{
	const struct enum_pair *a = x, *b = y;

	return a->hash < b->hash ? -1 : a->hash > b->hash;
}

static int cmp_u64(const void *x, const void *y)
{
	__u64 a = *(const __u64 *)x, b = *(const __u64 *)y;

	return a < b ? -1 : a > b;
}

/*
 * The label table: every "key=value" of every large object enumeration
 * (each value and value alias, under the attribute's name and its
 * aliases), sorted by pair hash for abac_enum_find().  Two equal hashes,
 * here or with a dictionary pair, are refused like the dictionary's.
 */
static int build_enums(struct build *b)
{
	const struct abac_policy *p = b->p;
	const struct abac_attr_def *a;
	unsigned int i, k, v, nv;
	const char *key, *val;
	size_t n = 0, j;
	__u64 *dk;

	for (i = 0; i < p->noattrs; i++)
		if (abac_attr_is_enum(&p->oattrs[i]))
			n += (size_t)(p->oattrs[i].nvalues +
				      p->oattrs[i].naliases) *
			     (p->oattrs[i].naliases + 1);
	if (!n)
		return 0;
	b->enums = calloc(n, sizeof(*b->enums));
	if (!b->enums)
		return -ENOMEM;
	for (i = 0; i < p->noattrs; i++) {
		a = &p->oattrs[i];
		if (!abac_attr_is_enum(a))
			continue;
		for (k = 0; k <= a->naliases; k++) {
			if (k && a->alias_to[k - 1] >= 0)
				continue;
			key = k ? a->alias[k - 1] : a->name;
			nv = a->nvalues + a->naliases;
			for (v = 0; v < nv; v++) {
				unsigned int num = v;

				if (v >= a->nvalues) {
					if (a->alias_to[v - a->nvalues] < 0)
						continue;
					num = a->alias_to[v - a->nvalues];
					val = a->alias[v - a->nvalues];
				} else {
					val = a->values[v];
				}
				b->enums[b->nenum].hash = pair_hash(key, val);
				b->enums[b->nenum].ent =
					ABAC_ENUM_ENT(i, ABAC_ENUM_WORD(num));
				b->nenum++;
			}
		}
	}
	if (b->nenum > ABAC_MAX_ENUM_PAIRS) {
		abac_diag_add(b->d, false, pfile(p), 0, 0,
			      "the large enumerations of the object attributes give labels %zu \"key=value\" pairs (values and aliases, under every name of the attribute), more than ABAC_MAX_ENUM_PAIRS (%u)",
			      b->nenum, ABAC_MAX_ENUM_PAIRS);
		return -E2BIG;
	}
	qsort(b->enums, b->nenum, sizeof(*b->enums), cmp_enum_pair);
	dk = malloc((b->ndict + 1) * sizeof(*dk));
	if (!dk)
		return -ENOMEM;
	for (j = 0; j < b->ndict; j++)
		dk[j] = b->dict[j].hash;
	qsort(dk, b->ndict, sizeof(*dk), cmp_u64);
	for (j = 0; j < b->nenum; j++) {
		if ((j && b->enums[j].hash == b->enums[j - 1].hash) ||
		    bsearch(&b->enums[j].hash, dk, b->ndict, sizeof(*dk),
			    cmp_u64)) {
			a = &p->oattrs[ABAC_ENUM_ENT_ATTR(b->enums[j].ent)];
			abac_diag_add(b->d, false, pfile(p), a->line,
				      a->column,
				      "a label pair of %s value '%s' hashes like another pair; rename the value",
				      a->name,
				      a->values[ABAC_ENUM_ENT_WORD(b->enums[j].ent) - 1]);
			free(dk);
			return -EINVAL;
		}
	}
	free(dk);
	return 0;
}

/* The label dictionary. */
static int build_dict(struct build *b)
{
	const struct abac_policy *p = b->p;
	unsigned int i;
	size_t n = 0, k;
	int err;

	for (i = 0; i < p->noattrs; i++)
		if (!abac_attr_is_enum(&p->oattrs[i]))
			n += (p->oattrs[i].nvalues + p->oattrs[i].naliases +
			      1) * (p->oattrs[i].naliases + 1);
	b->dict = calloc(n + 1, sizeof(*b->dict));
	b->dict_keys = calloc(n + 1, sizeof(*b->dict_keys));
	b->dict_slots = calloc(n + 1, sizeof(*b->dict_slots));
	if (!b->dict || !b->dict_keys || !b->dict_slots)
		return -ENOMEM;
	err = dict_hash_pairs(b);
	if (err)
		return err;
	for (k = 0; k < b->ndict; k++)
		b->dict_keys[k] = b->dict[k].hash;
	err = table_size(b->dict_keys, b->ndict, dict_home, ABAC_IMAGE_RECORDS,
			 &b->hdr.dict_size, b->dict_slots);
	if (err == -E2BIG)
		abac_diag_add(b->d, false, pfile(p), 0, 0,
			      "the label dictionary cannot be laid out");
	return err ? err : build_enums(b);
}

/* Templates first, in binding order; then cgroups by id. */
static int subj_cmp(const void *a, const void *b)
{
	const struct subj *x = a, *y = b;

	if (!x->bind != !y->bind)
		return x->bind ? -1 : 1;
	if (x->bind)
		return x->bind < y->bind ? -1 : x->bind > y->bind;
	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Entry @i of the subjects being resolved: the tagged cgroups @s (the
 * first b->nreal), then the bindings' templates (b->tin).
 */
static const struct abac_subject *subj_in(const struct build *b,
					  const struct abac_subject *s,
					  size_t i)
{
	return i < b->nreal ? &s[i] : &b->tin[i - b->nreal];
}

/* Is the cgroup at @anc (relative path, "/" the root) above @path? */
static bool cg_is_ancestor(const char *anc, const char *path)
{
	size_t len = strlen(anc);

	if (!strcmp(anc, "/"))
		return strcmp(path, "/") != 0;
	return !strncmp(path, anc, len) && path[len] == '/';
}

/* A copy of @src's words into @dst (empty); the texts are not kept. */
static int set_copy(struct abac_set *dst, const struct abac_set *src)
{
	if (!src->n)
		return 0;
	dst->w = malloc(src->n * sizeof(*dst->w));
	if (!dst->w)
		return -ENOMEM;
	memcpy(dst->w, src->w, src->n * sizeof(*dst->w));
	dst->n = src->n;
	return 0;
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
				const struct abac_subject *sj = subj_in(b, s, j);

				/* a template is no cgroup's ancestor */
				if (j == i || !own[j].v[a] || b->subj[j].bind ||
				    !cg_is_ancestor(sj->path, subj_in(b, s, i)->path))
					continue;
				if (best < 0 || sj->level > best_level) {
					best = (long)j;
					best_level = sj->level;
				}
			}
			if (best < 0)
				continue;
			b->subj[i].attrs.v[a] = own[best].v[a];
			if (set_copy(&b->subj[i].sets[a],
				     &b->subj[best].sets[a])) {
				free(own);
				return -ENOMEM;
			}
		}
	}
	free(own);
	return 0;
}

/* One text a policy names for an open attribute, with its word. */
struct declared {
	__u64 w;
	const char *text;
};

static int declared_cmp(const void *x, const void *y)
{
	const struct declared *a = x, *b = y;

	return a->w < b->w ? -1 : a->w > b->w;
}

static void declared_add(struct build *b, size_t *n, __u64 w,
			 const char *text)
{
	if (b->decl) {
		b->decl[*n].w = w;
		b->decl[*n].text = text;
	}
	(*n)++;
}

/* Every declared value of an open attribute and constant set member. */
static size_t declared_fill(struct build *b)
{
	const struct abac_policy *p = b->p;
	const struct abac_attr_def *a;
	const struct abac_rule_cond *c;
	unsigned int side, i, n, v, j, m;
	size_t k = 0;

	for (side = 0; side < ABAC_SIDE_COUNT; side++) {
		a = abac_policy_attrs(p, side, &n);
		for (i = 0; i < n; i++)
			for (v = 0; a[i].open && v < a[i].nvalues; v++)
				declared_add(b, &k, abac_open_word(a[i].values[v],
						strlen(a[i].values[v])),
					     a[i].values[v]);
	}
	for (i = 0; i < p->nrules; i++)
		for (j = 0; j < p->rules[i].ncond; j++) {
			c = &p->rules[i].conds[j];
			for (m = 0; m < c->set.n; m++)
				declared_add(b, &k, c->set.w[m], c->set.text[m]);
		}
	return k;
}

/* The table member_collides() searches. */
static int build_declared(struct build *b)
{
	b->ndecl = declared_fill(b);
	b->decl = calloc(b->ndecl + 1, sizeof(*b->decl));
	if (!b->decl)
		return -ENOMEM;
	declared_fill(b);
	qsort(b->decl, b->ndecl, sizeof(*b->decl), declared_cmp);
	return 0;
}

/* A declared text that hashes like member @text but differs, or NULL. */
static const char *member_collides(const struct build *b, __u64 w,
				   const char *text)
{
	struct declared key = { .w = w }, *d;

	d = bsearch(&key, b->decl, b->ndecl, sizeof(*b->decl), declared_cmp);
	if (!d)
		return NULL;
	while (d > b->decl && d[-1].w == w)
		d--;
	for (; d < b->decl + b->ndecl && d->w == w; d++)
		if (strcmp(d->text, text))
			return d->text;
	return NULL;
}

/*
 * One subject's tags, the members of its open sets kept; a member that
 * hashes like another text the policy names is refused, as two declared
 * values are (Documentation/scale.rst, "Collisions").
 */
static int subject_resolve(struct build *b, const struct abac_subject *s,
			   struct subj *out)
{
	const char *other;
	unsigned int a, k;

	if (!s->tags[0]) {
		memset(&out->attrs, 0, sizeof(out->attrs));
		abac_diag_add(b->d, false, TAGS_FILE, 0, 0,
			      "no tags: expected key=value pairs");
		return -EINVAL;
	}
	if (attrs_resolve(b->p, ABAC_SIDE_SUBJECT, TAGS_FILE, s->tags,
			  &out->attrs, out->sets, b->d))
		return -EINVAL;
	for (a = 0; a < ABAC_MAX_ATTRS; a++)
		for (k = 0; k < out->sets[a].n; k++) {
			other = member_collides(b, out->sets[a].w[k],
						out->sets[a].text[k]);
			if (!other)
				continue;
			abac_diag_add(b->d, false, TAGS_FILE, 0, 0,
				      "member '%s' of open set '%s' hashes like '%s' (%016llx): rename one",
				      out->sets[a].text[k],
				      b->p->sattrs[a].name, other,
				      (unsigned long long)out->sets[a].w[k]);
			return -EINVAL;
		}
	return 0;
}

/* Resolve every subject's tags, merge inherited ones, sort by cgroup id. */
static int resolve_subjects(struct build *b, const struct abac_subject *s,
			    size_t n)
{
	const char *file = pfile(b->p);
	size_t i;
	int err = 0;

	if (b->nreal > ABAC_MAX_SUBJECTS) {
		abac_diag_add(b->d, false, file, 0, 0,
			      "%zu tagged cgroups (at most %d, ABAC_MAX_SUBJECTS)",
			      b->nreal, ABAC_MAX_SUBJECTS);
		return -E2BIG;
	}
	err = build_declared(b);
	if (err)
		return err;
	b->subj = calloc(n + 1, sizeof(*b->subj));
	b->subj_keys = calloc(n + 1, sizeof(*b->subj_keys));
	b->subj_slots = calloc(n + 1, sizeof(*b->subj_slots));
	if (!b->subj || !b->subj_keys || !b->subj_slots)
		return -ENOMEM;
	b->nsubj = n;
	for (i = 0; i < n; i++) {
		const struct abac_subject *si = subj_in(b, s, i);

		b->subj[i].id = si->cgroup_id;
		b->subj[i].level = si->level;
		if (i >= b->nreal)
			b->subj[i].bind = b->tmpl_bind[i - b->nreal] + 1;
		if (si->level > 0xffff) {	/* struct abac_subj_key.level */
			abac_diag_add(b->d, false, file, 0, 0,
				      "tagged cgroup '%.256s' is %u levels deep (at most 65535)",
				      si->path, si->level);
			err = -EINVAL;
		} else if (!si->cgroup_id && i < b->nreal) {
			abac_diag_add(b->d, false, file, 0, 0,
				      "tagged cgroup '%.256s' has id 0",
				      si->path);
			err = -EINVAL;
		} else if (subject_resolve(b, si, &b->subj[i])) {
			abac_diag_add(b->d, false, file, 0, 0,
				      "the tags of cgroup '%.256s' do not match the policy",
				      si->path);
			err = -EINVAL;
		}
	}
	if (err)
		return err;
	err = merge_inherited_tags(b, s, n);
	if (err)
		return err;
	qsort(b->subj, n, sizeof(*b->subj), subj_cmp);
	b->ntmpl = n - b->nreal;
	for (i = 0; i < b->ntmpl; i++)
		b->hdr.bind_levels |= 1U << (b->subj[i].level & 31);
	for (i = b->ntmpl; i < n; i++) {
		if (i > b->ntmpl && b->subj[i].id == b->subj[i - 1].id) {
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

/*
 * The template of every binding whose parent is known: a subject with no
 * id, one level below the parent, at the parent's path joined with the
 * pattern (so that it inherits as the cgroups it names will), tagged with
 * the binding's attributes.  Returns how many, or a negative errno.
 */
static long make_templates(struct build *b)
{
	const struct abac_policy *p = b->p;
	struct abac_subject *t;
	unsigned int k;
	size_t nt = 0;
	int len;

	if (!b->parents || !p->nbindings)
		return 0;
	b->tin = calloc(p->nbindings, sizeof(*b->tin));
	b->tmpl_bind = calloc(p->nbindings, sizeof(*b->tmpl_bind));
	if (!b->tin || !b->tmpl_bind)
		return -ENOMEM;
	for (k = 0; k < p->nbindings; k++) {
		const struct abac_bind_parent *par = &b->parents[k];
		const struct abac_binding *pb = &p->bindings[k];

		if (!par->id || !par->path)
			continue;	/* not there: the watch tags by id */
		if (strlen(pb->glob) - !!strchr(pb->glob, '*') >
		    ABAC_BIND_NAME_MAX) {
			abac_diag_add(b->d, false, pfile(p), pb->line,
				      pb->column,
				      "binding %s: a name pattern is at most %d bytes (ABAC_BIND_NAME_MAX)",
				      pb->glob, ABAC_BIND_NAME_MAX);
			return -EINVAL;
		}
		t = &b->tin[nt];
		len = snprintf(t->path, sizeof(t->path), "%s/%s",
			       strcmp(par->path, "/") ? par->path : "",
			       pb->glob);
		if (len < 0 || (size_t)len >= sizeof(t->path) ||
		    strlen(pb->tags) >= sizeof(t->tags)) {
			abac_diag_add(b->d, false, pfile(p), pb->line,
				      pb->column,
				      "binding %s: its parent's path or its tags are too long",
				      pb->glob);
			return -EINVAL;
		}
		strcpy(t->tags, pb->tags);
		t->level = par->level + 1;
		b->tmpl_bind[nt++] = k;
	}
	return (long)nt;
}

static int build_subjects(struct build *b, const struct abac_subject *s,
			  size_t n)
{
	long nt;
	int err;

	b->nreal = n;
	nt = make_templates(b);
	if (nt < 0)
		return (int)nt;
	err = resolve_subjects(b, s, n + (size_t)nt);
	if (err)
		return err;
	err = table_size(b->subj_keys + b->ntmpl, b->nreal, subj_home,
			 ABAC_IMAGE_RECORDS / ABAC_SUBJ_RECORDS,
			 &b->hdr.subj_size, b->subj_slots + b->ntmpl);
	if (err == -E2BIG)
		abac_diag_add(b->d, false, pfile(b->p), 0, 0,
			      "%zu tagged cgroups do not fit in an image",
			      b->nreal);
	return err;
}

/*
 * The rule index over the subjects' merged words (tools/lib/index.c), in
 * at most @budget records: past it, subjects keep ABAC_CLASS_NONE and
 * the operation lists.  Builds it again when called again.
 */
static int build_index(struct build *b, size_t budget)
{
	const struct abac_attrs **attrs;
	__u16 *cls;
	size_t i;
	int err;

	abac_rindex_free(&b->ix);
	attrs = calloc(b->nsubj + 1, sizeof(*attrs));
	cls = calloc(b->nsubj + 1, sizeof(*cls));
	err = attrs && cls ? 0 : -ENOMEM;
	for (i = 0; !err && i < b->nsubj; i++)
		attrs[i] = &b->subj[i].attrs;
	if (!err)
		err = abac_rindex_build(b->p, attrs, b->nsubj, budget, cls,
					&b->ix);
	for (i = 0; !err && i < b->nsubj; i++)
		b->subj[i].cls = cls[i];
	free(attrs);
	free(cls);
	return err;
}

/**
 * struct net_ent - one network table entry: one block and one port range
 * of a network object.
 */
struct net_ent {
	const struct abac_net_def *net;
	const struct abac_cidr *cidr;
	__u16 lo, hi;
};

/* Longer prefixes first, then narrower port ranges, then policy order. */
static int net_cmp(const void *x, const void *y)
{
	const struct net_ent *a = x, *b = y;
	unsigned int wa = a->hi - a->lo, wb = b->hi - b->lo;

	if (a->cidr->family != b->cidr->family)
		return a->cidr->family < b->cidr->family ? -1 : 1;
	if (a->cidr->prefix != b->cidr->prefix)
		return a->cidr->prefix > b->cidr->prefix ? -1 : 1;
	if (wa != wb)
		return wa < wb ? -1 : 1;
	return a < b ? -1 : a > b;
}

static int build_nets(struct build *b)
{
	const struct abac_policy *p = b->p;
	const struct abac_net_def *n;
	unsigned int i, c, k, np;
	size_t cnt = 0;

	for (i = 0; i < p->nnets; i++)
		cnt += (size_t)p->nets[i].ncidrs *
		       (p->nets[i].nports ? p->nets[i].nports : 1);
	if (cnt > ABAC_MAX_NETS) {
		abac_diag_add(b->d, false, pfile(p), 0, 0,
			      "%zu network blocks x port ranges (at most %d)",
			      cnt, ABAC_MAX_NETS);
		return -E2BIG;
	}
	b->nets = calloc(cnt + 1, sizeof(*b->nets));
	if (!b->nets)
		return -ENOMEM;
	for (i = 0; i < p->nnets; i++) {
		n = &p->nets[i];
		np = n->nports ? n->nports : 1;
		for (c = 0; c < n->ncidrs; c++)
			for (k = 0; k < np; k++) {
				struct net_ent *e = &b->nets[b->nnets++];

				e->net = n;
				e->cidr = &n->cidrs[c];
				e->lo = n->nports ? n->port_lo[k] : 0;
				e->hi = n->nports ? n->port_hi[k] : 65535;
			}
	}
	qsort(b->nets, b->nnets, sizeof(*b->nets), net_cmp);
	return 0;
}

/* Bytes of the string table: name, timezone, "id\0nlp\0" per rule, nets. */
static size_t strings_len(const struct abac_policy *p)
{
	size_t len = strlen(p->name) + 1 + strlen(p->timezone) + 1;
	const struct abac_attr_def *a;
	unsigned int i, side, n;

	for (i = 0; i < p->nrules; i++)
		len += strlen(p->rules[i].id) + strlen(p->rules[i].nlp) + 2;
	for (i = 0; i < p->nnets; i++)
		len += strlen(p->nets[i].name) + 1;
	for (side = 0; side < ABAC_SIDE_COUNT; side++) {
		a = abac_policy_attrs(p, side, &n);
		for (i = 0; i < n; i++)
			len += strlen(a[i].name) + 1 +
			       (a[i].authority ? strlen(a[i].authority) + 1 : 0) +
			       (a[i].expires ? strlen(a[i].expires) + 1 : 0);
	}
	return len;
}

/*
 * Words of the member table: the constant sets of the rules'
 * conditions, then the open sets of every subject.  (The members a
 * capability grant names are searched by the compiler, not the kernel.)
 */
static __u32 count_members(const struct build *b)
{
	const struct abac_policy *p = b->p;
	unsigned int i, j, a;
	size_t n = 0;

	for (i = 0; i < p->nrules; i++)
		for (j = 0; j < p->rules[i].ncond; j++)
			n += p->rules[i].conds[j].set.n;
	for (i = 0; i < b->nsubj; i++)
		for (a = 0; a < ABAC_MAX_ATTRS; a++)
			n += b->subj[i].sets[a].n;
	n += 2 * b->nenum;	/* the label table: hashes, then entries */
	/* more than an image holds: refused by its size in layout() */
	return n > ABAC_IMAGE_RECORDS * 2 ? ABAC_IMAGE_RECORDS * 2 : n;
}

/*
 * Where the conditions of a rule with @n of them go when the next free
 * condition record is @pos: there, unless they would take the stamp of a
 * chunk or cross into the next chunk; then just after that chunk's stamp.
 */
static __u64 cond_place(__u64 pos, unsigned int n)
{
	if (!n)
		return pos;
	if (!(pos % ABAC_CHUNK_RECORDS) ||
	    pos / ABAC_CHUNK_RECORDS != (pos + n - 1) / ABAC_CHUNK_RECORDS)
		pos = (pos + n - 1) / ABAC_CHUNK_RECORDS * ABAC_CHUNK_RECORDS +
		      1;
	return pos;
}

/*
 * Offsets and counts of every table; the image's records.  The tables a
 * BPF program reads come first (they must end in the first map value:
 * abac_image_bpf_fits()), the rule index and the member table among
 * them; then the conditions, none across a chunk; the strings last.
 */
static __u64 layout_offsets(struct build *b)
{
	struct abac_image_hdr *h = &b->hdr;
	const struct abac_policy *p = b->p;
	size_t str_len;
	__u64 pos;
	unsigned int i, op;

	h->noplist = 0;
	for (i = 0; i < p->nrules; i++)
		for (op = 0; op < ABAC_OP_COUNT; op++)
			h->noplist += !!(p->rules[i].ops & (1U << op));
	str_len = strings_len(p);
	h->nrules = p->nrules;
	h->rules_off = ABAC_HDR_RECORDS;
	h->dict_off = h->rules_off + h->nrules;
	h->subj_off = h->dict_off + h->dict_size;
	h->defaults_off = h->subj_off + h->subj_size * ABAC_SUBJ_RECORDS;
	h->opidx_off = h->defaults_off + ABAC_SIDE_COUNT * ABAC_ATTRS_RECORDS;
	h->oplist_off = h->opidx_off + ABAC_OPIDX_RECORDS;
	h->ncls = b->ix.ncls;
	h->cls_off = h->oplist_off + (h->noplist + 3) / 4;
	h->clist_off = h->cls_off + h->ncls * ABAC_CLS_RECORDS;
	h->nclist = b->ix.nlist;
	h->bkt_off = h->clist_off + (h->nclist + 3) / 4;
	h->nbkt = b->ix.nbkt;
	h->nets_off = h->bkt_off + (h->nbkt + 1) / 2;
	h->nnets = b->nnets;
	h->meta_off = h->nets_off + h->nnets * ABAC_NET_RECORDS;
	h->key_off = h->meta_off + p->nsattrs + p->noattrs + p->neattrs;
	h->members_off = h->key_off + 1;
	h->nmembers = count_members(b);
	h->enum_first = 0;	/* written first: write_enums() */
	h->nenum = b->nenum;
	h->nbind = b->ntmpl;
	/* 0 without bindings: such an image is format 4's byte for byte */
	h->bind_off = h->nbind ? h->members_off + (h->nmembers + 1) / 2 : 0;
	h->conds_off = h->members_off + (h->nmembers + 1) / 2 +
		       h->nbind * ABAC_BIND_RECORDS;
	for (i = 0, pos = h->conds_off; i < p->nrules; i++)
		pos = cond_place(pos, p->rules[i].ncond) + p->rules[i].ncond;
	b->nconds = pos - h->conds_off;
	h->nconds = b->nconds;
	h->str_off = pos;
	h->str_len = str_len;
	return pos + (str_len + ABAC_REC_SIZE - 1) / ABAC_REC_SIZE;
}

/* The records the rule index takes in the layout. */
static __u64 index_records(const struct abac_image_hdr *h)
{
	return (__u64)h->ncls * ABAC_CLS_RECORDS + (h->nclist + 3) / 4 +
	       (h->nbkt + 1) / 2;
}

/*
 * Offsets and counts of every table; the image's size.  When the rule
 * index is what pushes the tables BPF reads past the first map value
 * (ABAC_MEMBERS_END), or the image past ABAC_IMAGE_RECORDS, the index is
 * built again in what is left (none at all, at worst): a policy that fits
 * without the index is never refused because of it.
 */
static int layout(struct build *b, size_t *len)
{
	struct abac_image_hdr *h = &b->hdr;
	const struct abac_policy *p = b->p;
	__u64 total, idx, head, room;
	int err;

	total = layout_offsets(b);
	idx = index_records(h);
	if (idx && (total > ABAC_IMAGE_RECORDS ||
		    h->conds_off > ABAC_MEMBERS_END)) {
		head = h->conds_off - idx;
		room = head < ABAC_MEMBERS_END ? ABAC_MEMBERS_END - head : 0;
		if (total - idx >= ABAC_IMAGE_RECORDS)
			room = 0;
		else if (room > ABAC_IMAGE_RECORDS - (total - idx))
			room = ABAC_IMAGE_RECORDS - (total - idx);
		err = build_index(b, room);
		if (err)
			return err;
		total = layout_offsets(b);
	}
	if (h->conds_off > ABAC_MEMBERS_END && h->nmembers) {
		abac_diag_add(b->d, false, pfile(p), 0, 0,
			      "the members of the open sets, the constant lists and the label table of %u large enumeration pairs (%u words) end past record %u, where BPF reads them (ABAC_SET_MEMBERS is %d a set, ABAC_MAX_ENUM_PAIRS %u pairs): fewer members, values or tagged cgroups",
			      h->nenum, h->nmembers, ABAC_MEMBERS_END,
			      ABAC_SET_MEMBERS, ABAC_MAX_ENUM_PAIRS);
		return -E2BIG;
	}
	if (total > ABAC_IMAGE_RECORDS) {
		abac_diag_add(b->d, false, pfile(p), 0, 0,
			      "the compiled policy needs %llu records, more than ABAC_IMAGE_RECORDS (%u): fewer rules, shorter sentences, fewer tagged cgroups or set members",
			      (unsigned long long)total, ABAC_IMAGE_RECORDS);
		return -E2BIG;
	}
	h->total_records = total;
	*len = total * ABAC_REC_SIZE;
	return 0;
}

static void *rec(struct build *b, __u32 idx)
{
	return b->img + (size_t)idx * ABAC_REC_SIZE;
}

static void *rec_at(struct build *b, __u32 idx)
{
	return rec(b, idx);
}

/* Write @m at the member table's cursor: its handle. */
static __u64 write_members(struct build *b, const struct abac_set *m)
{
	__u64 *t = rec(b, b->hdr.members_off);
	__u32 first = b->mcur;

	memcpy(t + first, m->w, m->n * sizeof(*t));
	b->mcur += m->n;
	return ABAC_SET_WORD(first, m->n);
}

/* The label table, at the start of the member table. */
static void write_enums(struct build *b)
{
	__u64 *t = rec(b, b->hdr.members_off);
	size_t j;

	for (j = 0; j < b->nenum; j++) {
		t[j] = b->enums[j].hash;
		t[b->nenum + j] = b->enums[j].ent;
	}
	b->mcur = 2 * b->nenum;
}

static __u32 write_conds(struct build *b, __u32 idx,
			 const struct abac_rule_def *r)
{
	const struct abac_rule_cond *in;
	struct abac_cond *c;
	unsigned int i;

	for (i = 0; i < r->ncond; i++, idx++) {
		in = &r->conds[i];
		c = rec(b, idx);
		c->side = in->side;
		c->attr = in->attr;
		c->kind = in->kind;
		c->rhs = in->rhs;
		c->rhs_side = in->rhs_side;
		c->mask = in->mask;
		if (abac_cond_takes_set(in->kind))
			c->mask = write_members(b, &in->set);
	}
	return idx;
}

/* Copy @s at @off of the string table; the offset after it. */
static __u32 put_str(char *str, __u32 off, const char *s)
{
	size_t n = strlen(s) + 1;

	memcpy(str + off, s, n);
	return off + n;
}

static void write_meta(struct build *b, char *str, __u32 off);

/* Rules, their conditions, the operation lists and the strings. */
static void write_rules(struct build *b)
{
	const struct abac_policy *p = b->p;
	const struct abac_rule_def *r;
	char *str = (char *)rec(b, b->hdr.str_off);
	__u32 cond = b->hdr.conds_off, off, n = 0, *list;
	struct abac_op_span *span;
	struct abac_rule *out;
	unsigned int i, op;

	off = put_str(str, 0, p->name);
	b->hdr.tz_str = off;
	off = put_str(str, off, p->timezone);
	for (i = 0; i < p->nrules; i++) {
		r = &p->rules[i];
		out = rec(b, b->hdr.rules_off + i);
		out->ops = r->ops;
		out->effect = r->effect;
		out->ncond = r->ncond;
		out->layer = r->layer;
		cond = cond_place(cond, r->ncond);
		out->cond = cond;
		out->str = off;
		cond = write_conds(b, cond, r);
		off = put_str(str, off, r->id);
		off = put_str(str, off, r->nlp);
	}
	span = rec(b, b->hdr.opidx_off);
	list = rec(b, b->hdr.oplist_off);
	for (op = 0; op < ABAC_OP_COUNT; op++) {
		span[op].first = n;
		for (i = 0; i < p->nrules; i++)
			if (p->rules[i].ops & (1U << op))
				list[n++] = i;
		span[op].count = n - span[op].first;
	}
	for (i = 0; i < b->nnets; i++) {
		struct abac_net *net = rec(b, b->hdr.nets_off +
					     i * ABAC_NET_RECORDS);
		const struct net_ent *e = &b->nets[i];
		unsigned int k;

		net->family = e->cidr->family;
		net->prefix = e->cidr->prefix;
		net->port_lo = e->lo;
		net->port_hi = e->hi;
		memcpy(net->addr, e->cidr->addr, sizeof(net->addr));
		net->name_str = off;
		for (k = 0; k < i; k++)
			if (b->nets[k].net == e->net)
				break;
		if (k < i)	/* the same network: one copy of its name */
			net->name_str = ((struct abac_net *)
				rec(b, b->hdr.nets_off + k * ABAC_NET_RECORDS))->name_str;
		else
			off = put_str(str, off, e->net->name);
		memcpy(rec(b, b->hdr.nets_off + i * ABAC_NET_RECORDS + 2),
		       &e->net->attrs, sizeof(e->net->attrs));
	}
	write_meta(b, str, off);
}

/* One record per attribute: names and metadata, after the rules' strings. */
static void write_meta(struct build *b, char *str, __u32 off)
{
	const struct abac_attr_def *a;
	struct abac_attr_meta *m;
	unsigned int side, i, n;
	__u32 rec = b->hdr.meta_off;

	for (side = 0; side < ABAC_SIDE_COUNT; side++) {
		a = abac_policy_attrs(b->p, side, &n);
		for (i = 0; i < n; i++, rec++) {
			m = rec_at(b, rec);
			m->type = a[i].type;
			m->side = side;
			m->flags = a[i].open ? ABAC_META_OPEN :
				   abac_attr_is_enum(&a[i]) ? ABAC_META_ENUM :
				   0;
			m->name_str = off;
			off = put_str(str, off, a[i].name);
			m->authority_str = ABAC_STR_NONE;
			m->expires_str = ABAC_STR_NONE;
			if (a[i].authority) {
				m->authority_str = off;
				off = put_str(str, off, a[i].authority);
			}
			if (a[i].expires) {
				m->expires_str = off;
				off = put_str(str, off, a[i].expires);
			}
		}
	}
}

static void write_defaults(struct build *b)
{
	const struct abac_attr_def *a;
	unsigned int side, i, n;
	__u64 *def;

	for (side = 0; side < ABAC_SIDE_COUNT; side++) {
		a = abac_policy_attrs(b->p, side, &n);
		def = rec(b, b->hdr.defaults_off + side * ABAC_ATTRS_RECORDS);
		for (i = 0; i < n; i++)
			def[i] = a[i].def;
	}
}

static void write_dict(struct build *b)
{
	struct abac_dict_ent *e;
	size_t k;

	for (k = 0; k < b->ndict; k++) {
		e = rec(b, b->hdr.dict_off + b->dict_slots[k]);
		e->hash = b->dict[k].hash;
		e->attr = b->dict[k].attr;
		e->bit = b->dict[k].bit;
		e->flags = (b->dict[k].single ? ABAC_DICT_SINGLE : 0) |
			   (b->dict[k].open ? ABAC_DICT_OPEN : 0);
		/* an open set: every value of its key is a member */
		if (b->dict[k].open && !b->dict[k].single)
			e->flags |= ABAC_DICT_SET;
	}
}

/*
 * Binding @i's record and pattern (the template's key and tags are
 * written as a subject's): the record index of its template slot.
 */
static __u32 write_bind(struct build *b, size_t i)
{
	const struct abac_binding *pb = &b->p->bindings[b->subj[i].bind - 1];
	__u32 idx = b->hdr.bind_off + i * ABAC_BIND_RECORDS;
	struct abac_bind *rb = rec(b, idx);
	const char *star = strchr(pb->glob, '*');
	size_t len = strlen(pb->glob);
	__u8 *pat = rec(b, idx + 1 + ABAC_SUBJ_RECORDS);

	rb->parent_id = b->parents[b->subj[i].bind - 1].id;
	rb->glob = !!star;
	rb->pre_len = star ? (size_t)(star - pb->glob) : len;
	rb->suf_len = star ? len - rb->pre_len - 1 : 0;
	memcpy(pat, pb->glob, rb->pre_len);
	if (star)
		memcpy(pat + rb->pre_len, star + 1, rb->suf_len);
	return idx + 1;
}

/* Subjects, with the capabilities the policy grants each (grants.c). */
static void write_subjects(struct build *b, size_t len)
{
	const struct abac_image img = { b->img, len / ABAC_REC_SIZE };
	struct abac_subj_key *key;
	unsigned int a;
	__u32 idx;
	size_t i;

	for (i = 0; i < b->nsubj; i++) {
		for (a = 0; a < ABAC_MAX_ATTRS; a++)
			if (a < b->p->nsattrs && b->p->sattrs[a].open &&
			    b->p->sattrs[a].type == ABAC_TYPE_SET &&
			    b->subj[i].attrs.v[a])
				b->subj[i].attrs.v[a] =
					write_members(b, &b->subj[i].sets[a]);
		if (i < b->ntmpl) {
			idx = write_bind(b, i);
		} else {
			idx = b->hdr.subj_off +
			      b->subj_slots[i] * ABAC_SUBJ_RECORDS;
		}
		key = rec(b, idx);
		key->cgroup_id = i < b->ntmpl ? ABAC_SUBJ_BOUND : b->subj[i].id;
		key->level = b->subj[i].level;
		key->cls = b->subj[i].cls;
		key->caps = abac_grants_for(b->p, &img, &b->subj[i].attrs);
		memcpy(rec(b, idx + 1), &b->subj[i].attrs,
		       sizeof(b->subj[i].attrs));
	}
}

/* The rule index's tables (tools/lib/index.c). */
static void write_index(struct build *b)
{
	const struct abac_image_hdr *h = &b->hdr;

	if (!h->ncls)
		return;
	memcpy(rec(b, h->cls_off), b->ix.ops,
	       (size_t)h->ncls * ABAC_CLS_RECORDS * sizeof(*b->ix.ops));
	if (h->nclist)
		memcpy(rec(b, h->clist_off), b->ix.list,
		       h->nclist * sizeof(*b->ix.list));
	if (h->nbkt)
		memcpy(rec(b, h->bkt_off), b->ix.bkt,
		       h->nbkt * sizeof(*b->ix.bkt));
}

static void write_header(struct build *b)
{
	const struct abac_policy *p = b->p;
	struct abac_image_hdr *h = &b->hdr;
	struct abac_hash_key *key = rec(b, h->key_off);
	unsigned int i;

	key->k0 = ABAC_HASH_KEY_PUBLIC_K0;
	key->k1 = ABAC_HASH_KEY_PUBLIC_K1;
	h->magic = ABAC_MAGIC;
	h->abi_version = ABAC_ABI_VERSION;
	h->hdr_records = ABAC_HDR_RECORDS;
	h->mode = p->mode;
	h->combining = p->combining;
	h->default_effect = p->default_effect;
	h->name_str = 0;
	h->n_sattrs = p->nsattrs;
	h->n_oattrs = p->noattrs;
	h->n_eattrs = p->neattrs;
	h->nlayers = p->nlayers;
	for (i = 0; i < p->nlayers; i++)
		h->layer_combining[i] = p->layer_combining[i];
	memcpy(b->img, h, sizeof(*h));
}

/* Flag an image whose decisions read the environment: never cached. */
static void mark_env(struct build *b)
{
	struct abac_image_hdr *h = (struct abac_image_hdr *)b->img;
	const struct abac_cond *c;
	__u32 i;

	for (i = 0; i < h->nconds; i++) {
		c = rec(b, h->conds_off + i);
		if (abac_cond_reads_env(c->side, c->kind, c->rhs_side))
			h->flags |= ABAC_HDR_F_ENV;
	}
}

/* The stamp of every chunk the conditions reach past the first. */
static void write_stamps(struct build *b)
{
	const struct abac_image_hdr *h = (const void *)b->img;
	struct abac_chunk_stamp *st;
	__u64 k;

	for (k = 1; k < ABAC_MAX_CHUNKS; k++) {
		if (!abac_rec_is_stamp(h, k * ABAC_CHUNK_RECORDS))
			continue;
		st = rec(b, k * ABAC_CHUNK_RECORDS);
		st->content_hash = h->content_hash;
		st->chunk = k;
		st->magic = ABAC_CHUNK_MAGIC;
	}
}

static void build_free(struct build *b)
{
	size_t i;
	unsigned int a;

	for (i = 0; b->subj && i < b->nsubj; i++)
		for (a = 0; a < ABAC_MAX_ATTRS; a++)
			abac_set_free(&b->subj[i].sets[a]);
	free(b->decl);
	free(b->dict);
	free(b->dict_keys);
	free(b->dict_slots);
	free(b->enums);
	free(b->subj);
	free(b->subj_keys);
	free(b->subj_slots);
	free(b->tin);
	free(b->tmpl_bind);
	free(b->nets);
	abac_rindex_free(&b->ix);
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
 * image would exceed ABAC_IMAGE_RECORDS, -ENOMEM.  An image the BPF
 * backend cannot load (abac_image_bpf_fits()) is still built: user space
 * and the native LSM read it.
 */
int abac_image_build(const struct abac_policy *p,
		     const struct abac_subject *subjects, size_t nsubjects,
		     void **img, size_t *len, struct abac_diags *diags)
{
	return abac_image_build_bound(p, subjects, nsubjects, NULL, img, len,
				      diags);
}

/**
 * abac_image_build_bound() - compile a policy, its subjects and the
 *	bindings the kernel matches by name.
 * @p: the policy.
 * @subjects: the tagged cgroups, or NULL.
 * @nsubjects: entries in @subjects.
 * @parents: per binding of @p (&struct abac_policy.bindings), its parent
 *	cgroup; a binding whose parent has id 0 is left out of the binding
 *	table.  NULL: no binding table.
 * @img: receives the malloc()ed image.
 * @len: receives its length in bytes.
 * @diags: receives the reasons of a failure.
 *
 * As abac_image_build(), and the image's binding table (&struct
 * abac_image_hdr.bind_off) holds, in policy order, each binding whose
 * parent is known: its parent's id, its name pattern and a template
 * subject slot with the attributes a cgroup it names gets (its own, with
 * what it inherits from tagged ancestors of the parent).
 *
 * Return: 0 or a negative errno, as abac_image_build().
 */
int abac_image_build_bound(const struct abac_policy *p,
			   const struct abac_subject *subjects,
			   size_t nsubjects,
			   const struct abac_bind_parent *parents,
			   void **img, size_t *len,
			   struct abac_diags *diags)
{
	struct build b = { .p = p, .d = diags, .parents = parents };
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
		err = build_index(&b, ABAC_INDEX_RECORDS);
	if (!err)
		err = build_nets(&b);
	if (!err)
		err = layout(&b, &n);
	if (err)
		goto free_build;
	b.img = calloc(1, n);
	if (!b.img) {
		err = -ENOMEM;
		goto free_build;
	}
	write_enums(&b);	/* first of the member table */
	write_rules(&b);	/* sets the timezone's string offset */
	write_header(&b);
	mark_env(&b);
	write_defaults(&b);
	write_dict(&b);
	write_subjects(&b, n);
	write_index(&b);
	h = (struct abac_image_hdr *)b.img;
	h->content_hash = abac_image_hash(b.img, n);
	write_stamps(&b);
	*img = b.img;
	*len = n;
free_build:
	if (err == -ENOMEM)
		abac_diag_add(diags, false, pfile(p), 0, 0, "out of memory");
	build_free(&b);
	return err;
}

/**
 * abac_policy_has_open_sets() - does a policy declare an open set?
 * @p: the policy.
 *
 * Return: true when some subject attribute is an open set: the words of
 * its tags then need an image (abac_image_build_for()).
 */
bool abac_policy_has_open_sets(const struct abac_policy *p)
{
	unsigned int i;

	for (i = 0; p && i < p->nsattrs; i++)
		if (p->sattrs[i].open && p->sattrs[i].type == ABAC_TYPE_SET)
			return true;
	return false;
}

/**
 * abac_image_build_for() - compile a policy for one subject given by tags.
 * @p: the policy.
 * @file: the name errors in @tags are reported under ("<subject>").
 * @tags: the subject's pairs, as abac_attrs_resolve() takes them.
 * @img: receives the malloc()ed image, the subject tagged on a cgroup of
 *	its own (id 1).
 * @len: receives its length.
 * @s: receives the subject's words as the image holds them: its open
 *	sets are handles into the image's member table.
 * @diags: receives the errors.
 *
 * For tools that decide offline (abac policy eval, abac policy test): an
 * open set's members are decided only from an image.
 *
 * Return: 0, or a negative errno as abac_image_build().
 */
int abac_image_build_for(const struct abac_policy *p, const char *file,
			 const char *tags, void **img, size_t *len,
			 struct abac_attrs *s, struct abac_diags *diags)
{
	struct abac_subject *one = calloc(1, sizeof(*one));
	const struct abac_attrs *found;
	struct abac_image v;
	struct abac_diags d;
	size_t i;
	int err;

	if (!one)
		return -ENOMEM;
	abac_diags_init(&d);
	err = abac_attrs_resolve(p, ABAC_SIDE_SUBJECT, file, tags, s, &d);
	if (!err && strlen(tags) >= sizeof(one->tags)) {
		abac_diag_add(&d, false, file, 0, 0,
			      "the tags of one subject are at most %d bytes",
			      ABAC_TAGS_MAX - 1);
		err = -E2BIG;
	}
	if (!err) {
		one->cgroup_id = 1;
		strcpy(one->path, "/");
		strcpy(one->tags, tags);
		err = abac_image_build(p, one, 1, img, len, &d);
	}
	if (!err) {
		v = abac_image_view(*img, *len);
		found = abac_subject_find(&v, 1);
		if (found)
			*s = *found;
		else
			err = -EINVAL;
		if (err)
			free(*img);
	}
	for (i = 0; i < d.n; i++)
		abac_diag_add(diags, d.v[i].warning, d.v[i].file, d.v[i].line,
			      d.v[i].column, "%s", d.v[i].msg);
	abac_diags_free(&d);
	free(one);
	return err;
}
