// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac's BPF-LSM programs.  The maps live in maps.h, the shared plumbing in
 * common.h, the decision in lsm/abac_decide.h; the hooks here only turn a
 * kernel event into an operation on an object with attributes.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "abac_iter.h"
#include "abac_abi.h"
#include "abac_decide.h"
#include "maps.h"
#include "common.h"

char LICENSE[] SEC("license") = "GPL";

/*
 * Read and parse a file's user.abac label.  Returns 1 when the file is
 * labelled (attributes in @obj), 0 when it carries no label, -1 when the
 * label cannot be trusted (malformed, unknown to the policy, too long or
 * unreadable): the caller then fails closed.
 */
static __always_inline int file_label(const struct abac_image *img,
				      struct file *file,
				      struct abac_scratch *scr)
{
	__u8 *buf = scr->label;
	struct bpf_dynptr dp;
	int len;

	bpf_dynptr_from_mem(buf, ABAC_LABEL_MAX, 0, &dp);
	len = bpf_get_file_xattr(file, ABAC_LABEL_XATTR, &dp);
	if (len == -ENODATA || len == -EOPNOTSUPP)
		return 0;
	if (len <= 0 || len > ABAC_LABEL_MAX)
		return -1;
	return abac_label_parse(img, buf, len, &scr->pairs, &scr->obj) ? -1 : 1;
}

/**
 * hook_file_open() - decide read and write on open, from the open mode.
 * Untagged processes and unlabelled files are not touched.
 */
SEC("lsm.s/file_open")
int BPF_PROG(hook_file_open, struct file *file, int ret)
{
	struct abac_subject_ctx sc = {};
	struct abac_scratch *scr;
	struct abac_image img;
	struct abac_attrs *obj;
	unsigned int fmode;
	int labelled, err;

	if (ret)
		return ret;
	if (!abac_image_get(&img) || !abac_subject_get(&img, &sc))
		return 0;
	scr = abac_scratch_get();
	if (!scr)
		return -ENOMEM;	/* a tagged subject: fail closed */
	obj = &scr->obj;
	labelled = file_label(&img, file, scr);
	if (!labelled)
		return 0;
	fmode = file->f_mode;
	if (fmode & FMODE_READ) {
		err = abac_check(&img, &sc, file, ABAC_OP_READ, obj,
				 &scr->env, labelled < 0);
		if (err)
			return err;
	}
	if (fmode & FMODE_WRITE)
		return abac_check(&img, &sc, file, ABAC_OP_WRITE, obj,
				  &scr->env, labelled < 0);
	return 0;
}
