// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac subject tag | untag | list | bind | unbind | bindings: subject
 * attributes belong to cgroups,
 * and abacd keeps them (it rebuilds the image in force with each change),
 * so these verbs check their arguments and ask abacd.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "abac.h"
#include "ctl.h"

/* Resolve the cgroup argument, or say why it names no cgroup. */
static int resolve_or_fail(const char *what, const char *arg, char *abs,
			   size_t sz)
{
	int err = cg_resolve(arg, abs, sz);

	if (err == -ENOENT)
		p_err("Failed to %s: no cgroup %s (create it with mkdir under the cgroup2 mount)",
		      what, arg);
	else if (err == -ENOTDIR)
		p_err("Failed to %s: %s is not a cgroup v2 directory", what,
		      arg);
	else if (err)
		p_err("Failed to %s: %s: %s", what, arg, strerr(err));
	return err;
}

/**
 * do_subject_tag() - abac subject tag CGROUP KEY=VALUE...
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Return: abacd's status, 1 when it cannot be asked, 2 on misuse.
 */
int do_subject_tag(int argc, char **argv)
{
	static const struct option opts[] = { ABAC_COMMON_LONGOPTS, { NULL } };
	const char *args[ABAC_CTL_ARGS_MAX];
	char abs[PATH_MAX], why[512];
	int i, n = 0;

	if (verb_getopt(argc, argv, ABAC_COMMON_SHORTOPTS, opts) == '?')
		return ABAC_EXIT_USAGE;
	if (argc - optind < 2)
		return p_usage("tag takes a cgroup and at least one KEY=VALUE");
	if (argc - optind > ABAC_CTL_ARGS_MAX - 3)
		return p_usage("too many KEY=VALUE pairs");
	for (i = optind + 1; i < argc; i++) {
		if (check_pair(argv[i], why, sizeof(why)))
			return p_usage("%s", why);
	}
	if (resolve_or_fail("tag subject", argv[optind], abs, sizeof(abs)))
		return ABAC_EXIT_FAIL;
	args[n++] = "subject-tag";
	args[n++] = abs;
	for (i = optind + 1; i < argc; i++)
		args[n++] = argv[i];
	return agent_simple("tag subject", n, args);
}

/**
 * do_subject_untag() - abac subject untag CGROUP
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Return: abacd's status, 1 when it cannot be asked, 2 on misuse.
 */
int do_subject_untag(int argc, char **argv)
{
	static const struct option opts[] = { ABAC_COMMON_LONGOPTS, { NULL } };
	const char *args[2] = { "subject-untag" };
	char abs[PATH_MAX];

	if (verb_getopt(argc, argv, ABAC_COMMON_SHORTOPTS, opts) == '?')
		return ABAC_EXIT_USAGE;
	if (argc - optind != 1)
		return p_usage("untag takes one cgroup");
	/*
	 * A cgroup removed while tagged leaves a tag that abacd may still
	 * hold: ask for its path as written rather than refuse.
	 */
	if (cg_resolve(argv[optind], abs, sizeof(abs)) == -ENOENT) {
		if (cg_path(argv[optind], abs, sizeof(abs)))
			return p_usage("cgroup path too long");
	} else if (resolve_or_fail("untag subject", argv[optind], abs,
				   sizeof(abs))) {
		return ABAC_EXIT_FAIL;
	}
	args[1] = abs;
	return agent_simple("untag subject", 2, args);
}

/**
 * do_subject_list() - abac subject list
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Return: abacd's status, 1 when it cannot be asked, 2 on misuse.
 */
int do_subject_list(int argc, char **argv)
{
	static const struct option opts[] = { ABAC_COMMON_LONGOPTS, { NULL } };
	static const char *const args[] = { "subject-list" };

	if (verb_getopt(argc, argv, ABAC_COMMON_SHORTOPTS, opts) == '?')
		return ABAC_EXIT_USAGE;
	if (argc != optind)
		return p_usage("list takes no arguments");
	return agent_simple("list subjects", 1, args);
}

