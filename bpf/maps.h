/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every map abac's BPF programs use, defined here and nowhere else.  The
 * agent pins them under /sys/fs/bpf/abac/ so that enforcement and queued
 * events outlive it.
 */
#ifndef _ABAC_MAPS_H
#define _ABAC_MAPS_H

#define ABAC_MAX_LABELLED_DIRS	65536
#define ABAC_IAVC_SLOTS		4	/* cached decisions per inode */
#define ABAC_NET_ID		(1ULL << 63)	/* | network index: its id */

/* enum abac_olabel_state: what the cache knows of an object's label. */
#define ABAC_OL_UNKNOWN	0	/* never read: ask the xattr */
#define ABAC_OL_NONE	1	/* no label of its own: inherit */
#define ABAC_OL_OWN	2	/* labelled: @pairs */
#define ABAC_OL_BAD	3	/* malformed or unreadable: fail closed */

/**
 * struct abac_olabel - an object's label, cached as hashed pairs, so that
 *	it stays meaningful across policy swaps (each decision resolves the
 *	pairs through the dictionary of the image in force).
 * @state: ABAC_OL_*.
 * @igen: the inode's i_generation when cached (directories map only: an
 *	inode number reused by a new directory is not the labelled one).
 * @id: a hash of @state and @pairs: which label this is.  A cached
 *	decision holds the id of the label it was taken on and is void for
 *	any other (the object was moved under another labelled directory).
 * @ino: the inode the label was read from (events say where a label
 *	came from: the object's own, or a directory's).
 * @dev: its device (s_dev).
 * @pad: 0.
 * @pairs: the label's pairs when @state is ABAC_OL_OWN.
 */
struct abac_olabel {
	__u32 state;
	__u32 igen;
	__u64 id;
	__u64 ino;
	__u32 dev;
	__u32 pad;
	struct abac_label_pairs pairs;
};

/**
 * struct abac_dir_key - a directory: its device (s_dev) and inode number.
 */
struct abac_dir_key {
	__u64 ino;
	__u32 dev;
	__u32 pad;
};

/**
 * struct abac_iavc - one cached decision on an object (the AVC, like
 *	SELinux's access vector cache): kept in the object inode's own
 *	storage, or for a network object in the caller cgroup's.
 * @subj: the tagged cgroup whose (merged) tags applied.
 * @content_hash: the image's content hash.
 * @epoch: the label epoch the decision was taken in.
 * @label_id: the id of the label that applied (own or inherited), or
 *	of the network object (ABAC_NET_ID).
 * @generation: the image's generation.
 * @op: enum abac_op.
 * @rule: the deciding rule, or ABAC_RULE_NONE.
 * @effect: enum abac_effect.
 * @reason: enum abac_reason.
 * @pad: 0.
 * @check: abac_iavc_check() of the fields above.  Programs on other CPUs
 *	may write one slot at once; a slot mixing their writes fails the
 *	check and is decided again rather than used.
 */
struct abac_iavc {
	__u64 subj;
	__u64 content_hash;
	__u64 epoch;
	__u64 label_id;
	__u32 generation;
	__u32 op;
	__u32 rule;
	__u8 effect;
	__u8 reason;
	__u8 pad[2];
	__u64 check;
};

/**
 * struct abac_icache - what abac keeps per inode: its own label and the
 *	decisions last taken on it.
 * @lab: the label cache (struct abac_olabel).
 * @avc: decisions, a slot per (subject, operation) hash.
 */
struct abac_icache {
	struct abac_olabel lab;
	struct abac_iavc avc[ABAC_IAVC_SLOTS];
};

/*
 * One compiled image (abac_abi.h): its chunks of ABAC_CHUNK_RECORDS
 * records, one array value each.  BPF_F_INNER_MAP lets each image's map
 * have as many values as the image has chunks (the loader creates it).
 */
struct abac_image_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_INNER_MAP);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, ABAC_CHUNK_BYTES);
};

/*
 * Images: two slots, the one abac_active names in force.  User space puts
 * a new image (a new, frozen inner map) into the other slot, an update
 * that waits for an RCU grace period but changes nothing in force, then
 * swaps by writing the slot's index into abac_active: one update of a
 * plain array, which returns at once.  A program that fetched an inner map
 * keeps reading it until it returns, so every decision sees one whole
 * image (tools/lib/kern.c).
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct abac_image_map);
} abac_policy SEC(".maps");

/* The slot of abac_policy in force, in its bit 0. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} abac_active SEC(".maps");

/* Decision events for the agent; records wait here while it restarts. */
#define ABAC_EVENT_RING_BYTES	(1 << 22)

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, ABAC_EVENT_RING_BYTES);
} abac_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct abac_counters);
} abac_counters SEC(".maps");

