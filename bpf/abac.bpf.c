// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac's BPF-LSM programs.  The maps live in maps.h, the shared plumbing in
 * common.h, where an object's label comes from in labels.h, how a hook's
 * object reaches the decision in objects.h, the decision in
 * lsm/abac_decide.h.  The file and directory hooks are here, the memory
 * hooks (mappings, exec-only programs) in memory.h, the socket hooks in
 * net.h and sctp.h; each only turns a kernel event into operations on
 * objects with labels.  Documentation/enforcement.rst goes through them
 * hook by hook.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "abac_iter.h"
#include "abac_abi.h"
#include "abac_hash.h"
#include "abac_decide.h"
#include "maps.h"
#include "common.h"
#include "labels.h"
#include "objects.h"
#include "memory.h"
#include "net.h"
#include "sctp.h"
#include "overlay.h"

char LICENSE[] SEC("license") = "GPL";

/*
 * Is the xattr @name (kernel memory) the label's, exactly user.abac?  The
 * buffer has room for one byte more than the name and its NUL: a longer
 * name (user.abacX) reads as many bytes as fit and is told apart by its
 * length, where a buffer of the name's own size would cut it to
 * "user.abac" and take it for the label.
 */
static __always_inline int abac_is_label_xattr(const char *name)
{
	static const char want[] = ABAC_LABEL_XATTR;
	char buf[sizeof(want) + 1];
	int i;

	if (bpf_probe_read_kernel_str(buf, sizeof(buf), name) !=
	    sizeof(want))
		return 0;
	for (i = 0; i < (int)sizeof(want); i++) {
		if (buf[i] != want[i])
			return 0;
	}
	return 1;
}

/*
 * Copy an xattr value being set (@size bytes of kernel memory, hook
 * argument @arg) into @buf; its length, or -EINVAL for an empty or
 * oversized one (a bad label).  The verifier refuses a direct read of a
 * "const void *" hook argument, so it comes through bpf_get_func_arg().
 */
static __always_inline int abac_copy_label(void *ctx, __u32 arg, __u8 *buf,
					   size_t size)
{
	__u64 value = 0;
	__u32 n = size;

	if (size == 0 || size > ABAC_LABEL_MAX)
		return -EINVAL;
	if (bpf_get_func_arg(ctx, arg, &value) || !value)
		return -EINVAL;
	abac_barrier_var(n);
	if (n == 0 || n > ABAC_LABEL_MAX)
		return -EINVAL;
	if (bpf_probe_read_kernel(buf, n, (const void *)value))
		return -EINVAL;
	return n;
}

/**
 * hook_file_open() - decide read and write on open, from the open mode,
 * for files and directories alike; exec's own open is left to
 * bprm_check_security.  It also fills the label cache for
 * every process, so that later reads and writes, and hooks that cannot
 * read xattrs, find the label.  The core file of a process running an
 * exec-only program is refused (exec_only_dumping(), memory.h).
 */
SEC("lsm.s/file_open")
int BPF_PROG(hook_file_open, struct file *file, int ret)
{
	struct abac_subject_ctx sc = {};
	struct abac_olabel *own;
	struct abac_scratch *scr;
	struct abac_icache *ic;
	struct abac_image img;
	unsigned int fmode;
	int tagged, err;
	__u64 epoch;

	if (ret)
		return ret;
	if (exec_only_dumping())
		return -EACCES;
	if (!abac_image_get(&img))
		return 0;
	tagged = abac_subject_get(&img, &sc);
	epoch = abac_epoch_now();
	ic = abac_icache(file->f_inode, 1);
	own = ic ? &ic->lab : NULL;
	if (!own || own->state == ABAC_OL_UNKNOWN) {
		/* scratch only when the xattr must be read */
		scr = abac_scratch_get();
		if (!scr)
			return tagged ? -ENOMEM : 0;	/* tagged: fail closed */
		own = abac_label_of_file(file, scr);
	}
	if (!tagged)
		return 0;
	if (!own)
		return -ENOMEM;
	fmode = file->f_mode;
	if (file->f_flags & __FMODE_EXEC)
		return 0;	/* exec's own open: bprm_check decides exec */
	if (fmode & FMODE_READ) {
		err = check_file(&img, &sc, file, own, ic, epoch,
				 ABAC_OP_READ);
		if (err)
			return err;
	}
	if (fmode & FMODE_WRITE)
		return check_file(&img, &sc, file, own, ic, epoch,
				  ABAC_OP_WRITE);
	return 0;
}

