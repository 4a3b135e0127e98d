// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers every object of the abac CLI uses: error and JSON output, option
 * parsing, the conversation with abacd, KEY=VALUE arguments and cgroup
 * paths.
 *
 * Output rule: in JSON mode stdout carries exactly one JSON document per
 * command (events: one per line), errors included, so that a script can
 * always parse it; warnings and hints go to stderr in both modes.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <linux/magic.h>

#include "abac.h"
#include "ctl.h"
#include "kern.h"
#include "libabac.h"

/**
 * jw() - the JSON writer on stdout, set up on first use.
 *
 * Lazily, because "--json" and "--pretty" may still come after the verb.
 *
 * Return: the writer.
 */
struct abac_json *jw(void)
{
	static struct abac_json j;
	static bool ready;

	if (!ready) {
		abac_json_init(&j, stdout, pretty_output);
		ready = true;
	}
	return &j;
}

/*
 * A plain message is one line: a newline (or an escape sequence) in a file
 * name must not forge a second line on the terminal or in a log.
 */
static void one_line(char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
	}
}

static void vp_err(const char *fmt, va_list ap)
{
	char msg[4096];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (json_output) {
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "error", msg);
		abac_json_obj_end(jw());
		fflush(stdout);
	} else {
		one_line(msg);
		fflush(stdout);
		fprintf(stderr, "%s\n", msg);
	}
}

/**
 * p_err() - report an error: a line on stderr, or {"error": ...} on
 *	stdout in JSON mode.
 * @fmt: printf format of the message, "Failed to <verb> <object>: why".
 */
void p_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vp_err(fmt, ap);
	va_end(ap);
}

/**
 * p_warn() - print a warning on stderr, whatever the output mode.
 * @fmt: printf format of the message.
 */
void p_warn(const char *fmt, ...)
{
	char msg[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	one_line(msg);
	fflush(stdout);
	fprintf(stderr, "Warning: %s\n", msg);
}

/**
 * p_usage() - report a usage error and where to find help.
 * @fmt: printf format of what was wrong.
 *
 * Return: ABAC_EXIT_USAGE, for the caller to return.
 */
int p_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vp_err(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'abac%s%s%s%s --help'.\n",
		cur_object ? " " : "", cur_object ? cur_object : "",
		cur_verb ? " " : "", cur_verb ? cur_verb : "");
	return ABAC_EXIT_USAGE;
}

/**
 * p_usage_op() - report an operation name that names none.
 * @word: what was given.
 *
 * The nearest operation when one is close ("did you mean 'read'?"),
 * else every one.
 *
 * Return: ABAC_EXIT_USAGE.
 */
int p_usage_op(const char *word)
{
	const char *names[ABAC_OP_COUNT], *sug;
	char all[256];
	size_t o = 0;
	unsigned int i;

	for (i = 0; i < ABAC_OP_COUNT; i++) {
		names[i] = abac_op_name(i);
		o += snprintf(all + o, sizeof(all) - o, "%s%s", i ? ", " : "",
			      names[i]);
		if (o >= sizeof(all))
			o = sizeof(all) - 1;
	}
	sug = abac_suggest(word, names, ABAC_OP_COUNT);
	if (sug)
		return p_usage("unknown operation '%s' (did you mean '%s'?)",
			       word, sug);
	return p_usage("unknown operation '%s' (expected one of: %s)", word,
		       all);
}

/**
 * p_opt_error() - report an option getopt_long() refused.
 * @c: what getopt_long() returned: '?' or ':'.
 * @argv: the vector it parsed.
 *
 * Return: ABAC_EXIT_USAGE.
 */
int p_opt_error(int c, char **argv)
{
	char opt[64];

	const char *arg = argv[optind - 1];

	/* a long option is best named as written, without any "=value" */
	if (!strncmp(arg, "--", 2))
		snprintf(opt, sizeof(opt), "%.*s", (int)strcspn(arg, "="), arg);
	else
		snprintf(opt, sizeof(opt), "-%c", optopt);
	if (c == ':')
		return p_usage("option '%s' needs an argument", opt);
	return p_usage("unknown option '%s'", opt);
}

