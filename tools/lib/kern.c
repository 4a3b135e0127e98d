// SPDX-License-Identifier: GPL-2.0-only
/*
 * Load, attach and pin abac's BPF-LSM programs, or reopen them when an
 * earlier agent left them pinned; swap images in and read them back.
 *
 * Enforcement must not lapse when the agent dies, so every program is
 * attached through a link pinned under ABAC_PIN_DIR and every map is
 * pinned beside it.  A restarted agent reopens the pins and never detaches.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <bpf/btf.h>

#include "kern.h"
#include "bpf/abac.skel.h"

#ifndef ENOTSUPP
#define ENOTSUPP 524	/* the kernel's own, not in user-space errno.h */
#endif

/* Links to pin, one per program, named link_<program>. */
#define FOREACH_PROG(skel, X)			\
	X(skel, hook_file_open)			\
	X(skel, hook_file_permission)		\
	X(skel, hook_bprm_check)		\
	X(skel, hook_inode_create)		\
	X(skel, hook_inode_mkdir)		\
	X(skel, hook_inode_mknod)		\
	X(skel, hook_inode_symlink)		\
	X(skel, hook_inode_link)		\
	X(skel, hook_inode_unlink)		\
	X(skel, hook_inode_rmdir)		\
	X(skel, hook_inode_rename)		\
	X(skel, hook_inode_setxattr)		\
	X(skel, hook_inode_post_setxattr)	\
	X(skel, hook_inode_removexattr)		\
	X(skel, hook_inode_post_removexattr)

#define OP(o)	(1U << ABAC_OP_##o)

/*
 * Every program: the LSM hook it attaches to and the operations that are
 * not (fully) enforced without it.  abac_kern_hooks() reports them and
 * "abac policy apply" refuses a policy naming an operation whose hooks
 * are not all attached.
 */
const struct abac_hook abac_hooks[] = {
	{ "hook_file_open", "file_open", OP(READ) | OP(WRITE) },
	{ "hook_file_permission", "file_permission", OP(READ) | OP(WRITE) },
	{ "hook_bprm_check", "bprm_check_security", OP(EXEC) },
	{ "hook_inode_create", "inode_create", OP(CREATE) },
	{ "hook_inode_mkdir", "inode_mkdir", OP(CREATE) },
	{ "hook_inode_mknod", "inode_mknod", OP(CREATE) },
	{ "hook_inode_symlink", "inode_symlink", OP(CREATE) },
	{ "hook_inode_link", "inode_link", OP(CREATE) },
	{ "hook_inode_unlink", "inode_unlink", OP(DELETE) },
	{ "hook_inode_rmdir", "inode_rmdir", OP(DELETE) },
	{ "hook_inode_rename", "inode_rename", OP(CREATE) | OP(DELETE) },
	{ "hook_inode_setxattr", "inode_setxattr", OP(RELABEL) },
	/* the label cache follows labels through these two */
	{ "hook_inode_post_setxattr", "inode_post_setxattr",
	  OP(READ) | OP(WRITE) | OP(RELABEL) },
	{ "hook_inode_removexattr", "inode_removexattr", OP(RELABEL) },
	{ "hook_inode_post_removexattr", "inode_post_removexattr",
	  OP(READ) | OP(WRITE) | OP(RELABEL) },
	{ NULL, NULL, 0 }
};

/*
 * Operations decided by hooks abac has no program for yet (network ops:
 * another part of abac); abac_kern_missing_ops() reports them too.
 */
#define OPS_WITHOUT_PROGRAM	(OP(CONNECT) | OP(BIND) | OP(LISTEN))

static const char *const pinned_maps[] = { "policy", "events", "counters" };

static void pin_path(char *buf, size_t sz, const char *dir, const char *name)
{
	snprintf(buf, sz, "%s/%s", dir, name);
}

/**
 * abac_kern_attached() - are abac's programs pinned (and so attached)?
 * @pin_dir: the pin directory.
 *
 * Return: true when the first program's link pin exists.
 */
bool abac_kern_attached(const char *pin_dir)
{
	char p[256];

	pin_path(p, sizeof(p), pin_dir, "link_hook_file_open");
	return access(p, F_OK) == 0;
}

static int reopen(struct abac_kern *k)
{
	int *fds[] = { &k->policy_fd, &k->events_fd, &k->counters_fd };
	char p[256];
	size_t i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		pin_path(p, sizeof(p), k->pin_dir, pinned_maps[i]);
		*fds[i] = bpf_obj_get(p);
		if (*fds[i] < 0)
			return -errno;
	}
	return 0;
}

static int pin_all(struct abac_kern *k, struct abac_bpf *skel)
{
	struct bpf_map *maps[] = { skel->maps.abac_policy,
				   skel->maps.abac_events,
				   skel->maps.abac_counters };
	char p[256];
	size_t i;
	int err;

	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		pin_path(p, sizeof(p), k->pin_dir, pinned_maps[i]);
		err = bpf_map__pin(maps[i], p);
		if (err)
			return err;
	}
