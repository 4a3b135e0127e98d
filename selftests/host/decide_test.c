// SPDX-License-Identifier: GPL-2.0-only
/*
 * The decision core (lsm/abac_decide.h) over compiled images, on the host:
 * the same code the BPF program runs, fed by the policy compiler.
 *
 * Three tables drive most of it: decisions (subject tags, object label,
 * operation -> effect, reason, rule), labels (bytes -> attributes or
 * refusal) and hand-written condition kinds the compiler does not emit
 * yet (NONE, PRESENT, ABSENT, REL_EQ, REL_NE).
 */
#include "kselftest_harness.h"
#include "common.h"

/*
 * TEST_F() in the 6.12 harness keeps a local across its setjmp(); gcc -O2
 * -Wextra then warns inside the harness's own macro.  The warning is not
 * about this file's code.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wclobbered"
#endif

#define NONE_RULE	((int)ABAC_RULE_NONE)
#define HOSPITAL	NULL	/* policy-examples/hospital.yaml */

#define ORDER_ATTRS \
	"version: 1\n" \
	"name: order\n" \
	"attributes:\n" \
	"  subject:\n" \
	"    role: {type: string, values: [a, b]}\n" \
	"  object:\n" \
	"    type: {type: string, values: [x, y]}\n"

#define RULE_ALLOW_A \
	"  - {id: allow-a, nlp: \"A may read and write anything.\"," \
	" effect: allow, ops: [read, write], subject: {role: a}}\n"
#define RULE_DENY_X \
	"  - {id: deny-x, nlp: \"Nobody may read x.\", effect: deny," \
	" ops: [read], object: {type: x}}\n"

static const char allow_first[] = ORDER_ATTRS "rules:\n" RULE_ALLOW_A
				  RULE_DENY_X;
static const char deny_first[] = ORDER_ATTRS "rules:\n" RULE_DENY_X
				 RULE_ALLOW_A;
static const char default_allow[] = ORDER_ATTRS "default: allow\nrules:\n"
				    RULE_DENY_X;
static const char misc[] = ORDER_ATTRS
	"rules:\n"
	"  - {id: a-reads, nlp: \"A may read.\", effect: allow, ops: [read],"
	" subject: {role: a}}\n"
	"  - {id: a-or-b-reads-x, nlp: \"A and B may read x.\","
	" effect: allow, ops: [read], subject: {role: [a, b]},"
	" object: {type: x}}\n"
	"  - {id: anyone-listens, nlp: \"Anyone may listen.\","
	" effect: allow, ops: [listen]}\n"
	"  - {id: b-relabels, nlp: \"B may relabel x and y.\","
	" effect: allow, ops: [relabel], subject: {role: b},"
	" object: {type: [x, y]}}\n";

/* Compile @yaml (NULL: the hospital example); *@p and the image out. */
static void compile_into(struct __test_metadata *_metadata, const char *yaml,
			 struct abac_policy **p, void **img, size_t *len)
{
	char buf[PATH_MAX];
	struct abac_diags d;
	const char *path;
	int err;

	abac_diags_init(&d);
	if (yaml) {
		err = t_parse(yaml, p, &d);
	} else {
		path = t_src_path("policy-examples/hospital.yaml", buf,
				  sizeof(buf));
		err = abac_policy_parse_file(path, p, &d);
	}
	ASSERT_EQ(0, err) t_diags_dump(&d);
	ASSERT_EQ(0, abac_image_build(*p, NULL, 0, img, len, &d))
		t_diags_dump(&d);
	ASSERT_EQ(0, abac_image_check(*img, *len, &d)) t_diags_dump(&d);
	abac_diags_free(&d);
}

/* ---- decisions --------------------------------------------------------- */

FIXTURE(decide) {
	struct abac_policy *p;
	void *img;
	size_t len;
};

/*
 * FIXTURE_VARIANT(decide) - one decision.
 * @yaml: the policy, or HOSPITAL.
 * @tags: the subject's tags; NULL: a subject with no attributes.
 * @label: the object's user.abac; NULL: an object with no attributes.
 * @op: the operation.
 * @effect: the expected effect.
 * @reason: the expected reason.
 * @rule: the expected deciding rule, or NONE_RULE.
 */
FIXTURE_VARIANT(decide) {
	const char *yaml;
	const char *tags;
	const char *label;
	unsigned int op;
	int effect;
	int reason;
	int rule;
};

