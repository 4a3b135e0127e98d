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
#include <unistd.h>

#include "abacd.h"
#include "engine.h"

/**
 * image_free() - free an image held in memory.
 * @img: the image; left empty.
 */
void image_free(struct image *img)
{
	free(img->buf);
	img->buf = NULL;
	img->len = 0;
}

/**
 * proposal_free() - free what a proposal owns.
 * @pr: the proposal.
 */
void proposal_free(struct proposal *pr)
{
	if (pr->own) {
		if (pr->policy)
			abac_policy_free(pr->policy);
		free(pr->source);
	}
	subjects_free(&pr->subj);
	image_free(&pr->img);
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

/*
 * The parent cgroup of each of @p's bindings, for the kernel to match
 * their cgroups by name from the moment they appear (*@par: NULL when
 * @p has none).  A parent that does not exist yet, or that root does not
 * own (a user could make cgroups there), keeps id 0: its cgroups are
 * tagged when the watch sees them, as before.
 */
static int bind_parents(const struct abacd *d, const struct abac_policy *p,
			struct abac_bind_parent **par)
{
	const char *root = strcmp(d->cg_root, "/") ? d->cg_root : "";
	char dir[PATH_MAX], *rel;
	unsigned int k;
	uid_t uid;
	__u64 id;

	*par = NULL;
	if (!p || !p->nbindings)
		return 0;
	*par = calloc(p->nbindings, sizeof(**par));
	if (!*par)
		return -ENOMEM;
	for (k = 0; k < p->nbindings; k++) {
		const char *bdir = p->bindings[k].dir;

		if ((size_t)snprintf(dir, sizeof(dir), "%s%s%s", root,
				     *bdir ? "/" : "", bdir) >= sizeof(dir) ||
		    cg_stat_owner(*dir ? dir : "/", &id, &uid) || uid != 0)
			continue;
		rel = malloc(PATH_MAX);
		if (!rel)
			return -ENOMEM;
		relative_path(d, *dir ? dir : "/", rel, PATH_MAX);
		(*par)[k].id = id;
		(*par)[k].level = cg_level(d, *dir ? dir : "/");
		(*par)[k].path = rel;
	}
	return 0;
}

static void bind_parents_free(const struct abac_policy *p,
			      struct abac_bind_parent *par)
{
	unsigned int k;

	for (k = 0; par && k < p->nbindings; k++)
		free((char *)par[k].path);
	free(par);
}

/**
 * engine_build() - build, stamp and check the image of a proposal.
 * @d: the agent.
 * @pr: the proposal; receives the image, and in its set of tagged
 *	cgroups those the policy's bindings name now (subjects_bind()).
 * @diags: receives why it does not build.
 *
 * Return: 0, or a negative errno with errors in @diags.
 */
int engine_build(struct abacd *d, struct proposal *pr,
		 struct abac_diags *diags)
{
	struct abac_bind_parent *par = NULL;
	const struct abac_policy *p;
	struct abac_policy view;
	struct abac_subject *as;
	size_t i, n = 0;
	int err;

	/* the policy's bindings, then those bound at run time */
	p = rtbinds_view(d, pr->policy, &view);
	if (!p)
		return -ENOMEM;
	/* the cgroups the bindings name, as the tree is now */
	err = subjects_bind(d, p, &pr->subj);
	if (err == -ENOMEM)
		goto out;
	if (err || pr->subj.n > ABAC_MAX_SUBJECTS) {
		abac_diag_add(diags, false, pr->policy->file, 0, 0,
			      "%zu tagged cgroups: abac holds %d at most",
			      pr->subj.n, ABAC_MAX_SUBJECTS);
		err = -E2BIG;
		goto out;
	}
	err = -ENOMEM;
	as = calloc(pr->subj.n + 1, sizeof(*as));
	if (!as)
		goto out;
	for (i = 0; i < pr->subj.n; i++) {
		if (pr->subj.v[i].absent)
			continue;	/* removed: back when made again */
		as[n].cgroup_id = pr->subj.v[i].id;
		as[n].level = pr->subj.v[i].level;
		relative_path(d, pr->subj.v[i].path, as[n].path,
			      sizeof(as[n].path));
		snprintf(as[n].tags, sizeof(as[n].tags), "%s",
			 pr->subj.v[i].tags);
		n++;
	}
	err = bind_parents(d, p, &par);
	if (!err)
		err = abac_image_build_bound(p, as, n, par, &pr->img.buf,
					     &pr->img.len, diags);
	bind_parents_free(p, par);
	free(as);
	if (err || diags->errors) {
		err = err ? err : -EINVAL;
		goto out;
	}
	abac_image_set_generation(pr->img.buf, pr->gen);
	err = abac_image_check(pr->img.buf, pr->img.len, diags);
	if (!err && diags->errors)
		err = -EINVAL;
out:
	rtbinds_view_free(pr->policy, &view);
	return err;
}

/**
 * engine_adopt() - make a proposal the agent's own.
 * @d: the agent.
 * @pr: the proposal; left empty.  The state it replaces is freed.
 */
void engine_adopt(struct abacd *d, struct proposal *pr)
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
	watch_sync(d);	/* the bindings and the tagged cgroups may be new */
	fold_configure(d);
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

/**
 * engine_pin_state() - keep a copy of the state in the kernel: beside the
 * BPF pins, or in the native LSM.
 * @d: the agent.
 * @source: the policy source.
 * @len: its length.
 * @subj: the tagged cgroups.
 * @gen: the generation.
 *
 * The copy holds the run-time bindings in force (@d->rt) too.  A lost or
 * damaged state directory then costs nothing while enforcement stays.
 * A copy that cannot be made is reported; the state directory still
 * holds it.
 */
void engine_pin_state(struct abacd *d, const char *source, size_t len,
		      const struct subjects *subj, __u32 gen)
{
	size_t blob_len;
	void *blob;
	int err;

	err = state_blob(source, len, subj, &d->rt, gen, &blob, &blob_len);
	if (!err) {
		err = backend_state_save(d, blob, blob_len);
		free(blob);
	}
	if (err)
		say("warning: cannot keep the state in the kernel (%s): %s",
		    backend_name(d), strerror(-err));
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
	engine_pin_state(d, pr->source, pr->len, &pr->subj, pr->gen);
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
	engine_adopt(d, pr);
	backend_drop_old(d);	/* a replaced build waiting for a policy */
	return 0;
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
	missing = backend_missing_ops(d) & need;
	*unenforced = missing;
	if (!missing || allow_degraded)
		return 0;
	engine_ops_text(missing, ops, sizeof(ops));
	hooks[0] = '\0';
	if (!d->use_bpf)
		used = snprintf(hooks, sizeof(hooks),
				"the native LSM in this kernel has no hook for them");
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

/*
 * The run-time bindings a new policy @p keeps, in force in d->rt for the
 * build and the state files; the list before goes to *@was, for
 * rt_settle().
 */
static int rt_propose(struct abacd *d, const struct abac_policy *p,
		      struct rtbinds *was)
{
	struct rtbinds keep;
	int err;

	err = rtbinds_copy(&d->rt, &keep);
	if (err)
		return err;
	rtbinds_fit(p, &keep, true);
	*was = d->rt;
	d->rt = keep;
	return 0;
}

/*
 * After an apply: on success say which run-time bindings the policy @p
 * now in force dropped, else put the list before back.
 */
static void rt_settle(struct abacd *d, struct rtbinds *was, bool ok,
		      const struct abac_policy *p)
{
	struct rtbinds old;

	if (!ok) {
		rtbinds_free(&d->rt);
		d->rt = *was;
		memset(was, 0, sizeof(*was));
		return;
	}
	old = *was;
	memset(was, 0, sizeof(*was));
	rtbinds_fit(p, &old, false);	/* says each one dropped */
	rtbinds_free(&old);
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
 * one that does not refuses the whole apply.  The cgroups bound at run
 * time keep their bindings when the new policy takes their tags (and
 * they fit ABAC_MAX_BINDINGS with its own); the others are dropped, each
 * said in the log, once the apply is in force.
 *
 * Return: 0, or a negative errno with errors in @diags; then nothing
 * changed.
 */
int engine_apply(struct abacd *d, const char *file, const char *yaml,
		 size_t len, bool allow_degraded, __u32 *unenforced,
		 struct abac_diags *diags)
{
	struct proposal pr = { .own = true, .gen = d->generation + 1 };
	struct rtbinds was = { 0 };
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
		/* the old policy's bindings go; the new one's come in build */
		subjects_bind(d, NULL, &pr.subj);
		subjects_refresh(d, &pr.subj);
		err = subjects_resolve(pr.policy, &pr.subj, file, false,
				       diags);
	}
	if (!err)
		err = rt_propose(d, pr.policy, &was);
	if (!err) {
		err = engine_build(d, &pr, diags);
		if (!err)
			err = commit(d, &pr, diags);
		rt_settle(d, &was, !err, d->policy);
	}
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
			      image_name(&d->cur), image_hdr(&d->cur)->generation);
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

/*
 * Are @tags ones the policy in force gives a cgroup (@path, for the
 * messages)?  What engine_tag() and engine_bind() both ask.  Returns 0,
 * or a negative errno with errors in @diags.
 */
static int check_tags(const struct abacd *d, const char *path,
		      const char *tags, struct abac_diags *diags)
{
	struct abac_attrs attrs;
	int err;

	if (strlen(tags) >= ABAC_TAGS_MAX) {
		abac_diag_add(diags, false, path, 0, 0,
			      "the tags of one cgroup are at most %d bytes",
			      ABAC_TAGS_MAX - 1);
		return -E2BIG;
	}
	err = abac_tags_resolve(d->policy, tags, &attrs, diags);
	if (err || diags->errors)
		return err ? err : -EINVAL;
	return 0;
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
	err = check_tags(d, path, tags, diags);
	if (err)
		return err;
	err = retag_start(d, &pr);
	if (!err)
		err = subjects_set(&pr.subj, canon, id, level, tags);
	if (!err) {
		subjects_refresh(d, &pr.subj);
		err = engine_build(d, &pr, diags);
	}
	if (!err)
		err = commit(d, &pr, diags);
	if (err && !diags->errors)
		abac_diag_add(diags, false, path, 0, 0, "%s", strerror(-err));
	proposal_free(&pr);
	return err;
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

	i = subjects_find(&d->subj, path);
	if (i < 0) {
		abac_diag_add(diags, false, path, 0, 0, "it is not tagged");
		return -ENOENT;
	}
	if (d->subj.v[i].bound && rtbinds_find(&d->rt, d->subj.v[i].path) >= 0) {
		abac_diag_add(diags, false, path, 0, 0,
			      "it is bound by 'abac subject bind' (owner %s): unbind it (abac subject unbind)",
			      d->rt.v[rtbinds_find(&d->rt, d->subj.v[i].path)].owner);
		return -EPERM;
	}
	if (d->subj.v[i].bound) {
		abac_diag_add(diags, false, path, 0, 0,
			      "policy %s tags it by a binding of its subjects: list: change the policy to untag it",
			      d->policy ? d->policy->name : "?");
		return -EPERM;
	}
	err = need_policy(d, path, diags);
	if (err)
		return err;
	err = retag_start(d, &pr);
	if (!err) {
		subjects_remove(&pr.subj, i);
		subjects_refresh(d, &pr.subj);
		err = engine_build(d, &pr, diags);
	}
	if (!err)
		err = commit(d, &pr, diags);
	if (err && !diags->errors)
		abac_diag_add(diags, false, path, 0, 0, "%s", strerror(-err));
	proposal_free(&pr);
	return err;
}

/* Put the tags proposal @pr, built with d->rt = *@rt, in force. */
static int rt_commit(struct abacd *d, struct rtbinds *rt,
		     struct abac_diags *diags)
{
	struct rtbinds was = d->rt;
	struct proposal pr;
	int err;

	d->rt = *rt;	/* what the build and the state files read */
	err = retag_start(d, &pr);
	if (!err) {
		subjects_refresh(d, &pr.subj);
		err = engine_build(d, &pr, diags);
	}
	if (!err)
		err = commit(d, &pr, diags);
	proposal_free(&pr);
	if (err) {
		d->rt = was;
		rtbinds_free(rt);
	} else {
		rtbinds_free(&was);
	}
	memset(rt, 0, sizeof(*rt));
	return err;
}

/**
 * engine_bind() - bind a cgroup to come by its path: from the moment it
 *	is made the kernel gives it @tags (when its parent exists and root
 *	owns it), and the watch tags it by id.
 * @d: the agent.
 * @path: the cgroup's absolute path; it need not exist.
 * @owner: who binds it ("kube", "operator").
 * @tags: "key=value key=value", checked as engine_tag() checks them.
 * @diags: receives why it was refused.
 *
 * A binding of the same path is replaced (tags and owner).
 *
 * Return: 0, or a negative errno with errors in @diags; then nothing
 * changed.
 */
int engine_bind(struct abacd *d, const char *path, const char *owner,
		const char *tags, struct abac_diags *diags)
{
	char dir[PATH_MAX], name[NAME_MAX + 1], why[PATH_MAX + 128];
	char canon[PATH_MAX];
	struct rtbinds rt;
	unsigned int level;
	__u64 id;
	int err;

	err = need_policy(d, path, diags);
	if (err)
		return err;
	err = rtbinds_split(d, path, owner, dir, sizeof(dir), name,
			    sizeof(name), why, sizeof(why));
	/* one that exists already must be one abacd may tag */
	if (!err && !access(path, F_OK))
		err = cg_check(d, path, canon, sizeof(canon), &id, &level,
			       why, sizeof(why));
	if (err) {
		abac_diag_add(diags, false, path, 0, 0, "%s", why);
		return err;
	}
	err = check_tags(d, path, tags, diags);
	if (err)
		return err;
	if (rtbinds_find(&d->rt, path) < 0 &&
	    d->policy->nbindings + d->rt.n + 1 > ABAC_MAX_BINDINGS) {
		abac_diag_add(diags, false, path, 0, 0,
			      "policy %s binds %u cgroups and %zu are bound at run time: abac holds %d bindings at most (ABAC_MAX_BINDINGS)",
			      d->policy->name, d->policy->nbindings, d->rt.n,
			      ABAC_MAX_BINDINGS);
		return -E2BIG;
	}
	err = rtbinds_copy(&d->rt, &rt);
	if (!err)
		err = rtbinds_set(&rt, path, dir, name, owner, tags);
	if (err) {
		rtbinds_free(&rt);
	} else {
		err = rt_commit(d, &rt, diags);
	}
	if (err && !diags->errors)
		abac_diag_add(diags, false, path, 0, 0, "%s", strerror(-err));
	return err;
}

/**
 * engine_unbind() - remove the run-time binding of a cgroup path.
 * @d: the agent.
 * @path: the cgroup's absolute path, as bound.
 * @owner: only a binding of this owner; NULL: any.
 * @diags: receives why it was refused.
 *
 * A cgroup the binding tagged loses those tags (unless tagged by hand).
 *
 * Return: 0, or a negative errno with errors in @diags (-ENOENT: no
 * such binding); then nothing changed.
 */
int engine_unbind(struct abacd *d, const char *path, const char *owner,
		  struct abac_diags *diags)
{
	struct rtbinds rt;
	int i, err;

	i = rtbinds_find(&d->rt, path);
	if (i < 0) {
		abac_diag_add(diags, false, path, 0, 0,
			      "it is not bound (abac subject bindings lists what is)");
		return -ENOENT;
	}
	if (owner && strcmp(owner, d->rt.v[i].owner)) {
		abac_diag_add(diags, false, path, 0, 0,
			      "it is bound by owner %s, not %s",
			      d->rt.v[i].owner, owner);
		return -EPERM;
	}
	err = need_policy(d, path, diags);
	if (err)
		return err;
	err = rtbinds_copy(&d->rt, &rt);
	if (!err) {
		rtbinds_remove(&rt, i);
		err = rt_commit(d, &rt, diags);
	}
	if (err && !diags->errors)
		abac_diag_add(diags, false, path, 0, 0, "%s", strerror(-err));
	return err;
}

/* Say which cgroups of @now were not tagged, under the same id, in @was. */
static void say_news(struct abacd *d, const struct subjects *was,
		     const struct subjects *now, __u64 seen_us)
{
	const struct subject *n, *o;
	size_t i, k;

	for (i = 0; i < now->n; i++) {
		n = &now->v[i];
		for (k = 0; k < was->n; k++) {
			o = &was->v[k];
			if (o->id == n->id && !strcmp(o->tags, n->tags))
				break;
		}
		if (k < was->n)
			continue;
		say("cgroup %s (id %llu) appeared: tagged %s %s, generation %u, %llu us after the watch saw it",
		    n->path, (unsigned long long)n->id, n->tags,
		    !n->bound ? "by its path" :
		    rtbinds_find(&d->rt, n->path) >= 0 ?
		    "by a binding made at run time" : "by a binding of the policy",
		    d->generation, (unsigned long long)(now_us() - seen_us));
		events_note_tagged(d, n, now_us() - seen_us);
	}
}

/* Does @img build the image in force (the same content hash)? */
static bool image_in_force(const struct abacd *d, const struct image *img)
{
	const struct abac_image_hdr *k = image_hdr(&d->cur);

	return k && k->content_hash == image_hdr(img)->content_hash;
}

/**
 * engine_rebind() - tag the cgroups that appeared: those the policy binds
 *	by name, and those tagged by path and created again.
 * @d: the agent.
 * @seen_us: CLOCK_MONOTONIC us at which the watch saw the change, for
 *	the delay each tagging logs.
 * @parents: a directory a binding waits for appeared, or the tree must be
 *	looked at again: a binding's parent may exist now, which the image
 *	in force does not match by name.
 *
 * Nothing is swapped when the tagged cgroups are the same as before and,
 * with @parents, the image built is the one in force.
 *
 * Return: 0, or a negative errno after logging why; the image in force
 * then stays.
 */
int engine_rebind(struct abacd *d, __u64 seen_us, bool parents)
{
	struct abac_diags diags;
	struct subjects was = { 0 };
	struct proposal pr;
	bool same = false;
	int err;

	if (!d->policy)
		return 0;
	abac_diags_init(&diags);
	err = retag_start(d, &pr);
	if (!err) {
		struct abac_policy view;
		const struct abac_policy *p = rtbinds_view(d, pr.policy,
							   &view);

		subjects_refresh(d, &pr.subj);
		err = p ? subjects_bind(d, p, &pr.subj) : -ENOMEM;
		rtbinds_view_free(pr.policy, &view);
	}
	if (!err)
		same = subjects_same(&d->subj, &pr.subj);
	if (!err && same && !parents)
		goto out;
	if (!err)
		err = engine_build(d, &pr, &diags);
	/* the same cgroups, the same parents: nothing to swap */
	if (!err && same && image_in_force(d, &pr.img))
		goto out;
	if (!err)
		err = subjects_copy(&d->subj, &was);
	if (!err)
		err = commit(d, &pr, &diags);
	if (!err && same)
		say("a parent cgroup a binding names appeared: generation %u matches the cgroups made in it by name, %llu us after the watch saw it",
		    d->generation, (unsigned long long)(now_us() - seen_us));
	if (!err)
		say_news(d, &was, &d->subj, seen_us);
	if (err) {
		say_diags(&diags);
		say("failed to tag the cgroups that appeared: %s; generation %u stays in force",
		    strerror(-err), d->generation);
	}
out:
	subjects_free(&was);
	proposal_free(&pr);
	abac_diags_free(&diags);
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
		h = image_hdr(imgs[i]);
		if (h && h->generation == gen && h->content_hash == hash)
			return imgs[i];
	}
	return NULL;
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
	rtbinds_free(&d->rt);
	image_free(&d->cur);
	image_free(&d->prev);
}
