/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers for abac's in-VM tests: they run inside the QEMU guest that
 * scripts/vmtest.sh boots, as root, with abac and abacd on PATH.
 *
 * Every test policy is scoped to test cgroups under TEST_CG_ROOT: nothing
 * outside them is ever tagged, so a mistake cannot lock the guest up.
 */
#ifndef _ABAC_VM_COMMON_H
#define _ABAC_VM_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <mntent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "libabac.h"

/*
 * The first test to start abacd waits while the kernel verifies every
 * BPF program: minutes under QEMU TCG.  Tests never measure time; this
 * only keeps the harness from killing a slow guest's test.
 */
#ifdef TEST_TIMEOUT_DEFAULT
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 600
#endif

#define CG_MOUNT	"/sys/fs/cgroup"
#define TEST_CG_ROOT	CG_MOUNT "/abac-test"
#define TEST_DIR	"/tmp/abac-test"
#define AGENT_STATE	"/tmp/abac-state"
#define AGENT_LOG	"/tmp/abac-events.jsonl"
#define AGENT_STDERR	"/tmp/abacd.stderr"
#define AGENT_SOCK	"/run/abac/abacd.sock"
#define PIN_DIR		"/sys/fs/bpf/abac"	/* ABAC_PIN_DIR */

/*
 * Which kernel side enforces in this guest: the BPF-LSM programs on
 * Debian's kernel, or the native abac LSM on the kernel make kernel
 * builds.  Every test runs on both (scripts/vm-init.sh); the few that
 * are about one backend only skip on the other with VM_ONLY().
 */
enum vm_backend {
	VM_BPF,
	VM_NATIVE,
};

static inline enum vm_backend vm_backend(void)
{
	char buf[512] = "";
	FILE *f = fopen("/sys/kernel/security/lsm", "r");
	bool abac = false, bpf = false;
	char *tok, *save = NULL;

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	for (tok = strtok_r(buf, ",\n", &save); tok;
	     tok = strtok_r(NULL, ",\n", &save)) {
		abac |= !strcmp(tok, "abac");
		bpf |= !strcmp(tok, "bpf");
	}
	return abac && !bpf ? VM_NATIVE : VM_BPF;
}

static inline const char *vm_backend_name(enum vm_backend b)
{
	return b == VM_NATIVE ? "native abac LSM" : "BPF-LSM";
}

/*
 * Skip the rest of a test on the other backend, saying why: for what is
 * inherently one backend's (BPF pins, the bpf() syscall's objects ...).
 */
#define VM_ONLY(b, why)							\
	do {								\
		if (vm_backend() != (b))				\
			SKIP(return, "%s only: %s", vm_backend_name(b),	\
			     why);					\
	} while (0)

static inline void vm_msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * One pause of a loop that waits for a condition: 5 ms, then twice as
 * long each time up to 100 ms, so that what comes at once is seen at
 * once and what takes long is not looked at too often.  Adds the pause
 * to *@waited_ms.
 */
static inline void vm_backoff(int *step_ms, int *waited_ms)
{
	if (*step_ms <= 0)
		*step_ms = 5;
	vm_msleep(*step_ms);
	*waited_ms += *step_ms;
	*step_ms = *step_ms * 2 > 100 ? 100 : *step_ms * 2;
}

/* Run a shell command; return its exit status (or 128 + signal). */
static inline int vm_sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	if (st == -1)
		return -1;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

/* Run a shell command and capture its stdout (and stderr) into @out. */
static inline int vm_sh_out(char *out, size_t sz, const char *fmt, ...)
{
	char cmd[8192];
	size_t n = 0;
	va_list ap;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (n + 1 < sz) {
		size_t r = fread(out + n, 1, sz - 1 - n, p);

		if (!r)
			break;
		n += r;
	}
	out[n] = 0;
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static inline int vm_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fputs(text, f);
	return fclose(f) ? -errno : 0;
}

/* The whole file in a malloc()ed string, or NULL. */
static inline char *vm_read_file(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, 0, f) < 0) {
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

static inline bool vm_agent_up(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	bool up;

	strncpy(sa.sun_path, AGENT_SOCK, sizeof(sa.sun_path) - 1);
	up = fd >= 0 && !connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	if (fd >= 0)
		close(fd);
	return up;
}

/* The agent this process started last, until it is reaped. */
static pid_t vm_agent_child;

/*
 * Start abacd in the background unless it already answers; wait for its
 * socket.  Returns its pid (0 when it was already running) or -1.
 */
static inline pid_t vm_agent_start(void)
{
	int step = 0, waited = 0;
	pid_t pid;

	if (vm_agent_up())
		return 0;
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
		       "--log", AGENT_LOG, (char *)NULL);
		_exit(127);
	}
	/* TCG verifies 15 programs slowly: up to 300 s */
	while (waited < 300000) {
		if (vm_agent_up())
			return vm_agent_child = pid;
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return -1;
		vm_backoff(&step, &waited);
	}
	return -1;
}