FIXTURE_SETUP(decide)
{
	compile_into(_metadata, variant->yaml, &self->p, &self->img,
		     &self->len);
}

FIXTURE_TEARDOWN(decide)
{
	free(self->img);
	abac_policy_free(self->p);
}

TEST_F(decide, decides_as_the_table_says)
{
	struct abac_image v = abac_image_view(self->img, self->len);
	struct abac_attrs s = { 0 }, o = { 0 };
	struct abac_label_pairs lp;
	struct abac_decision d;
	struct abac_diags dg;

	abac_diags_init(&dg);
	if (variant->tags)
		ASSERT_EQ(0, abac_tags_resolve(self->p, variant->tags, &s, &dg))
			t_diags_dump(&dg);
	if (variant->label)
		ASSERT_EQ(0, abac_label_parse(&v, (const __u8 *)variant->label,
					      strlen(variant->label), &lp, &o));
	t_decide(&v, variant->op, &s, &o, &d);
	EXPECT_EQ(variant->effect, d.effect);
	EXPECT_EQ(variant->reason, d.reason);
	EXPECT_EQ(variant->rule, (int)d.rule);
	abac_diags_free(&dg);
}

#define NP_CARDIO	"role=nurse-practitioner department=cardiology"
#define HEART_RECORD	"type=medical-record;patient-condition=heart"

FIXTURE_VARIANT_ADD(decide, np_in_cardiology_reads_a_heart_record) {
	HOSPITAL, NP_CARDIO, HEART_RECORD, ABAC_OP_READ,
	ABAC_ALLOW, ABAC_REASON_RULE, 0,
};

FIXTURE_VARIANT_ADD(decide, np_in_cardiology_may_not_write_a_heart_record) {
	HOSPITAL, NP_CARDIO, HEART_RECORD, ABAC_OP_WRITE,
	ABAC_DENY, ABAC_REASON_DEFAULT, NONE_RULE,
};

FIXTURE_VARIANT_ADD(decide, np_in_oncology_may_not_read_a_heart_record) {
	HOSPITAL, "role=nurse-practitioner department=oncology", HEART_RECORD,
	ABAC_OP_READ, ABAC_DENY, ABAC_REASON_DEFAULT, NONE_RULE,
};

FIXTURE_VARIANT_ADD(decide, np_in_cardiology_may_not_read_a_cancer_record) {
	HOSPITAL, NP_CARDIO, "type=medical-record;patient-condition=cancer",
	ABAC_OP_READ, ABAC_DENY, ABAC_REASON_DEFAULT, NONE_RULE,
};

FIXTURE_VARIANT_ADD(decide, np_without_a_department_is_indeterminate) {
	HOSPITAL, "role=nurse-practitioner", HEART_RECORD, ABAC_OP_READ,
	ABAC_DENY, ABAC_REASON_INDETERMINATE, 0,
};

FIXTURE_VARIANT_ADD(decide, record_without_a_condition_is_indeterminate) {
	HOSPITAL, NP_CARDIO, "type=medical-record", ABAC_OP_READ,
	ABAC_DENY, ABAC_REASON_INDETERMINATE, 0,
};

FIXTURE_VARIANT_ADD(decide, cardiology_doctor_updates_a_heart_record) {
	HOSPITAL, "role=doctor department=cardiology", HEART_RECORD,
	ABAC_OP_WRITE, ABAC_ALLOW, ABAC_REASON_RULE, 1,
};

FIXTURE_VARIANT_ADD(decide, oncology_doctor_reads_an_oncology_lab_result) {
	HOSPITAL, "role=doctor department=oncology",
	"type=lab-result;department=oncology", ABAC_OP_READ,
	ABAC_ALLOW, ABAC_REASON_RULE, 3,
};

FIXTURE_VARIANT_ADD(decide, oncology_np_matches_the_second_value_of_an_any_of) {
	HOSPITAL, "role=nurse-practitioner department=oncology",
	"department=oncology;type=lab-result", ABAC_OP_READ,
	ABAC_ALLOW, ABAC_REASON_RULE, 3,
};

FIXTURE_VARIANT_ADD(decide, cardiology_lab_result_is_not_the_oncology_one) {
	HOSPITAL, "role=doctor department=oncology",
	"type=lab-result;department=cardiology", ABAC_OP_READ,
	ABAC_DENY, ABAC_REASON_DEFAULT, NONE_RULE,
};

