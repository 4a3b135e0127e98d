// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the policy front end: YAML text (or a layered
 * text of several, tools/lib/layers.c) in, through the parser
 * (tools/lib/policy.c) and the compiler (compile.c), to an image
 * that the loader (image.c) must accept and the decision core
 * (lsm/abac_decide.h) must read as the policy model says.
 *
 * Besides the sanitizers' crashes, leaks and undefined behaviour, it
 * aborts when one of these properties fails:
 *  - a refused policy carries at least one error, and no policy;
 *  - every diagnostic names a file, and a line no further than the text;
 *  - a compiled image passes abac_image_check();
 *  - compiling the same policy twice gives the same bytes;
 *  - every declared object "key=value" label resolves to its value's word
 *    (a bit; a large enumeration's number plus one; an open one's hash);
 *  - every tagged subject is found with the attributes its tags give;
 *  - abac_decide() on the image gives the outcome, effect, reason, rule
 *    and layer of the reference (fuzz_ref.h) evaluated on the parsed
 *    model, for every operation, three objects and three environments,
 *    with the subject's class (the rule index) and without;
 *  - the image's binding table matches, for a name each binding's
 *    pattern takes, the binding abacd's abac_binding_find() names, and
 *    its template decides as the reference does on its words.
 *
 * A line "#tags: k=v k=v" anywhere in the input (a YAML comment) adds a
 * subject with those tags, so the tag parser is fuzzed too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libabac.h"
#include "fuzz_common.h"
#include "fuzz_ref.h"
#include "fuzz_tags.h"

#define TAGS_MARK	"#tags:"
#define SUBJ_A		1ULL
#define SUBJ_B		((1ULL << 40) + 7)
#define SUBJ_T		0xfeedULL

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	devnull = fuzz_devnull();
	return 0;
}

/* The text after "#tags:" up to the end of its line, if there is one. */
static bool tags_in_input(const uint8_t *data, size_t size, char *buf,
			  size_t sz)
{
	const uint8_t *m = memmem(data, size, TAGS_MARK, strlen(TAGS_MARK));
	size_t n = 0;

	if (!m)
		return false;
	m += strlen(TAGS_MARK);
	while (m + n < data + size && m[n] != '\n' && n + 1 < sz)
		n++;
	memcpy(buf, m, n);
	buf[n] = '\0';
	return true;
}

/*
 * The parsed model as the reference (fuzz_ref.h) reads it: rules,
 * conditions, layers and defaults from struct abac_policy, not from the
 * image.  *@conds is malloc()ed.
 */
static void ref_policy_of(const struct abac_policy *p,
			  const struct abac_image *v, struct ref_policy *rp,
			  struct ref_rule *rules, struct abac_cond **conds,
			  struct abac_set **csets)
{
	const struct abac_rule_cond *rc;
	const struct abac_attr_def *a;
	struct abac_cond *c;
	struct abac_set *cs;
	unsigned int i, j, n = 0, side, na;

	for (i = 0; i < p->nrules; i++)
		n += p->rules[i].ncond;
	c = *conds = calloc(n + 1, sizeof(*c));
	cs = *csets = calloc(n + 1, sizeof(*cs));
	FUZZ_ASSERT(c && cs);
	memset(rp, 0, sizeof(*rp));
	/* the subjects' sets are in the image's member table */
	rp->members = abac_rec(v, abac_hdr(v)->members_off);
	rp->nmembers = abac_hdr(v)->nmembers;
	for (i = 0; i < p->nrules; i++) {
		rules[i].ops = p->rules[i].ops;
		rules[i].effect = p->rules[i].effect;
		rules[i].layer = p->rules[i].layer;
		rules[i].ncond = p->rules[i].ncond;
		rules[i].conds = c;
		rules[i].csets = cs;
		for (j = 0; j < p->rules[i].ncond; j++, c++, cs++) {
			rc = &p->rules[i].conds[j];
			*cs = rc->set;	/* the policy's own members */
			c->side = rc->side;
			c->attr = rc->attr;
			c->kind = rc->kind;
			c->rhs = rc->rhs;
			c->rhs_side = rc->rhs_side;
			c->mask = rc->mask;
		}
	}
	rp->nrules = p->nrules;
	rp->rules = rules;
	rp->nlayers = p->nlayers;
	for (i = 0; i < p->nlayers && i < ABAC_MAX_LAYERS; i++)
		rp->comb[i] = p->layer_combining[i];
	rp->default_effect = p->default_effect;
	for (side = 0; side < ABAC_SIDE_COUNT; side++) {
		a = abac_policy_attrs(p, side, &na);
		for (i = 0; i < na && i < ABAC_MAX_ATTRS; i++)
			rp->defaults[side][i] = a[i].def;
	}
}