/* SIGKILL every abacd and wait until none is left. */
static inline void vm_agent_kill9(void)
{
	int i;

	vm_sh("killall -9 abacd >/dev/null 2>&1");
	/*
	 * An agent this process started stays a zombie, which pidof still
	 * finds, until it is reaped: reap before each look.
	 */
	for (i = 0; i < 100; i++) {
		if (vm_agent_child > 0 &&
		    waitpid(vm_agent_child, NULL, WNOHANG) == vm_agent_child)
			vm_agent_child = 0;
		if (vm_sh("pidof abacd >/dev/null"))
			break;
		vm_msleep(50);
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/*
 * The fixtures below (apply, tag, untag) ask abacd over its control
 * socket as the abac CLI does, without starting a CLI process each time:
 * under QEMU TCG a process of the CLI costs about 0.1 s before it does
 * anything, and a test case's fixture would start eight of them.  What
 * they set up is not what a test here tests; the CLI's own parsing and
 * messages are tested where a test runs "abac ..." itself.
 *
 * vm_ctl() sends one request and returns what the CLI would exit with:
 * 0, 1 (refused, or abacd not reached) or 2 (misuse).  @out, when not
 * NULL, receives the reply's text (cut to @sz); vm_ctl_text() gives the
 * whole text, malloc()ed (NULL when abacd was not reached).
 */
static inline int vm_ctl_text(char **text, int argc, const char *const *argv)
{
	size_t len;
	int status;

	*text = NULL;
	if (abac_ctl_call(AGENT_SOCK, argc, argv, &status, text, &len))
		return 1;
	return status == ABAC_CTL_OK || status == ABAC_CTL_USAGE ? status : 1;
}

static inline int vm_ctl(char *out, size_t sz, int argc,
			 const char *const *argv)
{
	char *text;
	int ret = vm_ctl_text(&text, argc, argv);

	if (out && sz)
		snprintf(out, sz, "%s", text ? text : "");
	free(text);
	return ret;
}

/*
 * Apply the policy file at @path as "abac policy apply PATH" does: sent
 * as one layer named by the path.  The CLI would also compile it first
 * and refuse what does not compile; abacd compiles it all the same and
 * refuses it just as well.  Returns the CLI's exit status.
 */
static inline int vm_apply_file(const char *path)
{
	const char *args[3] = { "policy-apply", path };
	char *yaml = vm_read_file(path), *text = NULL;
	size_t len;
	int ret;

	if (!yaml)
		return 1;
	len = strlen(yaml);
	ret = abac_layers_join(&path, (const char *const *)&yaml, &len, 1,
			       &text, &len);
	free(yaml);
	if (ret)
		return 1;
	args[2] = text;
	ret = vm_ctl(NULL, 0, 3, args);
	free(text);
	return ret;
}

/* Write @yaml to a file and apply it; returns the CLI's exit status. */
static inline int vm_apply(const char *name, const char *yaml)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), TEST_DIR "/%s.yaml", name);
	if (vm_write_file(path, yaml))
		return -1;
	return vm_apply_file(path);
}

static inline int vm_mkcg(const char *name)
{
	char path[PATH_MAX];

	mkdir(TEST_CG_ROOT, 0755);
	snprintf(path, sizeof(path), TEST_CG_ROOT "/%s", name);
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

/*
 * Split @s into words as sh would, for the quoting the tests' tags use:
 * blanks between words, '...' taken as it is, a backslash outside quotes
 * taking the next character as it is.  The words go to @buf, their
 * starts to @words.  Returns how many, or -1 for what sh would treat
 * otherwise (double quotes, $, `, globs, ...): say it with the CLI then.
 */
static inline int vm_sh_words(const char *s, char *buf, size_t sz,
			      const char **words, int max)
{
	size_t at = 0;
	int n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			return n;
		if (n == max)
			return -1;
		words[n++] = buf + at;
		while (*s && *s != ' ' && *s != '\t') {
			if (*s == '\'') {
				for (s++; *s && *s != '\''; s++) {
					if (at + 1 >= sz)
						return -1;
					buf[at++] = *s;
				}
				if (!*s++)
					return -1;
				continue;
			}
			if (*s == '\\' && s[1])
				s++;
			else if (strchr("\"$`*?[]~#&|;<>(){}!\n", *s))
				return -1;
			if (at + 1 >= sz)
				return -1;
			buf[at++] = *s++;
		}
		buf[at++] = '\0';
		if (at >= sz)
			return -1;
	}
}

