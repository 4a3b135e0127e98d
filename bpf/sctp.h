/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SCTP's own routes to an address: sctp_bindx(), sctp_connectx(), a
 * sendmsg that creates an association, and the primary addresses an
 * association uses.  The SCTP layer asks sctp_bind_connect with a packed
 * list of sockaddr_in and sockaddr_in6; each address in it is decided
 * as the bind or connect it is, with sock_decide(), as connect(2) and
 * bind(2) are.  So is each further destination a send names in an
 * SCTP_DSTADDRV4/V6 control message, which the kernel adds to the new
 * association without asking any LSM.  Included once, by abac.bpf.c,
 * after net.h.
 */
#ifndef _ABAC_BPF_SCTP_H
#define _ABAC_BPF_SCTP_H

/* The optnames the SCTP layer passes (uapi/linux/sctp.h). */
#define SCTP_SET_PEER_PRIMARY_ADDR	5
#define SCTP_PRIMARY_ADDR		6
#define SCTP_SOCKOPT_BINDX_ADD		100
#define SCTP_SOCKOPT_CONNECTX		110	/* _OLD and 3 pass this too */
#define SCTP_SENDMSG_CONNECT		126
#define IPPROTO_SCTP			132	/* and SOL_SCTP */
#define SCTP_DSTADDRV4			7	/* cmsg types */
#define SCTP_DSTADDRV6			8

/*
 * The addresses one call may name.  A longer list is refused to a
 * tagged subject (Documentation/enforcement.rst): deciding it whole
 * would cost the verifier and the hook without bound.
 */
#define ABAC_SCTP_MAX_ADDRS		16

/*
 * The operation @optname is, or -1 for one not decided: the ASCONF
 * parameters (SCTP_PARAM_ADD_IP, SCTP_PARAM_SET_PRIMARY) come from the
 * peer and are checked in softirq, on behalf of no task of ours.
 * SCTP_PRIMARY_ADDR picks the peer address data is sent to: a connect.
 * SCTP_SET_PEER_PRIMARY_ADDR offers the peer one of our own addresses:
 * a bind.
 */
