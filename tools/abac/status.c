// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac status: abacd's own report; and when abacd is down, what the
 * kernel shows (the pins under /sys/fs/bpf/abac, or the native LSM's
 * files under /sys/kernel/security/abac), since enforcement outlives the
 * agent and an operator must be able to tell what is still in force.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "abac.h"
#include "ctl.h"
#include "kern.h"
#include "libabac.h"
#include "native.h"

/**
 * struct pins - what the kernel shows: the pinned BPF objects, or the
 *	native LSM's files.
 * @native: the native LSM enforces alone (no BPF-LSM): the rest comes
 *	from its files.
 * @attached: the programs' links are pinned.
 * @pin_err: 0, or why the pins cannot be read (then @attached is unknown).
 * @img_err: 0 when @img holds the image in force, -ENOENT when there is
 *	none, or why it could not be read.
 * @img: the image in force.
 * @len: its bytes.
 * @cnt_err: 0 when @cnt holds the counters.
 * @cnt: the counters summed over the CPUs.
 */
struct pins {
	bool native;
	bool attached;
	int pin_err;
	int img_err;
	void *img;
	size_t len;
	int cnt_err;
	struct abac_counters cnt;
};

/* The native LSM's image and counters, when it enforces alone. */
static void read_native(struct pins *p)
{
	struct abac_native_status ns;

	p->native = true;
	p->img_err = abac_native_get_image(&p->img, &p->len);
	p->cnt_err = abac_native_status(&ns);
	if (!p->cnt_err)
		p->cnt = ns.cnt;
}

static void read_pins(struct pins *p)
{
	struct abac_kern k;
	int err;

	memset(p, 0, sizeof(*p));
	if (abac_native_present() && !abac_lsm_active("bpf")) {
		read_native(p);
		return;
	}
	p->attached = abac_kern_attached(ABAC_PIN_DIR);
	err = kern_open_pins(&k);
	p->pin_err = err == -ENOENT ? 0 : err;
	p->img_err = p->cnt_err = err;
	if (err)
		return;
	p->img_err = abac_kern_get_image(&k, &p->img, &p->len);
	p->cnt_err = abac_kern_counters(&k, &p->cnt);
	abac_kern_close(&k);
}

/* BPF map values (chunks of ABAC_CHUNK_RECORDS records) the image takes. */
static unsigned int image_chunks(const struct abac_image_hdr *h)
{
	return (h->total_records + ABAC_CHUNK_RECORDS - 1) /
	       ABAC_CHUNK_RECORDS;
}

static const struct abac_image_hdr *pins_hdr(const struct pins *p)
{
	return p->img_err ? NULL : p->img;
}

static const char *mode_name(unsigned int mode)
{
	return mode == ABAC_MODE_AUDIT ? "audit" : "enforce";
}

static const char *effect_name(unsigned int effect)
{
	return effect == ABAC_ALLOW ? "allow" : "deny";
}

/* Tagged cgroups: the used slots of the image's subject table. */
static unsigned int count_subjects(const struct pins *p)
{
	const struct abac_image_hdr *h = pins_hdr(p);
	struct abac_image v = abac_image_view(p->img, p->len);
	const struct abac_subj_key *key;
	unsigned int i, n = 0;

	for (i = 0; i < h->subj_size; i++) {
		key = abac_rec(&v, h->subj_off + i * ABAC_SUBJ_RECORDS);
		if (!key)
			break;
		n += key->cgroup_id != 0;
	}
	return n;
}

/* The hooks attached, as their link pins show. */
static void print_hooks_plain(void)
{
	unsigned int i, n = 0;

	fputs("hooks attached:", stdout);
	for (i = 0; abac_hooks[i].prog; i++) {
		if (abac_kern_hook_attached(ABAC_PIN_DIR, i)) {
			printf(" %s", abac_hooks[i].hook);
			n++;
		}
	}
	fputs(n ? "\nhooks missing:" : " none\nhooks missing:", stdout);
	for (i = 0, n = 0; abac_hooks[i].prog; i++) {
		if (!abac_kern_hook_attached(ABAC_PIN_DIR, i)) {
			printf(" %s", abac_hooks[i].hook);
			n++;
		}
	}
	fputs(n ? "\n" : " none\n", stdout);
}

static void print_hooks_json(const struct pins *p)
{
	unsigned int i;

	abac_json_key(jw(), "hooks");
	if (p->pin_err || !p->attached) {
		abac_json_null(jw());
		return;
	}
	abac_json_obj_begin(jw());
	for (i = 0; abac_hooks[i].prog; i++)
		abac_json_kv_bool(jw(), abac_hooks[i].hook,
				  abac_kern_hook_attached(ABAC_PIN_DIR, i));
	abac_json_obj_end(jw());
}

