// SPDX-License-Identifier: GPL-2.0-only
/*
 * abacd's event formatting on the host, without a VM: synthetic struct
 * abac_event records through event_line() (tools/abacd/events.c), the
 * function that turns each ring-buffer record into its JSON log line, and
 * the time per event for each kind of label lookup the line makes:
 *
 *   no-label       label_from none: no file system call at all
 *   own            the object's own user.abac, on a file that exists
 *   own-missing    the object's path no longer exists
 *   inherit-DEPTH  a file DEPTH directories below its labelled directory
 *   inherit-moved  the labelled directory is no ancestor of the path
 *                  (moved since): the walk goes up to "/" for nothing
 *
 * Usage: abacd-lines-bench [-n EVENTS] [-d DIR] [-s SCENARIO]
 * DIR (default /dev/shm) must take user.* extended attributes (tmpfs
 * does).  Each scenario runs a warm-up and then five timed batches; the
 * median is printed, in ns per event.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "abacd.h"

#define BATCHES		5
#define DEPTH_MAX	24

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int label(const char *path, const char *text)
{
	if (setxattr(path, ABAC_LABEL_XATTR, text, strlen(text), 0)) {
		fprintf(stderr, "setxattr %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* The kernel's encoding of @st's device and its inode, into @e. */
static void object_of(struct abac_event *e, const struct stat *st,
		      bool label_too)
{
	e->dev = major(st->st_dev) << 20 | minor(st->st_dev);
	e->ino = st->st_ino;
	if (label_too) {
		e->label_dev = e->dev;
		e->label_ino = e->ino;
	}
}

/* Median ns per event_line() of @e over @n calls, in BATCHES batches. */
static double time_lines(struct abacd *d, const struct abac_event *e,
			 unsigned long n, size_t *bytes)
{
	double t[BATCHES], t0;
	unsigned long i;
	int b;

	for (i = 0; i < n / 10; i++)	/* warm-up */
		event_line(d, e, bytes);
	for (b = 0; b < BATCHES; b++) {
		t0 = now_ns();
		for (i = 0; i < n; i++) {
			d->received++;
			if (!event_line(d, e, bytes))
				return -1;
		}
		t[b] = (now_ns() - t0) / n;
	}
	qsort(t, BATCHES, sizeof(t[0]), cmp_double);
	return t[BATCHES / 2];
}

/**
 * struct scenario - one kind of event, timed once all are set up.
 * @name: its name.
 * @e: the event.
 */
struct scenario {
	char name[32];
	struct abac_event e;
};

static struct scenario scen[16];
static int nscen;

static void add(const char *name, const struct abac_event *e)
{
	snprintf(scen[nscen].name, sizeof(scen[nscen].name), "%s", name);
	scen[nscen++].e = *e;
}

static void report(struct abacd *d, const char *name,
		   const struct abac_event *e, unsigned long n,
		   const char *only)
{
	size_t len = 0;
	const char *line;
	double ns;

	if (only && strcmp(only, name))
		return;
	ns = time_lines(d, e, n, &len);
	line = event_line(d, e, &len);
	printf("  %-16s %10.0f %8zu   %.*s\n", name, ns, len,
	       line && getenv("LINES_SHOW") ? (int)len - 1 : 0,
	       line ? line : "");
}

