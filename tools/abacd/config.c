// SPDX-License-Identifier: GPL-2.0-only
/*
 * The policy file a service names (abacd --policy FILE, the unit's
 * /etc/abac/policy.yaml): put in force at start and again on SIGHUP
 * (systemctl reload abacd).  The file is then the policy's source of
 * truth; "abac policy apply" still works between reloads.  A file that
 * does not parse or does not fit the tagged cgroups is refused with its
 * errors, and the policy in force stays: a bad edit never lifts
 * enforcement.  A missing file changes nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "abacd.h"

/**
 * config_apply() - put the --policy file in force when it differs from
 *	the policy in force.
 * @d: the agent, its policy restored.
 *
 * Return: 0 when the file is in force (or there is none), else a
 * negative errno, reported; the policy in force then stays.
 */
int config_apply(struct abacd *d)
{
	struct abac_diags diags;
	__u32 unenforced = 0;
	size_t len;
	char *yaml;
	int err;

	if (!d->policy_path)
		return 0;
	err = abac_read_file(d->policy_path, &yaml, &len);
	if (err == -ENOENT) {
		say("no policy file %s: the policy in force stays",
		    d->policy_path);
		return 0;
	}
	if (err) {
		say("failed to read policy file %s: %s", d->policy_path,
		    strerror(-err));
		return err;
	}
	if (d->source && d->source_len == len &&
	    !memcmp(d->source, yaml, len)) {
		free(yaml);
		return 0;	/* in force already: no new generation */
	}
	abac_diags_init(&diags);
	err = engine_apply(d, d->policy_path, yaml, len, false, &unenforced,
			   &diags);
	say_diags(&diags);
	abac_diags_free(&diags);
	free(yaml);
	if (err)
		say("refused policy file %s: the policy in force stays",
		    d->policy_path);
	else
		say("policy file %s in force, generation %u", d->policy_path,
		    d->generation);
	return err;
}
