// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kubernetes pods tagged by their labels, on the real hooks in the guest.
 * Each test builds a kubelet-style cgroup tree (cgroupfs or systemd
 * driver, pods of several QoS classes, a container cgroup below each pod)
 * under the test cgroup root, writes a pod list as the kubelet's /pods
 * endpoint prints it, and runs "abac kube sync" or "abac kube watch".  A
 * process in each pod's container cgroup is then decided by its own pod's
 * labels: the nurse's pod may read the record, the clerk's may not.  A pod
 * created after the policy and the watcher is tagged when its cgroup or
 * its list entry appears, whichever comes last; a pod that goes away is
 * untagged; a label value the policy refuses is reported for that pod
 * alone.
 */
#include <sched.h>
#include <sys/mount.h>

#include "kselftest_harness.h"
#include "vm_common.h"
#include "libabac.h"

static const char kube_policy[] =
	"version: 1\n"
	"name: vm-kube\n"
	"mode: enforce\n"
	"default: deny\n"
	"attributes:\n"
	"  subject:\n"
	"    role: {type: string, values: [nurse, clerk]}\n"
	"  object:\n"
	"    type: {type: string, values: [record]}\n"
	"rules:\n"
	"  - id: nurses-read-records\n"
	"    nlp: \"Nurses may read medical records.\"\n"
	"    effect: allow\n"
	"    ops: [read]\n"
	"    subject: {role: nurse}\n"
	"    object: {type: record}\n";

#define UID_N	"0d7c1a52-7b1e-4f61-9d0e-3a2b1c4d5e6f"	/* nurse */
#define UID_C	"9f8e7d6c-5b4a-4321-8fed-cba987654321"	/* clerk */
#define UID_L	"5a5a5a5a-1111-4222-8333-444455556666"	/* later */
#define UID_M	"6b6b6b6b-1111-4222-8333-444455556666"	/* later still */

#define PODS	TEST_DIR "/pods.json"
#define RECORD	TEST_DIR "/chart.txt"
#define KUBE	"abac kube sync --pods " PODS " --node node-1 --cgroup-root " TEST_CG_ROOT

/* The cgroupfs driver's places, relative to TEST_CG_ROOT. */
#define FS_N	"kubepods/burstable/pod" UID_N
#define FS_C	"kubepods/besteffort/pod" UID_C
#define FS_L	"kubepods/pod" UID_L
#define FS_M	"kubepods/burstable/pod" UID_M
/* The systemd driver's. */
#define SD_N	"kubepods.slice/kubepods-pod0d7c1a52_7b1e_4f61_9d0e_3a2b1c4d5e6f.slice"
#define SD_C	"kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod9f8e7d6c_5b4a_4321_8fed_cba987654321.slice"
#define SD_M	"kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod6b6b6b6b_1111_4222_8333_444455556666.slice"

/* One pod as the kubelet's /pods lists it. */
static int pod_json(char *buf, size_t sz, const char *name, const char *uid,
		    const char *qos, const char *role)
{
	return snprintf(buf, sz,
			"{\"metadata\":{\"name\":\"%s\",\"namespace\":\"ward\","
			"\"uid\":\"%s\",\"labels\":{\"app\":\"ehr\"%s%s%s}},"
			"\"spec\":{\"nodeName\":\"node-1\",\"containers\":[{\"name\":\"c\"}]},"
			"\"status\":{\"phase\":\"Running\"%s%s%s}}",
			name, uid, role ? ",\"abac.io/role\":\"" : "",
			role ? role : "", role ? "\"" : "",
			qos ? ",\"qosClass\":\"" : "", qos ? qos : "",
			qos ? "\"" : "");
}

/*
 * Write the pod list from NULL-ended (name, uid, qos, role) quadruples, as
 * a writer that renames a finished file into place does.
 */