/*
 * Every declared object pair, as a label, resolves to its bit (an open
 * attribute's value: to the hash of its text).
 */
static void check_labels(const struct abac_policy *p,
			 const struct abac_image *v)
{
	struct abac_label_pairs pairs;
	struct abac_object ob;
	char label[ABAC_NAME_MAX + 1 + ABAC_VALUE_ESC_BYTES];
	const char *val;
	unsigned int i, k;
	bool set;
	int n;

	for (i = 0; i < p->noattrs; i++) {
		for (k = 0; k < p->oattrs[i].nvalues; k++) {
			if (p->oattrs[i].type == ABAC_TYPE_INT ||
			    !abac_attr_legal(&p->oattrs[i], k))
				continue;
			/* the value escaped, as a label writes it */
			val = p->oattrs[i].values[k];
			n = snprintf(label, sizeof(label), "%s=",
				     p->oattrs[i].name);
			n += abac_value_escape(val, strlen(val), label + n,
					       sizeof(label) - n);
			memset(&ob, 0, sizeof(ob));
			FUZZ_ASSERT(!abac_label_parse_obj(v, (const __u8 *)label,
							  n, &pairs, &ob));
			set = p->oattrs[i].open &&
			      p->oattrs[i].type == ABAC_TYPE_SET;
			/* an open set's one member, in the object's store */
			FUZZ_ASSERT(!set || (ob.n == 1 && ob.m[0] ==
				abac_open_word(val, strlen(val))));
			FUZZ_ASSERT(ob.a.v[i] == (set ? ABAC_SET_OBJ_WORD(0, 1) :
				p->oattrs[i].open ?
				abac_open_word(val, strlen(val)) :
				abac_attr_num_word(&p->oattrs[i], k)));
		}
	}
}

/*
 * Attributes of @side: attribute i takes word @pick + i + salt of its
 * own (PICK_*), or is absent when (i + salt) % 3 == 0.
 */
static void attrs_of(const struct abac_policy *p, unsigned int side,
		     unsigned int salt, struct abac_attrs *out)
{
	const struct abac_attr_def *a;
	unsigned int i, n;

	memset(out, 0, sizeof(*out));
	a = abac_policy_attrs(p, side, &n);
	for (i = 0; i < n && i < ABAC_MAX_ATTRS; i++)
		if ((i + salt) % 3)
			out->v[i] = fuzz_word(&a[i], (i + salt) % PICK_COUNT);
}

/*
 * The words of subject @s in the image are those abac_tags_resolve()
 * gave, but for an open set, which only the image holds: there the
 * same count of members.
 */
static bool same_words(const struct abac_policy *p, const struct abac_attrs *s,
		       const struct abac_attrs *want)
{
	unsigned int i;

	for (i = 0; i < ABAC_MAX_ATTRS; i++) {
		if (i < p->nsattrs && p->sattrs[i].open &&
		    p->sattrs[i].type == ABAC_TYPE_SET && want->v[i]) {
			if (ABAC_SET_FIRST(want->v[i]) != ABAC_SET_UNRESOLVED ||
			    ABAC_SET_COUNT(s->v[i]) != ABAC_SET_COUNT(want->v[i]) ||
			    !(s->v[i] & ABAC_SET_BIT))
				return false;
			continue;
		}
		if (s->v[i] != want->v[i])
			return false;
	}
	return true;
}

/*
 * The object of salt @salt: attrs_of()'s words, but its open sets as a
 * label gives them: members of their declared values (fuzz_members_of()),
 * parsed into the object member store by the kernel's parser.  More
 * members than a label may give leave the open sets absent.
 */
static void object_of(const struct abac_policy *p, const struct abac_image *v,
		      unsigned int salt, struct abac_object *ob)
{
	static char label[ABAC_LABEL_MAX + 1];
	char members[ABAC_LABEL_MAX / 2];
	struct abac_label_pairs pairs;
	struct abac_object tmp;
	unsigned int i;
	size_t o = 0;

	memset(ob, 0, sizeof(*ob));
	attrs_of(p, ABAC_SIDE_OBJECT, salt, &ob->a);
	for (i = 0; i < p->noattrs && i < ABAC_MAX_ATTRS; i++) {
		if (!p->oattrs[i].open || p->oattrs[i].type != ABAC_TYPE_SET)
			continue;
		ob->a.v[i] = 0;
		if (!((i + salt) % 3))
			continue;
		fuzz_members_of(&p->oattrs[i], (i + salt) % PICK_COUNT,
				members, sizeof(members));
		if (members[0] && o + strlen(members) + ABAC_NAME_MAX + 3 <
				  sizeof(label))
			o += snprintf(label + o, sizeof(label) - o, "%s%s=%s",
				      o ? ";" : "", p->oattrs[i].name, members);
	}
	if (!o)
		return;
	memset(&tmp, 0, sizeof(tmp));
	if (abac_label_parse_obj(v, (const __u8 *)label, o, &pairs, &tmp))
		return;	/* more than ABAC_LABEL_SET_MEMBERS, or too long */
	for (i = 0; i < p->noattrs && i < ABAC_MAX_ATTRS; i++)
		if (p->oattrs[i].open && p->oattrs[i].type == ABAC_TYPE_SET)
			ob->a.v[i] = tmp.a.v[i];
	memcpy(ob->m, tmp.m, sizeof(ob->m));
	ob->n = tmp.n;
}

