// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tagged cgroups: the sets of subjects a proposal carries, kept by path
 * (a cgroup recreated at the same path gets its tags back) and checked
 * against the policy their tags must fit.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "abacd.h"

static void subject_clear(struct subject *s)
{
	free(s->path);
	free(s->tags);
}

/**
 * subjects_free() - free a set of tagged cgroups.
 * @s: the set; left empty.
 */
void subjects_free(struct subjects *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		subject_clear(&s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/**
 * subjects_copy() - copy a set of tagged cgroups.
 * @src: the set.
 * @dst: receives the copy (with room for one more entry).
 *
 * Return: 0, or -ENOMEM with @dst empty.
 */
int subjects_copy(const struct subjects *src, struct subjects *dst)
{
	size_t i;

	dst->n = 0;
	dst->v = calloc(src->n + 1, sizeof(*dst->v));
	if (!dst->v)
		return -ENOMEM;
	for (i = 0; i < src->n; i++) {
		struct subject *e = &dst->v[i];

		*e = src->v[i];
		e->path = strdup(src->v[i].path);
		e->tags = strdup(src->v[i].tags);
		dst->n++;
		if (!e->path || !e->tags) {
			subjects_free(dst);
			return -ENOMEM;
		}
	}
	return 0;
}

/**
 * subjects_remove() - remove one entry of a set.
 * @s: the set.
 * @i: the entry's index.
 */
void subjects_remove(struct subjects *s, size_t i)
{
	subject_clear(&s->v[i]);
	memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof(s->v[0]));
	s->n--;
}

/**
 * subjects_set() - tag a cgroup, replacing the tags of the same cgroup
 *	(same id or path).
 * @s: the set.
 * @path: the cgroup's canonical path.
 * @id: its id.
 * @level: its level.
 * @tags: "key=value key=value".
 *
 * Return: 0 or -ENOMEM.
 */
int subjects_set(struct subjects *s, const char *path, __u64 id,
			unsigned int level, const char *tags)
{
	struct subject *v, *e = NULL;
	size_t i;

	for (i = 0; i < s->n && !e; i++) {
		if (s->v[i].id == id || !strcmp(s->v[i].path, path))
			e = &s->v[i];
	}
	if (!e) {
		v = realloc(s->v, (s->n + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		s->v = v;
		e = &v[s->n++];
		memset(e, 0, sizeof(*e));
	}
	subject_clear(e);
	e->path = strdup(path);
	e->tags = strdup(tags);
	e->id = id;
	e->level = level;
	e->bound = false;
	e->absent = false;
	return e->path && e->tags ? 0 : -ENOMEM;
}

/**
 * subjects_refresh() - look at every tagged cgroup again.
 * @d: the agent.
 * @s: the set.
 *
 * One tagged by hand and removed meanwhile is kept, absent and out of
 * the image, so that it gets its tags back under its new id when it is
 * made again at its path, whatever rebuilds happen in between; if root
 * made it: a cgroup a user may make (a delegated subtree) is not given
 * tags because its name matches.  One a binding tagged is dropped (the
 * binding finds it again).
 */
void subjects_refresh(struct abacd *d, struct subjects *s)
{
	size_t i = 0;
	__u64 was;
	uid_t uid;
	int err;

	while (i < s->n) {
		was = s->v[i].id;
		err = cg_stat_owner(s->v[i].path, &s->v[i].id, &uid);
		if (!err && was && s->v[i].id != was && uid != 0) {
			say("warning: cgroup %s was made again by uid %u, not root: its tags are not given back",
			    s->v[i].path, (unsigned int)uid);
			err = -EPERM;
		}
		if (err && s->v[i].bound) {
			/* a binding finds it again should it come back */
			subjects_remove(s, i);
			continue;
		}
		if (err == -ENOENT) {
			s->v[i].absent = true;	/* until it is made again */
			i++;
			continue;
		}
		if (err) {
			say("warning: dropped the tags of cgroup %s: %s",
			    s->v[i].path, strerror(-err));
			subjects_remove(s, i);
			continue;
		}
		s->v[i].absent = false;
		s->v[i].level = cg_level(d, s->v[i].path);
		i++;
	}
}

/* Copy the errors of one subject's tags into @diags, naming the cgroup. */
static void tag_diags(const struct subject *sj, const struct abac_diags *one,
		      const char *file, struct abac_diags *diags)
{
	size_t i;

	for (i = 0; i < one->n; i++) {
		if (one->v[i].warning)
			continue;
		abac_diag_add(diags, false, file, 0, 0,
			      "cgroup %s is tagged '%s': %s", sj->path,
			      sj->tags, one->v[i].msg);
	}
}

/**
 * subjects_resolve() - do the tags of every cgroup in @s resolve against
 *	@p?
 * @p: the policy.
 * @s: the set.
 * @file: the policy's file name, for @diags.
 * @drop: drop the entries whose tags do not resolve (start-up: the agent
 *	must come up); without, each is an error in @diags (an apply:
 *	refuse it whole).  An absent entry (a removed cgroup kept for its
 *	return) whose tags do not resolve is always dropped, with a warning:
 *	a cgroup that is gone does not hold a new policy back.
 * @diags: receives the errors.
 *
 * Return: 0, or -EINVAL when an entry does not resolve and !@drop.
 */
int subjects_resolve(const struct abac_policy *p, struct subjects *s,
			    const char *file, bool drop,
			    struct abac_diags *diags)
{
	struct abac_diags one;
	struct abac_attrs attrs;
	size_t i = 0;
	int err, ret = 0;

	while (i < s->n) {
		abac_diags_init(&one);
		err = abac_tags_resolve(p, s->v[i].tags, &attrs, &one);
		if ((err || one.errors) && (drop || s->v[i].absent)) {
			/* a removed cgroup does not hold a policy back */
			say("warning: dropped the tags of cgroup %s: '%s' does not fit policy %s",
			    s->v[i].path, s->v[i].tags, p->name);
			subjects_remove(s, i);
		} else if (err || one.errors) {
			tag_diags(&s->v[i], &one, file, diags);
			ret = -EINVAL;
			i++;
		} else {
			i++;
		}
		abac_diags_free(&one);
	}
	return ret;
}

/**
 * subject_by_id() - the tagged cgroup with id @id.
 * @d: the agent.
 * @id: a cgroup id.
 *
 * Return: the subject, or NULL.
 */
const struct subject *subject_by_id(const struct abacd *d, __u64 id)
{
	size_t i;

	for (i = 0; i < d->subj.n; i++) {
		if (d->subj.v[i].id == id && !d->subj.v[i].absent)
			return &d->subj.v[i];
	}
	return NULL;
}

/**
 * subjects_find() - where a cgroup is in a set.
 * @s: the set.
 * @path: the cgroup, by the path as given or canonical, or by its id.
 *
 * Return: the entry's index, or -ENOENT.
 */
int subjects_find(const struct subjects *s, const char *path)
{
	char canon[PATH_MAX];
	__u64 id = 0;
	size_t i;

	if (!realpath(path, canon))
		canon[0] = '\0';
	else if (cg_stat(canon, &id))
		id = 0;
	for (i = 0; i < s->n; i++) {
		if (!strcmp(s->v[i].path, path) ||
		    !strcmp(s->v[i].path, canon) || (id && s->v[i].id == id))
			return (int)i;
	}
	return -ENOENT;
}

/* Is the cgroup at @path in @s by its path? */
static bool has_path(const struct subjects *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (!strcmp(s->v[i].path, path))
			return true;
	}
	return false;
}

/* Add the cgroups below @b's parent whose names @b is the binding for. */
static int bind_dir(const struct abacd *d, const struct abac_policy *p,
		    const struct abac_binding *b, struct subjects *s)
{
	const char *root = strcmp(d->cg_root, "/") ? d->cg_root : "";
	char dir[PATH_MAX], path[PATH_MAX + NAME_MAX + 2];
	struct dirent *de;
	int err = 0;
	uid_t uid;
	__u64 id;
	DIR *dp;

	if ((size_t)snprintf(dir, sizeof(dir), "%s%s%s", root,
			     *b->dir ? "/" : "", b->dir) >= sizeof(dir))
		return 0;	/* no cgroup has so long a path */
	dp = opendir(dir);
	if (!dp)
		return 0;	/* not there yet: the watch sees it come */
	while (!err && (de = readdir(dp))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.' ||
		    abac_binding_find(p, b->dir, de->d_name) != b)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir,
			     de->d_name) >= PATH_MAX ||
		    has_path(s, path) || cg_stat_owner(path, &id, &uid))
			continue;	/* tags given by hand win */
		if (uid != 0)
			continue;	/* a user's own cgroup: never bound */
		if (s->n >= ABAC_MAX_SUBJECTS) {
			err = -E2BIG;
			break;
		}
		err = subjects_set(s, path, id, cg_level(d, path), b->tags);
		if (!err)
			s->v[s->n - 1].bound = true;
	}
	closedir(dp);
	return err;
}

