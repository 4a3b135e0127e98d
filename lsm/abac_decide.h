/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * abac decision core: the one piece of C that decides, compiled for BPF,
 * for the kernel and for user space.
 *
 * It knows nothing of files, sockets or YAML: it reads a compiled image
 * (abac_abi.h) through one base pointer, parses object labels, finds the
 * tags of a cgroup and decides an operation.  Includers define the
 * fixed-width types and include abac_abi.h first.  In BPF, include
 * bpf/abac_iter.h first too: it provides abac_for() over the kernel's
 * open-coded number iterator so the verifier checks a loop body once.
 *
 * Every read of the image goes through abac_rec(), which bounds the record
 * index twice: by the image's own record count and by a constant the BPF
 * verifier can see (ABAC_SPAN_RECORDS: the whole image in user space and
 * the kernel, one chunk in BPF, where @base is chunk 0 and condition
 * records past it are read by abac_cond_eval_global()).  A record that
 * cannot be read makes the decision fail closed (ABAC_REASON_BAD_IMAGE).
 */
#ifndef _ABAC_DECIDE_H
#define _ABAC_DECIDE_H

#ifndef abac_for
#define abac_for(i, start, end) for ((i) = (start); (i) < (end); (i)++)
#endif

/*
 * Keep the compiler from folding a bounds check away from the value the
 * BPF verifier must see bounded: it sees registers, not C variables.
 */
#ifdef __bpf__
#define abac_barrier_var(v) ({ asm volatile("" : "+r"(v)); })
#else
#define abac_barrier_var(v) ((void)(v))
#endif

#ifndef __abac_inline
#define __abac_inline static inline __attribute__((always_inline))
#endif

/*
 * A BPF global function: the verifier checks it once, on its own, and
 * every caller sees its result as an unknown value (the kernel's
 * noinline and __used, which BPF and user space do not have).
 */
#define __abac_global __attribute__((noinline, used))

/* The records one base pointer reaches: see abac_span(). */
#ifdef __bpf__
#define ABAC_SPAN_RECORDS	ABAC_CHUNK_RECORDS
#else
#define ABAC_SPAN_RECORDS	ABAC_IMAGE_RECORDS
#endif

/**
 * struct abac_image - a compiled image as the decision core sees it.
 * @base: the first byte of record 0.
 * @nrec: records readable from @base.
 */
struct abac_image {
	const __u8 *base;
	__u32 nrec;
};

/*
 * Records [idx, idx + n) of the image, or NULL when they are not all
 * inside it.  n is a constant at every call site.
 */
__abac_inline const void *abac_span(const struct abac_image *img, __u32 idx,
				    __u32 n)
{
	__u64 off = idx;

	if (idx >= img->nrec || img->nrec - idx < n)
		return (const void *)0;
	/*
	 * Widen first, then test and use the one 64-bit register: a 32-bit
	 * index would be zero-extended twice, the copy tested and the other
	 * used, and the verifier would not see the pointer bounded.
	 */
	abac_barrier_var(off);
	if (off > ABAC_SPAN_RECORDS - n)
		return (const void *)0;
	return img->base + off * ABAC_REC_SIZE;
}

/* Record idx of the image, or NULL when it is outside. */
__abac_inline const void *abac_rec(const struct abac_image *img, __u32 idx)
{
	return abac_span(img, idx, 1);
}

__abac_inline const struct abac_image_hdr *
abac_hdr(const struct abac_image *img)
{
	if (img->nrec < ABAC_HDR_RECORDS)
		return (const void *)0;
	return (const struct abac_image_hdr *)img->base;
}

/* Fibonacci hashing of a cgroup id into the subject table. */
__abac_inline __u32 abac_subj_slot(__u64 cgroup_id, __u32 size)
{
	return (__u32)((cgroup_id * 0x9e3779b97f4a7c15ULL) >> 32) & (size - 1);
}

/**
 * abac_subject_slot() - the subject slot of one cgroup.
 * @img: the image in force.
 * @cgroup_id: the cgroup's id.
 *
 * Return: the record index of the slot's key (struct abac_subj_key; the
 * tags follow it), or 0 when @cgroup_id is not tagged.
 */
__abac_inline __u32 abac_subject_slot(const struct abac_image *img,
				      __u64 cgroup_id)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	const struct abac_subj_key *key;
	__u32 size, slot, i;

	if (!hdr || !hdr->subj_size || !cgroup_id)
		return 0;
	size = hdr->subj_size;
	slot = abac_subj_slot(cgroup_id, size);
	abac_for(i, 0, ABAC_SUBJ_PROBES) {
		__u32 idx = hdr->subj_off +
			    ((slot + i) & (size - 1)) * ABAC_SUBJ_RECORDS;

		key = abac_rec(img, idx);
		if (!key || !key->cgroup_id)
			break;
		if (key->cgroup_id == cgroup_id)	/* masks follow the key */
			return idx;
	}
	return 0;
}

/**
 * abac_subject_find() - the attributes tagged on one cgroup.
 * @img: the image in force.
 * @cgroup_id: the cgroup's id.
 *
 * Return: the tags of @cgroup_id, or NULL when it is not tagged.
 */
__abac_inline const struct abac_attrs *
abac_subject_find(const struct abac_image *img, __u64 cgroup_id)
{
	__u32 idx = abac_subject_slot(img, cgroup_id);

	if (!idx)
		return (const void *)0;
	return abac_span(img, idx + 1, ABAC_SUBJ_RECORDS - 1);
}

/*
 * Does @name (@len bytes) match the pattern of the binding whose first
 * record is @idx?  Its first pre_len bytes, then (a glob) its last
 * suf_len, are the pattern's bytes; an exact pattern is the whole name.
 */
__abac_inline int abac_bind_match(const struct abac_image *img, __u32 idx,
				  const struct abac_bind *b, const __u8 *name,
				  __u32 len)
{
	__u32 pre = b->pre_len, suf = b->suf_len, j;
	const __u8 *pat;

	if (b->glob ? pre + suf > len : pre != len)
		return 0;
	pat = abac_span(img, idx + 1 + ABAC_SUBJ_RECORDS,
			ABAC_BIND_NAME_RECORDS);
	if (!pat)
		return 0;
	abac_for(j, 0, ABAC_BIND_NAME_MAX) {
		__u32 at;

		if (j >= pre + suf)
			break;
		/* the suffix's bytes end the name */
		at = j < pre ? j : len - pre - suf + j;
		if (pat[j & ABAC_BIND_NAME_MAX] != name[at & ABAC_BIND_NAME_MAX])
			return 0;
	}
	return 1;
}

/**
 * abac_bind_find() - the template slot of the binding that names a cgroup
 *	not tagged by id (Documentation/deployment.rst, *Tagged from the
 *	first instruction*).
 * @img: the image in force.
 * @parent_id: the id of the cgroup's parent.
 * @name: the cgroup's own name, ABAC_BIND_NAME_MAX + 1 bytes readable
 *	(a cgroup's name is at most NAME_MAX bytes).
 * @len: its length.
 *
 * The bindings are in policy order: the first whose parent is @parent_id
 * and whose pattern matches @name applies, as abacd's watch finds it.
 *
 * Return: the record index of the template slot's key (struct
 * abac_subj_key, cgroup id ABAC_SUBJ_BOUND; the tags follow it), or 0
 * when no binding names the cgroup.
 */
__abac_inline __u32 abac_bind_find(const struct abac_image *img,
				   __u64 parent_id, const __u8 *name,
				   __u32 len)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	const struct abac_bind *b;
	__u32 i, idx;

	if (!hdr || !hdr->nbind || !parent_id || len > ABAC_BIND_NAME_MAX)
		return 0;
	abac_for(i, 0, ABAC_MAX_BINDINGS) {
		if (i >= hdr->nbind)
			break;
		idx = hdr->bind_off + i * ABAC_BIND_RECORDS;
		b = abac_rec(img, idx);
		if (!b)
			break;
		if (b->parent_id != parent_id)
			continue;
		if (abac_bind_match(img, idx, b, name, len))
			return idx + 1;
	}
	return 0;
}

/**
 * abac_dict_find() - the object attribute value a label pair names.
 * @img: the image in force.
 * @hash: abac_hash of "key=value".
 *
 * Return: the dictionary entry, or NULL for an unknown pair.
 */
__abac_inline const struct abac_dict_ent *
abac_dict_find(const struct abac_image *img, __u64 hash)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	const struct abac_dict_ent *ent;
	__u32 size, i;

	if (!hdr || !hdr->dict_size || !hash)
		return (const void *)0;
	size = hdr->dict_size;
	abac_for(i, 0, ABAC_DICT_PROBES) {
		ent = abac_rec(img, hdr->dict_off +
				    (((__u32)hash + i) & (size - 1)));
		if (!ent || !ent->hash)
			break;
		if (ent->hash == hash)
			return ent;
	}
	return (const void *)0;
}

