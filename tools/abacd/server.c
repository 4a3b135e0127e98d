// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control socket: who may connect, how frames are read and written
 * without ever blocking, and how events reach subscribers.
 *
 * A client cannot stall or crash the agent: every socket is non-blocking;
 * a frame's announced length is checked before anything is allocated for
 * it, and its buffer grows only as its bytes arrive; a request must be
 * whole within ABACD_DEADLINE_MS; a client's next request is not read
 * before its last reply is sent, so a client that does not read holds
 * one reply at most; a subscriber that lets ABACD_OUT_MAX bytes of
 * events pile up is dropped; when every slot is taken, the client idle
 * longest makes room for a new one, and subscribers may take only half
 * of the slots.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "abacd.h"
#include "ctl.h"

#define FRAME_HDR	4
#define IN_KEEP		(64U << 10)	/* input buffer kept between requests */
#define OUT_KEEP	(256U << 10)	/* output buffer kept once drained */

static const char denied_msg[] =
	"permission denied: abacd accepts root and the abac group";
static const char denied_json[] =
	"{\"error\":\"permission denied: abacd accepts root and the abac group\"}";
static const char busy_msg[] =
	"abacd is busy: too many clients connected; try again";

/* ---- connections ------------------------------------------------------- */

static void set_events(struct abacd *d, struct client *c, __u32 events)
{
	struct epoll_event ev = { .events = events, .data.ptr = c };

	if (c->fd < 0 || c->events == events)
		return;
	if (!epoll_ctl(d->epfd, EPOLL_CTL_MOD, c->fd, &ev))
		c->events = events;
}

