// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nothing lost when abacd dies: SIGKILL at varying points of a policy
 * apply and while events flow, a lost or damaged state directory, a full
 * ring buffer.  Enforcement must never lapse, the policy in force must be
 * wholly the old or wholly the new one (and stay the same across the
 * restart), every queued event must reach the log and a subscriber, and
 * events the ring buffer could not hold must be counted and reported.
 */
#include "kselftest_harness.h"
#include <bpf/bpf.h>

#include "vm_common.h"

#define POLICY(name, allowed)						\
	"version: 1\n"							\
	"name: " name "\n"						\
	"mode: enforce\n"						\
	"default: deny\n"						\
	"attributes:\n"							\
	"  subject:\n"							\
	"    role: {type: string, values: [worker]}\n"			\
	"  object:\n"							\
	"    type: {type: string, values: [alpha, beta, never]}\n"	\
	"rules:\n"							\
	"  - id: workers-read-" allowed "\n"				\
	"    nlp: \"Workers may read " allowed " files.\"\n"		\
	"    effect: allow\n"						\
	"    ops: [read]\n"						\
	"    subject: {role: worker}\n"					\
	"    object: {type: " allowed "}\n"

static const char policy_a[] = POLICY("crash-a", "alpha");
/* policy a, every denial a record of its own: a ring that can fill */
static const char policy_nofold[] = POLICY("crash-nofold", "alpha")
	"events: {fold-window: 0}\n";
static const char policy_b[] = POLICY("crash-b", "beta");

#define ALPHA	TEST_DIR "/alpha.txt"
#define BETA	TEST_DIR "/beta.txt"
#define NEVER	TEST_DIR "/never.txt"
#define BURST	900	/* denials: less than either backend's queue holds */

/* 'a' or 'b': which policy the kernel enforces, judged by real opens. */
static char enforced(struct __test_metadata *_metadata)
{
	int a = vm_probe_open("worker", ALPHA, O_RDONLY);
	int b = vm_probe_open("worker", BETA, O_RDONLY);

	/* never both (a lapse) nor neither (a half image) */
	EXPECT_TRUE((a == 0 && b == EACCES) || (a == EACCES && b == 0))
		TH_LOG("alpha %d, beta %d", a, b);
	/* and what no policy allows stays refused */
	EXPECT_EQ(EACCES, vm_probe_open("worker", NEVER, O_RDONLY));
	return a == 0 ? 'a' : 'b';
}

/* The policy abacd says is in force: 'a', 'b' or '?'. */
static char reported(void)
{
	char out[4096];

	if (vm_sh_out(out, sizeof(out), "abac status"))
		return '?';
	if (strstr(out, "crash-a"))
		return 'a';
	if (strstr(out, "crash-b"))
		return 'b';
	return '?';
}

/* Start "abac policy apply" in the background; return its pid. */
static pid_t apply_async(const char *file)
{
	pid_t pid = fork();

	if (!pid) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		dup2(fd, 2);
		execlp("abac", "abac", "policy", "apply", file, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Deny opens of @n distinct files from the tagged cgroup. */
static pid_t deny_async(const char *prefix, int n)
{
	pid_t pid = fork();
	char path[PATH_MAX];
	int i, fd;

	if (pid)
		return pid;
	fd = open(TEST_CG_ROOT "/worker/cgroup.procs", O_WRONLY);
	if (fd < 0 || write(fd, "0", 1) != 1)
		_exit(250);
	close(fd);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s%d", prefix, i);
		fd = open(path, O_RDONLY);
		if (fd >= 0)
			_exit(251);	/* a lapse */
		vm_msleep(5);	/* keep events flowing across the kill */
	}
	_exit(0);
}

FIXTURE(crash) {
	int unused;
};

FIXTURE_SETUP(crash)
{
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_write_file(TEST_DIR "/a.yaml", policy_a));
	ASSERT_EQ(0, vm_write_file(TEST_DIR "/b.yaml", policy_b));
	ASSERT_EQ(0, vm_apply("a", policy_a));
	ASSERT_EQ(0, vm_mkfile(ALPHA, "a\n", "type=alpha"));
	ASSERT_EQ(0, vm_mkfile(BETA, "b\n", "type=beta"));
	ASSERT_EQ(0, vm_mkfile(NEVER, "n\n", "type=never"));
	ASSERT_EQ(0, vm_tag("worker", "role=worker"));
	ASSERT_EQ('a', enforced(_metadata));
}

