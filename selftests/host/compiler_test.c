// SPDX-License-Identifier: GPL-2.0-only
/*
 * The policy compiler on the host: YAML in, diagnostics or an image out.
 *
 * Bad input must fail with the right errno and name the right line,
 * column and offending word; good input must give the image the ABI
 * describes, the same bytes every time; and the loader must refuse every
 * image that is truncated, corrupt or lies about its own tables.
 */
#include "kselftest_harness.h"
#include "common.h"

/* Lines 1-10 of most inline policies; rules follow from line 11. */
#define HEAD \
	"version: 1\n" \
	"name: t\n" \
	"attributes:\n" \
	"  subject:\n" \
	"    role: {type: string, values: [nurse, doctor, clerk]}\n" \
	"    department: {type: string, values: [cardiology, oncology, billing]}\n" \
	"  object:\n" \
	"    type: {type: string, values: [record, invoice]}\n" \
	"    condition: {type: string, values: [heart, cancer]}\n" \
	"rules:\n"

/* Lines 11-14 of a rule "r1"; lines 15-16 are the test's own. */
#define RULE_TOP \
	"  - id: r1\n" \
	"    nlp: \"Nurses may read records.\"\n" \
	"    effect: allow\n" \
	"    ops: [read]\n"

#define GOOD \
	HEAD RULE_TOP \
	"    subject: {role: nurse, department: cardiology}\n" \
	"    object: {type: record, condition: heart}\n" \
	"  - id: r2\n" \
	"    nlp: \"Clerks may never write records.\"\n" \
	"    effect: deny\n" \
	"    ops: [write, delete]\n" \
	"    subject: {role: [clerk, doctor]}\n" \
	"    object: {type: record}\n"

/*
 * Parse @yaml and expect it refused with @err and a diagnostic at
 * @line:@col holding @sub; the policy pointer must stay untouched.
 */
static void expect_bad(struct __test_metadata *_metadata, const char *yaml,
		       size_t len, int err, unsigned int line,
		       unsigned int col, const char *sub)
{
	struct abac_policy *sentinel = (struct abac_policy *)&sentinel;
	struct abac_policy *p = sentinel;
	const struct abac_diag *g;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(err, abac_policy_parse_buf(T_FILE, yaml, len, &p, &d));
	ASSERT_TRUE(p == sentinel);
	ASSERT_LT(0, (int)d.errors);
	g = t_diag(&d, sub);
	ASSERT_NE(NULL, g) t_diags_dump(&d);
	EXPECT_STREQ(T_FILE, g->file);
	EXPECT_EQ(line, g->line) t_diags_dump(&d);
	EXPECT_EQ(col, g->column) t_diags_dump(&d);
	EXPECT_FALSE(g->warning);
	abac_diags_free(&d);
}

#define EXPECT_BAD(yaml, err, line, col, sub) \
	expect_bad(_metadata, yaml, strlen(yaml), err, line, col, sub)

/* Compile GOOD-like @yaml; the image is the caller's to free. */
static void *must_compile(struct __test_metadata *_metadata, const char *yaml,
			  const struct abac_subject *s, size_t n, size_t *len)
{
	struct abac_diags d;
	void *img = NULL;
	int err;

	abac_diags_init(&d);
	err = t_compile(yaml, s, n, &img, len, NULL, &d);
	ASSERT_EQ(0, err) t_diags_dump(&d);
	ASSERT_EQ(0, abac_image_check(img, *len, &d)) t_diags_dump(&d);
	abac_diags_free(&d);
	return img;
}

/* Expect abac_image_check() to refuse @img with @err and a message. */
static void expect_refused(struct __test_metadata *_metadata, const void *img,
			   size_t len, int err, const char *sub)
{
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(err, abac_image_check(img, len, &d));
	ASSERT_EQ(1, (int)d.n);
	EXPECT_STREQ("<image>", d.v[0].file);
	EXPECT_NE(NULL, strstr(d.v[0].msg, sub)) TH_LOG("%s", d.v[0].msg);
	abac_diags_free(&d);
}

/* ---- bad policies: each names its line, column and word ---------------- */

TEST(unknown_subject_value_is_rejected_with_line_and_column)
{
	EXPECT_BAD(HEAD RULE_TOP
		   "    subject: {role: nurse, department: cardiolgy}\n",
		   -EINVAL, 15, 40,
		   "unknown value 'cardiolgy' for subject attribute 'department' (did you mean 'cardiology'?)");
}

TEST(misspelt_rule_key_is_rejected_with_a_suggestion)
{
	EXPECT_BAD(HEAD
		   "  - id: r1\n"
		   "    nlp: \"Nurses may read records.\"\n"
		   "    efect: allow\n"
		   "    ops: [read]\n",
		   -EINVAL, 13, 5,
		   "unknown key 'efect' in rule 'r1' (did you mean 'effect'?)");
}

TEST(missing_rule_key_is_reported_where_the_rule_starts)
{
	EXPECT_BAD(HEAD
		   "  - id: r1\n"
		   "    nlp: \"Nurses may read records.\"\n"
		   "    ops: [read]\n",
		   -EINVAL, 11, 5, "missing key 'effect' in rule 'r1'");
}

TEST(duplicate_rule_id_is_rejected_at_the_second_id)
{
	EXPECT_BAD(HEAD RULE_TOP
		   "    subject: {role: nurse}\n"
		   "    object: {type: record}\n"
		   "  - id: r1\n"
		   "    nlp: \"Again.\"\n"
		   "    effect: deny\n"
		   "    ops: [write]\n",
		   -EINVAL, 17, 9, "duplicate rule id 'r1' (first at line 11)");
}

TEST(empty_ops_list_is_rejected)
{
	EXPECT_BAD(HEAD
		   "  - id: r1\n"
		   "    nlp: \"Nurses may read records.\"\n"
		   "    effect: allow\n"
		   "    ops: []\n",
		   -EINVAL, 14, 10, "rule 'r1': ops must not be empty");
}

TEST(unknown_operation_is_rejected_with_a_suggestion)
{
	EXPECT_BAD(HEAD
		   "  - id: r1\n"
		   "    nlp: \"Nurses may read records.\"\n"
		   "    effect: allow\n"
		   "    ops: [read, raed]\n",
		   -EINVAL, 14, 17,
		   "unknown operation 'raed' (did you mean 'read'?)");
}

TEST(ops_given_as_a_scalar_is_rejected_as_not_a_list)
{
	EXPECT_BAD(HEAD
		   "  - id: r1\n"
		   "    nlp: \"Nurses may read records.\"\n"
		   "    effect: allow\n"
		   "    ops: read\n",
		   -EINVAL, 14, 10,
		   "expected a list for 'ops' in rule 'r1', found a scalar");
}

TEST(rule_that_is_not_a_mapping_is_rejected)
{
	EXPECT_BAD(HEAD "  - just-a-sentence\n", -EINVAL, 11, 5,
		   "expected a mapping for rule #1, found a scalar");
}

TEST(unknown_effect_is_rejected_with_a_suggestion)
{
	EXPECT_BAD(HEAD
		   "  - id: r1\n"
		   "    nlp: \"Nurses may read records.\"\n"
		   "    effect: alow\n"
		   "    ops: [read]\n",
		   -EINVAL, 13, 13, "unknown effect 'alow' (did you mean 'allow'?)");
}

TEST(yaml_syntax_error_carries_libyaml_position_and_text)
{
	EXPECT_BAD(HEAD
		   "  - id: r1\n"
		   "    nlp: \"Nurses may read records.\"\n"
		   "    effect: allow: now\n",
		   -EINVAL, 13, 18,
		   "mapping values are not allowed in this context");
}

TEST(quoted_key_with_a_nul_escape_is_not_the_plain_key)
{
	EXPECT_BAD(HEAD
		   "  - id: r1\n"
		   "    nlp: \"Nurses may read records.\"\n"
		   "    \"effect\\0\": allow\n"
		   "    ops: [read]\n",
		   -EINVAL, 13, 5,
		   "unknown key 'effect\\x00' in rule 'r1' (did you mean 'effect'?)");
}

TEST(duplicate_mapping_key_is_rejected_at_the_second_key)
{
	EXPECT_BAD(HEAD
		   "  - id: r1\n"
		   "    nlp: \"Nurses may read records.\"\n"
		   "    effect: allow\n"
		   "    effect: deny\n"
		   "    ops: [read]\n",
		   -EINVAL, 14, 5, "duplicate key 'effect' (first at line 13)");
}

TEST(unknown_top_level_key_is_rejected_with_a_suggestion)
{
	EXPECT_BAD("version: 1\n"
		   "nme: t\n"
		   "attributes: {}\n"
		   "rules: []\n",
		   -EINVAL, 2, 1,
		   "unknown key 'nme' at top level (did you mean 'name'?)");
}

TEST(missing_top_level_key_is_reported_at_the_document)
{
	EXPECT_BAD("version: 1\n"
		   "name: t\n"
		   "attributes: {}\n",
		   -EINVAL, 1, 1, "missing key 'rules' at top level");
}

TEST(version_other_than_1_is_rejected)
{
	EXPECT_BAD("version: 2\nname: t\nattributes: {}\nrules: []\n",
		   -EINVAL, 1, 10, "unsupported policy language version '2'");
}

TEST(unknown_mode_is_rejected_with_a_suggestion)
{
	EXPECT_BAD("version: 1\nname: t\nmode: enfroce\n"
		   "attributes: {}\nrules: []\n",
		   -EINVAL, 3, 7,
		   "unknown mode 'enfroce' (did you mean 'enforce'?)");
}

TEST(unknown_combining_algorithm_is_rejected)
{
	EXPECT_BAD("version: 1\nname: t\ncombining: only-one-applicable\n"
		   "attributes: {}\nrules: []\n",
		   -EINVAL, 3, 12,
		   "unknown combining algorithm 'only-one-applicable' (expected one of: deny-overrides, permit-overrides, first-applicable)");
}

