// SPDX-License-Identifier: GPL-2.0-only
/*
 * The verbs of the control protocol (ctl.h).  Each one answers with one
 * response frame, text or JSON (--json); "events" answers with a frame
 * per event line.  Refusals say what was wrong in the form the CLI uses
 * ("Failed to <verb> <object>: why"), diagnostics as FILE:LINE:COL.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abacd.h"
#include "ctl.h"
#include "json.h"

/**
 * struct req - one request, its options taken off.
 * @argc: its arguments after the verb.
 * @argv: those arguments.
 * @json: "--json" was given.
 * @follow: "--follow" was given.
 * @allow_degraded: "--allow-degraded" was given (policy-apply).
 * @owner: "--owner=NAME" was given (subject-bind, subject-unbind): NAME.
 */
struct req {
	int argc;
	char **argv;
	bool json;
	bool follow;
	bool allow_degraded;
	const char *owner;
};

/**
 * struct verb - one verb of the protocol.
 * @name: the verb.
 * @min: fewest arguments.
 * @max: most arguments (-1: no limit).
 * @follow: takes "--follow".
 * @usage: its arguments, for a usage error.
 * @fn: its handler.
 */
struct verb {
	const char *name;
	int min, max;
	bool follow;
	const char *usage;
	int (*fn)(struct abacd *d, struct client *c, const struct req *r);
};

/**
 * struct out - a reply being written.
 * @f: the stream to write it to.
 * @buf: what was written, once closed.
 * @len: its bytes.
 * @j: a JSON writer on @f.
 */
struct out {
	FILE *f;
	char *buf;
	size_t len;
	struct abac_json j;
};

static int out_open(struct out *o)
{
	memset(o, 0, sizeof(*o));
	o->f = open_memstream(&o->buf, &o->len);
	if (!o->f)
		return -ENOMEM;
	abac_json_init(&o->j, o->f, false);
	return 0;
}

/* Send what was written as one frame; the trailing newline goes. */
static int out_send(struct abacd *d, struct client *c, int status,
		    struct out *o)
{
	static const char oom[] = "abacd is out of memory";
	int err;

	if (fclose(o->f)) {
		free(o->buf);
		return client_reply(d, c, ABAC_CTL_REFUSED, oom,
				    sizeof(oom) - 1);
	}
	if (o->len && o->buf[o->len - 1] == '\n')
		o->len--;
	err = client_reply(d, c, status, o->buf, o->len);
	free(o->buf);
	return err;
}

static int reply_msg(struct abacd *d, struct client *c, const struct req *r,
		     int status, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* A one-line answer: the text, or {"error": text} / {"message": text}. */
static int reply_msg(struct abacd *d, struct client *c, const struct req *r,
		     int status, const char *fmt, ...)
{
	char msg[PATH_MAX + 512];
	struct out o;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!r || !r->json || out_open(&o))
		return client_reply(d, c, status, msg, strlen(msg));
	abac_json_obj_begin(&o.j);
	abac_json_kv_str(&o.j, status ? "error" : "message", msg);
	abac_json_obj_end(&o.j);
	return out_send(d, c, status, &o);
}

/* "FILE:LINE:COL: error: MSG", leaving out what is not known. */
static void diags_plain(FILE *f, const struct abac_diags *diags)
{
	const struct abac_diag *g;
	size_t i;

	for (i = 0; i < diags->n; i++) {
		g = &diags->v[i];
		fputs(g->file, f);
		if (g->line)
			fprintf(f, ":%u", g->line);
		if (g->line && g->column)
			fprintf(f, ":%u", g->column);
		fprintf(f, ": %s: %s\n", g->warning ? "warning" : "error",
			g->msg);
	}
}

static void diags_json(struct abac_json *j, const struct abac_diags *diags)
{
	const struct abac_diag *g;
	size_t i;

	abac_json_key(j, "diagnostics");
	abac_json_arr_begin(j);
	for (i = 0; i < diags->n; i++) {
		g = &diags->v[i];
		abac_json_obj_begin(j);
		abac_json_kv_str(j, "file", g->file);
		abac_json_kv_u64(j, "line", g->line);
		abac_json_kv_u64(j, "column", g->column);
		abac_json_kv_str(j, "severity",
				 g->warning ? "warning" : "error");
		abac_json_kv_str(j, "message", g->msg);
		abac_json_obj_end(j);
	}
	abac_json_arr_end(j);
}

/*
 * A refusal with diagnostics.  One without a place in a file reads as one
 * line, "Failed to WHAT: why; nothing was changed"; others are listed as
 * FILE:LINE:COL lines first.  JSON: {"error", "file", "diagnostics"}.
 */
