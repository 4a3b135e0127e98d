// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tagged cgroups: the sets of subjects a proposal carries, kept by path
 * (a cgroup recreated at the same path gets its tags back) and checked
 * against the policy their tags must fit.
 */
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
	return e->path && e->tags ? 0 : -ENOMEM;
}

/**
 * subjects_refresh() - look at every tagged cgroup again.
 * @d: the agent.
 * @s: the set.
 *
 * One removed meanwhile loses its tags (its id will never come back),
 * one recreated at the same path gets them under its new id.
 */
void subjects_refresh(struct abacd *d, struct subjects *s)
{
	size_t i = 0;
	int err;

	while (i < s->n) {
		err = cg_stat(s->v[i].path, &s->v[i].id);
		if (err) {
			say("warning: dropped the tags of cgroup %s: %s",
			    s->v[i].path, strerror(-err));
			subjects_remove(s, i);
			continue;
		}
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
 *	refuse it whole).
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
		if ((err || one.errors) && drop) {
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
		if (d->subj.v[i].id == id)
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
