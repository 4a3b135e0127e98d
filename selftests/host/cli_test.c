// SPDX-License-Identifier: GPL-2.0-only
/*
 * The abac CLI as a newcomer meets it: help at every level, candidates
 * for a mistyped or ambiguous word, errors as JSON on stdout in JSON
 * mode, distinct exit statuses for a denial and an error, eval on files
 * that inherit their label, and the bash completion in step with the
 * command table.  Each test runs build/abac.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "kselftest_harness.h"
#include "common.h"
#include "cli.h"

#define OUT_MAX		(1 << 20)
#define HOSPITAL	"policy-examples/hospital.yaml"
#define EXPORT		"policy-examples/export-control.yaml"

FIXTURE(cli) {
	char path[4096];
	char pol[PATH_MAX + 64];
	char *out, *err;
	char dir[64];
};

FIXTURE_SETUP(cli)
{
	if (!cli_path(self->path, sizeof(self->path)))
		SKIP(return, "build/abac is not built");
	self->out = malloc(OUT_MAX);
	self->err = malloc(OUT_MAX);
	ASSERT_NE(NULL, self->out);
	ASSERT_NE(NULL, self->err);
	snprintf(self->dir, sizeof(self->dir), "/tmp/abac-cli-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
}

FIXTURE_TEARDOWN(cli)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("cannot remove %s", self->dir);
	free(self->out);
	free(self->err);
}

/* Run abac with the NULL-terminated words after @self; its status. */
#define abac(...) ({							\
	char *_argv[] = { "abac", __VA_ARGS__, NULL };			\
	run_cli(self->path, _argv, self->out, self->err, OUT_MAX);	\
})

/* A policy example by its path from the top of the tree. */
static const char *example(char *buf, size_t sz, const char *rel)
{
	return t_src_path(rel, buf, sz);
}

