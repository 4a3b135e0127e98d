/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * abac ABI: everything that crosses the boundary between the policy
 * compiler and agent (user space), the BPF-LSM programs and the native LSM.
 *
 * This header includes nothing.  Each side defines the fixed-width __u8 ..
 * __u64 types first: vmlinux.h in BPF, <linux/types.h> in the kernel and in
 * user space.  Every structure has explicit padding and a size checked by
 * abac_abi_check() so that the three compilers agree on the layout.
 *
 * The compiled policy ("image") is an array of 16-byte records.  Record 0..
 * ABAC_HDR_RECORDS-1 hold struct abac_image_hdr; the header gives the first
 * record and the count of every table that follows.  The BPF side holds the
 * image cut in chunks of ABAC_CHUNK_RECORDS records, the values of one
 * array map (an inner map of a map-in-map, so that a new image replaces the
 * old one with one update); the kernel and user space hold it as flat
 * memory.  Either way the decision core (abac_decide.h) reads records by
 * their index in the whole image, so one piece of code decides in all
 * three places; in BPF only condition records are read past chunk 0
 * (Documentation/scale.rst, "Images larger than a map value").
 */
#ifndef _ABAC_ABI_H
#define _ABAC_ABI_H

#define ABAC_MAGIC		0x43414241U	/* "ABAC", little endian */
#define ABAC_ABI_VERSION	4

#define ABAC_REC_SIZE		16
#define ABAC_HDR_RECORDS	16	/* 256-byte header */

/* The kernel's BIT_ULL(), for the three builds of this header. */
#define ABAC_BIT_ULL(n)		(1ULL << (n))

/* Limits, all checked by the compiler and by the image loader. */
#define ABAC_MAX_ATTRS		16	/* attributes per side */
#define ABAC_MAX_VALUES		64	/* values per attribute: bits of a mask */
#define ABAC_MAX_CONDS		16	/* conditions per rule */
#define ABAC_MAX_RULES		1048576U	/* rules a policy may hold: 2^20 */
#define ABAC_MAX_KERNEL_RULES	131072U	/* rules BPF loads (rule_hits): 2^17 */
#define ABAC_MAX_SUBJECTS	4096	/* tagged cgroups */
#define ABAC_IMAGE_RECORDS	16777216U	/* records an image may hold (2^24): 256 MiB */
#define ABAC_IMAGE_BYTES	(ABAC_IMAGE_RECORDS * ABAC_REC_SIZE)
#define ABAC_CHUNK_RECORDS	262144U	/* one BPF map value (2^18): 4 MiB */
#define ABAC_CHUNK_BYTES	(ABAC_CHUNK_RECORDS * ABAC_REC_SIZE)
#define ABAC_MAX_CHUNKS		(ABAC_IMAGE_RECORDS / ABAC_CHUNK_RECORDS)
#define ABAC_CHUNK_MAGIC	0x4b4e4843U	/* "CHNK", little endian */
#define ABAC_MAX_CGROUP_DEPTH	16	/* ancestors searched for a tag */
#define ABAC_LABEL_XATTR	"user.abac"
#define ABAC_NATIVE_XATTR	"security.abac"	/* the native LSM's own label */
#define ABAC_ENV_TEXT_MAX	1024	/* bytes of "k=v k=v" the agent keeps */
#define ABAC_LABEL_MAX		16384	/* bytes of a user.abac value */
#define ABAC_LABEL_PAIRS	128	/* "key=value" pairs in one label */
#define ABAC_LABEL_SET_MEMBERS	64	/* members of a label's open sets */
#define ABAC_NAME_MAX		64	/* attribute, policy name, id */
#define ABAC_VALUE_MAX		255	/* bytes of one attribute value */
#define ABAC_PATH_MAX		256	/* path bytes carried in an event */
#define ABAC_DICT_PROBES	8	/* linear probes in the label dictionary */
#define ABAC_SUBJ_PROBES	8	/* linear probes in the subject table */
#define ABAC_MAX_LAYERS		8	/* policy files applied together */
#define ABAC_MAX_NETS		1024	/* network objects (cidr x port range) */
#define ABAC_SET_MEMBERS	4096	/* members of one open set */
#define ABAC_SET_PROBES		13	/* binary search: log2(ABAC_SET_MEMBERS) + 1 */
#define ABAC_MAX_BINDINGS	256	/* subjects: entries (bindings) a policy holds */
#define ABAC_BIND_NAME_MAX	255	/* bytes of a binding's name pattern: NAME_MAX */
#define ABAC_MAX_ENUM_VALUES	131072U	/* values of one large enumeration: 2^17 */
#define ABAC_ENUM_PROBES	18	/* log2(ABAC_MAX_ENUM_VALUES) + 1 */
#define ABAC_MAX_ENUM_PAIRS	131072U	/* label table, all large ones: 2^17 */
#define ABAC_MAX_LIST		4096	/* constants of one list condition */

/**
 * enum abac_op - operations a rule may name; a rule's ops is a bit mask
 * of (1 << op).
 * @ABAC_OP_READ: read a file or directory (open, read(), a mapping).
 * @ABAC_OP_WRITE: write a file (open for writing, write(), truncate,
 *	metadata).
 * @ABAC_OP_EXEC: execute a program, map one executable.
 * @ABAC_OP_CREATE: create an entry in a directory (file, directory, link).
 * @ABAC_OP_DELETE: remove an entry, rename it away.
 * @ABAC_OP_RELABEL: change an object's label (only a rule allows it).
 * @ABAC_OP_CONNECT: connect or send to a network or Unix address.
 * @ABAC_OP_BIND: bind a socket to an address.
 * @ABAC_OP_LISTEN: listen on a bound socket.
 * @ABAC_OP_ADMINISTER: reach abacd's control socket (guard).
 * @ABAC_OP_COUNT: number of operations.
 */
enum abac_op {
	ABAC_OP_READ = 0,
	ABAC_OP_WRITE = 1,
	ABAC_OP_EXEC = 2,
	ABAC_OP_CREATE = 3,
	ABAC_OP_DELETE = 4,
	ABAC_OP_RELABEL = 5,
	ABAC_OP_CONNECT = 6,
	ABAC_OP_BIND = 7,
	ABAC_OP_LISTEN = 8,
	ABAC_OP_ADMINISTER = 9,
	ABAC_OP_COUNT,
};

enum abac_effect {
	ABAC_DENY = 0,
	ABAC_ALLOW = 1,
};

enum abac_mode {
	ABAC_MODE_ENFORCE = 0,
	ABAC_MODE_AUDIT = 1,
};

/**
 * enum abac_combining - how the rules of one layer combine (XACML 3.0).
 * @ABAC_COMBINE_DENY_OVERRIDES: any deny wins, then any indeterminate,
 *	then any permit; else not applicable.
 * @ABAC_COMBINE_PERMIT_OVERRIDES: the mirror: any permit wins, then any
 *	indeterminate, then any deny.
 * @ABAC_COMBINE_FIRST_APPLICABLE: the first rule, in policy order, that is
 *	not "not applicable" decides (an indeterminate one too).
 * @ABAC_COMBINE_COUNT: number of algorithms.
 */
enum abac_combining {
	ABAC_COMBINE_DENY_OVERRIDES = 0,
	ABAC_COMBINE_PERMIT_OVERRIDES = 1,
	ABAC_COMBINE_FIRST_APPLICABLE = 2,
	ABAC_COMBINE_COUNT,
};

/**
 * enum abac_outcome - the four outcomes of a rule, a layer or a policy.
 * User space reports them as they are; the kernel maps Indeterminate to
 * deny and NotApplicable to the policy's default effect.
 * @ABAC_OUT_NA: NotApplicable: no rule applied.
 * @ABAC_OUT_PERMIT: Permit.
 * @ABAC_OUT_DENY: Deny.
 * @ABAC_OUT_INDET: Indeterminate: a rule could not be decided.
 */
enum abac_outcome {
	ABAC_OUT_NA = 0,
	ABAC_OUT_PERMIT = 1,
	ABAC_OUT_DENY = 2,
	ABAC_OUT_INDET = 3,
};

