// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac kube sync | watch: the pods of this node tagged by their
 * "abac.io/" labels and annotations.
 *
 * The pods come from a pod list in a file (what "kubectl get pods -o
 * json" or the kubelet's /pods endpoint print), the tags go to abacd
 * through the control calls "abac subject" makes, one per pod cgroup
 * that needs a change: abacd checks every pair against the policy in
 * force.  A pod's cgroup is where the kubelet puts it (tools/lib/kube.c);
 * its containers' cgroups are below it and inherit its tags, since a
 * process's subject is the tags of its nearest tagged ancestor.
 *
 * One pass: read the list (a list that cannot be read changes nothing),
 * remove the bindings ("abac subject unbind", owner "kube") of pods gone
 * or without "abac.io/" keys, bind the cgroup to come of each labelled
 * pod of this node whose cgroup does not exist yet ("abac subject bind":
 * the kernel then decides its first process by the pod's attributes, by
 * its parent's id and its name), ask abacd which cgroups are tagged, tag
 * each running (or pending) pod of this node whose cgroup exists and
 * whose tags differ, and untag the pod cgroups of the kubelet's tree
 * whose pod is gone or has no "abac.io/" keys left.  A pod
 * that cannot be tagged (bad pairs, refused by the policy) is reported
 * and its cgroup left as it was.  "watch" repeats the pass when the pod
 * file or the kubelet's tree changes (inotify), and every --interval
 * seconds.
 */
#include <errno.h>
#include <stdarg.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "abac.h"
#include "ctl.h"
#include "kube.h"
#include "libabac.h"

#define DRIVER_AUTO	(-1)

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/**
 * struct kube - what one sync needs.
 * @pods: the pod list's file.
 * @node: this node's name.
 * @root: the kubelet's cgroup root, canonical.
 * @driver: enum abac_kube_driver, or DRIVER_AUTO.
 * @quiet_unchanged: do not report a pass that changed nothing (watch).
 */
struct kube {
	const char *pods;
	char node[256];
	char root[PATH_MAX];
	int driver;
	bool quiet_unchanged;
};

/*
 * the tallies of one pass; @bound: pods whose cgroup is to come, bound
 * ahead (@bind_changes of them bound or rebound in this pass);
 * @unbound: bindings of pods gone removed
 */
struct tally {
	unsigned int tagged, untagged, unchanged, waiting, failed;
	unsigned int bound, unbound, bind_changes;
};

static bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* The driver whose top cgroup exists under the root; -ENOENT, -EEXIST. */
static int detect_driver(const struct kube *k)
{
	char fs[PATH_MAX + 16], sd[PATH_MAX + 16];
	bool a, b;

	snprintf(fs, sizeof(fs), "%s/kubepods", k->root);
	snprintf(sd, sizeof(sd), "%s/kubepods.slice", k->root);
	a = is_dir(fs);
	b = is_dir(sd);
	if (a && b)
		return -EEXIST;
	if (!a && !b)
		return -ENOENT;
	return a ? ABAC_KUBE_CGROUPFS : ABAC_KUBE_SYSTEMD;
}

static int driver_or_fail(const struct kube *k)
{
	int drv = k->driver;

	if (drv != DRIVER_AUTO)
		return drv;
	drv = detect_driver(k);
	if (drv == -ENOENT)
		p_err("Failed to sync pods: no kubepods or kubepods.slice cgroup under %s (no pod started yet, or the kubelet's --cgroup-root is another: give --cgroup-root)",
		      k->root);
	else if (drv == -EEXIST)
		p_err("Failed to sync pods: both kubepods and kubepods.slice are under %s: give --cgroup-driver",
		      k->root);
	return drv;
}

/* "ns/name", or the UID for a pod without a name. */
static const char *pod_name(const struct abac_pod *p, char *buf, size_t sz)
{
	if (*p->name)
		snprintf(buf, sz, "%s%s%s", p->ns, *p->ns ? "/" : "", p->name);
	else
		snprintf(buf, sz, "%s", *p->uid ? p->uid : "(no name)");
	return buf;
}

/* The pod's cgroup that exists, absolute in @abs and relative in @rel. */
static bool find_cgroup(const struct kube *k, int drv, const struct abac_pod *p,
			char *abs, size_t asz, char *rel, size_t rsz)
{
	int q, first = p->qos, last = p->qos;

	if (p->qos == ABAC_KUBE_QOS_UNKNOWN) {	/* the status says none yet */
		first = 0;
		last = ABAC_KUBE_QOS_COUNT - 1;
	}
	for (q = first; q <= last; q++) {
		if (abac_kube_pod_cgroup(drv, q, p->uid, rel, rsz))
			continue;
		snprintf(abs, asz, "%s/%s", k->root, rel);
		if (is_dir(abs))
			return true;
	}
	if (first != last)	/* report the Burstable place, the usual one */
		abac_kube_pod_cgroup(drv, ABAC_KUBE_BURSTABLE, p->uid, rel, rsz);
	snprintf(abs, asz, "%s/%s", k->root, rel);
	return false;
}

static const struct abac_kube_tagged *
tagged_at(const struct abac_kube_tagged *v, size_t n, const char *path)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].path, path))
			return &v[i];
	return NULL;
}