static void client_close(struct abacd *d, struct client *c)
{
	int i;

	if (c->fd < 0)
		return;
	epoll_ctl(d->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	for (i = 0; i < ABACD_MAX_CLIENTS; i++) {
		if (d->clients[i] == c)
			d->clients[i] = NULL;
	}
	d->nclients--;
	if (c->follow)
		d->nsubscribers--;
	/* epoll may still hold an event for it in this batch: free later */
	c->next = d->graveyard;
	d->graveyard = c;
}

/**
 * server_reap() - free the clients closed during an epoll batch.
 * @d: the agent.
 */
void server_reap(struct abacd *d)
{
	struct client *c;

	while ((c = d->graveyard)) {
		d->graveyard = c->next;
		free(c->in);
		free(c->out);
		free(c);
	}
}

/* Bytes still owed to the peer. */
static size_t pending(const struct client *c)
{
	return c->out_len - c->out_off;
}

/* Read the next request only once the last reply is gone. */
static void update_events(struct abacd *d, struct client *c)
{
	__u32 ev = 0;

	if (!c->closing && (c->follow || !pending(c)))
		ev |= EPOLLIN;
	if (pending(c))
		ev |= EPOLLOUT;
	set_events(d, c, ev);
}

static void client_flush(struct abacd *d, struct client *c)
{
	ssize_t n;

	while (c->fd >= 0 && pending(c)) {
		n = send(c->fd, c->out + c->out_off, pending(c),
			 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			debug("client pid %d went away: %s", c->pid,
			      n < 0 ? strerror(errno) : "closed");
			client_close(d, c);
			return;
		}
		c->out_off += n;
		if (!c->follow)	/* a slow reader is still a reader */
			c->deadline = now_ms() + ABACD_DEADLINE_MS;
	}
	if (c->fd < 0 || pending(c)) {
		if (c->fd >= 0)
			update_events(d, c);
		return;
	}
	c->out_off = c->out_len = 0;
	if (c->out_cap > OUT_KEEP) {
		free(c->out);
		c->out = NULL;
		c->out_cap = 0;
	}
	if (c->closing) {
		client_close(d, c);
		return;
	}
	if (!c->follow)
		c->deadline = now_ms() + ABACD_DEADLINE_MS;
	update_events(d, c);
}

/* Append a frame (status byte and body) to the client's output. */
static int queue_frame(struct client *c, int status, const char *body,
		       size_t len)
{
	size_t need = FRAME_HDR + 1 + len, cap;
	__u32 hdr = htole32((__u32)(len + 1));
	char *nb;

	if (c->out_off) {	/* drop what was sent before growing */
		memmove(c->out, c->out + c->out_off, pending(c));
		c->out_len -= c->out_off;
		c->out_off = 0;
	}
	if (c->out_cap - c->out_len < need) {
		cap = c->out_cap ? c->out_cap : 4096;
		while (cap - c->out_len < need)
			cap *= 2;
		nb = realloc(c->out, cap);
		if (!nb)
			return -ENOMEM;
		c->out = nb;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, &hdr, FRAME_HDR);
	c->out[c->out_len + FRAME_HDR] = (char)status;
	if (len)
		memcpy(c->out + c->out_len + FRAME_HDR + 1, body, len);
	c->out_len += need;
	return 0;
}

/**
 * client_reply() - send a client one response frame.
 * @d: the agent.
 * @c: the client.
 * @status: enum abac_ctl_status.
 * @body: the text.
 * @len: its bytes.
 *
 * Return: 0, or a negative errno (the client is then closed).
 */
int client_reply(struct abacd *d, struct client *c, int status,
		 const char *body, size_t len)
{
	static const char too_big[] = "the reply exceeds the frame limit";
	int err;

	if (c->fd < 0)
		return -EPIPE;
	if (len + 1 > ABAC_CTL_FRAME_MAX) {
		status = ABAC_CTL_REFUSED;
		body = too_big;
		len = sizeof(too_big) - 1;
	}
	err = queue_frame(c, status, body, len);
	if (err) {
		say("failed to reply to client pid %d: %s", c->pid,
		    strerror(-err));
		client_close(d, c);
		return err;
	}
	client_flush(d, c);
	return 0;
}

/**
 * client_event() - queue one event line as a frame for a client.
 * @d: the agent.
 * @c: the client.
 * @line: the line, without its newline; never empty.
 * @len: its bytes.
 *
 * Queued only: events come in bursts, and one send() per burst rather
 * than per event keeps the agent ahead of the ring buffer.  The caller
 * flushes (client_reply(), client_subscribe(), server_flush()).  A
 * subscriber that owes more than ABACD_OUT_MAX bytes is dropped: the
 * agent never waits for a reader.
 *
 * Return: 0, or a negative errno (the client is then closed).
 */
int client_event(struct abacd *d, struct client *c, const char *line,
		 size_t len)
{
	if (c->fd < 0)
		return -EPIPE;
	if (c->follow && pending(c) + FRAME_HDR + 1 + len > ABACD_OUT_MAX) {
		say("dropped subscriber pid %d: more than %u MiB of events unread",
		    c->pid, ABACD_OUT_MAX >> 20);
		client_close(d, c);
		return -ENOBUFS;
	}
	if (queue_frame(c, ABAC_CTL_OK, line, len)) {
		say("dropped client pid %d: out of memory", c->pid);
		client_close(d, c);
		return -ENOMEM;
	}
	return 0;
}

/**
 * server_flush() - send what subscribers have queued.
 * @d: the agent.
 */
void server_flush(struct abacd *d)
{
	int i;

	for (i = 0; i < ABACD_MAX_CLIENTS && d->nsubscribers; i++) {
		struct client *c = d->clients[i];

		if (c && c->follow && pending(c))
			client_flush(d, c);
	}
}

/**
 * client_subscribe() - send a client every new event from now on.
 * @d: the agent.
 * @c: the client.
 * @json: JSON lines rather than the plain form.
 */
void client_subscribe(struct abacd *d, struct client *c, bool json)
{
	if (c->fd < 0 || c->follow)
		return;
	c->follow = true;
	c->json = json;
	c->deadline = 0;
	d->nsubscribers++;
	client_flush(d, c);	/* the history queued before */
	update_events(d, c);
}

/**
 * server_broadcast() - queue one event line for every subscriber.
 * @d: the agent.
 * @json: the JSON line, without its newline.
 * @len: its bytes.
 */
void server_broadcast(struct abacd *d, const char *json, size_t len)
{
	char *plain = NULL;
	size_t plen = 0;
	bool tried = false;
	int i;

	for (i = 0; i < ABACD_MAX_CLIENTS && d->nsubscribers; i++) {
		struct client *c = d->clients[i];

		if (!c || !c->follow)
			continue;
		if (c->json) {
			client_event(d, c, json, len);
			continue;
		}
		if (!tried && jline_plain(json, len, &plain, &plen))
			plain = NULL;
		tried = true;
		client_event(d, c, plain ? plain : json, plain ? plen : len);
	}
	free(plain);
}

/* ---- requests ---------------------------------------------------------- */

static void handle_frame(struct abacd *d, struct client *c, char *body,
			 size_t len)
{
	static const char bad[] = "malformed request: want NUL-terminated strings, the verb first";
	char *argv[ABAC_CTL_ARGS_MAX + 1], why[256];
	int argc;

	argc = abac_ctl_split(body, len, argv, ABAC_CTL_ARGS_MAX + 1);
	if (c->denied) {
		/* answered now, when the peer reads, rather than at accept */
		c->closing = true;
		if (argc > 1 && !strcmp(argv[argc - 1], "--json"))
			client_reply(d, c, ABAC_CTL_REFUSED, denied_json,
				     sizeof(denied_json) - 1);
		else
			client_reply(d, c, ABAC_CTL_REFUSED, denied_msg,
				     sizeof(denied_msg) - 1);
		return;
	}
	if (argc <= 0 || argc > ABAC_CTL_ARGS_MAX) {
		client_reply(d, c, ABAC_CTL_USAGE, bad, sizeof(bad) - 1);
		return;
	}
	if (!peer_may_administer(d, c->pid, why, sizeof(why))) {
		say("client pid %d: %s", c->pid, why);
		c->closing = true;
		client_reply(d, c, ABAC_CTL_REFUSED, why, strlen(why));
		return;
	}
	verb_dispatch(d, c, argc, argv);
}

/* Bytes the request being read needs in all: its header, then its body. */
static size_t frame_need(const struct client *c)
{
	__u32 hdr;

	if (c->in_len < FRAME_HDR)
		return FRAME_HDR;
	memcpy(&hdr, c->in, FRAME_HDR);
	return FRAME_HDR + (size_t)le32toh(hdr);
}

/*
 * Room to read more of a frame (@need bytes in all).  The buffer doubles
 * only once full, so a client that announces a large frame gets memory
 * only as fast as it sends bytes.
 */
static int grow_in(struct client *c, size_t need)
{
	size_t cap;
	char *nb;

	if (c->in_len < c->in_cap)
		return 0;
	cap = c->in_cap < 2048 ? 4096 : c->in_cap * 2;
	if (cap > need)
		cap = need;
	nb = realloc(c->in, cap);
	if (!nb)
		return -ENOMEM;
	c->in = nb;
	c->in_cap = cap;
	return 0;
}

/* A whole frame was read: answer it and get ready for the next. */
static void frame_done(struct abacd *d, struct client *c)
{
	size_t len = c->in_len - FRAME_HDR;

	c->in_len = 0;
	handle_frame(d, c, c->in + FRAME_HDR, len);
	if (c->in_cap > IN_KEEP) {
		free(c->in);
		c->in = NULL;
		c->in_cap = 0;
	}
}

/* Read from a client until it has nothing more or a request is whole. */
static void client_read(struct abacd *d, struct client *c)
{
	size_t need, room;
	ssize_t n;

	while (c->fd >= 0 && !c->closing && !pending(c)) {
		need = frame_need(c);
		if (need - FRAME_HDR > ABAC_CTL_FRAME_MAX) {
			say("closed client pid %d: it announced a %zu-byte frame (at most %u)",
			    c->pid, need - FRAME_HDR, ABAC_CTL_FRAME_MAX);
			client_close(d, c);
			return;
		}
		if (grow_in(c, need)) {
			client_close(d, c);
			return;
		}
		room = (c->in_cap < need ? c->in_cap : need) - c->in_len;
		n = recv(c->fd, c->in + c->in_len, room, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			if (c->in_len)
				debug("client pid %d hung up inside a frame",
				      c->pid);
			client_close(d, c);
			return;
		}
		c->in_len += n;
		if (c->in_len >= FRAME_HDR && c->in_len == frame_need(c))
			frame_done(d, c);
	}
}

/* A subscriber sends nothing more: read only to notice it hang up. */
static void subscriber_read(struct abacd *d, struct client *c)
{
	char sink[512];
	ssize_t n;

	do {
		n = recv(c->fd, sink, sizeof(sink), MSG_DONTWAIT);
	} while (n > 0 || (n < 0 && errno == EINTR));
	if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
		debug("subscriber pid %d left", c->pid);
		client_close(d, c);
	}
}

