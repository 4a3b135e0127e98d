// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac events [--follow] [filters]: the decisions abacd logged, then with
 * --follow the new ones as they happen.  abacd sends one frame per event
 * line, already formatted (text, or one JSON object with --json); a frame
 * with an empty body ends a listing.  With a filter, --log, or abacd
 * down, the log file is read here instead: the events are on disk
 * whether or not abacd runs.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "abac.h"
#include "ctl.h"
#include "libabac.h"

static void print_event(const struct agent_reply *r)
{
	if (json_output) {
		print_json_text(r->text, r->len);
		return;
	}
	fwrite(r->text, 1, r->len, stdout);
	if (r->text[r->len - 1] != '\n')
		putchar('\n');
}

/* Print frames until the end of the listing; return the exit status. */
static int stream(int fd, const char *what, bool follow)
{
	struct agent_reply r;
	int err, ret;

	for (;;) {
		err = agent_read(fd, what, &r);
		if (err == -EPIPE && !follow)
			return ABAC_EXIT_OK;	/* hung up after the last */
		if (err == -EPIPE) {
			p_err("Failed to %s: abacd closed the connection",
			      what);
			return ABAC_EXIT_FAIL;
		}
		if (err)
			return ABAC_EXIT_FAIL;
		if (r.status != ABAC_CTL_OK) {
			ret = agent_print(&r);
			agent_reply_free(&r);
			return ret;
		}
		if (!r.len) {
			agent_reply_free(&r);
			return ABAC_EXIT_OK;
		}
		print_event(&r);
		agent_reply_free(&r);
	}
}

/* ---- the log itself, read without abacd ------------------------------- */

/**
 * struct ev_filter - which logged events to print.
 * @since: print events at or after this time (0: all).
 * @rule: the deciding rule's id, or NULL.
 * @op: the operation, or NULL.
 * @comm: the task's name, or NULL.
 * @path: a glob (with * ? [) or a substring of the path, or NULL.
 * @subject: "k=v" pairs the subject's tags must all hold.
 * @nsubject: entries in @subject.
 */
struct ev_filter {
	time_t since;
	const char *rule, *op, *comm, *path;
	const char *subject[16];
	int nsubject;
};

/* Does "k=v1,v2" in @tags hold value @want of key @key? */
static bool tags_hold(const char *tags, const char *pair)
{
	const char *eq = strchr(pair, '=');
	size_t klen = eq ? (size_t)(eq - pair) : strlen(pair);
	const char *p = tags, *v, *end;

	while (p && *p) {
		while (*p == ' ')
			p++;
		end = p + strcspn(p, " ");
		if (!strncmp(p, pair, klen) && p[klen] == '=') {
			if (!eq)
				return true;
			for (v = p + klen + 1; v < end; v += strcspn(v, ",") + 1) {
				size_t n = strcspn(v, ", ");

				if (n == strlen(eq + 1) && !strncmp(v, eq + 1, n))
					return true;
				if (v[n] != ',')
					break;
			}
		}
		p = *end ? end + 1 : NULL;
	}
	return false;
}

static bool ev_wanted(const struct ev_filter *f, const struct abac_evrec *r)
{
	time_t t;
	int i;

	if (f->since && (abac_evrec_time(r, &t) || t < f->since))
		return false;
	if ((f->rule && strcmp(f->rule, r->rule)) ||
	    (f->op && strcmp(f->op, r->op)) ||
	    (f->comm && strcmp(f->comm, r->comm)))
		return false;
	if (f->path && (strpbrk(f->path, "*?[") ?
			fnmatch(f->path, r->path, 0) : !strstr(r->path, f->path)))
		return false;
	for (i = 0; i < f->nsubject; i++)
		if (!tags_hold(r->subject_tags, f->subject[i]))
			return false;
	return true;
}

/* The plain form of a logged event (the form abacd sends). */
static void print_plain_rec(const struct abac_evrec *r)
{
	const char *dash = "-";

	if (!strcmp(r->decision, "lost")) {
		printf("%s LOST events (ring buffer full)\n", r->time);
		return;
	}
	if (!strcmp(r->decision, "tagged")) {
		printf("%s TAGGED cgroup=%s tags=%s by=%s\n", r->time,
		       *r->cgroup ? r->cgroup : dash,
		       *r->subject_tags ? r->subject_tags : dash,
		       *r->reason ? r->reason : dash);
		return;
	}
	printf("%s %s %s %s pid=%s uid=%s comm=%s cgroup=%s", r->time,
	       !strcmp(r->decision, "audit") ? "AUDIT" :
	       !strcmp(r->decision, "allow") ? "ALLOW" : "DENY",
	       *r->op ? r->op : dash, *r->path ? r->path : dash,
	       *r->pid ? r->pid : dash, *r->uid ? r->uid : dash,
	       *r->comm ? r->comm : dash, *r->cgroup ? r->cgroup : dash);
	if (!strcmp(r->reason, "guard"))
		printf(" rule=- reason=guard guard=%s", *r->guard ? r->guard : dash);
	else if (*r->reason && strcmp(r->reason, "rule"))
		printf(" rule=- reason=%s", r->reason);
	else
		printf(" rule=%s", *r->rule ? r->rule : dash);
	if (*r->event_id)
		printf(" id=%s", r->event_id);
	putchar('\n');
}

