// SPDX-License-Identifier: GPL-2.0-only
/*
 * connect, bind and listen decided by the socket hooks against network
 * objects (address blocks and ports with attributes), IPv4 and IPv6, on
 * the guest's loopback, and every other route an address takes (UDP
 * sendto, TCP Fast Open, mapped IPv4, short sockaddr_in6, AF_UNSPEC
 * bind, and SCTP's own: sctp_bindx, sctp_connectx, a one-to-many send);
 * a denial is reported as an event.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/sctp.h>

#include "kselftest_harness.h"
#include "vm_common.h"

#define NET_HEAD							\
	"version: 1\nname: net\n"					\
	"attributes:\n"							\
	"  subject:\n    role: {type: string, values: [dev, guest]}\n"	\
	"  object:\n    zone: {type: string, values: [local, admin]}\n"	\
	"networks:\n"							\
	"  local-v4: {cidrs: [127.0.0.0/8], ports: [8000-8999], attributes: {zone: local}}\n" \
	"  local-v6: {cidrs: [\"::1/128\"], ports: [8000-8999], attributes: {zone: local}}\n" \
	"  admin: {cidrs: [127.0.0.0/8, \"::1/128\"], ports: [7000], attributes: {zone: admin}}\n" \
	"rules:\n"							\
	"  - {id: dev-local, nlp: \"Developers use local services.\", effect: allow," \
	" ops: [connect, bind, listen], subject: {role: dev}, object: {zone: local}}\n" \
	"  - {id: no-admin, nlp: \"Nobody may reach the admin port.\", effect: deny," \
	" ops: [connect, bind, listen], object: {zone: admin}}\n"

static const char policy[] = NET_HEAD
	"  - {id: guest-connect, nlp: \"Guests connect to local services.\","
	" effect: allow, ops: [connect], subject: {role: guest}, object: {zone: local}}\n";

/* The same without the guests' rule. */
static const char policy_no_guests[] = NET_HEAD;

/* An untagged listener on @port (v6: ::1), returns its fd. */
static int listener(bool v6, int port)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0), one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (v6) {
		a6.sin6_port = htons(port);
		a6.sin6_addr = in6addr_loopback;
		if (bind(fd, (void *)&a6, sizeof(a6)) || listen(fd, 8))
			return -1;
	} else {
		a4.sin_port = htons(port);
		a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (bind(fd, (void *)&a4, sizeof(a4)) || listen(fd, 8))
			return -1;
	}
	return fd;
}

enum what { CONNECT, BIND, LISTEN };

/*
 * In a fresh process in cgroup @cg: connect to, bind or bind-and-listen on
 * loopback @port.  Returns 0 or the errno of the step that failed.
 */
static int probe(const char *cg, enum what w, bool v6, int port)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	char procs[PATH_MAX];
	int fd, one = 1;
	socklen_t len;
	void *a;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid)
		return vm_wait_exit(pid);
	snprintf(procs, sizeof(procs), TEST_CG_ROOT "/%s/cgroup.procs", cg);
	fd = open(procs, O_WRONLY);
	if (fd < 0 || write(fd, "0", 1) != 1)
		_exit(250);
	close(fd);
	a6.sin6_port = htons(port);
	a6.sin6_addr = in6addr_loopback;
	a4.sin_port = htons(port);
	a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a = v6 ? (void *)&a6 : (void *)&a4;
	len = v6 ? sizeof(a6) : sizeof(a4);
	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (w == CONNECT)
		_exit(connect(fd, a, len) ? errno : 0);
	if (w == LISTEN) {	/* bind as root outside the policy's reach */
		if (bind(fd, a, len))
			_exit(errno == EACCES ? 251 : errno);
		_exit(listen(fd, 8) ? errno : 0);
	}
	_exit(bind(fd, a, len) ? errno : 0);
}

FIXTURE(net) {
	int l4, l6, a4;
};

FIXTURE_SETUP(net)
{
	vm_agent_kill9();
	vm_sh("rm -rf " AGENT_STATE);
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_apply("net", policy));
	ASSERT_EQ(0, vm_tag("netdev", "role=dev"));
	ASSERT_EQ(0, vm_tag("netguest", "role=guest"));
	self->l4 = listener(false, 8080);
	self->l6 = listener(true, 8081);
	self->a4 = listener(false, 7000);
	ASSERT_LE(0, self->l4);
	ASSERT_LE(0, self->l6);
	ASSERT_LE(0, self->a4);
}

FIXTURE_TEARDOWN(net)
{
	close(self->l4);
	close(self->l6);
	close(self->a4);
	vm_untag("netdev");
	vm_untag("netguest");
}