static int write_pods(const char *first, ...)
{
	char text[8192], pod[1024];
	const char *name, *uid, *qos, *role;
	size_t n;
	va_list ap;

	n = snprintf(text, sizeof(text),
		     "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":[");
	va_start(ap, first);
	for (name = first; name; name = va_arg(ap, const char *)) {
		uid = va_arg(ap, const char *);
		qos = va_arg(ap, const char *);
		role = va_arg(ap, const char *);
		pod_json(pod, sizeof(pod), name, uid, qos, role);
		n += snprintf(text + n, sizeof(text) - n, "%s%s",
			      text[n - 1] == '[' ? "" : ",", pod);
	}
	va_end(ap);
	snprintf(text + n, sizeof(text) - n, "]}\n");
	if (vm_write_file(PODS ".tmp", text))
		return -1;
	return rename(PODS ".tmp", PODS) ? -errno : 0;
}

/* A pod's cgroup and its container's, "ctr" below it, parents first. */
static int mkpod(const char *pod)
{
	char path[512];
	size_t i, n;

	n = snprintf(path, sizeof(path), TEST_CG_ROOT "/%s/ctr", pod);
	for (i = strlen(TEST_CG_ROOT) + 1; i <= n; i++) {
		if (path[i] != '/' && path[i])
			continue;
		path[i] = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return -errno;
		if (i < n)
			path[i] = '/';
	}
	return 0;
}

/* Is @cg (relative to TEST_CG_ROOT) tagged, per abacd's list? */
static bool is_tagged(const char *cg, const char *tags)
{
	char out[16384], want[PATH_MAX + 64];

	if (vm_sh_out(out, sizeof(out), "abac subject list"))
		return false;
	snprintf(want, sizeof(want), TEST_CG_ROOT "/%s ", cg);
	return strstr(out, want) && (!tags || strstr(strstr(out, want), tags));
}

static bool wait_tagged(const char *cg, const char *tags, bool tagged)
{
	int i;

	for (i = 0; i < 300; i++) {	/* 30 s: TCG is slow */
		if (is_tagged(cg, tags) == tagged)
			return true;
		vm_msleep(100);
	}
	return false;
}

/* Open the record from a fresh process in pod @pod's container. */
static int open_from(const char *pod)
{
	char cg[512];

	snprintf(cg, sizeof(cg), "%s/ctr", pod);
	return vm_probe_open(cg, RECORD, O_RDONLY);
}

#define STOP_ABACD	"kill -STOP $(pidof abacd)"
#define CONT_ABACD	"kill -CONT $(pidof abacd)"

FIXTURE(kube) {
	pid_t watcher;
};

FIXTURE_SETUP(kube)
{
	self->watcher = 0;
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_apply("kube", kube_policy));
	ASSERT_EQ(0, vm_mkfile(RECORD, "ecg\n", "type=record"));
}

FIXTURE_TEARDOWN(kube)
{
	if (self->watcher > 0) {
		kill(self->watcher, SIGTERM);
		waitpid(self->watcher, NULL, 0);
	}
	vm_sh(CONT_ABACD " 2>/dev/null");
	vm_sh("abac subject bindings 2>/dev/null | awk 'NR > 1 && $2 != \"policy\" { print $1 }' | "
	      "while read -r c; do abac subject unbind \"$c\"; done >/dev/null 2>&1");
	/* the tags of the pods, so that the next test's policy is free */
	vm_sh("abac subject list | awk '$1 ~ \"^" TEST_CG_ROOT "/kubepods\" { print $1 }' | "
	      "while read -r c; do abac subject untag \"$c\"; done >/dev/null 2>&1");
}

TEST_F(kube, cgroupfs_pods_are_decided_by_their_own_labels)
{
	char out[4096];

	ASSERT_EQ(0, mkpod(FS_N));
	ASSERT_EQ(0, mkpod(FS_C));
	ASSERT_EQ(0, write_pods("ehr-nurse", UID_N, "Burstable", "nurse",
				"billing", UID_C, "BestEffort", "clerk",
				NULL));
	/* untagged, no pod is decided: both read */
	EXPECT_EQ(0, open_from(FS_N));
	EXPECT_EQ(0, open_from(FS_C));
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), KUBE)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "tagged pod ward/ehr-nurse (" FS_N "): role=nurse"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "2 tagged, 0 untagged, 0 unchanged"))
		TH_LOG("%s", out);
	EXPECT_TRUE(is_tagged(FS_N, "role=nurse"));
	EXPECT_TRUE(is_tagged(FS_C, "role=clerk"));
	/* the container's process is decided by its pod's tags */
	EXPECT_EQ(0, open_from(FS_N));
	EXPECT_EQ(EACCES, open_from(FS_C));
	EXPECT_TRUE(vm_log_has("\"path\":\"" RECORD "\"", "role=clerk", 10000));
	/* a second pass changes nothing; --json says so in an object */
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), KUBE " --json")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "{\"event\":\"pass\",\"node\":\"node-1\",\"tagged\":0,\"untagged\":0,\"unchanged\":2,\"waiting\":0,\"failed\":0,\"bound\":0,\"unbound\":0}\n"))
		TH_LOG("%s", out);
	/* the clerk's pod ended (a Job done): its cgroup is untagged */
	ASSERT_EQ(0, vm_sh("sed -i 's/\"Running\",\"qosClass\":\"BestEffort\"/"
			   "\"Succeeded\",\"qosClass\":\"BestEffort\"/' " PODS));
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), KUBE " --json")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "{\"event\":\"untagged\",\"cgroup\":\"" FS_C "\",\"why\":\"the pod has ended\"}\n"))
		TH_LOG("%s", out);
	EXPECT_FALSE(is_tagged(FS_C, NULL));
	EXPECT_TRUE(is_tagged(FS_N, "role=nurse"));
}

