// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac policy eval: decide one request offline, with the very decision
 * core the kernel runs (lsm/abac_decide.h), and say why.
 *
 *	abac policy eval POLICY... --op OP --subject K=V...
 *		(--object K=V... | --path PATH | --addr IP:PORT)
 *		[--env K=V...] [--time ISO8601] [--json]
 *
 * Several POLICY files are layers, top first.  Each of --subject,
 * --object and --env takes the K=V words that follow it, up to the next
 * option; it may also be repeated.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/xattr.h>
#include <time.h>

#include "abac.h"
#include "libabac.h"

#define EVAL_TEXT_MAX	4096

/**
 * struct eval_args - the request as written on the command line.
 * @files: the policy files, top layer first.
 * @nfiles: entries in @files.
 * @op: the operation's name.
 * @side: "k=v k=v" of the subject, the object and the environment.
 * @path: --path, or NULL.
 * @addr: --addr, or NULL.
 * @time: --time, or NULL for now.
 */
struct eval_args {
	const char *files[ABAC_MAX_LAYERS];
	int nfiles;
	const char *op;
	char side[ABAC_SIDE_COUNT][EVAL_TEXT_MAX];
	bool given[ABAC_SIDE_COUNT];
	const char *path;
	const char *addr;
	const char *time;
	char label_from[4096];
	bool label_inherited;
	bool unlabelled;
};

static int parse_args(int argc, char **argv, struct eval_args *a)
{
	const char **val;
	int i, side;

	for (i = 1; i < argc; i++) {
		const char *s = argv[i];

		side = side_option(s);
		if (side >= 0) {
			a->given[side] = true;
			if (take_pairs(argc, argv, &i, a->side[side],
				       EVAL_TEXT_MAX))
				return ABAC_EXIT_USAGE;
			continue;
		}
		val = !strcmp(s, "--op") ? &a->op :
		      !strcmp(s, "--path") ? &a->path :
		      !strcmp(s, "--addr") ? &a->addr :
		      !strcmp(s, "--time") ? &a->time : NULL;
		if (val) {
			if (i + 1 >= argc)
				return p_usage("%s needs a value", s);
			*val = argv[++i];
			continue;
		}
		if (!strcmp(s, "--json") || !strcmp(s, "-j")) {
			json_output = true;
			continue;
		}
		if (!strcmp(s, "--pretty") || !strcmp(s, "-p")) {
			json_output = pretty_output = true;
			continue;
		}
		if (s[0] == '-' && s[1])
			return p_usage("unknown option '%s'", s);
		if (a->nfiles == ABAC_MAX_LAYERS)
			return p_usage("at most %d policy files", ABAC_MAX_LAYERS);
		a->files[a->nfiles++] = s;
	}
	if (!a->nfiles)
		return p_usage("which policy file?");
	if (!a->op)
		return p_usage("which operation? (--op read|write|exec|create|delete|relabel|connect|bind|listen)");
	if (a->given[ABAC_SIDE_OBJECT] + !!a->path + !!a->addr > 1)
		return p_usage("give one of --object, --path and --addr");
	return 0;
}

/* The object: pairs, a file's user.abac label, or a network address. */
static int object_attrs(const struct abac_policy *p,
			const struct abac_image *img, struct eval_args *a,
			struct abac_object *ob, struct abac_diags *d)
{
	struct abac_attrs *o = &ob->a;
	const struct abac_attrs *na;
	struct abac_label_pairs lp;
	char label[ABAC_LABEL_MAX + 1];
	__u8 addr[16];
	__u32 family, port, idx;
	size_t len;
	int err;

