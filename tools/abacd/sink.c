// SPDX-License-Identifier: GPL-2.0-only
/*
 * The outputs beside the JSON-lines log: events.c hands each record here
 * (sinks_event(), sinks_lost()), its names are resolved once into a
 * struct sink_rec, and each output that is on takes it: syslog (syslog.c),
 * OCSF JSON (ocsf.c), the metrics' counts (metrics.c).  None of them can
 * hold the log up: syslog never blocks, the OCSF file is a local file
 * like the log, and the metrics file is written from the loop's tick.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "abacd.h"
#include "sink.h"

static char hostname[256];
static bool syslog_on;
static bool metrics_on;	/* written once: this abacd owns the file */

static __s64 clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (__s64)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The process's cgroup as the log names it: its path, else its id. */
static void cgroup_text(struct abacd *d, __u64 id, char *buf, size_t sz)
{
	const struct subject *s = subject_by_id(d, id);

	if (s)
		snprintf(buf, sz, "%s", s->path);
	else if (cg_path_by_id(d, id, buf, sz))
		snprintf(buf, sz, "%llu", (unsigned long long)id);
}

static const char *decision_of(const struct abac_event *e)
{
	if (e->effect == ABAC_ALLOW)
		return "allow";
	return e->allowed ? "audit" : "deny";
}

/*
 * Fill @r from @e: names from the image that decided it.  The cgroup's
 * path costs a lookup: only syslog and OCSF (@named) want it.
 */
static void rec_fill(struct abacd *d, const struct abac_event *e,
		     __u64 id_epoch_ms, bool named, char *cg, size_t cg_sz,
		     struct sink_rec *r)
{
	const struct image *img = engine_image_for(d, e->generation,
						   e->content_hash);
	const struct abac_image_hdr *h = img ? img->buf : NULL;
	const struct subject *s = subject_by_id(d, e->subj_cgroup_id);
	__s64 off = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
	const char *nlp;

	memset(r, 0, sizeof(*r));
	r->kind = SINK_DECISION;
	r->e = e;
	r->time_ns = (__s64)e->boot_ns + off;
	r->first_ns = (__s64)e->first_ns + off;
	r->decision = decision_of(e);
	r->op = abac_op_name(e->op) ? abac_op_name(e->op) : "unknown";
	if (img && e->rule != ABAC_RULE_NONE)
		abac_image_rule_text(img->buf, img->len, e->rule, &r->rule,
				     &nlp);
	r->reason = e->reason <= ABAC_REASON_GUARD ? reason_names[e->reason] :
		    "unknown";
	if (e->reason == ABAC_REASON_GUARD)
		r->guard = e->guard < ABAC_GUARD_COUNT ? guard_names[e->guard] :
			   "unknown";
	r->policy = h ? abac_image_str(img->buf, img->len, h->name_str) : NULL;
	r->tags = s ? s->tags : NULL;
	snprintf(r->hash, sizeof(r->hash), "0x%016llx",
		 (unsigned long long)e->content_hash);
	snprintf(r->event_id, sizeof(r->event_id), "%llu.%llu",
		 (unsigned long long)id_epoch_ms,
		 (unsigned long long)d->received);
	if (named) {
		cgroup_text(d, e->cgroup_id, cg, cg_sz);
		r->cgroup = cg;
	}
}

/**
 * sinks_event() - hand one decision event to the outputs that are on.
 * @d: the agent.
 * @e: the event, as read from the kernel.
 * @id_epoch_ms: the start time events.c numbers events from, so that
 *	each output's "event_id" is the log's.
 */
void sinks_event(struct abacd *d, const struct abac_event *e,
		 __u64 id_epoch_ms)
{
	bool ocsf = d->ocsf_path && d->ocsf_fd >= 0;
	bool named = syslog_on || ocsf;
	struct sink_rec r;
	char cg[PATH_MAX];

	if (!named && !d->metrics_path)
		return;
	rec_fill(d, e, id_epoch_ms, named, cg, sizeof(cg), &r);
	if (syslog_on && r.e->effect != ABAC_ALLOW)	/* not sampled allows */
		syslog_send(&r, hostname);
	if (ocsf)
		ocsf_write(d, &r, hostname);
	if (d->metrics_path)
		metrics_note(&r);
}

/**
 * sinks_lost() - tell the outputs that the ring buffer lost events.
 * @d: the agent.
 * @lost: events lost since the last report.
 * @total: events lost in all (the kernel's count).
 * @from: whose they were (fold.c's names), or NULL.
 *
 * Syslog gets a message; the metrics count the report (the kernel's
 * count of lost events they read themselves); OCSF has no class for a loss of the source's own records (see
 * Documentation/deployment.rst).
 */
