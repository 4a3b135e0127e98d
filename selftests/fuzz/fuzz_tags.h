/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Attribute values the fuzzers and their seed maker pick from a parsed
 * policy's own schema: a word per attribute and "k=v k=v" tags made of
 * them, whatever the attribute's type.
 */
#ifndef _ABAC_FUZZ_TAGS_H
#define _ABAC_FUZZ_TAGS_H

#include <stdio.h>
#include <stdlib.h>

#include "libabac.h"

enum { PICK_LOW, PICK_HIGH, PICK_MID, PICK_COUNT };

/*
 * A legal word of @a: its lowest, highest or a middle value (for a set,
 * every value it declares; for an int, its bounds or -3 and 1000; for an
 * open attribute, the hash of a declared value, 0 when it declares none;
 * for a large enumeration, its value's number plus one).
 */
static inline __u64 fuzz_word(const struct abac_attr_def *a,
			      unsigned int pick)
{
	long long lo, hi, v;
	unsigned int bits[ABAC_MAX_VALUES], n = 0, i;

	if (a->type == ABAC_TYPE_INT) {
		lo = a->has_min ? a->min :
		     a->has_max && a->max < -3 ? a->max : -3;
		hi = a->has_max ? a->max : lo > 1000 ? lo : 1000;
		v = pick == PICK_LOW ? lo : pick == PICK_HIGH ? hi :
		    lo / 2 + hi / 2;
		return (__u64)v + ABAC_INT_BIAS;
	}
	if (abac_attr_is_enum(a)) {	/* a large one: number plus one */
		i = pick == PICK_LOW ? 0 : pick == PICK_HIGH ?
		    a->nvalues - 1 : a->nvalues / 2;
		return ABAC_ENUM_WORD(i);
	}
	for (i = 0; i < a->nvalues && i < ABAC_MAX_VALUES; i++)
		if (a->legal >> i & 1)
			bits[n++] = i;
	if (!n)
		return 0;
	if (a->open) {	/* the hash of a declared value's text */
		i = bits[pick == PICK_LOW ? 0 : pick == PICK_HIGH ? n - 1 :
			 n / 2];
		return abac_open_word(a->values[i], strlen(a->values[i]));
	}
	if (pick == PICK_MID && a->type == ABAC_TYPE_SET)
		return a->legal;
	i = pick == PICK_LOW ? 0 : pick == PICK_HIGH ? n - 1 : n / 2;
	return 1ULL << bits[i];
}

/*
 * The members of open set @a a tag gives: of its declared values, the
 * first (PICK_LOW), all (PICK_HIGH) or every other one (PICK_MID),
 * escaped and joined by commas into @buf ("" when it declares none).
 */
static inline void fuzz_members_of(const struct abac_attr_def *a,
				   unsigned int pick, char *buf, size_t sz)
{
	unsigned int i, n = a->nvalues;
	size_t o = 0;

	buf[0] = '\0';
	for (i = 0; i < n && o + ABAC_VALUE_ESC_BYTES + 1 < sz; i++) {
		if ((pick == PICK_LOW && i) || (pick == PICK_MID && (i & 1)))
			continue;
		if (o)
			buf[o++] = ',';
		o += abac_value_escape(a->values[i], strlen(a->values[i]),
				       buf + o, sz - o);
	}
}

/*
 * "k=v k=v": the @pick word of every subject attribute, each pair quoted
 * as tag text writes a value holding white space (abac_pair_quote()).
 */
static inline void fuzz_tags_of(const struct abac_policy *p,
				unsigned int pick, char *buf, size_t sz)
{
	char text[ABAC_MAX_VALUES * ABAC_VALUE_ESC_BYTES];
	char pair[ABAC_NAME_MAX + 1 + sizeof(text)], *q;
	size_t o = 0;
	unsigned int i;
	__u64 w;

	buf[0] = '\0';
	for (i = 0; i < p->nsattrs && o < sz; i++) {
		if (p->sattrs[i].open && p->sattrs[i].type == ABAC_TYPE_SET) {
			fuzz_members_of(&p->sattrs[i], pick, text,
					sizeof(text));
			if (!text[0])
				continue;
			snprintf(pair, sizeof(pair), "%s=%s",
				 p->sattrs[i].name, text);
			q = abac_pair_quote(pair);
			o += snprintf(buf + o, sz - o, "%s%s", o ? " " : "",
				      q ? q : pair);
			free(q);
			continue;
		}
		w = fuzz_word(&p->sattrs[i], pick);
		if (!w)
			continue;
		abac_attr_word_text(&p->sattrs[i], w, text, sizeof(text));
		snprintf(pair, sizeof(pair), "%s=%s", p->sattrs[i].name, text);
		q = abac_pair_quote(pair);
		o += snprintf(buf + o, sz - o, "%s%s", o ? " " : "",
			      q ? q : pair);
		free(q);
	}
}

#endif /* _ABAC_FUZZ_TAGS_H */
