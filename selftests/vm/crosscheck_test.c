// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel and the decision core agree (matrix.h): whichever side
 * enforces in the guest, the BPF programs on Debian's kernel or the
 * native LSM on the kernel make kernel builds, it must decide every
 * (subject, label, open mode) of the matrix as the shared decision core,
 * compiled into this program, does on the image the kernel holds: the
 * kernel by the rule index, the core here by the scan of every rule.  The
 * suite runs on both guests, so the two kernel sides are held to the
 * same decisions.
 */
#include "kselftest_harness.h"
#include "vm_kernel.h"
#include "matrix.h"

#define SETS_POLICY	"/abac/policy-examples/patient-assignment.yaml"
#define SETS_NSUBJ	8
#define SETS_NFILE	210
#define SETS_POOL	6000	/* patient ids drawn from */
#define SETS_TAGS_FILE	TEST_DIR "/sets-tags.txt"

/*
 * From one fresh process in test cgroup @cg, open file s<i> of TEST_DIR
 * for every i < SETS_NFILE in every matrix mode: 0 or the errno each.
 */
static int sets_probe(const char *cg, unsigned char *got)
{
	size_t n = SETS_NFILE * MATRIX_NMODE, i;
	char path[PATH_MAX];
	int p[2], st, fd;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		close(p[0]);
		snprintf(path, sizeof(path), TEST_CG_ROOT "/%s/cgroup.procs",
			 cg);
		fd = open(path, O_WRONLY);
		if (fd < 0 || write(fd, "0", 1) != 1)
			_exit(250);
		close(fd);
		for (i = 0; i < n; i++) {
			snprintf(path, sizeof(path), TEST_DIR "/s%zu",
				 i / MATRIX_NMODE);
			fd = open(path, matrix_modes[i % MATRIX_NMODE]);
			got[i] = fd < 0 ? (unsigned char)errno : 0;
			if (fd >= 0)
				close(fd);
		}
		_exit(write(p[1], got, n) == (ssize_t)n ? 0 : 251);
	}
	close(p[1]);
	st = read(p[0], got, n) == (ssize_t)n ? 0 : -1;
	close(p[0]);
	if (waitpid(pid, &fd, 0) != pid || !WIFEXITED(fd) || WEXITSTATUS(fd))
		st = -1;
	return st;
}

FIXTURE(crosscheck) {
	int unused;
};

FIXTURE_SETUP(crosscheck)
{
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, matrix_setup());
}

FIXTURE_TEARDOWN(crosscheck)
{
	matrix_untag_all();	/* the next suite applies its own policy */
}

TEST_F_TIMEOUT(crosscheck, the_kernel_decides_as_the_shared_core_on_a_whole_matrix, 300)
{
	struct matrix_tally t;
	void *img;
	size_t len;

	ASSERT_EQ(0, vm_kernel_get_image(&img, &len));
	/*
	 * The kernel decides the tagged subjects by the rule index (their
	 * classes), the core here by the scan (no class): the two agree.
	 */
	ASSERT_LT(0U, ((const struct abac_image_hdr *)img)->ncls);
	TH_LOG("rule index: %u classes, %u list entries, %u buckets",
	       ((const struct abac_image_hdr *)img)->ncls,
	       ((const struct abac_image_hdr *)img)->nclist,
	       ((const struct abac_image_hdr *)img)->nbkt);
	ASSERT_EQ(0, matrix_run(img, len, &t));
	free(img);
	TH_LOG("%s: %u opens: %u allowed, %u denied, %u mismatches",
	       vm_backend_name(vm_backend()), t.opens, t.allowed, t.denied,
	       t.mismatches);
	ASSERT_EQ(0U, t.mismatches);
	ASSERT_EQ((unsigned int)(MATRIX_NSUBJ * MATRIX_NLABEL * MATRIX_NMODE), t.opens);
	/* not a trivial matrix: both outcomes occur, and nothing else */
	ASSERT_LT(20U, t.allowed);
	ASSERT_LT(20U, t.denied);
	ASSERT_EQ(t.opens, t.allowed + t.denied);
}

/*
 * Open values and large sets (Documentation/scale.rst): the
 * patient-assignment policy, subjects tagged with generated sets of 1 to
 * 4,096 patients and users whose names hold spaces and non-ASCII
 * letters, files labelled with generated patients and owners, assigned
 * or not: every open must end as the core decides on the kernel's image.
 */

