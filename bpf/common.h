/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What every abac hook shares: fetching the image in force, finding the
 * calling process's subject attributes, counting, and reporting decisions.
 * Hooks only translate a kernel event into (operation, object attributes)
 * and call abac_check(); the decision itself is lsm/abac_decide.h.
 */
#ifndef _ABAC_BPF_COMMON_H
#define _ABAC_BPF_COMMON_H

#define EACCES		13
#define EPERM		1
#define ENODATA		61
#define EOPNOTSUPP	95
#define ERANGE		34
#define ENOMEM		12
#define EINVAL		22

#define FMODE_READ	0x1
#define FMODE_WRITE	0x2
/* execve's open: set in f_flags (f_mode does not get FMODE_EXEC in 6.12) */
#define __FMODE_EXEC	0x20

#define MAY_WRITE	0x2
#define MAY_READ	0x4
#define MAY_APPEND	0x8

#define S_IFMT		00170000
#define S_IFDIR		0040000
#define S_IFSOCK	0140000

extern int bpf_get_file_xattr(struct file *file, const char *name__str,
			      struct bpf_dynptr *value_p) __ksym;
extern int bpf_get_dentry_xattr(struct dentry *dentry, const char *name__str,
				struct bpf_dynptr *value_p) __ksym;
extern int bpf_path_d_path(struct path *path, char *buf, size_t buf__sz) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;

/**
 * struct abac_subject_ctx - the calling process as the policy sees it.
 * @attrs: its tags (inside the image), NULL when untagged.
 * @cgroup_id: its own cgroup.
 * @tagged_id: the cgroup whose tags apply (itself or an ancestor).
 * @cache: its own cgroup's entry in abac_subj_cache, valid for the image
 *	in force; NULL when there is none.
 * @caps: the withheld capabilities the policy grants it back.
 * @cls: its subject class in the rule index (&struct abac_subj_key.cls).
 */
struct abac_subject_ctx {
	const struct abac_attrs *attrs;
	__u64 cgroup_id;
	__u64 tagged_id;
	struct abac_subj_cache *cache;
	__u32 caps;	/* withheld capabilities granted back (abac_abi.h) */
	__u32 cls;	/* its class in the rule index, ABAC_CLASS_NONE */
};

/* The image in force, or 0 when none is loaded. */
static __always_inline int abac_image_get(struct abac_image *img)
{
	__u32 zero = 0, slot;
	__u32 *active;
	void *inner;
	const __u8 *base;

	active = bpf_map_lookup_elem(&abac_active, &zero);
	if (!active)
		return 0;
	slot = *active & 1;
	inner = bpf_map_lookup_elem(&abac_policy, &slot);
	if (!inner)
		return 0;
	base = bpf_map_lookup_elem(inner, &zero);
	if (!base)
		return 0;
	img->base = base;
	img->nrec = ((const struct abac_image_hdr *)base)->total_records;
	return 1;
}

/*
 * Chunk @chunk of the image in slot @slot of abac_policy (declared in
 * abac_decide.h, which reads condition records past chunk 0 with it).
 * The inner map is looked up again, not kept from abac_image_get(): a
 * global function gets no map pointer; the chunk's stamp says whether it
 * still holds the image the decision started with.
 */
static __always_inline const __u8 *abac_bpf_chunk(__u32 slot, __u32 chunk)
{
	void *inner;

	slot &= 1;
	inner = bpf_map_lookup_elem(&abac_policy, &slot);
	if (!inner)
		return NULL;
	return bpf_map_lookup_elem(inner, &chunk);
}

/* The check word of a subject cache entry (struct abac_subj_cache). */
static __always_inline __u64 abac_subj_check(__u64 content_hash,
					     __u32 generation, __u32 key_idx)
{
	return (content_hash ^ ((__u64)generation << 32 | key_idx)) *
	       ABAC_FNV_PRIME + 1;
}

/* The ancestor of @cg at level @l (@cg itself at its own level). */
static __always_inline struct cgroup *abac_cg_ancestor(struct cgroup *cg,
						       int l)
{
	__u32 ancestors = bpf_core_field_offset(struct cgroup, ancestors);
	struct cgroup *anc = NULL;

	bpf_probe_read_kernel(&anc, sizeof(anc), (void *)cg + ancestors +
			      (l & 31) * sizeof(anc));
	return anc;
}

