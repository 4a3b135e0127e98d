// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: the hooks on files, as bpf/abac.bpf.c has them.
 *
 *   file_open             read and/or write, from the open mode (files and
 *                         directories; exec's own open is left to exec)
 *   file_permission       read and/or write again at each read and write,
 *                         so that a change applies to files already open
 *   bprm_check_security   exec, on the executable (and a script's
 *                         interpreter: the hook runs for each)
 *   file_truncate,        write: truncate, O_TRUNC, chmod, chown, utimes
 *   inode_setattr
 *   inode_setxattr,       relabel for user.abac (on the label now and on
 *   inode_removexattr     the label it would get); write for any other
 *                         xattr; security.abac: CAP_MAC_ADMIN, untagged
 *   inode_set_acl,        write
 *   inode_remove_acl
 *
 * Each first asks the guard (guard.c), then decides.  An untagged task,
 * or no image, is not decided at all; an object that no label applies to
 * (its own or inherited) neither.
 */
#include "abac.h"

#include <linux/binfmts.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/xattr.h>

#include "abac_blobs.h"

/* Decide read and/or write on @file for @mask (MAY_READ, MAY_WRITE). */
static __always_inline int abac_file_rw(struct abac_ctx *c, struct file *file,
					bool read, bool write)
{
	int err = 0;

	if (read)
		err = abac_check_file(c, file, ABAC_OP_READ);
	if (!err && write)
		err = abac_check_file(c, file, ABAC_OP_WRITE);
	return err;
}

/*
 * A tagged task's plain read of @file (abac_guard_open_plain() or
 * abac_guard_read_plain() said so), its memo @t holding under @pol: is it
 * allowed without a decision, because no label applies to the file
 * (abac_check_dentry() decides nothing then) or because the inode's last
 * decision allows it under the same key (abac_check_last())?  Under
 * rcu_read_lock().
 */
static __always_inline bool
abac_memo_read_allowed(struct file *file, struct abac_loaded *pol,
		       const struct abac_subj_memo *t)
{
	u64 epoch = abac_label_epoch();	/* read before the label is */
	const struct abac_label *lab;

	lab = abac_label_applies_inline(file->f_path.dentry);
	return !lab || abac_check_last(pol, t->tagged_id, file_inode(file),
				       lab, epoch, ABAC_OP_READ);
}

/* abac_file_open() the long way: abac_ctx_get(), the guard, a decision. */
static noinline int abac_file_open_ctx(struct file *file)
{
	/* abac_ctx_get() sets what is read: no zeroing on every open */
	struct abac_ctx c __uninitialized;
	int err;

	if (!abac_ctx_get(&c))
		return 0;
	err = abac_guard_open_plain(file) ? 0 :
	      abac_guard_file_open(&c, file);
	/* exec's own open: bprm_check_security decides exec */
	if (!err && !(file->f_flags & __FMODE_EXEC))
		err = abac_file_rw(&c, file, file->f_mode & FMODE_READ,
				   file->f_mode & FMODE_WRITE);
	abac_ctx_put(&c);
	return err;
}

/*
 * A tagged task's open, its memo @t holding under @pol, in the RCU read
 * section abac_file_open() opened, which this closes.  A read-only open
 * that the guard lets through whatever it holds (abac_guard_open_plain())
 * of a file no label applies to, or one the inode's last decision allows
 * (abac_check_last()), is answered here, from the memo, with no context:
 * what abac_file_open_ctx() would answer, which answers everything else.
 */
static noinline int abac_file_open_memo(struct file *file,
					struct abac_loaded *pol,
					const struct abac_subj_memo *t)
{
	if (likely(!abac_overlay_work()) && abac_guard_open_plain(file) &&
	    (file->f_mode & FMODE_READ) && !(file->f_flags & __FMODE_EXEC) &&
	    abac_memo_read_allowed(file, pol, t)) {
		rcu_read_unlock();
		return 0;
	}
	rcu_read_unlock();
	return abac_file_open_ctx(file);
}

/*
 * The open of every file: an untagged task's is answered here, with no
 * context on the stack and no register saved; a tagged one's by
 * abac_file_open_memo() while its memo holds (struct abac_subj_memo, as
 * abac_ctx_get() reads it), else by abac_file_open_ctx().
 */
static int abac_file_open(struct file *file)
{
	const struct abac_subj_memo *t = abac_subj_memo(current);
	struct abac_loaded *pol;

	if (abac_exec_only_dumping())
		return -EACCES;	/* the core of an exec-only program */
	switch (abac_subj_memo_answer(t, &pol)) {
	case ABAC_MEMO_UNTAGGED:
		return 0;
	case ABAC_MEMO_TAGGED:	/* in the RCU section: it closes it */
		return abac_file_open_memo(file, pol, t);
	default:
		return abac_file_open_ctx(file);
	}
}

/* abac_file_permission() the long way: abac_ctx_get(), the guard, a decision. */
static noinline int abac_file_permission_ctx(struct file *file, int mask)
{
	struct abac_ctx c __uninitialized;	/* as in abac_file_open_ctx() */
	int err;

	if (!(mask & (MAY_READ | MAY_WRITE | MAY_APPEND)) ||
	    (file->f_flags & __FMODE_EXEC) || !abac_ctx_get(&c))
		return 0;
	err = abac_guard_read_plain(file, mask) ? 0 :
	      abac_guard_file_permission(&c, file, mask);
	if (!err)
		err = abac_file_rw(&c, file, mask & MAY_READ,
				   mask & (MAY_WRITE | MAY_APPEND));
	abac_ctx_put(&c);
	return err;
}

/*
 * A tagged task's read or write, its memo @t holding under @pol, in the
 * RCU read section abac_file_permission() opened, which this closes.  A
 * read that the guard lets through whatever it holds
 * (abac_guard_read_plain()) of a file no label applies to, or one the
 * inode's last decision allows (abac_check_last()), is answered here,
 * from the memo, with no context: what abac_file_permission_ctx() would
 * answer, which answers everything else.
 */
static noinline int abac_file_permission_memo(struct file *file, int mask,
					      struct abac_loaded *pol,
					      const struct abac_subj_memo *t)
{
	if (!(mask & (MAY_READ | MAY_WRITE | MAY_APPEND)) ||
	    (file->f_flags & __FMODE_EXEC)) {
		rcu_read_unlock();
		return 0;
	}
	if (likely(!abac_overlay_work()) && abac_guard_read_plain(file, mask) &&
	    abac_memo_read_allowed(file, pol, t)) {
		rcu_read_unlock();
		return 0;
	}
	rcu_read_unlock();
	return abac_file_permission_ctx(file, mask);
}

/*
 * Every read and write of an open file: an untagged task's is answered
 * here, with no context on the stack and no register saved, before the
 * mask is even looked at; a tagged one's by abac_file_permission_memo()
 * while its memo holds, else by abac_file_permission_ctx(), as
 * abac_file_open() does.  Both leave alone an access that is neither a
 * read nor a write, and exec's own reads of the executable.
 */
static int abac_file_permission(struct file *file, int mask)
{
	const struct abac_subj_memo *t = abac_subj_memo(current);
	struct abac_loaded *pol;

	/* the mask and exec's own reads: tested once the task is tagged */
	switch (abac_subj_memo_answer(t, &pol)) {
	case ABAC_MEMO_UNTAGGED:
		return 0;
	case ABAC_MEMO_TAGGED:	/* in the RCU section: it closes it */
		return abac_file_permission_memo(file, mask, pol, t);
	default:
		return abac_file_permission_ctx(file, mask);
	}
}

static int abac_bprm_check_security(struct linux_binprm *bprm)
{
	struct abac_ctx c;
	int err;

	if (!abac_ctx_get(&c)) {
		abac_exec_forget();
		return 0;
	}
	err = abac_exec_check(&c, bprm->file);
	abac_ctx_put(&c);
	return err;
}

/*
 * The exec went through: the agent's shield, the exec-only mark, the end
 * of set-up.
 */
static void abac_bprm_committed_creds(const struct linux_binprm *bprm)
{
	abac_guard_agent_exec(bprm);
	abac_exec_commit();
	abac_setup_exec();
}

/* ftruncate(2) and O_TRUNC: write on the open file, whatever its mode. */
static int abac_file_truncate(struct file *file)
{
	struct abac_ctx c;
	int err;

	if (!abac_ctx_get(&c))
		return 0;
	err = abac_check_file(&c, file, ABAC_OP_WRITE);
	abac_ctx_put(&c);
	return err;
}

/* Every notify_change(): truncate, chmod, chown, utimes. */
static int abac_inode_setattr(struct mnt_idmap *idmap, struct dentry *dentry,
			      struct iattr *attr)
{
	struct abac_ctx c;
	int err;

	if (!abac_ctx_get(&c))
		return 0;
	err = abac_guard_setattr(&c, dentry);
	if (!err)
		err = abac_check_entry(&c, dentry, ABAC_OP_WRITE);
	abac_ctx_put(&c);
	return err;
}

/*
 * security.abac, the native label: only CAP_MAC_ADMIN may set or remove
 * it (a tagged task never: guard.c), and only a well-formed label.
 */
static int abac_native_label_change(const void *value, size_t size,
				    bool remove)
{
	struct abac_label_pairs *pairs;
	int err = 0;

	if (!capable(CAP_MAC_ADMIN))
		return -EPERM;
	if (remove)
		return 0;
	if (!value || !size || size > ABAC_LABEL_MAX)
		return -EINVAL;
	/* ABAC_LABEL_PAIRS pairs are too many for the kernel stack */
	pairs = kmalloc(sizeof(*pairs), GFP_KERNEL);
	if (!pairs)
		return -ENOMEM;
	if (abac_label_hash(value, size, pairs))
		err = -EINVAL;
	kfree(pairs);
	return err;
}

/* Setting user.abac: relabel on the label now, then on the new one. */
static int abac_relabel(struct abac_ctx *c, struct dentry *dentry,
			const void *value, size_t size)
{
	struct abac_obj o = { .dentry = dentry, .nocache = true };
	struct abac_label *lab;
	int err;

	err = abac_check_entry(c, dentry, ABAC_OP_RELABEL);
	if (err || !c->pol || !d_inode(dentry))
		return err;
	/* the new label, decided but never cached: it is not in force;
	 * ABAC_LABEL_PAIRS pairs are too many for the kernel stack
	 */
	lab = kmalloc(sizeof(*lab), GFP_KERNEL);
	if (!lab)
		return -ENOMEM;
	abac_label_from_value(lab, value, size);
	lab->ino = d_inode(dentry)->i_ino;
	lab->dev = d_inode(dentry)->i_sb->s_dev;
	o.lab = lab;
	o.inode = d_inode(dentry);
	o.epoch = abac_label_epoch();
	err = abac_check(c, &o, ABAC_OP_RELABEL);
	kfree(lab);
	return err;
}

static int abac_inode_setxattr(struct mnt_idmap *idmap, struct dentry *dentry,
			       const char *name, const void *value,
			       size_t size, int flags)
{
	struct abac_ctx c;
	int err = 0;

	/* the guard first: a tagged task is refused as such, not for lack
	 * of the CAP_MAC_ADMIN it is denied anyway (guard_caps.c)
	 */
	if (abac_ctx_get(&c)) {
		err = abac_guard_xattr(&c, dentry, name, false);
		if (!err && !strcmp(name, ABAC_LABEL_XATTR))
			err = abac_relabel(&c, dentry, value, size);
		else if (!err)
			err = abac_check_entry(&c, dentry, ABAC_OP_WRITE);
		abac_ctx_put(&c);
	}
	if (!err && !strcmp(name, ABAC_NATIVE_XATTR))
		err = abac_native_label_change(value, size, false);
	return err;
}

/*
 * Does @dentry's inode have a label of its own?  Called in the caller's
 * RCU section; a label not read yet (abac_inode_removexattr() read it
 * just before) counts as one: decided, never skipped.
 */
static bool abac_has_own_label(struct dentry *dentry)
{
	const struct abac_label *lab;

	if (!d_inode(dentry))
		return false;
	lab = abac_label_peek(d_inode(dentry));
	return !lab || lab->state != ABAC_LABEL_NONE;
}

static int abac_inode_removexattr(struct mnt_idmap *idmap,
				  struct dentry *dentry, const char *name)
{
	struct abac_ctx c;
	int err = 0;

	if (!strcmp(name, ABAC_LABEL_XATTR) && d_inode(dentry))
		abac_label_prime(dentry);	/* may sleep: before the RCU section */
	/* the guard first, as for setxattr */
	if (abac_ctx_get(&c)) {
		err = abac_guard_xattr(&c, dentry, name, true);
		/* nothing to remove: the kernel says ENODATA */
		if (!err && !strcmp(name, ABAC_LABEL_XATTR)) {
			if (abac_has_own_label(dentry))
				err = abac_check_entry(&c, dentry,
						       ABAC_OP_RELABEL);
		} else if (!err) {
			err = abac_check_entry(&c, dentry, ABAC_OP_WRITE);
		}
		abac_ctx_put(&c);
	}
	if (!err && !strcmp(name, ABAC_NATIVE_XATTR))
		err = abac_native_label_change(NULL, 0, true);
	return err;
}

/* A POSIX ACL set or removed: write. */
static int abac_acl_change(struct dentry *dentry)
{
	struct abac_ctx c;
	int err;

	if (!abac_ctx_get(&c))
		return 0;
	err = abac_guard_setattr(&c, dentry);
	if (!err)
		err = abac_check_entry(&c, dentry, ABAC_OP_WRITE);
	abac_ctx_put(&c);
	return err;
}

static int abac_inode_set_acl(struct mnt_idmap *idmap, struct dentry *dentry,
			      const char *acl_name, struct posix_acl *kacl)
{
	return abac_acl_change(dentry);
}

static int abac_inode_remove_acl(struct mnt_idmap *idmap,
				 struct dentry *dentry, const char *acl_name)
{
	return abac_acl_change(dentry);
}

static struct security_hook_list abac_file_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(file_open, abac_file_open),
	LSM_HOOK_INIT(file_permission, abac_file_permission),
	LSM_HOOK_INIT(bprm_check_security, abac_bprm_check_security),
	LSM_HOOK_INIT(bprm_committed_creds, abac_bprm_committed_creds),
	LSM_HOOK_INIT(file_truncate, abac_file_truncate),
	LSM_HOOK_INIT(inode_setattr, abac_inode_setattr),
	LSM_HOOK_INIT(inode_setxattr, abac_inode_setxattr),
	LSM_HOOK_INIT(inode_removexattr, abac_inode_removexattr),
	LSM_HOOK_INIT(inode_set_acl, abac_inode_set_acl),
	LSM_HOOK_INIT(inode_remove_acl, abac_inode_remove_acl),
};

/**
 * abac_add_file_hooks() - register the file hooks.
 */
void __init abac_add_file_hooks(void)
{
	security_add_hooks(abac_file_hooks, ARRAY_SIZE(abac_file_hooks),
			   &abac_lsmid);
}
