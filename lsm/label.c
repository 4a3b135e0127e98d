// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: where an object's attributes come from.
 *
 * An inode's own label is the security.abac xattr, the native LSM's own
 * (only CAP_MAC_ADMIN outside every tagged cgroup may set or remove it,
 * guard.c), else user.abac, the label the BPF programs read too.  It is
 * read once (with __vfs_getxattr(), no permission check, as SELinux reads
 * its own), hashed into pairs and kept in the inode's blob; the post
 * setxattr and removexattr hooks read it again whenever either xattr
 * changes, whoever changes it, and bump the label epoch, which voids every
 * cached decision.
 *
 * An inode without a label of its own inherits the label of its nearest
 * labelled ancestor directory: the walk follows d_parent in the dentry
 * tree of the inode's own filesystem, up to ABAC_INHERIT_DEPTH levels, so
 * the same inode gets the same label through any path, link or bind
 * mount, and a filesystem mounted below a labelled directory does not
 * inherit from it (as bpf/labels.h).  Here the walk can read every
 * ancestor's xattr, so no table of labelled directories is needed.
 */
#include "abac.h"

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xattr.h>

#include "abac_blobs.h"

/* The id of a label: its state and its pairs, hashed (bpf/labels.h). */
static u64 abac_label_id(u8 state, const struct abac_label_pairs *p)
{
	u64 id = ABAC_FNV_OFFSET ^ state;
	u32 i;

	for (i = 0; i < p->n && i < ABAC_LABEL_PAIRS; i++)
		id = (id ^ abac_pair_hash(p->k[i], p->v[i])) * ABAC_FNV_PRIME;
	return id;
}

/* No label of its own. */
const struct abac_label abac_label_none = {
	.id = ABAC_FNV_OFFSET ^ ABAC_LABEL_NONE,
	.state = ABAC_LABEL_NONE,
};

/* A label that could not be read now: never cached, fails closed. */
const struct abac_label abac_label_bad = {
	.id = ABAC_FNV_OFFSET ^ ABAC_LABEL_BAD,
	.state = ABAC_LABEL_BAD,
};

/* The label epoch (abac_label_epoch()): bumped by every label change. */
atomic64_t abac_label_epoch_count = ATOMIC64_INIT(1);

/**
 * abac_is_label_xattr() - is @name one of the label's xattrs?
 * @name: an xattr name.
 *
 * Return: true for exactly "security.abac" and "user.abac", not for a
 * name that merely begins with one.
 */
bool abac_is_label_xattr(const char *name)
{
	return !strcmp(name, ABAC_NATIVE_XATTR) ||
	       !strcmp(name, ABAC_LABEL_XATTR);
}

static bool abac_label_is_static(const struct abac_label *lab)
{
	return lab == &abac_label_none || lab == &abac_label_bad;
}

static void abac_label_free_rcu(const struct abac_label *lab)
{
	if (lab && !abac_label_is_static(lab))
		kfree_rcu((struct abac_label *)lab, rcu);
}

/*
 * The label that reading an xattr gave (@len bytes at @buf, or a
 * negative errno), allocated; the static "none" when there is no such
 * xattr; the static "bad" (not to be cached) for a read that failed and
 * may work next time; NULL without memory.  Too long or malformed is a
 * label of its own, in state ABAC_LABEL_BAD: it fails closed until it
 * changes.
 */
static const struct abac_label *abac_label_make(const u8 *buf, ssize_t len,
						u8 xattr,
						const struct inode *inode)
{
	struct abac_label *lab;
	size_t n = len > 0 ? (size_t)len : 0;

	if (len == -ENODATA || len == -EOPNOTSUPP)
		return &abac_label_none;
	if (len < 0 && len != -ERANGE)
		return &abac_label_bad;
	lab = kzalloc(struct_size(lab, text, n + 1), GFP_KERNEL);
	if (!lab)
		return NULL;
	lab->xattr = xattr;
	lab->len = n;
	lab->ino = inode->i_ino;
	lab->dev = inode->i_sb->s_dev;
	memcpy(lab->text, buf, n);
	if (!n || abac_label_hash(buf, n, &lab->pairs)) {
		lab->state = ABAC_LABEL_BAD;
		lab->pairs.n = 0;
	} else {
		lab->state = ABAC_LABEL_OWN;
	}
	lab->id = abac_label_id(lab->state, &lab->pairs);
	return lab;
}

