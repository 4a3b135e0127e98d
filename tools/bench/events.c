// SPDX-License-Identifier: GPL-2.0-only
/*
 * Denial-event throughput: a tagged producer opens the secret file (a deny
 * rule refuses it, and the program reports the denial on the ring buffer)
 * at a paced rate, while a reader thread drains the ring buffer with
 * libbpf, as the agent does.  Every denial is accounted for: produced (the
 * opens that failed with EACCES), counted by the kernel (denied), the
 * records read and the denials they stand for (a folded record carries a
 * count), and lost (the kernel's events_lost counter: no room left in the
 * ring).  The reader only counts: this measures the kernel side and the
 * ring buffer.  Each rate runs with folding off (every denial a record of
 * its own: the ring's and the reader's raw rate) and with the default
 * fold window.  A second pass hands the same ring to abacd itself and
 * reads its event log back: the agent's whole event path.  The last pass
 * floods from one tagged cgroup through abacd while a second one makes
 * BENCH_DISTINCT_N distinct denials, every one of which must be logged.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bench.h"

#define EVENTS_PER_RATE	20000UL
#define FLOOD_DENIALS	60000UL
#define SUSTAINED_DENIALS 100000UL
#define AGENT_DIR	BENCH_DIR "/agent"
#define AGENT_LOG	AGENT_DIR "/events.jsonl"
#define AGENT_SOCK	AGENT_DIR "/abacd.sock"
#define AGENT_RULE	"\"bench-secret-denied\""

/**
 * struct reader - the ring buffer reader thread.
 * @rb: the libbpf ring buffer.
 * @read: records read.
 * @stood: denials those records stand for (a folded one, its count).
 * @bad: records that were not the bench's denial by its deny rule.
 * @stop: set to end the thread.
 */
struct reader {
	struct ring_buffer *rb;
	atomic_ulong read;
	atomic_ulong stood;
	atomic_ulong bad;
	atomic_int stop;
};

static int on_event(void *ctx, void *data, size_t len)
{
	const struct abac_event *e = data;
	struct reader *rd = ctx;

	if (len < sizeof(*e) || e->errno_val != EACCES || e->allowed ||
	    e->reason != ABAC_REASON_RULE)
		atomic_fetch_add(&rd->bad, 1);
	else
		atomic_fetch_add(&rd->stood, e->count ? e->count : 1);
	atomic_fetch_add(&rd->read, 1);
	return 0;
}

static void *reader_main(void *arg)
{
	struct reader *rd = arg;

	while (!atomic_load(&rd->stop))
		ring_buffer__poll(rd->rb, 50);
	ring_buffer__consume(rd->rb);
	return NULL;
}

static void bench_events_agent(struct bench_hooks *h);

/*
 * Folding off (every denial a record of its own), or the default window,
 * as abacd writes the policy's "events" settings.
 */
static int set_folding(struct bench_hooks *h, bool on)
{
	struct abac_event_cfg cfg = {};
	__u32 zero = 0;

	if (!on)
		cfg.flags = ABAC_EVCFG_F_NOFOLD;
	if (h->kern.fold_cfg_fd < 0)
		return -ENOENT;
	if (bpf_map_update_elem(h->kern.fold_cfg_fd, &zero, &cfg, BPF_ANY))
		return -errno;
	return 0;
}

/*
 * Open @path, or the BENCH_DISTINCT_N distinct files in turn when NULL,
 * @n times at @rate per second (0: flat out); every open must be refused.
 */
static int produce(const char *path, unsigned long n, double rate,
		   unsigned long *denied, double *ns)
{
	struct timespec nap = { 0, 20000 };
	double t0 = bench_now_ns();
	char one[64];
	unsigned long i;
	int fd;

	*denied = 0;
	for (i = 0; i < n; i++) {
		while (rate > 0 && (double)i > (bench_now_ns() - t0) * rate / 1e9)
			nanosleep(&nap, NULL);
		if (!path)
			bench_distinct_path(i % BENCH_DISTINCT_N, one,
					    sizeof(one));
		fd = open(path ? path : one, O_RDONLY);
		if (fd >= 0) {
			close(fd);
			return -EPERM;	/* the deny rule did not apply */
		}
		if (errno != EACCES)
			return -errno;
		(*denied)++;
	}
	*ns = bench_now_ns() - t0;
	return 0;
}

/*
 * Wait until the reader's records stand for @want denials, or it stops
 * making progress for 3 s: a fold window (1 s by default) ends with the
 * record of the repeats it held.
 */
