// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac policy check | apply | show | source.
 *
 * check and apply compile locally with libabac, so an operator sees every
 * mistake at FILE:LINE:COL without root, without abacd, and before
 * anything in force is touched.  apply then sends the very bytes it
 * checked, never the file read a second time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abac.h"
#include "libabac.h"

/**
 * struct compiled - one policy file, read, parsed and compiled.
 * @file: the name as given, "<stdin>" for "-".
 * @text: its bytes, malloc()ed.
 * @len: bytes of @text.
 * @policy: the parsed policy, or NULL.
 * @img: the image built from it (no subjects), or NULL.
 * @img_len: bytes of @img.
 * @diags: errors and warnings.
 */
struct compiled {
	const char *file;
	char *text;
	size_t len;
	struct abac_policy *policy;
	void *img;
	size_t img_len;
	struct abac_diags diags;
};

static int read_stdin(char **buf, size_t *len)
{
	size_t cap = 0, n = 0, r;
	char *b = NULL, *nb;

	do {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 65536;
			nb = realloc(b, cap + 1);
			if (!nb) {
				free(b);
				return -ENOMEM;
			}
			b = nb;
		}
		r = fread(b + n, 1, cap - n, stdin);
		n += r;
	} while (r);
	if (ferror(stdin)) {
		free(b);
		return -EIO;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

static const char *file_name(const char *file)
{
	return strcmp(file, "-") ? file : "<stdin>";
}

/*
 * Read @file ("-": standard input) into @text; a failure becomes a
 * diagnostic in @c.
 */
static int read_source(struct compiled *c, const char *file, char **text,
		       size_t *len)
{
	const char *name = file_name(file);
	char *nb;
	int err;

	if (!strcmp(file, "-"))
		err = read_stdin(text, len);
	else
		err = abac_read_file(file, text, len);
	if (err) {
		abac_diag_add(&c->diags, false, name, 0, 0,
			      "cannot read: %s", strerr(err));
		return err;
	}
	/* The text travels to abacd as a C string: it must be one. */
	nb = realloc(*text, *len + 1);
	if (!nb)
		return -ENOMEM;
	*text = nb;
	(*text)[*len] = '\0';
	if (memchr(*text, '\0', *len)) {
		abac_diag_add(&c->diags, false, name, 0, 0,
			      "holds a NUL byte: not a YAML text file");
		return -EINVAL;
	}
	return 0;
}

/*
 * Read @n policy files, top layer first, into @c->text: one file as it
 * is, several joined into one layered text (abac_layers_join()), which
 * is what abacd is sent and keeps.
 */
static int read_layers(struct compiled *c, char *const *files, size_t n)
{
	const char *names[ABAC_MAX_LAYERS];
	char *texts[ABAC_MAX_LAYERS] = { NULL };
	size_t lens[ABAC_MAX_LAYERS], i;
	int err = 0;

	if (n == 1)
		return read_source(c, files[0], &c->text, &c->len);
	if (n > ABAC_MAX_LAYERS) {
		abac_diag_add(&c->diags, false, c->file, 0, 0,
			      "%zu layers: a policy has at most %d", n,
			      ABAC_MAX_LAYERS);
		return -E2BIG;
	}
	for (i = 0; !err && i < n; i++) {
		names[i] = file_name(files[i]);
		err = read_source(c, files[i], &texts[i], &lens[i]);
		if (!err && abac_layers_is_joined(texts[i], lens[i])) {
			abac_diag_add(&c->diags, false, names[i], 1, 1,
				      "a layered policy text holds all its layers: give it alone");
			err = -EINVAL;
		}
	}
	if (!err) {
		err = abac_layers_join(names, (const char *const *)texts,
				       lens, n, &c->text, &c->len);
		if (err)
			abac_diag_add(&c->diags, false, c->file, 0, 0,
				      "cannot join the layers: %s",
				      err == -EFBIG ?
				      "larger than 6 MiB together" :
				      strerr(err));
	}
	for (i = 0; i < n; i++)
		free(texts[i]);
	return err;
}

/*
 * Parse and compile @n files (one policy, or its layers top first) into
 * @c.  The image is built without subjects: the tags live in abacd, and
 * what must hold here is that the policy itself compiles and that the
 * loader would accept the result.
 */
static int compile(struct compiled *c, char *const *files, size_t n)
{
	const char *name = file_name(files[0]);
	int err;

	memset(c, 0, sizeof(*c));
	c->file = name;
	abac_diags_init(&c->diags);
	err = read_layers(c, files, n);
	if (err)
		return err;
	err = abac_policy_parse_source(name, c->text, c->len, &c->policy,
				       &c->diags);
	if (!err)
		abac_policy_lint(c->policy, &c->diags);
	if (!err)
		err = abac_image_build(c->policy, NULL, 0, &c->img,
				       &c->img_len, &c->diags);
	if (!err)
		err = abac_image_check(c->img, c->img_len, &c->diags);
	if (!err && c->diags.errors)
		err = -EINVAL;
	if (err && !c->diags.errors)	/* never fail without saying why */
		abac_diag_add(&c->diags, false, name, 0, 0, "%s",
			      strerr(err));
	return err;
}

static void compiled_free(struct compiled *c)
{
	free(c->text);
	free(c->img);
	if (c->policy)
		abac_policy_free(c->policy);
	abac_diags_free(&c->diags);
}

/* "FILE:LINE:COL: error: MSG" on stderr, after what stdout holds. */
static void print_diags_plain(const struct abac_diags *d)
{
	fflush(stdout);
	abac_diags_print(d, stderr);
}

static const char *mode_name(unsigned int mode)
{
	return mode == ABAC_MODE_AUDIT ? "audit" : "enforce";
}

static void print_check_json(const struct compiled *c, bool ok)
{
	const struct abac_policy *p = c->policy;
	char hash[ABAC_HASH_TEXT];

	abac_json_obj_begin(jw());
	abac_json_kv_str(jw(), "file", c->file);
	abac_json_kv_bool(jw(), "ok", ok);
	if (ok) {
		abac_hash_text(abac_image_hash(c->img, c->img_len), hash);
		abac_json_kv_str(jw(), "name", p->name);
		abac_json_kv_u64(jw(), "rules", p->nrules);
		abac_json_kv_u64(jw(), "layers", p->nlayers);
		abac_json_kv_u64(jw(), "capability_grants", p->ngrants);
		abac_json_kv_u64(jw(), "attributes", p->nsattrs + p->noattrs + p->neattrs);
		abac_json_kv_u64(jw(), "subject_attributes", p->nsattrs);
		abac_json_kv_u64(jw(), "object_attributes", p->noattrs);
		abac_json_kv_str(jw(), "mode", mode_name(p->mode));
		abac_json_kv_str(jw(), "default",
				 p->default_effect == ABAC_ALLOW ?
				 "allow" : "deny");
		abac_json_kv_u64(jw(), "image_bytes", c->img_len);
		abac_json_kv_str(jw(), "content_hash", hash);
	}
	p_diags_json(&c->diags);
	abac_json_obj_end(jw());
}

static void print_check_plain(const struct compiled *c, bool ok)
{
	const struct abac_policy *p = c->policy;
	char layers[32] = "", grants[48] = "";

	print_diags_plain(&c->diags);
	if (!ok)
		return;
	if (p->nlayers > 1)
		snprintf(layers, sizeof(layers), "%u layers, ", p->nlayers);
	if (p->ngrants)
		snprintf(grants, sizeof(grants), ", %u capability grant%s",
			 p->ngrants, p->ngrants == 1 ? "" : "s");
	printf("%s: ok: policy %s, %s%u rule%s, %u attributes%s\n", c->file,
	       p->name, layers, p->nrules, p->nrules == 1 ? "" : "s",
	       p->nsattrs + p->noattrs + p->neattrs, grants);
}

/**
 * do_policy_check() - abac policy check [--layers] FILE...
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Return: 0 when every file compiles, 1 when one does not, 2 on misuse.
 */
int do_policy_check(int argc, char **argv)
{
	static const struct option opts[] = {
		ABAC_COMMON_LONGOPTS,
		{ "layers", no_argument, NULL, 'L' },
		{ NULL }
	};
	struct compiled c;
	int i, opt, ret = ABAC_EXIT_OK;
	bool many, ok, layers = false;

	while ((opt = verb_getopt(argc, argv, "L" ABAC_COMMON_SHORTOPTS,
				  opts)) != -1) {
		if (opt == 'L')
			layers = true;
		else
			return ABAC_EXIT_USAGE;
	}
	if (optind >= argc)
		return p_usage("which policy file?");
	if (layers) {
		/* the files are one policy: its layers, top first */
		ok = !compile(&c, argv + optind, argc - optind);
		if (json_output)
			print_check_json(&c, ok);
		else
			print_check_plain(&c, ok);
		compiled_free(&c);
		return ok ? ABAC_EXIT_OK : ABAC_EXIT_FAIL;
	}
	/* one file: one object; several: an array of them */
	many = argc - optind > 1;
	if (json_output && many)
		abac_json_arr_begin(jw());
	for (i = optind; i < argc; i++) {
		ok = !compile(&c, argv + i, 1);
		if (!ok)
			ret = ABAC_EXIT_FAIL;
		if (json_output)
			print_check_json(&c, ok);
		else
			print_check_plain(&c, ok);
		compiled_free(&c);
	}
	if (json_output && many)
		abac_json_arr_end(jw());
	return ret;
}

static void print_refused_json(const struct compiled *c, const char *msg)
{
	abac_json_obj_begin(jw());
	abac_json_kv_str(jw(), "error", msg);
	abac_json_kv_str(jw(), "file", c->file);
	p_diags_json(&c->diags);
	abac_json_obj_end(jw());
}

/**
 * do_policy_apply() - abac policy apply [--allow-degraded] FILE...
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Several files are one policy's layers, top first: they are joined into
 * one layered text (abac_layers_join()), which abacd is sent and keeps.
 * A policy that does not compile here is refused without contacting
 * abacd, so that a typo never reaches the policy in force.  abacd refuses
 * a policy naming an operation this kernel does not enforce (a hook not
 * attached) unless --allow-degraded, and then says what is not enforced.
 *
 * Return: abacd's status, 1 when refused locally, 2 on misuse.
 */
int do_policy_apply(int argc, char **argv)
{
	static const struct option opts[] = {
		ABAC_COMMON_LONGOPTS,
		{ "allow-degraded", no_argument, NULL, 'D' },
		{ NULL }
	};
	const char *args[4] = { "policy-apply" };
	bool degraded = false;
	char msg[512];
	struct compiled c;
	int ret, opt;

	while ((opt = verb_getopt(argc, argv, ABAC_COMMON_SHORTOPTS, opts)) != -1) {
		if (opt == 'D')
			degraded = true;
		else
			return ABAC_EXIT_USAGE;
	}
	if (argc - optind < 1)
		return p_usage("which policy file (or files: its layers, top first)?");
	if (compile(&c, argv + optind, argc - optind)) {
		snprintf(msg, sizeof(msg),
			 "Failed to apply policy: %s%s has %zu error%s; nothing was changed",
			 argv[optind], argc - optind > 1 ? " and its layers" : "",
			 c.diags.errors,
			 c.diags.errors == 1 ? "" : "s");
		if (json_output) {
			print_refused_json(&c, msg);
		} else {
			print_diags_plain(&c.diags);
			fprintf(stderr, "%s\n", msg);
		}
		compiled_free(&c);
		return ABAC_EXIT_FAIL;
	}
	if (!json_output)
		print_diags_plain(&c.diags);	/* warnings */
	args[1] = c.file;
	args[2] = c.text;
	args[3] = "--allow-degraded";
	ret = agent_simple("apply policy", degraded ? 4 : 3, args);
	compiled_free(&c);
	return ret;
}

static bool is_image(const char *buf, size_t len)
{
	__u32 magic;

	if (len < sizeof(magic))
		return false;
	memcpy(&magic, buf, sizeof(magic));
	return magic == ABAC_MAGIC;
}

/*
 * JSON goes through a memory stream, to be re-indented for --pretty.
 * @p, when there is one, names the values in conditions and tags.
 */
static int dump_image(const void *img, size_t len,
		      const struct abac_policy *p)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f;

	if (!json_output) {
		abac_image_dump_policy(img, len, p, stdout, false);
		return 0;
	}
	f = open_memstream(&out, &n);
	if (!f)
		return -errno;
	abac_image_dump_policy(img, len, p, f, true);
	fclose(f);
	print_json_text(out, n);
	free(out);
	return 0;
}