/* Character classes of a label, see abac_label_class(). */
enum {
	ABAC_LC_BAD = 0,	/* a control character (C0, DEL) */
	ABAC_LC_NAME = 1,	/* [A-Za-z0-9_.:/@+-]: keys, and values */
	ABAC_LC_EQ = 2,		/* '=' ends a key */
	ABAC_LC_COMMA = 3,	/* ',' ends a value, the key goes on */
	ABAC_LC_SEMI = 4,	/* ';' ends a pair */
	ABAC_LC_ESC = 5,	/* '\' escapes the next byte of a value */
	ABAC_LC_TEXT = 6,	/* any other byte a value may hold */
};

__abac_inline __u32 abac_label_class(__u8 c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
	    c == ':' || c == '/' || c == '@' || c == '+')
		return ABAC_LC_NAME;
	if (c == '=')
		return ABAC_LC_EQ;
	if (c == ',')
		return ABAC_LC_COMMA;
	if (c == ';')
		return ABAC_LC_SEMI;
	if (c == '\\')
		return ABAC_LC_ESC;
	if (c < 0x20 || c == 0x7f)
		return ABAC_LC_BAD;
	return ABAC_LC_TEXT;
}

/**
 * struct abac_label_pairs - the "key=value" pairs of one label, hashed.
 * @k: per pair, the FNV-1a 64 of its "key=".  Pairs are sorted by @k,
 *	then @v, without duplicates (abac_pairs_insert()), not in label
 *	order.
 * @v: per pair, the word of its value: abac_hash_word() of the value's
 *	SipHash under the public key (ABAC_HASH_KEY_PUBLIC_K0/K1).
 * @n: pairs in @k and @v.
 * @pad: 0.
 *
 * abac_pair_hash(k, v) finds a declared value in the label dictionary;
 * abac_pair_hash(k, 0) an open attribute, whose word is @v itself.
 */
struct abac_label_pairs {
	__u64 k[ABAC_LABEL_PAIRS];
	__u64 v[ABAC_LABEL_PAIRS];
	__u32 n;
	__u32 pad;
};

/*
 * Parser states: a key or a value, each either still empty or not.  One
 * small state word keeps the BPF verifier's view of the loop compact.
 */
#define ABAC_LS_KEY0	0
#define ABAC_LS_KEY	1
#define ABAC_LS_VAL0	2
#define ABAC_LS_VAL	3

/*
 * Flags of a value being read (struct abac_lscan.flags): the byte before
 * was an unescaped '\', or a space (a value neither starts nor ends with
 * one).
 */
#define ABAC_LF_ESC	0x1
#define ABAC_LF_SPACE	0x2

/**
 * struct abac_lscan - a label being read, byte by byte.
 * @hkey: the hash of the key read so far (with its '=' once read).
 * @sv: the SipHash of the value read so far.
 * @st: ABAC_LS_*.
 * @flags: ABAC_LF_*.
 * @need: UTF-8 continuation bytes still to come.
 * @lo: the smallest byte the next continuation byte may be.
 * @hi: the largest.
 * @vlen: bytes of the value read so far, unescaped.
 * @n: pairs complete.
 * @pad: 0.
 */
struct abac_lscan {
	__u64 hkey;
	struct abac_sip sv;
	__u32 st;
	__u32 flags;
	__u32 need;
	__u32 lo;
	__u32 hi;
	__u32 vlen;
	__u32 n;
	__u32 pad;
};

/*
 * The first byte of a UTF-8 sequence of 2 to 4 bytes: how many follow
 * and the range of the next (RFC 3629, section 4: no overlong form, no
 * surrogate, nothing past U+10FFFF), and no C1 control (U+0080-U+009F).
 * -1 for a byte no sequence starts with.
 */
__abac_inline int abac_utf8_lead(struct abac_lscan *ls, __u8 c)
{
	ls->lo = 0x80;
	ls->hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf)
		ls->need = 1;
	else if (c >= 0xe0 && c <= 0xef)
		ls->need = 2;
	else if (c >= 0xf0 && c <= 0xf4)
		ls->need = 3;
	else
		return -1;
	if (c == 0xc2 || c == 0xe0)	/* C1 controls; overlong forms */
		ls->lo = 0xa0;
	else if (c == 0xed)		/* surrogates */
		ls->hi = 0x9f;
	else if (c == 0xf0)		/* overlong forms */
		ls->lo = 0x90;
	else if (c == 0xf4)		/* past U+10FFFF */
		ls->hi = 0x8f;
	return 0;
}

/* One byte of a value's text, unescaped: hashed and counted. */
__abac_inline int abac_lscan_vbyte(struct abac_lscan *ls, __u8 c)
{
	if (++ls->vlen > ABAC_VALUE_MAX)
		return -1;
	abac_sip_byte(&ls->sv, c);
	ls->st = ABAC_LS_VAL;
	ls->flags = c == ' ' ? ABAC_LF_SPACE : 0;
	return 0;
}

/* Start hashing a value under the public key. */
__abac_inline void abac_lscan_vstart(struct abac_lscan *ls)
{
	const struct abac_hash_key pub = {
		.k0 = ABAC_HASH_KEY_PUBLIC_K0, .k1 = ABAC_HASH_KEY_PUBLIC_K1,
	};

	abac_sip_init(&ls->sv, &pub);
}

/*
 * Put pair (@k, @v) among the first @n pairs of @p, which stay sorted by
 * key hash, then value word, without duplicates: all the values of one
 * key are then one run, sorted, which is what an open set's members must
 * be (abac_label_resolve_obj()).  A pair already there is dropped.
 *
 * Return: the new number of pairs, or -1 when @p is full.
 */
__abac_inline int abac_pairs_insert(struct abac_label_pairs *p, __u32 n,
				    __u64 k, __u64 v)
{
	__u32 i, at = n, j;
	__u64 pk, pv;

	if (n > ABAC_LABEL_PAIRS)
		return -1;
	abac_for(i, 0, ABAC_LABEL_PAIRS) {
		if (i >= n)
			break;
		pk = p->k[i & (ABAC_LABEL_PAIRS - 1)];
		pv = p->v[i & (ABAC_LABEL_PAIRS - 1)];
		if (pk == k && pv == v)
			return n;
		if (pk > k || (pk == k && pv > v)) {
			at = i;
			break;
		}
	}
	if (n >= ABAC_LABEL_PAIRS)
		return -1;
	abac_for(i, 0, ABAC_LABEL_PAIRS) {
		j = n - i;
		if (j <= at)
			break;
		p->k[j & (ABAC_LABEL_PAIRS - 1)] =
			p->k[(j - 1) & (ABAC_LABEL_PAIRS - 1)];
		p->v[j & (ABAC_LABEL_PAIRS - 1)] =
			p->v[(j - 1) & (ABAC_LABEL_PAIRS - 1)];
	}
	p->k[at & (ABAC_LABEL_PAIRS - 1)] = k;
	p->v[at & (ABAC_LABEL_PAIRS - 1)] = v;
	return (int)n + 1;
}

/* The value read so far is complete: keep its pair's hashes, sorted. */
__abac_inline int abac_lscan_end(struct abac_lscan *ls,
				 struct abac_label_pairs *p)
{
	int n;

	if (ls->st != ABAC_LS_VAL || ls->flags || ls->need)
		return -1;
	n = abac_pairs_insert(p, ls->n, ls->hkey,
			      abac_hash_word(abac_sip_final(&ls->sv)));
	if (n < 0)
		return -1;
	ls->n = n;
	abac_lscan_vstart(ls);
	ls->vlen = 0;
	ls->st = ABAC_LS_VAL0;
	return 0;
}

/*
 * One byte of a value.  Any UTF-8 text without control characters, where
 * '\' escapes one of '\' ',' ';' '=' (the separators stand for themselves
 * only so), that neither starts nor ends with a space.
 */
__abac_inline int abac_lscan_value(struct abac_lscan *ls,
				   struct abac_label_pairs *p, __u8 c)
{
	__u32 cls = abac_label_class(c);

	if (ls->need) {		/* a continuation byte of a UTF-8 sequence */
		if (c < ls->lo || c > ls->hi)
			return -1;
		ls->need--;
		ls->lo = 0x80;
		ls->hi = 0xbf;
		return abac_lscan_vbyte(ls, c);
	}
	if (ls->flags & ABAC_LF_ESC) {
		if (cls != ABAC_LC_ESC && cls != ABAC_LC_EQ &&
		    cls != ABAC_LC_COMMA && cls != ABAC_LC_SEMI)
			return -1;
		return abac_lscan_vbyte(ls, c);
	}
	if (cls == ABAC_LC_ESC) {
		ls->flags = ABAC_LF_ESC;
		return 0;
	}
	if (cls == ABAC_LC_COMMA || cls == ABAC_LC_SEMI) {
		if (abac_lscan_end(ls, p))
			return -1;
		if (cls == ABAC_LC_SEMI) {
			ls->hkey = ABAC_FNV_OFFSET;
			ls->st = ABAC_LS_KEY0;
		}
		return 0;
	}
	if (cls == ABAC_LC_BAD || cls == ABAC_LC_EQ ||
	    (c == ' ' && ls->st == ABAC_LS_VAL0))
		return -1;
	if (c >= 0x80 && abac_utf8_lead(ls, c))
		return -1;
	return abac_lscan_vbyte(ls, c);
}