static void drain(struct reader *rd, unsigned long want)
{
	unsigned long last = 0, now;
	int idle = 0;

	while ((now = atomic_load(&rd->stood)) < want && idle < 60) {
		idle = now == last ? idle + 1 : 0;
		last = now;
		usleep(50000);
	}
}

static void rate_label(double rate, char *buf, size_t sz)
{
	if (rate > 0)
		snprintf(buf, sz, "%.0f", rate);
	else
		snprintf(buf, sz, "flat-out");
}

static void one_rate(struct bench_hooks *h, struct reader *rd, double rate)
{
	unsigned long denied, read0 = atomic_load(&rd->read), stood;
	unsigned long stood0 = atomic_load(&rd->stood);
	struct abac_counters c0, c1;
	unsigned long long lost;
	double ns = 0;
	char label[32];
	int err;

	if (abac_kern_counters(&h->kern, &c0))
		memset(&c0, 0, sizeof(c0));
	err = produce(BENCH_SECRET, EVENTS_PER_RATE, rate, &denied, &ns);
	if (err) {
		printf("  %-10.0f failed: %s\n", rate, strerror(-err));
		return;
	}
	drain(rd, stood0 + denied);
	if (abac_kern_counters(&h->kern, &c1))
		memset(&c1, 0, sizeof(c1));
	rate_label(rate, label, sizeof(label));
	stood = atomic_load(&rd->stood) - stood0;
	lost = c1.events_lost - c0.events_lost;
	printf("  %-10s %8lu %10.0f %8llu %8lu %8lu %6llu %s\n", label,
	       denied, denied / (ns / 1e9),
	       (unsigned long long)(c1.denied - c0.denied),
	       atomic_load(&rd->read) - read0, stood, lost,
	       !lost && stood == denied ? "none lost" : "LOST");
}

static const double rates[] = { 10000, 100000, 0 };

static void print_columns(const char *records)
{
	printf("  %-10s %8s %10s %8s %8s %8s %6s\n", "target/s", "denials",
	       "achieved/s", "counted", records, "stand", "lost");
}

/* The three rates with folding off, then on. */
static void reader_passes(struct bench_hooks *h, struct reader *rd)
{
	size_t i;
	int on, err;

	for (on = 0; on < 2; on++) {
		err = set_folding(h, on);
		printf("  folding %s\n", on ? "on (the default 1 s window)" :
		       "off (every denial a record)");
		if (err) {
			printf("  not measured: cannot set folding: %s\n",
			       strerror(-err));
			continue;
		}
		print_columns("records");
		for (i = 0; i < sizeof(rates) / sizeof(rates[0]); i++)
			one_rate(h, rd, rates[i]);
	}
}

/**
 * bench_events() - denial-event throughput at 10,000/s, 100,000/s and
 * flat out, with folding off and on and every denial accounted for:
 * first with a counting reader, then with abacd draining the ring into
 * its log, then a flood beside distinct denials through abacd.
 * @h: the programs and maps.
 * @p: the policy to run under (its image must be built), or NULL.
 */
void bench_events(struct bench_hooks *h, const struct bench_policy *p)
{
	struct reader rd = {};
	pthread_t tid;
	int err;

	printf("\ndenial events (%lu denials per rate; reader: a libbpf "
	       "ring_buffer thread that counts; \"stand\": the denials the "
	       "records stand for)\n", EVENTS_PER_RATE);
	if (!p) {
		printf("  not measured: no policy could be loaded\n");
		return;
	}
	err = bench_hooks_attach(h);
	if (!err)
		err = abac_kern_set_image(&h->kern, p->tagged, p->tagged_len);
	if (!err)
		err = bench_enter_cgroup(true);
	rd.rb = err ? NULL : ring_buffer__new(h->kern.events_fd, on_event,
					       &rd, NULL);
	if (!rd.rb || pthread_create(&tid, NULL, reader_main, &rd)) {
		printf("  not measured: cannot set up: %s\n",
		       strerror(err ? -err : errno));
		ring_buffer__free(rd.rb);
		return;
	}
	printf("  policy: %lu rules\n", p->nrules);
	reader_passes(h, &rd);
	if (atomic_load(&rd.bad))
		printf("  %lu records were not the expected denial\n",
		       atomic_load(&rd.bad));
	atomic_store(&rd.stop, 1);
	pthread_join(tid, NULL);
	ring_buffer__free(rd.rb);
	bench_events_agent(h);
	set_folding(h, true);
}

/**
 * struct agent_log - what has been read of the agent's log so far.
 * @off: bytes read, up to the end of the last whole line.
 * @lines: lines naming the bench's deny rule in those bytes.
 * @secret: the denials of the secret file those lines stand for.
 * @distinct: lines for the distinct files.
 * @seen: which distinct files have a line.
 * @lost: records the "lost" lines say were lost.
 */
