// SPDX-License-Identifier: GPL-2.0-only
/*
 * Capabilities a tagged task does not have, root included and in every
 * user namespace: those of ABAC_CAPS_WITHHELD (abac_abi.h), each the key
 * to a way out of containment (Documentation/threat-model.rst says which
 * operation each one protects), and no new user namespace, in which a
 * task would hold every capability again, each unless the policy grants
 * it to the task's subject (struct abac_subj_key.caps), or grants it
 * "setup" and the task is in set-up (guard_tasks.c).  The same set and
 * the same events as the BPF guard's (bpf/guard_caps.h).
 *
 * The capable hook runs for every capability check in the kernel: it
 * tests the capability against the withheld set (a bit test) before it
 * looks for the caller's subject.  The kernel asks for current in every
 * case abac cares for (its own cred, or a file's or another task's cred
 * it checks on current's behalf), so the subject is current's.  A check
 * the kernel only probes (CAP_OPT_NOAUDIT) is refused without an event.
 */
#include "abac.h"

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/lsm_hooks.h>
#include <linux/security.h>

/* The name a withheld capability is refused under, in events. */
#define ABAC_CAP_NAME(number, name)	\
	[number] = name,

static const char *const abac_cap_names[ABAC_CAP_LAST + 1] = {
	ABAC_CAPS_WITHHELD_NAMES(ABAC_CAP_NAME)
};

#undef ABAC_CAP_NAME

/* the ABI's numbers are the kernel's */
static_assert(CAP_LAST_CAP == ABAC_CAP_LAST);
static_assert(CAP_SYS_ADMIN == ABAC_CAP_SYS_ADMIN);
static_assert(CAP_MAC_ADMIN == ABAC_CAP_MAC_ADMIN);
static_assert(CAP_BPF == ABAC_CAP_BPF);
static_assert(CAP_NET_RAW == ABAC_CAP_NET_RAW);

/* Is @cap one a tagged task does not hold? */
static bool abac_cap_withheld(int cap)
{
	return cap >= 0 && cap <= ABAC_CAP_LAST &&
	       (ABAC_CAPS_WITHHELD & ABAC_CAP_BIT(cap));
}

static int abac_capable(const struct cred *cred, struct user_namespace *ns,
			int cap, unsigned int opts)
{
	struct abac_ctx c;
	int err = -EPERM;

	if (!abac_cap_withheld(cap) || !abac_ctx_get(&c))
		return 0;
	if (abac_ctx_granted(&c, cap) || abac_guard_in_setup(&c))
		err = 0;	/* granted back by the policy */
	else if (!(opts & CAP_OPT_NOAUDIT))
		err = abac_guard_refuse(&c, ABAC_GUARD_CAPABILITY,
					ABAC_OP_ADMINISTER, NULL,
					"capability %s",
					abac_cap_names[cap] ?: "?");
	abac_ctx_put(&c);
	return err;
}

/*
 * No user namespace for a tagged task (unshare, clone with
 * CLONE_NEWUSER): the withheld capabilities are refused in every
 * namespace anyway; this keeps the rest, and the kernel code a user
 * namespace opens to unprivileged tasks, out of reach too.
 */
static int abac_userns_create(const struct cred *cred)
{
	struct abac_ctx c;
	int err;

	if (!abac_ctx_get(&c))
		return 0;
	if (abac_ctx_granted(&c, ABAC_CAP_USERNS) || abac_guard_in_setup(&c))
		err = 0;	/* granted back by the policy */
	else
		err = abac_guard_refuse(&c, ABAC_GUARD_USERNS,
					ABAC_OP_ADMINISTER, NULL,
					"user namespace");
	abac_ctx_put(&c);
	return err;
}

static struct security_hook_list abac_caps_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(capable, abac_capable),
	LSM_HOOK_INIT(userns_create, abac_userns_create),
};

/**
 * abac_add_caps_hooks() - register the hooks that withhold capabilities
 * and user namespaces from tagged tasks.
 */
void __init abac_add_caps_hooks(void)
{
	security_add_hooks(abac_caps_hooks, ARRAY_SIZE(abac_caps_hooks),
			   &abac_lsmid);
}
