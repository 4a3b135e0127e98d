/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What engine.c (changes to the policy in force) shares with restore.c
 * (start-up): the proposal, and how one is built and put in force.
 */
#ifndef _ABACD_ENGINE_H
#define _ABACD_ENGINE_H

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

/* The header of an image in memory, or NULL when there is none. */
static inline const struct abac_image_hdr *image_hdr(const struct image *img)
{
	return img->buf ? img->buf : NULL;
}

/* The name of the policy an image was built from, or "". */
static inline const char *image_name(const struct image *img)
{
	const struct abac_image_hdr *h = image_hdr(img);

	return h ? abac_image_str(img->buf, img->len, h->name_str) : "";
}

void image_free(struct image *img);
void proposal_free(struct proposal *pr);
int engine_build(struct abacd *d, struct proposal *pr,
		 struct abac_diags *diags);
void engine_adopt(struct abacd *d, struct proposal *pr);
void engine_pin_state(struct abacd *d, const char *source, size_t len,
		      const struct subjects *subj, __u32 gen);

#endif /* _ABACD_ENGINE_H */