static void print_pins_plain(const struct pins *p)
{
	const struct abac_image_hdr *h = pins_hdr(p);

	if (p->native)
		printf("backend: native (the native abac LSM, %s)\n",
		       ABAC_NATIVE_DIR);
	else if (p->pin_err)
		printf("programs: unknown (%s: %s)\n", ABAC_PIN_DIR,
		       strerr(p->pin_err));
	else
		printf("programs: %s (pins under %s)\n",
		       p->attached ? "attached" : "not attached",
		       ABAC_PIN_DIR);
	if (!p->native && !p->pin_err && p->attached)
		print_hooks_plain();
	if (h) {
		printf("policy: %s, generation %u, hash 0x%016llx, %s, default %s, %u rules\n",
		       abac_image_str(p->img, p->len, h->name_str),
		       h->generation, (unsigned long long)h->content_hash,
		       mode_name(h->mode), effect_name(h->default_effect),
		       h->nrules);
		printf("image: %u records, %u chunk%s of %u records%s\n",
		       h->total_records, image_chunks(h),
		       image_chunks(h) == 1 ? "" : "s", ABAC_CHUNK_RECORDS,
		       p->native ? " (the native LSM reads it whole)" : "");
		printf("subjects: %u tagged cgroups\n", count_subjects(p));
	} else if (p->img_err == -ENOENT)
		printf("policy: none in force\n");
	else
		printf("policy: unknown (%s)\n", strerr(p->img_err));
	if (!p->cnt_err)
		printf("counters: %llu decisions, %llu denied, %llu audited, %llu events lost, %llu bad labels, %llu tamper attempts refused, %llu denials folded\n",
		       (unsigned long long)p->cnt.decisions,
		       (unsigned long long)p->cnt.denied,
		       (unsigned long long)p->cnt.audited,
		       (unsigned long long)p->cnt.events_lost,
		       (unsigned long long)p->cnt.bad_labels,
		       (unsigned long long)p->cnt.guarded,
		       (unsigned long long)p->cnt.folded);
}

static void print_policy_json(const struct pins *p)
{
	const struct abac_image_hdr *h = pins_hdr(p);
	char hash[24];

	abac_json_key(jw(), "policy");
	if (!h) {
		abac_json_null(jw());
		if (p->img_err != -ENOENT)
			abac_json_kv_str(jw(), "policy_error",
					 strerr(p->img_err));
		return;
	}
	snprintf(hash, sizeof(hash), "0x%016llx",
		 (unsigned long long)h->content_hash);
	abac_json_obj_begin(jw());
	abac_json_kv_str(jw(), "name",
			 abac_image_str(p->img, p->len, h->name_str));
	abac_json_kv_u64(jw(), "generation", h->generation);
	abac_json_kv_str(jw(), "content_hash", hash);
	abac_json_kv_str(jw(), "mode", mode_name(h->mode));
	abac_json_kv_str(jw(), "default", effect_name(h->default_effect));
	abac_json_kv_u64(jw(), "rules", h->nrules);
	abac_json_kv_u64(jw(), "records", h->total_records);
	abac_json_kv_u64(jw(), "chunks", image_chunks(h));
	abac_json_obj_end(jw());
	abac_json_kv_u64(jw(), "subjects", count_subjects(p));
}

static void print_counters_json(const struct pins *p)
{
	abac_json_key(jw(), "counters");
	if (p->cnt_err) {
		abac_json_null(jw());
		return;
	}
	abac_json_obj_begin(jw());
	abac_json_kv_u64(jw(), "decisions", p->cnt.decisions);
	abac_json_kv_u64(jw(), "denied", p->cnt.denied);
	abac_json_kv_u64(jw(), "audited", p->cnt.audited);
	abac_json_kv_u64(jw(), "events_lost", p->cnt.events_lost);
	abac_json_kv_u64(jw(), "bad_labels", p->cnt.bad_labels);
	abac_json_kv_u64(jw(), "guarded", p->cnt.guarded);
	abac_json_kv_u64(jw(), "folded", p->cnt.folded);
	abac_json_obj_end(jw());
}

