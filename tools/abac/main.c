// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac: the command-line tool of abac.
 *
 *	abac [--json|-j] [--pretty|-p] [--socket PATH] OBJECT VERB [ARGS]
 *
 * This file holds the global options and the one table of objects and
 * verbs: dispatch, "--help" at every level and "abac help --list" (which
 * the bash completion must agree with) all read it, so a verb added here
 * is known everywhere at once.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abac.h"
#include "ctl.h"
#include "libabac.h"

bool json_output;
bool pretty_output;
const char *ctl_path = ABAC_CTL_PATH;
const char *cur_object;
const char *cur_verb;

/**
 * struct object - one object of the command line.
 * @name: the object, matched by unique prefix.
 * @verbs: its verbs, NULL-name terminated; NULL when the object is a
 *	command by itself (run, events, status).
 * @func: the handler of an object without verbs.
 * @args: the synopsis of an object without verbs.
 * @help: one line saying what it is for.
 * @detail: options and notes of an object without verbs.
 */
struct object {
	const char *name;
	const struct cmd *verbs;
	int (*func)(int argc, char **argv);
	const char *args;
	const char *help;
	const char *detail;
};

static const struct cmd policy_cmds[] = {
	{ "check", do_policy_check, "FILE...",
	  "compile locally, report errors",
	  "Errors go to stderr as FILE:LINE:COL: error: MESSAGE.  Needs\n"
	  "neither root nor abacd.  FILE - reads standard input.\n" },
	{ "apply", do_policy_apply, "FILE",
	  "check FILE, then put it in force", NULL },
	{ "show", do_policy_show, "[FILE]",
	  "decode the policy in force, or FILE",
	  "Without FILE abacd is asked; FILE is a YAML policy, compiled\n"
	  "here, or a compiled image.\n" },
	{ "source", do_policy_source, "",
	  "print the source of the policy in force", NULL },
	{ "compile", do_policy_compile, "POLICY... -o FILE",
	  "write the compiled image of POLICY (layers, top first) to FILE",
	  "  -o, --output FILE  where to write the image\n"
	  "abac policy show FILE decodes it.\n" },
	{ "eval", do_policy_eval,
	  "POLICY... --op OP --subject K=V... (--object K=V... | --path PATH | --addr IP:PORT) [--env K=V...] [--time ISO8601]",
	  "decide one request offline and say why",
	  "Prints the outcome (permit, deny, not-applicable, indeterminate),\n"
	  "what the kernel would enforce, every determining rule with its\n"
	  "sentence and, for a denial, which attribute would have to differ.\n"
	  "--time is YYYY-MM-DDTHH:MM[:SS] with Z, +HH:MM, -HH:MM, or nothing\n"
	  "(the policy's timezone); the default is now.  --path takes the\n"
	  "file's own label, else its nearest labelled directory's.\n"
	  "Exits 0 when allowed, 1 when denied, 3 when the request cannot\n"
	  "be evaluated.\n" },
	{ "who-can", do_policy_who_can,
	  "OP [POLICY...] [--object K=V... | --path FILE] [--env K=V...] [--exact] [--live] [--under DIR]",
	  "which subjects the policy lets do OP, as a table",
	  "Every class of requests is decided with the kernel's decision\n"
	  "core: the table is exact, not sampled.  Object attributes not\n"
	  "given are free (--exact: absent).  Without POLICY, the policy in\n"
	  "force (abacd).  --live adds the tagged cgroups of this host\n"
	  "(abacd's) the rows hold, --under DIR the labelled files under\n"
	  "DIR.  Exits 0, 3 when it cannot answer.\n" },
	{ "what-can", do_policy_what_can,
	  "[POLICY...] --subject K=V... [--op OP] [--env K=V...] [--exact] [--live] [--under DIR]",
	  "which objects and operations the policy allows a subject",
	  "Subject attributes not given are free (--exact: absent).\n" },
	{ "diff", do_policy_diff, "OLD NEW",
	  "every request two policies decide differently, in words",
	  "Exits 0 when the two decide every request alike, 1 when they\n"
	  "differ, 3 when they cannot be compared.\n" },
	{ "test", do_policy_test, "[--fail-uncovered] FILE...",
	  "run policy unit tests: requests and the decisions they expect",
	  "FILE lists tests (op, subject, object or addr, env, time,\n"
	  "expect, rule) for the policy it names (policy:, default\n"
	  "X.yaml beside X.test.yaml).  Prints each failure and the rules\n"
	  "no test reaches.  Exits 0 when all pass, 1 when one fails (or,\n"
	  "with --fail-uncovered, a rule is not covered), 3 when a file\n"
	  "cannot be run.\n" },
	{ "replay", do_policy_replay,
	  "CANDIDATE... [--events LOG] [--limit N]",
	  "recorded decisions a candidate policy would decide differently",
	  "LOG is abacd's event log (default /var/log/abac/events.jsonl,\n"
	  "- for standard input).  Exits 0 when every recorded decision is\n"
	  "decided alike, 1 when some differ, 3 when it cannot read.\n" },
	{ "suggest", do_policy_suggest, "[POLICY...] [--events LOG]",
	  "allow rules that would have permitted the recorded denials",
	  "The fewest rules over attributes (never paths or pids) that\n"
	  "cover exactly the denials seen, each with a sentence, marked for\n"
	  "review.  Without POLICY, the policy in force.\n" },
	{ "draft", do_policy_draft, "\"SENTENCE\" [POLICY...] [--id ID]",
	  "a controlled-English sentence as a YAML rule",
	  "Uses the policy's own attribute names, values and aliases and\n"
	  "says how it read each word; a word it cannot place refuses the\n"
	  "sentence (exit 1).  Grammar: Documentation/policy-analysis.rst.\n" },
	{ "help", NULL, "", "print this help", NULL },
	{ NULL }
};

