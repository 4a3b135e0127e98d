/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Content reached through memory rather than read() and write():
 *
 *   - a file mapping is decided as the operations it gives: read for any
 *     mapping, exec for an executable one, write for a shared mapping of
 *     a file open for writing (mmap_file), exec again when mprotect makes
 *     a mapping executable (file_mprotect);
 *   - a program the subject may run but not read ("exec-only") keeps its
 *     content from the subject: it may not be exec'd under a tracer
 *     (bprm_check_security), and the process running it is marked
 *     (bprm_committed_creds; task_alloc passes the mark to a fork) so that
 *     no tagged subject attaches to it (ptrace_access_check: ptrace,
 *     /proc/PID/mem, process_vm_readv/writev, pidfd_getfd) and it writes
 *     no core file (file_open, exec_only_dumping()).
 *
 * Page faults are not hooked: a mapping keeps the pages it was allowed,
 * whatever changes after (Documentation/enforcement.rst).  Included once,
 * by abac.bpf.c, after objects.h.
 */
#ifndef _ABAC_BPF_MEMORY_H
#define _ABAC_BPF_MEMORY_H

#define PROT_READ		0x1
#define PROT_WRITE		0x2
#define PROT_EXEC		0x4
#define PROT_RWX		(PROT_READ | PROT_WRITE | PROT_EXEC)
#define MAP_TYPE		0x0f
#define MAP_SHARED		0x01
#define MAP_SHARED_VALIDATE	0x03
#define VM_EXEC			0x4
#define PTRACE_MODE_ATTACH	0x02
#define CLONE_THREAD		0x00010000
#define PF_DUMPCORE		0x00000200

extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;

/* Note that the subject may exec the file of @obj (abac_exec_memo). */
static __always_inline void exec_memo_note(const struct abac_image *img,
					   const struct abac_subject_ctx *sc,
					   const struct abac_obj *obj)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	struct abac_exec_key key = {};
	struct abac_exec_memo memo = {};

	if (!hdr || (hdr->flags & ABAC_HDR_F_ENV))
		return;	/* a decision on the clock holds for no later call */
	key.subj = sc->tagged_id;
	key.ino = obj->ino;
	key.dev = obj->dev;
	key.igen = obj->igen;
	memo.content_hash = hdr->content_hash;
	memo.generation = hdr->generation;
	memo.epoch = obj->epoch;
	bpf_map_update_elem(&abac_exec_memo, &key, &memo, BPF_ANY);
}

/* Does abac_exec_memo say the subject may exec the file of @obj now? */
static __always_inline bool exec_memo_allows(const struct abac_image *img,
					     const struct abac_subject_ctx *sc,
					     const struct abac_obj *obj)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	struct abac_exec_key key = {};
	struct abac_exec_memo *memo;

	key.subj = sc->tagged_id;
	key.ino = obj->ino;
	key.dev = obj->dev;
	key.igen = obj->igen;
	memo = bpf_map_lookup_elem(&abac_exec_memo, &key);
	return memo && hdr && memo->content_hash == hdr->content_hash &&
	       memo->generation == hdr->generation &&
	       memo->epoch == obj->epoch;
}

#define MEM_ALLOWED	ABAC_OP_COUNT	/* no operation refused */

/*
 * Is @op allowed to the subject on @obj?  Decided quietly (no event, and
 * the policy's answer even in audit mode): a hook decides every operation
 * so, then reports the one it refuses through mem_refuse(), so that each
 * program has a single reporting decision for the verifier to walk.
 */
static __always_inline bool mem_allows(const struct abac_image *img,
				       const struct abac_subject_ctx *sc,
				       struct abac_obj *obj, __u32 op)
{
	obj->quiet = 1;
	return !abac_check(img, sc, obj, op);
}

/*
 * Refuse @op on @obj, decided again (an AVC hit) and reported; 0 in audit
 * mode, and for MEM_ALLOWED.
 */
static __always_inline int mem_refuse(const struct abac_image *img,
				      const struct abac_subject_ctx *sc,
				      struct abac_obj *obj, __u32 op)
{
	if (op >= MEM_ALLOWED)
		return 0;
	obj->quiet = 0;
	return abac_check(img, sc, obj, op);
}

/*
 * Decide a mapping of the file of @obj with protection @prot.  Mapping a
 * file needs it open for reading, and a mapping (PROT_NONE included:
 * mprotect can open it up) is a read of it; PROT_EXEC is exec (x86 pages
 * that execute are readable too); a shared mapping of a file open for
 * writing can be made writable by mprotect, so it is a write whatever
 * @prot says now.  The kernel's own loading of a program or its
 * interpreter (an open by exec, __FMODE_EXEC) is exec only: running it
 * is what bprm_check_security decided.  Whether a mapping could be made
 * executable later is decided too, and noted for file_mprotect.
 */
