// SPDX-License-Identifier: GPL-2.0-only
/*
 * Other processes on the real hooks in the guest: root inside a tagged
 * cgroup tries every way to reach into a process that is not its
 * subject's own (an untagged one, as its own "abac run" parent would be,
 * and one of another subject with the same tags): ptrace, its memory
 * through process_vm_readv/writev and /proc/PID/mem, its descriptors
 * through pidfd_getfd and /proc/PID/fd, its environment and root, kcmp,
 * its oom_score_adj, limits, priority, scheduler and I/O priority, and
 * through /proc descriptors it opened before it was tagged.  Every
 * attempt must be refused, with its "other-process" event and the tamper
 * counter; the same call works on a child in the attacker's own cgroup,
 * and untagged.
 */
#include <sched.h>
#include <sys/pidfd.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <linux/kcmp.h>

#include "kselftest_harness.h"
#include "attempt.h"

/* A byte every process forked from this test has at the same address. */
static char probe_byte = 'x';

/* ---- attempts on the process whose pid @arg points to ------------------ */

static int trace_it(const void *arg)
{
	pid_t pid = *(const pid_t *)arg;
	int ret;

	ret = vm_rc(ptrace(PTRACE_ATTACH, pid, NULL, NULL));
	if (!ret) {
		waitpid(pid, NULL, 0);
		ptrace(PTRACE_DETACH, pid, NULL, NULL);
	}
	return ret;
}

static int read_its_memory(const void *arg)
{
	char byte = 0;
	struct iovec local = { &byte, 1 }, remote = { &probe_byte, 1 };

	return vm_rc(process_vm_readv(*(const pid_t *)arg, &local, 1,
				      &remote, 1, 0));
}

static int write_its_memory(const void *arg)
{
	char byte = 'x';
	struct iovec local = { &byte, 1 }, remote = { &probe_byte, 1 };

	return vm_rc(process_vm_writev(*(const pid_t *)arg, &local, 1,
				       &remote, 1, 0));
}

/* Open /proc/PID/@what with @flags. */
static int open_proc(pid_t pid, const char *what, int flags)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	fd = open(path, flags);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int open_its_mem(const void *arg)
{
	return open_proc(*(const pid_t *)arg, "mem", O_RDONLY);
}

static int open_its_fd(const void *arg)
{
	return open_proc(*(const pid_t *)arg, "fd/0", O_RDONLY);
}

static int read_its_environ(const void *arg)
{
	return open_proc(*(const pid_t *)arg, "environ", O_RDONLY);
}

static int enter_its_root(const void *arg)
{
	return open_proc(*(const pid_t *)arg, "root/", O_RDONLY | O_DIRECTORY);
}

static int set_its_oom_score(const void *arg)
{
	return open_proc(*(const pid_t *)arg, "oom_score_adj", O_WRONLY);
}

static int steal_its_fd(const void *arg)
{
	int pidfd = pidfd_open(*(const pid_t *)arg, 0), fd, ret;

	if (pidfd < 0)
		return errno;
	fd = pidfd_getfd(pidfd, 0, 0);
	ret = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	close(pidfd);
	return ret;
}

static int compare_its_files(const void *arg)
{
	return vm_rc(syscall(SYS_kcmp, getpid(), *(const pid_t *)arg,
			     KCMP_FILE, 0, 0) < 0 ? -1 : 0);
}

static int limit_it(const void *arg)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return errno;
	return vm_rc(prlimit(*(const pid_t *)arg, RLIMIT_NOFILE, &rl, NULL));
}

static int renice_it(const void *arg)
{
	return vm_rc(setpriority(PRIO_PROCESS, *(const pid_t *)arg, 0));
}

static int reschedule_it(const void *arg)
{
	struct sched_param sp = { 0 };

	return vm_rc(sched_setscheduler(*(const pid_t *)arg, SCHED_OTHER, &sp));
}

#define IOPRIO_WHO_PROCESS	1
#define IOPRIO_BE_4		((2 << 13) | 4)