static const struct cmd label_cmds[] = {
	{ "set", do_label_set, "[--follow] PATH KEY=VALUE[,VALUE...]...",
	  "label a file (xattr user.abac)",
	  "The pairs are checked against the policy in force when there is\n"
	  "one.  A label holds at most 256 bytes.  A PATH that is a symbolic\n"
	  "link is refused unless --follow is given (-L).\n" },
	{ "get", do_label_get, "[--follow] PATH...",
	  "print the labels of files", NULL },
	{ "rm", do_label_rm, "[--follow] PATH...", "remove the labels of files",
	  NULL },
	{ "help", NULL, "", "print this help", NULL },
	{ NULL }
};

static const struct cmd subject_cmds[] = {
	{ "tag", do_subject_tag, "CGROUP KEY=VALUE...",
	  "give a cgroup subject attributes",
	  "CGROUP is a cgroup v2 directory, absolute or relative to the\n"
	  "cgroup2 mount.\n" },
	{ "untag", do_subject_untag, "CGROUP", "remove a cgroup's attributes",
	  NULL },
	{ "list", do_subject_list, "", "list the tagged cgroups", NULL },
	{ "bind", do_subject_bind, "[--owner NAME] CGROUP KEY=VALUE...",
	  "give a cgroup to come subject attributes from its first instruction",
	  "CGROUP need not exist: the kernel matches it by its parent and its\n"
	  "name the moment it is made (when its parent exists), then abacd\n"
	  "tags it.  --owner names who bound it (default operator).\n" },
	{ "unbind", do_subject_unbind, "[--owner NAME] CGROUP",
	  "remove a binding made with bind", NULL },
	{ "bindings", do_subject_bindings, "",
	  "list the bound cgroups: the policy's and those bound at run time",
	  NULL },
	{ "help", NULL, "", "print this help", NULL },
	{ NULL }
};

static const struct cmd env_cmds[] = {
	{ "set", do_env_set, "[KEY=VALUE...]",
	  "set the environment attributes the kernel decides with",
	  "The pairs are checked against the policy in force; none clears\n"
	  "them.  A new policy keeps them when they still fit it.\n" },
	{ "get", do_env_get, "", "print the environment attributes", NULL },
	{ "help", NULL, "", "print this help", NULL },
	{ NULL }
};

static const struct cmd kube_cmds[] = {
	{ "sync", do_kube_sync,
	  "--pods FILE [--node NAME] [--cgroup-driver D] [--cgroup-root DIR]",
	  "tag this node's pods by their abac.io/ labels, once",
	  "  -f, --pods FILE  a pod list: kubectl get pods -o json, kubelet /pods\n"
	  "  -n, --node NAME  only pods with this spec.nodeName (default: host name)\n"
	  "  -d, --cgroup-driver cgroupfs|systemd  the kubelet's (default: the\n"
	  "                   one whose kubepods cgroup exists)\n"
	  "  -r, --cgroup-root DIR  where the kubepods cgroup is (default: the\n"
	  "                   cgroup2 mount)\n"
	  "  -j, --json       one JSON object a line (event: tagged, untagged,\n"
	  "                   waiting, pass)\n"
	  "Labels and annotations abac.io/NAME: VALUE become NAME=VALUE on the\n"
	  "pod's cgroup; abacd checks them against the policy in force.  Pod\n"
	  "cgroups whose pod is gone, or has no abac.io/ keys, are untagged.\n"
	  "Exits 1 when a pod could not be tagged, or nothing could be done.\n" },
	{ "watch", do_kube_watch,
	  "--pods FILE [--interval S] [--node NAME] [--cgroup-driver D] [--cgroup-root DIR]",
	  "sync, then again whenever the pod file or the pod cgroups change",
	  "  -i, --interval S  also every S seconds (default 30)\n"
	  "and the options of sync.  Runs until killed.\n" },
	{ "help", NULL, "", "print this help", NULL },
	{ NULL }
};

