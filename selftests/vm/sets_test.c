// SPDX-License-Identifier: GPL-2.0-only
/*
 * Open sets on the real hook (Documentation/scale.rst, "Sets of real
 * size"), with policy-examples/patient-assignment.yaml: "a physician may
 * read the records of the patients assigned to them" (object.patient in
 * subject.patients) and "anyone may edit the notes they own"
 * (object.owner == subject.user).  A physician's cgroup is tagged with
 * 1,100 patients, names with spaces and non-ASCII letters among them;
 * the kernel hashes a record's patient as it parses its label and
 * searches the physician's sorted set in the image for it.
 */
#include "kselftest_harness.h"
#include "vm_common.h"

#define POLICY		"/abac/policy-examples/patient-assignment.yaml"
#define ZOE		"Zo\xc3\xab M\xc3\xbcller"	/* Zoë Müller */
#define ADA		"Dr. Ada Lovelace"
#define NPATIENTS	1100
#define ZOE_REC		TEST_DIR "/zoe.txt"
#define LAST_REC	TEST_DIR "/p1099.txt"
#define OTHER_REC	TEST_DIR "/p2000.txt"
#define NEAR_REC	TEST_DIR "/zoe-ascii.txt"
#define NOTE		TEST_DIR "/note.txt"
#define PATIENTS_FILE	TEST_DIR "/patients.txt"

/*
 * Tag test cgroup @cg with role @role, user ADA and NPATIENTS patients
 * P-0000.. (and ZOE when @zoe), through the CLI: the tag is one argument
 * of some 8 KiB, written to a file first.
 */
static int tag_physician(const char *cg, const char *role, bool zoe)
{
	FILE *f = fopen(PATIENTS_FILE, "w");
	unsigned int i;

	if (!f)
		return -1;
	fprintf(f, "patients=");
	for (i = 0; i < NPATIENTS; i++)
		fprintf(f, "%sP-%04u", i ? "," : "", i);
	if (zoe)
		fprintf(f, ",ward 7 / bed 3," ZOE);
	if (fclose(f) || vm_mkcg(cg))
		return -1;
	return vm_sh("abac subject tag " TEST_CG_ROOT "/%s role=%s 'user=" ADA
		     "' \"$(cat " PATIENTS_FILE ")\" >/dev/null 2>&1", cg,
		     role);
}

FIXTURE(sets) {
	int unused;
};

FIXTURE_SETUP(sets)
{
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_sh("abac policy apply " POLICY " >/dev/null 2>&1"));
	ASSERT_EQ(0, vm_mkfile(ZOE_REC, "Zoë's chart\n", NULL));
	ASSERT_EQ(0, vm_sh("abac label set " ZOE_REC " type=medical-record"
			   " 'patient=" ZOE "' >/dev/null 2>&1"));
	ASSERT_EQ(0, vm_mkfile(LAST_REC, "chart\n",
			       "type=medical-record;patient=P-1099"));
	ASSERT_EQ(0, vm_mkfile(OTHER_REC, "chart\n",
			       "type=medical-record;patient=P-2000"));
	ASSERT_EQ(0, vm_mkfile(NEAR_REC, "chart\n",
			       "type=medical-record;patient=Zoe M\xc3\xbcller"));
	ASSERT_EQ(0, vm_mkfile(NOTE, "rota\n", "type=note;owner=" ADA));
	ASSERT_EQ(0, tag_physician("dr", "physician", true));
	ASSERT_EQ(0, vm_tag("other", "role=physician 'user=Dr. Grace Hopper'"
			    " patients=P-2000"));
}

FIXTURE_TEARDOWN(sets)
{
	vm_untag("dr");
	vm_untag("other");
	vm_untag("clerk");
}

TEST_F(sets, a_physician_reads_and_updates_only_the_records_of_assigned_patients)
{
	EXPECT_EQ(0, vm_probe_open("dr", ZOE_REC, O_RDONLY));
	EXPECT_EQ(0, vm_probe_open("dr", ZOE_REC, O_RDWR));
	EXPECT_EQ(0, vm_probe_open("dr", LAST_REC, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("dr", OTHER_REC, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("dr", NEAR_REC, O_RDONLY));
	EXPECT_EQ(0, vm_probe_open("other", OTHER_REC, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("other", ZOE_REC, O_RDONLY));
	EXPECT_TRUE(vm_log_has("\"path\":\"" OTHER_REC "\"",
			       "\"reason\":\"default\"", 10000));
}

TEST_F(sets, the_owner_edits_her_note_and_another_physician_is_denied)
{
	EXPECT_EQ(0, vm_probe_open("dr", NOTE, O_RDWR));
	EXPECT_EQ(EACCES, vm_probe_open("other", NOTE, O_RDONLY));
	EXPECT_TRUE(vm_log_has("\"path\":\"" NOTE "\"", "\"op\":\"read\"",
			       10000));
}

TEST_F(sets, a_patient_taken_off_the_list_is_refused_at_once)
{
	ASSERT_EQ(0, vm_probe_open("dr", ZOE_REC, O_RDONLY));
	ASSERT_EQ(0, tag_physician("dr", "physician", false));
	EXPECT_EQ(EACCES, vm_probe_open("dr", ZOE_REC, O_RDONLY));
	EXPECT_EQ(0, vm_probe_open("dr", LAST_REC, O_RDONLY));
}

TEST_F(sets, a_clerk_with_the_same_patients_never_reads_a_record)
{
	ASSERT_EQ(0, tag_physician("clerk", "clerk", true));
	EXPECT_EQ(EACCES, vm_probe_open("clerk", ZOE_REC, O_RDONLY));
	EXPECT_TRUE(vm_log_has("\"path\":\"" ZOE_REC "\"",
			       "clerks-never-records", 10000));
}

TEST_HARNESS_MAIN
