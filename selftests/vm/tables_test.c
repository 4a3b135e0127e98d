// SPDX-License-Identifier: GPL-2.0-only
/*
 * The agent's own files in the guest: the event log's path holds a FIFO,
 * a file another user owns, a symbolic link, when the agent reopens it
 * (SIGHUP) or starts.  The agent must never block nor write where it
 * should not.
 */
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "attempt.h"

#define ROTATED		AGENT_LOG ".1"
#define PLANTED		TEST_DIR "/planted"

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
	VM_ONLY(VM_BPF, "the BPF guard's events (the log is the same on both)");
	replant_and_reopen(_metadata, self->agent,
			   "mkfifo " AGENT_LOG, "is a FIFO");
}

TEST_F_TIMEOUT(tables, a_log_another_user_owns_is_not_written, 120)
{
	struct stat st;

	VM_ONLY(VM_BPF, "the BPF guard's events (the log is the same on both)");
	replant_and_reopen(_metadata, self->agent,
			   "touch " AGENT_LOG " && chown 1000 " AGENT_LOG,
			   "belongs to uid 1000");
	ASSERT_EQ(0, stat(AGENT_LOG, &st));
	ASSERT_EQ(0, st.st_size);
}

TEST_F_TIMEOUT(tables, a_symlink_at_the_log_path_is_not_followed, 120)
{
	struct stat st;

	VM_ONLY(VM_BPF, "the BPF guard's events (the log is the same on both)");
	ASSERT_EQ(0, vm_write_file(PLANTED, ""));
	replant_and_reopen(_metadata, self->agent,
			   "ln -s " PLANTED " " AGENT_LOG, "is a symbolic link");
	ASSERT_EQ(0, stat(PLANTED, &st));
	ASSERT_EQ(0, st.st_size);
}

TEST_F_TIMEOUT(tables, an_agent_started_on_a_planted_fifo_stops_at_once, 300)
{
	VM_ONLY(VM_BPF, "the BPF guard's events (the log is the same on both)");
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

TEST_HARNESS_MAIN