static const char *const sets_roles[] = { "physician", "nurse", "clerk" };
static const char *const sets_users[] = {
	"Dr. Ada Lovelace", "Zo\xc3\xab M\xc3\xbcller", "Gr\xc3\xa9goire",
	"x@example.org",
};
static const unsigned int sets_sizes[SETS_NSUBJ] = {
	1, 10, 100, 1024, 4096, 2000, 500, 0,
};

static unsigned int sets_rand(unsigned int *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Patient @i of the pool: ids, and every seventh a name with a space. */
static void sets_patient(unsigned int i, char *buf, size_t sz)
{
	if (i % 7)
		snprintf(buf, sz, "P-%05u", i);
	else
		snprintf(buf, sz, "Patient \xc3\x9c%u", i);
}

/* Tag subject @k: a role, a user and sets_sizes[k] patients. */
static int sets_tag(unsigned int k, unsigned int *seed)
{
	char cg[32], p[32];
	unsigned int i, n = sets_sizes[k];
	FILE *f = fopen(SETS_TAGS_FILE, "w");

	if (!f)
		return -1;
	fprintf(f, "patients=");
	for (i = 0; i < n; i++) {
		sets_patient(sets_rand(seed) % SETS_POOL, p, sizeof(p));
		fprintf(f, "%s%s", i ? "," : "", p);
	}
	if (fclose(f))
		return -1;
	snprintf(cg, sizeof(cg), "s-%u", k);
	if (vm_mkcg(cg))
		return -1;
	return vm_sh("abac subject tag " TEST_CG_ROOT "/%s role=%s 'user=%s' %s"
		     " >/dev/null 2>&1", cg, sets_roles[k % 3],
		     sets_users[k % 4],
		     n ? "\"$(cat " SETS_TAGS_FILE ")\"" : "");
}

/* The label of file @i: a record of a patient, or a note of an owner. */
static void sets_label(unsigned int i, unsigned int *seed, char *buf,
		       size_t sz)
{
	char p[32];

	if (i % 5 == 4) {
		snprintf(buf, sz, "type=note;owner=%s",
			 sets_users[sets_rand(seed) % 4]);
		return;
	}
	sets_patient(sets_rand(seed) % SETS_POOL, p, sizeof(p));
	snprintf(buf, sz, "type=medical-record;patient=%s", p);
}

TEST_F_TIMEOUT(crosscheck, open_values_and_large_sets_are_decided_as_the_core_does, 600)
{
	static char labels[SETS_NFILE][96];
	unsigned int seed = 2026, k, i, m, opens = 0, allowed = 0, bad = 0;
	unsigned char got[SETS_NFILE * MATRIX_NMODE];
	char cg[32], path[PATH_MAX];
	struct abac_image img;
	struct stat st;
	size_t len;
	void *image;
	int want;

	matrix_untag_all();
	ASSERT_EQ(0, vm_sh("abac policy apply " SETS_POLICY " >/dev/null 2>&1"));
	for (k = 0; k < SETS_NSUBJ; k++)
		ASSERT_EQ(0, sets_tag(k, &seed)) TH_LOG("subject %u", k);
	for (i = 0; i < SETS_NFILE; i++) {
		sets_label(i, &seed, labels[i], sizeof(labels[i]));
		snprintf(path, sizeof(path), TEST_DIR "/s%u", i);
		ASSERT_EQ(0, vm_mkfile(path, "x\n", labels[i]));
	}
	ASSERT_EQ(0, vm_kernel_get_image(&image, &len));
	img = abac_image_view(image, len);
	for (k = 0; k < SETS_NSUBJ; k++) {
		snprintf(cg, sizeof(cg), "s-%u", k);
		snprintf(path, sizeof(path), TEST_CG_ROOT "/%s", cg);
		ASSERT_EQ(0, stat(path, &st));
		ASSERT_EQ(0, sets_probe(cg, got));
		for (i = 0; i < SETS_NFILE; i++)
			for (m = 0; m < MATRIX_NMODE; m++) {
				want = matrix_expect(&img, st.st_ino, labels[i],
						     matrix_modes[m]);
				opens++;
				allowed += !got[i * MATRIX_NMODE + m];
				if (got[i * MATRIX_NMODE + m] == want)
					continue;
				bad++;
				fprintf(stderr, "# sets: %s opening \"%s\" with mode %d: kernel %d, core %d\n",
					cg, labels[i], matrix_modes[m],
					got[i * MATRIX_NMODE + m], want);
			}
	}
	free(image);
	TH_LOG("%s: %u opens: %u allowed, %u mismatches",
	       vm_backend_name(vm_backend()), opens, allowed, bad);
	EXPECT_EQ(0U, bad);
	EXPECT_LE(5000U, opens);
	/* not a trivial run: assigned patients and owners are allowed */
	EXPECT_LT(100U, allowed);
	EXPECT_LT(allowed + 1000, opens);
}

/*
 * Large enumerations and long lists (Documentation/scale.rst, "Large
 * enumerations"): a generated policy over an object string of 5,000
 * codes (the label table), an open owner, levels of 300 grades on both
 * sides (ordinal words, a relation between them) and a subject string of
 * 200 departments; rules with lists of 1 to 3,000 constants (IN,
 * NOT_IN), equality, orderings.  Eight subjects and SETS_NFILE files,
 * some with undeclared codes (malformed labels): every open ends as the
 * core decides on the kernel's image.
 */
#define EN_CODES	5000
#define EN_GRADES	300
#define EN_DEPTS	200
#define EN_RULES	24
#define EN_POLICY	TEST_DIR "/enum.yaml"

static void en_values(FILE *f, const char *prefix, unsigned int n)
{
	unsigned int i;

	fprintf(f, "[");
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s%04u", i ? ", " : "", prefix, i);
	fprintf(f, "]");
}

static int en_policy(unsigned int *seed)
{
	FILE *f = fopen(EN_POLICY, "w");
	unsigned int r, i, n, k;

	if (!f)
		return -1;
	fprintf(f, "version: 1\nname: vm-enum\ncombining: %s\ndefault: deny\n"
		"attributes:\n  subject:\n    grade: {type: level, values: ",
		"deny-overrides");
	en_values(f, "g", EN_GRADES);
	fprintf(f, "}\n    dept: {type: string, values: ");
	en_values(f, "d", EN_DEPTS);
	fprintf(f, "}\n  object:\n    grade: {type: level, values: ");
	en_values(f, "g", EN_GRADES);
	fprintf(f, "}\n    icd: {type: string, values: ");
	en_values(f, "C", EN_CODES);
	fprintf(f, "}\n    owner: {type: string, open: true}\nrules:\n");
	for (r = 0; r < EN_RULES; r++) {
		fprintf(f, "  - {id: r%u, nlp: \"Rule %u.\", effect: %s, ops: [read%s]",
			r, r, r % 8 == 2 || r % 16 == 8 ? "deny" : "allow",
			r % 3 ? "" : ", write");
		k = r % 8;
		if (k == 0 || k == 1 || k == 5) {
			n = k == 5 ? 3000 : 1 + sets_rand(seed) % 400;
			fprintf(f, ", object: {icd: %s[", k == 1 ? "{not: " : "");
			for (i = 0; i < n; i++)
				fprintf(f, "%sC%04u", i ? ", " : "",
					sets_rand(seed) % EN_CODES);
			fprintf(f, "]%s}", k == 1 ? "}" : "");
			if (k == 1)
				fprintf(f, ", subject: {grade: {gte: g0250}}");
			if (k == 5)
				fprintf(f, ", subject: {grade: {lt: g0080}}");
		} else if (k == 2) {
			fprintf(f, ", subject: {grade: {gte: g%04u}}, object: {icd: C%04u}",
				sets_rand(seed) % EN_GRADES,
				sets_rand(seed) % EN_CODES);
		} else if (k == 3) {
			fprintf(f, ", where: [\"object.grade %s subject.grade\"], subject: {dept: [d0000, d0003]}",
				r % 2 ? "<=" : ">");
		} else if (k == 4) {
			/* departments 0 and 1 (subjects 0, 1) and one more */
			fprintf(f, ", subject: {dept: [d0000, d0001, d%04u]}, object: {owner: [",
				sets_rand(seed) % EN_DEPTS);
			for (i = 0; i < 50; i++)
				fprintf(f, "%s\"u %u\"", i ? ", " : "",
					sets_rand(seed) % 100);
			fprintf(f, "]}");
		} else if (k == 6) {
			fprintf(f, ", subject: {dept: {not: d%04u}, grade: {gte: g0200}}, object: {grade: {lt: g%04u}}",
				sets_rand(seed) % EN_DEPTS,
				1 + sets_rand(seed) % (EN_GRADES - 1));
		} else {
			fprintf(f, ", subject: {dept: d0002}, object: {owner: {not: [\"u %u\", \"u %u\"]}, icd: {not: C%04u}}",
				sets_rand(seed) % 100, sets_rand(seed) % 100,
				sets_rand(seed) % EN_CODES);
		}
		fprintf(f, "}\n");
	}
	return fclose(f);
}

TEST_F_TIMEOUT(crosscheck, large_enumerations_and_lists_are_decided_as_the_core_does, 600)
{
	static char labels[SETS_NFILE][96];
	unsigned int seed = 4711, k, i, m, opens = 0, allowed = 0, bad = 0;
	unsigned char got[SETS_NFILE * MATRIX_NMODE];
	char cg[32], path[PATH_MAX], tags[96];
	struct abac_image img;
	struct stat st;
	size_t len;
	void *image;
	int want;

	matrix_untag_all();
	ASSERT_EQ(0, en_policy(&seed));
	ASSERT_EQ(0, vm_sh("abac policy apply " EN_POLICY " >/dev/null 2>&1"));
	for (k = 0; k < SETS_NSUBJ; k++) {
		snprintf(cg, sizeof(cg), "e-%u", k);
		snprintf(tags, sizeof(tags), "grade=g%04u dept=d%04u",
			 sets_rand(&seed) % EN_GRADES,
			 k < 4 ? k : sets_rand(&seed) % EN_DEPTS);
		ASSERT_EQ(0, vm_tag(cg, tags)) TH_LOG("%s", tags);
	}
	for (i = 0; i < SETS_NFILE; i++) {
		unsigned int c = sets_rand(&seed) % (EN_CODES + 200);

		snprintf(labels[i], sizeof(labels[i]),
			 "icd=C%04u;owner=u %u;grade=g%04u", c,
			 sets_rand(&seed) % 100,
			 sets_rand(&seed) % EN_GRADES);
		snprintf(path, sizeof(path), TEST_DIR "/s%u", i);
		ASSERT_EQ(0, vm_mkfile(path, "x\n", labels[i]));
	}
	ASSERT_EQ(0, vm_kernel_get_image(&image, &len));
	img = abac_image_view(image, len);
	ASSERT_LT(0U, ((const struct abac_image_hdr *)image)->nenum);
	for (k = 0; k < SETS_NSUBJ; k++) {
		snprintf(cg, sizeof(cg), "e-%u", k);
		snprintf(path, sizeof(path), TEST_CG_ROOT "/%s", cg);
		ASSERT_EQ(0, stat(path, &st));
		ASSERT_EQ(0, sets_probe(cg, got));
		for (i = 0; i < SETS_NFILE; i++)
			for (m = 0; m < MATRIX_NMODE; m++) {
				want = matrix_expect(&img, st.st_ino, labels[i],
						     matrix_modes[m]);
				opens++;
				allowed += !got[i * MATRIX_NMODE + m];
				if (got[i * MATRIX_NMODE + m] == want)
					continue;
				bad++;
				fprintf(stderr, "# enum: %s opening \"%s\" with mode %d: kernel %d, core %d\n",
					cg, labels[i], matrix_modes[m],
					got[i * MATRIX_NMODE + m], want);
			}
		vm_untag(cg);
	}
	free(image);
	TH_LOG("%s: %u opens: %u allowed, %u mismatches",
	       vm_backend_name(vm_backend()), opens, allowed, bad);
	EXPECT_EQ(0U, bad);
	EXPECT_LE(5000U, opens);
	EXPECT_LT(100U, allowed);
	EXPECT_LT(allowed + 1000, opens);
}

/*
 * Open sets in labels: subjects with generated open strings and sets,
 * files whose labels carry generated sets of up to 64 members (names
 * with spaces and non-ASCII letters among them), every relation between
 * an object's set and a subject's and constant any-of / contains: every
 * open ends as the core decides on the kernel's image.
 */
static const char ls_policy[] =
	"version: 1\n"
	"name: vm-lsets-cross\n"
	"mode: enforce\n"
	"default: deny\n"
	"attributes:\n"
	"  subject:\n"
	"    role: {type: string, values: [physician, clerk]}\n"
	"    me: {type: string, open: true}\n"
	"    wards: {type: set, open: true}\n"
	"    grants: {type: set, open: true}\n"
	"  object:\n"
	"    type: {type: string, values: [record, form]}\n"
	"    patients: {type: set, open: true}\n"
	"    wards: {type: set, open: true}\n"
	"    needs: {type: set, open: true}\n"
	"rules:\n"
	"  - {id: listed, nlp: \"Listed.\", effect: allow, ops: [read],"
	" subject: {role: physician}, object: {type: record},"
	" where: [\"subject.me in object.patients\"]}\n"
	"  - {id: ward, nlp: \"Ward.\", effect: allow, ops: [write],"
	" object: {type: record}, where: [\"object.wards intersects subject.wards\"]}\n"
	"  - {id: needs, nlp: \"Needs.\", effect: allow, ops: [read],"
	" subject: {role: clerk}, object: {type: form},"
	" where: [\"object.needs subset subject.grants\"]}\n"
	"  - {id: cover, nlp: \"Cover.\", effect: allow, ops: [write],"
	" subject: {role: clerk}, object: {type: form},"
	" where: [\"subject.grants subset object.needs\"]}\n"
	"  - {id: any, nlp: \"Any.\", effect: allow, ops: [read],"
	" subject: {role: clerk}, object: {type: record, wards: [W-3, \"Station \xc3\x9c\"]}}\n"
	"  - {id: all, nlp: \"All.\", effect: deny, ops: [write],"
	" object: {patients: {contains: [P-1, P-2]}}}\n";

#define LS_NSUBJ	8
#define LS_NFILE	210

/* Member @i of a pool: every seventh a name with a space. */
static void ls_member(const char *pre, unsigned int i, char *buf, size_t sz)
{
	if (i % 7 == 6)
		snprintf(buf, sz, "Station \xc3\x9c%s%u", pre, i);
	else if (i == 0 && !strcmp(pre, "W-"))
		snprintf(buf, sz, "Station \xc3\x9c");
	else
		snprintf(buf, sz, "%s%u", pre, i);
}

/* @n members drawn from pool @pre of @pool, comma separated, at @buf. */
static size_t ls_members(const char *pre, unsigned int pool, unsigned int n,
			 unsigned int *seed, char *buf, size_t sz)
{
	char m[48];
	size_t o = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < n && o + sizeof(m) < sz; i++) {
		ls_member(pre, sets_rand(seed) % pool, m, sizeof(m));
		o += snprintf(buf + o, sz - o, "%s%s", i ? "," : "", m);
	}
	return o;
}

