// SPDX-License-Identifier: GPL-2.0-only
/*
 * The report's tables, one per workload, shared by "abac-bench run" (BPF)
 * and "abac-bench native": a cell is the median over rounds of the time
 * per operation; its ratio is the median over rounds of the per-round
 * ratio to the limit of the same round (no program attached; for the
 * native LSM, the same round of the boot without it).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

/**
 * bench_ratio_median() - the median per-round ratio of @ns to @base.
 * @ns: per round, ns per operation of the configuration.
 * @base: per round, ns per operation of the limit.
 * @rounds: how many rounds.
 *
 * Return: the median ratio; NAN when @rounds is out of range.
 */
double bench_ratio_median(const double *ns, const double *base, int rounds)
{
	double ratio[BENCH_MAX_ROUNDS];
	struct bench_summary rs;
	int r;

	if (rounds < 1 || rounds > BENCH_MAX_ROUNDS)
		return NAN;
	for (r = 0; r < rounds; r++)
		ratio[r] = ns[r] / base[r];
	bench_summarise(ratio, rounds, &rs);
	return rs.median;
}

/**
 * bench_table_head() - the title and column heads of workload @w's table.
 * @w: the workload.
 * @ops: its operations per round.
 * @what: appended to the title ("" or " (native)").
 */
void bench_table_head(int w, unsigned long ops, const char *what)
{
	printf("\n%s, %lu operations per round%s\n", bench_workload_names[w],
	       ops, what);
	printf("  %-16s %12s %9s %21s %8s %9s\n", "configuration",
	       "ns/op", "IQR", "min..max", "ratio", "ratio IQR");
}

/**
 * bench_table_row() - one configuration's row.
 * @name: the configuration.
 * @ns: per round, ns per operation.
 * @base: per round, the limit's ns per operation.
 * @rounds: how many rounds.
 * @err: the errno that stopped the configuration or the limit, or 0.
 */
void bench_table_row(const char *name, const double *ns, const double *base,
		     int rounds, int err)
{
	double ratio[BENCH_MAX_ROUNDS];
	struct bench_summary s, rs;
	int r;

	if (err) {
		printf("  %-16s failed: %s\n", name, strerror(err));
		return;
	}
	for (r = 0; r < rounds; r++)
		ratio[r] = ns[r] / base[r];
	bench_summarise(ns, rounds, &s);
	bench_summarise(ratio, rounds, &rs);
	printf("  %-16s %12.1f %8.2f%% %10.1f..%-10.1f %8.4f %8.4f\n", name,
	       s.median, 100.0 * (s.p75 - s.p25) / s.median, s.min, s.max,
	       rs.median, rs.p75 - rs.p25);
}

/**
 * bench_target_print() - one line of the targets: met or not.
 * @w: the workload.
 * @name: the configuration.
 * @limit: the ratio it must not exceed.
 * @ratio: its median ratio; NAN when it has none (refused or failed).
 */
void bench_target_print(int w, const char *name, double limit, double ratio)
{
	if (isnan(ratio))
		printf("  %-12s %-16s <= %.2fx: not measured (refused or failed)\n",
		       bench_workload_names[w], name, limit);
	else
		printf("  %-12s %-16s <= %.2fx: %.4fx %s\n",
		       bench_workload_names[w], name, limit, ratio,
		       ratio <= limit ? "met" : "NOT MET");
}

/**
 * bench_print_sizes() - the line that says what became of each size.
 * @pols: the policies.
 * @npols: how many.
 * @note: after "policy sizes".
 * @state: what a size that compiled is ("loaded", "built").
 */
void bench_print_sizes(const struct bench_policy *pols, int npols,
		       const char *note, const char *state)
{
	int i;

	printf("policy sizes%s:", note);
	for (i = 0; i < npols; i++) {
		if (pols[i].tagged)
			printf(" %lu (%s, %zu records)", pols[i].nrules, state,
			       pols[i].tagged_len / ABAC_REC_SIZE);
		else
			printf(" %lu (refused: %s)", pols[i].nrules,
			       pols[i].refused);
		printf(i + 1 < npols ? "," : "\n");
	}
}