/**
 * enum abac_cond_kind - how a condition tests its attribute.
 *
 * Every attribute value is a 64-bit word, 0 when absent: a string, bool or
 * level attribute sets one bit (its value's number), a set several bits,
 * an int holds (__u64)value + (1ULL << 63), so that 0 stays "absent" and
 * unsigned order is signed order.  A level's values are numbered lowest
 * first, so its one bit also orders as the level does.
 *
 * A condition on an absent attribute (after defaults) is indeterminate,
 * except PRESENT and ABSENT, which test exactly that, and TIME and DAYS,
 * which read the clock.
 *
 * @ABAC_COND_ANY: the attribute holds one of the values in @mask.
 * @ABAC_COND_NONE: the attribute holds none of @mask.
 * @ABAC_COND_PRESENT: the attribute is present.
 * @ABAC_COND_ABSENT: the attribute is absent.
 * @ABAC_COND_REL_EQ: attribute @attr of @side equals attribute @rhs of
 *	@rhs_side (same word).
 * @ABAC_COND_REL_NE: the two words differ.
 * @ABAC_COND_ALL: the attribute holds every value of @mask (set contains).
 * @ABAC_COND_EQ: the word equals @mask (int; the hash word of a value of
 *	an open attribute).
 * @ABAC_COND_NE: the word differs from @mask (int, open).
 * @ABAC_COND_GE: word >= @mask, unsigned (biased int).
 * @ABAC_COND_GT: word > @mask.
 * @ABAC_COND_LE: word <= @mask.
 * @ABAC_COND_LT: word < @mask.
 * @ABAC_COND_REL_GE: lhs word >= rhs word (levels, ints).
 * @ABAC_COND_REL_GT: lhs > rhs.
 * @ABAC_COND_REL_LE: lhs <= rhs.
 * @ABAC_COND_REL_LT: lhs < rhs.
 * @ABAC_COND_REL_CONTAINS: lhs holds every value of rhs: (l & r) == r.
 * @ABAC_COND_TIME: the local minute of day m is in [lo, hi), where lo is
 *	bits 0-15 of @mask and hi bits 16-31; lo > hi wraps midnight.
 * @ABAC_COND_DAYS: the local weekday d (0 Sunday .. 6) has bit d in @mask.
 * @ABAC_COND_SET_ANY: the attribute's open set (a set handle, see
 *	ABAC_SET_WORD()) shares a member with the constant set whose handle
 *	is @mask (any-of).
 * @ABAC_COND_SET_ALL: the open set holds every member of the constant
 *	set @mask (contains).
 * @ABAC_COND_SET_NONE: the open set holds no member of the constant set
 *	@mask.
 * @ABAC_COND_REL_IN: the lhs word (a value of an open string) is a member
 *	of the rhs open set.
 * @ABAC_COND_REL_SUBSET: every member of the lhs open set is a member of
 *	the rhs open set.
 * @ABAC_COND_REL_INTERSECTS: the two open sets share a member.
 * @ABAC_COND_IN: the word (a value of an open string or of a large
 *	enumeration, ABAC_ENUM_WORD()) is a member of the constant set whose
 *	handle is @mask: a list of constants searched, never scanned.
 * @ABAC_COND_NOT_IN: the word is not a member of the constant set @mask.
 * @ABAC_COND_KIND_COUNT: number of kinds.
 */
enum abac_cond_kind {
	ABAC_COND_ANY = 0,
	ABAC_COND_NONE = 1,
	ABAC_COND_PRESENT = 2,
	ABAC_COND_ABSENT = 3,
	ABAC_COND_REL_EQ = 4,
	ABAC_COND_REL_NE = 5,
	ABAC_COND_ALL = 6,
	ABAC_COND_EQ = 7,
	ABAC_COND_NE = 8,
	ABAC_COND_GE = 9,
	ABAC_COND_GT = 10,
	ABAC_COND_LE = 11,
	ABAC_COND_LT = 12,
	ABAC_COND_REL_GE = 13,
	ABAC_COND_REL_GT = 14,
	ABAC_COND_REL_LE = 15,
	ABAC_COND_REL_LT = 16,
	ABAC_COND_REL_CONTAINS = 17,
	ABAC_COND_TIME = 18,
	ABAC_COND_DAYS = 19,
	ABAC_COND_SET_ANY = 20,
	ABAC_COND_SET_ALL = 21,
	ABAC_COND_SET_NONE = 22,
	ABAC_COND_REL_IN = 23,
	ABAC_COND_REL_SUBSET = 24,
	ABAC_COND_REL_INTERSECTS = 25,
	ABAC_COND_IN = 26,
	ABAC_COND_NOT_IN = 27,
	ABAC_COND_KIND_COUNT,
};

#define ABAC_INT_BIAS		ABAC_BIT_ULL(63)

/*
 * An open set is a word too: a handle to its members, sorted ascending
 * and without duplicates, in the image's member table (&struct
 * abac_image_hdr.members_off): bit 63 set (so that even an empty set is
 * present), the member count in bits 32-62, the index of the first
 * member (a __u64 word, two a record) in bits 0-31.  A member is the
 * word of its text, as an open string's value is (abac_hash_word()).
 */
#define ABAC_SET_BIT		ABAC_BIT_ULL(63)
#define ABAC_SET_WORD(first, count)					\
	(ABAC_SET_BIT | ((__u64)(count) << 32) | (__u32)(first))
#define ABAC_SET_FIRST(w)	((__u32)(w))

/*
 * An object's open set (a label's) is a handle too, with ABAC_SET_OBJ
 * set: its members are not in the image but in the request's object
 * member store (struct abac_object.m, filled by abac_label_resolve_obj()
 * from the label's sorted pairs); @first indexes that store.
 */
#define ABAC_SET_OBJ		ABAC_BIT_ULL(62)
#define ABAC_SET_OBJ_WORD(first, count)					\
	(ABAC_SET_WORD(first, count) | ABAC_SET_OBJ)

/*
 * The member table must end within the records BPF reads through the
 * image's first map value: the whole image while an image is one value,
 * its first chunk once images are cut in chunks.
 */
#ifdef ABAC_CHUNK_RECORDS
#define ABAC_MEMBERS_END	ABAC_CHUNK_RECORDS
#else
#define ABAC_MEMBERS_END	ABAC_IMAGE_RECORDS
#endif
#define ABAC_SET_COUNT(w)	((__u32)((w) >> 32) & 0x3fffffffU)

/*
 * A large enumeration (a string or level attribute declaring more than
 * ABAC_MAX_VALUES values, up to ABAC_MAX_ENUM_VALUES) has no mask: its
 * word is its value's number plus one, so that levels, numbered lowest
 * first, order as their words do (ABAC_META_ENUM).  Its label pairs are
 * not in the dictionary but in the label table: the member table's words
 * from &struct abac_image_hdr.enum_first, nenum pair hashes sorted
 * ascending, then nenum entries ABAC_ENUM_ENT(attr, word) in the same
 * order, searched by the open sets' binary search.
 */
#define ABAC_ENUM_WORD(v)	((__u64)(v) + 1)
#define ABAC_ENUM_ENT(attr, word) ((__u64)(attr) << 32 | (__u32)(word))
#define ABAC_ENUM_ENT_ATTR(e)	((__u32)((e) >> 32) & 0xff)
#define ABAC_ENUM_ENT_WORD(e)	((__u32)(e))
#define ABAC_MINUTES_PER_DAY	1440

enum abac_side {
	ABAC_SIDE_SUBJECT = 0,
	ABAC_SIDE_OBJECT = 1,
	ABAC_SIDE_ENV = 2,
	ABAC_SIDE_COUNT,
};

/**
 * struct abac_attrs - the attributes of one subject or one object.
 * @v: per attribute number, the mask of its values (0: absent).
 */
struct abac_attrs {
	__u64 v[ABAC_MAX_ATTRS];
};

/**
 * struct abac_object - an object's attributes and the members of its
 *	open sets (a label's), which ABAC_SET_OBJ handles in @a index.
 * @a: the attributes.
 * @m: the members, each set's run sorted ascending, without duplicates.
 * @n: words of @m in use.
 * @pad: 0.
 */
struct abac_object {
	struct abac_attrs a;
	__u64 m[ABAC_LABEL_SET_MEMBERS];
	__u32 n;
	__u32 pad;
};

/* Records of one struct abac_attrs in an image (a default block). */
#define ABAC_ATTRS_RECORDS	(ABAC_MAX_ATTRS * 8 / ABAC_REC_SIZE)