static void print_pins_json(const struct pins *p, const char *why)
{
	abac_json_obj_begin(jw());
	abac_json_kv_str(jw(), "error", why);
	abac_json_key(jw(), "agent");
	abac_json_obj_begin(jw());
	abac_json_kv_bool(jw(), "running", false);
	abac_json_kv_str(jw(), "socket", ctl_path);
	abac_json_obj_end(jw());
	abac_json_kv_str(jw(), "backend", p->native ? "native" : "bpf");
	abac_json_key(jw(), "attached");
	if (p->pin_err || p->native)
		abac_json_null(jw());
	else
		abac_json_bool(jw(), p->attached);
	abac_json_kv_str(jw(), "pin_dir", ABAC_PIN_DIR);
	print_hooks_json(p);
	print_policy_json(p);
	print_counters_json(p);
	abac_json_obj_end(jw());
}

/* abacd is down: say so, then report what the kernel shows. */
static int status_without_agent(int err)
{
	struct pins p;
	char why[512];

	snprintf(why, sizeof(why), "%s (connect %s: %s)",
		 err == -ENOENT || err == -ECONNREFUSED ?
		 "abacd is not running" : "cannot reach abacd",
		 ctl_path, strerr(err));
	read_pins(&p);
	if (json_output) {
		print_pins_json(&p, why);
	} else {
		printf("%s\n", why);
		print_pins_plain(&p);
	}
	free(p.img);
	return ABAC_EXIT_FAIL;
}

/*
 * The decisions each rule of @p's image took: from the per-CPU map (BPF,
 * the counts of the image's generation only) or the native LSM's
 * rule_hits file.  0, -EAGAIN when the native LSM's image in force is no
 * longer the one read, or a negative errno.
 */
static int read_rule_hits(const struct pins *p, __u64 *hits)
{
	const struct abac_image_hdr *h = pins_hdr(p);
	struct abac_kern k;
	__u32 gen;
	int err;

	if (p->native) {
		err = abac_native_rule_hits(&gen, hits, h->nrules);
		return !err && gen != h->generation ? -EAGAIN : err;
	}
	err = kern_open_pins(&k);
	if (err)
		return err;
	err = abac_kern_rule_hits(&k, h->generation, hits, h->nrules);
	abac_kern_close(&k);
	return err;
}

static void print_rules_plain(const struct pins *p, const __u64 *hits)
{
	const struct abac_image_hdr *h = pins_hdr(p);
	const char *id, *nlp;
	__u32 i;
	int eff;

	printf("policy: %s, generation %u, %u rules (%s backend)\n",
	       abac_image_str(p->img, p->len, h->name_str), h->generation,
	       h->nrules, p->native ? "native" : "bpf");
	printf("%12s  %-6s  %s\n", "DECISIONS", "EFFECT", "RULE");
	for (i = 0; i < h->nrules; i++) {
		abac_image_rule_text(p->img, p->len, i, &id, &nlp);
		eff = abac_image_rule_effect(p->img, p->len, i);
		printf("%12llu  %-6s  %s", (unsigned long long)hits[i],
		       eff < 0 ? "?" : effect_name(eff), id ? id : "?");
		if (nlp && *nlp)
			printf("  \"%s\"", nlp);
		putchar('\n');
	}
}

static void print_rules_json(const struct pins *p, const __u64 *hits)
{
	const struct abac_image_hdr *h = pins_hdr(p);
	const char *id, *nlp;
	char hash[ABAC_HASH_TEXT];
	__u32 i;
	int eff;

	abac_json_obj_begin(jw());
	abac_json_kv_str(jw(), "backend", p->native ? "native" : "bpf");
	abac_json_key(jw(), "policy");
	abac_json_obj_begin(jw());
	abac_json_kv_str(jw(), "name",
			 abac_image_str(p->img, p->len, h->name_str));
	abac_json_kv_u64(jw(), "generation", h->generation);
	abac_json_kv_str(jw(), "content_hash",
			 abac_hash_text(h->content_hash, hash));
	abac_json_obj_end(jw());
	abac_json_key(jw(), "rules");
	abac_json_arr_begin(jw());
	for (i = 0; i < h->nrules; i++) {
		abac_image_rule_text(p->img, p->len, i, &id, &nlp);
		eff = abac_image_rule_effect(p->img, p->len, i);
		abac_json_obj_begin(jw());
		abac_json_kv_u64(jw(), "index", i);
		abac_json_kv_str(jw(), "id", id);
		abac_json_kv_str(jw(), "effect", eff < 0 ? NULL :
				 effect_name(eff));
		abac_json_kv_u64(jw(), "decisions", hits[i]);
		abac_json_kv_str(jw(), "nlp", nlp);
		abac_json_obj_end(jw());
	}
	abac_json_arr_end(jw());
	abac_json_obj_end(jw());
}

/*
 * abac status --rules: the decisions each rule of the image in force
 * took, read from the kernel (abacd need not run).
 */
