// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac policy draft: a sentence of controlled English into a rule, in the
 * policy's own vocabulary, deterministically, saying how each word was
 * read, and refusing (naming the words it could not place) rather than
 * guessing.  The grammar is in Documentation/policy-analysis.rst:
 *
 *	[Only] SUBJECT may [never|ever] OPS [OBJECT] [WHEN]
 *
 * Words before the modal ("may", "can", "cannot", "must") describe the
 * subject, words after it the operations and the object.  A value of an
 * attribute (or an alias), written with spaces for its dashes and in the
 * plural or the singular, names that attribute; an attribute's own name
 * (a bool: "export training" holds it true) and a few fillers are read
 * and dropped; everything else refuses the sentence.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libabac.h"

#define DRAFT_WORDS	96
#define WORD_MAX	48

/* Words that carry no condition (besides the vocabulary of the schema). */
static const char *const fillers[] = {
	"a", "an", "the", "of", "in", "at", "on", "to", "for", "with", "who",
	"whose", "that", "which", "is", "are", "be", "being", "any", "all",
	"every", "each", "and", "or", "nor", "its", "their", "it", "they",
	"data", "object", "objects", "subject", "subjects", "people",
	"person", "persons", "staff", "user", "users", "anyone", "everyone",
	"anything", "everything", "vendor", "vendors", "service", "services",
	"process", "processes", "program", "programs", "site", "sites",
	"file", "files", "ever", "while", "declared", "under", "during",
	"hold", "holds", "has", "have", "having", "also", "only", "from",
	"into", "by",
};

/* Operation words. */
static const struct {
	const char *word;
	unsigned int op;
} op_words[] = {
	{ "read", ABAC_OP_READ }, { "view", ABAC_OP_READ },
	{ "see", ABAC_OP_READ }, { "open", ABAC_OP_READ },
	{ "write", ABAC_OP_WRITE }, { "update", ABAC_OP_WRITE },
	{ "modify", ABAC_OP_WRITE }, { "edit", ABAC_OP_WRITE },
	{ "change", ABAC_OP_WRITE }, { "exec", ABAC_OP_EXEC },
	{ "execute", ABAC_OP_EXEC }, { "run", ABAC_OP_EXEC },
	{ "create", ABAC_OP_CREATE }, { "delete", ABAC_OP_DELETE },
	{ "remove", ABAC_OP_DELETE }, { "relabel", ABAC_OP_RELABEL },
	{ "connect", ABAC_OP_CONNECT }, { "reach", ABAC_OP_CONNECT },
	{ "bind", ABAC_OP_BIND }, { "listen", ABAC_OP_LISTEN },
	{ "administer", ABAC_OP_ADMINISTER }, { "manage", ABAC_OP_ADMINISTER },
};

static const char *const day_names[7] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat",
};

/**
 * struct dcond - what the sentence says of one attribute.
 * @values: value bits named (in the policy's numbering).
 * @negated: "not": none of @values.
 * @boolean: a bool named by its attribute's name: 1 true, 2 false.
 */
struct dcond {
	__u64 values;
	bool negated;
	int boolean;
};

/**
 * struct dstate - a sentence being read.
 */
struct dstate {
	const struct abac_policy *p;
	char w[DRAFT_WORDS][WORD_MAX];
	bool used[DRAFT_WORDS];
	unsigned int n, modal;
	struct dcond c[ABAC_SIDE_COUNT][ABAC_MAX_ATTRS];
	char where[4][160];
	unsigned int nwhere;
	char time[16];
	unsigned int days;
	struct abac_draft *out;
};

static bool is_filler(const char *w)
{
	size_t i;

	for (i = 0; i < sizeof(fillers) / sizeof(fillers[0]); i++)
		if (!strcmp(fillers[i], w))
			return true;
	return false;
}

static void explain(struct dstate *st, unsigned int from, unsigned int n,
		    const char *fmt, const char *a, const char *b)
{
	struct abac_draft *o = st->out;
	size_t k = 0;
	unsigned int i;

	if (o->nmap >= ABAC_DRAFT_MAP)
		return;
	o->map[o->nmap].words[0] = '\0';
	for (i = from; i < from + n && k < sizeof(o->map[0].words); i++)
		k += snprintf(o->map[o->nmap].words + k,
			      sizeof(o->map[0].words) - k, "%s%s",
			      i > from ? " " : "", st->w[i]);
	snprintf(o->map[o->nmap].meaning, sizeof(o->map[0].meaning), fmt, a,
		 b);
	o->nmap++;
}

