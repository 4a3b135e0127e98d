// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every file operation on its real hook in the guest kernel: read and
 * write (files and directories, by open mode), exec, create, delete
 * (unlink, rmdir, rename, link) and relabel (setting and removing
 * user.abac).  Each has an allowed case, a denied case and the denial
 * event in the agent's log.
 */
#include "kselftest_harness.h"
#include "vm_common.h"

/* Values as people write them: UTF-8, spaces, a label separator. */
#define ZOE		"Dr. Zo\xc3\xab M\xc3\xbcller"
#define ZOE_ASCII	"Dr. Zoe Muller"

static const char ops_policy[] =
	"version: 1\n"
	"name: vm-ops\n"
	"mode: enforce\n"
	"combining: deny-overrides\n"
	"default: deny\n"
	"attributes:\n"
	"  subject:\n"
	"    role: {type: string, values: [nurse, clerk]}\n"
	"    person: {type: string, default: nobody,\n"
	"             values: [nobody, \"" ZOE ", Jr.\", \"" ZOE_ASCII ", Jr.\"]}\n"
	"  object:\n"
	"    type: {type: string, values: [record, ward, tool, secret]}\n"
	"    owner: {type: string, default: nobody,\n"
	"            values: [nobody, \"" ZOE ", Jr.\"]}\n"
	"rules:\n"
	"  - id: owner-reads-own-files\n"
	"    nlp: \"A person may read the files she owns.\"\n"
	"    effect: allow\n"
	"    ops: [read]\n"
	"    subject: {person: \"" ZOE ", Jr.\"}\n"
	"    object: {owner: \"" ZOE ", Jr.\"}\n"
	"  - id: nurse-uses-records\n"
	"    nlp: \"Nurses may read and write records.\"\n"
	"    effect: allow\n"
	"    ops: [read, write]\n"
	"    subject: {role: nurse}\n"
	"    object: {type: record}\n"
	"  - id: nurse-runs-tools\n"
	"    nlp: \"Nurses may run ward tools.\"\n"
	"    effect: allow\n"
	"    ops: [exec, read]\n"
	"    subject: {role: nurse}\n"
	"    object: {type: tool}\n"
	"  - id: nurse-files-in-wards\n"
	"    nlp: \"Nurses may file, write and remove records in wards.\"\n"
	"    effect: allow\n"
	"    ops: [create, delete, read, write]\n"
	"    subject: {role: nurse}\n"
	"    object: {type: [ward, record]}\n"
	"  - id: nurse-relabels-records\n"
	"    nlp: \"Nurses may relabel records.\"\n"
	"    effect: allow\n"
	"    ops: [relabel]\n"
	"    subject: {role: nurse}\n"
	"    object: {type: record}\n";

#define WARD	TEST_DIR "/ward"
#define RECORD	TEST_DIR "/record.txt"
#define TOOL	TEST_DIR "/tool"
#define PLAIN	TEST_DIR "/plain"

FIXTURE(ops) {
	int unused;
};

FIXTURE_SETUP(ops)
{
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_apply("ops", ops_policy));
	ASSERT_EQ(0, vm_tag("nurse", "role=nurse"));
	ASSERT_EQ(0, vm_tag("clerk", "role=clerk"));
	ASSERT_EQ(0, mkdir(WARD, 0777));
	ASSERT_EQ(0, vm_label(WARD, "type=ward"));
	ASSERT_EQ(0, mkdir(PLAIN, 0777));
	ASSERT_EQ(0, vm_mkfile(RECORD, "bp 120/80\n", "type=record"));
	ASSERT_EQ(0, vm_sh("cp /bin/busybox " TOOL " && chmod 755 " TOOL));
	ASSERT_EQ(0, vm_label(TOOL, "type=tool"));
}

FIXTURE_TEARDOWN(ops)
{
}

static int open_dir(const void *path)
{
	return vm_rc(open(path, O_RDONLY | O_DIRECTORY));
}

