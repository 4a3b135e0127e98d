// SPDX-License-Identifier: GPL-2.0-only
/*
 * io_uring, the route that makes no system call of its own: a tagged
 * subject's opens, reads, writes, truncations, deletes, renames, label
 * changes, connects, binds and listens submitted through a ring must be
 * decided as the same operations made by system calls, whichever kernel
 * thread carries them out:
 *
 *   - inline: the submitting task itself, in io_uring_enter();
 *   - worker: an io-wq worker thread (IOSQE_ASYNC forces one);
 *   - sqpoll: the ring's own submission thread (IORING_SETUP_SQPOLL),
 *     which picks requests up without any system call.
 *
 * The attacker's best case is taken each time: the ring, its worker
 * threads and its submission thread are all made before the process
 * joins the tagged cgroup, so they were born untagged.  Each refusal is
 * checked with its event in the agent's log, each has a positive control.
 * The ring is driven by raw system calls (no liburing), with the opcodes
 * of kernels newer than the build host's headers defined here.
 */
#include <arpa/inet.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <grp.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "vm_common.h"

/* opcodes after Linux 6.1's <linux/io_uring.h> (the build host's) */
#define URING_OP_FTRUNCATE	55	/* Linux 6.9 */
#define URING_OP_BIND		56	/* Linux 6.11 */
#define URING_OP_LISTEN		57	/* Linux 6.11 */

static const char uring_policy[] =
	"version: 1\n"
	"name: vm-uring\n"
	"mode: enforce\n"
	"default: deny\n"
	"attributes:\n"
	"  subject:\n"
	"    role: {type: string, values: [reader, writer, outsider]}\n"
	"  object:\n"
	"    type: {type: string, values: [record]}\n"
	"    zone: {type: string, values: [local, admin]}\n"
	"networks:\n"
	"  local: {cidrs: [127.0.0.0/8], ports: [8000-8999], attributes: {zone: local}}\n"
	"  admin: {cidrs: [127.0.0.0/8], ports: [7000-7999], attributes: {zone: admin}}\n"
	"rules:\n"
	"  - id: readers-read-records\n"
	"    nlp: \"Readers and writers may read records.\"\n"
	"    effect: allow\n"
	"    ops: [read]\n"
	"    subject: {role: [reader, writer]}\n"
	"    object: {type: record}\n"
	"  - id: writers-change-records\n"
	"    nlp: \"Writers may change, add and remove records.\"\n"
	"    effect: allow\n"
	"    ops: [write, create, delete]\n"
	"    subject: {role: writer}\n"
	"    object: {type: record}\n"
	"  - id: readers-bind-local-ports\n"
	"    nlp: \"Readers may bind local ports, not listen on them.\"\n"
	"    effect: allow\n"
	"    ops: [bind]\n"
	"    subject: {role: reader}\n"
	"    object: {zone: local}\n"
	"  - id: writers-use-local-services\n"
	"    nlp: \"Writers may use local services.\"\n"
	"    effect: allow\n"
	"    ops: [connect, bind, listen]\n"
	"    subject: {role: writer}\n"
	"    object: {zone: local}\n";

#define TEXT		"bp 120/80, pulse 64\n"
#define AT(name)	TEST_DIR "/" name

/*
 * The variant's own record and ports, so that an event a test looks for
 * in the log cannot be another variant's.
 */
static char record[PATH_MAX], moved[PATH_MAX], record_name[64];
static int port_base;

/* ---- a ring, by raw system calls ----------------------------------- */

