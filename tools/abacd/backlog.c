// SPDX-License-Identifier: GPL-2.0-only
/*
 * The event backlog: when the ring buffer fills faster than abacd turns
 * records into lines, the records are copied, as they are, to a file in
 * the state directory (one write() a pass, before the ring lets them go)
 * and formatted from there once the ring is quiet.  Copying a record
 * costs a small part of formatting it, so a burst larger than the ring
 * is kept whole instead of being counted as lost; the file, not memory,
 * holds the queue, and it is bounded (ABACD_BACKLOG_MAX).  A kill loses
 * nothing: what is in the file is formatted at the next start, before
 * anything newer.
 *
 * The file is a header (struct backlog_hdr) and records of
 * sizeof(struct abac_event) bytes.  The header's @done is the offset of
 * the first record not yet in the log; it is written after the lines of
 * each batch are, so a kill between the two logs at most one batch
 * again, and loses none.  Once every record is in the log the file is
 * cut back to its header.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abacd.h"

#define BACKLOG_FILE	"events.backlog"
#define BACKLOG_MAGIC	0x6b6c6261636162ULL	/* "abacabk" */
#define BACKLOG_VERSION	2

/**
 * struct backlog_hdr - the first bytes of the backlog file.
 * @magic: BACKLOG_MAGIC.
 * @version: BACKLOG_VERSION.
 * @rec_size: sizeof(struct abac_event) when it was written.
 * @abi: ABAC_ABI_VERSION of the abacd that wrote it: a record of another
 *	layout of the same size is not read as this one's.
 * @pad: 0.
 * @done: offset of the first record not yet logged.
 */
struct backlog_hdr {
	__u64 magic;
	__u32 version;
	__u32 rec_size;
	__u32 abi;
	__u32 pad;
	__u64 done;
};

static int write_hdr(struct abacd *d)
{
	struct backlog_hdr h = {
		.magic = BACKLOG_MAGIC,
		.version = BACKLOG_VERSION,
		.rec_size = sizeof(struct abac_event),
		.abi = ABAC_ABI_VERSION,
		.done = d->backlog_done,
	};

	if (pwrite(d->backlog_fd, &h, sizeof(h), 0) != sizeof(h))
		return errno ? -errno : -EIO;
	return 0;
}

/* Start afresh: the header alone. */
static int reset(struct abacd *d)
{
	d->backlog_done = sizeof(struct backlog_hdr);
	d->backlog_end = sizeof(struct backlog_hdr);
	if (ftruncate(d->backlog_fd, 0))
		return -errno;
	return write_hdr(d);
}

/**
 * backlog_open() - open the backlog, with what a previous run left in it.
 * @d: the agent, its state directory made.
 *
 * A file that is not a backlog of this build's records is set aside as
 * events.backlog.bad (reported) rather than trusted.
 *
 * Return: 0, or a negative errno (reported); abacd then runs without a
 * backlog, as before it had one.
 */
int backlog_open(struct abacd *d)
{
	char path[PATH_MAX], bad[PATH_MAX + 8];
	struct backlog_hdr h;
	struct stat st;
	ssize_t n;
	int err;

	state_path(d, BACKLOG_FILE, path, sizeof(path));
	d->backlog_fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
			     0600);
	if (d->backlog_fd < 0) {
		err = -errno;
		say("warning: no event backlog %s: %s; a burst larger than the ring buffer is counted as lost",
		    path, strerror(-err));
		return err;
	}
	if (fstat(d->backlog_fd, &st)) {
		err = -errno;
		goto fail;
	}
	n = pread(d->backlog_fd, &h, sizeof(h), 0);
	if (n == 0 || st.st_size == 0)
		return reset(d);
	if (n != sizeof(h) || h.magic != BACKLOG_MAGIC ||
	    h.version != BACKLOG_VERSION ||
	    h.rec_size != sizeof(struct abac_event) ||
	    h.abi != ABAC_ABI_VERSION ||
	    h.done < sizeof(h) || h.done > (__u64)st.st_size ||
	    (h.done - sizeof(h)) % sizeof(struct abac_event)) {
		snprintf(bad, sizeof(bad), "%s.bad", path);
		say("warning: %s is not an event backlog this abacd reads; kept as %s",
		    path, bad);
		if (rename(path, bad)) {
			err = -errno;
			goto fail;
		}
		close(d->backlog_fd);
		d->backlog_fd = open(path, O_RDWR | O_CREAT | O_EXCL |
				     O_NOFOLLOW | O_CLOEXEC, 0600);
		if (d->backlog_fd < 0) {
			err = -errno;
			say("warning: cannot use event backlog %s: %s", path,
			    strerror(-err));
			return err;
		}
		return reset(d);
	}
	d->backlog_done = h.done;
	/* a record cut short by a kill in its write() was never let go */
	d->backlog_end = h.done + (st.st_size - h.done) /
			 sizeof(struct abac_event) * sizeof(struct abac_event);
	if (backlog_pending(d))
		say("%llu event%s left in the backlog by the last run: logging them first",
		    (unsigned long long)backlog_pending(d),
		    backlog_pending(d) == 1 ? "" : "s");
	return 0;