TEST_F(ops, directories_are_decided_by_open_mode_like_files)
{
	ASSERT_EQ(0, mkdir(TEST_DIR "/chart", 0755));
	ASSERT_EQ(0, vm_label(TEST_DIR "/chart", "type=record"));
	EXPECT_EQ(0, vm_in_cg("nurse", open_dir, TEST_DIR "/chart"));
	EXPECT_EQ(EACCES, vm_in_cg("clerk", open_dir, TEST_DIR "/chart"));
	EXPECT_TRUE(vm_log_has("\"path\":\"" TEST_DIR "/chart\"",
			       "\"op\":\"read\"", 10000));
}

static int run_tool(const void *path)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return errno;
	if (!pid) {
		execl(path, "true", (char *)NULL);
		_exit(errno);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return 255;
	return WEXITSTATUS(st);
}

TEST_F(ops, exec_is_decided_on_the_executable)
{
	EXPECT_EQ(0, vm_in_cg("nurse", run_tool, TOOL));
	EXPECT_EQ(EACCES, vm_in_cg("clerk", run_tool, TOOL));
	EXPECT_TRUE(vm_log_has("\"op\":\"exec\"", "\"path\":\"" TOOL "\"",
			       10000));
	/* an unlabelled executable is not decided */
	EXPECT_EQ(0, vm_in_cg("clerk", run_tool, "/bin/busybox"));
}

