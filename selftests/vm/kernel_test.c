// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel's own interfaces and raw devices on the real hooks in the
 * guest: root inside a tagged cgroup tries the usermode-helper sysctls
 * (core_pattern, modprobe, hotplug, poweroff_cmd), sysrq, sysfs,
 * binfmt_misc registration, a cgroup v1 release_agent, debugfs and
 * tracefs (kprobe_events, the trace), a sysctl opened before it was
 * tagged; then block devices, kernel memory (/dev/mem, /dev/port,
 * /proc/kcore) and SCSI/NVMe passthrough.  Every attempt must be refused
 * with its "kernel-interface" or "raw-device" event and the tamper
 * counter; untagged root opens the same files, tagged root reads sysctls
 * and writes its own /proc files, and ordinary devices stay open to it.
 */
#include <sys/mount.h>
#include <sys/sysmacros.h>

#include "kselftest_harness.h"
#include "attempt.h"

#define AT(name)	TEST_DIR "/" name
#define CG1		AT("cg1")
/* device nodes: /tmp is mounted nodev */
#define DEV(name)	"/dev/abac-test-" name
#define BINFMT		"/proc/sys/fs/binfmt_misc"

/* Open @arg with O_WRONLY: the attempt to write it. */
static int open_for_writing(const void *arg)
{
	int fd = open((const char *)arg, O_WRONLY);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int open_for_reading(const void *arg)
{
	int fd = open((const char *)arg, O_RDONLY);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* Write @arg's file its own content back: a write that changes nothing. */
static int rewrite_same(const void *arg)
{
	char *text = vm_read_file((const char *)arg);
	int fd, ret = 0;

	if (!text)
		return errno;
	fd = open((const char *)arg, O_WRONLY);
	if (fd < 0)
		ret = errno;
	else if (write(fd, text, strlen(text)) < 0)
		ret = errno;
	if (fd >= 0)
		close(fd);
	free(text);
	return ret;
}

/*
 * Open a sysctl for writing while untagged, then join "worker" and write:
 * the descriptor does not carry the write past the guard.
 */
static int write_after_tagging(const void *arg)
{
	char *text = vm_read_file((const char *)arg);
	int fd = open((const char *)arg, O_WRONLY), ret = 0;

	if (fd < 0 || !text)
		return errno;
	if (vm_join_cg("worker"))
		return 250;
	if (write(fd, text, strlen(text)) < 0)
		ret = errno;
	close(fd);
	free(text);
	return ret;
}

FIXTURE(kernel) {
	int unused;
};

FIXTURE_SETUP(kernel)
{
	ASSERT_EQ(0, vm_contain_setup());
}

FIXTURE_TEARDOWN(kernel)
{
	vm_sh("rm -f " DEV("*"));
	umount2(CG1, MNT_DETACH);
	vm_contain_teardown();
}

/* Tagged: refused as a kernel interface.  Untagged: @untagged. */
#define ASSERT_KERNEL_INTERFACE(path, fn, untagged)			\
	do {								\
		pid_t ___p;						\
									\
		ASSERT_GUARDED(EPERM, "kernel-interface", path, "worker", \
			       fn, path);				\
		ASSERT_EQ(untagged, vm_attempt("free", fn, path, &___p)); \
	} while (0)

TEST_F_TIMEOUT(kernel, helper_sysctls_are_not_written, 120)
{
	static const char *const sysctls[] = {
		"/proc/sys/kernel/core_pattern",
		"/proc/sys/kernel/modprobe",
		"/proc/sys/kernel/hotplug",
		"/proc/sys/kernel/poweroff_cmd",
	};
	unsigned int i, tried = 0;
	pid_t pid;

	for (i = 0; i < sizeof(sysctls) / sizeof(sysctls[0]); i++) {
		if (access(sysctls[i], F_OK))
			continue;	/* not in this kernel's config */
		ASSERT_KERNEL_INTERFACE(sysctls[i], rewrite_same, 0);
		/* reading one is no way out */
		ASSERT_EQ(0, vm_attempt("worker", open_for_reading,
					sysctls[i], &pid));
		tried++;
	}
	ASSERT_LE(2U, tried);	/* core_pattern and modprobe at least */
}

TEST_F_TIMEOUT(kernel, sysrq_and_sysfs_are_not_written, 120)
{
	pid_t pid;

	/* 'e' and 'i' would signal every process, the agent included */
	ASSERT_GUARDED(EPERM, "kernel-interface", "/proc/sysrq-trigger",
		       "worker", open_for_writing, "/proc/sysrq-trigger");
	ASSERT_EQ(0, vm_attempt("free", open_for_writing,
				"/proc/sysrq-trigger", &pid));
	/* the real path: events name it, not /sys/class's symlink to it */
	ASSERT_KERNEL_INTERFACE("/sys/devices/virtual/net/lo/mtu",
				rewrite_same, 0);
	if (!access("/sys/kernel/uevent_helper", F_OK))
		ASSERT_KERNEL_INTERFACE("/sys/kernel/uevent_helper",
					open_for_writing, 0);
}

TEST_F_TIMEOUT(kernel, a_sysctl_opened_before_tagging_takes_no_write, 120)
{
	ASSERT_GUARDED(EPERM, "kernel-interface", "core_pattern", NULL,
		       write_after_tagging, "/proc/sys/kernel/core_pattern");
}

TEST_F_TIMEOUT(kernel, own_proc_files_stay_writable, 120)
{
	pid_t pid;

	ASSERT_EQ(0, vm_attempt("worker", rewrite_same,
				"/proc/self/oom_score_adj", &pid));
	ASSERT_EQ(0, vm_attempt("worker", rewrite_same, "/proc/self/comm",
				&pid));
}

TEST_F_TIMEOUT(kernel, binfmt_misc_registers_no_interpreter, 120)
{
	bool mounted = false;

	if (vm_sh("grep -qw binfmt_misc /proc/filesystems"))
		SKIP(return, "binfmt_misc is a module this guest does not load");
	if (access(BINFMT "/register", F_OK)) {
		ASSERT_EQ(0, mount("binfmt_misc", BINFMT, "binfmt_misc", 0,
				   NULL));
		mounted = true;
	}
	/* an interpreter registered here runs for every exec, untagged */
	ASSERT_KERNEL_INTERFACE(BINFMT "/register", open_for_writing, 0);
	if (mounted)
		umount(BINFMT);
}

TEST_F_TIMEOUT(kernel, a_cgroup_v1_release_agent_is_not_written, 120)
{
	/* what only untagged root may mount: a named v1 hierarchy */
	ASSERT_EQ(0, mkdir(CG1, 0755));
	ASSERT_EQ(0, mount("cgroup", CG1, "cgroup", 0, "none,name=abactest"));
	ASSERT_KERNEL_INTERFACE(CG1 "/release_agent", open_for_writing, 0);
	ASSERT_KERNEL_INTERFACE(CG1 "/notify_on_release", open_for_writing, 0);
	ASSERT_EQ(0, umount(CG1));
}

TEST_F_TIMEOUT(kernel, debugfs_and_tracefs_are_not_even_read, 120)
{
	pid_t pid;

	if (access("/sys/kernel/tracing/kprobe_events", F_OK))
		SKIP(return, "no tracefs in this guest");
	/* kprobes with fetch arguments read file data from kernel memory */
	ASSERT_KERNEL_INTERFACE("/sys/kernel/tracing/kprobe_events",
				open_for_writing, 0);
	ASSERT_GUARDED(EPERM, "kernel-interface", "/sys/kernel/tracing/trace",
		       "worker", open_for_reading,
		       "/sys/kernel/tracing/trace");
	ASSERT_EQ(0, vm_attempt("free", open_for_reading,
				"/sys/kernel/tracing/trace", &pid));
	if (!access("/sys/kernel/debug/sched/features", F_OK))
		ASSERT_KERNEL_INTERFACE("/sys/kernel/debug/sched/features",
					open_for_reading, 0);
}

/* ---- raw devices -------------------------------------------------- */

/* Tagged: refused as a raw device.  Untagged: anything but EPERM. */
#define ASSERT_RAW_DEVICE(path, fn)					\
	do {								\
		pid_t ___p;						\
									\
		ASSERT_GUARDED(EPERM, "raw-device", path, "worker", fn, path); \
		ASSERT_NE(EPERM, vm_attempt("free", fn, path, &___p));	\
	} while (0)

TEST_F_TIMEOUT(kernel, block_devices_are_not_opened, 120)
{
	/* loop0's node, whether or not the driver is there */
	ASSERT_EQ(0, mknod(DEV("loop0"), S_IFBLK | 0600, makedev(7, 0)));
	ASSERT_RAW_DEVICE(DEV("loop0"), open_for_reading);
	ASSERT_RAW_DEVICE(DEV("loop0"), open_for_writing);
}

TEST_F_TIMEOUT(kernel, kernel_memory_is_not_opened, 120)
{
	ASSERT_RAW_DEVICE("/proc/kcore", open_for_reading);
	ASSERT_EQ(0, mknod(DEV("mem"), S_IFCHR | 0600, makedev(1, 1)));
	ASSERT_EQ(0, mknod(DEV("port"), S_IFCHR | 0600, makedev(1, 4)));
	ASSERT_RAW_DEVICE(DEV("mem"), open_for_reading);
	ASSERT_RAW_DEVICE(DEV("port"), open_for_writing);
}

/* The major /proc/devices gives character driver @name, or -1. */
static int char_major(const char *name)
{
	char line[128], drv[64];
	bool chr = false;
	int major = -1, m;
	FILE *f = fopen("/proc/devices", "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Character devices:", 18))
			chr = true;
		else if (!strncmp(line, "Block devices:", 14))
			chr = false;
		else if (chr && sscanf(line, "%d %63s", &m, drv) == 2 &&
			 !strcmp(drv, name))
			major = m;
	}
	if (f)
		fclose(f);
	return major;
}