/**
 * subjects_bind() - tag the cgroups the policy's bindings name, as the
 *	cgroup tree is now.
 * @d: the agent.
 * @p: the policy; NULL binds nothing.
 * @s: the set: its bound entries are replaced; entries tagged by hand
 *	stay and keep their tags, even where a binding matches.
 *
 * Return: 0, -ENOMEM, or -E2BIG when the set would hold more than the
 * image takes (the bound entries found so far stay).
 */
int subjects_bind(const struct abacd *d, const struct abac_policy *p,
		  struct subjects *s)
{
	unsigned int b;
	size_t i = 0;
	int err = 0;

	while (i < s->n) {
		if (s->v[i].bound)
			subjects_remove(s, i);
		else
			i++;
	}
	for (b = 0; p && b < p->nbindings && !err; b++)
		err = bind_dir(d, p, &p->bindings[b], s);
	return err;
}

/**
 * subjects_same() - do two sets tag the same cgroups with the same tags?
 * @a: a set.
 * @b: another.
 *
 * Return: true when every entry of each has one in the other with the
 * same id, path and tags.
 */
bool subjects_same(const struct subjects *a, const struct subjects *b)
{
	size_t i, k;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++) {
		for (k = 0; k < b->n; k++) {
			if (a->v[i].id == b->v[k].id &&
			    !strcmp(a->v[i].path, b->v[k].path) &&
			    !strcmp(a->v[i].tags, b->v[k].tags))
				break;
		}
		if (k == b->n)
			return false;
	}
	return true;
}
