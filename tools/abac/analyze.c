// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac policy who-can | what-can | diff: questions about a whole policy,
 * answered over every class of requests with the kernel's own decision
 * core (tools/lib/space.c, analyze.c), printed as a compact table.
 *
 *	abac policy who-can OP [POLICY...] [--object K=V... | --path FILE]
 *		[--env K=V...] [--live] [--under DIR]
 *	abac policy what-can [POLICY...] --subject K=V... [--op OP]
 *		[--env K=V...] [--live] [--under DIR]
 *	abac policy diff OLD NEW
 *
 * Without POLICY the policy in force is asked of abacd (its source).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abac.h"
#include "libabac.h"

#define ASK_TEXT_MAX	4096

/**
 * struct ask - a question as written on the command line.
 * @files: the policy files, top layer first (none: the policy in force).
 * @nfiles: entries in @files.
 * @op: --op, or the operand of who-can.
 * @side: "k=v k=v" of --subject, --object and --env.
 * @given: which of @side were given.
 * @path: --path, or NULL.
 * @exact: --exact: attributes not given are absent.
 * @live: --live: the tagged cgroups of this host the rows hold.
 * @under: --under DIR: the labelled files under DIR the rows hold.
 */
struct ask {
	const char *files[ABAC_MAX_LAYERS];
	int nfiles;
	const char *op;
	char side[ABAC_SIDE_COUNT][ASK_TEXT_MAX];
	bool given[ABAC_SIDE_COUNT];
	const char *path;
	bool exact;
	bool live;
	const char *under;
};


/* The options every question shares; the operands are policy files. */
static int parse_ask(int argc, char **argv, int first, struct ask *q)
{
	int i, side;

	for (i = first; i < argc; i++) {
		const char *s = argv[i];

		side = side_option(s);
		if (side >= 0) {
			q->given[side] = true;
			if (take_pairs(argc, argv, &i, q->side[side],
				       ASK_TEXT_MAX))
				return ABAC_EXIT_USAGE;
		} else if (!strcmp(s, "--op") || !strcmp(s, "--path") ||
			   !strcmp(s, "--under")) {
			if (i + 1 >= argc)
				return p_usage("%s needs a value", s);
			*(s[2] == 'o' ? &q->op : s[2] == 'p' ? &q->path :
			  &q->under) = argv[++i];
		} else if (!strcmp(s, "--live")) {
			q->live = true;
		} else if (!strcmp(s, "--exact")) {
			q->exact = true;
		} else if (!strcmp(s, "--json") || !strcmp(s, "-j")) {
			json_output = true;
		} else if (!strcmp(s, "--pretty") || !strcmp(s, "-p")) {
			json_output = pretty_output = true;
		} else if (s[0] == '-' && s[1]) {
			return p_usage("unknown option '%s'", s);
		} else if (q->nfiles == ABAC_MAX_LAYERS) {
			return p_usage("at most %d policy files",
				       ABAC_MAX_LAYERS);
		} else {
			q->files[q->nfiles++] = s;
		}
	}
	if (q->given[ABAC_SIDE_OBJECT] && q->path)
		return p_usage("give one of --object and --path");
	return 0;
}

/* The source of the policy in force, from abacd. */
static int source_in_force(char **text, size_t *len)
{
	static const char *const args[] = { "policy-source" };
	struct agent_reply r;

	if (agent_call("read the policy in force", 1, args, &r))
		return -EIO;
	if (r.status != 0) {
		p_err("Failed to read the policy in force: %.*s", (int)r.len,
		      r.text);
		agent_reply_free(&r);
		return -EIO;
	}
	*text = malloc(r.len + 1);
	if (!*text) {
		agent_reply_free(&r);
		return -ENOMEM;
	}
	memcpy(*text, r.text, r.len);
	(*text)[r.len] = '\0';
	*len = r.len;
	agent_reply_free(&r);
	return 0;
}

/**
 * load_policy() - parse and compile @files (none: the policy in force).
 * @l: receives the policy and its image.
 * @files: the files, top layer first.
 * @nfiles: how many; 0 asks abacd for the policy in force.
 * @verb: "answer who-can", for the error message.
 *
 * Return: 0, or the exit status after the errors were reported.
 */