/**
 * verb_getopt() - getopt_long() over a verb's arguments, handling the
 *	options every verb takes (--json, --pretty).
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 * @shortopts: the verb's own short options, with ABAC_COMMON_SHORTOPTS;
 *	a leading "+" stops at the first operand.
 * @longopts: the verb's own long options, with ABAC_COMMON_LONGOPTS.
 *
 * The first call for a given @argv restarts getopt, since main() parsed
 * the global options with it already.
 *
 * Return: the next option of the verb's own, -1 after the last option
 * (optind then indexes the first operand), or '?' after a usage error
 * was printed.
 */
int verb_getopt(int argc, char **argv, const char *shortopts,
		const struct option *longopts)
{
	static char **started;
	char spec[32];
	int c;

	if (started != argv) {
		started = argv;
		optind = 0;
	}
	opterr = 0;
	/* ":" after any "+": tell a missing argument from an unknown option */
	snprintf(spec, sizeof(spec), "%s:%s", *shortopts == '+' ? "+" : "",
		 shortopts + (*shortopts == '+'));
	while ((c = getopt_long(argc, argv, spec, longopts, NULL)) != -1) {
		if (c == 'j') {
			json_output = true;
		} else if (c == 'p') {
			json_output = pretty_output = true;
		} else if (c == '?' || c == ':') {
			p_opt_error(c, argv);
			return '?';
		} else {
			return c;
		}
	}
	return -1;
}

static void indent(int depth)
{
	putchar('\n');
	while (depth-- > 0)
		fputs("  ", stdout);
}

/*
 * Re-indent compact JSON text that abacd or the library wrote.  Only the
 * structure characters outside strings matter, so no parser is needed.
 */
static void reindent(const char *s, size_t n)
{
	bool in_str = false, esc = false, empty;
	int depth = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (in_str) {
			putchar(c);
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
			continue;
		}
		switch (c) {
		case '"':
			in_str = true;
			putchar(c);
			break;
		case '{':
		case '[':
			putchar(c);
			empty = i + 1 < n &&
				(s[i + 1] == '}' || s[i + 1] == ']');
			if (!empty)
				indent(++depth);
			break;
		case '}':
		case ']':
			if (i && s[i - 1] != '{' && s[i - 1] != '[')
				indent(--depth);
			putchar(c);
			break;
		case ',':
			putchar(c);
			indent(depth);
			break;
		case ':':
			fputs(": ", stdout);
			break;
		case ' ':
		case '\t':
			break;
		case '\n':
			depth = 0;	/* JSON lines: each line stands alone */
			putchar(c);
			break;
		default:
			putchar(c);
		}
	}
}

/**
 * print_json_text() - print JSON text made elsewhere on stdout, indented
 *	in pretty mode, ending with a newline.
 * @s: the text.
 * @n: its length.
 */
void print_json_text(const char *s, size_t n)
{
	if (pretty_output)
		reindent(s, n);
	else
		fwrite(s, 1, n, stdout);
	if (!n || s[n - 1] != '\n')
		putchar('\n');
}

/**
 * p_diags_json() - "diagnostics": [...] as a member of the JSON object
 *	being written, in reading order, every entry (none is capped).
 * @d: the diagnostics.
 */
void p_diags_json(const struct abac_diags *d)
{
	size_t *order = abac_diags_order(d), i;
	const struct abac_diag *g;

	abac_json_key(jw(), "diagnostics");
	abac_json_arr_begin(jw());
	for (i = 0; i < d->n; i++) {
		g = &d->v[order ? order[i] : i];
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "file", g->file);
		abac_json_kv_u64(jw(), "line", g->line);
		abac_json_kv_u64(jw(), "column", g->column);
		abac_json_kv_str(jw(), "severity",
				 g->note ? "note" : g->warning ? "warning" :
				 "error");
		abac_json_kv_str(jw(), "message", g->msg);
		abac_json_obj_end(jw());
	}
	abac_json_arr_end(jw());
	free(order);
}

/**
 * p_diags_fail() - report a failure with its diagnostics: in JSON mode one
 *	{"error": MSG, "diagnostics": [...]} on stdout, else the diagnostics
 *	then MSG on stderr.
 * @d: the diagnostics (errors and warnings).
 * @fmt: printf format of the message, "Failed to <verb> <object>: why".
 */
