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

#define FMODE_READ	0x1
#define FMODE_WRITE	0x2

extern int bpf_get_file_xattr(struct file *file, const char *name__str,
			      struct bpf_dynptr *value_p) __ksym;
extern int bpf_path_d_path(struct path *path, char *buf, size_t buf__sz) __ksym;

/**
 * struct abac_subject_ctx - the calling process as the policy sees it.
 * @attrs: its tags (inside the image), NULL when untagged.
 * @cgroup_id: its own cgroup.
 * @tagged_id: the cgroup whose tags apply (itself or an ancestor).
 */
struct abac_subject_ctx {
	const struct abac_attrs *attrs;
	__u64 cgroup_id;
	__u64 tagged_id;
};

/* The image in force, or 0 when none is loaded. */
static __always_inline int abac_image_get(struct abac_image *img)
{
	__u32 zero = 0;
	void *inner;
	const __u8 *base;

	inner = bpf_map_lookup_elem(&abac_policy, &zero);
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
 * Find the tags that apply to current: its own cgroup's, else the
 * nearest tagged ancestor's.  Only levels that hold a tagged cgroup are
 * looked up (hdr->tag_levels), so an untagged process pays little.
 */
static __always_inline int abac_subject_get(const struct abac_image *img,
					    struct abac_subject_ctx *sc)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 levels, k;
	int level;

	sc->attrs = NULL;
	sc->cgroup_id = bpf_get_current_cgroup_id();
	if (!hdr || !hdr->subj_size)
		return 0;
	levels = hdr->tag_levels;
	level = BPF_CORE_READ(task, cgroups, dfl_cgrp, level);
	abac_for(k, 0, ABAC_MAX_CGROUP_DEPTH) {
		int l = level - (int)k;
		__u64 id;

		if (l < 0)
			break;
		if (!(levels & (1U << (l & 31))))
			continue;
		id = bpf_get_current_ancestor_cgroup_id(l);
		sc->attrs = abac_subject_find(img, id);
		if (sc->attrs) {
			sc->tagged_id = id;
			return 1;
		}
	}
	return 0;
}

static __always_inline struct abac_counters *abac_counters_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&abac_counters, &zero);
}

/* This task's zeroed scratch space, created on first use. */
static __always_inline struct abac_scratch *abac_scratch_get(void)
{
	struct abac_scratch *scr;

	scr = bpf_task_storage_get(&abac_scratch, bpf_get_current_task_btf(),
				   NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (scr)
		__builtin_memset(&scr->obj, 0, sizeof(scr->obj));
	return scr;
}

/* Report one decision on the ring buffer; a full ring is counted. */
static __always_inline void abac_report(const struct abac_image *img,
					const struct abac_subject_ctx *sc,
					struct file *file, __u32 op,
					const struct abac_decision *d,
					int allowed, int err)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	struct abac_counters *cnt = abac_counters_get();
	__u64 id = bpf_get_current_pid_tgid();
	__u64 ug = bpf_get_current_uid_gid();
	struct abac_event *e;

	e = bpf_ringbuf_reserve(&abac_events, sizeof(*e), 0);
	if (!e) {
		if (cnt)
			__sync_fetch_and_add(&cnt->events_lost, 1);
		return;
	}
	e->boot_ns = bpf_ktime_get_boot_ns();
	e->cgroup_id = sc->cgroup_id;
	e->subj_cgroup_id = sc->tagged_id;
	if (file) {
		e->ino = BPF_CORE_READ(file, f_inode, i_ino);
		e->dev = BPF_CORE_READ(file, f_inode, i_sb, s_dev);
	} else {	/* a socket: no inode, no path */
		e->ino = 0;
		e->dev = 0;
	}
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
	if (file && bpf_path_d_path((struct path *)&file->f_path, e->path,
				    sizeof(e->path)) < 0)
		e->path[0] = 0;
	bpf_ringbuf_submit(e, 0);
}

#define ABAC_SEC_PER_DAY	86400
#define ABAC_NSEC_PER_SEC	1000000000ULL

/*
 * The environment of a decision: the operator attributes the agent set for
 * this very image (else none: conditions on them are indeterminate), and
 * the local time from the kernel's own clock, CLOCK_TAI plus the agent's
 * offset for the policy's timezone.
 */
static __always_inline void abac_env_fill(const struct abac_image *img,
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
}

/*
 * Decide @op for the subject on an object and report a refusal.
 * Returns 0 to allow or -EACCES; audit mode reports and allows.
 */
static __always_inline int abac_check(const struct abac_image *img,
				      const struct abac_subject_ctx *sc,
				      struct file *file, __u32 op,
				      const struct abac_attrs *obj,
				      struct abac_env *env, int bad_label)
{
	struct abac_request rq = { .s = sc->attrs, .o = obj, .e = env };
	const struct abac_image_hdr *hdr = abac_hdr(img);
	struct abac_counters *cnt = abac_counters_get();
	struct abac_decision d;
	int audit = hdr && hdr->mode == ABAC_MODE_AUDIT;

	if (bad_label) {
		d.effect = ABAC_DENY;
		d.reason = ABAC_REASON_BAD_LABEL;
		d.rule = ABAC_RULE_NONE;
		d.outcome = ABAC_OUT_INDET;
		d.layer = 0;
	} else {
		abac_env_fill(img, env);
		abac_decide(img, op, &rq, &d);
	}
	if (cnt)
		__sync_fetch_and_add(&cnt->decisions, 1);
	if (d.effect == ABAC_ALLOW)
		return 0;
	if (cnt)
		__sync_fetch_and_add(audit ? &cnt->audited : &cnt->denied, 1);
	abac_report(img, sc, file, op, &d, audit, audit ? 0 : EACCES);
	return audit ? 0 : -EACCES;
}

#endif /* _ABAC_BPF_COMMON_H */