int load_policy(struct loaded *l, const char *const *files, int nfiles,
		const char *verb)
{
	struct abac_diags d;
	char *text = NULL;
	size_t len = 0;
	int err;

	memset(l, 0, sizeof(*l));
	abac_diags_init(&d);
	if (nfiles) {
		l->name = files[0];
		err = abac_policy_parse_files(files, nfiles, &l->policy, &d);
	} else {
		l->name = "the policy in force";
		err = source_in_force(&text, &len);
		if (err) {
			abac_diags_free(&d);
			return ABAC_EXIT_ERROR;
		}
		err = abac_policy_parse_source(l->name, text, len, &l->policy,
					       &d);
		free(text);
	}
	if (!err)
		err = abac_image_build(l->policy, NULL, 0, &l->img, &l->len,
				       &d);
	if (err) {
		p_diags_fail(&d, "Failed to %s: %s does not compile", verb,
			     l->name);
		abac_diags_free(&d);
		return ABAC_EXIT_ERROR;
	}
	abac_diags_free(&d);
	return 0;
}

void loaded_free(struct loaded *l)
{
	abac_policy_free(l->policy);
	free(l->img);
}

/* ---- printing rows ------------------------------------------------------ */

/* The dimensions shown as columns: those the question leaves free. */
static unsigned int columns(const struct abac_space *sp, unsigned int *cols)
{
	unsigned int i, n = 0;

	for (i = 0; i < sp->ndims; i++)
		if (abac_space_shown(sp, i))
			cols[n++] = i;
	return n;
}

static const char *rule_id(const struct abac_space *sp, unsigned int k,
			   const struct abac_cube_key *key)
{
	__u32 r = key->rule[k];

	if (key->reason[k] == ABAC_REASON_BAD_LABEL)
		return "(undeclared value)";
	if (r == ABAC_RULE_NONE || r >= sp->pol[k]->nrules)
		return key->reason[k] == ABAC_REASON_INDETERMINATE ?
		       "(indeterminate)" : "(default)";
	return sp->pol[k]->rules[r].id;
}

static const char *rule_nlp(const struct abac_space *sp, unsigned int k,
			    const struct abac_cube_key *key)
{
	__u32 r = key->rule[k];

	if (r == ABAC_RULE_NONE || r >= sp->pol[k]->nrules ||
	    key->reason[k] == ABAC_REASON_BAD_LABEL)
		return NULL;
	return sp->pol[k]->rules[r].nlp;
}

/* Widths of the columns over the header and every row. */
static void widths(const struct abac_cubes *c, const unsigned int *cols,
		   unsigned int ncols, size_t *w)
{
	char buf[1024];
	size_t r, len;
	unsigned int i;

	for (i = 0; i < ncols; i++) {
		w[i] = strlen(c->sp->dims[cols[i]].name);
		for (r = 0; r < c->n; r++) {
			len = strlen(abac_cube_text(c, r, cols[i], buf,
						    sizeof(buf)));
			if (len > w[i])
				w[i] = len;
		}
	}
}

/* The table: one line a row, the deciding rule(s) last. */
static void print_table(const struct abac_cubes *c, bool diff)
{
	const struct abac_space *sp = c->sp;
	unsigned int cols[ABAC_SPACE_DIMS], n = columns(sp, cols), i;
	size_t w[ABAC_SPACE_DIMS], r;
	char buf[1024];

	widths(c, cols, n, w);
	printf(" ");
	for (i = 0; i < n; i++)
		printf(" %-*s", (int)w[i] + 1, sp->dims[cols[i]].name);
	printf(diff ? " old -> new\n" : " rule\n");
	for (r = 0; r < c->n; r++) {
		printf(" ");
		for (i = 0; i < n; i++)
			printf(" %-*s", (int)w[i] + 1,
			       abac_cube_text(c, r, cols[i], buf, sizeof(buf)));
		if (diff)
			printf(" %s %s -> %s %s\n",
			       c->keys[r].effect[0] == ABAC_ALLOW ? "allow" :
			       "deny", rule_id(sp, 0, &c->keys[r]),
			       c->keys[r].effect[1] == ABAC_ALLOW ? "allow" :
			       "deny", rule_id(sp, 1, &c->keys[r]));
		else
			printf(" %s\n", rule_id(sp, 0, &c->keys[r]));
	}
}

