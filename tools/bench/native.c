// SPDX-License-Identifier: GPL-2.0-only
/*
 * "abac-bench native": the benchmark on the native abac LSM, in a guest of
 * the kernel "make kernel" builds.  scripts/bench.sh boots it twice under
 * -icount:
 *
 *   1. with lsm=capability (abac not initialised): "--baseline" runs the
 *      workloads in the bench's cgroup, round after round, and prints
 *      their per-round figures in the text form of baseline.c;
 *   2. with abac: "--versus FILE" (that text) interleaves, round after
 *      round, an untagged caller under the largest policy and a tagged
 *      caller under each size, each image put in force through
 *      securityfs, and takes each ratio against the same round of the
 *      first boot.
 *
 * The native LSM cannot be detached, hence two boots; under -icount the
 * guest's time follows the instructions executed, so they compare.  The
 * native guard refuses a tagged task any write to a cgroup file, so each
 * visit runs in a child that enters its cgroup while still untagged and
 * sends its figures back through a pipe.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "native.h"

#define NATIVE_MAX_CONFIGS	(1 + BENCH_MAX_SIZES)
#define NATIVE_SWAP_RUNS	21

/**
 * struct native_config - one configuration the rounds visit.
 * @name: as printed.
 * @pol: the policy whose image is in force (NULL: the baseline boot, or
 *       the native LSM before its first image).
 * @tagged: the workloads run in the tagged cgroup.
 * @empty: the native LSM without an image: its rounds run first.
 * @ns: per workload and round, nanoseconds per operation.
 * @err: per workload, the errno that stopped it.
 */
struct native_config {
	char name[32];
	const struct bench_policy *pol;
	bool tagged;
	bool empty;
	double ns[W_COUNT][BENCH_MAX_ROUNDS];
	int err[W_COUNT];
};

/* The child: enter the cgroup, run every workload, send the figures. */
static void native_child(const struct bench_opts *o,
			 const struct native_config *c, int out)
{
	struct bench_visit v;
	int err;

	err = bench_enter_cgroup(c->tagged);
	if (err)
		_exit(100);
	bench_visit_run(o, c->err, &v);
	_exit(write(out, &v, sizeof(v)) == sizeof(v) ? 0 : 101);
}

/* One visit: the image in force, a child in the cgroup, its figures. */
static int native_visit(const struct bench_opts *o, struct native_config *c,
			int round)
{
	struct bench_visit v;
	int out[2], st, w, err = 0;
	ssize_t n;
	pid_t pid;

	if (c->pol)
		err = abac_native_set_image(c->pol->tagged,
					    c->pol->tagged_len);
	if (err)
		return err;
	if (pipe(out))
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(out[0]);
		close(out[1]);
		return err;
	}
	if (!pid) {
		close(out[0]);
		native_child(o, c, out[1]);
	}
	close(out[1]);
	n = read(out[0], &v, sizeof(v));
	close(out[0]);
	if (waitpid(pid, &st, 0) != pid)
		return -ECHILD;
	if (n != sizeof(v) || !WIFEXITED(st) || WEXITSTATUS(st))
		return -EIO;
	for (w = 0; w < W_COUNT; w++) {
		if (v.err[w])
			c->err[w] = v.err[w];
		else if (!c->err[w])
			c->ns[w][round] = v.ns[w];
	}
	return 0;
}

/* bench_rounds() visits a configuration of the native run. */
struct native_ctx {
	const struct bench_opts *o;
	struct native_config *cfg;
};

static int native_visit_cb(void *ctx, int c, int round)
{
	struct native_ctx *x = ctx;

	return native_visit(x->o, &x->cfg[c], round);
}

static int native_rounds(const struct bench_opts *o,
			 struct native_config *cfg, int ncfg)
{
	struct native_ctx x = { .o = o, .cfg = cfg };
	int c = 0, err;

	err = bench_rounds(o, ncfg, native_visit_cb, &x, &c);
	if (err)
		fprintf(stderr, "abac-bench: cannot run %s: %s\n",
			cfg[c].name, strerror(-err));
	return err;
}

