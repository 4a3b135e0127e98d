// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cgroup v2 paths as abacd needs them: which directory a subject names,
 * its id (the number the BPF program sees, which is the directory's inode
 * number) and its level (the depth the program walks its ancestors by).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "abacd.h"

#ifndef FILEID_KERNFS
#define FILEID_KERNFS	0xfe	/* a kernfs node by its 64-bit id */
#endif

#define CG_CACHE	64	/* cgroup id -> path, direct-mapped */

/* Undo the octal escapes (\040 for a space) of /proc/self/mountinfo. */
static void unescape(char *s)
{
	char *d = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
				      (s[3] - '0'));
			s += 4;
		} else {
			*d++ = *s++;
		}
	}
	*d = '\0';
}

/* The first cgroup2 mount point in /proc/self/mountinfo, or -ENOENT. */
static int find_mount(char *buf, size_t sz)
{
	char *line = NULL, mnt[PATH_MAX], fstype[64], *sep;
	size_t cap = 0;
	int err = -ENOENT;
	FILE *f;

	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -errno;
	while (err && getline(&line, &cap, f) > 0) {
		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT ... - FSTYPE SOURCE ... */
		sep = strstr(line, " - ");
		if (!sep || sscanf(sep, " - %63s", fstype) != 1 ||
		    strcmp(fstype, "cgroup2") ||
		    sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		unescape(mnt);
		err = (size_t)snprintf(buf, sz, "%s", mnt) >= sz ?
		      -ENAMETOOLONG : 0;
	}
	free(line);
	fclose(f);
	return err;
}

static bool is_cgroup2(const char *path)
{
	struct statfs sfs;

	return !statfs(path, &sfs) && sfs.f_type == CGROUP2_SUPER_MAGIC;
}

/**
 * cg_init() - find the cgroup2 mount.
 * @d: the agent; fills @cg_root and @cg_fd.
 *
 * Without a cgroup2 mount in /proc/self/mountinfo, /sys/fs/cgroup is
 * assumed, so that the error comes later and names a path.
 *
 * Return: 0 (a cgroup2 mount that cannot be opened only costs the
 * resolution of untagged cgroup ids in events).
 */
int cg_init(struct abacd *d)
{
	if (find_mount(d->cg_root, sizeof(d->cg_root)))
		snprintf(d->cg_root, sizeof(d->cg_root), "%s",
			 ABACD_CG_DEFAULT);
	d->cg_fd = open(d->cg_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->cg_fd < 0 || !is_cgroup2(d->cg_root))
		say("warning: %s is not a cgroup2 mount: cgroups cannot be tagged",
		    d->cg_root);
	debug("cgroup2 mount: %s", d->cg_root);
	return 0;
}

/**
 * cg_level() - the depth of a cgroup below the cgroup2 root.
 * @d: the agent.
 * @path: a canonical absolute path under @d->cg_root.
 *
 * Return: the number of path components below the mount point.
 */
unsigned int cg_level(const struct abacd *d, const char *path)
{
	const char *p = path + strlen(d->cg_root);
	unsigned int level = 0;

	for (; *p; p++) {
		if (*p == '/' && p[1] && p[1] != '/')
			level++;
	}
	return level;
}

/**
 * cg_stat() - the id of the cgroup at @path, if it is one.
 * @path: an absolute path.
 * @id: receives the id.
 *
 * Return: 0, -ENOTDIR when @path is not a cgroup2 directory, or the
 * negative errno of stat() (-ENOENT: the cgroup is gone).
 */
int cg_stat(const char *path, __u64 *id)
{
	return cg_stat_owner(path, id, NULL);
}

/**
 * cg_stat_owner() - a cgroup's id and owner.
 * @path: the cgroup's directory.
 * @id: receives its id (its inode number).
 * @uid: receives the directory's owner, or NULL.
 *
 * A cgroup made by root (systemd, the kubelet, abac run) belongs to
 * root; one in a subtree delegated to a user belongs to that user, who
 * may make, remove and fill it at will.
 *
 * Return: 0, -ENOTDIR when @path is not a cgroup2 directory, or another
 * negative errno.
 */
int cg_stat_owner(const char *path, __u64 *id, uid_t *uid)
{
	struct stat st;

	if (stat(path, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode) || !is_cgroup2(path))
		return -ENOTDIR;
	*id = st.st_ino;
	if (uid)
		*uid = st.st_uid;
	return 0;
}

/* Is @canon the cgroup2 root or below it? */
static bool under_root(const struct abacd *d, const char *canon)
{
	size_t n = strlen(d->cg_root);

	if (!strcmp(d->cg_root, "/"))
		return true;
	return !strncmp(canon, d->cg_root, n) &&
	       (!canon[n] || canon[n] == '/');
}

/* Control characters would break the one-line-per-cgroup state file. */
static bool has_control(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	}
	return false;
}

