// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: the decision.  The only file that calls abac_decide()
 * (lsm/abac_decide.h), the very code the BPF programs and the user-space
 * tools run; abac_check() here is bpf/common.h's abac_check() in kernel
 * C: the cache, the decision, the relabel rule, the counters, the report.
 */
#include "abac.h"

#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "abac_blobs.h"

/**
 * struct abac_env_read - the environment a decision read, for its event.
 * @read: it read the clock and the operator's attributes.
 * @generation: the generation of those attributes.
 * @minute: the local minute it read.
 * @wday: the local weekday.
 */
struct abac_env_read {
	bool read;
	u32 generation;
	u32 minute;
	u32 wday;
};

/*
 * Resolve the object's label through the image in force and decide.  A
 * label that is malformed, unreadable, or names a pair the policy does
 * not declare denies.  @er (may be NULL) receives the environment read.
 */
static void abac_decide_obj(const struct abac_ctx *c,
			    const struct abac_obj *o, u32 op,
			    struct abac_decision *d, struct abac_env_read *er)
{
	struct abac_image img = abac_loaded_image(c->pol);
	const struct abac_image_hdr *hdr = abac_hdr(&img);
	struct abac_object obj = {};	/* 648 bytes: the label's members */
	struct abac_request rq = { .s = c->attrs, .o = &obj.a, .cls = c->cls,
				   .ostore = 1 };
	struct abac_env env;
	u32 gen;

	if (o->attrs) {
		obj.a = *o->attrs;
	} else if (!o->lab || o->lab->state != ABAC_LABEL_OWN ||
		   abac_label_resolve_obj(&img, &o->lab->pairs, &obj)) {
		d->effect = ABAC_DENY;
		d->reason = ABAC_REASON_BAD_LABEL;
		d->outcome = ABAC_OUT_INDET;
		d->layer = 0;
		d->rule = ABAC_RULE_NONE;
		atomic64_inc(&abac_stats.bad_labels);
		return;
	}
	/* the clock and the environment only for images that read them */
	if (hdr->flags & ABAC_HDR_F_ENV) {
		gen = abac_env_fill(c->pol, &env);
		rq.e = &env;
		if (er) {
			er->read = true;
			er->generation = gen;
			er->minute = env.minute;
			er->wday = env.wday;
		}
	}
	abac_decide(&img, op, &rq, d);
}

/* Put the object's name in @e: its path, its entry's name or its address. */
static void abac_event_name(struct abac_event *e, const struct abac_obj *o)
{
	char *p;

	if (o->path && (READ_ONCE(o->path->dentry->d_flags) &
			DCACHE_DISCONNECTED)) {
		/* no path leads to it: d_path() would say "/" */
		e->path[0] = '\0';
	} else if (o->path) {
		p = d_path(o->path, e->path, sizeof(e->path));
		if (IS_ERR(p))
			e->path[0] = '\0';
		else
			memmove(e->path, p, strlen(p) + 1);
	} else if (o->dentry) {
		/* an inode hook knows the entry's name, not a path */
		snprintf(e->path, sizeof(e->path), "%pd", o->dentry);
	} else if (o->net) {
		/* a network object: its address and port */
		abac_net_addr_text(o->net, e->path, sizeof(e->path));
	}
}

/* What the decision read, for the analyst: the label's origin, the env. */
static void abac_event_explain(struct abac_event *e, const struct abac_obj *o,
			       const struct abac_env_read *er)
{
	const struct abac_label *lab = o->lab;

	if (lab && !o->attrs) {
		e->label_ino = lab->ino;
		e->label_dev = lab->dev;
	}
	e->label_from = abac_label_origin(!!o->attrs, !!lab,
					  lab && lab->state == ABAC_LABEL_OWN,
					  lab && lab->ino == e->ino &&
					  lab->dev == e->dev);
	e->env_wday = ABAC_ENV_UNREAD;
	if (er && er->read) {
		e->env_wday = er->wday;
		e->env_minute = er->minute;
		e->env_generation = er->generation;
	}
}

/*
 * Report one refusal, audited refusal (@audit: let through) or sampled
 * allow: the ring, and for a refusal the audit log.
 */