static int ls_tag(unsigned int k, unsigned int *seed)
{
	static const unsigned int nwards[] = { 0, 1, 5, 20, 40, 3, 2, 10 };
	static const unsigned int ngrants[] = { 1, 3, 0, 10, 2, 5, 4, 1 };
	char cg[32], me[48], wards[2048], grants[512];

	snprintf(cg, sizeof(cg), "ls-%u", k);
	if (vm_mkcg(cg))
		return -1;
	ls_member("P-", sets_rand(seed) % 80, me, sizeof(me));
	ls_members("W-", 40, nwards[k], seed, wards, sizeof(wards));
	ls_members("g", 10, ngrants[k], seed, grants, sizeof(grants));
	return vm_sh("abac subject tag " TEST_CG_ROOT "/%s role=%s 'me=%s'"
		     " %s%s%s %s%s%s >/dev/null 2>&1", cg,
		     k % 2 ? "clerk" : "physician", me,
		     nwards[k] ? "'wards=" : "", wards, nwards[k] ? "'" : "",
		     ngrants[k] ? "'grants=" : "", grants,
		     ngrants[k] ? "'" : "");
}

/* File @i: a record or a form, its sets at most 64 members in all. */
static void ls_label(unsigned int i, unsigned int *seed, char *buf,
		     size_t sz)
{
	unsigned int np = i % 11 == 0 ? 54 : 1 + sets_rand(seed) % 30;
	unsigned int nw = sets_rand(seed) % 7, nn = 1 + sets_rand(seed) % 4;
	size_t o;

	o = snprintf(buf, sz, "type=%s;patients=", i % 3 == 2 ? "form" :
		     "record");
	o += ls_members("P-", 80, np, seed, buf + o, sz - o);
	if (nw) {
		o += snprintf(buf + o, sz - o, ";wards=");
		o += ls_members("W-", 40, nw, seed, buf + o, sz - o);
	}
	o += snprintf(buf + o, sz - o, ";needs=");
	ls_members("g", 10, nn, seed, buf + o, sz - o);
}

