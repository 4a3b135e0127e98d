// SPDX-License-Identifier: GPL-2.0-only
/*
 * Attribute values as words: the text a tag, a label, an environment
 * setting or an eval request gives, turned into the 64-bit word the
 * decision core compares (lsm/abac_abi.h, enum abac_cond_kind), and back.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

const char *const abac_type_names[ABAC_TYPE_COUNT] = {
	[ABAC_TYPE_STRING] = "string",
	[ABAC_TYPE_SET] = "set",
	[ABAC_TYPE_BOOL] = "bool",
	[ABAC_TYPE_INT] = "int",
	[ABAC_TYPE_LEVEL] = "level",
};

/**
 * abac_type_name() - the policy-language name of an attribute type.
 * @type: enum abac_attr_type.
 *
 * Return: "string", "set", ... or "unknown".
 */
const char *abac_type_name(unsigned int type)
{
	return type < ABAC_TYPE_COUNT ? abac_type_names[type] : "unknown";
}

/**
 * abac_side_name() - "subject", "object" or "env".
 * @side: enum abac_side.
 *
 * Return: the name.
 */
const char *abac_side_name(unsigned int side)
{
	return side == ABAC_SIDE_OBJECT ? "object" :
	       side == ABAC_SIDE_ENV ? "env" : "subject";
}

/**
 * abac_policy_attrs() - the attributes of one side.
 * @p: the policy.
 * @side: enum abac_side.
 * @n: receives their count.
 *
 * Return: the attribute array (NULL when none).
 */
struct abac_attr_def *abac_policy_attrs(const struct abac_policy *p,
					unsigned int side, unsigned int *n)
{
	switch (side) {
	case ABAC_SIDE_SUBJECT:
		*n = p->nsattrs;
		return p->sattrs;
	case ABAC_SIDE_OBJECT:
		*n = p->noattrs;
		return p->oattrs;
	default:
		*n = p->neattrs;
		return p->eattrs;
	}
}

static bool same(const char *name, const char *s, size_t len)
{
	return strlen(name) == len && !memcmp(name, s, len);
}

/**
 * abac_attr_find() - an attribute by name or alias.
 * @p: the policy.
 * @side: enum abac_side.
 * @name: the name.
 * @len: bytes in @name.
 *
 * Return: the attribute's number, or -1.
 */
int abac_attr_find(const struct abac_policy *p, unsigned int side,
		   const char *name, size_t len)
{
	const struct abac_attr_def *a;
	unsigned int n, i, k;

	a = abac_policy_attrs(p, side, &n);
	for (i = 0; i < n; i++)
		if (same(a[i].name, name, len))
			return i;
	for (i = 0; i < n; i++)
		for (k = 0; k < a[i].naliases; k++)
			if (a[i].alias_to[k] < 0 && same(a[i].alias[k], name, len))
				return i;
	return -1;
}

/* The number of value @s of @a (a declared value or an alias), or -1. */
static int value_find(const struct abac_attr_def *a, const char *s,
		      size_t len)
{
	unsigned int i;

	for (i = 0; i < a->nvalues; i++)
		if (abac_attr_legal(a, i) && same(a->values[i], s, len))
			return i;
	for (i = 0; i < a->naliases; i++)
		if (a->alias_to[i] >= 0 && same(a->alias[i], s, len))
			return a->alias_to[i];
	return -1;
}

static int int_word(const struct abac_attr_def *a, const char *s, size_t len,
		    __u64 *word, char *err, size_t errsz)
{
	char buf[32], *end;
	long long v;

	if (!len || len >= sizeof(buf))
		goto bad;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno || *end || end == buf)
		goto bad;
	if (v == INT64_MIN) {	/* its biased word would be 0: "absent" */
		snprintf(err, errsz, "%s attribute '%s': %lld is below the smallest int, %lld",
			 abac_side_name(a->side), a->name, v,
			 (long long)INT64_MIN + 1);
		return -EINVAL;
	}
	if ((a->has_min && v < a->min) || (a->has_max && v > a->max)) {
		snprintf(err, errsz, "%lld is outside the range of %s attribute '%s' [%lld, %lld]",
			 v, abac_side_name(a->side), a->name, a->has_min ? a->min : (long long)INT64_MIN,
			 a->has_max ? a->max : (long long)INT64_MAX);
		return -EINVAL;
	}
	*word = (__u64)v + ABAC_INT_BIAS;
	return 0;