/* Each rule a row names, once, with its sentence. */
static void print_sentences(const struct abac_cubes *c, unsigned int k)
{
	const struct abac_space *sp = c->sp;
	size_t r, q;
	const char *nlp;

	for (r = 0; r < c->n; r++) {
		nlp = rule_nlp(sp, k, &c->keys[r]);
		for (q = 0; q < r; q++)
			if (c->keys[q].rule[k] == c->keys[r].rule[k])
				break;
		if (nlp && q == r)
			printf("  %s: %s\n", rule_id(sp, k, &c->keys[r]), nlp);
	}
}

static void json_row_values(const struct abac_cubes *c, size_t r)
{
	const struct abac_space *sp = c->sp;
	unsigned int cols[ABAC_SPACE_DIMS], n = columns(sp, cols), i, v;

	abac_json_key(jw(), "values");
	abac_json_obj_begin(jw());
	for (i = 0; i < n; i++) {
		abac_json_key(jw(), sp->dims[cols[i]].name);
		abac_json_arr_begin(jw());
		if (abac_cube_all(c, r, cols[i]))
			abac_json_str(jw(), "*");
		for (v = 0; !abac_cube_all(c, r, cols[i]) &&
			    v < sp->dims[cols[i]].nvals; v++)
			if (abac_cube_has(c, r, cols[i], v))
				abac_json_str(jw(), sp->dims[cols[i]].vals[v].text);
		abac_json_arr_end(jw());
	}
	abac_json_obj_end(jw());
}

static void json_rule(const char *key, const struct abac_space *sp,
		      unsigned int k, const struct abac_cube_key *ck)
{
	const char *nlp = rule_nlp(sp, k, ck);

	abac_json_key(jw(), key);
	abac_json_obj_begin(jw());
	abac_json_kv_str(jw(), "id", rule_id(sp, k, ck));
	if (nlp)
		abac_json_kv_str(jw(), "nlp", nlp);
	abac_json_kv_str(jw(), "effect", ck->effect[k] == ABAC_ALLOW ?
			 "allow" : "deny");
	abac_json_obj_end(jw());
}

/* "fixed": what the question pinned, {"object.type": "invoice"}. */
static void json_fixed(const struct abac_space *sp)
{
	unsigned int i, v;

	abac_json_key(jw(), "fixed");
	abac_json_obj_begin(jw());
	for (i = 0; i < sp->ndims; i++) {
		if (abac_space_shown(sp, i))
			continue;
		for (v = 0; v < sp->dims[i].nvals; v++)
			if (sp->keep[i][v])
				abac_json_kv_str(jw(), sp->dims[i].name,
						 sp->dims[i].vals[v].text);
	}
	abac_json_obj_end(jw());
}

static void json_columns(const struct abac_space *sp)
{
	unsigned int cols[ABAC_SPACE_DIMS], n = columns(sp, cols), i;

	abac_json_key(jw(), "columns");
	abac_json_arr_begin(jw());
	for (i = 0; i < n; i++)
		abac_json_str(jw(), sp->dims[cols[i]].name);
	abac_json_arr_end(jw());
}

static void json_notes(const struct abac_diags *d)
{
	size_t i;

	abac_json_key(jw(), "notes");
	abac_json_arr_begin(jw());
	for (i = 0; i < d->n; i++)
		abac_json_str(jw(), d->v[i].msg);
	abac_json_arr_end(jw());
}

/* ---- who-can, what-can ------------------------------------------------ */

static void print_permitted(const struct abac_cubes *c, const char *question,
			    const struct abac_diags *notes,
			    const struct ask *q, const struct abac_image *img)
{
	const struct abac_space *sp = c->sp;
	size_t r;

	if (json_output) {
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "policy", sp->pol[0]->name);
		abac_json_kv_str(jw(), "question", question);
		json_fixed(sp);
		json_columns(sp);
		abac_json_key(jw(), "rows");
		abac_json_arr_begin(jw());
		for (r = 0; r < c->n; r++) {
			abac_json_obj_begin(jw());
			json_row_values(c, r);
			json_rule("rule", sp, 0, &c->keys[r]);
			abac_json_kv_u64(jw(), "classes", c->cells[r]);
			abac_json_obj_end(jw());
		}
		abac_json_arr_end(jw());
		json_notes(notes);
		if (q->live || q->under)
			live_report(c, img, q->live, q->under);
		abac_json_obj_end(jw());
		return;
	}
	printf("%s (policy %s):\n", question, sp->pol[0]->name);
	if (!c->n) {
		printf("  nobody: no request of this kind is permitted\n");
	} else {
		print_table(c, false);
		printf("\n");
		print_sentences(c, 0);
	}
	abac_diags_print(notes, stderr);
	if (q->live || q->under)
		live_report(c, img, q->live, q->under);
}