TEST_F(kube, systemd_driver_pods_and_a_relabelled_pod)
{
	char out[4096];

	ASSERT_EQ(0, mkpod(SD_N));
	ASSERT_EQ(0, mkpod(SD_C));
	ASSERT_EQ(0, write_pods("ehr-nurse", UID_N, "Guaranteed", "nurse",
				"billing", UID_C, "Burstable", "clerk", NULL));
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), KUBE)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "2 tagged")) TH_LOG("%s", out);
	EXPECT_EQ(0, open_from(SD_N));
	EXPECT_EQ(EACCES, open_from(SD_C));
	/* the clerk's pod relabelled nurse; the nurse's loses its label */
	ASSERT_EQ(0, write_pods("ehr-nurse", UID_N, "Guaranteed", NULL,
				"billing", UID_C, "Burstable", "nurse", NULL));
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), KUBE)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "1 tagged, 1 untagged")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "untagged pod cgroup " SD_N " (the pod has no abac.io/ keys)"))
		TH_LOG("%s", out);
	EXPECT_FALSE(is_tagged(SD_N, NULL));
	EXPECT_EQ(0, open_from(SD_C));
	/* a pod whose status names no QoS class yet is looked for in all */
	ASSERT_EQ(0, mkpod(SD_M));
	ASSERT_EQ(0, write_pods("ehr-nurse", UID_N, "Guaranteed", NULL,
				"billing", UID_C, "Burstable", "nurse",
				"new", UID_M, NULL, "clerk", NULL));
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), KUBE)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "tagged pod ward/new (" SD_M "): role=clerk"))
		TH_LOG("%s", out);
	EXPECT_EQ(EACCES, open_from(SD_M));
}

TEST_F(kube, a_value_the_policy_refuses_fails_that_pod_alone)
{
	char out[4096];

	ASSERT_EQ(0, mkpod(FS_N));
	ASSERT_EQ(0, mkpod(FS_C));
	ASSERT_EQ(0, write_pods("ehr-nurse", UID_N, "Burstable", "nurse",
				"billing", UID_C, "BestEffort", "surgeon",
				NULL));
	EXPECT_EQ(1, vm_sh_out(out, sizeof(out), KUBE)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "Failed to tag pod ward/billing"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "surgeon")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "1 tagged, 0 untagged, 0 unchanged, 0 waiting for their cgroup, 1 failed"))
		TH_LOG("%s", out);
	EXPECT_TRUE(is_tagged(FS_N, "role=nurse"));
	EXPECT_FALSE(is_tagged(FS_C, NULL));
	/* a list that is no pod list changes nothing */
	ASSERT_EQ(0, vm_write_file(PODS, "{\"kind\":\"PodList\",\"items\":[\n"));
	EXPECT_EQ(1, vm_sh_out(out, sizeof(out), KUBE)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, PODS ":")) TH_LOG("%s", out);
	EXPECT_TRUE(is_tagged(FS_N, "role=nurse"));
	EXPECT_EQ(0, open_from(FS_N));
}

TEST_F(kube, the_watcher_tags_pods_created_after_it_and_untags_pods_gone)
{
	char log[PATH_MAX], *text;

	ASSERT_EQ(0, mkpod(FS_N));
	ASSERT_EQ(0, write_pods("ehr-nurse", UID_N, "Burstable", "nurse",
				NULL));
	snprintf(log, sizeof(log), TEST_DIR "/watch.log");
	self->watcher = fork();
	ASSERT_LE(0, self->watcher);
	if (!self->watcher) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(fd, 1);
		dup2(fd, 2);
		/* the interval is long: only inotify can explain a quick tag */
		execlp("abac", "abac", "kube", "watch", "--pods", PODS,
		       "--node", "node-1", "--cgroup-root", TEST_CG_ROOT,
		       "--interval", "3600", (char *)NULL);
		_exit(127);
	}
	ASSERT_TRUE(wait_tagged(FS_N, "role=nurse", true));

	/* a pod listed first, its cgroup made later: the tree's event */
	ASSERT_EQ(0, write_pods("ehr-nurse", UID_N, "Burstable", "nurse",
				"late-clerk", UID_L, "Guaranteed", "clerk",
				NULL));
	vm_msleep(1500);
	EXPECT_FALSE(is_tagged(FS_L, NULL));
	ASSERT_EQ(0, mkpod(FS_L));
	EXPECT_TRUE(wait_tagged(FS_L, "role=clerk", true));
	EXPECT_EQ(EACCES, open_from(FS_L));

	/* a cgroup made first, its pod listed later: the file's event */
	ASSERT_EQ(0, mkpod(FS_M));
	ASSERT_EQ(0, write_pods("ehr-nurse", UID_N, "Burstable", "nurse",
				"late-clerk", UID_L, "Guaranteed", "clerk",
				"late-nurse", UID_M, "Burstable", "nurse",
				NULL));
	EXPECT_TRUE(wait_tagged(FS_M, "role=nurse", true));
	EXPECT_EQ(0, open_from(FS_M));

	/* the clerk's pod deleted: off the list, its cgroups removed */
	ASSERT_EQ(0, write_pods("ehr-nurse", UID_N, "Burstable", "nurse",
				"late-nurse", UID_M, "Burstable", "nurse",
				NULL));
	EXPECT_EQ(0, rmdir(TEST_CG_ROOT "/" FS_L "/ctr"));
	EXPECT_EQ(0, rmdir(TEST_CG_ROOT "/" FS_L));
	EXPECT_TRUE(wait_tagged(FS_L, NULL, false));
	EXPECT_TRUE(is_tagged(FS_N, "role=nurse"));
	EXPECT_TRUE(is_tagged(FS_M, "role=nurse"));
	EXPECT_EQ(0, open_from(FS_N));

	text = vm_read_file(log);
	ASSERT_NE(NULL, text);
	/*
	 * listed before its cgroup, below a QoS cgroup that exists: bound
	 * ahead, so that the kernel decides it from its first instruction;
	 * then tagged by id by abacd's watch or by this one, whichever saw
	 * the cgroup first (wait_tagged() above), and unbound when gone
	 */
	EXPECT_NE(NULL, strstr(text, "bound pod ward/late-clerk (" FS_L ") before its cgroup: role=clerk"))
		TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "unbound pod cgroup " FS_L " (no such pod on this node)"))
		TH_LOG("%s", text);
	free(text);
}

