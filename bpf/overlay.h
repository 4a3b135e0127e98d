/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * overlayfs' own work.  A write to a file of an overlay's lower layer
 * copies it into the upper layer first: overlayfs marks the upper
 * directory (a trusted.overlay.* xattr, which takes CAP_SYS_ADMIN),
 * creates the copy, copies the content and every xattr (user.abac among
 * them) and renames it into place, all on its mounter's credentials
 * (ovl_override_creds()).  abac decides the write on the overlay file,
 * whose label is the lower file's, before any of that, on the task's own
 * credentials; the copy keeps the label, so the upper file is guarded as
 * the lower one was.  What overlayfs then does on its layers is not the
 * subject's act, and deciding it would refuse the copy-up (the guard
 * withholds CAP_SYS_ADMIN, and copying the label is a relabel).
 *
 * So each object notes, per task, the credentials it has seen overlayfs
 * work on its layers with: before anything else a copy-up stats the
 * lower file, through the private mount of the layer that the overlay
 * cloned at mount time (its namespace is MNT_NS_INTERNAL; only overlayfs
 * clones private mounts in 6.12), on the
 * mounter's credentials.  abac_overlay_work() then leaves a task running
 * on exactly those credentials undecided.  That pointer is the overlay's
 * private copy of its mounter's credentials: no system call of the
 * subject runs on it, so the subject cannot borrow it.
 */
#ifndef _ABAC_BPF_OVERLAY_H
#define _ABAC_BPF_OVERLAY_H

#define ABAC_MNT_NS_INTERNAL	(-22L)	/* fs/mount.h: ERR_PTR(-EINVAL) */
#define ABAC_MNT_INTERNAL	0x4000	/* include/linux/mount.h */

static __always_inline int abac_note_overlay_creds(const struct path *path)
{
	struct task_struct *task = bpf_get_current_task_btf();
	const struct cred *cred = task->cred;
	struct mount *mnt;
	__u64 *cu;

	if (cred == task->real_cred)
		return 0;
	/*
	 * The kernel's own mounts (pipes, sockets, anonymous inodes) are
	 * internal too, but flagged MNT_INTERNAL, which clone_private_mount()
	 * drops; a subject could stat one of those on borrowed credentials
	 * (an io_uring personality).
	 */
	if (path->mnt->mnt_flags & ABAC_MNT_INTERNAL)
		return 0;
	mnt = (void *)((char *)path->mnt - bpf_core_field_offset(struct mount, mnt));
	if ((long)BPF_CORE_READ(mnt, mnt_ns) != ABAC_MNT_NS_INTERNAL)
		return 0;
	cu = bpf_task_storage_get(&abac_overlay_creds, task, 0,
				  BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (cu)
		*cu = (__u64)(unsigned long)cred;
	return 0;
}

#endif /* _ABAC_BPF_OVERLAY_H */
