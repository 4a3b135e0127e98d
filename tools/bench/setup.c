// SPDX-License-Identifier: GPL-2.0-only
/*
 * The bench's world: its labelled files, its cgroups (one tagged, one
 * not, at the same depth so an untagged caller pays the same ancestor
 * walk, and a second tagged one whose distinct denials the event pass
 * looks for beside a flood), and the images of each policy size.
 * Everything lives under BENCH_DIR and BENCH_CG_ROOT; only the bench's
 * own cgroups are ever tagged.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "bench.h"

#define BENCH_TRUE_SRC	"/abac/bench-true"

static int label(const char *path, const char *text)
{
	return setxattr(path, ABAC_LABEL_XATTR, text, strlen(text), 0) ?
		-errno : 0;
}

static int write_file(const char *path, const void *buf, size_t len,
		      mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, buf, len) != (ssize_t)len)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

/* A copy of the small static program the exec workload runs. */
static int copy_true(void)
{
	char *buf;
	size_t len;
	int err;

	err = abac_read_file(BENCH_TRUE_SRC, &buf, &len);
	if (err)
		return err;
	err = write_file(BENCH_TRUE, buf, len, 0755);
	free(buf);
	return err ? err : label(BENCH_TRUE, BENCH_DATA_LABEL);
}

/**
 * bench_distinct_path() - the path of one of the distinct denied files.
 * @i: which, below BENCH_DISTINCT_N.
 * @buf: receives it.
 * @sz: @buf's size.
 */
void bench_distinct_path(unsigned int i, char *buf, size_t sz)
{
	snprintf(buf, sz, "%s/%03u", BENCH_DISTINCT, i);
}

/* BENCH_DISTINCT_N files labelled as the secret one: one denial each. */
static int distinct_files(void)
{
	char path[64];
	unsigned int i;
	int err = 0;

	if (mkdir(BENCH_DISTINCT, 0755) && errno != EEXIST)
		return -errno;
	for (i = 0; i < BENCH_DISTINCT_N && !err; i++) {
		bench_distinct_path(i, path, sizeof(path));
		err = write_file(path, "x", 1, 0644);
		if (!err)
			err = label(path, BENCH_SECRET_LABEL);
	}
	return err;
}

/**
 * bench_miss_path() - the path of one of the files the miss measure opens.
 * @i: which, below BENCH_MISS_N.
 * @buf: receives it.
 * @sz: @buf's size.
 */
void bench_miss_path(unsigned int i, char *buf, size_t sz)
{
	snprintf(buf, sz, "%s/%03u", BENCH_MISS, i);
}

/* BENCH_MISS_N files labelled as the data file: allowed, one inode each. */
static int miss_files(void)
{
	char path[64];
	unsigned int i;
	int err = 0;

	if (mkdir(BENCH_MISS, 0755) && errno != EEXIST)
		return -errno;
	for (i = 0; i < BENCH_MISS_N && !err; i++) {
		bench_miss_path(i, path, sizeof(path));
		err = write_file(path, "x", 1, 0644);
		if (!err)
			err = label(path, BENCH_DATA_LABEL);
	}
	return err;
}

/**
 * bench_setup_files() - the data file (allowed), the secret file (denied),
 * the distinct denied files, the miss files and the exec target, all
 * labelled, under
 * BENCH_DIR.
 *
 * Return: 0 or a negative errno.
 */
int bench_setup_files(void)
{
	static char data[8192];
	int err;

	mkdir(BENCH_DIR, 0755);
	memset(data, 'a', sizeof(data));
	err = write_file(BENCH_DATA, data, sizeof(data), 0644);
	if (!err)
		err = label(BENCH_DATA, BENCH_DATA_LABEL);
	if (!err)
		err = write_file(BENCH_SECRET, data, 16, 0644);
	if (!err)
		err = label(BENCH_SECRET, BENCH_SECRET_LABEL);
	if (!err)
		err = distinct_files();
	if (!err)
		err = miss_files();
	if (!err)
		err = copy_true();
	return err;
}

/**
 * bench_setup_cgroups() - BENCH_CG_ROOT/tagged, BENCH_CG_ROOT/untagged and
 * BENCH_CG_ROOT/other (tagged alike).
 *
 * Return: 0 or a negative errno.
 */
