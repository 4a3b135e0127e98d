// SPDX-License-Identifier: GPL-2.0-only
/*
 * Denial-event throughput: a tagged producer opens the secret file (a deny
 * rule refuses it, and the program reports the denial on the ring buffer)
 * at a paced rate, while a reader thread drains the ring buffer with
 * libbpf, as the agent does.  Every event is accounted for: produced (the
 * opens that failed with EACCES), counted by the kernel (denied), read by
 * the reader, and lost (the kernel's events_lost counter: no room left in
 * the ring).  The reader only counts: this measures the kernel side and
 * the ring buffer.  A second pass hands the same ring to abacd itself and
 * counts the lines its event log gains: the agent's whole event path.
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
#define AGENT_DIR	BENCH_DIR "/agent"
#define AGENT_LOG	AGENT_DIR "/events.jsonl"
#define AGENT_SOCK	AGENT_DIR "/abacd.sock"
#define AGENT_RULE	"\"bench-secret-denied\""

/**
 * struct reader - the ring buffer reader thread.
 * @rb: the libbpf ring buffer.
 * @read: events read.
 * @bad: events that were not the bench's denial by its deny rule.
 * @stop: set to end the thread.
 */
struct reader {
	struct ring_buffer *rb;
	atomic_ulong read;
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

/* Open the secret file @n times at @rate per second (0: flat out). */
static int produce(unsigned long n, double rate, unsigned long *denied,
		   double *ns)
{
	struct timespec nap = { 0, 20000 };
	double t0 = bench_now_ns();
	unsigned long i;
	int fd;

	*denied = 0;
	for (i = 0; i < n; i++) {
		while (rate > 0 && (double)i > (bench_now_ns() - t0) * rate / 1e9)
			nanosleep(&nap, NULL);
		fd = open(BENCH_SECRET, O_RDONLY);
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

/* Wait until the reader has read @want events, or stops making progress. */
static void drain(struct reader *rd, unsigned long want)
{
	unsigned long last = 0, now;
	int idle = 0;

	while ((now = atomic_load(&rd->read)) < want && idle < 20) {
		idle = now == last ? idle + 1 : 0;
		last = now;
		usleep(50000);
	}
}

static void one_rate(struct bench_hooks *h, struct reader *rd, double rate)
{
	struct abac_counters c0, c1;
	unsigned long denied, read0 = atomic_load(&rd->read);
	double ns = 0;
	char label[32];
	int err;

	if (abac_kern_counters(&h->kern, &c0))
		memset(&c0, 0, sizeof(c0));
	err = produce(EVENTS_PER_RATE, rate, &denied, &ns);
	if (err) {
		printf("  %-10.0f failed: %s\n", rate, strerror(-err));
		return;
	}
	drain(rd, read0 + denied);
	if (abac_kern_counters(&h->kern, &c1))
		memset(&c1, 0, sizeof(c1));
	if (rate > 0)
		snprintf(label, sizeof(label), "%.0f", rate);
	else
		snprintf(label, sizeof(label), "flat-out");
	printf("  %-10s %10lu %12.0f %10llu %10lu %10llu %s\n",
	       label, denied, denied / (ns / 1e9),
	       (unsigned long long)(c1.denied - c0.denied),
	       atomic_load(&rd->read) - read0,
	       (unsigned long long)(c1.events_lost - c0.events_lost),
	       c1.events_lost == c0.events_lost &&
	       atomic_load(&rd->read) - read0 == denied ? "none lost" : "LOST");
}

/**
 * bench_events() - denial-event throughput at 10,000/s, 100,000/s and
 * flat out, with loss counted: first with a counting reader, then with
 * abacd draining the ring into its log.
 * @h: the programs and maps.
 * @p: the policy to run under (its image must be built), or NULL.
 */
void bench_events(struct bench_hooks *h, const struct bench_policy *p)
{
	static const double rates[] = { 10000, 100000, 0 };
	struct reader rd = {};
	pthread_t tid;
	size_t i;
	int err;

	printf("\ndenial events (%lu denials per rate; reader: a libbpf "
	       "ring_buffer thread that counts)\n", EVENTS_PER_RATE);
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
	printf("  %-10s %10s %12s %10s %10s %10s\n", "target/s", "denials",
	       "achieved/s", "counted", "read", "lost");
	for (i = 0; i < sizeof(rates) / sizeof(rates[0]); i++)
		one_rate(h, &rd, rates[i]);
	if (atomic_load(&rd.bad))
		printf("  %lu events were not the expected denial\n",
		       atomic_load(&rd.bad));
	atomic_store(&rd.stop, 1);
	pthread_join(tid, NULL);
	ring_buffer__free(rd.rb);
	bench_events_agent(h);
}

/**
 * struct agent_log - what has been counted of the agent's log so far.
 * @off: bytes read, up to the end of the last whole line.
 * @lines: lines naming the bench's deny rule in those bytes.
 */
struct agent_log {
	off_t off;
	unsigned long lines;
};

/*
 * Count the denials in the whole lines the log gained since the last call:
 * only new bytes are read, so that counting takes little of the one CPU
 * the agent needs.
 */
static unsigned long agent_lines(struct agent_log *lg)
{
	static char buf[1 << 16];
	char *end, *p;
	ssize_t n;
	int fd;

	fd = open(AGENT_LOG, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return lg->lines;
	while ((n = pread(fd, buf, sizeof(buf) - 1, lg->off)) > 0) {
		buf[n] = 0;
		end = strrchr(buf, '\n');
		if (!end)
			break;	/* a line longer than buf cannot be an event */
		*end = 0;
		for (p = buf; (p = strstr(p, AGENT_RULE)); p += strlen(AGENT_RULE))
			lg->lines++;
		lg->off += end - buf + 1;
	}
	close(fd);
	return lg->lines;
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

/*
 * produce() from a child in the tagged cgroup, the bench itself staying
 * untagged: once abacd runs, its tamper guard refuses a tagged process
 * the signal that stops abacd and the bpf() calls of the steps after.
 */
static int produce_tagged(unsigned long n, double rate,
			  unsigned long *denied, double *ns)
{
	struct {
		int err;
		unsigned long denied;
		double ns;
	} r = { -EIO, 0, 0 };
	int fds[2], st;
	ssize_t got;
	pid_t pid;

	if (pipe(fds))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -errno;
	}
	if (!pid) {
		close(fds[0]);
		r.err = bench_enter_cgroup(true);
		if (!r.err)
			r.err = produce(n, rate, &r.denied, &r.ns);
		_exit(write(fds[1], &r, sizeof(r)) == sizeof(r) ? 0 : 1);
	}
	close(fds[1]);
	got = read(fds[0], &r, sizeof(r));
	close(fds[0]);
	if (waitpid(pid, &st, 0) != pid || got != sizeof(r))
		return -EIO;
	*denied = r.denied;
	*ns = r.ns;
	return r.err;
}

/* Wait until the log holds @want denials or stops growing for 2 s. */
static unsigned long agent_drain(struct agent_log *lg, unsigned long want)
{
	unsigned long last = 0, now;
	int idle = 0;

	while ((now = agent_lines(lg)) < want && idle < 10) {
		idle = now == last ? idle + 1 : 0;
		last = now;
		usleep(200000);
	}
	return now;
}

static void agent_rate(struct bench_hooks *h, struct agent_log *lg,
		       double rate)
{
	unsigned long denied = 0, logged0 = agent_lines(lg), logged;
	struct abac_counters c0, c1;
	double ns = 0;
	char label[32];
	int err;

	if (abac_kern_counters(&h->kern, &c0))
		memset(&c0, 0, sizeof(c0));
	err = produce_tagged(EVENTS_PER_RATE, rate, &denied, &ns);
	if (err) {
		printf("  %-10.0f failed: %s\n", rate, strerror(-err));
		return;
	}
	logged = agent_drain(lg, logged0 + denied) - logged0;
	if (abac_kern_counters(&h->kern, &c1))
		memset(&c1, 0, sizeof(c1));
	if (rate > 0)
		snprintf(label, sizeof(label), "%.0f", rate);
	else
		snprintf(label, sizeof(label), "flat-out");
	printf("  %-10s %10lu %12.0f %10llu %10lu %10llu %s\n", label, denied,
	       denied / (ns / 1e9),
	       (unsigned long long)(c1.denied - c0.denied), logged,
	       (unsigned long long)(c1.events_lost - c0.events_lost),
	       c1.events_lost == c0.events_lost && logged == denied ?
	       "none lost" : "LOST");
}

/**
 * bench_events_agent() - the same rates with abacd draining the ring into
 * its JSON-lines log; "logged" counts the log lines naming the deny rule.
 * @h: the programs and maps, attached, the policy of bench_events() in
 *	force and the caller tagged.
 *
 * The bench leaves the tagged cgroup before abacd starts: abacd attaches
 * the tamper guard, which would refuse a tagged bench the signal that
 * stops abacd.  The denials come from a tagged child (produce_tagged()).
 */
static void bench_events_agent(struct bench_hooks *h)
{
	static const double rates[] = { 10000, 100000, 0 };
	struct agent_log lg = {};
	size_t i;
	pid_t pid;
	int err;

	printf("\ndenial events through abacd (%lu denials per rate; "
	       "\"logged\": lines of its event log)\n", EVENTS_PER_RATE);
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
	printf("  %-10s %10s %12s %10s %10s %10s\n", "target/s", "denials",
	       "achieved/s", "counted", "logged", "lost");
	for (i = 0; i < sizeof(rates) / sizeof(rates[0]); i++)
		agent_rate(h, &lg, rates[i]);
	agent_stop(h, pid);
}
