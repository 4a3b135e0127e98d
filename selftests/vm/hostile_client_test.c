// SPDX-License-Identifier: GPL-2.0-only
/*
 * A hostile client of abacd's control socket, in the guest: garbage
 * frames, frames announced over the limit, a frame of exactly the limit,
 * writes one byte at a time, a client that stops mid-frame, one that
 * never reads its replies, more connections than the agent serves, more
 * subscribers than it takes, connections reset mid-frame, a cgroup path
 * that smuggles a control character through a symbolic link.
 *
 * After each, the same abacd (same pid) still answers "status", holds the
 * same policy (policy-show, decoded, byte for byte the same) and the
 * kernel still decides as that policy says.
 */
#include <netinet/in.h>
#include <poll.h>
#include <sys/time.h>

#include "kselftest_harness.h"
#include "vm_common.h"
#include "ctl.h"

static const char policy[] =
	"version: 1\n"
	"name: vm-hostile\n"
	"attributes:\n"
	"  subject:\n"
	"    role: {type: string, values: [nurse, clerk]}\n"
	"  object:\n"
	"    type: {type: string, values: [record]}\n"
	"rules:\n"
	"  - id: nurse-reads-records\n"
	"    nlp: \"Nurses may read records.\"\n"
	"    effect: allow\n"
	"    ops: [read]\n"
	"    subject: {role: nurse}\n"
	"    object: {type: record}\n";

#define RECORD		TEST_DIR "/record.txt"
#define WAIT_MS		60000	/* TCG is slow: how long to wait for EOF */

FIXTURE(hostile) {
	pid_t agent;
	char *before;
	size_t before_len;
};

/* One request, one reply; the body malloc()ed.  Returns the status. */
static int call(const char *const *argv, int argc, char **body, size_t *len)
{
	int status, err;

	err = abac_ctl_call(AGENT_SOCK, argc, argv, &status, body, len);
	return err ? err : status;
}

static pid_t agent_pid(void)
{
	char out[64];

	if (vm_sh_out(out, sizeof(out), "pidof abacd"))
		return -1;
	return (pid_t)atoi(out);
}

/*
 * Untag what earlier tests tagged: their tags need not fit this policy,
 * and abacd refuses a policy the tagged cgroups do not fit.  Untagging one
 * cgroup also drops the tags of cgroups since removed, so a later untag in
 * the loop may find nothing to do; what counts is that none is left.
 */
static int untag_all(void)
{
	return vm_sh("for c in $(abac subject list --json | "
		     "grep -o '\"cgroup\":\"[^\"]*\"' | cut -d'\"' -f4); do "
		     "abac subject untag \"$c\" >/dev/null 2>&1; done; "
		     "! abac subject list --json | grep -q '\"cgroup\"'");
}

FIXTURE_SETUP(hostile)
{
	static const char *const show[] = { "policy-show", "--json" };

	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, untag_all());
	ASSERT_EQ(0, vm_apply("hostile", policy));
	ASSERT_EQ(0, vm_mkfile(RECORD, "x\n", "type=record"));
	ASSERT_EQ(0, vm_tag("nurse", "role=nurse"));
	ASSERT_EQ(0, vm_tag("clerk", "role=clerk"));
	self->agent = agent_pid();
	ASSERT_LT(0, self->agent);
	ASSERT_EQ(0, call(show, 2, &self->before, &self->before_len));
}

FIXTURE_TEARDOWN(hostile)
{
	free(self->before);
}