/*
 * The template slot of the binding that names the ancestor at level @l
 * (>= 1) of cgroup @cg by its parent and its own kernfs name
 * (abac_bind_find()), or 0.  The name is read, bounded, into the task's
 * abac_cgname entry: a cgroup's name is at most NAME_MAX bytes, so it is
 * read whole or not matched.  The pointers are read, not trusted: they
 * only make a lookup key and a name, under the caller's RCU section.
 */
static __always_inline __u32 abac_bind_at(const struct abac_image *img,
					  struct cgroup *cg, int l)
{
	struct abac_cgname *s;
	struct cgroup *anc, *par;
	const char *name;
	__u64 pid;
	long n;

	anc = abac_cg_ancestor(cg, l);
	par = abac_cg_ancestor(cg, l - 1);
	if (!anc || !par)
		return 0;
	pid = BPF_CORE_READ(par, kn, id);
	name = BPF_CORE_READ(anc, kn, name);
	s = bpf_task_storage_get(&abac_cgname, bpf_get_current_task_btf(),
				 NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!s || !name)
		return 0;
	n = bpf_probe_read_kernel_str(s->b, sizeof(s->b), name);
	if (n <= 0)
		return 0;
	return abac_bind_find(img, pid, s->b, (__u32)n - 1);
}

/*
 * The subject slot whose tags apply to cgroup @cg at level @level (the
 * caller's, or another task's): its own cgroup's, else the nearest
 * tagged ancestor's.  Only levels that hold a tagged cgroup are looked
 * up by id (hdr->tag_levels); at a level where some binding's cgroups
 * appear (hdr->bind_levels), a cgroup not tagged by id is matched by its
 * parent and name (abac_bind_at()), so that a bound unit's processes are
 * decided with its tags before abacd tags its cgroup by id.  Returns the
 * slot's key record (a template's for a match by name), 0 when
 * untagged.  Called under RCU.
 */
static __always_inline __u32 abac_subject_walk_in(const struct abac_image *img,
						  struct cgroup *cg, int level)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	__u32 levels, blevels, k;

	if (!hdr || (!hdr->subj_size && !hdr->nbind))
		return 0;
	levels = hdr->tag_levels;
	blevels = hdr->bind_levels;
	abac_for(k, 0, ABAC_MAX_CGROUP_DEPTH) {
		int l = level - (int)k;
		__u32 idx;

		if (l < 0)
			break;
		if (levels & (1U << (l & 31))) {
			struct cgroup *anc = abac_cg_ancestor(cg, l);

			idx = abac_subject_slot(img,
						BPF_CORE_READ(anc, kn, id));
			if (idx)
				return idx;
		}
		if (l >= 1 && (blevels & (1U << (l & 31)))) {
			idx = abac_bind_at(img, cg, l);
			if (idx)
				return idx;
		}
	}
	return 0;
}

/*
 * abac_subject_walk_in() as a global function, checked once per program
 * from the types of its arguments: inlined, the verifier walked the
 * cgroup levels, the binding search and its name loop in the caller's
 * states, about a third of a small decision program's walk.  @cgp is
 * the cgroup's address: every read of it is a probe read already, and a
 * global function takes no kernel pointer.
 */
__attribute__((noinline, used)) __u32
abac_subject_walk_global(const struct abac_image_mem *mem, __u64 cgp,
			 int level)
{
	struct abac_image img;

	if (!abac_image_from_mem(mem, &img))
		return 0;
	return abac_subject_walk_in(&img, (struct cgroup *)(unsigned long)cgp,
				    level);
}

static __always_inline __u32 abac_subject_walk(const struct abac_image *img,
					       struct cgroup *cg, int level)
{
	__u64 cgp = 0;

	/*
	 * The address as a number: the verifier keeps a cast pointer a
	 * pointer, so it is read back from the stack, which cannot fail.
	 */
	if (bpf_probe_read_kernel(&cgp, sizeof(cgp), &cg))
		return 0;
	return abac_subject_walk_global((const struct abac_image_mem *)img->base,
					cgp, level);
}

