/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * abac native LSM: what its files share.
 *
 *   setup.c       DEFINE_LSM, the LSM id, blob sizes, hook registration
 *   policy.c      the image in force and the environment: swap under RCU
 *   subject.c     the calling task's subject, cached in its task blob
 *   label.c       object labels: read, cached in the inode blob, inherited
 *   core.c        the decision: the only caller of abac_decide()
 *   avc.c         decisions cached per inode and per task
 *   hooks_file.c  open, read/write, exec, truncate, setattr, xattrs
 *   hooks_memory.c  file mappings: mmap and mprotect
 *   exec_only.c   programs run but not read: no tracer, attach, core
 *   overlay.c     overlayfs' own work on its layers: not the subject's
 *   hooks_dir.c   create, delete, rename and link
 *   hooks_net.c   connect, bind, listen: IPv4, IPv6, Unix
 *   guard.c       the tamper guard: what no tagged task may do to abac
 *   guard_cfg.c   whom and what the guard shields (the agent, its inodes)
 *   guard_caps.c  capabilities and user namespaces withheld from tagged tasks
 *   guard_agent.c the agent from its first instruction: exec, SIGIO, socket
 *   guard_tasks.c other processes: a tagged task acts only on its own
 *   guard_kernfs.c  kernel interfaces and raw devices reached as files
 *   events.c      counters, the denial record ring, the name tables
 *   fold.c        denial repeats folded, a record budget per cgroup
 *   audit.c       denial records for the audit subsystem
 *   fs.c          securityfs: /sys/kernel/security/abac/
 *
 * Hooks only translate a kernel event into operations on objects and
 * call abac_check(); what decides is lsm/abac_decide.h, the code the BPF
 * programs and the user-space tools run too.
 */
#ifndef _SECURITY_ABAC_H
#define _SECURITY_ABAC_H

#define pr_fmt(fmt) "abac: " fmt

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/lsm_hooks.h>
#include <linux/magic.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/sched.h>

#include "abac_abi.h"
#include "abac_hash.h"
#include "abac_decide.h"

#define ABAC_LSM_NAME		"abac"
/* Not an upstream id: out of the range upstream LSMs use (100..). */
#ifndef LSM_ID_ABAC
#define LSM_ID_ABAC		190
#endif
/* Not an upstream audit record type: beside IPE's (1420) in the LSM range. */
#define ABAC_AUDIT_ACCESS	1430

#define ABAC_EVENT_RING		1024	/* denial records kept for readers */
#define ABAC_LOST_KEYS		64	/* (cgroup, rule, op) of lost records */
#define ABAC_AVC_SLOTS		4	/* decisions cached per inode, task */
#define ABAC_INHERIT_DEPTH	256	/* directories walked up for a label */
#define ABAC_STATE_MAX		(4U << 20)	/* bytes of the agent's state */
#define ABAC_GUARD_MAX_ENTS	65536	/* inodes the guard protects */

/*
 * The operations the hooks decide, shown in the status file: user space
 * refuses a policy that names one this kernel does not decide.  A new
 * operation is added here with its hook, not before.
 */
#define ABAC_NATIVE_OPS							\
	((1U << ABAC_OP_READ) | (1U << ABAC_OP_WRITE) |			\
	 (1U << ABAC_OP_EXEC) | (1U << ABAC_OP_CREATE) |		\
	 (1U << ABAC_OP_DELETE) | (1U << ABAC_OP_RELABEL) |		\
	 (1U << ABAC_OP_CONNECT) | (1U << ABAC_OP_BIND) |		\
	 (1U << ABAC_OP_LISTEN) | (1U << ABAC_OP_ADMINISTER))

struct dentry;
struct file;
struct inode;
struct path;
struct sock;
struct wait_queue_head;

extern bool abac_enabled;
extern const struct lsm_id abac_lsmid;
extern struct lsm_blob_sizes abac_blob_sizes;

/* ---- policy.c: the image in force ------------------------------------- */

