// SPDX-License-Identifier: GPL-2.0-only
/*
 * Images larger than one BPF map value, on the real hooks
 * (Documentation/scale.rst, "Images larger than a map value").  A policy
 * of 100,000 rules is generated, compiled in the guest and loaded: its
 * image is several chunks of ABAC_CHUNK_RECORDS records, and the two
 * rules that decide the prober's opens have their conditions past the
 * first chunk, so that the programs must read the far chunks to allow
 * one open and refuse the other.  A chunk whose stamp does not name the
 * image it is read with fails closed.  The image is read back whole.
 *
 * The agent is stopped while the test's images are in force (they hold
 * the test's own subject); they are removed and the agent started again
 * at the end.
 */
#include <sys/stat.h>
#include <time.h>
#include <bpf/bpf.h>

#include "kselftest_harness.h"
#include "libabac.h"
#include "vm_kernel.h"
#include "bigpolicy.h"
#include "attempt.h"

#define BIG_RULES	100000U
#define MINE		TEST_DIR "/mine"
#define SECRET		TEST_DIR "/secret"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

FIXTURE(chunks) {
	void *img;
	size_t len;
	struct vm_kernel k;
};

FIXTURE_SETUP(chunks)
{
	struct abac_subject s = { .level = 2, .path = "/abac-test/prober",
				  .tags = BIG_PROBE_TAGS };
	struct abac_policy *p = NULL;
	struct abac_diags d;
	struct stat st;
	double t0, t1, t2;
	size_t ylen;
	char *yaml;

	if (vm_backend() == VM_NATIVE)
		SKIP(return, "the native LSM reads the image flat");
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_mkcg("prober"));
	ASSERT_EQ(0, stat(TEST_CG_ROOT "/prober", &st));
	s.cgroup_id = st.st_ino;
	ASSERT_EQ(0, vm_mkfile(MINE, "mine\n", BIG_LABEL_MINE));
	ASSERT_EQ(0, vm_mkfile(SECRET, "secret\n", BIG_LABEL_SECRET));
	yaml = big_policy_yaml(BIG_RULES, &ylen);
	ASSERT_NE(NULL, yaml);
	abac_diags_init(&d);
	t0 = now_ms();
	ASSERT_EQ(0, abac_policy_parse_buf("big.yaml", yaml, ylen, &p, &d));
	t1 = now_ms();
	ASSERT_EQ(0, abac_image_build(p, &s, 1, &self->img, &self->len, &d));
	ASSERT_EQ(0, abac_image_check(self->img, self->len, &d));
	t2 = now_ms();
	abac_policy_free(p);
	abac_diags_free(&d);
	free(yaml);
	TH_LOG("guest: %u rules, %zu bytes of YAML: parse %.0f ms, compile and check %.0f ms; image %zu bytes",
	       BIG_RULES, ylen, t1 - t0, t2 - t1, self->len);
	ASSERT_EQ(0, vm_kernel_open(&self->k));
	vm_agent_kill9();
}

FIXTURE_TEARDOWN(chunks)
{
	if (vm_backend() == VM_NATIVE)
		return;
	/* no image of this test stays in force: the agent applies its own */
	abac_kern_clear_image(&self->k.k);
	vm_kernel_close(&self->k);
	free(self->img);
	vm_agent_start();
}

static const struct abac_rule *rule_at(const void *img, __u32 i)
{
	const struct abac_image_hdr *h = img;

	return (const void *)((const __u8 *)img +
			      ((size_t)h->rules_off + i) * ABAC_REC_SIZE);
}

TEST_F_TIMEOUT(chunks, rules_past_the_first_chunk_allow_and_deny_on_the_hooks, 900)
{
	const struct abac_image_hdr *h = self->img;
	void *back = NULL;
	size_t back_len;
	__u32 chunks = 0;
	double t0, t1;

	ASSERT_LE(ABAC_CHUNK_RECORDS, rule_at(self->img, BIG_RULES - 2)->cond);
	ASSERT_LE(ABAC_CHUNK_RECORDS, rule_at(self->img, BIG_RULES - 1)->cond);
	abac_image_set_generation(self->img, 777001);
	t0 = now_ms();
	ASSERT_EQ(0, vm_kernel_set_image(&self->k, self->img, self->len));
	t1 = now_ms();
	ASSERT_EQ(0, abac_kern_image_chunks(&self->k.k, &chunks));
	TH_LOG("guest: image of %u records in %u chunks loaded in %.0f ms",
	       h->total_records, chunks, t1 - t0);
	ASSERT_EQ((h->total_records + ABAC_CHUNK_RECORDS - 1) /
		  ABAC_CHUNK_RECORDS, chunks);
	ASSERT_LE(3U, chunks);
	/* allowed by rule N-2, refused by rule N-1: both read from chunk 1 */
	EXPECT_EQ(0, vm_probe_open("prober", MINE, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("prober", SECRET, O_RDONLY));
	/* untagged: untouched */
	EXPECT_EQ(0, vm_probe_open(NULL, SECRET, O_RDONLY));
	/* read back whole: the same bytes but the loader's two stamps */
	ASSERT_EQ(0, abac_kern_get_image(&self->k.k, &back, &back_len));
	ASSERT_EQ(self->len, back_len);
	EXPECT_EQ(0, abac_image_check(back, back_len, NULL));
	((struct abac_image_hdr *)back)->bpf_slot = h->bpf_slot;
	EXPECT_EQ(0, memcmp(back, self->img, self->len));
	free(back);
}

/*
 * Put @img in force through an inner map built here, as the loader
 * would, with chunk 1 from @chunk1 (ABAC_CHUNK_BYTES): a chunk of the
 * image, or one whose stamp has been changed.
 */
static int force_with_chunk1(struct vm_kernel *vk, void *img, size_t len,
			     const void *chunk1)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_INNER_MAP);
	__u32 n = (len + ABAC_CHUNK_BYTES - 1) / ABAC_CHUNK_BYTES;
	__u32 zero = 0, slot, k;
	__u8 *value;
	size_t at, part;
	int inner, err = 0;

	if (bpf_map_lookup_elem(vk->k.active_fd, &zero, &slot))
		return -errno;
	slot = (slot & 1) ^ 1;
	((struct abac_image_hdr *)img)->bpf_slot = slot;
	value = calloc(1, ABAC_CHUNK_BYTES);
	inner = bpf_map_create(BPF_MAP_TYPE_ARRAY, "abac_image", 4,
			       ABAC_CHUNK_BYTES, n, &opts);
	if (!value || inner < 0) {
		free(value);
		return -ENOMEM;
	}
	for (k = 0; k < n && !err; k++) {
		at = (size_t)k * ABAC_CHUNK_BYTES;
		part = len - at < ABAC_CHUNK_BYTES ? len - at : ABAC_CHUNK_BYTES;
		memset(value, 0, ABAC_CHUNK_BYTES);
		memcpy(value, k == 1 ? chunk1 : (const __u8 *)img + at, part);
		if (bpf_map_update_elem(inner, &k, value, BPF_ANY))
			err = -errno;
	}
	if (!err && (bpf_map_update_elem(vk->k.policy_fd, &slot, &inner,
					 BPF_ANY) ||
		     bpf_map_update_elem(vk->k.active_fd, &zero, &slot,
					 BPF_ANY)))
		err = -errno;
	close(inner);
	free(value);
	return err;
}

