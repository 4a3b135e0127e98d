// SPDX-License-Identifier: GPL-2.0-only
/*
 * Counters for a monitoring system: the Prometheus text exposition
 * format (version 0.0.4), written to a file for node_exporter's textfile
 * collector (--metrics FILE) every SINK_METRICS_MS and at exit.  The file
 * is written beside its name and renamed over it, so that the collector
 * never reads half of it.
 *
 * Two sources: the kernel's counters (struct abac_counters, which live
 * in the pinned map and count across restarts of abacd), and the records
 * abacd read since it started, counted here by rule, operation and
 * tamper kind (these start from 0 with each abacd, as Prometheus
 * counters may).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "abacd.h"
#include "sink.h"

/* Label sets kept by rule and operation; the rest counted as one. */
#define METRICS_SERIES_MAX	4096
#define RULE_OTHER		"(other)"

/**
 * struct series - the denials of one rule, operation and decision.
 * @rule: the rule's id ("" when no rule decided: see @reason).
 * @reason: why, as the log says it ("rule", "default", ...).
 * @op: the operation's name.
 * @decision: "deny" or "audit".
 * @n: decisions (a folded record counts for each it stands for).
 */
struct series {
	char *rule;
	const char *reason;
	const char *op;
	const char *decision;
	__u64 n;
};

static struct {
	struct series *v;
	size_t n, cap;
	__u64 allows_sampled;
	__u64 folded_records;
	__u64 guard[ABAC_GUARD_COUNT];
	__u64 lost_reports;
} m;

static struct series *series_find(const char *rule, const char *reason,
				  const char *op, const char *decision)
{
	struct series *s;
	size_t i, cap;

	for (i = 0; i < m.n; i++) {
		s = &m.v[i];
		if (!strcmp(s->rule, rule) && !strcmp(s->reason, reason) &&
		    !strcmp(s->op, op) && !strcmp(s->decision, decision))
			return s;
	}
	if (m.n == METRICS_SERIES_MAX)
		return NULL;
	if (m.n == m.cap) {
		cap = m.cap ? m.cap * 2 : 16;
		s = realloc(m.v, cap * sizeof(*s));
		if (!s)
			return NULL;
		m.v = s;
		m.cap = cap;
	}
	s = &m.v[m.n];
	s->rule = strdup(rule);
	if (!s->rule)
		return NULL;
	s->reason = reason;
	s->op = op;
	s->decision = decision;
	s->n = 0;
	m.n++;
	return s;
}

/**
 * metrics_note() - count one record.
 * @r: the record.
 *
 * The names in @r that series keep without copying (reason, op,
 * decision) are the static tables' strings.
 */
void metrics_note(const struct sink_rec *r)
{
	const struct abac_event *e = r->e;
	__u64 n = e && e->count ? e->count : 1;
	struct series *s;

	if (r->kind == SINK_LOST) {
		m.lost_reports++;
		return;
	}
	if (e->count > 1 || e->fold != ABAC_FOLD_NONE)
		m.folded_records++;
	if (e->effect == ABAC_ALLOW) {
		m.allows_sampled += n;
		return;
	}
	if (r->guard && e->guard < ABAC_GUARD_COUNT)
		m.guard[e->guard] += n;
	s = series_find(r->rule ? r->rule : "", r->reason, r->op, r->decision);
	if (!s)
		s = series_find(RULE_OTHER, "other", "other", r->decision);
	if (s)
		s->n += n;
}

/** metrics_reset() - forget the counts (for tests). */
void metrics_reset(void)
{
	size_t i;

	for (i = 0; i < m.n; i++)
		free(m.v[i].rule);
	free(m.v);
	memset(&m, 0, sizeof(m));
}

/*
 * A label value as the exposition format quotes it: backslash, double
 * quote and line feed escaped.
 */
