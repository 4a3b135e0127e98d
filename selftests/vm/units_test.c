// SPDX-License-Identifier: GPL-2.0-only
/*
 * Subjects bound to systemd units, on the real hooks: a policy binds
 * ehr-*.service and clerk-*.service; the test creates their cgroups under
 * system.slice as systemd does (mkdir, move a child in, exec) and abacd's
 * cgroup watch tags each the moment it appears.  A restart (rmdir, mkdir)
 * comes back tagged, a name that matches no binding stays untagged, and a
 * cgroup tagged by hand comes back with its tags when created again.
 *
 * The guest runs no systemd: nothing else lives under system.slice, and
 * the test removes what it made.
 */
#include "kselftest_harness.h"
#include "vm_common.h"

#define SLICE		CG_MOUNT "/system.slice"
#define RECORD		TEST_DIR "/chart.txt"

/* The schema and rule of the policies below, after their name. */
#define UNITS_BODY \
	"mode: enforce\n" \
	"default: deny\n" \
	"attributes:\n" \
	"  subject:\n" \
	"    role: {type: string, values: [ehr, clerk, nurse]}\n" \
	"  object:\n" \
	"    type: {type: string, values: [record]}\n" \
	"rules:\n" \
	"  - id: ehr-reads-records\n" \
	"    nlp: \"The EHR service and nurses may read patient records.\"\n" \
	"    effect: allow\n" \
	"    ops: [read]\n" \
	"    subject: {role: [ehr, nurse]}\n" \
	"    object: {type: record}\n"

static const char units_policy[] =
	"version: 1\n"
	"name: vm-units\n"
	UNITS_BODY
	"subjects:\n"
	"  - unit: ehr-*.service\n"
	"    attributes: {role: ehr}\n"
	"  - unit: clerk-*.service\n"
	"    attributes: {role: clerk}\n";

/* The same, binding also a parent delegated to a user (below). */
#define DELEG		TEST_CG_ROOT "/deleg"
static const char deleg_policy[] =
	"version: 1\n"
	"name: vm-units-deleg\n"
	UNITS_BODY
	"subjects:\n"
	"  - cgroup: /abac-test/deleg/app-*\n"
	"    attributes: {role: ehr}\n";

/* The same, binding clerks in a slice that does not exist yet. */
#define LATE		TEST_CG_ROOT "/late.slice"
static const char late_policy[] =
	"version: 1\n"
	"name: vm-units-late\n"
	UNITS_BODY
	"subjects:\n"
	"  - cgroup: /abac-test/late.slice/clerk-*\n"
	"    attributes: {role: clerk}\n";

/*
 * The policy after the test: binding nothing, and without the attribute
 * the bindings gave, so that the cgroups they tagged must lose their tags
 * for it to apply.
 */
static const char unbound_policy[] =
	"version: 1\n"
	"name: vm-units-done\n"
	"attributes:\n"
	"  subject:\n"
	"    job: {type: string, values: [nurse]}\n"
	"  object:\n"
	"    type: {type: string, values: [record]}\n"
	"rules:\n"
	"  - id: nurses-read-records\n"
	"    nlp: \"Nurses may read patient records.\"\n"
	"    effect: allow\n"
	"    ops: [read]\n"
	"    subject: {job: nurse}\n"
	"    object: {type: record}\n";

static __u64 mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The id of the cgroup at @path (its inode number), or 0. */
static __u64 cg_id(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : st.st_ino;
}

/*
 * Does abacd's subject list tag cgroup @path, under its present id, with
 * @tags (NULL: is it untagged under its present id)?
 */
static bool listed(const char *path, const char *tags)
{
	char out[16384], want[PATH_MAX + 128];
	const char *at, *t;

	if (vm_sh_out(out, sizeof(out), "abac subject list --json"))
		return false;
	snprintf(want, sizeof(want), "\"cgroup\":\"%s\",\"cgroup_id\":%llu,",
		 path, (unsigned long long)cg_id(path));
	at = strstr(out, want);
	if (!tags || !at)
		return !tags && !at;
	/* the tags of this entry: before the object's end */
	t = strstr(at, "\"tags\":\"");
	if (!t || (strchr(at, '}') && t > strchr(at, '}')))
		return false;
	t += strlen("\"tags\":\"");
	return !strncmp(t, tags, strlen(tags)) && t[strlen(tags)] == '"';
}