/* One byte of a label: a key's (a name, then '='), or a value's. */
__abac_inline int abac_lscan_byte(struct abac_lscan *ls,
				  struct abac_label_pairs *p, __u8 c)
{
	__u32 cls;

	if (ls->st >= ABAC_LS_VAL0)
		return abac_lscan_value(ls, p, c);
	cls = abac_label_class(c);
	if (cls == ABAC_LC_NAME) {
		ls->hkey = abac_hash_byte(ls->hkey, c);
		ls->st = ABAC_LS_KEY;
		return 0;
	}
	if (cls != ABAC_LC_EQ || ls->st != ABAC_LS_KEY)
		return -1;
	ls->hkey = abac_hash_byte(ls->hkey, '=');
	abac_lscan_vstart(ls);
	ls->vlen = 0;
	ls->flags = 0;
	ls->st = ABAC_LS_VAL0;
	return 0;
}

#ifdef __bpf__
/*
 * In BPF one byte of a label is read by a global function: the verifier
 * checks its branches once, and the loop over the bytes sees the parser's
 * state come back from each call as unknown, one state, rather than one
 * state per combination of its fields' known values (a value's length
 * alone would be 256 of them).
 */
__abac_global int
abac_lscan_byte_global(struct abac_lscan *ls, struct abac_label_pairs *p,
		       __u32 c)
{
	if (!ls || !p)
		return -1;
	return abac_lscan_byte(ls, p, (__u8)c);
}

#define abac_lscan_byte_call(ls, p, c) abac_lscan_byte_global(ls, p, c)
#else
#define abac_lscan_byte_call(ls, p, c) abac_lscan_byte(ls, p, c)
#endif

/**
 * abac_label_hash() - split a user.abac value into hashed pairs.
 * @buf: the label bytes: "key=value[,value...][;key=value...]".
 * @len: bytes in @buf (at most ABAC_LABEL_MAX; one trailing NUL allowed).
 * @p: receives the pairs.
 *
 * A key is a name ([A-Za-z0-9_.:/@+-]); a value is 1 to ABAC_VALUE_MAX
 * bytes of UTF-8 without control characters, neither starting nor ending
 * with a space, in which a backslash, ',', ';' and '=' are escaped by a
 * backslash.  A pair hashes as its "key=" (FNV-1a 64) and its value
 * unescaped (SipHash-2-4 under the public key), as the compiler hashes
 * the values a policy declares.
 *
 * Return: 0, or -1 when the label is malformed.
 */
__abac_inline int abac_label_hash(const __u8 *buf, __u32 len,
				  struct abac_label_pairs *p)
{
	struct abac_lscan ls = { .hkey = ABAC_FNV_OFFSET };
	__u32 i;

	abac_lscan_vstart(&ls);
	if (len && len <= ABAC_LABEL_MAX &&
	    !buf[(len - 1) & (ABAC_LABEL_MAX - 1)])
		len--;
	if (!len || len > ABAC_LABEL_MAX)
		return -1;
	abac_for(i, 0, ABAC_LABEL_MAX) {
		if (i >= len)
			break;
		if (abac_lscan_byte_call(&ls, p,
					 buf[i & (ABAC_LABEL_MAX - 1)]))
			return -1;
	}
	if (abac_lscan_end(&ls, p))
		return -1;
	p->n = ls.n;
	return 0;
}

/*
 * Was the image compiled with the key the label parser hashes values
 * with?  Words of open values are comparable only then.
 */
__abac_inline int abac_image_key_public(const struct abac_image *img)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	const struct abac_hash_key *key;

	if (!hdr)
		return 0;
	key = abac_rec(img, hdr->key_off);
	return key && key->k0 == ABAC_HASH_KEY_PUBLIC_K0 &&
	       key->k1 == ABAC_HASH_KEY_PUBLIC_K1;
}

/* Do the first @prefix bits of @a and @b agree?  (16-byte addresses.) */
__abac_inline int abac_prefix_match(const __u8 *a, const __u8 *b,
				    __u32 prefix)
{
	__u32 i, full = prefix / 8, rest = prefix % 8;
	__u8 m;

	abac_for(i, 0, 16) {
		if (i >= full)
			break;
		if (a[i & 15] != b[i & 15])
			return 0;
	}
	if (!rest || full >= 16)
		return 1;
	m = (__u8)(0xff << (8 - rest));
	return (a[full & 15] & m) == (b[full & 15] & m);
}

/**
 * abac_net_find() - the network object an address and port belong to.
 * @img: the image in force.
 * @family: 4 or 6.
 * @addr: the address, network order (IPv4 in the first 4 bytes).
 * @port: the port, host order.
 * @idx: receives the entry's index.
 *
 * The compiler sorts the table most specific first (longest prefix, then
 * narrowest port range), so the first match is the most specific one.
 *
 * Return: the attributes the network gives, or NULL when none matches.
 */
__abac_inline const struct abac_attrs *
abac_net_find(const struct abac_image *img, __u32 family, const __u8 *addr,
	      __u32 port, __u32 *idx)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	const struct abac_net *n;
	__u32 i, nnets;

	if (!hdr)
		return (const void *)0;
	nnets = hdr->nnets;
	abac_for(i, 0, ABAC_MAX_NETS) {
		if (i >= nnets)
			break;
		n = abac_span(img, hdr->nets_off + i * ABAC_NET_RECORDS,
			      ABAC_NET_RECORDS);
		if (!n)
			return (const void *)0;
		if (n->family != family || port < n->port_lo ||
		    port > n->port_hi)
			continue;
		if (!abac_prefix_match(n->addr, addr, n->prefix))
			continue;
		*idx = i;
		return (const struct abac_attrs *)(n + 1);
	}
	return (const void *)0;
}

/* The three-valued result of a condition. */
#define ABAC_CV_FALSE	0
#define ABAC_CV_TRUE	1
#define ABAC_CV_INDET	2

/**
 * struct abac_request - one access to decide.
 * @s: the subject's attributes (NULL: none).
 * @o: the object's attributes (NULL: none).
 * @e: the environment: operator attributes and local time (NULL: none,
 *	and then time conditions do not hold).
 * @cls: the subject's class in the rule index (&struct abac_subj_key.cls)
 *	when @s is that tagged subject's attributes in the image; else
 *	ABAC_CLASS_NONE (0), and the operation's whole rule list is read.
 * @ostore: 1 when @o is the &struct abac_object.a of an object member
 *	store, whose members ABAC_SET_OBJ handles index; 0 when @o is
 *	attributes alone (such a handle then fails closed).  It takes the
 *	padding after @cls: the request does not grow.
 */
struct abac_request {
	const struct abac_attrs *s;
	const struct abac_attrs *o;
	const struct abac_env *e;
	__u32 cls;
	__u32 ostore;
};

/*
 * The object member store of @rq, or NULL.  @rq->o is the store's first
 * member when @rq->ostore says so; the pointer goes through an empty asm
 * so that GCC, which cannot see @rq->ostore's promise, does not warn of
 * reads past a plain struct abac_attrs on the paths where it is 0.
 */
__abac_inline const struct abac_object *
abac_rq_store(const struct abac_request *rq)
{
	const struct abac_object *ob = (const struct abac_object *)0;

	if (rq->ostore) {
		ob = (const struct abac_object *)rq->o;
		asm volatile("" : "+r"(ob));
	}
	return ob;
}

/**
 * abac_attr_value() - attribute @attr of @side as a decision sees it.
 * @img: the image in force.
 * @hdr: its header.
 * @rq: the request.
 * @side: enum abac_side.
 * @attr: the attribute number.
 *
 * Return: the attribute's word, else its default from the image, else 0
 * (absent).
 */
__abac_inline __u64 abac_attr_value(const struct abac_image *img,
				    const struct abac_image_hdr *hdr,
				    const struct abac_request *rq,
				    __u32 side, __u32 attr)
{
	const struct abac_attrs *a;
	const __u64 *def;
	__u64 v = 0;

	attr &= ABAC_MAX_ATTRS - 1;
	if (side == ABAC_SIDE_SUBJECT)
		a = rq->s;
	else if (side == ABAC_SIDE_OBJECT)
		a = rq->o;
	else
		a = rq->e ? &rq->e->a : (const void *)0;
	if (a)
		v = a->v[attr];
	if (v || side >= ABAC_SIDE_COUNT)
		return v;
	def = abac_rec(img, hdr->defaults_off + side * ABAC_ATTRS_RECORDS +
			    attr / 2);
	return def ? def[attr & 1] : 0;
}