/*
 * Is @task doing overlayfs' own work: running on the credentials an
 * overlay works on its layers with (abac_overlay_creds, overlay.h)?  The
 * file operation that led there was decided on the overlay file with
 * the task's own credentials; what the overlay then does on its layers
 * (create, copy the content and the xattrs, the label among them, with
 * the capabilities that takes) is not the subject's act.  The pointer
 * is the overlay's private copy of its mounter's credentials: no system
 * call runs on it, so a subject cannot borrow it.
 */
static __always_inline bool abac_overlay_work(struct task_struct *task)
{
	const struct cred *cred = task->cred;
	__u64 *cu;

	if (cred == task->real_cred)
		return false;
	cu = bpf_task_storage_get(&abac_overlay_creds, task, 0, 0);
	return cu && *cu == (__u64)(unsigned long)cred;
}

/*
 * Find the tags that apply to current, from the per-cgroup cache
 * (abac_subj_cache) when it holds an answer for the image in force, else
 * by abac_subject_walk(), whose answer is then cached.  An untagged
 * process pays one cgroup-storage lookup.
 */
static __always_inline int abac_subject_get(const struct abac_image *img,
					    struct abac_subject_ctx *sc)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	struct task_struct *task = bpf_get_current_task_btf();
	const struct abac_subj_key *key;
	struct abac_subj_cache *c;
	struct cgroup *cg;
	__u32 idx = 0;
	int level = 0;

	sc->attrs = NULL;
	sc->cgroup_id = 0;
	sc->cache = NULL;
	sc->caps = 0;
	sc->cls = ABAC_CLASS_NONE;
	if (!hdr || (!hdr->subj_size && !hdr->nbind) ||
	    abac_overlay_work(task))
		return 0;
	bpf_rcu_read_lock();
	cg = task->cgroups->dfl_cgrp;
	if (!cg) {
		bpf_rcu_read_unlock();
		return 0;
	}
	sc->cgroup_id = cg->kn->id;
	level = cg->level;
	c = bpf_cgrp_storage_get(&abac_subj_cache, cg, 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (c && c->content_hash == hdr->content_hash &&
	    c->generation == hdr->generation &&
	    c->check == abac_subj_check(c->content_hash, c->generation,
					c->key_idx)) {
		bpf_rcu_read_unlock();
		idx = c->key_idx;
		sc->cache = c;
	} else {
		/*
		 * The entry keys on the image's content hash and
		 * generation: the image that then tags this cgroup by id
		 * makes it look again.
		 */
		idx = abac_subject_walk(img, cg, level);
		bpf_rcu_read_unlock();
		/*
		 * Cache only what was found for the cgroup the entry is
		 * the cgroup of: current may have moved meanwhile.
		 */
		if (c && bpf_get_current_cgroup_id() == sc->cgroup_id) {
			c->content_hash = hdr->content_hash;
			c->generation = hdr->generation;
			c->key_idx = idx;
			c->check = abac_subj_check(hdr->content_hash,
						   hdr->generation, idx);
			sc->cache = c;
		}
	}
	if (!idx)
		return 0;
	key = abac_rec(img, idx);
	sc->attrs = abac_span(img, idx + 1, ABAC_SUBJ_RECORDS - 1);
	if (!key || !key->cgroup_id || !sc->attrs) {
		sc->attrs = NULL;
		return 0;
	}
	/* matched by name: the cgroup's own id stands for its tags */
	sc->tagged_id = key->cgroup_id == ABAC_SUBJ_BOUND ? sc->cgroup_id :
							    key->cgroup_id;
	sc->caps = key->caps;
	sc->cls = key->cls;
	return 1;
}

static __always_inline struct abac_counters *abac_counters_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&abac_counters, &zero);
}

