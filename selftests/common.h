/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by abac's host tests: parse and compile YAML given as a
 * string, find a diagnostic, patch an image and fix its hash, find the
 * test policies.
 */
#ifndef _ABAC_SELFTESTS_COMMON_H
#define _ABAC_SELFTESTS_COMMON_H

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libabac.h"

/* The name inline YAML is parsed under, so diagnostics read "t.yaml:L:C". */
#define T_FILE	"t.yaml"

/* Parse @yaml (a C string) as file T_FILE. */
static inline int t_parse(const char *yaml, struct abac_policy **p,
			  struct abac_diags *d)
{
	return abac_policy_parse_buf(T_FILE, yaml, strlen(yaml), p, d);
}

/*
 * Parse and compile @yaml with @n subjects; on success *@img (malloc()ed)
 * and *@len hold the image and *@p the policy (when @p is not NULL).
 */
static inline int t_compile(const char *yaml, const struct abac_subject *s,
			    size_t n, void **img, size_t *len,
			    struct abac_policy **p, struct abac_diags *d)
{
	struct abac_policy *pol = NULL;
	int err;

	err = t_parse(yaml, &pol, d);
	if (err)
		return err;
	err = abac_image_build(pol, s, n, img, len, d);
	if (p && !err)
		*p = pol;
	else
		abac_policy_free(pol);
	return err;
}

/* The first diagnostic whose message holds @sub, or NULL. */
static inline const struct abac_diag *t_diag(const struct abac_diags *d,
					     const char *sub)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strstr(d->v[i].msg, sub))
			return &d->v[i];
	return NULL;
}

/* Print every diagnostic (for TH_LOG-style debugging of a failure). */
static inline void t_diags_dump(const struct abac_diags *d)
{
	abac_diags_print(d, stderr);
}

#ifdef __KSELFTEST_HARNESS_H
/*
 * Expect @yaml refused, some error holding @sub: by the parser alone, or
 * with @compile by the compiler too (limits the image checks).
 */
static inline void t_expect_refused(struct __test_metadata *_metadata,
				    const char *yaml, const char *sub,
				    bool compile)
{
	struct abac_policy *p = NULL;
	struct abac_diags d;
	void *img = NULL;
	size_t len;

	abac_diags_init(&d);
	if (compile) {
		EXPECT_NE(0, t_compile(yaml, NULL, 0, &img, &len, &p, &d));
	} else {
		EXPECT_NE(0, t_parse(yaml, &p, &d));
	}
	EXPECT_NE(NULL, t_diag(&d, sub)) {
		TH_LOG("wanted '%s'", sub);
		t_diags_dump(&d);
	}
	free(img);
	abac_policy_free(p);
	abac_diags_free(&d);
}
#endif

/* The header of an image. */
static inline struct abac_image_hdr *t_hdr(void *img)
{
	return (struct abac_image_hdr *)img;
}

/* A record of an image. */
static inline void *t_rec(void *img, __u32 idx)
{
	return (char *)img + (size_t)idx * ABAC_REC_SIZE;
}

/* Recompute the content hash after patching an image. */
static inline void t_rehash(void *img, size_t len)
{
	t_hdr(img)->content_hash = abac_image_hash(img, len);
}

/* The word of a value's text under the public key, as labels give it. */
static inline __u64 t_value_word(const char *s)
{
	const struct abac_hash_key pub = {
		ABAC_HASH_KEY_PUBLIC_K0, ABAC_HASH_KEY_PUBLIC_K1,
	};

	return abac_hash_word(abac_sip_bytes(&pub, s, strlen(s)));
}

/* The FNV-1a 64 of "key=" for the first @len bytes of @s. */
static inline __u64 t_key_hash(const char *s, size_t len)
{
	__u64 h = ABAC_FNV_OFFSET;
	size_t i;

	for (i = 0; i < len; i++)
		h = abac_hash_byte(h, (__u8)s[i]);
	return abac_hash_byte(h, '=');
}

/*
 * The dictionary hash of a "key=value" text, as labels and the
 * dictionary use; of the open entry of "key" for "key=*".
 */
static inline __u64 t_pair_hash(const char *s)
{
	const char *eq = strchr(s, '=');
	__u64 k = t_key_hash(s, eq - s);

	if (!strcmp(eq + 1, "*"))
		return abac_pair_hash(k, 0);
	return abac_pair_hash(k, t_value_word(eq + 1));
}

/*
 * A file of the source tree: tests run from the top of the tree; failing
 * that, it is found from the test binary (build/selftests/host/X).
 */
static inline const char *t_src_path(const char *rel, char *buf, size_t sz)
{
	char exe[PATH_MAX];
	ssize_t n;
	char *slash;
	int up;

	if (!access(rel, R_OK))
		return rel;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return rel;
	exe[n] = '\0';
	for (up = 0; up < 4; up++) {
		slash = strrchr(exe, '/');
		if (!slash)
			return rel;
		*slash = '\0';
	}
	if (snprintf(buf, sz, "%s/%s", exe, rel) >= (int)sz)
		return rel;
	return buf;
}

/* Decide with no environment: the subject and object only. */
static inline void t_decide(const struct abac_image *img, __u32 op,
			    const struct abac_attrs *s,
			    const struct abac_attrs *o,
			    struct abac_decision *d)
{
	struct abac_request rq = { .s = s, .o = o, .e = NULL };

	abac_decide(img, op, &rq, d);
}

#endif /* _ABAC_SELFTESTS_COMMON_H */
