// SPDX-License-Identifier: GPL-2.0-only
/*
 * Large enumerations on the real hook (Documentation/scale.rst, "Large
 * enumerations"): an ICD-10 sized object attribute of 70,000 codes and a
 * subject level of 70,000 grades.  Files are labelled with codes; the
 * kernel finds each label pair in the image's label table (a binary
 * search of the member table), a rule allows a list of 120 codes to a
 * physician cleared at L40000 or above and another denies one code to
 * everybody.  An undeclared code is a malformed label: refused.
 */
#include "kselftest_harness.h"
#include "libabac.h"
#include "vm_common.h"

#define NCODES		70000
#define NLIST		120	/* C00000, C00007, ... C00833 */
#define POLICY_FILE	TEST_DIR "/icd.yaml"
#define LISTED		TEST_DIR "/listed.txt"
#define LAST_LISTED	TEST_DIR "/last-listed.txt"
#define UNLISTED	TEST_DIR "/unlisted.txt"
#define TOP		TEST_DIR "/top.txt"
#define NEVER		TEST_DIR "/never.txt"
#define UNDECLARED	TEST_DIR "/undeclared.txt"

static void values(FILE *f, const char *prefix, unsigned int n,
		   unsigned int step)
{
	unsigned int i;

	fprintf(f, "[");
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s%05u", i ? ", " : "", prefix, i * step);
	fprintf(f, "]");
}

/* The policy, generated: 70,000 codes and grades. */
static int write_policy(void)
{
	FILE *f = fopen(POLICY_FILE, "w");

	if (!f)
		return -1;
	fprintf(f, "version: 1\nname: icd\nattributes:\n  subject:\n"
		"    role: {type: string, values: [physician, clerk]}\n"
		"    clearance: {type: level, values: ");
	values(f, "L", NCODES, 1);
	fprintf(f, "}\n  object:\n    icd: {type: string, values: ");
	values(f, "C", NCODES, 1);
	fprintf(f, "}\nrules:\n"
		"  - {id: listed, nlp: \"Physicians cleared at L40000 or above read the listed codes.\","
		" effect: allow, ops: [read], subject: {role: physician, clearance: {gte: L40000}},"
		" object: {icd: ");
	values(f, "C", NLIST, 7);
	fprintf(f, "}}\n"
		"  - {id: top, nlp: \"Top grades read the last codes.\","
		" effect: allow, ops: [read],"
		" subject: {clearance: {gt: L69990}}, object: {icd: C69999}}\n"
		"  - {id: never, nlp: \"Nobody reads C00007 records.\", effect: deny,"
		" ops: [read], object: {icd: C00007}}\n");
	return fclose(f);
}

FIXTURE(icd) {
	int unused;
};

FIXTURE_SETUP(icd)
{
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, write_policy());
	ASSERT_EQ(0, vm_sh("abac policy apply " POLICY_FILE " >/dev/null"));
	ASSERT_EQ(0, vm_mkfile(LISTED, "chart\n", "icd=C00014"));
	ASSERT_EQ(0, vm_mkfile(LAST_LISTED, "chart\n", "icd=C00833"));
	ASSERT_EQ(0, vm_mkfile(UNLISTED, "chart\n", "icd=C00015"));
	ASSERT_EQ(0, vm_mkfile(TOP, "chart\n", "icd=C69999"));
	ASSERT_EQ(0, vm_mkfile(NEVER, "chart\n", "icd=C00007"));
	ASSERT_EQ(0, vm_mkfile(UNDECLARED, "chart\n", "icd=C70000"));
	ASSERT_EQ(0, vm_tag("dr", "role=physician clearance=L50000"));
	ASSERT_EQ(0, vm_tag("junior", "role=physician clearance=L39999"));
	ASSERT_EQ(0, vm_tag("chief", "role=clerk clearance=L69999"));
}

FIXTURE_TEARDOWN(icd)
{
	vm_untag("dr");
	vm_untag("junior");
	vm_untag("chief");
}

TEST_F(icd, a_listed_code_is_read_and_an_unlisted_one_refused)
{
	EXPECT_EQ(0, vm_probe_open("dr", LISTED, O_RDONLY));
	EXPECT_EQ(0, vm_probe_open("dr", LAST_LISTED, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("dr", UNLISTED, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("dr", NEVER, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("dr", TOP, O_RDONLY));
}

TEST_F(icd, a_large_level_keeps_its_order)
{
	/* L39999 < L40000: the listed codes are refused */
	EXPECT_EQ(EACCES, vm_probe_open("junior", LISTED, O_RDONLY));
	/* L69999 > L69990 */
	EXPECT_EQ(0, vm_probe_open("chief", TOP, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("chief", LISTED, O_RDONLY));
}

TEST_F(icd, an_undeclared_code_is_a_malformed_label)
{
	EXPECT_EQ(EACCES, vm_probe_open("dr", UNDECLARED, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("chief", UNDECLARED, O_RDONLY));
	EXPECT_TRUE(vm_log_has("\"path\":\"" UNDECLARED "\"",
			       "\"reason\":\"bad-label\"", 10000));
}

TEST_HARNESS_MAIN