static int reply_diags(struct abacd *d, struct client *c, const struct req *r,
		       const char *what, const char *file,
		       const struct abac_diags *diags)
{
	char summary[PATH_MAX + 1024];
	bool one = diags->n == 1 && !diags->v[0].line;
	struct out o;

	if (one)
		snprintf(summary, sizeof(summary),
			 "Failed to %s: %s; nothing was changed", what,
			 diags->v[0].msg);
	else
		snprintf(summary, sizeof(summary),
			 "Failed to %s: %zu error%s; nothing was changed", what,
			 diags->errors, diags->errors == 1 ? "" : "s");
	if (out_open(&o))
		return reply_msg(d, c, r, ABAC_CTL_REFUSED, "%s", summary);
	if (r->json) {
		abac_json_obj_begin(&o.j);
		abac_json_kv_str(&o.j, "error", summary);
		abac_json_kv_str(&o.j, "file", file);
		diags_json(&o.j, diags);
		abac_json_obj_end(&o.j);
	} else {
		if (!one)
			diags_plain(o.f, diags);
		fputs(summary, o.f);
	}
	return out_send(d, c, ABAC_CTL_REFUSED, &o);
}

static const struct abac_image_hdr *cur_hdr(const struct abacd *d)
{
	return d->cur.buf;
}

static const char *cur_name(const struct abacd *d)
{
	const struct abac_image_hdr *h = cur_hdr(d);

	return h ? abac_image_str(d->cur.buf, d->cur.len, h->name_str) : "";
}

static const char *mode_name(unsigned int mode)
{
	return mode == ABAC_MODE_AUDIT ? "audit" : "enforce";
}

static void hash_text(const struct abac_image_hdr *h, char *buf, size_t sz)
{
	snprintf(buf, sz, "0x%016llx", (unsigned long long)h->content_hash);
}

/* ---- policy ------------------------------------------------------------ */

static int applied(struct abacd *d, struct client *c, const struct req *r,
		   const char *file, __u32 unenforced)
{
	const struct abac_image_hdr *h = cur_hdr(d);
	char hash[24], ops[256], note[300] = "";
	struct out o;

	hash_text(h, hash, sizeof(hash));
	engine_ops_text(unenforced, ops, sizeof(ops));
	if (unenforced)
		snprintf(note, sizeof(note),
			 "; degraded: %s not enforced by this kernel", ops);
	say("applied policy %s generation %u (hash %s) from %s%s",
	    cur_name(d), h->generation, hash, file, note);
	if (!r->json)
		return reply_msg(d, c, r, ABAC_CTL_OK,
				 "applied policy %s generation %u (hash %s)%s",
				 cur_name(d), h->generation, hash, note);
	if (out_open(&o))
		return reply_msg(d, c, NULL, ABAC_CTL_OK, "applied");
	abac_json_obj_begin(&o.j);
	abac_json_kv_bool(&o.j, "applied", true);
	abac_json_kv_str(&o.j, "policy", cur_name(d));
	abac_json_kv_str(&o.j, "file", file);
	abac_json_kv_u64(&o.j, "generation", h->generation);
	abac_json_kv_str(&o.j, "hash", hash);
	abac_json_kv_str(&o.j, "mode", mode_name(h->mode));
	abac_json_kv_u64(&o.j, "rules", h->nrules);
	abac_json_kv_u64(&o.j, "subjects", d->subj.n);
	abac_json_kv_str(&o.j, "unenforced", ops);
	abac_json_obj_end(&o.j);
	return out_send(d, c, ABAC_CTL_OK, &o);
}

static int do_policy_apply(struct abacd *d, struct client *c,
			   const struct req *r)
{
	const char *file = r->argv[0], *yaml = r->argv[1];
	struct abac_diags diags;
	__u32 unenforced;

	abac_diags_init(&diags);
	if (engine_apply(d, file, yaml, strlen(yaml), r->allow_degraded,
			 &unenforced, &diags)) {
		say("refused policy from %s: %s", file,
		    diags.n ? diags.v[0].msg : "error");
		reply_diags(d, c, r, "apply policy", file, &diags);
	} else {
		applied(d, c, r, file, unenforced);
	}
	abac_diags_free(&diags);
	return 0;
}

static int do_policy_show(struct abacd *d, struct client *c,
			  const struct req *r)
{
	struct out o;

	if (!d->cur.buf)
		return reply_msg(d, c, r, ABAC_CTL_REFUSED,
				 "Failed to show policy: no policy in force");
	if (out_open(&o))
		return reply_msg(d, c, r, ABAC_CTL_REFUSED,
				 "Failed to show policy: out of memory");
	abac_image_dump_policy(d->cur.buf, d->cur.len, d->policy, o.f,
			       r->json);
	return out_send(d, c, ABAC_CTL_OK, &o);
}