TEST(alias_is_rejected)
{
	EXPECT_BAD("version: 1\nname: *n\nattributes: {}\nrules: []\n",
		   -EINVAL, 2, 7, "aliases are not allowed in a policy ('*n')");
}

TEST(anchor_is_rejected)
{
	EXPECT_BAD("version: 1\nname: &n t\nattributes: {}\nrules: []\n",
		   -EINVAL, 2, 7, "anchors are not allowed in a policy ('&n')");
}

TEST(billion_laughs_alias_bomb_is_rejected_at_the_first_anchor)
{
	EXPECT_BAD("version: 1\n"
		   "name: t\n"
		   "a: &a [x, x, x, x, x, x, x, x, x]\n"
		   "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		   "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
		   -EINVAL, 3, 4, "anchors are not allowed");
}

TEST(nesting_deeper_than_32_levels_is_rejected)
{
	char yaml[256];
	int i, o;

	/* the document mapping is level 1, so the 32nd '[' is level 33 */
	o = sprintf(yaml, "version: 1\nname: t\nx: ");
	for (i = 0; i < 40; i++)
		yaml[o++] = '[';
	for (i = 0; i < 40; i++)
		yaml[o++] = ']';
	yaml[o++] = '\n';
	yaml[o] = '\0';
	EXPECT_BAD(yaml, -EINVAL, 3, 4 + 31, "nesting deeper than 32 levels");
}

TEST(scalar_longer_than_4096_bytes_is_rejected)
{
	static const char head[] = "version: 1\nname: ";
	char *yaml = malloc(8192);

	ASSERT_NE(NULL, yaml);
	memcpy(yaml, head, sizeof(head) - 1);
	memset(yaml + sizeof(head) - 1, 'a', 4097);
	memcpy(yaml + sizeof(head) - 1 + 4097, "\n", 2);
	EXPECT_BAD(yaml, -EINVAL, 2, 7, "scalar longer than 4096 bytes");
	free(yaml);
}

TEST(text_larger_than_256_mib_is_rejected_before_parsing)
{
	size_t len = ABAC_POLICY_MAX_BYTES + 1;
	char *yaml = malloc(len);

	ASSERT_NE(NULL, yaml);
	memset(yaml, '#', len);
	expect_bad(_metadata, yaml, len, -EFBIG, 0, 0, "larger than 256 MiB");
	free(yaml);
}

TEST(nul_byte_is_rejected_with_its_position)
{
	static const char yaml[] = "version: 1\nna\0me: t\n";

	expect_bad(_metadata, yaml, sizeof(yaml) - 1, -EINVAL, 2, 3,
		   "NUL byte");
}

TEST(invalid_utf8_is_rejected_with_its_position_in_characters)
{
	/* "é" is two bytes but one column */
	EXPECT_BAD("version: 1\nname: \xc3\xa9\xff\n", -EINVAL, 2, 8,
		   "invalid UTF-8 (byte 0xff)");
}

TEST(control_character_is_rejected_with_libyaml_text_and_position)
{
	EXPECT_BAD("version: 1\nname: a\001b\n", -EINVAL, 2, 8,
		   "control characters are not allowed (byte 0x01)");
}

TEST(byte_order_mark_is_skipped)
{
	struct abac_policy *p = NULL;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_parse("\xef\xbb\xbf" GOOD, &p, &d)) t_diags_dump(&d);
	abac_policy_free(p);
	abac_diags_free(&d);
	EXPECT_BAD("\xef\xbb\xbfversion: 1\nnam: t\n", -EINVAL, 2, 1,
		   "unknown key 'nam' at top level");
}

TEST(rules_key_without_a_list_is_rejected)
{
	EXPECT_BAD(HEAD, -EINVAL, 10, 7,
		   "expected a list for 'rules', found a null");
}

TEST(empty_text_is_rejected)
{
	EXPECT_BAD("# nothing but a comment\n", -EINVAL, 1, 1,
		   "the policy is empty");
}

TEST(two_documents_are_rejected)
{
	EXPECT_BAD("version: 1\n---\nversion: 1\n", -EINVAL, 2, 1,
		   "a policy is one YAML document");
}

TEST(top_level_list_is_rejected_as_not_a_mapping)
{
	EXPECT_BAD("- version: 1\n", -EINVAL, 1, 1,
		   "expected a mapping for the policy, found a list");
}

TEST(attribute_name_outside_the_charset_is_rejected_once)
{
	struct abac_policy *p = NULL;
	struct abac_diags d;
	const char *yaml =
		"version: 1\nname: t\nattributes:\n  subject:\n"
		"    r\xc3\xb4le: {type: string, values: [nurse]}\n"
		"rules:\n" RULE_TOP "    subject: {role: nurse}\n";

	EXPECT_BAD(yaml, -EINVAL, 5, 5, "invalid attribute name 'r\xc3\xb4le'");
	/* the rule's use of "role" is not reported on top of it */
	abac_diags_init(&d);
	ASSERT_EQ(-EINVAL, t_parse(yaml, &p, &d));
	EXPECT_EQ(1, (int)d.errors) t_diags_dump(&d);
	abac_diags_free(&d);
}

TEST(duplicate_declared_value_is_rejected)
{
	EXPECT_BAD("version: 1\nname: t\nattributes:\n  subject:\n"
		   "    role: {type: string, values: [nurse, doctor, nurse]}\n"
		   "rules: []\n",
		   -EINVAL, 5, 50,
		   "duplicate value 'nurse' in subject attribute 'role'");
}

/* ---- values as people write them --------------------------------------- */

#define ZOE	"Dr. Zo\xc3\xab M\xc3\xbcller"	/* e and u with diaeresis */
#define V255	"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv" \
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv" \
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv" \
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv" \
		"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"

/* A subject and an object attribute whose values are UTF-8 text. */
#define UTF8_POLICY(values) \
	"version: 1\nname: t\nattributes:\n  subject:\n" \
	"    person: {type: set, values: " values "}\n" \
	"  object:\n" \
	"    owner: {type: string, values: " values "}\n" \
	"rules:\n" RULE_TOP \
	"    subject: {person: \"" ZOE "\"}\n" \
	"    object: {owner: [\"" ZOE "\", \"Smith, J.\"]}\n"

#define UTF8_VALUES \
	"[\"" ZOE "\", \"Dr. Zoe Muller\", \"Smith, J.\", \"a;b=c\\\\d\", " \
	"\"" V255 "\"]"

TEST(utf8_values_with_spaces_and_separators_compile_and_decide)
{
	static const struct {
		const char *label;
		int decided;	/* 1 permit, 0 not applicable, -1 refused */
	} cases[] = {
		{ "owner=" ZOE, 1 },
		{ "owner=Smith\\, J.", 1 },
		{ "owner=Dr. Zoe Muller", 0 },
		{ "owner=a\\;b\\=c\\\\d", 0 },
		{ "owner=" V255, 0 },
		{ "owner=Smith, J.", -1 },	/* " J." starts with a space */
		{ "owner=Dr. Zoe", -1 },	/* not declared */
	};
	struct abac_label_pairs lp;
	struct abac_decision dec;
	struct abac_request rq;
	struct abac_policy *p = NULL;
	struct abac_attrs s, o;
	struct abac_image v;
	struct abac_diags d;
	size_t len, i;
	void *img;

	img = must_compile(_metadata, UTF8_POLICY(UTF8_VALUES), NULL, 0,
			   &len);
	v = abac_image_view(img, len);
	abac_diags_init(&d);
	ASSERT_EQ(0, t_parse(UTF8_POLICY(UTF8_VALUES), &p, &d));
	/* tag text: a value holding spaces is double-quoted */
	ASSERT_EQ(0, abac_tags_resolve(p, "person=\"" ZOE "\",Smith\\,\" J.\"",
				       &s, &d)) t_diags_dump(&d);
	EXPECT_EQ((1ULL << 0) | (1ULL << 2), s.v[0]);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(&o, 0, sizeof(o));
		if (abac_label_parse(&v, (const __u8 *)cases[i].label,
				     strlen(cases[i].label), &lp, &o)) {
			EXPECT_EQ(-1, cases[i].decided) TH_LOG("%s",
							       cases[i].label);
			continue;
		}
		rq = (struct abac_request){ .s = &s, .o = &o };
		abac_decide(&v, ABAC_OP_READ, &rq, &dec);
		EXPECT_EQ(cases[i].decided, dec.outcome == ABAC_OUT_PERMIT)
			TH_LOG("%s", cases[i].label);
	}
	abac_diags_free(&d);
	abac_policy_free(p);
	free(img);
}

TEST(utf8_value_words_print_escaped_and_read_back)
{
	struct abac_policy *p = NULL;
	struct abac_diags d;
	char text[1024], err[320];
	__u64 w = 0;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_parse(UTF8_POLICY(UTF8_VALUES), &p, &d));
	abac_attr_word_text(&p->sattrs[0], 0xe, text, sizeof(text));
	EXPECT_STREQ("Dr. Zoe Muller,Smith\\, J.,a\\;b\\=c\\\\d", text);
	ASSERT_EQ(0, abac_attr_word(&p->sattrs[0], text, strlen(text), &w,
				    err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_EQ(0xeULL, w);
	abac_diags_free(&d);
	abac_policy_free(p);
}

TEST(tags_with_a_quote_not_closed_are_rejected)
{
	struct abac_policy *p = NULL;
	struct abac_attrs a;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_parse(UTF8_POLICY(UTF8_VALUES), &p, &d));
	ASSERT_EQ(-EINVAL, abac_tags_resolve(p, "person=\"Dr. Zoe Muller",
					     &a, &d));
	ASSERT_EQ(1, (int)d.n) t_diags_dump(&d);
	EXPECT_NE(NULL, strstr(d.v[0].msg, "a '\"' not closed"))
		TH_LOG("%s", d.v[0].msg);
	abac_diags_free(&d);
	abac_policy_free(p);
}