static void label_value(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '"')
			fputs("\\\"", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void head(FILE *f, const char *name, const char *type,
		 const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void sample(FILE *f, const char *name, __u64 v)
{
	fprintf(f, "%s %llu\n", name, (unsigned long long)v);
}

static void counter(FILE *f, const char *name, const char *help, __u64 v)
{
	head(f, name, "counter", help);
	sample(f, name, v);
}

static void agent_part(FILE *f, const struct metrics_info *i)
{
	head(f, "abac_up", "gauge",
	     "1 while abacd runs; 0 in the file it writes as it exits.");
	sample(f, "abac_up", i->up);
	head(f, "abac_policy_info", "gauge",
	     "The policy in force: its name, content hash and generation.");
	fputs("abac_policy_info{policy=", f);
	label_value(f, i->policy ? i->policy : "");
	fputs(",hash=", f);
	label_value(f, i->hash);
	fprintf(f, ",generation=\"%u\",backend=", i->generation);
	label_value(f, i->backend);
	fputs("} 1\n", f);
	head(f, "abac_policy_generation", "gauge",
	     "The generation of the image in force.");
	sample(f, "abac_policy_generation", i->generation);
	counter(f, "abac_events_received_total",
		"Events abacd read from the kernel since it started.",
		i->received);
	counter(f, "abac_event_log_errors_total",
		"Events the JSON-lines log could not take since abacd started.",
		i->log_errors);
	if (i->syslog_on) {
		counter(f, "abac_syslog_sent_total",
			"Syslog messages sent since abacd started.",
			i->syslog_sent);
		counter(f, "abac_syslog_dropped_total",
			"Syslog messages dropped (receiver absent, full or refusing) since abacd started.",
			i->syslog_dropped);
	}
	if (i->ocsf_on)
		counter(f, "abac_ocsf_errors_total",
			"OCSF lines not written since abacd started.",
			i->ocsf_errors);
}

static void kernel_part(FILE *f, const struct abac_counters *k)
{
	counter(f, "abac_decisions_total",
		"Decisions the kernel took for tagged subjects.", k->decisions);
	counter(f, "abac_kernel_denied_total",
		"Accesses the kernel refused (tamper refusals included).",
		k->denied);
	counter(f, "abac_kernel_audited_total",
		"Denials let through in audit mode.", k->audited);
	counter(f, "abac_events_lost_total",
		"Events the ring buffer had no room for.", k->events_lost);
	counter(f, "abac_bad_labels_total",
		"Labels that did not parse (decided fail-closed).",
		k->bad_labels);
	counter(f, "abac_tamper_refusals_total",
		"Tamper attempts the guard refused.", k->guarded);
	counter(f, "abac_folded_total",
		"Denials folded into another's record rather than sent alone.",
		k->folded);
}

static void records_part(FILE *f)
{
	size_t i;

	head(f, "abac_denials_total", "counter",
	     "Denials (and audit-mode denials) in the events abacd read since it started, by rule and operation; a folded record counts for each decision.");
	for (i = 0; i < m.n; i++) {
		fputs("abac_denials_total{rule=", f);
		label_value(f, m.v[i].rule);
		fputs(",reason=", f);
		label_value(f, m.v[i].reason);
		fputs(",op=", f);
		label_value(f, m.v[i].op);
		fputs(",decision=", f);
		label_value(f, m.v[i].decision);
		fprintf(f, "} %llu\n", (unsigned long long)m.v[i].n);
	}
	head(f, "abac_tamper_refusals_by_kind_total", "counter",
	     "Tamper refusals in the events abacd read since it started, by kind.");
	for (i = 1; i < ABAC_GUARD_COUNT; i++) {
		if (!m.guard[i])
			continue;
		fputs("abac_tamper_refusals_by_kind_total{kind=", f);
		label_value(f, guard_names[i]);
		fprintf(f, "} %llu\n", (unsigned long long)m.guard[i]);
	}
	counter(f, "abac_allows_sampled_total",
		"Allowed decisions reported by sampling (events: sample-allows) since abacd started.",
		m.allows_sampled);
	counter(f, "abac_folded_records_total",
		"Records that stood for repeated denials since abacd started.",
		m.folded_records);
	counter(f, "abac_lost_reports_total",
		"Times abacd reported lost events since it started.",
		m.lost_reports);
}

/**
 * metrics_format() - the metrics, in the Prometheus text format.
 * @f: where to write them.
 * @i: the agent's side.
 *
 * Return: 0 or -EIO.
 */
int metrics_format(FILE *f, const struct metrics_info *i)
{
	agent_part(f, i);
	if (i->have_kernel)
		kernel_part(f, &i->kernel);
	records_part(f);
	return ferror(f) ? -EIO : 0;
}

/**
 * metrics_write() - write the metrics file: beside it, then renamed over
 *	it.
 * @path: the file (for node_exporter: a .prom file in its textfile
 *	directory).
 * @i: the agent's side.
 *
 * The file is 0644: node_exporter runs as a user of its own.
 *
 * Return: 0 or a negative errno.
 */
int metrics_write(const char *path, const struct metrics_info *i)
{
	char tmp[PATH_MAX];
	FILE *f;
	int fd, err = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	unlink(tmp);	/* whatever stood there, a link too */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, 0644)) {	/* whatever the umask */
		err = -errno;
		close(fd);
		goto out_unlink;
	}
	f = fdopen(fd, "w");
	if (!f) {
		err = -errno;
		close(fd);
		goto out_unlink;
	}
	err = metrics_format(f, i);
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
out_unlink:
	if (err)
		unlink(tmp);
	return err;
}