/*
 * What a runtime (runc, crun) does in the container's cgroup before the
 * entrypoint runs: new namespaces, then mounts in them.
 */
static int container_setup(const void *arg)
{
	if (unshare(CLONE_NEWNS))
		return errno;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return errno;
	return vm_rc(mount("tmpfs", TEST_DIR, "tmpfs", 0, NULL));
}

/*
 * The API's mirror of a static pod: its own metadata.uid (UID_M), its
 * cgroup named by the static pod's UID (UID_N, in the annotation).
 */
static int write_static(const char *mirror)
{
	char text[2048];

	snprintf(text, sizeof(text),
		 "{\"kind\":\"PodList\",\"items\":[{\"metadata\":{"
		 "\"name\":\"etcd-node-1\",\"namespace\":\"kube-system\","
		 "\"uid\":\"" UID_M "\",\"annotations\":{"
		 "\"kubernetes.io/config.mirror\":\"%s\"},"
		 "\"labels\":{\"abac.io/role\":\"nurse\"}},"
		 "\"spec\":{\"nodeName\":\"node-1\"},"
		 "\"status\":{\"phase\":\"Running\",\"qosClass\":\"Burstable\"}}]}\n",
		 mirror);
	if (vm_write_file(PODS ".tmp", text))
		return -1;
	return rename(PODS ".tmp", PODS) ? -errno : 0;
}

/*
 * A static pod whose mirror's annotation turns bad names no cgroup: the
 * cgroup it had is not untagged on the guess that it is nobody's.
 */
TEST_F(kube, a_static_pods_cgroup_is_not_untagged_on_a_guess)
{
	char out[4096];

	ASSERT_EQ(0, mkpod(FS_N));
	ASSERT_EQ(0, write_static(UID_N));
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), KUBE)) TH_LOG("%s", out);
	EXPECT_TRUE(is_tagged(FS_N, "role=nurse")) TH_LOG("%s", out);
	ASSERT_EQ(0, write_static("not a uid"));
	EXPECT_EQ(1, vm_sh_out(out, sizeof(out), KUBE " 2>&1"));
	EXPECT_NE(NULL, strstr(out, "Failed to untag pod cgroup " FS_N ": it may be static pod kube-system/etcd-node-1's"))
		TH_LOG("%s", out);
	EXPECT_TRUE(is_tagged(FS_N, "role=nurse"));
	/* mended: as it was */
	ASSERT_EQ(0, write_static(UID_N));
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), KUBE)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "0 tagged, 0 untagged, 1 unchanged"))
		TH_LOG("%s", out);
}

/*
 * abac's tamper guard refuses a tagged subject new namespaces and mounts,
 * so a runtime can set up no container (nor "kubectl exec" into one) in a
 * pod cgroup once it is tagged, unless the policy grants the pod's subject
 * "setup" (kube_policy does not; setup_test.c has the grant).
 */
TEST_F(kube, a_runtime_cannot_set_up_a_container_in_a_tagged_pod)
{
	char out[4096], cg[512];

	ASSERT_EQ(0, mkpod(FS_N));
	ASSERT_EQ(0, mkpod(FS_C));
	/* the clerk's pod has no abac.io/ label: it stays untagged */
	ASSERT_EQ(0, write_pods("ehr-nurse", UID_N, "Burstable", "nurse",
				"billing", UID_C, "BestEffort", NULL, NULL));
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), KUBE)) TH_LOG("%s", out);
	ASSERT_TRUE(is_tagged(FS_N, "role=nurse"));
	snprintf(cg, sizeof(cg), "%s/ctr", FS_C);
	EXPECT_EQ(0, vm_in_cg(cg, container_setup, NULL));
	snprintf(cg, sizeof(cg), "%s/ctr", FS_N);
	EXPECT_EQ(EPERM, vm_in_cg(cg, container_setup, NULL));
	EXPECT_TRUE(vm_log_has("\"reason\":\"guard\"", "role=nurse", 10000));
}