/* This task's scratch space, created on first use. */
static __always_inline struct abac_scratch *abac_scratch_get(void)
{
	return bpf_task_storage_get(&abac_scratch, bpf_get_current_task_btf(),
				    NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
}

/* include/linux/dcache.h: a dentry that no path from its root reaches */
#define ABAC_DCACHE_DISCONNECTED	(1U << 5)

/**
 * struct abac_obj - the object of a decision, as the hook found it.
 * @file: the open file, for the event's path; NULL for an inode hook.
 * @dentry: the entry, for the event's name when there is no @file.
 * @ino: inode number, @dev: device, @igen: i_generation; the AVC key.
 * @epoch: the label epoch read before the label was: a decision cached
 *	from this label is void once the epoch moved.
 * @lab: the label that applies (own or inherited); ABAC_OL_OWN or
 *	ABAC_OL_BAD.
 * @avc: ABAC_IAVC_SLOTS slots where decisions on the object are cached
 *	(its inode's, or for a network object its caller cgroup's); NULL:
 *	none, the decision is not cached.
 * @attrs_id: for a network object, the id of its attributes (ABAC_NET_ID
 *	and its index in the image); the cache key's part that a label's id
 *	is for a file.
 * @nocache: decide without the AVC (a label not in force: the one a
 *	relabel would set, or one the cache does not know).
 * @attrs: the object's attributes when they come from no label (a network
 *	object); then @lab is NULL and the AVC is not used.
 * @quiet: decide only: a refusal is neither reported nor counted, and is
 *	returned in audit mode too; the caller reports, through a second
 *	call, the one operation it refuses (bpf/memory.h).
 * @net_addr: a network object's address (@net_family 4: 4 bytes, 6: 16),
 *	@net_port its port: the event names them.
 */
struct abac_obj {
	struct file *file;
	struct dentry *dentry;
	__u64 ino;
	__u32 dev;
	__u32 igen;
	__u64 epoch;
	const struct abac_olabel *lab;
	struct abac_iavc *avc;
	__u64 attrs_id;
	int nocache;
	int quiet;
	const struct abac_attrs *attrs;
	const __u8 *net_addr;
	__u32 net_family;
	__u32 net_port;
};

#include "fold.h"

static __always_inline void abac_env_explain(const struct abac_image *img,
					     struct abac_event *e,
					     const struct abac_scratch *scr);

/*
 * What the decision read, for the analyst: where the object's label came
 * from, and the environment (the decision just taken filled scr->env
 * when its image reads the environment; a cached decision never does).
 */
static __always_inline void abac_report_explain(const struct abac_image *img,
						const struct abac_obj *obj,
						struct abac_event *e,
						const struct abac_scratch *scr)
{
	const struct abac_olabel *lab = obj->lab;

	e->pad2 = 0;
	e->pad3 = 0;
	e->label_ino = 0;
	e->label_dev = 0;
	if (lab && !obj->attrs) {
		e->label_ino = lab->ino;
		e->label_dev = lab->dev;
	}
	e->label_from = abac_label_origin(!!obj->attrs, !!lab,
					  lab && lab->state == ABAC_OL_OWN,
					  lab && lab->ino == obj->ino &&
					  lab->dev == obj->dev);
	abac_env_explain(img, e, scr);
}

/*
 * Report one decision: the record is filled in the task's scratch space,
 * then folded or put on the ring buffer (fold.h); a full ring is counted.
 */
static __always_inline void abac_report(const struct abac_image *img,
					const struct abac_subject_ctx *sc,
					const struct abac_obj *obj, __u32 op,
					const struct abac_decision *d,
					int allowed, int err)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	struct abac_scratch *scr = abac_scratch_get();
	__u64 id = bpf_get_current_pid_tgid();
	__u64 ug = bpf_get_current_uid_gid();
	struct abac_counters *cnt;
	struct abac_event *e;

	if (!scr) {
		cnt = abac_counters_get();
		if (cnt)
			__sync_fetch_and_add(&cnt->events_lost, 1);
		return;
	}
	e = &scr->ev;
	e->boot_ns = bpf_ktime_get_boot_ns();
	e->cgroup_id = sc->cgroup_id;
	e->subj_cgroup_id = sc->tagged_id;
	e->ino = obj->ino;
	e->dev = obj->dev;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->uid = (__u32)ug;
	e->gid = ug >> 32;
	e->generation = hdr ? hdr->generation : 0;
	e->content_hash = hdr ? hdr->content_hash : 0;
	e->rule = d->rule;
	e->op = op;
	e->allowed = allowed;
	e->effect = d->effect;
	e->mode = hdr ? hdr->mode : 0;
	e->reason = d->reason;
	e->errno_val = err;
	e->guard = ABAC_GUARD_NONE;
	__builtin_memset(e->pad, 0, sizeof(e->pad));
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	e->path[0] = 0;
	if (obj->file && !(obj->file->f_path.dentry->d_flags &
			   ABAC_DCACHE_DISCONNECTED)) {
		/* a disconnected dentry has no path: d_path() says "/" */
		if (bpf_path_d_path((struct path *)&obj->file->f_path, e->path,
				    sizeof(e->path)) < 0)
			e->path[0] = 0;
	} else if (obj->dentry) {
		/* an inode hook knows the entry's name, not a path */
		struct dentry *dentry = obj->dentry;
		const unsigned char *name = dentry->d_name.name;

		if (bpf_probe_read_kernel_str(e->path, sizeof(e->path),
					      name) < 0)
			e->path[0] = 0;
	} else if (obj->net_family == 4) {
		/* a network object: its address and port, as native names it */
		BPF_SNPRINTF(e->path, sizeof(e->path), "%pI4:%u",
			     obj->net_addr, obj->net_port);
	} else if (obj->net_family == 6) {
		BPF_SNPRINTF(e->path, sizeof(e->path), "[%pI6c]:%u",
			     obj->net_addr, obj->net_port);
	}
	e->first_ns = e->boot_ns;
	e->count = 1;
	e->lost_before = 0;
	e->fold = ABAC_FOLD_NONE;
	abac_report_explain(img, obj, e, scr);
	abac_fold_report(e, sc->cache);
}

