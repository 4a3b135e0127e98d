// SPDX-License-Identifier: GPL-2.0-only
/*
 * make install on the host: every file in its FHS place under DESTDIR,
 * the man pages built from their rst sources, the systemd unit accepted
 * by systemd-analyze verify, and an abacd that cannot attach its
 * programs never telling the service manager it is ready.  The package
 * itself is installed and run in the guest (selftests/vm/deploy_test.c).
 */
#include <endian.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>

#include "kselftest_harness.h"
#include "common.h"

/* The build directory: the test runs as <build>/selftests/host/X. */
static int build_dir(char *buf, size_t sz)
{
	ssize_t n = readlink("/proc/self/exe", buf, sz - 1);
	char *slash;
	int up;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	for (up = 0; up < 3; up++) {
		slash = strrchr(buf, '/');
		if (!slash)
			return -1;
		*slash = '\0';
	}
	return 0;
}

static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

FIXTURE(install) {
	char build[1024];
	char top[1024];
	char dest[64];
};

FIXTURE_SETUP(install)
{
	char mk[2048];

	ASSERT_EQ(0, build_dir(self->build, sizeof(self->build)));
	snprintf(self->top, sizeof(self->top), "%s", self->build);
	*strrchr(self->top, '/') = '\0';	/* <top>/build */
	snprintf(mk, sizeof(mk), "%s/Makefile", self->top);
	if (access(mk, R_OK))
		SKIP(return, "no source tree above the build directory");
	snprintf(self->dest, sizeof(self->dest), "/tmp/abac-install-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dest));
}

FIXTURE_TEARDOWN(install)
{
	sh("rm -rf '%s'", self->dest);
}

static int make_install(FIXTURE_DATA(install) *self, const char *prefix)
{
	return sh("make -s --no-print-directory -C '%s' O='%s' install "
		  "DESTDIR='%s' PREFIX=%s >'%s/make.out' 2>&1",
		  self->top, self->build, self->dest, prefix, self->dest);
}

TEST_F(install, make_install_puts_every_file_in_its_fhs_place)
{
	static const struct {
		const char *path;
		mode_t mode;
	} want[] = {
		{ "/usr/sbin/abacd", 0755 },
		{ "/usr/sbin/abac", 0755 },
		{ "/usr/share/man/man8/abacd.8", 0644 },
		{ "/usr/share/man/man8/abac.8", 0644 },
		{ "/usr/share/man/man8/abac-status.8", 0644 },
		{ "/usr/share/bash-completion/completions/abac", 0644 },
		{ "/usr/share/abac/examples/hospital.yaml", 0644 },
		{ "/usr/lib/systemd/system/abacd.service", 0644 },
		{ "/usr/lib/tmpfiles.d/abac.conf", 0644 },
		{ "/usr/lib/sysusers.d/abac.conf", 0644 },
		{ "/etc/logrotate.d/abacd", 0644 },
		{ "/etc/default/abacd", 0644 },
	};
	char path[PATH_MAX];
	struct stat st;
	size_t i;

	ASSERT_EQ(0, make_install(self, "/usr")) {
		sh("cat '%s/make.out'", self->dest);
	}
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", self->dest, want[i].path);
		ASSERT_EQ(0, stat(path, &st)) {
			TH_LOG("%s is missing", want[i].path);
		}
		EXPECT_EQ(want[i].mode, st.st_mode & 07777) {
			TH_LOG("%s has mode %o", want[i].path,
			       st.st_mode & 07777);
		}
	}
	/* man pages are roff made from the rst, not the rst itself */
	EXPECT_EQ(0, sh("head -c 4096 '%s/usr/share/man/man8/abacd.8' | "
			"grep -q '^\\.TH \"*ABACD'", self->dest));
	/* nothing of the bench, and the unit names the installed abacd */
	snprintf(path, sizeof(path), "%s/usr/share/man/man8/abac-bench.8",
		 self->dest);
	EXPECT_NE(0, access(path, F_OK));
	EXPECT_EQ(0, sh("grep -q '^ExecStart=/usr/sbin/abacd ' "
			"'%s/usr/lib/systemd/system/abacd.service'",
			self->dest));
}

