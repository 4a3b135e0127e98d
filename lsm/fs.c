// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: its securityfs files, under /sys/kernel/security/abac.
 *
 *   policy  (0600) write: one compiled image in one write(2), validated
 *           and put in force, or refused with -EINVAL (-E2BIG, -EPROTO,
 *           -EBADMSG) and the image in force kept; read: the image in
 *           force when the file was opened (empty when none).
 *   status  (0444) "key: value" lines: the policy in force, load and
 *           decision counters, why the last image was refused.
 *   events  (0400) read: whole struct abac_event records of denials,
 *           consumed as read; blocks unless O_NONBLOCK; pollable.
 *
 * Writing a policy needs CAP_MAC_ADMIN.
 */
#include <linux/capability.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/poll.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "abac.h"
#include "abac_image_check.h"

static int abac_policy_open(struct inode *inode, struct file *file)
{
	if (file->f_mode & FMODE_READ)
		file->private_data = abac_policy_get();
	return 0;
}

static int abac_policy_release(struct inode *inode, struct file *file)
{
	abac_policy_put(file->private_data);
	return 0;
}

static ssize_t abac_policy_read(struct file *file, char __user *buf,
				size_t count, loff_t *ppos)
{
	struct abac_loaded *pol = file->private_data;

	if (!pol)
		return 0;
	return simple_read_from_buffer(buf, count, ppos, pol->img, pol->len);
}

static ssize_t abac_policy_write(struct file *file, const char __user *buf,
				 size_t count, loff_t *ppos)
{
	char why[160];
	void *img;
	int err;

	if (!capable(CAP_MAC_ADMIN))
		return -EPERM;
	if (*ppos != 0)
		return -EINVAL;	/* one image, in one write */
	if (count > ABAC_IMAGE_BYTES)
		return -E2BIG;
	img = vmemdup_user(buf, count);
	if (IS_ERR(img))
		return PTR_ERR(img);
	err = abac_policy_load(img, count, why, sizeof(why));
	kvfree(img);
	if (err) {
		pr_notice_ratelimited("abac: policy refused, the one in force stays: %s\n",
				      why);
		return err;
	}
	*ppos += count;
	return count;
}

static const struct file_operations abac_policy_fops = {
	.open = abac_policy_open,
	.release = abac_policy_release,
	.read = abac_policy_read,
	.write = abac_policy_write,
	.llseek = generic_file_llseek,
};

static int abac_status_show(struct seq_file *m, void *v)
{
	const struct abac_image_hdr *hdr;
	struct abac_loaded *pol = abac_policy_get();
	char err[160];

	if (pol) {
		hdr = abac_loaded_hdr(pol);
		seq_printf(m, "policy: %s\n",
			   abac_check_table_str(pol->img, hdr, hdr->name_str) ?: "?");
		seq_printf(m, "generation: %u\n", hdr->generation);
		seq_printf(m, "content_hash: %016llx\n",
			   (unsigned long long)hdr->content_hash);
		seq_printf(m, "mode: %s\n",
			   hdr->mode == ABAC_MODE_AUDIT ? "audit" : "enforce");
		seq_printf(m, "default: %s\n",
			   hdr->default_effect == ABAC_ALLOW ? "allow" : "deny");
		seq_printf(m, "rules: %u\n", hdr->nrules);
		seq_printf(m, "records: %u\n", hdr->total_records);
		seq_printf(m, "load_seq: %llu\n", (unsigned long long)pol->seq);
		abac_policy_put(pol);
	} else {
		seq_puts(m, "policy: none\n");
	}
	seq_printf(m, "abi_version: %u\n", ABAC_ABI_VERSION);
	seq_printf(m, "loads: %llu\n", (unsigned long long)abac_policy_loads());
	seq_printf(m, "rejects: %llu\n",
		   (unsigned long long)abac_policy_rejects());
	abac_policy_last_error(err, sizeof(err));
	seq_printf(m, "last_error: %s\n", err[0] ? err : "-");
	seq_printf(m, "decisions: %lld\n",
		   (long long)atomic64_read(&abac_stats.decisions));
	seq_printf(m, "denied: %lld\n",
		   (long long)atomic64_read(&abac_stats.denied));
	seq_printf(m, "audited: %lld\n",
		   (long long)atomic64_read(&abac_stats.audited));
	seq_printf(m, "bad_labels: %lld\n",
		   (long long)atomic64_read(&abac_stats.bad_labels));
	seq_printf(m, "events: %lld\n",
		   (long long)atomic64_read(&abac_stats.events));
	seq_printf(m, "events_lost: %lld\n",
		   (long long)atomic64_read(&abac_stats.events_lost));
	return 0;
}

static int abac_status_open(struct inode *inode, struct file *file)
{
	return single_open(file, abac_status_show, NULL);
}

static const struct file_operations abac_status_fops = {
	.open = abac_status_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static ssize_t abac_events_file_read(struct file *file, char __user *buf,
				     size_t count, loff_t *ppos)
{
	return abac_events_read(buf, count, file->f_flags & O_NONBLOCK);
}

static __poll_t abac_events_poll(struct file *file, poll_table *wait)
{
	poll_wait(file, abac_events_waitq(), wait);
	return abac_events_pending() ? EPOLLIN | EPOLLRDNORM : 0;
}

static const struct file_operations abac_events_fops = {
	.read = abac_events_file_read,
	.poll = abac_events_poll,
	.llseek = noop_llseek,
};

/**
 * abac_fs_init() - create /sys/kernel/security/abac and its files.
 *
 * Return: 0, or the negative errno of the first file that failed.
 */
static int __init abac_fs_init(void)
{
	struct dentry *dir, *f;

	if (!abac_enabled)
		return 0;
	dir = securityfs_create_dir("abac", NULL);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	f = securityfs_create_file("policy", 0600, dir, NULL,
				   &abac_policy_fops);
	if (IS_ERR(f))
		goto fail;
	f = securityfs_create_file("status", 0444, dir, NULL,
				   &abac_status_fops);
	if (IS_ERR(f))
		goto fail;
	f = securityfs_create_file("events", 0400, dir, NULL,
				   &abac_events_fops);
	if (IS_ERR(f))
		goto fail;
	return 0;

fail:
	securityfs_recursive_remove(dir);
	pr_err("abac: cannot create securityfs files: %ld\n", PTR_ERR(f));
	return PTR_ERR(f);
}
fs_initcall(abac_fs_init);
