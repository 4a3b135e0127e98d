// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BPF-LSM half of the cross-check in matrix.h: on Debian's kernel,
 * the BPF program must decide every (subject, label, open mode) of the
 * matrix as the shared decision core does on the image in its map.
 * native_test runs the same matrix on the native LSM, so the two kernel
 * sides are held to the same decisions.
 */
#include "kselftest_harness.h"
#include "vm_common.h"
#include "matrix.h"
#include "kern.h"

FIXTURE(crosscheck) {
	int unused;
};

FIXTURE_SETUP(crosscheck)
{
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, matrix_setup());
}

FIXTURE_TEARDOWN(crosscheck)
{
	matrix_untag_all();	/* the next suite applies its own policy */
}

TEST_F_TIMEOUT(crosscheck, the_bpf_lsm_decides_as_the_shared_core_on_a_whole_matrix, 300)
{
	struct matrix_tally t;
	struct abac_kern k;
	void *img;
	size_t len;

	ASSERT_EQ(0, abac_kern_open(&k, ABAC_PIN_DIR, false));
	ASSERT_EQ(0, abac_kern_get_image(&k, &img, &len));
	abac_kern_close(&k);
	ASSERT_EQ(0, matrix_run(img, len, &t));
	free(img);
	TH_LOG("%u opens: %u allowed, %u denied, %u mismatches", t.opens,
	       t.allowed, t.denied, t.mismatches);
	ASSERT_EQ(0U, t.mismatches);
	ASSERT_EQ((unsigned int)(MATRIX_NSUBJ * MATRIX_NLABEL * MATRIX_NMODE), t.opens);
	ASSERT_LT(20U, t.allowed);
	ASSERT_LT(20U, t.denied);
	ASSERT_EQ(t.opens, t.allowed + t.denied);
}

TEST_HARNESS_MAIN
