// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: what a decision leaves behind.
 *
 * Counters since boot (shown in the status file), and for every denial a
 * struct abac_event (lsm/abac_abi.h, the record the BPF programs send on
 * their ring buffer) kept in a ring of ABAC_EVENT_RING records that
 * /sys/kernel/security/abac/events hands out to the agent.  A read
 * copies the oldest records without taking them; the reader takes them
 * by writing how many it has kept (abac_events_ack()), so that an agent
 * killed between the two reads them again when it restarts, and loses
 * none.  A full ring drops the new record and counts it (events_lost): a
 * reader that falls behind loses the newest records, never blocks a
 * decision.  Whose they were is counted per (cgroup, rule, operation) in
 * ABAC_LOST_KEYS slots (the last one for all the others), handed out and
 * cleared by the securityfs file "lost", and the next record kept says
 * how many were lost before it (lost_before), as the BPF side does.
 * Each denial
 * also goes to the audit subsystem (audit.c), which keeps its own count
 * of what it loses.
 */
#include "abac.h"

#include <linux/build_bug.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

struct abac_stats abac_stats;

static struct abac_event *abac_ring;
static unsigned int abac_ring_head;	/* next record to read */
static unsigned int abac_ring_count;	/* records held */
static DEFINE_SPINLOCK(abac_ring_lock);
static DECLARE_WAIT_QUEUE_HEAD(abac_ring_wait);
/* under abac_ring_lock: who lost records, and how many since the last kept */
static struct abac_lost_rec abac_lost[ABAC_LOST_KEYS];
static u64 abac_lost_pending;

/* The names abacd's JSON and the policy language use, one per value. */
static const char *const abac_op_names[] = {
	[ABAC_OP_READ] = "read",
	[ABAC_OP_WRITE] = "write",
	[ABAC_OP_EXEC] = "exec",
	[ABAC_OP_CREATE] = "create",
	[ABAC_OP_DELETE] = "delete",
	[ABAC_OP_RELABEL] = "relabel",
	[ABAC_OP_CONNECT] = "connect",
	[ABAC_OP_BIND] = "bind",
	[ABAC_OP_LISTEN] = "listen",
	[ABAC_OP_ADMINISTER] = "administer",
};

static_assert(ARRAY_SIZE(abac_op_names) == ABAC_OP_COUNT);

static const char *const abac_reason_names[] = {
	[ABAC_REASON_RULE] = "rule",
	[ABAC_REASON_DEFAULT] = "default",
	[ABAC_REASON_BAD_LABEL] = "bad-label",
	[ABAC_REASON_BAD_IMAGE] = "bad-image",
	[ABAC_REASON_INDETERMINATE] = "indeterminate",
	[ABAC_REASON_GUARD] = "guard",
};

static_assert(ARRAY_SIZE(abac_reason_names) == ABAC_REASON_GUARD + 1);

