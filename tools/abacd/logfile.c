// SPDX-License-Identifier: GPL-2.0-only
/*
 * The event log's file, opened with suspicion: whatever stands at its
 * path when abacd starts or is told to reopen it (SIGHUP, after a
 * rotation) may have been put there by someone else.  A symbolic link is
 * not followed (O_NOFOLLOW), a FIFO or a device cannot block the agent
 * (O_NONBLOCK, then a regular file is required), and a file that another
 * user owns, that has other names (hard links), or that anyone may write
 * is not written to: the agent would otherwise append its events where
 * that user reads them, or into a file of theirs choosing.  Its directory
 * must not let others replace the file (root's, not writable by others
 * unless sticky).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abacd.h"

/* May others replace what is in directory @dir?  Say why in @why. */
static bool dir_unsafe(const char *dir, char *why, size_t sz)
{
	struct stat st;

	if (lstat(dir, &st)) {
		snprintf(why, sz, "%s: %s", dir, strerror(errno));
		return true;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, sz, "%s is not a directory (a symbolic link?)",
			 dir);
		return true;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		snprintf(why, sz, "%s belongs to uid %u", dir, st.st_uid);
		return true;
	}
	if ((st.st_mode & 0022) && !(st.st_mode & S_ISVTX)) {
		snprintf(why, sz, "others may write %s", dir);
		return true;
	}
	return false;
}

/* Is @fd a file the agent may write its events to?  Say why not. */
static bool file_unsafe(int fd, const char *path, char *why, size_t sz)
{
	struct stat st;

	if (fstat(fd, &st)) {
		snprintf(why, sz, "%s: %s", path, strerror(errno));
		return true;
	}
	if (!S_ISREG(st.st_mode))
		snprintf(why, sz, "%s is not a regular file", path);
	else if (st.st_uid != geteuid())
		snprintf(why, sz, "%s belongs to uid %u, not to abacd", path,
			 st.st_uid);
	else if (st.st_nlink != 1)
		snprintf(why, sz, "%s has %lu names (hard links)", path,
			 (unsigned long)st.st_nlink);
	else if (st.st_mode & 0002)
		snprintf(why, sz, "anyone may write %s", path);
	else
		return false;
	return true;
}

/* The reason an open(2) of the log failed, in words. */
static void open_failed(const char *path, int err, char *why, size_t sz)
{
	if (err == ELOOP)
		snprintf(why, sz, "%s is a symbolic link", path);
	else if (err == ENXIO)
		snprintf(why, sz, "%s is a FIFO or a socket", path);
	else
		snprintf(why, sz, "%s: %s", path, strerror(err));
}

/**
 * logfile_open_append() - open (create) the event log for appending.
 * @path: the log.
 * @gid: the group a new log gets, or -1.
 * @why: receives why it was refused.
 * @sz: bytes at @why.
 *
 * Return: the descriptor (blocking, O_APPEND, O_CLOEXEC), or a negative
 * errno with @why said: -EPERM for a file or directory not to be
 * trusted, the open's error otherwise.  Never blocks.
 */
int logfile_open_append(const char *path, gid_t gid, char *why, size_t sz)
{
	const int flags = O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW |
			  O_NONBLOCK;
	char dir[PATH_MAX];
	int fd, fl;

	snprintf(dir, sizeof(dir), "%s", path);
	if (dir_unsafe(dirname(dir), why, sz))
		return -EPERM;
	fd = open(path, flags | O_CREAT | O_EXCL, 0640);
	if (fd >= 0) {
		/* new: the mode and group the operator may rely on */
		if (fchmod(fd, 0640) ||
		    (gid != (gid_t)-1 && fchown(fd, 0, gid)))
			say("warning: cannot set mode and group of %s: %s",
			    path, strerror(errno));
	} else if (errno == EEXIST) {
		fd = open(path, flags);
	}
	if (fd < 0) {
		fd = -errno;
		open_failed(path, -fd, why, sz);
		return fd;
	}
	fl = fcntl(fd, F_GETFL);
	if (file_unsafe(fd, path, why, sz) || fl < 0 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK)) {
		if (fl < 0)
			snprintf(why, sz, "%s: %s", path, strerror(errno));
		close(fd);
		return -EPERM;
	}
	return fd;
}

/**
 * logfile_open_read() - open the event log for reading its tail.
 * @path: the log.
 *
 * Return: the descriptor, or a negative errno (-EPERM: not a regular
 * file).  Never blocks, never follows a symbolic link.
 */
int logfile_open_read(const char *path)
{
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EPERM;
	}
	return fd;
}