static int status_rules(void)
{
	const struct abac_image_hdr *h;
	__u64 *hits = NULL;
	struct pins p;
	int err, tries;

	for (tries = 0; tries < 3; tries++) {
		read_pins(&p);
		h = pins_hdr(&p);
		if (!h) {
			if (p.img_err == -ENOENT || !p.img_err)
				p_err("No policy in force: no rule to count");
			else
				p_err("Failed to read the policy in force: %s",
				      strerr(p.img_err));
			free(p.img);
			return ABAC_EXIT_FAIL;
		}
		hits = calloc(h->nrules ? h->nrules : 1, sizeof(*hits));
		err = hits ? read_rule_hits(&p, hits) : -ENOMEM;
		if (err != -EAGAIN)
			break;
		free(hits);
		hits = NULL;
		free(p.img);
	}
	if (err) {
		p_err("Failed to read the rule counters: %s", strerr(err));
	} else if (json_output) {
		print_rules_json(&p, hits);
	} else {
		print_rules_plain(&p, hits);
	}
	free(hits);
	free(p.img);
	return err ? ABAC_EXIT_FAIL : 0;
}

#define STATUS_WAIT_DEFAULT	90	/* s: a TCG verifier takes minutes */
#define STATUS_WAIT_MAX		86400

/*
 * Connect to abacd, waiting up to @secs seconds for it to listen: it
 * opens its socket only once the programs are attached and the policy is
 * in force, so a connection means ready.  A stale socket file refuses
 * connections and is waited past.
 */
static int connect_within(unsigned long secs)
{
	struct timespec nap = { 0, 100 * 1000 * 1000 };
	unsigned long tries = secs * 10;
	int fd;

	for (;;) {
		fd = abac_ctl_connect(ctl_path);
		if (fd >= 0 || !tries--)
			return fd;
		if (fd != -ENOENT && fd != -ECONNREFUSED)
			return fd;	/* EACCES and the like do not pass */
		nanosleep(&nap, NULL);
	}
}

/* "--wait [SECONDS]": the seconds, or -1 when SECONDS is not a number. */
static long wait_seconds(int argc, char **argv, bool wait)
{
	unsigned long v;
	char *end;

	if (!wait)
		return argc == optind ? 0 : -1;
	if (argc == optind)
		return STATUS_WAIT_DEFAULT;
	if (argc != optind + 1)
		return -1;
	errno = 0;
	v = strtoul(argv[optind], &end, 10);
	if (errno || end == argv[optind] || *end || v > STATUS_WAIT_MAX ||
	    argv[optind][0] == '-')
		return -1;
	return (long)v;
}

/**
 * do_status() - abac status [--wait [SECONDS]] | --rules
 * @argc: argument count, "status" in argv[0].
 * @argv: the arguments.
 *
 * Return: abacd's status; 1 when abacd is not running (after reporting
 * what the pins show), with --wait when it did not come up in time; 2 on
 * misuse.  With --rules: 0 and the decisions of each rule, read from the
 * kernel; 1 when there is no policy in force or no counter to read.
 */
int do_status(int argc, char **argv)
{
	static const struct option opts[] = {
		ABAC_COMMON_LONGOPTS,
		{ "wait", no_argument, NULL, 'w' },
		{ "rules", no_argument, NULL, 'r' },
		{ NULL }
	};
	static const char *const args[] = { "status" };
	struct agent_reply r;
	bool wait = false, rules = false;
	long secs;
	int c, fd, err, ret;

	while ((c = verb_getopt(argc, argv, "wr" ABAC_COMMON_SHORTOPTS,
				opts)) != -1) {
		if (c == 'w')
			wait = true;
		else if (c == 'r')
			rules = true;
		else
			return ABAC_EXIT_USAGE;
	}
	if (rules) {
		if (wait || argc != optind)
			return p_usage("status --rules takes no other argument");
		return status_rules();
	}
	secs = wait_seconds(argc, argv, wait);
	if (secs < 0)
		return p_usage(wait ? "--wait takes a number of seconds, 0 to 86400" :
			       "status takes no arguments");
	fd = connect_within(secs);
	if (fd < 0)
		return status_without_agent(fd);
	err = agent_send(fd, "get status", 1, args);
	if (!err) {
		err = agent_read(fd, "get status", &r);
		if (err == -EPIPE)
			p_err("Failed to get status: abacd closed the connection");
	}
	close(fd);
	if (err)
		return ABAC_EXIT_FAIL;
	ret = agent_print(&r);
	agent_reply_free(&r);
	return ret;
}