static int io_prioritise_it(const void *arg)
{
	return vm_rc(syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS,
			     *(const pid_t *)arg, IOPRIO_BE_4));
}

/* ---- the fixture ---------------------------------------------------- */

FIXTURE(processes) {
	pid_t untagged;		/* a root process in "free" */
	pid_t other;		/* one in "other": another subject */
};

/*
 * One way to reach into a process: refused with @err and an
 * "other-process" event whose text holds @text, a format of the target's
 * pid.
 */
FIXTURE_VARIANT(processes) {
	vm_attempt_fn fn;
	int err;
	const char *text;
};

#define REACH(name, f, e, t)						\
	FIXTURE_VARIANT_ADD(processes, name) {				\
		.fn = f, .err = e, .text = t,				\
	}

REACH(ptrace_attach, trace_it, EPERM, "of pid %d");
REACH(process_vm_readv, read_its_memory, EPERM, "of pid %d");
REACH(process_vm_writev, write_its_memory, EPERM, "of pid %d");
REACH(proc_pid_mem, open_its_mem, EACCES, "of pid %d");
REACH(proc_pid_fd_link, open_its_fd, EACCES, "of pid %d");
REACH(proc_pid_environ, read_its_environ, EACCES, "of pid %d");
REACH(proc_pid_root, enter_its_root, EACCES, "of pid %d");
REACH(pidfd_getfd, steal_its_fd, EPERM, "of pid %d");
REACH(kcmp, compare_its_files, EPERM, "of pid %d");
REACH(proc_pid_oom_score_adj, set_its_oom_score, EPERM, "/proc/%d/oom_score_adj");
REACH(prlimit, limit_it, EPERM, "prlimit of pid %d");
REACH(setpriority, renice_it, EPERM, "setpriority of pid %d");
REACH(sched_setscheduler, reschedule_it, EPERM, "sched_setscheduler of pid %d");
REACH(ioprio_set, io_prioritise_it, EPERM, "ioprio_set of pid %d");

FIXTURE_SETUP(processes)
{
	ASSERT_EQ(0, vm_contain_setup());
	self->untagged = vm_sleeper("free");
	self->other = vm_sleeper("other");
	ASSERT_LT(0, self->untagged);
	ASSERT_LT(0, self->other);
	vm_msleep(100);	/* both have joined their cgroup */
}

FIXTURE_TEARDOWN(processes)
{
	vm_reap(self->untagged);
	vm_reap(self->other);
	vm_contain_teardown();
}

/* Run the variant's attempt on a fresh child of the attacker's own. */
static const FIXTURE_VARIANT(processes) *own_variant;

static int on_own_child(const void *arg)
{
	pid_t child = vm_sleeper(NULL);
	int ret;

	if (child < 0)
		return errno;
	vm_msleep(50);
	ret = own_variant->fn(&child);
	vm_reap(child);
	return ret;
}

TEST_F_TIMEOUT(processes, refused_outside_the_subject_allowed_inside, 120)
{
	char text[96];
	pid_t pid;

	/* an untagged process: what an "abac run" parent is */
	snprintf(text, sizeof(text), variant->text, (int)self->untagged);
	ASSERT_GUARDED(variant->err, "other-process", text, "worker",
		       variant->fn, &self->untagged);
	/* a process of another subject, with the very same tags */
	snprintf(text, sizeof(text), variant->text, (int)self->other);
	ASSERT_GUARDED(variant->err, "other-process", text, "worker",
		       variant->fn, &self->other);
	/* its own child, in its own cgroup: allowed */
	own_variant = variant;
	ASSERT_EQ(0, vm_attempt("worker", on_own_child, NULL, &pid));
	/* untagged, the same call on the same process: allowed */
	ASSERT_EQ(0, vm_attempt("free", variant->fn, &self->untagged, &pid));
}

/* ---- a descriptor opened before the tagging ------------------------ */

