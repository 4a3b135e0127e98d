// SPDX-License-Identifier: GPL-2.0-only
/*
 * The agent out of reach, on the real hooks in the guest, by the routes
 * kill(2) does not take: signals through file ownership (F_SETOWN,
 * F_SETOWN_EX, its process group, FIOSETOWN, and SIGIO itself whoever set
 * the owner), its limits, scheduler and I/O priority, the OOM killer, a
 * control connection opened before its holder was tagged (in the kernel,
 * per message, and in the agent, per request), and a new agent from its
 * very first instruction.  Each refusal is checked with its event and the
 * tamper counter; positive controls: the same calls on the caller's own
 * processes, and for an administrator.
 */
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "attempt.h"
#include "ctl.h"

static const char agent_policy[] =
	"version: 1\n"
	"name: vm-agent\n"
	"mode: enforce\n"
	"default: allow\n"
	"attributes:\n"
	"  subject:\n"
	"    role: {type: string, values: [worker, admin]}\n"
	"  object:\n"
	"    type: {type: string, values: [record]}\n"
	"rules:\n"
	"  - id: admins-administer\n"
	"    nlp: \"Administrators may manage abac through its agent.\"\n"
	"    effect: allow\n"
	"    ops: [administer]\n"
	"    subject: {role: admin}\n";

static pid_t the_agent;

static pid_t find_agent(void)
{
	char out[64];

	if (vm_sh_out(out, sizeof(out), "pidof abacd"))
		return -1;
	return (pid_t)atoi(out);
}

/* ---- file ownership ------------------------------------------------ */

/* F_SETOWN of a pipe to *@arg (a pid, or minus a process group). */
static int own_pipe_to(const void *arg)
{
	int p[2], ret;

	if (pipe(p))
		return errno;
	ret = vm_rc(fcntl(p[0], F_SETOWN, *(const int *)arg));
	close(p[0]);
	close(p[1]);
	return ret;
}

static int own_pipe_ex_to(const void *arg)
{
	struct f_owner_ex ex = { .type = F_OWNER_PID, .pid = *(const int *)arg };
	int p[2], ret;

	if (pipe(p))
		return errno;
	ret = vm_rc(fcntl(p[0], F_SETOWN_EX, &ex));
	close(p[0]);
	close(p[1]);
	return ret;
}

static int own_socket_to(const void *arg)
{
	int s[2], ret, pid = *(const int *)arg;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, s))
		return errno;
	ret = vm_rc(ioctl(s[0], FIOSETOWN, &pid));
	close(s[0]);
	close(s[1]);
	return ret;
}

#ifdef __x86_64__
/*
 * The same FIOSETOWN as a 32-bit ioctl (int 0x80, i386 ioctl is 54),
 * which the kernel takes through file_ioctl_compat, not file_ioctl; its
 * argument below 4 GiB.  A kernel without 32-bit system calls kills the
 * caller or answers ENOSYS.
 */
static int own_socket_compat_to(const void *arg)
{
	int s[2], *pid;
	long ret;

	pid = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (pid == MAP_FAILED)
		return errno;
	*pid = *(const int *)arg;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, s))
		return errno;
	asm volatile ("int $0x80"
		      : "=a" (ret)
		      : "a" (54), "b" (s[0]), "c" (FIOSETOWN),
			"d" ((unsigned int)(unsigned long)pid)
		      : "r8", "r9", "r10", "r11", "memory");
	close(s[0]);
	close(s[1]);
	return ret < 0 ? (int)-ret : 0;
}
#endif

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

/*
 * O_ASYNC pipe owned by *@arg with F_SETSIG @sig, then written: the
 * kernel signals the owner.  0 when the write went through.
 */
static int signal_through_pipe(int owner, int sig)
{
	int p[2], ret = 0;

	if (pipe(p))
		return errno;
	if (fcntl(p[0], F_SETOWN, owner) || fcntl(p[0], F_SETSIG, sig) ||
	    fcntl(p[0], F_SETFL, O_ASYNC) || write(p[1], "x", 1) != 1)
		ret = errno;
	close(p[0]);
	close(p[1]);
	return ret;
}

/* The positive control: a subject signals itself through a pipe. */
static int sigio_to_self(const void *arg)
{
	int i, ret;

	signal(SIGUSR1, on_signal);
	ret = signal_through_pipe(getpid(), SIGUSR1);
	for (i = 0; !ret && !got_signal && i < 50; i++)
		vm_msleep(10);
	return ret ? ret : got_signal == SIGUSR1 ? 0 : ETIMEDOUT;
}