/*
 * mkdir @path and wait until abacd tags it with @tags; the
 * microseconds from the mkdir to the tags being listed, or 0 when they
 * are not within 10 s.
 */
static __u64 mkdir_tagged(const char *path, const char *tags)
{
	__u64 t0 = mono_us();
	int i;

	if (mkdir(path, 0755))
		return 0;
	for (i = 0; i < 1000; i++) {
		if (listed(path, tags))
			return mono_us() - t0 ? mono_us() - t0 : 1;
		vm_msleep(10);
	}
	return 0;
}

/*
 * What systemd does to start a service: a child moved into the unit's
 * cgroup, then exec.  Here the exec'd program is cat, reading @file:
 * returns its exit status (0: it read the file).
 */
static int start_in(const char *cg, const char *file)
{
	char procs[PATH_MAX];
	pid_t pid;
	int fd;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
		fd = open(procs, O_WRONLY);
		if (fd < 0 || write(fd, "0", 1) != 1)
			_exit(250);
		close(fd);
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		dup2(fd, 2);
		execlp("cat", "cat", file, (char *)NULL);
		_exit(127);
	}
	return vm_wait_exit(pid);
}

/* The delay_us of the event line that says @path was tagged, or -1. */
static long long tagged_delay_us(const char *path)
{
	char *log = vm_read_file(AGENT_LOG), *line, *save = NULL, *at;
	char want[PATH_MAX + 16];
	long long us = -1;

	snprintf(want, sizeof(want), "\"cgroup\":\"%s\"", path);
	for (line = log ? strtok_r(log, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		at = strstr(line, "\"delay_us\":");
		if (strstr(line, "\"decision\":\"tagged\"") &&
		    strstr(line, want) && at)
			us = atoll(at + strlen("\"delay_us\":"));
	}
	free(log);
	return us;
}

FIXTURE(units) {
	int unused;
};

FIXTURE_SETUP(units)
{
	ASSERT_EQ(0, vm_setup());
	vm_sh("rmdir " SLICE "/*.service 2>/dev/null");
	mkdir(SLICE, 0755);
	ASSERT_EQ(0, vm_apply("units", units_policy));
	ASSERT_EQ(0, vm_mkfile(RECORD, "heart\n", "type=record"));
}

FIXTURE_TEARDOWN(units)
{
	/* a test that failed with abacd stopped must not leave it so */
	vm_sh("kill -CONT $(pidof abacd) 2>/dev/null");
	/* the units' cgroups and theirs below them, deepest first */
	vm_sh("find " SLICE " " TEST_CG_ROOT " -mindepth 1 -depth -type d"
	      " -exec rmdir {} \\; 2>/dev/null");
	vm_apply("unbound", unbound_policy);
}

TEST_F(units, a_unit_started_after_the_policy_is_tagged_by_its_binding)
{
	__u64 us;

	us = mkdir_tagged(SLICE "/ehr-a.service", "role=ehr");
	ASSERT_NE(0ULL, us);
	TH_LOG("ehr-a.service: mkdir to tags listed in %llu us",
	       (unsigned long long)us);
	EXPECT_EQ(0, start_in(SLICE "/ehr-a.service", RECORD));
	us = mkdir_tagged(SLICE "/clerk-a.service", "role=clerk");
	ASSERT_NE(0ULL, us);
	EXPECT_EQ(1, start_in(SLICE "/clerk-a.service", RECORD));
	EXPECT_TRUE(vm_log_has("\"decision\":\"tagged\"",
			       "\"cgroup\":\"" SLICE "/ehr-a.service\"", 5000));
	TH_LOG("ehr-a.service: the watch seeing it to the swap: %lld us",
	       tagged_delay_us(SLICE "/ehr-a.service"));
	EXPECT_TRUE(vm_log_has("\"path\":\"" RECORD "\"",
			       "\"cgroup\":\"" SLICE "/clerk-a.service\"",
			       5000));
}

TEST_F(units, a_restarted_unit_is_tagged_again_under_its_new_id)
{
	__u64 first, us;

	ASSERT_NE(0ULL, mkdir_tagged(SLICE "/ehr-b.service", "role=ehr"));
	first = cg_id(SLICE "/ehr-b.service");
	EXPECT_EQ(0, start_in(SLICE "/ehr-b.service", RECORD));
	/* systemctl restart: the cgroup goes and comes back */
	ASSERT_EQ(0, rmdir(SLICE "/ehr-b.service"));
	us = mkdir_tagged(SLICE "/ehr-b.service", "role=ehr");
	ASSERT_NE(0ULL, us);
	TH_LOG("restart: mkdir to tags listed in %llu us",
	       (unsigned long long)us);
	EXPECT_NE(first, cg_id(SLICE "/ehr-b.service"));
	EXPECT_EQ(0, start_in(SLICE "/ehr-b.service", RECORD));
	/* the clerk's unit too: denied again after its restart */
	ASSERT_NE(0ULL, mkdir_tagged(SLICE "/clerk-b.service", "role=clerk"));
	ASSERT_EQ(0, rmdir(SLICE "/clerk-b.service"));
	ASSERT_NE(0ULL, mkdir_tagged(SLICE "/clerk-b.service", "role=clerk"));
	EXPECT_EQ(1, start_in(SLICE "/clerk-b.service", RECORD));
}

TEST_F(units, a_name_no_binding_matches_stays_untagged)
{
	ASSERT_NE(0ULL, mkdir_tagged(SLICE "/ehr-c.service", "role=ehr"));
	/* created after ehr-c: the watch saw both, tagged only ehr-c */
	ASSERT_EQ(0, mkdir(SLICE "/ehr.service", 0755));
	ASSERT_EQ(0, mkdir(SLICE "/ehr-c.service/ehr-d.service", 0755));
	ASSERT_EQ(0, vm_mkcg("ehr-e.service"));
	ASSERT_NE(0ULL, mkdir_tagged(SLICE "/clerk-c.service", "role=clerk"));
	EXPECT_TRUE(listed(SLICE "/ehr.service", NULL));
	EXPECT_TRUE(listed(TEST_CG_ROOT "/ehr-e.service", NULL));
	/* below a bound cgroup: the parent's tags, not a binding's own */
	EXPECT_TRUE(listed(SLICE "/ehr-c.service/ehr-d.service", NULL));
	/* untagged: not decided at all, so the read is not refused */
	EXPECT_EQ(0, start_in(SLICE "/ehr.service", RECORD));
	rmdir(SLICE "/ehr-c.service/ehr-d.service");
}

TEST_F(units, a_cgroup_tagged_by_hand_comes_back_tagged)
{
	ASSERT_EQ(0, vm_tag("ward", "role=nurse"));
	ASSERT_TRUE(listed(TEST_CG_ROOT "/ward", "role=nurse"));
	ASSERT_EQ(0, rmdir(TEST_CG_ROOT "/ward"));
	ASSERT_NE(0ULL, mkdir_tagged(TEST_CG_ROOT "/ward", "role=nurse"));
	EXPECT_EQ(0, start_in(TEST_CG_ROOT "/ward", RECORD));
	EXPECT_TRUE(vm_log_has("\"decision\":\"tagged\"",
			       "\"reason\":\"path\"", 5000));
	EXPECT_EQ(0, vm_untag("ward"));
}

/*
 * A user's own cgroup never takes a binding.  In a subtree delegated to
 * uid 1000 (its directory theirs, as systemd delegates user@.service), a
 * cgroup root makes with a bound name is tagged, and one the user makes
 * with a bound name stays untagged, also after the next rebuild.
 */
TEST_F(units, a_cgroup_a_user_makes_in_a_delegated_subtree_is_never_bound)
{
	struct stat st;
	pid_t pid;

	ASSERT_EQ(0, mkdir(DELEG, 0755));
	ASSERT_EQ(0, chown(DELEG, 1000, 1000));
	ASSERT_EQ(0, vm_apply("deleg", deleg_policy));
	/* the positive control: the watch and the binding work here */
	ASSERT_NE(0ULL, mkdir_tagged(DELEG "/app-root", "role=ehr"));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (setgid(1000) || setuid(1000))
			_exit(250);
		_exit(mkdir(DELEG "/app-user", 0755) ? 251 : 0);
	}
	ASSERT_EQ(0, vm_wait_exit(pid));
	ASSERT_EQ(0, stat(DELEG "/app-user", &st));
	ASSERT_EQ(1000U, (unsigned int)st.st_uid);	/* the user's own */
	vm_msleep(2000);	/* ten times what tagging takes here */
	EXPECT_TRUE(listed(DELEG "/app-user", NULL));
	/* a rebuild (the next tag) looks at the tree again: still not */
	ASSERT_EQ(0, vm_tag("other", "role=nurse"));
	EXPECT_TRUE(listed(DELEG "/app-user", NULL));
	EXPECT_TRUE(listed(DELEG "/app-root", "role=ehr"));
	vm_untag("other");
	rmdir(DELEG "/app-user");
	rmdir(DELEG "/app-root");
	rmdir(DELEG);
}

