// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bad input, on purpose: hostile YAML, corrupt and truncated images,
 * malformed labels, and file names that hold newlines.
 *
 * Each must be refused with a message that says what is wrong and where
 * (file:line:column for a policy, the table and the entry for an image),
 * and must cost nothing: no policy handed out, no crash, no unbounded
 * memory or time.  The limits the YAML loader enforces are the ones
 * policy.c names: 32 levels of nesting, 4096-byte scalars, a 4 MiB text,
 * 524288 nodes, no anchors or aliases, one document.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "common.h"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wclobbered"
#endif

#define MIB			(1U << 20)
#define NESTING_MAX		32
#define SCALAR_MAX		4096
#define NODES_MAX		(1U << 19)

/* Lines 1-9; rules follow from line 10. */
#define HEAD \
	"version: 1\n" \
	"name: t\n" \
	"attributes:\n" \
	"  subject:\n" \
	"    role: {type: string, values: [nurse, clerk]}\n" \
	"  object:\n" \
	"    type: {type: string, values: [record, invoice]}\n" \
	"    condition: {type: string, values: [heart, cancer]}\n" \
	"rules:\n"

#define RULE \
	"  - id: r1\n" \
	"    nlp: \"Nurses may read heart records.\"\n" \
	"    effect: allow\n" \
	"    ops: [read]\n" \
	"    subject: {role: nurse}\n" \
	"    object: {type: record, condition: heart}\n"

/* ---- helpers ----------------------------------------------------------- */

/* @pre, then @unit @n times, then @post: a malloc()ed text, *@len bytes. */
static char *repeat(const char *pre, const char *unit, size_t n,
		    const char *post, size_t *len)
{
	size_t a = strlen(pre), u = strlen(unit), c = strlen(post), i;
	char *s = malloc(a + u * n + c + 1);

	if (!s)
		return NULL;
	memcpy(s, pre, a);
	for (i = 0; i < n; i++)
		memcpy(s + a + i * u, unit, u);
	memcpy(s + a + u * n, post, c + 1);
	*len = a + u * n + c;
	return s;
}

/*
 * Expect @len bytes of @yaml refused with @err, with an error at
 * @line:@col (0: not checked) holding @sub, and the policy pointer left
 * alone.
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
	if (line) {
		EXPECT_EQ(line, g->line) t_diags_dump(&d);
		EXPECT_EQ(col, g->column) t_diags_dump(&d);
	}
	abac_diags_free(&d);
}

static void expect_good(struct __test_metadata *_metadata, const char *yaml,
			size_t len)
{
	struct abac_policy *p = NULL;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, abac_policy_parse_buf(T_FILE, yaml, len, &p, &d))
		t_diags_dump(&d);
	abac_policy_free(p);
	abac_diags_free(&d);
}

/* ---- hostile YAML, generated ------------------------------------------- */

/*
 * Each variant makes a text (most of them megabytes) and names the error
 * and the place the loader must report.
 */
FIXTURE(hostile_yaml) {
	char *text;
	size_t len;
};

FIXTURE_VARIANT(hostile_yaml) {
	char *(*make)(size_t *len);
	int err;
	unsigned int line, col;
	const char *msg;
};

FIXTURE_SETUP(hostile_yaml)
{
	self->text = variant->make(&self->len);
	ASSERT_NE(NULL, self->text);
}

FIXTURE_TEARDOWN(hostile_yaml)
{
	free(self->text);
}

TEST_F(hostile_yaml, is_refused_at_its_place)
{
	expect_bad(_metadata, self->text, self->len, variant->err,
		   variant->line, variant->col, variant->msg);
}

/* 4 MiB of '[': the 33rd opens at column 33. */
static char *make_flow_nesting(size_t *len)
{
	return repeat("", "[", 4 * MIB, "", len);
}

FIXTURE_VARIANT_ADD(hostile_yaml, four_mib_of_open_brackets) {
	.make = make_flow_nesting, .err = -EINVAL, .line = 1, .col = 33,
	.msg = "nesting deeper than 32 levels",
};

/* a: {a: {a: ... : the top mapping, then 31, then the 33rd at 4 + 31 * 4. */
static char *make_map_nesting(size_t *len)
{
	return repeat("a: ", "{a: ", 100000, "", len);
}

