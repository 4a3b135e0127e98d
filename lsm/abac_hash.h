/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * abac's keyed hash: SipHash-2-4 (J.-P. Aumasson and D. J. Bernstein,
 * "SipHash: a fast short-input PRF", INDOCRYPT 2012), written for abac
 * from the algorithm as the paper specifies it.  It turns the text of an
 * attribute value, or of a label's key, into the 64-bit word the
 * decision core compares (Documentation/scale.rst).  One header, included
 * by the compiler, the BPF programs, the native LSM and the tools, so that
 * a text hashes alike in all four.
 *
 * The state is fed one byte at a time (abac_sip_byte()), so that a
 * parser hashes a value while it reads it, in a loop the BPF verifier
 * checks once; abac_sip_final() ends the message.  Includers define the
 * fixed-width types and include abac_abi.h first.
 */
#ifndef _ABAC_HASH_H
#define _ABAC_HASH_H

/**
 * struct abac_hash_key - the 128-bit key of an image's hash.
 * @k0: bytes 0-7, little endian.
 * @k1: bytes 8-15.
 */
struct abac_hash_key {
	__u64 k0;
	__u64 k1;
};

/*
 * The fixed public key (the paper's test key, bytes 00..0f): the key of
 * every image the compiler writes and the one the label parser hashes
 * values with, until per-host keys land (Documentation/scale.rst).  Being
 * public it keeps no one from choosing two colliding texts.
 */
#define ABAC_HASH_KEY_PUBLIC_K0	0x0706050403020100ULL
#define ABAC_HASH_KEY_PUBLIC_K1	0x0f0e0d0c0b0a0908ULL

/**
 * struct abac_sip - the state of one hash in progress.
 * @v0: internal state word 0.
 * @v1: internal state word 1.
 * @v2: internal state word 2.
 * @v3: internal state word 3.
 * @m: the bytes of the current 8-byte word so far, little endian.
 * @len: bytes fed so far.
 * @pad: 0.
 */
struct abac_sip {
	__u64 v0, v1, v2, v3;
	__u64 m;
	__u32 len;
	__u32 pad;
};

static inline __u64 abac_rotl64(__u64 x, unsigned int b)
{
	return (x << b) | (x >> (64 - b));
}

/* One SipRound of the paper, Figure 2. */
static inline void abac_sip_round(struct abac_sip *s)
{
	s->v0 += s->v1;
	s->v1 = abac_rotl64(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = abac_rotl64(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = abac_rotl64(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = abac_rotl64(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = abac_rotl64(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = abac_rotl64(s->v2, 32);
}

/* Initialisation: the key xored with the ASCII of "somepseudorandomly..." */
static inline void abac_sip_init(struct abac_sip *s,
				 const struct abac_hash_key *k)
{
	s->v0 = k->k0 ^ 0x736f6d6570736575ULL;
	s->v1 = k->k1 ^ 0x646f72616e646f6dULL;
	s->v2 = k->k0 ^ 0x6c7967656e657261ULL;
	s->v3 = k->k1 ^ 0x7465646279746573ULL;
	s->m = 0;
	s->len = 0;
	s->pad = 0;
}

/* Compression of one message word: c = 2 SipRounds. */
static inline void abac_sip_word(struct abac_sip *s, __u64 m)
{
	s->v3 ^= m;
	abac_sip_round(s);
	abac_sip_round(s);
	s->v0 ^= m;
}

/* Feed one byte; every eighth completes a word. */
static inline void abac_sip_byte(struct abac_sip *s, __u8 c)
{
	s->m |= (__u64)c << ((s->len & 7) * 8);
	s->len++;
	if (!(s->len & 7)) {
		abac_sip_word(s, s->m);
		s->m = 0;
	}
}

/*
 * End the message: the last word holds the remaining bytes and the length
 * mod 256 in its top byte; then d = 4 finalisation rounds.
 */
static inline __u64 abac_sip_final(struct abac_sip *s)
{
	abac_sip_word(s, s->m | (__u64)(s->len & 0xff) << 56);
	s->v2 ^= 0xff;
	abac_sip_round(s);
	abac_sip_round(s);
	abac_sip_round(s);
	abac_sip_round(s);
	return s->v0 ^ s->v1 ^ s->v2 ^ s->v3;
}

/*
 * The word of a value whose hash is @h: the hash itself, except that 0
 * (an absent attribute) becomes 1.
 */
static inline __u64 abac_hash_word(__u64 h)
{
	return h ? h : 1;
}

#ifndef __bpf__
/* The hash of @n bytes at @p under @k (user space and the kernel). */
static inline __u64 abac_sip_bytes(const struct abac_hash_key *k,
				   const void *p, unsigned long n)
{
	const __u8 *b = p;
	struct abac_sip s;
	unsigned long i;

	abac_sip_init(&s, k);
	for (i = 0; i < n; i++)
		abac_sip_byte(&s, b[i]);
	return abac_sip_final(&s);
}
#endif

#endif /* _ABAC_HASH_H */
