// SPDX-License-Identifier: GPL-2.0-only
/*
 * abacd's event lines on the host: the label members ("label_path",
 * "object_label") that event_line() fills from the file system, through
 * its cache of label lookups, must say what the files say now: a label
 * changed or removed, a file replaced, a labelled directory moved.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "abacd.h"

/* Long enough that a label set before it counts as settled (events.c). */
#define SETTLE_US	1200000

FIXTURE(lines) {
	struct abacd d;
	char dir[64];
	char line[8192];
};

FIXTURE_SETUP(lines)
{
	memset(&self->d, 0, sizeof(self->d));
	self->d.log_fd = -1;
	self->d.native_events_fd = -1;
	self->d.backlog_fd = -1;
	self->d.cg_fd = -1;
	snprintf(self->dir, sizeof(self->dir), "/tmp/abac-events-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	if (setxattr(self->dir, ABAC_LABEL_XATTR, "x", 1, 0) && errno == ENOTSUP)
		SKIP(return, "no user.* extended attributes in /tmp");
	ASSERT_EQ(0, removexattr(self->dir, ABAC_LABEL_XATTR));
}

FIXTURE_TEARDOWN(lines)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

static int set_label(const char *path, const char *text)
{
	return setxattr(path, ABAC_LABEL_XATTR, text, strlen(text), 0);
}

static int make_file(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);

	return fd < 0 ? -1 : close(fd);
}

/*
 * A denial of @path whose label the kernel read from @label_path's inode
 * (its own when @from is ABAC_LABEL_FROM_OWN).
 */
static int denial(struct abac_event *e, const char *path,
		  const char *label_path, __u8 from)
{
	struct stat st;

	memset(e, 0, sizeof(*e));
	e->rule = ABAC_RULE_NONE;
	e->effect = ABAC_DENY;
	e->reason = ABAC_REASON_DEFAULT;
	e->errno_val = EACCES;
	e->count = 1;
	e->env_wday = ABAC_ENV_UNREAD;
	e->label_from = from;
	snprintf(e->path, sizeof(e->path), "%s", path);
	if (lstat(label_path, &st))
		return -1;
	e->label_dev = major(st.st_dev) << 20 | minor(st.st_dev);
	e->label_ino = st.st_ino;
	e->dev = e->label_dev;
	return 0;
}

/* The line of @e, NUL-terminated, in @buf. */
static const char *line_of(struct abacd *d, const struct abac_event *e,
			   char *buf, size_t sz)
{
	const char *l;
	size_t len;

	l = event_line(d, e, &len);
	if (!l || len >= sz)
		return "";
	memcpy(buf, l, len);
	buf[len] = '\0';
	return buf;
}

static bool has(const char *line, const char *key, const char *val)
{
	char want[1024];

	if (val)
		snprintf(want, sizeof(want), "\"%s\":\"%s\"", key, val);
	else
		snprintf(want, sizeof(want), "\"%s\":null", key);
	return strstr(line, want) != NULL;
}

/* A label read again and again is right after it changes, or goes. */
TEST_F(lines, own_label_changed_or_removed_is_read_again)
{
	struct abac_event e;
	char f[128];
	const char *l;

	snprintf(f, sizeof(f), "%.64s/invoice", self->dir);
	ASSERT_EQ(0, make_file(f));
	ASSERT_EQ(0, set_label(f, "type=invoice"));
	usleep(SETTLE_US);
	ASSERT_EQ(0, denial(&e, f, f, ABAC_LABEL_FROM_OWN));
	l = line_of(&self->d, &e, self->line, sizeof(self->line));
	EXPECT_TRUE(has(l, "label_path", f));
	EXPECT_TRUE(has(l, "object_label", "type=invoice"));
	l = line_of(&self->d, &e, self->line, sizeof(self->line));
	EXPECT_TRUE(has(l, "object_label", "type=invoice"));

	ASSERT_EQ(0, set_label(f, "type=lab-result"));
	l = line_of(&self->d, &e, self->line, sizeof(self->line));
	EXPECT_TRUE(has(l, "object_label", "type=lab-result"));

	ASSERT_EQ(0, removexattr(f, ABAC_LABEL_XATTR));
	l = line_of(&self->d, &e, self->line, sizeof(self->line));
	EXPECT_TRUE(has(l, "label_path", f));
	EXPECT_TRUE(has(l, "object_label", NULL));
}

/*
 * A label changed at once after it was read (within one tick of the
 * kernel's clock, the ctime may not move): still read anew.  Where the
 * kernel gives fine-grained ctimes when they are read (6.13 and later,
 * as on the host this was written on) the ctime alone would catch it;
 * the guest's 6.12 keeps coarse ones.
 */
TEST_F(lines, label_changed_at_once_is_read_again)
{
	struct abac_event e;
	char f[128], want[32];
	const char *l;
	int i;

	snprintf(f, sizeof(f), "%.64s/record", self->dir);
	ASSERT_EQ(0, make_file(f));
	ASSERT_EQ(0, set_label(f, "v=0"));
	ASSERT_EQ(0, denial(&e, f, f, ABAC_LABEL_FROM_OWN));
	for (i = 1; i <= 50; i++) {
		snprintf(want, sizeof(want), "v=%d", i);
		ASSERT_EQ(0, set_label(f, want));
		l = line_of(&self->d, &e, self->line, sizeof(self->line));
		ASSERT_TRUE(has(l, "object_label", want))
			TH_LOG("after %d changes: %s", i, l);
	}
}