static void use(struct dstate *st, unsigned int from, unsigned int n)
{
	unsigned int i;

	for (i = from; i < from + n && i < st->n; i++)
		st->used[i] = true;
}

/* Lower-case words, parentheses dropped, "'s" and punctuation cut. */
static void tokenize(struct dstate *st, const char *s)
{
	int depth = 0;
	size_t k = 0;
	char c;

	st->n = 0;
	for (;; s++) {
		c = *s;
		if (c == '(')
			depth++;
		else if (c == ')' && depth)
			depth--;
		if (c && (depth || c == ')'))
			continue;	/* an aside: "(... )", to the end if open */
		if (c && (isalnum((unsigned char)c) || c == '-' || c == '_' ||
			  c == ':' || c == '\'' || (c & 0x80))) {
			if (k + 1 < WORD_MAX && st->n < DRAFT_WORDS)
				st->w[st->n][k++] = tolower((unsigned char)c);
			continue;
		}
		if (k && st->n < DRAFT_WORDS) {
			st->w[st->n][k] = '\0';
			if (k > 2 && !strcmp(st->w[st->n] + k - 2, "'s"))
				st->w[st->n][k - 2] = '\0';
			k = strlen(st->w[st->n]);
			while (k && (st->w[st->n][k - 1] == '\'' ||
				     st->w[st->n][k - 1] == ':'))
				st->w[st->n][--k] = '\0';
			st->n++;
		}
		k = 0;
		if (!c)
			break;
	}
}

/* @a and @b equal, '_' read as '-'. */
static bool same_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if ((*a == '_' ? '-' : tolower((unsigned char)*a)) !=
		    (*b == '_' ? '-' : tolower((unsigned char)*b)))
			return false;
	return !*a && !*b;
}

/* The singular of a phrase: its last word without a plural ending. */
static void singular(const char *in, char *out, size_t sz)
{
	size_t n;

	snprintf(out, sz, "%s", in);
	n = strlen(out);
	if (n > 4 && !strcmp(out + n - 3, "ies"))
		strcpy(out + n - 3, "y");
	else if (n > 3 && out[n - 1] == 's' && out[n - 2] != 's')
		out[n - 1] = '\0';
}

/* Words @from..@from+@n (the non-filler ones at @idx) joined by '-'. */
static void phrase(const struct dstate *st, const unsigned int *idx,
		   unsigned int n, char *out, size_t sz, bool reverse)
{
	size_t k = 0;
	unsigned int i;

	out[0] = '\0';
	for (i = 0; i < n && k < sz; i++)
		k += snprintf(out + k, sz - k, "%s%s", i ? "-" : "",
			      st->w[idx[reverse ? n - 1 - i : i]]);
}

/* Value @text of some attribute of @side: how many attributes have it. */
static unsigned int find_value(const struct abac_policy *p, unsigned int side,
			       const char *text, int *attr, int *value)
{
	const struct abac_attr_def *a;
	unsigned int n, i, v, k, found = 0;

	a = abac_policy_attrs(p, side, &n);
	for (i = 0; i < n; i++) {
		for (v = 0; v < a[i].nvalues && v < 64; v++)
			if ((a[i].legal >> v & 1) &&
			    same_name(a[i].values[v], text))
				goto hit;
		for (k = 0; k < a[i].naliases; k++)
			if (a[i].alias_to[k] >= 0 &&
			    same_name(a[i].alias[k], text)) {
				v = a[i].alias_to[k];
				goto hit;
			}
		continue;
hit:
		if (!found++) {
			*attr = i;
			*value = v;
		}
	}
	return found;
}

