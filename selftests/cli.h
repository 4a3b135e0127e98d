/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Running the abac CLI from a host test: find build/abac beside the test
 * binary, run it with an argument vector and capture its exit status, its
 * standard output and its standard error.
 *
 * The outputs go to memory files, not pipes, so that a command printing
 * much on both never blocks on the one not being read.
 */
#ifndef _ABAC_SELFTESTS_CLI_H
#define _ABAC_SELFTESTS_CLI_H

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* build/abac, next to build/selftests/host/<this test>. */
static inline const char *cli_path(char *buf, size_t sz)
{
	ssize_t n = readlink("/proc/self/exe", buf, sz - 1);
	char *slash;
	int up;

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	for (up = 0; up < 3; up++) {
		slash = strrchr(buf, '/');
		if (!slash)
			return NULL;
		*slash = '\0';
	}
	if (strlen(buf) + sizeof("/abac") > sz)
		return NULL;
	strcat(buf, "/abac");
	return access(buf, X_OK) ? NULL : buf;
}

/* All of memory file @fd into @buf (NUL-terminated, cut at @sz - 1). */
static inline void cli_slurp(int fd, char *buf, size_t sz)
{
	size_t got = 0;
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	while (got < sz - 1 && (n = read(fd, buf + got, sz - 1 - got)) > 0)
		got += n;
	buf[got] = '\0';
	close(fd);
}

/*
 * Run @cli with @argv (argv[0] is replaced), standard input from
 * /dev/null; @out and @err (@sz bytes each) receive its outputs.
 * Return: its exit status, or -1 when it could not run or was killed.
 */
static inline int run_cli(const char *cli, char **argv, char *out,
			  char *err, size_t sz)
{
	int fo = memfd_create("out", 0), fe = memfd_create("err", 0);
	int status, in;
	pid_t pid;

	if (fo < 0 || fe < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		in = open("/dev/null", O_RDONLY);
		dup2(in, 0);
		dup2(fo, 1);
		dup2(fe, 2);
		argv[0] = (char *)cli;
		execv(cli, argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		status = -1;
	cli_slurp(fo, out, sz);
	cli_slurp(fe, err, sz);
	return status < 0 ? -1 : WEXITSTATUS(status);
}

#endif /* _ABAC_SELFTESTS_CLI_H */