void sinks_lost(struct abacd *d, __u64 lost, __u64 total, const char *from)
{
	struct sink_rec r = {
		.kind = SINK_LOST,
		.decision = "lost",
		.op = "",
		.reason = "ring-buffer-full",
		.lost = lost,
		.lost_total = total,
		.lost_from = from,
	};

	r.time_ns = clock_ns(CLOCK_REALTIME);
	if (syslog_on)
		syslog_send(&r, hostname);
	if (d->metrics_path)
		metrics_note(&r);
}

/* What the metrics file says besides the counts of records. */
static void metrics_info_fill(struct abacd *d, bool up,
			      struct metrics_info *m)
{
	const struct abac_image_hdr *h = d->cur.buf;

	memset(m, 0, sizeof(*m));
	m->up = up;
	m->generation = d->generation;
	if (h) {
		m->policy = abac_image_str(d->cur.buf, d->cur.len,
					   h->name_str);
		snprintf(m->hash, sizeof(m->hash), "0x%016llx",
			 (unsigned long long)h->content_hash);
	}
	m->backend = backend_name(d);
	m->have_kernel = !backend_counters(d, &m->kernel);
	m->received = d->received;
	m->log_errors = d->log_errors;
	m->syslog_on = syslog_on;
	m->syslog_sent = syslog_sent();
	m->syslog_dropped = syslog_dropped();
	m->ocsf_on = d->ocsf_path != NULL;
	m->ocsf_errors = ocsf_errors();
}

static void metrics_flush(struct abacd *d, bool up)
{
	static bool failing;
	struct metrics_info m;
	int err;

	metrics_info_fill(d, up, &m);
	err = metrics_write(d->metrics_path, &m);
	if (err && !failing)
		say("failed to write metrics file %s: %s", d->metrics_path,
		    strerror(-err));
	else if (!err && failing)
		say("metrics file %s written again", d->metrics_path);
	failing = err != 0;
	d->metrics_due_ms = now_ms() + SINK_METRICS_MS;
}

/**
 * sinks_tick() - periodic work: the metrics file, every SINK_METRICS_MS.
 * @d: the agent.
 */
void sinks_tick(struct abacd *d)
{
	if (metrics_on && now_ms() >= d->metrics_due_ms)
		metrics_flush(d, true);
}

/**
 * sinks_timeout() - how long the loop may sleep for the outputs' sake.
 * @d: the agent.
 *
 * Return: milliseconds, or -1 for as long as it likes.
 */
int sinks_timeout(const struct abacd *d)
{
	__u64 now = now_ms();

	if (!d->metrics_path)
		return -1;
	return d->metrics_due_ms > now ? (int)(d->metrics_due_ms - now) : 0;
}

/**
 * sinks_open() - turn on the outputs the options asked for.
 * @d: the agent.
 *
 * A syslog socket that does not take messages yet (no daemon) is no
 * error: messages are dropped and counted until it does.
 *
 * Return: 0, or a negative errno, said (a file that cannot be opened).
 */
int sinks_open(struct abacd *d)
{
	struct syslog_target t;
	char why[256];
	int err;

	if (gethostname(hostname, sizeof(hostname) - 1) || !hostname[0])
		snprintf(hostname, sizeof(hostname), "-");
	if (d->syslog) {
		err = syslog_target_parse(d->syslog, &t, why, sizeof(why));
		if (err) {
			say("--syslog: %s", why);
			return err;
		}
		err = syslog_open(&t);
		if (err)
			return err;
		syslog_on = true;
	}
	if (d->ocsf_path) {
		err = ocsf_open(d);
		if (err)
			return err;
	}
	if (d->metrics_path) {
		metrics_flush(d, true);
		metrics_on = true;
	}
	return 0;
}

/**
 * sinks_reopen() - reopen the OCSF file (SIGHUP, after rotation).
 * @d: the agent.
 */
void sinks_reopen(struct abacd *d)
{
	if (d->ocsf_path)
		ocsf_open(d);
}

/**
 * sinks_close() - the metrics file a last time (abac_up 0), then close.
 * @d: the agent.
 *
 * Only an abacd that wrote the file says it is down: one that exits at
 * start (another abacd runs) leaves the running one's file alone.
 */
void sinks_close(struct abacd *d)
{
	if (metrics_on)
		metrics_flush(d, false);
	metrics_on = false;
	if (syslog_on)
		syslog_close();
	syslog_on = false;
	if (d->ocsf_fd >= 0)
		close(d->ocsf_fd);
	d->ocsf_fd = -1;
}
