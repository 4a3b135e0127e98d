// SPDX-License-Identifier: GPL-2.0-only
/*
 * Decision events: drained from the pinned ring buffer, turned into one
 * JSON line each (the rule's id and sentence, the cgroup's path and tags
 * filled in from what the agent knows), appended to the event log and
 * sent to subscribers.
 *
 * The ring buffer's consumer position lives in the map, so events the
 * kernel wrote while abacd was down are read on start, in order.  abacd
 * reads the ring through its own mapping rather than libbpf's reader:
 * libbpf moves the consumer past each record as soon as its callback
 * returns, which forced one write() per event to keep a kill from losing
 * one.  Here a whole batch of lines goes to the log in one write(), and
 * only then does the consumer move past the batch: a kill loses nothing
 * (it may log a batch twice).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>

#include "abacd.h"
#include "native.h"
#include "json.h"

/* Events handled per wake-up, so that a flood cannot starve clients. */
#define EVENT_BATCH	512
#define EVENT_SPOOL	2048	/* records a pass moves to the backlog */
/*
 * Backlog records a pass logs while the kernel still writes fast: few,
 * so that the ring is drained first, but some, so that a tamper alert
 * is not held back until a flood ends.
 */
#define EVENT_TRICKLE	32
#define SPOOL_RETRY_MS	10000	/* after a failed backlog write */

const char *const reason_names[ABAC_REASON_GUARD + 1] = {
	[ABAC_REASON_RULE] = "rule",
	[ABAC_REASON_DEFAULT] = "default",
	[ABAC_REASON_BAD_LABEL] = "bad-label",
	[ABAC_REASON_BAD_IMAGE] = "bad-image",
	[ABAC_REASON_INDETERMINATE] = "indeterminate",
	[ABAC_REASON_GUARD] = "guard",
};

/* enum abac_guard: what a tagged subject tried against abac itself. */
const char *const guard_names[ABAC_GUARD_COUNT] = {
	[ABAC_GUARD_NONE] = "none",
	[ABAC_GUARD_LABEL_SET] = "label-set",
	[ABAC_GUARD_LABEL_REMOVE] = "label-remove",
	[ABAC_GUARD_CGROUP_WRITE] = "cgroup-write",
	[ABAC_GUARD_CGROUP_MKDIR] = "cgroup-mkdir",
	[ABAC_GUARD_CGROUP_RMDIR] = "cgroup-rmdir",
	[ABAC_GUARD_CGROUP_RENAME] = "cgroup-rename",
	[ABAC_GUARD_BPF] = "bpf",
	[ABAC_GUARD_BPF_MAP] = "bpf-map",
	[ABAC_GUARD_BPF_PROG] = "bpf-prog",
	[ABAC_GUARD_BPFFS] = "bpffs",
	[ABAC_GUARD_MOUNT] = "mount",
	[ABAC_GUARD_UMOUNT] = "umount",
	[ABAC_GUARD_MOVE_MOUNT] = "move-mount",
	[ABAC_GUARD_PIVOT_ROOT] = "pivot-root",
	[ABAC_GUARD_SIGNAL] = "signal-agent",
	[ABAC_GUARD_PTRACE] = "ptrace-agent",
	[ABAC_GUARD_AGENT_PROC] = "agent-proc",
	[ABAC_GUARD_AGENT_SCHED] = "agent-sched",
	[ABAC_GUARD_SOCKET] = "control-socket",
	[ABAC_GUARD_PROTECTED] = "protected-file",
	[ABAC_GUARD_SECURITYFS] = "securityfs",
	[ABAC_GUARD_CLOCK] = "clock",
	[ABAC_GUARD_MODULE] = "module",
	[ABAC_GUARD_CAPABILITY] = "capability",
	[ABAC_GUARD_USERNS] = "userns",
	[ABAC_GUARD_OTHER_PROCESS] = "other-process",
	[ABAC_GUARD_KERNEL_INTERFACE] = "kernel-interface",
	[ABAC_GUARD_RAW_DEVICE] = "raw-device",
	[ABAC_GUARD_SYSTEM_FILE] = "system-file",
	[ABAC_GUARD_TABLE_FULL] = "table-full",
};

/* What one consume pass shares with on_event(). */
static struct {
	__s64 real_off;		/* CLOCK_REALTIME - CLOCK_BOOTTIME, ns */
	unsigned int n;		/* events this pass */
	char *buf;		/* the pass's lines, for one write() */
	size_t len, cap;
	unsigned int lines;	/* lines in @buf */
} pass;

/**
 * struct event_ring - the BPF ring buffer, mapped as the kernel lays it
 *	out: the consumer position on a page of its own (writable), then
 *	the producer position on the next, then the data, mapped twice in a
 *	row so that a record that wraps reads as one piece.
 * @fd: the map.
 * @size: bytes of data (the map's max_entries, a power of two).
 * @consumer: the consumer page.
 * @producer: the producer page and the data.
 * @page: the page size.
 */
struct event_ring {
	int fd;
	size_t size;
	unsigned long *consumer;
	unsigned long *producer;
	size_t page;
};

static __s64 ts_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (__s64)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * RFC 3339 UTC with nanoseconds of a CLOCK_BOOTTIME instant.  Events come
 * in bursts within one second: its date and time are formatted once.
 */
static void fmt_time(__u64 boot_ns, char *buf, size_t sz)
{
	static char last[32];
	static time_t last_sec = -1;
	static size_t last_len;
	__s64 ns = (__s64)boot_ns + pass.real_off;
	time_t sec = ns / 1000000000LL;
	long nsec = ns % 1000000000LL;
	struct tm tm;
	int k;

	if (nsec < 0) {
		nsec += 1000000000L;
		sec--;
	}
	if (sec != last_sec) {
		gmtime_r(&sec, &tm);
		last_len = strftime(last, sizeof(last), "%Y-%m-%dT%H:%M:%S",
				    &tm);
		last_sec = sec;
	}
	if (sz < last_len + 12) {	/* ".nnnnnnnnnZ" and the NUL */
		buf[0] = 0;
		return;
	}
	memcpy(buf, last, last_len);
	buf[last_len] = '.';
	for (k = 9; k >= 1; k--) {
		buf[last_len + k] = '0' + nsec % 10;
		nsec /= 10;
	}
	buf[last_len + 10] = 'Z';
	buf[last_len + 11] = 0;
}