struct agent_log {
	off_t off;
	unsigned long lines;
	unsigned long secret;
	unsigned long distinct;
	bool seen[BENCH_DISTINCT_N];
	unsigned long lost;
};

/* The number after @key in @line, or @dflt when @key is not there. */
static unsigned long line_num(const char *line, const char *key,
			      unsigned long dflt)
{
	const char *p = strstr(line, key);

	return p ? strtoul(p + strlen(key), NULL, 10) : dflt;
}

/* Account for one whole line of the agent's log. */
static void agent_line(struct agent_log *lg, const char *line)
{
	static const char secret[] = "\"path\":\"" BENCH_SECRET "\"";
	static const char distinct[] = "\"path\":\"" BENCH_DISTINCT "/";
	const char *p;
	unsigned long i;

	if (strstr(line, "\"decision\":\"lost\"")) {
		lg->lost += line_num(line, "\"lost\":", 0);
		return;
	}
	if (!strstr(line, AGENT_RULE))
		return;
	lg->lines++;
	if (strstr(line, secret)) {
		lg->secret += line_num(line, "\"count\":", 1);
	} else if ((p = strstr(line, distinct))) {
		i = strtoul(p + strlen(distinct), NULL, 10);
		if (i < BENCH_DISTINCT_N)
			lg->seen[i] = true;
		lg->distinct++;
	}
}

/*
 * Read the whole lines the log gained since the last call: only new
 * bytes are read, so that reading takes little of the one CPU the agent
 * needs.
 */
static void agent_read(struct agent_log *lg)
{
	static char buf[1 << 16];
	char *end, *line, *nl;
	ssize_t n;
	int fd;

	fd = open(AGENT_LOG, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	while ((n = pread(fd, buf, sizeof(buf) - 1, lg->off)) > 0) {
		buf[n] = 0;
		end = strrchr(buf, '\n');
		if (!end)
			break;	/* a line longer than buf cannot be an event */
		*end = 0;
		for (line = buf; line; line = nl) {
			nl = strchr(line, '\n');
			if (nl)
				*nl++ = 0;
			agent_line(lg, line);
		}
		lg->off += end - buf + 1;
	}
	close(fd);
}

static unsigned long distinct_seen(const struct agent_log *lg)
{
	unsigned long i, n = 0;

	for (i = 0; i < BENCH_DISTINCT_N; i++)
		n += lg->seen[i];
	return n;
}

static bool agent_up(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool up;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", AGENT_SOCK);
	up = fd >= 0 && !connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	if (fd >= 0)
		close(fd);
	return up;
}

/* The last 2 KiB of @path, indented, for a report. */
static void print_tail(const char *path)
{
	char buf[2048], *line, *save = NULL;
	ssize_t n;
	off_t end;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("    (cannot read %s: %s)\n", path, strerror(errno));
		return;
	}
	end = lseek(fd, 0, SEEK_END);
	n = pread(fd, buf, sizeof(buf) - 1, end > (off_t)sizeof(buf) - 1 ?
		  end - (off_t)sizeof(buf) + 1 : 0);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		printf("    %s\n", line);
}

/*
 * Pin the bench's links where abacd looks for them, so that it reuses the
 * programs and maps instead of loading its own, and start it in the
 * untagged cgroup.  Returns its pid, or a negative errno.
 */
