/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Capabilities a tagged subject does not have, root included and in every
 * user namespace: those of ABAC_CAPS_WITHHELD (lsm/abac_abi.h), each the
 * key to a way out of containment (Documentation/threat-model.rst says
 * which operation each one protects), and the creation of user
 * namespaces, in which a process would hold every capability again.
 *
 * The capable hook runs for every capability check in the kernel, so it
 * first tests the capability against the withheld set (a bit test, no
 * map) and only then looks for the caller's subject.  A check the kernel
 * makes without auditing (CAP_OPT_NOAUDIT: it probes, e.g. whether a
 * /proc field may be shown) is refused without an event.
 *
 * Included once, by guard.bpf.c.
 */
#ifndef _ABAC_BPF_GUARD_CAPS_H
#define _ABAC_BPF_GUARD_CAPS_H

#define CAP_OPT_NOAUDIT		0x2	/* BIT(1), include/linux/security.h */

/* The name a withheld capability is refused under, in events. */
static __always_inline const char *cap_name(int cap)
{
#define CAP_CASE(number, name)	case number: return name;
	switch (cap) {
	ABAC_CAPS_WITHHELD_NAMES(CAP_CASE)
	case ABAC_CAP_USERNS:
		return "userns";
	}
#undef CAP_CASE
	return "?";
}

/* Is @cap one a tagged subject does not hold? */
static __always_inline bool cap_withheld(int cap)
{
	return cap >= 0 && cap <= ABAC_CAP_LAST &&
	       (ABAC_CAPS_WITHHELD & ABAC_CAP_BIT(cap));
}

/*
 * guard_capable() - a withheld capability is refused to a tagged caller,
 * unless the policy grants it to the caller's subject (its capabilities:
 * section, compiled into the subject's key record), or to a process in
 * set-up whose subject holds "setup" (guard_setup.h).  The kernel asks it
 * for current in every case abac cares for (its own cred, or a file's or
 * another task's cred it checks on current's behalf), so the subject is
 * current's.
 */
SEC("lsm/capable")
int BPF_PROG(guard_capable, const struct cred *cred, struct user_namespace *ns,
	     int cap, unsigned int opts, int ret)
{
	struct guard_ctx g;

	if (ret || !cap_withheld(cap) || !guard_tagged(&g))
		return ret;
	if ((g.sc.caps & ABAC_CAP_GRANT_BIT(cap)) || guard_in_setup(&g))
		return 0;
	if (opts & CAP_OPT_NOAUDIT)
		return -EPERM;
	return refuse_text(&g, ABAC_GUARD_CAPABILITY, ABAC_OP_ADMINISTER, NULL,
			   "capability %s", cap_name(cap));
}

/*
 * guard_userns_create() - no user namespace for a tagged subject: unshare
 * and clone with CLONE_NEWUSER, unless the policy grants "userns" (or
 * "setup", to a process in set-up).  The
 * withheld capabilities are refused in every namespace anyway; this keeps
 * the rest (and the kernel code a user namespace opens to unprivileged
 * processes) out of reach too.
 */
SEC("lsm.s/userns_create")
int BPF_PROG(guard_userns_create, const struct cred *cred, int ret)
{
	struct guard_ctx g;

	if (ret || !guard_tagged(&g) ||
	    (g.sc.caps & ABAC_CAP_GRANT_BIT(ABAC_CAP_USERNS)) ||
	    guard_in_setup(&g))
		return ret;
	return refuse_text(&g, ABAC_GUARD_USERNS, ABAC_OP_ADMINISTER, NULL,
			   "user namespace");
}

#endif /* _ABAC_BPF_GUARD_CAPS_H */
