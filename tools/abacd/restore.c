// SPDX-License-Identifier: GPL-2.0-only
/*
 * Start-up: bring the policy in force in line with the saved state.
 *
 * The kernel may hold an image from an earlier agent; the state
 * directory, a staged state a crash left behind and the copy kept beside
 * the pins may each hold a policy and tags.  The one that rebuilds the
 * very image in force wins and nothing changes; otherwise the saved
 * state is rebuilt and swapped in.  Nothing here lifts enforcement: a
 * state that cannot be rebuilt leaves the kernel's image in force.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abacd.h"
#include "engine.h"

/* Write the state of @d as it is now (start-up adjusted it). */
static void persist(struct abacd *d)
{
	struct staged st;

	if (!state_stage(d, d->source, d->source_len, &d->subj,
			 d->generation, &st))
		state_commit(&st);
	engine_pin_state(d, d->source, d->source_len, &d->subj, d->generation);
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

/* Start-up with a saved source: rebuild, then verify or swap in. */
static int restore(struct abacd *d, struct proposal *pr, struct image *k)
{
	const struct abac_image_hdr *kh = image_hdr(k), *nh;
	struct abac_diags diags;
	int err;

	abac_diags_init(&diags);
	subjects_refresh(d, &pr->subj);
	subjects_resolve(pr->policy, &pr->subj, pr->policy->file, true,
			 &diags);
	if (kh && kh->generation >= pr->gen)
		pr->gen = kh->generation;	/* never step back */
	err = engine_build(d, pr, &diags);
	if (err) {
		say_diags(&diags);
		abac_diags_free(&diags);
		return err;
	}
	abac_diags_free(&diags);
	nh = image_hdr(&pr->img);
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
			const struct subjects *subj, struct rtbinds *rt)
{
	struct proposal pr = { .own = true };
	struct rtbinds was = d->rt;
	struct abac_diags diags;
	__u64 hash = 0;
	int err;

	d->rt = *rt;	/* the build reads the bindings of this state */

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
		if (!engine_build(d, &pr, &diags))
			hash = ((const struct abac_image_hdr *)pr.img.buf)->content_hash;
	}
	abac_diags_free(&diags);
	proposal_free(&pr);
	*rt = d->rt;
	d->rt = was;
	return hash;
}

/**
 * struct saved - one saved state start-up may resume from.
 * @what: where it was found, for messages.
 * @source: the policy source; NULL when there is none.
 * @len: its length.
 * @subj: the tagged cgroups.
 * @rt: the cgroups bound at run time.
 * @gen: the generation.
 */
struct saved {
	const char *what;
	char *source;
	size_t len;
	struct subjects subj;
	struct rtbinds rt;
	__u32 gen;
};

static void saved_load_pinned(struct abacd *d, struct saved *sv)
{
	size_t blob_len;
	void *blob;
	int err;

	err = backend_state_load(d, &blob, &blob_len);
	if (!err) {
		err = state_unblob(d, blob, blob_len, &sv->source, &sv->len,
				   &sv->subj, &sv->rt, &sv->gen);
		free(blob);
	}
	if (err && err != -ENOENT)
		say("warning: the state kept in the kernel (%s) is unreadable: %s",
		    backend_name(d), strerror(-err));
}

/*
 * Choose the state to resume from: the state directory, a staged state
 * a crash left between the image swap and the renames, or the copy
 * kept in the kernel (beside the pins, or in the native LSM).  The one that builds the very image the kernel holds
 * wins (verified, nothing changes); with none, the state directory, else
 * the pinned copy, is put in force.  The others are freed.
 */
static void pick_state(struct abacd *d, const struct image *k,
		       struct proposal *pr)
{
	struct saved sv[3] = { { .what = "the state directory" },
			       { .what = "a staged state" },
			       { .what = "the copy kept in the kernel" } };
	const struct abac_image_hdr *kh = image_hdr(k);
	int i, pick = -1;
	bool matched;

	if (state_load(d, "", &sv[0].source, &sv[0].len, &sv[0].subj,
		       &sv[0].gen))
		say("warning: ignoring the state in %s", d->state_dir);
	if (state_load(d, ".new", &sv[1].source, &sv[1].len, &sv[1].subj,
		       &sv[1].gen))
		sv[1].source = NULL;
	for (i = 0; i < 2; i++) {
		if (sv[i].source &&
		    state_load_bindings(d, i ? ".new" : "", &sv[i].rt))
			say("warning: %s: its run-time bindings are not restored",
			    sv[i].what);
	}
	saved_load_pinned(d, &sv[2]);

	for (i = 0; kh && i < 3 && pick < 0; i++) {
		if (sv[i].source &&
		    state_hash(d, sv[i].source, sv[i].len, &sv[i].subj,
			       &sv[i].rt) ==
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
			rtbinds_free(&d->rt);
			d->rt = sv[i].rt;
			continue;
		}
		free(sv[i].source);
		subjects_free(&sv[i].subj);
		rtbinds_free(&sv[i].rt);
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
	/* the run-time bindings come with the state picked (in d->rt) */
	pick_state(d, &k, &pr);
	d->generation = pr.gen;
	if (k.buf && image_hdr(&k)->generation > d->generation)
		d->generation = image_hdr(&k)->generation;
	if (!pr.source) {
		d->cur = k;
		if (k.buf)
			say("warning: the kernel enforces policy %s generation %u, but %s holds no policy: apply one to manage it",
			    image_name(&k), image_hdr(&k)->generation,
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
		say_diags(&diags);
		err = -EINVAL;
	}
	abac_diags_free(&diags);
	if (!err && rtbinds_fit(pr.policy, &d->rt, false))
		say("warning: %s held bindings the saved policy does not take",
		    d->state_dir);
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
	engine_adopt(d, &pr);
	d->prev = k;	/* events queued while abacd was away name its rules */
	persist(d);
	return 0;
}
