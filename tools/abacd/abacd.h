/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * abacd, the abac agent: what its files share.
 *
 *   main.c     options, start-up, signals, the epoll loop, --unload
 *   log.c      messages on stderr (say, debug, fail), libbpf's too
 *   notify.c   readiness for the service manager ($NOTIFY_SOCKET)
 *   config.c   the policy file a service names (--policy), reloaded on HUP
 *   fold.c     denial folding: the policy's settings, the names of losses
 *   state.c    the state directory: policy source, tags, generation
 *   engine.c   the policy in force: apply, tag, untag
 *   restore.c  start-up: the saved state rebuilt, verified or swapped in
 *   subjects.c tagged cgroups: sets kept by path, checked against policy
 *   dirs.c     labelled directories, remembered for label inheritance
 *   cgroup.c   cgroup v2 paths, levels and ids
 *   watch.c    the cgroup tree watched: bound and restarted cgroups tagged
 *   guard.c    the tamper guard: the agent's pid and protected inodes
 *   events.c   the ring buffer, event lines, the event log
 *   backlog.c  records the ring could not wait for, kept in a file
 *   sink.c     the outputs beside the log, fed from events.c (sink.h):
 *   syslog.c     RFC 5424 messages to a datagram socket
 *   ocsf.c       OCSF-shaped JSON lines in a second file
 *   metrics.c    Prometheus counters for node_exporter's textfile collector
 *   logfile.c  the event log's file, opened without trusting its path
 *   jline.c    reading event lines back from the log (plain form)
 *   server.c   the control socket, clients, frames, subscribers
 *   peer.c     a client's present cgroup: may it still talk to the agent?
 *   verbs.c    the control verbs
 *   backend.c  which kernel side enforces: BPF-LSM, native LSM, or both
 *
 * abacd is single-threaded: every handler runs to completion from the
 * epoll loop, so nothing here needs a lock.
 */
#ifndef _ABACD_H
#define _ABACD_H

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>
#include <linux/types.h>

#include "kern.h"
#include "libabac.h"
#include "log.h"

struct event_ring;	/* the mapped event ring buffer (events.c) */

#define ABACD_VERSION		"0.1.0"
#define ABACD_STATE_DIR		"/var/lib/abac"
#define ABACD_LOG		"/var/log/abac/events.jsonl"
#define ABACD_GROUP		"abac"
#define ABACD_CG_DEFAULT	"/sys/fs/cgroup"
/*
 * The system trees (--system-dirs): code and configuration that untagged
 * processes load or run, which no tagged subject may change
 * (Documentation/threat-model.rst).
 */
#define ABACD_SYSTEM_DIRS	"/etc:/usr:/bin:/sbin:/lib:/lib32:/lib64:"	\
				"/libx32:/boot:/opt:/root:/var/lib/dpkg:"	\
				"/var/spool/cron:/var/spool/anacron:"		\
				"/var/spool/at:/run/systemd/system:"		\
				"/run/systemd/transient:"			\
				"/run/systemd/generator:"			\
				"/run/systemd/generator.early:"			\
				"/run/systemd/generator.late"

#define ABACD_MAX_CLIENTS	64
/* subscribers hold their connection: leave the other half to requests */
#define ABACD_MAX_SUBSCRIBERS	(ABACD_MAX_CLIENTS / 2)
#define ABACD_OUT_MAX		(4U << 20)	/* bytes a subscriber may owe */
#define ABACD_DEADLINE_MS	10000		/* to complete a request */
#define ABACD_HISTORY_LINES	1000
#define ABACD_HISTORY_BYTES	(2U << 20)	/* log tail for a listing */

/**
 * struct image - a compiled image held in memory.
 * @buf: its bytes, malloc()ed; NULL when there is none.
 * @len: its length.
 */
struct image {
	void *buf;
	size_t len;
};

