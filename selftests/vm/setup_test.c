// SPDX-License-Identifier: GPL-2.0-only
/*
 * A container runtime's set-up in a tagged cgroup, on the real hooks in
 * the guest.  A runtime (runc, crun) moves a container's first process
 * into the container's cgroup before that process makes its namespaces
 * and mounts, and execs the entrypoint last.  A policy that grants the
 * pod's subject "setup" lets such a process -- moved in by an untagged
 * parent, not yet past an execve there -- do those steps; nothing else:
 *
 *   - the same process after its execve, a process that exec'd in the
 *     tagged cgroup and its children, and a process whose cgroup was
 *     tagged after it exec'd there are refused, grant or not;
 *   - a pod whose subject lacks the grant is refused, as before;
 *   - a process of the subject that is not in set-up cannot trace, read
 *     the memory of, or reach the root of one that is.
 *
 * The "entrypoint" is this binary exec'd again through /proc/self/exe
 * with ABAC_SETUP_STEP naming what it does (setup_step(), run before
 * the harness).
 */
#include <sched.h>
#include <sys/mount.h>
#include <sys/ptrace.h>

#include "kselftest_harness.h"
#include "attempt.h"

static const char setup_policy[] =
	"version: 1\n"
	"name: vm-setup\n"
	"mode: enforce\n"
	"default: allow\n"
	"attributes:\n"
	"  subject:\n"
	"    role: {type: string, values: [nurse, clerk]}\n"
	"  object:\n"
	"    type: {type: string, values: [record]}\n"
	"rules:\n"
	"  - id: clerks-keep-off-records\n"
	"    nlp: \"Clerks may not change records.\"\n"
	"    effect: deny\n"
	"    ops: [write]\n"
	"    subject: {role: clerk}\n"
	"    object: {type: record}\n"
	"capabilities:\n"
	"  - id: pods-set-up-by-the-runtime\n"
	"    nlp: \"The container runtime may set up the containers of ward pods.\"\n"
	"    grant: [setup]\n"
	"    subject: {role: nurse}\n";

#define POD_N	"pod-n"			/* the nurse's: granted setup */
#define CTR_N	POD_N "/ctr"
#define POD_C	"pod-c"			/* the clerk's: no grant */
#define CTR_C	POD_C "/ctr"
#define LATE	"late"			/* tagged after its process exec'd */

/*
 * What a runtime does in the container's cgroup before the entrypoint
 * runs: a new mount namespace, then mounts in it.  0 or the errno.
 */
static int container_setup(void)
{
	if (unshare(CLONE_NEWNS))
		return errno;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return errno;
	return vm_rc(mount("tmpfs", TEST_DIR, "tmpfs", 0, NULL));
}

/* What the entrypoint does to process @pid, by @how; 0 or the errno. */
static int peek(pid_t pid, const char *how)
{
	char path[64], buf[PATH_MAX];
	int fd;

	if (!strcmp(how, "ptrace")) {
		if (ptrace(PTRACE_ATTACH, pid, NULL, NULL))
			return errno;
		ptrace(PTRACE_DETACH, pid, NULL, NULL);
		return 0;
	}
	if (!strcmp(how, "mem")) {
		snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return errno;
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/%d/root", (int)pid);
	return readlink(path, buf, sizeof(buf)) < 0 ? errno : 0;
}

/*
 * The entrypoint: this binary exec'd with ABAC_SETUP_STEP set, which does
 * its step and exits with its result, before the harness starts.
 */
__attribute__((constructor)) static void setup_step(void)
{
	const char *step = getenv("ABAC_SETUP_STEP");
	pid_t pid;
	char c;

	if (!step)
		return;
	if (getenv("ABAC_SETUP_READY"))	/* tell the test the execve is done */
		close(open(getenv("ABAC_SETUP_READY"), O_WRONLY | O_CREAT, 0644));
	if (!strcmp(step, "setup"))
		_exit(container_setup());
	if (!strcmp(step, "fork")) {
		pid = fork();
		if (!pid)
			_exit(container_setup());
		_exit(pid < 0 ? 251 : vm_wait_exit(pid));
	}
	if (!strcmp(step, "wait")) {	/* for a byte on fd 3 first */
		if (read(3, &c, 1) != 1)
			_exit(248);
		_exit(container_setup());
	}
	if (!strcmp(step, "sleep")) {
		pause();
		_exit(0);
	}
	if (!strcmp(step, "peek") && getenv("ABAC_PEEK_PID") &&
	    getenv("ABAC_PEEK_HOW"))
		_exit(peek(atoi(getenv("ABAC_PEEK_PID")),
			   getenv("ABAC_PEEK_HOW")));
	_exit(249);
}

/* Exec the entrypoint with @step (the caller's environment besides). */
static void exec_step(const char *step)
{
	setenv("ABAC_SETUP_STEP", step, 1);
	execl("/proc/self/exe", "setup_test", (char *)NULL);
	_exit(247);
}

/*
 * A process that joins test cgroup @cg itself (untagged until then) and
 * execs the entrypoint there with @step: not in set-up.  Its pid in
 * *@pid; with @wait, the entrypoint's fd 3 reads @wait's other end.
 */
static pid_t start_entry(const char *cg, const char *step, int wait)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	if (vm_join_cg(cg))
		_exit(250);
	if (wait >= 0 && dup2(wait, 3) != 3)
		_exit(250);
	exec_step(step);
	return 0;
}

