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
 * image as the single ABAC_IMAGE_BYTES value of an array map (an inner map
 * of a map-in-map, so that a new image replaces the old one with one
 * update); the kernel and user space hold it as flat memory.  Either way the
 * decision core (abac_decide.h) reads records by index from one base
 * pointer, so one piece of code decides in all three places.
 */
#ifndef _ABAC_ABI_H
#define _ABAC_ABI_H

#define ABAC_MAGIC		0x43414241U	/* "ABAC", little endian */
#define ABAC_ABI_VERSION	1

#define ABAC_REC_SIZE		16
#define ABAC_HDR_RECORDS	8	/* 128-byte header */

/* Limits, all checked by the compiler and by the image loader. */
#define ABAC_MAX_ATTRS		16	/* attributes per side */
#define ABAC_MAX_VALUES		64	/* values per attribute: bits of a mask */
#define ABAC_MAX_CONDS		16	/* conditions per rule */
#define ABAC_MAX_RULES		4096
#define ABAC_MAX_SUBJECTS	4096	/* tagged cgroups */
#define ABAC_IMAGE_RECORDS	(1U << 16)	/* records an image may hold */
#define ABAC_IMAGE_BYTES	(ABAC_IMAGE_RECORDS * ABAC_REC_SIZE)
#define ABAC_MAX_CGROUP_DEPTH	16	/* ancestors searched for a tag */
#define ABAC_LABEL_XATTR	"user.abac"
#define ABAC_LABEL_MAX		256	/* bytes of a user.abac value */
#define ABAC_LABEL_PAIRS	32	/* "key=value" pairs in one label */
#define ABAC_NAME_MAX		64	/* attribute, value, policy name, id */
#define ABAC_PATH_MAX		256	/* path bytes carried in an event */
#define ABAC_DICT_PROBES	8	/* linear probes in the label dictionary */
#define ABAC_SUBJ_PROBES	8	/* linear probes in the subject table */

/**
 * enum abac_op - operations a rule may name; a rule's ops is a bit mask
 * of (1 << op).
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
	ABAC_OP_ADMINISTER = 9,	/* reach abacd's control socket (guard) */
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

enum abac_combining {
	ABAC_COMBINE_DENY_OVERRIDES = 0,
};

/**
 * enum abac_cond_kind - how a condition tests its attribute.
 *
 * Every attribute value is a 64-bit mask of value numbers: a string
 * attribute sets one bit, an absent attribute is 0.  A condition
 * therefore costs one AND whatever the number of values it lists.
 *
 * @ABAC_COND_ANY: the attribute holds one of the values in @mask.
 * @ABAC_COND_NONE: the attribute is present and holds none of @mask.
 * @ABAC_COND_PRESENT: the attribute is present.
 * @ABAC_COND_ABSENT: the attribute is absent.
 * @ABAC_COND_REL_EQ: subject attribute @attr and object attribute @rhs
 *	share a value (both present).
 * @ABAC_COND_REL_NE: both present and share no value.
 */
enum abac_cond_kind {
	ABAC_COND_ANY = 0,
	ABAC_COND_NONE = 1,
	ABAC_COND_PRESENT = 2,
	ABAC_COND_ABSENT = 3,
	ABAC_COND_REL_EQ = 4,
	ABAC_COND_REL_NE = 5,
	ABAC_COND_KIND_COUNT,
};

enum abac_side {
	ABAC_SIDE_SUBJECT = 0,
	ABAC_SIDE_OBJECT = 1,
};

/**
 * struct abac_attrs - the attributes of one subject or one object.
 * @v: per attribute number, the mask of its values (0: absent).
 */
struct abac_attrs {
	__u64 v[ABAC_MAX_ATTRS];
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
 * @flags: reserved, 0.
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
 * @reserved: 0.
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
	__u8 reserved[48];
};

