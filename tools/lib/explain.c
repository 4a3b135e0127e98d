// SPDX-License-Identifier: GPL-2.0-only
/*
 * Explaining a decision (NIST SP 800-162 3.2.1.5): which rules determined
 * it, and for a denial which attribute would have to differ.
 *
 * Nothing here decides: abac_decide() (lsm/abac_decide.h) gives the
 * outcome, as in the kernel, and the determining rules and the failing
 * conditions are found with the core's own abac_rule_eval() and
 * abac_cond_eval() over the same image.  This file only names things.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libabac.h"

/**
 * abac_outcome_name() - "permit", "deny", "not-applicable" or
 * "indeterminate".
 * @outcome: enum abac_outcome.
 *
 * Return: the name.
 */
const char *abac_outcome_name(unsigned int outcome)
{
	switch (outcome) {
	case ABAC_OUT_PERMIT:
		return "permit";
	case ABAC_OUT_DENY:
		return "deny";
	case ABAC_OUT_INDET:
		return "indeterminate";
	default:
		return "not-applicable";
	}
}

static const char *const day_names[7] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat",
};

static const struct abac_attr_def *cond_attr(const struct abac_policy *p,
					     unsigned int side,
					     unsigned int attr)
{
	unsigned int n;
	const struct abac_attr_def *a = abac_policy_attrs(p, side, &n);

	return attr < n ? &a[attr] : NULL;
}

static const char *const kind_words[ABAC_COND_KIND_COUNT] = {
	[ABAC_COND_ANY] = "is one of",
	[ABAC_COND_NONE] = "is none of",
	[ABAC_COND_PRESENT] = "is present",
	[ABAC_COND_ABSENT] = "is absent",
	[ABAC_COND_REL_EQ] = "==",
	[ABAC_COND_REL_NE] = "!=",
	[ABAC_COND_ALL] = "contains",
	[ABAC_COND_EQ] = "==",
	[ABAC_COND_NE] = "!=",
	[ABAC_COND_GE] = ">=",
	[ABAC_COND_GT] = ">",
	[ABAC_COND_LE] = "<=",
	[ABAC_COND_LT] = "<",
	[ABAC_COND_REL_GE] = ">=",
	[ABAC_COND_REL_GT] = ">",
	[ABAC_COND_REL_LE] = "<=",
	[ABAC_COND_REL_LT] = "<",
	[ABAC_COND_REL_CONTAINS] = "contains",
	[ABAC_COND_SET_ANY] = "has one of",
	[ABAC_COND_SET_ALL] = "contains",
	[ABAC_COND_SET_NONE] = "has none of",
	[ABAC_COND_REL_IN] = "in",
	[ABAC_COND_REL_SUBSET] = "subset",
	[ABAC_COND_REL_INTERSECTS] = "intersects",
	[ABAC_COND_IN] = "is one of",
	[ABAC_COND_NOT_IN] = "is none of",
};

/*
 * The members of the constant set of condition @c as "a, b, c" (cut to
 * fit @sz).  The compiler writes the rules' constant sets first in the
 * member table, in rule order: the condition whose run starts where
 * @c's does is the one @c was compiled from.
 */
static const char *set_text(const struct abac_policy *p,
			    const struct abac_cond *c, char *buf, size_t sz)
{
	const struct abac_rule_cond *rc = NULL, *x;
	unsigned int i, j, m;
	size_t o = 0, first = 0;

	buf[0] = '\0';
	for (i = 0; !rc && i < p->nrules; i++)
		for (j = 0; !rc && j < p->rules[i].ncond; j++) {
			x = &p->rules[i].conds[j];
			if (first == ABAC_SET_FIRST(c->mask) &&
			    x->kind == c->kind && x->attr == c->attr &&
			    x->set.n == ABAC_SET_COUNT(c->mask))
				rc = x;
			first += x->set.n;
		}
	if (!rc) {
		snprintf(buf, sz, "%u members", ABAC_SET_COUNT(c->mask));
		return buf;
	}
	for (m = 0; m < rc->set.n && o < sz; m++) {
		if (m)
			o += snprintf(buf + o, sz - o, ", ");
		if (o < sz)
			o += abac_value_escape(rc->set.text[m],
					       strlen(rc->set.text[m]),
					       buf + o, sz - o);
	}
	return buf;
}

/**
 * abac_cond_describe() - a condition in the policy's own words.
 * @p: the policy the image was compiled from.
 * @c: the condition.
 * @buf: receives "subject.role is one of [nurse, doctor]".
 * @sz: bytes in @buf.
 *
 * Return: @buf.
 */