/**
 * struct abac_env - the environment of a decision, filled by the caller.
 * @a: operator-set environment attributes (threat, incident_acme, ...).
 * @minute: local minute of the day, 0..1439, in the policy's timezone.
 * @wday: local weekday, 0 Sunday .. 6 Saturday.
 */
struct abac_env {
	struct abac_attrs a;
	__u32 minute;
	__u32 wday;
};

/**
 * struct abac_env_state - the one value of the BPF environment map, kept
 * by the agent.
 * @a: the operator-set environment attributes, numbered as in the image
 *	whose content hash is @content_hash.
 * @content_hash: the image @a was resolved against; on a mismatch the
 *	programs use no operator attributes (absent: indeterminate).
 * @tz_offset_sec: seconds to add to CLOCK_TAI for local time in the
 *	policy's timezone (UTC offset minus the TAI-UTC offset), refreshed
 *	by the agent across daylight-saving changes.
 * @generation: bumped on each write, for tests and status.
 * @pad: 0.
 * @text: the operator's pairs as set ("k=v k=v"), NUL-terminated; the
 *	programs never read it: an agent that lost its state directory
 *	finds the environment in force here.
 */
struct abac_env_state {
	struct abac_attrs a;
	__u64 content_hash;
	__s64 tz_offset_sec;
	__u32 generation;
	__u32 pad;
	char text[ABAC_ENV_TEXT_MAX];
};

/**
 * struct abac_image_hdr - records 0..7 of a compiled policy image.
 * @magic: ABAC_MAGIC.
 * @abi_version: ABAC_ABI_VERSION.
 * @hdr_records: ABAC_HDR_RECORDS.
 * @total_records: records in the whole image, header included.
 * @generation: stamped by the agent when it loads the image; 0 in a file.
 * @mode: enum abac_mode.
 * @combining: enum abac_combining.
 * @default_effect: enum abac_effect when no rule applies.
 * @flags: ABAC_HDR_F_ENV when some condition reads the environment (the
 *	clock or an operator attribute); the kernel then caches no decision.
 *	Other bits 0.
 * @nrules: rules, one record each, from @rules_off.
 * @rules_off: first rule record.
 * @nconds: conditions, one record each, from @conds_off.
 * @conds_off: first condition record.
 * @dict_size: label dictionary slots (a power of two, or 0), from
 *	@dict_off; maps the hash of "key=value" to an object attribute value.
 * @dict_off: first dictionary record.
 * @subj_size: subject table slots (a power of two, or 0), from @subj_off;
 *	maps a tagged cgroup id to its attributes (ABAC_SUBJ_RECORDS each).
 * @subj_off: first subject record.
 * @str_off: first record of the string table.
 * @str_len: bytes in the string table.
 * @name_str: string table offset of the policy name.
 * @tag_levels: bit L set when some tagged cgroup sits at level L.
 * @n_sattrs: subject attributes declared.
 * @n_oattrs: object attributes declared.
 * @pad: 0.
 * @content_hash: FNV-1a 64 of all total_records records with @generation
 *	and @content_hash read as 0; the loader refuses an image whose hash
 *	does not match.  It names the policy content in events.
 * @defaults_off: first of 3 * ABAC_ATTRS_RECORDS records: the default
 *	value of every subject, object and environment attribute (0: none),
 *	used when the attribute is absent.
 * @opidx_off: first of ABAC_OPIDX_RECORDS records: per operation, a
 *	struct abac_op_span into the operation rule list.
 * @oplist_off: first record of the operation rule list: __u32 rule
 *	indexes, four a record, each operation's rules in rule order.
 * @noplist: entries in the operation rule list.
 * @nets_off: first network record (ABAC_NET_RECORDS each).
 * @nnets: network objects, most specific first.
 * @tz_str: string table offset of the policy's timezone name.
 * @n_eattrs: environment attributes declared.
 * @nlayers: policy layers, 1 to ABAC_MAX_LAYERS; rules are in layer order.
 * @layer_combining: enum abac_combining of each layer.
 * @pad2: 0.
 * @meta_off: first attribute record (struct abac_attr_meta), one per
 *	declared attribute, subject then object then environment ones.
 * @key_off: the record holding the image's hash key (struct
 *	abac_hash_key), with which the compiler hashed the values of open
 *	attributes and the label dictionary (Documentation/scale.rst).
 * @ncls: subject classes of the rule index (Documentation/scale.rst,
 *	*The rule index*): tagged subjects whose attributes are alike share
 *	one, numbered from 1 in &struct abac_subj_key.cls; 0: no index.
 * @cls_off: first of @ncls * ABAC_CLS_RECORDS records: per class and
 *	operation, a struct abac_cls_op.
 * @clist_off: first record of the class rule list: __u32 rule indexes,
 *	four a record, each (class, operation) list and each bucket in rule
 *	order.
 * @nclist: entries in the class rule list.
 * @bkt_off: first record of the bucket table: struct abac_op_span into
 *	the class rule list, two a record.
 * @nbkt: entries in the bucket table.
 * @rsv_index: 0.
 * @bpf_slot: the slot of the BPF policy map the image was loaded into,
 *	stamped by the loader (tools/lib/kern.c) like @generation and, like
 *	it, read as 0 by the content hash; 0 in a file and in the native
 *	LSM.  A BPF program reads condition records past chunk 0 from the
 *	chunks of this slot (abac_cond_eval_global()).
 * @chunks_rsv: 0.
 * @members_off: first record of the member table: the members of every
 *	open set, __u64 words two a record, each set's run sorted (see
 *	ABAC_SET_WORD()); it ends by record ABAC_MEMBERS_END.
 * @nmembers: words in the member table.
 * @rsv_sets: 0 (reserved for sets of open values).
 * @enum_first: the first word, in the member table, of the label table of
 *	the large enumerations (ABAC_ENUM_WORD()): @nenum pair hashes, as
 *	the dictionary's, sorted ascending, then @nenum entries
 *	ABAC_ENUM_ENT() in their order; 0 when @nenum is 0.
 * @nenum: label pairs of large enumerations, at most ABAC_MAX_ENUM_PAIRS.
 * @rsv_enum: 0.
 * @nbind: bindings the kernel matches by name (Documentation/deployment.rst,
 *	*Tagged from the first instruction*), ABAC_BIND_RECORDS records each
 *	from @bind_off: those of the policy's subjects: bindings whose parent
 *	cgroup existed when the image was built; at most ABAC_MAX_BINDINGS.
 * @bind_off: first record of the binding table (chunk 0, before the
 *	conditions): per binding a struct abac_bind, its template subject
 *	slot (ABAC_SUBJ_RECORDS records, key cgroup id ABAC_SUBJ_BOUND) and
 *	its name pattern (ABAC_BIND_NAME_RECORDS records).
 * @bind_levels: bit L set when some binding's cgroups sit at level L (its
 *	parent's level + 1); 0 when @nbind is 0.
 * @bind_rsv: 0.
 */
struct abac_image_hdr {
	__u32 magic;
	__u16 abi_version;
	__u16 hdr_records;
	__u32 total_records;
	__u32 generation;
	__u8 mode;
	__u8 combining;
	__u8 default_effect;
	__u8 flags;
	__u32 nrules;
	__u32 rules_off;
	__u32 nconds;
	__u32 conds_off;
	__u32 dict_size;
	__u32 dict_off;
	__u32 subj_size;
	__u32 subj_off;
	__u32 str_off;
	__u32 str_len;
	__u32 name_str;
	__u32 tag_levels;
	__u8 n_sattrs;
	__u8 n_oattrs;
	__u16 pad;
	__u64 content_hash;
	__u32 defaults_off;
	__u32 opidx_off;
	__u32 oplist_off;
	__u32 noplist;
	__u32 nets_off;
	__u32 nnets;
	__u32 tz_str;
	__u8 n_eattrs;
	__u8 nlayers;
	__u8 layer_combining[ABAC_MAX_LAYERS];
	__u8 pad2[2];
	__u32 meta_off;
	__u32 key_off;
	/* the rule index */
	__u32 ncls;
	__u32 cls_off;
	__u32 clist_off;
	__u32 nclist;
	__u32 bkt_off;
	__u32 nbkt;
	__u32 rsv_index[2];