/**
 * struct subject - one tagged cgroup.
 * @path: its absolute path (under the cgroup2 mount), the key it is kept
 *	under: a cgroup recreated at the same path gets the tags back.
 * @id: its cgroup id (the directory's inode number).
 * @level: its depth below the cgroup2 root.
 * @tags: "key=value key=value" as given.
 * @bound: tagged by a binding of the policy (its subjects: list), not by
 *	hand: not saved, found again from the policy and the cgroup tree.
 * @absent: tagged by hand and removed (a service between the two halves
 *	of a restart): kept, out of the image, until it is made again at
 *	its path (@id is still the one it had) or untagged.
 */
struct subject {
	char *path;
	__u64 id;
	unsigned int level;
	char *tags;
	bool bound;
	bool absent;
};

/**
 * struct subjects - a set of tagged cgroups.
 * @v: the entries.
 * @n: entries used.
 */
struct subjects {
	struct subject *v;
	size_t n;
};

/**
 * struct rtbind - a cgroup bound at run time (rtbind.c).
 * @path: the cgroup's absolute path, as given; it need not exist.
 * @owner: who bound it ("kube", "operator"): a tool removes its own.
 * @b: the binding as a policy's: @b.dir its parent below the cgroup2
 *	root, @b.glob its exact name, @b.tags its tags; @b.unit NULL.
 */
struct rtbind {
	char *path;
	char *owner;
	struct abac_binding b;
};

/**
 * struct rtbinds - the cgroups bound at run time, in the order bound.
 * @v: the entries.
 * @n: entries used.
 */
struct rtbinds {
	struct rtbind *v;
	size_t n;
};

#define RTBIND_OWNER_MAX	32	/* bytes of a run-time binding's owner */

/* What an epoll event points at: the kind comes first in each owner. */
enum watch_kind {
	WATCH_RING,
	WATCH_LISTEN,
	WATCH_SIGNAL,
	WATCH_CLIENT,
	WATCH_INOTIFY,
};

/**
 * struct cg_watch_dir - one watched directory (watch.c).
 * @wd: its inotify watch.
 * @path: its absolute path.
 */
struct cg_watch_dir {
	int wd;
	char *path;
};

/**
 * struct cg_watch - a watcher of cgroup directories (watch.c).
 * @fd: the inotify descriptor, nonblocking; -1 when not started.
 * @v: the watched directories.
 * @n: entries in @v.
 */
struct cg_watch {
	int fd;
	struct cg_watch_dir *v;
	size_t n;
};

/*
 * A change cg_watch_read() passes on: @name created or removed in @dir
 * (@mask IN_CREATE, IN_MOVED_TO, IN_DELETE, IN_MOVED_FROM), @dir gone
 * (IN_IGNORED), or changes lost (IN_Q_OVERFLOW).
 */
typedef void (*cg_watch_fn)(void *arg, const char *dir, const char *name,
			    __u32 mask);

/**
 * struct client - one connection to the control socket.
 * @kind: WATCH_CLIENT, so that epoll data can point here.
 * @fd: the socket; -1 once closed (freed after the epoll batch).
 * @pid: the peer's pid, for messages.
 * @uid: the peer's uid.
 * @in: bytes of the request being read.
 * @in_len: bytes in @in.
 * @in_cap: bytes allocated at @in.
 * @out: bytes owed to the peer.
 * @out_off: bytes of @out already sent.
 * @out_len: bytes in @out.
 * @out_cap: bytes allocated at @out.
 * @events: the epoll events asked for.
 * @deadline: CLOCK_MONOTONIC ms by which the next request must be read
 *	whole (0: none, for subscribers).
 * @denied: not root nor in the abac group: its first request is
 *	answered "permission denied" and the connection closed.
 * @follow: subscribed to live events.
 * @json: a subscriber that wants JSON lines.
 * @closing: close once @out is sent.
 * @next: the next closed client awaiting free().
 */
struct client {
	enum watch_kind kind;
	int fd;
	pid_t pid;
	uid_t uid;
	char *in;
	size_t in_len, in_cap;
	char *out;
	size_t out_off, out_len, out_cap;
	__u32 events;
	__u64 deadline;
	bool denied;
	bool follow;
	bool json;
	bool closing;
	struct client *next;
};

