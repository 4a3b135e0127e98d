// SPDX-License-Identifier: GPL-2.0-only
/*
 * Layered policies as one text (tools/lib/layers.c), the form abac policy
 * apply sends to abacd and abacd keeps: joined and split back byte for
 * byte, parsed into the same policy as the files themselves, and refused
 * with a line number when the text is malformed.  And every policy in
 * policy-examples/ checks clean, a lower layer under its top layer.
 */
#include <dirent.h>

#include "kselftest_harness.h"
#include "common.h"

static const char top_yaml[] =
	"version: 1\nname: top\n"
	"attributes:\n  subject:\n    role: {type: string, values: [dev, ops]}\n"
	"  object:\n    kind: {type: string, values: [doc, db]}\n"
	"rules:\n"
	"  - {id: a, nlp: \"Developers may read.\", effect: allow, ops: [read],"
	" subject: {role: dev}}\n";
static const char lower_yaml[] =
	"version: 1\nname: lower\n"
	"rules:\n"
	"  - {id: no-db, nlp: \"Nobody may read databases.\", effect: deny,"
	" ops: [read], object: {kind: db}}";	/* no final newline */

static const char *const names[] = { "top.yaml", "lower.yaml" };
static const char *const texts[] = { top_yaml, lower_yaml };
static const size_t lens[] = { sizeof(top_yaml) - 1, sizeof(lower_yaml) - 1 };

/* Join the two layers above; the text is the caller's to free. */
static char *joined(struct __test_metadata *_metadata, size_t *len)
{
	char *out = NULL;

	ASSERT_EQ(0, abac_layers_join(names, texts, lens, 2, &out, len));
	return out;
}

static __u64 image_hash(struct __test_metadata *_metadata,
			const struct abac_policy *p)
{
	struct abac_diags d;
	size_t len;
	void *img;
	__u64 h;

	abac_diags_init(&d);
	ASSERT_EQ(0, abac_image_build(p, NULL, 0, &img, &len, &d))
		t_diags_dump(&d);
	h = abac_image_hash(img, len);
	free(img);
	abac_diags_free(&d);
	return h;
}

TEST(join_then_split_gives_back_every_layer_byte_for_byte)
{
	struct abac_layer_text v[ABAC_MAX_LAYERS];
	struct abac_diags d;
	size_t len, n, i;
	char *t = joined(_metadata, &len);

	abac_diags_init(&d);
	EXPECT_TRUE(abac_layers_is_joined(t, len));
	EXPECT_FALSE(abac_layers_is_joined(top_yaml, lens[0]));
	EXPECT_EQ(len, strlen(t));
	ASSERT_EQ(0, abac_layers_split("x", t, len, v, &n, &d));
	ASSERT_EQ(2, (int)n);
	for (i = 0; i < n; i++) {
		EXPECT_STREQ(names[i], v[i].name);
		ASSERT_EQ(lens[i], v[i].len);
		EXPECT_EQ(0, memcmp(texts[i], v[i].text, lens[i]));
	}
	EXPECT_EQ(0, (int)d.n);
	abac_layers_free(v, n);
	abac_diags_free(&d);
	free(t);
}

TEST(a_joined_text_parses_as_the_same_layered_policy_as_its_files)
{
	struct abac_policy *a = NULL, *b = NULL, *lower = NULL;
	struct abac_diags d;
	size_t len;
	char *t = joined(_metadata, &len);

	abac_diags_init(&d);
	ASSERT_EQ(0, abac_policy_parse_source("bundle", t, len, &a, &d))
		t_diags_dump(&d);
	ASSERT_EQ(0, abac_policy_parse_buf("top.yaml", top_yaml, lens[0], &b,
					   &d));
	ASSERT_EQ(0, abac_policy_parse_layer_buf("lower.yaml", lower_yaml,
						 lens[1], b, &lower, &d));
	ASSERT_EQ(0, abac_policy_add_layer(b, lower, &d));
	EXPECT_EQ(0, (int)d.errors) t_diags_dump(&d);
	EXPECT_EQ(2, (int)a->nlayers);
	EXPECT_EQ(2, (int)a->nrules);
	EXPECT_STREQ("lower.yaml", a->layer_file[1]);
	EXPECT_STREQ("lower.yaml", a->rules[1].file);
	EXPECT_EQ(image_hash(_metadata, b), image_hash(_metadata, a));
	abac_policy_free(a);
	abac_policy_free(b);
	abac_diags_free(&d);
	free(t);
}