const char *abac_cond_describe(const struct abac_policy *p,
			       const struct abac_cond *c, char *buf,
			       size_t sz)
{
	const struct abac_attr_def *a = cond_attr(p, c->side, c->attr), *r;
	char v[512];
	unsigned int k = c->kind, i;
	size_t o = 0;

	if (k == ABAC_COND_TIME) {
		snprintf(buf, sz, "env.time is in %02u:%02u-%02u:%02u (%s)",
			 (unsigned int)(c->mask & 0xffff) / 60,
			 (unsigned int)(c->mask & 0xffff) % 60,
			 (unsigned int)(c->mask >> 16 & 0xffff) / 60,
			 (unsigned int)(c->mask >> 16 & 0xffff) % 60,
			 p->timezone);
		return buf;
	}
	if (k == ABAC_COND_DAYS) {
		v[0] = '\0';
		for (i = 0; i < 7; i++)
			if (c->mask >> i & 1)
				o += snprintf(v + o, sizeof(v) - o, "%s%s",
					      o ? ", " : "", day_names[i]);
		snprintf(buf, sz, "env.days is one of [%s]", v);
		return buf;
	}
	if (!a || k >= ABAC_COND_KIND_COUNT) {
		snprintf(buf, sz, "(unknown condition)");
		return buf;
	}
	if (abac_cond_is_relation(k)) {
		r = cond_attr(p, c->rhs_side, c->rhs);
		snprintf(buf, sz, "%s.%s %s %s.%s", abac_side_name(c->side),
			 a->name, kind_words[k], abac_side_name(c->rhs_side),
			 r ? r->name : "?");
		return buf;
	}
	if (k == ABAC_COND_PRESENT || k == ABAC_COND_ABSENT) {
		snprintf(buf, sz, "%s.%s %s", abac_side_name(c->side), a->name,
			 kind_words[k]);
		return buf;
	}
	if (abac_cond_takes_set(k))
		set_text(p, c, v, sizeof(v));
	else
		abac_attr_word_text(a, c->mask, v, sizeof(v));
	if (k == ABAC_COND_ANY || k == ABAC_COND_NONE || k == ABAC_COND_ALL ||
	    abac_cond_takes_set(k))
		snprintf(buf, sz, "%s.%s %s [%s]", abac_side_name(c->side),
			 a->name, kind_words[k], v);
	else
		snprintf(buf, sz, "%s.%s %s %s", abac_side_name(c->side),
			 a->name, kind_words[k], v);
	return buf;
}

/* The value a condition's attribute has in the request, as text. */
static const char *cond_now(const struct abac_policy *p,
			    const struct abac_image *img,
			    const struct abac_cond *c,
			    const struct abac_request *rq, char *buf,
			    size_t sz)
{
	const struct abac_attr_def *a = cond_attr(p, c->side, c->attr);
	__u64 w;

	if (c->kind == ABAC_COND_TIME) {
		if (!rq->e) {
			snprintf(buf, sz, "unknown");
			return buf;
		}
		snprintf(buf, sz, "%02u:%02u", rq->e->minute / 60,
			 rq->e->minute % 60);
		return buf;
	}
	if (c->kind == ABAC_COND_DAYS) {
		/* the caller keeps @buf, not the returned pointer */
		snprintf(buf, sz, "%s",
			 rq->e ? day_names[rq->e->wday % 7] : "unknown");
		return buf;
	}
	if (!a) {
		snprintf(buf, sz, "?");
		return buf;
	}
	w = abac_attr_value(img, abac_hdr(img), rq, c->side, c->attr);
	return abac_attr_word_text(a, w, buf, sz);
}

static int add_rule(struct abac_explain *x, __u32 idx, int outcome)
{
	struct abac_explain_rule *nr;

	nr = realloc(x->rules, (x->nrules + 1) * sizeof(*nr));
	if (!nr)
		return -ENOMEM;
	x->rules = nr;
	memset(&nr[x->nrules], 0, sizeof(*nr));
	nr[x->nrules].index = idx;
	nr[x->nrules].outcome = outcome;
	x->nrules++;
	return 0;
}

static int add_hint(struct abac_explain *x, __u32 rule, const char *cond,
		    const char *now, bool absent)
{
	struct abac_explain_hint *nh;

	nh = realloc(x->hints, (x->nhints + 1) * sizeof(*nh));
	if (!nh)
		return -ENOMEM;
	x->hints = nh;
	nh += x->nhints++;
	nh->rule = rule;
	nh->absent = absent;
	snprintf(nh->cond, sizeof(nh->cond), "%s", cond);
	snprintf(nh->now, sizeof(nh->now), "%s", now);
	return 0;
}

/*
 * The conditions of rule @idx that evaluate to @want (ABAC_CV_TRUE for a
 * rule that denied: any of them differing would lift the denial; FALSE or
 * INDET for a rule that would have permitted).
 */
static int hints_for(struct abac_explain *x, const struct abac_policy *p,
		     const struct abac_image *img, __u32 idx,
		     const struct abac_request *rq, bool held)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	const struct abac_rule *r = abac_rec(img, hdr->rules_off + idx);
	const struct abac_cond *c;
	char text[384], now[256];
	__u32 j;
	int cv, err;

	for (j = 0; r && j < r->ncond; j++) {
		c = abac_rec(img, r->cond + j);
		if (!c)
			return -EINVAL;
		cv = abac_cond_eval(img, hdr, c, rq);
		if (held ? cv != ABAC_CV_TRUE : cv == ABAC_CV_TRUE)
			continue;
		abac_cond_describe(p, c, text, sizeof(text));
		cond_now(p, img, c, rq, now, sizeof(now));
		err = add_hint(x, idx, text, now, cv == ABAC_CV_INDET);
		if (err)
			return err;
	}
	return 0;
}

