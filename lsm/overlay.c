// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: overlayfs' own work.
 *
 * A write to a file of an overlay's lower layer copies it into the upper
 * layer first.  abac decides the write on the overlay file, whose label
 * is the lower file's, with the task's own credentials, before anything
 * is copied.  overlayfs then creates the copy, copies the content and
 * every xattr (the labels among them) and renames it into place on its
 * mounter's credentials (ovl_override_creds()), or on credentials an LSM
 * prepared for the copy (security_inode_copy_up()).  That is not the
 * subject's act: deciding it would refuse the copy-up (copying a label
 * is a relabel, and the guard withholds what overlayfs needs), and the
 * copy keeps the label, so the upper file is guarded as the lower one
 * was.
 *
 * Before anything else a copy-up stats the lower file through the
 * private mount of the layer that the overlay cloned at mount time (its
 * namespace is MNT_NS_INTERNAL; only overlayfs clones private mounts in
 * 6.12), on the overlay's private copy of its mounter's credentials; and
 * inode_copy_up, which overlayfs alone calls, names the credentials the
 * copy itself is made with.  The task notes those credentials with a
 * reference, so that the object can neither go nor be allocated again
 * while noted; abac_ctx_get() leaves a task running on exactly those
 * credentials undecided.  No system call of the subject runs on them: a
 * task's own overridden credentials (an io_uring personality) stat
 * through no private mount, and the kernel's own internal mounts (pipes,
 * sockets) are flagged MNT_INTERNAL, which a private clone is not.
 *
 * The mount's namespace is in struct mount, which fs/mount.h keeps to
 * the VFS: it is read here as the BPF programs read it (bpf/overlay.h).
 */
#include "abac.h"

#include <linux/cred.h>
#include <linux/mount.h>
#include <linux/sched.h>

#include "abac_blobs.h"
#include "mount.h"	/* fs/mount.h (Kbuild): real_mount(), MNT_NS_INTERNAL */

/* Keep @cred in @slot: the reference moves from the old one to it. */
static void abac_overlay_note(const struct cred **slot, const struct cred *cred)
{
	const struct cred *old = *slot;

	if (old == cred)
		return;
	*slot = get_cred(cred);
	if (old)
		put_cred(old);
}

/*
 * inode_getattr: a stat on borrowed credentials through a private mount
 * is overlayfs looking at a layer, first of all when it copies up.
 */
static int abac_inode_getattr(const struct path *path)
{
	const struct cred *cred = current_cred();

	if (likely(cred == current_real_cred()))
		return 0;
	if (path->mnt->mnt_flags & MNT_INTERNAL ||
	    READ_ONCE(real_mount(path->mnt)->mnt_ns) != MNT_NS_INTERNAL)
		return 0;
	abac_overlay_note(&abac_task(current)->ovl_cred, cred);
	return 0;
}

/*
 * inode_copy_up: overlayfs is about to copy @src up on the credentials in
 * force (its own); the copy's own credentials are those in @new, made
 * here when no LSM made them, so that they are known too.
 */
static int abac_inode_copy_up(struct dentry *src, struct cred **new)
{
	struct abac_task *t = abac_task(current);
	const struct cred *cred = current_cred();

	if (cred == current_real_cred())
		return 0;	/* not an overlay's credentials */
	if (!*new) {
		*new = prepare_creds();
		if (!*new)
			return -ENOMEM;
	}
	abac_overlay_note(&t->ovl_cred, cred);
	abac_overlay_note(&t->ovl_cu_cred, *new);
	return 0;
}

/* task_free: the noted credentials go. */
static void abac_overlay_free(struct task_struct *task)
{
	struct abac_task *t = abac_task(task);

	if (t->ovl_cred)
		put_cred(t->ovl_cred);
	if (t->ovl_cu_cred)
		put_cred(t->ovl_cu_cred);
	t->ovl_cred = NULL;
	t->ovl_cu_cred = NULL;
}

/**
 * abac_overlay_cred() - are @cred, current's credentials but not its
 * own, those an overlay copies up with (abac_overlay_work())?
 * @cred: current's effective credentials.
 *
 * Return: true when the caller's decision is not the subject's to take.
 */
bool abac_overlay_cred(const struct cred *cred)
{
	const struct abac_task *t = abac_task(current);

	return cred == t->ovl_cred || cred == t->ovl_cu_cred;
}

static struct security_hook_list abac_overlay_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(inode_getattr, abac_inode_getattr),
	LSM_HOOK_INIT(inode_copy_up, abac_inode_copy_up),
	LSM_HOOK_INIT(task_free, abac_overlay_free),
};

/**
 * abac_add_overlay_hooks() - register the hooks that know overlayfs' work.
 */
void __init abac_add_overlay_hooks(void)
{
	security_add_hooks(abac_overlay_hooks, ARRAY_SIZE(abac_overlay_hooks),
			   &abac_lsmid);
}
