// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kubernetes pods as abac subjects (kube.h).
 *
 * A pod list is JSON, and JSON is YAML's flow style: the policy parser's
 * first pass (yaml_tree.c) reads it into the same tree, under the limits
 * of a pod list (pod_list_text): scalars up to KUBE_SCALAR_MAX, since a
 * real pod carries long annotations
 * ("kubectl.kubernetes.io/last-applied-configuration" holds the whole
 * manifest).  What a pod list never needs is still refused: anchors and
 * aliases, nesting deeper than KUBE_DEPTH_MAX, more than KUBE_NODES_MAX
 * nodes, several documents, duplicate keys, NUL bytes and invalid UTF-8.
 *
 * Errors of the whole text (not a pod list) go to the diagnostics and
 * nothing is returned; errors of one pod (no UID, a UID that is not a
 * UUID, an "abac.io/" key or value that cannot be a subject pair) are
 * kept in that pod's @err, so that one bad pod never stops the others.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kube.h"
#include "libabac.h"
#include "parse.h"

#define KUBE_DEPTH_MAX		64
#define MIRROR_KEY		"kubernetes.io/config.mirror"
#define KUBE_NODES_MAX		(1U << 22)
#define KUBE_SCALAR_MAX		(2U << 20)

/*
 * What a pod list may hold: what a policy may, but scalars up to the
 * size of a whole object (the API server stores at most 1.5 MiB) and
 * deeper nesting.
 */
static const struct ytext pod_list_text = {
	.what = "pod list",
	.syntax = "not JSON",
	.scalar_max = KUBE_SCALAR_MAX,
	.depth_max = KUBE_DEPTH_MAX,
	.nodes_max = KUBE_NODES_MAX,
};

/* @buf as a tree at *@root, or -EINVAL with the reasons in @diags. */
static int ktree(const char *file, const char *buf, size_t len,
		 struct abac_diags *diags, struct ynode **root)
{
	struct pctx c = {
		.file = file, .buf = buf, .len = len, .diags = diags,
		.text = &pod_list_text,
	};
	int err;

	*root = NULL;
	err = abac_parse_check_text(&c);
	if (!err)
		err = abac_yaml_tree(&c, root);
	if (!err && c.errors) {		/* duplicate keys */
		abac_ynode_free(*root);
		*root = NULL;
		err = -EINVAL;
	}
	return err;
}

/* An absent member, or JSON's null. */
static bool null_or_absent(const struct ynode *n)
{
	return !n || is_null(n);
}

/* ---- the tree to pods -------------------------------------------------- */

static const struct ynode *get(const struct ynode *map, const char *key)
{
	size_t i;

	if (!map || map->kind != YN_MAP)
		return NULL;
	for (i = 0; i + 1 < map->n; i += 2)
		if (scalar_is(map->kids[i], key))
			return map->kids[i + 1];
	return NULL;
}

/* A string field, or NULL when absent or null; -1 in *@bad when no string. */
static const char *str_field(const struct ynode *map, const char *key,
			     bool *bad)
{
	const struct ynode *v = get(map, key);

	if (null_or_absent(v))
		return NULL;
	if (v->kind != YN_SCALAR) {
		*bad = true;
		return NULL;
	}
	return v->s;
}

static const char *const qos_names[ABAC_KUBE_QOS_COUNT] = {
	[ABAC_KUBE_GUARANTEED] = "Guaranteed",
	[ABAC_KUBE_BURSTABLE] = "Burstable",
	[ABAC_KUBE_BESTEFFORT] = "BestEffort",
};

/**
 * abac_kube_qos_name() - the name Kubernetes gives a QoS class.
 * @qos: the class.
 *
 * Return: "Guaranteed", "Burstable", "BestEffort" or "unknown".
 */
const char *abac_kube_qos_name(enum abac_kube_qos qos)
{
	return qos < ABAC_KUBE_QOS_COUNT ? qos_names[qos] : "unknown";
}

