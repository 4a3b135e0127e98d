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
#include <bpf/libbpf.h>

#include "abacd.h"
#include "native.h"

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
		say(d->kern.reused ? "reusing pinned programs" :
				     "programs attached");
	}
	if (native)
		say("native abac LSM found at %s%s", ABAC_NATIVE_DIR,
		    d->use_bpf ? "; images go to both" : "; BPF-LSM is off, using it alone");
	return 0;
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
	int err;

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