static const char *const abac_guard_names[] = {
	[ABAC_GUARD_NONE] = "none",
	[ABAC_GUARD_LABEL_SET] = "label-set",
	[ABAC_GUARD_LABEL_REMOVE] = "label-remove",
	[ABAC_GUARD_CGROUP_WRITE] = "cgroup-write",
	[ABAC_GUARD_CGROUP_MKDIR] = "cgroup-mkdir",
	[ABAC_GUARD_CGROUP_RMDIR] = "cgroup-rmdir",
	[ABAC_GUARD_CGROUP_RENAME] = "cgroup-rename",
	[ABAC_GUARD_BPF] = "bpf",
	[ABAC_GUARD_BPF_MAP] = "bpf-map",
	[ABAC_GUARD_BPF_PROG] = "bpf-prog",
	[ABAC_GUARD_BPFFS] = "bpffs",
	[ABAC_GUARD_MOUNT] = "mount",
	[ABAC_GUARD_UMOUNT] = "umount",
	[ABAC_GUARD_MOVE_MOUNT] = "move-mount",
	[ABAC_GUARD_PIVOT_ROOT] = "pivot-root",
	[ABAC_GUARD_SIGNAL] = "signal-agent",
	[ABAC_GUARD_PTRACE] = "ptrace-agent",
	[ABAC_GUARD_AGENT_PROC] = "agent-proc",
	[ABAC_GUARD_AGENT_SCHED] = "agent-sched",
	[ABAC_GUARD_SOCKET] = "control-socket",
	[ABAC_GUARD_PROTECTED] = "protected-file",
	[ABAC_GUARD_SECURITYFS] = "securityfs",
	[ABAC_GUARD_CLOCK] = "clock",
	[ABAC_GUARD_MODULE] = "module",
	[ABAC_GUARD_CAPABILITY] = "capability",
	[ABAC_GUARD_USERNS] = "userns",
	[ABAC_GUARD_OTHER_PROCESS] = "other-process",
	[ABAC_GUARD_KERNEL_INTERFACE] = "kernel-interface",
	[ABAC_GUARD_RAW_DEVICE] = "raw-device",
	[ABAC_GUARD_SYSTEM_FILE] = "system-file",
	[ABAC_GUARD_TABLE_FULL] = "table-full",
};

static_assert(ARRAY_SIZE(abac_guard_names) == ABAC_GUARD_COUNT);

static const char *const abac_outcome_names[] = {
	[ABAC_OUT_NA] = "not-applicable",
	[ABAC_OUT_PERMIT] = "permit",
	[ABAC_OUT_DENY] = "deny",
	[ABAC_OUT_INDET] = "indeterminate",
};

static_assert(ARRAY_SIZE(abac_outcome_names) == ABAC_OUT_INDET + 1);

/* @names[@v] when @v has a name, else "unknown". */
static const char *abac_name(const char *const *names, size_t n, u32 v)
{
	return v < n && names[v] ? names[v] : "unknown";
}

/**
 * abac_op_name() - the name of an operation.
 * @op: enum abac_op.
 *
 * Return: "read", "write", ..., or "unknown".
 */
const char *abac_op_name(u32 op)
{
	return abac_name(abac_op_names, ARRAY_SIZE(abac_op_names), op);
}

/**
 * abac_reason_name() - the name of a decision's reason.
 * @reason: enum abac_reason.
 *
 * Return: "rule", "default", ..., or "unknown".
 */
const char *abac_reason_name(u32 reason)
{
	return abac_name(abac_reason_names, ARRAY_SIZE(abac_reason_names),
			 reason);
}

/**
 * abac_guard_name() - the name of what the guard refused.
 * @what: enum abac_guard.
 *
 * Return: "cgroup-write", "signal-agent", ..., or "unknown".
 */
const char *abac_guard_name(u32 what)
{
	return abac_name(abac_guard_names, ARRAY_SIZE(abac_guard_names), what);
}

/**
 * abac_outcome_name() - the name of a policy outcome.
 * @outcome: enum abac_outcome.
 *
 * Return: "permit", "deny", "not-applicable", "indeterminate" or
 * "unknown".
 */
const char *abac_outcome_name(u32 outcome)
{
	return abac_name(abac_outcome_names, ARRAY_SIZE(abac_outcome_names),
			 outcome);
}

/**
 * abac_event_fill() - the parts of an event every refusal shares: when,
 * who, which image, which inode.
 * @e: the zeroed record.
 * @c: the caller.
 * @inode: the object's inode, or NULL.
 */
