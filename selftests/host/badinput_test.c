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
#include <stddef.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>

#include "kselftest_harness.h"
#include "common.h"
#include "cli.h"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wclobbered"
#endif

#define MIB			(1U << 20)
#define NESTING_MAX		32
#define SCALAR_MAX		4096
#define NODES_MAX		(1U << 25)

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

/*
 * The list past the node limit builds 2^25 nodes first: a few seconds
 * alone, more on a loaded host than the harness's default 30 s allow.
 */
TEST_F_TIMEOUT(hostile_yaml, is_refused_at_its_place, 180)
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
	return repeat("version: 1\n", "#", 256 * MIB, "\n", len);
}

FIXTURE_VARIANT_ADD(hostile_yaml, text_over_256_mib_even_of_comments) {
	.make = make_too_large, .err = -EFBIG, .line = 0,
	.msg = "policy is larger than 256 MiB",
};

/* [a,a,a,...]: the list is node 1, the 2^25th scalar is at its column. */
static char *make_many_nodes(size_t *len)
{
	return repeat("[", "a,", NODES_MAX + 100, "a]", len);
}

FIXTURE_VARIANT_ADD(hostile_yaml, list_of_33554532_scalars) {
	.make = make_many_nodes, .err = -EINVAL, .line = 1,
	.col = 2 * NODES_MAX, .msg = "too many YAML nodes (at most 33554432)",
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

/* ---- corrupt and truncated images -------------------------------------- */

#define IMAGE_POLICY \
	HEAD RULE \
	"  - id: r2\n" \
	"    nlp: \"Clerks may never write records.\"\n" \
	"    effect: deny\n" \
	"    ops: [write, delete]\n" \
	"    subject: {role: clerk}\n" \
	"    object: {type: [record, invoice]}\n"

#define GEN_OFF		offsetof(struct abac_image_hdr, generation)
#define ABAC_CHECK_SLOT_OFF	offsetof(struct abac_image_hdr, bpf_slot)

FIXTURE(image) {
	void *img;
	size_t len;
};

FIXTURE_SETUP(image)
{
	struct abac_subject s[2] = {
		{ .cgroup_id = 11, .level = 1, .tags = "role=nurse" },
		{ .cgroup_id = 12, .level = 2, .tags = "role=clerk" },
	};
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_compile(IMAGE_POLICY, s, 2, &self->img, &self->len,
			       NULL, &d)) t_diags_dump(&d);
	ASSERT_EQ(0, abac_image_check(self->img, self->len, &d));
	abac_diags_free(&d);
}

FIXTURE_TEARDOWN(image)
{
	free(self->img);
}

/* Refused with @err and exactly one message, about "<image>", holding @sub. */
static void expect_image_refused(struct __test_metadata *_metadata,
				 const void *img, size_t len, int err,
				 const char *sub)
{
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(err, abac_image_check(img, len, &d)) t_diags_dump(&d);
	ASSERT_EQ(1, (int)d.n);
	EXPECT_STREQ("<image>", d.v[0].file);
	EXPECT_NE(NULL, strstr(d.v[0].msg, sub)) TH_LOG("%s", d.v[0].msg);
	abac_diags_free(&d);
}

TEST_F(image, every_truncation_is_refused_as_truncated)
{
	struct abac_attrs s = { { 1 } }, o = { { 1, 1 } };
	struct abac_request rq = { .s = &s, .o = &o };
	struct abac_decision dec;
	struct abac_image v;
	size_t l;
	void *cut;

	for (l = 0; l < self->len; l++) {
		/* a buffer of exactly l bytes: nothing past it is readable */
		cut = malloc(l ? l : 1);
		ASSERT_NE(NULL, cut);
		memcpy(cut, self->img, l);
		expect_image_refused(_metadata, cut, l, -EINVAL, "truncated");
		v = abac_image_view(cut, l);
		abac_decide(&v, ABAC_OP_READ, &rq, &dec);
		if (l < sizeof(struct abac_image_hdr)) {
			EXPECT_EQ(ABAC_REASON_BAD_IMAGE, dec.reason);
			EXPECT_EQ(ABAC_DENY, dec.effect);
		}
		free(cut);
	}
}

TEST_F(image, padding_after_the_last_record_is_refused)
{
	char *big = calloc(1, self->len + ABAC_REC_SIZE);

	ASSERT_NE(NULL, big);
	memcpy(big, self->img, self->len);
	expect_image_refused(_metadata, big, self->len + 1, -EINVAL,
			     "truncated or padded");
	expect_image_refused(_metadata, big, self->len + ABAC_REC_SIZE,
			     -EINVAL, "truncated or padded");
	free(big);
}

