// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bindings added at run time ("abac subject bind"): a cgroup to come,
 * named by its full path, and the tags it gets from the moment it is
 * made.  They work as a policy's subjects: entries with an exact name:
 * merged after the policy's own (policy order wins) into the view every
 * user of bindings reads (rtbinds_view()), so that the image's binding
 * table lets the kernel match the cgroup by its parent's id and its name
 * from its first instruction, and the watch then tags it by id.
 *
 * Each has an owner ("kube" for "abac kube", "operator" by default), so
 * that a tool removes its own and nobody else's.  They are kept in the
 * state directory (file "bindings", written with the other state files)
 * and checked against each new policy: one whose tags no longer fit is
 * dropped and said so.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abacd.h"

/**
 * rtbinds_free() - free a list of run-time bindings.
 * @r: the list; left empty.
 */
void rtbinds_free(struct rtbinds *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].path);
		free(r->v[i].owner);
		free(r->v[i].b.dir);
		free(r->v[i].b.glob);
		free(r->v[i].b.tags);
	}
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

/**
 * rtbinds_find() - where the binding of a cgroup path is in a list.
 * @r: the list.
 * @path: the cgroup's absolute path.
 *
 * Return: its index, or -ENOENT.
 */
int rtbinds_find(const struct rtbinds *r, const char *path)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (!strcmp(r->v[i].path, path))
			return (int)i;
	}
	return -ENOENT;
}

/**
 * rtbinds_set() - add a binding to a list, or replace the one of the same
 *	path (it keeps its place).
 * @r: the list.
 * @path: the cgroup's absolute path.
 * @dir: its parent below the cgroup2 root ("" the root).
 * @name: its own name.
 * @owner: who added it.
 * @tags: its tags.
 *
 * Return: 0 or -ENOMEM (then @r is as it was).
 */
int rtbinds_set(struct rtbinds *r, const char *path, const char *dir,
		const char *name, const char *owner, const char *tags)
{
	struct rtbind e = { 0 }, *v;
	int i = rtbinds_find(r, path);

	e.path = strdup(path);
	e.owner = strdup(owner);
	e.b.dir = strdup(dir);
	e.b.glob = strdup(name);
	e.b.tags = strdup(tags);
	if (!e.path || !e.owner || !e.b.dir || !e.b.glob || !e.b.tags)
		goto nomem;
	if (i < 0) {
		v = realloc(r->v, (r->n + 1) * sizeof(*v));
		if (!v)
			goto nomem;
		r->v = v;
		r->v[r->n++] = e;
		return 0;
	}
	free(r->v[i].path);
	free(r->v[i].owner);
	free(r->v[i].b.dir);
	free(r->v[i].b.glob);
	free(r->v[i].b.tags);
	r->v[i] = e;
	return 0;
nomem:
	free(e.path);
	free(e.owner);
	free(e.b.dir);
	free(e.b.glob);
	free(e.b.tags);
	return -ENOMEM;
}

/**
 * rtbinds_remove() - remove one entry of a list.
 * @r: the list.
 * @i: the entry's index.
 */
void rtbinds_remove(struct rtbinds *r, size_t i)
{
	free(r->v[i].path);
	free(r->v[i].owner);
	free(r->v[i].b.dir);
	free(r->v[i].b.glob);
	free(r->v[i].b.tags);
	memmove(&r->v[i], &r->v[i + 1], (r->n - i - 1) * sizeof(r->v[0]));
	r->n--;
}

/**
 * rtbinds_copy() - copy a list.
 * @src: the list.
 * @dst: receives the copy.
 *
 * Return: 0, or -ENOMEM with @dst empty.
 */
int rtbinds_copy(const struct rtbinds *src, struct rtbinds *dst)
{
	size_t i;
	int err = 0;

	memset(dst, 0, sizeof(*dst));
	for (i = 0; i < src->n && !err; i++)
		err = rtbinds_set(dst, src->v[i].path, src->v[i].b.dir,
				  src->v[i].b.glob, src->v[i].owner,
				  src->v[i].b.tags);
	if (err)
		rtbinds_free(dst);
	return err;
}

