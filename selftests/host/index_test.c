// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rule index (tools/lib/index.c, abac_rule_list() in
 * lsm/abac_decide.h) decides exactly as the scan of every rule naming the
 * operation: generated policies (string, set, level, bool and int
 * attributes with and without defaults, relations, environment and clock
 * conditions, two layers, every combining algorithm) and tagged subjects,
 * generated requests decided with each subject's class and without one,
 * and every field of the two decisions compared.  And the validator
 * refuses an index that names a rule of another operation, out of order,
 * or a class the image does not hold.
 */
#include <stdarg.h>

#include "kselftest_harness.h"
#include "common.h"

#define N_POLICIES	48
#define N_REQUESTS	150	/* per policy: 7,200 a run */
#define N_SUBJECTS	12

/* xorshift64*: the same policies and requests on every run. */
static __u64 rnd_state;

static __u32 rnd(__u32 n)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return (__u32)((rnd_state * 0x2545f4914f6cdd1dULL) >> 33) % n;
}

static const char *const combs[] = {
	"deny-overrides", "permit-overrides", "first-applicable",
};
static const char *const ops[] = {
	"read", "write", "exec", "create", "delete", "connect",
};

/* Append to a growing text. */
struct text {
	char *b;
	size_t len, cap;
};

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->cap ? t->b + t->len : NULL, t->cap - t->len,
			      fmt, ap);
		va_end(ap);
		if (n >= 0 && t->len + n < t->cap)
			break;
		t->cap = 2 * t->cap + (size_t)n + 4096;
		t->b = realloc(t->b, t->cap);
		if (!t->b)
			abort();
	}
	t->len += n;
}

static void attrs_yaml(struct text *t)
{
	put(t, "attributes:\n  subject:\n");
	put(t, "    role: {type: string, values: [r0, r1, r2, r3, r4, r5]%s}\n",
	    rnd(2) ? ", default: r0" : "");
	put(t, "    dept: {type: string, values: [d0, d1, d2, d3]}\n");
	put(t, "    clr: {type: level, values: [l0, l1, l2, l3]%s}\n",
	    rnd(2) ? ", default: l1" : "");
	put(t, "    grp: {type: set, values: [g0, g1, g2, g3, g4]}\n");
	put(t, "    mfa: {type: bool%s}\n", rnd(2) ? ", default: false" : "");
	put(t, "    age: {type: int}\n");
	put(t, "  object:\n");
	put(t, "    kind: {type: string, values: [k0, k1, k2, k3, k4, k5, k6, k7]%s}\n",
	    rnd(2) ? ", default: k0" : "");
	put(t, "    odept: {type: string, values: [d0, d1, d2, d3]}\n");
	put(t, "    cls: {type: level, values: [l0, l1, l2, l3]%s}\n",
	    rnd(2) ? ", default: l0" : "");
	put(t, "    tags: {type: set, values: [g0, g1, g2, g3, g4]}\n");
	put(t, "    pub: {type: bool}\n");
	put(t, "  environment:\n");
	put(t, "    threat: {type: level, values: [low, high]}\n");
}

/* One condition on the subject; 1 when it is on age. */
static int subject_cond(struct text *t)
{
	switch (rnd(9)) {
	case 0:
		put(t, "role: r%u", rnd(6));
		break;
	case 1:
		put(t, "role: [r%u, r%u]", rnd(6), rnd(6));
		break;
	case 2:
		put(t, "role: {not: r%u}", rnd(6));
		break;
	case 3:
		put(t, "clr: {gte: l%u}", rnd(4));
		break;
	case 4:
		put(t, "grp: g%u", rnd(5));
		break;
	case 5:
		put(t, "mfa: %s", rnd(2) ? "true" : "false");
		break;
	case 6:
		put(t, "age: {gte: %u}", 10 + rnd(40));
		return 1;
	case 7:
		put(t, "dept: {present: %s}", rnd(2) ? "true" : "false");
		break;
	default:
		put(t, "dept: d%u", rnd(4));
	}
	return 0;
}

