// SPDX-License-Identifier: GPL-2.0-only
/*
 * The policy author's and the analyst's verbs through build/abac, on the
 * policies of policy-examples/ and on hostile input: who-can, what-can,
 * diff (and, below, test, replay, suggest, draft).  Their exactness is
 * shown against brute force in analyze_test; here is what a person and a
 * script see: the rows, the words, the JSON, the exit statuses.
 */
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "kselftest_harness.h"
#include "common.h"
#include "cli.h"

#define OUT_MAX		(1 << 20)
#define HOSPITAL	"policy-examples/hospital.yaml"

FIXTURE(tools) {
	char path[4096];
	char hospital[PATH_MAX + 64];
	char examples[PATH_MAX + 64];
	char dir[64];
	char *out, *err;
};

/* A file of the source tree, its path copied into @buf. */
static void src_copy(const char *rel, char *buf, size_t sz)
{
	char tmp[PATH_MAX + 64], abs[PATH_MAX];
	const char *p = t_src_path(rel, tmp, sizeof(tmp));

	/* absolute: test files elsewhere name it */
	snprintf(buf, sz, "%s", realpath(p, abs) ? abs : p);
}

FIXTURE_SETUP(tools)
{
	if (!cli_path(self->path, sizeof(self->path)))
		SKIP(return, "build/abac is not built");
	src_copy(HOSPITAL, self->hospital, sizeof(self->hospital));
	src_copy("policy-examples", self->examples, sizeof(self->examples));
	self->out = malloc(OUT_MAX);
	self->err = malloc(OUT_MAX);
	ASSERT_NE(NULL, self->out);
	ASSERT_NE(NULL, self->err);
	snprintf(self->dir, sizeof(self->dir), "/tmp/abac-tools-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
}

FIXTURE_TEARDOWN(tools)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("cannot remove %s", self->dir);
	free(self->out);
	free(self->err);
}

#define abac(...) ({							\
	char *_argv[] = { "abac", __VA_ARGS__, NULL };			\
	run_cli(self->path, _argv, self->out, self->err, OUT_MAX);	\
})

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/*
 * Is @name an example over open attributes, which the analysers (who-can,
 * what-can, diff) refuse by name: their values cannot be enumerated?
 */
static bool is_open_example(const char *name)
{
	return !strcmp(name, "patient-assignment.yaml");
}

/* Is @name a policy of policy-examples/ (X.yaml, not X.test.yaml)? */
static bool is_policy(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && !strcmp(name + n - 5, ".yaml") &&
	       !(n > 10 && !strcmp(name + n - 10, ".test.yaml"));
}

/* Write @text to @dir/@name; the path in @buf. */
static char *put_file(const char *dir, const char *name, const char *text,
		      char *buf, size_t sz)
{
	FILE *f;

	snprintf(buf, sz, "%s/%s", dir, name);
	f = fopen(buf, "w");
	if (!f)
		return NULL;
	fputs(text, f);
	fclose(f);
	return buf;
}

static char *slurp_file(const char *path)
{
	char *buf = NULL;
	size_t len;

	if (abac_read_file(path, &buf, &len))
		return NULL;
	return buf;
}

/*
 * The hospital policy with its rules in reverse order (@reverse), or
 * with its first rule written twice under another id (@repeat).
 */
static char *hospital_variant(const char *src, bool reverse, bool repeat)
{
	char *text = slurp_file(src), *rules, *out, *starts[32] = { NULL }, *p;
	size_t n = 0, i, len;

	if (!text)
		return NULL;
	out = calloc(1, strlen(text) * 2 + 64);
	rules = strstr(text, "\nrules:\n");
	if (!out || !rules)
		return NULL;
	for (p = strstr(rules, "  - id:"); p && n < 32;
	     p = strstr(p + 1, "\n  - id:"))
		starts[n++] = p[0] == '\n' ? p + 1 : p;
	len = starts[0] - text;
	memcpy(out, text, len);
	for (i = 0; i < n; i++) {
		size_t k = reverse ? n - 1 - i : i;
		char *end = k + 1 < n ? starts[k + 1] : text + strlen(text);

		strncat(out, starts[k], end - starts[k]);
		if (out[strlen(out) - 1] != '\n')
			strcat(out, "\n");
	}
	if (repeat) {
		char *end = starts[1];

		strcat(out, "  - id: again\n");
		strncat(out, strchr(starts[0], '\n') + 1,
			end - strchr(starts[0], '\n') - 1);
	}
	free(text);
	return out;
}

TEST_F(tools, who_can_read_heart_records_names_two_rows_and_their_rules)
{
	EXPECT_EQ(0, abac("policy", "who-can", "read", self->hospital,
			  "--object", "type=medical-record",
			  "patient-condition=heart"));
	EXPECT_NE(NULL, strstr(self->out, "nurse-practitioner  cardiology"))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "doctor              cardiology"));
	EXPECT_NE(NULL, strstr(self->out, "np-cardiology-heart: Nurse practitioners"));
	EXPECT_EQ(NULL, strstr(self->out, "billing"));
	EXPECT_EQ(0, abac("-j", "policy", "who-can", "read", self->hospital,
			  "--object", "type=medical-record",
			  "patient-condition=heart"));
	EXPECT_EQ(0, strncmp(self->out, "{\"policy\":\"hospital\",\"question\":", 32))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "\"fixed\":{\"op\":\"read\",\"object.type\":\"medical-record\",\"object.patient-condition\":\"heart\"}"))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "{\"values\":{\"subject.role\":[\"doctor\"],\"subject.department\":[\"cardiology\"],\"object.department\":[\"*\"]},\"rule\":{\"id\":\"cardiology-doctors-heart-records\""));
}

