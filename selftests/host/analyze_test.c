// SPDX-License-Identifier: GPL-2.0-only
/*
 * who-can and diff against brute force: on generated small policies, every
 * request of the whole space (every value of every attribute, absent
 * included, every operation, every minute of every weekday when a rule
 * reads the clock) is decided one by one with abac_decide(), and the
 * analysis must hold exactly the permitted requests (who-can) and exactly
 * the requests two policies decide differently (diff): no request
 * missing, none too many.  Then the properties a reader relies on: rule
 * order under deny-overrides and a redundant rule change nothing.
 */
#include <stdarg.h>

#include "kselftest_harness.h"
#include "common.h"

#define POLICIES	1000
#define YAML_MAX	8192

/* A small deterministic generator (xorshift), so a failure reproduces. */
static unsigned long long rng_state;

static unsigned int rnd(unsigned int n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned int)(rng_state % n);
}

static void add(char *buf, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + n, YAML_MAX - n, fmt, ap);
	va_end(ap);
}

/* The shape of a generated policy's attributes, shared by its mutants. */
struct shape {
	bool s_level, s_set, s_int, o_level, o_int, env, clock;
};

static const char *const vals3[] = { "a", "b", "c" };
static const char *const lvls[] = { "lo", "mid", "hi" };
static const char *const ops[] = { "read", "write", "exec" };
static const char *const days[] = { "sun", "mon", "tue", "wed", "thu",
				    "fri", "sat" };

static void gen_head(char *y, const struct shape *sh, unsigned int comb,
		     unsigned int def)
{
	static const char *const combs[] = { "deny-overrides",
		"permit-overrides", "first-applicable" };

	add(y, "version: 1\nname: g\ncombining: %s\ndefault: %s\n",
	    combs[comb], def ? "allow" : "deny");
	add(y, "attributes:\n  subject:\n");
	add(y, "    s0: {type: string, values: [a, b, c]}\n");
	if (sh->s_level)
		add(y, "    s1: {type: level, values: [lo, mid, hi]}\n");
	if (sh->s_set)
		add(y, "    s2: {type: set, values: [a, b, c]}\n");
	if (sh->s_int)
		add(y, "    s3: {type: int, min: 0, max: 5%s}\n",
		    rnd(2) ? ", default: 2" : "");
	add(y, "  object:\n    o0: {type: string, values: [a, b, c]%s}\n",
	    rnd(3) ? "" : ", default: b");
	if (sh->o_level)
		add(y, "    o1: {type: level, values: [lo, mid, hi]}\n");
	if (sh->o_int)
		add(y, "    o2: {type: int, min: 0, max: 4}\n");
	if (sh->env)
		add(y, "  env:\n    e0: {type: bool%s}\n",
		    rnd(2) ? ", default: false" : "");
	add(y, "rules:\n");
}

/* A condition on a string attribute: a value, a list, not, present. */
static void gen_string_cond(char *y, const char *name)
{
	switch (rnd(5)) {
	case 0:
		add(y, "%s: %s, ", name, vals3[rnd(3)]);
		break;
	case 1:
		add(y, "%s: [%s, %s], ", name, vals3[rnd(3)], vals3[rnd(3)]);
		break;
	case 2:
		add(y, "%s: {not: %s}, ", name, vals3[rnd(3)]);
		break;
	case 3:
		add(y, "%s: {present: %s}, ", name, rnd(2) ? "true" : "false");
		break;
	default:
		add(y, "%s: %s, ", name, vals3[rnd(3)]);
	}
}

static void gen_order_cond(char *y, const char *name, bool level, int max)
{
	static const char *const cmp[] = { "gte", "gt", "lte", "lt" };

	if (level)
		add(y, "%s: {%s: %s}, ", name, cmp[rnd(4)], lvls[rnd(3)]);
	else if (rnd(3))
		add(y, "%s: {%s: %d}, ", name, cmp[rnd(4)], rnd(max + 1));
	else
		add(y, "%s: %d, ", name, rnd(max + 1));
}

