// SPDX-License-Identifier: GPL-2.0-only
/*
 * Syslog, RFC 5424: each denial, audit-mode denial, tamper refusal and
 * loss of events as one message with STRUCTURED-DATA, one datagram each
 * (a Unix datagram socket such as /dev/log, or UDP as RFC 5426 carries
 * it).  The socket is non-blocking: a receiver that is gone or slow
 * costs the message, counted and said, never abacd's time.
 *
 *   <PRI>1 TIMESTAMP HOSTNAME abacd PID MSGID [abac@32473 ...] MSG
 *
 * PRI is facility authpriv (10) times 8 plus the severity: a denial is a
 * warning (4), an audit-mode denial a notice (5), a tamper refusal an
 * alert (1: a subject went for the enforcement itself), lost events an
 * error (3: records a security team will never see).
 */
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "abacd.h"
#include "sink.h"

#define FACILITY_AUTHPRIV	10
#define SEV_ALERT		1
#define SEV_ERR			3
#define SEV_WARNING		4
#define SEV_NOTICE		5
#define RETRY_MS		1000	/* between reconnections */

static struct {
	struct syslog_target t;
	int fd;
	__u64 retry_ms;
	__u64 sent, dropped;
	bool failing;
} sl = { .fd = -1 };

/**
 * syslog_target_parse() - read --syslog's value.
 * @arg: NULL or "" (/dev/log), "unix:PATH" or "udp:HOST:PORT" (HOST may
 *	be an IPv6 address in brackets).
 * @t: receives the target.
 * @why: receives what is wrong with @arg.
 * @why_sz: bytes at @why.
 *
 * Return: 0, or -EINVAL with @why said.
 */
int syslog_target_parse(const char *arg, struct syslog_target *t,
			char *why, size_t why_sz)
{
	const char *host, *colon, *end;
	char *tail;
	unsigned long port;

	memset(t, 0, sizeof(*t));
	t->text = arg && *arg ? arg : SINK_SYSLOG_DEFAULT;
	if (!arg || !*arg)
		arg = "unix:" SINK_SYSLOG_DEFAULT;
	if (!strncmp(arg, "unix:", 5)) {
		if (arg[5] != '/' || strlen(arg + 5) >= sizeof(t->unix_path)) {
			snprintf(why, why_sz, "'%s': unix: takes an absolute path of at most %zu bytes",
				 arg, sizeof(t->unix_path) - 1);
			return -EINVAL;
		}
		snprintf(t->unix_path, sizeof(t->unix_path), "%s", arg + 5);
		return 0;
	}
	if (strncmp(arg, "udp:", 4))
		goto bad;
	host = arg + 4;
	if (*host == '[') {
		end = strchr(host, ']');
		if (!end || end[1] != ':')
			goto bad;
		colon = end + 1;
		host++;
	} else {
		colon = strrchr(host, ':');
		if (!colon || memchr(host, ':', colon - host))
			goto bad;
		end = colon;
	}
	if (end == host || (size_t)(end - host) >= sizeof(t->host))
		goto bad;
	errno = 0;
	port = strtoul(colon + 1, &tail, 10);
	if (errno || *tail || !colon[1] || !port || port > 65535)
		goto bad;
	memcpy(t->host, host, end - host);
	snprintf(t->port, sizeof(t->port), "%lu", port);
	return 0;
bad:
	snprintf(why, why_sz, "'%s': the target is unix:PATH or udp:HOST:PORT (default: %s)",
		 arg, SINK_SYSLOG_DEFAULT);
	return -EINVAL;
}

/* ---- formatting ------------------------------------------------------ */

/**
 * struct out - a bounded buffer being written.
 * @p: the buffer.
 * @len: bytes written.
 * @cap: bytes at @p.
 * @over: a write did not fit.
 */
struct out {
	char *p;
	size_t len, cap;
	bool over;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->over || o->len + n >= o->cap) {
		o->over = true;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static void putf(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void putf(struct out *o, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof(buf))
		o->over = true;
	else
		put(o, buf, n);
}

/* Bytes of the well-formed UTF-8 sequence at @s (of @n bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;
	__u32 cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/*
 * @s (@n bytes) as RFC 5424 section 6.3.3 lets a PARAM-VALUE hold it:
 * '"', '\' and ']' escaped with a backslash.  A PARAM-VALUE is UTF-8 on
 * one line, and a path is bytes: a control character or a byte outside
 * well-formed UTF-8 is written "\xHH" (a literal backslash is "\\", so
 * the two cannot be confused).  With @sd false (the free-form MSG) only
 * the controls and bad bytes are escaped.
 */
static void put_escaped(struct out *o, const char *s, size_t n, bool sd)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;
	char hex[8];

	while (i < n && u[i]) {
		k = utf8_seq(u + i, n - i);
		if (sd && (u[i] == '"' || u[i] == '\\' || u[i] == ']')) {
			put(o, "\\", 1);
			put(o, s + i, 1);
			i++;
		} else if (!k || u[i] < 0x20 || u[i] == 0x7f) {
			snprintf(hex, sizeof(hex), "\\x%02x", u[i]);
			put(o, hex, 4);
			i++;
		} else {
			put(o, s + i, k);
			i += k;
		}
	}
}