/**
 * struct abac_loaded - one image in force, or once in force.
 * @ref: references: one for being in force, one per decision or reader.
 * @rcu: frees it after a grace period once the last reference is gone.
 * @seq: how many images had been accepted before this one, plus one:
 *	never reused, so a cache entry that names it names this image.
 * @len: bytes at @img.
 * @hits: one decision counter per rule of the image (securityfs
 *	rule_hits), allocated with it.
 * @nhits: counters at @hits: the image's rules.
 * @img: the image, validated by abac_image_validate().
 */
struct abac_loaded {
	refcount_t ref;
	struct rcu_head rcu;
	u64 seq;
	size_t len;
	atomic64_t *hits;
	u32 nhits;
	u8 img[] __aligned(8);
};

struct abac_loaded *abac_policy_get(void);
void abac_policy_put(struct abac_loaded *pol);
int abac_policy_load(const u8 *buf, size_t len, char *msg, size_t msg_size);
void abac_policy_last_error(char *buf, size_t size);
u64 abac_policy_loads(void);
u64 abac_policy_rejects(void);
int abac_env_set(const struct abac_env_state *st);
void abac_env_get(struct abac_env_state *st);
u32 abac_env_fill(const struct abac_loaded *pol, struct abac_env *env);

extern struct abac_loaded __rcu *abac_current;

/**
 * abac_policy_rcu() - the image in force, for a reader inside
 * rcu_read_lock() that takes no reference.
 *
 * Return: the image, or NULL when none is loaded.
 */
static __always_inline struct abac_loaded *abac_policy_rcu(void)
{
	return rcu_dereference(abac_current);
}

static __always_inline const struct abac_image_hdr *
abac_loaded_hdr(const struct abac_loaded *pol)
{
	return (const struct abac_image_hdr *)pol->img;
}

static __always_inline struct abac_image
abac_loaded_image(const struct abac_loaded *pol)
{
	struct abac_image img = {
		.base = pol->img,
		.nrec = (u32)(pol->len / ABAC_REC_SIZE),
	};

	return img;
}

/* ---- subject.c: who asks ---------------------------------------------- */

/**
 * struct abac_ctx - one decision's caller, as the image in force sees it.
 * @pol: the image in force, read inside the RCU read section that
 *	abac_ctx_get() opens and abac_ctx_put() closes; NULL once closed.
 * @attrs: the caller's subject attributes, inside @pol.
 * @cgroup_id: the caller's own cgroup (v2).
 * @tagged_id: the cgroup whose tags apply: its own or an ancestor.
 * @caps: the withheld capabilities the policy gives back to the subject
 *	(ABAC_CAP_GRANT_BIT()).
 * @cls: the subject's class in the rule index (struct abac_subj_key.cls).
 */
struct abac_ctx {
	struct abac_loaded *pol;
	const struct abac_attrs *attrs;
	u64 cgroup_id;
	u64 tagged_id;
	u32 caps;	/* withheld capabilities granted back (abac_abi.h) */
	u32 cls;
};

/* Does the policy give withheld capability @cap back to @c's subject? */
static inline bool abac_ctx_granted(const struct abac_ctx *c, int cap)
{
	return c->caps & ABAC_CAP_GRANT_BIT(cap);
}

/**
 * struct abac_subj_memo - a task's last answer to "whose tags apply to
 * me?", the first member of its blob (struct abac_task).
 * @seq: the load sequence of the image it was found under (never reused).
 * @cgroup_id: the cgroup (v2) it was found for.
 * @key_idx: the record of the subject slot found; 0: untagged.
 * @caps: when tagged, &struct abac_ctx's @caps,
 * @cls: @cls,
 * @tagged_id: @tagged_id
 * @attrs: and @attrs (inside the image of load sequence @seq, which
 *	lives while it is the image in force), as abac_ctx_lookup() found
 *	them: abac_ctx_get() answers "tagged" from them without a call.
 *
 * Only the task itself reads and writes it (task_alloc fills a child's
 * before the child runs).
 */
struct abac_subj_memo {
	u64 seq;
	u64 cgroup_id;
	u32 key_idx;
	u32 caps;
	u32 cls;
	u64 tagged_id;
	const struct abac_attrs *attrs;
};

