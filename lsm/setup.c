// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: registration.
 *
 * abac keeps two blobs: one per inode (its label as last read and its
 * cached decisions, label.c and avc.c) and one per task (the subject found
 * for its cgroup and its cached decisions on network objects, subject.c
 * and avc.c).  Everything else is read from the image in force.
 */
#include "abac.h"

#include <linux/init.h>
#include <linux/lsm_hooks.h>
#include <uapi/linux/lsm.h>

#include "abac_blobs.h"

bool abac_enabled __ro_after_init;

const struct lsm_id abac_lsmid = {
	.name = ABAC_LSM_NAME,
	.id = LSM_ID_ABAC,
};

struct lsm_blob_sizes abac_blob_sizes __ro_after_init = {
	.lbs_inode = sizeof(struct abac_inode),
	.lbs_task = sizeof(struct abac_task),
};

/**
 * abac_init() - register abac's hooks when "abac" is in the LSM list.
 *
 * Return: 0, or -ENOMEM when the event ring cannot be allocated (then
 * abac stays off: no hook is registered).
 */
static int __init abac_init(void)
{
	int err;

	err = abac_events_init();
	if (err) {
		pr_err("cannot allocate the event ring: %d; abac is off\n",
		       err);
		return err;
	}
	abac_fold_init();
	abac_label_init();
	abac_add_subject_hooks();
	abac_add_label_hooks();
	abac_add_file_hooks();
	abac_add_memory_hooks();
	abac_add_dir_hooks();
	abac_add_net_hooks();
	abac_add_guard_hooks();
	abac_add_tasks_hooks();
	abac_add_agent_hooks();
	abac_add_exec_only_hooks();
	abac_add_overlay_hooks();
	abac_add_caps_hooks();
	abac_enabled = true;
	pr_info("attribute-based access control ready (ABI %u), no policy loaded\n",
		ABAC_ABI_VERSION);
	return 0;
}

DEFINE_LSM(abac) = {
	.name = ABAC_LSM_NAME,
	.init = abac_init,
	.blobs = &abac_blob_sizes,
};