/* ---- limits and scheduling ------------------------------------------ */

static int limit_agent(const void *arg)
{
	struct rlimit rl = { 16, 16 };

	return vm_rc(prlimit(the_agent, RLIMIT_NOFILE, &rl, NULL));
}

static int reschedule_agent(const void *arg)
{
	struct sched_param sp = { 0 };

	return vm_rc(sched_setscheduler(the_agent, SCHED_IDLE, &sp));
}

static int io_starve_agent(const void *arg)
{
	return vm_rc(syscall(SYS_ioprio_set, 1, the_agent, (3 << 13) | 0));
}

/* ---- the control socket -------------------------------------------- */

/*
 * Connect while untagged, then join cgroup @arg, then ask "status" (or,
 * with *@arg prefixed by '<', ask while untagged and read the reply after
 * joining).  0 when the request and its reply went through.
 */
static int ask_after_joining(const void *arg)
{
	const char *cg = arg, *argv[] = { "status" };
	bool read_later = *cg == '<';
	char *frame = NULL;
	size_t n;
	int fd, err;

	fd = abac_ctl_connect(AGENT_SOCK);
	if (fd < 0)
		return -fd;
	if (read_later && abac_ctl_send_args(fd, 1, argv))
		return 251;
	if (vm_join_cg(cg + read_later))
		return 250;
	err = read_later ? 0 : abac_ctl_send_args(fd, 1, argv);
	if (!err)
		err = abac_ctl_read_frame(fd, &frame, &n);
	if (!err && (!n || frame[0] != ABAC_CTL_OK))
		err = -EACCES;
	free(frame);
	close(fd);
	return -err;
}

/*
 * Connect while untagged, leave the connection to an untagged child, and
 * join "worker": the child's request is refused by the agent, which
 * authorises each request by the cgroup of the process that connected.
 */
static int hand_over_then_join(const void *arg)
{
	const char *argv[] = { "status" };
	char *frame = NULL;
	int fd, st, sync[2];
	size_t n;
	pid_t child;

	fd = abac_ctl_connect(AGENT_SOCK);
	if (fd < 0 || pipe(sync))
		return 251;
	child = fork();
	if (!child) {
		char c;

		if (read(sync[0], &c, 1) != 1 ||
		    abac_ctl_send_args(fd, 1, argv) ||
		    abac_ctl_read_frame(fd, &frame, &n) || !n)
			_exit(252);
		_exit(frame[0] == ABAC_CTL_REFUSED &&
		      strstr(frame + 1, "tagged cgroup") ? 0 : 253);
	}
	close(fd);
	if (vm_join_cg("worker") || write(sync[1], "x", 1) != 1)
		return 250;
	waitpid(child, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 254;
}

/* ---- the fixture ---------------------------------------------------- */

FIXTURE(agent) {
	int unused;
};

FIXTURE_SETUP(agent)
{
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_apply("agent", agent_policy));
	ASSERT_EQ(0, vm_tag("worker", "role=worker"));
	ASSERT_EQ(0, vm_tag("admin", "role=admin"));
	ASSERT_EQ(0, vm_mkcg("free"));
	the_agent = find_agent();
	ASSERT_LT(1, the_agent);
}

FIXTURE_TEARDOWN(agent)
{
	vm_untag("worker");
	vm_untag("admin");
}

TEST_F_TIMEOUT(agent, no_file_owner_names_the_agent, 600)
{
	int agent = the_agent, group = -the_agent;
	pid_t pid;

	ASSERT_GUARDED(EPERM, "signal-agent", "F_SETOWN", "worker",
		       own_pipe_to, &agent);
	ASSERT_GUARDED(EPERM, "signal-agent", "F_SETOWN_EX", "worker",
		       own_pipe_ex_to, &agent);
	/* abacd leads its own process group (the test starts it setsid) */
	ASSERT_GUARDED(EPERM, "signal-agent", "F_SETOWN", "worker",
		       own_pipe_to, &group);
	ASSERT_GUARDED(EPERM, "signal-agent", "FIOSETOWN", "worker",
		       own_socket_to, &agent);
	/* itself it may name, and have signalled */
	ASSERT_EQ(0, vm_attempt("worker", sigio_to_self, NULL, &pid));
}