TEST_F(install, prefix_usr_local_keeps_everything_under_it)
{
	ASSERT_EQ(0, make_install(self, "/usr/local"));
	EXPECT_EQ(0, sh("test -x '%s/usr/local/sbin/abacd'", self->dest));
	EXPECT_EQ(0, sh("grep -q '^ExecStart=/usr/local/sbin/abacd .*"
			"/usr/local/etc/abac/policy.yaml' "
			"'%s/usr/local/lib/systemd/system/abacd.service'",
			self->dest));
	/* nothing outside the prefix */
	EXPECT_EQ(0, sh("test -z \"$(cd '%s' && find . -mindepth 1 -maxdepth 1 "
			"! -name usr ! -name make.out)\"", self->dest));
	EXPECT_EQ(0, sh("test -z \"$(cd '%s/usr' && ls | grep -v '^local$')\"",
			self->dest));
}

TEST_F(install, installed_unit_passes_systemd_analyze_verify)
{
	char out[PATH_MAX];

	if (sh("command -v systemd-analyze >/dev/null"))
		SKIP(return, "no systemd-analyze on this host");
	ASSERT_EQ(0, make_install(self, "/usr"));
	/*
	 * verify checks that ExecStart= is executable: point it at the
	 * staged abacd, and the rest of the unit as installed.
	 */
	snprintf(out, sizeof(out), "%s/abacd.service", self->dest);
	ASSERT_EQ(0, sh("sed 's|/usr/sbin/abacd|%s/usr/sbin/abacd|' "
			"'%s/usr/lib/systemd/system/abacd.service' > '%s'",
			self->dest, self->dest, out));
	EXPECT_EQ(0, sh("systemd-analyze verify --man=no '%s' >'%s/verify.out' 2>&1",
			out, self->dest)) {
		sh("cat '%s/verify.out'", self->dest);
	}
	EXPECT_EQ(0, sh("grep -q '^Type=notify$' '%s'", out));
	/* a unit naming an abacd that is not there fails the same check */
	ASSERT_EQ(0, sh("sed 's|/usr/sbin/abacd |/usr/sbin/abacd-gone |' '%s' "
			"> '%s/bad.service'", out, self->dest));
	EXPECT_NE(0, sh("systemd-analyze verify --man=no '%s/bad.service' "
			">/dev/null 2>&1", self->dest));
}

/*
 * systemd chowns a root service's StateDirectory=, RuntimeDirectory=,
 * CacheDirectory= and LogsDirectory= to root:root, recursively, at every
 * start.  None of them may name a directory tmpfiles.d gives another
 * group (/var/log/abac is root:abac: the abac group reads the event log
 * there), and the log's directory must still be writable to abacd under
 * ProtectSystem=strict.
 */
TEST_F(install, unit_leaves_the_groups_tmpfiles_gives)
{
	static const struct {
		const char *prefix, *key;
	} dirs[] = {
		{ "/var/lib/", "StateDirectory" },
		{ "/run/", "RuntimeDirectory" },
		{ "/var/cache/", "CacheDirectory" },
		{ "/var/log/", "LogsDirectory" },
	};
	char unit[PATH_MAX], tmpfiles[PATH_MAX], line[512];
	char type[8], path[256], mode[16], user[64], group[64];
	int checked = 0;
	size_t i;
	FILE *f;

	ASSERT_EQ(0, make_install(self, "/usr"));
	snprintf(unit, sizeof(unit), "%s/usr/lib/systemd/system/abacd.service",
		 self->dest);
	snprintf(tmpfiles, sizeof(tmpfiles), "%s/usr/lib/tmpfiles.d/abac.conf",
		 self->dest);
	f = fopen(tmpfiles, "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%7s %255s %15s %63s %63s", type, path, mode,
			   user, group) != 5 || strcmp(type, "d") ||
		    !strcmp(group, "root") || !strcmp(group, "-"))
			continue;
		for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
			size_t n = strlen(dirs[i].prefix);

			if (strncmp(path, dirs[i].prefix, n))
				continue;
			checked++;
			EXPECT_NE(0, sh("grep -Eq '^%s=(.* )?%s( |$)' '%s'",
					dirs[i].key, path + n, unit)) {
				TH_LOG("%s= %s: systemd would chown the %s:%s of tmpfiles.d to root:root",
				       dirs[i].key, path + n, user, group);
			}
		}
	}
	fclose(f);
	/* the log's directory is the one tmpfiles.d gives the abac group */
	EXPECT_EQ(1, checked);
	EXPECT_EQ(0, sh("grep -Eq '^(ReadWritePaths=(.* )?-?/var/log/abac( |$)|LogsDirectory=)' '%s'",
			unit)) {
		TH_LOG("/var/log/abac is read-only under ProtectSystem=strict");
	}
}