/* The same agent serves, with the same policy, enforced as before. */
static void expect_serving(struct __test_metadata *_metadata,
			   FIXTURE_DATA(hostile) *self)
{
	static const char *const show[] = { "policy-show", "--json" };
	static const char *const status[] = { "status" };
	size_t len;
	char *body;

	ASSERT_EQ(self->agent, agent_pid());
	ASSERT_EQ(0, call(status, 1, &body, &len));
	EXPECT_NE(NULL, strstr(body, "vm-hostile")) TH_LOG("%s", body);
	free(body);
	ASSERT_EQ(0, call(show, 2, &body, &len));
	EXPECT_EQ(self->before_len, len);
	EXPECT_EQ(0, memcmp(self->before, body, len < self->before_len ?
					       len : self->before_len));
	free(body);
	EXPECT_EQ(0, vm_probe_open("nurse", RECORD, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("clerk", RECORD, O_RDONLY));
	EXPECT_EQ(0, vm_sh("abac status >/dev/null"));
}

/* A connected socket whose reads give up after @ms. */
static int raw_connect(int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
	int fd = abac_ctl_connect(AGENT_SOCK);

	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static int send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* One frame: the 4-byte little-endian length, then @len bytes. */
static int send_frame(int fd, const void *body, __u32 len)
{
	__u32 hdr = htole32(len);

	if (send_all(fd, &hdr, sizeof(hdr)))
		return -1;
	return len ? send_all(fd, body, len) : 0;
}

/* Read one reply frame: its status, or a negative errno. */
static int read_reply(int fd, char **text)
{
	size_t len;
	char *buf;
	int err, st;

	err = abac_ctl_read_frame(fd, &buf, &len);
	if (err)
		return err;
	if (!len) {
		free(buf);
		return -EPROTO;
	}
	st = (unsigned char)buf[0];
	if (text)
		*text = strdup(buf + 1);
	free(buf);
	return st;
}

/* Wait for the agent to hang up on @fd: true when it did. */
static bool hung_up(int fd)
{
	char b[256];
	ssize_t n;
	int waited;

	for (waited = 0; waited < WAIT_MS; waited += 1000) {
		n = recv(fd, b, sizeof(b), 0);
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			return true;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return false;
	}
	return false;
}

static void expect_reply(struct __test_metadata *_metadata, int fd,
			 const void *body, __u32 len, int status,
			 const char *sub)
{
	char *text = NULL;

	ASSERT_EQ(0, send_frame(fd, body, len));
	ASSERT_EQ(status, read_reply(fd, &text));
	EXPECT_NE(NULL, strstr(text, sub)) TH_LOG("%s", text);
	free(text);
}

TEST_F(hostile, garbage_frames_get_an_error_on_a_connection_that_stays)
{
	static const char many[] = "status";
	char args[300 * sizeof(many)], junk[4096];
	int fd = raw_connect(WAIT_MS), i, urandom;

	ASSERT_LE(0, fd);
	expect_reply(_metadata, fd, "hello", 5, ABAC_CTL_USAGE,
		     "malformed request");
	expect_reply(_metadata, fd, "", 0, ABAC_CTL_USAGE,
		     "malformed request");
	expect_reply(_metadata, fd, "\0\0\0", 3, ABAC_CTL_USAGE,
		     "unknown verb");
	expect_reply(_metadata, fd, "nosuchverb", sizeof("nosuchverb"),
		     ABAC_CTL_USAGE, "unknown verb");
	expect_reply(_metadata, fd, "policy-apply", sizeof("policy-apply"),
		     ABAC_CTL_USAGE, "");
	for (i = 0; i < 300; i++)
		memcpy(args + i * sizeof(many), many, sizeof(many));
	expect_reply(_metadata, fd, args, sizeof(args), ABAC_CTL_USAGE,
		     "malformed request");
	expect_reply(_metadata, fd, "status\0--bogus", 15, ABAC_CTL_USAGE, "");
	expect_reply(_metadata, fd, "policy-apply\0x.yaml\0{[\0", 23,
		     ABAC_CTL_REFUSED, "x.yaml:");
	expect_reply(_metadata, fd,
		     "subject-tag\0" TEST_CG_ROOT "/nurse\nx\0role=clerk",
		     sizeof("subject-tag\0" TEST_CG_ROOT "/nurse\nx\0role=clerk"),
		     ABAC_CTL_REFUSED, "control characters");
	/* random bodies, each in a frame of its own length */
	urandom = open("/dev/urandom", O_RDONLY);
	ASSERT_LE(0, urandom);
	for (i = 0; i < 50; i++) {
		ASSERT_EQ((ssize_t)sizeof(junk),
			  read(urandom, junk, sizeof(junk)));
		junk[sizeof(junk) - 1] = i & 1 ? '\0' : junk[0];
		junk[0] = 'x';	/* never a verb that changes anything */
		ASSERT_EQ(0, send_frame(fd, junk, 1 + (i * 97) % sizeof(junk)));
		ASSERT_EQ(ABAC_CTL_USAGE, read_reply(fd, NULL));
	}
	close(urandom);
	expect_reply(_metadata, fd, "status", sizeof("status"), ABAC_CTL_OK,
		     "vm-hostile");
	close(fd);
	expect_serving(_metadata, self);
}

TEST_F(hostile, frame_announced_over_the_limit_closes_that_connection_only)
{
	__u32 sizes[] = { ABAC_CTL_FRAME_MAX + 1, 0xffffffffU };
	int fd, other = raw_connect(WAIT_MS);
	unsigned int i;

	ASSERT_LE(0, other);
	for (i = 0; i < 2; i++) {
		__u32 hdr = htole32(sizes[i]);

		fd = raw_connect(WAIT_MS);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, send_all(fd, &hdr, sizeof(hdr)));
		EXPECT_TRUE(hung_up(fd));
		close(fd);
	}
	/* the connection next to it was not touched */
	expect_reply(_metadata, other, "status", sizeof("status"), ABAC_CTL_OK,
		     "vm-hostile");
	close(other);
	expect_serving(_metadata, self);
}

TEST_F_TIMEOUT(hostile, frame_of_exactly_the_limit_is_read_and_answered, 300)
{
	static const char head[] = "policy-apply\0big.yaml\0";
	size_t len = ABAC_CTL_FRAME_MAX;
	char *frame = malloc(len);
	int fd = raw_connect(WAIT_MS * 4);

	ASSERT_NE(NULL, frame);
	ASSERT_LE(0, fd);
	memcpy(frame, head, sizeof(head) - 1);
	memset(frame + sizeof(head) - 1, '#', len - sizeof(head));
	frame[len - 1] = '\0';
	expect_reply(_metadata, fd, frame, len, ABAC_CTL_REFUSED,
		     "the policy is empty");
	free(frame);
	close(fd);
	expect_serving(_metadata, self);
}

TEST_F(hostile, request_written_one_byte_at_a_time_is_answered)
{
	static const char req[] = "\x07\0\0\0status";
	int fd = raw_connect(WAIT_MS);
	char *text = NULL;
	size_t i;

	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(req); i++) {	/* with the final NUL */
		ASSERT_EQ(0, send_all(fd, req + i, 1));
		vm_msleep(20);
	}
	ASSERT_EQ(ABAC_CTL_OK, read_reply(fd, &text));
	EXPECT_NE(NULL, strstr(text, "vm-hostile")) TH_LOG("%s", text);
	free(text);
	close(fd);
	expect_serving(_metadata, self);
}