static void object_cond(struct text *t)
{
	switch (rnd(7)) {
	case 0:
	case 1:
		put(t, "kind: k%u", rnd(8));
		break;
	case 2:
		put(t, "kind: [k%u, k%u]", rnd(8), rnd(8));
		break;
	case 3:
		put(t, "kind: {not: k%u}", rnd(8));
		break;
	case 4:
		put(t, "cls: {lte: l%u}", rnd(4));
		break;
	case 5:
		put(t, "tags: {contains: [g%u]}", rnd(5));
		break;
	default:
		put(t, "pub: %s", rnd(2) ? "true" : "false");
	}
}

static const char *const relations[] = {
	"object.odept == subject.dept", "subject.clr >= object.cls",
	"subject.grp contains object.tags", "object.odept != subject.dept",
	"subject.clr < object.cls",
};

/* One rule: conditions drawn on each side, some sides left out. */
static void rule_yaml(struct text *t, unsigned int layer, unsigned int i)
{
	unsigned int n, op = rnd(6), op2 = rnd(6);

	put(t, "  - id: l%ur%u\n    nlp: \"Rule %u of layer %u.\"\n", layer, i,
	    i, layer);
	put(t, "    effect: %s\n    ops: [%s", rnd(3) ? "allow" : "deny",
	    ops[op]);
	if (op2 != op && rnd(3) == 0)
		put(t, ", %s", ops[op2]);
	put(t, "]\n");
	/* an attribute once a side: a second condition only on age */
	if ((n = rnd(3))) {
		put(t, "    subject: {");
		if (!subject_cond(t) && n > 1)
			put(t, ", age: {lt: %u}", 30 + rnd(50));
		put(t, "}\n");
	}
	if (rnd(3)) {
		put(t, "    object: {");
		object_cond(t);
		put(t, "}\n");
	}
	if (rnd(8) == 0)
		put(t, "    env: {%s}\n", rnd(2) ? "threat: high" :
		    "time: \"08:00-18:00\"");
	if (rnd(4) == 0)
		put(t, "    where: [\"%s\"]\n", relations[rnd(5)]);
}

static char *top_yaml(unsigned int nrules)
{
	struct text t = {};
	unsigned int i;

	put(&t, "version: 1\nname: idx\ncombining: %s\ndefault: %s\n",
	    combs[rnd(3)], rnd(2) ? "allow" : "deny");
	attrs_yaml(&t);
	put(&t, "rules:\n");
	for (i = 0; i < nrules; i++)
		rule_yaml(&t, 0, i);
	return t.b;
}

static char *lower_yaml(unsigned int nrules)
{
	struct text t = {};
	unsigned int i;

	put(&t, "version: 1\nname: low\ncombining: %s\nrules:\n",
	    combs[rnd(3)]);
	for (i = 0; i < nrules; i++)
		rule_yaml(&t, 1, i);
	return t.b;
}

/* Tags of subject @i: some attributes left out (defaults then count). */
static void subject_tags(struct abac_subject *s, unsigned int i)
{
	struct text t = {};

	memset(s, 0, sizeof(*s));
	s->cgroup_id = 1000 + i;
	s->level = 1;
	snprintf(s->path, sizeof(s->path), "/s%u", i);
	put(&t, " age=%u", 5 + 20 * rnd(3));	/* never empty */
	if (rnd(4))
		put(&t, " role=r%u", rnd(6));
	if (rnd(2))
		put(&t, " dept=d%u", rnd(4));
	if (rnd(3))
		put(&t, " clr=l%u", rnd(4));
	if (rnd(2))
		put(&t, " grp=g%u,g%u", rnd(5), rnd(5));
	if (rnd(2))
		put(&t, " mfa=%s", rnd(2) ? "true" : "false");
	snprintf(s->tags, sizeof(s->tags), "%s", t.b + 1);
	free(t.b);
}

