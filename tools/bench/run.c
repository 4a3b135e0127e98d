// SPDX-License-Identifier: GPL-2.0-only
/*
 * "abac-bench run": the interleaved rounds and their report.
 *
 * Each round visits every configuration once (no program attached;
 * programs attached without a policy; a policy loaded and the caller
 * untagged; the caller tagged under each policy size), starting one
 * configuration further than the round before so that no configuration
 * always runs first or last.  In each visit every workload runs a warm-up
 * batch and then a timed batch.  A figure is the median over rounds of the
 * time per operation; its ratio is the median over rounds of the per-round
 * ratio to the no-program run of the same round, so that slow drift of
 * the machine cancels out.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "bench.h"

enum config_kind { K_NONE, K_EMPTY, K_UNTAGGED, K_TAGGED };

/**
 * struct config - one configuration the rounds visit.
 * @name: as printed.
 * @kind: what it sets up.
 * @pol: the policy whose image is loaded (K_UNTAGGED, K_TAGGED).
 * @ns: per workload and round, nanoseconds per operation.
 * @err: per workload, the errno that stopped it (then it has no figure).
 */
struct config {
	char name[32];
	enum config_kind kind;
	const struct bench_policy *pol;
	double ns[W_COUNT][BENCH_MAX_ROUNDS];
	int err[W_COUNT];
};

#define MAX_CONFIGS	(3 + BENCH_MAX_SIZES)

/* Operations per round of each workload at scale 1. */
static const unsigned long base_ops[W_COUNT] = {
	[W_OPEN] = 2000,
	[W_READ] = 4000,
	[W_EXEC] = 100,
	[W_CONNECT] = 300,
	[W_STAT] = 4000,
};

/**
 * bench_ops_of() - operations per round of workload @w.
 * @o: the options (their scale).
 * @w: the workload.
 *
 * Return: the operations, at least 1.
 */
unsigned long bench_ops_of(const struct bench_opts *o, int w)
{
	unsigned long n = (unsigned long)(base_ops[w] * o->scale);

	return n ? n : 1;
}

/* Put configuration @c in place. */
static int config_enter(struct bench_hooks *h, const struct config *c)
{
	int err;

	if (c->kind == K_NONE) {
		bench_hooks_detach(h);
		return bench_enter_cgroup(true);
	}
	err = bench_hooks_attach(h);
	if (err)
		return err;
	if (c->kind == K_EMPTY)
		err = bench_image_clear(h);
	else
		err = abac_kern_set_image(&h->kern, c->pol->tagged,
					  c->pol->tagged_len);
	if (err)
		return err;
	return bench_enter_cgroup(c->kind != K_UNTAGGED);
}

static int build_configs(struct config *cfg, struct bench_policy *pols,
			 int npols)
{
	const struct bench_policy *largest = NULL;
	int i, n = 0;

	for (i = 0; i < npols; i++)
		if (pols[i].tagged)
			largest = &pols[i];
	memset(cfg, 0, sizeof(*cfg) * MAX_CONFIGS);
	snprintf(cfg[n].name, sizeof(cfg[n].name), "no-program");
	cfg[n++].kind = K_NONE;
	snprintf(cfg[n].name, sizeof(cfg[n].name), "empty");
	cfg[n++].kind = K_EMPTY;
	if (largest) {
		snprintf(cfg[n].name, sizeof(cfg[n].name), "untagged");
		cfg[n].kind = K_UNTAGGED;
		cfg[n++].pol = largest;
	}
	for (i = 0; i < npols; i++) {
		if (!pols[i].tagged)
			continue;
		snprintf(cfg[n].name, sizeof(cfg[n].name), "tagged-%lu",
			 pols[i].nrules);
		cfg[n].kind = K_TAGGED;
		cfg[n++].pol = &pols[i];
	}
	return n;
}

/**
 * bench_visit_run() - every workload, warmed up, then timed.
 * @o: the options (operations per round).
 * @skip: per workload, nonzero where it failed before: not run again.
 * @v: receives, per workload, ns per operation or the errno that stopped it.
 */
void bench_visit_run(const struct bench_opts *o, const int *skip,
		     struct bench_visit *v)
{
	unsigned long n;
	double ns;
	int w, err;

