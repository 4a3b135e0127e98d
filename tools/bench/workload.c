// SPDX-License-Identifier: GPL-2.0-only
/*
 * The timed operations.  Each runs n times in a loop between two clock
 * reads; what it needs beforehand (an open file, a listening socket) is
 * set up outside the timed loop.  Every operation's result is checked: a
 * refused open or a failed connect ends the batch with its errno rather
 * than being timed as if it had worked.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

const char *const bench_workload_names[W_COUNT] = {
	[W_OPEN] = "open+close",
	[W_READ] = "read-4k",
	[W_EXEC] = "fork+exec",
	[W_CONNECT] = "tcp-connect",
	[W_STAT] = "stat",
};

static int run_open(unsigned long n, double *ns)
{
	unsigned long i;
	double t0 = bench_now_ns();
	int fd;

	for (i = 0; i < n; i++) {
		fd = open(BENCH_DATA, O_RDONLY);
		if (fd < 0)
			return -errno;
		close(fd);
	}
	*ns = bench_now_ns() - t0;
	return 0;
}

static int run_read(unsigned long n, double *ns)
{
	static char buf[4096];
	unsigned long i;
	double t0;
	int fd, err = 0;

	fd = open(BENCH_DATA, O_RDONLY);
	if (fd < 0)
		return -errno;
	t0 = bench_now_ns();
	for (i = 0; i < n; i++) {
		if (pread(fd, buf, sizeof(buf), 0) != sizeof(buf)) {
			err = -EIO;
			break;
		}
	}
	*ns = bench_now_ns() - t0;
	close(fd);
	return err;
}

static int run_exec(unsigned long n, double *ns)
{
	static char *const argv[] = { BENCH_TRUE, NULL };
	static char *const envp[] = { NULL };
	unsigned long i;
	double t0 = bench_now_ns();
	int st;
	pid_t pid;

	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0)
			return -errno;
		if (!pid) {
			execve(BENCH_TRUE, argv, envp);
			_exit(errno);
		}
		if (waitpid(pid, &st, 0) != pid)
			return -errno;
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			return WIFEXITED(st) ? -WEXITSTATUS(st) : -EINTR;
	}
	*ns = bench_now_ns() - t0;
	return 0;
}

static int listener(struct sockaddr_in *sa)
{
	socklen_t len = sizeof(*sa);
	int fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	sa->sin_family = AF_INET;
	sa->sin_port = 0;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)sa, sizeof(*sa)) ||
	    listen(fd, 64) || getsockname(fd, (struct sockaddr *)sa, &len)) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* One connect and accept; the client closes with RST: no TIME_WAIT. */
static int connect_once(int lfd, const struct sockaddr_in *sa)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int c, a, err = 0;

	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0)
		return -errno;
	if (connect(c, (const struct sockaddr *)sa, sizeof(*sa))) {
		err = -errno;
		goto out_close;
	}
	a = accept(lfd, NULL, NULL);
	if (a < 0) {
		err = -errno;
		goto out_close;
	}
	setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(a);
out_close:
	close(c);
	return err;
}

static int run_connect(unsigned long n, double *ns)
{
	struct sockaddr_in sa;
	unsigned long i;
	double t0;
	int lfd, err = 0;

	lfd = listener(&sa);
	if (lfd < 0)
		return lfd;
	t0 = bench_now_ns();
	for (i = 0; i < n && !err; i++)
		err = connect_once(lfd, &sa);
	*ns = bench_now_ns() - t0;
	close(lfd);
	return err;
}

static int run_stat(unsigned long n, double *ns)
{
	unsigned long i;
	struct stat st;
	double t0 = bench_now_ns();

	for (i = 0; i < n; i++)
		if (stat(BENCH_DATA, &st))
			return -errno;
	*ns = bench_now_ns() - t0;
	return 0;
}

/**
 * bench_workload_run() - time @n operations of one workload.
 * @w: the workload.
 * @n: operations.
 * @ns: receives the time they took, in nanoseconds.
 *
 * Return: 0, or the negative errno of the first operation that failed.
 */
int bench_workload_run(enum bench_workload w, unsigned long n, double *ns)
{
	switch (w) {
	case W_OPEN:
		return run_open(n, ns);
	case W_READ:
		return run_read(n, ns);
	case W_EXEC:
		return run_exec(n, ns);
	case W_CONNECT:
		return run_connect(n, ns);
	case W_STAT:
		return run_stat(n, ns);
	default:
		return -EINVAL;
	}
}
