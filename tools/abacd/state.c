// SPDX-License-Identifier: GPL-2.0-only
/*
 * abacd's state directory: what must survive a restart for the agent to
 * rebuild the very image the kernel holds.
 *
 *   policy.yaml   the source of the policy in force
 *   subjects      one tagged cgroup a line: absolute path, TAB, tags
 *   generation    the generation of the image in force
 *   bindings      one cgroup bound at run time a line: absolute path,
 *                 TAB, owner, TAB, tags (rtbind.c)
 *
 * Every change writes all four files to temporaries, fsync()s them, and
 * renames them over the old ones only once the kernel took the new image:
 * a crash leaves either the old or the new file, never half of one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abacd.h"

#define STATE_POLICY		"policy.yaml"
#define STATE_SUBJECTS		"subjects"
#define STATE_GENERATION	"generation"
#define STATE_BINDINGS		"bindings"

/**
 * state_path() - the path of one state file.
 * @d: the agent.
 * @file: the file's name in the state directory.
 * @buf: receives the path.
 * @sz: bytes at @buf.
 */
void state_path(const struct abacd *d, const char *file, char *buf,
		size_t sz)
{
	snprintf(buf, sz, "%s/%s", d->state_dir, file);
}

/* mkdir -p for the parents of @path, each 0755 like any system folder. */
static int make_parents(const char *path)
{
	char buf[PATH_MAX], *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (p = strchr(buf + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return 0;
}

/**
 * make_dir() - create a directory and its parents.
 * @path: the directory.
 * @mode: its mode, when abacd creates it.
 * @gid: its group when abacd creates it, or (gid_t)-1 to leave root's.
 *
 * A directory that exists already keeps the mode and owner the
 * administrator gave it.
 *
 * Return: 0, or a negative errno (-ENOTDIR when @path is something else).
 */
int make_dir(const char *path, mode_t mode, gid_t gid)
{
	struct stat st;
	int err;

	err = make_parents(path);
	if (err)
		return err;
	if (mkdir(path, mode)) {
		if (errno != EEXIST)
			return -errno;
		if (stat(path, &st))
			return -errno;
		return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
	}
	/* mkdir() applied the umask; the mode asked for is the one meant */
	if (chmod(path, mode) ||
	    (gid != (gid_t)-1 && chown(path, 0, gid)))
		return -errno;
	return 0;
}

/**
 * state_init() - create the state directory (0700: only abacd reads it).
 * @d: the agent.
 *
 * Return: 0 or a negative errno.
 */
int state_init(const struct abacd *d)
{
	return make_dir(d->state_dir, 0700, (gid_t)-1);
}

/* Read a whole file into a NUL-terminated buffer. */
static int read_whole(const char *path, char **buf, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *b = NULL, *nb;
	ssize_t r;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (!b || cap - n < 2) {
			cap *= 2;
			nb = realloc(b, cap);
			if (!nb) {
				err = -ENOMEM;
				break;
			}
			b = nb;
		}
		r = read(fd, b + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			err = r < 0 ? -errno : 0;
			break;
		}
		n += r;
	}
	close(fd);
	if (err) {
		free(b);
		return err;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

/* One "path<TAB>tags" line; comments and blank lines are skipped. */
static int parse_subject(char *line, struct subjects *s)
{
	struct subject *v, *e;
	char *tab;

	if (!*line || *line == '#')
		return 0;
	tab = strchr(line, '\t');
	if (!tab || line[0] != '/' || !tab[1])
		return -EINVAL;
	*tab = '\0';
	v = realloc(s->v, (s->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->v = v;
	e = &v[s->n];
	memset(e, 0, sizeof(*e));
	e->path = strdup(line);
	e->tags = strdup(tab + 1);
	if (!e->path || !e->tags) {
		free(e->path);
		free(e->tags);
		return -ENOMEM;
	}
	s->n++;
	return 0;
}

/* Parse a subjects file's text (modified in place) into @s. */
static int parse_subjects(char *buf, const char *name, struct subjects *s)
{
	char *line, *save = NULL;
	unsigned int lineno = 0;
	int err = 0;

	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		err = parse_subject(line, s);
		if (err == -EINVAL) {
			say("warning: %s: line %u is not PATH<TAB>TAGS: dropped",
			    name, lineno);
			err = 0;
		}
		if (err)
			break;
	}
	return err;
}

static int load_subjects(const char *path, struct subjects *s)
{
	char *buf;
	size_t len;
	int err;

	err = read_whole(path, &buf, &len);
	if (err)
		return err == -ENOENT ? 0 : err;
	err = parse_subjects(buf, path, s);
	free(buf);
	return err;
}

static int load_generation(const char *path, __u32 *gen)
{
	unsigned long long v;
	char *buf, *end;
	size_t len;
	int err;

	*gen = 0;
	err = read_whole(path, &buf, &len);
	if (err)
		return err == -ENOENT ? 0 : err;
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (errno || end == buf || (*end && *end != '\n') || v > 0xffffffffULL)
		err = -EINVAL;
	else
		*gen = (__u32)v;
	free(buf);
	return err;
}

/**
 * state_load() - read the state directory.
 * @d: the agent.
 * @suffix: "" for the state in force, ".new" for a staged one a crash
 *	left behind.
 * @source: receives the policy source (NULL when there is none).
 * @len: receives its length.
 * @s: receives the tagged cgroups by path and tags (ids and levels are
 *	the caller's to find: cgroups come and go while abacd is down).
 * @generation: receives the generation (0 when there is none).
 *
 * Return: 0, or a negative errno naming what could not be read, which the
 * caller reports; nothing is returned then.
 */
int state_load(const struct abacd *d, const char *suffix, char **source,
	       size_t *len, struct subjects *s, __u32 *generation)
{
	char path[PATH_MAX];
	int err;

	*source = NULL;
	*len = 0;
	*generation = 0;
	memset(s, 0, sizeof(*s));
	snprintf(path, sizeof(path), "%s/%s%s", d->state_dir, STATE_POLICY,
		 suffix);
	err = read_whole(path, source, len);
	if (err == -ENOENT)
		return 0;	/* no policy: nothing else matters */
	if (!err) {
		snprintf(path, sizeof(path), "%s/%s%s", d->state_dir,
			 STATE_SUBJECTS, suffix);
		err = load_subjects(path, s);
	}
	if (!err) {
		snprintf(path, sizeof(path), "%s/%s%s", d->state_dir,
			 STATE_GENERATION, suffix);
		/* the kernel's image says which generation it is, too */
		if (load_generation(path, generation))
			say("warning: %s is not a generation number: taken as 0",
			    path);
	}
	if (err) {
		say("failed to read state file %s: %s", path, strerror(-err));
		free(*source);
		*source = NULL;
		subjects_free(s);
	}
	return err;
}

static int write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= n;
	}
	return 0;
}

/* Write @buf to a new temporary beside @file and fsync() it. */
static int stage_file(const struct abacd *d, struct staged *st,
		      const char *file, const char *buf, size_t len)
{
	char *tmp = st->tmp[st->n], *dst = st->dst[st->n];
	int fd, err;

	state_path(d, file, dst, PATH_MAX);
	snprintf(tmp, PATH_MAX, "%s/%s.new", d->state_dir, file);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	st->n++;	/* from here on state_abort() removes it */
	err = write_all(fd, buf, len);
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

/* The subjects file's text, malloc()ed. */
static char *subjects_text(const struct subjects *s, size_t *len)
{
	char *buf = NULL;
	size_t i;
	FILE *f;

	f = open_memstream(&buf, len);
	if (!f)
		return NULL;
	fputs("# abacd: tagged cgroups, one a line: PATH<TAB>KEY=VALUE...\n", f);
	for (i = 0; i < s->n; i++) {
		/* the policy's bindings find these again */
		if (!s->v[i].bound)
			fprintf(f, "%s\t%s\n", s->v[i].path,
				s->v[i].tags);
	}
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/**
 * state_stage() - write a new state beside the old one.
 * @d: the agent.
 * @source: the policy source.
 * @len: its length.
 * @s: the tagged cgroups.
 * @generation: the generation.
 * @st: receives what to commit or abort.
 *
 * Return: 0, or a negative errno after removing whatever was written.
 */
int state_stage(const struct abacd *d, const char *source, size_t len,
		const struct subjects *s, __u32 generation, struct staged *st)
{
	char gen[16], *subj, *binds;
	size_t slen, blen;
	int err;

	memset(st, 0, sizeof(*st));
	subj = subjects_text(s, &slen);
	binds = rtbinds_text(&d->rt, &blen);
	if (!subj || !binds) {
		free(subj);
		free(binds);
		return -ENOMEM;
	}
	snprintf(gen, sizeof(gen), "%u\n", generation);
	err = stage_file(d, st, STATE_POLICY, source, len);
	if (!err)
		err = stage_file(d, st, STATE_SUBJECTS, subj, slen);
	if (!err)
		err = stage_file(d, st, STATE_GENERATION, gen, strlen(gen));
	if (!err)
		err = stage_file(d, st, STATE_BINDINGS, binds, blen);
	free(subj);
	free(binds);
	if (err) {
		say("failed to write state in %s: %s", d->state_dir,
		    strerror(-err));
		state_abort(st);
	}
	return err;
}

/**
 * state_load_bindings() - read the cgroups bound at run time.
 * @d: the agent.
 * @suffix: "" for the state in force, ".new" for a staged one.
 * @rt: receives them.
 *
 * A missing file is no binding; an unreadable one is reported and its
 * bindings are not restored (the next change writes the file anew).
 *
 * Return: 0 or a negative errno.
 */
int state_load_bindings(const struct abacd *d, const char *suffix,
			struct rtbinds *rt)
{
	char path[PATH_MAX], *buf;
	size_t len;
	int err;

	memset(rt, 0, sizeof(*rt));
	snprintf(path, sizeof(path), "%s/%s%s", d->state_dir, STATE_BINDINGS,
		 suffix);
	err = read_whole(path, &buf, &len);
	if (err == -ENOENT)
		return 0;
	if (!err) {
		err = rtbinds_parse(d, buf, path, rt);
		free(buf);
	}
	if (err)
		say("failed to read state file %s: %s", path, strerror(-err));
	return err;
}

/* fsync() the state directory, so that the renames themselves persist. */
static void sync_dir(const char *file)
{
	char dir[PATH_MAX], *slash;
	int fd;

	snprintf(dir, sizeof(dir), "%s", file);
	slash = strrchr(dir, '/');
	if (slash && slash != dir)
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	fsync(fd);
	close(fd);
}

/**
 * state_commit() - rename the staged files over the old ones.
 * @st: what state_stage() wrote.
 *
 * Return: 0, or a negative errno; the files not renamed yet are removed.
 */
int state_commit(struct staged *st)
{
	int i, err = 0;

	for (i = 0; i < st->n; i++) {
		if (!err && rename(st->tmp[i], st->dst[i])) {
			err = -errno;
			say("failed to rename state file %s: %s", st->tmp[i],
			    strerror(errno));
		}
		if (err)
			unlink(st->tmp[i]);
	}
	if (st->n)
		sync_dir(st->dst[0]);
	st->n = 0;
	return err;
}

/**
 * state_abort() - remove the staged files; the old state stays.
 * @st: what state_stage() wrote.
 */
void state_abort(struct staged *st)
{
	int i;

	for (i = 0; i < st->n; i++)
		unlink(st->tmp[i]);
	st->n = 0;
}

/*
 * The state as one blob, for the copy kept beside the pins:
 * struct state_blob, then the policy source, the subjects text and the
 * run-time bindings' text (the state files' texts).  A blob of the first
 * format (STATE_BLOB_MAGIC_V1, no bindings_len, no bindings) is still
 * read: it restores with no run-time binding.
 */
#define STATE_BLOB_MAGIC_V1	0x54534241U	/* "ABST" */
#define STATE_BLOB_MAGIC	0x32534241U	/* "ABS2" */

struct state_blob {
	__u32 magic;
	__u32 generation;
	__u32 policy_len;
	__u32 subjects_len;
	__u32 bindings_len;	/* STATE_BLOB_MAGIC only */
};

#define STATE_BLOB_V1_LEN	offsetof(struct state_blob, bindings_len)

/**
 * state_blob() - the state as one blob.
 * @source: the policy source.
 * @len: its length.
 * @s: the tagged cgroups.
 * @rt: the cgroups bound at run time.
 * @generation: the generation.
 * @blob: receives the blob, malloc()ed.
 * @blob_len: receives its length.
 *
 * Return: 0 or -ENOMEM.
 */
int state_blob(const char *source, size_t len, const struct subjects *s,
	       const struct rtbinds *rt, __u32 generation, void **blob,
	       size_t *blob_len)
{
	struct state_blob h = { STATE_BLOB_MAGIC, generation, len, 0, 0 };
	char *subj, *binds, *b = NULL;
	size_t slen, blen;

	subj = subjects_text(s, &slen);
	binds = rtbinds_text(rt, &blen);
	if (subj && binds)
		b = malloc(sizeof(h) + len + slen + blen);
	if (!b) {
		free(subj);
		free(binds);
		return -ENOMEM;
	}
	h.subjects_len = slen;
	h.bindings_len = blen;
	memcpy(b, &h, sizeof(h));
	memcpy(b + sizeof(h), source, len);
	memcpy(b + sizeof(h) + len, subj, slen);
	memcpy(b + sizeof(h) + len + slen, binds, blen);
	free(subj);
	free(binds);
	*blob = b;
	*blob_len = sizeof(h) + len + slen + blen;
	return 0;
}

/* A copy of @len bytes at @p, NUL-terminated; NULL when out of memory. */
static char *blob_text(const char *p, size_t len)
{
	char *t = malloc(len + 1);

	if (t) {
		memcpy(t, p, len);
		t[len] = '\0';
	}
	return t;
}

/**
 * state_unblob() - read a blob state_blob() made.
 * @d: the agent (its cgroup root, for the run-time bindings).
 * @blob: the blob.
 * @blob_len: its length.
 * @source: receives the policy source, malloc()ed, NUL-terminated.
 * @len: receives its length.
 * @s: receives the tagged cgroups.
 * @rt: receives the cgroups bound at run time (none from a blob of the
 *	first format).
 * @generation: receives the generation.
 *
 * Return: 0, -EBADMSG when it is not such a blob, -ENOMEM.
 */
int state_unblob(const struct abacd *d, const void *blob, size_t blob_len,
		 char **source, size_t *len, struct subjects *s,
		 struct rtbinds *rt, __u32 *generation)
{
	struct state_blob h = { 0 };
	const char *b = blob;
	char *subj = NULL, *binds = NULL;
	size_t hlen;
	int err = -ENOMEM;

	memset(s, 0, sizeof(*s));
	memset(rt, 0, sizeof(*rt));
	*source = NULL;
	if (blob_len < STATE_BLOB_V1_LEN)
		return -EBADMSG;
	memcpy(&h, b, STATE_BLOB_V1_LEN);
	if (h.magic == STATE_BLOB_MAGIC_V1) {
		hlen = STATE_BLOB_V1_LEN;
	} else if (h.magic == STATE_BLOB_MAGIC && blob_len >= sizeof(h)) {
		hlen = sizeof(h);
		memcpy(&h, b, sizeof(h));
	} else {
		return -EBADMSG;
	}
	if ((size_t)h.policy_len + h.subjects_len + h.bindings_len !=
	    blob_len - hlen)
		return -EBADMSG;
	b += hlen;
	*source = blob_text(b, h.policy_len);
	subj = blob_text(b + h.policy_len, h.subjects_len);
	binds = blob_text(b + h.policy_len + h.subjects_len, h.bindings_len);
	if (*source && subj && binds)
		err = parse_subjects(subj, "the pinned state", s);
	if (!err)
		err = rtbinds_parse(d, binds, "the pinned state", rt);
	free(subj);
	free(binds);
	if (err) {
		free(*source);
		*source = NULL;
		subjects_free(s);
		return err;
	}
	*len = h.policy_len;
	*generation = h.generation;
	return 0;
}
