// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the two parsers abacd runs on bytes it did not
 * write: abac_ctl_split(), which turns a control-socket request frame
 * into argv, and jline_plain(), which turns a line of the event log back
 * into the plain form sent to "abac events" subscribers.
 *
 * Properties, besides the sanitizers':
 *  - a split frame yields 1..max strings that lie inside the frame, end
 *    with its last byte, and follow one another;
 *  - a plain event line holds no control character (a newline in a file
 *    name must not forge a second line) and its length is its strlen().
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "fuzz_common.h"

int jline_plain(const char *line, size_t len, char **out, size_t *out_len);

#define ARGS_MAX	(ABAC_CTL_ARGS_MAX + 1)

static void check_split(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1), *argv[ARGS_MAX];
	size_t off = 0;
	int argc, i;

	FUZZ_ASSERT(buf);
	memcpy(buf, data, size);
	argc = abac_ctl_split(buf, size, argv, ARGS_MAX);
	FUZZ_ASSERT(argc == -EINVAL || (argc >= 1 && argc <= ARGS_MAX));
	for (i = 0; i < argc; i++) {
		FUZZ_ASSERT(argv[i] == buf + off);
		off += strlen(argv[i]) + 1;
		FUZZ_ASSERT(off <= size);
	}
	FUZZ_ASSERT(argc < 0 || off == size);
	free(buf);
}

static void check_jline(const uint8_t *data, size_t size)
{
	char *out = NULL;
	size_t len = 0, i;

	if (jline_plain((const char *)data, size, &out, &len))
		return;
	FUZZ_ASSERT(out && strlen(out) == len);
	for (i = 0; i < len; i++)
		FUZZ_ASSERT((unsigned char)out[i] >= 0x20 && out[i] != 0x7f);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_split(data, size);
	check_jline(data, size);
	return 0;
}
