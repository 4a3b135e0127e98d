// SPDX-License-Identifier: GPL-2.0-only
/*
 * The first end-to-end slice, on the real hook in the guest kernel:
 * a YAML policy applied through abacd decides file opens of processes in
 * tagged cgroups, from labels in user.abac, and every denial reaches the
 * agent's event log with the rule's sentence.
 */
#include "kselftest_harness.h"
#include "vm_common.h"

static const char base_policy[] =
	"version: 1\n"
	"name: vm-enforce\n"
	"mode: enforce\n"
	"combining: deny-overrides\n"
	"default: deny\n"
	"attributes:\n"
	"  subject:\n"
	"    role: {type: string, values: [nurse, clerk, auditor]}\n"
	"  object:\n"
	"    type: {type: string, values: [record, invoice]}\n"
	"rules:\n"
	"  - id: nurse-reads-records\n"
	"    nlp: \"Nurses may read patient records.\"\n"
	"    effect: allow\n"
	"    ops: [read]\n"
	"    subject: {role: nurse}\n"
	"    object: {type: record}\n"
	"  - id: clerk-never-records\n"
	"    nlp: \"Clerks may never open patient records.\"\n"
	"    effect: deny\n"
	"    ops: [read, write]\n"
	"    subject: {role: clerk}\n"
	"    object: {type: record}\n"
	"  - id: staff-read-invoices\n"
	"    nlp: \"Nurses and clerks may read invoices.\"\n"
	"    effect: allow\n"
	"    ops: [read]\n"
	"    subject: {role: [nurse, clerk]}\n"
	"    object: {type: invoice}\n"
	"  - id: invoices-are-read-only\n"
	"    nlp: \"Nobody may write invoices.\"\n"
	"    effect: deny\n"
	"    ops: [write]\n"
	"    subject: {role: [nurse, clerk]}\n"
	"    object: {type: invoice}\n";

#define RECORD	TEST_DIR "/record.txt"
#define INVOICE	TEST_DIR "/invoice.txt"
#define PLAIN	TEST_DIR "/plain.txt"

FIXTURE(enforce) {
	int unused;
};

FIXTURE_SETUP(enforce)
{
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_apply("base", base_policy));
	ASSERT_EQ(0, vm_mkfile(RECORD, "heart patient\n", "type=record"));
	ASSERT_EQ(0, vm_mkfile(INVOICE, "invoice 42\n", "type=invoice"));
	ASSERT_EQ(0, vm_mkfile(PLAIN, "nothing\n", NULL));
	ASSERT_EQ(0, vm_tag("nurse", "role=nurse"));
	ASSERT_EQ(0, vm_tag("clerk", "role=clerk"));
}

FIXTURE_TEARDOWN(enforce)
{
	/* the next test program's policy need not know these roles */
	vm_untag("nurse");
	vm_untag("clerk");
	vm_untag("auditor");
}

TEST_F(enforce, tagged_subject_is_allowed_by_an_allow_rule)
{
	ASSERT_EQ(0, vm_probe_open("nurse", RECORD, O_RDONLY));
	ASSERT_EQ(0, vm_probe_open("clerk", INVOICE, O_RDONLY));
}

TEST_F(enforce, tagged_subject_is_denied_by_a_deny_rule_and_the_event_says_why)
{
	ASSERT_EQ(EACCES, vm_probe_open("clerk", RECORD, O_RDONLY));
	ASSERT_TRUE(vm_log_has("\"clerk-never-records\"",
			       "Clerks may never open patient records.",
			       10000));
	ASSERT_TRUE(vm_log_has("\"path\":\"" RECORD "\"", "\"op\":\"read\"",
			       10000));
}

TEST_F(enforce, write_is_decided_from_the_open_mode)
{
	/* Nurses may read records but no rule lets them write: default. */
	ASSERT_EQ(0, vm_probe_open("nurse", RECORD, O_RDONLY));
	ASSERT_EQ(EACCES, vm_probe_open("nurse", RECORD, O_WRONLY));
	ASSERT_EQ(EACCES, vm_probe_open("nurse", RECORD, O_RDWR));
	ASSERT_TRUE(vm_log_has("\"op\":\"write\"", "\"reason\":\"default\"",
			       10000));
}

TEST_F(enforce, tagged_subject_without_a_matching_rule_gets_the_default)
{
	ASSERT_EQ(0, vm_tag("auditor", "role=auditor"));
	ASSERT_EQ(EACCES, vm_probe_open("auditor", INVOICE, O_RDONLY));
}

TEST_F(enforce, untagged_process_is_untouched)
{
	ASSERT_EQ(0, vm_probe_open(NULL, RECORD, O_RDONLY));
	ASSERT_EQ(0, vm_probe_open(NULL, RECORD, O_RDWR));
}