TEST_F(tools, who_can_answers_for_a_file_by_its_inherited_label)
{
	const char *label = "type=invoice";
	char d[128], f[256];

	snprintf(d, sizeof(d), "%s/invoices", self->dir);
	ASSERT_EQ(0, mkdir(d, 0700));
	snprintf(f, sizeof(f), "%s/2026.txt", d);
	ASSERT_EQ(0, close(open(f, O_CREAT | O_WRONLY, 0600)));
	EXPECT_EQ(3, abac("policy", "who-can", "write", self->hospital,
			  "--path", f));
	EXPECT_NE(NULL, strstr(self->err, "carries a label")) TH_LOG("%s", self->err);
	if (setxattr(d, "user.abac", label, strlen(label), 0))
		SKIP(return, "no user xattrs here");
	EXPECT_EQ(0, abac("policy", "who-can", "write", self->hospital,
			  "--path", f));
	EXPECT_NE(NULL, strstr(self->out, "billing-clerk  billing")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->err, "inherits the label of"));
}

TEST_F(tools, live_lists_the_labelled_files_the_rows_hold)
{
	const char *heart = "type=medical-record;patient-condition=heart";
	char d[128], f[192], g[192];

	snprintf(d, sizeof(d), "%s/heart", self->dir);
	ASSERT_EQ(0, mkdir(d, 0700));
	snprintf(f, sizeof(f), "%s/p1017.txt", d);
	snprintf(g, sizeof(g), "%s/invoice.txt", self->dir);
	ASSERT_EQ(0, close(open(f, O_CREAT | O_WRONLY, 0600)));
	ASSERT_EQ(0, close(open(g, O_CREAT | O_WRONLY, 0600)));
	if (setxattr(d, "user.abac", heart, strlen(heart), 0) ||
	    setxattr(g, "user.abac", "type=invoice", 12, 0))
		SKIP(return, "no user xattrs here");
	EXPECT_EQ(0, abac("--socket", "/nonexistent", "policy", "who-can",
			  "read", self->hospital, "--object",
			  "type=medical-record", "--under", self->dir, "--live"));
	EXPECT_NE(NULL, strstr(self->out, "p1017.txt (type=medical-record;patient-condition=heart, from "))
		TH_LOG("%s", self->out);
	EXPECT_EQ(NULL, strstr(self->out, "invoice.txt")); /* not a record */
	EXPECT_NE(NULL, strstr(self->err, "no tagged cgroups listed"));
	EXPECT_EQ(0, abac("-j", "--socket", "/nonexistent", "policy",
			  "what-can", self->hospital, "--subject",
			  "role=billing-clerk", "department=billing", "--under",
			  self->dir));
	EXPECT_NE(NULL, strstr(self->out, "\"live\":{\"files\":[{\"path\":\""))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "invoice.txt\",\"label\":\"type=invoice\""));
	EXPECT_EQ(NULL, strstr(self->out, "p1017"));
}

TEST_F(tools, what_can_a_doctor_in_cardiology_do)
{
	EXPECT_EQ(0, abac("policy", "what-can", self->hospital, "--subject",
			  "role=doctor", "department=cardiology"));
	EXPECT_NE(NULL, strstr(self->out, "read|write  medical-record  heart"))
		TH_LOG("%s", self->out);
	/* a subject with no tag can do nothing here */
	EXPECT_EQ(0, abac("policy", "what-can", self->hospital, "--subject",
			  "role=doctor", "--exact"));
	EXPECT_NE(NULL, strstr(self->out, "nobody")) TH_LOG("%s", self->out);
}

TEST_F(tools, who_can_answers_for_every_example)
{
	char file[PATH_MAX + 400];
	struct dirent *de;
	int n = 0;
	DIR *dir = opendir(self->examples);

	ASSERT_NE(NULL, dir);
	while ((de = readdir(dir))) {
		if (!is_policy(de->d_name) ||
		    !strcmp(de->d_name, "hospital-billing-audit.yaml"))
			continue;	/* a lower layer: see below */
		snprintf(file, sizeof(file), "%s/%s", self->examples,
			 de->d_name);
		if (is_open_example(de->d_name)) {
			EXPECT_EQ(3, abac("policy", "who-can", "read", file));
			EXPECT_NE(NULL, strstr(self->err, "policies with open attributes are not analysed yet"))
				TH_LOG("%s", self->err);
			EXPECT_EQ(3, abac("policy", "diff", file, file));
			continue;
		}
		EXPECT_EQ(0, abac("-j", "policy", "who-can", "read", file))
			TH_LOG("%s: %s %s", de->d_name, self->out, self->err);
		EXPECT_EQ(0, strncmp(self->out, "{\"policy\":", 10));
		EXPECT_EQ(0, abac("policy", "diff", file, file))
			TH_LOG("%s: %s", de->d_name, self->out);
		n++;
	}
	closedir(dir);
	EXPECT_LE(5, n);
	/* the lower layer under its top layer */
	snprintf(file, sizeof(file), "%s/hospital-billing-audit.yaml",
		 self->examples);
	EXPECT_EQ(0, abac("policy", "who-can", "read", self->hospital, file,
			  "--object", "type=invoice"));
	EXPECT_NE(NULL, strstr(self->out, "billing-clerk")) TH_LOG("%s", self->out);
}

