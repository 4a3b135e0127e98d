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
 * Policies mix closed attributes with open ones (subject.user,
 * object.owner: equality, negation, == and != between them), whose
 * values hold spaces and umlauts.
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
/* values of the open attributes, as people write them */
static const char *const who[] = { "alice", "Dr. Zo\xc3\xab M\xc3\xbcller", "bob" };
static const char *const algs[] = {
	"deny-overrides", "permit-overrides", "first-applicable",
};

#define CAT(...) (o += snprintf(buf + o, sz - o, __VA_ARGS__))

/* One subject condition on a distinct attribute (@used marks them). */
static size_t subj_cond(char *buf, size_t sz, size_t o, unsigned int *used)
{
	unsigned int k = rnd(10), attr = k < 3 ? 0 : k < 5 ? 1 : k < 8 ? 2 : 3;

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
	case 7: CAT("projects: {present: %s}", rnd(2) ? "true" : "false"); break;
	case 8: CAT("user: \"%s\"", who[rnd(3)]); break;
	default: CAT("user: {not: \"%s\"}", who[rnd(3)]); break;
	}
	return o;
}

static size_t obj_cond(char *buf, size_t sz, size_t o, unsigned int *used)
{
	unsigned int k = rnd(6), attr = k < 3 ? 0 : k - 2;

	if (*used & (1U << attr))
		return o;
	*used |= 1U << attr;
	CAT("%s", *used != (1U << attr) ? ", " : "");
	switch (k) {
	case 0: CAT("kind: %s", v3[rnd(3)]); break;
	case 1: CAT("kind: [%s, %s]", v3[rnd(2)], v3[2]); break;
	case 2: CAT("kind: {not: %s}", v3[rnd(3)]); break;
	case 3: CAT("level: {lte: %s}", lv[rnd(3)]); break;
	case 4: CAT("project: %s", pj[rnd(3)]); break;
	default: CAT("owner: \"%s\"", who[rnd(3)]); break;
	}
	return o;
}

