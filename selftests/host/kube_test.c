// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kubernetes pods as subjects (tools/lib/kube.c): pod lists in the shapes
 * the kubelet's /pods (compact JSON, kind PodList) and "kubectl get pods
 * -o json" (indented, kind List, long annotations) give them, the
 * "abac.io/" labels and annotations turned into subject pairs that the
 * policy in force then checks, the kubelet's pod cgroup for both cgroup
 * drivers and every QoS class and back, and hostile lists: not JSON, no
 * UID, a UID that climbs out of the cgroup tree, aliases, duplicate keys.
 */
#include <stdarg.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "cli.h"
#include "common.h"
#include "kube.h"

#define UID_A	"0d7c1a52-7b1e-4f61-9d0e-3a2b1c4d5e6f"
#define UID_B	"9f8e7d6c-5b4a-4321-8fed-cba987654321"

/* What the kubelet's /pods endpoint prints: one line, no spaces. */
static const char kubelet_pods[] =
	"{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":["
	"{\"metadata\":{\"name\":\"ehr-nurse-7d9f\",\"namespace\":\"ward\","
	"\"uid\":\"" UID_A "\",\"labels\":{\"app\":\"ehr\","
	"\"abac.io/role\":\"nurse\",\"abac.io/department\":\"cardiology\"}},"
	"\"spec\":{\"nodeName\":\"node-1\",\"containers\":[{\"name\":\"c\","
	"\"image\":\"ehr:1\"}]},\"status\":{\"phase\":\"Running\","
	"\"qosClass\":\"Burstable\"}},"
	"{\"metadata\":{\"name\":\"billing-5c\",\"namespace\":\"office\","
	"\"uid\":\"" UID_B "\",\"labels\":{\"abac.io/role\":\"clerk\"}},"
	"\"spec\":{\"nodeName\":\"node-2\"},\"status\":{\"qosClass\":\"BestEffort\"}}"
	"]}";

static int parse(const char *text, struct abac_podlist *pl,
		 struct abac_diags *d)
{
	abac_diags_init(d);
	return abac_podlist_parse("pods.json", text, strlen(text), pl, d);
}

TEST(the_kubelets_compact_pod_list)
{
	struct abac_podlist pl;
	struct abac_diags d;

	ASSERT_EQ(0, parse(kubelet_pods, &pl, &d));
	ASSERT_EQ(2U, pl.n);
	EXPECT_STREQ("ward", pl.v[0].ns);
	EXPECT_STREQ("ehr-nurse-7d9f", pl.v[0].name);
	EXPECT_STREQ(UID_A, pl.v[0].uid);
	EXPECT_STREQ("node-1", pl.v[0].node);
	EXPECT_EQ((int)ABAC_KUBE_BURSTABLE, (int)pl.v[0].qos);
	EXPECT_STREQ("", pl.v[0].err);
	/* sorted by name; "app" is not an abac.io/ label */
	ASSERT_EQ(2U, pl.v[0].npairs);
	EXPECT_STREQ("department=cardiology", pl.v[0].pairs[0]);
	EXPECT_STREQ("role=nurse", pl.v[0].pairs[1]);
	EXPECT_STREQ("department=cardiology role=nurse", pl.v[0].tags);
	EXPECT_STREQ("node-2", pl.v[1].node);
	EXPECT_EQ((int)ABAC_KUBE_BESTEFFORT, (int)pl.v[1].qos);
	EXPECT_STREQ("role=clerk", pl.v[1].tags);
	EXPECT_FALSE(pl.v[0].ended);
	abac_podlist_free(&pl);
	abac_diags_free(&d);
	/* a pod whose containers are gone for good */
	ASSERT_EQ(0, parse("{\"items\":[{\"metadata\":{\"uid\":\"" UID_A "\"},"
			   "\"status\":{\"phase\":\"Succeeded\"}},"
			   "{\"metadata\":{\"uid\":\"" UID_B "\"},"
			   "\"status\":{\"phase\":\"Failed\"}}]}", &pl, &d));
	ASSERT_EQ(2U, pl.n);
	EXPECT_TRUE(pl.v[0].ended);
	EXPECT_TRUE(pl.v[1].ended);
	abac_podlist_free(&pl);
	abac_diags_free(&d);
}

TEST(kubectls_indented_list_with_a_long_annotation)
{
	char *text, *big;
	struct abac_podlist pl;
	struct abac_diags d;
	size_t i;

	/* last-applied-configuration holds a whole manifest: 20 KB here */
	big = malloc(20001);
	ASSERT_NE(NULL, big);
	for (i = 0; i < 20000; i++)
		big[i] = "abcdefgh"[i % 8];
	big[20000] = '\0';
	ASSERT_LT(0, asprintf(&text,
		"{\n"
		"    \"apiVersion\": \"v1\",\n"
		"    \"items\": [\n"
		"        {\n"
		"            \"apiVersion\": \"v1\",\n"
		"            \"kind\": \"Pod\",\n"
		"            \"metadata\": {\n"
		"                \"annotations\": {\n"
		"                    \"abac.io/vendor\": \"acme,globex\",\n"
		"                    \"abac.io/person\": \"Dr. Zo\\u00eb M\\u00fcller\\\\, Jr.\",\n"
		"                    \"kubectl.kubernetes.io/last-applied-configuration\": \"%s\"\n"
		"                },\n"
		"                \"labels\": {\n"
		"                    \"abac.io/role\": \"nurse-practitioner\"\n"
		"                },\n"
		"                \"name\": \"ehr\",\n"
		"                \"namespace\": \"default\",\n"
		"                \"uid\": \"" UID_A "\"\n"
		"            },\n"
		"            \"spec\": {\n"
		"                \"nodeName\": \"node-1\"\n"
		"            },\n"
		"            \"status\": {\n"
		"                \"qosClass\": \"Guaranteed\"\n"
		"            }\n"
		"        }\n"
		"    ],\n"
		"    \"kind\": \"List\",\n"
		"    \"metadata\": {\n"
		"        \"resourceVersion\": \"\"\n"
		"    }\n"
		"}\n", big));
	ASSERT_EQ(0, parse(text, &pl, &d));
	ASSERT_EQ(1U, pl.n);
	EXPECT_STREQ("", pl.v[0].err);
	EXPECT_EQ((int)ABAC_KUBE_GUARANTEED, (int)pl.v[0].qos);
	ASSERT_EQ(3U, pl.v[0].npairs);
	/* JSON's \u escapes are decoded; the value keeps its label escape */
	EXPECT_STREQ("person=Dr. Zoë Müller\\, Jr.", pl.v[0].pairs[0]);
	EXPECT_STREQ("role=nurse-practitioner", pl.v[0].pairs[1]);
	EXPECT_STREQ("vendor=acme,globex", pl.v[0].pairs[2]);
	/* a value holding a space is quoted as abacd quotes it */
	EXPECT_STREQ("person=\"Dr. Zoë Müller\\, Jr.\" role=nurse-practitioner vendor=acme,globex",
		     pl.v[0].tags);
	abac_podlist_free(&pl);
	abac_diags_free(&d);
	free(text);
	free(big);
}

/* What Go's encoding/json writes: \u escapes for <>&, numbers, booleans. */
TEST(json_escapes_numbers_and_booleans)
{
	struct abac_podlist pl;
	struct abac_diags d;

	ASSERT_EQ(0, parse("{\"kind\":\"PodList\",\"items\":[{\"metadata\":"
			   "{\"uid\":\"" UID_A "\",\"generation\":1,"
			   "\"annotations\":{\"abac.io/site\":\"a\\/b \\u003cx\\u003e \\u0026\"}},"
			   "\"spec\":{\"nodeName\":\"n\",\"hostNetwork\":false,"
			   "\"priority\":0,\"nodeSelector\":null},"
			   "\"status\":{\"containerStatuses\":[{\"ready\":true,"
			   "\"restartCount\":0}]}}]}", &pl, &d));
	ASSERT_EQ(1U, pl.n);
	EXPECT_STREQ("", pl.v[0].err);
	EXPECT_STREQ("site=a/b <x> &", pl.v[0].pairs[0]);
	abac_podlist_free(&pl);
	abac_diags_free(&d);
}

TEST(one_pod_and_an_empty_list)
{
	struct abac_podlist pl;
	struct abac_diags d;

	ASSERT_EQ(0, parse("{\"kind\":\"Pod\",\"metadata\":{\"uid\":\"" UID_B
			   "\"},\"spec\":{}}", &pl, &d));
	ASSERT_EQ(1U, pl.n);
	EXPECT_STREQ(UID_B, pl.v[0].uid);
	EXPECT_STREQ("", pl.v[0].node);
	EXPECT_EQ((int)ABAC_KUBE_QOS_UNKNOWN, (int)pl.v[0].qos);
	EXPECT_EQ(0U, pl.v[0].npairs);
	EXPECT_STREQ("", pl.v[0].tags);
	abac_podlist_free(&pl);
	abac_diags_free(&d);
	ASSERT_EQ(0, parse("{\"kind\":\"PodList\",\"items\":[]}", &pl, &d));
	EXPECT_EQ(0U, pl.n);
	abac_podlist_free(&pl);
	abac_diags_free(&d);
	ASSERT_EQ(0, parse("{\"kind\":\"PodList\",\"items\":null}", &pl, &d));
	EXPECT_EQ(0U, pl.n);
	abac_podlist_free(&pl);
	abac_diags_free(&d);
}

/* kubectl lists a static pod as its mirror, whose own UID names nothing. */
TEST(a_mirror_pod_is_found_by_its_static_pods_uid)
{
	struct abac_podlist pl;
	struct abac_diags d;

	ASSERT_EQ(0, parse("{\"items\":[{\"metadata\":{\"name\":\"etcd-node-1\","
			   "\"uid\":\"" UID_A "\",\"annotations\":{"
			   "\"kubernetes.io/config.hash\":\"6f9e0b2ad2b2a1c1c4d3e5f60718293a\","
			   "\"kubernetes.io/config.mirror\":\"6f9e0b2ad2b2a1c1c4d3e5f60718293a\","
			   "\"abac.io/role\":\"nurse\"}}},"
			   "{\"metadata\":{\"uid\":\"" UID_B "\",\"annotations\":{"
			   "\"kubernetes.io/config.mirror\":\"../x\"}}}]}", &pl, &d));
	ASSERT_EQ(2U, pl.n);
	EXPECT_STREQ("", pl.v[0].err);
	EXPECT_STREQ("6f9e0b2ad2b2a1c1c4d3e5f60718293a", pl.v[0].uid);
	EXPECT_NE(NULL, strstr(pl.v[1].err, "config.mirror '../x' is not a UID"))
		TH_LOG("%s", pl.v[1].err);
	abac_podlist_free(&pl);
	abac_diags_free(&d);
}

TEST(a_label_and_an_annotation_agree_or_the_pod_is_refused)
{
	struct abac_podlist pl;
	struct abac_diags d;

	ASSERT_EQ(0, parse("{\"items\":[{\"metadata\":{\"uid\":\"" UID_A "\","
			   "\"labels\":{\"abac.io/role\":\"nurse\"},"
			   "\"annotations\":{\"abac.io/role\":\"nurse\"}}},"
			   "{\"metadata\":{\"uid\":\"" UID_B "\","
			   "\"labels\":{\"abac.io/role\":\"nurse\"},"
			   "\"annotations\":{\"abac.io/role\":\"surgeon\"}}}]}",
			   &pl, &d));
	ASSERT_EQ(2U, pl.n);
	EXPECT_STREQ("", pl.v[0].err);
	EXPECT_STREQ("role=nurse", pl.v[0].tags);
	EXPECT_NE(NULL, strstr(pl.v[1].err, "given twice"));
	abac_podlist_free(&pl);
	abac_diags_free(&d);
}

/* Each bad pod is refused with its reason; the good one beside it stays. */
TEST(a_bad_pod_is_refused_alone)
{
	static const struct {
		const char *item, *why;
	} bad[] = {
		{ "{\"metadata\":{\"name\":\"x\"}}", "no metadata.uid" },
		{ "{\"metadata\":{\"uid\":\"../../system.slice\"}}", "not a UID" },
		{ "{\"metadata\":{\"uid\":\"" UID_A "/x\"}}", "not a UID" },
		{ "{\"metadata\":{\"uid\":\"\"}}", "not a UID" },
		{ "{\"metadata\":{\"uid\":{\"a\":1}}}", "wrong type" },
		{ "[1,2]", "not a mapping" },
		{ "{\"kind\":\"Service\",\"metadata\":{\"uid\":\"" UID_A "\"}}", "not Pod" },
		{ "{\"metadata\":{\"uid\":\"" UID_A "\"},\"status\":{\"qosClass\":\"Gold\"}}",
		  "none of Guaranteed" },
		{ "{\"metadata\":{\"uid\":\"" UID_A "\",\"labels\":{\"abac.io/\":\"x\"}}}",
		  "attribute name" },
		{ "{\"metadata\":{\"uid\":\"" UID_A "\",\"annotations\":{\"abac.io/a b\":\"x\"}}}",
		  "attribute name" },
		{ "{\"metadata\":{\"uid\":\"" UID_A "\",\"annotations\":{\"abac.io/role\":\"\"}}}",
		  "empty value" },
		{ "{\"metadata\":{\"uid\":\"" UID_A "\",\"annotations\":{\"abac.io/role\":\"a,,b\"}}}",
		  "empty value" },
		{ "{\"metadata\":{\"uid\":\"" UID_A "\",\"annotations\":{\"abac.io/role\":\"a;b\"}}}",
		  "\\;" },
		{ "{\"metadata\":{\"uid\":\"" UID_A "\",\"annotations\":{\"abac.io/role\":\"a\\u0007b\"}}}",
		  "abac.io/role" },
		{ "{\"metadata\":{\"uid\":\"" UID_A "\",\"labels\":{\"abac.io/role\":[\"a\"]}}}",
		  "not a string" },
		{ "{\"metadata\":{\"uid\":\"" UID_A "\",\"labels\":[\"abac.io/role\"]}}",
		  "not a mapping" },
	};
	struct abac_podlist pl;
	struct abac_diags d;
	char *text;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_LT(0, asprintf(&text,
			"{\"kind\":\"PodList\",\"items\":[%s,"
			"{\"metadata\":{\"uid\":\"" UID_B "\",\"labels\":{\"abac.io/role\":\"clerk\"}}}]}",
			bad[i].item));
		ASSERT_EQ(0, parse(text, &pl, &d)) TH_LOG("%s", bad[i].item);
		ASSERT_EQ(2U, pl.n);
		EXPECT_NE(NULL, strstr(pl.v[0].err, bad[i].why))
			TH_LOG("%s: '%s'", bad[i].item, pl.v[0].err);
		EXPECT_STREQ("", pl.v[1].err);
		EXPECT_STREQ("role=clerk", pl.v[1].tags);
		abac_podlist_free(&pl);
		abac_diags_free(&d);
		free(text);
	}
}