/*
 * A service tagged by hand that restarts while something else rebuilds
 * the image (here another tag) keeps its tags for when it comes back.
 */
TEST_F(units, a_cgroup_tagged_by_hand_keeps_its_tags_across_a_rebuild_while_gone)
{
	char out[4096];

	ASSERT_EQ(0, vm_tag("ward", "role=nurse"));
	ASSERT_EQ(0, rmdir(TEST_CG_ROOT "/ward"));
	ASSERT_EQ(0, vm_tag("other", "role=nurse"));	/* a rebuild */
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac subject list"));
	EXPECT_NE(NULL, strstr(out, "absent")) TH_LOG("%s", out);
	ASSERT_NE(0ULL, mkdir_tagged(TEST_CG_ROOT "/ward", "role=nurse"));
	EXPECT_EQ(0, start_in(TEST_CG_ROOT "/ward", RECORD));
	EXPECT_EQ(0, vm_untag("ward"));
	EXPECT_EQ(0, vm_untag("other"));
}

/*
 * A removed cgroup kept for its return does not hold a policy back: one
 * whose schema its tags do not fit applies, and the kept tags go.  A
 * present cgroup whose tags do not fit still refuses the policy.
 */
TEST_F(units, a_gone_cgroup_whose_tags_no_longer_fit_is_forgotten)
{
	char out[4096];

	ASSERT_EQ(0, vm_tag("ward", "role=nurse"));
	ASSERT_EQ(0, vm_tag("other", "role=nurse"));
	ASSERT_EQ(0, rmdir(TEST_CG_ROOT "/ward"));
	/* "other" is here and does not fit: the apply is refused */
	EXPECT_NE(0, vm_apply("unbound", unbound_policy));
	ASSERT_EQ(0, vm_untag("other"));
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac subject list"));
	EXPECT_NE(NULL, strstr(out, "absent")) TH_LOG("%s", out);
	/* only the gone "ward" is left: it does not hold the apply back */
	ASSERT_EQ(0, vm_apply("unbound", unbound_policy));
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac subject list"));
	EXPECT_EQ(NULL, strstr(out, TEST_CG_ROOT "/ward")) TH_LOG("%s", out);
	EXPECT_EQ(0, mkdir(TEST_CG_ROOT "/ward", 0755));
	vm_msleep(1000);	/* more than tagging again takes here */
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac subject list"));
	EXPECT_EQ(NULL, strstr(out, TEST_CG_ROOT "/ward")) TH_LOG("%s", out);
}