static inline struct abac_subj_memo *abac_subj_memo(const struct task_struct *task)
{
	return task->security + abac_blob_sizes.lbs_task;
}

bool abac_ctx_lookup(struct abac_ctx *c);

/**
 * abac_subj_memo_holds() - does the calling task's memo still hold?
 * @t: the memo (abac_subj_memo(current)).
 * @pol: the image in force.
 *
 * Return: true when @t was found under @pol for the task's cgroup now.
 */
static __always_inline bool
abac_subj_memo_holds(const struct abac_subj_memo *t,
		     const struct abac_loaded *pol)
{
	return t->seq == pol->seq &&
	       t->cgroup_id == cgroup_id(task_dfl_cgroup(current));
}

/* What abac_subj_memo_answer() says of the calling task. */
enum abac_memo_answer {
	ABAC_MEMO_UNTAGGED,	/* no image, or untagged under it */
	ABAC_MEMO_TAGGED,	/* tagged: the memo's subject applies */
	ABAC_MEMO_STALE,	/* the memo does not hold: abac_ctx_lookup() */
};

/**
 * abac_subj_memo_answer() - the calling task as its memo answers it.
 * @t: the memo (abac_subj_memo(current)).
 * @pol: receives the image in force.
 *
 * Inline: the hooks of open and read answer an untagged task with it and
 * no call.  It enters an RCU read section, left open only for
 * %ABAC_MEMO_TAGGED, where @pol and @t's subject stay valid until the
 * caller leaves it.
 *
 * Return: enum abac_memo_answer.
 */
static __always_inline enum abac_memo_answer
abac_subj_memo_answer(const struct abac_subj_memo *t,
		      struct abac_loaded **pol)
{
	struct abac_loaded *p;

	rcu_read_lock();
	p = rcu_dereference(abac_current);
	*pol = p;
	if (!p)
		goto untagged;
	if (abac_subj_memo_holds(t, p)) {
		if (!t->key_idx)
			goto untagged;
		return ABAC_MEMO_TAGGED;	/* the RCU section stays open */
	}
	rcu_read_unlock();
	return ABAC_MEMO_STALE;
untagged:
	rcu_read_unlock();
	return ABAC_MEMO_UNTAGGED;
}

/**
 * abac_ctx_put() - leave the RCU read section abac_ctx_get() opened.
 * @c: the context; after a failed abac_ctx_get() (@c->pol NULL), nothing.
 */
static __always_inline void abac_ctx_put(struct abac_ctx *c)
{
	if (!c->pol)
		return;
	c->pol = NULL;
	rcu_read_unlock();
}

bool abac_overlay_cred(const struct cred *cred);

/**
 * abac_overlay_work() - is current doing overlayfs' own work: running on
 * the credentials an overlay copies up with?  Inline: nearly every task
 * runs on its own credentials.
 *
 * Return: true when the caller's decision is not the subject's to take.
 */
static __always_inline bool abac_overlay_work(void)
{
	const struct cred *cred = current_cred();

	return unlikely(cred != current_real_cred()) &&
	       abac_overlay_cred(cred);
}

/**
 * abac_ctx_get() - the calling task as the image in force sees it.
 * @c: receives the image and the task's tags.
 *
 * Inline, because nearly every call on a host is answered here without a
 * call: when no image is in force, and when the task's cached answer
 * (struct abac_subj_memo: the image's load sequence and the cgroup it was
 * found for) still holds, "untagged" or "tagged" with the subject it
 * found.  Everything else comes from abac_ctx_lookup(), as does a task
 * doing overlayfs' work.  The native benchmark
 * (Documentation/performance.rst) counts the instructions this saves on
 * each open, read and write.
 *
 * Return: true when the task is tagged: then abac_ctx_put() @c.
 */