#define PIN_LINK(s, prog)						\
	do {								\
		pin_path(p, sizeof(p), k->pin_dir, "link_" #prog);	\
		err = (s)->links.prog ?					\
		      bpf_link__pin((s)->links.prog, p) : 0;		\
		if (err)						\
			return err;					\
	} while (0);
	FOREACH_PROG(skel, PIN_LINK)
#undef PIN_LINK
	return 0;
}

/*
 * Leave out the programs whose hook this kernel does not have (no
 * bpf_lsm_<hook> in its BTF): the others still load, and status says
 * which hooks are missing.
 */
static void skip_missing_hooks(struct abac_bpf *skel)
{
	struct bpf_program *prog;
	struct btf *vmlinux;
	const char *sec, *hook;
	char fn[128];

	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux)
		return;	/* then loading says what is wrong */
	bpf_object__for_each_program(prog, skel->obj) {
		sec = bpf_program__section_name(prog);
		hook = strchr(sec, '/');
		if (!hook)
			continue;
		snprintf(fn, sizeof(fn), "bpf_lsm_%s", hook + 1);
		if (btf__find_by_name_kind(vmlinux, fn, BTF_KIND_FUNC) < 0)
			bpf_program__set_autoload(prog, false);
	}
	btf__free(vmlinux);
}

static int attach_loaded(struct abac_bpf *skel)
{
#define ATTACH(s, prog)							\
	do {								\
		if (bpf_program__autoload((s)->progs.prog)) {		\
			(s)->links.prog =				\
				bpf_program__attach((s)->progs.prog);	\
			if (!(s)->links.prog)				\
				return -errno;				\
		}							\
	} while (0);
	FOREACH_PROG(skel, ATTACH)
#undef ATTACH
	return 0;
}

static int load_attach_pin(struct abac_kern *k)
{
	struct abac_bpf *skel;
	int err;

	if (mkdir(k->pin_dir, 0700) && errno != EEXIST)
		return -errno;
	abac_kern_unload(k->pin_dir);	/* stale pins of a half setup */
	skel = abac_bpf__open();
	if (!skel)
		return -errno ? -errno : -EINVAL;
	skip_missing_hooks(skel);
	err = abac_bpf__load(skel);
	if (err)
		goto out_destroy;
	err = attach_loaded(skel);
	if (err)
		goto out_destroy;
	err = pin_all(k, skel);
	if (err) {
		abac_kern_unload(k->pin_dir);
		goto out_destroy;
	}
	/* The pins hold the programs and maps; reopen them like a restart. */
	abac_bpf__destroy(skel);
	return reopen(k);
out_destroy:
	abac_bpf__destroy(skel);
	return err;
}

/**
 * abac_kern_open() - reach abac's kernel objects.
 * @k: filled with map handles.
 * @pin_dir: the pin directory, normally ABAC_PIN_DIR.
 * @load: load and attach the programs when they are not pinned yet.
 *
 * Return: 0, or a negative errno (-ENOENT when not loaded and !@load).
 */
int abac_kern_open(struct abac_kern *k, const char *pin_dir, bool load)
{
	int err;

	memset(k, 0, sizeof(*k));
	k->policy_fd = k->events_fd = k->counters_fd = -1;
	snprintf(k->pin_dir, sizeof(k->pin_dir), "%s", pin_dir);
	if (abac_kern_attached(pin_dir)) {
		k->reused = true;
		err = reopen(k);
	} else if (load) {
		err = load_attach_pin(k);
	} else {
		err = -ENOENT;
	}
	if (err)
		abac_kern_close(k);
	return err;
}

void abac_kern_close(struct abac_kern *k)
{
	if (k->policy_fd >= 0)
		close(k->policy_fd);
	if (k->events_fd >= 0)
		close(k->events_fd);
	if (k->counters_fd >= 0)
		close(k->counters_fd);
	k->policy_fd = k->events_fd = k->counters_fd = -1;
}

/**
 * abac_kern_set_image() - put a new image in force.
 * @k: open handles.
 * @img: a checked image.
 * @len: its bytes (at most ABAC_IMAGE_BYTES).
 *
 * The image goes into a new inner map, frozen against later writes; one
 * update of the policy map then swaps it in.  Decisions under way finish
 * on the image they started with.
 *
 * Return: 0, or a negative errno; on error the old image stays in force.
 */
int abac_kern_set_image(struct abac_kern *k, const void *img, size_t len)
{
	__u32 zero = 0;
	void *value;
	int inner, err;

	if (len > ABAC_IMAGE_BYTES)
		return -E2BIG;
	value = calloc(1, ABAC_IMAGE_BYTES);
	if (!value)
		return -ENOMEM;
	memcpy(value, img, len);
	inner = bpf_map_create(BPF_MAP_TYPE_ARRAY, "abac_image", sizeof(__u32),
			       ABAC_IMAGE_BYTES, 1, NULL);
	if (inner < 0) {
		err = -errno;
		goto out_free;
	}
	if (bpf_map_update_elem(inner, &zero, value, BPF_ANY) ||
	    bpf_map_freeze(inner) ||
	    bpf_map_update_elem(k->policy_fd, &zero, &inner, BPF_ANY))
		err = -errno;
	else
		err = 0;
	close(inner);
out_free:
	free(value);
	return err;
}

