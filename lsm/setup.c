// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: registration.  The LSM keeps no per-object state (the
 * label is read from user.abac at each open and the subject from the
 * task's cgroup), so it asks for no security blobs.
 */
#include <linux/init.h>
#include <linux/lsm_hooks.h>
#include <uapi/linux/lsm.h>

#include "abac.h"

bool abac_enabled __ro_after_init;

const struct lsm_id abac_lsmid = {
	.name = ABAC_LSM_NAME,
	.id = LSM_ID_ABAC,
};

/* Nothing per task, file or inode: every decision reads what it needs. */
static struct lsm_blob_sizes abac_blob_sizes __ro_after_init = {
};

/**
 * abac_init() - register abac's hooks when "abac" is in the LSM list.
 *
 * Return: 0.
 */
static int __init abac_init(void)
{
	abac_add_file_hooks();
	abac_enabled = true;
	pr_info("abac: attribute-based access control ready (ABI %u), no policy loaded\n",
		ABAC_ABI_VERSION);
	return 0;
}

DEFINE_LSM(abac) = {
	.name = ABAC_LSM_NAME,
	.init = abac_init,
	.blobs = &abac_blob_sizes,
};