/* A cgroup as events show it: its path when known, else its id. */
static void cgroup_name(struct abacd *d, __u64 id, char *buf, size_t sz)
{
	const struct subject *s = subject_by_id(d, id);

	if (s)
		snprintf(buf, sz, "%s", s->path);
	else if (cg_path_by_id(d, id, buf, sz))
		snprintf(buf, sz, "%llu", (unsigned long long)id);
}

static void json_rule(struct abac_json *j, const struct image *img,
		      const struct abac_event *e)
{
	const char *id = NULL, *nlp = NULL;

	if (img && e->rule != ABAC_RULE_NONE)
		abac_image_rule_text(img->buf, img->len, e->rule, &id, &nlp);
	abac_json_kv_str(j, "rule", id);
	abac_json_key(j, "rule_index");
	if (e->rule == ABAC_RULE_NONE)
		abac_json_null(j);
	else
		abac_json_u64(j, e->rule);
	abac_json_kv_str(j, "nlp", nlp);
}

static void json_subject(struct abacd *d, struct abac_json *j,
			 const struct abac_event *e)
{
	const struct subject *s = subject_by_id(d, e->subj_cgroup_id);
	char cg[PATH_MAX];

	cgroup_name(d, e->cgroup_id, cg, sizeof(cg));
	abac_json_kv_str(j, "cgroup", cg);
	abac_json_kv_u64(j, "cgroup_id", e->cgroup_id);
	cgroup_name(d, e->subj_cgroup_id, cg, sizeof(cg));
	abac_json_kv_str(j, "subject_cgroup", cg);
	abac_json_kv_str(j, "subject_tags", s ? s->tags : NULL);
}

/*
 * A network object's IPv6 address as RFC 5952 writes it ("[::1]:80"):
 * BPF's bpf_snprintf() prints all eight groups, the native LSM %pI6c
 * the short form; both come out alike.  @out is left empty for anything
 * else.
 */
static void net_text(const struct abac_event *e, char *out, size_t sz)
{
	char addr[INET6_ADDRSTRLEN];
	struct in6_addr a;
	const char *end;

	out[0] = '\0';
	if (e->ino || e->guard != ABAC_GUARD_NONE || e->path[0] != '[' ||
	    (e->op != ABAC_OP_CONNECT && e->op != ABAC_OP_BIND &&
	     e->op != ABAC_OP_LISTEN))
		return;
	end = memchr(e->path, ']', strnlen(e->path, sizeof(e->path)));
	if (!end || end[1] != ':' || end - e->path - 1 >= (long)sizeof(addr))
		return;
	memcpy(addr, e->path + 1, end - e->path - 1);
	addr[end - e->path - 1] = '\0';
	if (inet_pton(AF_INET6, addr, &a) != 1 ||
	    !inet_ntop(AF_INET6, &a, addr, sizeof(addr)))
		return;
	snprintf(out, sz, "[%s]%s", addr, end + 1);
}

static void json_object(struct abac_json *j, const struct abac_event *e)
{
	const char *op = abac_op_name(e->op);
	char buf[32], net[64];

	abac_json_kv_str(j, "op", op ? op : "unknown");
	abac_json_key(j, "path");
	net_text(e, net, sizeof(net));
	if (net[0])
		abac_json_strn(j, net, strlen(net));
	else
		abac_json_strn(j, e->path, strnlen(e->path, sizeof(e->path)));
	snprintf(buf, sizeof(buf), "%u:%u", e->dev >> 20, e->dev & 0xfffff);
	abac_json_kv_str(j, "dev", buf);
	abac_json_kv_u64(j, "ino", e->ino);
}

static void json_policy(struct abac_json *j, const struct image *img,
			const struct abac_event *e)
{
	const struct abac_image_hdr *h = img ? img->buf : NULL;
	char hash[24];

	abac_json_kv_str(j, "reason", e->reason <= ABAC_REASON_GUARD ?
			 reason_names[e->reason] : "unknown");
	if (e->reason == ABAC_REASON_GUARD)
		abac_json_kv_str(j, "guard", e->guard < ABAC_GUARD_COUNT ?
				 guard_names[e->guard] : "unknown");
	abac_json_kv_str(j, "policy", h ? abac_image_str(img->buf, img->len,
							 h->name_str) : NULL);
	abac_json_kv_u64(j, "generation", e->generation);
	snprintf(hash, sizeof(hash), "0x%016llx",
		 (unsigned long long)e->content_hash);
	abac_json_kv_str(j, "hash", hash);
	abac_json_kv_str(j, "mode", e->mode == ABAC_MODE_AUDIT ?
			 "audit" : "enforce");
}

static const char *const fold_names[ABAC_FOLD_COUNT] = {
	[ABAC_FOLD_NONE] = "none",
	[ABAC_FOLD_OBJECT] = "object",
	[ABAC_FOLD_RULE] = "rule",
};

/*
 * A folded record: how many decisions it stands for and over what time;
 * and the records lost just before it.  Absent from a plain record.
 */
static void json_fold(struct abac_json *j, const struct abac_event *e)
{
	char t[48];

	if (e->count > 1 || e->fold != ABAC_FOLD_NONE) {
		abac_json_kv_u64(j, "count", e->count);
		fmt_time(e->first_ns, t, sizeof(t));
		abac_json_kv_str(j, "first", t);
		abac_json_kv_str(j, "fold", e->fold < ABAC_FOLD_COUNT ?
				 fold_names[e->fold] : "unknown");
	}
	if (e->lost_before)
		abac_json_kv_u64(j, "lost_before", e->lost_before);
}

static const char *const label_from_names[] = {
	[ABAC_LABEL_FROM_NONE] = "none",
	[ABAC_LABEL_FROM_OWN] = "own",
	[ABAC_LABEL_FROM_DIR] = "directory",
	[ABAC_LABEL_FROM_BAD] = "bad",
	[ABAC_LABEL_FROM_NET] = "network",
};
_Static_assert(sizeof(label_from_names) / sizeof(label_from_names[0]) ==
	       ABAC_LABEL_FROM_COUNT, "a name for every enum abac_label_from");

/*
 * Is @path the inode (@dev, @ino), not followed if a symbolic link?  Its
 * status goes to @st.
 */
static bool path_is(const char *path, __u32 dev, __u64 ino, struct stat *st)
{
	return !lstat(path, st) && st->st_ino == ino &&
	       major(st->st_dev) == dev >> 20 &&
	       minor(st->st_dev) == (dev & 0xfffff);
}

/*
 * The path of the directory above @path (absolute) whose inode is
 * (@dev, @ino): the labelled directory the object inherits from.  0, or
 * -1 when none of them is (it was moved, or the path is a name alone).
 */