TEST_F(net, connect_is_decided_by_the_destination_network)
{
	ASSERT_EQ(0, probe("netdev", CONNECT, false, 8080));
	ASSERT_EQ(0, probe("netdev", CONNECT, true, 8081));
	ASSERT_EQ(0, probe("netguest", CONNECT, false, 8080));
	/* the admin port: a deny rule */
	ASSERT_EQ(EACCES, probe("netdev", CONNECT, false, 7000));
	ASSERT_TRUE(vm_log_has("\"no-admin\"", "\"op\":\"connect\"", 10000));
	/* the event names the destination */
	ASSERT_TRUE(vm_log_has("\"op\":\"connect\",\"path\":\"127.0.0.1:7000\"",
			       "\"no-admin\"", 10000));
	/* a port no network names: no attributes, indeterminate, denied */
	ASSERT_EQ(EACCES, probe("netdev", CONNECT, false, 9090));
	ASSERT_EQ(EACCES, probe("netdev", CONNECT, true, 9090));
	ASSERT_TRUE(vm_log_has("\"op\":\"connect\",\"path\":\"[::1]:9090\"",
			       "\"decision\":\"deny\"", 10000));
}

TEST_F(net, bind_and_listen_are_decided_by_the_local_address)
{
	ASSERT_EQ(0, probe("netdev", BIND, false, 8090));
	ASSERT_EQ(0, probe("netdev", BIND, true, 8091));
	ASSERT_EQ(0, probe("netdev", LISTEN, false, 8092));
	/* guests may connect only */
	ASSERT_EQ(EACCES, probe("netguest", BIND, false, 8093));
	ASSERT_TRUE(vm_log_has("\"op\":\"bind\"", "\"reason\":\"default\"",
			       10000));
	ASSERT_EQ(EACCES, probe("netdev", BIND, false, 7000));
}

/*
 * Decisions on networks are cached per cgroup and network: a new policy
 * or a new tag (a new image) applies to the very next connect or bind.
 */
TEST_F(net, cached_network_decisions_follow_policy_and_tag_changes)
{
	ASSERT_EQ(0, probe("netguest", CONNECT, false, 8080));
	ASSERT_EQ(0, probe("netguest", CONNECT, false, 8080));	/* cached */
	ASSERT_EQ(0, vm_apply("net-no-guests", policy_no_guests));
	ASSERT_EQ(EACCES, probe("netguest", CONNECT, false, 8080));
	ASSERT_EQ(0, probe("netdev", CONNECT, false, 8080));
	ASSERT_EQ(0, vm_apply("net", policy));
	ASSERT_EQ(0, probe("netguest", CONNECT, false, 8080));
	ASSERT_EQ(EACCES, probe("netguest", BIND, false, 8094));
	ASSERT_EQ(0, vm_tag("netguest", "role=dev"));
	ASSERT_EQ(0, probe("netguest", BIND, false, 8094));
	ASSERT_EQ(0, vm_tag("netguest", "role=guest"));
	ASSERT_EQ(EACCES, probe("netguest", BIND, false, 8094));
}

/* ---- every route an address takes -------------------------------- */

/* How a probe below reaches loopback @port. */
struct route {
	int family;		/* of the socket */
	int type;		/* SOCK_STREAM or SOCK_DGRAM */
	int port;
	int how;		/* ROUTE_* */
};

enum {
	ROUTE_SENDTO,		/* sendto() the address: UDP */
	ROUTE_FASTOPEN,		/* sendto() with MSG_FASTOPEN: TCP */
	ROUTE_MAPPED,		/* connect() to ::ffff:127.0.0.1 */
	ROUTE_SHORT_IN6,	/* connect() with a 24-byte sockaddr_in6 */
	ROUTE_UNSPEC_BIND,	/* bind() AF_UNSPEC, INADDR_ANY */
	ROUTE_ANY_BIND,		/* bind() AF_INET, INADDR_ANY */
};

