// SPDX-License-Identifier: GPL-2.0-only
/*
 * Put images into the native abac LSM and read them and its denial
 * records back, through /sys/kernel/security/abac.  The kernel validates
 * every image with the checks abac_image_check() runs here and keeps the
 * image in force when it refuses one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "native.h"

/**
 * abac_native_present() - is the native abac LSM running?
 *
 * Return: true when its policy file exists.
 */
bool abac_native_present(void)
{
	return access(ABAC_NATIVE_POLICY, F_OK) == 0;
}

/**
 * abac_lsm_active() - is LSM @name in the kernel's active list?
 * @name: an LSM name, "bpf" or "abac".
 *
 * Return: true when /sys/kernel/security/lsm names it.
 */
bool abac_lsm_active(const char *name)
{
	char buf[512], *tok, *save = NULL;
	ssize_t n;
	int fd;

	fd = open(ABAC_LSM_LIST, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (tok = strtok_r(buf, ",\n", &save); tok;
	     tok = strtok_r(NULL, ",\n", &save))
		if (!strcmp(tok, name))
			return true;
	return false;
}

/**
 * abac_native_set_image() - put an image in force in the native LSM.
 * @img: the image.
 * @len: its length in bytes.
 *
 * The image goes in one write(2), as the kernel requires.
 *
 * Return: 0; the kernel's refusal (-EINVAL, -E2BIG, -EPROTO, -EBADMSG,
 * -EPERM), with the image in force unchanged; -EIO for a short write;
 * -ENOENT when the native LSM is not running.
 */
int abac_native_set_image(const void *img, size_t len)
{
	ssize_t n;
	int fd, err = 0;

	fd = open(ABAC_NATIVE_POLICY, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, img, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

/**
 * abac_native_get_image() - read the native LSM's image in force.
 * @img: receives a malloc()ed copy.
 * @len: receives its length.
 *
 * Return: 0; -ENOENT when no image is in force (or no native LSM);
 * another negative errno.
 */
int abac_native_get_image(void **img, size_t *len)
{
	size_t cap = ABAC_CHUNK_BYTES, got = 0;
	__u8 *buf, *grown;
	ssize_t n;
	int fd, err = 0;

	*img = NULL;
	*len = 0;
	fd = open(ABAC_NATIVE_POLICY, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		if (got == cap) {	/* grow by doubling, up to the limit */
			if (cap >= ABAC_IMAGE_BYTES)
				break;
			grown = realloc(buf, cap * 2);
			if (!grown) {
				err = -ENOMEM;
				break;
			}
			buf = grown;
			cap *= 2;
		}
		n = read(fd, buf + got, cap - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (!n)
			break;
		got += n;
	}
	close(fd);
	if (!err && !got)
		err = -ENOENT;
	if (err) {
		free(buf);
		return err;
	}
	*img = buf;
	*len = got;
	return 0;
}

/**
 * abac_native_events_open() - open the native LSM's denial records.
 *
 * Return: a non-blocking descriptor to poll, read and acknowledge
 * (abac_native_events_ack()) on, or a negative errno.
 */
int abac_native_events_open(void)
{
	int fd = open(ABAC_NATIVE_EVENTS, O_RDWR | O_NONBLOCK | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/**
 * abac_native_events_read() - copy the oldest waiting denial records.
 * @fd: from abac_native_events_open().
 * @ev: receives up to @max records.
 * @max: room at @ev.
 *
 * The records stay in the kernel until abac_native_events_ack() takes
 * them: a reader killed before it kept them reads them again.
 *
 * Return: records read (0 when none waits), or a negative errno.
 */
int abac_native_events_read(int fd, struct abac_event *ev, size_t max)
{
	ssize_t n;

	do {
		n = read(fd, ev, max * sizeof(*ev));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN ? 0 : -errno;
	return (int)(n / (ssize_t)sizeof(*ev));
}

/**
 * abac_native_events_ack() - take the @n oldest records, which the caller
 * has kept (written to its log).
 * @fd: from abac_native_events_open().
 * @n: how many it read and kept.
 *
 * Return: 0 or a negative errno.
 */
int abac_native_events_ack(int fd, unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);
	ssize_t w;

	do {
		w = write(fd, buf, (size_t)len);
	} while (w < 0 && errno == EINTR);
	return w < 0 ? -errno : 0;
}

/* Write @len bytes of @buf to @path in one write(2), as the kernel wants. */
static int write_whole(const char *path, const void *buf, size_t len)
{
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

/* Read all of @path into a malloc()ed buffer of at most @max bytes. */
static int read_whole(const char *path, size_t max, void **out, size_t *len)
{
	size_t got = 0;
	ssize_t n;
	char *buf;
	int fd, err = 0;

	*out = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(max + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (got < max) {
		n = read(fd, buf + got, max - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : 0;
			break;
		}
		got += n;
	}
	close(fd);
	if (err) {
		free(buf);
		return err;
	}
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
}

/**
 * abac_native_set_env() - put an environment in force in the native LSM.
 * @st: the environment, as the BPF programs' env map holds it.
 *
 * Return: 0 or a negative errno.
 */
int abac_native_set_env(const struct abac_env_state *st)
{
	return write_whole(ABAC_NATIVE_ENV, st, sizeof(*st));
}

/**
 * abac_native_set_event_cfg() - how the native LSM folds denial records:
 * the policy's "events" settings.
 * @cfg: the settings; all zero for the defaults.
 *
 * Return: 0 or a negative errno.
 */
int abac_native_set_event_cfg(const struct abac_event_cfg *cfg)
{
	return write_whole(ABAC_NATIVE_EVENT_CFG, cfg, sizeof(*cfg));
}

/**
 * abac_native_lost_take() - whose records the native LSM's event ring had
 *	no room for, per (cgroup, rule, op); the kernel clears them.
 * @recs: receives the counts.
 * @max: room at @recs; at least ABAC_NATIVE_LOST_KEYS.
 *
 * Return: counts read, or a negative errno.
 */
int abac_native_lost_take(struct abac_lost_rec *recs, size_t max)
{
	ssize_t n;
	int fd;

	if (max < ABAC_NATIVE_LOST_KEYS)
		return -EINVAL;
	fd = open(ABAC_NATIVE_LOST, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		n = read(fd, recs, max * sizeof(*recs));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		n = -errno;
	close(fd);
	return n < 0 ? (int)n : (int)(n / (ssize_t)sizeof(*recs));
}

/**
 * abac_native_get_env() - the native LSM's environment in force.
 * @st: receives it (all zero when none was set).
 *
 * Return: 0 or a negative errno.
 */
int abac_native_get_env(struct abac_env_state *st)
{
	size_t len;
	void *buf;
	int err;

	err = read_whole(ABAC_NATIVE_ENV, sizeof(*st), &buf, &len);
	if (err)
		return err;
	if (len != sizeof(*st)) {
		free(buf);
		return -EIO;
	}
	memcpy(st, buf, sizeof(*st));
	st->text[sizeof(st->text) - 1] = '\0';
	free(buf);
	return 0;
}

/**
 * abac_native_guard_set() - make the caller the agent the native guard
 * shields, and tell it the inodes to protect.
 * @ent: the inodes.
 * @n: how many.
 *
 * Return: 0 or a negative errno.
 */
int abac_native_guard_set(const struct abac_guard_ent *ent, size_t n)
{
	struct abac_guard_hdr *hdr;
	size_t len = sizeof(*hdr) + n * sizeof(*ent);
	int err;

	hdr = malloc(len);
	if (!hdr)
		return -ENOMEM;
	hdr->magic = ABAC_GUARD_MAGIC;
	hdr->nent = (__u32)n;
	if (n)
		memcpy(hdr + 1, ent, n * sizeof(*ent));
	err = write_whole(ABAC_NATIVE_GUARD, hdr, len);
	free(hdr);
	return err;
}

/**
 * abac_native_state_save() - keep the agent's state in the kernel, where
 * it outlives the agent (and its state directory).
 * @blob: the state.
 * @len: its bytes.
 *
 * Return: 0 or a negative errno (-E2BIG over the kernel's limit).
 */
int abac_native_state_save(const void *blob, size_t len)
{
	return write_whole(ABAC_NATIVE_STATE, blob, len);
}

/**
 * abac_native_state_load() - the state abac_native_state_save() kept.
 * @blob: receives a malloc()ed copy.
 * @len: receives its bytes.
 *
 * Return: 0; -ENOENT when none is kept; another negative errno.
 */
int abac_native_state_load(void **blob, size_t *len)
{
	int err = read_whole(ABAC_NATIVE_STATE, 4U << 20, blob, len);

	if (!err && !*len) {
		free(*blob);
		*blob = NULL;
		err = -ENOENT;
	}
	return err;
}

/* "key: value" of the status text @text as a number, or 0. */
static __u64 status_num(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == ':')
			return strtoull(p + klen + 1, NULL, 0);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

/**
 * abac_native_status() - read the native LSM's status file.
 * @st: receives its counters and what it decides.
 *
 * Return: 0 or a negative errno (-ENOENT: no native LSM).
 */
int abac_native_status(struct abac_native_status *st)
{
	size_t len;
	void *buf;
	int err;

	memset(st, 0, sizeof(*st));
	err = read_whole(ABAC_NATIVE_STATUS, 1U << 16, &buf, &len);
	if (err)
		return err;
	st->cnt.decisions = status_num(buf, "decisions");
	st->cnt.denied = status_num(buf, "denied");
	st->cnt.audited = status_num(buf, "audited");
	st->cnt.events_lost = status_num(buf, "events_lost");
	st->cnt.bad_labels = status_num(buf, "bad_labels");
	st->cnt.guarded = status_num(buf, "guarded");
	st->cnt.folded = status_num(buf, "folded");
	st->ops = (__u32)status_num(buf, "ops_mask");
	st->agent = (__u32)status_num(buf, "agent");
	st->protected_inodes = status_num(buf, "protected_inodes");
	st->loads = status_num(buf, "loads");
	st->rejects = status_num(buf, "rejects");
	free(buf);
	return 0;
}

/**
 * abac_native_rule_hits() - the decisions each rule of the native LSM's
 * image in force took since it was loaded.
 * @generation: receives the generation of that image (compare it with
 *	the image read beside: another one may have come in between).
 * @hits: receives @n counts, one per rule index; 0 for a rule the file
 *	does not list.
 * @n: the image's rule count.
 *
 * Return: 0; -ENOENT without the native LSM or an image in force;
 * -EBADMSG when the file does not read as "generation G" then
 * "INDEX HITS" lines; another negative errno.
 */
int abac_native_rule_hits(__u32 *generation, __u64 *hits, __u32 n)
{
	unsigned long long idx, cnt;
	unsigned int gen;
	char *line, *save = NULL;
	size_t len;
	void *buf;
	int err;

	memset(hits, 0, n * sizeof(*hits));
	err = read_whole(ABAC_NATIVE_RULE_HITS, 32U << 20, &buf, &len);
	if (err)
		return err;
	line = strtok_r(buf, "\n", &save);
	if (!line) {
		free(buf);
		return -ENOENT;	/* no image in force */
	}
	if (sscanf(line, "generation %u", &gen) != 1) {
		free(buf);
		return -EBADMSG;
	}
	*generation = gen;
	while ((line = strtok_r(NULL, "\n", &save))) {
		if (sscanf(line, "%llu %llu", &idx, &cnt) != 2) {
			err = -EBADMSG;
			break;
		}
		if (idx < n)
			hits[idx] = cnt;
	}
	free(buf);
	return err;
}