static __always_inline bool abac_ctx_get(struct abac_ctx *c)
{
	const struct abac_subj_memo *t = abac_subj_memo(current);
	struct abac_loaded *pol;

	c->pol = NULL;
	switch (abac_subj_memo_answer(t, &pol)) {
	case ABAC_MEMO_UNTAGGED:
		return false;
	case ABAC_MEMO_TAGGED:
		if (likely(!abac_overlay_work())) {
			/* the RCU read section stays open: abac_ctx_put() */
			c->pol = pol;
			c->attrs = t->attrs;
			c->cgroup_id = t->cgroup_id;
			c->tagged_id = t->tagged_id;
			c->caps = t->caps;
			c->cls = t->cls;
			return true;
		}
		rcu_read_unlock();
		fallthrough;
	default:
		return abac_ctx_lookup(c);
	}
}

void __init abac_add_subject_hooks(void);
bool abac_current_tagged(void);
u64 abac_task_subject(const struct abac_ctx *c, struct task_struct *p);
bool abac_policy_names(const struct abac_ctx *c, u32 op);

/* ---- label.c: the objects' labels ------------------------------------- */

/* enum abac_label_state: what a label says of its inode. */
#define ABAC_LABEL_NONE		0	/* no label of its own: inherits */
#define ABAC_LABEL_OWN		1	/* labelled: @pairs */
#define ABAC_LABEL_BAD		2	/* malformed or unreadable: fail closed */

/**
 * struct abac_label - an inode's own label as read, hashed into pairs, so
 *	that it stays meaningful across policy swaps (each decision resolves
 *	the pairs through the dictionary of the image in force).  Never
 *	changed once published; a new value replaces it under RCU.
 * @rcu: frees it after a grace period.
 * @id: a hash of @state and @pairs: which label this is.  A cached
 *	decision names the label it was taken on.
 * @state: ABAC_LABEL_*.
 * @xattr: 1 when it came from security.abac, 2 from user.abac, else 0.
 * @len: bytes of @text.
 * @dev: the device of the inode it was read from.
 * @ino: that inode's number (events say where a label came from).
 * @pairs: the pairs when @state is ABAC_LABEL_OWN.
 * @text: the value as read, NUL-terminated, for audit records.
 */
struct abac_label {
	struct rcu_head rcu;
	u64 id;
	u8 state;
	u8 xattr;
	u16 len;
	u32 dev;
	u64 ino;
	struct abac_label_pairs pairs;
	char text[];
};

extern const struct abac_label abac_label_none;
extern const struct abac_label abac_label_bad;

/*
 * Returned by abac_label_applies() when a label on the way up has not
 * been read yet: the caller reads it (abac_label_prime()) or, when it
 * may not sleep, fails closed.
 */
#define ABAC_LABEL_UNKNOWN	((const struct abac_label *)1UL)

const struct abac_label *abac_label_peek(const struct inode *inode);
const struct abac_label *abac_label_applies(struct dentry *dentry,
					    bool own);
void abac_label_prime(struct dentry *dentry);
void abac_label_changed(struct dentry *dentry);
void abac_label_from_value(struct abac_label *lab, const void *value,
			   size_t size);
extern atomic64_t abac_label_epoch_count;

/**
 * abac_label_epoch() - the label epoch: bumped by every label change.
 *
 * Return: the epoch; a decision cached in an older one is void.
 */
static __always_inline u64 abac_label_epoch(void)
{
	return (u64)atomic64_read(&abac_label_epoch_count);
}

bool abac_is_label_xattr(const char *name);
void __init abac_label_init(void);

/* ---- avc.c: cached decisions ------------------------------------------ */

/**
 * struct abac_avc_key - what a cached decision holds for.
 * @subj: the tagged cgroup whose tags applied.
 * @id: the id of the label that applied, or of the network object.
 * @epoch: the label epoch it was taken in.
 * @seq: the image it was taken under (struct abac_loaded.seq).
 * @op: enum abac_op.
 */
struct abac_avc_key {
	u64 subj;
	u64 id;
	u64 epoch;
	u64 seq;
	u32 op;
};

bool abac_avc_inode_find(struct inode *inode, const struct abac_avc_key *k,
			 struct abac_decision *d);
