/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * abac native LSM: what its files share.
 *
 *   setup.c       DEFINE_LSM, the LSM id, blob sizes, hook registration
 *   policy.c      the image in force: validate, swap under RCU, refcount
 *   core.c        the only caller of lsm/abac_decide.h
 *   hooks_file.c  file_open: subject, label, decision, -EACCES
 *   events.c      counters, the denial record ring, the log line
 *   fs.c          securityfs: /sys/kernel/security/abac/{policy,status,events}
 */
#ifndef _SECURITY_ABAC_H
#define _SECURITY_ABAC_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/init.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>

#include "abac_abi.h"
#include "abac_hash.h"
#include "abac_decide.h"

#define ABAC_LSM_NAME		"abac"
/* Not an upstream id: out of the range upstream LSMs use (100..). */
#ifndef LSM_ID_ABAC
#define LSM_ID_ABAC		190
#endif

#define ABAC_EVENT_RING		256	/* denial records kept for readers */

struct lsm_id;
struct wait_queue_head;

extern bool abac_enabled;
extern const struct lsm_id abac_lsmid;

/**
 * struct abac_loaded - one image in force, or once in force.
 * @ref: references: one for being in force, one per decision or reader.
 * @rcu: frees it after a grace period once the last reference is gone.
 * @seq: how many images had been accepted before this one, plus one.
 * @len: bytes at @img.
 * @img: the image, validated by abac_image_validate().
 */
struct abac_loaded {
	refcount_t ref;
	struct rcu_head rcu;
	u64 seq;
	size_t len;
	u8 img[] __aligned(8);
};

/* policy.c */
struct abac_loaded *abac_policy_get(void);
void abac_policy_put(struct abac_loaded *pol);
int abac_policy_load(const u8 *buf, size_t len, char *msg, size_t msg_size);
void abac_policy_last_error(char *buf, size_t size);
u64 abac_policy_loads(void);
u64 abac_policy_rejects(void);

static inline const struct abac_image_hdr *
abac_loaded_hdr(const struct abac_loaded *pol)
{
	return (const struct abac_image_hdr *)pol->img;
}

/* core.c */

/**
 * struct abac_subject - the calling task as the policy in force sees it.
 * @attrs: its tags, inside the image; NULL when it is untagged.
 * @cgroup_id: its own cgroup (v2) id.
 * @tagged_id: the cgroup whose tags apply: itself or an ancestor.
 */
struct abac_subject {
	const struct abac_attrs *attrs;
	u64 cgroup_id;
	u64 tagged_id;
};

bool abac_core_subject(const struct abac_loaded *pol,
		       struct abac_subject *subj);
u32 abac_core_decide(const struct abac_loaded *pol,
		     const struct abac_attrs *subj, const u8 *label,
		     u32 len, u32 ops, struct abac_decision *d);

/* events.c */

/**
 * struct abac_stats - counters since boot, shown in the status file.
 * @decisions: decisions taken for tagged subjects on labelled files.
 * @denied: accesses refused.
 * @audited: denials let through in audit mode.
 * @bad_labels: labels refused (malformed, unknown or unreadable).
 * @events_lost: records the ring had no room for.
 * @events: records written to the ring.
 */
struct abac_stats {
	atomic64_t decisions;
	atomic64_t denied;
	atomic64_t audited;
	atomic64_t bad_labels;
	atomic64_t events_lost;
	atomic64_t events;
};

extern struct abac_stats abac_stats;

void abac_event_report(const struct abac_loaded *pol,
		       const struct abac_event *e);
ssize_t abac_events_read(char __user *buf, size_t count, bool nonblock);
bool abac_events_pending(void);
struct wait_queue_head *abac_events_waitq(void);

/* hooks_file.c */
void __init abac_add_file_hooks(void);

#endif /* _SECURITY_ABAC_H */
