// SPDX-License-Identifier: GPL-2.0-only
/*
 * abacd: the abac agent.
 *
 * It loads and attaches the BPF-LSM programs (or reopens the ones an
 * earlier agent pinned), keeps the policy in force and the cgroup tags in
 * line with its state directory, takes changes from the abac CLI over a
 * Unix socket, and drains the decision events into a log and to
 * subscribers.  Everything happens in one thread around one epoll loop.
 *
 * Enforcement never depends on abacd running: the programs, maps and
 * links stay pinned under /sys/fs/bpf/abac when it exits or dies, and
 * only "abacd --unload" removes them.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abacd.h"
#include "ctl.h"
#include "sink.h"

#define STARTUP_PASSES	64	/* event batches read before serving */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: abacd [OPTIONS]\n"
		"       abacd --unload [--pin-dir DIR]\n"
		"\n"
		"The abac agent: loads and pins the BPF-LSM programs, keeps the policy\n"
		"in force and the cgroup tags, serves the abac CLI and logs decisions.\n"
		"It stays in the foreground; a service manager backgrounds it.\n"
		"\n"
		"Options:\n"
		"      --state-dir DIR  policy source, tags, generation (default %s)\n"
		"      --log FILE       event log, JSON lines (default %s)\n"
		"      --socket PATH    control socket (default %s)\n"
		"      --pin-dir DIR    BPF pins (default %s)\n"
		"      --policy FILE    put FILE in force at start and on SIGHUP\n"
		"      --system-dirs DIRS  the system trees no tagged subject may change,\n"
		"                       colon-separated (default /etc:/usr:...; \"\": none)\n"
		"      --labelled-dirs N  labelled directories the kernel can hold\n"
		"      --guard-inodes N   inodes the tamper guard can protect\n"
		"      --syslog[=TARGET]  send denials, tamper refusals and losses to syslog\n"
		"                       (RFC 5424): unix:PATH or udp:HOST:PORT (default /dev/log)\n"
		"      --ocsf FILE      write decisions as OCSF JSON lines to FILE too\n"
		"      --metrics FILE   keep Prometheus counters in FILE (textfile collector)\n"
		"      --foreground     run in the foreground (the only mode)\n"
		"      --unload         detach the programs and remove the pins, then exit\n"
		"  -v, --verbose        log every request and connection\n"
		"  -h, --help           print this help\n"
		"  -V, --version        print the version\n"
		"\n"
		"SIGTERM and SIGINT stop abacd; the programs stay attached.  SIGHUP\n"
		"reopens the event log and reloads --policy.  Under systemd\n"
		"(Type=notify) abacd reports ready once the programs are attached,\n"
		"the policy is in force and the socket listens.  See abacd(8).\n",
		ABACD_STATE_DIR, ABACD_LOG, ABAC_CTL_PATH, ABAC_PIN_DIR);
}

enum {
	OPT_STATE_DIR = 256,
	OPT_LOG,
	OPT_SOCKET,
	OPT_PIN_DIR,
	OPT_FOREGROUND,
	OPT_UNLOAD,
	OPT_POLICY,
	OPT_SYSTEM_DIRS,
	OPT_LABELLED_DIRS,
	OPT_GUARD_INODES,
	OPT_SYSLOG,
	OPT_OCSF,
	OPT_METRICS,
};

/* A table size: 1 to 1 << 24 entries; 0 for a bad one. */
static __u32 table_size(const char *arg)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(arg, &end, 10);
	if (errno || *end || !*arg || n < 1 || n > (1UL << 24))
		return 0;
	return n;
}