void abac_avc_inode_store(struct inode *inode, const struct abac_avc_key *k,
			  const struct abac_decision *d);
bool abac_avc_task_find(const struct abac_avc_key *k,
			struct abac_decision *d);
void abac_avc_task_store(const struct abac_avc_key *k,
			 const struct abac_decision *d);
void abac_avc_last_store(struct inode *inode, const struct abac_avc_key *k,
			 u32 rule);
void abac_avc_inode_free(void *blob);

/* ---- core.c: the decision --------------------------------------------- */

/**
 * struct abac_net_addr - the address and port a socket hook was given.
 * @family: 4 or 6.
 * @port: the port, host order.
 * @ip: the address, network order (4 bytes of it for IPv4).
 */
struct abac_net_addr {
	u32 family;
	u32 port;
	u8 ip[16];
};

void abac_net_addr_text(const struct abac_net_addr *a, char *buf,
			size_t size);

/**
 * struct abac_obj - the object of a decision, as the hook found it.
 * @path: the open file's path, for the event; NULL for an inode hook.
 * @dentry: the entry, for the event's name when there is no @path.
 * @inode: the object's inode: its AVC, and ino/dev in the event; NULL for
 *	a network object.
 * @lab: the label that applies (own or inherited), read under RCU.
 * @attrs: the attributes of a network object (then @lab is NULL).
 * @attrs_id: the network object's id, the AVC key's part a label id is
 *	for a file.
 * @epoch: the label epoch, read before the label was: a decision cached
 *	from this label is void once the epoch moved.
 * @net: a network object's address and port, for its event and audit
 *	record (abac_net_addr_text()); NULL when none.
 * @nocache: decide without the AVC (a label not in force: the one a
 *	relabel would set, or one that could not be read here).
 * @ino: the inode number for the event when there is no @inode (the
 *	program of an exec-only mark).
 * @dev: its device.
 */
struct abac_obj {
	const struct path *path;
	struct dentry *dentry;
	struct inode *inode;
	const struct abac_label *lab;
	const struct abac_attrs *attrs;
	u64 attrs_id;
	u64 epoch;
	const struct abac_net_addr *net;
	bool nocache;
	u64 ino;
	u32 dev;
};

/* abac_check_dentry() flags */
#define ABAC_F_OWN	0x1	/* the inode's own label counts */
#define ABAC_F_NOSLEEP	0x2	/* atomic context: read no label */

int abac_check(const struct abac_ctx *c, const struct abac_obj *o, u32 op);
int abac_check_dentry(struct abac_ctx *c, struct dentry *dentry,
		      const struct path *path, struct dentry *name,
		      unsigned int flags, u32 op);
int abac_check_entry(struct abac_ctx *c, struct dentry *dentry, u32 op);

/**
 * abac_check_file() - decide @op on an open file's inode.
 * @c: the caller.
 * @file: the file; the event names its path.
 * @op: enum abac_op.
 *
 * Return: 0 to allow; -EACCES.
 */
static __always_inline int abac_check_file(struct abac_ctx *c,
					   struct file *file, u32 op)
{
	return abac_check_dentry(c, file->f_path.dentry, &file->f_path, NULL,
				 ABAC_F_OWN, op);
}

bool abac_rule_allows(const struct abac_ctx *c, u32 op);
bool abac_allowed(const struct abac_ctx *c, const struct abac_obj *o, u32 op);

/* ---- exec_only.c: programs run but not read --------------------------- */

struct linux_binprm;
void abac_exec_forget(void);
int abac_exec_check(struct abac_ctx *c, struct file *file);
void abac_exec_commit(void);
void abac_exec_fork(struct task_struct *task, unsigned long clone_flags);
int abac_exec_only_ptrace(const struct abac_ctx *c, struct task_struct *child,
			  unsigned int mode);
bool abac_exec_only_core(void);

/*
 * Is current dumping the core of an exec-only program?  Only a task that
 * dumps core (PF_DUMPCORE) pays for the question.
 */
static inline bool abac_exec_only_dumping(void)
{
	return unlikely(current->flags & PF_DUMPCORE) && abac_exec_only_core();
}