FIXTURE_VARIANT_ADD(decide, billing_clerk_updates_an_invoice) {
	HOSPITAL, "role=billing-clerk department=billing", "type=invoice",
	ABAC_OP_WRITE, ABAC_ALLOW, ABAC_REASON_RULE, 4,
};

FIXTURE_VARIANT_ADD(decide, billing_clerk_may_not_exec_an_invoice) {
	HOSPITAL, "role=billing-clerk department=billing", "type=invoice",
	ABAC_OP_EXEC, ABAC_DENY, ABAC_REASON_DEFAULT, NONE_RULE,
};

FIXTURE_VARIANT_ADD(decide, billing_clerk_is_denied_a_medical_record_by_rule) {
	HOSPITAL, "role=billing-clerk department=billing", HEART_RECORD,
	ABAC_OP_READ, ABAC_DENY, ABAC_REASON_RULE, 5,
};

FIXTURE_VARIANT_ADD(decide, doctor_in_billing_is_denied_a_medical_record) {
	HOSPITAL, "role=doctor department=billing", HEART_RECORD,
	ABAC_OP_READ, ABAC_DENY, ABAC_REASON_RULE, 5,
};

FIXTURE_VARIANT_ADD(decide, unlabelled_object_is_indeterminate_for_a_rule_naming_it) {
	HOSPITAL, NP_CARDIO, NULL, ABAC_OP_READ,
	ABAC_DENY, ABAC_REASON_INDETERMINATE, 0,
};

FIXTURE_VARIANT_ADD(decide, deny_after_an_allow_still_overrides_it) {
	allow_first, "role=a", "type=x", ABAC_OP_READ,
	ABAC_DENY, ABAC_REASON_RULE, 1,
};

FIXTURE_VARIANT_ADD(decide, deny_before_an_allow_overrides_it) {
	deny_first, "role=a", "type=x", ABAC_OP_READ,
	ABAC_DENY, ABAC_REASON_RULE, 0,
};

FIXTURE_VARIANT_ADD(decide, allow_stands_when_the_deny_does_not_match) {
	deny_first, "role=a", "type=y", ABAC_OP_READ,
	ABAC_ALLOW, ABAC_REASON_RULE, 1,
};

FIXTURE_VARIANT_ADD(decide, deny_for_read_does_not_touch_write) {
	allow_first, "role=a", "type=x", ABAC_OP_WRITE,
	ABAC_ALLOW, ABAC_REASON_RULE, 0,
};

FIXTURE_VARIANT_ADD(decide, default_deny_when_no_rule_applies) {
	allow_first, "role=b", "type=y", ABAC_OP_READ,
	ABAC_DENY, ABAC_REASON_DEFAULT, NONE_RULE,
};

FIXTURE_VARIANT_ADD(decide, default_allow_when_no_rule_applies) {
	default_allow, "role=b", "type=y", ABAC_OP_READ,
	ABAC_ALLOW, ABAC_REASON_DEFAULT, NONE_RULE,
};

FIXTURE_VARIANT_ADD(decide, default_allow_yields_to_a_matching_deny) {
	default_allow, "role=b", "type=x", ABAC_OP_READ,
	ABAC_DENY, ABAC_REASON_RULE, 0,
};

FIXTURE_VARIANT_ADD(decide, first_matching_allow_is_the_deciding_rule) {
	misc, "role=a", "type=x", ABAC_OP_READ,
	ABAC_ALLOW, ABAC_REASON_RULE, 0,
};

FIXTURE_VARIANT_ADD(decide, later_allow_decides_when_the_first_does_not_match) {
	misc, "role=b", "type=x", ABAC_OP_READ,
	ABAC_ALLOW, ABAC_REASON_RULE, 1,
};

FIXTURE_VARIANT_ADD(decide, rule_without_conditions_matches_a_bare_subject) {
	misc, NULL, NULL, ABAC_OP_LISTEN,
	ABAC_ALLOW, ABAC_REASON_RULE, 2,
};

FIXTURE_VARIANT_ADD(decide, subject_without_the_attribute_is_indeterminate) {
	misc, NULL, "type=x", ABAC_OP_READ,
	ABAC_DENY, ABAC_REASON_INDETERMINATE, 0,
};

FIXTURE_VARIANT_ADD(decide, relabel_op_bit_selects_the_relabel_rule) {
	misc, "role=b", "type=y", ABAC_OP_RELABEL,
	ABAC_ALLOW, ABAC_REASON_RULE, 3,
};

