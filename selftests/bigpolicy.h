/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A generated policy of N rules whose image outgrows one BPF map value
 * (ABAC_CHUNK_RECORDS records), for the host and guest tests of images in
 * chunks (selftests/host/chunks_test.c, selftests/vm/chunks_test.c).
 *
 * N - 2 rules over roles r01..r63 and types t02..t63, then the two rules
 * about the prober (role "probe"): it may read "mine" and may never read
 * "secret".  Those two come last, so that their conditions lie past the
 * first chunk once N is large (about 100,000: the rules and the
 * operation lists take the first 125,000 records, the conditions two
 * records a rule after them).
 */
#ifndef _ABAC_BIGPOLICY_H
#define _ABAC_BIGPOLICY_H

#include <stdio.h>
#include <stdlib.h>

#define BIG_PROBE_TAGS		"role=probe"
#define BIG_LABEL_MINE		"type=mine"
#define BIG_LABEL_SECRET	"type=secret"

/* The YAML of an @n-rule policy (@n >= 2), malloc()ed; NULL on failure. */
static inline char *big_policy_yaml(unsigned long n, size_t *len)
{
	unsigned long i;
	char *buf = NULL;
	unsigned int v;
	FILE *f;

	f = open_memstream(&buf, len);
	if (!f)
		return NULL;
	fprintf(f, "version: 1\nname: big-%lu\nmode: enforce\n"
		   "combining: deny-overrides\ndefault: deny\n"
		   "attributes:\n  subject:\n    role: {type: string, values: [probe",
		n);
	for (v = 1; v < 64; v++)
		fprintf(f, ", r%02u", v);
	fprintf(f, "]}\n  object:\n    type: {type: string, values: [mine, secret");
	for (v = 2; v < 64; v++)
		fprintf(f, ", t%02u", v);
	fprintf(f, "]}\nrules:\n");
	for (i = 0; i + 2 < n; i++)
		fprintf(f, "  - id: r%07lu\n"
			   "    nlp: \"Role r%02lu %s read t%02lu documents.\"\n"
			   "    effect: %s\n    ops: [read]\n"
			   "    subject: {role: r%02lu}\n"
			   "    object: {type: t%02lu}\n",
			i, 1 + i % 63, i % 4 == 3 ? "may never" : "may",
			2 + (i * 5) % 62, i % 4 == 3 ? "deny" : "allow",
			1 + i % 63, 2 + (i * 5) % 62);
	fprintf(f, "  - id: probe-reads-mine\n"
		   "    nlp: \"The prober may read its own files.\"\n"
		   "    effect: allow\n    ops: [read]\n"
		   "    subject: {role: probe}\n    object: {type: mine}\n"
		   "  - id: probe-never-reads-secret\n"
		   "    nlp: \"The prober may never read the secret.\"\n"
		   "    effect: deny\n    ops: [read]\n"
		   "    subject: {role: probe}\n    object: {type: secret}\n");
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

#endif /* _ABAC_BIGPOLICY_H */