/**
 * abac_kube_driver_name() - the kubelet's name for a cgroup driver.
 * @drv: the driver.
 *
 * Return: "cgroupfs" or "systemd".
 */
const char *abac_kube_driver_name(enum abac_kube_driver drv)
{
	return drv == ABAC_KUBE_SYSTEMD ? "systemd" : "cgroupfs";
}

static bool uid_valid(const char *s)
{
	size_t n = strlen(s);

	return n && n < ABAC_KUBE_UID_MAX &&
	       strspn(s, "0123456789abcdefABCDEF-") == n;
}

static int pair_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t nx = strcspn(x, "="), ny = strcspn(y, "=");
	int c = memcmp(x, y, nx < ny ? nx : ny);

	return c ? c : (int)nx - (int)ny;
}

/*
 * Check one pair's value as "abac subject tag" does: each of its
 * comma-separated values non-empty, escaped as in a label, valid.
 */
static bool value_ok(const char *v, char *why, size_t sz)
{
	char raw[ABAC_VALUE_MAX + 1], reason[160];
	size_t len = strlen(v), span;
	const char *p;

	for (p = v; ; p += span + 1) {
		span = abac_value_span(p, len - (p - v));
		if (!span) {
			snprintf(why, sz, "an empty value");
			return false;
		}
		if (p[span] == ';') {
			snprintf(why, sz, "';' in a value is written \\;");
			return false;
		}
		if (abac_value_unescape(p, span, raw, sizeof(raw), reason,
					sizeof(reason)) < 0) {
			snprintf(why, sz, "%s", reason);
			return false;
		}
		if (!p[span])
			return true;
	}
}

/* Add "name=value" for every abac.io/ key of @map (labels or annotations). */
static int take_pairs(struct abac_pod *pod, const struct ynode *map,
		      const char *what)
{
	const size_t plen = strlen(ABAC_KUBE_PREFIX);
	char q[ABAC_QUOTE_BYTES], why[200];
	size_t i, j;

	if (null_or_absent(map))
		return 0;
	if (map->kind != YN_MAP) {
		snprintf(pod->err, sizeof(pod->err),
			 "metadata.%s is not a mapping", what);
		return -EINVAL;
	}
	for (i = 0; i + 1 < map->n; i += 2) {
		const struct ynode *k = map->kids[i], *v = map->kids[i + 1];
		const char *name = k->s + plen;
		char **np, *pair;

		if (k->len < plen || memcmp(k->s, ABAC_KUBE_PREFIX, plen))
			continue;
		if (!abac_name_valid(name, k->len - plen)) {
			snprintf(pod->err, sizeof(pod->err),
				 "%s '%s': an attribute name is 1 to 63 of [A-Za-z0-9_.:/@+-] after '" ABAC_KUBE_PREFIX "'",
				 what, abac_quote(k->s, k->len, q));
			return -EINVAL;
		}
		if (v->kind != YN_SCALAR || null_or_absent(v)) {
			snprintf(pod->err, sizeof(pod->err),
				 "%s '%s' is not a string", what,
				 abac_quote(k->s, k->len, q));
			return -EINVAL;
		}
		if (!value_ok(v->s, why, sizeof(why))) {
			snprintf(pod->err, sizeof(pod->err),
				 "%s '%s': '%s': %s", what,
				 abac_quote(k->s, k->len, q),
				 abac_quote(v->s, v->len, q), why);
			return -EINVAL;
		}
		for (j = 0; j < pod->npairs; j++) {
			const char *o = pod->pairs[j];
			size_t on = strcspn(o, "=");

			if (on != k->len - plen || memcmp(o, name, on))
				continue;
			if (!strcmp(o + on + 1, v->s))
				break;	/* a label and an annotation agree */
			snprintf(pod->err, sizeof(pod->err),
				 "'%s' is given twice, as '%s' and as '%s': which one is meant is not guessed",
				 abac_quote(k->s, k->len, q), o + on + 1,
				 v->s);
			return -EINVAL;
		}
		if (j < pod->npairs)
			continue;
		if (asprintf(&pair, "%s=%s", name, v->s) < 0)
			return -ENOMEM;
		np = realloc(pod->pairs, (pod->npairs + 1) * sizeof(*np));
		if (!np) {
			free(pair);
			return -ENOMEM;
		}
		pod->pairs = np;
		pod->pairs[pod->npairs++] = pair;
	}
	return 0;
}