TEST_F(cli, help_help_prints_the_usage_of_help)
{
	EXPECT_EQ(0, abac("help", "--help"));
	EXPECT_NE(NULL, strstr(self->out, "Usage: abac [OPTIONS] help"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(NULL, strstr(self->out, "abac-help(8)"));
	EXPECT_STREQ("", self->err);
}

/* The longest line of @s, in bytes. */
static size_t longest_line(const char *s)
{
	size_t n = 0, max = 0;

	for (; *s; s++) {
		n = *s == '\n' ? 0 : n + 1;
		if (n > max)
			max = n;
	}
	return max;
}

/* @s with each newline and the spaces after it made one space. */
static void unwrap(char *s)
{
	char *r = s, *w = s;

	while (*r) {
		if (*r == '\n') {
			while (*r == '\n' || *r == ' ')
				r++;
			*w++ = ' ';
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
}

/*
 * Every help fits 80 columns, and an object's list of verbs gives each
 * verb's synopsis whole (it was cut at 96 bytes: "[--und").
 */
TEST_F(cli, every_help_fits_80_columns_and_lists_each_synopsis_whole)
{
	char *list, *line, *save, obj[32], verb[32], *syn, *end;
	int n = 0, words;

	ASSERT_EQ(0, abac("help", "--list"));
	list = strdup(self->out);
	ASSERT_NE(NULL, list);
	for (line = strtok_r(list, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		words = sscanf(line, "%31s %31s", obj, verb);
		if (words == 1) {	/* an object without verbs */
			EXPECT_EQ(0, abac(obj, "--help"));
			EXPECT_GE(80UL, longest_line(self->out))
				TH_LOG("%s:\n%s", obj, self->out);
			continue;
		}
		ASSERT_EQ(2, words);
		EXPECT_EQ(0, abac(obj, verb, "--help")) TH_LOG("%s", line);
		EXPECT_GE(80UL, longest_line(self->out)) TH_LOG("%s:\n%s", line, self->out);
		/* "Usage: abac [OPTIONS] OBJ VERB ARGS", up to its blank line */
		end = strstr(self->out, "\n\n");
		ASSERT_NE(NULL, end) TH_LOG("%s", self->out);
		*end = '\0';
		unwrap(self->out);
		syn = strdup(self->out + strlen("Usage: abac [OPTIONS] ") +
			     strlen(obj) + 1);
		ASSERT_NE(NULL, syn);
		EXPECT_EQ(0, abac(obj, "--help"));
		EXPECT_GE(80UL, longest_line(self->out)) TH_LOG("%s:\n%s", obj, self->out);
		unwrap(self->out);
		EXPECT_NE(NULL, strstr(self->out, syn))
			TH_LOG("'%s' not whole in: %s", syn, self->out);
		free(syn);
		n++;
	}
	free(list);
	EXPECT_LE(20, n);
}

TEST_F(cli, an_ambiguous_prefix_names_what_it_could_be)
{
	EXPECT_EQ(2, abac("policy", "c", "x"));
	EXPECT_NE(NULL, strstr(self->err, "ambiguous verb 'c' for policy: it could be check, compile"))
		TH_LOG("%s", self->err);
	/* positive control: a unique prefix is the verb */
	EXPECT_EQ(0, abac("pol", "ch", (char *)example(self->pol,
						       sizeof(self->pol),
						       HOSPITAL)));
}

TEST_F(cli, an_unknown_word_names_the_nearest_or_every_one)
{
	EXPECT_EQ(2, abac("policy", "chek"));
	EXPECT_NE(NULL, strstr(self->err, "did you mean 'check'?"));
	EXPECT_EQ(2, abac("zzz"));
	EXPECT_NE(NULL, strstr(self->err, "known ones are policy, label, subject, kube, env, run, events, status, help"))
		TH_LOG("%s", self->err);
	/* an operation, in every verb that takes one */
	EXPECT_EQ(2, abac("policy", "eval", (char *)example(self->pol, sizeof(self->pol), HOSPITAL),
			  "--op", "reed", "--subject", "role=doctor",
			  "--object", "type=invoice"));
	EXPECT_NE(NULL, strstr(self->err, "unknown operation 'reed' (did you mean 'read'?)"))
		TH_LOG("%s", self->err);
	EXPECT_EQ(2, abac("policy", "who-can", "wrte",
			  (char *)example(self->pol, sizeof(self->pol), HOSPITAL)));
	EXPECT_NE(NULL, strstr(self->err, "(did you mean 'write'?)")) TH_LOG("%s", self->err);
	EXPECT_EQ(2, abac("events", "--log", "/nonexistent", "--op", "fly"));
	EXPECT_NE(NULL, strstr(self->err, "unknown operation 'fly' (expected one of: read, write, exec, create, delete, relabel, connect, bind, listen, administer)"))
		TH_LOG("%s", self->err);
}

TEST_F(cli, json_errors_are_one_json_document_on_stdout)
{
	const char *pol = example(self->pol, sizeof(self->pol), HOSPITAL);

	EXPECT_EQ(3, abac("-j", "policy", "eval", (char *)pol, "--op", "read",
			  "--subject", "role=docto", "--object", "type=invoice"));
	EXPECT_EQ(0, strncmp(self->out, "{\"error\":", 9)) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "\"diagnostics\":[{\"file\":\"<subject>\""));
	EXPECT_NE(NULL, strstr(self->out, "did you mean 'doctor'?"));
	EXPECT_STREQ("", self->err);
	EXPECT_EQ(1, abac("-j", "policy", "compile", "/nonexistent.yaml", "-o",
			  "/dev/null"));
	EXPECT_EQ(0, strncmp(self->out, "{\"error\":", 9)) TH_LOG("%s", self->out);
}

TEST_F(cli, eval_tells_a_denial_from_an_error_by_its_status)
{
	char *pol = (char *)example(self->pol, sizeof(self->pol), HOSPITAL);

	EXPECT_EQ(0, abac("policy", "eval", pol, "--op", "read", "--subject",
			  "role=doctor", "department=cardiology", "--object",
			  "type=medical-record", "patient-condition=heart"));
	EXPECT_EQ(1, abac("policy", "eval", pol, "--op", "read", "--subject",
			  "role=doctor", "department=oncology", "--object",
			  "type=medical-record", "patient-condition=heart"));
	EXPECT_EQ(3, abac("policy", "eval", pol, "--op", "read", "--subject",
			  "role=doctor", "--object", "type=nope"));
	EXPECT_EQ(3, abac("policy", "eval", "/nonexistent.yaml", "--op",
			  "read", "--subject", "role=doctor", "--object",
			  "type=invoice"));
	EXPECT_EQ(2, abac("policy", "eval", pol, "--op", "fly"));
}

TEST_F(cli, a_days_condition_to_change_names_the_weekday)
{
	char *pol = (char *)example(self->pol, sizeof(self->pol), EXPORT);

	/* 2026-12-05 is a Saturday */
	EXPECT_EQ(1, abac("policy", "eval", pol, "--op", "read", "--subject",
			  "nationality=us", "cleared_for=itar",
			  "export_training=true", "--object", "regime=itar",
			  "--time", "2026-12-05T10:00"));
	EXPECT_NE(NULL, strstr(self->out, "(now sat;")) TH_LOG("%s", self->out);
	EXPECT_EQ(1, abac("-j", "policy", "eval", pol, "--op", "read",
			  "--subject", "nationality=us", "cleared_for=itar",
			  "export_training=true", "--object", "regime=itar",
			  "--time", "2026-12-05T10:00"));
	EXPECT_NE(NULL, strstr(self->out, "\"now\":\"sat\"")) TH_LOG("%s", self->out);
	/* positive control: a Friday within the hours */
	EXPECT_EQ(0, abac("policy", "eval", pol, "--op", "read", "--subject",
			  "nationality=us", "cleared_for=itar",
			  "export_training=true", "--object", "regime=itar",
			  "--time", "2026-12-04T10:00"));
}

/* mkdir -p @dir/@sub and a file f in it; the file's path. */
static void make_tree(struct __test_metadata *_metadata, const char *dir,
		      char *file, size_t sz)
{
	char d[256];

	snprintf(d, sizeof(d), "%s/records", dir);
	ASSERT_EQ(0, mkdir(d, 0700));
	snprintf(d, sizeof(d), "%s/records/2026", dir);
	ASSERT_EQ(0, mkdir(d, 0700));
	snprintf(file, sz, "%s/records/2026/p1017.txt", dir);
	ASSERT_EQ(0, close(open(file, O_CREAT | O_WRONLY, 0600)));
}

TEST_F(cli, eval_path_decides_a_file_by_the_label_it_inherits)
{
	char *pol = (char *)example(self->pol, sizeof(self->pol), HOSPITAL);
	const char *label = "type=medical-record;patient-condition=heart";
	char file[256], dir[256];

	make_tree(_metadata, self->dir, file, sizeof(file));
	/* no label anywhere above: the kernel would not decide */
	EXPECT_EQ(1, abac("policy", "eval", pol, "--op", "read", "--subject",
			  "role=doctor", "department=cardiology", "--path",
			  file));
	EXPECT_NE(NULL, strstr(self->err, "would not decide"));
	snprintf(dir, sizeof(dir), "%s/records", self->dir);
	if (setxattr(dir, "user.abac", label, strlen(label), 0))
		SKIP(return, "no user xattrs on %s", self->dir);
	EXPECT_EQ(0, abac("policy", "eval", pol, "--op", "read", "--subject",
			  "role=doctor", "department=cardiology", "--path",
			  file));
	EXPECT_EQ(NULL, strstr(self->err, "would not decide")) TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->out, "label: inherited from ")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "/records\n"));
	EXPECT_EQ(0, abac("-j", "policy", "eval", pol, "--op", "read",
			  "--subject", "role=doctor", "department=cardiology",
			  "--path", file));
	EXPECT_NE(NULL, strstr(self->out, "{\"label\":{\"source\":\"inherited\",\"from\":\""));
	/* the file's own label wins over the directory's */
	ASSERT_EQ(0, setxattr(file, "user.abac", "type=invoice", 12, 0));
	EXPECT_EQ(1, abac("policy", "eval", pol, "--op", "read", "--subject",
			  "role=doctor", "department=cardiology", "--path",
			  file));
	EXPECT_NE(NULL, strstr(self->out, "label: its own, on ")) TH_LOG("%s", self->out);
	/* a label naming an undeclared value is an error, not a denial */
	ASSERT_EQ(0, setxattr(file, "user.abac", "type=x", 6, 0));
	EXPECT_EQ(3, abac("policy", "eval", pol, "--op", "read", "--subject",
			  "role=doctor", "--path", file));
}

