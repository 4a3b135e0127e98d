// SPDX-License-Identifier: GPL-2.0-only
/*
 * A policy's subjects: list, the cgroups it tags by name: systemd units
 * mapped to their cgroup (system.slice by default, a slice's nesting,
 * a cgroup path), the attributes checked against the schema as tags are,
 * bad globs and unknown attributes refused with their line and column,
 * and the one-'*' match abacd applies.
 */
#include "kselftest_harness.h"
#include "common.h"

#define SCHEMA \
	"version: 1\n" \
	"name: units\n" \
	"attributes:\n" \
	"  subject:\n" \
	"    role: {type: string, values: [ehr, nurse, billing]," \
	" aliases: {job: role}}\n" \
	"    projects: {type: set, values: [apollo, gemini]}\n" \
	"    level: {type: int, min: 0, max: 9}\n" \
	"  object:\n" \
	"    type: {type: string, values: [record]}\n" \
	"rules:\n" \
	"  - {id: r, nlp: \"EHR services read records.\", effect: allow," \
	" ops: [read], subject: {role: ehr}, object: {type: record}}\n"

/* Parse SCHEMA + @subjects; on failure, the diagnostics stay in @d. */
static int parse_subjects(const char *subjects, struct abac_policy **p,
			  struct abac_diags *d)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%ssubjects:\n%s", SCHEMA, subjects);
	return t_parse(buf, p, d);
}

/* Parsing @subjects fails with a message holding @msg at @line:@col. */
static void refused(struct __test_metadata *_metadata, const char *subjects,
		    const char *msg, unsigned int line, unsigned int col)
{
	struct abac_policy *p = NULL;
	const struct abac_diag *dg;
	struct abac_diags d;

	abac_diags_init(&d);
	EXPECT_NE(0, parse_subjects(subjects, &p, &d));
	EXPECT_EQ(NULL, p);
	dg = t_diag(&d, msg);
	EXPECT_NE(NULL, dg) {
		TH_LOG("wanted '%s' for:\n%s", msg, subjects);
		t_diags_dump(&d);
	}
	if (dg && line) {
		EXPECT_EQ(line, dg->line);
		EXPECT_EQ(col, dg->column);
	}
	abac_diags_free(&d);
}

#define REFUSED(...)	refused(_metadata, __VA_ARGS__)

TEST(a_unit_is_bound_below_system_slice_with_its_tags)
{
	struct abac_policy *p = NULL;
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, parse_subjects(
		"  - unit: ehr-*.service\n"
		"    attributes: {job: ehr, projects: [apollo, gemini], level: 3}\n"
		"  - unit: billing.service\n"
		"    slice: batch-low.slice\n"
		"    attributes: {role: billing}\n"
		"  - cgroup: /kubepods.slice/pod-*.scope\n"
		"    attributes: {role: nurse}\n"
		"  - unit: root.scope\n"
		"    slice: -.slice\n"
		"    attributes: {role: nurse}\n", &p, &d))
		t_diags_dump(&d);
	ASSERT_EQ(4, (int)p->nbindings);
	EXPECT_STREQ("ehr-*.service", p->bindings[0].unit);
	EXPECT_STREQ("system.slice", p->bindings[0].dir);
	EXPECT_STREQ("ehr-*.service", p->bindings[0].glob);
	/* the alias is written as the attribute's own name */
	EXPECT_STREQ("role=ehr projects=apollo,gemini level=3",
		     p->bindings[0].tags);
	EXPECT_EQ(13, (int)p->bindings[0].line);
	EXPECT_STREQ("batch.slice/batch-low.slice", p->bindings[1].dir);
	EXPECT_EQ(NULL, p->bindings[2].unit);
	EXPECT_STREQ("kubepods.slice", p->bindings[2].dir);
	EXPECT_STREQ("pod-*.scope", p->bindings[2].glob);
	EXPECT_STREQ("", p->bindings[3].dir);
	abac_policy_free(p);
	abac_diags_free(&d);
}