static int labelled_dir(const char *path, __u32 dev, __u64 ino, char *out,
			size_t sz, struct stat *st)
{
	char *slash;
	int depth;

	if (path[0] != '/' || snprintf(out, sz, "%s", path) >= (int)sz)
		return -1;
	for (depth = 0; depth < 64; depth++) {
		slash = strrchr(out, '/');
		if (!slash)
			return -1;
		if (slash == out)
			slash[1] = '\0';	/* "/" itself */
		else
			*slash = '\0';
		if (path_is(out, dev, ino, st))
			return 0;
		if (slash == out)
			return -1;
	}
	return -1;
}

/*
 * Labels as json_label() last read them, by the labelled inode: a flood
 * of denials on one file, or on many files below one labelled directory,
 * costs one lstat() an event rather than a walk up the path and two
 * getxattr()s.  An entry is used only for an event whose path is its
 * path (own label) or lies below it (inherited), and only while that path
 * is still its inode with the ctime it had when its label was read:
 * setting or removing an extended attribute changes the ctime, so a
 * changed label is read again.  The kernel may keep the ctime of a change
 * made within the same clock tick as the read, so a label read less than
 * LABEL_SETTLED_NS after its inode's last change is not trusted: the next
 * event reads it again.
 */
#define LABEL_CACHE		64	/* entries, a power of two */
#define LABEL_SETTLED_NS	1000000000LL

/**
 * struct label_entry - one labelled inode's path and label.
 * @ino: its inode; 0: a free entry.
 * @dev: its device (kernel encoding).
 * @settled: its ctime was older than LABEL_SETTLED_NS when @text was
 *	read: a later change would show in the ctime.
 * @ctime: its ctime then.
 * @n: bytes of @text, or -1 when it had no label.
 * @path: where it was found.
 * @text: the label (security.abac, else user.abac).
 */
struct label_entry {
	__u64 ino;
	__u32 dev;
	bool settled;
	struct timespec ctime;
	ssize_t n;
	char path[ABAC_PATH_MAX];
	char text[ABAC_LABEL_MAX];
};

static struct label_entry label_cache[LABEL_CACHE];

/* Is @e's object @path itself (@dir false), or below it (@dir true)? */
static bool label_path_fits(const char *path, const struct abac_event *e,
			    bool dir)
{
	size_t len = strnlen(path, ABAC_PATH_MAX);

	if (!dir)
		return !strncmp(path, e->path, sizeof(e->path));
	if (!len || strncmp(path, e->path, len) ||
	    len >= strnlen(e->path, sizeof(e->path)))
		return false;
	return e->path[len] == '/' || (len == 1 && path[0] == '/');
}

/* Read the label of @c->path, whose status is @st, into @c. */
static void label_read(struct label_entry *c, const struct stat *st)
{
	struct timespec now;
	__s64 age;

	c->n = lgetxattr(c->path, ABAC_NATIVE_XATTR, c->text, sizeof(c->text));
	if (c->n < 0)
		c->n = lgetxattr(c->path, ABAC_LABEL_XATTR, c->text,
				 sizeof(c->text));
	clock_gettime(CLOCK_REALTIME, &now);
	age = (__s64)(now.tv_sec - st->st_ctim.tv_sec) * 1000000000LL +
	      (now.tv_nsec - st->st_ctim.tv_nsec);
	c->ctime = st->st_ctim;
	c->settled = age >= LABEL_SETTLED_NS;
}

/*
 * The labelled inode of @e, found and read (through the cache), or NULL
 * when it cannot be found: see json_label().
 */
static const struct label_entry *label_find(const struct abac_event *e)
{
	bool dir = e->label_from == ABAC_LABEL_FROM_DIR;
	__u64 h = (e->label_ino ^ (__u64)e->label_dev << 40) *
		  0x9e3779b97f4a7c15ULL;
	struct label_entry *c = &label_cache[h >> 58 & (LABEL_CACHE - 1)];
	char path[ABAC_PATH_MAX];
	struct stat st;

	if (c->ino == e->label_ino && c->dev == e->label_dev &&
	    label_path_fits(c->path, e, dir) &&
	    path_is(c->path, e->label_dev, e->label_ino, &st)) {
		if (!c->settled || st.st_ctim.tv_sec != c->ctime.tv_sec ||
		    st.st_ctim.tv_nsec != c->ctime.tv_nsec)
			label_read(c, &st);
		return c;
	}
	if (dir) {
		if (labelled_dir(e->path, e->label_dev, e->label_ino, path,
				 sizeof(path), &st))
			return NULL;
	} else if (e->path[0] != '/' ||
		   !path_is(e->path, e->label_dev, e->label_ino, &st)) {
		return NULL;
	} else {
		snprintf(path, sizeof(path), "%.*s", (int)sizeof(e->path),
			 e->path);
	}
	c->ino = e->label_ino;
	c->dev = e->label_dev;
	memcpy(c->path, path, sizeof(c->path));
	label_read(c, &st);
	return c;
}

/*
 * What the decision read of the object's label, as flat members (the log
 * is one flat object a line, which replay reads): "label_from", where
 * the kernel found the label; "label_path", the labelled file or
 * directory (a directory found by walking up the object's path to the
 * inode the kernel named; null when it cannot be found, or when the path
 * names another inode here, as a path from another mount namespace or a
 * file renamed since may); "label_ino"; and "object_label", the text as
 * it reads now (the native LSM's security.abac wins over user.abac).
 */
static void json_label(struct abac_json *j, const struct abac_event *e)
{
	const struct label_entry *c = NULL;

	abac_json_kv_str(j, "label_from",
			 e->label_from < ABAC_LABEL_FROM_COUNT ?
			 label_from_names[e->label_from] : "unknown");
	if (e->label_ino) {
		abac_json_kv_u64(j, "label_ino", e->label_ino);
		c = label_find(e);
	}
	abac_json_kv_str(j, "label_path", c ? c->path : NULL);
	abac_json_key(j, "object_label");
	if (c && c->n >= 0)
		abac_json_strn(j, c->text, c->n);
	else
		abac_json_null(j);
}

/*
 * The environment the decision read, when it read one: "env_time", the
 * local weekday and time in the policy's timezone; "env_generation" of
 * the operator's attributes; "env", those attributes as replay reads
 * them ("threat=high"), null when they have changed since.
 */
