// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: the socket hooks, as bpf/net.h and bpf/sctp.h have
 * them.  TCP, UDP and SCTP sockets, IPv4 and IPv6, are decided against the policy's network
 * objects (networks: in the policy language); a Unix socket bound to a
 * path by its socket file's label, which the file inherits from its
 * nearest labelled directory.  A policy with no rule for an operation
 * does not decide it, so that a policy written for files leaves a tagged
 * task's networking alone.
 *
 *   socket_connect, socket_bind   connect, bind: the address given
 *   socket_listen                 listen: the address bound, or for a
 *                                 Unix socket its own file
 *   unix_stream_connect,          connect: the file of the socket
 *   unix_may_send                 connected or sent to (atomic context:
 *                                 labels the connect or send did not read
 *                                 before fail closed)
 *   socket_sendmsg                a send to an address: a connect;
 *                                 reads the labels a datagram sent to a
 *                                 Unix socket's path will need
 *   sctp_bind_connect             sctp_bindx, sctp_connectx, a send that
 *                                 creates an association, the primary
 *                                 addresses: each address of the list
 */
#include "abac.h"

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/namei.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <uapi/linux/sctp.h>
#include <linux/un.h>
#include <net/af_unix.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>

#define ABAC_NET_ID	BIT_ULL(63)	/* | network index: its id */

/* A network object outside every network the policy names. */
static const struct abac_attrs abac_no_attrs;

/**
 * abac_net_addr_text() - a network object's address and port as events
 * and audit records name it: "a.b.c.d:port" or "[v6]:port".
 * @a: the address.
 * @buf: receives the text.
 * @size: bytes of @buf.
 *
 * Only a report formats it: a decision, cached or not, never does.
 */
void abac_net_addr_text(const struct abac_net_addr *a, char *buf, size_t size)
{
	if (a->family == 4)
		snprintf(buf, size, "%pI4:%u", a->ip, a->port);
	else
		snprintf(buf, size, "[%pI6c]:%u", a->ip, a->port);
}

/*
 * Decide @op on the network object an address and port belong to: the
 * attributes of the most specific network the policy names (none: every
 * condition on them is indeterminate).  Cached in the caller's task.
 */
static int abac_sock_decide(const struct abac_ctx *c, u32 op, u32 family,
			    const u8 *addr, u32 port)
{
	struct abac_image img = abac_loaded_image(c->pol);
	struct abac_net_addr na = { .family = family, .port = port };
	const struct abac_attrs *attrs;
	struct abac_obj o = {};
	u32 idx = 0;

	/* ::ffff:a.b.c.d reaches a.b.c.d: decided as that IPv4 address */
	if (family == 6 && ipv6_addr_v4mapped((const struct in6_addr *)addr)) {
		memcpy(na.ip, addr + 12, 4);
		na.family = 4;
	} else {
		memcpy(na.ip, addr, family == 4 ? 4 : 16);
	}
	attrs = abac_net_find(&img, na.family, na.ip, port, &idx);
	o.attrs = attrs ? attrs : &abac_no_attrs;
	o.attrs_id = ABAC_NET_ID | (attrs ? idx : 0xffffffffU);
	o.net = &na;
	return abac_check(c, &o, op);
}

/*
 * The address and port of a sockaddr the caller gave, read as the kernel
 * reads it: AF_INET from 16 bytes, AF_INET6 from 24 (SIN6_LEN_RFC2133:
 * sin6_scope_id may be left out) and, for bind() on an IPv4 socket,
 * AF_UNSPEC with INADDR_ANY, which inet_bind() takes for AF_INET.  False
 * for another family or a length the kernel refuses.
 */
static bool abac_sockaddr_read(struct socket *sock, u32 op,
			       const struct sockaddr *address, int addrlen,
			       u32 *family, u8 *addr, u32 *port)
{
	const struct sockaddr_in *in4 = (const void *)address;
	const struct sockaddr_in6 *in6 = (const void *)address;
	sa_family_t fam = address->sa_family;

	memset(addr, 0, 16);
	if (addrlen < (int)sizeof(struct sockaddr_in))
		return false;
	if (fam == AF_UNSPEC && op == ABAC_OP_BIND && sock->sk &&
	    sock->sk->sk_family == AF_INET &&
	    in4->sin_addr.s_addr == htonl(INADDR_ANY))
		fam = AF_INET;
	if (fam == AF_INET) {
		memcpy(addr, &in4->sin_addr.s_addr, 4);
		*port = ntohs(in4->sin_port);
		*family = 4;
		return true;
	}
	if (fam == AF_INET6 && addrlen >= SIN6_LEN_RFC2133) {
		memcpy(addr, &in6->sin6_addr, 16);
		*port = ntohs(in6->sin6_port);
		*family = 6;
		return true;
	}
	return false;	/* another family: not a network object */
}