TEST_F(tools, who_can_refuses_hostile_questions_with_their_reason)
{
	EXPECT_EQ(2, abac("policy", "who-can", "fly", self->hospital));
	EXPECT_EQ(2, abac("policy", "who-can"));
	EXPECT_EQ(3, abac("policy", "who-can", "read", self->hospital,
			  "--object", "type=medical-recrd"));
	EXPECT_NE(NULL, strstr(self->err, "did you mean 'medical-record'?"));
	EXPECT_EQ(3, abac("-j", "policy", "who-can", "read", self->hospital,
			  "--object", "colour=red"));
	EXPECT_EQ(0, strncmp(self->out, "{\"error\":", 9)) TH_LOG("%s", self->out);
	EXPECT_EQ(3, abac("policy", "who-can", "read", "/nonexistent.yaml"));
	EXPECT_EQ(2, abac("policy", "who-can", "read", self->hospital,
			  "--subject", "role=doctor"));
	EXPECT_EQ(2, abac("policy", "what-can", self->hospital));
	/* what-can: a misspelt value, an unknown attribute, operation, file */
	EXPECT_EQ(3, abac("policy", "what-can", self->hospital,
			  "--subject", "role=docter"));
	EXPECT_NE(NULL, strstr(self->err, "did you mean 'doctor'?")) TH_LOG("%s", self->err);
	EXPECT_EQ(3, abac("-j", "policy", "what-can", self->hospital,
			  "--subject", "colour=red"));
	EXPECT_NE(NULL, strstr(self->out, "unknown subject attribute 'colour'"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(2, abac("policy", "what-can", self->hospital,
			  "--subject", "role=doctor", "--op", "fly"));
	EXPECT_EQ(3, abac("policy", "what-can", "/nonexistent.yaml",
			  "--subject", "role=doctor"));
	/* the positive control: the same question, well asked */
	EXPECT_EQ(0, abac("policy", "what-can", self->hospital,
			  "--subject", "role=doctor", "--op", "read"));
}

TEST_F(tools, rule_order_and_a_redundant_rule_are_no_difference)
{
	char a[256], b[256];
	char *rev = hospital_variant(self->hospital, true, false);
	char *rep = hospital_variant(self->hospital, false, true);

	ASSERT_NE(NULL, rev);
	ASSERT_NE(NULL, rep);
	put_file(self->dir, "reversed.yaml", rev, a, sizeof(a));
	put_file(self->dir, "repeated.yaml", rep, b, sizeof(b));
	EXPECT_EQ(0, abac("policy", "check", a)) TH_LOG("%s", self->err);
	EXPECT_EQ(0, abac("policy", "diff", self->hospital, a))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "are equivalent"));
	EXPECT_EQ(0, abac("-j", "policy", "diff", self->hospital, b))
		TH_LOG("%s %s", self->out, self->err);
	EXPECT_NE(NULL, strstr(self->out, "\"equivalent\":true"));
	free(rev);
	free(rep);
}

TEST_F(tools, diff_says_who_gains_and_who_loses_in_words)
{
	static const char old[] = "subject: {department: billing}\n";
	char *text = slurp_file(self->hospital), *p, *n, file[256];

	ASSERT_NE(NULL, text);
	/* billing's deny rule is given to oncology */
	p = strstr(text, old);
	ASSERT_NE(NULL, p);
	n = calloc(1, strlen(text) + 16);
	ASSERT_NE(NULL, n);
	memcpy(n, text, p - text);
	strcat(n, "subject: {department: oncology}\n");
	strcat(n, p + strlen(old));
	put_file(self->dir, "new.yaml", n, file, sizeof(file));
	free(n);
	EXPECT_EQ(1, abac("policy", "diff", self->hospital, file));
	EXPECT_NE(NULL, strstr(self->out, "subjects with role=doctor, department=oncology lose read on objects with type=medical-record, patient-condition=cancer: now denied by rule 'billing-never-medical-records' (was allowed by rule 'oncology-doctors-cancer-records')"))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "new.yaml: 1 change\n"));
	EXPECT_EQ(1, abac("-j", "policy", "diff", self->hospital, file));
	EXPECT_NE(NULL, strstr(self->out, "\"equivalent\":false"));
	EXPECT_NE(NULL, strstr(self->out, "\"old\":{\"id\":\"oncology-doctors-cancer-records\""));
	free(text);
}

/*
 * Two policies that decide alike but bind other cgroups by name are not
 * equivalent: the cgroups they tag, hence who is decided as what, differ.
 */
TEST_F(tools, diff_reports_changed_bindings_of_subjects)
{
	static const char head[] =
		"version: 1\nname: b\nattributes:\n  subject:\n"
		"    role: {type: string, values: [ehr, billing]}\n"
		"  object:\n    type: {type: string, values: [record]}\n"
		"rules:\n  - {id: r, nlp: \"EHR reads records.\", effect: allow,"
		" ops: [read], subject: {role: ehr}, object: {type: record}}\n"
		"subjects:\n";
	char old[1024], new[1024], a[256], b[256];

	snprintf(old, sizeof(old), "%s"
		 "  - {unit: ehr-*.service, attributes: {role: ehr}}\n"
		 "  - {unit: billing.service, attributes: {role: billing}}\n",
		 head);
	snprintf(new, sizeof(new), "%s"
		 "  - {unit: ehr-*.service, attributes: {role: billing}}\n"
		 "  - {cgroup: /batch.slice/job-*.scope, attributes: {role: ehr}}\n",
		 head);
	put_file(self->dir, "bind-old.yaml", old, a, sizeof(a));
	put_file(self->dir, "bind-new.yaml", new, b, sizeof(b));
	EXPECT_EQ(0, abac("policy", "diff", a, a)) TH_LOG("%s", self->err);
	EXPECT_EQ(1, abac("policy", "diff", a, b)) TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->out, "decide every request alike\n"
			       "subjects: 3 bindings changed"))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "  ~ system.slice/ehr-*.service: role=ehr -> role=billing\n"));
	EXPECT_NE(NULL, strstr(self->out, "  - system.slice/billing.service: role=billing\n"));
	EXPECT_NE(NULL, strstr(self->out, "  + batch.slice/job-*.scope: role=ehr\n"));
	EXPECT_EQ(1, abac("-j", "policy", "diff", a, b));
	EXPECT_NE(NULL, strstr(self->out, "\"equivalent\":false,\"decided_alike\":true"));
	EXPECT_NE(NULL, strstr(self->out, "{\"cgroups\":\"system.slice/billing.service\",\"unit\":\"billing.service\",\"old\":\"role=billing\",\"new\":null}"))
		TH_LOG("%s", self->out);
}

