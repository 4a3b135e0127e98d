// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: denial records that a flood cannot hide, as
 * bpf/fold.h has them for the BPF programs: repeats folded, a budget per
 * cgroup.
 *
 * A denial that repeats one already recorded (same process cgroup, rule,
 * operation, object inode and path or entry name, verdict and image)
 * within the fold window is not recorded again: its slot counts it, and
 * when the window closes the slot's timer records it once, with the
 * count and the first and last times, then watches another window, or
 * frees the slot when nothing came.  The first denial of a key is always
 * recorded at once, and a denial whose ABAC_FOLD_WAYS slots all hold
 * other keys is recorded unfolded: a distinct denial is never folded
 * into another.
 *
 * Each cgroup has a budget of records a second (GCRA, in a small table
 * keyed by cgroup id; a cgroup that takes another's entry starts afresh).
 * Past it, that cgroup's denials fold per rule and operation whatever the
 * object (ABAC_FOLD_RULE); one that finds no free slot is counted as
 * lost.  Another cgroup's records are untouched.
 *
 * The agent writes the policy's "events" settings to the event_cfg file
 * (fs.c); all zero means the defaults.  Tamper refusals are never folded
 * (guard.c records each), and the audit subsystem gets every denial.
 */
#include "abac.h"

#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timer.h>

#define ABAC_NATIVE_FOLD_SLOTS	256	/* a power of two */
#define ABAC_NATIVE_BUDGETS	256	/* a power of two */

/**
 * struct abac_fold_slot - the repeats of one denial, folding.
 * @lock: guards the rest; taken with interrupts off (the timer).
 * @timer: fires when the window closes.
 * @busy: the slot holds a key.
 * @count: repeats folded in this window.
 * @first_ns: boot time of the first of them.
 * @cgroup_id: the key: the process's cgroup,
 * @ino: the object's inode (0 for ABAC_FOLD_RULE),
 * @name: the hash of its path or entry name,
 * @dev: its device,
 * @rule: the rule,
 * @op: the operation,
 * @kind: enum abac_fold,
 * @verdict: allowed, reason and mode,
 * @generation: and the image.
 * @ev: the last repeat, the record the window sends.
 */
struct abac_fold_slot {
	spinlock_t lock;	/* the fields below; interrupts off */
	struct timer_list timer;
	bool busy;
	u32 count;
	u64 first_ns;
	u64 cgroup_id;
	u64 ino;
	u64 name;
	u32 dev;
	u32 rule;
	u32 op;
	u32 kind;
	u32 verdict;
	u32 generation;
	struct abac_event ev;
};

/* One cgroup's budget: its GCRA theoretical arrival time. */
struct abac_budget {
	u64 cgroup_id;
	u64 tat;
};

static struct abac_fold_slot *abac_fold_slots;
static struct abac_budget abac_budgets[ABAC_NATIVE_BUDGETS];
static DEFINE_SPINLOCK(abac_budget_lock);
static struct abac_event_cfg abac_fold_cfg;	/* READ_ONCE per field */

/**
 * abac_fold_configure() - take the policy's "events" settings.
 * @cfg: what the agent wrote; all zero: the defaults.
 *
 * Return: 0, or -EINVAL for unknown flags.
 */
int abac_fold_configure(const struct abac_event_cfg *cfg)
{
	if (cfg->flags & ~ABAC_EVCFG_F_NOFOLD || cfg->pad ||
	    cfg->allow_sample > ABAC_ALLOW_SAMPLE_MAX)
		return -EINVAL;
	WRITE_ONCE(abac_allow_sample, cfg->allow_sample);
	WRITE_ONCE(abac_fold_cfg.fold_window_ns, cfg->fold_window_ns);
	WRITE_ONCE(abac_fold_cfg.budget, cfg->budget);
	WRITE_ONCE(abac_fold_cfg.flags, cfg->flags);
	return 0;
}

/* events: sample-allows, read by abac_allow_sampled() at every allow */
u32 abac_allow_sample __read_mostly;

/* The fold window in ns, 0 when folding is off. */
static u64 abac_fold_window(void)
{
	u64 ns = READ_ONCE(abac_fold_cfg.fold_window_ns);

	if (READ_ONCE(abac_fold_cfg.flags) & ABAC_EVCFG_F_NOFOLD)
		return 0;
	return ns ?: ABAC_FOLD_WINDOW_MS_DEFAULT * NSEC_PER_MSEC;
}

/*
 * Does a record of cgroup @cgroup_id at @now fit its budget?  GCRA: each
 * record sent moves the cgroup's theoretical arrival time one interval on
 * (@charge: this one is sent); a record that would put it more than the
 * burst ahead of now is over budget and does not move it.  Only records
 * sent are charged, never the repeats folded into one (bpf/fold.h).
 */
static bool abac_within_budget(u64 cgroup_id, u64 now, bool charge)
{
	u32 budget = READ_ONCE(abac_fold_cfg.budget) ?:
		     ABAC_EVENT_BUDGET_DEFAULT;
	u64 interval = NSEC_PER_SEC / budget, tat;
	struct abac_budget *b;
	unsigned long flags;
	bool fits = true;

	b = &abac_budgets[hash_64(cgroup_id, ilog2(ABAC_NATIVE_BUDGETS))];
	spin_lock_irqsave(&abac_budget_lock, flags);
	if (b->cgroup_id != cgroup_id) {
		b->cgroup_id = cgroup_id;
		b->tat = 0;
	}
	tat = max(b->tat, now);
	if (tat - now > interval * budget * ABAC_EVENT_BURST_FACTOR)
		fits = false;
	else if (charge)
		b->tat = tat + interval;
	spin_unlock_irqrestore(&abac_budget_lock, flags);
	return fits;
}

/* The window closed: record the repeats once, or free the slot. */
static void abac_fold_flush(struct timer_list *t)
{
	struct abac_fold_slot *s = from_timer(s, t, timer);
	struct abac_event *e = kmalloc(sizeof(*e), GFP_ATOMIC | __GFP_NOWARN);
	u64 window = abac_fold_window() ?:
		     ABAC_FOLD_WINDOW_MS_DEFAULT * NSEC_PER_MSEC;
	unsigned long flags;
	u32 n;

	spin_lock_irqsave(&s->lock, flags);
	n = s->count;
	if (n && e) {
		*e = s->ev;
		e->count = n;
		e->first_ns = s->first_ns;
		e->fold = s->kind;
		e->lost_before = 0;
		s->count = 0;
	}
	if (n)	/* without memory the count waits for the next window */
		mod_timer(&s->timer, jiffies + nsecs_to_jiffies(window));
	else
		s->busy = false;
	spin_unlock_irqrestore(&s->lock, flags);
	if (n && e)
		abac_event_push(e);
	kfree(e);
}

/* The path or entry name of @e, hashed: names tell two entries apart. */
static u64 abac_fold_name(const struct abac_event *e)
{
	u64 h = ABAC_FNV_OFFSET;
	size_t i;

	for (i = 0; i < sizeof(e->path) && e->path[i]; i++)
		h = abac_hash_byte(h, e->path[i]);
	return h;
}

enum { ABAC_FOLDED, ABAC_CLAIMED, ABAC_TAKEN };

/* Fold @e into slot @s when it holds @e's key; claim @s when free. */
static int abac_fold_into(struct abac_fold_slot *s,
			  const struct abac_event *e, u64 ino, u64 name,
			  u32 dev, u32 kind, u64 window)
{
	u32 verdict = e->allowed | e->reason << 8 | e->mode << 16;
	unsigned long flags;
	int res = ABAC_TAKEN;

	spin_lock_irqsave(&s->lock, flags);
	if (s->busy && s->cgroup_id == e->cgroup_id && s->ino == ino &&
	    s->name == name && s->dev == dev && s->rule == e->rule &&
	    s->op == e->op && s->kind == kind && s->verdict == verdict &&
	    s->generation == e->generation) {
		if (!s->count)
			s->first_ns = e->boot_ns;
		s->count++;
		s->ev = *e;
		res = ABAC_FOLDED;
	} else if (!s->busy) {
		s->busy = true;
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
		mod_timer(&s->timer, jiffies + nsecs_to_jiffies(window));
		res = ABAC_CLAIMED;
	}
	spin_unlock_irqrestore(&s->lock, flags);
	return res;
}

/**
 * abac_fold_report() - record denial @e, or fold it into a repeat.
 * @e: the record (count 1); may be changed.
 *
 * May be called in atomic context.
 */
void abac_fold_report(struct abac_event *e)
{
	u32 kind = ABAC_FOLD_OBJECT, dev = e->dev, idx, way;
	u64 window = abac_fold_window(), ino = e->ino, name = 0, h;
	struct abac_fold_slot *s;
	int res = ABAC_TAKEN;

	if (e->effect == ABAC_ALLOW) {	/* a sample: never folded */
		abac_event_push_sample(e);
		return;
	}
	if (!window || !abac_fold_slots) {
		abac_event_push(e);
		return;
	}
	if (!abac_within_budget(e->cgroup_id, e->boot_ns, false)) {
		kind = ABAC_FOLD_RULE;
		ino = 0;
		dev = 0;
	} else {
		name = abac_fold_name(e);
	}
	h = (e->cgroup_id ^ (ino ^ name) * GOLDEN_RATIO_64) +
	    ((u64)e->rule << 32 | e->op << 8 | kind | (u64)dev << 16);
	idx = hash_64(h, ilog2(ABAC_NATIVE_FOLD_SLOTS));
	/*
	 * A key may sit in any of ABAC_FOLD_WAYS slots from its own: one
	 * busy slot must not turn a cgroup's rule fold into losses.
	 */
	for (way = 0; way < ABAC_FOLD_WAYS && res == ABAC_TAKEN; way++) {
		s = &abac_fold_slots[(idx + way) &
				     (ABAC_NATIVE_FOLD_SLOTS - 1)];
		res = abac_fold_into(s, e, ino, name, dev, kind, window);
	}
	if (res == ABAC_FOLDED) {
		atomic64_inc(&abac_stats.folded);
		return;
	}
	if (res == ABAC_TAKEN && kind == ABAC_FOLD_RULE) {
		/* past its budget and nowhere to fold: counted, named */
		abac_event_drop(e);
		return;
	}
	/* a record goes out: the budget pays for it */
	abac_within_budget(e->cgroup_id, e->boot_ns, true);
	if (kind == ABAC_FOLD_RULE)
		e->fold = ABAC_FOLD_RULE;
	abac_event_push(e);
}

/**
 * abac_fold_init() - allocate the fold slots.  Without them every denial
 * is recorded unfolded.
 */
void __init abac_fold_init(void)
{
	unsigned int i;

	abac_fold_slots = kcalloc(ABAC_NATIVE_FOLD_SLOTS,
				  sizeof(*abac_fold_slots), GFP_KERNEL);
	if (!abac_fold_slots)
		return;	/* every denial is recorded unfolded */
	for (i = 0; i < ABAC_NATIVE_FOLD_SLOTS; i++) {
		spin_lock_init(&abac_fold_slots[i].lock);
		timer_setup(&abac_fold_slots[i].timer, abac_fold_flush, 0);
	}
}