TEST_F(enforce, unlabelled_file_is_untouched)
{
	ASSERT_EQ(0, vm_probe_open("clerk", PLAIN, O_RDONLY));
	ASSERT_EQ(0, vm_probe_open("clerk", PLAIN, O_RDWR));
}

TEST_F(enforce, child_cgroup_inherits_the_tags_of_its_nearest_tagged_ancestor)
{
	ASSERT_EQ(0, vm_mkcg("clerk/desk"));
	ASSERT_EQ(EACCES, vm_probe_open("clerk/desk", RECORD, O_RDONLY));
	ASSERT_EQ(0, vm_probe_open("clerk/desk", INVOICE, O_RDONLY));
}

TEST_F(enforce, malformed_or_unknown_label_fails_closed_for_tagged_subjects)
{
	ASSERT_EQ(0, vm_mkfile(TEST_DIR "/bad1", "x\n", "type=recrod"));
	ASSERT_EQ(0, vm_mkfile(TEST_DIR "/bad2", "x\n", "type"));
	ASSERT_EQ(0, vm_mkfile(TEST_DIR "/bad3", "x\n", "colour=blue"));
	ASSERT_EQ(EACCES, vm_probe_open("nurse", TEST_DIR "/bad1", O_RDONLY));
	ASSERT_EQ(EACCES, vm_probe_open("nurse", TEST_DIR "/bad2", O_RDONLY));
	ASSERT_EQ(EACCES, vm_probe_open("nurse", TEST_DIR "/bad3", O_RDONLY));
	ASSERT_TRUE(vm_log_has("\"reason\":\"bad-label\"", TEST_DIR "/bad1",
			       10000));
	/* Untagged processes still read them. */
	ASSERT_EQ(0, vm_probe_open(NULL, TEST_DIR "/bad1", O_RDONLY));
}

TEST_F(enforce, retagging_a_cgroup_changes_the_very_next_decision)
{
	ASSERT_EQ(EACCES, vm_probe_open("clerk", RECORD, O_RDONLY));
	ASSERT_EQ(0, vm_tag("clerk", "role=nurse"));
	ASSERT_EQ(0, vm_probe_open("clerk", RECORD, O_RDONLY));
	ASSERT_EQ(0, vm_tag("clerk", "role=clerk"));
	ASSERT_EQ(EACCES, vm_probe_open("clerk", RECORD, O_RDONLY));
}

TEST_F(enforce, relabelling_a_file_changes_the_very_next_decision)
{
	ASSERT_EQ(EACCES, vm_probe_open("clerk", RECORD, O_RDONLY));
	ASSERT_EQ(0, vm_label(RECORD, "type=invoice"));
	ASSERT_EQ(0, vm_probe_open("clerk", RECORD, O_RDONLY));
}

TEST_F(enforce, audit_mode_allows_and_records_the_would_be_denial)
{
	char audit[sizeof(base_policy) + 64];
	char *p;

	snprintf(audit, sizeof(audit), "%s", base_policy);
	p = strstr(audit, "mode: enforce");
	ASSERT_NE(NULL, p);
	memcpy(p, "mode: audit  ", 13);
	p = strstr(audit, "name: vm-enforce");
	ASSERT_NE(NULL, p);
	memcpy(p, "name: vm-auditxx", 16);
	ASSERT_EQ(0, vm_apply("audit", audit));
	ASSERT_EQ(0, vm_probe_open("clerk", RECORD, O_RDONLY));
	ASSERT_TRUE(vm_log_has("\"decision\":\"audit\"",
			       "\"policy\":\"vm-auditxx\"", 10000));
	ASSERT_TRUE(vm_log_has("\"mode\":\"audit\"", "clerk-never-records",
			       10000));
}

TEST_F(enforce, rejected_policy_leaves_the_old_one_enforcing)
{
	char out[4096];
	int st;

	ASSERT_EQ(0, vm_write_file(TEST_DIR "/typo.yaml",
		"version: 1\n"
		"name: typo\n"
		"attributes:\n"
		"  subject:\n"
		"    role: {type: string, values: [nurse, clerk]}\n"
		"  object:\n"
		"    type: {type: string, values: [record]}\n"
		"rules:\n"
		"  - id: r\n"
		"    nlp: \"Clerks may read records.\"\n"
		"    effect: allow\n"
		"    ops: [read]\n"
		"    subject: {role: clerc}\n"
		"    object: {type: record}\n"));
	st = vm_sh_out(out, sizeof(out), "abac policy apply " TEST_DIR "/typo.yaml");
	ASSERT_EQ(1, st);
	ASSERT_NE(NULL, strstr(out, "typo.yaml:13:")) TH_LOG("%s", out);
	ASSERT_NE(NULL, strstr(out, "clerc")) TH_LOG("%s", out);
	ASSERT_EQ(EACCES, vm_probe_open("clerk", RECORD, O_RDONLY));
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac status"));
	ASSERT_NE(NULL, strstr(out, "vm-enforce")) TH_LOG("%s", out);
}