static __always_inline int map_decide(const struct abac_image *img,
				      const struct abac_subject_ctx *sc,
				      struct abac_obj *obj, struct file *file,
				      unsigned long prot, bool shared)
{
	bool loader = file->f_flags & __FMODE_EXEC;
	__u32 refused = MEM_ALLOWED;
	bool exec_ok;

	if (!loader) {
		if (!mem_allows(img, sc, obj, ABAC_OP_READ))
			refused = ABAC_OP_READ;
		else if (shared && (file->f_mode & FMODE_WRITE) &&
			 !mem_allows(img, sc, obj, ABAC_OP_WRITE))
			refused = ABAC_OP_WRITE;
	}
	exec_ok = mem_allows(img, sc, obj, ABAC_OP_EXEC);
	if (refused == MEM_ALLOWED && !exec_ok &&
	    (loader || (prot & PROT_EXEC)))
		refused = ABAC_OP_EXEC;
	if (refused == MEM_ALLOWED && exec_ok)
		exec_memo_note(img, sc, obj);
	return mem_refuse(img, sc, obj, refused);
}

/**
 * hook_mmap_file() - decide a mapping of a file (mmap, and
 * remap_file_pages) as the read, write and exec it gives (map_decide()).
 */
SEC("lsm.s/mmap_file")
int BPF_PROG(hook_mmap_file, struct file *file, unsigned long reqprot,
	     unsigned long prot, unsigned long flags, int ret)
{
	struct abac_subject_ctx sc = {};
	unsigned long type = flags & MAP_TYPE;
	struct abac_olabel *own;
	struct abac_scratch *scr;
	struct abac_obj obj = {};
	struct abac_image img;
	__u64 epoch;

	if (ret)
		return ret;
	if (!file)
		return 0;	/* anonymous memory */
	if (!abac_enter(&img, &sc))
		return 0;
	scr = abac_scratch_get();
	if (!scr)
		return -ENOMEM;	/* a tagged subject: fail closed */
	epoch = abac_epoch_now();
	own = abac_label_of_file(file, scr);
	if (!own)
		return -ENOMEM;
	if (!file_obj(&obj, file, own, abac_icache(file->f_inode, 0), epoch)) {
		/* unlabelled: not decided, and may be made executable */
		obj.epoch = epoch;
		abac_obj_id(&obj, file->f_inode);
		exec_memo_note(&img, &sc, &obj);
		return 0;
	}
	return map_decide(&img, &sc, &obj, file, prot,
			  type == MAP_SHARED || type == MAP_SHARED_VALIDATE);
}

/**
 * hook_file_mprotect() - making a file mapping executable is exec.  Not
 * sleepable, and the mapping's file is a pointer 6.12 does not trust: no
 * label can be read, so the decision is the one mmap_file noted (read and
 * write were decided there already).  No valid note (the mapping was made
 * before the subject was tagged, the policy or a label changed since, or
 * the policy reads the clock): refused, fail closed.
 */
SEC("lsm/file_mprotect")
int BPF_PROG(hook_file_mprotect, struct vm_area_struct *vma,
	     unsigned long reqprot, unsigned long prot, int ret)
{
	/* not const: abac_decide_global() takes writable memory only */
	static struct abac_olabel unknown = { .state = ABAC_OL_BAD };
	struct abac_subject_ctx sc = {};
	struct abac_obj obj = {};
	struct abac_image img;
	struct file *file;

	if (ret)
		return ret;
	if (!(prot & PROT_EXEC) || (vma->vm_flags & VM_EXEC))
		return 0;	/* nothing made executable */
	file = vma->vm_file;
	if (!file)
		return 0;	/* anonymous memory */
	if (!abac_enter(&img, &sc))
		return 0;
	obj.epoch = abac_epoch_now();
	abac_obj_id(&obj, file->f_inode);
	if (exec_memo_allows(&img, &sc, &obj))
		return 0;
	obj.lab = &unknown;
	obj.nocache = 1;
	obj.dentry = file->f_path.dentry;
	return abac_check(&img, &sc, &obj, ABAC_OP_EXEC);
}

/*
 * bprm_check_security: decide exec on the program of @obj, and whether
 * the subject may also read it.  An exec-only program is noted in @scr
 * with the label that applied, for bprm_committed_creds (the process's
 * mark); and it is not exec'd under a tracer, which could read its memory
 * (PTRACE_TRACEME before exec, or a tracer attached before): refused as
 * the read it would be.  Audit mode refuses nothing, and so notes
 * nothing.
 */