TEST_F_TIMEOUT(kernel, scsi_and_nvme_passthrough_are_not_opened, 120)
{
	int bsg = char_major("bsg");

	/* sg: raw SCSI commands to the disk under every file system */
	ASSERT_EQ(0, mknod(DEV("sg0"), S_IFCHR | 0600, makedev(21, 0)));
	ASSERT_RAW_DEVICE(DEV("sg0"), open_for_reading);
	if (bsg < 0)
		SKIP(return, "no bsg driver: its major is the agent's to learn");
	/* bsg's major is dynamic: the agent read it from /proc/devices */
	ASSERT_EQ(0, mknod(DEV("bsg0"), S_IFCHR | 0600, makedev(bsg, 0)));
	ASSERT_RAW_DEVICE(DEV("bsg0"), open_for_reading);
}

TEST_F_TIMEOUT(kernel, ordinary_devices_stay_open, 120)
{
	static const char *const devs[] = {
		"/dev/null", "/dev/zero", "/dev/full", "/dev/urandom",
	};
	unsigned int i;
	pid_t pid;

	for (i = 0; i < sizeof(devs) / sizeof(devs[0]); i++)
		ASSERT_EQ(0, vm_attempt("worker", open_for_writing, devs[i],
					&pid));
}

TEST_HARNESS_MAIN
