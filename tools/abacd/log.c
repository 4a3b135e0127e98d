// SPDX-License-Identifier: GPL-2.0-only
/*
 * abacd's messages on stderr, and libbpf's as abacd's own.
 *
 * Errors read "failed to <verb> <object>: <why>"; debug() lines appear
 * only with -v.  Each message is formatted whole and written with one
 * call, so that lines of a busy agent never interleave.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "kern.h"
#include "libabac.h"
#include "log.h"

static bool log_verbose;

static void vsay(const char *fmt, va_list ap)
{
	char msg[4096];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "abacd: %s\n", msg);	/* one write: one line */
}

/**
 * say() - print one message on stderr, "abacd: " first.
 * @fmt: printf format; errors read "failed to <verb> <object>: <why>".
 */
void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

/**
 * debug() - print one message on stderr when -v was given.
 * @fmt: printf format.
 */
void debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

/**
 * fail() - report a failure of the kernel side, with abac_kern_hint().
 * @what: "<verb> <object>".
 * @err: the negative errno.
 */
void fail(const char *what, int err)
{
	const char *hint = abac_kern_hint(err);

	say("failed to %s: %s%s%s%s", what, strerror(-err),
	    *hint ? " (" : "", hint, *hint ? ")" : "");
}

/**
 * say_diags() - print diagnostics, "FILE[:LINE[:COL]]: error: MSG", one
 *	a line.
 * @diags: the diagnostics.
 */
void say_diags(const struct abac_diags *diags)
{
	const struct abac_diag *g;
	char where[64];
	size_t i;

	for (i = 0; i < diags->n; i++) {
		g = &diags->v[i];
		where[0] = '\0';
		if (g->line && g->column)
			snprintf(where, sizeof(where), ":%u:%u", g->line,
				 g->column);
		else if (g->line)
			snprintf(where, sizeof(where), ":%u", g->line);
		say("%s%s: %s: %s", g->file, where,
		    g->warning ? "warning" : "error", g->msg);
	}
}

/* libbpf's messages, as abacd's own; its debug chatter only with -v. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	char *msg = NULL;
	size_t n;

	if (level == LIBBPF_DEBUG && !log_verbose)
		return 0;
	/* whole: a verifier log is many kilobytes and its end says why */
	if (vasprintf(&msg, fmt, ap) < 0)
		return 0;
	n = strlen(msg);
	if (n && msg[n - 1] == '\n')
		msg[n - 1] = '\0';
	/* most of libbpf's messages name it already */
	fprintf(stderr, "abacd: %s%s\n",
		strncmp(msg, "libbpf: ", 8) ? "libbpf: " : "", msg);
	free(msg);
	return 0;
}

/**
 * log_init() - set the verbosity, and route libbpf's messages here.
 * @verbose: -v: print debug() lines and libbpf's debug messages.
 */
void log_init(bool verbose)
{
	log_verbose = verbose;
	libbpf_set_print(libbpf_print);
}
