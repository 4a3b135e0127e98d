// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac policy draft (tools/lib/draft.c) on every nlp: sentence of
 * policy-examples/: each drafted rule must decide exactly like the rule
 * written by hand, shown with the exact diff of the two one-rule policies
 * (every class of the request space decided by the decision core).
 * Then hostile sentences: refused, naming the words not understood.
 */
#include "kselftest_harness.h"
#include "common.h"

/* The text of @file up to "rules:", with "rules:\n" and @rule after it. */
static char *with_rule(const char *schema_text, const char *rule)
{
	const char *r = strstr(schema_text, "\nrules:\n");
	size_t n = r ? (size_t)(r - schema_text) + 1 : 0;
	char *out = malloc(n + strlen(rule) + 16);

	if (!out)
		return NULL;
	memcpy(out, schema_text, n);
	strcpy(out + n, "rules:\n");
	strcat(out, rule);
	return out;
}

/* Do the one-rule policies @a and @b decide every request alike? */
static bool equivalent(struct abac_policy *a, struct abac_policy *b)
{
	const struct abac_policy *pols[2] = { a, b };
	struct abac_image imgs[2];
	struct abac_space *sp = calloc(1, sizeof(*sp));
	struct abac_cubes c;
	struct abac_diags d;
	void *ia = NULL, *ib = NULL;
	size_t la, lb;
	bool same = false;

	abac_diags_init(&d);
	if (!sp || abac_image_build(a, NULL, 0, &ia, &la, &d) ||
	    abac_image_build(b, NULL, 0, &ib, &lb, &d))
		goto out;
	imgs[0] = abac_image_view(ia, la);
	imgs[1] = abac_image_view(ib, lb);
	if (abac_space_init(sp, pols, imgs, 2, &d))
		goto out;
	if (!abac_analyze_diff(sp, &c)) {
		same = c.n == 0;
		abac_cubes_free(&c);
	}
	abac_space_free(sp);
out:
	abac_diags_free(&d);
	free(ia);
	free(ib);
	free(sp);
	return same;
}

/*
 * Draft each rule's sentence of @file (whose attributes are those of
 * @schema_file) and compare it with the rule.  Return: rules checked.
 */
static int check_file(struct __test_metadata *_metadata, const char *file,
		      const char *schema_file)
{
	char buf[PATH_MAX + 64], sbuf[PATH_MAX + 64];
	struct abac_policy *p = NULL, *schema = NULL, *q = NULL, one;
	struct abac_rule_def rule;
	struct abac_draft dr;
	struct abac_diags d;
	char *text, *yaml;
	size_t len;
	unsigned int i;
	int n = 0;

	abac_diags_init(&d);
	ASSERT_EQ(0, abac_read_file(t_src_path(schema_file, sbuf, sizeof(sbuf)),
				    &text, &len));
	ASSERT_EQ(0, abac_policy_parse_buf(schema_file, text, len, &schema, &d));
	if (strcmp(file, schema_file)) {
		const char *files[2] = { t_src_path(schema_file, sbuf, sizeof(sbuf)),
					 t_src_path(file, buf, sizeof(buf)) };
		ASSERT_EQ(0, abac_policy_parse_files(files, 2, &p, &d));
	} else {
		ASSERT_EQ(0, abac_policy_parse_buf(file, text, len, &p, &d));
	}
	for (i = 0; i < p->nrules; i++) {
		if (strcmp(p->rules[i].file ? p->rules[i].file : p->file,
			   p->layer_file[p->nlayers - 1]) && p->nlayers > 1)
			continue;	/* the top layer's rules: their own file */
		rule = p->rules[i];
		rule.layer = 0;
		one = *schema;
		one.nrules = 1;
		one.rules = &rule;
		ASSERT_EQ(0, abac_draft(schema, rule.nlp, rule.id, &dr))
			TH_LOG("%s: \"%s\": unmatched %zu (%s) %s", file, rule.nlp,
			       dr.nunmatched, dr.nunmatched ? dr.unmatched[0] : "",
			       dr.error);
		yaml = with_rule(text, dr.yaml);
		ASSERT_NE(NULL, yaml);
		q = NULL;
		ASSERT_EQ(0, abac_policy_parse_buf("drafted.yaml", yaml,
						   strlen(yaml), &q, &d))
			TH_LOG("%s", dr.yaml);
		EXPECT_TRUE(equivalent(&one, q))
			TH_LOG("%s: \"%s\" drafted as\n%s", file, rule.nlp,
			       dr.yaml);
		abac_policy_free(q);
		free(yaml);
		n++;
	}
	abac_policy_free(p);
	abac_policy_free(schema);
	free(text);
	abac_diags_free(&d);
	return n;
}

TEST(every_sentence_of_the_examples_drafts_a_rule_deciding_like_its_own)
{
	static const char *const files[][2] = {
		{ "policy-examples/hospital.yaml", "policy-examples/hospital.yaml" },
		{ "policy-examples/hospital-billing-audit.yaml",
		  "policy-examples/hospital.yaml" },
		{ "policy-examples/vendor-isolation.yaml",
		  "policy-examples/vendor-isolation.yaml" },
		{ "policy-examples/zero-trust-egress.yaml",
		  "policy-examples/zero-trust-egress.yaml" },
		{ "policy-examples/export-control.yaml",
		  "policy-examples/export-control.yaml" },
		{ "policy-examples/clearance-levels.yaml",
		  "policy-examples/clearance-levels.yaml" },
	};
	int n = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(files); i++)
		n += check_file(_metadata, files[i][0], files[i][1]);
	TH_LOG("%d sentences drafted into equivalent rules", n);
	EXPECT_EQ(22, n);
}