TEST(value_with_a_control_character_is_rejected)
{
	EXPECT_BAD(UTF8_POLICY("[\"Dr.\\tZoe\"]"), -EINVAL, 5, 34,
		   "invalid value 'Dr.\\x09Zoe': control character U+0009 at byte 4");
}

TEST(value_with_a_c1_control_character_is_rejected)
{
	EXPECT_BAD(UTF8_POLICY("[\"Zoe\\x85\"]"), -EINVAL, 5, 34,
		   "invalid value 'Zoe\\xc2\\x85': control character U+0085 at byte 4");
}

TEST(value_of_256_bytes_is_rejected)
{
	EXPECT_BAD(UTF8_POLICY("[" V255 "v]"), -EINVAL, 5, 34,
		   "a value is at most 255 bytes (of UTF-8), this one is 256");
}

TEST(value_with_a_leading_space_is_rejected)
{
	EXPECT_BAD(UTF8_POLICY("[\" Zoe\"]"), -EINVAL, 5, 34,
		   "invalid value ' Zoe': a value may not start or end with a space");
}

TEST(value_with_a_nul_escape_is_rejected)
{
	EXPECT_BAD(UTF8_POLICY("[\"Zo\\0e\"]"), -EINVAL, 5, 34,
		   "a NUL byte");
}

TEST(rule_id_outside_the_charset_says_values_may_be_utf8)
{
	EXPECT_BAD(HEAD "  - id: r\xc3\xa8gle\n"
		   "    nlp: \"Nurses may read records.\"\n"
		   "    effect: allow\n    ops: [read]\n"
		   "    subject: {role: nurse}\n", -EINVAL, 11, 9,
		   "names are 1 to 63 ASCII characters of A-Z a-z 0-9 _ . : / @ + - (attribute values may be any UTF-8 text)");
}

TEST(empty_value_list_is_rejected)
{
	EXPECT_BAD("version: 1\nname: t\nattributes:\n  subject:\n"
		   "    role: {type: string, values: []}\n"
		   "rules: []\n",
		   -EINVAL, 5, 34,
		   "subject attribute 'role': values must not be empty");
}

/*
 * A set is a mask of 64 bits at most; a string or a level of more values
 * is a large enumeration since (enum_test.c).
 */
static char *values_65(char *yaml, const char *type)
{
	char *line;
	int i, o;

	o = sprintf(yaml, "version: 1\nname: t\nattributes:\n  object:\n");
	line = yaml + o;
	o += sprintf(yaml + o, "    a: {type: %s, values: [", type);
	for (i = 0; i < 65; i++)
		o += sprintf(yaml + o, "%sv%d", i ? ", " : "", i);
	sprintf(yaml + o, "]}\nrules: []\n");
	return line;
}

TEST(more_than_64_values_of_a_set_are_rejected_at_the_65th)
{
	struct abac_policy *p = NULL;
	char yaml[2048], *line;
	struct abac_diags d;

	line = values_65(yaml, "set");
	EXPECT_BAD(yaml, -EINVAL, 5, strstr(line, "v64") - line + 1,
		   "object attribute 'a': more than 64 values");
	values_65(yaml, "string");
	abac_diags_init(&d);
	EXPECT_EQ(0, abac_policy_parse_buf(T_FILE, yaml, strlen(yaml), &p,
					   &d)) t_diags_dump(&d);
	EXPECT_EQ(65U, p ? p->oattrs[0].nvalues : 0);
	abac_policy_free(p);
	abac_diags_free(&d);
}

TEST(more_than_16_attributes_on_a_side_are_rejected_at_the_17th)
{
	char yaml[2048];
	int i, o;

	o = sprintf(yaml, "version: 1\nname: t\nattributes:\n  subject:\n");
	for (i = 0; i < 17; i++)
		o += sprintf(yaml + o, "    a%d: {type: string, values: [x]}\n",
			     i);
	sprintf(yaml + o, "rules: []\n");
	EXPECT_BAD(yaml, -EINVAL, 21, 5, "more than 16 subject attributes");
}

TEST(more_than_1024_networks_are_rejected_naming_the_limit)
{
	size_t cap = 64 * (ABAC_MAX_NETS + 16), o;
	char *yaml = malloc(cap);
	int i;

	ASSERT_NE(NULL, yaml);
	o = sprintf(yaml, "version: 1\nname: t\nattributes:\n  object:\n"
		    "    t: {type: string, values: [x]}\nnetworks:\n");
	for (i = 0; i <= ABAC_MAX_NETS; i++)
		o += sprintf(yaml + o, "  n%d: {cidrs: [10.%d.%d.0/24], "
			     "attributes: {t: x}}\n", i, i / 256, i % 256);
	sprintf(yaml + o, "rules: []\n");
	EXPECT_BAD(yaml, -EINVAL, 7 + ABAC_MAX_NETS, 3,
		   "more than 1024 networks (ABAC_MAX_NETS)");
	free(yaml);
}

TEST(unknown_attribute_type_is_rejected_with_a_suggestion)
{
	EXPECT_BAD("version: 1\nname: t\nattributes:\n  subject:\n"
		   "    role: {type: strng, values: [a]}\n"
		   "rules: []\n",
		   -EINVAL, 5, 18,
		   "unknown attribute type 'strng' (did you mean 'string'?)");
}

TEST(unknown_key_in_attribute_declaration_is_rejected)
{
	EXPECT_BAD("version: 1\nname: t\nattributes:\n  subject:\n"
		   "    role: {type: string, value: [a]}\n"
		   "rules: []\n",
		   -EINVAL, 5, 26,
		   "unknown key 'value' in subject attribute 'role' (did you mean 'values'?)");
}

TEST(unknown_object_attribute_in_rule_is_rejected)
{
	EXPECT_BAD(HEAD RULE_TOP
		   "    subject: {role: nurse}\n"
		   "    object: {typ: record}\n",
		   -EINVAL, 16, 14,
		   "unknown object attribute 'typ' in rule 'r1' (did you mean 'type'?)");
}

TEST(object_value_used_for_a_subject_attribute_is_rejected)
{
	EXPECT_BAD(HEAD RULE_TOP "    subject: {role: record}\n",
		   -EINVAL, 15, 21,
		   "unknown value 'record' for subject attribute 'role' (expected one of: nurse, doctor, clerk)");
}

TEST(unknown_value_inside_an_any_of_list_is_rejected)
{
	EXPECT_BAD(HEAD RULE_TOP "    subject: {role: [nurse, docter]}\n",
		   -EINVAL, 15, 29,
		   "unknown value 'docter' for subject attribute 'role' (did you mean 'doctor'?)");
}

TEST(unknown_condition_operator_is_rejected)
{
	EXPECT_BAD(HEAD RULE_TOP "    subject: {role: {is: nurse}}\n",
		   -EINVAL, 15, 22,
		   "unknown condition operator 'is' (expected one of: not, present, gte, lte, gt, lt, contains)");
}

TEST(empty_nlp_is_rejected)
{
	EXPECT_BAD(HEAD
		   "  - id: r1\n"
		   "    nlp: \"  \"\n"
		   "    effect: allow\n"
		   "    ops: [read]\n",
		   -EINVAL, 12, 10, "rule 'r1': nlp must not be empty");
}

TEST(more_than_16_conditions_in_a_rule_are_rejected)
{
	char yaml[4096];
	int i, o;

	o = sprintf(yaml, "version: 1\nname: t\nattributes:\n  subject:\n");
	for (i = 0; i < 9; i++)
		o += sprintf(yaml + o, "    s%d: {type: string, values: [x]}\n",
			     i);
	o += sprintf(yaml + o, "  object:\n");
	for (i = 0; i < 8; i++)
		o += sprintf(yaml + o, "    o%d: {type: string, values: [x]}\n",
			     i);
	/* line 23 */
	o += sprintf(yaml + o, "rules:\n" RULE_TOP "    subject:\n");
	for (i = 0; i < 9; i++)
		o += sprintf(yaml + o, "      s%d: x\n", i);
	o += sprintf(yaml + o, "    object:\n");
	for (i = 0; i < 8; i++)
		o += sprintf(yaml + o, "      o%d: x\n", i);
	/* rule at 24, subject: at 28, s0..s8 at 29-37, object: 38, o7: 46 */
	EXPECT_BAD(yaml, -EINVAL, 46, 7, "rule 'r1': more than 16 conditions");
}

/* ABAC_MAX_RULES (1,048,576) rules, then one more: 65 MB of YAML. */
TEST(more_than_abac_max_rules_are_rejected_at_the_rule_past_it)
{
	size_t cap = 64 * (ABAC_MAX_RULES + 100), o;
	char *yaml = malloc(cap);
	unsigned int i;

	ASSERT_NE(NULL, yaml);
	o = sprintf(yaml, HEAD);
	for (i = 0; i < ABAC_MAX_RULES + 1; i++)
		o += sprintf(yaml + o,
			     "  - id: r%u\n    nlp: x\n    effect: allow\n    ops: [read]\n",
			     i);
	EXPECT_BAD(yaml, -EINVAL, 11 + 4 * ABAC_MAX_RULES, 5,
		   "more than 1048576 rules");
	free(yaml);
}

TEST(several_errors_are_reported_in_one_pass)
{
	struct abac_policy *p = NULL;
	struct abac_diags d;
	const char *yaml = HEAD
		"  - id: r1\n"
		"    nlp: \"Nurses may read records.\"\n"
		"    efect: allow\n"
		"    ops: [raed]\n"
		"    subject: {department: cardiolgy}\n";

	abac_diags_init(&d);
	ASSERT_EQ(-EINVAL, t_parse(yaml, &p, &d));
	ASSERT_EQ(4, (int)d.errors) t_diags_dump(&d);
	EXPECT_EQ(13, (int)t_diag(&d, "'efect'")->line);
	EXPECT_EQ(11, (int)t_diag(&d, "missing key 'effect'")->line);
	EXPECT_EQ(14, (int)t_diag(&d, "'raed'")->line);
	EXPECT_EQ(15, (int)t_diag(&d, "'cardiolgy'")->line);
	abac_diags_free(&d);
}

