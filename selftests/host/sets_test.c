// SPDX-License-Identifier: GPL-2.0-only
/*
 * Open sets (Documentation/scale.rst, "Sets of real size"): a subject's
 * set of values nobody listed (the patients assigned to a physician),
 * kept sorted in the image's member table and searched, not scanned; the
 * relations in / subset / intersects and constant any-of / contains /
 * none-of over them; what the compiler and the image validator refuse.
 * Decisions here come from the decision core the kernel runs.
 */
#include "kselftest_harness.h"
#include "common.h"

#define ZOE	"Dr. Zo\xc3\xab M\xc3\xbcller"	/* Dr. Zoë Müller */

#define SETS_SCHEMA \
	"version: 1\n" \
	"name: sets\n" \
	"attributes:\n" \
	"  subject:\n" \
	"    role: {type: string, values: [physician, clerk]}\n" \
	"    patients: {type: set, open: true}\n" \
	"    wards: {type: set, open: true}\n" \
	"    teams: {type: set, values: [a, b, c]}\n" \
	"  object:\n" \
	"    type: {type: string, values: [record, other]}\n" \
	"    patient: {type: string, open: true}\n" \
	"    team: {type: string, values: [a, b, c]}\n"

#define RULE(id, effect, conds) \
	"  - {id: " id ", nlp: \"The rule " id ".\", effect: " effect "," \
	" ops: [read], " conds "}\n"

static const char assigned_policy[] = SETS_SCHEMA
	"rules:\n"
	RULE("assigned", "allow", "subject: {role: physician},"
	     " object: {type: record},"
	     " where: [\"object.patient in subject.patients\"]");

#define REFUSED(yaml, sub) t_expect_refused(_metadata, yaml, sub, false)

/*
 * "role=physician patients=P-0000,P-0001,...,P-<n-1>,<extra>" in a
 * malloc()ed string.
 */
static char *patients_tags(unsigned int n, const char *extra)
{
	size_t sz = 64 + (size_t)n * 8 + (extra ? strlen(extra) : 0);
	char *t = malloc(sz);
	size_t o;
	unsigned int i;

	if (!t)
		return NULL;
	o = snprintf(t, sz, "role=physician patients=");
	for (i = 0; i < n; i++)
		o += snprintf(t + o, sz - o, "%sP-%04u", i ? "," : "", i);
	if (extra)
		snprintf(t + o, sz - o, "%s", extra);
	return t;
}

/* A label's object attributes under @img. */
static int label_of(const struct abac_image *img, const char *s,
		    struct abac_attrs *o)
{
	struct abac_label_pairs lp;

	memset(o, 0, sizeof(*o));
	return abac_label_parse(img, (const __u8 *)s, strlen(s), &lp, o);
}

/* Decide read of label @label by cgroup @id of @img. */
static int read_of(const struct abac_image *img, __u64 id, const char *label,
		   struct abac_decision *dec)
{
	const struct abac_attrs *s = abac_subject_find(img, id);
	struct abac_attrs o;

	if (!s || label_of(img, label, &o))
		return -1;
	t_decide(img, ABAC_OP_READ, s, &o, dec);
	return 0;
}

#define ALLOWED(img, id, label) ({					\
	struct abac_decision __d;					\
	ASSERT_EQ(0, read_of(img, id, label, &__d));			\
	__d.effect == ABAC_ALLOW;					\
})

TEST(an_open_set_belongs_to_subjects_or_objects_and_takes_no_default)
{
	struct abac_policy *p = NULL;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_parse(assigned_policy, &p, &d)) t_diags_dump(&d);
	EXPECT_TRUE(p->sattrs[1].open);
	EXPECT_EQ((unsigned int)ABAC_TYPE_SET, p->sattrs[1].type);
	abac_policy_free(p);
	abac_diags_free(&d);

	REFUSED("version: 1\nname: x\nattributes:\n  environment:\n"
		"    patients: {type: set, open: true}\n",
		"an open set is supported on subjects and objects only");
	REFUSED("version: 1\nname: x\nattributes:\n  subject:\n"
		"    patients: {type: set, open: true, default: [a]}\n",
		"an open set takes no default");
	REFUSED("version: 1\nname: x\nattributes:\n  subject:\n"
		"    patients: {type: set}\n",
		"or declare it 'open: true'");
}