fail:
	say("warning: cannot use event backlog %s: %s", path, strerror(-err));
	close(d->backlog_fd);
	d->backlog_fd = -1;
	return err;
}

/**
 * backlog_close() - close the backlog; what it holds stays for next time.
 * @d: the agent.
 */
void backlog_close(struct abacd *d)
{
	if (d->backlog_fd >= 0)
		close(d->backlog_fd);
	d->backlog_fd = -1;
}

/**
 * backlog_pending() - records in the backlog not yet logged.
 * @d: the agent.
 *
 * Return: their number; 0 without a backlog.
 */
__u64 backlog_pending(const struct abacd *d)
{
	if (d->backlog_fd < 0)
		return 0;
	return (d->backlog_end - d->backlog_done) / sizeof(struct abac_event);
}

/**
 * backlog_room() - records the backlog can take.
 * @d: the agent.
 *
 * Return: their number; 0 without a backlog or when it is full.
 */
__u64 backlog_room(const struct abacd *d)
{
	if (d->backlog_fd < 0 || d->backlog_end >= ABACD_BACKLOG_MAX)
		return 0;
	return (ABACD_BACKLOG_MAX - d->backlog_end) / sizeof(struct abac_event);
}

/**
 * backlog_append() - add records to the backlog, with one write().
 * @d: the agent.
 * @recs: @n records, whole, each sizeof(struct abac_event) bytes.
 * @n: how many; at most backlog_room().
 *
 * Return: 0, or a negative errno: then none of them is in the backlog
 * (a short write is cut off again) and the caller must not let them go.
 */
int backlog_append(struct abacd *d, const void *recs, size_t n)
{
	size_t len = n * sizeof(struct abac_event);
	ssize_t w;

	if (!n)
		return 0;
	if (n > backlog_room(d))
		return -ENOSPC;
	w = pwrite(d->backlog_fd, recs, len, d->backlog_end);
	if (w != (ssize_t)len) {
		int err = w < 0 ? -errno : -ENOSPC;

		if (ftruncate(d->backlog_fd, d->backlog_end))
			say("warning: cannot cut the event backlog back: %s",
			    strerror(errno));
		return err;
	}
	d->backlog_end += len;
	return 0;
}

/**
 * backlog_take() - read the oldest records not yet logged.
 * @d: the agent.
 * @ev: receives up to @max records.
 * @max: room at @ev.
 *
 * Return: records read (0: none pending), or a negative errno.
 */
int backlog_take(struct abacd *d, struct abac_event *ev, unsigned int max)
{
	__u64 n = backlog_pending(d);
	ssize_t r;

	if (n > max)
		n = max;
	if (!n)
		return 0;
	r = pread(d->backlog_fd, ev, n * sizeof(*ev), d->backlog_done);
	if (r < 0)
		return -errno;
	if ((size_t)r != n * sizeof(*ev))
		return -EIO;	/* cut short under us: not to be trusted */
	return (int)n;
}

/**
 * backlog_ack() - the oldest @n records are in the log now.
 * @d: the agent.
 * @n: how many (as backlog_take() gave).
 *
 * Return: 0, or a negative errno: the header could not be written, and
 * the next start logs those records again.
 */
int backlog_ack(struct abacd *d, unsigned int n)
{
	d->backlog_done += (__u64)n * sizeof(struct abac_event);
	if (d->backlog_done >= d->backlog_end)
		return reset(d);
	return write_hdr(d);
}
