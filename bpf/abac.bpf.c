// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac's BPF-LSM programs.  The maps live in maps.h, the shared plumbing in
 * common.h, the decision in lsm/abac_decide.h; the hooks here only turn a
 * kernel event into an operation on an object with attributes.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "abac_iter.h"
#include "abac_abi.h"
#include "abac_decide.h"
#include "maps.h"
#include "common.h"

char LICENSE[] SEC("license") = "GPL";

/*
 * Read and parse a file's user.abac label.  Returns 1 when the file is
 * labelled (attributes in @obj), 0 when it carries no label, -1 when the
 * label cannot be trusted (malformed, unknown to the policy, too long or
 * unreadable): the caller then fails closed.
 */
static __always_inline int file_label(const struct abac_image *img,
				      struct file *file,
				      struct abac_scratch *scr)
{
	__u8 *buf = scr->label;
	struct bpf_dynptr dp;
	int len;

	bpf_dynptr_from_mem(buf, ABAC_LABEL_MAX, 0, &dp);
	len = bpf_get_file_xattr(file, ABAC_LABEL_XATTR, &dp);
	if (len == -ENODATA || len == -EOPNOTSUPP)
		return 0;
	if (len <= 0 || len > ABAC_LABEL_MAX)
		return -1;
	return abac_label_parse(img, buf, len, &scr->pairs, &scr->obj) ? -1 : 1;
}

/**
 * hook_file_open() - decide read and write on open, from the open mode.
 * Untagged processes and unlabelled files are not touched.
 */
SEC("lsm.s/file_open")
int BPF_PROG(hook_file_open, struct file *file, int ret)
{
	struct abac_subject_ctx sc = {};
	struct abac_scratch *scr;
	struct abac_image img;
	struct abac_attrs *obj;
	unsigned int fmode;
	int labelled, err;

	if (ret)
		return ret;
	if (!abac_image_get(&img) || !abac_subject_get(&img, &sc))
		return 0;
	scr = abac_scratch_get();
	if (!scr)
		return -ENOMEM;	/* a tagged subject: fail closed */
	obj = &scr->obj;
	labelled = file_label(&img, file, scr);
	if (!labelled)
		return 0;
	fmode = file->f_mode;
	if (fmode & FMODE_READ) {
		err = abac_check(&img, &sc, file, ABAC_OP_READ, obj,
				 &scr->env, labelled < 0);
		if (err)
			return err;
	}
	if (fmode & FMODE_WRITE)
		return abac_check(&img, &sc, file, ABAC_OP_WRITE, obj,
				  &scr->env, labelled < 0);
	return 0;
}

/* ---- sockets: connect, bind, listen ------------------------------------- */

#define AF_INET		2
#define AF_INET6	10
#define SOCK_STREAM	1
#define SOCK_DGRAM	2

/*
 * Decide @op on the network object an address and port belong to.  The
 * object's attributes are those of the most specific network the policy
 * names (none: every condition on them is indeterminate).  A policy with
 * no rule for @op does not decide it, so a policy written for files
 * leaves a tagged process's networking alone.
 */
static __always_inline int sock_decide(struct socket *sock, __u32 op,
				       __u32 family, const __u8 *addr,
				       __u32 port)
{
	struct abac_subject_ctx sc = {};
	const struct abac_image_hdr *hdr;
	const struct abac_attrs *na;
	struct abac_op_span span;
	struct abac_scratch *scr;
	struct abac_image img;
	short type = BPF_CORE_READ(sock, type);
	__u32 idx, k;

	if (type != SOCK_STREAM && type != SOCK_DGRAM)
		return 0;
	if (!abac_image_get(&img) || !abac_subject_get(&img, &sc))
		return 0;
	hdr = abac_hdr(&img);
	if (!hdr || !abac_op_span_get(&img, hdr, op, &span) || !span.count)
		return 0;
	scr = abac_scratch_get();
	if (!scr)
		return -ENOMEM;
	na = abac_net_find(&img, family, addr, port, &idx);
	for (k = 0; k < ABAC_MAX_ATTRS; k++)
		scr->obj.v[k] = na ? na->v[k] : 0;
	return abac_check(&img, &sc, NULL, op, &scr->obj, &scr->env, 0);
}

/* The address and port of a sockaddr the caller gave. */
static __always_inline int sockaddr_read(struct sockaddr *address,
					 int addrlen, __u32 *family,
					 __u8 *addr, __u32 *port)
{
	__u16 fam = BPF_CORE_READ(address, sa_family), p;

	__builtin_memset(addr, 0, 16);
	if (fam == AF_INET && addrlen >= (int)sizeof(struct sockaddr_in)) {
		struct sockaddr_in *in = (void *)address;

		bpf_probe_read_kernel(addr, 4, &in->sin_addr.s_addr);
		p = BPF_CORE_READ(in, sin_port);
		*family = 4;
	} else if (fam == AF_INET6 &&
		   addrlen >= (int)sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 *in6 = (void *)address;

		bpf_probe_read_kernel(addr, 16, &in6->sin6_addr);
		p = BPF_CORE_READ(in6, sin6_port);
		*family = 6;
	} else {
		return 0;	/* another family: not a network object */
	}
	*port = __builtin_bswap16(p);
	return 1;
}

SEC("lsm/socket_connect")
int BPF_PROG(hook_socket_connect, struct socket *sock,
	     struct sockaddr *address, int addrlen, int ret)
{
	__u8 addr[16];
	__u32 family, port;

	if (ret)
		return ret;
	if (!sockaddr_read(address, addrlen, &family, addr, &port))
		return 0;
	return sock_decide(sock, ABAC_OP_CONNECT, family, addr, port);
}

SEC("lsm/socket_bind")
int BPF_PROG(hook_socket_bind, struct socket *sock,
	     struct sockaddr *address, int addrlen, int ret)
{
	__u8 addr[16];
	__u32 family, port;

	if (ret)
		return ret;
	if (!sockaddr_read(address, addrlen, &family, addr, &port))
		return 0;
	return sock_decide(sock, ABAC_OP_BIND, family, addr, port);
}

/* listen: the address the socket is bound to. */
SEC("lsm/socket_listen")
int BPF_PROG(hook_socket_listen, struct socket *sock, int backlog, int ret)
{
	struct sock *sk = BPF_CORE_READ(sock, sk);
	__u16 fam = BPF_CORE_READ(sk, __sk_common.skc_family);
	__u32 family, port = BPF_CORE_READ(sk, __sk_common.skc_num);
	__u8 addr[16] = {};

	if (ret)
		return ret;
	if (fam == AF_INET) {
		__u32 a = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);

		__builtin_memcpy(addr, &a, 4);
		family = 4;
	} else if (fam == AF_INET6) {
		BPF_CORE_READ_INTO(addr, sk, __sk_common.skc_v6_rcv_saddr);
		family = 6;
	} else {
		return 0;
	}
	return sock_decide(sock, ABAC_OP_LISTEN, family, addr, port);
}
