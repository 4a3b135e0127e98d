// SPDX-License-Identifier: GPL-2.0-only
/*
 * Containment on the real hooks in the guest: root inside a tagged cgroup
 * tries, as an attacker would, the capabilities that lead out of
 * containment (modules, kexec, raw I/O, the clock, mounts through every
 * mount API, namespaces, firewall, immutable flags, perf, tracing other
 * users) and user namespaces.  Every attempt must fail with the guard's
 * refusal, its event (by the attempt's pid) in the agent's log and the
 * tamper counter moved; the very same call made untagged gets past the
 * capability check, and the capabilities the guard does not withhold stay
 * with tagged root.  A policy's capabilities: grant gives one back to the
 * subject it names, and to no other.
 */
#include <sched.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/io.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <linux/perf_event.h>
#include <linux/reboot.h>
#include <linux/rtc.h>
#include <netinet/in.h>
#include <linux/if_ether.h>

#include "kselftest_harness.h"
#include "attempt.h"

#define AT(name)	TEST_DIR "/" name
#define PERF_PARANOID	"/proc/sys/kernel/perf_event_paranoid"

/* FS_IOC_GETFLAGS and friends, without <linux/fs.h> (it clashes). */
#define IOC_GETFLAGS	_IOR('f', 1, long)
#define IOC_SETFLAGS	_IOW('f', 2, long)
#define IMMUTABLE_FL	0x00000010

/* Untagged, the attempt may fail for another reason than a capability. */
#define NOT_EPERM	-1

/* ---- attempts: each returns 0 or the errno it failed with ------------ */

static int load_module(const void *arg)
{
	return vm_rc(syscall(SYS_finit_module, -1, "", 0));
}

static int unload_module(const void *arg)
{
	return vm_rc(syscall(SYS_delete_module, "abac_no_such_module",
			     O_NONBLOCK));
}

/* Ctrl-Alt-Del reboots at once: the kernel's default, so nothing changes. */
static int reboot_setting(const void *arg)
{
	return vm_rc(syscall(SYS_reboot, LINUX_REBOOT_MAGIC1,
			     LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_CAD_ON,
			     NULL));
}

/* No segments: unload a kexec kernel (there is none). */
static int kexec_unload(const void *arg)
{
	return vm_rc(syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0UL));
}

static int io_privilege(const void *arg)
{
	return vm_rc(iopl(3));
}

static int io_port_range(const void *arg)
{
	return vm_rc(ioperm(0x80, 1, 1));
}

/* Set the clock to what it is: nothing moves but the attempt. */
static int set_clock(const void *arg)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return vm_rc(clock_settime(CLOCK_REALTIME, &ts));
}

static int set_time_of_day(const void *arg)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return vm_rc(settimeofday(&tv, NULL));
}

/* Set the clock's frequency to what it is. */
static int tune_clock(const void *arg)
{
	struct timex tx = { .modes = 0 };

	if (adjtimex(&tx) < 0)
		return errno;
	tx.modes = ADJ_FREQUENCY;
	return vm_rc(adjtimex(&tx));
}

/* Set the TAI offset the time windows read to what it is. */
static int set_tai_offset(const void *arg)
{
	struct timex tx = { .modes = 0 };

	if (adjtimex(&tx) < 0)
		return errno;
	tx.modes = ADJ_TAI;
	tx.constant = tx.tai;
	return vm_rc(adjtimex(&tx));
}

/* Set the hardware clock to what it reads: the RTC is a clock too. */
static int set_rtc(const void *arg)
{
	struct rtc_time tm;
	int fd = open("/dev/rtc0", O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return errno;
	ret = vm_rc(ioctl(fd, RTC_RD_TIME, &tm));
	if (!ret)
		ret = vm_rc(ioctl(fd, RTC_SET_TIME, &tm));
	close(fd);
	return ret;
}

static int rename_host(const void *arg)
{
	char name[65] = "";

	gethostname(name, sizeof(name) - 1);
	return vm_rc(sethostname(name, strlen(name)));
}

static int fd_result(int fd)
{
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int new_mount_context(const void *arg)
{
	return fd_result(fsopen((const char *)arg, FSOPEN_CLOEXEC));
}

static int pick_mount(const void *arg)
{
	return fd_result(fspick(AT_FDCWD, "/tmp", FSPICK_CLOEXEC));
}

static int clone_mount(const void *arg)
{
	return fd_result(open_tree(AT_FDCWD, "/tmp",
				   OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC));
}

/* Change nothing about /tmp's mount: the call alone is the attempt. */
static int mount_attributes(const void *arg)
{
	struct mount_attr attr = { 0 };

	return vm_rc(mount_setattr(AT_FDCWD, "/tmp", 0, &attr, sizeof(attr)));
}

static int new_namespace(const void *arg)
{
	return vm_rc(unshare(*(const int *)arg));
}

static int force_socket_buffer(const void *arg)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0), size = 65536, ret;

	if (fd < 0)
		return errno;
	ret = vm_rc(setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
			       sizeof(size)));
	close(fd);
	return ret;
}