/*
 * A TCP, UDP or SCTP socket (SOCK_STREAM, or SOCK_SEQPACKET: one-to-many)
 * whose @op the policy decides, for a tagged caller.
 */
static bool abac_sock_enter(struct socket *sock, u32 op, struct abac_ctx *c)
{
	if (sock->type != SOCK_STREAM && sock->type != SOCK_DGRAM &&
	    sock->type != SOCK_SEQPACKET)
		return false;
	if (!abac_ctx_get(c))
		return false;
	if (abac_policy_names(c, op))
		return true;
	abac_ctx_put(c);
	return false;
}

/*
 * A Unix socket's path, given to connect or sendto: read the labels of
 * its file and directories now, in process context, for the decision
 * unix_stream_connect or unix_may_send takes under the socket's lock.
 */
static void abac_unix_prime(const struct sockaddr *address, int addrlen)
{
	const struct sockaddr_un *sun = (const void *)address;
	char name[sizeof(sun->sun_path) + 1];
	struct path path;
	int len = addrlen - (int)offsetof(struct sockaddr_un, sun_path);

	if (address->sa_family != AF_UNIX || len <= 0 || !sun->sun_path[0])
		return;	/* unnamed or abstract: no file */
	len = min_t(int, len, sizeof(sun->sun_path));
	memcpy(name, sun->sun_path, len);
	name[len] = '\0';
	if (kern_path(name, LOOKUP_FOLLOW, &path))
		return;
	abac_label_prime(path.dentry);
	path_put(&path);
}

/*
 * Is the caller tagged, under an image that names @op?  Asked outside the
 * context's RCU section, since the label is then read by a path walk.
 */
static bool abac_unix_named(u32 op)
{
	struct abac_ctx c;
	bool named;

	if (!abac_ctx_get(&c))
		return false;
	named = abac_policy_names(&c, op);
	abac_ctx_put(&c);
	return named;
}

/* connect, bind and a send to an address: the address the caller gave. */
static int abac_sock_addr(struct socket *sock, u32 op,
			  struct sockaddr *address, int addrlen)
{
	struct abac_ctx c;
	u32 family, port;
	u8 addr[16];
	int err = 0;

	if (address->sa_family == AF_UNIX) {
		if (op == ABAC_OP_CONNECT && abac_unix_named(op))
			abac_unix_prime(address, addrlen);
		return 0;
	}
	if (!abac_sock_enter(sock, op, &c))
		return 0;
	if (abac_sockaddr_read(sock, op, address, addrlen, &family, addr,
			       &port))
		err = abac_sock_decide(&c, op, family, addr, port);
	abac_ctx_put(&c);
	return err;
}

static int abac_socket_connect(struct socket *sock, struct sockaddr *address,
			       int addrlen)
{
	return abac_sock_addr(sock, ABAC_OP_CONNECT, address, addrlen);
}

static int abac_socket_bind(struct socket *sock, struct sockaddr *address,
			    int addrlen)
{
	return abac_sock_addr(sock, ABAC_OP_BIND, address, addrlen);
}

/*
 * SCTP's own routes (bpf/sctp.h has the same rules): the addresses a call
 * may name at most; a longer list is refused to a tagged subject.
 */
#define ABAC_SCTP_MAX_ADDRS	16

static int abac_sctp_send_dstaddrs(struct sock *sk, struct msghdr *msg);

/*
 * A send to an address is a connect to it: UDP sendto/sendmsg (each
 * message of sendmmsg), and on TCP a send with MSG_FASTOPEN, which
 * connects without connect(); TCP ignores an address on a connected
 * socket.  A Unix socket's path is primed for unix_may_send.  An SCTP
 * send's further destinations are connects too.
 */
static int abac_socket_sendmsg(struct socket *sock, struct msghdr *msg,
			       int size)
{
	struct sock *sk = sock->sk;
	int err;

	if (!msg->msg_name || msg->msg_namelen <= 0 || !sk)
		return 0;
	if (sk->sk_family == AF_UNIX) {
		if (abac_unix_named(ABAC_OP_CONNECT))
			abac_unix_prime(msg->msg_name, msg->msg_namelen);
		return 0;
	}
	err = abac_sctp_send_dstaddrs(sk, msg);
	if (err)
		return err;
	if (sock->type == SOCK_STREAM && !(msg->msg_flags & MSG_FASTOPEN))
		return 0;
	return abac_sock_addr(sock, ABAC_OP_CONNECT, msg->msg_name,
			      msg->msg_namelen);
}