TEST_F_TIMEOUT(hostile, client_stalled_mid_frame_is_dropped_and_others_served,
	       120)
{
	static const char part[] = "\x64\0\0\0policy-show";
	int fd = raw_connect(1000);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, send_all(fd, part, sizeof(part) - 1));
	/* while it stalls, the agent serves everyone else */
	expect_serving(_metadata, self);
	EXPECT_TRUE(hung_up(fd));	/* after ABACD_DEADLINE_MS */
	close(fd);
	expect_serving(_metadata, self);
}

TEST_F(hostile, client_that_never_reads_its_replies_stalls_no_one)
{
	static const char req[] = "policy-show\0--json";
	int fd = raw_connect(WAIT_MS), i, rcvbuf = 4096;

	ASSERT_LE(0, fd);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	/*
	 * Pipelined requests, no reply read: the agent reads one at a time,
	 * so its replies and these requests fill the buffers; stop when
	 * they are full rather than block here.
	 */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	for (i = 0; i < 200; i++) {
		if (send_frame(fd, req, sizeof(req)))
			break;
	}
	expect_serving(_metadata, self);
	close(fd);
	expect_serving(_metadata, self);
}

TEST_F_TIMEOUT(hostile, more_idle_connections_than_the_agent_serves, 180)
{
	int fds[200], i, n = 0;

	for (i = 0; i < 200; i++) {
		fds[i] = raw_connect(1000);
		if (fds[i] >= 0)
			n++;
	}
	EXPECT_LT(64, n);
	/* a legitimate client still gets its answer */
	expect_serving(_metadata, self);
	for (i = 0; i < 200; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
	}
	expect_serving(_metadata, self);
}