#define HOSPITAL "policy-examples/hospital.yaml"

static struct abac_policy *example(struct __test_metadata *_metadata,
				   const char *rel)
{
	char buf[PATH_MAX + 64];
	const char *f = t_src_path(rel, buf, sizeof(buf));
	struct abac_policy *p = NULL;
	struct abac_diags d;

	abac_diags_init(&d);
	EXPECT_EQ(0, abac_policy_parse_files(&f, 1, &p, &d));
	abac_diags_free(&d);
	return p;
}

static struct abac_policy *hospital(struct __test_metadata *_metadata)
{
	return example(_metadata, HOSPITAL);
}

TEST(a_word_the_policy_does_not_know_refuses_the_sentence_naming_it)
{
	struct abac_policy *p = hospital(_metadata);
	struct abac_draft dr;

	ASSERT_NE(NULL, p);
	EXPECT_EQ(-EINVAL, abac_draft(p, "Surgeons may view the medical records of heart patients.",
				      "x", &dr));
	ASSERT_EQ(1, (int)dr.nunmatched);
	EXPECT_STREQ("surgeons", dr.unmatched[0]);
	EXPECT_EQ(-EINVAL, abac_draft(p, "Doctors view records.", "x", &dr));
	EXPECT_NE(NULL, strstr(dr.error, "no modal verb"));
	EXPECT_EQ(-EINVAL, abac_draft(p, "Doctors may medical records.", "x", &dr));
	EXPECT_NE(NULL, strstr(dr.error, "no operation"));
	EXPECT_EQ(-EINVAL, abac_draft(p, "Only cardiology doctors may ever read invoices.",
				      "x", &dr));
	EXPECT_NE(NULL, strstr(dr.error, "exactly one subject attribute"));
	EXPECT_EQ(-EINVAL, abac_draft(p, "", "x", &dr));
	EXPECT_EQ(-EINVAL, abac_draft(p, "may may may \xff\xfe ((( read", "x", &dr));
	/* positive control: the same words the policy knows */
	EXPECT_EQ(0, abac_draft(p, "Cardiology doctors may read invoices.", "x", &dr));
	EXPECT_NE(NULL, strstr(dr.yaml, "subject: {role: doctor, department: cardiology}"))
		TH_LOG("%s", dr.yaml);
	abac_policy_free(p);
}

/*
 * The examples' old wordings of two rules (reworded so that they say
 * what their rule does, policy-analysis.rst): one does not say which
 * zones "leaving the internal network" reaches, the other names the
 * audit, which no attribute holds.  Refused, never guessed.
 */
TEST(an_ambiguous_sentence_is_refused_naming_its_words)
{
	struct abac_policy *zt = example(_metadata,
					 "policy-examples/zero-trust-egress.yaml");
	struct abac_policy *h = hospital(_metadata);
	struct abac_draft dr;

	ASSERT_NE(NULL, zt);
	ASSERT_NE(NULL, h);
	EXPECT_EQ(-EINVAL, abac_draft(zt, "At high threat, nothing but monitoring leaves the internal network.",
				      "x", &dr));
	EXPECT_TRUE(dr.nunmatched || dr.error[0]);
	EXPECT_EQ(-EINVAL, abac_draft(h, "While the billing audit runs, nobody may update invoices.",
				      "x", &dr));
	ASSERT_EQ(2, (int)dr.nunmatched);
	EXPECT_STREQ("audit", dr.unmatched[0]);
	EXPECT_STREQ("runs", dr.unmatched[1]);
	abac_policy_free(zt);
	abac_policy_free(h);
}

/*
 * "only ... may ever" after a leading clause is still a deny for every
 * other subject, not an allow for the one named with "only" and "ever"
 * dropped as fillers.
 */
TEST(only_after_a_leading_clause_denies_everyone_else)
{
	struct abac_policy *zt = example(_metadata,
					 "policy-examples/zero-trust-egress.yaml");
	struct abac_draft dr;

	ASSERT_NE(NULL, zt);
	ASSERT_EQ(0, abac_draft(zt, "At high threat, only monitoring may ever reach the internet.",
				"x", &dr)) TH_LOG("%s", dr.error);
	EXPECT_NE(NULL, strstr(dr.yaml, "effect: deny\n")) TH_LOG("%s", dr.yaml);
	EXPECT_NE(NULL, strstr(dr.yaml, "subject: {service: {not: monitoring}}\n"))
		TH_LOG("%s", dr.yaml);
	EXPECT_NE(NULL, strstr(dr.yaml, "env: {threat: high}\n"));
	/* without "ever" it stays an allow for monitoring, as documented */
	ASSERT_EQ(0, abac_draft(zt, "At high threat, only monitoring may reach the internet.",
				"x", &dr));
	EXPECT_NE(NULL, strstr(dr.yaml, "effect: allow\n")) TH_LOG("%s", dr.yaml);
	EXPECT_NE(NULL, strstr(dr.yaml, "subject: {service: monitoring}\n"));
	abac_policy_free(zt);
}

TEST(the_same_sentence_always_drafts_the_same_rule)
{
	struct abac_policy *p = hospital(_metadata);
	struct abac_draft a, b;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, abac_draft(p, "Doctors and nurse practitioners in the oncology department may view lab results.",
				"r", &a));
	ASSERT_EQ(0, abac_draft(p, "Doctors and nurse practitioners in the oncology department may view lab results.",
				"r", &b));
	EXPECT_STREQ(a.yaml, b.yaml);
	EXPECT_LE(4, (int)a.nmap);
	abac_policy_free(p);
}

TEST_HARNESS_MAIN