static int show_diags_failure(const char *file, const struct abac_diags *d)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "Failed to show policy: %s is not valid",
		 file);
	if (json_output) {
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "error", msg);
		abac_json_kv_str(jw(), "file", file);
		p_diags_json(d);
		abac_json_obj_end(jw());
	} else {
		print_diags_plain(d);
		fprintf(stderr, "%s\n", msg);
	}
	return ABAC_EXIT_FAIL;
}

/* A compiled image file: checked by the loader's rules, then decoded. */
static int show_image_file(const char *file, char *buf, size_t len)
{
	struct abac_diags d;
	int ret = ABAC_EXIT_OK;

	abac_diags_init(&d);
	if (abac_image_check(buf, len, &d))
		ret = show_diags_failure(file, &d);
	else if (dump_image(buf, len, NULL))
		ret = ABAC_EXIT_FAIL;
	abac_diags_free(&d);
	return ret;
}

static int show_file(char *file)
{
	struct compiled c;
	int ret = ABAC_EXIT_OK;
	char *buf;
	size_t len;
	int err;

	err = abac_read_file(file, &buf, &len);
	if (err) {
		p_err("Failed to show policy: cannot read %s: %s", file,
		      strerr(err));
		return ABAC_EXIT_FAIL;
	}
	if (is_image(buf, len)) {
		ret = show_image_file(file, buf, len);
		free(buf);
		return ret;
	}
	free(buf);
	if (compile(&c, &file, 1))
		ret = show_diags_failure(file, &c.diags);
	else if (dump_image(c.img, c.img_len, c.policy))
		ret = ABAC_EXIT_FAIL;
	compiled_free(&c);
	return ret;
}

