// SPDX-License-Identifier: GPL-2.0-only
/*
 * No stale decision: a file opened while allowed is decided again at its
 * next read once the policy, its label or the reader's tags change
 * (file_permission with the label cache and the AVC), and once the
 * reader moves to another cgroup (the subject cache); a file the same
 * process opens again and again is decided anew once the policy, its
 * label, the label it inherits (a rename, another hard link) or the
 * opener's tags change, and a read allowed says nothing of a write (the
 * inode's last decision); and a policy swap is atomic: processes opening
 * files while two images are swapped again and again see every decision
 * made by one image or the other, never by a mix of both.
 */
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "vm_kernel.h"
#include "libabac.h"

#define POLICY_HEAD							\
	"version: 1\n"							\
	"name: vm-cache\n"						\
	"mode: enforce\n"						\
	"combining: deny-overrides\n"					\
	"default: deny\n"						\
	"attributes:\n"							\
	"  subject:\n"							\
	"    role: {type: string, values: [nurse, clerk]}\n"		\
	"  object:\n"							\
	"    type: {type: string, values: [record, secret]}\n"

static const char allow_policy[] = POLICY_HEAD
	"rules:\n"
	"  - id: nurse-reads-records\n"
	"    nlp: \"Nurses may read records.\"\n"
	"    effect: allow\n"
	"    ops: [read]\n"
	"    subject: {role: nurse}\n"
	"    object: {type: record}\n";

static const char deny_policy[] = POLICY_HEAD
	"rules:\n"
	"  - id: records-closed\n"
	"    nlp: \"Nobody may read records today.\"\n"
	"    effect: deny\n"
	"    ops: [read]\n"
	"    subject: {role: [nurse, clerk]}\n"
	"    object: {type: record}\n";

#define RECORD	TEST_DIR "/record.txt"

/**
 * struct holder - a process in a test cgroup holding @path open for
 *	reading; each byte on @cmd makes it read once and answer the errno
 *	(0: the read worked) on @ans.
 */
struct holder {
	pid_t pid;
	int cmd, ans;
};

static int holder_start(struct holder *h, const char *cg, const char *path)
{
	int to[2], from[2], fd;
	char c, e;

	if (pipe(to) || pipe(from))
		return -1;
	h->pid = fork();
	if (h->pid < 0)
		return -1;
	if (!h->pid) {
		close(to[1]);
		close(from[0]);
		if (vm_join_cg(cg))
			_exit(1);
		fd = open(path, O_RDONLY);
		e = fd < 0 ? errno : 0;
		if (write(from[1], &e, 1) != 1 || fd < 0)
			_exit(1);
		while (read(to[0], &c, 1) == 1) {
			e = pread(fd, &c, 1, 0) < 0 ? errno : 0;
			if (write(from[1], &e, 1) != 1)
				break;
		}
		_exit(0);
	}
	close(to[0]);
	close(from[1]);
	h->cmd = to[1];
	h->ans = from[0];
	if (read(h->ans, &e, 1) != 1)
		return -1;
	return e;
}

/* Have the holder read once: 0 or the read's errno; -1 if it is gone. */
static int holder_read(struct holder *h)
{
	char c = 'r', e;

	if (write(h->cmd, &c, 1) != 1 || read(h->ans, &e, 1) != 1)
		return -1;
	return e;
}

static void holder_stop(struct holder *h)
{
	close(h->cmd);
	close(h->ans);
	waitpid(h->pid, NULL, 0);
}

FIXTURE(cache) {
	struct holder h;
};

FIXTURE_SETUP(cache)
{
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_apply("allow", allow_policy));
	ASSERT_EQ(0, vm_tag("nurse", "role=nurse"));
	ASSERT_EQ(0, vm_tag("retag", "role=nurse"));
	ASSERT_EQ(0, vm_mkfile(RECORD, "chart\n", "type=record"));
}

FIXTURE_TEARDOWN(cache)
{
}

TEST_F(cache, policy_swap_applies_to_a_file_already_open)
{
	ASSERT_EQ(0, holder_start(&self->h, "nurse", RECORD));
	EXPECT_EQ(0, holder_read(&self->h));
	EXPECT_EQ(0, holder_read(&self->h));	/* now from the AVC */
	ASSERT_EQ(0, vm_apply("deny", deny_policy));
	EXPECT_EQ(EACCES, holder_read(&self->h));
	EXPECT_TRUE(vm_log_has("\"records-closed\"", "\"op\":\"read\"",
			       10000));
	ASSERT_EQ(0, vm_apply("allow", allow_policy));
	EXPECT_EQ(0, holder_read(&self->h));
	holder_stop(&self->h);
}

