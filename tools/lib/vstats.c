// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BPF verifier's statistics per program (log level 4, BPF_LOG_STATS):
 * its time and the instructions and states it walked.  Asked for with
 * ABAC_VERIFIER_STATS=1; one line per program on stderr:
 *
 *   abacd: verifier: hook_file_open: 812345 usec, 77299 insns, 2952 states
 *
 * Under TCG the verifier's time is most of an agent's first start, so
 * this is how a change to the BPF programs is costed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vstats.h"

#define VSTATS_LOG_SIZE	65536	/* the statistics lines, one per global function too */
#define VSTATS_FULL_SIZE	(96U << 20)	/* a whole level-2 log, kept to its tail */

struct abac_vstats {
	size_t n;
	char *logs[];
};

/*
 * Is @name in ABAC_VERIFIER_LOG (names separated by commas)?  Those
 * programs get the verifier's whole log (level 2: every instruction it
 * walks, the function it validates), written to
 * /tmp/abac-verifier-NAME.log: where in the source its time goes.
 * Diagnosis only; a log that size costs the guest memory and time.
 */
static bool vstats_full(const char *name)
{
	const char *want = getenv("ABAC_VERIFIER_LOG");
	size_t len = strlen(name);
	const char *p;

	for (p = want; p && *p; p += strcspn(p, ",")) {
		p += strspn(p, ",");
		if (!strncmp(p, name, len) && (p[len] == ',' || !p[len]))
			return true;
	}
	return false;
}

/*
 * Write @log to /tmp/abac-verifier-@name.log.  The agent runs as root and
 * /tmp is anyone's: a file or link already at that name is never written
 * through (O_EXCL, O_NOFOLLOW); that is said, and nothing is written.
 */
static void vstats_write_full(const char *name, const char *log)
{
	size_t len = strlen(log), done = 0;
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/tmp/abac-verifier-%s.log", name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0) {
		fprintf(stderr, "abacd: verifier: %s: %s (remove it first)\n",
			path, strerror(errno));
		return;
	}
	while (done < len) {
		n = write(fd, log + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += n;
	}
	close(fd);
}

/**
 * abac_vstats_arm() - ask the verifier for statistics on @obj's programs.
 * @obj: a BPF object opened and not yet loaded.
 *
 * Return: what abac_vstats_report() needs, or NULL when
 * ABAC_VERIFIER_STATS is not set (or there is no memory: no statistics).
 */
struct abac_vstats *abac_vstats_arm(struct bpf_object *obj)
{
	const char *want = getenv("ABAC_VERIFIER_STATS");
	struct bpf_program *prog;
	struct abac_vstats *vs;
	size_t n = 0;

	if (!want || strcmp(want, "1"))
		return NULL;
	bpf_object__for_each_program(prog, obj)
		n++;
	vs = calloc(1, sizeof(*vs) + n * sizeof(vs->logs[0]));
	if (!vs)
		return NULL;
	bpf_object__for_each_program(prog, obj) {
		bool full = vstats_full(bpf_program__name(prog));
		size_t size = full ? VSTATS_FULL_SIZE : VSTATS_LOG_SIZE;
		char *log = calloc(1, size);

		if (!log)
			break;
		vs->logs[vs->n++] = log;
		bpf_program__set_log_buf(prog, log, size);
		bpf_program__set_log_level(prog, full ? 2 | 4 : 4);
	}
	return vs;
}

static unsigned long vstats_field(const char *log, const char *name)
{
	const char *p = strstr(log, name);

	return p ? strtoul(p + strlen(name), NULL, 10) : 0;
}

/**
 * abac_vstats_report() - print what the verifier said of each loaded
 *	program of @obj and free @vs.
 * @vs: from abac_vstats_arm(); NULL does nothing.
 * @obj: the same object, after loading.
 */
void abac_vstats_report(struct abac_vstats *vs, struct bpf_object *obj)
{
	struct bpf_program *prog;
	size_t i = 0;

	if (!vs)
		return;
	bpf_object__for_each_program(prog, obj) {
		const char *log = i < vs->n ? vs->logs[i] : NULL;

		i++;
		if (!log || !strstr(log, "verification time"))
			continue;	/* not loaded */
		fprintf(stderr,
			"abacd: verifier: %s: %lu usec, %lu insns, %lu states, %lu peak\n",
			bpf_program__name(prog),
			vstats_field(log, "verification time "),
			vstats_field(log, "processed "),
			vstats_field(log, "total_states "),
			vstats_field(log, "peak_states "));
		if (vstats_full(bpf_program__name(prog)))
			vstats_write_full(bpf_program__name(prog), log);
	}
	for (i = 0; i < vs->n; i++)
		free(vs->logs[i]);
	free(vs);
}
