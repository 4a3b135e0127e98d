// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: its securityfs files, under /sys/kernel/security/abac.
 *
 *   policy  (0600) write: one compiled image in one write(2), validated
 *           and put in force, or refused with -EINVAL (-E2BIG, -EPROTO,
 *           -EBADMSG) and the image in force kept; read: the image in
 *           force when the file was opened (empty when none).
 *   env     (0600) write: one struct abac_env_state (operator attributes,
 *           timezone offset); read: the one in force.
 *   guard   (0200) write: one struct abac_guard_hdr and its entries: the
 *           writer becomes the agent the guard shields, the entries the
 *           inodes it protects.
 *   state   (0600) the agent's own state, kept for it across its
 *           restarts (at most ABAC_STATE_MAX bytes, opaque to the kernel).
 *   status  (0444) "key: value" lines: the policy in force, counters, the
 *           guard, why the last image was refused.
 *   events  (0400) read: whole struct abac_event records of denials,
 *           consumed as read; blocks unless O_NONBLOCK; pollable.
 *
 * Writing needs CAP_MAC_ADMIN; a tagged task, whatever its capabilities,
 * may neither write these files nor read the events (which would take
 * them from the agent): the guard refuses and reports it.
 */
#include "abac.h"

#include <linux/capability.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kstrtox.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "abac_image_check.h"

/* The guard on abac's own files: a tagged task may not write them. */
static int abac_fs_guard(struct file *file)
{
	struct abac_ctx c;
	int err;

	if (!(file->f_mode & FMODE_WRITE) || !abac_ctx_get(&c))
		return 0;
	err = abac_guard_refuse(&c, ABAC_GUARD_SECURITYFS, ABAC_OP_ADMINISTER,
				file_inode(file), "open %pD for writing", file);
	abac_ctx_put(&c);
	return err;
}

/*
 * One whole write at offset 0, by CAP_MAC_ADMIN, of @min to @max bytes:
 * copied in, or an errno (-EPERM first: a caller without the capability
 * learns nothing about the format).
 */
static void *abac_fs_write_in(const char __user *buf, size_t count,
			      loff_t *ppos, size_t min, size_t max)
{
	if (!capable(CAP_MAC_ADMIN))
		return ERR_PTR(-EPERM);
	if (*ppos != 0 || count < min)
		return ERR_PTR(-EINVAL);	/* one piece, in one write */
	if (count > max)
		return ERR_PTR(-E2BIG);
	return vmemdup_user(buf, count);
}

/* ---- policy -------------------------------------------------------------- */

