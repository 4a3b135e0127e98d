// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the policy front end: YAML text in, through the
 * parser (tools/lib/policy.c) and the compiler (compile.c), to an image
 * that the loader (image.c) must accept and the decision core
 * (lsm/abac_decide.h) must read as the policy model says.
 *
 * Besides the sanitizers' crashes, leaks and undefined behaviour, it
 * aborts when one of these properties fails:
 *  - a refused policy carries at least one error, and no policy;
 *  - every diagnostic names a file, and a line no further than the text;
 *  - a compiled image passes abac_image_check();
 *  - compiling the same policy twice gives the same bytes;
 *  - every declared object "key=value" label resolves to its value's bit;
 *  - every tagged subject is found with the attributes its tags give;
 *  - abac_decide() on the image agrees with deny-overrides evaluated on
 *    the parsed model, for every operation.
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

/* "k=v k=v" with value @pick(a) of every subject attribute. */
static void tags_of(const struct abac_policy *p, bool last, char *buf,
		    size_t sz)
{
	const struct abac_attr_def *a;
	size_t o = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < p->nsattrs && o < sz; i++) {
		a = &p->sattrs[i];
		o += snprintf(buf + o, sz - o, "%s%s=%s", i ? " " : "",
			      a->name, a->values[last ? a->nvalues - 1 : 0]);
	}
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

/* Deny-overrides on the parsed model: the reference for abac_decide(). */
static void model_decide(const struct abac_policy *p, unsigned int op,
			 const struct abac_attrs *s,
			 const struct abac_attrs *o,
			 struct abac_decision *d)
{
	const struct abac_rule_def *r;
	__u32 i, j, allow = ABAC_RULE_NONE;
	bool holds;

	for (i = 0; i < p->nrules; i++) {
		r = &p->rules[i];
		if (!(r->ops & (1U << op)))
			continue;
		holds = true;
		for (j = 0; j < r->nsubj; j++)
			holds = holds && (s->v[r->subj[j].attr] & r->subj[j].mask);
		for (j = 0; j < r->nobj; j++)
			holds = holds && (o->v[r->obj[j].attr] & r->obj[j].mask);
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
	d->effect = allow == ABAC_RULE_NONE ? p->default_effect : ABAC_ALLOW;
}

/* Every declared object pair, as a label, resolves to its bit. */
static void check_labels(const struct abac_policy *p,
			 const struct abac_image *v)
{
	struct abac_label_pairs pairs;
	struct abac_attrs o;
	char label[2 * ABAC_NAME_MAX + 2];
	unsigned int i, k;
	int n;

	for (i = 0; i < p->noattrs; i++) {
		for (k = 0; k < p->oattrs[i].nvalues; k++) {
			n = snprintf(label, sizeof(label), "%s=%s",
				     p->oattrs[i].name, p->oattrs[i].values[k]);
			memset(&o, 0, sizeof(o));
			FUZZ_ASSERT(!abac_label_parse(v, (const __u8 *)label,
						      n, &pairs, &o));
			FUZZ_ASSERT(o.v[i] == 1ULL << k);
		}
	}
}

/* The object whose attribute i holds value (i + salt) % nvalues. */
static void object_of(const struct abac_policy *p, unsigned int salt,
		      struct abac_attrs *o)
{
	unsigned int i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < p->noattrs; i++)
		if (p->oattrs[i].nvalues && (i + salt) % 3)
			o->v[i] = 1ULL << ((i + salt) % p->oattrs[i].nvalues);
}

static void check_decisions(const struct abac_policy *p,
			    const struct abac_image *v, __u64 cgroup_id,
			    const struct abac_attrs *want)
{
	const struct abac_attrs *s = abac_subject_find(v, cgroup_id);
	struct abac_decision got, ref;
	struct abac_attrs o;
	unsigned int op, salt;

	FUZZ_ASSERT(s);
	FUZZ_ASSERT(!memcmp(s, want, sizeof(*want)));
	for (salt = 0; salt < 3; salt++) {
		object_of(p, salt, &o);
		for (op = 0; op < ABAC_OP_COUNT; op++) {
			abac_decide(v, op, s, &o, &got);
			model_decide(p, op, s, &o, &ref);
			FUZZ_ASSERT(got.effect == ref.effect);
			FUZZ_ASSERT(got.reason == ref.reason);
			FUZZ_ASSERT(got.rule == ref.rule);
		}
	}
}

static void compile_and_check(const struct abac_policy *p,
			      const uint8_t *data, size_t size)
{
	struct abac_subject *subj;
	struct abac_attrs want[3];
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
		tags_of(p, false, subj[0].tags, sizeof(subj[0].tags));
		subj[1].cgroup_id = SUBJ_B;
		subj[1].level = 3;
		tags_of(p, true, subj[1].tags, sizeof(subj[1].tags));
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

	err = abac_image_build(p, subj, n, &img, &len, &d);
	fuzz_check_diags(&d, err, data, size);
	if (err)
		goto out;
	FUZZ_ASSERT(!abac_image_check(img, len, &d));
	FUZZ_ASSERT(!abac_image_build(p, subj, n, &img2, &len2, &d));
	FUZZ_ASSERT(len == len2 && !memcmp(img, img2, len));
	v = abac_image_view(img, len);
	check_labels(p, &v);
	for (i = 0; i < n; i++)
		check_decisions(p, &v, subj[i].cgroup_id, &want[i]);
	abac_image_dump(img, len, devnull, false);
	abac_image_dump(img, len, devnull, true);
out:
	abac_diags_free(&d);
	free(img);
	free(img2);
	free(subj);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct abac_policy *p = NULL;
	struct abac_diags d;
	int err;

	abac_diags_init(&d);
	err = abac_policy_parse_buf("fuzz.yaml", (const char *)data, size,
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
