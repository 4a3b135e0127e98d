// SPDX-License-Identifier: GPL-2.0-only
/*
 * Open attributes on the real hook (Documentation/scale.rst): "an
 * employee may edit documents they own", object.owner == subject.user,
 * where neither attribute lists its values.  The kernel hashes the owner
 * in the file's label as it parses it, abacd hashes the user of a tag,
 * and the decision compares the two words: values with spaces and
 * non-ASCII letters as people write them, allowed for the owner, denied
 * to anyone else, each denial an event.
 */
#include "kselftest_harness.h"
#include "vm_common.h"

static const char open_policy[] =
	"version: 1\n"
	"name: vm-open\n"
	"mode: enforce\n"
	"combining: deny-overrides\n"
	"default: deny\n"
	"attributes:\n"
	"  subject:\n"
	"    role: {type: string, values: [employee, guest]}\n"
	"    user: {type: string, open: true}\n"
	"  object:\n"
	"    type: {type: string, values: [document, other]}\n"
	"    owner: {type: string, open: true}\n"
	"rules:\n"
	"  - id: owner-edits\n"
	"    nlp: \"An employee may edit documents they own.\"\n"
	"    effect: allow\n"
	"    ops: [read, write]\n"
	"    subject: {role: employee}\n"
	"    object: {type: document}\n"
	"    where: [\"object.owner == subject.user\"]\n";

#define ALICE_DOC	TEST_DIR "/alice.txt"
#define ZOE_DOC		TEST_DIR "/zoe.txt"
#define ZOE		"Dr. Zo\xc3\xab M\xc3\xbcller"	/* Dr. Zoë Müller */

FIXTURE(open) {
	int unused;
};

FIXTURE_SETUP(open)
{
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_apply("open", open_policy));
	ASSERT_EQ(0, vm_mkfile(ALICE_DOC, "alice's notes\n",
			       "type=document;owner=alice"));
	ASSERT_EQ(0, vm_mkfile(ZOE_DOC, "ward rota\n", NULL));
	/* through the CLI: an owner the policy never listed */
	ASSERT_EQ(0, vm_sh("abac label set " ZOE_DOC
			   " type=document 'owner=" ZOE "' >/dev/null 2>&1"));
	ASSERT_EQ(0, vm_tag("alice", "role=employee user=alice"));
	ASSERT_EQ(0, vm_tag("bob", "role=employee user=bob"));
	ASSERT_EQ(0, vm_tag("zoe", "role=employee 'user=" ZOE "'"));
}

FIXTURE_TEARDOWN(open)
{
	vm_untag("alice");
	vm_untag("bob");
	vm_untag("zoe");
}

TEST_F(open, the_owner_edits_and_another_employee_is_denied_with_an_event)
{
	EXPECT_EQ(0, vm_probe_open("alice", ALICE_DOC, O_RDONLY));
	EXPECT_EQ(0, vm_probe_open("alice", ALICE_DOC, O_RDWR));
	EXPECT_EQ(EACCES, vm_probe_open("bob", ALICE_DOC, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("bob", ALICE_DOC, O_WRONLY));
	EXPECT_TRUE(vm_log_has("\"path\":\"" ALICE_DOC "\"",
			       "\"op\":\"write\"", 10000));
	EXPECT_TRUE(vm_log_has("\"path\":\"" ALICE_DOC "\"",
			       "\"reason\":\"default\"", 10000));
}

TEST_F(open, an_owner_with_spaces_and_umlauts_is_one_value_in_label_and_tag)
{
	char label[256];
	ssize_t n;

	n = getxattr(ZOE_DOC, "user.abac", label, sizeof(label) - 1);
	ASSERT_LT(0, n);
	label[n] = '\0';
	EXPECT_NE(NULL, strstr(label, "owner=" ZOE));
	EXPECT_EQ(0, vm_probe_open("zoe", ZOE_DOC, O_RDWR));
	EXPECT_EQ(EACCES, vm_probe_open("alice", ZOE_DOC, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("zoe", ALICE_DOC, O_RDONLY));
	EXPECT_TRUE(vm_log_has("\"path\":\"" ZOE_DOC "\"", "\"op\":\"read\"",
			       10000));
}

TEST_F(open, relabelling_the_owner_moves_the_right_at_once)
{
	ASSERT_EQ(0, vm_label(ALICE_DOC, "type=document;owner=bob"));
	EXPECT_EQ(0, vm_probe_open("bob", ALICE_DOC, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("alice", ALICE_DOC, O_RDONLY));
}

TEST_F(open, two_owners_or_a_bad_closed_value_fail_closed)
{
	ASSERT_EQ(0, vm_mkfile(TEST_DIR "/two.txt", "x\n",
			       "type=document;owner=alice,bob"));
	ASSERT_EQ(0, vm_mkfile(TEST_DIR "/typo.txt", "x\n",
			       "type=documnt;owner=alice"));
	EXPECT_EQ(EACCES, vm_probe_open("alice", TEST_DIR "/two.txt",
					O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("alice", TEST_DIR "/typo.txt",
					O_RDONLY));
	EXPECT_TRUE(vm_log_has("\"reason\":\"bad-label\"",
			       TEST_DIR "/two.txt", 10000));
}

TEST_F(open, the_cli_takes_any_open_value_and_refuses_an_unknown_closed_one)
{
	ASSERT_EQ(0, vm_mkfile(TEST_DIR "/cli.txt", "x\n", NULL));
	EXPECT_EQ(0, vm_sh("abac label set " TEST_DIR "/cli.txt type=document"
			   " 'owner=PRJ-2024/\xc3\x84\xc3\x96 x@example.org'"
			   " >/dev/null 2>&1"));
	EXPECT_NE(0, vm_sh("abac label set " TEST_DIR "/cli.txt"
			   " type=documnt owner=alice >/dev/null 2>&1"));
	ASSERT_EQ(0, vm_mkcg("carol"));
	EXPECT_EQ(0, vm_sh("abac subject tag " TEST_CG_ROOT "/carol"
			   " role=employee user=carol >/dev/null 2>&1"));
	EXPECT_NE(0, vm_sh("abac subject tag " TEST_CG_ROOT "/carol"
			   " role=boss user=carol >/dev/null 2>&1"));
	vm_untag("carol");
}

TEST_HARNESS_MAIN
