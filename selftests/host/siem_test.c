// SPDX-License-Identifier: GPL-2.0-only
/*
 * abacd's outputs for a security team, on the host: the RFC 5424 syslog
 * message (framing, PRI, TIMESTAMP, STRUCTURED-DATA and the escaping of
 * its values), the OCSF mapping of each kind of decision, and the
 * Prometheus text (HELP/TYPE before samples, label values escaped, the
 * file replaced whole).  Each output is read back by a small parser of
 * its own format here, so that a malformed one fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "abacd.h"
#include "sink.h"

/* 2026-12-06T06:00:00.123456789Z */
#define T0_NS	1796536800123456789LL

static void deny_event(struct abac_event *e, struct sink_rec *r,
		       const char *path)
{
	memset(e, 0, sizeof(*e));
	memset(r, 0, sizeof(*r));
	e->op = ABAC_OP_READ;
	e->effect = ABAC_DENY;
	e->reason = ABAC_REASON_RULE;
	e->errno_val = EACCES;
	e->pid = 4242;
	e->uid = 1000;
	e->generation = 7;
	e->count = 1;
	e->dev = 8 << 20 | 1;
	e->ino = 1234;
	snprintf(e->comm, sizeof(e->comm), "cat");
	snprintf(e->path, sizeof(e->path), "%s", path);
	r->kind = SINK_DECISION;
	r->e = e;
	r->time_ns = T0_NS;
	r->decision = "deny";
	r->op = "read";
	r->rule = "clerks-no-records";
	r->reason = "rule";
	r->policy = "hospital";
	r->cgroup = "/sys/fs/cgroup/abac-test/clerk";
	r->tags = "role=clerk";
	snprintf(r->hash, sizeof(r->hash), "0x%016llx", 0x1122334455667788ULL);
	snprintf(r->event_id, sizeof(r->event_id), "1796536800000.1");
}

/* ---- an RFC 5424 reader ---------------------------------------------- */

/**
 * struct sd - one SD-ELEMENT read back.
 * @id: its SD-ID.
 * @name: the PARAM-NAMEs.
 * @val: the PARAM-VALUEs, unescaped.
 * @n: params.
 * @msg: what follows the STRUCTURED-DATA ("" when nothing).
 */
struct sd {
	char id[64];
	char name[32][33];
	char val[32][2048];
	int n;
	const char *msg;
};

static const char *sd_get(const struct sd *s, const char *name)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->name[i], name))
			return s->val[i];
	return NULL;
}

/* SD-NAME: 1*32 PRINTUSASCII except '=', SP, ']', '"'. */
static const char *sd_name(const char *p, char *out)
{
	int n = 0;

	while (*p > 32 && *p < 127 && *p != '=' && *p != ']' && *p != '"') {
		if (n == 32)
			return NULL;
		out[n++] = *p++;
	}
	out[n] = '\0';
	return n ? p : NULL;
}

/*
 * Read the header fields (checked against @pri, @msgid) and one
 * SD-ELEMENT of @m.  Inside a PARAM-VALUE only '"', '\' and ']' may be
 * escaped (RFC 5424 6.3.3); "\x" stays as it is.  Returns 0 or the
 * place the message went wrong (a line number here, for the log).
 */
static int parse_5424(const char *m, int pri, const char *msgid,
		      struct sd *s)
{
	char want[32], *o;
	const char *p;
	int k, i;

	memset(s, 0, sizeof(*s));
	k = snprintf(want, sizeof(want), "<%d>1 ", pri);
	if (strncmp(m, want, k))
		return __LINE__;
	p = m + k;
	/* TIMESTAMP: YYYY-MM-DDTHH:MM:SS.ffffffZ, 6 digits at most */
	for (i = 0; i < 26; i++)
		if (!strchr(i == 4 || i == 7 ? "-" : i == 10 ? "T" :
			    i == 13 || i == 16 ? ":" : i == 19 ? "." :
			    "0123456789", p[i]))
			return __LINE__;
	if (strncmp(p + 26, "Z ", 2))
		return __LINE__;
	p += 28;
	p = strchr(p, ' ');	/* HOSTNAME */
	if (!p || strncmp(p, " abacd ", 7))
		return __LINE__;
	p += 7;
	while (*p >= '0' && *p <= '9')
		p++;
	k = snprintf(want, sizeof(want), " %s [", msgid);
	if (strncmp(p, want, k))
		return __LINE__;
	p = sd_name(p + k, s->id);
	if (!p)
		return __LINE__;
	while (*p == ' ') {
		if (s->n == 32)
			return __LINE__;
		p = sd_name(p + 1, s->name[s->n]);
		if (!p || strncmp(p, "=\"", 2))
			return __LINE__;
		o = s->val[s->n];
		for (p += 2; *p && *p != '"'; p++) {
			if (*p == ']')
				return __LINE__;	/* must be escaped */
			if (*p == '\\' && strchr("\"\\]", p[1]))
				p++;
			if ((unsigned char)*p < 0x20)
				return __LINE__;	/* one line */
			*o++ = *p;
		}
		if (*p != '"')
			return __LINE__;
		*o = '\0';
		p++;
		s->n++;
	}
	if (*p != ']')
		return __LINE__;
	p++;
	if (*p && *p != ' ')
		return __LINE__;
	s->msg = *p ? p + 1 : p;
	return 0;
}