	memset(ob, 0, sizeof(*ob));
	if (a->given[ABAC_SIDE_OBJECT])
		return abac_attrs_resolve(p, ABAC_SIDE_OBJECT, "<object>",
					  a->side[ABAC_SIDE_OBJECT], o, d);
	if (a->path) {
		err = file_label(a->path, label, &len, a->label_from,
				 sizeof(a->label_from));
		if (err == -ENODATA) {
			a->unlabelled = true;
			p_warn("neither %s nor a directory above it on its filesystem carries a %s label: the kernel would not decide for it",
			       a->path, ABAC_LABEL_XATTR);
			return 0;
		}
		if (err) {
			p_err("Failed to evaluate: cannot read the label of %s: %s",
			      a->path, err == -E2BIG ? "longer than ABAC_LABEL_MAX bytes" :
			      strerr(err));
			return -EINVAL;
		}
		a->label_inherited = strcmp(a->label_from, a->path) != 0;
		if (abac_label_parse_obj(img, (const __u8 *)label, len, &lp,
					 ob)) {
			p_err("Failed to evaluate: the label of %s%s%s is malformed or names values the policy does not declare: the kernel denies it",
			      a->path, a->label_inherited ? ", inherited from " : "",
			      a->label_inherited ? a->label_from : "");
			return -EINVAL;
		}
		return 0;
	}
	if (a->addr) {
		if (abac_parse_addr(a->addr, &family, addr, &port)) {
			p_err("Failed to evaluate: --addr '%s': expected IPv4:PORT or [IPv6]:PORT",
			      a->addr);
			return -EINVAL;
		}
		na = abac_net_find(img, family, addr, port, &idx);
		if (na)
			*o = *na;
		return 0;
	}
	return 0;
}

static void print_plain(const struct abac_policy *p, const void *img,
			size_t len, const struct eval_args *a,
			const struct abac_explain *x)
{
	const char *id, *nlp;
	size_t i;

	if (a->path && !a->unlabelled)
		printf("label: %s%s\n", a->label_inherited ?
		       "inherited from " : "its own, on ", a->label_from);
	printf("decision: %s\n", abac_outcome_name(x->d.outcome));
	printf("enforced: %s%s\n", x->d.effect == ABAC_ALLOW ? "allow" : "deny",
	       x->d.outcome == ABAC_OUT_NA ? " (the policy's default)" :
	       x->d.outcome == ABAC_OUT_INDET ? " (indeterminate fails closed)" :
	       "");
	if (p->nlayers > 1)
		printf("deciding layer: %u (%s)\n", x->d.layer,
		       p->layer_file[x->d.layer]);
	for (i = 0; i < x->nrules; i++) {
		abac_image_rule_text(img, len, x->rules[i].index, &id, &nlp);
		printf("rule %s (%s): %s\n", id ? id : "?",
		       abac_outcome_name(x->rules[i].outcome), nlp ? nlp : "");
	}
	if (x->d.effect == ABAC_ALLOW)
		return;
	if (!x->nhints && x->d.outcome == ABAC_OUT_NA)
		printf("no rule permits this operation at all\n");
	for (i = 0; i < x->nhints; i++) {
		const struct abac_explain_hint *h = &x->hints[i];

		abac_image_rule_text(img, len, h->rule, &id, &nlp);
		if (h->absent)
			printf("to change: give %s (rule %s needs it: %s)\n",
			       h->cond, id ? id : "?", "it is absent");
		else if (x->d.outcome == ABAC_OUT_DENY)
			printf("to change: %s would have to be false (now %s; rule %s)\n",
			       h->cond, h->now, id ? id : "?");
		else
			printf("to change: %s would have to hold (now %s; rule %s would permit)\n",
			       h->cond, h->now, id ? id : "?");
	}
}

static void print_json(const struct abac_policy *p, const void *img,
		       size_t len, const struct eval_args *a,
		       const struct abac_explain *x)
{
	const char *id, *nlp;
	size_t i;

	abac_json_obj_begin(jw());
	if (a->path) {
		abac_json_key(jw(), "label");
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "source", a->unlabelled ? "none" :
				 a->label_inherited ? "inherited" : "own");
		if (!a->unlabelled)
			abac_json_kv_str(jw(), "from", a->label_from);
		abac_json_obj_end(jw());
	}
	abac_json_kv_str(jw(), "decision", abac_outcome_name(x->d.outcome));
	abac_json_kv_str(jw(), "enforced",
			 x->d.effect == ABAC_ALLOW ? "allow" : "deny");
	abac_json_kv_u64(jw(), "layer", x->d.layer);
	abac_json_key(jw(), "rules");
	abac_json_arr_begin(jw());
	for (i = 0; i < x->nrules; i++) {
		abac_image_rule_text(img, len, x->rules[i].index, &id, &nlp);
		abac_json_obj_begin(jw());
		abac_json_kv_u64(jw(), "index", x->rules[i].index);
		abac_json_kv_str(jw(), "id", id ? id : "");
		abac_json_kv_str(jw(), "nlp", nlp ? nlp : "");
		abac_json_kv_str(jw(), "outcome",
				 abac_outcome_name(x->rules[i].outcome));
		abac_json_obj_end(jw());
	}
	abac_json_arr_end(jw());
	abac_json_key(jw(), "to_change");
	abac_json_arr_begin(jw());
	for (i = 0; i < x->nhints; i++) {
		abac_image_rule_text(img, len, x->hints[i].rule, &id, &nlp);
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "rule", id ? id : "");
		abac_json_kv_str(jw(), "condition", x->hints[i].cond);
		abac_json_kv_str(jw(), "now", x->hints[i].now);
		abac_json_kv_bool(jw(), "absent", x->hints[i].absent);
		abac_json_kv_bool(jw(), "must_hold",
				  x->d.outcome != ABAC_OUT_DENY);
		abac_json_obj_end(jw());
	}
	abac_json_arr_end(jw());
	abac_json_obj_end(jw());
	(void)p;
}