/* The cgroup path of one to come: absolute, under the cgroup2 mount. */
static int bind_path(const char *arg, char *abs, size_t sz)
{
	/* an existing one by its canonical path, as tag names it */
	if (!cg_resolve(arg, abs, sz))
		return 0;
	if (cg_path(arg, abs, sz)) {
		p_usage("cgroup path too long");
		return -ENAMETOOLONG;
	}
	return 0;
}

#define OWNER_OPT	{ "owner", required_argument, NULL, 'o' }

/**
 * do_subject_bind() - abac subject bind [--owner NAME] CGROUP KEY=VALUE...
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Return: abacd's status, 1 when it cannot be asked, 2 on misuse.
 */
int do_subject_bind(int argc, char **argv)
{
	static const struct option opts[] = { ABAC_COMMON_LONGOPTS, OWNER_OPT,
					      { NULL } };
	const char *args[ABAC_CTL_ARGS_MAX];
	char abs[PATH_MAX], why[512], owner[64] = "";
	int i, c, n = 0;

	while ((c = verb_getopt(argc, argv, "o:" ABAC_COMMON_SHORTOPTS,
				opts)) != -1) {
		if (c != 'o')
			return ABAC_EXIT_USAGE;
		if (snprintf(owner, sizeof(owner), "--owner=%s", optarg) >=
		    (int)sizeof(owner))
			return p_usage("--owner: too long");
	}
	if (argc - optind < 2)
		return p_usage("bind takes a cgroup and at least one KEY=VALUE");
	if (argc - optind > ABAC_CTL_ARGS_MAX - 4)
		return p_usage("too many KEY=VALUE pairs");
	for (i = optind + 1; i < argc; i++) {
		if (check_pair(argv[i], why, sizeof(why)))
			return p_usage("%s", why);
	}
	if (bind_path(argv[optind], abs, sizeof(abs)))
		return ABAC_EXIT_USAGE;
	args[n++] = "subject-bind";
	args[n++] = abs;
	for (i = optind + 1; i < argc; i++)
		args[n++] = argv[i];
	if (*owner)
		args[n++] = owner;
	return agent_simple("bind subject", n, args);
}

/**
 * do_subject_unbind() - abac subject unbind [--owner NAME] CGROUP
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Return: abacd's status, 1 when it cannot be asked, 2 on misuse.
 */
int do_subject_unbind(int argc, char **argv)
{
	static const struct option opts[] = { ABAC_COMMON_LONGOPTS, OWNER_OPT,
					      { NULL } };
	const char *args[3] = { "subject-unbind" };
	char abs[PATH_MAX], owner[64] = "";
	int c, n = 2;

	while ((c = verb_getopt(argc, argv, "o:" ABAC_COMMON_SHORTOPTS,
				opts)) != -1) {
		if (c != 'o')
			return ABAC_EXIT_USAGE;
		if (snprintf(owner, sizeof(owner), "--owner=%s", optarg) >=
		    (int)sizeof(owner))
			return p_usage("--owner: too long");
	}
	if (argc - optind != 1)
		return p_usage("unbind takes one cgroup");
	if (bind_path(argv[optind], abs, sizeof(abs)))
		return ABAC_EXIT_USAGE;
	args[1] = abs;
	if (*owner)
		args[n++] = owner;
	return agent_simple("unbind subject", n, args);
}

/**
 * do_subject_bindings() - abac subject bindings
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Return: abacd's status, 1 when it cannot be asked, 2 on misuse.
 */
int do_subject_bindings(int argc, char **argv)
{
	static const struct option opts[] = { ABAC_COMMON_LONGOPTS, { NULL } };
	static const char *const args[] = { "subject-bindings" };

	if (verb_getopt(argc, argv, ABAC_COMMON_SHORTOPTS, opts) == '?')
		return ABAC_EXIT_USAGE;
	if (argc != optind)
		return p_usage("bindings takes no arguments");
	return agent_simple("list bindings", 1, args);
}
