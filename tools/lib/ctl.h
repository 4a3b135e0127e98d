/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The abacd control protocol, spoken over a Unix stream socket that only
 * root and the abac group may reach.
 *
 * A frame is a 32-bit little-endian length followed by that many bytes
 * (at most ABAC_CTL_FRAME_MAX).  A request frame holds NUL-terminated
 * strings, argv style: the verb, then its arguments, then options such as
 * "--json" and "--follow".  A response frame holds one status byte (enum
 * abac_ctl_status, the CLI's exit code) followed by text: the message, the
 * listing, or JSON when "--json" was asked for.  Options come after the
 * verb's arguments: abacd takes the trailing "--..." strings as options.
 *
 * Most verbs answer with exactly one response frame.  "events" answers
 * with one frame per event line (status 0, the line without its newline;
 * JSON with "--json", else the plain form), oldest first: the last 1000
 * lines of the event log.  Without "--follow" a frame with status 0 and a
 * zero-length text (frame length 1: the status byte alone) then ends the
 * listing; an event frame is never empty.  With "--follow" no end frame
 * is sent: each new event follows as a frame of its own until the client
 * hangs up, and abacd reads no further request on that connection.  A
 * subscriber that lets more than 4 MiB of frames pile up is disconnected.
 * A refused "events" request answers with one frame of status 1 or 2.
 *
 * A connection may carry several requests one after another, each
 * answered before the next is read.  abacd closes a connection that
 * does not send a whole request within 10 seconds (of connecting, or of
 * its last reply), that announces a frame longer than ABAC_CTL_FRAME_MAX,
 * or whose peer is not root nor in the abac group (after replying to its
 * first request with status 1 saying so).  With 64 connections open,
 * abacd closes the one idle longest to take a new one; at most 32 may
 * follow events, a further "events --follow" is refused with status 1.
 *
 * Verbs:
 *   policy-apply NAME YAML-TEXT        compile, swap in, persist
 *   policy-show                        the policy in force (decoded)
 *   policy-source                      the YAML source of the policy in force
 *   subject-tag CGROUP-PATH K=V...     tag a cgroup (absolute path)
 *   subject-untag CGROUP-PATH
 *   subject-list
 *   status
 *   events [--follow]                  past events from the log, then live
 */
#ifndef _ABAC_CTL_H
#define _ABAC_CTL_H

#include <stddef.h>

#define ABAC_CTL_PATH		"/run/abac/abacd.sock"
#define ABAC_CTL_FRAME_MAX	(64U << 20)	/* a policy of ~300,000 rules */
#define ABAC_CTL_ARGS_MAX	256

enum abac_ctl_status {
	ABAC_CTL_OK = 0,
	ABAC_CTL_REFUSED = 1,
	ABAC_CTL_USAGE = 2,
};

/* Connect to the agent; returns an fd or a negative errno. */
int abac_ctl_connect(const char *path);
/* Send one frame of @argc strings. */
int abac_ctl_send_args(int fd, int argc, const char *const *argv);
/* Send one response frame: status byte + @len bytes of @body. */
int abac_ctl_send_reply(int fd, int status, const char *body, size_t len);
/* Read one frame into a malloc()ed buffer; 0 on success, -EPIPE at EOF. */
int abac_ctl_read_frame(int fd, char **buf, size_t *len);
/* Split a request frame into argv (pointers into @buf); returns argc or -EINVAL. */
int abac_ctl_split(char *buf, size_t len, char **argv, int max);
/* connect + send + read one reply: fills *@status and a malloc()ed body. */
int abac_ctl_call(const char *path, int argc, const char *const *argv,
		  int *status, char **body, size_t *len);

#endif /* _ABAC_CTL_H */