TEST_F_TIMEOUT(chunks, a_chunk_whose_stamp_names_another_image_fails_closed, 900)
{
	__u8 *chunk1 = malloc(ABAC_CHUNK_BYTES);
	struct abac_chunk_stamp *st = (void *)chunk1;

	ASSERT_NE(NULL, chunk1);
	ASSERT_LE(2 * (size_t)ABAC_CHUNK_BYTES, self->len);
	memcpy(chunk1, (__u8 *)self->img + ABAC_CHUNK_BYTES, ABAC_CHUNK_BYTES);
	ASSERT_EQ(ABAC_CHUNK_MAGIC, st->magic);
	abac_image_set_generation(self->img, 777002);
	/* the control: this very path with the image's own chunk 1 */
	ASSERT_EQ(0, force_with_chunk1(&self->k, self->img, self->len, chunk1));
	EXPECT_EQ(0, vm_probe_open("prober", MINE, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("prober", SECRET, O_RDONLY));
	/* chunk 1 of another image (its stamp names another hash) */
	st->content_hash ^= 0x5a5a;
	abac_image_set_generation(self->img, 777003);
	ASSERT_EQ(0, force_with_chunk1(&self->k, self->img, self->len, chunk1));
	EXPECT_EQ(EACCES, vm_probe_open("prober", MINE, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("prober", SECRET, O_RDONLY));
	/* the stamp of another chunk */
	st->content_hash ^= 0x5a5a;
	st->chunk = 2;
	abac_image_set_generation(self->img, 777004);
	ASSERT_EQ(0, force_with_chunk1(&self->k, self->img, self->len, chunk1));
	EXPECT_EQ(EACCES, vm_probe_open("prober", MINE, O_RDONLY));
	free(chunk1);
}

/*
 * The operator's path: abac policy apply sends the text to the agent,
 * which compiles it and loads it in chunks; abac subject tag, then the
 * prober's opens on the hooks, and abac status naming the chunks.  Its
 * own fixture: the agent compiles the policy, so the test need not (a
 * parse of 100,000 rules costs seconds of emulated guest time).
 */
FIXTURE(chunks_apply) {
	int unused;
};

FIXTURE_SETUP(chunks_apply)
{
	if (vm_backend() == VM_NATIVE)
		SKIP(return, "the native LSM reads the image flat");
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_mkcg("prober"));
	ASSERT_EQ(0, vm_mkfile(MINE, "mine\n", BIG_LABEL_MINE));
	ASSERT_EQ(0, vm_mkfile(SECRET, "secret\n", BIG_LABEL_SECRET));
}

FIXTURE_TEARDOWN(chunks_apply)
{
	if (vm_backend() == VM_NATIVE)
		return;
	vm_untag("prober");
	/* a small policy after it, quick for the next agent to restore */
	vm_apply("after", vm_contain_policy);
}

TEST_F_TIMEOUT(chunks_apply, abac_policy_apply_puts_100000_rules_in_force, 900)
{
	char out[4096], want[64];
	double t0, t1;
	size_t ylen;
	char *yaml = big_policy_yaml(BIG_RULES, &ylen);

	ASSERT_NE(NULL, yaml);
	ASSERT_LE(0, vm_agent_start());
	ASSERT_EQ(0, vm_write_file(TEST_DIR "/big.yaml", yaml));
	free(yaml);
	t0 = now_ms();
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out),
			       "abac policy apply " TEST_DIR "/big.yaml"))
		TH_LOG("%s", out);
	t1 = now_ms();
	TH_LOG("guest: abac policy apply of %u rules: %.0f ms (the CLI and the agent each parse and compile)",
	       BIG_RULES, t1 - t0);
	ASSERT_EQ(0, vm_tag("prober", BIG_PROBE_TAGS));
	EXPECT_EQ(0, vm_probe_open("prober", MINE, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("prober", SECRET, O_RDONLY));
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac status"));
	snprintf(want, sizeof(want), "%u rules", BIG_RULES);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, " chunks of 262144 records")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