FIXTURE_VARIANT_ADD(decide, relabel_rule_does_not_grant_read) {
	misc, "role=b", "type=y", ABAC_OP_READ,
	ABAC_DENY, ABAC_REASON_DEFAULT, NONE_RULE,
};

FIXTURE_VARIANT_ADD(decide, op_beyond_the_named_ones_matches_nothing) {
	misc, "role=a", "type=x", ABAC_OP_COUNT,
	ABAC_DENY, ABAC_REASON_DEFAULT, NONE_RULE,
};

/* ---- labels ------------------------------------------------------------ */

#define V63 "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
#define V255 V63 V63 V63 V63 "vvv"		/* ABAC_VALUE_MAX bytes */
#define W62 "wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww"
#define W251 W62 W62 W62 W62 "www"
#define T8  "t=x;t=x;t=x;t=x;t=x;t=x;t=x;t=x"
#define V255x7 V255 "," V255 "," V255 "," V255 "," V255 "," V255 "," V255
#define V255x63 V255x7 "," V255x7 "," V255x7 "," V255x7 "," V255x7 ","	\
	V255x7 "," V255x7 "," V255x7 "," V255x7
/* ABAC_LABEL_MAX bytes: 2 + 63 * 255 + 62 + 4 + 251 */
#define LABEL_MAX_TEXT "k=" V255x63 ";kk=" W251
#define ZOE "Dr. Zo\xc3\xab M\xc3\xbcller"	/* e and u with diaeresis */

static const char label_policy[] =
	"version: 1\n"
	"name: labels\n"
	"attributes:\n"
	"  object:\n"
	"    t: {type: string, values: [x, y]}\n"
	"    colour: {type: string, values: [red, green, \"" ZOE "\",\n"
	"             \"a,b;c=d\\\\e\"]}\n"
	"    k: {type: string, values: [" V255 "]}\n"
	"    kk: {type: string, values: [" W251 "]}\n"
	"rules: []\n";

FIXTURE(label) {
	struct abac_policy *p;
	void *img;
	size_t len;
};

/*
 * FIXTURE_VARIANT(label) - one user.abac value.
 * @buf: its bytes.
 * @len: their count; 0 means strlen(@buf).
 * @ok: whether the label is accepted.
 * @t: the mask expected for attribute t (0).
 * @colour: the mask expected for attribute colour (1).
 */
FIXTURE_VARIANT(label) {
	const char *buf;
	unsigned int len;
	bool ok;
	__u64 t, colour;
};

FIXTURE_SETUP(label)
{
	compile_into(_metadata, label_policy, &self->p, &self->img,
		     &self->len);
}

FIXTURE_TEARDOWN(label)
{
	free(self->img);
	abac_policy_free(self->p);
}

TEST_F(label, parses_as_the_table_says)
{
	struct abac_image v = abac_image_view(self->img, self->len);
	unsigned int len = variant->len ? variant->len : strlen(variant->buf);
	struct abac_label_pairs lp;
	struct abac_attrs o = { 0 };
	int r;

	r = abac_label_parse(&v, (const __u8 *)variant->buf, len, &lp, &o);
	ASSERT_EQ(variant->ok ? 0 : -1, r);
	if (variant->ok) {
		EXPECT_EQ(variant->t, o.v[0]);
		EXPECT_EQ(variant->colour, o.v[1]);
	}
}

FIXTURE_VARIANT_ADD(label, one_pair) {
	.buf = "t=y", .ok = true, .t = 2,
};

FIXTURE_VARIANT_ADD(label, two_pairs) {
	.buf = "colour=green;t=x", .ok = true, .t = 1, .colour = 2,
};

FIXTURE_VARIANT_ADD(label, trailing_nul_as_setfattr_writes_it) {
	.buf = "t=x", .len = 4, .ok = true, .t = 1,
};

FIXTURE_VARIANT_ADD(label, same_value_twice_is_harmless) {
	.buf = "t=x,x;t=x", .ok = true, .t = 1,
};

FIXTURE_VARIANT_ADD(label, exactly_label_max_bytes) {
	.buf = LABEL_MAX_TEXT, .ok = true,
};

FIXTURE_VARIANT_ADD(label, utf8_value_with_spaces) {
	.buf = "colour=" ZOE, .ok = true, .colour = 4,
};

FIXTURE_VARIANT_ADD(label, escaped_separators_are_one_value) {
	.buf = "colour=a\\,b\\;c\\=d\\\\e;t=x", .ok = true, .t = 1,
	.colour = 8,
};

