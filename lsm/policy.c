// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: the image in force.
 *
 * An image arrives whole (one write to /sys/kernel/security/abac/policy),
 * is copied into kernel memory, validated there by abac_image_validate()
 * (lsm/abac_image_check.h, the checks user space runs too) and only then
 * swapped in with one RCU pointer update.  A refused image leaves the one
 * in force untouched.  Each decision takes a reference on the image it
 * starts with, so it reads exactly one image, old or new, never a mix; the
 * last reference frees the image after an RCU grace period.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "abac.h"
#include "abac_image_check.h"

static struct abac_loaded __rcu *abac_current;
static DEFINE_MUTEX(abac_policy_mutex);	/* serialises loads */
static u64 abac_loads;			/* images accepted */
static u64 abac_rejects;		/* images refused */
static char abac_last_error[160];	/* why the last refusal */
static DEFINE_SPINLOCK(abac_error_lock);

/**
 * abac_policy_get() - a reference on the image in force.
 *
 * Return: the image, or NULL when none is loaded; abac_policy_put() it.
 */
struct abac_loaded *abac_policy_get(void)
{
	struct abac_loaded *pol;

	rcu_read_lock();
	pol = rcu_dereference(abac_current);
	if (pol && !refcount_inc_not_zero(&pol->ref))
		pol = NULL;
	rcu_read_unlock();
	return pol;
}

/**
 * abac_policy_put() - drop a reference from abac_policy_get().
 * @pol: the image, or NULL.
 */
void abac_policy_put(struct abac_loaded *pol)
{
	if (pol && refcount_dec_and_test(&pol->ref))
		kvfree_rcu(pol, rcu);
}

static void abac_policy_refused(const char *msg)
{
	spin_lock(&abac_error_lock);
	strscpy(abac_last_error, msg, sizeof(abac_last_error));
	spin_unlock(&abac_error_lock);
}

/**
 * abac_policy_load() - validate an image and put it in force.
 * @buf: the image, in kernel memory.
 * @len: its length in bytes.
 * @msg: receives why the image was refused (may be NULL).
 * @msg_size: bytes at @msg.
 *
 * Return: 0; -E2BIG, -EPROTO, -EBADMSG or -EINVAL (see
 * abac_image_validate()) for a refused image, which leaves the image in
 * force as it was; -ENOMEM.
 */
int abac_policy_load(const u8 *buf, size_t len, char *msg, size_t msg_size)
{
	struct abac_loaded *pol, *old;
	char why[sizeof(abac_last_error)];
	int err;

	if (len > ABAC_IMAGE_BYTES) {
		snprintf(why, sizeof(why),
			 "image of %zu bytes exceeds the limit of %u", len,
			 ABAC_IMAGE_BYTES);
		err = -E2BIG;
		goto refused;
	}
	pol = kvmalloc(struct_size(pol, img, len), GFP_KERNEL);
	if (!pol)
		return -ENOMEM;
	memcpy(pol->img, buf, len);
	pol->len = len;
	refcount_set(&pol->ref, 1);
	err = abac_image_validate(pol->img, len, why, sizeof(why));
	if (!err && (((struct abac_image_hdr *)pol->img)->flags &
		     ABAC_HDR_F_ENV)) {
		/*
		 * No environment source here yet (operator attributes, the
		 * policy's timezone): deciding without one could let a deny
		 * rule's time window lapse.  Refuse rather than fail open.
		 */
		snprintf(why, sizeof(why),
			 "environment conditions are not supported by the native LSM");
		err = -EOPNOTSUPP;
	}
	if (err) {
		kvfree(pol);
		goto refused;
	}
	mutex_lock(&abac_policy_mutex);
	pol->seq = ++abac_loads;
	old = rcu_replace_pointer(abac_current, pol,
				  lockdep_is_held(&abac_policy_mutex));
	mutex_unlock(&abac_policy_mutex);
	abac_policy_put(old);
	return 0;

refused:
	mutex_lock(&abac_policy_mutex);
	abac_rejects++;
	mutex_unlock(&abac_policy_mutex);
	abac_policy_refused(why);
	if (msg && msg_size)
		strscpy(msg, why, msg_size);
	return err;
}

/**
 * abac_policy_last_error() - why the last refused image was refused.
 * @buf: receives the message ("" when none was refused).
 * @size: bytes at @buf.
 */
void abac_policy_last_error(char *buf, size_t size)
{
	spin_lock(&abac_error_lock);
	strscpy(buf, abac_last_error, size);
	spin_unlock(&abac_error_lock);
}

/**
 * abac_policy_loads() - images accepted since boot.
 *
 * Return: the count.
 */
u64 abac_policy_loads(void)
{
	u64 n;

	mutex_lock(&abac_policy_mutex);
	n = abac_loads;
	mutex_unlock(&abac_policy_mutex);
	return n;
}

/**
 * abac_policy_rejects() - images refused since boot.
 *
 * Return: the count.
 */
u64 abac_policy_rejects(void)
{
	u64 n;

	mutex_lock(&abac_policy_mutex);
	n = abac_rejects;
	mutex_unlock(&abac_policy_mutex);
	return n;
}