/* abacd's refusal on one line, for one line per pod in a log. */
static const char *one_line(const struct agent_reply *r, char *buf,
			    size_t sz)
{
	size_t i, o = 0, len = r->len;

	while (len && (r->text[len - 1] == '\n' || r->text[len - 1] == ' '))
		len--;
	for (i = 0; i < len && o + 3 < sz; i++) {
		if (r->text[i] == '\n') {
			buf[o++] = ';';
			buf[o++] = ' ';
		} else {
			buf[o++] = r->text[i];
		}
	}
	buf[o] = '\0';
	return buf;
}

/*
 * One line of what a pass did: plain text, or with --json one object a
 * line ("event" says which), so that a log collector reads a watch's
 * output as it comes.  @pod, @cgroup, @key and its @val may be NULL.
 */
static void kube_say(const char *event, const char *pod, const char *cgroup,
		     const char *key, const char *val, const char *plain, ...)
{
	va_list ap;

	if (json_output) {
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "event", event);
		if (pod)
			abac_json_kv_str(jw(), "pod", pod);
		if (cgroup)
			abac_json_kv_str(jw(), "cgroup", cgroup);
		if (key)
			abac_json_kv_str(jw(), key, val);
		abac_json_obj_end(jw());
		return;
	}
	va_start(ap, plain);
	vprintf(plain, ap);
	va_end(ap);
}

/* Ask abacd to tag @abs with the pod's pairs; report the outcome. */
static int tag_pod(const struct abac_pod *p, const char *abs, const char *rel,
		   const char *name)
{
	const char *args[ABAC_CTL_ARGS_MAX];
	struct agent_reply r;
	char why[2048];
	size_t i;
	int n = 0, ret;

	if (p->npairs > ABAC_CTL_ARGS_MAX - 3) {
		p_err("Failed to tag pod %s: more than %d abac.io/ keys", name,
		      ABAC_CTL_ARGS_MAX - 3);
		return -E2BIG;
	}
	args[n++] = "subject-tag";
	args[n++] = abs;
	for (i = 0; i < p->npairs; i++)
		args[n++] = p->pairs[i];
	if (agent_call("tag pod", n, args, &r))
		return -EIO;
	ret = r.status == ABAC_CTL_OK ? 0 : -EPERM;
	if (ret)
		p_err("Failed to tag pod %s (%s): %s", name, rel,
		      one_line(&r, why, sizeof(why)));
	else
		kube_say("tagged", name, rel, "tags", p->tags,
			 "tagged pod %s (%s): %s\n", name, rel, p->tags);
	agent_reply_free(&r);
	return ret;
}

static int untag(const char *abs, const char *rel, const char *why)
{
	const char *args[2] = { "subject-untag", abs };
	struct agent_reply r;
	char msg[2048];
	int ret;

	if (agent_call("untag pod", 2, args, &r))
		return -EIO;
	ret = r.status == ABAC_CTL_OK ? 0 : -EPERM;
	if (ret)
		p_err("Failed to untag pod cgroup %s: %s", rel,
		      one_line(&r, msg, sizeof(msg)));
	else
		kube_say("untagged", NULL, rel, "why", why,
			 "untagged pod cgroup %s (%s)\n", rel, why);
	agent_reply_free(&r);
	return ret;
}

#define KUBE_OWNER	"kube"

/*
 * Ask abacd to bind the pod's cgroup to come (@abs) to its pairs, so that
 * the kernel gives its first process the pod's tags; report the outcome.
 */
