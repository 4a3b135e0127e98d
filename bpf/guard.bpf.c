// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac's tamper guard: BPF-LSM programs that keep a tagged subject (root
 * inside a tagged cgroup included) from changing the attributes and the
 * machinery that decide about it (NIST SP 800-162: subjects must not set
 * their own attributes nor their objects'):
 *
 *   - labels: no setxattr/removexattr of user.abac unless a rule allows
 *     "relabel" for the subject on the file's present label;
 *   - cgroups: no write to a cgroup2 file (cgroup.procs, cgroup.threads,
 *     cgroup.subtree_control, cgroup.kill, ...; clone3 CLONE_INTO_CGROUP
 *     is checked against cgroup.procs), no mkdir, rmdir, rename there;
 *   - BPF: no bpf() command at all, no BPF map or program fd; no change
 *     under bpffs (the pins); no mount, umount, move_mount, pivot_root;
 *   - the agent: no signal, no ptrace (nor /proc/PID/mem, process_vm_*,
 *     pidfd_getfd: all ptrace_access_check), no open of /proc/AGENT/...,
 *     no nice, scheduler or ioprio change; its control socket only for a
 *     subject a rule allows "administer";
 *   - the agent's files: the inodes in abac_guard_inodes (the policy, the
 *     state, the event log, the agent's binary) and the entries of the
 *     directories among them are neither written nor changed;
 *   - capabilities: those that open a way out of containment are withheld
 *     in every user namespace, and no user namespace is made
 *     (guard_caps.h);
 *   - set-up: a process a runtime moved into a tagged cgroup, not yet
 *     past its execve there, may mount, make namespaces and use the
 *     withheld capabilities when the policy grants its subject "setup"
 *     (guard_setup.h); other processes may not trace it.
 *
 * The guard refuses with -EPERM in enforce and audit mode alike and
 * reports each refusal with reason ABAC_REASON_GUARD and what was
 * attempted (enum abac_guard).  Untagged processes pass untouched.
 *
 * The maps it shares with abac.bpf.c (policy, events, counters) are the
 * pinned ones, handed over with bpf_map__reuse_fd() before load.
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
#include "guard_maps.h"
#include "common.h"
#include "guard.h"
#include "guard_setup.h"
#include "guard_caps.h"
#include "guard_tasks.h"
#include "guard_kernfs.h"
#include "guard_agent.h"
#include "overlay.h"

char LICENSE[] SEC("license") = "GPL";

/* kernfs_node before 6.15 named its parent "parent", since "__parent". */
struct kernfs_node___old {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

static __always_inline const char *kn_parent_name(struct kernfs_node *kn)
{
	struct kernfs_node *parent;

	if (bpf_core_field_exists(struct kernfs_node___old, parent))
		parent = BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
	else
		parent = BPF_CORE_READ(kn, __parent);
	return BPF_CORE_READ(parent, name);
}

/* ---- labels ------------------------------------------------------------ */

/*
 * Changing or removing user.abac is the "relabel" operation, decided on the
 * present label and on the new one by hook_inode_setxattr and
 * hook_inode_removexattr (bpf/abac.bpf.c), where only an explicit allow
 * rule counts.  The guard adds that a protected file takes no xattr at all.
 */

#define ENOSPC		28
#define E2BIG		7

/* An empty entry of abac_dirs: the walk takes it for "not labelled". */
static const struct abac_olabel unlabelled_dir;

/* Is @name the label's xattr, "user.abac" exactly? */
static __always_inline bool is_label_xattr(const char *name)
{
	char buf[sizeof(ABAC_LABEL_XATTR)] = {};
	int i;

	if (bpf_probe_read_kernel_str(buf, sizeof(buf), name) !=
	    sizeof(ABAC_LABEL_XATTR))
		return false;
	for (i = 0; i < (int)sizeof(ABAC_LABEL_XATTR); i++)
		if (buf[i] != ABAC_LABEL_XATTR[i])
			return false;
	return true;
}

/*
 * A directory label that would not fit in abac_dirs would protect
 * nothing below the directory, and silently: refused instead, for
 * whoever sets it, with ENOSPC and a "table-full" event.  A slot is taken
 * now, empty (what the walk takes for "not labelled"), for the decision
 * program to fill once the label is set; a directory already in the table
 * needs none.
 */
static __always_inline int dir_label_room(struct dentry *dentry,
					  const char *name)
{
	struct inode *inode = dentry->d_inode;
	struct abac_dir_key key = {};
	struct guard_ctx g = {};
	struct abac_event *e;

	if (!inode || (inode->i_mode & S_IFMT) != S_IFDIR ||
	    !is_label_xattr(name))
		return 0;
	key.ino = inode->i_ino;
	key.dev = inode->i_sb->s_dev;
	if (bpf_map_update_elem(&abac_dirs, &key, &unlabelled_dir,
				BPF_NOEXIST) != -E2BIG)
		return 0;
	guard_tagged(&g);
	e = guard_event(&g, ABAC_GUARD_TABLE_FULL, ABAC_OP_RELABEL, inode);
	if (e) {
		e->errno_val = ENOSPC;
		BPF_SNPRINTF(e->path, sizeof(e->path),
			     "label of directory %s: the labelled-directory table is full",
			     BPF_CORE_READ(dentry, d_name.name));
		bpf_ringbuf_submit(e, 0);
	}
	return -ENOSPC;
}

/**
 * guard_setxattr() - no xattr on a protected file; no directory label
 * that the labelled-directory table has no room for.
 */
SEC("lsm.s/inode_setxattr")
int BPF_PROG(guard_setxattr, struct mnt_idmap *idmap, struct dentry *dentry,
	     const char *name, const void *value, size_t size, int flags,
	     int ret)
{
	struct guard_ctx g;
	__u32 what;

	if (ret)
		return ret;
	ret = dir_label_room(dentry, name);
	if (ret || !guard_tagged(&g))
		return ret;
	what = protected_kind(dentry);
	if (what)
		return refuse_dentry(&g, what, ABAC_OP_WRITE, dentry);
	return 0;
}

/**
 * guard_removexattr() - no xattr removed from a protected file.
 */
SEC("lsm/inode_removexattr")
int BPF_PROG(guard_removexattr, struct mnt_idmap *idmap, struct dentry *dentry,
	     const char *name, int ret)
{
	struct guard_ctx g;
	__u32 what;

	if (ret || !guard_tagged(&g))
		return ret;
	what = protected_kind(dentry);
	if (what)
		return refuse_dentry(&g, what, ABAC_OP_WRITE, dentry);
	return 0;
}

/* ---- files: cgroup2, protected inodes, the agent's /proc --------------- */

/* Must file_open look any further than the file for this open? */
static __always_inline bool open_may_matter(struct inode *inode,
					    unsigned long magic, bool write)
{
	__u32 type = inode->i_mode & S_IFMT;

	return write || magic == PROC_SUPER_MAGIC || kernel_fs_secret(magic) ||
	       type == S_IFBLK || type == S_IFCHR;
}

/**
 * guard_file_open() - no write open of a cgroup2 file, a kernel interface
 * or a protected file, no open of anything under /proc/AGENT, of a raw
 * device, of debugfs or tracefs (guard_kernfs.h).
 */
SEC("lsm.s/file_open")
int BPF_PROG(guard_file_open, struct file *file, int ret)
{
	struct inode *inode = file->f_inode;
	unsigned long magic = inode_magic(inode);
	bool write = file->f_mode & FMODE_WRITE;
	struct guard_ctx g;
	__u32 agent, what;
	int err;

	if (ret)
		return ret;
	if (!open_may_matter(inode, magic, write))
		return 0;	/* nothing below refuses it: skip the subject */
	if (!guard_tagged(&g))
		return 0;
	if (write && magic == CGROUP2_SUPER_MAGIC)
		return refuse_file(&g, ABAC_GUARD_CGROUP_WRITE, ABAC_OP_WRITE,
				   file);
	if (magic == PROC_SUPER_MAGIC) {
		agent = guard_agent_tgid();
		if (agent && proc_inode_pid(inode) == agent)
			return refuse_file(&g, ABAC_GUARD_AGENT_PROC,
					   ABAC_OP_ADMINISTER, file);
	}
	err = kernel_open(&g, file, magic, write);
	if (err || !write)
		return err;
	what = protected_kind(file->f_path.dentry);
	if (what)
		return refuse_file(&g, what, ABAC_OP_WRITE, file);
	return 0;
}

/**
 * guard_file_permission() - a cgroup2 file or a kernel interface opened
 * before its opener was tagged (or passed in) still takes no write; a
 * descriptor to another process's /proc/PID file no write, nor a read
 * of its memory, maps or environment.
 */
SEC("lsm/file_permission")
int BPF_PROG(guard_file_permission, struct file *file, int mask, int ret)
{
	bool write = mask & MAY_WRITE;
	unsigned long magic;
	struct guard_ctx g;
	__u32 pid;

	if (ret)
		return ret;
	magic = inode_magic(file->f_inode);
	if (magic == PROC_SUPER_MAGIC) {
		pid = proc_inode_pid(file->f_inode);
		if (pid && (write || proc_opens_memory(file)) &&
		    guard_tagged(&g))
			return proc_permission(&g, file, pid, write);
		if (pid || !write)
			return 0;
	} else if (!write || (magic != CGROUP2_SUPER_MAGIC &&
			      !kernel_fs(magic))) {
		return 0;
	}
	if (!guard_tagged(&g))
		return 0;
	if (magic == CGROUP2_SUPER_MAGIC)
		return refuse_file(&g, ABAC_GUARD_CGROUP_WRITE, ABAC_OP_WRITE,
				   file);
	if (kernel_write(file->f_inode, magic))
		return refuse_file(&g, ABAC_GUARD_KERNEL_INTERFACE,
				   ABAC_OP_WRITE, file);
	return 0;
}

/**
 * guard_inode_permission() - write permission on a cgroup2 file: the
 * kernel asks it of cgroup.procs when a process moves by a write or by
 * clone3(CLONE_INTO_CGROUP), whoever opened the file.
 */
SEC("lsm/inode_permission")
int BPF_PROG(guard_inode_permission, struct inode *inode, int mask, int ret)
{
	struct kernfs_node *kn;
	struct guard_ctx g;

	if (ret || !(mask & MAY_WRITE) ||
	    inode_magic(inode) != CGROUP2_SUPER_MAGIC ||
	    (inode->i_mode & S_IFMT) == S_IFDIR || !guard_tagged(&g))
		return ret;
	kn = BPF_CORE_READ(inode, i_private);
	return refuse_text(&g, ABAC_GUARD_CGROUP_WRITE, ABAC_OP_WRITE, inode,
			   "%s/%s", kn_parent_name(kn), BPF_CORE_READ(kn, name));
}

/**
 * guard_setattr() - no truncate, chmod, chown, utimes of a protected
 * file, a cgroup2 file (chown delegates a cgroup) or a pin.
 */
SEC("lsm.s/inode_setattr")
int BPF_PROG(guard_setattr, struct mnt_idmap *idmap, struct dentry *dentry,
	     struct iattr *attr, int ret)
{
	unsigned long magic;
	struct guard_ctx g;
	__u32 what;

	if (ret || !guard_tagged(&g))
		return ret;
	magic = inode_magic(dentry->d_inode);
	if (magic == CGROUP2_SUPER_MAGIC)
		return refuse_dentry(&g, ABAC_GUARD_CGROUP_WRITE, ABAC_OP_WRITE,
				     dentry);
	if (magic == BPF_FS_MAGIC)
		return refuse_dentry(&g, ABAC_GUARD_BPFFS, ABAC_OP_ADMINISTER,
				     dentry);
	what = protected_kind(dentry);
	if (what)
		return refuse_dentry(&g, what, ABAC_OP_WRITE, dentry);
	return 0;
}

/* ---- directory changes: cgroup2, bpffs, protected directories ---------- */

/*
 * A change of entry @dentry in directory @dir: refused in cgroup2
 * (@cg_what), in bpffs, and of an entry of a protected tree.
 */
static __always_inline int dir_change(struct inode *dir, struct dentry *dentry,
				      __u32 cg_what, __u32 op)
{
	unsigned long magic = inode_magic(dir);
	struct guard_ctx g;
	__u32 what;

	if (!guard_tagged(&g))
		return 0;
	if (magic == CGROUP2_SUPER_MAGIC)
		return refuse_dentry(&g, cg_what, op, dentry);
	if (magic == BPF_FS_MAGIC)
		return refuse_dentry(&g, ABAC_GUARD_BPFFS, ABAC_OP_ADMINISTER,
				     dentry);
	what = protected_kind(dentry);
	if (what)
		return refuse_dentry(&g, what, op, dentry);
	return 0;
}

SEC("lsm/inode_mkdir")
int BPF_PROG(guard_mkdir, struct inode *dir, struct dentry *dentry,
	     umode_t mode, int ret)
{
	return ret ?: dir_change(dir, dentry, ABAC_GUARD_CGROUP_MKDIR,
				 ABAC_OP_CREATE);
}

SEC("lsm.s/inode_rmdir")
int BPF_PROG(guard_rmdir, struct inode *dir, struct dentry *dentry, int ret)
{
	return ret ?: dir_change(dir, dentry, ABAC_GUARD_CGROUP_RMDIR,
				 ABAC_OP_DELETE);
}

SEC("lsm.s/inode_create")
int BPF_PROG(guard_create, struct inode *dir, struct dentry *dentry,
	     umode_t mode, int ret)
{
	return ret ?: dir_change(dir, dentry, ABAC_GUARD_CGROUP_WRITE,
				 ABAC_OP_CREATE);
}

SEC("lsm.s/inode_mknod")
int BPF_PROG(guard_mknod, struct inode *dir, struct dentry *dentry,
	     umode_t mode, dev_t dev, int ret)
{
	return ret ?: dir_change(dir, dentry, ABAC_GUARD_CGROUP_WRITE,
				 ABAC_OP_CREATE);
}

SEC("lsm.s/inode_symlink")
int BPF_PROG(guard_symlink, struct inode *dir, struct dentry *dentry,
	     const char *old_name, int ret)
{
	return ret ?: dir_change(dir, dentry, ABAC_GUARD_CGROUP_WRITE,
				 ABAC_OP_CREATE);
}

SEC("lsm.s/inode_unlink")
int BPF_PROG(guard_unlink, struct inode *dir, struct dentry *dentry, int ret)
{
	return ret ?: dir_change(dir, dentry, ABAC_GUARD_CGROUP_WRITE,
				 ABAC_OP_DELETE);
}

/*
 * A hard link to a protected file outside its tree would be a way to
 * write it that the tree does not cover.
 */
SEC("lsm/inode_link")
int BPF_PROG(guard_link, struct dentry *old_dentry, struct inode *dir,
	     struct dentry *new_dentry, int ret)
{
	struct guard_ctx g;
	__u32 what;

	if (ret)
		return ret;
	what = guard_tagged(&g) ? protected_kind(old_dentry) : 0;
	if (what)
		return refuse_dentry(&g, what, ABAC_OP_CREATE, old_dentry);
	return dir_change(dir, new_dentry, ABAC_GUARD_CGROUP_WRITE,
			  ABAC_OP_CREATE);
}

SEC("lsm.s/inode_rename")
int BPF_PROG(guard_rename, struct inode *old_dir, struct dentry *old_dentry,
	     struct inode *new_dir, struct dentry *new_dentry, int ret)
{
	if (ret)
		return ret;
	return dir_change(old_dir, old_dentry, ABAC_GUARD_CGROUP_RENAME,
			  ABAC_OP_WRITE) ?:
	       dir_change(new_dir, new_dentry, ABAC_GUARD_CGROUP_RENAME,
			  ABAC_OP_WRITE);
}

/* ---- BPF and mounts ------------------------------------------------------ */

/** guard_bpf() - no bpf() command at all from a tagged subject. */
SEC("lsm.s/bpf")
int BPF_PROG(guard_bpf, int cmd, union bpf_attr *attr, unsigned int size,
	     int ret)
{
	struct guard_ctx g;

	if (ret || !guard_tagged(&g))
		return ret;
	return refuse_text(&g, ABAC_GUARD_BPF, ABAC_OP_ADMINISTER, NULL,
			   "bpf(cmd=%d)", cmd);
}

SEC("lsm.s/bpf_map")
int BPF_PROG(guard_bpf_map, struct bpf_map *map, fmode_t fmode, int ret)
{
	struct guard_ctx g;

	if (ret || !guard_tagged(&g))
		return ret;
	return refuse_text(&g, ABAC_GUARD_BPF_MAP, ABAC_OP_ADMINISTER, NULL,
			   "bpf map id %u", BPF_CORE_READ(map, id));
}

SEC("lsm.s/bpf_prog")
int BPF_PROG(guard_bpf_prog, struct bpf_prog *prog, int ret)
{
	struct guard_ctx g;

	if (ret || !guard_tagged(&g))
		return ret;
	return refuse_text(&g, ABAC_GUARD_BPF_PROG, ABAC_OP_ADMINISTER, NULL,
			   "bpf prog id %u", BPF_CORE_READ(prog, aux, id));
}

SEC("lsm.s/sb_mount")
int BPF_PROG(guard_mount, const char *dev_name, const struct path *path,
	     const char *type, unsigned long flags, void *data, int ret)
{
	struct guard_ctx g;

	if (ret || !guard_tagged(&g) || guard_in_setup(&g))
		return ret;
	return refuse_text(&g, ABAC_GUARD_MOUNT, ABAC_OP_ADMINISTER,
			   BPF_CORE_READ(path, dentry, d_inode),
			   "mount type=%s flags=0x%lx on %s", type, flags,
			   BPF_CORE_READ(path, dentry, d_name.name));
}

SEC("lsm.s/sb_umount")
int BPF_PROG(guard_umount, struct vfsmount *mnt, int flags, int ret)
{
	struct guard_ctx g;

	if (ret || !guard_tagged(&g) || guard_in_setup(&g))
		return ret;
	return refuse_text(&g, ABAC_GUARD_UMOUNT, ABAC_OP_ADMINISTER,
			   BPF_CORE_READ(mnt, mnt_root, d_inode),
			   "umount fs magic=0x%lx",
			   BPF_CORE_READ(mnt, mnt_sb, s_magic));
}

SEC("lsm/move_mount")
int BPF_PROG(guard_move_mount, const struct path *from_path,
	     const struct path *to_path, int ret)
{
	struct guard_ctx g;

	if (ret || !guard_tagged(&g) || guard_in_setup(&g))
		return ret;
	return refuse_text(&g, ABAC_GUARD_MOVE_MOUNT, ABAC_OP_ADMINISTER,
			   BPF_CORE_READ(to_path, dentry, d_inode),
			   "move_mount to %s",
			   BPF_CORE_READ(to_path, dentry, d_name.name));
}

SEC("lsm/sb_pivotroot")
int BPF_PROG(guard_pivotroot, const struct path *old_path,
	     const struct path *new_path, int ret)
{
	struct guard_ctx g;

	if (ret || !guard_tagged(&g) || guard_in_setup(&g))
		return ret;
	return refuse_text(&g, ABAC_GUARD_PIVOT_ROOT, ABAC_OP_ADMINISTER, NULL,
			   "pivot_root to %s",
			   BPF_CORE_READ(new_path, dentry, d_name.name));
}

/* ---- the agent's process and socket --------------------------------------- */

SEC("lsm/task_kill")
int BPF_PROG(guard_task_kill, struct task_struct *p,
	     struct kernel_siginfo *info, int sig, const struct cred *cred,
	     int ret)
{
	struct guard_ctx g;

	if (ret || !sig || !is_agent(p) || !guard_tagged(&g))
		return ret;
	return refuse_text(&g, ABAC_GUARD_SIGNAL, ABAC_OP_ADMINISTER, NULL,
			   "signal %d to pid %d", sig, BPF_CORE_READ(p, tgid));
}

/**
 * guard_unix_connect() - the control socket takes a tagged subject only
 * when a rule allows it "administer" (a policy's administrators).
 */
SEC("lsm/unix_stream_connect")
int BPF_PROG(guard_unix_connect, struct sock *sock, struct sock *other,
	     struct sock *newsk, int ret)
{
	struct unix_sock *u;
	struct inode *inode;
	struct guard_ctx g;

	if (ret)
		return ret;
	u = bpf_skc_to_unix_sock(other);
	if (!u)
		return 0;
	inode = u->path.dentry->d_inode;
	if (!(inode_kind(inode) & ABAC_GUARD_INODE_SOCKET) ||
	    !guard_tagged(&g))
		return 0;
	if (rule_allows(&g, ABAC_OP_ADMINISTER, &guard_no_attrs))
		return 0;
	return refuse_text(&g, ABAC_GUARD_SOCKET, ABAC_OP_ADMINISTER, inode,
			   "connect to the control socket %s",
			   BPF_CORE_READ((struct unix_sock *)other, path.dentry,
					 d_name.name));
}

/**
 * guard_inode_getattr() - note the credentials overlayfs works on its
 * layers with (overlay.h).
 */
SEC("lsm/inode_getattr")
int BPF_PROG(guard_inode_getattr, const struct path *path, int ret)
{
	return ret ? ret : abac_note_overlay_creds(path);
}
