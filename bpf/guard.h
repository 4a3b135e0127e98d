/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What every family of tamper-guard hooks shares (guard.bpf.c and the
 * guard_*.h headers it includes): whether the caller is tagged, the
 * protected inodes, the agent, and how a refusal is reported (reason
 * ABAC_REASON_GUARD, enum abac_guard, the "guarded" counter).  Included
 * once, by guard.bpf.c, after the maps.
 */
#ifndef _ABAC_BPF_GUARD_H
#define _ABAC_BPF_GUARD_H

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

#define CGROUP2_SUPER_MAGIC	0x63677270
#define BPF_FS_MAGIC		0xcafe4a11
#define PROC_SUPER_MAGIC	0x9fa0

/* A tagged caller, as the guard sees it. */
struct guard_ctx {
	struct abac_image img;
	struct abac_subject_ctx sc;
};

/* Is current tagged?  Only then does the guard look any further. */
static __always_inline int guard_tagged(struct guard_ctx *g)
{
	g->sc.attrs = NULL;
	g->sc.tagged_id = 0;
	return abac_image_get(&g->img) && abac_subject_get(&g->img, &g->sc);
}

static __always_inline __u32 guard_agent_tgid(void)
{
	struct abac_guard_cfg *cfg;
	__u32 zero = 0;

	cfg = bpf_map_lookup_elem(&abac_guard_cfg, &zero);
	return cfg ? cfg->agent_tgid : 0;
}

/* The guard's kind of @inode (enum abac_guard_inode), 0 for none. */
static __always_inline __u32 inode_kind(struct inode *inode)
{
	struct abac_guard_key key = {};
	__u32 *kind;

	if (!inode)
		return 0;
	key.ino = BPF_CORE_READ(inode, i_ino);
	key.dev = BPF_CORE_READ(inode, i_sb, s_dev);
	kind = bpf_map_lookup_elem(&abac_guard_inodes, &key);
	return kind ? *kind : 0;
}

static __always_inline unsigned long inode_magic(struct inode *inode)
{
	return inode ? inode->i_sb->s_magic : 0;
}

/* How far up protected_kind() looks; a deeper entry counts as protected. */
#define GUARD_TREE_DEPTH	64

/*
 * Is @dentry protected, as itself or below a protected directory?  The
 * walk follows d_parent within the entry's file system, so an inode is
 * protected whatever the path it is reached by (a bind mount, a
 * symlink).  Returns the refusal it calls for: ABAC_GUARD_SYSTEM_FILE
 * below a system tree, ABAC_GUARD_PROTECTED below the agent's own, 0
 * when not protected.  The pointers walked are read, not trusted: they
 * only make lookup keys.
 */
static __always_inline __u32 protected_kind(struct dentry *dentry)
{
	struct dentry *d = dentry, *parent;
	__u32 k, kind;

	abac_for(k, 0, GUARD_TREE_DEPTH) {
		kind = inode_kind(BPF_CORE_READ(d, d_inode));
		if (kind & ~ABAC_GUARD_INODE_SYSTEM)
			return ABAC_GUARD_PROTECTED;
		if (kind)
			return ABAC_GUARD_SYSTEM_FILE;
		parent = BPF_CORE_READ(d, d_parent);
		if (!parent || parent == d)
			return 0;
		d = parent;
	}
	return ABAC_GUARD_SYSTEM_FILE;	/* too deep to tell: closed */
}

/*
 * Reserve and fill a guard event, counting the refusal.  The caller
 * writes what was attempted into e->path and submits; NULL when the ring
 * buffer is full (counted as lost).
 */
static __always_inline struct abac_event *
guard_event(struct guard_ctx *g, __u32 what, __u32 op, struct inode *inode)
{
	const struct abac_image_hdr *hdr = abac_hdr(&g->img);
	struct abac_counters *cnt = abac_counters_get();
	__u64 id = bpf_get_current_pid_tgid();
	__u64 ug = bpf_get_current_uid_gid();
	struct abac_event *e;

	if (cnt) {
		__sync_fetch_and_add(&cnt->guarded, 1);
		__sync_fetch_and_add(&cnt->denied, 1);
	}
	e = bpf_ringbuf_reserve(&abac_events, sizeof(*e), 0);
	if (!e) {
		if (cnt)
			__sync_fetch_and_add(&cnt->events_lost, 1);
		return NULL;
	}
	e->boot_ns = bpf_ktime_get_boot_ns();
	e->cgroup_id = g->sc.cgroup_id;
	e->subj_cgroup_id = g->sc.tagged_id;
	e->ino = inode ? BPF_CORE_READ(inode, i_ino) : 0;
	e->dev = inode ? BPF_CORE_READ(inode, i_sb, s_dev) : 0;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->uid = (__u32)ug;
	e->gid = ug >> 32;
	e->generation = hdr ? hdr->generation : 0;
	e->content_hash = hdr ? hdr->content_hash : 0;
	e->rule = ABAC_RULE_NONE;
	e->op = op;
	e->allowed = 0;
	e->effect = ABAC_DENY;
	e->mode = hdr ? hdr->mode : 0;
	e->reason = ABAC_REASON_GUARD;
	e->errno_val = EPERM;
	e->guard = what;
	__builtin_memset(e->pad, 0, sizeof(e->pad));
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	e->path[0] = 0;
	/* a tamper refusal is never folded: a record of its own */
	e->first_ns = e->boot_ns;
	e->count = 1;
	e->lost_before = 0;
	e->fold = ABAC_FOLD_NONE;
	e->label_from = ABAC_LABEL_FROM_NONE;
	e->env_wday = ABAC_ENV_UNREAD;
	e->pad2 = 0;
	e->env_minute = 0;
	e->pad3 = 0;
	e->label_ino = 0;
	e->label_dev = 0;
	e->env_generation = 0;
	return e;
}

