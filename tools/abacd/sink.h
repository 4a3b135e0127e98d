/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The outputs a security team reads beside the JSON-lines log, which
 * stays the source of truth: syslog (syslog.c), OCSF-shaped JSON
 * (ocsf.c) and Prometheus counters (metrics.c).  events.c hands every
 * record to sink.c, which resolves its names once into a struct sink_rec
 * and passes that to each output that is on.
 */
#ifndef _ABACD_SINK_H
#define _ABACD_SINK_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include <sys/socket.h>

#include "abacd.h"

/* The IANA Private Enterprise Number RFC 5612 reserves for examples. */
#define SINK_SD_ID		"abac@32473"
#define SINK_SYSLOG_DEFAULT	"/dev/log"
#define SINK_SYSLOG_MAX		8192	/* bytes of one syslog message */
#define SINK_METRICS_MS		5000	/* the metrics file's period */

/**
 * enum sink_kind - what a record is.
 * @SINK_DECISION: a decision event of the kernel (deny, audit, sampled
 *	allow, tamper refusal).
 * @SINK_LOST: the ring buffer had no room for some events.
 */
enum sink_kind {
	SINK_DECISION,
	SINK_LOST,
};

/**
 * struct sink_rec - one record, its names resolved for every output.
 * @kind: enum sink_kind.
 * @e: the event (SINK_DECISION), or NULL.
 * @time_ns: when it happened, CLOCK_REALTIME ns.
 * @first_ns: a folded record: its first decision, CLOCK_REALTIME ns.
 * @decision: "deny", "audit", "allow" or "lost".
 * @op: the operation's name.
 * @rule: the deciding rule's id, or NULL.
 * @reason: why ("rule", "default", "guard", ...).
 * @guard: a tamper refusal's kind, or NULL.
 * @policy: the policy's name, or NULL.
 * @cgroup: the process's cgroup (path or id), or NULL when not looked up.
 * @tags: the subject's tags, or NULL.
 * @hash: the image's content hash, "0x" and 16 hex digits.
 * @event_id: the JSON log's "event_id" of the same record.
 * @lost: SINK_LOST: events lost since the last report.
 * @lost_total: SINK_LOST: events lost in all.
 * @lost_from: SINK_LOST: whose they were, or NULL.
 */
struct sink_rec {
	enum sink_kind kind;
	const struct abac_event *e;
	__s64 time_ns;
	__s64 first_ns;
	const char *decision;
	const char *op;
	const char *rule;
	const char *reason;
	const char *guard;
	const char *policy;
	const char *cgroup;
	const char *tags;
	char hash[24];
	char event_id[48];
	__u64 lost;
	__u64 lost_total;
	const char *lost_from;
};

/**
 * struct syslog_target - where syslog messages go.
 * @text: the option's value, for messages.
 * @unix_path: a datagram socket's path, or "" for UDP.
 * @host: UDP: the host (name or address, without brackets).
 * @port: UDP: the port.
 */
struct syslog_target {
	const char *text;
	char unix_path[108];
	char host[256];
	char port[8];
};

/* syslog.c */
int syslog_target_parse(const char *arg, struct syslog_target *t,
			char *why, size_t why_sz);
int syslog_format(char *buf, size_t sz, const struct sink_rec *r,
		  const char *host, int pid);
int syslog_open(const struct syslog_target *t);
void syslog_send(const struct sink_rec *r, const char *host);
void syslog_close(void);
__u64 syslog_sent(void);
__u64 syslog_dropped(void);

/* ocsf.c */
int ocsf_format(FILE *f, const struct sink_rec *r, const char *host);
int ocsf_open(struct abacd *d);
void ocsf_write(struct abacd *d, const struct sink_rec *r, const char *host);
__u64 ocsf_errors(void);

/**
 * struct metrics_info - what the metrics file says besides the counts of
 *	records seen: the agent and the kernel's own counters.
 * @up: abacd runs (0 in the file written at exit).
 * @generation: the image generation in force.
 * @policy: the policy's name, or NULL.
 * @hash: the image's content hash, or "".
 * @backend: "bpf", "native", ...
 * @have_kernel: @kernel was read.
 * @kernel: the kernel's counters.
 * @received: events read since start.
 * @log_errors: events the log could not take.
 * @syslog_on: syslog is on.
 * @syslog_sent: messages sent.
 * @syslog_dropped: messages dropped.
 * @ocsf_on: the OCSF file is on.
 * @ocsf_errors: OCSF lines not written.
 */
struct metrics_info {
	bool up;
	__u32 generation;
	const char *policy;
	char hash[24];
	const char *backend;
	bool have_kernel;
	struct abac_counters kernel;
	__u64 received;
	__u64 log_errors;
	bool syslog_on;
	__u64 syslog_sent;
	__u64 syslog_dropped;
	bool ocsf_on;
	__u64 ocsf_errors;
};

/* metrics.c */
void metrics_note(const struct sink_rec *r);
int metrics_format(FILE *f, const struct metrics_info *m);
int metrics_write(const char *path, const struct metrics_info *m);
void metrics_reset(void);

#endif /* _ABACD_SINK_H */