/* Is minute @m inside the window [lo, hi) packed in @mask? */
__abac_inline int abac_time_in(__u64 mask, __u32 m)
{
	__u32 lo = mask & 0xffff, hi = (mask >> 16) & 0xffff;

	if (lo <= hi)
		return m >= lo && m < hi;
	return m >= lo || m < hi;	/* across midnight */
}

/*
 * Member @i of open set @set (a handle, ABAC_SET_WORD()), or 0 when the
 * handle or the record cannot be read (a member is never 0).  The
 * members of an ABAC_SET_OBJ handle are in the object member store @ob
 * (NULL: none), the others in the image's member table: one search for
 * both sides, told where the members are by the handle.
 */
__abac_inline __u64 abac_set_member(const struct abac_image *img,
				    const struct abac_image_hdr *hdr,
				    const struct abac_object *ob,
				    __u64 set, __u32 i)
{
	__u32 first = ABAC_SET_FIRST(set), count = ABAC_SET_COUNT(set);
	const __u64 *m;
	__u32 idx, n;

	if (!(set & ABAC_SET_BIT) || i >= count)
		return 0;
	if (set & ABAC_SET_OBJ) {
		if (!ob)
			return 0;
		n = ob->n;
		if (n > ABAC_LABEL_SET_MEMBERS || first >= n ||
		    n - first <= i)
			return 0;
		return ob->m[(first + i) & (ABAC_LABEL_SET_MEMBERS - 1)];
	}
	if (first >= hdr->nmembers || hdr->nmembers - first <= i)
		return 0;
	idx = first + i;
	m = abac_rec(img, hdr->members_off + idx / 2);
	return m ? m[idx & 1] : 0;
}

/*
 * Is @set a handle whose whole run lies in the member table, of at most
 * ABAC_SET_MEMBERS members, or in the object member store @ob, of at
 * most ABAC_LABEL_SET_MEMBERS?  Anything else is unreadable: fail closed.
 */
__abac_inline int abac_set_ok_max(const struct abac_image_hdr *hdr,
				  const struct abac_object *ob, __u64 set,
				  __u32 max)
{
	__u32 first = ABAC_SET_FIRST(set), count = ABAC_SET_COUNT(set), n;

	if (!(set & ABAC_SET_BIT))
		return 0;
	if (set & ABAC_SET_OBJ) {
		if (!ob)
			return 0;
		n = ob->n;
		return n <= ABAC_LABEL_SET_MEMBERS && first <= n &&
		       n - first >= count;
	}
	return count <= max &&
	       first <= hdr->nmembers && hdr->nmembers - first >= count;
}

__abac_inline int abac_set_ok(const struct abac_image_hdr *hdr,
			      const struct abac_object *ob, __u64 set)
{
	return abac_set_ok_max(hdr, ob, set, ABAC_SET_MEMBERS);
}

/*
 * A binary search goes one probe at a time, its state one word: lo in
 * bits 0-31, hi in bits 32-60, or an outcome in bits 61-63 (with
 * ABAC_SET_FOUND, the member's place in bits 0-31).
 */
#define ABAC_SET_ABSENT		ABAC_BIT_ULL(61)	/* lo >= hi: not a member */
#define ABAC_SET_FAIL		ABAC_BIT_ULL(62)	/* a record cannot be read */
#define ABAC_SET_FOUND		ABAC_BIT_ULL(63)

/* One probe of the search for @w in @set from state @st: the next state. */
__abac_inline __u64 abac_set_step(const struct abac_image *img,
				  const struct abac_image_hdr *hdr,
				  const struct abac_object *ob,
				  __u64 set, __u64 w, __u64 st)
{
	__u32 lo = (__u32)st, hi = (__u32)(st >> 32) & 0x1fffffff, mid;
	__u64 x;

	if (lo >= hi)
		return ABAC_SET_ABSENT;
	mid = lo + (hi - lo) / 2;
	x = abac_set_member(img, hdr, ob, set, mid);
	if (!x)
		return ABAC_SET_FAIL;
	if (x == w)
		return ABAC_SET_FOUND | mid;
	if (x < w)
		lo = mid + 1;
	else
		hi = mid;
	return (__u64)hi << 32 | lo;
}

#ifdef __bpf__
struct abac_image_mem;
__abac_inline int abac_image_from_mem(const struct abac_image_mem *mem,
				      struct abac_image *img);

/*
 * In BPF one probe is a global function: the loop of the search sees
 * its state come back as one unknown word, so the verifier checks the
 * loop once rather than once per range of lo and hi.  A probe of the
 * image's member table and one of an object's member store are two
 * functions of one probe, abac_set_step(): one pointer argument each,
 * so that the search does not keep both alive across its calls (the
 * SCTP hooks' call chain has no stack to spare for it).
 */
__abac_global __u64
abac_set_step_global(const struct abac_image_mem *mem, __u64 set, __u64 w,
		     __u64 st)
{
	const struct abac_image_hdr *hdr;
	struct abac_image img;

	if (!abac_image_from_mem(mem, &img))
		return ABAC_SET_FAIL;
	hdr = abac_hdr(&img);
	if (!hdr)
		return ABAC_SET_FAIL;
	return abac_set_step(&img, hdr, (const struct abac_object *)0, set, w,
			     st);
}

/*
 * An image of no records and no member table, for the probes of an
 * object's member store: an image handle there reads nothing, fails.
 */
static struct abac_image_hdr abac_no_hdr;

__abac_global __u64
abac_set_step_obj_global(const struct abac_object *ob, __u64 set, __u64 w,
			 __u64 st)
{
	struct abac_image img = { .base = (const __u8 *)0, .nrec = 0 };

	if (!ob)
		return ABAC_SET_FAIL;
	return abac_set_step(&img, &abac_no_hdr, ob, set, w, st);
}

#define abac_set_step_call(img, hdr, ob, set, w, st)			\
	((set) & ABAC_SET_OBJ ?						\
	 abac_set_step_obj_global((ob), (set), (w), (st)) :		\
	 abac_set_step_global((const struct abac_image_mem *)(img)->base, \
			      (set), (w), (st)))
#else
#define abac_set_step_call(img, hdr, ob, set, w, st)			\
	abac_set_step(img, hdr, ob, set, w, st)
#endif

/**
 * abac_set_find() - where a word is in a sorted run.
 * @img: the image in force.
 * @hdr: its header.
 * @ob: the object member store (NULL: none), for ABAC_SET_OBJ handles.
 * @set: the run's handle (ABAC_SET_WORD(), ABAC_SET_OBJ_WORD()).
 * @w: the word.
 * @max: the most members the run may have: ABAC_SET_MEMBERS for a set,
 *	ABAC_MAX_ENUM_PAIRS for the label table (ABAC_ENUM_PROBES probes).
 *
 * A binary search of the run, in the image or in @ob: at most
 * ABAC_ENUM_PROBES records read, never a scan of the members.  The one
 * search of the decision core: open sets on either side, constant lists
 * and the label table of large enumerations.
 *
 * Return: the member's place in the run (0 or more), -1 when @w is not a
 * member, -2 when @set is not a handle whose run lies in the member table
 * or in @ob, or a record cannot be read (fail closed).
 */
__abac_inline long abac_set_find(const struct abac_image *img,
				 const struct abac_image_hdr *hdr,
				 const struct abac_object *ob, __u64 set,
				 __u64 w, __u32 max)
{
	__u64 st = (__u64)ABAC_SET_COUNT(set) << 32;
	__u32 i;

	if (!abac_set_ok_max(hdr, ob, set, max))
		return -2;
	abac_for(i, 0, ABAC_ENUM_PROBES + 1) {
		st = abac_set_step_call(img, hdr, ob, set, w, st);
		if (st & ABAC_SET_FOUND)
			return (long)(__u32)st;
		if (st & ABAC_SET_ABSENT)
			return -1;
		if (st & ABAC_SET_FAIL)
			return -2;
	}
	return -2;	/* a run larger than its bound */
}

/**
 * abac_set_has() - is a word a member of an open set?
 * @img: the image in force.
 * @hdr: its header.
 * @ob: the object member store (NULL: none), for ABAC_SET_OBJ handles.
 * @set: the set's handle (ABAC_SET_WORD(), ABAC_SET_OBJ_WORD()).
 * @w: the word.
 *
 * abac_set_find() in a run of at most ABAC_SET_MEMBERS.
 *
 * Return: 1, 0, or -1 when @set is not a handle whose run lies in the
 * member table or in @ob, or a record cannot be read (fail closed).
 */
__abac_inline int abac_set_has(const struct abac_image *img,
			       const struct abac_image_hdr *hdr,
			       const struct abac_object *ob, __u64 set,
			       __u64 w)
{
	long r = abac_set_find(img, hdr, ob, set, w, ABAC_SET_MEMBERS);

	return r >= 0 ? 1 : r == -1 ? 0 : -1;
}

