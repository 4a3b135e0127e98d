// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac-bench: abac's benchmark driver.
 *
 *   abac-bench gen N                  an N-rule policy, YAML on stdout
 *   abac-bench compile [SIZE...]      compile time and peak memory (host)
 *   abac-bench run [SIZE...]          the in-guest benchmark (BPF-LSM)
 *   abac-bench native --baseline      the native bench's limit (no abac)
 *   abac-bench native --versus F [SIZE...]  the native LSM against it
 *
 * scripts/bench.sh ("make bench") runs compile on the host and run in a
 * QEMU guest booted with -icount.  See Documentation/performance.rst.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static const unsigned long default_sizes[] = { 10, 1000, 10000, 100000 };
/* The compiler alone also takes the largest policy issue 11 asks for. */
static const unsigned long compile_sizes[] = { 10, 1000, 10000, 100000,
					       1000000 };

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: abac-bench gen NRULES\n"
		"       abac-bench compile [--runs N] [NRULES...]\n"
		"       abac-bench run [--rounds N] [--scale X] [NRULES...]\n"
		"       abac-bench miss [NRULES...]\n"
		"       abac-bench native --baseline [--rounds N] [--scale X]\n"
		"       abac-bench native --versus FILE [--rounds N] [--scale X] [NRULES...]\n"
		"\n"
		"gen      print an NRULES-rule policy (YAML) on stdout\n"
		"compile  parse and compile each size (default 10 1000 10000 100000\n"
		"         1000000)\n"
		"         and print the median time and the peak memory\n"
		"run      in a guest: time open+close, 4 KiB read, fork+exec, TCP\n"
		"         connect and stat with no program, programs without policy,\n"
		"         an untagged and a tagged caller under each size, interleaved;\n"
		"         then per-program cost, cache-miss cost, swap time,\n"
		"         denial-event throughput\n"
		"miss     in a guest: only the cost of a decision-cache miss of\n"
		"         hook_file_open per size, with the rule index and by scan\n"
		"native   in a guest of the native kernel: with --baseline (booted\n"
		"         lsm=capability) the workloads without abac, printed as a\n"
		"         baseline; with --versus FILE (that baseline) an untagged and a\n"
		"         tagged caller under each size, ratios against it\n"
		"\n"
		"  --runs N     compiles per size (default 5, at most 32)\n"
		"  --rounds N   interleaved rounds (default 11, at most %d)\n"
		"  --scale X    operations per round multiplied by X (default 1)\n"
		"  --baseline   native: this boot has no abac; measure the limit\n"
		"  --versus F   native: the baseline the other boot printed\n"
		"  -h, --help   this help\n", BENCH_MAX_ROUNDS);
}

/* NRULES arguments from argv[optind..], else the defaults (@compile's). */
static int parse_sizes(int argc, char **argv, unsigned long *sizes,
		       bool compile)
{
	int n = 0;
	char *end;

	if (optind >= argc && compile) {
		memcpy(sizes, compile_sizes, sizeof(compile_sizes));
		return sizeof(compile_sizes) / sizeof(compile_sizes[0]);
	}
	if (optind >= argc) {
		memcpy(sizes, default_sizes, sizeof(default_sizes));
		return sizeof(default_sizes) / sizeof(default_sizes[0]);
	}
	for (; optind < argc; optind++) {
		if (n >= BENCH_MAX_SIZES)
			return -E2BIG;
		errno = 0;
		sizes[n] = strtoul(argv[optind], &end, 10);
		if (errno || *end || sizes[n] < 2)
			return -EINVAL;
		n++;
	}
	return n;
}

static int do_gen(int argc, char **argv)
{
	unsigned long n;
	size_t len;
	char *buf, *end;

	if (argc != 2) {
		usage(stderr);
		return 2;
	}
	n = strtoul(argv[1], &end, 10);
	if (*end || n < 2) {
		fprintf(stderr, "abac-bench: NRULES must be a number >= 2, not '%s'\n",
			argv[1]);
		return 2;
	}
	if (bench_gen_policy(n, &buf, &len)) {
		fprintf(stderr, "abac-bench: out of memory\n");
		return 1;
	}
	fwrite(buf, 1, len, stdout);
	free(buf);
	return fflush(stdout) ? 1 : 0;
}

enum bench_cmd { CMD_COMPILE, CMD_RUN, CMD_NATIVE, CMD_MISS };

/* The native command wants exactly one of --baseline and --versus. */
static bool native_args_ok(bool baseline, const char *versus)
{
	return baseline != !!versus;
}

static int do_measure(int argc, char **argv, enum bench_cmd cmd)
{
	static const struct option longopts[] = {
		{ "runs", required_argument, NULL, 'n' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "scale", required_argument, NULL, 's' },
		{ "baseline", no_argument, NULL, 'b' },
		{ "versus", required_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct bench_opts o = { .rounds = 11, .scale = 1.0 };
	const char *versus = NULL;
	bool baseline = false;
	int c, runs = 5, err;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			runs = atoi(optarg);
			break;
		case 'r':
			o.rounds = atoi(optarg);
			break;
		case 's':
			o.scale = atof(optarg);
			break;
		case 'b':
			baseline = true;
			break;
		case 'v':
			versus = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	o.nsizes = parse_sizes(argc, argv, o.sizes, cmd == CMD_COMPILE);
	if (o.nsizes < 0 || o.rounds < 1 || o.rounds > BENCH_MAX_ROUNDS ||
	    !(o.scale > 0) || runs < 1 || runs > 32 ||
	    (cmd == CMD_NATIVE ? !native_args_ok(baseline, versus) :
				 baseline || versus)) {
		fprintf(stderr, "abac-bench: bad argument (see --help)\n");
		return 2;
	}
	if (cmd == CMD_RUN)
		err = bench_run(&o);
	else if (cmd == CMD_MISS)
		err = bench_miss_run(&o);
	else if (cmd == CMD_NATIVE)
		err = bench_native(&o, baseline, versus);
	else
		err = bench_compile_sizes(o.sizes, o.nsizes, runs);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "gen"))
		return do_gen(argc - 1, argv + 1);
	if (!strcmp(argv[1], "compile"))
		return do_measure(argc - 1, argv + 1, CMD_COMPILE);
	if (!strcmp(argv[1], "run"))
		return do_measure(argc - 1, argv + 1, CMD_RUN);
	if (!strcmp(argv[1], "miss"))
		return do_measure(argc - 1, argv + 1, CMD_MISS);
	if (!strcmp(argv[1], "native"))
		return do_measure(argc - 1, argv + 1, CMD_NATIVE);
	fprintf(stderr, "abac-bench: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
