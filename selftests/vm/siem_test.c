// SPDX-License-Identifier: GPL-2.0-only
/*
 * abacd's outputs for a security team, on the real hooks in the guest:
 * an agent started with --syslog=unix:PATH (a datagram socket this test
 * binds), --metrics FILE and --ocsf FILE; one denial provoked; the
 * syslog message's STRUCTURED-DATA, the OCSF line and the metrics
 * file's denial and lost-event counters checked against what happened
 * and what the kernel counts (abac status --json); and the OCSF file
 * guarded as the log is, its tamper refusal a syslog alert.
 */
#include <sys/un.h>

#include "kselftest_harness.h"
#include "vm_common.h"

static const char siem_policy[] =
	"version: 1\n"
	"name: vm-siem\n"
	"mode: enforce\n"
	"default: allow\n"
	"attributes:\n"
	"  subject:\n"
	"    role: {type: string, values: [nurse, clerk]}\n"
	"  object:\n"
	"    type: {type: string, values: [record]}\n"
	"rules:\n"
	"  - id: clerk-never-records\n"
	"    nlp: \"Clerks may never open patient records.\"\n"
	"    effect: deny\n"
	"    ops: [read, write]\n"
	"    subject: {role: clerk}\n"
	"    object: {type: record}\n";

/* every denial its own record, so that a flood overflows the ring */
static const char siem_policy_nofold[] =
	"version: 1\n"
	"name: vm-siem-nofold\n"
	"mode: enforce\n"
	"default: allow\n"
	"events: {fold-window: 0}\n"
	"attributes:\n"
	"  subject:\n"
	"    role: {type: string, values: [nurse, clerk]}\n"
	"  object:\n"
	"    type: {type: string, values: [record]}\n"
	"rules:\n"
	"  - id: clerk-never-records\n"
	"    nlp: \"Clerks may never open patient records.\"\n"
	"    effect: deny\n"
	"    ops: [read, write]\n"
	"    subject: {role: clerk}\n"
	"    object: {type: record}\n";

#define SIEM_DIR	"/tmp/abac-siem"
#define SIEM_SOCK	SIEM_DIR "/syslog.sock"
#define SIEM_METRICS_DIR "/tmp/abac-metrics"	/* not the OCSF file's */
#define SIEM_METRICS	SIEM_METRICS_DIR "/abac.prom"
#define SIEM_OCSF	SIEM_DIR "/ocsf.jsonl"
#define RECORD		TEST_DIR "/record.txt"

/* abacd with the SIEM outputs on; its pid, or -1 when it did not answer. */
static pid_t start_siem_agent(void)
{
	pid_t pid;
	int i;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int fd = open(AGENT_STDERR, O_WRONLY | O_CREAT | O_APPEND, 0600);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		setsid();
		execlp("abacd", "abacd", "--state-dir", AGENT_STATE,
		       "--log", AGENT_LOG, "--syslog=unix:" SIEM_SOCK,
		       "--metrics", SIEM_METRICS, "--ocsf", SIEM_OCSF,
		       (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 3000; i++) {	/* TCG verifies slowly: 300 s */
		if (vm_agent_up())
			return vm_agent_child = pid;
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return -1;
		vm_msleep(100);
	}
	return -1;
}

static int bind_dgram(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 1 };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	strncpy(sa.sun_path, path, sizeof(sa.sun_path) - 1);
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The first message within @secs that holds @needle, in @buf. */
static bool recv_with(int fd, const char *needle, char *buf, size_t sz,
		      int secs)
{
	ssize_t n;
	int i;

	for (i = 0; i < secs; i++) {
		while ((n = recv(fd, buf, sz - 1, 0)) > 0) {
			buf[n] = '\0';
			if (strstr(buf, needle))
				return true;
		}
	}
	return false;
}

/* The number after "@name " at a line's start in @text; -1 if absent. */
static long long metric(const char *text, const char *name)
{
	char want[512];
	const char *p;

	snprintf(want, sizeof(want), "\n%s ", name);
	p = strstr(text, want);
	return p ? atoll(p + strlen(want)) : -1;
}

/* Wait until the metrics file says @name is @want; the last value seen. */
static long long metric_becomes(const char *name, long long want, int secs)
{
	long long v = -1;
	int i;

	for (i = 0; i <= secs * 10; i++) {
		char *text = vm_read_file(SIEM_METRICS);

		v = text ? metric(text, name) : -1;
		free(text);
		if (v == want)
			break;
		vm_msleep(100);
	}
	return v;
}

/* The kernel's lost-event count, as abac status --json says it; -1. */
/* A kernel counter as abac status --json gives it, or -1. */
static long long kernel_counter(const char *name)
{
	char out[256];

	if (vm_sh_out(out, sizeof(out),
		      "abac status --json | grep -o '\"%s\":[0-9]*' | cut -d: -f2",
		      name) ||
	    out[0] < '0' || out[0] > '9')
		return -1;
	return atoll(out);
}

static long long kernel_lost(void)
{
	return kernel_counter("events_lost");
}

FIXTURE(siem) {
	int sock;
	pid_t agent;
};

FIXTURE_SETUP(siem)
{
	vm_agent_kill9();
	vm_sh("rm -rf " SIEM_DIR " " SIEM_METRICS_DIR);
	ASSERT_EQ(0, mkdir(SIEM_DIR, 0755));
	ASSERT_EQ(0, mkdir(SIEM_METRICS_DIR, 0755));
	self->sock = bind_dgram(SIEM_SOCK);
	ASSERT_LE(0, self->sock);
	self->agent = start_siem_agent();
	ASSERT_LT(0, self->agent);
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_apply("siem", siem_policy));
	ASSERT_EQ(0, vm_mkfile(RECORD, "heart patient\n", "type=record"));
	ASSERT_EQ(0, vm_tag("clerk", "role=clerk"));
}

