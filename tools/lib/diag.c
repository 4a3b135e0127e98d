// SPDX-License-Identifier: GPL-2.0-only
/*
 * Diagnostics: errors and warnings with the place they were found, kept in
 * a list so that one run reports every mistake it can.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "libabac.h"

/**
 * abac_diags_init() - start an empty list.
 * @d: the list.
 */
void abac_diags_init(struct abac_diags *d)
{
	memset(d, 0, sizeof(*d));
}

/**
 * abac_diags_free() - release a list; it is empty afterwards.
 * @d: the list.
 */
void abac_diags_free(struct abac_diags *d)
{
	free(d->v);
	abac_diags_init(d);
}

/* Room for one more entry; false when memory ran out. */
static bool diags_grow(struct abac_diags *d)
{
	struct abac_diag *nv;
	size_t cap;

	if (d->n < d->cap)
		return true;
	cap = d->cap ? d->cap * 2 : 8;
	nv = realloc(d->v, cap * sizeof(*nv));
	if (!nv)
		return false;
	d->v = nv;
	d->cap = cap;
	return true;
}

/**
 * abac_diag_add() - append an error or a warning.
 * @d: the list; NULL drops the diagnostic.
 * @warning: true for a warning.
 * @file: the file it concerns; cut to 255 bytes.
 * @line: 1-based line, 0 when there is none.
 * @column: 1-based column, 0 when there is none.
 * @fmt: printf() format of the message; cut to 511 bytes.
 *
 * An error is counted in @d->errors even when there is no memory left to
 * keep its text, so that a caller never mistakes a failure for success.
 */
void abac_diag_add(struct abac_diags *d, bool warning, const char *file,
		   unsigned int line, unsigned int column, const char *fmt, ...)
{
	struct abac_diag *g;
	va_list ap;

	if (!d)
		return;
	if (!warning)
		d->errors++;
	if (!diags_grow(d))
		return;
	g = &d->v[d->n++];
	snprintf(g->file, sizeof(g->file), "%s", file ? file : "");
	g->line = line;
	g->column = line ? column : 0;
	g->warning = warning;
	g->note = false;
	va_start(ap, fmt);
	vsnprintf(g->msg, sizeof(g->msg), fmt, ap);
	va_end(ap);
}

static void print_one(const struct abac_diag *g, FILE *f)
{
	fputs(g->file, f);
	if (g->line)
		fprintf(f, ":%u", g->line);
	if (g->line && g->column)
		fprintf(f, ":%u", g->column);
	fprintf(f, ": %s: %s\n",
		g->note ? "note" : g->warning ? "warning" : "error", g->msg);
}

/*
 * The order diagnostics are read in: by file (in the order the files
 * first appear), then line, then column, then the order they were found.
 * A key per entry, so that sorting compares numbers only.
 */
struct place {
	size_t file, line, column, index;
};

static int by_place(const void *pa, const void *pb)
{
	const struct place *x = pa, *y = pb;

	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The rank of @i's file: the index of the first entry naming it. */
static size_t file_rank(const struct abac_diags *d, size_t *firsts,
			size_t *nfirsts, size_t i)
{
	size_t k;

	for (k = 0; k < *nfirsts; k++)
		if (!strcmp(d->v[firsts[k]].file, d->v[i].file))
			return k;
	firsts[(*nfirsts)++] = i;
	return k;
}

/**
 * abac_diags_order() - the entries of a list in reading order.
 * @d: the list.
 *
 * Return: a malloc()ed array of @d->n indexes into @d->v, sorted by file
 * (in order of first appearance), line, column and then the order found;
 * NULL when @d is empty or memory ran out (then read @d->v in order).
 */
size_t *abac_diags_order(const struct abac_diags *d)
{
	size_t *idx = NULL, *firsts = NULL, nfirsts = 0, i;
	struct place *pl;

	if (!d->n)
		return NULL;
	pl = malloc(d->n * sizeof(*pl));
	firsts = malloc(d->n * sizeof(*firsts));
	idx = malloc(d->n * sizeof(*idx));
	if (!pl || !firsts || !idx) {
		free(idx);
		idx = NULL;
		goto out;
	}
	for (i = 0; i < d->n; i++) {
		pl[i].file = file_rank(d, firsts, &nfirsts, i);
		pl[i].line = d->v[i].line;
		pl[i].column = d->v[i].column;
		pl[i].index = i;
	}
	qsort(pl, d->n, sizeof(*pl), by_place);
	for (i = 0; i < d->n; i++)
		idx[i] = pl[i].index;
out:
	free(firsts);
	free(pl);
	return idx;
}

/**
 * abac_diags_print_max() - print the entries in reading order, one a line,
 * at most @max warnings and notes.
 * @d: the list.
 * @f: where to print.
 * @max: warnings and notes to print; every error is printed.  Past @max
 *	one note says how many were left out.
 *
 * The format is the compilers' one, "FILE:LINE:COL: error: MSG", leaving
 * out the line and the column when they are not known.
 */
void abac_diags_print_max(const struct abac_diags *d, FILE *f, size_t max)
{
	size_t *order = abac_diags_order(d), i, shown = 0, left = 0;
	const struct abac_diag *g;

	for (i = 0; i < d->n; i++) {
		g = &d->v[order ? order[i] : i];
		if (g->warning && shown >= max) {
			left++;
			continue;
		}
		shown += g->warning;
		print_one(g, f);
	}
	if (left)
		fprintf(f, "%s: note: %zu more warning%s not shown (--json lists them all)\n",
			d->v[0].file, left, left == 1 ? "" : "s");
	free(order);
}

/**
 * abac_diags_print() - abac_diags_print_max() with ABAC_DIAGS_SHOWN.
 * @d: the list.
 * @f: where to print.
 */
void abac_diags_print(const struct abac_diags *d, FILE *f)
{
	abac_diags_print_max(d, f, ABAC_DIAGS_SHOWN);
}

/**
 * abac_diag_mark_note() - make the last entry a note: information that is
 * neither an error nor a warning ("note: ..." when printed).
 * @d: the list.
 */
void abac_diag_mark_note(struct abac_diags *d)
{
	if (d && d->n && d->v[d->n - 1].warning)
		d->v[d->n - 1].note = true;
}