static int do_help(int argc, char **argv);

static const struct object objects[] = {
	{ "policy", policy_cmds, NULL, NULL,
	  "check, apply and show policies", NULL },
	{ "label", label_cmds, NULL, NULL,
	  "set, get and remove object labels on files", NULL },
	{ "subject", subject_cmds, NULL, NULL,
	  "tag cgroups with subject attributes", NULL },
	{ "kube", kube_cmds, NULL, NULL,
	  "tag Kubernetes pods by their abac.io/ labels", NULL },
	{ "env", env_cmds, NULL, NULL,
	  "set the operator's environment attributes (threat, ...)", NULL },
	{ "run", NULL, do_run,
	  "[--name NAME] [--keep] KEY=VALUE... -- COMMAND [ARG...]",
	  "run a command as a tagged subject, in a cgroup of its own",
	  "  -n, --name NAME  the cgroup <cgroup2>/abac/NAME (default run-PID)\n"
	  "  -k, --keep       keep the cgroup and its tags afterwards\n"
	  "Exits with COMMAND's status, 128+N when signal N killed it.\n" },
	{ "events", NULL, do_events,
	  "[--follow] [--log FILE] [--since T] [--rule ID] [--op OP] [--comm C] [--path P] [--subject K=V...]",
	  "print the decision events abacd logged",
	  "  -f, --follow     keep printing new events until interrupted\n"
	  "      --log FILE   read FILE (default " ABAC_EVENTS_LOG ")\n"
	  "      --since T    from time T (UTC) or a span back: 30m, 2h, 1d\n"
	  "      --rule ID, --op OP, --comm NAME   only those events\n"
	  "      --path P     a glob (* ? [) or a part of the path\n"
	  "      --subject K=V...  subjects whose tags hold every pair\n"
	  "With a filter, or when abacd is down, the log is read directly.\n"
	  "With --json each event is one JSON object on a line of its own.\n" },
	{ "status", NULL, do_status, "[--wait [SECONDS] | --rules]",
	  "report abacd, the programs and the policy in force",
	  "  -w, --wait [SECONDS]  wait up to SECONDS (default 90) for abacd to\n"
	  "                   be ready: programs attached, policy in force\n"
	  "  -r, --rules      the decisions each rule of the policy in force\n"
	  "                   took since it came in, read from the kernel\n"
	  "Exits 1 when abacd is not running (or not ready in time), after\n"
	  "reporting the pins.\n" },
	{ "help", NULL, do_help, "[OBJECT | --list]",
	  "print help; --list prints every \"object verb\"", NULL },
	{ NULL }
};

static const char global_opts[] =
	"Options:\n"
	"  -j, --json       JSON output; errors too are JSON, on stdout\n"
	"  -p, --pretty     indented JSON (implies --json)\n"
	"      --socket PATH  abacd's control socket (default "
	ABAC_CTL_PATH ")\n"
	"  -h, --help       print help (after any object or verb too)\n"
	"  -V, --version    print the version\n";

static void usage_main(FILE *f)
{
	const struct object *o;

	fprintf(f, "Usage: abac [OPTIONS] OBJECT VERB [ARGS]\n\nObjects:\n");
	for (o = objects; o->name; o++)
		fprintf(f, "  %-9s %s\n", o->name, o->help);
	fprintf(f, "\n%s\nSee abac OBJECT help, and abac(8).\n", global_opts);
}

#define HELP_COLS	80
#define HELP_GUTTER	31	/* where a verb's one-line help starts */

/*
 * Print the words of @text from column @col on (after a space when @sep),
 * starting a new line indented by @indent wherever the next word would
 * pass HELP_COLS (a word longer than a line stays whole).  Return: the
 * column reached.
 */
