// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac's programs as the bench drives them.  They are loaded the way the
 * agent loads them (abac_kern_open(): the one skeleton, attached and
 * pinned) under a pin directory of the bench's own; the bench then takes
 * every pinned link ("link_<program>", whatever hooks the build has), keeps
 * its program, and drops the pin so that closing the link detaches the
 * program and a new link attaches it again.  Configurations switch in a
 * few system calls, without loading or verifying anything again.
 *
 * The tamper guard's links ("link_guard_*") are closed at once: the bench
 * moves itself between cgroups and calls bpf() while tagged, which the
 * guard refuses to any tagged process.  The bench measures the decision
 * hooks only; the guard's own cost is not measured.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "bench.h"

#define GUARD_LINK_PREFIX	"link_guard_"

/* Detach the guard program of pinned link @name: drop the pin. */
static int drop_guard_link(const char *name)
{
	char path[sizeof(BENCH_PIN_DIR) + 256];

	snprintf(path, sizeof(path), "%s/%s", BENCH_PIN_DIR, name);
	return unlink(path) ? -errno : 0;
}

/* Keep the program of pinned link @name and drop the pin. */
static int take_link(struct bench_hooks *h, const char *name)
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);
	struct bench_prog *p;
	char path[256];
	int fd;

	if (h->nprogs >= BENCH_MAX_PROGS)
		return -E2BIG;
	snprintf(path, sizeof(path), "%s/%s", BENCH_PIN_DIR, name);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		close(fd);
		return -errno;
	}
	p = &h->progs[h->nprogs];
	p->prog_fd = bpf_prog_get_fd_by_id(info.prog_id);
	if (p->prog_fd < 0) {
		close(fd);
		return -errno;
	}
	snprintf(p->name, sizeof(p->name), "%s", name + strlen("link_"));
	p->link_fd = fd;
	h->nprogs++;
	return unlink(path) ? -errno : 0;
}

/**
 * bench_hooks_open() - load and attach abac's programs, then hold them.
 * @h: filled.
 *
 * Return: 0 with every program attached, or a negative errno.
 */
int bench_hooks_open(struct bench_hooks *h)
{
	struct dirent *de;
	DIR *dir;
	int err;

	memset(h, 0, sizeof(*h));
	err = abac_kern_open(&h->kern, BENCH_PIN_DIR, true);
	if (err)
		return err;
	dir = opendir(BENCH_PIN_DIR);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, "link_", 5))
			continue;
		if (!strncmp(de->d_name, GUARD_LINK_PREFIX,
			     strlen(GUARD_LINK_PREFIX)))
			err = drop_guard_link(de->d_name);
		else
			err = take_link(h, de->d_name);
		if (err)
			break;
	}
	closedir(dir);
	if (!err && !h->nprogs)
		err = -ENOENT;
	return err;
}

/**
 * bench_hooks_close() - detach, release, and remove the bench's pins.
 * @h: as bench_hooks_open() left it.
 */
void bench_hooks_close(struct bench_hooks *h)
{
	int i;

	bench_hooks_detach(h);
	for (i = 0; i < h->nprogs; i++)
		close(h->progs[i].prog_fd);
	h->nprogs = 0;
	abac_kern_close(&h->kern);
	abac_kern_unload(BENCH_PIN_DIR);
	rmdir(BENCH_PIN_DIR);
}

/**
 * bench_hooks_attach() - attach every program that is not attached.
 * @h: the programs.
 *
 * Return: 0, or the negative errno of the first attach that failed.
 */
int bench_hooks_attach(struct bench_hooks *h)
{
	struct bench_prog *p;
	int i;

	for (i = 0; i < h->nprogs; i++) {
		p = &h->progs[i];
		if (p->link_fd >= 0)
			continue;
		p->link_fd = bpf_link_create(p->prog_fd, 0, BPF_LSM_MAC, NULL);
		if (p->link_fd < 0)
			return -errno;
	}
	return 0;
}

/**
 * bench_hooks_detach() - detach every program: closing the last reference
 * to a link detaches its program before close() returns.
 * @h: the programs.
 */
void bench_hooks_detach(struct bench_hooks *h)
{
	int i;

	for (i = 0; i < h->nprogs; i++) {
		if (h->progs[i].link_fd >= 0)
			close(h->progs[i].link_fd);
		h->progs[i].link_fd = -1;
	}
}

/**
 * bench_prog_stats() - a program's run count and total run time.
 * @h: the programs.
 * @i: which one.
 * @cnt: receives run_cnt.
 * @ns: receives run_time_ns.
 *
 * Both only grow while kernel.bpf_stats_enabled is on.
 *
 * Return: 0 or a negative errno.
 */
int bench_prog_stats(const struct bench_hooks *h, int i, __u64 *cnt,
		     __u64 *ns)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(h->progs[i].prog_fd, &info, &len))
		return -errno;
	*cnt = info.run_cnt;
	*ns = info.run_time_ns;
	return 0;
}
