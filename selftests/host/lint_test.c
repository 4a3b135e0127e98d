// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac policy check's second opinion (tools/lib/lint.c): each warning at
 * the place it names, and none for a policy that says what it means.
 */
#include "kselftest_harness.h"
#include "common.h"
#include "bigpolicy.h"

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

/*
 * Past 10,000 rules the checks between pairs of rules are skipped, and a
 * note says so (they would take minutes).
 */
TEST(pairwise_checks_past_10000_rules_are_skipped_with_a_note)
{
	const struct abac_diag *g;
	struct abac_diags d;
	size_t len;
	char *yaml = big_policy_yaml(10001, &len);

	ASSERT_NE(NULL, yaml);
	lint(_metadata, yaml, &d);
	g = t_diag(&d, "10001 rules: the checks between pairs of rules");
	ASSERT_NE(NULL, g) t_diags_dump(&d);
	EXPECT_TRUE(g->note);
	abac_diags_free(&d);
	free(yaml);
}

TEST(every_capability_grant_is_named_with_what_it_gives)
{
	expect_warning(_metadata, SCHEMA
		       "  - {id: a, nlp: \"Nurses read records.\", effect: allow,"
		       " ops: [read], subject: {role: nurse, age: {gte: 18}},"
		       " object: {type: record}}\n"
		       "  - {id: b, nlp: \"Small invoices go out.\", effect: allow,"
		       " ops: [connect], object: {size: {lt: 10}}}\n"
		       "capabilities:\n"
		       "  - {id: g, nlp: \"Clerks set the clock.\","
		       " grant: [userns, sys_time], subject: {role: clerk}}\n",
		       14, 5, "grant 'g' gives tagged subjects back sys_time,userns");
}

TEST(a_setup_grant_is_named_with_what_it_lets_a_process_in_set_up_do)
{
	expect_warning(_metadata, SCHEMA
		       "  - {id: a, nlp: \"Nurses read records.\", effect: allow,"
		       " ops: [read], subject: {role: nurse, age: {gte: 18}},"
		       " object: {type: record}}\n"
		       "  - {id: b, nlp: \"Small invoices go out.\", effect: allow,"
		       " ops: [connect], object: {size: {lt: 10}}}\n"
		       "capabilities:\n"
		       "  - {id: g, nlp: \"Clerks' pods are set up by the runtime.\","
		       " grant: [setup], subject: {role: clerk}}\n",
		       14, 5, "grant 'g' gives setup: a process of its subjects that an untagged process");
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

/* A rule using every attribute of SCHEMA but age, so none is unused. */
#define USE_REST \
	"  - {id: z, nlp: z, effect: allow, ops: [connect], subject: {role: clerk}," \
	" object: {type: invoice, size: {lt: 5}}}\n"

TEST(a_rule_whose_conditions_contradict_each_other_can_never_apply)
{
	expect_warning(_metadata, SCHEMA USE_REST
		       "  - {id: a, nlp: a, effect: allow, ops: [read],"
		       " subject: {role: nurse, age: {gte: 65, lt: 18}}}\n",
		       12, 5, "rule 'a' can never apply");
}

TEST(a_condition_outside_its_attributes_range_can_never_apply)
{
	expect_warning(_metadata,
		       "version: 1\nname: t\nattributes:\n  subject:\n"
		       "    age: {type: int, min: 0, max: 150}\n"
		       "rules:\n"
		       "  - {id: a, nlp: a, effect: allow, ops: [read],"
		       " subject: {age: {gt: 150}}}\n",
		       7, 5, "rule 'a' can never apply");
}

TEST(a_relation_no_value_can_satisfy_can_never_apply)
{
	/* role and type are two numberings: no value is in both */
	expect_warning(_metadata, SCHEMA USE_REST
		       "  - {id: a, nlp: a, effect: allow, ops: [read],"
		       " subject: {role: nurse, age: {gte: 1}},"
		       " object: {type: record},"
		       " where: [\"subject.role == object.type\"]}\n",
		       12, 5, "rule 'a' can never apply");
}

TEST(an_allow_that_denies_together_always_override_is_named_with_them)
{
	/* no one deny covers it, two together do */
	expect_warning(_metadata, SCHEMA USE_REST
		       "  - {id: young, nlp: y, effect: deny, ops: [read],"
		       " subject: {age: {lt: 18}}}\n"
		       "  - {id: old, nlp: o, effect: deny, ops: [read],"
		       " subject: {age: {gte: 18}}}\n"
		       "  - {id: a, nlp: a, effect: allow, ops: [read],"
		       " subject: {role: nurse}, object: {type: record}}\n",
		       14, 5, "allow rule 'a' never permits anything: wherever it applies, rule 'young' (line 12), 'old' (line 13) decide instead");
}

TEST(an_allow_a_deny_overrides_only_sometimes_is_no_warning)
{
	struct abac_diags d;
	size_t i;

	lint(_metadata, SCHEMA USE_REST
	     "  - {id: young, nlp: y, effect: deny, ops: [read],"
	     " subject: {age: {lt: 18}}}\n"
	     "  - {id: a, nlp: a, effect: allow, ops: [read],"
	     " subject: {role: nurse}, object: {type: record}}\n", &d);
	for (i = 0; i < d.n; i++)
		EXPECT_TRUE(d.v[i].note) t_diags_dump(&d);
	abac_diags_free(&d);
}

TEST(an_allow_in_a_lower_layer_is_a_note_that_it_grants_nothing)
{
	const char *top = SCHEMA
		"  - {id: t, nlp: t, effect: allow, ops: [read],"
		" subject: {role: nurse, age: {gte: 0}},"
		" object: {type: record, size: {gte: 0}}}\n";
	const char *lower = "version: 1\nname: l\nrules:\n"
		"  - {id: g, nlp: g, effect: allow, ops: [write],"
		" subject: {role: clerk}}\n";
	struct abac_policy *p = NULL, *l = NULL;
	const struct abac_diag *g;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, t_parse(top, &p, &d));
	ASSERT_EQ(0, abac_policy_parse_layer_buf("l.yaml", lower,
						 strlen(lower), p, &l, &d));
	ASSERT_EQ(0, abac_policy_add_layer(p, l, &d));
	abac_policy_lint(p, &d);
	g = t_diag(&d, "allow rule 'g' is in a lower layer");
	ASSERT_NE(NULL, g) t_diags_dump(&d);
	EXPECT_TRUE(g->note);
	EXPECT_STREQ("l.yaml", g->file);
	EXPECT_EQ(4, (int)g->line);
	abac_policy_free(p);
	abac_diags_free(&d);
}

TEST_HARNESS_MAIN
