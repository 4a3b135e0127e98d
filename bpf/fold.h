/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Denial records that a flood cannot hide: repeats folded, a budget per
 * cgroup, losses named.
 *
 * A denial that repeats one already reported (same process cgroup, rule,
 * operation, object inode and path or entry name) within the fold window
 * is not sent again:
 * its slot in abac_fold counts it, and when the window closes the slot's
 * timer sends one record with the count and the first and last times,
 * then watches another window, or frees the slot when nothing came.  The
 * first denial of a key is always sent at once, and a denial whose
 * ABAC_FOLD_WAYS slots all hold other keys is sent unfolded: a distinct
 * denial is never folded into another.
 *
 * Each cgroup has a budget of records a second (GCRA in its
 * abac_subj_cache entry).  Past it, that cgroup's denials fold per rule
 * and operation whatever the object (ABAC_FOLD_RULE); one that finds no
 * free slot is counted as lost under its own name.  Another cgroup's
 * records are untouched.
 *
 * The slots' timers work only while the map is pinned (the kernel wants
 * a map with timers held by user space or bpffs): a slot whose timer does
 * not start is freed again and its denial sent unfolded.
 *
 * A record the ring buffer has no room for is counted in abac_counters
 * (events_lost), in abac_lost under its (cgroup, rule, op), and in
 * abac_lost_pending, which the next record sent carries as lost_before.
 */
#ifndef _ABAC_BPF_FOLD_H
#define _ABAC_BPF_FOLD_H

#define ABAC_CLOCK_MONOTONIC	1
#define ABAC_NS_PER_MS		1000000ULL

/* The fold window in ns, 0 when folding is off. */
static __always_inline __u64 abac_fold_window(const struct abac_event_cfg *cfg)
{
	if (cfg && (cfg->flags & ABAC_EVCFG_F_NOFOLD))
		return 0;
	if (cfg && cfg->fold_window_ns)
		return cfg->fold_window_ns;
	return ABAC_FOLD_WINDOW_MS_DEFAULT * ABAC_NS_PER_MS;
}

/*
 * Does a record fit the cgroup's budget?  GCRA: each record sent moves
 * the cgroup's theoretical arrival time one interval on (@charge: this
 * one is sent); a record that would put it more than the burst ahead of
 * now is over budget and does not move it.  Only records sent are
 * charged, never the repeats folded into one: a flood of one denial
 * costs its cgroup a record a window, and leaves the budget for the
 * distinct denial it would hide.  Programs on other CPUs may race here:
 * the budget is then off by a record, never more.
 */
static __always_inline int abac_within_budget(struct abac_subj_cache *c,
					      const struct abac_event_cfg *cfg,
					      __u64 now, bool charge)
{
	__u32 budget = cfg && cfg->budget ? cfg->budget :
		       ABAC_EVENT_BUDGET_DEFAULT;
	__u64 interval = 1000000000ULL / budget;
	__u64 tat;

	if (!c)
		return 1;
	tat = c->budget_tat;
	if (tat < now)
		tat = now;
	if (tat - now > interval * budget * ABAC_EVENT_BURST_FACTOR)
		return 0;
	if (charge)
		c->budget_tat = tat + interval;
	return 1;
}

/* Count @n records lost, under their (cgroup, rule, op). */
static __always_inline void abac_lost_named(const struct abac_event *e,
					    __u64 n)
{
	struct abac_lost_key k = {
		.cgroup_id = e->cgroup_id, .rule = e->rule, .op = e->op,
	};
	__u64 zero = 0, *v;
	__u32 z = 0;

	v = bpf_map_lookup_elem(&abac_lost, &k);
	if (!v) {
		bpf_map_update_elem(&abac_lost, &k, &zero, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&abac_lost, &k);
	}
	if (!v) {	/* full: the catch-all key */
		k.cgroup_id = 0;
		k.rule = ABAC_RULE_NONE;
		k.op = 0;
		bpf_map_update_elem(&abac_lost, &k, &zero, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&abac_lost, &k);
	}
	if (v)
		__sync_fetch_and_add(v, n);
	v = bpf_map_lookup_elem(&abac_lost_pending, &z);
	if (v)
		__sync_fetch_and_add(v, n);
}

/*
 * Is this allowed decision one to report (events: sample-allows)?  A
 * chance of one in N, drawn from the kernel's pseudo-random numbers: no
 * shared counter for every allow on every CPU to write.
 */