void p_diags_fail(const struct abac_diags *d, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (json_output) {
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "error", msg);
		p_diags_json(d);
		abac_json_obj_end(jw());
		fflush(stdout);
		return;
	}
	one_line(msg);
	fflush(stdout);
	abac_diags_print(d, stderr);
	fprintf(stderr, "%s\n", msg);
}

/**
 * p_diags_warn() - print warnings on stderr (capped), in either mode.
 * @d: the diagnostics.
 */
void p_diags_warn(const struct abac_diags *d)
{
	fflush(stdout);
	abac_diags_print(d, stderr);
}

/**
 * file_label() - the label the kernel decides a file by: its own
 *	user.abac, else that of its nearest labelled ancestor directory on
 *	the same filesystem (Documentation/enforcement.rst, "Object
 *	attributes").
 * @path: the file.
 * @buf: receives the label, ABAC_LABEL_MAX + 1 bytes.
 * @len: receives its length.
 * @from: receives the path of the file or directory that carries it.
 * @fromsz: bytes in @from.
 *
 * Return: 0; -ENODATA when neither the file nor an ancestor on its
 * filesystem is labelled; -E2BIG for a label longer than ABAC_LABEL_MAX;
 * another negative errno when @path cannot be read.
 */
int file_label(const char *path, char *buf, size_t *len, char *from,
	       size_t fromsz)
{
	char cur[PATH_MAX], *slash;
	struct stat st, top;
	ssize_t n;
	int depth;

	if (stat(path, &top) || !realpath(path, cur))
		return -errno;
	for (depth = 0; depth <= 256; depth++) {
		if (stat(cur, &st))
			return -errno;
		if (st.st_dev != top.st_dev)
			break;	/* inheritance stops at the filesystem's root */
		n = getxattr(cur, ABAC_LABEL_XATTR, buf, ABAC_LABEL_MAX + 1);
		if (n > ABAC_LABEL_MAX)
			return -E2BIG;
		if (n >= 0) {
			*len = n;
			snprintf(from, fromsz, "%s", depth ? cur : path);
			return 0;
		}
		if (errno != ENODATA && errno != ENOTSUP)
			return -errno;
		if (!strcmp(cur, "/"))
			break;
		slash = strrchr(cur, '/');
		if (slash == cur)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	return -ENODATA;
}

/**
 * side_option() - the side of a request option.
 * @opt: "--subject"/"-s", "--object"/"-o", "--env"/"-e".
 *
 * Return: enum abac_side, or -1 for another option.
 */
int side_option(const char *opt)
{
	if (!strcmp(opt, "--subject") || !strcmp(opt, "-s"))
		return ABAC_SIDE_SUBJECT;
	if (!strcmp(opt, "--object") || !strcmp(opt, "-o"))
		return ABAC_SIDE_OBJECT;
	if (!strcmp(opt, "--env") || !strcmp(opt, "-e"))
		return ABAC_SIDE_ENV;
	return -1;
}

/**
 * take_pairs() - the K=V words after a side option, appended to @buf.
 * @argc: argument count.
 * @argv: the arguments; argv[*@i] is the option.
 * @i: the option's index; left at the last word taken.
 * @buf: "k=v k=v" so far.
 * @sz: bytes in @buf.
 *
 * Return: 0, or the usage status after the error was printed.
 */
int take_pairs(int argc, char **argv, int *i, char *buf, size_t sz)
{
	const char *opt = argv[*i];
	char *q;
	size_t n;

	if (*i + 1 >= argc || argv[*i + 1][0] == '-')
		return p_usage("%s needs KEY=VALUE pairs", opt);
	while (*i + 1 < argc && argv[*i + 1][0] != '-') {
		/* a value holding a space is quoted: abac_pair_quote() */
		q = abac_pair_quote(argv[++*i]);
		n = strlen(buf);
		if (!q || n + strlen(q) + 2 > sz) {
			free(q);
			return p_usage("too many attributes");
		}
		snprintf(buf + n, sz - n, "%s%s", n ? " " : "", q);
		free(q);
	}
	return 0;
}

/**
 * strerr() - strerror() of a negative errno.
 * @err: the negative errno.
 *
 * Return: the message.
 */
const char *strerr(int err)
{
	return strerror(err < 0 ? -err : err);
}

/* ---- abacd ---------------------------------------------------------- */

/**
 * agent_connect() - connect to abacd, or say why not.
 * @what: "<verb> <object>" for the error message.
 *
 * Return: the socket, or a negative errno after printing the error.
 */
int agent_connect(const char *what)
{
	int fd = abac_ctl_connect(ctl_path);

	if (fd >= 0)
		return fd;
	p_err("Failed to %s: cannot reach abacd at %s: %s (%s)", what,
	      ctl_path, strerr(fd),
	      fd == -EACCES ? "are you root or in the abac group?" :
	      fd == -EPERM ? "in a tagged cgroup, only a subject a policy rule allows 'administer' may reach abacd" :
	      "is abacd running?");
	return fd;
}

/**
 * agent_send() - send one request, with "--json" in JSON mode.
 * @fd: the connected socket.
 * @what: "<verb> <object>" for the error message.
 * @argc: number of strings in @argv.
 * @argv: the verb of the protocol and its arguments.
 *
 * Return: 0, or a negative errno after printing the error.
 */
int agent_send(int fd, const char *what, int argc,
	       const char *const *argv)
{
	const char *args[ABAC_CTL_ARGS_MAX];
	int i, n = 0, err;

	if (argc + 1 > ABAC_CTL_ARGS_MAX) {
		p_err("Failed to %s: too many arguments", what);
		return -E2BIG;
	}
	for (i = 0; i < argc; i++)
		args[n++] = argv[i];
	if (json_output)
		args[n++] = "--json";
	err = abac_ctl_send_args(fd, n, args);
	if (err == -EPIPE || err == -ECONNRESET)
		p_err("Failed to %s: abacd closed the connection", what);
	else if (err)
		p_err("Failed to %s: cannot talk to abacd: %s", what,
		      strerr(err));
	return err;
}

/**
 * agent_read() - read one response frame.
 * @fd: the connected socket.
 * @what: "<verb> <object>" for the error message.
 * @r: receives the status and the text; agent_reply_free() it.
 *
 * Return: 0, -EPIPE when abacd hung up (no message printed: the caller
 * knows whether that ends a stream or breaks a call), or another negative
 * errno after printing the error.
 */
int agent_read(int fd, const char *what, struct agent_reply *r)
{
	size_t len;
	int err;

	memset(r, 0, sizeof(*r));
	err = abac_ctl_read_frame(fd, &r->frame, &len);
	/* a hang-up with our request unread resets the connection */
	if (err == -EPIPE || err == -ECONNRESET)
		return -EPIPE;
	if (!err && !len) {
		free(r->frame);
		r->frame = NULL;
		err = -EPROTO;
	}
	if (err) {
		p_err("Failed to %s: bad reply from abacd: %s", what,
		      strerr(err));
		return err;
	}
	r->status = (unsigned char)r->frame[0];
	r->text = r->frame + 1;
	r->len = len - 1;
	return 0;
}

/**
 * agent_call() - connect, send one request, read its one reply.
 * @what: "<verb> <object>" for error messages.
 * @argc: number of strings in @argv.
 * @argv: the verb of the protocol and its arguments.
 * @r: receives the reply; agent_reply_free() it.
 *
 * Return: 0, or a negative errno after printing the error.
 */
int agent_call(const char *what, int argc, const char *const *argv,
	       struct agent_reply *r)
{
	int fd, err;

	memset(r, 0, sizeof(*r));
	fd = agent_connect(what);
	if (fd < 0)
		return fd;
	err = agent_send(fd, what, argc, argv);
	if (!err) {
		err = agent_read(fd, what, r);
		if (err == -EPIPE)
			p_err("Failed to %s: abacd closed the connection",
			      what);
	}
	close(fd);
	return err;
}

/**
 * agent_print() - print the text of a reply as abacd formatted it: on
 *	stdout, or on stderr for a refusal in plain mode.
 * @r: the reply.
 *
 * Return: the exit status the reply's status byte asks for.
 */
int agent_print(const struct agent_reply *r)
{
	FILE *f = r->status && !json_output ? stderr : stdout;

	if (r->len && json_output) {
		print_json_text(r->text, r->len);
	} else if (r->len) {
		fwrite(r->text, 1, r->len, f);
		if (r->text[r->len - 1] != '\n')
			fputc('\n', f);
	}
	fflush(stdout);
	if (r->status == ABAC_CTL_OK || r->status == ABAC_CTL_USAGE)
		return r->status;
	return ABAC_EXIT_FAIL;
}

/**
 * agent_reply_free() - free a reply's frame.
 * @r: the reply.
 */
void agent_reply_free(struct agent_reply *r)
{
	free(r->frame);
	memset(r, 0, sizeof(*r));
}

/**
 * agent_simple() - one request, its reply printed.
 * @what: "<verb> <object>" for error messages.
 * @argc: number of strings in @argv.
 * @argv: the verb of the protocol and its arguments.
 *
 * Return: the exit status: the reply's, or ABAC_EXIT_FAIL.
 */
int agent_simple(const char *what, int argc, const char *const *argv)
{
	struct agent_reply r;
	int ret;

	if (agent_call(what, argc, argv, &r))
		return ABAC_EXIT_FAIL;
	ret = agent_print(&r);
	agent_reply_free(&r);
	return ret;
}

/* ---- KEY=VALUE and cgroups ---------------------------------------------- */

/**
 * check_pair() - is @arg a well-formed KEY=VALUE[,VALUE...]?
 * @arg: the argument.
 * @why: receives the reason when it is not.
 * @sz: bytes at @why.
 *
 * A pair is written as in a label, so that a pair valid here is valid in
 * a label and in a tag alike: the key a name, each value UTF-8 text with
 * '\' before each '\' ',' ';' '=' it holds (values.c).
 *
 * Return: 0, or -EINVAL with @why filled.
 */
int check_pair(const char *arg, char *why, size_t sz)
{
	const char *eq = strchr(arg, '='), *p;
	char raw[ABAC_VALUE_MAX + 1], reason[160], q[ABAC_QUOTE_BYTES];
	size_t len, span;

	abac_quote(arg, strlen(arg), q);	/* no control byte shown */

	if (!eq || eq == arg) {
		snprintf(why, sz, "'%s' is not KEY=VALUE", q);
		return -EINVAL;
	}
	for (p = arg; p < eq; p++) {
		if (abac_label_class((__u8)*p) != ABAC_LC_NAME) {
			snprintf(why, sz,
				 "'%s': attribute names are ASCII [A-Za-z0-9_.:/@+-]; values may be any UTF-8 (several values: k=v1,v2)",
				 abac_quote(arg, eq - arg, q));
			return -EINVAL;
		}
	}
	len = strlen(eq + 1);
	for (p = eq + 1; ; p += span + 1) {
		span = abac_value_span(p, len - (p - eq - 1));
		if (!span) {
			snprintf(why, sz, "'%s' has an empty value", q);
			return -EINVAL;
		}
		if (p[span] == ';') {
			snprintf(why, sz, "'%s': give each KEY=VALUE as an argument of its own (';' in a value is written \\;)",
				 q);
			return -EINVAL;
		}
		if (abac_value_unescape(p, span, raw, sizeof(raw), reason,
					sizeof(reason)) < 0) {
			snprintf(why, sz, "'%s': %s", q, reason);
			return -EINVAL;
		}
		if (!p[span])
			return 0;
	}
}

/* Undo the octal escapes (\040 for a space) of /proc/self/mountinfo. */
static void unescape(char *s)
{
	char *d = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
				      (s[3] - '0'));
			s += 4;
		} else {
			*d++ = *s++;
		}
	}
	*d = '\0';
}