/*
 * A label giving an object's open set 64 members: eval decides it as the
 * kernel does (a member allowed, another refused); label set refuses 65
 * values of one key, naming ABAC_LABEL_SET_MEMBERS.
 */
TEST_F(cli, eval_path_decides_an_open_set_in_a_label)
{
	static const char yaml[] =
		"version: 1\nname: lsets\ndefault: deny\nattributes:\n"
		"  subject:\n    me: {type: string, open: true}\n"
		"  object:\n    patients: {type: set, open: true}\n"
		"rules:\n  - {id: listed, nlp: \"Listed.\", effect: allow,"
		" ops: [read], where: [\"subject.me in object.patients\"]}\n";
	char pol[256], file[256], label[1024], big[1024];
	size_t o = 0, b = 0;
	unsigned int i;
	FILE *f;

	snprintf(pol, sizeof(pol), "%s/lsets.yaml", self->dir);
	f = fopen(pol, "w");
	ASSERT_NE(NULL, f);
	fputs(yaml, f);
	ASSERT_EQ(0, fclose(f));
	snprintf(file, sizeof(file), "%s/rec", self->dir);
	ASSERT_EQ(0, close(open(file, O_CREAT | O_WRONLY, 0600)));
	o = snprintf(label, sizeof(label), "patients=");
	b = snprintf(big, sizeof(big), "patients=");
	for (i = 0; i < 63; i++) {
		o += snprintf(label + o, sizeof(label) - o, "P-%02u,", i);
		b += snprintf(big + b, sizeof(big) - b, "P-%02u,", i);
	}
	snprintf(label + o, sizeof(label) - o, "Zo\xc3\xab M\xc3\xbcller");
	snprintf(big + b, sizeof(big) - b, "P-63,P-64");
	if (setxattr(file, "user.abac", label, strlen(label), 0))
		SKIP(return, "no user xattrs on %s", self->dir);
	EXPECT_EQ(0, abac("policy", "eval", pol, "--op", "read", "--subject",
			  "me=Zo\xc3\xab M\xc3\xbcller", "--path", file))
		TH_LOG("%s", self->err);
	EXPECT_EQ(0, abac("policy", "eval", pol, "--op", "read", "--subject",
			  "me=P-62", "--path", file));
	EXPECT_EQ(1, abac("policy", "eval", pol, "--op", "read", "--subject",
			  "me=Zoe Muller", "--path", file));
	EXPECT_EQ(1, abac("policy", "eval", pol, "--op", "read", "--subject",
			  "me=P-63", "--path", file));
	EXPECT_NE(0, abac("label", "set", file, big));
	EXPECT_NE(NULL, strstr(self->err, "ABAC_LABEL_SET_MEMBERS"))
		TH_LOG("%s", self->err);
}

