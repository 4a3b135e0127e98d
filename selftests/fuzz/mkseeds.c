// SPDX-License-Identifier: GPL-2.0-only
/*
 * Make the seed corpus of fuzz_image from policy files: each policy is
 * compiled with two tagged subjects, and the image is written with the
 * tail fuzz_image.c reads (flags, operation, cgroup id, label), the
 * label naming the first value of every object attribute.
 *
 *	mkseeds OUT-DIR POLICY.yaml...
 *
 * Run by "make fuzz-seeds" when the image format changes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libabac.h"

#define SUBJ_A	1ULL

static void tags_of(const struct abac_policy *p, bool last, char *buf,
		    size_t sz)
{
	const struct abac_attr_def *a;
	size_t o = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < p->nsattrs && o < sz; i++) {
		a = &p->sattrs[i];
		o += snprintf(buf + o, sz - o, "%s%s=%s", i ? " " : "",
			      a->name, a->values[last ? a->nvalues - 1 : 0]);
	}
}

static int write_seed(const char *dir, const char *path,
		      const struct abac_policy *p, const void *img,
		      size_t len)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	__u8 tail[10] = { 0, ABAC_OP_READ };
	char out[4096];
	unsigned int i;
	FILE *f;
	__u64 id = SUBJ_A;

	memcpy(tail + 2, &id, sizeof(id));
	snprintf(out, sizeof(out), "%s/%.*s.img", dir,
		 (int)(strcspn(base, ".")), base);
	f = fopen(out, "w");
	if (!f)
		return -errno;
	fwrite(img, 1, len, f);
	fwrite(tail, 1, sizeof(tail), f);
	for (i = 0; i < p->noattrs; i++)
		fprintf(f, "%s%s=%s", i ? ";" : "", p->oattrs[i].name,
			p->oattrs[i].values[0]);
	return fclose(f) ? -errno : 0;
}

int main(int argc, char **argv)
{
	struct abac_subject s[2] = { { .cgroup_id = SUBJ_A },
				     { .cgroup_id = 2, .level = 2 } };
	struct abac_policy *p;
	struct abac_diags d;
	size_t len;
	void *img;
	int i, err = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: mkseeds OUT-DIR POLICY.yaml...\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		abac_diags_init(&d);
		p = NULL;
		img = NULL;
		if (!abac_policy_parse_file(argv[i], &p, &d)) {
			tags_of(p, false, s[0].tags, sizeof(s[0].tags));
			tags_of(p, true, s[1].tags, sizeof(s[1].tags));
			if (!abac_image_build(p, s, p->nsattrs ? 2 : 0, &img,
					      &len, &d) &&
			    write_seed(argv[1], argv[i], p, img, len))
				err = 1;
		}
		if (d.errors)
			fprintf(stderr, "mkseeds: skipped %s\n", argv[i]);
		free(img);
		abac_policy_free(p);
		abac_diags_free(&d);
	}
	return err;
}