static const char *const relations[] = {
	"subject.level >= object.level",
	"subject.level < object.level",
	"subject.projects contains object.project",
	"subject.role == object.kind",
	"subject.role != object.kind",
	"object.owner == subject.user",
	"object.owner != subject.user",
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
	    "    user: {type: string, open: true}\n"
	    "  object:\n"
	    "    kind: {type: string, values: [a, b, c]}\n"
	    "    level: {type: level, values: [low, mid, high]}\n"
	    "    project: {type: string, values: [p, q, r]}\n"
	    "    owner: {type: string, open: true}\n"
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
			CAT(", where: [\"%s\"]", relations[rnd(7)]);
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
	if (rnd(3))	/* quoted: the shell and tag text both take it */
		CAT(" user=\"%s\"", who[rnd(3)]);
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
	if (rnd(3))
		CAT("owner=%s;", who[rnd(3)]);
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

/*
 * The generated policies of one test, one at a time: the policy in force
 * (through abacd), its model and image in user space, the subjects tagged
 * in cgroups d0..d5, and the tally of decisions over all the policies.
 */
struct round {
	unsigned int n;
	char yaml[8192];
	char tags[NSUBJECTS][128];
	struct abac_attrs s[NSUBJECTS];
	struct abac_policy *p;
	void *img;
	struct abac_image v;
	unsigned int agree, total, allowed;
};

/* Generate policy @n over @ops, apply it, build its image, tag subjects. */
static void round_begin(struct __test_metadata *_metadata, struct round *r,
			unsigned int n, const struct opsets *ops)
{
	char cg[32], name[32];
	struct abac_diags dg;
	unsigned int i;
	size_t len;

	r->n = n;
	gen_policy(n, ops, r->yaml, sizeof(r->yaml));
	snprintf(name, sizeof(name), "diff%u", n);
	ASSERT_EQ(0, vm_apply(name, r->yaml)) TH_LOG("%s", r->yaml);
	abac_diags_init(&dg);
	r->p = NULL;
	ASSERT_EQ(0, abac_policy_parse_buf(name, r->yaml, strlen(r->yaml),
					   &r->p, &dg));
	ASSERT_EQ(0, abac_image_build(r->p, NULL, 0, &r->img, &len, &dg));
	r->v = abac_image_view(r->img, len);
	for (i = 0; i < NSUBJECTS; i++) {
		gen_tags(r->tags[i], sizeof(r->tags[i]));
		snprintf(cg, sizeof(cg), "d%u", i);
		ASSERT_EQ(0, vm_tag(cg, r->tags[i])) TH_LOG("%s", r->tags[i]);
		ASSERT_EQ(0, abac_tags_resolve(r->p, r->tags[i], &r->s[i], &dg));
	}
	abac_diags_free(&dg);
}

/* @label's object attributes, resolved through the image as the kernel does. */
static void round_object(struct __test_metadata *_metadata,
			 const struct round *r, const char *label,
			 struct abac_attrs *o)
{
	struct abac_label_pairs lp;

	memset(o, 0, sizeof(*o));
	ASSERT_EQ(0, abac_label_parse(&r->v, (const __u8 *)label,
				      strlen(label), &lp, o)) TH_LOG("%s", label);
}

/*
 * Count the kernel's answer @kern (0, or the errno the operation failed
 * with) for subject @i doing @op on @o (@label), against the core's.
 */
static void round_check(struct __test_metadata *_metadata, struct round *r,
			unsigned int i, const struct abac_attrs *o,
			const char *label, __u32 op, int kern)
{
	struct abac_request rq = { .s = &r->s[i], .o = o, .e = NULL };
	struct abac_decision d;

	abac_decide(&r->v, op, &rq, &d);
	r->total++;
	r->allowed += !kern;
	if ((kern == 0) == (d.effect == ABAC_ALLOW) &&
	    (kern == 0 || kern == EACCES)) {
		r->agree++;
		return;
	}
	TH_LOG("disagree: policy %u, %s [%s] on [%s]: kernel %d, user space %s (%s)",
	       r->n, abac_op_name(op), r->tags[i], label, kern,
	       d.effect == ABAC_ALLOW ? "allow" : "deny",
	       abac_outcome_name(d.outcome));
	TH_LOG("%s", r->yaml);
}

static void round_end(struct round *r)
{
	free(r->img);
	abac_policy_free(r->p);
}

/* No tags left that the next test's policy would refuse; the verdict. */
static void rounds_done(struct __test_metadata *_metadata,
			const struct round *r, const char *what)
{
	char path[64];
	unsigned int i;

	for (i = 0; i < NSUBJECTS; i++) {
		vm_sh("abac subject untag " TEST_CG_ROOT "/d%u >/dev/null 2>&1",
		      i);
		snprintf(path, sizeof(path), TEST_CG_ROOT "/d%u", i);
		rmdir(path);
	}
	TH_LOG("%u of %u %s decisions agree (%u allowed)", r->agree, r->total,
	       what, r->allowed);
	EXPECT_EQ(r->total, r->agree);
	/* a generator that only ever denied would prove little */
	EXPECT_LT(r->total / 10, r->allowed);
	EXPECT_GT(r->total - r->total / 10, r->allowed);
}

/* Hundreds of processes in a TCG guest: more than the default 30 s. */
TEST_F_TIMEOUT(diff, kernel_and_user_space_agree_on_generated_policies, 900)
{
	static const int flags[2] = { O_RDONLY, O_WRONLY };
	static const unsigned int ops[2] = { ABAC_OP_READ, ABAC_OP_WRITE };
	static struct round r;
	char labels[NOBJECTS][128], cg[32], path[64];
	struct abac_attrs o[NOBJECTS];
	unsigned int n, i, j, k;

	ASSERT_EQ(0, vm_setup());
	for (n = 0; n < NPOLICIES; n++) {
		round_begin(_metadata, &r, n, &file_opsets);
		for (j = 0; j < NOBJECTS; j++) {
			gen_label(labels[j], sizeof(labels[j]));
			snprintf(path, sizeof(path), TEST_DIR "/o%u", j);
			ASSERT_EQ(0, vm_mkfile(path, "x\n", labels[j]));
			round_object(_metadata, &r, labels[j], &o[j]);
		}
		for (i = 0; i < NSUBJECTS; i++) {
			snprintf(cg, sizeof(cg), "d%u", i);
			for (j = 0; j < NOBJECTS; j++) {
				snprintf(path, sizeof(path), TEST_DIR "/o%u", j);
				for (k = 0; k < 2; k++)
					round_check(_metadata, &r, i, &o[j],
						    labels[j], ops[k],
						    vm_probe_open(cg, path,
								  flags[k]));
			}
		}
		round_end(&r);
	}
	rounds_done(_metadata, &r, "read and write");
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
	return vm_sh("cp " BUSYBOX " %s && chmod 755 %s", path, path);
}

/* Try @op as subject cgroup @cg on directory @dir's program or entry. */
static int try_dir_op(const char *cg, const char *dir, __u32 op)
{
	char bin[80], entry[80];

	snprintf(bin, sizeof(bin), "%s/true", dir);
	snprintf(entry, sizeof(entry), "%s/e", dir);
	if (op == ABAC_OP_EXEC)
		return vm_in_cg(cg, try_exec, bin);
	if (op == ABAC_OP_CREATE) {
		rmdir(entry);
		return vm_in_cg(cg, try_mkdir, entry);
	}
	mkdir(entry, 0755);
	return vm_in_cg(cg, try_rmdir, entry);
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
	static struct round r;
	char labels[NOBJECTS][128], cg[32], dir[64], bin[80];
	struct abac_attrs o[NOBJECTS];
	unsigned int n, i, j, k;

	ASSERT_EQ(0, vm_setup());
	for (j = 0; j < NOBJECTS; j++) {
		snprintf(dir, sizeof(dir), TEST_DIR "/D%u", j);
		ASSERT_EQ(0, mkdir(dir, 0755));
		snprintf(bin, sizeof(bin), "%s/true", dir);
		ASSERT_EQ(0, copy_busybox(bin));
	}
	for (n = 0; n < NDIRPOLICIES; n++) {
		round_begin(_metadata, &r, n, &dir_opsets);
		for (j = 0; j < NOBJECTS; j++) {
			gen_label(labels[j], sizeof(labels[j]));
			snprintf(dir, sizeof(dir), TEST_DIR "/D%u", j);
			ASSERT_EQ(0, vm_label(dir, labels[j]));
			round_object(_metadata, &r, labels[j], &o[j]);
		}
		for (i = 0; i < NSUBJECTS; i++) {
			snprintf(cg, sizeof(cg), "d%u", i);
			for (j = 0; j < NOBJECTS; j++) {
				snprintf(dir, sizeof(dir), TEST_DIR "/D%u", j);
				for (k = 0; k < 3; k++)
					round_check(_metadata, &r, i, &o[j],
						    labels[j], ops[k],
						    try_dir_op(cg, dir, ops[k]));
			}
		}
		round_end(&r);
	}
	rounds_done(_metadata, &r, "exec, create and delete");
}

TEST_HARNESS_MAIN
