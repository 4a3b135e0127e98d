// SPDX-License-Identifier: GPL-2.0-only
/*
 * Differential test: generated policies and requests, decided twice, by
 * the kernel through the real hooks (the policy applied through abacd,
 * subjects tagged on cgroups, objects labelled, the operation tried from
 * a process in the cgroup) and by the user-space build of the same
 * decision core over the same policy.  Every decision must agree: read
 * and write through file_open; exec, create and delete through
 * bprm_check_security, inode_mkdir and inode_rmdir on objects that take
 * their labels from a labelled directory.
 *
 * The generator is a fixed-seed xorshift, so a failure is reproducible;
 * the log names the policy and the request that disagreed.
 */
#include "kselftest_harness.h"
#include "vm_common.h"
#include "libabac.h"

#define NPOLICIES	8
#define NSUBJECTS	6
#define NOBJECTS	6

static __u64 rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned int rnd(unsigned int n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned int)(rng_state >> 33) % n;
}

static const char *const v3[] = { "a", "b", "c" };
static const char *const lv[] = { "low", "mid", "high" };
static const char *const pj[] = { "p", "q", "r" };
static const char *const algs[] = {
	"deny-overrides", "permit-overrides", "first-applicable",
};

#define CAT(...) (o += snprintf(buf + o, sz - o, __VA_ARGS__))

/* One subject condition on a distinct attribute (@used marks them). */
static size_t subj_cond(char *buf, size_t sz, size_t o, unsigned int *used)
{
	unsigned int k = rnd(8), attr = k < 3 ? 0 : k < 5 ? 1 : 2;

	if (*used & (1U << attr))
		return o;
	*used |= 1U << attr;
	CAT("%s", *used != (1U << attr) ? ", " : "");
	switch (k) {
	case 0: CAT("role: %s", v3[rnd(3)]); break;
	case 1: CAT("role: [%s, %s]", v3[0], v3[1 + rnd(2)]); break;
	case 2: CAT("role: {not: %s}", v3[rnd(3)]); break;
	case 3: CAT("level: {gte: %s}", lv[rnd(3)]); break;
	case 4: CAT("level: {lt: %s}", lv[1 + rnd(2)]); break;
	case 5: CAT("projects: %s", pj[rnd(3)]); break;
	case 6: CAT("projects: {contains: [%s, %s]}", pj[0], pj[1 + rnd(2)]); break;
	default: CAT("projects: {present: %s}", rnd(2) ? "true" : "false"); break;
	}
	return o;
}

static size_t obj_cond(char *buf, size_t sz, size_t o, unsigned int *used)
{
	unsigned int k = rnd(5), attr = k < 3 ? 0 : k - 2;

	if (*used & (1U << attr))
		return o;
	*used |= 1U << attr;
	CAT("%s", *used != (1U << attr) ? ", " : "");
	switch (k) {
	case 0: CAT("kind: %s", v3[rnd(3)]); break;
	case 1: CAT("kind: [%s, %s]", v3[rnd(2)], v3[2]); break;
	case 2: CAT("kind: {not: %s}", v3[rnd(3)]); break;
	case 3: CAT("level: {lte: %s}", lv[rnd(3)]); break;
	default: CAT("project: %s", pj[rnd(3)]); break;
	}
	return o;
}

static const char *const relations[] = {
	"subject.level >= object.level",
	"subject.level < object.level",
	"subject.projects contains object.project",
	"subject.role == object.kind",
	"subject.role != object.kind",
};

/* The operations a generated rule may name: one set is picked a rule. */
struct opsets {
	const char *const *v;
	unsigned int n;
};

static const char *const file_ops[] = { "read", "read, write" };
static const char *const dir_ops[] = {
	"exec", "create", "delete", "exec, create", "create, delete",
	"exec, delete",
};
static const struct opsets file_opsets = { file_ops, 2 };
static const struct opsets dir_opsets = { dir_ops, 6 };

