// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: below and beside the file system.  The kernel's own
 * interfaces and raw devices, which a tagged subject reaches as files but
 * which are not the files the policy labels; bpf/guard_kernfs.h does the
 * same for the BPF guard.
 *
 *   - Kernel interfaces: no write to procfs outside its own processes'
 *     /proc/PID (sysctls: core_pattern, modprobe, hotplug, poweroff_cmd;
 *     /proc/sysrq-trigger ...), sysfs (uevent_helper, module parameters,
 *     drivers), securityfs, configfs, binfmt_misc (an interpreter
 *     registered runs for everyone), efivarfs, pstore, cgroup v1
 *     hierarchies (release_agent, notify_on_release), fusectl, selinuxfs,
 *     smackfs; and no open at all of debugfs and tracefs.  Each of these
 *     either makes the kernel run a program outside the cgroup (a
 *     usermode helper), or changes the kernel under every subject, or
 *     shows what the file hooks keep from the subject.
 *   - Raw devices: no open of a block device (the file systems' content
 *     below their labels), of the kernel memory views /dev/mem, /dev/kmem,
 *     /dev/port and /proc/kcore, nor of the raw SCSI and NVMe passthrough
 *     and flash character devices (sg, bsg, nvme-generic, mtd, ubi, raw).
 *     sg, mtd and raw have fixed majors; the others' majors are dynamic
 *     and the agent enters them, from /proc/devices, with the guard's
 *     inodes (ABAC_GUARD_INODE_RAW_CHAR, guard_cfg.c).
 *
 * The guard refuses these to a tagged subject whatever the policy grants:
 * a workload that must configure the kernel runs untagged.
 */
#include "abac.h"

#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/magic.h>
#include <linux/major.h>

#include "abac_blobs.h"

/* Two magic numbers their file systems keep to themselves. */
#define ABAC_CONFIGFS_MAGIC		0x62656570	/* fs/configfs/mount.c */
#define ABAC_FUSE_CTL_SUPER_MAGIC	0x65735543	/* fs/fuse/control.c */

/* A file system whose every file is a kernel interface: no writes. */
static bool abac_kernel_fs(unsigned long magic)
{
	switch (magic) {
	case SYSFS_MAGIC:
	case SECURITYFS_MAGIC:
	case DEBUGFS_MAGIC:
	case TRACEFS_MAGIC:
	case ABAC_CONFIGFS_MAGIC:
	case BINFMTFS_MAGIC:
	case EFIVARFS_MAGIC:
	case PSTOREFS_MAGIC:
	case CGROUP_SUPER_MAGIC:
	case ABAC_FUSE_CTL_SUPER_MAGIC:
	case SELINUX_MAGIC:
	case SMACK_MAGIC:
		return true;
	}
	return false;
}

/* A file system not even to be read. */
static bool abac_kernel_fs_secret(unsigned long magic)
{
	return magic == DEBUGFS_MAGIC || magic == TRACEFS_MAGIC;
}

/* Is @inode a raw device: a block device, kernel memory, passthrough? */
static bool abac_raw_device(const struct inode *inode)
{
	unsigned int major, minor;

	if (S_ISBLK(inode->i_mode))
		return true;
	if (!S_ISCHR(inode->i_mode))
		return false;
	major = MAJOR(inode->i_rdev);
	minor = MINOR(inode->i_rdev);
	if (major == MEM_MAJOR)
		return minor == 1 || minor == 2 || minor == 4;
	if (major == SCSI_GENERIC_MAJOR || major == MTD_CHAR_MAJOR ||
	    major == RAW_MAJOR)
		return true;
	return abac_guard_raw_major(major);
}

/* Is @file /proc/kcore, the kernel's memory as an ELF core? */
static bool abac_proc_is_kcore(const struct file *file)
{
	const struct dentry *dentry = file->f_path.dentry;

	return dentry->d_parent == dentry->d_sb->s_root &&
	       !strcmp(dentry->d_name.name, "kcore");
}

/**
 * abac_guard_kernel_open() - may the tagged caller open @file, as it
 * asks, if it is a kernel interface or a raw device?
 * @c: the tagged caller.
 * @file: the file being opened.
 * @write: it is opened for writing.
 *
 * Reading /proc is left to the kernel (and to ptrace_access_check for
 * what it guards), but for /proc/kcore; writing only the caller's own
 * processes' files.
 *
 * Return: 0 or -EPERM.
 */
int abac_guard_kernel_open(const struct abac_ctx *c, struct file *file,
			   bool write)
{
	const struct inode *inode = file_inode(file);
	unsigned long magic = inode->i_sb->s_magic;
	u32 op = write ? ABAC_OP_WRITE : ABAC_OP_READ;
	pid_t tgid;

	if (abac_raw_device(inode))
		return abac_guard_refuse_file(c, ABAC_GUARD_RAW_DEVICE, op,
					      file);
	if (magic == PROC_SUPER_MAGIC) {
		tgid = READ_ONCE(abac_inode(inode)->proc_tgid);
		if (tgid)
			return write ? abac_guard_proc_access(c, file, tgid,
							    op) : 0;
		if (write)
			return abac_guard_refuse_file(c,
					ABAC_GUARD_KERNEL_INTERFACE, op, file);
		if (abac_proc_is_kcore(file))
			return abac_guard_refuse_file(c, ABAC_GUARD_RAW_DEVICE,
						      op, file);
		return 0;
	}
	if (write && magic == SECURITYFS_MAGIC)	/* abac's own among them */
		return abac_guard_refuse_file(c, ABAC_GUARD_SECURITYFS,
					      ABAC_OP_ADMINISTER, file);
	if ((write && abac_kernel_fs(magic)) || abac_kernel_fs_secret(magic))
		return abac_guard_refuse_file(c, ABAC_GUARD_KERNEL_INTERFACE,
					      op, file);
	return 0;
}

/**
 * abac_guard_kernel_write() - is a write to @file, already open, one to
 * a kernel interface?
 * @file: the open file.
 *
 * Return: true when the guard refuses it to a tagged task.
 */
bool abac_guard_kernel_write(const struct file *file)
{
	const struct inode *inode = file_inode(file);
	unsigned long magic = inode->i_sb->s_magic;

	if (magic == PROC_SUPER_MAGIC)
		return !READ_ONCE(abac_inode(inode)->proc_tgid);
	return abac_kernel_fs(magic);
}