#ifdef __bpf__
/*
 * abac_set_has() as global functions, checked once: see above; one for
 * the image's member table, one for an object's member store.
 */
__abac_global int
abac_set_has_global(const struct abac_image_mem *mem, __u64 set, __u64 w)
{
	const struct abac_image_hdr *hdr;
	struct abac_image img;

	if (!abac_image_from_mem(mem, &img))
		return -1;
	hdr = abac_hdr(&img);
	if (!hdr || (set & ABAC_SET_OBJ))
		return -1;
	return abac_set_has(&img, hdr, (const struct abac_object *)0, set, w);
}

__abac_global int
abac_set_has_obj_global(const struct abac_object *ob, __u64 set, __u64 w)
{
	struct abac_image img = { .base = (const __u8 *)0, .nrec = 0 };

	if (!ob || !(set & ABAC_SET_OBJ))
		return -1;
	return abac_set_has(&img, &abac_no_hdr, ob, set, w);
}

#define abac_set_has_call(img, hdr, ob, set, w)				\
	((set) & ABAC_SET_OBJ ?						\
	 abac_set_has_obj_global((ob), (set), (w)) :			\
	 abac_set_has_global((const struct abac_image_mem *)(img)->base, \
			     (set), (w)))
#else
#define abac_set_has_call(img, hdr, ob, set, w)				\
	abac_set_has(img, hdr, ob, set, w)
#endif

/**
 * abac_enum_find() - the entry of the label table for a pair hash.
 * @img: the image in force.
 * @hdr: its header.
 * @hash: abac_pair_hash() of a label pair's key and value.
 *
 * Return: ABAC_ENUM_ENT() of the pair, or 0 when it is not a value of a
 * large enumeration (or the table cannot be read).
 */
__abac_inline __u64 abac_enum_find(const struct abac_image *img,
				   const struct abac_image_hdr *hdr,
				   __u64 hash)
{
	__u32 first = hdr->enum_first, n = hdr->nenum;
	long r;

	if (!n || n > ABAC_MAX_ENUM_PAIRS)
		return 0;
	r = abac_set_find(img, hdr, (const struct abac_object *)0,
			  ABAC_SET_WORD(first, n), hash, ABAC_MAX_ENUM_PAIRS);
	if (r < 0 || r >= n)
		return 0;
	return abac_set_member(img, hdr, (const struct abac_object *)0,
			       ABAC_SET_WORD(first + n, n), (__u32)r);
}

#ifdef __bpf__
/* abac_enum_find() as a global function, checked once: see above. */
__abac_global __u64
abac_enum_find_global(const struct abac_image_mem *mem, __u64 hash)
{
	const struct abac_image_hdr *hdr;
	struct abac_image img;

	if (!abac_image_from_mem(mem, &img))
		return 0;
	hdr = abac_hdr(&img);
	if (!hdr)
		return 0;
	return abac_enum_find(&img, hdr, hash);
}

#define abac_enum_find_call(img, hdr, hash)				\
	abac_enum_find_global((const struct abac_image_mem *)(img)->base, \
			      (hash))
#else
#define abac_enum_find_call(img, hdr, hash) abac_enum_find(img, hdr, hash)
#endif

/**
 * abac_label_resolve_in() - turn hashed label pairs into object attributes.
 * @img: the image in force; its dictionary names the known pairs.
 * @p: the pairs from abac_label_hash().
 * @o: zeroed by the caller; receives the attributes.
 * @ob: the object member store @o is the &struct abac_object.a of,
 *	zeroed by the caller too, or NULL when there is none (then a label
 *	with an open set is refused).
 *
 * A pair is a declared value (its key and value in the dictionary), or a
 * value of an open attribute (its key in the dictionary with
 * ABAC_DICT_OPEN), whose word is the value's hash.  The values of an open
 * set (ABAC_DICT_SET) are its members: one run of the sorted pairs,
 * copied to @ob->m, the attribute's word an ABAC_SET_OBJ handle to them;
 * at most ABAC_LABEL_SET_MEMBERS members in all the label's open sets.
 * A pair that is none of these, or a second value for a one-value
 * attribute, refuses the whole label: the caller fails closed rather
 * than guess.  So does an open value when the image was hashed with
 * another key than the parser.
 *
 * Return: 0, or -1 when the label is refused.
 */
__abac_inline int abac_label_resolve_in(const struct abac_image *img,
					const struct abac_label_pairs *p,
					struct abac_attrs *o,
					struct abac_object *ob)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	const struct abac_dict_ent *ent;
	__u32 i, n = p->n, attr, nm;
	__u64 bit, k, v, w, e;

	abac_for(i, 0, ABAC_LABEL_PAIRS) {
		if (i >= n)
			break;
		k = p->k[i & (ABAC_LABEL_PAIRS - 1)];
		v = p->v[i & (ABAC_LABEL_PAIRS - 1)];
		ent = abac_dict_find(img, abac_pair_hash(k, v));
		e = ent || !hdr ? 0 :
			abac_enum_find_call(img, hdr, abac_pair_hash(k, v));
		if (e) {	/* a value of a large enumeration: one word */
			attr = ABAC_ENUM_ENT_ATTR(e) & (ABAC_MAX_ATTRS - 1);
			bit = ABAC_ENUM_ENT_WORD(e);
			if (o->v[attr] && o->v[attr] != bit)
				return -1;
			o->v[attr] = bit;
			continue;
		}
		if (ent) {
			if (ent->flags & ABAC_DICT_OPEN)
				return -1;	/* a collision: refuse */
			bit = 1ULL << (ent->bit & (ABAC_MAX_VALUES - 1));
		} else {
			ent = abac_dict_find(img, abac_pair_hash(k, 0));
			if (!ent || !(ent->flags & ABAC_DICT_OPEN) ||
			    !abac_image_key_public(img))
				return -1;
			bit = v;	/* the value's word */
		}
		attr = ent->attr & (ABAC_MAX_ATTRS - 1);
		if (ent->flags & ABAC_DICT_SET) {
			/* a member: its run goes on, or starts here */
			w = o->v[attr];
			if (!ob)
				return -1;
			/*
			 * The count is kept in @ob, not in a local: read back
			 * from memory it is a number the BPF verifier does not
			 * follow, and the loop's states meet after a few
			 * turns instead of one round per count.
			 */
			nm = ob->n;
			if (nm >= ABAC_LABEL_SET_MEMBERS)
				return -1;
			if (!w)
				w = ABAC_SET_OBJ_WORD(nm, 0);
			else if (!(w & ABAC_SET_OBJ) ||
				 ABAC_SET_FIRST(w) + ABAC_SET_COUNT(w) != nm)
				return -1;	/* two runs: two keys, one set */
			ob->m[nm & (ABAC_LABEL_SET_MEMBERS - 1)] = v;
			ob->n = nm + 1;
			o->v[attr] = w + (1ULL << 32);
			continue;
		}
		if ((ent->flags & ABAC_DICT_OPEN) && o->v[attr] &&
		    o->v[attr] != bit)
			return -1;	/* open attributes take one value */
		if ((ent->flags & ABAC_DICT_SINGLE) && (o->v[attr] & ~bit))
			return -1;
		if (ent->flags & ABAC_DICT_OPEN)
			o->v[attr] = bit;
		else
			o->v[attr] |= bit;
	}
	return 0;
}

/**
 * abac_label_resolve() - abac_label_resolve_in() without a member store:
 *	a label that gives an open set members is refused.
 * @img: the image in force.
 * @p: the pairs from abac_label_hash().
 * @o: zeroed by the caller; receives the attributes.
 *
 * Return: 0, or -1 when the label is refused.
 */
__abac_inline int abac_label_resolve(const struct abac_image *img,
				     const struct abac_label_pairs *p,
				     struct abac_attrs *o)
{
	return abac_label_resolve_in(img, p, o, (struct abac_object *)0);
}

/**
 * abac_label_resolve_obj() - abac_label_resolve_in() into @ob, members
 *	of open sets included.
 * @img: the image in force.
 * @p: the pairs from abac_label_hash().
 * @ob: zeroed by the caller; receives the attributes and the members.
 *
 * Return: 0, or -1 when the label is refused.
 */
__abac_inline int abac_label_resolve_obj(const struct abac_image *img,
					 const struct abac_label_pairs *p,
					 struct abac_object *ob)
{
	return abac_label_resolve_in(img, p, &ob->a, ob);
}

/**
 * abac_label_parse() - abac_label_hash() then abac_label_resolve().
 * @img: the image in force.
 * @buf: the label bytes.
 * @len: bytes in @buf.
 * @p: scratch space for the pairs.
 * @o: zeroed by the caller; receives the attributes.
 *
 * Return: 0, or -1 when the label is malformed or refused (a label
 * giving an open set members too: see abac_label_parse_obj()).
 */
__abac_inline int abac_label_parse(const struct abac_image *img,
				   const __u8 *buf, __u32 len,
				   struct abac_label_pairs *p,
				   struct abac_attrs *o)
{
	if (abac_label_hash(buf, len, p))
		return -1;
	return abac_label_resolve(img, p, o);
}

