// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which kernel side enforces: the BPF-LSM programs (tools/lib/kern.c),
 * the native abac LSM (tools/lib/native.c), or both.
 *
 * The native LSM is used when /sys/kernel/security/abac exists; the BPF
 * programs when the kernel lists the "bpf" LSM, or when there is no native
 * LSM (then a failure to load them is the agent's usual error).  With
 * both, every image goes to both: the native LSM first (it validates the
 * image in the kernel), then the BPF map; if the BPF side refuses, the
 * native LSM gets the image in force back, so both keep deciding alike.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "abacd.h"
#include "native.h"

/* A table pinned with another size than asked for: say how to resize. */
static void table_check(const char *what, const char *opt, int fd, __u32 want)
{
	__u32 have = abac_kern_table_size(fd);

	if (want && have && have != want)
		say("warning: the pinned %s table holds %u entries, not %s %u: it takes effect after abacd --unload",
		    what, have, opt, want);
}

static void tables_check(struct abacd *d)
{
	table_check("labelled-directory", "--labelled-dirs", d->kern.dirs_fd,
		    d->labelled_dirs);
	table_check("guard inode", "--guard-inodes", d->kern.guard_inodes_fd,
		    d->guard_inodes);
}

/**
 * backend_open() - find the kernel side(s) and open them.
 * @d: the agent.
 *
 * Return: 0, or a negative errno, reported.
 */
int backend_open(struct abacd *d)
{
	bool native = abac_native_present();
	int err;

	d->use_native = native;
	d->use_bpf = !native || abac_lsm_active("bpf");
	if (d->use_bpf) {
		abac_kern_set_sizes(d->labelled_dirs, d->guard_inodes);
		err = abac_kern_open(&d->kern, d->pin_dir, true);
		if (err == -ESTALE) {
			say("error: the programs pinned in %s are another abac "
			    "version's (a map this one uses is missing); run "
			    "abacd --unload, then start abacd again",
			    d->pin_dir);
			return err;
		}
		if (err) {
			fail("load the BPF programs", err);
			return err;
		}
		if (d->kern.replaced)
			say("the programs pinned in %s were another abac build's: this build's are attached beside them, and the old ones are detached once its policy is in force",
			    d->pin_dir);
		else
			say(d->kern.reused ? "reusing pinned programs" :
					     "programs attached");
		tables_check(d);
	}
	if (native)
		say("native abac LSM found at %s%s", ABAC_NATIVE_DIR,
		    d->use_bpf ? "; images go to both" : "; BPF-LSM is off, using it alone");
	return 0;
}

/**
 * backend_drop_old() - detach the programs of the build abacd replaced.
 * @d: the agent.
 *
 * Until now both builds enforced.  Only once the agent has started (its
 * log open, its guard set up: @d->started) and this build has a policy
 * in force; before that the old programs, their guard included, may be
 * all that protects the host, and the first policy applied after the
 * start detaches them.  The backlog is logged first, then the old links
 * are removed (their programs detach), then their ring buffer, which
 * nothing writes any more, is logged, and the rest of their pins go.
 * Also finishes a replacement an earlier agent did not.
 */
void backend_drop_old(struct abacd *d)
{
	char old[PATH_MAX];
	int err, fd;

	if (!d->use_bpf || !d->started)
		return;
	abac_kern_old_dir(d->pin_dir, old, sizeof(old));
	if (access(old, F_OK))
		return;
	if (!d->cur.buf) {
		say("warning: the replaced programs in %s stay attached: this build has no policy in force yet; the first one applied detaches them",
		    old);
		return;
	}
	events_flush_backlog(d);	/* older than the old ring's last records */
	fd = abac_kern_detach_old(d->pin_dir);
	if (fd >= 0) {
		events_drain_old(d, fd);
		close(fd);
	}
	err = abac_kern_drop_old(d->pin_dir);
	if (err < 0)
		say("warning: cannot detach the replaced programs pinned in %s: %s; they enforce beside this build's until removed",
		    old, strerror(-err));
	else
		say("the replaced programs are detached (%s removed)", old);
}

/**
 * backend_set_image() - put an image in force on every kernel side.
 * @d: the agent.
 * @img: the image.
 * @len: its length.
 *
 * Return: 0, or the first kernel side's refusal with every side left
 * with the image it held.
 */
int backend_set_image(struct abacd *d, const void *img, size_t len)
{
	char why[256];
	int err;

	if (d->use_bpf) {
		err = abac_image_bpf_check(img, len, why, sizeof(why));
		if (err) {
			say("the BPF backend cannot load the image: %s", why);
			return err;
		}
	}
	if (d->use_native) {
		err = abac_native_set_image(img, len);
		if (err)
			return err;
	}
	if (!d->use_bpf)
		return 0;
	err = abac_kern_set_image(&d->kern, img, len);
	if (err && d->use_native && d->cur.buf &&
	    abac_native_set_image(d->cur.buf, d->cur.len))
		say("failed to restore the native LSM's image after the BPF side refused the new one");
	return err;
}

/**
 * backend_get_image() - read the image in force back.
 * @d: the agent.
 * @img: receives a malloc()ed copy.
 * @len: receives its length.
 *
 * The BPF side's when it is used, else the native LSM's.
 *
 * Return: 0; -ENOENT when none is in force; another negative errno.
 */
int backend_get_image(struct abacd *d, void **img, size_t *len)
{
	if (d->use_bpf)
		return abac_kern_get_image(&d->kern, img, len);
	return abac_native_get_image(img, len);
}

/**
 * backend_events_fd() - what to watch for denial records.
 * @d: the agent, events_open() done.
 *
 * Return: the descriptor to add to epoll, or -1.
 */
int backend_events_fd(const struct abacd *d)
{
	if (d->ring)
		return d->kern.events_fd;	/* readable while data waits */
	return d->native_events_fd;
}

/**
 * backend_name() - the kernel side(s) in force, for status lines.
 * @d: the agent.
 *
 * Return: "bpf", "native" or "native+bpf".
 */
const char *backend_name(const struct abacd *d)
{
	if (d->use_native && d->use_bpf)
		return "native+bpf";
	return d->use_native ? "native" : "bpf";
}

/**
 * backend_desc() - the kernel side(s) in force, in words.
 * @d: the agent.
 *
 * Return: a description for "abac status".
 */
const char *backend_desc(const struct abacd *d)
{
	if (d->use_native && d->use_bpf)
		return "the native abac LSM and the BPF-LSM programs, both deciding";
	return d->use_native ? "the native abac LSM, " ABAC_NATIVE_DIR :
			       "the BPF-LSM programs";
}

/**
 * backend_set_env() - put the environment in force on every kernel side.
 * @d: the agent.
 * @st: the environment.
 *
 * Return: 0, or the first side's refusal.
 */
int backend_set_env(struct abacd *d, const struct abac_env_state *st)
{
	int err = 0;

	if (d->use_native)
		err = abac_native_set_env(st);
	if (!err && d->use_bpf)
		err = abac_kern_set_env(&d->kern, st);
	return err;
}

/**
 * backend_get_env() - the environment a kernel side holds.
 * @d: the agent.
 * @st: receives it.
 *
 * Return: 0 or a negative errno.
 */
int backend_get_env(struct abacd *d, struct abac_env_state *st)
{
	if (d->use_bpf)
		return d->kern.env_fd < 0 ? -EBADF :
		       abac_kern_get_env(&d->kern, st);
	return abac_native_get_env(st);
}

/*
 * The BPF guard: the agent's pid, then its inodes (no moment without);
 * the raw devices go to their own map (guard.c), not as entries.
 */
static int backend_guard_bpf(struct abacd *d, const struct abac_guard_ent *ent,
			     size_t n)
{
	struct abac_guard_ent *v;
	size_t i, m = 0;
	int err;

	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (ent[i].kind != ABAC_GUARD_INODE_RAW_CHAR)
			v[m++] = ent[i];
	err = abac_kern_guard_agent(&d->kern, getpid());
	if (!err)
		err = abac_kern_guard_set(&d->kern, v, m);
	if (err == -E2BIG)
		say("the tamper guard's table of protected inodes is full: some of the %zu entries are not protected",
		    m);
	free(v);
	return err;
}

/*
 * The native LSM's guard takes every entry.  A kernel built before it
 * took the system trees and the raw devices (-EINVAL) gets the agent's
 * own inodes alone, and the agent says what it goes without.
 */
static int backend_guard_native(const struct abac_guard_ent *ent, size_t n)
{
	struct abac_guard_ent *v;
	size_t i, m = 0;
	int err;

	err = abac_native_guard_set(ent, n);
	if (err != -EINVAL)
		return err;
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		__u32 kind = ent[i].kind & (ABAC_GUARD_INODE_TREE |
					    ABAC_GUARD_INODE_SOCKET);

		if (ent[i].kind & ABAC_GUARD_INODE_AGENT)
			kind |= ABAC_GUARD_INODE_TREE;
		if (!kind)
			continue;
		v[m] = ent[i];
		v[m].kind = kind & ABAC_GUARD_INODE_SOCKET ?
			    ABAC_GUARD_INODE_SOCKET : ABAC_GUARD_INODE_TREE;
		m++;
	}
	err = abac_native_guard_set(v, m);
	if (!err)
		say("this kernel's abac guard is older than abacd: it does not keep tagged subjects out of the system trees nor the raw devices");
	free(v);
	return err;
}