static int do_policy_source(struct abacd *d, struct client *c,
			    const struct req *r)
{
	struct out o;

	if (!d->source && d->cur.buf)
		return reply_msg(d, c, r, ABAC_CTL_REFUSED,
				 "Failed to show policy source: abacd holds none (the kernel enforces an image applied without it)");
	if (!d->source)
		return reply_msg(d, c, r, ABAC_CTL_REFUSED,
				 "Failed to show policy source: no policy in force");
	if (!r->json)
		return client_reply(d, c, ABAC_CTL_OK, d->source,
				    d->source_len);
	if (out_open(&o))
		return reply_msg(d, c, r, ABAC_CTL_REFUSED,
				 "Failed to show policy source: out of memory");
	abac_json_obj_begin(&o.j);
	abac_json_kv_str(&o.j, "policy", d->policy->name);
	abac_json_kv_u64(&o.j, "generation", d->generation);
	abac_json_key(&o.j, "source");
	abac_json_strn(&o.j, d->source, d->source_len);
	abac_json_obj_end(&o.j);
	return out_send(d, c, ABAC_CTL_OK, &o);
}

/* ---- subjects ---------------------------------------------------------- */

/*
 * The pairs from @first on joined by spaces, each quoted when its value
 * holds white space (abac_pair_quote()), as the library and the state
 * file take them.
 */
static char *join_pairs(const struct req *r, int first)
{
	size_t len = 0;
	char *s, *p, *q;
	int i;

	for (i = first; i < r->argc; i++)
		len += 2 * strlen(r->argv[i]) + 3;
	s = malloc(len + 1);
	if (!s)
		return NULL;
	for (p = s, i = first; i < r->argc; i++) {
		q = abac_pair_quote(r->argv[i]);
		if (!q) {
			free(s);
			return NULL;
		}
		p += sprintf(p, "%s%s", i > first ? " " : "", q);
		free(q);
	}
	*p = '\0';
	for (p = s; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';	/* a TAB or newline cuts a line */
	}
	return s;
}

static int tagged(struct abacd *d, struct client *c, const struct req *r,
		  const struct subject *s)
{
	struct out o;

	say("tagged cgroup %s: %s (generation %u)", s->path, s->tags,
	    d->generation);
	if (!r->json)
		return reply_msg(d, c, r, ABAC_CTL_OK,
				 "tagged cgroup %s: %s (generation %u)",
				 s->path, s->tags, d->generation);
	if (out_open(&o))
		return reply_msg(d, c, NULL, ABAC_CTL_OK, "tagged");
	abac_json_obj_begin(&o.j);
	abac_json_kv_str(&o.j, "tagged", s->path);
	abac_json_kv_u64(&o.j, "cgroup_id", s->id);
	abac_json_kv_u64(&o.j, "level", s->level);
	abac_json_kv_str(&o.j, "tags", s->tags);
	abac_json_kv_u64(&o.j, "generation", d->generation);
	abac_json_obj_end(&o.j);
	return out_send(d, c, ABAC_CTL_OK, &o);
}

static int do_subject_tag(struct abacd *d, struct client *c,
			  const struct req *r)
{
	char what[PATH_MAX + 16], *tags = join_pairs(r, 1);
	struct abac_diags diags;
	__u64 id;

	if (!tags)
		return reply_msg(d, c, r, ABAC_CTL_REFUSED,
				 "Failed to tag subject: out of memory");
	abac_diags_init(&diags);
	if (engine_tag(d, r->argv[0], tags, &diags)) {
		snprintf(what, sizeof(what), "tag subject %s", r->argv[0]);
		reply_diags(d, c, r, what, r->argv[0], &diags);
	} else if (!cg_stat(r->argv[0], &id) && subject_by_id(d, id)) {
		tagged(d, c, r, subject_by_id(d, id));
	} else {
		reply_msg(d, c, r, ABAC_CTL_OK, "tagged cgroup %s",
			  r->argv[0]);
	}
	abac_diags_free(&diags);
	free(tags);
	return 0;
}

static int do_subject_untag(struct abacd *d, struct client *c,
			    const struct req *r)
{
	char what[PATH_MAX + 16];
	struct abac_diags diags;

	abac_diags_init(&diags);
	if (engine_untag(d, r->argv[0], &diags)) {
		snprintf(what, sizeof(what), "untag subject %s", r->argv[0]);
		reply_diags(d, c, r, what, r->argv[0], &diags);
	} else {
		say("untagged cgroup %s (generation %u)", r->argv[0],
		    d->generation);
		reply_msg(d, c, r, ABAC_CTL_OK,
			  "untagged cgroup %s (generation %u)", r->argv[0],
			  d->generation);
	}
	abac_diags_free(&diags);
	return 0;
}