/* No image in force yet: the LSM's own cost can still be measured. */
static bool native_no_image(void)
{
	size_t len;
	void *img;
	int err;

	err = abac_native_get_image(&img, &len);
	if (!err)
		free(img);
	return err == -ENOENT;
}

/*
 * The configurations: the baseline alone; or empty (when no image was
 * ever put in force in this boot: there is no way back to none), then
 * untagged and tagged-N.
 */
static int native_configs(struct native_config *cfg,
			  const struct bench_policy *pols, int npols,
			  bool baseline)
{
	const struct bench_policy *largest = NULL;
	int i, n = 0;

	memset(cfg, 0, sizeof(*cfg) * NATIVE_MAX_CONFIGS);
	if (baseline) {
		snprintf(cfg[n].name, sizeof(cfg[n].name), "no-lsm");
		cfg[n++].tagged = true;
		return n;
	}
	if (native_no_image()) {
		snprintf(cfg[n].name, sizeof(cfg[n].name), "empty");
		cfg[n].tagged = true;
		cfg[n++].empty = true;
	}
	for (i = 0; i < npols; i++)
		if (pols[i].tagged)
			largest = &pols[i];
	if (largest) {
		snprintf(cfg[n].name, sizeof(cfg[n].name), "untagged");
		cfg[n++].pol = largest;
	}
	for (i = 0; i < npols; i++) {
		if (!pols[i].tagged)
			continue;
		snprintf(cfg[n].name, sizeof(cfg[n].name), "tagged-%lu",
			 pols[i].nrules);
		cfg[n].pol = &pols[i];
		cfg[n++].tagged = true;
	}
	return n;
}

static void native_print_configs(const struct native_config *cfg, int ncfg)
{
	int c;

	printf("configurations:\n");
	printf("  %-16s %s\n", "no-lsm",
	       "the same kernel booted with lsm=capability (the limit; "
	       "its own boot, same rounds)");
	for (c = 0; c < ncfg; c++) {
		if (cfg[c].empty)
			printf("  %-16s native LSM, no image in force yet (its "
			       "rounds run first, before any image)\n",
			       cfg[c].name);
		else
			printf("  %-16s native LSM, policy in force, caller's "
			       "cgroup %s (%lu rules)\n", cfg[c].name,
			       cfg[c].tagged ? "tagged" : "untagged",
			       cfg[c].pol->nrules);
	}
	if (!ncfg || !cfg[0].empty)
		printf("  %-16s not measured: an image was in force before the "
		       "bench\n", "empty");
}

/* Each workload's table: the limit's row, then every configuration's. */
static void native_print(const struct bench_opts *o,
			 const struct native_config *cfg, int ncfg,
			 const struct bench_baseline *b)
{
	int c, w;

	for (w = 0; w < W_COUNT; w++) {
		bench_table_head(w, bench_ops_of(o, w), " (native)");
		bench_table_row("no-lsm", b->ns[w], b->ns[w], o->rounds,
				b->err[w]);
		for (c = 0; c < ncfg; c++)
			bench_table_row(cfg[c].name, cfg[c].ns[w], b->ns[w],
					o->rounds,
					cfg[c].err[w] ? cfg[c].err[w] :
							b->err[w]);
	}
}

static double native_ratio(const struct bench_opts *o,
			   const struct native_config *c,
			   const struct bench_baseline *b, int w)
{
	if (c->err[w] || b->err[w])
		return NAN;
	return bench_ratio_median(c->ns[w], b->ns[w], o->rounds);
}

