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

#include <dirent.h>
#include <bpf/btf.h>

#include "kern.h"
#include "libabac.h"
#include "vstats.h"
#include "bpf/abac.skel.h"
#include "bpf/guard.skel.h"

#ifndef ENOTSUPP
#define ENOTSUPP 524	/* the kernel's own, not in user-space errno.h */
#endif

/*
 * Two BPF objects: abac.bpf.c (the decisions) and guard.bpf.c (the tamper
 * guard).  The guard shares the decision object's maps named in
 * pinned_maps (abac_<name> in maps.h).  Every program is attached through
 * a link pinned as link_<program>; the maps are pinned by these names.
 */
static const char *const pinned_maps[] = { "policy", "active", "events",
					    "counters", "env", "subj_cache",
					    "dirs" };
static const char *const guard_maps[] = { "guard_inodes", "guard_cfg",
					   "guard_devs" };
/*
 * The decision object's own maps: denial folding and loss (bpf/fold.h),
 * abac_fold pinned too (the kernel runs the timers of a map only while
 * user space or bpffs holds it), and the decisions per rule.
 */
static const char *const event_maps[] = { "fold_cfg", "lost", "fold",
					   "rule_hits" };
/*
 * A frozen array of one __u64 user space pins beside the programs: the
 * build they came from (build_id()).  Pins without it are an older
 * abac's.
 */
#define BUILD_PIN		"build"
#define STATE_PIN		"state"
#define STATE_PIN_NEW		"state_new"	/* bpffs refuses dots */
#define OLD_SUFFIX		"_old"	/* bpffs refuses dots in names */
#define LINK_PREFIX		"link_"
#define FIRST_LINK		LINK_PREFIX "hook_file_open"
#define FIRST_GUARD_LINK	LINK_PREFIX "guard_bpf"
#define ARRAY_LEN(a)		(sizeof(a) / sizeof((a)[0]))

/* The fds of the maps in pinned_maps, in its order. */
#define KERN_SHARED_FDS(k)	{ &(k)->policy_fd, &(k)->active_fd,	\
				  &(k)->events_fd, &(k)->counters_fd,	\
				  &(k)->env_fd, &(k)->subj_cache_fd,	\
				  &(k)->dirs_fd }
/* The same maps in a skeleton of either object. */
#define SKEL_SHARED_MAPS(skel)	{ (skel)->maps.abac_policy,		\
				  (skel)->maps.abac_active,		\
				  (skel)->maps.abac_events,		\
				  (skel)->maps.abac_counters,		\
				  (skel)->maps.abac_env,		\
				  (skel)->maps.abac_subj_cache,		\
				  (skel)->maps.abac_dirs }

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
	X(skel, hook_inode_post_removexattr)	\
	X(skel, hook_socket_connect)		\
	X(skel, hook_socket_bind)		\
	X(skel, hook_socket_listen)		\
	X(skel, hook_unix_stream_connect)	\
	X(skel, hook_unix_may_send)		\
	X(skel, hook_inode_setattr)		\
	X(skel, hook_file_truncate)		\
	X(skel, hook_inode_set_acl)		\
	X(skel, hook_inode_remove_acl)		\
	X(skel, hook_mmap_file)			\
	X(skel, hook_file_mprotect)		\
	X(skel, hook_bprm_committed_creds)	\
	X(skel, hook_task_alloc)		\
	X(skel, hook_ptrace_access_check)	\
	X(skel, hook_inode_getattr)		\
	X(skel, hook_socket_sendmsg)		\
	X(skel, hook_sctp_bind_connect)		\
	X(skel, hook_sctp_sendmsg)

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
	{ "hook_inode_mknod", "inode_mknod", OP(CREATE) | OP(BIND) },
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
	{ "hook_socket_connect", "socket_connect", OP(CONNECT) },
	{ "hook_socket_bind", "socket_bind", OP(BIND) },
	{ "hook_socket_listen", "socket_listen", OP(LISTEN) },
	{ "hook_unix_stream_connect", "unix_stream_connect", OP(CONNECT) },
	{ "hook_unix_may_send", "unix_may_send", OP(CONNECT) },
	{ "hook_inode_setattr", "inode_setattr", OP(WRITE) },
	/* names the file's path in events; inode_setattr decides too */
	{ "hook_file_truncate", "file_truncate", 0 },
	{ "hook_inode_set_acl", "inode_set_acl", OP(WRITE) },
	{ "hook_inode_remove_acl", "inode_remove_acl", OP(WRITE) },
	{ "hook_mmap_file", "mmap_file", OP(READ) | OP(WRITE) | OP(EXEC) },
	{ "hook_file_mprotect", "file_mprotect", OP(EXEC) },
	/* an exec-only program's process: marked, not traced */
	{ "hook_bprm_committed_creds", "bprm_committed_creds", OP(READ) },
	{ "hook_task_alloc", "task_alloc", OP(READ) },
	{ "hook_ptrace_access_check", "ptrace_access_check", OP(READ) },
	/* a write through overlayfs: its copy-up is overlayfs' own work */
	{ "hook_inode_getattr", "inode_getattr", OP(WRITE) },
	{ "hook_socket_sendmsg", "socket_sendmsg", OP(CONNECT) },
	/* sctp_bindx, sctp_connectx, a send that creates an association */
	{ "hook_sctp_bind_connect", "sctp_bind_connect",
	  OP(CONNECT) | OP(BIND) },
	/*
	 * the further destinations of an SCTP send (SCTP_DSTADDRV4/V6): a
	 * second program on socket_sendmsg, named apart (status keys)
	 */
	{ "hook_sctp_sendmsg", "socket_sendmsg:sctp", OP(CONNECT) },
	{ NULL, NULL, 0 }
};