FIXTURE_TEARDOWN(crash)
{
	if (!vm_agent_up())
		vm_agent_start();
	vm_untag("worker");
}

TEST_F_TIMEOUT(crash, sigkill_during_applies_leaves_a_whole_policy_that_survives_restart,
	       600)
{
	char before, after;
	pid_t pid;
	int i;

	/*
	 * Six rounds, each killing at a different point of the apply
	 * (0, 97, 194, 291, 388 and 85 ms in): each costs an agent start.
	 */
	for (i = 0; i < 6; i++) {
		pid = apply_async(i % 2 ? TEST_DIR "/a.yaml" : TEST_DIR "/b.yaml");
		ASSERT_LT(0, pid);
		vm_msleep((i * 97) % 400);
		vm_agent_kill9();
		waitpid(pid, NULL, 0);
		before = enforced(_metadata);
		ASSERT_LT(0, vm_agent_start());
		after = enforced(_metadata);
		ASSERT_EQ(before, after) TH_LOG("round %d", i);
		ASSERT_EQ(after, reported()) TH_LOG("round %d", i);
	}
}

TEST_F_TIMEOUT(crash, sigkill_while_events_flow_loses_no_event, 600)
{
	char path[PATH_MAX], *hist;
	int i, st, missing = 0;
	pid_t gen;

	for (i = 0; i < 200; i++) {
		snprintf(path, sizeof(path), TEST_DIR "/ev-%d", i);
		ASSERT_EQ(0, vm_mkfile(path, "x\n", "type=never"));
	}
	gen = deny_async(TEST_DIR "/ev-", 200);
	ASSERT_LT(0, gen);
	vm_msleep(300);
	vm_agent_kill9();
	ASSERT_EQ(gen, waitpid(gen, &st, 0));
	ASSERT_EQ(0, WEXITSTATUS(st));	/* every open refused, agent or not */
	ASSERT_LT(0, vm_agent_start());
	ASSERT_TRUE(vm_log_has("\"" TEST_DIR "/ev-199\"", NULL, 60000));
	for (i = 0; i < 200; i++) {
		snprintf(path, sizeof(path), "\"" TEST_DIR "/ev-%d\"", i);
		if (!vm_log_has(path, "\"reason\":\"default\"", 0))
			missing++;
	}
	ASSERT_EQ(0, missing);
	/* a subscriber that connects after the restart gets them too */
	hist = malloc(1 << 20);
	ASSERT_NE(NULL, hist);
	ASSERT_EQ(0, vm_sh_out(hist, 1 << 20, "abac events"));
	for (i = 0; i < 200; i++) {
		snprintf(path, sizeof(path), TEST_DIR "/ev-%d ", i);
		if (!strstr(hist, path))
			missing++;
	}
	free(hist);
	ASSERT_EQ(0, missing);
}

/* Which of @n files "PREFIXi" the log names in a line that has @also. */
static int log_names(const char *prefix, int n, const char *also,
		     bool *seen)
{
	char *log = vm_read_file(AGENT_LOG), *line, *next, *p;
	int found = 0;
	long i;

	memset(seen, 0, n * sizeof(*seen));
	if (!log)
		return -1;
	for (line = log; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		p = strstr(line, prefix);
		if (!p || !strstr(line, also))
			continue;
		i = strtol(p + strlen(prefix), &p, 10);
		if (*p == '"' && i >= 0 && i < n && !seen[i]) {
			seen[i] = true;
			found++;
		}
	}
	free(log);
	return found;
}

