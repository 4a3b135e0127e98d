// SPDX-License-Identifier: GPL-2.0-only
/*
 * abacd's event backlog on the host (tools/abacd/backlog.c): records come
 * back oldest first, what one agent leaves the next one logs, a record
 * cut short by a kill is not taken, a file that is not a backlog is set
 * aside rather than trusted, and the file is bounded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "abacd.h"

FIXTURE(backlog) {
	struct abacd d;
	char dir[64];
	char file[128];
};

FIXTURE_SETUP(backlog)
{
	memset(&self->d, 0, sizeof(self->d));
	self->d.log_fd = -1;
	self->d.native_events_fd = -1;
	self->d.backlog_fd = -1;
	self->d.cg_fd = -1;
	snprintf(self->dir, sizeof(self->dir), "/tmp/abac-backlog-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	self->d.state_dir = self->dir;
	snprintf(self->file, sizeof(self->file), "%s/events.backlog",
		 self->dir);
}

FIXTURE_TEARDOWN(backlog)
{
	char cmd[128];

	backlog_close(&self->d);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

/* @n records whose pids count from @first. */
static void records(struct abac_event *ev, int n, int first)
{
	int i;

	memset(ev, 0, n * sizeof(*ev));
	for (i = 0; i < n; i++)
		ev[i].pid = first + i;
}

static off_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : st.st_size;
}

TEST_F(backlog, records_come_back_oldest_first_and_the_file_empties)
{
	struct abac_event in[3], out[3];
	off_t empty;

	ASSERT_EQ(0, backlog_open(&self->d));
	empty = file_size(self->file);
	ASSERT_LT(0, empty);
	records(in, 3, 100);
	ASSERT_EQ(0, backlog_append(&self->d, in, 3));
	EXPECT_EQ(3ULL, backlog_pending(&self->d));
	ASSERT_EQ(2, backlog_take(&self->d, out, 2));
	EXPECT_EQ(100U, out[0].pid);
	EXPECT_EQ(101U, out[1].pid);
	ASSERT_EQ(0, backlog_ack(&self->d, 2));
	EXPECT_EQ(1ULL, backlog_pending(&self->d));
	ASSERT_EQ(1, backlog_take(&self->d, out, 3));
	EXPECT_EQ(102U, out[0].pid);
	ASSERT_EQ(0, backlog_ack(&self->d, 1));
	EXPECT_EQ(0ULL, backlog_pending(&self->d));
	EXPECT_EQ(0, backlog_take(&self->d, out, 3));
	/* all logged: the file is cut back to its header */
	EXPECT_EQ(empty, file_size(self->file));
}

TEST_F(backlog, what_an_agent_leaves_the_next_one_logs_first)
{
	struct abac_event in[5], out[5];

	ASSERT_EQ(0, backlog_open(&self->d));
	records(in, 5, 1);
	ASSERT_EQ(0, backlog_append(&self->d, in, 5));
	ASSERT_EQ(2, backlog_take(&self->d, out, 2));
	ASSERT_EQ(0, backlog_ack(&self->d, 2));
	backlog_close(&self->d);	/* as a kill leaves it */

	ASSERT_EQ(0, backlog_open(&self->d));
	ASSERT_EQ(3ULL, backlog_pending(&self->d));
	ASSERT_EQ(3, backlog_take(&self->d, out, 5));
	EXPECT_EQ(3U, out[0].pid);
	EXPECT_EQ(4U, out[1].pid);
	EXPECT_EQ(5U, out[2].pid);
}

TEST_F(backlog, a_record_cut_short_by_a_kill_is_not_taken)
{
	struct abac_event in[2], out[3];
	int fd;

	ASSERT_EQ(0, backlog_open(&self->d));
	records(in, 2, 7);
	ASSERT_EQ(0, backlog_append(&self->d, in, 2));
	backlog_close(&self->d);
	/* half a record more: a write() the kill stopped */
	fd = open(self->file, O_WRONLY | O_APPEND);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)sizeof(in[0]) / 2,
		  write(fd, &in[0], sizeof(in[0]) / 2));
	close(fd);

	ASSERT_EQ(0, backlog_open(&self->d));
	ASSERT_EQ(2ULL, backlog_pending(&self->d));
	ASSERT_EQ(2, backlog_take(&self->d, out, 3));
	EXPECT_EQ(8U, out[1].pid);
	/* and the next record goes where the whole ones end */
	records(in, 1, 9);
	ASSERT_EQ(0, backlog_append(&self->d, in, 1));
	ASSERT_EQ(3, backlog_take(&self->d, out, 3));
	EXPECT_EQ(9U, out[2].pid);
}

TEST_F(backlog, a_file_that_is_not_a_backlog_is_set_aside)
{
	char bad[160];
	int fd;

	fd = open(self->file, O_WRONLY | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(64, write(fd, "not a backlog, not a backlog, not a backlog, "
			    "not a backlog!!!!!", 64));
	close(fd);
	ASSERT_EQ(0, backlog_open(&self->d));
	EXPECT_EQ(0ULL, backlog_pending(&self->d));
	snprintf(bad, sizeof(bad), "%s.bad", self->file);
	EXPECT_EQ(64, file_size(bad));
}

TEST_F(backlog, it_is_bounded)
{
	struct abac_event in[1];
	__u64 room;

	ASSERT_EQ(0, backlog_open(&self->d));
	room = backlog_room(&self->d);
	EXPECT_LT(100000ULL, room);
	EXPECT_GE(ABACD_BACKLOG_MAX, (__u64)(room * sizeof(struct abac_event)));
	/* refused whole, before anything is written */
	EXPECT_EQ(-ENOSPC, backlog_append(&self->d, in, room + 1));
	EXPECT_EQ(0ULL, backlog_pending(&self->d));
	records(in, 1, 1);
	ASSERT_EQ(0, backlog_append(&self->d, in, 1));
	EXPECT_EQ(room - 1, backlog_room(&self->d));
}

TEST_F(backlog, a_file_cut_short_under_the_agent_is_not_read)
{
	struct abac_event in[4], out[4];

	ASSERT_EQ(0, backlog_open(&self->d));
	records(in, 4, 1);
	ASSERT_EQ(0, backlog_append(&self->d, in, 4));
	/* someone cuts the file: the records it promised are not there */
	ASSERT_EQ(0, truncate(self->file, file_size(self->file) -
			      (off_t)sizeof(in[0])));
	EXPECT_EQ(-EIO, backlog_take(&self->d, out, 4));
}

/* The old-pins directory of an upgrade, whatever the pin directory's form. */
TEST(old_pins_sit_beside_the_pin_directory)
{
	char buf[64];

	abac_kern_old_dir("/sys/fs/bpf/abac", buf, sizeof(buf));
	EXPECT_STREQ("/sys/fs/bpf/abac_old", buf);
	abac_kern_old_dir("/sys/fs/bpf/abac//", buf, sizeof(buf));
	EXPECT_STREQ("/sys/fs/bpf/abac_old", buf);
}

TEST_HARNESS_MAIN