	/* images larger than one map value */
	__u32 bpf_slot;
	__u32 chunks_rsv[7];

	/* sets of open values */
	__u32 members_off;
	__u32 nmembers;
	__u32 rsv_sets[6];

	/* large enumerations */
	__u32 enum_first;
	__u32 nenum;
	__u32 rsv_enum[2];

	/* subjects bound by name, matched by the kernel */
	__u32 nbind;
	__u32 bind_off;
	__u32 bind_levels;
	__u32 bind_rsv;
};

#define ABAC_STR_NONE		0xffffffffU

#define ABAC_HDR_F_ENV		0x1	/* see &struct abac_image_hdr.flags */

/* Is @kind a relation between two attributes (its right side @rhs)? */
static inline int abac_cond_is_relation(__u32 kind)
{
	return kind == ABAC_COND_REL_EQ || kind == ABAC_COND_REL_NE ||
	       (kind >= ABAC_COND_REL_GE && kind <= ABAC_COND_REL_CONTAINS) ||
	       (kind >= ABAC_COND_REL_IN && kind <= ABAC_COND_REL_INTERSECTS);
}

/* Does @kind take a constant set, a handle in the member table, in @mask? */
static inline int abac_cond_takes_set(__u32 kind)
{
	return (kind >= ABAC_COND_SET_ANY && kind <= ABAC_COND_SET_NONE) ||
	       kind == ABAC_COND_IN || kind == ABAC_COND_NOT_IN;
}

/*
 * Does condition (@side, @kind, @rhs_side) read the environment?  The
 * compiler sets ABAC_HDR_F_ENV from it and the loaders check the flag.
 */
static inline int abac_cond_reads_env(__u8 side, __u8 kind, __u8 rhs_side)
{
	return side == ABAC_SIDE_ENV || kind == ABAC_COND_TIME ||
	       kind == ABAC_COND_DAYS ||
	       (abac_cond_is_relation(kind) && rhs_side == ABAC_SIDE_ENV);
}

/**
 * enum abac_attr_type - the types of the schema, as &struct
 *	abac_attr_meta.type stores them.
 * @ABAC_TYPE_STRING: one value of a declared list (one bit).
 * @ABAC_TYPE_SET: several values of a declared list (several bits).
 * @ABAC_TYPE_BOOL: false (bit 0) or true (bit 1).
 * @ABAC_TYPE_INT: a signed 64-bit number, stored + ABAC_INT_BIAS.
 * @ABAC_TYPE_LEVEL: one value of an ordered list, lowest first.
 * @ABAC_TYPE_COUNT: the number of types.
 */
enum abac_attr_type {
	ABAC_TYPE_STRING = 0,
	ABAC_TYPE_SET = 1,
	ABAC_TYPE_BOOL = 2,
	ABAC_TYPE_INT = 3,
	ABAC_TYPE_LEVEL = 4,
	ABAC_TYPE_COUNT,
};

/**
 * struct abac_attr_meta - what the image keeps of a declared attribute for
 * people and tools (the decision never reads it).
 * @name_str: string table offset of its name.
 * @authority_str: of its authority, or ABAC_STR_NONE.
 * @expires_str: of its expiry, or ABAC_STR_NONE.
 * @type: its type, enum abac_attr_type.
 * @side: enum abac_side.
 * @flags: ABAC_META_OPEN when its values are open (their words are
 *	hashes of their text; an open set's word is a set handle,
 *	ABAC_SET_WORD()); ABAC_META_ENUM when it is a large enumeration
 *	(its word is its value's number plus one, ABAC_ENUM_WORD()); other
 *	bits 0.
 * @pad: 0.
 */
struct abac_attr_meta {
	__u32 name_str;
	__u32 authority_str;
	__u32 expires_str;
	__u8 type;
	__u8 side;
	__u8 flags;
	__u8 pad;
};

#define ABAC_META_OPEN		0x1
#define ABAC_META_ENUM		0x2

/**
 * struct abac_op_span - one operation's slice of the operation rule list.
 * @first: first entry.
 * @count: entries.
 */
struct abac_op_span {
	__u32 first;
	__u32 count;
};

#define ABAC_OPIDX_RECORDS \
	((ABAC_OP_COUNT * 8 + ABAC_REC_SIZE - 1) / ABAC_REC_SIZE)

/**
 * struct abac_cls_op - the rules of one operation that can apply to one
 *	subject class (the rule index, Documentation/scale.rst).
 * @first: first entry of the class rule list.
 * @count: entries: the operation's rules none of whose conditions on the
 *	subject alone is false for the class, in rule order.
 * @bkt: first of @nbkt entries of the bucket table, when @nbkt is not 0.
 * @battr: the object attribute the buckets split on.
 * @nbkt: buckets: bucket b holds the rules of the list that can apply
 *	when @battr's word is (1 << b); 0: no buckets.
 * @pad: 0.
 */
struct abac_cls_op {
	__u32 first;
	__u32 count;
	__u32 bkt;
	__u8 battr;
	__u8 nbkt;
	__u16 pad;
};

#define ABAC_CLS_RECORDS	ABAC_OP_COUNT	/* a class's struct abac_cls_op */
#define ABAC_CLASS_NONE		0	/* a subject, request without a class */
/* Records the rule index may take: past them, subjects get no class. */
#define ABAC_INDEX_RECORDS	(ABAC_CHUNK_RECORDS / 4)
#define ABAC_BUCKET_MIN		8	/* longer (class, op) lists get buckets */

/**
 * struct abac_net - one network object: two records, then the object
 * attributes it gives (ABAC_ATTRS_RECORDS records).
 * @family: 4 or 6.
 * @prefix: prefix length in bits.
 * @port_lo: first port, host order.
 * @port_hi: last port (0..65535 for "any port").
 * @pad: 0.
 * @name_str: string table offset of the network's name.
 * @pad2: 0.
 * @addr: the address, network order; IPv4 in the first 4 bytes.
 */
struct abac_net {
	__u8 family;
	__u8 prefix;
	__u16 port_lo;
	__u16 port_hi;
	__u16 pad;
	__u32 name_str;
	__u32 pad2;
	__u8 addr[16];
};

#define ABAC_NET_RECORDS	(2 + ABAC_ATTRS_RECORDS)

/**
 * struct abac_rule - one rule record.
 * @ops: mask of (1 << enum abac_op) the rule applies to.
 * @effect: enum abac_effect.
 * @ncond: conditions, all of which must hold, from record @cond.
 * @layer: the policy layer (0: the top layer) the rule belongs to.
 * @cond: first condition record (absolute record index).
 * @str: string table offset of "id\0nlp\0".
 * @pad: 0.
 */
struct abac_rule {
	__u32 ops;
	__u8 effect;
	__u8 ncond;
	__u8 layer;
	__u8 pad;
	__u32 cond;
	__u32 str;
};

/**
 * struct abac_cond - one condition record.
 * @side: enum abac_side of @attr.
 * @attr: attribute number on @side.
 * @kind: enum abac_cond_kind.
 * @rhs: attribute number on @rhs_side for the relation kinds.
 * @rhs_side: enum abac_side of @rhs.
 * @pad: 0.
 * @mask: the constant the kind compares with (values, biased int, time).
 */
struct abac_cond {
	__u8 side;
	__u8 attr;
	__u8 kind;
	__u8 rhs;
	__u8 rhs_side;
	__u8 pad[3];
	__u64 mask;
};

/**
 * struct abac_dict_ent - one label dictionary slot.
 * @hash: abac_pair_hash() of a label pair's key and value hashes, or of
 *	the key hash and 0 for an open attribute; 0 marks an empty slot.
 * @attr: object attribute number.
 * @bit: value number, the bit set in the attribute's mask; 0 for an
 *	open attribute.
 * @flags: ABAC_DICT_SINGLE when the attribute holds one value at most;
 *	ABAC_DICT_OPEN when the entry stands for every value of an open
 *	attribute: the value's word is its hash (abac_hash_word());
 *	ABAC_DICT_SET with ABAC_DICT_OPEN when that attribute is an open
 *	set: every pair of its key is a member (abac_label_resolve_obj()).
 * @pad: 0.
 */
struct abac_dict_ent {
	__u64 hash;
	__u8 attr;
	__u8 bit;
	__u8 flags;
	__u8 pad[5];
};