static int take_route(const void *arg)
{
	const struct route *r = arg;
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(r->port) };
	struct sockaddr_in a4 = { .sin_family = AF_INET,
				  .sin_port = htons(r->port) };
	int fd = socket(r->family, r->type, 0);
	void *a = r->family == AF_INET6 ? (void *)&a6 : (void *)&a4;
	socklen_t len = r->family == AF_INET6 ? sizeof(a6) : sizeof(a4);

	if (fd < 0)
		return 252;
	a6.sin6_addr = in6addr_loopback;
	a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	switch (r->how) {
	case ROUTE_SENDTO:
		return vm_rc(sendto(fd, "x", 1, 0, a, len));
	case ROUTE_FASTOPEN:
		return vm_rc(sendto(fd, "x", 1, MSG_FASTOPEN, a, len));
	case ROUTE_MAPPED:
		inet_pton(AF_INET6, "::ffff:127.0.0.1", &a6.sin6_addr);
		return vm_rc(connect(fd, a, len));
	case ROUTE_SHORT_IN6:
		return vm_rc(connect(fd, a, 24));
	case ROUTE_UNSPEC_BIND:
		a4.sin_family = AF_UNSPEC;
		/* fall through */
	case ROUTE_ANY_BIND:
		a4.sin_addr.s_addr = htonl(INADDR_ANY);
		return vm_rc(bind(fd, a, len));
	}
	return 253;
}

#define ROUTE(fam, type, port, how)	(&(struct route){ fam, type, port, how })

/*
 * An address reaches the network by more than connect() and bind(): a
 * UDP datagram sent to it, a TCP Fast Open send, an IPv4 address written
 * as IPv4-mapped IPv6, a sockaddr_in6 without its scope id, a bind with
 * AF_UNSPEC.  Each is decided as the connect or bind it is, on the
 * network the kernel will use.
 */
TEST_F(net, every_route_an_address_takes_is_decided)
{
	/* UDP: a datagram to an address is a connect to it */
	EXPECT_EQ(EACCES, vm_in_cg("netdev", take_route,
				   ROUTE(AF_INET, SOCK_DGRAM, 7000, ROUTE_SENDTO)));
	EXPECT_TRUE(vm_log_has("\"no-admin\"", "\"op\":\"connect\"", 10000));
	EXPECT_EQ(EACCES, vm_in_cg("netdev", take_route,
				   ROUTE(AF_INET6, SOCK_DGRAM, 7000, ROUTE_SENDTO)));
	EXPECT_EQ(0, vm_in_cg("netdev", take_route,
			      ROUTE(AF_INET, SOCK_DGRAM, 8080, ROUTE_SENDTO)));
	EXPECT_EQ(0, vm_in_cg("netguest", take_route,
			      ROUTE(AF_INET6, SOCK_DGRAM, 8081, ROUTE_SENDTO)));
	/* TCP Fast Open connects without connect() */
	EXPECT_EQ(EACCES, vm_in_cg("netdev", take_route,
				   ROUTE(AF_INET, SOCK_STREAM, 7000, ROUTE_FASTOPEN)));
	EXPECT_EQ(0, vm_in_cg("netdev", take_route,
			      ROUTE(AF_INET, SOCK_STREAM, 8080, ROUTE_FASTOPEN)));
	/* ::ffff:127.0.0.1 is 127.0.0.1: local-v4 allows, admin denies */
	EXPECT_EQ(0, vm_in_cg("netdev", take_route,
			      ROUTE(AF_INET6, SOCK_STREAM, 8080, ROUTE_MAPPED)));
	EXPECT_EQ(EACCES, vm_in_cg("netdev", take_route,
				   ROUTE(AF_INET6, SOCK_STREAM, 7000, ROUTE_MAPPED)));
	/* 24 bytes are a whole sockaddr_in6 to the kernel */
	EXPECT_EQ(EACCES, vm_in_cg("netdev", take_route,
				   ROUTE(AF_INET6, SOCK_STREAM, 7000, ROUTE_SHORT_IN6)));
	EXPECT_EQ(0, vm_in_cg("netdev", take_route,
			      ROUTE(AF_INET6, SOCK_STREAM, 8081, ROUTE_SHORT_IN6)));
	/* AF_UNSPEC with INADDR_ANY binds as AF_INET does */
	EXPECT_EQ(EACCES, vm_in_cg("netdev", take_route,
				   ROUTE(AF_INET, SOCK_STREAM, 8095, ROUTE_ANY_BIND)));
	EXPECT_EQ(EACCES, vm_in_cg("netdev", take_route,
				   ROUTE(AF_INET, SOCK_STREAM, 8095, ROUTE_UNSPEC_BIND)));
	/* untagged: none of it is decided */
	EXPECT_EQ(0, vm_in_cg(NULL, take_route,
			      ROUTE(AF_INET, SOCK_DGRAM, 7000, ROUTE_SENDTO)));
	EXPECT_EQ(0, vm_in_cg(NULL, take_route,
			      ROUTE(AF_INET, SOCK_STREAM, 8096, ROUTE_UNSPEC_BIND)));
}

