// SPDX-License-Identifier: GPL-2.0-only
/*
 * Open sets on objects (Documentation/scale.rst, "Sets of real size",
 * *Open sets in labels*): a label gives an open set its members
 * ("patients=P-1,P-2,Dr. Zoë Müller"), the parser hashes and sorts them,
 * abac_label_resolve_obj() keeps them in the object member store, and
 * the decision searches them by the binary search the subject side uses.
 * The label parser here is the kernel's (lsm/abac_decide.h), as are the
 * decisions.
 */
#include "kselftest_harness.h"
#include "common.h"

#define ZOE	"Dr. Zo\xc3\xab M\xc3\xbcller"	/* Dr. Zoë Müller */

#define LSETS_SCHEMA \
	"version: 1\n" \
	"name: lsets\n" \
	"attributes:\n" \
	"  subject:\n" \
	"    role: {type: string, values: [physician, clerk]}\n" \
	"    me: {type: string, open: true}\n" \
	"    wards: {type: set, open: true}\n" \
	"    grants: {type: set, open: true}\n" \
	"  object:\n" \
	"    type: {type: string, values: [record, other]}\n" \
	"    patients: {type: set, open: true}\n" \
	"    owner: {type: string, open: true}\n" \
	"    wards: {type: set, open: true}\n" \
	"    needs: {type: set, open: true}\n"

#define RULE(id, effect, ops, conds) \
	"  - {id: " id ", nlp: \"The rule " id ".\", effect: " effect "," \
	" ops: [" ops "], " conds "}\n"

static const char rel_policy[] = LSETS_SCHEMA
	"rules:\n"
	RULE("in", "allow", "read", "where: [\"subject.me in object.patients\"]")
	RULE("meet", "allow", "write",
	     "where: [\"object.wards intersects subject.wards\"]")
	RULE("needs", "allow", "exec",
	     "where: [\"object.needs subset subject.grants\"]")
	RULE("within", "allow", "delete",
	     "where: [\"subject.grants subset object.needs\"]")
	RULE("any", "allow", "create", "object: {wards: [north, \"" ZOE "\"]}")
	RULE("all", "allow", "relabel",
	     "object: {patients: {contains: [P-01, P-02]}}")
	RULE("none", "deny", "read", "object: {wards: {not: [ward-a, quarantine]}},"
	     " subject: {role: clerk}");

/* "type=record;patients=P-00,...,P-<n-1><extra>", malloc()ed. */
static char *patients_label(unsigned int n, const char *extra)
{
	size_t sz = 64 + (size_t)n * 8 + (extra ? strlen(extra) : 0);
	char *t = malloc(sz);
	size_t o;
	unsigned int i;

	if (!t)
		return NULL;
	o = snprintf(t, sz, "type=record;patients=");
	for (i = 0; i < n; i++)
		o += snprintf(t + o, sz - o, "%sP-%02u", i ? "," : "", i);
	if (extra)
		snprintf(t + o, sz - o, "%s", extra);
	return t;
}

static int obj_of(const struct abac_image *img, const char *s,
		  struct abac_object *ob)
{
	struct abac_label_pairs lp;

	memset(ob, 0, sizeof(*ob));
	return abac_label_parse_obj(img, (const __u8 *)s, strlen(s), &lp, ob);
}

/* Decide @op on label @label by cgroup @id of @img: 1 allow, 0 deny. */
static int decide_of(const struct abac_image *img, __u64 id, __u32 op,
		     const char *label)
{
	const struct abac_attrs *s = abac_subject_find(img, id);
	struct abac_object ob;
	struct abac_request rq = { .o = &ob.a, .ostore = 1 };
	struct abac_decision d;

	if (!s || obj_of(img, label, &ob))
		return -1;
	rq.s = s;
	abac_decide(img, op, &rq, &d);
	return d.effect == ABAC_ALLOW;
}

static int compile_rel(struct __test_metadata *_metadata,
		       struct abac_subject *s, unsigned int n, void **img,
		       struct abac_image *v)
{
	struct abac_diags d;
	size_t len;
	int err;

	abac_diags_init(&d);
	err = t_compile(rel_policy, s, n, img, &len, NULL, &d);
	if (!err)
		err = abac_image_check(*img, len, &d);
	if (err)
		t_diags_dump(&d);
	abac_diags_free(&d);
	if (!err)
		*v = abac_image_view(*img, len);
	return err;
}

