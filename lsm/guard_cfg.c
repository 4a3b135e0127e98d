// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: whom and what the tamper guard shields.  The agent
 * writes one struct abac_guard_hdr and its struct abac_guard_ent entries
 * to /sys/kernel/security/abac/guard: the writing process becomes the
 * agent (no tagged task may signal, trace or steer it) and the entries
 * replace the inodes no tagged task may write or change (its policy and
 * state files, its event log, its binary, its control socket, the tops
 * of the system trees) and the raw character devices' dynamic majors.  The set
 * is swapped whole under RCU, like an image: a reader sees the old set or
 * the new one.
 */
#include "abac.h"

#include <linux/bsearch.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "abac_blobs.h"

/**
 * struct abac_guard_cfg_rcu - the guard's configuration in force.
 * @rcu: frees it after a grace period once replaced.
 * @agent: the agent's thread group (a reference), or NULL.
 * @n: entries in @ent.
 * @ent: the protected inodes, sorted by device then inode number.
 */
struct abac_guard_cfg_rcu {
	struct rcu_head rcu;
	struct pid *agent;
	u32 n;
	struct abac_guard_ent ent[];
};

/* The kinds an inode entry may have, or'ed. */
#define ABAC_GUARD_INODE_KINDS	(ABAC_GUARD_INODE_TREE |		\
				 ABAC_GUARD_INODE_SOCKET |		\
				 ABAC_GUARD_INODE_SYSTEM |		\
				 ABAC_GUARD_INODE_AGENT)

static struct abac_guard_cfg_rcu __rcu *abac_guard_cur;
static DEFINE_MUTEX(abac_guard_mutex);

static int abac_guard_cmp(const void *a, const void *b)
{
	const struct abac_guard_ent *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return 0;
}

/*
 * Merge the entries of one inode in a sorted array, their kinds or'ed: a
 * socket in a protected directory is both.  Returns the entries left.
 */
static u32 abac_guard_merge(struct abac_guard_ent *ent, size_t n)
{
	size_t i, out = 0;

	for (i = 0; i < n; i++) {
		if (out && !abac_guard_cmp(&ent[out - 1], &ent[i]))
			ent[out - 1].kind |= ent[i].kind;
		else
			ent[out++] = ent[i];
	}
	return out;
}

static void abac_guard_cfg_free(struct rcu_head *head)
{
	struct abac_guard_cfg_rcu *cfg;

	cfg = container_of(head, struct abac_guard_cfg_rcu, rcu);
	put_pid(cfg->agent);
	kvfree(cfg);
}

/**
 * abac_guard_set() - make the caller the agent and replace the protected
 * inodes.
 * @hdr: the head the agent wrote.
 * @ent: the entries that followed it.
 * @n: how many.
 *
 * Return: 0; -EINVAL for a bad magic, count or kind; -E2BIG over
 * ABAC_GUARD_MAX_ENTS; -ENOMEM.
 */
