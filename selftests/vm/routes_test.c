// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every route to a file's content and metadata, on the real hooks in the
 * guest, tried as a tagged root would: writes that are not opens for
 * writing (truncate, O_TRUNC on a read open, chmod, chown, utimes, other
 * xattrs, POSIX ACLs), the label xattr matched by its exact name, memory
 * mappings of descriptors the subject holds however it got them, a
 * dynamic loader running what exec may not, and the memory and core of a
 * child running an exec-only binary.  Each refusal is checked with its
 * event in the agent's log; each has a positive control, the same call
 * by a subject the policy allows.
 */
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "kselftest_harness.h"
#include "vm_common.h"

static const char routes_policy[] =
	"version: 1\n"
	"name: vm-routes\n"
	"mode: enforce\n"
	"default: deny\n"
	"attributes:\n"
	"  subject:\n"
	"    role: {type: string, values: [reader, writer, runner, outsider]}\n"
	"  object:\n"
	"    type: {type: string, values: [record, tool]}\n"
	"rules:\n"
	"  - id: readers-read-records\n"
	"    nlp: \"Readers and writers may read records.\"\n"
	"    effect: allow\n"
	"    ops: [read]\n"
	"    subject: {role: [reader, writer]}\n"
	"    object: {type: record}\n"
	"  - id: writers-write-records\n"
	"    nlp: \"Writers may change records.\"\n"
	"    effect: allow\n"
	"    ops: [write]\n"
	"    subject: {role: writer}\n"
	"    object: {type: record}\n"
	"  - id: runners-run-tools\n"
	"    nlp: \"Runners may run tools, not read them.\"\n"
	"    effect: allow\n"
	"    ops: [exec]\n"
	"    subject: {role: runner}\n"
	"    object: {type: tool}\n"
	"  - id: readers-read-tools\n"
	"    nlp: \"Readers may read tools, not run them.\"\n"
	"    effect: allow\n"
	"    ops: [read]\n"
	"    subject: {role: reader}\n"
	"    object: {type: tool}\n";

#define TEXT		"bp 120/80, pulse 64\n"

/* The file @name in the test directory, as a string literal. */
#define AT(name)	TEST_DIR "/" name

/*
 * Refused with EACCES, and a denial of @op on an object whose path (or,
 * from an inode hook, entry name) ends with @name is in the log.
 */
#define EXPECT_REFUSED(op, name, expr)					\
	do {								\
		EXPECT_EQ(EACCES, (expr));				\
		EXPECT_TRUE(vm_log_has("\"op\":\"" op "\",\"path\":\"", \
				       name "\"", 10000))		\
			TH_LOG("no %s denial naming %s", op, name);	\
	} while (0)

/* A labelled record with TEXT in it, made by the untagged test. */
static int mkrecord(const char *path)
{
	return vm_mkfile(path, TEXT, "type=record");
}

/* Is the content of @path still TEXT? */
static bool intact(const char *path)
{
	char *s = vm_read_file(path);
	bool ok = s && !strcmp(s, TEXT);

	free(s);
	return ok;
}

/* ---- the fixture ---------------------------------------------------- */

FIXTURE(routes) {
	int unused;
};

FIXTURE_SETUP(routes)
{
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_apply("routes", routes_policy));
	ASSERT_EQ(0, vm_tag("reader", "role=reader"));
	ASSERT_EQ(0, vm_tag("writer", "role=writer"));
	ASSERT_EQ(0, vm_tag("runner", "role=runner"));
	ASSERT_EQ(0, vm_tag("outsider", "role=outsider"));
}

FIXTURE_TEARDOWN(routes)
{
	vm_untag("reader");
	vm_untag("writer");
	vm_untag("runner");
	vm_untag("outsider");
}

/* ---- writes that are not opens for writing ------------------------- */

static int do_truncate(const void *path)
{
	return vm_rc(truncate(path, 2));
}

/* Open for reading with O_TRUNC: the kernel truncates all the same. */
static int open_read_trunc(const void *path)
{
	int fd = open(path, O_RDONLY | O_TRUNC);

	return fd < 0 ? errno : (close(fd), 0);
}