/* Issue 12's targets: untagged within 1.01x, tagged within 1.03x. */
static void native_targets(const struct bench_opts *o,
			   const struct native_config *cfg, int ncfg,
			   const struct bench_baseline *b)
{
	int c, w;

	printf("\ntargets (native; median per-round ratio to no-lsm)\n");
	for (c = 0; c < ncfg; c++)
		if (!cfg[c].empty)
			bench_target_print(W_OPEN, cfg[c].name,
					   cfg[c].tagged ? 1.03 : 1.01,
					   native_ratio(o, &cfg[c], b, W_OPEN));
	for (c = 0; c < ncfg; c++) {
		if (cfg[c].tagged)
			continue;
		for (w = 0; w < W_COUNT; w++) {
			if (w == W_OPEN)
				continue;
			bench_target_print(w, cfg[c].name, 1.01,
					   native_ratio(o, &cfg[c], b, w));
		}
	}
	for (c = 0; c < ncfg; c++) {
		if (!cfg[c].tagged || cfg[c].empty)
			continue;
		bench_target_print(W_EXEC, cfg[c].name, 1.03,
				   native_ratio(o, &cfg[c], b, W_EXEC));
		bench_target_print(W_CONNECT, cfg[c].name, 1.03,
				   native_ratio(o, &cfg[c], b, W_CONNECT));
	}
}

/* Median of @NATIVE_SWAP_RUNS writes of @p's image to securityfs. */
static int native_time_swap(const struct bench_policy *p,
			    struct bench_summary *s)
{
	double v[NATIVE_SWAP_RUNS], t0;
	int k, err = 0;

	for (k = 0; k < NATIVE_SWAP_RUNS && !err; k++) {
		t0 = bench_now_ns();
		err = abac_native_set_image(p->tagged, p->tagged_len);
		v[k] = bench_now_ns() - t0;
	}
	if (!err)
		bench_summarise(v, NATIVE_SWAP_RUNS, s);
	return err;
}

static void native_print_swaps(const struct bench_policy *pols, int npols)
{
	struct bench_summary s;
	int i, err;

	printf("\npolicy swap (native: abac_native_set_image, one write(2) "
	       "of the image to %s, which checks and puts it in force; "
	       "median of %d)\n", ABAC_NATIVE_POLICY, NATIVE_SWAP_RUNS);
	printf("  %-8s %8s %11s %10s %10s %14s\n", "rules", "records",
	       "compile ms", "swap us", "IQR us", "total ms");
	for (i = 0; i < npols; i++) {
		if (!pols[i].tagged) {
			printf("  %-8lu refused: %s\n", pols[i].nrules,
			       pols[i].refused);
			continue;
		}
		err = native_time_swap(&pols[i], &s);
		if (err) {
			printf("  %-8lu swap failed: %s\n", pols[i].nrules,
			       strerror(-err));
			continue;
		}
		printf("  %-8lu %8zu %11.1f %10.1f %10.1f %14.1f\n",
		       pols[i].nrules, pols[i].tagged_len / ABAC_REC_SIZE,
		       pols[i].compile_ns / 1e6, s.median / 1e3,
		       (s.p75 - s.p25) / 1e3,
		       (pols[i].compile_ns + s.median) / 1e6);
	}
}

/* The boot is the one asked for: abac in force, or the kernel without. */
static int native_check_boot(bool baseline)
{
	if (access(ABAC_LSM_LIST, R_OK)) {
		fprintf(stderr, "abac-bench: %s: %s (securityfs not mounted?)\n",
			ABAC_LSM_LIST, strerror(errno));
		return -ENOENT;
	}
	if (abac_lsm_active("bpf")) {
		fprintf(stderr, "abac-bench: native: BPF-LSM is active; boot "
			"the kernel of make kernel\n");
		return -EINVAL;
	}
	if (baseline && abac_lsm_active("abac")) {
		fprintf(stderr, "abac-bench: native --baseline wants the "
			"kernel booted without abac (lsm=capability)\n");
		return -EINVAL;
	}
	if (!baseline && !abac_native_present()) {
		fprintf(stderr, "abac-bench: native: the native abac LSM is "
			"not running (%s)\n", ABAC_NATIVE_POLICY);
		return -ENOENT;
	}
	return 0;
}