static void list_json(const struct abacd *d, struct abac_json *j)
{
	const struct subject *s;
	size_t i;

	abac_json_arr_begin(j);
	for (i = 0; i < d->subj.n; i++) {
		s = &d->subj.v[i];
		abac_json_obj_begin(j);
		abac_json_kv_str(j, "cgroup", s->path);
		abac_json_kv_u64(j, "cgroup_id", s->id);
		abac_json_kv_u64(j, "level", s->level);
		abac_json_kv_str(j, "tags", s->tags);
		abac_json_kv_str(j, "by", s->bound ? "binding" : "path");
		abac_json_kv_bool(j, "present", !s->absent);
		abac_json_obj_end(j);
	}
	abac_json_arr_end(j);
}

static void list_plain(const struct abacd *d, FILE *f)
{
	int wpath = (int)strlen("CGROUP"), wid = (int)strlen("absent"), n;
	const struct subject *s;
	char id[24];
	size_t i;

	for (i = 0; i < d->subj.n; i++) {
		s = &d->subj.v[i];
		n = (int)strlen(s->path);
		wpath = n > wpath ? n : wpath;
		n = snprintf(id, sizeof(id), "%llu",
			     (unsigned long long)s->id);
		wid = n > wid ? n : wid;
	}
	fprintf(f, "%-*s  %*s  %5s  %s\n", wpath, "CGROUP", wid, "ID",
		"LEVEL", "TAGS");
	for (i = 0; i < d->subj.n; i++) {
		s = &d->subj.v[i];
		if (s->absent)	/* removed, tagged again when made again */
			fprintf(f, "%-*s  %*s  %5s  %s\n", wpath, s->path, wid,
				"absent", "-", s->tags);
		else
			fprintf(f, "%-*s  %*llu  %5u  %s\n", wpath, s->path,
				wid, (unsigned long long)s->id, s->level,
				s->tags);
	}
}

static int do_subject_list(struct abacd *d, struct client *c,
			   const struct req *r)
{
	struct out o;

	if (!r->json && !d->subj.n)
		return reply_msg(d, c, r, ABAC_CTL_OK, "no tagged cgroups");
	if (out_open(&o))
		return reply_msg(d, c, r, ABAC_CTL_REFUSED,
				 "Failed to list subjects: out of memory");
	if (r->json)
		list_json(d, &o.j);
	else
		list_plain(d, o.f);
	return out_send(d, c, ABAC_CTL_OK, &o);
}

/* ---- cgroups bound at run time ----------------------------------------- */

static int do_subject_bind(struct abacd *d, struct client *c,
			   const struct req *r)
{
	char what[PATH_MAX + 16], *tags = join_pairs(r, 1);
	const char *owner = r->owner ? r->owner : "operator";
	struct abac_diags diags;

	if (!tags)
		return reply_msg(d, c, r, ABAC_CTL_REFUSED,
				 "Failed to bind subject: out of memory");
	abac_diags_init(&diags);
	if (engine_bind(d, r->argv[0], owner, tags, &diags)) {
		snprintf(what, sizeof(what), "bind subject %s", r->argv[0]);
		reply_diags(d, c, r, what, r->argv[0], &diags);
	} else {
		say("bound cgroup %s: %s (owner %s, generation %u)",
		    r->argv[0], tags, owner, d->generation);
		reply_msg(d, c, r, ABAC_CTL_OK,
			  "bound cgroup %s: %s (owner %s, generation %u)",
			  r->argv[0], tags, owner, d->generation);
	}
	abac_diags_free(&diags);
	free(tags);
	return 0;
}

static int do_subject_unbind(struct abacd *d, struct client *c,
			     const struct req *r)
{
	char what[PATH_MAX + 16];
	struct abac_diags diags;

	abac_diags_init(&diags);
	if (engine_unbind(d, r->argv[0], r->owner, &diags)) {
		snprintf(what, sizeof(what), "unbind subject %s", r->argv[0]);
		reply_diags(d, c, r, what, r->argv[0], &diags);
	} else {
		say("unbound cgroup %s (generation %u)", r->argv[0],
		    d->generation);
		reply_msg(d, c, r, ABAC_CTL_OK,
			  "unbound cgroup %s (generation %u)", r->argv[0],
			  d->generation);
	}
	abac_diags_free(&diags);
	return 0;
}

/*
 * One binding as listed: its cgroup (parent/name, the name a glob for a
 * policy's), its owner ("policy" for the policy's subjects: list), its
 * tags, and whether the kernel matches it by name (its parent exists and
 * root owns it) or only the watch tags its cgroups.
 */
struct bind_row {
	char cgroup[PATH_MAX + NAME_MAX + 2];
	const char *owner;
	const char *tags;
	bool by_name;
};