TEST_F(units, a_bound_cgroup_is_untagged_only_by_the_policy)
{
	char out[4096];

	ASSERT_NE(0ULL, mkdir_tagged(SLICE "/ehr-f.service", "role=ehr"));
	ASSERT_NE(0ULL, mkdir_tagged(SLICE "/ehr-g.service", "role=ehr"));
	EXPECT_EQ(1, vm_sh_out(out, sizeof(out),
			       "abac subject untag " SLICE "/ehr-f.service"));
	EXPECT_NE(NULL, strstr(out, "binding")) TH_LOG("%s", out);
	/* tags given by hand win over the binding's, and are saved */
	EXPECT_EQ(0, vm_sh("abac subject tag " SLICE
			   "/ehr-f.service role=nurse >/dev/null"));
	EXPECT_TRUE(listed(SLICE "/ehr-f.service", "role=nurse"));
	EXPECT_EQ(0, vm_sh("abac subject untag " SLICE
			   "/ehr-f.service >/dev/null"));
	EXPECT_TRUE(listed(SLICE "/ehr-f.service", "role=ehr"));
	/* a policy without the binding (nor its attribute) untags it */
	ASSERT_EQ(0, vm_apply("unbound", unbound_policy));
	EXPECT_TRUE(listed(SLICE "/ehr-f.service", NULL));
	EXPECT_TRUE(listed(SLICE "/ehr-g.service", NULL));
}

/* How many lines of abacd's stderr hold @what. */
static int agent_said(const char *what)
{
	char *log = vm_read_file(AGENT_STDERR), *p;
	int n = 0;

	for (p = log; p && (p = strstr(p, what)); p++)
		n++;
	free(log);
	return n;
}

