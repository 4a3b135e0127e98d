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
 * index twice: by the image's own record count and by the constant
 * ABAC_IMAGE_RECORDS that the BPF verifier can see.  A record that cannot
 * be read makes the decision fail closed (ABAC_REASON_BAD_IMAGE).
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
#define abac_barrier_var(v) asm volatile("" : "+r"(v))
#else
#define abac_barrier_var(v) ((void)0)
#endif

#ifndef __abac_inline
#define __abac_inline static inline __attribute__((always_inline))
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

/**
 * struct abac_decision - the outcome of abac_decide().
 * @effect: enum abac_effect.
 * @reason: enum abac_reason.
 * @rule: the deciding rule's index, or ABAC_RULE_NONE.
 */
struct abac_decision {
	__u8 effect;
	__u8 reason;
	__u16 pad;
	__u32 rule;
};

/*
 * Records [idx, idx + n) of the image, or NULL when they are not all
 * inside it.  n is a constant at every call site.
 */
__abac_inline const void *abac_span(const struct abac_image *img, __u32 idx,
				    __u32 n)
{
	if (idx >= img->nrec || img->nrec - idx < n)
		return (const void *)0;
	abac_barrier_var(idx);
	if (idx > ABAC_IMAGE_RECORDS - n)
		return (const void *)0;
	return img->base + (__u64)idx * ABAC_REC_SIZE;
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
 * abac_subject_find() - the attributes tagged on one cgroup.
 * @img: the image in force.
 * @cgroup_id: the cgroup's id.
 *
 * Return: the tags of @cgroup_id, or NULL when it is not tagged.
 */
__abac_inline const struct abac_attrs *
abac_subject_find(const struct abac_image *img, __u64 cgroup_id)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	const struct abac_subj_key *key;
	__u32 size, slot, i;

	if (!hdr || !hdr->subj_size || !cgroup_id)
		return (const void *)0;
	size = hdr->subj_size;
	slot = abac_subj_slot(cgroup_id, size);
	abac_for(i, 0, ABAC_SUBJ_PROBES) {
		__u32 idx = hdr->subj_off +
			    ((slot + i) & (size - 1)) * ABAC_SUBJ_RECORDS;

		key = abac_rec(img, idx);
		if (!key || !key->cgroup_id)
			break;
		if (key->cgroup_id == cgroup_id)	/* masks follow the key */
			return abac_span(img, idx + 1, ABAC_SUBJ_RECORDS - 1);
	}
	return (const void *)0;
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
	ABAC_LC_BAD = 0,	/* refused anywhere */
	ABAC_LC_NAME = 1,	/* [A-Za-z0-9_.:/@+-] */
	ABAC_LC_EQ = 2,		/* '=' ends a key */
	ABAC_LC_COMMA = 3,	/* ',' ends a value, the key goes on */
	ABAC_LC_SEMI = 4,	/* ';' ends a pair */
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
	return ABAC_LC_BAD;
}

/**
 * struct abac_label_pairs - the "key=value" pairs of one label, hashed.
 * @h: abac hashes of "key=value", in label order.
 * @n: pairs in @h.
 */
struct abac_label_pairs {
	__u64 h[ABAC_LABEL_PAIRS];
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

/**
 * abac_label_hash() - split a user.abac value into hashed pairs.
 * @buf: the label bytes: "key=value[,value...][;key=value...]".
 * @len: bytes in @buf (at most ABAC_LABEL_MAX; one trailing NUL allowed).
 * @p: receives the pairs.
 *
 * Return: 0, or -1 when the label is malformed.
 */
__abac_inline int abac_label_hash(const __u8 *buf, __u32 len,
				  struct abac_label_pairs *p)
{
	__u64 hkey = ABAC_FNV_OFFSET, hval = 0;
	__u32 i, st = ABAC_LS_KEY0, n = 0, cls;

	if (len && len <= ABAC_LABEL_MAX &&
	    !buf[(len - 1) & (ABAC_LABEL_MAX - 1)])
		len--;
	if (!len || len > ABAC_LABEL_MAX)
		return -1;
	abac_for(i, 0, ABAC_LABEL_MAX) {
		__u8 c;

		if (i >= len)
			break;
		c = buf[i & (ABAC_LABEL_MAX - 1)];
		cls = abac_label_class(c);
		if (cls == ABAC_LC_NAME) {
			if (st <= ABAC_LS_KEY) {
				hkey = abac_hash_byte(hkey, c);
				st = ABAC_LS_KEY;
			} else {
				hval = abac_hash_byte(hval, c);
				st = ABAC_LS_VAL;
			}
		} else if (cls == ABAC_LC_EQ && st == ABAC_LS_KEY) {
			hkey = abac_hash_byte(hkey, '=');
			hval = hkey;
			st = ABAC_LS_VAL0;
		} else if (cls >= ABAC_LC_COMMA && st == ABAC_LS_VAL) {
			if (n >= ABAC_LABEL_PAIRS)
				return -1;
			p->h[n & (ABAC_LABEL_PAIRS - 1)] = hval;
			n++;
			hval = hkey;
			st = ABAC_LS_VAL0;
			if (cls == ABAC_LC_SEMI) {
				hkey = ABAC_FNV_OFFSET;
				st = ABAC_LS_KEY0;
			}
		} else {
			return -1;
		}
	}
	if (st != ABAC_LS_VAL || n >= ABAC_LABEL_PAIRS)
		return -1;
	p->h[n & (ABAC_LABEL_PAIRS - 1)] = hval;
	p->n = n + 1;
	return 0;
}

/**
 * abac_label_resolve() - turn hashed label pairs into object attributes.
 * @img: the image in force; its dictionary names the known pairs.
 * @p: the pairs from abac_label_hash().
 * @o: zeroed by the caller; receives the attributes.
 *
 * A pair the policy does not declare, or a second value for a one-value
 * attribute, refuses the whole label: the caller fails closed rather than
 * guess.
 *
 * Return: 0, or -1 when the label is refused.
 */
__abac_inline int abac_label_resolve(const struct abac_image *img,
				     const struct abac_label_pairs *p,
				     struct abac_attrs *o)
{
	const struct abac_dict_ent *ent;
	__u32 i, n = p->n, attr;
	__u64 bit;

