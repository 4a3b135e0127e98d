/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What abac's libFuzzer harnesses share: an assertion that aborts (so
 * that libFuzzer saves the input), a sink for printed output and the
 * properties every diagnostic list must have.
 */
#ifndef _ABAC_FUZZ_COMMON_H
#define _ABAC_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "libabac.h"

#define FUZZ_ASSERT(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, \
			__LINE__, #cond); \
		abort(); \
	} \
} while (0)

/* /dev/null, opened once: printers run, their output goes nowhere. */
static inline FILE *fuzz_devnull(void)
{
	FILE *f = fopen("/dev/null", "w");

	FUZZ_ASSERT(f);
	return f;
}

/*
 * After a library call that returned @err: a failure carries an error,
 * a success none; every diagnostic names a file and a message, and a
 * line no further than one past the last line of the @size bytes of
 * @data (libyaml reports the end of the text there).  Lines are counted
 * generously: libyaml also breaks lines at CR, NEL, LS and PS, whose
 * UTF-8 forms end in 0x85, 0xa8 and 0xa9.
 */
static inline void fuzz_check_diags(const struct abac_diags *d, int err,
				    const uint8_t *data, size_t size)
{
	unsigned int lines = 1;
	size_t i;

	for (i = 0; i < size; i++)
		lines += data[i] == '\n' || data[i] == '\r' ||
			 data[i] == 0x85 || data[i] == 0xa8 ||
			 data[i] == 0xa9;
	if (err)
		FUZZ_ASSERT(err < 0 && d->errors > 0);
	else
		FUZZ_ASSERT(d->errors == 0);
	for (i = 0; i < d->n; i++) {
		FUZZ_ASSERT(d->v[i].file[0] && d->v[i].msg[0]);
		FUZZ_ASSERT(d->v[i].line <= lines + 1);
	}
}

#endif /* _ABAC_FUZZ_COMMON_H */