/*
 * Records that went to the agent's backlog (a burst the ring could not
 * wait for) are in a file, no longer in the ring: a kill while they are
 * being logged loses none, and the next agent logs them before anything
 * newer.  The agent is stopped while a burst fills the ring, then let go
 * and killed as it works through it; ABACD_BACKLOG_AT=0 sends every
 * record through the backlog, and every denial is a record of its own.
 */
TEST_F_TIMEOUT(crash, sigkill_while_the_backlog_is_logged_loses_no_event,
	       600)
{
	static bool seen[BURST];
	char path[PATH_MAX], out[4096];
	int i, st;
	pid_t gen;

	for (i = 0; i < BURST; i++) {
		snprintf(path, sizeof(path), TEST_DIR "/bl-%d", i);
		ASSERT_EQ(0, vm_mkfile(path, "x\n", "type=never"));
	}
	ASSERT_EQ(0, vm_apply("nofold", policy_nofold));
	vm_agent_kill9();
	ASSERT_EQ(0, setenv("ABACD_BACKLOG_AT", "0", 1));
	ASSERT_LT(0, vm_agent_start());
	ASSERT_EQ(0, vm_sh("kill -STOP $(pidof abacd)"));
	gen = fork();
	ASSERT_LE(0, gen);
	if (!gen) {
		int fd = open(TEST_CG_ROOT "/worker/cgroup.procs", O_WRONLY);

		if (fd < 0 || write(fd, "0", 1) != 1)
			_exit(250);
		close(fd);
		for (i = 0; i < BURST; i++) {
			snprintf(path, sizeof(path), TEST_DIR "/bl-%d", i);
			if (open(path, O_RDONLY) >= 0)
				_exit(251);	/* a lapse */
		}
		_exit(0);
	}
	ASSERT_EQ(gen, waitpid(gen, &st, 0));
	ASSERT_EQ(0, WEXITSTATUS(st));
	ASSERT_EQ(0, vm_sh("kill -CONT $(pidof abacd)"));
	vm_msleep(60);
	vm_agent_kill9();
	ASSERT_LT(0, vm_agent_start());
	snprintf(path, sizeof(path), "\"" TEST_DIR "/bl-%d\"", BURST - 1);
	ASSERT_TRUE(vm_log_has(path, NULL, 120000));
	EXPECT_EQ(BURST, log_names("\"" TEST_DIR "/bl-", BURST,
				   "\"reason\":\"default\"", seen));
	/* whether the kill found records in the backlog (it usually does) */
	if (!vm_sh_out(out, sizeof(out), "grep -F 'in the backlog' "
		       AGENT_STDERR " | tail -1"))
		TH_LOG("%s", out);
	/* the agents after this one read the ring directly again */
	vm_agent_kill9();
	unsetenv("ABACD_BACKLOG_AT");
	ASSERT_LT(0, vm_agent_start());
}

/*
 * A kill can stop the agent's write() of a batch between two pages and
 * leave a torn last line; its events come again from the kernel, so the
 * next agent cuts it rather than glue its own first line onto it.
 */
TEST_F_TIMEOUT(crash, a_torn_last_line_is_cut_before_the_next_agent_appends,
	       300)
{
	static const char torn[] = "{\"event\":\"deny\",\"path\":\""
				   TEST_DIR "/torn-half";
	char *log, *last;
	int fd;

	vm_agent_kill9();
	fd = open(AGENT_LOG, O_WRONLY | O_APPEND);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)strlen(torn), write(fd, torn, strlen(torn)));
	close(fd);
	ASSERT_LT(0, vm_agent_start());
	/* a denial of its own, which no earlier line can stand for */
	ASSERT_EQ(0, vm_mkfile(TEST_DIR "/after-torn", "n\n", "type=never"));
	ASSERT_EQ(EACCES, vm_probe_open("worker", TEST_DIR "/after-torn",
					O_RDONLY));
	ASSERT_TRUE(vm_log_has("\"" TEST_DIR "/after-torn\"",
			       "\"reason\":\"default\"", 10000));
	log = vm_read_file(AGENT_LOG);
	ASSERT_NE(NULL, log);
	EXPECT_EQ(NULL, strstr(log, "torn-half"));
	/* every line whole: each begins a JSON object */
	for (last = log; *last; last = strchr(last, '\n') + 1) {
		EXPECT_EQ('{', *last);
		if (!strchr(last, '\n'))
			break;
	}
	EXPECT_EQ('\n', log[strlen(log) - 1]);
	free(log);
}

