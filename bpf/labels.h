/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Object attributes: where a hook finds the label that applies to an
 * inode.  Its own user.abac label, cached per inode (abac_inode_labels),
 * read from the xattr by sleepable hooks when the cache does not know it
 * yet; else the label of its nearest labelled ancestor directory, found
 * by walking d_parent and looking each directory up in abac_dirs (a hook
 * cannot read a parent's xattrs: the verifier does not trust d_parent,
 * but reading inode numbers through it is safe for a lookup key).
 */
#ifndef _ABAC_BPF_LABELS_H
#define _ABAC_BPF_LABELS_H

/* Directories walked up from an object looking for a label. */
#define ABAC_INHERIT_DEPTH	256

static __always_inline __u64 abac_epoch_now(void)
{
	__u32 zero = 0;
	__u64 *e = bpf_map_lookup_elem(&abac_label_epoch, &zero);

	return e ? *e : 0;
}

/* Every label change voids the decisions cached before it. */
static __always_inline void abac_epoch_bump(void)
{
	__u32 zero = 0;
	__u64 *e = bpf_map_lookup_elem(&abac_label_epoch, &zero);

	if (e)
		__sync_fetch_and_add(e, 1);
}

static __always_inline int abac_is_dir(struct inode *inode)
{
	return (inode->i_mode & S_IFMT) == S_IFDIR;
}

/* The id of a label: its state and its pairs, hashed. */
static __always_inline __u64 abac_olabel_id(const struct abac_olabel *ol)
{
	__u64 id = ABAC_FNV_OFFSET ^ ol->state;
	__u32 i, n = ol->pairs.n;

	abac_for(i, 0, ABAC_LABEL_PAIRS) {
		if (i >= n)
			break;
		id = (id ^ abac_pair_hash(ol->pairs.k[i & (ABAC_LABEL_PAIRS - 1)],
					  ol->pairs.v[i & (ABAC_LABEL_PAIRS - 1)])) *
		     ABAC_FNV_PRIME;
	}
	return id;
}

/**
 * abac_olabel_set() - store what reading an xattr gave into a label cache.
 * @ol: the label cache entry.
 * @scr: the task's scratch space; the bytes read are in @scr->label.
 * @len: bytes read, or a negative errno.
 *
 * A global function, so that the verifier checks the label parser once
 * per program rather than once per caller and state.
 *
 * Return: 0.
 */
__attribute__((noinline, used)) int
abac_olabel_set(struct abac_olabel *ol, const struct abac_scratch *scr,
		int len)
{
	if (!ol)
		return 0;
	if (len == -ENODATA || len == -EOPNOTSUPP) {
		ol->pairs.n = 0;
		ol->state = ABAC_OL_NONE;
	} else if (!scr || len <= 0 || len > ABAC_LABEL_MAX ||
		   abac_label_hash(scr->label, len, &ol->pairs)) {
		ol->pairs.n = 0;
		ol->state = ABAC_OL_BAD;
	} else {
		ol->state = ABAC_OL_OWN;
	}
	ol->id = abac_olabel_id(ol);
	return 0;
}

/* Note in @ol the inode it is read from (trusted or not). */
static __always_inline void abac_olabel_place(struct abac_olabel *ol,
					      struct inode *inode)
{
	ol->ino = BPF_CORE_READ(inode, i_ino);
	ol->dev = BPF_CORE_READ(inode, i_sb, s_dev);
}

/*
 * Keep abac_dirs in step with a directory's own label: a labelled one is
 * entered (or refreshed), an unlabelled one removed.
 */
static __always_inline void abac_dir_note(struct inode *inode,
					  const struct abac_olabel *ol)
{
	struct abac_dir_key key = {};
	struct abac_olabel *cur;

	key.ino = inode->i_ino;
	key.dev = inode->i_sb->s_dev;
	if (ol->state == ABAC_OL_NONE || ol->state == ABAC_OL_UNKNOWN) {
		bpf_map_delete_elem(&abac_dirs, &key);
		return;
	}
	cur = bpf_map_lookup_elem(&abac_dirs, &key);
	if (cur && cur->igen == ol->igen && cur->id == ol->id)
		return;	/* the common case: nothing new */
	bpf_map_update_elem(&abac_dirs, &key, ol, BPF_ANY);
}

/*
 * The storage of @inode (trusted): its label cache and decision cache,
 * created (label UNKNOWN, no decision) when @create; NULL when there is
 * none (or no memory).
 */
static __always_inline struct abac_icache *abac_icache(struct inode *inode,
						       int create)
{
	return bpf_inode_storage_get(&abac_inode_labels, inode, NULL,
				     create ? BPF_LOCAL_STORAGE_GET_F_CREATE :
					      0);
}

/* The cached own label of @inode, as abac_icache(). */
static __always_inline struct abac_olabel *
abac_label_cache(struct inode *inode, int create)
{
	struct abac_icache *ic = abac_icache(inode, create);

	return ic ? &ic->lab : NULL;
}

/*
 * Cache what reading user.abac gave (@len bytes in scr->label, or a
 * negative errno) in @ol, and note a labelled directory for inheritance.
 * A label this task may not read fails closed and is not cached.
 */
