// SPDX-License-Identifier: GPL-2.0-only
/*
 * Make the seed corpus of fuzz_image from policy files: each policy (or
 * "TOP.yaml+LOWER.yaml..." for layers) is compiled with two subjects
 * tagged from its own schema, and the image is written with the tail
 * fuzz_image.c reads (flags, operation, minute, weekday, cgroup id,
 * label), once per operation some rule names, the label naming the first
 * value of every object attribute.
 *
 *	mkseeds OUT-DIR POLICY.yaml[+LOWER.yaml...]...
 *
 * Run by "make fuzz-seeds" when the image format changes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libabac.h"
#include "fuzz_tags.h"

#define SUBJ_A		1ULL
#define SEED_MINUTE	(9 * 60 + 30)	/* 09:30 */
#define SEED_WDAY	2		/* Tuesday */

static int write_seed(const char *dir, const char *name, unsigned int op,
		      const struct abac_policy *p, const void *img,
		      size_t len)
{
	__u8 tail[13] = { 0, (__u8)op, SEED_MINUTE & 0xff, SEED_MINUTE >> 8,
			  SEED_WDAY };
	const struct abac_attr_def *a;
	char out[4096], text[1024];
	unsigned int i, k = 0;
	__u64 id = SUBJ_A;
	FILE *f;

	memcpy(tail + 5, &id, sizeof(id));
	snprintf(out, sizeof(out), "%s/%s-%s.img", dir, name,
		 abac_op_name(op));
	f = fopen(out, "w");
	if (!f)
		return -errno;
	fwrite(img, 1, len, f);
	fwrite(tail, 1, sizeof(tail), f);
	for (i = 0; i < p->noattrs; i++) {
		a = &p->oattrs[i];
		if (a->type == ABAC_TYPE_INT || !fuzz_word(a, PICK_LOW))
			continue;	/* labels name values */
		abac_attr_word_text(a, fuzz_word(a, PICK_LOW), text,
				    sizeof(text));
		fprintf(f, "%s%s=%s", k++ ? ";" : "", a->name, text);
	}
	return fclose(f) ? -errno : 0;
}

/* "dir/hospital.yaml+dir/lower.yaml" -> files, and "hospital+lower". */
static size_t split_arg(char *arg, const char **files, size_t max,
			char *name, size_t sz)
{
	const char *base;
	size_t n = 0, o = 0;
	char *tok, *save;

	name[0] = '\0';
	for (tok = strtok_r(arg, "+", &save); tok && n < max;
	     tok = strtok_r(NULL, "+", &save)) {
		files[n++] = tok;
		base = strrchr(tok, '/') ? strrchr(tok, '/') + 1 : tok;
		o += snprintf(name + o, o < sz ? sz - o : 0, "%s%.*s",
			      o ? "+" : "", (int)strcspn(base, "."), base);
	}
	return n;
}

/*
 * Parents for the policy's bindings (at most ABAC_MAX_BINDINGS), so that
 * the seeds carry a binding table: ids from 0x100, one per binding.
 */
static const struct abac_bind_parent *seed_parents(const struct abac_policy *p)
{
	static struct abac_bind_parent par[ABAC_MAX_BINDINGS];
	unsigned int k;

	for (k = 0; k < p->nbindings && k < ABAC_MAX_BINDINGS; k++) {
		par[k].id = 0x100 + k;
		par[k].level = 1;
		par[k].path = "/";
	}
	return par;
}

int main(int argc, char **argv)
{
	struct abac_subject s[2] = { { .cgroup_id = SUBJ_A },
				     { .cgroup_id = 2, .level = 2 } };
	const char *files[ABAC_MAX_LAYERS];
	struct abac_policy *p;
	struct abac_diags d;
	char name[1024];
	unsigned int op, i;
	__u32 ops;
	size_t len, n;
	void *img;
	int a, err = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: mkseeds OUT-DIR POLICY.yaml[+LOWER.yaml...]...\n");
		return 2;
	}
	for (a = 2; a < argc; a++) {
		abac_diags_init(&d);
		p = NULL;
		img = NULL;
		n = split_arg(argv[a], files, ABAC_MAX_LAYERS, name,
			      sizeof(name));
		if (n && !abac_policy_parse_files(files, n, &p, &d)) {
			fuzz_tags_of(p, PICK_LOW, s[0].tags, sizeof(s[0].tags));
			fuzz_tags_of(p, PICK_HIGH, s[1].tags, sizeof(s[1].tags));
			if (!abac_image_build_bound(p, s, p->nsattrs ? 2 : 0,
						    seed_parents(p), &img,
						    &len, &d)) {
				for (ops = 0, i = 0; i < p->nrules; i++)
					ops |= p->rules[i].ops;
				ops = ops ? ops : 1U << ABAC_OP_READ;
				for (op = 0; op < ABAC_OP_COUNT; op++)
					if ((ops >> op & 1) &&
					    write_seed(argv[1], name, op, p,
						       img, len))
						err = 1;
			}
		}
		if (d.errors) {
			fprintf(stderr, "mkseeds: skipped %s\n", argv[a]);
			abac_diags_print(&d, stderr);
		}
		free(img);
		abac_policy_free(p);
		abac_diags_free(&d);
	}
	return err;
}