static void param(struct out *o, const char *name, const char *val)
{
	if (!val)
		return;
	putf(o, " %s=\"", name);
	put_escaped(o, val, strlen(val), true);
	put(o, "\"", 1);
}

static void param_u64(struct out *o, const char *name, __u64 v)
{
	putf(o, " %s=\"%llu\"", name, (unsigned long long)v);
}

/* RFC 5424 TIMESTAMP: RFC 3339 UTC, microseconds at most (TIME-SECFRAC). */
static void put_time(struct out *o, __s64 ns)
{
	time_t sec = ns / 1000000000LL;
	long usec = (ns % 1000000000LL) / 1000;
	struct tm tm;
	char buf[40];

	if (usec < 0) {
		usec += 1000000;
		sec--;
	}
	gmtime_r(&sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	putf(o, "%s.%06ldZ", buf, usec);
}

static int severity(const struct sink_rec *r)
{
	if (r->kind == SINK_LOST)
		return SEV_ERR;
	if (r->guard)
		return SEV_ALERT;
	return r->e->allowed ? SEV_NOTICE : SEV_WARNING;
}

static const char *msgid(const struct sink_rec *r)
{
	if (r->kind == SINK_LOST)
		return "lost";
	if (r->guard)
		return "tamper";
	return r->decision;
}

/* The SD-PARAMs of a decision. */
static void decision_params(struct out *o, const struct sink_rec *r)
{
	const struct abac_event *e = r->e;
	char t[48];
	struct out to = { t, 0, sizeof(t) };

	param(o, "decision", r->decision);
	param(o, "op", r->op);
	put(o, " path=\"", 7);
	put_escaped(o, e->path, strnlen(e->path, sizeof(e->path)), true);
	put(o, "\"", 1);
	param(o, "rule", r->rule);
	param(o, "reason", r->reason);
	param(o, "guard", r->guard);
	param(o, "cgroup", r->cgroup);
	param(o, "tags", r->tags);
	param_u64(o, "pid", e->pid);
	put(o, " comm=\"", 7);
	put_escaped(o, e->comm, strnlen(e->comm, sizeof(e->comm)), true);
	put(o, "\"", 1);
	param_u64(o, "uid", e->uid);
	param_u64(o, "errno", e->errno_val);
	param(o, "policy", r->policy);
	param_u64(o, "generation", e->generation);
	param(o, "hash", r->hash);
	param(o, "mode", e->mode == ABAC_MODE_AUDIT ? "audit" : "enforce");
	if (e->count > 1 || e->fold != ABAC_FOLD_NONE) {
		param_u64(o, "count", e->count);
		put_time(&to, r->first_ns);
		param(o, "first", t);
	}
	if (e->lost_before)
		param_u64(o, "lost_before", e->lost_before);
	param(o, "event_id", r->event_id);
}

/* The free-form MSG: one sentence for a human reading the stream. */
static void message(struct out *o, const struct sink_rec *r)
{
	const struct abac_event *e = r->e;

	if (r->kind == SINK_LOST) {
		putf(o, " %llu abac event%s lost: the ring buffer was full",
		     (unsigned long long)r->lost, r->lost == 1 ? "" : "s");
		return;
	}
	putf(o, " %s%s %s ", r->guard ? "tamper refused: " : "",
	     r->decision, r->op);
	put_escaped(o, e->path, strnlen(e->path, sizeof(e->path)), false);
	put(o, " by ", 4);
	put_escaped(o, e->comm, strnlen(e->comm, sizeof(e->comm)), false);
	putf(o, "[%u]", e->pid);
	if (r->rule) {
		put(o, " (rule ", 7);
		put_escaped(o, r->rule, strlen(r->rule), false);
		put(o, ")", 1);
	}
}

/*
 * The message with or without its MSG: a record whose MSG would not fit
 * is sent with its STRUCTURED-DATA only.
 */
static int format(char *buf, size_t sz, const struct sink_rec *r,
		  const char *host, int pid, bool msg)
{
	struct out o = { buf, 0, sz };

	if (!sz)
		return -ENOSPC;
	buf[0] = '\0';
	putf(&o, "<%d>1 ", FACILITY_AUTHPRIV * 8 + severity(r));
	put_time(&o, r->time_ns);
	putf(&o, " %.255s abacd %d %s [" SINK_SD_ID, host && *host ? host : "-",
	     pid, msgid(r));
	if (r->kind == SINK_LOST) {
		param(&o, "decision", "lost");
		param(&o, "reason", r->reason);
		param_u64(&o, "lost", r->lost);
		param_u64(&o, "lost_total", r->lost_total);
		param(&o, "lost_from", r->lost_from);
	} else {
		decision_params(&o, r);
	}
	put(&o, "]", 1);
	if (msg)
		message(&o, r);
	return o.over ? -ENOSPC : (int)o.len;
}

/**
 * syslog_format() - an RFC 5424 message for a record.
 * @buf: receives it, NUL-terminated (not sent).
 * @sz: bytes at @buf.
 * @r: the record.
 * @host: HOSTNAME.
 * @pid: PROCID.
 *
 * Return: the message's length, or -ENOSPC when even its
 * STRUCTURED-DATA alone does not fit.
 */
int syslog_format(char *buf, size_t sz, const struct sink_rec *r,
		  const char *host, int pid)
{
	int n = format(buf, sz, r, host, pid, true);

	return n >= 0 ? n : format(buf, sz, r, host, pid, false);
}

/* ---- the socket ------------------------------------------------------ */

static int connect_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -errno;
	}
	return fd;
}