TEST_F_TIMEOUT(crosscheck, open_sets_in_labels_are_decided_as_the_core_does, 600)
{
	static char labels[LS_NFILE][1400];
	unsigned int seed = 1207, k, i, m, opens = 0, allowed = 0, bad = 0;
	unsigned char got[SETS_NFILE * MATRIX_NMODE];
	char cg[32], path[PATH_MAX];
	struct abac_image img;
	struct stat st;
	size_t len;
	void *image;
	int want;

	ASSERT_EQ(LS_NFILE, SETS_NFILE);	/* sets_probe() opens them */
	matrix_untag_all();
	ASSERT_EQ(0, vm_apply("ls-cross", ls_policy));
	for (k = 0; k < LS_NSUBJ; k++)
		ASSERT_EQ(0, ls_tag(k, &seed)) TH_LOG("subject %u", k);
	for (i = 0; i < LS_NFILE; i++) {
		ls_label(i, &seed, labels[i], sizeof(labels[i]));
		snprintf(path, sizeof(path), TEST_DIR "/s%u", i);
		ASSERT_EQ(0, vm_mkfile(path, "x\n", labels[i]))
			TH_LOG("%s", labels[i]);
	}
	ASSERT_EQ(0, vm_kernel_get_image(&image, &len));
	img = abac_image_view(image, len);
	for (k = 0; k < LS_NSUBJ; k++) {
		snprintf(cg, sizeof(cg), "ls-%u", k);
		snprintf(path, sizeof(path), TEST_CG_ROOT "/%s", cg);
		ASSERT_EQ(0, stat(path, &st));
		ASSERT_EQ(0, sets_probe(cg, got));
		for (i = 0; i < LS_NFILE; i++)
			for (m = 0; m < MATRIX_NMODE; m++) {
				want = matrix_expect(&img, st.st_ino, labels[i],
						     matrix_modes[m]);
				opens++;
				allowed += !got[i * MATRIX_NMODE + m];
				if (got[i * MATRIX_NMODE + m] == want)
					continue;
				bad++;
				fprintf(stderr, "# lsets: %s opening \"%s\" with mode %d: kernel %d, core %d\n",
					cg, labels[i], matrix_modes[m],
					got[i * MATRIX_NMODE + m], want);
			}
	}
	free(image);
	TH_LOG("%s: %u opens: %u allowed, %u mismatches",
	       vm_backend_name(vm_backend()), opens, allowed, bad);
	EXPECT_EQ(0U, bad);
	EXPECT_LE(5000U, opens);
	/* not a trivial run: some allowed, more refused */
	EXPECT_LT(100U, allowed);
	EXPECT_LT(allowed + 1000, opens);
}