static void bind_row(const struct abacd *d, const struct abac_binding *b,
		     const char *owner, struct bind_row *row)
{
	const char *root = strcmp(d->cg_root, "/") ? d->cg_root : "";
	char dir[PATH_MAX];
	uid_t uid;
	__u64 id;

	if ((size_t)snprintf(dir, sizeof(dir), "%s%s%s", root,
			     *b->dir ? "/" : "", b->dir) >= sizeof(dir))
		dir[0] = '\0';	/* no cgroup has so long a path */
	snprintf(row->cgroup, sizeof(row->cgroup), "%s/%s", dir, b->glob);
	row->owner = owner;
	row->tags = b->tags;
	row->by_name = !cg_stat_owner(*dir ? dir : "/", &id, &uid) && !uid;
}

static int do_subject_bindings(struct abacd *d, struct client *c,
			       const struct req *r)
{
	unsigned int np = d->policy ? d->policy->nbindings : 0, k;
	int wcg = (int)strlen("CGROUP"), wown = (int)strlen("OWNER"), n;
	struct bind_row row;
	struct out o;

	if (!r->json && !np && !d->rt.n)
		return reply_msg(d, c, r, ABAC_CTL_OK, "no bound cgroups");
	if (out_open(&o))
		return reply_msg(d, c, r, ABAC_CTL_REFUSED,
				 "Failed to list bindings: out of memory");
	for (k = 0; !r->json && k < np + d->rt.n; k++) {
		if (k < np)
			bind_row(d, &d->policy->bindings[k], "policy", &row);
		else
			bind_row(d, &d->rt.v[k - np].b, d->rt.v[k - np].owner,
				 &row);
		n = (int)strlen(row.cgroup);
		wcg = n > wcg ? n : wcg;
		n = (int)strlen(row.owner);
		wown = n > wown ? n : wown;
	}
	if (r->json)
		abac_json_arr_begin(&o.j);
	else
		fprintf(o.f, "%-*s  %-*s  %-7s  %s\n", wcg, "CGROUP", wown,
			"OWNER", "KERNEL", "TAGS");
	for (k = 0; k < np + d->rt.n; k++) {
		if (k < np)
			bind_row(d, &d->policy->bindings[k], "policy", &row);
		else
			bind_row(d, &d->rt.v[k - np].b, d->rt.v[k - np].owner,
				 &row);
		if (!r->json) {
			fprintf(o.f, "%-*s  %-*s  %-7s  %s\n", wcg, row.cgroup,
				wown, row.owner, row.by_name ? "by-name" : "watch",
				row.tags);
			continue;
		}
		abac_json_obj_begin(&o.j);
		abac_json_kv_str(&o.j, "cgroup", row.cgroup);
		abac_json_kv_str(&o.j, "owner", row.owner);
		abac_json_kv_str(&o.j, "tags", row.tags);
		abac_json_kv_bool(&o.j, "by_name", row.by_name);
		abac_json_obj_end(&o.j);
	}
	if (r->json)
		abac_json_arr_end(&o.j);
	return out_send(d, c, ABAC_CTL_OK, &o);
}

/* ---- labelled directories ---------------------------------------------- */

static int do_label_dir(struct abacd *d, struct client *c, const struct req *r)
{
	char why[PATH_MAX + 128];

	if (dirs_note(d, r->argv[0], why, sizeof(why)))
		return reply_msg(d, c, r, ABAC_CTL_REFUSED,
				 "Failed to note labelled directory %s: %s",
				 r->argv[0], why);
	return reply_msg(d, c, r, ABAC_CTL_OK, "%s", why);
}

/* ---- status ------------------------------------------------------------ */

/**
 * struct status - what "status" reports, gathered once.
 * @attached: the programs' links are pinned.
 * @cnt_err: 0 when @cnt holds the counters.
 * @cnt: the counters summed over the CPUs.
 * @uptime: seconds since abacd started.
 */
struct status {
	bool attached;
	int cnt_err;
	struct abac_counters cnt;
	__u64 uptime;
};

static void status_policy_json(const struct abacd *d, struct abac_json *j)
{
	const struct abac_image_hdr *h = cur_hdr(d);
	char hash[24];

	abac_json_key(j, "policy");
	if (!h) {
		abac_json_null(j);
		return;
	}
	hash_text(h, hash, sizeof(hash));
	abac_json_obj_begin(j);
	abac_json_kv_str(j, "name", cur_name(d));
	abac_json_kv_u64(j, "generation", h->generation);
	abac_json_kv_str(j, "content_hash", hash);
	abac_json_kv_str(j, "mode", mode_name(h->mode));
	abac_json_kv_str(j, "default", h->default_effect == ABAC_ALLOW ?
			 "allow" : "deny");
	abac_json_kv_u64(j, "rules", h->nrules);
	abac_json_kv_u64(j, "records", h->total_records);
	abac_json_kv_u64(j, "chunks", (h->total_records +
					ABAC_CHUNK_RECORDS - 1) /
				       ABAC_CHUNK_RECORDS);
	abac_json_kv_bool(j, "source", d->source != NULL);
	abac_json_obj_end(j);
}

