// SPDX-License-Identifier: GPL-2.0-only
/*
 * Open attributes, phase 1 (Documentation/scale.rst): the schema's
 * 'open: true', what the compiler refuses on them, the collision check
 * of declared values, and labels as the kernel parses them: an
 * undeclared value of an open attribute resolves to the hash of its
 * text, a closed one still must be declared, and everything malformed
 * or ambiguous fails closed.  lang_test.c decides requests over them.
 */
#include "kselftest_harness.h"
#include "common.h"

#define OPEN_SCHEMA(subj_extra, obj_extra) \
	"version: 1\n" \
	"name: open\n" \
	"attributes:\n" \
	"  subject:\n" \
	"    role: {type: string, values: [employee, guest]}\n" \
	"    user: {type: string, open: true}\n" \
	subj_extra \
	"  object:\n" \
	"    type: {type: string, values: [document, other]}\n" \
	"    owner: {type: string, open: true, values: [alice, \"Dr. Zo\xc3\xab M\xc3\xbcller\"]}\n" \
	obj_extra

#define OWN_RULE \
	"rules:\n" \
	"  - id: owner-edits\n" \
	"    nlp: \"An employee may edit documents they own.\"\n" \
	"    effect: allow\n" \
	"    ops: [read, write]\n" \
	"    subject: {role: employee}\n" \
	"    object: {type: document}\n" \
	"    where: [\"object.owner == subject.user\"]\n"

static const char own_policy[] = OPEN_SCHEMA("", "") OWN_RULE;

#define REFUSED(yaml, sub) t_expect_refused(_metadata, yaml, sub, false)

#define ONE_RULE(conds) \
	"rules:\n  - {id: r, nlp: \"The rule under test.\", effect: allow," \
	" ops: [read], " conds "}\n"

TEST(an_open_string_needs_no_values_and_others_cannot_be_open)
{
	struct abac_policy *p = NULL;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_parse(own_policy, &p, &d)) t_diags_dump(&d);
	EXPECT_TRUE(p->sattrs[1].open);
	EXPECT_FALSE(p->sattrs[0].open);
	EXPECT_TRUE(p->oattrs[1].open);
	abac_policy_free(p);
	abac_diags_free(&d);

	/* an open set: subjects and objects (sets_test.c, lsets_test.c) */
	REFUSED("version: 1\nname: x\nattributes:\n  environment:\n"
		"    tags: {type: set, open: true}\n",
		"an open set is supported on subjects and objects only");
	REFUSED(OPEN_SCHEMA("    age: {type: int, open: true}\n", "") OWN_RULE,
		"only a string or a set attribute may be open, not a int");
	REFUSED(OPEN_SCHEMA("    grade: {type: level, values: [a, b], open: true}\n", "")
		OWN_RULE, "only a string or a set attribute may be open, not a level");
	REFUSED(OPEN_SCHEMA("    ward: {type: string, open: maybe}\n", "") OWN_RULE,
		"'open' is true or false, not 'maybe'");
	REFUSED(OPEN_SCHEMA("    ward: {type: string, open: false}\n", "") OWN_RULE,
		"or declare it 'open: true'");
	REFUSED(OPEN_SCHEMA("    ward: {type: string, open: true, values: [a],"
			    " aliases: {b: a}}\n", "") OWN_RULE,
		"an open attribute's values have no aliases");
}

TEST(conditions_phase_1_cannot_decide_are_refused_by_name)
{
	/* a list of values is one ABAC_COND_IN since: enum_test.c */
	REFUSED(OPEN_SCHEMA("", "") ONE_RULE("subject: {user: {not: []}}"),
		"empty list of values for subject attribute 'user'");
	REFUSED(OPEN_SCHEMA("", "") ONE_RULE("subject: {user: {gte: alice}}"),
		"'gte' orders a level or an int");
	REFUSED(OPEN_SCHEMA("", "") ONE_RULE("subject: {user: {contains: alice}}"),
		"'contains' needs a set attribute");
	REFUSED(OPEN_SCHEMA("", "") ONE_RULE("subject: {user: {in: [alice]}}"),
		"condition operator");
	REFUSED(OPEN_SCHEMA("", "") ONE_RULE("where: [\"object.type == subject.user\"]"),
		"relates an open attribute to a closed one");
	REFUSED(OPEN_SCHEMA("", "") ONE_RULE("where: [\"object.owner >= subject.user\"]"),
		"orders only two levels or two ints");
	REFUSED(OPEN_SCHEMA("", "") ONE_RULE("subject: {user: \" alice\"}"),
		"for open subject attribute 'user': a value may not start or end with a space");
}