/* The baseline boot: the limit's tables, then its figures as text. */
static int native_print_baseline(const struct bench_opts *o,
				 const struct native_config *c)
{
	struct bench_baseline b = { .rounds = o->rounds };
	int w;

	memcpy(b.ns, c->ns, sizeof(b.ns));
	memcpy(b.err, c->err, sizeof(b.err));
	for (w = 0; w < W_COUNT; w++) {
		bench_table_head(w, bench_ops_of(o, w),
				 " (native, no-lsm boot)");
		bench_table_row("no-lsm", b.ns[w], b.ns[w], o->rounds,
				b.err[w]);
	}
	printf("\n");
	return bench_baseline_write(stdout, &b);
}

static int native_read_baseline(const struct bench_opts *o, const char *path,
				struct bench_baseline *b)
{
	size_t len;
	char *text;
	int err;

	err = abac_read_file(path, &text, &len);
	if (err) {
		fprintf(stderr, "abac-bench: %s: %s\n", path, strerror(-err));
		return err;
	}
	err = bench_baseline_parse(text, b);
	free(text);
	if (!err && b->rounds != o->rounds)
		err = -ERANGE;
	if (err)
		fprintf(stderr, "abac-bench: %s: not a baseline of %d rounds "
			"(%s)\n", path, o->rounds, strerror(-err));
	return err;
}

static void native_print_header(const struct bench_opts *o,
				const struct bench_policy *pols, bool baseline)
{
	printf("abac-bench native%s: %d interleaved rounds, scale %.2f, clock "
	       "CLOCK_MONOTONIC, %s\n", baseline ? " --baseline" : "",
	       o->rounds, o->scale, baseline ?
	       "abac not initialised (the limit)" :
	       "the native abac LSM in force");
	bench_print_sizes(pols, o->nsizes, baseline ?
			  " (built, not loaded: the same process as with abac)" :
			  "", baseline ? "built" : "loaded");
}

/*
 * Both boots build every policy size, so that the process that forks the
 * workloads holds the same memory in both: fork copies its page tables.
 * A baseline that did not build them ran fork+exec in 492,697 guest ns
 * an operation against 769,468 with them, and made abac look 1.54x.
 */
static int native_boot(const struct bench_opts *o, bool baseline,
		       const struct bench_baseline *b)
{
	static struct native_config cfg[NATIVE_MAX_CONFIGS];
	struct bench_policy pols[BENCH_MAX_SIZES] = {};
	int i, ncfg, err;

	err = bench_prepare(o, pols, NULL);
	if (err)
		return err;
	native_print_header(o, pols, baseline);
	ncfg = native_configs(cfg, pols, o->nsizes, baseline);
	if (!baseline)
		native_print_configs(cfg, ncfg);
	err = ncfg ? 0 : -EINVAL;
	/* empty first: once an image is in force there is no way back */
	for (i = 0; !err && ncfg && cfg[0].empty && i < o->rounds; i++)
		err = native_visit(o, &cfg[0], i);
	if (err)
		fprintf(stderr, "abac-bench: cannot run empty: %s\n",
			strerror(-err));
	if (!err && ncfg && cfg[0].empty)
		err = native_rounds(o, cfg + 1, ncfg - 1);
	else if (!err)
		err = native_rounds(o, cfg, ncfg);
	if (!err && baseline) {
		err = native_print_baseline(o, &cfg[0]);
	} else if (!err) {
		native_print(o, cfg, ncfg, b);
		native_targets(o, cfg, ncfg, b);
		native_print_swaps(pols, o->nsizes);
	}
	bench_release(o, pols);
	return err;
}

/**
 * bench_native() - the benchmark on the native LSM; prints its report.
 * @o: rounds, scale, policy sizes.
 * @baseline: this boot runs without abac: measure the limit and print it
 *            in the text form of baseline.c.
 * @versus: with abac: the file holding that text from the other boot.
 *
 * Return: 0, or a negative errno when it could not run.
 */
int bench_native(const struct bench_opts *o, bool baseline,
		 const char *versus)
{
	static struct bench_baseline b;
	int err;

	err = native_check_boot(baseline);
	if (!err && !baseline)
		err = native_read_baseline(o, versus, &b);
	if (err)
		return err;
	return native_boot(o, baseline, &b);
}