FIXTURE_VARIANT_ADD(hostile_yaml, flow_mappings_nested_100000_deep) {
	.make = make_map_nesting, .err = -EINVAL, .line = 1, .col = 128,
	.msg = "nesting deeper than 32 levels",
};

/* "- - - ... x": block sequences, two columns each. */
static char *make_block_nesting(size_t *len)
{
	return repeat("", "- ", 3 * MIB / 2, "x", len);
}

FIXTURE_VARIANT_ADD(hostile_yaml, block_lists_nested_1572864_deep) {
	.make = make_block_nesting, .err = -EINVAL, .line = 1, .col = 65,
	.msg = "nesting deeper than 32 levels",
};

/* One block mapping per line, each indented one more: the 33rd on line 33. */
static char *make_indent_nesting(size_t *len)
{
	size_t n = 200, i, o = 0;
	char *s = malloc(n * (n + 3) + 1);

	if (!s)
		return NULL;
	for (i = 0; i < n; i++) {
		memset(s + o, ' ', i);
		memcpy(s + o + i, "a:\n", 3);
		o += i + 3;
	}
	s[o] = '\0';
	*len = o;
	return s;
}

FIXTURE_VARIANT_ADD(hostile_yaml, block_mappings_indented_200_deep) {
	.make = make_indent_nesting, .err = -EINVAL, .line = 33, .col = 33,
	.msg = "nesting deeper than 32 levels",
};

static char *make_plain_scalar(size_t *len)
{
	return repeat("", "x", 4 * MIB - 1, "", len);
}

FIXTURE_VARIANT_ADD(hostile_yaml, plain_scalar_of_4_mib) {
	.make = make_plain_scalar, .err = -EINVAL, .line = 1, .col = 1,
	.msg = "scalar longer than 4096 bytes",
};

static char *make_quoted_scalar(size_t *len)
{
	return repeat(HEAD "  - id: r\n    nlp: \"", "x", 4 * MIB - 1000, "\"\n",
		      len);
}

FIXTURE_VARIANT_ADD(hostile_yaml, quoted_sentence_of_4_mib) {
	.make = make_quoted_scalar, .err = -EINVAL, .line = 11, .col = 10,
	.msg = "scalar longer than 4096 bytes",
};

/* A literal block scalar of 40000 lines. */
static char *make_block_scalar(size_t *len)
{
	return repeat(HEAD "  - id: r\n    nlp: |\n", "      line\n", 40000, "",
		      len);
}

FIXTURE_VARIANT_ADD(hostile_yaml, literal_block_sentence_of_40000_lines) {
	.make = make_block_scalar, .err = -EINVAL, .line = 11, .col = 10,
	.msg = "scalar longer than 4096 bytes",
};

static char *make_sentence_4097(size_t *len)
{
	return repeat(HEAD "  - id: r\n    nlp: ", "x", SCALAR_MAX + 1, "\n",
		      len);
}

FIXTURE_VARIANT_ADD(hostile_yaml, sentence_one_byte_over_the_limit) {
	.make = make_sentence_4097, .err = -EINVAL, .line = 11, .col = 10,
	.msg = "scalar longer than 4096 bytes",
};

/* An explicit key: libyaml itself cuts implicit keys at 1024 bytes. */
static char *make_long_key(size_t *len)
{
	return repeat("version: 1\n? ", "k", 5000, "\n: 1\n", len);
}

FIXTURE_VARIANT_ADD(hostile_yaml, key_of_5000_bytes) {
	.make = make_long_key, .err = -EINVAL, .line = 2, .col = 3,
	.msg = "scalar longer than 4096 bytes",
};

static char *make_too_large(size_t *len)
{
	return repeat("version: 1\n", "#", 4 * MIB, "\n", len);
}

FIXTURE_VARIANT_ADD(hostile_yaml, text_over_4_mib_even_of_comments) {
	.make = make_too_large, .err = -EFBIG, .line = 0,
	.msg = "policy is larger than 4 MiB",
};

/* [a,a,a,...]: the list is node 1, the 524288th scalar is at its column. */
static char *make_many_nodes(size_t *len)
{
	return repeat("[", "a,", 1900000, "a]", len);
}

FIXTURE_VARIANT_ADD(hostile_yaml, list_of_1900000_scalars) {
	.make = make_many_nodes, .err = -EINVAL, .line = 1,
	.col = 2 * NODES_MAX, .msg = "too many YAML nodes (at most 524288)",
};