/* Text that is no pod list is refused whole, with its place. */
TEST(a_text_that_is_no_pod_list_is_refused_whole)
{
	static const struct {
		const char *text, *why;
		unsigned int line;
	} bad[] = {
		{ "{\"items\": [\n{\"metadata\": }\n", "not JSON", 3 },
		{ "{\"items\": [}", "not JSON", 1 },
		{ "[]", "expected a JSON object", 1 },
		{ "\"PodList\"", "expected a JSON object", 1 },
		{ "", "expected a JSON object", 1 },
		{ "{\"kind\":\"Deployment\",\"items\":[]}", "not PodList", 1 },
		{ "{\"kind\":\"PodList\"}", "no \"items\"", 1 },
		{ "{\"kind\":\"PodList\",\"items\":{}}", "not a list", 1 },
		{ "{\"items\":[],\n\"items\":[]}", "duplicate key 'items'", 2 },
		{ "{\"items\":[{\"metadata\":{\"uid\":\"a\",\"uid\":\"b\"}}]}",
		  "duplicate key 'uid'", 1 },
		{ "{\"items\": &a []}", "anchors", 1 },
		{ "{\"items\": [], \"x\": *a}", "aliases", 1 },
		{ "{\"items\":[]}\n---\n{\"items\":[]}", "one YAML document", 2 },
		{ "{\"items\":[]}\n{\"items\":[]}", "not JSON", 2 },
		{ "{\"items\":[\"\xff\"]}", "invalid UTF-8", 1 },
	};
	struct abac_podlist pl;
	struct abac_diags d;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, parse(bad[i].text, &pl, &d))
			TH_LOG("%s", bad[i].text);
		EXPECT_EQ(0U, pl.n);
		ASSERT_LE(1U, d.n) TH_LOG("%s", bad[i].text);
		EXPECT_NE(NULL, strstr(d.v[0].msg, bad[i].why))
			TH_LOG("%s: '%s'", bad[i].text, d.v[0].msg);
		EXPECT_EQ(bad[i].line, d.v[0].line) TH_LOG("%s", bad[i].text);
		EXPECT_STREQ("pods.json", d.v[0].file);
		abac_diags_free(&d);
	}
}