/* Start a process in @cg (relative to TEST_CG_ROOT) that opens @file. */
static int first_open(const char *cg, const char *file)
{
	char procs[PATH_MAX];
	pid_t pid;
	int fd;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		/* moved in, then at once its first open: nothing between */
		snprintf(procs, sizeof(procs), TEST_CG_ROOT "/%s/cgroup.procs",
			 cg);
		fd = open(procs, O_WRONLY);
		if (fd < 0 || write(fd, "0", 1) != 1)
			_exit(250);
		close(fd);
		fd = open(file, O_RDONLY);
		_exit(fd < 0 ? errno : 0);
	}
	return vm_wait_exit(pid);
}

/* A pod's cgroup and its container's made, a process started in it. */
static int pod_starts(const char *pod)
{
	char cg[512];

	if (mkpod(pod))
		return -1;
	snprintf(cg, sizeof(cg), "%s/ctr", pod);
	return first_open(cg, RECORD);
}

/* Remove a pod's container cgroup and its own. */
static int rmpod(const char *pod)
{
	char path[512];

	snprintf(path, sizeof(path), TEST_CG_ROOT "/%s/ctr", pod);
	if (rmdir(path))
		return -errno;
	snprintf(path, sizeof(path), TEST_CG_ROOT "/%s", pod);
	return rmdir(path) ? -errno : 0;
}

/*
 * A pod listed Pending, whose cgroup the kubelet has not made yet: one
 * "abac kube sync" binds its cgroup to come by name, and the kernel
 * decides its first process by the pod's labels -- with abacd stopped
 * and no "abac kube" running, so that no watcher could have tagged it.
 * The control: a pod with no QoS class yet cannot be bound (its place is
 * not known): its first open is not decided.  The binding survives an
 * abacd restart, goes when the pod leaves the list, and a cgroup made
 * under its name afterwards is not tagged.
 */
TEST_F(kube, a_pending_pod_is_decided_from_its_first_open)
{
	char out[8192];

	/* the kubelet's QoS cgroups, made when it starts */
	ASSERT_EQ(0, mkdir(TEST_CG_ROOT "/kubepods", 0755));
	ASSERT_EQ(0, mkdir(TEST_CG_ROOT "/kubepods/burstable", 0755));
	ASSERT_EQ(0, mkdir(TEST_CG_ROOT "/kubepods/besteffort", 0755));
	ASSERT_EQ(0, write_pods("ehr-nurse", UID_N, "Burstable", "nurse",
				"billing", UID_C, "BestEffort", "clerk",
				"unsorted", UID_L, NULL, "clerk", NULL));
	ASSERT_EQ(0, vm_sh("sed -i 's/\"Running\"/\"Pending\"/g' " PODS));
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), KUBE)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "bound pod ward/billing (" FS_C ") before its cgroup: role=clerk"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "pod ward/unsorted waits for its cgroup"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "0 tagged, 0 untagged, 0 unchanged, 1 waiting for their cgroup, 0 failed, 2 bound before their cgroup, 0 unbound"))
		TH_LOG("%s", out);
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac subject bindings"));
	EXPECT_NE(NULL, strstr(out, TEST_CG_ROOT "/" FS_C "  kube   by-name  role=clerk"))
		TH_LOG("%s", out);

	/* the kubelet makes the cgroups; nothing of abac's runs */
	ASSERT_EQ(0, vm_sh(STOP_ABACD));
	EXPECT_EQ(EACCES, pod_starts(FS_C));
	EXPECT_EQ(0, pod_starts(FS_N));
	EXPECT_EQ(0, pod_starts("kubepods/burstable/pod" UID_L));
	ASSERT_EQ(0, vm_sh(CONT_ABACD));
	/* the watch then tags them by id */
	EXPECT_TRUE(wait_tagged(FS_C, "role=clerk", true));
	EXPECT_TRUE(wait_tagged(FS_N, "role=nurse", true));
	EXPECT_TRUE(vm_log_has("\"path\":\"" RECORD "\"",
			       "\"cgroup\":\"" TEST_CG_ROOT "/" FS_C "/ctr\"",
			       10000));

	/* an abacd restart keeps the binding; a new image is built with it */
	vm_agent_kill9();
	ASSERT_LT(0, vm_agent_start());
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac subject bindings --json"));
	EXPECT_NE(NULL, strstr(out, "{\"cgroup\":\"" TEST_CG_ROOT "/" FS_C "\",\"owner\":\"kube\",\"tags\":\"role=clerk\",\"by_name\":true}"))
		TH_LOG("%s", out);
	ASSERT_EQ(0, vm_apply("kube", kube_policy));
	ASSERT_EQ(0, rmpod(FS_C));
	ASSERT_EQ(0, vm_sh(STOP_ABACD));
	EXPECT_EQ(EACCES, pod_starts(FS_C));
	ASSERT_EQ(0, vm_sh(CONT_ABACD));

	/* the pod deleted: the next pass unbinds it */
	ASSERT_EQ(0, write_pods("ehr-nurse", UID_N, "Burstable", "nurse",
				NULL));
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), KUBE)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "unbound pod cgroup " FS_C " (no such pod on this node)"))
		TH_LOG("%s", out);
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac subject bindings"));
	EXPECT_EQ(NULL, strstr(out, FS_C)) TH_LOG("%s", out);
	EXPECT_FALSE(is_tagged(FS_C, NULL));
	/* a cgroup made under its name afterwards is nobody's */
	ASSERT_EQ(0, rmpod(FS_C));
	ASSERT_EQ(0, vm_sh(STOP_ABACD));
	EXPECT_EQ(0, pod_starts(FS_C));
	ASSERT_EQ(0, vm_sh(CONT_ABACD));
	vm_msleep(1000);
	EXPECT_FALSE(is_tagged(FS_C, NULL));
	EXPECT_TRUE(is_tagged(FS_N, "role=nurse"));
	/* relabelled to a value the policy refuses: reported once, kept */
	ASSERT_EQ(0, write_pods("ehr-nurse", UID_N, "Burstable", "surgeon",
				NULL));
	EXPECT_EQ(1, vm_sh_out(out, sizeof(out), KUBE " 2>&1")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "Failed to bind pod ward/ehr-nurse"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "0 tagged, 0 untagged, 0 unchanged, 0 waiting for their cgroup, 1 failed"))
		TH_LOG("%s", out);
	EXPECT_TRUE(is_tagged(FS_N, "role=nurse"));
}