TEST_F_TIMEOUT(routes, truncate_by_path_is_decided_as_write, 120)
{
	ASSERT_EQ(0, mkrecord(AT("trunc-path.txt")));
	EXPECT_REFUSED("write", "trunc-path.txt",
		       vm_in_cg("reader", do_truncate, AT("trunc-path.txt")));
	EXPECT_TRUE(intact(AT("trunc-path.txt")));
	EXPECT_EQ(0, vm_in_cg("writer", do_truncate, AT("trunc-path.txt")));
	EXPECT_FALSE(intact(AT("trunc-path.txt")));
}

TEST_F_TIMEOUT(routes, o_trunc_on_an_open_for_reading_is_decided_as_write, 120)
{
	ASSERT_EQ(0, mkrecord(AT("trunc-open.txt")));
	EXPECT_REFUSED("write", "trunc-open.txt",
		       vm_in_cg("reader", open_read_trunc,
				AT("trunc-open.txt")));
	EXPECT_TRUE(intact(AT("trunc-open.txt")));
	EXPECT_EQ(0, vm_in_cg("writer", open_read_trunc,
			      AT("trunc-open.txt")));
	EXPECT_FALSE(intact(AT("trunc-open.txt")));
}

/* ftruncate() on descriptor 3, opened for writing before tagging. */
static int ftruncate_held(const void *arg)
{
	return vm_rc(ftruncate(3, 1));
}

/*
 * Run @fn in cgroup @cg with @path open (@flags) as descriptor 3, opened
 * by the untagged parent before the child joined the cgroup: the
 * descriptor an `abac run` or a passing accomplice leaves to it.
 */
static int with_held_fd(const char *cg, const char *path, int flags,
			int (*fn)(const void *), const void *arg)
{
	int fd = open(path, flags), ret;

	if (fd < 0)
		return -1;
	if (fd != 3 && (dup2(fd, 3) < 0 || close(fd)))
		return -1;
	ret = vm_in_cg(cg, fn, arg);
	close(3);
	return ret;
}

TEST_F_TIMEOUT(routes, ftruncate_on_a_held_descriptor_is_decided_as_write, 120)
{
	ASSERT_EQ(0, mkrecord(AT("trunc-fd.txt")));
	EXPECT_REFUSED("write", "trunc-fd.txt",
		       with_held_fd("reader", AT("trunc-fd.txt"), O_WRONLY,
				    ftruncate_held, NULL));
	EXPECT_TRUE(intact(AT("trunc-fd.txt")));
	EXPECT_EQ(0, with_held_fd("writer", AT("trunc-fd.txt"), O_WRONLY,
				  ftruncate_held, NULL));
	EXPECT_FALSE(intact(AT("trunc-fd.txt")));
}

static int do_chmod(const void *path)
{
	return vm_rc(chmod(path, 0600));
}

static int do_chown(const void *path)
{
	return vm_rc(chown(path, 1000, 1000));
}

static int do_utimes(const void *path)
{
	struct timespec ts[2] = { { 1, 0 }, { 1, 0 } };

	return vm_rc(utimensat(AT_FDCWD, path, ts, 0));
}

TEST_F_TIMEOUT(routes, mode_owner_and_times_are_decided_as_write, 120)
{
	struct stat st;

	ASSERT_EQ(0, mkrecord(AT("meta.txt")));
	ASSERT_EQ(0, chmod(AT("meta.txt"), 0644));
	EXPECT_REFUSED("write", "meta.txt",
		       vm_in_cg("reader", do_chmod, AT("meta.txt")));
	EXPECT_EQ(EACCES, vm_in_cg("reader", do_chown, AT("meta.txt")));
	EXPECT_EQ(EACCES, vm_in_cg("outsider", do_utimes, AT("meta.txt")));
	ASSERT_EQ(0, stat(AT("meta.txt"), &st));
	EXPECT_EQ(0644U, st.st_mode & 07777);
	EXPECT_EQ(0U, st.st_uid);
	EXPECT_NE(1, st.st_mtime);
	/* the writer may */
	EXPECT_EQ(0, vm_in_cg("writer", do_chmod, AT("meta.txt")));
	EXPECT_EQ(0, vm_in_cg("writer", do_chown, AT("meta.txt")));
	EXPECT_EQ(0, vm_in_cg("writer", do_utimes, AT("meta.txt")));
	ASSERT_EQ(0, stat(AT("meta.txt"), &st));
	EXPECT_EQ(0600U, st.st_mode & 07777);
	EXPECT_EQ(1000U, st.st_uid);
	EXPECT_EQ(1, st.st_mtime);
}