/*
 * The generation and the BPF slot are stamped by the loader and read as 0
 * by the content hash: the slot's other bits are refused as reserved.
 */
TEST_F(image, every_flipped_bit_but_the_generation_is_refused)
{
	__u8 *b = self->img;
	size_t i;
	int bit;

	for (i = 0; i < self->len; i++) {
		for (bit = 0; bit < 8; bit++) {
			b[i] ^= 1 << bit;
			if ((i >= GEN_OFF && i < GEN_OFF + 4) ||
			    (i == ABAC_CHECK_SLOT_OFF && bit == 0)) {
				EXPECT_EQ(0, abac_image_check(b, self->len,
							      NULL));
			} else if (i >= ABAC_CHECK_SLOT_OFF &&
				   i < ABAC_CHECK_SLOT_OFF + 4) {
				expect_image_refused(_metadata, b, self->len,
						     -EINVAL,
						     "reserved header fields");
			} else if (i >= GEN_OFF + 4) {
				expect_image_refused(_metadata, b, self->len,
						     -EBADMSG,
						     "content hash mismatch");
			} else {
				EXPECT_GT(0, abac_image_check(b, self->len,
							      NULL));
			}
			b[i] ^= 1 << bit;
		}
	}
}

TEST_F(image, null_image_is_refused)
{
	expect_image_refused(_metadata, NULL, self->len, -EINVAL,
			     "truncated");
}

/* The first slot of a table of @size slots of @stride records that is used. */
static __u32 used_slot(void *img, __u32 off, __u32 size, __u32 stride)
{
	__u32 i;
	__u64 key;

	for (i = 0; i < size; i++) {
		memcpy(&key, t_rec(img, off + i * stride), sizeof(key));
		if (key)
			return i;
	}
	return 0;
}

/*
 * One corruption per variant, the content hash made to match again, so
 * that the check behind the hash must catch it and name the field.
 */
FIXTURE(corrupt_image) {
	void *img;
	size_t len;
};

FIXTURE_VARIANT(corrupt_image) {
	void (*patch)(void *img, char *want, size_t sz);
	int err;
};

FIXTURE_SETUP(corrupt_image)
{
	struct abac_subject s[2] = {
		{ .cgroup_id = 11, .level = 1, .tags = "role=nurse" },
		{ .cgroup_id = 12, .level = 2, .tags = "role=clerk" },
	};
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_compile(IMAGE_POLICY, s, 2, &self->img, &self->len,
			       NULL, &d)) t_diags_dump(&d);
	abac_diags_free(&d);
}

FIXTURE_TEARDOWN(corrupt_image)
{
	free(self->img);
}

TEST_F(corrupt_image, is_refused_naming_the_field)
{
	char want[256];

	variant->patch(self->img, want, sizeof(want));
	t_rehash(self->img, self->len);
	expect_image_refused(_metadata, self->img, self->len, variant->err,
			     want);
}

#define H(img)		t_hdr(img)
#define RULE_AT(img, i)	((struct abac_rule *)t_rec(img, H(img)->rules_off + (i)))
#define COND_AT(img, i)	((struct abac_cond *)t_rec(img, H(img)->conds_off + (i)))

#define CORRUPT(name, err_, body, ...) \
	static void patch_##name(void *img, char *want, size_t sz) \
	{ \
		body; \
		snprintf(want, sz, __VA_ARGS__); \
	} \
	FIXTURE_VARIANT_ADD(corrupt_image, name) { \
		.patch = patch_##name, .err = err_, \
	}

CORRUPT(bad_magic, -EPROTO, H(img)->magic = 0x464c457f,
	"not an abac image: bad magic 0x464c457f");
CORRUPT(abi_version_next, -EPROTO, H(img)->abi_version = ABAC_ABI_VERSION + 1,
	"image ABI version %u, this build reads version %u",
	ABAC_ABI_VERSION + 1, ABAC_ABI_VERSION);
CORRUPT(header_of_7_records, -EINVAL, H(img)->hdr_records = 7,
	"header of 7 records, expected %u", ABAC_HDR_RECORDS);
CORRUPT(more_records_than_the_limit, -E2BIG,
	H(img)->total_records = ABAC_IMAGE_RECORDS + 1,
	"image of %u records exceeds the limit", ABAC_IMAGE_RECORDS + 1);
CORRUPT(record_count_one_short, -EINVAL, H(img)->total_records--,
	"the header says %u records", H(img)->total_records);
