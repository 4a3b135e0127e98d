// SPDX-License-Identifier: GPL-2.0-only
/*
 * The request space of one or two policies, for the analyses that must
 * answer for every request (who-can, what-can, diff): the product of
 * every attribute's value domain, the operations, and the clock, cut into
 * classes such that every request of a class is decided alike.
 *
 * A class is a value of a string, level or bool attribute, "absent", a
 * subset of a set's values, an interval of an int between the constants
 * the rules compare it with, an interval of the day between the bounds
 * of the time windows, a weekday, an operation.  Deciding one request per
 * class with abac_decide() (the kernel's own code) therefore decides them
 * all: the answer is exact, not sampled.  Two policies share one space by
 * attribute and value names; a value one of them does not declare is a
 * request that policy refuses (a label naming an undeclared pair denies).
 *
 * Ints compared with another attribute (a relation) have no such
 * intervals; they get representative points around every constant
 * instead, and abac_space_init() says so in a note.  A set of more than
 * ABAC_SPACE_SET_MAX values, or a space of more than ABAC_SPACE_CELLS_MAX
 * classes, is refused rather than sampled.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "libabac.h"

static const char *const wday_names[7] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat",
};

/* Room for one more class in @dim. */
static struct abac_dval *dval_new(struct abac_dim *dim)
{
	struct abac_dval *nv;

	if (dim->nvals % 16 == 0) {
		nv = realloc(dim->vals, (dim->nvals + 16) * sizeof(*nv));
		if (!nv)
			return NULL;
		dim->vals = nv;
	}
	nv = &dim->vals[dim->nvals++];
	memset(nv, 0, sizeof(*nv));
	return nv;
}

/* The number of the value named @name that @a declares, or -1. */
static int value_num(const struct abac_attr_def *a, const char *name)
{
	unsigned int i;

	for (i = 0; i < a->nvalues && i < ABAC_MAX_VALUES; i++)
		if (abac_attr_legal(a, i) && !strcmp(a->values[i], name))
			return i;
	return -1;
}

static const struct abac_attr_def *dim_attr(const struct abac_space *sp,
					    const struct abac_dim *dim,
					    unsigned int k)
{
	unsigned int n;
	const struct abac_attr_def *a;

	if (dim->attr[k] < 0)
		return NULL;
	a = abac_policy_attrs(sp->pol[k], dim->kind, &n);
	return &a[dim->attr[k]];
}

/*
 * The declared value names of a string, level, bool or set dimension,
 * policy 0's first, then those only policy 1 declares.
 */
static size_t value_names(const struct abac_space *sp,
			  const struct abac_dim *dim, const char **names)
{
	const struct abac_attr_def *a;
	unsigned int k, i, j;
	size_t n = 0;

	for (k = 0; k < sp->npol; k++) {
		a = dim_attr(sp, dim, k);
		for (i = 0; a && i < a->nvalues && i < ABAC_MAX_VALUES; i++) {
			if (!abac_attr_legal(a, i))
				continue;
			for (j = 0; j < n; j++)
				if (!strcmp(names[j], a->values[i]))
					break;
			if (j == n)
				names[n++] = a->values[i];
		}
	}
	return n;
}

/* The word of the values @set (bits into @names) in policy @k, or false. */
static bool word_of(const struct abac_space *sp, const struct abac_dim *dim,
		    unsigned int k, const char **names, __u64 set,
		    __u64 *word)
{
	const struct abac_attr_def *a = dim_attr(sp, dim, k);
	unsigned int i;
	int v;

	*word = 0;
	for (i = 0; i < 64; i++) {
		if (!(set >> i & 1))
			continue;
		v = a ? value_num(a, names[i]) : -1;
		if (v < 0)
			return false;
		*word |= 1ULL << v;
	}
	return true;
}

/* Class "absent": the word 0 everywhere, its default applies. */
static int add_absent(struct abac_dim *dim)
{
	struct abac_dval *v = dval_new(dim);

	if (!v)
		return -ENOMEM;
	snprintf(v->text, sizeof(v->text), "(absent)");
	v->ok[0] = v->ok[1] = true;
	return 0;
}

/* Classes of a string, level, bool or set attribute. */
static int named_classes(struct abac_space *sp, struct abac_dim *dim,
			 struct abac_diags *d)
{
	const char *names[2 * ABAC_MAX_VALUES];
	size_t n = value_names(sp, dim, names), o, i;
	__u64 set, last;
	struct abac_dval *v;
	unsigned int k;

