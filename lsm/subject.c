// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: who asks.  The subject of a decision is the calling
 * task, identified by its cgroup (v2): the tags of that cgroup, or of its
 * nearest tagged ancestor, as the image in force holds them.
 *
 * The slot found is cached in the task's blob with the image (its load
 * sequence number, never reused) and the cgroup it was found for, so a
 * hook does not walk the ancestors at every call: a new image (a policy
 * or tag change) or a move to another cgroup makes the task look again;
 * a new task starts from its parent's entry.
 * The BPF programs keep the same answer per cgroup (cgroup storage); the
 * LSM framework of 6.12 has no cgroup blob, and a per-task entry needs
 * no lock, since only the task itself reads and writes it.
 */
#include "abac.h"

#include <linux/cgroup.h>
#include <linux/sched.h>

#include "abac_blobs.h"

/*
 * The template slot of the binding that names @anc (not the root) by its
 * parent and its own kernfs name (abac_bind_find()), or 0.  A cgroup2
 * directory cannot be renamed, so the name is the one it was made with;
 * it is at most NAME_MAX bytes, and copied so that the match reads
 * ABAC_BIND_NAME_MAX + 1 bytes as the decision core expects.
 */
static u32 abac_bind_at(const struct abac_image *img, struct cgroup *anc)
{
	struct cgroup *par = cgroup_parent(anc);
	u8 name[ABAC_BIND_NAME_MAX + 1] = {};
	size_t len;

	if (!par || !anc->kn || !anc->kn->name)
		return 0;
	len = strnlen(anc->kn->name, sizeof(name));
	if (len > ABAC_BIND_NAME_MAX)
		return 0;
	memcpy(name, anc->kn->name, len);
	return abac_bind_find(img, cgroup_id(par), name, len);
}

/*
 * The record of the subject slot whose tags apply to cgroup @cg: its own,
 * else its nearest tagged ancestor's, looking only at the levels the
 * image says hold tags (tag_levels), at most ABAC_MAX_CGROUP_DEPTH levels
 * up, as bpf/common.h does; at a level where a binding's cgroups appear
 * (bind_levels), a cgroup not tagged by id is matched by parent and name,
 * so that a bound unit is decided with its tags before abacd tags it by
 * id.  0 when untagged.  Called under RCU.
 */
static u32 abac_subject_walk(const struct abac_image *img, struct cgroup *cg)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	struct cgroup *anc;
	u32 k, idx;
	int l;

	if (!hdr || (!hdr->subj_size && !hdr->nbind))
		return 0;
	for (k = 0; k < ABAC_MAX_CGROUP_DEPTH; k++) {
		l = cg->level - (int)k;
		if (l < 0)
			break;
		if (!(hdr->tag_levels & (1U << (l & 31))) &&
		    (l < 1 || !(hdr->bind_levels & (1U << (l & 31)))))
			continue;
		anc = cgroup_ancestor(cg, l);
		if (!anc)
			continue;
		idx = abac_subject_slot(img, cgroup_id(anc));
		if (idx)
			return idx;
		if (l >= 1 && (hdr->bind_levels & (1U << (l & 31)))) {
			idx = abac_bind_at(img, anc);
			if (idx)
				return idx;
		}
	}
	return 0;
}

/* The id that stands for the tags at @key for a task in cgroup @id. */
static u64 abac_tagged_id(const struct abac_subj_key *key, u64 id)
{
	return key->cgroup_id == ABAC_SUBJ_BOUND ? id : key->cgroup_id;
}

/*
 * The subject slot of current under @pol, from the task's cache when it
 * holds an answer for this image and this cgroup.  Called under RCU.
 */
static u32 abac_subject_slot_of_current(const struct abac_loaded *pol,
					u64 *cgroup_id_out)
{
	struct abac_task *t = abac_task(current);
	struct cgroup *cg = task_dfl_cgroup(current);
	u64 id = cgroup_id(cg);
	struct abac_image img;

	*cgroup_id_out = id;
	if (t->subj.seq == pol->seq && t->subj.cgroup_id == id)
		return t->subj.key_idx;
	img = abac_loaded_image(pol);
	t->subj.key_idx = abac_subject_walk(&img, cg);
	t->subj.cgroup_id = id;
	t->subj.seq = pol->seq;
	return t->subj.key_idx;
}

/**
 * abac_ctx_lookup() - the calling task as the image in force sees it,
 * when abac_ctx_get()'s inline test could not say "untagged".
 * @c: receives the image and the task's tags.
 *
 * The decision that follows runs inside the RCU read section this opens,
 * so the image stays without a reference: a hook that must sleep (to
 * read a label) leaves it with abac_ctx_put() and comes back with
 * abac_ctx_get(), under whatever image is in force then.
 *
 * Return: true when the task is tagged: then abac_ctx_put() @c.
 */
