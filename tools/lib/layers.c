// SPDX-License-Identifier: GPL-2.0-only
/*
 * A layered policy as one text: the files of a policy applied together
 * (top layer first), joined so that they travel to abacd, are stored in
 * its state directory and come back from "abac policy source" as one
 * piece that "abac policy apply" takes again.
 *
 *	#abac-layers: 2
 *	#abac-layer: 1523 hospital.yaml
 *	<the 1523 bytes of hospital.yaml>
 *	#abac-layer: 310 ward-7.yaml
 *	<the 310 bytes of ward-7.yaml>
 *
 * Each layer's bytes are followed by a newline of the format's own.  The
 * header lines are YAML comments, so an editor shows the text as YAML; it
 * is not one YAML document, and only these functions read it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define LAYERS_MAGIC	"#abac-layers: "
#define LAYER_HDR	"#abac-layer: "
#define LAYER_NAME_MAX	4096

/**
 * abac_layers_is_joined() - does @buf hold a layered policy text?
 * @buf: the text.
 * @len: its bytes.
 *
 * Return: true when @buf starts with the "#abac-layers: " line.
 */
bool abac_layers_is_joined(const char *buf, size_t len)
{
	return buf && len >= strlen(LAYERS_MAGIC) &&
	       !memcmp(buf, LAYERS_MAGIC, strlen(LAYERS_MAGIC));
}

/**
 * abac_layers_join() - join policy texts into one layered text.
 * @names: each layer's file name; no newline or NUL in it.
 * @texts: each layer's YAML text.
 * @lens: bytes of each text.
 * @n: how many layers, 1 to ABAC_MAX_LAYERS.
 * @out: receives the joined text, malloc()ed and NUL-terminated.
 * @out_len: receives its length.
 *
 * Return: 0, -EINVAL for a bad count, a name with a newline or a text
 * that is already joined, -EFBIG past ABAC_LAYERS_MAX_BYTES, -ENOMEM.
 */
int abac_layers_join(const char *const *names, const char *const *texts,
		     const size_t *lens, size_t n, char **out,
		     size_t *out_len)
{
	size_t i, total, at;
	char *b;
	int w;

	if (!n || n > ABAC_MAX_LAYERS)
		return -EINVAL;
	total = strlen(LAYERS_MAGIC) + 16;
	for (i = 0; i < n; i++) {
		if (strlen(names[i]) > LAYER_NAME_MAX ||
		    strpbrk(names[i], "\n\r") ||
		    abac_layers_is_joined(texts[i], lens[i]))
			return -EINVAL;
		total += strlen(LAYER_HDR) + 24 + strlen(names[i]) + lens[i] + 1;
	}
	if (total > ABAC_LAYERS_MAX_BYTES)
		return -EFBIG;
	b = malloc(total + 1);
	if (!b)
		return -ENOMEM;
	at = snprintf(b, total + 1, "%s%zu\n", LAYERS_MAGIC, n);
	for (i = 0; i < n; i++) {
		w = snprintf(b + at, total + 1 - at, "%s%zu %s\n", LAYER_HDR,
			     lens[i], names[i]);
		at += w;
		memcpy(b + at, texts[i], lens[i]);
		at += lens[i];
		b[at++] = '\n';
	}
	b[at] = '\0';
	*out = b;
	*out_len = at;
	return 0;
}

/* The line number of offset @at in @buf, for a diagnostic. */
static unsigned int line_of(const char *buf, size_t at)
{
	unsigned int line = 1;
	size_t i;

	for (i = 0; i < at; i++)
		line += buf[i] == '\n';
	return line;
}

/* Read a decimal number ending at @end (exclusive); -1 when it is not. */
static long long read_count(const char *p, const char *end)
{
	long long v = 0;

	if (p == end || end - p > 10)
		return -1;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v;
}

/**
 * abac_layers_split() - split a layered text into its layers.
 * @name: the name errors are reported under.
 * @buf: the text, as abac_layers_join() wrote it.
 * @len: its bytes.
 * @v: receives each layer: its name (malloc()ed) and its text (a pointer
 *	into @buf); free the names with abac_layers_free().
 * @n: receives how many, at most ABAC_MAX_LAYERS.
 * @diags: receives what is wrong with the text, at its line.
 *
 * Return: 0, -EINVAL for a malformed text, -ENOMEM.
 */
int abac_layers_split(const char *name, const char *buf, size_t len,
		      struct abac_layer_text *v, size_t *n,
		      struct abac_diags *diags)
{
	const char *p = buf, *end = buf + len, *nl, *sp;
	long long count, sz;
	size_t i;

