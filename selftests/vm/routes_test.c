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
#include <linux/falloc.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/sysmacros.h>
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
	"    type: {type: string, values: [record, tool, lib]}\n"
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
	"    object: {type: tool}\n"
	"  - id: readers-use-libs\n"
	"    nlp: \"Readers may read and run libraries.\"\n"
	"    effect: allow\n"
	"    ops: [read, exec]\n"
	"    subject: {role: reader}\n"
	"    object: {type: lib}\n";

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
	/* an overlay a failed case left mounted would keep TEST_DIR busy */
	umount2(TEST_DIR "/ovl/merged", MNT_DETACH);
	umount2(TEST_DIR "/ext", MNT_DETACH);
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

/* ---- content moved by the kernel, not by read() or write() --------- */

/* fallocate() that zeroes or punches out content of descriptor 3. */
static int punch_held(const void *arg)
{
	int mode = *(const int *)arg;

	return vm_rc(fallocate(3, mode, 0, 4));
}

static const int punch = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
static const int zero = FALLOC_FL_ZERO_RANGE;

TEST_F_TIMEOUT(routes, fallocate_on_a_held_descriptor_is_decided_as_write, 120)
{
	ASSERT_EQ(0, mkrecord(AT("punch.txt")));
	EXPECT_REFUSED("write", "punch.txt",
		       with_held_fd("reader", AT("punch.txt"), O_WRONLY,
				    punch_held, &punch));
	EXPECT_EQ(EACCES, with_held_fd("reader", AT("punch.txt"), O_WRONLY,
				       punch_held, &zero));
	EXPECT_TRUE(intact(AT("punch.txt")));
	/* a writer may; tmpfs punches holes (zero range it may not know) */
	EXPECT_EQ(0, with_held_fd("writer", AT("punch.txt"), O_WRONLY,
				  punch_held, &punch));
	EXPECT_FALSE(intact(AT("punch.txt")));
}

enum copy_how { COPY_RANGE, COPY_SENDFILE, COPY_SPLICE };

/*
 * Copy descriptor 3 (held, opened before the tagging) into a file of the
 * process's own, by @how: the kernel moves the bytes, no read() happens.
 * 0 when TEXT arrived, else the errno.
 */
