// SPDX-License-Identifier: GPL-2.0-only
/*
 * Who is on the other end of the control socket, now.  A client untagged
 * when it connected may be in a tagged cgroup since (it moved itself
 * while still untagged, or the operator tagged its cgroup): each request
 * is authorised by the peer's present cgroup, as the guard authorises
 * each message in the kernel (bpf/guard_agent.h).  A tagged peer may
 * talk to the agent only when a rule allows its subject "administer",
 * decided by the decision core on the image in force, exactly as the
 * guard decides it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abacd.h"

/* The peer's cgroup v2 path, under the cgroup2 mount, into @buf. */
static int peer_cgroup(const struct abacd *d, pid_t pid, char *buf, size_t sz)
{
	char proc[64], *line = NULL;
	size_t n = 0;
	int err = -ENOENT;
	FILE *f;

	snprintf(proc, sizeof(proc), "/proc/%d/cgroup", (int)pid);
	f = fopen(proc, "re");
	if (!f)
		return -errno;
	while (getline(&line, &n, f) > 0) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (snprintf(buf, sz, "%s%s", d->cg_root,
			     strcmp(line + 3, "/") ? line + 3 : "") >= (int)sz)
			err = -ENAMETOOLONG;
		else
			err = 0;
		break;
	}
	free(line);
	fclose(f);
	return err;
}

/* The tagged cgroup nearest above @path (itself included), or 0. */
static __u64 nearest_tagged(const struct abacd *d, char *path)
{
	size_t root = strlen(d->cg_root);
	char *slash;
	__u64 id;

	for (;;) {
		if (!cg_stat(path, &id) && subject_by_id(d, id))
			return id;
		slash = strrchr(path, '/');
		if (!slash || (size_t)(slash - path) < root)
			return 0;
		*slash = '\0';
	}
}

/**
 * peer_may_administer() - may the process @pid use the agent now?
 * @d: the agent.
 * @pid: the peer's pid (SO_PEERCRED at connect).
 * @why: receives why not.
 * @sz: its size.
 *
 * Return: true when the peer is untagged, or tagged and a rule allows its
 * subject "administer"; false (with @why) otherwise, and when its cgroup
 * cannot be found (the peer is gone): closed.
 */
bool peer_may_administer(const struct abacd *d, pid_t pid, char *why,
			 size_t sz)
{
	struct abac_request rq = { 0 };
	struct abac_attrs none = { 0 };
	struct abac_decision dec;
	struct abac_image img;
	char path[PATH_MAX];
	__u64 id;
	int err;

	if (!d->cur.buf)
		return true;	/* no policy: nobody is tagged */
	err = peer_cgroup(d, pid, path, sizeof(path));
	if (err) {
		snprintf(why, sz, "cannot tell the cgroup of pid %d: %s",
			 (int)pid, strerror(-err));
		return false;
	}
	id = nearest_tagged(d, path);
	if (!id)
		return true;
	img = abac_image_view(d->cur.buf, d->cur.len);
	rq.s = abac_subject_find(&img, id);
	rq.o = &none;
	if (rq.s) {
		abac_decide(&img, ABAC_OP_ADMINISTER, &rq, &dec);
		if (dec.effect == ABAC_ALLOW && dec.reason == ABAC_REASON_RULE)
			return true;
	}
	snprintf(why, sz, "refused: pid %d is now in a tagged cgroup; only a subject a policy rule allows 'administer' may use abacd",
		 (int)pid);
	return false;
}