TEST_F(cache, label_change_applies_to_a_file_already_open)
{
	ASSERT_EQ(0, holder_start(&self->h, "nurse", RECORD));
	EXPECT_EQ(0, holder_read(&self->h));
	EXPECT_EQ(0, holder_read(&self->h));
	ASSERT_EQ(0, vm_label(RECORD, "type=secret"));
	EXPECT_EQ(EACCES, holder_read(&self->h));
	EXPECT_TRUE(vm_log_has("\"path\":\"" RECORD "\"",
			       "\"reason\":\"default\"", 10000));
	ASSERT_EQ(0, vm_label(RECORD, "type=record"));
	EXPECT_EQ(0, holder_read(&self->h));
	ASSERT_EQ(0, removexattr(RECORD, "user.abac"));
	EXPECT_EQ(0, holder_read(&self->h));	/* unlabelled: not decided */
	holder_stop(&self->h);
}

TEST_F(cache, tag_change_applies_to_a_file_already_open)
{
	ASSERT_EQ(0, holder_start(&self->h, "retag", RECORD));
	EXPECT_EQ(0, holder_read(&self->h));
	EXPECT_EQ(0, holder_read(&self->h));
	ASSERT_EQ(0, vm_tag("retag", "role=clerk"));
	EXPECT_EQ(EACCES, holder_read(&self->h));
	ASSERT_EQ(0, vm_tag("retag", "role=nurse"));
	EXPECT_EQ(0, holder_read(&self->h));
	holder_stop(&self->h);
}

/**
 * struct opener - a process in a test cgroup that opens, on demand, the
 *	path written to @cmd with the flags before it, and answers the
 *	errno (0: the open worked) on @ans: the same tagged process opens
 *	the same file again and again, as the inode's last decision
 *	(lsm/avc.c, struct abac_avc_last) answers it.
 */
struct opener {
	pid_t pid;
	int cmd, ans;
};

struct open_req {
	int flags;
	char path[PATH_MAX];
};

static int opener_start(struct opener *op, const char *cg)
{
	int to[2], from[2], fd;
	struct open_req rq;
	char e;

	if (pipe(to) || pipe(from))
		return -1;
	op->pid = fork();
	if (op->pid < 0)
		return -1;
	if (!op->pid) {
		close(to[1]);
		close(from[0]);
		if (vm_join_cg(cg))
			_exit(1);
		while (read(to[0], &rq, sizeof(rq)) == sizeof(rq)) {
			fd = open(rq.path, rq.flags);
			e = fd < 0 ? errno : 0;
			if (fd >= 0)
				close(fd);
			if (write(from[1], &e, 1) != 1)
				break;
		}
		_exit(0);
	}
	close(to[0]);
	close(from[1]);
	op->cmd = to[1];
	op->ans = from[0];
	return 0;
}

/* Have the opener open @path with @flags: 0 or the errno; -1: gone. */
static int opener_open(struct opener *op, const char *path, int flags)
{
	struct open_req rq = { .flags = flags };
	char e;

	snprintf(rq.path, sizeof(rq.path), "%s", path);
	if (write(op->cmd, &rq, sizeof(rq)) != sizeof(rq) ||
	    read(op->ans, &e, 1) != 1)
		return -1;
	return e;
}

static void opener_stop(struct opener *op)
{
	close(op->cmd);
	close(op->ans);
	waitpid(op->pid, NULL, 0);
}

#define RECORDS		TEST_DIR "/records"
#define SECRETS		TEST_DIR "/secrets"

/* Two directories whose files inherit a record's and a secret's label. */
static int mk_labelled_dirs(void)
{
	if (mkdir(RECORDS, 0755) || mkdir(SECRETS, 0755))
		return -1;
	if (vm_label(RECORDS, "type=record") || vm_label(SECRETS, "type=secret"))
		return -1;
	return vm_write_file(RECORDS "/chart.txt", "chart\n");
}

/*
 * A file renamed into a differently labelled directory is decided under
 * the label it inherits there at its very next open, both ways; no label
 * changed, so only the label found on the way up tells the two apart.
 */
