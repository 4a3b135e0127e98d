// SPDX-License-Identifier: GPL-2.0-only
/*
 * OCSF-shaped JSON (Open Cybersecurity Schema Framework 1.1.0), one
 * object a line in a file of its own (--ocsf FILE), beside the event log
 * and opened as carefully (logfile.c).  A decision on a file is a "File
 * System Activity" (class 1001), one on a socket address a "Network
 * Activity" (class 4001); the access control outcome is the
 * security_control profile's disposition, and what OCSF has no attribute
 * for (the rule, the cgroup, the subject's tags) goes under "unmapped".
 * The mapping table is in Documentation/deployment.rst.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abacd.h"
#include "json.h"
#include "sink.h"

#define OCSF_VERSION	"1.1.0"

static __u64 errors;

/**
 * struct ocsf_class - where an operation lands in OCSF.
 * @class_uid: the class.
 * @activity_id: its activity (99: Other, named by @activity_name).
 * @activity_name: the activity's name.
 */
struct ocsf_class {
	unsigned int class_uid;
	unsigned int activity_id;
	const char *activity_name;
};

/*
 * File System Activity's activities: 1 Create, 2 Read, 3 Update,
 * 4 Delete, 7 Set Security; exec and administer have none (99 Other).
 * Network Activity's: 1 Open; a refused connect is 5 Refuse; bind and
 * listen have none in 1.1.0 (99 Other).
 */
static struct ocsf_class class_of(const struct abac_event *e)
{
	switch (e->op) {
	case ABAC_OP_READ:
		return (struct ocsf_class){ 1001, 2, "Read" };
	case ABAC_OP_WRITE:
		return (struct ocsf_class){ 1001, 3, "Update" };
	case ABAC_OP_CREATE:
		return (struct ocsf_class){ 1001, 1, "Create" };
	case ABAC_OP_DELETE:
		return (struct ocsf_class){ 1001, 4, "Delete" };
	case ABAC_OP_RELABEL:
		return (struct ocsf_class){ 1001, 7, "Set Security" };
	case ABAC_OP_EXEC:
		return (struct ocsf_class){ 1001, 99, "Execute" };
	case ABAC_OP_CONNECT:
		if (e->effect == ABAC_ALLOW || e->allowed)
			return (struct ocsf_class){ 4001, 1, "Open" };
		return (struct ocsf_class){ 4001, 5, "Refuse" };
	case ABAC_OP_BIND:
		return (struct ocsf_class){ 4001, 99, "Bind" };
	case ABAC_OP_LISTEN:
		return (struct ocsf_class){ 4001, 99, "Listen" };
	default:
		return (struct ocsf_class){ 1001, 99, "Administer" };
	}
}

static __u64 ms(__s64 ns)
{
	return ns > 0 ? (__u64)ns / 1000000 : 0;
}

/* "10.0.0.1:443" or "[2001:db8::1]:443" as an OCSF endpoint. */
static void endpoint(struct abac_json *j, const char *key, const char *text)
{
	char addr[INET6_ADDRSTRLEN], buf[16];
	const char *port, *a = text, *end;
	unsigned long p;
	char *tail;

	if (*a == '[') {
		a++;
		end = strchr(a, ']');
		port = end && end[1] == ':' ? end + 2 : NULL;
	} else {
		end = strrchr(a, ':');
		port = end ? end + 1 : NULL;
	}
	if (!port || end - a >= (long)sizeof(addr))
		return;
	memcpy(addr, a, end - a);
	addr[end - a] = '\0';
	if (inet_pton(*text == '[' ? AF_INET6 : AF_INET, addr, buf) != 1)
		return;
	p = strtoul(port, &tail, 10);
	if (*tail || !*port || p > 65535)
		return;
	abac_json_key(j, key);
	abac_json_obj_begin(j);
	abac_json_kv_str(j, "ip", addr);
	abac_json_kv_u64(j, "port", p);
	abac_json_obj_end(j);
}

static void object(struct abac_json *j, const struct abac_event *e,
		   unsigned int class_uid)
{
	size_t n = strnlen(e->path, sizeof(e->path));
	const char *base = memrchr(e->path, '/', n);
	char uid[48];

	if (class_uid == 4001) {
		char text[ABAC_PATH_MAX + 1];

		memcpy(text, e->path, n);
		text[n] = '\0';
		endpoint(j, e->op == ABAC_OP_CONNECT ? "dst_endpoint" :
			 "src_endpoint", text);
		return;
	}
	abac_json_key(j, "file");
	abac_json_obj_begin(j);
	abac_json_key(j, "path");
	abac_json_strn(j, e->path, n);
	abac_json_key(j, "name");
	base = base ? base + 1 : e->path;
	abac_json_strn(j, base, e->path + n - base);
	abac_json_kv_u64(j, "type_id", 0);
	abac_json_kv_str(j, "type", "Unknown");
	if (e->ino) {
		snprintf(uid, sizeof(uid), "%u:%u:%llu", e->dev >> 20,
			 e->dev & 0xfffff, (unsigned long long)e->ino);
		abac_json_kv_str(j, "uid", uid);
	}
	abac_json_obj_end(j);
}