/**
 * rtbinds_view() - a policy as the users of bindings see it: its own
 *	bindings first, then the agent's run-time ones.
 * @d: the agent.
 * @p: the policy (NULL: none).
 * @view: room for the view; rtbinds_view_free() it.
 *
 * The view shares everything but its binding array with @p: it is read,
 * never freed as a policy.  Without run-time bindings it is @p itself.
 *
 * Return: @p or @view; NULL (with @view empty) when out of memory.
 */
const struct abac_policy *rtbinds_view(const struct abacd *d,
				       const struct abac_policy *p,
				       struct abac_policy *view)
{
	struct abac_binding *v;
	size_t i;

	memset(view, 0, sizeof(*view));
	if (!p || !d->rt.n)
		return p;
	v = calloc(p->nbindings + d->rt.n, sizeof(*v));
	if (!v)
		return NULL;
	if (p->nbindings)
		memcpy(v, p->bindings, p->nbindings * sizeof(*v));
	for (i = 0; i < d->rt.n; i++)
		v[p->nbindings + i] = d->rt.v[i].b;
	*view = *p;
	view->bindings = v;
	view->nbindings = p->nbindings + d->rt.n;
	return view;
}

/**
 * rtbinds_view_free() - free what rtbinds_view() made.
 * @p: the policy it was made of.
 * @view: the view.
 */
void rtbinds_view_free(const struct abac_policy *p, struct abac_policy *view)
{
	if (p && view->bindings != p->bindings)
		free(view->bindings);
	memset(view, 0, sizeof(*view));
}