TEST_F(enforce, agent_killed_with_sigkill_leaves_enforcement_on_and_loses_no_event)
{
	pid_t pid;

	vm_agent_kill9();
	ASSERT_FALSE(vm_agent_up());
	/* No agent: the pinned program still decides... */
	ASSERT_EQ(EACCES, vm_probe_open("clerk", RECORD, O_RDONLY));
	ASSERT_EQ(0, vm_probe_open("nurse", RECORD, O_RDONLY));
	/* ...and the denial waits in the pinned ring buffer. */
	ASSERT_EQ(0, vm_mkfile(TEST_DIR "/while-dead", "x\n", "type=record"));
	ASSERT_EQ(EACCES, vm_probe_open("clerk", TEST_DIR "/while-dead",
					O_RDONLY));
	pid = vm_agent_start();
	ASSERT_LT(0, pid);
	ASSERT_TRUE(vm_log_has(TEST_DIR "/while-dead", "clerk-never-records",
			       20000));
	ASSERT_EQ(EACCES, vm_probe_open("clerk", RECORD, O_RDONLY));
}

TEST_F(enforce, abac_run_runs_a_command_as_a_tagged_subject)
{
	ASSERT_EQ(0, vm_sh("abac run role=nurse -- cat " RECORD " >/dev/null"));
	ASSERT_NE(0, vm_sh("abac run role=clerk -- cat " RECORD
			   " >/dev/null 2>&1"));
}

TEST_F(enforce, events_follow_streams_a_denial_as_it_happens)
{
	char *out;
	int i;

	ASSERT_EQ(0, vm_sh("(abac events --follow --json > " TEST_DIR
			   "/follow.out 2>&1 &) ; sleep 1"));
	ASSERT_EQ(0, vm_mkfile(TEST_DIR "/live", "x\n", "type=record"));
	ASSERT_EQ(EACCES, vm_probe_open("clerk", TEST_DIR "/live", O_RDONLY));
	for (i = 0; i < 200; i++) {
		out = vm_read_file(TEST_DIR "/follow.out");
		if (out && strstr(out, TEST_DIR "/live"))
			break;
		free(out);
		out = NULL;
		vm_msleep(100);
	}
	vm_sh("killall abac >/dev/null 2>&1");
	ASSERT_NE(NULL, out);
	ASSERT_NE(NULL, strstr(out, "Clerks may never open patient records."));
	free(out);
}

/* The length of the agent's log now: where a test's own lines begin. */
static size_t log_mark(void)
{
	char *log = vm_read_file(AGENT_LOG);
	size_t len = log ? strlen(log) : 0;

	free(log);
	return len;
}

/*
 * The denials of @path by @rule in the log past @mark: how many records,
 * and the decisions they stand for (a record's "count", 1 when none).
 */
static long long logged_denials(size_t mark, const char *path,
				const char *rule, long long *records)
{
	char *log = vm_read_file(AGENT_LOG), *line, *save = NULL, *c;
	long long sum = 0;

	*records = 0;
	if (!log || strlen(log) < mark) {
		free(log);
		return 0;
	}
	for (line = strtok_r(log + mark, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strstr(line, path) || !strstr(line, rule) ||
		    !strstr(line, "\"deny\""))
			continue;
		c = strstr(line, "\"count\":");
		sum += c ? strtoll(c + 8, NULL, 10) : 1;
		(*records)++;
	}
	free(log);
	return sum;
}

#define FLOOD	1000

/*
 * A flood of one denial from one cgroup, then one other denial from
 * another: the other is logged at once with its own rule and path, and
 * the flood folds into a few records whose counts add up to the flood.
 */
TEST_F(enforce, flood_of_one_denial_folds_and_hides_no_other)
{
	long long sum = 0, records = 0;
	size_t mark;
	int st, i;
	pid_t gen;

	mark = log_mark();
	gen = fork();
	ASSERT_LE(0, gen);
	if (!gen) {
		if (vm_join_cg("clerk"))
			_exit(250);
		for (i = 0; i < FLOOD; i++)
			if (open(RECORD, O_RDONLY) >= 0 || errno != EACCES)
				_exit(251);
		_exit(0);
	}
	ASSERT_EQ(gen, waitpid(gen, &st, 0));
	ASSERT_EQ(0, WEXITSTATUS(st));
	/* positive control: the nurse still reads invoices */
	ASSERT_EQ(0, vm_probe_open("nurse", INVOICE, O_RDONLY));
	ASSERT_EQ(EACCES, vm_probe_open("nurse", INVOICE, O_WRONLY));
	/* its own record, with its own rule and path */
	EXPECT_TRUE(vm_log_has("\"rule\":\"invoices-are-read-only\"",
			       "\"path\":\"" INVOICE "\"", 10000));
	for (i = 0; i < 100 && sum != FLOOD; i++) {
		vm_msleep(100);
		sum = logged_denials(mark, "\"path\":\"" RECORD "\"",
				     "\"rule\":\"clerk-never-records\"",
				     &records);
	}
	TH_LOG("%d denials of one file: %lld records", FLOOD, records);
	EXPECT_EQ(FLOOD, sum);
	EXPECT_GT(20, records);		/* folded, not a record each */
	EXPECT_TRUE(vm_log_has("\"fold\":\"object\"", RECORD, 0));
}