TEST(syslog_denial_is_rfc5424_with_structured_data)
{
	struct abac_event e;
	struct sink_rec r;
	char buf[SINK_SYSLOG_MAX];
	struct sd s;
	int n;

	deny_event(&e, &r, "/srv/records/a.txt");
	n = syslog_format(buf, sizeof(buf), &r, "host1", 99);
	ASSERT_LT(0, n);
	ASSERT_EQ(strlen(buf), (size_t)n);
	TH_LOG("%s", buf);
	/* authpriv (10) * 8 + warning (4) */
	ASSERT_EQ(0, parse_5424(buf, 84, "deny", &s));
	ASSERT_EQ(0, strncmp(buf, "<84>1 2026-12-06T06:00:00.123456Z host1 abacd 99 deny [abac@32473 ", 66));
	ASSERT_STREQ("abac@32473", s.id);
	ASSERT_STREQ("deny", sd_get(&s, "decision"));
	ASSERT_STREQ("read", sd_get(&s, "op"));
	ASSERT_STREQ("/srv/records/a.txt", sd_get(&s, "path"));
	ASSERT_STREQ("clerks-no-records", sd_get(&s, "rule"));
	ASSERT_STREQ("/sys/fs/cgroup/abac-test/clerk", sd_get(&s, "cgroup"));
	ASSERT_STREQ("role=clerk", sd_get(&s, "tags"));
	ASSERT_STREQ("4242", sd_get(&s, "pid"));
	ASSERT_STREQ("cat", sd_get(&s, "comm"));
	ASSERT_STREQ("13", sd_get(&s, "errno"));
	ASSERT_STREQ("hospital", sd_get(&s, "policy"));
	ASSERT_STREQ("0x1122334455667788", sd_get(&s, "hash"));
	ASSERT_STREQ("7", sd_get(&s, "generation"));
	ASSERT_STREQ("1796536800000.1", sd_get(&s, "event_id"));
	ASSERT_EQ(NULL, sd_get(&s, "count"));	/* not folded */
	ASSERT_EQ(NULL, sd_get(&s, "guard"));
	ASSERT_STREQ("deny read /srv/records/a.txt by cat[4242] (rule clerks-no-records)",
		     s.msg);
}

TEST(syslog_escapes_quote_backslash_bracket_controls_and_bad_utf8)
{
	struct abac_event e;
	struct sink_rec r;
	char buf[SINK_SYSLOG_MAX];
	struct sd s;

	deny_event(&e, &r, "/tmp/a\"b\\c]d\ne\xff" "f\xc3\xa9");
	r.tags = "note=\"x]\"";
	ASSERT_LT(0, syslog_format(buf, sizeof(buf), &r, "h", 1));
	TH_LOG("%s", buf);
	ASSERT_NE(NULL, strstr(buf, " path=\"/tmp/a\\\"b\\\\c\\]d\\x0ae\\xfff\xc3\xa9\""));
	ASSERT_NE(NULL, strstr(buf, " tags=\"note=\\\"x\\]\\\"\""));
	ASSERT_EQ(NULL, strchr(buf, '\n'));
	ASSERT_EQ(0, parse_5424(buf, 84, "deny", &s));
	/* read back: the three escapes undone, \x kept as the receiver sees */
	ASSERT_STREQ("/tmp/a\"b\\c]d\\x0ae\\xfff\xc3\xa9", sd_get(&s, "path"));
	ASSERT_STREQ("note=\"x]\"", sd_get(&s, "tags"));
}