static void gen_subject(char *y, const struct shape *sh)
{
	add(y, "    subject: {");
	if (rnd(2))
		gen_string_cond(y, "s0");
	if (sh->s_level && rnd(2))
		gen_order_cond(y, "s1", true, 0);
	if (sh->s_set && rnd(2))
		add(y, rnd(2) ? "s2: %s, " : "s2: {contains: [%s, c]}, ",
		    vals3[rnd(3)]);
	if (sh->s_int && rnd(2))
		gen_order_cond(y, "s3", false, 5);
	add(y, "}\n");
}

static void gen_object(char *y, const struct shape *sh)
{
	add(y, "    object: {");
	if (rnd(2))
		gen_string_cond(y, "o0");
	if (sh->o_level && rnd(2))
		gen_order_cond(y, "o1", true, 0);
	if (sh->o_int && rnd(2))
		gen_order_cond(y, "o2", false, 4);
	add(y, "}\n");
}

static void gen_env(char *y, const struct shape *sh)
{
	unsigned int lo = rnd(1440), hi = rnd(1440), i, n = 0;

	if (!(sh->env && rnd(2)) && !(sh->clock && rnd(3)))
		return;
	add(y, "    env: {");
	if (sh->env && rnd(2))
		add(y, "e0: %s, ", rnd(2) ? "true" : "false");
	if (sh->clock && rnd(2))
		add(y, "time: \"%02u:%02u-%02u:%02u\", ", lo / 60, lo % 60,
		    hi / 60, hi % 60);
	if (sh->clock && rnd(2)) {
		add(y, "days: [");
		for (i = 0; i < 7; i++)
			if (rnd(2) || (i == 6 && !n))
				add(y, "%s%s", n++ ? ", " : "", days[i]);
		add(y, "], ");
	}
	add(y, "}\n");
}

static void gen_where(char *y, const struct shape *sh)
{
	unsigned int k = rnd(6);

	if (k == 0)
		add(y, "    where: [\"subject.s0 %s object.o0\"]\n",
		    rnd(2) ? "==" : "!=");
	else if (k == 1 && sh->s_level && sh->o_level)
		add(y, "    where: [\"subject.s1 %s object.o1\"]\n",
		    rnd(2) ? ">=" : "<");
	else if (k == 2 && sh->s_set)
		add(y, "    where: [\"subject.s2 contains object.o0\"]\n");
}

static void gen_rule(char *y, const struct shape *sh, unsigned int i)
{
	unsigned int m = 1 + rnd(7), o, n = 0;

	add(y, "  - id: r%u\n    nlp: r%u\n    effect: %s\n    ops: [", i, i,
	    rnd(2) ? "allow" : "deny");
	for (o = 0; o < 3; o++)
		if (m >> o & 1)
			add(y, "%s%s", n++ ? ", " : "", ops[o]);
	add(y, "]\n");
	gen_subject(y, sh);
	gen_object(y, sh);
	gen_env(y, sh);
	gen_where(y, sh);
}

/* The shape: with the clock, few attributes (the minutes are many). */
static void gen_shape(struct shape *sh)
{
	memset(sh, 0, sizeof(*sh));
	sh->clock = rnd(12) == 0;
	sh->env = rnd(4) == 0;
	if (sh->clock)
		return;
	sh->s_level = rnd(2);
	sh->s_set = rnd(3) == 0;
	sh->s_int = rnd(3) == 0;
	sh->o_level = rnd(2);
	sh->o_int = rnd(3) == 0;
}

/*
 * The rules of a policy as separate texts, so that a mutant can reorder,
 * drop, repeat or change them.
 */
struct gen {
	struct shape sh;
	unsigned int comb, def, nrules;
	char head[YAML_MAX];
	char rules[6][1024];
};

