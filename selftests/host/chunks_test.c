// SPDX-License-Identifier: GPL-2.0-only
/*
 * Images larger than one BPF map value (Documentation/scale.rst, "Images
 * larger than a map value"): a policy of 100,000 rules compiles, checks
 * and decides in user space; its conditions run past the first chunk of
 * ABAC_CHUNK_RECORDS records, each chunk they reach starts with a stamp
 * naming the image, no rule's conditions cross a chunk boundary, and the
 * tables BPF reads lie in the first chunk.  The validator refuses a bad
 * stamp and conditions across a boundary; abac_image_bpf_fits() names the
 * limits the BPF backend keeps.  selftests/vm/chunks_test.c loads such an
 * image into the kernel.
 */
#include "kselftest_harness.h"
#include "common.h"
#include "bigpolicy.h"

#define BIG_RULES	100000U

FIXTURE(big) {
	void *img;
	size_t len;
};

FIXTURE_SETUP(big)
{
	struct abac_subject s = { .cgroup_id = 4242, .level = 2,
				  .tags = BIG_PROBE_TAGS };
	struct abac_diags d;
	size_t ylen;
	char *yaml = big_policy_yaml(BIG_RULES, &ylen);

	ASSERT_NE(NULL, yaml);
	abac_diags_init(&d);
	ASSERT_EQ(0, t_compile(yaml, &s, 1, &self->img, &self->len, NULL, &d))
		t_diags_dump(&d);
	ASSERT_EQ(0, abac_image_check(self->img, self->len, &d))
		t_diags_dump(&d);
	abac_diags_free(&d);
	free(yaml);
}

FIXTURE_TEARDOWN(big)
{
	free(self->img);
}

static const struct abac_rule *rule_at(void *img, __u32 i)
{
	return t_rec(img, t_hdr(img)->rules_off + i);
}

TEST_F(big, conditions_run_past_the_first_chunk_and_each_chunk_is_stamped)
{
	struct abac_image_hdr *h = t_hdr(self->img);
	const struct abac_chunk_stamp *st;
	const struct abac_rule *r;
	__u32 i, k, chunks, stamps = 0, first, last;

	ASSERT_EQ(BIG_RULES, h->nrules);
	chunks = (h->total_records + ABAC_CHUNK_RECORDS - 1) /
		 ABAC_CHUNK_RECORDS;
	TH_LOG("%u rules: %u records (%.1f MiB), %u chunks, conditions [%u, +%u)",
	       h->nrules, h->total_records,
	       self->len / 1048576.0, chunks, h->conds_off, h->nconds);
	ASSERT_LE(2U, chunks);
	/* everything BPF reads but the conditions is in chunk 0 */
	ASSERT_GE(ABAC_CHUNK_RECORDS, h->conds_off);
	ASSERT_LT(ABAC_CHUNK_RECORDS, h->conds_off + h->nconds);
	ASSERT_EQ(h->conds_off + h->nconds, h->str_off);
	for (k = 1; k < chunks; k++) {
		if (!abac_rec_is_stamp(h, (__u64)k * ABAC_CHUNK_RECORDS))
			continue;
		st = t_rec(self->img, k * ABAC_CHUNK_RECORDS);
		EXPECT_EQ(h->content_hash, st->content_hash);
		EXPECT_EQ(k, st->chunk);
		EXPECT_EQ(ABAC_CHUNK_MAGIC, st->magic);
		stamps++;
	}
	EXPECT_LE(1U, stamps);
	for (i = 0; i < h->nrules; i++) {
		r = rule_at(self->img, i);
		if (!r->ncond)
			continue;
		first = r->cond / ABAC_CHUNK_RECORDS;
		last = (r->cond + r->ncond - 1) / ABAC_CHUNK_RECORDS;
		ASSERT_EQ(first, last) TH_LOG("rule %u crosses a chunk", i);
		ASSERT_FALSE(abac_rec_is_stamp(h, r->cond));
	}
	/* the prober's two rules are decided from the second chunk */
	EXPECT_LE(ABAC_CHUNK_RECORDS, rule_at(self->img, BIG_RULES - 2)->cond);
	EXPECT_LE(ABAC_CHUNK_RECORDS, rule_at(self->img, BIG_RULES - 1)->cond);
	EXPECT_EQ(0, abac_image_bpf_check(self->img, self->len, NULL, 0));
}

/* What the core decides for the prober reading a file labelled @label. */
static void decide_read(struct __test_metadata *_metadata, void *img,
			size_t len, const char *label, struct abac_decision *d)
{
	struct abac_image v = abac_image_view(img, len);
	struct abac_label_pairs pairs;
	struct abac_attrs o = { { 0 } };
	struct abac_request rq = { .o = &o };

	rq.s = abac_subject_find(&v, 4242);
	ASSERT_NE(NULL, rq.s);
	ASSERT_EQ(0, abac_label_parse(&v, (const __u8 *)label, strlen(label),
				      &pairs, &o));
	abac_decide(&v, ABAC_OP_READ, &rq, d);
}