static void status_counters_json(const struct status *st,
				 struct abac_json *j)
{
	abac_json_key(j, "counters");
	if (st->cnt_err) {
		abac_json_null(j);
		return;
	}
	abac_json_obj_begin(j);
	abac_json_kv_u64(j, "decisions", st->cnt.decisions);
	abac_json_kv_u64(j, "denied", st->cnt.denied);
	abac_json_kv_u64(j, "audited", st->cnt.audited);
	abac_json_kv_u64(j, "events_lost", st->cnt.events_lost);
	abac_json_kv_u64(j, "bad_labels", st->cnt.bad_labels);
	abac_json_kv_u64(j, "guarded", st->cnt.guarded);
	abac_json_obj_end(j);
}

/* Which hooks are attached, and which operations are not enforced. */
static void status_hooks_json(const struct abacd *d, struct abac_json *j)
{
	char ops[256];
	unsigned int i;

	abac_json_key(j, "hooks");
	abac_json_obj_begin(j);
	for (i = 0; d->use_bpf && abac_hooks[i].prog; i++)
		abac_json_kv_bool(j, abac_hooks[i].hook,
				  abac_kern_hook_attached(d->pin_dir, i));
	abac_json_obj_end(j);
	engine_ops_text(backend_missing_ops((struct abacd *)d), ops,
			sizeof(ops));
	abac_json_kv_str(j, "unenforced_ops", ops);
}

static void status_hooks_plain(const struct abacd *d, FILE *f)
{
	char ops[256];
	unsigned int i, n = 0;

	if (!d->use_bpf) {
		engine_ops_text(backend_missing_ops((struct abacd *)d), ops,
				sizeof(ops));
		fprintf(f, "ops not enforced: %s\n", *ops ? ops : "none");
		return;
	}
	fputs("hooks attached:", f);
	for (i = 0; abac_hooks[i].prog; i++) {
		if (abac_kern_hook_attached(d->pin_dir, i)) {
			fprintf(f, " %s", abac_hooks[i].hook);
			n++;
		}
	}
	fprintf(f, "%s\nhooks missing:", n ? "" : " none");
	for (i = 0, n = 0; abac_hooks[i].prog; i++) {
		if (!abac_kern_hook_attached(d->pin_dir, i)) {
			fprintf(f, " %s", abac_hooks[i].hook);
			n++;
		}
	}
	engine_ops_text(backend_missing_ops((struct abacd *)d), ops,
			sizeof(ops));
	fprintf(f, "%s\nops not enforced: %s\n", n ? "" : " none",
		*ops ? ops : "none");
}

static void status_json(const struct abacd *d, const struct status *st,
			struct abac_json *j)
{
	abac_json_obj_begin(j);
	abac_json_key(j, "agent");
	abac_json_obj_begin(j);
	abac_json_kv_bool(j, "running", true);
	abac_json_kv_u64(j, "pid", getpid());
	abac_json_kv_u64(j, "uptime_s", st->uptime);
	abac_json_kv_str(j, "version", ABACD_VERSION);
	abac_json_kv_str(j, "socket", d->sock_path);
	abac_json_kv_str(j, "state_dir", d->state_dir);
	abac_json_obj_end(j);
	abac_json_kv_str(j, "backend", backend_name(d));
	abac_json_kv_bool(j, "attached", st->attached);
	abac_json_kv_str(j, "pin_dir", d->pin_dir);
	status_hooks_json(d, j);
	status_policy_json(d, j);
	abac_json_kv_u64(j, "subjects", d->subj.n);
	status_counters_json(st, j);
	abac_json_key(j, "events");
	abac_json_obj_begin(j);
	abac_json_kv_u64(j, "delivered", d->received);
	abac_json_kv_u64(j, "log_errors", d->log_errors);
	abac_json_kv_u64(j, "backlog", backlog_pending(d));
	abac_json_kv_u64(j, "backlogged", d->backlog_total);
	abac_json_kv_u64(j, "subscribers", d->nsubscribers);
	abac_json_kv_str(j, "log", d->log_path);
	abac_json_obj_end(j);
	abac_json_obj_end(j);
}