/*
 * The sizes of the tables a fresh load creates (abac_kern_set_sizes());
 * 0: the size bpf/maps.h and bpf/guard_maps.h give.
 */
static __u32 want_labelled_dirs, want_guard_inodes;

/**
 * abac_kern_set_sizes() - size the tables the next fresh load creates.
 * @labelled_dirs: entries of abac_dirs (0: the default).
 * @guard_inodes: entries of abac_guard_inodes (0: the default).
 *
 * Pinned programs keep the tables they were loaded with:
 * abac_kern_table_size() says how big they are.
 */
void abac_kern_set_sizes(__u32 labelled_dirs, __u32 guard_inodes)
{
	want_labelled_dirs = labelled_dirs;
	want_guard_inodes = guard_inodes;
}

/**
 * abac_kern_table_size() - the entries a table holds at most.
 * @fd: the map.
 *
 * Return: its max_entries, or 0 when it cannot be read.
 */
__u32 abac_kern_table_size(int fd)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
		return 0;
	return info.max_entries;
}

static int remove_pins(const char *pin_dir, bool state);
static int unpin_names(const char *pin_dir, const char *const *names,
		       size_t n);
static int unpin_prefixed(const char *pin_dir, const char *prefix);

static void pin_path(char *buf, size_t sz, const char *dir, const char *name)
{
	snprintf(buf, sz, "%s/%s", dir, name);
}

static bool pinned(const char *pin_dir, const char *name)
{
	char p[256];

	pin_path(p, sizeof(p), pin_dir, name);
	return access(p, F_OK) == 0;
}

/* FNV-1a (64 bits) of @n bytes at @p, from the state @h. */
static __u64 fnv1a(__u64 h, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/*
 * This build's programs: a hash of the two BPF objects compiled into it.
 * Any change to a program, a map or the shared ABI header changes it.
 */
static __u64 build_id(void)
{
	static __u64 id;
	const void *p;
	size_t n;

	if (id)
		return id;
	id = 0xcbf29ce484222325ULL;
	p = abac_bpf__elf_bytes(&n);
	id = fnv1a(id, p, n);
	p = guard_bpf__elf_bytes(&n);
	id = fnv1a(id, p, n);
	return id;
}

/* Pin build_id() as BUILD_PIN, frozen. */
static int pin_build(const char *pin_dir)
{
	__u64 id = build_id();
	__u32 zero = 0;
	char p[256];
	int fd, err = 0;

	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "abac_build", sizeof(__u32),
			    sizeof(__u64), 1, NULL);
	if (fd < 0)
		return -errno;
	pin_path(p, sizeof(p), pin_dir, BUILD_PIN);
	unlink(p);
	if (bpf_map_update_elem(fd, &zero, &id, BPF_ANY) ||
	    bpf_map_freeze(fd) || bpf_obj_pin(fd, p))
		err = -errno;
	close(fd);
	return err;
}

/* Are the programs pinned in @pin_dir this build's? */
static bool same_build(const char *pin_dir)
{
	__u64 id = 0;
	__u32 zero = 0;
	char p[256];
	int fd;

	pin_path(p, sizeof(p), pin_dir, BUILD_PIN);
	fd = bpf_obj_get(p);
	if (fd < 0)
		return false;
	if (bpf_map_lookup_elem(fd, &zero, &id))
		id = 0;
	close(fd);
	return id == build_id();
}

/**
 * abac_kern_old_dir() - where the pins of a build being replaced go.
 * @pin_dir: the pin directory.
 * @buf: receives @pin_dir with OLD_SUFFIX.
 * @sz: bytes at @buf.
 */
void abac_kern_old_dir(const char *pin_dir, char *buf, size_t sz)
{
	size_t n = strlen(pin_dir);

	while (n > 1 && pin_dir[n - 1] == '/')
		n--;		/* "/sys/fs/bpf/abac/" is /sys/fs/bpf/abac */
	snprintf(buf, sz, "%.*s" OLD_SUFFIX, (int)n, pin_dir);
}

/**
 * abac_kern_attached() - are abac's programs pinned (and so attached)?
 * @pin_dir: the pin directory.
 *
 * Return: true when the first program's link pin exists.
 */
bool abac_kern_attached(const char *pin_dir)
{
	return pinned(pin_dir, FIRST_LINK);
}

static int open_pins(const char *pin_dir, const char *const *names,
		     int *const *fds, size_t n)
{
	char p[256];
	size_t i;

	for (i = 0; i < n; i++) {
		pin_path(p, sizeof(p), pin_dir, names[i]);
		*fds[i] = bpf_obj_get(p);
		if (*fds[i] < 0)
			return -errno;
	}
	return 0;
}

