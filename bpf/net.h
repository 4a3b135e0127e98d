/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The socket hooks: TCP, UDP and SCTP sockets decided against the
 * policy's network objects, on every route an address takes (connect,
 * bind, listen, and a send to an address: UDP and SCTP one-to-many
 * sendto/sendmsg, TCP Fast Open; SCTP's own routes in sctp.h),
 * with the address read as the kernel reads it; Unix sockets by their
 * socket file's label.  Included once, by abac.bpf.c, after objects.h.
 */
#ifndef _ABAC_BPF_NET_H
#define _ABAC_BPF_NET_H

/* ---- sockets: connect, bind, listen ------------------------------------- */

#define AF_UNSPEC	0
#define AF_INET		2
#define AF_INET6	10
#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define SOCK_SEQPACKET	5
#define MSG_FASTOPEN	0x20000000
/* The shortest sockaddr_in6 the kernel takes: without sin6_scope_id. */
#define SIN6_LEN_RFC2133	24

/*
 * A network object outside every network the policy names.  Not const:
 * abac_decide_global() takes writable memory only, and .rodata is not.
 */
static struct abac_attrs abac_no_attrs;

/*
 * Is @op on a TCP, UDP or SCTP socket to be decided for the caller?  An
 * SCTP socket is SOCK_STREAM (one-to-one) or SOCK_SEQPACKET (one-to-many,
 * whose sendto() to a new address creates an association).  Fills
 * @img and @sc when it is.  Only a policy with a rule for @op decides
 * it, so that a policy written for files leaves a tagged process's
 * networking alone.  Asked before the address is read: an untagged
 * caller pays for nothing else.
 */
static __always_inline int sock_enter(struct socket *sock, __u32 op,
				      struct abac_image *img,
				      struct abac_subject_ctx *sc)
{
	short type = sock->type;

	if (type != SOCK_STREAM && type != SOCK_DGRAM &&
	    type != SOCK_SEQPACKET)
		return 0;
	return abac_enter(img, sc) && policy_names(img, op);
}

/*
 * Decide @op on the network object an address and port belong to.  The
 * object's attributes are those of the most specific network the policy
 * names (none: every condition on them is indeterminate).  The decision
 * is cached in the caller's cgroup entry, keyed by the network.
 */
static __always_inline int sock_decide(const struct abac_image *img,
				       const struct abac_subject_ctx *sc,
				       __u32 op, __u32 family,
				       const __u8 *addr, __u32 port)
{
	const struct abac_attrs *na;
	struct abac_obj obj = {};
	__u8 v4[16] = {};
	__u32 idx = 0;

	/*
	 * An IPv4-mapped IPv6 address (::ffff:a.b.c.d) reaches the IPv4
	 * address: it is decided as the IPv4 network that holds it.
	 */
	if (family == 6 && !addr[0] && !addr[1] && !addr[2] && !addr[3] &&
	    !addr[4] && !addr[5] && !addr[6] && !addr[7] && !addr[8] &&
	    !addr[9] && addr[10] == 0xff && addr[11] == 0xff) {
		v4[0] = addr[12];
		v4[1] = addr[13];
		v4[2] = addr[14];
		v4[3] = addr[15];
		addr = v4;
		family = 4;
	}
	na = abac_net_find(img, family, addr, port, &idx);
	obj.net_addr = addr;
	obj.net_family = family;
	obj.net_port = port;
	obj.attrs = na ? na : &abac_no_attrs;
	obj.attrs_id = ABAC_NET_ID | (na ? idx : 0xffffffffU);
	obj.avc = sc->cache ? sc->cache->avc : NULL;
	return abac_check(img, sc, &obj, op);
}

/*
 * The address and port of a sockaddr the caller gave (kernel memory: the
 * kernel copied it into a struct sockaddr_storage), read as the kernel
 * reads it: AF_INET from 16 bytes, AF_INET6 from 24 (sin6_scope_id may
 * be left out) and, for bind() on an IPv4 socket, AF_UNSPEC with
 * INADDR_ANY, which the kernel takes for AF_INET.  0 for any other
 * family or a length the kernel refuses (not a network object).
 */
static __always_inline int sockaddr_read(const void *address, int addrlen,
					 struct socket *sock, __u32 op,
					 __u32 *family, __u8 *addr,
					 __u32 *port)
{
	struct sockaddr_in6 sa = {};	/* 28 bytes; the storage has 128 */
	struct sockaddr_in *in = (void *)&sa;
	struct sock *sk;
	__u16 fam;

	__builtin_memset(addr, 0, 16);
	if (!address || addrlen < (int)sizeof(struct sockaddr_in) ||
	    bpf_probe_read_kernel(&sa, sizeof(sa), address))
		return 0;
	fam = sa.sin6_family;
	if (fam == AF_UNSPEC && op == ABAC_OP_BIND && !in->sin_addr.s_addr) {
		sk = sock->sk;
		if (sk && sk->__sk_common.skc_family == AF_INET)
			fam = AF_INET;
	}
	if (fam == AF_INET) {
		__builtin_memcpy(addr, &in->sin_addr.s_addr, 4);
		*family = 4;
	} else if (fam == AF_INET6 && addrlen >= SIN6_LEN_RFC2133) {
		__builtin_memcpy(addr, &sa.sin6_addr, 16);
		*family = 6;
	} else {
		return 0;
	}
	*port = __builtin_bswap16(sa.sin6_port);	/* sin_port too */
	return 1;
}