/*
 * The outcome: severity (a tamper refusal High, a denial Medium, an
 * audit-mode denial Low, a sampled allow Informational), status and the
 * security_control profile's disposition (Blocked, Detected, Allowed).
 */
static void outcome(struct abac_json *j, const struct sink_rec *r)
{
	const struct abac_event *e = r->e;
	bool deny = e->effect != ABAC_ALLOW && !e->allowed;
	bool audit = e->effect != ABAC_ALLOW && e->allowed;
	const char *code = e->errno_val ? strerrorname_np(e->errno_val) : NULL;

	if (r->guard) {
		abac_json_kv_u64(j, "severity_id", 4);
		abac_json_kv_str(j, "severity", "High");
	} else {
		abac_json_kv_u64(j, "severity_id", deny ? 3 : audit ? 2 : 1);
		abac_json_kv_str(j, "severity", deny ? "Medium" : audit ?
				 "Low" : "Informational");
	}
	abac_json_kv_u64(j, "status_id", deny ? 2 : 1);
	abac_json_kv_str(j, "status", deny ? "Failure" : "Success");
	if (deny)
		abac_json_kv_str(j, "status_code", code ? code : "-");
	abac_json_kv_u64(j, "disposition_id", deny ? 2 : audit ? 15 : 1);
	abac_json_kv_str(j, "disposition", deny ? "Blocked" : audit ?
			 "Detected" : "Allowed");
}

static void actor(struct abac_json *j, const struct abac_event *e)
{
	char uid[16];

	abac_json_key(j, "actor");
	abac_json_obj_begin(j);
	abac_json_key(j, "process");
	abac_json_obj_begin(j);
	abac_json_kv_u64(j, "pid", e->pid);
	abac_json_key(j, "name");
	abac_json_strn(j, e->comm, strnlen(e->comm, sizeof(e->comm)));
	abac_json_key(j, "user");
	abac_json_obj_begin(j);
	snprintf(uid, sizeof(uid), "%u", e->uid);
	abac_json_kv_str(j, "uid", uid);
	abac_json_obj_end(j);
	abac_json_obj_end(j);
	abac_json_obj_end(j);
}

static void metadata(struct abac_json *j, const struct sink_rec *r)
{
	abac_json_key(j, "metadata");
	abac_json_obj_begin(j);
	abac_json_kv_str(j, "version", OCSF_VERSION);
	abac_json_key(j, "product");
	abac_json_obj_begin(j);
	abac_json_kv_str(j, "name", "abac");
	abac_json_kv_str(j, "vendor_name", "abac");
	abac_json_kv_str(j, "version", ABACD_VERSION);
	abac_json_obj_end(j);
	abac_json_key(j, "profiles");
	abac_json_arr_begin(j);
	abac_json_str(j, "security_control");
	abac_json_arr_end(j);
	abac_json_kv_str(j, "uid", r->event_id);
	abac_json_obj_end(j);
}

static void policy(struct abac_json *j, const struct sink_rec *r)
{
	char gen[16];

	abac_json_key(j, "policy");
	abac_json_obj_begin(j);
	abac_json_kv_str(j, "name", r->policy ? r->policy : "-");
	abac_json_kv_str(j, "uid", r->hash);
	snprintf(gen, sizeof(gen), "%u", r->e->generation);
	abac_json_kv_str(j, "version", gen);
	abac_json_obj_end(j);
}

/* What OCSF has no attribute for: abac's own names, as the log has them. */
static void unmapped(struct abac_json *j, const struct sink_rec *r)
{
	const struct abac_event *e = r->e;

	abac_json_key(j, "unmapped");
	abac_json_obj_begin(j);
	abac_json_kv_str(j, "decision", r->decision);
	abac_json_kv_str(j, "op", r->op);
	abac_json_kv_str(j, "rule", r->rule);
	abac_json_kv_str(j, "reason", r->reason);
	if (r->guard)
		abac_json_kv_str(j, "guard", r->guard);
	abac_json_kv_str(j, "cgroup", r->cgroup);
	abac_json_kv_str(j, "subject_tags", r->tags);
	abac_json_kv_str(j, "mode", e->mode == ABAC_MODE_AUDIT ?
			 "audit" : "enforce");
	abac_json_kv_u64(j, "errno", e->errno_val);
	abac_json_key(j, "path");
	abac_json_strn(j, e->path, strnlen(e->path, sizeof(e->path)));
	if (e->lost_before)
		abac_json_kv_u64(j, "lost_before", e->lost_before);
	abac_json_obj_end(j);
}