/**
 * abac_label_parse_obj() - abac_label_hash() then abac_label_resolve_obj().
 * @img: the image in force.
 * @buf: the label bytes.
 * @len: bytes in @buf.
 * @p: scratch space for the pairs.
 * @ob: zeroed by the caller; receives the attributes and the members of
 *	the label's open sets.
 *
 * Return: 0, or -1 when the label is malformed or refused.
 */
__abac_inline int abac_label_parse_obj(const struct abac_image *img,
				       const __u8 *buf, __u32 len,
				       struct abac_label_pairs *p,
				       struct abac_object *ob)
{
	if (abac_label_hash(buf, len, p))
		return -1;
	return abac_label_resolve_obj(img, p, ob);
}

/**
 * abac_set_rel() - relate two open sets.
 * @img: the image in force.
 * @hdr: its header.
 * @ob: the object member store (NULL: none), for ABAC_SET_OBJ handles.
 * @a: one set's handle.
 * @b: the other's.
 * @subset: 1: is every member of @a in @b?  0: do @a and @b share one?
 *
 * Walks the smaller set (for a subset, @a) and searches the larger:
 * the cost is bounded by the smaller set times a binary search.  Either
 * set may be an object's (at most ABAC_LABEL_SET_MEMBERS members) or in
 * the image.
 *
 * Return: 1, 0, or -1 when a set cannot be read.
 */
__abac_inline int abac_set_rel(const struct abac_image *img,
			       const struct abac_image_hdr *hdr,
			       const struct abac_object *ob, __u64 a,
			       __u64 b, int subset)
{
	__u32 n = ABAC_SET_COUNT(a), i;
	__u64 t, w;
	int r;

	if (!abac_set_ok(hdr, ob, a) || !abac_set_ok(hdr, ob, b))
		return -1;
	if (subset && n > ABAC_SET_COUNT(b))
		return 0;	/* members are distinct */
	if (!subset && n > ABAC_SET_COUNT(b)) {
		t = a;
		a = b;
		b = t;
		n = ABAC_SET_COUNT(a);
	}
	abac_for(i, 0, ABAC_SET_MEMBERS) {
		if (i >= n)
			break;
		w = abac_set_member(img, hdr, ob, a, i);
		if (!w)
			return -1;
		r = abac_set_has_call(img, hdr, ob, b, w);
		if (r < 0)
			return -1;
		if (r != subset)
			return r;	/* a shared member; one missing */
	}
	return subset;
}

/* The open-set kinds of abac_cond_eval(): @v the lhs word, @r the rhs. */
__abac_inline int abac_cond_eval_set(const struct abac_image *img,
				     const struct abac_image_hdr *hdr,
				     const struct abac_object *ob,
				     __u32 kind, __u64 v, __u64 r, __u64 m)
{
	int x;

	switch (kind) {
	case ABAC_COND_SET_ANY:
		return abac_set_rel(img, hdr, ob, v, m, 0);
	case ABAC_COND_SET_ALL:
		return abac_set_rel(img, hdr, ob, m, v, 1);
	case ABAC_COND_SET_NONE:
		x = abac_set_rel(img, hdr, ob, v, m, 0);
		return x < 0 ? x : !x;
	case ABAC_COND_REL_IN:
		return abac_set_has_call(img, hdr, ob, r, v);
	case ABAC_COND_IN:
		return abac_set_has_call(img, hdr, ob, m, v);
	case ABAC_COND_NOT_IN:
		x = abac_set_has_call(img, hdr, ob, m, v);
		return x < 0 ? x : !x;
	case ABAC_COND_REL_SUBSET:
		return abac_set_rel(img, hdr, ob, v, r, 1);
	case ABAC_COND_REL_INTERSECTS:
		return abac_set_rel(img, hdr, ob, v, r, 0);
	}
	return -1;
}

/**
 * abac_cond_eval() - test one condition.
 * @img: the image in force.
 * @hdr: its header.
 * @c: the condition.
 * @rq: the request.
 *
 * Return: ABAC_CV_TRUE, ABAC_CV_FALSE, or ABAC_CV_INDET when an attribute
 * the condition needs is absent and has no default; -1 when an open set
 * it reads cannot be read (the decision fails closed).
 */
__abac_inline int abac_cond_eval(const struct abac_image *img,
				 const struct abac_image_hdr *hdr,
				 const struct abac_cond *c,
				 const struct abac_request *rq)
{
	__u32 kind = c->kind;
	__u64 v, r = 0, m = c->mask;

	if (kind == ABAC_COND_TIME || kind == ABAC_COND_DAYS) {
		if (!rq->e)
			return ABAC_CV_FALSE;
		if (kind == ABAC_COND_TIME)
			return abac_time_in(m, rq->e->minute);
		return (m >> (rq->e->wday & 7)) & 1;
	}
	v = abac_attr_value(img, hdr, rq, c->side, c->attr);
	if (kind == ABAC_COND_PRESENT)
		return v != 0;
	if (kind == ABAC_COND_ABSENT)
		return v == 0;
	if (abac_cond_is_relation(kind)) {
		r = abac_attr_value(img, hdr, rq, c->rhs_side, c->rhs);
		if (!r)
			return ABAC_CV_INDET;
	}
	if (!v)
		return ABAC_CV_INDET;
	switch (kind) {
	case ABAC_COND_ANY:
		return (v & m) != 0;
	case ABAC_COND_NONE:
		return !(v & m);
	case ABAC_COND_ALL:
		return (v & m) == m;
	case ABAC_COND_EQ:
		return v == m;
	case ABAC_COND_NE:
		return v != m;
	case ABAC_COND_GE:
		return v >= m;
	case ABAC_COND_GT:
		return v > m;
	case ABAC_COND_LE:
		return v <= m;
	case ABAC_COND_LT:
		return v < m;
	case ABAC_COND_REL_EQ:
		return v == r;
	case ABAC_COND_REL_NE:
		return v != r;
	case ABAC_COND_REL_GE:
		return v >= r;
	case ABAC_COND_REL_GT:
		return v > r;
	case ABAC_COND_REL_LE:
		return v <= r;
	case ABAC_COND_REL_LT:
		return v < r;
	case ABAC_COND_REL_CONTAINS:
		return (v & r) == r;
	}
	if ((kind >= ABAC_COND_SET_ANY && kind <= ABAC_COND_REL_INTERSECTS) ||
	    kind == ABAC_COND_IN || kind == ABAC_COND_NOT_IN)
		return abac_cond_eval_set(img, hdr, abac_rq_store(rq), kind,
					  v, r, m);
	return ABAC_CV_INDET;	/* unknown kind: cannot be decided */
}

#ifdef __bpf__
/*
 * In BPF a condition and a rule are each evaluated by a global function:
 * the verifier checks each once, on its own, instead of once for every
 * state of the loop that calls it (a condition's many kinds would
 * otherwise multiply the states of the loop over conditions, and that
 * loop's the states of the loop over rules).  They take the image's first
 * chunk as the ABAC_CHUNK_BYTES of memory it is (a map value) and the
 * request's parts as pointers.
 */
struct abac_image_mem {
	__u8 b[ABAC_CHUNK_BYTES];
};

__abac_inline int abac_image_from_mem(const struct abac_image_mem *mem,
				      struct abac_image *img)
{
	if (!mem)
		return 0;
	img->base = mem->b;
	img->nrec = ((const struct abac_image_hdr *)mem->b)->total_records;
	return 1;
}

/*
 * Chunk @chunk of the image in slot @slot of the policy map, or NULL:
 * defined by the BPF programs (bpf/common.h), which own the maps.
 */
__abac_inline const __u8 *abac_bpf_chunk(__u32 slot, __u32 chunk);

/*
 * Condition record @rec past chunk 0: from the chunk of the slot the
 * image was loaded into, if that chunk's stamp names the image (its
 * content hash): after a second swap during this decision the slot holds
 * another image, and the decision fails closed rather than mix two.
 */
__abac_inline const struct abac_cond *
abac_cond_far(const struct abac_image_hdr *hdr, __u32 rec)
{
	const struct abac_chunk_stamp *st;
	__u32 k = rec / ABAC_CHUNK_RECORDS;
	const __u8 *chunk;
	__u64 off;

	if (k >= ABAC_MAX_CHUNKS)
		return (const void *)0;
	chunk = abac_bpf_chunk(hdr->bpf_slot & 1, k);
	if (!chunk)
		return (const void *)0;
	st = (const void *)chunk;
	if (st->content_hash != hdr->content_hash || st->chunk != k ||
	    st->magic != ABAC_CHUNK_MAGIC)
		return (const void *)0;
	off = rec & (ABAC_CHUNK_RECORDS - 1);
	abac_barrier_var(off);
	if (!off || off >= ABAC_CHUNK_RECORDS)
		return (const void *)0;
	return (const void *)(chunk + off * ABAC_REC_SIZE);
}