static int create_file(const void *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int make_dir(const void *path)
{
	return vm_rc(mkdir(path, 0755));
}

static int make_symlink(const void *path)
{
	return vm_rc(symlink("/etc/hostname", path));
}

static int make_fifo(const void *path)
{
	return vm_rc(mknod(path, S_IFIFO | 0644, 0));
}

TEST_F(ops, create_is_decided_on_the_directory)
{
	EXPECT_EQ(0, vm_in_cg("nurse", create_file, WARD "/new.txt"));
	EXPECT_EQ(0, vm_in_cg("nurse", make_dir, WARD "/sub"));
	EXPECT_EQ(0, vm_in_cg("nurse", make_symlink, WARD "/ln"));
	EXPECT_EQ(0, vm_in_cg("nurse", make_fifo, WARD "/fifo"));
	EXPECT_EQ(EACCES, vm_in_cg("clerk", create_file, WARD "/c.txt"));
	EXPECT_EQ(EACCES, vm_in_cg("clerk", make_dir, WARD "/csub"));
	EXPECT_EQ(EACCES, vm_in_cg("clerk", make_symlink, WARD "/cln"));
	EXPECT_EQ(EACCES, vm_in_cg("clerk", make_fifo, WARD "/cfifo"));
	EXPECT_EQ(-1, access(WARD "/c.txt", F_OK));
	EXPECT_EQ(-1, access(WARD "/csub", F_OK));
	EXPECT_TRUE(vm_log_has("\"op\":\"create\"", "\"path\":\"csub\"",
			       10000));
	EXPECT_TRUE(vm_log_has("\"op\":\"create\"", "\"path\":\"c.txt\"",
			       10000));
	/* an unlabelled directory is not decided */
	EXPECT_EQ(0, vm_in_cg("clerk", create_file, PLAIN "/c.txt"));
}

static int do_unlink(const void *path)
{
	return vm_rc(unlink(path));
}

static int do_rmdir(const void *path)
{
	return vm_rc(rmdir(path));
}

TEST_F(ops, delete_is_decided_on_the_directory_and_the_entry)
{
	ASSERT_EQ(0, vm_mkfile(WARD "/a", "a\n", NULL));
	ASSERT_EQ(0, mkdir(WARD "/d", 0755));
	EXPECT_EQ(EACCES, vm_in_cg("clerk", do_unlink, WARD "/a"));
	EXPECT_EQ(EACCES, vm_in_cg("clerk", do_rmdir, WARD "/d"));
	EXPECT_EQ(0, access(WARD "/a", F_OK));
	EXPECT_TRUE(vm_log_has("\"op\":\"delete\"", "\"path\":\"a\"", 10000));
	EXPECT_EQ(0, vm_in_cg("nurse", do_unlink, WARD "/a"));
	EXPECT_EQ(0, vm_in_cg("nurse", do_rmdir, WARD "/d"));
	/* a labelled entry in an unlabelled directory: its own label */
	ASSERT_EQ(0, vm_mkfile(PLAIN "/tool2", "x\n", "type=tool"));
	EXPECT_EQ(EACCES, vm_in_cg("nurse", do_unlink, PLAIN "/tool2"));
	EXPECT_TRUE(vm_log_has("\"op\":\"delete\"", "\"path\":\"tool2\"",
			       10000));
}

static int rename_out(const void *unused)
{
	return vm_rc(rename(WARD "/r", PLAIN "/r"));
}

static int rename_in(const void *unused)
{
	return vm_rc(rename(PLAIN "/p", WARD "/p"));
}

static int hard_link(const void *unused)
{
	return vm_rc(link(PLAIN "/h", WARD "/h"));
}

TEST_F(ops, rename_and_link_are_delete_and_create)
{
	ASSERT_EQ(0, vm_mkfile(WARD "/r", "r\n", NULL));
	ASSERT_EQ(0, vm_mkfile(PLAIN "/p", "p\n", NULL));
	ASSERT_EQ(0, vm_mkfile(PLAIN "/h", "h\n", NULL));
	EXPECT_EQ(EACCES, vm_in_cg("clerk", rename_out, NULL));
	EXPECT_EQ(EACCES, vm_in_cg("clerk", rename_in, NULL));
	EXPECT_EQ(EACCES, vm_in_cg("clerk", hard_link, NULL));
	EXPECT_TRUE(vm_log_has("\"op\":\"delete\"", "\"path\":\"r\"", 10000));
	EXPECT_TRUE(vm_log_has("\"op\":\"create\"", "\"path\":\"h\"", 10000));
	EXPECT_EQ(0, vm_in_cg("nurse", rename_out, NULL));
	EXPECT_EQ(0, vm_in_cg("nurse", rename_in, NULL));
	EXPECT_EQ(0, vm_in_cg("nurse", hard_link, NULL));
}

static int set_label(const void *label)
{
	return vm_rc(setxattr(RECORD, "user.abac", label, strlen(label), 0));
}

static int remove_label(const void *unused)
{
	return vm_rc(removexattr(RECORD, "user.abac"));
}

TEST_F(ops, relabel_needs_a_rule_for_the_current_and_the_new_label)
{
	/* read it once: the non-sleepable removexattr hook uses the cache */
	ASSERT_EQ(0, vm_probe_open(NULL, RECORD, O_RDONLY));
	EXPECT_EQ(EACCES, vm_in_cg("clerk", set_label, "type=record"));
	EXPECT_EQ(EACCES, vm_in_cg("clerk", remove_label, NULL));
	EXPECT_TRUE(vm_log_has("\"op\":\"relabel\"", "record.txt", 10000));
	/* nurses may relabel records, but not into something else */
	EXPECT_EQ(EACCES, vm_in_cg("nurse", set_label, "type=secret"));
	EXPECT_EQ(0, vm_in_cg("nurse", set_label, "type=record"));
	EXPECT_EQ(0, vm_in_cg("nurse", remove_label, NULL));
	/* untagged administrators are untouched */
	EXPECT_EQ(0, vm_label(RECORD, "type=secret"));
	EXPECT_EQ(0, vm_in_cg(NULL, remove_label, NULL));
}

/*
 * A file labelled with a UTF-8 value whose comma is escaped, through the
 * CLI as a person writes it: the subject tagged with that value reads
 * it, one tagged with the same name without its diaeresis is denied.
 */
TEST_F(ops, utf8_values_with_an_escaped_comma_are_decided_on_the_hook)
{
	static const char chart[] = TEST_DIR "/chart-zoe";
	char out[8192];

	ASSERT_EQ(0, vm_tag("zoe", "role=clerk 'person=" ZOE "\\, Jr.'"));
	ASSERT_EQ(0, vm_tag("zoe-ascii",
			    "role=clerk 'person=" ZOE_ASCII "\\, Jr.'"));
	ASSERT_EQ(0, vm_write_file(chart, "x\n"));
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac label set %s 'owner="
			       ZOE "\\, Jr.'", chart)) TH_LOG("%s", out);
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac label get %s", chart));
	EXPECT_NE(NULL, strstr(out, ": owner=" ZOE "\\, Jr.\n"))
		TH_LOG("%s", out);
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac --json label get %s",
			       chart));
	EXPECT_NE(NULL, strstr(out, "\"pairs\":{\"owner\":[\"" ZOE ", Jr.\"]}"))
		TH_LOG("%s", out);
	EXPECT_EQ(0, vm_probe_open("zoe", chart, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("zoe-ascii", chart, O_RDONLY));
	EXPECT_TRUE(vm_log_has("\"path\":\"" TEST_DIR "/chart-zoe\"",
			       ZOE_ASCII, 10000));
	/* the parser the hook runs refuses a trailing space: closed */
	ASSERT_EQ(0, vm_label(chart, "owner=" ZOE "\\, Jr. "));
	EXPECT_EQ(EACCES, vm_probe_open("zoe", chart, O_RDONLY));
	ASSERT_EQ(0, vm_label(chart, "owner=" ZOE "\\, Jr."));
	EXPECT_EQ(0, vm_probe_open("zoe", chart, O_RDONLY));
}