struct ring {
	int fd;
	unsigned int sqe_flags;		/* IOSQE_ASYNC for the worker variant */
	bool sqpoll;
	unsigned int *sq_tail, *sq_mask, *sq_array, *sq_flags;
	unsigned int *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

static int ring_enter(int fd, unsigned int submit, unsigned int wait,
		      unsigned int flags)
{
	return (int)syscall(__NR_io_uring_enter, fd, submit, wait, flags,
			    NULL, 0);
}

/* Set a ring up; 0 or a negative errno (-ENOSYS: no io_uring). */
static int ring_init(struct ring *r, unsigned int setup_flags,
		     unsigned int sqe_flags)
{
	struct io_uring_params p = {
		.flags = setup_flags,
		.sq_thread_idle = 10000,
	};
	void *sq, *cq;

	memset(r, 0, sizeof(*r));
	r->fd = (int)syscall(__NR_io_uring_setup, 8, &p);
	if (r->fd < 0)
		return -errno;
	sq = mmap(NULL, p.sq_off.array + p.sq_entries * sizeof(__u32),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
		  IORING_OFF_SQ_RING);
	cq = mmap(NULL, p.cq_off.cqes +
		  p.cq_entries * sizeof(struct io_uring_cqe),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
		  IORING_OFF_CQ_RING);
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		       r->fd, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || r->sqes == MAP_FAILED)
		return -ENOMEM;
	r->sq_tail = (unsigned int *)((char *)sq + p.sq_off.tail);
	r->sq_mask = (unsigned int *)((char *)sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned int *)((char *)sq + p.sq_off.array);
	r->sq_flags = (unsigned int *)((char *)sq + p.sq_off.flags);
	r->cq_head = (unsigned int *)((char *)cq + p.cq_off.head);
	r->cq_tail = (unsigned int *)((char *)cq + p.cq_off.tail);
	r->cq_mask = (unsigned int *)((char *)cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)((char *)cq + p.cq_off.cqes);
	r->sqe_flags = sqe_flags;
	r->sqpoll = setup_flags & IORING_SETUP_SQPOLL;
	return 0;
}

/* Submit @in, wait for its completion; its result (-errno on failure). */
static int ring_run(struct ring *r, const struct io_uring_sqe *in)
{
	unsigned int tail = *r->sq_tail, idx = tail & *r->sq_mask, head;
	unsigned int flags = IORING_ENTER_GETEVENTS, submit = 1;
	int res;

	r->sqes[idx] = *in;
	r->sqes[idx].flags |= r->sqe_flags;
	r->sq_array[idx] = idx;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (r->sqpoll) {
		submit = 0;	/* the ring's thread picks it up */
		if (__atomic_load_n(r->sq_flags, __ATOMIC_ACQUIRE) &
		    IORING_SQ_NEED_WAKEUP)
			flags |= IORING_ENTER_SQ_WAKEUP;
	}
	for (;;) {
		head = *r->cq_head;
		if (head != __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
			break;
		if (ring_enter(r->fd, submit, 1, flags) < 0 && errno != EINTR)
			return -errno;
		submit = 0;
		flags &= ~IORING_ENTER_SQ_WAKEUP;
		if (r->sqpoll &&
		    (__atomic_load_n(r->sq_flags, __ATOMIC_ACQUIRE) &
		     IORING_SQ_NEED_WAKEUP))
			flags |= IORING_ENTER_SQ_WAKEUP;
	}
	res = r->cqes[head & *r->cq_mask].res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return res;
}

/* ---- requests ------------------------------------------------------- */

static int uring_openat(struct ring *r, const char *path, int flags)
{
	struct io_uring_sqe s = {
		.opcode = IORING_OP_OPENAT,
		.fd = AT_FDCWD,
		.addr = (__u64)(uintptr_t)path,
		.len = 0644,
		.open_flags = (__u32)flags,
	};

	return ring_run(r, &s);
}

static int uring_rw(struct ring *r, int op, int fd, void *buf,
		    unsigned int len)
{
	struct io_uring_sqe s = {
		.opcode = (__u8)op,
		.fd = fd,
		.addr = (__u64)(uintptr_t)buf,
		.len = len,
	};

	return ring_run(r, &s);
}

/* ---- the processes -------------------------------------------------- */

/*
 * Variants of the thread that carries a request out.  The worker
 * variant runs one request through an io-wq worker before the process
 * is tagged, so the worker that serves it later was born untagged.
 */
FIXTURE(uring) {
	int unused;
};

FIXTURE_VARIANT(uring) {
	const char *name;
	int index;
	unsigned int setup_flags;
	unsigned int sqe_flags;
};

FIXTURE_VARIANT_ADD(uring, inline) {
	.name = "inline",
	.index = 0,
	.setup_flags = 0,
	.sqe_flags = 0,
};

FIXTURE_VARIANT_ADD(uring, worker) {
	.name = "worker",
	.index = 1,
	.setup_flags = 0,
	.sqe_flags = IOSQE_ASYNC,
};

FIXTURE_VARIANT_ADD(uring, sqpoll) {
	.name = "sqpoll",
	.index = 2,
	.setup_flags = IORING_SETUP_SQPOLL,
	.sqe_flags = 0,
};

typedef int (*ring_fn)(struct ring *r, const void *arg);

/*
 * Run @fn(ring, @arg) in a fresh process that sets the ring up (and, for
 * the worker variant, starts its io-wq worker) untagged, with @path open
 * (@flags, unless @path is NULL) as descriptor 3, and only then joins
 * cgroup @cg.  Returns @fn's errno (0 when it worked), 240 when the ring
 * could not be set up, 241 when the process left @cg on the way.
 */
static int ring_in_cg(const FIXTURE_VARIANT(uring) *v, const char *cg,
		      const char *path, int flags, ring_fn fn, const void *arg)
{
	char want[PATH_MAX], *mine;
	struct ring r;
	int fd, ret;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid)
		return vm_wait_exit(pid);
	if (path) {	/* first: the ring's descriptor is not to be 3 */
		fd = open(path, flags);
		if (fd < 0 || (fd != 3 && (dup2(fd, 3) != 3 || close(fd))))
			_exit(242);
	}
	if (ring_init(&r, v->setup_flags, v->sqe_flags))
		_exit(240);
	if (v->sqe_flags & IOSQE_ASYNC) {
		struct io_uring_sqe nop = { .opcode = IORING_OP_NOP };

		if (ring_run(&r, &nop))
			_exit(240);
	}
	if (vm_join_cg(cg))
		_exit(250);
	ret = fn(&r, arg);
	/* whatever it did, the process is still in its cgroup */
	snprintf(want, sizeof(want), "0::/abac-test/%s\n", cg);
	mine = vm_read_file("/proc/self/cgroup");
	if (!mine || strcmp(mine, want))
		_exit(241);
	_exit(ret & 0xff);
}

