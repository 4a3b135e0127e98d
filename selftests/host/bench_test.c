// SPDX-License-Identifier: GPL-2.0-only
/*
 * The benchmark's own parts that can be checked on the host: the policy
 * generator (its policies compile, hold the rules asked for, are not N
 * copies of one rule, and decide the bench's own accesses only after every
 * rule has been scanned) and the summary statistics.  The benchmark itself
 * runs in the guest with "make bench".
 */
#include "kselftest_harness.h"
#include "common.h"
#include "bench.h"

#include <arpa/inet.h>

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wclobbered"
#endif

#define BENCH_CG_ID	4242

/* Generate and compile @n rules with the bench's cgroup tagged. */
static int gen_compile(unsigned long n, struct abac_policy **pol,
		       void **img, size_t *len)
{
	struct abac_subject s = { .cgroup_id = BENCH_CG_ID, .level = 2 };
	struct abac_diags d;
	size_t ylen;
	char *yaml;
	int err;

	snprintf(s.tags, sizeof(s.tags), "%s", BENCH_SUBJECT_TAGS);
	err = bench_gen_policy(n, &yaml, &ylen);
	if (err)
		return err;
	abac_diags_init(&d);
	err = abac_policy_parse_buf("gen.yaml", yaml, ylen, pol, &d);
	if (!err)
		err = abac_image_build(*pol, &s, 1, img, len, &d);
	if (err || d.errors)
		t_diags_dump(&d);
	abac_diags_free(&d);
	free(yaml);
	return err;
}

/* The decision for the bench's subject to @op a file labelled @label. */
static void decide_label(void *img, size_t len, __u32 op, const char *label,
			 struct abac_decision *dec)
{
	struct abac_image v = abac_image_view(img, len);
	const struct abac_attrs *s = abac_subject_find(&v, BENCH_CG_ID);
	struct abac_label_pairs lp;
	struct abac_attrs o = {};

	struct abac_request rq = { .s = s, .o = &o };

	memset(dec, 0, sizeof(*dec));
	dec->reason = ABAC_REASON_BAD_LABEL;
	if (!s || abac_label_parse(&v, (const __u8 *)label, strlen(label),
				   &lp, &o))
		return;
	abac_decide(&v, op, &rq, dec);
}

/* The decision for the bench's subject connecting to @ip:@port. */
static void decide_connect(void *img, size_t len, const char *ip,
			   __u32 port, struct abac_decision *dec)
{
	struct abac_image v = abac_image_view(img, len);
	const struct abac_attrs *s = abac_subject_find(&v, BENCH_CG_ID);
	const struct abac_attrs *na;
	struct abac_attrs o = {};
	struct abac_request rq = { .s = s, .o = &o };
	__u8 addr[16] = { 0 };
	__u32 idx;

	memset(dec, 0, sizeof(*dec));
	dec->reason = ABAC_REASON_BAD_LABEL;
	if (!s || inet_pton(AF_INET, ip, addr) != 1)
		return;
	na = abac_net_find(&v, 4, addr, port, &idx);
	if (na)
		o = *na;
	abac_decide(&v, ABAC_OP_CONNECT, &rq, dec);
}

/* Are the conditions of @a and @b the same tests? */
static bool same_conds(const struct abac_rule_def *a,
		       const struct abac_rule_def *b)
{
	unsigned int i;

	if (a->ncond != b->ncond)
		return false;
	for (i = 0; i < a->ncond; i++)
		if (a->conds[i].side != b->conds[i].side ||
		    a->conds[i].attr != b->conds[i].attr ||
		    a->conds[i].kind != b->conds[i].kind ||
		    a->conds[i].rhs != b->conds[i].rhs ||
		    a->conds[i].rhs_side != b->conds[i].rhs_side ||
		    a->conds[i].mask != b->conds[i].mask)
			return false;
	return true;
}

TEST(generated_policies_compile_with_the_rules_asked_for)
{
	static const unsigned long sizes[] = { 2, 10, 1000 };
	struct abac_policy *pol;
	size_t i, len;
	void *img;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		pol = NULL;
		img = NULL;
		ASSERT_EQ(0, gen_compile(sizes[i], &pol, &img, &len));
		EXPECT_EQ(sizes[i], pol->nrules);
		EXPECT_EQ(sizes[i], t_hdr(img)->nrules);
		free(img);
		abac_policy_free(pol);
	}
}

TEST(fewer_than_two_rules_are_refused)
{
	size_t len;
	char *buf;

	EXPECT_EQ(-EINVAL, bench_gen_policy(1, &buf, &len));
}