/* 60000 unknown condition keys: 64 errors, then one line that it stops. */
static char *make_unknown_flood(size_t *len)
{
	return repeat(HEAD "  - id: r\n    nlp: x\n    effect: allow\n"
		      "    ops: [read]\n    subject:\n",
		      "      role-with-a-name-long-enough-to-be-costly-to-compare: x\n",
		      60000, "", len);
}

FIXTURE_VARIANT_ADD(hostile_yaml, sixty_thousand_unknown_condition_keys) {
	.make = make_unknown_flood, .err = -EINVAL, .line = 0,
	.msg = "too many errors; stopping",
};

/* The billion laughs: nine anchors of ten aliases each. */
static char *make_laughs(size_t *len)
{
	static const char laughs[] =
		"a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
		"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
		"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
		"h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
		"i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n";

	return repeat(laughs, "", 0, "", len);
}

FIXTURE_VARIANT_ADD(hostile_yaml, billion_laughs) {
	.make = make_laughs, .err = -EINVAL, .line = 1, .col = 4,
	.msg = "anchors are not allowed in a policy ('&a')",
};

/* A quadratic blow-up through aliases of mappings, each merged in. */
static char *make_merge_bomb(size_t *len)
{
	return repeat("base: &b {x: 1, y: 2}\n", "k: {<<: *b}\n", 1000, "",
		      len);
}

FIXTURE_VARIANT_ADD(hostile_yaml, merge_keys_of_an_anchored_mapping) {
	.make = make_merge_bomb, .err = -EINVAL, .line = 1, .col = 7,
	.msg = "anchors are not allowed in a policy ('&b')",
};

/* ---- hostile YAML, small ----------------------------------------------- */

FIXTURE(small_yaml) {
};

FIXTURE_VARIANT(small_yaml) {
	const char *text;
	size_t len;	/* 0: strlen(text) */
	unsigned int line, col;
	const char *msg;
};

FIXTURE_SETUP(small_yaml)
{
}

FIXTURE_TEARDOWN(small_yaml)
{
}

TEST_F(small_yaml, is_refused_at_its_place)
{
	expect_bad(_metadata, variant->text,
		   variant->len ? variant->len : strlen(variant->text),
		   -EINVAL, variant->line, variant->col, variant->msg);
}

FIXTURE_VARIANT_ADD(small_yaml, alias_without_an_anchor) {
	.text = "version: 1\nname: *n\n", .line = 2, .col = 7,
	.msg = "aliases are not allowed in a policy ('*n')",
};

FIXTURE_VARIANT_ADD(small_yaml, anchor_on_a_key) {
	.text = "version: 1\n&k name: t\n", .line = 2, .col = 1,
	.msg = "anchors are not allowed in a policy ('&k')",
};

FIXTURE_VARIANT_ADD(small_yaml, anchor_on_a_list_of_rules) {
	.text = HEAD "  &r\n" RULE, .line = 10, .col = 3,
	.msg = "anchors are not allowed in a policy ('&r')",
};

FIXTURE_VARIANT_ADD(small_yaml, overlong_nul_in_a_sentence) {
	.text = HEAD "  - id: r1\n    nlp: \"x\xc0\x80\"\n", .line = 11,
	.col = 12, .msg = "invalid UTF-8 (byte 0xc0)",
};

FIXTURE_VARIANT_ADD(small_yaml, overlong_three_byte_slash) {
	.text = "name: \xe0\x80\xaf\n", .line = 1, .col = 7,
	.msg = "invalid UTF-8 (byte 0xe0)",
};

FIXTURE_VARIANT_ADD(small_yaml, utf16_surrogate_in_utf8) {
	.text = "name: t\xed\xa0\x80\n", .line = 1, .col = 8,
	.msg = "invalid UTF-8 (byte 0xed)",
};

FIXTURE_VARIANT_ADD(small_yaml, code_point_above_u10ffff) {
	.text = "name: \xf4\x90\x80\x80\n", .line = 1, .col = 7,
	.msg = "invalid UTF-8 (byte 0xf4)",
};

FIXTURE_VARIANT_ADD(small_yaml, byte_0xff) {
	.text = "version: 1\nname: a\xff\n", .line = 2, .col = 8,
	.msg = "invalid UTF-8 (byte 0xff)",
};

