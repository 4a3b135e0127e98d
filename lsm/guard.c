// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: the tamper guard.  It keeps a tagged task (root inside
 * a tagged cgroup included) from changing the attributes and the
 * machinery that decide about it (NIST SP 800-162: subjects must not set
 * their own attributes nor their objects'), as bpf/guard.bpf.c does for
 * the BPF programs:
 *
 *   - labels: no security.abac at all (only CAP_MAC_ADMIN outside every
 *     tagged cgroup sets it); user.abac only where a rule allows
 *     "relabel" (hooks_file.c);
 *   - cgroups: no write to a cgroup2 file (cgroup.procs, cgroup.threads,
 *     ...), no clone3(CLONE_INTO_CGROUP), no mkdir, rmdir, rename there;
 *   - abac itself: no write to its securityfs files (fs.c), no BPF
 *     program or map, no module, no mount, umount, move_mount,
 *     pivot_root, no change of the clock the time windows read;
 *   - the agent: no signal, no ptrace (nor /proc/PID/mem, process_vm_*,
 *     pidfd_getfd: all ptrace_access_check), no open of /proc/AGENT/...,
 *     no nice, scheduler or ioprio change; its control socket only for a
 *     subject a rule allows "administer";
 *   - the agent's files (guard_cfg.c) and the system trees below the
 *     tops it names (/etc, /usr ...): neither written nor changed;
 *   - other processes (guard_tasks.c), kernel interfaces and raw devices
 *     (guard_kernfs.c).
 *
 * The guard refuses with -EPERM in enforce and audit mode alike, counts
 * each refusal and reports it with reason ABAC_REASON_GUARD and what was
 * attempted (enum abac_guard), on the event file and to audit.  Untagged
 * tasks pass untouched.  Hooks the decision uses too call the
 * abac_guard_*() helpers first (one function per hook and LSM: each takes
 * a static call slot); the others are registered here.
 */
#include "abac.h"

#include <linux/binfmts.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/kernel_read_file.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <linux/net.h>
#include <linux/sched.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <net/af_unix.h>
#include <net/sock.h>

#include "abac_blobs.h"

static unsigned long abac_magic(const struct inode *inode)
{
	return inode ? inode->i_sb->s_magic : 0;
}

/* A zeroed event for a refusal, counted; NULL without memory. */
static struct abac_event *abac_guard_event(const struct abac_ctx *c, u32 what,
					   u32 op, const struct inode *inode)
{
	struct abac_event *e;

	atomic64_inc(&abac_stats.guarded);
	atomic64_inc(&abac_stats.denied);
	e = kzalloc(sizeof(*e), GFP_ATOMIC | __GFP_NOWARN);
	if (!e) {
		atomic64_inc(&abac_stats.events_lost);
		return NULL;
	}
	abac_event_fill(e, c, inode);
	e->op = op;
	e->effect = ABAC_DENY;
	e->reason = ABAC_REASON_GUARD;
	e->errno_val = EPERM;
	e->guard = what;
	return e;
}

/* Report an event from abac_guard_event(), NULL or not: -EPERM. */
static int abac_guard_submit(const struct abac_ctx *c, struct abac_event *e)
{
	if (e) {
		abac_event_push(e);
		abac_audit_guard(c, e);
		kfree(e);
	}
	return -EPERM;
}

/**
 * abac_guard_refuse() - refuse a tamper attempt and report it.
 * @c: the tagged caller.
 * @what: enum abac_guard.
 * @op: the operation it amounts to (enum abac_op).
 * @inode: the object's inode, or NULL.
 * @fmt: what was attempted, in words, for the event's path field.
 *
 * Return: -EPERM.
 */
int abac_guard_refuse(const struct abac_ctx *c, u32 what, u32 op,
		      const struct inode *inode, const char *fmt, ...)
{
	struct abac_event *e = abac_guard_event(c, what, op, inode);
	va_list ap;

	if (e) {
		va_start(ap, fmt);
		vsnprintf(e->path, sizeof(e->path), fmt, ap);
		va_end(ap);
	}
	return abac_guard_submit(c, e);
}

/**
 * abac_guard_refuse_file() - refuse, naming the object by its file's path.
 * @c: the tagged caller.
 * @what: enum abac_guard.
 * @op: the operation it amounts to (enum abac_op).
 * @file: the file.
 *
 * Return: -EPERM.
 */
int abac_guard_refuse_file(const struct abac_ctx *c, u32 what, u32 op,
			   struct file *file)
{
	struct abac_event *e = abac_guard_event(c, what, op, file_inode(file));
	char *p;

	if (e) {
		p = d_path(&file->f_path, e->path, sizeof(e->path));
		if (IS_ERR(p))
			e->path[0] = '\0';
		else
			memmove(e->path, p, strlen(p) + 1);
	}
	return abac_guard_submit(c, e);
}

/* Refuse, naming the object by its entry and its directory's. */
static int abac_guard_refuse_dentry(const struct abac_ctx *c, u32 what,
				    u32 op, struct dentry *dentry)
{
	return abac_guard_refuse(c, what, op, d_inode(dentry), "%pd2",
				 dentry);
}

/* How far up abac_protected_kind() looks; deeper counts as protected. */
#define ABAC_GUARD_TREE_DEPTH	64

/*
 * Is @dentry protected, as itself or below a protected directory?  The
 * walk follows d_parent within the entry's file system, so an inode is
 * protected whatever the path it is reached by (a bind mount, a
 * symlink, /proc/PID/root).  Returns the refusal it calls for:
 * ABAC_GUARD_SYSTEM_FILE below a system tree, ABAC_GUARD_PROTECTED below
 * the agent's own, 0 when not protected (bpf/guard.h, protected_kind()).
 */
static u32 abac_protected_kind(struct dentry *dentry)
{
	struct dentry *d = dentry, *parent;
	u32 k, kind, what = ABAC_GUARD_SYSTEM_FILE;	/* too deep: closed */

	rcu_read_lock();
	for (k = 0; k < ABAC_GUARD_TREE_DEPTH; k++) {
		kind = abac_guard_inode_kind(d_inode_rcu(d));
		if (kind & ~(ABAC_GUARD_INODE_SYSTEM | ABAC_GUARD_INODE_RAW_CHAR)) {
			what = ABAC_GUARD_PROTECTED;
			break;
		}
		if (kind & ABAC_GUARD_INODE_SYSTEM)
			break;
		parent = READ_ONCE(d->d_parent);
		if (parent == d) {
			what = 0;
			break;
		}
		d = parent;
	}
	rcu_read_unlock();
	return what;
}

/* ---- helpers for the hooks the decision shares ------------------------ */

/**
 * abac_guard_file_open() - no write open of a cgroup2 file, a kernel
 * interface or a protected file, no open of anything under /proc/AGENT,
 * of a raw device, of debugfs or tracefs (guard_kernfs.c).
 * @c: the tagged caller.
 * @file: the file being opened.
 *
 * It starts from abac_guard_open_plain(), which abac_file_open() asks
 * inline: a refusal of a read-only open added here must be added to
 * abac_guard_inode_plain() too.
 *
 * Return: 0 or -EPERM.
 */
int abac_guard_file_open(const struct abac_ctx *c, struct file *file)
{
	struct inode *inode = file_inode(file);
	unsigned long magic = abac_magic(inode);
	bool write = file->f_mode & FMODE_WRITE;
	u32 what;
	int err;

	if (abac_guard_open_plain(file))
		return 0;
	if (write && magic == CGROUP2_SUPER_MAGIC)
		return abac_guard_refuse_file(c, ABAC_GUARD_CGROUP_WRITE,
					      ABAC_OP_WRITE, file);
	if (magic == PROC_SUPER_MAGIC &&
	    abac_guard_tgid_is_agent(READ_ONCE(abac_inode(inode)->proc_tgid)))
		return abac_guard_refuse_file(c, ABAC_GUARD_AGENT_PROC,
					      ABAC_OP_ADMINISTER, file);
	err = abac_guard_kernel_open(c, file, write);
	if (err || !write)
		return err;
	what = abac_protected_kind(file->f_path.dentry);
	if (what)
		return abac_guard_refuse_file(c, what, ABAC_OP_WRITE, file);
	return 0;
}

/**
 * abac_guard_file_permission() - a cgroup2 file or a kernel interface
 * opened before its opener was tagged (or passed in) still takes no
 * write; a descriptor to another process's /proc/PID file no write, nor
 * a read of its memory, maps or environment.
 * @c: the tagged caller.
 * @file: the open file.
 * @mask: MAY_* of the access.
 *
 * It starts from abac_guard_read_plain(), which abac_file_permission()
 * asks inline: a refusal of a read added here must be added to
 * abac_guard_inode_plain() too.
 *
 * Return: 0 or -EPERM.
 */
int abac_guard_file_permission(const struct abac_ctx *c, struct file *file,
			       int mask)
{
	bool write = mask & (MAY_WRITE | MAY_APPEND);
	const struct inode *inode = file_inode(file);
	const char *name;
	pid_t tgid;

	if (abac_guard_read_plain(file, mask))
		return 0;
	if (abac_magic(inode) == PROC_SUPER_MAGIC) {
		tgid = READ_ONCE(abac_inode(inode)->proc_tgid);
		name = (const char *)file->f_path.dentry->d_name.name;
		if (tgid && (write || abac_proc_opens_memory(name)))
			return abac_guard_proc_access(c, file, tgid, write ?
					ABAC_OP_WRITE : ABAC_OP_READ);
	}
	if (!write)
		return 0;
	if (abac_magic(inode) == CGROUP2_SUPER_MAGIC)
		return abac_guard_refuse_file(c, ABAC_GUARD_CGROUP_WRITE,
					      ABAC_OP_WRITE, file);
	if (abac_guard_kernel_write(file))
		return abac_guard_refuse_file(c, ABAC_GUARD_KERNEL_INTERFACE,
					      ABAC_OP_WRITE, file);
	return 0;
}

/**
 * abac_guard_setattr() - no truncate, chmod, chown, utimes of a protected
 * file or a cgroup2 file (chown delegates a cgroup).
 * @c: the tagged caller.
 * @dentry: the entry.
 *
 * Return: 0 or -EPERM.
 */
int abac_guard_setattr(const struct abac_ctx *c, struct dentry *dentry)
{
	unsigned long magic = abac_magic(d_inode(dentry));
	u32 what;

	if (magic == CGROUP2_SUPER_MAGIC)
		return abac_guard_refuse_dentry(c, ABAC_GUARD_CGROUP_WRITE,
						ABAC_OP_WRITE, dentry);
	if (magic == BPF_FS_MAGIC)
		return abac_guard_refuse_dentry(c, ABAC_GUARD_BPFFS,
						ABAC_OP_ADMINISTER, dentry);
	what = abac_protected_kind(dentry);
	if (what)
		return abac_guard_refuse_dentry(c, what, ABAC_OP_WRITE, dentry);
	return 0;
}

/**
 * abac_guard_xattr() - no xattr set on or removed from a protected file,
 * and never security.abac by a tagged task.
 * @c: the tagged caller.
 * @dentry: the entry.
 * @name: the xattr's name.
 * @remove: a removal rather than a set.
 *
 * Return: 0 or -EPERM.
 */
int abac_guard_xattr(const struct abac_ctx *c, struct dentry *dentry,
		     const char *name, bool remove)
{
	u32 what = abac_protected_kind(dentry);

	if (what)
		return abac_guard_refuse_dentry(c, what, ABAC_OP_WRITE, dentry);
	if (!strcmp(name, ABAC_NATIVE_XATTR))
		return abac_guard_refuse_dentry(c, remove ?
						ABAC_GUARD_LABEL_REMOVE :
						ABAC_GUARD_LABEL_SET,
						ABAC_OP_RELABEL, dentry);
	return 0;
}

/**
 * abac_guard_dir_change() - a change of entry @dentry in directory @dir:
 * refused in cgroup2 (@cg_what), in bpffs, and in or of a protected inode.
 * @c: the tagged caller.
 * @dir: the directory.
 * @dentry: the entry.
 * @cg_what: enum abac_guard for a cgroup2 directory.
 * @op: enum abac_op it amounts to.
 *
 * Return: 0 or -EPERM.
 */
int abac_guard_dir_change(const struct abac_ctx *c, struct inode *dir,
			  struct dentry *dentry, u32 cg_what, u32 op)
{
	unsigned long magic = abac_magic(dir);
	u32 what;

	if (magic == CGROUP2_SUPER_MAGIC)
		return abac_guard_refuse_dentry(c, cg_what, op, dentry);
	if (magic == BPF_FS_MAGIC)
		return abac_guard_refuse_dentry(c, ABAC_GUARD_BPFFS,
						ABAC_OP_ADMINISTER, dentry);
	what = abac_protected_kind(dentry);	/* @dentry is in @dir */
	if (what)
		return abac_guard_refuse_dentry(c, what, op, dentry);
	return 0;
}

/**
 * abac_guard_link() - a hard link out of a protected directory would
 * outlive its entry; then as abac_guard_dir_change().
 * @c: the tagged caller.
 * @old_dentry: the entry linked.
 * @dir: the directory the link goes in.
 * @new_dentry: the new entry.
 *
 * Return: 0 or -EPERM.
 */
int abac_guard_link(const struct abac_ctx *c, struct dentry *old_dentry,
		    struct inode *dir, struct dentry *new_dentry)
{
	u32 what = abac_protected_kind(old_dentry);

	if (what)
		return abac_guard_refuse_dentry(c, what, ABAC_OP_CREATE,
						old_dentry);
	return abac_guard_dir_change(c, dir, new_dentry,
				     ABAC_GUARD_CGROUP_WRITE, ABAC_OP_CREATE);
}

/**
 * abac_guard_unix_connect() - the control socket takes a tagged subject
 * only when a rule allows it "administer" (a policy's administrators).
 * @c: the tagged caller.
 * @other: the socket connected to.
 *
 * Return: 0 or -EPERM.
 */
int abac_guard_unix_connect(const struct abac_ctx *c, struct sock *other)
{
	struct dentry *dentry = unix_sk(other)->path.dentry;
	struct inode *inode = dentry ? d_inode(dentry) : NULL;

	if (!(abac_guard_inode_kind(inode) & ABAC_GUARD_INODE_SOCKET) ||
	    abac_rule_allows(c, ABAC_OP_ADMINISTER))
		return 0;
	return abac_guard_refuse(c, ABAC_GUARD_SOCKET, ABAC_OP_ADMINISTER,
				 inode, "connect to the control socket %pd",
				 dentry);
}

/* ---- hooks of the guard alone ------------------------------------------ */

/**
 * abac_guard_clone() - no clone3(CLONE_INTO_CGROUP) by a tagged task: it
 * starts the child in another cgroup, which the kernel checks as a write
 * of the target's cgroup.procs (whose open the guard refuses to a tagged
 * task anyway).  From task_alloc, before the kernel's own check: no
 * inode_permission hook, which every path walk would pay for.
 * @clone_flags: the clone's flags (64 bits wide here: x86-64).
 *
 * Return: 0 or -EPERM.
 */
int abac_guard_clone(unsigned long clone_flags)
{
	struct abac_ctx c;
	int err;

	if (!(clone_flags & CLONE_INTO_CGROUP) || !abac_ctx_get(&c))
		return 0;
	err = abac_guard_refuse(&c, ABAC_GUARD_CGROUP_WRITE, ABAC_OP_WRITE,
				NULL, "clone3(CLONE_INTO_CGROUP): cgroup.procs");
	abac_ctx_put(&c);
	return err;
}

static int abac_sb_mount(const char *dev_name, const struct path *path,
			 const char *type, unsigned long flags, void *data)
{
	struct abac_ctx c;
	int err;

	if (!abac_ctx_get(&c))
		return 0;
	err = 0;
	if (!abac_guard_in_setup(&c))	/* a runtime's set-up: guard_tasks.c */
		err = abac_guard_refuse(&c, ABAC_GUARD_MOUNT, ABAC_OP_ADMINISTER,
					d_inode(path->dentry),
					"mount type=%s flags=0x%lx on %pd",
					type ? type : "?", flags, path->dentry);
	abac_ctx_put(&c);
	return err;
}

static int abac_sb_umount(struct vfsmount *mnt, int flags)
{
	struct abac_ctx c;
	int err;

	if (!abac_ctx_get(&c))
		return 0;
	err = 0;
	if (!abac_guard_in_setup(&c))	/* a runtime's set-up: guard_tasks.c */
		err = abac_guard_refuse(&c, ABAC_GUARD_UMOUNT, ABAC_OP_ADMINISTER,
					d_inode(mnt->mnt_root),
					"umount fs magic=0x%lx", mnt->mnt_sb->s_magic);
	abac_ctx_put(&c);
	return err;
}

static int abac_move_mount(const struct path *from_path,
			   const struct path *to_path)
{
	struct abac_ctx c;
	int err;

	if (!abac_ctx_get(&c))
		return 0;
	err = 0;
	if (!abac_guard_in_setup(&c))	/* a runtime's set-up: guard_tasks.c */
		err = abac_guard_refuse(&c, ABAC_GUARD_MOVE_MOUNT, ABAC_OP_ADMINISTER,
					d_inode(to_path->dentry), "move_mount to %pd",
					to_path->dentry);
	abac_ctx_put(&c);
	return err;
}

static int abac_sb_pivotroot(const struct path *old_path,
			     const struct path *new_path)
{
	struct abac_ctx c;
	int err;

	if (!abac_ctx_get(&c))
		return 0;
	err = 0;
	if (!abac_guard_in_setup(&c))	/* a runtime's set-up: guard_tasks.c */
		err = abac_guard_refuse(&c, ABAC_GUARD_PIVOT_ROOT, ABAC_OP_ADMINISTER,
					NULL, "pivot_root to %pd", new_path->dentry);
	abac_ctx_put(&c);
	return err;
}

static int abac_task_kill(struct task_struct *p, struct kernel_siginfo *info,
			  int sig, const struct cred *cred)
{
	struct abac_ctx c;
	int err;

	if (!sig || !abac_guard_is_agent(p) || !abac_ctx_get(&c))
		return 0;
	err = abac_guard_refuse(&c, ABAC_GUARD_SIGNAL, ABAC_OP_ADMINISTER,
				NULL, "signal %d to pid %d", sig,
				task_tgid_nr(p));
	abac_ctx_put(&c);
	return err;
}

/* Remember which process a /proc inode stands for (abac_guard_file_open). */
static void abac_task_to_inode(struct task_struct *p, struct inode *inode)
{
	WRITE_ONCE(abac_inode(inode)->proc_tgid, task_tgid_nr(p));
}

/*
 * The clock that time windows read is not a tagged task's to set, unless
 * the policy grants its subject sys_time.
 */
static int abac_settime(const struct timespec64 *ts, const struct timezone *tz)
{
	struct abac_ctx c;
	int err = 0;

	if (!abac_ctx_get(&c))
		return 0;
	if (!abac_ctx_granted(&c, ABAC_CAP_SYS_TIME))
		err = abac_guard_refuse(&c, ABAC_GUARD_CLOCK,
					ABAC_OP_ADMINISTER, NULL, "set the %s",
					ts ? "clock" : "timezone");
	abac_ctx_put(&c);
	return err;
}

/*
 * Code into the kernel (modules, kexec, an IMA policy): not from a tagged
 * task, unless the policy grants its subject the capability the load
 * takes (@cap: sys_module, sys_boot; -1 for none).
 */
static int abac_kernel_load(const char *what, int cap)
{
	struct abac_ctx c;
	int err = 0;

	if (!abac_ctx_get(&c))
		return 0;
	if (cap < 0 || !abac_ctx_granted(&c, cap))
		err = abac_guard_refuse(&c, ABAC_GUARD_MODULE,
					ABAC_OP_ADMINISTER, NULL, "load %s",
					what);
	abac_ctx_put(&c);
	return err;
}

static int abac_kernel_load_data(enum kernel_load_data_id id, bool contents)
{
	const char *what = kernel_load_data_id_str(id);

	if (id == LOADING_MODULE)
		return abac_kernel_load(what, ABAC_CAP_SYS_MODULE);
	if (id == LOADING_KEXEC_IMAGE || id == LOADING_KEXEC_INITRAMFS)
		return abac_kernel_load(what, ABAC_CAP_SYS_BOOT);
	if (id == LOADING_POLICY)
		return abac_kernel_load(what, -1);
	return 0;
}

static int abac_kernel_read_file(struct file *file, enum kernel_read_file_id id,
				 bool contents)
{
	const char *what = kernel_read_file_id_str(id);

	if (id == READING_MODULE)
		return abac_kernel_load(what, ABAC_CAP_SYS_MODULE);
	if (id == READING_KEXEC_IMAGE || id == READING_KEXEC_INITRAMFS)
		return abac_kernel_load(what, ABAC_CAP_SYS_BOOT);
	if (id == READING_POLICY)
		return abac_kernel_load(what, -1);
	return 0;
}

/* A module loaded on a tagged task's behalf runs modprobe untagged. */
static int abac_kernel_module_request(char *kmod_name)
{
	struct abac_ctx c;
	int err;

	if (!abac_ctx_get(&c))
		return 0;
	err = abac_guard_refuse(&c, ABAC_GUARD_MODULE, ABAC_OP_ADMINISTER,
				NULL, "request module %s", kmod_name);
	abac_ctx_put(&c);
	return err;
}

#ifdef CONFIG_BPF_SYSCALL
/* No bpf() command at all from a tagged task. */
static int abac_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	struct abac_ctx c;
	int err;

	if (!abac_ctx_get(&c))
		return 0;
	err = abac_guard_refuse(&c, ABAC_GUARD_BPF, ABAC_OP_ADMINISTER, NULL,
				"bpf(cmd=%d)", cmd);
	abac_ctx_put(&c);
	return err;
}