/*
 * abacd resolves paths the CLI sends it (a labelled directory is kept by
 * its path) and reads labels by path for the event log: its mount
 * namespace may make things read-only, never show it another /tmp or
 * hide a tree, or "/tmp/records" would be another directory to abacd
 * than to the operator.
 */
TEST_F(install, unit_shows_abacd_the_paths_the_operator_sees)
{
	char unit[PATH_MAX];

	ASSERT_EQ(0, make_install(self, "/usr"));
	snprintf(unit, sizeof(unit), "%s/usr/lib/systemd/system/abacd.service",
		 self->dest);
	ASSERT_EQ(0, sh("grep -q '^ProtectSystem=strict$' '%s'", unit));
	EXPECT_NE(0, sh("grep -Ei '^(PrivateTmp=(yes|true|on|1)|ProtectHome=(yes|true|on|1|tmpfs)|"
			"TemporaryFileSystem=|InaccessiblePaths=|RootDirectory=|RootImage=)' '%s'", unit));
}

/*
 * abacd(8), installed from Documentation/man/abacd.8.rst, shows every
 * option "abacd --help" lists in its synopsis and describes it under
 * OPTIONS.
 */
TEST_F(install, abacd_man_page_has_every_option_of_its_help)
{
	char out[PATH_MAX];

	snprintf(out, sizeof(out), "%s/missing", self->dest);
	ASSERT_EQ(0, sh("'%s/abacd' --help >'%s/help'", self->build,
			self->dest));
	ASSERT_EQ(0, sh("grep -q -- '--policy' '%s/help'", self->dest));
	ASSERT_EQ(0, sh("cd '%s' && for o in $(grep -o -- '--[a-z][a-z-]*' '%s/help' | sort -u); do "
			"sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' Documentation/man/abacd.8.rst | "
			"grep -Eq -- \"(^|[* ])$o([* ]|$)\" || echo \"synopsis: $o\"; "
			"sed -n '/^OPTIONS/,/^SIGNALS/p' Documentation/man/abacd.8.rst | "
			"grep -Eq -- \"^(-[a-zA-Z], )?$o( |$)\" || echo \"options: $o\"; "
			"done >'%s'", self->top, self->dest, out));
	EXPECT_EQ(0, sh("test ! -s '%s'", out)) {
		sh("cat '%s'", out);
	}
}

/* A datagram socket standing in for systemd's $NOTIFY_SOCKET. */
static int notify_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (strlen(path) >= sizeof(sa.sun_path))
		return -1;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	return fd;
}

static bool got_ready(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char msg[512];
	ssize_t n;

	while (poll(&p, 1, 0) == 1) {
		n = recv(fd, msg, sizeof(msg) - 1, 0);
		if (n < 0)
			return false;
		msg[n] = 0;
		if (strstr(msg, "READY=1"))
			return true;
	}
	return false;
}

/*
 * Pins in a directory that is no bpffs (and, on this host, a kernel
 * that refuses LSM programs): abacd fails, and says READY=1 to no one.
 * The listener itself is shown to receive what is sent to it.
 */