	*n = 0;
	nl = memchr(p, '\n', len);
	if (!abac_layers_is_joined(buf, len) || !nl)
		goto bad_count;
	count = read_count(p + strlen(LAYERS_MAGIC), nl);
	if (count < 1 || count > ABAC_MAX_LAYERS)
		goto bad_count;
	p = nl + 1;
	for (i = 0; i < (size_t)count; i++) {
		nl = memchr(p, '\n', end - p);
		if (!nl || (size_t)(end - p) < strlen(LAYER_HDR) ||
		    memcmp(p, LAYER_HDR, strlen(LAYER_HDR)))
			goto bad_header;
		sp = memchr(p + strlen(LAYER_HDR), ' ',
			    nl - p - strlen(LAYER_HDR));
		/* a file name: not empty, no NUL byte (it names diagnostics) */
		if (!sp || sp + 1 == nl || memchr(sp + 1, '\0', nl - sp - 1))
			goto bad_header;
		sz = read_count(p + strlen(LAYER_HDR), sp);
		if (sz < 0)
			goto bad_header;
		if ((size_t)(end - (nl + 1)) < (size_t)sz + 1 ||
		    nl[1 + sz] != '\n') {
			abac_diag_add(diags, false, name, line_of(buf, p - buf),
				      1, "layer %zu says it has %lld bytes, but the text ends or goes on before a newline there",
				      i + 1, sz);
			goto fail;
		}
		v[i].name = strndup(sp + 1, nl - sp - 1);
		if (!v[i].name) {
			abac_layers_free(v, i);
			return -ENOMEM;
		}
		v[i].text = nl + 1;
		v[i].len = sz;
		*n = i + 1;
		p = nl + 1 + sz + 1;
	}
	if (p != end) {
		abac_diag_add(diags, false, name, line_of(buf, p - buf), 1,
			      "text after the last of %lld layers", count);
		goto fail;
	}
	return 0;

bad_count:
	abac_diag_add(diags, false, name, 1, 1,
		      "a layered policy starts with '" LAYERS_MAGIC "N', N from 1 to %d",
		      ABAC_MAX_LAYERS);
	return -EINVAL;
bad_header:
	abac_diag_add(diags, false, name, line_of(buf, p - buf), 1,
		      "layer %zu: expected a line '" LAYER_HDR "BYTES FILE'",
		      i + 1);
fail:
	abac_layers_free(v, *n);
	*n = 0;
	return -EINVAL;
}

/**
 * abac_layers_free() - free the names abac_layers_split() gave.
 * @v: the layers.
 * @n: how many.
 */
void abac_layers_free(struct abac_layer_text *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		v[i].name = NULL;
	}
}

/**
 * abac_policy_parse_layers() - parse texts as one policy's layers.
 * @v: the layers, top first: each its name, text and length.
 * @n: how many (1 to ABAC_MAX_LAYERS).
 * @out: receives the layered policy on success; untouched on failure.
 * @diags: receives every error and warning, under each layer's name.
 *
 * A joined layered text holds all its layers: among several, it is
 * refused.
 *
 * Return: 0 or a negative errno; on failure @diags holds an error.
 */
int abac_policy_parse_layers(const struct abac_layer_text *v, size_t n,
			     struct abac_policy **out,
			     struct abac_diags *diags)
{
	struct abac_policy *top = NULL, *lower;
	size_t i;
	int err = 0;

	if (!n || n > ABAC_MAX_LAYERS) {
		abac_diag_add(diags, false, "<policy>", 0, 0,
			      "give 1 to %d policy files", ABAC_MAX_LAYERS);
		return -EINVAL;
	}
	for (i = 0; n > 1 && i < n; i++)
		if (abac_layers_is_joined(v[i].text, v[i].len)) {
			abac_diag_add(diags, false, v[i].name, 1, 1,
				      "a layered policy text holds all its layers: give it alone, not with other layers");
			err = -EINVAL;
		}
	if (!err)
		err = abac_policy_parse_buf(v[0].name, v[0].text, v[0].len,
					    &top, diags);
	for (i = 1; !err && i < n; i++) {
		err = abac_policy_parse_layer_buf(v[i].name, v[i].text,
						  v[i].len, top, &lower, diags);
		if (!err)
			err = abac_policy_add_layer(top, lower, diags);
	}
	if (err) {
		abac_policy_free(top);
		return err;
	}
	*out = top;
	return 0;
}

/**
 * abac_policy_parse_source() - parse a policy text, layered or not.
 * @name: the name errors are reported under (layers use their own).
 * @buf: one YAML policy, or a layered text from abac_layers_join().
 * @len: bytes in @buf.
 * @out: receives the policy on success; untouched on failure.
 * @diags: receives every error and warning.
 *
 * Return: 0 or a negative errno as abac_policy_parse_buf(); on failure
 * @diags holds an error.
 */