static __always_inline int sctp_optname_op(int optname)
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
 * One entry of an SCTP address list, for abac_sctp_entry_global(): what
 * the hook knows, as numbers (a global function takes no kernel
 * pointer: the list's address travels as an integer).
 */
struct abac_sctp_req {
	__u64 list;		/* the list, a kernel address */
	__s32 addrlen;		/* the list's size */
	__s32 off;		/* the entry's offset in it; in/out */
	__u16 port;		/* list: the socket's port (0: not bound),
				 * cmsgs: the destination's
				 */
	__u8 op;		/* ABAC_OP_BIND or ABAC_OP_CONNECT */
	__u8 cmsg;		/* the list is a send's control messages */
};

/*
 * 24 bytes: with the hook's loop counter, the hook's frame is 32 bytes,
 * and the calls under an SCTP hook (the hook, abac_sctp_entry_global(),
 * the decision, a rule, a condition, a set search) fit the verifier's
 * 512 bytes of combined stack.
 */
_Static_assert(sizeof(struct abac_sctp_req) == 24, "abac_sctp_req grew");

/*
 * The address and port of the entry at @rq->off, read into @sa as the
 * SCTP layer reads it: its family gives its size, which moves @rq->off
 * past it.  An IPv4 address is moved to the start of sin6_addr (the
 * rest zero), where sock_decide() reads it: the stack of the calls under
 * the hook has no room for another copy.  A port of 0 in a bind on a
 * bound socket is the socket's port (sctp_do_bind()).  -EINVAL for an
 * entry of another family, one that runs past the list, or one that
 * cannot be read.
 */
static __always_inline int sctp_entry_read(struct abac_sctp_req *rq,
					   struct sockaddr_in6 *sa,
					   __u32 *family, __u32 *port)
{
	const void *entry = (const void *)(unsigned long)(rq->list + rq->off);
	struct sockaddr_in *in = (void *)sa;
	int room = rq->addrlen - rq->off;
	__u32 v4;

	if (rq->off < 0 || room < (int)sizeof(sa->sin6_family) ||
	    bpf_probe_read_kernel(&sa->sin6_family, sizeof(sa->sin6_family),
				  entry))
		return -EINVAL;
	if (sa->sin6_family == AF_INET) {
		if (room < (int)sizeof(*in) ||
		    bpf_probe_read_kernel(in, sizeof(*in), entry))
			return -EINVAL;
		v4 = in->sin_addr.s_addr;
		__builtin_memset(&sa->sin6_addr, 0, sizeof(sa->sin6_addr));
		__builtin_memcpy(&sa->sin6_addr, &v4, sizeof(v4));
		*family = 4;
		rq->off += sizeof(*in);
	} else if (sa->sin6_family == AF_INET6) {
		if (room < (int)sizeof(*sa) ||
		    bpf_probe_read_kernel(sa, sizeof(*sa), entry))
			return -EINVAL;
		*family = 6;
		rq->off += sizeof(*sa);
	} else {
		return -EINVAL;
	}
	*port = __builtin_bswap16(sa->sin6_port);	/* sin_port too */
	if (!*port && rq->op == ABAC_OP_BIND)
		*port = rq->port;
	return 0;
}

/* struct cmsghdr on 64 bits; data follows at CMSG_ALIGN(16) = 16. */
struct sctp_cmsghdr {
	__u64 len;
	int level;
	int type;
};

/*
 * The control message at @rq->off, walked as for_each_cmsghdr() walks
 * it (@rq->off moves to the next one, CMSG_ALIGN'd): an SCTP_DSTADDRV4
 * or _V6 gives its address, with the destination's port, into @sa and
 * returns 0.  1 for any other message, and for the end of the walk (a
 * message too short or running past the buffer, for which the SCTP
 * layer refuses the send: sctp_msghdr_parse()).  -EACCES for one that
 * cannot be read: closed.
 */
static __always_inline int sctp_cmsg_read(struct abac_sctp_req *rq,
					  struct sockaddr_in6 *sa,
					  __u32 *family, __u32 *port)
{
	const char *c = (const char *)(unsigned long)(rq->list + rq->off);
	int room = rq->addrlen - rq->off;
	struct sctp_cmsghdr h;
	__u32 len;

	if (rq->off < 0 || room < (int)sizeof(h))
		goto end;
	if (bpf_probe_read_kernel(&h, sizeof(h), c))
		return -EACCES;
	if (h.len < sizeof(h) || h.len > (__u64)room)
		goto end;
	len = h.len;
	rq->off += (len + 7) & ~7U;
	if (h.level != IPPROTO_SCTP ||
	    (h.type != SCTP_DSTADDRV4 && h.type != SCTP_DSTADDRV6))
		return 1;
	__builtin_memset(&sa->sin6_addr, 0, sizeof(sa->sin6_addr));
	if (h.type == SCTP_DSTADDRV4) {
		if (len < sizeof(h) + 4)
			goto end;
		if (bpf_probe_read_kernel(&sa->sin6_addr, 4, c + sizeof(h)))
			return -EACCES;
		*family = 4;
	} else {
		if (len < sizeof(h) + 16)
			goto end;
		if (bpf_probe_read_kernel(&sa->sin6_addr, 16, c + sizeof(h)))
			return -EACCES;
		*family = 6;
	}
	*port = rq->port;
	return 0;
end:
	rq->off = rq->addrlen;
	return 1;
}

/**
 * abac_sctp_entry_global() - decide one address of an SCTP list.
 * @rq: the list, the entry's offset (moved past it) and the operation.
 *
 * A global function: the verifier checks it once, so the hook's loop
 * over the list stays a loop of calls.  It finds the subject itself:
 * the stack of the calls under a hook (512 bytes) has no room for the
 * hook's copy of it as well.  A caller that is not decided (untagged, or
 * no rule for the operation) ends the walk.
 *
 * Return: 0 to allow, -EACCES, or -EINVAL for an entry the SCTP layer
 * refuses too.
 */
__attribute__((noinline, used)) int
abac_sctp_entry_global(struct abac_sctp_req *rq)
{
	struct abac_subject_ctx sc = {};
	struct sockaddr_in6 sa = {};
	struct abac_image img;
	__u32 family, port;
	int err;

	if (!rq)
		return -EACCES;
	if (!abac_enter(&img, &sc) || !policy_names(&img, rq->op)) {
		rq->off = rq->addrlen;
		return 0;
	}
	if (rq->cmsg) {
		err = sctp_cmsg_read(rq, &sa, &family, &port);
		if (err)
			return err < 0 ? err : 0;
	} else {
		err = sctp_entry_read(rq, &sa, &family, &port);
		if (err)
			return err;
	}
	return sock_decide(&img, &sc, rq->op, family,
			   (const __u8 *)&sa.sin6_addr, port);
}

/*
 * Decide the list @rq names, one global call per entry; the first
 * refusal refuses.  More than ABAC_SCTP_MAX_ADDRS entries: -EACCES,
 * closed (only a caller that is decided gets past the first entry).
 */
static __always_inline int sctp_walk(struct abac_sctp_req *rq)
{
	int i, err;

	abac_for(i, 0, ABAC_SCTP_MAX_ADDRS + 1) {
		if (rq->off >= rq->addrlen)
			return 0;
		if (i == ABAC_SCTP_MAX_ADDRS)
			return -EACCES;
		err = abac_sctp_entry_global(rq);
		if (err)	/* a global function's result: any int */
			return err == -EINVAL ? -EINVAL : -EACCES;
	}
	return 0;
}

/*
 * hook_sctp_bind_connect() - every address of the list decided; the
 * first refusal refuses the call.  More than ABAC_SCTP_MAX_ADDRS
 * entries: -EACCES, closed.  Untagged callers, and policies with no
 * rule for the operation, are not decided.
 */
SEC("lsm/sctp_bind_connect")
int BPF_PROG(hook_sctp_bind_connect, struct sock *sk, int optname,
	     struct sockaddr *address, int addrlen, int ret)
{
	struct abac_sctp_req rq = {};
	int op = sctp_optname_op(optname);

	if (ret || op < 0 || !address)
		return ret;
	rq.op = op;
	rq.port = sk->__sk_common.skc_num;
	rq.list = (unsigned long)address;
	rq.addrlen = addrlen;
	return sctp_walk(&rq);
}

/*
 * hook_sctp_sendmsg() - a send on an SCTP socket to an address, with
 * SCTP_DSTADDRV4/V6 control messages (sctp_sendv() with several
 * addresses): if the send creates an association, the kernel adds each
 * of them to it as a further path to the peer, on the port of the
 * address, asking no LSM.  Each is decided as a connect here, whether
 * or not the association is new (a send on an existing one ignores
 * them).  The control messages are kernel memory (____sys_sendmsg()
 * copied them).  A second program on socket_sendmsg, beside net.h's.
 */
SEC("lsm/socket_sendmsg")
int BPF_PROG(hook_sctp_sendmsg, struct socket *sock, struct msghdr *msg,
	     int size, int ret)
{
	struct abac_sctp_req rq = { .op = ABAC_OP_CONNECT, .cmsg = 1 };
	struct sock *sk = sock->sk;
	__u64 clen = msg->msg_controllen;

	if (ret || !sk || sk->sk_protocol != IPPROTO_SCTP ||
	    !msg->msg_name || msg->msg_namelen < 4 || !clen ||
	    clen > 0x7fffffff)
		return ret;
	/* sin_port and sin6_port: the same place; no local of its own */
	if (bpf_probe_read_kernel(&rq.port, sizeof(rq.port),
				  (const char *)msg->msg_name + 2))
		return 0;
	rq.port = __builtin_bswap16(rq.port);
	rq.list = (unsigned long)msg->msg_control;
	rq.addrlen = clen;
	return sctp_walk(&rq);
}

#endif /* _ABAC_BPF_SCTP_H */