TEST(syslog_severity_by_kind_tamper_audit_lost_folded)
{
	struct abac_event e;
	struct sink_rec r;
	char buf[SINK_SYSLOG_MAX];
	struct sd s;

	deny_event(&e, &r, "/sys/fs/bpf/abac");
	e.reason = ABAC_REASON_GUARD;
	e.guard = ABAC_GUARD_BPFFS;
	r.reason = "guard";
	r.guard = "bpffs";
	r.rule = NULL;
	ASSERT_LT(0, syslog_format(buf, sizeof(buf), &r, "h", 1));
	ASSERT_EQ(0, parse_5424(buf, 81, "tamper", &s));	/* alert */
	ASSERT_STREQ("bpffs", sd_get(&s, "guard"));
	ASSERT_EQ(NULL, sd_get(&s, "rule"));

	deny_event(&e, &r, "/srv/x");
	e.allowed = 1;
	e.mode = ABAC_MODE_AUDIT;
	r.decision = "audit";
	ASSERT_LT(0, syslog_format(buf, sizeof(buf), &r, "h", 1));
	ASSERT_EQ(0, parse_5424(buf, 85, "audit", &s));	/* notice */
	ASSERT_STREQ("audit", sd_get(&s, "mode"));

	deny_event(&e, &r, "/srv/x");
	e.count = 5;
	e.fold = ABAC_FOLD_OBJECT;
	r.first_ns = T0_NS - 2000000000LL;
	ASSERT_LT(0, syslog_format(buf, sizeof(buf), &r, "h", 1));
	ASSERT_EQ(0, parse_5424(buf, 84, "deny", &s));
	ASSERT_STREQ("5", sd_get(&s, "count"));
	ASSERT_STREQ("2026-12-06T05:59:58.123456Z", sd_get(&s, "first"));

	memset(&r, 0, sizeof(r));
	r.kind = SINK_LOST;
	r.time_ns = T0_NS;
	r.decision = "lost";
	r.reason = "ring-buffer-full";
	r.lost = 3;
	r.lost_total = 10;
	r.lost_from = "/sys/fs/cgroup/x";
	ASSERT_LT(0, syslog_format(buf, sizeof(buf), &r, "h", 1));
	TH_LOG("%s", buf);
	ASSERT_EQ(0, parse_5424(buf, 83, "lost", &s));	/* err */
	ASSERT_STREQ("3", sd_get(&s, "lost"));
	ASSERT_STREQ("10", sd_get(&s, "lost_total"));
	ASSERT_STREQ("/sys/fs/cgroup/x", sd_get(&s, "lost_from"));
	ASSERT_STREQ("3 abac events lost: the ring buffer was full", s.msg);
}

TEST(syslog_too_long_drops_msg_then_refuses)
{
	struct abac_event e;
	struct sink_rec r;
	char full[SINK_SYSLOG_MAX], buf[SINK_SYSLOG_MAX];
	size_t sd_len;
	struct sd s;
	int n;

	deny_event(&e, &r, "/srv/x");
	n = syslog_format(full, sizeof(full), &r, "h", 1);
	ASSERT_LT(0, n);
	ASSERT_NE(NULL, strstr(full, "] deny read"));
	sd_len = strstr(full, "] deny read") - full + 1;
	/* room for the STRUCTURED-DATA, not for the MSG: sent without it */
	n = syslog_format(buf, sd_len + 5, &r, "h", 1);
	ASSERT_EQ((int)sd_len, n);
	ASSERT_EQ(0, parse_5424(buf, 84, "deny", &s));
	ASSERT_STREQ("", s.msg);
	ASSERT_EQ(0, strncmp(buf, full, sd_len));
	/* not even that: refused, never cut inside the STRUCTURED-DATA */
	ASSERT_EQ(-ENOSPC, syslog_format(buf, sd_len, &r, "h", 1));
}

static int bind_dgram(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	return fd;
}
/*
 * A receiver that reads nothing, then none at all: every message is
 * either sent or dropped and counted, and no send waits; a new receiver
 * at the same path gets messages again.
 */