/*
 * The kernel checks a process's right to another's /proc/PID/mem, maps,
 * smaps, smaps_rollup, pagemap, auxv and environ once, at open (each has
 * a variant; numa_maps, in the same list, needs a NUMA kernel, which the
 * native test kernel is not), and takes every write to its /proc files
 * through the descriptor: a descriptor the attacker opened before it
 * was tagged (or that was passed to it) must be refused at each read and
 * write, with its event, though its open was not.
 */
FIXTURE(held) {
	pid_t untagged;
	pid_t other;
};

FIXTURE_VARIANT(held) {
	const char *file;
	int flags;
	bool write;
};

#define HELD(name, f, fl, w)							FIXTURE_VARIANT_ADD(held, name) {						.file = f, .flags = fl, .write = w,				}

HELD(mem_read, "mem", O_RDONLY, false);
HELD(mem_write, "mem", O_RDWR, true);
HELD(environ_read, "environ", O_RDONLY, false);
HELD(maps_read, "maps", O_RDONLY, false);
HELD(auxv_read, "auxv", O_RDONLY, false);
HELD(smaps_read, "smaps", O_RDONLY, false);
HELD(smaps_rollup_read, "smaps_rollup", O_RDONLY, false);
HELD(pagemap_read, "pagemap", O_RDONLY, false);
HELD(oom_score_adj_write, "oom_score_adj", O_WRONLY, true);

FIXTURE_SETUP(held)
{
	ASSERT_EQ(0, vm_contain_setup());
	self->untagged = vm_sleeper("free");
	self->other = vm_sleeper("other");
	ASSERT_LT(0, self->untagged);
	ASSERT_LT(0, self->other);
	vm_msleep(100);
}

FIXTURE_TEARDOWN(held)
{
	vm_reap(self->untagged);
	vm_reap(self->other);
	vm_contain_teardown();
}

static int held_fd = -1;

/* One read or write through held_fd, as the variant @arg says. */
static int use_held(const void *arg)
{
	const FIXTURE_VARIANT(held) *v = arg;
	char buf[64] = "0\n";
	off_t at = 0;
	ssize_t n;

	if (!strcmp(v->file, "mem"))
		at = (off_t)(unsigned long)&probe_byte;
	if (v->write)
		n = pwrite(held_fd, strcmp(v->file, "mem") ? buf : "x",
			   strcmp(v->file, "mem") ? 2 : 1, at);
	else
		n = pread(held_fd, buf, sizeof(buf), at);
	return n < 0 ? errno : 0;
}

/* Open /proc/@pid/@v->file as @v asks; the descriptor or -1. */
static int open_held(pid_t pid, const FIXTURE_VARIANT(held) *v)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, v->file);
	return open(path, v->flags);
}

/* In the attacker's cgroup: the same through a child of its own. */
static int on_own_held(const void *arg)
{
	pid_t child = vm_sleeper(NULL);
	int ret;

	if (child < 0)
		return errno;
	vm_msleep(50);
	held_fd = open_held(child, arg);
	ret = held_fd < 0 ? errno : use_held(arg);
	vm_reap(child);
	return ret;
}

TEST_F_TIMEOUT(held, refused_at_each_access_outside_the_subject, 120)
{
	pid_t targets[2] = { self->untagged, self->other }, pid;
	char text[96];
	int i;

	for (i = 0; i < 2; i++) {
		held_fd = open_held(targets[i], variant);
		ASSERT_LE(0, held_fd) TH_LOG("open /proc/%d/%s: %s",
					     (int)targets[i], variant->file,
					     strerror(errno));
		/* untagged, the descriptor works: a positive control */
		ASSERT_EQ(0, vm_attempt("free", use_held, variant, &pid));
		snprintf(text, sizeof(text), "/proc/%d/%s", (int)targets[i],
			 variant->file);
		ASSERT_GUARDED(EPERM, "other-process", text, "worker",
			       use_held, variant);
		close(held_fd);
	}
	/* its own child's, in its own cgroup: allowed */
	ASSERT_EQ(0, vm_attempt("worker", on_own_held, variant, &pid));
}

TEST_HARNESS_MAIN
