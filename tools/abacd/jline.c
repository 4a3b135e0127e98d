// SPDX-License-Identifier: GPL-2.0-only
/*
 * The plain form of an event line, made from its JSON.
 *
 * Live events and the ones read back from the log both go through here,
 * so a subscriber sees one plain form whatever the source.  The parser
 * knows only what the event log holds: one flat object whose values are
 * strings, numbers, booleans or null.  Anything else is refused and the
 * caller sends the line as it is.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abacd.h"

#define JLINE_FIELDS	48

/**
 * struct jfield - one member of a flat object.
 * @key: its key, decoded.
 * @val: its value: a decoded string, or the text of a number or boolean;
 *	NULL for null.
 */
struct jfield {
	const char *key;
	const char *val;
};

/**
 * struct jline - a parsed flat object.
 * @f: its members.
 * @n: members in @f.
 * @scalar: the text of each scalar value, NUL-terminated.
 */
struct jline {
	struct jfield f[JLINE_FIELDS];
	int n;
	char scalar[JLINE_FIELDS][32];
};

static char *skip_ws(char *p, char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
			   *p == '\n'))
		p++;
	return p;
}

static int hex4(const char *p, const char *end, unsigned int *v)
{
	int i;

	*v = 0;
	if (end - p < 4)
		return -EINVAL;
	for (i = 0; i < 4; i++) {
		char c = p[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			*v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			*v |= c - 'A' + 10;
		else
			return -EINVAL;
	}
	return 0;
}

static char *put_utf8(char *o, unsigned int cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xc0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xe0 | cp >> 12);
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xf0 | cp >> 18);
		*o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	return o;
}

/* The \uXXXX escape (and its low surrogate) at *@pp, its backslash. */
static int unicode_escape(char **pp, char *end, char **oo)
{
	unsigned int cp, lo;
	char *p = *pp;

	if (hex4(p + 2, end, &cp))
		return -EINVAL;
	p += 6;
	if (cp >= 0xd800 && cp < 0xdc00 && end - p >= 6 && p[0] == '\\' &&
	    p[1] == 'u' && !hex4(p + 2, end, &lo) && lo >= 0xdc00 &&
	    lo < 0xe000) {
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		p += 6;
	} else if (cp >= 0xd800 && cp < 0xe000) {
		cp = 0xfffd;	/* a lone surrogate */
	}
	*oo = put_utf8(*oo, cp);
	*pp = p;
	return 0;
}

/*
 * Decode the string at *@pp (its opening quote) in place: escapes are
 * never shorter than what they stand for.  *@pp ends after the closing
 * quote.
 */
static int parse_string(char **pp, char *end, const char **out)
{
	static const char esc_in[] = "\"\\/bfnrt";
	static const char esc_out[] = "\"\\/\b\f\n\r\t";
	char *p = *pp + 1, *o = p, *hit;

	*out = p;
	while (p < end && *p != '"') {
		if (*p != '\\') {
			*o++ = *p++;
			continue;
		}
		if (p + 1 >= end)
			return -EINVAL;
		if (p[1] == 'u') {
			if (unicode_escape(&p, end, &o))
				return -EINVAL;
			continue;
		}
		hit = strchr(esc_in, p[1]);
		if (!hit || !p[1])
			return -EINVAL;
		*o++ = esc_out[hit - esc_in];
		p += 2;
	}
	if (p >= end)
		return -EINVAL;
	*o = '\0';	/* over the closing quote or an escape's tail */
	*pp = p + 1;
	return 0;
}

/* A number, true or false: its text, copied to @text; null: NULL. */
static int parse_scalar(char **pp, char *end, char text[32],
			const char **out)
{
	char *p = *pp, *start = p;

	while (p < end && *p && (strchr("+-.eE", *p) ||
				 (*p >= '0' && *p <= '9') ||
				 (*p >= 'a' && *p <= 'z')))
		p++;
	if (p == start || p - start >= 32)
		return -EINVAL;
	memcpy(text, start, p - start);
	text[p - start] = '\0';
	*out = strcmp(text, "null") ? text : NULL;
	*pp = p;
	return 0;
}

/* One "key": value member; *@pp ends after it. */
static int parse_member(char **pp, char *end, struct jfield *f,
			char text[32])
{
	char *p = skip_ws(*pp, end);
	int err;

	if (p >= end || *p != '"' || parse_string(&p, end, &f->key))
		return -EINVAL;
	p = skip_ws(p, end);
	if (p >= end || *p != ':')
		return -EINVAL;
	p = skip_ws(p + 1, end);
	if (p < end && *p == '"')
		err = parse_string(&p, end, &f->val);
	else
		err = parse_scalar(&p, end, text, &f->val);
	*pp = p;
	return err;
}