/**
 * ocsf_format() - one decision as an OCSF event, a line.
 * @f: where to write it.
 * @r: the record (SINK_DECISION).
 * @host: the device's hostname.
 *
 * Return: 0, -EINVAL for a record OCSF gets none for, or -EIO.
 */
int ocsf_format(FILE *f, const struct sink_rec *r, const char *host)
{
	const struct abac_event *e = r->e;
	struct ocsf_class c;
	struct abac_json j;
	char type[80];

	if (r->kind != SINK_DECISION || !e)
		return -EINVAL;
	c = class_of(e);
	abac_json_init(&j, f, false);
	abac_json_obj_begin(&j);
	metadata(&j, r);
	abac_json_kv_u64(&j, "time", ms(r->time_ns));
	abac_json_kv_u64(&j, "category_uid", c.class_uid / 1000);
	abac_json_kv_str(&j, "category_name", c.class_uid == 1001 ?
			 "System Activity" : "Network Activity");
	abac_json_kv_u64(&j, "class_uid", c.class_uid);
	abac_json_kv_str(&j, "class_name", c.class_uid == 1001 ?
			 "File System Activity" : "Network Activity");
	abac_json_kv_u64(&j, "activity_id", c.activity_id);
	abac_json_kv_str(&j, "activity_name", c.activity_name);
	abac_json_kv_u64(&j, "type_uid", c.class_uid * 100ULL + c.activity_id);
	snprintf(type, sizeof(type), "%s: %s", c.class_uid == 1001 ?
		 "File System Activity" : "Network Activity", c.activity_name);
	abac_json_kv_str(&j, "type_name", type);
	outcome(&j, r);
	if (e->count > 1 || e->fold != ABAC_FOLD_NONE) {
		abac_json_kv_u64(&j, "count", e->count);
		abac_json_kv_u64(&j, "start_time", ms(r->first_ns));
		abac_json_kv_u64(&j, "end_time", ms(r->time_ns));
	}
	actor(&j, e);
	abac_json_key(&j, "device");
	abac_json_obj_begin(&j);
	abac_json_kv_str(&j, "hostname", host);
	abac_json_kv_u64(&j, "type_id", 0);
	abac_json_kv_str(&j, "type", "Unknown");
	abac_json_obj_end(&j);
	object(&j, e, c.class_uid);
	policy(&j, r);
	unmapped(&j, r);
	abac_json_obj_end(&j);	/* the writer ends a top-level value's line */
	return ferror(f) ? -EIO : 0;
}

/**
 * ocsf_open() - open (or reopen, after rotation) the OCSF file.
 * @d: the agent; @d->ocsf_fd gets the descriptor.
 *
 * Return: 0, or a negative errno, said; on a reopen that fails the file
 * it was before stays in use.
 */
int ocsf_open(struct abacd *d)
{
	char why[PATH_MAX + 64];
	int fd;

	fd = logfile_open_append(d->ocsf_path, d->abac_gid, why, sizeof(why));
	if (fd < 0) {
		say("failed to open OCSF file %s: %s", d->ocsf_path, why);
		return fd;
	}
	if (d->ocsf_fd >= 0)
		close(d->ocsf_fd);
	d->ocsf_fd = fd;
	return 0;
}

/**
 * ocsf_write() - append one record's OCSF line.
 * @d: the agent.
 * @r: the record.
 * @host: the device's hostname.
 */
void ocsf_write(struct abacd *d, const struct sink_rec *r, const char *host)
{
	static bool failing;
	static char *buf;
	static size_t size;
	static FILE *f;
	off_t end;

	if (!f)
		f = open_memstream(&buf, &size);
	end = -1;
	if (f && !fseeko(f, 0, SEEK_SET) && !ocsf_format(f, r, host) &&
	    !fflush(f))
		end = ftello(f);	/* older, longer lines may follow */
	if (end <= 0) {
		errors++;
		return;
	}
	if (write(d->ocsf_fd, buf, end) == end) {	/* O_APPEND, whole */
		if (failing)
			say("OCSF file %s works again", d->ocsf_path);
		failing = false;
		return;
	}
	errors++;
	if (!failing)
		say("failed to append to OCSF file %s", d->ocsf_path);
	failing = true;
}

/** ocsf_errors() - Return: OCSF lines not written since start. */
__u64 ocsf_errors(void)
{
	return errors;
}