TEST(a_nul_byte_is_refused)
{
	static const char text[] = "{\"items\":[]}\0";
	struct abac_podlist pl;
	struct abac_diags d;

	abac_diags_init(&d);
	EXPECT_EQ(-EINVAL, abac_podlist_parse("pods.json", text,
					      sizeof(text) - 1, &pl, &d));
	ASSERT_LE(1U, d.n);
	EXPECT_NE(NULL, strstr(d.v[0].msg, "NUL"));
	abac_diags_free(&d);
}

TEST(nesting_too_deep_is_refused)
{
	char text[400];
	struct abac_podlist pl;
	struct abac_diags d;
	int i, n = 0;

	n += sprintf(text + n, "{\"items\":");
	for (i = 0; i < 100; i++)
		text[n++] = '[';
	for (i = 0; i < 100; i++)
		text[n++] = ']';
	text[n++] = '}';
	text[n] = '\0';
	EXPECT_EQ(-EINVAL, parse(text, &pl, &d));
	ASSERT_LE(1U, d.n);
	EXPECT_NE(NULL, strstr(d.v[0].msg, "nesting deeper"));
	abac_diags_free(&d);
}

/* The pairs go through the policy's subject schema, as abacd sends them. */
TEST(a_label_value_the_schema_refuses)
{
	static const char policy[] =
		"version: 1\n"
		"name: kube\n"
		"default: deny\n"
		"attributes:\n"
		"  subject:\n"
		"    role: {type: string, values: [nurse, clerk]}\n"
		"  object:\n"
		"    type: {type: string, values: [record]}\n"
		"rules:\n"
		"  - id: r\n"
		"    nlp: \"Nurses read records.\"\n"
		"    effect: allow\n"
		"    ops: [read]\n"
		"    subject: {role: nurse}\n"
		"    object: {type: record}\n";
	struct abac_policy *p = NULL;
	struct abac_podlist pl;
	struct abac_attrs attrs;
	struct abac_diags d, pd;

	abac_diags_init(&pd);
	ASSERT_EQ(0, t_parse(policy, &p, &pd));
	ASSERT_EQ(0, parse("{\"items\":["
			   "{\"metadata\":{\"uid\":\"" UID_A "\",\"labels\":{\"abac.io/role\":\"nurse\"}}},"
			   "{\"metadata\":{\"uid\":\"" UID_B "\",\"labels\":{\"abac.io/role\":\"surgeon\"}}},"
			   "{\"metadata\":{\"uid\":\"" UID_B "\",\"labels\":{\"abac.io/shift\":\"night\"}}}]}",
			   &pl, &d));
	ASSERT_EQ(3U, pl.n);
	abac_diags_free(&pd);
	abac_diags_init(&pd);
	EXPECT_EQ(0, abac_tags_resolve(p, pl.v[0].tags, &attrs, &pd));
	EXPECT_EQ(0U, pd.errors);
	abac_diags_free(&pd);
	abac_diags_init(&pd);
	abac_tags_resolve(p, pl.v[1].tags, &attrs, &pd);
	EXPECT_LE(1U, pd.errors);
	EXPECT_NE(NULL, t_diag(&pd, "surgeon"));
	abac_diags_free(&pd);
	abac_diags_init(&pd);
	abac_tags_resolve(p, pl.v[2].tags, &attrs, &pd);
	EXPECT_LE(1U, pd.errors);
	EXPECT_NE(NULL, t_diag(&pd, "shift"));
	abac_diags_free(&pd);
	abac_podlist_free(&pl);
	abac_diags_free(&d);
	abac_policy_free(p);
}

