/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Below and beside the file system: the kernel's own interfaces and raw
 * devices, which a tagged subject reaches as files but which are not the
 * files the policy labels.
 *
 *   - Kernel interfaces: no write to procfs outside its own processes'
 *     /proc/PID (sysctls: core_pattern, modprobe, hotplug, poweroff_cmd;
 *     /proc/sysrq-trigger; another subject's oom_score_adj ...), sysfs
 *     (uevent_helper, module parameters, drivers), securityfs, configfs,
 *     binfmt_misc (an interpreter registered runs for everyone), efivarfs,
 *     pstore, cgroup v1 hierarchies (release_agent, notify_on_release),
 *     fusectl, selinuxfs, smackfs; and no open at all of debugfs and
 *     tracefs (kprobe_events, trace output: kernel memory and file data).
 *     Each of these either makes the kernel run a program outside the
 *     cgroup (a usermode helper), or changes the kernel under every
 *     subject, or shows what the file hooks keep from the subject.
 *   - Raw devices: no open of a block device (the file systems' content
 *     below their labels), of the kernel memory views /dev/mem, /dev/kmem,
 *     /dev/port and /proc/kcore, nor of the raw SCSI and NVMe passthrough
 *     and flash character devices (sg, bsg, nvme-generic, mtd, ubi, raw),
 *     for reading or writing.  sg, mtd and raw have fixed majors; the
 *     others' majors are dynamic and the agent enters them from
 *     /proc/devices into abac_guard_devs.
 *
 * The guard refuses these to a tagged subject whatever the policy grants:
 * a workload that must configure the kernel runs untagged.  Included once,
 * by guard.bpf.c.
 */
#ifndef _ABAC_BPF_GUARD_KERNFS_H
#define _ABAC_BPF_GUARD_KERNFS_H

#define SYSFS_MAGIC		0x62656572
#define SECURITYFS_MAGIC	0x73636673
#define DEBUGFS_MAGIC		0x64626720
#define TRACEFS_MAGIC		0x74726163
#define CONFIGFS_MAGIC		0x62656570
#define BINFMTFS_MAGIC		0x42494e4d
#define EFIVARFS_MAGIC		0xde5e81e4
#define PSTOREFS_MAGIC		0x6165676c
#define CGROUP_SUPER_MAGIC	0x27e0eb
#define FUSE_CTL_SUPER_MAGIC	0x65735543
#define SELINUX_MAGIC		0xf97cff8c
#define SMACK_MAGIC		0x43415d53

#define S_IFCHR			0020000
#define S_IFBLK			0060000

#define MEM_MAJOR		1	/* minors: 1 mem, 2 kmem, 4 port */
#define SCSI_GENERIC_MAJOR	21
#define MTD_CHAR_MAJOR		90
#define RAW_MAJOR		162

/* A file system whose every file is a kernel interface: no writes. */
static __always_inline bool kernel_fs(unsigned long magic)
{
	switch (magic) {
	case SYSFS_MAGIC:
	case SECURITYFS_MAGIC:
	case DEBUGFS_MAGIC:
	case TRACEFS_MAGIC:
	case CONFIGFS_MAGIC:
	case BINFMTFS_MAGIC:
	case EFIVARFS_MAGIC:
	case PSTOREFS_MAGIC:
	case CGROUP_SUPER_MAGIC:
	case FUSE_CTL_SUPER_MAGIC:
	case SELINUX_MAGIC:
	case SMACK_MAGIC:
		return true;
	}
	return false;
}

/* A file system not even to be read. */
static __always_inline bool kernel_fs_secret(unsigned long magic)
{
	return magic == DEBUGFS_MAGIC || magic == TRACEFS_MAGIC;
}

/* The global pid a /proc inode stands for (0: none, a kernel file). */
static __always_inline __u32 proc_inode_pid(struct inode *inode)
{
	struct proc_inode *pi;
	struct pid *pid;

	pi = (struct proc_inode *)((unsigned long)inode -
		bpf_core_field_offset(struct proc_inode, vfs_inode));
	pid = BPF_CORE_READ(pi, pid);
	return pid ? BPF_CORE_READ(pid, numbers[0].nr) : 0;
}

/* Is the /proc inode @inode /proc/kcore, the kernel's memory as ELF? */
static __always_inline bool proc_is_kcore(struct inode *inode)
{
	struct proc_inode *pi;
	char name[8] = {};

	pi = (struct proc_inode *)((unsigned long)inode -
		bpf_core_field_offset(struct proc_inode, vfs_inode));
	if (bpf_probe_read_kernel_str(name, sizeof(name),
				      BPF_CORE_READ(pi, pde, name)) != 6)
		return false;
	return name[0] == 'k' && name[1] == 'c' && name[2] == 'o' &&
	       name[3] == 'r' && name[4] == 'e' &&
	       BPF_CORE_READ(pi, pde, parent, parent) ==
	       BPF_CORE_READ(pi, pde, parent);	/* in /proc itself */
}

/* Is @inode a raw device: a block device, kernel memory, passthrough? */
static __always_inline bool raw_device(struct inode *inode)
{
	__u32 type = inode->i_mode & S_IFMT, major, minor;

	if (type == S_IFBLK)
		return true;
	if (type != S_IFCHR)
		return false;
	major = inode->i_rdev >> 20;
	minor = inode->i_rdev & 0xfffff;
	if (major == MEM_MAJOR)
		return minor == 1 || minor == 2 || minor == 4;
	if (major == SCSI_GENERIC_MAJOR || major == MTD_CHAR_MAJOR ||
	    major == RAW_MAJOR)
		return true;
	return !!bpf_map_lookup_elem(&abac_guard_devs, &major);
}

/*
 * May the tagged caller open @file, a /proc file, as it asks?  Reading
 * is left to the kernel (and to ptrace_access_check for what it
 * guards), but for /proc/kcore; writing only its own processes' files.
 */
static __always_inline int proc_open(struct guard_ctx *g, struct file *file,
				     bool write)
{
	struct inode *inode = file->f_inode;
	struct task_struct *p;
	__u32 pid = proc_inode_pid(inode);
	bool own;

	if (!pid) {
		if (!write && !proc_is_kcore(inode))
			return 0;
		return refuse_file(g, write ? ABAC_GUARD_KERNEL_INTERFACE :
				   ABAC_GUARD_RAW_DEVICE,
				   write ? ABAC_OP_WRITE : ABAC_OP_READ, file);
	}
	if (!write)
		return 0;
	p = bpf_task_from_pid(pid);
	if (!p)
		return 0;	/* gone: the open fails by itself */
	own = own_task(g, p);
	bpf_task_release(p);
	if (own)
		return 0;
	return refuse_file(g, ABAC_GUARD_OTHER_PROCESS, ABAC_OP_WRITE, file);
}

/*
 * Kernel interfaces and raw devices at open: 0, or the refusal.  @magic
 * is the file's file system's.
 */
static __always_inline int kernel_open(struct guard_ctx *g, struct file *file,
				       unsigned long magic, bool write)
{
	if (raw_device(file->f_inode))
		return refuse_file(g, ABAC_GUARD_RAW_DEVICE,
				   write ? ABAC_OP_WRITE : ABAC_OP_READ, file);
	if (magic == PROC_SUPER_MAGIC)
		return proc_open(g, file, write);
	if ((write && kernel_fs(magic)) || kernel_fs_secret(magic))
		return refuse_file(g, ABAC_GUARD_KERNEL_INTERFACE,
				   write ? ABAC_OP_WRITE : ABAC_OP_READ, file);
	return 0;
}

/*
 * Is @file, a /proc/PID file, one whose open was the kernel's only check
 * of the opener's right to the process (abac_proc_opens_memory())?
 */
static __always_inline bool proc_opens_memory(struct file *file)
{
	char name[ABAC_PROC_NAME_LEN] = {};

	if (bpf_probe_read_kernel_str(name, sizeof(name),
				      BPF_CORE_READ(file, f_path.dentry,
						    d_name.name)) <= 0)
		return false;
	return abac_proc_opens_memory(name);
}

/*
 * A read or write, through a descriptor already open (before its holder
 * was tagged, or passed in), of /proc/@pid/...: a write only to the
 * caller's own processes' files, and so a read of the files
 * proc_opens_memory() names; the caller checked the latter.  0 or the
 * refusal.
 */
static __always_inline int proc_permission(struct guard_ctx *g,
					   struct file *file, __u32 pid,
					   bool write)
{
	__u32 op = write ? ABAC_OP_WRITE : ABAC_OP_READ;
	struct task_struct *p;
	bool own;

	if (pid == guard_agent_tgid())
		return refuse_file(g, ABAC_GUARD_AGENT_PROC,
				   ABAC_OP_ADMINISTER, file);
	p = bpf_task_from_pid(pid);
	if (!p)
		return 0;	/* gone: the access fails by itself */
	own = own_task(g, p);
	bpf_task_release(p);
	if (own)
		return 0;
	return refuse_file(g, ABAC_GUARD_OTHER_PROCESS, op, file);
}

/* Is a write to @inode, already open, one to a kernel interface? */
static __always_inline bool kernel_write(struct inode *inode,
					 unsigned long magic)
{
	if (magic == PROC_SUPER_MAGIC)
		return !proc_inode_pid(inode);
	return kernel_fs(magic);
}

#endif /* _ABAC_BPF_GUARD_KERNFS_H */
