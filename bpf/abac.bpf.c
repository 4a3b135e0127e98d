// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac's BPF-LSM programs.  The maps live in maps.h, the shared plumbing in
 * common.h, where an object's label comes from in labels.h, the decision
 * in lsm/abac_decide.h; the hooks here only turn a kernel event into
 * operations on objects with labels.  Documentation/enforcement.rst goes
 * through them hook by hook.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "abac_iter.h"
#include "abac_abi.h"
#include "abac_decide.h"
#include "maps.h"
#include "common.h"
#include "labels.h"

char LICENSE[] SEC("license") = "GPL";

/* The caller as the policy sees it; 0 when nothing is to be decided. */
static __always_inline int abac_enter(struct abac_image *img,
				      struct abac_subject_ctx *sc)
{
	return abac_image_get(img) && abac_subject_get(img, sc);
}

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

/*
 * Decide @op on an open file: the object is its inode, with its own label
 * or the inherited one.  @own is its cached own label, @ic its inode's
 * storage (NULL: none).
 */
static __always_inline int check_file(const struct abac_image *img,
				      const struct abac_subject_ctx *sc,
				      struct file *file,
				      const struct abac_olabel *own,
				      struct abac_icache *ic,
				      __u64 epoch, __u32 op)
{
	struct abac_obj obj = {};

	obj.lab = abac_label_applies(own, file->f_path.dentry);
	if (!obj.lab)
		return 0;	/* unlabelled: not decided */
	obj.avc = ic ? ic->avc : NULL;
	obj.file = file;
	obj.epoch = epoch;
	abac_obj_id(&obj, file->f_inode);
	return abac_check(img, sc, &obj, op);
}

/*
 * Decide @op on directory @dir for its entry @dentry (create, delete).
 * The directory's label is its own when the cache knows it, else the one
 * abac_dirs holds for it or for its nearest labelled ancestor.
 */
static __always_inline int check_dir(const struct abac_image *img,
				     const struct abac_subject_ctx *sc,
				     struct inode *dir, struct dentry *dentry,
				     __u32 op)
{
	struct abac_icache *ic = abac_icache(dir, 1);
	const struct abac_olabel *own = ic ? &ic->lab : NULL;
	struct abac_obj obj = {};

	obj.avc = ic ? ic->avc : NULL;
	obj.epoch = abac_epoch_now();
	if (own && (own->state == ABAC_OL_OWN || own->state == ABAC_OL_BAD))
		obj.lab = own;
	else
		obj.lab = abac_label_inherited(dentry->d_parent);
	if (!obj.lab)
		return 0;
	obj.dentry = dentry;
	abac_obj_id(&obj, dir);
	return abac_check(img, sc, &obj, op);
}

/*
 * Fill @obj for the entry @dentry itself, whose own label is @own: its
 * own label, else the inherited one.  False when it has neither (not
 * decided).
 */
static __always_inline bool entry_obj(struct abac_obj *obj,
				      struct dentry *dentry,
				      const struct abac_olabel *own,
				      __u64 epoch)
{
	struct inode *inode = dentry->d_inode;
	struct abac_icache *ic;

	if (!inode)
		return false;
	obj->lab = abac_label_applies(own, dentry);
	if (!obj->lab)
		return false;
	ic = abac_icache(inode, 1);
	obj->avc = ic ? ic->avc : NULL;
	obj->dentry = dentry;
	obj->epoch = epoch;
	abac_obj_id(obj, inode);
	return true;
}

/*
 * Decide @op on the entry @dentry itself (delete, link, relabel, write
 * of its metadata): its own label @own, else the inherited one.
 */
static __always_inline int check_entry(const struct abac_image *img,
				       const struct abac_subject_ctx *sc,
				       struct dentry *dentry,
				       const struct abac_olabel *own,
				       __u64 epoch, __u32 op)
{
	struct abac_obj obj = {};

	if (!entry_obj(&obj, dentry, own, epoch))
		return 0;
	return abac_check(img, sc, &obj, op);
}

/* Sleepable: check_entry() after reading the entry's own label. */
static __always_inline int check_entry_load(const struct abac_image *img,
					    const struct abac_subject_ctx *sc,
					    struct dentry *dentry, __u32 op)
{
	struct abac_scratch *scr = abac_scratch_get();
	const struct abac_olabel *own;
	__u64 epoch = abac_epoch_now();

	if (!scr)
		return -ENOMEM;	/* a tagged subject: fail closed */
	own = abac_label_of_dentry(dentry, scr);
	return check_entry(img, sc, dentry, own, epoch, op);
}

/*
 * Non-sleepable hooks: check_entry() from what the label cache knows.
 * An own label the cache has not read yet (the object was not opened
 * since abac was loaded) may exist and cannot be read here: a tagged
 * subject is refused (fail closed, reason bad-label, never cached) rather
 * than decided on a label that may not be the object's.
 */