static void status_plain(const struct abacd *d, const struct status *st,
			 FILE *f)
{
	const struct abac_image_hdr *h = cur_hdr(d);
	char hash[24];
	__u64 u = st->uptime;

	fprintf(f, "abacd: running, pid %d, up %lluh%02llum%02llus\n",
		(int)getpid(), (unsigned long long)(u / 3600),
		(unsigned long long)(u / 60 % 60),
		(unsigned long long)(u % 60));
	fprintf(f, "backend: %s (%s)\n", backend_name(d), backend_desc(d));
	if (d->use_bpf)
		fprintf(f, "programs: %s (pins under %s)\n",
			st->attached ? "attached" : "not attached",
			d->pin_dir);
	status_hooks_plain(d, f);
	if (h) {
		hash_text(h, hash, sizeof(hash));
		fprintf(f, "policy: %s, generation %u, hash %s, %s, default %s, %u rules%s\n",
			cur_name(d), h->generation, hash, mode_name(h->mode),
			h->default_effect == ABAC_ALLOW ? "allow" : "deny",
			h->nrules, d->source ? "" : " (no source held)");
		fprintf(f, "image: %u records, %u chunk%s of %u records%s\n",
			h->total_records,
			(h->total_records + ABAC_CHUNK_RECORDS - 1) /
			ABAC_CHUNK_RECORDS,
			h->total_records > ABAC_CHUNK_RECORDS ? "s" : "",
			ABAC_CHUNK_RECORDS,
			d->use_bpf ? "" : " (the native LSM reads it whole)");
	} else {
		fprintf(f, "policy: none in force\n");
	}
	fprintf(f, "subjects: %zu tagged cgroup%s\n", d->subj.n,
		d->subj.n == 1 ? "" : "s");
	if (!st->cnt_err)
		fprintf(f, "counters: %llu decisions, %llu denied, %llu audited, %llu events lost, %llu bad labels, %llu tamper attempts refused\n",
			(unsigned long long)st->cnt.decisions,
			(unsigned long long)st->cnt.denied,
			(unsigned long long)st->cnt.audited,
			(unsigned long long)st->cnt.events_lost,
			(unsigned long long)st->cnt.bad_labels,
			(unsigned long long)st->cnt.guarded);
	fprintf(f, "events: %llu delivered, %u subscriber%s, log %s\n",
		(unsigned long long)d->received, d->nsubscribers,
		d->nsubscribers == 1 ? "" : "s", d->log_path);
	if (d->backlog_total || backlog_pending(d))
		fprintf(f, "backlog: %llu events waiting, %llu through it since start\n",
			(unsigned long long)backlog_pending(d),
			(unsigned long long)d->backlog_total);
}

static int do_status(struct abacd *d, struct client *c, const struct req *r)
{
	struct status st;
	struct out o;

	st.attached = d->use_bpf && abac_kern_attached(d->pin_dir);
	st.cnt_err = backend_counters(d, &st.cnt);
	st.uptime = (now_ms() - d->start_ms) / 1000;
	if (out_open(&o))
		return reply_msg(d, c, r, ABAC_CTL_REFUSED,
				 "Failed to get status: out of memory");
	if (r->json)
		status_json(d, &st, &o.j);
	else
		status_plain(d, &st, o.f);
	return out_send(d, c, ABAC_CTL_OK, &o);
}

/* ---- events ------------------------------------------------------------ */

static int do_events(struct abacd *d, struct client *c, const struct req *r)
{
	int err;

	if (r->follow && d->nsubscribers >= ABACD_MAX_SUBSCRIBERS)
		return reply_msg(d, c, r, ABAC_CTL_REFUSED,
				 "Failed to follow events: %u subscribers already (at most %u)",
				 d->nsubscribers, ABACD_MAX_SUBSCRIBERS);

	err = events_history(d, c, r->json);
	if (c->fd < 0)
		return -EPIPE;	/* dropped while the history went out */
	if (err)
		say("failed to read event log %s: %s", d->log_path,
		    strerror(-err));
	if (r->follow) {
		client_subscribe(d, c, r->json);
		debug("client pid %d follows events", c->pid);
		return 0;
	}
	/* the end of the listing: a frame with the status byte alone */
	return client_reply(d, c, ABAC_CTL_OK, "", 0);
}

/* ---- the environment --------------------------------------------------- */