/*
 * A binding whose tags the policy refuses changes nothing, with the same
 * errors as a tag: an unknown attribute, an unknown value.  A path
 * outside the cgroup tree and a glob are refused too.
 */
TEST_F(kube, a_bad_binding_is_refused_and_changes_nothing)
{
	char before[8192], out[8192], after[8192];

	ASSERT_EQ(0, vm_sh_out(before, sizeof(before),
			       "abac subject bindings; abac subject list"));
	EXPECT_EQ(1, vm_sh_out(out, sizeof(out),
			       "abac subject bind " TEST_CG_ROOT "/pod-x colour=red 2>&1"));
	EXPECT_NE(NULL, strstr(out, "Failed to bind subject " TEST_CG_ROOT "/pod-x"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "colour")) TH_LOG("%s", out);
	EXPECT_EQ(1, vm_sh_out(out, sizeof(out),
			       "abac subject bind " TEST_CG_ROOT "/pod-x role=surgeon 2>&1"));
	EXPECT_NE(NULL, strstr(out, "surgeon")) TH_LOG("%s", out);
	EXPECT_EQ(1, vm_sh_out(out, sizeof(out),
			       "abac subject bind '" TEST_CG_ROOT "/pod-*' role=clerk 2>&1"));
	EXPECT_NE(NULL, strstr(out, "a bound name is exact")) TH_LOG("%s", out);
	EXPECT_EQ(1, vm_sh_out(out, sizeof(out),
			       "abac subject bind /sys/fs/cgroup/../pod-x role=clerk 2>&1"));
	EXPECT_NE(NULL, strstr(out, "not a canonical path")) TH_LOG("%s", out);
	EXPECT_EQ(1, vm_sh_out(out, sizeof(out),
			       "abac subject unbind " TEST_CG_ROOT "/pod-x 2>&1"));
	EXPECT_NE(NULL, strstr(out, "it is not bound")) TH_LOG("%s", out);
	ASSERT_EQ(0, vm_sh_out(after, sizeof(after),
			       "abac subject bindings; abac subject list"));
	EXPECT_STREQ(before, after);
	/* the same, good: bound, and a made cgroup is decided */
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out),
			       "abac subject bind " TEST_CG_ROOT "/pod-x role=clerk"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "bound cgroup " TEST_CG_ROOT "/pod-x: role=clerk (owner operator"))
		TH_LOG("%s", out);
	/* another owner's binding is not kube's to remove */
	EXPECT_EQ(1, vm_sh_out(out, sizeof(out),
			       "abac subject unbind --owner kube " TEST_CG_ROOT "/pod-x 2>&1"));
	EXPECT_NE(NULL, strstr(out, "it is bound by owner operator, not kube"))
		TH_LOG("%s", out);
	ASSERT_EQ(0, vm_sh(STOP_ABACD));
	ASSERT_EQ(0, mkdir(TEST_CG_ROOT "/pod-x", 0755));
	EXPECT_EQ(EACCES, first_open("pod-x", RECORD));
	ASSERT_EQ(0, vm_sh(CONT_ABACD));
	/* a tag by hand cannot untag what a binding tags */
	EXPECT_TRUE(wait_tagged("pod-x", "role=clerk", true));
	EXPECT_EQ(1, vm_sh_out(out, sizeof(out),
			       "abac subject untag " TEST_CG_ROOT "/pod-x 2>&1"));
	EXPECT_NE(NULL, strstr(out, "unbind it")) TH_LOG("%s", out);
	ASSERT_EQ(0, vm_sh("abac subject unbind " TEST_CG_ROOT "/pod-x >/dev/null"));
	EXPECT_TRUE(wait_tagged("pod-x", NULL, false));

	/* a policy whose roles no longer hold clerk drops that binding, said */
	ASSERT_EQ(0, vm_sh("abac subject bind " TEST_CG_ROOT "/pod-y role=clerk >/dev/null"));
	ASSERT_EQ(0, vm_sh("abac subject bind " TEST_CG_ROOT "/pod-z role=nurse >/dev/null"));
	snprintf(out, sizeof(out), "%s", kube_policy);
	ASSERT_NE(NULL, strstr(out, "values: [nurse, clerk]"));
	memcpy(strstr(out, "values: [nurse, clerk]"), "values: [nurse]       ", 22);
	ASSERT_EQ(0, vm_apply("kube-nurses", out));
	ASSERT_EQ(0, vm_sh_out(after, sizeof(after), "abac subject bindings"));
	EXPECT_EQ(NULL, strstr(after, "/pod-y")) TH_LOG("%s", after);
	EXPECT_NE(NULL, strstr(after, TEST_CG_ROOT "/pod-z")) TH_LOG("%s", after);
	EXPECT_EQ(0, vm_sh("grep -q 'binding of cgroup " TEST_CG_ROOT "/pod-y (owner operator, tags role=clerk) does not fit policy vm-kube: dropped' " AGENT_STDERR));
}