/* An object's words: mostly one declared value, sometimes none or junk. */
static void random_object(struct abac_attrs *o)
{
	static const unsigned int nv[] = { 8, 4, 4, 5, 2 };
	unsigned int a;

	memset(o, 0, sizeof(*o));
	for (a = 0; a < 5; a++) {
		switch (rnd(8)) {
		case 0:
			break;			/* absent: its default, if any */
		case 1:
			o->v[a] = (1ULL << rnd(nv[a])) | (1ULL << rnd(nv[a]));
			break;			/* several bits */
		case 2:
			o->v[a] = 1ULL << (nv[a] + rnd(3));
			break;			/* a bit past the values */
		default:
			o->v[a] = 1ULL << rnd(nv[a]);
		}
	}
}

/* Totals over a run. */
struct tally {
	unsigned long requests, with_class, differ;
	unsigned long scan_rules, index_rules, bucketed;
	unsigned long classes;
};

static void compare_one(struct __test_metadata *_metadata,
			const struct abac_image *img, __u64 cgroup_id,
			struct tally *t)
{
	const struct abac_image_hdr *h = abac_hdr(img);
	const struct abac_subj_key *key;
	struct abac_decision a, b;
	struct abac_request rq = {};
	struct abac_op_span sa, sb;
	struct abac_attrs o;
	struct abac_env e = {};
	__u32 op = rnd(ABAC_OP_COUNT), la, lb, slot;

	slot = abac_subject_slot(img, cgroup_id);
	ASSERT_NE(0U, slot);
	key = abac_rec(img, slot);
	random_object(&o);
	e.a.v[0] = rnd(3) ? 1ULL << rnd(2) : 0;
	e.minute = rnd(ABAC_MINUTES_PER_DAY);
	e.wday = rnd(7);
	rq.s = abac_subject_find(img, cgroup_id);
	rq.o = &o;
	rq.e = rnd(5) ? &e : NULL;
	abac_decide(img, op, &rq, &b);		/* the scan */
	ASSERT_EQ(1, abac_rule_list(img, h, op, &rq, &lb, &sb));
	rq.cls = key->cls;
	abac_decide(img, op, &rq, &a);		/* the index */
	ASSERT_EQ(1, abac_rule_list(img, h, op, &rq, &la, &sa));
	t->requests++;
	t->with_class += rq.cls != ABAC_CLASS_NONE;
	t->scan_rules += sb.count;
	t->index_rules += sa.count;
	if (a.effect != b.effect || a.reason != b.reason ||
	    a.outcome != b.outcome || a.layer != b.layer || a.rule != b.rule) {
		t->differ++;
		TH_LOG("op %u class %u: index %u/%u/%u/%u/%u, scan %u/%u/%u/%u/%u",
		       op, rq.cls, a.effect, a.reason, a.outcome, a.layer,
		       a.rule, b.effect, b.reason, b.outcome, b.layer, b.rule);
	}
}

/* One generated policy: compiled, checked, decided both ways. */
static void one_policy(struct __test_metadata *_metadata, struct tally *t)
{
	struct abac_subject s[N_SUBJECTS];
	struct abac_policy *p = NULL, *low = NULL;
	unsigned int i, k, nsubj = 2 + rnd(N_SUBJECTS - 1);
	char *top = top_yaml(4 + rnd(60)), *lower = NULL;
	struct abac_diags d;
	struct abac_image img;
	size_t len;
	void *buf;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_parse(top, &p, &d)) {
		t_diags_dump(&d);
		TH_LOG("%s", top);
	}
	if (rnd(2)) {
		lower = lower_yaml(1 + rnd(20));
		ASSERT_EQ(0, abac_policy_parse_layer_buf("low.yaml", lower,
							 strlen(lower), p,
							 &low, &d))
			t_diags_dump(&d);
		ASSERT_EQ(0, abac_policy_add_layer(p, low, &d))
			t_diags_dump(&d);
	}
	for (i = 0; i < nsubj; i++)
		subject_tags(&s[i], i);
	ASSERT_EQ(0, abac_image_build(p, s, nsubj, &buf, &len, &d))
		t_diags_dump(&d);
	ASSERT_EQ(0, abac_image_check(buf, len, &d))
		t_diags_dump(&d);
	img = abac_image_view(buf, len);
	t->classes += t_hdr(buf)->ncls;
	t->bucketed += t_hdr(buf)->nbkt != 0;
	for (k = 0; k < N_REQUESTS; k++)
		compare_one(_metadata, &img, s[rnd(nsubj)].cgroup_id, t);
	free(buf);
	free(top);
	free(lower);
	abac_policy_free(p);
	abac_diags_free(&d);
}