__abac_global int
abac_cond_eval_global(const struct abac_image_mem *mem, __u32 rec,
		      const struct abac_attrs *s, const struct abac_object *o,
		      const struct abac_env *e)
{
	struct abac_request rq = {
		.s = s, .o = (const struct abac_attrs *)o, .e = e,
		.ostore = o != (const void *)0,
	};
	const struct abac_image_hdr *hdr;
	const struct abac_cond *c;
	struct abac_image img;

	if (!abac_image_from_mem(mem, &img))
		return -1;
	hdr = abac_hdr(&img);
	if (!hdr || rec >= img.nrec)
		return -1;
	if (rec < ABAC_CHUNK_RECORDS) {
		/*
		 * Hide what the test just proved: clang would drop
		 * abac_span()'s bound as redundant and index with a copy
		 * the verifier does not see bounded.
		 */
		abac_barrier_var(rec);
		c = abac_rec(&img, rec);
	} else {
		c = abac_cond_far(hdr, rec);
	}
	if (!c)
		return -1;
	return abac_cond_eval(&img, hdr, c, &rq);
}

#define abac_cond_eval_call(img, hdr, rec, rq)				\
	abac_cond_eval_global((const struct abac_image_mem *)(img)->base, \
			      (rec), (rq)->s,				\
			      (const struct abac_object *)(rq)->o, (rq)->e)
#else
/* The condition at record @rec, or -1 when it cannot be read. */
__abac_inline int abac_cond_eval_rec(const struct abac_image *img,
				     const struct abac_image_hdr *hdr,
				     __u32 rec, const struct abac_request *rq)
{
	const struct abac_cond *c = abac_rec(img, rec);

	return c ? abac_cond_eval(img, hdr, c, rq) : -1;
}

#define abac_cond_eval_call(img, hdr, rec, rq)				\
	abac_cond_eval_rec(img, hdr, rec, rq)
#endif

/**
 * abac_rule_eval() - the outcome of one rule for a request.
 * @img: the image in force.
 * @hdr: its header.
 * @rule: the rule.
 * @rq: the request.
 *
 * The conditions are a three-valued AND: one false condition makes the
 * rule not applicable; otherwise one indeterminate condition makes it
 * indeterminate; otherwise it applies with its effect.  The caller has
 * checked the rule names the operation.
 *
 * Return: enum abac_outcome, or -1 when a condition record is unreadable.
 */
__abac_inline int abac_rule_eval(const struct abac_image *img,
				 const struct abac_image_hdr *hdr,
				 const struct abac_rule *rule,
				 const struct abac_request *rq)
{
	__u32 j, ncond = rule->ncond, first = rule->cond;
	int cv, indet = 0;

	if (ncond > ABAC_MAX_CONDS)
		return -1;
	abac_for(j, 0, ABAC_MAX_CONDS) {
		if (j >= ncond)
			break;
		cv = abac_cond_eval_call(img, hdr, first + j, rq);
		if (cv < 0)
			return -1;
		if (cv == ABAC_CV_FALSE)
			return ABAC_OUT_NA;
		if (cv == ABAC_CV_INDET)
			indet = 1;
	}
	if (indet)
		return ABAC_OUT_INDET;
	return rule->effect == ABAC_ALLOW ? ABAC_OUT_PERMIT : ABAC_OUT_DENY;
}

/**
 * struct abac_decision - the outcome of abac_decide().
 * @effect: enum abac_effect the kernel enforces: Permit allows, Deny and
 *	Indeterminate deny, NotApplicable takes the default.
 * @reason: enum abac_reason.
 * @outcome: enum abac_outcome of the whole policy.
 * @layer: the layer that decided.
 * @rule: the first determining rule's index, or ABAC_RULE_NONE.
 */
struct abac_decision {
	__u8 effect;
	__u8 reason;
	__u8 outcome;
	__u8 layer;
	__u32 rule;
};

/*
 * Combining by rank.  Under each algorithm an outcome has a rank; a layer
 * keeps the first rule of the highest rank it has seen, so it needs two
 * words, not a list, and no branch per outcome kind:
 *
 *	deny-overrides:    deny 3, indeterminate 2, permit 1, n/a 0
 *	permit-overrides:  permit 3, indeterminate 2, deny 1, n/a 0
 *	first-applicable:  permit, deny, indeterminate 3, n/a 0
 *
 * (first-applicable keeps the first rule of rank 3, the first applicable
 * one).  ABAC_RANKS packs rank[comb][outcome] two bits each, ABAC_UNRANK
 * the outcome of rank[comb][rank] back.  Ranks and outcomes are numbers,
 * so the BPF verifier sees a few values where branches would multiply
 * its states.
 */
#define ABAC_RANK(c, o, r)	((__u64)(r) << (((c) * 4 + (o)) * 2))
#define ABAC_RANKS							\
	(ABAC_RANK(0, ABAC_OUT_DENY, 3) | ABAC_RANK(0, ABAC_OUT_INDET, 2) | \
	 ABAC_RANK(0, ABAC_OUT_PERMIT, 1) |				\
	 ABAC_RANK(1, ABAC_OUT_PERMIT, 3) | ABAC_RANK(1, ABAC_OUT_INDET, 2) | \
	 ABAC_RANK(1, ABAC_OUT_DENY, 1) |				\
	 ABAC_RANK(2, ABAC_OUT_PERMIT, 3) | ABAC_RANK(2, ABAC_OUT_DENY, 3) | \
	 ABAC_RANK(2, ABAC_OUT_INDET, 3))
/* first-applicable keeps the outcome itself beside the rank: see below */
#define ABAC_UNRANK							\
	(ABAC_RANK(0, 3, ABAC_OUT_DENY) | ABAC_RANK(0, 2, ABAC_OUT_INDET) | \
	 ABAC_RANK(0, 1, ABAC_OUT_PERMIT) |				\
	 ABAC_RANK(1, 3, ABAC_OUT_PERMIT) | ABAC_RANK(1, 2, ABAC_OUT_INDET) | \
	 ABAC_RANK(1, 1, ABAC_OUT_DENY))
/*
 * Folding a lower layer: ABAC_TAKE bit (final * 4 + lower) says whether
 * the lower layer's outcome replaces the decision so far: a deny or an
 * indeterminate replaces a permit or a not-applicable.
 */
#define ABAC_TAKE_BIT(f, l)	(1U << ((f) * 4 + (l)))
#define ABAC_TAKE							\
	(ABAC_TAKE_BIT(ABAC_OUT_PERMIT, ABAC_OUT_DENY) |		\
	 ABAC_TAKE_BIT(ABAC_OUT_PERMIT, ABAC_OUT_INDET) |		\
	 ABAC_TAKE_BIT(ABAC_OUT_NA, ABAC_OUT_DENY) |			\
	 ABAC_TAKE_BIT(ABAC_OUT_NA, ABAC_OUT_INDET))

/**
 * struct abac_layer_acc - one layer's combining state.
 * @rank: the highest rank seen.
 * @out: the outcome of the rule that has it (first-applicable).
 * @rule: the first rule with that rank.
 * @comb: the layer's combining algorithm.
 */
struct abac_layer_acc {
	__u32 rank;
	__u32 out;
	__u32 rule;
	__u32 comb;
};

__abac_inline void abac_layer_reset(struct abac_layer_acc *a,
				    const struct abac_image_hdr *hdr,
				    __u32 layer)
{
	__u32 comb = hdr->layer_combining[layer & (ABAC_MAX_LAYERS - 1)];

	a->rank = 0;
	a->out = ABAC_OUT_NA;
	a->rule = ABAC_RULE_NONE;
	a->comb = comb < ABAC_COMBINE_COUNT ? comb : 0;
}

/* Add one rule's outcome to its layer. */
__abac_inline void abac_layer_add(struct abac_layer_acc *a, __u32 out,
				  __u32 idx)
{
	__u32 rank = (ABAC_RANKS >> ((a->comb * 4 + (out & 3)) * 2)) & 3;

	if (rank > a->rank) {
		a->rank = rank;
		a->out = out & 3;
		a->rule = idx;
	}
}

#ifdef __bpf__
/*
 * abac_layer_add() as a BPF global function: the accumulator the rule
 * walk hands it is, to the verifier, unknown when the call returns, so
 * the walk's states meet after a turn; inlined, it followed every
 * (combining algorithm, rank) the accumulator can hold, a quarter of
 * the decision core's walk.  Same arithmetic; one call per rule more.
 */
__abac_global int abac_layer_add_global(struct abac_layer_acc *a, __u32 out,
					__u32 idx)
{
	if (a)
		abac_layer_add(a, out, idx);
	return 0;
}

#define abac_layer_add_call(a, out, idx) abac_layer_add_global(a, out, idx)
#else
#define abac_layer_add_call(a, out, idx) abac_layer_add(a, out, idx)
#endif