FIXTURE_VARIANT_ADD(label, unescaped_separators_split_the_value) {
	.buf = "colour=a,b;c=d\\\\e", .ok = false,
};

FIXTURE_VARIANT_ADD(label, value_without_the_diaeresis_is_another_value) {
	.buf = "colour=Dr. Zoe Muller", .ok = false,
};

FIXTURE_VARIANT_ADD(label, value_of_255_bytes) {
	.buf = "k=" V255, .ok = true,
};

FIXTURE_VARIANT_ADD(label, value_of_256_bytes_is_refused) {
	.buf = "k=" V255 "v", .ok = false,
};

FIXTURE_VARIANT_ADD(label, leading_space_is_refused) {
	.buf = "colour= " ZOE, .ok = false,
};

FIXTURE_VARIANT_ADD(label, trailing_space_is_refused) {
	.buf = "colour=" ZOE " ;t=x", .ok = false,
};

FIXTURE_VARIANT_ADD(label, malformed_utf8_is_refused) {
	.buf = "colour=Dr. Zo\xc3 M\xc3\xbcller", .ok = false,
};

FIXTURE_VARIANT_ADD(label, a_pair_repeated_33_times_is_one_pair) {
	.buf = T8 ";" T8 ";" T8 ";" T8 ";t=x", .ok = true, .t = 1,
};

FIXTURE_VARIANT_ADD(label, empty_is_refused) {
	.buf = "", .ok = false,
};

FIXTURE_VARIANT_ADD(label, lone_nul_is_refused) {
	.buf = "", .len = 1, .ok = false,
};

FIXTURE_VARIANT_ADD(label, key_without_equals_is_refused) {
	.buf = "t", .ok = false,
};

FIXTURE_VARIANT_ADD(label, empty_value_is_refused) {
	.buf = "t=", .ok = false,
};

FIXTURE_VARIANT_ADD(label, empty_key_is_refused) {
	.buf = "=x", .ok = false,
};

FIXTURE_VARIANT_ADD(label, empty_value_after_comma_is_refused) {
	.buf = "t=x,", .ok = false,
};

FIXTURE_VARIANT_ADD(label, trailing_semicolon_is_refused) {
	.buf = "t=x;", .ok = false,
};

FIXTURE_VARIANT_ADD(label, space_is_refused) {
	.buf = "t=x; colour=red", .ok = false,
};

FIXTURE_VARIANT_ADD(label, newline_is_refused) {
	.buf = "t=x\n", .ok = false,
};

FIXTURE_VARIANT_ADD(label, nul_inside_is_refused) {
	.buf = "t=x\0colour=red", .len = 14, .ok = false,
};

FIXTURE_VARIANT_ADD(label, unknown_key_is_refused) {
	.buf = "t=x;shape=round", .ok = false,
};

FIXTURE_VARIANT_ADD(label, unknown_value_is_refused) {
	.buf = "colour=blue", .ok = false,
};

FIXTURE_VARIANT_ADD(label, two_values_of_a_single_valued_attribute) {
	.buf = "t=x,y", .ok = false,
};

FIXTURE_VARIANT_ADD(label, two_pairs_for_a_single_valued_attribute) {
	.buf = "t=x;t=y", .ok = false,
};

FIXTURE_VARIANT_ADD(label, longer_than_label_max_bytes_is_refused) {
	.buf = "k=" V255x63 "," V255, .ok = false,
};

TEST(label_table_lengths_are_what_their_names_say)
{
	EXPECT_EQ(ABAC_VALUE_MAX, (int)strlen(V255));
	EXPECT_EQ(ABAC_LABEL_MAX, (int)strlen(LABEL_MAX_TEXT));
	EXPECT_EQ(ABAC_LABEL_MAX + 1, (int)strlen("k=" V255x63 "," V255));
}

/*
 * ABAC_LABEL_PAIRS distinct pairs parse, sorted by key and value without
 * duplicates; one more is refused.
 */
TEST(label_pairs_up_to_the_limit_parse_sorted_and_one_more_is_refused)
{
	struct abac_label_pairs lp;
	char buf[ABAC_LABEL_PAIRS * 16];
	size_t o = 0;
	__u32 i;

	for (i = 0; i < ABAC_LABEL_PAIRS; i++)
		o += snprintf(buf + o, sizeof(buf) - o, "%sa%u=x,x",
			      i ? ";" : "", ABAC_LABEL_PAIRS - i);
	ASSERT_EQ(0, abac_label_hash((const __u8 *)buf, o, &lp));
	ASSERT_EQ((__u32)ABAC_LABEL_PAIRS, lp.n);
	for (i = 1; i < lp.n; i++)
		EXPECT_LT(lp.k[i - 1], lp.k[i]);
	snprintf(buf + o, sizeof(buf) - o, ";b=x");
	EXPECT_EQ(-1, abac_label_hash((const __u8 *)buf, strlen(buf), &lp));
}