TEST(syslog_never_blocks_and_counts_drops)
{
	char dir[] = "/tmp/abac-syslog-XXXXXX", path[96], buf[SINK_SYSLOG_MAX];
	struct syslog_target t;
	struct abac_event e;
	struct sink_rec r;
	__u64 sent0, dropped0, t0;
	int fd, i;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "unix:%s/log", dir);
	ASSERT_EQ(0, syslog_target_parse(path, &t, buf, sizeof(buf)));
	fd = bind_dgram(t.unix_path);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, syslog_open(&t));
	deny_event(&e, &r, "/srv/x");
	sent0 = syslog_sent();
	dropped0 = syslog_dropped();
	t0 = now_ms();
	for (i = 0; i < 2000; i++)
		syslog_send(&r, "h");
	ASSERT_GT(5000ULL, now_ms() - t0);	/* no send waited for the reader */
	ASSERT_LT(0ULL, syslog_sent() - sent0);
	ASSERT_LT(0ULL, syslog_dropped() - dropped0);	/* the queue filled */
	ASSERT_EQ(2000ULL, syslog_sent() - sent0 + syslog_dropped() - dropped0);
	ASSERT_LT(0, recv(fd, buf, sizeof(buf), MSG_DONTWAIT));
	ASSERT_EQ(0, strncmp(buf, "<84>1 ", 6));

	/* the receiver gone: dropped, counted */
	close(fd);
	unlink(t.unix_path);
	dropped0 = syslog_dropped();
	syslog_send(&r, "h");
	syslog_send(&r, "h");
	ASSERT_EQ(dropped0 + 2, syslog_dropped());

	/* a new one at the same path: found again after the retry delay */
	fd = bind_dgram(t.unix_path);
	ASSERT_LE(0, fd);
	usleep(1100 * 1000);
	sent0 = syslog_sent();
	syslog_send(&r, "h");
	ASSERT_EQ(sent0 + 1, syslog_sent());
	ASSERT_LT(0, recv(fd, buf, sizeof(buf), MSG_DONTWAIT));
	syslog_close();
	close(fd);
	unlink(t.unix_path);
	rmdir(dir);
}

/* UDP (RFC 5426): one message a datagram, to the host and port named. */
TEST(syslog_udp_target_gets_one_message_a_datagram)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	char arg[64], buf[SINK_SYSLOG_MAX];
	struct syslog_target t;
	struct abac_event e;
	struct sink_rec r;
	struct sd s;
	ssize_t n;
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, fd);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&sa, sizeof(sa)));
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&sa, &len));
	snprintf(arg, sizeof(arg), "udp:127.0.0.1:%u", ntohs(sa.sin_port));
	ASSERT_EQ(0, syslog_target_parse(arg, &t, buf, sizeof(buf)));
	ASSERT_EQ(0, syslog_open(&t));
	deny_event(&e, &r, "/srv/x");
	syslog_send(&r, "h");
	syslog_send(&r, "h");
	ASSERT_EQ(2ULL, syslog_sent());
	n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	ASSERT_EQ(0, parse_5424(buf, 84, "deny", &s));
	ASSERT_STREQ("/srv/x", sd_get(&s, "path"));
	ASSERT_LT(0, recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT));
	syslog_close();
	close(fd);
}

TEST(syslog_targets_parsed_and_refused)
{
	struct syslog_target t;
	char why[256];

	ASSERT_EQ(0, syslog_target_parse(NULL, &t, why, sizeof(why)));
	ASSERT_STREQ("/dev/log", t.unix_path);
	ASSERT_EQ(0, syslog_target_parse("unix:/run/x.sock", &t, why,
					 sizeof(why)));
	ASSERT_STREQ("/run/x.sock", t.unix_path);
	ASSERT_EQ(0, syslog_target_parse("udp:10.0.0.5:514", &t, why,
					 sizeof(why)));
	ASSERT_STREQ("", t.unix_path);
	ASSERT_STREQ("10.0.0.5", t.host);
	ASSERT_STREQ("514", t.port);
	ASSERT_EQ(0, syslog_target_parse("udp:[2001:db8::1]:6514", &t, why,
					 sizeof(why)));
	ASSERT_STREQ("2001:db8::1", t.host);
	ASSERT_STREQ("6514", t.port);
	ASSERT_EQ(-EINVAL, syslog_target_parse("unix:relative", &t, why,
					       sizeof(why)));
	ASSERT_EQ(-EINVAL, syslog_target_parse("udp:host", &t, why,
					       sizeof(why)));
	ASSERT_EQ(-EINVAL, syslog_target_parse("udp:host:0", &t, why,
					       sizeof(why)));
	ASSERT_EQ(-EINVAL, syslog_target_parse("udp:host:70000", &t, why,
					       sizeof(why)));
	ASSERT_EQ(-EINVAL, syslog_target_parse("udp:2001:db8::1:514", &t,
					       why, sizeof(why)));
	ASSERT_EQ(-EINVAL, syslog_target_parse("tcp:host:514", &t, why,
					       sizeof(why)));
	ASSERT_NE(NULL, strstr(why, "unix:PATH or udp:HOST:PORT"));
}

/* ---- a JSON reader: is it one well-formed value? --------------------- */

static const char *json_value(const char *p);

static const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *json_str(const char *p)
{
	if (*p++ != '"')
		return NULL;
	for (; *p && *p != '"'; p++) {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\' && !*++p)
			return NULL;
	}
	return *p == '"' ? p + 1 : NULL;
}