TEST_F(tools, diff_refuses_what_cannot_be_compared)
{
	char file[256];

	put_file(self->dir, "int.yaml",
		 "version: 1\nname: x\nattributes:\n  subject:\n"
		 "    role: {type: int}\nrules:\n  - id: a\n    nlp: a\n"
		 "    effect: allow\n    ops: [read]\n    subject: {role: 1}\n",
		 file, sizeof(file));
	EXPECT_EQ(3, abac("policy", "diff", self->hospital, file));
	EXPECT_NE(NULL, strstr(self->err, "cannot be compared")) TH_LOG("%s", self->err);
	EXPECT_EQ(2, abac("policy", "diff", self->hospital));
	EXPECT_EQ(3, abac("policy", "diff", self->hospital, "/nonexistent"));
}

/*
 * what-can on every example, asked for one subject value each: the
 * table must name every example, so that a new one is asked too.
 */
TEST_F(tools, what_can_answers_for_every_example)
{
	static const struct {
		const char *file, *subject, *says;
	} ask[] = {
		{ "hospital.yaml", "role=doctor", "medical-record" },
		{ "clearance-levels.yaml", "clearance=secret", "read-down" },
		{ "export-control.yaml", "nationality=us", "cleared-read-controlled" },
		{ "vendor-isolation.yaml", "organization=acme", "vendor-own-data" },
		{ "zero-trust-egress.yaml", "service=web", "web-and-batch-databases" },
	};
	char file[PATH_MAX + 400];
	struct dirent *de;
	size_t i;
	int n = 0;
	DIR *dir = opendir(self->examples);

	ASSERT_NE(NULL, dir);
	while ((de = readdir(dir))) {
		if (!is_policy(de->d_name) ||
		    !strcmp(de->d_name, "hospital-billing-audit.yaml"))
			continue;	/* a lower layer */
		snprintf(file, sizeof(file), "%s/%s", self->examples,
			 de->d_name);
		if (is_open_example(de->d_name)) {
			EXPECT_EQ(3, abac("policy", "what-can", file,
					  "--subject", "role=physician"));
			EXPECT_NE(NULL, strstr(self->err, "policies with open attributes are not analysed yet"))
				TH_LOG("%s", self->err);
			continue;
		}
		for (i = 0; i < ARRAY_SIZE(ask); i++)
			if (!strcmp(ask[i].file, de->d_name))
				break;
		EXPECT_GT(ARRAY_SIZE(ask), i) TH_LOG("%s: nothing to ask", de->d_name);
		if (i == ARRAY_SIZE(ask))
			continue;
		snprintf(file, sizeof(file), "%s/%s", self->examples,
			 de->d_name);
		EXPECT_EQ(0, abac("policy", "what-can", file, "--subject",
				  (char *)ask[i].subject))
			TH_LOG("%s: %s", de->d_name, self->err);
		EXPECT_NE(NULL, strstr(self->out, ask[i].says))
			TH_LOG("%s: %s", de->d_name, self->out);
		EXPECT_EQ(0, abac("-j", "policy", "what-can", file, "--subject",
				  (char *)ask[i].subject));
		EXPECT_EQ(0, strncmp(self->out, "{\"policy\":", 10));
		EXPECT_NE(NULL, strstr(self->out, "\"rows\":[{\"values\":{"))
			TH_LOG("%s: %s", de->d_name, self->out);
		n++;
	}
	closedir(dir);
	EXPECT_EQ((int)ARRAY_SIZE(ask), n);
}

/* ---- check (the linter) ------------------------------------------------- */

TEST_F(tools, check_passes_every_example_without_a_warning)
{
	char file[PATH_MAX + 400], top[PATH_MAX + 400];
	struct dirent *de;
	int n = 0;
	DIR *dir = opendir(self->examples);

	ASSERT_NE(NULL, dir);
	snprintf(top, sizeof(top), "%s/hospital.yaml", self->examples);
	while ((de = readdir(dir))) {
		if (!is_policy(de->d_name))
			continue;
		snprintf(file, sizeof(file), "%s/%s", self->examples,
			 de->d_name);
		if (!strcmp(de->d_name, "hospital-billing-audit.yaml")) {
			EXPECT_EQ(0, abac("-j", "policy", "check", "--layers",
					  top, file))
				TH_LOG("%s", self->out);
		} else {
			EXPECT_EQ(0, abac("-j", "policy", "check", file))
				TH_LOG("%s", self->out);
		}
		EXPECT_EQ(0, strncmp(self->out, "{\"file\":\"", 9)) TH_LOG("%s", self->out);
		EXPECT_NE(NULL, strstr(self->out, "\"ok\":true,\"name\":"));
		EXPECT_NE(NULL, strstr(self->out, "\"content_hash\":\"0x"));
		EXPECT_EQ(NULL, strstr(self->out, "\"severity\":\"warning\""))
			TH_LOG("%s: %s", de->d_name, self->out);
		n++;
	}
	closedir(dir);
	EXPECT_LE(6, n);
}