/* connect, bind and a send to an address: the address the caller gave. */
static __always_inline int sock_addr_decide(struct socket *sock, __u32 op,
					    const void *address, int addrlen)
{
	struct abac_subject_ctx sc = {};
	struct abac_image img;
	__u32 family, port;
	__u8 addr[16];

	if (!sock_enter(sock, op, &img, &sc) ||
	    !sockaddr_read(address, addrlen, sock, op, &family, addr, &port))
		return 0;
	return sock_decide(&img, &sc, op, family, addr, port);
}

SEC("lsm/socket_connect")
int BPF_PROG(hook_socket_connect, struct socket *sock,
	     struct sockaddr *address, int addrlen, int ret)
{
	return ret ? ret : sock_addr_decide(sock, ABAC_OP_CONNECT, address,
					    addrlen);
}

SEC("lsm/socket_bind")
int BPF_PROG(hook_socket_bind, struct socket *sock,
	     struct sockaddr *address, int addrlen, int ret)
{
	return ret ? ret : sock_addr_decide(sock, ABAC_OP_BIND, address,
					    addrlen);
}

/*
 * hook_socket_sendmsg() - a send to an address is a connect to it: UDP
 * sendto/sendmsg (each message of sendmmsg, io_uring's too), and on TCP
 * a send with MSG_FASTOPEN, which connects without connect().  A send on
 * a connected socket names no address: connect decided it.  TCP ignores
 * an address on a connected socket: only Fast Open is decided there.
 */
SEC("lsm/socket_sendmsg")
int BPF_PROG(hook_socket_sendmsg, struct socket *sock, struct msghdr *msg,
	     int size, int ret)
{
	if (ret || !msg->msg_name || msg->msg_namelen <= 0)
		return ret;
	if (sock->type == SOCK_STREAM && !(msg->msg_flags & MSG_FASTOPEN))
		return 0;
	return sock_addr_decide(sock, ABAC_OP_CONNECT, msg->msg_name,
				msg->msg_namelen);
}

/*
 * A Unix socket bound to a path is an object: its socket file.  Only
 * regular files and directories take user.* xattrs, so the file's label
 * is always the one it inherits from its nearest labelled directory
 * (abac_dirs).  An abstract or unbound socket has no file: not decided.
 * As for networks, a policy with no rule for @op does not decide it.
 */
static __always_inline int unix_decide(struct sock *sk, __u32 op)
{
	struct abac_subject_ctx sc = {};
	struct unix_sock *u;
	struct abac_image img;
	struct dentry *dentry;

	if (!sk || !abac_enter(&img, &sc) || !policy_names(&img, op))
		return 0;
	u = bpf_skc_to_unix_sock(sk);
	if (!u)
		return 0;
	dentry = u->path.dentry;
	if (!dentry)
		return 0;
	/* no label of its own: the inherited one, if any */
	return check_entry(&img, &sc, dentry, NULL, abac_epoch_now(), op);
}

/** hook_unix_stream_connect() - connect to a stream socket's file. */
SEC("lsm/unix_stream_connect")
int BPF_PROG(hook_unix_stream_connect, struct sock *sock, struct sock *other,
	     struct sock *newsk, int ret)
{
	if (ret)
		return ret;
	return unix_decide(other, ABAC_OP_CONNECT);
}

/*
 * hook_unix_may_send() - connect or send to a datagram socket's file:
 * the kernel asks at connect() and at each send to an address.
 */
SEC("lsm/unix_may_send")
int BPF_PROG(hook_unix_may_send, struct socket *sock, struct socket *other,
	     int ret)
{
	if (ret)
		return ret;
	return unix_decide(other->sk, ABAC_OP_CONNECT);
}

#define AF_UNIX		1

/* listen: the address the socket is bound to, or its socket file. */
SEC("lsm/socket_listen")
int BPF_PROG(hook_socket_listen, struct socket *sock, int backlog, int ret)
{
	struct abac_subject_ctx sc = {};
	struct sock *sk = sock->sk;
	struct abac_image img;
	__u8 addr[16] = {};
	__u32 family;
	__u16 fam;

	if (ret || !sk)
		return ret;
	fam = sk->__sk_common.skc_family;
	if (fam == AF_UNIX)
		return unix_decide(sk, ABAC_OP_LISTEN);
	if (!sock_enter(sock, ABAC_OP_LISTEN, &img, &sc))
		return 0;
	if (fam == AF_INET) {
		__u32 a = sk->__sk_common.skc_rcv_saddr;

		__builtin_memcpy(addr, &a, 4);
		family = 4;
	} else if (fam == AF_INET6) {
		BPF_CORE_READ_INTO(addr, sk, __sk_common.skc_v6_rcv_saddr);
		family = 6;
	} else {
		return 0;
	}
	return sock_decide(&img, &sc, ABAC_OP_LISTEN, family, addr,
			   sk->__sk_common.skc_num);
}

#endif /* _ABAC_BPF_NET_H */