void __init abac_add_exec_only_hooks(void);
void __init abac_add_overlay_hooks(void);

/* ---- guard_cfg.c and guard.c: the tamper guard ------------------------ */

int abac_guard_file_open(const struct abac_ctx *c, struct file *file);

/**
 * abac_guard_inode_plain() - is @inode one the guard lets be read,
 * opened or already open, whatever the guard holds?
 * @inode: the file's inode.
 *
 * No device, on a file system that is neither procfs nor debugfs nor
 * tracefs: the type of an inode and its file system are fixed for its
 * life, so the answer is.  The one place abac_guard_open_plain() and
 * abac_guard_read_plain() take it from: a refusal of a read added to
 * abac_guard_file_open() or abac_guard_file_permission() that this lets
 * through must be made to fail it here.
 *
 * Return: true when the guard has no read to refuse.
 */
static __always_inline bool abac_guard_inode_plain(const struct inode *inode)
{
	unsigned long magic = inode->i_sb->s_magic;

	return !S_ISCHR(inode->i_mode) && !S_ISBLK(inode->i_mode) &&
	       magic != PROC_SUPER_MAGIC && magic != DEBUGFS_MAGIC &&
	       magic != TRACEFS_MAGIC;
}

/**
 * abac_guard_open_plain() - is the open of @file one that
 * abac_guard_file_open() lets through whatever the guard holds?
 * @file: the file being opened.
 *
 * An open for reading only of a plain inode (abac_guard_inode_plain());
 * inline, as every open by a tagged task asks, and where
 * abac_guard_file_open() starts.  (A write open walks the protected
 * trees, which a rename changes: abac_guard_file_open() answers it.)
 *
 * Return: true when the guard has nothing to refuse.
 */
static __always_inline bool abac_guard_open_plain(const struct file *file)
{
	return !(file->f_mode & FMODE_WRITE) &&
	       abac_guard_inode_plain(file_inode(file));
}

/**
 * abac_guard_read_plain() - is a read or write of @file, already open,
 * one that abac_guard_file_permission() lets through whatever the guard
 * holds?
 * @file: the open file.
 * @mask: MAY_* of the access.
 *
 * A read only, of a plain inode (abac_guard_inode_plain()); inline, as
 * every read by a tagged task asks, and where
 * abac_guard_file_permission() starts.  (A write depends on the file
 * system's kind: abac_guard_file_permission() answers it.)
 *
 * Return: true when the guard has nothing to refuse.
 */
static __always_inline bool abac_guard_read_plain(const struct file *file,
						  int mask)
{
	return !(mask & (MAY_WRITE | MAY_APPEND)) &&
	       abac_guard_inode_plain(file_inode(file));
}

int abac_guard_file_permission(const struct abac_ctx *c, struct file *file,
			       int mask);
int abac_guard_setattr(const struct abac_ctx *c, struct dentry *dentry);
int abac_guard_xattr(const struct abac_ctx *c, struct dentry *dentry,
		     const char *name, bool remove);
int abac_guard_dir_change(const struct abac_ctx *c, struct inode *dir,
			  struct dentry *dentry, u32 cg_what, u32 op);
int abac_guard_link(const struct abac_ctx *c, struct dentry *old_dentry,
		    struct inode *dir, struct dentry *new_dentry);
int abac_guard_unix_connect(const struct abac_ctx *c, struct sock *other);
int abac_guard_clone(unsigned long clone_flags);
bool abac_guard_in_setup(const struct abac_ctx *c);
void abac_setup_exec(void);
void abac_setup_fork(struct task_struct *task);
int abac_guard_set(const struct abac_guard_hdr *hdr,
		   const struct abac_guard_ent *ent, size_t n);
bool abac_guard_is_agent(struct task_struct *p);
bool abac_guard_tgid_is_agent(pid_t tgid);
u32 abac_guard_inode_kind(const struct inode *inode);
pid_t abac_guard_agent_nr(void);
u32 abac_guard_inodes(void);
int abac_guard_refuse(const struct abac_ctx *c, u32 what, u32 op,
		      const struct inode *inode, const char *fmt, ...)
	__printf(5, 6);