TEST_F(tools, check_names_each_finding_at_its_line_and_column)
{
	static const char pol[] =
		"version: 1\nname: s\nattributes:\n  subject:\n"
		"    role: {type: string, values: [doctor, nurse]}\n"
		"    unused: {type: bool}\n"
		"    age: {type: int, min: 0, max: 150}\n"
		"  object:\n    type: {type: string, values: [record, invoice]}\n"
		"rules:\n"
		"  - id: wide\n    nlp: a\n    effect: allow\n    ops: [read]\n"
		"    subject: {role: doctor}\n"
		"  - id: narrow\n    nlp: b\n    effect: allow\n    ops: [read]\n"
		"    subject: {role: doctor}\n    object: {type: record}\n"
		"  - id: never\n    nlp: c\n    effect: allow\n    ops: [write]\n"
		"    subject: {role: nurse, age: {gte: 65, lt: 18}}\n"
		"  - id: overridden\n    nlp: d\n    effect: allow\n"
		"    ops: [delete]\n    subject: {role: nurse}\n"
		"  - id: no-nurse-deletes\n    nlp: e\n    effect: deny\n"
		"    ops: [delete]\n    subject: {role: nurse}\n";
	char f[256], b[256];

	put_file(self->dir, "lint.yaml", pol, f, sizeof(f));
	/* findings are warnings: the policy still compiles */
	EXPECT_EQ(0, abac("policy", "check", f)) TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err, "lint.yaml:6:5: warning: subject attribute 'unused' is declared but no rule"))
		TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err, "lint.yaml:16:5: warning: rule 'narrow' never decides: rule 'wide' (line 11)"))
		TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err, "lint.yaml:22:5: warning: rule 'never' can never apply"))
		TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err, "lint.yaml:27:5: warning: allow rule 'overridden' never permits anything: wherever it applies, rule 'no-nurse-deletes' (line 32) decides instead"))
		TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->out, "lint.yaml: ok: policy s, 5 rules"));
	EXPECT_EQ(0, abac("-j", "policy", "check", f));
	EXPECT_NE(NULL, strstr(self->out, "\"line\":16,\"column\":5,\"severity\":\"warning\",\"message\":\"rule 'narrow' never decides"))
		TH_LOG("%s", self->out);
	/* hostile: a file that does not parse, one that is not there */
	put_file(self->dir, "broken.yaml", "version: 1\nname: [x\n", b, sizeof(b));
	EXPECT_EQ(1, abac("-j", "policy", "check", b));
	EXPECT_NE(NULL, strstr(self->out, "\"ok\":false,\"diagnostics\":[{\"file\":\""))
		TH_LOG("%s", self->out);
	EXPECT_EQ(1, abac("policy", "check", "/nonexistent.yaml"));
	EXPECT_NE(NULL, strstr(self->err, "/nonexistent.yaml: error: cannot read"));
}

/* ---- draft -------------------------------------------------------------- */

TEST_F(tools, draft_prints_the_rule_and_each_mapping_or_refuses)
{
	static const char np[] = "Nurse practitioners in the oncology department may view the medical records of cancer patients.";

	EXPECT_EQ(0, abac("policy", "draft", (char *)np, self->hospital,
			  "--id", "np-oncology-cancer"));
	EXPECT_NE(NULL, strstr(self->out, "# \"nurse practitioners\" -> subject.role = nurse-practitioner\n"))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "  - id: np-oncology-cancer\n"));
	EXPECT_NE(NULL, strstr(self->out, "    subject: {role: nurse-practitioner, department: oncology}\n"));
	EXPECT_EQ(0, abac("-j", "policy", "draft", (char *)np, self->hospital));
	EXPECT_EQ(0, strncmp(self->out, "{\"sentence\":\"Nurse practitioners", 32))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "\"ok\":true,\"yaml\":\"  - id: drafted\\n"));
	EXPECT_NE(NULL, strstr(self->out, "{\"words\":\"cancer\",\"meaning\":\"object.patient-condition = cancer\"}"));
	EXPECT_NE(NULL, strstr(self->out, "\"unmatched\":[]}"));
	/* hostile: an unknown word, no sentence, a policy that is not there */
	EXPECT_EQ(1, abac("policy", "draft", "Surgeons may view medical records.",
			  self->hospital));
	EXPECT_NE(NULL, strstr(self->err, "these words name nothing in the policy: 'surgeons'"))
		TH_LOG("%s", self->err);
	EXPECT_EQ(1, abac("-j", "policy", "draft", "Surgeons may view medical records.",
			  self->hospital));
	EXPECT_NE(NULL, strstr(self->out, "\"ok\":false,"));
	EXPECT_NE(NULL, strstr(self->out, "\"unmatched\":[\"surgeons\"]"));
	EXPECT_EQ(1, abac("policy", "draft", "", self->hospital));
	EXPECT_EQ(2, abac("policy", "draft"));
	EXPECT_EQ(3, abac("policy", "draft", "Doctors may read invoices.",
			  "/nonexistent.yaml"));
}

/* ---- replay, suggest ----------------------------------------------------- */

#define SAMPLE_LOG	"policy-examples/hospital-audit.sample.jsonl"