/* ---- the kubelet's cgroup layout ----------------------------------- */

TEST(pod_cgroups_of_both_drivers_and_every_qos_class)
{
	static const struct {
		enum abac_kube_driver drv;
		enum abac_kube_qos qos;
		const char *path;
	} v[] = {
		{ ABAC_KUBE_CGROUPFS, ABAC_KUBE_GUARANTEED,
		  "kubepods/pod" UID_A },
		{ ABAC_KUBE_CGROUPFS, ABAC_KUBE_BURSTABLE,
		  "kubepods/burstable/pod" UID_A },
		{ ABAC_KUBE_CGROUPFS, ABAC_KUBE_BESTEFFORT,
		  "kubepods/besteffort/pod" UID_A },
		{ ABAC_KUBE_SYSTEMD, ABAC_KUBE_GUARANTEED,
		  "kubepods.slice/kubepods-pod0d7c1a52_7b1e_4f61_9d0e_3a2b1c4d5e6f.slice" },
		{ ABAC_KUBE_SYSTEMD, ABAC_KUBE_BURSTABLE,
		  "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0d7c1a52_7b1e_4f61_9d0e_3a2b1c4d5e6f.slice" },
		{ ABAC_KUBE_SYSTEMD, ABAC_KUBE_BESTEFFORT,
		  "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0d7c1a52_7b1e_4f61_9d0e_3a2b1c4d5e6f.slice" },
	};
	char path[PATH_MAX], uid[ABAC_KUBE_UID_MAX];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		ASSERT_EQ(0, abac_kube_pod_cgroup(v[i].drv, v[i].qos, UID_A,
						  path, sizeof(path)));
		EXPECT_STREQ(v[i].path, path);
		/* and back: the UID with its '-' */
		ASSERT_EQ(0, abac_kube_cgroup_uid(v[i].drv, v[i].path, uid,
						  sizeof(uid)))
			TH_LOG("%s", v[i].path);
		EXPECT_STREQ(UID_A, uid);
		/* the other driver's layout is not a pod cgroup of this one */
		EXPECT_EQ(-ENOENT, abac_kube_cgroup_uid(!v[i].drv, v[i].path,
							uid, sizeof(uid)));
	}
}

