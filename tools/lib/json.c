// SPDX-License-Identifier: GPL-2.0-only
/*
 * A small streaming JSON writer: the caller says begin/key/value/end and
 * the writer places the commas, the colons and, in pretty mode, the line
 * breaks and the two-space indentation.  A value completed at the top level
 * is followed by a newline, so consecutive documents form JSON lines.
 *
 * Strings are escaped for any input: quotes, backslashes and control
 * characters get escapes, and bytes that are not well-formed UTF-8 become
 * U+FFFD, so the output is valid JSON whatever a file name or a label
 * holds.
 *
 * A writer's stream belongs to one thread (abac and abacd have one):
 * the writes use stdio's _unlocked forms, which skip the stream lock
 * that glibc otherwise takes (an atomic instruction) for every character
 * and run, more than half of an event line's formatting.
 */
#include <inttypes.h>
#include <string.h>

#include "json.h"

/**
 * abac_json_init() - set up a writer.
 * @j: the writer.
 * @f: where the JSON goes.
 * @pretty: indent, one member or element a line.
 */
void abac_json_init(struct abac_json *j, FILE *f, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->pretty = pretty;
}

/* first[] slot of the current level; nesting deeper than that shares one */
static bool *first(struct abac_json *j)
{
	int d = j->depth < ABAC_JSON_DEPTH ? j->depth : ABAC_JSON_DEPTH - 1;

	return &j->first[d];
}

static void newline(struct abac_json *j)
{
	int i;

	fputc_unlocked('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs_unlocked("  ", j->f);
}

/* Before a key, or a value that has no key: the comma and the break. */
static void sep(struct abac_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->depth)
		return;
	if (!*first(j))
		fputc_unlocked(',', j->f);
	*first(j) = false;
	if (j->pretty)
		newline(j);
}

/* After a complete value: at the top level, end the line. */
static void done(struct abac_json *j)
{
	if (!j->depth)
		fputc_unlocked('\n', j->f);
}

static void open_level(struct abac_json *j, char c)
{
	sep(j);
	fputc_unlocked(c, j->f);
	j->depth++;
	*first(j) = true;
}

static void close_level(struct abac_json *j, char c)
{
	bool empty = *first(j);

	if (j->depth > 0)
		j->depth--;
	if (j->pretty && !empty)
		newline(j);
	fputc_unlocked(c, j->f);
	done(j);
}

/**
 * abac_json_obj_begin() - open an object.
 * @j: the writer.
 */
void abac_json_obj_begin(struct abac_json *j)
{
	open_level(j, '{');
}

/**
 * abac_json_obj_end() - close the innermost object.
 * @j: the writer.
 */
void abac_json_obj_end(struct abac_json *j)
{
	close_level(j, '}');
}

/**
 * abac_json_arr_begin() - open an array.
 * @j: the writer.
 */
void abac_json_arr_begin(struct abac_json *j)
{
	open_level(j, '[');
}

/**
 * abac_json_arr_end() - close the innermost array.
 * @j: the writer.
 */
void abac_json_arr_end(struct abac_json *j)
{
	close_level(j, ']');
}

/**
 * abac_json_key() - write a member's key; its value comes next.
 * @j: the writer.
 * @key: the key.
 */
void abac_json_key(struct abac_json *j, const char *key)
{
	sep(j);
	abac_json_escape(j->f, key, strlen(key));
	fputs_unlocked(j->pretty ? ": " : ":", j->f);
	j->after_key = true;
}

/*
 * Length of the well-formed UTF-8 sequence at @s (at most @n bytes), or
 * the negated length of its longest valid prefix (at least 1) when it is
 * not well-formed: that prefix becomes one U+FFFD, as Unicode recommends.
 */
static int utf8_len(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	int need, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 1;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		need = 2;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		need = 3;
	else
		return -1;
	/* the second byte's range excludes overlongs, surrogates, > U+10FFFF */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	for (i = 1; i <= need; i++) {
		if ((size_t)i >= n || s[i] < lo || s[i] > hi)
			return -i;
		lo = 0x80;
		hi = 0xbf;
	}
	return need + 1;
}

/**
 * abac_json_escape() - write a string as a JSON string literal.
 * @f: where to write.
 * @s: the bytes, not necessarily NUL-terminated nor valid UTF-8.
 * @n: how many.
 */