/**
 * client_ready() - handle epoll events on a client.
 * @d: the agent.
 * @c: the client.
 * @events: what epoll reported.
 */
void client_ready(struct abacd *d, struct client *c, __u32 events)
{
	if (c->fd < 0)
		return;
	if (events & EPOLLERR) {
		client_close(d, c);
		return;
	}
	if (events & EPOLLOUT)
		client_flush(d, c);
	if (c->fd < 0 || !(events & (EPOLLIN | EPOLLHUP)))
		return;
	if (c->follow)
		subscriber_read(d, c);
	else if (!pending(c))
		client_read(d, c);
	else if (events & EPOLLHUP)
		client_close(d, c);	/* gone before reading its reply */
}

/* ---- who may connect --------------------------------------------------- */

/* Is @gid among the supplementary groups of the peer? */
static bool peer_in_group(int fd, pid_t pid, gid_t gid)
{
	gid_t groups[256];
	socklen_t len = sizeof(groups);
	char path[64], *line = NULL, *p, *end;
	size_t cap = 0, i;
	bool found = false;
	FILE *f;

	/* the groups at connect(): immune to the pid being reused */
	if (!getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len)) {
		for (i = 0; i < len / sizeof(gid_t); i++) {
			if (groups[i] == gid)
				return true;
		}
		return false;
	}
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	while (f && !found && getline(&line, &cap, f) > 0) {
		if (strncmp(line, "Groups:", 7))
			continue;
		for (p = line + 7; !found; p = end) {
			unsigned long g = strtoul(p, &end, 10);

			if (end == p)
				break;
			found = g == gid;
		}
		break;
	}
	free(line);
	if (f)
		fclose(f);
	return found;
}

