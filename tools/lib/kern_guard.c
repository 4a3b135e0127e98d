// SPDX-License-Identifier: GPL-2.0-only
/*
 * What user space tells the tamper guard (bpf/guard.bpf.c) through its
 * pinned maps: which process is the agent, which inodes are protected,
 * which character devices are raw.  The agent replaces a set by adding
 * the new entries first and removing the stale ones after, so that no
 * entry it keeps is ever missing from the map, not even for an instant.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "kern.h"

/**
 * abac_kern_guard_agent() - tell the guard which process is the agent.
 * @k: open handles.
 * @tgid: the agent's pid.
 *
 * Return: 0 or a negative errno.
 */
int abac_kern_guard_agent(struct abac_kern *k, __u32 tgid)
{
	struct abac_guard_cfg cfg = { .agent_tgid = tgid };
	__u32 zero = 0;

	if (bpf_map_update_elem(k->guard_cfg_fd, &zero, &cfg, BPF_ANY))
		return -errno;
	return 0;
}

/**
 * abac_kern_guard_inode() - protect an inode from tagged subjects.
 * @k: open handles.
 * @ino: its inode number.
 * @dev: its device, kernel encoding (MAJOR << 20 | MINOR).
 * @kind: enum abac_guard_inode.
 *
 * Return: 0 or a negative errno (-E2BIG: the map is full).
 */
int abac_kern_guard_inode(struct abac_kern *k, __u64 ino, __u32 dev,
			  __u32 kind)
{
	struct abac_guard_key key = { .ino = ino, .dev = dev };

	if (bpf_map_update_elem(k->guard_inodes_fd, &key, &kind, BPF_ANY))
		return -errno;
	return 0;
}

/* The kinds @ent gives the inode of @ent[i], or'ed over its entries. */
static __u32 kinds_of(const struct abac_guard_ent *ent, size_t n, size_t i)
{
	__u32 kind = 0;
	size_t j;

	for (j = 0; j < n; j++)
		if (ent[j].ino == ent[i].ino && ent[j].dev == ent[i].dev)
			kind |= ent[j].kind;
	return kind;
}

static bool key_in(const struct abac_guard_key *key,
		   const struct abac_guard_ent *ent, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ent[i].ino == key->ino && ent[i].dev == key->dev)
			return true;
	return false;
}

/* Remove the map's entries for inodes not in @ent. */
static int guard_prune(struct abac_kern *k, const struct abac_guard_ent *ent,
		       size_t n)
{
	struct abac_guard_key key, *stale = NULL, *grown;
	size_t nstale = 0, i;
	void *prev = NULL;
	int err = 0;

	while (!bpf_map_get_next_key(k->guard_inodes_fd, prev, &key)) {
		if (!key_in(&key, ent, n)) {
			grown = realloc(stale, (nstale + 1) * sizeof(*stale));
			if (!grown) {
				err = -ENOMEM;
				break;
			}
			stale = grown;
			stale[nstale++] = key;
		}
		prev = &key;
	}
	for (i = 0; i < nstale && !err; i++)
		if (bpf_map_delete_elem(k->guard_inodes_fd, &stale[i]) &&
		    errno != ENOENT)
			err = -errno;
	free(stale);
	return err;
}

/**
 * abac_kern_guard_set() - the inodes the guard protects: exactly @ent
 *	from now on.
 * @k: open handles.
 * @ent: the inodes and their kinds; an inode listed twice gets the kinds
 *	of both.
 * @n: entries in @ent.
 *
 * Every entry is entered before a stale one is removed, so an inode
 * protected before and after is protected throughout.
 *
 * Return: 0 or a negative errno (-E2BIG: the map is full; the inodes
 * entered stay protected and none is removed).
 */
int abac_kern_guard_set(struct abac_kern *k, const struct abac_guard_ent *ent,
			size_t n)
{
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		err = abac_kern_guard_inode(k, ent[i].ino, ent[i].dev,
					    kinds_of(ent, n, i));
		if (err)
			return err;
	}
	return guard_prune(k, ent, n);
}

/**
 * abac_kern_guard_devs() - the dynamic character device majors the guard
 *	treats as raw devices: exactly @majors from now on.
 * @k: open handles.
 * @majors: the majors.
 * @n: how many.
 *
 * Return: 0 or a negative errno (-E2BIG: more than the map holds).
 */
int abac_kern_guard_devs(struct abac_kern *k, const __u32 *majors, size_t n)
{
	__u32 key, one = 1, stale[64];
	size_t i, nstale = 0;
	void *prev = NULL;
	int err = 0;

	for (i = 0; i < n && !err; i++)
		if (bpf_map_update_elem(k->guard_devs_fd, &majors[i], &one,
					BPF_ANY))
			err = -errno;
	while (!err && !bpf_map_get_next_key(k->guard_devs_fd, prev, &key)) {
		for (i = 0; i < n && majors[i] != key; i++)
			;
		if (i == n && nstale < sizeof(stale) / sizeof(stale[0]))
			stale[nstale++] = key;
		prev = &key;
	}
	for (i = 0; i < nstale && !err; i++)
		if (bpf_map_delete_elem(k->guard_devs_fd, &stale[i]) &&
		    errno != ENOENT)
			err = -errno;
	return err;
}