/*
 * Read the own label of @inode: security.abac when it has one (it wins),
 * else user.abac.  May sleep.
 */
static const struct abac_label *abac_label_read(struct dentry *dentry,
						struct inode *inode)
{
	const struct abac_label *lab;
	ssize_t len;
	u8 *buf;

	if (IS_PRIVATE(inode))
		return &abac_label_none;
	/* ABAC_LABEL_MAX bytes are too many for the kernel stack */
	buf = kmalloc(ABAC_LABEL_MAX, GFP_KERNEL);
	if (!buf)
		return NULL;
	len = __vfs_getxattr(dentry, inode, ABAC_NATIVE_XATTR, buf,
			     ABAC_LABEL_MAX);
	if (len != -ENODATA && len != -EOPNOTSUPP) {
		lab = abac_label_make(buf, len, 1, inode);
	} else {
		len = __vfs_getxattr(dentry, inode, ABAC_LABEL_XATTR, buf,
				     ABAC_LABEL_MAX);
		lab = abac_label_make(buf, len, 2, inode);
	}
	kfree(buf);
	return lab;
}

/* abac_label_peek(), inline in the walk of abac_label_applies(). */
static __always_inline const struct abac_label *
abac_label_peek_inline(const struct inode *inode)
{
	return rcu_dereference(abac_inode(inode)->label);
}

/**
 * abac_label_peek() - the own label of @inode as last read.
 * @inode: the inode.
 *
 * Call under rcu_read_lock(); the label stays valid until it is dropped.
 *
 * Return: the label, &abac_label_none, or NULL when it was not read yet.
 */
const struct abac_label *abac_label_peek(const struct inode *inode)
{
	return abac_label_peek_inline(inode);
}

/*
 * Read the own label of @dentry's inode unless it is known already.  May
 * sleep.  Returns its state, or -ENOMEM (then it stays unknown).
 */
static int abac_label_load(struct dentry *dentry)
{
	struct inode *inode = d_inode(dentry);
	const struct abac_label *lab, *old;
	struct abac_inode *ai = abac_inode(inode);
	int state;

	rcu_read_lock();
	lab = abac_label_peek(inode);
	state = lab ? lab->state : -1;
	rcu_read_unlock();
	if (state >= 0)
		return state;
	lab = abac_label_read(dentry, inode);
	if (!lab)
		return -ENOMEM;
	if (lab == &abac_label_bad)
		return ABAC_LABEL_BAD;	/* not cached: read it next time */
	state = lab->state;
	/* a label someone else stored meanwhile is as new as this one */
	old = unrcu_pointer(cmpxchg(&ai->label, NULL, RCU_INITIALIZER(lab)));
	if (old)
		abac_label_free_rcu(lab);
	return state;
}

/**
 * abac_label_prime() - read the labels a decision on @dentry may need:
 * its own and those of its ancestors up to the first labelled one.
 * @dentry: a positive dentry.
 *
 * May sleep.  Afterwards abac_label_applies() finds every label known,
 * unless one changed or could not be read meanwhile.
 */
void abac_label_prime(struct dentry *dentry)
{
	struct dentry *d = dget(dentry), *parent;
	u32 i;
	int state;

	for (i = 0; i < ABAC_INHERIT_DEPTH && d_really_is_positive(d); i++) {
		state = abac_label_load(d);
		if (state != ABAC_LABEL_NONE)
			break;
		parent = dget_parent(d);
		if (parent == d) {
			dput(parent);
			break;
		}
		dput(d);
		d = parent;
	}
	dput(d);
}

/**
 * abac_label_applies() - the label that applies to @dentry's inode.
 * @dentry: the object's dentry.
 * @own: consult the inode's own label (false: only what it inherits,
 *	for a Unix socket's file, which takes no user.abac).
 *
 * Call under rcu_read_lock(): the walk reads each d_parent without a
 * reference, as RCU path walk does; a concurrent rename may show the old
 * parent or the new one, never freed memory.
 *
 * A walk that cannot tell where the object is fails closed: it ends at a
 * disconnected dentry (open_by_handle_at() of a file whose directory is
 * not in the dentry cache) or runs out of levels.  Pseudo files (pipes,
 * sockets, memfd) are roots of their own filesystems, not disconnected.
 *
 * Return: the inode's own label when it has one (ABAC_LABEL_OWN or
 * ABAC_LABEL_BAD), else its nearest labelled ancestor's; NULL when there
 * is none (the object is not decided); &abac_label_bad when the walk
 * fails closed; ABAC_LABEL_UNKNOWN when a label on the way has not been
 * read yet.
 */