/**
 * hook_file_permission() - decide again at each read and write of an open
 * file, so that a policy, tag or label change applies to files already
 * open.  Not sleepable: the label comes from the cache file_open filled;
 * the decision usually from the AVC.
 */
SEC("lsm/file_permission")
int BPF_PROG(hook_file_permission, struct file *file, int mask, int ret)
{
	struct abac_subject_ctx sc = {};
	struct abac_olabel *own;
	struct abac_icache *ic;
	struct abac_image img;
	__u64 epoch;
	int err;

	if (ret)
		return ret;
	if (!(mask & (MAY_READ | MAY_WRITE | MAY_APPEND)))
		return 0;
	if (file->f_flags & __FMODE_EXEC)
		return 0;	/* the kernel loading an executable: exec */
	if (!abac_enter(&img, &sc))
		return 0;
	epoch = abac_epoch_now();
	ic = abac_icache(file->f_inode, 0);
	own = ic ? &ic->lab : NULL;
	if (!own || own->state == ABAC_OL_UNKNOWN)
		return 0;	/* opened before abac was loaded */
	if (mask & MAY_READ) {
		err = check_file(&img, &sc, file, own, ic, epoch,
				 ABAC_OP_READ);
		if (err)
			return err;
	}
	if (mask & (MAY_WRITE | MAY_APPEND))
		return check_file(&img, &sc, file, own, ic, epoch,
				  ABAC_OP_WRITE);
	return 0;
}

/**
 * hook_bprm_check() - decide exec; the object is the executable (and,
 * for a script, its interpreter: the hook runs for each).  An exec-only
 * program is noted for bprm_committed_creds, and not run under a tracer
 * (exec_decide(), memory.h).
 */
SEC("lsm.s/bprm_check_security")
int BPF_PROG(hook_bprm_check, struct linux_binprm *bprm, int ret)
{
	struct abac_subject_ctx sc = {};
	struct file *file = bprm->file;
	struct abac_obj obj = {};
	struct abac_olabel *own;
	struct abac_scratch *scr;
	struct abac_image img;
	__u64 epoch;

	if (ret)
		return ret;
	scr = bpf_task_storage_get(&abac_scratch, bpf_get_current_task_btf(),
				   NULL, 0);
	if (scr)
		scr->exec.unreadable = 0;	/* an earlier exec's note */
	if (!abac_enter(&img, &sc))
		return 0;
	scr = abac_scratch_get();
	if (!scr)
		return -ENOMEM;
	epoch = abac_epoch_now();
	own = abac_label_of_file(file, scr);
	if (!own)
		return -ENOMEM;
	if (!file_obj(&obj, file, own, abac_icache(file->f_inode, 0), epoch))
		return 0;
	return exec_decide(&img, &sc, &obj, scr);
}

/* create in @dir, for the hooks that add an entry. */
static __always_inline int create_in(struct inode *dir, struct dentry *dentry)
{
	struct abac_subject_ctx sc = {};
	struct abac_image img;

	if (!abac_enter(&img, &sc))
		return 0;
	return check_dir(&img, &sc, dir, dentry, ABAC_OP_CREATE);
}

SEC("lsm.s/inode_create")
int BPF_PROG(hook_inode_create, struct inode *dir, struct dentry *dentry,
	     umode_t mode, int ret)
{
	return ret ? ret : create_in(dir, dentry);
}

SEC("lsm/inode_mkdir")
int BPF_PROG(hook_inode_mkdir, struct inode *dir, struct dentry *dentry,
	     umode_t mode, int ret)
{
	return ret ? ret : create_in(dir, dentry);
}