static const char *json_seq(const char *p, char close, bool obj)
{
	p = json_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (obj) {
			p = json_str(json_ws(p));
			if (!p)
				return NULL;
			p = json_ws(p);
			if (*p++ != ':')
				return NULL;
		}
		p = json_value(p);
		if (!p)
			return NULL;
		p = json_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *json_value(const char *p)
{
	p = json_ws(p);
	if (*p == '{')
		return json_seq(p, '}', true);
	if (*p == '[')
		return json_seq(p, ']', false);
	if (*p == '"')
		return json_str(p);
	if (!strncmp(p, "null", 4))
		return p + 4;
	if (*p == '-' || (*p >= '0' && *p <= '9')) {
		p++;
		while (*p >= '0' && *p <= '9')
			p++;
		return p;
	}
	return NULL;
}

static void ocsf_of(struct sink_rec *r, char *out, size_t sz)
{
	FILE *f = fmemopen(out, sz, "w");

	out[0] = '\0';
	if (!f)
		return;
	if (ocsf_format(f, r, "host1"))
		out[0] = '\0';
	fclose(f);
}

/* One object on one line, nothing after it. */
static bool one_json_line(const char *s)
{
	const char *end = json_value(s);

	return end && !strcmp(end, "\n") && s[0] == '{';
}

TEST(ocsf_file_denial_is_file_system_activity_blocked)
{
	struct abac_event e;
	struct sink_rec r;
	char out[8192];

	deny_event(&e, &r, "/srv/records/a.txt");
	ocsf_of(&r, out, sizeof(out));
	TH_LOG("%s", out);
	ASSERT_TRUE(one_json_line(out));
	ASSERT_NE(NULL, strstr(out, "\"time\":1796536800123,"));
	ASSERT_NE(NULL, strstr(out, "\"category_uid\":1,\"category_name\":\"System Activity\",\"class_uid\":1001,\"class_name\":\"File System Activity\",\"activity_id\":2,\"activity_name\":\"Read\",\"type_uid\":100102,\"type_name\":\"File System Activity: Read\""));
	ASSERT_NE(NULL, strstr(out, "\"severity_id\":3,\"severity\":\"Medium\",\"status_id\":2,\"status\":\"Failure\",\"status_code\":\"EACCES\",\"disposition_id\":2,\"disposition\":\"Blocked\""));
	ASSERT_NE(NULL, strstr(out, "\"actor\":{\"process\":{\"pid\":4242,\"name\":\"cat\",\"user\":{\"uid\":\"1000\"}}}"));
	ASSERT_NE(NULL, strstr(out, "\"file\":{\"path\":\"/srv/records/a.txt\",\"name\":\"a.txt\",\"type_id\":0,\"type\":\"Unknown\",\"uid\":\"8:1:1234\"}"));
	ASSERT_NE(NULL, strstr(out, "\"policy\":{\"name\":\"hospital\",\"uid\":\"0x1122334455667788\",\"version\":\"7\"}"));
	ASSERT_NE(NULL, strstr(out, "\"metadata\":{\"version\":\"1.1.0\",\"product\":{\"name\":\"abac\""));
	ASSERT_NE(NULL, strstr(out, "\"uid\":\"1796536800000.1\""));
	ASSERT_NE(NULL, strstr(out, "\"rule\":\"clerks-no-records\""));
	ASSERT_NE(NULL, strstr(out, "\"subject_tags\":\"role=clerk\""));
	ASSERT_EQ(NULL, strstr(out, "\"count\""));
}

TEST(ocsf_ops_map_to_their_activities)
{
	static const struct {
		__u8 op;
		const char *want;
	} map[] = {
		{ ABAC_OP_WRITE, "\"class_uid\":1001,\"class_name\":\"File System Activity\",\"activity_id\":3,\"activity_name\":\"Update\",\"type_uid\":100103" },
		{ ABAC_OP_CREATE, "\"class_uid\":1001,\"class_name\":\"File System Activity\",\"activity_id\":1,\"activity_name\":\"Create\",\"type_uid\":100101" },
		{ ABAC_OP_DELETE, "\"activity_id\":4,\"activity_name\":\"Delete\",\"type_uid\":100104" },
		{ ABAC_OP_RELABEL, "\"activity_id\":7,\"activity_name\":\"Set Security\",\"type_uid\":100107" },
		{ ABAC_OP_EXEC, "\"class_uid\":1001,\"class_name\":\"File System Activity\",\"activity_id\":99,\"activity_name\":\"Execute\",\"type_uid\":100199" },
	};
	struct abac_event e;
	struct sink_rec r;
	char out[8192];
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		deny_event(&e, &r, "/srv/x");
		e.op = map[i].op;
		ocsf_of(&r, out, sizeof(out));
		ASSERT_TRUE(one_json_line(out));
		EXPECT_NE(NULL, strstr(out, map[i].want)) {
			TH_LOG("op %u: %s", map[i].op, out);
		}
	}
}

