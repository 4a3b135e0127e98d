// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading abacd's event log (/var/log/abac/events.jsonl, one flat JSON
 * object a line; Documentation/abacd.rst) for the tools that learn from
 * recorded decisions: replay and suggest.
 *
 * Only a flat object of strings, numbers, booleans and null is read; a
 * line that is anything else is refused, never guessed at.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libabac.h"

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
			   *p == '\n'))
		p++;
	return p;
}

/* A JSON string at *@pp into @out (cut at @sz - 1 bytes, \u as '?'). */
static int json_string(const char **pp, const char *end, char *out,
		       size_t sz)
{
	static const char esc_in[] = "\"\\/bfnrt", esc_out[] = "\"\\/\b\f\n\r\t";
	const char *p = *pp + 1, *e;
	size_t n = 0;
	char c;

	for (; p < end && *p != '"'; p++) {
		c = *p;
		if (c == '\\') {
			if (++p >= end)
				return -EINVAL;
			e = strchr(esc_in, *p);
			if (*p == 'u') {
				if (end - p < 5)
					return -EINVAL;
				p += 4;
				c = '?';
			} else if (!e || !*p) {
				return -EINVAL;
			} else {
				c = esc_out[e - esc_in];
			}
		} else if ((unsigned char)c < 0x20) {
			return -EINVAL;
		}
		if (n + 1 < sz)
			out[n++] = c;
	}
	if (p >= end)
		return -EINVAL;
	out[n] = '\0';
	*pp = p + 1;
	return 0;
}

/* A number, true, false or null at *@pp, as its text. */
static int json_scalar(const char **pp, const char *end, char *out,
		       size_t sz)
{
	const char *p = *pp;
	size_t n = 0;

	while (p < end && (strchr("+-.eE", *p) || (*p >= '0' && *p <= '9') ||
			   (*p >= 'a' && *p <= 'z'))) {
		if (n + 1 < sz)
			out[n++] = *p;
		p++;
	}
	out[n] = '\0';
	if (!n)
		return -EINVAL;
	if (!strcmp(out, "null"))
		out[0] = '\0';
	*pp = p;
	return 0;
}

/* Where the value of key @key goes in @r, and its size; NULL: ignored. */
static char *field(struct abac_evrec *r, const char *key, size_t *sz)
{
	static const struct {
		const char *key;
		size_t off, sz;
	} map[] = {
#define F(k, m) { k, offsetof(struct abac_evrec, m), \
		  sizeof(((struct abac_evrec *)0)->m) }
		F("time", time), F("op", op), F("path", path),
		F("decision", decision), F("subject_tags", subject_tags),
		F("object_label", object_label), F("env", env),
		F("rule", rule), F("comm", comm), F("reason", reason),
		F("event_id", event_id), F("pid", pid), F("uid", uid),
		F("cgroup", cgroup), F("guard", guard),
#undef F
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].key, key)) {
			*sz = map[i].sz;
			return (char *)r + map[i].off;
		}
	return NULL;
}

/*
 * Walk the members of a flat JSON object: @dest says where each key's
 * value goes (and its size), NULL for a value to skip.
 */
static int flat_walk(const char *obj, size_t len,
		     char *(*dest)(void *ctx, const char *key, size_t *sz),
		     void *ctx)
{
	const char *p = obj, *end = obj + len;
	char key[64], scratch[64], *dst;
	size_t sz;

	p = skip_ws(p, end);
	if (p >= end || *p != '{')
		return -EINVAL;
	p = skip_ws(p + 1, end);
	while (p < end && *p != '}') {
		if (*p != '"' || json_string(&p, end, key, sizeof(key)))
			return -EINVAL;
		p = skip_ws(p, end);
		if (p >= end || *p != ':')
			return -EINVAL;
		p = skip_ws(p + 1, end);
		dst = dest(ctx, key, &sz);
		if (!dst) {
			dst = scratch;
			sz = sizeof(scratch);
		}
		if (p < end && *p == '"' ? json_string(&p, end, dst, sz) :
					    json_scalar(&p, end, dst, sz))
			return -EINVAL;
		p = skip_ws(p, end);
		if (p < end && *p == ',')
			p = skip_ws(p + 1, end);
		else if (p < end && *p != '}')
			return -EINVAL;
	}
	return p < end ? (int)(p + 1 - obj) : -EINVAL;
}

static char *rec_field(void *ctx, const char *key, size_t *sz)
{
	return field(ctx, key, sz);
}

/**
 * abac_evrec_parse() - read one line of the event log.
 * @line: the line (a newline at its end is allowed).
 * @len: its bytes.
 * @r: receives the fields abac knows; the others are skipped.
 *
 * Return: 0, or -EINVAL when the line is not one flat JSON object.
 */
int abac_evrec_parse(const char *line, size_t len, struct abac_evrec *r)
{
	int n;

	memset(r, 0, sizeof(*r));
	n = flat_walk(line, len, rec_field, r);
	if (n < 0 || skip_ws(line + n, line + len) != line + len)
		return -EINVAL;
	return 0;
}

/**
 * abac_evrec_effect() - the effect the policy in force decided.
 * @r: the event.
 *
 * Return: ABAC_DENY for "deny" and "audit" (denied, let through in audit
 * mode), ABAC_ALLOW for "allow" (a sampled allow), -1 for anything else
 * (a lost-events line).
 */
int abac_evrec_effect(const struct abac_evrec *r)
{
	if (!strcmp(r->decision, "deny") || !strcmp(r->decision, "audit"))
		return ABAC_DENY;
	if (!strcmp(r->decision, "allow"))
		return ABAC_ALLOW;
	return -1;
}

/**
 * abac_evrec_time() - the event's time, seconds since the epoch.
 * @r: the event ("2026-03-02T10:00:00.123456789Z").
 * @t: receives the time.
 *
 * Return: 0, or -EINVAL.
 */
int abac_evrec_time(const struct abac_evrec *r, time_t *t)
{
	char buf[sizeof(r->time)], *dot;

	snprintf(buf, sizeof(buf), "%s", r->time);
	dot = strchr(buf, '.');
	if (dot)	/* the fraction of a second: the decision never reads it */
		memmove(dot, dot + strcspn(dot, "Z+-"), strlen(dot) -
			strcspn(dot, "Z+-") + 1);
	return abac_parse_time(buf, "UTC", t);
}

/* One key's destination, for abac_jflat_get(). */
struct one_key {
	const char *key;
	char *out;
	size_t sz;
	bool found;
};

static char *one_field(void *ctx, const char *key, size_t *sz)
{
	struct one_key *k = ctx;

	if (strcmp(key, k->key))
		return NULL;
	k->found = true;
	*sz = k->sz;
	return k->out;
}

/**
 * abac_jflat_get() - the value of one key of a flat JSON object.
 * @obj: the object's text.
 * @len: its bytes.
 * @key: the key.
 * @out: receives the value (a string decoded, a number as text, "" for
 *	null), cut at @sz - 1 bytes.
 * @sz: bytes in @out.
 *
 * Return: 0, -ENOENT when the object has no such key, -EINVAL when it is
 * not a flat object.
 */
int abac_jflat_get(const char *obj, size_t len, const char *key, char *out,
		   size_t sz)
{
	struct one_key k = { key, out, sz, false };

	if (flat_walk(obj, len, one_field, &k) < 0)
		return -EINVAL;
	return k.found ? 0 : -ENOENT;
}
