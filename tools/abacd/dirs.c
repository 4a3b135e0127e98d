// SPDX-License-Identifier: GPL-2.0-only
/*
 * Labelled directories, remembered so that label inheritance survives a
 * reload of the BPF programs (a reboot).
 *
 * Files without a label of their own take the label of their nearest
 * labelled ancestor directory.  A hook cannot read a parent's xattrs, so
 * the BPF side keeps a map of labelled directories by (device, inode),
 * filled whenever a directory's label is set or read (at open).  A fresh
 * map knows nothing, so abacd keeps the directories labelled through
 * "abac label set" in its state directory (file labelled-dirs) and opens
 * each of them at start: the file_open hook then reads the label and
 * enters the directory in the map.
 *
 * A directory is kept by its identity, not only by its path: the file
 * system's handle for it (name_to_handle_at), with the mount it was
 * reached through, so that a directory renamed or moved since is still
 * found (open_by_handle_at) and its path brought up to date; the path is
 * the way back where the file system gives no handle.  One line each:
 *
 *	H <TAB> handle type <TAB> handle, hex <TAB> mount <TAB> path
 *
 * or, as earlier agents wrote it and for a file system without handles,
 * the path alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "abacd.h"

#define STATE_DIRS	"labelled-dirs"
#define DIR_HANDLE_MAX	128	/* MAX_HANDLE_SZ */

/**
 * struct dir_ent - one labelled directory.
 * @path: its path when last seen.
 * @mnt: the top of the mount it was reached through ("" without handle).
 * @htype: the handle's type.
 * @hlen: the handle's bytes (0: none).
 * @h: the handle.
 */
struct dir_ent {
	char path[PATH_MAX];
	char mnt[PATH_MAX];
	int htype;
	unsigned int hlen;
	unsigned char h[DIR_HANDLE_MAX];
};

/**
 * struct dir_list - the labelled directories.
 * @v: the entries.
 * @n: entries used.
 */
struct dir_list {
	struct dir_ent *v;
	size_t n;
};

static struct dir_ent *dirs_add(struct dir_list *l)
{
	struct dir_ent *v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v)
		return NULL;
	l->v = v;
	memset(&v[l->n], 0, sizeof(v[l->n]));
	return &v[l->n++];
}

/* One line of the list into @e; false for a line to skip. */
static bool parse_line(char *line, struct dir_ent *e)
{
	char *f[5], *save = NULL;
	unsigned int i;

	if (strncmp(line, "H\t", 2)) {
		snprintf(e->path, sizeof(e->path), "%s", line);
		return *line == '/';
	}
	for (i = 0; i < 5; i++)
		f[i] = strtok_r(i ? NULL : line, "\t", &save);
	if (!f[4] || strlen(f[2]) % 2 || strlen(f[2]) / 2 > DIR_HANDLE_MAX)
		return false;
	e->htype = atoi(f[1]);
	e->hlen = strlen(f[2]) / 2;
	for (i = 0; i < e->hlen; i++)
		if (sscanf(f[2] + 2 * i, "%2hhx", &e->h[i]) != 1)
			return false;
	snprintf(e->mnt, sizeof(e->mnt), "%s", f[3]);
	snprintf(e->path, sizeof(e->path), "%s", f[4]);
	return *e->path == '/';
}