static int connect_udp(const struct syslog_target *t)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai, *a;
	int fd = -EHOSTUNREACH, err;

	err = getaddrinfo(t->host, t->port, &hints, &ai);
	if (err) {
		say("--syslog: cannot resolve %s: %s", t->host,
		    gai_strerror(err));
		return -EHOSTUNREACH;
	}
	for (a = ai; a; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK |
			    SOCK_CLOEXEC, a->ai_protocol);
		if (fd < 0) {
			fd = -errno;
			continue;
		}
		if (!connect(fd, a->ai_addr, a->ai_addrlen))
			break;
		close(fd);
		fd = -errno;
	}
	freeaddrinfo(ai);
	return fd;
}

/* (Re)connect; a socket that does not answer yet is tried again later. */
static void reconnect(void)
{
	int fd;

	if (sl.fd >= 0)
		close(sl.fd);
	sl.fd = -1;
	sl.retry_ms = now_ms() + RETRY_MS;
	fd = sl.t.unix_path[0] ? connect_unix(sl.t.unix_path) :
				 connect_udp(&sl.t);
	if (fd >= 0)
		sl.fd = fd;
}

/**
 * syslog_open() - connect to the syslog target.
 * @t: the target (copied).
 *
 * A Unix socket that is not there yet, or refuses, is no error: abacd
 * must not wait for a syslog daemon.  Messages are dropped, and counted,
 * until a reconnection (at most once a second) works.
 *
 * Return: 0, or -EHOSTUNREACH for a UDP host that cannot be resolved.
 */
int syslog_open(const struct syslog_target *t)
{
	sl.t = *t;
	reconnect();
	if (sl.fd < 0 && !sl.t.unix_path[0])
		return -EHOSTUNREACH;
	if (sl.fd < 0)
		say("warning: syslog socket %s does not take messages yet: they are dropped until it does",
		    sl.t.unix_path);
	else
		debug("syslog messages go to %s", sl.t.text);
	return 0;
}

static void note_drop(int err)
{
	sl.dropped++;
	if (!sl.failing)
		say("syslog %s drops messages: %s", sl.t.text, strerror(err));
	sl.failing = true;
}

/**
 * syslog_send() - send one record's message, never waiting.
 * @r: the record.
 * @host: HOSTNAME.
 */
void syslog_send(const struct sink_rec *r, const char *host)
{
	static char buf[SINK_SYSLOG_MAX];
	int n;

	n = syslog_format(buf, sizeof(buf), r, host, getpid());
	if (n < 0) {
		note_drop(EMSGSIZE);
		return;
	}
	if (sl.fd < 0 && sl.t.unix_path[0] && now_ms() >= sl.retry_ms)
		reconnect();
	if (sl.fd < 0) {
		note_drop(ENOTCONN);
		return;
	}
	if (send(sl.fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL) == n) {
		sl.sent++;
		if (sl.failing)
			say("syslog %s takes messages again; %llu dropped in all",
			    sl.t.text, (unsigned long long)sl.dropped);
		sl.failing = false;
		return;
	}
	n = errno;
	note_drop(n);
	/*
	 * The receiver went away (a restarted daemon): find the new one.
	 * Not for UDP, whose refusals are passing ICMP errors: its socket
	 * stays, and its host is never looked up again (that could block).
	 */
	if (sl.t.unix_path[0] &&
	    (n == ECONNREFUSED || n == ENOTCONN || n == ENOENT))
		reconnect();
}

/** syslog_close() - close the socket. */
void syslog_close(void)
{
	if (sl.fd >= 0)
		close(sl.fd);
	sl.fd = -1;
}

/** syslog_sent() - Return: messages sent since start. */
__u64 syslog_sent(void)
{
	return sl.sent;
}

/** syslog_dropped() - Return: messages dropped since start. */
__u64 syslog_dropped(void)
{
	return sl.dropped;
}
