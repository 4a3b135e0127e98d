// SPDX-License-Identifier: GPL-2.0-only
/*
 * The policy in force and how it changes.
 *
 * Every change (a policy applied, a cgroup tagged or untagged) is a
 * proposal: a policy, its source, the tagged cgroups and the image built
 * from them with the next generation.  A proposal is put in force in one
 * order: state files written beside the old ones, the image swapped into
 * the kernel, the files renamed over the old ones.  Any failure on the
 * way undoes what was done, so the kernel and the state directory never
 * disagree and a refused change changes nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abacd.h"

/**
 * struct proposal - a state that may be put in force.
 * @policy: the parsed policy.
 * @source: its YAML source, NUL-terminated.
 * @len: bytes of @source.
 * @own: @policy and @source are new (an apply), not the agent's own.
 * @subj: the tagged cgroups.
 * @img: the image built from them.
 * @gen: its generation.
 */
struct proposal {
	struct abac_policy *policy;
	char *source;
	size_t len;
	bool own;
	struct subjects subj;
	struct image img;
	__u32 gen;
};

static void image_free(struct image *img)
{
	free(img->buf);
	img->buf = NULL;
	img->len = 0;
}

static const struct abac_image_hdr *hdr_of(const struct image *img)
{
	return img->buf ? img->buf : NULL;
}

static const char *image_name(const struct image *img)
{
	const struct abac_image_hdr *h = hdr_of(img);

	return h ? abac_image_str(img->buf, img->len, h->name_str) : "";
}

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

static void proposal_free(struct proposal *pr)
{
	if (pr->own) {
		if (pr->policy)
			abac_policy_free(pr->policy);
		free(pr->source);
	}
	subjects_free(&pr->subj);
	image_free(&pr->img);
}

static int subjects_copy(const struct subjects *src, struct subjects *dst)
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

static void subjects_remove(struct subjects *s, size_t i)
{
	subject_clear(&s->v[i]);
	memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof(s->v[0]));
	s->n--;
}