static void gen_policy(unsigned int n, const struct opsets *ops, char *buf,
		       size_t sz)
{
	unsigned int r, nrules = 1 + rnd(6), used, k;
	size_t o = 0;

	CAT("version: 1\nname: diff%u\ncombining: %s\ndefault: %s\n", n,
	    algs[rnd(3)], rnd(3) ? "deny" : "allow");
	CAT("attributes:\n  subject:\n"
	    "    role: {type: string, values: [a, b, c]}\n"
	    "    level: {type: level, values: [low, mid, high]}\n"
	    "    projects: {type: set, values: [p, q, r]}\n"
	    "  object:\n"
	    "    kind: {type: string, values: [a, b, c]}\n"
	    "    level: {type: level, values: [low, mid, high]}\n"
	    "    project: {type: string, values: [p, q, r]}\n"
	    "rules:\n");
	for (r = 0; r < nrules; r++) {
		CAT("  - {id: r%u, nlp: \"Generated rule %u.\", effect: %s, ops: [%s]",
		    r, r, rnd(2) ? "allow" : "deny", ops->v[rnd(ops->n)]);
		used = 0;
		k = rnd(3);
		if (k) {
			CAT(", subject: {");
			while (k--)
				o = subj_cond(buf, sz, o, &used);
			CAT("}");
		}
		used = 0;
		k = rnd(3);
		if (k) {
			CAT(", object: {");
			while (k--)
				o = obj_cond(buf, sz, o, &used);
			CAT("}");
		}
		if (!rnd(3))
			CAT(", where: [\"%s\"]", relations[rnd(5)]);
		CAT("}\n");
	}
}

/* Tags with at least one pair, each attribute present two times in three. */
static void gen_tags(char *buf, size_t sz)
{
	size_t o = 0;

	buf[0] = '\0';
	if (rnd(3))
		CAT("role=%s ", v3[rnd(3)]);
	if (rnd(3))
		CAT("level=%s ", lv[rnd(3)]);
	if (rnd(3) || !o)
		CAT("projects=%s%s", pj[rnd(3)], rnd(2) ? ",r" : "");
}

static void gen_label(char *buf, size_t sz)
{
	size_t o = 0;

	buf[0] = '\0';
	if (rnd(3))
		CAT("kind=%s;", v3[rnd(3)]);
	if (rnd(3))
		CAT("level=%s;", lv[rnd(3)]);
	if (rnd(3) || !o)
		CAT("project=%s;", pj[rnd(3)]);
	if (o && buf[o - 1] == ';')
		buf[o - 1] = '\0';
}

FIXTURE(diff) {
	int unused;
};

FIXTURE_SETUP(diff)
{
}

FIXTURE_TEARDOWN(diff)
{
}

