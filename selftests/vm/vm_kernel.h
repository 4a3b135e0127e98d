/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The image in force, read and written directly, whichever kernel side
 * enforces in the guest: the BPF programs' pinned maps (tools/lib/kern.c)
 * or the native LSM's securityfs file (tools/lib/native.c).  For tests
 * that hold the kernel to the decision core, or swap images under load,
 * without the agent in between.
 */
#ifndef _ABAC_VM_KERNEL_H
#define _ABAC_VM_KERNEL_H

#include "vm_common.h"
#include "kern.h"
#include "native.h"

/* The image in force, malloc()ed into *@img; 0 or a negative errno. */
static inline int vm_kernel_get_image(void **img, size_t *len)
{
	struct abac_kern k;
	int err;

	if (vm_backend() == VM_NATIVE)
		return abac_native_get_image(img, len);
	err = abac_kern_open(&k, ABAC_PIN_DIR, false);
	if (err)
		return err;
	err = abac_kern_get_image(&k, img, len);
	abac_kern_close(&k);
	return err;
}

/**
 * struct vm_kernel - a handle to put images in force, kept open across
 *	many swaps.
 * @k: the BPF programs' maps (unused with the native LSM).
 * @native: the native LSM enforces.
 */
struct vm_kernel {
	struct abac_kern k;
	bool native;
};

static inline int vm_kernel_open(struct vm_kernel *vk)
{
	vk->native = vm_backend() == VM_NATIVE;
	return vk->native ? 0 : abac_kern_open(&vk->k, ABAC_PIN_DIR, false);
}

static inline int vm_kernel_set_image(struct vm_kernel *vk, const void *img,
				      size_t len)
{
	if (vk->native)
		return abac_native_set_image(img, len);
	return abac_kern_set_image(&vk->k, img, len);
}

static inline void vm_kernel_close(struct vm_kernel *vk)
{
	if (!vk->native)
		abac_kern_close(&vk->k);
}

#endif /* _ABAC_VM_KERNEL_H */