int abac_policy_parse_source(const char *name, const char *buf, size_t len,
			     struct abac_policy **out,
			     struct abac_diags *diags)
{
	struct abac_layer_text v[ABAC_MAX_LAYERS];
	size_t n;
	int err;

	if (!abac_layers_is_joined(buf, len))
		return abac_policy_parse_buf(name, buf, len, out, diags);
	if (len > ABAC_LAYERS_MAX_BYTES) {
		abac_diag_add(diags, false, name, 0, 0,
			      "layered policy is larger than %u MiB (%zu bytes)",
			      ABAC_LAYERS_MAX_BYTES >> 20, len);
		return -EFBIG;
	}
	err = abac_layers_split(name, buf, len, v, &n, diags);
	if (err)
		return err;
	err = abac_policy_parse_layers(v, n, out, diags);
	abac_layers_free(v, n);
	return err;
}

/* ---- a lower layer's text ---------------------------------------------- */

/**
 * abac_parse_lower_layer() - what a lower layer's top level may not set,
 * and the schema it borrows.
 * @c: the parse of the lower layer (@c->top is the top layer).
 * @set: the nodes of the keys only the top layer sets (NULL: not set).
 * @names: their keys.
 * @n: entries in @set and @names.
 *
 * A lower layer sees the top layer's attributes, read-only: it only adds
 * rules and its combining algorithm.
 */
void abac_parse_lower_layer(struct pctx *c, const struct ynode *const *set,
			    const char *const *names, size_t n)
{
	struct abac_policy *p = c->p;
	const struct abac_policy *t = c->top;
	size_t i;

	for (i = 0; i < n; i++)
		if (set[i])
			perr(c, set[i], "'%s' is set by the top layer (%s); a lower layer only adds rules and its combining algorithm",
			     names[i], t->file);
	p->sattrs = t->sattrs;
	p->nsattrs = t->nsattrs;
	p->oattrs = t->oattrs;
	p->noattrs = t->noattrs;
	p->eattrs = t->eattrs;
	p->neattrs = t->neattrs;
}

/**
 * abac_layer_drop_schema() - forget the schema a lower layer borrowed,
 * before it is freed: the attributes are the top layer's.
 * @lower: the lower layer.
 */
void abac_layer_drop_schema(struct abac_policy *lower)
{
	lower->sattrs = lower->oattrs = lower->eattrs = NULL;
	lower->nsattrs = lower->noattrs = lower->neattrs = 0;
}

/**
 * abac_policy_parse_layer_buf() - parse a lower-layer text.
 * @name: the file name errors are reported under.
 * @buf: the YAML text.
 * @len: bytes in @buf.
 * @top: the top layer, whose attributes the text's rules name.
 * @out: receives the layer; pass it to abac_policy_add_layer().
 * @diags: receives every error and warning.
 *
 * Return: 0 or a negative errno, as abac_policy_parse_buf().
 */
int abac_policy_parse_layer_buf(const char *name, const char *buf,
				size_t len, const struct abac_policy *top,
				struct abac_policy **out,
				struct abac_diags *diags)
{
	return abac_parse_text(name, buf, len, top, out, diags);
}

/* ---- policy files ------------------------------------------------------ */

static int read_policy_file(const char *path, char **buf, size_t *len,
			    struct abac_diags *diags)
{
	int err = abac_read_file(path, buf, len);

	if (err == -EFBIG)
		abac_diag_add(diags, false, path, 0, 0,
			      "policy is larger than 4 MiB");
	else if (err)
		abac_diag_add(diags, false, path, 0, 0, "cannot read: %s",
			      strerror(-err));
	return err;
}

/**
 * abac_policy_parse_file() - read, parse and validate a policy file.
 * @path: the file: one YAML policy or a joined layered text.
 * @out: receives the policy on success; untouched on failure.
 * @diags: receives every error and warning, under the name @path.
 *
 * Return: 0, or a negative errno as abac_policy_parse_buf() or as reading
 * the file failed; on failure @diags holds an error.
 */
int abac_policy_parse_file(const char *path, struct abac_policy **out,
			   struct abac_diags *diags)
{
	size_t len;
	char *buf;
	int err;

	err = read_policy_file(path, &buf, &len, diags);
	if (err)
		return err;
	err = abac_policy_parse_source(path, buf, len, out, diags);
	free(buf);
	return err;
}