/**
 * cg2_mount() - where the cgroup v2 hierarchy is mounted.
 * @buf: receives the mount point.
 * @sz: bytes at @buf.
 *
 * The first cgroup2 mount in /proc/self/mountinfo; /sys/fs/cgroup when
 * there is none to read, so that the error comes later naming a path.
 *
 * Return: 0, or -ENAMETOOLONG.
 */
int cg2_mount(char *buf, size_t sz)
{
	char *line = NULL, mnt[PATH_MAX], fstype[64];
	size_t cap = 0;
	bool found = false;
	FILE *f = fopen("/proc/self/mountinfo", "r");

	while (f && getline(&line, &cap, f) > 0) {
		char *sep = strstr(line, " - ");

		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT ... - FSTYPE SOURCE ... */
		if (!sep || sscanf(sep, " - %63s", fstype) != 1 ||
		    strcmp(fstype, "cgroup2") ||
		    sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		unescape(mnt);
		found = true;
		break;
	}
	free(line);
	if (f)
		fclose(f);
	if ((size_t)snprintf(buf, sz, "%s", found ? mnt : "/sys/fs/cgroup")
	    >= sz)
		return -ENAMETOOLONG;
	return 0;
}

static bool is_cgroup2_dir(const char *path)
{
	struct statfs sfs;
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode) &&
	       !statfs(path, &sfs) && sfs.f_type == CGROUP2_SUPER_MAGIC;
}