static __always_inline struct abac_olabel *
abac_label_store(struct inode *inode, struct abac_olabel *ol,
		 struct abac_scratch *scr, int len)
{
	if (len == -EACCES || len == -EPERM) {
		scr->olab.state = ABAC_OL_BAD;
		scr->olab.pairs.n = 0;
		scr->olab.id = 0;
		abac_olabel_place(&scr->olab, inode);
		return &scr->olab;
	}
	ol->igen = inode->i_generation;
	abac_olabel_place(ol, inode);
	abac_olabel_set(ol, scr, len);
	if (abac_is_dir(inode))
		abac_dir_note(inode, ol);
	return ol;
}

/*
 * Sleepable hooks: the own label of an open file, read from its xattr
 * when the cache does not know it yet.  Not inlined: the dynptr must
 * live in a stack frame of its own, or the verifier sees the caller's
 * later use of that stack slot as a write into the dynptr.
 */
static __noinline struct abac_olabel *
abac_label_of_file(struct file *file, struct abac_scratch *scr)
{
	struct inode *inode = file->f_inode;
	struct abac_olabel *ol;
	struct bpf_dynptr dp;
	int len;

	ol = abac_label_cache(inode, 1);
	if (!ol || ol->state != ABAC_OL_UNKNOWN)
		return ol;
	bpf_dynptr_from_mem(scr->label, ABAC_LABEL_MAX, 0, &dp);
	len = bpf_get_file_xattr(file, ABAC_LABEL_XATTR, &dp);
	return abac_label_store(inode, ol, scr, len);
}

/* Sleepable hooks: the same for a positive dentry (not inlined either). */
static __noinline struct abac_olabel *
abac_label_of_dentry(struct dentry *dentry, struct abac_scratch *scr)
{
	struct inode *inode = dentry->d_inode;
	struct abac_olabel *ol;
	struct bpf_dynptr dp;
	int len;

	if (!inode)
		return NULL;
	ol = abac_label_cache(inode, 1);
	if (!ol || ol->state != ABAC_OL_UNKNOWN)
		return ol;
	bpf_dynptr_from_mem(scr->label, ABAC_LABEL_MAX, 0, &dp);
	len = bpf_get_dentry_xattr(dentry, ABAC_LABEL_XATTR, &dp);
	return abac_label_store(inode, ol, scr, len);
}

/*
 * The label of the nearest labelled directory at or above @d (an
 * untrusted dentry pointer: the verifier turns each read through it into
 * a load that yields 0 instead of faulting, and nothing but a lookup key
 * is taken from it), within ABAC_INHERIT_DEPTH levels and the same
 * filesystem; NULL when none.
 *
 * A walk that cannot tell where the object is fails closed: it returns a
 * malformed label (ABAC_OL_BAD) when it ends at a disconnected dentry
 * (open_by_handle_at() of a file whose directory is not in the dentry
 * cache: its d_parent is itself until something reconnects it) or runs
 * out of levels.  Pseudo files (pipes, sockets, memfd) are roots of
 * their own filesystems without that flag, and stay undecided.
 */
static __always_inline const struct abac_olabel *
abac_label_inherited(struct dentry *d)
{
	/* not const: abac_decide_global() takes writable memory only */
	static struct abac_olabel unreachable = { .state = ABAC_OL_BAD };
	struct abac_dir_key key = {};
	const struct abac_olabel *v;
	struct dentry *parent;
	struct inode *inode;
	__u32 i;

	abac_for(i, 0, ABAC_INHERIT_DEPTH) {
		if (!d)
			return NULL;
		inode = d->d_inode;
		if (!inode)
			return NULL;
		key.ino = inode->i_ino;
		key.dev = inode->i_sb->s_dev;
		v = bpf_map_lookup_elem(&abac_dirs, &key);
		if (v && v->igen == inode->i_generation &&
		    v->state != ABAC_OL_NONE && v->state != ABAC_OL_UNKNOWN)
			return v;
		parent = d->d_parent;
		if (parent == d)	/* the filesystem's root, or no path */
			return d->d_flags & ABAC_DCACHE_DISCONNECTED ?
			       &unreachable : NULL;
		d = parent;
	}
	return &unreachable;
}

/*
 * The label that applies to an object whose own label is @own (NULL or
 * ABAC_OL_UNKNOWN: not known, ABAC_OL_NONE: none): its own, else the
 * inherited one from the directories above @dentry.  NULL: the object is
 * unlabelled and not decided.  An unknown own label is treated as none:
 * only non-sleepable hooks meet it (see Documentation/enforcement.rst).
 */
static __always_inline const struct abac_olabel *
abac_label_applies(const struct abac_olabel *own, struct dentry *dentry)
{
	if (own && (own->state == ABAC_OL_OWN || own->state == ABAC_OL_BAD))
		return own;
	return abac_label_inherited(dentry->d_parent);
}

/* Fill the AVC key part of @obj from @inode (trusted or not). */
static __always_inline void abac_obj_id(struct abac_obj *obj,
					struct inode *inode)
{
	obj->ino = inode->i_ino;
	obj->dev = inode->i_sb->s_dev;
	obj->igen = inode->i_generation;
}

#endif /* _ABAC_BPF_LABELS_H */