TEST(a_flood_of_errors_stops_after_64)
{
	char *yaml = malloc(100 * 80 + 1024);
	struct abac_policy *p = NULL;
	struct abac_diags d;
	int i, o;

	ASSERT_NE(NULL, yaml);
	o = sprintf(yaml, HEAD);
	for (i = 0; i < 100; i++)
		o += sprintf(yaml + o,
			     "  - id: r%d\n    nlp: x\n    effect: maybe\n    ops: [read]\n",
			     i);
	abac_diags_init(&d);
	ASSERT_EQ(-EINVAL, t_parse(yaml, &p, &d));
	EXPECT_EQ(65, (int)d.errors);
	EXPECT_STREQ("too many errors; stopping", d.v[d.n - 1].msg);
	abac_diags_free(&d);
	free(yaml);
}

TEST(missing_file_is_reported_with_its_errno)
{
	struct abac_policy *p = NULL;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(-ENOENT, abac_policy_parse_file("/nonexistent/p.yaml", &p,
						  &d));
	ASSERT_EQ(1, (int)d.n);
	EXPECT_STREQ("/nonexistent/p.yaml", d.v[0].file);
	EXPECT_EQ(0, (int)d.v[0].line);
	EXPECT_NE(NULL, strstr(d.v[0].msg, "cannot read"));
	EXPECT_EQ(NULL, p);
	abac_diags_free(&d);
}

TEST(typo_in_a_policy_file_is_reported_under_its_file_name)
{
	char buf[PATH_MAX];
	const char *path = t_src_path("selftests/host/policies/bad-typo.yaml",
				      buf, sizeof(buf));
	struct abac_policy *p = NULL;
	const struct abac_diag *g;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(-EINVAL, abac_policy_parse_file(path, &p, &d));
	g = t_diag(&d, "unknown value 'clerc' for subject attribute 'role' (did you mean 'clerk'?)");
	ASSERT_NE(NULL, g) t_diags_dump(&d);
	EXPECT_STREQ(path, g->file);
	EXPECT_EQ(17, (int)g->line);
	EXPECT_EQ(21, (int)g->column);
	abac_diags_free(&d);
}

TEST(policy_file_with_many_mistakes_reports_each)
{
	char buf[PATH_MAX];
	const char *path = t_src_path("selftests/host/policies/bad-many.yaml",
				      buf, sizeof(buf));
	struct abac_policy *p = NULL;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(-EINVAL, abac_policy_parse_file(path, &p, &d));
	EXPECT_EQ(5, (int)d.errors) t_diags_dump(&d);
	EXPECT_EQ(9, (int)t_diag(&d, "duplicate value 'heart'")->line);
	EXPECT_EQ(13, (int)t_diag(&d, "unknown key 'op'")->line);
	EXPECT_EQ(11, (int)t_diag(&d, "missing key 'ops'")->line);
	EXPECT_EQ(20, (int)t_diag(&d, "duplicate rule id 'a'")->line);
	EXPECT_EQ(22, (int)t_diag(&d, "unknown effect 'permit'")->line);
	abac_diags_free(&d);
}

/* ---- tags -------------------------------------------------------------- */

static void expect_bad_tags(struct __test_metadata *_metadata,
			    const char *tags, unsigned int col,
			    const char *sub)
{
	struct abac_policy *p = NULL;
	struct abac_attrs a;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_parse(GOOD, &p, &d));
	ASSERT_EQ(-EINVAL, abac_tags_resolve(p, tags, &a, &d));
	ASSERT_EQ(1, (int)d.n) t_diags_dump(&d);
	EXPECT_STREQ("<tags>", d.v[0].file);
	EXPECT_EQ(1, (int)d.v[0].line);
	EXPECT_EQ(col, d.v[0].column);
	EXPECT_NE(NULL, strstr(d.v[0].msg, sub)) TH_LOG("%s", d.v[0].msg);
	abac_diags_free(&d);
	abac_policy_free(p);
}

TEST(tags_with_unknown_value_name_the_column_of_the_pair)
{
	expect_bad_tags(_metadata, "role=nurse department=cardiolgy", 12,
			"unknown value 'cardiolgy' for subject attribute 'department' (did you mean 'cardiology'?)");
}

TEST(tags_with_unknown_key_are_rejected_with_a_suggestion)
{
	expect_bad_tags(_metadata, "rol=nurse", 1,
			"unknown subject attribute 'rol' (did you mean 'role'?)");
}

TEST(tags_giving_a_key_twice_are_rejected)
{
	expect_bad_tags(_metadata, "role=nurse  role=doctor", 13,
			"subject attribute 'role' given twice");
}

TEST(tags_without_equals_sign_are_rejected)
{
	expect_bad_tags(_metadata, "role=nurse department", 12,
			"expected key=value, found 'department'");
}

TEST(tags_with_two_values_for_a_string_attribute_are_rejected)
{
	expect_bad_tags(_metadata, "  role=nurse,doctor", 3,
			"subject attribute 'role' takes one value");
}

TEST(tags_resolve_to_value_bits)
{
	struct abac_policy *p = NULL;
	struct abac_attrs a;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_parse(GOOD, &p, &d));
	ASSERT_EQ(0, abac_tags_resolve(p, "role=doctor\tdepartment=billing\n",
				       &a, &d));
	EXPECT_EQ(1ULL << 1, a.v[0]);
	EXPECT_EQ(1ULL << 2, a.v[1]);
	EXPECT_EQ(0ULL, a.v[2]);
	ASSERT_EQ(0, abac_tags_resolve(p, "department=oncology", &a, &d));
	EXPECT_EQ(0ULL, a.v[0]);
	EXPECT_EQ(1ULL << 1, a.v[1]);
	EXPECT_EQ(0, (int)d.n);
	abac_diags_free(&d);
	abac_policy_free(p);
}

/* ---- good policies: the image the ABI describes ------------------------ */

TEST(good_policy_parses_into_the_model)
{
	struct abac_policy *p = NULL;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_parse(GOOD, &p, &d)) t_diags_dump(&d);
	EXPECT_EQ(0, (int)d.n);
	EXPECT_STREQ("t", p->name);
	EXPECT_STREQ(T_FILE, p->file);
	EXPECT_EQ(1, (int)p->version);
	EXPECT_EQ(2, (int)p->nsattrs);
	EXPECT_EQ(2, (int)p->noattrs);
	EXPECT_STREQ("billing", p->sattrs[1].values[2]);
	EXPECT_EQ(6, (int)p->sattrs[1].line);
	EXPECT_EQ(2, (int)p->nrules);
	EXPECT_STREQ("r2", p->rules[1].id);
	EXPECT_EQ(ABAC_DENY, (int)p->rules[1].effect);
	EXPECT_EQ((1U << ABAC_OP_WRITE) | (1U << ABAC_OP_DELETE),
		  p->rules[1].ops);
	EXPECT_EQ(2, (int)p->rules[1].ncond);
	EXPECT_EQ(ABAC_SIDE_SUBJECT, p->rules[1].conds[0].side);
	EXPECT_EQ(0b110ULL, p->rules[1].conds[0].mask);
	EXPECT_EQ(17, (int)p->rules[1].line);
	abac_diags_free(&d);
	abac_policy_free(p);
}

TEST(omitted_settings_default_to_enforce_deny_overrides_and_deny)
{
	struct abac_image_hdr *h;
	size_t len;
	void *img;

	img = must_compile(_metadata, GOOD, NULL, 0, &len);
	h = t_hdr(img);
	EXPECT_EQ(ABAC_MODE_ENFORCE, h->mode);
	EXPECT_EQ(ABAC_COMBINE_DENY_OVERRIDES, h->combining);
	EXPECT_EQ(ABAC_DENY, h->default_effect);
	free(img);
}

TEST(audit_mode_and_default_allow_reach_the_header)
{
	struct abac_image_hdr *h;
	size_t len;
	void *img;

	img = must_compile(_metadata,
			   "version: 1\nname: a\nmode: audit\n"
			   "combining: deny-overrides\ndefault: allow\n"
			   "attributes: {}\nrules: []\n", NULL, 0, &len);
	h = t_hdr(img);
	EXPECT_EQ(ABAC_MODE_AUDIT, h->mode);
	EXPECT_EQ(ABAC_ALLOW, h->default_effect);
	EXPECT_EQ(0U, h->nrules);
	EXPECT_EQ(0U, h->dict_size);
	EXPECT_EQ(0U, h->subj_size);
	EXPECT_STREQ("a", abac_image_str(img, len, h->name_str));
	free(img);
}

/* Record @n of an image laid out after a header of 8 records. */
#define HR(n) ((__u32)(ABAC_HDR_RECORDS - 8 + (n)))

