// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Debian package in the guest: installed into the guest's root with
 * dpkg (busybox's, which runs the maintainer scripts), abacd started the
 * way abacd.service starts it (its ExecStart line, /etc/default/abacd,
 * $NOTIFY_SOCKET on a datagram socket this test listens on), readiness
 * only once the policy of /etc/abac/policy.yaml is in force, a nurse
 * allowed and a billing clerk denied from the installed paths, a reload
 * with a broken policy file refused, and an upgrade to a newer package
 * that leaves the clerk denied throughout.
 *
 * The guest has no systemd: what systemd would do (start, reload,
 * restart on upgrade) is done here the way the unit says; the unit file
 * itself is checked with systemd-analyze on the host (install_test).
 */
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "kselftest_harness.h"
#include "vm_common.h"

#define DEB_DIR		"/abac/deb"
#define NOTIFY_PATH	"/tmp/abac-notify.sock"
#define UNIT		"/lib/systemd/system/abacd.service"
#define ETC_POLICY	"/etc/abac/policy.yaml"
#define SBIN_ABAC	"/usr/sbin/abac"
#define RECORD		"/srv/deploy/p1017.txt"
#define READY_MS	(900 * 1000)	/* TCG verifies the programs slowly */

/* The package whose file name holds @tag ("0.1.0_" or "upgrade"). */
static int find_deb(const char *tag, char *path, size_t sz)
{
	struct dirent *e;
	DIR *d = opendir(DEB_DIR);
	int err = -ENOENT;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (strstr(e->d_name, ".deb") && strstr(e->d_name, tag)) {
			snprintf(path, sz, DEB_DIR "/%s", e->d_name);
			err = 0;
			break;
		}
	}
	closedir(d);
	return err;
}

static int dpkg_install(const char *tag)
{
	char deb[PATH_MAX];

	if (find_deb(tag, deb, sizeof(deb)))
		return -1;
	/* the guest's image has the group: the package must make it */
	if (access("/usr/sbin/abacd", F_OK))
		vm_sh("sed -i '/^abac:/d' /etc/group");
	vm_sh("mkdir -p /var/lib/dpkg/info /var/lib/dpkg/updates && touch /var/lib/dpkg/status");
	/* the guest's dpkg database knows none of the libraries it has */
	return vm_sh("dpkg -i -F depends %s >/tmp/dpkg.out 2>&1", deb);
}