bad:
	snprintf(err, errsz, "%s attribute '%s' is an int: it takes a decimal number, not '%.*s'",
		 abac_side_name(a->side), a->name, (int)(len > 64 ? 64 : len), s);
	return -EINVAL;
}

/* "unknown value 'x' for subject attribute 'a' (did you mean 'y'?)" */
static void value_unknown(const struct abac_attr_def *a, const char *s,
			  size_t len, const char *sug,
			  const char *const *cands, size_t n, char *err,
			  size_t errsz)
{
	char q[ABAC_QUOTE_BYTES];
	size_t o, i;

	o = snprintf(err, errsz, "unknown value '%s' for %s attribute '%s'",
		     abac_quote(s, len, q), abac_side_name(a->side), a->name);
	if (o >= errsz)
		return;
	if (sug) {
		snprintf(err + o, errsz - o, " (did you mean '%s'?)", sug);
		return;
	}
	if (!n || n > 16)
		return;
	for (i = 0; i < n && o < errsz; i++)
		o += snprintf(err + o, errsz - o, "%s%s",
			      i ? ", " : " (expected one of: ", cands[i]);
	if (o < errsz)
		snprintf(err + o, errsz - o, ")");
}

/**
 * abac_open_word() - the word of a value of an open attribute.
 * @s: the value's text, unescaped.
 * @len: bytes in @s.
 *
 * Return: abac_hash_word() of its SipHash-2-4 under the image's key (the
 * public key: per-host keys are still to come).
 */
__u64 abac_open_word(const char *s, size_t len)
{
	const struct abac_hash_key pub = {
		.k0 = ABAC_HASH_KEY_PUBLIC_K0, .k1 = ABAC_HASH_KEY_PUBLIC_K1,
	};

	return abac_hash_word(abac_sip_bytes(&pub, s, len));
}

struct word_text {
	__u64 w;
	const char *s;
};

static int word_cmp(const void *a, const void *b)
{
	const struct word_text *x = a, *y = b;

	if (x->w != y->w)
		return x->w < y->w ? -1 : 1;
	return strcmp(x->s, y->s);
}

/**
 * abac_open_collisions() - find two declared values with one word.
 * @texts: the values' texts.
 * @words: their words.
 * @n: values.
 * @err: receives a message naming both texts.
 * @errsz: bytes at @err.
 *
 * The same text twice (a value shared by two attributes a relation
 * compares) is no collision.
 *
 * Return: 0, -EEXIST on a collision, -ENOMEM.
 */
int abac_open_collisions(const char *const *texts, const __u64 *words,
			 size_t n, char *err, size_t errsz)
{
	struct word_text *t;
	size_t i;
	int ret = 0;

	if (n < 2)
		return 0;
	t = calloc(n, sizeof(*t));
	if (!t)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		t[i].w = words[i];
		t[i].s = texts[i];
	}
	qsort(t, n, sizeof(*t), word_cmp);
	for (i = 1; i < n; i++)
		if (t[i].w == t[i - 1].w && strcmp(t[i].s, t[i - 1].s)) {
			snprintf(err, errsz, "values '%s' and '%s' hash alike (%016llx): rename one",
				 t[i - 1].s, t[i].s,
				 (unsigned long long)t[i].w);
			ret = -EEXIST;
			break;
		}
	free(t);
	return ret;
}