static void gen_policy(struct gen *g)
{
	unsigned int i;

	gen_shape(&g->sh);
	g->comb = rnd(3);
	g->def = rnd(4) == 0;
	g->nrules = 1 + rnd(5);
	g->head[0] = '\0';
	gen_head(g->head, &g->sh, g->comb, g->def);
	for (i = 0; i < g->nrules; i++) {
		g->rules[i][0] = '\0';
		gen_rule(g->rules[i], &g->sh, i);
	}
}

/* The YAML of @g with its rules in the order @order (@n of them). */
static void gen_text(const struct gen *g, const unsigned int *order,
		     unsigned int n, char *y)
{
	unsigned int i;

	snprintf(y, YAML_MAX, "%s", g->head);
	for (i = 0; i < n; i++)
		add(y, "%s", g->rules[order[i]]);
}

/* ---- the brute force -------------------------------------------------- */

/* Every word an attribute can hold: absent, each value or subset, each int. */
static unsigned int words_of(const struct abac_attr_def *a, __u64 *w)
{
	unsigned int n = 0, i;
	long long v;

	w[n++] = 0;
	if (a->type == ABAC_TYPE_INT) {
		for (v = a->min; v <= a->max; v++)
			w[n++] = (__u64)v + ABAC_INT_BIAS;
		return n;
	}
	if (a->type == ABAC_TYPE_SET) {
		for (i = 1; i < (1U << a->nvalues); i++)
			w[n++] = i;
		return n;
	}
	for (i = 0; i < a->nvalues; i++)
		w[n++] = 1ULL << i;
	return n;
}

/**
 * struct brute - one walk over every request of a policy's space.
 * @p: the policy (its attributes give the words).
 * @nattr: attributes per side.
 * @words: per side and attribute, every word.
 * @nwords: how many.
 * @clock: the policy reads the clock: walk every minute and weekday.
 */
struct brute {
	const struct abac_policy *p;
	unsigned int nattr[3];
	__u64 words[3][ABAC_MAX_ATTRS][16];
	unsigned int nwords[3][ABAC_MAX_ATTRS];
	bool clock;
};

static void brute_init(struct brute *b, const struct abac_policy *p)
{
	const struct abac_attr_def *a;
	unsigned int side, i, j, k;

	memset(b, 0, sizeof(*b));
	b->p = p;
	for (side = 0; side < 3; side++) {
		a = abac_policy_attrs(p, side, &b->nattr[side]);
		for (i = 0; i < b->nattr[side]; i++)
			b->nwords[side][i] = words_of(&a[i],
						      b->words[side][i]);
	}
	for (i = 0; i < p->nrules; i++)
		for (j = 0; j < p->rules[i].ncond; j++) {
			k = p->rules[i].conds[j].kind;
			b->clock |= k == ABAC_COND_TIME || k == ABAC_COND_DAYS;
		}
}

/* The cell of a concrete request, or false when a class is missing. */
static bool cell_of(const struct abac_space *sp, unsigned int op,
		    const struct abac_attrs *a, const struct abac_env *e,
		    unsigned int *cell)
{
	const struct abac_dim *dim;
	unsigned int i;
	__u64 w;
	int c;

	for (i = 0; i < sp->ndims; i++) {
		dim = &sp->dims[i];
		if (dim->kind == ABAC_DIM_OP)
			w = op;
		else if (dim->kind == ABAC_DIM_MINUTE)
			w = e->minute;
		else if (dim->kind == ABAC_DIM_WDAY)
			w = e->wday;
		else if (dim->kind == ABAC_SIDE_ENV)
			w = e->a.v[dim->attr[0]];
		else
			w = a[dim->kind].v[dim->attr[0]];
		c = abac_space_classify(sp, i, 0, w);
		if (c < 0)
			return false;
		cell[i] = c;
	}
	return true;
}

static bool rows_hold(const struct abac_cubes *c, const unsigned int *cell)
{
	size_t r;
	unsigned int i;

	for (r = 0; r < c->n; r++) {
		for (i = 0; i < c->sp->ndims; i++)
			if (!abac_cube_has(c, r, i, cell[i]))
				break;
		if (i == c->sp->ndims)
			return true;
	}
	return false;
}

