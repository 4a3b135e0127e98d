/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * abac-bench: what its files share.
 *
 *   main.c      options and the sub-commands (gen, compile, run)
 *   gen.c       the N-rule policy generator
 *   stats.c     medians, quantiles, per-round ratios
 *   workload.c  the timed system calls (open+close, read, exec, ...)
 *   hooks.c     attach and detach abac's programs, per-program BPF stats
 *   setup.c     the configurations: cgroups, labels, images
 *   run.c       the interleaved rounds and their report (BPF-LSM)
 *   native.c    the same rounds on the native LSM ("abac-bench native")
 *   baseline.c  the native bench's limit, carried between two boots
 *   table.c     the per-workload tables and targets both reports print
 *   events.c    denial-event throughput, with loss counted
 *   compile.c   compile time and peak memory per policy size (host)
 *   miss.c      the cost of a decision-cache miss, index and scan
 */
#ifndef _ABAC_BENCH_H
#define _ABAC_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#include "libabac.h"
#include "kern.h"

#define BENCH_DIR		"/tmp/abac-bench"
#define BENCH_CG_ROOT		"/sys/fs/cgroup/abac-bench"
#define BENCH_PIN_DIR		"/sys/fs/bpf/abac-bench"
#define BENCH_DATA		BENCH_DIR "/data"	/* allowed, labelled */
#define BENCH_SECRET		BENCH_DIR "/secret"	/* denied, labelled */
#define BENCH_TRUE		BENCH_DIR "/true"	/* exec target, labelled */
#define BENCH_DISTINCT		BENCH_DIR "/distinct"	/* denied, one a file */
#define BENCH_DISTINCT_N	100
#define BENCH_MISS		BENCH_DIR "/miss"	/* allowed, one a file */
#define BENCH_MISS_N		200
#define BENCH_DATA_LABEL	"type=bench-data;project=p00"
#define BENCH_SECRET_LABEL	"type=bench-secret;project=p00"
#define BENCH_SUBJECT_TAGS	"role=bench department=d00"

#define BENCH_MAX_ROUNDS	101
#define BENCH_MAX_PROGS		40	/* >= abac's programs: bench_test */
#define BENCH_MAX_SIZES		8

/* ---- gen.c ---------------------------------------------------------------- */

/*
 * A policy of @nrules rules in YAML, malloc()ed into *@buf (*@len bytes).
 * nrules - 2 rules about other subjects and objects, then the rule that
 * denies the bench's subject its secret file and, last, the rule that lets
 * it read and run its data and connect to the loopback network: every
 * rule that names read is scanned before an open is allowed.  @nrules
 * must be at least 2.
 */
int bench_gen_policy(unsigned long nrules, char **buf, size_t *len);

/* ---- stats.c -------------------------------------------------------------- */

/**
 * struct bench_summary - a sample summarised.
 * @median: the median.
 * @p25: the 25th percentile.
 * @p75: the 75th percentile.
 * @min: the smallest value.
 * @max: the largest value.
 */
struct bench_summary {
	double median, p25, p75, min, max;
};

void bench_summarise(const double *v, size_t n, struct bench_summary *s);
double bench_now_ns(void);

/* ---- workload.c ----------------------------------------------------------- */

enum bench_workload {
	W_OPEN,
	W_READ,
	W_EXEC,
	W_CONNECT,
	W_STAT,
	W_COUNT,
};

extern const char *const bench_workload_names[W_COUNT];

/*
 * Run @n operations of workload @w; *@ns receives the time they took.
 * Return: 0, or a negative errno when an operation failed.
 */
int bench_workload_run(enum bench_workload w, unsigned long n, double *ns);

/* ---- table.c -------------------------------------------------------------- */

double bench_ratio_median(const double *ns, const double *base, int rounds);
void bench_table_head(int w, unsigned long ops, const char *what);
void bench_table_row(const char *name, const double *ns, const double *base,
		     int rounds, int err);
void bench_target_print(int w, const char *name, double limit, double ratio);
struct bench_policy;
void bench_print_sizes(const struct bench_policy *pols, int npols,
		       const char *note, const char *state);

/* ---- baseline.c ----------------------------------------------------------- */

/**
 * struct bench_baseline - the limit of the native bench: the workloads in
 * the same kernel booted without abac, per round.
 * @rounds: how many rounds.
 * @ns: per workload and round, nanoseconds per operation.
 * @err: per workload, the (positive) errno that stopped it, else 0.
 */
struct bench_baseline {
	int rounds;
	double ns[W_COUNT][BENCH_MAX_ROUNDS];
	int err[W_COUNT];
};