/* "abac subject tag TEST_CG_ROOT/@cg @tags", @tags as sh words. */
static inline int vm_tag(const char *cg, const char *tags)
{
	const char *args[64] = { "subject-tag" };
	char path[PATH_MAX], real[PATH_MAX], words[8192];
	int n;

	if (vm_mkcg(cg))
		return -1;
	snprintf(path, sizeof(path), TEST_CG_ROOT "/%s", cg);
	n = vm_sh_words(tags, words, sizeof(words), args + 2, 62);
	if (n < 1 || !realpath(path, real))
		return vm_sh("abac subject tag %s %s >/dev/null 2>&1", path,
			     tags);
	args[1] = real;
	return vm_ctl(NULL, 0, n + 2, args);
}

/* "abac subject untag PATH" for an absolute cgroup path. */
static inline int vm_untag_path(const char *path)
{
	const char *args[2] = { "subject-untag", path };
	char real[PATH_MAX];

	/* as the CLI: a cgroup that is gone by its path as written */
	if (realpath(path, real))
		args[1] = real;
	return vm_ctl(NULL, 0, 2, args);
}

/*
 * Remove the tags of test cgroup @cg, so that the next test program's
 * policy need not know this one's attributes.
 */
static inline int vm_untag(const char *cg)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), TEST_CG_ROOT "/%s", cg);
	return vm_untag_path(path);
}

static inline int vm_label(const char *path, const char *label)
{
	return setxattr(path, "user.abac", label, strlen(label), 0) ? -errno : 0;
}

/* Create @path with @text and, when @label is not NULL, label it. */
static inline int vm_mkfile(const char *path, const char *text,
			    const char *label)
{
	int err = vm_write_file(path, text);

	if (err || !label)
		return err;
	return vm_label(path, label);
}

/* The exit status of child @pid once it ends; -1 if it did not exit. */
static inline int vm_wait_exit(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/*
 * Open @path with @flags from a fresh process in cgroup @cg (NULL: stay
 * in the caller's, untagged, cgroup).  Returns 0 when the open worked, or
 * the errno it failed with.
 */
static inline int vm_probe_open(const char *cg, const char *path, int flags)
{
	char procs[PATH_MAX];
	pid_t pid;
	int fd;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		if (cg) {
			snprintf(procs, sizeof(procs),
				 TEST_CG_ROOT "/%s/cgroup.procs", cg);
			fd = open(procs, O_WRONLY);
			if (fd < 0 || write(fd, "0", 1) != 1)
				_exit(250);
			close(fd);
		}
		fd = open(path, flags, 0600);	/* the mode: for O_CREAT */
		_exit(fd < 0 ? errno : 0);
	}
	return vm_wait_exit(pid);
}

/* Move the calling process into test cgroup @cg; 0 or -1. */
static inline int vm_join_cg(const char *cg)
{
	char procs[PATH_MAX];
	int fd, ok;

	snprintf(procs, sizeof(procs), TEST_CG_ROOT "/%s/cgroup.procs", cg);
	fd = open(procs, O_WRONLY);
	if (fd < 0)
		return -1;
	ok = write(fd, "0", 1) == 1;
	close(fd);
	return ok ? 0 : -1;
}

/*
 * Run @fn(@arg) in a fresh process in cgroup @cg (NULL: the caller's,
 * untagged).  @fn returns 0 or an errno; so does this (-1: no process).
 */
static inline int vm_in_cg(const char *cg, int (*fn)(const void *arg),
			   const void *arg)
{
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		if (cg && vm_join_cg(cg))
			_exit(250);
		_exit(fn(arg) & 0xff);
	}
	return vm_wait_exit(pid);
}

/* 0 or errno of a syscall's result, for vm_in_cg() functions. */
static inline int vm_rc(long ret)
{
	return ret < 0 ? errno : 0;
}

/* Wait until the agent's log holds a line containing every @needle. */
static inline bool vm_log_has(const char *n1, const char *n2, int timeout_ms)
{
	int waited = 0, step = 0;

	for (;;) {
		char *log = vm_read_file(AGENT_LOG), *line, *save = NULL;
		bool hit = false;

		for (line = log ? strtok_r(log, "\n", &save) : NULL; line;
		     line = strtok_r(NULL, "\n", &save)) {
			if (strstr(line, n1) && (!n2 || strstr(line, n2))) {
				hit = true;
				break;
			}
		}
		free(log);
		if (hit)
			return true;
		if (waited >= timeout_ms)
			return false;
		vm_backoff(&step, &waited);
	}
}

