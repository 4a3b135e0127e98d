/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The native abac LSM as user space reaches it: its securityfs files
 * under /sys/kernel/security/abac (see Documentation/native-lsm.rst).
 */
#ifndef _ABAC_NATIVE_H
#define _ABAC_NATIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "../../lsm/abac_abi.h"

#define ABAC_NATIVE_DIR		"/sys/kernel/security/abac"
#define ABAC_NATIVE_POLICY	ABAC_NATIVE_DIR "/policy"
#define ABAC_NATIVE_STATUS	ABAC_NATIVE_DIR "/status"
#define ABAC_NATIVE_RULE_HITS	ABAC_NATIVE_DIR "/rule_hits"
#define ABAC_NATIVE_EVENTS	ABAC_NATIVE_DIR "/events"
#define ABAC_NATIVE_ENV		ABAC_NATIVE_DIR "/env"
#define ABAC_NATIVE_GUARD	ABAC_NATIVE_DIR "/guard"
#define ABAC_NATIVE_STATE	ABAC_NATIVE_DIR "/state"
#define ABAC_NATIVE_EVENT_CFG	ABAC_NATIVE_DIR "/event_cfg"
#define ABAC_NATIVE_LOST	ABAC_NATIVE_DIR "/lost"
#define ABAC_NATIVE_LOST_KEYS	64	/* lsm/abac.h ABAC_LOST_KEYS */
#define ABAC_LSM_LIST		"/sys/kernel/security/lsm"

bool abac_native_present(void);
bool abac_lsm_active(const char *name);
int abac_native_set_image(const void *img, size_t len);
int abac_native_get_image(void **img, size_t *len);
int abac_native_events_open(void);
int abac_native_events_read(int fd, struct abac_event *ev, size_t max);
int abac_native_events_ack(int fd, unsigned int n);
int abac_native_set_env(const struct abac_env_state *st);
int abac_native_get_env(struct abac_env_state *st);
int abac_native_set_event_cfg(const struct abac_event_cfg *cfg);
int abac_native_lost_take(struct abac_lost_rec *recs, size_t max);
int abac_native_guard_set(const struct abac_guard_ent *ent, size_t n);
int abac_native_state_save(const void *blob, size_t len);
int abac_native_state_load(void **blob, size_t *len);

/**
 * struct abac_native_status - what the native LSM's status file says.
 * @cnt: its counters, as the BPF programs count theirs.
 * @ops: the operations it decides, a mask of (1 << enum abac_op).
 * @agent: the pid of the agent its guard shields, 0 when none.
 * @protected_inodes: inodes its guard protects.
 * @loads: images accepted since boot.
 * @rejects: images refused since boot.
 */
struct abac_native_status {
	struct abac_counters cnt;
	__u32 ops;
	__u32 agent;
	__u64 protected_inodes;
	__u64 loads;
	__u64 rejects;
};

int abac_native_status(struct abac_native_status *st);
int abac_native_rule_hits(__u32 *generation, __u64 *hits, __u32 n);

#endif /* _ABAC_NATIVE_H */