/* Frames on @fd until one of status @status, or none comes for a while. */
/*
 * Read the replies on @n connections until none of them has had anything
 * to say for @quiet_ms; count those that were refused.  A subscriber that
 * was let in gets the event history and then nothing: waiting on all of
 * them at once costs one quiet period, not one a connection.
 */
static int count_refused(const int *fds, int n, int quiet_ms)
{
	struct pollfd pfd[64];
	int i, refused = 0, st;
	char *text;

	if (n > (int)(sizeof(pfd) / sizeof(pfd[0])))
		return -1;
	for (i = 0; i < n; i++)
		pfd[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
	while (poll(pfd, n, quiet_ms) > 0) {
		for (i = 0; i < n; i++) {
			if (!pfd[i].revents)
				continue;
			st = read_reply(pfd[i].fd, &text);
			if (st >= 0)
				free(text);
			if (st == ABAC_CTL_REFUSED)
				refused++;
			if (st < 0 || st == ABAC_CTL_REFUSED)
				pfd[i].fd = -1;	/* poll skips it from now on */
		}
	}
	return refused;
}

TEST_F_TIMEOUT(hostile, subscribers_may_take_only_half_of_the_connections, 300)
{
	static const char follow[] = "events\0--follow";
	int fds[40], i, refused = 0;

	for (i = 0; i < 40; i++) {
		fds[i] = raw_connect(3000);
		ASSERT_LE(0, fds[i]);
		ASSERT_EQ(0, send_frame(fds[i], follow, sizeof(follow)));
	}
	refused = count_refused(fds, 40, 3000);
	EXPECT_EQ(40 - 32, refused);
	/* the other half of the slots still serves requests */
	expect_serving(_metadata, self);
	for (i = 0; i < 40; i++)
		close(fds[i]);
	expect_serving(_metadata, self);
}

TEST_F(hostile, connections_reset_mid_frame_leave_nothing_behind)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	static const char part[] = "\x40\0\0\0status";
	int i, fd;

	for (i = 0; i < 300; i++) {
		fd = raw_connect(1000);
		ASSERT_LE(0, fd);
		send_all(fd, part, 4 + i % 7);
		if (i & 1)
			setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		else
			shutdown(fd, SHUT_WR);
		close(fd);
	}
	expect_serving(_metadata, self);
}

/*
 * The state file keeps one cgroup a line, PATH<TAB>TAGS.  The kernel
 * refuses a newline in a cgroup's name but takes a TAB; abacd refuses
 * control characters in the path it is given, and must refuse them in
 * the path a symbolic link leads to as well.
 */
TEST_F(hostile, cgroup_reached_through_a_symlink_cannot_smuggle_a_tab)
{
	static const char *const tag[] = {
		"subject-tag", TEST_DIR "/innocent", "role=nurse",
	};
	static const char evil[] = TEST_CG_ROOT "/evil\trole=clerk";
	char *text = NULL, *subjects, *line, *save = NULL;
	size_t len;
	int lines = 0;

	ASSERT_EQ(0, mkdir(evil, 0755));
	ASSERT_EQ(0, symlink(evil, TEST_DIR "/innocent"));
	EXPECT_EQ(ABAC_CTL_REFUSED, call(tag, 3, &text, &len));
	EXPECT_NE(NULL, strstr(text, "control characters")) TH_LOG("%s", text);
	free(text);
	subjects = vm_read_file(AGENT_STATE "/subjects");
	ASSERT_NE(NULL, subjects);
	for (line = strtok_r(subjects, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		lines++;
		EXPECT_EQ(NULL, strstr(line, "evil")) TH_LOG("%s", line);
	}
	free(subjects);
	EXPECT_EQ(2, lines);	/* nurse and clerk */
	rmdir(evil);
	expect_serving(_metadata, self);
}

TEST_HARNESS_MAIN