#define ABAC_DICT_SINGLE	0x1
#define ABAC_DICT_OPEN		0x2
#define ABAC_DICT_SET		0x4

/*
 * A subject slot is ABAC_SUBJ_RECORDS records: a key record, then the
 * attribute masks.  Slot i starts at record subj_off + i * ABAC_SUBJ_RECORDS.
 */
#define ABAC_SUBJ_RECORDS	(1 + ABAC_MAX_ATTRS * 8 / ABAC_REC_SIZE)

/**
 * struct abac_subj_key - the first record of a subject slot.
 * @cgroup_id: the tagged cgroup's id (its inode number); 0: empty slot.
 * @level: the cgroup's depth below the root.
 * @cls: its subject class in the rule index (1 to &struct
 *	abac_image_hdr.ncls), or ABAC_CLASS_NONE: decided by the operation
 *	rule list.
 * @caps: the withheld capabilities the policy grants this subject back
 *	(its capabilities: section), and "setup" (ABAC_CAP_SETUP), one
 *	ABAC_CAP_GRANT_BIT() each; only bits of ABAC_CAPS_GRANTABLE.
 */
struct abac_subj_key {
	__u64 cgroup_id;
	__u16 level;
	__u16 cls;
	__u32 caps;
};

/*
 * The key cgroup id of a binding's template slot: no cgroup has it (ids
 * are kernfs inode numbers, far below), so no lookup by id finds it.
 */
#define ABAC_SUBJ_BOUND		(~0ULL)

/* Records of a binding's name pattern, and of one binding in all. */
#define ABAC_BIND_NAME_RECORDS	((ABAC_BIND_NAME_MAX + ABAC_REC_SIZE) / ABAC_REC_SIZE)
#define ABAC_BIND_RECORDS	(1 + ABAC_SUBJ_RECORDS + ABAC_BIND_NAME_RECORDS)

/**
 * struct abac_bind - the first record of a binding in the binding table
 *	(&struct abac_image_hdr.bind_off): a cgroup whose parent is
 *	@parent_id and whose own name matches the pattern takes the
 *	attributes of the template slot that follows this record, from the
 *	first instruction its processes run, before abacd tags it by id.
 * @parent_id: the id of the parent cgroup (the directory the binding's
 *	cgroups appear in); never 0.
 * @pre_len: bytes the name must start with: the pattern's first bytes.
 * @suf_len: bytes it must end with: the pattern's bytes after its '*'.
 * @glob: 1 when the pattern holds a '*' (any bytes, none included,
 *	between the two); 0: the name is exactly the @pre_len bytes.
 * @pad: 0.
 *
 * The pattern's bytes (@pre_len then @suf_len, the '*' left out) are in
 * the ABAC_BIND_NAME_RECORDS records after the template slot, 0 after
 * them; @pre_len + @suf_len is at most ABAC_BIND_NAME_MAX.
 */
struct abac_bind {
	__u64 parent_id;
	__u8 pre_len;
	__u8 suf_len;
	__u8 glob;
	__u8 pad[5];
};

/**
 * struct abac_rec - one 16-byte record, the unit of an image.
 * @b: its bytes; read it through the typed views above.
 */
struct abac_rec {
	__u8 b[ABAC_REC_SIZE];
};

/**
 * struct abac_chunk_stamp - the first record of every chunk after the
 *	first (record k * ABAC_CHUNK_RECORDS, k >= 1) that the condition
 *	table reaches: it is no condition, no rule names it, and the content
 *	hash reads it as 0.  A BPF program reads a condition past chunk 0
 *	only from a chunk whose stamp names the image it decides with, so
 *	that a chunk of another image is never read as this one's.
 * @content_hash: the image's &struct abac_image_hdr.content_hash.
 * @chunk: k.
 * @magic: ABAC_CHUNK_MAGIC.
 */
struct abac_chunk_stamp {
	__u64 content_hash;
	__u32 chunk;
	__u32 magic;
};

/*
 * Is record @rec of the image with header @h a chunk stamp?  Record
 * k * ABAC_CHUNK_RECORDS, k >= 1, inside the condition table.
 */
static inline int abac_rec_is_stamp(const struct abac_image_hdr *h,
				    __u64 rec)
{
	return rec && !(rec & (ABAC_CHUNK_RECORDS - 1)) &&
	       rec >= h->conds_off && rec < (__u64)h->conds_off + h->nconds;
}

/* Why a decision went the way it did. */
enum abac_reason {
	ABAC_REASON_RULE = 0,		/* a rule decided; see rule index */
	ABAC_REASON_DEFAULT = 1,	/* no rule applied: default effect */
	ABAC_REASON_BAD_LABEL = 2,	/* label malformed or unknown: closed */
	ABAC_REASON_BAD_IMAGE = 3,	/* image unreadable: fail closed */
	ABAC_REASON_INDETERMINATE = 4,	/* a rule could not be decided */
	ABAC_REASON_GUARD = 5,		/* tamper guard: see event's guard */
};

/**
 * enum abac_guard - what a tagged subject tried against abac itself,
 * refused by the tamper guard (bpf/guard.bpf.c) whatever its uid or
 * capabilities.  Carried in &struct abac_event.guard with
 * ABAC_REASON_GUARD; ABAC_GUARD_NONE in every other event.
 * @ABAC_GUARD_NONE: not a guard refusal.
 * @ABAC_GUARD_LABEL_SET: setxattr user.abac.
 * @ABAC_GUARD_LABEL_REMOVE: removexattr user.abac.
 * @ABAC_GUARD_CGROUP_WRITE: write to a cgroup2 file.
 * @ABAC_GUARD_CGROUP_MKDIR: create a cgroup.
 * @ABAC_GUARD_CGROUP_RMDIR: remove a cgroup.
 * @ABAC_GUARD_CGROUP_RENAME: rename a cgroup.
 * @ABAC_GUARD_BPF: any bpf() command.
 * @ABAC_GUARD_BPF_MAP: a BPF map fd.
 * @ABAC_GUARD_BPF_PROG: a BPF program fd.
 * @ABAC_GUARD_BPFFS: change bpffs (the pins).
 * @ABAC_GUARD_MOUNT: mount(2).
 * @ABAC_GUARD_UMOUNT: umount(2).
 * @ABAC_GUARD_MOVE_MOUNT: move_mount(2).
 * @ABAC_GUARD_PIVOT_ROOT: pivot_root(2).
 * @ABAC_GUARD_SIGNAL: signal the agent.
 * @ABAC_GUARD_PTRACE: ptrace, /proc/PID/mem, process_vm_*.
 * @ABAC_GUARD_AGENT_PROC: open /proc/AGENT/...
 * @ABAC_GUARD_AGENT_SCHED: nice, scheduler, prlimit on the agent.
 * @ABAC_GUARD_SOCKET: connect to the control socket.
 * @ABAC_GUARD_PROTECTED: write under /etc/abac, /var/lib/abac, /var/log/abac.
 * @ABAC_GUARD_SECURITYFS: write the native LSM's securityfs files.
 * @ABAC_GUARD_CLOCK: set the clock time windows read.
 * @ABAC_GUARD_MODULE: load a kernel module.
 * @ABAC_GUARD_CAPABILITY: use a capability of ABAC_CAPS_WITHHELD.
 * @ABAC_GUARD_USERNS: create a user namespace.
 * @ABAC_GUARD_OTHER_PROCESS: trace or steer another subject's process.
 * @ABAC_GUARD_KERNEL_INTERFACE: write a sysctl, sysfs ...; open debugfs.
 * @ABAC_GUARD_RAW_DEVICE: open a block device, kernel memory.
 * @ABAC_GUARD_SYSTEM_FILE: change a system tree (/etc, /usr ...).
 * @ABAC_GUARD_TABLE_FULL: a label a full table has no room for.
 * @ABAC_GUARD_COUNT: number of kinds.
 */
