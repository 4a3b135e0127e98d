// SPDX-License-Identifier: GPL-2.0-only
/*
 * The environment in the kernel: operator attributes set with abac env
 * set, and time windows decided by the file_open hook from the kernel's
 * own clock (CLOCK_TAI) plus the agent's offset for the policy timezone.
 * The timezone is the POSIX "JST-9" (UTC+9, no daylight saving), so a
 * kernel deciding in UTC would put the window nine hours off.
 */
#include "kselftest_harness.h"
#include "vm_common.h"
#include "libabac.h"

#define DOC	TEST_DIR "/doc"
#define OPEN_NOW	TEST_DIR "/open-now"
#define CLOSED_NOW	TEST_DIR "/closed-now"

static char policy[4096];

/* Windows around now in JST: one open (now +- 1 h), one closed. */
static void make_policy(void)
{
	struct abac_env e;
	unsigned int m, open_lo, open_hi, shut_lo, shut_hi;

	abac_local_time(time(NULL), "JST-9", &e);
	m = e.minute;
	open_lo = (m + 1440 - 60) % 1440;
	open_hi = (m + 60) % 1440;
	shut_lo = (m + 180) % 1440;
	shut_hi = (m + 300) % 1440;
	snprintf(policy, sizeof(policy),
		 "version: 1\nname: env\ntimezone: JST-9\n"
		 "attributes:\n"
		 "  subject:\n    role: {type: string, values: [dev]}\n"
		 "  object:\n    type: {type: string, values: [doc, open-now, closed-now]}\n"
		 "  environment:\n    threat: {type: level, values: [low, elevated, high]}\n"
		 "rules:\n"
		 "  - {id: low-threat, nlp: \"Developers read documents unless the threat is high.\","
		 " effect: allow, ops: [read], subject: {role: dev}, object: {type: doc},"
		 " env: {threat: {lte: elevated}}}\n"
		 "  - {id: open-window, nlp: \"Developers read during the open window.\","
		 " effect: allow, ops: [read], subject: {role: dev}, object: {type: open-now},"
		 " env: {time: \"%02u:%02u-%02u:%02u\"}}\n"
		 "  - {id: closed-window, nlp: \"Developers read during the closed window.\","
		 " effect: allow, ops: [read], subject: {role: dev}, object: {type: closed-now},"
		 " env: {time: \"%02u:%02u-%02u:%02u\"}}\n",
		 open_lo / 60, open_lo % 60, open_hi / 60, open_hi % 60,
		 shut_lo / 60, shut_lo % 60, shut_hi / 60, shut_hi % 60);
}

FIXTURE(env) {
	int unused;
};

FIXTURE_SETUP(env)
{
	/* a fresh agent: tags other tests left would not fit this policy */
	vm_agent_kill9();
	vm_sh("rm -rf " AGENT_STATE);
	ASSERT_EQ(0, vm_setup());
	make_policy();
	ASSERT_EQ(0, vm_apply("env", policy)) TH_LOG("%s", policy);
	ASSERT_EQ(0, vm_mkfile(DOC, "doc\n", "type=doc"));
	ASSERT_EQ(0, vm_mkfile(OPEN_NOW, "open\n", "type=open-now"));
	ASSERT_EQ(0, vm_mkfile(CLOSED_NOW, "closed\n", "type=closed-now"));
	ASSERT_EQ(0, vm_tag("envdev", "role=dev"));
}

FIXTURE_TEARDOWN(env)
{
	vm_sh("abac env set >/dev/null 2>&1");
	vm_untag("envdev");
}

TEST_F(env, operator_attributes_reach_the_kernel)
{
	/* none set: the condition is indeterminate, which denies */
	ASSERT_EQ(EACCES, vm_probe_open("envdev", DOC, O_RDONLY));
	ASSERT_EQ(0, vm_sh("abac env set threat=low >/dev/null"));
	ASSERT_EQ(0, vm_probe_open("envdev", DOC, O_RDONLY));
	ASSERT_EQ(0, vm_sh("abac env set threat=high >/dev/null"));
	ASSERT_EQ(EACCES, vm_probe_open("envdev", DOC, O_RDONLY));
	ASSERT_EQ(0, vm_sh("abac env set threat=elevated >/dev/null"));
	ASSERT_EQ(0, vm_probe_open("envdev", DOC, O_RDONLY));
	/* a value the policy does not declare is refused, nothing changes */
	ASSERT_NE(0, vm_sh("abac env set threat=severe >/dev/null 2>&1"));
	ASSERT_EQ(0, vm_probe_open("envdev", DOC, O_RDONLY));
}

/*
 * The agent keeps the operator's attributes in its state: a restart
 * resolves them again and rewrites the kernel's environment with them
 * (before, a restart forgot them and its first refresh cleared the map).
 */