static int bind_pod(const struct abac_pod *p, const char *abs, const char *rel,
		    const char *name)
{
	const char *args[ABAC_CTL_ARGS_MAX];
	struct agent_reply r;
	char why[2048];
	size_t i;
	int n = 0, ret;

	if (p->npairs > ABAC_CTL_ARGS_MAX - 4) {
		p_err("Failed to bind pod %s: more than %d abac.io/ keys", name,
		      ABAC_CTL_ARGS_MAX - 4);
		return -E2BIG;
	}
	args[n++] = "subject-bind";
	args[n++] = abs;
	for (i = 0; i < p->npairs; i++)
		args[n++] = p->pairs[i];
	args[n++] = "--owner=" KUBE_OWNER;
	if (agent_call("bind pod", n, args, &r))
		return -EIO;
	ret = r.status == ABAC_CTL_OK ? 0 : -EPERM;
	if (ret)
		p_err("Failed to bind pod %s (%s): %s", name, rel,
		      one_line(&r, why, sizeof(why)));
	else
		kube_say("bound", name, rel, "tags", p->tags,
			 "bound pod %s (%s) before its cgroup: %s\n", name,
			 rel, p->tags);
	agent_reply_free(&r);
	return ret;
}

static int unbind(const char *abs, const char *rel, const char *why)
{
	const char *args[3] = { "subject-unbind", abs,
				"--owner=" KUBE_OWNER };
	struct agent_reply r;
	char msg[2048];
	int ret;

	if (agent_call("unbind pod", 3, args, &r))
		return -EIO;
	ret = r.status == ABAC_CTL_OK ? 0 : -EPERM;
	if (ret)
		p_err("Failed to unbind pod cgroup %s: %s", rel,
		      one_line(&r, msg, sizeof(msg)));
	else
		kube_say("unbound", NULL, rel, "why", why,
			 "unbound pod cgroup %s (%s)\n", rel, why);
	agent_reply_free(&r);
	return ret;
}

/* The cgroups "abac kube" bound, from abacd; the others are dropped. */
static int list_bound(struct abac_kube_tagged **v, size_t *n)
{
	const char *args[2] = { "subject-bindings", "--json" };
	struct agent_reply r;
	size_t i, k = 0;
	int err;

	if (agent_call("list bindings", json_output ? 1 : 2, args, &r))
		return -EIO;
	if (r.status != ABAC_CTL_OK) {
		p_err("Failed to list bindings: %.*s", (int)r.len, r.text);
		agent_reply_free(&r);
		return -EPERM;
	}
	err = abac_kube_tagged_parse(r.text, r.len, v, n);
	agent_reply_free(&r);
	if (err) {
		p_err("Failed to list bindings: abacd's answer is not the list expected: %s",
		      strerr(err));
		return err;
	}
	for (i = 0; i < *n; i++) {
		if ((*v)[i].owner && !strcmp((*v)[i].owner, KUBE_OWNER)) {
			(*v)[k++] = (*v)[i];
			continue;
		}
		free((*v)[i].path);
		free((*v)[i].tags);
		free((*v)[i].owner);
	}
	*n = k;
	return 0;
}

/* The tagged cgroups, from abacd. */
static int list_tagged(struct abac_kube_tagged **v, size_t *n)
{
	const char *args[2] = { "subject-list", "--json" };
	struct agent_reply r;
	int err;

	/* agent_send() adds "--json" itself in JSON mode */
	if (agent_call("list subjects", json_output ? 1 : 2, args, &r))
		return -EIO;
	if (r.status != ABAC_CTL_OK) {
		p_err("Failed to list subjects: %.*s", (int)r.len, r.text);
		agent_reply_free(&r);
		return -EPERM;
	}
	err = abac_kube_tagged_parse(r.text, r.len, v, n);
	if (err)
		p_err("Failed to list subjects: abacd's answer is not the list expected: %s",
		      strerr(err));
	agent_reply_free(&r);
	return err;
}

/* Is @uid a pod of this node whose cgroup is to keep (or get) tags? */
static bool keep_uid(const struct kube *k, const struct abac_podlist *pl,
		     const char *uid)
{
	size_t i;

	for (i = 0; i < pl->n; i++) {
		const struct abac_pod *p = &pl->v[i];

		if (strcmp(p->uid, uid) || strcmp(p->node, k->node) ||
		    p->ended)
			continue;
		/* a pod refused is left as it was: report, never guess */
		if (*p->err || p->npairs)
			return true;
	}
	return false;
}