/* Is @owner a word: letters, digits, '.', '_', '-'? */
static bool owner_ok(const char *owner)
{
	size_t i, n = strlen(owner);

	if (!n || n > RTBIND_OWNER_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char c = owner[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return false;
	}
	return true;
}

/**
 * rtbinds_split() - check the path of a cgroup to bind and split it.
 * @d: the agent.
 * @path: the cgroup's absolute path; it need not exist.
 * @owner: the binding's owner.
 * @dir: receives its parent below the cgroup2 root ("" the root).
 * @dsz: bytes at @dir.
 * @name: receives its own name.
 * @nsz: bytes at @name.
 * @why: receives why it is refused.
 * @wsz: bytes at @why.
 *
 * Return: 0, or -EINVAL (-ENAMETOOLONG) with @why said.
 */
int rtbinds_split(const struct abacd *d, const char *path, const char *owner,
		  char *dir, size_t dsz, char *name, size_t nsz, char *why,
		  size_t wsz)
{
	size_t rl = strcmp(d->cg_root, "/") ? strlen(d->cg_root) : 0;
	const char *rel, *slash, *c;

	if (!owner_ok(owner)) {
		snprintf(why, wsz, "owner '%.64s' is not a word of at most %d letters, digits, '.', '_' or '-'",
			 owner, RTBIND_OWNER_MAX);
		return -EINVAL;
	}
	if (path[0] != '/' || strncmp(path, d->cg_root, rl) ||
	    path[rl] != '/' || !path[rl + 1]) {
		snprintf(why, wsz, "%s is not the path of a cgroup below %s",
			 path, d->cg_root);
		return -EINVAL;
	}
	rel = path + rl + 1;
	for (c = rel; *c; c++) {
		if ((unsigned char)*c < 0x20 || *c == 0x7f) {
			snprintf(why, wsz, "cgroup path holds control characters");
			return -EINVAL;
		}
	}
	if (strstr(rel, "//") || rel[strlen(rel) - 1] == '/' ||
	    !strcmp(rel, ".") || !strcmp(rel, "..") ||
	    !strncmp(rel, "./", 2) || !strncmp(rel, "../", 3) ||
	    strstr(rel, "/./") || strstr(rel, "/../") ||
	    (strlen(rel) >= 2 && !strcmp(rel + strlen(rel) - 2, "/.")) ||
	    (strlen(rel) >= 3 && !strcmp(rel + strlen(rel) - 3, "/.."))) {
		snprintf(why, wsz, "%s is not a canonical path (no '//', '.', '..' or trailing '/')",
			 path);
		return -EINVAL;
	}
	slash = strrchr(rel, '/');
	snprintf(name, nsz, "%s", slash ? slash + 1 : rel);
	if (strchr(name, '*')) {
		snprintf(why, wsz, "a bound name is exact: '*' is for the policy's subjects: globs");
		return -EINVAL;
	}
	if (strlen(name) > ABAC_BIND_NAME_MAX) {
		snprintf(why, wsz, "a bound name is at most %d bytes (ABAC_BIND_NAME_MAX)",
			 ABAC_BIND_NAME_MAX);
		return -ENAMETOOLONG;
	}
	if ((size_t)(slash ? slash - rel : 0) >= dsz) {
		snprintf(why, wsz, "cgroup path too long");
		return -ENAMETOOLONG;
	}
	snprintf(dir, dsz, "%.*s", (int)(slash ? slash - rel : 0), rel);
	return 0;
}

/**
 * rtbinds_fit() - keep the bindings a policy takes.
 * @p: the policy.
 * @r: the list: entries whose tags do not resolve under @p, and those
 *	beyond ABAC_MAX_BINDINGS with @p's own, are removed.
 * @quiet: do not say() what is dropped.
 *
 * Return: how many were dropped.
 */
unsigned int rtbinds_fit(const struct abac_policy *p, struct rtbinds *r,
			 bool quiet)
{
	struct abac_attrs attrs;
	struct abac_diags dg;
	unsigned int dropped = 0;
	size_t i = 0;

	while (i < r->n) {
		const char *why = NULL;

		abac_diags_init(&dg);
		if (abac_tags_resolve(p, r->v[i].b.tags, &attrs, &dg) ||
		    dg.errors)
			why = dg.n ? dg.v[0].msg : "its tags do not resolve";
		else if (p->nbindings + i >= ABAC_MAX_BINDINGS)
			why = "with the policy's own it passes ABAC_MAX_BINDINGS";
		if (why) {
			if (!quiet)
				say("binding of cgroup %s (owner %s, tags %s) does not fit policy %s: dropped (%s)",
				    r->v[i].path, r->v[i].owner,
				    r->v[i].b.tags, p->name, why);
			rtbinds_remove(r, i);
			dropped++;
		} else {
			i++;
		}
		abac_diags_free(&dg);
	}
	return dropped;
}

/**
 * rtbinds_text() - the state file's text: one binding a line, PATH TAB
 *	OWNER TAB TAGS.
 * @r: the list.
 * @len: receives the text's length.
 *
 * Return: the malloc()ed text, or NULL when out of memory.
 */
char *rtbinds_text(const struct rtbinds *r, size_t *len)
{
	char *buf = NULL;
	size_t i;
	FILE *f;

	f = open_memstream(&buf, len);
	if (!f)
		return NULL;
	fputs("# abacd: cgroups bound at run time, one a line: PATH<TAB>OWNER<TAB>KEY=VALUE...\n",
	      f);
	for (i = 0; i < r->n; i++)
		fprintf(f, "%s\t%s\t%s\n", r->v[i].path, r->v[i].owner,
			r->v[i].b.tags);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/**
 * rtbinds_parse() - read the state file's text.
 * @d: the agent (its cgroup root: a path below another is dropped).
 * @buf: the text, modified in place.
 * @name: the file's name, for messages.
 * @r: receives the bindings.
 *
 * A line that is not PATH TAB OWNER TAB TAGS, or whose path cannot be
 * bound, is dropped with a warning.
 *
 * Return: 0 or -ENOMEM.
 */
int rtbinds_parse(const struct abacd *d, char *buf, const char *name,
		  struct rtbinds *r)
{
	char dir[PATH_MAX], base[NAME_MAX + 1], why[PATH_MAX + 128];
	char *line, *save = NULL, *t1, *t2;
	unsigned int lineno = 0;
	int err = 0;

	memset(r, 0, sizeof(*r));
	for (line = strtok_r(buf, "\n", &save); line && !err;
	     line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		if (*line == '#')
			continue;
		t1 = strchr(line, '\t');
		t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (!t2 || !t2[1]) {
			say("warning: %s: line %u is not PATH<TAB>OWNER<TAB>TAGS: dropped",
			    name, lineno);
			continue;
		}
		*t1 = *t2 = '\0';
		if (rtbinds_split(d, line, t1 + 1, dir, sizeof(dir), base,
				  sizeof(base), why, sizeof(why))) {
			say("warning: %s: line %u: %s: dropped", name, lineno,
			    why);
			continue;
		}
		err = rtbinds_set(r, line, dir, base, t1 + 1, t2 + 1);
	}
	if (err)
		rtbinds_free(r);
	return err;
}