static int do_env_set(struct abacd *d, struct client *c, const struct req *r)
{
	struct abac_diags diags;
	char text[sizeof(d->env_text)], *p, *all = join_pairs(r, 0);

	if (!all || strlen(all) >= sizeof(text)) {
		free(all);
		return reply_msg(d, c, r, ABAC_CTL_REFUSED,
				 "Failed to set the environment: %s",
				 all ? "too long" : "out of memory");
	}
	snprintf(text, sizeof(text), "%s", all);
	free(all);
	for (p = text; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	abac_diags_init(&diags);
	if (env_set(d, text, &diags)) {
		reply_diags(d, c, r, "set the environment", "<env>", &diags);
	} else {
		say("environment: %s", text[0] ? text : "(none)");
		reply_msg(d, c, r, ABAC_CTL_OK, "environment: %s",
			  text[0] ? text : "(none)");
	}
	abac_diags_free(&diags);
	return 0;
}

static int do_env_get(struct abacd *d, struct client *c, const struct req *r)
{
	struct out o;

	if (!r->json)
		return reply_msg(d, c, r, ABAC_CTL_OK, "%s",
				 d->env_text[0] ? d->env_text : "(none)");
	if (out_open(&o))
		return reply_msg(d, c, NULL, ABAC_CTL_OK, "%s", d->env_text);
	abac_json_obj_begin(&o.j);
	abac_json_kv_str(&o.j, "env", d->env_text);
	abac_json_kv_str(&o.j, "timezone",
			 d->policy ? d->policy->timezone : "UTC");
	abac_json_kv_u64(&o.j, "generation", d->env_generation);
	abac_json_obj_end(&o.j);
	return out_send(d, c, ABAC_CTL_OK, &o);
}

/* ---- dispatch ---------------------------------------------------------- */

static const struct verb verbs[] = {
	{ "policy-apply", 2, 2, false, "NAME YAML-TEXT", do_policy_apply },
	{ "policy-show", 0, 0, false, "", do_policy_show },
	{ "policy-source", 0, 0, false, "", do_policy_source },
	{ "subject-tag", 2, ABAC_CTL_ARGS_MAX, false, "CGROUP KEY=VALUE...",
	  do_subject_tag },
	{ "subject-untag", 1, 1, false, "CGROUP", do_subject_untag },
	{ "subject-list", 0, 0, false, "", do_subject_list },
	{ "subject-bind", 2, ABAC_CTL_ARGS_MAX, false,
	  "CGROUP KEY=VALUE... [--owner=NAME]", do_subject_bind },
	{ "subject-unbind", 1, 1, false, "CGROUP [--owner=NAME]",
	  do_subject_unbind },
	{ "subject-bindings", 0, 0, false, "", do_subject_bindings },
	{ "label-dir", 1, 1, false, "DIRECTORY", do_label_dir },
	{ "status", 0, 0, false, "", do_status },
	{ "events", 0, 0, true, "[--follow]", do_events },
	{ "env-set", 0, ABAC_CTL_ARGS_MAX, false, "[KEY=VALUE...]", do_env_set },
	{ "env-get", 0, 0, false, "", do_env_get },
	{ NULL }
};

/* Take the trailing "--" options off; 0, or -EINVAL naming the bad one. */
static int take_options(const struct verb *v, struct req *r,
			const char **bad)
{
	const char *a;

	while (r->argc > 0 && !strncmp(r->argv[r->argc - 1], "--", 2)) {
		a = r->argv[r->argc - 1];
		if (!strcmp(a, "--json")) {
			r->json = true;
		} else if (!strcmp(a, "--follow") && v->follow) {
			r->follow = true;
		} else if (!strcmp(a, "--allow-degraded") &&
			   v->fn == do_policy_apply) {
			r->allow_degraded = true;
		} else if (!strncmp(a, "--owner=", 8) &&
			   (v->fn == do_subject_bind ||
			    v->fn == do_subject_unbind)) {
			r->owner = a + 8;
		} else {
			*bad = a;
			return -EINVAL;
		}
		r->argc--;
	}
	return 0;
}

/**
 * verb_dispatch() - answer one request.
 * @d: the agent.
 * @c: the client that sent it.
 * @argc: its strings, at least one.
 * @argv: the verb, its arguments, its options.
 */
void verb_dispatch(struct abacd *d, struct client *c, int argc, char **argv)
{
	struct req r = { .argc = argc - 1, .argv = argv + 1 };
	const struct verb *v;
	const char *bad = NULL;

	for (v = verbs; v->name && strcmp(v->name, argv[0]); v++)
		;
	debug("client pid %d: %s", c->pid, argv[0]);
	if (!v->name)
		reply_msg(d, c, &r, ABAC_CTL_USAGE,
			  "unknown verb '%.64s' (abacd knows policy-apply, policy-show, policy-source, subject-tag, subject-untag, subject-list, subject-bind, subject-unbind, subject-bindings, label-dir, status, events, env-set, env-get)",
			  argv[0]);
	else if (take_options(v, &r, &bad))
		reply_msg(d, c, &r, ABAC_CTL_USAGE,
			  "%s: unknown option '%.64s'", v->name, bad);
	else if (r.argc < v->min || (v->max >= 0 && r.argc > v->max))
		reply_msg(d, c, &r, ABAC_CTL_USAGE, "usage: %s %s", v->name,
			  v->usage);
	else
		v->fn(d, c, &r);
}