TEST_F(cache, rename_applies_at_the_next_open)
{
	struct opener op;

	ASSERT_EQ(0, mk_labelled_dirs());
	ASSERT_EQ(0, opener_start(&op, "nurse"));
	EXPECT_EQ(0, opener_open(&op, RECORDS "/chart.txt", O_RDONLY));
	EXPECT_EQ(0, opener_open(&op, RECORDS "/chart.txt", O_RDONLY));
	ASSERT_EQ(0, rename(RECORDS "/chart.txt", SECRETS "/chart.txt"));
	EXPECT_EQ(EACCES, opener_open(&op, SECRETS "/chart.txt", O_RDONLY));
	EXPECT_EQ(EACCES, opener_open(&op, SECRETS "/chart.txt", O_RDONLY));
	ASSERT_EQ(0, rename(SECRETS "/chart.txt", RECORDS "/chart.txt"));
	EXPECT_EQ(0, opener_open(&op, RECORDS "/chart.txt", O_RDONLY));
	opener_stop(&op);
}

/*
 * One inode, two names in differently labelled directories: each open is
 * decided by the name it came through, however the two alternate.
 */
TEST_F(cache, hard_links_are_decided_by_their_own_path)
{
	struct opener op;
	int i;

	ASSERT_EQ(0, mk_labelled_dirs());
	ASSERT_EQ(0, link(RECORDS "/chart.txt", SECRETS "/chart.txt"));
	ASSERT_EQ(0, opener_start(&op, "nurse"));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(0, opener_open(&op, RECORDS "/chart.txt", O_RDONLY));
		EXPECT_EQ(0, opener_open(&op, RECORDS "/chart.txt", O_RDONLY));
		EXPECT_EQ(EACCES,
			  opener_open(&op, SECRETS "/chart.txt", O_RDONLY));
	}
	opener_stop(&op);
}

/* A relabel between two opens: allowed, refused, allowed again. */
TEST_F(cache, relabel_applies_at_the_next_open)
{
	struct opener op;

	ASSERT_EQ(0, opener_start(&op, "nurse"));
	EXPECT_EQ(0, opener_open(&op, RECORD, O_RDONLY));
	EXPECT_EQ(0, opener_open(&op, RECORD, O_RDONLY));
	ASSERT_EQ(0, vm_label(RECORD, "type=secret"));
	EXPECT_EQ(EACCES, opener_open(&op, RECORD, O_RDONLY));
	ASSERT_EQ(0, vm_label(RECORD, "type=record"));
	EXPECT_EQ(0, opener_open(&op, RECORD, O_RDONLY));
	EXPECT_EQ(0, opener_open(&op, RECORD, O_RDONLY));
	opener_stop(&op);
}

/* A policy swap and a re-tag between two opens, both ways. */
TEST_F(cache, policy_and_tags_apply_at_the_next_open)
{
	struct opener op;

	ASSERT_EQ(0, opener_start(&op, "retag"));
	EXPECT_EQ(0, opener_open(&op, RECORD, O_RDONLY));
	EXPECT_EQ(0, opener_open(&op, RECORD, O_RDONLY));
	ASSERT_EQ(0, vm_apply("deny", deny_policy));
	EXPECT_EQ(EACCES, opener_open(&op, RECORD, O_RDONLY));
	ASSERT_EQ(0, vm_apply("allow", allow_policy));
	EXPECT_EQ(0, opener_open(&op, RECORD, O_RDONLY));
	EXPECT_EQ(0, opener_open(&op, RECORD, O_RDONLY));
	ASSERT_EQ(0, vm_tag("retag", "role=clerk"));
	EXPECT_EQ(EACCES, opener_open(&op, RECORD, O_RDONLY));
	ASSERT_EQ(0, vm_tag("retag", "role=nurse"));
	EXPECT_EQ(0, opener_open(&op, RECORD, O_RDONLY));
	opener_stop(&op);
}

/*
 * Reads allowed again and again say nothing of a write: the policy
 * allows the nurse to read a record, never to write it.
 */
TEST_F(cache, an_allowed_read_allows_no_write)
{
	struct opener op;

	ASSERT_EQ(0, opener_start(&op, "nurse"));
	EXPECT_EQ(0, opener_open(&op, RECORD, O_RDONLY));
	EXPECT_EQ(0, opener_open(&op, RECORD, O_RDONLY));
	EXPECT_EQ(EACCES, opener_open(&op, RECORD, O_RDWR));
	EXPECT_EQ(EACCES, opener_open(&op, RECORD, O_WRONLY));
	EXPECT_EQ(0, opener_open(&op, RECORD, O_RDONLY));
	opener_stop(&op);
}