TEST(a_physician_reads_the_records_of_assigned_patients_only)
{
	struct abac_subject s[2] = {
		{ .cgroup_id = 11, .level = 1, .path = "/dr" },
		{ .cgroup_id = 12, .level = 1, .path = "/clerk" },
	};
	char *tags = patients_tags(1100, ",\"" ZOE "\",\"Ward 7 / bed 3\"");
	const struct abac_attrs *a;
	struct abac_image_hdr *h;
	struct abac_image v;
	struct abac_diags d;
	const __u64 *m;
	size_t len;
	void *img;
	__u32 i;

	ASSERT_NE(NULL, tags);
	ASSERT_LT(strlen(tags), sizeof(s[0].tags));
	strcpy(s[0].tags, tags);
	strcpy(s[1].tags, "role=clerk patients=P-0001");
	abac_diags_init(&d);
	ASSERT_EQ(0, t_compile(assigned_policy, s, 2, &img, &len, NULL, &d))
		t_diags_dump(&d);
	ASSERT_EQ(0, abac_image_check(img, len, &d)) t_diags_dump(&d);
	h = t_hdr(img);
	v = abac_image_view(img, len);
	a = abac_subject_find(&v, 11);
	ASSERT_NE(NULL, a);
	/* the handle: 1,102 members, sorted and distinct in the table */
	EXPECT_EQ(1102U, ABAC_SET_COUNT(a->v[1]));
	EXPECT_NE(0ULL, a->v[1] & ABAC_SET_BIT);
	EXPECT_EQ(1103U, h->nmembers);
	m = t_rec(img, h->members_off);
	for (i = 1; i < 1102; i++)
		ASSERT_LT(m[ABAC_SET_FIRST(a->v[1]) + i - 1],
			  m[ABAC_SET_FIRST(a->v[1]) + i]);
	v = abac_image_view(img, len);
	EXPECT_TRUE(ALLOWED(&v, 11, "type=record;patient=P-0000"));
	EXPECT_TRUE(ALLOWED(&v, 11, "type=record;patient=P-1099"));
	EXPECT_TRUE(ALLOWED(&v, 11, "type=record;patient=" ZOE));
	EXPECT_TRUE(ALLOWED(&v, 11, "type=record;patient=Ward 7 / bed 3"));
	EXPECT_FALSE(ALLOWED(&v, 11, "type=record;patient=P-1100"));
	EXPECT_FALSE(ALLOWED(&v, 11, "type=record;patient=Dr. Zoe Muller"));
	EXPECT_FALSE(ALLOWED(&v, 11, "type=other;patient=P-0001"));
	/* the relation holds for the clerk; the role does not */
	EXPECT_FALSE(ALLOWED(&v, 12, "type=record;patient=P-0001"));
	free(img);
	free(tags);
	abac_diags_free(&d);
}

TEST(every_member_is_found_and_no_other_word_is)
{
	struct abac_subject s = { .cgroup_id = 5, .level = 1, .path = "/dr" };
	char *tags = patients_tags(ABAC_SET_MEMBERS, NULL);
	const struct abac_image_hdr *h;
	const struct abac_attrs *a;
	struct abac_image v;
	struct abac_diags d;
	char text[16];
	size_t len;
	void *img;
	__u32 i;

	ASSERT_NE(NULL, tags);
	strcpy(s.tags, tags);
	abac_diags_init(&d);
	ASSERT_EQ(0, t_compile(assigned_policy, &s, 1, &img, &len, NULL, &d))
		t_diags_dump(&d);
	v = abac_image_view(img, len);
	h = abac_hdr(&v);
	a = abac_subject_find(&v, 5);
	ASSERT_NE(NULL, a);
	ASSERT_EQ((__u32)ABAC_SET_MEMBERS, ABAC_SET_COUNT(a->v[1]));
	for (i = 0; i < ABAC_SET_MEMBERS + 100; i++) {
		snprintf(text, sizeof(text), "P-%04u", i);
		ASSERT_EQ(i < ABAC_SET_MEMBERS,
			  abac_set_has(&v, h, NULL, a->v[1], t_value_word(text)))
			TH_LOG("%s", text);
	}
	/* the smallest and largest words of the run, and past either end */
	EXPECT_EQ(1, abac_set_has(&v, h, NULL, a->v[1],
				  abac_set_member(&v, h, NULL, a->v[1], 0)));
	EXPECT_EQ(1, abac_set_has(&v, h, NULL, a->v[1],
				  abac_set_member(&v, h, NULL, a->v[1],
						  ABAC_SET_MEMBERS - 1)));
	EXPECT_EQ(0, abac_set_has(&v, h, NULL, a->v[1], 1));
	EXPECT_EQ(0, abac_set_has(&v, h, NULL, a->v[1], ~0ULL));
	/* a handle past the table cannot be read: the decision fails closed */
	EXPECT_EQ(-1, abac_set_has(&v, h, NULL, ABAC_SET_WORD(h->nmembers, 1), 1));
	EXPECT_EQ(-1, abac_set_has(&v, h, NULL, ABAC_SET_WORD(0, ABAC_SET_MEMBERS + 1),
				   1));
	free(img);
	free(tags);
	abac_diags_free(&d);
}