/*
 * Pin every object attribute to the label the kernel decides @path by:
 * what it names, the others absent.
 */
static int fix_path(struct abac_space *sp, const struct abac_image *img,
		    const char *path)
{
	char label[ABAC_LABEL_MAX + 1], from[4096];
	struct abac_label_pairs lp;
	struct abac_attrs o;
	size_t len;
	int err;

	memset(&o, 0, sizeof(o));
	err = file_label(path, label, &len, from, sizeof(from));
	if (err == -ENODATA) {
		p_err("Failed to answer: neither %s nor a directory above it carries a label: the kernel does not decide for it",
		      path);
		return err;
	}
	if (err) {
		p_err("Failed to answer: cannot read the label of %s: %s",
		      path, strerr(err));
		return err;
	}
	if (abac_label_parse(img, (const __u8 *)label, len, &lp, &o)) {
		p_err("Failed to answer: the label of %s (from %s) is malformed or names values the policy does not declare: the kernel denies everyone",
		      path, from);
		return -EINVAL;
	}
	if (!json_output && strcmp(from, path))
		p_warn("%s inherits the label of %s", path, from);
	return abac_space_fix_attrs(sp, ABAC_SIDE_OBJECT, &o, true);
}

/*
 * Build the space of @l, pin what @q gives on each side, and print the
 * permitted rows under the heading @question.
 */
static int permitted(struct loaded *l, struct ask *q, const char *question)
{
	const struct abac_policy *pols[1] = { l->policy };
	struct abac_image img = abac_image_view(l->img, l->len);
	struct abac_space *sp = calloc(1, sizeof(*sp));
	struct abac_cubes c;
	struct abac_diags d;
	int ret = ABAC_EXIT_ERROR, side, op;

	abac_diags_init(&d);
	if (!sp || abac_space_init(sp, pols, &img, 1, &d)) {
		p_diags_fail(&d, "Failed to answer: the request space of %s cannot be enumerated",
			     l->name);
		goto out;
	}
	if (q->op) {
		op = abac_op_from_name(q->op);
		if (op < 0) {
			ret = p_usage_op(q->op);
			goto space;
		}
		abac_space_keep(sp, abac_space_find(sp, "op"), op);
	}
	for (side = 0; side < ABAC_SIDE_COUNT; side++) {
		if (!q->given[side])
			continue;
		if (abac_space_fix(sp, side, q->side[side],
				   q->exact || side == ABAC_SIDE_ENV, &d)) {
			p_diags_fail(&d, "Failed to answer: the %s does not fit %s",
				     abac_side_name(side), l->name);
			goto space;
		}
	}
	if (q->path && fix_path(sp, &img, q->path))
		goto space;
	if (abac_analyze_permitted(sp, &c)) {
		p_err("Failed to answer: out of memory");
		goto space;
	}
	print_permitted(&c, question, &d, q, &img);
	abac_cubes_free(&c);
	ret = ABAC_EXIT_OK;
space:
	abac_space_free(sp);
out:
	free(sp);
	abac_diags_free(&d);
	return ret;
}

/**
 * do_policy_who_can() - abac policy who-can OP [POLICY...] [--object K=V...]
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Return: 0, 2 on misuse, 3 when the question cannot be answered.
 */
int do_policy_who_can(int argc, char **argv)
{
	struct ask *q = calloc(1, sizeof(*q));
	char question[ASK_TEXT_MAX + 128];
	struct loaded l;
	int ret;

	if (!q)
		return ABAC_EXIT_ERROR;
	if (argc < 2 || argv[1][0] == '-') {
		free(q);
		return p_usage("which operation?");
	}
	q->op = argv[1];
	ret = parse_ask(argc, argv, 2, q);
	if (!ret && q->given[ABAC_SIDE_SUBJECT])
		ret = p_usage("who-can answers with subjects: use what-can to give one");
	if (!ret)
		ret = load_policy(&l, q->files, q->nfiles, "answer who-can");
	if (ret) {
		free(q);
		return ret;
	}
	snprintf(question, sizeof(question), "who can %s %s%s", q->op,
		 q->given[ABAC_SIDE_OBJECT] ? "objects with " :
		 q->path ? "" : "any object",
		 q->path ? q->path : q->side[ABAC_SIDE_OBJECT]);
	ret = permitted(&l, q, question);
	loaded_free(&l);
	free(q);
	return ret;
}