/*
 * The buckets on the real hook: 48 rules over three roles and ten kinds,
 * first-applicable (where a rule left out wrongly shows at once), so
 * that each role's list of read rules is long enough to be split by the
 * object's kind.  Every (role, kind, mode) opened in the kernel (by the
 * bucket) ends as the core decides it here (by the scan).
 */
#define BK_KINDS	10
#define BK_RULES	48

static const char *const bk_roles[] = { "a", "b", "c" };
static const int bk_modes[] = { O_RDONLY, O_WRONLY, O_RDWR };

/* The generated policy, in @buf. */
static void bk_policy(char *buf, size_t sz)
{
	size_t n;
	int i;

	n = snprintf(buf, sz,
		     "version: 1\nname: vm-buckets\ncombining: first-applicable\n"
		     "default: deny\nattributes:\n  subject:\n"
		     "    role: {type: string, values: [a, b, c]}\n"
		     "  object:\n    kind: {type: string, values: [k0, k1, k2,"
		     " k3, k4, k5, k6, k7, k8, k9]}\nrules:\n");
	for (i = 0; i < BK_RULES && n < sz; i++) {
		n += snprintf(buf + n, sz - n,
			      "  - id: r%02d\n    nlp: \"Rule %d.\"\n"
			      "    effect: %s\n    ops: [read%s]\n", i, i,
			      i % 5 == 2 ? "deny" : "allow",
			      i % 4 == 0 ? ", write" : "");
		if (i % 7 != 3)
			n += snprintf(buf + n, sz - n,
				      "    subject: {role: %s}\n",
				      bk_roles[i % 3]);
		if (i % 6 == 1)
			n += snprintf(buf + n, sz - n,
				      "    object: {kind: {not: k%d}}\n",
				      i * 7 % BK_KINDS);
		else if (i % 6 == 4)
			n += snprintf(buf + n, sz - n,
				      "    object: {kind: [k%d, k%d]}\n",
				      i * 7 % BK_KINDS, i % BK_KINDS);
		else
			n += snprintf(buf + n, sz - n,
				      "    object: {kind: k%d}\n",
				      i * 7 % BK_KINDS);
	}
}