TEST(a_binding_matches_its_parent_exactly_and_one_star)
{
	struct abac_policy *p = NULL;
	struct abac_diags d;
	const struct abac_binding *b;

	abac_diags_init(&d);
	ASSERT_EQ(0, parse_subjects(
		"  - unit: ehr-*.service\n"
		"    attributes: {role: ehr}\n"
		"  - unit: ehr-admin.service\n"
		"    attributes: {role: nurse}\n"
		"  - cgroup: app/exact\n"
		"    attributes: {role: billing}\n", &p, &d))
		t_diags_dump(&d);
	b = abac_binding_find(p, "system.slice", "ehr-a.service");
	ASSERT_NE(NULL, b);
	EXPECT_STREQ("role=ehr", b->tags);
	/* the '*' may stand for nothing */
	EXPECT_EQ(b, abac_binding_find(p, "system.slice", "ehr-.service"));
	/* the first binding in policy order wins */
	EXPECT_EQ(b, abac_binding_find(p, "system.slice",
				       "ehr-admin.service"));
	EXPECT_EQ(NULL, abac_binding_find(p, "system.slice", "ehr.service"));
	EXPECT_EQ(NULL, abac_binding_find(p, "system.slice",
					  "ehr-a.service.d"));
	EXPECT_EQ(NULL, abac_binding_find(p, "system.slice", "xehr-a.service"));
	/* a user's delegated subtree is another parent */
	EXPECT_EQ(NULL, abac_binding_find(p, "user.slice/user-1000.slice",
					  "ehr-a.service"));
	EXPECT_EQ(NULL, abac_binding_find(p, "system.slice/ehr-a.service",
					  "ehr-a.service"));
	EXPECT_NE(NULL, abac_binding_find(p, "app", "exact"));
	EXPECT_EQ(NULL, abac_binding_find(p, "app", "exact2"));
	abac_policy_free(p);
	abac_diags_free(&d);
}

TEST(bad_globs_are_refused_with_where)
{
	REFUSED("  - unit: ehr-*-*.service\n    attributes: {role: ehr}\n",
		"more than one '*'", 13, 11);
	REFUSED("  - unit: ehr-?.service\n    attributes: {role: ehr}\n",
		"only wildcard is one '*'", 13, 11);
	REFUSED("  - unit: ehr-[ab].service\n    attributes: {role: ehr}\n",
		"only wildcard is one '*'", 13, 11);
	REFUSED("  - unit: ehr-*.timer\n    attributes: {role: ehr}\n",
		"not a service or a scope", 13, 11);
	REFUSED("  - unit: .service\n    attributes: {role: ehr}\n",
		"not a service or a scope", 13, 11);
	REFUSED("  - unit: a/b.service\n    attributes: {role: ehr}\n",
		"invalid unit name", 13, 11);
	REFUSED("  - cgroup: a*/b\n    attributes: {role: ehr}\n",
		"only its last part", 13, 13);
	REFUSED("  - cgroup: a/../b\n    attributes: {role: ehr}\n",
		"invalid cgroup", 13, 13);
	REFUSED("  - cgroup: a//b\n    attributes: {role: ehr}\n",
		"invalid cgroup", 13, 13);
	REFUSED("  - cgroup: /\n    attributes: {role: ehr}\n",
		"invalid cgroup", 13, 13);
	REFUSED("  - unit: a.service\n    slice: a--b.slice\n"
		"    attributes: {role: ehr}\n", "invalid slice", 14, 12);
	REFUSED("  - unit: a.service\n    slice: a-*.slice\n"
		"    attributes: {role: ehr}\n", "invalid slice", 14, 12);
	REFUSED("  - unit: a.service\n    slice: batch\n"
		"    attributes: {role: ehr}\n", "invalid slice", 14, 12);
}

TEST(attributes_are_checked_against_the_schema)
{
	REFUSED("  - unit: a.service\n    attributes: {colour: red}\n",
		"unknown subject attribute 'colour'", 14, 18);
	REFUSED("  - unit: a.service\n    attributes: {role: doctor}\n",
		"doctor", 14, 24);
	REFUSED("  - unit: a.service\n    attributes: {role: [ehr, nurse]}\n",
		"takes one value", 14, 24);
	REFUSED("  - unit: a.service\n    attributes: {level: 10}\n",
		"outside the range", 14, 25);
	REFUSED("  - unit: a.service\n    attributes: {}\n",
		"at least one subject attribute", 14, 17);
	REFUSED("  - unit: a.service\n", "missing key 'attributes'", 13, 5);
}