/*
 * The copy of the state abacd keeps in the kernel (beside the BPF pins,
 * or the native LSM's "state") holds the run-time bindings: abacd
 * restarted with its state directory lost resumes from that copy, lists
 * the binding again (the image in force verified, not replaced) and
 * writes it back; a cgroup made at the bound path with abacd stopped is
 * decided from its first open.
 */
TEST_F(kube, a_runtime_binding_outlives_a_lost_state_directory)
{
	char out[8192];

	ASSERT_EQ(0, vm_sh_out(out, sizeof(out),
			       "abac subject bind " TEST_CG_ROOT "/pod-r role=clerk"))
		TH_LOG("%s", out);
	vm_agent_kill9();
	ASSERT_EQ(0, vm_sh("rm -rf " AGENT_STATE "; : > " AGENT_STDERR));
	ASSERT_LT(0, vm_agent_start());
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac subject bindings --json"));
	EXPECT_NE(NULL, strstr(out, "{\"cgroup\":\"" TEST_CG_ROOT "/pod-r\",\"owner\":\"operator\",\"tags\":\"role=clerk\",\"by_name\":true}"))
		TH_LOG("%s", out);
	EXPECT_EQ(0, vm_sh("grep -q 'resuming from the copy kept in the kernel (it builds the image in force)' " AGENT_STDERR))
		vm_sh("cat " AGENT_STDERR " >&2");
	EXPECT_EQ(0, vm_sh("grep -q '^" TEST_CG_ROOT "/pod-r	operator	role=clerk$' " AGENT_STATE "/bindings"));
	ASSERT_EQ(0, vm_sh(STOP_ABACD));
	ASSERT_EQ(0, mkdir(TEST_CG_ROOT "/pod-r", 0755));
	EXPECT_EQ(EACCES, first_open("pod-r", RECORD));
	ASSERT_EQ(0, vm_sh(CONT_ABACD));
	EXPECT_TRUE(wait_tagged("pod-r", "role=clerk", true));
}

/* The number of lines of "abac subject bindings" that hold @what. */
static int bindings_with(const char *what)
{
	char out[64];

	if (vm_sh_out(out, sizeof(out),
		      "abac subject bindings | grep -c -- '%s'", what) > 1)
		return -1;
	return atoi(out);
}

/*
 * A policy's bindings and the run-time ones count together against
 * ABAC_MAX_BINDINGS (256): with 254 in the policy, two binds fit and the
 * third is refused, naming the limit; the bindings and the image in
 * force stay (same generation, the bound cgroups still decided from their
 * first open).  Binding a path bound already replaces it: no room needed.
 */