static __always_inline int exec_decide(const struct abac_image *img,
				       const struct abac_subject_ctx *sc,
				       struct abac_obj *obj,
				       struct abac_scratch *scr)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 refused = MEM_ALLOWED;
	bool unreadable = false;
	int err;

	if (!mem_allows(img, sc, obj, ABAC_OP_EXEC))
		refused = ABAC_OP_EXEC;
	else if (!mem_allows(img, sc, obj, ABAC_OP_READ))
		unreadable = true;
	if (unreadable && task->ptrace)
		refused = ABAC_OP_READ;
	err = mem_refuse(img, sc, obj, refused);
	if (err || !unreadable || !hdr || hdr->mode == ABAC_MODE_AUDIT)
		return err;
	/* a label of ABAC_LABEL_PAIRS pairs is past what clang copies inline */
	if (bpf_probe_read_kernel(&scr->exec.lab, sizeof(scr->exec.lab),
				  obj->lab))
		return mem_refuse(img, sc, obj, ABAC_OP_READ);
	scr->exec.ino = obj->ino;
	scr->exec.dev = obj->dev;
	scr->exec.unreadable = 1;
	return 0;
}

/**
 * hook_bprm_committed_creds() - the exec went through: the process runs
 * the program bprm_check_security noted last (a script's interpreter
 * after the script), and carries its note as its mark, or no mark.
 * Taken here, not at bprm_check_security, so that an exec that fails
 * leaves the mark of the program still running.
 */
SEC("lsm/bprm_committed_creds")
int BPF_PROG(hook_bprm_committed_creds, struct linux_binprm *bprm)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct abac_exec_note *mark;
	struct abac_scratch *scr;

	scr = bpf_task_storage_get(&abac_scratch, task, NULL, 0);
	if (!scr || !scr->exec.unreadable) {
		bpf_task_storage_delete(&abac_exec_only, task);
		return 0;
	}
	mark = bpf_task_storage_get(&abac_exec_only, task, NULL,
				    BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (mark && bpf_probe_read_kernel(mark, sizeof(*mark), &scr->exec))
		mark->unreadable = 1;	/* fail closed: the mark stands */
	scr->exec.unreadable = 0;
	return 0;
}

/**
 * hook_task_alloc() - a process forked from one running an exec-only
 * program runs the same image: it gets the same mark.  (A new thread
 * shares its leader's, which ptrace_access_check reads.)
 */
SEC("lsm/task_alloc")
int BPF_PROG(hook_task_alloc, struct task_struct *task,
	     unsigned long clone_flags, int ret)
{
	struct task_struct *leader;
	struct abac_exec_note *mark;

	if (ret || (clone_flags & CLONE_THREAD))
		return ret;
	leader = bpf_get_current_task_btf()->group_leader;
	mark = bpf_task_storage_get(&abac_exec_only, leader, NULL, 0);
	if (mark && mark->unreadable &&
	    !bpf_task_storage_get(&abac_exec_only, task, mark,
				  BPF_LOCAL_STORAGE_GET_F_CREATE))
		return -ENOMEM;	/* never a copy without its mark */
	return 0;
}

/**
 * hook_ptrace_access_check() - attaching to a process (ptrace,
 * /proc/PID/mem, process_vm_readv/writev, pidfd_getfd) reads its memory:
 * for a process marked exec-only, decided as read on the program it runs,
 * with the label the program had at its exec, so that a tagged subject,
 * CAP_SYS_PTRACE or not, cannot read an exec-only program through the
 * process running it.  The kernel calls this under task_lock(@child):
 * only the mark is read, no file of the child's.
 */
SEC("lsm/ptrace_access_check")
int BPF_PROG(hook_ptrace_access_check, struct task_struct *child,
	     unsigned int mode, int ret)
{
	struct abac_subject_ctx sc = {};
	struct abac_exec_note *mark;
	struct abac_obj obj = {};
	struct abac_image img;

	if (ret || !(mode & PTRACE_MODE_ATTACH))
		return ret;
	mark = bpf_task_storage_get(&abac_exec_only, child->group_leader,
				    NULL, 0);
	if (!mark || !mark->unreadable)
		return 0;
	if (!abac_enter(&img, &sc))
		return 0;
	obj.lab = &mark->lab;
	obj.ino = mark->ino;
	obj.dev = mark->dev;
	obj.epoch = abac_epoch_now();
	obj.nocache = 1;
	return abac_check(&img, &sc, &obj, ABAC_OP_READ);
}

/*
 * Is current dumping core (PF_DUMPCORE: the kernel is opening the core
 * file) while its process runs an exec-only program?  Then file_open
 * refuses the core file, which would hold the program's pages.  Every
 * other open costs one flag test.
 */
static __always_inline bool exec_only_dumping(void)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct abac_exec_note *mark;
	bool hit;

	if (!(task->flags & PF_DUMPCORE))
		return false;
	bpf_rcu_read_lock();
	mark = bpf_task_storage_get(&abac_exec_only, task->group_leader, NULL,
				    0);
	hit = mark && mark->unreadable;
	bpf_rcu_read_unlock();
	return hit;
}

#endif /* _ABAC_BPF_MEMORY_H */