/**
 * do_policy_show() - abac policy show [FILE]
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Return: 0, 1 on failure, 2 on misuse.
 */
int do_policy_show(int argc, char **argv)
{
	static const struct option opts[] = { ABAC_COMMON_LONGOPTS, { NULL } };
	static const char *const args[] = { "policy-show" };

	if (verb_getopt(argc, argv, ABAC_COMMON_SHORTOPTS, opts) == '?')
		return ABAC_EXIT_USAGE;
	if (argc - optind > 1)
		return p_usage("show takes at most one file");
	if (argc - optind == 1)
		return show_file(argv[optind]);
	return agent_simple("show policy", 1, args);
}

/**
 * do_policy_source() - abac policy source
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Return: abacd's status, 1 when it cannot be reached, 2 on misuse.
 */
int do_policy_source(int argc, char **argv)
{
	static const struct option opts[] = { ABAC_COMMON_LONGOPTS, { NULL } };
	static const char *const args[] = { "policy-source" };

	if (verb_getopt(argc, argv, ABAC_COMMON_SHORTOPTS, opts) == '?')
		return ABAC_EXIT_USAGE;
	if (argc != optind)
		return p_usage("source takes no arguments");
	return agent_simple("show policy source", 1, args);
}

/**
 * do_policy_compile() - abac policy compile POLICY... -o FILE
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Several POLICY files are layers, top first.  The image is written to a
 * temporary file beside FILE, then renamed over it, so FILE is never
 * left half written.
 *
 * Return: 0, 1 when the policy does not compile or FILE cannot be
 * written, 2 on misuse.
 */