/*
 * Is there a pod of this node whose cgroup's UID is not known (a static
 * pod's mirror with a bad annotation)?  Then a pod cgroup no pod of the
 * list names may be that pod's, and is not untagged on a guess.
 */
static const struct abac_pod *uid_unknown(const struct kube *k,
					  const struct abac_podlist *pl)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		if (pl->v[i].uid_unknown && !pl->v[i].ended &&
		    !strcmp(pl->v[i].node, k->node))
			return &pl->v[i];
	return NULL;
}

static bool uid_listed(const struct kube *k, const struct abac_podlist *pl,
		       const char *uid)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		if (!strcmp(pl->v[i].uid, uid) &&
		    !strcmp(pl->v[i].node, k->node))
			return true;
	return false;
}

static const char *gone_why(const struct kube *k,
			    const struct abac_podlist *pl, const char *uid)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		if (!strcmp(pl->v[i].uid, uid) &&
		    !strcmp(pl->v[i].node, k->node))
			return pl->v[i].ended ? "the pod has ended" :
						"the pod has no abac.io/ keys";
	return "no such pod on this node";
}

/*
 * Unbind or untag (@drop, named @verb) each of the @n pod cgroups of the
 * kubelet's tree in @v whose pod is gone or wants no tags, counting in
 * *@done and *@failed.  One that may be a static pod's (its mirror
 * annotation is no UID) is kept.  Returns 1 when one failed, else 0.
 */
static int drop_gone(const struct kube *k, const struct abac_podlist *pl,
		     int drv, const struct abac_pod *unknown,
		     const struct abac_kube_tagged *v, size_t n,
		     const char *verb,
		     int (*drop)(const char *, const char *, const char *),
		     unsigned int *done, unsigned int *failed)
{
	char uid[ABAC_KUBE_UID_MAX], name[600];
	size_t i, rootlen = strlen(k->root);
	int ret = 0;

	for (i = 0; i < n; i++) {
		const char *path = v[i].path;

		if (strncmp(path, k->root, rootlen) || path[rootlen] != '/' ||
		    abac_kube_cgroup_uid(drv, path + rootlen + 1, uid,
					 sizeof(uid)) ||
		    keep_uid(k, pl, uid))
			continue;
		if (unknown && !uid_listed(k, pl, uid)) {
			pod_name(unknown, name, sizeof(name));
			p_err("Failed to %s pod cgroup %s: it may be static pod %s's, whose mirror annotation is not a UID; kept as it is",
			      verb, path + rootlen + 1, name);
			(*failed)++;
			ret = 1;
			continue;
		}
		if (drop(path, path + rootlen + 1, gone_why(k, pl, uid))) {
			(*failed)++;
			ret = 1;
		} else {
			(*done)++;
		}
	}
	return ret;
}

/* What the binding pass did for a pod, for the tagging pass after it. */
enum { AHEAD_NONE, AHEAD_BOUND, AHEAD_REFUSED };

/*
 * One pass.  Return: 0 when every pod of this node is as its labels say
 * (or waits for its cgroup), 1 when some could not be, -1 when nothing
 * could be done (the list unreadable, abacd unreachable, no kubepods).
 */