TEST_F_TIMEOUT(agent, no_32_bit_ioctl_names_the_agent, 120)
{
#ifdef __x86_64__
	int agent = the_agent, got;
	pid_t pid;

	/* untagged the same call works: a positive control */
	got = vm_attempt("free", own_socket_compat_to, &agent, &pid);
	if (got == 252 || got == ENOSYS)
		SKIP(return, "this kernel takes no 32-bit system calls (IA32_EMULATION is off: the native test kernel's config)");
	ASSERT_EQ(0, got);
	ASSERT_GUARDED(EPERM, "signal-agent", "FIOSETOWN", "worker",
		       own_socket_compat_to, &agent);
#else
	SKIP(return, "int 0x80 is x86-64's");
#endif
}

/* Untagged: make the agent a pipe's owner, then have SIGIO sent to it. */
static int sigio_to_agent(const void *arg)
{
	return signal_through_pipe(the_agent, SIGWINCH);
}

TEST_F_TIMEOUT(agent, no_sigio_reaches_the_agent_whoever_set_the_owner, 120)
{
	/*
	 * Untagged, F_SETOWN works; the signal is refused on its way (a
	 * harmless SIGWINCH, in case it were not)
	 */
	ASSERT_GUARDED(0, "signal-agent", "through file ownership", NULL,
		       sigio_to_agent, NULL);
	ASSERT_TRUE(vm_agent_up());
}

TEST_F_TIMEOUT(agent, the_agent_is_not_limited_rescheduled_or_starved, 120)
{
	char path[64], *adj;

	ASSERT_GUARDED(EPERM, "agent-sched", "prlimit", "worker",
		       limit_agent, NULL);
	ASSERT_GUARDED(EPERM, "agent-sched", "sched_setscheduler", "worker",
		       reschedule_agent, NULL);
	ASSERT_GUARDED(EPERM, "agent-sched", "ioprio_set", "worker",
		       io_starve_agent, NULL);
	/* and the OOM killer would take it last */
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", the_agent);
	adj = vm_read_file(path);
	ASSERT_NE(NULL, adj);
	ASSERT_EQ(-1000, atoi(adj));
	free(adj);
	ASSERT_TRUE(vm_agent_up());
}

TEST_F_TIMEOUT(agent, a_connection_from_before_tagging_carries_nothing, 120)
{
	pid_t pid;

	/* a request sent after its sender was tagged */
	ASSERT_GUARDED(EPERM, "control-socket", "send on the control socket",
		       NULL, ask_after_joining, "worker");
	/* a reply read after its reader was tagged */
	ASSERT_GUARDED(EPERM, "control-socket",
		       "receive on the control socket", NULL,
		       ask_after_joining, "<worker");
	/* an administrator's connection goes on working */
	ASSERT_EQ(0, vm_attempt(NULL, ask_after_joining, "admin", &pid));
	ASSERT_EQ(0, vm_attempt(NULL, ask_after_joining, "<admin", &pid));
	/* untagged throughout, of course */
	ASSERT_EQ(0, vm_attempt(NULL, ask_after_joining, "free", &pid));
}

TEST_F_TIMEOUT(agent, the_agent_authorises_each_request_by_the_peers_cgroup, 120)
{
	pid_t pid;

	ASSERT_EQ(0, vm_attempt(NULL, hand_over_then_join, NULL, &pid));
}

/* kill(*@arg, SIGKILL). */
static int kill_it(const void *arg)
{
	return vm_rc(kill(*(const pid_t *)arg, SIGKILL));
}

/*
 * Start @path stopped by ptrace right after its exec, before its first
 * instruction; its pid, or -1.
 */
static pid_t exec_stopped(const char *path, const char *arg1)
{
	pid_t pid = fork();
	int st;

	if (!pid) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		execl(path, path, arg1, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st))
		return -1;
	return pid;
}

TEST_F_TIMEOUT(agent, a_new_agent_is_shielded_from_its_first_instruction, 120)
{
	pid_t agent, other, pid;

	agent = exec_stopped("/usr/bin/abacd", "--version");
	ASSERT_LT(0, agent);
	/* it has not run one instruction of its own, yet it is the agent */
	ASSERT_GUARDED(EPERM, "signal-agent", "signal 9", "worker", kill_it,
		       &agent);
	/* another program held the same way is anybody's to kill */
	other = exec_stopped("/bin/sh", "-c");
	ASSERT_LT(0, other);
	ASSERT_EQ(0, vm_attempt("worker", kill_it, &other, &pid));
	waitpid(other, NULL, 0);
	vm_reap(agent);
}

TEST_HARNESS_MAIN