/* The datagram socket abacd notifies, as systemd's $NOTIFY_SOCKET. */
static int notify_listen(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	unlink(NOTIFY_PATH);
	snprintf(sa.sun_path, sizeof(sa.sun_path), NOTIFY_PATH);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Wait for a datagram holding @what; the message in @msg.  0 or -1. */
static int notify_wait(int fd, const char *what, char *msg, size_t sz,
		       int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	while (poll(&p, 1, timeout_ms) == 1) {
		n = recv(fd, msg, sz - 1, 0);
		if (n < 0)
			return -1;
		msg[n] = 0;
		if (strstr(msg, what))
			return 0;
	}
	return -1;
}

/*
 * Start abacd as abacd.service does: its ExecStart line, with
 * /etc/default/abacd's variables, $NOTIFY_SOCKET set.  Returns its pid.
 */
static pid_t unit_start(void)
{
	char *unit = vm_read_file(UNIT), *line, *end;
	char cmd[1024];
	pid_t pid;

	line = unit ? strstr(unit, "\nExecStart=") : NULL;
	if (!line) {
		free(unit);
		return -1;
	}
	line += strlen("\nExecStart=");
	end = strchr(line, '\n');
	if (end)
		*end = 0;
	snprintf(cmd, sizeof(cmd),
		 "set -a; . /etc/default/abacd; set +a; exec %s", line);
	free(unit);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int fd = open("/tmp/abacd-unit.out",
			      O_WRONLY | O_CREAT | O_APPEND, 0600);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		setsid();
		setenv("NOTIFY_SOCKET", NOTIFY_PATH, 1);
		umask(027);	/* UMask= of the unit */
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void unit_stop(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGTERM);	/* KillMode=process */
	waitpid(pid, NULL, 0);
}

/* Label the record, once; the clerk's and the nurse's cgroups by abac run. */
static int record_setup(void)
{
	vm_sh("mkdir -p /srv/deploy");
	if (vm_write_file(RECORD, "Patient 1017: atrial fibrillation\n"))
		return -1;
	return vm_sh(SBIN_ABAC " label set " RECORD
		     " type=medical-record patient-condition=heart >/dev/null");
}

static int as_nurse(void)
{
	return vm_sh(SBIN_ABAC " run --name deploy-nurse role=nurse-practitioner "
		     "department=cardiology -- cat " RECORD " >/dev/null 2>&1");
}

static int as_clerk(void)
{
	return vm_sh(SBIN_ABAC " run --name deploy-clerk role=billing-clerk "
		     "department=billing -- cat " RECORD " >/dev/null 2>&1");
}

/*
 * Read the record from the kept cgroup abac/@name, whose tags were set
 * while abacd ran: no agent needed.  cat's exit status.
 */
static int in_kept_cgroup(const char *name)
{
	return vm_sh("sh -c 'echo $$ > /sys/fs/cgroup/abac/%s/cgroup.procs && "
		     "exec cat " RECORD "' >/dev/null 2>&1", name);
}

FIXTURE(deploy) {
	int nfd;
	pid_t agent;
};

FIXTURE_SETUP(deploy)
{
	/*
	 * No tagged cgroup of an earlier test program: on the native LSM
	 * the kernel's one image keeps them, and the unit's abacd, which
	 * finds that image, could not put the packaged policy in force
	 * over tags it does not fit.
	 */
	ASSERT_EQ(0, vm_setup());
	vm_agent_kill9();	/* the unit's abacd, not the tests' */
	self->nfd = notify_listen();
	ASSERT_LE(0, self->nfd);
	self->agent = 0;
}

/*
 * Leave no tagged cgroup of this test behind: the tests after it apply
 * policies their tags would not fit.
 */
FIXTURE_TEARDOWN(deploy)
{
	static const char *const kept[] = { "deploy-up-nurse",
					    "deploy-up-clerk" };
	size_t i;

	for (i = 0; self->agent > 0 && i < 2; i++)
		vm_sh(SBIN_ABAC " subject untag /sys/fs/cgroup/abac/%s "
		      ">/dev/null 2>&1; rmdir /sys/fs/cgroup/abac/%s 2>/dev/null",
		      kept[i], kept[i]);
	unit_stop(self->agent);
	close(self->nfd);
}

/* dpkg -i, with the package's own scripts: files, group, directories. */
static void install_checked(struct __test_metadata *_metadata)
{
	struct stat st;

	ASSERT_EQ(0, dpkg_install("0.1.0_")) {
		vm_sh("cat /tmp/dpkg.out");
	}
	ASSERT_EQ(0, access("/usr/sbin/abacd", X_OK));
	ASSERT_EQ(0, access(SBIN_ABAC, X_OK));
	ASSERT_EQ(0, access(UNIT, R_OK));
	ASSERT_EQ(0, access("/usr/share/abac/examples/hospital.yaml", R_OK));
	ASSERT_EQ(0, access("/usr/share/man/man8/abacd.8.gz", R_OK));
	ASSERT_EQ(0, vm_sh("grep -q '^abac:' /etc/group"));
	ASSERT_EQ(0, stat("/var/lib/abac", &st));
	EXPECT_EQ(0700, (int)(st.st_mode & 0777));
}

TEST_F_TIMEOUT(deploy, package_installs_and_its_unit_enforces_once_ready,
	       1800)
{
	char msg[512], out[4096];
	int err;

	install_checked(_metadata);
	ASSERT_EQ(0, vm_sh("cp /usr/share/abac/examples/hospital.yaml "
			   ETC_POLICY));
	self->agent = unit_start();
	ASSERT_LT(0, self->agent);
	err = notify_wait(self->nfd, "READY=1", msg, sizeof(msg), READY_MS);
	ASSERT_EQ(0, err) {
		vm_sh("cat /tmp/abacd-unit.out");
	}
	/* ready means the policy file is in force already */
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), SBIN_ABAC " status --json"));
	EXPECT_NE(NULL, strstr(out, "\"name\":\"hospital\"")) {
		TH_LOG("status at READY=1: %s", out);
	}
	EXPECT_NE(NULL, strstr(msg, "STATUS=enforcing policy generation"));
	EXPECT_EQ(0, vm_sh(SBIN_ABAC " status --wait 5 >/dev/null"));
	ASSERT_EQ(0, record_setup());
	EXPECT_EQ(0, as_nurse());
	EXPECT_NE(0, as_clerk());
	/* the unit's log, where the unit's configuration puts it */
	EXPECT_EQ(0, vm_sh("grep -q p1017 /var/log/abac/events.jsonl"));
}