static int reopen(struct abac_kern *k)
{
	int *fds[] = KERN_SHARED_FDS(k);
	int *gfds[] = { &k->guard_inodes_fd, &k->guard_cfg_fd,
			&k->guard_devs_fd };
	int *efds[] = { &k->fold_cfg_fd, &k->lost_fd, &k->fold_fd,
			&k->rule_hits_fd };
	int err;

	_Static_assert(ARRAY_LEN(gfds) == ARRAY_LEN(guard_maps),
		       "gfds follows guard_maps");
	_Static_assert(ARRAY_LEN(fds) == ARRAY_LEN(pinned_maps),
		       "KERN_SHARED_FDS follows pinned_maps");
	_Static_assert(ARRAY_LEN(efds) == ARRAY_LEN(event_maps),
		       "efds follows event_maps");

	err = open_pins(k->pin_dir, pinned_maps, fds, ARRAY_LEN(fds));
	if (!err)
		err = open_pins(k->pin_dir, guard_maps, gfds, ARRAY_LEN(gfds));
	if (!err)
		err = open_pins(k->pin_dir, event_maps, efds, ARRAY_LEN(efds));
	/*
	 * Programs pinned without a map this build pins: an older abac's
	 * (this one added "active", "subj_cache", "dirs", "guard_devs" and
	 * "rule_hits").
	 * Say so rather than
	 * "no such file": they must be unloaded first.
	 */
	return err == -ENOENT ? -ESTALE : err;
}

/* Pin every link of a skeleton as link_<program>. */
static int pin_links(const char *pin_dir, const struct bpf_object_skeleton *s)
{
	char p[256], name[128];
	int i, err;

	for (i = 0; i < s->prog_cnt; i++) {
		snprintf(name, sizeof(name), LINK_PREFIX "%s",
			 s->progs[i].name);
		pin_path(p, sizeof(p), pin_dir, name);
		if (!*s->progs[i].link)
			continue;	/* its hook is missing here: not loaded */
		err = bpf_link__pin(*s->progs[i].link, p);
		if (err)
			return err;
	}
	return 0;
}

static int pin_maps(const char *pin_dir, struct bpf_map *const *maps,
		    const char *const *names, size_t n)
{
	char p[256];
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		pin_path(p, sizeof(p), pin_dir, names[i]);
		err = bpf_map__pin(maps[i], p);
		if (err)
			return err;
	}
	return 0;
}

/*
 * maps.h defines every map of the decision programs; the guard uses only
 * those of pinned_maps, the decision object's own (guard_reuse_shared()),
 * so it must not create (and preallocate) a second copy of the others.
 * A guard program that did use one would fail to load, loudly.
 */
static void guard_skip_unused_maps(struct guard_bpf *skel)
{
	struct bpf_map *map;
	const char *name;
	size_t i;

	bpf_object__for_each_map(map, skel->obj) {
		name = bpf_map__name(map);
		/*
		 * abac_overlay_creds: each object keeps its own
		 * (bpf/overlay.h); abac_cgname too, a scratch buffer
		 * (bpf/common.h, abac_bind_at()).
		 */
		if (!strncmp(name, "abac_guard", 10) || strchr(name, '.') ||
		    !strcmp(name, "abac_overlay_creds") ||
		    !strcmp(name, "abac_cgname"))
			continue;
		for (i = 0; i < ARRAY_LEN(pinned_maps); i++) {
			if (!strncmp(name, "abac_", 5) &&
			    !strcmp(name + 5, pinned_maps[i]))
				break;
		}
		if (i == ARRAY_LEN(pinned_maps))
			bpf_map__set_autocreate(map, false);
	}
}

/* Make the guard use the decision object's maps, @shared their fds. */
static int guard_reuse_shared(struct guard_bpf *skel, const int *shared)
{
	struct bpf_map *maps[] = SKEL_SHARED_MAPS(skel);
	size_t i;
	int err = 0;

	_Static_assert(ARRAY_LEN(maps) == ARRAY_LEN(pinned_maps),
		       "SKEL_SHARED_MAPS follows pinned_maps");
	for (i = 0; i < ARRAY_LEN(maps) && !err; i++)
		err = bpf_map__reuse_fd(maps[i], shared[i]);
	return err;
}

/*
 * Load, attach and pin the guard, sharing the decision maps whose fds
 * @shared holds (in the order of pinned_maps).
 */
