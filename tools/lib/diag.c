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

/**
 * abac_diags_print() - print every entry, one a line.
 * @d: the list.
 * @f: where to print.
 *
 * The format is the compilers' one, "FILE:LINE:COL: error: MSG", leaving
 * out the line and the column when they are not known.
 */
void abac_diags_print(const struct abac_diags *d, FILE *f)
{
	const struct abac_diag *g;
	size_t i;

	for (i = 0; i < d->n; i++) {
		g = &d->v[i];
		fputs(g->file, f);
		if (g->line)
			fprintf(f, ":%u", g->line);
		if (g->line && g->column)
			fprintf(f, ":%u", g->column);
		fprintf(f, ": %s: %s\n",
			g->note ? "note" : g->warning ? "warning" : "error",
			g->msg);
	}
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