void abac_event_fill(struct abac_event *e, const struct abac_ctx *c,
		     const struct inode *inode)
{
	const struct abac_image_hdr *hdr = abac_loaded_hdr(c->pol);

	e->boot_ns = ktime_get_boottime_ns();
	e->cgroup_id = c->cgroup_id;
	e->subj_cgroup_id = c->tagged_id;
	if (inode) {
		e->ino = inode->i_ino;
		e->dev = inode->i_sb->s_dev;
	}
	e->pid = task_tgid_nr(current);
	e->tid = task_pid_nr(current);
	e->uid = from_kuid(&init_user_ns, current_uid());
	e->gid = from_kgid(&init_user_ns, current_gid());
	e->generation = hdr->generation;
	e->content_hash = hdr->content_hash;
	e->rule = ABAC_RULE_NONE;
	e->mode = hdr->mode;
	e->guard = ABAC_GUARD_NONE;
	e->count = 1;
	e->first_ns = e->boot_ns;
	e->env_wday = ABAC_ENV_UNREAD;	/* a decision that read it says so */
	get_task_comm(e->comm, current);
}

/*
 * Count a record of @e's (cgroup, rule, op) lost: in its slot, a free
 * one, or the last slot, which stands for all the others.  Under
 * abac_ring_lock.
 */
static void abac_lost_name(const struct abac_event *e)
{
	struct abac_lost_rec *r;
	unsigned int i;

	for (i = 0; i < ABAC_LOST_KEYS - 1; i++) {
		r = &abac_lost[i];
		if (!r->n) {
			r->key.cgroup_id = e->cgroup_id;
			r->key.rule = e->rule;
			r->key.op = e->op;
			break;
		}
		if (r->key.cgroup_id == e->cgroup_id &&
		    r->key.rule == e->rule && r->key.op == e->op)
			break;
	}
	if (i == ABAC_LOST_KEYS - 1) {
		r = &abac_lost[i];
		r->key.cgroup_id = 0;
		r->key.rule = ABAC_RULE_NONE;
		r->key.op = 0;
	}
	r->n++;
	abac_lost_pending++;
}

/*
 * Keep @e while the ring holds fewer than @limit records, saying how many
 * were lost before it; @name a record that finds no room as lost.
 */
static bool abac_event_keep(const struct abac_event *e, unsigned int limit,
			    bool name)
{
	unsigned long flags;
	unsigned int tail;
	bool kept = false;

	spin_lock_irqsave(&abac_ring_lock, flags);
	if (abac_ring_count < limit) {
		tail = (abac_ring_head + abac_ring_count) % ABAC_EVENT_RING;
		abac_ring[tail] = *e;
		abac_ring[tail].lost_before = min_t(u64, abac_lost_pending,
						    U32_MAX);
		abac_lost_pending = 0;
		abac_ring_count++;
		kept = true;
	} else if (name) {
		abac_lost_name(e);
	}
	spin_unlock_irqrestore(&abac_ring_lock, flags);
	if (kept) {
		atomic64_inc(&abac_stats.events);
		wake_up_interruptible(&abac_ring_wait);
	}
	return kept;
}

/**
 * abac_event_push() - keep a record for the event file's reader.
 * @e: the record; copied.
 *
 * A full ring counts the record as lost.  May be called in atomic
 * context.
 */
void abac_event_push(const struct abac_event *e)
{
	if (!abac_event_keep(e, ABAC_EVENT_RING, true))
		atomic64_inc(&abac_stats.events_lost);
}

/**
 * abac_event_drop() - count a record that could not be kept (no fold
 *	slot for a cgroup past its budget) as lost, and name it.
 * @e: the record.
 *
 * May be called in atomic context.
 */
void abac_event_drop(const struct abac_event *e)
{
	unsigned long flags;

	spin_lock_irqsave(&abac_ring_lock, flags);
	abac_lost_name(e);
	spin_unlock_irqrestore(&abac_ring_lock, flags);
	atomic64_inc(&abac_stats.events_lost);
}

/**
 * abac_event_push_sample() - keep a sampled allow while the ring is less
 *	than half full: it never takes a denial's room, and one it has no
 *	room for was a sample, not a loss.
 * @e: the record; copied.
 *
 * May be called in atomic context.
 */
