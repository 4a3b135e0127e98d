// SPDX-License-Identifier: GPL-2.0-only
/*
 * Small helpers shared by the policy parser, the compiler and the image
 * code: the name character set, UTF-8 checking, "did you mean" and reading
 * a whole file.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libabac.h"

/* Bytes abac_read_file() accepts: a policy and an image are far smaller. */
#define ABAC_READ_MAX		(258U << 20)	/* a joined policy text */

/* Names longer than this are never offered as "did you mean". */
#define SUGGEST_MAX		ABAC_NAME_MAX

/**
 * abac_name_valid() - is @s a valid name?
 * @s: the bytes.
 * @len: bytes in @s.
 *
 * Attribute names, values, rule ids and the policy name are 1 to
 * ABAC_NAME_MAX - 1 characters of [A-Za-z0-9_.:/@+-]: the characters a
 * label may hold in a key or a value.
 *
 * Return: true when @s is a valid name.
 */
bool abac_name_valid(const char *s, size_t len)
{
	size_t i;

	if (!len || len >= ABAC_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (abac_label_class((__u8)s[i]) != ABAC_LC_NAME)
			return false;
	return true;
}

/**
 * abac_utf8_seq() - the length of the UTF-8 sequence at @s.
 * @s: the bytes.
 * @len: bytes readable from @s, at least 1.
 *
 * Overlong forms, surrogates and code points above U+10FFFF are invalid.
 *
 * Return: 1 to 4, or 0 when @s does not start a well-formed sequence.
 */
size_t abac_utf8_seq(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	__u32 cp, min;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/**
 * abac_edit_distance() - optimal string alignment distance of two words.
 * @a: one word.
 * @b: the other.
 *
 * Insertions, deletions, substitutions and transpositions of two adjacent
 * characters each cost one, so "efect", "efffect" and "effcet" are all one
 * away from "effect".
 *
 * Return: the distance, or ABAC_NAME_MAX * 2 when either word is too long
 * to be a name.
 */
unsigned int abac_edit_distance(const char *a, const char *b)
{
	unsigned int d[SUGGEST_MAX + 1][SUGGEST_MAX + 1];
	size_t la = strlen(a), lb = strlen(b), i, j;
	unsigned int best, v;

	if (la > SUGGEST_MAX || lb > SUGGEST_MAX)
		return ABAC_NAME_MAX * 2;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			v = d[i - 1][j] + 1;
			if (v < best)
				best = v;
			v = d[i][j - 1] + 1;
			if (v < best)
				best = v;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1]) {
				v = d[i - 2][j - 2] + 1;
				if (v < best)
					best = v;
			}
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

/**
 * abac_suggest() - the candidate closest to a misspelt word.
 * @word: what was written.
 * @cands: the names that would have been accepted.
 * @n: entries in @cands.
 *
 * Return: the first candidate at the smallest edit distance, if that is
 * at most 2 (and less than the word's length, so that "x" does not
 * suggest "y"), else NULL.
 */
const char *abac_suggest(const char *word, const char *const *cands,
			 size_t n)
{
	unsigned int best = 3, dist;
	const char *found = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!cands[i])
			continue;
		dist = abac_edit_distance(word, cands[i]);
		if (dist < best && dist < strlen(word)) {
			best = dist;
			found = cands[i];
		}
	}
	return found;
}

/**
 * abac_quote() - a value made safe to quote in a message.
 * @s: the bytes, which may hold anything.
 * @len: bytes in @s.
 * @out: ABAC_QUOTE_BYTES bytes.
 *
 * Cuts @s to ABAC_QUOTE_MAX bytes on a character boundary (marking the cut
 * with "..."), writes control characters and bytes that are not UTF-8 as
 * \xNN.
 *
 * Return: @out.
 */