/* The word of one raw value of a string, set, bool or level attribute. */
static int value_word(const struct abac_attr_def *a, const char *s,
		      size_t len, __u64 *word, char *err, size_t errsz)
{
	const char *cands[ABAC_MAX_VALUES];
	char word_s[ABAC_NAME_MAX];
	const char *sug = NULL;
	size_t n = 0;
	int v;

	if (a->open) {	/* any value: its word is its hash */
		char why[160], q[ABAC_QUOTE_BYTES];

		if (abac_value_invalid(s, len, why, sizeof(why))) {
			snprintf(err, errsz, "bad value '%s' for open %s attribute '%s': %s",
				 abac_quote(s, len, q), abac_side_name(a->side),
				 a->name, why);
			return -EINVAL;
		}
		*word = abac_open_word(s, len);
		return 0;
	}
	v = value_find(a, s, len);
	if (v >= 0) {
		*word = abac_attr_num_word(a, v);
		return 0;
	}
	for (v = 0; v < (int)a->nvalues && n < ABAC_MAX_VALUES; v++)
		if (abac_attr_legal(a, v))
			cands[n++] = a->values[v];
	if (len < sizeof(word_s)) {
		memcpy(word_s, s, len);
		word_s[len] = '\0';
		sug = abac_suggest(word_s, cands, n);
	}
	value_unknown(a, s, len, sug, cands, n, err, errsz);
	return -EINVAL;
}

/**
 * abac_attr_value_word() - the word of one value as a policy gives it.
 * @a: the attribute.
 * @s: the value (or a value's alias) as written, unescaped; for an int, a
 *	decimal number.
 * @len: bytes in @s.
 * @word: receives the word (never 0).
 * @err: receives a message on failure, naming the closest value.
 * @errsz: bytes in @err.
 *
 * Return: 0, or -EINVAL.
 */
int abac_attr_value_word(const struct abac_attr_def *a, const char *s,
			 size_t len, __u64 *word, char *err, size_t errsz)
{
	if (a->type == ABAC_TYPE_INT)
		return int_word(a, s, len, word, err, errsz);
	return value_word(a, s, len, word, err, errsz);
}

/**
 * abac_set_free() - release the members of an open set.
 * @m: the set; left empty.
 */
void abac_set_free(struct abac_set *m)
{
	unsigned int i;

	for (i = 0; m->text && i < m->n; i++)
		free(m->text[i]);
	free(m->text);
	free(m->w);
	m->text = NULL;
	m->w = NULL;
	m->n = 0;
}

/**
 * abac_set_sort() - sort the members of an open set by word.
 * @m: the set; the same text twice is kept once.
 * @err: receives a message naming two texts with one word.
 * @errsz: bytes at @err.
 *
 * Return: 0, or -EEXIST when two different texts hash alike, -ENOMEM.
 */
int abac_set_sort(struct abac_set *m, char *err, size_t errsz)
{
	struct word_text *t;
	unsigned int i, k = 0;

	if (m->n < 2)
		return 0;
	t = calloc(m->n, sizeof(*t));
	if (!t)
		return -ENOMEM;
	for (i = 0; i < m->n; i++) {
		t[i].w = m->w[i];
		t[i].s = m->text[i];
	}
	qsort(t, m->n, sizeof(*t), word_cmp);
	for (i = 0; i < m->n; i++) {
		if (k && t[i].w == m->w[k - 1]) {
			if (strcmp(t[i].s, m->text[k - 1])) {
				snprintf(err, errsz, "members '%s' and '%s' hash alike (%016llx): rename one",
					 m->text[k - 1], t[i].s,
					 (unsigned long long)t[i].w);
				free(t);
				return -EEXIST;
			}
			free((char *)t[i].s);	/* the same text again */
			continue;
		}
		m->w[k] = t[i].w;
		m->text[k++] = (char *)t[i].s;
	}
	m->n = k;
	free(t);
	return 0;
}