TEST(ocsf_network_audit_and_folded)
{
	struct abac_event e;
	struct sink_rec r;
	char out[8192];

	deny_event(&e, &r, "[2001:db8::1]:443");
	e.op = ABAC_OP_CONNECT;
	e.ino = 0;
	r.op = "connect";
	ocsf_of(&r, out, sizeof(out));
	TH_LOG("%s", out);
	ASSERT_TRUE(one_json_line(out));
	ASSERT_NE(NULL, strstr(out, "\"category_uid\":4,\"category_name\":\"Network Activity\",\"class_uid\":4001,\"class_name\":\"Network Activity\",\"activity_id\":5,\"activity_name\":\"Refuse\",\"type_uid\":400105"));
	ASSERT_NE(NULL, strstr(out, "\"dst_endpoint\":{\"ip\":\"2001:db8::1\",\"port\":443}"));
	ASSERT_EQ(NULL, strstr(out, "\"file\":"));

	deny_event(&e, &r, "10.1.2.3:8080");
	e.op = ABAC_OP_BIND;
	ocsf_of(&r, out, sizeof(out));
	ASSERT_TRUE(one_json_line(out));
	ASSERT_NE(NULL, strstr(out, "\"activity_id\":99,\"activity_name\":\"Bind\",\"type_uid\":400199"));
	ASSERT_NE(NULL, strstr(out, "\"src_endpoint\":{\"ip\":\"10.1.2.3\",\"port\":8080}"));

	deny_event(&e, &r, "/srv/x");
	e.allowed = 1;
	e.mode = ABAC_MODE_AUDIT;
	r.decision = "audit";
	e.count = 4;
	e.fold = ABAC_FOLD_OBJECT;
	r.first_ns = T0_NS - 3000000000LL;
	ocsf_of(&r, out, sizeof(out));
	ASSERT_TRUE(one_json_line(out));
	ASSERT_NE(NULL, strstr(out, "\"severity_id\":2,\"severity\":\"Low\",\"status_id\":1,\"status\":\"Success\",\"disposition_id\":15,\"disposition\":\"Detected\""));
	ASSERT_NE(NULL, strstr(out, "\"count\":4,\"start_time\":1796536797123,\"end_time\":1796536800123"));

	deny_event(&e, &r, "/proc/1/mem\"\\");
	e.reason = ABAC_REASON_GUARD;
	r.guard = "agent-proc";
	ocsf_of(&r, out, sizeof(out));
	ASSERT_TRUE(one_json_line(out));
	ASSERT_NE(NULL, strstr(out, "\"severity_id\":4,\"severity\":\"High\""));
	ASSERT_NE(NULL, strstr(out, "\"guard\":\"agent-proc\""));
	ASSERT_NE(NULL, strstr(out, "\"path\":\"/proc/1/mem\\\"\\\\\""));

	r.kind = SINK_LOST;
	ocsf_of(&r, out, sizeof(out));
	ASSERT_STREQ("", out);
}

/* ---- a Prometheus text reader ---------------------------------------- */

/*
 * Check the exposition format line by line: "# HELP name text", "# TYPE
 * name counter|gauge" (once a name, before its samples), and samples
 * "name{label="value",...} number" with only \\, \" and \n escaped in
 * values.  Returns 0 or the line (1-based) that is wrong.
 */