CORRUPT(mode_7, -EINVAL, H(img)->mode = 7, "unknown mode 7");
CORRUPT(combining_unknown, -EINVAL, H(img)->combining = ABAC_COMBINE_COUNT,
	"unknown combining algorithm %u", ABAC_COMBINE_COUNT);
CORRUPT(default_effect_2, -EINVAL, H(img)->default_effect = 2,
	"unknown default effect 2");
CORRUPT(header_flags, -EINVAL, H(img)->flags = 0x80,
	"reserved header fields are not 0");
CORRUPT(header_padding_byte, -EINVAL, H(img)->pad2[1] = 1,
	"reserved header fields are not 0");
CORRUPT(hash_key_inside_the_header, -EINVAL, H(img)->key_off = 7,
	"hash key [7, +1) is outside the image or overlaps another table");
CORRUPT(hash_key_past_the_end, -EINVAL,
	H(img)->key_off = H(img)->total_records,
	"hash key [%u, +1) is outside the image", H(img)->total_records);
CORRUPT(attribute_record_flags, -EINVAL,
	((struct abac_attr_meta *)t_rec(img, H(img)->meta_off))->flags = 0x80,
	"attribute record 0 is malformed");
CORRUPT(closed_object_attribute_recorded_open, -EINVAL,
	((struct abac_attr_meta *)t_rec(img, H(img)->meta_off +
					H(img)->n_sattrs))->flags =
		ABAC_META_OPEN,
	"label dictionary: an object attribute is both open and closed, or unlike its attribute record");
CORRUPT(seventeen_subject_attributes, -EINVAL, H(img)->n_sattrs = 17,
	"17 subject and 2 object attributes (at most 16 each)");
CORRUPT(rules_over_the_limit, -EINVAL, H(img)->nrules = ABAC_MAX_RULES + 1,
	"%u rules (at most %u)", ABAC_MAX_RULES + 1, ABAC_MAX_RULES);
CORRUPT(dictionary_of_3_slots, -EINVAL, H(img)->dict_size = 3,
	"table sizes 3 and");
CORRUPT(rules_inside_the_header, -EINVAL, H(img)->rules_off = 7,
	"rules [7, +2) is outside the image or overlaps another table");
CORRUPT(conditions_over_the_rules, -EINVAL,
	H(img)->conds_off = H(img)->rules_off + 1,
	"conditions [%u, +%u) is outside the image or overlaps",
	H(img)->conds_off, H(img)->nconds);
CORRUPT(string_table_past_the_end, -EINVAL, H(img)->str_len += 64,
	"string table [%u, +%u) is outside the image", H(img)->str_off,
	(H(img)->str_len + 15) / 16);
CORRUPT(string_table_unterminated, -EINVAL,
	*((char *)t_rec(img, H(img)->str_off) + H(img)->str_len - 1) = 'x',
	"the string table is not NUL-terminated");
CORRUPT(policy_name_past_the_strings, -EINVAL,
	H(img)->name_str = H(img)->str_len,
	"policy name or timezone offset is outside the string table");
CORRUPT(rule_effect_2, -EINVAL, RULE_AT(img, 1)->effect = 2,
	"rule 1: bad effect, ops or padding");
CORRUPT(rule_with_an_unknown_operation, -EINVAL,
	RULE_AT(img, 0)->ops |= 1U << ABAC_OP_COUNT,
	"rule 0: bad effect, ops or padding");
CORRUPT(rule_padding, -EINVAL, RULE_AT(img, 1)->pad = 1,
	"rule 1: bad effect, ops or padding");
CORRUPT(rule_of_17_conditions, -EINVAL, RULE_AT(img, 1)->ncond = 17,
	"rule 1: 17 conditions (at most 16)");
CORRUPT(rule_conditions_past_the_table, -EINVAL, RULE_AT(img, 1)->ncond++,
	"rule 1: conditions [%u, +%u) are outside the conditions table",
	RULE_AT(img, 1)->cond, RULE_AT(img, 1)->ncond);
CORRUPT(rule_conditions_before_the_table, -EINVAL,
	RULE_AT(img, 0)->cond = H(img)->conds_off - 1,
	"rule 0: conditions [%u, +3) are outside", H(img)->conds_off - 1);
CORRUPT(rule_sentence_past_the_strings, -EINVAL,
	RULE_AT(img, 0)->str = H(img)->str_len - 1,
	"rule 0: string offset %u is outside the string table",
	H(img)->str_len - 1);
