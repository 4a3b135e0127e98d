/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The maps only the tamper guard (guard.bpf.c) uses, defined here and
 * nowhere else.  The guard shares the maps of maps.h that it reads
 * (tools/lib/kern.c, pinned_maps) with abac.bpf.c by reusing their
 * pinned fds.
 */
#ifndef _ABAC_GUARD_MAPS_H
#define _ABAC_GUARD_MAPS_H

#define ABAC_GUARD_MAX_INODES	16384

/* Protected inodes (struct abac_guard_key -> enum abac_guard_inode). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, ABAC_GUARD_MAX_INODES);
	__type(key, struct abac_guard_key);
	__type(value, __u32);
} abac_guard_inodes SEC(".maps");

/* struct abac_guard_cfg in slot 0: whom the guard shields. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct abac_guard_cfg);
} abac_guard_cfg SEC(".maps");

/*
 * Processes that exec'd the agent's binary untagged (tgid -> start time
 * of the thread group leader), shielded from their first instruction;
 * least recently entered first out: the agent that told the guard its
 * pid in abac_guard_cfg stays shielded whatever this holds.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} abac_guard_agents SEC(".maps");

/*
 * Character device majors the guard treats as raw devices (major ->
 * 1), beyond the fixed ones of guard_kernfs.h: the dynamic majors of
 * bsg, nvme-generic and ubi, which the agent reads from /proc/devices.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} abac_guard_devs SEC(".maps");

/*
 * Per task: the id of the cgroup (default hierarchy) it was in at its
 * last execve, or its parent's at fork (guard_setup.h).  A task whose
 * cgroup is no longer that one is "in set-up".  The guard object's own:
 * a guard loaded anew starts with none, and a task without a record is
 * never in set-up.
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} abac_guard_exec_cg SEC(".maps");

#endif /* _ABAC_GUARD_MAPS_H */