static int guard_load_attach_pin(const char *pin_dir, const int *shared)
{
	struct guard_bpf *skel;
	int err;

	skel = guard_bpf__open();
	if (!skel)
		return -errno ? -errno : -EINVAL;
	guard_skip_unused_maps(skel);
	err = want_guard_inodes ?
	      bpf_map__set_max_entries(skel->maps.abac_guard_inodes,
				       want_guard_inodes) : 0;
	if (!err)
		err = guard_reuse_shared(skel, shared);
	if (!err) {
		struct abac_vstats *vs = abac_vstats_arm(skel->obj);

		err = guard_bpf__load(skel);
		abac_vstats_report(vs, skel->obj);
	}
	if (!err)
		err = guard_bpf__attach(skel);
	if (!err) {
		struct bpf_map *maps[] = { skel->maps.abac_guard_inodes,
					   skel->maps.abac_guard_cfg,
					   skel->maps.abac_guard_devs };

		err = pin_maps(pin_dir, maps, guard_maps, ARRAY_LEN(maps));
	}
	if (!err)
		err = pin_links(pin_dir, skel->skeleton);
	guard_bpf__destroy(skel);
	return err;
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
	remove_pins(k->pin_dir, false);	/* stale pins of a half setup */
	skel = abac_bpf__open();
	if (!skel)
		return -errno ? -errno : -EINVAL;
	skip_missing_hooks(skel);
	err = want_labelled_dirs ?
	      bpf_map__set_max_entries(skel->maps.abac_dirs,
				       want_labelled_dirs) : 0;
	if (!err) {
		struct abac_vstats *vs = abac_vstats_arm(skel->obj);

		err = abac_bpf__load(skel);
		abac_vstats_report(vs, skel->obj);
	}
	if (!err)
		err = attach_loaded(skel);
	if (!err) {
		struct bpf_map *maps[] = SKEL_SHARED_MAPS(skel);
		struct bpf_map *emaps[] = { skel->maps.abac_fold_cfg,
					    skel->maps.abac_lost,
					    skel->maps.abac_fold,
					    skel->maps.abac_rule_hits };
		int fds[ARRAY_LEN(maps)];
		size_t i;

		err = pin_maps(k->pin_dir, maps, pinned_maps, ARRAY_LEN(maps));
		if (!err)
			err = pin_maps(k->pin_dir, emaps, event_maps,
				       ARRAY_LEN(emaps));
		for (i = 0; i < ARRAY_LEN(maps); i++)
			fds[i] = bpf_map__fd(maps[i]);
		/* the guard first: the decision link pin says "loaded" */
		if (!err)
			err = guard_load_attach_pin(k->pin_dir, fds);
	}
	if (!err)
		err = pin_links(k->pin_dir, skel->skeleton);
	if (!err)
		err = pin_build(k->pin_dir);
	if (err)
		remove_pins(k->pin_dir, false);
	/* The pins hold the programs and maps; reopen them like a restart. */
	abac_bpf__destroy(skel);
	return err ? err : reopen(k);
}

/*
 * Unpin what is left of a guard whose first link is gone (its links
 * unpinned by hand, a half setup): its maps and other links, which would
 * make the new guard's pins fail with EEXIST.
 */
static void remove_guard_pins(const char *pin_dir)
{
	unpin_names(pin_dir, guard_maps, ARRAY_LEN(guard_maps));
	unpin_prefixed(pin_dir, LINK_PREFIX "guard_");
}

/*
 * abac was pinned by an agent without the guard, or the guard's links
 * were removed: add the guard to the running decision programs, which
 * stay attached throughout.
 */
/*
 * Another build's programs are attached: attach this build's beside them
 * and move theirs to the old-pins directory.  Both enforce until
 * abac_kern_drop_old() (a request either refuses is refused).  When an
 * earlier replacement did not finish, the old-pins directory holds the
 * set that enforced before it: those stay, and the unfinished set goes.
 */
static int replace(struct abac_kern *k)
{
	char old[sizeof(k->pin_dir) + sizeof(OLD_SUFFIX)], p[256];
	bool moved = false;
	int err, fd;

	abac_kern_old_dir(k->pin_dir, old, sizeof(old));
	if (access(old, F_OK) == 0 && !abac_kern_attached(old)) {
		unpin_prefixed(old, "");	/* a drop cut short */
		if (rmdir(old))
			return -errno;
	}
	if (access(old, F_OK) == 0) {
		unpin_prefixed(k->pin_dir, "");
		rmdir(k->pin_dir);
	} else {
		if (rename(k->pin_dir, old))
			return -errno;
		moved = true;
	}
	err = load_attach_pin(k);
	if (err) {
		/* the old build goes on enforcing, from where it was */
		unpin_prefixed(k->pin_dir, "");
		rmdir(k->pin_dir);
		if (moved)
			rename(old, k->pin_dir);
		return err;
	}
	/* the agent's state copy comes along, in case its directory is lost */
	pin_path(p, sizeof(p), old, STATE_PIN);
	fd = bpf_obj_get(p);
	if (fd >= 0) {
		pin_path(p, sizeof(p), k->pin_dir, STATE_PIN);
		bpf_obj_pin(fd, p);	/* if not, the state directory has it */
		close(fd);
	}
	k->replaced = true;
	return 0;
}

static int guard_add(struct abac_kern *k)
{
	int *fds[] = KERN_SHARED_FDS(k);
	int shared[ARRAY_LEN(fds)];
	size_t i;
	int err;

	remove_guard_pins(k->pin_dir);
	err = open_pins(k->pin_dir, pinned_maps, fds, ARRAY_LEN(fds));
	for (i = 0; i < ARRAY_LEN(fds); i++)
		shared[i] = *fds[i];
	if (!err)
		err = guard_load_attach_pin(k->pin_dir, shared);
	abac_kern_close(k);
	return err ? err : reopen(k);
}