TEST_F(ops, status_names_the_backend_and_enforces_every_op)
{
	char out[8192];

	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac status"));
	EXPECT_NE(NULL, strstr(out, vm_backend() == VM_NATIVE ?
			       "backend: native (" : "backend: bpf ("))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "ops not enforced: none"));
	if (vm_backend() == VM_NATIVE) {
		char *st = vm_read_file("/sys/kernel/security/abac/status");

		ASSERT_NE(NULL, st);
		EXPECT_NE(NULL, strstr(st, "ops: read write exec create delete relabel connect bind listen administer\n"))
			TH_LOG("%s", st);
		free(st);
	}
}

static int open_close(const void *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/*
 * The decisions rule @id took, from "abac status --rules --json" @out: the
 * "decisions" of the object whose "id" is @id; -1 when it is not there.
 */
static long long rule_decisions(const char *out, const char *id)
{
	char key[128];
	const char *p;

	snprintf(key, sizeof(key), "\"id\":\"%s\"", id);
	p = strstr(out, key);
	if (!p)
		return -1;
	p = strstr(p, "\"decisions\":");
	return p ? strtoll(p + strlen("\"decisions\":"), NULL, 10) : -1;
}

/* Every rule's count, the two that allow a nurse's read summed. */
static int read_counts(char *out, size_t sz, long long *reads,
		       long long *tools, long long *owner)
{
	if (vm_sh_out(out, sz, "abac status --rules --json"))
		return -1;
	*reads = rule_decisions(out, "nurse-uses-records") +
		 rule_decisions(out, "nurse-files-in-wards");
	*tools = rule_decisions(out, "nurse-runs-tools");
	*owner = rule_decisions(out, "owner-reads-own-files");
	return 0;
}

/*
 * abac status --rules: the decisions each rule took, a cached decision
 * included; a refusal by the default effect is no rule's; a new image
 * counts from 0.
 */
TEST_F(ops, status_counts_the_decisions_of_each_rule)
{
	long long reads, tools, owner, reads0;
	char out[16384], *pol;
	int i;

	ASSERT_EQ(0, read_counts(out, sizeof(out), &reads0, &tools, &owner))
		TH_LOG("%s", out);
	ASSERT_LE(0, reads0) TH_LOG("%s", out);
	EXPECT_EQ(0, tools);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, vm_in_cg("nurse", open_close, RECORD));
	/* the default effect refuses the clerk: no rule's decision */
	ASSERT_EQ(EACCES, vm_in_cg("clerk", open_close, RECORD));
	/* untagged: not decided at all */
	ASSERT_EQ(0, open_close(RECORD));
	ASSERT_EQ(0, read_counts(out, sizeof(out), &reads, &tools, &owner));
	EXPECT_EQ(reads0 + 3, reads) TH_LOG("%s", out);
	EXPECT_EQ(0, tools) TH_LOG("%s", out);
	EXPECT_EQ(0, owner) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, vm_backend() == VM_NATIVE ?
			       "\"backend\":\"native\"" :
			       "\"backend\":\"bpf\"")) TH_LOG("%s", out);
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac status --rules"));
	EXPECT_NE(NULL, strstr(out, "nurse-runs-tools  \"Nurses may run ward tools.\""))
		TH_LOG("%s", out);
	/* another image: its rules count from 0, the indexes notwithstanding */
	pol = strdup(ops_policy);
	ASSERT_NE(NULL, pol);
	memcpy(strstr(pol, "name: vm-ops"), "name: vm-op2", 12);
	ASSERT_EQ(0, vm_apply("ops2", pol));
	free(pol);
	ASSERT_EQ(0, read_counts(out, sizeof(out), &reads, &tools, &owner));
	EXPECT_EQ(0, reads) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"name\":\"vm-op2\"")) TH_LOG("%s", out);
}