FIXTURE_TEARDOWN(siem)
{
	vm_untag("clerk");
	vm_agent_kill9();
	close(self->sock);
}

TEST_F_TIMEOUT(siem, a_denial_reaches_syslog_ocsf_and_the_counters, 300)
{
	char msg[8192];
	char *ocsf;
	long long lost, guarded;

	ASSERT_EQ(EACCES, vm_probe_open("clerk", RECORD, O_RDONLY));

	/* syslog: authpriv.warning, MSGID deny, the SD of this denial */
	ASSERT_TRUE(recv_with(self->sock, "path=\"" RECORD "\"", msg,
			      sizeof(msg), 30));
	TH_LOG("syslog: %s", msg);
	ASSERT_EQ(0, strncmp(msg, "<84>1 ", 6));
	ASSERT_NE(NULL, strstr(msg, " abacd "));
	ASSERT_NE(NULL, strstr(msg, " deny [abac@32473 decision=\"deny\" op=\"read\" path=\"" RECORD "\" rule=\"clerk-never-records\" reason=\"rule\""));
	ASSERT_NE(NULL, strstr(msg, " cgroup=\"" TEST_CG_ROOT "/clerk\" tags=\"role=clerk\""));
	ASSERT_NE(NULL, strstr(msg, " comm=\""));
	ASSERT_NE(NULL, strstr(msg, " errno=\"13\" policy=\"vm-siem\""));
	ASSERT_EQ(NULL, strchr(msg, '\n'));

	/* the OCSF file is guarded as the log is: a tamper alert */
	ASSERT_EQ(EPERM, vm_probe_open("clerk", SIEM_OCSF, O_WRONLY | O_APPEND));
	ASSERT_TRUE(recv_with(self->sock, " tamper [", msg, sizeof(msg), 30));
	TH_LOG("syslog: %s", msg);
	ASSERT_EQ(0, strncmp(msg, "<81>1 ", 6));
	ASSERT_NE(NULL, strstr(msg, " guard=\"protected-file\""));
	ASSERT_NE(NULL, strstr(msg, " path=\"" SIEM_OCSF "\""));

	/* OCSF: a File System Activity, Read, Blocked */
	ASSERT_TRUE(vm_log_has("clerk-never-records", RECORD, 10000));
	ocsf = vm_read_file(SIEM_OCSF);
	ASSERT_NE(NULL, ocsf);
	TH_LOG("ocsf: %s", ocsf);
	EXPECT_NE(NULL, strstr(ocsf, "\"class_uid\":1001,\"class_name\":\"File System Activity\",\"activity_id\":2,\"activity_name\":\"Read\""));
	EXPECT_NE(NULL, strstr(ocsf, "\"disposition_id\":2,\"disposition\":\"Blocked\""));
	EXPECT_NE(NULL, strstr(ocsf, "\"file\":{\"path\":\"" RECORD "\",\"name\":\"record.txt\""));
	free(ocsf);

	/* metrics: this one denial, by its rule and operation */
	EXPECT_EQ(1, metric_becomes("abac_denials_total{rule=\"clerk-never-records\",reason=\"rule\",op=\"read\",decision=\"deny\"}",
				    1, 15));
	EXPECT_EQ(1, metric_becomes("abac_tamper_refusals_by_kind_total{kind=\"protected-file\"}",
				    1, 10));
	/* the kernel's count for the boot: earlier tests' refusals too */
	guarded = kernel_counter("guarded");
	ASSERT_LE(1, guarded);
	EXPECT_EQ(guarded, metric_becomes("abac_tamper_refusals_total",
					  guarded, 10));
	EXPECT_EQ(1, metric_becomes("abac_up", 1, 1));
	/* lost events: what the kernel counts, as abac status says it */
	lost = kernel_lost();
	ASSERT_LE(0, lost);
	TH_LOG("kernel events_lost %lld", lost);
	EXPECT_EQ(lost, metric_becomes("abac_events_lost_total", lost, 10));
	EXPECT_EQ(0, metric_becomes("abac_syslog_dropped_total", 0, 1));
	EXPECT_LE(1, metric_becomes("abac_syslog_sent_total", 1, 1));

	ocsf = vm_read_file(SIEM_METRICS);
	TH_LOG("metrics:\n%s", ocsf ? ocsf : "(none)");
	free(ocsf);

	/*
	 * The metrics file is renamed over at each write: the guard keeps
	 * its directory, so a tagged process can neither write the file
	 * nor put a forged one beside it to rename over it.
	 */
	EXPECT_EQ(EPERM, vm_probe_open("clerk", SIEM_METRICS, O_WRONLY));
	EXPECT_EQ(EPERM, vm_probe_open("clerk", SIEM_METRICS_DIR "/forged.prom",
				       O_WRONLY | O_CREAT));
	EXPECT_EQ(-1, access(SIEM_METRICS_DIR "/forged.prom", F_OK));

	/* at exit the file says abacd is down */
	ASSERT_EQ(0, kill(self->agent, SIGTERM));
	ASSERT_EQ(0, vm_wait_exit(self->agent));
	vm_agent_child = 0;
	EXPECT_EQ(0, metric_becomes("abac_up", 0, 1));
}