CORRUPT(condition_kind_unknown, -EINVAL,
	COND_AT(img, 2)->kind = ABAC_COND_KIND_COUNT,
	"condition 2: unknown kind %u", ABAC_COND_KIND_COUNT);
CORRUPT(condition_on_side_2, -EINVAL, COND_AT(img, 0)->side = 2,
	"condition 0: no attribute 0 on side 2");
CORRUPT(condition_on_an_undeclared_attribute, -EINVAL,
	COND_AT(img, 0)->attr = 1, "condition 0: no attribute 1 on side 0");
CORRUPT(condition_with_a_stray_relation, -EINVAL, COND_AT(img, 1)->rhs = 1,
	"condition 1: bad right-hand attribute 1 on side 0");
CORRUPT(relation_to_an_undeclared_object_attribute, -EINVAL,
	(COND_AT(img, 0)->kind = ABAC_COND_REL_EQ, COND_AT(img, 0)->rhs = 3),
	"condition 0: bad right-hand attribute 3 on side 0");
CORRUPT(condition_padding, -EINVAL, COND_AT(img, 4)->pad[0] = 1,
	"condition 4: padding is not 0");
CORRUPT(dictionary_entry_for_an_undeclared_attribute, -EINVAL,
	((struct abac_dict_ent *)t_rec(img, H(img)->dict_off +
		used_slot(img, H(img)->dict_off, H(img)->dict_size, 1)))->attr = 3,
	"label dictionary slot %u is malformed",
	used_slot(img, H(img)->dict_off, H(img)->dict_size, 1));
CORRUPT(dictionary_entry_for_value_64, -EINVAL,
	((struct abac_dict_ent *)t_rec(img, H(img)->dict_off +
		used_slot(img, H(img)->dict_off, H(img)->dict_size, 1)))->bit = 64,
	"label dictionary slot %u is malformed",
	used_slot(img, H(img)->dict_off, H(img)->dict_size, 1));
CORRUPT(dictionary_entry_flags, -EINVAL,
	((struct abac_dict_ent *)t_rec(img, H(img)->dict_off +
		used_slot(img, H(img)->dict_off, H(img)->dict_size, 1)))->flags = 4,
	"label dictionary slot %u is malformed",
	used_slot(img, H(img)->dict_off, H(img)->dict_size, 1));
/* bit 2: CAP_DAC_READ_SEARCH, which no grant gives (tagged root keeps it) */
/* one value entry made the open entry of its (closed) attribute */
static void make_open_entry(void *img)
{
	struct abac_dict_ent *e = t_rec(img, H(img)->dict_off +
		used_slot(img, H(img)->dict_off, H(img)->dict_size, 1));

	e->flags = ABAC_DICT_SINGLE | ABAC_DICT_OPEN;
	e->bit = 0;
}
CORRUPT(dictionary_open_entry_among_values, -EINVAL, make_open_entry(img),
	"label dictionary: an object attribute is both open and closed");
CORRUPT(dictionary_open_entry_with_a_value, -EINVAL,
	(make_open_entry(img),
	 ((struct abac_dict_ent *)t_rec(img, H(img)->dict_off +
		used_slot(img, H(img)->dict_off, H(img)->dict_size, 1)))->bit = 1),
	"label dictionary slot %u is malformed",
	used_slot(img, H(img)->dict_off, H(img)->dict_size, 1));
CORRUPT(subject_slot_granting_a_capability_not_withheld, -EINVAL,
	((struct abac_subj_key *)t_rec(img, H(img)->subj_off +
		used_slot(img, H(img)->subj_off, H(img)->subj_size,
			  ABAC_SUBJ_RECORDS) * ABAC_SUBJ_RECORDS))->caps = 1U << 2,
	"subject slot %u is malformed",
	used_slot(img, H(img)->subj_off, H(img)->subj_size, ABAC_SUBJ_RECORDS));
CORRUPT(subject_tagged_with_an_undeclared_attribute, -EINVAL,
	((struct abac_attrs *)t_rec(img, H(img)->subj_off + 1 +
		used_slot(img, H(img)->subj_off, H(img)->subj_size,
			  ABAC_SUBJ_RECORDS) * ABAC_SUBJ_RECORDS))->v[1] = 1,
	"subject slot %u is malformed",
	used_slot(img, H(img)->subj_off, H(img)->subj_size, ABAC_SUBJ_RECORDS));

#define SPAN_AT(img, op) \
	((struct abac_op_span *)t_rec(img, H(img)->opidx_off) + (op))
CORRUPT(rule_left_out_of_its_operation_list, -EINVAL,
	SPAN_AT(img, ABAC_OP_DELETE)->count = 0,
	"operation %u: 1 rule(s) name it, its rule list holds 0",
	ABAC_OP_DELETE);
