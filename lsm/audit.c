// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: denials through the audit subsystem, so that auditd,
 * ausearch and whatever reads the audit log see them beside SELinux's,
 * AppArmor's and IPE's.  One record per refusal, of type
 * ABAC_AUDIT_ACCESS (1430, beside IPE's 1420; not an upstream number),
 * and one AUDIT_MAC_POLICY_LOAD record per image accepted or refused.
 * Without auditd the kernel prints them ("audit: type=1430 ..."); the
 * audit subsystem counts what its backlog loses (auditctl -s: "lost").
 *
 * A decision record names the operation, the outcome and why, the rule
 * (its id and the sentence it came from), the image (name, generation,
 * content hash, mode), the task, its cgroup and subject attributes, and
 * the object (path or entry name, device, inode, the label that applied,
 * or the network address).  Values that come from outside the kernel
 * (names, sentences, paths, labels) are written as audit writes untrusted
 * strings: quoted, or in hex when they hold a quote or a control byte.
 */
#include "abac.h"

#include <linux/audit.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/kernfs.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "abac_image_check.h"

#define ABAC_AUDIT_GFP	(GFP_ATOMIC | __GFP_NOWARN)

/* " key=value" for a value from outside the kernel. */
static void abac_audit_str(struct audit_buffer *ab, const char *key,
			   const char *s)
{
	audit_log_format(ab, " %s=", key);
	audit_log_untrustedstring(ab, s ? s : "?");
}

/* String @off of the image @pol, or NULL. */
static const char *abac_audit_image_str(const struct abac_loaded *pol,
					u32 off)
{
	return abac_check_table_str(pol->img, abac_loaded_hdr(pol), off);
}

/* The image: policy name, generation, content hash, mode. */
static void abac_audit_image(struct audit_buffer *ab,
			     const struct abac_loaded *pol)
{
	const struct abac_image_hdr *hdr = abac_loaded_hdr(pol);

	abac_audit_str(ab, "policy", abac_audit_image_str(pol, hdr->name_str));
	audit_log_format(ab, " generation=%u hash=%016llx mode=%s",
			 hdr->generation, (unsigned long long)hdr->content_hash,
			 hdr->mode == ABAC_MODE_AUDIT ? "audit" : "enforce");
}

/* The rule: its id and its sentence, or "rule=?" when none decided. */
static void abac_audit_rule(struct audit_buffer *ab,
			    const struct abac_loaded *pol, u32 idx)
{
	const struct abac_image_hdr *hdr = abac_loaded_hdr(pol);
	const struct abac_rule *r;
	const char *id;

	if (idx >= hdr->nrules) {
		audit_log_format(ab, " rule=? sentence=?");
		return;
	}
	r = (const void *)(pol->img +
			   ((size_t)hdr->rules_off + idx) * ABAC_REC_SIZE);
	id = abac_audit_image_str(pol, r->str);
	abac_audit_str(ab, "rule", id);
	abac_audit_str(ab, "sentence",
		       id ? abac_audit_image_str(pol, r->str + strlen(id) + 1) :
			    NULL);
}

/* The subject attributes, "name=0xMASK,...": the image keeps no values. */
static void abac_audit_subject(struct audit_buffer *ab,
			       const struct abac_ctx *c, char *buf,
			       size_t size)
{
	const struct abac_image_hdr *hdr = abac_loaded_hdr(c->pol);
	struct abac_image img = abac_loaded_image(c->pol);
	const struct abac_attr_meta *m;
	const char *name;
	size_t used = 0;
	u32 i;

	buf[0] = '\0';
	for (i = 0; i < hdr->n_sattrs && i < ABAC_MAX_ATTRS; i++) {
		m = abac_rec(&img, hdr->meta_off + i);
		name = m ? abac_audit_image_str(c->pol, m->name_str) : NULL;
		if (!name || !c->attrs->v[i] || used >= size)
			continue;
		used += scnprintf(buf + used, size - used, "%s%s=0x%llx",
				  used ? "," : "", name,
				  (unsigned long long)c->attrs->v[i]);
	}
	abac_audit_str(ab, "subject", buf[0] ? buf : "-");
}

/* The task: pid, uid, comm, its cgroup and the tagged one. */
static void abac_audit_task(struct audit_buffer *ab, const struct abac_event *e,
			    char *buf, size_t size)
{
	struct cgroup *cg;
	int n;

	audit_log_format(ab, " pid=%u uid=%u", e->pid, e->uid);
	abac_audit_str(ab, "comm", e->comm);
	rcu_read_lock();
	cg = task_dfl_cgroup(current);
	n = kernfs_path(cg->kn, buf, size);
	rcu_read_unlock();
	abac_audit_str(ab, "cgroup", n >= 0 ? buf : "?");
	audit_log_format(ab, " cgroup_id=%llu subject_cgroup_id=%llu",
			 (unsigned long long)e->cgroup_id,
			 (unsigned long long)e->subj_cgroup_id);
}

/* The object: its name, inode and label, or its network address. */
static void abac_audit_object(struct audit_buffer *ab,
			      const struct abac_obj *o,
			      const struct abac_event *e)
{
	char addr[64];

	if (o->net) {
		abac_net_addr_text(o->net, addr, sizeof(addr));
		abac_audit_str(ab, "addr", addr);
	}
	if (e->path[0])
		abac_audit_str(ab, "path", e->path);
	if (o->inode) {
		abac_audit_str(ab, "dev", o->inode->i_sb->s_id);
		audit_log_format(ab, " ino=%lu", o->inode->i_ino);
	}
	if (!o->lab)
		return;
	if (o->lab->len)
		abac_audit_str(ab, "label", o->lab->text);
	else
		audit_log_format(ab, " label=%s",
				 o->lab->state == ABAC_LABEL_BAD ? "?" : "-");
	if (o->lab->xattr)
		audit_log_format(ab, " label_xattr=%s",
				 o->lab->xattr == 1 ? ABAC_NATIVE_XATTR :
						      ABAC_LABEL_XATTR);
}

/**
 * abac_audit_decision() - an audit record for one refusal.
 * @c: the caller.
 * @o: the object.
 * @e: the event record of the refusal.
 * @d: the decision.
 */
void abac_audit_decision(const struct abac_ctx *c, const struct abac_obj *o,
			 const struct abac_event *e,
			 const struct abac_decision *d)
{
	struct audit_buffer *ab;
	char *buf;

	ab = audit_log_start(audit_context(), ABAC_AUDIT_GFP,
			     ABAC_AUDIT_ACCESS);
	if (!ab)
		return;
	buf = kmalloc(PATH_MAX, ABAC_AUDIT_GFP);
	audit_log_format(ab, "op=%s decision=%s reason=%s outcome=%s",
			 abac_op_name(e->op), e->allowed ? "audit" : "deny",
			 abac_reason_name(d->reason),
			 abac_outcome_name(d->outcome));
	abac_audit_rule(ab, c->pol, d->rule);
	abac_audit_image(ab, c->pol);
	if (buf) {
		abac_audit_task(ab, e, buf, PATH_MAX);
		abac_audit_subject(ab, c, buf, PATH_MAX);
	}
	abac_audit_object(ab, o, e);
	audit_log_end(ab);
	kfree(buf);
}

/**
 * abac_audit_guard() - an audit record for one tamper attempt refused.
 * @c: the caller.
 * @e: the event record of the refusal (its path says what was tried).
 */
void abac_audit_guard(const struct abac_ctx *c, const struct abac_event *e)
{
	struct audit_buffer *ab;
	char *buf;

	ab = audit_log_start(audit_context(), ABAC_AUDIT_GFP,
			     ABAC_AUDIT_ACCESS);
	if (!ab)
		return;
	buf = kmalloc(PATH_MAX, ABAC_AUDIT_GFP);
	audit_log_format(ab, "op=%s decision=deny reason=guard guard=%s",
			 abac_op_name(e->op), abac_guard_name(e->guard));
	abac_audit_str(ab, "what", e->path);
	abac_audit_image(ab, c->pol);
	if (buf)
		abac_audit_task(ab, e, buf, PATH_MAX);
	audit_log_end(ab);
	kfree(buf);
}

/**
 * abac_audit_policy() - an AUDIT_MAC_POLICY_LOAD record for an image
 * put in force or refused.
 * @pol: the image now in force, or NULL when it was refused.
 * @err: 0, or why it was refused (negative errno).
 * @why: the refusal in words, or NULL.
 */
void abac_audit_policy(const struct abac_loaded *pol, int err,
		       const char *why)
{
	const struct abac_image_hdr *hdr;
	struct audit_buffer *ab;

	ab = audit_log_start(audit_context(), GFP_KERNEL,
			     AUDIT_MAC_POLICY_LOAD);
	if (!ab)
		return;
	audit_log_format(ab, "lsm=abac res=%d", !err);
	if (pol) {
		hdr = abac_loaded_hdr(pol);
		abac_audit_image(ab, pol);
		audit_log_format(ab, " rules=%u load_seq=%llu", hdr->nrules,
				 (unsigned long long)pol->seq);
	} else {
		audit_log_format(ab, " errno=%d", -err);
		abac_audit_str(ab, "reason", why);
	}
	audit_log_format(ab, " pid=%d uid=%u auid=%u ses=%u",
			 task_tgid_nr(current),
			 from_kuid(&init_user_ns, current_uid()),
			 from_kuid(&init_user_ns, audit_get_loginuid(current)),
			 audit_get_sessionid(current));
	audit_log_end(ab);
}
