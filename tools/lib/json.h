/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small streaming JSON writer for abac's --json output and event lines.
 * Commas and nesting are tracked for the caller; strings are escaped
 * (control characters, quotes, backslashes, and invalid UTF-8 as U+FFFD).
 */
#ifndef _ABAC_JSON_H
#define _ABAC_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define ABAC_JSON_DEPTH 32

struct abac_json {
	FILE *f;
	bool pretty;
	int depth;
	bool first[ABAC_JSON_DEPTH];
	bool after_key;
};

void abac_json_init(struct abac_json *j, FILE *f, bool pretty);
void abac_json_obj_begin(struct abac_json *j);
void abac_json_obj_end(struct abac_json *j);
void abac_json_arr_begin(struct abac_json *j);
void abac_json_arr_end(struct abac_json *j);
void abac_json_key(struct abac_json *j, const char *key);
void abac_json_str(struct abac_json *j, const char *s);
void abac_json_strn(struct abac_json *j, const char *s, size_t n);
void abac_json_u64(struct abac_json *j, uint64_t v);
void abac_json_i64(struct abac_json *j, int64_t v);
void abac_json_bool(struct abac_json *j, bool v);
void abac_json_null(struct abac_json *j);
/* key + value in one call */
void abac_json_kv_str(struct abac_json *j, const char *key, const char *s);
void abac_json_kv_u64(struct abac_json *j, const char *key, uint64_t v);
void abac_json_kv_i64(struct abac_json *j, const char *key, int64_t v);
void abac_json_kv_bool(struct abac_json *j, const char *key, bool v);
/* Write a JSON-escaped string (with quotes) to @f. */
void abac_json_escape(FILE *f, const char *s, size_t n);

#endif /* _ABAC_JSON_H */