TEST(header_lays_out_every_table_in_order)
{
	struct abac_image_hdr *h;
	size_t len;
	void *img;

	img = must_compile(_metadata, GOOD, NULL, 0, &len);
	h = t_hdr(img);
	EXPECT_EQ(ABAC_MAGIC, h->magic);
	EXPECT_EQ(ABAC_ABI_VERSION, h->abi_version);
	EXPECT_EQ(ABAC_HDR_RECORDS, h->hdr_records);
	EXPECT_EQ(len, (size_t)h->total_records * ABAC_REC_SIZE);
	EXPECT_EQ(0U, h->generation);
	EXPECT_EQ(2U, h->nrules);
	EXPECT_EQ(HR(8), h->rules_off);
	EXPECT_EQ(8U, h->dict_size);	/* 4 pairs: 8 slots */
	EXPECT_EQ(HR(10), h->dict_off);
	EXPECT_EQ(0U, h->subj_size);
	EXPECT_EQ(HR(18), h->subj_off);
	EXPECT_EQ(HR(18), h->defaults_off);	/* 3 sides x 8 records */
	EXPECT_EQ(HR(42), h->opidx_off);
	EXPECT_EQ(HR(47), h->oplist_off);	/* 5 records of op spans */
	EXPECT_EQ(3U, h->noplist);	/* read: r1; write, delete: r2 */
	EXPECT_EQ(HR(48), h->nets_off);
	EXPECT_EQ(0U, h->nnets);
	EXPECT_EQ(HR(48), h->meta_off);	/* one record per attribute */
	EXPECT_EQ(HR(52), h->key_off);	/* the hash key: the public one */
	EXPECT_EQ(ABAC_HASH_KEY_PUBLIC_K0,
		  ((struct abac_hash_key *)t_rec(img, HR(52)))->k0);
	EXPECT_EQ(ABAC_HASH_KEY_PUBLIC_K1,
		  ((struct abac_hash_key *)t_rec(img, HR(52)))->k1);
	/* conditions and strings last: BPF reads all before from chunk 0 */
	EXPECT_EQ(6U, h->nconds);	/* 2 + 2, then 1 + 1 */
	EXPECT_EQ(HR(53), h->conds_off);
	EXPECT_EQ(HR(59), h->str_off);
	EXPECT_EQ(1, h->nlayers);
	EXPECT_EQ(2, h->n_sattrs);
	EXPECT_EQ(2, h->n_oattrs);
	EXPECT_EQ(0U, h->tag_levels);
	EXPECT_EQ(abac_image_hash(img, len), h->content_hash);
	free(img);
}

TEST(attribute_records_keep_names_and_metadata)
{
	static const char yaml[] =
		"version: 1\nname: m\n"
		"attributes:\n  subject:\n"
		"    role: {type: string, values: [a], authority: hr, expires: \"2027-01-01\"}\n"
		"  environment:\n    threat: {type: level, values: [low, high]}\n"
		"rules:\n  - {id: r, nlp: \"R.\", effect: allow, ops: [read],"
		" subject: {role: a}, env: {threat: low}}\n";
	struct abac_attr_meta *m;
	struct abac_image_hdr *h;
	size_t len;
	void *img;

	img = must_compile(_metadata, yaml, NULL, 0, &len);
	h = t_hdr(img);
	m = t_rec(img, h->meta_off);
	EXPECT_STREQ("role", abac_image_str(img, len, m->name_str));
	EXPECT_STREQ("hr", abac_image_str(img, len, m->authority_str));
	EXPECT_STREQ("2027-01-01", abac_image_str(img, len, m->expires_str));
	EXPECT_EQ(ABAC_SIDE_SUBJECT, m->side);
	m++;
	EXPECT_STREQ("threat", abac_image_str(img, len, m->name_str));
	EXPECT_EQ(ABAC_STR_NONE, m->authority_str);
	EXPECT_EQ(ABAC_SIDE_ENV, m->side);
	EXPECT_EQ(4, m->type);
	m->side = ABAC_SIDE_OBJECT;
	t_rehash(img, len);
	expect_refused(_metadata, img, len, -EINVAL, "attribute record 1");
	free(img);
}

TEST(rules_and_conditions_follow_the_policy_order)
{
	const struct abac_rule *r0, *r1;
	const struct abac_cond *c;
	size_t len;
	void *img;

	img = must_compile(_metadata, GOOD, NULL, 0, &len);
	r0 = t_rec(img, HR(8));
	r1 = t_rec(img, HR(9));
	EXPECT_EQ(1U << ABAC_OP_READ, r0->ops);
	EXPECT_EQ(ABAC_ALLOW, r0->effect);
	EXPECT_EQ(4, r0->ncond);
	EXPECT_EQ(HR(53), r0->cond);
	EXPECT_EQ(ABAC_DENY, r1->effect);
	EXPECT_EQ(2, r1->ncond);
	EXPECT_EQ(HR(57), r1->cond);
	/* r1: role in {nurse}, department in {cardiology}, type, condition */
	c = t_rec(img, HR(54));
	EXPECT_EQ(ABAC_SIDE_SUBJECT, c->side);
	EXPECT_EQ(1, c->attr);
	EXPECT_EQ(ABAC_COND_ANY, c->kind);
	EXPECT_EQ(1ULL, c->mask);
	c = t_rec(img, HR(56));
	EXPECT_EQ(ABAC_SIDE_OBJECT, c->side);
	EXPECT_EQ(1, c->attr);
	EXPECT_EQ(1ULL, c->mask);
	/* r2: role in {clerk, doctor} is bits 2 and 1 */
	c = t_rec(img, HR(57));
	EXPECT_EQ(ABAC_SIDE_SUBJECT, c->side);
	EXPECT_EQ(0, c->attr);
	EXPECT_EQ(0x6ULL, c->mask);
	c = t_rec(img, HR(58));
	EXPECT_EQ(ABAC_SIDE_OBJECT, c->side);
	EXPECT_EQ(0, c->attr);
	EXPECT_EQ(0x1ULL, c->mask);
	free(img);
}

TEST(string_table_holds_the_name_then_each_id_and_sentence)
{
	const char *id, *nlp;
	size_t len;
	void *img;

	img = must_compile(_metadata, GOOD, NULL, 0, &len);
	EXPECT_STREQ("t", abac_image_str(img, len, 0));
	EXPECT_STREQ("UTC", abac_image_str(img, len, t_hdr(img)->tz_str));
	EXPECT_EQ(6U, ((struct abac_rule *)t_rec(img, HR(8)))->str);
	EXPECT_STREQ("r1", abac_image_str(img, len, 6));
	abac_image_rule_text(img, len, 1, &id, &nlp);
	EXPECT_STREQ("r2", id);
	EXPECT_STREQ("Clerks may never write records.", nlp);
	abac_image_rule_text(img, len, 2, &id, &nlp);
	EXPECT_EQ(NULL, id);
	EXPECT_EQ(NULL, nlp);
	EXPECT_STREQ("", abac_image_str(img, len, 1U << 20));
	free(img);
}

TEST(dictionary_finds_every_declared_object_pair)
{
	static const struct {
		const char *pair;
		int attr, bit;
	} pairs[] = {
		{ "type=record", 0, 0 }, { "type=invoice", 0, 1 },
		{ "condition=heart", 1, 0 }, { "condition=cancer", 1, 1 },
	};
	const struct abac_dict_ent *e;
	struct abac_image v;
	size_t len, i;
	void *img;

	img = must_compile(_metadata, GOOD, NULL, 0, &len);
	v = abac_image_view(img, len);
	for (i = 0; i < ARRAY_SIZE(pairs); i++) {
		e = abac_dict_find(&v, t_pair_hash(pairs[i].pair));
		ASSERT_NE(NULL, e) TH_LOG("%s", pairs[i].pair);
		EXPECT_EQ(pairs[i].attr, e->attr);
		EXPECT_EQ(pairs[i].bit, e->bit);
		EXPECT_EQ(ABAC_DICT_SINGLE, e->flags);
	}
	EXPECT_EQ(NULL, abac_dict_find(&v, t_pair_hash("type=recrod")));
	EXPECT_EQ(NULL, abac_dict_find(&v, t_pair_hash("role=nurse")));
	free(img);
}

TEST(dictionary_of_1024_pairs_finds_every_pair)
{
	struct abac_image v;
	char *yaml, pair[64];
	size_t len, o = 0;
	void *img;
	int a, i;

	yaml = malloc(64 * 1024);
	ASSERT_NE(NULL, yaml);
	o = sprintf(yaml, "version: 1\nname: big\nattributes:\n  object:\n");
	for (a = 0; a < 16; a++) {
		o += sprintf(yaml + o, "    attr%d: {type: string, values: [",
			     a);
		for (i = 0; i < 64; i++)
			o += sprintf(yaml + o, "%sval%d", i ? ", " : "", i);
		o += sprintf(yaml + o, "]}\n");
	}
	sprintf(yaml + o, "rules: []\n");
	img = must_compile(_metadata, yaml, NULL, 0, &len);
	v = abac_image_view(img, len);
	EXPECT_LE(2048U, t_hdr(img)->dict_size);
	for (a = 0; a < 16; a++) {
		for (i = 0; i < 64; i++) {
			const struct abac_dict_ent *e;

			snprintf(pair, sizeof(pair), "attr%d=val%d", a, i);
			e = abac_dict_find(&v, t_pair_hash(pair));
			ASSERT_NE(NULL, e) TH_LOG("%s", pair);
			ASSERT_EQ(a, e->attr);
			ASSERT_EQ(i, e->bit);
		}
	}
	free(img);
	free(yaml);
}

TEST(compiling_twice_gives_the_same_bytes)
{
	size_t len1, len2;
	void *a, *b;

	a = must_compile(_metadata, GOOD, NULL, 0, &len1);
	b = must_compile(_metadata, GOOD, NULL, 0, &len2);
	ASSERT_EQ(len1, len2);
	EXPECT_EQ(0, memcmp(a, b, len1));
	free(a);
	free(b);
}

TEST(subject_order_does_not_change_the_image)
{
	struct abac_subject s[3] = {
		{ .cgroup_id = 4242, .level = 2, .tags = "role=nurse" },
		{ .cgroup_id = 17, .level = 1,
		  .tags = "role=doctor department=oncology" },
		{ .cgroup_id = 99, .level = 3, .tags = "department=billing" },
	};
	struct abac_subject r[3] = { s[2], s[0], s[1] };
	size_t len1, len2;
	void *a, *b;

	a = must_compile(_metadata, GOOD, s, 3, &len1);
	b = must_compile(_metadata, GOOD, r, 3, &len2);
	ASSERT_EQ(len1, len2);
	EXPECT_EQ(0, memcmp(a, b, len1));
	free(a);
	free(b);
}