/*
 * mknod, and the bind of a Unix socket to a path, which makes the socket
 * file with vfs_mknod(S_IFSOCK): create on the directory and, for a
 * socket, bind on the label its file will inherit, when the policy has
 * rules for bind (as for networks).
 */
SEC("lsm.s/inode_mknod")
int BPF_PROG(hook_inode_mknod, struct inode *dir, struct dentry *dentry,
	     umode_t mode, dev_t dev, int ret)
{
	struct abac_subject_ctx sc = {};
	struct abac_image img;
	int err;

	if (ret)
		return ret;
	if (!abac_enter(&img, &sc))
		return 0;
	err = check_dir(&img, &sc, dir, dentry, ABAC_OP_CREATE);
	if (err || (mode & S_IFMT) != S_IFSOCK ||
	    !policy_names(&img, ABAC_OP_BIND))
		return err;
	return check_dir(&img, &sc, dir, dentry, ABAC_OP_BIND);
}

SEC("lsm.s/inode_symlink")
int BPF_PROG(hook_inode_symlink, struct inode *dir, struct dentry *dentry,
	     const char *old_name, int ret)
{
	return ret ? ret : create_in(dir, dentry);
}

/**
 * hook_inode_link() - a hard link is a create in the target directory
 * and a create on the linked object itself (it gains a name).  Not
 * sleepable: the object's own label comes from the cache.
 */
SEC("lsm/inode_link")
int BPF_PROG(hook_inode_link, struct dentry *old_dentry, struct inode *dir,
	     struct dentry *new_dentry, int ret)
{
	struct abac_subject_ctx sc = {};
	struct abac_olabel *own;
	struct abac_image img;
	__u64 epoch;
	int err;

	if (ret)
		return ret;
	if (!abac_enter(&img, &sc))
		return 0;
	err = check_dir(&img, &sc, dir, new_dentry, ABAC_OP_CREATE);
	if (err)
		return err;
	epoch = abac_epoch_now();
	own = old_dentry->d_inode ?
	      abac_label_cache(old_dentry->d_inode, 0) : NULL;
	return check_entry(&img, &sc, old_dentry, own, epoch, ABAC_OP_CREATE);
}

/* delete: the directory loses an entry, the entry loses a name. */
static __always_inline int delete_from(struct inode *dir,
				       struct dentry *dentry)
{
	struct abac_subject_ctx sc = {};
	struct abac_image img;
	int err;

	if (!abac_enter(&img, &sc))
		return 0;
	err = check_dir(&img, &sc, dir, dentry, ABAC_OP_DELETE);
	if (err)
		return err;
	return check_entry_load(&img, &sc, dentry, ABAC_OP_DELETE);
}

SEC("lsm.s/inode_unlink")
int BPF_PROG(hook_inode_unlink, struct inode *dir, struct dentry *dentry,
	     int ret)
{
	return ret ? ret : delete_from(dir, dentry);
}

SEC("lsm.s/inode_rmdir")
int BPF_PROG(hook_inode_rmdir, struct inode *dir, struct dentry *dentry,
	     int ret)
{
	return ret ? ret : delete_from(dir, dentry);
}

/**
 * hook_inode_rename() - a rename deletes from the old directory and
 * creates in the new one; an entry it replaces is deleted.  For
 * RENAME_EXCHANGE the kernel calls the hook twice, once each way.
 */
SEC("lsm.s/inode_rename")
int BPF_PROG(hook_inode_rename, struct inode *old_dir,
	     struct dentry *old_dentry, struct inode *new_dir,
	     struct dentry *new_dentry, int ret)
{
	struct abac_subject_ctx sc = {};
	struct abac_image img;
	int err;

