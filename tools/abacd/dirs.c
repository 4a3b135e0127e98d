// SPDX-License-Identifier: GPL-2.0-only
/*
 * Labelled directories, remembered so that label inheritance survives a
 * reload of the BPF programs (a reboot).
 *
 * Files without a label of their own take the label of their nearest
 * labelled ancestor directory.  A hook cannot read a parent's xattrs, so
 * the BPF side keeps a map of labelled directories by (device, inode),
 * filled whenever a directory's label is set or read (at open).  A fresh
 * map knows nothing, so abacd keeps the paths of the directories labelled
 * through "abac label set" in its state directory (file labelled-dirs,
 * one path a line) and opens each of them at start: the file_open hook
 * then reads the label and enters the directory in the map.
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

/* Make the BPF side read @path's label: open it. */
static int dir_touch(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static bool dir_labelled(const char *path)
{
	return getxattr(path, ABAC_LABEL_XATTR, NULL, 0) > 0;
}

/* The list as a malloc()ed NUL-terminated text; "" when there is none. */
static int dirs_read(const struct abacd *d, char **text)
{
	char path[PATH_MAX];
	FILE *f;
	size_t n = 0;

	*text = NULL;
	state_path(d, STATE_DIRS, path, sizeof(path));
	f = fopen(path, "re");
	if (!f) {
		if (errno != ENOENT)
			return -errno;
		*text = strdup("");
		return *text ? 0 : -ENOMEM;
	}
	if (getdelim(text, &n, 0, f) < 0) {
		free(*text);
		*text = strdup("");
	}
	fclose(f);
	return *text ? 0 : -ENOMEM;
}

/* Replace the list with @text, atomically. */
static int dirs_write(const struct abacd *d, const char *text)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	FILE *f;
	int err = 0;

	state_path(d, STATE_DIRS, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	if (fputs(text, f) < 0 || fflush(f) || fsync(fileno(f)))
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
 * The list without @drop (NULL: keep all) and without the directories
 * that are gone or no longer labelled, as a malloc()ed text; *@changed
 * says whether it differs.
 */
static char *dirs_filter(char *text, const char *drop, bool *changed)
{
	char *out = NULL, *line, *save = NULL;
	size_t n = 0;
	FILE *f;

	*changed = false;
	f = open_memstream(&out, &n);
	if (!f)
		return NULL;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if ((drop && !strcmp(line, drop)) || !dir_labelled(line)) {
			*changed = true;
			continue;
		}
		fprintf(f, "%s\n", line);
	}
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}

/**
 * dirs_restore() - at start, let the kernel learn every labelled
 *	directory abacd knows of; forget the ones gone or unlabelled.
 * @d: the agent, its kernel handles open.
 *
 * Return: 0, or a negative errno when the list cannot be read.
 */
int dirs_restore(struct abacd *d)
{
	char *text, *kept, *line, *save = NULL;
	unsigned int n = 0;
	bool changed;
	int err;

	err = dirs_read(d, &text);
	if (err)
		return err;
	kept = dirs_filter(text, NULL, &changed);
	free(text);
	if (!kept)
		return -ENOMEM;
	if (changed && dirs_write(d, kept))
		say("warning: cannot rewrite %s/%s", d->state_dir, STATE_DIRS);
	text = strdup(kept);
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		err = dir_touch(line);
		if (err)
			say("warning: labelled directory %s: %s", line,
			    strerror(-err));
		else
			n++;
	}
	debug("%u labelled directories known to the kernel", n);
	free(text);
	free(kept);
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
	char canon[PATH_MAX], *text, *kept, *all;
	struct stat st;
	bool changed, labelled;
	int err;

	if (!realpath(path, canon) || stat(canon, &st)) {
		snprintf(why, why_sz, "%s", strerror(errno));
		return -errno;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, why_sz, "not a directory");
		return -ENOTDIR;
	}
	labelled = dir_labelled(canon);
	err = dirs_read(d, &text);
	if (err) {
		snprintf(why, why_sz, "cannot read the list: %s",
			 strerror(-err));
		return err;
	}
	kept = dirs_filter(text, canon, &changed);
	free(text);
	if (!kept)
		return -ENOMEM;
	if (labelled && asprintf(&all, "%s%s\n", kept, canon) < 0)
		all = NULL;
	else if (!labelled)
		all = strdup(kept);
	free(kept);
	if (!all)
		return -ENOMEM;
	err = dirs_write(d, all);
	free(all);
	if (err) {
		snprintf(why, why_sz, "cannot write %s/%s: %s", d->state_dir,
			 STATE_DIRS, strerror(-err));
		return err;
	}
	if (labelled)
		dir_touch(canon);
	snprintf(why, why_sz, "%s %s", labelled ? "remembered" : "forgot",
		 canon);
	return 0;
}
