// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where path-based enforcers break: the decision follows the inode, not
 * the name.  The same file is refused through a path deeper than 40
 * directories, a symlink, a hard link, a bind mount and after a rename;
 * and a file inherits its directory's label at any depth.
 */
#include <sys/mount.h>

#include "kselftest_harness.h"
#include "vm_common.h"

static const char paths_policy[] =
	"version: 1\n"
	"name: vm-paths\n"
	"mode: enforce\n"
	"combining: deny-overrides\n"
	"default: deny\n"
	"attributes:\n"
	"  subject:\n"
	"    role: {type: string, values: [nurse, clerk]}\n"
	"  object:\n"
	"    type: {type: string, values: [record]}\n"
	"rules:\n"
	"  - id: nurse-reads-records\n"
	"    nlp: \"Nurses may read records.\"\n"
	"    effect: allow\n"
	"    ops: [read]\n"
	"    subject: {role: nurse}\n"
	"    object: {type: record}\n";

#define RECORDS	TEST_DIR "/records"
#define OWN	RECORDS "/own.txt"
#define PLAIN	TEST_DIR "/plain"
#define BIND	"/tmp/abac-bind"
#define DEPTH	45

FIXTURE(paths) {
	char deep[PATH_MAX];
};

FIXTURE_SETUP(paths)
{
	size_t n;
	int i;

	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_apply("paths", paths_policy));
	ASSERT_EQ(0, vm_tag("nurse", "role=nurse"));
	ASSERT_EQ(0, vm_tag("clerk", "role=clerk"));
	ASSERT_EQ(0, mkdir(RECORDS, 0755));
	ASSERT_EQ(0, mkdir(PLAIN, 0755));
	ASSERT_EQ(0, vm_label(RECORDS, "type=record"));
	ASSERT_EQ(0, vm_mkfile(OWN, "own\n", "type=record"));
	/* RECORDS/d/d/.../d, DEPTH levels */
	n = snprintf(self->deep, sizeof(self->deep), "%s", RECORDS);
	for (i = 0; i < DEPTH; i++) {
		n += snprintf(self->deep + n, sizeof(self->deep) - n, "/d");
		ASSERT_EQ(0, mkdir(self->deep, 0755));
	}
	strncat(self->deep, "/deep.txt", sizeof(self->deep) - n - 1);
	ASSERT_EQ(0, vm_mkfile(self->deep, "deep\n", NULL));
}

FIXTURE_TEARDOWN(paths)
{
	umount(BIND);
}

TEST_F(paths, a_file_deeper_than_40_directories_inherits_the_label)
{
	EXPECT_EQ(0, vm_probe_open("nurse", self->deep, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("clerk", self->deep, O_RDONLY));
	EXPECT_TRUE(vm_log_has("deep.txt", "\"op\":\"read\"", 10000));
}

TEST_F(paths, a_symlink_reaches_the_same_decision)
{
	ASSERT_EQ(0, symlink(OWN, PLAIN "/link"));
	ASSERT_EQ(0, symlink(self->deep, PLAIN "/deeplink"));
	EXPECT_EQ(0, vm_probe_open("nurse", PLAIN "/link", O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("clerk", PLAIN "/link", O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("clerk", PLAIN "/deeplink", O_RDONLY));
}

TEST_F(paths, a_hard_link_elsewhere_keeps_the_own_label)
{
	ASSERT_EQ(0, link(OWN, PLAIN "/hard"));
	EXPECT_EQ(0, vm_probe_open("nurse", PLAIN "/hard", O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("clerk", PLAIN "/hard", O_RDONLY));
	EXPECT_TRUE(vm_log_has("\"path\":\"" PLAIN "/hard\"", "\"op\":\"read\"",
			       10000));
}

TEST_F(paths, a_bind_mount_reaches_the_same_decision)
{
	char inside[PATH_MAX];

	mkdir(BIND, 0755);
	ASSERT_EQ(0, mount(RECORDS, BIND, NULL, MS_BIND, NULL));
	snprintf(inside, sizeof(inside), BIND "%s",
		 self->deep + strlen(RECORDS));
	EXPECT_EQ(0, vm_probe_open("nurse", BIND "/own.txt", O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("clerk", BIND "/own.txt", O_RDONLY));
	/* inherited through the bind mount's root too */
	EXPECT_EQ(EACCES, vm_probe_open("clerk", inside, O_RDONLY));
	EXPECT_EQ(0, vm_probe_open("nurse", inside, O_RDONLY));
}

TEST_F(paths, renaming_the_file_or_its_directory_keeps_the_decision)
{
	ASSERT_EQ(0, rename(OWN, PLAIN "/moved.txt"));
	EXPECT_EQ(EACCES, vm_probe_open("clerk", PLAIN "/moved.txt",
					O_RDONLY));
	EXPECT_EQ(0, vm_probe_open("nurse", PLAIN "/moved.txt", O_RDONLY));
	/* the labelled directory itself renamed: its files still inherit */
	ASSERT_EQ(0, rename(RECORDS, TEST_DIR "/archive"));
	EXPECT_EQ(EACCES, vm_probe_open("clerk", TEST_DIR "/archive/d/d/d",
					O_RDONLY | O_DIRECTORY));
	EXPECT_EQ(0, vm_probe_open("nurse", TEST_DIR "/archive/d/d/d",
				   O_RDONLY | O_DIRECTORY));
	/* a file moved out of it inherits no more */
	ASSERT_EQ(0, vm_mkfile(TEST_DIR "/archive/t.txt", "t\n", NULL));
	EXPECT_EQ(EACCES, vm_probe_open("clerk", TEST_DIR "/archive/t.txt",
					O_RDONLY));
	ASSERT_EQ(0, rename(TEST_DIR "/archive/t.txt", PLAIN "/t.txt"));
	EXPECT_EQ(0, vm_probe_open("clerk", PLAIN "/t.txt", O_RDONLY));
}

TEST_HARNESS_MAIN
