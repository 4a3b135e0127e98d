// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac events [--follow]: the decisions abacd logged, then with --follow
 * the new ones as they happen.  abacd sends one frame per event line,
 * already formatted (text, or one JSON object with --json); a frame with
 * an empty body ends a listing.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "abac.h"
#include "ctl.h"

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

/**
 * do_events() - abac events [--follow]
 * @argc: argument count, "events" in argv[0].
 * @argv: the arguments.
 *
 * Return: 0 at the end of the listing, 1 when abacd cannot be reached or
 * goes away while following, 2 on misuse.
 */
int do_events(int argc, char **argv)
{
	static const struct option opts[] = {
		ABAC_COMMON_LONGOPTS,
		{ "follow", no_argument, NULL, 'f' },
		{ NULL }
	};
	const char *args[2] = { "events", "--follow" };
	const char *what;
	bool follow = false;
	int c, fd, ret;

	while ((c = verb_getopt(argc, argv, "f" ABAC_COMMON_SHORTOPTS,
				opts)) != -1) {
		if (c != 'f')
			return ABAC_EXIT_USAGE;
		follow = true;
	}
	if (argc != optind)
		return p_usage("events takes no arguments");
	/* a reader at the end of a pipe wants each event as it comes */
	setvbuf(stdout, NULL, _IOLBF, 0);
	what = follow ? "follow events" : "list events";
	fd = agent_connect(what);
	if (fd < 0)
		return ABAC_EXIT_FAIL;
	if (agent_send(fd, what, follow ? 2 : 1, args)) {
		close(fd);
		return ABAC_EXIT_FAIL;
	}
	ret = stream(fd, what, follow);
	close(fd);
	return ret;
}