enum abac_guard {
	ABAC_GUARD_NONE = 0,
	ABAC_GUARD_LABEL_SET = 1,
	ABAC_GUARD_LABEL_REMOVE = 2,
	ABAC_GUARD_CGROUP_WRITE = 3,
	ABAC_GUARD_CGROUP_MKDIR = 4,
	ABAC_GUARD_CGROUP_RMDIR = 5,
	ABAC_GUARD_CGROUP_RENAME = 6,
	ABAC_GUARD_BPF = 7,
	ABAC_GUARD_BPF_MAP = 8,
	ABAC_GUARD_BPF_PROG = 9,
	ABAC_GUARD_BPFFS = 10,
	ABAC_GUARD_MOUNT = 11,
	ABAC_GUARD_UMOUNT = 12,
	ABAC_GUARD_MOVE_MOUNT = 13,
	ABAC_GUARD_PIVOT_ROOT = 14,
	ABAC_GUARD_SIGNAL = 15,
	ABAC_GUARD_PTRACE = 16,
	ABAC_GUARD_AGENT_PROC = 17,
	ABAC_GUARD_AGENT_SCHED = 18,
	ABAC_GUARD_SOCKET = 19,
	ABAC_GUARD_PROTECTED = 20,
	ABAC_GUARD_SECURITYFS = 21,
	ABAC_GUARD_CLOCK = 22,
	ABAC_GUARD_MODULE = 23,
	ABAC_GUARD_CAPABILITY = 24,
	ABAC_GUARD_USERNS = 25,
	ABAC_GUARD_OTHER_PROCESS = 26,
	ABAC_GUARD_KERNEL_INTERFACE = 27,
	ABAC_GUARD_RAW_DEVICE = 28,
	ABAC_GUARD_SYSTEM_FILE = 29,
	ABAC_GUARD_TABLE_FULL = 30,
	ABAC_GUARD_COUNT,
};

/*
 * Capabilities by the kernel's numbers (linux/capability.h), those the
 * guard withholds from tagged subjects, and ABAC_CAP_USERNS, which stands
 * for creating a user namespace (no capability; the userns_create hook).
 * Documentation/threat-model.rst says which operation each protects.
 */
#define ABAC_CAP_LINUX_IMMUTABLE	9
#define ABAC_CAP_NET_ADMIN		12
#define ABAC_CAP_NET_RAW		13
#define ABAC_CAP_SYS_MODULE		16
#define ABAC_CAP_SYS_RAWIO		17
#define ABAC_CAP_SYS_PTRACE		19
#define ABAC_CAP_SYS_ADMIN		21
#define ABAC_CAP_SYS_BOOT		22
#define ABAC_CAP_SYS_TIME		25
#define ABAC_CAP_MAC_OVERRIDE		32
#define ABAC_CAP_MAC_ADMIN		33
#define ABAC_CAP_PERFMON		38
#define ABAC_CAP_BPF			39
#define ABAC_CAP_LAST			40	/* CAP_CHECKPOINT_RESTORE, 6.12 */
#define ABAC_CAP_USERNS			63
/*
 * Not a capability either: "setup", the grant that lets a process of the
 * subject still in set-up (moved into its cgroup by another, not yet past
 * an execve there) do what a container runtime's set-up needs: mounts,
 * namespaces, the withheld capabilities (Documentation/threat-model.rst,
 * "Set-up").  Not in ABAC_CAPS_WITHHELD: the capable hook never sees it.
 */
#define ABAC_CAP_SETUP			62

/*
 * The withheld capabilities by the names events and the policy language
 * give them, X(number, "name") each: one list for the guard's tables
 * (bpf/guard_caps.h, lsm/guard_caps.c) and the compiler's
 * (tools/lib/grants.c).
 */
#define ABAC_CAPS_WITHHELD_NAMES(X)					\
	X(ABAC_CAP_LINUX_IMMUTABLE, "linux_immutable")			\
	X(ABAC_CAP_NET_ADMIN, "net_admin")				\
	X(ABAC_CAP_NET_RAW, "net_raw")					\
	X(ABAC_CAP_SYS_MODULE, "sys_module")				\
	X(ABAC_CAP_SYS_RAWIO, "sys_rawio")				\
	X(ABAC_CAP_SYS_PTRACE, "sys_ptrace")				\
	X(ABAC_CAP_SYS_ADMIN, "sys_admin")				\
	X(ABAC_CAP_SYS_BOOT, "sys_boot")				\
	X(ABAC_CAP_SYS_TIME, "sys_time")				\
	X(ABAC_CAP_MAC_OVERRIDE, "mac_override")			\
	X(ABAC_CAP_MAC_ADMIN, "mac_admin")				\
	X(ABAC_CAP_PERFMON, "perfmon")					\
	X(ABAC_CAP_BPF, "bpf")

#define ABAC_CAP_BIT(cap)		(1ULL << (cap))
#define ABAC_CAPS_WITHHELD						\
	(ABAC_CAP_BIT(ABAC_CAP_LINUX_IMMUTABLE) |			\
	 ABAC_CAP_BIT(ABAC_CAP_NET_ADMIN) |				\
	 ABAC_CAP_BIT(ABAC_CAP_NET_RAW) |				\
	 ABAC_CAP_BIT(ABAC_CAP_SYS_MODULE) |				\
	 ABAC_CAP_BIT(ABAC_CAP_SYS_RAWIO) |				\
	 ABAC_CAP_BIT(ABAC_CAP_SYS_PTRACE) |				\
	 ABAC_CAP_BIT(ABAC_CAP_SYS_ADMIN) |				\
	 ABAC_CAP_BIT(ABAC_CAP_SYS_BOOT) |				\
	 ABAC_CAP_BIT(ABAC_CAP_SYS_TIME) |				\
	 ABAC_CAP_BIT(ABAC_CAP_MAC_OVERRIDE) |				\
	 ABAC_CAP_BIT(ABAC_CAP_MAC_ADMIN) |				\
	 ABAC_CAP_BIT(ABAC_CAP_PERFMON) |				\
	 ABAC_CAP_BIT(ABAC_CAP_BPF) |					\
	 ABAC_CAP_BIT(ABAC_CAP_USERNS))

/* What a policy's capabilities: section can grant: those and "setup". */
#define ABAC_CAPS_GRANTS						\
	(ABAC_CAPS_WITHHELD | ABAC_CAP_BIT(ABAC_CAP_SETUP))

/*
 * A grant as a bit of &struct abac_subj_key.caps: its number modulo 32,
 * which no two of ABAC_CAPS_GRANTS share (asserted below), so that a
 * subject's grants fit the key record.
 */
#define ABAC_CAP_GRANT_BIT(cap)		(1U << ((cap) & 31))
#define ABAC_CAPS_GRANTABLE						\
	((__u32)(ABAC_CAPS_GRANTS & 0xffffffffULL) |			\
	 (__u32)(ABAC_CAPS_GRANTS >> 32))

#define ABAC_RULE_NONE		0xffffffffU

/**
 * struct abac_event - a decision record sent from the kernel to the agent.
 * @boot_ns: CLOCK_BOOTTIME of the decision.
 * @cgroup_id: the process's cgroup.
 * @subj_cgroup_id: the tagged cgroup whose tags applied.
 * @ino: the object's inode number.
 * @dev: the object's device (kernel encoding, MAJOR << 20 | MINOR).
 * @pid: thread group id.
 * @tid: thread id.
 * @uid: real uid.
 * @gid: real gid.
 * @generation: the image generation that decided.
 * @content_hash: that image's content hash.
 * @rule: index of the deciding rule, or ABAC_RULE_NONE.
 * @op: enum abac_op.
 * @allowed: 1 if the access went ahead (allowed, or audit mode).
 * @effect: enum abac_effect the policy decided.
 * @mode: enum abac_mode of the image.
 * @reason: enum abac_reason.
 * @errno_val: errno returned to the caller, 0 when allowed.
 * @guard: enum abac_guard when @reason is ABAC_REASON_GUARD, else 0.
 * @pad: 0.
 * @comm: the task's comm.
 * @path: the object's path, NUL-terminated, possibly cut.
 * @first_ns: CLOCK_BOOTTIME of the first decision this record stands for
 *	(@boot_ns is the last's); equal to @boot_ns when @count is 1.
 * @count: decisions this record stands for, 1 unless folded (@fold).
 * @lost_before: records the ring buffer had no room for since the record
 *	before this one (named in the agent's "lost" line).
 * @fold: enum abac_fold: what the decisions of this record share.
 * @label_from: enum abac_label_from: where the object's label came from.
 * @env_wday: the local weekday the decision read (0 Sunday), or
 *	ABAC_ENV_UNREAD when it read neither the clock nor the environment.
 * @pad2: 0.
 * @env_minute: the local minute of the day it read, with @env_wday.
 * @pad3: 0.
 * @label_ino: the inode the label is on: the object's own, or the
 *	labelled directory it inherits from; 0 when none or not known.
 * @label_dev: that inode's device (kernel encoding).
 * @env_generation: the generation of the operator's environment the
 *	decision read (struct abac_env_state), with @env_wday.
 */