/*
 * Is @canon the agent's own cgroup or an ancestor of it?  Tagging one
 * would make abacd a tagged subject: the tamper guard would then refuse
 * it bpf() and it could never change or lift the policy again.
 */
static bool holds_agent(const struct abacd *d, const char *canon)
{
	char line[PATH_MAX], own[PATH_MAX * 2];
	size_t n;
	FILE *f;

	f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return true;	/* cannot tell: refuse */
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		fclose(f);
		snprintf(own, sizeof(own), "%s%s",
			 strcmp(d->cg_root, "/") ? d->cg_root : "", line + 3);
		n = strlen(canon);
		if (n && canon[n - 1] == '/')
			n--;
		return !strncmp(own, canon, n) &&
		       (own[n] == '\0' || own[n] == '/');
	}
	fclose(f);
	return true;
}

/**
 * cg_check() - check that @path names a cgroup abacd can tag.
 * @d: the agent.
 * @path: the path the client sent.
 * @canon: receives its canonical form (symbolic links resolved).
 * @sz: bytes at @canon.
 * @id: receives the cgroup id.
 * @level: receives its level.
 * @why: receives the reason for a refusal.
 * @why_sz: bytes at @why.
 *
 * Return: 0, or a negative errno with @why filled.
 */
int cg_check(const struct abacd *d, const char *path, char *canon, size_t sz,
	     __u64 *id, unsigned int *level, char *why, size_t why_sz)
{
	char real[PATH_MAX];
	int err;

	if (path[0] != '/') {
		snprintf(why, why_sz, "%s is not an absolute path", path);
		return -EINVAL;
	}
	if (has_control(path)) {
		snprintf(why, why_sz, "cgroup path holds control characters");
		return -EINVAL;
	}
	if (!realpath(path, real)) {
		err = -errno;
		snprintf(why, why_sz, "no cgroup %s: %s", path, strerror(-err));
		return err;
	}
	/* a symbolic link may lead to a name the path given did not show */
	if (has_control(real)) {
		snprintf(why, why_sz, "%s leads to a cgroup path that holds control characters",
			 path);
		return -EINVAL;
	}
	err = cg_stat(real, id);
	if (err || !under_root(d, real)) {
		snprintf(why, why_sz, "%s is not a cgroup v2 directory under %s",
			 path, d->cg_root);
		return err ? err : -ENOTDIR;
	}
	if ((size_t)snprintf(canon, sz, "%s", real) >= sz) {
		snprintf(why, why_sz, "cgroup path too long");
		return -ENAMETOOLONG;
	}
	if (holds_agent(d, canon)) {
		snprintf(why, why_sz, "%s holds abacd itself: tagged, the agent would fall under its own tamper guard",
			 path);
		return -EPERM;
	}
	*level = cg_level(d, canon);
	if (*level >= ABAC_MAX_CGROUP_DEPTH) {
		snprintf(why, why_sz, "%s is %u levels deep; abac tags cgroups up to level %d",
			 path, *level, ABAC_MAX_CGROUP_DEPTH - 1);
		return -EINVAL;
	}
	return 0;
}

/* Ask the kernel for the path of cgroup @id through a kernfs handle. */
static int path_from_handle(struct abacd *d, __u64 id, char *buf, size_t sz)
{
	union {
		struct file_handle fh;
		char raw[sizeof(struct file_handle) + sizeof(__u64)];
	} h;
	char link[64];
	ssize_t n;
	int fd;

	if (d->cg_fd < 0)
		return -ENOENT;
	h.fh.handle_bytes = sizeof(__u64);
	h.fh.handle_type = FILEID_KERNFS;
	memcpy(h.fh.f_handle, &id, sizeof(id));
	fd = open_by_handle_at(d->cg_fd, &h.fh,
			       O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, sz - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/**
 * cg_path_by_id() - the path of a cgroup that events name by id.
 * @d: the agent.
 * @id: the cgroup id.
 * @buf: receives the path.
 * @sz: bytes at @buf.
 *
 * Ids are never reused, so answers (and failures: the cgroup is gone)
 * are cached; an event burst from one cgroup costs one lookup.
 *
 * Return: 0, or a negative errno when the path is unknown.
 */
int cg_path_by_id(struct abacd *d, __u64 id, char *buf, size_t sz)
{
	static struct {
		__u64 id;
		char *path;	/* NULL: known to be unknown */
	} cache[CG_CACHE];
	unsigned int slot = (unsigned int)(id % CG_CACHE);
	char path[PATH_MAX];

	if (!id)
		return -ENOENT;
	if (cache[slot].id != id) {
		free(cache[slot].path);
		cache[slot].path = NULL;
		cache[slot].id = id;
		if (!path_from_handle(d, id, path, sizeof(path)))
			cache[slot].path = strdup(path);
	}
	if (!cache[slot].path)
		return -ENOENT;
	snprintf(buf, sz, "%s", cache[slot].path);
	return 0;
}