static bool authorized(const struct abacd *d, int fd, const struct ucred *cr)
{
	if (cr->uid == 0)
		return true;
	if (d->abac_gid == (gid_t)-1)
		return false;
	return cr->gid == d->abac_gid ||
	       peer_in_group(fd, cr->pid, d->abac_gid);
}

/* Say no in one frame and hang up; the frame is small enough to fit. */
static void turn_away(int fd, const char *msg)
{
	abac_ctl_send_reply(fd, ABAC_CTL_REFUSED, msg, strlen(msg));
	close(fd);
}

static struct client *client_new(struct abacd *d, int fd,
				 const struct ucred *cr, bool denied)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct client *c;
	int i;

	for (i = 0; i < ABACD_MAX_CLIENTS && d->clients[i]; i++)
		;
	if (i == ABACD_MAX_CLIENTS)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->kind = WATCH_CLIENT;
	c->fd = fd;
	c->pid = cr->pid;
	c->uid = cr->uid;
	c->denied = denied;
	c->events = EPOLLIN;
	c->deadline = now_ms() + ABACD_DEADLINE_MS;
	ev.data.ptr = c;
	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		free(c);
		return NULL;
	}
	d->clients[i] = c;
	d->nclients++;
	return c;
}

/* A client with no request begun, no reply owed and no subscription. */
static bool idle(const struct client *c)
{
	return c->fd >= 0 && !c->follow && !c->closing && !c->in_len &&
	       !pending(c);
}