/**
 * abac_kern_open() - reach abac's kernel objects.
 * @k: filled with map handles.
 * @pin_dir: the pin directory, normally ABAC_PIN_DIR.
 * @load: load and attach the programs when they are not pinned yet
 *	(the guard alone when only it is missing).
 *
 * Programs another build pinned (an upgrade, a downgrade) are replaced
 * when @load is set: this build's are loaded, attached and pinned while
 * the others stay attached, so that the host is never unenforced, and
 * the others' pins are moved to the old-pins directory for
 * abac_kern_drop_old() once this build's policy is in force
 * (@k->replaced).
 *
 * Return: 0, or a negative errno (-ENOENT when not loaded and !@load,
 * -ESTALE when the pinned programs lack a map this build uses: another
 * version of abac pinned them, and !@load).
 */
int abac_kern_open(struct abac_kern *k, const char *pin_dir, bool load)
{
	int err;

	memset(k, 0, sizeof(*k));
	k->policy_fd = k->active_fd = k->events_fd = -1;
	k->counters_fd = k->env_fd = k->subj_cache_fd = k->dirs_fd = -1;
	k->guard_inodes_fd = k->guard_cfg_fd = k->guard_devs_fd = -1;
	k->fold_cfg_fd = k->lost_fd = k->fold_fd = k->rule_hits_fd = -1;
	snprintf(k->pin_dir, sizeof(k->pin_dir), "%s", pin_dir);
	if (abac_kern_attached(pin_dir) && load && !same_build(pin_dir)) {
		err = replace(k);
	} else if (abac_kern_attached(pin_dir)) {
		k->reused = true;
		if (load && !pinned(pin_dir, FIRST_GUARD_LINK))
			err = guard_add(k);
		else
			err = reopen(k);
		if (err == -ESTALE && load) {	/* a map missing: replace */
			abac_kern_close(k);
			k->reused = false;
			err = replace(k);
		}
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
	int *fds[] = { &k->policy_fd, &k->active_fd, &k->events_fd,
		       &k->counters_fd, &k->env_fd, &k->subj_cache_fd,
		       &k->dirs_fd,
		       &k->guard_inodes_fd, &k->guard_cfg_fd,
		       &k->guard_devs_fd, &k->fold_cfg_fd,
		       &k->lost_fd, &k->fold_fd, &k->rule_hits_fd };
	size_t i;

	for (i = 0; i < ARRAY_LEN(fds); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

/**
 * abac_kern_set_env() - write the environment the programs decide with.
 * @k: open handles.
 * @st: operator attributes (for the image with @st->content_hash) and
 *	the offset from CLOCK_TAI to the policy's local time.
 *
 * Return: 0, or a negative errno.
 */
int abac_kern_set_env(struct abac_kern *k, const struct abac_env_state *st)
{
	__u32 zero = 0;

	if (bpf_map_update_elem(k->env_fd, &zero, st, BPF_ANY))
		return -errno;
	return 0;
}

/**
 * abac_kern_get_env() - read the environment the programs decide with.
 * @k: open handles.
 * @st: receives it.
 *
 * Return: 0, or a negative errno.
 */
int abac_kern_get_env(struct abac_kern *k, struct abac_env_state *st)
{
	__u32 zero = 0;

	if (bpf_map_lookup_elem(k->env_fd, &zero, st))
		return -errno;
	st->text[sizeof(st->text) - 1] = '\0';
	return 0;
}

/* The policy map's slot in force (abac_active). */
static int active_slot(struct abac_kern *k, __u32 *slot)
{
	__u32 zero = 0;

	if (bpf_map_lookup_elem(k->active_fd, &zero, slot))
		return -errno;
	*slot &= 1;
	return 0;
}

/* Chunks of ABAC_CHUNK_RECORDS records an image of @len bytes takes. */
static __u32 image_chunks(size_t len)
{
	return (len + ABAC_CHUNK_BYTES - 1) / ABAC_CHUNK_BYTES;
}

/*
 * A new frozen inner map holding @img (@len bytes) as its chunks, chunk
 * 0 read from @head (the header stamped with the slot), or a negative
 * errno.
 */
static int image_map(const void *img, size_t len, const void *head)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_INNER_MAP);
	__u32 k, n = image_chunks(len);
	size_t at, part;
	void *value;
	int inner, err = 0;

	value = malloc(ABAC_CHUNK_BYTES);
	if (!value)
		return -ENOMEM;
	inner = bpf_map_create(BPF_MAP_TYPE_ARRAY, "abac_image", sizeof(__u32),
			       ABAC_CHUNK_BYTES, n, &opts);
	if (inner < 0) {
		err = -errno;
		goto out_free;
	}
	for (k = 0; k < n && !err; k++) {
		at = (size_t)k * ABAC_CHUNK_BYTES;
		part = len - at < ABAC_CHUNK_BYTES ? len - at : ABAC_CHUNK_BYTES;
		memcpy(value, k ? (const __u8 *)img + at : head, part);
		memset((__u8 *)value + part, 0, ABAC_CHUNK_BYTES - part);
		if (bpf_map_update_elem(inner, &k, value, BPF_ANY))
			err = -errno;
	}
	if (!err && bpf_map_freeze(inner))
		err = -errno;
	if (err) {
		close(inner);
		inner = err;
	}
out_free:
	free(value);
	return err ? err : inner;
}

/**
 * abac_kern_stage_image() - make a new image ready to be swapped in.
 * @k: open handles.
 * @img: a checked image.
 * @len: its bytes (at most ABAC_IMAGE_BYTES).
 * @slot: receives the slot of the policy map it went into.
 *
 * The image goes into a new inner map, one value per chunk of
 * ABAC_CHUNK_RECORDS records, its header stamped with the slot
 * (&struct abac_image_hdr.bpf_slot: where the programs find the chunks
 * past the first), frozen against later writes, and into the slot of the
 * policy map that is not in force.  That update waits for an RCU grace
 * period (for a map-in-map the kernel makes sure no program still uses
 * the inner map it replaced), which is why it comes before the swap
 * rather than in it.  Nothing in force changes.
 *
 * Return: 0, -E2BIG for an image the programs cannot read
 * (abac_image_bpf_fits(): too many rules, or tables past the first
 * chunk), or another negative errno.
 */
int abac_kern_stage_image(struct abac_kern *k, const void *img, size_t len,
			  __u32 *slot)
{
	char why[256];
	__u8 *chunk0;
	__u32 next;
	int inner, err;

	if (len > ABAC_IMAGE_BYTES)
		return -E2BIG;
	err = abac_image_bpf_check(img, len, why, sizeof(why));
	if (err)
		return err;
	err = active_slot(k, &next);
	if (err)
		return err;
	next ^= 1;
	chunk0 = malloc(len < ABAC_CHUNK_BYTES ? len : ABAC_CHUNK_BYTES);
	if (!chunk0)
		return -ENOMEM;
	memcpy(chunk0, img, len < ABAC_CHUNK_BYTES ? len : ABAC_CHUNK_BYTES);
	((struct abac_image_hdr *)chunk0)->bpf_slot = next;
	inner = image_map(img, len, chunk0);
	free(chunk0);
	if (inner < 0)
		return inner;
	if (bpf_map_update_elem(k->policy_fd, &next, &inner, BPF_ANY))
		err = -errno;
	else
		*slot = next;
	close(inner);
	return err;
}

/**
 * abac_kern_switch_image() - the swap: put the image of @slot in force.
 * @k: open handles.
 * @slot: a slot abac_kern_stage_image() filled.
 *
 * One update of abac_active, a plain array: no grace period to wait for.
 * A program reads abac_active, then the slot it names, and decides on
 * that one inner map until it returns; should the slot be filled again
 * in between (a second swap), it reads the newer image, whole.  Never
 * parts of two.
 *
 * Return: 0, or a negative errno; on error the old image stays in force.
 */
int abac_kern_switch_image(struct abac_kern *k, __u32 slot)
{
	__u32 zero = 0;

	slot &= 1;
	if (bpf_map_update_elem(k->active_fd, &zero, &slot, BPF_ANY))
		return -errno;
	return 0;
}

/**
 * abac_kern_set_image() - put a new image in force.
 * @k: open handles.
 * @img: a checked image.
 * @len: its bytes (at most ABAC_IMAGE_BYTES).
 *
 * abac_kern_stage_image(), then abac_kern_switch_image().  Decisions under
 * way finish on the image they started with.
 *
 * Return: 0, or a negative errno; on error the old image stays in force.
 */
int abac_kern_set_image(struct abac_kern *k, const void *img, size_t len)
{
	__u32 slot;
	int err;

	err = abac_kern_stage_image(k, img, len, &slot);
	return err ? err : abac_kern_switch_image(k, slot);
}

/**
 * abac_kern_clear_image() - remove every image: the programs then find
 * no policy and decide nothing.  For the benchmark's "empty" runs.
 * @k: open handles.
 *
 * Return: 0, or a negative errno.
 */
int abac_kern_clear_image(struct abac_kern *k)
{
	__u32 slot;

	for (slot = 0; slot < 2; slot++) {
		if (bpf_map_delete_elem(k->policy_fd, &slot) &&
		    errno != ENOENT)
			return -errno;
	}
	return 0;
}

/*
 * Open the inner map of the image in force and count its chunks: a
 * descriptor to close, or -ENOENT when no image is loaded, -EBADMSG when
 * its values are not chunks, or a negative errno.
 */
static int image_in_force(struct abac_kern *k, __u32 *chunks)
{
	struct bpf_map_info info = {};
	__u32 info_len = sizeof(info), slot, id;
	int inner, err;

	err = active_slot(k, &slot);
	if (err)
		return err;
	if (bpf_map_lookup_elem(k->policy_fd, &slot, &id))
		return errno == ENOENT ? -ENOENT : -errno;
	inner = bpf_map_get_fd_by_id(id);
	if (inner < 0)
		return -errno;
	if (bpf_obj_get_info_by_fd(inner, &info, &info_len)) {
		err = -errno;
		close(inner);
		return err;
	}
	if (info.value_size != ABAC_CHUNK_BYTES) {
		close(inner);
		return -EBADMSG;
	}
	*chunks = info.max_entries;
	return inner;
}

/**
 * abac_kern_get_image() - read back the image in force.
 * @k: open handles.
 * @img: receives a malloc()ed copy, trimmed to its total_records.
 * @len: receives its length.
 *
 * Every chunk of the image is read; the header keeps the slot the
 * loader stamped (the content hash reads it as 0).
 *
 * Return: 0, -ENOENT when no image is loaded, -EBADMSG when the inner
 * map does not hold the image its header describes, or a negative errno.
 */
int abac_kern_get_image(struct abac_kern *k, void **img, size_t *len)
{
	const struct abac_image_hdr *hdr;
	__u8 *value = NULL, *grown;
	size_t total = 0;
	__u32 c, n = 0;
	int inner, err = 0;

	inner = image_in_force(k, &n);
	if (inner < 0)
		return inner;
	if (!n || n > ABAC_MAX_CHUNKS) {
		err = -EBADMSG;
		goto out;
	}
	value = malloc(ABAC_CHUNK_BYTES);
	err = value ? 0 : -ENOMEM;
	if (!err && bpf_map_lookup_elem(inner, &(__u32){ 0 }, value))
		err = -errno;
	if (err)
		goto out;
	hdr = (const void *)value;
	total = (size_t)hdr->total_records * ABAC_REC_SIZE;
	if (total < sizeof(*hdr) || total > ABAC_IMAGE_BYTES ||
	    image_chunks(total) != n) {
		err = -EBADMSG;
		goto out;
	}
	grown = realloc(value, (size_t)n * ABAC_CHUNK_BYTES);
	if (!grown) {
		err = -ENOMEM;
		goto out;
	}
	value = grown;
	for (c = 1; c < n && !err; c++)
		if (bpf_map_lookup_elem(inner, &c,
					value + (size_t)c * ABAC_CHUNK_BYTES))
			err = -errno;
out:
	close(inner);
	if (err) {
		free(value);
		return err;
	}
	*img = value;
	*len = total;
	return 0;
}

/**
 * abac_kern_image_chunks() - the chunks of the image in force.
 * @k: open handles.
 * @chunks: receives the values of its inner map (ABAC_CHUNK_RECORDS
 *	records each).
 *
 * Return: 0, -ENOENT when no image is loaded, or a negative errno.
 */
int abac_kern_image_chunks(struct abac_kern *k, __u32 *chunks)
{
	int inner = image_in_force(k, chunks);

	if (inner < 0)
		return inner;
	close(inner);
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
		sum->guarded += per[i].guarded;
		sum->folded += per[i].folded;
	}
	free(per);
	return 0;
}

