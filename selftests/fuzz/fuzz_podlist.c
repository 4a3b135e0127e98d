// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the pod list reader of "abac kube"
 * (tools/lib/kube.c), which reads a file a pod's owner partly writes:
 * labels and annotations are theirs.
 *
 * Properties, besides the sanitizers':
 *  - a refusal carries an error and no pod, an acceptance no error;
 *  - every pod accepted without a reason has a UID that gives a pod
 *    cgroup path for both drivers and every QoS class, inside the
 *    kubelet's tree (no "..", no '/' of its own), that reads back to the
 *    same UID;
 *  - its pairs are sorted by name, each name once and valid, each with a
 *    value; its tag text fits a cgroup's tags and splits, through the
 *    tag reader, back into the very same pairs.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "kube.h"

/* The order of the names of two pairs: bytes, then the shorter first. */
static int name_cmp(const char *a, const char *b)
{
	size_t na = strcspn(a, "="), nb = strcspn(b, "=");
	int c = memcmp(a, b, na < nb ? na : nb);

	return c ? c : (na > nb) - (na < nb);
}

static void check_pod(const struct abac_pod *p)
{
	char path[PATH_MAX], uid[ABAC_KUBE_UID_MAX], pair[ABAC_TAGS_MAX];
	const char *t;
	size_t i, n, len;
	int drv, q;

	FUZZ_ASSERT(p->ns && p->name && p->uid && p->node);
	if (*p->err)
		return;
	FUZZ_ASSERT(p->tags && strlen(p->tags) < ABAC_TAGS_MAX);
	for (drv = 0; drv < 2; drv++) {
		for (q = 0; q < ABAC_KUBE_QOS_COUNT; q++) {
			FUZZ_ASSERT(!abac_kube_pod_cgroup(drv, q, p->uid, path,
							  sizeof(path)));
			FUZZ_ASSERT(!strstr(path, ".."));
			FUZZ_ASSERT(!strncmp(path, "kubepods", 8));
			FUZZ_ASSERT(!abac_kube_cgroup_uid(drv, path, uid,
							  sizeof(uid)));
			FUZZ_ASSERT(!strcmp(uid, p->uid));
		}
	}
	for (i = 0; i < p->npairs; i++) {
		const char *eq = strchr(p->pairs[i], '=');

		FUZZ_ASSERT(eq && eq[1]);
		FUZZ_ASSERT(abac_name_valid(p->pairs[i], eq - p->pairs[i]));
		if (i)	/* names sorted, each once */
			FUZZ_ASSERT(name_cmp(p->pairs[i - 1], p->pairs[i]) < 0);
	}
	/* the tag text splits back into the very pairs */
	for (t = p->tags, n = 0;; n++) {
		while (*t == ' ')
			t++;
		if (!*t)
			break;
		len = abac_tag_token(t, pair, sizeof(pair));
		FUZZ_ASSERT(len > 0 && n < p->npairs);
		FUZZ_ASSERT(!strcmp(pair, p->pairs[n]));
		t += len;
	}
	FUZZ_ASSERT(n == p->npairs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct abac_podlist pl;
	struct abac_diags d;
	size_t i;
	int err;

	abac_diags_init(&d);
	err = abac_podlist_parse("pods.json", (const char *)data, size, &pl,
				 &d);
	FUZZ_ASSERT(!err || err == -EINVAL || err == -ENOMEM);
	if (err == -ENOMEM) {
		abac_diags_free(&d);
		return 0;
	}
	fuzz_check_diags(&d, err, data, size);
	if (err)
		FUZZ_ASSERT(!pl.n && !pl.v);
	for (i = 0; i < pl.n; i++)
		check_pod(&pl.v[i]);
	abac_podlist_free(&pl);
	abac_diags_free(&d);
	return 0;
}
