// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: the hooks that add or remove directory entries, as
 * bpf/abac.bpf.c has them.
 *
 *   inode_create, inode_mkdir,   create, on the directory the entry is
 *   inode_mknod, inode_symlink   made in (a Unix socket's bind: also bind
 *                                on the label its file will inherit)
 *   inode_link                   create, on the target directory and on
 *                                the linked inode itself (it gains a name)
 *   inode_unlink, inode_rmdir    delete, on the directory and the entry
 *   inode_rename                 delete from the old directory (and of the
 *                                entry), create in the new one, delete of
 *                                an entry it replaces; RENAME_EXCHANGE
 *                                calls the hook both ways
 *
 * Each first asks the guard (guard.c): no change in cgroup2, in bpffs or
 * in the agent's own directories.
 */
#include "abac.h"

#include <linux/fs.h>
#include <linux/stat.h>

/* Decide @op on directory @dir for its entry @dentry (create, delete). */
static int abac_check_dir(struct abac_ctx *c, struct dentry *dentry,
			  u32 op)
{
	return abac_check_dentry(c, dentry->d_parent, NULL, dentry,
				 ABAC_F_OWN, op);
}

/* A new entry in @dir: the guard, then create on the directory. */
static int abac_create_in(struct inode *dir, struct dentry *dentry,
			  u32 cg_what)
{
	struct abac_ctx c;
	int err;

	if (!abac_ctx_get(&c))
		return 0;
	err = abac_guard_dir_change(&c, dir, dentry, cg_what, ABAC_OP_CREATE);
	if (!err)
		err = abac_check_dir(&c, dentry, ABAC_OP_CREATE);
	abac_ctx_put(&c);
	return err;
}

static int abac_inode_create(struct inode *dir, struct dentry *dentry,
			     umode_t mode)
{
	return abac_create_in(dir, dentry, ABAC_GUARD_CGROUP_WRITE);
}

static int abac_inode_mkdir(struct inode *dir, struct dentry *dentry,
			    umode_t mode)
{
	return abac_create_in(dir, dentry, ABAC_GUARD_CGROUP_MKDIR);
}

static int abac_inode_symlink(struct inode *dir, struct dentry *dentry,
			      const char *old_name)
{
	return abac_create_in(dir, dentry, ABAC_GUARD_CGROUP_WRITE);
}

/*
 * mknod, and the bind of a Unix socket to a path, which makes the socket
 * file with vfs_mknod(S_IFSOCK): create on the directory and, for a
 * socket, bind on the label its file will inherit, when the policy has
 * rules for bind (as for networks).
 */
static int abac_inode_mknod(struct inode *dir, struct dentry *dentry,
			    umode_t mode, dev_t dev)
{
	struct abac_ctx c;
	int err;

	if (!abac_ctx_get(&c))
		return 0;
	err = abac_guard_dir_change(&c, dir, dentry, ABAC_GUARD_CGROUP_WRITE,
				    ABAC_OP_CREATE);
	if (!err)
		err = abac_check_dir(&c, dentry, ABAC_OP_CREATE);
	if (!err && S_ISSOCK(mode) && abac_policy_names(&c, ABAC_OP_BIND))
		err = abac_check_dir(&c, dentry, ABAC_OP_BIND);
	abac_ctx_put(&c);
	return err;
}

static int abac_inode_link(struct dentry *old_dentry, struct inode *dir,
			   struct dentry *new_dentry)
{
	struct abac_ctx c;
	int err;

	if (!abac_ctx_get(&c))
		return 0;
	err = abac_guard_link(&c, old_dentry, dir, new_dentry);
	if (!err)
		err = abac_check_dir(&c, new_dentry, ABAC_OP_CREATE);
	if (!err)
		err = abac_check_entry(&c, old_dentry, ABAC_OP_CREATE);
	abac_ctx_put(&c);
	return err;
}

/* delete: the directory loses an entry, the entry loses a name. */
static int abac_delete_from(struct inode *dir, struct dentry *dentry,
			    u32 cg_what)
{
	struct abac_ctx c;
	int err;

	if (!abac_ctx_get(&c))
		return 0;
	err = abac_guard_dir_change(&c, dir, dentry, cg_what, ABAC_OP_DELETE);
	if (!err)
		err = abac_check_dir(&c, dentry, ABAC_OP_DELETE);
	if (!err)
		err = abac_check_entry(&c, dentry, ABAC_OP_DELETE);
	abac_ctx_put(&c);
	return err;
}

static int abac_inode_unlink(struct inode *dir, struct dentry *dentry)
{
	return abac_delete_from(dir, dentry, ABAC_GUARD_CGROUP_WRITE);
}

static int abac_inode_rmdir(struct inode *dir, struct dentry *dentry)
{
	return abac_delete_from(dir, dentry, ABAC_GUARD_CGROUP_RMDIR);
}

static int abac_inode_rename(struct inode *old_dir, struct dentry *old_dentry,
			     struct inode *new_dir, struct dentry *new_dentry)
{
	struct abac_ctx c;
	int err;

	if (!abac_ctx_get(&c))
		return 0;
	err = abac_guard_dir_change(&c, old_dir, old_dentry,
				    ABAC_GUARD_CGROUP_RENAME, ABAC_OP_WRITE);
	if (!err)
		err = abac_guard_dir_change(&c, new_dir, new_dentry,
					    ABAC_GUARD_CGROUP_RENAME,
					    ABAC_OP_WRITE);
	if (!err)
		err = abac_check_dir(&c, old_dentry, ABAC_OP_DELETE);
	if (!err)
		err = abac_check_entry(&c, old_dentry, ABAC_OP_DELETE);
	if (!err)
		err = abac_check_dir(&c, new_dentry, ABAC_OP_CREATE);
	if (!err && d_really_is_positive(new_dentry))
		err = abac_check_entry(&c, new_dentry, ABAC_OP_DELETE);
	abac_ctx_put(&c);
	return err;
}

static struct security_hook_list abac_dir_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(inode_create, abac_inode_create),
	LSM_HOOK_INIT(inode_mkdir, abac_inode_mkdir),
	LSM_HOOK_INIT(inode_mknod, abac_inode_mknod),
	LSM_HOOK_INIT(inode_symlink, abac_inode_symlink),
	LSM_HOOK_INIT(inode_link, abac_inode_link),
	LSM_HOOK_INIT(inode_unlink, abac_inode_unlink),
	LSM_HOOK_INIT(inode_rmdir, abac_inode_rmdir),
	LSM_HOOK_INIT(inode_rename, abac_inode_rename),
};

/**
 * abac_add_dir_hooks() - register the directory entry hooks.
 */
void __init abac_add_dir_hooks(void)
{
	security_add_hooks(abac_dir_hooks, ARRAY_SIZE(abac_dir_hooks),
			   &abac_lsmid);
}