/* The outcome of a layer. */
__abac_inline __u32 abac_layer_outcome(const struct abac_layer_acc *a)
{
	if (a->comb == ABAC_COMBINE_FIRST_APPLICABLE)
		return a->out;
	return (ABAC_UNRANK >> ((a->comb * 4 + (a->rank & 3)) * 2)) & 3;
}

/*
 * Fold layer @layer's outcome into the decision.  The top layer (0)
 * decides; a lower layer may only restrict: its Deny or Indeterminate
 * replaces a Permit or a NotApplicable, its Permit changes nothing.
 */
__abac_inline void abac_layer_fold(struct abac_decision *d,
				   const struct abac_layer_acc *a,
				   __u32 layer)
{
	__u32 out = abac_layer_outcome(a);

	if (layer == 0 ||
	    ((ABAC_TAKE >> ((d->outcome & 3) * 4 + out)) & 1)) {
		d->outcome = out;
		d->rule = a->rule;
		d->layer = layer;
	}
}

/**
 * abac_rule_eval_at() - the outcome of rule @idx for a request.
 * @img: the image in force.
 * @idx: the rule's index.
 * @rq: the request.
 *
 * Return: enum abac_outcome, or -1 when the rule cannot be read.
 */
__abac_inline int abac_rule_eval_at(const struct abac_image *img, __u32 idx,
				    const struct abac_request *rq)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	const struct abac_rule *rule;

	if (!hdr || idx >= hdr->nrules)
		return -1;
	rule = abac_rec(img, hdr->rules_off + idx);
	if (!rule)
		return -1;
	return abac_rule_eval(img, hdr, rule, rq);
}

/* The operation's slice of the operation rule list, or 0 when unreadable. */
__abac_inline int abac_op_span_get(const struct abac_image *img,
				   const struct abac_image_hdr *hdr, __u32 op,
				   struct abac_op_span *span)
{
	const struct abac_op_span *sp;

	span->first = 0;
	span->count = 0;
	if (op >= ABAC_OP_COUNT)
		return 1;	/* an operation no rule can name */
	sp = abac_rec(img, hdr->opidx_off + (op & 31) / 2);
	if (!sp)
		return 0;
	*span = sp[op & 1];
	return 1;
}

#ifdef __bpf__
/* See abac_cond_eval_global(). */
__abac_global int
abac_rule_eval_global(const struct abac_image_mem *mem, __u32 idx,
		      const struct abac_attrs *s, const struct abac_object *o,
		      const struct abac_env *e)
{
	struct abac_request rq = {
		.s = s, .o = (const struct abac_attrs *)o, .e = e,
		.ostore = o != (const void *)0,
	};
	struct abac_image img;

	if (!abac_image_from_mem(mem, &img))
		return -1;
	return abac_rule_eval_at(&img, idx, &rq);
}

#define abac_rule_eval_call(img, idx, rq)				\
	abac_rule_eval_global((const struct abac_image_mem *)(img)->base, \
			      (idx), (rq)->s,				\
			      (const struct abac_object *)(rq)->o, (rq)->e)
#else
#define abac_rule_eval_call(img, idx, rq) abac_rule_eval_at(img, idx, rq)
#endif

/*
 * The number of the one bit set in @w (a power of two): the bits below
 * it, counted by arithmetic alone.  No branch: in BPF each branch on an
 * unknown word would be one more path for the verifier to walk through
 * the rest of the decision.
 */
__abac_inline __u32 abac_bit_number(__u64 w)
{
	__u64 x = w - 1;

	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (__u32)((x * 0x0101010101010101ULL) >> 56);
}

/**
 * abac_rule_list() - the rules a decision of @op must read.
 * @img: the image in force.
 * @hdr: its header.
 * @op: enum abac_op.
 * @rq: the request.
 * @list_off: receives the first record of the list @span points into.
 * @span: receives the slice of it to read.
 *
 * Without a class (ABAC_CLASS_NONE, or a class the image does not hold)
 * the operation rule list: every rule naming @op.  With one, the rule
 * index's list for (class, @op): the rules none of whose subject-only
 * conditions is false for the class; and when that list has buckets and
 * the object attribute they split on holds exactly one bit b of them,
 * bucket b: the rules none of whose conditions on that attribute alone is
 * false for (1 << b).  A rule left out is NotApplicable for this request,
 * which no combining algorithm nor layer fold looks at.
 *
 * Return: 1, or 0 when a record cannot be read.
 */
__abac_inline int abac_rule_list(const struct abac_image *img,
				 const struct abac_image_hdr *hdr, __u32 op,
				 const struct abac_request *rq,
				 __u32 *list_off, struct abac_op_span *span)
{
	const struct abac_cls_op *co;
	const struct abac_op_span *bs;
	__u32 cls = rq->cls, b;
	__u64 w;

	*list_off = hdr->oplist_off;
	if (!abac_op_span_get(img, hdr, op, span))
		return 0;
	if (cls == ABAC_CLASS_NONE || cls > hdr->ncls || op >= ABAC_OP_COUNT)
		return 1;
	co = abac_rec(img, hdr->cls_off + (cls - 1) * ABAC_CLS_RECORDS + op);
	if (!co)
		return 0;
	*list_off = hdr->clist_off;
	span->first = co->first;
	span->count = co->count;
	if (!co->nbkt)
		return 1;
	w = abac_attr_value(img, hdr, rq, ABAC_SIDE_OBJECT, co->battr);
	if (!w || (w & (w - 1)))
		return 1;	/* absent, or several bits: the whole list */
	b = abac_bit_number(w);
	if (b >= co->nbkt)
		return 1;
	b += co->bkt;
	bs = abac_rec(img, hdr->bkt_off + b / 2);
	if (!bs)
		return 0;
	*span = bs[b & 1];
	return 1;
}

/**
 * abac_decide() - decide operation @op for a request.
 * @img: the image in force.
 * @op: enum abac_op.
 * @rq: the subject, object and environment.
 * @d: receives the outcome, the effect to enforce, the reason, the
 *	deciding layer and the first determining rule.
 *
 * Only the rules that name @op are read: the image lists them per
 * operation, in rule order (hence layer order), and with a subject class
 * only those abac_rule_list() finds can apply.  Each layer combines its
 * rules with its own algorithm; the layers fold as abac_layer_fold() says.
 * An unreadable image denies.
 */
__abac_inline void abac_decide(const struct abac_image *img, __u32 op,
			       const struct abac_request *rq,
			       struct abac_decision *d)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	const struct abac_rule *rule;
	const __u32 *ent;
	struct abac_layer_acc acc;
	struct abac_op_span span;
	__u32 i, idx, layer = 0, rlayer, list_off;
	int r;

	d->effect = ABAC_DENY;
	d->reason = ABAC_REASON_BAD_IMAGE;
	d->outcome = ABAC_OUT_INDET;
	d->layer = 0;
	d->rule = ABAC_RULE_NONE;
	if (!hdr || !abac_rule_list(img, hdr, op, rq, &list_off, &span))
		return;
	if (span.count > ABAC_MAX_RULES)
		return;
	d->outcome = ABAC_OUT_NA;
	abac_layer_reset(&acc, hdr, 0);
	abac_for(i, 0, ABAC_MAX_RULES) {
		if (i >= span.count)
			break;
		idx = span.first + i;
		ent = abac_rec(img, list_off + idx / 4);
		if (!ent)
			goto bad;
		idx = ent[idx & 3];
		rule = abac_rec(img, hdr->rules_off + idx);
		if (!rule)
			goto bad;
		rlayer = rule->layer;
		if (rlayer != layer) {
			if (rlayer < layer || rlayer >= ABAC_MAX_LAYERS)
				goto bad;	/* rules come in layer order */
			abac_layer_fold(d, &acc, layer);
			layer = rlayer;
			abac_layer_reset(&acc, hdr, layer);
		}
		r = abac_rule_eval_call(img, idx, rq);
		if (r < 0)
			goto bad;
		abac_layer_add_call(&acc, r, idx);
	}
	abac_layer_fold(d, &acc, layer);
	if (d->outcome == ABAC_OUT_PERMIT) {
		d->effect = ABAC_ALLOW;
		d->reason = ABAC_REASON_RULE;
	} else if (d->outcome == ABAC_OUT_DENY) {
		d->reason = ABAC_REASON_RULE;
	} else if (d->outcome == ABAC_OUT_INDET) {
		d->reason = ABAC_REASON_INDETERMINATE;
	} else {
		d->effect = hdr->default_effect == ABAC_ALLOW ? ABAC_ALLOW :
								ABAC_DENY;
		d->reason = ABAC_REASON_DEFAULT;
		d->rule = ABAC_RULE_NONE;
	}
	return;
bad:
	d->effect = ABAC_DENY;
	d->reason = ABAC_REASON_BAD_IMAGE;
	d->outcome = ABAC_OUT_INDET;
	d->rule = ABAC_RULE_NONE;
}

#endif /* _ABAC_DECIDE_H */
