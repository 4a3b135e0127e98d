// SPDX-License-Identifier: GPL-2.0-only
/*
 * The native bench's limit, carried from one boot to the next.  The
 * native LSM cannot be detached, so "abac-bench native --baseline" runs
 * the workloads in the same kernel booted without it (lsm=capability)
 * and writes its per-round figures in this text form; scripts/bench.sh
 * copies the file into the guest of the second boot, whose report takes
 * its ratios against it.  One line a workload:
 *
 *   abac-bench-baseline 1 ROUNDS
 *   WORKLOAD ok NS NS ...        (ROUNDS values, ns per operation)
 *   WORKLOAD failed ERRNO        (the workload could not run)
 *
 * Both boots run under -icount, so the guest's nanoseconds are
 * instructions and the two boots' figures compare.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define BASELINE_MAGIC	"abac-bench-baseline 1"

/**
 * bench_baseline_write() - the baseline's figures, in the text form.
 * @f: where to.
 * @b: the figures: @b->rounds rounds, @b->err[w] set where @w failed.
 *
 * Return: 0, or -EIO when @f could not take it.
 */
int bench_baseline_write(FILE *f, const struct bench_baseline *b)
{
	int w, r;

	fprintf(f, BASELINE_MAGIC " %d\n", b->rounds);
	for (w = 0; w < W_COUNT; w++) {
		fprintf(f, "%s", bench_workload_names[w]);
		if (b->err[w]) {
			fprintf(f, " failed %d\n", b->err[w]);
			continue;
		}
		fprintf(f, " ok");
		for (r = 0; r < b->rounds; r++)
			fprintf(f, " %.3f", b->ns[w][r]);
		fprintf(f, "\n");
	}
	return fflush(f) || ferror(f) ? -EIO : 0;
}

static int workload_of(const char *name, size_t len)
{
	int w;

	for (w = 0; w < W_COUNT; w++)
		if (strlen(bench_workload_names[w]) == len &&
		    !strncmp(bench_workload_names[w], name, len))
			return w;
	return -1;
}

/* "ok NS..." (exactly @rounds positive numbers) or "failed ERRNO". */
static int parse_values(const char *p, struct bench_baseline *b, int w)
{
	char *end;
	long e;
	int r;

	if (!strncmp(p, "failed ", 7)) {
		e = strtol(p + 7, &end, 10);
		if (end == p + 7 || *end || e <= 0 || e > 4095)
			return -EINVAL;
		b->err[w] = (int)e;
		return 0;
	}
	if (strncmp(p, "ok", 2))
		return -EINVAL;
	p += 2;
	for (r = 0; r < b->rounds; r++) {
		if (*p != ' ')
			return -EINVAL;
		b->ns[w][r] = strtod(p + 1, &end);
		if (end == p + 1 || !isfinite(b->ns[w][r]) ||
		    !(b->ns[w][r] > 0))
			return -EINVAL;
		p = end;
	}
	return *p ? -EINVAL : 0;
}

/* The header line: magic and a round count within BENCH_MAX_ROUNDS. */
static int parse_header(const char *line, struct bench_baseline *b)
{
	size_t m = strlen(BASELINE_MAGIC);
	char *end;
	long n;

	if (strncmp(line, BASELINE_MAGIC, m) || line[m] != ' ')
		return -EPROTO;
	n = strtol(line + m + 1, &end, 10);
	if (end == line + m + 1 || *end || n < 1 || n > BENCH_MAX_ROUNDS)
		return -EINVAL;
	b->rounds = (int)n;
	return 0;
}

/**
 * bench_baseline_parse() - read the text form back.
 * @text: the file's contents, NUL-terminated.
 * @b: receives the figures.
 *
 * Every workload must appear exactly once, with as many values as the
 * header's rounds; anything else is refused whole.
 *
 * Return: 0; -EPROTO when @text is not a baseline; -EINVAL when it is
 * malformed; -ENOMEM.
 */
int bench_baseline_parse(const char *text, struct bench_baseline *b)
{
	bool seen[W_COUNT] = {};
	char *copy, *line, *save = NULL, *sp;
	int w, err = 0, n = 0;

	memset(b, 0, sizeof(*b));
	copy = strdup(text);
	if (!copy)
		return -ENOMEM;
	for (line = strtok_r(copy, "\n", &save); line && !err;
	     line = strtok_r(NULL, "\n", &save), n++) {
		if (!n) {
			err = parse_header(line, b);
			continue;
		}
		sp = strchr(line, ' ');
		w = sp ? workload_of(line, sp - line) : -1;
		if (w < 0 || seen[w])
			err = -EINVAL;
		else
			err = parse_values(sp + 1, b, w);
		if (!err)
			seen[w] = true;
	}
	if (!err && !n)
		err = -EPROTO;
	for (w = 0; w < W_COUNT && !err; w++)
		if (!seen[w])
			err = -EINVAL;
	free(copy);
	return err;
}
