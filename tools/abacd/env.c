// SPDX-License-Identifier: GPL-2.0-only
/*
 * The environment the kernel decides with (struct abac_env_state, in the
 * BPF programs' pinned "env" map and in the native LSM's securityfs file
 * "env"): the operator-set environment attributes, resolved
 * against the policy in force and tied to its image by content hash, and
 * the offset from CLOCK_TAI to local time in the policy's timezone.  The
 * kernel reads the clock itself (CLOCK_TAI); the agent
 * only keeps the offset current, at every new image and every minute, so
 * that a daylight-saving change or a leap second is followed within a
 * minute.
 *
 * The operator's pairs are kept as text in the state directory (file
 * "env"), written whole to a temporary and renamed over the old one, so
 * that an agent restart, or a crash at any point, finds the last
 * environment that was set and resolves it against the policy again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "abacd.h"

/* Seconds from UTC to local time in @tz at @t. */
static long utc_offset(const char *tz, time_t t)
{
	char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
	struct tm tm;
	long off = 0;

	setenv("TZ", tz && *tz ? tz : "UTC", 1);
	tzset();
	if (localtime_r(&t, &tm))
		off = tm.tm_gmtoff;
	if (old) {
		setenv("TZ", old, 1);
		free(old);
	} else {
		unsetenv("TZ");
	}
	tzset();
	return off;
}

/* CLOCK_TAI - CLOCK_REALTIME, in whole seconds (0 when not set). */
static long tai_minus_utc(void)
{
	struct timespec tai, utc;

	if (clock_gettime(CLOCK_TAI, &tai) || clock_gettime(CLOCK_REALTIME, &utc))
		return 0;
	return (long)(tai.tv_sec - utc.tv_sec +
		      (tai.tv_nsec - utc.tv_nsec + 500000000L) / 1000000000L);
}

/**
 * env_refresh() - write the environment for the image in force.
 * @d: the agent.
 *
 * Return: 0, or a negative errno.
 */
int env_refresh(struct abacd *d)
{
	const struct abac_image_hdr *h = d->cur.buf ? d->cur.buf : NULL;
	struct abac_env_state st;
	int err;

	memset(&st, 0, sizeof(st));
	if (h) {
		st.a = d->env;
		st.content_hash = h->content_hash;
		snprintf(st.text, sizeof(st.text), "%s", d->env_text);
	}
	st.tz_offset_sec = utc_offset(d->policy ? d->policy->timezone : "UTC",
				      time(NULL)) - tai_minus_utc();
	st.generation = ++d->env_generation;
	err = backend_set_env(d, &st);
	if (err)
		say("failed to write the environment: %s", strerror(-err));
	d->env_refreshed_ms = now_ms();
	return err;
}

#define STATE_ENV	"env"

/**
 * env_save() - store the operator's pairs for the next start.
 * @d: the agent.
 *
 * Return: 0, or a negative errno (the pairs are in force regardless).
 */
int env_save(const struct abacd *d)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	size_t len = strlen(d->env_text);
	int fd, err = 0;

	state_path(d, STATE_ENV, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, d->env_text, len) != (ssize_t)len ||
	    write(fd, "\n", 1) != 1 || fsync(fd))
		err = errno ? -errno : -EIO;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err) {
		unlink(tmp);
		say("failed to store the environment: %s", strerror(-err));
	}
	return err;
}

/*
 * No state file (a new or a lost state directory): take the pairs from
 * the kernel's env map, which outlives the agent with the pins.
 */
static void env_recover(struct abacd *d)
{
	struct abac_env_state st;

	if (backend_get_env(d, &st) || !st.text[0])
		return;
	snprintf(d->env_text, sizeof(d->env_text), "%s", st.text);
	say("environment recovered from the kernel: %s", d->env_text);
	env_save(d);
}

/**
 * env_load() - read the pairs stored by env_save(), before the policy is
 * brought in force (which resolves them).
 * @d: the agent.
 */
void env_load(struct abacd *d)
{
	char path[PATH_MAX];
	FILE *f;

	state_path(d, STATE_ENV, path, sizeof(path));
	d->env_text[0] = '\0';
	f = fopen(path, "re");
	if (!f) {
		env_recover(d);
		return;
	}
	if (fgets(d->env_text, sizeof(d->env_text), f))
		d->env_text[strcspn(d->env_text, "\n")] = '\0';
	fclose(f);
	if (d->env_text[0])
		say("environment restored: %s", d->env_text);
}

/**
 * env_set() - set the operator's environment attributes.
 * @d: the agent.
 * @text: "k=v k=v" (empty: none).
 * @diags: receives what is wrong with @text.
 *
 * The pairs are resolved against the policy in force; on success they
 * replace the previous ones and reach the programs at once.  A later
 * policy resolves them again (abac env set must then be repeated when
 * they no longer fit it).
 *
 * Return: 0, -EINVAL for pairs the policy does not declare, -ENOENT
 * without a policy.
 */
int env_set(struct abacd *d, const char *text, struct abac_diags *diags)
{
	struct abac_attrs a;
	int err;

	if (!d->policy) {
		abac_diag_add(diags, false, "<env>", 0, 0,
			      "no policy in force: nothing declares environment attributes");
		return -ENOENT;
	}
	memset(&a, 0, sizeof(a));
	if (*text) {
		err = abac_attrs_resolve(d->policy, ABAC_SIDE_ENV, "<env>",
					 text, &a, diags);
		if (err)
			return err;
	}
	d->env = a;
	snprintf(d->env_text, sizeof(d->env_text), "%s", text);
	env_save(d);
	return env_refresh(d);
}

/* Called from the event loop: refresh once a minute. */
void env_tick(struct abacd *d)
{
	if (now_ms() - d->env_refreshed_ms >= ABACD_ENV_REFRESH_MS)
		env_refresh(d);
}