TEST_F(big, the_core_decides_by_rules_whose_conditions_are_past_chunk_0)
{
	struct abac_decision d;

	decide_read(_metadata, self->img, self->len, BIG_LABEL_MINE, &d);
	EXPECT_EQ(ABAC_ALLOW, d.effect);
	EXPECT_EQ(ABAC_REASON_RULE, d.reason);
	EXPECT_EQ(BIG_RULES - 2, d.rule);
	decide_read(_metadata, self->img, self->len, BIG_LABEL_SECRET, &d);
	EXPECT_EQ(ABAC_DENY, d.effect);
	EXPECT_EQ(ABAC_REASON_RULE, d.reason);
	EXPECT_EQ(BIG_RULES - 1, d.rule);
	decide_read(_metadata, self->img, self->len, "type=t05", &d);
	EXPECT_EQ(ABAC_DENY, d.effect);
	EXPECT_EQ(ABAC_REASON_DEFAULT, d.reason);
}

TEST_F(big, a_stamp_that_names_another_image_is_refused)
{
	struct abac_chunk_stamp *st;
	struct abac_diags d;

	st = t_rec(self->img, ABAC_CHUNK_RECORDS);
	ASSERT_TRUE(abac_rec_is_stamp(t_hdr(self->img), ABAC_CHUNK_RECORDS));
	/* the hash reads stamps as 0: only the stamp check can see this */
	st->content_hash ^= 1;
	abac_diags_init(&d);
	EXPECT_EQ(-EINVAL, abac_image_check(self->img, self->len, &d));
	EXPECT_NE(NULL, t_diag(&d, "chunk 1: its stamp does not name this image"))
		t_diags_dump(&d);
	abac_diags_free(&d);
	st->content_hash ^= 1;
	st->chunk = 2;
	abac_diags_init(&d);
	EXPECT_EQ(-EINVAL, abac_image_check(self->img, self->len, &d));
	abac_diags_free(&d);
	st->chunk = 1;
	EXPECT_EQ(0, abac_image_check(self->img, self->len, NULL));
}

TEST_F(big, conditions_across_a_chunk_boundary_are_refused)
{
	struct abac_rule *r = NULL;
	struct abac_diags d;
	__u32 i;

	/* the rule whose conditions end just before the first stamp */
	for (i = 0; i < BIG_RULES; i++) {
		r = t_rec(self->img, t_hdr(self->img)->rules_off + i);
		if (r->ncond && r->cond + r->ncond >= ABAC_CHUNK_RECORDS - 2)
			break;
	}
	ASSERT_LT(i, BIG_RULES);
	r->cond = ABAC_CHUNK_RECORDS - 1;	/* [2^18 - 1, 2^18] */
	t_rehash(self->img, self->len);
	abac_diags_init(&d);
	EXPECT_EQ(-EINVAL, abac_image_check(self->img, self->len, &d));
	EXPECT_NE(NULL, t_diag(&d, "cross a chunk boundary")) t_diags_dump(&d);
	abac_diags_free(&d);
}

/* abac policy show names the chunks, in plain text and in JSON. */
TEST_F(big, the_dump_names_the_chunks)
{
	const struct abac_image_hdr *h = t_hdr(self->img);
	__u32 chunks = (h->total_records + ABAC_CHUNK_RECORDS - 1) /
		       ABAC_CHUNK_RECORDS;
	char *text = NULL, want[128];
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	ASSERT_NE(NULL, f);
	ASSERT_LE(3U, chunks);
	abac_image_dump(self->img, self->len, f, false);
	abac_image_dump(self->img, self->len, f, true);
	ASSERT_EQ(0, fclose(f));
	snprintf(want, sizeof(want), "records: %u (%zu bytes, %u BPF chunks)",
		 h->total_records, self->len, chunks);
	EXPECT_NE(NULL, strstr(text, want)) TH_LOG("%.300s", text);
	snprintf(want, sizeof(want), "\"records\":%u,\"bytes\":%zu,\"chunks\":%u",
		 h->total_records, self->len, chunks);
	EXPECT_NE(NULL, strstr(text, want)) TH_LOG("no %s", want);
	free(text);
}

TEST(the_bpf_limits_are_named)
{
	struct abac_image_hdr h = { .nrules = ABAC_MAX_KERNEL_RULES + 1,
				    .conds_off = ABAC_HDR_RECORDS };
	char msg[256];

	EXPECT_EQ(-E2BIG, abac_image_bpf_check(&h, sizeof(h), msg, sizeof(msg)));
	EXPECT_NE(NULL, strstr(msg, "ABAC_MAX_KERNEL_RULES")) TH_LOG("%s", msg);
	h.nrules = ABAC_MAX_KERNEL_RULES;
	EXPECT_EQ(0, abac_image_bpf_check(&h, sizeof(h), msg, sizeof(msg)));
	h.conds_off = ABAC_CHUNK_RECORDS + 1;
	EXPECT_EQ(-E2BIG, abac_image_bpf_check(&h, sizeof(h), msg, sizeof(msg)));
	EXPECT_NE(NULL, strstr(msg, "ABAC_CHUNK_RECORDS")) TH_LOG("%s", msg);
	h.conds_off = ABAC_CHUNK_RECORDS;
	EXPECT_EQ(0, abac_image_bpf_check(&h, sizeof(h), msg, sizeof(msg)));
}

TEST_HARNESS_MAIN