/*
 * The agent keeps a copy of its state in the kernel: beside the BPF pins,
 * or in the native LSM's securityfs file "state".
 */
TEST_F_TIMEOUT(crash, lost_state_directory_is_rebuilt_from_the_kernels_copy, 300)
{
	char out[4096], *saved;

	vm_agent_kill9();
	ASSERT_EQ(0, vm_sh("rm -rf " AGENT_STATE));
	ASSERT_EQ('a', enforced(_metadata));
	ASSERT_LT(0, vm_agent_start());
	ASSERT_EQ('a', enforced(_metadata));
	ASSERT_EQ('a', reported());
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac subject list"));
	ASSERT_NE(NULL, strstr(out, "role=worker")) TH_LOG("%s", out);
	saved = vm_read_file(AGENT_STATE "/policy.yaml");
	ASSERT_NE(NULL, saved);
	ASSERT_NE(NULL, strstr(saved, "name: crash-a"));
	free(saved);
	/* and the agent manages it as before */
	ASSERT_EQ(0, vm_apply("b", policy_b));
	ASSERT_EQ('b', enforced(_metadata));
}

TEST_F_TIMEOUT(crash, damaged_state_is_verified_against_the_kernel, 300)
{
	char *saved;

	vm_agent_kill9();
	ASSERT_EQ(0, vm_write_file(AGENT_STATE "/policy.yaml",
				   "name: [unclosed\n"));
	ASSERT_EQ(0, vm_write_file(AGENT_STATE "/subjects", "garbage\n"));
	ASSERT_LT(0, vm_agent_start());
	ASSERT_EQ('a', enforced(_metadata));
	ASSERT_EQ('a', reported());
	saved = vm_read_file(AGENT_STATE "/policy.yaml");
	ASSERT_NE(NULL, saved);
	ASSERT_NE(NULL, strstr(saved, "name: crash-a"));
	free(saved);
}

/* Root in the tagged cgroup cannot SIGKILL the running agent. */
static void expect_agent_guarded(struct __test_metadata *_metadata)
{
	char out[64], what[64];
	pid_t agent;

	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "pidof abacd"));
	agent = atoi(out);
	ASSERT_LT(1, agent);
	ASSERT_EQ(1, vm_sh("echo 0 > " TEST_CG_ROOT "/worker/cgroup.procs"
			   " && kill -9 %d 2>/dev/null || exit 1", agent));
	ASSERT_TRUE(vm_agent_up());
	snprintf(what, sizeof(what), "signal 9 to pid %d", agent);
	ASSERT_TRUE(vm_log_has("\"guard\":\"signal-agent\"", what, 10000));
}

TEST_F_TIMEOUT(crash, the_guard_follows_the_restarted_agent, 300)
{
	vm_agent_kill9();
	ASSERT_LT(0, vm_agent_start());
	expect_agent_guarded(_metadata);
}

/*
 * The guard's links unpinned while no agent runs, its maps left behind:
 * the guard is detached, and the next agent attaches a new one instead
 * of failing on the stale map pins.
 */