struct abac_event {
	__u64 boot_ns;
	__u64 cgroup_id;
	__u64 subj_cgroup_id;
	__u64 ino;
	__u32 dev;
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__u32 gid;
	__u32 generation;
	__u64 content_hash;
	__u32 rule;
	__u8 op;
	__u8 allowed;
	__u8 effect;
	__u8 mode;
	__u8 reason;
	__u8 errno_val;
	__u8 guard;
	__u8 pad[5];
	char comm[16];
	char path[ABAC_PATH_MAX];
	__u64 first_ns;
	__u32 count;
	__u32 lost_before;
	__u8 fold;
	__u8 label_from;
	__u8 env_wday;
	__u8 pad2;
	__u16 env_minute;
	__u16 pad3;
	__u64 label_ino;
	__u32 label_dev;
	__u32 env_generation;
};

#define ABAC_ENV_UNREAD		0xff	/* abac_event.env_wday */

/**
 * enum abac_label_from - where the label a decision read came from.
 * @ABAC_LABEL_FROM_NONE: no label (the default effect decided), or a
 *	guard refusal.
 * @ABAC_LABEL_FROM_OWN: the object's own label.
 * @ABAC_LABEL_FROM_DIR: the label of the nearest labelled directory
 *	above it.
 * @ABAC_LABEL_FROM_BAD: a label that did not parse, or a path that could
 *	not be walked (fail closed).
 * @ABAC_LABEL_FROM_NET: a network object: the policy's networks.
 * @ABAC_LABEL_FROM_COUNT: number of kinds.
 */
enum abac_label_from {
	ABAC_LABEL_FROM_NONE = 0,
	ABAC_LABEL_FROM_OWN = 1,
	ABAC_LABEL_FROM_DIR = 2,
	ABAC_LABEL_FROM_BAD = 3,
	ABAC_LABEL_FROM_NET = 4,
	ABAC_LABEL_FROM_COUNT,
};

/**
 * abac_label_origin() - where the label a decision read came from.
 * @network: the object is a network object (the policy's networks).
 * @labelled: a label (own, inherited or bad) stood for the object.
 * @parsed: that label parsed.
 * @own_inode: that label was read from the object's own inode.
 *
 * One answer for the BPF programs and the native LSM, so that their
 * events say the same.
 *
 * Return: an enum abac_label_from.
 */
static inline __u8 abac_label_origin(int network, int labelled, int parsed,
				     int own_inode)
{
	if (network)
		return ABAC_LABEL_FROM_NET;
	if (!labelled)
		return ABAC_LABEL_FROM_NONE;
	if (!parsed)
		return ABAC_LABEL_FROM_BAD;
	return own_inode ? ABAC_LABEL_FROM_OWN : ABAC_LABEL_FROM_DIR;
}

/**
 * enum abac_fold - what the decisions a record stands for share.
 * @ABAC_FOLD_NONE: one decision.
 * @ABAC_FOLD_OBJECT: repeats of one denial: the same subject cgroup,
 *	rule, operation and object inode, within the fold window.
 * @ABAC_FOLD_RULE: the subject cgroup was past its event budget: its
 *	denials by one rule and operation, whatever the object (the path is
 *	the last one's).
 * @ABAC_FOLD_COUNT: number of kinds.
 */
enum abac_fold {
	ABAC_FOLD_NONE = 0,
	ABAC_FOLD_OBJECT = 1,
	ABAC_FOLD_RULE = 2,
	ABAC_FOLD_COUNT,
};

#define ABAC_FOLD_WINDOW_MS_DEFAULT	1000	/* events: fold-window */
#define ABAC_EVENT_BUDGET_DEFAULT	1000	/* events: budget, records/s */
#define ABAC_EVENT_BURST_FACTOR		2	/* burst: 2 s of budget */
#define ABAC_EVCFG_F_NOFOLD		0x1	/* fold-window: 0 */
#define ABAC_FOLD_WAYS			4	/* slots a key may take */
#define ABAC_ALLOW_SAMPLE_MAX		1000000	/* events: sample-allows */

/**
 * struct abac_event_cfg - how the programs report decisions: the
 *	policy's "events" settings, written by the agent (map
 *	abac_fold_cfg; native: securityfs event_cfg).  All zero: the
 *	defaults.
 * @fold_window_ns: repeats within this window fold into one record; 0:
 *	ABAC_FOLD_WINDOW_MS_DEFAULT.
 * @budget: records a second one cgroup may send (a burst of
 *	ABAC_EVENT_BURST_FACTOR seconds' worth) before its denials fold per
 *	rule and operation; 0: ABAC_EVENT_BUDGET_DEFAULT.
 * @flags: ABAC_EVCFG_F_*.
 * @allow_sample: report an allowed decision with a chance of one in
 *	this many (0: never), while the event ring is less than half full,
 *	so that sampled allows never take a denial's room; never folded.
 * @pad: 0.
 */
struct abac_event_cfg {
	__u64 fold_window_ns;
	__u32 budget;
	__u32 flags;
	__u32 allow_sample;
	__u32 pad;
};

/**
 * struct abac_lost_key - whose records the ring buffer had no room for
 *	(map abac_lost, counts per key, read and cleared by the agent).
 * @cgroup_id: the process's cgroup; 0 for those no key had room for.
 * @rule: the deciding rule, or ABAC_RULE_NONE.
 * @op: enum abac_op.
 */
struct abac_lost_key {
	__u64 cgroup_id;
	__u32 rule;
	__u32 op;
};

/**
 * struct abac_lost_rec - one count of lost records, as the native LSM's
 *	securityfs file "lost" hands them out (each read takes them).
 * @key: whose they were.
 * @n: how many.
 */
struct abac_lost_rec {
	struct abac_lost_key key;
	__u64 n;
};

/**
 * struct abac_counters - per-CPU counters, summed by the agent.
 * @decisions: decisions taken for tagged subjects.
 * @denied: accesses refused.
 * @audited: denials let through in audit mode.
 * @events_lost: events the ring buffer had no room for.
 * @bad_labels: labels that did not parse.
 * @guarded: tamper attempts the guard refused.
 * @folded: denials folded into another's record (enum abac_fold).
 * @pad: 0.
 */
struct abac_counters {
	__u64 decisions;
	__u64 denied;
	__u64 audited;
	__u64 events_lost;
	__u64 bad_labels;
	__u64 guarded;
	__u64 folded;
	__u64 pad;
};

/**
 * struct abac_rule_hits - how many decisions one rule of the image in
 *	force took (a per-CPU array indexed by rule; native: one counter per
 *	rule of the loaded image, in its securityfs rule_hits file).
 * @generation: the image generation the count belongs to; a decision
 *	under another generation starts the count again, so that an index
 *	never carries the hits of the rule an older image had there.
 * @pad: 0.
 * @hits: decisions the rule took under @generation, from a cached
 *	decision too; a deny rule's hits are its refusals (audit mode: the
 *	refusals it would have made).
 */
struct abac_rule_hits {
	__u32 generation;
	__u32 pad;
	__u64 hits;
};

/**
 * struct abac_guard_key - an inode the tamper guard protects: a key of the
 * guard's inode map, filled by the agent.
 * @ino: the inode number.
 * @dev: its device, kernel encoding (MAJOR << 20 | MINOR).
 * @pad: 0.
 */
struct abac_guard_key {
	__u64 ino;
	__u32 dev;
	__u32 pad;
};

