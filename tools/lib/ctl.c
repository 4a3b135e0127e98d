// SPDX-License-Identifier: GPL-2.0-only
/*
 * The client side of the abacd control protocol (ctl.h), and the helpers
 * both sides share: blocking frame I/O and splitting a request into argv.
 * abacd itself reads frames without blocking and uses only
 * abac_ctl_split() from here.
 */
#include <endian.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl.h"

/**
 * abac_ctl_connect() - connect to abacd's control socket.
 * @path: the socket, normally ABAC_CTL_PATH.
 *
 * Return: the connected socket, or a negative errno (-ENOENT or
 * -ECONNREFUSED when abacd is not running, -EACCES when the caller may
 * not reach it, -ENAMETOOLONG for a path a socket address cannot hold).
 */
int abac_ctl_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, err;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/*
 * Write all of @iov in as few calls as the socket takes: a frame goes out
 * whole in one sendmsg(), so that a peer never reads its header alone and
 * hangs up with the body still on its way (the writer would see EPIPE or
 * ECONNRESET by chance of timing).  MSG_NOSIGNAL: a peer that hung up is
 * an -EPIPE for the caller, not a signal that kills it.  writev() when @fd
 * is not a socket (a pipe in a test).
 */
static int write_iov(int fd, struct iovec *iov, int cnt)
{
	struct msghdr msg = { 0 };
	ssize_t n;

	while (cnt) {
		msg.msg_iov = iov;
		msg.msg_iovlen = cnt;
		n = sendmsg(fd, &msg, MSG_NOSIGNAL);
		if (n < 0 && errno == ENOTSOCK)
			n = writev(fd, iov, cnt);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		while (cnt && (size_t)n >= iov->iov_len) {
			n -= iov->iov_len;
			iov++;
			cnt--;
		}
		if (cnt) {
			iov->iov_base = (char *)iov->iov_base + n;
			iov->iov_len -= n;
		}
	}
	return 0;
}

/* Send the 4-byte header and the parts of the body in one write. */
static int send_frame(int fd, const void *a, size_t alen, const void *b,
		      size_t blen)
{
	uint32_t hdr;
	struct iovec iov[3];

	if (alen + blen > ABAC_CTL_FRAME_MAX)
		return -EMSGSIZE;
	hdr = htole32((uint32_t)(alen + blen));
	iov[0] = (struct iovec){ &hdr, sizeof(hdr) };
	iov[1] = (struct iovec){ (void *)a, alen };
	iov[2] = (struct iovec){ (void *)b, blen };
	return write_iov(fd, iov, 3);
}

/**
 * abac_ctl_send_args() - send one request frame.
 * @fd: the connected socket.
 * @argc: strings in @argv, at least 1 (the verb), at most
 *	ABAC_CTL_ARGS_MAX.
 * @argv: the verb, its arguments and its options.
 *
 * Return: 0, -EINVAL for a bad @argc, -EMSGSIZE when the strings exceed
 * ABAC_CTL_FRAME_MAX, or the negative errno of the write (-EPIPE when
 * abacd hung up).
 */
int abac_ctl_send_args(int fd, int argc, const char *const *argv)
{
	size_t len = 0, n;
	char *buf;
	int i, err;

	if (argc < 1 || argc > ABAC_CTL_ARGS_MAX)
		return -EINVAL;
	for (i = 0; i < argc; i++) {
		len += strlen(argv[i]) + 1;
		if (len > ABAC_CTL_FRAME_MAX)
			return -EMSGSIZE;
	}
	buf = malloc(len);
	if (!buf)
		return -ENOMEM;
	for (len = 0, i = 0; i < argc; i++) {
		n = strlen(argv[i]) + 1;
		memcpy(buf + len, argv[i], n);
		len += n;
	}
	err = send_frame(fd, buf, len, NULL, 0);
	free(buf);
	return err;
}

