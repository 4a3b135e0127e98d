// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac env set | get: the operator-set environment attributes (threat,
 * incident_acme, ...) the kernel decides with.  abacd keeps them, resolved
 * against the policy in force, in the programs' environment map.
 */
#include <stdio.h>

#include "abac.h"
#include "ctl.h"

/**
 * do_env_set() - abac env set [KEY=VALUE...]
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments; none clears the environment.
 *
 * Return: abacd's status, 1 when it cannot be asked, 2 on misuse.
 */
int do_env_set(int argc, char **argv)
{
	static const struct option opts[] = { ABAC_COMMON_LONGOPTS, { NULL } };
	const char *args[ABAC_CTL_ARGS_MAX];
	char why[512];
	int i, n = 0;

	if (verb_getopt(argc, argv, ABAC_COMMON_SHORTOPTS, opts) == '?')
		return ABAC_EXIT_USAGE;
	if (argc - optind > ABAC_CTL_ARGS_MAX - 3)
		return p_usage("too many KEY=VALUE pairs");
	args[n++] = "env-set";
	for (i = optind; i < argc; i++) {
		if (check_pair(argv[i], why, sizeof(why)))
			return p_usage("%s", why);
		args[n++] = argv[i];
	}
	return agent_simple("set the environment", n, args);
}

/**
 * do_env_get() - abac env get
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Return: abacd's status, 1 when it cannot be asked, 2 on misuse.
 */
int do_env_get(int argc, char **argv)
{
	static const struct option opts[] = { ABAC_COMMON_LONGOPTS, { NULL } };
	static const char *const args[] = { "env-get" };

	if (verb_getopt(argc, argv, ABAC_COMMON_SHORTOPTS, opts) == '?')
		return ABAC_EXIT_USAGE;
	if (argc != optind)
		return p_usage("get takes no arguments");
	return agent_simple("get the environment", 1, args);
}