static __always_inline bool abac_allow_sampled(void)
{
	const struct abac_event_cfg *cfg;
	__u32 z = 0, n;

	cfg = bpf_map_lookup_elem(&abac_fold_cfg, &z);
	n = cfg ? cfg->allow_sample : 0;
	return n && bpf_get_prandom_u32() % n == 0;
}

/*
 * Put a sampled allow on the ring buffer while it is less than half
 * full: it never takes a denial's room, and one it has no room for is
 * not lost (it was a sample), so not counted.
 */
static __always_inline void abac_send_sample(struct abac_event *e)
{
	if (bpf_ringbuf_query(&abac_events, BPF_RB_AVAIL_DATA) <
	    ABAC_EVENT_RING_BYTES / 2)
		bpf_ringbuf_output(&abac_events, e, sizeof(*e), 0);
}

/* Put @e on the ring buffer; what has no room is counted and named. */
static __always_inline void abac_send(struct abac_event *e)
{
	struct abac_counters *cnt = abac_counters_get();
	__u64 *pending, before = 0;
	__u32 z = 0;

	pending = bpf_map_lookup_elem(&abac_lost_pending, &z);
	if (pending)
		before = *pending;
	e->lost_before = before > 0xffffffffULL ? 0xffffffffU : before;
	if (bpf_ringbuf_output(&abac_events, e, sizeof(*e), 0)) {
		if (cnt)
			__sync_fetch_and_add(&cnt->events_lost, 1);
		abac_lost_named(e, 1);
		return;
	}
	if (pending && before)
		__sync_fetch_and_add(pending, -before);
}

/*
 * The fold window of a slot closed: send its repeats as one record and
 * watch another window, or free the slot when none came.  With no room
 * in the ring buffer the count stays, for the next window.
 */
static int abac_fold_flush(void *map, __u32 *key, struct abac_fold_slot *s)
{
	const struct abac_event_cfg *cfg;
	struct abac_event *e;
	__u64 window;
	__u32 z = 0, n;

	e = bpf_ringbuf_reserve(&abac_events, sizeof(*e), 0);
	bpf_spin_lock(&s->lock);
	n = s->count;
	if (n && e) {
		__builtin_memcpy(e, &s->ev, sizeof(*e));
		e->count = n;
		e->first_ns = s->first_ns;
		e->fold = s->kind;
		s->count = 0;
	} else if (!n) {
		s->busy = 0;
	}
	bpf_spin_unlock(&s->lock);
	if (e) {
		if (n) {
			e->lost_before = 0;
			bpf_ringbuf_submit(e, 0);
		} else {
			bpf_ringbuf_discard(e, 0);
		}
	}
	if (n) {
		cfg = bpf_map_lookup_elem(&abac_fold_cfg, &z);
		window = abac_fold_window(cfg);
		bpf_timer_start(&s->timer, window ? window :
				ABAC_FOLD_WINDOW_MS_DEFAULT * ABAC_NS_PER_MS, 0);
	}
	return 0;
}

enum { ABAC_FOLDED, ABAC_CLAIMED, ABAC_TAKEN };

/*
 * The path or entry name of @e, hashed: creating "a" and "b" in one
 * directory are two denials on the same object (the directory), and the
 * names are what tells them apart.
 */
static __always_inline __u64 abac_fold_name(const struct abac_event *e)
{
	__u64 h = ABAC_FNV_OFFSET;
	__u32 i;
	__u8 c;

	abac_for(i, 0, ABAC_PATH_MAX) {
		c = e->path[i & (ABAC_PATH_MAX - 1)];
		if (!c)
			break;
		h = (h ^ c) * ABAC_FNV_PRIME;
	}
	return h;
}

/* Fold @e into slot @s when it holds @e's key; claim @s when free. */
static __always_inline int abac_fold_into(struct abac_fold_slot *s,
					  const struct abac_event *e,
					  __u64 ino, __u64 name, __u32 dev,
					  __u32 kind)
{
	__u32 verdict = e->allowed | e->reason << 8 | e->mode << 16;
	int res = ABAC_TAKEN;

	bpf_spin_lock(&s->lock);
	if (s->busy && s->cgroup_id == e->cgroup_id && s->ino == ino &&
	    s->name == name && s->dev == dev && s->rule == e->rule && s->op == e->op &&
	    s->kind == kind && s->verdict == verdict &&
	    s->generation == e->generation) {
		if (!s->count)
			s->first_ns = e->boot_ns;
		s->count++;
		__builtin_memcpy(&s->ev, e, sizeof(*e));
		res = ABAC_FOLDED;
	} else if (!s->busy) {
		s->busy = 1;
		s->cgroup_id = e->cgroup_id;
		s->ino = ino;
		s->name = name;
		s->dev = dev;
		s->rule = e->rule;
		s->op = e->op;
		s->kind = kind;
		s->verdict = verdict;
		s->generation = e->generation;
		s->count = 0;
		res = ABAC_CLAIMED;
	}
	bpf_spin_unlock(&s->lock);
	return res;
}

