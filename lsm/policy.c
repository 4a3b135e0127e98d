// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac native LSM: the image in force and the environment it decides in.
 *
 * An image arrives whole (one write to /sys/kernel/security/abac/policy),
 * is copied into kernel memory, validated there by abac_image_validate()
 * (lsm/abac_image_check.h, the checks user space runs too) and only then
 * swapped in with one RCU pointer update.  A refused image leaves the one
 * in force untouched.  Each decision takes a reference on the image it
 * starts with, so it reads exactly one image, old or new, never a mix; the
 * last reference frees the image after an RCU grace period.
 *
 * The environment (struct abac_env_state, written to .../env by the
 * agent, the value the BPF programs read from their env map) is swapped
 * the same way.  Its operator attributes count only for the image whose
 * content hash it names; the time of day comes from the kernel's own
 * CLOCK_TAI plus the agent's offset for the policy's timezone.
 */
#include "abac.h"

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "abac_image_check.h"

struct abac_loaded __rcu *abac_current;	/* abac_ctx_get() reads it inline */
static DEFINE_MUTEX(abac_policy_mutex);	/* serialises loads */
static u64 abac_loads;			/* images accepted */
static u64 abac_rejects;		/* images refused */
static char abac_last_error[160];	/* why the last refusal */
static DEFINE_SPINLOCK(abac_error_lock);

/**
 * struct abac_env_loaded - the environment in force.
 * @rcu: frees it after a grace period once replaced.
 * @st: what the agent wrote.
 */
struct abac_env_loaded {
	struct rcu_head rcu;
	struct abac_env_state st;
};

static struct abac_env_loaded __rcu *abac_env_cur;
static DEFINE_MUTEX(abac_env_mutex);

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

/* Copy and validate an image; NULL with @err and @why set when refused. */
static struct abac_loaded *abac_policy_new(const u8 *buf, size_t len,
					   char *why, size_t why_size,
					   int *err)
{
	const struct abac_image_hdr *hdr = (const void *)buf;
	struct abac_loaded *pol;
	size_t at = ALIGN(len, 8);
	u32 nhits = 0;

	if (len > ABAC_IMAGE_BYTES) {
		snprintf(why, why_size,
			 "image of %zu bytes exceeds the limit of %u", len,
			 ABAC_IMAGE_BYTES);
		*err = -E2BIG;
		return NULL;
	}
	/*
	 * One decision counter per rule after the image, in the same
	 * allocation: freed with it, and a new image counts from 0.  The
	 * header is validated below; the count only sizes the counters.
	 */
	if (len >= sizeof(*hdr))
		nhits = min_t(u32, READ_ONCE(hdr->nrules), ABAC_MAX_RULES);
	pol = kvzalloc(struct_size(pol, img, at) + nhits * sizeof(atomic64_t),
		       GFP_KERNEL);
	if (!pol) {
		snprintf(why, why_size, "no memory for an image of %zu bytes",
			 len);
		*err = -ENOMEM;
		return NULL;
	}
	memcpy(pol->img, buf, len);
	pol->len = len;
	pol->hits = (atomic64_t *)(pol->img + at);
	pol->nhits = nhits;
	refcount_set(&pol->ref, 1);
	*err = abac_image_validate(pol->img, len, why, why_size);
	if (*err) {
		kvfree(pol);
		return NULL;
	}
	return pol;
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

	pol = abac_policy_new(buf, len, why, sizeof(why), &err);
	if (!pol) {
		mutex_lock(&abac_policy_mutex);
		abac_rejects++;
		mutex_unlock(&abac_policy_mutex);
		abac_policy_refused(why);
		abac_audit_policy(NULL, err, why);
		if (msg && msg_size)
			strscpy(msg, why, msg_size);
		return err;
	}
	mutex_lock(&abac_policy_mutex);
	pol->seq = ++abac_loads;
	old = rcu_replace_pointer(abac_current, pol,
				  lockdep_is_held(&abac_policy_mutex));
	mutex_unlock(&abac_policy_mutex);
	abac_audit_policy(pol, 0, NULL);
	abac_policy_put(old);
	return 0;
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

/**
 * abac_env_set() - put a new environment in force.
 * @st: what the agent wrote; its text must be NUL-terminated.
 *
 * Return: 0; -EINVAL for a text without its NUL; -ENOMEM.
 */
int abac_env_set(const struct abac_env_state *st)
{
	struct abac_env_loaded *env, *old;

	if (!memchr(st->text, '\0', sizeof(st->text)))
		return -EINVAL;
	env = kmalloc(sizeof(*env), GFP_KERNEL);
	if (!env)
		return -ENOMEM;
	env->st = *st;
	mutex_lock(&abac_env_mutex);
	old = rcu_replace_pointer(abac_env_cur, env,
				  lockdep_is_held(&abac_env_mutex));
	mutex_unlock(&abac_env_mutex);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

/**
 * abac_env_get() - the environment in force.
 * @st: receives it (all zero when none was set).
 */
void abac_env_get(struct abac_env_state *st)
{
	const struct abac_env_loaded *env;

	rcu_read_lock();
	env = rcu_dereference(abac_env_cur);
	if (env)
		*st = env->st;
	else
		memset(st, 0, sizeof(*st));
	rcu_read_unlock();
}

#define ABAC_SEC_PER_DAY	86400

/**
 * abac_env_fill() - the environment of a decision under @pol.
 * @pol: the image deciding.
 * @env: receives the operator attributes set for this very image (else
 *	none: conditions on them are indeterminate) and the local minute
 *	and weekday, from CLOCK_TAI and the agent's timezone offset, as the
 *	BPF programs compute them (bpf/common.h).
 *
 * Return: the generation of the operator's environment read (0: none
 * set), which the event of the decision names.
 */
u32 abac_env_fill(const struct abac_loaded *pol, struct abac_env *env)
{
	const struct abac_image_hdr *hdr = abac_loaded_hdr(pol);
	const struct abac_env_loaded *cur;
	s64 t = div_s64(ktime_get_clocktai_ns(), NSEC_PER_SEC);
	u32 rem, wday, gen = 0;
	u64 days;

	memset(&env->a, 0, sizeof(env->a));
	rcu_read_lock();
	cur = rcu_dereference(abac_env_cur);
	if (cur) {
		gen = cur->st.generation;
		t += cur->st.tz_offset_sec;
		if (cur->st.content_hash == hdr->content_hash)
			env->a = cur->st.a;
	}
	rcu_read_unlock();
	if (t < 0)
		t = 0;
	days = div_u64_rem((u64)t, ABAC_SEC_PER_DAY, &rem);
	env->minute = rem / 60;
	div_u64_rem(days + 4, 7, &wday);	/* 1970-01-01 was a Thursday */
	env->wday = wday;
	return gen;
}