/*
 * For every operation, three objects, three environments (one with no
 * environment at all) and the subject found by its cgroup: the core's
 * decision is the reference's on the parsed model.
 */
static void check_decisions(const struct abac_policy *p,
			    const struct ref_policy *rp,
			    const struct abac_image *v, __u64 cgroup_id,
			    const struct abac_attrs *want)
{
	const struct abac_attrs *s = abac_subject_find(v, cgroup_id);
	const struct abac_subj_key *key;
	struct abac_decision got, ref;
	struct abac_request rq = { .ostore = 1 };
	struct abac_object ob;
	struct abac_env env;
	unsigned int op, salt, e;

	FUZZ_ASSERT(s);
	FUZZ_ASSERT(same_words(p, s, want));
	key = (const struct abac_subj_key *)s - 1;
	FUZZ_ASSERT(key->cls <= abac_hdr(v)->ncls);
	for (salt = 0; salt < 3; salt++) {
		object_of(p, v, salt, &ob);
		for (e = 0; e < 3; e++) {
			memset(&env, 0, sizeof(env));
			attrs_of(p, ABAC_SIDE_ENV, salt + e, &env.a);
			env.minute = (salt * 613 + e * 347) %
				     ABAC_MINUTES_PER_DAY;
			env.wday = (salt * 3 + e) % 7;
			rq.s = s;
			rq.o = &ob.a;
			rq.e = e == 2 ? NULL : &env;
			for (op = 0; op < ABAC_OP_COUNT; op++) {
				rq.cls = ABAC_CLASS_NONE;
				abac_decide(v, op, &rq, &got);
				ref_decide(rp, op, &rq, &ref);
				ref_check(&got, &ref);
				/* the rule index decides as the model too */
				rq.cls = key->cls;
				abac_decide(v, op, &rq, &got);
				ref_check(&got, &ref);
			}
		}
	}
}

/*
 * Parents for @p's bindings: bindings under one directory share an id;
 * the paths are kept in @paths.  Returns the array.
 */
static struct abac_bind_parent *parents_of(const struct abac_policy *p,
					   char (*paths)[300])
{
	struct abac_bind_parent *par;
	unsigned int k, j;

	par = calloc(p->nbindings + 1, sizeof(*par));
	FUZZ_ASSERT(par);
	for (k = 0; k < p->nbindings; k++) {
		for (j = 0; j < k; j++)
			if (!strcmp(p->bindings[j].dir, p->bindings[k].dir))
				break;
		snprintf(paths[k], sizeof(paths[k]), "/%s",
			 p->bindings[k].dir);
		par[k].id = 0x100 + j;
		par[k].level = 2;
		par[k].path = paths[k];
	}
	return par;
}

/*
 * For each binding, a name its pattern takes ('*' as "x"): the kernel's
 * matcher finds the template of the binding abacd's matcher names, and
 * that template decides as the reference on its words.
 */