/* Move process @pid into test cgroup @cg; 0 or -1. */
static int move_to_cg(pid_t pid, const char *cg)
{
	char procs[PATH_MAX], num[16];
	int fd, ok;

	snprintf(procs, sizeof(procs), TEST_CG_ROOT "/%s/cgroup.procs", cg);
	snprintf(num, sizeof(num), "%d", pid);
	fd = open(procs, O_WRONLY);
	if (fd < 0)
		return -1;
	ok = write(fd, num, strlen(num)) == (ssize_t)strlen(num);
	close(fd);
	return ok ? 0 : -1;
}

/*
 * Subject attributes are cached per cgroup (abac_subj_cache): a process
 * moved into a tagged cgroup, or between two, is decided with its new
 * cgroup's tags at its very next read, under the same image.
 */
TEST_F(cache, moving_between_cgroups_applies_at_the_next_read)
{
	ASSERT_EQ(0, vm_mkcg("plain"));
	ASSERT_EQ(0, vm_tag("clerk", "role=clerk"));
	ASSERT_EQ(0, holder_start(&self->h, "plain", RECORD));
	EXPECT_EQ(0, holder_read(&self->h));	/* untagged: not decided */
	EXPECT_EQ(0, holder_read(&self->h));
	ASSERT_EQ(0, move_to_cg(self->h.pid, "clerk"));
	EXPECT_EQ(EACCES, holder_read(&self->h));
	EXPECT_TRUE(vm_log_has("\"subject_tags\":\"role=clerk\"",
			       "\"path\":\"" RECORD "\"", 10000));
	ASSERT_EQ(0, move_to_cg(self->h.pid, "nurse"));
	EXPECT_EQ(0, holder_read(&self->h));
	ASSERT_EQ(0, move_to_cg(self->h.pid, "clerk"));
	EXPECT_EQ(EACCES, holder_read(&self->h));
	ASSERT_EQ(0, move_to_cg(self->h.pid, "plain"));
	EXPECT_EQ(0, holder_read(&self->h));
	holder_stop(&self->h);
	EXPECT_EQ(0, vm_untag("clerk"));
}

/*
 * Two images that decide alike but number everything differently: in B
 * the values of role and of type are listed in the other order, so B's
 * dictionary, subject table and rule masks all differ from A's.  Each
 * image alone lets the nurse read a record; a decision mixing any part of
 * one with any part of the other refuses it.  Only A lets the nurse read
 * an invoice, so the swaps are seen to happen.
 */
static const char swap_a[] =
	"version: 1\nname: swap-a\nmode: enforce\n"
	"combining: deny-overrides\ndefault: deny\n"
	"attributes:\n  subject:\n"
	"    role: {type: string, values: [nurse, clerk]}\n"
	"  object:\n"
	"    type: {type: string, values: [record, invoice]}\n"
	"rules:\n"
	"  - id: a-record\n    nlp: \"Nurses read records.\"\n"
	"    effect: allow\n    ops: [read]\n"
	"    subject: {role: nurse}\n    object: {type: record}\n"
	"  - id: a-invoice\n    nlp: \"Nurses read invoices.\"\n"
	"    effect: allow\n    ops: [read]\n"
	"    subject: {role: nurse}\n    object: {type: invoice}\n";

static const char swap_b[] =
	"version: 1\nname: swap-b\nmode: enforce\n"
	"combining: deny-overrides\ndefault: deny\n"
	"attributes:\n  subject:\n"
	"    role: {type: string, values: [clerk, nurse]}\n"
	"  object:\n"
	"    type: {type: string, values: [invoice, record]}\n"
	"rules:\n"
	"  - id: b-record\n    nlp: \"Nurses read records.\"\n"
	"    effect: allow\n    ops: [read]\n"
	"    subject: {role: nurse}\n    object: {type: record}\n";

static int build_image(const char *yaml, __u64 cg_id, void **img,
		       size_t *len)
{
	struct abac_subject s = { .cgroup_id = cg_id, .level = 2,
				  .path = "/abac-test/nurse",
				  .tags = "role=nurse" };
	struct abac_policy *p = NULL;
	struct abac_diags d;
	int err;

	abac_diags_init(&d);
	err = abac_policy_parse_buf("swap.yaml", yaml, strlen(yaml), &p, &d);
	if (!err)
		err = abac_image_build(p, &s, 1, img, len, &d);
	if (p)
		abac_policy_free(p);
	abac_diags_free(&d);
	return err;
}