/*
 * start_entry() with @ready named to the entrypoint, and wait until it
 * has made that file: its execve is done.  The pid, or -1.
 */
static pid_t start_entry_exec_d(const char *cg, const char *step, int wait,
				const char *ready)
{
	pid_t pid;
	int i;

	unlink(ready);
	setenv("ABAC_SETUP_READY", ready, 1);
	pid = start_entry(cg, step, wait);
	unsetenv("ABAC_SETUP_READY");
	for (i = 0; pid > 0 && i < 1000 && access(ready, F_OK); i++)
		vm_msleep(20);
	return pid > 0 && !access(ready, F_OK) ? pid : -1;
}

/* start_entry(), then its exit status. */
static int run_entry(const char *cg, const char *step, pid_t *pid)
{
	*pid = start_entry(cg, step, -1);
	return *pid < 0 ? 251 : vm_wait_exit(*pid);
}

/* Move process @pid into test cgroup @cg, as a runtime does; 0 or -1. */
static int move_to(pid_t pid, const char *cg)
{
	char procs[PATH_MAX], nr[16];
	int fd, n, ok;

	snprintf(procs, sizeof(procs), TEST_CG_ROOT "/%s/cgroup.procs", cg);
	n = snprintf(nr, sizeof(nr), "%d", (int)pid);
	fd = open(procs, O_WRONLY);
	if (fd < 0)
		return -1;
	ok = write(fd, nr, n) == n;
	close(fd);
	return ok ? 0 : -1;
}

/*
 * runc init: a child of the (untagged) test, moved by it into @cg, then
 * told to go on.  It does the runtime's set-up and sends its result on
 * a pipe (*@first), then, with @then_exec, execs the entrypoint, which
 * does the same steps again: the child's exit status.  Without
 * @then_exec it stays (in set-up) until killed: *@pid.
 */
static int moved_child(const char *cg, bool then_exec, pid_t *pid, int *first)
{
	int go[2], res[2], st;
	unsigned char c = 0;

	*first = 255;
	if (pipe(go) || pipe(res))
		return 251;
	*pid = fork();
	if (*pid < 0)
		return 251;
	if (!*pid) {
		close(go[1]);
		close(res[0]);
		if (read(go[0], &c, 1) != 1)
			_exit(250);
		c = container_setup() & 0xff;
		if (write(res[1], &c, 1) != 1)
			_exit(250);
		if (then_exec)
			exec_step("setup");
		pause();
		_exit(0);
	}
	close(go[0]);
	close(res[1]);
	st = move_to(*pid, cg) ? 250 : 0;
	if (write(go[1], &c, 1) != 1 || read(res[0], &c, 1) != 1)
		st = 250;
	else
		*first = c;
	close(go[1]);
	close(res[0]);
	if (st || !then_exec)
		return st;
	return vm_wait_exit(*pid);
}

FIXTURE(setup) {
	int unused;
};

FIXTURE_SETUP(setup)
{
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_apply("setup", setup_policy));
	ASSERT_EQ(0, vm_tag(POD_N, "role=nurse"));
	ASSERT_EQ(0, vm_tag(POD_C, "role=clerk"));
	ASSERT_EQ(0, vm_mkcg(CTR_N));
	ASSERT_EQ(0, vm_mkcg(CTR_C));
	ASSERT_EQ(0, vm_mkcg(LATE));
	vm_yama_relax();
}

FIXTURE_TEARDOWN(setup)
{
	vm_yama_restore();
	vm_untag(POD_N);
	vm_untag(POD_C);
	vm_untag(LATE);
}

/*
 * The runtime's first process, moved into a granted pod's container
 * cgroup, sets up its mount namespace; the entrypoint it execs, the
 * same process, may not.
 */