static void usage(void)
{
	fprintf(stderr, "usage: abacd-lines-bench [-n EVENTS] [-d DIR] "
		"[-s SCENARIO]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *dir = "/dev/shm", *only = NULL;
	static const int depths[] = { 1, 4, 8, 16 };
	char root[128], path[ABAC_PATH_MAX], name[32];
	struct subject subj = {
		.path = "/abac-bench/tagged", .id = 4242, .level = 1,
		.tags = "role=nurse-practitioner department=cardiology",
	};
	struct abac_policy *pol = NULL;
	const struct abac_image_hdr *h;
	struct abac_event base = {}, e;
	struct abac_diags diags;
	struct abacd d = {};
	unsigned long n = 200000;
	struct stat st, top;
	size_t k;
	int opt, i, err;

	while ((opt = getopt(argc, argv, "n:d:s:")) != -1) {
		switch (opt) {
		case 'n':
			n = strtoul(optarg, NULL, 10);
			break;
		case 'd':
			dir = optarg;
			break;
		case 's':
			only = optarg;
			break;
		default:
			usage();
		}
	}
	if (!n)
		usage();

	/* the agent: one tagged cgroup, the hospital policy's image */
	abac_diags_init(&diags);
	err = abac_policy_parse_file("policy-examples/hospital.yaml", &pol,
				     &diags);
	if (!err)
		err = abac_image_build(pol, NULL, 0, &d.cur.buf, &d.cur.len,
				       &diags);
	if (err) {
		fprintf(stderr, "cannot build the hospital policy's image "
			"(run from the source tree): %s\n", strerror(-err));
		return 1;
	}
	d.log_fd = -1;
	d.native_events_fd = -1;
	d.backlog_fd = -1;
	d.cg_fd = -1;
	d.subj.v = &subj;
	d.subj.n = 1;
	h = d.cur.buf;

	/* a denial as the BPF programs send it */
	base.boot_ns = 1000000000ULL;
	base.cgroup_id = subj.id;
	base.subj_cgroup_id = subj.id;
	base.pid = 4321;
	base.tid = 4321;
	base.uid = 1000;
	base.gid = 1000;
	base.generation = h->generation;
	base.content_hash = h->content_hash;
	base.rule = 0;
	base.op = ABAC_OP_READ;
	base.effect = ABAC_DENY;
	base.mode = ABAC_MODE_ENFORCE;
	base.reason = ABAC_REASON_RULE;
	base.errno_val = EACCES;
	base.count = 1;
	base.env_wday = ABAC_ENV_UNREAD;
	snprintf(base.comm, sizeof(base.comm), "producer");

	/* the files: one labelled, a tree below a labelled directory */
	snprintf(root, sizeof(root), "%s/abacd-lines.%d", dir, (int)getpid());
	if (mkdir(root, 0700) || label(root, "type=medical-record "
				       "patient-condition=heart") ||
	    stat(root, &top)) {
		fprintf(stderr, "cannot set up %s: %s\n", root,
			strerror(errno));
		return 1;
	}

	e = base;
	snprintf(e.path, sizeof(e.path), "%s/none", root);
	e.label_from = ABAC_LABEL_FROM_NONE;
	add("no-label", &e);

	e = base;
	snprintf(e.path, sizeof(e.path), "%s/own", root);
	i = open(e.path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	if (i < 0 || close(i) || label(e.path, "type=invoice") ||
	    lstat(e.path, &st))
		return 1;
	e.label_from = ABAC_LABEL_FROM_OWN;
	object_of(&e, &st, true);
	add("own", &e);

	snprintf(e.path, sizeof(e.path), "%s/gone", root);
	add("own-missing", &e);

	for (k = 0; k < sizeof(depths) / sizeof(depths[0]); k++) {
		e = base;
		snprintf(path, sizeof(path), "%s", root);
		for (i = 0; i < depths[k] - 1; i++) {
			snprintf(name, sizeof(name), "/d%d", i);
			strcat(path, name);
			if (mkdir(path, 0700) && errno != EEXIST)
				return 1;
		}
		snprintf(e.path, sizeof(e.path), "%.200s/leaf-%d", path, depths[k]);
		i = open(e.path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
		if (i < 0 || close(i) || lstat(e.path, &st))
			return 1;
		e.label_from = ABAC_LABEL_FROM_DIR;
		object_of(&e, &st, false);
		e.label_dev = e.dev;
		e.label_ino = top.st_ino;
		snprintf(name, sizeof(name), "inherit-%d", depths[k]);
		add(name, &e);
	}
	/* the deepest file again, its labelled directory elsewhere */
	e.label_ino = top.st_ino + 1000000;
	add("inherit-moved", &e);

	/* labels as on a running system: set more than a second ago */
	sleep(2);
	printf("event_line(), %lu events per batch, median of %d; "
	       "files under %s\n", n, BATCHES, dir);
	printf("  %-16s %10s %8s\n", "scenario", "ns/event", "bytes");
	for (i = 0; i < nscen; i++)
		report(&d, scen[i].name, &scen[i].e, n, only);

	if (!getenv("LINES_KEEP")) {
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", root);
	}
	abac_policy_free(pol);
	free(d.cur.buf);
	abac_diags_free(&diags);
	return 0;
}
