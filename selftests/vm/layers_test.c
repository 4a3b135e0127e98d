// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy layers in the kernel (NIST SP 800-162 3.2.1.2): hospital.yaml
 * with the lower layer hospital-billing-audit.yaml, applied together with
 * "abac policy apply TOP LOWER".  The lower layer's deny restricts what
 * the top allows, its allow relaxes nothing, and the layered policy is
 * what abacd keeps: across a SIGKILL, from its pins when its state is
 * lost, and as "abac policy source", which applies again as it is.
 */
#include "kselftest_harness.h"
#include "vm_common.h"

#define EXAMPLES	"/abac/policy-examples"
#define TOP		EXAMPLES "/hospital.yaml"
#define LOWER		EXAMPLES "/hospital-billing-audit.yaml"
#define INVOICE		TEST_DIR "/invoice"
#define RECORD		TEST_DIR "/record"
#define DENY_RULE	"\"rule\":\"invoices-read-only-during-audit\""

FIXTURE(layers) {
	int unused;
};

FIXTURE_SETUP(layers)
{
	/* a fresh agent: tags other tests left would not fit this policy */
	vm_agent_kill9();
	vm_sh("rm -rf " AGENT_STATE);
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_sh("abac policy apply " TOP " " LOWER " >/dev/null"));
	ASSERT_EQ(0, vm_mkfile(INVOICE, "invoice\n", "type=invoice"));
	ASSERT_EQ(0, vm_mkfile(RECORD, "record\n",
			       "type=medical-record patient-condition=heart"));
	ASSERT_EQ(0, vm_tag("clerk", "role=billing-clerk department=billing"));
}

FIXTURE_TEARDOWN(layers)
{
	vm_untag("clerk");
}

/* The top layer alone would let the clerk write the invoice. */
static void expect_layered_decisions(struct __test_metadata *_metadata)
{
	/* the top layer's allow stands for reading */
	EXPECT_EQ(0, vm_probe_open("clerk", INVOICE, O_RDONLY));
	/* the lower layer's deny takes the top's allow to write away */
	EXPECT_EQ(EACCES, vm_probe_open("clerk", INVOICE, O_WRONLY));
	/* the lower layer's allow does not relax the top's deny */
	EXPECT_EQ(EACCES, vm_probe_open("clerk", RECORD, O_WRONLY));
	EXPECT_EQ(EACCES, vm_probe_open("clerk", RECORD, O_RDONLY));
}

/*
 * Every decision line of the log has an event id, and the last ones
 * (this test's among them; the log holds earlier programs' too) are
 * distinct.
 */
#define IDS_KEPT	64
static void expect_distinct_event_ids(struct __test_metadata *_metadata)
{
	static const char key[] = "\"event_id\":\"";
	char *log = vm_read_file(AGENT_LOG), *line, *save = NULL, *id;
	char seen[IDS_KEPT][48];
	int n = 0, i, j;
	size_t len;

	ASSERT_NE(NULL, log);
	for (line = strtok_r(log, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strstr(line, "\"decision\":\"deny\"") &&
		    !strstr(line, "\"decision\":\"audit\""))
			continue;
		id = strstr(line, key);
		EXPECT_NE(NULL, id) TH_LOG("no event id: %s", line);
		if (!id)
			continue;
		id += sizeof(key) - 1;
		len = strcspn(id, "\"");
		EXPECT_LT((size_t)2, len);
		EXPECT_GT(sizeof(seen[0]), len);
		if (len < 3 || len >= sizeof(seen[0]))
			continue;
		memcpy(seen[n % IDS_KEPT], id, len);
		seen[n++ % IDS_KEPT][len] = '\0';
	}
	EXPECT_LT(0, n);
	for (i = 0; i < n && i < IDS_KEPT; i++)
		for (j = i + 1; j < n && j < IDS_KEPT; j++)
			EXPECT_STRNE(seen[i], seen[j]);
	free(log);
}

