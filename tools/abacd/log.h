/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * abacd's messages: one line each on stderr, "abacd: " first, where a
 * service manager's journal takes them.  Every abacd file logs; none of
 * them needs the agent's state to do so.
 */
#ifndef _ABACD_LOG_H
#define _ABACD_LOG_H

#include <stdbool.h>

void log_init(bool verbose);
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fail(const char *what, int err);

struct abac_diags;
void say_diags(const struct abac_diags *diags);

#endif /* _ABACD_LOG_H */
