// SPDX-License-Identifier: GPL-2.0-only
/*
 * "abac-bench compile": parse and compile time and peak memory per policy
 * size, on the host.  Each size runs in a child process of its own, so
 * that the child's peak resident set (getrusage ru_maxrss, read by the
 * parent from wait4()) belongs to that size alone.  The YAML is generated
 * before the clock starts; its own bytes are part of the peak.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define COMPILE_MAX_RUNS	32

/* Compile @yaml once; 0 or a negative errno with @why filled. */
static int compile_once(const char *yaml, size_t len, char *why,
			size_t why_sz, size_t *img_len)
{
	struct abac_policy *pol = NULL;
	struct abac_diags d;
	void *img = NULL;
	int err;

	abac_diags_init(&d);
	err = abac_policy_parse_buf("bench.yaml", yaml, len, &pol, &d);
	if (!err)
		err = abac_image_build(pol, NULL, 0, &img, img_len, &d);
	if (!err && !d.errors)
		err = abac_image_check(img, *img_len, &d);
	if ((err || d.errors) && d.n)
		snprintf(why, why_sz, "%s", d.v[0].msg);
	else if (err)
		snprintf(why, why_sz, "%s", strerror(-err));
	if (!err && d.errors)
		err = -EINVAL;
	free(img);
	abac_policy_free(pol);
	abac_diags_free(&d);
	return err;
}

/**
 * struct compile_result - what the child of one size found.
 * @yaml_len: bytes of YAML.
 * @median_ns: median compile time.
 * @max_ns: slowest compile.
 * @records: records of the image.
 * @refused: 1 when the size was refused, with @why.
 * @why: the first error.
 */
struct compile_result {
	size_t yaml_len;
	double median_ns, max_ns;
	size_t records;
	int refused;
	char why[512];
};

/* The child of one size: fills @res, shared with the parent. */
static int compile_child(unsigned long nrules, int runs,
			 struct compile_result *res)
{
	double v[COMPILE_MAX_RUNS], t0;
	struct bench_summary s;
	size_t len, img_len = 0;
	char *yaml;
	int k, err = 0;

	if (bench_gen_policy(nrules, &yaml, &len))
		return 1;
	for (k = 0; k < runs && !err; k++) {
		t0 = bench_now_ns();
		err = compile_once(yaml, len, res->why, sizeof(res->why),
				   &img_len);
		v[k] = bench_now_ns() - t0;
	}
	bench_summarise(v, k, &s);
	res->yaml_len = len;
	res->median_ns = s.median;
	res->max_ns = s.max;
	res->records = img_len / ABAC_REC_SIZE;
	res->refused = !!err;
	free(yaml);
	return 0;
}

static void print_result(unsigned long nrules,
			 const struct compile_result *r, long maxrss)
{
	printf("  %-8lu %10zu %10.2f %10.2f %10zu %12ld", nrules, r->yaml_len,
	       r->median_ns / 1e6, r->max_ns / 1e6, r->records, maxrss);
	if (r->refused)
		printf("  refused: %s", r->why);
	printf("\n");
}

/**
 * bench_compile_sizes() - compile time and peak memory of each size.
 * @sizes: rule counts.
 * @nsizes: how many.
 * @runs: compiles per size (the median is printed).
 *
 * Return: 0, or a negative errno when a child could not run.
 */
int bench_compile_sizes(const unsigned long *sizes, int nsizes, int runs)
{
	struct compile_result *res;
	struct rusage ru;
	int i, st, err;
	pid_t pid;

	if (runs < 1 || runs > COMPILE_MAX_RUNS)
		return -EINVAL;
	res = mmap(NULL, sizeof(*res), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED)
		return -errno;
	printf("compile (host; parse + compile + image check, %d runs, "
	       "YAML generated beforehand)\n", runs);
	printf("  %-8s %10s %10s %10s %10s %12s\n", "rules", "yaml bytes",
	       "median ms", "max ms", "records", "peak RSS KiB");
	fflush(stdout);
	for (i = 0; i < nsizes; i++) {
		memset(res, 0, sizeof(*res));
		fflush(stdout);
		pid = fork();
		if (pid < 0)
			break;
		if (!pid)
			_exit(compile_child(sizes[i], runs, res));
		if (wait4(pid, &st, 0, &ru) != pid)
			break;
		if (WIFEXITED(st) && !WEXITSTATUS(st))
			print_result(sizes[i], res, ru.ru_maxrss);
		else
			printf("  %-8lu failed (wait status %d)\n", sizes[i],
			       st);
	}
	err = i < nsizes ? -errno : 0;
	munmap(res, sizeof(*res));
	return err;
}