TEST(subjects_are_found_by_cgroup_id_with_their_levels)
{
	struct abac_subject s[2] = {
		{ .cgroup_id = 4242, .level = 2, .tags = "role=nurse" },
		{ .cgroup_id = 17, .level = 5,
		  .tags = "role=doctor department=oncology" },
	};
	const struct abac_attrs *a;
	struct abac_image v;
	size_t len;
	void *img;

	img = must_compile(_metadata, GOOD, s, 2, &len);
	v = abac_image_view(img, len);
	EXPECT_EQ(4U, t_hdr(img)->subj_size);
	EXPECT_EQ((1U << 2) | (1U << 5), t_hdr(img)->tag_levels);
	a = abac_subject_find(&v, 4242);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(1ULL, a->v[0]);
	EXPECT_EQ(0ULL, a->v[1]);
	a = abac_subject_find(&v, 17);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(2ULL, a->v[0]);
	EXPECT_EQ(2ULL, a->v[1]);
	EXPECT_EQ(NULL, abac_subject_find(&v, 18));
	EXPECT_EQ(NULL, abac_subject_find(&v, 0));
	free(img);
}

#define GRANTS \
	"capabilities:\n" \
	"  - id: nurses-set-the-clock\n" \
	"    nlp: \"The ward's time service may set the clock.\"\n" \
	"    grant: sys_time\n" \
	"    subject: {role: nurse}\n" \
	"  - id: oncology-traces\n" \
	"    nlp: \"Oncology's tools may trace and sandbox.\"\n" \
	"    grant: [sys_ptrace, userns]\n" \
	"    subject: {department: [oncology, cardiology], role: {not: clerk}}\n"

/* The capabilities the key record of subject @id grants. */
static __u32 caps_of(const struct abac_image *v, __u64 id)
{
	const __u8 *a = (const __u8 *)abac_subject_find(v, id);

	return a ? ((const struct abac_subj_key *)(a - ABAC_REC_SIZE))->caps :
		   0xdeadU;
}

TEST(capability_grants_are_compiled_into_the_subjects_they_match)
{
	struct abac_subject s[4] = {
		{ .cgroup_id = 4242, .level = 2, .tags = "role=nurse" },
		{ .cgroup_id = 17, .level = 1,
		  .tags = "role=doctor department=oncology" },
		{ .cgroup_id = 18, .level = 1,
		  .tags = "role=clerk department=oncology" },
		{ .cgroup_id = 99, .level = 3, .tags = "department=billing" },
	};
	struct abac_image v;
	size_t len;
	void *img;

	img = must_compile(_metadata, GOOD GRANTS, s, 4, &len);
	v = abac_image_view(img, len);
	EXPECT_EQ(ABAC_CAP_GRANT_BIT(ABAC_CAP_SYS_TIME), caps_of(&v, 4242));
	EXPECT_EQ(ABAC_CAP_GRANT_BIT(ABAC_CAP_SYS_PTRACE) |
		  ABAC_CAP_GRANT_BIT(ABAC_CAP_USERNS), caps_of(&v, 17));
	/* every condition must hold: a clerk of oncology gets nothing */
	EXPECT_EQ(0U, caps_of(&v, 18));
	EXPECT_EQ(0U, caps_of(&v, 99));
	free(img);
}

/* "setup" is a grant of its own bit, beside the withheld capabilities'. */
TEST(the_setup_grant_is_compiled_into_its_subjects_key)
{
	struct abac_subject s[2] = {
		{ .cgroup_id = 4242, .level = 2, .tags = "role=nurse" },
		{ .cgroup_id = 99, .level = 3, .tags = "department=billing" },
	};
	struct abac_image v;
	size_t len;
	void *img;

	img = must_compile(_metadata, GOOD "capabilities:\n"
			   "  - id: pods-set-up\n"
			   "    nlp: \"The runtime may set up the nurses' pods.\"\n"
			   "    grant: [setup, sys_time]\n"
			   "    subject: {role: nurse}\n", s, 2, &len);
	v = abac_image_view(img, len);
	EXPECT_EQ(ABAC_CAP_GRANT_BIT(ABAC_CAP_SETUP) |
		  ABAC_CAP_GRANT_BIT(ABAC_CAP_SYS_TIME), caps_of(&v, 4242));
	EXPECT_EQ(0U, caps_of(&v, 99));
	free(img);
}

TEST(a_grant_of_a_capability_not_withheld_is_rejected)
{
	EXPECT_BAD(GOOD "capabilities:\n"
		   "  - id: g\n"
		   "    nlp: \"Chown.\"\n"
		   "    grant: [sys_time, chown]\n"
		   "    subject: {role: nurse}\n",
		   -EINVAL, 26, 23, "tagged subjects keep capability 'chown'");
	EXPECT_BAD(GOOD "capabilities:\n"
		   "  - id: g\n"
		   "    nlp: \"Time.\"\n"
		   "    grant: sys_tmie\n"
		   "    subject: {role: nurse}\n",
		   -EINVAL, 26, 12, "did you mean 'sys_time'");
}

TEST(a_grant_names_whom_it_is_for)
{
	EXPECT_BAD(GOOD "capabilities:\n"
		   "  - id: g\n"
		   "    nlp: \"Time.\"\n"
		   "    grant: sys_time\n"
		   "    subject: {}\n",
		   -EINVAL, 27, 14, "give at least one condition");
	EXPECT_BAD(GOOD "capabilities:\n"
		   "  - id: g\n"
		   "    nlp: \"Time.\"\n"
		   "    grant: sys_time\n",
		   -EINVAL, 24, 5, "'subject'");
	EXPECT_BAD(GOOD "capabilities:\n"
		   "  - id: g\n"
		   "    nlp: \"Time.\"\n"
		   "    grant: sys_time\n"
		   "    subject: {role: nurse, hour: 3}\n",
		   -EINVAL, 27, 28, "hour");
}

TEST(child_cgroup_tags_merge_with_its_ancestors_per_attribute)
{
	/* role: nurse=bit0 doctor=bit1; department: oncology=bit1 billing=bit2 */
	struct abac_subject s[4] = {
		{ .cgroup_id = 10, .level = 1, .path = "/ward",
		  .tags = "role=nurse department=oncology" },
		{ .cgroup_id = 11, .level = 2, .path = "/ward/night",
		  .tags = "role=doctor" },
		{ .cgroup_id = 12, .level = 3, .path = "/ward/night/icu",
		  .tags = "department=billing" },
		{ .cgroup_id = 13, .level = 2, .path = "/wardrobe",
		  .tags = "role=doctor" },
	};
	const struct abac_attrs *a;
	struct abac_image v;
	size_t len;
	void *img;

	img = must_compile(_metadata, GOOD, s, 4, &len);
	v = abac_image_view(img, len);
	a = abac_subject_find(&v, 10);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(1ULL, a->v[0]);
	EXPECT_EQ(2ULL, a->v[1]);
	/* the child overrides role and inherits department */
	a = abac_subject_find(&v, 11);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(2ULL, a->v[0]);
	EXPECT_EQ(2ULL, a->v[1]);
	/* the grandchild: role from its parent, its own department */
	a = abac_subject_find(&v, 12);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(2ULL, a->v[0]);
	EXPECT_EQ(4ULL, a->v[1]);
	/* a name that only starts like /ward is no child of it */
	a = abac_subject_find(&v, 13);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(2ULL, a->v[0]);
	EXPECT_EQ(0ULL, a->v[1]);
	free(img);
}

TEST(subject_with_bad_tags_fails_the_build_naming_the_cgroup)
{
	struct abac_subject s = { .cgroup_id = 5, .path = "/ward/a",
				  .tags = "role=nures" };
	struct abac_diags d;
	size_t len;
	void *img = NULL;

	abac_diags_init(&d);
	ASSERT_EQ(-EINVAL, t_compile(GOOD, &s, 1, &img, &len, NULL, &d));
	EXPECT_EQ(NULL, img);
	EXPECT_NE(NULL, t_diag(&d, "unknown value 'nures' for subject attribute 'role' (did you mean 'nurse'?)"));
	EXPECT_NE(NULL, t_diag(&d, "the tags of cgroup '/ward/a'"));
	abac_diags_free(&d);
}

TEST(subject_tagged_twice_or_with_id_0_fails_the_build)
{
	struct abac_subject s[2] = {
		{ .cgroup_id = 7, .tags = "role=nurse" },
		{ .cgroup_id = 7, .tags = "role=clerk" },
	};
	struct abac_diags d;
	size_t len;
	void *img = NULL;

	abac_diags_init(&d);
	ASSERT_EQ(-EINVAL, t_compile(GOOD, s, 2, &img, &len, NULL, &d));
	EXPECT_NE(NULL, t_diag(&d, "cgroup id 7 is tagged twice"));
	s[1].cgroup_id = 0;
	ASSERT_EQ(-EINVAL, t_compile(GOOD, s, 2, &img, &len, NULL, &d));
	EXPECT_NE(NULL, t_diag(&d, "has id 0"));
	EXPECT_EQ(NULL, img);
	abac_diags_free(&d);
}

/*
 * An image holds at most ABAC_IMAGE_RECORDS records (256 MiB): 70,000
 * rules of 4,096-byte sentences need 287 MB of strings.  The policy is
 * built in memory (its YAML would be over the source limit): the rules of
 * a parsed policy are replaced by copies of its first, whose sentence is
 * one shared long text.
 */
TEST(policy_too_large_for_an_image_fails_with_e2big)
{
	const unsigned int n = 70000;
	struct abac_rule_def *rules, *saved;
	struct abac_policy *p = NULL;
	unsigned int i, nsaved;
	char *nlp = malloc(4097), msg[96];
	struct abac_diags d;
	void *img = NULL;
	size_t len;

	ASSERT_NE(NULL, nlp);
	memset(nlp, 'w', 4096);
	nlp[4096] = '\0';
	abac_diags_init(&d);
	ASSERT_EQ(0, abac_policy_parse_buf(T_FILE, GOOD, strlen(GOOD), &p, &d));
	rules = calloc(n, sizeof(*rules));
	ASSERT_NE(NULL, rules);
	for (i = 0; i < n; i++) {
		rules[i] = p->rules[0];
		rules[i].nlp = nlp;
	}
	saved = p->rules;
	nsaved = p->nrules;
	p->rules = rules;
	p->nrules = n;
	EXPECT_EQ(-E2BIG, abac_image_build(p, NULL, 0, &img, &len, &d))
		t_diags_dump(&d);
	p->rules = saved;
	p->nrules = nsaved;
	snprintf(msg, sizeof(msg), "more than ABAC_IMAGE_RECORDS (%u)",
		 ABAC_IMAGE_RECORDS);
	EXPECT_NE(NULL, t_diag(&d, msg)) t_diags_dump(&d);
	EXPECT_EQ(NULL, img);
	abac_diags_free(&d);
	abac_policy_free(p);
	free(rules);
	free(nlp);
}