/* The kernel's count of events it had no room for; -1 unread. */
static long long events_lost(void)
{
	char out[8192], *p;

	if (vm_sh_out(out, sizeof(out), "abac status --json"))
		return -1;
	p = strstr(out, "\"events_lost\":");
	return p ? strtoll(p + 14, NULL, 10) : -1;
}

/* ops_policy with @tail appended (an events: section), as @name. */
static int apply_with(const char *name, const char *tail)
{
	char *pol = malloc(sizeof(ops_policy) + strlen(tail));
	int ret;

	if (!pol)
		return -1;
	strcpy(pol, ops_policy);
	strcat(pol, tail);
	ret = vm_apply(name, pol);
	free(pol);
	return ret;
}

/*
 * Allowed decisions reach the log only when the policy asks (events:
 * sample-allows), as "decision":"allow" with the rule that allowed; the
 * replay of that log against a candidate that would refuse them names
 * them.  The denial after each allow orders the log: once it is there,
 * the allow before it would be too.
 */
TEST_F(ops, allows_are_sampled_when_the_policy_asks_and_replayed)
{
	char out[16384], *cand, *p;
	long long lost;

	ASSERT_EQ(0, vm_mkfile(TEST_DIR "/unsampled.txt", "x\n", "type=record"));
	ASSERT_EQ(0, vm_mkfile(TEST_DIR "/sampled.txt", "x\n", "type=record"));
	/* not asked: the allow is not logged */
	ASSERT_EQ(0, vm_in_cg("nurse", open_close, TEST_DIR "/unsampled.txt"));
	ASSERT_EQ(EACCES, vm_in_cg("clerk", open_close,
				   TEST_DIR "/unsampled.txt"));
	ASSERT_TRUE(vm_log_has("\"decision\":\"deny\"",
			       "\"path\":\"" TEST_DIR "/unsampled.txt\"",
			       10000));
	EXPECT_FALSE(vm_log_has("\"decision\":\"allow\"",
				"\"path\":\"" TEST_DIR "/unsampled.txt\"", 0));
	/* every allow sampled: logged with its rule */
	ASSERT_EQ(0, apply_with("ops-sampled", "events: {sample-allows: 1}\n"));
	lost = events_lost();
	ASSERT_LE(0, lost);
	ASSERT_EQ(0, vm_in_cg("nurse", open_close, TEST_DIR "/sampled.txt"));
	EXPECT_TRUE(vm_log_has("\"decision\":\"allow\"",
			       "\"op\":\"read\",\"path\":\"" TEST_DIR
			       "/sampled.txt\"", 10000));
	EXPECT_TRUE(vm_log_has("\"path\":\"" TEST_DIR "/sampled.txt\"",
			       "\"rule\":\"nurse-uses-records\"", 0));
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out),
			       "abac events | grep -F ' ALLOW read " TEST_DIR
			       "/sampled.txt '"));
	/* a sampled allow is not a loss */
	EXPECT_EQ(lost, events_lost());
	/* a candidate in which nurses no longer read records */
	cand = strdup(ops_policy);
	ASSERT_NE(NULL, cand);
	p = strstr(cand, "ops: [read, write]\n    subject: {role: nurse}");
	ASSERT_NE(NULL, p);
	memcpy(p, "ops: [      write]", 18);
	p = strstr(cand, "object: {type: [ward, record]}");
	ASSERT_NE(NULL, p);
	memcpy(p, "object: {type: [ward        ]}", 30);
	ASSERT_EQ(0, vm_write_file(TEST_DIR "/candidate.yaml", cand));
	free(cand);
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out),
			       "abac policy replay " TEST_DIR "/candidate.yaml"
			       " --events " AGENT_LOG " --limit 1000000 |"
			       " grep -F ' read " TEST_DIR "/sampled.txt by '"));
	EXPECT_NE(NULL, strstr(out, "was allow by nurse-uses-records, now deny"))
		TH_LOG("%s", out);
}