/**
 * struct abac_rule - one rule record.
 * @ops: mask of (1 << enum abac_op) the rule applies to.
 * @effect: enum abac_effect.
 * @ncond: conditions, all of which must hold, from record @cond.
 * @pad: 0.
 * @cond: first condition record (absolute record index).
 * @str: string table offset of "id\0nlp\0".
 */
struct abac_rule {
	__u32 ops;
	__u8 effect;
	__u8 ncond;
	__u16 pad;
	__u32 cond;
	__u32 str;
};

/**
 * struct abac_cond - one condition record.
 * @side: enum abac_side of @attr.
 * @attr: attribute number on @side.
 * @kind: enum abac_cond_kind.
 * @rhs: object attribute number for the relation kinds.
 * @pad: 0.
 * @mask: values for ABAC_COND_ANY and ABAC_COND_NONE.
 */
struct abac_cond {
	__u8 side;
	__u8 attr;
	__u8 kind;
	__u8 rhs;
	__u32 pad;
	__u64 mask;
};

/**
 * struct abac_dict_ent - one label dictionary slot.
 * @hash: abac_hash() of "key=value"; 0 marks an empty slot.
 * @attr: object attribute number.
 * @bit: value number, the bit set in the attribute's mask.
 * @flags: ABAC_DICT_SINGLE when the attribute holds one value at most.
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

/*
 * A subject slot is ABAC_SUBJ_RECORDS records: a key record, then the
 * attribute masks.  Slot i starts at record subj_off + i * ABAC_SUBJ_RECORDS.
 */
#define ABAC_SUBJ_RECORDS	(1 + ABAC_MAX_ATTRS * 8 / ABAC_REC_SIZE)

/**
 * struct abac_subj_key - the first record of a subject slot.
 * @cgroup_id: the tagged cgroup's id (its inode number); 0: empty slot.
 * @level: the cgroup's depth below the root.
 * @pad: 0.
 */
struct abac_subj_key {
	__u64 cgroup_id;
	__u32 level;
	__u32 pad;
};

/**
 * struct abac_rec - one 16-byte record, the unit of an image.
 * @b: its bytes; read it through the typed views above.
 */
struct abac_rec {
	__u8 b[ABAC_REC_SIZE];
};

/* Why a decision went the way it did. */
enum abac_reason {
	ABAC_REASON_RULE = 0,		/* a rule decided; see rule index */
	ABAC_REASON_DEFAULT = 1,	/* no rule applied: default effect */
	ABAC_REASON_BAD_LABEL = 2,	/* label malformed or unknown: closed */
	ABAC_REASON_BAD_IMAGE = 3,	/* image unreadable: fail closed */
	ABAC_REASON_GUARD = 4,		/* tamper guard: see event's guard */
};

/**
 * enum abac_guard - what a tagged subject tried against abac itself,
 * refused by the tamper guard (bpf/guard.bpf.c) whatever its uid or
 * capabilities.  Carried in &struct abac_event.guard with
 * ABAC_REASON_GUARD; ABAC_GUARD_NONE in every other event.
 */