	if (add_absent(dim))
		return -ENOMEM;
	for (k = 0; k < sp->npol; k++)
		if (dim_attr(sp, dim, k) && dim_attr(sp, dim, k)->open) {
			/* its declared values are not all it may take */
			abac_diag_add(d, false, sp->pol[k]->file, 0, 0,
				      "%s is an open attribute: policies with open attributes are not analysed yet",
				      dim->name);
			return -E2BIG;
		}
	for (k = 0; k < sp->npol; k++)
		if (dim_attr(sp, dim, k) &&
		    abac_attr_is_enum(dim_attr(sp, dim, k))) {
			/* its words are numbers, not the bits below */
			abac_diag_add(d, false, sp->pol[k]->file, 0, 0,
				      "%s is a large enumeration (more than %d values): policies with one are not analysed yet",
				      dim->name, ABAC_MAX_VALUES);
			return -E2BIG;
		}
	if (!n && dim->type != ABAC_TYPE_BOOL) {
		/* an open attribute: its values cannot be listed */
		abac_diag_add(d, false, sp->pol[0]->file, 0, 0,
			      "%s declares no values to enumerate: an open attribute is not analysed yet",
			      dim->name);
		return -E2BIG;
	}
	if (dim->type == ABAC_TYPE_SET && n > ABAC_SPACE_SET_MAX) {
		abac_diag_add(d, false, sp->pol[0]->file, 0, 0,
			      "set attribute '%s' has %zu values: more than %d cannot be enumerated",
			      dim->name, n, ABAC_SPACE_SET_MAX);
		return -E2BIG;
	}
	if (n > 64)
		n = 64;
	last = dim->type == ABAC_TYPE_SET ? (1ULL << n) - 1 : n;
	for (set = 1; set <= last; set++) {
		__u64 bits = dim->type == ABAC_TYPE_SET ? set : 1ULL << (set - 1);

		v = dval_new(dim);
		if (!v)
			return -ENOMEM;
		for (k = 0; k < sp->npol; k++)
			v->ok[k] = word_of(sp, dim, k, names, bits,
					   &v->word[k]);
		for (i = 0, o = 0; i < n && o < sizeof(v->text); i++)
			if (bits >> i & 1)
				o += snprintf(v->text + o, sizeof(v->text) - o,
					      "%s%s", o ? "," : "", names[i]);
	}
	return 0;
}

/* Does condition @c compare int attribute (@side, @attr) with a constant? */
static bool int_const(const struct abac_rule_cond *c, unsigned int side,
		      int attr)
{
	return c->side == side && c->attr == attr &&
	       c->kind >= ABAC_COND_EQ && c->kind <= ABAC_COND_LT;
}