/**
 * struct check - what a brute walk compares with.
 * @sp: the space analysed.
 * @c: the analysis' rows.
 * @img: the images of the one or two policies.
 * @npol: 1 (who-can: rows hold the permitted requests) or 2 (diff: rows
 *	hold those decided differently).
 * @op: the operation who-can was asked about.
 * @o0: the object o0 word who-can fixed (0: free).
 * @errors: requests the rows get wrong.
 * @unclassified: requests no class holds.
 * @requests: requests walked.
 */
struct check {
	const struct abac_space *sp;
	const struct abac_cubes *c;
	struct abac_image img[2];
	unsigned int npol, op;
	__u64 o0;
	unsigned long errors, unclassified, requests;
};

static void check_one(struct check *ck, unsigned int op,
		      const struct abac_attrs *a, const struct abac_env *e)
{
	struct abac_request rq = { &a[0], &a[1], e };
	unsigned int cell[ABAC_SPACE_DIMS];
	struct abac_decision d[2];
	bool want;

	abac_decide(&ck->img[0], op, &rq, &d[0]);
	if (ck->npol == 2) {
		abac_decide(&ck->img[1], op, &rq, &d[1]);
		want = d[0].effect != d[1].effect;
	} else {
		want = d[0].effect == ABAC_ALLOW;
	}
	ck->requests++;
	if (!cell_of(ck->sp, op, a, e, cell)) {
		ck->unclassified++;
		return;
	}
	if (rows_hold(ck->c, cell) != want)
		ck->errors++;
}

/* Every word of every attribute, then the clock, recursively. */
static void walk_attrs(struct brute *b, struct check *ck, unsigned int op,
		       unsigned int side, unsigned int attr,
		       struct abac_attrs *a, struct abac_env *e)
{
	unsigned int i;

	if (side == 3) {
		if (!b->clock) {
			check_one(ck, op, a, e);
			return;
		}
		for (e->wday = 0; e->wday < 7; e->wday++)
			for (e->minute = 0; e->minute < 1440; e->minute++)
				check_one(ck, op, a, e);
		return;
	}
	if (attr >= b->nattr[side]) {
		walk_attrs(b, ck, op, side + 1, 0, a, e);
		return;
	}
	for (i = 0; i < b->nwords[side][attr]; i++) {
		__u64 w = b->words[side][attr][i];

		if (side == ABAC_SIDE_OBJECT && attr == 0 && ck->o0 &&
		    w != ck->o0)
			continue;	/* who-can fixed it */
		if (side == ABAC_SIDE_ENV)
			e->a.v[attr] = w;
		else
			a[side].v[attr] = w;
		walk_attrs(b, ck, op, side, attr + 1, a, e);
	}
}

/*
 * The operations walked: @ck->op, or (@all_ops) the three the rules name
 * and one they never name, which only the default decides.
 */
static void brute_walk(struct brute *b, struct check *ck, bool all_ops)
{
	static const unsigned int walked[] = { ABAC_OP_READ, ABAC_OP_WRITE,
					       ABAC_OP_EXEC, ABAC_OP_CONNECT };
	struct abac_attrs a[2];
	struct abac_env e;
	unsigned int i;

	memset(a, 0, sizeof(a));
	memset(&e, 0, sizeof(e));
	for (i = 0; i < 4; i++)
		if (all_ops || walked[i] == ck->op)
			walk_attrs(b, ck, walked[i], 0, 0, a, &e);
}

/* ---- the tests -------------------------------------------------------- */

/**
 * struct compiled_pol - a generated policy, parsed and compiled.
 */
struct compiled_pol {
	struct abac_policy *p;
	void *img;
	size_t len;
};

static int compile_text(const char *y, struct compiled_pol *cp)
{
	struct abac_diags d;
	int err;

	abac_diags_init(&d);
	memset(cp, 0, sizeof(*cp));
	err = abac_policy_parse_buf("g.yaml", y, strlen(y), &cp->p, &d);
	if (!err)
		err = abac_image_build(cp->p, NULL, 0, &cp->img, &cp->len, &d);
	if (err && getenv("ABAC_TEST_VERBOSE"))
		abac_diags_print(&d, stderr);
	abac_diags_free(&d);
	return err;
}