/* 0 to run, 1 to exit 0 (help, version), -1 to exit 2 (misuse). */
static int parse_args(struct abacd *d, int argc, char **argv, bool *unload)
{
	static const struct option opts[] = {
		{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
		{ "log", required_argument, NULL, OPT_LOG },
		{ "socket", required_argument, NULL, OPT_SOCKET },
		{ "pin-dir", required_argument, NULL, OPT_PIN_DIR },
		{ "foreground", no_argument, NULL, OPT_FOREGROUND },
		{ "unload", no_argument, NULL, OPT_UNLOAD },
		{ "policy", required_argument, NULL, OPT_POLICY },
		{ "system-dirs", required_argument, NULL, OPT_SYSTEM_DIRS },
		{ "labelled-dirs", required_argument, NULL, OPT_LABELLED_DIRS },
		{ "guard-inodes", required_argument, NULL, OPT_GUARD_INODES },
		{ "syslog", optional_argument, NULL, OPT_SYSLOG },
		{ "ocsf", required_argument, NULL, OPT_OCSF },
		{ "metrics", required_argument, NULL, OPT_METRICS },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL }
	};
	struct syslog_target t;
	char why[256];
	int c;

	while ((c = getopt_long(argc, argv, "vhV", opts, NULL)) != -1) {
		switch (c) {
		case OPT_STATE_DIR:
			d->state_dir = optarg;
			break;
		case OPT_LOG:
			d->log_path = optarg;
			break;
		case OPT_SOCKET:
			d->sock_path = optarg;
			break;
		case OPT_PIN_DIR:
			d->pin_dir = optarg;
			break;
		case OPT_FOREGROUND:
			break;
		case OPT_UNLOAD:
			*unload = true;
			break;
		case OPT_POLICY:
			d->policy_path = optarg;
			break;
		case OPT_SYSTEM_DIRS:
			d->system_dirs = optarg;
			break;
		case OPT_LABELLED_DIRS:
		case OPT_GUARD_INODES:
			if (!table_size(optarg)) {
				say("--%s takes a number of entries, 1 to 16777216",
				    c == OPT_LABELLED_DIRS ? "labelled-dirs" :
				    "guard-inodes");
				return -1;
			}
			if (c == OPT_LABELLED_DIRS)
				d->labelled_dirs = table_size(optarg);
			else
				d->guard_inodes = table_size(optarg);
			break;
		case OPT_SYSLOG:
			d->syslog = optarg ? optarg : "";
			if (syslog_target_parse(optarg, &t, why, sizeof(why))) {
				say("--syslog: %s", why);
				return -1;
			}
			break;
		case OPT_OCSF:
			d->ocsf_path = optarg;
			break;
		case OPT_METRICS:
			d->metrics_path = optarg;
			break;
		case 'v':
			d->verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf("abacd %s\n", ABACD_VERSION);
			return 1;
		default:
			fprintf(stderr, "Try 'abacd --help'.\n");
			return -1;
		}
	}
	if (optind < argc) {
		say("unexpected argument '%s'", argv[optind]);
		fprintf(stderr, "Try 'abacd --help'.\n");
		return -1;
	}
	if (d->state_dir[0] != '/' || d->log_path[0] != '/' ||
	    d->sock_path[0] != '/' || d->pin_dir[0] != '/' ||
	    (d->policy_path && d->policy_path[0] != '/') ||
	    (d->ocsf_path && d->ocsf_path[0] != '/') ||
	    (d->metrics_path && d->metrics_path[0] != '/')) {
		say("--state-dir, --log, --socket, --pin-dir, --policy, --ocsf and --metrics take absolute paths");
		return -1;
	}
	if (d->metrics_path && !guard_metrics_dir_ok(d->metrics_path)) {
		say("--metrics %s: the file is replaced at every write, so the tamper guard keeps its directory, and that directory is shared: give the metrics file a directory of its own (node_exporter's textfile directory)",
		    d->metrics_path);
		return -1;
	}
	return 0;
}

/* abacd --unload: detach, for uninstalling. */
static int unload(const struct abacd *d)
{
	int fd, err;

	err = abac_kern_unload(d->pin_dir);
	if (err) {
		fail("remove the pins", err);
		return 1;
	}
	if (rmdir(d->pin_dir) && errno != ENOENT)
		say("warning: %s not removed: %s", d->pin_dir, strerror(errno));
	say("removed the pins under %s: the programs are detached",
	    d->pin_dir);
	fd = abac_ctl_connect(d->sock_path);
	if (fd >= 0) {
		close(fd);
		say("warning: an abacd still answers on %s: stop it too",
		    d->sock_path);
	}
	return 0;
}