bool abac_ctx_lookup(struct abac_ctx *c)
{
	struct abac_subj_memo *memo;
	const struct abac_subj_key *key;
	struct abac_loaded *pol;
	struct abac_image img;
	u64 cgroup_id;
	u32 idx;

	c->pol = NULL;
	if (unlikely(abac_overlay_work()))
		return false;	/* decided on the overlay file already */
	rcu_read_lock();
	pol = abac_policy_rcu();
	if (!pol || (!abac_loaded_hdr(pol)->subj_size &&
		     !abac_loaded_hdr(pol)->nbind))
		goto untagged;
	idx = abac_subject_slot_of_current(pol, &cgroup_id);
	if (!idx)
		goto untagged;
	img = abac_loaded_image(pol);
	key = abac_rec(&img, idx);
	c->attrs = abac_span(&img, idx + 1, ABAC_SUBJ_RECORDS - 1);
	if (!key || !c->attrs) {
		abac_subj_memo(current)->key_idx = 0;	/* never its fast path */
		goto untagged;
	}
	c->pol = pol;
	c->cgroup_id = cgroup_id;
	c->tagged_id = abac_tagged_id(key, cgroup_id);
	c->caps = key->caps;
	c->cls = key->cls;
	/* abac_ctx_get() answers from these while the memo holds */
	memo = abac_subj_memo(current);
	memo->attrs = c->attrs;
	memo->tagged_id = c->tagged_id;
	memo->caps = c->caps;
	memo->cls = c->cls;
	return true;

untagged:
	rcu_read_unlock();
	return false;
}

/**
 * abac_task_subject() - the subject of another task, under the image the
 * caller's context holds.
 * @c: a tagged caller's context (inside its RCU read section).
 * @p: the task.
 *
 * Return: the id of the nearest tagged cgroup at or above @p's, as
 * @c->tagged_id is the caller's; 0 when @p is untagged.
 */
u64 abac_task_subject(const struct abac_ctx *c, struct task_struct *p)
{
	struct cgroup *cg = task_dfl_cgroup(p);
	const struct abac_subj_key *key;
	struct abac_image img;
	u32 idx;

	img = abac_loaded_image(c->pol);
	idx = abac_subject_walk(&img, cg);
	key = idx ? abac_rec(&img, idx) : NULL;
	return key ? abac_tagged_id(key, cgroup_id(cg)) : 0;
}

/*
 * A new task looks up its subject under the same image and in the same
 * cgroup as its parent (CLONE_INTO_CGROUP aside, where the cgroup id
 * differs and it looks again): it starts from its parent's answer.
 */
static int abac_task_alloc(struct task_struct *task,
			   unsigned long clone_flags)
{
	const struct abac_task *parent = abac_task(current);
	struct abac_task *child = abac_task(task);

	child->subj = parent->subj;
	abac_exec_fork(task, clone_flags);
	abac_setup_fork(task);
	return abac_guard_clone(clone_flags);
}

static struct security_hook_list abac_subject_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(task_alloc, abac_task_alloc),
};

/**
 * abac_add_subject_hooks() - register the hook that starts a task's
 * subject cache.
 */
void __init abac_add_subject_hooks(void)
{
	security_add_hooks(abac_subject_hooks, ARRAY_SIZE(abac_subject_hooks),
			   &abac_lsmid);
}

/**
 * abac_current_tagged() - is the calling task tagged under the image in
 * force?
 *
 * Return: true when it is.
 */
bool abac_current_tagged(void)
{
	struct abac_ctx c;

	if (!abac_ctx_get(&c))
		return false;
	abac_ctx_put(&c);
	return true;
}

/**
 * abac_policy_names() - does some rule of the image name @op?
 * @c: the caller's context (@c->pol NULL: none).
 * @op: enum abac_op.
 *
 * Sockets are decided only then, so that a policy written for files
 * leaves a tagged task's networking alone (bpf/objects.h does the same).
 *
 * Return: true when a rule names @op.
 */
bool abac_policy_names(const struct abac_ctx *c, u32 op)
{
	const struct abac_image_hdr *hdr;
	struct abac_op_span span;
	struct abac_image img;

	if (!c->pol)
		return false;
	img = abac_loaded_image(c->pol);
	hdr = abac_hdr(&img);
	return hdr && abac_op_span_get(&img, hdr, op, &span) && span.count;
}