/**
 * abac_kern_get_image() - read back the image in force.
 * @k: open handles.
 * @img: receives a malloc()ed copy, trimmed to its total_records.
 * @len: receives its length.
 *
 * Return: 0, -ENOENT when no image is loaded, or a negative errno.
 */
int abac_kern_get_image(struct abac_kern *k, void **img, size_t *len)
{
	const struct abac_image_hdr *hdr;
	__u32 zero = 0, id;
	size_t n;
	void *value;
	int inner, err;

	if (bpf_map_lookup_elem(k->policy_fd, &zero, &id))
		return errno == ENOENT ? -ENOENT : -errno;
	inner = bpf_map_get_fd_by_id(id);
	if (inner < 0)
		return -errno;
	value = malloc(ABAC_IMAGE_BYTES);
	err = value ? 0 : -ENOMEM;
	if (!err && bpf_map_lookup_elem(inner, &zero, value))
		err = -errno;
	close(inner);
	if (err) {
		free(value);
		return err;
	}
	hdr = value;
	n = (size_t)hdr->total_records * ABAC_REC_SIZE;
	if (n < sizeof(*hdr) || n > ABAC_IMAGE_BYTES) {
		free(value);
		return -EBADMSG;
	}
	*img = value;
	*len = n;
	return 0;
}

/**
 * abac_kern_counters() - sum the per-CPU counters.
 * @k: open handles.
 * @sum: receives the totals.
 *
 * Return: 0 or a negative errno.
 */
int abac_kern_counters(struct abac_kern *k, struct abac_counters *sum)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	struct abac_counters *per;
	__u32 zero = 0;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	per = calloc(ncpu, sizeof(*per));
	if (!per)
		return -ENOMEM;
	if (bpf_map_lookup_elem(k->counters_fd, &zero, per)) {
		free(per);
		return -errno;
	}
	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < ncpu; i++) {
		sum->decisions += per[i].decisions;
		sum->denied += per[i].denied;
		sum->audited += per[i].audited;
		sum->events_lost += per[i].events_lost;
		sum->bad_labels += per[i].bad_labels;
	}
	free(per);
	return 0;
}

/**
 * abac_kern_unload() - detach abac: remove every pin.
 * @pin_dir: the pin directory.
 *
 * The programs detach when the last link reference goes away.
 *
 * Return: 0, or the first negative errno other than -ENOENT.
 */
int abac_kern_unload(const char *pin_dir)
{
	char p[256], name[128];
	size_t i;
	int err = 0;

	for (i = 0; abac_hooks[i].prog; i++) {
		snprintf(name, sizeof(name), "link_%s", abac_hooks[i].prog);
		pin_path(p, sizeof(p), pin_dir, name);
		if (unlink(p) && errno != ENOENT && !err)
			err = -errno;
	}
	for (i = 0; i < sizeof(pinned_maps) / sizeof(pinned_maps[0]); i++) {
		pin_path(p, sizeof(p), pin_dir, pinned_maps[i]);
		if (unlink(p) && errno != ENOENT && !err)
			err = -errno;
	}
	return err;
}

/**
 * abac_kern_hook_attached() - is the program of abac_hooks[@i] attached?
 * @pin_dir: the pin directory.
 * @i: an index into abac_hooks.
 *
 * Return: true when its link is pinned.
 */
bool abac_kern_hook_attached(const char *pin_dir, unsigned int i)
{
	char p[256], name[128];

	snprintf(name, sizeof(name), "link_%s", abac_hooks[i].prog);
	pin_path(p, sizeof(p), pin_dir, name);
	return access(p, F_OK) == 0;
}

/**
 * abac_kern_missing_ops() - operations this kernel does not enforce fully.
 * @pin_dir: the pin directory.
 *
 * Return: a mask of (1 << enum abac_op): the operations one of whose
 * hooks is not attached, or that no abac program decides yet.
 */
__u32 abac_kern_missing_ops(const char *pin_dir)
{
	__u32 missing = OPS_WITHOUT_PROGRAM;
	unsigned int i;

	for (i = 0; abac_hooks[i].prog; i++) {
		if (!abac_kern_hook_attached(pin_dir, i))
			missing |= abac_hooks[i].ops;
	}
	return missing;
}

/**
 * abac_kern_hint() - a hint for an error from the kernel side.
 * @err: a negative errno.
 *
 * Return: a sentence, or "" when there is nothing to add.
 */
const char *abac_kern_hint(int err)
{
	switch (-err) {
	case EPERM:
		return "abac needs root (CAP_BPF, CAP_SYS_ADMIN) and a kernel booted with bpf in lsm= (see /sys/kernel/security/lsm)";
	case ENOENT:
		return "abac is not loaded: start abacd";
	case EINVAL:
	case ENOTSUPP:
		return "this kernel lacks a feature abac needs (BPF-LSM, sleepable programs, bpf_get_file_xattr: kernel 6.12 or later)";
	}
	return "";
}