/* A lower layer may not reuse a rule id of the layers above it. */
TEST(a_lower_layer_reusing_a_rule_id_is_refused_at_the_rule)
{
	static const char reuse[] =
		"version: 1\nname: lower\n"
		"rules:\n"
		"  - {id: fine, nlp: \"Ops may read.\", effect: allow,"
		" ops: [read], subject: {role: ops}}\n"
		"  - {id: a, nlp: \"Nobody may read databases.\", effect: deny,"
		" ops: [read], object: {kind: db}}\n";
	struct abac_policy *top = NULL, *lower = NULL;
	const struct abac_diag *g;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, abac_policy_parse_buf("top.yaml", top_yaml, lens[0], &top,
					   &d));
	ASSERT_EQ(0, abac_policy_parse_layer_buf("lower.yaml", reuse,
						 sizeof(reuse) - 1, top, &lower,
						 &d));
	EXPECT_EQ(-EINVAL, abac_policy_add_layer(top, lower, &d));
	g = t_diag(&d, "rule id 'a' is already used in top.yaml");
	ASSERT_NE(NULL, g) t_diags_dump(&d);
	EXPECT_STREQ("lower.yaml", g->file);
	EXPECT_EQ(5U, g->line);
	EXPECT_EQ(1, (int)d.errors) t_diags_dump(&d);
	abac_policy_free(top);
	abac_diags_free(&d);
}

TEST(a_plain_policy_text_parses_as_itself)
{
	struct abac_policy *p = NULL;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, abac_policy_parse_source("top.yaml", top_yaml, lens[0],
					      &p, &d));
	EXPECT_EQ(1, (int)p->nlayers);
	abac_policy_free(p);
	abac_diags_free(&d);
}

TEST(join_refuses_what_it_could_not_split_back)
{
	const char *bad_names[] = { "top.yaml", "low\ner.yaml" };
	char *out = NULL, *t;
	size_t len, len2;

	EXPECT_EQ(-EINVAL, abac_layers_join(bad_names, texts, lens, 2, &out,
					    &len));
	EXPECT_EQ(-EINVAL, abac_layers_join(names, texts, lens, 0, &out,
					    &len));
	EXPECT_EQ(-EINVAL, abac_layers_join(names, texts, lens,
					    ABAC_MAX_LAYERS + 1, &out, &len));
	/* a joined text is not a layer */
	t = joined(_metadata, &len);
	{
		const char *tx[] = { t, lower_yaml };
		const size_t ln[] = { len, lens[1] };

		EXPECT_EQ(-EINVAL, abac_layers_join(names, tx, ln, 2, &out,
						    &len2));
	}
	EXPECT_TRUE(out == NULL);
	free(t);
}

/*
 * Parse @text as a joined text and expect it refused: -EINVAL, nothing
 * returned, an error at @line holding @sub.
 */
static void expect_split_refused(struct __test_metadata *_metadata,
				 const char *text, unsigned int line,
				 const char *sub)
{
	struct abac_policy *sentinel = (struct abac_policy *)&sentinel;
	struct abac_policy *p = sentinel;
	const struct abac_diag *g;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(-EINVAL, abac_policy_parse_source("j.yaml", text,
						    strlen(text), &p, &d));
	ASSERT_TRUE(p == sentinel);
	g = t_diag(&d, sub);
	ASSERT_NE(NULL, g) t_diags_dump(&d);
	EXPECT_STREQ("j.yaml", g->file);
	EXPECT_EQ(line, g->line) t_diags_dump(&d);
	abac_diags_free(&d);
}

TEST(malformed_joined_texts_are_refused_at_their_line)
{
	expect_split_refused(_metadata, "#abac-layers: 0\n", 1,
			     "starts with '#abac-layers: N'");
	expect_split_refused(_metadata, "#abac-layers: 9\n", 1,
			     "N from 1 to 8");
	expect_split_refused(_metadata, "#abac-layers: two\n", 1,
			     "starts with");
	expect_split_refused(_metadata, "#abac-layers: 1", 1, "starts with");
	expect_split_refused(_metadata, "#abac-layers: 1\nversion: 1\n", 2,
			     "layer 1: expected a line '#abac-layer: BYTES FILE'");
	expect_split_refused(_metadata,
			     "#abac-layers: 1\n#abac-layer: 5\nabcde\n", 2,
			     "expected a line");
	expect_split_refused(_metadata,
			     "#abac-layers: 1\n#abac-layer: 5 a.yaml\nabc\n", 2,
			     "layer 1 says it has 5 bytes");
	expect_split_refused(_metadata,
			     "#abac-layers: 1\n#abac-layer: 2 a.yaml\nabcdef\n",
			     2, "layer 1 says it has 2 bytes");
	expect_split_refused(_metadata,
			     "#abac-layers: 1\n#abac-layer: 99999999999 a\nx\n",
			     2, "expected a line");
	expect_split_refused(_metadata,
			     "#abac-layers: 2\n#abac-layer: 1 a.yaml\nx\n", 4,
			     "layer 2: expected a line");
	expect_split_refused(_metadata,
			     "#abac-layers: 1\n#abac-layer: 1 a.yaml\nx\nmore\n",
			     4, "text after the last of 1 layers");
	expect_split_refused(_metadata,
			     "#abac-layers: 1\n#abac-layer: 1 \nx\n", 2,
			     "expected a line");
}