TEST_F(units, a_restarted_agent_finds_the_bound_cgroups_again)
{
	int verified;

	ASSERT_NE(0ULL, mkdir_tagged(SLICE "/ehr-h.service", "role=ehr"));
	/* nothing changed meanwhile: the image in force is the one it builds */
	verified = agent_said("verified against the kernel");
	vm_agent_kill9();
	ASSERT_LT(0, vm_agent_start());
	EXPECT_EQ(verified + 1, agent_said("verified against the kernel"));
	EXPECT_TRUE(listed(SLICE "/ehr-h.service", "role=ehr"));
	/* a unit started while no agent ran is tagged when it starts */
	vm_agent_kill9();
	ASSERT_EQ(0, mkdir(SLICE "/ehr-i.service", 0755));
	ASSERT_LT(0, vm_agent_start());
	EXPECT_TRUE(listed(SLICE "/ehr-i.service", "role=ehr"));
	EXPECT_EQ(0, start_in(SLICE "/ehr-i.service", RECORD));
	EXPECT_TRUE(listed(SLICE "/ehr-h.service", "role=ehr"));
}

/*
 * Start a clerk's unit @n times, each in a fresh cgroup, as systemd does:
 * mkdir, at once a child moved in, exec, the labelled record opened;
 * no wait for abacd.  How many of the opens were refused.
 */
static int clerks_refused(const char *fmt, int n)
{
	char cg[PATH_MAX];
	int i, refused = 0;

	for (i = 0; i < n; i++) {
		snprintf(cg, sizeof(cg), fmt, i);
		if (mkdir(cg, 0755))
			continue;
		refused += start_in(cg, RECORD) == 1;
	}
	return refused;
}

/*
 * The kernel matches a bound unit's cgroup by its parent and name from
 * the moment it is made: a clerk's first open is refused, twenty times
 * in a row with fresh cgroups, before abacd's watch could tag them (it
 * takes 150-370 ms here), and then as abacd lists them.  A restart
 * (rmdir, mkdir) is decided at once too.
 */
TEST_F(units, a_bound_unit_is_decided_from_its_first_open)
{
	char cg[PATH_MAX];
	int i;

	EXPECT_EQ(20, clerks_refused(SLICE "/clerk-w%d.service", 20));
	EXPECT_TRUE(vm_log_has("\"path\":\"" RECORD "\"",
			       "\"cgroup\":\"" SLICE "/clerk-w0.service\"",
			       5000));
	for (i = 0; i < 20; i++) {
		snprintf(cg, sizeof(cg), SLICE "/clerk-w%d.service", i);
		EXPECT_TRUE(listed(cg, "role=clerk")) TH_LOG("%s", cg);
	}
	/* systemctl restart: the cgroup goes and comes back */
	for (i = 0; i < 5; i++) {
		snprintf(cg, sizeof(cg), SLICE "/clerk-w%d.service", i);
		ASSERT_EQ(0, rmdir(cg));
	}
	EXPECT_EQ(5, clerks_refused(SLICE "/clerk-w%d.service", 5));
	/* the positive control: the ehr unit reads at once */
	ASSERT_EQ(0, mkdir(SLICE "/ehr-w.service", 0755));
	EXPECT_EQ(0, start_in(SLICE "/ehr-w.service", RECORD));
}

/*
 * The same with abacd stopped (SIGSTOP: no watch, no rebuild): the image
 * in force still matches the units by name.  A name no binding matches
 * stays untagged (not decided: its read is not refused), as does a bound
 * name under another parent.  The refusals are reported once abacd runs.
 */
TEST_F(units, a_bound_unit_is_decided_with_abacd_stopped)
{
	ASSERT_EQ(0, vm_sh("kill -STOP $(pidof abacd)"));
	EXPECT_EQ(20, clerks_refused(SLICE "/clerk-s%d.service", 20));
	EXPECT_EQ(0, mkdir(SLICE "/clerk.service", 0755));
	EXPECT_EQ(0, start_in(SLICE "/clerk.service", RECORD));
	EXPECT_EQ(0, mkdir(TEST_CG_ROOT "/clerk-s.service", 0755));
	EXPECT_EQ(0, start_in(TEST_CG_ROOT "/clerk-s.service", RECORD));
	/* a restart while abacd is stopped */
	EXPECT_EQ(0, rmdir(SLICE "/clerk-s0.service"));
	EXPECT_EQ(1, clerks_refused(SLICE "/clerk-s%d.service", 1));
	ASSERT_EQ(0, vm_sh("kill -CONT $(pidof abacd)"));
	EXPECT_TRUE(vm_log_has("\"path\":\"" RECORD "\"",
			       "clerk-s19.service\"", 10000));
	EXPECT_TRUE(listed(SLICE "/clerk.service", NULL));
}

