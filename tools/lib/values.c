// SPDX-License-Identifier: GPL-2.0-only
/*
 * Attribute values as people write them: any UTF-8 text without control
 * characters, 1 to ABAC_VALUE_MAX bytes, neither starting nor ending with
 * a space.  A policy holds a value as YAML gives it (raw); a label, a tag,
 * an environment setting and every KEY=VALUE argument hold it escaped,
 * "\\" "\," "\;" "\=" for the four characters the label syntax reserves,
 * exactly as the kernel's label parser (abac_label_hash(), in
 * lsm/abac_decide.h) reads it.  This file checks, escapes and unescapes
 * values, and quotes a pair for the white-space separated tag text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libabac.h"

/* Is @c one of the characters a value must escape? */
static bool reserved(char c)
{
	return c == '\\' || c == ',' || c == ';' || c == '=';
}

/**
 * abac_value_invalid() - why a raw value cannot be a value.
 * @s: the value, unescaped.
 * @len: bytes in @s.
 * @why: receives the reason.
 * @sz: bytes at @why.
 *
 * Return: true (with @why filled) when @s is refused, false when it is a
 * valid value.
 */
bool abac_value_invalid(const char *s, size_t len, char *why, size_t sz)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;
	__u32 cp;

	if (!len) {
		snprintf(why, sz, "a value is at least one byte");
		return true;
	}
	if (len > ABAC_VALUE_MAX) {
		snprintf(why, sz, "a value is at most %d bytes (of UTF-8), this one is %zu",
			 ABAC_VALUE_MAX, len);
		return true;
	}
	if (s[0] == ' ' || s[len - 1] == ' ') {
		snprintf(why, sz, "a value may not start or end with a space");
		return true;
	}
	while (i < len) {
		n = abac_utf8_seq(u + i, len - i);
		if (!n) {
			snprintf(why, sz, "not valid UTF-8 at byte %zu (0x%02x)",
				 i + 1, u[i]);
			return true;
		}
		cp = u[i];
		if (n == 2)	/* the C1 controls are two bytes long */
			cp = (u[i] & 0x1f) << 6 | (u[i + 1] & 0x3f);
		if (n <= 2 && (cp < 0x20 || cp == 0x7f ||
			       (cp >= 0x80 && cp <= 0x9f))) {
			snprintf(why, sz, "control character U+%04X at byte %zu",
				 cp, i + 1);
			return true;
		}
		i += n;
	}
	return false;
}

/**
 * abac_value_span() - the bytes of the escaped value at @s.
 * @s: escaped text.
 * @len: bytes in @s.
 *
 * Return: the bytes up to the first unescaped ',' or ';' (or @len).
 */
size_t abac_value_span(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len)
			i++;
		else if (s[i] == ',' || s[i] == ';')
			break;
	}
	return i;
}

/**
 * abac_value_unescape() - an escaped value as the raw value it stands for.
 * @s: the escaped value (no unescaped ',' or ';' in it).
 * @len: bytes in @s.
 * @out: receives the value, NUL-terminated.
 * @sz: bytes at @out (ABAC_VALUE_MAX + 1 hold any valid value).
 * @why: receives the reason on failure.
 * @whysz: bytes at @why.
 *
 * The value must then be valid (abac_value_invalid()).
 *
 * Return: the value's length, or -EINVAL with @why filled.
 */
int abac_value_unescape(const char *s, size_t len, char *out, size_t sz,
			char *why, size_t whysz)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\\') {
			if (i + 1 == len || !reserved(s[i + 1])) {
				snprintf(why, whysz, "'\\' in a value escapes only \\ , ; = (write \\\\ for a backslash)");
				return -EINVAL;
			}
			c = s[++i];
		} else if (c == '=') {
			snprintf(why, whysz, "'=' in a value is written \\=");
			return -EINVAL;
		} else if ((unsigned char)c < 0x20 || c == 0x7f) {
			snprintf(why, whysz, "control character U+%04X at byte %zu",
				 (unsigned char)c, o + 1);
			return -EINVAL;
		}
		if (o + 1 < sz)
			out[o] = c;
		o++;
	}
	if (o >= sz) {
		snprintf(why, whysz, "a value is at most %d bytes (of UTF-8), this one is %zu",
			 ABAC_VALUE_MAX, o);
		return -EINVAL;
	}
	out[o] = '\0';
	if (abac_value_invalid(out, o, why, whysz))
		return -EINVAL;
	return (int)o;
}

/**
 * abac_value_escape() - a raw value as a label writes it.
 * @s: the value.
 * @len: bytes in @s.
 * @out: receives the escaped text, NUL-terminated (cut to fit).
 * @sz: bytes at @out; 2 * ABAC_VALUE_MAX + 1 hold any value.
 *
 * Return: the length the escaped text has (>= @sz when it was cut).
 */
size_t abac_value_escape(const char *s, size_t len, char *out, size_t sz)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		if (reserved(s[i])) {
			if (o + 1 < sz)
				out[o] = '\\';
			o++;
		}
		if (o + 1 < sz)
			out[o] = s[i];
		o++;
	}
	if (sz)
		out[o < sz ? o : sz - 1] = '\0';
	return o;
}

/**
 * abac_pair_quote() - one KEY=VALUE argument as an item of tag text.
 * @pair: the pair, its values escaped as in a label.
 *
 * Tag text separates pairs by white space (abac_attrs_resolve()); a pair
 * whose value holds white space or '"' is written key="value", with '"'
 * inside written \".
 *
 * Return: a malloc()ed string, or NULL when out of memory.
 */
char *abac_pair_quote(const char *pair)
{
	const char *eq = strchr(pair, '='), *p;
	size_t len = strlen(pair);
	char *out, *o;

	if (!eq || !eq[1 + strcspn(eq + 1, " \t\n\r\v\f\"")])
		return strdup(pair);
	out = malloc(2 * len + 3);
	if (!out)
		return NULL;
	o = out + (eq + 1 - pair);
	memcpy(out, pair, o - out);
	*o++ = '"';
	for (p = eq + 1; *p; p++) {
		if (*p == '"')
			*o++ = '\\';
		*o++ = *p;
	}
	*o++ = '"';
	*o = '\0';
	return out;
}

/**
 * abac_tag_token() - the next pair of tag text, unquoted.
 * @s: the text from the pair on (no leading white space).
 * @out: receives the pair with its quotes removed and \" made ",
 *	NUL-terminated: a pair in label syntax.
 * @sz: bytes at @out.
 *
 * Return: the bytes of @s the pair took, or 0 when it does not fit
 * @out or a quote is not closed.
 */
size_t abac_tag_token(const char *s, char *out, size_t sz)
{
	size_t i = 0, o = 0;
	bool quoted = false;

	for (; s[i] && (quoted || !strchr(" \t\n\r\v\f", s[i])); i++) {
		if (s[i] == '"') {
			quoted = !quoted;
			continue;
		}
		if (s[i] == '\\' && s[i + 1] == '"') {
			i++;
		} else if (s[i] == '\\' && s[i + 1]) {
			if (o + 1 >= sz)
				return 0;
			out[o++] = s[i++];
		}
		if (o + 1 >= sz)
			return 0;
		out[o++] = s[i];
	}
	if (quoted || !sz)
		return 0;
	out[o] = '\0';
	return i;
}