TEST(more_members_than_the_limit_are_refused_by_name)
{
	struct abac_subject s = { .cgroup_id = 5, .level = 1, .path = "/dr" };
	char *tags = patients_tags(ABAC_SET_MEMBERS + 1, NULL);
	struct abac_diags d;
	size_t len;
	void *img = NULL;

	ASSERT_NE(NULL, tags);
	ASSERT_LT(strlen(tags), sizeof(s.tags));
	strcpy(s.tags, tags);
	abac_diags_init(&d);
	EXPECT_NE(0, t_compile(assigned_policy, &s, 1, &img, &len, NULL, &d));
	EXPECT_NE(NULL, t_diag(&d, "more than 4096 members (ABAC_SET_MEMBERS)"))
		t_diags_dump(&d);
	free(img);
	free(tags);
	abac_diags_free(&d);
}

TEST(members_past_the_first_map_value_are_refused_by_name)
{
	unsigned int n = ABAC_MEMBERS_END * 2 / ABAC_SET_MEMBERS + 2, i;
	struct abac_subject *s = calloc(n, sizeof(*s));
	char *tags = patients_tags(ABAC_SET_MEMBERS, NULL);
	struct abac_diags d;
	size_t len;
	void *img = NULL;

	ASSERT_NE(NULL, s);
	ASSERT_NE(NULL, tags);
	for (i = 0; i < n; i++) {
		s[i].cgroup_id = 100 + i;
		s[i].level = 1;
		snprintf(s[i].path, sizeof(s[i].path), "/dr%u", i);
		strcpy(s[i].tags, tags);
	}
	abac_diags_init(&d);
	EXPECT_EQ(-E2BIG, t_compile(assigned_policy, s, n, &img, &len, NULL,
				    &d));
	EXPECT_NE(NULL, t_diag(&d, "end past record 262144, where BPF reads them"))
		t_diags_dump(&d);
	free(img);
	free(tags);
	free(s);
	abac_diags_free(&d);
}

TEST(constant_any_of_contains_and_none_of_on_an_open_set)
{
	static const char yaml[] = SETS_SCHEMA
		"rules:\n"
		RULE("any", "allow", "subject: {patients: [P-0007, \"" ZOE "\"]}")
		RULE("all", "allow", "subject: {wards: {contains: [north, south]}}")
		RULE("none", "allow", "subject: {patients: {not: [VIP 1, VIP 2]}},"
		     " object: {type: other}")
		RULE("one", "allow", "subject: {wards: east}, object: {type: record}");
	struct abac_subject s[4] = {
		{ .cgroup_id = 1, .level = 1, .path = "/a",
		  .tags = "patients=\"" ZOE "\" wards=west" },
		{ .cgroup_id = 2, .level = 1, .path = "/b",
		  .tags = "patients=P-0001 wards=north,south,east" },
		{ .cgroup_id = 3, .level = 1, .path = "/c",
		  .tags = "patients=P-0001 wards=north" },
		{ .cgroup_id = 4, .level = 1, .path = "/d",
		  .tags = "patients=\"VIP 2\",P-0001 wards=east" },
	};
	struct abac_policy *p = NULL;
	struct abac_image_hdr *h;
	struct abac_image v;
	struct abac_cond *c;
	struct abac_diags d;
	char buf[256];
	size_t len;
	void *img;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_compile(yaml, s, 4, &img, &len, &p, &d))
		t_diags_dump(&d);
	ASSERT_EQ(0, abac_image_check(img, len, &d)) t_diags_dump(&d);
	v = abac_image_view(img, len);
	h = t_hdr(img);
	c = t_rec(img, h->conds_off);
	EXPECT_EQ(ABAC_COND_SET_ANY, c->kind);
	EXPECT_EQ(2U, ABAC_SET_COUNT(c->mask));
	EXPECT_STREQ("subject.patients has one of [P-0007, " ZOE "]",
		     abac_cond_describe(p, c, buf, sizeof(buf)));
	c = t_rec(img, h->conds_off + 1);
	EXPECT_EQ(ABAC_COND_SET_ALL, c->kind);
	EXPECT_STREQ("subject.wards contains [north, south]",
		     abac_cond_describe(p, c, buf, sizeof(buf)));
	EXPECT_EQ(ABAC_COND_SET_NONE, ((struct abac_cond *)
		t_rec(img, h->conds_off + 2))->kind);
	EXPECT_TRUE(ALLOWED(&v, 1, "type=record"));	/* any: Zoë */
	EXPECT_TRUE(ALLOWED(&v, 2, "type=record"));	/* all: north, south */
	EXPECT_FALSE(ALLOWED(&v, 3, "type=record"));	/* north only */
	EXPECT_TRUE(ALLOWED(&v, 3, "type=other"));	/* none: no VIP */
	EXPECT_FALSE(ALLOWED(&v, 4, "type=other"));	/* VIP 2 */
	EXPECT_TRUE(ALLOWED(&v, 4, "type=record"));	/* one: east */
	free(img);
	abac_policy_free(p);
	abac_diags_free(&d);
}