/* Attribute named @text (or an alias of it) on some side: side, or -1. */
static int find_attr(const struct abac_policy *p, const char *text,
		     int *attr)
{
	const struct abac_attr_def *a;
	unsigned int side, n, i, k;

	for (side = 0; side < ABAC_SIDE_COUNT; side++) {
		a = abac_policy_attrs(p, side, &n);
		for (i = 0; i < n; i++) {
			bool hit = same_name(a[i].name, text);

			for (k = 0; !hit && k < a[i].naliases; k++)
				hit = a[i].alias_to[k] < 0 &&
				      same_name(a[i].alias[k], text);
			if (hit) {
				*attr = i;
				return side;
			}
		}
	}
	return -1;
}

/* Is @w one word of an attribute's or a network's name ("patient")? */
static bool name_word(const struct abac_policy *p, const char *w)
{
	const struct abac_attr_def *a;
	unsigned int side, n, i;
	char sg[WORD_MAX];
	const char *names[ABAC_MAX_NETS + 3 * ABAC_MAX_ATTRS];
	size_t nn = 0, k, len;
	const char *s;

	singular(w, sg, sizeof(sg));
	for (side = 0; side < ABAC_SIDE_COUNT; side++) {
		a = abac_policy_attrs(p, side, &n);
		for (i = 0; i < n; i++)
			names[nn++] = a[i].name;
	}
	for (i = 0; i < p->nnets && nn < sizeof(names) / sizeof(names[0]); i++)
		names[nn++] = p->nets[i].name;
	for (k = 0; k < nn; k++)
		for (s = names[k]; *s; s += len + !!s[len]) {
			len = strcspn(s, "-_.");
			if ((len == strlen(w) && !strncmp(s, w, len)) ||
			    (len == strlen(sg) && !strncmp(s, sg, len)))
				return true;
		}
	return false;
}

static int op_of(const char *w)
{
	char sg[WORD_MAX];
	size_t i;

	singular(w, sg, sizeof(sg));
	for (i = 0; i < sizeof(op_words) / sizeof(op_words[0]); i++)
		if (!strcmp(op_words[i].word, w) || !strcmp(op_words[i].word, sg))
			return op_words[i].op;
	return -1;
}

static bool word_is(const struct dstate *st, unsigned int i, const char *w)
{
	return i < st->n && !strcmp(st->w[i], w);
}

/* The modal verb: its index, and the effect it gives. */
static int find_modal(struct dstate *st)
{
	static const char *const modals[] = { "may", "can", "cannot", "must" };
	unsigned int i, k, only;
	bool never;

	for (i = 0; i < st->n; i++)
		for (k = 0; k < 4; k++)
			if (!strcmp(st->w[i], modals[k]))
				goto found;
	return -1;
found:
	st->modal = i;
	use(st, i, 1);
	never = k == 2 || word_is(st, i + 1, "never") ||
		word_is(st, i + 1, "not") || word_is(st, i + 1, "neither");
	if (never)
		use(st, i + 1, 1);
	/*
	 * "only" anywhere before the modal, not just first: "At high
	 * threat, only monitoring may ever ..." is an only-rule too, not
	 * an allow for monitoring with "only" and "ever" read as fillers.
	 */
	for (only = 0; only < i && !word_is(st, only, "only"); only++)
		;
	st->out->only = only < i && word_is(st, i + 1, "ever");
	if (st->out->only) {
		use(st, only, 1);
		use(st, i + 1, 1);
		explain(st, only, 1, "only ... may ever: %s%s",
			"a deny for every other subject", "");
	}
	for (k = 0; k < i; k++)	/* "nobody may", "no one may" */
		if (word_is(st, k, "nobody") || (word_is(st, k, "no") &&
						 word_is(st, k + 1, "one"))) {
			never = true;
			use(st, k, word_is(st, k, "no") ? 2 : 1);
		}
	st->out->effect = never || st->out->only ? ABAC_DENY : ABAC_ALLOW;
	explain(st, i, 1 + never, "effect %s%s",
		st->out->effect == ABAC_ALLOW ? "allow" : "deny", "");
	return 0;
}

/* Operation words after the modal. */
static void find_ops(struct dstate *st)
{
	unsigned int i;
	int op;

	for (i = st->modal + 1; i < st->n; i++) {
		if (st->used[i])
			continue;
		op = op_of(st->w[i]);
		if (op < 0)
			continue;
		st->out->ops |= 1U << op;
		use(st, i, 1);
		explain(st, i, 1, "operation %s%s", abac_op_name(op), "");
	}
}