static int sync_once(const struct kube *k, struct tally *t)
{
	char abs[PATH_MAX + 256], rel[PATH_MAX];
	char name[600];
	struct abac_kube_tagged *tv = NULL, *bv = NULL;
	const struct abac_pod *unknown;
	size_t bn = 0;
	unsigned char *ahead = NULL;	/* per pod: what the bind pass did */
	struct abac_podlist pl = { 0 };
	struct abac_diags diags;
	size_t i, tn = 0;
	char *buf = NULL;
	size_t len;
	int err, drv, ret = -1;

	memset(t, 0, sizeof(*t));
	abac_diags_init(&diags);
	err = abac_read_file(k->pods, &buf, &len);
	if (err) {
		p_err("Failed to read pods from %s: %s", k->pods, strerr(err));
		goto out;
	}
	err = abac_podlist_parse(k->pods, buf, len, &pl, &diags);
	if (err) {
		p_diags_fail(&diags, "Failed to read pods from %s", k->pods);
		goto out;
	}
	drv = driver_or_fail(k);
	if (drv < 0)
		goto out;
	ahead = calloc(pl.n + 1, sizeof(*ahead));
	if (!ahead) {
		p_err("Failed to sync pods: out of memory");
		goto out;
	}
	if (list_bound(&bv, &bn))
		goto out;
	ret = 0;
	unknown = uid_unknown(k, &pl);
	/* the bindings of pods gone first: they tag cgroups abacd lists */
	if (drop_gone(k, &pl, drv, unknown, bv, bn, "unbind", unbind,
		      &t->unbound, &t->failed))
		ret = 1;
	/* the pods whose cgroup is to come: bound ahead, by name */
	for (i = 0; i < pl.n; i++) {
		const struct abac_pod *p = &pl.v[i];
		const struct abac_kube_tagged *cur;
		char parent[PATH_MAX + 256], *slash;

		if (strcmp(p->node, k->node) || p->ended || *p->err ||
		    !p->npairs)
			continue;
		pod_name(p, name, sizeof(name));
		if (find_cgroup(k, drv, p, abs, sizeof(abs), rel,
				sizeof(rel))) {
			/* made: tagged below; a binding kept follows the labels */
			cur = tagged_at(bv, bn, abs);
			if (cur && strcmp(cur->tags, p->tags) &&
			    bind_pod(p, abs, rel, name)) {
				/* refused: its tag would be too; reported once */
				ahead[i] = AHEAD_REFUSED;
				t->failed++;
				ret = 1;
			}
			continue;
		}
		snprintf(parent, sizeof(parent), "%s", abs);
		slash = strrchr(parent, '/');
		if (slash)
			*slash = '\0';
		if (p->qos == ABAC_KUBE_QOS_UNKNOWN || !is_dir(parent))
			continue;	/* waits: no parent to bind below */
		ahead[i] = AHEAD_BOUND;
		cur = tagged_at(bv, bn, abs);
		if (cur && !strcmp(cur->tags, p->tags)) {
			t->bound++;
			continue;
		}
		if (bind_pod(p, abs, rel, name)) {
			t->failed++;
			ret = 1;
		} else {
			t->bound++;
			t->bind_changes++;
		}
	}
	abac_kube_tagged_free(bv, bn);
	bv = NULL;
	bn = 0;
	if (list_tagged(&tv, &tn)) {
		ret = -1;
		goto out;
	}
	for (i = 0; i < pl.n; i++) {
		const struct abac_pod *p = &pl.v[i];
		const struct abac_kube_tagged *cur;

		if (strcmp(p->node, k->node) || p->ended)
			continue;
		pod_name(p, name, sizeof(name));
		if (*p->err) {
			p_err("Failed to tag pod %s (line %u of %s): %s", name,
			      p->line, k->pods, p->err);
			t->failed++;
			ret = 1;
			continue;
		}
		if (!p->npairs)
			continue;
		if (ahead[i] == AHEAD_REFUSED)
			continue;	/* its binding's new tags were refused */
		if (!find_cgroup(k, drv, p, abs, sizeof(abs), rel,
				 sizeof(rel))) {
			if (ahead[i] == AHEAD_BOUND)
				continue;	/* bound: the kernel tags it when made */
			kube_say("waiting", name, rel, NULL, NULL,
				 "pod %s waits for its cgroup %s%s\n", name, rel,
				 p->qos == ABAC_KUBE_QOS_UNKNOWN ?
				 " (no QoS class yet: not bound)" :
				 " (its parent is not made yet: not bound)");
			t->waiting++;
			continue;
		}
		cur = tagged_at(tv, tn, abs);
		if (cur && !strcmp(cur->tags, p->tags)) {
			t->unchanged++;
			continue;
		}
		if (tag_pod(p, abs, rel, name)) {
			t->failed++;
			ret = 1;
		} else {
			t->tagged++;
		}
	}
	/* the kubelet's pod cgroups whose pod no longer wants tags */
	if (drop_gone(k, &pl, drv, unknown, tv, tn, "untag", untag,
		      &t->untagged, &t->failed))
		ret = 1;
out:
	if (ret >= 0 && (!k->quiet_unchanged || t->tagged || t->untagged ||
			 t->failed || t->bind_changes || t->unbound) &&
	    json_output) {
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "event", "pass");
		abac_json_kv_str(jw(), "node", k->node);
		abac_json_kv_u64(jw(), "tagged", t->tagged);
		abac_json_kv_u64(jw(), "untagged", t->untagged);
		abac_json_kv_u64(jw(), "unchanged", t->unchanged);
		abac_json_kv_u64(jw(), "waiting", t->waiting);
		abac_json_kv_u64(jw(), "failed", t->failed);
		abac_json_kv_u64(jw(), "bound", t->bound);
		abac_json_kv_u64(jw(), "unbound", t->unbound);
		abac_json_obj_end(jw());
	} else if (ret >= 0 && (!k->quiet_unchanged || t->tagged ||
				t->untagged || t->failed ||
				t->bind_changes || t->unbound)) {
		printf("pods of node %s: %u tagged, %u untagged, %u unchanged, %u waiting for their cgroup, %u failed, %u bound before their cgroup, %u unbound\n",
		       k->node, t->tagged, t->untagged, t->unchanged,
		       t->waiting, t->failed, t->bound, t->unbound);
	}
	fflush(stdout);
	free(ahead);
	abac_kube_tagged_free(bv, bn);
	abac_kube_tagged_free(tv, tn);
	abac_podlist_free(&pl);
	abac_diags_free(&diags);
	free(buf);
	return ret;
}