TEST(what_is_not_a_pod_cgroup)
{
	static const struct {
		enum abac_kube_driver drv;
		const char *path;
	} v[] = {
		/* a container below the pod */
		{ ABAC_KUBE_CGROUPFS, "kubepods/burstable/pod" UID_A "/4f2c9e1d" },
		{ ABAC_KUBE_SYSTEMD, "kubepods.slice/kubepods-pod0d7c1a52_7b1e_4f61_9d0e_3a2b1c4d5e6f.slice/cri-containerd-4f2c.scope" },
		/* the QoS parents */
		{ ABAC_KUBE_CGROUPFS, "kubepods/burstable" },
		{ ABAC_KUBE_SYSTEMD, "kubepods.slice/kubepods-burstable.slice" },
		/* a pod name in the wrong place */
		{ ABAC_KUBE_CGROUPFS, "system.slice/pod" UID_A },
		{ ABAC_KUBE_CGROUPFS, "kubepods/guaranteed/pod" UID_A },
		{ ABAC_KUBE_SYSTEMD, "kubepods.slice/kubepods-besteffort.slice/kubepods-burstable-pod0d7c1a52_7b1e_4f61_9d0e_3a2b1c4d5e6f.slice" },
		/* no UID */
		{ ABAC_KUBE_CGROUPFS, "kubepods/pod" },
		{ ABAC_KUBE_CGROUPFS, "kubepods/podxyz" },
		{ ABAC_KUBE_SYSTEMD, "kubepods.slice/kubepods-pod.slice" },
	};
	char uid[ABAC_KUBE_UID_MAX];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++)
		EXPECT_EQ(-ENOENT, abac_kube_cgroup_uid(v[i].drv, v[i].path,
							uid, sizeof(uid)))
			TH_LOG("case %zu", i);
}

TEST(a_uid_that_is_none_gets_no_path)
{
	char path[PATH_MAX];

	EXPECT_EQ(-EINVAL, abac_kube_pod_cgroup(ABAC_KUBE_CGROUPFS,
						ABAC_KUBE_BURSTABLE, "../x",
						path, sizeof(path)));
	EXPECT_EQ(-EINVAL, abac_kube_pod_cgroup(ABAC_KUBE_SYSTEMD,
						ABAC_KUBE_QOS_UNKNOWN, UID_A,
						path, sizeof(path)));
	EXPECT_EQ(-ENAMETOOLONG, abac_kube_pod_cgroup(ABAC_KUBE_SYSTEMD,
						      ABAC_KUBE_BURSTABLE,
						      UID_A, path, 20));
}

/*
 * What abacd answers "subject-list --json" and "subject-bindings --json":
 * the cgroups with their tags, and for a binding its owner, which "abac
 * kube" reads to remove its own bindings and nobody else's.
 */