TEST_F(ops, status_lists_the_hooks_this_kernel_runs)
{
	char out[8192];

	VM_ONLY(VM_BPF, "hooks are BPF programs attached by pinned links; the native LSM's are built in");
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac status"));
	EXPECT_NE(NULL, strstr(out, "hooks attached: file_open file_permission bprm_check_security"));
	EXPECT_NE(NULL, strstr(out, "inode_removexattr"));
	EXPECT_NE(NULL, strstr(out, "socket_connect socket_bind socket_listen"));
	EXPECT_NE(NULL, strstr(out, "hooks missing: none"));
	EXPECT_NE(NULL, strstr(out, "ops not enforced: none"));
}

/*
 * The agent knows which hooks run by their link pins: a kernel without a
 * hook leaves its program unloaded and its pin absent.  Hide the listen
 * link's pin (the link itself stays attached), see status name listen as
 * not enforced and apply refuse a policy naming it, then put the pin back.
 */
TEST_F(ops, a_policy_naming_an_unenforced_op_needs_allow_degraded)
{
	static const char net[] =
		"version: 1\n"
		"name: vm-net\n"
		"mode: enforce\n"
		"combining: deny-overrides\n"
		"default: deny\n"
		"attributes:\n"
		"  subject:\n"
		"    role: {type: string, values: [nurse, clerk]}\n"
		"  object:\n"
		"    type: {type: string, values: [record]}\n"
		"rules:\n"
		"  - id: nurse-connects\n"
		"    nlp: \"Nurses may connect to records.\"\n"
		"    effect: allow\n"
		"    ops: [listen, read]\n"
		"    subject: {role: nurse}\n"
		"    object: {type: record}\n";
	char out[8192];

	VM_ONLY(VM_BPF, "a missing hook is made here by hiding a BPF link; the native LSM's hooks are built in and its status lists the ops they decide");
	ASSERT_EQ(0, vm_write_file(TEST_DIR "/net.yaml", net));
	ASSERT_EQ(0, vm_sh("mv /sys/fs/bpf/abac/link_hook_socket_listen "
			   "/sys/fs/bpf/hidden_link_hook_socket_listen"));
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac status"));
	EXPECT_NE(NULL, strstr(out, "hooks missing: socket_listen")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "ops not enforced: listen")) TH_LOG("%s", out);
	EXPECT_NE(0, vm_sh_out(out, sizeof(out),
			       "abac policy apply " TEST_DIR "/net.yaml"));
	EXPECT_NE(NULL, strstr(out, "the policy names listen, which this kernel does not enforce")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "nothing was changed"));
	EXPECT_EQ(0, vm_sh_out(out, sizeof(out),
			       "abac policy apply --allow-degraded " TEST_DIR "/net.yaml"));
	EXPECT_NE(NULL, strstr(out, "degraded: listen not enforced")) TH_LOG("%s", out);
	ASSERT_EQ(0, vm_sh("mv /sys/fs/bpf/hidden_link_hook_socket_listen "
			   PIN_DIR "/link_hook_socket_listen"));
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac status"));
	EXPECT_NE(NULL, strstr(out, "hooks missing: none")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