/*
 * A unit that makes cgroups of its own below its cgroup (Delegate=, a
 * container runtime, a worker pool) is decided from the first open of a
 * process in them too: the kernel walks up to the bound unit's cgroup and
 * matches it by name, with abacd stopped so that nothing else can.  Ten
 * clerk units, each with a child and a grandchild made at once and a
 * reader started in the deepest: all refused; the ehr unit's reads.
 */
TEST_F(units, a_cgroup_below_a_bound_unit_is_decided_from_its_first_open)
{
	char cg[PATH_MAX];
	int i, refused = 0;

	ASSERT_EQ(0, vm_sh("kill -STOP $(pidof abacd)"));
	for (i = 0; i < 10; i++) {
		snprintf(cg, sizeof(cg), SLICE "/clerk-d%d.service", i);
		ASSERT_EQ(0, mkdir(cg, 0755));
		strcat(cg, "/pool");
		ASSERT_EQ(0, mkdir(cg, 0755));
		strcat(cg, "/worker");
		ASSERT_EQ(0, mkdir(cg, 0755));
		refused += start_in(cg, RECORD) == 1;
	}
	EXPECT_EQ(10, refused);
	ASSERT_EQ(0, mkdir(SLICE "/ehr-d.service", 0755));
	ASSERT_EQ(0, mkdir(SLICE "/ehr-d.service/pool", 0755));
	EXPECT_EQ(0, start_in(SLICE "/ehr-d.service/pool", RECORD));
	ASSERT_EQ(0, vm_sh("kill -CONT $(pidof abacd)"));
}

/*
 * A binding whose parent does not exist when the policy is applied (a
 * slice made later) is not in the image's table; abacd watches for the
 * parent through its nearest existing ancestor and rebuilds the image
 * the moment it appears, so that a unit made in it afterwards is decided
 * from its first open, with abacd stopped by then.  The same after the
 * slice is removed and made again (a new id).  What stays open: a unit
 * made before that rebuild (here 0.1 to 0.4 s) is tagged by the watch.
 */
TEST_F(units, a_binding_whose_parent_comes_later_is_matched_once_it_appears)
{
	char out[16384];
	int round;

	ASSERT_EQ(0, vm_apply("late", late_policy));
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac policy show"));
	EXPECT_EQ(NULL, strstr(out, "bindings:")) TH_LOG("%s", out);
	for (round = 0; round < 2; round++) {
		ASSERT_EQ(0, mkdir(LATE, 0755));
		EXPECT_TRUE(vm_image_binds_under(LATE, 10000)) {
			vm_sh("abac policy show | grep -A3 '^bindings'; tail -5 " AGENT_STDERR);
		}
		ASSERT_EQ(0, vm_sh("kill -STOP $(pidof abacd)"));
		ASSERT_EQ(0, mkdir(LATE "/clerk-a.service", 0755));
		EXPECT_EQ(1, start_in(LATE "/clerk-a.service", RECORD))
			TH_LOG("round %d", round);
		ASSERT_EQ(0, mkdir(LATE "/ehr-a.service", 0755));
		EXPECT_EQ(0, start_in(LATE "/ehr-a.service", RECORD));
		ASSERT_EQ(0, vm_sh("kill -CONT $(pidof abacd)"));
		EXPECT_TRUE(vm_log_has("\"path\":\"" RECORD "\"",
				       "\"cgroup\":\"" LATE "/clerk-a.service\"",
				       10000));
		/* the slice goes, and comes back under a new id */
		ASSERT_EQ(0, rmdir(LATE "/clerk-a.service"));
		ASSERT_EQ(0, rmdir(LATE "/ehr-a.service"));
		ASSERT_EQ(0, rmdir(LATE));
	}
	/* the rebuilds, with their delay, for the record */
	EXPECT_EQ(0, vm_sh("grep 'a parent cgroup a binding names appeared: generation' " AGENT_STDERR " >&2"));
}

TEST_HARNESS_MAIN
