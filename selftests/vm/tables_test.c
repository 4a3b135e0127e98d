// SPDX-License-Identifier: GPL-2.0-only
/*
 * The agent's own files and tables in the guest: the event log's path
 * holds a FIFO, a file another user owns, a symbolic link, when the agent
 * reopens it (SIGHUP) or starts; the kernel's table of labelled
 * directories is full; a labelled directory is renamed and the kernel's
 * table loses it (as a reboot would).  The agent must never block nor
 * write where it should not, a label that would not fit must fail loudly
 * (ENOSPC, a "table-full" event), and a renamed directory must get its
 * label back by its identity.
 */
#include <sys/stat.h>
#include <bpf/bpf.h>

#include "kselftest_harness.h"
#include "attempt.h"

#define ROTATED		AGENT_LOG ".1"
#define PLANTED		TEST_DIR "/planted"
#define LABELLED	TEST_DIR "/records"
#define RENAMED		TEST_DIR "/records-2026"

static pid_t find_agent(void)
{
	char out[64];

	if (vm_sh_out(out, sizeof(out), "pidof abacd"))
		return -1;
	return (pid_t)atoi(out);
}

/* Does file @path hold a line with @needle (within 10 s)? */
static bool file_has(const char *path, const char *needle)
{
	int waited;

	for (waited = 0; waited <= 10000; waited += 100) {
		char *text = vm_read_file(path);
		bool hit = text && strstr(text, needle);

		free(text);
		if (hit)
			return true;
		vm_msleep(100);
	}
	return false;
}

/* The agent answers a request (it is not blocked on its log). */
static bool agent_answers(void)
{
	return !vm_sh("timeout 10 abac status >/dev/null 2>&1");
}

/* A guard refusal by a tagged process (CAP_SYS_ADMIN is withheld). */
static int rename_host(const void *arg)
{
	char name[65] = "";

	gethostname(name, sizeof(name) - 1);
	return vm_rc(sethostname(name, strlen(name)));
}

static pid_t provoke_event(void)
{
	pid_t pid;

	vm_attempt("worker", rename_host, NULL, &pid);
	return pid;
}

FIXTURE(tables) {
	pid_t agent;
};

FIXTURE_SETUP(tables)
{
	ASSERT_EQ(0, vm_contain_setup());
	self->agent = find_agent();
	ASSERT_LT(1, self->agent);
}

/* Put the log back where it was and let the agent reopen it. */
static void restore_log(void)
{
	unlink(AGENT_LOG);
	rename(ROTATED, AGENT_LOG);
	vm_sh("killall -HUP abacd");
	vm_msleep(500);
}

FIXTURE_TEARDOWN(tables)
{
	if (!access(ROTATED, F_OK))
		restore_log();
	vm_contain_teardown();
}

/*
 * Rotate the log away, plant @how at its path, SIGHUP: the agent says no
 * to what it finds, keeps answering, and keeps writing to the rotated
 * file; nothing reaches what was planted.
 */
static void replant_and_reopen(struct __test_metadata *_metadata,
			      pid_t agent, const char *plant_cmd,
			      const char *said)
{
	char who[32];
	pid_t pid;

	ASSERT_EQ(0, rename(AGENT_LOG, ROTATED));
	ASSERT_EQ(0, vm_sh("%s", plant_cmd));
	ASSERT_EQ(0, kill(agent, SIGHUP));
	ASSERT_TRUE(file_has(AGENT_STDERR, said)) TH_LOG("no '%s'", said);
	ASSERT_TRUE(agent_answers());
	pid = provoke_event();
	snprintf(who, sizeof(who), "\"pid\":%d,", (int)pid);
	ASSERT_TRUE(file_has(ROTATED, who));
}

TEST_F_TIMEOUT(tables, a_fifo_at_the_log_path_neither_blocks_nor_is_written, 120)
{
	replant_and_reopen(_metadata, self->agent,
			   "mkfifo " AGENT_LOG, "is a FIFO");
}

TEST_F_TIMEOUT(tables, a_log_another_user_owns_is_not_written, 120)
{
	struct stat st;

	replant_and_reopen(_metadata, self->agent,
			   "touch " AGENT_LOG " && chown 1000 " AGENT_LOG,
			   "belongs to uid 1000");
	ASSERT_EQ(0, stat(AGENT_LOG, &st));
	ASSERT_EQ(0, st.st_size);
}

TEST_F_TIMEOUT(tables, a_symlink_at_the_log_path_is_not_followed, 120)
{
	struct stat st;

	ASSERT_EQ(0, vm_write_file(PLANTED, ""));
	replant_and_reopen(_metadata, self->agent,
			   "ln -s " PLANTED " " AGENT_LOG, "is a symbolic link");
	ASSERT_EQ(0, stat(PLANTED, &st));
	ASSERT_EQ(0, st.st_size);
}

TEST_F_TIMEOUT(tables, an_agent_started_on_a_planted_fifo_stops_at_once, 300)
{
	vm_agent_kill9();
	ASSERT_EQ(0, rename(AGENT_LOG, ROTATED));
	ASSERT_EQ(0, mkfifo(AGENT_LOG, 0600));
	/* it exits, saying why, rather than wait for a reader */
	ASSERT_EQ(-1, vm_agent_start());
	ASSERT_TRUE(file_has(AGENT_STDERR, "is a FIFO"));
	unlink(AGENT_LOG);
	ASSERT_EQ(0, rename(ROTATED, AGENT_LOG));
	ASSERT_LT(0, vm_agent_start());
}