CORRUPT(operation_list_past_the_table, -EINVAL,
	SPAN_AT(img, ABAC_OP_DELETE)->first = H(img)->noplist,
	"operation %u: rule list outside the table", ABAC_OP_DELETE);

/* ---- labels ------------------------------------------------------------ */

/*
 * Object attributes for the label cases: "k" for counting pairs, l1 and
 * l4 whose values make a label of exactly ABAC_LABEL_MAX (16384) bytes
 * (LABEL_MAX_TEXT: l1's value 63 times, l4's, k=v 32 times); l5 whose value is ABAC_VALUE_MAX (255) bytes long; owner, whose
 * values are UTF-8 text with spaces and the label's separators.
 */
#define V50	"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
#define V60	V50 "vvvvvvvvvv"
#define V250	V50 V50 V50 V50 V50
#define V253	V250 "vvv"
#define V255	V250 "vvvvv"
#define V253x7	V253 "," V253 "," V253 "," V253 "," V253 "," V253 "," V253
#define V253x63	V253x7 "," V253x7 "," V253x7 "," V253x7 "," V253x7 ","	\
	V253x7 "," V253x7 "," V253x7 "," V253x7
#define V250x11	V250 "," V250 "," V250 "," V250 "," V250 "," V250 ","	\
	V250 "," V250 "," V250 "," V250 "," V250
#define KV31	";k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v" \
	";k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v"
/* ABAC_LABEL_MAX (16384) bytes: 3 + 63 * 253 + 62, 4 + 250, 31 * 4 + 2 */
#define LABEL_MAX_TEXT "l1=" V253x63 ";l4=" V250 KV31 ",v"
/* ABAC_LABEL_PAIRS (128) distinct values of k, and one more */
#define VALUES_128 \
	"0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24" \
	",25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45," \
	"46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,6" \
	"7,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88" \
	",89,90,91,92,93,94,95,96,97,98,99,100,101,102,103,104,105,106,10" \
	"7,108,109,110,111,112,113,114,115,116,117,118,119,120,121,122,12" \
	"3,124,125,126,127"
#define VALUES_129 VALUES_128 ",128"
#define ZOE	"Dr. Zo\xc3\xab M\xc3\xbcller"	/* e and u with diaeresis */
#define WARD	"\xf0\x9f\x8f\xa5 ward"		/* U+1F3E5, 4 bytes */
#define PAIRS_32 \
	"k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;" \
	"k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v;k=v"

static const char label_policy[] =
	"version: 1\n"
	"name: labels\n"
	"attributes:\n"
	"  object:\n"
	"    type: {type: string, values: [record, invoice]}\n"
	"    condition: {type: string, values: [heart, cancer]}\n"
	"    k: {type: string, values: [v]}\n"
	"    l1: {type: string, values: [" V253 "]}\n"
	"    l2: {type: string, values: [" V253 "]}\n"
	"    l3: {type: string, values: [" V253 "]}\n"
	"    l4: {type: string, values: [" V250 "]}\n"
	"    l5: {type: string, values: [" V255 "]}\n"
	"    owner: {type: set, values: [\"" ZOE "\", \"Smith, J.\",\n"
	"            \"a;b=c\\\\d\", \"" WARD "\"]}\n"
	"rules: []\n";

FIXTURE(label) {
	void *img;
	size_t len;
};

/*
 * @hash: what abac_label_hash() says of the bytes (0 or -1); @parse:
 * what abac_label_parse() says against the policy above.
 */
FIXTURE_VARIANT(label) {
	const char *bytes;
	size_t len;	/* 0: strlen(bytes) */
	int hash, parse;
};

FIXTURE_SETUP(label)
{
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_compile(label_policy, NULL, 0, &self->img, &self->len,
			       NULL, &d)) t_diags_dump(&d);
	abac_diags_free(&d);
}

FIXTURE_TEARDOWN(label)
{
	free(self->img);
}

TEST_F(label, is_taken_or_refused_whole)
{
	struct abac_image v = abac_image_view(self->img, self->len);
	size_t len = variant->len ? variant->len : strlen(variant->bytes);
	struct abac_label_pairs p;
	struct abac_attrs o;
	__u8 *buf = malloc(len ? len : 1);

	/* exactly len bytes: a read past them is a bug the sanitizers see */
	ASSERT_NE(NULL, buf);
	memcpy(buf, variant->bytes, len);
	EXPECT_EQ(variant->hash, abac_label_hash(buf, len, &p));
	memset(&o, 0, sizeof(o));
	EXPECT_EQ(variant->parse, abac_label_parse(&v, buf, len, &p, &o));
	free(buf);
}