/**
 * struct abacd - the agent.
 * @state_dir: --state-dir.
 * @log_path: --log.
 * @sock_path: --socket.
 * @pin_dir: --pin-dir.
 * @policy_path: --policy, or NULL.
 * @system_dirs: --system-dirs: the system trees, colon-separated.
 * @labelled_dirs: --labelled-dirs, or 0: the size of abac_dirs.
 * @guard_inodes: --guard-inodes, or 0: the size of abac_guard_inodes.
 * @verbose: -v.
 * @kern: the pinned maps (when @use_bpf).
 * @use_bpf: images go to the BPF-LSM programs.
 * @use_native: images go to the native abac LSM (securityfs).
 * @native_events_fd: the native LSM's denial records, read when the BPF
 *	programs are not used; -1 otherwise.
 * @policy: the parsed policy in force; NULL when abacd has none (the
 *	kernel may still hold an image, then in @cur).
 * @source: the YAML source of @policy (NUL-terminated).
 * @source_len: its length.
 * @cur: the image in force.
 * @prev: the image before it, to name the rules of events it decided.
 * @generation: @cur's generation, or the last one stamped.
 * @subj: the tagged cgroups.
 * @cg_root: the cgroup2 mount point.
 * @cg_fd: an O_PATH descriptor of @cg_root, to resolve cgroup ids.
 * @watch: the cgroup tree, watched for bound and restarted cgroups.
 * @watch_kind: WATCH_INOTIFY.
 * @ring: the ring buffer, mapped (events.c).
 * @ring_kind: WATCH_RING.
 * @log_fd: the event log, O_APPEND.
 * @backlog_fd: the event backlog (backlog.c), or -1.
 * @backlog_done: offset of its first record not yet logged.
 * @backlog_end: offset of its end.
 * @backlog_total: records that went through it since start.
 * @received: events read from the ring buffer since start.
 * @log_errors: events the log could not take.
 * @lost_seen: the kernel's lost-event count last reported.
 * @lost_known: @lost_seen was read from the state directory.
 * @epfd: the epoll instance.
 * @listen_fd: the control socket.
 * @listen_kind: WATCH_LISTEN.
 * @listen_paused: CLOCK_MONOTONIC ms at which to watch @listen_fd again
 *	after accept() failed for want of resources (0: watching).
 * @sig_fd: the signalfd for SIGTERM, SIGINT and SIGHUP.
 * @sig_kind: WATCH_SIGNAL.
 * @clients: the connected clients, NULL where free.
 * @nclients: clients connected.
 * @nsubscribers: clients following events.
 * @graveyard: closed clients, freed after the epoll batch.
 * @start_ms: CLOCK_MONOTONIC ms at start.
 * @abac_gid: the abac group's gid, or -1 when there is no such group.
 * @guard_refreshed_ms: CLOCK_MONOTONIC ms the guard last learnt the raw
 *	devices.
 * @raw_majors: the raw character devices' majors the native guard holds.
 * @nraw_majors: entries in @raw_majors.
 * @quit: a signal asked abacd to exit.
 * @started: start-up is done: the log is open and the guard set up (a
 *	replaced build's programs may be detached from now on).
 * @syslog: --syslog's target, or NULL: no syslog messages.
 * @ocsf_path: --ocsf, or NULL.
 * @ocsf_fd: the OCSF file, O_APPEND; -1 when none.
 * @metrics_path: --metrics, or NULL.
 * @metrics_due_ms: CLOCK_MONOTONIC ms at which the metrics file is
 *	written next.
 */
/* How many dynamic raw character device majors the guard learns. */
#define ABACD_RAW_MAJORS	32

struct abacd {
	const char *state_dir;
	const char *log_path;
	const char *sock_path;
	const char *pin_dir;
	const char *policy_path;
	const char *system_dirs;
	__u32 labelled_dirs;
	__u32 guard_inodes;
	bool verbose;