/* Decisions per rule of the image in force (abac status --rules). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ABAC_MAX_KERNEL_RULES);
	__type(key, __u32);
	__type(value, struct abac_rule_hits);
} abac_rule_hits SEC(".maps");

/*
 * The environment the agent keeps: operator-set attributes and the offset
 * from CLOCK_TAI to local time in the policy's timezone.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct abac_env_state);
} abac_env SEC(".maps");

/**
 * struct abac_subj_cache - the subject attributes of one cgroup, as
 *	abac_subject_get() found them under one image.
 * @content_hash: the image's content hash.
 * @generation: the image's generation.
 * @key_idx: the record of the subject slot whose tags apply (the cgroup's
 *	own or its nearest tagged ancestor's); 0: untagged.
 * @check: abac_subj_check() of the fields above.  Programs on other CPUs
 *	may fill the same entry at once under different images; an entry
 *	mixing their writes fails the check and is found again.
 * @avc: the cgroup's decisions on network objects (connect, bind,
 *	listen), which have no inode to keep them: a slot per (network,
 *	op) hash, checked as the inodes' are.
 * @budget_tat: the cgroup's event budget (fold.h), as the theoretical
 *	arrival time of its next record (GCRA), CLOCK_BOOTTIME ns.
 */
struct abac_subj_cache {
	__u64 content_hash;
	__u32 generation;
	__u32 key_idx;
	__u64 check;
	struct abac_iavc avc[ABAC_IAVC_SLOTS];
	__u64 budget_tat;
};

/*
 * Subject attributes per cgroup, so that a hook does not walk the
 * cgroup's ancestors through the subject table at every call.  An entry
 * holds for one image only: a tag change is a new image.  It dies with
 * its cgroup.
 */
struct {
	__uint(type, BPF_MAP_TYPE_CGRP_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct abac_subj_cache);
} abac_subj_cache SEC(".maps");

/**
 * struct abac_exec_note - a program the subject may run but not read
 *	("exec-only"), as bprm_check_security found it: kept in the task's
 *	scratch space during the exec, then, once the exec is committed, as
 *	the process's mark (abac_exec_only) for ptrace_access_check and for
 *	file_open at a core dump.
 * @lab: the label that applied to it (own or inherited) at the exec.
 * @ino: its inode number.
 * @dev: its device.
 * @unreadable: 1 when the subject may run it but not read it; 0: no note.
 */
struct abac_exec_note {
	struct abac_olabel lab;
	__u64 ino;
	__u32 dev;
	__u32 unreadable;
};

/*
 * The exec-only mark of a process: on the task that exec'd the program
 * (the thread group's leader once exec is done), and on each process
 * forked from it, which runs the same image.  Read by ptrace_access_check
 * with no lock taken: the hook runs under task_lock() of the target, so it
 * may not take it again (bpf_get_task_exe_file() would).
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct abac_exec_note);
} abac_exec_only SEC(".maps");

/*
 * The credentials overlayfs last worked on its layers with in this task,
 * its mounter's (ofs->creator_cred), noted by inode_getattr (overlay.h).
 * While a task runs on exactly those credentials, the kernel is doing
 * overlayfs' own work on the layers below a file operation that abac
 * has already decided on the overlay file: abac_subject_get() leaves it
 * undecided.  Each object (decision, guard) has its own copy.
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} abac_overlay_creds SEC(".maps");

/*
 * Per-task scratch space for a decision: too big for the 512-byte BPF
 * stack, and per-CPU space is not safe in sleepable programs (another
 * task may run on the CPU while this one sleeps reading an xattr).
 */
struct abac_scratch {
	struct abac_event ev;	/* the record being reported (fold.h) */
	__u8 label[ABAC_LABEL_MAX];
	struct abac_label_pairs pairs;
	struct abac_object obj;	/* attributes, members of open sets */
	struct abac_env env;
	__u32 env_gen;		/* the abac_env generation @env was read at */
	__u32 pad;
	struct abac_olabel olab;
	struct abac_olabel olab2;
	struct abac_exec_note exec;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct abac_scratch);
} abac_scratch SEC(".maps");

/**
 * struct abac_cgname - a cgroup's own name, read by abac_bind_at() to be
 *	matched against the image's bindings.
 * @b: its bytes, NUL-terminated: a cgroup's name is at most NAME_MAX
 *	(ABAC_BIND_NAME_MAX) bytes.
 */
struct abac_cgname {
	__u8 b[ABAC_BIND_NAME_MAX + 1];
};

/*
 * Per task, not per CPU: a sleepable program may be preempted between
 * reading the name and matching it.  Created at a task's first lookup
 * that reads a name (a cgroup not tagged by id, at a level of a binding's
 * cgroups); the guard object keeps its own (tools/lib/kern.c).
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct abac_cgname);
} abac_cgname SEC(".maps");

/*
 * The object-attribute cache and the decision cache, per inode: the
 * hashed pairs of its own user.abac label, read once (at open, exec,
 * unlink ...) and kept current by the setxattr and removexattr hooks, and
 * the last decisions on it.  Non-sleepable hooks (file_permission,
 * inode_mkdir, inode_link, inode_removexattr) can only read labels from
 * here.  It dies with the inode.
 */