TEST(subset_and_intersects_between_two_open_sets)
{
	static const char yaml[] = SETS_SCHEMA
		"rules:\n"
		RULE("sub", "allow", "object: {type: record},"
		     " where: [\"subject.wards subset subject.patients\"]")
		RULE("meet", "allow", "object: {type: other},"
		     " where: [\"subject.wards intersects subject.patients\"]")
		RULE("in-closed", "allow", "object: {type: record},"
		     " where: [\"object.team in subject.teams\"]");
	struct abac_subject s[3] = {
		{ .cgroup_id = 1, .level = 1, .path = "/a",
		  .tags = "patients=x,y,z wards=y,z teams=c" },
		{ .cgroup_id = 2, .level = 1, .path = "/b",
		  .tags = "patients=x,y,z wards=z,w teams=c" },
		{ .cgroup_id = 3, .level = 1, .path = "/c",
		  .tags = "patients=x wards=w teams=a,b" },
	};
	struct abac_image_hdr *h;
	struct abac_image v;
	struct abac_diags d;
	size_t len;
	void *img;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_compile(yaml, s, 3, &img, &len, NULL, &d))
		t_diags_dump(&d);
	v = abac_image_view(img, len);
	h = t_hdr(img);
	EXPECT_EQ(ABAC_COND_REL_SUBSET, ((struct abac_cond *)
		t_rec(img, h->conds_off + 1))->kind);
	/* "A in B" on closed sets is "B contains A" */
	EXPECT_EQ(ABAC_COND_REL_CONTAINS, ((struct abac_cond *)
		t_rec(img, h->conds_off + 5))->kind);
	EXPECT_TRUE(ALLOWED(&v, 1, "type=record;team=a"));
	EXPECT_FALSE(ALLOWED(&v, 2, "type=record;team=a"));
	EXPECT_TRUE(ALLOWED(&v, 2, "type=other"));
	EXPECT_FALSE(ALLOWED(&v, 3, "type=other"));
	EXPECT_TRUE(ALLOWED(&v, 3, "type=record;team=b"));
	EXPECT_FALSE(ALLOWED(&v, 3, "type=record;team=c"));
	free(img);
	abac_diags_free(&d);
}

TEST(relations_that_cannot_be_decided_are_refused_by_name)
{
	REFUSED(SETS_SCHEMA "rules:\n"
		RULE("r", "allow", "where: [\"subject.patients == subject.wards\"]"),
		"compares open sets: use in, subset or intersects");
	REFUSED(SETS_SCHEMA "rules:\n"
		RULE("r", "allow", "where: [\"object.team in subject.patients\"]"),
		"relates an open attribute to a closed one");
	REFUSED(SETS_SCHEMA "rules:\n"
		RULE("r", "allow", "where: [\"object.team intersects subject.teams\"]"),
		"needs a set on either side");
	REFUSED(SETS_SCHEMA "rules:\n"
		RULE("r", "allow", "where: [\"subject.teams intersects subject.teams\"]"),
		"intersects relates two open sets only yet");
	REFUSED(SETS_SCHEMA "rules:\n"
		RULE("r", "allow", "where: [\"subject.patients in object.patient\"]"),
		"needs a string or set on the left and a set on the right");
	REFUSED(SETS_SCHEMA "rules:\n"
		RULE("r", "allow", "subject: {patients: []}"),
		"empty list of values for subject attribute 'patients'");
	REFUSED(SETS_SCHEMA "rules:\n"
		RULE("r", "allow", "subject: {patients: {gte: a}}"),
		"'gte' orders a level or an int");
	REFUSED(SETS_SCHEMA "rules:\n"
		RULE("r", "allow", "subject: {patients: \" a\"}"),
		"a value may not start or end with a space");
}