/*
 * Wait up to @timeout_ms until the binding table of the image in force
 * binds a name under the cgroup at @path, by its present id.
 */
static inline bool vm_image_binds_under(const char *path, int timeout_ms)
{
	static const char *const show[] = { "policy-show" };
	char out[16384], want[64];
	int waited = 0, step = 0;
	struct stat st;

	for (;;) {
		/* what "abac policy show" prints */
		if (!stat(path, &st) && !vm_ctl(out, sizeof(out), 1, show)) {
			snprintf(want, sizeof(want), "under cgroup %llu ",
				 (unsigned long long)st.st_ino);
			if (strstr(out, want))
				return true;
		}
		if (waited >= timeout_ms)
			return false;
		vm_backoff(&step, &waited);
	}
}

/*
 * For each line of @text after the first @skip: when its second field is
 * (@want true) or is not (@want false) @second, send @verb with its first
 * field, a cgroup path (canonical when it exists, as the CLI sends it).
 */
static inline void vm_each_first(const char *text, int skip,
				 const char *second, bool want,
				 const char *verb)
{
	char f1[PATH_MAX], f2[64], real[PATH_MAX];
	const char *line, *next, *args[2] = { verb };
	int no = 0;

	for (line = text; line && *line; line = next) {
		next = strchrnul(line, '\n');
		if (*next)
			next++;
		if (no++ < skip)
			continue;
		f1[0] = f2[0] = '\0';
		if (sscanf(line, "%4095s %63s", f1, f2) < 1)
			continue;
		if ((strcmp(f2, second) == 0) != want)
			continue;
		args[1] = realpath(f1, real) ? real : f1;
		vm_ctl(NULL, 0, 2, args);
	}
}

/*
 * nftw() callback of vm_setup(): rm -rf under TEST_DIR; under
 * TEST_CG_ROOT the cgroups below it (a cgroup's files go with it).
 */
static inline int vm_rm_one(const char *path, const struct stat *st,
			    int type, struct FTW *ftw)
{
	bool cg = !strncmp(path, CG_MOUNT "/", strlen(CG_MOUNT "/"));

	if (type == FTW_DP && (!cg || ftw->level > 0))
		rmdir(path);
	else if (type != FTW_DP && !cg)
		unlink(path);
	return 0;
}

static inline int vm_strcmp_desc(const void *a, const void *b)
{
	return strcmp(*(char *const *)b, *(char *const *)a);
}

/* A fresh, empty test directory and test cgroup root; the agent running. */
static inline int vm_setup(void)
{
	static const char *const list[] = { "subject-list" };
	static const char *const bindings[] = { "subject-bindings" };
	char *text, *mnts[256];
	struct mntent *me;
	size_t n = 0, i;
	FILE *f;

	/* what a failed test left mounted there, deepest first */
	f = setmntent("/proc/mounts", "r");
	while (f && n < 256 && (me = getmntent(f)))
		if (!strncmp(me->mnt_dir, TEST_DIR "/", strlen(TEST_DIR "/")))
			mnts[n++] = strdup(me->mnt_dir);
	if (f)
		endmntent(f);
	qsort(mnts, n, sizeof(*mnts), vm_strcmp_desc);
	for (i = 0; i < n; i++) {
		if (mnts[i])
			umount2(mnts[i], MNT_DETACH);
		free(mnts[i]);
	}
	nftw(TEST_DIR, vm_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	/*
	 * Remove the test cgroups of earlier tests, deepest first (the root
	 * stays): their tags may not fit the next policy (abacd drops the
	 * tags of a cgroup that is gone when they do not fit).
	 */
	nftw(TEST_CG_ROOT, vm_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	if (mkdir(TEST_DIR, 0755))
		return -errno;
	mkdir(TEST_CG_ROOT, 0755);
	if (vm_agent_start() < 0)
		return -1;
	/*
	 * abacd keeps a cgroup tagged by hand while it is gone, to tag it
	 * again when it is made again at its path: forget those, so that
	 * the next test's cgroups start untagged (abac subject list: the
	 * ones whose second column says "absent").
	 */
	if (!vm_ctl_text(&text, 1, list))
		vm_each_first(text, 0, "absent", true, "subject-untag");
	free(text);
	/*
	 * And the cgroups an earlier test bound at run time (abac subject
	 * bindings: after its heading, those not bound by the "policy").
	 */
	if (!vm_ctl_text(&text, 1, bindings))
		vm_each_first(text, 1, "policy", false, "subject-unbind");
	free(text);
	return 0;
}

#endif /* _ABAC_VM_COMMON_H */