TEST_F_TIMEOUT(crash, a_guard_whose_links_were_removed_comes_back, 300)
{
	VM_ONLY(VM_BPF, "the guard's programs are pinned links; the native guard is built in");
	vm_agent_kill9();
	ASSERT_EQ(0, vm_sh("rm " PIN_DIR "/link_guard_*"));
	ASSERT_EQ(0, vm_sh("test -e " PIN_DIR "/guard_cfg"));
	ASSERT_LT(0, vm_agent_start());
	ASSERT_EQ(0, vm_sh("test -e " PIN_DIR "/link_guard_bpf"));
	expect_agent_guarded(_metadata);
}

/*
 * Programs pinned by another version of abac (here: without the
 * "active" map this one swaps images with) are not reused blindly:
 * abacd refuses to start and says what to do; after abacd --unload it
 * loads its own programs, and its saved state puts the policy back.
 */
/* The id of the link pinned at @path, or 0. */
static __u32 link_id(const char *path)
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_obj_get(path);

	if (fd < 0)
		return 0;
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		info.id = 0;
	close(fd);
	return info.id;
}

/*
 * A tagged process opening what the policy refuses, and what it allows,
 * until STOP_FILE appears: how many times each went which way.
 */
#define STOP_FILE	TEST_DIR "/prober.stop"
struct probed {
	long refused, lapses, allowed, blocked;
};

static pid_t prober(int *rfd)
{
	struct probed r = {};
	int fds[2], fd;
	pid_t pid;

	unlink(STOP_FILE);
	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid) {
		close(fds[1]);
		*rfd = fds[0];
		return pid;
	}
	close(fds[0]);
	fd = open(TEST_CG_ROOT "/worker/cgroup.procs", O_WRONLY);
	if (fd < 0 || write(fd, "0", 1) != 1)
		_exit(250);
	close(fd);
	while (access(STOP_FILE, F_OK)) {
		fd = open(NEVER, O_RDONLY);
		if (fd >= 0) {
			r.lapses++;
			close(fd);
		} else {
			r.refused++;
		}
		fd = open(ALPHA, O_RDONLY);
		if (fd >= 0) {
			r.allowed++;
			close(fd);
		} else {
			r.blocked++;
		}
		vm_msleep(5);
	}
	_exit(write(fds[1], &r, sizeof(r)) == sizeof(r) ? 0 : 1);
}

/*
 * Programs another build pinned (an upgrade from an abac whose pins have
 * no build mark, or lack a map this build uses) are replaced by this
 * build's without a moment unenforced: both stay attached until this
 * build's policy is in force, then the old ones go.  A tagged process
 * probing all the while is refused every time, and never refused what
 * the policy allows.
 */
TEST_F_TIMEOUT(crash, programs_of_another_build_are_replaced_without_a_lapse,
	       900)
{
	static const char *const damage[] = { "build", "active" };
	char out[4096];
	struct probed r;
	__u32 before, after;
	unsigned int i;
	pid_t pid;
	int rfd, st, n;

	VM_ONLY(VM_BPF, "programs pinned by another abac build; the native LSM has no pins");
	for (i = 0; i < sizeof(damage) / sizeof(damage[0]); i++) {
		before = link_id(PIN_DIR "/link_hook_file_open");
		ASSERT_NE(0U, before);
		vm_agent_kill9();
		ASSERT_EQ(0, vm_sh("rm %s/%s", PIN_DIR, damage[i]));
		pid = prober(&rfd);
		ASSERT_LT(0, pid);
		vm_msleep(200);
		ASSERT_LT(0, vm_agent_start());
		/* the old programs go once this build's policy is in force */
		for (n = 0; n < 600 && !vm_sh("test -e " PIN_DIR "_old"); n++)
			vm_msleep(100);
		ASSERT_EQ(0, vm_write_file(STOP_FILE, "stop\n"));
		ASSERT_EQ((ssize_t)sizeof(r), read(rfd, &r, sizeof(r)));
		close(rfd);
		ASSERT_EQ(pid, waitpid(pid, &st, 0));
		TH_LOG("%s removed: %ld refused, %ld lapses, %ld allowed, %ld blocked",
		       damage[i], r.refused, r.lapses, r.allowed, r.blocked);
		EXPECT_EQ(0, r.lapses);
		EXPECT_EQ(0, r.blocked);
		EXPECT_LT(10, r.refused);
		EXPECT_NE(0, vm_sh("test -e " PIN_DIR "_old"));
		after = link_id(PIN_DIR "/link_hook_file_open");
		EXPECT_NE(0U, after);
		EXPECT_NE(before, after);	/* this build's programs now */
		ASSERT_EQ('a', enforced(_metadata));
		EXPECT_EQ('a', reported());
		EXPECT_EQ(0, vm_sh_out(out, sizeof(out), "grep -c 'another abac build' "
				       AGENT_STDERR));
	}
	/* an agent started again reuses them: nothing is replaced */
	before = link_id(PIN_DIR "/link_hook_file_open");
	vm_agent_kill9();
	ASSERT_LT(0, vm_agent_start());
	EXPECT_EQ(before, link_id(PIN_DIR "/link_hook_file_open"));
}