void abac_json_escape(FILE *f, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int len;

	fputc_unlocked('"', f);
	while (i < n) {
		unsigned char c = p[i];
		size_t run = i;

		/* printable ASCII that needs no escape: one fwrite() a run */
		while (run < n && p[run] >= 0x20 && p[run] < 0x7f &&
		       p[run] != '"' && p[run] != '\\')
			run++;
		if (run > i) {
			fwrite_unlocked(p + i, 1, run - i, f);
			i = run;
			continue;
		}
		switch (c) {
		case '"':
			fputs_unlocked("\\\"", f);
			break;
		case '\\':
			fputs_unlocked("\\\\", f);
			break;
		case '\n':
			fputs_unlocked("\\n", f);
			break;
		case '\r':
			fputs_unlocked("\\r", f);
			break;
		case '\t':
			fputs_unlocked("\\t", f);
			break;
		case '\b':
			fputs_unlocked("\\b", f);
			break;
		case '\f':
			fputs_unlocked("\\f", f);
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				fprintf(f, "\\u%04x", c);
				break;
			}
			len = utf8_len(p + i, n - i);
			if (len < 0) {
				fputs_unlocked("\\ufffd", f);
				i += -len;
				continue;
			}
			fwrite_unlocked(p + i, 1, len, f);
			i += len;
			continue;
		}
		i++;
	}
	fputc_unlocked('"', f);
}

/**
 * abac_json_strn() - write a string value of @n bytes.
 * @j: the writer.
 * @s: the bytes.
 * @n: how many.
 */
void abac_json_strn(struct abac_json *j, const char *s, size_t n)
{
	sep(j);
	abac_json_escape(j->f, s, n);
	done(j);
}

/**
 * abac_json_str() - write a string value; NULL writes null.
 * @j: the writer.
 * @s: the string.
 */
void abac_json_str(struct abac_json *j, const char *s)
{
	if (!s) {
		abac_json_null(j);
		return;
	}
	abac_json_strn(j, s, strlen(s));
}

/**
 * abac_json_u64() - write an unsigned number.
 * @j: the writer.
 * @v: the number.
 */
void abac_json_u64(struct abac_json *j, uint64_t v)
{
	char buf[24];
	size_t k = sizeof(buf);

	sep(j);
	do {	/* by hand: fprintf() is most of an event line's cost */
		buf[--k] = '0' + v % 10;
		v /= 10;
	} while (v);
	fwrite_unlocked(buf + k, 1, sizeof(buf) - k, j->f);
	done(j);
}

/**
 * abac_json_i64() - write a signed number.
 * @j: the writer.
 * @v: the number.
 */
void abac_json_i64(struct abac_json *j, int64_t v)
{
	sep(j);
	fprintf(j->f, "%" PRId64, v);
	done(j);
}

/**
 * abac_json_bool() - write true or false.
 * @j: the writer.
 * @v: the value.
 */
void abac_json_bool(struct abac_json *j, bool v)
{
	sep(j);
	fputs_unlocked(v ? "true" : "false", j->f);
	done(j);
}

/**
 * abac_json_null() - write null.
 * @j: the writer.
 */
void abac_json_null(struct abac_json *j)
{
	sep(j);
	fputs_unlocked("null", j->f);
	done(j);
}

/**
 * abac_json_kv_str() - write a member with a string value.
 * @j: the writer.
 * @key: the key.
 * @s: the value; NULL writes null.
 */
void abac_json_kv_str(struct abac_json *j, const char *key, const char *s)
{
	abac_json_key(j, key);
	abac_json_str(j, s);
}

/**
 * abac_json_kv_u64() - write a member with an unsigned number value.
 * @j: the writer.
 * @key: the key.
 * @v: the value.
 */
void abac_json_kv_u64(struct abac_json *j, const char *key, uint64_t v)
{
	abac_json_key(j, key);
	abac_json_u64(j, v);
}

/**
 * abac_json_kv_i64() - write a member with a signed number value.
 * @j: the writer.
 * @key: the key.
 * @v: the value.
 */
void abac_json_kv_i64(struct abac_json *j, const char *key, int64_t v)
{
	abac_json_key(j, key);
	abac_json_i64(j, v);
}

/**
 * abac_json_kv_bool() - write a member with a boolean value.
 * @j: the writer.
 * @key: the key.
 * @v: the value.
 */
void abac_json_kv_bool(struct abac_json *j, const char *key, bool v)
{
	abac_json_key(j, key);
	abac_json_bool(j, v);
}