/* Hundreds of processes in a TCG guest: more than the default 30 s. */
TEST_F_TIMEOUT(diff, kernel_and_user_space_agree_on_generated_policies, 900)
{
	static char yaml[8192];
	char tags[NSUBJECTS][128], labels[NOBJECTS][128];
	char cg[32], path[64], name[32];
	struct abac_attrs s[NSUBJECTS], o[NOBJECTS];
	struct abac_label_pairs lp;
	struct abac_request rq = { 0 };
	struct abac_policy *p;
	struct abac_decision d;
	struct abac_diags dg;
	struct abac_image v;
	unsigned int n, i, j, k, agree = 0, total = 0, allowed = 0;
	static const int flags[2] = { O_RDONLY, O_WRONLY };
	static const unsigned int ops[2] = { ABAC_OP_READ, ABAC_OP_WRITE };
	void *img;
	size_t len;
	int kern;

	ASSERT_EQ(0, vm_setup());
	for (n = 0; n < NPOLICIES; n++) {
		gen_policy(n, &file_opsets, yaml, sizeof(yaml));
		snprintf(name, sizeof(name), "diff%u", n);
		ASSERT_EQ(0, vm_apply(name, yaml)) TH_LOG("%s", yaml);
		abac_diags_init(&dg);
		p = NULL;
		ASSERT_EQ(0, abac_policy_parse_buf(name, yaml, strlen(yaml),
						   &p, &dg));
		ASSERT_EQ(0, abac_image_build(p, NULL, 0, &img, &len, &dg));
		v = abac_image_view(img, len);
		for (i = 0; i < NSUBJECTS; i++) {
			gen_tags(tags[i], sizeof(tags[i]));
			snprintf(cg, sizeof(cg), "d%u", i);
			ASSERT_EQ(0, vm_tag(cg, tags[i])) TH_LOG("%s", tags[i]);
			ASSERT_EQ(0, abac_tags_resolve(p, tags[i], &s[i], &dg));
		}
		for (j = 0; j < NOBJECTS; j++) {
			gen_label(labels[j], sizeof(labels[j]));
			snprintf(path, sizeof(path), TEST_DIR "/o%u", j);
			ASSERT_EQ(0, vm_mkfile(path, "x\n", labels[j]));
			memset(&o[j], 0, sizeof(o[j]));
			ASSERT_EQ(0, abac_label_parse(&v,
				(const __u8 *)labels[j], strlen(labels[j]),
				&lp, &o[j])) TH_LOG("%s", labels[j]);
		}
		for (i = 0; i < NSUBJECTS; i++) {
			snprintf(cg, sizeof(cg), "d%u", i);
			for (j = 0; j < NOBJECTS; j++) {
				snprintf(path, sizeof(path), TEST_DIR "/o%u", j);
				for (k = 0; k < 2; k++) {
					rq.s = &s[i];
					rq.o = &o[j];
					rq.e = NULL;
					abac_decide(&v, ops[k], &rq, &d);
					kern = vm_probe_open(cg, path, flags[k]);
					total++;
					allowed += !kern;
					if ((kern == 0) ==
					    (d.effect == ABAC_ALLOW) &&
					    (kern == 0 || kern == EACCES)) {
						agree++;
						continue;
					}
					TH_LOG("disagree: policy %u, %s [%s] on [%s]: kernel %d, user space %s (%s)",
					       n, abac_op_name(ops[k]), tags[i],
					       labels[j], kern,
					       d.effect == ABAC_ALLOW ? "allow" : "deny",
					       abac_outcome_name(d.outcome));
					TH_LOG("%s", yaml);
				}
			}
		}
		free(img);
		abac_policy_free(p);
		abac_diags_free(&dg);
	}
	/* leave no tags behind that the next test's policy would refuse */
	for (i = 0; i < NSUBJECTS; i++) {
		vm_sh("abac subject untag " TEST_CG_ROOT "/d%u >/dev/null 2>&1",
		      i);
		snprintf(path, sizeof(path), TEST_CG_ROOT "/d%u", i);
		rmdir(path);
	}
	TH_LOG("%u of %u decisions agree (%u allowed)", agree, total,
	       allowed);
	EXPECT_EQ(total, agree);
	/* a generator that only ever denied would prove little */
	EXPECT_LT(total / 10, allowed);
	EXPECT_GT(total - total / 10, allowed);
}

/* ---- exec, create, delete ------------------------------------------- */

#define NDIRPOLICIES	6
#define BUSYBOX		"/bin/busybox"

static int try_exec(const void *path)
{
	execl(path, "true", (char *)NULL);
	return errno;
}

static int try_mkdir(const void *path)
{
	return vm_rc(mkdir(path, 0755));
}

static int try_rmdir(const void *path)
{
	return vm_rc(rmdir(path));
}

/* A copy of busybox at @path, which runs as "true" under that argv[0]. */
static int copy_busybox(const char *path)
{
	char *cmd = NULL;
	int err;

	if (asprintf(&cmd, "cp " BUSYBOX " %s && chmod 755 %s", path, path) < 0)
		return -1;
	err = vm_sh("%s", cmd);
	free(cmd);
	return err;
}

/*
 * Each object is a labelled directory holding an unlabelled program and
 * an unlabelled entry: exec of the program, mkdir of a new entry and
 * rmdir of the old one are decided on the directory's label (own for
 * the directory, inherited for the entries through abac_dirs).
 */
