// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tamper guard's view of the agent and of the system: which process
 * is the agent, which inodes are its own, which trees hold the code and
 * configuration untagged processes load, which character devices are
 * raw.  The guard (bpf/guard.bpf.c, lsm/guard.c) keeps tagged subjects
 * from signalling or tracing that process and from writing those inodes:
 * the policy files (/etc/abac), the state directory, the event log's
 * directory, the directories of the OCSF and metrics files, the control
 * socket and its directory, the agent's binary,
 * the system trees (--system-dirs); nor from opening those devices.
 *
 * Directories are protected with every entry in them, so files renamed
 * into them later (the state, a rotated log) are covered by their
 * directory; the walk goes GUARD_DEPTH levels down for the rest (both
 * guards walk up from an entry too: bpf/guard.h, lsm/guard.c).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
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

/**
 * struct guard_set - the inodes to protect, gathered before they are
 *	handed to the kernel in one go.
 * @v: the entries.
 * @n: entries used.
 * @cap: entries allocated.
 */
struct guard_set {
	struct abac_guard_ent *v;
	size_t n, cap;
};

static int protect_stat(struct guard_set *g, const struct stat *st,
			__u32 kind)
{
	struct abac_guard_ent *v;

	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 64;
		v = realloc(g->v, g->cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		g->v = v;
	}
	g->v[g->n].ino = st->st_ino;
	g->v[g->n].dev = kdev(st->st_dev);
	g->v[g->n].kind = kind;
	g->n++;
	return 0;
}