TEST_F(install, abacd_that_cannot_attach_never_reports_ready)
{
	char sock[100], cmd[4096];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, st;

	snprintf(sock, sizeof(sock), "%s/notify", self->dest);
	fd = notify_listen(sock);
	ASSERT_LE(0, fd);
	snprintf(cmd, sizeof(cmd),
		 "NOTIFY_SOCKET='%s' '%s/abacd' --state-dir '%s/state' "
		 "--log '%s/log/events.jsonl' --socket '%s/abacd.sock' "
		 "--pin-dir '%s/pins' >'%s/abacd.out' 2>&1",
		 sock, self->build, self->dest, self->dest, self->dest,
		 self->dest, self->dest);
	st = sh("%s", cmd);
	EXPECT_EQ(1, st);
	EXPECT_FALSE(got_ready(fd));
	/* positive control: the same listener hears a READY=1 sent to it */
	memcpy(sa.sun_path, sock, strlen(sock) + 1);
	ASSERT_EQ(8, sendto(fd, "READY=1\n", 8, 0, (struct sockaddr *)&sa,
			    sizeof(sa)));
	EXPECT_TRUE(got_ready(fd));
	close(fd);
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* A stream socket bound at @path, listening; -1 on failure. */
static int ctl_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || strlen(path) >= sizeof(sa.sun_path))
		return -1;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 1)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Read one request frame of abac's into @buf: its length, then its body. */
static bool read_frame(int fd, char *buf, size_t size)
{
	uint32_t len;
	size_t got = 0;
	ssize_t n;

	if (read(fd, &len, sizeof(len)) != sizeof(len))
		return false;
	len = le32toh(len);
	if (len > size)
		return false;
	while (got < len) {
		n = read(fd, buf + got, len - got);
		if (n <= 0)
			return false;
		got += n;
	}
	return true;
}

/*
 * abac status --wait, what a script runs before its first abac call:
 * with nothing listening it waits the seconds it was given, then fails
 * with the pins' report; a socket that appears meanwhile, over a stale
 * one an earlier abacd left, is reached.  (Ready means listening: abacd
 * opens its socket only once the policy is in force, deploy_test.)
 */
TEST_F(install, status_wait_waits_for_the_socket_to_answer)
{
	char sock[100], out[PATH_MAX];
	long long t0, ms;
	char buf[64];
	pid_t pid;
	int fd, st;

	snprintf(sock, sizeof(sock), "%s/abacd.sock", self->dest);
	snprintf(out, sizeof(out), "%s/status.out", self->dest);
	/* nothing there: two seconds of waiting, then exit 1 */
	t0 = mono_ms();
	st = sh("'%s/abac' --socket '%s' status --wait 2 >'%s' 2>&1",
		self->build, sock, out);
	ms = mono_ms() - t0;
	EXPECT_EQ(1, st);
	EXPECT_LE(1900, ms);
	EXPECT_GT(60000, ms);
	EXPECT_EQ(0, sh("grep -q 'abacd is not running' '%s'", out)) {
		sh("cat '%s'", out);
	}
	EXPECT_EQ(2, sh("'%s/abac' --socket '%s' status --wait soon >/dev/null 2>&1",
			self->build, sock));

	/* a stale socket (bound, nobody listening), replaced 0.5 s later */
	fd = ctl_listen(sock);
	ASSERT_LE(0, fd);
	close(fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		alarm(20);	/* nobody came: die, and fail the test */
		usleep(500 * 1000);
		unlink(sock);
		fd = ctl_listen(sock);
		if (fd < 0)
			_exit(1);
		fd = accept(fd, NULL, NULL);
		if (fd < 0)
			_exit(1);
		/* the whole request arrives; hang up without answering */
		if (!read_frame(fd, buf, sizeof(buf)))
			_exit(1);
		close(fd);
		_exit(0);
	}
	ms = sh("'%s/abac' --socket '%s' status --wait 15 >'%s' 2>&1",
		self->build, sock, out);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	EXPECT_EQ(1, ms);
	/* it connected and asked: the hang-up is what failed it */
	EXPECT_EQ(0, sh("grep -q 'abacd closed the connection' '%s'", out)) {
		sh("cat '%s'", out);
	}
}

TEST_HARNESS_MAIN