FIXTURE(buckets) {
	int unused;
};

FIXTURE_SETUP(buckets)
{
	static char yaml[16384];
	char path[PATH_MAX], tags[32], cg[16], label[16];
	size_t r;
	int k;

	ASSERT_EQ(0, vm_setup());
	matrix_untag_all();
	bk_policy(yaml, sizeof(yaml));
	ASSERT_EQ(0, vm_apply("buckets", yaml));
	for (r = 0; r < 3; r++) {
		snprintf(cg, sizeof(cg), "bk-%s", bk_roles[r]);
		snprintf(tags, sizeof(tags), "role=%s", bk_roles[r]);
		ASSERT_EQ(0, vm_tag(cg, tags));
	}
	for (k = 0; k < BK_KINDS; k++) {
		snprintf(path, sizeof(path), TEST_DIR "/bk%d", k);
		snprintf(label, sizeof(label), "kind=k%d", k);
		ASSERT_EQ(0, vm_mkfile(path, "bucket\n", label));
	}
}

FIXTURE_TEARDOWN(buckets)
{
	vm_untag("bk-a");
	vm_untag("bk-b");
	vm_untag("bk-c");
}

TEST_F_TIMEOUT(buckets, the_kernel_decides_by_bucket_as_the_core_by_scan, 300)
{
	const struct abac_image_hdr *h;
	char path[PATH_MAX], label[16], cg[16];
	unsigned int opens = 0, allowed = 0, mismatches = 0;
	struct abac_image v;
	struct stat st;
	size_t len, r, m;
	int k, got, want;
	void *img;

	ASSERT_EQ(0, vm_kernel_get_image(&img, &len));
	h = img;
	TH_LOG("rule index: %u classes, %u list entries, %u buckets",
	       h->ncls, h->nclist, h->nbkt);
	ASSERT_EQ(3U, h->ncls);
	ASSERT_LT(0U, h->nbkt);
	v = abac_image_view(img, len);
	for (r = 0; r < 3; r++) {
		snprintf(cg, sizeof(cg), "bk-%s", bk_roles[r]);
		snprintf(path, sizeof(path), TEST_CG_ROOT "/%s", cg);
		ASSERT_EQ(0, stat(path, &st));
		for (k = 0; k < BK_KINDS; k++) {
			snprintf(path, sizeof(path), TEST_DIR "/bk%d", k);
			snprintf(label, sizeof(label), "kind=k%d", k);
			for (m = 0; m < 3; m++) {
				got = vm_probe_open(cg, path, bk_modes[m]);
				want = matrix_expect(&v, st.st_ino, label,
						     bk_modes[m]);
				opens++;
				allowed += !got;
				if (got != want) {
					mismatches++;
					TH_LOG("%s %s mode %d: kernel %d, core %d",
					       cg, label, bk_modes[m], got, want);
				}
			}
		}
	}
	free(img);
	TH_LOG("%s: %u opens: %u allowed, %u mismatches",
	       vm_backend_name(vm_backend()), opens, allowed, mismatches);
	ASSERT_EQ(0U, mismatches);
	ASSERT_LT(10U, allowed);
	ASSERT_LT(10U, opens - allowed);
}

TEST_HARNESS_MAIN