static int abac_policy_open(struct inode *inode, struct file *file)
{
	int err = abac_fs_guard(file);

	if (!err && (file->f_mode & FMODE_READ))
		file->private_data = abac_policy_get();
	return err;
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

	img = abac_fs_write_in(buf, count, ppos, 0, ABAC_IMAGE_BYTES);
	if (IS_ERR(img))
		return PTR_ERR(img);
	err = abac_policy_load(img, count, why, sizeof(why));
	kvfree(img);
	if (err) {
		pr_notice_ratelimited("policy refused, the one in force stays: %s\n",
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

/* ---- env ----------------------------------------------------------------- */

static int abac_guarded_open(struct inode *inode, struct file *file)
{
	return abac_fs_guard(file);
}

static ssize_t abac_env_read(struct file *file, char __user *buf,
			     size_t count, loff_t *ppos)
{
	struct abac_env_state *st;
	ssize_t n;

	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	abac_env_get(st);
	n = simple_read_from_buffer(buf, count, ppos, st, sizeof(*st));
	kfree(st);
	return n;
}

static ssize_t abac_env_write(struct file *file, const char __user *buf,
			      size_t count, loff_t *ppos)
{
	struct abac_env_state *st;
	int err;

	st = abac_fs_write_in(buf, count, ppos, sizeof(*st), sizeof(*st));
	if (IS_ERR(st))
		return PTR_ERR(st) == -E2BIG ? -EINVAL : PTR_ERR(st);
	err = abac_env_set(st);
	kvfree(st);
	if (err)
		return err;
	*ppos += count;
	return count;
}

static const struct file_operations abac_env_fops = {
	.open = abac_guarded_open,
	.read = abac_env_read,
	.write = abac_env_write,
	.llseek = generic_file_llseek,
};

/* ---- guard --------------------------------------------------------------- */

static ssize_t abac_guard_write(struct file *file, const char __user *buf,
				size_t count, loff_t *ppos)
{
	const struct abac_guard_hdr *hdr;
	size_t n;
	void *in;
	int err;

	in = abac_fs_write_in(buf, count, ppos, sizeof(*hdr),
			      sizeof(*hdr) + ABAC_GUARD_MAX_ENTS *
			      sizeof(struct abac_guard_ent));
	if (IS_ERR(in))
		return PTR_ERR(in);
	if ((count - sizeof(*hdr)) % sizeof(struct abac_guard_ent)) {
		kvfree(in);
		return -EINVAL;
	}
	hdr = in;
	n = (count - sizeof(*hdr)) / sizeof(struct abac_guard_ent);
	err = abac_guard_set(hdr, (const void *)(hdr + 1), n);
	kvfree(in);
	if (err)
		return err;
	*ppos += count;
	return count;
}

static const struct file_operations abac_guard_fops = {
	.open = abac_guarded_open,
	.write = abac_guard_write,
	.llseek = generic_file_llseek,
};

/* ---- event_cfg ----------------------------------------------------------- */

/* The policy's "events" settings: one struct abac_event_cfg (fold.c). */
static ssize_t abac_event_cfg_write(struct file *file, const char __user *buf,
				    size_t count, loff_t *ppos)
{
	struct abac_event_cfg *cfg;
	int err;

	cfg = abac_fs_write_in(buf, count, ppos, sizeof(*cfg), sizeof(*cfg));
	if (IS_ERR(cfg))
		return PTR_ERR(cfg);
	err = abac_fold_configure(cfg);
	kvfree(cfg);
	if (err)
		return err;
	*ppos += count;
	return count;
}

static const struct file_operations abac_event_cfg_fops = {
	.open = abac_guarded_open,
	.write = abac_event_cfg_write,
	.llseek = generic_file_llseek,
};

/* ---- state --------------------------------------------------------------- */

static void *abac_state;		/* the agent's state, or NULL */
static size_t abac_state_len;
static DEFINE_MUTEX(abac_state_mutex);

static ssize_t abac_state_read(struct file *file, char __user *buf,
			       size_t count, loff_t *ppos)
{
	ssize_t n;

	mutex_lock(&abac_state_mutex);
	n = simple_read_from_buffer(buf, count, ppos, abac_state,
				    abac_state_len);
	mutex_unlock(&abac_state_mutex);
	return n;
}

static ssize_t abac_state_write(struct file *file, const char __user *buf,
				size_t count, loff_t *ppos)
{
	void *in, *old;

	in = abac_fs_write_in(buf, count, ppos, 0, ABAC_STATE_MAX);
	if (IS_ERR(in))
		return PTR_ERR(in);
	mutex_lock(&abac_state_mutex);
	old = abac_state;
	abac_state = in;
	abac_state_len = count;
	mutex_unlock(&abac_state_mutex);
	kvfree(old);
	*ppos += count;
	return count;
}

static const struct file_operations abac_state_fops = {
	.open = abac_guarded_open,
	.read = abac_state_read,
	.write = abac_state_write,
	.llseek = generic_file_llseek,
};

/* ---- status -------------------------------------------------------------- */

static void abac_status_policy(struct seq_file *m)
{
	const struct abac_image_hdr *hdr;
	struct abac_loaded *pol = abac_policy_get();

	if (!pol) {
		seq_puts(m, "policy: none\n");
		return;
	}
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
	seq_printf(m, "layers: %u\n", hdr->nlayers);
	seq_printf(m, "records: %u\n", hdr->total_records);
	seq_printf(m, "load_seq: %llu\n", (unsigned long long)pol->seq);
	abac_policy_put(pol);
}

static void abac_status_counter(struct seq_file *m, const char *key,
				atomic64_t *v)
{
	seq_printf(m, "%s: %lld\n", key, (long long)atomic64_read(v));
}

/* The operations the hooks decide: "ops: read write ..." and the mask. */
static void abac_status_ops(struct seq_file *m)
{
	u32 op;

	seq_puts(m, "ops:");
	for (op = 0; op < ABAC_OP_COUNT; op++)
		if (ABAC_NATIVE_OPS & (1U << op))
			seq_printf(m, " %s", abac_op_name(op));
	seq_printf(m, "\nops_mask: 0x%x\n", ABAC_NATIVE_OPS);
}

static int abac_status_show(struct seq_file *m, void *v)
{
	char err[160];

	abac_status_policy(m);
	seq_printf(m, "abi_version: %u\n", ABAC_ABI_VERSION);
	abac_status_ops(m);
	seq_printf(m, "loads: %llu\n", (unsigned long long)abac_policy_loads());
	seq_printf(m, "rejects: %llu\n",
		   (unsigned long long)abac_policy_rejects());
	abac_policy_last_error(err, sizeof(err));
	seq_printf(m, "last_error: %s\n", err[0] ? err : "-");
	abac_status_counter(m, "decisions", &abac_stats.decisions);
	abac_status_counter(m, "cached", &abac_stats.cached);
	abac_status_counter(m, "denied", &abac_stats.denied);
	abac_status_counter(m, "audited", &abac_stats.audited);
	abac_status_counter(m, "bad_labels", &abac_stats.bad_labels);
	abac_status_counter(m, "guarded", &abac_stats.guarded);
	abac_status_counter(m, "events", &abac_stats.events);
	abac_status_counter(m, "events_lost", &abac_stats.events_lost);
	abac_status_counter(m, "folded", &abac_stats.folded);
	seq_printf(m, "agent: %d\n", abac_guard_agent_nr());
	seq_printf(m, "protected_inodes: %u\n", abac_guard_inodes());
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

/* ---- rule_hits ------------------------------------------------------------ */

/*
 * "generation G" (the image's, as the agent stamped it), then a line
 * "INDEX HITS" per rule: the decisions each rule of the image in force
 * took since it was loaded.
 */
static int abac_rule_hits_show(struct seq_file *m, void *v)
{
	struct abac_loaded *pol = abac_policy_get();
	u32 r;

	if (!pol)
		return 0;
	seq_printf(m, "generation %u\n", abac_loaded_hdr(pol)->generation);
	for (r = 0; r < pol->nhits; r++)
		seq_printf(m, "%u %lld\n", r,
			   (long long)atomic64_read(&pol->hits[r]));
	abac_policy_put(pol);
	return 0;
}

static int abac_rule_hits_open(struct inode *inode, struct file *file)
{
	return single_open(file, abac_rule_hits_show, NULL);
}

static const struct file_operations abac_rule_hits_fops = {
	.open = abac_rule_hits_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

/* ---- events -------------------------------------------------------------- */

static int abac_events_open(struct inode *inode, struct file *file)
{
	struct abac_ctx c;
	int err;

	if (!abac_ctx_get(&c))
		return 0;
	err = abac_guard_refuse(&c, ABAC_GUARD_SECURITYFS, ABAC_OP_ADMINISTER,
				inode, "open %pD", file);
	abac_ctx_put(&c);
	return err;
}

static ssize_t abac_events_file_read(struct file *file, char __user *buf,
				     size_t count, loff_t *ppos)
{
	return abac_events_read(buf, count, file->f_flags & O_NONBLOCK);
}

/* "N": the reader has kept the N oldest records it read; take them. */
static ssize_t abac_events_file_write(struct file *file,
				      const char __user *buf, size_t count,
				      loff_t *ppos)
{
	unsigned int n;
	int err;

	err = kstrtouint_from_user(buf, count, 10, &n);
	if (err)
		return err;
	abac_events_ack(n);
	return count;
}

static __poll_t abac_events_poll(struct file *file, poll_table *wait)
{
	poll_wait(file, abac_events_waitq(), wait);
	return abac_events_pending() ? EPOLLIN | EPOLLRDNORM : 0;
}

static const struct file_operations abac_events_fops = {
	.open = abac_events_open,
	.read = abac_events_file_read,
	.write = abac_events_file_write,
	.poll = abac_events_poll,
	.llseek = noop_llseek,
};

/* ---- lost --------------------------------------------------------------- */

/*
 * The counts of records the ring had no room for, per (cgroup, rule, op):
 * whole struct abac_lost_rec records, taken by the read.  The buffer must
 * hold ABAC_LOST_KEYS of them, so that a read never takes what it cannot
 * hand out.
 */
static ssize_t abac_lost_file_read(struct file *file, char __user *buf,
				   size_t count, loff_t *ppos)
{
	struct abac_lost_rec *recs;
	unsigned int n;
	ssize_t ret;

	if (count < ABAC_LOST_KEYS * sizeof(*recs))
		return -EINVAL;
	recs = kcalloc(ABAC_LOST_KEYS, sizeof(*recs), GFP_KERNEL);
	if (!recs)
		return -ENOMEM;
	n = abac_lost_take(recs);
	ret = n * sizeof(*recs);
	if (copy_to_user(buf, recs, ret))
		ret = -EFAULT;
	kfree(recs);
	return ret;
}

static const struct file_operations abac_lost_fops = {
	.open = abac_events_open,
	.read = abac_lost_file_read,
	.llseek = noop_llseek,
};

/**
 * struct abac_fs_file - one file of the securityfs directory.
 * @name: its name.
 * @mode: its permissions.
 * @fops: its operations.
 */
struct abac_fs_file {
	const char *name;
	umode_t mode;
	const struct file_operations *fops;
};

static const struct abac_fs_file abac_fs_files[] = {
	{ "policy", 0600, &abac_policy_fops },
	{ "env", 0600, &abac_env_fops },
	{ "guard", 0200, &abac_guard_fops },
	{ "state", 0600, &abac_state_fops },
	{ "status", 0444, &abac_status_fops },
	{ "rule_hits", 0444, &abac_rule_hits_fops },
	{ "events", 0600, &abac_events_fops },
	{ "event_cfg", 0200, &abac_event_cfg_fops },
	{ "lost", 0400, &abac_lost_fops },
};

/**
 * abac_fs_init() - create /sys/kernel/security/abac and its files.
 *
 * Return: 0, or the negative errno of the first file that failed.
 */
static int __init abac_fs_init(void)
{
	struct dentry *dir, *f;
	size_t i;

	if (!abac_enabled)
		return 0;
	dir = securityfs_create_dir("abac", NULL);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	for (i = 0; i < ARRAY_SIZE(abac_fs_files); i++) {
		f = securityfs_create_file(abac_fs_files[i].name,
					   abac_fs_files[i].mode, dir, NULL,
					   abac_fs_files[i].fops);
		if (IS_ERR(f))
			goto fail;
	}
	return 0;

fail:
	securityfs_recursive_remove(dir);
	pr_err("cannot create securityfs file %s: %ld\n",
	       abac_fs_files[i].name, PTR_ERR(f));
	return PTR_ERR(f);
}
fs_initcall(abac_fs_init);