TEST_F(layers, a_lower_layer_restricts_and_never_relaxes_in_the_kernel)
{
	/* the whole decoding: a shorter buffer would cut the pipe */
	char out[65536];

	/* the same clerk under the top layer alone may write */
	ASSERT_EQ(0, vm_sh("abac policy apply " TOP " >/dev/null"));
	EXPECT_EQ(0, vm_probe_open("clerk", INVOICE, O_WRONLY));
	ASSERT_EQ(0, vm_sh("abac policy apply " TOP " " LOWER " >/dev/null"));
	expect_layered_decisions(_metadata);
	/* the denial names the lower layer's rule and its sentence */
	EXPECT_TRUE(vm_log_has(DENY_RULE, "Nobody may update invoices",
			       10000));
	EXPECT_TRUE(vm_log_has(DENY_RULE, "\"event_id\":\"", 0));
	expect_distinct_event_ids(_metadata);
	/* abacd's plain form names the event by its id too */
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out),
			       "abac events | grep -F 'rule=invoices-read-only-during-audit'"));
	EXPECT_NE(NULL, strstr(out, "\" id=")) TH_LOG("%s", out);
	/*
	 * abacd's own log replays: the top layer alone would have let the
	 * clerk write the invoice the lower layer's rule refused, and the
	 * JSON names the event by its id.
	 */
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out),
			       "abac policy replay " TOP " --events " AGENT_LOG
			       " --limit 1000000 | grep -F ' " INVOICE " by '"));
	EXPECT_NE(NULL, strstr(out, "was deny by invoices-read-only-during-audit, now allow by billing-clerks-invoices"))
		TH_LOG("%s", out);
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out),
			       "abac -j policy replay " TOP " --events " AGENT_LOG
			       " --limit 1000000 | grep -o '\"event_id\":\"[0-9]*[.][0-9]*\",\"op\":\"[a-z]*\",\"path\":\"" INVOICE "\"'"));
	EXPECT_NE(NULL, strstr(out, "\"event_id\":\"")) TH_LOG("%s", out);
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac policy show --json"));
	EXPECT_NE(NULL, strstr(out, "\"layers\":[\"deny-overrides\",\"deny-overrides\"]"))
		TH_LOG("%s", out);
	/*
	 * who-can asks abacd for the layered policy in force and, with
	 * --live and --under, names the tagged cgroup and the labelled file
	 * it holds; the kernel agreed above (read the invoice, not write).
	 */
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out),
			       "abac policy who-can read --object type=invoice --live --under " TEST_DIR));
	EXPECT_NE(NULL, strstr(out, "billing-clerk  billing")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "(role=billing-clerk department=billing): billing-clerks-invoices"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, TEST_DIR "/invoice (type=invoice): billing-clerks-invoices"))
		TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "/record"));
	/* the lower layer takes writing away from everyone */
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out),
			       "abac policy who-can write --object type=invoice"));
	EXPECT_NE(NULL, strstr(out, "nobody")) TH_LOG("%s", out);
}

TEST_F(layers, the_layers_survive_a_sigkill_and_a_lost_state_directory)
{
	vm_agent_kill9();
	/* no agent: the kernel still enforces both layers */
	expect_layered_decisions(_metadata);
	ASSERT_LT(0, vm_agent_start());
	EXPECT_EQ(0, vm_sh("abac policy source | head -n 1 | grep -qx '#abac-layers: 2'"));
	expect_layered_decisions(_metadata);

	/* the state directory lost: rebuilt from the copy beside the pins */
	vm_agent_kill9();
	vm_sh("rm -rf " AGENT_STATE);
	ASSERT_LT(0, vm_agent_start());
	EXPECT_EQ(0, vm_sh("grep -qx '#abac-layers: 2' " AGENT_STATE "/policy.yaml"));
	EXPECT_EQ(0, vm_sh("abac policy source | grep -q '^#abac-layer: [0-9]* " LOWER "$'"));
	expect_layered_decisions(_metadata);
}

TEST_F(layers, the_source_abacd_keeps_applies_again_as_it_is)
{
	char before[4096], after[4096];

	ASSERT_EQ(0, vm_sh_out(before, sizeof(before),
			       "abac policy show --json | grep -o '\"content_hash\":\"[^\"]*\"'"));
	ASSERT_EQ(0, vm_sh("abac policy source > " TEST_DIR "/kept.yaml"));
	ASSERT_EQ(0, vm_sh("abac policy check " TEST_DIR "/kept.yaml | grep -q '2 layers'"));
	ASSERT_EQ(0, vm_sh("abac policy apply " TEST_DIR "/kept.yaml >/dev/null"));
	ASSERT_EQ(0, vm_sh_out(after, sizeof(after),
			       "abac policy show --json | grep -o '\"content_hash\":\"[^\"]*\"'"));
	EXPECT_STREQ(before, after);
	expect_layered_decisions(_metadata);
	/* a joined text is whole: it is no lower layer of anything */
	EXPECT_EQ(1, vm_sh("abac policy apply " TOP " " TEST_DIR "/kept.yaml 2>/dev/null"));
}

TEST_F(layers, a_bad_lower_layer_is_refused_and_the_layers_in_force_stay)
{
	char out[4096];

	ASSERT_EQ(0, vm_write_file(TEST_DIR "/typo.yaml",
		"version: 1\nname: typo\nrules:\n"
		"  - {id: t, nlp: \"Nobody reads invoices.\", effect: deny,"
		" ops: [read], object: {type: invoise}}\n"));
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac policy apply " TOP " "
			       TEST_DIR "/typo.yaml 2>&1; echo rc=$?"));
	EXPECT_NE(NULL, strstr(out, "typo.yaml:4:")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "did you mean 'invoice'?")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "rc=1")) TH_LOG("%s", out);
	expect_layered_decisions(_metadata);
}

TEST_HARNESS_MAIN
