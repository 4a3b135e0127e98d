// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cgroup tree, watched: a cgroup that appears where the policy binds
 * one by name, or where a cgroup tagged by path is created again (a
 * service restarted), is tagged the moment it appears, not when the
 * image is next rebuilt.
 *
 * The first half is a small watcher of cgroup directories, knowing
 * nothing of policies (a Kubernetes pod watcher can use it as it is):
 * inotify on the directories that can hold the cgroups wanted, cgroupfs
 * sending IN_CREATE for a mkdir and IN_DELETE for an rmdir.  A directory
 * that does not exist yet is watched through its nearest existing
 * ancestor, so that its own creation is seen.  The second half is
 * abacd's use of it from the epoll loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abacd.h"

#define CG_WATCH_READS	64	/* reads of 8 KiB a call: see cg_watch_read() */
#define WATCH_MASK	(IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | \
			 IN_DELETE_SELF | IN_ONLYDIR)

/**
 * cg_watch_open() - start a watcher of cgroup directories.
 * @w: the watcher; its descriptor (nonblocking) is @w->fd, for poll.
 *
 * Return: 0, or a negative errno.
 */
int cg_watch_open(struct cg_watch *w)
{
	memset(w, 0, sizeof(*w));
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	return w->fd < 0 ? -errno : 0;
}

/**
 * cg_watch_close() - stop a watcher.
 * @w: the watcher; left closed (fd -1).
 */
void cg_watch_close(struct cg_watch *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->v[i].path);
	free(w->v);
	if (w->fd >= 0)
		close(w->fd);
	memset(w, 0, sizeof(*w));
	w->fd = -1;
}

/* @path, or its nearest ancestor that is a directory, into @buf. */
static void existing(const char *path, char *buf, size_t sz)
{
	struct stat st;
	char *slash;

	snprintf(buf, sz, "%s", path);
	while (stat(buf, &st) || !S_ISDIR(st.st_mode)) {
		slash = strrchr(buf, '/');
		if (!slash || slash == buf) {
			snprintf(buf, sz, "/");
			return;
		}
		*slash = '\0';
	}
}

static bool wanted(char **dirs, size_t n, const char *path)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(dirs[i], path))
			return true;
	}
	return false;
}

/* Stop watching the entries of @w no longer in @dirs. */
static void drop_unwanted(struct cg_watch *w, char **dirs, size_t n)
{
	size_t i = 0;

	while (i < w->n) {
		if (wanted(dirs, n, w->v[i].path)) {
			i++;
			continue;
		}
		inotify_rm_watch(w->fd, w->v[i].wd);
		free(w->v[i].path);
		w->v[i] = w->v[--w->n];
	}
}

/* Watch @path unless it is watched already. */
static int add_one(struct cg_watch *w, const char *path)
{
	struct cg_watch_dir *v;
	size_t i;
	int wd;

	for (i = 0; i < w->n; i++) {
		if (!strcmp(w->v[i].path, path))
			return 0;
	}
	wd = inotify_add_watch(w->fd, path, WATCH_MASK);
	if (wd < 0)
		return -errno;
	v = realloc(w->v, (w->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	w->v = v;
	v[w->n].wd = wd;
	v[w->n].path = strdup(path);
	if (!v[w->n].path)
		return -ENOMEM;
	w->n++;
	return 0;
}

/**
 * cg_watch_set() - watch these directories, and only these.
 * @w: the watcher.
 * @dirs: absolute paths of the directories whose children are wanted;
 *	one that does not exist is watched through its nearest existing
 *	ancestor (cg_watch_set() again once it appears).
 * @n: entries in @dirs.
 *
 * Return: 0, or the negative errno of the first directory that could
 * not be watched (the others are).
 */
int cg_watch_set(struct cg_watch *w, const char *const *dirs, size_t n)
{
	char **real;
	size_t i;
	int err = 0, e;

	real = calloc(n + 1, sizeof(*real));
	if (!real)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		real[i] = malloc(PATH_MAX);
		if (!real[i]) {
			err = -ENOMEM;
			goto free_real;
		}
		existing(dirs[i], real[i], PATH_MAX);
	}
	drop_unwanted(w, real, n);
	for (i = 0; i < n; i++) {
		e = add_one(w, real[i]);
		if (e && !err)
			err = e;
	}
free_real:
	for (i = 0; i < n; i++)
		free(real[i]);
	free(real);
	return err;
}

/* The watched directory of @wd, or NULL (removed meanwhile). */
static struct cg_watch_dir *by_wd(struct cg_watch *w, int wd)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		if (w->v[i].wd == wd)
			return &w->v[i];
	}
	return NULL;
}

/*
 * @dir/@name, a directory removed, is gone as a watched directory too:
 * its own watch was not seen to get IN_IGNORED on cgroupfs (in the test
 * guest a binding's parent removed and made again stayed unwatched), and
 * one made again at the path is another inode, to be watched anew.
 * Said to @fn as IN_IGNORED.
 */