/*
 * The owner of a directory plants a symbolic link where root will label a
 * file: the label verbs refuse the link (nothing happens to its target)
 * unless --follow asks for the target.
 */
TEST_F(cli, label_verbs_do_not_follow_a_planted_symlink)
{
	char target[256], link[256], box[256], v[64];

	snprintf(target, sizeof(target), "%s/secret", self->dir);
	snprintf(box, sizeof(box), "%s/box", self->dir);
	snprintf(link, sizeof(link), "%s/box/report", self->dir);
	ASSERT_EQ(0, close(open(target, O_CREAT | O_WRONLY, 0600)));
	ASSERT_EQ(0, mkdir(box, 0777));
	ASSERT_EQ(0, symlink("../secret", link));
	if (setxattr(target, "user.probe", "x", 1, 0))
		SKIP(return, "no user xattrs on %s", self->dir);
	EXPECT_EQ(1, abac("label", "set", link, "type=x"));
	EXPECT_NE(NULL, strstr(self->err, "it is a symbolic link"))
		TH_LOG("%s", self->err);
	EXPECT_GT(0, getxattr(target, "user.abac", v, sizeof(v)));
	EXPECT_EQ(1, abac("label", "get", link));
	/* asked for, the target is labelled, read and unlabelled */
	EXPECT_EQ(0, abac("label", "set", "--follow", link, "type=x"));
	EXPECT_EQ(6, getxattr(target, "user.abac", v, sizeof(v)));
	EXPECT_EQ(0, abac("label", "get", "-L", link));
	EXPECT_NE(NULL, strstr(self->out, "type=x")) TH_LOG("%s", self->out);
	EXPECT_EQ(1, abac("label", "rm", link));
	EXPECT_EQ(6, getxattr(target, "user.abac", v, sizeof(v)));
	EXPECT_EQ(0, abac("label", "rm", "--follow", link));
	EXPECT_GT(0, getxattr(target, "user.abac", v, sizeof(v)));
	/* a path that is no link is labelled as before */
	EXPECT_EQ(0, abac("label", "set", target, "type=x"));
	EXPECT_EQ(6, getxattr(target, "user.abac", v, sizeof(v)));
}