static int prom_check(const char *text)
{
	char typed[64][64], name[64];
	int ntyped = 0, line = 0, i, k;
	const char *p = text, *nl;

	for (; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		line++;
		if (!nl)
			return line;	/* the last line ends too */
		if (!strncmp(p, "# HELP ", 7))
			continue;
		if (!strncmp(p, "# TYPE ", 7)) {
			if (sscanf(p + 7, "%63[a-zA-Z0-9_:]", name) != 1)
				return line;
			k = strlen(name);
			if (strncmp(p + 7 + k, " counter\n", 9) &&
			    strncmp(p + 7 + k, " gauge\n", 7))
				return line;
			for (i = 0; i < ntyped; i++)
				if (!strcmp(typed[i], name))
					return line;	/* typed twice */
			if (ntyped == 64)
				return line;
			strcpy(typed[ntyped++], name);
			continue;
		}
		if (*p == '#')
			return line;
		if (sscanf(p, "%63[a-zA-Z0-9_:]", name) != 1)
			return line;
		for (i = 0; i < ntyped && strcmp(typed[i], name); i++)
			;
		if (i == ntyped)
			return line;	/* a sample before its TYPE */
		p += strlen(name);
		if (*p == '{') {
			do {
				p++;
				while ((*p >= 'a' && *p <= 'z') || *p == '_')
					p++;
				if (strncmp(p, "=\"", 2))
					return line;
				for (p += 2; *p != '"'; p++) {
					if (*p == '\n' || !*p)
						return line;
					if (*p == '\\' && !strchr("\\\"n", *++p))
						return line;
				}
				p++;
			} while (*p == ',');
			if (*p++ != '}')
				return line;
		}
		if (*p++ != ' ' || *p < '0' || *p > '9')
			return line;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p != nl)
			return line;
	}
	return 0;
}

static void metrics_of(const struct metrics_info *i, char *out, size_t sz)
{
	FILE *f = fmemopen(out, sz, "w");

	out[0] = '\0';
	if (!f)
		return;
	if (metrics_format(f, i))
		out[0] = '\0';
	fclose(f);
}

static void info_of(struct metrics_info *i)
{
	memset(i, 0, sizeof(*i));
	i->up = true;
	i->generation = 7;
	i->policy = "hospital \"main\"";
	snprintf(i->hash, sizeof(i->hash), "0x1122334455667788");
	i->backend = "bpf";
	i->have_kernel = true;
	i->kernel.decisions = 100;
	i->kernel.denied = 9;
	i->kernel.events_lost = 2;
	i->kernel.guarded = 1;
	i->kernel.folded = 4;
	i->received = 6;
	i->syslog_on = true;
	i->syslog_sent = 5;
	i->syslog_dropped = 1;
}

TEST(metrics_count_by_rule_and_op_and_escape_labels)
{
	static char out[65536];
	struct metrics_info info;
	struct abac_event e;
	struct sink_rec r;
	int bad;

	metrics_reset();
	deny_event(&e, &r, "/srv/x");
	metrics_note(&r);
	e.count = 3;
	e.fold = ABAC_FOLD_OBJECT;
	metrics_note(&r);		/* a folded record: 3 more */
	deny_event(&e, &r, "/srv/x");
	e.op = ABAC_OP_WRITE;
	r.op = "write";
	r.rule = "odd\\rule\"with\nnewline";
	metrics_note(&r);
	deny_event(&e, &r, "/sys/fs/bpf");
	e.reason = ABAC_REASON_GUARD;
	e.guard = ABAC_GUARD_BPFFS;
	r.rule = NULL;
	r.reason = "guard";
	r.guard = "bpffs";
	metrics_note(&r);
	deny_event(&e, &r, "/srv/x");
	e.effect = ABAC_ALLOW;
	r.decision = "allow";
	metrics_note(&r);
	info_of(&info);
	metrics_of(&info, out, sizeof(out));
	TH_LOG("\n%s", out);
	bad = prom_check(out);
	ASSERT_EQ(0, bad);
	ASSERT_NE(NULL, strstr(out, "\nabac_denials_total{rule=\"clerks-no-records\",reason=\"rule\",op=\"read\",decision=\"deny\"} 4\n"));
	ASSERT_NE(NULL, strstr(out, "\nabac_denials_total{rule=\"odd\\\\rule\\\"with\\nnewline\",reason=\"rule\",op=\"write\",decision=\"deny\"} 1\n"));
	ASSERT_NE(NULL, strstr(out, "\nabac_denials_total{rule=\"\",reason=\"guard\",op=\"read\",decision=\"deny\"} 1\n"));
	ASSERT_NE(NULL, strstr(out, "\nabac_tamper_refusals_by_kind_total{kind=\"bpffs\"} 1\n"));
	ASSERT_NE(NULL, strstr(out, "\nabac_allows_sampled_total 1\n"));
	ASSERT_NE(NULL, strstr(out, "\nabac_folded_records_total 1\n"));
	ASSERT_NE(NULL, strstr(out, "\nabac_events_lost_total 2\n"));
	ASSERT_NE(NULL, strstr(out, "\nabac_tamper_refusals_total 1\n"));
	ASSERT_NE(NULL, strstr(out, "\nabac_syslog_dropped_total 1\n"));
	ASSERT_NE(NULL, strstr(out, "abac_policy_info{policy=\"hospital \\\"main\\\"\",hash=\"0x1122334455667788\",generation=\"7\",backend=\"bpf\"} 1\n"));
	ASSERT_NE(NULL, strstr(out, "# TYPE abac_up gauge\nabac_up 1\n"));
	/* the checker itself refuses what is wrong */
	ASSERT_NE(0, prom_check("# TYPE a counter\na{x=\"\\q\"} 1\n"));
	ASSERT_NE(0, prom_check("a 1\n"));
	ASSERT_NE(0, prom_check("# TYPE a counter\na{x=\"1\"\"} 1\n"));
	metrics_reset();
}