/* The attribute of @side sharing the most value names with @a, or -1. */
static int partner(const struct abac_policy *p, const struct abac_attr_def *a,
		   unsigned int side)
{
	const struct abac_attr_def *b;
	unsigned int n, i, v, best = 0;
	int found = -1;

	b = abac_policy_attrs(p, side, &n);
	for (i = 0; i < n; i++) {
		unsigned int common = 0;

		if (&b[i] == a)
			continue;
		for (v = 0; v < b[i].nvalues && v < 64; v++) {
			unsigned int w;

			for (w = 0; w < a->nvalues && w < 64; w++)
				if ((b[i].legal >> v & 1) &&
				    (a->legal >> w & 1) &&
				    same_name(b[i].values[v], a->values[w]))
					common++;
		}
		if (common > best) {
			best = common;
			found = i;
		}
	}
	return found;
}

static void add_where(struct dstate *st, const char *fmt,
		      const char *a, const char *op, const char *b)
{
	if (st->nwhere < 4)
		snprintf(st->where[st->nwhere++], sizeof(st->where[0]), fmt, a,
			 op, b);
}

static const struct abac_attr_def *attr_at(const struct abac_policy *p,
					   unsigned int side, int i)
{
	unsigned int n;
	const struct abac_attr_def *a = abac_policy_attrs(p, side, &n);

	return i >= 0 && (unsigned int)i < n ? &a[i] : NULL;
}

/* "its own": object.owner == the subject attribute sharing its values. */
static void rel_own(struct dstate *st, unsigned int i)
{
	const struct abac_attr_def *o = NULL, *s;
	unsigned int n, k;
	const struct abac_attr_def *oa = abac_policy_attrs(st->p,
							   ABAC_SIDE_OBJECT, &n);

	if (!(word_is(st, i, "its") || word_is(st, i, "their")) ||
	    !word_is(st, i + 1, "own"))
		return;
	for (k = 0; k < n && !o; k++)
		if (!strncmp(oa[k].name, "own", 3))
			o = &oa[k];
	s = o ? attr_at(st->p, ABAC_SIDE_SUBJECT,
			partner(st->p, o, ABAC_SIDE_SUBJECT)) : NULL;
	if (!s)
		return;
	add_where(st, "subject.%s %s object.%s", s->name, "==", o->name);
	use(st, i, 2);
	explain(st, i, 2, "relation subject.%s == object.%s", s->name,
		o->name);
}

/* "at or below its A": subject.A >= object.B, B declared like A. */
static void rel_order(struct dstate *st, unsigned int i)
{
	static const struct {
		const char *words, *op;
		unsigned int n;
	} forms[] = {
		{ "at or below its", ">=", 4 }, { "at or above its", "<=", 4 },
		{ "below its", ">", 2 }, { "above its", "<", 2 },
	};
	const struct abac_attr_def *s, *o;
	char text[64];
	unsigned int f, k;
	int attr;

	for (f = 0; f < 4; f++) {
		size_t len = 0;

		for (k = 0; k < forms[f].n + 1 && i + k < st->n; k++)
			len += snprintf(text + len, sizeof(text) - len, "%s%s",
					k ? " " : "", st->w[i + k]);
		if (strncmp(text, forms[f].words, strlen(forms[f].words)) ||
		    i + forms[f].n >= st->n)
			continue;
		if (find_attr(st->p, st->w[i + forms[f].n], &attr) !=
		    ABAC_SIDE_SUBJECT)
			continue;
		s = attr_at(st->p, ABAC_SIDE_SUBJECT, attr);
		o = attr_at(st->p, ABAC_SIDE_OBJECT,
			    partner(st->p, s, ABAC_SIDE_OBJECT));
		if (!o)
			continue;
		add_where(st, "subject.%s %s object.%s", s->name, forms[f].op,
			  o->name);
		use(st, i, forms[f].n + 1);
		explain(st, i, forms[f].n + 1, "relation subject.%s %s",
			s->name, forms[f].op);
		return;
	}
}

