/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * From a hook's object to a decision: the caller's subject, and the label
 * that applies to an open file, a directory an entry is made in or
 * removed from, or an entry itself, handed to abac_check().  Shared by
 * the file hooks (abac.bpf.c) and the socket hooks (net.h).
 */
#ifndef _ABAC_BPF_OBJECTS_H
#define _ABAC_BPF_OBJECTS_H

/* The caller as the policy sees it; 0 when nothing is to be decided. */
static __always_inline int abac_enter(struct abac_image *img,
				      struct abac_subject_ctx *sc)
{
	return abac_image_get(img) && abac_subject_get(img, sc);
}

/*
 * Fill @obj for an open file: its inode, with its own label @own (cached;
 * NULL or unknown: none) or the inherited one; @ic its inode's storage
 * (NULL: none).  False when it has neither label (not decided).
 */
static __always_inline bool file_obj(struct abac_obj *obj, struct file *file,
				     const struct abac_olabel *own,
				     struct abac_icache *ic, __u64 epoch)
{
	obj->lab = abac_label_applies(own, file->f_path.dentry);
	if (!obj->lab)
		return false;
	obj->avc = ic ? ic->avc : NULL;
	obj->file = file;
	obj->epoch = epoch;
	abac_obj_id(obj, file->f_inode);
	return true;
}

/* Decide @op on an open file (file_obj()); unlabelled: not decided. */
static __always_inline int check_file(const struct abac_image *img,
				      const struct abac_subject_ctx *sc,
				      struct file *file,
				      const struct abac_olabel *own,
				      struct abac_icache *ic,
				      __u64 epoch, __u32 op)
{
	struct abac_obj obj = {};

	if (!file_obj(&obj, file, own, ic, epoch))
		return 0;
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
	/* not const: see abac_no_attrs */
	static struct abac_olabel unknown = { .state = ABAC_OL_BAD };
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

#endif /* _ABAC_BPF_OBJECTS_H */