/* Set (arg "name") or remove ("-name") an xattr of XATTR_FILE. */
#define XATTR_FILE	AT("xattrs.txt")

static int change_xattr(const void *arg)
{
	const char *name = arg;

	if (*name == '-')
		return vm_rc(removexattr(XATTR_FILE, name + 1));
	return vm_rc(setxattr(XATTR_FILE, name, "x", 1, 0));
}

TEST_F_TIMEOUT(routes, other_xattrs_are_decided_as_write, 120)
{
	/*
	 * trusted.* and security.* need CAP_SYS_ADMIN, which the BPF guard
	 * withholds from tagged subjects before any write decision
	 */
	int cap = vm_backend() == VM_BPF ? EPERM : 0;
	char v[8];

	ASSERT_EQ(0, mkrecord(XATTR_FILE));
	ASSERT_EQ(0, setxattr(XATTR_FILE, "user.note", "n", 1, 0));
	EXPECT_REFUSED("write", "xattrs.txt",
		       vm_in_cg("reader", change_xattr, "user.other"));
	EXPECT_EQ(cap ?: EACCES,
		  vm_in_cg("reader", change_xattr, "trusted.other"));
	EXPECT_EQ(cap ?: EACCES,
		  vm_in_cg("reader", change_xattr, "security.other"));
	EXPECT_EQ(EACCES, vm_in_cg("reader", change_xattr, "-user.note"));
	EXPECT_GT(0, getxattr(XATTR_FILE, "user.other", v, sizeof(v)));
	EXPECT_GT(0, getxattr(XATTR_FILE, "trusted.other", v, sizeof(v)));
	EXPECT_GT(0, getxattr(XATTR_FILE, "security.other", v, sizeof(v)));
	EXPECT_EQ(1, getxattr(XATTR_FILE, "user.note", v, sizeof(v)));
	/* the writer may, and none of them is taken for the label */
	EXPECT_EQ(0, vm_in_cg("writer", change_xattr, "user.other"));
	EXPECT_EQ(cap, vm_in_cg("writer", change_xattr, "trusted.other"));
	EXPECT_EQ(0, vm_in_cg("writer", change_xattr, "-user.note"));
	EXPECT_EQ(0, vm_probe_open(NULL, XATTR_FILE, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("outsider", XATTR_FILE, O_RDONLY));
}

/*
 * system.posix_acl_access for XATTR_FILE granting uid 1000 read: not
 * expressible as a mode, so the kernel keeps it as an ACL.
 */
static int set_acl(const void *arg)
{
	struct {
		__u32 version;
		struct { __u16 tag, perm; __u32 id; } e[5];
	} acl = { 2, { { 0x01, 6, -1U }, { 0x02, 4, 1000 }, { 0x04, 4, -1U },
		       { 0x10, 4, -1U }, { 0x20, 4, -1U } } };

	return vm_rc(setxattr(arg, "system.posix_acl_access", &acl,
			      sizeof(acl), 0));
}

static int remove_acl(const void *arg)
{
	return vm_rc(removexattr(arg, "system.posix_acl_access"));
}

TEST_F_TIMEOUT(routes, posix_acls_are_decided_as_write, 120)
{
	char v[64];

	ASSERT_EQ(0, mkrecord(AT("acl.txt")));
	EXPECT_REFUSED("write", "acl.txt",
		       vm_in_cg("reader", set_acl, AT("acl.txt")));
	EXPECT_GT(0, getxattr(AT("acl.txt"), "system.posix_acl_access", v,
			      sizeof(v)));
	EXPECT_EQ(0, vm_in_cg("writer", set_acl, AT("acl.txt")));
	EXPECT_LT(0, getxattr(AT("acl.txt"), "system.posix_acl_access", v,
			      sizeof(v)));
	EXPECT_EQ(EACCES, vm_in_cg("reader", remove_acl, AT("acl.txt")));
	EXPECT_LT(0, getxattr(AT("acl.txt"), "system.posix_acl_access", v,
			      sizeof(v)));
	EXPECT_EQ(0, vm_in_cg("writer", remove_acl, AT("acl.txt")));
	EXPECT_GT(0, getxattr(AT("acl.txt"), "system.posix_acl_access", v,
			      sizeof(v)));
}

static int remove_note(const void *path)
{
	return vm_rc(removexattr(path, "user.note"));
}

/*
 * inode_removexattr cannot sleep to read a label: on an object whose
 * label the cache has not read yet (never opened since abac was loaded),
 * a tagged subject's removal is refused, even where the object turns out
 * unlabelled; once the object has been opened, it is decided.
 */
TEST_F_TIMEOUT(routes, an_xattr_removal_the_cache_cannot_decide_fails_closed, 120)
{
	VM_ONLY(VM_BPF, "a BPF hook that cannot sleep cannot read a label; the native hook reads it");
	ASSERT_EQ(0, mknod(AT("unread.txt"), S_IFREG | 0644, 0));
	ASSERT_EQ(0, setxattr(AT("unread.txt"), "user.note", "n", 1, 0));
	EXPECT_EQ(EACCES, vm_in_cg("writer", remove_note, AT("unread.txt")));
	EXPECT_TRUE(vm_log_has("\"reason\":\"bad-label\"", "unread.txt",
			       10000));
	/* any process's open teaches the cache: unlabelled, not decided */
	EXPECT_EQ(0, vm_probe_open(NULL, AT("unread.txt"), O_RDONLY));
	EXPECT_EQ(0, vm_in_cg("outsider", remove_note, AT("unread.txt")));
}

/*
 * The native LSM's removexattr hook may sleep: it reads the label of an
 * object no one opened yet and decides on it.
 */
TEST_F_TIMEOUT(routes, an_xattr_removal_is_decided_on_a_label_read_then, 120)
{
	VM_ONLY(VM_NATIVE, "the BPF hook cannot sleep to read the label (previous test)");
	ASSERT_EQ(0, mknod(AT("unread.txt"), S_IFREG | 0644, 0));
	ASSERT_EQ(0, setxattr(AT("unread.txt"), "user.note", "n", 1, 0));
	/* unlabelled: not decided */
	EXPECT_EQ(0, vm_in_cg("writer", remove_note, AT("unread.txt")));
	ASSERT_EQ(0, mkrecord(AT("unread2.txt")));
	ASSERT_EQ(0, setxattr(AT("unread2.txt"), "user.note", "n", 1, 0));
	EXPECT_REFUSED("write", "unread2.txt",
		       vm_in_cg("reader", remove_note, AT("unread2.txt")));
	EXPECT_EQ(0, vm_in_cg("writer", remove_note, AT("unread2.txt")));
}

/*
 * An xattr whose name merely begins with user.abac is not the label:
 * setting it changes no label (the cache once took its value for one),
 * removing it leaves the label in force (the cache once forgot it).
 */
TEST_F_TIMEOUT(routes, only_the_exact_label_name_is_the_label, 120)
{
	const char *path = AT("lookalike.txt");

	ASSERT_EQ(0, mkrecord(path));
	ASSERT_EQ(0, mkrecord(XATTR_FILE));
	EXPECT_EQ(EACCES, vm_probe_open("outsider", path, O_RDONLY));
	ASSERT_EQ(0, setxattr(path, "user.abacX", "type=nothing", 12, 0));
	EXPECT_EQ(0, vm_probe_open("reader", path, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("outsider", path, O_RDONLY));
	ASSERT_EQ(0, removexattr(path, "user.abacX"));
	EXPECT_EQ(EACCES, vm_probe_open("outsider", path, O_RDONLY));
	EXPECT_EQ(0, vm_probe_open("reader", path, O_RDONLY));
	/* a tagged writer setting one writes, it does not relabel */
	EXPECT_EQ(0, vm_in_cg("writer", change_xattr, "user.abacus"));
	EXPECT_EQ(EACCES, vm_in_cg("reader", change_xattr, "user.abac2"));
	EXPECT_TRUE(vm_log_has("\"op\":\"write\",\"path\":\"",
			       "xattrs.txt\"", 10000));
}

TEST_HARNESS_MAIN