/**
 * do_policy_eval() - abac policy eval POLICY... --op OP ...
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Return: 0 when the request is allowed, 1 when it is denied, 2 on
 * misuse, 3 when it cannot be evaluated (the policy or the request is
 * invalid, the file's label unreadable).
 */
int do_policy_eval(int argc, char **argv)
{
	struct eval_args *a = calloc(1, sizeof(*a));
	struct abac_attrs s = { 0 };
	struct abac_object ob = { 0 };
	struct abac_policy *p = NULL;
	struct abac_explain x;
	struct abac_env env;
	struct abac_request rq = { .s = &s, .o = &ob.a, .e = &env,
				   .ostore = 1 };
	struct abac_image v;
	struct abac_diags d;
	void *img = NULL;
	size_t len;
	time_t t;
	int op, ret = ABAC_EXIT_FAIL;

	if (!a)
		return ABAC_EXIT_FAIL;
	abac_diags_init(&d);
	memset(&env, 0, sizeof(env));
	ret = parse_args(argc, argv, a);
	if (ret)
		goto out;
	ret = ABAC_EXIT_ERROR;
	op = abac_op_from_name(a->op);
	if (op < 0) {
		ret = p_usage_op(a->op);
		goto out;
	}
	if (abac_policy_parse_files(a->files, a->nfiles, &p, &d))
		goto diags;
	/* an open set's members are decided from the image that holds them */
	if (a->given[ABAC_SIDE_SUBJECT] && abac_policy_has_open_sets(p)) {
		if (abac_image_build_for(p, "<subject>",
					 a->side[ABAC_SIDE_SUBJECT], &img,
					 &len, &s, &d))
			goto diags;
	} else if (abac_image_build(p, NULL, 0, &img, &len, &d) ||
		   (a->given[ABAC_SIDE_SUBJECT] &&
		    abac_attrs_resolve(p, ABAC_SIDE_SUBJECT, "<subject>",
				       a->side[ABAC_SIDE_SUBJECT], &s, &d))) {
		goto diags;
	}
	v = abac_image_view(img, len);
	if ((a->given[ABAC_SIDE_ENV] &&
	     abac_attrs_resolve(p, ABAC_SIDE_ENV, "<env>",
				a->side[ABAC_SIDE_ENV], &env.a, &d)) ||
	    object_attrs(p, &v, a, &ob, &d))
		goto diags;
	t = time(NULL);
	if (a->time && abac_parse_time(a->time, p->timezone, &t)) {
		p_err("Failed to evaluate: --time '%s': expected YYYY-MM-DDTHH:MM[:SS] with Z, +HH:MM, -HH:MM or nothing (the policy's timezone)",
		      a->time);
		goto out;
	}
	if (abac_local_time(t, p->timezone, &env)) {
		p_err("Failed to evaluate: cannot convert the time to %s",
		      p->timezone);
		goto out;
	}
	if (abac_explain(p, &v, op, &rq, &x)) {
		p_err("Failed to evaluate: the compiled policy is unreadable");
		goto out;
	}
	if (json_output)
		print_json(p, img, len, a, &x);
	else
		print_plain(p, img, len, a, &x);
	p_diags_warn(&d);
	ret = x.d.effect == ABAC_ALLOW ? ABAC_EXIT_OK : ABAC_EXIT_FAIL;
	abac_explain_free(&x);
	goto out;
diags:
	if (d.errors)	/* else object_attrs() said why */
		p_diags_fail(&d, "Failed to evaluate: %zu error%s",
			     d.errors, d.errors == 1 ? "" : "s");
out:
	abac_diags_free(&d);
	abac_policy_free(p);
	free(img);
	free(a);
	return ret;
}