const char *abac_quote(const char *s, size_t len, char *out)
{
	size_t i = 0, o = 0, n;
	unsigned char ch;

	while (i < len) {
		ch = s[i];
		n = ch < 0x20 || ch == 0x7f ? 0 :
		    abac_utf8_seq((const unsigned char *)s + i, len - i);
		if (n == 2 && ch == 0xc2 && (unsigned char)s[i + 1] < 0xa0)
			n = 0;	/* a C1 control: \xc2 then \xNN */
		if (i + (n ? n : 1) > ABAC_QUOTE_MAX)
			break;
		if (!n) {
			o += sprintf(out + o, "\\x%02x", ch);
			i++;
			continue;
		}
		memcpy(out + o, s + i, n);
		o += n;
		i += n;
	}
	if (i < len) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

/* Read all of @fd into a growing buffer, at most ABAC_READ_MAX bytes. */
static int read_fd(int fd, size_t hint, char **buf, size_t *len)
{
	size_t cap = hint ? hint + 1 : 4096, n = 0;
	char *b, *nb;
	ssize_t r;

	b = malloc(cap + 1);
	if (!b)
		return -ENOMEM;
	for (;;) {
		if (n == cap) {
			if (cap >= ABAC_READ_MAX) {
				free(b);
				return -EFBIG;
			}
			cap *= 2;
			nb = realloc(b, cap + 1);
			if (!nb) {
				free(b);
				return -ENOMEM;
			}
			b = nb;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			r = -errno;
			free(b);
			return r;
		}
		if (!r)
			break;
		n += r;
	}
	if (n > ABAC_READ_MAX) {
		free(b);
		return -EFBIG;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

/**
 * abac_read_file() - read a whole file into memory.
 * @path: the file.
 * @buf: receives the malloc()ed bytes, followed by one NUL not counted in
 *	@len.
 * @len: receives the file's length.
 *
 * Works for pipes and character devices too.  Files above 258 MiB are
 * refused: nothing abac reads is that large (ABAC_LAYERS_MAX_BYTES, the
 * largest joined policy text; an image is at most ABAC_IMAGE_BYTES).
 *
 * Return: 0, or a negative errno (-EFBIG for a file too large).
 */
int abac_read_file(const char *path, char **buf, size_t *len)
{
	struct stat st;
	size_t hint = 0;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		goto close_fd;
	}
	if (S_ISDIR(st.st_mode)) {
		err = -EISDIR;
		goto close_fd;
	}
	if (S_ISREG(st.st_mode)) {
		if ((unsigned long long)st.st_size > ABAC_READ_MAX) {
			err = -EFBIG;
			goto close_fd;
		}
		hint = st.st_size;
	}
	err = read_fd(fd, hint, buf, len);
close_fd:
	close(fd);
	return err;
}

/**
 * abac_parse_addr() - "IP:PORT" or "[IPv6]:PORT" into its parts.
 * @s: the text.
 * @family: receives 4 or 6.
 * @addr: receives the address, network order (16 bytes, IPv4 first).
 * @port: receives the port.
 *
 * Return: 0, or -EINVAL for text that is not such an address.
 */
int abac_parse_addr(const char *s, __u32 *family, __u8 *addr, __u32 *port)
{
	char host[64], *end;
	const char *colon;
	size_t n;
	unsigned long p;

	memset(addr, 0, 16);
	if (s[0] == '[') {
		colon = strstr(s, "]:");
		if (!colon)
			return -EINVAL;
		n = colon - s - 1;
		if (n >= sizeof(host))
			return -EINVAL;
		memcpy(host, s + 1, n);
		colon++;
	} else {
		colon = strrchr(s, ':');
		if (!colon || (size_t)(colon - s) >= sizeof(host))
			return -EINVAL;
		n = colon - s;
		memcpy(host, s, n);
	}
	host[n] = '\0';
	p = strtoul(colon + 1, &end, 10);
	if (*end || end == colon + 1 || p > 65535)
		return -EINVAL;
	*port = p;
	if (inet_pton(AF_INET, host, addr) == 1)
		*family = 4;
	else if (inet_pton(AF_INET6, host, addr) == 1)
		*family = 6;
	else
		return -EINVAL;
	return 0;
}