/* The list as the state directory holds it; empty when there is none. */
static int dirs_load(const struct abacd *d, struct dir_list *l)
{
	char path[PATH_MAX], *line = NULL;
	struct dir_ent *e;
	size_t n = 0;
	FILE *f;

	l->v = NULL;
	l->n = 0;
	state_path(d, STATE_DIRS, path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (getline(&line, &n, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		e = dirs_add(l);
		if (!e)
			break;
		if (!parse_line(line, e))
			l->n--;
	}
	free(line);
	fclose(f);
	return 0;
}

/* Replace the list with @l, atomically. */
static int dirs_save(const struct abacd *d, const struct dir_list *l)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	unsigned int k;
	size_t i;
	FILE *f;
	int err = 0;

	state_path(d, STATE_DIRS, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	for (i = 0; i < l->n; i++) {
		const struct dir_ent *e = &l->v[i];

		if (!e->hlen) {
			fprintf(f, "%s\n", e->path);
			continue;
		}
		fprintf(f, "H\t%d\t", e->htype);
		for (k = 0; k < e->hlen; k++)
			fprintf(f, "%02x", e->h[k]);
		fprintf(f, "\t%s\t%s\n", e->mnt, e->path);
	}
	if (fflush(f) || fsync(fileno(f)))
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

/*
 * The top of the mount @path is on: the highest ancestor on the same
 * device (a bind mount's top, for a directory reached through one).
 */
static void mount_top(const char *path, char *top, size_t sz)
{
	char cur[PATH_MAX], *slash;
	struct stat st, up;

	snprintf(top, sz, "%s", path);
	if (stat(path, &st))
		return;
	snprintf(cur, sizeof(cur), "%s", path);
	while ((slash = strrchr(cur, '/'))) {
		slash[slash == cur] = '\0';
		if (stat(cur, &up) || up.st_dev != st.st_dev)
			return;
		snprintf(top, sz, "%s", cur);
		if (!strcmp(cur, "/"))
			return;
	}
}

/* Fill @e for the directory @canon: its path, handle and mount. */
static void ent_fill(struct dir_ent *e, const char *canon)
{
	struct {
		struct file_handle fh;
		unsigned char h[DIR_HANDLE_MAX];
	} buf;
	int mount_id;

	snprintf(e->path, sizeof(e->path), "%s", canon);
	e->hlen = 0;
	buf.fh.handle_bytes = DIR_HANDLE_MAX;
	if (name_to_handle_at(AT_FDCWD, canon, &buf.fh, &mount_id, 0))
		return;	/* a file system without handles: the path */
	e->htype = buf.fh.handle_type;
	e->hlen = buf.fh.handle_bytes;
	memcpy(e->h, buf.fh.f_handle, e->hlen);
	mount_top(canon, e->mnt, sizeof(e->mnt));
}

/*
 * Open the directory of @e: by its handle where it has one (wherever it
 * is now), else by its path.  The open itself makes the kernel read its
 * label (file_open).  Returns the descriptor or a negative errno.
 */
static int ent_open(const struct dir_ent *e)
{
	struct {
		struct file_handle fh;
		unsigned char h[DIR_HANDLE_MAX];
	} buf;
	int mfd, fd = -ENOENT;

	if (e->hlen) {
		buf.fh.handle_bytes = e->hlen;
		buf.fh.handle_type = e->htype;
		memcpy(buf.fh.f_handle, e->h, e->hlen);
		mfd = open(e->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (mfd >= 0) {
			fd = open_by_handle_at(mfd, &buf.fh, O_RDONLY |
					       O_DIRECTORY | O_CLOEXEC);
			if (fd < 0)
				fd = -errno;
			close(mfd);
		}
		if (fd >= 0 || fd == -ESTALE)
			return fd;	/* ESTALE: gone, whatever the path */
	}
	fd = open(e->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Where @fd is now, into @e->path. */
static void ent_where(struct dir_ent *e, int fd)
{
	char link[64], now[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, now, sizeof(now) - 1);
	if (n > 0 && now[0] == '/') {
		now[n] = '\0';
		snprintf(e->path, sizeof(e->path), "%s", now);
	}
}

static bool same_dir(const struct dir_ent *a, const struct dir_ent *b)
{
	if (a->hlen && b->hlen)
		return a->hlen == b->hlen && a->htype == b->htype &&
		       !memcmp(a->h, b->h, a->hlen) && !strcmp(a->mnt, b->mnt);
	return !strcmp(a->path, b->path);
}

/**
 * dirs_restore() - at start, let the kernel learn every labelled
 *	directory abacd knows of, wherever it is now; forget the ones gone
 *	or no longer labelled.
 * @d: the agent, its kernel handles open.
 *
 * Return: 0, or a negative errno when the list cannot be read.
 */
int dirs_restore(struct abacd *d)
{
	struct dir_list l;
	size_t i, kept = 0;
	bool changed = false;
	char old[PATH_MAX];
	int fd, err;

	err = dirs_load(d, &l);
	if (err)
		return err;
	for (i = 0; i < l.n; i++) {
		struct dir_ent *e = &l.v[i];

		fd = ent_open(e);
		if (fd < 0 || fgetxattr(fd, ABAC_LABEL_XATTR, NULL, 0) <= 0) {
			say("forgetting labelled directory %s: %s", e->path,
			    fd < 0 ? strerror(-fd) : "no longer labelled");
			if (fd >= 0)
				close(fd);
			changed = true;
			continue;
		}
		snprintf(old, sizeof(old), "%s", e->path);
		ent_where(e, fd);
		close(fd);
		if (strcmp(old, e->path)) {
			debug("labelled directory %s is now %s", old, e->path);
			changed = true;
		}
		l.v[kept++] = *e;
	}
	l.n = kept;
	if (changed && dirs_save(d, &l))
		say("warning: cannot rewrite %s/%s", d->state_dir, STATE_DIRS);
	debug("%zu labelled directories known to the kernel", kept);
	free(l.v);
	return 0;
}

/**
 * dirs_note() - remember (or forget) a directory whose label changed.
 * @d: the agent.
 * @path: the directory.
 * @why: receives what was done, or why it failed.
 * @why_sz: its size.
 *
 * A labelled directory is added to the list, an unlabelled one removed.
 *
 * Return: 0, or a negative errno.
 */
int dirs_note(struct abacd *d, const char *path, char *why, size_t why_sz)
{
	struct dir_ent me, *e = NULL;
	char canon[PATH_MAX];
	struct dir_list l;
	size_t i, kept = 0;
	struct stat st;
	bool labelled;
	int err;

	if (!realpath(path, canon) || stat(canon, &st)) {
		snprintf(why, why_sz, "%s", strerror(errno));
		return -errno;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, why_sz, "not a directory");
		return -ENOTDIR;
	}
	labelled = getxattr(canon, ABAC_LABEL_XATTR, NULL, 0) > 0;
	memset(&me, 0, sizeof(me));
	ent_fill(&me, canon);
	err = dirs_load(d, &l);
	if (err) {
		snprintf(why, why_sz, "cannot read the list: %s",
			 strerror(-err));
		return err;
	}
	for (i = 0; i < l.n; i++)
		if (!same_dir(&l.v[i], &me) && strcmp(l.v[i].path, canon))
			l.v[kept++] = l.v[i];
	l.n = kept;
	if (labelled) {
		e = dirs_add(&l);
		if (e)
			*e = me;
	}
	err = labelled && !e ? -ENOMEM : dirs_save(d, &l);
	free(l.v);
	if (err) {
		snprintf(why, why_sz, "cannot write %s/%s: %s", d->state_dir,
			 STATE_DIRS, strerror(-err));
		return err;
	}
	if (labelled) {
		int fd = open(canon, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (fd >= 0)
			close(fd);
	}
	snprintf(why, why_sz, "%s %s", labelled ? "remembered" : "forgot",
		 canon);
	return 0;
}