/* The errno of a ring's result: 0 for success. */
static int rc(int res)
{
	return res < 0 ? -res : 0;
}

/* Is a denial of @op naming an object that ends with @name logged? */
static bool denial_logged(const char *op, const char *name)
{
	char n1[64], n2[PATH_MAX];

	snprintf(n1, sizeof(n1), "\"op\":\"%s\",\"path\":\"", op);
	snprintf(n2, sizeof(n2), "%s\"", name);
	return vm_log_has(n1, n2, 10000);
}

/* Refused with @err, and a denial of @op naming @name is in the log. */
#define EXPECT_DENIED(err, op, name, expr)				\
	do {								\
		EXPECT_EQ(err, (expr));					\
		EXPECT_TRUE(denial_logged(op, name))			\
			TH_LOG("no %s denial naming %s", op, name);	\
	} while (0)

/* Is the content of @path still TEXT? */
static bool intact(const char *path)
{
	char *s = vm_read_file(path);
	bool ok = s && !strcmp(s, TEXT);

	free(s);
	return ok;
}

FIXTURE_SETUP(uring)
{
	struct ring r;
	int err;

	ASSERT_EQ(0, vm_setup());
	err = ring_init(&r, variant->setup_flags, 0);
	if (err == -ENOSYS || err == -EPERM)
		SKIP(return, "no io_uring in this kernel (%s)", strerror(-err));
	ASSERT_EQ(0, err);
	close(r.fd);
	ASSERT_EQ(0, vm_apply("uring", uring_policy));
	ASSERT_EQ(0, vm_tag("reader", "role=reader"));
	ASSERT_EQ(0, vm_tag("writer", "role=writer"));
	ASSERT_EQ(0, vm_tag("outsider", "role=outsider"));
	snprintf(record_name, sizeof(record_name), "record-%s.txt",
		 variant->name);
	snprintf(record, sizeof(record), TEST_DIR "/%s", record_name);
	snprintf(moved, sizeof(moved), TEST_DIR "/moved-%s.txt",
		 variant->name);
	port_base = 10 * variant->index;
	ASSERT_EQ(0, vm_mkfile(record, TEXT, "type=record"));
}

FIXTURE_TEARDOWN(uring)
{
	vm_untag("reader");
	vm_untag("writer");
	vm_untag("outsider");
}

/* ---- files ---------------------------------------------------------- */

static int open_flags_fn(struct ring *r, const void *arg)
{
	const int *flags = arg;
	int fd = uring_openat(r, record, *flags);

	return fd < 0 ? -fd : (close(fd), 0);
}