static void json_env(struct abacd *d, struct abac_json *j,
		     const struct abac_event *e)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed",
					     "Thu", "Fri", "Sat" };
	char when[16];

	if (e->env_wday == ABAC_ENV_UNREAD || e->env_wday > 6)
		return;
	snprintf(when, sizeof(when), "%s %02u:%02u", days[e->env_wday],
		 (e->env_minute / 60) % 24, e->env_minute % 60);
	abac_json_kv_str(j, "env_time", when);
	abac_json_kv_u64(j, "env_generation", e->env_generation);
	abac_json_kv_str(j, "env", e->env_generation &&
			 e->env_generation == d->env_generation ?
			 d->env_text : NULL);
}

/*
 * Events are numbered from abacd's start, and the start time (CLOCK_REALTIME
 * ms, set by events_open()) tells one run of abacd from another: the id
 * "START.N" names one line of the log, however many runs it holds.
 */
static __u64 id_epoch_ms;

static void json_event_id(struct abac_json *j, __u64 n)
{
	char id[48];

	snprintf(id, sizeof(id), "%llu.%llu", (unsigned long long)id_epoch_ms,
		 (unsigned long long)n);
	abac_json_kv_str(j, "event_id", id);
}

/**
 * event_line() - the JSON line of an event.
 * @d: the agent.
 * @e: the event.
 * @len: receives the line's length, newline included.
 *
 * The line is in a buffer that the next call reuses: one memory stream
 * for every event rather than one each.  Not static so that the host
 * bench (tools/bench/host/lines.c) and tests can time and check it.
 *
 * Return: the line, or NULL (out of memory).
 */
const char *event_line(struct abacd *d, const struct abac_event *e,
		       size_t *len)
{
	static char *buf;
	static size_t size;
	static FILE *f;
	const struct image *img;
	struct abac_json j;
	char t[48];
	off_t end;

	img = engine_image_for(d, e->generation, e->content_hash);
	if (!f)
		f = open_memstream(&buf, &size);
	if (!f || fseeko(f, 0, SEEK_SET))
		return NULL;
	abac_json_init(&j, f, false);
	abac_json_obj_begin(&j);
	fmt_time(e->boot_ns, t, sizeof(t));
	abac_json_kv_str(&j, "time", t);
	abac_json_kv_u64(&j, "pid", e->pid);
	abac_json_kv_u64(&j, "tid", e->tid);
	abac_json_kv_u64(&j, "uid", e->uid);
	abac_json_kv_u64(&j, "gid", e->gid);
	abac_json_key(&j, "comm");
	abac_json_strn(&j, e->comm, strnlen(e->comm, sizeof(e->comm)));
	json_subject(d, &j, e);
	json_object(&j, e);
	if (e->reason != ABAC_REASON_GUARD) {
		json_label(&j, e);
		json_env(d, &j, e);
	}
	abac_json_kv_str(&j, "decision", e->effect == ABAC_ALLOW ? "allow" :
			 e->allowed ? "audit" : "deny");
	abac_json_kv_u64(&j, "errno", e->errno_val);
	json_rule(&j, img, e);
	json_policy(&j, img, e);
	json_fold(&j, e);
	json_event_id(&j, d->received);
	abac_json_obj_end(&j);
	end = ftello(f);	/* the stream may hold a longer, older line */
	if (end <= 0 || fflush(f) || ferror(f) || (size_t)end > size) {
		fclose(f);	/* start afresh at the next event */
		free(buf);
		f = NULL;
		buf = NULL;
		return NULL;
	}
	*len = end;
	return buf;
}

/*
 * Append one line to the log, at once: libbpf has moved the ring's
 * consumer position past the event already, so the log is where it
 * survives a kill.  Say so once when the log stops taking lines.
 */
static void log_line(struct abacd *d, const char *line, size_t len)
{
	static bool failing;
	ssize_t n = -1;

	errno = EBADF;
	if (d->log_fd >= 0)
		n = write(d->log_fd, line, len);	/* O_APPEND, whole */
	if (n == (ssize_t)len) {
		if (failing)
			say("event log %s works again", d->log_path);
		failing = false;
		return;
	}
	d->log_errors++;
	if (!failing)
		say("failed to append to event log %s: %s", d->log_path,
		    n < 0 ? strerror(errno) : "short write");
	failing = true;
}

/* Keep @line for the pass's one write(); 0 or -ENOMEM. */
static int batch_add(const char *line, size_t len)
{
	size_t cap;
	char *b;

	if (pass.len + len > pass.cap) {
		cap = pass.cap ? pass.cap : 64 * 1024;
		while (cap < pass.len + len)
			cap *= 2;
		b = realloc(pass.buf, cap);
		if (!b)
			return -ENOMEM;
		pass.buf = b;
		pass.cap = cap;
	}
	memcpy(pass.buf + pass.len, line, len);
	pass.len += len;
	pass.lines++;
	return 0;
}

/*
 * Append the pass's lines to the log with one write() (O_APPEND: whole,
 * or a short write on a full disk, then counted as lines not logged).
 */
static void batch_flush(struct abacd *d)
{
	static bool failing;
	ssize_t n = -1;

	if (!pass.len)
		return;
	errno = EBADF;
	if (d->log_fd >= 0)
		n = write(d->log_fd, pass.buf, pass.len);
	if (n == (ssize_t)pass.len) {
		if (failing)
			say("event log %s works again", d->log_path);
		failing = false;
	} else {
		d->log_errors += pass.lines;
		if (!failing)
			say("failed to append to event log %s: %s",
			    d->log_path,
			    n < 0 ? strerror(errno) : "short write");
		failing = true;
	}
	pass.len = 0;
	pass.lines = 0;
}

/* One event: its line to the pass's batch and to subscribers. */
static void on_event(struct abacd *d, const void *data, size_t size)
{
	const char *line;
	size_t len;

	if (size < sizeof(struct abac_event)) {
		say("warning: dropped a %zu-byte event (expected %zu)", size,
		    sizeof(struct abac_event));
		return;
	}
	d->received++;
	pass.n++;
	line = event_line(d, data, &len);
	if (!line || batch_add(line, len)) {
		say("failed to format event: out of memory");
		d->log_errors++;
		return;
	}
	server_broadcast(d, line, len - 1);	/* frames carry no newline */
	sinks_event(d, data, id_epoch_ms);	/* syslog, OCSF, metrics */
}

/*
 * Walk the ring's submitted records from @*cons (at most @max, not past
 * a record still reserved), handing each that was not discarded to @fn.
 * Returns records walked, or -EBADMSG for a ring we do not understand;
 * @*cons moves past what was walked.
 */