	memset(v, 0, sizeof(*v));
	for (w = 0; w < W_COUNT; w++) {
		if (skip[w])
			continue;
		n = bench_ops_of(o, w);
		err = bench_workload_run(w, n / 10 ? n / 10 : 1, &ns);
		if (!err)
			err = bench_workload_run(w, n, &ns);
		if (err)
			v->err[w] = -err;
		else
			v->ns[w] = ns / (double)n;
	}
}

/* One visit: the configuration in place, then every workload. */
static int visit(const struct bench_opts *o, struct bench_hooks *h,
		 struct config *c, int round)
{
	struct bench_visit v;
	int w, err;

	err = config_enter(h, c);
	if (err)
		return err;
	bench_visit_run(o, c->err, &v);
	for (w = 0; w < W_COUNT; w++) {
		if (v.err[w])
			c->err[w] = v.err[w];
		else if (!c->err[w])
			c->ns[w][round] = v.ns[w];
	}
	return 0;
}

static void print_workload(const struct bench_opts *o, struct config *cfg,
			   int ncfg, int w)
{
	int c;

	bench_table_head(w, bench_ops_of(o, w), "");
	for (c = 0; c < ncfg; c++)
		bench_table_row(cfg[c].name, cfg[c].ns[w], cfg[0].ns[w],
				o->rounds,
				cfg[c].err[w] ? cfg[c].err[w] : cfg[0].err[w]);
}

/* The median ratio of configuration @name on workload @w, or NAN. */
static double ratio_of(const struct bench_opts *o, const struct config *cfg,
		       int ncfg, const char *name, int w)
{
	int c;

	for (c = 0; c < ncfg; c++)
		if (!strcmp(cfg[c].name, name) && !cfg[c].err[w] &&
		    !cfg[0].err[w])
			return bench_ratio_median(cfg[c].ns[w], cfg[0].ns[w],
						  o->rounds);
	return NAN;
}

static void target(const struct bench_opts *o, const struct config *cfg,
		   int ncfg, const char *name, int w, double limit)
{
	bench_target_print(w, name, limit, ratio_of(o, cfg, ncfg, name, w));
}

static void print_targets(const struct bench_opts *o,
			  const struct config *cfg, int ncfg)
{
	static const unsigned long open_sizes[] = { 10, 1000, 100000 };
	char name[32];
	int c, w;
	size_t i;

	printf("\ntargets (median per-round ratio to no-program)\n");
	for (i = 0; i < sizeof(open_sizes) / sizeof(open_sizes[0]); i++) {
		snprintf(name, sizeof(name), "tagged-%lu", open_sizes[i]);
		target(o, cfg, ncfg, name, W_OPEN,
		       open_sizes[i] >= 100000 ? 1.07 : 1.05);
	}
	for (w = 0; w < W_COUNT; w++)
		target(o, cfg, ncfg, "untagged", w, 1.01);
	for (c = 0; c < ncfg; c++) {
		if (cfg[c].kind != K_TAGGED && cfg[c].kind != K_UNTAGGED)
			continue;
		target(o, cfg, ncfg, cfg[c].name, W_EXEC, 1.03);
		target(o, cfg, ncfg, cfg[c].name, W_CONNECT, 1.03);
	}
}