/*
 * Report denial @e (count 1) of the subject whose own cgroup's cache
 * entry is @c (NULL: none): fold it, or send it.  A global function, so
 * that the verifier walks it once rather than once for every path of
 * every hook that reports.  Returns 0.
 */
__noinline int abac_fold_report(struct abac_event *e,
				struct abac_subj_cache *c)
{
	struct abac_counters *cnt;
	const struct abac_event_cfg *cfg;
	struct abac_fold_slot *s;
	__u32 z = 0, kind = ABAC_FOLD_OBJECT, dev, idx, slot, way;
	__u64 window, ino, name, h;
	int res;

	if (!e)
		return 0;
	if (e->effect == ABAC_ALLOW) {	/* a sample: never folded */
		abac_send_sample(e);
		return 0;
	}
	dev = e->dev;
	ino = e->ino;
	cfg = bpf_map_lookup_elem(&abac_fold_cfg, &z);
	window = abac_fold_window(cfg);
	if (!window) {
		abac_send(e);
		return 0;
	}
	if (!abac_within_budget(c, cfg, e->boot_ns, false)) {
		kind = ABAC_FOLD_RULE;
		ino = 0;
		dev = 0;
	}
	name = kind == ABAC_FOLD_OBJECT ? abac_fold_name(e) : 0;
	h = (e->cgroup_id ^ (ino ^ name) * 0x9e3779b97f4a7c15ULL) +
	    ((__u64)e->rule << 32 | e->op << 8 | kind | (__u64)dev << 16);
	idx = (__u32)((h * 0x9e3779b97f4a7c15ULL) >> 32);
	/*
	 * A key may sit in any of ABAC_FOLD_WAYS slots from its own: one
	 * busy slot must not turn a cgroup's rule fold into losses.  An
	 * iterator, not a loop the compiler unrolls: the verifier checks
	 * the slot's copy of the record once or twice, not once a way.
	 */
	s = NULL;
	res = ABAC_TAKEN;
	abac_for(way, 0, ABAC_FOLD_WAYS) {
		slot = (idx + way) & (ABAC_FOLD_SLOTS - 1);
		s = bpf_map_lookup_elem(&abac_fold, &slot);
		if (!s)
			break;
		res = abac_fold_into(s, e, ino, name, dev, kind);
		if (res != ABAC_TAKEN)
			break;
	}
	if (!s) {
		abac_within_budget(c, cfg, e->boot_ns, true);
		abac_send(e);
		return 0;
	}
	if (res == ABAC_FOLDED) {
		cnt = abac_counters_get();
		if (cnt)
			__sync_fetch_and_add(&cnt->folded, 1);
		return 0;
	}
	if (res == ABAC_CLAIMED) {
		/* -EBUSY: initialised already, by an earlier claim */
		bpf_timer_init(&s->timer, &abac_fold, ABAC_CLOCK_MONOTONIC);
		bpf_timer_set_callback(&s->timer, abac_fold_flush);
		if (bpf_timer_start(&s->timer, window, 0)) {
			/* no timer, no flush: fold nothing into this slot */
			bpf_spin_lock(&s->lock);
			s->busy = 0;
			bpf_spin_unlock(&s->lock);
		}
	} else if (kind == ABAC_FOLD_RULE) {
		/* past its budget and nowhere to fold: counted, named */
		cnt = abac_counters_get();
		if (cnt)
			__sync_fetch_and_add(&cnt->events_lost, 1);
		abac_lost_named(e, 1);
		return 0;
	}
	/* a record goes out: the budget pays for it */
	abac_within_budget(c, cfg, e->boot_ns, true);
	if (kind == ABAC_FOLD_RULE)
		e->fold = ABAC_FOLD_RULE;
	abac_send(e);
	return 0;
}

#endif /* _ABAC_BPF_FOLD_H */