/* Parse a flat object, in place in @s (NUL-terminated, @len bytes). */
static int jline_parse(char *s, size_t len, struct jline *j)
{
	char *p = s, *end = s + len;
	char sep;

	j->n = 0;
	p = skip_ws(p, end);
	if (p >= end || *p++ != '{')
		return -EINVAL;
	p = skip_ws(p, end);
	if (p < end && *p == '}')
		return 0;
	for (;;) {
		if (j->n >= JLINE_FIELDS ||
		    parse_member(&p, end, &j->f[j->n], j->scalar[j->n]))
			return -EINVAL;
		j->n++;
		p = skip_ws(p, end);
		if (p >= end)
			return -EINVAL;
		sep = *p++;
		if (sep == '}')
			return 0;
		if (sep != ',')
			return -EINVAL;
	}
}

static const char *get(const struct jline *j, const char *key)
{
	int i;

	for (i = 0; i < j->n; i++) {
		if (!strcmp(j->f[i].key, key))
			return j->f[i].val;
	}
	return NULL;
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

/* "rule=ID "NLP"", "rule=#N" or "rule=- reason=R". */
static void plain_rule(FILE *f, const struct jline *j)
{
	const char *reason = get(j, "reason"), *id = get(j, "rule");
	const char *idx = get(j, "rule_index"), *nlp = get(j, "nlp");

	if (reason && !strcmp(reason, "guard")) {
		fprintf(f, " rule=- reason=guard guard=%s",
			or_dash(get(j, "guard")));
		return;
	}
	if (reason && strcmp(reason, "rule")) {
		fprintf(f, " rule=- reason=%s", reason);
		return;
	}
	if (id)
		fprintf(f, " rule=%s", id);
	else if (idx)
		fprintf(f, " rule=#%s", idx);
	else
		fputs(" rule=-", f);
	if (nlp)
		fprintf(f, " \"%s\"", nlp);
}

static void plain_line(FILE *f, const struct jline *j)
{
	const char *decision = get(j, "decision");
	const char *word = "DENY";

	if (decision && !strcmp(decision, "lost")) {
		fprintf(f, "%s LOST %s events (ring buffer full; %s lost in all)",
			or_dash(get(j, "time")), or_dash(get(j, "lost")),
			or_dash(get(j, "lost_total")));
		return;
	}
	if (decision && !strcmp(decision, "tagged")) {
		fprintf(f, "%s TAGGED cgroup=%s tags=%s by=%s generation=%s",
			or_dash(get(j, "time")), or_dash(get(j, "cgroup")),
			or_dash(get(j, "subject_tags")),
			or_dash(get(j, "reason")),
			or_dash(get(j, "generation")));
		return;
	}

	if (decision && !strcmp(decision, "audit"))
		word = "AUDIT";
	else if (decision && !strcmp(decision, "allow"))
		word = "ALLOW";	/* a sampled allow (events: sample-allows) */
	fprintf(f, "%s %s %s %s pid=%s uid=%s comm=%s cgroup=%s",
		or_dash(get(j, "time")), word,
		or_dash(get(j, "op")), or_dash(get(j, "path")),
		or_dash(get(j, "pid")), or_dash(get(j, "uid")),
		or_dash(get(j, "comm")), or_dash(get(j, "cgroup")));
	plain_rule(f, j);
	if (get(j, "event_id"))
		fprintf(f, " id=%s", get(j, "event_id"));
}

/**
 * jline_plain() - the plain form of one event line.
 * @line: the JSON line (its newline optional).
 * @len: its bytes.
 * @out: receives the plain line, malloc()ed, without a newline.
 * @out_len: receives its length.
 *
 * TIME DENY|AUDIT OP PATH pid=N uid=N comm=C cgroup=PATH rule=ID "NLP"
 * id=EVENT_ID, with "rule=- reason=R" when no rule decided.
 *
 * Return: 0, or -EINVAL when @line is not an event line (the caller sends
 * it as it is), -ENOMEM.
 */
int jline_plain(const char *line, size_t len, char **out, size_t *out_len)
{
	struct jline j;
	char *s, *buf = NULL;
	FILE *f;
	int err;

	s = malloc(len + 1);
	if (!s)
		return -ENOMEM;
	memcpy(s, line, len);
	s[len] = '\0';
	err = jline_parse(s, len, &j);
	if (!err && !get(&j, "time"))
		err = -EINVAL;
	if (!err) {
		f = open_memstream(&buf, out_len);
		if (f) {
			plain_line(f, &j);
			err = fclose(f) ? -ENOMEM : 0;
		} else {
			err = -ENOMEM;
		}
	}
	free(s);
	if (err) {
		free(buf);
		return err;
	}
	/* a newline in a file name must not forge a second event line */
	for (s = buf; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
	}
	*out = buf;
	return 0;
}