int do_policy_compile(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		ABAC_COMMON_LONGOPTS, { NULL }
	};
	struct abac_policy *p = NULL;
	const char *out = NULL;
	char tmp[4096], hash[ABAC_HASH_TEXT];
	struct abac_diags d;
	void *img = NULL;
	size_t len;
	FILE *f;
	int c, ret = ABAC_EXIT_FAIL;

	while ((c = verb_getopt(argc, argv, "o:" ABAC_COMMON_SHORTOPTS,
				opts)) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == '?')
			return ABAC_EXIT_USAGE;
	}
	if (optind >= argc)
		return p_usage("which policy file?");
	if (!out)
		return p_usage("where to? (-o FILE)");
	abac_diags_init(&d);
	if (abac_policy_parse_files((const char *const *)argv + optind,
				    argc - optind, &p, &d) ||
	    abac_image_build(p, NULL, 0, &img, &len, &d)) {
		p_diags_fail(&d, "Failed to compile policy: %s has %zu error%s",
			     argv[optind], d.errors, d.errors == 1 ? "" : "s");
		goto out;
	}
	p_diags_warn(&d);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", out, (int)getpid());
	f = fopen(tmp, "wbx");
	if (!f || fwrite(img, 1, len, f) != len || fclose(f)) {
		p_err("Failed to write %s: %s", out, strerr(-errno));
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, out)) {
		p_err("Failed to write %s: %s", out, strerr(-errno));
		unlink(tmp);
		goto out;
	}
	if (json_output) {
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "output", out);
		abac_json_kv_u64(jw(), "bytes", len);
		abac_json_kv_u64(jw(), "rules", p->nrules);
		abac_json_kv_str(jw(), "content_hash",
				 abac_hash_text(abac_image_hash(img, len),
						hash));
		abac_json_obj_end(jw());
	} else {
		printf("%s: %zu bytes, %u rules, content hash %s\n", out, len,
		       p->nrules,
		       abac_hash_text(abac_image_hash(img, len), hash));
	}
	ret = ABAC_EXIT_OK;
out:
	abac_diags_free(&d);
	abac_policy_free(p);
	free(img);
	return ret;
}