/* Make a file immutable (and, where that worked, mutable again). */
static int make_immutable(const void *arg)
{
	int fd = open(AT("plain.txt"), O_RDONLY), ret;
	long flags = 0;

	if (fd < 0)
		return errno;
	if (ioctl(fd, IOC_GETFLAGS, &flags)) {
		ret = errno;
		close(fd);
		return ret;
	}
	flags |= IMMUTABLE_FL;
	ret = vm_rc(ioctl(fd, IOC_SETFLAGS, &flags));
	if (!ret) {
		flags &= ~IMMUTABLE_FL;
		ioctl(fd, IOC_SETFLAGS, &flags);
	}
	close(fd);
	return ret;
}

/*
 * A raw IPv4 socket, which writes its own headers: UDP to any address and
 * port without a connect, bind or send the socket hooks see as one.
 * AF_PACKET takes the same capability.
 */
static int open_raw_socket(const void *arg)
{
	return fd_result(socket(AF_INET, SOCK_RAW, IPPROTO_UDP));
}

/* A packet socket: whole frames, any protocol, to and from the wire. */
static int open_packet_socket(const void *arg)
{
	return fd_result(socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)));
}

/* A counter of every task on CPU 0: CAP_PERFMON's, whatever perf allows. */
static int watch_whole_cpu(const void *arg)
{
	struct perf_event_attr pa = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(pa),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.disabled = 1,
	};

	return fd_result(syscall(SYS_perf_event_open, &pa, -1, 0, -1, 0));
}