	if (ret)
		return ret;
	if (!abac_enter(&img, &sc))
		return 0;
	err = check_dir(&img, &sc, old_dir, old_dentry, ABAC_OP_DELETE);
	if (!err)
		err = check_entry_load(&img, &sc, old_dentry, ABAC_OP_DELETE);
	if (!err)
		err = check_dir(&img, &sc, new_dir, new_dentry,
				ABAC_OP_CREATE);
	if (!err && new_dentry->d_inode)
		err = check_entry_load(&img, &sc, new_dentry, ABAC_OP_DELETE);
	return err;
}

/**
 * hook_inode_setxattr() - setting user.abac is relabel: on the object's
 * label now (own or inherited) and on the label it would get.  Setting any
 * other xattr (user.*, security.*, trusted.*) changes the object: write.
 */
SEC("lsm.s/inode_setxattr")
int BPF_PROG(hook_inode_setxattr, struct mnt_idmap *idmap,
	     struct dentry *dentry, const char *name, const void *value,
	     size_t size, int flags, int ret)
{
	struct abac_subject_ctx sc = {};
	struct abac_scratch *scr;
	struct abac_obj obj = {};
	struct abac_image img;
	struct inode *inode;
	int err, len;

	if (ret)
		return ret;
	if (!abac_enter(&img, &sc))
		return 0;
	if (!abac_is_label_xattr(name))
		return check_entry_load(&img, &sc, dentry, ABAC_OP_WRITE);
	err = check_entry_load(&img, &sc, dentry, ABAC_OP_RELABEL);
	if (err)
		return err;
	scr = abac_scratch_get();
	inode = dentry->d_inode;
	if (!scr || !inode)
		return -ENOMEM;
	/* the new label, decided but never cached: it is not in force */
	len = abac_copy_label(ctx, 3, scr->label, size);
	abac_olabel_set(&scr->olab2, scr, len);
	abac_olabel_place(&scr->olab2, inode);
	obj.lab = &scr->olab2;
	obj.dentry = dentry;
	obj.nocache = 1;
	abac_obj_id(&obj, inode);
	return abac_check(&img, &sc, &obj, ABAC_OP_RELABEL);
}

/**
 * hook_inode_post_setxattr() - keep the label cache, abac_dirs and the
 * label epoch in step with a new user.abac value, for every process.
 */
SEC("lsm.s/inode_post_setxattr")
int BPF_PROG(hook_inode_post_setxattr, struct dentry *dentry,
	     const char *name, const void *value, size_t size, int flags)
{
	struct inode *inode = dentry->d_inode;
	struct abac_scratch *scr;
	struct abac_olabel *ol;
	int len;

	if (!inode || !abac_is_label_xattr(name))
		return 0;
	scr = abac_scratch_get();
	ol = abac_label_cache(inode, 1);
	if (scr && ol) {
		len = abac_copy_label(ctx, 2, scr->label, size);
		ol->igen = inode->i_generation;
		abac_olabel_place(ol, inode);
		abac_olabel_set(ol, scr, len);
		if (abac_is_dir(inode))
			abac_dir_note(inode, ol);
	} else if (ol) {
		ol->state = ABAC_OL_UNKNOWN;	/* read it again at open */
	}
	abac_epoch_bump();
	return 0;
}

/**
 * hook_inode_removexattr() - removing user.abac is relabel on the current
 * label; removing any other xattr is write.  Not sleepable: the label
 * comes from the cache (check_entry_cached()).
 */
SEC("lsm/inode_removexattr")
int BPF_PROG(hook_inode_removexattr, struct mnt_idmap *idmap,
	     struct dentry *dentry, const char *name, int ret)
{
	struct abac_subject_ctx sc = {};
	struct abac_olabel *own;
	struct abac_image img;
	struct inode *inode;

	if (ret)
		return ret;
	if (!abac_enter(&img, &sc))
		return 0;
	if (!abac_is_label_xattr(name))
		return check_entry_cached(&img, &sc, dentry, ABAC_OP_WRITE);
	inode = dentry->d_inode;
	if (!inode)
		return 0;
	own = abac_label_cache(inode, 0);
	if (own && own->state == ABAC_OL_NONE)
		return 0;	/* nothing to remove: the kernel says ENODATA */
	return check_entry_cached(&img, &sc, dentry, ABAC_OP_RELABEL);
}