TEST(a_label_holds_64_members_sorted_and_searched)
{
	struct abac_subject s[2] = {
		{ .cgroup_id = 1, .level = 1, .path = "/in",
		  .tags = "role=physician me=\"" ZOE "\"" },
		{ .cgroup_id = 2, .level = 1, .path = "/out",
		  .tags = "role=physician me=\"Dr. Zoe Muller\"" },
	};
	char *label = patients_label(63, ",Dr. Zo\xc3\xab M\xc3\xbcller");
	struct abac_label_pairs lp;
	struct abac_object ob;
	struct abac_image v;
	__u64 w;
	void *img;
	__u32 i;

	ASSERT_NE(NULL, label);
	ASSERT_EQ(0, compile_rel(_metadata, s, 2, &img, &v));
	ASSERT_EQ(0, obj_of(&v, label, &ob));
	w = ob.a.v[1];
	EXPECT_TRUE(!!(w & ABAC_SET_BIT));
	EXPECT_TRUE(!!(w & ABAC_SET_OBJ));
	EXPECT_EQ(64U, ABAC_SET_COUNT(w));
	EXPECT_EQ(64U, ob.n);
	for (i = 1; i < 64; i++)
		ASSERT_LT(ob.m[i - 1], ob.m[i]);
	/* every member found by the binary search, no other word */
	for (i = 0; i < 64; i++)
		EXPECT_EQ(1, abac_set_has(&v, t_hdr(img), &ob, w, ob.m[i]));
	EXPECT_EQ(0, abac_set_has(&v, t_hdr(img), &ob, w, 1));
	EXPECT_EQ(0, abac_set_has(&v, t_hdr(img), &ob, w, ~0ULL >> 1));
	/* no store: the handle cannot be read, fail closed */
	EXPECT_EQ(-1, abac_set_has(&v, t_hdr(img), NULL, w, ob.m[0]));
	/* without a member store the label is refused, not misread */
	memset(&ob, 0, sizeof(ob));
	EXPECT_EQ(-1, abac_label_parse(&v, (const __u8 *)label, strlen(label),
				       &lp, &ob.a));
	EXPECT_EQ(1, decide_of(&v, 1, ABAC_OP_READ, label));
	EXPECT_EQ(0, decide_of(&v, 2, ABAC_OP_READ, label));
	/* members in another order, repeated: the same set */
	EXPECT_EQ(1, decide_of(&v, 1, ABAC_OP_READ,
			       "patients=P-01," ZOE ",P-01;type=record"));
	free(img);
	free(label);
}

TEST(sixty_five_members_and_malformed_members_are_refused)
{
	struct abac_subject s = { .cgroup_id = 1, .level = 1, .path = "/a",
				  .tags = "role=physician me=x" };
	char *label = patients_label(65, NULL);
	struct abac_label_pairs lp = { 0 };
	struct abac_object ob;
	struct abac_image v;
	void *img;

	ASSERT_NE(NULL, label);
	ASSERT_EQ(0, compile_rel(_metadata, &s, 1, &img, &v));
	/* the parser takes 65 values; the resolver refuses the 65th member */
	EXPECT_EQ(0, abac_label_hash((const __u8 *)label, strlen(label), &lp));
	EXPECT_EQ(66U, lp.n);
	EXPECT_EQ(-1, obj_of(&v, label, &ob));
	free(label);
	label = patients_label(64, NULL);
	ASSERT_NE(NULL, label);
	EXPECT_EQ(0, obj_of(&v, label, &ob));
	free(label);
	/* malformed members: the whole label is refused */
	EXPECT_EQ(-1, obj_of(&v, "patients=a,,b", &ob));
	EXPECT_EQ(-1, obj_of(&v, "patients= a", &ob));
	EXPECT_EQ(-1, obj_of(&v, "patients=a\x01", &ob));
	EXPECT_EQ(-1, obj_of(&v, "patients=\xc3(", &ob));
	EXPECT_EQ(-1, obj_of(&v, "patients=a=b", &ob));
	/* escaped separators are member text */
	EXPECT_EQ(0, obj_of(&v, "patients=a\\,b,c\\;d", &ob));
	EXPECT_EQ(2U, ABAC_SET_COUNT(ob.a.v[1]));
	/* a one-value open attribute still takes one value */
	EXPECT_EQ(-1, obj_of(&v, "owner=a,b", &ob));
	free(img);
}