/* SIGTERM, SIGINT and SIGHUP arrive through a signalfd in the loop. */
static int signals_open(struct abacd *d)
{
	struct epoll_event ev = { .events = EPOLLIN };
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);	/* a client gone is an EPIPE */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -errno;
	d->sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sig_fd < 0)
		return -errno;
	d->sig_kind = WATCH_SIGNAL;
	ev.data.ptr = &d->sig_kind;
	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->sig_fd, &ev))
		return -errno;
	return 0;
}

/*
 * READY=1 for the service manager, with a STATUS= line that says whether
 * a policy is in force: a first start whose policy file is missing or
 * refused is ready with none (systemctl status shows it).
 */
static void notify_ready(const struct abacd *d, bool mainpid)
{
	char pid[32] = "";

	if (mainpid)
		snprintf(pid, sizeof(pid), "MAINPID=%d\n", (int)getpid());
	if (d->cur.buf)
		notify("READY=1\n%sSTATUS=enforcing policy generation %u\n",
		       pid, d->generation);
	else
		notify("READY=1\n%sSTATUS=no policy in force\n", pid);
}

static void signal_ready(struct abacd *d)
{
	struct signalfd_siginfo si;

	while (read(d->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			notify("RELOADING=1\nSTATUS=reloading\n");
			events_reopen_log(d);
			sinks_reopen(d);
			config_apply(d);
			guard_start(d);
			notify_ready(d, false);
			continue;
		}
		say("%s: exiting; the programs stay attached",
		    strsignal(si.ssi_signo));
		notify("STOPPING=1\n");
		d->quit = true;
	}
}

static int ring_watch(struct abacd *d)
{
	struct epoll_event ev = { .events = EPOLLIN };

	d->ring_kind = WATCH_RING;
	ev.data.ptr = &d->ring_kind;
	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, backend_events_fd(d), &ev))
		return -errno;
	return 0;
}

/* Events written while no agent ran: read them before serving anyone. */
static void drain_queued(struct abacd *d)
{
	__u64 before = d->received;
	int i, n;

	for (i = 0; i < STARTUP_PASSES; i++) {
		n = events_consume(d);
		if (n <= 0)
			break;
	}
	events_check_lost(d);
	if (d->received > before)
		say("read %llu event%s queued while no agent ran",
		    (unsigned long long)(d->received - before),
		    d->received - before == 1 ? "" : "s");
}

static void dispatch(struct abacd *d, struct epoll_event *ev)
{
	enum watch_kind *kind = ev->data.ptr;
	int err;

	switch (*kind) {
	case WATCH_RING:
		err = events_consume(d);
		if (err < 0)
			say("failed to read events: %s", strerror(-err));
		events_check_lost(d);
		break;
	case WATCH_LISTEN:
		server_accept(d);
		break;
	case WATCH_SIGNAL:
		signal_ready(d);
		break;
	case WATCH_CLIENT:
		client_ready(d, (struct client *)kind, ev->events);
		break;
	case WATCH_INOTIFY:
		watch_ready(d);
		break;
	}
}

static int loop(struct abacd *d)
{
	struct epoll_event evs[64];
	int i, n, timeout;

	while (!d->quit) {
		timeout = server_timeout(d);
		if (timeout < 0 || timeout > ABACD_ENV_REFRESH_MS)
			timeout = ABACD_ENV_REFRESH_MS;
		if (sinks_timeout(d) >= 0 && sinks_timeout(d) < timeout)
			timeout = sinks_timeout(d);
		if (events_pending(d))
			timeout = 0;	/* the backlog, once the ring is quiet */
		n = epoll_wait(d->epfd, evs, 64, timeout);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			say("failed to wait for events: %s", strerror(errno));
			return -errno;
		}
		for (i = 0; i < n; i++)
			dispatch(d, &evs[i]);
		if (!n && events_pending(d)) {
			/* what fails is said where it fails, once */
			events_consume(d);
			events_check_lost(d);
		}
		server_expire(d);
		server_reap(d);
		env_tick(d);
		guard_tick(d);
		sinks_tick(d);
	}
	return 0;
}

/*
 * The OOM killer must not be steered to the agent (a tagged subject may
 * not write another subject's oom_score_adj; this makes the agent the
 * last process it would ever choose).
 */
static void oom_exempt(void)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, "-1000", 5) != 5)
		say("warning: cannot exempt abacd from the OOM killer: %s",
		    strerror(errno));
	if (fd >= 0)
		close(fd);
}

