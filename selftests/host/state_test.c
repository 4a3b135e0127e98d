// SPDX-License-Identifier: GPL-2.0-only
/*
 * The copy of abacd's state kept in the kernel (state_blob() and
 * state_unblob() in tools/abacd/state.c), on the host: the policy
 * source, the tags and the run-time bindings go through it whole; a
 * blob of the first format, written before it held bindings, is still
 * read and restores with none; a blob whose lengths do not add up is
 * refused, nothing returned.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "abacd.h"

static const char source[] = "version: 1\nname: kept\n";
static const char subjects_text[] =
	"# abacd: tagged cgroups, one a line: PATH<TAB>KEY=VALUE...\n"
	"/sys/fs/cgroup/ward/a\trole=nurse\n";

static struct abacd agent = { .cg_root = "/sys/fs/cgroup" };

/* One tagged cgroup and one run-time binding. */
static void fill(struct subjects *s, struct rtbinds *rt)
{
	static struct subject one = { .path = "/sys/fs/cgroup/ward/a",
				      .tags = "role=nurse" };

	s->v = &one;
	s->n = 1;
	memset(rt, 0, sizeof(*rt));
	rtbinds_set(rt, "/sys/fs/cgroup/kubepods/pod-1", "kubepods", "pod-1",
		    "kube", "role=clerk");
}

TEST(the_runtime_bindings_go_through_the_copy)
{
	struct subjects s, s2;
	struct rtbinds rt, rt2;
	size_t len, slen = 0;
	char *src2 = NULL;
	__u32 gen = 0;
	void *blob;

	fill(&s, &rt);
	ASSERT_EQ(1, (int)rt.n);
	ASSERT_EQ(0, state_blob(source, strlen(source), &s, &rt, 42, &blob,
				&len));
	ASSERT_EQ(0, state_unblob(&agent, blob, len, &src2, &slen, &s2, &rt2,
				  &gen));
	EXPECT_STREQ(source, src2);
	EXPECT_EQ(strlen(source), slen);
	EXPECT_EQ(42U, gen);
	ASSERT_EQ(1, (int)s2.n);
	EXPECT_STREQ("/sys/fs/cgroup/ward/a", s2.v[0].path);
	EXPECT_STREQ("role=nurse", s2.v[0].tags);
	ASSERT_EQ(1, (int)rt2.n);
	EXPECT_STREQ("/sys/fs/cgroup/kubepods/pod-1", rt2.v[0].path);
	EXPECT_STREQ("kube", rt2.v[0].owner);
	EXPECT_STREQ("kubepods", rt2.v[0].b.dir);
	EXPECT_STREQ("pod-1", rt2.v[0].b.glob);
	EXPECT_STREQ("role=clerk", rt2.v[0].b.tags);
	free(blob);
	free(src2);
	subjects_free(&s2);
	rtbinds_free(&rt2);
	rtbinds_free(&rt);
}

/* A blob as abacd wrote it before the copy held run-time bindings. */
static void *first_format(size_t *len)
{
	__u32 h[4] = { 0x54534241U, 7, sizeof(source) - 1,
		       sizeof(subjects_text) - 1 };
	char *b;

	*len = sizeof(h) + h[2] + h[3];
	b = malloc(*len);
	if (!b)
		return NULL;
	memcpy(b, h, sizeof(h));
	memcpy(b + sizeof(h), source, h[2]);
	memcpy(b + sizeof(h) + h[2], subjects_text, h[3]);
	return b;
}

TEST(a_copy_of_the_first_format_restores_with_no_binding)
{
	struct subjects s;
	struct rtbinds rt;
	size_t len, slen = 0;
	char *src = NULL;
	__u32 gen = 0;
	void *blob;

	blob = first_format(&len);
	ASSERT_NE(NULL, blob);
	ASSERT_EQ(0, state_unblob(&agent, blob, len, &src, &slen, &s, &rt,
				  &gen));
	EXPECT_STREQ(source, src);
	EXPECT_EQ(7U, gen);
	ASSERT_EQ(1, (int)s.n);
	EXPECT_STREQ("role=nurse", s.v[0].tags);
	EXPECT_EQ(0, (int)rt.n);
	/* one byte short: the lengths no longer add up */
	free(src);
	subjects_free(&s);
	EXPECT_EQ(-EBADMSG, state_unblob(&agent, blob, len - 1, &src, &slen,
					 &s, &rt, &gen));
	EXPECT_EQ(NULL, src);
	free(blob);
}

TEST(a_copy_whose_lengths_do_not_add_up_is_refused)
{
	struct subjects s, s2;
	struct rtbinds rt, rt2;
	size_t len, slen;
	char *src = NULL;
	__u32 gen;
	void *blob;

	fill(&s, &rt);
	ASSERT_EQ(0, state_blob(source, strlen(source), &s, &rt, 1, &blob,
				&len));
	EXPECT_EQ(-EBADMSG, state_unblob(&agent, blob, len - 1, &src, &slen,
					 &s2, &rt2, &gen));
	EXPECT_EQ(NULL, src);
	EXPECT_EQ(0, (int)s2.n);
	EXPECT_EQ(0, (int)rt2.n);
	/* shorter than the header of the second format */
	EXPECT_EQ(-EBADMSG, state_unblob(&agent, blob, 18, &src, &slen, &s2,
					 &rt2, &gen));
	((__u32 *)blob)[0] = 0x12345678U;
	EXPECT_EQ(-EBADMSG, state_unblob(&agent, blob, len, &src, &slen, &s2,
					 &rt2, &gen));
	free(blob);
	rtbinds_free(&rt);
}

TEST_HARNESS_MAIN