TEST_F_TIMEOUT(uring, openat_is_decided_as_an_open, 120)
{
	static const int rd = O_RDONLY, wr = O_WRONLY, tr = O_RDONLY | O_TRUNC;

	EXPECT_DENIED(EACCES, "read", record_name,
		      ring_in_cg(variant, "outsider", NULL, 0, open_flags_fn,
				 &rd));
	EXPECT_EQ(0, ring_in_cg(variant, "reader", NULL, 0, open_flags_fn,
				&rd));
	EXPECT_DENIED(EACCES, "write", record_name,
		      ring_in_cg(variant, "reader", NULL, 0, open_flags_fn,
				 &wr));
	EXPECT_EQ(EACCES, ring_in_cg(variant, "reader", NULL, 0, open_flags_fn,
				     &tr));
	EXPECT_TRUE(intact(record));
	EXPECT_EQ(0, ring_in_cg(variant, "writer", NULL, 0, open_flags_fn,
				&wr));
}

/* Read descriptor 3 through the ring: 0 when TEXT came back. */
static int read_held(struct ring *r, const void *unused)
{
	char buf[64] = "";
	int n = uring_rw(r, IORING_OP_READ, 3, buf, sizeof(buf) - 1);

	if (n < 0)
		return -n;
	return strcmp(buf, TEXT) ? 99 : 0;
}

static int write_held(struct ring *r, const void *unused)
{
	char buf[] = "forged";

	return rc(uring_rw(r, IORING_OP_WRITE, 3, buf, sizeof(buf) - 1));
}

static int ftruncate_held(struct ring *r, const void *unused)
{
	struct io_uring_sqe s = {
		.opcode = URING_OP_FTRUNCATE,
		.fd = 3,
		.off = 1,
	};
	int res = ring_run(r, &s);

	return res == -EINVAL ? 98 : rc(res);	/* 98: no such opcode */
}

/*
 * Descriptors opened before the tagging: what the ring reads, writes or
 * truncates through them is decided at each request.
 */
TEST_F_TIMEOUT(uring, a_held_descriptor_is_decided_at_each_request, 120)
{
	EXPECT_DENIED(EACCES, "read", record_name,
		      ring_in_cg(variant, "outsider", record,
				 O_RDONLY, read_held, NULL));
	EXPECT_EQ(0, ring_in_cg(variant, "reader", record, O_RDONLY,
				read_held, NULL));
	EXPECT_DENIED(EACCES, "write", record_name,
		      ring_in_cg(variant, "reader", record,
				 O_WRONLY, write_held, NULL));
	EXPECT_EQ(EACCES, ring_in_cg(variant, "reader", record,
				     O_WRONLY, ftruncate_held, NULL));
	EXPECT_TRUE(intact(record));
	EXPECT_EQ(0, ring_in_cg(variant, "writer", record, O_WRONLY,
				ftruncate_held, NULL));
	EXPECT_FALSE(intact(record));
}

static int unlink_fn(struct ring *r, const void *path)
{
	struct io_uring_sqe s = {
		.opcode = IORING_OP_UNLINKAT,
		.fd = AT_FDCWD,
		.addr = (__u64)(uintptr_t)path,
	};

	return rc(ring_run(r, &s));
}

static int rename_fn(struct ring *r, const void *unused)
{
	struct io_uring_sqe s = {
		.opcode = IORING_OP_RENAMEAT,
		.fd = AT_FDCWD,
		.addr = (__u64)(uintptr_t)record,
		.len = (__u32)AT_FDCWD,
		.off = (__u64)(uintptr_t)moved,
	};

	return rc(ring_run(r, &s));
}

static int setlabel_fn(struct ring *r, const void *unused)
{
	static const char name[] = "user.abac", value[] = "type=record";
	struct io_uring_sqe s = {
		.opcode = IORING_OP_SETXATTR,
		.addr = (__u64)(uintptr_t)name,
		.off = (__u64)(uintptr_t)value,
		.len = sizeof(value) - 1,
		.addr3 = (__u64)(uintptr_t)record,
	};

	return rc(ring_run(r, &s));
}

TEST_F_TIMEOUT(uring, delete_rename_and_relabel_are_decided, 120)
{
	struct stat st;

	EXPECT_DENIED(EACCES, "delete", record_name,
		      ring_in_cg(variant, "reader", NULL, 0, unlink_fn,
				 record));
	EXPECT_EQ(EACCES, ring_in_cg(variant, "reader", NULL, 0, rename_fn,
				     NULL));
	EXPECT_DENIED(EACCES, "relabel", record_name,
		      ring_in_cg(variant, "writer", NULL, 0, setlabel_fn,
				 NULL));
	EXPECT_EQ(0, stat(record, &st));
	EXPECT_TRUE(intact(record));
	EXPECT_EQ(0, ring_in_cg(variant, "writer", NULL, 0, unlink_fn,
				record));
	EXPECT_NE(0, stat(record, &st));
}

