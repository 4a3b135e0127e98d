// SPDX-License-Identifier: GPL-2.0-only
/*
 * Large enumerations and long constant lists (Documentation/scale.rst,
 * "Large enumerations"): a string or level attribute of more than
 * ABAC_MAX_VALUES values (an ICD-10 sized one of 70,000) compiles, its
 * labels resolve through the image's label table, its levels keep their
 * order; a list of constants on an open string or a large enumeration is
 * one condition searched in the member table; the limits are refused by
 * name; and a policy written over a small enumeration decides exactly as
 * the same policy over the same values made large.  Decisions here come
 * from the decision core the kernel runs.
 */
#include "kselftest_harness.h"
#include "common.h"

/* A growing malloc()ed string. */
struct sb {
	char *s;
	size_t len, cap;
};

static void sb_add(struct sb *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_add(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL,
			      b->s ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (b->s && (size_t)n < b->cap - b->len)
			break;
		b->cap = (b->cap + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
	}
	b->len += n;
}

/* "[P00000, P00001, ...]" of @n values "%s%05u" from @first. */
static void sb_values(struct sb *b, const char *prefix, unsigned int first,
		      unsigned int n, unsigned int step)
{
	unsigned int i;

	sb_add(b, "[");
	for (i = 0; i < n; i++)
		sb_add(b, "%s%s%05u", i ? ", " : "", prefix,
		       first + i * step);
	sb_add(b, "]");
}

/*
 * An ICD-10 sized policy: object icd a string of @nicd codes C00000..,
 * subject clearance a level of @nlev values L00000.. (lowest first); one
 * rule allows reading the @nlist codes C00000, C00007, ... to a subject
 * cleared at L40000 or above; another denies C00003 in any case.
 */
static char *icd_policy(unsigned int nicd, unsigned int nlev,
			unsigned int nlist)
{
	struct sb b = { 0 };

	sb_add(&b, "version: 1\nname: icd\nattributes:\n  subject:\n"
		   "    role: {type: string, values: [physician, clerk]}\n"
		   "    clearance: {type: level, values: ");
	sb_values(&b, "L", 0, nlev, 1);
	sb_add(&b, "}\n  object:\n    icd: {type: string, values: ");
	sb_values(&b, "C", 0, nicd, 1);
	sb_add(&b, "}\nrules:\n"
		   "  - {id: listed, nlp: \"Physicians cleared enough read the listed codes.\","
		   " effect: allow, ops: [read], subject: {role: physician, clearance: {gte: L40000}},"
		   " object: {icd: ");
	sb_values(&b, "C", 0, nlist, 7);
	sb_add(&b, "}}\n"
		   "  - {id: never, nlp: \"Nobody reads C00003 records.\", effect: deny,"
		   " ops: [read], object: {icd: C00003}}\n");
	return b.s;
}

/* A label's object attributes under @img. */
static int label_of(const struct abac_image *img, const char *s,
		    struct abac_attrs *o)
{
	struct abac_label_pairs lp;

	memset(o, 0, sizeof(*o));
	return abac_label_parse(img, (const __u8 *)s, strlen(s), &lp, o);
}

/* The effect of reading label @label as cgroup @id of @img, or -1. */
static int read_effect(const struct abac_image *img, __u64 id,
		       const char *label)
{
	const struct abac_attrs *s = abac_subject_find(img, id);
	struct abac_decision dec;
	struct abac_attrs o;

	if (!s || label_of(img, label, &o))
		return -1;
	t_decide(img, ABAC_OP_READ, s, &o, &dec);
	return dec.effect;
}

static void subject(struct abac_subject *s, __u64 id, const char *tags)
{
	memset(s, 0, sizeof(*s));
	s->cgroup_id = id;
	s->level = 1;
	snprintf(s->path, sizeof(s->path), "/t/%llu", (unsigned long long)id);
	snprintf(s->tags, sizeof(s->tags), "%s", tags);
}

#define REFUSED(yaml, sub) t_expect_refused(_metadata, yaml, sub, true)

static void icd_case(struct __test_metadata *_metadata, unsigned int n)
{
	struct abac_subject subj[3];
	struct abac_policy *p = NULL;
	const struct abac_image_hdr *h;
	struct abac_attrs o;
	struct abac_diags d;
	struct abac_image v;
	char *yaml = icd_policy(n, n, 120), msg[256];
	void *img = NULL;
	size_t len;

	subject(&subj[0], 100, "role=physician clearance=L50000");
	subject(&subj[1], 101, "role=physician clearance=L39999");
	subject(&subj[2], 102, "role=clerk clearance=L60000");
	abac_diags_init(&d);
	ASSERT_EQ(0, t_compile(yaml, subj, 3, &img, &len, &p, &d))
		t_diags_dump(&d);
	ASSERT_EQ(0, abac_image_check(img, len, &d)) t_diags_dump(&d);
	h = img;
	EXPECT_TRUE(abac_attr_is_enum(&p->oattrs[0]));
	EXPECT_TRUE(abac_attr_is_enum(&p->sattrs[1]));
	EXPECT_EQ(n, (unsigned int)h->nenum);	/* one pair a value: no aliases */
	EXPECT_EQ(0U, h->dict_size);	/* nothing else in the dictionary */
	/* everything BPF reads but conditions and strings is in chunk 0 */
	EXPECT_LE(h->members_off + (h->nmembers + 1) / 2, ABAC_MEMBERS_END);
	EXPECT_EQ(0, abac_image_bpf_check(img, len, msg, sizeof(msg)))
		TH_LOG("%s", msg);
	TH_LOG("%u values: image %zu bytes, label table %u records, member table ends at record %u of %u",
	       n, len, h->nenum, h->members_off + (h->nmembers + 1) / 2,
	       ABAC_MEMBERS_END);
	v.base = img;
	v.nrec = len / ABAC_REC_SIZE;

	/* labels: a declared code is its number plus one */
	ASSERT_EQ(0, label_of(&v, "icd=C00042", &o));
	EXPECT_EQ(ABAC_ENUM_WORD(42), o.v[0]);
	ASSERT_EQ(0, label_of(&v, "icd=C65535", &o));
	EXPECT_EQ(ABAC_ENUM_WORD(65535), o.v[0]);
	/* undeclared, or two codes for a one-value attribute: refused */
	EXPECT_NE(0, label_of(&v, "icd=C99999x", &o));
	EXPECT_NE(0, label_of(&v, "icd=c00042", &o));
	EXPECT_NE(0, label_of(&v, "icd=C00001;icd=C00002", &o));
	EXPECT_NE(0, label_of(&v, "icd=C00001,C00002", &o));
	EXPECT_EQ(0, label_of(&v, "icd=C00001;icd=C00001", &o));

	/* listed codes for a physician cleared at L50000 */
	EXPECT_EQ(ABAC_ALLOW, read_effect(&v, 100, "icd=C00000"));
	EXPECT_EQ(ABAC_ALLOW, read_effect(&v, 100, "icd=C00007"));
	EXPECT_EQ(ABAC_ALLOW, read_effect(&v, 100, "icd=C00833"));
	EXPECT_EQ(ABAC_DENY, read_effect(&v, 100, "icd=C00840"));
	EXPECT_EQ(ABAC_DENY, read_effect(&v, 100, "icd=C00008"));
	EXPECT_EQ(ABAC_DENY, read_effect(&v, 100, "icd=C00003"));
	/* L39999 is below L40000: the order of the level holds */
	EXPECT_EQ(ABAC_DENY, read_effect(&v, 101, "icd=C00007"));
	EXPECT_EQ(ABAC_DENY, read_effect(&v, 102, "icd=C00007"));
	free(img);
	abac_policy_free(p);
	abac_diags_free(&d);

	/* an undeclared value in a subject's tag is refused, named */
	subject(&subj[0], 100, "role=physician clearance=L9999999");
	abac_diags_init(&d);
	EXPECT_NE(0, t_compile(yaml, subj, 1, &img, &len, NULL, &d));
	EXPECT_NE(NULL, t_diag(&d, "clearance")) t_diags_dump(&d);
	abac_diags_free(&d);
	free(yaml);
}

TEST(an_icd10_sized_enumeration_of_65536_values_compiles_and_decides)
{
	icd_case(_metadata, 65536);
}

TEST(an_icd10_sized_enumeration_of_70000_values_compiles_and_decides)
{
	icd_case(_metadata, 70000);
}

TEST(the_limits_are_refused_by_name)
{
	struct sb b = { 0 };

	sb_add(&b, "version: 1\nname: x\nattributes:\n  object:\n"
		   "    icd: {type: string, values: ");
	sb_values(&b, "C", 0, ABAC_MAX_ENUM_VALUES + 1, 1);
	sb_add(&b, "}\n");
	REFUSED(b.s, "ABAC_MAX_ENUM_VALUES");
	free(b.s);

	memset(&b, 0, sizeof(b));
	sb_add(&b, "version: 1\nname: x\nattributes:\n  subject:\n"
		   "    wards: {type: set, values: ");
	sb_values(&b, "W", 0, ABAC_MAX_VALUES + 1, 1);
	sb_add(&b, "}\n");
	REFUSED(b.s, "more than 64 values (ABAC_MAX_VALUES) for a set");
	free(b.s);

	/* a duplicate in a large list, found by sorting */
	memset(&b, 0, sizeof(b));
	sb_add(&b, "version: 1\nname: x\nattributes:\n  object:\n"
		   "    icd: {type: string, values: ");
	sb_values(&b, "C", 0, 100, 1);
	b.len--;	/* the ']' */
	sb_add(&b, ", C00050]}\n");
	REFUSED(b.s, "duplicate value 'C00050'");
	free(b.s);

	/* a list longer than ABAC_MAX_LIST; an undeclared code */
	memset(&b, 0, sizeof(b));
	sb_add(&b, "version: 1\nname: x\nattributes:\n  object:\n"
		   "    icd: {type: string, values: ");
	sb_values(&b, "C", 0, 5000, 1);
	sb_add(&b, "}\nrules:\n  - {id: r, nlp: \"The rule.\", effect: allow,"
		   " ops: [read], object: {icd: ");
	sb_values(&b, "C", 0, ABAC_MAX_LIST + 1, 1);
	sb_add(&b, "}}\n");
	REFUSED(b.s, "more than 4096 (ABAC_MAX_LIST)");
	free(b.s);
	memset(&b, 0, sizeof(b));
	sb_add(&b, "version: 1\nname: x\nattributes:\n  object:\n"
		   "    icd: {type: string, values: ");
	sb_values(&b, "C", 0, 100, 1);
	sb_add(&b, "}\nrules:\n  - {id: r, nlp: \"The rule.\", effect: allow,"
		   " ops: [read], object: {icd: [C00001, Z99]}}\n");
	REFUSED(b.s, "icd");
	free(b.s);
}

/* A long list on an open string: one condition, searched. */
TEST(a_long_list_on_an_open_string_is_one_condition)
{
	struct abac_subject subj;
	struct abac_policy *p = NULL;
	struct abac_diags d;
	struct abac_image v;
	struct sb b = { 0 };
	void *img = NULL;
	size_t len;

	sb_add(&b, "version: 1\nname: x\nattributes:\n  subject:\n"
		   "    role: {type: string, values: [a, b]}\n"
		   "  object:\n    owner: {type: string, open: true}\n"
		   "rules:\n  - {id: r, nlp: \"The rule.\", effect: deny,"
		   " ops: [read], object: {owner: ");
	sb_values(&b, "u", 0, ABAC_MAX_LIST, 3);
	sb_add(&b, "}}\n  - {id: n, nlp: \"Not those.\", effect: allow,"
		   " ops: [read], object: {owner: {not: [u00000, \"Dr. Zo\xc3\xab\", v1, u00006]}}}\n");
	subject(&subj, 7, "role=a");
	abac_diags_init(&d);
	ASSERT_EQ(0, t_compile(b.s, &subj, 1, &img, &len, &p, &d))
		t_diags_dump(&d);
	ASSERT_EQ(0, abac_image_check(img, len, &d)) t_diags_dump(&d);
	EXPECT_EQ(1U, p->rules[0].ncond);
	EXPECT_EQ(ABAC_COND_IN, p->rules[0].conds[0].kind);
	EXPECT_EQ(ABAC_COND_NOT_IN, p->rules[1].conds[0].kind);
	v.base = img;
	v.nrec = len / ABAC_REC_SIZE;
	/* the 4,096 listed (multiples of 3) are denied, the first to the last */
	EXPECT_EQ(ABAC_DENY, read_effect(&v, 7, "owner=u00000"));
	EXPECT_EQ(ABAC_DENY, read_effect(&v, 7, "owner=u00003"));
	EXPECT_EQ(ABAC_DENY, read_effect(&v, 7, "owner=u12285"));
	/* others not in the short list are allowed, listed or not */
	EXPECT_EQ(ABAC_ALLOW, read_effect(&v, 7, "owner=u00001"));
	EXPECT_EQ(ABAC_ALLOW, read_effect(&v, 7, "owner=u12288"));
	EXPECT_EQ(ABAC_ALLOW, read_effect(&v, 7, "owner=nobody"));
	/* in the short list only: no rule applies, the default denies */
	EXPECT_EQ(ABAC_DENY, read_effect(&v, 7, "owner=v1"));
	free(img);
	abac_policy_free(p);
	abac_diags_free(&d);
	free(b.s);
}

/* A long allow list on an open string, with undeclared values. */
TEST(a_list_on_an_open_string_allows_its_members_only)
{
	struct abac_subject subj;
	struct abac_diags d;
	struct abac_image v;
	struct sb b = { 0 };
	void *img = NULL;
	size_t len;

	sb_add(&b, "version: 1\nname: x\nattributes:\n  subject:\n"
		   "    role: {type: string, values: [a, b]}\n"
		   "  object:\n    owner: {type: string, open: true}\n"
		   "rules:\n  - {id: r, nlp: \"The rule.\", effect: allow,"
		   " ops: [read], object: {owner: ");
	sb_values(&b, "u", 0, 3000, 3);
	sb_add(&b, "}}\n");
	subject(&subj, 7, "role=a");
	abac_diags_init(&d);
	ASSERT_EQ(0, t_compile(b.s, &subj, 1, &img, &len, NULL, &d))
		t_diags_dump(&d);
	v.base = img;
	v.nrec = len / ABAC_REC_SIZE;
	EXPECT_EQ(ABAC_ALLOW, read_effect(&v, 7, "owner=u00000"));
	EXPECT_EQ(ABAC_ALLOW, read_effect(&v, 7, "owner=u08997"));
	EXPECT_EQ(ABAC_DENY, read_effect(&v, 7, "owner=u08998"));
	EXPECT_EQ(ABAC_DENY, read_effect(&v, 7, "owner=u09000"));
	EXPECT_EQ(ABAC_DENY, read_effect(&v, 7, "owner=someone else"));
	free(img);
	abac_diags_free(&d);
	free(b.s);
}

/* Aliases of a large enumeration's name and values; a damaged table. */
TEST(aliases_resolve_and_a_damaged_label_table_is_refused)
{
	struct abac_diags d;
	struct abac_image v;
	struct abac_attrs o;
	struct sb b = { 0 };
	struct abac_image_hdr *h;
	__u64 *t, x;
	void *img = NULL;
	size_t len;

	sb_add(&b, "version: 1\nname: x\nattributes:\n  object:\n"
		   "    icd: {type: string, values: ");
	sb_values(&b, "C", 0, 100, 1);
	sb_add(&b, ", aliases: {code: icd, cholera: C00001}}\n"
		   "rules:\n  - {id: r, nlp: \"The rule.\", effect: allow,"
		   " ops: [read], object: {icd: [C00001, C00002]}}\n");
	abac_diags_init(&d);
	ASSERT_EQ(0, t_compile(b.s, NULL, 0, &img, &len, NULL, &d))
		t_diags_dump(&d);
	h = img;
	/* 100 values and one alias, under two names */
	EXPECT_EQ(202U, h->nenum);
	v.base = img;
	v.nrec = len / ABAC_REC_SIZE;
	ASSERT_EQ(0, label_of(&v, "code=C00042", &o));
	EXPECT_EQ(ABAC_ENUM_WORD(42), o.v[0]);
	ASSERT_EQ(0, label_of(&v, "icd=cholera", &o));
	EXPECT_EQ(ABAC_ENUM_WORD(1), o.v[0]);
	ASSERT_EQ(0, label_of(&v, "icd=C00001;code=cholera", &o));
	EXPECT_NE(0, label_of(&v, "icd=C00001;code=C00002", &o));

	/* two hashes swapped: no longer sorted, refused */
	t = t_rec(img, h->members_off);
	x = t[h->enum_first + 3];
	t[h->enum_first + 3] = t[h->enum_first + 4];
	t[h->enum_first + 4] = x;
	t_rehash(img, len);
	EXPECT_NE(0, abac_image_check(img, len, &d));
	EXPECT_NE(NULL, t_diag(&d, "label table entry 4 is malformed"))
		t_diags_dump(&d);
	t[h->enum_first + 4] = t[h->enum_first + 3];
	t[h->enum_first + 3] = x;
	/* an entry naming a word past the values, or no attribute */
	t[h->enum_first + h->nenum] = ABAC_ENUM_ENT(1, 5);
	t_rehash(img, len);
	abac_diags_free(&d);
	abac_diags_init(&d);
	EXPECT_NE(0, abac_image_check(img, len, &d));
	EXPECT_NE(NULL, t_diag(&d, "label table entry 0 is malformed"))
		t_diags_dump(&d);
	free(img);
	abac_diags_free(&d);
	free(b.s);
}

/*
 * The same policy over a small enumeration and over the same values made
 * large (100 values of filler declared after them, so that every value
 * keeps its number and every level its order): generated rules, every
 * request over the small values, the same decisions.
 */
#define NV	24	/* values the rules and requests use */

static unsigned int rnd(unsigned int *s)
{
	*s = *s * 1103515245U + 12345U;
	return (*s >> 16) & 0x7fff;
}

static char *twin_policy(unsigned int seed, int large)
{
	static const char *const lev_ops[] = { "gte", "gt", "lte", "lt" };
	struct sb b = { 0 };
	unsigned int s = seed, r, k, n, i;

	sb_add(&b, "version: 1\nname: twin\ncombining: %s\nattributes:\n  subject:\n"
		   "    grade: {type: level, values: ",
	       seed % 3 == 0 ? "deny-overrides" :
	       seed % 3 == 1 ? "permit-overrides" : "first-applicable");
	sb_values(&b, "g", 0, NV + (large ? 100 : 0), 1);
	sb_add(&b, "}\n    dept: {type: string, values: ");
	sb_values(&b, "d", 0, NV + (large ? 100 : 0), 1);
	sb_add(&b, "}\n  object:\n    grade: {type: level, values: ");
	sb_values(&b, "g", 0, NV + (large ? 100 : 0), 1);
	sb_add(&b, "}\n    dept: {type: string, values: ");
	sb_values(&b, "d", 0, NV + (large ? 100 : 0), 1);
	sb_add(&b, "}\nrules:\n");
	for (r = 0; r < 12; r++) {
		sb_add(&b, "  - {id: r%u, nlp: \"Rule %u.\", effect: %s, ops: [read]",
		       r, r, rnd(&s) % 2 ? "allow" : "deny");
		k = rnd(&s) % 7;
		switch (k) {
		case 0:
			sb_add(&b, ", object: {dept: d%05u}", rnd(&s) % NV);
			break;
		case 1:
		case 2:
			n = 1 + rnd(&s) % 8;
			sb_add(&b, ", object: {dept: %s[", k == 2 ? "{not: " : "");
			for (i = 0; i < n; i++)
				sb_add(&b, "%sd%05u", i ? ", " : "",
				       rnd(&s) % NV);
			sb_add(&b, "]%s}", k == 2 ? "}" : "");
			break;
		case 3:
			sb_add(&b, ", subject: {grade: {%s: g%05u}}",
			       lev_ops[rnd(&s) % 4], 1 + rnd(&s) % (NV - 2));
			break;
		case 4:
			sb_add(&b, ", where: [\"object.grade %s subject.grade\"]",
			       rnd(&s) % 2 ? "<=" : ">");
			break;
		case 5:
			sb_add(&b, ", where: [\"object.dept %s subject.dept\"]",
			       rnd(&s) % 2 ? "==" : "!=");
			break;
		default:
			sb_add(&b, ", subject: {dept: {not: d%05u}}, object: {grade: {lt: g%05u}}",
			       rnd(&s) % NV, 1 + rnd(&s) % (NV - 1));
			break;
		}
		sb_add(&b, "}\n");
	}
	return b.s;
}

TEST(a_policy_decides_alike_over_a_small_and_a_large_enumeration)
{
	unsigned int seed, sg, og, od, agree = 0, allowed = 0;
	struct abac_subject subj[NV];
	struct abac_diags d;
	struct abac_image v[2];
	void *img[2];
	size_t len[2];
	char label[64];
	int k, e[2];

	for (sg = 0; sg < NV; sg++) {
		char tags[64];

		snprintf(tags, sizeof(tags), "grade=g%05u dept=d%05u", sg,
			 (sg * 7) % NV);
		subject(&subj[sg], 1000 + sg, tags);
	}
	for (seed = 1; seed <= 40; seed++) {
		for (k = 0; k < 2; k++) {
			char *yaml = twin_policy(seed, k);

			abac_diags_init(&d);
			ASSERT_EQ(0, t_compile(yaml, subj, NV, &img[k], &len[k],
					       NULL, &d)) {
				t_diags_dump(&d);
				TH_LOG("%s", yaml);
			}
			abac_diags_free(&d);
			free(yaml);
			v[k].base = img[k];
			v[k].nrec = len[k] / ABAC_REC_SIZE;
		}
		EXPECT_EQ(0U, t_hdr(img[0])->nenum);
		EXPECT_EQ(2U * (NV + 100), t_hdr(img[1])->nenum);
		for (sg = 0; sg < NV; sg++)
			for (od = 0; od < NV; od += 3)
				for (og = 0; og < NV; og += 5) {
					snprintf(label, sizeof(label),
						 "grade=g%05u;dept=d%05u", og,
						 od);
					for (k = 0; k < 2; k++)
						e[k] = read_effect(&v[k],
								   1000 + sg,
								   label);
					ASSERT_NE(-1, e[0]);
					ASSERT_EQ(e[0], e[1]) {
						char *yaml = twin_policy(seed, 0);

						TH_LOG("seed %u subject %u label %s\n%s",
						       seed, sg, label, yaml);
						free(yaml);
					}
					agree++;
					allowed += e[0] == ABAC_ALLOW;
				}
		free(img[0]);
		free(img[1]);
	}
	/* both effects, many times: the comparison has something to say */
	EXPECT_LT(agree / 10, allowed);
	EXPECT_LT(agree / 10, agree - allowed);
	TH_LOG("%u requests decided alike, %u allowed", agree, allowed);
}

TEST_HARNESS_MAIN