TEST_F(kube, a_bind_past_the_limit_is_refused_and_loses_nothing)
{
	char *policy, status[256], after[256], out[8192];
	size_t n, cap = 64 * 1024;
	int i;

	policy = malloc(cap);
	ASSERT_NE(NULL, policy);
	n = snprintf(policy, cap, "%s", kube_policy);
	memcpy(strstr(policy, "name: vm-kube"), "name: vm-kbig", 13);
	n += snprintf(policy + n, cap - n, "subjects:\n");
	for (i = 0; i < ABAC_MAX_BINDINGS - 2; i++)
		n += snprintf(policy + n, cap - n,
			      "  - cgroup: /abac-test/lim/s%d\n"
			      "    attributes: {role: clerk}\n", i);
	ASSERT_GT(cap, n);
	mkdir(TEST_CG_ROOT "/lim", 0755);
	ASSERT_EQ(0, vm_apply("kbig", policy));
	free(policy);
	EXPECT_EQ(ABAC_MAX_BINDINGS - 2, bindings_with(" policy "));
	ASSERT_EQ(0, vm_sh("abac subject bind " TEST_CG_ROOT "/pod-a role=clerk >/dev/null"));
	ASSERT_EQ(0, vm_sh("abac subject bind " TEST_CG_ROOT "/pod-b role=clerk >/dev/null"));
	ASSERT_EQ(0, vm_sh_out(status, sizeof(status),
			       "abac status | grep -o 'generation [0-9]*'"));
	EXPECT_EQ(1, vm_sh_out(out, sizeof(out),
			       "abac subject bind " TEST_CG_ROOT "/pod-c role=clerk 2>&1"));
	EXPECT_NE(NULL, strstr(out, "Failed to bind subject " TEST_CG_ROOT "/pod-c"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "policy vm-kbig binds 254 cgroups and 2 are bound at run time: abac holds 256 bindings at most (ABAC_MAX_BINDINGS)"))
		TH_LOG("%s", out);
	/* nothing lost: the bindings, the image in force */
	EXPECT_EQ(ABAC_MAX_BINDINGS - 2, bindings_with(" policy "));
	EXPECT_EQ(1, bindings_with(TEST_CG_ROOT "/pod-a "));
	EXPECT_EQ(1, bindings_with(TEST_CG_ROOT "/pod-b "));
	EXPECT_EQ(0, bindings_with(TEST_CG_ROOT "/pod-c "));
	ASSERT_EQ(0, vm_sh_out(after, sizeof(after),
			       "abac status | grep -o 'generation [0-9]*'"));
	EXPECT_STREQ(status, after);
	/* a bound path bound again is replaced, at the limit too */
	EXPECT_EQ(0, vm_sh_out(out, sizeof(out),
			       "abac subject bind " TEST_CG_ROOT "/pod-a role=nurse 2>&1"))
		TH_LOG("%s", out);
	EXPECT_EQ(1, bindings_with(TEST_CG_ROOT "/pod-a .*role=nurse"));
	/* the image in force decides both from their first open */
	ASSERT_EQ(0, vm_sh(STOP_ABACD));
	ASSERT_EQ(0, mkdir(TEST_CG_ROOT "/pod-a", 0755));
	ASSERT_EQ(0, mkdir(TEST_CG_ROOT "/pod-b", 0755));
	ASSERT_EQ(0, mkdir(TEST_CG_ROOT "/lim/s7", 0755));
	EXPECT_EQ(0, first_open("pod-a", RECORD));
	EXPECT_EQ(EACCES, first_open("pod-b", RECORD));
	EXPECT_EQ(EACCES, first_open("lim/s7", RECORD));
	ASSERT_EQ(0, vm_sh(CONT_ABACD));
	/* the next fixture's policy binds nothing: its own ones go */
	EXPECT_TRUE(wait_tagged("pod-b", "role=clerk", true));
}

/*
 * A run-time binding whose parent does not exist yet (a QoS cgroup the
 * kubelet has not made) is matched by name once the parent appears:
 * abacd's watch sees the parent and rebuilds the image, and a cgroup
 * made in it afterwards, with abacd stopped, is decided from its first
 * open.
 */
TEST_F(kube, a_runtime_bindings_parent_made_later_is_matched_once_it_appears)
{
	char out[4096];

	ASSERT_EQ(0, vm_sh_out(out, sizeof(out),
			       "abac subject bind " TEST_CG_ROOT "/qos-late/pod-q role=clerk"))
		TH_LOG("%s", out);
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac subject bindings"));
	EXPECT_NE(NULL, strstr(out, "watch    role=clerk")) TH_LOG("%s", out);
	ASSERT_EQ(0, mkdir(TEST_CG_ROOT "/qos-late", 0755));
	EXPECT_TRUE(vm_image_binds_under(TEST_CG_ROOT "/qos-late", 10000));
	ASSERT_EQ(0, vm_sh(STOP_ABACD));
	ASSERT_EQ(0, mkdir(TEST_CG_ROOT "/qos-late/pod-q", 0755));
	EXPECT_EQ(EACCES, first_open("qos-late/pod-q", RECORD));
	ASSERT_EQ(0, vm_sh(CONT_ABACD));
}

TEST_HARNESS_MAIN