/* "a B it holds": subject.S contains object.B, S a set sharing B's values. */
static void rel_holds(struct dstate *st, unsigned int i)
{
	const struct abac_attr_def *s, *o;
	char sg[WORD_MAX];
	int attr;

	if (!(word_is(st, i, "a") || word_is(st, i, "an")) || i + 3 >= st->n ||
	    !(word_is(st, i + 2, "it") || word_is(st, i + 2, "they")) ||
	    !(word_is(st, i + 3, "holds") || word_is(st, i + 3, "hold")))
		return;
	singular(st->w[i + 1], sg, sizeof(sg));
	if (find_attr(st->p, sg, &attr) != ABAC_SIDE_OBJECT)
		return;
	o = attr_at(st->p, ABAC_SIDE_OBJECT, attr);
	s = attr_at(st->p, ABAC_SIDE_SUBJECT,
		    partner(st->p, o, ABAC_SIDE_SUBJECT));
	if (!s || s->type != ABAC_TYPE_SET)
		return;
	add_where(st, "subject.%s %s object.%s", s->name, "contains", o->name);
	use(st, i, 4);
	explain(st, i, 4, "relation subject.%s contains object.%s", s->name,
		o->name);
}

/* "A for a B ... that B": subject.A contains (or ==) object.B. */
static void rel_that(struct dstate *st, unsigned int i)
{
	const struct abac_attr_def *s, *o;
	char name[2 * WORD_MAX];
	unsigned int k, back;
	int oa, sa;

	if (!(word_is(st, i, "a") || word_is(st, i, "an")) || i + 1 >= st->n ||
	    find_attr(st->p, st->w[i + 1], &oa) != ABAC_SIDE_OBJECT)
		return;
	for (k = st->modal + 1; k + 1 < st->n; k++)
		if (word_is(st, k, "that") && !strcmp(st->w[k + 1], st->w[i + 1]))
			break;
	if (k + 1 >= st->n)
		return;
	for (back = 2; back >= 1; back--) {	/* "cleared for", "cleared" */
		if (i < back)
			continue;
		snprintf(name, sizeof(name), "%s%s%s", st->w[i - back],
			 back == 2 ? "-" : "", back == 2 ? st->w[i - 1] : "");
		if (find_attr(st->p, name, &sa) == ABAC_SIDE_SUBJECT)
			break;
	}
	if (!back)
		return;
	s = attr_at(st->p, ABAC_SIDE_SUBJECT, sa);
	o = attr_at(st->p, ABAC_SIDE_OBJECT, oa);
	add_where(st, "subject.%s %s object.%s", s->name,
		  s->type == ABAC_TYPE_SET ? "contains" : "==", o->name);
	use(st, i - back, back + 2);
	use(st, k, 2);
	explain(st, i - back, back + 2, "relation subject.%s %s", s->name,
		s->type == ABAC_TYPE_SET ? "contains object.<that>" :
		"== object.<that>");
}

/* "working hours", "between 08:00 and 18:00", "on weekdays", "on mon". */
static void clock_words(struct dstate *st, unsigned int i)
{
	unsigned int d;

	if ((word_is(st, i, "working") || word_is(st, i, "business") ||
	     word_is(st, i, "office")) && word_is(st, i + 1, "hours")) {
		snprintf(st->time, sizeof(st->time), "08:00-18:00");
		use(st, i, 2);
		explain(st, i, 2, "env.time %s%s", "08:00-18:00", "");
	} else if (word_is(st, i, "between") && i + 3 < st->n &&
		   strchr(st->w[i + 1], ':') && word_is(st, i + 2, "and") &&
		   strchr(st->w[i + 3], ':')) {
		snprintf(st->time, sizeof(st->time), "%s-%s", st->w[i + 1],
			 st->w[i + 3]);
		use(st, i, 4);
		explain(st, i, 4, "env.time %s%s", st->time, "");
	} else if (word_is(st, i, "weekdays")) {
		st->days |= 0x3e;
		use(st, i, 1);
		explain(st, i, 1, "env.days %s%s", "mon-fri", "");
	} else if (word_is(st, i, "weekends")) {
		st->days |= 0x41;
		use(st, i, 1);
		explain(st, i, 1, "env.days %s%s", "sat, sun", "");
	} else {
		for (d = 0; d < 7; d++)
			if (!strncmp(st->w[i], day_names[d], 3) &&
			    strlen(st->w[i]) >= 3 &&
			    strstr("sunday mondays tuesdays wednesdays thursdays fridays saturdays",
				   st->w[i])) {
				st->days |= 1U << d;
				use(st, i, 1);
				explain(st, i, 1, "env.days %s%s",
					day_names[d], "");
			}
	}
}