static int put_wrapped(FILE *f, const char *text, int col, int indent,
		       bool sep)
{
	const char *w = text;
	int n;

	for (;; sep = true) {
		while (*w == ' ')
			w++;
		if (!*w)
			return col;
		n = strchrnul(w, ' ') - w;
		if (sep && col > indent && col + 1 + n > HELP_COLS) {
			col = fprintf(f, "\n%*s", indent, "") - 1;
		} else if (sep) {
			fputc(' ', f);
			col++;
		}
		col += fprintf(f, "%.*s", n, w);
		w += n;
	}
}

/* "Usage: abac [OPTIONS] WORDS ARGS", wrapped within HELP_COLS. */
static void put_usage(FILE *f, const char *words, const char *args)
{
	int col = fprintf(f, "Usage: abac [OPTIONS] %s", words);

	put_wrapped(f, args, col, 4, true);
	fputc('\n', f);
}

static void usage_object(FILE *f, const struct object *o)
{
	const struct cmd *c;

	if (!o->verbs) {
		put_usage(f, o->name, o->args);
		fprintf(f, "\n%c%s.\n", o->help[0] - 'a' + 'A', o->help + 1);
		if (o->detail)
			fprintf(f, "\n%s", o->detail);
		if (o->func == do_help)
			fprintf(f, "\nSee abac(8).\n");
		else
			fprintf(f, "\nSee abac-%s(8).\n", o->name);
		return;
	}
	fprintf(f, "Usage: abac [OPTIONS] %s VERB [ARGS]\n\nVerbs:\n", o->name);
	for (c = o->verbs; c->name; c++) {
		/* the synopsis whole, wrapped; the help in the gutter */
		int col = fprintf(f, "  %s", c->name);

		col = put_wrapped(f, c->args, col, 6, true);
		/* a synopsis that wrapped or reaches the gutter: help below */
		if (2 + strlen(c->name) + 1 + strlen(c->args) > HELP_GUTTER - 3) {
			fputc('\n', f);
			col = 0;
		}
		fprintf(f, "%*s", HELP_GUTTER - col, "");
		put_wrapped(f, c->help, HELP_GUTTER, HELP_GUTTER, false);
		fputc('\n', f);
	}
	fprintf(f, "\nSee abac %s VERB --help, and abac-%s(8).\n", o->name,
		o->name);
}

static void usage_verb(FILE *f, const struct object *o, const struct cmd *c)
{
	char words[64];

	snprintf(words, sizeof(words), "%s %s", o->name, c->name);
	put_usage(f, words, c->args);
	fprintf(f, "\n%c%s.\n", c->help[0] - 'a' + 'A', c->help + 1);
	if (c->detail)
		fprintf(f, "\n%s", c->detail);
	fprintf(f, "\nSee abac-%s(8).\n", o->name);
}

/* Print every "object verb" (or "object"), one a line, in table order. */
static void list_commands(void)
{
	const struct object *o;
	const struct cmd *c;

	for (o = objects; o->name; o++) {
		if (!o->verbs) {
			printf("%s\n", o->name);
			continue;
		}
		for (c = o->verbs; c->name; c++)
			printf("%s %s\n", o->name, c->name);
	}
}

/*
 * The entry of @name in a table of @stride-byte entries whose first
 * member is the name: an exact match, else the only one @name is a
 * prefix of.  *@ambiguous tells a prefix of several from no match.
 */
static const void *lookup(const void *table, size_t stride, const char *name,
			  bool *ambiguous)
{
	const char *p, *found = NULL;
	size_t n = strlen(name);

	*ambiguous = false;
	for (p = table; *(const char *const *)p; p += stride) {
		const char *entry = *(const char *const *)p;

		if (!strcmp(entry, name))
			return p;
		if (n && !strncmp(entry, name, n)) {
			if (found)
				*ambiguous = true;
			found = p;
		}
	}
	return *ambiguous ? NULL : found;
}

static const struct object *find_object(const char *name, bool *ambiguous)
{
	return lookup(objects, sizeof(objects[0]), name, ambiguous);
}

/*
 * What to offer for @name that matched no entry of a table, or several:
 * the entries it begins when ambiguous, else the one within edit
 * distance 2, else every entry.
 */