/* Refuse, naming the object by a dentry's name (no path without a mount). */
static __always_inline int refuse_dentry(struct guard_ctx *g, __u32 what,
					 __u32 op, struct dentry *dentry)
{
	struct abac_event *e;

	e = guard_event(g, what, op, BPF_CORE_READ(dentry, d_inode));
	if (e) {
		const unsigned char *pname, *name;
		int n;

		pname = BPF_CORE_READ(dentry, d_parent, d_name.name);
		name = BPF_CORE_READ(dentry, d_name.name);
		n = bpf_probe_read_kernel_str(e->path, ABAC_PATH_MAX / 2, pname);
		if (n < 1)
			n = 1;
		e->path[(n - 1) & (ABAC_PATH_MAX / 2 - 1)] = '/';
		bpf_probe_read_kernel_str(e->path + ((n) & (ABAC_PATH_MAX / 2 - 1)),
					  ABAC_PATH_MAX / 2, name);
		bpf_ringbuf_submit(e, 0);
	}
	return -EPERM;
}

/* Refuse, naming the object by the file's path. */
static __always_inline int refuse_file(struct guard_ctx *g, __u32 what,
				       __u32 op, struct file *file)
{
	struct abac_event *e;

	e = guard_event(g, what, op, file->f_inode);
	if (e) {
		if (bpf_path_d_path((struct path *)&file->f_path, e->path,
				    sizeof(e->path)) < 0)
			e->path[0] = 0;
		bpf_ringbuf_submit(e, 0);
	}
	return -EPERM;
}

/* Refuse, describing the attempt in words. */
#define refuse_text(g, what, op, inode, fmt, args...)			\
	({								\
		struct abac_event *___e = guard_event(g, what, op, inode); \
		if (___e) {						\
			BPF_SNPRINTF(___e->path, sizeof(___e->path), fmt, ##args); \
			bpf_ringbuf_submit(___e, 0);			\
		}							\
		-EPERM;							\
	})

/*
 * The attributes of an object that has none (the control socket): a
 * global in .bss, written by nobody, rather than 648 bytes of a hook's
 * stack.  The calls under a guard hook (the hook with the decision
 * inlined, a rule, a condition, a set search) must fit the verifier's
 * 512 bytes of combined stack.  Not const: a global function takes
 * writable memory only.
 */
static struct abac_object guard_no_attrs;

/*
 * Does a rule explicitly allow @op?  The default effect never does: a
 * policy that allows by default still grants no relabel or administer.
 */
static __always_inline int rule_allows(struct guard_ctx *g, __u32 op,
				       const struct abac_object *obj)
{
	const struct abac_image_hdr *hdr = abac_hdr(&g->img);
	struct abac_env env = {};
	struct abac_request rq = { .s = g->sc.attrs, .o = &obj->a,
				   .ostore = 1 };
	struct abac_decision d;

	if (hdr && (hdr->flags & ABAC_HDR_F_ENV)) {
		abac_env_fill(&g->img, &env);
		rq.e = &env;
	}
	abac_decide(&g->img, op, &rq, &d);
	return d.effect == ABAC_ALLOW && d.reason == ABAC_REASON_RULE;
}

/*
 * Is @p the agent: the process that told the guard so (abac_guard_cfg),
 * or one that exec'd the agent's binary untagged (abac_guard_agents, the
 * entry holding the start time of that very process, so that a pid used
 * again is not taken for it)?
 */
static __always_inline bool is_agent(struct task_struct *p)
{
	__u32 agent = guard_agent_tgid(), tgid = BPF_CORE_READ(p, tgid);
	__u64 *start;

	if (agent && tgid == agent)
		return true;
	start = bpf_map_lookup_elem(&abac_guard_agents, &tgid);
	return start && *start == BPF_CORE_READ(p, group_leader, start_time);
}

#endif /* _ABAC_BPF_GUARD_H */