/* Tag @path, replacing the tags of the same cgroup (same id or path). */
static int subjects_set(struct subjects *s, const char *path, __u64 id,
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

/*
 * Look at every tagged cgroup again: one removed meanwhile loses its
 * tags (its id will never come back), one recreated at the same path
 * gets them under its new id.
 */
static void subjects_refresh(struct abacd *d, struct subjects *s)
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

/*
 * Do the tags of every cgroup in @s resolve against @p?  With @drop, the
 * ones that do not lose their tags (start-up: the agent must come up);
 * without, each is an error in @diags (an apply: refuse it whole).
 */
static int subjects_resolve(const struct abac_policy *p, struct subjects *s,
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

/* The cgroup path as the library shows it: "/a/b" below the root. */
static void relative_path(const struct abacd *d, const char *path, char *buf,
			  size_t sz)
{
	const char *rel = path + strlen(d->cg_root);

	if (!strcmp(d->cg_root, "/"))
		rel = path;
	snprintf(buf, sz, "%s", *rel ? rel : "/");
}

/* Build, stamp and check the image of @pr. */
static int build(struct abacd *d, struct proposal *pr,
		 struct abac_diags *diags)
{
	struct abac_subject *as;
	size_t i;
	int err;

	if (pr->subj.n > ABAC_MAX_SUBJECTS) {
		abac_diag_add(diags, false, pr->policy->file, 0, 0,
			      "%zu tagged cgroups: abac holds %d at most",
			      pr->subj.n, ABAC_MAX_SUBJECTS);
		return -E2BIG;
	}
	as = calloc(pr->subj.n + 1, sizeof(*as));
	if (!as)
		return -ENOMEM;
	for (i = 0; i < pr->subj.n; i++) {
		as[i].cgroup_id = pr->subj.v[i].id;
		as[i].level = pr->subj.v[i].level;
		relative_path(d, pr->subj.v[i].path, as[i].path,
			      sizeof(as[i].path));
		snprintf(as[i].tags, sizeof(as[i].tags), "%s",
			 pr->subj.v[i].tags);
	}
	err = abac_image_build(pr->policy, as, pr->subj.n, &pr->img.buf,
			       &pr->img.len, diags);
	free(as);
	if (err || diags->errors)
		return err ? err : -EINVAL;
	abac_image_set_generation(pr->img.buf, pr->gen);
	err = abac_image_check(pr->img.buf, pr->img.len, diags);
	if (err || diags->errors)
		return err ? err : -EINVAL;
	return 0;
}

/* Make @pr the agent's own; the state it replaces is freed. */
static void adopt(struct abacd *d, struct proposal *pr)
{
	if (pr->own) {
		if (d->policy)
			abac_policy_free(d->policy);
		free(d->source);
		d->policy = pr->policy;
		d->source = pr->source;
		d->source_len = pr->len;
	}
	subjects_free(&d->subj);
	d->subj = pr->subj;
	image_free(&d->prev);
	d->prev = d->cur;
	d->cur = pr->img;
	d->generation = pr->gen;
	memset(pr, 0, sizeof(*pr));
	/* the operator attributes, numbered for the new policy, if they fit */
	if (d->env_text[0] && d->policy) {
		struct abac_diags dg;

		abac_diags_init(&dg);
		if (abac_attrs_resolve(d->policy, ABAC_SIDE_ENV, "<env>",
				       d->env_text, &d->env, &dg)) {
			say("the environment '%s' does not fit the new policy: cleared",
			    d->env_text);
			memset(&d->env, 0, sizeof(d->env));
			d->env_text[0] = '\0';
			env_save(d);
		}
		abac_diags_free(&dg);
	}
	env_refresh(d);
}

static void kern_diag(struct abac_diags *diags, const char *file,
		      const char *what, int err)
{
	const char *hint = abac_kern_hint(err);

	abac_diag_add(diags, false, file, 0, 0,
		      "the kernel refused to %s: %s%s%s%s", what,
		      strerror(-err), *hint ? " (" : "", hint,
		      *hint ? ")" : "");
}

/*
 * Keep a copy of the state beside the pins, so that a lost or damaged
 * state directory costs nothing while the programs stay pinned.  A copy
 * that cannot be made is reported; the state directory still holds it.
 */
static void pin_state(struct abacd *d, const char *source, size_t len,
		      const struct subjects *subj, __u32 gen)
{
	size_t blob_len;
	void *blob;
	int err;

	err = state_blob(source, len, subj, gen, &blob, &blob_len);
	if (!err) {
		err = abac_kern_state_save(&d->kern, blob, blob_len);
		free(blob);
	}
	if (err)
		say("warning: cannot keep the state beside the pins in %s: %s",
		    d->pin_dir, strerror(-err));
}

/*
 * Put @pr in force: stage the state files, swap the image in, copy the
 * state beside the pins, rename the files.  On failure the kernel and
 * the state directory are as they were.
 */
static int commit(struct abacd *d, struct proposal *pr,
		  struct abac_diags *diags)
{
	struct staged st;
	int err;

	err = state_stage(d, pr->source, pr->len, &pr->subj, pr->gen, &st);
	if (err) {
		abac_diag_add(diags, false, pr->policy->file, 0, 0,
			      "cannot write state in %s: %s", d->state_dir,
			      strerror(-err));
		return err;
	}
	err = backend_set_image(d, pr->img.buf, pr->img.len);
	if (err) {
		state_abort(&st);
		kern_diag(diags, pr->policy->file, "take the new image", err);
		return err;
	}
	pin_state(d, pr->source, pr->len, &pr->subj, pr->gen);
	err = state_commit(&st);
	if (err) {
		/* the old image goes back, so that a restart finds no news */
		if (d->cur.buf &&
		    backend_set_image(d, d->cur.buf, d->cur.len))
			say("failed to restore the image in force: the kernel holds generation %u, the state directory an older one",
			    pr->gen);
		abac_diag_add(diags, false, pr->policy->file, 0, 0,
			      "cannot save state in %s: %s", d->state_dir,
			      strerror(-err));
		return err;
	}
	adopt(d, pr);
	return 0;
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

static int dup_source(struct proposal *pr, const char *yaml, size_t len)
{
	pr->source = malloc(len + 1);
	if (!pr->source)
		return -ENOMEM;
	memcpy(pr->source, yaml, len);
	pr->source[len] = '\0';
	pr->len = len;
	return 0;
}

/**
 * engine_ops_text() - "read, exec" for a mask of operations.
 * @ops: mask of (1 << enum abac_op).
 * @buf: receives the text.
 * @sz: its size.
 */
void engine_ops_text(__u32 ops, char *buf, size_t sz)
{
	size_t used = 0;
	unsigned int op;

	buf[0] = '\0';
	for (op = 0; op < ABAC_OP_COUNT && used < sz; op++) {
		if (ops & (1U << op))
			used += snprintf(buf + used, sz - used, "%s%s",
					 used ? ", " : "", abac_op_name(op));
	}
}

/*
 * Does this kernel run a hook for every operation @p names?  Without
 * @allow_degraded an operation some hook of which is not attached refuses
 * the policy; with it, *@unenforced says which are not (fully) enforced.
 */
static int check_hooks(struct abacd *d, const struct abac_policy *p,
		       const char *file, bool allow_degraded,
		       __u32 *unenforced, struct abac_diags *diags)
{
	char ops[256], hooks[1024];
	size_t used = 0;
	__u32 need = 0, missing;
	unsigned int i;

	for (i = 0; i < p->nrules; i++)
		need |= p->rules[i].ops;
	if (d->use_bpf)
		missing = abac_kern_missing_ops(d->pin_dir);
	else	/* the native LSM mediates file_open only */
		missing = ((1U << ABAC_OP_COUNT) - 1) &
			  ~((1U << ABAC_OP_READ) | (1U << ABAC_OP_WRITE));
	missing &= need;
	*unenforced = missing;
	if (!missing || allow_degraded)
		return 0;
	engine_ops_text(missing, ops, sizeof(ops));
	hooks[0] = '\0';
	if (!d->use_bpf)
		used = snprintf(hooks, sizeof(hooks),
				"the native LSM decides read and write only");
	for (i = 0; d->use_bpf && abac_hooks[i].prog && used < sizeof(hooks); i++) {
		if ((abac_hooks[i].ops & missing) &&
		    !abac_kern_hook_attached(d->pin_dir, i))
			used += snprintf(hooks + used, sizeof(hooks) - used,
					 "%s%s", used ? ", " : "",
					 abac_hooks[i].hook);
	}
	abac_diag_add(diags, false, file, 0, 0,
		      "the policy names %s, which this kernel does not enforce (%s%s); apply with --allow-degraded to enforce the rest",
		      ops, !d->use_bpf ? "" :
			   used ? "hooks not attached: " : "no abac program decides them yet",
		      hooks);
	return -EOPNOTSUPP;
}

/**
 * engine_apply() - put a new policy in force.
 * @d: the agent.
 * @file: the file name the client read it from, for diagnostics.
 * @yaml: its source.
 * @len: bytes of @yaml.
 * @allow_degraded: apply even when the policy names an operation this
 *	kernel does not enforce (a hook is missing).
 * @unenforced: receives the mask of such operations.
 * @diags: receives why it was refused.
 *
 * The cgroups tagged now keep their tags, which must fit the new policy:
 * one that does not refuses the whole apply.
 *
 * Return: 0, or a negative errno with errors in @diags; then nothing
 * changed.
 */
int engine_apply(struct abacd *d, const char *file, const char *yaml,
		 size_t len, bool allow_degraded, __u32 *unenforced,
		 struct abac_diags *diags)
{
	struct proposal pr = { .own = true, .gen = d->generation + 1 };
	int err;

	*unenforced = 0;
	err = abac_policy_parse_source(file, yaml, len, &pr.policy, diags);
	if (!err && diags->errors)
		err = -EINVAL;
	if (!err)
		err = check_hooks(d, pr.policy, file, allow_degraded,
				  unenforced, diags);
	if (!err)
		err = dup_source(&pr, yaml, len);
	if (!err)
		err = subjects_copy(&d->subj, &pr.subj);
	if (!err) {
		subjects_refresh(d, &pr.subj);
		err = subjects_resolve(pr.policy, &pr.subj, file, false,
				       diags);
	}
	if (!err)
		err = build(d, &pr, diags);
	if (!err)
		err = commit(d, &pr, diags);
	if (err && !diags->errors)
		abac_diag_add(diags, false, file, 0, 0, "%s", strerror(-err));
	proposal_free(&pr);
	return err;
}

/* Refuse a change of tags when abacd has no policy to check them by. */
static int need_policy(const struct abacd *d, const char *file,
		       struct abac_diags *diags)
{
	if (d->policy)
		return 0;
	if (d->cur.buf)
		abac_diag_add(diags, false, file, 0, 0,
			      "abacd does not hold the source of policy %s (generation %u) that the kernel enforces: apply a policy first",
			      image_name(&d->cur), hdr_of(&d->cur)->generation);
	else
		abac_diag_add(diags, false, file, 0, 0,
			      "no policy in force: apply a policy first (abac policy apply FILE)");
	return -ENOENT;
}

/* A proposal that keeps the policy in force and changes the tags. */
static int retag_start(struct abacd *d, struct proposal *pr)
{
	memset(pr, 0, sizeof(*pr));
	pr->policy = d->policy;
	pr->source = d->source;
	pr->len = d->source_len;
	pr->gen = d->generation + 1;
	return subjects_copy(&d->subj, &pr->subj);
}

/**
 * engine_tag() - tag a cgroup, replacing its earlier tags.
 * @d: the agent.
 * @path: the cgroup's absolute path.
 * @tags: "key=value key=value".
 * @diags: receives why it was refused.
 *
 * Return: 0, or a negative errno with errors in @diags; then nothing
 * changed.
 */
int engine_tag(struct abacd *d, const char *path, const char *tags,
	       struct abac_diags *diags)
{
	char canon[PATH_MAX], why[PATH_MAX + 128];
	struct abac_attrs attrs;
	struct proposal pr;
	unsigned int level;
	__u64 id;
	int err;

	err = need_policy(d, path, diags);
	if (err)
		return err;
	err = cg_check(d, path, canon, sizeof(canon), &id, &level, why,
		       sizeof(why));
	if (err) {
		abac_diag_add(diags, false, path, 0, 0, "%s", why);
		return err;
	}
	err = abac_tags_resolve(d->policy, tags, &attrs, diags);
	if (err || diags->errors)
		return err ? err : -EINVAL;
	err = retag_start(d, &pr);
	if (!err)
		err = subjects_set(&pr.subj, canon, id, level, tags);
	if (!err) {
		subjects_refresh(d, &pr.subj);
		err = build(d, &pr, diags);
	}
	if (!err)
		err = commit(d, &pr, diags);
	if (err && !diags->errors)
		abac_diag_add(diags, false, path, 0, 0, "%s", strerror(-err));
	proposal_free(&pr);
	return err;
}

/* Where @path is in @s: by the path as given or canonical, or by id. */
static int find_subject(const struct subjects *s, const char *path)
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

/**
 * engine_untag() - remove the tags of a cgroup.
 * @d: the agent.
 * @path: the cgroup's absolute path; it may be gone already.
 * @diags: receives why it was refused.
 *
 * Return: 0, or a negative errno with errors in @diags (-ENOENT: the
 * cgroup is not tagged); then nothing changed.
 */
int engine_untag(struct abacd *d, const char *path,
		 struct abac_diags *diags)
{
	struct proposal pr;
	int i, err;

	i = find_subject(&d->subj, path);
	if (i < 0) {
		abac_diag_add(diags, false, path, 0, 0, "it is not tagged");
		return -ENOENT;
	}
	err = need_policy(d, path, diags);
	if (err)
		return err;
	err = retag_start(d, &pr);
	if (!err) {
		subjects_remove(&pr.subj, i);
		subjects_refresh(d, &pr.subj);
		err = build(d, &pr, diags);
	}
	if (!err)
		err = commit(d, &pr, diags);
	if (err && !diags->errors)
		abac_diag_add(diags, false, path, 0, 0, "%s", strerror(-err));
	proposal_free(&pr);
	return err;
}

/**
 * engine_image_for() - the image an event was decided with.
 * @d: the agent.
 * @gen: the event's generation.
 * @hash: the event's content hash.
 *
 * Return: the image in force or the one before it when either matches,
 * else NULL (the rule's text is then unknown).
 */
const struct image *engine_image_for(const struct abacd *d, __u32 gen,
				     __u64 hash)
{
	const struct image *imgs[] = { &d->cur, &d->prev };
	const struct abac_image_hdr *h;
	size_t i;

	for (i = 0; i < 2; i++) {
		h = hdr_of(imgs[i]);
		if (h && h->generation == gen && h->content_hash == hash)
			return imgs[i];
	}
	return NULL;
}

/* Write the state of @d as it is now (start-up adjusted it). */
static void persist(struct abacd *d)
{
	struct staged st;

	if (!state_stage(d, d->source, d->source_len, &d->subj,
			 d->generation, &st))
		state_commit(&st);
	pin_state(d, d->source, d->source_len, &d->subj, d->generation);
}

/* Read the image in force; NULL when there is none or it is unusable. */
static void kernel_image(struct abacd *d, struct image *k)
{
	struct abac_diags diags;
	int err;

	memset(k, 0, sizeof(*k));
	err = backend_get_image(d, &k->buf, &k->len);
	if (err) {
		if (err != -ENOENT)
			say("failed to read the image in force: %s",
			    strerror(-err));
		return;
	}
	abac_diags_init(&diags);
	if (abac_image_check(k->buf, k->len, &diags) || diags.errors) {
		say("warning: the image in force fails the loader's checks: %s",
		    diags.n ? diags.v[0].msg : "bad image");
		image_free(k);
	}
	abac_diags_free(&diags);
}

/* "FILE[:LINE[:COL]]: error: MSG" on stderr, one a line. */
static void print_diags(const struct abac_diags *diags)
{
	const struct abac_diag *g;
	char where[64];
	size_t i;

	for (i = 0; i < diags->n; i++) {
		g = &diags->v[i];
		where[0] = '\0';
		if (g->line && g->column)
			snprintf(where, sizeof(where), ":%u:%u", g->line,
				 g->column);
		else if (g->line)
			snprintf(where, sizeof(where), ":%u", g->line);
		say("%s%s: %s: %s", g->file, where,
		    g->warning ? "warning" : "error", g->msg);
	}
}

/* Start-up with a saved source: rebuild, then verify or swap in. */
static int restore(struct abacd *d, struct proposal *pr, struct image *k)
{
	const struct abac_image_hdr *kh = hdr_of(k), *nh;
	struct abac_diags diags;
	int err;

	abac_diags_init(&diags);
	subjects_refresh(d, &pr->subj);
	subjects_resolve(pr->policy, &pr->subj, pr->policy->file, true,
			 &diags);
	if (kh && kh->generation >= pr->gen)
		pr->gen = kh->generation;	/* never step back */
	err = build(d, pr, &diags);
	if (err) {
		print_diags(&diags);
		abac_diags_free(&diags);
		return err;
	}
	abac_diags_free(&diags);
	nh = hdr_of(&pr->img);
	if (kh && kh->content_hash == nh->content_hash) {
		/* the kernel holds this very policy: leave it be */
		image_free(&pr->img);
		pr->img = *k;
		pr->gen = kh->generation;
		memset(k, 0, sizeof(*k));
		say("policy %s generation %u verified against the kernel",
		    pr->policy->name, pr->gen);
	} else {
		if (kh && kh->generation >= pr->gen) {
			pr->gen = kh->generation + 1;
			abac_image_set_generation(pr->img.buf, pr->gen);
		}
		err = backend_set_image(d, pr->img.buf, pr->img.len);
		if (err) {
			fail("swap the image in", err);
			return err;
		}
		say("policy %s generation %u put in force (hash 0x%016llx; the kernel held %s)",
		    pr->policy->name, pr->gen,
		    (unsigned long long)nh->content_hash,
		    kh ? "another image" : "none");
	}
	return 0;
}

/*
 * The content hash of the image a saved state builds to; 0 when it does
 * not build.
 */
static __u64 state_hash(struct abacd *d, const char *source, size_t len,
			const struct subjects *subj)
{
	struct proposal pr = { .own = true };
	struct abac_diags diags;
	__u64 hash = 0;
	int err;

	abac_diags_init(&diags);
	err = abac_policy_parse_source("<saved>", source, len, &pr.policy,
				       &diags);
	if (!err && !diags.errors)
		err = subjects_copy(subj, &pr.subj);
	else
		err = -EINVAL;
	if (!err) {
		subjects_refresh(d, &pr.subj);
		subjects_resolve(pr.policy, &pr.subj, "<saved>", true, &diags);
		if (!build(d, &pr, &diags))
			hash = ((const struct abac_image_hdr *)pr.img.buf)->content_hash;
	}
	abac_diags_free(&diags);
	proposal_free(&pr);
	return hash;
}

/**
 * struct saved - one saved state start-up may resume from.
 * @what: where it was found, for messages.
 * @source: the policy source; NULL when there is none.
 * @len: its length.
 * @subj: the tagged cgroups.
 * @gen: the generation.
 */
struct saved {
	const char *what;
	char *source;
	size_t len;
	struct subjects subj;
	__u32 gen;
};

static void saved_load_pinned(struct abacd *d, struct saved *sv)
{
	size_t blob_len;
	void *blob;
	int err;

	err = abac_kern_state_load(&d->kern, &blob, &blob_len);
	if (!err) {
		err = state_unblob(blob, blob_len, &sv->source, &sv->len,
				   &sv->subj, &sv->gen);
		free(blob);
	}
	if (err && err != -ENOENT)
		say("warning: the state kept in %s is unreadable: %s",
		    d->pin_dir, strerror(-err));
}

/*
 * Choose the state to resume from: the state directory, a staged state
 * a crash left between the image swap and the renames, or the copy
 * beside the pins.  The one that builds the very image the kernel holds
 * wins (verified, nothing changes); with none, the state directory, else
 * the pinned copy, is put in force.  The others are freed.
 */
static void pick_state(struct abacd *d, const struct image *k,
		       struct proposal *pr)
{
	struct saved sv[3] = { { .what = "the state directory" },
			       { .what = "a staged state" },
			       { .what = "the copy beside the pins" } };
	const struct abac_image_hdr *kh = hdr_of(k);
	int i, pick = -1;

	if (state_load(d, "", &sv[0].source, &sv[0].len, &sv[0].subj,
		       &sv[0].gen))
		say("warning: ignoring the state in %s", d->state_dir);
	if (state_load(d, ".new", &sv[1].source, &sv[1].len, &sv[1].subj,
		       &sv[1].gen))
		sv[1].source = NULL;
	saved_load_pinned(d, &sv[2]);
	bool matched;

	for (i = 0; kh && i < 3 && pick < 0; i++) {
		if (sv[i].source &&
		    state_hash(d, sv[i].source, sv[i].len, &sv[i].subj) ==
		    kh->content_hash)
			pick = i;
	}
	matched = pick >= 0;
	if (pick < 0)
		pick = sv[0].source ? 0 : sv[2].source ? 2 : -1;
	if (pick > 0)
		say("resuming from %s (%s)", sv[pick].what,
		    matched ? "it builds the image in force" :
		    "the state directory holds no policy");
	for (i = 0; i < 3; i++) {
		if (i == pick) {
			pr->source = sv[i].source;
			pr->len = sv[i].len;
			pr->subj = sv[i].subj;
			pr->gen = sv[i].gen;
			continue;
		}
		free(sv[i].source);
		subjects_free(&sv[i].subj);
	}
}

/**
 * engine_start() - bring the policy in force in line with the state.
 * @d: the agent, its kernel handles open.
 *
 * The saved policy and tags are rebuilt into an image with the saved
 * generation.  When the kernel holds an image with the same content hash
 * it stays (nothing to do); otherwise the rebuilt one is swapped in.  A
 * state that cannot be rebuilt leaves the kernel's image in force, so a
 * broken state file never lifts enforcement.
 *
 * Return: 0: abacd comes up whatever the state, so that the operator
 * can apply a policy.
 */
int engine_start(struct abacd *d)
{
	struct proposal pr = { .own = true };
	struct abac_diags diags;
	struct image k;
	char file[PATH_MAX];
	int err;

	kernel_image(d, &k);
	pick_state(d, &k, &pr);
	d->generation = pr.gen;
	if (k.buf && hdr_of(&k)->generation > d->generation)
		d->generation = hdr_of(&k)->generation;
	if (!pr.source) {
		d->cur = k;
		if (k.buf)
			say("warning: the kernel enforces policy %s generation %u, but %s holds no policy: apply one to manage it",
			    image_name(&k), hdr_of(&k)->generation,
			    d->state_dir);
		else
			say("no policy in force");
		proposal_free(&pr);
		return 0;
	}
	state_path(d, "policy.yaml", file, sizeof(file));
	abac_diags_init(&diags);
	err = abac_policy_parse_source(file, pr.source, pr.len, &pr.policy,
				       &diags);
	if (err || diags.errors) {
		print_diags(&diags);
		err = -EINVAL;
	}
	abac_diags_free(&diags);
	if (!err)
		err = restore(d, &pr, &k);
	if (err) {
		say("warning: the saved policy cannot be rebuilt: the image in force stays");
		d->cur = k;
		/* keep the tags: the next apply checks them */
		d->subj = pr.subj;
		memset(&pr.subj, 0, sizeof(pr.subj));
		subjects_refresh(d, &d->subj);
		proposal_free(&pr);
		return 0;
	}
	adopt(d, &pr);
	d->prev = k;	/* events queued while abacd was away name its rules */
	persist(d);
	return 0;
}

/**
 * engine_free() - free the policy, the images and the subjects.
 * @d: the agent.
 */
void engine_free(struct abacd *d)
{
	if (d->policy)
		abac_policy_free(d->policy);
	d->policy = NULL;
	free(d->source);
	d->source = NULL;
	subjects_free(&d->subj);
	image_free(&d->cur);
	image_free(&d->prev);
}