/* FNV-1a 64 of a rule id, for the table check_ids() keeps. */
static size_t id_hash(const char *s)
{
	__u64 h = ABAC_FNV_OFFSET;

	for (; *s; s++)
		h = abac_hash_byte(h, *s);
	return (size_t)h;
}

/*
 * Every rule id of @lower unused by the layers above (@top), each found
 * in an open-addressed table of @top's ids: a pairwise comparison was
 * ten billion string compares for two layers of 100,000 rules.
 */
static int check_ids(const struct abac_policy *top,
		     const struct abac_policy *lower, struct abac_diags *diags)
{
	unsigned int *slots, i, j;
	size_t mask, k;
	int err = 0;

	for (mask = 1; mask < 2 * (size_t)top->nrules; mask <<= 1)
		;
	slots = calloc(mask--, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (j = 0; j < top->nrules; j++) {
		for (k = id_hash(top->rules[j].id) & mask; slots[k];
		     k = (k + 1) & mask)
			;
		slots[k] = j + 1;
	}
	for (i = 0; i < lower->nrules; i++) {
		for (k = id_hash(lower->rules[i].id) & mask; slots[k];
		     k = (k + 1) & mask) {
			j = slots[k] - 1;
			if (strcmp(lower->rules[i].id, top->rules[j].id))
				continue;
			abac_diag_add(diags, false, lower->file,
				      lower->rules[i].line,
				      lower->rules[i].column,
				      "rule id '%s' is already used in %s",
				      lower->rules[i].id, top->rules[j].file);
			err = -EINVAL;
			break;
		}
	}
	free(slots);
	return err;
}

/**
 * abac_policy_add_layer() - append a lower layer's rules to @top.
 * @top: the policy so far.
 * @lower: a layer from abac_policy_parse_layer_buf(@top); consumed.
 * @diags: receives an error on failure.
 *
 * Return: 0, -E2BIG past ABAC_MAX_LAYERS or ABAC_MAX_RULES, -EINVAL for
 * a rule id the layers above already use, -ENOMEM.
 */
int abac_policy_add_layer(struct abac_policy *top, struct abac_policy *lower,
			  struct abac_diags *diags)
{
	struct abac_rule_def *rules;
	unsigned int i, layer = top->nlayers;
	int err = 0;

	if (layer >= ABAC_MAX_LAYERS ||
	    top->nrules + lower->nrules > ABAC_MAX_RULES) {
		abac_diag_add(diags, false, lower->file, 0, 0,
			      "more than %d layers or %d rules in all",
			      ABAC_MAX_LAYERS, ABAC_MAX_RULES);
		err = -E2BIG;
		goto out;
	}
	err = check_ids(top, lower, diags);
	if (err)
		goto out;
	rules = realloc(top->rules, (top->nrules + lower->nrules + 1) *
			sizeof(*rules));
	if (!rules) {
		err = -ENOMEM;
		goto out;
	}
	top->rules = rules;
	top->layer_file[layer] = lower->file;
	lower->file = NULL;
	for (i = 0; i < lower->nrules; i++) {
		rules[top->nrules] = lower->rules[i];
		rules[top->nrules].layer = layer;
		rules[top->nrules].file = top->layer_file[layer];
		top->nrules++;
	}
	lower->nrules = 0;
	top->layer_combining[layer] = lower->combining;
	top->nlayers++;
out:
	abac_layer_drop_schema(lower);
	abac_policy_free(lower);
	return err;
}

/**
 * abac_policy_parse_files() - parse a top layer and its lower layers.
 * @files: the files, top layer first (one file may be a layered text).
 * @n: how many (1 to ABAC_MAX_LAYERS).
 * @out: receives the layered policy.
 * @diags: receives every error and warning.
 *
 * Return: 0 or a negative errno; on failure @diags holds an error.
 */
int abac_policy_parse_files(const char *const *files, size_t n,
			    struct abac_policy **out,
			    struct abac_diags *diags)
{
	struct abac_layer_text v[ABAC_MAX_LAYERS];
	char *bufs[ABAC_MAX_LAYERS] = { NULL };
	size_t i;
	int err = 0;

	if (n == 1)
		return abac_policy_parse_file(files[0], out, diags);
	if (!n || n > ABAC_MAX_LAYERS)
		return abac_policy_parse_layers(NULL, n, out, diags);
	for (i = 0; !err && i < n; i++) {
		err = read_policy_file(files[i], &bufs[i], &v[i].len, diags);
		v[i].name = (char *)files[i];
		v[i].text = bufs[i];
	}
	if (!err)
		err = abac_policy_parse_layers(v, n, out, diags);
	for (i = 0; i < n; i++)
		free(bufs[i]);
	return err;
}