static bool in_relation(const struct abac_rule_cond *c, unsigned int side,
			int attr)
{
	return abac_cond_is_relation(c->kind) &&
	       ((c->side == side && c->attr == attr) ||
		(c->rhs_side == side && c->rhs == attr));
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/*
 * The constants the rules of every policy compare int dimension @dim
 * with, and its default; sets @dim->points when a relation compares it
 * with another attribute.
 */
static size_t int_consts(const struct abac_space *sp, struct abac_dim *dim,
			 long long *consts, size_t max)
{
	const struct abac_rule_def *r;
	const struct abac_attr_def *a;
	unsigned int k, i, j;
	size_t n = 0;

	for (k = 0; k < sp->npol; k++) {
		a = dim_attr(sp, dim, k);
		if (a && a->def && n < max)
			consts[n++] = (long long)(a->def - ABAC_INT_BIAS);
		/* where one policy's range ends inside another's */
		if (a && a->has_min && n < max)
			consts[n++] = a->min;
		if (a && a->has_max && n < max)
			consts[n++] = a->max;
		for (i = 0; a && i < sp->pol[k]->nrules; i++) {
			r = &sp->pol[k]->rules[i];
			for (j = 0; j < r->ncond; j++) {
				if (in_relation(&r->conds[j], dim->kind,
						dim->attr[k]))
					dim->points = true;
				if (int_const(&r->conds[j], dim->kind,
					      dim->attr[k]) && n < max)
					consts[n++] = (long long)
						(r->conds[j].mask -
						 ABAC_INT_BIAS);
			}
		}
	}
	return n;
}

/*
 * The first value of each class of an int dimension in [@lo, @hi]:
 * intervals start at @lo and at c and c + 1 for every constant c; an
 * int in a relation gets the points c - 3 .. c + 3 and @lo, @hi, 0.
 * Sorted and unique.
 */
static size_t int_starts(struct abac_dim *dim, const long long *consts,
			 size_t nc, long long lo, long long hi,
			 long long *out)
{
	int from = dim->points ? -3 : 0, to = dim->points ? 3 : 1, dl;
	size_t n = 0, i, m;

	out[n++] = lo;
	if (dim->points) {
		out[n++] = hi;
		if (lo <= 0 && hi >= 0)
			out[n++] = 0;
	}
	for (i = 0; i < nc; i++)
		for (dl = from; dl <= to; dl++)
			if ((dl < 0 ? consts[i] >= lo - dl :
				      consts[i] <= hi - dl) &&
			    consts[i] + dl >= lo && consts[i] + dl <= hi)
				out[n++] = consts[i] + dl;
	qsort(out, n, sizeof(*out), cmp_ll);
	for (i = 1, m = 1; i < n; i++)
		if (out[i] != out[m - 1])
			out[m++] = out[i];
	return m;
}

/* "5", "3..9", "<=2", ">=10", "any" for the int interval [lo, hi]. */
static void int_text(char *buf, size_t sz, long long lo, long long hi,
		     long long min, long long max)
{
	if (lo == hi)
		snprintf(buf, sz, "%lld", lo);
	else if (lo == min && hi == max)
		snprintf(buf, sz, "any");
	else if (lo == min)
		snprintf(buf, sz, "<=%lld", hi);
	else if (hi == max)
		snprintf(buf, sz, ">=%lld", lo);
	else
		snprintf(buf, sz, "%lld..%lld", lo, hi);
}

/* The bounds of an int dimension: the widest the policies declare. */
static void int_bounds(const struct abac_space *sp,
		       const struct abac_dim *dim, long long *lo,
		       long long *hi)
{
	const struct abac_attr_def *a;
	bool open_lo = false, open_hi = false;
	unsigned int k;

	*lo = INT64_MAX;
	*hi = INT64_MIN;
	for (k = 0; k < sp->npol; k++) {
		a = dim_attr(sp, dim, k);
		if (!a)
			continue;
		open_lo |= !a->has_min;
		open_hi |= !a->has_max;
		if (a->has_min && a->min < *lo)
			*lo = a->min;
		if (a->has_max && a->max > *hi)
			*hi = a->max;
	}
	if (open_lo)
		*lo = INT64_MIN + 1;	/* INT64_MIN's word would be 0 */
	if (open_hi)
		*hi = INT64_MAX;
}

/* Classes of an int attribute. */
static int int_classes(struct abac_space *sp, struct abac_dim *dim)
{
	long long consts[256], starts[256 * 7 + 3], lo, hi, end;
	const struct abac_attr_def *a;
	struct abac_dval *v;
	size_t nc, ns, i;
	unsigned int k;

	if (add_absent(dim))
		return -ENOMEM;
	int_bounds(sp, dim, &lo, &hi);
	nc = int_consts(sp, dim, consts, 256);
	ns = int_starts(dim, consts, nc, lo, hi, starts);
	for (i = 0; i < ns; i++) {
		end = dim->points ? starts[i] :
		      i + 1 < ns ? starts[i + 1] - 1 : hi;
		v = dval_new(dim);
		if (!v)
			return -ENOMEM;
		v->lo = starts[i];
		v->hi = end;
		int_text(v->text, sizeof(v->text), v->lo, v->hi, lo, hi);
		for (k = 0; k < sp->npol; k++) {
			a = dim_attr(sp, dim, k);
			v->ok[k] = a && (!a->has_min || v->lo >= a->min) &&
				   (!a->has_max || v->hi <= a->max);
			v->word[k] = (__u64)v->lo + ABAC_INT_BIAS;
		}
	}
	return 0;
}

/* Does some rule of the space's policies test the clock with @kind? */
static bool reads_clock(const struct abac_space *sp, unsigned int kind,
			long long *cuts, size_t *n)
{
	const struct abac_rule_cond *c;
	unsigned int k, i, j;
	bool found = false;

	for (k = 0; k < sp->npol; k++)
		for (i = 0; i < sp->pol[k]->nrules; i++)
			for (j = 0; j < sp->pol[k]->rules[i].ncond; j++) {
				c = &sp->pol[k]->rules[i].conds[j];
				if (c->kind != kind)
					continue;
				found = true;
				if (cuts && *n + 2 <= 2 * ABAC_SPACE_WINDOWS + 1) {
					cuts[(*n)++] = c->mask & 0xffff;
					cuts[(*n)++] = c->mask >> 16 & 0xffff;
				}
			}
	return found;
}

/* The minutes of the day, cut at every time window's bounds. */
static int minute_classes(struct abac_space *sp, struct abac_dim *dim)
{
	long long cuts[2 * ABAC_SPACE_WINDOWS + 1];
	struct abac_dval *v;
	size_t n = 0, i, m;

	cuts[n++] = 0;	/* then the windows' bounds */
	reads_clock(sp, ABAC_COND_TIME, cuts, &n);
	qsort(cuts, n, sizeof(*cuts), cmp_ll);
	for (i = 1, m = 1; i < n; i++)
		if (cuts[i] != cuts[m - 1] && cuts[i] < ABAC_MINUTES_PER_DAY)
			cuts[m++] = cuts[i];
	for (i = 0; i < m; i++) {
		v = dval_new(dim);
		if (!v)
			return -ENOMEM;
		v->lo = cuts[i];
		v->hi = i + 1 < m ? cuts[i + 1] - 1 : ABAC_MINUTES_PER_DAY - 1;
		snprintf(v->text, sizeof(v->text), "%02lld:%02lld-%02lld:%02lld",
			 v->lo / 60, v->lo % 60, (v->hi + 1) / 60,
			 (v->hi + 1) % 60);
		v->word[0] = v->word[1] = v->lo;
		v->ok[0] = v->ok[1] = true;
	}
	return 0;
}

static int wday_classes(struct abac_dim *dim)
{
	struct abac_dval *v;
	unsigned int i;

	for (i = 0; i < 7; i++) {
		v = dval_new(dim);
		if (!v)
			return -ENOMEM;
		snprintf(v->text, sizeof(v->text), "%s", wday_names[i]);
		v->lo = v->hi = i;
		v->word[0] = v->word[1] = i;
		v->ok[0] = v->ok[1] = true;
	}
	return 0;
}

static int op_classes(struct abac_dim *dim)
{
	struct abac_dval *v;
	unsigned int op;

	for (op = 0; op < ABAC_OP_COUNT; op++) {
		v = dval_new(dim);
		if (!v)
			return -ENOMEM;
		snprintf(v->text, sizeof(v->text), "%s", abac_op_name(op));
		v->lo = v->hi = op;
		v->word[0] = v->word[1] = op;
		v->ok[0] = v->ok[1] = true;
	}
	return 0;
}

/* The dimension of attribute @name on @side, added when new. */
static struct abac_dim *attr_dim(struct abac_space *sp, unsigned int side,
				 const char *name)
{
	struct abac_dim *dim;
	unsigned int i;

	for (i = 0; i < sp->ndims; i++) {
		dim = &sp->dims[i];
		if (dim->kind == side && !strcmp(dim->attr_name, name))
			return dim;
	}
	if (sp->ndims >= ABAC_SPACE_DIMS)
		return NULL;
	dim = &sp->dims[sp->ndims++];
	memset(dim, 0, sizeof(*dim));
	dim->kind = side;
	dim->attr[0] = dim->attr[1] = -1;
	snprintf(dim->attr_name, sizeof(dim->attr_name), "%s", name);
	snprintf(dim->name, sizeof(dim->name), "%s.%s", abac_side_name(side),
		 name);
	return dim;
}

static struct abac_dim *plain_dim(struct abac_space *sp, unsigned int kind,
				  const char *name)
{
	struct abac_dim *dim = &sp->dims[sp->ndims++];

	memset(dim, 0, sizeof(*dim));
	dim->kind = kind;
	dim->attr[0] = dim->attr[1] = -1;
	snprintf(dim->name, sizeof(dim->name), "%s", name);
	return dim;
}

/* One dimension per attribute name of each side, in declaration order. */
static int attr_dims(struct abac_space *sp, struct abac_diags *d)
{
	const struct abac_attr_def *a;
	struct abac_dim *dim;
	unsigned int k, side, i, n;

	for (side = 0; side < ABAC_SIDE_COUNT; side++)
		for (k = 0; k < sp->npol; k++) {
			a = abac_policy_attrs(sp->pol[k], side, &n);
			for (i = 0; i < n; i++) {
				dim = attr_dim(sp, side, a[i].name);
				if (!dim)
					return -E2BIG;
				if (dim->attr[0] < 0 && dim->attr[1] < 0)
					dim->type = a[i].type;
				else if (dim->type != a[i].type) {
					abac_diag_add(d, false, sp->pol[k]->file,
						      a[i].line, a[i].column,
						      "%s is a %s here and a %s in the other policy: the two cannot be compared",
						      dim->name,
						      abac_type_name(a[i].type),
						      abac_type_name(dim->type));
					return -EINVAL;
				}
				dim->attr[k] = i;
			}
		}
	return 0;
}

/* Fill the classes of every dimension; refuse a space too large. */
static int fill_classes(struct abac_space *sp, struct abac_diags *d)
{
	struct abac_dim *dim;
	unsigned int i;
	double cells = 1;
	int err = 0;

	for (i = 0; !err && i < sp->ndims; i++) {
		dim = &sp->dims[i];
		if (dim->kind == ABAC_DIM_OP)
			err = op_classes(dim);
		else if (dim->kind == ABAC_DIM_MINUTE)
			err = minute_classes(sp, dim);
		else if (dim->kind == ABAC_DIM_WDAY)
			err = wday_classes(dim);
		else if (dim->type == ABAC_TYPE_INT)
			err = int_classes(sp, dim);
		else
			err = named_classes(sp, dim, d);
		if (!err && dim->points)
			abac_diag_add(d, true, sp->pol[0]->file, 0, 0,
				      "%s is an int compared with another attribute: it is analysed at representative values around each constant, not over every value",
				      dim->name);
		cells *= dim->nvals ? dim->nvals : 1;
	}
	if (!err && cells > ABAC_SPACE_CELLS_MAX && !sp->unbounded) {
		abac_diag_add(d, false, sp->pol[0]->file, 0, 0,
			      "the request space has %.3g classes of requests: more than %.3g cannot be enumerated (fix some attributes)",
			      cells, (double)ABAC_SPACE_CELLS_MAX);
		err = -E2BIG;
	}
	return err;
}

/**
 * abac_space_init() - the request space of one or two policies.
 * @sp: receives the space; free it with abac_space_free().
 * @pols: the policies (their attributes matched by name).
 * @imgs: their images, compiled from them.
 * @npol: 1 or 2.
 * @d: receives why a space cannot be built (and notes on representative
 *	points).
 *
 * Return: 0, -EINVAL for policies that cannot be compared, -E2BIG for a
 * space too large to enumerate, -ENOMEM.
 */
int abac_space_init(struct abac_space *sp,
		    const struct abac_policy *const *pols,
		    const struct abac_image *imgs, unsigned int npol,
		    struct abac_diags *d)
{
	return abac_space_init_flags(sp, pols, imgs, npol, 0, d);
}

/**
 * abac_space_init_flags() - abac_space_init() with options.
 * @sp: receives the space.
 * @pols: the policies.
 * @imgs: their images.
 * @npol: 1 or 2.
 * @flags: ABAC_SPACE_UNBOUNDED: no limit on the whole space's size, for
 *	callers that walk only a few dimensions of it at a time.
 * @d: receives why a space cannot be built.
 *
 * Return: as abac_space_init().
 */
int abac_space_init_flags(struct abac_space *sp,
			  const struct abac_policy *const *pols,
			  const struct abac_image *imgs, unsigned int npol,
			  unsigned int flags, struct abac_diags *d)
{
	unsigned int k;
	int err;

	memset(sp, 0, sizeof(*sp));
	sp->unbounded = flags & ABAC_SPACE_UNBOUNDED;
	if (npol < 1 || npol > 2)
		return -EINVAL;
	sp->npol = npol;
	for (k = 0; k < npol; k++) {
		sp->pol[k] = pols[k];
		sp->img[k] = imgs[k];
	}
	plain_dim(sp, ABAC_DIM_OP, "op");
	err = attr_dims(sp, d);
	if (!err && reads_clock(sp, ABAC_COND_TIME, NULL, NULL))
		plain_dim(sp, ABAC_DIM_MINUTE, "env.time");
	if (!err && reads_clock(sp, ABAC_COND_DAYS, NULL, NULL))
		plain_dim(sp, ABAC_DIM_WDAY, "env.day");
	if (!err)
		err = fill_classes(sp, d);
	for (k = 0; !err && k < sp->ndims; k++) {
		sp->keep[k] = malloc(sp->dims[k].nvals);
		if (!sp->keep[k])
			err = -ENOMEM;
		else
			memset(sp->keep[k], 1, sp->dims[k].nvals);
	}
	if (err)
		abac_space_free(sp);
	return err;
}

void abac_space_free(struct abac_space *sp)
{
	unsigned int i;

	for (i = 0; i < sp->ndims; i++) {
		free(sp->dims[i].vals);
		free(sp->keep[i]);
	}
	memset(sp, 0, sizeof(*sp));
}

/**
 * abac_space_find() - the dimension named @name ("subject.role", "op",
 *	"env.time", "env.day").
 * @sp: the space.
 * @name: the name.
 *
 * Return: its index, or -1.
 */
int abac_space_find(const struct abac_space *sp, const char *name)
{
	unsigned int i;

	for (i = 0; i < sp->ndims; i++)
		if (!strcmp(sp->dims[i].name, name))
			return i;
	return -1;
}

/**
 * abac_space_attr_dim() - the dimension of one attribute of one policy.
 * @sp: the space.
 * @k: the policy.
 * @side: enum abac_side; ABAC_DIM_MINUTE and ABAC_DIM_WDAY name the clock.
 * @attr: the attribute's number in policy @k (ignored for the clock).
 *
 * Return: the dimension's index, or -1.
 */
int abac_space_attr_dim(const struct abac_space *sp, unsigned int k,
			unsigned int side, unsigned int attr)
{
	unsigned int i;

	for (i = 0; i < sp->ndims; i++)
		if (sp->dims[i].kind == side &&
		    (side >= ABAC_SIDE_COUNT || sp->dims[i].attr[k] == (int)attr))
			return i;
	return -1;
}

/**
 * abac_space_classify() - the class of dimension @dim a value falls in.
 * @sp: the space.
 * @dim: the dimension's index.
 * @k: the policy whose numbering @word uses.
 * @word: an attribute word of policy @k, an operation, a minute of the
 *	day or a weekday.
 *
 * Return: the class, or -1 when none holds it (a value no policy
 * declares, an int between the representative points).
 */
int abac_space_classify(const struct abac_space *sp, unsigned int dim,
			unsigned int k, __u64 word)
{
	const struct abac_dim *dm = &sp->dims[dim];
	const struct abac_dval *v;
	long long x = (long long)(word - ABAC_INT_BIAS);
	unsigned int i;

	for (i = 0; i < dm->nvals; i++) {
		v = &dm->vals[i];
		if (dm->kind >= ABAC_SIDE_COUNT) {
			if ((long long)word >= v->lo &&
			    (long long)word <= v->hi)
				return i;
		} else if (!word || dm->type != ABAC_TYPE_INT) {
			if (v->ok[k] && v->word[k] == word)
				return i;
		} else if (i && x >= v->lo && x <= v->hi) {
			return i;	/* class 0 is "absent" */
		}
	}
	return -1;
}

/**
 * abac_space_keep() - restrict a dimension to one class (or all again).
 * @sp: the space.
 * @dim: the dimension's index.
 * @cls: the class to keep, or -1 for every class.
 */
void abac_space_keep(struct abac_space *sp, unsigned int dim, int cls)
{
	memset(sp->keep[dim], cls < 0, sp->dims[dim].nvals);
	if (cls >= 0 && (unsigned int)cls < sp->dims[dim].nvals)
		sp->keep[dim][cls] = 1;
}

/* The request of cell @cell in policy @k; false when it cannot be made. */
static bool cell_request(const struct abac_space *sp, const unsigned int *cell,
			 unsigned int k, struct abac_attrs *a,
			 struct abac_env *e, unsigned int *op)
{
	const struct abac_dim *dim;
	const struct abac_dval *v;
	unsigned int i;

	memset(a, 0, 2 * sizeof(*a));
	memset(e, 0, sizeof(*e));
	for (i = 0; i < sp->ndims; i++) {
		dim = &sp->dims[i];
		v = &dim->vals[cell[i]];
		if (!v->ok[k])
			return false;
		if (dim->kind == ABAC_DIM_OP)
			*op = v->word[k];
		else if (dim->kind == ABAC_DIM_MINUTE)
			e->minute = v->word[k];
		else if (dim->kind == ABAC_DIM_WDAY)
			e->wday = v->word[k];
		else if (dim->attr[k] < 0 && v->word[k])
			return false;	/* an attribute it does not declare */
		else if (dim->attr[k] >= 0 && dim->kind == ABAC_SIDE_ENV)
			e->a.v[dim->attr[k]] = v->word[k];
		else if (dim->attr[k] >= 0)
			a[dim->kind].v[dim->attr[k]] = v->word[k];
	}
	return true;
}

/**
 * abac_space_decide() - decide one cell in every policy of the space.
 * @sp: the space.
 * @cell: a class of each dimension.
 * @dec: receives one decision per policy.  A cell naming a value a
 *	policy does not declare is denied there with ABAC_REASON_BAD_LABEL
 *	and no rule, as the kernel refuses such a label.
 */
void abac_space_decide(const struct abac_space *sp, const unsigned int *cell,
		       struct abac_decision *dec)
{
	struct abac_attrs a[2];
	struct abac_env e;
	struct abac_request rq = { &a[0], &a[1], &e };
	unsigned int k, op = 0;

	for (k = 0; k < sp->npol; k++) {
		if (!cell_request(sp, cell, k, a, &e, &op)) {
			memset(&dec[k], 0, sizeof(dec[k]));
			dec[k].effect = ABAC_DENY;
			dec[k].reason = ABAC_REASON_BAD_LABEL;
			dec[k].outcome = ABAC_OUT_INDET;
			dec[k].rule = ABAC_RULE_NONE;
			continue;
		}
		abac_decide(&sp->img[k], op, &rq, &dec[k]);
	}
}

/**
 * abac_space_walk() - decide every cell the space keeps.
 * @sp: the space.
 * @fn: called with each cell and its decisions; a non-zero return stops
 *	the walk and is returned.
 * @ctx: passed to @fn.
 *
 * Return: 0, or what @fn returned.
 */
int abac_space_walk(const struct abac_space *sp,
		    int (*fn)(void *ctx, const unsigned int *cell,
			      const struct abac_decision *dec),
		    void *ctx)
{
	return abac_space_walk_flags(sp, 0, fn, ctx);
}

/**
 * abac_space_walk_flags() - abac_space_walk() with options.
 * @sp: the space.
 * @flags: ABAC_WALK_NO_DECIDE: call @fn with no decisions (NULL), for a
 *	caller that evaluates single rules itself.
 * @fn: called with each cell.
 * @ctx: passed to @fn.
 *
 * Return: 0, or what @fn returned.
 */
int abac_space_walk_flags(const struct abac_space *sp, unsigned int flags,
			  int (*fn)(void *ctx, const unsigned int *cell,
				    const struct abac_decision *dec),
			  void *ctx)
{
	unsigned int cell[ABAC_SPACE_DIMS] = { 0 }, i;
	struct abac_decision dec[2];
	int err;

	for (i = 0; i < sp->ndims; i++)	/* the first kept class of each */
		while (cell[i] < sp->dims[i].nvals && !sp->keep[i][cell[i]])
			cell[i]++;
	for (i = 0; i < sp->ndims; i++)
		if (cell[i] >= sp->dims[i].nvals)
			return 0;	/* a dimension keeps nothing */
	for (;;) {
		if (!(flags & ABAC_WALK_NO_DECIDE))
			abac_space_decide(sp, cell, dec);
		err = fn(ctx, cell, flags & ABAC_WALK_NO_DECIDE ? NULL : dec);
		if (err)
			return err;
		for (i = 0; i < sp->ndims; i++) {	/* the next cell */
			do
				cell[i]++;
			while (cell[i] < sp->dims[i].nvals &&
			       !sp->keep[i][cell[i]]);
			if (cell[i] < sp->dims[i].nvals)
				break;
			cell[i] = 0;
			while (!sp->keep[i][cell[i]])
				cell[i]++;
		}
		if (i == sp->ndims)
			return 0;
	}
}