#define ABAC_SEC_PER_DAY	86400
#define ABAC_NSEC_PER_SEC	1000000000ULL

/*
 * The environment of a decision: the operator attributes the agent set for
 * this very image (else none: conditions on them are indeterminate), and
 * the local time from the kernel's own clock, CLOCK_TAI plus the agent's
 * offset for the policy's timezone.
 */
static __always_inline __u32 abac_env_fill(const struct abac_image *img,
					   struct abac_env *env)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	const struct abac_env_state *st;
	__u32 zero = 0, k;
	__s64 t;
	__u64 days;

	st = bpf_map_lookup_elem(&abac_env, &zero);
	t = bpf_ktime_get_tai_ns() / ABAC_NSEC_PER_SEC;
	if (st)
		t += st->tz_offset_sec;
	if (t < 0)
		t = 0;
	days = (__u64)t / ABAC_SEC_PER_DAY;
	env->minute = ((__u64)t % ABAC_SEC_PER_DAY) / 60;
	env->wday = (days + 4) % 7;	/* 1970-01-01 was a Thursday */
	for (k = 0; k < ABAC_MAX_ATTRS; k++)
		env->a.v[k] = st && hdr && st->content_hash ==
					   hdr->content_hash ? st->a.v[k] : 0;
	return st ? st->generation : 0;
}

/* The environment the decision just taken read, for its event. */
static __always_inline void abac_env_explain(const struct abac_image *img,
					     struct abac_event *e,
					     const struct abac_scratch *scr)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);

	if (hdr && (hdr->flags & ABAC_HDR_F_ENV)) {
		e->env_wday = scr->env.wday;
		e->env_minute = scr->env.minute;
		e->env_generation = scr->env_gen;
	} else {
		e->env_wday = ABAC_ENV_UNREAD;
		e->env_minute = 0;
		e->env_generation = 0;
	}
}

/*
 * abac_decide_global() packs a decision into its return value:
 * rule << 32 | layer << 24 | outcome << 16 | reason << 8 | effect.
 */
static __always_inline __u64 abac_decision_pack(const struct abac_decision *d)
{
	return (__u64)d->rule << 32 | (__u32)d->layer << 24 |
	       (__u32)d->outcome << 16 | (__u32)d->reason << 8 | d->effect;
}

static __always_inline void abac_decision_unpack(__u64 v,
						 struct abac_decision *d)
{
	d->rule = v >> 32;
	d->layer = v >> 24;
	d->outcome = v >> 16;
	d->reason = v >> 8;
	d->effect = v;
}