static __always_inline int check_entry_cached(const struct abac_image *img,
					      const struct abac_subject_ctx *sc,
					      struct dentry *dentry, __u32 op)
{
	static const struct abac_olabel unknown = { .state = ABAC_OL_BAD };
	struct inode *inode = dentry->d_inode;
	struct abac_obj obj = {};
	struct abac_icache *ic;

	if (!inode)
		return 0;
	obj.epoch = abac_epoch_now();
	ic = abac_icache(inode, 0);
	if (ic && ic->lab.state != ABAC_OL_UNKNOWN)
		return check_entry(img, sc, dentry, &ic->lab, obj.epoch, op);
	obj.lab = &unknown;
	obj.nocache = 1;
	obj.dentry = dentry;
	abac_obj_id(&obj, inode);
	return abac_check(img, sc, &obj, op);
}

/**
 * hook_file_open() - decide read and write on open, from the open mode,
 * for files and directories alike; exec's own open is left to
 * bprm_check_security.  It also fills the label cache for
 * every process, so that later reads and writes, and hooks that cannot
 * read xattrs, find the label.
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
 * for a script, its interpreter: the hook runs for each).
 */
SEC("lsm.s/bprm_check_security")
int BPF_PROG(hook_bprm_check, struct linux_binprm *bprm, int ret)
{
	struct abac_subject_ctx sc = {};
	struct file *file = bprm->file;
	struct abac_olabel *own;
	struct abac_scratch *scr;
	struct abac_image img;
	__u64 epoch;

	if (ret)
		return ret;
	if (!abac_enter(&img, &sc))
		return 0;
	scr = abac_scratch_get();
	if (!scr)
		return -ENOMEM;
	epoch = abac_epoch_now();
	own = abac_label_of_file(file, scr);
	if (!own)
		return -ENOMEM;
	return check_file(&img, &sc, file, own, abac_icache(file->f_inode, 0),
			  epoch, ABAC_OP_EXEC);
}

/*
 * Does some rule of the image name @op?  Sockets are decided only then,
 * so that a policy written for files leaves a tagged process's
 * networking alone.
 */
static __always_inline int policy_names(const struct abac_image *img, __u32 op)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	struct abac_op_span span;

	return hdr && abac_op_span_get(img, hdr, op, &span) && span.count;
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
	abac_olabel_set(&scr->olab2, scr->label, len);
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
		abac_olabel_set(ol, scr->label, len);
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

/* ---- sockets: connect, bind, listen ------------------------------------- */

#define AF_INET		2
#define AF_INET6	10
#define SOCK_STREAM	1
#define SOCK_DGRAM	2

/* A network object outside every network the policy names. */
static const struct abac_attrs abac_no_attrs = {};

/*
 * Is @op on a TCP or UDP socket to be decided for the caller?  Fills
 * @img and @sc when it is.  Only a policy with a rule for @op decides
 * it, so that a policy written for files leaves a tagged process's
 * networking alone.  Asked before the address is read: an untagged
 * caller pays for nothing else.
 */
static __always_inline int sock_enter(struct socket *sock, __u32 op,
				      struct abac_image *img,
				      struct abac_subject_ctx *sc)
{
	short type = sock->type;

	if (type != SOCK_STREAM && type != SOCK_DGRAM)
		return 0;
	return abac_enter(img, sc) && policy_names(img, op);
}

/*
 * Decide @op on the network object an address and port belong to.  The
 * object's attributes are those of the most specific network the policy
 * names (none: every condition on them is indeterminate).  The decision
 * is cached in the caller's cgroup entry, keyed by the network.
 */
static __always_inline int sock_decide(const struct abac_image *img,
				       const struct abac_subject_ctx *sc,
				       __u32 op, __u32 family,
				       const __u8 *addr, __u32 port)
{
	const struct abac_attrs *na;
	struct abac_obj obj = {};
	__u32 idx = 0;

	na = abac_net_find(img, family, addr, port, &idx);
	obj.attrs = na ? na : &abac_no_attrs;
	obj.attrs_id = ABAC_NET_ID | (na ? idx : 0xffffffffU);
	obj.avc = sc->cache ? sc->cache->avc : NULL;
	return abac_check(img, sc, &obj, op);
}

/*
 * The address and port of a sockaddr the caller gave.  Read through
 * helpers: the kernel types the argument as a 16-byte struct sockaddr,
 * too small for an IPv6 address.
 */