TEST(the_index_decides_every_generated_request_as_the_scan)
{
	struct tally t = {};
	unsigned int i;

	rnd_state = 0x9e3779b97f4a7c15ULL;
	for (i = 0; i < N_POLICIES; i++)
		one_policy(_metadata, &t);
	TH_LOG("%lu requests (%lu with a class) over %d policies, %lu classes, %lu policies with buckets: %lu rules read by the index, %lu by the scan, %lu differences",
	       t.requests, t.with_class, N_POLICIES, t.classes, t.bucketed,
	       t.index_rules, t.scan_rules, t.differ);
	EXPECT_EQ(0UL, t.differ);
	EXPECT_LE(5000UL, t.requests);
	/* the test means something only when the index leaves rules out */
	EXPECT_EQ(t.requests, t.with_class);
	EXPECT_LT(t.index_rules * 4, t.scan_rules * 3);
	EXPECT_LT(0UL, t.bucketed);
}

/* The bucket of a one-bit word is its bit's number, every bit. */
TEST(the_bucket_of_a_word_is_its_bit_number)
{
	unsigned int b;

	for (b = 0; b < 64; b++)
		EXPECT_EQ(b, abac_bit_number(1ULL << b));
}

static const char fixed_yaml[] =
	"version: 1\nname: fixed\n"
	"attributes:\n  subject:\n"
	"    role: {type: string, values: [a, b]}\n"
	"  object:\n"
	"    kind: {type: string, values: [k0, k1, k2]}\n"
	"rules:\n"
	"  - {id: r0, nlp: \"A reads k0.\", effect: allow, ops: [read],"
	" subject: {role: a}, object: {kind: k0}}\n"
	"  - {id: r1, nlp: \"B reads k1.\", effect: allow, ops: [read],"
	" subject: {role: b}, object: {kind: k1}}\n"
	"  - {id: r2, nlp: \"A writes.\", effect: allow, ops: [write],"
	" subject: {role: a}}\n"
	"  - {id: r3, nlp: \"Anyone reads k2.\", effect: allow, ops: [read],"
	" object: {kind: k2}}\n";

/* Two subjects, roles a and b: two classes. */
FIXTURE(fixed) {
	void *img;
	size_t len;
	struct abac_diags d;
};

FIXTURE_SETUP(fixed)
{
	struct abac_subject s[2] = {
		{ .cgroup_id = 7, .level = 1, .path = "/a", .tags = "role=a" },
		{ .cgroup_id = 9, .level = 1, .path = "/b", .tags = "role=b" },
	};

	abac_diags_init(&self->d);
	ASSERT_EQ(0, t_compile(fixed_yaml, s, 2, &self->img, &self->len,
			       NULL, &self->d))
		t_diags_dump(&self->d);
}

FIXTURE_TEARDOWN(fixed)
{
	free(self->img);
	abac_diags_free(&self->d);
}

/* Class @cls's (1-based) entry for @op. */
static struct abac_cls_op *cls_op(void *img, __u32 cls, __u32 op)
{
	return t_rec(img, t_hdr(img)->cls_off +
			  (cls - 1) * ABAC_CLS_RECORDS + op);
}

static __u32 *clist(void *img)
{
	return t_rec(img, t_hdr(img)->clist_off);
}

/* Patch, rehash, and expect the validator to refuse with @what. */
static void expect_refused(struct __test_metadata *_metadata,
			   FIXTURE_DATA(fixed) *self, const char *what)
{
	t_rehash(self->img, self->len);
	EXPECT_EQ(-EINVAL, abac_image_check(self->img, self->len, &self->d));
	EXPECT_NE(NULL, t_diag(&self->d, what)) t_diags_dump(&self->d);
}