/**
 * do_policy_what_can() - abac policy what-can [POLICY...] --subject K=V...
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Return: 0, 2 on misuse, 3 when the question cannot be answered.
 */
int do_policy_what_can(int argc, char **argv)
{
	struct ask *q = calloc(1, sizeof(*q));
	char question[ASK_TEXT_MAX + 128];
	struct loaded l;
	int ret;

	if (!q)
		return ABAC_EXIT_ERROR;
	ret = parse_ask(argc, argv, 1, q);
	if (!ret && !q->given[ABAC_SIDE_SUBJECT])
		ret = p_usage("which subject? (--subject K=V...)");
	if (!ret && (q->given[ABAC_SIDE_OBJECT] || q->path))
		ret = p_usage("what-can answers with objects: use who-can to give one");
	if (!ret)
		ret = load_policy(&l, q->files, q->nfiles, "answer what-can");
	if (ret) {
		free(q);
		return ret;
	}
	snprintf(question, sizeof(question), "what can subjects with %s %s",
		 q->side[ABAC_SIDE_SUBJECT], q->op ? q->op : "do");
	ret = permitted(&l, q, question);
	loaded_free(&l);
	free(q);
	return ret;
}

/* ---- diff ------------------------------------------------------------- */

/* The binding of @p for the same cgroups as @b (parent and glob), or NULL. */
static const struct abac_binding *binding_twin(const struct abac_policy *p,
					       const struct abac_binding *b)
{
	unsigned int i;

	for (i = 0; i < p->nbindings; i++)
		if (!strcmp(p->bindings[i].dir, b->dir) &&
		    !strcmp(p->bindings[i].glob, b->glob))
			return &p->bindings[i];
	return NULL;
}

/*
 * One changed binding: the cgroups it names, its tags in @old and @new
 * (NULL: none there).  Returns 1 when they differ, else 0.
 */
static unsigned int binding_change(const struct abac_binding *old,
				   const struct abac_binding *new, bool print)
{
	const struct abac_binding *b = old ? old : new;
	char cg[PATH_MAX];

	if (old && new && !strcmp(old->tags, new->tags))
		return 0;
	if (!print)
		return 1;
	snprintf(cg, sizeof(cg), "%s%s%s", b->dir, *b->dir ? "/" : "",
		 b->glob);
	if (json_output) {
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "cgroups", cg);
		if (b->unit)
			abac_json_kv_str(jw(), "unit", b->unit);
		abac_json_key(jw(), "old");
		old ? abac_json_str(jw(), old->tags) : abac_json_null(jw());
		abac_json_key(jw(), "new");
		new ? abac_json_str(jw(), new->tags) : abac_json_null(jw());
		abac_json_obj_end(jw());
	} else if (!old) {
		printf("  + %s: %s\n", cg, new->tags);
	} else if (!new) {
		printf("  - %s: %s\n", cg, old->tags);
	} else {
		printf("  ~ %s: %s -> %s\n", cg, old->tags, new->tags);
	}
	return 1;
}

/*
 * The bindings (subjects: entries) that differ between @o and @n: those
 * only in one, and those whose tags changed.  Printed when @print.
 * Returns how many.
 */
static unsigned int diff_bindings(const struct abac_policy *o,
				  const struct abac_policy *n, bool print)
{
	unsigned int i, changed = 0;

	for (i = 0; i < o->nbindings; i++)
		changed += binding_change(&o->bindings[i],
					  binding_twin(n, &o->bindings[i]),
					  print);
	for (i = 0; i < n->nbindings; i++)
		if (!binding_twin(o, &n->bindings[i]))
			changed += binding_change(NULL, &n->bindings[i], print);
	return changed;
}