/* ---- options ------------------------------------------------------------ */

#define KUBE_SHORTOPTS	"f:n:d:r:i:" ABAC_COMMON_SHORTOPTS
#define KUBE_LONGOPTS						\
	ABAC_COMMON_LONGOPTS,					\
	{ "pods", required_argument, NULL, 'f' },		\
	{ "node", required_argument, NULL, 'n' },		\
	{ "cgroup-driver", required_argument, NULL, 'd' },	\
	{ "cgroup-root", required_argument, NULL, 'r' }

/* Options common to sync and watch; 'i' (interval) is handed back. */
static int kube_opts(int argc, char **argv, struct kube *k,
		     const struct option *opts, long *interval)
{
	const char *root = NULL;
	char mnt[PATH_MAX], *end;
	int c;

	/* a line at a time, in order with the errors, in a log too */
	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(k, 0, sizeof(*k));
	k->driver = DRIVER_AUTO;
	while ((c = verb_getopt(argc, argv, KUBE_SHORTOPTS, opts)) != -1) {
		switch (c) {
		case 'f':
			k->pods = optarg;
			break;
		case 'n':
			if (!*optarg || strlen(optarg) >= sizeof(k->node))
				return p_usage("bad --node '%s'", optarg);
			strcpy(k->node, optarg);
			break;
		case 'd':
			if (!strcmp(optarg, "cgroupfs"))
				k->driver = ABAC_KUBE_CGROUPFS;
			else if (!strcmp(optarg, "systemd"))
				k->driver = ABAC_KUBE_SYSTEMD;
			else
				return p_usage("bad --cgroup-driver '%s': cgroupfs or systemd",
					       optarg);
			break;
		case 'r':
			root = optarg;
			break;
		case 'i':
			if (!interval)
				return p_usage("--interval is for watch");
			errno = 0;
			*interval = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || *interval < 1 ||
			    *interval > 86400)
				return p_usage("bad --interval '%s': 1 to 86400 seconds",
					       optarg);
			break;
		default:
			return ABAC_EXIT_USAGE;
		}
	}
	if (argc != optind)
		return p_usage("%s takes options only", argv[0]);
	if (!k->pods)
		return p_usage("--pods FILE is required: a pod list, as kubectl get pods -o json prints it");
	if (!*k->node && gethostname(k->node, sizeof(k->node) - 1))
		return p_usage("no --node and no host name");
	if (!root) {
		if (cg2_mount(mnt, sizeof(mnt)))
			return p_usage("cgroup2 mount path too long");
		root = mnt;
	}
	if (!realpath(root, k->root)) {
		p_err("Failed to use the cgroup root %s: %s", root,
		      strerror(errno));
		return ABAC_EXIT_FAIL;
	}
	return 0;
}

/**
 * do_kube_sync() - abac kube sync --pods FILE [--node NAME] ...
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Return: 0 when every pod of the node is tagged as its labels say (or
 * waits for its cgroup), 1 otherwise, 2 on misuse.
 */
int do_kube_sync(int argc, char **argv)
{
	static const struct option opts[] = { KUBE_LONGOPTS, { NULL } };
	struct kube k;
	struct tally t;
	int ret;

	ret = kube_opts(argc, argv, &k, opts, NULL);
	if (ret)
		return ret;
	return sync_once(&k, &t) ? ABAC_EXIT_FAIL : ABAC_EXIT_OK;
}