TEST_F(fixed, each_class_keeps_only_the_rules_its_role_can_meet)
{
	struct abac_image v = abac_image_view(self->img, self->len);
	const struct abac_subj_key *ka, *kb;
	struct abac_cls_op *ra, *rb;

	ASSERT_EQ(2U, t_hdr(self->img)->ncls);
	ka = abac_rec(&v, abac_subject_slot(&v, 7));
	kb = abac_rec(&v, abac_subject_slot(&v, 9));
	ASSERT_NE(ka->cls, kb->cls);
	ra = cls_op(self->img, ka->cls, ABAC_OP_READ);
	rb = cls_op(self->img, kb->cls, ABAC_OP_READ);
	ASSERT_EQ(2U, ra->count);	/* r0 r3 */
	EXPECT_EQ(0U, clist(self->img)[ra->first]);
	EXPECT_EQ(3U, clist(self->img)[ra->first + 1]);
	ASSERT_EQ(2U, rb->count);	/* r1 r3 */
	EXPECT_EQ(1U, clist(self->img)[rb->first]);
	EXPECT_EQ(1U, cls_op(self->img, ka->cls, ABAC_OP_WRITE)->count);
	EXPECT_EQ(0U, cls_op(self->img, kb->cls, ABAC_OP_WRITE)->count);
}

TEST_F(fixed, the_dump_shows_the_classes_and_their_lists)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f;

	f = open_memstream(&text, &n);
	ASSERT_NE(NULL, f);
	abac_image_dump(self->img, self->len, f, false);
	fclose(f);
	EXPECT_NE(NULL, strstr(text, "rule index: 2 classes, 5 list entries, 0 buckets")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "class 1: read 2/3 write 1/1")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "class 2: read 2/3 write 0/1")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "(level 1, slot ")) TH_LOG("%s", text);
	free(text);
	f = open_memstream(&text, &n);
	ASSERT_NE(NULL, f);
	abac_image_dump(self->img, self->len, f, true);
	fclose(f);
	EXPECT_NE(NULL, strstr(text, "\"index\":{\"classes\":2,\"list_entries\":5,\"buckets\":0,")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "{\"class\":1,\"ops\":{\"read\":{\"rules\":2,\"of\":3},\"write\":{\"rules\":1,\"of\":1}}}")) TH_LOG("%s", text);
	free(text);
}

TEST_F(fixed, a_list_naming_a_rule_of_another_operation_is_refused)
{
	struct abac_cls_op *co = cls_op(self->img, 1, ABAC_OP_READ);

	clist(self->img)[co->first] = 2;	/* r2 is a write rule */
	expect_refused(_metadata, self, "rule list is wrong");
}

TEST_F(fixed, a_list_out_of_rule_order_is_refused)
{
	struct abac_cls_op *co = cls_op(self->img, 1, ABAC_OP_READ);
	__u32 *l = clist(self->img), x = l[co->first];

	l[co->first] = l[co->first + 1];
	l[co->first + 1] = x;
	expect_refused(_metadata, self, "rule list is wrong");
}

TEST_F(fixed, a_list_past_the_class_rule_list_is_refused)
{
	cls_op(self->img, 2, ABAC_OP_READ)->count = 1000;
	expect_refused(_metadata, self, "rule list is wrong");
}

TEST_F(fixed, a_subject_of_a_class_the_image_does_not_hold_is_refused)
{
	struct abac_image v = abac_image_view(self->img, self->len);
	struct abac_subj_key *k;

	k = (void *)abac_rec(&v, abac_subject_slot(&v, 7));
	k->cls = 3;
	expect_refused(_metadata, self, "subject slot");
}

TEST_F(fixed, buckets_on_an_attribute_the_image_lacks_are_refused)
{
	struct abac_cls_op *co = cls_op(self->img, 1, ABAC_OP_READ);

	co->nbkt = 1;
	co->battr = 5;
	expect_refused(_metadata, self, "bad buckets");
}

TEST_F(fixed, a_class_table_outside_the_index_budget_is_refused)
{
	t_hdr(self->img)->nclist = ABAC_INDEX_RECORDS * 4;
	expect_refused(_metadata, self, "rule index");
}

TEST_HARNESS_MAIN