static __always_inline int sockaddr_read(struct sockaddr *address,
					 int addrlen, __u32 *family,
					 __u8 *addr, __u32 *port)
{
	__u16 fam = address->sa_family, p;

	__builtin_memset(addr, 0, 16);
	if (fam == AF_INET && addrlen >= (int)sizeof(struct sockaddr_in)) {
		struct sockaddr_in *in = (void *)address;

		bpf_probe_read_kernel(addr, 4, &in->sin_addr.s_addr);
		p = BPF_CORE_READ(in, sin_port);
		*family = 4;
	} else if (fam == AF_INET6 &&
		   addrlen >= (int)sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 *in6 = (void *)address;

		bpf_probe_read_kernel(addr, 16, &in6->sin6_addr);
		p = BPF_CORE_READ(in6, sin6_port);
		*family = 6;
	} else {
		return 0;	/* another family: not a network object */
	}
	*port = __builtin_bswap16(p);
	return 1;
}

/* connect and bind: the address the caller gave. */
static __always_inline int sock_addr_decide(struct socket *sock, __u32 op,
					    struct sockaddr *address,
					    int addrlen)
{
	struct abac_subject_ctx sc = {};
	struct abac_image img;
	__u32 family, port;
	__u8 addr[16];

	if (!sock_enter(sock, op, &img, &sc) ||
	    !sockaddr_read(address, addrlen, &family, addr, &port))
		return 0;
	return sock_decide(&img, &sc, op, family, addr, port);
}

SEC("lsm/socket_connect")
int BPF_PROG(hook_socket_connect, struct socket *sock,
	     struct sockaddr *address, int addrlen, int ret)
{
	return ret ? ret : sock_addr_decide(sock, ABAC_OP_CONNECT, address,
					    addrlen);
}

SEC("lsm/socket_bind")
int BPF_PROG(hook_socket_bind, struct socket *sock,
	     struct sockaddr *address, int addrlen, int ret)
{
	return ret ? ret : sock_addr_decide(sock, ABAC_OP_BIND, address,
					    addrlen);
}

/*
 * A Unix socket bound to a path is an object: its socket file.  Only
 * regular files and directories take user.* xattrs, so the file's label
 * is always the one it inherits from its nearest labelled directory
 * (abac_dirs).  An abstract or unbound socket has no file: not decided.
 * As for networks, a policy with no rule for @op does not decide it.
 */
static __always_inline int unix_decide(struct sock *sk, __u32 op)
{
	struct abac_subject_ctx sc = {};
	struct unix_sock *u;
	struct abac_image img;
	struct dentry *dentry;

	if (!sk || !abac_enter(&img, &sc) || !policy_names(&img, op))
		return 0;
	u = bpf_skc_to_unix_sock(sk);
	if (!u)
		return 0;
	dentry = u->path.dentry;
	if (!dentry)
		return 0;
	/* no label of its own: the inherited one, if any */
	return check_entry(&img, &sc, dentry, NULL, abac_epoch_now(), op);
}

/** hook_unix_stream_connect() - connect to a stream socket's file. */
SEC("lsm/unix_stream_connect")
int BPF_PROG(hook_unix_stream_connect, struct sock *sock, struct sock *other,
	     struct sock *newsk, int ret)
{
	if (ret)
		return ret;
	return unix_decide(other, ABAC_OP_CONNECT);
}

/*
 * hook_unix_may_send() - connect or send to a datagram socket's file:
 * the kernel asks at connect() and at each send to an address.
 */
SEC("lsm/unix_may_send")
int BPF_PROG(hook_unix_may_send, struct socket *sock, struct socket *other,
	     int ret)
{
	if (ret)
		return ret;
	return unix_decide(other->sk, ABAC_OP_CONNECT);
}

#define AF_UNIX		1

/* listen: the address the socket is bound to, or its socket file. */
SEC("lsm/socket_listen")
int BPF_PROG(hook_socket_listen, struct socket *sock, int backlog, int ret)
{
	struct abac_subject_ctx sc = {};
	struct sock *sk = sock->sk;
	struct abac_image img;
	__u8 addr[16] = {};
	__u32 family;
	__u16 fam;

	if (ret || !sk)
		return ret;
	fam = sk->__sk_common.skc_family;
	if (fam == AF_UNIX)
		return unix_decide(sk, ABAC_OP_LISTEN);
	if (!sock_enter(sock, ABAC_OP_LISTEN, &img, &sc))
		return 0;
	if (fam == AF_INET) {
		__u32 a = sk->__sk_common.skc_rcv_saddr;

		__builtin_memcpy(addr, &a, 4);
		family = 4;
	} else if (fam == AF_INET6) {
		BPF_CORE_READ_INTO(addr, sk, __sk_common.skc_v6_rcv_saddr);
		family = 6;
	} else {
		return 0;
	}
	return sock_decide(&img, &sc, ABAC_OP_LISTEN, family, addr,
			   sk->__sk_common.skc_num);
}