/*
 * A ring buffer overflowed while no agent ran: the metrics' lost count is
 * the kernel's, the denials counted are the records that were kept, and
 * every syslog message is either sent or counted as dropped (the test
 * reads none while they flood its socket).
 */
#define FLOOD	14000	/* BPF's ring holds some 11600; the native LSM 1024 */

TEST_F_TIMEOUT(siem, a_full_ring_is_counted_and_no_message_unaccounted, 600)
{
	long long before, after, kept, sent, dropped;
	char *text = NULL;
	pid_t gen;
	int i, st;

	ASSERT_EQ(0, vm_apply("siem-nofold", siem_policy_nofold));
	before = kernel_lost();
	ASSERT_LE(0, before);
	ASSERT_EQ(0, kill(self->agent, SIGTERM));
	ASSERT_EQ(0, vm_wait_exit(self->agent));
	vm_agent_child = 0;
	gen = fork();
	ASSERT_LE(0, gen);
	if (!gen) {
		if (vm_join_cg("clerk"))
			_exit(250);
		for (i = 0; i < FLOOD; i++)
			if (open(RECORD, O_RDONLY) >= 0)
				_exit(251);
		_exit(0);
	}
	ASSERT_EQ(gen, waitpid(gen, &st, 0));
	ASSERT_EQ(0, WEXITSTATUS(st));
	after = kernel_lost();
	TH_LOG("%d denials with no agent: %lld lost", FLOOD, after - before);
	ASSERT_LT(before, after);
	kept = FLOOD - (after - before);

	self->agent = start_siem_agent();
	ASSERT_LT(0, self->agent);
	/* the file written once the queue was read and the loss reported */
	ASSERT_EQ(1, metric_becomes("abac_lost_reports_total", 1, 120));
	for (i = 0; i < 100; i++) {
		free(text);
		text = vm_read_file(SIEM_METRICS);
		ASSERT_NE(NULL, text);
		if (metric(text, "abac_lost_reports_total") == 1)
			break;
		vm_msleep(100);
	}
	EXPECT_EQ(after, metric(text, "abac_events_lost_total"));
	EXPECT_EQ(kept, metric(text, "abac_denials_total{rule=\"clerk-never-records\",reason=\"rule\",op=\"read\",decision=\"deny\"}"));
	sent = metric(text, "abac_syslog_sent_total");
	dropped = metric(text, "abac_syslog_dropped_total");
	TH_LOG("syslog: %lld sent, %lld dropped", sent, dropped);
	/* each kept denial and the loss: one message each, none unaccounted */
	EXPECT_EQ(kept + 1, sent + dropped);
	EXPECT_LT(0, dropped);
	free(text);
}

TEST_HARNESS_MAIN