/**
 * abac_decide_global() - decide @op on an object: resolve its cached label
 *	through the image in force (or take its attributes as they are) and
 *	run the decision core.
 * @mem: the image in force.
 * @sattrs: the subject's tags (inside the image).
 * @lab: the label that applies, or NULL for @oattrs.
 * @oattrs: the object's attributes when they come from no label (a
 *	network object), else NULL.
 * @op_cls: enum abac_op in bits 0-15, the subject's class in the rule
 *	index (struct abac_request.cls) in bits 16-31: a global function
 *	takes at most five arguments.
 *
 * A label that is malformed, or names a pair the policy does not declare,
 * denies; so does a task without scratch space.  A global function: the
 * verifier checks it once per program with only the types of its
 * arguments, not once per call site and caller state, which is what kept
 * the file hooks' load in the seconds under TCG.
 *
 * Return: the decision, packed as abac_decision_pack() says.
 */
__attribute__((noinline, used)) __u64
abac_decide_global(const struct abac_image_mem *mem,
		   const struct abac_attrs *sattrs,
		   const struct abac_olabel *lab,
		   const struct abac_attrs *oattrs, __u32 op_cls)
{
	struct abac_decision d = {
		.effect = ABAC_DENY,
		.reason = ABAC_REASON_BAD_IMAGE,
		.outcome = ABAC_OUT_INDET,
		.rule = ABAC_RULE_NONE,
	};
	struct abac_scratch *scr = abac_scratch_get();
	const struct abac_image_hdr *hdr;
	struct abac_request rq = { .s = sattrs, .cls = op_cls >> 16 };
	struct abac_counters *cnt;
	struct abac_image img;
	__u32 k, op = op_cls & 0xffff;

	if (!scr || !abac_image_from_mem(mem, &img))
		return abac_decision_pack(&d);
	hdr = abac_hdr(&img);
	rq.o = &scr->obj.a;
	rq.ostore = 1;
	__builtin_memset(&scr->obj, 0, sizeof(scr->obj));
	if (oattrs) {
		for (k = 0; k < ABAC_MAX_ATTRS; k++)
			scr->obj.a.v[k] = oattrs->v[k];
	} else if (!lab || lab->state != ABAC_OL_OWN ||
		   abac_label_resolve_obj(&img, &lab->pairs, &scr->obj)) {
		d.reason = ABAC_REASON_BAD_LABEL;
		cnt = abac_counters_get();
		if (cnt)
			__sync_fetch_and_add(&cnt->bad_labels, 1);
		return abac_decision_pack(&d);
	}
	/* the clock and the env map are read only by images that use them */
	if (hdr && (hdr->flags & ABAC_HDR_F_ENV)) {
		scr->env_gen = abac_env_fill(&img, &scr->env);
		rq.e = &scr->env;
	}
	abac_decide(&img, op, &rq, &d);
	return abac_decision_pack(&d);
}

/*
 * Count a decision of rule @rule under image generation @generation: this
 * CPU's slot, started again when it holds another generation's count.
 * The add is atomic although the slot is this CPU's: a sleepable program
 * can be preempted on its CPU by another that counts in the same slot.
 */
static __always_inline void abac_rule_hit(__u32 generation, __u32 rule)
{
	struct abac_rule_hits *h = bpf_map_lookup_elem(&abac_rule_hits, &rule);

	if (!h)
		return;
	if (h->generation != generation) {
		h->generation = generation;
		h->hits = 0;
	}
	__sync_fetch_and_add(&h->hits, 1);
}

/* The check word of a cached decision (struct abac_iavc). */
static __always_inline __u64 abac_iavc_check(__u64 subj, __u64 content_hash,
					     __u64 epoch, __u64 label_id,
					     __u32 generation, __u32 op,
					     __u32 rule, __u8 effect,
					     __u8 reason)
{
	__u64 h = ABAC_FNV_OFFSET;

	h = (h ^ subj) * ABAC_FNV_PRIME;
	h = (h ^ content_hash) * ABAC_FNV_PRIME;
	h = (h ^ epoch) * ABAC_FNV_PRIME;
	h = (h ^ label_id) * ABAC_FNV_PRIME;
	h = (h ^ ((__u64)generation << 32 | op)) * ABAC_FNV_PRIME;
	h = (h ^ ((__u64)rule << 32 | (__u32)effect << 8 | reason)) *
	    ABAC_FNV_PRIME;
	return h;
}