TEST_F(env, operator_attributes_survive_an_agent_restart)
{
	char out[256];

	ASSERT_EQ(0, vm_sh("abac env set threat=low >/dev/null"));
	ASSERT_EQ(0, vm_probe_open("envdev", DOC, O_RDONLY));
	vm_agent_kill9();
	ASSERT_LT(0, vm_agent_start());
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac env get"));
	EXPECT_NE(NULL, strstr(out, "threat=low")) TH_LOG("%s", out);
	ASSERT_EQ(0, vm_probe_open("envdev", DOC, O_RDONLY));
	ASSERT_EQ(0, vm_sh("abac env set threat=high >/dev/null"));
	vm_agent_kill9();
	ASSERT_LT(0, vm_agent_start());
	ASSERT_EQ(EACCES, vm_probe_open("envdev", DOC, O_RDONLY));
	/* a lost state directory: the kernel's env map still has them */
	ASSERT_EQ(0, vm_sh("abac env set threat=low >/dev/null"));
	vm_agent_kill9();
	ASSERT_EQ(0, vm_sh("rm -rf " AGENT_STATE));
	ASSERT_LT(0, vm_agent_start());
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac env get"));
	EXPECT_NE(NULL, strstr(out, "threat=low")) TH_LOG("%s", out);
	ASSERT_EQ(0, vm_probe_open("envdev", DOC, O_RDONLY));
}

TEST_F(env, time_windows_follow_the_kernel_clock_in_the_policy_timezone)
{
	ASSERT_EQ(0, vm_probe_open("envdev", OPEN_NOW, O_RDONLY))
		TH_LOG("%s", policy);
	ASSERT_EQ(EACCES, vm_probe_open("envdev", CLOSED_NOW, O_RDONLY))
		TH_LOG("%s", policy);
}

/*
 * The agent's log line of the first event naming @path, waiting up to
 * 10 s; malloc()ed, or NULL.
 */
static char *event_of(const char *path)
{
	char needle[PATH_MAX + 16];
	int waited;

	snprintf(needle, sizeof(needle), "\"path\":\"%s\"", path);
	for (waited = 0; waited <= 10000; waited += 100) {
		char *log = vm_read_file(AGENT_LOG), *line, *save = NULL;

		for (line = log ? strtok_r(log, "\n", &save) : NULL; line;
		     line = strtok_r(NULL, "\n", &save)) {
			if (strstr(line, needle)) {
				line = strdup(line);
				free(log);
				return line;
			}
		}
		free(log);
		vm_msleep(100);
	}
	return NULL;
}

#define DOCS		TEST_DIR "/docs"
#define INHERITED	DOCS "/inherited"

/*
 * A denial says what the decision read: where the object's label came
 * from (its own, or the directory it inherits from, with the label's
 * text) and the environment (weekday, time, the operator's attributes).
 */
TEST_F(env, a_denial_names_the_label_and_the_environment_it_read)
{
	char *line;

	ASSERT_EQ(0, mkdir(DOCS, 0755));
	ASSERT_EQ(0, vm_label(DOCS, "type=doc"));
	ASSERT_EQ(0, vm_mkfile(INHERITED, "doc\n", NULL));
	ASSERT_EQ(0, vm_sh("abac env set threat=high >/dev/null"));
	ASSERT_EQ(EACCES, vm_probe_open("envdev", INHERITED, O_RDONLY));
	ASSERT_EQ(EACCES, vm_probe_open("envdev", DOC, O_RDONLY));

	line = event_of(INHERITED);
	ASSERT_NE(NULL, line);
	EXPECT_NE(NULL, strstr(line, "\"label_from\":\"directory\""))
		TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, "\"label_path\":\"" DOCS "\",\"object_label\":\"type=doc\""))
		TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, "\"env\":\"threat=high\""))
		TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, "\"env_time\":\""))
		TH_LOG("%s", line);
	free(line);

	line = event_of(DOC);
	ASSERT_NE(NULL, line);
	EXPECT_NE(NULL, strstr(line, "\"label_from\":\"own\""))
		TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, "\"label_path\":\"" DOC "\",\"object_label\":\"type=doc\""))
		TH_LOG("%s", line);
	free(line);
	/* the log stays flat: abac events reads every line back */
	ASSERT_EQ(0, vm_sh("abac events --log " AGENT_LOG " --path " DOC " 2>&1 | grep -q 'DENY read " DOC "'"));
	ASSERT_NE(0, vm_sh("abac events --log " AGENT_LOG " 2>&1 | grep -q 'not events\\|unreadable'"));
}

TEST_HARNESS_MAIN