static const char *candidates(const void *table, size_t stride,
			      const char *name, bool ambiguous, char *buf,
			      size_t sz)
{
	const char *names[32] = { NULL }, *near = NULL, *p;
	size_t n = 0, o, len = strlen(name), i;
	bool first = true;

	for (p = table; *(const char *const *)p && n < 32; p += stride)
		names[n++] = *(const char *const *)p;
	if (!ambiguous)
		near = abac_suggest(name, names, n);
	if (near) {
		snprintf(buf, sz, ": did you mean '%s'?", near);
		return buf;
	}
	o = snprintf(buf, sz, "%s", ambiguous ? ": it could be " :
		     ": known ones are ");
	for (i = 0; i < n && o < sz; i++) {
		if (ambiguous && strncmp(names[i], name, len))
			continue;
		o += snprintf(buf + o, sz - o, "%s%s", first ? "" : ", ",
			      names[i]);
		first = false;
	}
	return buf;
}

/* Is "--help" or "-h" among the arguments, before any "--"? */
static bool wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return false;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	}
	return false;
}

static int dispatch_verb(const struct object *o, int argc, char **argv)
{
	const struct cmd *c;
	char cand[512];
	bool ambiguous;

	if (argc < 1) {
		usage_object(stderr, o);
		return ABAC_EXIT_USAGE;
	}
	if (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
		usage_object(stdout, o);
		return ABAC_EXIT_OK;
	}
	cur_object = o->name;
	c = lookup(o->verbs, sizeof(o->verbs[0]), argv[0], &ambiguous);
	if (!c)
		return p_usage("%s verb '%s' for %s%s",
			       ambiguous ? "ambiguous" : "unknown", argv[0],
			       o->name,
			       candidates(o->verbs, sizeof(o->verbs[0]),
					  argv[0], ambiguous, cand,
					  sizeof(cand)));
	if (!c->func) {
		usage_object(stdout, o);
		return ABAC_EXIT_OK;
	}
	cur_verb = c->name;
	if (wants_help(argc, argv)) {
		usage_verb(stdout, o, c);
		return ABAC_EXIT_OK;
	}
	return c->func(argc, argv);
}

/* "unknown object 'x': known ones are ...", ambiguous the same way. */
static int bad_object(const char *name, bool ambiguous)
{
	char cand[512];

	return p_usage("%s object '%s'%s", ambiguous ? "ambiguous" : "unknown",
		       name, candidates(objects, sizeof(objects[0]), name,
					ambiguous, cand, sizeof(cand)));
}

static int dispatch(int argc, char **argv)
{
	const struct object *o;
	bool ambiguous;

	o = find_object(argv[0], &ambiguous);
	if (!o)
		return bad_object(argv[0], ambiguous);
	cur_object = o->name;
	if (o->verbs)
		return dispatch_verb(o, argc - 1, argv + 1);
	if (o->func != do_help && wants_help(argc, argv)) {
		usage_object(stdout, o);
		return ABAC_EXIT_OK;
	}
	return o->func(argc, argv);
}

static int do_help(int argc, char **argv)
{
	const struct object *o;
	bool ambiguous;

	if (argc < 2) {
		usage_main(stdout);
		return ABAC_EXIT_OK;
	}
	if (!strcmp(argv[1], "--list")) {
		list_commands();
		return ABAC_EXIT_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage_object(stdout, find_object("help", &ambiguous));
		return ABAC_EXIT_OK;
	}
	o = find_object(argv[1], &ambiguous);
	if (!o)
		return bad_object(argv[1], ambiguous);
	if (o->func == do_help)
		usage_main(stdout);
	else
		usage_object(stdout, o);
	return ABAC_EXIT_OK;
}

static int print_version(void)
{
	if (json_output) {
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "version", ABAC_VERSION);
		abac_json_obj_end(jw());
	} else {
		printf("abac %s\n", ABAC_VERSION);
	}
	return ABAC_EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		ABAC_COMMON_LONGOPTS,
		{ "socket", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL }
	};
	bool version = false;
	int c;

	/* "+": stop at OBJECT, so that "abac run ... -- cmd -j" reaches cmd. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:" ABAC_COMMON_SHORTOPTS "hV",
				opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json_output = true;
			break;
		case 'p':
			json_output = pretty_output = true;
			break;
		case 'S':
			ctl_path = optarg;
			break;
		case 'h':
			usage_main(stdout);
			return ABAC_EXIT_OK;
		case 'V':
			version = true;
			break;
		default:
			return p_opt_error(c, argv);
		}
	}
	if (version)
		return print_version();
	if (optind >= argc) {
		usage_main(stderr);
		return ABAC_EXIT_USAGE;
	}
	return dispatch(argc - optind, argv + optind);
}
