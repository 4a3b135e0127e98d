// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel and the decision core agree (matrix.h): whichever side
 * enforces in the guest, the BPF programs on Debian's kernel or the
 * native LSM on the kernel make kernel builds, it must decide every
 * (subject, label, open mode) of the matrix as the shared decision core,
 * compiled into this program, does on the image the kernel holds: the
 * kernel by the rule index, the core here by the scan of every rule.  The
 * suite runs on both guests, so the two kernel sides are held to the
 * same decisions.
 */
#include "kselftest_harness.h"
#include "vm_kernel.h"
#include "matrix.h"

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

TEST_F_TIMEOUT(crosscheck, the_kernel_decides_as_the_shared_core_on_a_whole_matrix, 300)
{
	struct matrix_tally t;
	void *img;
	size_t len;

	ASSERT_EQ(0, vm_kernel_get_image(&img, &len));
	/*
	 * The kernel decides the tagged subjects by the rule index (their
	 * classes), the core here by the scan (no class): the two agree.
	 */
	ASSERT_LT(0U, ((const struct abac_image_hdr *)img)->ncls);
	TH_LOG("rule index: %u classes, %u list entries, %u buckets",
	       ((const struct abac_image_hdr *)img)->ncls,
	       ((const struct abac_image_hdr *)img)->nclist,
	       ((const struct abac_image_hdr *)img)->nbkt);
	ASSERT_EQ(0, matrix_run(img, len, &t));
	free(img);
	TH_LOG("%s: %u opens: %u allowed, %u denied, %u mismatches",
	       vm_backend_name(vm_backend()), t.opens, t.allowed, t.denied,
	       t.mismatches);
	ASSERT_EQ(0U, t.mismatches);
	ASSERT_EQ((unsigned int)(MATRIX_NSUBJ * MATRIX_NLABEL * MATRIX_NMODE), t.opens);
	/* not a trivial matrix: both outcomes occur, and nothing else */
	ASSERT_LT(20U, t.allowed);
	ASSERT_LT(20U, t.denied);
	ASSERT_EQ(t.opens, t.allowed + t.denied);
}

TEST_HARNESS_MAIN