TEST(abacds_lists_of_tagged_and_bound_cgroups)
{
	static const char tagged[] =
		"[{\"cgroup\":\"/sys/fs/cgroup/kubepods/pod" UID_A "\","
		"\"cgroup_id\":7,\"level\":2,\"tags\":\"role=nurse\","
		"\"by\":\"path\",\"present\":true}]";
	static const char bound[] =
		"[{\"cgroup\":\"/sys/fs/cgroup/system.slice/ehr-*.service\","
		"\"owner\":\"policy\",\"tags\":\"role=ehr\",\"by_name\":true},"
		"{\"cgroup\":\"/sys/fs/cgroup/kubepods/besteffort/pod" UID_B "\","
		"\"owner\":\"kube\",\"tags\":\"role=clerk 'ward=a b'\","
		"\"by_name\":false}]";
	struct abac_kube_tagged *v;
	size_t n;

	ASSERT_EQ(0, abac_kube_tagged_parse(tagged, strlen(tagged), &v, &n));
	ASSERT_EQ(1U, n);
	EXPECT_STREQ("/sys/fs/cgroup/kubepods/pod" UID_A, v[0].path);
	EXPECT_STREQ("role=nurse", v[0].tags);
	EXPECT_EQ(NULL, v[0].owner);
	abac_kube_tagged_free(v, n);

	ASSERT_EQ(0, abac_kube_tagged_parse(bound, strlen(bound), &v, &n));
	ASSERT_EQ(2U, n);
	EXPECT_STREQ("policy", v[0].owner);
	EXPECT_STREQ("/sys/fs/cgroup/kubepods/besteffort/pod" UID_B, v[1].path);
	EXPECT_STREQ("kube", v[1].owner);
	EXPECT_STREQ("role=clerk 'ward=a b'", v[1].tags);
	abac_kube_tagged_free(v, n);

	/* an owner that is no string, a list that is none: refused whole */
	EXPECT_EQ(-EINVAL, abac_kube_tagged_parse("[{\"cgroup\":\"/a\",\"tags\":\"r=x\",\"owner\":[1]}]",
						  42, &v, &n));
	EXPECT_EQ(0U, n);
	EXPECT_EQ(-EINVAL, abac_kube_tagged_parse("{\"cgroup\":\"/a\"}", 15,
						  &v, &n));
	EXPECT_EQ(NULL, v);
}

/* ---- the manifests (scripts/kubernetes/) ---------------------------- */

#include <yaml.h>

static yaml_node_t *ynode_get(yaml_document_t *doc, yaml_node_t *map,
			      const char *key)
{
	yaml_node_pair_t *p;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);

		if (k && k->type == YAML_SCALAR_NODE &&
		    !strcmp((const char *)k->data.scalar.value, key))
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

/* The node at a dotted path of keys ("spec.template.spec"), or NULL. */
static yaml_node_t *ypath(yaml_document_t *doc, yaml_node_t *n,
			  const char *path)
{
	char buf[256], *key, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (key = strtok_r(buf, ".", &save); key && n;
	     key = strtok_r(NULL, ".", &save))
		n = ynode_get(doc, n, key);
	return n;
}

static const char *yscalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ?
	       (const char *)n->data.scalar.value : NULL;
}

/* Does some item of sequence @seq have @key equal to @val? */
static yaml_node_t *yfind(yaml_document_t *doc, yaml_node_t *seq,
			  const char *key, const char *val)
{
	yaml_node_item_t *i;

	if (!seq || seq->type != YAML_SEQUENCE_NODE)
		return NULL;
	for (i = seq->data.sequence.items.start;
	     i < seq->data.sequence.items.top; i++) {
		yaml_node_t *it = yaml_document_get_node(doc, *i);
		const char *v = yscalar(ynode_get(doc, it, key));

		if (v && !strcmp(v, val))
			return it;
	}
	return NULL;
}

/* Does sequence @seq hold the scalar @val? */
static bool yhas(yaml_document_t *doc, yaml_node_t *seq, const char *val)
{
	yaml_node_item_t *i;

	if (!seq || seq->type != YAML_SEQUENCE_NODE)
		return false;
	for (i = seq->data.sequence.items.start;
	     i < seq->data.sequence.items.top; i++) {
		const char *v = yscalar(yaml_document_get_node(doc, *i));

		if (v && !strcmp(v, val))
			return true;
	}
	return false;
}

static char *slurp(const char *rel)
{
	char path[PATH_MAX], *buf = NULL;
	size_t len;

	if (abac_read_file(t_src_path(rel, path, sizeof(path)), &buf, &len))
		return NULL;
	return buf;
}