static void forget_child(struct cg_watch *w, const char *dir,
			 const char *name, cg_watch_fn fn, void *arg)
{
	char path[PATH_MAX];
	size_t i;

	snprintf(path, sizeof(path), "%s%s%s", dir,
		 strcmp(dir, "/") ? "/" : "", name);
	for (i = 0; i < w->n; i++) {
		if (strcmp(w->v[i].path, path))
			continue;
		inotify_rm_watch(w->fd, w->v[i].wd);
		fn(arg, w->v[i].path, NULL, IN_IGNORED);
		free(w->v[i].path);
		w->v[i] = w->v[--w->n];
		return;
	}
}

/* One inotify record: pass it on; forget a directory gone. */
static void one_event(struct cg_watch *w, const struct inotify_event *ev,
		      cg_watch_fn fn, void *arg)
{
	struct cg_watch_dir *dir;

	if (ev->mask & IN_Q_OVERFLOW) {
		fn(arg, NULL, NULL, IN_Q_OVERFLOW);
		return;
	}
	dir = by_wd(w, ev->wd);
	if (!dir)
		return;
	if (ev->mask & IN_IGNORED) {
		/* removed: forget it; the owner watches its parent again */
		fn(arg, dir->path, NULL, IN_IGNORED);
		free(dir->path);
		*dir = w->v[--w->n];
		return;
	}
	if (!ev->len || !(ev->mask & IN_ISDIR))
		return;
	fn(arg, dir->path, ev->name, ev->mask);
	if (ev->mask & (IN_DELETE | IN_MOVED_FROM))
		forget_child(w, dir->path, ev->name, fn, arg);
}

/**
 * cg_watch_read() - pass on what the watched directories saw.
 * @w: the watcher.
 * @fn: called for each change: @dir the watched directory, @name the
 *	child directory created (IN_CREATE, IN_MOVED_TO) or removed
 *	(IN_DELETE, IN_MOVED_FROM); @name NULL with IN_IGNORED when @dir
 *	itself is gone, @dir and @name NULL with IN_Q_OVERFLOW when changes
 *	were lost (look at the whole tree again).
 * @arg: passed to @fn.
 *
 * At most CG_WATCH_READS reads a call: a tree that changes faster than
 * abacd reads it must not hold the rest of its loop (the event ring
 * above all); the descriptor stays readable and the loop comes back.
 *
 * Return: 0 once everything queued was read or the bound was reached,
 * or a negative errno.
 */
int cg_watch_read(struct cg_watch *w, cg_watch_fn fn, void *arg)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	unsigned int reads = 0;
	ssize_t len;
	char *p;

	while (reads++ < CG_WATCH_READS) {
		len = read(w->fd, buf, sizeof(buf));
		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0)
			return errno == EAGAIN ? 0 : -errno;
		for (p = buf; p < buf + len; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			one_event(w, ev, fn, arg);
		}
	}
	return 0;
}

/* ---- abacd's watch ----------------------------------------------------- */