TEST(sentence_of_4096_bytes_and_odd_characters_survives_compilation)
{
	char *yaml = malloc(8192), *nlp = malloc(4097);
	const char *id, *s;
	size_t len;
	void *img;

	ASSERT_NE(NULL, yaml);
	ASSERT_NE(NULL, nlp);
	memset(nlp, 'x', 4096);
	memcpy(nlp, "Caf\xc3\xa9 \\\"q\\\" ", 12);	/* Café \"q\" */
	nlp[4096] = '\0';
	sprintf(yaml, HEAD "  - id: a.b:c/d@e+f_g-h\n    nlp: \"%s\"\n"
		"    effect: allow\n    ops: [read]\n", nlp);
	img = must_compile(_metadata, yaml, NULL, 0, &len);
	abac_image_rule_text(img, len, 0, &id, &s);
	EXPECT_STREQ("a.b:c/d@e+f_g-h", id);
	ASSERT_NE(NULL, s);
	EXPECT_EQ(0, strncmp(s, "Caf\xc3\xa9 \"q\" x", 11)) TH_LOG("%.20s", s);
	free(img);
	free(nlp);
	free(yaml);
}

TEST(block_and_flow_styles_compile_to_the_same_image)
{
	static const char block[] =
		"version: 1\nname: t\nattributes:\n  subject:\n"
		"    role:\n      type: string\n      values:\n"
		"        - nurse\n        - doctor\n"
		"rules:\n  - id: r\n    nlp: >-\n      Nurses and doctors\n"
		"      may read.\n    effect: allow\n    ops:\n      - read\n"
		"    subject:\n      role:\n        - nurse\n        - doctor\n";
	static const char flow[] =
		"{version: 1, name: t, attributes: {subject: {role: {type: string,"
		" values: [nurse, doctor]}}}, rules: [{id: r, nlp: 'Nurses and"
		" doctors may read.', effect: allow, ops: [read], subject: {role:"
		" [nurse, doctor]}}]}\n";
	size_t l1, l2;
	void *a, *b;

	a = must_compile(_metadata, block, NULL, 0, &l1);
	b = must_compile(_metadata, flow, NULL, 0, &l2);
	ASSERT_EQ(l1, l2);
	EXPECT_EQ(0, memcmp(a, b, l1));
	free(a);
	free(b);
}

TEST(operation_listed_twice_is_only_a_warning)
{
	struct abac_policy *p = NULL;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_parse(HEAD
			     "  - id: r1\n    nlp: x\n    effect: allow\n"
			     "    ops: [read, read]\n", &p, &d));
	ASSERT_EQ(1, (int)d.n);
	EXPECT_EQ(0, (int)d.errors);
	EXPECT_TRUE(d.v[0].warning);
	EXPECT_EQ(14, (int)d.v[0].line);
	EXPECT_EQ(17, (int)d.v[0].column);
	abac_policy_free(p);
	abac_diags_free(&d);
}

TEST(operation_names_round_trip_in_abi_order)
{
	static const char *const names[] = {
		"read", "write", "exec", "create", "delete", "relabel",
		"connect", "bind", "listen", "administer",
	};
	unsigned int i;

	ASSERT_EQ(ABAC_OP_COUNT, (int)ARRAY_SIZE(names));
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		EXPECT_STREQ(names[i], abac_op_name(i));
		EXPECT_EQ((int)i, abac_op_from_name(names[i]));
	}
	EXPECT_EQ(-1, abac_op_from_name("open"));
	EXPECT_STREQ("unknown", abac_op_name(ABAC_OP_COUNT));
}

TEST(hospital_example_compiles_with_six_rules_and_five_attributes)
{
	char buf[PATH_MAX];
	const char *path = t_src_path("policy-examples/hospital.yaml", buf,
				      sizeof(buf));
	struct abac_policy *p = NULL;
	struct abac_diags d;
	size_t len;
	void *img;

	abac_diags_init(&d);
	ASSERT_EQ(0, abac_policy_parse_file(path, &p, &d)) t_diags_dump(&d);
	EXPECT_EQ(0, (int)d.n);
	EXPECT_STREQ("hospital", p->name);
	EXPECT_EQ(6, (int)p->nrules);
	EXPECT_EQ(5, (int)(p->nsattrs + p->noattrs));
	ASSERT_EQ(0, abac_image_build(p, NULL, 0, &img, &len, &d));
	ASSERT_EQ(0, abac_image_check(img, len, &d));
	free(img);
	abac_policy_free(p);
	abac_diags_free(&d);
}

TEST(clinic_policy_file_compiles)
{
	char buf[PATH_MAX];
	const char *path;

	path = t_src_path("selftests/host/policies/good-clinic.yaml", buf,
			  sizeof(buf));
	struct abac_policy *p = NULL;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, abac_policy_parse_file(path, &p, &d)) t_diags_dump(&d);
	EXPECT_STREQ("clinic", p->name);
	EXPECT_EQ(ABAC_MODE_AUDIT, (int)p->mode);
	EXPECT_EQ(3, (int)p->nrules);
	abac_policy_free(p);
	abac_diags_free(&d);
}

TEST(diagnostics_print_as_file_line_column)
{
	struct abac_diags d;
	char *out = NULL;
	size_t n = 0;
	FILE *f;

	abac_diags_init(&d);
	abac_diag_add(&d, false, "p.yaml", 14, 26, "unknown value '%s'", "x");
	abac_diag_add(&d, true, "p.yaml", 3, 1, "listed twice");
	abac_diag_add(&d, false, "p.yaml", 0, 0, "cannot read");
	EXPECT_EQ(2, (int)d.errors);
	f = open_memstream(&out, &n);
	ASSERT_NE(NULL, f);
	abac_diags_print(&d, f);
	fclose(f);
	/* in reading order: the file's own error, then by line */
	EXPECT_STREQ("p.yaml: error: cannot read\n"
		     "p.yaml:3:1: warning: listed twice\n"
		     "p.yaml:14:26: error: unknown value 'x'\n", out);
	free(out);
	abac_diags_free(&d);
}

TEST(diagnostics_show_every_error_and_at_most_the_cap_of_warnings)
{
	struct abac_diags d;
	char *out = NULL, *p;
	size_t n = 0;
	int i, lines = 0;
	FILE *f;

	abac_diags_init(&d);
	for (i = 0; i < 1000; i++)
		abac_diag_add(&d, true, "p.yaml", 1000 - i, 1, "w%d", i);
	abac_diag_add(&d, false, "p.yaml", 2000, 1, "the error");
	f = open_memstream(&out, &n);
	ASSERT_NE(NULL, f);
	abac_diags_print(&d, f);
	fclose(f);
	for (p = out; *p; p++)
		lines += *p == '\n';
	/* the cap, the error past it, and one note saying what was left */
	EXPECT_EQ(ABAC_DIAGS_SHOWN + 2, lines) TH_LOG("%s", out);
	EXPECT_EQ(0, strncmp(out, "p.yaml:1:1: warning: w999\n", 26));
	EXPECT_NE(NULL, strstr(out, "p.yaml:2000:1: error: the error\n"));
	EXPECT_NE(NULL, strstr(out, "950 more warnings not shown"));
	free(out);
	abac_diags_free(&d);
}

TEST(dump_decodes_rules_in_text_and_json)
{
	char *out = NULL;
	size_t n = 0, len;
	void *img;
	FILE *f;

	img = must_compile(_metadata,
			   HEAD "  - id: q\n    nlp: 'Say \"hi\"\\n'\n"
			   "    effect: allow\n    ops: [read, exec]\n"
			   "    subject: {role: [nurse, clerk]}\n",
			   NULL, 0, &len);
	f = open_memstream(&out, &n);
	ASSERT_NE(NULL, f);
	abac_image_dump(img, len, f, false);
	fflush(f);
	EXPECT_NE(NULL, strstr(out, "policy: t\n"));
	EXPECT_NE(NULL, strstr(out, "rule 0: q\n"));
	EXPECT_NE(NULL, strstr(out, "ops: read exec\n"));
	EXPECT_NE(NULL, strstr(out, "when: subject.role in 0x5\n"))
		TH_LOG("%s", out);
	rewind(f);
	abac_image_dump(img, len, f, true);
	fclose(f);
	EXPECT_EQ(0, strncmp(out, "{\"name\":\"t\",", 12)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"nlp\":\"Say \\\"hi\\\"\\\\n\""))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"ops\":[\"read\",\"exec\"]"));
	EXPECT_NE(NULL, strstr(out, "\"text\":\"subject.role in 0x5\""));
	EXPECT_EQ('\n', out[strlen(out) - 1]);
	free(out);
	free(img);
}

