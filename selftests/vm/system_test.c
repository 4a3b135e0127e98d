// SPDX-License-Identifier: GPL-2.0-only
/*
 * The system trees on the real hooks in the guest: code and configuration
 * that untagged processes load (/etc, /usr, ... : abacd --system-dirs)
 * cannot be changed by root inside a tagged cgroup, so that nothing it
 * writes runs outside its cgroup: no /etc/ld.so.preload, no changed
 * library, no cron job.  Writes, appends, truncation, renames, removal,
 * links out of the tree, chmod, xattrs, new entries, deep below the top
 * and through another path to the same inode: each refused with its
 * "system-file" event and the tamper counter.  Tagged root still reads
 * them and writes its own files; untagged root writes them.
 */
#include <sys/xattr.h>

#include "kselftest_harness.h"
#include "attempt.h"

#define CONF		"/etc/abac-test.conf"
#define LIBDIR		"/usr/lib/abac-test"
#define DEEP		LIBDIR "/a/b/c/d/e/libdeep.so"

static int append_to(const void *arg)
{
	int fd = open((const char *)arg, O_WRONLY | O_APPEND);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int truncate_it(const void *arg)
{
	return vm_rc(truncate((const char *)arg, 0));
}

static int rename_it(const void *arg)
{
	char to[PATH_MAX];

	snprintf(to, sizeof(to), "%s.old", (const char *)arg);
	return vm_rc(rename((const char *)arg, to));
}

static int remove_it(const void *arg)
{
	return vm_rc(unlink((const char *)arg));
}

/* A hard link outside the trees, on the same file system (/). */
#define OUTSIDE		"/abac-test-hardlink"

static int link_out(const void *arg)
{
	return vm_rc(link((const char *)arg, OUTSIDE));
}

static int chmod_it(const void *arg)
{
	return vm_rc(chmod((const char *)arg, 0666));
}

static int set_xattr(const void *arg)
{
	return vm_rc(setxattr((const char *)arg, "user.note", "x", 1, 0));
}

static int create_it(const void *arg)
{
	int fd = open((const char *)arg, O_WRONLY | O_CREAT | O_EXCL, 0644);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int make_dir(const void *arg)
{
	return vm_rc(mkdir((const char *)arg, 0755));
}

static int make_symlink(const void *arg)
{
	return vm_rc(symlink("/tmp/evil.so", (const char *)arg));
}

static int read_it(const void *arg)
{
	int fd = open((const char *)arg, O_RDONLY);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

FIXTURE(system) {
	int unused;
};

/*
 * One change to a system tree: refused with EPERM and a "system-file"
 * event naming @name; untagged, the same change works.
 */
FIXTURE_VARIANT(system) {
	vm_attempt_fn fn;
	const char *path;
	const char *name;
};

#define CHANGE(n, f, p, e)						\
	FIXTURE_VARIANT_ADD(system, n) {				\
		.fn = f, .path = p, .name = e,				\
	}

CHANGE(write_a_config_file, append_to, CONF, "abac-test.conf");
CHANGE(truncate_a_config_file, truncate_it, CONF, "abac-test.conf");
CHANGE(rename_a_config_file, rename_it, CONF, "abac-test.conf");
CHANGE(remove_a_config_file, remove_it, CONF, "abac-test.conf");
CHANGE(link_a_config_file_out, link_out, CONF, "abac-test.conf");
CHANGE(chmod_a_config_file, chmod_it, CONF, "abac-test.conf");
CHANGE(set_an_xattr_on_a_config_file, set_xattr, CONF, "abac-test.conf");
CHANGE(create_ld_so_preload, create_it, "/etc/ld.so.preload",
       "ld.so.preload");
CHANGE(make_a_directory_in_etc, make_dir, "/etc/abac-test.d",
       "abac-test.d");
CHANGE(write_a_library_deep_in_usr, append_to, DEEP, "libdeep.so");
CHANGE(plant_a_symlink_deep_in_usr, make_symlink, LIBDIR "/a/b/evil.so",
       "evil.so");
CHANGE(write_through_proc_self_root, append_to, "/proc/self/root" CONF,
       "abac-test.conf");

FIXTURE_SETUP(system)
{
	ASSERT_EQ(0, vm_contain_setup());
	ASSERT_EQ(0, vm_sh("mkdir -p " LIBDIR "/a/b/c/d/e && echo lib > " DEEP
			   " && echo conf > " CONF));
}

FIXTURE_TEARDOWN(system)
{
	vm_sh("rm -rf " LIBDIR " /etc/abac-test.d /etc/ld.so.preload "
	      CONF " " CONF ".old " OUTSIDE);
	vm_contain_teardown();
}

TEST_F_TIMEOUT(system, is_refused_to_tagged_root_not_untagged, 120)
{
	pid_t pid;

	ASSERT_GUARDED(EPERM, "system-file", variant->name, "worker",
		       variant->fn, variant->path);
	/* read, it is what every process needs */
	if (!access(variant->path, F_OK))
		ASSERT_EQ(0, vm_attempt("worker", read_it, variant->path,
					&pid));
	/* the same change, untagged, works */
	ASSERT_EQ(0, vm_attempt("free", variant->fn, variant->path, &pid));
}

FIXTURE(own_files) {
	int unused;
};

FIXTURE_SETUP(own_files)
{
	ASSERT_EQ(0, vm_contain_setup());
}

FIXTURE_TEARDOWN(own_files)
{
	vm_contain_teardown();
}

TEST_F_TIMEOUT(own_files, tagged_root_writes_its_own_files, 120)
{
	pid_t pid;

	ASSERT_EQ(0, vm_attempt("worker", create_it, TEST_DIR "/mine",
				&pid));
	ASSERT_EQ(0, vm_attempt("worker", make_dir, TEST_DIR "/mydir",
				&pid));
	ASSERT_EQ(0, vm_attempt("worker", append_to, TEST_DIR "/mine", &pid));
}

TEST_HARNESS_MAIN
