// SPDX-License-Identifier: GPL-2.0-only
/*
 * The benchmark's own parts that can be checked on the host: the policy
 * generator (its policies compile, hold the rules asked for, are not N
 * copies of one rule, and decide the bench's own accesses only after every
 * rule has been scanned), the summary statistics and ratios, and the
 * native bench's baseline, which one boot prints and the next reads back.
 * The benchmark itself runs in the guest with "make bench".
 */
#include "kselftest_harness.h"
#include "common.h"
#include "bench.h"

#include <arpa/inet.h>
#include <math.h>

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

/*
 * What a miss of the bench's open reads with the rule index: its class's
 * read rules (its role's, its department's department-wide ones), and of
 * those, in the bucket of its data's type, the one allow rule; decided
 * as the scan decides it.
 */
TEST(the_index_reads_one_rule_of_ten_thousand_for_the_bench_open)
{
	struct abac_policy *pol = NULL;
	struct abac_decision scan, idx;
	struct abac_label_pairs lp;
	struct abac_request rq = {};
	struct abac_op_span span;
	struct abac_attrs o = {};
	struct abac_image v;
	__u32 slot, list;
	size_t len;
	void *img = NULL;

	ASSERT_EQ(0, gen_compile(10000, &pol, &img, &len));
	v = abac_image_view(img, len);
	slot = abac_subject_slot(&v, BENCH_CG_ID);
	ASSERT_NE(0U, slot);
	ASSERT_EQ(0, abac_label_parse(&v, (const __u8 *)BENCH_DATA_LABEL,
				      strlen(BENCH_DATA_LABEL), &lp, &o));
	rq.s = abac_subject_find(&v, BENCH_CG_ID);
	rq.o = &o;
	abac_decide(&v, ABAC_OP_READ, &rq, &scan);
	rq.cls = ((const struct abac_subj_key *)abac_rec(&v, slot))->cls;
	ASSERT_EQ(1U, rq.cls);
	ASSERT_EQ(1, abac_rule_list(&v, t_hdr(img), ABAC_OP_READ, &rq, &list,
				    &span));
	EXPECT_EQ(t_hdr(img)->clist_off, list);
	EXPECT_EQ(1U, span.count);
	EXPECT_EQ(9999U, ((__u32 *)t_rec(img, list))[span.first]);
	abac_decide(&v, ABAC_OP_READ, &rq, &idx);
	EXPECT_EQ(ABAC_OUT_PERMIT, idx.outcome);
	EXPECT_EQ(scan.outcome, idx.outcome);
	EXPECT_EQ(scan.rule, idx.rule);
	EXPECT_EQ(scan.effect, idx.effect);
	free(img);
	abac_policy_free(pol);
}

/*
 * 16,000 generated rules and 4,096 tagged cgroups of distinct tags fit an
 * image only when the rule index gives way: it is built again in the
 * room left, for fewer classes, rather than the policy refused; the
 * classes it keeps decide as the scan.
 */
TEST(an_index_too_large_for_the_image_shrinks_instead_of_refusing)
{
	struct abac_subject *s = calloc(ABAC_MAX_SUBJECTS, sizeof(*s));
	struct abac_policy *pol = NULL;
	struct abac_decision a, b;
	struct abac_request rq = {};
	struct abac_attrs o = {};
	struct abac_diags d;
	struct abac_image v;
	unsigned int i, with = 0;
	size_t ylen, len;
	char *yaml;
	void *img = NULL;

	ASSERT_NE(NULL, s);
	for (i = 0; i < ABAC_MAX_SUBJECTS; i++) {
		s[i].cgroup_id = 1000 + i;
		s[i].level = 1;
		snprintf(s[i].path, sizeof(s[i].path), "/c%u", i);
		snprintf(s[i].tags, sizeof(s[i].tags),
			 "role=r%02u department=d%02u", 1 + i % 63,
			 (i / 63) % 64);
	}
	ASSERT_EQ(0, bench_gen_policy(16000, &yaml, &ylen));
	abac_diags_init(&d);
	ASSERT_EQ(0, abac_policy_parse_buf("gen.yaml", yaml, ylen, &pol, &d));
	ASSERT_EQ(0, abac_image_build(pol, s, ABAC_MAX_SUBJECTS, &img, &len,
				      &d))
		t_diags_dump(&d);
	ASSERT_EQ(0, abac_image_check(img, len, &d)) t_diags_dump(&d);
	EXPECT_LT(0U, t_hdr(img)->ncls);
	EXPECT_GT((__u32)ABAC_MAX_SUBJECTS, t_hdr(img)->ncls);
	v = abac_image_view(img, len);
	o.v[0] = 1ULL << 5;	/* type t05 */
	o.v[1] = 1ULL << 3;	/* project p03 */
	for (i = 0; i < ABAC_MAX_SUBJECTS; i += 97) {
		__u32 slot = abac_subject_slot(&v, s[i].cgroup_id);

		ASSERT_NE(0U, slot);
		rq.s = abac_subject_find(&v, s[i].cgroup_id);
		rq.o = &o;
		rq.cls = ABAC_CLASS_NONE;
		abac_decide(&v, ABAC_OP_READ, &rq, &b);
		rq.cls = ((const struct abac_subj_key *)abac_rec(&v, slot))->cls;
		with += rq.cls != ABAC_CLASS_NONE;
		abac_decide(&v, ABAC_OP_READ, &rq, &a);
		EXPECT_EQ(b.outcome, a.outcome);
		EXPECT_EQ(b.rule, a.rule);
	}
	EXPECT_LT(0U, with);
	free(img);
	free(yaml);
	free(s);
	abac_policy_free(pol);
	abac_diags_free(&d);
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

/* A ratio is the median of the per-round ratios, not a ratio of medians. */
TEST(ratio_is_the_median_of_per_round_ratios)
{
	static const double ns[] = { 3, 4, 10 };
	static const double base[] = { 1, 2, 4 };

	EXPECT_EQ(2.5, bench_ratio_median(ns, base, 3));
	EXPECT_EQ(3.0, bench_ratio_median(ns, base, 1));
	EXPECT_TRUE(isnan(bench_ratio_median(ns, base, 0)));
	EXPECT_TRUE(isnan(bench_ratio_median(ns, base, BENCH_MAX_ROUNDS + 1)));
}

static void sample_baseline(struct bench_baseline *b)
{
	int w, r;

	memset(b, 0, sizeof(*b));
	b->rounds = 3;
	for (w = 0; w < W_COUNT; w++)
		for (r = 0; r < b->rounds; r++)
			b->ns[w][r] = 1000.0 * (w + 1) + r + 0.25;
	b->err[W_CONNECT] = ECONNREFUSED;
}

/* The text "--baseline" prints, as the second boot's --versus reads it. */
static char *baseline_text(const struct bench_baseline *b)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	if (bench_baseline_write(f, b)) {
		fclose(f);
		free(text);
		return NULL;
	}
	fclose(f);
	return text;
}