/**
 * hook_inode_post_removexattr() - the object has no label of its own any
 * more: it inherits again.
 */
SEC("lsm/inode_post_removexattr")
int BPF_PROG(hook_inode_post_removexattr, struct dentry *dentry,
	     const char *name)
{
	struct inode *inode = dentry->d_inode;
	struct abac_olabel *ol;

	if (!inode || !abac_is_label_xattr(name))
		return 0;
	ol = abac_label_cache(inode, 1);
	if (ol) {
		ol->state = ABAC_OL_NONE;
		ol->pairs.n = 0;
		ol->id = abac_olabel_id(ol);
		if (abac_is_dir(inode))
			abac_dir_note(inode, ol);
	}
	abac_epoch_bump();
	return 0;
}

/* ---- writes that are not opens for writing ------------------------------ */

/*
 * A truncation, a change of mode, owner, times or size, or of an ACL
 * changes the object as a write to it does, whatever the descriptor (or
 * none) it comes through: each is decided as write on the object's label.
 */

/**
 * hook_inode_setattr() - every notify_change(): truncate(2), ftruncate,
 * O_TRUNC (even on an open for reading), chmod, chown, utimes.  The one
 * hook all of them pass.  (path_truncate would name the whole path in the
 * event, but 6.12 does not trust the dentry of its struct path: no label
 * can be read from there.)
 */
SEC("lsm.s/inode_setattr")
int BPF_PROG(hook_inode_setattr, struct mnt_idmap *idmap,
	     struct dentry *dentry, struct iattr *attr, int ret)
{
	struct abac_subject_ctx sc = {};
	struct abac_image img;

	if (ret)
		return ret;
	if (!abac_enter(&img, &sc))
		return 0;
	return check_entry_load(&img, &sc, dentry, ABAC_OP_WRITE);
}

/**
 * hook_file_truncate() - ftruncate(2) and O_TRUNC: write on the open
 * file, whatever its open mode.  Not sleepable: the label comes from the
 * cache file_open filled (inode_setattr follows and decides in any case).
 */
SEC("lsm/file_truncate")
int BPF_PROG(hook_file_truncate, struct file *file, int ret)
{
	struct abac_subject_ctx sc = {};
	struct abac_icache *ic;
	struct abac_image img;

	if (ret)
		return ret;
	if (!abac_enter(&img, &sc))
		return 0;
	ic = abac_icache(file->f_inode, 0);
	if (!ic || ic->lab.state == ABAC_OL_UNKNOWN)
		return 0;	/* inode_setattr reads the label */
	return check_file(&img, &sc, file, &ic->lab, ic, abac_epoch_now(),
			  ABAC_OP_WRITE);
}

/* A POSIX ACL set or removed: write (check_entry_cached()). */
static __always_inline int acl_change(struct dentry *dentry)
{
	struct abac_subject_ctx sc = {};
	struct abac_image img;

	if (!abac_enter(&img, &sc))
		return 0;
	return check_entry_cached(&img, &sc, dentry, ABAC_OP_WRITE);
}

SEC("lsm/inode_set_acl")
int BPF_PROG(hook_inode_set_acl, struct mnt_idmap *idmap,
	     struct dentry *dentry, const char *acl_name,
	     struct posix_acl *kacl, int ret)
{
	return ret ? ret : acl_change(dentry);
}

SEC("lsm/inode_remove_acl")
int BPF_PROG(hook_inode_remove_acl, struct mnt_idmap *idmap,
	     struct dentry *dentry, const char *acl_name, int ret)
{
	return ret ? ret : acl_change(dentry);
}

/**
 * hook_inode_getattr() - note the credentials overlayfs works on its
 * layers with (overlay.h).
 */
SEC("lsm/inode_getattr")
int BPF_PROG(hook_inode_getattr, const struct path *path, int ret)
{
	return ret ? ret : abac_note_overlay_creds(path);
}