TEST_F_TIMEOUT(deploy, reload_refuses_a_broken_policy_file_and_keeps_enforcing,
	       1800)
{
	char msg[512], before[4096], after[4096];

	install_checked(_metadata);
	ASSERT_EQ(0, vm_sh("cp /usr/share/abac/examples/hospital.yaml "
			   ETC_POLICY));
	self->agent = unit_start();
	ASSERT_EQ(0, notify_wait(self->nfd, "READY=1", msg, sizeof(msg),
				 READY_MS));
	ASSERT_EQ(0, record_setup());
	ASSERT_EQ(0, vm_sh_out(before, sizeof(before),
			       SBIN_ABAC " status --json"));
	ASSERT_EQ(0, vm_write_file(ETC_POLICY, "version: 1\nrules: [\n"));
	kill(self->agent, SIGHUP);	/* ExecReload */
	ASSERT_EQ(0, notify_wait(self->nfd, "RELOADING=1", msg, sizeof(msg),
				 60000));
	ASSERT_EQ(0, notify_wait(self->nfd, "READY=1", msg, sizeof(msg),
				 60000));
	ASSERT_EQ(0, vm_sh_out(after, sizeof(after),
			       SBIN_ABAC " status --json"));
	/* the same generation: nothing was put in force */
	EXPECT_NE(NULL, strstr(after, "\"name\":\"hospital\""));
	EXPECT_EQ(0, vm_sh("grep -q 'refused policy file' /tmp/abacd-unit.out"));
	EXPECT_EQ(0, as_nurse());
	EXPECT_NE(0, as_clerk());
}