TEST(contains_on_open_sets_is_in_or_subset_the_other_way)
{
	static const char yaml[] = SETS_SCHEMA
		"rules:\n"
		RULE("a", "allow", "where: [\"subject.patients contains object.patient\"]")
		RULE("b", "allow", "where: [\"subject.patients contains subject.wards\"]")
		RULE("c", "allow", "where: [\"subject.wards in subject.patients\"]");
	struct abac_policy *p = NULL;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_parse(yaml, &p, &d)) t_diags_dump(&d);
	EXPECT_EQ(ABAC_COND_REL_IN, p->rules[0].conds[0].kind);
	EXPECT_EQ(ABAC_SIDE_OBJECT, p->rules[0].conds[0].side);
	EXPECT_EQ(ABAC_SIDE_SUBJECT, p->rules[0].conds[0].rhs_side);
	EXPECT_EQ(1, p->rules[0].conds[0].rhs);
	EXPECT_EQ(ABAC_COND_REL_SUBSET, p->rules[1].conds[0].kind);
	EXPECT_EQ(2, p->rules[1].conds[0].attr);
	EXPECT_EQ(1, p->rules[1].conds[0].rhs);
	EXPECT_EQ(ABAC_COND_REL_SUBSET, p->rules[2].conds[0].kind);
	EXPECT_EQ(2, p->rules[2].conds[0].attr);
	abac_policy_free(p);
	abac_diags_free(&d);
}

TEST(a_set_resolved_without_an_image_fails_closed)
{
	struct abac_policy *p = NULL;
	struct abac_attrs s, o;
	struct abac_decision dec;
	struct abac_image v;
	struct abac_diags d;
	size_t len;
	void *img;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_compile(assigned_policy, NULL, 0, &img, &len, &p, &d))
		t_diags_dump(&d);
	ASSERT_EQ(0, abac_attrs_resolve(p, ABAC_SIDE_SUBJECT, "<s>",
					"role=physician patients=a,b,a", &s,
					&d)) t_diags_dump(&d);
	EXPECT_EQ(ABAC_SET_WORD(ABAC_SET_UNRESOLVED, 2), s.v[1]);
	v = abac_image_view(img, len);
	ASSERT_EQ(0, label_of(&v, "type=record;patient=a", &o));
	t_decide(&v, ABAC_OP_READ, &s, &o, &dec);
	EXPECT_EQ(ABAC_DENY, dec.effect);
	EXPECT_EQ(ABAC_REASON_BAD_IMAGE, dec.reason);
	/* a bad member is refused with the pair's place */
	EXPECT_NE(0, abac_attrs_resolve(p, ABAC_SIDE_SUBJECT, "<s>",
					"patients=a,\" b\"", &s, &d));
	EXPECT_NE(NULL, t_diag(&d, "bad member ' b' of open set 'patients'"))
		t_diags_dump(&d);
	free(img);
	abac_policy_free(p);
	abac_diags_free(&d);
}

TEST(two_texts_with_one_word_are_refused_naming_both)
{
	struct abac_set m = { 0 };
	char err[256];

	ASSERT_EQ(0, abac_set_add(&m, "alice", 5));
	ASSERT_EQ(0, abac_set_add(&m, "bob", 3));
	ASSERT_EQ(0, abac_set_add(&m, "alice", 5));
	ASSERT_EQ(0, abac_set_sort(&m, err, sizeof(err)));
	EXPECT_EQ(2U, m.n);	/* the same text twice is one member */
	EXPECT_LT(m.w[0], m.w[1]);
	ASSERT_EQ(0, abac_set_add(&m, "carol", 5));
	m.w[2] = m.w[0];	/* injected: carol hashes as the first */
	EXPECT_EQ(-EEXIST, abac_set_sort(&m, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "hash alike")) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "'carol'")) TH_LOG("%s", err);
	abac_set_free(&m);
}

