// SPDX-License-Identifier: GPL-2.0-only
/*
 * who-can and what-can --live: beside the classes of requests a policy
 * permits, the things of the running host that fall in them: the tagged
 * cgroups abacd holds (their tags, as it resolves them) and the labelled
 * files under a directory (their effective labels, own or inherited, as
 * the kernel reads them).
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abac.h"
#include "ctl.h"
#include "libabac.h"

#define LIVE_FILES_MAX	100000	/* entries walked under a directory */

/*
 * The first row whose classes of every @side dimension hold @a's, or -1.
 * A word in no class (an undeclared value) matches no row.
 */
static long row_of(const struct abac_cubes *c, unsigned int side,
		   const struct abac_attrs *a)
{
	const struct abac_space *sp = c->sp;
	int cls[ABAC_SPACE_DIMS];
	unsigned int i;
	size_t r;

	for (i = 0; i < sp->ndims; i++) {
		cls[i] = -1;
		if (sp->dims[i].kind != side || sp->dims[i].attr[0] < 0)
			continue;
		cls[i] = abac_space_classify(sp, i, 0, a->v[sp->dims[i].attr[0]]);
		if (cls[i] < 0)
			return -1;
	}
	for (r = 0; r < c->n; r++) {
		for (i = 0; i < sp->ndims; i++)
			if (cls[i] >= 0 && !abac_cube_has(c, r, i, cls[i]))
				break;
		if (i == sp->ndims)
			return r;
	}
	return -1;
}

static const char *row_rule(const struct abac_cubes *c, long r)
{
	__u32 k = c->keys[r].rule[0];

	return k < c->sp->pol[0]->nrules ? c->sp->pol[0]->rules[k].id :
					    "(default)";
}

/* One tagged cgroup of abacd's list, a flat JSON object at @obj. */
static void one_cgroup(const struct abac_cubes *c, const char *obj,
		       size_t len, unsigned long *n)
{
	char path[4096], tags[1024];
	struct abac_attrs a;
	struct abac_diags d;
	long r;

	if (abac_jflat_get(obj, len, "cgroup", path, sizeof(path)) ||
	    abac_jflat_get(obj, len, "tags", tags, sizeof(tags)))
		return;
	memset(&a, 0, sizeof(a));
	abac_diags_init(&d);
	r = abac_attrs_resolve(c->sp->pol[0], ABAC_SIDE_SUBJECT, "<tags>",
			       tags, &a, &d) ? -1 : row_of(c, ABAC_SIDE_SUBJECT, &a);
	abac_diags_free(&d);
	if (r < 0)
		return;
	(*n)++;
	if (json_output) {
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "cgroup", path);
		abac_json_kv_str(jw(), "tags", tags);
		abac_json_kv_str(jw(), "rule", row_rule(c, r));
		abac_json_obj_end(jw());
	} else {
		printf("  %s (%s): %s\n", path, tags, row_rule(c, r));
	}
}

/* The tagged cgroups abacd holds that some row permits. */
static void live_cgroups(const struct abac_cubes *c)
{
	static const char *const args[] = { "subject-list", "--json" };
	struct agent_reply rep;
	const char *p, *end, *q;
	unsigned long n = 0;
	bool in_str = false;
	int fd;

	if (json_output) {
		abac_json_key(jw(), "cgroups");
		abac_json_arr_begin(jw());
	} else {
		printf("\ntagged cgroups of this host that it permits:\n");
	}
	fd = abac_ctl_connect(ctl_path);
	if (fd < 0)
		p_warn("abacd cannot be reached at %s: no tagged cgroups listed",
		       ctl_path);
	else
		close(fd);
	if (fd >= 0 &&
	    agent_call("list the tagged cgroups", 2, args, &rep) == 0) {
		end = rep.text + rep.len;
		for (p = rep.text; p < end; p++) {	/* each {...} of the array */
			if (*p != '{')
				continue;
			for (q = p; q < end && (in_str || *q != '}'); q++)
				if (*q == '"' && q[-1] != '\\')
					in_str = !in_str;
			if (q < end)
				one_cgroup(c, p, q - p + 1, &n);
			p = q;
		}
		agent_reply_free(&rep);
	}
	if (json_output)
		abac_json_arr_end(jw());
	else if (!n)
		printf("  none\n");
}

/* nftw() has no context argument: the walk's state. */
static struct {
	const struct abac_cubes *c;
	const struct abac_image *img;
	unsigned long walked, shown;
} walk;

static int one_file(const char *path, const struct stat *st, int type,
		    struct FTW *ftw)
{
	char label[ABAC_LABEL_MAX + 1], from[4096];
	struct abac_label_pairs lp;
	struct abac_attrs o;
	size_t len;
	long r;

	if (++walk.walked > LIVE_FILES_MAX)
		return 1;
	if (type != FTW_F)
		return 0;
	memset(&o, 0, sizeof(o));
	if (file_label(path, label, &len, from, sizeof(from)) ||
	    abac_label_parse(walk.img, (const __u8 *)label, len, &lp, &o))
		return 0;
	r = row_of(walk.c, ABAC_SIDE_OBJECT, &o);
	if (r < 0)
		return 0;
	walk.shown++;
	label[len] = '\0';
	if (json_output) {
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "path", path);
		abac_json_kv_str(jw(), "label", label);
		abac_json_kv_str(jw(), "from", from);
		abac_json_kv_str(jw(), "rule", row_rule(walk.c, r));
		abac_json_obj_end(jw());
	} else {
		printf("  %s (%s%s%s): %s\n", path, label,
		       strcmp(from, path) ? ", from " : "",
		       strcmp(from, path) ? from : "", row_rule(walk.c, r));
	}
	return 0;
}

/* The labelled files under @dir that some row's objects hold. */
static void live_files(const struct abac_cubes *c,
		       const struct abac_image *img, const char *dir)
{
	walk.c = c;
	walk.img = img;
	walk.walked = walk.shown = 0;
	if (json_output) {
		abac_json_key(jw(), "files");
		abac_json_arr_begin(jw());
	} else {
		printf("\nlabelled files under %s that it concerns:\n", dir);
	}
	if (nftw(dir, one_file, 16, FTW_PHYS) < 0)
		p_warn("cannot walk %s: %s", dir, strerr(-errno));
	if (walk.walked > LIVE_FILES_MAX)
		p_warn("stopped after %d entries under %s", LIVE_FILES_MAX, dir);
	if (json_output)
		abac_json_arr_end(jw());
	else if (!walk.shown)
		printf("  none\n");
}

/**
 * live_report() - the host's cgroups and files the rows permit.
 * @c: the rows of who-can or what-can.
 * @img: the image of their policy.
 * @cgroups: list the tagged cgroups (asks abacd).
 * @under: list the labelled files under this directory, or NULL.
 *
 * In JSON mode it writes a "live" member into the object being written.
 */
void live_report(const struct abac_cubes *c, const struct abac_image *img,
		 bool cgroups, const char *under)
{
	if (json_output) {
		abac_json_key(jw(), "live");
		abac_json_obj_begin(jw());
	}
	if (cgroups)
		live_cgroups(c);
	if (under)
		live_files(c, img, under);
	if (json_output)
		abac_json_obj_end(jw());
}
