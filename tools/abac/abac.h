/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the files of the abac command-line tool share: the global options,
 * the object/verb table types, error and JSON output, the agent connection
 * and cgroup path helpers.
 *
 * Every verb handler takes the arguments after its object, the verb
 * itself in argv[0], and returns the process exit status: ABAC_EXIT_OK,
 * ABAC_EXIT_FAIL (refused or failed), ABAC_EXIT_USAGE, or, for the verbs
 * that answer a yes-or-no question about a policy (eval, diff, test),
 * ABAC_EXIT_ERROR when the question could not be answered at all.
 */
#ifndef _ABAC_CLI_H
#define _ABAC_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "json.h"

#define ABAC_VERSION		"0.1.0"

#define ABAC_EVENTS_LOG		"/var/log/abac/events.jsonl"	/* abacd's */

#define ABAC_EXIT_OK		0
#define ABAC_EXIT_FAIL		1
#define ABAC_EXIT_USAGE		2
#define ABAC_EXIT_ERROR		3	/* eval, diff, test: no answer */

/* Options every verb accepts besides the global position. */
#define ABAC_COMMON_SHORTOPTS	"jp"
#define ABAC_COMMON_LONGOPTS					\
	{ "json", no_argument, NULL, 'j' },			\
	{ "pretty", no_argument, NULL, 'p' }

/**
 * struct cmd - one verb of an object.
 * @name: the verb, matched by unique prefix.
 * @func: its handler; NULL for "help", which the dispatcher answers.
 * @args: its synopsis after "abac OBJECT VERB".
 * @help: one line saying what it does.
 * @detail: its options and notes, printed by "--help"; may be NULL.
 */
struct cmd {
	const char *name;
	int (*func)(int argc, char **argv);
	const char *args;
	const char *help;
	const char *detail;
};

/* global options (main.c) */
extern bool json_output;
extern bool pretty_output;
extern const char *ctl_path;
extern const char *cur_object;	/* for "Try 'abac OBJECT VERB --help'" */
extern const char *cur_verb;

/* output (common.c) */
struct abac_json *jw(void);
void p_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void p_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int p_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int p_usage_op(const char *word);
int p_opt_error(int c, char **argv);
void print_json_text(const char *s, size_t n);
struct abac_diags;
void p_diags_json(const struct abac_diags *d);
void p_diags_fail(const struct abac_diags *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void p_diags_warn(const struct abac_diags *d);
int verb_getopt(int argc, char **argv, const char *shortopts,
		const struct option *longopts);

/* talking to the agent (common.c) */

/**
 * struct agent_reply - one response frame from abacd.
 * @status: its status byte, enum abac_ctl_status.
 * @frame: the whole frame, malloc()ed.
 * @text: the text after the status byte, inside @frame.
 * @len: bytes of @text.
 */
struct agent_reply {
	int status;
	char *frame;
	const char *text;
	size_t len;
};

int agent_connect(const char *what);
int agent_send(int fd, const char *what, int argc,
	       const char *const *argv);
int agent_read(int fd, const char *what, struct agent_reply *r);
int agent_call(const char *what, int argc, const char *const *argv,
	       struct agent_reply *r);
int agent_print(const struct agent_reply *r);
void agent_reply_free(struct agent_reply *r);
int agent_simple(const char *what, int argc, const char *const *argv);

/* KEY=VALUE arguments and cgroups (common.c) */
int check_pair(const char *arg, char *why, size_t sz);
int side_option(const char *opt);
int take_pairs(int argc, char **argv, int *i, char *buf, size_t sz);
int cg2_mount(char *buf, size_t sz);
int cg_path(const char *arg, char *out, size_t sz);
int cg_resolve(const char *arg, char *abs, size_t sz);
const char *strerr(int err);
int file_label(const char *path, char *buf, size_t *len, char *from,
	       size_t fromsz);

/* the pinned kernel objects (common.c) */
struct abac_kern;
int kern_open_pins(struct abac_kern *k);

/* a policy to analyse, from files or from abacd (analyze.c) */

/**
 * struct loaded - one policy, parsed and compiled.
 * @name: how it was named (a file, or "the policy in force").
 * @policy: the policy.
 * @img: its image.
 * @len: bytes of @img.
 */
struct loaded {
	const char *name;
	struct abac_policy *policy;
	void *img;
	size_t len;
};

int load_policy(struct loaded *l, const char *const *files, int nfiles,
		const char *verb);
void loaded_free(struct loaded *l);

/* the host's cgroups and files a question's rows hold (live.c) */
struct abac_cubes;
struct abac_image;
void live_report(const struct abac_cubes *c, const struct abac_image *img,
		 bool cgroups, const char *under);

/* verb handlers, one file per object */
int do_policy_check(int argc, char **argv);
int do_policy_apply(int argc, char **argv);
int do_policy_show(int argc, char **argv);
int do_policy_source(int argc, char **argv);
int do_policy_compile(int argc, char **argv);
int do_policy_eval(int argc, char **argv);
int do_policy_who_can(int argc, char **argv);
int do_policy_what_can(int argc, char **argv);
int do_policy_diff(int argc, char **argv);
int do_policy_test(int argc, char **argv);
int do_policy_replay(int argc, char **argv);
int do_policy_suggest(int argc, char **argv);
int do_policy_draft(int argc, char **argv);
int do_env_set(int argc, char **argv);
int do_env_get(int argc, char **argv);
int do_label_set(int argc, char **argv);
int do_label_get(int argc, char **argv);
int do_label_rm(int argc, char **argv);
int do_subject_tag(int argc, char **argv);
int do_subject_untag(int argc, char **argv);
int do_subject_list(int argc, char **argv);
int do_subject_bind(int argc, char **argv);
int do_subject_unbind(int argc, char **argv);
int do_subject_bindings(int argc, char **argv);
int do_run(int argc, char **argv);
int do_kube_sync(int argc, char **argv);
int do_kube_watch(int argc, char **argv);
int do_events(int argc, char **argv);
int do_status(int argc, char **argv);

#endif /* _ABAC_CLI_H */
