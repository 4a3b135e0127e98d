// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac policy check's second opinion (tools/lib/lint.c): each warning at
 * the place it names, and none for a policy that says what it means.
 */
#include "kselftest_harness.h"
#include "common.h"

#define SCHEMA \
	"version: 1\nname: t\n" \
	"attributes:\n" \
	"  subject:\n" \
	"    role: {type: string, values: [nurse, clerk]}\n" \
	"    age: {type: int}\n" \
	"  object:\n" \
	"    type: {type: string, values: [record, invoice]}\n" \
	"    size: {type: int, default: 0}\n" \
	"rules:\n"

/* Parse @yaml (it must parse) and lint it into @d. */
static void lint(struct __test_metadata *_metadata, const char *yaml,
		 struct abac_diags *d)
{
	struct abac_policy *p = NULL;

	abac_diags_init(d);
	ASSERT_EQ(0, t_parse(yaml, &p, d)) t_diags_dump(d);
	abac_policy_lint(p, d);
	abac_policy_free(p);
}

/* The one warning holding @sub, at @line:@col; no other warning. */
static void expect_warning(struct __test_metadata *_metadata,
			   const char *yaml, unsigned int line,
			   unsigned int col, const char *sub)
{
	const struct abac_diag *g;
	struct abac_diags d;
	size_t i, warnings = 0;

	lint(_metadata, yaml, &d);
	for (i = 0; i < d.n; i++)
		warnings += d.v[i].warning && !d.v[i].note;
	g = t_diag(&d, sub);
	ASSERT_NE(NULL, g) t_diags_dump(&d);
	EXPECT_TRUE(g->warning);
	EXPECT_EQ(line, g->line) t_diags_dump(&d);
	EXPECT_EQ(col, g->column) t_diags_dump(&d);
	EXPECT_EQ(1, (int)warnings) t_diags_dump(&d);
	abac_diags_free(&d);
}

TEST(a_policy_that_means_what_it_says_gets_no_warning)
{
	struct abac_diags d;

	lint(_metadata, SCHEMA
	     "  - {id: a, nlp: \"Nurses read records.\", effect: allow,"
	     " ops: [read], subject: {role: nurse, age: {gte: 18}},"
	     " object: {type: record}}\n"
	     "  - {id: b, nlp: \"Small invoices go out.\", effect: allow,"
	     " ops: [connect], object: {size: {lt: 10}}}\n", &d);
	EXPECT_EQ(0, (int)d.n) t_diags_dump(&d);
	abac_diags_free(&d);
}

TEST(an_attribute_no_rule_uses_is_named_where_it_is_declared)
{
	expect_warning(_metadata, SCHEMA
		       "  - {id: a, nlp: \"Nurses read records.\", effect: allow,"
		       " ops: [read], subject: {role: nurse}, object: {type: record}}\n"
		       "  - {id: b, nlp: \"Small invoices go out.\", effect: allow,"
		       " ops: [connect], object: {size: {lt: 10}}}\n",
		       6, 5,
		       "subject attribute 'age' is declared but no rule, relation or network uses it");
}

TEST(a_rule_an_earlier_one_always_decides_first_is_named)
{
	expect_warning(_metadata, SCHEMA
		       "  - {id: a, nlp: \"Clerks never read.\", effect: deny,"
		       " ops: [read, write], subject: {role: clerk}}\n"
		       "  - {id: b, nlp: \"Clerks never read records.\", effect: deny,"
		       " ops: [read], subject: {role: clerk}, object: {type: record}}\n"
		       "  - {id: c, nlp: \"Adults send big things out.\", effect: allow,"
		       " ops: [connect], subject: {age: {gte: 18}},"
		       " object: {size: {gt: 10}}}\n",
		       12, 5,
		       "rule 'b' never decides: rule 'a' (line 11) applies to every request it does and decides first");
}

TEST(an_int_object_attribute_read_on_files_is_named_at_its_condition)
{
	expect_warning(_metadata, SCHEMA
		       "  - {id: small, nlp: \"Nurses of age read small records.\","
		       " effect: allow, ops: [read], subject: {role: nurse, age: {gte: 18}},"
		       " object: {type: record, size: {lt: 10}}}\n",
		       11, 157,
		       "rule 'small' reads int object attribute 'size' on files, but a file label cannot carry a number");
}

TEST(an_int_object_attribute_in_a_relation_on_files_is_named)
{
	expect_warning(_metadata, SCHEMA
		       "  - {id: old, nlp: \"Nurses older than the record read it.\","
		       " effect: allow, ops: [read], subject: {role: nurse},"
		       " object: {type: record}, where: [\"subject.age > object.size\"]}\n",
		       11, 145,
		       "reads int object attribute 'size' on files");
}

TEST_HARNESS_MAIN