/*
 * The words of [@from, @to) not yet read that may carry a condition: the
 * vocabulary of the schema, "not"/"but" markers, everything but fillers.
 */
static unsigned int content(struct dstate *st, unsigned int from,
			    unsigned int to, unsigned int *idx)
{
	unsigned int i, n = 0;
	int a, v;

	for (i = from; i < to; i++) {
		if (st->used[i])
			continue;
		if (is_filler(st->w[i]) &&
		    !find_value(st->p, ABAC_SIDE_SUBJECT, st->w[i], &a, &v) &&
		    !find_value(st->p, ABAC_SIDE_OBJECT, st->w[i], &a, &v) &&
		    !find_value(st->p, ABAC_SIDE_ENV, st->w[i], &a, &v)) {
			use(st, i, 1);
			continue;
		}
		idx[n++] = i;
	}
	return n;
}

/* Is a "not" marker just before content word @j? */
static bool negated(struct dstate *st, const unsigned int *idx, unsigned int j)
{
	unsigned int i = idx[j];

	while (i > 0 && st->used[i - 1] && is_filler(st->w[i - 1]))
		i--;
	if (i == 0)
		return false;
	i--;
	if (word_is(st, i, "not") || word_is(st, i, "no") ||
	    word_is(st, i, "without") || word_is(st, i, "but")) {
		use(st, i, 1);
		if (word_is(st, i, "but") && i && (word_is(st, i - 1, "nothing") ||
						   word_is(st, i - 1, "anyone")))
			use(st, i - 1, 1);
		return true;
	}
	return false;
}

/* A value of @side at content word @j (@n words): add its condition. */
static bool take_value(struct dstate *st, unsigned int side,
		       const unsigned int *idx, unsigned int j, unsigned int n,
		       const char *text)
{
	const struct abac_attr_def *a;
	struct dcond *c;
	int attr, value;

	if (find_value(st->p, side, text, &attr, &value) != 1)
		return false;
	a = attr_at(st->p, side, attr);
	c = &st->c[side][attr];
	if (a->type == ABAC_TYPE_INT)
		return false;
	c->values |= 1ULL << value;
	c->negated |= negated(st, idx, j);
	use(st, idx[j], 1);
	use(st, idx[j], idx[j + n - 1] - idx[j] + 1);
	explain(st, idx[j], idx[j + n - 1] - idx[j] + 1, "%s",
		abac_side_name(side), "");
	snprintf(st->out->map[st->out->nmap - 1].meaning,
		 sizeof(st->out->map[0].meaning), "%s%s.%s = %s",
		 c->negated ? "not " : "", abac_side_name(side), a->name,
		 a->values[value]);
	return true;
}

/* An attribute's name at content word @j: a bool holds, others are read. */
static bool take_name(struct dstate *st, const unsigned int *idx,
		      unsigned int j, unsigned int n, const char *text)
{
	const struct abac_attr_def *a;
	int attr, side = find_attr(st->p, text, &attr);
	unsigned int span;

	if (side < 0)
		return false;
	a = attr_at(st->p, side, attr);
	span = idx[j + n - 1] - idx[j] + 1;
	if (a->type == ABAC_TYPE_BOOL) {
		st->c[side][attr].boolean = negated(st, idx, j) ? 2 : 1;
		explain(st, idx[j], span, "%s = %s", a->name,
			st->c[side][attr].boolean == 1 ? "true" : "false");
	}
	use(st, idx[j], span);
	return true;
}

/*
 * The conditions of the words [@from, @to): the longest phrase first
 * (four words down to one, plural or singular, two words either way
 * round), a value of the zone's own side first.
 */