static void compiled_free(struct compiled_pol *cp)
{
	abac_policy_free(cp->p);
	free(cp->img);
}

/*
 * Each walk takes a few seconds of CPU, but make check runs the host tests
 * beside QEMU and a kernel build on two cores: the harness's 30 s would
 * fail them on a busy machine, not on a wrong answer.
 */
#define BRUTE_TIMEOUT	600

FIXTURE(brute) {
	int unused;
};

FIXTURE_SETUP(brute)
{
}

FIXTURE_TEARDOWN(brute)
{
}

TEST_F_TIMEOUT(brute, who_can_holds_exactly_the_permitted_requests_of_1000_policies,
	       BRUTE_TIMEOUT)
{
	static char y[YAML_MAX];
	unsigned int order[6] = { 0, 1, 2, 3, 4, 5 }, done = 0, tries = 0;
	unsigned long requests = 0;
	struct abac_space *sp = calloc(1, sizeof(*sp));
	struct compiled_pol cp;
	struct abac_cubes c;
	struct abac_diags d;
	struct brute *b = calloc(1, sizeof(*b));
	struct gen *g = calloc(1, sizeof(*g));
	struct check ck;

	ASSERT_NE(NULL, sp);
	ASSERT_NE(NULL, b);
	ASSERT_NE(NULL, g);
	rng_state = 0x5eed0001;
	while (done < POLICIES && tries++ < 3 * POLICIES) {
		const struct abac_policy *pols[1];
		struct abac_image img;

		gen_policy(g);
		gen_text(g, order, g->nrules, y);
		if (compile_text(y, &cp))
			continue;
		pols[0] = cp.p;
		img = abac_image_view(cp.img, cp.len);
		abac_diags_init(&d);
		ASSERT_EQ(0, abac_space_init(sp, pols, &img, 1, &d)) TH_LOG("%s", y);
		memset(&ck, 0, sizeof(ck));
		ck.op = rnd(3);
		abac_space_keep(sp, abac_space_find(sp, "op"), ck.op);
		if (rnd(2)) {	/* who can OP objects with o0=V */
			ck.o0 = 1ULL << rnd(3);
			abac_space_keep(sp, abac_space_find(sp, "object.o0"),
					abac_space_classify(sp,
						abac_space_find(sp, "object.o0"),
						0, ck.o0));
		}
		ASSERT_EQ(0, abac_analyze_permitted(sp, &c));
		ck.sp = sp;
		ck.c = &c;
		ck.img[0] = img;
		ck.npol = 1;
		brute_init(b, cp.p);
		brute_walk(b, &ck, false);
		EXPECT_EQ(0UL, ck.unclassified) TH_LOG("%s", y);
		EXPECT_EQ(0UL, ck.errors) TH_LOG("policy %u:\n%s", done, y);
		requests += ck.requests;
		abac_cubes_free(&c);
		abac_space_free(sp);
		abac_diags_free(&d);
		compiled_free(&cp);
		if (ck.errors || ck.unclassified)
			break;
		done++;
	}
	EXPECT_EQ((unsigned int)POLICIES, done);
	TH_LOG("%u policies, %lu requests decided one by one", done, requests);
	free(g);
	free(b);
	free(sp);
}