TEST(the_daemonset_manifest_parses_and_holds_what_a_node_needs)
{
	static const char *const kinds[] = {
		"Namespace", "ServiceAccount", "ClusterRole",
		"ClusterRoleBinding", "ConfigMap", "DaemonSet",
	};
	static const char *const host_paths[] = {
		"/sys/fs/cgroup", "/sys/fs/bpf", "/sys/kernel/security",
		"/var/lib/abac",
	};
	bool seen[ARRAY_SIZE(kinds)] = { false };
	char *text = slurp("scripts/kubernetes/abac.yaml");
	struct abac_policy *pol = NULL;
	yaml_parser_t yp;
	yaml_document_t doc;
	struct abac_diags d;
	int docs = 0;
	size_t i;

	ASSERT_NE(NULL, text);
	EXPECT_EQ(0, strncmp(text, "# SPDX-License-Identifier: GPL-2.0-only\n", 40));
	ASSERT_TRUE(yaml_parser_initialize(&yp));
	yaml_parser_set_input_string(&yp, (const unsigned char *)text,
				     strlen(text));
	for (;;) {
		yaml_node_t *root, *spec, *ctrs, *vols, *watch, *n;
		const char *kind;

		ASSERT_TRUE(yaml_parser_load(&yp, &doc))
			TH_LOG("YAML error at line %zu: %s",
			       yp.problem_mark.line + 1,
			       yp.problem ? yp.problem : "?");
		root = yaml_document_get_root_node(&doc);
		if (!root) {
			yaml_document_delete(&doc);
			break;
		}
		docs++;
		kind = yscalar(ynode_get(&doc, root, "kind"));
		ASSERT_NE(NULL, kind);
		EXPECT_NE(NULL, yscalar(ynode_get(&doc, root, "apiVersion")));
		EXPECT_NE(NULL, yscalar(ypath(&doc, root, "metadata.name")));
		for (i = 0; i < ARRAY_SIZE(kinds); i++)
			if (!strcmp(kind, kinds[i]))
				seen[i] = true;
		if (!strcmp(kind, "ConfigMap")) {
			/* the policy it carries is one abac accepts */
			const char *p = yscalar(ynode_get(&doc,
				ynode_get(&doc, root, "data"), "policy.yaml"));

			ASSERT_NE(NULL, p);
			abac_diags_init(&d);
			EXPECT_EQ(0, abac_policy_parse_buf("policy.yaml", p,
							   strlen(p), &pol,
							   &d));
			EXPECT_EQ(0U, d.errors);
			abac_diags_free(&d);
		}
		if (!strcmp(kind, "ClusterRole")) {
			n = ynode_get(&doc, root, "rules");
			ASSERT_NE(NULL, n);
			ASSERT_EQ((int)YAML_SEQUENCE_NODE, (int)n->type);
			n = yaml_document_get_node(&doc,
						   *n->data.sequence.items.start);
			EXPECT_TRUE(yhas(&doc, ynode_get(&doc, n, "resources"),
					 "pods"));
			EXPECT_TRUE(yhas(&doc, ynode_get(&doc, n, "verbs"),
					 "list"));
			EXPECT_FALSE(yhas(&doc, ynode_get(&doc, n, "verbs"),
					  "update"));
		}
		if (!strcmp(kind, "DaemonSet")) {
			spec = ypath(&doc, root, "spec.template.spec");
			ASSERT_NE(NULL, spec);
			ctrs = ynode_get(&doc, spec, "containers");
			vols = ynode_get(&doc, spec, "volumes");
			for (i = 0; i < ARRAY_SIZE(host_paths); i++) {
				bool found = false;
				yaml_node_item_t *it;

				ASSERT_NE(NULL, vols);
				for (it = vols->data.sequence.items.start;
				     it < vols->data.sequence.items.top; it++) {
					const char *hp = yscalar(ypath(&doc,
						yaml_document_get_node(&doc, *it),
						"hostPath.path"));

					found |= hp && !strcmp(hp, host_paths[i]);
				}
				EXPECT_TRUE(found) TH_LOG("host path %zu", i);
			}
			n = yfind(&doc, ctrs, "name", "abacd");
			ASSERT_NE(NULL, n);
			EXPECT_STREQ("true", yscalar(ypath(&doc, n,
				"securityContext.privileged")));
			EXPECT_TRUE(yhas(&doc, ynode_get(&doc, n, "command"),
					 "/etc/abac/policy.yaml"));
			watch = yfind(&doc, ctrs, "name", "watch");
			ASSERT_NE(NULL, watch);
			n = ynode_get(&doc, watch, "command");
			EXPECT_TRUE(yhas(&doc, n, "kube"));
			EXPECT_TRUE(yhas(&doc, n, "watch"));
			EXPECT_TRUE(yhas(&doc, n, "--pods"));
			EXPECT_TRUE(yhas(&doc, n, "$(NODE_NAME)"));
			/* the agent's own pod carries no abac.io/ label */
			EXPECT_EQ(NULL, strstr(text, "\n        abac.io/"));
		}
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&yp);
	EXPECT_EQ(6, docs);
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		EXPECT_TRUE(seen[i]) TH_LOG("kind %zu missing", i);

	/* the example pods' labels are attributes that policy knows */
	if (pol) {
		char *ex = slurp("scripts/kubernetes/example-pods.yaml");
		struct abac_podlist pl;
		struct abac_attrs attrs;
		struct abac_diags pd;

		ASSERT_NE(NULL, ex);
		abac_diags_init(&d);
		ASSERT_EQ(0, abac_podlist_parse("example-pods.yaml", ex,
						strlen(ex), &pl, &d));
		ASSERT_EQ(2U, pl.n);
		for (i = 0; i < pl.n; i++) {
			/* the API server gives the UID */
			EXPECT_STREQ("no metadata.uid", pl.v[i].err);
			ASSERT_NE(NULL, pl.v[i].tags);
			abac_diags_init(&pd);
			EXPECT_EQ(0, abac_tags_resolve(pol, pl.v[i].tags,
						       &attrs, &pd))
				TH_LOG("%s", pl.v[i].tags);
			EXPECT_EQ(0U, pd.errors);
			abac_diags_free(&pd);
		}
		EXPECT_STREQ("department=cardiology role=nurse-practitioner",
			     pl.v[0].tags);
		EXPECT_STREQ("department=billing role=billing-clerk",
			     pl.v[1].tags);
		abac_podlist_free(&pl);
		abac_diags_free(&d);
		free(ex);
		abac_policy_free(pol);
	}
	free(text);
}