#define LABEL_OK(name, s) \
	FIXTURE_VARIANT_ADD(label, name) { .bytes = s, .hash = 0, .parse = 0 }
#define LABEL_UNKNOWN(name, s) \
	FIXTURE_VARIANT_ADD(label, name) { .bytes = s, .hash = 0, .parse = -1 }
#define LABEL_BAD(name, s) \
	FIXTURE_VARIANT_ADD(label, name) { .bytes = s, .hash = -1, .parse = -1 }

LABEL_OK(one_pair, "type=record");
LABEL_OK(two_pairs, "condition=heart;type=invoice");
LABEL_OK(same_pair_twice, "type=record;type=record");
LABEL_OK(exactly_label_max_bytes, LABEL_MAX_TEXT);
LABEL_OK(value_of_255_bytes, "l5=" V255);
LABEL_OK(utf8_value_with_spaces, "owner=" ZOE);
LABEL_OK(four_byte_utf8, "owner=" WARD);
LABEL_OK(escaped_comma, "owner=Smith\\, J.," ZOE);
LABEL_OK(every_escape, "owner=a\\;b\\=c\\\\d;type=record");
LABEL_OK(one_pair_32_times_is_one_pair, PAIRS_32);
/* 128 distinct pairs parse; 127 of them are not declared */
FIXTURE_VARIANT_ADD(label, exactly_128_distinct_pairs) {
	.bytes = "k=" VALUES_128, .hash = 0, .parse = -1,
};
FIXTURE_VARIANT_ADD(label, one_trailing_nul) {
	.bytes = "type=record", .len = 12, .hash = 0, .parse = 0,
};
/* policy-language.rst: at most 16,384 bytes, a trailing NUL counted */
FIXTURE_VARIANT_ADD(label, trailing_nul_counts_toward_the_label_max) {
	.bytes = LABEL_MAX_TEXT, .len = ABAC_LABEL_MAX + 1, .hash = -1,
	.parse = -1,
};
LABEL_UNKNOWN(unknown_attribute, "colour=red");
LABEL_UNKNOWN(unknown_value, "type=recording");
LABEL_UNKNOWN(known_pair_then_unknown_one, "type=record;condition=flu");
LABEL_UNKNOWN(value_of_another_attribute, "type=heart");
LABEL_UNKNOWN(two_values_of_a_one_value_attribute, "type=record,invoice");
LABEL_UNKNOWN(two_pairs_for_a_one_value_attribute,
	      "type=record;type=invoice");
