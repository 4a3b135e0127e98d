// SPDX-License-Identifier: GPL-2.0-only
/*
 * A set of cells of a request space (space.c), kept as few "cubes" as a
 * person can read: rows that give each dimension a set of classes and
 * stand for every combination of them.  Cells enter one by one with a key
 * (the deciding rules and effects); abac_cubes_merge() then joins two
 * rows with the same key that differ in one dimension only, dimension
 * after dimension until nothing joins.  Joining A x B and A' x B gives
 * (A u A') x B, so the rows cover exactly the cells that entered: no
 * cell is lost, none is added.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libabac.h"

/**
 * abac_cubes_init() - an empty set of rows over the dimensions of @sp.
 * @c: the set.
 * @sp: the space; it must outlive @c.
 */
void abac_cubes_init(struct abac_cubes *c, const struct abac_space *sp)
{
	unsigned int i;

	memset(c, 0, sizeof(*c));
	c->sp = sp;
	for (i = 0; i < sp->ndims; i++) {
		c->off[i] = c->words;
		c->words += (sp->dims[i].nvals + 63) / 64;
	}
}

void abac_cubes_free(struct abac_cubes *c)
{
	free(c->bits);
	free(c->keys);
	free(c->cells);
	c->bits = NULL;
	c->keys = NULL;
	c->cells = NULL;
	c->n = c->cap = 0;
}

static int grow(struct abac_cubes *c)
{
	size_t cap = c->cap ? c->cap * 2 : 256;
	struct abac_cube_key *nk;
	__u64 *nb, *nc;

	nb = realloc(c->bits, cap * c->words * sizeof(*nb));
	if (!nb)
		return -ENOMEM;
	c->bits = nb;
	nk = realloc(c->keys, cap * sizeof(*nk));
	if (!nk)
		return -ENOMEM;
	c->keys = nk;
	nc = realloc(c->cells, cap * sizeof(*nc));
	if (!nc)
		return -ENOMEM;
	c->cells = nc;
	c->cap = cap;
	return 0;
}

/**
 * abac_cubes_add() - add one cell as a row of its own.
 * @c: the set.
 * @cell: a class of each dimension.
 * @key: what the cell's row is about; rows join only with equal keys.
 *
 * Return: 0 or -ENOMEM.
 */
int abac_cubes_add(struct abac_cubes *c, const unsigned int *cell,
		   const struct abac_cube_key *key)
{
	__u64 *row;
	unsigned int i;

	if (c->n == c->cap && grow(c))
		return -ENOMEM;
	row = &c->bits[c->n * c->words];
	memset(row, 0, c->words * sizeof(*row));
	for (i = 0; i < c->sp->ndims; i++)
		row[c->off[i] + cell[i] / 64] |= 1ULL << (cell[i] % 64);
	c->keys[c->n] = *key;
	c->cells[c->n] = 1;
	c->n++;
	return 0;
}

/* Comparing rows on everything but one dimension (qsort_r). */
struct by_rest {
	const struct abac_cubes *c;
	unsigned int skip;
};

static int cmp_rest(const void *pa, const void *pb, void *arg)
{
	const struct by_rest *br = arg;
	const struct abac_cubes *c = br->c;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb, w;
	size_t from = c->off[br->skip];
	size_t to = br->skip + 1 < c->sp->ndims ? c->off[br->skip + 1] :
						   c->words;
	const __u64 *ra = &c->bits[a * c->words], *rb = &c->bits[b * c->words];
	int r = memcmp(&c->keys[a], &c->keys[b], sizeof(c->keys[a]));

	if (r)
		return r;
	for (w = 0; w < c->words; w++) {
		if (w >= from && w < to)
			continue;
		if (ra[w] != rb[w])
			return ra[w] < rb[w] ? -1 : 1;
	}
	return a < b ? -1 : a > b;
}

/* Are rows @a and @b equal in key and in every dimension but @skip? */
static bool same_rest(const struct abac_cubes *c, size_t a, size_t b,
		      unsigned int skip)
{
	size_t from = c->off[skip], w;
	size_t to = skip + 1 < c->sp->ndims ? c->off[skip + 1] : c->words;
	const __u64 *ra = &c->bits[a * c->words], *rb = &c->bits[b * c->words];

	if (memcmp(&c->keys[a], &c->keys[b], sizeof(c->keys[a])))
		return false;
	for (w = 0; w < c->words; w++)
		if ((w < from || w >= to) && ra[w] != rb[w])
			return false;
	return true;
}

/* Join the rows equal on all but dimension @dim; true when some joined. */
static int join_dim(struct abac_cubes *c, unsigned int dim, bool *joined)
{
	struct by_rest br = { c, dim };
	size_t *idx, i, j, w, n = 0;
	size_t from = c->off[dim];
	size_t to = dim + 1 < c->sp->ndims ? c->off[dim + 1] : c->words;

	idx = malloc(c->n * sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	for (i = 0; i < c->n; i++)
		idx[i] = i;
	qsort_r(idx, c->n, sizeof(*idx), cmp_rest, &br);
	for (i = 0; i < c->n; i = j) {
		size_t keep = idx[i];

		for (j = i + 1; j < c->n && same_rest(c, keep, idx[j], dim);
		     j++) {
			for (w = from; w < to; w++)
				c->bits[keep * c->words + w] |=
					c->bits[idx[j] * c->words + w];
			c->cells[keep] += c->cells[idx[j]];
			c->cells[idx[j]] = 0;	/* joined: drop it */
			*joined = true;
		}
	}
	for (i = 0; i < c->n; i++) {	/* compact, keeping the order */
		if (!c->cells[i])
			continue;
		if (n != i) {
			memcpy(&c->bits[n * c->words], &c->bits[i * c->words],
			       c->words * sizeof(*c->bits));
			c->keys[n] = c->keys[i];
			c->cells[n] = c->cells[i];
		}
		n++;
	}
	c->n = n;
	free(idx);
	return 0;
}

/**
 * abac_cubes_merge() - join rows until no two can be joined.
 * @c: the set.
 *
 * Return: 0 or -ENOMEM.
 */
int abac_cubes_merge(struct abac_cubes *c)
{
	bool joined = true;
	unsigned int d;
	int err;

	while (joined) {
		joined = false;
		for (d = 0; d < c->sp->ndims; d++) {
			err = join_dim(c, d, &joined);
			if (err)
				return err;
		}
	}
	return 0;
}

/**
 * abac_cube_has() - does row @row hold class @cls of dimension @dim?
 * @c: the set.
 * @row: the row.
 * @dim: the dimension.
 * @cls: the class.
 *
 * Return: true when it does.
 */
bool abac_cube_has(const struct abac_cubes *c, size_t row, unsigned int dim,
		   unsigned int cls)
{
	return c->bits[row * c->words + c->off[dim] + cls / 64] >>
	       (cls % 64) & 1;
}

/**
 * abac_cube_all() - does row @row hold every class of @dim that the space
 *	keeps (any value)?
 * @c: the set.
 * @row: the row.
 * @dim: the dimension.
 *
 * Return: true when it does.
 */
bool abac_cube_all(const struct abac_cubes *c, size_t row, unsigned int dim)
{
	const struct abac_space *sp = c->sp;
	unsigned int i;

	for (i = 0; i < sp->dims[dim].nvals; i++)
		if (sp->keep[dim][i] && !abac_cube_has(c, row, dim, i))
			return false;
	return true;
}