static void abac_report(const struct abac_ctx *c, const struct abac_obj *o,
			u32 op, const struct abac_decision *d, bool audit,
			const struct abac_env_read *er)
{
	struct abac_event *e;

	e = kzalloc(sizeof(*e), GFP_ATOMIC | __GFP_NOWARN);
	if (!e) {
		atomic64_inc(&abac_stats.events_lost);
		return;
	}
	abac_event_fill(e, c, o->inode);
	if (!o->inode) {
		e->ino = o->ino;
		e->dev = o->dev;
	}
	e->rule = d->rule;
	e->op = op;
	e->allowed = audit;
	e->effect = d->effect;
	e->reason = d->reason;
	e->errno_val = audit ? 0 : EACCES;
	abac_event_explain(e, o, er);
	abac_event_name(e, o);
	abac_fold_report(e);
	if (d->effect != ABAC_ALLOW)
		abac_audit_decision(c, o, e, d);
	kfree(e);
}

/* Decide, where relabel is allowed only by a rule, never by the default. */
static void abac_decide_relabel(const struct abac_ctx *c,
				const struct abac_obj *o, u32 op,
				struct abac_decision *d,
				struct abac_env_read *er)
{
	abac_decide_obj(c, o, op, d, er);
	if (op == ABAC_OP_RELABEL && d->effect == ABAC_ALLOW &&
	    d->reason != ABAC_REASON_RULE)
		d->effect = ABAC_DENY;
}

/*
 * The decision on @o for @op, reused from the object's cache (its inode,
 * or for a network object the caller's task) when one is kept there for
 * the same subject, label, label epoch, image and operation; else decided
 * and kept.  One that read the environment is never kept.  Relabel is
 * allowed only by a rule: the default effect never allows it.  A file's
 * read or write allowed is kept as the inode's last decision too, under
 * the same key (abac_avc_last_store()), for abac_check_last().
 *
 * Return: true when the decision came from the cache.
 */
static __always_inline bool
abac_decide_cached(const struct abac_ctx *c, const struct abac_obj *o, u32 op,
		   struct abac_decision *d, struct abac_env_read *er)
{
	const struct abac_image_hdr *hdr = abac_loaded_hdr(c->pol);
	bool cache, hit, net = !o->lab;
	struct abac_avc_key k = {
		.subj = c->tagged_id,
		.id = net ? o->attrs_id : o->lab->id,
		.epoch = o->epoch,
		.seq = c->pol->seq,
		.op = op,
	};

	cache = !o->nocache && !(hdr->flags & ABAC_HDR_F_ENV) &&
		(net || o->inode);
	if (!cache) {
		abac_decide_relabel(c, o, op, d, er);
		return false;
	}
	hit = net ? abac_avc_task_find(&k, d) :
		    abac_avc_inode_find(o->inode, &k, d);
	if (!hit) {
		abac_decide_relabel(c, o, op, d, er);
		if (net)
			abac_avc_task_store(&k, d);
		else
			abac_avc_inode_store(o->inode, &k, d);
	}
	/* a file's read or write allowed: the next is answered inline */
	if (!net && op <= ABAC_OP_WRITE && d->effect == ABAC_ALLOW)
		abac_avc_last_store(o->inode, &k, d->rule);
	return hit;
}

/* abac_check()'s body, inline in abac_check_dentry(): the hot path. */
static __always_inline int __abac_check(const struct abac_ctx *c,
					const struct abac_obj *o, u32 op)
{
	bool audit = abac_loaded_hdr(c->pol)->mode == ABAC_MODE_AUDIT;
	struct abac_decision d = {};
	struct abac_env_read er = {};

	if (abac_decide_cached(c, o, op, &d, &er))
		atomic64_inc(&abac_stats.cached);
	atomic64_inc(&abac_stats.decisions);
	if (d.rule < c->pol->nhits)	/* ABAC_RULE_NONE is not */
		atomic64_inc(&c->pol->hits[d.rule]);
	if (d.effect == ABAC_ALLOW) {
		if (abac_allow_sampled())
			abac_report(c, o, op, &d, true, &er);
		return 0;
	}
	atomic64_inc(audit ? &abac_stats.audited : &abac_stats.denied);
	abac_report(c, o, op, &d, audit, &er);
	return audit ? 0 : -EACCES;
}

/**
 * abac_check() - decide @op for the caller on an object, and report a
 * refusal.
 * @c: the caller (abac_ctx_get()).
 * @o: the object.
 * @op: enum abac_op.
 *
 * The decision is abac_decide_cached()'s: reused from the object's cache
 * when it holds one for the same subject, label, label epoch, image and
 * operation; one that read the environment is never cached.  Relabel is
 * allowed only by a rule: the default effect never allows it.
 *
 * Return: 0 to allow; -EACCES; in audit mode a refusal is reported and 0
 * returned.
 */
int abac_check(const struct abac_ctx *c, const struct abac_obj *o, u32 op)
{
	return __abac_check(c, o, op);
}

/*
 * abac_check_dentry() when the inode's last decision did not answer: @o
 * holds the inode, the label epoch, the label found then, the path and
 * the name.
 */