TEST(dump_with_its_policy_names_values_in_conditions_and_tags)
{
	struct abac_subject subj = { .cgroup_id = 77, .level = 1,
				     .tags = "role=clerk" };
	struct abac_policy *p = NULL;
	struct abac_diags d;
	char *out = NULL;
	size_t n = 0, len;
	void *img = NULL;
	FILE *f;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_compile(HEAD "  - id: q\n    nlp: q\n"
			       "    effect: allow\n    ops: [read]\n"
			       "    subject: {role: [nurse, clerk]}\n",
			       &subj, 1, &img, &len, &p, &d));
	f = open_memstream(&out, &n);
	ASSERT_NE(NULL, f);
	abac_image_dump_policy(img, len, p, f, false);
	fflush(f);
	EXPECT_NE(NULL, strstr(out, "when: subject.role is one of [nurse,clerk]\n"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, ": role=clerk\n")) TH_LOG("%s", out);
	rewind(f);
	abac_image_dump_policy(img, len, p, f, true);
	fclose(f);
	EXPECT_NE(NULL, strstr(out, "\"tags\":[\"role=clerk\"]"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"content_hash\":\"0x"));
	free(out);
	free(img);
	abac_policy_free(p);
	abac_diags_free(&d);
}

TEST(dump_of_a_corrupt_image_prints_the_reason_not_the_content)
{
	char *out = NULL;
	size_t n = 0, len;
	void *img;
	FILE *f;

	img = must_compile(_metadata, GOOD, NULL, 0, &len);
	((char *)img)[len - 1] ^= 1;
	f = open_memstream(&out, &n);
	ASSERT_NE(NULL, f);
	abac_image_dump(img, len, f, true);
	fclose(f);
	EXPECT_EQ(0, strncmp(out, "{\"error\":\"content hash mismatch", 31))
		TH_LOG("%s", out);
	free(out);
	free(img);
}

/* ---- the loader refuses what it must ----------------------------------- */

TEST(loader_accepts_a_compiled_image_and_a_new_generation)
{
	size_t len;
	void *img;

	img = must_compile(_metadata, GOOD, NULL, 0, &len);
	abac_image_set_generation(img, 77);
	EXPECT_EQ(77U, t_hdr(img)->generation);
	EXPECT_EQ(0, abac_image_check(img, len, NULL));
	free(img);
}

TEST(loader_refuses_a_truncated_image)
{
	size_t len;
	void *img;

	img = must_compile(_metadata, GOOD, NULL, 0, &len);
	expect_refused(_metadata, img, len - ABAC_REC_SIZE, -EINVAL,
		       "truncated");
	expect_refused(_metadata, img, 100, -EINVAL, "truncated");
	expect_refused(_metadata, img, len - 1, -EINVAL, "truncated");
	expect_refused(_metadata, NULL, 0, -EINVAL, "truncated");
	free(img);
}

TEST(loader_refuses_a_bad_magic_or_abi_version)
{
	size_t len;
	void *img;

	img = must_compile(_metadata, GOOD, NULL, 0, &len);
	t_hdr(img)->magic = 0x46544c45;
	expect_refused(_metadata, img, len, -EPROTO, "bad magic");
	t_hdr(img)->magic = ABAC_MAGIC;
	t_hdr(img)->abi_version = ABAC_ABI_VERSION + 1;
	t_rehash(img, len);
	expect_refused(_metadata, img, len, -EPROTO, "ABI version");
	free(img);
}

TEST(loader_refuses_a_flipped_byte_by_its_hash)
{
	size_t len, i;
	void *img;

	img = must_compile(_metadata, GOOD, NULL, 0, &len);
	for (i = ABAC_HDR_RECORDS * ABAC_REC_SIZE; i < len; i += 7) {
		((__u8 *)img)[i] ^= 0x20;
		expect_refused(_metadata, img, len, -EBADMSG,
			       "content hash mismatch");
		((__u8 *)img)[i] ^= 0x20;
	}
	EXPECT_EQ(0, abac_image_check(img, len, NULL));
	free(img);
}

TEST(loader_refuses_a_rule_whose_conditions_leave_the_table)
{
	struct abac_rule *r;
	char msg[64];
	size_t len;
	void *img;

	img = must_compile(_metadata, GOOD, NULL, 0, &len);
	r = t_rec(img, HR(9));		/* conditions 4, 5 of 0..5 */
	r->ncond = 3;
	t_rehash(img, len);
	snprintf(msg, sizeof(msg), "rule 1: conditions [%u, +3) are outside",
		 HR(57));
	expect_refused(_metadata, img, len, -EINVAL, msg);
	r->ncond = 2;
	r->cond = 0xfffffffe;		/* would wrap in 32 bits */
	t_rehash(img, len);
	expect_refused(_metadata, img, len, -EINVAL, "outside");
	r->cond = HR(9);
	t_rehash(img, len);
	expect_refused(_metadata, img, len, -EINVAL, "outside");
	r->cond = HR(57);
	r->ncond = 17;
	t_rehash(img, len);
	expect_refused(_metadata, img, len, -EINVAL, "17 conditions");
	free(img);
}

TEST(loader_refuses_a_string_offset_outside_the_table)
{
	struct abac_rule *r;
	size_t len;
	void *img;

	img = must_compile(_metadata, GOOD, NULL, 0, &len);
	r = t_rec(img, HR(8));
	r->str = t_hdr(img)->str_len;
	t_rehash(img, len);
	expect_refused(_metadata, img, len, -EINVAL,
		       "rule 0: string offset");
	/* the id fits, but the sentence would start past the end */
	r->str = t_hdr(img)->str_len - 1;
	t_rehash(img, len);
	expect_refused(_metadata, img, len, -EINVAL,
		       "rule 0: string offset");
	r->str = 6;
	t_hdr(img)->name_str = 100000;
	t_rehash(img, len);
	expect_refused(_metadata, img, len, -EINVAL, "policy name or timezone offset");
	free(img);
}

TEST(loader_refuses_an_unterminated_string_table)
{
	struct abac_image_hdr *h;
	size_t len;
	void *img;

	img = must_compile(_metadata, GOOD, NULL, 0, &len);
	h = t_hdr(img);
	((char *)t_rec(img, h->str_off))[h->str_len - 1] = 'x';
	t_rehash(img, len);
	expect_refused(_metadata, img, len, -EINVAL, "not NUL-terminated");
	free(img);
}

TEST(loader_refuses_an_oversized_image)
{
	size_t len = ABAC_IMAGE_BYTES + ABAC_REC_SIZE;
	void *img, *big;

	img = must_compile(_metadata, GOOD, NULL, 0, &len);
	big = calloc(1, ABAC_IMAGE_BYTES + ABAC_REC_SIZE);
	ASSERT_NE(NULL, big);
	memcpy(big, img, len);
	expect_refused(_metadata, big, ABAC_IMAGE_BYTES + ABAC_REC_SIZE,
		       -E2BIG, "exceeds the limit");
	t_hdr(img)->total_records = ABAC_IMAGE_RECORDS + 1;
	t_rehash(img, len);
	expect_refused(_metadata, img, len, -E2BIG, "exceeds the limit");
	free(big);
	free(img);
}

TEST(loader_refuses_tables_outside_the_image_or_overlapping)
{
	struct abac_image_hdr *h;
	char msg[80];
	size_t len;
	void *img;

	img = must_compile(_metadata, GOOD, NULL, 0, &len);
	h = t_hdr(img);
	h->nrules = 3;			/* rules now overlap the dictionary */
	t_rehash(img, len);
	snprintf(msg, sizeof(msg),
		 "label dictionary [%u, +8) is outside the image or overlaps",
		 HR(10));
	expect_refused(_metadata, img, len, -EINVAL, msg);
	h->nrules = 2;
	h->str_len += 64;
	t_rehash(img, len);
	expect_refused(_metadata, img, len, -EINVAL, "string table");
	h->str_len -= 64;
	h->dict_off = 0xfffffff8;
	t_rehash(img, len);
	expect_refused(_metadata, img, len, -EINVAL, "label dictionary");
	free(img);
}

TEST(loader_refuses_bad_table_sizes_and_settings)
{
	struct abac_image_hdr *h;
	size_t len;
	void *img;

	img = must_compile(_metadata, GOOD, NULL, 0, &len);
	h = t_hdr(img);
	h->dict_size = 6;
	t_rehash(img, len);
	expect_refused(_metadata, img, len, -EINVAL, "not powers of two");
	h->dict_size = 8;
	h->mode = 2;
	t_rehash(img, len);
	expect_refused(_metadata, img, len, -EINVAL, "unknown mode 2");
	h->mode = 0;
	h->n_sattrs = 17;
	t_rehash(img, len);
	expect_refused(_metadata, img, len, -EINVAL, "17 subject");
	h->n_sattrs = 2;
	h->pad2[1] = 1;
	t_rehash(img, len);
	expect_refused(_metadata, img, len, -EINVAL, "reserved");
	free(img);
}

TEST(loader_refuses_bad_conditions_and_dictionary_entries)
{
	struct abac_dict_ent *e = NULL;
	struct abac_cond *c;
	size_t len;
	__u32 i;
	void *img;

	img = must_compile(_metadata, GOOD, NULL, 0, &len);
	c = t_rec(img, HR(53));
	c->kind = ABAC_COND_KIND_COUNT;
	t_rehash(img, len);
	expect_refused(_metadata, img, len, -EINVAL, "condition 0: unknown kind");
	c->kind = ABAC_COND_ANY;
	c->attr = 2;			/* two subject attributes */
	t_rehash(img, len);
	expect_refused(_metadata, img, len, -EINVAL, "condition 0: no attribute 2");
	c->attr = 0;
	c->kind = ABAC_COND_REL_EQ;
	c->mask = 0;
	c->rhs = 5;
	c->rhs_side = ABAC_SIDE_OBJECT;
	t_rehash(img, len);
	expect_refused(_metadata, img, len, -EINVAL, "bad right-hand attribute 5");
	c->kind = ABAC_COND_ANY;
	c->rhs = 0;
	c->rhs_side = 0;
	for (i = 0; i < t_hdr(img)->dict_size; i++) {
		e = t_rec(img, t_hdr(img)->dict_off + i);
		if (e->hash)
			break;
	}
	ASSERT_NE(NULL, e);
	e->attr = 9;
	t_rehash(img, len);
	expect_refused(_metadata, img, len, -EINVAL, "label dictionary slot");
	free(img);
}

TEST_HARNESS_MAIN