/* Per-program cost from kernel.bpf_stats_enabled, one batch per cell. */
static void print_prog_costs(const struct bench_opts *o,
			     struct bench_hooks *h, struct config *cfg,
			     int ncfg)
{
	__u64 c0[BENCH_MAX_PROGS], t0[BENCH_MAX_PROGS], c1, t1;
	int stats_fd, c, w, i;
	unsigned long n;
	double ns;

	stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (stats_fd < 0) {
		printf("\nper-program cost: bpf_enable_stats: %s\n",
		       strerror(errno));
		return;
	}
	printf("\nper-program cost (kernel.bpf_stats_enabled: run_time_ns / "
	       "run_cnt over one batch; a separate pass, not in the figures "
	       "above)\n");
	printf("  %-20s %-12s %-16s %10s %9s\n", "program", "workload",
	       "configuration", "ns/run", "runs/op");
	for (c = 1; c < ncfg; c++) {
		if (config_enter(h, &cfg[c]))
			continue;
		for (w = 0; w < W_COUNT; w++) {
			if (cfg[c].err[w])
				continue;
			for (i = 0; i < h->nprogs; i++)
				bench_prog_stats(h, i, &c0[i], &t0[i]);
			n = bench_ops_of(o, w);
			if (bench_workload_run(w, n, &ns))
				continue;
			for (i = 0; i < h->nprogs; i++) {
				if (bench_prog_stats(h, i, &c1, &t1))
					continue;
				printf("  %-20s %-12s %-16s %10.1f %9.3f\n",
				       h->progs[i].name,
				       bench_workload_names[w], cfg[c].name,
				       c1 > c0[i] ? (double)(t1 - t0[i]) /
						    (double)(c1 - c0[i]) : 0.0,
				       (double)(c1 - c0[i]) / (double)n);
			}
		}
	}
	close(stats_fd);
}

#define SWAP_RUNS	21

/*
 * abac_kern_set_image() @SWAP_RUNS times, in its two steps: staging the
 * image (new inner map, copy, freeze, update of the idle slot, which
 * waits for an RCU grace period) and the swap itself (one update of
 * abac_active).
 */
static int time_swap(struct bench_hooks *h, const struct bench_policy *p,
		     struct bench_summary *stage, struct bench_summary *swap)
{
	double vs[SWAP_RUNS], vw[SWAP_RUNS], t0, t1;
	__u32 slot;
	int k, err = 0;

	for (k = 0; k < SWAP_RUNS && !err; k++) {
		t0 = bench_now_ns();
		err = abac_kern_stage_image(&h->kern, p->tagged, p->tagged_len,
					    &slot);
		t1 = bench_now_ns();
		if (!err)
			err = abac_kern_switch_image(&h->kern, slot);
		vs[k] = t1 - t0;
		vw[k] = bench_now_ns() - t1;
	}
	if (err)
		return err;
	bench_summarise(vs, SWAP_RUNS, stage);
	bench_summarise(vw, SWAP_RUNS, swap);
	return 0;
}

/* Swap time and compile time (in the guest) for each loadable size. */
static void print_swaps(struct bench_hooks *h, struct bench_policy *pols,
			int npols)
{
	struct bench_summary stage, swap;
	int i, err;

	printf("\npolicy swap (abac_kern_set_image, median of %d: \"stage\" "
	       "makes a new inner map, copies, freezes and puts it in the "
	       "idle slot of the policy map; \"swap\" is the one update of "
	       "abac_active that puts it in force)\n", SWAP_RUNS);
	printf("  %-8s %8s %11s %10s %10s %10s %14s\n", "rules", "records",
	       "compile ms", "stage us", "swap us", "IQR us",
	       "total ms");
	for (i = 0; i < npols; i++) {
		if (!pols[i].tagged) {
			printf("  %-8lu refused: %s\n", pols[i].nrules,
			       pols[i].refused);
			continue;
		}
		err = time_swap(h, &pols[i], &stage, &swap);
		if (err) {
			printf("  %-8lu swap failed: %s\n", pols[i].nrules,
			       strerror(-err));
			continue;
		}
		printf("  %-8lu %8zu %11.1f %10.1f %10.1f %10.1f %14.1f\n",
		       pols[i].nrules, pols[i].tagged_len / ABAC_REC_SIZE,
		       pols[i].compile_ns / 1e6, stage.median / 1e3,
		       swap.median / 1e3, (swap.p75 - swap.p25) / 1e3,
		       (pols[i].compile_ns + stage.median + swap.median) /
			       1e6);
	}
}

static void print_header(const struct bench_opts *o,
			 const struct bench_hooks *h,
			 const struct bench_policy *pols, int npols)
{
	struct bpf_prog_info info;
	__u32 len;
	int i;

	printf("abac-bench: %d interleaved rounds, scale %.2f, clock "
	       "CLOCK_MONOTONIC\n", o->rounds, o->scale);
	printf("programs attached when abac is on:");
	for (i = 0; i < h->nprogs; i++) {
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		bpf_obj_get_info_by_fd(h->progs[i].prog_fd, &info, &len);
		printf(" %s (%u bytes jited)", h->progs[i].name,
		       info.jited_prog_len);
	}
	printf("\n");
	bench_print_sizes(pols, npols, "", "loaded");
}

