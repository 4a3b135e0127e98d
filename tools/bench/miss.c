// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cost of a decision-cache miss (Documentation/performance.rst, "A
 * cache miss"): per policy size, the run time of hook_file_open from
 * bpf_stats (run_time_ns / run_cnt) over opens of BENCH_MISS_N distinct
 * allowed files, each opened once right after the image in force was
 * stamped with a new generation.  A decision cached in a file's inode is
 * valid only under the generation it was taken under, so every one of
 * those opens decides afresh: a miss.  The labels stay cached (they do
 * not depend on the image; a warm-up pass reads them first), so the
 * figure is the decision's own cost plus the hook's fixed work.
 *
 * Each size is measured twice: with the rule index (the image as
 * compiled) and with every subject's class cleared, so that the same
 * image decides by the scan of the operation's rules as before the index.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "bench.h"

#define MISS_REPEATS	5

/* Say which step failed; return @err. */
static int failed(const char *what, int err)
{
	fprintf(stderr, "abac-bench: miss: %s: %s\n", what, strerror(-err));
	return err;
}

/* Open and close @path. */
static int open_one(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return failed(path, -errno);
	close(fd);
	return 0;
}

/* Open and close every miss file once. */
static int open_all(void)
{
	char path[64];
	unsigned int i;
	int err = 0;

	for (i = 0; i < BENCH_MISS_N && !err; i++) {
		bench_miss_path(i, path, sizeof(path));
		err = open_one(path);
	}
	return err;
}

/*
 * Put @img in force under generation @gen (not in its content hash),
 * from the untagged cgroup (as run.c's visits do), then come back tagged
 * and open the data file once: the subject's cache entry is filled for
 * the new generation before the measure.
 */
static int set_generation(struct bench_hooks *h, void *img, size_t len,
			  __u32 gen)
{
	int err;

	((struct abac_image_hdr *)img)->generation = gen;
	err = bench_enter_cgroup(false);
	if (err)
		return failed("enter the untagged cgroup", err);
	err = abac_kern_set_image(&h->kern, img, len);
	if (err)
		return failed("set the image", err);
	err = bench_enter_cgroup(true);
	if (err)
		return failed("enter the tagged cgroup", err);
	return open_one(BENCH_DATA);
}

/* A copy of @p's image whose subjects have no class: decided by scan. */
static void *scan_copy(const struct bench_policy *p)
{
	struct abac_image_hdr *h;
	struct abac_subj_key *key;
	__u8 *img = malloc(p->tagged_len);
	__u32 i;

	if (!img)
		return NULL;
	memcpy(img, p->tagged, p->tagged_len);
	h = (struct abac_image_hdr *)img;
	for (i = 0; i < h->subj_size; i++) {
		key = (void *)(img + ((size_t)h->subj_off +
				      (size_t)i * ABAC_SUBJ_RECORDS) *
					     ABAC_REC_SIZE);
		key->cls = ABAC_CLASS_NONE;
	}
	abac_image_rehash(img, p->tagged_len);	/* the chunks' stamps too */
	return img;
}

/* run_time_ns / run_cnt of program @prog over one open_all(). */
static int measure(struct bench_hooks *h, int prog, double *ns,
		   double *runs)
{
	__u64 c0, t0, c1, t1;
	int err;

	err = bench_prog_stats(h, prog, &c0, &t0);
	if (!err)
		err = open_all();
	if (!err)
		err = bench_prog_stats(h, prog, &c1, &t1);
	if (err)
		return err;
	if (c1 <= c0)
		return -ENODATA;
	*ns = (double)(t1 - t0) / (double)(c1 - c0);
	*runs = (double)(c1 - c0) / BENCH_MISS_N;
	return 0;
}

/**
 * struct miss_fig - one image's figures.
 * @miss: median ns per run of the misses.
 * @hit: median ns per run of the same opens again (cache hits).
 * @runs: runs of the program per open.
 */
struct miss_fig {
	double miss, hit, runs;
};

/* MISS_REPEATS times: a new generation, then misses, then hits. */
static int measure_image(struct bench_hooks *h, int prog, void *img,
			 size_t len, __u32 *gen, struct miss_fig *f)
{
	double miss[MISS_REPEATS], hit[MISS_REPEATS], runs = 0;
	struct bench_summary s;
	int k, err;

	err = set_generation(h, img, len, ++*gen);
	if (!err)
		err = open_all();	/* labels read and cached */
	for (k = 0; !err && k < MISS_REPEATS; k++) {
		err = set_generation(h, img, len, ++*gen);
		if (!err)
			err = measure(h, prog, &miss[k], &runs);
		if (!err)
			err = measure(h, prog, &hit[k], &runs);
	}
	if (err)
		return err;
	bench_summarise(miss, MISS_REPEATS, &s);
	f->miss = s.median;
	bench_summarise(hit, MISS_REPEATS, &s);
	f->hit = s.median;
	f->runs = runs;
	return 0;
}