/* ---- conditions the compiler does not emit yet ------------------------- */

static const char raw_policy[] =
	"version: 1\n"
	"name: raw\n"
	"attributes:\n"
	"  subject:\n"
	"    role: {type: string, values: [a, b, c]}\n"
	"    dept: {type: string, values: [x, y]}\n"
	"  object:\n"
	"    dept: {type: string, values: [x, y]}\n"
	"    type: {type: string, values: [r, s]}\n"
	"rules:\n"
	"  - id: one\n"
	"    nlp: \"A placeholder whose condition each test rewrites.\"\n"
	"    effect: allow\n"
	"    ops: [read]\n"
	"    subject: {role: a}\n";

FIXTURE(raw) {
	struct abac_policy *p;
	void *img;
	size_t len;
};

/*
 * FIXTURE_VARIANT(raw) - one hand-written condition and one request.
 * @kind, @side, @attr, @rhs, @mask: the condition record.
 * @srole, @sdept: the subject's masks.
 * @odept: the object's dept mask.
 * @allow: whether the rule (the only one) applies.
 */
FIXTURE_VARIANT(raw) {
	__u8 kind, side, attr, rhs;
	__u64 mask;
	__u64 srole, sdept, odept;
	bool allow;
	bool indet;
};

FIXTURE_SETUP(raw)
{
	struct abac_cond *c;
	struct abac_rule *r;

	compile_into(_metadata, raw_policy, &self->p, &self->img, &self->len);
	r = t_rec(self->img, t_hdr(self->img)->rules_off);
	ASSERT_EQ(1, r->ncond);
	c = t_rec(self->img, r->cond);
	c->kind = variant->kind;
	c->side = variant->side;
	c->attr = variant->attr;
	c->rhs = variant->rhs;
	if (variant->kind == ABAC_COND_REL_EQ ||
	    variant->kind == ABAC_COND_REL_NE)
		c->rhs_side = ABAC_SIDE_OBJECT;
	c->mask = variant->mask;
	t_rehash(self->img, self->len);
	ASSERT_EQ(0, abac_image_check(self->img, self->len, NULL));
}

FIXTURE_TEARDOWN(raw)
{
	free(self->img);
	abac_policy_free(self->p);
}

TEST_F(raw, condition_kind_decides_as_the_table_says)
{
	struct abac_image v = abac_image_view(self->img, self->len);
	struct abac_attrs s = { 0 }, o = { 0 };
	struct abac_decision d;

	s.v[0] = variant->srole;
	s.v[1] = variant->sdept;
	o.v[0] = variant->odept;
	t_decide(&v, ABAC_OP_READ, &s, &o, &d);
	EXPECT_EQ(variant->allow ? ABAC_ALLOW : ABAC_DENY, d.effect);
	EXPECT_EQ(variant->allow || variant->indet ? 0 : NONE_RULE,
		  (int)d.rule);
	EXPECT_EQ(variant->allow ? ABAC_OUT_PERMIT :
		  variant->indet ? ABAC_OUT_INDET : ABAC_OUT_NA, d.outcome);
}

#define S	ABAC_SIDE_SUBJECT
#define O	ABAC_SIDE_OBJECT

FIXTURE_VARIANT_ADD(raw, none_holds_for_another_value) {
	ABAC_COND_NONE, S, 0, 0, 0x1, .srole = 0x2, .allow = true,
};

FIXTURE_VARIANT_ADD(raw, none_fails_for_a_listed_value) {
	ABAC_COND_NONE, S, 0, 0, 0x3, .srole = 0x2, .allow = false,
};

FIXTURE_VARIANT_ADD(raw, none_is_indeterminate_when_the_attribute_is_absent) {
	ABAC_COND_NONE, S, 0, 0, 0x1, .srole = 0, .allow = false,
	.indet = true,
};

FIXTURE_VARIANT_ADD(raw, present_holds_for_any_value) {
	ABAC_COND_PRESENT, S, 1, 0, 0, .sdept = 0x2, .allow = true,
};

