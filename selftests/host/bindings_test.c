// SPDX-License-Identifier: GPL-2.0-only
/*
 * A policy's subjects: list, the cgroups it tags by name: systemd units
 * mapped to their cgroup (system.slice by default, a slice's nesting,
 * a cgroup path), the attributes checked against the schema as tags are,
 * bad globs and unknown attributes refused with their line and column,
 * and the one-'*' match abacd applies.
 */
#include "kselftest_harness.h"
#include "common.h"

#define SCHEMA \
	"version: 1\n" \
	"name: units\n" \
	"attributes:\n" \
	"  subject:\n" \
	"    role: {type: string, values: [ehr, nurse, billing]," \
	" aliases: {job: role}}\n" \
	"    projects: {type: set, values: [apollo, gemini]}\n" \
	"    level: {type: int, min: 0, max: 9}\n" \
	"  object:\n" \
	"    type: {type: string, values: [record]}\n" \
	"rules:\n" \
	"  - {id: r, nlp: \"EHR services read records.\", effect: allow," \
	" ops: [read], subject: {role: ehr}, object: {type: record}}\n"

/* Parse SCHEMA + @subjects; on failure, the diagnostics stay in @d. */
static int parse_subjects(const char *subjects, struct abac_policy **p,
			  struct abac_diags *d)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%ssubjects:\n%s", SCHEMA, subjects);
	return t_parse(buf, p, d);
}

/* Parsing @subjects fails with a message holding @msg at @line:@col. */
static void refused(struct __test_metadata *_metadata, const char *subjects,
		    const char *msg, unsigned int line, unsigned int col)
{
	struct abac_policy *p = NULL;
	const struct abac_diag *dg;
	struct abac_diags d;

	abac_diags_init(&d);
	EXPECT_NE(0, parse_subjects(subjects, &p, &d));
	EXPECT_EQ(NULL, p);
	dg = t_diag(&d, msg);
	EXPECT_NE(NULL, dg) {
		TH_LOG("wanted '%s' for:\n%s", msg, subjects);
		t_diags_dump(&d);
	}
	if (dg && line) {
		EXPECT_EQ(line, dg->line);
		EXPECT_EQ(col, dg->column);
	}
	abac_diags_free(&d);
}

#define REFUSED(...)	refused(_metadata, __VA_ARGS__)

TEST(a_unit_is_bound_below_system_slice_with_its_tags)
{
	struct abac_policy *p = NULL;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, parse_subjects(
		"  - unit: ehr-*.service\n"
		"    attributes: {job: ehr, projects: [apollo, gemini], level: 3}\n"
		"  - unit: billing.service\n"
		"    slice: batch-low.slice\n"
		"    attributes: {role: billing}\n"
		"  - cgroup: /kubepods.slice/pod-*.scope\n"
		"    attributes: {role: nurse}\n"
		"  - unit: root.scope\n"
		"    slice: -.slice\n"
		"    attributes: {role: nurse}\n", &p, &d))
		t_diags_dump(&d);
	ASSERT_EQ(4, (int)p->nbindings);
	EXPECT_STREQ("ehr-*.service", p->bindings[0].unit);
	EXPECT_STREQ("system.slice", p->bindings[0].dir);
	EXPECT_STREQ("ehr-*.service", p->bindings[0].glob);
	/* the alias is written as the attribute's own name */
	EXPECT_STREQ("role=ehr projects=apollo,gemini level=3",
		     p->bindings[0].tags);
	EXPECT_EQ(13, (int)p->bindings[0].line);
	EXPECT_STREQ("batch.slice/batch-low.slice", p->bindings[1].dir);
	EXPECT_EQ(NULL, p->bindings[2].unit);
	EXPECT_STREQ("kubepods.slice", p->bindings[2].dir);
	EXPECT_STREQ("pod-*.scope", p->bindings[2].glob);
	EXPECT_STREQ("", p->bindings[3].dir);
	abac_policy_free(p);
	abac_diags_free(&d);
}

TEST(a_binding_matches_its_parent_exactly_and_one_star)
{
	struct abac_policy *p = NULL;
	struct abac_diags d;
	const struct abac_binding *b;

	abac_diags_init(&d);
	ASSERT_EQ(0, parse_subjects(
		"  - unit: ehr-*.service\n"
		"    attributes: {role: ehr}\n"
		"  - unit: ehr-admin.service\n"
		"    attributes: {role: nurse}\n"
		"  - cgroup: app/exact\n"
		"    attributes: {role: billing}\n", &p, &d))
		t_diags_dump(&d);
	b = abac_binding_find(p, "system.slice", "ehr-a.service");
	ASSERT_NE(NULL, b);
	EXPECT_STREQ("role=ehr", b->tags);
	/* the '*' may stand for nothing */
	EXPECT_EQ(b, abac_binding_find(p, "system.slice", "ehr-.service"));
	/* the first binding in policy order wins */
	EXPECT_EQ(b, abac_binding_find(p, "system.slice",
				       "ehr-admin.service"));
	EXPECT_EQ(NULL, abac_binding_find(p, "system.slice", "ehr.service"));
	EXPECT_EQ(NULL, abac_binding_find(p, "system.slice",
					  "ehr-a.service.d"));
	EXPECT_EQ(NULL, abac_binding_find(p, "system.slice", "xehr-a.service"));
	/* a user's delegated subtree is another parent */
	EXPECT_EQ(NULL, abac_binding_find(p, "user.slice/user-1000.slice",
					  "ehr-a.service"));
	EXPECT_EQ(NULL, abac_binding_find(p, "system.slice/ehr-a.service",
					  "ehr-a.service"));
	EXPECT_NE(NULL, abac_binding_find(p, "app", "exact"));
	EXPECT_EQ(NULL, abac_binding_find(p, "app", "exact2"));
	abac_policy_free(p);
	abac_diags_free(&d);
}