static void print_diff(const struct abac_cubes *c, const struct loaded *l,
		       const struct abac_diags *notes)
{
	unsigned int nb = diff_bindings(l[0].policy, l[1].policy, false);
	char sum[4096];
	__u64 cells = 0;
	size_t r;

	for (r = 0; r < c->n; r++)
		cells += c->cells[r];
	if (json_output) {
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "old", l[0].name);
		abac_json_kv_str(jw(), "new", l[1].name);
		abac_json_kv_bool(jw(), "equivalent", !c->n && !nb);
		abac_json_kv_bool(jw(), "decided_alike", !c->n);
		abac_json_kv_u64(jw(), "classes", cells);
		json_columns(c->sp);
		abac_json_key(jw(), "changes");
		abac_json_arr_begin(jw());
		for (r = 0; r < c->n; r++) {
			abac_json_obj_begin(jw());
			abac_json_kv_str(jw(), "summary",
					 abac_cube_summary(c, r, sum,
							   sizeof(sum)));
			json_row_values(c, r);
			json_rule("old", c->sp, 0, &c->keys[r]);
			json_rule("new", c->sp, 1, &c->keys[r]);
			abac_json_kv_u64(jw(), "classes", c->cells[r]);
			abac_json_obj_end(jw());
		}
		abac_json_arr_end(jw());
		abac_json_key(jw(), "bindings");
		abac_json_arr_begin(jw());
		diff_bindings(l[0].policy, l[1].policy, true);
		abac_json_arr_end(jw());
		json_notes(notes);
		abac_json_obj_end(jw());
		return;
	}
	if (!c->n && !nb) {
		printf("%s and %s are equivalent: every request is decided alike\n",
		       l[0].name, l[1].name);
		return;
	}
	if (!c->n) {
		printf("%s and %s decide every request alike\n", l[0].name,
		       l[1].name);
	} else {
		printf("%s -> %s: %zu change%s\n", l[0].name, l[1].name, c->n,
		       c->n == 1 ? "" : "s");
		for (r = 0; r < c->n; r++)
			printf("  - %s\n",
			       abac_cube_summary(c, r, sum, sizeof(sum)));
		printf("\n");
		print_table(c, true);
	}
	if (nb) {
		printf("%ssubjects: %u binding%s changed (the cgroups tagged by name):\n",
		       c->n ? "\n" : "", nb, nb == 1 ? "" : "s");
		diff_bindings(l[0].policy, l[1].policy, true);
	}
	abac_diags_print(notes, stderr);
}

/**
 * do_policy_diff() - abac policy diff OLD NEW
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Return: 0 when the two decide every request alike, 1 when they
 * differ, 2 on misuse, 3 when they cannot be compared.
 */
int do_policy_diff(int argc, char **argv)
{
	static const struct option opts[] = { ABAC_COMMON_LONGOPTS, { NULL } };
	const struct abac_policy *pols[2];
	struct abac_image imgs[2];
	struct abac_space *sp = NULL;
	struct loaded l[2] = { { 0 } };
	struct abac_cubes c;
	struct abac_diags d;
	int ret, k;

	if (verb_getopt(argc, argv, ABAC_COMMON_SHORTOPTS, opts) == '?')
		return ABAC_EXIT_USAGE;
	if (argc - optind != 2)
		return p_usage("diff takes two policy files: OLD NEW");
	abac_diags_init(&d);
	for (k = 0; k < 2; k++) {
		ret = load_policy(&l[k], (const char *const *)&argv[optind + k], 1,
			   "diff");
		if (ret)
			goto out;
		pols[k] = l[k].policy;
		imgs[k] = abac_image_view(l[k].img, l[k].len);
	}
	ret = ABAC_EXIT_ERROR;
	sp = calloc(1, sizeof(*sp));
	if (!sp || abac_space_init(sp, pols, imgs, 2, &d)) {
		p_diags_fail(&d, "Failed to diff: %s and %s cannot be compared",
			     l[0].name, l[1].name);
		goto out;
	}
	if (abac_analyze_diff(sp, &c)) {
		p_err("Failed to diff: out of memory");
		goto space;
	}
	print_diff(&c, l, &d);
	ret = c.n || diff_bindings(pols[0], pols[1], false) ? ABAC_EXIT_FAIL :
							      ABAC_EXIT_OK;
	abac_cubes_free(&c);
space:
	abac_space_free(sp);
out:
	free(sp);
	loaded_free(&l[0]);
	loaded_free(&l[1]);
	abac_diags_free(&d);
	return ret;
}