/* ---- the guard ------------------------------------------------------ */

/* Open the test root's cgroup.procs and write "0" to it: leave. */
static int leave_fn(struct ring *r, const void *unused)
{
	char zero[] = "0";
	int fd, res;

	fd = uring_openat(r, TEST_CG_ROOT "/cgroup.procs", O_WRONLY);
	if (fd < 0)
		return -fd;
	res = uring_rw(r, IORING_OP_WRITE, fd, zero, 1);
	close(fd);
	return rc(res);
}

TEST_F_TIMEOUT(uring, the_ring_does_not_move_its_process_out, 120)
{
	EXPECT_EQ(EPERM, ring_in_cg(variant, "writer", NULL, 0, leave_fn,
				    NULL));
	EXPECT_TRUE(vm_log_has("\"guard\":\"cgroup-write\"", "cgroup.procs",
			       10000));
}

/* ---- sockets -------------------------------------------------------- */

struct net_req {
	int op;		/* IORING_OP_CONNECT, URING_OP_BIND or _LISTEN */
	int port;
};

static int net_fn(struct ring *r, const void *arg)
{
	const struct net_req *q = arg;
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons((unsigned short)q->port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct io_uring_sqe s = {
		.opcode = (__u8)q->op,
		.addr = (__u64)(uintptr_t)&a,
		.off = sizeof(a),
	};
	int one = 1, fd, res;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	s.fd = fd;
	if (q->op == URING_OP_LISTEN) {
		/* bound by a system call, then listen through the ring */
		if (bind(fd, (void *)&a, sizeof(a)))
			return errno == EACCES ? 97 : errno;
		s.addr = 0;
		s.off = 0;
		s.len = 8;
	}
	res = ring_run(r, &s);
	close(fd);
	return res == -EINVAL ? 98 : rc(res);	/* 98: no such opcode */
}

/* A listener on 127.0.0.1:@port, made untagged. */
static int listener(int port)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons((unsigned short)port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (void *)&a, sizeof(a)) || listen(fd, 8))
		return -1;
	return fd;
}

TEST_F_TIMEOUT(uring, connect_bind_and_listen_are_decided, 120)
{
	struct net_req admin = { IORING_OP_CONNECT, 7000 + port_base };
	struct net_req local = { IORING_OP_CONNECT, 8000 + port_base };
	struct net_req bind_admin = { URING_OP_BIND, 7001 + port_base };
	struct net_req bind_local = { URING_OP_BIND, 8001 + port_base };
	struct net_req listen_local = { URING_OP_LISTEN, 8002 + port_base };
	int l_admin = listener(admin.port), l_local = listener(local.port);
	char name[64];

	ASSERT_LE(0, l_admin);
	ASSERT_LE(0, l_local);
	snprintf(name, sizeof(name), "127.0.0.1:%d", admin.port);
	EXPECT_DENIED(EACCES, "connect", name,
		      ring_in_cg(variant, "writer", NULL, 0, net_fn, &admin));
	EXPECT_EQ(0, ring_in_cg(variant, "writer", NULL, 0, net_fn, &local));
	EXPECT_EQ(EACCES, ring_in_cg(variant, "reader", NULL, 0, net_fn,
				     &local));
	snprintf(name, sizeof(name), "127.0.0.1:%d", bind_admin.port);
	EXPECT_DENIED(EACCES, "bind", name,
		      ring_in_cg(variant, "writer", NULL, 0, net_fn,
				 &bind_admin));
	EXPECT_EQ(0, ring_in_cg(variant, "writer", NULL, 0, net_fn,
				&bind_local));
	EXPECT_EQ(0, ring_in_cg(variant, "writer", NULL, 0, net_fn,
				&listen_local));
	/* the reader binds (by a system call) but may not listen */
	snprintf(name, sizeof(name), "127.0.0.1:%d", listen_local.port);
	EXPECT_DENIED(EACCES, "listen", name,
		      ring_in_cg(variant, "reader", NULL, 0, net_fn,
				 &listen_local));
	close(l_admin);
	close(l_local);
}

