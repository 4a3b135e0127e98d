// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: a file's content reached through memory, as
 * bpf/memory.h decides it.
 *
 *   mmap_file       a mapping is a read (PROT_NONE included: mprotect can
 *                   open it up); PROT_EXEC is exec; a shared mapping of a
 *                   file open for writing is a write, whatever its
 *                   protection now.  The kernel's own loading of a
 *                   program or its interpreter (__FMODE_EXEC) is exec only.
 *   file_mprotect   a file mapping made executable is exec
 *
 * Page faults are not hooked: a mapping keeps the pages it was allowed
 * (Documentation/enforcement.rst).
 */
#include "abac.h"

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>

/*
 * Decide a mapping of @file with protection @prot, shared or not: read,
 * then write, then exec, the first refused returned.  mmap_file is called
 * outside mmap_lock: a label not read yet is read here.
 */
static int abac_map_decide(struct abac_ctx *c, struct file *file,
			   unsigned long prot, bool shared)
{
	bool loader = file->f_flags & __FMODE_EXEC;
	int err = 0;

	if (!loader) {
		err = abac_check_file(c, file, ABAC_OP_READ);
		if (!err && shared && (file->f_mode & FMODE_WRITE))
			err = abac_check_file(c, file, ABAC_OP_WRITE);
	}
	if (!err && (loader || (prot & PROT_EXEC)))
		err = abac_check_file(c, file, ABAC_OP_EXEC);
	return err;
}

static int abac_mmap_file(struct file *file, unsigned long reqprot,
			  unsigned long prot, unsigned long flags)
{
	unsigned long type = flags & MAP_TYPE;
	struct abac_ctx c;
	int err;

	if (!file || !abac_ctx_get(&c))
		return 0;	/* anonymous memory, or untagged */
	err = abac_map_decide(&c, file, prot, type == MAP_SHARED ||
			      type == MAP_SHARED_VALIDATE);
	abac_ctx_put(&c);
	return err;
}

/*
 * Making a file mapping executable is exec.  Called under mmap_lock: no
 * label is read here.  mmap_file read it when the mapping was made by a
 * tagged task; one still unknown (mapped before the task was tagged, or
 * the label changed since) fails closed.
 */
static int abac_file_mprotect(struct vm_area_struct *vma,
			      unsigned long reqprot, unsigned long prot)
{
	struct file *file = vma->vm_file;
	struct abac_ctx c;
	int err;

	if (!(prot & PROT_EXEC) || (vma->vm_flags & VM_EXEC) || !file)
		return 0;	/* nothing made executable, or anonymous */
	if (!abac_ctx_get(&c))
		return 0;
	err = abac_check_dentry(&c, file->f_path.dentry, &file->f_path, NULL,
				ABAC_F_OWN | ABAC_F_NOSLEEP, ABAC_OP_EXEC);
	abac_ctx_put(&c);
	return err;
}

static struct security_hook_list abac_memory_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(mmap_file, abac_mmap_file),
	LSM_HOOK_INIT(file_mprotect, abac_file_mprotect),
};

/**
 * abac_add_memory_hooks() - register the hooks on file mappings.
 */
void __init abac_add_memory_hooks(void)
{
	security_add_hooks(abac_memory_hooks, ARRAY_SIZE(abac_memory_hooks),
			   &abac_lsmid);
}
