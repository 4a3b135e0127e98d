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
#define ABAC_NATIVE_EVENTS	ABAC_NATIVE_DIR "/events"
#define ABAC_LSM_LIST		"/sys/kernel/security/lsm"

bool abac_native_present(void);
bool abac_lsm_active(const char *name);
int abac_native_set_image(const void *img, size_t len);
int abac_native_get_image(void **img, size_t *len);
int abac_native_events_open(void);
int abac_native_events_read(int fd, struct abac_event *ev, size_t max);

#endif /* _ABAC_NATIVE_H */
