// SPDX-License-Identifier: GPL-2.0-only
/*
 * Summaries of a sample: median, quartiles, extremes.  The clock is
 * CLOCK_MONOTONIC; in a guest booted with -icount it follows the
 * instructions executed, not the host's load.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The q-quantile of sorted @v by linear interpolation. */
static double quantile(const double *v, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t lo = (size_t)pos;

	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (pos - (double)lo) * (v[lo + 1] - v[lo]);
}

/**
 * bench_summarise() - median, quartiles and extremes of a sample.
 * @v: the values (not changed).
 * @n: how many; 0 gives all zeros.
 * @s: receives the summary.
 */
void bench_summarise(const double *v, size_t n, struct bench_summary *s)
{
	double *w;

	memset(s, 0, sizeof(*s));
	if (!n)
		return;
	w = malloc(n * sizeof(*w));
	if (!w)
		return;
	memcpy(w, v, n * sizeof(*w));
	qsort(w, n, sizeof(*w), cmp_double);
	s->median = quantile(w, n, 0.5);
	s->p25 = quantile(w, n, 0.25);
	s->p75 = quantile(w, n, 0.75);
	s->min = w[0];
	s->max = w[n - 1];
	free(w);
}

/**
 * bench_now_ns() - CLOCK_MONOTONIC in nanoseconds.
 *
 * Return: the time.
 */
double bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}