/**
 * cg_path() - the absolute path a cgroup argument names, without looking.
 * @arg: a path, absolute or relative to the cgroup2 mount.
 * @out: receives the path.
 * @sz: bytes at @out.
 *
 * An absolute @arg that is itself a cgroup2 directory, or that lies under
 * the cgroup2 mount (a cgroup since removed, whose tag abacd may still
 * hold), is taken as it is; any other is read under the cgroup2 mount
 * ("/system.slice" and "system.slice" name the same cgroup).
 *
 * Return: 0, or -ENAMETOOLONG.
 */
int cg_path(const char *arg, char *out, size_t sz)
{
	char mnt[PATH_MAX];
	size_t ml;
	int err, n;

	if (arg[0] == '/' && is_cgroup2_dir(arg)) {
		n = snprintf(out, sz, "%s", arg);
	} else {
		err = cg2_mount(mnt, sizeof(mnt));
		if (err)
			return err;
		ml = strlen(mnt);
		if (arg[0] == '/' && !strncmp(arg, mnt, ml) &&
		    (arg[ml] == '/' || !arg[ml])) {
			n = snprintf(out, sz, "%s", arg);
			return (size_t)n >= sz ? -ENAMETOOLONG : 0;
		}
		while (*arg == '/')
			arg++;
		n = snprintf(out, sz, "%s%s%s", mnt, *arg ? "/" : "", arg);
	}
	return (size_t)n >= sz ? -ENAMETOOLONG : 0;
}