/**
 * enum abac_guard_inode - the value of a guard inode map entry: one or
 *	more of these bits (an inode may be several things at once).
 * @ABAC_GUARD_INODE_TREE: a protected file or directory: tagged subjects
 *	may not write it, nor create, remove or rename in it.
 * @ABAC_GUARD_INODE_SOCKET: the agent's control socket: tagged subjects
 *	may connect to it only when a rule allows them "administer".
 * @ABAC_GUARD_INODE_SYSTEM: the top of a system tree (/etc, /usr ...):
 *	code and configuration that untagged processes load; tagged
 *	subjects may not change it nor anything below it.
 * @ABAC_GUARD_INODE_AGENT: the agent's binary: an untagged exec of it
 *	makes the new process an agent at once (BPF guard).
 * @ABAC_GUARD_INODE_RAW_CHAR: not an inode (@ino 0): @dev's major is a
 *	raw character device's whose major the kernel chose (bsg,
 *	nvme-generic ...), which tagged subjects may not open.  Native
 *	LSM's guard file only; the BPF guard has abac_guard_devs.
 *
 * Both guards take a directory of kind TREE or SYSTEM to protect
 * everything below it, found by walking up from the entry (bpf/guard.h
 * protected_kind(), lsm/guard.c abac_protected_kind()).
 */
enum abac_guard_inode {
	ABAC_GUARD_INODE_TREE = 1,
	ABAC_GUARD_INODE_SOCKET = 2,
	ABAC_GUARD_INODE_SYSTEM = 4,
	ABAC_GUARD_INODE_AGENT = 8,
	ABAC_GUARD_INODE_RAW_CHAR = 16,
};

/**
 * struct abac_guard_cfg - slot 0 of the guard's configuration map.
 * @agent_tgid: the agent's pid (global pid namespace); 0: none yet.
 * @flags: reserved, 0.
 * @reserved: 0.
 */
struct abac_guard_cfg {
	__u32 agent_tgid;
	__u32 flags;
	__u64 reserved[3];
};

/**
 * struct abac_guard_ent - one inode the native LSM's guard protects: the
 *	entries an agent writes to /sys/kernel/security/abac/guard, after a
 *	struct abac_guard_hdr.
 * @ino: the inode number.
 * @dev: its device, kernel encoding (MAJOR << 20 | MINOR).
 * @kind: enum abac_guard_inode.
 */
struct abac_guard_ent {
	__u64 ino;
	__u32 dev;
	__u32 kind;
};

#define ABAC_GUARD_MAGIC	0x44524147U	/* "GARD", little endian */

/**
 * struct abac_guard_hdr - the head of a write to the native LSM's guard
 *	file: the writer becomes the agent the guard shields, and the
 *	entries that follow replace the protected inodes.
 * @magic: ABAC_GUARD_MAGIC.
 * @nent: struct abac_guard_ent entries that follow.
 */
struct abac_guard_hdr {
	__u32 magic;
	__u32 nent;
};

/* FNV-1a 64, the hash of labels, image content and nothing secret. */
#define ABAC_FNV_OFFSET		0xcbf29ce484222325ULL
#define ABAC_FNV_PRIME		0x100000001b3ULL

static inline __u64 abac_hash_byte(__u64 h, __u8 c)
{
	return (h ^ c) * ABAC_FNV_PRIME;
}

/*
 * The label dictionary's key for one pair: @k the FNV-1a 64 of "key=",
 * @v the word of the value (abac_hash_word() of its SipHash under the
 * image's key), or 0 for the entry of an open attribute.  Never 0.
 */
static inline __u64 abac_pair_hash(__u64 k, __u64 v)
{
	__u64 h = (k ^ ((v << 29) | (v >> 35))) * ABAC_FNV_PRIME;

	h ^= h >> 32;
	return h ? h : 1;
}

/*
 * The /proc/PID files whose open is the kernel's only check of the
 * opener's right to the process (ptrace_may_access at open): a
 * descriptor to one, opened before its holder was tagged or passed in,
 * reads or writes another process's memory, maps or environment unless
 * each read is decided too.  Both guards decide them at file_permission.
 */
#define ABAC_PROC_NAME_LEN	16

/* Is NUL-terminated @name (within ABAC_PROC_NAME_LEN bytes) @lit? */
static inline int abac_name_is(const char *name, const char *lit)
{
	int i;

	for (i = 0; i < ABAC_PROC_NAME_LEN; i++) {
		if (name[i] != lit[i])
			return 0;
		if (!lit[i])
			return 1;
	}
	return 0;
}

static inline int abac_proc_opens_memory(const char *name)
{
	return abac_name_is(name, "mem") || abac_name_is(name, "environ") ||
	       abac_name_is(name, "auxv") || abac_name_is(name, "maps") ||
	       abac_name_is(name, "smaps") ||
	       abac_name_is(name, "smaps_rollup") ||
	       abac_name_is(name, "numa_maps") ||
	       abac_name_is(name, "pagemap");
}

/* Compile-time layout checks, identical in all three builds. */
#define ABAC_ABI_ASSERT(cond) _Static_assert(cond, #cond)
ABAC_ABI_ASSERT(sizeof(struct abac_image_hdr) == ABAC_HDR_RECORDS * ABAC_REC_SIZE);
ABAC_ABI_ASSERT(sizeof(struct abac_rule) == ABAC_REC_SIZE);
ABAC_ABI_ASSERT(sizeof(struct abac_cond) == ABAC_REC_SIZE);
ABAC_ABI_ASSERT(sizeof(struct abac_chunk_stamp) == ABAC_REC_SIZE);
ABAC_ABI_ASSERT(ABAC_MAX_KERNEL_RULES < ABAC_CHUNK_RECORDS);
ABAC_ABI_ASSERT(sizeof(struct abac_dict_ent) == ABAC_REC_SIZE);
ABAC_ABI_ASSERT(sizeof(struct abac_subj_key) == ABAC_REC_SIZE);
ABAC_ABI_ASSERT(sizeof(struct abac_bind) == ABAC_REC_SIZE);
ABAC_ABI_ASSERT(__builtin_popcountll(ABAC_CAPS_GRANTS) ==
		__builtin_popcount(ABAC_CAPS_GRANTABLE));
ABAC_ABI_ASSERT(!(ABAC_CAPS_WITHHELD & ABAC_CAP_BIT(ABAC_CAP_SETUP)));
ABAC_ABI_ASSERT(sizeof(struct abac_attrs) == (ABAC_SUBJ_RECORDS - 1) * ABAC_REC_SIZE);
ABAC_ABI_ASSERT(sizeof(struct abac_env_state) == 152 + ABAC_ENV_TEXT_MAX);
ABAC_ABI_ASSERT(sizeof(struct abac_op_span) == 8);
ABAC_ABI_ASSERT(sizeof(struct abac_cls_op) == ABAC_REC_SIZE);
ABAC_ABI_ASSERT(sizeof(struct abac_attr_meta) == ABAC_REC_SIZE);
ABAC_ABI_ASSERT(sizeof(struct abac_net) == 2 * ABAC_REC_SIZE);
ABAC_ABI_ASSERT(sizeof(struct abac_event) == 392);
ABAC_ABI_ASSERT(sizeof(struct abac_event_cfg) == 24);
ABAC_ABI_ASSERT(sizeof(struct abac_lost_key) == 16);
ABAC_ABI_ASSERT(sizeof(struct abac_lost_rec) == 24);
ABAC_ABI_ASSERT(sizeof(struct abac_counters) == 64);
ABAC_ABI_ASSERT(ABAC_OP_COUNT <= 32);
ABAC_ABI_ASSERT((ABAC_LABEL_MAX & (ABAC_LABEL_MAX - 1)) == 0);
ABAC_ABI_ASSERT((ABAC_LABEL_PAIRS & (ABAC_LABEL_PAIRS - 1)) == 0);
ABAC_ABI_ASSERT((ABAC_LABEL_SET_MEMBERS & (ABAC_LABEL_SET_MEMBERS - 1)) == 0);
ABAC_ABI_ASSERT(ABAC_LABEL_SET_MEMBERS <= ABAC_SET_MEMBERS);
ABAC_ABI_ASSERT(sizeof(struct abac_object) ==
		sizeof(struct abac_attrs) + ABAC_LABEL_SET_MEMBERS * 8 + 8);
ABAC_ABI_ASSERT(sizeof(struct abac_guard_key) == 16);
ABAC_ABI_ASSERT(sizeof(struct abac_guard_cfg) == 32);
ABAC_ABI_ASSERT(sizeof(struct abac_guard_ent) == 16);
ABAC_ABI_ASSERT(sizeof(struct abac_guard_hdr) == 8);

#endif /* _ABAC_ABI_H */