/* A path that names another file now is no label path. */
TEST_F(lines, replaced_file_is_not_named)
{
	struct abac_event e;
	char f[128], g[128];
	const char *l;

	snprintf(f, sizeof(f), "%.64s/invoice", self->dir);
	snprintf(g, sizeof(g), "%.64s/other", self->dir);
	ASSERT_EQ(0, make_file(f));
	ASSERT_EQ(0, set_label(f, "type=invoice"));
	usleep(SETTLE_US);
	ASSERT_EQ(0, denial(&e, f, f, ABAC_LABEL_FROM_OWN));
	l = line_of(&self->d, &e, self->line, sizeof(self->line));
	ASSERT_TRUE(has(l, "object_label", "type=invoice"));

	ASSERT_EQ(0, make_file(g));
	ASSERT_EQ(0, set_label(g, "type=invoice"));
	ASSERT_EQ(0, rename(g, f));	/* same path and label, another inode */
	l = line_of(&self->d, &e, self->line, sizeof(self->line));
	EXPECT_TRUE(has(l, "label_path", NULL));
	EXPECT_TRUE(has(l, "object_label", NULL));
}

/*
 * An inherited label: found by walking up, for files at any depth below
 * the labelled directory, and no longer once that directory moves; the
 * files at its new place find it there.
 */
TEST_F(lines, inherited_label_follows_its_directory)
{
	char top[128], moved[128], f[256], g[256];
	struct abac_event e;
	const char *l;

	snprintf(top, sizeof(top), "%.64s/ward", self->dir);
	snprintf(moved, sizeof(moved), "%.64s/ward-old", self->dir);
	ASSERT_EQ(0, mkdir(top, 0700));
	snprintf(f, sizeof(f), "%s/a", top);
	ASSERT_EQ(0, mkdir(f, 0700));
	snprintf(f, sizeof(f), "%s/a/b", top);
	ASSERT_EQ(0, mkdir(f, 0700));
	snprintf(f, sizeof(f), "%s/a/b/chart", top);
	ASSERT_EQ(0, make_file(f));
	snprintf(g, sizeof(g), "%s/a/note", top);
	ASSERT_EQ(0, make_file(g));
	ASSERT_EQ(0, set_label(top, "type=medical-record"));
	usleep(SETTLE_US);

	ASSERT_EQ(0, denial(&e, f, top, ABAC_LABEL_FROM_DIR));
	l = line_of(&self->d, &e, self->line, sizeof(self->line));
	EXPECT_TRUE(has(l, "label_from", "directory"));
	EXPECT_TRUE(has(l, "label_path", top));
	EXPECT_TRUE(has(l, "object_label", "type=medical-record"));
	ASSERT_EQ(0, denial(&e, g, top, ABAC_LABEL_FROM_DIR));
	l = line_of(&self->d, &e, self->line, sizeof(self->line));
	EXPECT_TRUE(has(l, "label_path", top));
	EXPECT_TRUE(has(l, "object_label", "type=medical-record"));

	/* a path beside the directory, not below it, does not inherit */
	snprintf(g, sizeof(g), "%s-annex/x", top);
	e.label_from = ABAC_LABEL_FROM_DIR;
	snprintf(e.path, sizeof(e.path), "%s", g);
	l = line_of(&self->d, &e, self->line, sizeof(self->line));
	EXPECT_TRUE(has(l, "label_path", NULL));

	ASSERT_EQ(0, denial(&e, f, top, ABAC_LABEL_FROM_DIR));
	ASSERT_EQ(0, rename(top, moved));
	l = line_of(&self->d, &e, self->line, sizeof(self->line));
	EXPECT_TRUE(has(l, "label_path", NULL));
	EXPECT_TRUE(has(l, "object_label", NULL));

	snprintf(f, sizeof(f), "%s/a/b/chart", moved);
	snprintf(e.path, sizeof(e.path), "%s", f);
	l = line_of(&self->d, &e, self->line, sizeof(self->line));
	EXPECT_TRUE(has(l, "label_path", moved));
	EXPECT_TRUE(has(l, "object_label", "type=medical-record"));

	ASSERT_EQ(0, set_label(moved, "type=lab-result"));
	l = line_of(&self->d, &e, self->line, sizeof(self->line));
	EXPECT_TRUE(has(l, "object_label", "type=lab-result"));
}

/* Many labelled files at once: each line names its own file and label. */
TEST_F(lines, many_files_each_their_own_label)
{
	char f[128], want[32];
	struct abac_event e;
	const char *l;
	int i, round;

	for (i = 0; i < 200; i++) {
		snprintf(f, sizeof(f), "%.64s/f%d", self->dir, i);
		snprintf(want, sizeof(want), "n=%d", i);
		ASSERT_EQ(0, make_file(f));
		ASSERT_EQ(0, set_label(f, want));
	}
	usleep(SETTLE_US);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < 200; i++) {
			snprintf(f, sizeof(f), "%.64s/f%d", self->dir, i);
			snprintf(want, sizeof(want), "n=%d", i);
			ASSERT_EQ(0, denial(&e, f, f, ABAC_LABEL_FROM_OWN));
			l = line_of(&self->d, &e, self->line,
				    sizeof(self->line));
			ASSERT_TRUE(has(l, "label_path", f));
			ASSERT_TRUE(has(l, "object_label", want));
		}
	}
}

TEST_HARNESS_MAIN