	abac_for(i, 0, ABAC_LABEL_PAIRS) {
		if (i >= n)
			break;
		ent = abac_dict_find(img, p->h[i & (ABAC_LABEL_PAIRS - 1)]);
		if (!ent)
			return -1;
		attr = ent->attr & (ABAC_MAX_ATTRS - 1);
		bit = 1ULL << (ent->bit & (ABAC_MAX_VALUES - 1));
		if ((ent->flags & ABAC_DICT_SINGLE) && (o->v[attr] & ~bit))
			return -1;
		o->v[attr] |= bit;
	}
	return 0;
}

/**
 * abac_label_parse() - abac_label_hash() then abac_label_resolve().
 * @img: the image in force.
 * @buf: the label bytes.
 * @len: bytes in @buf.
 * @p: scratch space for the pairs.
 * @o: zeroed by the caller; receives the attributes.
 *
 * Return: 0, or -1 when the label is malformed or refused.
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
 * abac_cond_holds() - test one condition.
 * @c: the condition.
 * @s: subject attributes.
 * @o: object attributes.
 *
 * Return: 1 when the condition holds, else 0.
 */
__abac_inline int abac_cond_holds(const struct abac_cond *c,
				  const struct abac_attrs *s,
				  const struct abac_attrs *o)
{
	const struct abac_attrs *side = c->side == ABAC_SIDE_OBJECT ? o : s;
	__u64 v = side->v[c->attr & (ABAC_MAX_ATTRS - 1)];
	__u64 r = o->v[c->rhs & (ABAC_MAX_ATTRS - 1)];

	switch (c->kind) {
	case ABAC_COND_ANY:
		return (v & c->mask) != 0;
	case ABAC_COND_NONE:
		return v && !(v & c->mask);
	case ABAC_COND_PRESENT:
		return v != 0;
	case ABAC_COND_ABSENT:
		return v == 0;
	case ABAC_COND_REL_EQ:
		return (v & r) != 0;
	case ABAC_COND_REL_NE:
		return v && r && !(v & r);
	}
	return 0;	/* unknown kind: the rule does not apply */
}

/*
 * 1 when every condition of @rule holds, 0 when one does not, -1 when a
 * condition record cannot be read.
 */
__abac_inline int abac_rule_holds(const struct abac_image *img,
				  const struct abac_rule *rule,
				  const struct abac_attrs *s,
				  const struct abac_attrs *o)
{
	const struct abac_cond *c;
	__u32 j, ncond = rule->ncond, first = rule->cond;

	if (ncond > ABAC_MAX_CONDS)
		return -1;
	abac_for(j, 0, ABAC_MAX_CONDS) {
		if (j >= ncond)
			break;
		c = abac_rec(img, first + j);
		if (!c)
			return -1;
		if (!abac_cond_holds(c, s, o))
			return 0;
	}
	return 1;
}

/**
 * abac_decide() - may subject @s perform @op on object @o?
 * @img: the image in force.
 * @op: enum abac_op.
 * @s: the subject's attributes.
 * @o: the object's attributes.
 * @d: receives the effect, the reason and the deciding rule.
 *
 * Deny-overrides: the first rule that denies decides; otherwise the first
 * rule that allows; otherwise the image's default effect.  An unreadable
 * image denies.
 */
__abac_inline void abac_decide(const struct abac_image *img, __u32 op,
			       const struct abac_attrs *s,
			       const struct abac_attrs *o,
			       struct abac_decision *d)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	const struct abac_rule *rule;
	__u32 i, nrules, first, allow = ABAC_RULE_NONE;
	__u32 opbit = 1U << (op & 31);
	int held;

	d->effect = ABAC_DENY;
	d->reason = ABAC_REASON_BAD_IMAGE;
	d->rule = ABAC_RULE_NONE;
	if (!hdr)
		return;
	nrules = hdr->nrules;
	first = hdr->rules_off;
	abac_for(i, 0, ABAC_MAX_RULES) {
		if (i >= nrules)
			break;
		rule = abac_rec(img, first + i);
		if (!rule)
			return;
		if (!(rule->ops & opbit))
			continue;
		if (rule->effect != ABAC_DENY && allow != ABAC_RULE_NONE)
			continue;	/* an allow already stands */
		held = abac_rule_holds(img, rule, s, o);
		if (held < 0)
			return;
		if (!held)
			continue;
		if (rule->effect == ABAC_DENY) {
			d->reason = ABAC_REASON_RULE;
			d->rule = i;
			return;
		}
		allow = i;
	}
	if (allow != ABAC_RULE_NONE) {
		d->effect = ABAC_ALLOW;
		d->reason = ABAC_REASON_RULE;
		d->rule = allow;
		return;
	}
	d->effect = hdr->default_effect == ABAC_ALLOW ? ABAC_ALLOW : ABAC_DENY;
	d->reason = ABAC_REASON_DEFAULT;
}

#endif /* _ABAC_DECIDE_H */