LABEL_UNKNOWN(attribute_name_case_changed, "Type=record");
LABEL_BAD(empty, "");
FIXTURE_VARIANT_ADD(label, nul_alone) {
	.bytes = "", .len = 1, .hash = -1, .parse = -1,
};
FIXTURE_VARIANT_ADD(label, two_trailing_nuls) {
	.bytes = "type=record\0", .len = 13, .hash = -1, .parse = -1,
};
FIXTURE_VARIANT_ADD(label, nul_inside) {
	.bytes = "type=rec\0ord", .len = 12, .hash = -1, .parse = -1,
};
FIXTURE_VARIANT_ADD(label, longer_than_label_max_bytes) {
	.bytes = LABEL_MAX_TEXT "w", .len = ABAC_LABEL_MAX + 1, .hash = -1,
	.parse = -1,
};
LABEL_BAD(value_of_256_bytes, "l5=" V255 "v");
LABEL_BAD(one_hundred_and_twenty_nine_distinct_values, "k=" VALUES_129);
LABEL_BAD(key_alone, "type");
LABEL_BAD(equals_alone, "=");
LABEL_BAD(no_key, "=record");
LABEL_BAD(no_value, "type=");
LABEL_BAD(two_equals, "type==record");
LABEL_BAD(equals_in_a_value, "type=rec=ord");
LABEL_BAD(trailing_semicolon, "type=record;");
LABEL_BAD(trailing_comma, "type=record,");
LABEL_BAD(leading_semicolon, ";type=record");
LABEL_BAD(empty_pair, "type=record;;condition=heart");
LABEL_BAD(empty_value_in_a_list, "type=record,,invoice");
LABEL_UNKNOWN(space, "type=medical record");
LABEL_UNKNOWN(escaped_comma_is_no_separator, "type=record\\,invoice");
LABEL_UNKNOWN(without_the_diaeresis, "owner=Dr. Zoe Muller");
LABEL_UNKNOWN(unescaped_comma_splits_the_value, "owner=Smith,J.");
LABEL_BAD(leading_space, "owner= " ZOE);
LABEL_BAD(trailing_space, "owner=" ZOE " ");
LABEL_BAD(trailing_space_before_a_comma, "owner=" ZOE " ,Smith\\, J.");
LABEL_BAD(unknown_escape, "owner=a\\b");
LABEL_BAD(escape_at_the_end, "owner=a\\");
LABEL_BAD(escaped_space, "owner=Dr.\\ Zoe");
LABEL_BAD(escape_in_a_key, "own\\er=v");
LABEL_BAD(del, "owner=a\x7f");
LABEL_BAD(c1_control_nel, "owner=a\xc2\x85");
LABEL_BAD(overlong_slash, "owner=\xc0\xaf");
LABEL_BAD(overlong_three_bytes, "owner=\xe0\x80\xaf");
LABEL_BAD(surrogate, "owner=\xed\xa0\x80");
LABEL_BAD(past_u10ffff, "owner=\xf4\x90\x80\x80");
LABEL_BAD(lone_continuation_byte, "owner=\x80");
LABEL_BAD(sequence_cut_at_the_end, "owner=Zo\xc3");
LABEL_BAD(sequence_cut_by_a_comma, "owner=Zo\xc3,v");
LABEL_BAD(non_ascii_key, "t\xc3\xbfpe=record");
LABEL_BAD(space_around_the_equals, "type = record");
LABEL_BAD(tab, "type=record\tcondition=heart");
LABEL_BAD(newline, "type=record\n");
LABEL_BAD(newline_between_pairs, "type=record\ncondition=heart");
LABEL_UNKNOWN(non_ascii_letter, "type=r\xc3\xa9" "cord");
LABEL_UNKNOWN(quote, "type=\"record\"");
LABEL_BAD(escape_byte, "type=\x1b[31mrecord");
LABEL_BAD(byte_0xff, "\xff");

/* ---- file names with newlines, through the abac CLI ------------------- */

static int count_char(const char *s, char c)
{
	int n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

FIXTURE(newline_name) {
	char dir[64];
	char file[128];
	char cli[4096];
};

FIXTURE_SETUP(newline_name)
{
	int fd;

	if (!cli_path(self->cli, sizeof(self->cli)))
		SKIP(return, "build/abac is not built");
	snprintf(self->dir, sizeof(self->dir), "/tmp/abac-badinput-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->file, sizeof(self->file),
		 "%s/p1017\nFailed to forge: a line", self->dir);
	fd = open(self->file, O_CREAT | O_WRONLY, 0600);
	ASSERT_LE(0, fd);
	close(fd);
}

FIXTURE_TEARDOWN(newline_name)
{
	unlink(self->file);
	rmdir(self->dir);
}

TEST_F(newline_name, label_get_prints_one_line_with_the_newline_escaped)
{
	char *set[] = { NULL, "label", "set", self->file, "type=record", NULL };
	char *get[] = { NULL, "label", "get", self->file, NULL };
	char out[4096], err[4096];

	if (run_cli(self->cli, set, out, err, sizeof(out)))
		SKIP(return, "cannot set a user.abac xattr in /tmp: %.200s",
		     err);
	ASSERT_EQ(0, run_cli(self->cli, get, out, err, sizeof(out)));
	EXPECT_EQ(1, count_char(out, '\n')) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "p1017\\x0aFailed to forge: a line: "
				    "type=record\n")) TH_LOG("%s", out);
}

TEST_F(newline_name, label_set_refusal_is_one_line)
{
	char *set[] = { NULL, "label", "set", self->file, "type=a\tb", NULL };
	char out[4096], err[4096];

	ASSERT_EQ(1, run_cli(self->cli, set, out, err, sizeof(out)));
	EXPECT_EQ(1, count_char(err, '\n')) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "Failed to set label on "))
		TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "p1017?Failed to forge: a line: "
				    "'type=a\\x09b': control character U+0009"))
		TH_LOG("%s", err);
}

TEST_F(newline_name, label_get_error_is_one_line)
{
	char missing[200], out[4096], err[4096];
	char *get[] = { NULL, "label", "get", missing, NULL };

	ASSERT_GT(sizeof(missing), (size_t)snprintf(missing, sizeof(missing),
					     "%s/gone\nabac: forged", self->dir));
	ASSERT_EQ(1, run_cli(self->cli, get, out, err, sizeof(out)));
	EXPECT_EQ(1, count_char(err, '\n')) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "gone?abac: forged: No such file"))
		TH_LOG("%s", err);
}