/**
 * abac_kern_rule_hits() - the decisions each rule of the image in force
 * took, summed over the CPUs.
 * @k: open handles.
 * @generation: the generation of the image in force: a CPU's count of
 *	another generation is not this image's.
 * @hits: receives @n counts, one per rule index.
 * @n: the image's rule count (at most ABAC_MAX_KERNEL_RULES).
 *
 * Return: 0 or a negative errno.
 */
int abac_kern_rule_hits(struct abac_kern *k, __u32 generation, __u64 *hits,
			__u32 n)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	struct abac_rule_hits *per;
	__u32 r;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	if (n > ABAC_MAX_KERNEL_RULES)
		return -E2BIG;
	per = calloc(ncpu, sizeof(*per));
	if (!per)
		return -ENOMEM;
	for (r = 0; r < n; r++) {
		if (bpf_map_lookup_elem(k->rule_hits_fd, &r, per)) {
			free(per);
			return -errno;
		}
		hits[r] = 0;
		for (i = 0; i < ncpu; i++)
			if (per[i].generation == generation)
				hits[r] += per[i].hits;
	}
	free(per);
	return 0;
}

#define STATE_MAX	(8U << 20)

/**
 * abac_kern_state_save() - keep a copy of the agent's state beside the pins.
 * @k: open handles.
 * @blob: the state, opaque here.
 * @len: its bytes.
 *
 * The copy lives in a frozen BPF array pinned as ABAC_PIN_DIR/state, so
 * that it survives the loss of the state directory as long as the
 * programs stay pinned.  A new copy is pinned as state.new and renamed
 * over the old one: a crash leaves one whole copy or the other.
 *
 * Return: 0 or a negative errno.
 */