/* Trace a child of another user: CAP_SYS_PTRACE's, same cgroup. */
static int trace_other_user(const void *arg)
{
	pid_t child;
	int ret;

	child = fork();
	if (child < 0)
		return errno;
	if (!child) {
		if (setuid(1000))
			_exit(1);
		pause();
		_exit(0);
	}
	vm_msleep(100);
	ret = vm_rc(ptrace(PTRACE_ATTACH, child, NULL, NULL));
	if (!ret) {
		waitpid(child, NULL, 0);
		ptrace(PTRACE_DETACH, child, NULL, NULL);
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return ret;
}

/* ---- the fixture ---------------------------------------------------- */

static char perf_paranoid[8];

/*
 * The agent running the policy, cgroup "worker" tagged, "free" not, and
 * a plain file; 0 or -1.  Debian's perf_event_paranoid 3 asks
 * CAP_SYS_ADMIN of any perf_event_open: at the kernel's own 2, what a
 * CPU-wide counter needs is CAP_PERFMON.
 */
/* The containment agent and cgroups under @policy (NULL: the default). */
static int prepare_guest(const char *policy)
{
	char *old;

	if (vm_contain_setup_with(policy) ||
	    vm_mkfile(AT("plain.txt"), "plain\n", NULL))
		return -1;
	old = vm_read_file(PERF_PARANOID);
	if (old) {
		snprintf(perf_paranoid, sizeof(perf_paranoid), "%s", old);
		free(old);
		vm_write_file(PERF_PARANOID, "2\n");
	}
	return 0;
}

static void restore_guest(void)
{
	if (perf_paranoid[0])
		vm_write_file(PERF_PARANOID, perf_paranoid);
	vm_contain_teardown();
}

FIXTURE(containment) {
	int unused;
};

FIXTURE_SETUP(containment)
{
	ASSERT_EQ(0, prepare_guest(NULL));
}

FIXTURE_TEARDOWN(containment)
{
	restore_guest();
}

/* ---- capabilities withheld ------------------------------------------ */

/*
 * vm_contain_policy with a subject "trusted" the policy grants every
 * withheld capability and user namespaces (capabilities: entries).  One
 * text for every case, so that each fixture applies the same policy; that
 * a grant gives exactly its capabilities is compiler_test's.
 */
static const char grant_policy[] =
	"version: 1\n"
	"name: vm-containment-grant\n"
	"mode: enforce\n"
	"default: allow\n"
	"attributes:\n"
	"  subject:\n"
	"    role: {type: string, values: [worker, trusted]}\n"
	"  object:\n"
	"    type: {type: string, values: [record]}\n"
	"rules:\n"
	"  - id: workers-keep-off-records\n"
	"    nlp: \"Workers may not change records.\"\n"
	"    effect: deny\n"
	"    ops: [write]\n"
	"    subject: {role: worker}\n"
	"    object: {type: record}\n"
	"capabilities:\n"
	"  - id: trusted-keeps-the-system-ones\n"
	"    nlp: \"The trusted service may load modules, reboot, do raw I/O and set the clock.\"\n"
	"    grant: [sys_module, sys_boot, sys_rawio, sys_time]\n"
	"    subject: {role: trusted}\n"
	"  - id: trusted-keeps-the-rest\n"
	"    nlp: \"The trusted service may administer, trace and make namespaces.\"\n"
	"    grant: [sys_admin, net_admin, net_raw, linux_immutable, sys_ptrace,\n"
	"            perfmon, bpf, mac_admin, mac_override, userns]\n"
	"    subject: {role: trusted}\n";


FIXTURE(withheld) {
	int unused;
};

/*
 * One attempt that needs a withheld capability: refused to tagged root
 * with @err and a "capability @cap" event; untagged it gets @untagged
 * (the capability check passed), or anything but EPERM (NOT_EPERM).
 */
FIXTURE_VARIANT(withheld) {
	const char *cap;
	vm_attempt_fn fn;
	const void *arg;
	int err;
	int untagged;
};

static const int newns = CLONE_NEWNS, newuser = CLONE_NEWUSER;

#define WITHHELD(name, c, f, a, e, u)					\
	FIXTURE_VARIANT_ADD(withheld, name) {				\
		.cap = c, .fn = f, .arg = a, .err = e, .untagged = u,	\
	}

WITHHELD(sys_module_loads_no_module, "sys_module", load_module, NULL,
	 EPERM, EBADF);
WITHHELD(sys_module_unloads_no_module, "sys_module", unload_module, NULL,
	 EPERM, ENOENT);
WITHHELD(sys_boot_changes_no_reboot_setting, "sys_boot", reboot_setting,
	 NULL, EPERM, 0);
WITHHELD(sys_boot_loads_no_kexec_kernel, "sys_boot", kexec_unload, NULL,
	 EPERM, NOT_EPERM);
WITHHELD(sys_rawio_gets_no_io_ports, "sys_rawio", io_privilege, NULL,
	 EPERM, 0);
WITHHELD(sys_rawio_gets_no_port_range, "sys_rawio", io_port_range, NULL,
	 EPERM, 0);
WITHHELD(sys_time_sets_no_clock, "sys_time", set_clock, NULL, EPERM, 0);
WITHHELD(sys_time_sets_no_time_of_day, "sys_time", set_time_of_day, NULL,
	 EPERM, 0);
WITHHELD(sys_time_tunes_no_clock_frequency, "sys_time", tune_clock, NULL,
	 EPERM, 0);
WITHHELD(sys_time_sets_no_tai_offset, "sys_time", set_tai_offset, NULL,
	 EPERM, 0);
WITHHELD(sys_time_sets_no_rtc, "sys_time", set_rtc, NULL, EACCES, 0);
WITHHELD(sys_admin_renames_no_host, "sys_admin", rename_host, NULL,
	 EPERM, 0);
WITHHELD(sys_admin_opens_no_fs_context, "sys_admin", new_mount_context,
	 "tmpfs", EPERM, 0);
WITHHELD(sys_admin_opens_no_cgroup_v1_context, "sys_admin",
	 new_mount_context, "cgroup", EPERM, 0);
WITHHELD(sys_admin_picks_no_mount, "sys_admin", pick_mount, NULL,
	 EPERM, 0);
WITHHELD(sys_admin_clones_no_mount, "sys_admin", clone_mount, NULL,
	 EPERM, 0);
WITHHELD(sys_admin_sets_no_mount_attributes, "sys_admin", mount_attributes,
	 NULL, EPERM, 0);
WITHHELD(sys_admin_makes_no_mount_namespace, "sys_admin", new_namespace,
	 &newns, EPERM, 0);
WITHHELD(net_admin_forces_no_socket_buffer, "net_admin",
	 force_socket_buffer, NULL, EPERM, 0);
WITHHELD(linux_immutable_sets_no_immutable_flag, "linux_immutable",
	 make_immutable, NULL, EPERM, 0);
WITHHELD(net_raw_opens_no_raw_socket, "net_raw", open_raw_socket, NULL,
	 EPERM, 0);
WITHHELD(net_raw_opens_no_packet_socket, "net_raw", open_packet_socket,
	 NULL, EPERM, 0);
WITHHELD(perfmon_watches_no_whole_cpu, "perfmon", watch_whole_cpu, NULL,
	 EACCES, 0);
WITHHELD(sys_ptrace_traces_no_other_user, "sys_ptrace", trace_other_user,
	 NULL, EPERM, 0);

/*
 * Every variant runs under a policy that grants the capabilities to the
 * subject "trusted" (and to no other): a grant must not change what the
 * others are refused.
 */
FIXTURE_SETUP(withheld)
{
	ASSERT_EQ(0, prepare_guest(grant_policy));
	ASSERT_EQ(0, vm_tag("trusted", "role=trusted"));
}

FIXTURE_TEARDOWN(withheld)
{
	vm_untag("trusted");
	restore_guest();
}


/*
 * Tagged root is refused the call, with a "capability" event; untagged
 * it gets past the capability check.  A policy may give the capability
 * back to a subject it names: the same call then works there as
 * untagged, and is still refused, with its event, to a subject the
 * grant does not name.  (Every variant runs under the grant, so one
 * case shows both.)
 */
TEST_F_TIMEOUT(withheld, is_refused_to_tagged_root_unless_granted, 600)
{
	char what[64];
	pid_t pid;
	int got;

	/* a kernel built without the call has nothing to refuse */
	got = vm_attempt("free", variant->fn, variant->arg, &pid);
	if (got == ENOSYS)
		SKIP(return, "this kernel was built without the system call (the native test kernel's config)");
	if (got == ENOENT && variant->fn == set_rtc)
		SKIP(return, "this kernel has no RTC device (the native test kernel's config)");
	if (got == EAFNOSUPPORT && variant->fn == open_packet_socket)
		SKIP(return, "this kernel has no packet sockets (the native test kernel's config)");
	if (variant->untagged == NOT_EPERM) {
		ASSERT_NE(EPERM, got);
	} else {
		ASSERT_EQ(variant->untagged, got);
	}
	got = vm_attempt("trusted", variant->fn, variant->arg, &pid);
	if (variant->untagged == NOT_EPERM) {
		ASSERT_NE(EPERM, got);
	} else {
		ASSERT_EQ(variant->untagged, got);
	}
	snprintf(what, sizeof(what), "capability %s", variant->cap);
	ASSERT_GUARDED(variant->err, "capability", what, "worker",
		       variant->fn, variant->arg);
}

/* ---- user namespaces ------------------------------------------------ */

TEST_F_TIMEOUT(containment, no_user_namespace_for_tagged_root, 600)
{
	pid_t pid;
	int got;

	got = vm_attempt("free", new_namespace, &newuser, &pid);
	if (got == EINVAL)
		SKIP(return, "this kernel was built without user namespaces (the native test kernel's config)");
	ASSERT_EQ(0, got);
	ASSERT_GUARDED(EPERM, "userns", "user namespace", "worker",
		       new_namespace, &newuser);
}

TEST_F_TIMEOUT(containment, a_granted_user_namespace_is_made, 600)
{
	pid_t pid;
	int got;

	got = vm_attempt("free", new_namespace, &newuser, &pid);
	if (got == EINVAL)
		SKIP(return, "this kernel was built without user namespaces (the native test kernel's config)");
	ASSERT_EQ(0, vm_apply("containment", grant_policy));
	ASSERT_EQ(0, vm_tag("trusted", "role=trusted"));
	EXPECT_EQ(0, vm_attempt("trusted", new_namespace, &newuser, &pid));
	ASSERT_GUARDED(EPERM, "userns", "user namespace", "worker",
		       new_namespace, &newuser);
	vm_untag("trusted");
}

/* ---- what stays --------------------------------------------------- */

static int give_file_away(const void *arg)
{
	return vm_rc(chown(AT("plain.txt"), 1000, 1000));
}

/* A file of uid 1000, mode 0600: root reads it by CAP_DAC_OVERRIDE. */
static int read_private_file(const void *arg)
{
	int fd = open(AT("private.txt"), O_RDONLY);

	return fd_result(fd);
}

static int bind_low_port(const void *arg)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(80),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), ret;

	if (fd < 0)
		return errno;
	ret = vm_rc(bind(fd, (struct sockaddr *)&sa, sizeof(sa)));
	close(fd);
	return ret;
}

static int become_other_user(const void *arg)
{
	return vm_rc(setuid(1000));
}

TEST_F_TIMEOUT(containment, capabilities_outside_the_list_stay_with_tagged_root, 600)
{
	pid_t pid;

	ASSERT_EQ(0, vm_mkfile(AT("private.txt"), "mine\n", NULL));
	ASSERT_EQ(0, chown(AT("private.txt"), 1000, 1000));
	ASSERT_EQ(0, chmod(AT("private.txt"), 0600));
	EXPECT_EQ(0, vm_attempt("worker", give_file_away, NULL, &pid));
	EXPECT_EQ(0, vm_attempt("worker", read_private_file, NULL, &pid));
	EXPECT_EQ(0, vm_attempt("worker", bind_low_port, NULL, &pid));
	EXPECT_EQ(0, vm_attempt("worker", become_other_user, NULL, &pid));
}

TEST_HARNESS_MAIN