static pid_t agent_start(struct bench_hooks *h)
{
	char path[256];
	pid_t pid;
	int i, st;

	for (i = 0; i < h->nprogs; i++) {
		snprintf(path, sizeof(path), "%s/link_%s", BENCH_PIN_DIR,
			 h->progs[i].name);
		if (bpf_obj_pin(h->progs[i].link_fd, path))
			return -errno;
	}
	mkdir(AGENT_DIR, 0700);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		if (bench_enter_cgroup(false) ||
		    !freopen(AGENT_DIR "/abacd.out", "w", stdout) ||
		    dup2(fileno(stdout), 2) < 0)
			_exit(126);
		execlp("abacd", "abacd", "--state-dir", AGENT_DIR "/state",
		       "--log", AGENT_LOG, "--socket", AGENT_SOCK, "--pin-dir",
		       BENCH_PIN_DIR, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 600 && !agent_up(); i++) {
		if (waitpid(pid, &st, WNOHANG) == pid) {
			printf("  abacd exited at start (%s %d); its output:\n",
			       WIFEXITED(st) ? "status" : "signal",
			       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
			print_tail(AGENT_DIR "/abacd.out");
			return -ECHILD;
		}
		usleep(100000);
	}
	return agent_up() ? pid : -ETIMEDOUT;
}

static void agent_stop(struct bench_hooks *h, pid_t pid)
{
	char path[256];
	int i;

	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
	for (i = 0; i < h->nprogs; i++) {
		snprintf(path, sizeof(path), "%s/link_%s", BENCH_PIN_DIR,
			 h->progs[i].name);
		unlink(path);
	}
}

/**
 * struct producer - produce() in a child of a tagged cgroup, the bench
 *	itself staying untagged: once abacd runs, its tamper guard refuses
 *	a tagged process the signal that stops abacd and the bpf() calls
 *	of the steps after.
 * @pid: the child.
 * @fd: the pipe its result comes back on.
 */
struct producer {
	pid_t pid;
	int fd;
};

struct produced {
	int err;
	unsigned long denied;
	double ns;
};

/* Start produce(@path, @n, @rate) in the tagged cgroup, or the other. */
static int producer_start(struct producer *pr, bool other, const char *path,
			  unsigned long n, double rate)
{
	struct produced r = { -EIO, 0, 0 };
	int fds[2];

	if (pipe(fds))
		return -errno;
	pr->pid = fork();
	if (pr->pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -errno;
	}
	if (!pr->pid) {
		close(fds[0]);
		r.err = other ? bench_enter_other() : bench_enter_cgroup(true);
		if (!r.err)
			r.err = produce(path, n, rate, &r.denied, &r.ns);
		_exit(write(fds[1], &r, sizeof(r)) == sizeof(r) ? 0 : 1);
	}
	close(fds[1]);
	pr->fd = fds[0];
	return 0;
}

static int producer_wait(struct producer *pr, unsigned long *denied,
			 double *ns)
{
	struct produced r = { -EIO, 0, 0 };
	ssize_t got;
	int st;

	got = read(pr->fd, &r, sizeof(r));
	close(pr->fd);
	if (waitpid(pr->pid, &st, 0) != pr->pid || got != sizeof(r))
		return -EIO;
	*denied = r.denied;
	*ns = r.ns;
	return r.err;
}

/*
 * Wait until the log accounts for @secret denials of the secret file and
 * @distinct distinct files, or stops growing for 3 s (a fold window ends
 * with the record of the repeats it held).
 */
static void agent_drain(struct agent_log *lg, unsigned long secret,
			unsigned long distinct)
{
	unsigned long last = 0, now;
	int idle = 0;

	for (;;) {
		agent_read(lg);
		now = lg->secret + lg->distinct + lg->lost;
		if ((lg->secret + lg->lost >= secret &&
		     distinct_seen(lg) >= distinct) || idle >= 15)
			return;
		idle = now == last ? idle + 1 : 0;
		last = now;
		usleep(200000);
	}
}

static void agent_rate(struct bench_hooks *h, struct agent_log *lg,
		       double rate, unsigned long n)
{
	unsigned long denied = 0, lines0, secret0, lost0, stand;
	struct abac_counters c0, c1;
	unsigned long long lost;
	struct producer pr;
	double ns = 0;
	char label[32];
	int err;

	agent_read(lg);
	lines0 = lg->lines;
	secret0 = lg->secret;
	lost0 = lg->lost;
	if (abac_kern_counters(&h->kern, &c0))
		memset(&c0, 0, sizeof(c0));
	err = producer_start(&pr, false, BENCH_SECRET, n, rate);
	if (!err)
		err = producer_wait(&pr, &denied, &ns);
	if (err) {
		printf("  %-10.0f failed: %s\n", rate, strerror(-err));
		return;
	}
	agent_drain(lg, secret0 + denied, 0);
	if (abac_kern_counters(&h->kern, &c1))
		memset(&c1, 0, sizeof(c1));
	rate_label(rate, label, sizeof(label));
	stand = lg->secret - secret0;
	lost = c1.events_lost - c0.events_lost;
	printf("  %-10s %8lu %10.0f %8llu %8lu %8lu %6llu %s%s\n", label,
	       denied, denied / (ns / 1e9),
	       (unsigned long long)(c1.denied - c0.denied), lg->lines - lines0,
	       stand, lost, !lost && stand == denied ? "none lost" : "LOST",
	       lg->lost - lost0 + stand == denied ? "" :
	       " (log and losses do not add up)");
}

/*
 * A flood of FLOOD_DENIALS denials of one file from the tagged cgroup,
 * flat out, and BENCH_DISTINCT_N distinct denials from the other one
 * while it runs: every distinct one must be in the log, and the flood's
 * records must stand for all it produced.
 */
static void agent_flood(struct bench_hooks *h, struct agent_log *lg)
{
	unsigned long flood = 0, dist = 0, lines0, secret0, lost0, dist0;
	struct producer fp, dp;
	struct abac_counters c0, c1;
	double fns = 0, dns = 0;
	int err, err2;

	agent_read(lg);
	lines0 = lg->lines;
	secret0 = lg->secret;
	lost0 = lg->lost;
	dist0 = lg->distinct;
	memset(lg->seen, 0, sizeof(lg->seen));
	if (abac_kern_counters(&h->kern, &c0))
		memset(&c0, 0, sizeof(c0));
	err = producer_start(&fp, false, BENCH_SECRET, FLOOD_DENIALS, 0);
	if (err) {
		printf("  not measured: %s\n", strerror(-err));
		return;
	}
	usleep(200000);		/* the flood under way */
	err2 = producer_start(&dp, true, NULL, BENCH_DISTINCT_N, 0);
	if (!err2)
		err2 = producer_wait(&dp, &dist, &dns);
	err = producer_wait(&fp, &flood, &fns);
	if (err || err2) {
		printf("  not measured: %s\n", strerror(err ? -err : -err2));
		return;
	}
	agent_drain(lg, secret0 + flood, BENCH_DISTINCT_N);
	if (abac_kern_counters(&h->kern, &c1))
		memset(&c1, 0, sizeof(c1));
	printf("  flood:    %lu denials of one file from abac-bench/tagged, "
	       "%.0f/s: %lu lines standing for %lu (%s)\n", flood,
	       flood / (fns / 1e9), lg->lines - lines0 - (lg->distinct - dist0),
	       lg->secret - secret0, lg->secret - secret0 == flood ?
	       "all of them" : "NOT all");
	printf("  distinct: %lu denials of %u files from abac-bench/other "
	       "during the flood: %lu logged (%s)\n", dist, BENCH_DISTINCT_N,
	       distinct_seen(lg), distinct_seen(lg) == BENCH_DISTINCT_N ?
	       "every one" : "MISSING");
	printf("  lost: %llu (events_lost), %lu in the log's lost lines; "
	       "kernel counted %llu denials\n",
	       (unsigned long long)(c1.events_lost - c0.events_lost),
	       lg->lost - lost0, (unsigned long long)(c1.denied - c0.denied));
}

/**
 * bench_events_agent() - the same rates with abacd draining the ring into
 * its JSON-lines log, folding off and on, then the flood beside distinct
 * denials; "lines" counts the log lines naming the deny rule, "stand" the
 * denials they stand for.
 * @h: the programs and maps, attached, the policy of bench_events() in
 *	force and the caller tagged.
 *
 * The bench leaves the tagged cgroup before abacd starts: abacd attaches
 * the tamper guard, which would refuse a tagged bench the signal that
 * stops abacd.  The denials come from tagged children (struct producer).
 */
static void bench_events_agent(struct bench_hooks *h)
{
	struct agent_log lg = {};
	size_t i;
	pid_t pid;
	int on, err;

	printf("\ndenial events through abacd (%lu denials per rate, and "
	       "%lu flat out; \"lines\": lines of its event log)\n",
	       EVENTS_PER_RATE, SUSTAINED_DENIALS);
	err = bench_enter_cgroup(false);
	if (err) {
		printf("  not measured: cannot leave the tagged cgroup: %s\n",
		       strerror(-err));
		return;
	}
	pid = agent_start(h);
	if (pid < 0) {
		printf("  not measured: cannot start abacd: %s (see %s)\n",
		       strerror(-pid), AGENT_DIR "/abacd.out");
		agent_stop(h, 0);
		return;
	}
	for (on = 0; on < 2; on++) {
		err = set_folding(h, on);
		printf("  folding %s\n", on ? "on (the default 1 s window)" :
		       "off (every denial a record)");
		if (err) {
			printf("  not measured: cannot set folding: %s\n",
			       strerror(-err));
			continue;
		}
		print_columns("lines");
		for (i = 0; i < sizeof(rates) / sizeof(rates[0]); i++)
			agent_rate(h, &lg, rates[i], EVENTS_PER_RATE);
		/* longer than the ring holds: the backlog's share */
		if (!on)
			agent_rate(h, &lg, 0, SUSTAINED_DENIALS);
	}
	printf("\na flood beside distinct denials, through abacd (folding "
	       "on)\n");
	agent_flood(h, &lg);
	agent_stop(h, pid);
}