/* The slot of @avc (ABAC_IAVC_SLOTS of them) for (@subj, @id, @op). */
static __always_inline struct abac_iavc *abac_iavc_slot(struct abac_iavc *avc,
							__u64 subj, __u64 id,
							__u32 op)
{
	__u32 i = (__u32)(((subj ^ id) + op) * 0x9e3779b97f4a7c15ULL >> 32);

	return &avc[i & (ABAC_IAVC_SLOTS - 1)];
}

/*
 * Decide @op for the subject on an object and report a refusal: the one
 * place that calls the decision core.  A decision cached in the object's
 * AVC slots for the same subject and operation is reused while the image
 * (its generation and content hash), the label epoch and the label (or
 * network) that applies are those it was taken under.  Returns 0 to allow
 * or -EACCES; audit mode reports and allows.
 */
static __always_inline int abac_check(const struct abac_image *img,
				      const struct abac_subject_ctx *sc,
				      const struct abac_obj *obj, __u32 op)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	struct abac_counters *cnt = abac_counters_get();
	struct abac_iavc *slot = NULL;
	struct abac_decision d = {};
	int audit = hdr && hdr->mode == ABAC_MODE_AUDIT;
	__u64 label_id = 0, subj = sc->tagged_id;

	if (!hdr) {
		/* unreadable image: fail closed, cache nothing */
		d.effect = ABAC_DENY;
		d.reason = ABAC_REASON_BAD_IMAGE;
		d.rule = ABAC_RULE_NONE;
		goto decided;
	}
	/*
	 * A decision that read the environment (clock, operator attributes)
	 * may change without the image or the label changing: never cached.
	 */
	if (!obj->nocache && obj->avc && (obj->lab || obj->attrs_id) &&
	    !(hdr->flags & ABAC_HDR_F_ENV)) {
		label_id = obj->lab ? obj->lab->id : obj->attrs_id;
		slot = abac_iavc_slot(obj->avc, subj, label_id, op);
		if (slot->subj == subj && slot->op == op &&
		    slot->generation == hdr->generation &&
		    slot->content_hash == hdr->content_hash &&
		    slot->epoch == obj->epoch && slot->label_id == label_id) {
			d.effect = slot->effect;
			d.reason = slot->reason;
			d.rule = slot->rule;
			if (slot->check ==
			    abac_iavc_check(subj, hdr->content_hash,
					    obj->epoch, label_id,
					    hdr->generation, op, d.rule,
					    d.effect, d.reason))
				goto decided;
		}
	}
	abac_decision_unpack(abac_decide_global(
		(const struct abac_image_mem *)img->base, sc->attrs,
		obj->attrs ? NULL : obj->lab, obj->attrs,
		op | sc->cls << 16), &d);
	/*
	 * A label changes only where a rule says so: for relabel the
	 * default effect never allows (a policy that allows by default
	 * still lets no tagged subject rewrite labels).
	 */
	if (op == ABAC_OP_RELABEL && d.effect == ABAC_ALLOW &&
	    d.reason != ABAC_REASON_RULE)
		d.effect = ABAC_DENY;
	if (slot) {
		slot->subj = subj;
		slot->content_hash = hdr->content_hash;
		slot->epoch = obj->epoch;
		slot->label_id = label_id;
		slot->generation = hdr->generation;
		slot->op = op;
		slot->rule = d.rule;
		slot->effect = d.effect;
		slot->reason = d.reason;
		slot->check = abac_iavc_check(subj, hdr->content_hash,
					      obj->epoch, label_id,
					      hdr->generation, op, d.rule,
					      d.effect, d.reason);
	}
decided:
	if (cnt)
		__sync_fetch_and_add(&cnt->decisions, 1);
	if (hdr && d.rule != ABAC_RULE_NONE)
		abac_rule_hit(hdr->generation, d.rule);
	if (d.effect == ABAC_ALLOW) {
		/* one report call below: the verifier walks it once */
		if (obj->quiet || !abac_allow_sampled())
			return 0;
		audit = 1;	/* let through, reported as allowed */
	} else {
		if (obj->quiet)
			return -EACCES;
		if (cnt)
			__sync_fetch_and_add(audit ? &cnt->audited :
					     &cnt->denied, 1);
	}
	abac_report(img, sc, obj, op, &d, audit, audit ? 0 : EACCES);
	return audit ? 0 : -EACCES;
}

#endif /* _ABAC_BPF_COMMON_H */