TEST_F_TIMEOUT(setup, a_moved_process_sets_up_until_it_execs, 120)
{
	unsigned long long before = vm_guarded();
	int first;
	pid_t pid;

	EXPECT_EQ(EPERM, moved_child(CTR_N, true, &pid, &first));
	EXPECT_EQ(0, first) TH_LOG("the set-up was refused: %s",
				   strerror(first));
	EXPECT_TRUE(vm_guard_logged(pid, "capability", "sys_admin"))
		TH_LOG("no refusal of the entrypoint's unshare, pid %d",
		       (int)pid);
	EXPECT_LT(before, vm_guarded());
}

/* Without the grant, the runtime's first steps are refused, as before. */
TEST_F_TIMEOUT(setup, a_pod_without_the_grant_is_not_set_up, 120)
{
	int first;
	pid_t pid;

	EXPECT_EQ(0, moved_child(CTR_C, false, &pid, &first));
	EXPECT_EQ(EPERM, first);
	kill(pid, SIGKILL);
	vm_wait_exit(pid);
	EXPECT_TRUE(vm_guard_logged(pid, "capability", "sys_admin"));
}

/*
 * The attacker's route: a process that exec'd in the granted pod's
 * cgroup, and a child it forks, are not in set-up.
 */
TEST_F_TIMEOUT(setup, a_process_that_exec_d_in_the_pod_is_refused, 120)
{
	pid_t pid;

	EXPECT_EQ(EPERM, run_entry(CTR_N, "setup", &pid));
	EXPECT_TRUE(vm_guard_logged(pid, "capability", "sys_admin"));
	EXPECT_EQ(EPERM, run_entry(CTR_N, "fork", &pid));
}

/* A pod tagged after its process exec'd there gives that process nothing. */
TEST_F_TIMEOUT(setup, a_cgroup_tagged_after_the_exec_gives_nothing, 120)
{
	int go[2];
	pid_t pid;
	char c = 0;

	ASSERT_EQ(0, pipe(go));
	pid = start_entry_exec_d(LATE, "wait", go[0], TEST_DIR "/late.ready");
	ASSERT_LT(0, pid);	/* it exec'd untagged */
	close(go[0]);
	EXPECT_EQ(0, vm_tag(LATE, "role=nurse"));
	EXPECT_EQ(1, write(go[1], &c, 1));
	close(go[1]);
	EXPECT_EQ(EPERM, vm_wait_exit(pid));
	EXPECT_TRUE(vm_guard_logged(pid, "capability", "sys_admin"));
}

/* The entrypoint @how-peeks at @target from the granted pod; its status. */
static int peek_from_pod(pid_t target, const char *how, pid_t *pid)
{
	char nr[16];

	snprintf(nr, sizeof(nr), "%d", (int)target);
	setenv("ABAC_PEEK_PID", nr, 1);
	setenv("ABAC_PEEK_HOW", how, 1);
	return run_entry(CTR_N, "peek", pid);
}

/*
 * A process of the pod past its execve (the workload) cannot reach one
 * in set-up: no ptrace, no /proc/PID/mem, no /proc/PID/root.  It can
 * reach another process of the pod that exec'd there, as before.
 */
TEST_F_TIMEOUT(setup, the_workload_cannot_reach_a_process_in_set_up, 120)
{
	static const char *const hows[] = { "ptrace", "mem", "root" };
	pid_t setup_pid, peer, pid;
	unsigned int i;
	int first, got;

	ASSERT_EQ(0, moved_child(CTR_N, false, &setup_pid, &first));
	ASSERT_EQ(0, first);
	peer = start_entry_exec_d(CTR_N, "sleep", -1, TEST_DIR "/peer.ready");
	ASSERT_LT(0, peer);	/* the peer exec'd */
	for (i = 0; i < ARRAY_SIZE(hows); i++) {
		got = peek_from_pod(setup_pid, hows[i], &pid);
		EXPECT_TRUE(got == EPERM || got == EACCES)
			TH_LOG("%s of the process in set-up: %d", hows[i], got);
		EXPECT_TRUE(vm_guard_logged(pid, "other-process", "ptrace"))
			TH_LOG("no other-process refusal of %s", hows[i]);
		EXPECT_EQ(0, peek_from_pod(peer, hows[i], &pid))
			TH_LOG("%s of a process past its exec", hows[i]);
	}
	kill(setup_pid, SIGKILL);
	kill(peer, SIGKILL);
	vm_wait_exit(setup_pid);
	vm_wait_exit(peer);
}

TEST_HARNESS_MAIN
