// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac label set | get | rm: object attributes, kept with each file in its
 * user.abac xattr as "key=value[,value...][;key=value...]".
 *
 * The kernel refuses (fails closed on) a label it cannot parse or that
 * names a pair the policy in force does not declare, so set checks both
 * before writing: with the very parser the BPF program runs
 * (abac_label_hash) and against the image read back from the pinned map.
 *
 * No verb follows a symbolic link that is the path's last component
 * unless --follow is given (as setfattr -h and chcon -h choose): whoever
 * owns the directory a path goes through could otherwise plant a link
 * and have root label a file of their choosing.  The xattr calls are the
 * l* ones, so a link swapped in after the check is not followed either.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "abac.h"
#include "kern.h"
#include "libabac.h"
#include "native.h"

/* --follow: operate on the target of a symbolic link the path names. */
static bool follow_links;

#define LABEL_SHORTOPTS		"L" ABAC_COMMON_SHORTOPTS
#define LABEL_LONGOPTS		{ "follow", no_argument, NULL, 'L' },	\
				ABAC_COMMON_LONGOPTS

/* The verb's options: --follow and the common ones; 0, or -1 (misuse). */
static int label_getopt(int argc, char **argv)
{
	static const struct option opts[] = { LABEL_LONGOPTS, { NULL } };
	int c;

	follow_links = false;
	while ((c = verb_getopt(argc, argv, LABEL_SHORTOPTS, opts)) != -1) {
		if (c != 'L')
			return -1;
		follow_links = true;
	}
	return 0;
}

/* stat(), or lstat() unless --follow. */
static int path_stat(const char *path, struct stat *st)
{
	return follow_links ? stat(path, st) : lstat(path, st);
}

/*
 * Refuse a path that is a symbolic link unless --follow: say so, naming
 * @what was to be done.  0, or -ELOOP (said), or the lstat's -errno.
 */
static int refuse_link(const char *what, const char *path)
{
	struct stat st;

	if (follow_links || lstat(path, &st) || !S_ISLNK(st.st_mode))
		return 0;
	p_err("Failed to %s %s: it is a symbolic link; give --follow to %s its target",
	      what, path, what);
	return -ELOOP;
}

static ssize_t label_getxattr(const char *path, void *buf, size_t n)
{
	return follow_links ? getxattr(path, ABAC_LABEL_XATTR, buf, n) :
			      lgetxattr(path, ABAC_LABEL_XATTR, buf, n);
}

static bool is_dir(const char *path)
{
	struct stat st;

	return !path_stat(path, &st) && S_ISDIR(st.st_mode);
}

/*
 * Tell abacd that a directory's label changed, so that it restores the
 * directory in the kernel's map of labelled directories after a reload
 * (files below inherit the label).  The label itself is already in force;
 * without abacd only the restore after a reload is lost, and that is
 * said on stderr.
 */
static void note_dir(const char *path)
{
	char canon[PATH_MAX];
	const char *args[2] = { "label-dir", canon };
	struct agent_reply r;

	if (!realpath(path, canon))
		return;
	if (agent_call("note labelled directory", 2, args, &r))
		return;
	if (r.status)
		fprintf(stderr, "abac: warning: %.*s\n", (int)r.len, r.text);
	agent_reply_free(&r);
}

/* The length of the key of "key=value", which check_pair() vouched for. */
static size_t key_len(const char *pair)
{
	return strchr(pair, '=') - pair;
}

/*
 * Join @n pairs into "k=v;k2=v2" at @text (ABAC_LABEL_MAX + 1 bytes);
 * the error names the path being labelled.
 */
static int build_label(const char *path, int n, char **pairs, char *text,
		       size_t *len)
{
	struct abac_label_pairs lp;
	size_t used = 0, k;
	char why[512];
	int i, j;

	for (i = 0; i < n; i++) {
		if (check_pair(pairs[i], why, sizeof(why))) {
			p_err("Failed to set label on %s: %s", path, why);
			return -EINVAL;
		}
		k = key_len(pairs[i]);
		for (j = 0; j < i; j++) {
			if (key_len(pairs[j]) == k &&
			    !strncmp(pairs[i], pairs[j], k)) {
				p_err("Failed to set label on %s: key '%.*s' given twice (several values: %.*s=v1,v2)",
				      path, (int)k, pairs[i], (int)k,
				      pairs[i]);
				return -EINVAL;
			}
		}
		used += strlen(pairs[i]) + (i > 0);
		if (used > ABAC_LABEL_MAX) {
			p_err("Failed to set label on %s: the label is longer than %d bytes",
			      path, ABAC_LABEL_MAX);
			return -E2BIG;
		}
		if (i)
			strcat(text, ";");
		strcat(text, pairs[i]);
	}
	*len = used;
	if (abac_label_hash((const __u8 *)text, used, &lp)) {
		p_err("Failed to set label on %s: a label holds at most %d values",
		      path, ABAC_LABEL_PAIRS);
		return -E2BIG;
	}
	/* the pairs are sorted: one key's distinct values are one run */
	for (i = 0, j = 0; i < (int)lp.n; i = j) {
		for (j = i; j < (int)lp.n && lp.k[j] == lp.k[i]; j++)
			;
		if (j - i > ABAC_LABEL_SET_MEMBERS) {
			p_err("Failed to set label on %s: one key holds %d values, more than %d (ABAC_LABEL_SET_MEMBERS)",
			      path, j - i, ABAC_LABEL_SET_MEMBERS);
			return -E2BIG;
		}
	}
	return 0;
}