TEST_F(cli, show_names_the_values_of_conditions)
{
	char *pol = (char *)example(self->pol, sizeof(self->pol), HOSPITAL);
	char img[256];

	EXPECT_EQ(0, abac("policy", "show", pol));
	EXPECT_NE(NULL, strstr(self->out, "when: subject.role is one of [nurse-practitioner] and subject.department is one of [cardiology]"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(NULL, strstr(self->out, "when: subject[0]"));
	snprintf(img, sizeof(img), "%s/h.img", self->dir);
	EXPECT_EQ(0, abac("policy", "compile", pol, "-o", img));
	EXPECT_NE(NULL, strstr(self->out, "content hash 0x")) TH_LOG("%s", self->out);
	/* an image alone: names of attributes, bits of values */
	EXPECT_EQ(0, abac("policy", "show", img));
	EXPECT_NE(NULL, strstr(self->out, "when: subject.role in 0x1 and subject.department in 0x1"))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "content hash: 0x"));
}

/* Every "object verb" the completion knows is the table's, in order. */
/*
 * status --rules reads the kernel alone: misuse is a usage error, and a
 * host with nothing loaded has no rule to count (the counts themselves
 * are ops_test's, on the real hooks).
 */
TEST_F(cli, status_rules_is_refused_with_other_arguments)
{
	EXPECT_EQ(2, abac("status", "--rules", "--wait"));
	EXPECT_NE(NULL, strstr(self->err, "status --rules takes no other argument"))
		TH_LOG("%s", self->err);
	EXPECT_EQ(2, abac("status", "--rules", "extra"));
	if (access("/sys/fs/bpf/abac", F_OK) &&
	    access("/sys/kernel/security/abac", F_OK)) {
		EXPECT_EQ(1, abac("status", "--rules"));
		EXPECT_NE(NULL, strstr(self->err, "No policy in force"))
			TH_LOG("%s", self->err);
	}
}

TEST_F(cli, bash_completion_knows_exactly_the_commands_of_the_table)
{
	char script[PATH_MAX + 64], cmd[PATH_MAX + 128], *list;
	size_t n = 0;
	FILE *f;

	ASSERT_EQ(0, abac("help", "--list"));
	t_src_path("scripts/abac-completion.bash", script, sizeof(script));
	snprintf(cmd, sizeof(cmd), "bash -c '. \"%s\"; _abac_list'",
		 access("scripts/abac-completion.bash", R_OK) ?
		 script : "scripts/abac-completion.bash");
	f = popen(cmd, "r");
	ASSERT_NE(NULL, f);
	list = malloc(OUT_MAX);
	ASSERT_NE(NULL, list);
	n = fread(list, 1, OUT_MAX - 1, f);
	list[n] = '\0';
	EXPECT_EQ(0, pclose(f));
	EXPECT_STREQ(self->out, list);
	EXPECT_NE(NULL, strstr(list, "policy eval\n"));
	free(list);
}

TEST_HARNESS_MAIN