enum abac_guard {
	ABAC_GUARD_NONE = 0,
	ABAC_GUARD_LABEL_SET = 1,	/* setxattr user.abac */
	ABAC_GUARD_LABEL_REMOVE = 2,	/* removexattr user.abac */
	ABAC_GUARD_CGROUP_WRITE = 3,	/* write to a cgroup2 file */
	ABAC_GUARD_CGROUP_MKDIR = 4,	/* create a cgroup */
	ABAC_GUARD_CGROUP_RMDIR = 5,	/* remove a cgroup */
	ABAC_GUARD_CGROUP_RENAME = 6,	/* rename a cgroup */
	ABAC_GUARD_BPF = 7,		/* any bpf() command */
	ABAC_GUARD_BPF_MAP = 8,		/* a BPF map fd */
	ABAC_GUARD_BPF_PROG = 9,	/* a BPF program fd */
	ABAC_GUARD_BPFFS = 10,		/* change bpffs (the pins) */
	ABAC_GUARD_MOUNT = 11,		/* mount(2) */
	ABAC_GUARD_UMOUNT = 12,		/* umount(2) */
	ABAC_GUARD_MOVE_MOUNT = 13,	/* move_mount(2) */
	ABAC_GUARD_PIVOT_ROOT = 14,	/* pivot_root(2) */
	ABAC_GUARD_SIGNAL = 15,		/* signal the agent */
	ABAC_GUARD_PTRACE = 16,		/* ptrace, /proc/PID/mem, process_vm_* */
	ABAC_GUARD_AGENT_PROC = 17,	/* open /proc/AGENT/... */
	ABAC_GUARD_AGENT_SCHED = 18,	/* nice, scheduler, prlimit on the agent */
	ABAC_GUARD_SOCKET = 19,		/* connect to the control socket */
	ABAC_GUARD_PROTECTED = 20,	/* write under /etc/abac, /var/lib/abac, /var/log/abac */
	ABAC_GUARD_COUNT,
};

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
};

/**
 * struct abac_counters - per-CPU counters, summed by the agent.
 * @decisions: decisions taken for tagged subjects.
 * @denied: accesses refused.
 * @audited: denials let through in audit mode.
 * @events_lost: events the ring buffer had no room for.
 * @bad_labels: labels that did not parse.
 * @guarded: tamper attempts the guard refused.
 * @pad: 0.
 */
struct abac_counters {
	__u64 decisions;
	__u64 denied;
	__u64 audited;
	__u64 events_lost;
	__u64 bad_labels;
	__u64 guarded;
	__u64 pad[2];
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
 * enum abac_guard_inode - the value of a guard inode map entry.
 * @ABAC_GUARD_INODE_TREE: a protected file or directory: tagged subjects
 *	may not write it, nor create, remove or rename in it.
 * @ABAC_GUARD_INODE_SOCKET: the agent's control socket: tagged subjects
 *	may connect to it only when a rule allows them "administer".
 */
enum abac_guard_inode {
	ABAC_GUARD_INODE_TREE = 1,
	ABAC_GUARD_INODE_SOCKET = 2,
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

/* FNV-1a 64, the hash of labels, image content and nothing secret. */
#define ABAC_FNV_OFFSET		0xcbf29ce484222325ULL
#define ABAC_FNV_PRIME		0x100000001b3ULL

static inline __u64 abac_hash_byte(__u64 h, __u8 c)
{
	return (h ^ c) * ABAC_FNV_PRIME;
}

/* Compile-time layout checks, identical in all three builds. */
#define ABAC_ABI_ASSERT(cond) _Static_assert(cond, #cond)
ABAC_ABI_ASSERT(sizeof(struct abac_image_hdr) == ABAC_HDR_RECORDS * ABAC_REC_SIZE);
ABAC_ABI_ASSERT(sizeof(struct abac_rule) == ABAC_REC_SIZE);
ABAC_ABI_ASSERT(sizeof(struct abac_cond) == ABAC_REC_SIZE);
ABAC_ABI_ASSERT(sizeof(struct abac_dict_ent) == ABAC_REC_SIZE);
ABAC_ABI_ASSERT(sizeof(struct abac_subj_key) == ABAC_REC_SIZE);
ABAC_ABI_ASSERT(sizeof(struct abac_attrs) == (ABAC_SUBJ_RECORDS - 1) * ABAC_REC_SIZE);
ABAC_ABI_ASSERT(sizeof(struct abac_event) == 352);
ABAC_ABI_ASSERT(sizeof(struct abac_counters) == 64);
ABAC_ABI_ASSERT(ABAC_OP_COUNT <= 32);
ABAC_ABI_ASSERT(sizeof(struct abac_guard_key) == 16);
ABAC_ABI_ASSERT(sizeof(struct abac_guard_cfg) == 32);

#endif /* _ABAC_ABI_H */