/* The boot-wide "events lost" counter from `abac status`, or -1. */
static long long events_lost(void)
{
	char out[4096], *p;

	if (vm_sh_out(out, sizeof(out), "abac status"))
		return -1;
	p = strstr(out, "audited, ");
	if (!p)
		return -1;
	return strtoll(p + strlen("audited, "), NULL, 10);
}

/* Last: it fills the log with thousands of lines. */
TEST_F_TIMEOUT(crash, full_ring_buffer_is_counted_and_reported, 900)
{
	long long before, after;
	int st;
	pid_t gen;

	/*
	 * The BPF ring holds 4 MiB: about 11600 events of 352 bytes; the
	 * native LSM's 1024 records.  The counter is boot-wide, so earlier
	 * tests' losses are subtracted.  Repeats are not folded here.
	 */
	ASSERT_EQ(0, vm_apply("nofold", policy_nofold));
	before = events_lost();
	ASSERT_LE(0, before);
	vm_agent_kill9();
	gen = fork();
	ASSERT_LE(0, gen);
	if (!gen) {
		int fd = open(TEST_CG_ROOT "/worker/cgroup.procs", O_WRONLY);
		int i;

		if (fd < 0 || write(fd, "0", 1) != 1)
			_exit(250);
		close(fd);
		for (i = 0; i < 14000; i++)
			if (open(NEVER, O_RDONLY) >= 0)
				_exit(251);
		_exit(0);
	}
	ASSERT_EQ(gen, waitpid(gen, &st, 0));
	ASSERT_EQ(0, WEXITSTATUS(st));
	ASSERT_LT(0, vm_agent_start());
	ASSERT_TRUE(vm_log_has("\"decision\":\"lost\"", "ring-buffer-full",
			       120000));
	after = events_lost();
	ASSERT_LE(0, after);
	TH_LOG("14000 denials with no agent: %lld lost", after - before);
	ASSERT_LT(before, after);
	ASSERT_GE(14000LL, after - before);
	/*
	 * The loss names whose records they were, on both backends.  Wait
	 * for it: the lost line awaited above may be an earlier test's (the
	 * log is the boot's), while this agent still drains the ring.
	 */
	EXPECT_TRUE(vm_log_has("\"decision\":\"lost\"",
			       "\"lost_from\":\"" TEST_CG_ROOT
			       "/worker rule - op read: ", 120000)) {
		char out[4096];

		vm_sh_out(out, sizeof(out), "grep -F '\"decision\":\"lost\"' "
			  AGENT_LOG " | tail -3");
		TH_LOG("lost lines: %s", out);
	}
	/* and the first record kept after it says how many came before */
	EXPECT_EQ(EACCES, vm_probe_open("worker", NEVER, O_RDONLY));
	EXPECT_TRUE(vm_log_has("\"lost_before\":", "\"path\":\"" NEVER "\"",
			       30000));
}

TEST_HARNESS_MAIN