/* (Re)watch what a change of calls for a new pass. */
static void add_watches(int fd, const struct kube *k, char *pods_dir,
			int *pods_wd)
{
	static const char *const tops[] = { "kubepods", "kubepods.slice" };
	static const char *const subs[] = {
		"kubepods/burstable", "kubepods/besteffort",
		"kubepods.slice/kubepods-burstable.slice",
		"kubepods.slice/kubepods-besteffort.slice",
	};
	const __u32 dirs = IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_ONLYDIR |
			   IN_MASK_ADD;	/* the pod file's folder may be one */
	static bool warned;
	char path[PATH_MAX + 64];
	size_t i;

	*pods_wd = inotify_add_watch(fd, pods_dir, IN_CLOSE_WRITE |
				     IN_MOVED_TO | IN_CREATE | IN_DELETE |
				     IN_ONLYDIR | IN_MASK_ADD);
	if (*pods_wd < 0 && !warned) {
		p_warn("cannot watch %s (%s): the pod list is re-read every --interval only",
		       pods_dir, strerror(errno));
		warned = true;
	}
	inotify_add_watch(fd, k->root, dirs);
	for (i = 0; i < ARRAY_SIZE(tops); i++) {
		snprintf(path, sizeof(path), "%s/%s", k->root, tops[i]);
		inotify_add_watch(fd, path, dirs);
	}
	for (i = 0; i < ARRAY_SIZE(subs); i++) {
		snprintf(path, sizeof(path), "%s/%s", k->root, subs[i]);
		inotify_add_watch(fd, path, dirs);
	}
}

/*
 * Wait up to @ms for an event that matters: any in the cgroup tree, or
 * one naming the pod file in its directory.  Return: true when one came.
 */
static bool wait_change(int fd, int pods_wd, const char *pods_base, int ms)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	const struct inotify_event *ev;
	bool hit = false;
	ssize_t n;
	char *p;

	while (!hit) {
		if (poll(&pfd, 1, ms) <= 0)
			return false;
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			return false;
		for (p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			if (ev->wd != pods_wd || (ev->mask & IN_ISDIR) ||
			    (ev->len && !strcmp(ev->name, pods_base)))
				hit = true;
		}
	}
	/* let a burst (a pod's cgroups, a file written in steps) settle */
	while (poll(&pfd, 1, 200) > 0 && read(fd, buf, sizeof(buf)) > 0)
		;
	return true;
}

/**
 * do_kube_watch() - abac kube watch --pods FILE [--interval S] ...
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Runs until killed: a pass at start, on every change of the pod file or
 * of the kubelet's pod cgroups, and every --interval seconds.  A pass
 * that fails is reported and retried at the next change or interval.
 *
 * Return: 1 when inotify cannot be had, 2 on misuse; else never.
 */
int do_kube_watch(int argc, char **argv)
{
	static const struct option opts[] = {
		KUBE_LONGOPTS,
		{ "interval", required_argument, NULL, 'i' },
		{ NULL }
	};
	char dir[PATH_MAX], base[PATH_MAX], tmp[PATH_MAX];
	long interval = 30;
	struct kube k;
	struct tally t;
	int fd, wd, ret;

	ret = kube_opts(argc, argv, &k, opts, &interval);
	if (ret)
		return ret;
	k.quiet_unchanged = true;
	snprintf(tmp, sizeof(tmp), "%s", k.pods);
	snprintf(dir, sizeof(dir), "%s", dirname(tmp));
	snprintf(tmp, sizeof(tmp), "%s", k.pods);
	snprintf(base, sizeof(base), "%s", basename(tmp));
	fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (fd < 0) {
		p_err("Failed to watch pods: inotify: %s", strerror(errno));
		return ABAC_EXIT_FAIL;
	}
	if (json_output) {
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "event", "watching");
		abac_json_kv_str(jw(), "pods", k.pods);
		abac_json_kv_str(jw(), "node", k.node);
		abac_json_kv_str(jw(), "cgroup_root", k.root);
		abac_json_kv_u64(jw(), "interval_s", (__u64)interval);
		abac_json_obj_end(jw());
	} else {
		printf("watching %s for the pods of node %s, and %s every %ld s\n",
		       k.pods, k.node, k.root, interval);
	}
	fflush(stdout);
	for (;;) {
		/* watch first, then read: a change between is not lost */
		add_watches(fd, &k, dir, &wd);
		sync_once(&k, &t);
		wait_change(fd, wd, base, (int)interval * 1000);
	}
	return ABAC_EXIT_OK;
}