TEST(conditions_compile_to_equality_on_the_hash_of_the_text)
{
	static const char yaml[] = OPEN_SCHEMA("", "")
		ONE_RULE("subject: {user: {not: mallory}}, object: {owner: carol}")
		"  - {id: r2, nlp: \"None of two.\", effect: deny, ops: [read],"
		" subject: {user: {not: [eve, mallory]}}}\n";
	struct abac_image_hdr *h;
	struct abac_cond *c;
	const __u64 *m;
	__u64 lo, hi;
	size_t len;
	void *img;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_compile(yaml, NULL, 0, &img, &len, NULL, &d))
		t_diags_dump(&d);
	h = t_hdr(img);
	ASSERT_EQ(3U, h->nconds);
	c = t_rec(img, h->conds_off);
	EXPECT_EQ(ABAC_COND_NE, c->kind);
	EXPECT_EQ(t_value_word("mallory"), c->mask);
	c = t_rec(img, h->conds_off + 1);
	EXPECT_EQ(ABAC_COND_EQ, c->kind);
	EXPECT_EQ(ABAC_SIDE_OBJECT, c->side);
	EXPECT_EQ(t_value_word("carol"), c->mask);
	/* not: [a, b] is one "not in": a run of the two words, sorted */
	c = t_rec(img, h->conds_off + 2);
	EXPECT_EQ(ABAC_COND_NOT_IN, c->kind);
	EXPECT_EQ(2U, ABAC_SET_COUNT(c->mask));
	m = t_rec(img, h->members_off);
	lo = t_value_word("eve");
	hi = t_value_word("mallory");
	if (lo > hi) {
		lo = hi;
		hi = t_value_word("eve");
	}
	EXPECT_EQ(lo, m[ABAC_SET_FIRST(c->mask)]);
	EXPECT_EQ(hi, m[ABAC_SET_FIRST(c->mask) + 1]);
	free(img);
	abac_diags_free(&d);
}

TEST(the_collision_check_names_both_texts_and_ignores_a_shared_one)
{
	const char *texts[] = { "alice", "bob", "carol", "alice" };
	__u64 words[] = { 7, 9, 7, 7 };	/* injected: carol hashes as alice */
	char err[256];

	EXPECT_EQ(-EEXIST, abac_open_collisions(texts, words, 4, err,
						sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "'alice' and 'carol' hash alike"))
		TH_LOG("%s", err);
	words[2] = 8;	/* no collision; "alice" twice is one value */
	EXPECT_EQ(0, abac_open_collisions(texts, words, 4, err, sizeof(err)));
	EXPECT_EQ(0, abac_open_collisions(texts, words, 1, err, sizeof(err)));
	/* the real words of distinct declared values differ */
	words[0] = abac_open_word("alice", 5);
	words[1] = abac_open_word("bob", 3);
	words[2] = abac_open_word("carol", 5);
	words[3] = abac_open_word("alice", 5);
	EXPECT_EQ(0, abac_open_collisions(texts, words, 4, err, sizeof(err)));
}

/* Resolve label @s against @img: 0 and @o, or -1. */
static int label_of(const void *img, size_t len, const char *s,
		    struct abac_attrs *o)
{
	const struct abac_image v = abac_image_view(img, len);
	struct abac_label_pairs lp;

	memset(o, 0, sizeof(*o));
	return abac_label_parse(&v, (const __u8 *)s, strlen(s), &lp, o);
}

TEST(labels_carry_any_open_value_and_only_declared_closed_ones)
{
	struct abac_attrs o;
	struct abac_dict_ent *e;
	struct abac_image_hdr *h;
	unsigned int i, open = 0;
	size_t len;
	void *img;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_compile(own_policy, NULL, 0, &img, &len, NULL, &d))
		t_diags_dump(&d);
	ASSERT_EQ(0, abac_image_check(img, len, &d)) t_diags_dump(&d);
	h = t_hdr(img);
	/* owner: one open entry, however many values it declares */
	for (i = 0; i < h->dict_size; i++) {
		e = t_rec(img, h->dict_off + i);
		if (e->hash && (e->flags & ABAC_DICT_OPEN)) {
			open++;
			EXPECT_EQ(1, e->attr);
			EXPECT_EQ(t_pair_hash("owner=*"), e->hash);
		}
	}
	EXPECT_EQ(1U, open);
	EXPECT_EQ(ABAC_META_OPEN, ((struct abac_attr_meta *)
		t_rec(img, h->meta_off + h->n_sattrs + 1))->flags);

	ASSERT_EQ(0, label_of(img, len, "type=document;owner=Dr. Zo\xc3\xab M\xc3\xbcller", &o));
	EXPECT_EQ(t_value_word("Dr. Zo\xc3\xab M\xc3\xbcller"), o.v[1]);
	EXPECT_EQ(1ULL, o.v[0]);	/* document: bit 0 */
	ASSERT_EQ(0, label_of(img, len, "owner=nobody-declared-me", &o));
	EXPECT_EQ(t_value_word("nobody-declared-me"), o.v[1]);
	/* the escapes of a label stand for the bytes they escape */
	ASSERT_EQ(0, label_of(img, len, "owner=a\\,b\\;c\\=d", &o));
	EXPECT_EQ(t_value_word("a,b;c=d"), o.v[1]);
	ASSERT_EQ(0, label_of(img, len, "owner=alice,alice", &o));
	EXPECT_EQ(t_value_word("alice"), o.v[1]);
	/* fail closed: two values, an unknown closed value, unknown key */
	EXPECT_EQ(-1, label_of(img, len, "owner=alice,bob", &o));
	EXPECT_EQ(-1, label_of(img, len, "owner=alice;owner=bob", &o));
	EXPECT_EQ(-1, label_of(img, len, "type=documnt;owner=alice", &o));
	EXPECT_EQ(-1, label_of(img, len, "colour=blue", &o));
	EXPECT_EQ(-1, label_of(img, len, "owner= alice", &o));
	EXPECT_EQ(-1, label_of(img, len, "owner=bad\xc3", &o));
	free(img);
	abac_diags_free(&d);
}