static int find_prog(const struct bench_hooks *h, const char *name)
{
	int i;

	for (i = 0; i < h->nprogs; i++)
		if (!strcmp(h->progs[i].name, name))
			return i;
	return -1;
}

/* The "miss at N / miss at 10" lines, against the smallest size. */
static void print_ratios(const struct bench_policy *pols,
			 const struct miss_fig *idx, const bool *ok,
			 int npols)
{
	int i, base = -1;
	double r;

	for (i = 0; i < npols; i++)
		if (ok[i] && (base < 0 || pols[i].nrules < pols[base].nrules))
			base = i;
	if (base < 0)
		return;
	for (i = 0; i < npols; i++) {
		if (!ok[i] || i == base)
			continue;
		r = idx[i].miss / idx[base].miss;
		printf("  miss at %lu / miss at %lu <= 2x: %.2f %s\n",
		       pols[i].nrules, pols[base].nrules, r,
		       r <= 2.0 ? "met" : "NOT MET");
	}
}

/**
 * bench_miss() - print the cost of a decision-cache miss per policy size,
 *	with the rule index and with the scan.
 * @h: the programs and maps (opened).
 * @pols: the policy sizes, built.
 * @npols: how many.
 *
 * Return: 0, or a negative errno when nothing could be measured.
 */
int bench_miss(struct bench_hooks *h, const struct bench_policy *pols,
	       int npols)
{
	struct miss_fig idx[BENCH_MAX_SIZES], scan[BENCH_MAX_SIZES];
	bool ok[BENCH_MAX_SIZES] = {};
	int stats_fd, prog, i, err = 0;
	__u32 gen = 0x4d000000;	/* apart from the agent's generations */
	void *copy;

	printf("\ncache miss (hook_file_open, bpf_stats run_time_ns / run_cnt "
	       "over %d distinct allowed files, each opened once after a new "
	       "generation voided the cached decisions; labels cached; median "
	       "of %d; \"scan\": the same image with no subject class)\n",
	       BENCH_MISS_N, MISS_REPEATS);
	prog = find_prog(h, "hook_file_open");
	stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (prog < 0 || stats_fd < 0) {
		printf("  not measured: %s\n", prog < 0 ?
		       "no program hook_file_open" : strerror(errno));
		if (stats_fd >= 0)
			close(stats_fd);
		return -ENOENT;
	}
	/* into the bench's cgroups as run.c's first visit: detached */
	bench_hooks_detach(h);
	err = bench_enter_cgroup(true);
	if (!err)
		err = bench_hooks_attach(h);
	printf("  %-8s %12s %12s %12s %12s %8s\n", "rules", "miss ns",
	       "hit ns", "scan miss ns", "scan hit ns", "runs/op");
	for (i = 0; !err && i < npols; i++) {
		if (!pols[i].tagged)
			continue;
		copy = scan_copy(&pols[i]);
		if (!copy) {
			err = -ENOMEM;
			break;
		}
		err = measure_image(h, prog, pols[i].tagged,
				    pols[i].tagged_len, &gen, &idx[i]);
		if (!err)
			err = measure_image(h, prog, copy, pols[i].tagged_len,
					    &gen, &scan[i]);
		free(copy);
		if (err)
			break;
		ok[i] = true;
		printf("  %-8lu %12.1f %12.1f %12.1f %12.1f %8.3f\n",
		       pols[i].nrules, idx[i].miss, idx[i].hit, scan[i].miss,
		       scan[i].hit, idx[i].runs);
	}
	if (err)
		printf("  stopped: %s\n", strerror(-err));
	print_ratios(pols, idx, ok, npols);
	close(stats_fd);
	return err;
}

/**
 * bench_miss_run() - "abac-bench miss": set up, measure, clean up.
 * @o: the policy sizes.
 *
 * Return: 0 or a negative errno.
 */
int bench_miss_run(const struct bench_opts *o)
{
	struct bench_policy pols[BENCH_MAX_SIZES] = {};
	struct bench_hooks h;
	int err;

	err = bench_prepare(o, pols, &h);
	if (err)
		return err;
	bench_print_sizes(pols, o->nsizes, "", "loaded");
	err = bench_miss(&h, pols, o->nsizes);
	bench_hooks_close(&h);
	bench_release(o, pols);
	return err;
}