/*
 * A Unix socket bound to a path is an object: its socket file, which
 * takes no user.abac, so its label is the one it inherits.  An abstract
 * or unbound socket has no file: not decided.
 */
static int abac_unix_decide(struct abac_ctx *c, struct sock *sk,
			    u32 op, unsigned int flags)
{
	struct dentry *dentry = unix_sk(sk)->path.dentry;

	if (!dentry || !abac_policy_names(c, op))
		return 0;
	return abac_check_dentry(c, dentry, NULL, dentry, flags, op);
}

static int abac_unix_stream_connect(struct sock *sock, struct sock *other,
				    struct sock *newsk)
{
	struct abac_ctx c;
	int err;

	if (!abac_ctx_get(&c))
		return 0;
	err = abac_guard_unix_connect(&c, other);
	if (!err)
		err = abac_unix_decide(&c, other, ABAC_OP_CONNECT,
				       ABAC_F_NOSLEEP);
	abac_ctx_put(&c);
	return err;
}

/* connect or send to a datagram socket's file. */
static int abac_unix_may_send(struct socket *sock, struct socket *other)
{
	struct abac_ctx c;
	int err;

	if (!other->sk || !abac_ctx_get(&c))
		return 0;
	err = abac_unix_decide(&c, other->sk, ABAC_OP_CONNECT,
			       ABAC_F_NOSLEEP);
	abac_ctx_put(&c);
	return err;
}

/* The address a TCP or UDP socket is bound to. */
static bool abac_sock_local(struct sock *sk, u32 *family, u8 *addr)
{
	memset(addr, 0, 16);
	if (sk->sk_family == AF_INET) {
		memcpy(addr, &sk->sk_rcv_saddr, 4);
		*family = 4;
		return true;
	}
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		memcpy(addr, &sk->sk_v6_rcv_saddr, 16);
		*family = 6;
		return true;
	}
#endif
	return false;
}

/* listen: the address the socket is bound to, or its socket file. */
static int abac_socket_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	struct abac_ctx c;
	u32 family;
	u8 addr[16];
	int err = 0;

	if (!sk)
		return 0;
	if (sk->sk_family == AF_UNIX) {
		if (!abac_ctx_get(&c))
			return 0;
		err = abac_unix_decide(&c, sk, ABAC_OP_LISTEN, 0);
		abac_ctx_put(&c);
		return err;
	}
	if (!abac_sock_enter(sock, ABAC_OP_LISTEN, &c))
		return 0;
	if (abac_sock_local(sk, &family, addr))
		err = abac_sock_decide(&c, ABAC_OP_LISTEN, family, addr,
				       inet_sk(sk)->inet_num);
	abac_ctx_put(&c);
	return err;
}

/*
 * The operation @optname is, or -1 for one not decided: the ASCONF
 * parameters come from the peer, in softirq, on behalf of no task of
 * ours.  SCTP_PRIMARY_ADDR picks the peer address data goes to: a
 * connect; SCTP_SET_PEER_PRIMARY_ADDR offers the peer one of our own
 * addresses: a bind.
 */
static int abac_sctp_optname_op(int optname)
{
	switch (optname) {
	case SCTP_SOCKOPT_BINDX_ADD:
	case SCTP_SET_PEER_PRIMARY_ADDR:
		return ABAC_OP_BIND;
	case SCTP_SOCKOPT_CONNECTX:
	case SCTP_SENDMSG_CONNECT:
	case SCTP_PRIMARY_ADDR:
		return ABAC_OP_CONNECT;
	}
	return -1;
}

/*
 * Decide the address at @entry, @room bytes left in the list; sets @len
 * to the entry's size.  An entry of another family, or one that runs
 * past the list, is refused as the SCTP layer refuses it.  A port of 0
 * in a bind on a bound socket is the socket's port (sctp_do_bind()).
 */
static int abac_sctp_entry(const struct abac_ctx *c, struct sock *sk, u32 op,
			   const struct sockaddr *entry, int room, int *len)
{
	const struct sockaddr_in *in4 = (const void *)entry;
	const struct sockaddr_in6 *in6 = (const void *)entry;
	u8 addr[16] = {};
	u32 port;

	if (room < (int)sizeof(sa_family_t))
		return -EINVAL;
	if (entry->sa_family == AF_INET)
		*len = sizeof(*in4);
	else if (entry->sa_family == AF_INET6)
		*len = sizeof(*in6);
	else
		return -EINVAL;
	if (*len > room)
		return -EINVAL;
	if (entry->sa_family == AF_INET) {
		memcpy(addr, &in4->sin_addr.s_addr, 4);
		port = ntohs(in4->sin_port);
	} else {
		memcpy(addr, &in6->sin6_addr, 16);
		port = ntohs(in6->sin6_port);
	}
	if (!port && op == ABAC_OP_BIND)
		port = inet_sk(sk)->inet_num;
	return abac_sock_decide(c, op, entry->sa_family == AF_INET ? 4 : 6,
				addr, port);
}