void abac_event_push_sample(const struct abac_event *e)
{
	abac_event_keep(e, ABAC_EVENT_RING / 2, false);
}

/**
 * abac_events_pending() - are records waiting to be read?
 *
 * Return: true when the ring holds a record.
 */
bool abac_events_pending(void)
{
	return READ_ONCE(abac_ring_count) != 0;
}

/**
 * abac_events_waitq() - the wait queue woken when a record arrives.
 *
 * Return: the queue, for poll.
 */
struct wait_queue_head *abac_events_waitq(void)
{
	return &abac_ring_wait;
}

/* Copy the @i-th oldest record into @e; false when there is none. */
static bool abac_events_peek(unsigned int i, struct abac_event *e)
{
	unsigned long flags;
	bool got = false;

	spin_lock_irqsave(&abac_ring_lock, flags);
	if (i < abac_ring_count) {
		*e = abac_ring[(abac_ring_head + i) % ABAC_EVENT_RING];
		got = true;
	}
	spin_unlock_irqrestore(&abac_ring_lock, flags);
	return got;
}

/**
 * abac_events_read() - hand out whole records, oldest first, without
 * taking them: they stay until abac_events_ack() takes them.
 * @buf: the reader's buffer.
 * @count: its size; at least one record.
 * @nonblock: return -EAGAIN rather than wait for a first record.
 *
 * Return: bytes copied (a multiple of sizeof(struct abac_event)); -EINVAL
 * when @count cannot hold a record; -EAGAIN; -ERESTARTSYS; -EFAULT.
 */
ssize_t abac_events_read(char __user *buf, size_t count, bool nonblock)
{
	struct abac_event e;
	size_t done = 0;
	int err;

	if (count < sizeof(e))
		return -EINVAL;
	while (done + sizeof(e) <= count) {
		if (!abac_events_peek(done / sizeof(e), &e)) {
			if (done)
				break;
			if (nonblock)
				return -EAGAIN;
			err = wait_event_interruptible(abac_ring_wait,
						       abac_events_pending());
			if (err)
				return err;
			continue;
		}
		if (copy_to_user(buf + done, &e, sizeof(e)))
			return done ? (ssize_t)done : -EFAULT;
		done += sizeof(e);
	}
	return done;
}

/**
 * abac_events_ack() - take the @n oldest records: the reader has kept
 * them (written them to its log).
 * @n: how many; more than the ring holds takes them all.
 *
 * Return: the records taken.
 */
unsigned int abac_events_ack(unsigned int n)
{
	unsigned long flags;

	spin_lock_irqsave(&abac_ring_lock, flags);
	n = min(n, abac_ring_count);
	abac_ring_head = (abac_ring_head + n) % ABAC_EVENT_RING;
	abac_ring_count -= n;
	spin_unlock_irqrestore(&abac_ring_lock, flags);
	return n;
}

/**
 * abac_lost_take() - hand out the counts of lost records and clear them.
 * @out: receives up to ABAC_LOST_KEYS counts.
 *
 * Return: the counts copied.
 */
unsigned int abac_lost_take(struct abac_lost_rec *out)
{
	unsigned long flags;
	unsigned int i, n = 0;

	spin_lock_irqsave(&abac_ring_lock, flags);
	for (i = 0; i < ABAC_LOST_KEYS; i++) {
		if (!abac_lost[i].n)
			continue;
		out[n++] = abac_lost[i];
		abac_lost[i].n = 0;
	}
	spin_unlock_irqrestore(&abac_ring_lock, flags);
	return n;
}

/**
 * abac_events_init() - allocate the ring.
 *
 * Return: 0 or -ENOMEM.
 */
int __init abac_events_init(void)
{
	abac_ring = vmalloc_array(ABAC_EVENT_RING, sizeof(*abac_ring));
	return abac_ring ? 0 : -ENOMEM;
}