TEST_F_TIMEOUT(diff, kernel_and_user_space_agree_on_exec_create_delete, 900)
{
	static const unsigned int ops[3] = {
		ABAC_OP_EXEC, ABAC_OP_CREATE, ABAC_OP_DELETE,
	};
	static char yaml[8192];
	char tags[NSUBJECTS][128], labels[NOBJECTS][128];
	char cg[32], dir[64], bin[80], entry[80], name[32];
	struct abac_attrs s[NSUBJECTS], o[NOBJECTS];
	unsigned int n, i, j, k, agree = 0, total = 0, allowed = 0;
	struct abac_label_pairs lp;
	struct abac_request rq = { 0 };
	struct abac_policy *p;
	struct abac_decision d;
	struct abac_diags dg;
	struct abac_image v;
	void *img;
	size_t len;
	int kern;

	ASSERT_EQ(0, vm_setup());
	for (j = 0; j < NOBJECTS; j++) {
		snprintf(dir, sizeof(dir), TEST_DIR "/D%u", j);
		ASSERT_EQ(0, mkdir(dir, 0755));
		snprintf(bin, sizeof(bin), "%s/true", dir);
		ASSERT_EQ(0, copy_busybox(bin));
	}
	for (n = 0; n < NDIRPOLICIES; n++) {
		gen_policy(n, &dir_opsets, yaml, sizeof(yaml));
		snprintf(name, sizeof(name), "dirdiff%u", n);
		ASSERT_EQ(0, vm_apply(name, yaml)) TH_LOG("%s", yaml);
		abac_diags_init(&dg);
		p = NULL;
		ASSERT_EQ(0, abac_policy_parse_buf(name, yaml, strlen(yaml),
						   &p, &dg));
		ASSERT_EQ(0, abac_image_build(p, NULL, 0, &img, &len, &dg));
		v = abac_image_view(img, len);
		for (i = 0; i < NSUBJECTS; i++) {
			gen_tags(tags[i], sizeof(tags[i]));
			snprintf(cg, sizeof(cg), "d%u", i);
			ASSERT_EQ(0, vm_tag(cg, tags[i])) TH_LOG("%s", tags[i]);
			ASSERT_EQ(0, abac_tags_resolve(p, tags[i], &s[i], &dg));
		}
		for (j = 0; j < NOBJECTS; j++) {
			gen_label(labels[j], sizeof(labels[j]));
			snprintf(dir, sizeof(dir), TEST_DIR "/D%u", j);
			ASSERT_EQ(0, vm_label(dir, labels[j]));
			memset(&o[j], 0, sizeof(o[j]));
			ASSERT_EQ(0, abac_label_parse(&v,
				(const __u8 *)labels[j], strlen(labels[j]),
				&lp, &o[j])) TH_LOG("%s", labels[j]);
		}
		for (i = 0; i < NSUBJECTS; i++) {
			snprintf(cg, sizeof(cg), "d%u", i);
			for (j = 0; j < NOBJECTS; j++) {
				snprintf(dir, sizeof(dir), TEST_DIR "/D%u", j);
				snprintf(bin, sizeof(bin), "%s/true", dir);
				snprintf(entry, sizeof(entry), "%s/e", dir);
				for (k = 0; k < 3; k++) {
					rq.s = &s[i];
					rq.o = &o[j];
					rq.e = NULL;
					abac_decide(&v, ops[k], &rq, &d);
					if (ops[k] == ABAC_OP_EXEC) {
						kern = vm_in_cg(cg, try_exec, bin);
					} else if (ops[k] == ABAC_OP_CREATE) {
						rmdir(entry);
						kern = vm_in_cg(cg, try_mkdir, entry);
					} else {
						mkdir(entry, 0755);
						kern = vm_in_cg(cg, try_rmdir, entry);
					}
					total++;
					allowed += !kern;
					if ((kern == 0) ==
					    (d.effect == ABAC_ALLOW) &&
					    (kern == 0 || kern == EACCES)) {
						agree++;
						continue;
					}
					TH_LOG("disagree: policy %u, %s [%s] on [%s]: kernel %d, user space %s (%s)",
					       n, abac_op_name(ops[k]), tags[i],
					       labels[j], kern,
					       d.effect == ABAC_ALLOW ? "allow" : "deny",
					       abac_outcome_name(d.outcome));
					TH_LOG("%s", yaml);
				}
			}
		}
		free(img);
		abac_policy_free(p);
		abac_diags_free(&dg);
	}
	for (i = 0; i < NSUBJECTS; i++) {
		vm_sh("abac subject untag " TEST_CG_ROOT "/d%u >/dev/null 2>&1",
		      i);
		snprintf(dir, sizeof(dir), TEST_CG_ROOT "/d%u", i);
		rmdir(dir);
	}
	TH_LOG("%u of %u exec, create and delete decisions agree (%u allowed)",
	       agree, total, allowed);
	EXPECT_EQ(total, agree);
	EXPECT_LT(total / 10, allowed);
	EXPECT_GT(total - total / 10, allowed);
}

TEST_HARNESS_MAIN