TEST_F(net, untagged_processes_are_not_decided)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(7000) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_EQ(0, connect(fd, (void *)&a, sizeof(a)));
	close(fd);
}

/* ---- SCTP's own routes ------------------------------------------ */

/*
 * An SCTP call to loopback: sctp_bindx() or sctp_connectx() (setsockopt
 * with a packed list of sockaddr_in and sockaddr_in6, as libsctp does),
 * or a sendto() that creates an association.  From an AF_INET6 socket,
 * which takes both families.
 */
struct sctp_route {
	int type;		/* SOCK_SEQPACKET (one-to-many), SOCK_STREAM */
	int how;		/* SCTP_ROUTE_* */
	int port[2];		/* the list's addresses; 0: none */
	bool v6[2];		/* ::1, else 127.0.0.1 */
	const char *dst;	/* SENDV: a further IPv4 destination */
};

enum {
	SCTP_ROUTE_BINDX,	/* SCTP_SOCKOPT_BINDX_ADD */
	SCTP_ROUTE_CONNECTX,	/* SCTP_SOCKOPT_CONNECTX */
	SCTP_ROUTE_SENDTO,	/* sendto() the first address */
	SCTP_ROUTE_SENDV,	/* sendmsg() to it and to @dst: sctp_sendv() */
};

/* Pack @r's addresses into @buf as the SCTP socket options take them. */
static socklen_t sctp_pack(char *buf, const struct sctp_route *r)
{
	socklen_t len = 0;
	int k;

	for (k = 0; k < 2 && r->port[k]; k++) {
		struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
					   .sin6_port = htons(r->port[k]),
					   .sin6_addr = in6addr_loopback };
		struct sockaddr_in a4 = { .sin_family = AF_INET,
					  .sin_port = htons(r->port[k]) };

		a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (r->v6[k]) {
			memcpy(buf + len, &a6, sizeof(a6));
			len += sizeof(a6);
		} else {
			memcpy(buf + len, &a4, sizeof(a4));
			len += sizeof(a4);
		}
	}
	return len;
}

/*
 * sendmsg() to @addrs with a further destination @dst in an
 * SCTP_DSTADDRV4 control message, as sctp_sendv() sends to several
 * addresses: the association the send creates gets both.
 */