/* A mutant of @g's rules: @kind 0 reorders, 1 drops one, 2 repeats one. */
static unsigned int mutate(const struct gen *g, unsigned int kind,
			   unsigned int *order)
{
	unsigned int n = g->nrules, i, j, t;

	for (i = 0; i < n; i++)
		order[i] = i;
	if (kind == 0) {
		for (i = n - 1; i > 0; i--) {
			j = rnd(i + 1);
			t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
	} else if (kind == 1 && n > 1) {
		j = rnd(n);
		for (i = j; i + 1 < n; i++)
			order[i] = order[i + 1];
		n--;
	} else {
		order[n] = rnd(n);
		n++;
	}
	return n;
}

TEST_F_TIMEOUT(brute, diff_holds_exactly_the_requests_decided_differently_on_1000_pairs,
	       BRUTE_TIMEOUT)
{
	static char y0[YAML_MAX], y1[YAML_MAX];
	unsigned int order[7] = { 0, 1, 2, 3, 4, 5, 6 }, order1[7];
	unsigned int done = 0, tries = 0, n1, changed = 0;
	unsigned long requests = 0;
	struct abac_space *sp = calloc(1, sizeof(*sp));
	struct compiled_pol cp[2];
	struct abac_cubes c;
	struct abac_diags d;
	struct brute *b = calloc(1, sizeof(*b));
	struct gen *g = calloc(1, sizeof(*g)), *g1 = calloc(1, sizeof(*g1));
	struct check ck;

	ASSERT_NE(NULL, sp);
	ASSERT_NE(NULL, b);
	ASSERT_NE(NULL, g1);
	rng_state = 0x5eed0002;
	while (done < POLICIES && tries++ < 3 * POLICIES) {
		const struct abac_policy *pols[2];
		struct abac_image img[2];

		gen_policy(g);
		gen_text(g, order, g->nrules, y0);
		/* a mutant: reordered, a rule dropped or repeated, or new rules */
		*g1 = *g;
		if (rnd(4) == 0) {
			for (n1 = 0; n1 < g->nrules; n1++) {
				g1->rules[n1][0] = '\0';
				gen_rule(g1->rules[n1], &g->sh, n1);
			}
			n1 = g->nrules;
			for (unsigned int i = 0; i < n1; i++)
				order1[i] = i;
		} else {
			n1 = mutate(g, rnd(3), order1);
		}
		gen_text(g1, order1, n1, y1);
		if (strstr(y1, "id: r") && n1 > g->nrules) {
			/* a repeated rule needs an id of its own */
			size_t l = strlen(y1);
			char *last = y1 + l;

			while (last > y1 && strncmp(last, "  - id: r", 9))
				last--;
			last[8] = 'x';
		}
		if (compile_text(y0, &cp[0]))
			continue;
		if (compile_text(y1, &cp[1])) {
			compiled_free(&cp[0]);
			continue;
		}
		pols[0] = cp[0].p;
		pols[1] = cp[1].p;
		img[0] = abac_image_view(cp[0].img, cp[0].len);
		img[1] = abac_image_view(cp[1].img, cp[1].len);
		abac_diags_init(&d);
		ASSERT_EQ(0, abac_space_init(sp, pols, img, 2, &d));
		ASSERT_EQ(0, abac_analyze_diff(sp, &c));
		memset(&ck, 0, sizeof(ck));
		ck.sp = sp;
		ck.c = &c;
		ck.img[0] = img[0];
		ck.img[1] = img[1];
		ck.npol = 2;
		brute_init(b, cp[0].p);
		brute_walk(b, &ck, true);
		EXPECT_EQ(0UL, ck.unclassified);
		EXPECT_EQ(0UL, ck.errors) TH_LOG("pair %u:\n%s\n---\n%s", done, y0, y1);
		requests += ck.requests;
		changed += c.n > 0;
		abac_cubes_free(&c);
		abac_space_free(sp);
		abac_diags_free(&d);
		compiled_free(&cp[0]);
		compiled_free(&cp[1]);
		if (ck.errors || ck.unclassified)
			break;
		done++;
	}
	EXPECT_EQ((unsigned int)POLICIES, done);
	/* the mutants are not all equivalent: the test can see a change */
	EXPECT_LT((unsigned int)POLICIES / 10, changed);
	TH_LOG("%u pairs (%u differing), %lu requests decided one by one",
	       done, changed, requests);
	free(g);
	free(g1);
	free(b);
	free(sp);
}

TEST_HARNESS_MAIN