/* Does the image hold every "key=value" of @s (@n bytes) in its dictionary? */
static bool resolves(const struct abac_image *v, const char *s, size_t n)
{
	struct abac_label_pairs lp;
	struct abac_object o;

	memset(&o, 0, sizeof(o));
	return !abac_label_hash((const __u8 *)s, n, &lp) &&
	       !abac_label_resolve_obj(v, &lp, &o);
}

/*
 * Check one pair at a time, and each of its values alone, so that the
 * error names exactly what the policy does not know.
 */
static int check_pair_in_force(const struct abac_image *v, const char *path,
			       const char *pair)
{
	size_t k = key_len(pair);
	const char *val = pair + k + 1, *end;
	char one[ABAC_LABEL_MAX + 1];

	for (; *val; val = *end ? end + 1 : end) {
		end = val + abac_value_span(val, strlen(val));
		snprintf(one, sizeof(one), "%.*s=%.*s", (int)k, pair,
			 (int)(end - val), val);
		if (!resolves(v, one, strlen(one))) {
			p_err("Failed to set label on %s: unknown attribute or value '%s' for the policy in force",
			      path, one);
			return -ENOENT;
		}
	}
	if (!resolves(v, pair, strlen(pair))) {
		p_err("Failed to set label on %s: attribute '%.*s' takes one value in the policy in force",
		      path, (int)k, pair);
		return -EINVAL;
	}
	return 0;
}

/* The image in force, read from the pinned map: 0, -ENOENT for none. */
static int image_in_force(void **img, size_t *len)
{
	struct abac_kern k;
	int err;

	err = kern_open_pins(&k);
	/* no BPF pins: the native LSM's image, when it runs alone */
	if (err == -ENOENT && abac_native_present())
		return abac_native_get_image(img, len);
	if (err)
		return err;
	err = abac_kern_get_image(&k, img, len);
	abac_kern_close(&k);
	return err;
}

/*
 * Check the pairs against the policy in force; with none (or none that
 * can be read) warn and go on: labelling ahead of a policy is normal.
 * Sets *@checked when a policy did check them.
 */
static int check_in_force(const char *path, int n, char **pairs,
			  bool *checked)
{
	struct abac_diags d;
	struct abac_image v;
	void *img = NULL;
	size_t len;
	int i, err;

	*checked = false;
	err = image_in_force(&img, &len);
	if (err == -ENOENT) {
		p_warn("no policy in force: the label was not checked against a policy");
		return 0;
	}
	if (err) {
		p_warn("cannot read the policy in force (%s): the label was not checked against a policy",
		       strerr(err));
		return 0;
	}
	abac_diags_init(&d);
	err = abac_image_check(img, len, &d);
	abac_diags_free(&d);
	if (err) {
		p_warn("the policy in force does not pass the image check: the label was not checked against it");
		free(img);
		return 0;
	}
	v = abac_image_view(img, len);
	for (i = 0; i < n && !err; i++)
		err = check_pair_in_force(&v, path, pairs[i]);
	free(img);
	*checked = !err;
	return err;
}

static const char *xattr_why(int err)
{
	switch (err) {
	case ENOTSUP:
		return "the filesystem does not support user xattrs";
	case EPERM:
		return "Operation not permitted (user xattrs go only on regular files and directories, set by their owner)";
	}
	return strerror(err);
}

/**
 * do_label_set() - abac label set PATH KEY=VALUE...
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Return: 0, 1 when refused or failed, 2 on misuse.
 */