int abac_guard_set(const struct abac_guard_hdr *hdr,
		   const struct abac_guard_ent *ent, size_t n)
{
	struct abac_guard_cfg_rcu *cfg, *old;
	size_t i;

	if (hdr->magic != ABAC_GUARD_MAGIC || hdr->nent != n)
		return -EINVAL;
	if (n > ABAC_GUARD_MAX_ENTS)
		return -E2BIG;
	for (i = 0; i < n; i++) {
		if (ent[i].kind == ABAC_GUARD_INODE_RAW_CHAR ?
		    ent[i].ino || MINOR(ent[i].dev) :
		    !ent[i].kind || (ent[i].kind & ~ABAC_GUARD_INODE_KINDS))
			return -EINVAL;
	}
	cfg = kvmalloc(struct_size(cfg, ent, n), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	memcpy(cfg->ent, ent, n * sizeof(*ent));
	sort(cfg->ent, n, sizeof(*ent), abac_guard_cmp, NULL);
	cfg->n = abac_guard_merge(cfg->ent, n);
	cfg->agent = get_pid(task_tgid(current));
	mutex_lock(&abac_guard_mutex);
	old = rcu_replace_pointer(abac_guard_cur, cfg,
				  lockdep_is_held(&abac_guard_mutex));
	mutex_unlock(&abac_guard_mutex);
	if (old)
		call_rcu(&old->rcu, abac_guard_cfg_free);
	return 0;
}

/**
 * abac_guard_is_agent() - is @p a thread of the agent: of the process that
 * wrote the guard file, or of one that an untagged exec of the agent's
 * binary made an agent (guard_agent.c)?
 * @p: a task.
 *
 * Return: true when it is.
 */
bool abac_guard_is_agent(struct task_struct *p)
{
	const struct abac_guard_cfg_rcu *cfg;
	bool is;

	rcu_read_lock();
	cfg = rcu_dereference(abac_guard_cur);
	is = (cfg && cfg->agent && task_tgid(p) == cfg->agent) ||
	     READ_ONCE(abac_task(READ_ONCE(p->group_leader))->agent);
	rcu_read_unlock();
	return is;
}

/**
 * abac_guard_tgid_is_agent() - is the process of global pid @tgid the
 * agent's?
 * @tgid: a thread group id, as the initial pid namespace sees it.
 *
 * Return: true when it is.
 */
bool abac_guard_tgid_is_agent(pid_t tgid)
{
	struct task_struct *p;
	bool is;

	if (tgid <= 0)
		return false;
	rcu_read_lock();
	p = pid_task(find_pid_ns(tgid, &init_pid_ns), PIDTYPE_TGID);
	is = p && abac_guard_is_agent(p);
	rcu_read_unlock();
	return is;
}

/**
 * abac_guard_agent_nr() - the agent's pid, as the initial namespace sees it.
 *
 * Return: the pid, or 0 when no agent registered.
 */
pid_t abac_guard_agent_nr(void)
{
	const struct abac_guard_cfg_rcu *cfg;
	pid_t nr = 0;

	rcu_read_lock();
	cfg = rcu_dereference(abac_guard_cur);
	if (cfg)
		nr = pid_nr(cfg->agent);
	rcu_read_unlock();
	return nr;
}

/**
 * abac_guard_inodes() - how many inodes the guard protects.
 *
 * Return: the count.
 */
u32 abac_guard_inodes(void)
{
	const struct abac_guard_cfg_rcu *cfg;
	u32 n;

	rcu_read_lock();
	cfg = rcu_dereference(abac_guard_cur);
	n = cfg ? cfg->n : 0;
	rcu_read_unlock();
	return n;
}

/* The kinds of entry (@ino, @dev), or'ed; 0 for none. */
static u32 abac_guard_lookup(u64 ino, dev_t dev)
{
	const struct abac_guard_cfg_rcu *cfg;
	const struct abac_guard_ent *hit;
	struct abac_guard_ent key = {};
	u32 kind = 0;

	key.ino = ino;
	key.dev = dev;
	rcu_read_lock();
	cfg = rcu_dereference(abac_guard_cur);
	if (cfg && cfg->n) {
		hit = bsearch(&key, cfg->ent, cfg->n, sizeof(key),
			      abac_guard_cmp);
		kind = hit ? hit->kind : 0;
	}
	rcu_read_unlock();
	return kind;
}

/**
 * abac_guard_inode_kind() - is @inode one the agent owns?
 * @inode: an inode, or NULL.
 *
 * Return: the enum abac_guard_inode values it was given, or'ed; 0 when it
 * is not protected.
 */
u32 abac_guard_inode_kind(const struct inode *inode)
{
	if (!inode)
		return 0;
	return abac_guard_lookup(inode->i_ino, inode->i_sb->s_dev);
}

/**
 * abac_guard_raw_major() - did the agent name @major a raw character
 * device's?
 * @major: a character device's major.
 *
 * Return: true when it did (ABAC_GUARD_INODE_RAW_CHAR).
 */
bool abac_guard_raw_major(u32 major)
{
	return abac_guard_lookup(0, MKDEV(major, 0)) &
	       ABAC_GUARD_INODE_RAW_CHAR;
}