/* ---- the labelled-directory table --------------------------------------- */

/* Mirror of struct abac_dir_key (bpf/maps.h). */
struct dir_key {
	__u64 ino;
	__u32 dev;
	__u32 pad;
};

#define FILLER_DEV	0xfffffU	/* no such device: no real directory */

/* Fill the table with entries of no directory; how many went in. */
static long fill_dirs(int fd)
{
	static char value[4096];	/* larger than any abac_olabel */
	struct dir_key key = { .dev = FILLER_DEV };
	long n = 0;

	for (key.ino = 1; !bpf_map_update_elem(fd, &key, value, BPF_NOEXIST);
	     key.ino++)
		n++;
	return errno == E2BIG ? n : -errno;
}

static void drain_fillers(int fd)
{
	struct dir_key key = { .dev = FILLER_DEV };

	for (key.ino = 1; !bpf_map_delete_elem(fd, &key); key.ino++)
		;
}

static int label_dir(const void *arg)
{
	return vm_rc(setxattr((const char *)arg, "user.abac", "type=record",
			      11, 0));
}

TEST_F_TIMEOUT(tables, a_directory_label_the_full_table_cannot_hold_fails_loudly, 300)
{
	int fd = bpf_obj_get(PIN_DIR "/dirs");
	pid_t pid;

	VM_ONLY(VM_BPF, "abac_dirs is the BPF programs' table");
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mkdir(LABELLED, 0755));
	ASSERT_EQ(0, mkdir(RENAMED, 0755));
	/* a directory labelled before the table filled up */
	ASSERT_EQ(0, vm_label(LABELLED, "type=record"));
	ASSERT_LT(0, fill_dirs(fd));
	/* a new directory label: refused, untagged root or not */
	ASSERT_GUARDED(ENOSPC, "table-full", "records-2026", "free",
		       label_dir, RENAMED);
	/* the directory already in the table is relabelled as before */
	ASSERT_EQ(0, vm_attempt("free", label_dir, LABELLED, &pid));
	/* with room again, the new label is taken */
	drain_fillers(fd);
	ASSERT_EQ(0, vm_attempt("free", label_dir, RENAMED, &pid));
	close(fd);
}

/* A write by a tagged "worker" (records are off limits to it). */
static int write_record(const void *arg)
{
	int fd = open(LABELLED "-2026/file.txt", O_WRONLY);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* The fd of the loaded map named @name (BPF names stop at 15 bytes). */
static int map_by_name(const char *name)
{
	struct bpf_map_info info;
	__u32 id = 0, len;
	int fd;

	while (!bpf_map_get_next_id(id, &id)) {
		fd = bpf_map_get_fd_by_id(id);
		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) &&
		    !strncmp(info.name, name, sizeof(info.name) - 1))
			return fd;
		close(fd);
	}
	return -1;
}

/*
 * Forget @dir in the kernel, as a reload of the programs would: its entry
 * in the table of labelled directories and its cached label (inode
 * storage, keyed by a descriptor of it).
 */
static int forget_dir(const char *dir)
{
	struct dir_key key = {}, next;
	int fd = bpf_obj_get(PIN_DIR "/dirs"), cache, dfd, n = 0;
	struct stat st;

	if (fd < 0 || stat(dir, &st))
		return -1;
	while (!bpf_map_get_next_key(fd, n ? &key : NULL, &next)) {
		key = next;
		n++;
		if (key.ino == st.st_ino &&
		    !bpf_map_delete_elem(fd, &key))
			n = 0;	/* start over: the order changed */
	}
	close(fd);
	cache = map_by_name("abac_inode_labels");
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (cache < 0 || dfd < 0 || bpf_map_delete_elem(cache, &dfd))
		return -1;
	close(dfd);
	close(cache);
	return 0;
}

TEST_F_TIMEOUT(tables, a_renamed_labelled_directory_keeps_its_label, 600)
{
	pid_t pid;

	VM_ONLY(VM_BPF, "abac_dirs is the BPF programs' table");
	ASSERT_EQ(0, mkdir(LABELLED, 0755));
	ASSERT_EQ(0, vm_write_file(LABELLED "/file.txt", "bp 120/80\n"));
	ASSERT_EQ(0, vm_sh("abac label set " LABELLED " type=record"));
	ASSERT_EQ(0, rename(LABELLED, RENAMED));
	ASSERT_EQ(EACCES, vm_attempt("worker", write_record, NULL, &pid));
	/* the kernel's table loses it: the file inherits nothing */
	ASSERT_EQ(0, forget_dir(RENAMED));
	ASSERT_EQ(0, vm_attempt("worker", write_record, NULL, &pid));
	/* a restarted agent finds it by its identity, not its old path */
	vm_agent_kill9();
	ASSERT_LT(0, vm_agent_start());
	ASSERT_EQ(EACCES, vm_attempt("worker", write_record, NULL, &pid));
	ASSERT_TRUE(file_has(AGENT_STATE "/labelled-dirs", RENAMED));
}

TEST_HARNESS_MAIN