/* @pod->pairs as abacd's tag text, in @pod->tags. */
static int join_tags(struct abac_pod *pod)
{
	size_t i, len = 1;
	char **q;
	int err = 0;

	if (pod->npairs)	/* qsort() takes no NULL, even for none */
		qsort(pod->pairs, pod->npairs, sizeof(*pod->pairs), pair_cmp);
	q = calloc(pod->npairs + 1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	for (i = 0; i < pod->npairs; i++) {
		q[i] = abac_pair_quote(pod->pairs[i]);
		if (!q[i]) {
			err = -ENOMEM;
			goto out;
		}
		len += strlen(q[i]) + 1;
	}
	pod->tags = malloc(len);
	if (!pod->tags) {
		err = -ENOMEM;
		goto out;
	}
	pod->tags[0] = '\0';
	for (i = 0; i < pod->npairs; i++) {
		if (i)
			strcat(pod->tags, " ");
		strcat(pod->tags, q[i]);
	}
	if (strlen(pod->tags) >= ABAC_TAGS_MAX)
		snprintf(pod->err, sizeof(pod->err),
			 "its attributes are %zu bytes, more than the %d a cgroup's tags may hold",
			 strlen(pod->tags), ABAC_TAGS_MAX - 1);
out:
	for (i = 0; i < pod->npairs; i++)
		free(q[i]);
	free(q);
	return err;
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

/* One item of the list into @pod; only -ENOMEM is returned as an error. */
static int take_pod(const struct ynode *item, struct abac_pod *pod)
{
	const struct ynode *md = get(item, "metadata");
	const struct ynode *spec = get(item, "spec");
	const struct ynode *status = get(item, "status");
	const char *ns, *name, *uid, *node, *qos, *kind, *phase, *mirror;
	char q[ABAC_QUOTE_BYTES];
	bool bad = false;
	int i, err;

	pod->line = item->line;
	pod->qos = ABAC_KUBE_QOS_UNKNOWN;
	if (item->kind != YN_MAP) {
		snprintf(pod->err, sizeof(pod->err), "an item that is not a mapping");
		return (pod->ns = strdup("")) && (pod->name = strdup("")) &&
		       (pod->uid = strdup("")) && (pod->node = strdup("")) ?
		       0 : -ENOMEM;
	}
	kind = str_field(item, "kind", &bad);
	ns = str_field(md, "namespace", &bad);
	name = str_field(md, "name", &bad);
	uid = str_field(md, "uid", &bad);
	node = str_field(spec, "nodeName", &bad);
	qos = str_field(status, "qosClass", &bad);
	phase = str_field(status, "phase", &bad);
	pod->ended = phase && (!strcmp(phase, "Succeeded") ||
			       !strcmp(phase, "Failed"));
	pod->ns = dup_or_empty(ns);
	pod->name = dup_or_empty(name);
	pod->uid = dup_or_empty(uid);
	pod->node = dup_or_empty(node);
	if (!pod->ns || !pod->name || !pod->uid || !pod->node)
		return -ENOMEM;
	if (kind && strcmp(kind, "Pod")) {
		snprintf(pod->err, sizeof(pod->err), "an item of kind '%.64s', not Pod",
			 kind);
		return 0;
	}
	if (bad || (md && md->kind != YN_MAP) ||
	    (spec && !null_or_absent(spec) && spec->kind != YN_MAP) ||
	    (status && !null_or_absent(status) && status->kind != YN_MAP)) {
		snprintf(pod->err, sizeof(pod->err),
			 "metadata, spec or status, or one of their fields, has the wrong type");
		return 0;
	}
	/* the pairs first: a manifest without a UID yet still shows them */
	err = take_pairs(pod, get(md, "labels"), "label");
	if (!err)
		err = take_pairs(pod, get(md, "annotations"), "annotation");
	if (!err)
		err = join_tags(pod);
	if (err == -ENOMEM)
		return err;
	if (*pod->err)
		return 0;
	if (!uid) {
		snprintf(pod->err, sizeof(pod->err), "no metadata.uid");
		return 0;
	}
	if (!uid_valid(uid)) {
		snprintf(pod->err, sizeof(pod->err),
			 "metadata.uid '%s' is not a UID (hex digits and '-')",
			 abac_quote(uid, strlen(uid), q));
		return 0;
	}
	/*
	 * The API's mirror of a static pod has a UID of its own; the
	 * kubelet names the cgroup by the static pod's, which the mirror
	 * carries in this annotation.
	 */
	mirror = str_field(get(md, "annotations"), MIRROR_KEY, &bad);
	if (bad || (mirror && !uid_valid(mirror))) {
		pod->uid_unknown = true;
		snprintf(pod->err, sizeof(pod->err),
			 "annotation " MIRROR_KEY " '%s' is not a UID (hex digits and '-')",
			 mirror ? abac_quote(mirror, strlen(mirror), q) : "");
		return 0;
	}
	if (mirror) {
		free(pod->uid);
		pod->uid = strdup(mirror);
		if (!pod->uid)
			return -ENOMEM;
	}
	for (i = 0; qos && i < ABAC_KUBE_QOS_COUNT; i++)
		if (!strcmp(qos, qos_names[i]))
			pod->qos = i;
	if (qos && pod->qos == ABAC_KUBE_QOS_UNKNOWN)
		snprintf(pod->err, sizeof(pod->err),
			 "status.qosClass '%.64s' is none of Guaranteed, Burstable, BestEffort",
			 qos);
	return 0;
}

/**
 * abac_podlist_parse() - read a pod list.
 * @file: the name errors are reported under.
 * @buf: the JSON (or YAML) text.
 * @len: bytes in @buf.
 * @out: receives the pods; abac_podlist_free() it.
 * @diags: receives why the text as a whole is refused.
 *
 * Takes a PodList (the kubelet's /pods), a List of Pods ("kubectl get
 * pods -o json") or one Pod.  A pod that cannot be tagged is returned
 * with its reason in @err.
 *
 * Return: 0, -EINVAL with the reason in @diags, or -ENOMEM.
 */
int abac_podlist_parse(const char *file, const char *buf, size_t len,
		       struct abac_podlist *out, struct abac_diags *diags)
{
	const struct ynode *items, *one[1];
	struct ynode *root = NULL;
	const struct ynode *const *v;
	const char *kind;
	bool bad = false;
	size_t i, n;
	int err;

	memset(out, 0, sizeof(*out));
	err = ktree(file, buf, len, diags, &root);
	if (err)
		goto out;
	if (!root || root->kind != YN_MAP) {
		abac_diag_add(diags, false, file, root ? root->line : 1,
			      root ? root->col : 1,
			      "not a pod list: expected a JSON object");
		err = -EINVAL;
		goto out;
	}
	kind = str_field(root, "kind", &bad);
	items = get(root, "items");
	if (kind && !strcmp(kind, "Pod")) {
		one[0] = root;
		v = one;
		n = 1;
	} else if ((kind && strcmp(kind, "PodList") && strcmp(kind, "List")) ||
		   bad) {
		abac_diag_add(diags, false, file, root->line, root->col,
			      "not a pod list: kind is '%.64s', not PodList, List or Pod",
			      bad ? "(not a string)" : kind);
		err = -EINVAL;
		goto out;
	} else if (null_or_absent(items) && items) {
		v = NULL;
		n = 0;
	} else if (!items || items->kind != YN_SEQ) {
		abac_diag_add(diags, false, file,
			      items ? items->line : root->line,
			      items ? items->col : root->col,
			      "not a pod list: %s",
			      items ? "\"items\" is not a list" :
				      "no \"items\"");
		err = -EINVAL;
		goto out;
	} else {
		v = (const struct ynode *const *)items->kids;
		n = items->n;
	}
	out->v = calloc(n ? n : 1, sizeof(*out->v));
	if (!out->v) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		out->n++;
		err = take_pod(v[i], &out->v[i]);
		if (err)
			break;
	}
out:
	if (err)
		abac_podlist_free(out);
	abac_ynode_free(root);
	return err;
}

/**
 * abac_podlist_free() - free what abac_podlist_parse() returned.
 * @pl: the pods.
 */
void abac_podlist_free(struct abac_podlist *pl)
{
	size_t i, j;

	for (i = 0; i < pl->n; i++) {
		struct abac_pod *p = &pl->v[i];

		for (j = 0; j < p->npairs; j++)
			free(p->pairs[j]);
		free(p->pairs);
		free(p->tags);
		free(p->ns);
		free(p->name);
		free(p->uid);
		free(p->node);
	}
	free(pl->v);
	memset(pl, 0, sizeof(*pl));
}

/* ---- the kubelet's cgroup layout --------------------------------------- */

/*
 * cgroupfs:  kubepods/pod<uid>             (Guaranteed)
 *            kubepods/burstable/pod<uid>
 *            kubepods/besteffort/pod<uid>
 * systemd:   kubepods.slice/kubepods-pod<uid_>.slice
 *            kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid_>.slice
 *            kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod<uid_>.slice
 * where uid_ is the UID with '-' written '_' ('-' nests systemd slices).
 */
static const char *const qos_dir[ABAC_KUBE_QOS_COUNT] = {
	[ABAC_KUBE_GUARANTEED] = "",
	[ABAC_KUBE_BURSTABLE] = "burstable",
	[ABAC_KUBE_BESTEFFORT] = "besteffort",
};

/**
 * abac_kube_pod_cgroup() - where the kubelet puts a pod's cgroup.
 * @drv: the kubelet's cgroup driver.
 * @qos: the pod's QoS class.
 * @uid: the pod's UID.
 * @out: receives the path relative to the kubelet's cgroup root.
 * @sz: bytes at @out.
 *
 * Return: 0, -EINVAL for a UID that is not one or an unknown class,
 * -ENAMETOOLONG.
 */
int abac_kube_pod_cgroup(enum abac_kube_driver drv, enum abac_kube_qos qos,
			 const char *uid, char *out, size_t sz)
{
	char u[ABAC_KUBE_UID_MAX];
	const char *q;
	size_t i;
	int n;

	if (qos >= ABAC_KUBE_QOS_COUNT || !uid_valid(uid))
		return -EINVAL;
	q = qos_dir[qos];
	if (drv == ABAC_KUBE_CGROUPFS) {
		n = snprintf(out, sz, "kubepods/%s%spod%s", q, *q ? "/" : "",
			     uid);
	} else {
		for (i = 0; uid[i]; i++)
			u[i] = uid[i] == '-' ? '_' : uid[i];
		u[i] = '\0';
		if (*q)
			n = snprintf(out, sz,
				     "kubepods.slice/kubepods-%s.slice/kubepods-%s-pod%s.slice",
				     q, q, u);
		else
			n = snprintf(out, sz,
				     "kubepods.slice/kubepods-pod%s.slice", u);
	}
	return n < 0 || (size_t)n >= sz ? -ENAMETOOLONG : 0;
}

/**
 * abac_kube_cgroup_uid() - the pod UID of a pod cgroup's path.
 * @drv: the kubelet's cgroup driver.
 * @rel: a path relative to the kubelet's cgroup root.
 * @uid: receives the UID (for systemd, with '_' written back '-').
 * @sz: bytes at @uid.
 *
 * The inverse of abac_kube_pod_cgroup(): a container's cgroup below a
 * pod's, or any other path, is not a pod cgroup.
 *
 * Return: 0, or -ENOENT when @rel is not a pod cgroup.
 */
int abac_kube_cgroup_uid(enum abac_kube_driver drv, const char *rel,
			 char *uid, size_t sz)
{
	const char *base = strrchr(rel, '/'), *start, *end;
	char want[PATH_MAX];
	size_t i, n;
	int q;

	base = base ? base + 1 : rel;
	if (drv == ABAC_KUBE_CGROUPFS) {
		if (strncmp(base, "pod", 3))
			return -ENOENT;
		start = base + 3;
		end = start + strlen(start);
	} else {
		start = strstr(base, "-pod");
		n = strlen(base);
		if (!start || n < 6 || strcmp(base + n - 6, ".slice"))
			return -ENOENT;
		start += 4;
		end = base + n - 6;
	}
	n = end - start;
	if (!n || n >= sz)
		return -ENOENT;
	for (i = 0; i < n; i++)
		uid[i] = drv == ABAC_KUBE_SYSTEMD && start[i] == '_' ? '-' :
								      start[i];
	uid[n] = '\0';
	if (!uid_valid(uid))
		return -ENOENT;
	/* only where the kubelet would put it: the layout, not the name */
	for (q = 0; q < ABAC_KUBE_QOS_COUNT; q++) {
		if (!abac_kube_pod_cgroup(drv, q, uid, want, sizeof(want)) &&
		    !strcmp(want, rel))
			return 0;
	}
	return -ENOENT;
}

/**
 * abac_kube_tagged_parse() - the tagged (or bound) cgroups abacd lists.
 * @buf: the JSON of "subject-list --json": [{"cgroup": ..., "tags": ...}],
 *	or of "subject-bindings --json", whose entries have an "owner" too.
 * @len: bytes in @buf.
 * @out: receives a malloc()ed array; abac_kube_tagged_free() it.
 * @n: receives its entries.
 *
 * Return: 0, -EINVAL when @buf is not such a list, or -ENOMEM.
 */
int abac_kube_tagged_parse(const char *buf, size_t len,
			   struct abac_kube_tagged **out, size_t *n)
{
	struct abac_diags diags;
	struct abac_kube_tagged *v = NULL;
	struct ynode *root = NULL;
	size_t i, k = 0;
	int err;

	abac_diags_init(&diags);
	*out = NULL;
	*n = 0;
	err = ktree("abacd", buf, len, &diags, &root);
	if (!err && (!root || root->kind != YN_SEQ))
		err = -EINVAL;
	if (!err) {
		v = calloc(root->n + 1, sizeof(*v));
		if (!v)
			err = -ENOMEM;
	}
	for (i = 0; !err && i < root->n; i++) {
		bool bad = false;
		const char *path = str_field(root->kids[i], "cgroup", &bad);
		const char *tags = str_field(root->kids[i], "tags", &bad);
		const char *owner = str_field(root->kids[i], "owner", &bad);

		if (!path || !tags || bad) {
			err = -EINVAL;
			break;
		}
		v[k].path = strdup(path);
		v[k].tags = strdup(tags);
		v[k].owner = owner ? strdup(owner) : NULL;
		if (!v[k].path || !v[k].tags || (owner && !v[k].owner))
			err = -ENOMEM;
		k++;
	}
	if (err) {
		abac_kube_tagged_free(v, k);
	} else {
		*out = v;
		*n = k;
	}
	abac_ynode_free(root);
	abac_diags_free(&diags);
	return err;
}

/**
 * abac_kube_tagged_free() - free what abac_kube_tagged_parse() returned.
 * @v: the array.
 * @n: its entries.
 */
void abac_kube_tagged_free(struct abac_kube_tagged *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		free(v[i].path);
		free(v[i].tags);
		free(v[i].owner);
	}
	free(v);
}