static int ring_walk(struct abacd *d, struct event_ring *r,
		     unsigned long *cons, unsigned int max,
		     void (*fn)(struct abacd *d, const void *rec, size_t len))
{
	const __u8 *data = (const __u8 *)r->producer + r->page;
	unsigned long c = *cons, prod;
	unsigned int n = 0;
	__u32 hdr, len;
	int err = 0;

	prod = __atomic_load_n(r->producer, __ATOMIC_ACQUIRE);
	while (c < prod && n < max) {
		const __u32 *h = (const __u32 *)(data + (c & (r->size - 1)));

		hdr = __atomic_load_n(h, __ATOMIC_ACQUIRE);
		if (hdr & BPF_RINGBUF_BUSY_BIT)
			break;	/* reserved, not yet submitted */
		len = hdr & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
		if (len > r->size - BPF_RINGBUF_HDR_SZ) {
			err = -EBADMSG;
			break;
		}
		if (!(hdr & BPF_RINGBUF_DISCARD_BIT))
			fn(d, (const __u8 *)h + BPF_RINGBUF_HDR_SZ, len);
		c += (len + BPF_RINGBUF_HDR_SZ + 7) & ~7UL;
		n++;
	}
	*cons = c;
	return err ? err : (int)n;
}

/* Ring bytes unread past which records go to the backlog (backlog.c). */
static unsigned long backlog_at;
/*
 * The backlog refused a write (a full disk): not used again until it is
 * empty and SPOOL_RETRY_MS have passed, and said once until it works.
 */
static bool spool_failed, spool_failing;
static __s64 spool_failed_ms;

/* May records go to the backlog now? */
static bool spool_ok(const struct abacd *d)
{
	if (!spool_failed)
		return true;
	if (backlog_pending(d) ||
	    ts_ns(CLOCK_MONOTONIC) / 1000000 - spool_failed_ms < SPOOL_RETRY_MS)
		return false;
	spool_failed = false;
	return true;
}

/* A backlog write failed: back off, and say so once. */
static void spool_fail(int n, int err)
{
	if (!spool_failing)
		say("failed to add %d events to the backlog: %s; reading the kernel's records directly once it is logged",
		    n, strerror(-err));
	spool_failing = true;
	spool_failed = true;
	spool_failed_ms = ts_ns(CLOCK_MONOTONIC) / 1000000;
}

/* A backlog write worked again. */
static void spool_works(void)
{
	if (spool_failing)
		say("the event backlog takes records again");
	spool_failing = false;
}

/* Bytes of the ring not read yet. */
static unsigned long ring_unread(struct event_ring *r)
{
	return __atomic_load_n(r->producer, __ATOMIC_ACQUIRE) -
	       __atomic_load_n(r->consumer, __ATOMIC_ACQUIRE);
}

/* The records of one pass to the backlog, for its one write(). */
static struct {
	struct abac_event ev[EVENT_SPOOL];
	unsigned int n;
} spool;

static void spool_event(struct abacd *d, const void *data, size_t size)
{
	if (size < sizeof(struct abac_event)) {
		say("warning: dropped a %zu-byte event (expected %zu)", size,
		    sizeof(struct abac_event));
		return;
	}
	memcpy(&spool.ev[spool.n++], data, sizeof(struct abac_event));
}

/*
 * Copy the ring's records to the backlog, as they are, and let them go:
 * while the backlog holds records (the log keeps their order), or when
 * the ring fills faster than lines are made.  Returns records moved, 0
 * when the ring is left as it is, or a negative errno.  After a failed
 * write (a full disk) the ring waits until the backlog is logged, then
 * is read directly again.
 */
static int ring_spool(struct abacd *d, struct event_ring *r)
{
	unsigned long cons, prod;
	__u64 room = backlog_room(d);
	int n, err;

	if (!spool_ok(d))
		return 0;
	cons = __atomic_load_n(r->consumer, __ATOMIC_ACQUIRE);
	prod = __atomic_load_n(r->producer, __ATOMIC_ACQUIRE);
	if (!room || cons == prod ||
	    (!backlog_pending(d) && prod - cons <= backlog_at))
		return 0;
	spool.n = 0;
	n = ring_walk(d, r, &cons, room < EVENT_SPOOL ? (unsigned int)room :
		      EVENT_SPOOL, spool_event);
	if (n < 0)
		return n;
	/* in the backlog file before the ring lets them go */
	err = backlog_append(d, spool.ev, spool.n);
	if (err) {
		spool_fail((int)spool.n, err);
		return 0;
	}
	spool_works();
	d->backlog_total += spool.n;
	__atomic_store_n(r->consumer, cons, __ATOMIC_RELEASE);
	return n;
}

/*
 * Handle up to EVENT_BATCH records of the ring: lines into the batch,
 * the batch into the log, and only then the consumer past them.
 */
static int ring_consume(struct abacd *d, struct event_ring *r)
{
	unsigned long cons;
	int n;

	cons = __atomic_load_n(r->consumer, __ATOMIC_ACQUIRE);
	n = ring_walk(d, r, &cons, EVENT_BATCH, on_event);
	/* what was read is logged before the ring lets it go */
	batch_flush(d);
	__atomic_store_n(r->consumer, cons, __ATOMIC_RELEASE);
	return n;
}

/* Up to @max (at most EVENT_BATCH) of the backlog's records into the log. */
static int backlog_consume(struct abacd *d, unsigned int max)
{
	static struct abac_event ev[EVENT_BATCH];
	int i, n, err;

	n = backlog_take(d, ev, max < EVENT_BATCH ? max : EVENT_BATCH);
	if (n < 0) {
		/* left in the file for the next start, which tries again */
		say("failed to read the event backlog: %s; leaving it for the next start",
		    strerror(-n));
		backlog_close(d);
		return 0;
	}
	if (!n)
		return 0;
	for (i = 0; i < n; i++)
		on_event(d, &ev[i], sizeof(ev[i]));
	batch_flush(d);
	err = backlog_ack(d, (unsigned int)n);
	if (err)
		say("warning: cannot mark %d backlog events logged: %s; the next start logs them again",
		    n, strerror(-err));
	return n;
}

/* Map the ring buffer map @fd; NULL with errno set on failure. */
static struct event_ring *ring_map(int fd)
{
	struct bpf_map_info info = {};
	__u32 info_len = sizeof(info);
	struct event_ring *r;

