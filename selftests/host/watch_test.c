// SPDX-License-Identifier: GPL-2.0-only
/*
 * abacd's directory watcher (tools/abacd/watch.c, its policy-free half)
 * on the host, on a temporary tree: inotify behaves there as on cgroupfs
 * for mkdir and rmdir.  A directory that does not exist yet is watched
 * through its nearest ancestor, children created and removed are passed
 * on, a watched directory removed says so, and a new set replaces the
 * old one.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "common.h"
#include "abacd.h"

#define MAXSEEN	16

/* What cg_watch_read() passed on, as "DIR|NAME|KIND" strings. */
struct seen {
	char v[MAXSEEN][PATH_MAX + 64];
	int n;
};

static void record(void *arg, const char *dir, const char *name, __u32 mask)
{
	struct seen *s = arg;
	const char *kind = mask & IN_Q_OVERFLOW ? "overflow" :
			   mask & IN_IGNORED ? "gone" :
			   mask & (IN_CREATE | IN_MOVED_TO) ? "created" :
			   "removed";

	if (s->n < MAXSEEN)
		snprintf(s->v[s->n++], sizeof(s->v[0]), "%s|%s|%s",
			 dir ? dir : "-", name ? name : "-", kind);
}

/* Did @s see "@dir|@name|@kind"? */
static bool saw(const struct seen *s, const char *dir, const char *name,
		const char *kind)
{
	char want[PATH_MAX + 64];
	int i;

	snprintf(want, sizeof(want), "%s|%s|%s", dir, name, kind);
	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], want))
			return true;
	return false;
}

FIXTURE(watch) {
	char root[64];
	char a[128], ab[192], abx[256];
	struct cg_watch w;
};