static int abac_bpf_map(struct bpf_map *map, fmode_t fmode)
{
	struct abac_ctx c;
	int err;

	if (!abac_ctx_get(&c))
		return 0;
	err = abac_guard_refuse(&c, ABAC_GUARD_BPF_MAP, ABAC_OP_ADMINISTER,
				NULL, "bpf map fd");
	abac_ctx_put(&c);
	return err;
}

static int abac_bpf_prog(struct bpf_prog *prog)
{
	struct abac_ctx c;
	int err;

	if (!abac_ctx_get(&c))
		return 0;
	err = abac_guard_refuse(&c, ABAC_GUARD_BPF_PROG, ABAC_OP_ADMINISTER,
				NULL, "bpf prog fd");
	abac_ctx_put(&c);
	return err;
}
#endif

static struct security_hook_list abac_guard_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(sb_mount, abac_sb_mount),
	LSM_HOOK_INIT(sb_umount, abac_sb_umount),
	LSM_HOOK_INIT(move_mount, abac_move_mount),
	LSM_HOOK_INIT(sb_pivotroot, abac_sb_pivotroot),
	LSM_HOOK_INIT(task_kill, abac_task_kill),
	LSM_HOOK_INIT(task_to_inode, abac_task_to_inode),
	LSM_HOOK_INIT(settime, abac_settime),
	LSM_HOOK_INIT(kernel_load_data, abac_kernel_load_data),
	LSM_HOOK_INIT(kernel_read_file, abac_kernel_read_file),
	LSM_HOOK_INIT(kernel_module_request, abac_kernel_module_request),
#ifdef CONFIG_BPF_SYSCALL
	LSM_HOOK_INIT(bpf, abac_bpf),
	LSM_HOOK_INIT(bpf_map, abac_bpf_map),
	LSM_HOOK_INIT(bpf_prog, abac_bpf_prog),
#endif
};

/**
 * abac_add_guard_hooks() - register the hooks of the guard alone.
 */
void __init abac_add_guard_hooks(void)
{
	security_add_hooks(abac_guard_hooks, ARRAY_SIZE(abac_guard_hooks),
			   &abac_lsmid);
}