	struct abac_kern kern;
	bool use_bpf;
	bool use_native;
	int native_events_fd;
	struct abac_policy *policy;
	char *source;
	size_t source_len;
	struct image cur, prev;
	__u32 generation;
	struct subjects subj;
	struct rtbinds rt;
	char cg_root[PATH_MAX];
	int cg_fd;
	struct cg_watch watch;
	enum watch_kind watch_kind;

	struct abac_attrs env;
	char env_text[ABAC_ENV_TEXT_MAX];
	__u32 env_generation;
	__u64 env_refreshed_ms;

	struct event_ring *ring;
	enum watch_kind ring_kind;
	int log_fd;
	int backlog_fd;
	__u64 backlog_done;
	__u64 backlog_end;
	__u64 backlog_total;
	__u64 received;
	__u64 log_errors;
	__u64 lost_seen;
	bool lost_known;

	int epfd;
	int listen_fd;
	enum watch_kind listen_kind;
	__u64 listen_paused;
	int sig_fd;
	enum watch_kind sig_kind;
	struct client *clients[ABACD_MAX_CLIENTS];
	unsigned int nclients;
	unsigned int nsubscribers;
	struct client *graveyard;
	__u64 start_ms;
	gid_t abac_gid;
	__u64 guard_refreshed_ms;
	__u32 raw_majors[ABACD_RAW_MAJORS];
	size_t nraw_majors;
	bool quit;
	bool started;

	const char *syslog;
	const char *ocsf_path;
	int ocsf_fd;
	const char *metrics_path;
	__u64 metrics_due_ms;
};

/* env.c: the environment the programs decide with */
#define ABACD_ENV_REFRESH_MS	60000
int env_refresh(struct abacd *d);
int env_set(struct abacd *d, const char *text, struct abac_diags *diags);
int env_save(const struct abacd *d);
void env_load(struct abacd *d);
void env_tick(struct abacd *d);

/**
 * now_ms() - CLOCK_MONOTONIC in milliseconds, for deadlines and uptime.
 *
 * Return: the time.
 */
static inline __u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/**
 * now_us() - CLOCK_MONOTONIC in microseconds, for short delays.
 *
 * Return: the time.
 */
static inline __u64 now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* config.c: the policy file a service names */
int config_apply(struct abacd *d);

/* fold.c: denial folding, the agent's side */
int fold_configure(struct abacd *d);
void fold_lost_names(struct abacd *d, char *buf, size_t sz);