/**
 * abac_set_add() - add one member to an open set, unsorted.
 * @m: the set.
 * @s: the member's text, unescaped and valid (abac_value_invalid()).
 * @len: bytes in @s.
 *
 * Return: 0 or -ENOMEM.
 */
int abac_set_add(struct abac_set *m, const char *s, size_t len)
{
	__u64 *w = realloc(m->w, (m->n + 1) * sizeof(*w));
	char **t;

	if (!w)
		return -ENOMEM;
	m->w = w;
	t = realloc(m->text, (m->n + 1) * sizeof(*t));
	if (!t)
		return -ENOMEM;
	m->text = t;
	t[m->n] = strndup(s, len);
	if (!t[m->n])
		return -ENOMEM;
	w[m->n++] = abac_open_word(s, len);
	return 0;
}

/**
 * abac_set_add_word() - add one member of known word to a set, unsorted.
 * @m: the set.
 * @s: the member's text.
 * @len: bytes in @s.
 * @w: its word (a large enumeration's ABAC_ENUM_WORD(), not a hash).
 *
 * Return: 0 or -ENOMEM.
 */
int abac_set_add_word(struct abac_set *m, const char *s, size_t len, __u64 w)
{
	int err = abac_set_add(m, s, len);

	if (!err)
		m->w[m->n - 1] = w;
	return err;
}

/**
 * abac_set_parse() - the members of an open set written as text.
 * @a: the attribute, an open set.
 * @s: the members separated by commas, each escaped as in a label.
 * @len: bytes in @s.
 * @m: receives the members, sorted by word (abac_set_sort()); empty on
 *	failure.
 * @err: receives a message on failure.
 * @errsz: bytes at @err.
 *
 * Return: 0; -EINVAL for a bad member or two that hash alike; -E2BIG for
 * more than ABAC_SET_MEMBERS members; -ENOMEM.
 */
int abac_set_parse(const struct abac_attr_def *a, const char *s, size_t len,
		   struct abac_set *m, char *err, size_t errsz)
{
	char raw[ABAC_VALUE_MAX + 1], why[160], q[ABAC_QUOTE_BYTES];
	size_t i = 0, span;
	int rlen, ret = 0;

	memset(m, 0, sizeof(*m));
	for (;;) {
		span = abac_value_span(s + i, len - i);
		rlen = abac_value_unescape(s + i, span, raw, sizeof(raw), why,
					   sizeof(why));
		if (rlen < 0) {
			snprintf(err, errsz, "bad member '%s' of open set '%s': %s",
				 abac_quote(s + i, span, q), a->name, why);
			ret = -EINVAL;
			break;
		}
		if (m->n == ABAC_SET_MEMBERS) {
			snprintf(err, errsz, "open set '%s' holds more than %d members (ABAC_SET_MEMBERS)",
				 a->name, ABAC_SET_MEMBERS);
			ret = -E2BIG;
			break;
		}
		ret = abac_set_add(m, raw, rlen);
		if (ret)
			break;
		i += span;
		if (i >= len)
			break;
		i++;
	}
	if (!ret)
		ret = abac_set_sort(m, err, errsz);
	if (ret == -EEXIST)
		ret = -EINVAL;
	if (ret == -ENOMEM)
		snprintf(err, errsz, "out of memory");
	if (ret)
		abac_set_free(m);
	return ret;
}

/**
 * abac_attr_word() - the word of a value written as text.
 * @a: the attribute.
 * @s: the text: a value (or a value's alias), escaped as in a label
 *	('\' before each '\' ',' ';' '='); for a set, values separated by
 *	commas; for an int, a decimal number; for a bool, true or false.
 * @len: bytes in @s.
 * @word: receives the word (never 0).
 * @err: receives a message on failure, naming the closest value.
 * @errsz: bytes in @err.
 *
 * Return: 0, or -EINVAL.
 */