/* ---- abac kube, up to where it needs abacd --------------------------- */

static int kube_cli(char *out, char *err, size_t sz, ...)
{
	char cli[PATH_MAX], *argv[32];
	va_list ap;
	int n = 0;

	if (!cli_path(cli, sizeof(cli)))
		return -1;
	argv[n++] = "abac";
	argv[n++] = "--socket";
	argv[n++] = "/nonexistent/abacd.sock";
	argv[n++] = "kube";
	va_start(ap, sz);
	while (n < 31 && (argv[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	return run_cli(cli, argv, out, err, sz);
}

TEST(kube_sync_says_what_it_cannot_use)
{
	char dir[] = "/tmp/abac-kube-XXXXXX", pods[64], bad[64], sub[96];
	char out[4096], err[4096];
	FILE *f;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(pods, sizeof(pods), "%s/pods.json", dir);
	snprintf(bad, sizeof(bad), "%s/bad.json", dir);
	f = fopen(pods, "w");
	ASSERT_NE(NULL, f);
	fputs(kubelet_pods, f);
	fclose(f);
	f = fopen(bad, "w");
	ASSERT_NE(NULL, f);
	fputs("{\"kind\": \"PodList\",\n \"items\": [}\n", f);
	fclose(f);

	/* misuse */
	EXPECT_EQ(2, kube_cli(out, err, sizeof(out), "sync", NULL));
	EXPECT_NE(NULL, strstr(err, "--pods FILE is required")) TH_LOG("%s", err);
	EXPECT_EQ(2, kube_cli(out, err, sizeof(out), "sync", "--pods", pods,
			      "--cgroup-driver", "openrc", NULL));
	EXPECT_NE(NULL, strstr(err, "cgroupfs or systemd")) TH_LOG("%s", err);
	EXPECT_EQ(2, kube_cli(out, err, sizeof(out), "sync", "--pods", pods,
			      "extra", NULL));
	EXPECT_EQ(2, kube_cli(out, err, sizeof(out), "sync", "--pods", pods,
			      "--interval", "5", NULL));
	EXPECT_EQ(2, kube_cli(out, err, sizeof(out), "watch", "--pods", pods,
			      "--interval", "0", NULL));
	EXPECT_NE(NULL, strstr(err, "1 to 86400")) TH_LOG("%s", err);

	/* a list that is none: its place, before anything else is done */
	EXPECT_EQ(1, kube_cli(out, err, sizeof(out), "sync", "--pods", bad,
			      "--cgroup-root", dir, NULL));
	snprintf(sub, sizeof(sub), "%s:2:", bad);
	EXPECT_NE(NULL, strstr(err, sub)) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "not JSON")) TH_LOG("%s", err);
	EXPECT_EQ(NULL, strstr(err, "abacd")) TH_LOG("%s", err);

	/* no kubelet tree, then two */
	EXPECT_EQ(1, kube_cli(out, err, sizeof(out), "sync", "--pods", pods,
			      "--cgroup-root", dir, NULL));
	EXPECT_NE(NULL, strstr(err, "no kubepods or kubepods.slice cgroup under"))
		TH_LOG("%s", err);
	snprintf(sub, sizeof(sub), "%s/kubepods", dir);
	ASSERT_EQ(0, mkdir(sub, 0755));
	snprintf(sub, sizeof(sub), "%s/kubepods.slice", dir);
	ASSERT_EQ(0, mkdir(sub, 0755));
	EXPECT_EQ(1, kube_cli(out, err, sizeof(out), "sync", "--pods", pods,
			      "--cgroup-root", dir, NULL));
	EXPECT_NE(NULL, strstr(err, "give --cgroup-driver")) TH_LOG("%s", err);
	/* told the driver, it goes on to ask abacd */
	EXPECT_EQ(1, kube_cli(out, err, sizeof(out), "sync", "--pods", pods,
			      "--cgroup-root", dir, "--cgroup-driver",
			      "systemd", NULL));
	EXPECT_NE(NULL, strstr(err, "cannot reach abacd")) TH_LOG("%s", err);
	EXPECT_EQ(1, kube_cli(out, err, sizeof(out), "sync", "--pods", pods,
			      "--cgroup-root", "/nonexistent/cg", NULL));
	EXPECT_NE(NULL, strstr(err, "/nonexistent/cg")) TH_LOG("%s", err);

	rmdir(sub);
	snprintf(sub, sizeof(sub), "%s/kubepods", dir);
	rmdir(sub);
	unlink(pods);
	unlink(bad);
	rmdir(dir);
}

TEST_HARNESS_MAIN