TEST(baseline_reads_back_what_it_wrote)
{
	struct bench_baseline b, back;
	char *text;
	int w, r;

	sample_baseline(&b);
	text = baseline_text(&b);
	ASSERT_NE(NULL, text);
	TH_LOG("%s", text);
	ASSERT_EQ(0, bench_baseline_parse(text, &back));
	EXPECT_EQ(3, back.rounds);
	for (w = 0; w < W_COUNT; w++) {
		EXPECT_EQ(b.err[w], back.err[w]);
		for (r = 0; r < 3 && !b.err[w]; r++)
			EXPECT_EQ(b.ns[w][r], back.ns[w][r]);
	}
	free(text);
}

/* Replace the first @from in @text by @to; the result is malloc()ed. */
static char *edited(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	size_t head;
	char *out;

	if (!at)
		return NULL;
	head = at - text;
	out = malloc(strlen(text) - strlen(from) + strlen(to) + 1);
	if (!out)
		return NULL;
	memcpy(out, text, head);
	strcpy(out + head, to);
	strcat(out, at + strlen(from));
	return out;
}

/* Whatever is not a whole baseline is refused, never half read. */
TEST(baseline_refuses_what_is_not_a_whole_one)
{
	static const struct {
		const char *from, *to;
		int err;
	} cases[] = {
		{ "abac-bench-baseline 1", "abac-bench-baseline 2", -EPROTO },
		{ "abac-bench-baseline 1 3", "abac-bench-baseline 1 0", -EINVAL },
		{ "abac-bench-baseline 1 3", "abac-bench-baseline 1 999", -EINVAL },
		{ "abac-bench-baseline 1 3", "abac-bench-baseline 1 4", -EINVAL },
		{ " 1000.250", "", -EINVAL },			/* a value short */
		{ " 1000.250", " 1000.250 7", -EINVAL },	/* one too many */
		{ " 1000.250", " 0", -EINVAL },
		{ " 1000.250", " -5", -EINVAL },
		{ " 1000.250", " nan", -EINVAL },
		{ " 1000.250", " 1000.250x", -EINVAL },
		{ "open+close ok", "open+clos ok", -EINVAL },	/* unknown */
		{ "open+close ok", "read-4k ok", -EINVAL },	/* twice */
		{ "open+close ok", "open+close maybe", -EINVAL },
		{ "failed 111", "failed 0", -EINVAL },
		{ "failed 111", "failed", -EINVAL },
		{ "abac-bench-baseline 1 3\n", "", -EPROTO },
	};
	struct bench_baseline b, back;
	char *text, *bad;
	size_t i;

	sample_baseline(&b);
	text = baseline_text(&b);
	ASSERT_NE(NULL, text);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bad = edited(text, cases[i].from, cases[i].to);
		ASSERT_NE(NULL, bad) TH_LOG("case %zu: no '%s'", i,
					    cases[i].from);
		EXPECT_EQ(cases[i].err, bench_baseline_parse(bad, &back))
			TH_LOG("case %zu: %s", i, bad);
		free(bad);
	}
	/* A workload left out. */
	bad = strdup(text);
	ASSERT_NE(NULL, bad);
	*strstr(bad, "stat ok") = 0;
	EXPECT_EQ(-EINVAL, bench_baseline_parse(bad, &back));
	free(bad);
	EXPECT_EQ(-EPROTO, bench_baseline_parse("", &back));
	free(text);
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