/* What "abac label set" says of a bad label, naming the file and the pair. */
FIXTURE_VARIANT(label_set) {
	const char *pair;
	const char *msg;
};

FIXTURE(label_set) {
	char dir[64];
	char file[128];
	char cli[4096];
};

FIXTURE_SETUP(label_set)
{
	int fd;

	if (!cli_path(self->cli, sizeof(self->cli)))
		SKIP(return, "build/abac is not built");
	snprintf(self->dir, sizeof(self->dir), "/tmp/abac-badinput-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->file, sizeof(self->file), "%s/f", self->dir);
	fd = open(self->file, O_CREAT | O_WRONLY, 0600);
	ASSERT_LE(0, fd);
	close(fd);
}

FIXTURE_TEARDOWN(label_set)
{
	unlink(self->file);
	rmdir(self->dir);
}

TEST_F(label_set, is_refused_naming_the_file_and_the_pair)
{
	char *set[] = { NULL, "label", "set", self->file, (char *)variant->pair,
			NULL };
	char out[4096], err[4096], want[4096];

	ASSERT_EQ(1, run_cli(self->cli, set, out, err, sizeof(out)));
	ASSERT_GT(sizeof(want), (size_t)snprintf(want, sizeof(want),
					  "Failed to set label on %s: %s",
					  self->file, variant->msg));
	EXPECT_NE(NULL, strstr(err, want)) TH_LOG("%s", err);
	EXPECT_EQ(1, count_char(err, '\n')) TH_LOG("%s", err);
	EXPECT_EQ(-1, (int)getxattr(self->file, "user.abac", NULL, 0));
}

FIXTURE_VARIANT_ADD(label_set, longer_than_label_max_bytes) {
	.pair = "type=" V250x11 "," V250x11 "," V250x11 "," V250x11 ","
		V250x11 "," V250x11 "," V60,
	.msg = "the label is longer than 16384 bytes",
};

FIXTURE_VARIANT_ADD(label_set, value_longer_than_255_bytes) {
	.pair = "type=" V255 "v",
	/* the argument is quoted to its first 64 bytes */
	.msg = "'type=" V50 "vvvvvvvvv...': a value is at most 255 bytes (of UTF-8), this one is 256",
};

FIXTURE_VARIANT_ADD(label_set, leading_space_in_a_value) {
	.pair = "type= medical record",
	.msg = "'type= medical record': a value may not start or end with a space",
};

FIXTURE_VARIANT_ADD(label_set, newline_in_a_value) {
	.pair = "type=record\nforged=1",
	.msg = "'type=record\\x0aforged=1': control character U+000A at byte 7",
};

FIXTURE_VARIANT_ADD(label_set, malformed_utf8_in_a_value) {
	.pair = "type=Zo\xc3 M",
	.msg = "'type=Zo\\xc3 M': not valid UTF-8 at byte 3 (0xc3)",
};

FIXTURE_VARIANT_ADD(label_set, c1_control_in_a_value) {
	.pair = "type=a\xc2\x85",
	.msg = "'type=a\\xc2\\x85': control character U+0085 at byte 2",
};

FIXTURE_VARIANT_ADD(label_set, unknown_escape_in_a_value) {
	.pair = "type=a\\b",
	.msg = "'type=a\\b': '\\' in a value escapes only \\ , ; = (write \\\\ for a backslash)",
};

FIXTURE_VARIANT_ADD(label_set, unescaped_equals_in_a_value) {
	.pair = "type=a=b",
	.msg = "'type=a=b': '=' in a value is written \\=",
};

FIXTURE_VARIANT_ADD(label_set, non_ascii_attribute_name) {
	.pair = "t\xc3\xbfpe=record",
	.msg = "'t\xc3\xbfpe': attribute names are ASCII [A-Za-z0-9_.:/@+-]; values may be any UTF-8",
};

FIXTURE_VARIANT_ADD(label_set, no_equals_sign) {
	.pair = "record",
	.msg = "'record' is not KEY=VALUE",
};

FIXTURE_VARIANT_ADD(label_set, empty_value_in_a_list) {
	.pair = "type=record,,invoice",
	.msg = "'type=record,,invoice' has an empty value",
};

FIXTURE_VARIANT_ADD(label_set, semicolon_inside_a_pair) {
	.pair = "type=record;condition=heart",
	.msg = "'type=record;condition=heart': give each KEY=VALUE as an argument of its own",
};

TEST_HARNESS_MAIN