FIXTURE_SETUP(watch)
{
	snprintf(self->root, sizeof(self->root), "/tmp/abac-watch-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->root));
	snprintf(self->a, sizeof(self->a), "%s/a", self->root);
	snprintf(self->ab, sizeof(self->ab), "%s/b", self->a);
	snprintf(self->abx, sizeof(self->abx), "%s/x.service", self->ab);
	ASSERT_EQ(0, cg_watch_open(&self->w));
}

FIXTURE_TEARDOWN(watch)
{
	cg_watch_close(&self->w);
	rmdir(self->abx);
	rmdir(self->ab);
	rmdir(self->a);
	rmdir(self->root);
}

TEST_F(watch, a_missing_directory_is_watched_through_its_ancestor)
{
	const char *dirs[] = { self->ab };
	struct seen s = { .n = 0 };

	ASSERT_EQ(0, cg_watch_set(&self->w, dirs, 1));
	ASSERT_EQ(1, (int)self->w.n);
	EXPECT_STREQ(self->root, self->w.v[0].path);
	ASSERT_EQ(0, mkdir(self->a, 0755));
	ASSERT_EQ(0, cg_watch_read(&self->w, record, &s));
	EXPECT_TRUE(saw(&s, self->root, "a", "created"));
	/* set again: the watch moves down to the nearest ancestor now */
	ASSERT_EQ(0, cg_watch_set(&self->w, dirs, 1));
	ASSERT_EQ(1, (int)self->w.n);
	EXPECT_STREQ(self->a, self->w.v[0].path);
	ASSERT_EQ(0, mkdir(self->ab, 0755));
	ASSERT_EQ(0, cg_watch_set(&self->w, dirs, 1));
	EXPECT_STREQ(self->ab, self->w.v[0].path);
}

TEST_F(watch, children_created_and_removed_are_passed_on)
{
	const char *dirs[] = { self->ab };
	struct seen s = { .n = 0 };
	int fd;

	ASSERT_EQ(0, mkdir(self->a, 0755));
	ASSERT_EQ(0, mkdir(self->ab, 0755));
	ASSERT_EQ(0, cg_watch_set(&self->w, dirs, 1));
	/* nothing happened yet: nothing to read, and no blocking */
	ASSERT_EQ(0, cg_watch_read(&self->w, record, &s));
	EXPECT_EQ(0, s.n);
	ASSERT_EQ(0, mkdir(self->abx, 0755));
	ASSERT_EQ(0, rmdir(self->abx));
	ASSERT_EQ(0, cg_watch_read(&self->w, record, &s));
	EXPECT_TRUE(saw(&s, self->ab, "x.service", "created"));
	EXPECT_TRUE(saw(&s, self->ab, "x.service", "removed"));
	/* a file is no cgroup: not passed on */
	s.n = 0;
	fd = open(self->abx, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, cg_watch_read(&self->w, record, &s));
	EXPECT_EQ(0, s.n);
	unlink(self->abx);
}

TEST_F(watch, a_watched_directory_removed_says_so_and_is_forgotten)
{
	const char *dirs[] = { self->ab };
	struct seen s = { .n = 0 };

	ASSERT_EQ(0, mkdir(self->a, 0755));
	ASSERT_EQ(0, mkdir(self->ab, 0755));
	ASSERT_EQ(0, cg_watch_set(&self->w, dirs, 1));
	ASSERT_EQ(0, rmdir(self->ab));
	ASSERT_EQ(0, cg_watch_read(&self->w, record, &s));
	EXPECT_TRUE(saw(&s, self->ab, "-", "gone"));
	EXPECT_EQ(0, (int)self->w.n);
}

TEST_F(watch, a_new_set_replaces_the_old_one)
{
	const char *both[] = { self->a, self->root };
	const char *one[] = { self->root };
	struct seen s = { .n = 0 };

	ASSERT_EQ(0, mkdir(self->a, 0755));
	ASSERT_EQ(0, cg_watch_set(&self->w, both, 2));
	EXPECT_EQ(2, (int)self->w.n);
	ASSERT_EQ(0, cg_watch_set(&self->w, one, 1));
	ASSERT_EQ(1, (int)self->w.n);
	EXPECT_STREQ(self->root, self->w.v[0].path);
	/* the directory dropped is not watched any more */
	ASSERT_EQ(0, mkdir(self->ab, 0755));
	ASSERT_EQ(0, cg_watch_read(&self->w, record, &s));
	EXPECT_FALSE(saw(&s, self->a, "b", "created"));
}

/*
 * A watched directory whose parent is watched too, removed: said gone
 * once (by its own IN_IGNORED here; by its parent's IN_DELETE on
 * cgroupfs, where the own watch was not seen to get one), and made
 * again it is watched anew (another inode).
 */
TEST_F(watch, a_watched_directory_removed_below_a_watched_one_is_gone_once)
{
	const char *dirs[] = { self->a, self->ab };
	struct seen s = { .n = 0 };
	int i, gone = 0;

	ASSERT_EQ(0, mkdir(self->a, 0755));
	ASSERT_EQ(0, mkdir(self->ab, 0755));
	ASSERT_EQ(0, cg_watch_set(&self->w, dirs, 2));
	ASSERT_EQ(2, (int)self->w.n);
	ASSERT_EQ(0, rmdir(self->ab));
	ASSERT_EQ(0, cg_watch_read(&self->w, record, &s));
	EXPECT_TRUE(saw(&s, self->a, "b", "removed"));
	for (i = 0; i < s.n; i++)
		gone += strstr(s.v[i], "|gone") != NULL;
	EXPECT_EQ(1, gone);
	ASSERT_EQ(1, (int)self->w.n);
	EXPECT_STREQ(self->a, self->w.v[0].path);
	ASSERT_EQ(0, mkdir(self->ab, 0755));
	ASSERT_EQ(0, cg_watch_set(&self->w, dirs, 2));
	ASSERT_EQ(2, (int)self->w.n);
	s.n = 0;
	ASSERT_EQ(0, mkdir(self->abx, 0755));
	ASSERT_EQ(0, cg_watch_read(&self->w, record, &s));
	EXPECT_TRUE(saw(&s, self->ab, "x.service", "created"));
}

TEST_HARNESS_MAIN