/* A NUL byte would cut a file name short, even to "": refused. */
TEST(a_layer_name_with_a_nul_byte_is_refused)
{
	static const char text[] = "#abac-layers: 1\n#abac-layer: 1 \0a\nx\n";
	struct abac_policy *p = NULL;
	const struct abac_diag *g;
	struct abac_diags d;

	abac_diags_init(&d);
	EXPECT_EQ(-EINVAL, abac_policy_parse_source("j.yaml", text,
						    sizeof(text) - 1, &p, &d));
	EXPECT_TRUE(p == NULL);
	g = t_diag(&d, "layer 1: expected a line");
	ASSERT_NE(NULL, g) t_diags_dump(&d);
	EXPECT_STREQ("j.yaml", g->file);
	abac_diags_free(&d);
}

TEST(a_layer_that_does_not_parse_is_reported_under_its_own_name)
{
	static const char bad_lower[] =
		"version: 1\nname: lower\nrules:\n"
		"  - {id: x, nlp: \"Typo.\", effect: deny, ops: [read],"
		" object: {kind: dbb}}\n";
	const char *tx[] = { top_yaml, bad_lower };
	const size_t ln[] = { lens[0], sizeof(bad_lower) - 1 };
	struct abac_policy *p = NULL;
	const struct abac_diag *g;
	struct abac_diags d;
	size_t len;
	char *t;

	abac_diags_init(&d);
	ASSERT_EQ(0, abac_layers_join(names, tx, ln, 2, &t, &len));
	EXPECT_EQ(-EINVAL, abac_policy_parse_source("j", t, len, &p, &d));
	EXPECT_TRUE(p == NULL);
	g = t_diag(&d, "unknown value 'dbb'");
	ASSERT_NE(NULL, g) t_diags_dump(&d);
	EXPECT_STREQ("lower.yaml", g->file);
	EXPECT_EQ(4, (int)g->line);
	abac_diags_free(&d);
	free(t);
}

TEST(a_lower_layer_checked_alone_is_told_how_to_check_it)
{
	struct abac_policy *p = NULL;
	const struct abac_diag *g;
	struct abac_diags d;

	abac_diags_init(&d);
	EXPECT_EQ(-EINVAL, abac_policy_parse_buf("lower.yaml", lower_yaml,
						 lens[1], &p, &d));
	g = t_diag(&d, "check it as 'abac policy check --layers TOP.yaml lower.yaml'");
	ASSERT_NE(NULL, g) t_diags_dump(&d);
	/* and only that: its rules' attributes are not each called unknown */
	EXPECT_EQ(1, (int)d.errors) t_diags_dump(&d);
	abac_diags_free(&d);
}

/* ---- policy-examples/ -------------------------------------------------- */

/* Lower layers among the examples, with the top layer each belongs under. */
static const struct {
	const char *lower, *top;
} example_layers[] = {
	{ "hospital-billing-audit.yaml", "hospital.yaml" },
};

static const char *top_of(const char *file)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(example_layers); i++)
		if (!strcmp(file, example_layers[i].lower))
			return example_layers[i].top;
	return NULL;
}

TEST(every_example_policy_checks_without_a_warning)
{
	char dirbuf[PATH_MAX], a[PATH_MAX + 256], b[PATH_MAX + 256];
	const char *dir = t_src_path("policy-examples", dirbuf,
				     sizeof(dirbuf));
	const char *files[2];
	struct abac_policy *p;
	struct abac_diags d;
	struct dirent *e;
	int checked = 0, warnings;
	size_t nl, i;
	DIR *dp;

	dp = opendir(dir);
	ASSERT_NE(NULL, dp) TH_LOG("%s: %s", dir, strerror(errno));
	while ((e = readdir(dp))) {
		nl = strlen(e->d_name);
		if (nl < 6 || strcmp(e->d_name + nl - 5, ".yaml") ||
		    (nl > 10 && !strcmp(e->d_name + nl - 10, ".test.yaml")))
			continue;	/* a policy's unit tests, not a policy */
		snprintf(a, sizeof(a), "%s/%s", dir, e->d_name);
		files[0] = a;
		if (top_of(e->d_name)) {
			snprintf(b, sizeof(b), "%s/%s", dir,
				 top_of(e->d_name));
			files[0] = b;
			files[1] = a;
		}
		abac_diags_init(&d);
		p = NULL;
		warnings = 0;
		EXPECT_EQ(0, abac_policy_parse_files(files,
						     top_of(e->d_name) ? 2 : 1,
						     &p, &d))
			t_diags_dump(&d);
		if (p)
			abac_policy_lint(p, &d);
		/* notes (an allow and a deny that overlap) are not warnings */
		for (i = 0; i < d.n; i++)
			warnings += !d.v[i].note;
		EXPECT_EQ(0, warnings) {
			TH_LOG("%s", e->d_name);
			t_diags_dump(&d);
		}
		if (p)
			abac_policy_free(p);
		abac_diags_free(&d);
		checked++;
	}
	closedir(dp);
	TH_LOG("%d example policies checked", checked);
	EXPECT_LE(6, checked);
}

TEST_HARNESS_MAIN