FIXTURE_VARIANT_ADD(raw, present_fails_when_absent) {
	ABAC_COND_PRESENT, S, 1, 0, 0, .srole = 0x1, .allow = false,
};

FIXTURE_VARIANT_ADD(raw, absent_holds_when_absent) {
	ABAC_COND_ABSENT, O, 0, 0, 0, .odept = 0, .allow = true,
};

FIXTURE_VARIANT_ADD(raw, absent_fails_when_present) {
	ABAC_COND_ABSENT, O, 0, 0, 0, .odept = 0x1, .allow = false,
};

FIXTURE_VARIANT_ADD(raw, rel_eq_holds_for_the_same_department) {
	ABAC_COND_REL_EQ, S, 1, 0, 0, .sdept = 0x2, .odept = 0x2,
	.allow = true,
};

FIXTURE_VARIANT_ADD(raw, rel_eq_fails_for_another_department) {
	ABAC_COND_REL_EQ, S, 1, 0, 0, .sdept = 0x1, .odept = 0x2,
	.allow = false,
};

FIXTURE_VARIANT_ADD(raw, rel_eq_is_indeterminate_when_the_object_has_none) {
	ABAC_COND_REL_EQ, S, 1, 0, 0, .sdept = 0x1, .odept = 0,
	.allow = false, .indet = true,
};

FIXTURE_VARIANT_ADD(raw, rel_ne_holds_for_another_department) {
	ABAC_COND_REL_NE, S, 1, 0, 0, .sdept = 0x1, .odept = 0x2,
	.allow = true,
};

FIXTURE_VARIANT_ADD(raw, rel_ne_fails_for_the_same_department) {
	ABAC_COND_REL_NE, S, 1, 0, 0, .sdept = 0x2, .odept = 0x2,
	.allow = false,
};

FIXTURE_VARIANT_ADD(raw, rel_ne_is_indeterminate_when_the_subject_has_none) {
	ABAC_COND_REL_NE, S, 1, 0, 0, .sdept = 0, .odept = 0x2,
	.allow = false, .indet = true,
};

/* ---- subject table ----------------------------------------------------- */

static const char subj_policy[] =
	"version: 1\n"
	"name: subjects\n"
	"attributes:\n"
	"  subject:\n"
	"    role: {type: string, values: [a, b, c, d]}\n"
	"    team: {type: string, values: [t0, t1, t2, t3, t4, t5, t6, t7]}\n"
	"rules: []\n";

static void build_subjects(struct __test_metadata *_metadata,
			   struct abac_subject *s, size_t n, void **img,
			   size_t *len, int expect)
{
	struct abac_policy *p = NULL;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_parse(subj_policy, &p, &d));
	ASSERT_EQ(expect, abac_image_build(p, s, n, img, len, &d))
		t_diags_dump(&d);
	if (!expect)
		ASSERT_EQ(0, abac_image_check(*img, *len, &d))
			t_diags_dump(&d);
	abac_policy_free(p);
	abac_diags_free(&d);
}

static void tag(struct abac_subject *s, __u64 id, unsigned int i)
{
	memset(s, 0, sizeof(*s));
	s->cgroup_id = id;
	s->level = i % 7;
	snprintf(s->tags, sizeof(s->tags), "role=%c team=t%u", 'a' + i % 4,
		 i % 8);
}

static void expect_found(struct __test_metadata *_metadata, const void *img,
			 size_t len, const struct abac_subject *s, size_t n)
{
	struct abac_image v = abac_image_view(img, len);
	const struct abac_attrs *a;
	size_t i;

	for (i = 0; i < n; i++) {
		a = abac_subject_find(&v, s[i].cgroup_id);
		ASSERT_NE(NULL, a) TH_LOG("cgroup %llu",
					  (unsigned long long)s[i].cgroup_id);
		ASSERT_EQ(1ULL << (i % 4), a->v[0]);
		ASSERT_EQ(1ULL << (i % 8), a->v[1]);
	}
}

TEST(one_subject_is_found_and_others_are_not)
{
	struct abac_subject s;
	struct abac_image v;
	size_t len;
	void *img;

	tag(&s, 12345, 0);
	s.level = 3;
	build_subjects(_metadata, &s, 1, &img, &len, 0);
	v = abac_image_view(img, len);
	expect_found(_metadata, img, len, &s, 1);
	EXPECT_EQ(2U, t_hdr(img)->subj_size);
	EXPECT_EQ(1U << 3, t_hdr(img)->tag_levels);
	EXPECT_EQ(NULL, abac_subject_find(&v, 12346));
	free(img);
}