/* Append @path to the set @dirs (of @n, room for @cap) unless in it. */
static int dirs_add(char ***dirs, size_t *n, size_t *cap, const char *path)
{
	char **v;

	if (wanted(*dirs, *n, path))
		return 0;
	if (*n == *cap) {
		v = realloc(*dirs, (*cap * 2 + 8) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		*dirs = v;
		*cap = *cap * 2 + 8;
	}
	(*dirs)[*n] = strdup(path);
	if (!(*dirs)[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

/*
 * The directories abacd watches: the parent of each binding and the
 * parent's own parent (so that the parent is seen removed and made
 * again: a new id for the image's binding table), and the parent of
 * each cgroup tagged by path.
 */
static int watch_dirs(const struct abacd *d, char ***dirs, size_t *n)
{
	const char *root = strcmp(d->cg_root, "/") ? d->cg_root : "";
	char path[PATH_MAX], *slash;
	const struct abac_policy *p;
	struct abac_policy view;
	size_t cap = 0, i;
	int err = 0;

	*dirs = NULL;
	*n = 0;
	/* the policy's bindings and those bound at run time */
	p = rtbinds_view(d, d->policy, &view);
	if (d->policy && !p)
		return -ENOMEM;
	for (i = 0; p && i < p->nbindings && !err; i++) {
		const char *bdir = p->bindings[i].dir;

		if ((size_t)snprintf(path, sizeof(path), "%s/%s", root,
				     bdir) >= sizeof(path))
			continue;	/* no cgroup has so long a path */
		if (!*bdir)
			snprintf(path, sizeof(path), "%s", d->cg_root);
		err = dirs_add(dirs, n, &cap, path);
		slash = strrchr(path, '/');
		if (!err && *bdir && slash) {
			*(slash == path ? slash + 1 : slash) = '\0';
			err = dirs_add(dirs, n, &cap, path);
		}
	}
	rtbinds_view_free(d->policy, &view);
	for (i = 0; i < d->subj.n && !err; i++) {
		if (d->subj.v[i].bound)
			continue;
		snprintf(path, sizeof(path), "%s", d->subj.v[i].path);
		slash = strrchr(path, '/');
		if (!slash)
			continue;
		*(slash == path ? slash + 1 : slash) = '\0';
		err = dirs_add(dirs, n, &cap, path);
	}
	return err;
}

/**
 * watch_sync() - watch the directories the policy in force and the
 *	tagged cgroups need; nothing when the watch is not started.
 * @d: the agent.
 */
void watch_sync(struct abacd *d)
{
	char **dirs;
	size_t n, i;
	int err;

	if (d->watch.fd < 0)
		return;
	err = watch_dirs(d, &dirs, &n);
	if (!err)
		err = cg_watch_set(&d->watch, (const char *const *)dirs, n);
	if (err)
		say("warning: cannot watch the cgroup tree for bound and tagged cgroups: %s",
		    strerror(-err));
	for (i = 0; i < n; i++)
		free(dirs[i]);
	free(dirs);
}

/* What one batch of changes asks for. */
struct watch_batch {
	struct abacd *d;
	bool sync;	/* watch other directories */
	bool rebind;	/* tag what appeared */
};

/*
 * Is @dir/@name a cgroup tagged by path, or one a binding names (of the
 * policy, or bound at run time)?
 */
static bool is_wanted(const struct abacd *d, const char *dir,
		      const char *name)
{
	char path[PATH_MAX];
	const char *rel;
	size_t i;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	for (i = 0; i < d->subj.n; i++) {
		if (!d->subj.v[i].bound && !strcmp(d->subj.v[i].path, path))
			return true;
	}
	rel = dir + strlen(d->cg_root);
	if (!strcmp(d->cg_root, "/"))
		rel = dir;
	while (*rel == '/')
		rel++;
	if (!d->policy)
		return false;
	if (abac_binding_find(d->policy, rel, name))
		return true;
	/* and the cgroups bound at run time */
	for (i = 0; i < d->rt.n; i++) {
		if (!strcmp(d->rt.v[i].b.dir, rel) &&
		    abac_binding_match(&d->rt.v[i].b, name))
			return true;
	}
	return false;
}

/* Is @dir/@name a directory the watch waits for, or an ancestor of one? */
static bool leads_to_wanted(const struct abacd *d, const char *dir,
			    const char *name)
{
	char path[PATH_MAX], **dirs;
	size_t n, i, len;
	bool hit = false;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	len = strlen(path);
	if (watch_dirs(d, &dirs, &n))
		return true;	/* cannot tell: look again */
	for (i = 0; i < n; i++) {
		if (!strncmp(dirs[i], path, len) &&
		    (!dirs[i][len] || dirs[i][len] == '/'))
			hit = true;
		free(dirs[i]);
	}
	free(dirs);
	return hit;
}

static void on_change(void *arg, const char *dir, const char *name,
		      __u32 mask)
{
	struct watch_batch *b = arg;

	if (mask & (IN_Q_OVERFLOW | IN_IGNORED)) {
		b->sync = b->rebind = true;
		return;
	}
	if (!(mask & (IN_CREATE | IN_MOVED_TO)))
		return;
	debug("cgroup %s/%s appeared", dir, name);
	if (is_wanted(b->d, dir, name))
		b->rebind = true;
	else if (leads_to_wanted(b->d, dir, name))
		b->sync = true;	/* a parent a binding waits for */
}

/**
 * watch_ready() - the watch has news: tag what appeared.
 * @d: the agent.
 */
void watch_ready(struct abacd *d)
{
	struct watch_batch b = { .d = d };
	__u64 seen = now_us();
	int err;

	err = cg_watch_read(&d->watch, on_change, &b);
	if (err)
		say("failed to read the cgroup watch: %s", strerror(-err));
	if (b.sync)
		watch_sync(d);
	/* a parent created meanwhile may already hold bound cgroups */
	if (b.rebind || b.sync)
		engine_rebind(d, seen, b.sync);
}

/**
 * watch_start() - watch the cgroup tree from the epoll loop.
 * @d: the agent, its policy in force (or none).
 *
 * Return: 0, or a negative errno (abacd then runs without: bound and
 * restarted cgroups are tagged at the next change of policy or tags).
 */
int watch_start(struct abacd *d)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int err;

	err = cg_watch_open(&d->watch);
	if (err)
		return err;
	d->watch_kind = WATCH_INOTIFY;
	ev.data.ptr = &d->watch_kind;
	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->watch.fd, &ev)) {
		err = -errno;
		cg_watch_close(&d->watch);
		return err;
	}
	watch_sync(d);
	/* what appeared between the start-up build and the first watch */
	engine_rebind(d, now_us(), true);
	return 0;
}