/* Protect @path and, for a directory, what lies below it. */
static int protect_tree(struct guard_set *g, const char *path, int depth)
{
	char sub[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *dir;
	int err;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	err = protect_stat(g, &st, ABAC_GUARD_INODE_TREE);
	if (err || !S_ISDIR(st.st_mode) || depth >= GUARD_DEPTH)
		return err;
	dir = opendir(path);
	if (!dir)
		return -errno;
	while (!err && (de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		err = protect_tree(g, sub, depth + 1);
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

static int protect_parent(struct guard_set *g, const char *file)
{
	char buf[PATH_MAX], *dir;

	snprintf(buf, sizeof(buf), "%s", file);
	dir = dirname(buf);
	if (!dir_is_own(dir))
		return protect_tree(g, file, GUARD_DEPTH);
	return protect_tree(g, dir, 0);
}

/**
 * guard_metrics_dir_ok() - can the guard keep the metrics file?
 * @path: --metrics FILE, absolute.
 *
 * The file is a new inode at every write (written beside its name, then
 * renamed over it), so only its directory can be protected, and a
 * directory everything shares (/tmp, /var/lib ...) cannot be.
 *
 * Return: true when @path's directory is one the guard may protect.
 */
bool guard_metrics_dir_ok(const char *path)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	return dir_is_own(dirname(buf));
}

/* The system trees of --system-dirs (colon-separated): their tops. */
static int protect_system(struct guard_set *g, const char *dirs)
{
	char *list, *dir, *save = NULL;
	struct stat st;
	int err = 0;

	list = strdup(dirs);
	if (!list)
		return -ENOMEM;
	for (dir = strtok_r(list, ":", &save); dir && !err;
	     dir = strtok_r(NULL, ":", &save)) {
		if (stat(dir, &st))
			err = errno == ENOENT ? 0 : -errno;
		else
			err = protect_stat(g, &st, ABAC_GUARD_INODE_SYSTEM);
	}
	free(list);
	return err;
}

/*
 * Raw character devices whose major the kernel chose (/proc/devices,
 * "Character devices:"): SCSI and NVMe passthrough, flash volumes.
 */
static bool raw_char_driver(const char *name)
{
	return !strcmp(name, "bsg") || !strcmp(name, "nvme-generic") ||
	       !strcmp(name, "sg") || !strcmp(name, "mtd") ||
	       !strncmp(name, "ubi", 3);
}

/*
 * The majors of the raw character drivers in /proc/devices, at most
 * @max of them, sorted as the kernel lists them: their count, or a
 * negative errno.
 */
static int raw_char_majors(__u32 *majors, size_t max)
{
	char line[128], name[64];
	unsigned int major;
	bool chr = false;
	size_t n = 0;
	FILE *f;

	f = fopen("/proc/devices", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Character devices:", 18))
			chr = true;
		else if (!strncmp(line, "Block devices:", 14))
			chr = false;
		else if (chr && sscanf(line, "%u %63s", &major, name) == 2 &&
			 raw_char_driver(name) && n < max)
			majors[n++] = major;
	}
	fclose(f);
	return (int)n;
}

/* The BPF guard's raw devices: its abac_guard_devs map. */
static int guard_devices(struct abacd *d)
{
	__u32 majors[ABACD_RAW_MAJORS];
	int n = raw_char_majors(majors, ABACD_RAW_MAJORS);

	if (n < 0)
		return n;
	return abac_kern_guard_devs(&d->kern, majors, (size_t)n);
}

/*
 * The native guard's raw devices: entries of the guard file, one per
 * major (ABAC_GUARD_INODE_RAW_CHAR), remembered in @d to see a change.
 */
static int protect_raw_majors(struct abacd *d, struct guard_set *g)
{
	int n = raw_char_majors(d->raw_majors, ABACD_RAW_MAJORS), i, err;
	struct stat st = {};

	d->nraw_majors = n < 0 ? 0 : (size_t)n;
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		st.st_ino = 0;
		st.st_dev = makedev(d->raw_majors[i], 0);
		err = protect_stat(g, &st, ABAC_GUARD_INODE_RAW_CHAR);
		if (err)
			return err;
	}
	return 0;
}

/* Has the list of raw character devices changed since the guard learnt it? */
static bool raw_majors_changed(const struct abacd *d)
{
	__u32 now[ABACD_RAW_MAJORS];
	int n = raw_char_majors(now, ABACD_RAW_MAJORS);

	return n >= 0 && ((size_t)n != d->nraw_majors ||
			  memcmp(now, d->raw_majors, n * sizeof(now[0])));
}

/**
 * guard_shield() - shield the agent as soon as the programs are there.
 * @d: the agent, its kernel handles just open.
 *
 * The BPF guard knows an agent that it saw exec the agent's binary (a
 * previous agent entered it); a first agent, or one whose binary changed
 * (an upgrade), is known from here on, before anything else it does.
 * guard_start() enters the rest.
 */
void guard_shield(struct abacd *d)
{
	struct stat st;
	int err;

	if (!d->use_bpf)
		return;
	err = abac_kern_guard_agent(&d->kern, getpid());
	if (!err && !stat("/proc/self/exe", &st))
		err = abac_kern_guard_inode(&d->kern, st.st_ino,
					    kdev(st.st_dev),
					    ABAC_GUARD_INODE_TREE |
					    ABAC_GUARD_INODE_AGENT);
	if (err)
		say("the tamper guard cannot shield abacd yet: %s",
		    strerror(-err));
}

/**
 * guard_tick() - now and then, the raw devices again: a module loaded
 *	since may have brought one.
 * @d: the agent.
 */
void guard_tick(struct abacd *d)
{
	int err = 0;

	if (now_ms() - d->guard_refreshed_ms < ABACD_ENV_REFRESH_MS)
		return;
	d->guard_refreshed_ms = now_ms();
	if (d->use_native && raw_majors_changed(d))
		err = guard_start(d);	/* the guard file is written whole */
	if (!err && d->use_bpf)
		err = guard_devices(d);
	if (err)
		say("the tamper guard cannot learn the raw devices: %s",
		    strerror(-err));
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
	struct guard_set g = {};
	struct stat st;
	int err;

	err = protect_tree(&g, GUARD_ETC, 0);
	if (!err)
		err = protect_tree(&g, d->state_dir, 0);
	if (!err)
		err = protect_parent(&g, d->log_path);
	if (!err && d->ocsf_path)	/* the log's twin (sink.c) */
		err = protect_parent(&g, d->ocsf_path);
	if (!err && d->metrics_path)	/* renamed over: its directory */
		err = protect_parent(&g, d->metrics_path);
	if (!err)
		err = protect_parent(&g, d->sock_path);
	if (!err && !stat(d->sock_path, &st))
		err = protect_stat(&g, &st, ABAC_GUARD_INODE_SOCKET);
	if (!err && !stat("/proc/self/exe", &st))
		err = protect_stat(&g, &st, ABAC_GUARD_INODE_TREE |
					    ABAC_GUARD_INODE_AGENT);
	if (!err)
		err = protect_system(&g, d->system_dirs);
	if (!err && d->use_native)
		err = protect_raw_majors(d, &g);
	if (!err)
		err = backend_guard(d, g.v, g.n);
	if (!err && d->use_bpf)
		err = guard_devices(d);
	d->guard_refreshed_ms = now_ms();
	free(g.v);
	if (err) {
		say("failed to set up the tamper guard: %s", strerror(-err));
		return err;
	}
	debug("tamper guard: pid %d, %zu inodes protected", getpid(), g.n);
	return 0;
}