TEST(bad_globs_are_refused_with_where)
{
	REFUSED("  - unit: ehr-*-*.service\n    attributes: {role: ehr}\n",
		"more than one '*'", 13, 11);
	REFUSED("  - unit: ehr-?.service\n    attributes: {role: ehr}\n",
		"only wildcard is one '*'", 13, 11);
	REFUSED("  - unit: ehr-[ab].service\n    attributes: {role: ehr}\n",
		"only wildcard is one '*'", 13, 11);
	REFUSED("  - unit: ehr-*.timer\n    attributes: {role: ehr}\n",
		"not a service or a scope", 13, 11);
	REFUSED("  - unit: .service\n    attributes: {role: ehr}\n",
		"not a service or a scope", 13, 11);
	REFUSED("  - unit: a/b.service\n    attributes: {role: ehr}\n",
		"invalid unit name", 13, 11);
	REFUSED("  - cgroup: a*/b\n    attributes: {role: ehr}\n",
		"only its last part", 13, 13);
	REFUSED("  - cgroup: a/../b\n    attributes: {role: ehr}\n",
		"invalid cgroup", 13, 13);
	REFUSED("  - cgroup: a//b\n    attributes: {role: ehr}\n",
		"invalid cgroup", 13, 13);
	REFUSED("  - cgroup: /\n    attributes: {role: ehr}\n",
		"invalid cgroup", 13, 13);
	REFUSED("  - unit: a.service\n    slice: a--b.slice\n"
		"    attributes: {role: ehr}\n", "invalid slice", 14, 12);
	REFUSED("  - unit: a.service\n    slice: a-*.slice\n"
		"    attributes: {role: ehr}\n", "invalid slice", 14, 12);
	REFUSED("  - unit: a.service\n    slice: batch\n"
		"    attributes: {role: ehr}\n", "invalid slice", 14, 12);
}

TEST(attributes_are_checked_against_the_schema)
{
	REFUSED("  - unit: a.service\n    attributes: {colour: red}\n",
		"unknown subject attribute 'colour'", 14, 18);
	REFUSED("  - unit: a.service\n    attributes: {role: doctor}\n",
		"doctor", 14, 24);
	REFUSED("  - unit: a.service\n    attributes: {role: [ehr, nurse]}\n",
		"takes one value", 14, 24);
	REFUSED("  - unit: a.service\n    attributes: {level: 10}\n",
		"outside the range", 14, 25);
	REFUSED("  - unit: a.service\n    attributes: {}\n",
		"at least one subject attribute", 14, 17);
	REFUSED("  - unit: a.service\n", "missing key 'attributes'", 13, 5);
}

TEST(a_binding_names_one_cgroup_once)
{
	REFUSED("  - attributes: {role: ehr}\n",
		"either a 'unit' or a 'cgroup'", 13, 5);
	REFUSED("  - unit: a.service\n    cgroup: x/a.service\n"
		"    attributes: {role: ehr}\n", "not both", 13, 5);
	REFUSED("  - cgroup: x/a\n    slice: b.slice\n"
		"    attributes: {role: ehr}\n", "'slice' goes with 'unit'",
		14, 12);
	REFUSED("  - unit: a.service\n    attributes: {role: ehr}\n"
		"  - cgroup: system.slice/a.service\n"
		"    attributes: {role: nurse}\n",
		"written before, at line 13", 15, 5);
	REFUSED("  - unit: a.service\n    attribute: {role: ehr}\n",
		"unknown key 'attribute'", 14, 5);
	REFUSED("  unit: a.service\n", "expected a list for 'subjects'", 0, 0);
}

TEST(a_lower_layer_binds_nothing)
{
	struct abac_policy *top = NULL, *low = NULL;
	struct abac_diags d;
	static const char lower[] =
		"version: 1\nname: low\nrules: []\n"
		"subjects:\n  - unit: a.service\n"
		"    attributes: {role: ehr}\n";

	abac_diags_init(&d);
	ASSERT_EQ(0, t_parse(SCHEMA, &top, &d)) t_diags_dump(&d);
	EXPECT_NE(0, abac_policy_parse_layer_buf("low.yaml", lower,
						 strlen(lower), top, &low,
						 &d));
	EXPECT_NE(NULL, t_diag(&d, "'subjects' is set by the top layer"));
	abac_policy_free(top);
	abac_diags_free(&d);
}

TEST_HARNESS_MAIN