static void zone(struct dstate *st, unsigned int from, unsigned int to,
		 const unsigned int *order)
{
	unsigned int idx[DRAFT_WORDS], n = content(st, from, to, idx), j, k, s;
	char text[4 * WORD_MAX], sg[4 * WORD_MAX];
	bool done;

	for (j = 0; j < n; j++) {
		if (st->used[idx[j]])
			continue;
		done = false;
		for (k = n - j < 4 ? n - j : 4; k >= 1 && !done; k--) {
			unsigned int rev;

			for (rev = 0; rev < (k == 2 ? 2U : 1U) && !done; rev++) {
				phrase(st, idx + j, k, text, sizeof(text), rev);
				singular(text, sg, sizeof(sg));
				for (s = 0; s < 3 && !done; s++)
					done = take_value(st, order[s], idx, j, k,
							  text) ||
					       take_value(st, order[s], idx, j, k,
							  sg);
				done = done || take_name(st, idx, j, k, text) ||
				       take_name(st, idx, j, k, sg);
			}
		}
		if (!done && name_word(st->p, st->w[idx[j]])) {
			use(st, idx[j], 1);	/* "department", "https" */
			explain(st, idx[j], 1, "(a word of a name)%s%s", "",
				"");
		}
	}
}

/* "{role: [doctor, nurse], department: oncology}" of @side, or "". */
static size_t side_yaml(const struct dstate *st, unsigned int side,
			char *buf, size_t sz, bool only)
{
	const struct abac_attr_def *a;
	const struct dcond *c;
	unsigned int n, i, v, k;
	size_t o = 0;

	a = abac_policy_attrs(st->p, side, &n);
	buf[0] = '\0';
	for (i = 0; i < n && o < sz; i++) {
		c = &st->c[side][i];
		if (!c->values && !c->boolean)
			continue;
		o += snprintf(buf + o, sz - o, "%s%s: ", o ? ", " : "{",
			      a[i].name);
		if (c->boolean) {
			o += snprintf(buf + o, sz - o, "%s",
				      c->boolean == 1 ? "true" : "false");
			continue;
		}
		k = __builtin_popcountll(c->values);
		o += snprintf(buf + o, sz - o, "%s%s",
			      c->negated || only ? "{not: " : "",
			      k > 1 ? "[" : "");
		for (v = 0, k = 0; v < 64 && o < sz; v++)
			if (c->values >> v & 1)
				o += snprintf(buf + o, sz - o, "%s%s",
					      k++ ? ", " : "", a[i].values[v]);
		o += snprintf(buf + o, sz - o, "%s%s", k > 1 ? "]" : "",
			      c->negated || only ? "}" : "");
	}
	if (o && o < sz)
		o += snprintf(buf + o, sz - o, "}");
	return o;
}

static void env_yaml(const struct dstate *st, char *buf, size_t sz)
{
	size_t o = side_yaml(st, ABAC_SIDE_ENV, buf, sz, false);
	unsigned int d, k = 0;

	if (o)
		buf[--o] = '\0';	/* reopen the mapping */
	if (st->time[0])
		o += snprintf(buf + o, sz - o, "%stime: \"%s\"", o ? ", " : "{",
			      st->time);
	if (st->days) {
		o += snprintf(buf + o, sz - o, "%sdays: [", o ? ", " : "{");
		for (d = 0; d < 7; d++)
			if (st->days >> d & 1)
				o += snprintf(buf + o, sz - o, "%s%s",
					      k++ ? ", " : "", day_names[d]);
		o += snprintf(buf + o, sz - o, "]");
	}
	if (o)
		snprintf(buf + o, sz - o, "}");
}