TEST(a_binding_names_one_cgroup_once)
{
	REFUSED("  - attributes: {role: ehr}\n",
		"either a 'unit' or a 'cgroup'", 13, 5);
	REFUSED("  - unit: a.service\n    cgroup: x/a.service\n"
		"    attributes: {role: ehr}\n", "not both", 13, 5);
	REFUSED("  - cgroup: x/a\n    slice: b.slice\n"
		"    attributes: {role: ehr}\n", "'slice' goes with 'unit'",
		14, 12);
	REFUSED("  - unit: a.service\n    attributes: {role: ehr}\n"
		"  - cgroup: system.slice/a.service\n"
		"    attributes: {role: nurse}\n",
		"written before, at line 13", 15, 5);
	REFUSED("  - unit: a.service\n    attribute: {role: ehr}\n",
		"unknown key 'attribute'", 14, 5);
	REFUSED("  unit: a.service\n", "expected a list for 'subjects'", 0, 0);
}

TEST(a_lower_layer_binds_nothing)
{
	struct abac_policy *top = NULL, *low = NULL;
	struct abac_diags d;
	static const char lower[] =
		"version: 1\nname: low\nrules: []\n"
		"subjects:\n  - unit: a.service\n"
		"    attributes: {role: ehr}\n";

	abac_diags_init(&d);
	ASSERT_EQ(0, t_parse(SCHEMA, &top, &d)) t_diags_dump(&d);
	EXPECT_NE(0, abac_policy_parse_layer_buf("low.yaml", lower,
						 strlen(lower), top, &low,
						 &d));
	EXPECT_NE(NULL, t_diag(&d, "'subjects' is set by the top layer"));
	abac_policy_free(top);
	abac_diags_free(&d);
}

/*
 * The image carries the bindings whose parent is known, for the kernel
 * to match a cgroup by name before abacd tags it by id: the parent's id,
 * the pattern's bytes, a template slot with the binding's tags (merged
 * with what a tagged ancestor of the parent gives, as a cgroup tagged by
 * id would get).  The decision core's matcher agrees with abacd's on
 * every name tried.
 */