int abac_kern_state_save(struct abac_kern *k, const void *blob, size_t len)
{
	char tmp[256], dst[256];
	__u32 zero = 0;
	size_t sz = (sizeof(__u64) + len + 7) & ~(size_t)7;
	void *value;
	int fd, err = 0;

	if (len > STATE_MAX)
		return -E2BIG;
	value = calloc(1, sz);
	if (!value)
		return -ENOMEM;
	*(__u64 *)value = len;
	memcpy((char *)value + sizeof(__u64), blob, len);
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "abac_state", sizeof(__u32),
			    sz, 1, NULL);
	if (fd < 0) {
		err = -errno;
		goto out_free;
	}
	pin_path(tmp, sizeof(tmp), k->pin_dir, STATE_PIN_NEW);
	pin_path(dst, sizeof(dst), k->pin_dir, STATE_PIN);
	unlink(tmp);
	if (bpf_map_update_elem(fd, &zero, value, BPF_ANY) ||
	    bpf_map_freeze(fd) || bpf_obj_pin(fd, tmp) || rename(tmp, dst))
		err = -errno;
	if (err)
		unlink(tmp);
	close(fd);
out_free:
	free(value);
	return err;
}

/**
 * abac_kern_state_load() - read back the copy abac_kern_state_save() kept.
 * @k: open handles.
 * @blob: receives a malloc()ed copy.
 * @len: receives its length.
 *
 * Return: 0, -ENOENT when there is none, or a negative errno.
 */