FIXTURE_VARIANT_ADD(small_yaml, sequence_cut_at_the_end_of_the_text) {
	.text = "name: \xe2\x82", .line = 1, .col = 7,
	.msg = "invalid UTF-8 (byte 0xe2)",
};

FIXTURE_VARIANT_ADD(small_yaml, lone_continuation_byte_in_a_comment) {
	.text = "# caf\x80\nversion: 1\n", .line = 1, .col = 6,
	.msg = "invalid UTF-8 (byte 0x80)",
};

FIXTURE_VARIANT_ADD(small_yaml, bad_byte_after_wide_characters_counts_characters) {
	.text = "nlp: \"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xfe\"\n",
	.line = 1, .col = 10, .msg = "invalid UTF-8 (byte 0xfe)",
};

FIXTURE_VARIANT_ADD(small_yaml, nul_byte_on_line_three) {
	.text = "version: 1\nname: t\nx: a\0b\n", .len = 26, .line = 3,
	.col = 5, .msg = "NUL byte in the policy",
};

/*
 * libyaml breaks lines at CR, NEL, LS and PS too; the loader's own
 * messages must count lines as libyaml's do.
 */
FIXTURE_VARIANT_ADD(small_yaml, bad_byte_after_cr_line_ends) {
	.text = "version: 1\rname: \xff\r", .line = 2, .col = 7,
	.msg = "invalid UTF-8 (byte 0xff)",
};

FIXTURE_VARIANT_ADD(small_yaml, syntax_error_after_cr_line_ends) {
	.text = "version: 1\rname: [\r", .line = 3, .col = 1,
	.msg = "did not find expected node content",
};

FIXTURE_VARIANT_ADD(small_yaml, nul_after_crlf_line_ends) {
	.text = "version: 1\r\nname: t\r\nx\0\r\n", .len = 23, .line = 3,
	.col = 2, .msg = "NUL byte in the policy",
};

FIXTURE_VARIANT_ADD(small_yaml, bad_byte_after_a_next_line_character) {
	.text = "version: 1\xc2\x85name: \xff\n", .line = 2, .col = 7,
	.msg = "invalid UTF-8 (byte 0xff)",
};

FIXTURE_VARIANT_ADD(small_yaml, bad_byte_after_a_line_separator) {
	.text = "version: 1\xe2\x80\xa8name: \xff\n", .line = 2, .col = 7,
	.msg = "invalid UTF-8 (byte 0xff)",
};

FIXTURE_VARIANT_ADD(small_yaml, duplicate_top_level_key) {
	.text = "version: 1\nname: a\nversion: 1\n", .line = 3, .col = 1,
	.msg = "duplicate key 'version' (first at line 1)",
};

FIXTURE_VARIANT_ADD(small_yaml, duplicate_key_quoted_the_second_time) {
	.text = "version: 1\nname: a\n\"name\": b\n", .line = 3, .col = 1,
	.msg = "duplicate key 'name' (first at line 2)",
};

FIXTURE_VARIANT_ADD(small_yaml, duplicate_key_in_a_flow_mapping) {
	.text = "{version: 1, name: a, name: b}", .line = 1, .col = 23,
	.msg = "duplicate key 'name' (first at line 1)",
};

FIXTURE_VARIANT_ADD(small_yaml, duplicate_key_in_a_rule) {
	.text = HEAD RULE "    effect: deny\n", .line = 16, .col = 5,
	.msg = "duplicate key 'effect' (first at line 12)",
};

FIXTURE_VARIANT_ADD(small_yaml, duplicate_attribute_in_a_condition) {
	.text = HEAD "  - id: r1\n    nlp: x\n    effect: allow\n"
		"    ops: [read]\n    subject: {role: nurse, role: clerk}\n",
	.line = 14, .col = 28,
	.msg = "duplicate key 'role' (first at line 14)",
};

FIXTURE_VARIANT_ADD(small_yaml, duplicate_attribute_declaration) {
	.text = "version: 1\nname: t\nattributes:\n  object:\n"
		"    type: {type: string, values: [a]}\n"
		"    type: {type: string, values: [b]}\nrules: []\n",
	.line = 6, .col = 5,
	.msg = "duplicate key 'type' (first at line 5)",
};