const struct abac_label *abac_label_applies(struct dentry *dentry, bool own)
{
	const struct abac_label *lab;
	struct dentry *d = dentry, *parent;
	struct inode *inode;
	u32 i;

	for (i = 0; i < ABAC_INHERIT_DEPTH; i++) {
		inode = d_inode_rcu(d);
		if (!inode)
			return NULL;
		if (i || own) {
			lab = abac_label_peek_inline(inode);
			if (!lab)
				return ABAC_LABEL_UNKNOWN;
			if (lab->state != ABAC_LABEL_NONE)
				return lab;
		}
		parent = READ_ONCE(d->d_parent);
		if (parent == d)	/* the root of its filesystem, or no path */
			return READ_ONCE(d->d_flags) & DCACHE_DISCONNECTED ?
			       &abac_label_bad : NULL;
		d = parent;
	}
	return &abac_label_bad;
}

/**
 * abac_label_from_value() - the label an xattr value being set would give.
 * @lab: receives it (its pairs and id; no text).
 * @value: the value.
 * @size: its bytes.
 */
void abac_label_from_value(struct abac_label *lab, const void *value,
			   size_t size)
{
	memset(lab, 0, sizeof(*lab));
	lab->state = ABAC_LABEL_OWN;
	if (!value || !size || size > ABAC_LABEL_MAX ||
	    abac_label_hash(value, size, &lab->pairs)) {
		lab->state = ABAC_LABEL_BAD;
		lab->pairs.n = 0;
	}
	lab->id = abac_label_id(lab->state, &lab->pairs);
}

/**
 * abac_label_changed() - read the label of @dentry's inode again after
 * one of its label xattrs changed, and void every cached decision.
 * @dentry: the entry whose xattr changed.
 *
 * Called with the inode locked, by whoever changed it.
 */
void abac_label_changed(struct dentry *dentry)
{
	struct inode *inode = d_inode(dentry);
	const struct abac_label *lab, *old;

	if (!inode)
		return;
	lab = abac_label_read(dentry, inode);
	if (lab == &abac_label_bad)
		lab = NULL;	/* unreadable now: read it again at next use */
	old = unrcu_pointer(xchg(&abac_inode(inode)->label,
				 RCU_INITIALIZER(lab)));
	abac_label_free_rcu(old);
	atomic64_inc(&abac_label_epoch_count);
}

static void abac_inode_post_setxattr(struct dentry *dentry, const char *name,
				     const void *value, size_t size,
				     int flags)
{
	if (abac_is_label_xattr(name))
		abac_label_changed(dentry);
}

static void abac_inode_post_removexattr(struct dentry *dentry,
					const char *name)
{
	if (abac_is_label_xattr(name))
		abac_label_changed(dentry);
}

/* The blob goes after a grace period: nothing can read it any more. */
static void abac_inode_free_security_rcu(void *blob)
{
	struct abac_inode *ai = blob + abac_blob_sizes.lbs_inode;
	const struct abac_label *lab = rcu_access_pointer(ai->label);

	if (lab && !abac_label_is_static(lab))
		kfree(lab);
	abac_avc_inode_free(blob);
}

/*
 * security.abac is abac's to check (guard.c), not the capability module's
 * CAP_SYS_ADMIN rule for security.* names.
 */
static int abac_inode_xattr_skipcap(const char *name)
{
	return !strcmp(name, ABAC_NATIVE_XATTR);
}

static struct security_hook_list abac_label_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(inode_post_setxattr, abac_inode_post_setxattr),
	LSM_HOOK_INIT(inode_post_removexattr, abac_inode_post_removexattr),
	LSM_HOOK_INIT(inode_free_security_rcu, abac_inode_free_security_rcu),
	LSM_HOOK_INIT(inode_xattr_skipcap, abac_inode_xattr_skipcap),
};

/**
 * abac_label_init() - nothing to set up before the hooks: labels are
 * read as inodes are met.
 */
void __init abac_label_init(void)
{
	BUILD_BUG_ON(ABAC_LABEL_MAX > U16_MAX);
}

/**
 * abac_add_label_hooks() - register the hooks that keep labels current.
 */
void __init abac_add_label_hooks(void)
{
	security_add_hooks(abac_label_hooks, ARRAY_SIZE(abac_label_hooks),
			   &abac_lsmid);
}