TEST(members_are_written_as_label_values_are_escaped_and_quoted)
{
	struct abac_subject s = {
		.cgroup_id = 3, .level = 1, .path = "/dr",
		/* "Smith, J.", "a;b=c", "back\\slash", "say \"hi\"", P-1 */
		.tags = "role=physician patients=\"Smith\\, J.\",a\\;b\\=c,"
			"back\\\\slash,\"say \\\"hi\\\"\",P-1",
	};
	struct abac_image v;
	struct abac_diags d;
	size_t len;
	void *img;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_compile(assigned_policy, &s, 1, &img, &len, NULL, &d))
		t_diags_dump(&d);
	v = abac_image_view(img, len);
	EXPECT_EQ(5U, ABAC_SET_COUNT(abac_subject_find(&v, 3)->v[1]));
	EXPECT_TRUE(ALLOWED(&v, 3, "type=record;patient=Smith\\, J."));
	EXPECT_TRUE(ALLOWED(&v, 3, "type=record;patient=a\\;b\\=c"));
	EXPECT_TRUE(ALLOWED(&v, 3, "type=record;patient=back\\\\slash"));
	EXPECT_TRUE(ALLOWED(&v, 3, "type=record;patient=say \"hi\""));
	EXPECT_FALSE(ALLOWED(&v, 3, "type=record;patient=Smith"));
	free(img);
	abac_diags_free(&d);
	/* a member with a control character or bad UTF-8 is refused */
	strcpy(s.tags, "patients=a\001b");
	abac_diags_init(&d);
	EXPECT_NE(0, t_compile(assigned_policy, &s, 1, &img, &len, NULL, &d));
	EXPECT_NE(NULL, t_diag(&d, "bad member")) t_diags_dump(&d);
	abac_diags_free(&d);
	strcpy(s.tags, "patients=ok,bad\xc3");
	abac_diags_init(&d);
	EXPECT_NE(0, t_compile(assigned_policy, &s, 1, &img, &len, NULL, &d));
	EXPECT_NE(NULL, t_diag(&d, "bad member 'bad")) t_diags_dump(&d);
	abac_diags_free(&d);
}

TEST(a_child_cgroup_inherits_its_parents_set)
{
	struct abac_subject s[2] = {
		{ .cgroup_id = 1, .level = 1, .path = "/ward",
		  .tags = "role=physician patients=P-1,P-2" },
		{ .cgroup_id = 2, .level = 2, .path = "/ward/dr",
		  .tags = "wards=north" },
	};
	struct abac_image v;
	struct abac_diags d;
	size_t len;
	void *img;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_compile(assigned_policy, s, 2, &img, &len, NULL, &d))
		t_diags_dump(&d);
	ASSERT_EQ(0, abac_image_check(img, len, &d)) t_diags_dump(&d);
	v = abac_image_view(img, len);
	EXPECT_TRUE(ALLOWED(&v, 2, "type=record;patient=P-2"));
	EXPECT_FALSE(ALLOWED(&v, 2, "type=record;patient=P-3"));
	free(img);
	abac_diags_free(&d);
}

TEST(the_validator_refuses_a_run_out_of_order_or_out_of_the_table)
{
	struct abac_subject s = { .cgroup_id = 9, .level = 1, .path = "/dr",
				  .tags = "role=physician patients=a,b,c" };
	struct abac_image_hdr *h;
	struct abac_attrs *a;
	struct abac_image v;
	struct abac_diags d;
	__u64 *m, keep;
	size_t len;
	void *img;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_compile(assigned_policy, &s, 1, &img, &len, NULL, &d))
		t_diags_dump(&d);
	h = t_hdr(img);
	v = abac_image_view(img, len);
	a = (struct abac_attrs *)abac_subject_find(&v, 9);
	ASSERT_NE(NULL, a);
	m = t_rec(img, h->members_off);
	keep = m[0];
	m[0] = m[1];	/* a repeated member: not sorted and distinct */
	t_rehash(img, len);
	EXPECT_EQ(-EINVAL, abac_image_check(img, len, &d));
	EXPECT_NE(NULL, t_diag(&d, "is not a sorted run of the member table"))
		t_diags_dump(&d);
	m[0] = keep;
	a->v[1] = ABAC_SET_WORD(1, 3);	/* one past the table */
	t_rehash(img, len);
	EXPECT_EQ(-EINVAL, abac_image_check(img, len, &d));
	a->v[1] = ABAC_SET_WORD(0, 3);
	h->nmembers = 200000;	/* a table past the image */
	t_rehash(img, len);
	EXPECT_EQ(-EINVAL, abac_image_check(img, len, &d));
	EXPECT_NE(NULL, t_diag(&d, "member table")) t_diags_dump(&d);
	free(img);
	abac_diags_free(&d);
}

TEST_HARNESS_MAIN