/**
 * abac_ctl_send_reply() - send one response frame.
 * @fd: the connected socket.
 * @status: enum abac_ctl_status.
 * @body: the text (need not be NUL-terminated); may be NULL when @len is 0.
 * @len: bytes of @body.
 *
 * Return: 0, -EMSGSIZE when the frame would exceed ABAC_CTL_FRAME_MAX, or
 * the negative errno of the write.
 */
int abac_ctl_send_reply(int fd, int status, const char *body, size_t len)
{
	unsigned char st = (unsigned char)status;

	return send_frame(fd, &st, 1, body, len);
}

/* Read exactly @len bytes; 1 at EOF before the first byte. */
static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, p + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return got ? -EPROTO : 1;
		got += n;
	}
	return 0;
}

/**
 * abac_ctl_read_frame() - read one whole frame, blocking.
 * @fd: the connected socket.
 * @buf: receives the frame body, malloc()ed, with a NUL byte after it
 *	(not counted in @len) so that a text body is a C string.
 * @len: receives the body's length.
 *
 * Return: 0; -EPIPE when the peer hung up between frames; -EPROTO when it
 * hung up inside one; -EMSGSIZE when the header announces more than
 * ABAC_CTL_FRAME_MAX (nothing is allocated for it); another negative errno.
 */
int abac_ctl_read_frame(int fd, char **buf, size_t *len)
{
	uint32_t hdr;
	size_t n;
	char *b;
	int err;

	err = read_all(fd, &hdr, sizeof(hdr));
	if (err)
		return err > 0 ? -EPIPE : err;
	n = le32toh(hdr);
	if (n > ABAC_CTL_FRAME_MAX)
		return -EMSGSIZE;
	b = malloc(n + 1);
	if (!b)
		return -ENOMEM;
	err = read_all(fd, b, n);
	if (err) {
		free(b);
		return err > 0 ? -EPROTO : err;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

/**
 * abac_ctl_split() - split a request frame into its strings.
 * @buf: the frame body.
 * @len: its length.
 * @argv: receives pointers into @buf; NULL follows the last when there is
 *	room.
 * @max: entries at @argv.
 *
 * Every string, the last included, must end with a NUL byte inside the
 * frame, and there must be at least one (the verb).
 *
 * Return: the number of strings, or -EINVAL (empty frame, missing final
 * NUL, more than @max strings).
 */
int abac_ctl_split(char *buf, size_t len, char **argv, int max)
{
	size_t off = 0;
	int argc = 0;

	if (!len || buf[len - 1] != '\0')
		return -EINVAL;
	while (off < len) {
		if (argc >= max)
			return -EINVAL;
		argv[argc++] = buf + off;
		off += strlen(buf + off) + 1;
	}
	if (argc < max)
		argv[argc] = NULL;
	return argc;
}

/**
 * abac_ctl_call() - one request and its one reply.
 * @path: the control socket.
 * @argc: strings in @argv.
 * @argv: the request.
 * @status: receives the reply's status byte.
 * @body: receives the reply's text, malloc()ed and NUL-terminated.
 * @len: receives the text's length.
 *
 * Return: 0, or a negative errno (-EPROTO for a reply without a status
 * byte, -EPIPE when abacd hung up without replying).
 */
int abac_ctl_call(const char *path, int argc, const char *const *argv,
		  int *status, char **body, size_t *len)
{
	char *frame;
	size_t n;
	int fd, err;

	fd = abac_ctl_connect(path);
	if (fd < 0)
		return fd;
	err = abac_ctl_send_args(fd, argc, argv);
	if (!err)
		err = abac_ctl_read_frame(fd, &frame, &n);
	close(fd);
	if (err)
		return err;
	if (!n) {
		free(frame);
		return -EPROTO;
	}
	*status = (unsigned char)frame[0];
	memmove(frame, frame + 1, n);	/* the text and its NUL */
	*body = frame;
	*len = n - 1;
	return 0;
}
