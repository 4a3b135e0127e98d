/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SCTP's own routes to an address: sctp_bindx(), sctp_connectx(), a
 * sendmsg that creates an association, and the primary addresses an
 * association uses.  The SCTP layer asks sctp_bind_connect with a packed
 * list of sockaddr_in and sockaddr_in6; each address in it is decided
 * as the bind or connect it is, with sock_decide(), as connect(2) and
 * bind(2) are.  Included once, by abac.bpf.c, after net.h.
 */
#ifndef _ABAC_BPF_SCTP_H
#define _ABAC_BPF_SCTP_H

/* The optnames the SCTP layer passes (uapi/linux/sctp.h). */
#define SCTP_SET_PEER_PRIMARY_ADDR	5
#define SCTP_PRIMARY_ADDR		6
#define SCTP_SOCKOPT_BINDX_ADD		100
#define SCTP_SOCKOPT_CONNECTX		110	/* _OLD and 3 pass this too */
#define SCTP_SENDMSG_CONNECT		126

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
	__u32 op;		/* ABAC_OP_BIND or ABAC_OP_CONNECT */
	__u32 bound_port;	/* the socket's port (0: not bound) */
};

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
		*port = rq->bound_port;
	return 0;
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
	err = sctp_entry_read(rq, &sa, &family, &port);
	if (err)
		return err;
	return sock_decide(&img, &sc, rq->op, family,
			   (const __u8 *)&sa.sin6_addr, port);
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
	int op = sctp_optname_op(optname), i, err;

	if (ret || op < 0 || !address)
		return ret;
	rq.op = op;
	rq.bound_port = sk->__sk_common.skc_num;
	rq.list = (unsigned long)address;
	rq.addrlen = addrlen;
	abac_for(i, 0, ABAC_SCTP_MAX_ADDRS + 1) {
		if (rq.off >= addrlen)
			return 0;
		if (i == ABAC_SCTP_MAX_ADDRS)
			return -EACCES;
		err = abac_sctp_entry_global(&rq);
		if (err)	/* a global function's result: any int */
			return err == -EINVAL ? -EINVAL : -EACCES;
	}
	return 0;
}

#endif /* _ABAC_BPF_SCTP_H */
