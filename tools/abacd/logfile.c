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

/*
 * Cut a torn last line from the log @path, open for appending at @fd.
 * The agent writes a batch of lines with one write() and only then lets
 * the kernel's ring (or the native event file) go past them, so a batch
 * cut short by a SIGKILL (the kernel stops a write at a page when a fatal
 * signal is pending) or a full disk is delivered again at the next start.
 * Left in place, its first bytes would glue onto the next agent's first
 * line and make both unreadable.  The tail is read through a descriptor
 * of its own, checked to be the same file.  Return: bytes cut, or a
 * negative errno.
 */
static long drop_torn_tail(int fd, const char *path)
{
	struct stat st, rst;
	char buf[4096];
	off_t end, pos;
	ssize_t n;
	long ret;
	int rfd;

	if (fstat(fd, &st) || !st.st_size)
		return 0;
	rfd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (rfd < 0)
		return -errno;
	ret = -ESTALE;	/* replaced in between */
	if (fstat(rfd, &rst) || rst.st_dev != st.st_dev ||
	    rst.st_ino != st.st_ino)
		goto out;
	ret = -EIO;
	end = st.st_size;
	for (pos = end; pos > 0; pos -= n) {
		size_t want = pos < (off_t)sizeof(buf) ? (size_t)pos :
							  sizeof(buf);

		n = pread(rfd, buf, want, pos - (off_t)want);
		if (n != (ssize_t)want)
			goto out;
		if (pos == end && buf[n - 1] == '\n') {
			ret = 0;	/* whole: the common case */
			goto out;
		}
		while (n > 0 && buf[n - 1] != '\n')
			n--;
		if (n > 0) {
			pos = pos - (off_t)want + n;
			break;
		}
		n = (ssize_t)want;
	}
	if (pos < 0)
		pos = 0;
	ret = ftruncate(fd, pos) ? -errno : (long)(end - pos);
out:
	close(rfd);
	return ret;
}

/**
 * logfile_open_append() - open (create) the event log for appending.
 * @path: the log.
 * @gid: the group a new log gets, or -1.
 * @why: receives why it was refused.
 * @sz: bytes at @why.
 *
 * A torn last line, left by an agent killed in the middle of a write,
 * is cut (its events are delivered again: see drop_torn_tail()).
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
	long torn;
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
	torn = drop_torn_tail(fd, path);
	if (torn > 0)
		say("event log %s: cut a torn last line (%ld bytes) left by an agent stopped mid-write; its events are logged again",
		    path, torn);
	else if (torn < 0)
		say("warning: event log %s: cannot check its last line: %s",
		    path, strerror((int)-torn));
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