static int sctp_sendv(int fd, void *addrs, socklen_t len, const char *dst)
{
	char ctl[CMSG_SPACE(sizeof(struct in_addr))] = {};
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	struct msghdr m = { .msg_name = addrs, .msg_namelen = len,
			    .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	c->cmsg_level = IPPROTO_SCTP;
	c->cmsg_type = SCTP_DSTADDRV4;
	c->cmsg_len = CMSG_LEN(sizeof(struct in_addr));
	if (inet_pton(AF_INET, dst, CMSG_DATA(c)) != 1)
		return 254;
	return vm_rc(sendmsg(fd, &m, 0));
}

static int take_sctp_route(const void *arg)
{
	const struct sctp_route *r = arg;
	char addrs[2 * sizeof(struct sockaddr_in6)];
	socklen_t len = sctp_pack(addrs, r);
	int fd = socket(AF_INET6, r->type, IPPROTO_SCTP);

	if (fd < 0)
		return 252;
	switch (r->how) {
	case SCTP_ROUTE_BINDX:
		return vm_rc(setsockopt(fd, IPPROTO_SCTP,
					SCTP_SOCKOPT_BINDX_ADD, addrs, len));
	case SCTP_ROUTE_CONNECTX:
		return vm_rc(setsockopt(fd, IPPROTO_SCTP,
					SCTP_SOCKOPT_CONNECTX, addrs, len));
	case SCTP_ROUTE_SENDTO:
		return vm_rc(sendto(fd, "x", 1, 0, (void *)addrs, len));
	case SCTP_ROUTE_SENDV:
		return sctp_sendv(fd, addrs, len, r->dst);
	}
	return 253;
}

#define SCTP_ROUTE(type, how, p0, v60, p1, v61)			\
	(&(struct sctp_route){ type, SCTP_ROUTE_##how, { p0, p1 }, { v60, v61 } })
#define SCTP1(type, how, port)	SCTP_ROUTE(type, how, port, false, 0, false)
#define SCTPV(port, dst)						\
	(&(struct sctp_route){ SOCK_SEQPACKET, SCTP_ROUTE_SENDV,	\
			       { port, 0 }, { false, false }, dst })

/* An untagged one-to-many SCTP listener on [::]:@port, or -1. */
static int sctp_listener(int port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_port = htons(port),
				  .sin6_addr = IN6ADDR_ANY_INIT };
	int fd = socket(AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP);

	if (fd < 0 || bind(fd, (void *)&a, sizeof(a)) || listen(fd, 8))
		return -1;
	return fd;
}

FIXTURE(net_sctp) {
	int listener;
};

/*
 * No agent restart: the agent the tests above left (or a new one, when
 * this test runs alone) takes the policy again, and its event log is
 * emptied so that only this test's refusals are in it.  The BPF guest
 * loads SCTP at boot; the native test kernel has none: skipped there.
 */
FIXTURE_SETUP(net_sctp)
{
	int fd = socket(AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP);

	if (fd < 0 && vm_backend() == VM_NATIVE)
		SKIP(return, "this kernel has no SCTP: %s", strerror(errno));
	ASSERT_LE(0, fd) TH_LOG("socket(SCTP): %s", strerror(errno));
	close(fd);
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_apply("net", policy));
	ASSERT_EQ(0, vm_tag("netdev", "role=dev"));
	vm_sh(": > " AGENT_LOG);
	self->listener = sctp_listener(8080);
	ASSERT_LE(0, self->listener);
}

FIXTURE_TEARDOWN(net_sctp)
{
	close(self->listener);
	vm_untag("netdev");
}

/*
 * The SCTP layer asks the sctp_bind_connect hook for every address of
 * sctp_bindx() (a bind each), of sctp_connectx() and of a send that
 * creates an association (a connect each), with the further
 * destinations of its control messages; a one-to-many socket's sendto()
 * is also a send to an address.  The second address of a list
 * is decided as well as the first, whatever its family.
 */
TEST_F(net_sctp, every_sctp_route_is_decided)
{
	const int seq = SOCK_SEQPACKET;

	EXPECT_EQ(EACCES, vm_in_cg("netdev", take_sctp_route,
				   SCTP1(seq, BINDX, 7000)));
	EXPECT_TRUE(vm_log_has("\"no-admin\"", "\"op\":\"bind\"", 10000));
	EXPECT_EQ(EACCES, vm_in_cg("netdev", take_sctp_route,
				   SCTP_ROUTE(seq, BINDX, 8097, false,
					      7000, true)));
	EXPECT_EQ(0, vm_in_cg("netdev", take_sctp_route,
			      SCTP_ROUTE(seq, BINDX, 8097, false, 8097, true)));
	/* sctp_connectx(): to the untagged listener on 8080 */
	EXPECT_EQ(EACCES, vm_in_cg("netdev", take_sctp_route,
				   SCTP1(seq, CONNECTX, 7000)));
	EXPECT_TRUE(vm_log_has("\"no-admin\"", "\"op\":\"connect\"",
			       10000));
	EXPECT_EQ(EACCES, vm_in_cg("netdev", take_sctp_route,
				   SCTP_ROUTE(seq, CONNECTX, 8080, false,
					      7000, true)));
	EXPECT_EQ(0, vm_in_cg("netdev", take_sctp_route,
			      SCTP1(seq, CONNECTX, 8080)));
	/* one-to-many: a sendto() to a new address */
	EXPECT_EQ(EACCES, vm_in_cg("netdev", take_sctp_route,
				   SCTP1(seq, SENDTO, 7000)));
	EXPECT_EQ(0, vm_in_cg("netdev", take_sctp_route,
			      SCTP1(seq, SENDTO, 8080)));
	/*
	 * one-to-one: socket_sendmsg leaves a stream socket's address to
	 * connect; the association the send creates is decided
	 */
	EXPECT_EQ(EACCES, vm_in_cg("netdev", take_sctp_route,
				   SCTP1(SOCK_STREAM, SENDTO, 7000)));
	EXPECT_EQ(0, vm_in_cg("netdev", take_sctp_route,
			      SCTP1(SOCK_STREAM, SENDTO, 8080)));
	/*
	 * sctp_sendv() to 127.0.0.1:8080 and 10.9.9.9 (on port 8080: no
	 * network names it): the second path is a connect too
	 */
	EXPECT_EQ(EACCES, vm_in_cg("netdev", take_sctp_route,
				   SCTPV(8080, "10.9.9.9")));
	EXPECT_EQ(0, vm_in_cg("netdev", take_sctp_route,
			      SCTPV(8080, "127.0.0.2")));
	/* untagged: not decided */
	EXPECT_EQ(0, vm_in_cg(NULL, take_sctp_route,
			      SCTP1(seq, BINDX, 7000)));
	EXPECT_EQ(0, vm_in_cg(NULL, take_sctp_route, SCTPV(8080, "10.9.9.9")));
}

TEST_HARNESS_MAIN