static void print_configs(const struct config *cfg, int ncfg)
{
	static const char *const what[] = {
		[K_NONE] = "no abac program attached (the limit)",
		[K_EMPTY] = "programs attached, no policy loaded",
		[K_UNTAGGED] = "policy loaded, caller's cgroup untagged",
		[K_TAGGED] = "policy loaded, caller's cgroup tagged",
	};
	int c;

	printf("configurations:\n");
	for (c = 0; c < ncfg; c++) {
		printf("  %-16s %s", cfg[c].name, what[cfg[c].kind]);
		if (cfg[c].pol)
			printf(" (%lu rules)", cfg[c].pol->nrules);
		printf("\n");
	}
}

/* bench_rounds() visits a configuration of the BPF run. */
struct run_ctx {
	const struct bench_opts *o;
	struct bench_hooks *h;
	struct config *cfg;
};

static int run_visit(void *ctx, int c, int round)
{
	struct run_ctx *x = ctx;

	return visit(x->o, x->h, &x->cfg[c], round);
}

/**
 * bench_rounds() - the interleaved rounds: each visits every configuration
 * once, starting one further than the round before.
 * @o: the options (rounds).
 * @ncfg: how many configurations.
 * @visit: puts configuration @c in place and measures it for @round.
 * @ctx: for @visit.
 * @failed: receives the configuration whose visit failed.
 *
 * Return: 0, or @visit's negative errno (the rounds stop there).
 */
int bench_rounds(const struct bench_opts *o, int ncfg,
		 int (*visit)(void *ctx, int c, int round), void *ctx,
		 int *failed)
{
	int r, k, c, err;

	for (r = 0; r < o->rounds; r++) {
		for (k = 0; k < ncfg; k++) {
			c = (r + k) % ncfg;
			err = visit(ctx, c, r);
			if (err) {
				*failed = c;
				return err;
			}
		}
		fprintf(stderr, "abac-bench: round %d/%d done\n", r + 1,
			o->rounds);
	}
	return 0;
}

static int run_rounds(const struct bench_opts *o, struct bench_hooks *h,
		      struct config *cfg, int ncfg)
{
	struct run_ctx x = { .o = o, .h = h, .cfg = cfg };
	int c = 0, err;

	err = bench_rounds(o, ncfg, run_visit, &x, &c);
	if (err)
		fprintf(stderr, "abac-bench: cannot set up %s: %s\n",
			cfg[c].name, strerror(-err));
	return err;
}

/**
 * bench_run() - the whole in-guest benchmark; prints its report.
 * @o: rounds, scale, policy sizes.
 *
 * Return: 0, or a negative errno when it could not run at all.
 */
int bench_run(const struct bench_opts *o)
{
	static struct config cfg[MAX_CONFIGS];
	struct bench_policy pols[BENCH_MAX_SIZES] = {};
	struct bench_hooks h;
	int i, ncfg, err, w;

	err = bench_prepare(o, pols, &h);
	if (err)
		return err;
	print_header(o, &h, pols, o->nsizes);
	ncfg = build_configs(cfg, pols, o->nsizes);
	print_configs(cfg, ncfg);
	err = run_rounds(o, &h, cfg, ncfg);
	if (err)
		goto out_hooks;
	for (w = 0; w < W_COUNT; w++)
		print_workload(o, cfg, ncfg, w);
	print_targets(o, cfg, ncfg);
	fflush(stdout);
	print_prog_costs(o, &h, cfg, ncfg);
	bench_miss(&h, pols, o->nsizes);
	print_swaps(&h, pols, o->nsizes);
	fflush(stdout);
	for (i = 0; i < o->nsizes && !pols[i].tagged; i++)
		;
	bench_events(&h, i < o->nsizes ? &pols[i] : NULL);
out_hooks:
	bench_hooks_close(&h);
	bench_release(o, pols);
	return err;
}