struct {
	__uint(type, BPF_MAP_TYPE_INODE_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct abac_icache);
} abac_inode_labels SEC(".maps");

/*
 * Labelled directories by (device, inode): what label inheritance walks
 * up to, since a hook cannot read a parent directory's xattrs.  Written
 * only by BPF (the setxattr hooks, and file_open of a labelled
 * directory); the agent refills it at start by opening the directories
 * it has seen labelled.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	/*
	 * Not preallocated: a label of ABAC_LABEL_PAIRS pairs is some 2 KiB,
	 * 140 MiB for every slot; allocated, it costs what is labelled.
	 */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, ABAC_MAX_LABELLED_DIRS);
	__type(key, struct abac_dir_key);
	__type(value, struct abac_olabel);
} abac_dirs SEC(".maps");

/**
 * struct abac_exec_key - a subject and a file it mapped.
 * @subj: the tagged cgroup whose tags applied.
 * @ino: the file's inode number.
 * @dev: its device.
 * @igen: its i_generation.
 */
struct abac_exec_key {
	__u64 subj;
	__u64 ino;
	__u32 dev;
	__u32 igen;
};

/**
 * struct abac_exec_memo - exec was allowed to the subject on the file
 *	when it mapped it, under this image and label epoch.
 * @content_hash: the image's content hash.
 * @epoch: the label epoch.
 * @generation: the image's generation.
 * @pad: 0.
 */
struct abac_exec_memo {
	__u64 content_hash;
	__u64 epoch;
	__u32 generation;
	__u32 pad;
};

/*
 * Whether a subject may exec a file it mapped, noted at mmap_file for
 * file_mprotect: there the mapping's file is a pointer 6.12 does not
 * trust, so neither its label cache nor its xattr can be read.  Only
 * "allowed" is noted; a mapping made executable with no valid note is
 * refused (an entry the LRU dropped costs a refusal, never a pass).
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct abac_exec_key);
	__type(value, struct abac_exec_memo);
} abac_exec_memo SEC(".maps");

/*
 * The label epoch: bumped by every change of a user.abac label.  A cached
 * decision carries the epoch it was taken in and is void once it moved.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} abac_label_epoch SEC(".maps");

#define ABAC_FOLD_SLOTS		1024	/* denials folding at once */
#define ABAC_LOST_KEYS		1024	/* (cgroup, rule, op) keys of losses */

/**
 * struct abac_fold_slot - one denial whose repeats are being folded
 *	(fold.h): a slot of abac_fold, chosen by a hash of its key.
 * @lock: guards the fields below between hooks and the timer.
 * @busy: the slot holds a key.
 * @timer: fires when the fold window closes: sends the repeats, or frees
 *	the slot when there were none.
 * @cgroup_id: key: the process's cgroup.
 * @ino: key: the object's inode (0 for ABAC_FOLD_RULE).
 * @name: key: its path or entry name, hashed (0 for ABAC_FOLD_RULE).
 * @dev: key: its device (0 for ABAC_FOLD_RULE).
 * @rule: key: the deciding rule.
 * @op: key: the operation.
 * @kind: key: enum abac_fold.
 * @count: repeats folded since the last record.
 * @verdict: key: the decision, its reason and the policy's mode
 *	(allowed | reason << 8 | mode << 16): a denial never folds into an
 *	audit record, nor one policy's decision into another's.
 * @generation: key: the policy's generation.
 * @pad: 0.
 * @first_ns: CLOCK_BOOTTIME of the first of them.
 * @ev: the last of them, sent with @count when the window closes.
 */
struct abac_fold_slot {
	struct bpf_spin_lock lock;
	__u32 busy;
	struct bpf_timer timer;
	__u64 cgroup_id;
	__u64 ino;
	__u64 name;
	__u32 dev;
	__u32 rule;
	__u32 op;
	__u32 kind;
	__u32 count;
	__u32 verdict;
	__u32 generation;
	__u32 pad;
	__u64 first_ns;
	struct abac_event ev;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ABAC_FOLD_SLOTS);
	__type(key, __u32);
	__type(value, struct abac_fold_slot);
} abac_fold SEC(".maps");

/* The policy's "events" settings (struct abac_event_cfg), from the agent. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct abac_event_cfg);
} abac_fold_cfg SEC(".maps");

/*
 * Records the ring buffer had no room for, by (cgroup, rule, op); the
 * agent reads and deletes the entries when it reports a loss.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, ABAC_LOST_KEYS);
	__type(key, struct abac_lost_key);
	__type(value, __u64);
} abac_lost SEC(".maps");

/* Losses not yet announced by a record's lost_before. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} abac_lost_pending SEC(".maps");

#endif /* _ABAC_MAPS_H */
