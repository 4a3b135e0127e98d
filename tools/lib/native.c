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
	size_t cap = ABAC_IMAGE_BYTES, got = 0;
	ssize_t n;
	__u8 *buf;
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
	while (got < cap) {
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
 * Return: a non-blocking descriptor to poll and read, or a negative errno.
 */
int abac_native_events_open(void)
{
	int fd = open(ABAC_NATIVE_EVENTS, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/**
 * abac_native_events_read() - take waiting denial records.
 * @fd: from abac_native_events_open().
 * @ev: receives up to @max records.
 * @max: room at @ev.
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