#define SPREE	40

/*
 * A cgroup past its event budget (5 records a second here) has its
 * denials folded per rule, whatever the file; another cgroup's denial is
 * still a record of its own, and the counts add up.
 */
TEST_F(enforce, cgroup_past_its_budget_folds_per_rule_and_no_other_cgroup)
{
	char budget[sizeof(base_policy) + 64], path[PATH_MAX];
	long long sum = 0, records = 0;
	size_t mark;
	int st, i;
	pid_t gen;

	mark = log_mark();
	snprintf(budget, sizeof(budget), "%sevents: {budget: 5}\n",
		 base_policy);
	ASSERT_EQ(0, vm_apply("budget", budget));
	for (i = 0; i < SPREE; i++) {
		snprintf(path, sizeof(path), TEST_DIR "/spree-%d", i);
		ASSERT_EQ(0, vm_mkfile(path, "x\n", "type=record"));
	}
	gen = fork();
	ASSERT_LE(0, gen);
	if (!gen) {
		if (vm_join_cg("clerk"))
			_exit(250);
		for (i = 0; i < SPREE; i++) {
			snprintf(path, sizeof(path), TEST_DIR "/spree-%d", i);
			if (open(path, O_RDONLY) >= 0 || errno != EACCES)
				_exit(251);
		}
		_exit(0);
	}
	ASSERT_EQ(gen, waitpid(gen, &st, 0));
	ASSERT_EQ(0, WEXITSTATUS(st));
	ASSERT_EQ(EACCES, vm_probe_open("nurse", INVOICE, O_WRONLY));
	EXPECT_TRUE(vm_log_has("\"rule\":\"invoices-are-read-only\"",
			       "\"path\":\"" INVOICE "\"", 10000));
	/* the folded records come when their windows close: under load, late */
	for (i = 0; i < 300 && sum != SPREE; i++) {
		vm_msleep(100);
		sum = logged_denials(mark, "\"path\":\"" TEST_DIR "/spree-",
				     "\"rule\":\"clerk-never-records\"",
				     &records);
	}
	TH_LOG("%d denials of distinct files: %lld records", SPREE, records);
	EXPECT_EQ(SPREE, sum);
	EXPECT_GT(SPREE, records);	/* past the budget: folded */
	EXPECT_TRUE(vm_log_has("\"fold\":\"rule\"", "clerk-never-records",
			       0));
}

/*
 * Only records sent pay for the budget, not the repeats folded into one:
 * a flood of one denial must not use up its own cgroup's budget, or the
 * denial it was meant to hide (another file, the same rule) would fold
 * per rule behind the flood's path.  Here the flood goes on after it, so
 * a folded record would carry the flood's path, not the target's.
 */
TEST_F(enforce, a_flood_of_one_denial_leaves_the_budget_to_a_distinct_one)
{
	char budget[sizeof(base_policy) + 64];
	int st, i;
	pid_t gen;

	snprintf(budget, sizeof(budget), "%sevents: {budget: 5}\n",
		 base_policy);
	ASSERT_EQ(0, vm_apply("budget", budget));
	ASSERT_EQ(0, vm_mkfile(TEST_DIR "/target", "x\n", "type=record"));
	gen = fork();
	ASSERT_LE(0, gen);
	if (!gen) {
		if (vm_join_cg("clerk"))
			_exit(250);
		for (i = 0; i < FLOOD + 50; i++) {
			if (i == FLOOD &&
			    (open(TEST_DIR "/target", O_RDONLY) >= 0 ||
			     errno != EACCES))
				_exit(252);
			if (open(RECORD, O_RDONLY) >= 0 || errno != EACCES)
				_exit(251);
		}
		_exit(0);
	}
	ASSERT_EQ(gen, waitpid(gen, &st, 0));
	ASSERT_EQ(0, WEXITSTATUS(st));
	EXPECT_TRUE(vm_log_has("\"path\":\"" TEST_DIR "/target\"",
			       "\"rule\":\"clerk-never-records\"", 15000));
	EXPECT_FALSE(vm_log_has("\"path\":\"" TEST_DIR "/target\"",
				"\"fold\":\"rule\"", 0));
}

TEST_HARNESS_MAIN