static int run(struct abacd *d)
{
	int err;

	if (server_taken(d))
		return -EADDRINUSE;
	oom_exempt();
	err = backend_open(d);
	if (err)
		return err;
	guard_shield(d);
	err = state_init(d);
	if (err) {
		say("failed to create state directory %s: %s", d->state_dir,
		    strerror(-err));
		return err;
	}
	cg_init(d);
	env_load(d);	/* resolved against the policy as it comes in force */
	err = engine_start(d);
	if (!err)
		config_apply(d);	/* a refused file leaves the old policy */
	if (!err && dirs_restore(d))
		say("warning: cannot read the labelled directories in %s: files in them inherit no label until relabelled",
		    d->state_dir);
	if (!err)
		err = events_open(d);
	if (!err)
		err = sinks_open(d);	/* before the queued events are read */
	if (err)
		return err;
	drain_queued(d);
	err = server_open(d);
	if (!err)
		err = ring_watch(d);
	if (err)
		return err;
	err = watch_start(d);
	if (err)
		say("warning: cannot watch the cgroup tree: %s: cgroups the policy binds, and tagged ones created again, are tagged only at the next change",
		    strerror(-err));
	/* on failure it says so; enforcement goes on */
	if (!guard_start(d)) {
		/* this build's policy, guard and log in place: old set out */
		d->started = true;
		backend_drop_old(d);
	}
	say("listening on %s, logging events to %s", d->sock_path,
	    d->log_path);
	/* attached, the policy in force, the socket open: ready */
	notify_ready(d, true);
	return loop(d);
}

static void cleanup(struct abacd *d)
{
	server_close(d);
	sinks_close(d);
	cg_watch_close(&d->watch);
	events_close(d);
	engine_free(d);
	abac_kern_close(&d->kern);
	if (d->sig_fd >= 0)
		close(d->sig_fd);
	if (d->cg_fd >= 0)
		close(d->cg_fd);
	if (d->epfd >= 0)
		close(d->epfd);
}

static void defaults(struct abacd *d)
{
	memset(d, 0, sizeof(*d));
	d->state_dir = ABACD_STATE_DIR;
	d->log_path = ABACD_LOG;
	d->sock_path = ABAC_CTL_PATH;
	d->pin_dir = ABAC_PIN_DIR;
	d->system_dirs = ABACD_SYSTEM_DIRS;
	d->kern.policy_fd = d->kern.active_fd = d->kern.events_fd = -1;
	d->kern.counters_fd = d->kern.env_fd = d->kern.subj_cache_fd = -1;
	d->kern.dirs_fd = -1;
	d->kern.guard_inodes_fd = d->kern.guard_cfg_fd = -1;
	d->kern.guard_devs_fd = -1;
	d->kern.fold_cfg_fd = d->kern.lost_fd = d->kern.fold_fd = -1;
	d->native_events_fd = d->ocsf_fd = -1;
	d->backlog_fd = -1;
	d->cg_fd = d->log_fd = d->epfd = d->listen_fd = d->sig_fd = -1;
	d->watch.fd = -1;
	d->abac_gid = (gid_t)-1;
}

int main(int argc, char **argv)
{
	static struct abacd d;	/* big (paths): not on the stack */
	bool unload_only = false;
	struct group *gr;
	int err;

	defaults(&d);
	err = parse_args(&d, argc, argv, &unload_only);
	if (err)
		return err > 0 ? 0 : 2;
	if (unload_only) {
		log_init(d.verbose);
		return unload(&d);
	}
	umask(027);
	log_init(d.verbose);
	d.start_ms = now_ms();
	gr = getgrnam(ABACD_GROUP);
	if (gr)
		d.abac_gid = gr->gr_gid;
	else
		debug("no group %s: only root may use the socket",
		      ABACD_GROUP);
	d.epfd = epoll_create1(EPOLL_CLOEXEC);
	err = d.epfd < 0 ? -errno : signals_open(&d);
	if (err)
		say("failed to set up the event loop: %s", strerror(-err));
	else
		err = run(&d);
	cleanup(&d);
	return err ? 1 : 0;
}
