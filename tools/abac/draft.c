// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac policy draft "SENTENCE" [POLICY...] [--id ID]: a controlled-English
 * sentence as a YAML rule in the policy's vocabulary (tools/lib/draft.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abac.h"
#include "libabac.h"

static void print_draft(const char *sentence, const struct abac_draft *dr,
			bool ok)
{
	size_t i;

	if (json_output) {
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "sentence", sentence);
		abac_json_kv_bool(jw(), "ok", ok);
		if (ok)
			abac_json_kv_str(jw(), "yaml", dr->yaml);
		abac_json_key(jw(), "mappings");
		abac_json_arr_begin(jw());
		for (i = 0; i < dr->nmap; i++) {
			abac_json_obj_begin(jw());
			abac_json_kv_str(jw(), "words", dr->map[i].words);
			abac_json_kv_str(jw(), "meaning", dr->map[i].meaning);
			abac_json_obj_end(jw());
		}
		abac_json_arr_end(jw());
		abac_json_key(jw(), "unmatched");
		abac_json_arr_begin(jw());
		for (i = 0; i < dr->nunmatched; i++)
			abac_json_str(jw(), dr->unmatched[i]);
		abac_json_arr_end(jw());
		if (dr->error[0])
			abac_json_kv_str(jw(), "error", dr->error);
		abac_json_obj_end(jw());
		return;
	}
	for (i = 0; i < dr->nmap; i++)
		printf("# \"%s\" -> %s\n", dr->map[i].words, dr->map[i].meaning);
	if (ok) {
		fputs(dr->yaml, stdout);
		return;
	}
	fflush(stdout);
	if (dr->nunmatched) {
		fprintf(stderr, "Failed to draft: these words name nothing in the policy:");
		for (i = 0; i < dr->nunmatched; i++)
			fprintf(stderr, " '%s'", dr->unmatched[i]);
		fputc('\n', stderr);
	}
	if (dr->error[0])
		fprintf(stderr, "Failed to draft: %s\n", dr->error);
}

/**
 * do_policy_draft() - abac policy draft "SENTENCE" [POLICY...] [--id ID]
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Return: 0 with the rule printed, 1 when the sentence is refused, 2 on
 * misuse, 3 when the policy cannot be read.
 */
int do_policy_draft(int argc, char **argv)
{
	static const struct option opts[] = {
		ABAC_COMMON_LONGOPTS,
		{ "id", required_argument, NULL, 'i' },
		{ NULL }
	};
	struct abac_draft *dr = calloc(1, sizeof(*dr));
	const char *id = "drafted", *sentence;
	struct loaded l;
	int c, ret;

	if (!dr)
		return ABAC_EXIT_ERROR;
	while ((c = verb_getopt(argc, argv, "i:" ABAC_COMMON_SHORTOPTS,
				opts)) != -1) {
		if (c != 'i') {
			free(dr);
			return ABAC_EXIT_USAGE;
		}
		id = optarg;
	}
	if (optind >= argc) {
		free(dr);
		return p_usage("which sentence?");
	}
	if (!abac_name_valid(id, strlen(id))) {
		free(dr);
		return p_usage("--id '%s': a rule id is [A-Za-z0-9_.:/@+-]", id);
	}
	sentence = argv[optind];
	ret = load_policy(&l, (const char *const *)argv + optind + 1,
			  argc - optind - 1, "draft");
	if (ret) {
		free(dr);
		return ret;
	}
	ret = abac_draft(l.policy, sentence, id, dr) ? ABAC_EXIT_FAIL :
						       ABAC_EXIT_OK;
	print_draft(sentence, dr, ret == ABAC_EXIT_OK);
	loaded_free(&l);
	free(dr);
	return ret;
}