/**
 * backend_guard() - tell every kernel side's guard that this process is
 * the agent and which inodes are its own.
 * @d: the agent.
 * @ent: the inodes.
 * @n: how many.
 *
 * Return: 0, or the first side's refusal.
 */
int backend_guard(struct abacd *d, const struct abac_guard_ent *ent, size_t n)
{
	int err = 0;

	if (d->use_native)
		err = backend_guard_native(ent, n);
	if (!err && d->use_bpf)
		err = backend_guard_bpf(d, ent, n);
	return err;
}

/**
 * backend_state_save() - keep the agent's state where it outlives the
 * agent: beside the BPF pins, or in the native LSM.
 * @d: the agent.
 * @blob: the state.
 * @len: its bytes.
 *
 * Return: 0 or a negative errno.
 */
int backend_state_save(struct abacd *d, const void *blob, size_t len)
{
	if (d->use_bpf)
		return abac_kern_state_save(&d->kern, blob, len);
	return abac_native_state_save(blob, len);
}

/**
 * backend_state_load() - the state backend_state_save() kept.
 * @d: the agent.
 * @blob: receives a malloc()ed copy.
 * @len: receives its bytes.
 *
 * Return: 0; -ENOENT when none is kept; another negative errno.
 */
int backend_state_load(struct abacd *d, void **blob, size_t *len)
{
	if (d->use_bpf)
		return abac_kern_state_load(&d->kern, blob, len);
	return abac_native_state_load(blob, len);
}

/**
 * backend_counters() - the kernel's decision counters.
 * @d: the agent.
 * @cnt: receives them: the BPF programs' when they are used (their
 *	events are the ones read), else the native LSM's.
 *
 * Return: 0 or a negative errno.
 */
int backend_counters(struct abacd *d, struct abac_counters *cnt)
{
	struct abac_native_status st;
	int err;

	if (d->use_bpf)
		return abac_kern_counters(&d->kern, cnt);
	err = abac_native_status(&st);
	if (!err)
		*cnt = st.cnt;
	return err;
}

/**
 * backend_missing_ops() - the operations some kernel side in force does
 * not decide (fully).
 * @d: the agent.
 *
 * Return: a mask of (1 << enum abac_op).
 */
__u32 backend_missing_ops(struct abacd *d)
{
	__u32 all = (1U << ABAC_OP_COUNT) - 1, missing = 0;
	struct abac_native_status st;

	if (d->use_bpf)
		missing |= abac_kern_missing_ops(d->pin_dir);
	if (d->use_native)
		missing |= abac_native_status(&st) ? all : all & ~st.ops;
	return missing;
}