int do_label_set(int argc, char **argv)
{
	char text[ABAC_LABEL_MAX + 1] = "";
	const char *path;
	struct stat st;
	bool checked;
	size_t len;

	if (label_getopt(argc, argv))
		return ABAC_EXIT_USAGE;
	if (argc - optind < 2)
		return p_usage("set takes a path and at least one KEY=VALUE");
	path = argv[optind];
	if (build_label(path, argc - optind - 1, argv + optind + 1, text,
			&len))
		return ABAC_EXIT_FAIL;
	/* a path that cannot take a label fails before any policy warning */
	if (path_stat(path, &st)) {
		p_err("Failed to set label on %s: %s", path, strerror(errno));
		return ABAC_EXIT_FAIL;
	}
	if (refuse_link("label", path))
		return ABAC_EXIT_FAIL;
	if (check_in_force(path, argc - optind - 1, argv + optind + 1,
			   &checked))
		return ABAC_EXIT_FAIL;
	if ((follow_links ? setxattr : lsetxattr)(path, ABAC_LABEL_XATTR, text,
						  len, 0)) {
		p_err("Failed to set label on %s: %s", path, xattr_why(errno));
		return ABAC_EXIT_FAIL;
	}
	if (S_ISDIR(st.st_mode))
		note_dir(path);
	if (json_output) {
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "path", path);
		abac_json_kv_str(jw(), "label", text);
		abac_json_kv_bool(jw(), "checked", checked);
		abac_json_obj_end(jw());
	}
	return ABAC_EXIT_OK;
}

/*
 * Read the label of @path into a malloc()ed, NUL-terminated *@out.
 * Return: its length, 0 with *@out NULL when there is none, or a negative
 * errno.
 */
static ssize_t read_label(const char *path, char **out)
{
	ssize_t n, got;
	char *buf;
	int tries;

	*out = NULL;
	for (tries = 0; tries < 3; tries++) {
		n = label_getxattr(path, NULL, 0);
		if (n < 0)
			break;
		buf = malloc(n + 1);
		if (!buf)
			return -ENOMEM;
		got = label_getxattr(path, buf, n);
		if (got >= 0) {
			buf[got] = '\0';
			*out = buf;
			return got;
		}
		free(buf);
		if (errno != ERANGE)	/* ERANGE: it grew meanwhile */
			break;
	}
	if (n < 0 && (errno == ENODATA || errno == ENOTSUP))
		return 0;	/* what the kernel, too, takes as no label */
	return -errno;
}

/*
 * The label as the kernel would parse it: a trailing NUL that some tools
 * write is allowed, anything else must be well-formed.
 */
static bool label_valid(const char *s, size_t n)
{
	struct abac_label_pairs lp;

	return !abac_label_hash((const __u8 *)s, n, &lp);
}

/*
 * Print a malformed label with its control characters, bytes that are
 * not UTF-8 and backslashes as \xNN (a well-formed one is printed as it
 * is: UTF-8 text whose backslashes are its escapes).
 */
static void print_escaped(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		unsigned char c = s[i];

		k = c < 0x20 || c == 0x7f || c == '\\' ? 0 :
		    abac_utf8_seq((const unsigned char *)s + i, n - i);
		if (!k) {
			printf("\\x%02x", c);
			i++;
			continue;
		}
		fwrite(s + i, 1, k, stdout);
		i += k;
	}
}

/*
 * {"k": ["v", ...], ...} of a well-formed label, each value unescaped as
 * the policy declares it, the values of a key given twice merged.
 */
static void print_pairs_json(const char *s)
{
	char keys[ABAC_LABEL_PAIRS][ABAC_NAME_MAX];
	char vals[ABAC_LABEL_PAIRS][ABAC_VALUE_MAX + 1], why[160];
	size_t len = strlen(s), span, klen;
	const char *p = s, *eq;
	int n = 0, i, j;

	while (p < s + len && n < ABAC_LABEL_PAIRS &&
	       (eq = strchr(p, '='))) {
		klen = eq - p < ABAC_NAME_MAX ? eq - p : ABAC_NAME_MAX - 1;
		for (p = eq + 1; n < ABAC_LABEL_PAIRS; p += span + 1) {
			span = abac_value_span(p, s + len - p);
			if (abac_value_unescape(p, span, vals[n],
						sizeof(vals[n]), why,
						sizeof(why)) >= 0) {
				snprintf(keys[n], sizeof(keys[n]), "%.*s",
					 (int)klen, eq - klen);
				n++;
			}
			if (p[span] != ',')
				break;
		}
		p += span + 1;
	}
	abac_json_obj_begin(jw());
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && strcmp(keys[j], keys[i]); j++)
			;
		if (j < i)
			continue;	/* printed with its first occurrence */
		abac_json_key(jw(), keys[i]);
		abac_json_arr_begin(jw());
		for (j = i; j < n; j++) {
			if (!strcmp(keys[j], keys[i]))
				abac_json_str(jw(), vals[j]);
		}
		abac_json_arr_end(jw());
	}
	abac_json_obj_end(jw());
}