TEST(generated_rules_are_distinct_and_mix_allow_and_deny)
{
	struct abac_policy *pol = NULL;
	unsigned int i, j, same = 0, deny = 0;
	struct abac_rule_def *a, *b;
	size_t len;
	void *img = NULL;

	ASSERT_EQ(0, gen_compile(1000, &pol, &img, &len));
	for (i = 0; i < pol->nrules; i++) {
		a = &pol->rules[i];
		deny += a->effect == ABAC_DENY;
		for (j = 0; j < i; j++) {
			b = &pol->rules[j];
			if (a->ops == b->ops && a->effect == b->effect &&
			    same_conds(a, b))
				same++;
		}
	}
	EXPECT_EQ(0U, same);
	EXPECT_LT(200U, deny);
	EXPECT_GT(300U, deny);
	free(img);
	abac_policy_free(pol);
}

TEST(bench_data_is_allowed_by_the_last_rule_and_its_secret_denied)
{
	struct abac_policy *pol = NULL;
	struct abac_decision dec;
	size_t len;
	void *img = NULL;

	ASSERT_EQ(0, gen_compile(1000, &pol, &img, &len));
	decide_label(img, len, ABAC_OP_READ, BENCH_DATA_LABEL, &dec);
	EXPECT_EQ(ABAC_ALLOW, dec.effect);
	EXPECT_EQ(ABAC_OUT_PERMIT, dec.outcome);
	EXPECT_EQ(ABAC_REASON_RULE, dec.reason);
	EXPECT_EQ(999U, dec.rule);	/* scanned every rule to get there */
	decide_label(img, len, ABAC_OP_READ, BENCH_SECRET_LABEL, &dec);
	EXPECT_EQ(ABAC_DENY, dec.effect);
	EXPECT_EQ(ABAC_OUT_DENY, dec.outcome);
	EXPECT_EQ(ABAC_REASON_RULE, dec.reason);
	EXPECT_EQ(998U, dec.rule);
	decide_label(img, len, ABAC_OP_EXEC, BENCH_DATA_LABEL, &dec);
	EXPECT_EQ(ABAC_ALLOW, dec.effect);
	EXPECT_EQ(999U, dec.rule);
	free(img);
	abac_policy_free(pol);
}

TEST(every_rule_names_read_so_an_open_scans_them_all)
{
	const struct abac_op_span *span;
	struct abac_policy *pol = NULL;
	size_t len;
	void *img = NULL;

	ASSERT_EQ(0, gen_compile(1000, &pol, &img, &len));
	span = t_rec(img, t_hdr(img)->opidx_off);
	EXPECT_EQ(1000U, span[ABAC_OP_READ].count);
	EXPECT_EQ(1U, span[ABAC_OP_EXEC].count);
	EXPECT_EQ(1U, span[ABAC_OP_CONNECT].count);
	free(img);
	abac_policy_free(pol);
}

TEST(loopback_connect_is_allowed_and_elsewhere_indeterminate)
{
	struct abac_policy *pol = NULL;
	struct abac_decision dec;
	size_t len;
	void *img = NULL;

	ASSERT_EQ(0, gen_compile(10, &pol, &img, &len));
	decide_connect(img, len, "127.0.0.1", 40000, &dec);
	EXPECT_EQ(ABAC_ALLOW, dec.effect);
	EXPECT_EQ(ABAC_REASON_RULE, dec.reason);
	EXPECT_EQ(9U, dec.rule);
	decide_connect(img, len, "192.0.2.1", 80, &dec);
	EXPECT_EQ(ABAC_DENY, dec.effect);
	EXPECT_EQ(ABAC_OUT_INDET, dec.outcome);
	free(img);
	abac_policy_free(pol);
}

TEST(summary_gives_median_quartiles_and_extremes)
{
	static const double odd[] = { 5, 1, 4, 2, 3 };
	static const double even[] = { 4, 1, 3, 2 };
	struct bench_summary s;

	bench_summarise(odd, 5, &s);
	EXPECT_EQ(3.0, s.median);
	EXPECT_EQ(2.0, s.p25);
	EXPECT_EQ(4.0, s.p75);
	EXPECT_EQ(1.0, s.min);
	EXPECT_EQ(5.0, s.max);
	bench_summarise(even, 4, &s);
	EXPECT_EQ(2.5, s.median);
	EXPECT_EQ(1.75, s.p25);
	bench_summarise(odd, 1, &s);
	EXPECT_EQ(5.0, s.median);
	EXPECT_EQ(5.0, s.max);
}

/*
 * The bench keeps one slot per abac program; with 16 slots and 18
 * programs "abac-bench run" once failed with "cannot load abac: Argument
 * list too long" before measuring anything.
 */
TEST(the_bench_has_a_slot_for_every_abac_program)
{
	int n = 0;

	while (abac_hooks[n].prog)
		n++;
	TH_LOG("%d abac programs, %d slots", n, BENCH_MAX_PROGS);
	ASSERT_LE(n, BENCH_MAX_PROGS);
}

TEST_HARNESS_MAIN
