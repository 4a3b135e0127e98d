// SPDX-License-Identifier: GPL-2.0-only
/*
 * The agent's side of denial folding (bpf/fold.h, lsm/fold.c): the
 * policy's "events" settings written where the programs and the native
 * LSM read them, and the names of what
 * the ring buffer had no room for, read from the kernel's per (cgroup,
 * rule, op) counters for the "lost" line.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>

#include "abacd.h"
#include "native.h"

/**
 * fold_configure() - write the policy's fold window and event budget to
 *	the programs.
 * @d: the agent.
 *
 * Without a policy the defaults apply (the map holds zeros).
 *
 * Return: 0, or a negative errno (reported).
 */
int fold_configure(struct abacd *d)
{
	struct abac_event_cfg cfg = {};
	__u32 zero = 0;
	int err;

	if (!d->policy)
		return 0;
	cfg.fold_window_ns = (__u64)d->policy->fold_window_ms * 1000000ULL;
	if (!d->policy->fold_window_ms)
		cfg.flags |= ABAC_EVCFG_F_NOFOLD;
	cfg.budget = d->policy->event_budget;
	cfg.allow_sample = d->policy->allow_sample;
	if (d->use_native) {
		err = abac_native_set_event_cfg(&cfg);
		if (err) {
			say("failed to set the native LSM's event fold settings: %s",
			    strerror(-err));
			return err;
		}
	}
	if (!d->use_bpf || d->kern.fold_cfg_fd < 0)
		return 0;
	if (bpf_map_update_elem(d->kern.fold_cfg_fd, &zero, &cfg, BPF_ANY)) {
		say("failed to set the event fold settings: %s",
		    strerror(errno));
		return -errno;
	}
	return 0;
}

/* The words for @n records of @key lost: "CGROUP rule ID op OP: N". */
static int lost_name(struct abacd *d, const struct abac_lost_key *key,
		     unsigned long long n, char *buf, size_t sz)
{
	const char *id = NULL, *nlp, *op = abac_op_name(key->op);
	char cg[PATH_MAX], rule[64];

	if (!key->cgroup_id)
		snprintf(cg, sizeof(cg), "(others)");
	else if (cg_path_by_id(d, key->cgroup_id, cg, sizeof(cg)))
		snprintf(cg, sizeof(cg), "%llu",
			 (unsigned long long)key->cgroup_id);
	/* the rule's id under the policy in force, else its index */
	if (key->rule != ABAC_RULE_NONE && d->cur.buf)
		abac_image_rule_text(d->cur.buf, d->cur.len, key->rule, &id,
				     &nlp);
	if (key->rule == ABAC_RULE_NONE)
		snprintf(rule, sizeof(rule), "-");
	else if (id)
		snprintf(rule, sizeof(rule), "%s", id);
	else
		snprintf(rule, sizeof(rule), "#%u", key->rule);
	return snprintf(buf, sz, "%s rule %s op %s: %llu", cg, rule,
			op ? op : "?", n);
}

/*
 * Add @n records of @key to the text at @buf (@used bytes so far); what
 * does not fit, with room left for "and N more", goes to @more.
 */
static void lost_add(struct abacd *d, const struct abac_lost_key *key,
		     unsigned long long n, char *buf, size_t sz, size_t *used,
		     unsigned long long *more)
{
	char one[PATH_MAX + 128];
	int k = lost_name(d, key, n, one, sizeof(one));

	if (k < 0 || *used + (size_t)k + 2 + 32 >= sz) {
		*more += n;
		return;
	}
	*used += (size_t)snprintf(buf + *used, sz - *used, "%s%s",
				  *used ? "; " : "", one);
}

/**
 * fold_lost_names() - "CGROUP rule ID op OP: N; ..." for the records
 *	lost since the last call, each count read and cleared: the BPF map
 *	abac_lost, or the native LSM's securityfs file "lost".
 * @d: the agent.
 * @buf: receives the text ("" when the kernel named none).
 * @sz: its size; what does not fit is summed as "and N more".
 */
void fold_lost_names(struct abacd *d, char *buf, size_t sz)
{
	struct abac_lost_rec recs[ABAC_NATIVE_LOST_KEYS];
	struct abac_lost_key key, next;
	unsigned long long more = 0;
	size_t used = 0;
	int i, n;
	__u64 cnt;

	buf[0] = '\0';
	if (d->use_native) {
		n = abac_native_lost_take(recs, ABAC_NATIVE_LOST_KEYS);
		for (i = 0; i < n; i++)
			lost_add(d, &recs[i].key, recs[i].n, buf, sz, &used,
				 &more);
	}
	/* delete as we go: restart from the first key each time */
	while (d->use_bpf && d->kern.lost_fd >= 0 &&
	       !bpf_map_get_next_key(d->kern.lost_fd, NULL, &next)) {
		key = next;
		if (bpf_map_lookup_and_delete_elem(d->kern.lost_fd, &key, &cnt))
			break;
		lost_add(d, &key, cnt, buf, sz, &used, &more);
	}
	if (more)
		snprintf(buf + used, sz - used, "%sand %llu more",
			 used ? "; " : "", more);
}
