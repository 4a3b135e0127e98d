// SPDX-License-Identifier: GPL-2.0-only
/*
 * The service manager's readiness protocol (sd_notify(3)), spoken without
 * libsystemd: one datagram of "KEY=VALUE" lines to the AF_UNIX socket
 * named by $NOTIFY_SOCKET ("@name" for the abstract namespace).  abacd
 * says READY=1 only once the programs are attached, the policy is in force
 * and the control socket listens, so that a unit ordered After= it (or a
 * script running "abac status --wait") finds it enforcing.
 *
 * Without $NOTIFY_SOCKET (not started by systemd) every call does nothing.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "abacd.h"

/* Fill @sa from $NOTIFY_SOCKET; its length, or 0 when there is none. */
static socklen_t notify_addr(struct sockaddr_un *sa)
{
	const char *path = getenv("NOTIFY_SOCKET");
	size_t n;

	if (!path || !*path)
		return 0;
	n = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof(sa->sun_path))
		return 0;
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path, path, n);
	if (path[0] == '@')
		sa->sun_path[0] = '\0';	/* abstract: no NUL at the end */
	return offsetof(struct sockaddr_un, sun_path) + n;
}

/**
 * notify() - tell the service manager about abacd's state.
 * @fmt: printf format of the "KEY=VALUE\n..." message.
 *
 * Return: 0 when sent or when there is no service manager to tell,
 * else a negative errno (reported once).
 */
int notify(const char *fmt, ...)
{
	struct sockaddr_un sa;
	socklen_t len = notify_addr(&sa);
	static bool warned;
	char msg[512];
	va_list ap;
	int fd, n, err = 0;

	if (!len)
		return 0;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return -EMSGSIZE;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		err = -errno;
	else if (sendto(fd, msg, n, MSG_NOSIGNAL, (struct sockaddr *)&sa,
			len) != n)
		err = -errno;
	if (fd >= 0)
		close(fd);
	if (err && !warned) {
		say("warning: cannot notify the service manager on %s: %s",
		    getenv("NOTIFY_SOCKET"), strerror(-err));
		warned = true;
	}
	return err;
}