	if (bpf_obj_get_info_by_fd(fd, &info, &info_len))
		return NULL;
	if (info.type != BPF_MAP_TYPE_RINGBUF || !info.max_entries ||
	    (info.max_entries & (info.max_entries - 1))) {
		errno = EINVAL;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->fd = fd;
	r->size = info.max_entries;
	r->page = sysconf(_SC_PAGESIZE);
	r->consumer = mmap(NULL, r->page, PROT_READ | PROT_WRITE, MAP_SHARED,
			   fd, 0);
	if (r->consumer == MAP_FAILED)
		goto err_free;
	r->producer = mmap(NULL, r->page + 2 * r->size, PROT_READ, MAP_SHARED,
			   fd, r->page);
	if (r->producer == MAP_FAILED)
		goto err_unmap;
	return r;
err_unmap:
	munmap(r->consumer, r->page);
err_free:
	free(r);
	return NULL;
}

static void ring_unmap(struct event_ring *r)
{
	if (!r)
		return;
	munmap(r->producer, r->page + 2 * r->size);
	munmap(r->consumer, r->page);
	free(r);
}

/* The native LSM keeps this many records for its reader (lsm/abac.h). */
#define NATIVE_QUEUE	1024

/*
 * The native LSM's waiting records: to the backlog while it holds
 * records or when more than backlog_at bytes of them wait (as
 * ring_spool()), else at most EVENT_BATCH of them into the log.  Either
 * way they are kept before they are taken from the kernel: a kill in
 * between reads them again at the next start.  Returns records handled,
 * or a negative errno; @*quiet says whether few enough waited for the
 * backlog's lines to be made now.
 */
static int native_consume(struct abacd *d, bool *quiet)
{
	__u64 room = spool_ok(d) ? backlog_room(d) : 0;
	unsigned int i, take;
	int n, err;

	*quiet = true;
	if (!room && backlog_pending(d))
		return 0;	/* the backlog first: the log keeps order */
	n = abac_native_events_read(d->native_events_fd, spool.ev,
				    room && room < EVENT_SPOOL ?
				    (size_t)room : EVENT_SPOOL);
	if (n <= 0)
		return n;
	*quiet = (size_t)n * sizeof(struct abac_event) <= backlog_at;
	if (room && (backlog_pending(d) || !*quiet)) {
		err = backlog_append(d, spool.ev, (size_t)n);
		if (!err) {
			spool_works();
			d->backlog_total += n;
			return abac_native_events_ack(d->native_events_fd,
						      (unsigned int)n) ?: n;
		}
		spool_fail(n, err);
		if (backlog_pending(d))
			return 0;
	}
	take = n < EVENT_BATCH ? (unsigned int)n : EVENT_BATCH;
	for (i = 0; i < take; i++)
		on_event(d, &spool.ev[i], sizeof(spool.ev[i]));
	batch_flush(d);
	err = abac_native_events_ack(d->native_events_fd, take);
	return err ? err : (int)take;
}

/**
 * events_consume() - handle the events waiting in the ring buffer.
 * @d: the agent.
 *
 * At most EVENT_BATCH events a call; the ring buffer stays readable in
 * epoll while more wait.
 *
 * Return: events handled, or a negative errno.
 */
int events_consume(struct abacd *d)
{
	int err, n = 0, m = 0;
	bool quiet;

	pass.real_off = ts_ns(CLOCK_REALTIME) - ts_ns(CLOCK_BOOTTIME);
	pass.n = 0;
	if (d->ring) {
		n = ring_spool(d, d->ring);
		if (!n && !backlog_pending(d))
			n = ring_consume(d, d->ring);
		quiet = ring_unread(d->ring) <= backlog_at;
	} else {
		n = native_consume(d, &quiet);
	}
	/*
	 * Lines from the backlog: a batch once the kernel is quiet (or the
	 * backlog can take no more, or the kernel side failed), a trickle
	 * while it still writes fast.
	 */
	if (backlog_pending(d))
		m = backlog_consume(d, n < 0 || quiet || !backlog_room(d) ||
					spool_failed ? EVENT_BATCH :
						       EVENT_TRICKLE);
	server_flush(d);	/* one send() per subscriber per pass */
	err = n < 0 ? n : m < 0 ? m : 0;
	if (err < 0)
		return err;
	return n + m;
}

/* Records of another build, counted and not formatted. */
static unsigned long foreign_records;

static void foreign_event(struct abacd *d, const void *data, size_t size)
{
	if (size == sizeof(struct abac_event))
		on_event(d, data, size);
	else
		foreign_records++;
}

/**
 * events_drain_old() - log what the replaced build's ring buffer holds.
 * @d: the agent.
 * @fd: that ring buffer (abac_kern_detach_old()), its programs detached.
 *
 * The programs of the build abacd replaced recorded their denials in a
 * ring buffer of their own, which no agent reads once they are gone:
 * its records are logged as this build's when they have this build's
 * size, and counted and reported otherwise (a record layout this build
 * does not know).
 */
void events_drain_old(struct abacd *d, int fd)
{
	struct event_ring *r;
	unsigned long cons;
	int n, total = 0;

	r = ring_map(fd);
	if (!r) {
		say("warning: cannot read the replaced programs' ring buffer: %s",
		    strerror(errno));
		return;
	}
	foreign_records = 0;
	pass.real_off = ts_ns(CLOCK_REALTIME) - ts_ns(CLOCK_BOOTTIME);
	do {
		pass.n = 0;
		cons = __atomic_load_n(r->consumer, __ATOMIC_ACQUIRE);
		n = ring_walk(d, r, &cons, EVENT_BATCH, foreign_event);
		batch_flush(d);
		__atomic_store_n(r->consumer, cons, __ATOMIC_RELEASE);
		if (n > 0)
			total += (int)pass.n;
	} while (n == EVENT_BATCH);
	server_flush(d);
	if (total)
		say("logged %d event%s the replaced programs recorded",
		    total, total == 1 ? "" : "s");
	if (foreign_records)
		say("warning: %lu event%s of the replaced programs are in a layout this abacd does not read: not logged",
		    foreign_records, foreign_records == 1 ? "" : "s");
	ring_unmap(r);
}

/**
 * events_flush_backlog() - log every record the backlog holds, now.
 * @d: the agent.
 */
void events_flush_backlog(struct abacd *d)
{
	pass.real_off = ts_ns(CLOCK_REALTIME) - ts_ns(CLOCK_BOOTTIME);
	while (backlog_pending(d)) {
		pass.n = 0;
		if (backlog_consume(d, EVENT_BATCH) <= 0)
			break;
	}
	server_flush(d);
}

/**
 * events_pending() - are there records abacd holds and has not logged?
 * @d: the agent.
 *
 * Return: true while the backlog holds records: the epoll loop then
 * does not sleep, so that they are logged once the ring is quiet.
 */
bool events_pending(const struct abacd *d)
{
	return backlog_pending(d) > 0;
}

#define STATE_LOST	"events_lost"

/*
 * Which kernel counters a saved total belongs to: this boot's, and for
 * BPF the counters map's (a new one after abacd --unload).  Both count
 * from 0 again, so a total saved under other counters is no measure.
 */
static void lost_epoch(struct abacd *d, char *buf, size_t sz)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	char boot[64] = "";
	ssize_t n;
	int fd;

	fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, boot, sizeof(boot) - 1);
		boot[n > 0 ? n : 0] = '\0';
		boot[strcspn(boot, "\n")] = '\0';
		close(fd);
	}
	if (d->use_bpf && d->kern.counters_fd >= 0 &&
	    !bpf_obj_get_info_by_fd(d->kern.counters_fd, &info, &len))
		snprintf(buf, sz, "%s/%u", boot, info.id);
	else
		snprintf(buf, sz, "%s/native", boot);
}

/*
 * The lost-event total last reported, kept in the state directory with
 * the counters it was read from: 0 when those were other counters (a
 * reboot, or abacd --unload), whose losses are not this count's.
 */
static __u64 lost_reported(struct abacd *d)
{
	char path[PATH_MAX], buf[160] = "", now[96], *sp;
	ssize_t n;
	int fd;

	state_path(d, STATE_LOST, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	sp = strchr(buf, ' ');
	lost_epoch(d, now, sizeof(now));
	if (!sp || strcmp(sp + 1, now))
		return 0;
	return strtoull(buf, NULL, 10);
}

static void lost_save(struct abacd *d, __u64 total)
{
	char path[PATH_MAX], tmp[PATH_MAX], buf[160], epoch[96];
	int fd, n;

	state_path(d, STATE_LOST, path, sizeof(path));
	state_path(d, STATE_LOST ".new", tmp, sizeof(tmp));
	lost_epoch(d, epoch, sizeof(epoch));
	n = snprintf(buf, sizeof(buf), "%llu %s\n", (unsigned long long)total,
		     epoch);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (write(fd, buf, n) != n || fsync(fd)) {
		close(fd);
		unlink(tmp);
		return;
	}
	close(fd);
	rename(tmp, path);
}

/**
 * events_check_lost() - report events the ring buffer had no room for.
 * @d: the agent.
 *
 * The kernel counts every event it could not queue (abac_counters
 * events_lost).  When the count grew since the last report, one line
 * says how many were lost, in the log and to subscribers: a full ring
 * buffer is never silent.  The total reported is kept in the state
 * directory, so a restart reports only what is new (all of it when the
 * state directory was lost).
 */
void events_check_lost(struct abacd *d)
{
	struct abac_counters cnt;
	struct abac_json j;
	char *buf = NULL, t[48], names[1024];
	size_t len;
	FILE *f;

	if (backend_counters(d, &cnt))
		return;
	if (!d->lost_known) {
		d->lost_seen = lost_reported(d);
		d->lost_known = true;
	}
	if (cnt.events_lost < d->lost_seen)
		d->lost_seen = 0;	/* the counters started again */
	if (cnt.events_lost <= d->lost_seen)
		return;
	f = open_memstream(&buf, &len);
	if (!f)
		return;
	pass.real_off = ts_ns(CLOCK_REALTIME) - ts_ns(CLOCK_BOOTTIME);
	fmt_time(ts_ns(CLOCK_BOOTTIME), t, sizeof(t));
	abac_json_init(&j, f, false);
	abac_json_obj_begin(&j);
	abac_json_kv_str(&j, "time", t);
	abac_json_kv_str(&j, "decision", "lost");
	abac_json_kv_str(&j, "reason", "ring-buffer-full");
	abac_json_kv_u64(&j, "lost", cnt.events_lost - d->lost_seen);
	abac_json_kv_u64(&j, "lost_total", cnt.events_lost);
	fold_lost_names(d, names, sizeof(names));
	abac_json_kv_str(&j, "lost_from", names[0] ? names : NULL);
	abac_json_obj_end(&j);
	if (fclose(f)) {
		free(buf);
		return;
	}
	say("the ring buffer was full: %llu event%s lost (%llu in all)",
	    (unsigned long long)(cnt.events_lost - d->lost_seen),
	    cnt.events_lost - d->lost_seen == 1 ? "" : "s",
	    (unsigned long long)cnt.events_lost);
	log_line(d, buf, len);
	server_broadcast(d, buf, len - 1);
	server_flush(d);
	sinks_lost(d, cnt.events_lost - d->lost_seen, cnt.events_lost,
		   names[0] ? names : NULL);
	free(buf);
	d->lost_seen = cnt.events_lost;
	lost_save(d, d->lost_seen);
}

/*
 * Open the log for appending: 0640 root:abac, its folder 0750, nothing
 * that stands at its path trusted (logfile.c).  The new descriptor goes
 * to *@fd; on failure the reason is said.
 */
static int open_log(struct abacd *d, int *fd)
{
	char dir[PATH_MAX], why[PATH_MAX + 64], *slash;
	int err;

	snprintf(dir, sizeof(dir), "%s", d->log_path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		err = make_dir(dir, 0750, d->abac_gid);
		if (err)
			return err;
	}
	*fd = logfile_open_append(d->log_path, d->abac_gid, why, sizeof(why));
	if (*fd < 0) {
		say("refusing the event log: %s", why);
		return *fd;
	}
	return 0;
}

/**
 * events_reopen_log() - reopen the event log (SIGHUP, after rotation).
 * @d: the agent.
 *
 * Return: 0, or a negative errno, said; events then go on to the file
 * the log was before (a rotated name), or to subscribers only when there
 * was none, until the next SIGHUP.
 */
int events_reopen_log(struct abacd *d)
{
	int fd, err;

	err = open_log(d, &fd);
	if (err) {
		say("failed to reopen event log %s: %s; %s", d->log_path,
		    strerror(-err), d->log_fd >= 0 ?
		    "events still go to the file it was before" :
		    "events go to subscribers only");
		return err;
	}
	if (d->log_fd >= 0)
		close(d->log_fd);
	d->log_fd = fd;
	say("reopened event log %s", d->log_path);
	return 0;
}

/* ABACD_BACKLOG_AT=BYTES in the environment overrides backlog_at. */
static void backlog_env(void)
{
	const char *env = getenv("ABACD_BACKLOG_AT");
	unsigned long v;
	char *end;

	if (!env || !*env)
		return;
	errno = 0;
	v = strtoul(env, &end, 10);
	if (!*end && !errno)
		backlog_at = v;
	else
		say("warning: ABACD_BACKLOG_AT=%s is not a number of bytes; ignored",
		    env);
}

/**
 * events_open() - open the event log and the ring buffer.
 * @d: the agent, its kernel handles open.
 *
 * Return: 0 or a negative errno, reported.
 */
int events_open(struct abacd *d)
{
	int err;

	id_epoch_ms = (__u64)ts_ns(CLOCK_REALTIME) / 1000000;
	backlog_at = NATIVE_QUEUE / 8 * sizeof(struct abac_event);
	err = open_log(d, &d->log_fd);
	if (err) {
		say("failed to open event log %s: %s", d->log_path,
		    strerror(-err));
		return err;
	}
	if (!d->use_bpf) {
		d->native_events_fd = abac_native_events_open();
		if (d->native_events_fd < 0) {
			err = d->native_events_fd;
			fail("read the native LSM's events", err);
			return err;
		}
		backlog_env();
		backlog_open(d);	/* without it, no backlog: reported */
		return 0;
	}
	d->ring = ring_map(d->kern.events_fd);
	if (!d->ring) {
		err = -errno;
		fail("read ring buffer events", err);
		return err;
	}
	backlog_at = d->ring->size / 8;
	backlog_env();
	backlog_open(d);	/* without it, no backlog: reported */
	return 0;
}

/**
 * events_close() - close the ring buffer and the log.
 * @d: the agent.
 */
void events_close(struct abacd *d)
{
	ring_unmap(d->ring);
	d->ring = NULL;
	backlog_close(d);
	if (d->native_events_fd >= 0)
		close(d->native_events_fd);
	d->native_events_fd = -1;
	if (d->log_fd >= 0)
		close(d->log_fd);
	d->log_fd = -1;
}

/* The last ABACD_HISTORY_BYTES of the log, from a line's start. */
static int read_tail(const char *path, char **buf, size_t *len)
{
	struct stat st;
	off_t from;
	ssize_t n;
	size_t got = 0;
	char *b;
	int fd, err = 0;

	fd = logfile_open_read(path);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st)) {
		err = -errno;
		goto out_close;
	}
	from = st.st_size > ABACD_HISTORY_BYTES ?
	       st.st_size - ABACD_HISTORY_BYTES : 0;
	b = malloc(st.st_size - from + 1);
	if (!b) {
		err = -ENOMEM;
		goto out_close;
	}
	while (got < (size_t)(st.st_size - from)) {
		n = pread(fd, b + got, st.st_size - from - got, from + got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	b[got] = '\0';
	*buf = b;
	*len = got;
	if (from) {	/* the first line is cut: skip it */
		char *nl = memchr(b, '\n', got);

		*len = nl ? got - (nl + 1 - b) : 0;
		memmove(b, nl ? nl + 1 : b + got, *len + 1);
	}
out_close:
	close(fd);
	return err;
}

/*
 * Send one logged line, as JSON or in the plain form.  A line that is
 * not an event (the log was edited, or cut by a full disk) is skipped in
 * JSON, where it would break the reader's parser, and shown as it is to
 * a human.
 */
static int history_line(struct abacd *d, struct client *c, bool json,
			const char *line, size_t len)
{
	char *plain;
	size_t n;
	int err;

	if (jline_plain(line, len, &plain, &n))
		return json ? 0 : client_event(d, c, line, len);
	err = json ? client_event(d, c, line, len) :
		     client_event(d, c, plain, n);
	free(plain);
	return err;
}

/**
 * events_history() - send the last logged events to a client.
 * @d: the agent.
 * @c: the client.
 * @json: JSON lines rather than the plain form.
 *
 * At most ABACD_HISTORY_LINES lines, from at most the last
 * ABACD_HISTORY_BYTES of the log, oldest first, one frame each.
 *
 * Return: 0, or a negative errno (an absent log is no error).
 */
int events_history(struct abacd *d, struct client *c, bool json)
{
	char *buf = NULL, *p, *end, *nl;
	size_t len = 0, lines = 0;
	int err;

	err = read_tail(d->log_path, &buf, &len);
	if (err)
		return err == -ENOENT ? 0 : err;
	end = buf + len;
	/* back to the start of the ABACD_HISTORY_LINES-th line from the end */
	for (p = end; p > buf; p--) {
		if (p[-1] == '\n' && p != end &&
		    ++lines == ABACD_HISTORY_LINES)
			break;
	}
	for (err = 0; p < end && !err; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			nl = end;	/* a line being written: take it */
		if (nl > p)
			err = history_line(d, c, json, p, nl - p);
	}
	free(buf);
	return err;
}

/**
 * events_note_tagged() - log that a cgroup was tagged the moment it
 *	appeared, in the event log and to subscribers.
 * @d: the agent.
 * @s: the cgroup, as tagged in the policy in force.
 * @delay_us: microseconds from the watch seeing it to the image swap.
 *
 * {"decision":"tagged","reason":"binding"|"path",...}: a security team
 * sees a service's cgroup come back tagged after each restart.
 */
void events_note_tagged(struct abacd *d, const struct subject *s,
			__u64 delay_us)
{
	struct abac_json j;
	char *buf = NULL, t[48];
	size_t len;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		return;
	pass.real_off = ts_ns(CLOCK_REALTIME) - ts_ns(CLOCK_BOOTTIME);
	fmt_time(ts_ns(CLOCK_BOOTTIME), t, sizeof(t));
	abac_json_init(&j, f, false);
	abac_json_obj_begin(&j);
	abac_json_kv_str(&j, "time", t);
	abac_json_kv_str(&j, "decision", "tagged");
	abac_json_kv_str(&j, "reason", s->bound ? "binding" : "path");
	abac_json_kv_str(&j, "cgroup", s->path);
	abac_json_kv_u64(&j, "cgroup_id", s->id);
	abac_json_kv_str(&j, "subject_tags", s->tags);
	abac_json_kv_u64(&j, "generation", d->generation);
	abac_json_kv_u64(&j, "delay_us", delay_us);
	abac_json_obj_end(&j);
	if (fclose(f)) {
		free(buf);
		return;
	}
	log_line(d, buf, len);
	server_broadcast(d, buf, len - 1);
	server_flush(d);
	free(buf);
}