/*
 * Make room for one more client when every slot is taken: close the one
 * idle longest (its deadline is the earliest).  Connections that only
 * hold a slot would otherwise lock every other client out until their
 * deadline passes, and again as soon as they reconnect.  A candidate may
 * have a request waiting unread in its socket: it is read (and answered)
 * first, and a client that was just served is not idle longest any more.
 */
static void make_room(struct abacd *d)
{
	struct client *c, *oldest;
	__u64 deadline;
	int i, tries;

	for (tries = 0; tries < 4 && d->nclients >= ABACD_MAX_CLIENTS;
	     tries++) {
		oldest = NULL;
		for (i = 0; i < ABACD_MAX_CLIENTS; i++) {
			c = d->clients[i];
			if (c && idle(c) &&
			    (!oldest || c->deadline < oldest->deadline))
				oldest = c;
		}
		if (!oldest)
			return;
		deadline = oldest->deadline;
		client_read(d, oldest);
		if (idle(oldest) && oldest->deadline == deadline) {
			debug("closed idle client pid %d: %u clients connected, room was needed",
			      oldest->pid, d->nclients);
			client_close(d, oldest);
		}
	}
}

static void accept_one(struct abacd *d, int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);
	bool denied;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len)) {
		close(fd);
		return;
	}
	denied = !authorized(d, fd, &cr);
	if (denied)
		say("refused client pid %d uid %u: not root nor in group %s",
		    (int)cr.pid, (unsigned int)cr.uid, ABACD_GROUP);
	if (d->nclients >= ABACD_MAX_CLIENTS)
		make_room(d);
	if (!client_new(d, fd, &cr, denied)) {
		say("refused client pid %d: %u clients connected already",
		    (int)cr.pid, d->nclients);
		turn_away(fd, busy_msg);
		return;
	}
	debug("client pid %d uid %u connected", (int)cr.pid,
	      (unsigned int)cr.uid);
}

/* Stop or resume watching the listening socket. */
static void listen_pause(struct abacd *d, bool pause)
{
	struct epoll_event ev = {
		.events = pause ? 0 : EPOLLIN,
		.data.ptr = &d->listen_kind,
	};

	if (epoll_ctl(d->epfd, EPOLL_CTL_MOD, d->listen_fd, &ev))
		return;
	d->listen_paused = pause ? now_ms() + 1000 : 0;
}

/**
 * server_accept() - accept every pending connection.
 * @d: the agent.
 */