TEST_F(tools, replay_lists_what_a_candidate_decides_differently)
{
	char log[PATH_MAX + 64], cand[256], *text, *sugg;
	size_t n;

	src_copy(SAMPLE_LOG, log, sizeof(log));
	/* positive control: the policy that recorded them decides alike */
	EXPECT_EQ(0, abac("policy", "replay", self->hospital, "--events", log));
	EXPECT_NE(NULL, strstr(self->out, "7 decisions read, 7 replayed, 0 decided differently"))
		TH_LOG("%s", self->out);
	/* suggest, then replay the policy with the suggestions */
	EXPECT_EQ(0, abac("policy", "suggest", self->hospital, "--events", log));
	EXPECT_NE(NULL, strstr(self->out, "# 6 denials of hospital's default"));
	EXPECT_NE(NULL, strstr(self->out, "subject: {role: [nurse-practitioner, doctor], department: cardiology}"))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "# REVIEW: suggested from 2 denials"));
	EXPECT_NE(NULL, strstr(self->out, "1 denial by deny rule 'billing-never-medical-records'"));
	EXPECT_EQ(NULL, strstr(self->out, "/srv/"));	/* never a path */
	sugg = strdup(self->out);
	text = slurp_file(self->hospital);
	ASSERT_NE(NULL, text);
	n = strlen(text);
	text = realloc(text, n + strlen(sugg) + 1);
	strcpy(text + n, sugg);
	put_file(self->dir, "cand.yaml", text, cand, sizeof(cand));
	EXPECT_EQ(0, abac("policy", "check", cand)) TH_LOG("%s", self->err);
	EXPECT_EQ(1, abac("policy", "replay", cand, "--events", log));
	EXPECT_NE(NULL, strstr(self->out, "line 4: 2026-12-04T10:05:31.000000000Z read /srv/lab/cardiology/r77.txt by lab-sync (role=doctor department=cardiology): was deny, now allow by suggested-"))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "7 replayed, 6 decided differently"));
	/* the billing clerk stays denied: an allow does not beat the deny */
	EXPECT_EQ(NULL, strstr(self->out, "line 6:"));
	EXPECT_EQ(1, abac("-j", "policy", "replay", cand, "--events", log));
	EXPECT_NE(NULL, strstr(self->out, "\"differ\":6")) TH_LOG("%s", self->out);
	/* the same suggestions in JSON, under the ids the YAML gives them */
	EXPECT_EQ(0, abac("-j", "policy", "suggest", self->hospital, "--events", log));
	EXPECT_EQ(0, strncmp(self->out, "{\"policy\":\"hospital\",\"denials_used\":6,\"denied_by_a_deny_rule\":1,\"not_usable\":0,\"rules\":[{\"id\":\"suggested-1\",\"denials\":3,", 120))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "\"ops\":[\"read\",\"write\"],\"subject\":\"{role: nurse-practitioner, department: oncology}\""))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "{\"id\":\"suggested-3\",\"denials\":2,"));
	EXPECT_EQ(NULL, strstr(self->out, "\"id\":\"\""));
	free(sugg);
	free(text);
}