TEST(metrics_file_is_replaced_whole_and_readable)
{
	char dir[] = "/tmp/abac-metrics-XXXXXX", path[128], tmp[160];
	struct metrics_info info;
	struct stat st;
	char *text;
	FILE *f;
	long n;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/abac.prom", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	/* a link where the temporary file goes is not followed */
	ASSERT_EQ(0, symlink("/tmp/abac-metrics-victim", tmp));
	info_of(&info);
	info.up = false;
	umask(077);
	ASSERT_EQ(0, metrics_write(path, &info));
	ASSERT_EQ(-1, lstat(tmp, &st));
	ASSERT_EQ(-1, lstat("/tmp/abac-metrics-victim", &st));
	ASSERT_EQ(0, stat(path, &st));
	ASSERT_EQ(0644U, st.st_mode & 0777);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	text = calloc(1, 65536);
	n = fread(text, 1, 65535, f);
	fclose(f);
	ASSERT_LT(0, n);
	ASSERT_EQ(0, prom_check(text));
	ASSERT_NE(NULL, strstr(text, "\nabac_up 0\n"));
	free(text);
	ASSERT_EQ(-ENOENT, metrics_write("/nonexistent-dir/abac.prom", &info));
	unlink(path);
	rmdir(dir);
}

/* build/ from this binary's path (build/selftests/host/siem_test). */
static int build_dir(char *buf, size_t sz)
{
	ssize_t n = readlink("/proc/self/exe", buf, sz - 1);
	char *slash;
	int up;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	for (up = 0; up < 3; up++) {
		slash = strrchr(buf, '/');
		if (!slash)
			return -1;
		*slash = '\0';
	}
	return 0;
}

/*
 * The metrics file is renamed over at each write, so the guard can keep
 * only its directory: abacd refuses one that everything shares.
 */
TEST(metrics_in_a_shared_directory_are_refused)
{
	char build[1024], cmd[2048];
	int st;

	ASSERT_EQ(0, build_dir(build, sizeof(build)));
	snprintf(cmd, sizeof(cmd),
		 "'%s/abacd' --metrics /tmp/abac-shared.prom 2>&1 | grep -q 'directory is shared: give the metrics file a directory of its own'",
		 build);
	st = system(cmd);
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st));
	EXPECT_EQ(-1, access("/tmp/abac-shared.prom", F_OK));
}

/*
 * An abacd that refuses to start (another answers on its socket) must
 * not write "abac_up 0" over the running one's metrics file.
 */
TEST(second_abacd_leaves_the_running_ones_metrics_alone)
{
	char dir[] = "/tmp/abac-second-XXXXXX", build[1024], cmd[4096];
	char sock[96], prom[96], *text;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	FILE *f;
	int fd, st;

	ASSERT_EQ(0, build_dir(build, sizeof(build)));
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(sock, sizeof(sock), "%s/abacd.sock", dir);
	snprintf(prom, sizeof(prom), "%s/abac.prom", dir);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, fd);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&sa, sizeof(sa)));
	ASSERT_EQ(0, listen(fd, 4));
	f = fopen(prom, "w");
	ASSERT_NE(NULL, f);
	fputs("abac_up 1\n", f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "'%s/abacd' --socket %s --metrics %s --state-dir %s/state --log %s/events.jsonl 2>%s/err",
		 build, sock, prom, dir, dir, dir);
	st = system(cmd);
	ASSERT_TRUE(WIFEXITED(st));
	ASSERT_EQ(1, WEXITSTATUS(st));
	snprintf(cmd, sizeof(cmd), "grep -q 'another abacd answers' %s/err", dir);
	ASSERT_EQ(0, system(cmd));
	text = NULL;
	f = fopen(prom, "r");
	ASSERT_NE(NULL, f);
	ASSERT_LT(0, getline(&text, &(size_t){ 0 }, f));
	fclose(f);
	ASSERT_STREQ("abac_up 1\n", text);
	free(text);
	close(fd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ASSERT_EQ(0, system(cmd));
}

TEST_HARNESS_MAIN