/* ---- borrowed credentials ------------------------------------------ */

#define OVL		AT("ovl")
#define OVL_MERGED	OVL "/merged"

/* overlayfs with a plain file and a record in its lower layer */
static int mount_overlay(const char *rec)
{
	char path[PATH_MAX];

	if (vm_sh("mkdir -p " OVL "/lower " OVL "/upper " OVL "/work "
		  OVL_MERGED) ||
	    vm_mkfile(OVL "/lower/plain.bin", TEXT, NULL))
		return -1;
	snprintf(path, sizeof(path), OVL "/lower/%s", rec);
	if (vm_mkfile(path, TEXT, "type=record"))
		return -1;
	return mount("overlay", OVL_MERGED, "overlay", 0,
		     "lowerdir=" OVL "/lower,upperdir=" OVL "/upper,workdir="
		     OVL "/work") ? -errno : 0;
}

/*
 * The attacker's way to credentials that are not its own: register its
 * credentials as an io_uring personality, change them (setgroups makes
 * new ones), and submit with the old ones.  It then stats, through that
 * personality, a file of the overlay's private layer mount (reached by
 * /proc/self/map_files of a mapping of a plain overlay file), which is
 * what overlayfs does on its own credentials before a copy-up; and
 * opens the record with the same personality.  Returns the open's errno.
 */
static int borrow_fn(struct ring *r, const void *arg)
{
	const char *rec = arg;
	struct io_uring_sqe st = { .opcode = IORING_OP_STATX };
	struct io_uring_sqe op = { .opcode = IORING_OP_OPENAT };
	char mf[128];
	struct statx stx;
	int fd, lower, pers;
	void *m;

	fd = open(OVL_MERGED "/plain.bin", O_RDONLY);
	if (fd < 0)
		return 230;
	m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED)
		return 231;
	snprintf(mf, sizeof(mf), "/proc/self/map_files/%lx-%lx",
		 (unsigned long)m, (unsigned long)m + 4096);
	lower = open(mf, O_RDONLY);	/* the layer's own file */
	if (lower < 0)
		return 232;
	pers = (int)syscall(__NR_io_uring_register, r->fd,
			    IORING_REGISTER_PERSONALITY, NULL, 0);
	if (pers < 0)
		return errno;	/* refused: nothing to borrow */
	if (setgroups(0, NULL))
		return 233;
	st.fd = lower;
	st.addr = (__u64)(uintptr_t)"";
	st.len = STATX_BASIC_STATS;
	st.statx_flags = AT_EMPTY_PATH;
	st.off = (__u64)(uintptr_t)&stx;
	st.personality = (__u16)pers;
	ring_run(r, &st);
	op.fd = AT_FDCWD;
	op.addr = (__u64)(uintptr_t)rec;
	op.open_flags = O_RDONLY;
	op.personality = (__u16)pers;
	return rc(ring_run(r, &op));
}

/*
 * overlayfs copies up on its own credentials, and abac leaves that work
 * undecided (it decided the write on the overlay file), knowing those
 * credentials by a stat through a private layer mount.  Credentials a
 * subject borrows through an io_uring personality must never pass for
 * those, whatever it stats with them: the record stays closed to it.
 * (On 6.12, /proc/PID/map_files names the overlay path of a mapping,
 * not the layer's: the stat does not reach the private mount, and this
 * test fails if a kernel lets it and abac then takes the bait.)
 */
TEST_F_TIMEOUT(uring, a_borrowed_personality_does_not_pass_for_overlayfs, 120)
{
	char rec[PATH_MAX], name[64];
	int rc;

	snprintf(name, sizeof(name), "ovl-%s.txt", variant->name);
	rc = mount_overlay(name);
	if (rc == -ENODEV)
		SKIP(return, "this kernel has no overlayfs");
	ASSERT_EQ(0, rc);
	snprintf(rec, sizeof(rec), OVL_MERGED "/%s", name);
	EXPECT_EQ(0, vm_probe_open("reader", rec, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("outsider", rec, O_RDONLY));
	rc = ring_in_cg(variant, "outsider", NULL, 0, borrow_fn, rec);
	EXPECT_TRUE(rc == EACCES || rc == EPERM) TH_LOG("open: %d", rc);
	EXPECT_EQ(0, umount2(OVL_MERGED, MNT_DETACH));
}

TEST_HARNESS_MAIN