TEST(the_image_carries_the_bindings_the_kernel_matches)
{
	static const char *const names[] = {
		"ehr-a.service", "ehr-.service", "ehr-admin.service",
		"ehr.service", "ehr-a.service.d", "xehr-a.service", "exact",
		"exact2", "", "e", "ehr-\x01\xff.service", "ehr-*.service",
		"ehr-a.servic", "hr-a.service",
	};
	struct abac_bind_parent par[3] = {
		{ 0x1234, 1, "/system.slice" },
		{ 0, 0, NULL },		/* its parent does not exist yet */
		{ 0x99, 2, "/app/x" },
	};
	struct abac_subject *s = calloc(1, sizeof(*s));
	const struct abac_image_hdr *h;
	const struct abac_attrs *a;
	const struct abac_bind *b;
	struct abac_policy *p = NULL;
	struct abac_attrs want;
	struct abac_image v;
	struct abac_diags d;
	char name[300];
	size_t len, i;
	__u32 idx;
	void *img;

	ASSERT_NE(NULL, s);
	abac_diags_init(&d);
	ASSERT_EQ(0, parse_subjects(
		"  - unit: ehr-*.service\n"
		"    attributes: {role: ehr}\n"
		"  - unit: later-*.service\n"
		"    slice: later.slice\n"
		"    attributes: {role: nurse}\n"
		"  - cgroup: app/x/exact\n"
		"    attributes: {role: billing}\n", &p, &d))
		t_diags_dump(&d);
	/* a tagged ancestor: its level is inherited by the template */
	s->cgroup_id = 0x1234;
	s->level = 1;
	strcpy(s->path, "/system.slice");
	strcpy(s->tags, "level=7");
	ASSERT_EQ(0, abac_image_build_bound(p, s, 1, par, &img, &len, &d))
		t_diags_dump(&d);
	ASSERT_EQ(0, abac_image_check(img, len, &d)) t_diags_dump(&d);
	v = abac_image_view(img, len);
	h = img;
	ASSERT_EQ(2U, h->nbind);
	EXPECT_EQ((1U << 2) | (1U << 3), h->bind_levels);
	EXPECT_LE((__u64)h->bind_off + 2 * ABAC_BIND_RECORDS,
		  (__u64)h->conds_off);
	b = abac_rec(&v, h->bind_off);
	ASSERT_NE(NULL, b);
	EXPECT_EQ(0x1234ULL, b->parent_id);
	EXPECT_EQ(4, b->pre_len);
	EXPECT_EQ(8, b->suf_len);
	EXPECT_EQ(1, b->glob);
	EXPECT_EQ(0, memcmp(abac_rec(&v, h->bind_off + 1 + ABAC_SUBJ_RECORDS),
			    "ehr-.service", 12));
	/* the template: the binding's role and the ancestor's level */
	idx = abac_bind_find(&v, 0x1234, (const __u8 *)"ehr-a.service", 13);
	ASSERT_EQ(h->bind_off + 1, idx);
	EXPECT_EQ(ABAC_SUBJ_BOUND,
		  ((const struct abac_subj_key *)abac_rec(&v, idx))->cgroup_id);
	a = abac_span(&v, idx + 1, ABAC_SUBJ_RECORDS - 1);
	ASSERT_NE(NULL, a);
	ASSERT_EQ(0, abac_tags_resolve(p, "role=ehr level=7", &want, &d));
	EXPECT_EQ(0, memcmp(&want, a, sizeof(want)));
	/* no lookup by id finds a template */
	EXPECT_EQ(NULL, abac_subject_find(&v, ABAC_SUBJ_BOUND));
	/* the kernel's matcher says what abacd's does, parent by parent */
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		const struct abac_binding *ub;
		__u8 nb[ABAC_BIND_NAME_MAX + 1] = {};

		strcpy((char *)nb, names[i]);
		ub = abac_binding_find(p, "system.slice", names[i]);
		EXPECT_EQ(ub ? h->bind_off + 1 : 0,
			  abac_bind_find(&v, 0x1234, nb, strlen(names[i])))
			TH_LOG("system.slice/%s", names[i]);
		ub = abac_binding_find(p, "app/x", names[i]);
		EXPECT_EQ(ub ? h->bind_off + ABAC_BIND_RECORDS + 1 : 0,
			  abac_bind_find(&v, 0x99, nb, strlen(names[i])))
			TH_LOG("app/x/%s", names[i]);
		/* another parent: never */
		EXPECT_EQ(0U, abac_bind_find(&v, 0x1235, nb,
					     strlen(names[i])));
	}
	/* a name as long as a cgroup's may be matches; longer never */
	memset(name, 'x', sizeof(name));
	memcpy(name, "ehr-", 4);
	memcpy(name + ABAC_BIND_NAME_MAX - 8, ".service", 8);
	EXPECT_EQ(h->bind_off + 1,
		  abac_bind_find(&v, 0x1234, (const __u8 *)name,
				 ABAC_BIND_NAME_MAX));
	EXPECT_EQ(0U, abac_bind_find(&v, 0x1234, (const __u8 *)name,
				     ABAC_BIND_NAME_MAX + 1));
	/* abac policy show names each binding, in text and in JSON */
	{
		char *out = NULL;
		size_t n = 0;
		FILE *f = open_memstream(&out, &n);

		ASSERT_NE(NULL, f);
		abac_image_dump_policy(img, len, p, f, false);
		abac_image_dump_policy(img, len, p, f, true);
		fclose(f);
		EXPECT_NE(NULL, strstr(out, "bindings: 2, levels 0xc\n"
				       "  binding 0: under cgroup 4660 (level 2, class ")) TH_LOG("%s", out);
		EXPECT_NE(NULL, strstr(out, "), name ehr-*.service: role=ehr level=7\n"
				       "  binding 1: under cgroup 153 (level 3, class ")) TH_LOG("%s", out);
		EXPECT_NE(NULL, strstr(out, "), name exact: role=billing\n")) TH_LOG("%s", out);
		EXPECT_NE(NULL, strstr(out, "\"bindings\":[{\"parent_cgroup_id\":4660,\"level\":2,")) TH_LOG("%s", out);
		EXPECT_NE(NULL, strstr(out, "\"name\":\"ehr-*.service\",\"tags\":[\"role=ehr\",\"level=7\"]},{\"parent_cgroup_id\":153,\"level\":3,")) TH_LOG("%s", out);
		EXPECT_NE(NULL, strstr(out, "\"name\":\"exact\",\"tags\":[\"role=billing\"]}]")) TH_LOG("%s", out);
		free(out);
	}
	free(img);
	/* without parents (abac_image_build): no binding table */
	ASSERT_EQ(0, abac_image_build(p, s, 1, &img, &len, &d));
	EXPECT_EQ(0U, ((const struct abac_image_hdr *)img)->nbind);
	free(img);
	abac_policy_free(p);
	abac_diags_free(&d);
	free(s);
}