/**
 * cg_resolve() - the canonical path of an existing cgroup v2 directory.
 * @arg: a path, absolute or relative to the cgroup2 mount (see cg_path()).
 * @abs: receives the canonical absolute path.
 * @sz: bytes at @abs.
 *
 * Return: 0; -ENOENT when there is no such cgroup; -ENOTDIR when the
 * path is not a cgroup v2 directory; another negative errno.
 */
int cg_resolve(const char *arg, char *abs, size_t sz)
{
	char path[PATH_MAX], real[PATH_MAX];
	int err;

	err = cg_path(arg, path, sizeof(path));
	if (err)
		return err;
	if (!realpath(path, real))
		return -errno;
	if (!is_cgroup2_dir(real))
		return -ENOTDIR;
	if ((size_t)snprintf(abs, sz, "%s", real) >= sz)
		return -ENAMETOOLONG;
	return 0;
}

/* ---- the pinned kernel objects ------------------------------------------ */

/**
 * kern_open_pins() - open abac's pinned maps read-only, without loading.
 * @k: receives the handles; abac_kern_close() them.
 *
 * abac_kern_open() sees "not pinned" where an unprivileged caller merely
 * cannot look into the pin directory; tell the two apart, so that nobody
 * is told "no policy in force" when one is.
 *
 * Return: 0; -ENOENT when abac is not loaded; -EACCES or another
 * negative errno when the pins cannot be read.
 */
int kern_open_pins(struct abac_kern *k)
{
	int err = abac_kern_open(k, ABAC_PIN_DIR, false);

	if (err == -ENOENT && access(ABAC_PIN_DIR, X_OK) && errno != ENOENT)
		err = -errno;
	return err;
}
