// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac run [--name NAME] [--keep] KEY=VALUE... -- COMMAND [ARG...]
 *
 * Runs COMMAND as a tagged subject: in a cgroup of its own,
 * <cgroup2>/abac/NAME, tagged by abacd before COMMAND starts.  The child
 * waits on a pipe until the parent has moved it into the tagged cgroup,
 * so not one instruction of COMMAND runs untagged.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "abac.h"
#include "ctl.h"

/**
 * struct run - one abac run.
 * @cg: the cgroup's absolute path.
 * @created: this run made @cg, so this run removes it.
 * @tagged: abacd tagged @cg for this run.
 * @keep: --keep: leave @cg and its tags in place.
 * @npairs: tags.
 * @pairs: "KEY=VALUE" strings.
 * @cmd: COMMAND and its arguments, NULL-terminated.
 */
struct run {
	char cg[PATH_MAX];
	bool created;
	bool tagged;
	bool keep;
	int npairs;
	char **pairs;
	char **cmd;
};

static pid_t child_pid;

/* Pass termination on to COMMAND; the parent stays to clean up. */
static void forward(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

static bool name_ok(const char *name)
{
	return *name && strcmp(name, ".") && strcmp(name, "..") &&
	       !strpbrk(name, "/\n") && strlen(name) < NAME_MAX;
}

/* Does the cgroup hold any process? (errors count as "yes": keep it) */
static bool populated(const char *cg)
{
	char path[PATH_MAX + 16], c;
	bool any = true;
	int fd;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;
	any = read(fd, &c, 1) != 0;
	close(fd);
	return any;
}

/* Make <cgroup2>/abac/NAME, or reuse it when it holds no process. */
static int make_cgroup(struct run *r, const char *name)
{
	char mnt[PATH_MAX], base[PATH_MAX + 8];

	if (cg2_mount(mnt, sizeof(mnt)))
		return -ENAMETOOLONG;
	snprintf(base, sizeof(base), "%s/abac", mnt);
	if (mkdir(base, 0755) && errno != EEXIST) {
		p_err("Failed to run command: cannot create cgroup %s: %s",
		      base, strerror(errno));
		return -errno;
	}
	if ((size_t)snprintf(r->cg, sizeof(r->cg), "%s/%s", base, name) >=
	    sizeof(r->cg))
		return -ENAMETOOLONG;
	if (!mkdir(r->cg, 0755)) {
		r->created = true;
		return 0;
	}
	if (errno != EEXIST) {
		p_err("Failed to run command: cannot create cgroup %s: %s",
		      r->cg, strerror(errno));
		return -errno;
	}
	if (populated(r->cg)) {
		p_err("Failed to run command: cgroup %s already holds processes (choose another --name)",
		      r->cg);
		return -EBUSY;
	}
	return 0;
}

static int tag_cgroup(struct run *r)
{
	const char *args[ABAC_CTL_ARGS_MAX];
	struct agent_reply rep;
	int i, n = 0, ret;

	args[n++] = "subject-tag";
	args[n++] = r->cg;
	for (i = 0; i < r->npairs; i++)
		args[n++] = r->pairs[i];
	if (agent_call("run command", n, args, &rep))
		return -EIO;
	if (rep.status != ABAC_CTL_OK) {
		ret = agent_print(&rep);	/* abacd says why */
		agent_reply_free(&rep);
		return ret == ABAC_EXIT_USAGE ? -EINVAL : -EPERM;
	}
	agent_reply_free(&rep);
	r->tagged = true;
	return 0;
}

/* Untag and remove the cgroup, unless told to keep it or it is in use. */
static void cleanup(struct run *r)
{
	const char *args[2] = { "subject-untag", r->cg };
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	struct agent_reply rep;
	int i;

	if (r->keep && r->tagged)
		return;
	if (r->tagged && populated(r->cg)) {
		/* COMMAND left processes behind: they keep their tags */
		p_warn("cgroup %s still holds processes: left in place, tagged (later: abac subject untag %s; rmdir %s)",
		       r->cg, r->cg, r->cg);
		return;
	}
	if (r->tagged) {
		if (!agent_call("untag subject", 2, args, &rep)) {
			if (rep.status != ABAC_CTL_OK)
				agent_print(&rep);
			agent_reply_free(&rep);
		}
	}
	if (!r->created)
		return;
	/* the last task may take a moment to leave once reaped */
	for (i = 0; rmdir(r->cg) && errno == EBUSY && i < 50; i++)
		nanosleep(&ts, NULL);
	if (i == 50)
		p_warn("cannot remove cgroup %s: %s", r->cg, strerror(EBUSY));
}

/* The child: wait for the go-ahead, then become COMMAND. */
static void __attribute__((noreturn)) child(int go, char **cmd)
{
	char c;

	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	if (read(go, &c, 1) != 1)
		_exit(127);	/* the parent failed and said why */
	execvp(cmd[0], cmd);
	fprintf(stderr, "Failed to run %s: %s\n", cmd[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

static int move_into(const char *cg, pid_t pid)
{
	char path[PATH_MAX + 16], buf[32];
	int fd, n, err = 0;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%d\n", (int)pid);
	if (write(fd, buf, n) != n)
		err = -errno;
	close(fd);
	return err;
}

static int wait_child(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return ABAC_EXIT_FAIL;
	}
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

static void parent_signals(void)
{
	struct sigaction sa = { .sa_handler = forward };

	/* the terminal sends ^C to COMMAND too; abac must outlive it */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* Fork COMMAND, put it in the tagged cgroup, let it go, wait for it. */
static int launch(struct run *r)
{
	int go[2], err;
	pid_t pid;

	if (pipe2(go, O_CLOEXEC)) {
		p_err("Failed to run command: %s", strerror(errno));
		return ABAC_EXIT_FAIL;
	}
	fflush(NULL);
	parent_signals();
	pid = fork();
	if (pid < 0) {
		p_err("Failed to run command: fork: %s", strerror(errno));
		close(go[0]);
		close(go[1]);
		return ABAC_EXIT_FAIL;
	}
	if (!pid) {
		close(go[1]);
		child(go[0], r->cmd);
	}
	child_pid = pid;
	close(go[0]);
	err = move_into(r->cg, pid);
	if (err) {
		p_err("Failed to run command: cannot move it into %s: %s",
		      r->cg, strerr(err));
		close(go[1]);	/* the child reads EOF and exits unrun */
		wait_child(pid);
		return ABAC_EXIT_FAIL;
	}
	if (write(go[1], "g", 1) != 1) {
		p_err("Failed to run command: %s", strerror(errno));
		close(go[1]);
		wait_child(pid);
		return ABAC_EXIT_FAIL;
	}
	close(go[1]);
	return wait_child(pid);
}

/* Split "KEY=VALUE... -- COMMAND [ARG...]" at @argv[@first...]. */
static int parse_operands(struct run *r, int argc, char **argv, int first)
{
	char why[512];
	int i;

	/* getopt ate a "--" that came first: there are no pairs */
	if (first > 1 && !strcmp(argv[first - 1], "--"))
		return p_usage("run takes at least one KEY=VALUE before --");
	for (i = first; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strchr(argv[i], '='))
			return p_usage("'%s' is not KEY=VALUE (put -- between the pairs and COMMAND)",
				       argv[i]);
		if (check_pair(argv[i], why, sizeof(why)))
			return p_usage("%s", why);
	}
	if (i == first)
		return p_usage("run takes at least one KEY=VALUE");
	if (i >= argc)
		return p_usage("put -- between the KEY=VALUE pairs and COMMAND");
	if (i + 1 >= argc)
		return p_usage("which command?");
	if (i - first > ABAC_CTL_ARGS_MAX - 3)
		return p_usage("too many KEY=VALUE pairs");
	r->pairs = argv + first;
	r->npairs = i - first;
	r->cmd = argv + i + 1;
	return 0;
}

/**
 * do_run() - abac run [--name NAME] [--keep] KEY=VALUE... -- COMMAND...
 * @argc: argument count, "run" in argv[0].
 * @argv: the arguments.
 *
 * Return: COMMAND's exit status (128+N when killed by signal N); 1 when
 * it could not be run as a tagged subject, in which case it did not run
 * at all; 2 on misuse.
 */
int do_run(int argc, char **argv)
{
	static const struct option opts[] = {
		ABAC_COMMON_LONGOPTS,
		{ "name", required_argument, NULL, 'n' },
		{ "keep", no_argument, NULL, 'k' },
		{ NULL }
	};
	char defname[32];
	const char *name = NULL;
	struct run r = { 0 };
	int c, ret;

	while ((c = verb_getopt(argc, argv, "+n:k" ABAC_COMMON_SHORTOPTS,
				opts)) != -1) {
		if (c == 'n')
			name = optarg;
		else if (c == 'k')
			r.keep = true;
		else
			return ABAC_EXIT_USAGE;
	}
	ret = parse_operands(&r, argc, argv, optind);
	if (ret)
		return ret;
	if (!name) {
		snprintf(defname, sizeof(defname), "run-%d", (int)getpid());
		name = defname;
	}
	if (!name_ok(name))
		return p_usage("bad --name '%s': one cgroup name, no '/'", name);
	if (make_cgroup(&r, name))
		return ABAC_EXIT_FAIL;
	if (tag_cgroup(&r)) {
		cleanup(&r);
		return ABAC_EXIT_FAIL;
	}
	ret = launch(&r);
	cleanup(&r);
	return ret;
}
