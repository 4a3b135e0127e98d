/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every map abac's BPF programs use, defined here and nowhere else.  The
 * agent pins them under /sys/fs/bpf/abac/ so that enforcement and queued
 * events outlive it.
 */
#ifndef _ABAC_MAPS_H
#define _ABAC_MAPS_H

/* One compiled image (abac_abi.h) as a single array value. */
struct abac_image_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, ABAC_IMAGE_BYTES);
};

/*
 * The image in force.  User space builds a new inner map and swaps it in
 * with one update of slot 0; a program that fetched the old inner map keeps
 * reading it until it returns, so every decision sees one whole image.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct abac_image_map);
} abac_policy SEC(".maps");

/* Decision events for the agent; records wait here while it restarts. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);
} abac_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct abac_counters);
} abac_counters SEC(".maps");

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

/*
 * Per-task scratch space for a decision: too big for the 512-byte BPF
 * stack, and per-CPU space is not safe in sleepable programs (another
 * task may run on the CPU while this one sleeps reading an xattr).
 */
struct abac_scratch {
	__u8 label[ABAC_LABEL_MAX];
	struct abac_label_pairs pairs;
	struct abac_attrs obj;
	struct abac_env env;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct abac_scratch);
} abac_scratch SEC(".maps");

#endif /* _ABAC_MAPS_H */