/* notify.c: the service manager's readiness protocol */
int notify(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* backend.c */
int backend_open(struct abacd *d);
void backend_drop_old(struct abacd *d);
int backend_set_image(struct abacd *d, const void *img, size_t len);
int backend_get_image(struct abacd *d, void **img, size_t *len);
int backend_events_fd(const struct abacd *d);
const char *backend_name(const struct abacd *d);
const char *backend_desc(const struct abacd *d);
int backend_set_env(struct abacd *d, const struct abac_env_state *st);
int backend_get_env(struct abacd *d, struct abac_env_state *st);
int backend_guard(struct abacd *d, const struct abac_guard_ent *ent,
		  size_t n);
int backend_state_save(struct abacd *d, const void *blob, size_t len);
int backend_state_load(struct abacd *d, void **blob, size_t *len);
int backend_counters(struct abacd *d, struct abac_counters *cnt);
__u32 backend_missing_ops(struct abacd *d);

/* state.c */

/**
 * struct staged - new state files written beside the old ones, fsync()ed,
 *	waiting to be renamed over them (state_commit()) or removed
 *	(state_abort()).
 * @n: files staged.
 * @tmp: their temporary names.
 * @dst: the names they replace.
 */
struct staged {
	int n;
	char tmp[4][PATH_MAX];
	char dst[4][PATH_MAX];
};

int state_init(const struct abacd *d);
int state_load(const struct abacd *d, const char *suffix, char **source,
	       size_t *len, struct subjects *s, __u32 *generation);
int state_blob(const char *source, size_t len, const struct subjects *s,
	       const struct rtbinds *rt, __u32 generation, void **blob,
	       size_t *blob_len);
int state_unblob(const struct abacd *d, const void *blob, size_t blob_len,
		 char **source, size_t *len, struct subjects *s,
		 struct rtbinds *rt, __u32 *generation);
int state_stage(const struct abacd *d, const char *source, size_t len,
		const struct subjects *s, __u32 generation, struct staged *st);
int state_commit(struct staged *st);
void state_abort(struct staged *st);
void state_path(const struct abacd *d, const char *file, char *buf,
		size_t sz);
int make_dir(const char *path, mode_t mode, gid_t gid);

/* guard.c */
void guard_shield(struct abacd *d);
int guard_start(struct abacd *d);
bool guard_metrics_dir_ok(const char *path);
void guard_tick(struct abacd *d);

/* cgroup.c */
int cg_init(struct abacd *d);
int cg_check(const struct abacd *d, const char *path, char *canon, size_t sz,
	     __u64 *id, unsigned int *level, char *why, size_t why_sz);
int cg_stat(const char *path, __u64 *id);
int cg_stat_owner(const char *path, __u64 *id, uid_t *uid);
unsigned int cg_level(const struct abacd *d, const char *path);
int cg_path_by_id(struct abacd *d, __u64 id, char *buf, size_t sz);

/* watch.c */
int cg_watch_open(struct cg_watch *w);
void cg_watch_close(struct cg_watch *w);
int cg_watch_set(struct cg_watch *w, const char *const *dirs, size_t n);
int cg_watch_read(struct cg_watch *w, cg_watch_fn fn, void *arg);
int watch_start(struct abacd *d);
void watch_sync(struct abacd *d);
void watch_ready(struct abacd *d);

/* subjects.c */
void subjects_free(struct subjects *s);
int subjects_copy(const struct subjects *src, struct subjects *dst);
void subjects_remove(struct subjects *s, size_t i);
int subjects_set(struct subjects *s, const char *path, __u64 id,
		 unsigned int level, const char *tags);
void subjects_refresh(struct abacd *d, struct subjects *s);
int subjects_resolve(const struct abac_policy *p, struct subjects *s,
		     const char *file, bool drop, struct abac_diags *diags);
int subjects_find(const struct subjects *s, const char *path);
int subjects_bind(const struct abacd *d, const struct abac_policy *p,
		  struct subjects *s);
bool subjects_same(const struct subjects *a, const struct subjects *b);
const struct subject *subject_by_id(const struct abacd *d, __u64 id);

/* rtbind.c: cgroups bound at run time */
void rtbinds_free(struct rtbinds *r);
int rtbinds_find(const struct rtbinds *r, const char *path);
int rtbinds_set(struct rtbinds *r, const char *path, const char *dir,
		const char *name, const char *owner, const char *tags);
void rtbinds_remove(struct rtbinds *r, size_t i);
int rtbinds_copy(const struct rtbinds *src, struct rtbinds *dst);
const struct abac_policy *rtbinds_view(const struct abacd *d,
				       const struct abac_policy *p,
				       struct abac_policy *view);
void rtbinds_view_free(const struct abac_policy *p, struct abac_policy *view);
int rtbinds_split(const struct abacd *d, const char *path, const char *owner,
		  char *dir, size_t dsz, char *name, size_t nsz, char *why,
		  size_t wsz);
unsigned int rtbinds_fit(const struct abac_policy *p, struct rtbinds *r,
			 bool quiet);
char *rtbinds_text(const struct rtbinds *r, size_t *len);
int rtbinds_parse(const struct abacd *d, char *buf, const char *name,
		  struct rtbinds *r);
int state_load_bindings(const struct abacd *d, const char *suffix,
			struct rtbinds *rt);

/* restore.c */
int engine_start(struct abacd *d);

/* engine.c */
int engine_apply(struct abacd *d, const char *file, const char *yaml,
		 size_t len, bool allow_degraded, __u32 *unenforced,
		 struct abac_diags *diags);
void engine_ops_text(__u32 ops, char *buf, size_t sz);
int engine_tag(struct abacd *d, const char *path, const char *tags,
	       struct abac_diags *diags);
int engine_untag(struct abacd *d, const char *path,
		 struct abac_diags *diags);
int engine_bind(struct abacd *d, const char *path, const char *owner,
		const char *tags, struct abac_diags *diags);
int engine_unbind(struct abacd *d, const char *path, const char *owner,
		  struct abac_diags *diags);
int engine_rebind(struct abacd *d, __u64 seen_us, bool parents);
const struct image *engine_image_for(const struct abacd *d, __u32 gen,
				     __u64 hash);
void engine_free(struct abacd *d);

/* dirs.c */
int dirs_restore(struct abacd *d);
int dirs_note(struct abacd *d, const char *path, char *why, size_t why_sz);

/* events.c */
int events_open(struct abacd *d);
void events_close(struct abacd *d);
int events_consume(struct abacd *d);
const char *event_line(struct abacd *d, const struct abac_event *e,
		       size_t *len);
int events_reopen_log(struct abacd *d);
bool events_pending(const struct abacd *d);
void events_drain_old(struct abacd *d, int fd);
void events_flush_backlog(struct abacd *d);
void events_check_lost(struct abacd *d);

/* backlog.c */
/*
 * The most the event backlog file grows to: about 167,000 records.  Past
 * it the ring buffer fills and what it has no room for is counted lost.
 */
#define ABACD_BACKLOG_MAX	(64ULL << 20)
int backlog_open(struct abacd *d);
void backlog_close(struct abacd *d);
__u64 backlog_pending(const struct abacd *d);
__u64 backlog_room(const struct abacd *d);
int backlog_append(struct abacd *d, const void *recs, size_t n);
int backlog_take(struct abacd *d, struct abac_event *ev, unsigned int max);
int backlog_ack(struct abacd *d, unsigned int n);
int events_history(struct abacd *d, struct client *c, bool json);
/* the names events.c gives enum abac_reason and enum abac_guard */
extern const char *const reason_names[ABAC_REASON_GUARD + 1];
extern const char *const guard_names[ABAC_GUARD_COUNT];

/* sink.c: the outputs beside the log */
int sinks_open(struct abacd *d);
void sinks_event(struct abacd *d, const struct abac_event *e,
		 __u64 id_epoch_ms);
void sinks_lost(struct abacd *d, __u64 lost, __u64 total,
		const char *from);
void sinks_tick(struct abacd *d);
int sinks_timeout(const struct abacd *d);
void sinks_reopen(struct abacd *d);
void sinks_close(struct abacd *d);
void events_note_tagged(struct abacd *d, const struct subject *s,
			__u64 delay_us);

/* logfile.c */
int logfile_open_append(const char *path, gid_t gid, char *why, size_t sz);
int logfile_open_read(const char *path);

/* jline.c */
int jline_plain(const char *line, size_t len, char **out, size_t *out_len);

/* server.c */
bool server_taken(const struct abacd *d);
int server_open(struct abacd *d);
void server_close(struct abacd *d);
void server_accept(struct abacd *d);
void client_ready(struct abacd *d, struct client *c, __u32 events);
void server_expire(struct abacd *d);
int server_timeout(const struct abacd *d);
void server_reap(struct abacd *d);
int client_reply(struct abacd *d, struct client *c, int status,
		 const char *body, size_t len);
int client_event(struct abacd *d, struct client *c, const char *line,
		 size_t len);
void client_subscribe(struct abacd *d, struct client *c, bool json);
void server_broadcast(struct abacd *d, const char *json, size_t len);
void server_flush(struct abacd *d);

/* peer.c */
bool peer_may_administer(const struct abacd *d, pid_t pid, char *why,
			 size_t sz);

/* verbs.c */
void verb_dispatch(struct abacd *d, struct client *c, int argc, char **argv);

#endif /* _ABACD_H */