/* A malformed binding table is refused by the loader, with its name. */
TEST(a_malformed_binding_is_refused_by_the_loader)
{
	struct abac_bind_parent par = { 0x1234, 1, "/system.slice" };
	struct abac_image_hdr *h;
	struct abac_policy *p = NULL;
	struct abac_bind *b;
	struct abac_diags d;
	__u8 *img, *copy;
	size_t len;
	int k;

	abac_diags_init(&d);
	ASSERT_EQ(0, parse_subjects("  - unit: ehr-*.service\n"
				    "    attributes: {role: ehr}\n", &p, &d));
	ASSERT_EQ(0, abac_image_build_bound(p, NULL, 0, &par, (void **)&img,
					    &len, &d)) t_diags_dump(&d);
	copy = malloc(len);
	ASSERT_NE(NULL, copy);
	for (k = 0; k < 5; k++) {
		memcpy(copy, img, len);
		h = (void *)copy;
		b = (void *)(copy + (size_t)h->bind_off * ABAC_REC_SIZE);
		switch (k) {
		case 0: b->parent_id = 0; break;
		case 1: b->pre_len = 200; b->suf_len = 100; break;
		case 2: ((struct abac_subj_key *)(b + 1))->cgroup_id = 5; break;
		case 3: h->nbind = ABAC_MAX_BINDINGS + 1; break;
		case 4: h->bind_levels = 0; break;
		}
		abac_image_rehash(copy, len);
		abac_diags_free(&d);
		abac_diags_init(&d);
		EXPECT_NE(0, abac_image_check(copy, len, &d)) TH_LOG("case %d", k);
		EXPECT_TRUE(t_diag(&d, "binding") != NULL) {
			TH_LOG("case %d", k);
			t_diags_dump(&d);
		}
	}
	free(copy);
	free(img);
	abac_policy_free(p);
	abac_diags_free(&d);
}

/* The limits of the binding table, refused by name at parse time. */
TEST(binding_limits_are_refused_by_name)
{
	struct abac_policy *p = NULL;
	struct abac_diags d;
	char pat[ABAC_BIND_NAME_MAX + 2], *buf;
	size_t off = 0, cap = 1 << 16;
	int i;

	memset(pat, 'a', sizeof(pat) - 1);
	pat[sizeof(pat) - 1] = '\0';
	buf = malloc(cap);
	ASSERT_NE(NULL, buf);
	snprintf(buf, cap, "  - cgroup: app/%s\n    attributes: {role: ehr}\n",
		 pat);
	REFUSED(buf, "ABAC_BIND_NAME_MAX", 13, 5);
	/* one byte less, with its '*', is a name's worth: taken */
	pat[ABAC_BIND_NAME_MAX - 1] = '*';
	snprintf(buf, cap, "  - cgroup: app/%s\n    attributes: {role: ehr}\n",
		 pat + 1);
	abac_diags_init(&d);
	EXPECT_EQ(0, parse_subjects(buf, &p, &d)) t_diags_dump(&d);
	abac_policy_free(p);
	abac_diags_free(&d);
	off = snprintf(buf, cap, "%ssubjects:\n", SCHEMA);
	for (i = 0; i <= ABAC_MAX_BINDINGS; i++)
		off += snprintf(buf + off, cap - off,
				"  - {unit: u%d.service, attributes: {role: ehr}}\n",
				i);
	abac_diags_init(&d);
	p = NULL;
	EXPECT_NE(0, t_parse(buf, &p, &d));
	EXPECT_NE(NULL, t_diag(&d, "ABAC_MAX_BINDINGS"));
	abac_diags_free(&d);
	free(buf);
}

TEST_HARNESS_MAIN