/* Print the wanted lines of @f from where it is; false at a read error. */
static bool print_log_lines(FILE *f, const struct ev_filter *flt,
			    char **line, size_t *cap, unsigned long *bad)
{
	struct abac_evrec *r = calloc(1, sizeof(*r));
	ssize_t n;

	if (!r)
		return false;
	while ((n = getline(line, cap, f)) > 0) {
		if ((*line)[n - 1] != '\n') {	/* a line still being written */
			fseeko(f, -n, SEEK_CUR);
			break;
		}
		if (abac_evrec_parse(*line, n, r)) {
			(*bad)++;
			continue;
		}
		if (!ev_wanted(flt, r))
			continue;
		if (json_output)
			print_json_text(*line, n);
		else
			print_plain_rec(r);
	}
	clearerr(f);
	free(r);
	return true;
}

/* abac events over the log file itself; --follow polls it for more. */
static int events_from_log(const char *path, const struct ev_filter *flt,
			   bool follow)
{
	unsigned long bad = 0;
	size_t cap = 0;
	char *line = NULL;
	FILE *f = fopen(path, "r");

	if (!f) {
		p_err("Failed to list events: cannot read %s: %s", path,
		      strerr(-errno));
		return ABAC_EXIT_FAIL;
	}
	do {
		print_log_lines(f, flt, &line, &cap, &bad);
		fflush(stdout);
		if (follow)
			usleep(200 * 1000);
	} while (follow);
	if (bad)
		p_warn("%lu line%s of %s are not events", bad,
		       bad == 1 ? "" : "s", path);
	free(line);
	fclose(f);
	return ABAC_EXIT_OK;
}

/* "2026-03-02T10:00", or a span back from now: "90s", "30m", "2h", "1d". */
static int parse_since(const char *s, time_t *t)
{
	char *end;
	long n = strtol(s, &end, 10);
	static const char units[] = "smhd";
	static const long secs[] = { 1, 60, 3600, 86400 };
	const char *u;

	if (end != s && n >= 0 && end[0] && !end[1] &&
	    (u = strchr(units, end[0]))) {
		*t = time(NULL) - n * secs[u - units];
		return 0;
	}
	return abac_parse_time(s, "UTC", t);
}

/* The filter options; 0, or the usage status. */
static int parse_filter(int c, struct ev_filter *f, const char **log,
			int argc, char **argv)
{
	switch (c) {
	case 's':
		if (parse_since(optarg, &f->since))
			return p_usage("--since '%s': a time (YYYY-MM-DDTHH:MM[:SS], UTC) or a span back (30m, 2h, 1d)",
				       optarg);
		return 0;
	case 'r':
		f->rule = optarg;
		return 0;
	case 'o':
		f->op = optarg;
		return abac_op_from_name(optarg) < 0 ?
		       p_usage_op(optarg) : 0;
	case 'c':
		f->comm = optarg;
		return 0;
	case 'P':
		f->path = optarg;
		return 0;
	case 'L':
		*log = optarg;
		return 0;
	case 'S':	/* K=V, and the K=V words after it */
		if (argv[optind - 1] == optarg)
			optind--;	/* read it with the others below */
		else
			f->subject[f->nsubject++] = optarg;
		while (optind < argc && argv[optind][0] != '-') {
			if (f->nsubject == 16 || !strchr(argv[optind], '='))
				return p_usage("--subject takes up to 16 KEY=VALUE pairs");
			f->subject[f->nsubject++] = argv[optind++];
		}
		return 0;
	}
	return ABAC_EXIT_USAGE;
}

/**
 * do_events() - abac events [--follow] [--log FILE] [filters]
 * @argc: argument count, "events" in argv[0].
 * @argv: the arguments.
 *
 * Return: 0 at the end of the listing, 1 when neither abacd nor the log
 * can be read or abacd goes away while following, 2 on misuse.
 */
int do_events(int argc, char **argv)
{
	static const struct option opts[] = {
		ABAC_COMMON_LONGOPTS,
		{ "follow", no_argument, NULL, 'f' },
		{ "since", required_argument, NULL, 's' },
		{ "rule", required_argument, NULL, 'r' },
		{ "op", required_argument, NULL, 'o' },
		{ "comm", required_argument, NULL, 'c' },
		{ "path", required_argument, NULL, 'P' },
		{ "subject", required_argument, NULL, 'S' },
		{ "log", required_argument, NULL, 'L' },
		{ NULL }
	};
	const char *args[2] = { "events", "--follow" }, *log = NULL;
	struct ev_filter flt = { 0 };
	const char *what;
	bool follow = false, filtered;
	int c, fd, ret;

	while ((c = verb_getopt(argc, argv, "f" ABAC_COMMON_SHORTOPTS,
				opts)) != -1) {
		if (c == 'f')
			follow = true;
		else if ((ret = parse_filter(c, &flt, &log, argc, argv)))
			return ret;
	}
	if (argc != optind)
		return p_usage("events takes no arguments (--subject K=V...)");
	/* a reader at the end of a pipe wants each event as it comes */
	setvbuf(stdout, NULL, _IOLBF, 0);
	filtered = flt.since || flt.rule || flt.op || flt.comm || flt.path ||
		   flt.nsubject;
	if (log || filtered)
		return events_from_log(log ? log : ABAC_EVENTS_LOG, &flt, follow);
	what = follow ? "follow events" : "list events";
	fd = abac_ctl_connect(ctl_path);
	if (fd < 0)	/* abacd is down: the log is still there */
		return events_from_log(ABAC_EVENTS_LOG, &flt, follow);
	if (agent_send(fd, what, follow ? 2 : 1, args)) {
		close(fd);
		return ABAC_EXIT_FAIL;
	}
	ret = stream(fd, what, follow);
	close(fd);
	return ret;
}