static int copy_held(const void *arg)
{
	enum copy_how how = *(const enum copy_how *)arg;
	char buf[64] = "";
	int out, pipes[2];
	loff_t off = 0;
	ssize_t n;

	out = open(AT("copy-out.txt"), O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (out < 0)
		return 250;
	if (how == COPY_RANGE) {
		n = copy_file_range(3, &off, out, NULL, sizeof(TEXT), 0);
	} else if (how == COPY_SENDFILE) {
		n = sendfile(out, 3, &off, sizeof(TEXT));
	} else {
		if (pipe(pipes))
			return 250;
		n = splice(3, &off, pipes[1], NULL, sizeof(TEXT), 0);
		if (n > 0)
			n = splice(pipes[0], NULL, out, NULL, (size_t)n, 0);
	}
	if (n < 0)
		return errno;
	if (pread(out, buf, sizeof(buf) - 1, 0) < 0)
		return 250;
	return strcmp(buf, TEXT) ? 99 : 0;
}

static const enum copy_how by_range = COPY_RANGE;
static const enum copy_how by_sendfile = COPY_SENDFILE;
static const enum copy_how by_splice = COPY_SPLICE;

/*
 * copy_file_range(), sendfile() and splice() read a held descriptor
 * inside the kernel: each is decided as the read it is.
 */
TEST_F_TIMEOUT(routes, kernel_copies_of_a_held_descriptor_are_decided_as_read,
	       120)
{
	ASSERT_EQ(0, mkrecord(AT("copied.txt")));
	EXPECT_REFUSED("read", "copied.txt",
		       with_held_fd("outsider", AT("copied.txt"), O_RDONLY,
				    copy_held, &by_range));
	EXPECT_EQ(EACCES, with_held_fd("outsider", AT("copied.txt"), O_RDONLY,
				       copy_held, &by_sendfile));
	EXPECT_EQ(EACCES, with_held_fd("outsider", AT("copied.txt"), O_RDONLY,
				       copy_held, &by_splice));
	/* the reader copies it, each way */
	EXPECT_EQ(0, with_held_fd("reader", AT("copied.txt"), O_RDONLY,
				  copy_held, &by_range));
	EXPECT_EQ(0, with_held_fd("reader", AT("copied.txt"), O_RDONLY,
				  copy_held, &by_sendfile));
	EXPECT_EQ(0, with_held_fd("reader", AT("copied.txt"), O_RDONLY,
				  copy_held, &by_splice));
}

/* Rename a file of the subject's own over (or, exchanged, with) a record. */
static int rename_onto(const void *arg)
{
	unsigned int flags = *(const unsigned int *)arg;
	int fd = open(AT("mine.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return 250;
	close(fd);
	return vm_rc(renameat2(AT_FDCWD, AT("mine.txt"), AT_FDCWD,
			       AT("replaced.txt"), flags));
}

static const unsigned int replace = 0;
static const unsigned int exchange = RENAME_EXCHANGE;

/*
 * A rename that replaces a record deletes it, and an exchange moves it
 * under the subject's own name: both are decided as its delete, whatever
 * the subject may do to the file it renames.
 */
TEST_F_TIMEOUT(routes, a_rename_that_replaces_or_swaps_a_record_is_its_delete,
	       120)
{
	ASSERT_EQ(0, mkrecord(AT("replaced.txt")));
	EXPECT_REFUSED("delete", "replaced.txt",
		       vm_in_cg("writer", rename_onto, &replace));
	EXPECT_TRUE(intact(AT("replaced.txt")));
	EXPECT_EQ(EACCES, vm_in_cg("writer", rename_onto, &exchange));
	EXPECT_TRUE(intact(AT("replaced.txt")));
	/* untagged, both work */
	EXPECT_EQ(0, vm_in_cg(NULL, rename_onto, &exchange));
	EXPECT_FALSE(intact(AT("replaced.txt")));
	EXPECT_TRUE(intact(AT("mine.txt")));
	EXPECT_EQ(0, vm_in_cg(NULL, rename_onto, &replace));
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
	 * trusted.* and security.* need CAP_SYS_ADMIN, which the guard
	 * withholds from tagged subjects before any write decision
	 */
	char v[8];

	ASSERT_EQ(0, mkrecord(XATTR_FILE));
	ASSERT_EQ(0, setxattr(XATTR_FILE, "user.note", "n", 1, 0));
	EXPECT_REFUSED("write", "xattrs.txt",
		       vm_in_cg("reader", change_xattr, "user.other"));
	EXPECT_EQ(EPERM, vm_in_cg("reader", change_xattr, "trusted.other"));
	EXPECT_EQ(EPERM, vm_in_cg("reader", change_xattr, "security.other"));
	EXPECT_EQ(EACCES, vm_in_cg("reader", change_xattr, "-user.note"));
	EXPECT_GT(0, getxattr(XATTR_FILE, "user.other", v, sizeof(v)));
	EXPECT_GT(0, getxattr(XATTR_FILE, "trusted.other", v, sizeof(v)));
	EXPECT_GT(0, getxattr(XATTR_FILE, "security.other", v, sizeof(v)));
	EXPECT_EQ(1, getxattr(XATTR_FILE, "user.note", v, sizeof(v)));
	/* the writer may, and none of them is taken for the label */
	EXPECT_EQ(0, vm_in_cg("writer", change_xattr, "user.other"));
	EXPECT_EQ(EPERM, vm_in_cg("writer", change_xattr, "trusted.other"));
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

/* ---- stacked file systems ------------------------------------------ */

#define OVL		AT("ovl")
#define OVL_LOWER	OVL "/lower"
#define OVL_UPPER	OVL "/upper"
#define OVL_MERGED	OVL "/merged"

/* overlayfs over OVL_LOWER with a labelled record in it, at OVL_MERGED */
static int mount_overlay(void)
{
	if (vm_sh("mkdir -p " OVL_LOWER " " OVL_UPPER " " OVL "/work "
		  OVL_MERGED) ||
	    mkrecord(OVL_LOWER "/rec.txt"))
		return -1;
	return mount("overlay", OVL_MERGED, "overlay", 0,
		     "lowerdir=" OVL_LOWER ",upperdir=" OVL_UPPER
		     ",workdir=" OVL "/work") ? -errno : 0;
}

static int append_line(const void *path)
{
	int fd = open(path, O_WRONLY | O_APPEND);

	if (fd < 0)
		return errno;
	if (write(fd, "x\n", 2) != 2)
		return (close(fd), errno);
	return close(fd) ? errno : 0;
}

/*
 * A write through overlayfs copies the lower file up into the upper
 * layer.  The write is decided on the overlay file, whose label is the
 * lower one's, before anything is copied; the copy the writer makes
 * carries the lower file's label, so that the upper file is guarded as
 * the lower one was.
 */
TEST_F_TIMEOUT(routes, an_overlay_copy_up_keeps_the_label, 120)
{
	char label[64];
	ssize_t n;
	int rc;

	rc = mount_overlay();
	if (rc == -ENODEV)
		SKIP(return, "this kernel has no overlayfs");
	ASSERT_EQ(0, rc);
	/* through the overlay, the lower file's label decides */
	EXPECT_EQ(0, vm_probe_open("reader", OVL_MERGED "/rec.txt", O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("outsider", OVL_MERGED "/rec.txt",
					O_RDONLY));
	/* a refused write and a refused chmod copy nothing up */
	EXPECT_REFUSED("write", "rec.txt",
		       vm_in_cg("reader", append_line, OVL_MERGED "/rec.txt"));
	EXPECT_EQ(EACCES, vm_in_cg("reader", do_chmod, OVL_MERGED "/rec.txt"));
	EXPECT_NE(0, access(OVL_UPPER "/rec.txt", F_OK));
	/* the writer's write is copied up with the label */
	EXPECT_EQ(0, vm_in_cg("writer", append_line, OVL_MERGED "/rec.txt"));
	n = getxattr(OVL_UPPER "/rec.txt", "user.abac", label,
		     sizeof(label) - 1);
	ASSERT_LT(0, n) TH_LOG("the upper file has no label: %s",
			       strerror(errno));
	label[n] = 0;
	EXPECT_STREQ("type=record", label);
	EXPECT_TRUE(intact(OVL_LOWER "/rec.txt"));
	/* and the copy is guarded as the lower file was */
	EXPECT_EQ(EACCES, vm_in_cg("reader", append_line,
				   OVL_MERGED "/rec.txt"));
	EXPECT_EQ(EACCES, vm_probe_open("outsider", OVL_MERGED "/rec.txt",
					O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("outsider", OVL_UPPER "/rec.txt",
					O_RDONLY));
	EXPECT_EQ(0, vm_probe_open("reader", OVL_MERGED "/rec.txt", O_RDONLY));
	EXPECT_EQ(0, umount2(OVL_MERGED, MNT_DETACH));
}

/* ---- files reached without a path ---------------------------------- */

#define EXT		AT("ext")
#define EXT_IMG		AT("ext.img")
#define EXT_RECORDS	EXT "/records"
#define EXT_CHART	EXT_RECORDS "/chart"
#define EXT_TOOL	EXT "/tool"

/*
 * An ext2 image on a loop device at EXT: the directory EXT_RECORDS
 * labelled type=record with EXT_CHART in it, unlabelled, and EXT_TOOL
 * labelled type=tool.  0, -ENODEV when the kernel has no loop device or
 * ext2, or -1.
 */
static int mount_ext(void)
{
	if (vm_sh("mkdir -p " EXT " && dd if=/dev/zero of=" EXT_IMG
		  " bs=1k count=2048 2>/dev/null && mke2fs -q -F " EXT_IMG
		  " >/dev/null"))
		return -1;
	if (vm_sh("mount -t ext2 -o loop,user_xattr " EXT_IMG " " EXT " 2>/dev/null"))
		return -ENODEV;
	if (mkdir(EXT_RECORDS, 0755) || vm_label(EXT_RECORDS, "type=record") ||
	    vm_mkfile(EXT_CHART, TEXT, NULL) ||
	    vm_mkfile(EXT_TOOL, TEXT, "type=tool"))
		return -1;
	return 0;
}

struct by_handle {
	struct file_handle fh;
	unsigned char room[MAX_HANDLE_SZ];
};

/* The handle of @path in @h; 0 or an errno. */
static int handle_of(const char *path, struct by_handle *h)
{
	int mount_id;

	h->fh.handle_bytes = MAX_HANDLE_SZ;
	return name_to_handle_at(AT_FDCWD, path, &h->fh, &mount_id, 0) ?
	       errno : 0;
}

/* Open the file of handle @arg on EXT for reading and read a byte. */
static int open_by_handle(const void *arg)
{
	struct by_handle *h = (struct by_handle *)arg;
	int mfd, fd, err = 0;
	char byte;

	mfd = open(EXT, O_RDONLY | O_DIRECTORY);
	if (mfd < 0)
		return 240;
	fd = open_by_handle_at(mfd, &h->fh, O_RDONLY);
	if (fd < 0)
		err = errno;
	else if (read(fd, &byte, 1) != 1)
		err = errno ?: 241;
	if (fd >= 0)
		close(fd);
	close(mfd);
	return err;
}

/*
 * open_by_handle_at() (CAP_DAC_READ_SEARCH, which tagged root keeps)
 * reaches a file without a path walk.  When its directory has left the
 * dentry cache (here: a remount), the file's dentry is disconnected: no
 * d_parent leads to the directory whose label it inherits.  Such a walk
 * fails closed (reason bad-label), for the subjects the label would let
 * in too; a file with its own label is decided on it as by a path.
 */
TEST_F_TIMEOUT(routes, a_file_opened_by_its_handle_cannot_lose_its_label, 120)
{
	struct by_handle chart, tool;
	char ino[96];
	struct stat st;
	int rc;

	rc = mount_ext();
	if (rc == -ENODEV)
		SKIP(return, "this kernel has no loop device or ext2");
	ASSERT_EQ(0, rc);
	ASSERT_EQ(0, handle_of(EXT_CHART, &chart));
	ASSERT_EQ(0, handle_of(EXT_TOOL, &tool));
	ASSERT_EQ(0, stat(EXT_CHART, &st));
	snprintf(ino, sizeof(ino), "\"path\":\"\",\"dev\":\"%u:%u\",\"ino\":%llu,",
		 major(st.st_dev), minor(st.st_dev),
		 (unsigned long long)st.st_ino);
	/* a fresh dentry cache for the image: nothing below its root */
	ASSERT_EQ(0, umount2(EXT, 0));
	ASSERT_EQ(0, vm_sh("mount -t ext2 -o loop,user_xattr " EXT_IMG " " EXT));
	EXPECT_EQ(EACCES, vm_in_cg("outsider", open_by_handle, &chart));
	/* the event has no path to give: it names the inode */
	EXPECT_TRUE(vm_log_has(ino, "\"reason\":\"bad-label\"", 10000));
	EXPECT_EQ(EACCES, vm_in_cg("reader", open_by_handle, &chart));
	/* its own label decides */
	EXPECT_EQ(EACCES, vm_in_cg("outsider", open_by_handle, &tool));
	EXPECT_EQ(0, vm_in_cg("reader", open_by_handle, &tool));
	/* untagged: not decided */
	EXPECT_EQ(0, open_by_handle(&chart));
	/* by its path, the directory's label decides as always */
	EXPECT_EQ(0, vm_probe_open("reader", EXT_CHART, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("outsider", EXT_CHART, O_RDONLY));
	EXPECT_EQ(0, umount2(EXT, MNT_DETACH));
}

/* ---- mappings ------------------------------------------------------- */

/**
 * struct mapping - one mmap() of descriptor 3 and what to do after.
 * @prot: its protection.
 * @flags: MAP_PRIVATE or MAP_SHARED.
 * @then_prot: if not 0, mprotect() the mapping to this afterwards.
 * @store: write a byte through the mapping (and msync it).
 */
struct mapping {
	int prot, flags, then_prot;
	bool store;
};

/* mmap descriptor 3 as @arg says; 0, or the errno of the step refused. */
static int map_held(const void *arg)
{
	const struct mapping *m = arg;
	char *p = mmap(NULL, 4096, m->prot, m->flags, 3, 0);
	int err = 0;

	if (p == MAP_FAILED)
		return errno;
	if ((m->prot & PROT_READ) && memcmp(p, TEXT, strlen(TEXT)))
		err = 254;	/* mapped, but not the file's content */
	if (!err && m->then_prot && mprotect(p, 4096, m->then_prot))
		err = errno;
	if (!err && m->store) {
		p[0] = 'X';
		if (msync(p, 4096, MS_SYNC))
			err = errno;
	}
	munmap(p, 4096);
	return err;
}

static int read_held(const void *arg)
{
	char c;

	return vm_rc(pread(3, &c, 1, 0));
}

static const struct mapping priv_read = { PROT_READ, MAP_PRIVATE };
static const struct mapping shared_read = { PROT_READ, MAP_SHARED };
static const struct mapping priv_none = { PROT_NONE, MAP_PRIVATE };
static const struct mapping priv_rw = { PROT_READ | PROT_WRITE, MAP_PRIVATE };
static const struct mapping shared_rw = { PROT_READ | PROT_WRITE, MAP_SHARED,
					  0, true };
static const struct mapping priv_rx = { PROT_READ | PROT_EXEC, MAP_PRIVATE };
static const struct mapping read_then_x = { PROT_READ, MAP_PRIVATE,
					    PROT_READ | PROT_EXEC };
static const struct mapping none_then_read = { PROT_NONE, MAP_PRIVATE,
					       PROT_READ };

/*
 * A descriptor opened before its holder was tagged (inherited across
 * `abac run`, or from any untagged parent) is refused at read(), and so
 * at every mapping of it, PROT_NONE included (mprotect would open it up).
 */
TEST_F_TIMEOUT(routes, a_mapping_of_a_held_descriptor_is_decided_as_read, 120)
{
	const char *path = AT("map-held.txt");

	ASSERT_EQ(0, mkrecord(path));
	EXPECT_EQ(EACCES, with_held_fd("outsider", path, O_RDONLY,
				       read_held, NULL));
	EXPECT_REFUSED("read", "map-held.txt",
		       with_held_fd("outsider", path, O_RDONLY, map_held,
				    &priv_read));
	EXPECT_EQ(EACCES, with_held_fd("outsider", path, O_RDONLY, map_held,
				       &shared_read));
	EXPECT_EQ(EACCES, with_held_fd("outsider", path, O_RDONLY, map_held,
				       &priv_none));
	EXPECT_EQ(EACCES, with_held_fd("runner", path, O_RDONLY, map_held,
				       &priv_rw));
	/* the reader may, and sees the content */
	EXPECT_EQ(0, with_held_fd("reader", path, O_RDONLY, map_held,
				  &priv_read));
	EXPECT_EQ(0, with_held_fd("reader", path, O_RDONLY, map_held,
				  &shared_read));
	EXPECT_EQ(0, with_held_fd("reader", path, O_RDONLY, map_held,
				  &none_then_read));
}

static int send_fd(int sock, int fd)
{
	char buf[CMSG_SPACE(sizeof(int))] = {}, c = 'f';
	struct iovec iov = { &c, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = buf,
			      .msg_controllen = sizeof(buf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char buf[CMSG_SPACE(sizeof(int))] = {}, c;
	struct iovec iov = { &c, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = buf,
			      .msg_controllen = sizeof(buf) };
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/*
 * In a child of cgroup @cg, receive a descriptor of @path from the
 * untagged test over a Unix socket, as descriptor 3, then @fn(@arg).
 */
static int with_sent_fd(const char *cg, const char *path,
			int (*fn)(const void *), const void *arg)
{
	int sv[2], fd, st;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		close(sv[0]);
		if (vm_join_cg(cg))
			_exit(250);
		fd = recv_fd(sv[1]);
		if (fd < 0 || dup2(fd, 3) != 3)
			_exit(251);
		_exit(fn(arg) & 0xff);
	}
	close(sv[1]);
	fd = open(path, O_RDONLY);
	if (fd < 0 || send_fd(sv[0], fd))
		kill(pid, SIGKILL);
	close(fd);
	close(sv[0]);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

TEST_F_TIMEOUT(routes, a_mapping_of_a_descriptor_received_over_a_socket_is_decided_as_read, 120)
{
	const char *path = AT("map-sent.txt");

	ASSERT_EQ(0, mkrecord(path));
	EXPECT_EQ(EACCES, with_sent_fd("outsider", path, read_held, NULL));
	EXPECT_REFUSED("read", "map-sent.txt",
		       with_sent_fd("outsider", path, map_held, &priv_read));
	EXPECT_EQ(0, with_sent_fd("reader", path, map_held, &priv_read));
}

#define HELD_FD	7

/* Take descriptor HELD_FD of process *@arg with pidfd_getfd, as 3; map it. */
static int getfd_and_map(const void *arg)
{
	int pidfd = syscall(SYS_pidfd_open, *(const pid_t *)arg, 0), fd;

	if (pidfd < 0)
		return errno;
	fd = syscall(SYS_pidfd_getfd, pidfd, HELD_FD, 0);
	if (fd < 0)
		return errno;
	if (dup2(fd, 3) != 3)
		return 253;
	return map_held(&priv_read);
}

/*
 * A process of cgroup @cg holds @path as HELD_FD, opened before it was
 * tagged; another of the same cgroup takes it with pidfd_getfd and maps
 * it.
 */
static int with_taken_fd(const char *cg, const char *path)
{
	int p[2], ret;
	pid_t holder;
	char c;

	if (pipe(p))
		return -1;
	holder = fork();
	if (holder < 0)
		return -1;
	if (!holder) {
		int fd = open(path, O_RDONLY);

		close(p[1]);
		if (fd < 0 || dup2(fd, HELD_FD) != HELD_FD || vm_join_cg(cg))
			_exit(250);
		if (read(p[0], &c, 1) < 0)	/* until the test is done */
			_exit(251);
		_exit(0);
	}
	close(p[0]);
	vm_msleep(200);	/* let it join its cgroup */
	ret = vm_in_cg(cg, getfd_and_map, &holder);
	close(p[1]);
	waitpid(holder, NULL, 0);
	return ret;
}

TEST_F_TIMEOUT(routes, a_mapping_of_a_descriptor_taken_with_pidfd_getfd_is_decided_as_read, 120)
{
	const char *path = AT("map-taken.txt");

	ASSERT_EQ(0, mkrecord(path));
	EXPECT_REFUSED("read", "map-taken.txt",
		       with_taken_fd("outsider", path));
	EXPECT_EQ(0, with_taken_fd("reader", path));
}

/*
 * A shared mapping of a file open for writing can be made writable by
 * mprotect: write, whatever its protection now.  A private writable
 * mapping writes nothing back: read.
 */
TEST_F_TIMEOUT(routes, a_shared_mapping_of_a_file_open_for_writing_is_decided_as_write, 120)
{
	const char *path = AT("map-write.txt");

	ASSERT_EQ(0, mkrecord(path));
	EXPECT_REFUSED("write", "map-write.txt",
		       with_held_fd("reader", path, O_RDWR, map_held,
				    &shared_read));
	EXPECT_EQ(EACCES, with_held_fd("reader", path, O_RDWR, map_held,
				       &shared_rw));
	EXPECT_TRUE(intact(path));
	EXPECT_EQ(0, with_held_fd("reader", path, O_RDWR, map_held,
				  &priv_rw));
	EXPECT_EQ(0, with_held_fd("reader", path, O_RDONLY, map_held,
				  &shared_read));
	/* the writer may write through its mapping */
	EXPECT_EQ(0, with_held_fd("writer", path, O_RDWR, map_held,
				  &shared_rw));
	EXPECT_FALSE(intact(path));
}

/*
 * Executing a file's content from a mapping is exec, whether the mapping
 * is made executable by mmap or later by mprotect.
 */
TEST_F_TIMEOUT(routes, a_mapping_made_executable_is_decided_as_exec, 120)
{
	const char *rec = AT("map-exec.txt"), *lib = AT("map-lib.so");
	const char *plain = AT("map-plain.txt");

	ASSERT_EQ(0, mkrecord(rec));
	ASSERT_EQ(0, vm_mkfile(lib, TEXT, "type=lib"));
	ASSERT_EQ(0, vm_mkfile(plain, TEXT, NULL));
	EXPECT_REFUSED("exec", "map-exec.txt",
		       with_held_fd("reader", rec, O_RDONLY, map_held,
				    &priv_rx));
	EXPECT_EQ(EACCES, with_held_fd("reader", rec, O_RDONLY, map_held,
				       &read_then_x));
	EXPECT_TRUE(vm_log_has("\"op\":\"exec\",\"path\":\"", "map-exec.txt\"",
			       10000));
	/* a library the reader may run, and an unlabelled file */
	EXPECT_EQ(0, with_held_fd("reader", lib, O_RDONLY, map_held,
				  &priv_rx));
	EXPECT_EQ(0, with_held_fd("reader", lib, O_RDONLY, map_held,
				  &read_then_x));
	EXPECT_EQ(0, with_held_fd("outsider", plain, O_RDONLY, map_held,
				  &read_then_x));
}

/* ---- the loader and exec-only programs ------------------------------ */

#define TOOL		AT("tool")		/* abac, type=tool */
#define OPEN_TOOL	AT("open-tool")		/* abac, unlabelled */
#define EXEC_ONLY	AT("exec-only")		/* busybox, type=tool */
#define OPEN_BUSYBOX	AT("busybox")		/* busybox, unlabelled */
#define LDSO		"/lib64/ld-linux-x86-64.so.2"

/* Run argv (NULL-terminated) and return its exit status or errno + 128. */
static int run(char *const argv[])
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execv(argv[0], argv);
		_exit(128 + errno);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int run_tool(const void *path)
{
	char *argv[] = { (char *)path, "--version", NULL };

	return run(argv);
}

static int run_by_loader(const void *path)
{
	char *argv[] = { LDSO, (char *)path, "--version", NULL };

	return run(argv);
}

static int open_read(const void *path)
{
	int fd = open(path, O_RDONLY);

	return fd < 0 ? errno : (close(fd), 0);
}

/*
 * The dynamic loader only reads a program (open, mmap): exec is decided
 * where its code is mapped executable, so that ld.so runs only what exec
 * may run.
 */
TEST_F_TIMEOUT(routes, a_loader_cannot_run_what_exec_may_not, 120)
{
	ASSERT_EQ(0, vm_sh("cp /usr/bin/abac " TOOL " && cp /usr/bin/abac "
			   OPEN_TOOL));
	ASSERT_EQ(0, vm_label(TOOL, "type=tool"));
	/* the reader may read the tool, not run it, nor have ld.so run it */
	EXPECT_EQ(128 + EACCES, vm_in_cg("reader", run_tool, TOOL));
	EXPECT_EQ(0, vm_in_cg("reader", open_read, TOOL));
	EXPECT_NE(0, vm_in_cg("reader", run_by_loader, TOOL));
	EXPECT_TRUE(vm_log_has("\"op\":\"exec\",\"path\":\"" TOOL "\"",
			       "\"comm\":\"ld-linux", 10000));
	/* the loader itself works: an unlabelled copy runs through it */
	EXPECT_EQ(0, vm_in_cg("reader", run_by_loader, OPEN_TOOL));
	/* the runner may run it, not read it (nor so load it) */
	EXPECT_EQ(0, vm_in_cg("runner", run_tool, TOOL));
	EXPECT_EQ(EACCES, vm_in_cg("runner", open_read, TOOL));
	EXPECT_NE(0, vm_in_cg("runner", run_by_loader, TOOL));
}

/**
 * struct victim - a child running busybox sleep from @path.
 * @path: the program.
 * @uid: the uid it runs as (and so does its parent, the prober).
 * @traceme: PTRACE_TRACEME before the exec.
 * @mode: NULL; or @path is a copy of routes_test, run as victim_main()
 *	with this mode.
 */
struct victim {
	const char *path;
	uid_t uid;
	bool traceme;
	const char *mode;
};

#define VICTIM_ENV	"ROUTES_VICTIM"

/*
 * routes_test run as a victim (VICTIM_ENV set; the test runs an
 * exec-only copy of itself).  In mode "fork" the program forks, writes
 * the child's pid to stdout and waits; the child is the victim: it runs
 * the same image, and must carry the same mark.
 */
__attribute__((constructor)) static void victim_main(void)
{
	const char *mode = getenv(VICTIM_ENV);
	pid_t pid;

	if (!mode)
		return;
	if (!strcmp(mode, "fork")) {
		pid = fork();
		if (pid) {
			dprintf(1, "%d\n", pid);
			pause();	/* its child stays our descendant */
			_exit(0);
		}
	}
	prctl(PR_SET_NAME, "sleep");
	sleep(30);
	_exit(0);
}

/*
 * Start the victim; its pid, or -1.  The caller is already in its cgroup.
 * In mode "fork", *@parent is set to the pid of the process between.
 */
static pid_t victim_start(const struct victim *v, pid_t *parent)
{
	char buf[16] = "";
	int p[2] = { -1, -1 };
	pid_t pid;

	if (v->mode && pipe(p))
		return -1;
	pid = fork();
	if (!pid) {
		if (v->traceme && ptrace(PTRACE_TRACEME, 0, NULL, NULL))
			_exit(250);
		if (v->mode && (dup2(p[1], 1) != 1 ||
				setenv(VICTIM_ENV, v->mode, 1)))
			_exit(250);
		execl(v->path, "sleep", "30", (char *)NULL);
		_exit(128 + errno);
	}
	if (!v->mode)
		return pid;
	close(p[1]);
	if (pid > 0 && !strcmp(v->mode, "fork")) {
		*parent = pid;
		pid = read(p[0], buf, sizeof(buf) - 1) > 0 ? atoi(buf) : -1;
	}
	close(p[0]);
	return pid;
}

/*
 * Wait until @pid runs the program of @v: its comm is the program's name,
 * or "sleep" once victim_main() is ready, and it sleeps.  exec sets the
 * comm before it maps the program: a running task may still be loading.
 */
static bool victim_running(pid_t pid, const struct victim *v)
{
	const char *want = v->mode ? "sleep" : strrchr(v->path, '/') + 1;
	size_t len = strlen(want);
	char path[64], *stat, *end;
	bool ok = false;
	int i;

	/* /proc/PID/stat: "PID (COMM) STATE ..." */
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (i = 0; i < 200 && !ok; i++) {
		stat = vm_read_file(path);
		end = stat ? strrchr(stat, ')') : NULL;
		ok = end && end - stat > (ptrdiff_t)len &&
		     !strncmp(end - len, want, len) && end[-len - 1] == '(' &&
		     end[1] == ' ' && end[2] == 'S';
		free(stat);
		if (!ok)
			vm_msleep(50);
	}
	return ok;
}

/* The start of the victim's text, from /proc/PID/maps (readable to all). */
static unsigned long victim_text(pid_t pid)
{
	char path[64], *maps, *line;
	unsigned long lo = 0;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	maps = vm_read_file(path);
	for (line = maps; line && *line; line = strchr(line, '\n') + 1) {
		if (strstr(line, " r-xp ") || strstr(line, " r--p ")) {
			lo = strtoul(line, NULL, 16);
			break;
		}
		if (!strchr(line, '\n'))
			break;
	}
	free(maps);
	return lo;
}

enum peek { PEEK_MEM, PEEK_VM_READV, PEEK_PTRACE };

/*
 * How each way is refused by an LSM: mm_access()'s EACCES, which
 * process_vm_readv turns to EPERM; ptrace passes the LSM's EACCES on.
 */
static const int lsm_refused[] = {
	[PEEK_MEM] = EACCES,
	[PEEK_VM_READV] = EPERM,
	[PEEK_PTRACE] = EACCES,
};

/*
 * Where to read when /proc/PID/maps cannot be read: any address does,
 * since the access check comes first; were it passed, an unmapped
 * address fails with another errno than a refusal's.
 */
#define NO_TEXT		0x10000UL

/* Read the victim's text by @how; 0 when a byte could be read, or errno. */
static int peek(pid_t pid, enum peek how)
{
	unsigned long text;
	char path[64], byte;
	int fd, err = 0;

	if (how == PEEK_MEM) {
		snprintf(path, sizeof(path), "/proc/%d/mem", pid);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return errno;
		text = victim_text(pid) ?: NO_TEXT;
		err = pread(fd, &byte, 1, text) == 1 ? 0 : errno;
		close(fd);
		return err;
	}
	text = victim_text(pid) ?: NO_TEXT;
	if (how == PEEK_VM_READV) {
		struct iovec l = { &byte, 1 }, r = { (void *)text, 1 };

		err = process_vm_readv(pid, &l, 1, &r, 1, 0) == 1 ? 0 : errno;
	} else {
		if (ptrace(PTRACE_ATTACH, pid, NULL, NULL))
			return errno;
		waitpid(pid, NULL, 0);
		errno = 0;
		ptrace(PTRACE_PEEKTEXT, pid, (void *)text, NULL);
		err = errno;
		ptrace(PTRACE_DETACH, pid, NULL, NULL);
	}
	return err;
}

struct peek_arg {
	struct victim v;
	enum peek how;
};

/* In the test cgroup: start the victim, read its memory, stop it. */
static int peek_victim(const void *arg)
{
	const struct peek_arg *a = arg;
	pid_t pid, parent = 0;
	int err = 252;

	if (a->v.uid && (setgid(a->v.uid) || setuid(a->v.uid)))
		return 249;
	pid = victim_start(&a->v, &parent);
	if (pid > 0 && victim_running(pid, &a->v))
		err = peek(pid, a->how);
	if (pid > 0)
		kill(pid, SIGKILL);
	if (parent > 0)
		kill(parent, SIGKILL);
	waitpid(parent > 0 ? parent : pid, NULL, 0);
	return err;
}

static void exec_only_setup(void)
{
	vm_sh("cp /bin/busybox " EXEC_ONLY " && cp /bin/busybox "
	      OPEN_BUSYBOX " && chmod 755 " EXEC_ONLY " " OPEN_BUSYBOX);
	vm_label(EXEC_ONLY, "type=tool");
}

/*
 * A program the subject may run but not read: the process running it is
 * the subject's own child, yet its memory is out of the subject's reach
 * by /proc/PID/mem, process_vm_readv and ptrace, root or not: the
 * process's exec-only mark is decided as a read of the program (the
 * event names its inode: the hook holds no file of the target's).
 */
TEST_F_TIMEOUT(routes, an_exec_only_programs_memory_cannot_be_read, 180)
{
	struct peek_arg a = { { EXEC_ONLY, 0, false, NULL }, PEEK_MEM };
	struct peek_arg o = { { OPEN_BUSYBOX, 0, false, NULL }, PEEK_MEM };
	char ino[48];
	struct stat st;
	enum peek how;

	exec_only_setup();
	ASSERT_EQ(0, stat(EXEC_ONLY, &st));
	snprintf(ino, sizeof(ino), "\"ino\":%llu",
		 (unsigned long long)st.st_ino);
	for (how = PEEK_MEM; how <= PEEK_PTRACE; how++) {
		a.how = o.how = how;
		EXPECT_EQ(lsm_refused[how],
			  vm_in_cg("runner", peek_victim, &a))
			TH_LOG("read an exec-only program's memory (way %d)",
			       how);
		EXPECT_EQ(0, vm_in_cg("runner", peek_victim, &o))
			TH_LOG("could not read a readable program (way %d)",
			       how);
	}
	EXPECT_TRUE(vm_log_has("\"op\":\"read\",\"path\":\"\"", ino, 10000));
	/* and an unprivileged subject alike */
	a.v.uid = o.v.uid = 1000;
	a.how = o.how = PEEK_MEM;
	EXPECT_EQ(EACCES, vm_in_cg("runner", peek_victim, &a));
	EXPECT_EQ(0, vm_in_cg("runner", peek_victim, &o));
}

#define EXEC_ONLY_SELF	AT("exec-only-self")	/* routes_test, type=tool */
#define OPEN_SELF	AT("open-self")		/* routes_test, unlabelled */

/*
 * A process forked from one running an exec-only program runs the same
 * image: it carries the same mark (task_alloc).
 */
TEST_F_TIMEOUT(routes, a_fork_of_an_exec_only_program_is_unreadable_too, 120)
{
	struct peek_arg a = { { EXEC_ONLY_SELF, 0, false, "fork" }, PEEK_MEM };
	struct peek_arg o = { { OPEN_SELF, 0, false, "fork" }, PEEK_MEM };
	char prog[PATH_MAX] = "";

	ASSERT_LT(0, readlink("/proc/self/exe", prog, sizeof(prog) - 1));
	ASSERT_EQ(0, vm_sh("cp %s " EXEC_ONLY_SELF " && cp %s " OPEN_SELF,
			   prog, prog));
	ASSERT_EQ(0, vm_label(EXEC_ONLY_SELF, "type=tool"));
	EXPECT_EQ(EACCES, vm_in_cg("runner", peek_victim, &a));
	EXPECT_EQ(0, vm_in_cg("runner", peek_victim, &o));
}

/* In the test cgroup: PTRACE_TRACEME and exec; 0 when the exec worked. */
static int traced_exec(const void *path)
{
	struct victim v = { path, 0, true };
	pid_t pid = victim_start(&v, NULL);
	int st;

	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 252;
	if (WIFEXITED(st))
		return WEXITSTATUS(st) >= 128 ? WEXITSTATUS(st) - 128 : 251;
	/* stopped by SIGTRAP at its exec: the program runs under us */
	kill(pid, SIGKILL);
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	waitpid(pid, NULL, 0);
	return 0;
}

TEST_F_TIMEOUT(routes, an_exec_only_program_is_not_run_under_a_tracer, 120)
{
	exec_only_setup();
	EXPECT_EQ(EACCES, vm_in_cg("runner", traced_exec, EXEC_ONLY));
	EXPECT_TRUE(vm_log_has("\"op\":\"read\",\"path\":\"" EXEC_ONLY "\"",
			       "\"comm\":\"routes_test\"", 10000));
	EXPECT_EQ(0, vm_in_cg("runner", traced_exec, OPEN_BUSYBOX));
}

/* Dump core in @arg's folder: 1 if a core was written, 0 if not. */
static int dump_core(const void *arg)
{
	const struct victim *v = arg;
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	pid_t pid;
	int st;

	if (setrlimit(RLIMIT_CORE, &rl) || chdir(AT("cores")))
		return 249;
	pid = victim_start(v, NULL);
	if (pid < 0 || !victim_running(pid, v))
		return 252;
	kill(pid, SIGQUIT);
	if (waitpid(pid, &st, 0) != pid || !WIFSIGNALED(st))
		return 253;
	return WCOREDUMP(st) && !access("core", F_OK) ? 1 : 0;
}

/*
 * A core dump of a process running an exec-only program would hold the
 * program's pages: the core file is refused (file_open, PF_DUMPCORE).
 */
TEST_F_TIMEOUT(routes, an_exec_only_program_leaves_no_core_dump, 180)
{
	struct victim eo = { EXEC_ONLY, 0, false };
	struct victim open = { OPEN_BUSYBOX, 0, false };

	exec_only_setup();
	ASSERT_EQ(0, vm_write_file("/proc/sys/kernel/core_pattern", "core"));
	ASSERT_EQ(0, mkdir(AT("cores"), 0777));
	EXPECT_EQ(0, vm_in_cg("runner", dump_core, &eo));
	unlink(AT("cores/core"));
	EXPECT_EQ(1, vm_in_cg("runner", dump_core, &open));
}

TEST_HARNESS_MAIN