TEST_F_TIMEOUT(deploy, upgrade_to_a_newer_package_leaves_no_unenforced_moment,
	       1800)
{
	char msg[512], out[4096];

	install_checked(_metadata);
	ASSERT_EQ(0, vm_sh("cp /usr/share/abac/examples/hospital.yaml "
			   ETC_POLICY));
	self->agent = unit_start();
	ASSERT_EQ(0, notify_wait(self->nfd, "READY=1", msg, sizeof(msg),
				 READY_MS));
	ASSERT_EQ(0, record_setup());
	ASSERT_NE(0, as_clerk());
	/* cgroups that keep their tags, to be used while no agent runs */
	ASSERT_EQ(0, vm_sh(SBIN_ABAC " run --keep --name deploy-up-nurse "
			   "role=nurse-practitioner department=cardiology -- true"));
	ASSERT_EQ(0, vm_sh(SBIN_ABAC " run --keep --name deploy-up-clerk "
			   "role=billing-clerk department=billing -- true"));
	/* dpkg -i of the newer package, then the restart systemd would do */
	ASSERT_EQ(0, dpkg_install("upgrade")) {
		vm_sh("cat /tmp/dpkg.out");
	}
	EXPECT_EQ(0, vm_sh("grep -q '^Version: .*upgrade' /var/lib/dpkg/status"));
	unit_stop(self->agent);
	self->agent = 0;
	/* no agent: the pinned programs still decide */
	EXPECT_NE(0, in_kept_cgroup("deploy-up-clerk"));
	EXPECT_EQ(0, in_kept_cgroup("deploy-up-nurse"));
	self->agent = unit_start();
	ASSERT_EQ(0, notify_wait(self->nfd, "READY=1", msg, sizeof(msg),
				 READY_MS)) {
		vm_sh("cat /tmp/abacd-unit.out");
	}
	EXPECT_EQ(0, vm_sh("grep -q 'verified against the kernel' /tmp/abacd-unit.out"));
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), SBIN_ABAC " status --json"));
	EXPECT_NE(NULL, strstr(out, "\"name\":\"hospital\""));
	EXPECT_NE(0, as_clerk());
	EXPECT_EQ(0, as_nurse());
	EXPECT_NE(0, in_kept_cgroup("deploy-up-clerk"));
	EXPECT_EQ(0, in_kept_cgroup("deploy-up-nurse"));
}

/*
 * A first start with no policy file: ready (there is nothing to wait
 * for), but STATUS= says no policy is in force rather than a generation.
 * Its own pins, state and socket, so that the package's are untouched;
 * unloaded at the end.  BPF-LSM only: the native LSM's one image is the
 * earlier tests' policy.
 */
#define FRESH_OPTS	"--state-dir /tmp/deploy-fresh --pin-dir /sys/fs/bpf/abac-fresh " \
			"--socket /run/abac-fresh.sock --log /tmp/deploy-fresh.jsonl"

TEST_F_TIMEOUT(deploy, first_start_without_a_policy_file_says_none_is_in_force,
	       1800)
{
	char msg[512];

	VM_ONLY(VM_BPF, "the native LSM holds one image for every agent: a "
		"fresh one finds the earlier tests' policy in force");
	install_checked(_metadata);
	vm_sh("rm -rf /tmp/deploy-fresh; rm -f " ETC_POLICY);
	ASSERT_EQ(0, vm_sh("sed -i 's|^ABACD_OPTS=.*|ABACD_OPTS=\"" FRESH_OPTS "\"|' "
			   "/etc/default/abacd"));
	self->agent = unit_start();
	ASSERT_LT(0, self->agent);
	ASSERT_EQ(0, notify_wait(self->nfd, "READY=1", msg, sizeof(msg),
				 READY_MS)) {
		vm_sh("cat /tmp/abacd-unit.out");
	}
	EXPECT_NE(NULL, strstr(msg, "STATUS=no policy in force\n")) {
		TH_LOG("READY=1 with: %s", msg);
	}
	EXPECT_EQ(NULL, strstr(msg, "generation"));
	/* a policy file in force on reload: the status says so */
	ASSERT_EQ(0, vm_sh("cp /usr/share/abac/examples/hospital.yaml "
			   ETC_POLICY));
	kill(self->agent, SIGHUP);
	ASSERT_EQ(0, notify_wait(self->nfd, "READY=1", msg, sizeof(msg),
				 60000));
	EXPECT_NE(NULL, strstr(msg, "STATUS=enforcing policy generation 1\n")) {
		TH_LOG("READY=1 after reload with: %s", msg);
	}
	unit_stop(self->agent);
	self->agent = 0;
	EXPECT_EQ(0, vm_sh("/usr/sbin/abacd --unload --pin-dir /sys/fs/bpf/abac-fresh "
			   ">/dev/null 2>&1"));
	vm_sh("sed -i 's|^ABACD_OPTS=.*|ABACD_OPTS=\"\"|' /etc/default/abacd");
}

TEST_HARNESS_MAIN