static void check_bindings(const struct abac_policy *p,
			   const struct ref_policy *rp,
			   const struct abac_image *v,
			   const struct abac_bind_parent *par)
{
	const struct abac_image_hdr *h = abac_hdr(v);
	struct abac_decision got, ref;
	struct abac_request rq = {};
	const struct abac_subj_key *key;
	const struct abac_binding *b;
	__u8 name[ABAC_BIND_NAME_MAX + 1];
	struct abac_attrs o;
	unsigned int k, op;
	const char *star;
	size_t len;
	__u32 idx;

	FUZZ_ASSERT(h->nbind == p->nbindings);
	for (k = 0; k < p->nbindings; k++) {
		memset(name, 0, sizeof(name));
		star = strchr(p->bindings[k].glob, '*');
		len = star ? (size_t)(star - p->bindings[k].glob) :
			     strlen(p->bindings[k].glob);
		memcpy(name, p->bindings[k].glob, len);
		if (star) {
			name[len++] = 'x';
			memcpy(name + len, star + 1, strlen(star + 1));
			len += strlen(star + 1);
		}
		if (len > ABAC_BIND_NAME_MAX)
			continue;
		b = abac_binding_find(p, p->bindings[k].dir, (char *)name);
		FUZZ_ASSERT(b);
		idx = abac_bind_find(v, par[k].id, name, len);
		FUZZ_ASSERT(idx == h->bind_off +
				   (b - p->bindings) * ABAC_BIND_RECORDS + 1);
		/* no other parent */
		FUZZ_ASSERT(!abac_bind_find(v, 0x100 + p->nbindings, name,
					    len));
		key = abac_rec(v, idx);
		FUZZ_ASSERT(key && key->cgroup_id == ABAC_SUBJ_BOUND);
		rq.s = abac_span(v, idx + 1, ABAC_SUBJ_RECORDS - 1);
		FUZZ_ASSERT(rq.s);
		attrs_of(p, ABAC_SIDE_OBJECT, k, &o);
		rq.o = &o;
		rq.e = NULL;
		for (op = 0; op < ABAC_OP_COUNT; op++) {
			rq.cls = ABAC_CLASS_NONE;
			abac_decide(v, op, &rq, &got);
			ref_decide(rp, op, &rq, &ref);
			ref_check(&got, &ref);
			rq.cls = key->cls;
			abac_decide(v, op, &rq, &got);
			ref_check(&got, &ref);
		}
	}
}

static void compile_and_check(const struct abac_policy *p,
			      const uint8_t *data, size_t size)
{
	struct abac_bind_parent *par = NULL;
	char (*paths)[300] = NULL;
	struct abac_subject *subj;
	struct abac_attrs want[3];
	struct abac_cond *conds;
	struct abac_set *csets;
	struct ref_policy rp;
	struct ref_rule *rules;
	struct abac_diags d;
	struct abac_image v;
	void *img = NULL, *img2 = NULL;
	size_t len, len2, n = 0, i;
	int err;

	subj = calloc(3, sizeof(*subj));
	FUZZ_ASSERT(subj);
	abac_diags_init(&d);
	if (p->nsattrs) {
		subj[0].cgroup_id = SUBJ_A;
		fuzz_tags_of(p, PICK_LOW, subj[0].tags, sizeof(subj[0].tags));
		subj[1].cgroup_id = SUBJ_B;
		subj[1].level = 3;
		fuzz_tags_of(p, PICK_HIGH, subj[1].tags, sizeof(subj[1].tags));
		n = 2;
	}
	if (tags_in_input(data, size, subj[n].tags, sizeof(subj[n].tags))) {
		subj[n].cgroup_id = SUBJ_T;
		subj[n].level = 1;
		if (abac_tags_resolve(p, subj[n].tags, &want[n], &d))
			FUZZ_ASSERT(d.errors);
		else
			n++;
	}
	for (i = 0; i < n; i++)
		FUZZ_ASSERT(!abac_tags_resolve(p, subj[i].tags, &want[i], &d));
	abac_diags_free(&d);

	if (p->nbindings) {
		paths = calloc(p->nbindings, sizeof(*paths));
		FUZZ_ASSERT(paths);
		par = parents_of(p, paths);
	}
	err = abac_image_build_bound(p, subj, n, par, &img, &len, &d);
	fuzz_check_diags(&d, err, data, size);
	if (err)
		goto out;
	FUZZ_ASSERT(!abac_image_check(img, len, &d));
	FUZZ_ASSERT(!abac_image_build_bound(p, subj, n, par, &img2, &len2,
					    &d));
	FUZZ_ASSERT(len == len2 && !memcmp(img, img2, len));
	v = abac_image_view(img, len);
	check_labels(p, &v);
	rules = calloc(p->nrules + 1, sizeof(*rules));
	FUZZ_ASSERT(rules);
	ref_policy_of(p, &v, &rp, rules, &conds, &csets);
	for (i = 0; i < n; i++)
		check_decisions(p, &rp, &v, subj[i].cgroup_id, &want[i]);
	if (par)
		check_bindings(p, &rp, &v, par);
	free(csets);
	free(conds);
	free(rules);
	abac_image_dump(img, len, devnull, false);
	abac_image_dump(img, len, devnull, true);
out:
	abac_diags_free(&d);
	free(img);
	free(img2);
	free(subj);
	free(par);
	free(paths);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct abac_policy *p = NULL;
	struct abac_diags d;
	int err;

	abac_diags_init(&d);
	/* one YAML policy, or a layered text of several (layers.c) */
	err = abac_policy_parse_source("fuzz.yaml", (const char *)data, size,
				       &p, &d);
	fuzz_check_diags(&d, err, data, size);
	abac_diags_print(&d, devnull);
	if (err)
		FUZZ_ASSERT(!p);
	else
		compile_and_check(p, data, size);
	abac_policy_free(p);
	abac_diags_free(&d);
	return 0;
}