/* What one opener saw: opens allowed and refused, counted as they happen. */
struct tally {
	volatile unsigned long allowed;
	volatile unsigned long refused;
	volatile int stop;
	volatile int first_errno;	/* of the first refusal: EACCES is abac's */
};

/* Open @path from the nurse cgroup until @t->stop; count the outcomes. */
static void opener(const char *path, struct tally *t)
{
	int fd;

	if (vm_join_cg("nurse"))
		_exit(1);
	while (!t->stop) {
		fd = open(path, O_RDONLY);
		if (fd >= 0) {
			t->allowed++;
			close(fd);
		} else {
			if (!t->refused)
				t->first_errno = errno;
			t->refused++;
		}
	}
	_exit(0);
}

/*
 * Swaps go on until both images have been seen in force by the invoice
 * opener (and at least @min swaps were made), so that the test shows
 * the same thing on a fast backend (the native LSM swaps in
 * microseconds) and a slow one, without a fixed count that is too many
 * for one and too few for the other.
 */
static bool swapped_enough(const struct tally *inv, unsigned long i,
			   unsigned long min)
{
	return i >= min && inv->allowed && inv->refused;
}

TEST(policy_swap_is_atomic_under_load)
{
	void *a = NULL, *b = NULL;
	struct tally *rec, *inv;
	size_t alen, blen;
	struct vm_kernel k;
	unsigned long i;
	pid_t p1, p2;
	struct stat st;

	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_apply("allow", allow_policy));
	ASSERT_EQ(0, vm_tag("nurse", "role=nurse"));
	ASSERT_EQ(0, vm_mkfile(RECORD, "chart\n", "type=record"));
	ASSERT_EQ(0, vm_mkfile(TEST_DIR "/invoice", "42\n", "type=invoice"));
	ASSERT_EQ(0, stat(TEST_CG_ROOT "/nurse", &st));
	ASSERT_EQ(0, build_image(swap_a, st.st_ino, &a, &alen));
	ASSERT_EQ(0, build_image(swap_b, st.st_ino, &b, &blen));
	rec = mmap(NULL, 2 * sizeof(*rec), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, rec);
	inv = rec + 1;
	ASSERT_EQ(0, vm_kernel_open(&k));
	/*
	 * No agent while the openers run: their hundreds of thousands of
	 * refusals then stay in the ring (its overflow counted as lost)
	 * instead of growing the event log that later tests search.
	 */
	vm_agent_kill9();
	ASSERT_EQ(0, vm_kernel_set_image(&k, a, alen));
	p1 = fork();
	if (!p1)
		opener(RECORD, rec);
	p2 = fork();
	if (!p2)
		opener(TEST_DIR "/invoice", inv);
	/* both openers deciding before the first swap */
	for (i = 0; i < 6000 && !(rec->allowed && inv->allowed); i++)
		vm_msleep(10);
	ASSERT_TRUE(rec->allowed && inv->allowed);
	for (i = 0; i < 100000 && !swapped_enough(inv, i, 200); i++) {
		abac_image_set_generation(i % 2 ? b : a, 100000 + i);
		ASSERT_EQ(0, vm_kernel_set_image(&k, i % 2 ? b : a,
						 i % 2 ? blen : alen));
	}
	rec->stop = inv->stop = 1;
	waitpid(p1, NULL, 0);
	waitpid(p2, NULL, 0);
	vm_kernel_close(&k);
	TH_LOG("%lu swaps; record: %lu allowed, %lu refused (first: %s); invoice: %lu allowed, %lu refused",
	       i, rec->allowed, rec->refused,
	       rec->refused ? strerror(rec->first_errno) : "none",
	       inv->allowed, inv->refused);
	/* every decision on the record was one image's: never refused */
	EXPECT_LT(0UL, rec->allowed);
	EXPECT_EQ(0UL, rec->refused);
	/* and both images were in force while the openers ran */
	EXPECT_LT(0UL, inv->allowed);
	EXPECT_LT(0UL, inv->refused);
	munmap(rec, 2 * sizeof(*rec));
	free(a);
	free(b);
	/* give abacd its own policy back */
	ASSERT_LE(0, vm_agent_start());
	ASSERT_EQ(0, vm_apply("allow", allow_policy));
}

TEST_HARNESS_MAIN