FIXTURE_VARIANT_ADD(small_yaml, tab_as_indentation) {
	.text = "version: 1\nname: t\nattributes:\n\tsubject: {}\n",
	.line = 4, .col = 1,
	.msg = "found character that cannot start any token",
};

FIXTURE_VARIANT_ADD(small_yaml, tab_before_a_list_item) {
	.text = HEAD "\t- id: r1\n", .line = 10, .col = 1,
	.msg = "found character that cannot start any token",
};

FIXTURE_VARIANT_ADD(small_yaml, list_as_a_mapping_key) {
	.text = "? [a, b]\n: c\n", .line = 1, .col = 3,
	.msg = "a mapping key must be a scalar, not a list",
};

FIXTURE_VARIANT_ADD(small_yaml, mapping_as_a_mapping_key) {
	.text = "{{a: b}: c}", .line = 1, .col = 2,
	.msg = "a mapping key must be a scalar, not a mapping",
};

FIXTURE_VARIANT_ADD(small_yaml, second_document_after_a_policy) {
	.text = HEAD RULE "---\nversion: 1\n", .line = 16, .col = 1,
	.msg = "a policy is one YAML document, not several",
};

FIXTURE_VARIANT_ADD(small_yaml, comments_only) {
	.text = "# version: 1\n# name: t\n", .line = 1, .col = 1,
	.msg = "the policy is empty",
};

FIXTURE_VARIANT_ADD(small_yaml, unterminated_quote) {
	.text = "version: 1\nname: \"t\n", .line = 3, .col = 1,
	.msg = "found unexpected end of stream while scanning a quoted scalar",
};

/* ---- limits that still pass -------------------------------------------- */

TEST(nesting_of_exactly_32_levels_is_read)
{
	size_t len;
	char *s = repeat("", "[", NESTING_MAX, "", &len), *t;

	ASSERT_NE(NULL, s);
	t = repeat(s, "]", NESTING_MAX, "", &len);
	ASSERT_NE(NULL, t);
	/* read as YAML; refused only as a policy, which it is not */
	expect_bad(_metadata, t, len, -EINVAL, 1, 1,
		   "expected a mapping for the policy, found a list");
	free(s);
	free(t);
}

TEST(sentence_of_exactly_4096_bytes_is_accepted)
{
	size_t len;
	char *s = repeat(HEAD "  - id: r\n    effect: allow\n    ops: [read]\n"
			 "    nlp: ", "x", SCALAR_MAX, "\n", &len);

	ASSERT_NE(NULL, s);
	expect_good(_metadata, s, len);
	free(s);
}

TEST(text_of_exactly_4_mib_is_read)
{
	size_t len, head = strlen(HEAD RULE);
	char *s = repeat(HEAD RULE, "#", 4 * MIB - head - 1, "\n", &len);

	ASSERT_NE(NULL, s);
	ASSERT_EQ(4 * MIB, len);
	expect_good(_metadata, s, len);
	free(s);
}

TEST(tab_between_a_key_and_its_value_is_whitespace)
{
	static const char text[] = HEAD RULE;
	char buf[sizeof(text) + 16];

	/* "effect:\tallow" is YAML whitespace, not indentation */
	snprintf(buf, sizeof(buf), "%s", text);
	*strstr(buf, "effect: ") = '\0';
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "effect:\t%s",
		 strstr(text, "effect: ") + strlen("effect: "));
	expect_good(_metadata, buf, strlen(buf));
}

/* Documented in policy-language.rst: tags change nothing, text is text. */
TEST(yaml_tags_are_ignored_and_every_scalar_read_as_text)
{
	static const char text[] =
		"version: !!int 1\n"
		"name: !!str t\n"
		"attributes: !!map\n"
		"  subject: {role: {type: string, values: [!!bool yes, no]}}\n"
		"rules: !custom\n"
		"  - {id: r, nlp: !!binary eA==, effect: allow, ops: [read],"
		" subject: {role: yes}}\n";
	struct abac_policy *p = NULL;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_parse(text, &p, &d)) t_diags_dump(&d);
	EXPECT_STREQ("yes", p->sattrs[0].values[0]);
	EXPECT_STREQ("eA==", p->rules[0].nlp);
	abac_policy_free(p);
	abac_diags_free(&d);
}

TEST_HARNESS_MAIN