int bench_setup_cgroups(void)
{
	if (mkdir(BENCH_CG_ROOT, 0755) && errno != EEXIST)
		return -errno;
	if (mkdir(BENCH_CG_ROOT "/tagged", 0755) && errno != EEXIST)
		return -errno;
	if (mkdir(BENCH_CG_ROOT "/untagged", 0755) && errno != EEXIST)
		return -errno;
	if (mkdir(BENCH_CG_ROOT "/other", 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

/**
 * bench_enter_cgroup() - move the calling process.
 * @tagged: into the tagged cgroup, else into the untagged one.
 *
 * Return: 0 or a negative errno.
 */
int bench_enter_cgroup(bool tagged)
{
	const char *procs = tagged ? BENCH_CG_ROOT "/tagged/cgroup.procs" :
				     BENCH_CG_ROOT "/untagged/cgroup.procs";

	return write_file(procs, "0", 1, 0644);
}

/**
 * bench_enter_other() - move the calling process into BENCH_CG_ROOT/other.
 *
 * Return: 0 or a negative errno.
 */
int bench_enter_other(void)
{
	return write_file(BENCH_CG_ROOT "/other/cgroup.procs", "0", 1, 0644);
}

/* One of the bench's tagged cgroups, @name below BENCH_CG_ROOT. */
static int tagged_subject(struct abac_subject *s, const char *name)
{
	char path[128];
	struct stat st;

	memset(s, 0, sizeof(*s));
	snprintf(path, sizeof(path), "%s/%s", BENCH_CG_ROOT, name);
	if (stat(path, &st))
		return -errno;
	s->cgroup_id = st.st_ino;
	s->level = 2;	/* abac-bench/NAME below the root */
	snprintf(s->path, sizeof(s->path), "abac-bench/%s", name);
	snprintf(s->tags, sizeof(s->tags), "%s", BENCH_SUBJECT_TAGS);
	return 0;
}

static void refuse(struct bench_policy *p, const struct abac_diags *d,
		   int err)
{
	const struct abac_diag *e = NULL;
	size_t i;

	for (i = 0; i < d->n && !e; i++)
		if (!d->v[i].warning)
			e = &d->v[i];
	if (e && e->line)
		snprintf(p->refused, sizeof(p->refused), "%s:%u:%u: %s",
			 e->file, e->line, e->column, e->msg);
	else if (e)
		snprintf(p->refused, sizeof(p->refused), "%s", e->msg);
	else
		snprintf(p->refused, sizeof(p->refused), "%s", strerror(-err));
}

/**
 * bench_policy_build() - generate, parse and compile one policy size.
 * @p: @p->nrules set; receives the image or why it was refused.
 */
void bench_policy_build(struct bench_policy *p)
{
	struct abac_policy *pol = NULL;
	struct abac_subject subj[2];
	struct abac_diags d;
	char *yaml = NULL;
	size_t len;
	double t0;
	int err;

	abac_diags_init(&d);
	p->tagged = NULL;
	p->refused[0] = 0;
	err = tagged_subject(&subj[0], "tagged");
	if (!err)
		err = tagged_subject(&subj[1], "other");
	if (!err)
		err = bench_gen_policy(p->nrules, &yaml, &len);
	if (err) {
		refuse(p, &d, err);
		goto out;
	}
	t0 = bench_now_ns();
	err = abac_policy_parse_buf("bench.yaml", yaml, len, &pol, &d);
	if (!err)
		err = abac_image_build(pol, subj, 2, &p->tagged,
				       &p->tagged_len, &d);
	/* The loader's checks, as the agent runs them before a swap. */
	if (!err && !d.errors)
		err = abac_image_check(p->tagged, p->tagged_len, &d);
	p->compile_ns = bench_now_ns() - t0;
	if (err || d.errors) {
		refuse(p, &d, err ? err : -EINVAL);
		free(p->tagged);
		p->tagged = NULL;
	}
	abac_policy_free(pol);
out:
	free(yaml);
	abac_diags_free(&d);
}

/**
 * bench_image_clear() - remove the image in force: the programs attached
 * then find no policy and return at once.
 * @h: the programs and maps.
 *
 * Return: 0 or a negative errno.
 */
int bench_image_clear(struct bench_hooks *h)
{
	return abac_kern_clear_image(&h->kern);
}

static int remove_one(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	remove(path);
	return 0;
}

/**
 * bench_cleanup() - leave the cgroups and remove BENCH_DIR with all it
 * holds (the files, the agent's state and log).
 */
void bench_cleanup(void)
{
	write_file("/sys/fs/cgroup/cgroup.procs", "0", 1, 0644);
	rmdir(BENCH_CG_ROOT "/tagged");
	rmdir(BENCH_CG_ROOT "/untagged");
	rmdir(BENCH_CG_ROOT "/other");
	rmdir(BENCH_CG_ROOT);
	nftw(BENCH_DIR, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/**
 * bench_prepare() - what every measuring command sets up first.
 * @o: the policy sizes.
 * @pols: receives one compiled policy per size (refused ones say why).
 * @h: when not NULL, receives abac's programs, loaded and attached.
 *
 * On failure it says which step failed and leaves nothing behind.
 *
 * Return: 0 or a negative errno.
 */
int bench_prepare(const struct bench_opts *o, struct bench_policy *pols,
		  struct bench_hooks *h)
{
	int i, err;

	err = bench_setup_files();
	if (!err)
		err = bench_setup_cgroups();
	if (err) {
		fprintf(stderr, "abac-bench: cannot set up: %s\n",
			strerror(-err));
		bench_cleanup();
		return err;
	}
	for (i = 0; i < o->nsizes; i++) {
		pols[i].nrules = o->sizes[i];
		bench_policy_build(&pols[i]);
	}
	err = h ? bench_hooks_open(h) : 0;
	if (err) {
		fprintf(stderr, "abac-bench: cannot load abac: %s %s\n",
			strerror(-err), abac_kern_hint(err));
		bench_release(o, pols);
	}
	return err;
}

/**
 * bench_release() - undo bench_prepare(), the programs aside.
 * @o: the policy sizes.
 * @pols: the policies it compiled.
 */
void bench_release(const struct bench_opts *o, struct bench_policy *pols)
{
	int i;

	for (i = 0; i < o->nsizes; i++)
		free(pols[i].tagged);
	bench_cleanup();
}