int abac_kern_state_load(struct abac_kern *k, void **blob, size_t *len)
{
	struct bpf_map_info info = {};
	__u32 info_len = sizeof(info), zero = 0;
	char p[256];
	void *value = NULL;
	__u64 n;
	int fd, err = 0;

	pin_path(p, sizeof(p), k->pin_dir, STATE_PIN);
	fd = bpf_obj_get(p);
	if (fd < 0)
		return -errno;
	if (bpf_obj_get_info_by_fd(fd, &info, &info_len)) {
		err = -errno;
		goto out;
	}
	if (info.value_size < sizeof(__u64) || info.max_entries != 1) {
		err = -EBADMSG;
		goto out;
	}
	value = malloc(info.value_size);
	if (!value) {
		err = -ENOMEM;
		goto out;
	}
	if (bpf_map_lookup_elem(fd, &zero, value)) {
		err = -errno;
		goto out;
	}
	n = *(__u64 *)value;
	if (n > info.value_size - sizeof(__u64)) {
		err = -EBADMSG;
		goto out;
	}
	memmove(value, (char *)value + sizeof(__u64), n);
	*blob = value;
	*len = n;
	value = NULL;
out:
	free(value);
	close(fd);
	return err;
}

/**
 * abac_kern_unload() - detach abac: remove every pin.
 * @pin_dir: the pin directory.
 *
 * Every link_* pin goes, the decision programs' and the guard's; the
 * programs detach when the last link reference goes away.
 *
 * Return: 0, or the first negative errno other than -ENOENT.
 */
int abac_kern_unload(const char *pin_dir)
{
	int err = remove_pins(pin_dir, true);

	abac_kern_drop_old(pin_dir);
	return err;
}

/**
 * abac_kern_detach_old() - detach the programs of the build replaced,
 *	keeping their ring buffer to be read.
 * @pin_dir: the pin directory.
 *
 * Their links' pins go (the programs detach when the last reference
 * does); nothing writes to their ring buffer after that, so what it
 * holds can be read whole before abac_kern_drop_old() removes the rest.
 *
 * Return: a descriptor of their ring buffer, or a negative errno
 * (-ENOENT when there is none); the links are removed either way.
 */
int abac_kern_detach_old(const char *pin_dir)
{
	char old[256], p[300];
	int fd;

	abac_kern_old_dir(pin_dir, old, sizeof(old));
	snprintf(p, sizeof(p), "%s/events", old);
	fd = bpf_obj_get(p);
	if (fd < 0)
		fd = -errno;
	unpin_prefixed(old, LINK_PREFIX);
	return fd;
}

/**
 * abac_kern_drop_old() - detach the programs of the build replaced.
 * @pin_dir: the pin directory.
 *
 * Every pin of the old-pins directory goes (links, maps, whatever names
 * that build used), then the directory: its programs detach when the
 * last reference goes.  Call it once this build's policy is in force.
 *
 * Return: 1 when there was an old build to drop, 0 when none, or a
 * negative errno.
 */
int abac_kern_drop_old(const char *pin_dir)
{
	char old[256];
	int err;

	abac_kern_old_dir(pin_dir, old, sizeof(old));
	if (access(old, F_OK))
		return errno == ENOENT ? 0 : -errno;
	err = unpin_prefixed(old, "");
	if (!err && rmdir(old))
		err = -errno;
	return err ? err : 1;
}

/* Unpin every pin whose name starts with @prefix; the first error. */
static int unpin_prefixed(const char *pin_dir, const char *prefix)
{
	char p[512];
	struct dirent *de;
	DIR *dir;
	int err = 0;

	dir = opendir(pin_dir);
	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.' ||
		    strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		snprintf(p, sizeof(p), "%s/%s", pin_dir, de->d_name);
		if (unlink(p) && errno != ENOENT && !err)
			err = -errno;
	}
	closedir(dir);
	return err;
}

/* Unpin the @n pins @names (missing ones are fine); the first error. */
static int unpin_names(const char *pin_dir, const char *const *names,
		       size_t n)
{
	char p[512];
	size_t i;
	int err = 0;

	for (i = 0; i < n; i++) {
		pin_path(p, sizeof(p), pin_dir, names[i]);
		if (unlink(p) && errno != ENOENT && !err)
			err = -errno;
	}
	return err;
}

/* Remove the links and maps, and with @state the agent's state copy. */
static int remove_pins(const char *pin_dir, bool state)
{
	static const char *const state_pin[] = { STATE_PIN };
	static const char *const build_pin[] = { BUILD_PIN };
	int err, e;

	err = unpin_prefixed(pin_dir, LINK_PREFIX);
	e = unpin_names(pin_dir, build_pin, 1);
	err = err ? err : e;
	e = state ? unpin_names(pin_dir, state_pin, 1) : 0;
	err = err ? err : e;
	e = unpin_names(pin_dir, pinned_maps, ARRAY_LEN(pinned_maps));
	err = err ? err : e;
	e = unpin_names(pin_dir, guard_maps, ARRAY_LEN(guard_maps));
	err = err ? err : e;
	e = unpin_names(pin_dir, event_maps, ARRAY_LEN(event_maps));
	return err ? err : e;
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
 * hooks is not attached.
 */
__u32 abac_kern_missing_ops(const char *pin_dir)
{
	__u32 missing = 0;
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
