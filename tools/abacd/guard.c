// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tamper guard's view of the agent: which process it is and which
 * inodes are its own.  The guard (bpf/guard.bpf.c) keeps tagged subjects
 * from signalling or tracing that process and from writing those inodes:
 * the policy files (/etc/abac), the state directory, the event log's
 * directory, the control socket and its directory, the agent's binary.
 *
 * Directories are protected with every entry in them, so files renamed
 * into them later (the state, a rotated log) are covered by their
 * directory; the walk goes GUARD_DEPTH levels down for the rest.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "abacd.h"

#define GUARD_DEPTH	4
#define GUARD_ETC	"/etc/abac"

static __u32 kdev(dev_t dev)
{
	return (major(dev) << 20) | minor(dev);
}

static int protect_stat(struct abacd *d, const struct stat *st, __u32 kind,
			unsigned int *n)
{
	int err;

	err = abac_kern_guard_inode(&d->kern, st->st_ino, kdev(st->st_dev),
				    kind);
	if (!err)
		(*n)++;
	return err;
}

/* Protect @path and, for a directory, what lies below it. */
static int protect_tree(struct abacd *d, const char *path, int depth,
			unsigned int *n)
{
	char sub[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *dir;
	int err;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	err = protect_stat(d, &st, ABAC_GUARD_INODE_TREE, n);
	if (err || !S_ISDIR(st.st_mode) || depth >= GUARD_DEPTH)
		return err;
	dir = opendir(path);
	if (!dir)
		return -errno;
	while (!err && (de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		err = protect_tree(d, sub, depth + 1, n);
	}
	closedir(dir);
	return err;
}

/*
 * A directory shared with everything else (/, /run, /tmp ...) is not the
 * agent's to protect; one of its own (/run/abac, /var/log/abac) is.
 */
static bool dir_is_own(const char *dir)
{
	static const char *const shared[] = {
		"/", "/run", "/var/run", "/tmp", "/var/tmp", "/var/log",
		"/var/lib", "/etc", "/var", "/dev/shm",
	};
	size_t i;

	for (i = 0; i < sizeof(shared) / sizeof(shared[0]); i++)
		if (!strcmp(dir, shared[i]))
			return false;
	return true;
}

static int protect_parent(struct abacd *d, const char *file, unsigned int *n)
{
	char buf[PATH_MAX], *dir;

	snprintf(buf, sizeof(buf), "%s", file);
	dir = dirname(buf);
	if (!dir_is_own(dir))
		return protect_tree(d, file, GUARD_DEPTH, n);
	return protect_tree(d, dir, 0, n);
}

/**
 * guard_start() - tell the guard who the agent is and what it owns.
 * @d: the agent, its kernel handles open, its socket and log open.
 *
 * Called at start and on SIGHUP (after a log rotation).
 *
 * Return: 0, or a negative errno; the guard then shields less than it
 * should, which the caller reports.
 */
int guard_start(struct abacd *d)
{
	unsigned int n = 0;
	struct stat st;
	int err;

	err = abac_kern_guard_agent(&d->kern, getpid());
	if (!err)
		err = abac_kern_guard_clear(&d->kern);
	if (!err)
		err = protect_tree(d, GUARD_ETC, 0, &n);
	if (!err)
		err = protect_tree(d, d->state_dir, 0, &n);
	if (!err)
		err = protect_parent(d, d->log_path, &n);
	if (!err)
		err = protect_parent(d, d->sock_path, &n);
	if (!err && !stat(d->sock_path, &st))
		err = protect_stat(d, &st, ABAC_GUARD_INODE_SOCKET, &n);
	if (!err && !stat("/proc/self/exe", &st))
		err = protect_stat(d, &st, ABAC_GUARD_INODE_TREE, &n);
	if (err) {
		say("failed to set up the tamper guard: %s", strerror(-err));
		return err;
	}
	debug("tamper guard: pid %d, %u inodes protected", getpid(), n);
	return 0;
}