/* The rule as YAML, one "  - id:" entry of a rules list. */
static void render(struct dstate *st, const char *id, const char *sentence)
{
	struct abac_draft *out = st->out;
	char subj[1024], obj[1024], env[1024], ops[256], nlp[1200];
	unsigned int op, i;
	size_t o = 0, k = 0;

	for (op = 0; op < ABAC_OP_COUNT; op++)
		if (out->ops >> op & 1)
			o += snprintf(ops + o, sizeof(ops) - o, "%s%s",
				      o ? ", " : "", abac_op_name(op));
	side_yaml(st, ABAC_SIDE_SUBJECT, subj, sizeof(subj), out->only);
	side_yaml(st, ABAC_SIDE_OBJECT, obj, sizeof(obj), false);
	env_yaml(st, env, sizeof(env));
	for (i = 0; sentence[i] && k + 2 < sizeof(nlp); i++) {
		if (sentence[i] == '"' || sentence[i] == '\\')
			nlp[k++] = '\\';
		nlp[k++] = sentence[i];
	}
	nlp[k] = '\0';
	o = snprintf(out->yaml, sizeof(out->yaml),
		     "  - id: %s\n    nlp: \"%s\"\n    effect: %s\n    ops: [%s]\n",
		     id, nlp, out->effect == ABAC_ALLOW ? "allow" : "deny", ops);
	if (*subj)
		o += snprintf(out->yaml + o, sizeof(out->yaml) - o,
			      "    subject: %s\n", subj);
	if (*obj)
		o += snprintf(out->yaml + o, sizeof(out->yaml) - o,
			      "    object: %s\n", obj);
	if (*env)
		o += snprintf(out->yaml + o, sizeof(out->yaml) - o,
			      "    env: %s\n", env);
	for (i = 0; i < st->nwhere; i++)
		o += snprintf(out->yaml + o, sizeof(out->yaml) - o,
			      "%s\"%s\"%s", i ? ", " : "    where: [",
			      st->where[i], i + 1 == st->nwhere ? "]\n" : "");
}

/* Refuse "only" over several subject attributes: its negation is an or. */
static bool only_is_clear(struct dstate *st)
{
	unsigned int i, n = 0;

	for (i = 0; i < ABAC_MAX_ATTRS; i++)
		n += !!st->c[ABAC_SIDE_SUBJECT][i].values +
		     !!st->c[ABAC_SIDE_SUBJECT][i].boolean;
	if (n == 1)
		return true;
	snprintf(st->out->error, sizeof(st->out->error),
		 "\"only ... may ever\" needs exactly one subject attribute with values: it denies everyone else");
	return false;
}

/**
 * abac_draft() - a controlled-English sentence as a rule of policy @p.
 * @p: the policy whose vocabulary the sentence uses.
 * @sentence: the sentence.
 * @id: the rule's id.
 * @out: receives the effect, the operations, the rule as YAML and each
 *	mapping made; on refusal the words not understood (@unmatched) or
 *	why (@error).
 *
 * Return: 0, or -EINVAL when the sentence is refused.
 */
int abac_draft(const struct abac_policy *p, const char *sentence,
	       const char *id, struct abac_draft *out)
{
	static const unsigned int subj_order[] = { ABAC_SIDE_SUBJECT,
		ABAC_SIDE_ENV, ABAC_SIDE_OBJECT };
	static const unsigned int obj_order[] = { ABAC_SIDE_OBJECT,
		ABAC_SIDE_ENV, ABAC_SIDE_SUBJECT };
	struct dstate *st = calloc(1, sizeof(*st));
	unsigned int i;
	int err = -EINVAL;

	memset(out, 0, sizeof(*out));
	if (!st)
		return -ENOMEM;
	st->p = p;
	st->out = out;
	tokenize(st, sentence);
	if (find_modal(st)) {
		snprintf(out->error, sizeof(out->error),
			 "no modal verb: a rule reads SUBJECT may (or may never) OPERATION OBJECT");
		goto out;
	}
	find_ops(st);
	for (i = 0; i < st->n; i++) {
		if (st->used[i])
			continue;
		rel_own(st, i);
		if (!st->used[i])
			rel_order(st, i);
		if (!st->used[i])
			rel_holds(st, i);
		if (!st->used[i])
			rel_that(st, i);
		if (!st->used[i])
			clock_words(st, i);
	}
	zone(st, 0, st->modal, subj_order);
	zone(st, st->modal + 1, st->n, obj_order);
	for (i = 0; i < st->n; i++)
		if (!st->used[i] && out->nunmatched < ABAC_DRAFT_UNMATCHED)
			snprintf(out->unmatched[out->nunmatched++], WORD_MAX,
				 "%s", st->w[i]);
	if (!out->ops)
		snprintf(out->error, sizeof(out->error),
			 "no operation: say read, write, exec, create, delete, relabel, connect, bind, listen or administer (or view, update, reach, ...)");
	if (out->nunmatched || out->error[0] ||
	    (out->only && !only_is_clear(st)))
		goto out;
	render(st, id, sentence);
	err = 0;
out:
	free(st);
	return err;
}
