// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: what a decision leaves behind.
 *
 * Counters since boot (shown in the status file), and for every denial a
 * struct abac_event (lsm/abac_abi.h, the record the BPF programs send on
 * their ring buffer) kept in a ring of ABAC_EVENT_RING records that
 * /sys/kernel/security/abac/events hands out, plus a rate-limited log
 * line naming the rule.  A full ring drops the new record and counts it
 * (events_lost): a reader that falls behind loses the newest records,
 * never blocks a decision.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/ratelimit.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "abac.h"
#include "abac_image_check.h"

struct abac_stats abac_stats;

static struct abac_event abac_ring[ABAC_EVENT_RING];
static unsigned int abac_ring_head;	/* next record to read */
static unsigned int abac_ring_count;	/* records held */
static DEFINE_SPINLOCK(abac_ring_lock);
static DECLARE_WAIT_QUEUE_HEAD(abac_ring_wait);
static DEFINE_RATELIMIT_STATE(abac_log_rs, 5 * HZ, 10);

static const char *const abac_op_names[ABAC_OP_COUNT] = {
	"read", "write", "exec", "create", "delete", "relabel", "connect",
	"bind", "listen",
};

static const char *const abac_reason_names[] = {
	[ABAC_REASON_RULE] = "rule",
	[ABAC_REASON_DEFAULT] = "default",
	[ABAC_REASON_BAD_LABEL] = "bad-label",
	[ABAC_REASON_BAD_IMAGE] = "bad-image",
};

/* The id of rule @idx of a validated image, or "-". */
static const char *abac_rule_id(const struct abac_loaded *pol, u32 idx)
{
	const struct abac_image_hdr *hdr = abac_loaded_hdr(pol);
	const struct abac_rule *r;
	const char *id;

	if (idx >= hdr->nrules)
		return "-";
	r = (const void *)(pol->img +
			   ((size_t)hdr->rules_off + idx) * ABAC_REC_SIZE);
	id = abac_check_table_str(pol->img, hdr, r->str);
	return id ? id : "-";
}

/**
 * abac_event_report() - keep a denial record and log it.
 * @pol: the image that decided.
 * @e: the record.
 */
void abac_event_report(const struct abac_loaded *pol,
		       const struct abac_event *e)
{
	unsigned int tail;
	bool kept = false;

	spin_lock(&abac_ring_lock);
	if (abac_ring_count < ABAC_EVENT_RING) {
		tail = (abac_ring_head + abac_ring_count) % ABAC_EVENT_RING;
		abac_ring[tail] = *e;
		abac_ring_count++;
		kept = true;
	}
	spin_unlock(&abac_ring_lock);
	if (kept) {
		atomic64_inc(&abac_stats.events);
		wake_up_interruptible(&abac_ring_wait);
	} else {
		atomic64_inc(&abac_stats.events_lost);
	}
	if (__ratelimit(&abac_log_rs))
		pr_notice("abac: %s %s of %s by pid %u (%.16s) uid %u cgroup %llu: %s %s (policy generation %u)\n",
			  e->allowed ? "audit: would deny" : "denied",
			  e->op < ABAC_OP_COUNT ? abac_op_names[e->op] : "?",
			  e->path[0] ? e->path : "?", e->pid, e->comm, e->uid,
			  (unsigned long long)e->cgroup_id,
			  e->reason < ARRAY_SIZE(abac_reason_names) ?
			  abac_reason_names[e->reason] : "?",
			  e->reason == ABAC_REASON_RULE ?
			  abac_rule_id(pol, e->rule) : "",
			  e->generation);
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

/**
 * abac_events_read() - hand out (and consume) whole records.
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
		spin_lock(&abac_ring_lock);
		if (!abac_ring_count) {
			spin_unlock(&abac_ring_lock);
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
		e = abac_ring[abac_ring_head];
		abac_ring_head = (abac_ring_head + 1) % ABAC_EVENT_RING;
		abac_ring_count--;
		spin_unlock(&abac_ring_lock);
		if (copy_to_user(buf + done, &e, sizeof(e))) {
			/* the record is lost to this reader: say so */
			atomic64_inc(&abac_stats.events_lost);
			return done ? (ssize_t)done : -EFAULT;
		}
		done += sizeof(e);
	}
	return done;
}
