// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: the file_open hook.
 *
 * For each open: the image in force (none: allow), the task's tags (an
 * untagged task: allow, without reading any label), the file's user.abac
 * label (none: allow), then read and/or write decided from the open mode.
 * A label that cannot be trusted (malformed, unknown to the policy, too
 * long, unreadable) denies a tagged task: fail closed.  A denial is
 * reported (events.c) and returns -EACCES; audit mode reports and allows.
 */
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/lsm_hooks.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/xattr.h>

#include "abac.h"

/*
 * Read @file's label into @buf.  Returns its length, 0 when the file has
 * none (or its file system keeps no xattrs), or a negative errno when the
 * label cannot be read: too long (-ERANGE) or any other failure.
 */
static int abac_file_label(struct file *file, u8 *buf, size_t size)
{
	ssize_t len;

	len = __vfs_getxattr(file->f_path.dentry, file_inode(file),
			     ABAC_LABEL_XATTR, buf, size);
	if (len == -ENODATA || len == -EOPNOTSUPP)
		return 0;
	if (len == 0)		/* an empty label is malformed */
		return -EINVAL;
	return (int)len;
}

/* Fill and report the record of one refusal (or audited refusal). */
static void abac_file_report(const struct abac_loaded *pol,
			     const struct abac_subject *subj,
			     struct file *file, u32 op,
			     const struct abac_decision *d, bool allowed)
{
	const struct abac_image_hdr *hdr = abac_loaded_hdr(pol);
	struct inode *inode = file_inode(file);
	struct abac_event *e;
	char *p;

	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e) {
		atomic64_inc(&abac_stats.events_lost);
		return;
	}
	e->boot_ns = ktime_get_boottime_ns();
	e->cgroup_id = subj->cgroup_id;
	e->subj_cgroup_id = subj->tagged_id;
	e->ino = inode->i_ino;
	e->dev = inode->i_sb->s_dev;
	e->pid = current->tgid;
	e->tid = current->pid;
	e->uid = from_kuid(&init_user_ns, current_uid());
	e->gid = from_kgid(&init_user_ns, current_gid());
	e->generation = hdr->generation;
	e->content_hash = hdr->content_hash;
	e->rule = d->rule;
	e->op = op;
	e->allowed = allowed;
	e->effect = d->effect;
	e->mode = hdr->mode;
	e->reason = d->reason;
	e->errno_val = allowed ? 0 : EACCES;
	get_task_comm(e->comm, current);
	p = d_path(&file->f_path, e->path, sizeof(e->path));
	if (IS_ERR(p))
		e->path[0] = '\0';
	else
		memmove(e->path, p, strlen(p) + 1);
	abac_event_report(pol, e);
	kfree(e);
}

/**
 * abac_file_open() - decide read and write on open, from the open mode.
 * @file: the file being opened.
 *
 * Return: 0 to allow; -EACCES when the policy in force refuses a tagged
 * task an operation on a labelled file.
 */
static int abac_file_open(struct file *file)
{
	struct abac_subject subj;
	struct abac_decision d;
	struct abac_loaded *pol;
	u8 label[ABAC_LABEL_MAX];
	u32 ops = 0, op;
	bool audit;
	int len, ret = 0;

	pol = abac_policy_get();
	if (!pol)
		return 0;
	if (!abac_core_subject(pol, &subj))
		goto out;
	if (file->f_mode & FMODE_READ)
		ops |= 1U << ABAC_OP_READ;
	if (file->f_mode & FMODE_WRITE)
		ops |= 1U << ABAC_OP_WRITE;
	if (!ops)
		goto out;
	len = abac_file_label(file, label, sizeof(label));
	if (!len)
		goto out;
	if (len < 0) {
		d.effect = ABAC_DENY;
		d.reason = ABAC_REASON_BAD_LABEL;
		d.rule = ABAC_RULE_NONE;
		op = (ops & (1U << ABAC_OP_READ)) ? ABAC_OP_READ : ABAC_OP_WRITE;
	} else {
		op = abac_core_decide(pol, subj.attrs, label, len, ops, &d);
	}
	atomic64_inc(&abac_stats.decisions);
	if (d.reason == ABAC_REASON_BAD_LABEL)
		atomic64_inc(&abac_stats.bad_labels);
	if (d.effect == ABAC_ALLOW)
		goto out;
	audit = abac_loaded_hdr(pol)->mode == ABAC_MODE_AUDIT;
	atomic64_inc(audit ? &abac_stats.audited : &abac_stats.denied);
	abac_file_report(pol, &subj, file, op, &d, audit);
	if (!audit)
		ret = -EACCES;
out:
	abac_policy_put(pol);
	return ret;
}

static struct security_hook_list abac_file_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(file_open, abac_file_open),
};

/**
 * abac_add_file_hooks() - register the file hooks.
 */
void __init abac_add_file_hooks(void)
{
	security_add_hooks(abac_file_hooks, ARRAY_SIZE(abac_file_hooks),
			   &abac_lsmid);
}