static void print_label_json(const char *path, const char *label, size_t n)
{
	bool valid = label && label_valid(label, n);

	abac_json_obj_begin(jw());
	abac_json_kv_str(jw(), "path", path);
	abac_json_key(jw(), "label");
	if (label)
		abac_json_strn(jw(), label, strnlen(label, n));
	else
		abac_json_null(jw());
	if (label)
		abac_json_kv_bool(jw(), "valid", valid);
	abac_json_key(jw(), "pairs");
	if (valid)
		print_pairs_json(label);
	else if (label)
		abac_json_null(jw());
	else
		print_pairs_json("");
	abac_json_obj_end(jw());
}

/*
 * A path on a line of its own: control characters and the backslash as
 * \xNN, so that a newline in a file name cannot forge a second line and
 * the escape cannot be mistaken for a name.
 */
static void print_path(const char *path)
{
	for (; *path; path++) {
		unsigned char c = *path;

		if (c < 0x20 || c == 0x7f || c == '\\')
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

static void print_label_plain(const char *path, const char *label, size_t n)
{
	print_path(path);
	if (!label) {
		puts(": (no label)");
		return;
	}
	fputs(": ", stdout);
	if (label_valid(label, n)) {
		fputs(label, stdout);
	} else {
		print_escaped(label, strnlen(label, n));
		fputs("  (malformed: the kernel denies tagged subjects access)",
		      stdout);
	}
	putchar('\n');
}

/* In JSON mode a failure is an element of the array, not a second document. */
static void print_path_error(const char *what, const char *path,
			     const char *why)
{
	if (json_output) {
		char msg[1024];

		snprintf(msg, sizeof(msg), "Failed to %s %s: %s", what, path,
			 why);
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "path", path);
		abac_json_kv_str(jw(), "error", msg);
		abac_json_obj_end(jw());
	} else {
		p_err("Failed to %s %s: %s", what, path, why);
	}
}

/**
 * do_label_get() - abac label get PATH...
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Return: 0, 1 when a label could not be read, 2 on misuse.
 */
int do_label_get(int argc, char **argv)
{
	int i, ret = ABAC_EXIT_OK;
	char *label;
	ssize_t n;

	if (label_getopt(argc, argv))
		return ABAC_EXIT_USAGE;
	if (optind >= argc)
		return p_usage("get takes at least one path");
	if (json_output)
		abac_json_arr_begin(jw());
	for (i = optind; i < argc; i++) {
		if (refuse_link("read the label of", argv[i])) {
			ret = ABAC_EXIT_FAIL;
			continue;
		}
		n = read_label(argv[i], &label);
		if (n < 0) {
			print_path_error("get label of", argv[i], strerr(n));
			ret = ABAC_EXIT_FAIL;
		} else if (json_output) {
			print_label_json(argv[i], label, n);
		} else {
			print_label_plain(argv[i], label, n);
		}
		free(label);
	}
	if (json_output)
		abac_json_arr_end(jw());
	return ret;
}

/**
 * do_label_rm() - abac label rm PATH...
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Return: 0, 1 when a path had no label or it could not be removed, 2 on
 * misuse.
 */
int do_label_rm(int argc, char **argv)
{
	int i, ret = ABAC_EXIT_OK;

	if (label_getopt(argc, argv))
		return ABAC_EXIT_USAGE;
	if (optind >= argc)
		return p_usage("rm takes at least one path");
	if (json_output)
		abac_json_arr_begin(jw());
	for (i = optind; i < argc; i++) {
		if (refuse_link("remove the label of", argv[i])) {
			ret = ABAC_EXIT_FAIL;
			continue;
		}
		if ((follow_links ? removexattr : lremovexattr)(argv[i],
							       ABAC_LABEL_XATTR)) {
			print_path_error("remove label from", argv[i],
					 errno == ENODATA || errno == ENOTSUP ?
					 "no label" : xattr_why(errno));
			ret = ABAC_EXIT_FAIL;
			continue;
		}
		if (is_dir(argv[i]))
			note_dir(argv[i]);
		if (json_output) {
			abac_json_obj_begin(jw());
			abac_json_kv_str(jw(), "path", argv[i]);
			abac_json_kv_bool(jw(), "removed", true);
			abac_json_obj_end(jw());
		}
	}
	if (json_output)
		abac_json_arr_end(jw());
	return ret;
}