int bench_baseline_write(FILE *f, const struct bench_baseline *b);
int bench_baseline_parse(const char *text, struct bench_baseline *b);

/* ---- hooks.c -------------------------------------------------------------- */

/**
 * struct bench_prog - one of abac's programs, held by the bench.
 * @name: its name (the pinned link's, less "link_").
 * @prog_fd: the program, held so that it can be attached again.
 * @link_fd: its link while attached, else -1.
 */
struct bench_prog {
	char name[64];
	int prog_fd;
	int link_fd;
};

/**
 * struct bench_hooks - abac's programs and maps as the bench drives them.
 * @kern: the maps (policy, events, counters).
 * @progs: the programs.
 * @nprogs: how many.
 */
struct bench_hooks {
	struct abac_kern kern;
	struct bench_prog progs[BENCH_MAX_PROGS];
	int nprogs;
};

int bench_hooks_open(struct bench_hooks *h);
void bench_hooks_close(struct bench_hooks *h);
int bench_hooks_attach(struct bench_hooks *h);
void bench_hooks_detach(struct bench_hooks *h);
/* Run count and run time (ns) of program @i; needs bpf_stats enabled. */
int bench_prog_stats(const struct bench_hooks *h, int i, __u64 *cnt,
		     __u64 *ns);

/* ---- setup.c -------------------------------------------------------------- */

/**
 * struct bench_policy - one policy size and the images built from it.
 * @nrules: its rules.
 * @tagged: the image with the bench's tagged cgroup; NULL when refused.
 * @tagged_len: its length.
 * @refused: why it could not be built or loaded, when it could not.
 * @compile_ns: parse and compile time in the guest.
 */
struct bench_policy {
	unsigned long nrules;
	void *tagged;
	size_t tagged_len;
	char refused[1024];
	double compile_ns;
};

int bench_setup_files(void);
int bench_setup_cgroups(void);
/* Move the calling process into the tagged or the untagged cgroup. */
int bench_enter_cgroup(bool tagged);
/* Move the calling process into the second tagged cgroup. */
int bench_enter_other(void);
/* The path of the @i-th of the BENCH_DISTINCT_N distinct denied files. */
void bench_distinct_path(unsigned int i, char *buf, size_t sz);
/* The path of the @i-th of the BENCH_MISS_N allowed files. */
void bench_miss_path(unsigned int i, char *buf, size_t sz);
/* Generate, parse and compile @p->nrules rules; fill @p (refused too). */
void bench_policy_build(struct bench_policy *p);
/* Clear the image in force: the programs then have no policy at all. */
int bench_image_clear(struct bench_hooks *h);
void bench_cleanup(void);

/* ---- events.c ------------------------------------------------------------- */

void bench_events(struct bench_hooks *h, const struct bench_policy *p);

/* ---- compile.c ------------------------------------------------------------ */

int bench_compile_sizes(const unsigned long *sizes, int nsizes, int runs);

/* ---- run.c ---------------------------------------------------------------- */

/**
 * struct bench_opts - what "abac-bench run" does.
 * @rounds: interleaved rounds.
 * @scale: multiplies every workload's operations per round.
 * @sizes: policy sizes.
 * @nsizes: how many.
 */
struct bench_opts {
	int rounds;
	double scale;
	unsigned long sizes[BENCH_MAX_SIZES];
	int nsizes;
};

int bench_prepare(const struct bench_opts *o, struct bench_policy *pols,
		  struct bench_hooks *h);
void bench_release(const struct bench_opts *o, struct bench_policy *pols);

/**
 * struct bench_visit - one visit's figures.
 * @ns: per workload, nanoseconds per operation.
 * @err: per workload, the (positive) errno that stopped it, else 0.
 */
struct bench_visit {
	double ns[W_COUNT];
	int err[W_COUNT];
};

unsigned long bench_ops_of(const struct bench_opts *o, int w);
void bench_visit_run(const struct bench_opts *o, const int *skip,
		     struct bench_visit *v);
int bench_rounds(const struct bench_opts *o, int ncfg,
		 int (*visit)(void *ctx, int c, int round), void *ctx,
		 int *failed);
int bench_run(const struct bench_opts *o);

/* ---- miss.c --------------------------------------------------------------- */

int bench_miss(struct bench_hooks *h, const struct bench_policy *pols,
	       int npols);
int bench_miss_run(const struct bench_opts *o);

/* ---- native.c ------------------------------------------------------------- */

int bench_native(const struct bench_opts *o, bool baseline,
		 const char *versus);

#endif /* _ABAC_BENCH_H */