/*
 * The SCTP layer's list of sockaddr_in and sockaddr_in6: every address
 * decided, the first refusal refuses the call; more than
 * ABAC_SCTP_MAX_ADDRS of them: -EACCES, closed.
 */
static int abac_sctp_bind_connect(struct sock *sk, int optname,
				  struct sockaddr *address, int addrlen)
{
	int op = abac_sctp_optname_op(optname), off = 0, len = 0, n = 0;
	struct abac_ctx c;
	int err = 0;

	if (op < 0 || !address || !abac_ctx_get(&c))
		return 0;
	if (!abac_policy_names(&c, op))
		goto out;
	for (; !err && off < addrlen; off += len, n++) {
		if (n == ABAC_SCTP_MAX_ADDRS) {
			err = -EACCES;
			break;
		}
		err = abac_sctp_entry(&c, sk, op, (void *)address + off,
				      addrlen - off, &len);
	}
out:
	abac_ctx_put(&c);
	return err;
}

/*
 * The further destinations of an SCTP send to an address: SCTP_DSTADDRV4
 * and _V6 control messages (sctp_sendv() with several addresses), which
 * the kernel adds to the association the send creates, on the port of the
 * address, asking no LSM.  Each is decided as a connect (also when the
 * association exists and they are ignored).  The control messages are
 * kernel memory here (____sys_sendmsg() copied them); user memory, which
 * no path brings, is refused closed.  More than ABAC_SCTP_MAX_ADDRS
 * messages: -EACCES.  A malformed one ends the walk: the SCTP layer
 * refuses the send for it.
 */
static int abac_sctp_send_dstaddrs(struct sock *sk, struct msghdr *msg)
{
	const struct sockaddr_in *to = msg->msg_name;	/* sin6_port too */
	struct cmsghdr *cmsg;
	struct abac_ctx c;
	u32 family, n = 0;
	u8 addr[16];
	int err = 0;

	if (sk->sk_protocol != IPPROTO_SCTP || !msg->msg_controllen ||
	    msg->msg_namelen < (int)offsetofend(struct sockaddr_in, sin_port) ||
	    !abac_ctx_get(&c))
		return 0;
	if (!abac_policy_names(&c, ABAC_OP_CONNECT))
		goto out;
	if (msg->msg_control_is_user) {
		err = -EACCES;
		goto out;
	}
	for_each_cmsghdr(cmsg, msg) {
		if (!CMSG_OK(msg, cmsg))
			break;
		if (++n > ABAC_SCTP_MAX_ADDRS) {
			err = -EACCES;
			break;
		}
		if (cmsg->cmsg_level != IPPROTO_SCTP)
			continue;
		memset(addr, 0, sizeof(addr));
		if (cmsg->cmsg_type == SCTP_DSTADDRV4 &&
		    cmsg->cmsg_len >= CMSG_LEN(sizeof(struct in_addr))) {
			memcpy(addr, CMSG_DATA(cmsg), sizeof(struct in_addr));
			family = 4;
		} else if (cmsg->cmsg_type == SCTP_DSTADDRV6 &&
			   cmsg->cmsg_len >= CMSG_LEN(sizeof(struct in6_addr))) {
			memcpy(addr, CMSG_DATA(cmsg), sizeof(struct in6_addr));
			family = 6;
		} else {
			continue;
		}
		err = abac_sock_decide(&c, ABAC_OP_CONNECT, family, addr,
				       ntohs(to->sin_port));
		if (err)
			break;
	}
out:
	abac_ctx_put(&c);
	return err;
}

static struct security_hook_list abac_net_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(socket_connect, abac_socket_connect),
	LSM_HOOK_INIT(socket_bind, abac_socket_bind),
	LSM_HOOK_INIT(socket_listen, abac_socket_listen),
	LSM_HOOK_INIT(socket_sendmsg, abac_socket_sendmsg),
	LSM_HOOK_INIT(sctp_bind_connect, abac_sctp_bind_connect),
	LSM_HOOK_INIT(unix_stream_connect, abac_unix_stream_connect),
	LSM_HOOK_INIT(unix_may_send, abac_unix_may_send),
};

/**
 * abac_add_net_hooks() - register the socket hooks.
 */
void __init abac_add_net_hooks(void)
{
	security_add_hooks(abac_net_hooks, ARRAY_SIZE(abac_net_hooks),
			   &abac_lsmid);
}