int abac_guard_refuse_file(const struct abac_ctx *c, u32 what, u32 op,
			   struct file *file);
bool abac_guard_raw_major(u32 major);

/* ---- guard_tasks.c and guard_kernfs.c: the guard's containment -------- */

int abac_guard_proc_access(const struct abac_ctx *c, struct file *file,
			   pid_t tgid, u32 op);
int abac_guard_kernel_open(const struct abac_ctx *c, struct file *file,
			   bool write);
bool abac_guard_kernel_write(const struct file *file);

/* ---- events.c: what a decision leaves behind -------------------------- */

/**
 * struct abac_stats - counters since boot, shown in the status file.
 * @decisions: decisions taken for tagged subjects on labelled objects.
 * @cached: decisions taken from a cache.
 * @denied: accesses refused (the guard's refusals included).
 * @audited: denials let through in audit mode.
 * @bad_labels: labels refused (malformed, unknown or unreadable).
 * @guarded: tamper attempts the guard refused.
 * @events_lost: records the ring had no room (or memory) for.
 * @events: records written to the ring.
 * @folded: denials folded into another's record (fold.c).
 */
struct abac_stats {
	atomic64_t decisions;
	atomic64_t cached;
	atomic64_t denied;
	atomic64_t audited;
	atomic64_t bad_labels;
	atomic64_t guarded;
	atomic64_t events_lost;
	atomic64_t events;
	atomic64_t folded;
};

extern struct abac_stats abac_stats;

const char *abac_op_name(u32 op);
const char *abac_reason_name(u32 reason);
const char *abac_guard_name(u32 what);
const char *abac_outcome_name(u32 outcome);
void abac_event_fill(struct abac_event *e, const struct abac_ctx *c,
		     const struct inode *inode);
void abac_event_push(const struct abac_event *e);
void abac_event_push_sample(const struct abac_event *e);
void abac_event_drop(const struct abac_event *e);
unsigned int abac_lost_take(struct abac_lost_rec *out);
ssize_t abac_events_read(char __user *buf, size_t count, bool nonblock);
unsigned int abac_events_ack(unsigned int n);
bool abac_events_pending(void);
struct wait_queue_head *abac_events_waitq(void);
int __init abac_events_init(void);

/* ---- fold.c: repeats folded, a budget per cgroup ---------------------- */

void abac_fold_report(struct abac_event *e);

extern u32 abac_allow_sample;

/**
 * abac_allow_sampled() - is this allowed decision one to report (events:
 *	sample-allows)?  A chance of one in N: no shared counter to write;
 *	inline, as every allowed decision asks.
 *
 * Return: true to report it.
 */
static __always_inline bool abac_allow_sampled(void)
{
	u32 n = READ_ONCE(abac_allow_sample);

	return unlikely(n) && get_random_u32_below(n) == 0;
}

int abac_fold_configure(const struct abac_event_cfg *cfg);
void __init abac_fold_init(void);

/* ---- audit.c ----------------------------------------------------------- */

void abac_audit_decision(const struct abac_ctx *c, const struct abac_obj *o,
			 const struct abac_event *e,
			 const struct abac_decision *d);
void abac_audit_guard(const struct abac_ctx *c, const struct abac_event *e);
void abac_audit_policy(const struct abac_loaded *pol, int err,
		       const char *why);

/* ---- hook registration ------------------------------------------------ */

void __init abac_add_file_hooks(void);
void __init abac_add_memory_hooks(void);
void __init abac_add_dir_hooks(void);
void __init abac_add_net_hooks(void);
void __init abac_add_guard_hooks(void);
void __init abac_add_tasks_hooks(void);
void __init abac_add_agent_hooks(void);
void abac_guard_agent_exec(const struct linux_binprm *bprm);
void __init abac_add_caps_hooks(void);
void __init abac_add_label_hooks(void);

#endif /* _SECURITY_ABAC_H */
