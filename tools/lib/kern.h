/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel side of abac as user space reaches it: the BPF-LSM programs,
 * their pinned maps and links, and the image in force.
 */
#ifndef _ABAC_KERN_H
#define _ABAC_KERN_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "../../lsm/abac_abi.h"

#define ABAC_PIN_DIR	"/sys/fs/bpf/abac"

/**
 * struct abac_kern - handles on abac's kernel objects.
 * @policy_fd: the map-in-map with two slots for images.
 * @active_fd: the slot in force (an array of one __u32).
 * @events_fd: the decision ring buffer.
 * @counters_fd: the per-CPU counters.
 * @guard_inodes_fd: the tamper guard's protected inodes.
 * @guard_cfg_fd: the tamper guard's configuration (the agent's pid).
 * @guard_devs_fd: the character device majors the guard treats as raw.
 * @env_fd: the environment (struct abac_env_state).
 * @subj_cache_fd: subject attributes per cgroup (struct abac_subj_cache).
 * @dirs_fd: the labelled directories (abac_dirs), shared with the guard,
 *	which refuses a directory label that would not fit in it.
 * @reused: true when the programs were already attached (pinned) and
 *	abac_kern_open() only reopened them.
 * @replaced: true when the programs pinned were another build's:
 *	abac_kern_open() attached this build's beside them and moved their
 *	pins to the old-pins directory, for abac_kern_drop_old().
 * @pin_dir: where the objects are pinned.
 */
struct abac_kern {
	int policy_fd;
	int active_fd;
	int events_fd;
	int counters_fd;
	int guard_inodes_fd;
	int guard_cfg_fd;
	int guard_devs_fd;
	int env_fd;
	int subj_cache_fd;
	int dirs_fd;
	int fold_cfg_fd;
	int lost_fd;
	int fold_fd;
	int rule_hits_fd;
	bool reused;
	bool replaced;
	char pin_dir[128];
};

/**
 * struct abac_hook - one BPF-LSM program of abac.
 * @prog: the program's name (its link is pinned as link_<prog>).
 * @hook: the LSM hook it attaches to.
 * @ops: the operations (1 << enum abac_op) not fully enforced without it.
 */
struct abac_hook {
	const char *prog;
	const char *hook;
	__u32 ops;
};

/* Every program, ended by an entry with a NULL @prog. */
extern const struct abac_hook abac_hooks[];

bool abac_kern_hook_attached(const char *pin_dir, unsigned int i);
__u32 abac_kern_missing_ops(const char *pin_dir);
void abac_kern_set_sizes(__u32 labelled_dirs, __u32 guard_inodes);
__u32 abac_kern_table_size(int fd);
int abac_kern_open(struct abac_kern *k, const char *pin_dir, bool load);
void abac_kern_close(struct abac_kern *k);
int abac_kern_stage_image(struct abac_kern *k, const void *img, size_t len,
			  __u32 *slot);
int abac_kern_switch_image(struct abac_kern *k, __u32 slot);
int abac_kern_set_image(struct abac_kern *k, const void *img, size_t len);
int abac_kern_clear_image(struct abac_kern *k);
int abac_kern_set_env(struct abac_kern *k, const struct abac_env_state *st);
int abac_kern_get_env(struct abac_kern *k, struct abac_env_state *st);
int abac_kern_get_image(struct abac_kern *k, void **img, size_t *len);
int abac_kern_image_chunks(struct abac_kern *k, __u32 *chunks);
int abac_kern_counters(struct abac_kern *k, struct abac_counters *sum);
int abac_kern_rule_hits(struct abac_kern *k, __u32 generation, __u64 *hits,
			__u32 n);
int abac_kern_unload(const char *pin_dir);
void abac_kern_old_dir(const char *pin_dir, char *buf, size_t sz);
int abac_kern_detach_old(const char *pin_dir);
int abac_kern_drop_old(const char *pin_dir);

/* kern_guard.c: what the tamper guard is told */
int abac_kern_guard_agent(struct abac_kern *k, __u32 tgid);
int abac_kern_guard_inode(struct abac_kern *k, __u64 ino, __u32 dev,
			  __u32 kind);
int abac_kern_guard_set(struct abac_kern *k, const struct abac_guard_ent *ent,
			size_t n);
int abac_kern_guard_devs(struct abac_kern *k, const __u32 *majors, size_t n);

int abac_kern_state_save(struct abac_kern *k, const void *blob, size_t len);
int abac_kern_state_load(struct abac_kern *k, void **blob, size_t *len);
bool abac_kern_attached(const char *pin_dir);
const char *abac_kern_hint(int err);

#endif /* _ABAC_KERN_H */