/**
 * abac_explain() - decide, then say why.
 * @p: the policy @img was compiled from (for names).
 * @img: the image.
 * @op: enum abac_op.
 * @rq: the request.
 * @x: receives the decision, its determining rules, and hints: for a
 *	denial by rules, the conditions that made each deny rule apply;
 *	for an indeterminate one, the absent attributes; for a default
 *	denial, the conditions each permitting rule for @op missed.
 *	Free with abac_explain_free().
 *
 * Return: 0 or -ENOMEM / -EINVAL.
 */
int abac_explain(const struct abac_policy *p, const struct abac_image *img,
		 __u32 op, const struct abac_request *rq,
		 struct abac_explain *x)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	const struct abac_rule *r;
	unsigned int comb;
	__u32 i;
	int out, err = 0;

	memset(x, 0, sizeof(*x));
	abac_decide(img, op, rq, &x->d);
	if (!hdr || x->d.reason == ABAC_REASON_BAD_IMAGE)
		return -EINVAL;
	comb = hdr->layer_combining[x->d.layer % ABAC_MAX_LAYERS];
	for (i = 0; !err && i < hdr->nrules; i++) {
		r = abac_rec(img, hdr->rules_off + i);
		if (!r || op >= ABAC_OP_COUNT || !(r->ops & (1U << op)))
			continue;
		out = abac_rule_eval(img, hdr, r, rq);
		if (out < 0)
			return -EINVAL;
		if (x->d.outcome != ABAC_OUT_NA && r->layer == x->d.layer &&
		    out == x->d.outcome &&
		    (comb != ABAC_COMBINE_FIRST_APPLICABLE ||
		     i == x->d.rule)) {
			err = add_rule(x, i, out);
			if (!err && x->d.effect == ABAC_DENY)
				err = hints_for(x, p, img, i, rq,
						out == ABAC_OUT_DENY);
		}
		if (!err && x->d.effect == ABAC_DENY &&
		    x->d.outcome == ABAC_OUT_NA && r->effect == ABAC_ALLOW)
			err = hints_for(x, p, img, i, rq, false);
	}
	return err;
}

void abac_explain_free(struct abac_explain *x)
{
	free(x->rules);
	free(x->hints);
	memset(x, 0, sizeof(*x));
}

/**
 * abac_local_time() - the minute of day and weekday of @t in @tz.
 * @t: seconds since the epoch.
 * @tz: an IANA timezone name ("UTC", "Europe/Paris").
 * @env: receives minute and wday.
 *
 * Return: 0, or -EINVAL when the time cannot be converted.
 */
int abac_local_time(time_t t, const char *tz, struct abac_env *env)
{
	char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
	struct tm tm;
	int err = 0;

	setenv("TZ", tz && *tz ? tz : "UTC", 1);
	tzset();
	if (!localtime_r(&t, &tm))
		err = -EINVAL;
	if (old) {
		setenv("TZ", old, 1);
		free(old);
	} else {
		unsetenv("TZ");
	}
	tzset();
	if (err)
		return err;
	env->minute = tm.tm_hour * 60 + tm.tm_min;
	env->wday = tm.tm_wday;
	return 0;
}

/**
 * abac_parse_time() - an ISO 8601 time: "2026-03-02T08:30[:00]" followed
 * by "Z", "+HH:MM", "-HH:MM", or nothing (local time in @tz).
 * @s: the text.
 * @tz: the timezone of a time written without an offset.
 * @t: receives seconds since the epoch.
 *
 * Return: 0, or -EINVAL for text that is not such a time.
 */
int abac_parse_time(const char *s, const char *tz, time_t *t)
{
	int y, mo, d, h, mi, sec = 0, n = 0, oh, om;
	char *old;
	struct tm tm;
	const char *rest;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5)
		return -EINVAL;
	rest = s + n;
	if (*rest == ':') {
		if (sscanf(rest, ":%2d%n", &sec, &n) != 1)
			return -EINVAL;
		rest += n;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60)
		return -EINVAL;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	if (!strcmp(rest, "Z")) {
		*t = timegm(&tm);
		return 0;
	}
	if ((rest[0] == '+' || rest[0] == '-') &&
	    sscanf(rest + 1, "%2d:%2d%n", &oh, &om, &n) == 2 && !rest[1 + n]) {
		*t = timegm(&tm) - (rest[0] == '+' ? 1 : -1) *
				   (oh * 3600 + om * 60);
		return 0;
	}
	if (*rest)
		return -EINVAL;
	old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
	setenv("TZ", tz && *tz ? tz : "UTC", 1);
	tzset();
	*t = mktime(&tm);
	if (old) {
		setenv("TZ", old, 1);
		free(old);
	} else {
		unsetenv("TZ");
	}
	tzset();
	return 0;
}