TEST_F(tools, replay_counts_hostile_lines_and_refuses_a_missing_log)
{
	char log[256];

	put_file(self->dir, "bad.jsonl",
		 "not json\n{\"decision\":\"deny\"\n"
		 "{\"time\":\"2026-12-04T08:00:00Z\",\"op\":\"read\","
		 "\"decision\":\"deny\",\"subject_tags\":\"role=pilot\","
		 "\"path\":\"x\"}\n"
		 "{\"time\":\"2026-12-04T08:00:00Z\",\"op\":\"read\","
		 "\"decision\":\"deny\",\"subject_tags\":\"role=doctor\","
		 "\"object_label\":\"type=invoice\",\"path\":\"/x\"}\n"
		 "{\"decision\":\"lost\",\"lost\":3}\n",
		 log, sizeof(log));
	EXPECT_EQ(0, abac("policy", "replay", self->hospital, "--events", log));
	EXPECT_NE(NULL, strstr(self->out, "2 decisions read, 1 replayed, 0 decided differently, 1 not replayable, 2 lines unreadable"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(3, abac("policy", "replay", self->hospital, "--events",
			  "/nonexistent.jsonl"));
	EXPECT_EQ(2, abac("policy", "replay", "--events", log));
	EXPECT_EQ(3, abac("policy", "suggest", self->hospital, "--events",
			  "/nonexistent.jsonl"));
	EXPECT_EQ(0, abac("policy", "suggest", self->hospital, "--events", log));
	EXPECT_NE(NULL, strstr(self->out, "# 1 denial of hospital's default"))
		TH_LOG("%s", self->out);
}

TEST_F(tools, replay_says_a_subject_with_an_open_set_is_not_replayed)
{
	char log[256], file[PATH_MAX + 400];

	snprintf(file, sizeof(file), "%s/patient-assignment.yaml",
		 self->examples);
	put_file(self->dir, "sets.jsonl",
		 "{\"time\":\"2026-12-04T08:00:00Z\",\"op\":\"read\","
		 "\"decision\":\"deny\",\"subject_tags\":\"role=physician "
		 "patients=P-1,P-2\",\"object_label\":"
		 "\"type=medical-record;patient=P-1\",\"path\":\"/r\"}\n"
		 "{\"time\":\"2026-12-04T08:00:00Z\",\"op\":\"read\","
		 "\"decision\":\"deny\",\"subject_tags\":\"role=clerk\","
		 "\"object_label\":\"type=medical-record;patient=P-1\","
		 "\"path\":\"/r\"}\n",
		 log, sizeof(log));
	EXPECT_EQ(0, abac("policy", "replay", file, "--events", log));
	EXPECT_NE(NULL, strstr(self->out, "2 decisions read, 1 replayed, 0 decided differently, 1 not replayable"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(0, abac("-j", "policy", "replay", file, "--events", log));
	EXPECT_NE(NULL, strstr(self->out, "\"replayed\":1,\"differ\":0,\"not_replayed\":1"))
		TH_LOG("%s", self->out);
}

/* ---- abac events over the log ------------------------------------------ */

TEST_F(tools, events_filters_read_the_log_without_abacd)
{
	char log[PATH_MAX + 64];

	src_copy(SAMPLE_LOG, log, sizeof(log));
	EXPECT_EQ(0, abac("--socket", "/nonexistent", "events", "--log", log,
			  "--subject", "role=nurse-practitioner",
			  "department=oncology"));
	EXPECT_NE(NULL, strstr(self->out, "AUDIT write /srv/ehr/cancer/p2211.txt pid=4006"))
		TH_LOG("%s", self->out);
	/* each line ends with its event's id, to name it by */
	EXPECT_NE(NULL, strstr(self->out, " rule=- reason=default id=1796371200000.1\n"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(3, count_lines(self->out));
	EXPECT_EQ(0, abac("events", "--log", log, "--since",
			  "2026-12-04T10:05:32", "--op", "read"));
	EXPECT_EQ(2, count_lines(self->out)) TH_LOG("%s", self->out);
	EXPECT_EQ(0, abac("events", "--log", log, "--rule",
			  "billing-never-medical-records"));
	EXPECT_NE(NULL, strstr(self->out, "comm=invoicer")) TH_LOG("%s", self->out);
	EXPECT_EQ(1, count_lines(self->out));
	EXPECT_EQ(0, abac("-j", "events", "--log", log, "--path",
			  "/srv/lab/*", "--comm", "lab-sync"));
	EXPECT_EQ(2, count_lines(self->out));
	EXPECT_EQ(0, strncmp(self->out, "{\"time\":\"2026-12-04T10:05:31", 28));
	EXPECT_EQ(0, abac("events", "--log", log, "--path", "heart"));
	EXPECT_EQ(1, count_lines(self->out));
	/* hostile */
	EXPECT_EQ(2, abac("events", "--log", log, "--since", "yesterday"));
	EXPECT_EQ(2, abac("events", "--log", log, "--op", "fly"));
	EXPECT_EQ(1, abac("events", "--log", "/nonexistent.jsonl", "--op",
			  "read"));
}

/* ---- policy test -------------------------------------------------------- */

TEST_F(tools, every_example_has_tests_that_pass_and_reach_every_rule)
{
	char file[PATH_MAX + 400], tests[PATH_MAX + 400];
	struct dirent *de;
	int n = 0;
	DIR *dir = opendir(self->examples);

	ASSERT_NE(NULL, dir);
	while ((de = readdir(dir))) {
		if (!is_policy(de->d_name))
			continue;
		snprintf(file, sizeof(file), "%s/%s", self->examples,
			 de->d_name);
		snprintf(tests, sizeof(tests), "%.*s.test.yaml",
			 (int)strlen(file) - 5, file);
		EXPECT_EQ(0, access(tests, R_OK)) TH_LOG("%s has no tests", file);
		EXPECT_EQ(0, abac("policy", "test", "--fail-uncovered", tests))
			TH_LOG("%s\n%s", self->out, self->err);
		EXPECT_NE(NULL, strstr(self->out, " 0 failed\n"));
		EXPECT_EQ(0, abac("-j", "policy", "test", tests));
		EXPECT_EQ(0, strncmp(self->out, "{\"file\":", 8)) TH_LOG("%s", self->out);
		n++;
	}
	closedir(dir);
	EXPECT_LE(6, n);
	/* several files: an array, one object each */
	snprintf(file, sizeof(file), "%s/hospital.test.yaml", self->examples);
	snprintf(tests, sizeof(tests), "%s/clearance-levels.test.yaml",
		 self->examples);
	EXPECT_EQ(0, abac("-j", "policy", "test", file, tests));
	EXPECT_EQ(0, strncmp(self->out, "[{\"file\":", 9)) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "},{\"file\":"));
}

static const char ptest_head[] = "policy: %s\ntests:\n";

/*
 * Values as people write them, in a test file's mappings: spaces,
 * umlauts and a comma are one value, of an open attribute or a declared
 * one; and the analysers refuse an open policy by name.
 */
TEST_F(tools, tests_and_analysers_over_open_values_as_people_write_them)
{
	static const char pol[] =
		"version: 1\nname: owners\nmode: enforce\n"
		"combining: deny-overrides\ndefault: deny\n"
		"attributes:\n"
		"  subject:\n"
		"    user: {type: string, open: true}\n"
		"    team: {type: string, values: [\"Smith, J.\", ops]}\n"
		"  object:\n"
		"    owner: {type: string, open: true}\n"
		"rules:\n"
		"  - id: owners\n"
		"    nlp: \"People edit what they own.\"\n"
		"    effect: allow\n"
		"    ops: [read, write]\n"
		"    subject: {team: \"Smith, J.\"}\n"
		"    where: [\"object.owner == subject.user\"]\n";
	static const char tests[] =
		"policy: owners.yaml\ntests:\n"
		"  - name: the owner\n    op: write\n"
		"    subject: {user: \"Dr. Zo\u00eb M\u00fcller\", team: \"Smith, J.\"}\n"
		"    object: {owner: \"Dr. Zo\u00eb M\u00fcller\"}\n"
		"    expect: allow\n    rule: owners\n"
		"  - name: not the owner\n    op: write\n"
		"    subject: {user: \"Dr. Zoe Muller\", team: \"Smith, J.\"}\n"
		"    object: {owner: \"Dr. Zo\u00eb M\u00fcller\"}\n"
		"    expect: deny\n";
	char p[256], t[256];

	put_file(self->dir, "owners.yaml", pol, p, sizeof(p));
	put_file(self->dir, "owners.test.yaml", tests, t, sizeof(t));
	EXPECT_EQ(0, abac("policy", "test", t)) TH_LOG("%s\n%s", self->out, self->err);
	EXPECT_NE(NULL, strstr(self->out, "2 tests: 2 passed, 0 failed"))
		TH_LOG("%s", self->out);
	EXPECT_NE(0, abac("policy", "who-can", "write", p));
	EXPECT_NE(NULL, strstr(self->err, "subject.user is an open attribute: policies with open attributes are not analysed yet"))
		TH_LOG("%s", self->err);
	EXPECT_NE(0, abac("policy", "diff", p, p));
	EXPECT_NE(NULL, strstr(self->err, "is an open attribute")) TH_LOG("%s", self->err);
}

TEST_F(tools, a_failing_test_is_named_with_its_line_and_the_decision)
{
	char t[PATH_MAX + 256], f[256];

	ASSERT_GT(sizeof(t), (size_t)snprintf(t, sizeof(t), ptest_head, self->hospital));
	strcat(t, "  - name: wrong on purpose\n    op: read\n"
		  "    subject: {role: doctor, department: oncology}\n"
		  "    object: {type: medical-record, patient-condition: heart}\n"
		  "    expect: allow\n"
		  "  - name: right\n    op: read\n"
		  "    subject: {role: doctor, department: cardiology}\n"
		  "    object: {type: medical-record, patient-condition: heart}\n"
		  "    expect: allow\n    rule: np-cardiology-heart\n");
	put_file(self->dir, "t.test.yaml", t, f, sizeof(f));
	EXPECT_EQ(1, abac("policy", "test", f));
	EXPECT_NE(NULL, strstr(self->out, "FAIL  wrong on purpose (line 3): expected allow, got deny by default"))
		TH_LOG("%s", self->out);
	/* the right decision by the wrong rule fails too */
	EXPECT_NE(NULL, strstr(self->out, "FAIL  right (line 8): expected allow by np-cardiology-heart, got allow by cardiology-doctors-heart-records"))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "2 tests: 0 passed, 2 failed"));
	EXPECT_NE(NULL, strstr(self->out, "not covered: rule 'billing-clerks-invoices'"));
	EXPECT_EQ(1, abac("-j", "policy", "test", f));
	EXPECT_NE(NULL, strstr(self->out, "\"failed\":2"));
	EXPECT_NE(NULL, strstr(self->out, "\"uncovered\":[{\"id\":\"np-cardiology-heart\""))
		TH_LOG("%s", self->out);
}

TEST_F(tools, a_hostile_test_file_is_refused_at_its_place)
{
	static const struct {
		const char *body, *msg;
	} bad[] = {
		{ "  - name: x\n    op: fly\n    expect: allow\n",
		  ":4:9: error: test 'x': 'op' must name an operation" },
		{ "  - name: x\n    op: read\n    expect: maybe\n",
		  ":5:13: error: test 'x': 'expect' must be allow or deny" },
		{ "  - name: x\n    op: read\n    expect: deny\n"
		  "    subject: {role: docter}\n",
		  ":3:5: error: test 'x': subject: unknown value 'docter' for subject attribute 'role' (did you mean 'doctor'?)" },
		{ "  - name: x\n    op: read\n    expect: deny\n"
		  "    time: yesterday\n",
		  "test 'x': time 'yesterday'" },
		{ "  - name: x\n    op: read\n    expect: deny\n"
		  "    subject: [role]\n",
		  "expected a mapping of attributes" },
		{ "  []\n", "tests: a list of one test or more" },
		{ "  - [unclosed\n", "error: " },
	};
	char t[PATH_MAX + 512], f[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_GT(sizeof(t), (size_t)snprintf(t, sizeof(t), ptest_head, self->hospital));
		strcat(t, bad[i].body);
		put_file(self->dir, "bad.test.yaml", t, f, sizeof(f));
		EXPECT_EQ(3, abac("policy", "test", f)) TH_LOG("%s", bad[i].body);
		EXPECT_NE(NULL, strstr(self->err, bad[i].msg))
			TH_LOG("%zu: %s", i, self->err);
	}
	put_file(self->dir, "nopolicy.yaml", "tests: []\n", f, sizeof(f));
	EXPECT_EQ(3, abac("policy", "test", f));
	EXPECT_NE(NULL, strstr(self->err, "no 'policy' key")) TH_LOG("%s", self->err);
	/* the policy given for its tests: named as such, its tests' file too */
	EXPECT_EQ(3, abac("policy", "test", self->hospital));
	EXPECT_NE(NULL, strstr(self->err, "this is a policy, not its tests: give its tests' file (hospital.test.yaml beside it"))
		TH_LOG("%s", self->err);
	EXPECT_EQ(3, abac("policy", "test", "/nonexistent.test.yaml"));
	EXPECT_EQ(2, abac("policy", "test"));
}

/*
 * make demo-analyst, the session the README names: who can read heart
 * patients' records, a drafted change and its diff, yesterday's log
 * replayed against it, the rules its denials ask for, the unit tests.
 */
TEST_F(tools, the_analysts_demo_answers_each_question)
{
	static const char *const says[] = {
		"np-cardiology-heart: Nurse practitioners in the cardiology",
		"cardiology-doctors-heart-records: Doctors in the cardiology",
		"\"oncology\" -> subject.department = oncology",
		"hospital-new.yaml: ok: policy hospital, 7 rules",
		"gain read on objects with type=medical-record, patient-condition=cancer: now allowed by rule 'np-oncology-cancer'",
		"7 decisions read, 7 replayed, 2 decided differently",
		"# REVIEW: suggested from 3 denials",
		"10 tests: 10 passed, 0 failed",
		"coverage: 6 of 6 rules apply to some test",
	};
	char script[PATH_MAX + 64], cmd[2 * PATH_MAX + 256];
	size_t n, i;
	FILE *f;

	src_copy("scripts/demo-analyst.sh", script, sizeof(script));
	ASSERT_GT(sizeof(cmd), (size_t)snprintf(cmd, sizeof(cmd), "ABAC='%s' '%s' 2>&1",
					 self->path, script));
	f = popen(cmd, "r");
	ASSERT_NE(NULL, f);
	n = fread(self->out, 1, OUT_MAX - 1, f);
	self->out[n] = '\0';
	EXPECT_EQ(0, pclose(f)) TH_LOG("%s", self->out);
	for (i = 0; i < ARRAY_SIZE(says); i++)
		EXPECT_TRUE(strstr(self->out, says[i]) != NULL)
			TH_LOG("line %zu missing in:\n%s", i, self->out);
	EXPECT_EQ(NULL, strstr(self->out, "failed with status"));
}

TEST_HARNESS_MAIN