void server_accept(struct abacd *d)
{
	int fd;

	for (;;) {
		fd = accept4(d->listen_fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			accept_one(d, fd);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		/*
		 * Out of descriptors or memory: the connection stays queued
		 * and the socket readable; stop listening for a second
		 * rather than spin on it.
		 */
		say("failed to accept client: %s; pausing for a second",
		    strerror(errno));
		listen_pause(d, true);
		return;
	}
}

/* ---- deadlines --------------------------------------------------------- */

/**
 * server_expire() - close the clients whose request is overdue; listen
 *	again after a pause.
 * @d: the agent.
 */
void server_expire(struct abacd *d)
{
	__u64 now = now_ms();
	int i;

	if (d->listen_paused && now >= d->listen_paused)
		listen_pause(d, false);
	for (i = 0; i < ABACD_MAX_CLIENTS; i++) {
		struct client *c = d->clients[i];

		if (!c || c->follow || !c->deadline || now < c->deadline)
			continue;
		debug("closed client pid %d: nothing done in %u s",
		      c->pid, ABACD_DEADLINE_MS / 1000);
		client_close(d, c);
	}
}

/**
 * server_timeout() - how long epoll may wait before a deadline passes.
 * @d: the agent.
 *
 * Return: milliseconds, or -1 when nothing has a deadline.
 */
int server_timeout(const struct abacd *d)
{
	__u64 now = now_ms(), first = d->listen_paused;
	int i;

	for (i = 0; i < ABACD_MAX_CLIENTS; i++) {
		const struct client *c = d->clients[i];

		if (c && !c->follow && c->deadline &&
		    (!first || c->deadline < first))
			first = c->deadline;
	}
	if (!first)
		return -1;
	return first <= now ? 0 : (int)(first - now);
}

/* ---- the listening socket ---------------------------------------------- */

/**
 * server_taken() - is another agent answering on the control socket?
 * @d: the agent.
 *
 * Asked before anything else at start: a second agent would swap images
 * and steal events from the first.
 *
 * Return: true (after saying so) when one answers.
 */
bool server_taken(const struct abacd *d)
{
	int fd = abac_ctl_connect(d->sock_path);

	if (fd < 0)
		return false;
	close(fd);
	say("failed to start: another abacd answers on %s", d->sock_path);
	return true;
}

static int bind_listen(struct abacd *d, int fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int err = 0;

	strcpy(sa.sun_path, d->sock_path);
	old = umask(0177);	/* no window in which others may connect */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		err = -errno;
	umask(old);
	if (err)
		return err;
	if (chmod(d->sock_path, 0660) ||
	    (d->abac_gid != (gid_t)-1 && chown(d->sock_path, 0, d->abac_gid)))
		return -errno;
	return listen(fd, ABACD_MAX_CLIENTS) ? -errno : 0;
}

static int socket_dir(const struct abacd *d)
{
	char dir[PATH_MAX], *slash;

	snprintf(dir, sizeof(dir), "%s", d->sock_path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	return make_dir(dir, 0750, d->abac_gid);
}

/**
 * server_open() - create the control socket: 0660 root:abac, in a
 *	directory 0750 root:abac.
 * @d: the agent.
 *
 * A stale socket is replaced; one an agent answers on is not.
 *
 * Return: 0 or a negative errno, reported.
 */
int server_open(struct abacd *d)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct sockaddr_un sa;
	int fd, err;

	if (strlen(d->sock_path) >= sizeof(sa.sun_path)) {
		say("failed to open control socket %s: path too long",
		    d->sock_path);
		return -ENAMETOOLONG;
	}
	if (server_taken(d))
		return -EADDRINUSE;
	err = socket_dir(d);
	if (!err && unlink(d->sock_path) && errno != ENOENT)
		err = -errno;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (!err && fd < 0)
		err = -errno;
	if (!err)
		err = bind_listen(d, fd);
	d->listen_kind = WATCH_LISTEN;
	ev.data.ptr = &d->listen_kind;
	if (!err && epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev))
		err = -errno;
	if (err) {
		say("failed to open control socket %s: %s", d->sock_path,
		    strerror(-err));
		if (fd >= 0)
			close(fd);
		return err;
	}
	d->listen_fd = fd;
	return 0;
}

/**
 * server_close() - hang up on every client and remove the socket.
 * @d: the agent.
 */
void server_close(struct abacd *d)
{
	int i;

	for (i = 0; i < ABACD_MAX_CLIENTS; i++) {
		if (d->clients[i])
			client_close(d, d->clients[i]);
	}
	server_reap(d);
	if (d->listen_fd >= 0) {
		close(d->listen_fd);
		unlink(d->sock_path);
	}
	d->listen_fd = -1;
}
