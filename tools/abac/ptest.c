// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac policy test FILE...: run policy unit tests (tools/lib/ptest.c) and
 * say which rules no test reaches.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abac.h"
#include "libabac.h"

/**
 * struct ptest_run - one test file, its policy and the outcome.
 * @t: the tests.
 * @p: the policy they test.
 * @img: its image.
 * @len: bytes of @img.
 * @covered: per rule of @p, whether it applies to some test's request.
 * @passed: tests that got what they expect.
 */
struct ptest_run {
	struct abac_ptest t;
	struct abac_policy *p;
	void *img;
	size_t len;
	bool *covered;
	size_t passed;
};

static const char *effect_name(unsigned int e)
{
	return e == ABAC_ALLOW ? "allow" : "deny";
}

/* The rule that determined @d, or "default" / "indeterminate". */
static const char *decided_by(const struct abac_policy *p,
			      const struct abac_decision *d)
{
	if (d->outcome == ABAC_OUT_NA)
		return "default";
	if (d->rule == ABAC_RULE_NONE || d->rule >= p->nrules)
		return "indeterminate";
	return p->rules[d->rule].id;
}

static size_t covered_count(const struct ptest_run *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->p->nrules; i++)
		n += r->covered[i];
	return n;
}

static void print_plain(const struct ptest_run *r)
{
	const struct abac_ptest_case *c;
	const struct abac_rule_def *rd;
	size_t i;

	printf("%s: policy %s\n", r->t.file, r->p->name);
	for (i = 0; i < r->t.n; i++) {
		c = &r->t.v[i];
		if (c->ok) {
			printf("  ok    %s\n", c->name);
			continue;
		}
		printf("  FAIL  %s (line %u): expected %s%s%s, got %s by %s\n",
		       c->name, c->line, effect_name(c->expect),
		       c->rule[0] ? " by " : "", c->rule,
		       effect_name(c->got.effect), decided_by(r->p, &c->got));
	}
	printf("%zu test%s: %zu passed, %zu failed\n", r->t.n,
	       r->t.n == 1 ? "" : "s", r->passed, r->t.n - r->passed);
	printf("coverage: %zu of %u rules apply to some test\n",
	       covered_count(r), r->p->nrules);
	for (i = 0; i < r->p->nrules; i++) {
		rd = &r->p->rules[i];
		if (!r->covered[i])
			printf("  not covered: rule '%s' (%s:%u:%u)\n", rd->id,
			       rd->file ? rd->file : r->p->file, rd->line,
			       rd->column);
	}
}

static void print_json(const struct ptest_run *r)
{
	const struct abac_ptest_case *c;
	const struct abac_rule_def *rd;
	size_t i;

	abac_json_obj_begin(jw());
	abac_json_kv_str(jw(), "file", r->t.file);
	abac_json_kv_str(jw(), "policy", r->p->name);
	abac_json_kv_u64(jw(), "tests", r->t.n);
	abac_json_kv_u64(jw(), "passed", r->passed);
	abac_json_kv_u64(jw(), "failed", r->t.n - r->passed);
	abac_json_key(jw(), "results");
	abac_json_arr_begin(jw());
	for (i = 0; i < r->t.n; i++) {
		c = &r->t.v[i];
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "name", c->name);
		abac_json_kv_u64(jw(), "line", c->line);
		abac_json_kv_bool(jw(), "ok", c->ok);
		abac_json_kv_str(jw(), "expect", effect_name(c->expect));
		abac_json_kv_str(jw(), "got", effect_name(c->got.effect));
		abac_json_kv_str(jw(), "rule", decided_by(r->p, &c->got));
		abac_json_obj_end(jw());
	}
	abac_json_arr_end(jw());
	abac_json_key(jw(), "coverage");
	abac_json_obj_begin(jw());
	abac_json_kv_u64(jw(), "rules", r->p->nrules);
	abac_json_kv_u64(jw(), "covered", covered_count(r));
	abac_json_key(jw(), "uncovered");
	abac_json_arr_begin(jw());
	for (i = 0; i < r->p->nrules; i++) {
		rd = &r->p->rules[i];
		if (r->covered[i])
			continue;
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "id", rd->id);
		abac_json_kv_str(jw(), "file", rd->file ? rd->file : r->p->file);
		abac_json_kv_u64(jw(), "line", rd->line);
		abac_json_kv_u64(jw(), "column", rd->column);
		abac_json_obj_end(jw());
	}
	abac_json_arr_end(jw());
	abac_json_obj_end(jw());
	abac_json_obj_end(jw());
}

static void run_free(struct ptest_run *r)
{
	abac_ptest_free(&r->t);
	abac_policy_free(r->p);
	free(r->img);
	free(r->covered);
}

/*
 * Load, compile and run one test file.  Return: 0 when it ran (its tests
 * may fail), else an errno after the errors were reported.
 */
static int run_file(const char *file, struct ptest_run *r)
{
	struct abac_image v;
	struct abac_diags d;
	int err;
	size_t i;

	memset(r, 0, sizeof(*r));
	abac_diags_init(&d);
	err = abac_ptest_load(file, &r->t, &d);
	if (!err)
		err = abac_policy_parse_files((const char *const *)r->t.policy,
					      r->t.npolicy, &r->p, &d);
	if (!err)
		err = abac_image_build(r->p, NULL, 0, &r->img, &r->len, &d);
	if (!err) {
		r->covered = calloc(r->p->nrules + 1, sizeof(bool));
		err = r->covered ? 0 : -ENOMEM;
	}
	if (!err) {
		v = abac_image_view(r->img, r->len);
		err = abac_ptest_run(&r->t, r->p, &v, r->covered, &d);
	}
	if (err)
		p_diags_fail(&d, "Failed to test policy: %s cannot be run",
			     file);
	abac_diags_free(&d);
	for (i = 0; !err && i < r->t.n; i++)
		r->passed += r->t.v[i].ok;
	return err;
}

/**
 * do_policy_test() - abac policy test [--fail-uncovered] FILE...
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Return: 0 when every test passes (and, with --fail-uncovered, every
 * rule is covered), 1 when one fails, 2 on misuse, 3 when a file cannot
 * be run (invalid test file or policy, a request the policy cannot hold).
 */
int do_policy_test(int argc, char **argv)
{
	static const struct option opts[] = {
		ABAC_COMMON_LONGOPTS,
		{ "fail-uncovered", no_argument, NULL, 'U' },
		{ NULL }
	};
	bool strict = false, many;
	struct ptest_run r;
	int opt, i, ret = ABAC_EXIT_OK;

	while ((opt = verb_getopt(argc, argv, "U" ABAC_COMMON_SHORTOPTS,
				  opts)) != -1) {
		if (opt != 'U')
			return ABAC_EXIT_USAGE;
		strict = true;
	}
	if (optind >= argc)
		return p_usage("which test file?");
	many = argc - optind > 1;
	if (json_output && many)
		abac_json_arr_begin(jw());
	for (i = optind; i < argc; i++) {
		if (run_file(argv[i], &r)) {
			ret = ABAC_EXIT_ERROR;
			run_free(&r);
			continue;
		}
		if (json_output)
			print_json(&r);
		else
			print_plain(&r);
		if (ret == ABAC_EXIT_OK &&
		    (r.passed < r.t.n ||
		     (strict && covered_count(&r) < r.p->nrules)))
			ret = ABAC_EXIT_FAIL;
		run_free(&r);
	}
	if (json_output && many)
		abac_json_arr_end(jw());
	return ret;
}