static noinline int abac_check_dentry_slow(struct abac_ctx *c,
					   struct abac_obj *o,
					   struct dentry *dentry,
					   unsigned int flags, u32 op)
{
	o->attrs = NULL;
	o->attrs_id = 0;
	o->net = NULL;
	o->nocache = false;
	o->ino = 0;
	o->dev = 0;
	if (o->lab == ABAC_LABEL_UNKNOWN && !(flags & ABAC_F_NOSLEEP)) {
		/* leave the RCU section to read it, then decide anew */
		abac_ctx_put(c);
		abac_label_prime(dentry);
		if (!abac_ctx_get(c))
			return 0;	/* untagged under the image now */
		o->epoch = abac_label_epoch();
		o->lab = abac_label_applies(dentry, flags & ABAC_F_OWN);
	}
	if (o->lab == ABAC_LABEL_UNKNOWN) {
		/* could not be read here: fail closed, cache nothing */
		o->lab = &abac_label_bad;
		o->nocache = true;
	}
	return o->lab ? __abac_check(c, o, op) : 0;
}

/**
 * abac_check_dentry() - decide @op on the inode of @dentry, with its own
 * label or the one it inherits.
 * @c: the caller, from abac_ctx_get(): to read a label the decision may
 *	leave the RCU section and enter it again, under the image in force
 *	then (@c->pol NULL: untagged now, nothing decided).
 * @dentry: the object's dentry (a negative one is not decided).
 * @path: its path for the event, or NULL.
 * @name: the entry to name in the event when there is no @path (for a
 *	directory, the entry being made or removed in it).
 * @flags: ABAC_F_OWN to count the inode's own label, ABAC_F_NOSLEEP in
 *	atomic context, where a label not read yet fails closed.
 * @op: enum abac_op.
 *
 * A read or write that the inode's last decision allows under the same
 * key is answered inline (abac_avc_last_allows()); anything else is
 * decided by abac_check_dentry_slow().
 *
 * Return: 0 to allow (also for an object that no label applies to);
 * -EACCES.
 */
int abac_check_dentry(struct abac_ctx *c, struct dentry *dentry,
		      const struct path *path, struct dentry *name,
		      unsigned int flags, u32 op)
{
	/* every field set before use: no zeroing of the whole on each call */
	struct abac_obj o __uninitialized;

	o.inode = d_inode(dentry);
	if (!c->pol || !o.inode)
		return 0;
	o.epoch = abac_label_epoch();
	o.lab = flags & ABAC_F_OWN ? abac_label_applies_inline(dentry) :
				     abac_label_applies(dentry, false);
	if (abac_check_last(c->pol, c->tagged_id, o.inode, o.lab, o.epoch, op))
		return 0;
	o.path = path;
	o.dentry = name;
	return abac_check_dentry_slow(c, &o, dentry, flags, op);
}

/**
 * abac_check_entry() - decide @op on the entry @dentry itself (delete,
 * link, relabel, a write of its metadata): its own label, else the one it
 * inherits.  The event names the entry.
 * @c: the caller.
 * @dentry: the entry.
 * @op: enum abac_op.
 *
 * Return: 0 to allow; -EACCES.
 */
int abac_check_entry(struct abac_ctx *c, struct dentry *dentry, u32 op)
{
	return abac_check_dentry(c, dentry, NULL, dentry, ABAC_F_OWN, op);
}

/**
 * abac_allowed() - would @op be allowed to the caller on @o?  The
 * decision is cached as abac_check()'s (the exec of an exec-only program
 * asks for read at every exec), but neither counted nor reported.
 * @c: the caller.
 * @o: the object.
 * @op: enum abac_op.
 *
 * Return: true when the decision allows.
 */
bool abac_allowed(const struct abac_ctx *c, const struct abac_obj *o, u32 op)
{
	struct abac_decision d = {};

	abac_decide_cached(c, o, op, &d, NULL);
	return d.effect == ABAC_ALLOW;
}

/**
 * abac_rule_allows() - does a rule explicitly allow @op to the caller on
 * an object without attributes?  The default effect never does: a policy
 * that allows by default still grants no "administer".
 * @c: the caller.
 * @op: enum abac_op.
 *
 * Return: true when a rule allows it.
 */
bool abac_rule_allows(const struct abac_ctx *c, u32 op)
{
	static const struct abac_attrs none;
	struct abac_obj o = { .attrs = &none, .nocache = true };
	struct abac_decision d;

	abac_decide_obj(c, &o, op, &d, NULL);
	return d.effect == ABAC_ALLOW && d.reason == ABAC_REASON_RULE;
}
