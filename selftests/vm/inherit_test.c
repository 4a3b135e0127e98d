// SPDX-License-Identifier: GPL-2.0-only
/*
 * Inheritance on the real hooks: a file without a label of its own takes
 * the label of its nearest labelled ancestor directory, from its first
 * byte; subject tags merge down the cgroup tree, a child cgroup adding
 * or overriding attributes one by one.
 */
#include "kselftest_harness.h"
#include "vm_common.h"

static const char inherit_policy[] =
	"version: 1\n"
	"name: vm-inherit\n"
	"mode: enforce\n"
	"combining: deny-overrides\n"
	"default: deny\n"
	"attributes:\n"
	"  subject:\n"
	"    role: {type: string, values: [nurse, clerk]}\n"
	"    shift: {type: string, values: [day, night]}\n"
	"  object:\n"
	"    type: {type: string, values: [record, ward, note]}\n"
	"rules:\n"
	"  - id: nurse-reads-records\n"
	"    nlp: \"Nurses may read records.\"\n"
	"    effect: allow\n"
	"    ops: [read]\n"
	"    subject: {role: nurse}\n"
	"    object: {type: record}\n"
	"  - id: night-nurse-reads-ward-notes\n"
	"    nlp: \"Night-shift nurses may read ward notes.\"\n"
	"    effect: allow\n"
	"    ops: [read]\n"
	"    subject: {role: nurse, shift: night}\n"
	"    object: {type: ward}\n";

#define RECORDS	TEST_DIR "/records"
#define NESTED	RECORDS "/icu"

FIXTURE(inherit) {
	int unused;
};

FIXTURE_SETUP(inherit)
{
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_apply("inherit", inherit_policy));
	ASSERT_EQ(0, vm_tag("nurse", "role=nurse"));
	ASSERT_EQ(0, vm_tag("clerk", "role=clerk"));
	ASSERT_EQ(0, mkdir(RECORDS, 0755));
	ASSERT_EQ(0, mkdir(NESTED, 0755));
	/* through the CLI: abacd remembers the labelled directory */
	ASSERT_EQ(0, vm_sh("abac label set " RECORDS " type=record"));
}

FIXTURE_TEARDOWN(inherit)
{
}

TEST_F(inherit, a_file_created_later_is_protected_from_its_first_byte)
{
	char *dirs;

	ASSERT_EQ(0, vm_mkfile(RECORDS "/p1017.txt", "heart\n", NULL));
	EXPECT_EQ(0, vm_probe_open("nurse", RECORDS "/p1017.txt", O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("clerk", RECORDS "/p1017.txt",
					O_RDONLY));
	EXPECT_TRUE(vm_log_has("\"path\":\"" RECORDS "/p1017.txt\"",
			       "\"op\":\"read\"", 10000));
	/* abacd keeps the directory, to restore it after a reload */
	dirs = vm_read_file(AGENT_STATE "/labelled-dirs");
	ASSERT_NE(NULL, dirs);
	EXPECT_NE(NULL, strstr(dirs, RECORDS "\n"));
	free(dirs);
}

TEST_F(inherit, the_nearest_labelled_directory_wins_and_an_own_label_beats_both)
{
	ASSERT_EQ(0, vm_label(NESTED, "type=ward"));
	ASSERT_EQ(0, vm_mkfile(NESTED "/bed4.txt", "bed 4\n", NULL));
	ASSERT_EQ(0, vm_mkfile(NESTED "/chart.txt", "chart\n", "type=record"));
	/* bed4 is a ward note: day nurses may not read it */
	EXPECT_EQ(EACCES, vm_probe_open("nurse", NESTED "/bed4.txt",
					O_RDONLY));
	EXPECT_EQ(0, vm_probe_open("nurse", NESTED "/chart.txt", O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("clerk", NESTED "/chart.txt",
					O_RDONLY));
	/* without its own label the nested directory inherits "record" */
	ASSERT_EQ(0, removexattr(NESTED, "user.abac"));
	EXPECT_EQ(0, vm_probe_open("nurse", NESTED "/bed4.txt", O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("clerk", NESTED "/bed4.txt",
					O_RDONLY));
}

TEST_F(inherit, removing_the_directory_label_lifts_the_inherited_one)
{
	ASSERT_EQ(0, vm_mkfile(RECORDS "/x.txt", "x\n", NULL));
	EXPECT_EQ(EACCES, vm_probe_open("clerk", RECORDS "/x.txt", O_RDONLY));
	ASSERT_EQ(0, vm_sh("abac label rm " RECORDS));
	EXPECT_EQ(0, vm_probe_open("clerk", RECORDS "/x.txt", O_RDONLY));
}

TEST_F(inherit, child_cgroup_tags_merge_with_the_parent_per_attribute)
{
	ASSERT_EQ(0, vm_label(NESTED, "type=ward"));
	ASSERT_EQ(0, vm_mkfile(NESTED "/bed4.txt", "bed 4\n", NULL));
	/* ward is tagged role=nurse; ward/night adds shift=night */
	ASSERT_EQ(0, vm_tag("ward", "role=nurse"));
	ASSERT_EQ(0, vm_tag("ward/night", "shift=night"));
	ASSERT_EQ(0, vm_tag("ward/night-clerk", "role=clerk shift=night"));
	EXPECT_EQ(0, vm_probe_open("ward/night", NESTED "/bed4.txt",
				   O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("ward", NESTED "/bed4.txt",
					O_RDONLY));
	/* a child overrides one attribute and keeps the other */
	EXPECT_EQ(EACCES, vm_probe_open("ward/night-clerk", NESTED "/bed4.txt",
					O_RDONLY));
	/* and inherits role=nurse for records */
	EXPECT_EQ(0, vm_probe_open("ward/night", RECORDS,
				   O_RDONLY | O_DIRECTORY));
}

TEST_F(inherit, abacd_restores_labelled_directories_after_a_reload)
{
	/* fresh programs and maps: the kernel forgets every directory */
	vm_agent_kill9();
	ASSERT_EQ(0, vm_sh("abacd --unload >/dev/null 2>&1"));
	ASSERT_LT(0, vm_agent_start());
	/* abacd opened RECORDS at start; nothing else has */
	ASSERT_EQ(0, vm_mkfile(RECORDS "/after-reload.txt", "x\n", NULL));
	EXPECT_EQ(EACCES, vm_probe_open("clerk", RECORDS "/after-reload.txt",
					O_RDONLY));
	EXPECT_EQ(0, vm_probe_open("nurse", RECORDS "/after-reload.txt",
				   O_RDONLY));
}

TEST_HARNESS_MAIN