TEST(subjects_sharing_a_home_slot_are_found_by_probing)
{
	struct abac_subject s[8];
	__u64 id;
	size_t n = 0, len;
	void *img;

	/* eight ids whose home slot in a 16-slot table is the same */
	for (id = 1; n < 8; id++)
		if (abac_subj_slot(id, 16) == 5)
			tag(&s[n], id, n), n++;
	build_subjects(_metadata, s, 8, &img, &len, 0);
	EXPECT_EQ(16U, t_hdr(img)->subj_size);
	expect_found(_metadata, img, len, s, 8);
	free(img);
}

TEST(colliding_subjects_beyond_the_probe_limit_grow_the_table)
{
	struct abac_subject s[12];
	__u64 id;
	size_t n = 0, len;
	void *img;

	/* twelve ids on one home slot of 32: more than eight probes */
	for (id = 1; n < 12; id++)
		if (abac_subj_slot(id, 32) == 9)
			tag(&s[n], id, n), n++;
	build_subjects(_metadata, s, 12, &img, &len, 0);
	EXPECT_LT(32U, t_hdr(img)->subj_size);
	expect_found(_metadata, img, len, s, 12);
	free(img);
}

TEST(two_thousand_subjects_are_all_found)
{
	struct abac_subject *s = calloc(2048, sizeof(*s));
	struct abac_image v;
	size_t i, len;
	void *img;

	ASSERT_NE(NULL, s);
	/* clustered ids, as cgroup inode numbers are */
	for (i = 0; i < 2048; i++)
		tag(&s[i], 1000 + i * (i % 3 ? 1 : 4096), i);
	build_subjects(_metadata, s, 2048, &img, &len, 0);
	EXPECT_EQ(4096U, t_hdr(img)->subj_size);
	expect_found(_metadata, img, len, s, 2048);
	v = abac_image_view(img, len);
	EXPECT_EQ(NULL, abac_subject_find(&v, 999));
	free(img);
	free(s);
}

TEST(more_subjects_than_an_image_holds_fail_with_e2big)
{
	struct abac_subject *s = calloc(ABAC_MAX_SUBJECTS + 1, sizeof(*s));
	size_t i, len;
	void *img = NULL;

	ASSERT_NE(NULL, s);
	for (i = 0; i < ABAC_MAX_SUBJECTS + 1; i++)
		tag(&s[i], 1 + i, i);
	build_subjects(_metadata, s, ABAC_MAX_SUBJECTS + 1, &img, &len,
		       -E2BIG);
	EXPECT_EQ(NULL, img);
	free(s);
}

/* ---- the core fails closed --------------------------------------------- */

TEST(image_shorter_than_a_header_denies_as_bad_image)
{
	struct abac_attrs s = { 0 }, o = { 0 };
	struct abac_image v = { NULL, 0 };
	__u8 rec[ABAC_REC_SIZE * 4] = { 0 };
	struct abac_decision d;

	t_decide(&v, ABAC_OP_READ, &s, &o, &d);
	EXPECT_EQ(ABAC_DENY, d.effect);
	EXPECT_EQ(ABAC_REASON_BAD_IMAGE, d.reason);
	v.base = rec;
	v.nrec = 4;
	t_decide(&v, ABAC_OP_READ, &s, &o, &d);
	EXPECT_EQ(ABAC_REASON_BAD_IMAGE, d.reason);
}

TEST(rule_pointing_outside_an_unchecked_image_denies_as_bad_image)
{
	struct abac_attrs s = { 0 }, o = { 0 };
	struct abac_policy *p = NULL;
	struct abac_decision d;
	struct abac_image v;
	struct abac_rule *r;
	size_t len;
	void *img;

	compile_into(_metadata, misc, &p, &img, &len);
	s.v[0] = 1;
	r = t_rec(img, t_hdr(img)->rules_off);
	r->cond = 0xfffffff0;
	v = abac_image_view(img, len);
	t_decide(&v, ABAC_OP_READ, &s, &o, &d);
	EXPECT_EQ(ABAC_DENY, d.effect);
	EXPECT_EQ(ABAC_REASON_BAD_IMAGE, d.reason);
	EXPECT_NE(0, abac_image_check(img, len, NULL));
	free(img);
	abac_policy_free(p);
}

TEST_HARNESS_MAIN