TEST(relations_between_object_and_subject_sets_both_ways)
{
	struct abac_subject s[3] = {
		{ .cgroup_id = 1, .level = 1, .path = "/a",
		  .tags = "role=physician me=P-01 wards=north,\"Ward 7\" grants=g1,g2,g3" },
		{ .cgroup_id = 2, .level = 1, .path = "/b",
		  .tags = "role=physician me=P-99 wards=south grants=g1" },
		{ .cgroup_id = 3, .level = 1, .path = "/c",
		  .tags = "role=clerk me=P-01 wards=east grants=g1" },
	};
	struct abac_image v;
	void *img;

	ASSERT_NE(0, ABAC_LABEL_SET_MEMBERS);
	ASSERT_EQ(0, compile_rel(_metadata, s, 3, &img, &v));
	/* intersects */
	EXPECT_EQ(1, decide_of(&v, 1, ABAC_OP_WRITE, "wards=Ward 7,west"));
	EXPECT_EQ(0, decide_of(&v, 2, ABAC_OP_WRITE, "wards=Ward 7,west"));
	/* object subset subject */
	EXPECT_EQ(1, decide_of(&v, 1, ABAC_OP_EXEC, "needs=g1,g3"));
	EXPECT_EQ(0, decide_of(&v, 2, ABAC_OP_EXEC, "needs=g1,g3"));
	/* subject subset object */
	EXPECT_EQ(0, decide_of(&v, 1, ABAC_OP_DELETE, "needs=g1,g3"));
	EXPECT_EQ(1, decide_of(&v, 1, ABAC_OP_DELETE, "needs=g1,g2,g3,g4"));
	EXPECT_EQ(1, decide_of(&v, 2, ABAC_OP_DELETE, "needs=g1"));
	/* constants: any-of, contains, none-of */
	EXPECT_EQ(1, decide_of(&v, 2, ABAC_OP_CREATE, "wards=x," ZOE));
	EXPECT_EQ(0, decide_of(&v, 2, ABAC_OP_CREATE, "wards=x,y"));
	EXPECT_EQ(1, decide_of(&v, 2, ABAC_OP_RELABEL, "patients=P-02,P-03,P-01"));
	EXPECT_EQ(0, decide_of(&v, 2, ABAC_OP_RELABEL, "patients=P-02,P-03"));
	/* none-of denies the clerk only a ward outside the list */
	EXPECT_EQ(0, decide_of(&v, 3, ABAC_OP_READ, "patients=P-01;wards=east"));
	EXPECT_EQ(1, decide_of(&v, 3, ABAC_OP_READ,
			       "patients=P-01;wards=quarantine"));
	/* an absent set: the relation is indeterminate, denied */
	EXPECT_EQ(0, decide_of(&v, 1, ABAC_OP_WRITE, "type=record"));
	free(img);
}

TEST(object_open_sets_are_refused_where_they_cannot_be_decided)
{
	struct abac_policy *p = NULL;
	struct abac_diags d;

	abac_diags_init(&d);
	EXPECT_NE(0, t_parse("version: 1\nname: x\nattributes:\n  object:\n"
			     "    patients: {type: set, open: true, default: [a]}\n",
			     &p, &d));
	EXPECT_NE(NULL, t_diag(&d, "an open set takes no default"))
		t_diags_dump(&d);
	abac_policy_free(p);
	abac_diags_free(&d);
}

TEST(an_image_with_an_object_set_handle_where_none_belongs_is_refused)
{
	struct abac_subject s = { .cgroup_id = 1, .level = 1, .path = "/a",
				  .tags = "role=physician me=x wards=a" };
	struct abac_image_hdr *h;
	struct abac_attrs *a;
	struct abac_image v;
	struct abac_diags d;
	void *img;

	ASSERT_EQ(0, compile_rel(_metadata, &s, 1, &img, &v));
	h = t_hdr(img);
	a = (struct abac_attrs *)abac_subject_find(&v, 1);
	ASSERT_NE(NULL, a);
	/* well formed before; after, only the flag differs */
	abac_diags_init(&d);
	EXPECT_EQ(0, abac_image_check(img, (size_t)h->total_records *
					   ABAC_REC_SIZE, &d));
	abac_diags_free(&d);
	a->v[2] |= ABAC_SET_OBJ;	/* the subject's wards */
	t_rehash(img, (size_t)h->total_records * ABAC_REC_SIZE);
	abac_diags_init(&d);
	EXPECT_NE(0, abac_image_check(img, (size_t)h->total_records *
					   ABAC_REC_SIZE, &d));
	EXPECT_NE(NULL, t_diag(&d, "open set 2 is not a sorted run"))
		t_diags_dump(&d);
	abac_diags_free(&d);
	free(img);
}

TEST_HARNESS_MAIN