TEST(an_image_under_another_key_refuses_open_values_only)
{
	struct abac_hash_key *key;
	struct abac_attrs o;
	size_t len;
	void *img;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_compile(own_policy, NULL, 0, &img, &len, NULL, &d))
		t_diags_dump(&d);
	key = t_rec(img, t_hdr(img)->key_off);
	key->k1 ^= 1;
	t_rehash(img, len);
	ASSERT_EQ(0, abac_image_check(img, len, &d)) t_diags_dump(&d);
	EXPECT_EQ(-1, label_of(img, len, "type=document;owner=alice", &o));
	ASSERT_EQ(0, label_of(img, len, "type=other", &o));
	EXPECT_EQ(2ULL, o.v[0]);
	free(img);
	abac_diags_free(&d);
}

TEST(tags_of_open_attributes_are_hashed_in_user_space)
{
	struct abac_policy *p = NULL;
	struct abac_attrs s;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_parse(own_policy, &p, &d)) t_diags_dump(&d);
	ASSERT_EQ(0, abac_attrs_resolve(p, ABAC_SIDE_SUBJECT, "<s>",
					"role=employee user=\"Dr. Zo\xc3\xab M\xc3\xbcller\"",
					&s, &d)) t_diags_dump(&d);
	EXPECT_EQ(t_value_word("Dr. Zo\xc3\xab M\xc3\xbcller"), s.v[1]);
	/* a closed attribute still takes only its values */
	EXPECT_NE(0, abac_attrs_resolve(p, ABAC_SIDE_SUBJECT, "<s>",
					"role=boss user=x", &s, &d));
	EXPECT_NE(NULL, t_diag(&d, "unknown value 'boss'"));
	/* a one-value open attribute takes one value */
	EXPECT_NE(0, abac_attrs_resolve(p, ABAC_SIDE_SUBJECT, "<s>",
					"user=a,b", &s, &d));
	abac_policy_free(p);
	abac_diags_free(&d);
}

TEST(explain_names_declared_and_rule_values_of_open_attributes)
{
	static const char yaml[] = OPEN_SCHEMA("", "")
		ONE_RULE("subject: {user: {not: mallory}}");
	struct abac_policy *p = NULL;
	char buf[128];
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_parse(yaml, &p, &d)) t_diags_dump(&d);
	EXPECT_STREQ("mallory", abac_attr_word_text(&p->sattrs[1],
		t_value_word("mallory"), buf, sizeof(buf)));
	EXPECT_STREQ("Dr. Zo\xc3\xab M\xc3\xbcller", abac_attr_word_text(
		&p->oattrs[1], t_value_word("Dr. Zo\xc3\xab M\xc3\xbcller"),
		buf, sizeof(buf)));
	abac_attr_word_text(&p->sattrs[1], t_value_word("eve"), buf,
			    sizeof(buf));
	EXPECT_EQ('#', buf[0]) TH_LOG("%s", buf);
	abac_policy_free(p);
	abac_diags_free(&d);
}

TEST(tools_that_enumerate_values_refuse_open_attributes_by_name)
{
	const struct abac_policy *pols[1];
	struct abac_policy *p = NULL;
	struct abac_image v;
	struct abac_space *sp;
	struct abac_diags d;
	size_t len;
	void *img;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_compile(own_policy, NULL, 0, &img, &len, &p, &d))
		t_diags_dump(&d);
	sp = calloc(1, sizeof(*sp));
	ASSERT_NE(NULL, sp);
	pols[0] = p;
	v = abac_image_view(img, len);
	EXPECT_NE(0, abac_space_init(sp, pols, &v, 1, &d));
	EXPECT_NE(NULL, t_diag(&d, "is an open attribute: policies with open attributes are not analysed yet"))
		t_diags_dump(&d);
	free(sp);
	free(img);
	abac_policy_free(p);
	abac_diags_free(&d);
}

TEST_HARNESS_MAIN