int abac_attr_word(const struct abac_attr_def *a, const char *s, size_t len,
		   __u64 *word, char *err, size_t errsz)
{
	char raw[ABAC_VALUE_MAX + 1], why[160];
	size_t i = 0, span, n = 0;
	__u64 w = 0, one = 0;
	int rlen;

	if (a->type == ABAC_TYPE_INT)
		return int_word(a, s, len, word, err, errsz);
	if (a->open && a->type == ABAC_TYPE_SET) {
		struct abac_set m;
		int ret = abac_set_parse(a, s, len, &m, err, errsz);

		if (ret)
			return ret == -E2BIG ? -EINVAL : ret;
		/* no image holds these members: see ABAC_SET_UNRESOLVED */
		*word = ABAC_SET_WORD(ABAC_SET_UNRESOLVED, m.n);
		abac_set_free(&m);
		return 0;
	}
	for (;;) {
		span = abac_value_span(s + i, len - i);
		if (a->type != ABAC_TYPE_SET && (i + span < len || n)) {
			snprintf(err, errsz, "%s attribute '%s' takes one value, not '%.*s'",
				 abac_side_name(a->side), a->name,
				 (int)(len > 64 ? 64 : len), s);
			return -EINVAL;
		}
		rlen = abac_value_unescape(s + i, span, raw, sizeof(raw), why,
					   sizeof(why));
		if (rlen < 0) {
			char q[ABAC_QUOTE_BYTES];

			snprintf(err, errsz, "bad value '%s' for %s attribute '%s': %s",
				 abac_quote(s + i, span, q),
				 abac_side_name(a->side), a->name, why);
			return -EINVAL;
		}
		if (value_word(a, raw, rlen, &one, err, errsz))
			return -EINVAL;
		w |= one;
		n++;
		i += span;
		if (i >= len)
			break;
		i++;
	}
	*word = w;
	return 0;
}

/**
 * abac_attr_word_text() - a word as text, the inverse of abac_attr_word():
 *	each value escaped as a label writes it.
 * @a: the attribute.
 * @w: the word.
 * @buf: receives the text.
 * @sz: bytes in @buf.
 *
 * Return: @buf ("(absent)" for 0).
 */
const char *abac_attr_word_text(const struct abac_attr_def *a, __u64 w,
				char *buf, size_t sz)
{
	size_t o = 0;
	unsigned int i;

	buf[0] = '\0';
	if (!w) {
		snprintf(buf, sz, "(absent)");
		return buf;
	}
	if (a->type == ABAC_TYPE_INT) {
		snprintf(buf, sz, "%lld", (long long)(w - ABAC_INT_BIAS));
		return buf;
	}
	if (a->open && a->type == ABAC_TYPE_SET) {
		snprintf(buf, sz, "(a set of %u member%s)", ABAC_SET_COUNT(w),
			 ABAC_SET_COUNT(w) == 1 ? "" : "s");
		return buf;
	}
	if (a->open) {	/* a declared value by name, else its hash */
		for (i = 0; i < a->nvalues; i++)
			if (abac_open_word(a->values[i],
					   strlen(a->values[i])) == w) {
				abac_value_escape(a->values[i],
						  strlen(a->values[i]), buf, sz);
				return buf;
			}
		snprintf(buf, sz, "#%016llx", (unsigned long long)w);
		return buf;
	}
	if (abac_attr_is_enum(a)) {	/* its number plus one */
		if (w > a->nvalues)
			snprintf(buf, sz, "#%llu", (unsigned long long)w);
		else
			abac_value_escape(a->values[w - 1],
					  strlen(a->values[w - 1]), buf, sz);
		return buf;
	}
	for (i = 0; i < 64 && o < sz; i++) {
		const char *v = i < a->nvalues ? a->values[i] : "?";

		if (!(w >> i & 1))
			continue;
		if (o)
			o += snprintf(buf + o, sz - o, ",");
		if (o < sz)
			o += abac_value_escape(v, strlen(v), buf + o, sz - o);
	}
	return buf;
}
