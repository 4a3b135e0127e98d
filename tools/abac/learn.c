// SPDX-License-Identifier: GPL-2.0-only
/*
 * abac policy replay | suggest: learning from recorded decisions.
 *
 *	abac policy replay CANDIDATE... [--events LOG]
 *	abac policy suggest [POLICY...] [--events LOG]
 *
 * replay decides every recorded decision again with a candidate policy
 * and lists those it would decide differently: what flipping from audit
 * to enforce, or to a new policy, would change.  suggest is abac's
 * audit2allow: from the denials recorded, the fewest allow rules over
 * attributes (never paths or pids) that would have permitted them, each
 * covering exactly the combinations seen, with a generated sentence,
 * marked for review.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abac.h"
#include "libabac.h"


/**
 * struct policy_args - POLICY... [--events LOG] [--limit N].
 */
struct policy_args {
	const char *files[ABAC_MAX_LAYERS];
	int nfiles;
	const char *log;
	unsigned long limit;
};

static int parse_policy_args(int argc, char **argv, struct policy_args *a)
{
	static const struct option opts[] = {
		ABAC_COMMON_LONGOPTS,
		{ "events", required_argument, NULL, 'e' },
		{ "limit", required_argument, NULL, 'l' },
		{ NULL }
	};
	char *end;
	int c;

	memset(a, 0, sizeof(*a));
	a->log = ABAC_EVENTS_LOG;
	a->limit = 50;
	while ((c = verb_getopt(argc, argv, "e:l:" ABAC_COMMON_SHORTOPTS,
				opts)) != -1) {
		if (c == 'e') {
			a->log = optarg;
		} else if (c == 'l') {
			a->limit = strtoul(optarg, &end, 10);
			if (*end || end == optarg)
				return p_usage("--limit takes a number");
		} else {
			return ABAC_EXIT_USAGE;
		}
	}
	for (; optind < argc; optind++) {
		if (a->nfiles == ABAC_MAX_LAYERS)
			return p_usage("at most %d policy files",
				       ABAC_MAX_LAYERS);
		a->files[a->nfiles++] = argv[optind];
	}
	return 0;
}

/**
 * struct replayed - one recorded decision made again.
 * @rec: the event as logged.
 * @line: its line in the log.
 * @op: the operation.
 * @s: the subject's attributes, in the policy's numbering.
 * @o: the object's.
 * @env: the environment and the clock at the event's time.
 * @bad_label: the label does not parse or names undeclared pairs.
 * @why: why the event cannot be decided again, or NULL.
 */
struct replayed {
	struct abac_evrec rec;
	unsigned long line;
	int op;
	struct abac_attrs s, o;
	struct abac_env env;
	bool bad_label;
	const char *why;
};

/*
 * The object's label: the one the log recorded, else the label the file
 * at the event's path carries now.
 */
static int object_of(const struct abac_image *img, struct replayed *r)
{
	char label[ABAC_LABEL_MAX + 1], from[4096];
	struct abac_label_pairs lp;
	const char *text = r->rec.object_label;
	size_t len = strlen(text);

	if (!*text) {
		if (r->rec.path[0] != '/' ||
		    file_label(r->rec.path, label, &len, from, sizeof(from))) {
			r->why = "no label recorded, and none readable at its path now";
			return -ENOENT;
		}
		text = label;
	}
	r->bad_label = abac_label_parse(img, (const __u8 *)text, len, &lp,
					&r->o) != 0;
	return 0;
}

/* Does subject @s hold an open set, which only an image can decide? */
static bool unresolved_set(const struct abac_policy *p,
			   const struct abac_attrs *s)
{
	unsigned int i;

	for (i = 0; i < p->nsattrs && i < ABAC_MAX_ATTRS; i++)
		if (p->sattrs[i].open && p->sattrs[i].type == ABAC_TYPE_SET &&
		    s->v[i])
			return true;
	return false;
}

/* Make the request of event @r against policy @p; false: cannot. */
static bool request_of(const struct abac_policy *p,
		       const struct abac_image *img, struct replayed *r)
{
	struct abac_diags d;
	time_t t;
	bool ok = false;

	memset(&r->s, 0, sizeof(r->s) * 2);
	memset(&r->env, 0, sizeof(r->env));
	abac_diags_init(&d);
	r->op = abac_op_from_name(r->rec.op);
	if (r->op < 0 || !strcmp(r->rec.reason, "guard"))
		r->why = "not a decision of the policy (a guard refusal)";
	else if (abac_attrs_resolve(p, ABAC_SIDE_SUBJECT, "<tags>",
				    r->rec.subject_tags, &r->s, &d))
		r->why = "its subject's tags do not fit this policy";
	else if (unresolved_set(p, &r->s))
		r->why = "its subject holds an open set, which is decided only with an image compiled with it (not replayed yet)";
	else if (r->rec.env[0] && abac_attrs_resolve(p, ABAC_SIDE_ENV, "<env>",
						     r->rec.env, &r->env.a, &d))
		r->why = "its environment does not fit this policy";
	else if (abac_evrec_time(&r->rec, &t) ||
		 abac_local_time(t, p->timezone, &r->env))
		r->why = "its time cannot be read";
	else if (!object_of(img, r))
		ok = true;
	abac_diags_free(&d);
	return ok;
}

/* Decide @r with @img, a label the policy refuses denying as the kernel does. */
static void decide_again(const struct abac_image *img, struct replayed *r,
			 struct abac_decision *dec)
{
	struct abac_request rq = { &r->s, &r->o, &r->env };

	if (r->bad_label) {	/* the kernel fails closed */
		memset(dec, 0, sizeof(*dec));
		dec->effect = ABAC_DENY;
		dec->reason = ABAC_REASON_BAD_LABEL;
		dec->rule = ABAC_RULE_NONE;
		return;
	}
	abac_decide(img, r->op, &rq, dec);
}

/**
 * struct log_reader - the event log, a line at a time.
 */
struct log_reader {
	FILE *f;
	char *line;
	size_t cap;
	unsigned long lineno, bad;
};

static int log_open(struct log_reader *lr, const char *path)
{
	memset(lr, 0, sizeof(*lr));
	lr->f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!lr->f) {
		p_err("Failed to read the event log %s: %s", path,
		      strerr(-errno));
		return -errno;
	}
	return 0;
}

/* The next event line parsed into @rec; false at the end. */
static bool log_next(struct log_reader *lr, struct abac_evrec *rec)
{
	ssize_t n;

	while ((n = getline(&lr->line, &lr->cap, lr->f)) > 0) {
		lr->lineno++;
		if (abac_evrec_parse(lr->line, n, rec)) {
			lr->bad++;
			continue;
		}
		if (abac_evrec_effect(rec) >= 0)	/* not "lost" */
			return true;
	}
	return false;
}

static void log_close(struct log_reader *lr)
{
	if (lr->f && lr->f != stdin)
		fclose(lr->f);
	free(lr->line);
}

/* ---- replay ------------------------------------------------------------ */

/**
 * struct replay_count - what a replay found.
 */
struct replay_count {
	unsigned long events, replayed, differ, skipped;
};

static const char *rule_name(const struct abac_policy *p,
			     const struct abac_decision *d)
{
	if (d->reason == ABAC_REASON_BAD_LABEL)
		return "(bad label)";
	if (d->rule == ABAC_RULE_NONE || d->rule >= p->nrules)
		return d->outcome == ABAC_OUT_INDET ? "(indeterminate)" :
		       "(default)";
	return p->rules[d->rule].id;
}

static void print_change(const struct abac_policy *p, const struct replayed *r,
			 int was, const struct abac_decision *now)
{
	if (json_output) {
		abac_json_obj_begin(jw());
		abac_json_kv_u64(jw(), "line", r->line);
		abac_json_kv_str(jw(), "time", r->rec.time);
		if (r->rec.event_id[0])
			abac_json_kv_str(jw(), "event_id", r->rec.event_id);
		abac_json_kv_str(jw(), "op", r->rec.op);
		abac_json_kv_str(jw(), "path", r->rec.path);
		abac_json_kv_str(jw(), "comm", r->rec.comm);
		abac_json_kv_str(jw(), "subject", r->rec.subject_tags);
		abac_json_kv_str(jw(), "recorded",
				 was == ABAC_ALLOW ? "allow" : "deny");
		abac_json_kv_str(jw(), "recorded_rule", r->rec.rule);
		abac_json_kv_str(jw(), "candidate", now->effect == ABAC_ALLOW ?
				 "allow" : "deny");
		abac_json_kv_str(jw(), "candidate_rule", rule_name(p, now));
		abac_json_obj_end(jw());
		return;
	}
	printf("  line %lu: %s %s %s by %s (%s): was %s%s%s, now %s by %s\n",
	       r->line, r->rec.time, r->rec.op, r->rec.path,
	       r->rec.comm[0] ? r->rec.comm : "?", r->rec.subject_tags,
	       was == ABAC_ALLOW ? "allow" : "deny",
	       r->rec.rule[0] ? " by " : "", r->rec.rule,
	       now->effect == ABAC_ALLOW ? "allow" : "deny",
	       rule_name(p, now));
}

static void replay_walk(struct log_reader *lr, const struct abac_policy *p,
			const struct abac_image *img, unsigned long limit,
			struct replay_count *n)
{
	struct replayed *r = calloc(1, sizeof(*r));
	struct abac_decision dec;
	int was;

	if (!r)
		return;
	while (log_next(lr, &r->rec)) {
		n->events++;
		r->line = lr->lineno;
		r->why = NULL;
		if (!request_of(p, img, r)) {
			n->skipped++;
			continue;
		}
		n->replayed++;
		was = abac_evrec_effect(&r->rec);
		decide_again(img, r, &dec);
		if (dec.effect == was)
			continue;
		if (n->differ++ < limit)
			print_change(p, r, was, &dec);
	}
	free(r);
}

/**
 * do_policy_replay() - abac policy replay CANDIDATE... [--events LOG]
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Return: 0 when the candidate decides every recorded decision alike,
 * 1 when it decides some differently, 2 on misuse, 3 when the log or
 * the candidate cannot be read.
 */
int do_policy_replay(int argc, char **argv)
{
	struct replay_count n = { 0 };
	struct policy_args a;
	struct abac_policy *p = NULL;
	struct abac_diags d;
	struct log_reader lr;
	struct abac_image v;
	void *img = NULL;
	size_t len;
	int ret;

	ret = parse_policy_args(argc, argv, &a);
	if (ret)
		return ret;
	if (!a.nfiles)
		return p_usage("which candidate policy?");
	abac_diags_init(&d);
	ret = ABAC_EXIT_ERROR;
	if (abac_policy_parse_files(a.files, a.nfiles, &p, &d) ||
	    abac_image_build(p, NULL, 0, &img, &len, &d)) {
		p_diags_fail(&d, "Failed to replay: %s does not compile",
			     a.files[0]);
		goto out;
	}
	if (log_open(&lr, a.log))
		goto out;
	v = abac_image_view(img, len);
	if (json_output) {
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "candidate", a.files[0]);
		abac_json_kv_str(jw(), "events_log", a.log);
		abac_json_key(jw(), "changes");
		abac_json_arr_begin(jw());
	} else {
		printf("replaying %s against %s:\n", a.log, a.files[0]);
	}
	replay_walk(&lr, p, &v, a.limit, &n);
	if (json_output) {
		abac_json_arr_end(jw());
		abac_json_kv_u64(jw(), "events", n.events);
		abac_json_kv_u64(jw(), "replayed", n.replayed);
		abac_json_kv_u64(jw(), "differ", n.differ);
		abac_json_kv_u64(jw(), "not_replayed", n.skipped);
		abac_json_kv_u64(jw(), "unreadable_lines", lr.bad);
		abac_json_obj_end(jw());
	} else {
		if (n.differ > a.limit)
			printf("  ... and %lu more\n", n.differ - a.limit);
		printf("%lu decisions read, %lu replayed, %lu decided differently, %lu not replayable, %lu lines unreadable\n",
		       n.events, n.replayed, n.differ, n.skipped, lr.bad);
	}
	log_close(&lr);
	ret = n.differ ? ABAC_EXIT_FAIL : ABAC_EXIT_OK;
out:
	abac_diags_free(&d);
	abac_policy_free(p);
	free(img);
	return ret;
}

/* ---- suggest ---------------------------------------------------------- */

/**
 * struct suggest - denials gathered for suggest.
 * @sp: the request space of the policy.
 * @c: the cells of the denials an allow rule would change.
 * @by_deny: per rule, denials an explicit deny decided (an allow would
 *	not change them under deny-overrides).
 * @used: denials kept; @skipped: not decidable; @allowed: allows seen.
 */
struct suggest {
	struct abac_space *sp;
	struct abac_cubes c;
	unsigned long *by_deny;
	unsigned long used, skipped, denied_by_rule;
};

/*
 * The cell of event @r: its operation, subject and object classes; the
 * environment and the clock left at their first class (never part of a
 * suggestion).  The key keeps apart the cells with different absent
 * attributes, so that a row never mixes "absent" with values.
 */
static bool suggest_cell(const struct abac_space *sp, const struct replayed *r,
			 unsigned int *cell, struct abac_cube_key *key)
{
	const struct abac_dim *dim;
	unsigned int i;
	__u64 w;
	int cls;

	memset(key, 0, sizeof(*key));
	for (i = 0; i < sp->ndims; i++) {
		dim = &sp->dims[i];
		cell[i] = 0;
		if (dim->kind == ABAC_DIM_OP)
			w = r->op;
		else if (dim->kind == ABAC_SIDE_SUBJECT)
			w = r->s.v[dim->attr[0]];
		else if (dim->kind == ABAC_SIDE_OBJECT)
			w = r->o.v[dim->attr[0]];
		else
			continue;
		cls = abac_space_classify(sp, i, 0, w);
		if (cls < 0)
			return false;
		cell[i] = cls;
		if (dim->kind != ABAC_DIM_OP && !cls && i < 32)
			key->rule[1] |= 1U << i;
	}
	return true;
}

static void suggest_walk(struct log_reader *lr, const struct abac_policy *p,
			 const struct abac_image *img, struct suggest *sg)
{
	struct replayed *r = calloc(1, sizeof(*r));
	unsigned int cell[ABAC_SPACE_DIMS];
	struct abac_cube_key key;
	struct abac_decision dec;

	if (!r)
		return;
	while (log_next(lr, &r->rec)) {
		if (abac_evrec_effect(&r->rec) != ABAC_DENY)
			continue;
		r->why = NULL;
		if (!request_of(p, img, r) || r->bad_label) {
			sg->skipped++;
			continue;
		}
		decide_again(img, r, &dec);
		if (dec.effect == ABAC_ALLOW)
			continue;	/* the policy allows it now */
		if (dec.outcome == ABAC_OUT_DENY && dec.rule < p->nrules) {
			sg->by_deny[dec.rule]++;
			sg->denied_by_rule++;
			continue;
		}
		if (!suggest_cell(sg->sp, r, cell, &key) ||
		    abac_cubes_add(&sg->c, cell, &key)) {
			sg->skipped++;
			continue;
		}
		sg->used++;
	}
	free(r);
}

/* "role: [doctor, nurse]" of dimension @dim in row @row, into @buf. */
static void cond_yaml(const struct abac_cubes *c, size_t row,
		      unsigned int dim, const struct abac_attr_def *a,
		      char *buf, size_t sz)
{
	const struct abac_dim *dm = &c->sp->dims[dim];
	char v[1024], def[256];
	unsigned int i, n = 0;
	size_t o = 0;

	if (abac_cube_has(c, row, dim, 0)) {	/* absent in every denial */
		if (a->def)
			snprintf(buf, sz, "%s: %s", a->name,
				 abac_attr_word_text(a, a->def, def,
						     sizeof(def)));
		else
			snprintf(buf, sz, "%s: {present: false}", a->name);
		return;
	}
	v[0] = '\0';
	for (i = 1; i < dm->nvals; i++) {
		if (!abac_cube_has(c, row, dim, i))
			continue;
		o += snprintf(v + o, sizeof(v) - o, "%s%s", n++ ? ", " : "",
			      dm->vals[i].text);
		if (a->type == ABAC_TYPE_INT && dm->vals[i].lo != dm->vals[i].hi)
			break;	/* written as a range below */
	}
	if (a->type == ABAC_TYPE_INT && n == 1 && dm->vals[i].lo != dm->vals[i].hi)
		snprintf(buf, sz, "%s: {gte: %lld, lte: %lld}", a->name,
			 dm->vals[i].lo, dm->vals[i].hi);
	else if (a->type == ABAC_TYPE_SET)
		snprintf(buf, sz, "%s: {contains: [%s]}", a->name, v);
	else
		snprintf(buf, sz, n > 1 ? "%s: [%s]" : "%s: %s", a->name, v);
}

/* "{role: doctor, department: oncology}" of one side, "" when empty. */
static void side_yaml(const struct abac_cubes *c, size_t row,
		      unsigned int side, char *buf, size_t sz,
		      char *words, size_t wsz)
{
	const struct abac_space *sp = c->sp;
	const struct abac_attr_def *attrs;
	unsigned int i, n;
	size_t o = 0, w = 0;
	char one[1200];

	attrs = abac_policy_attrs(sp->pol[0], side, &n);
	buf[0] = words[0] = '\0';
	for (i = 0; i < sp->ndims; i++) {
		if (sp->dims[i].kind != side)
			continue;
		if (abac_cube_all(c, row, i) && !abac_cube_has(c, row, i, 0))
			continue;
		if (abac_cube_all(c, row, i))
			continue;	/* every value and absent: no condition */
		cond_yaml(c, row, i, &attrs[sp->dims[i].attr[0]], one,
			  sizeof(one));
		o += snprintf(buf + o, sz - o, "%s%s", o ? ", " : "{", one);
		if (!strstr(one, "present: false"))
			w += snprintf(words + w, wsz - w, "%s%s", w ? " and " : "",
				      one);
	}
	if (o)
		snprintf(buf + o, sz - o, "}");
}

/*
 * @yaml conditions as words: "role: [a, b]" -> "role a or b"; the
 * conditions are joined by " and " already.
 */
static void cond_words(const char *yaml, char *buf, size_t sz)
{
	size_t i, k = 0;
	bool list = false;

	for (i = 0; yaml[i] && k + 5 < sz; i++) {
		if (yaml[i] == '[' || yaml[i] == ']') {
			list = yaml[i] == '[';
		} else if (yaml[i] == ',' && list) {
			memcpy(buf + k, " or", 3);
			k += 3;
		} else if (yaml[i] != ':' && yaml[i] != '{' && yaml[i] != '}') {
			buf[k++] = yaml[i];
		}
	}
	buf[k] = '\0';
}

/* The sentence of a suggested rule. */
static void suggest_nlp(const char *subj, const char *ops, const char *obj,
			char *buf, size_t sz)
{
	char s[2048], o[2048];

	cond_words(subj, s, sizeof(s));
	cond_words(obj, o, sizeof(o));
	snprintf(buf, sz, "Subjects%s%s may %s%s%s.", *s ? " with " : "", s,
		 ops, *o ? " objects with " : " any object", o);
}

static void print_rule(const struct abac_cubes *c, size_t row, unsigned int n)
{
	const struct abac_space *sp = c->sp;
	char subj[4096], obj[4096], sw[2048], ow[2048], ops[256], nlp[5000];
	char list[256];
	int opd = abac_space_find(sp, "op");
	unsigned int v;
	size_t o = 0, l = 0;

	side_yaml(c, row, ABAC_SIDE_SUBJECT, subj, sizeof(subj), sw, sizeof(sw));
	side_yaml(c, row, ABAC_SIDE_OBJECT, obj, sizeof(obj), ow, sizeof(ow));
	for (v = 0; v < sp->dims[opd].nvals; v++)
		if (abac_cube_has(c, row, opd, v)) {
			o += snprintf(ops + o, sizeof(ops) - o, "%s%s",
				      o ? " and " : "", sp->dims[opd].vals[v].text);
			l += snprintf(list + l, sizeof(list) - l, "%s%s",
				      l ? ", " : "", sp->dims[opd].vals[v].text);
		}
	suggest_nlp(sw, ops, ow, nlp, sizeof(nlp));
	if (json_output) {
		char id[32];

		/* the id the YAML gives it, and the operations as a list */
		snprintf(id, sizeof(id), "suggested-%u", n);
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "id", id);
		abac_json_kv_u64(jw(), "denials", c->cells[row]);
		abac_json_kv_str(jw(), "nlp", nlp);
		abac_json_key(jw(), "ops");
		abac_json_arr_begin(jw());
		for (v = 0; v < sp->dims[opd].nvals; v++)
			if (abac_cube_has(c, row, opd, v))
				abac_json_str(jw(), sp->dims[opd].vals[v].text);
		abac_json_arr_end(jw());
		abac_json_kv_str(jw(), "subject", subj);
		abac_json_kv_str(jw(), "object", obj);
		abac_json_obj_end(jw());
		return;
	}
	printf("  # REVIEW: suggested from %llu denial%s; check before use\n",
	       (unsigned long long)c->cells[row], c->cells[row] == 1 ? "" : "s");
	printf("  - id: suggested-%u\n    nlp: \"%s\"\n    effect: allow\n"
	       "    ops: [%s]\n", n, nlp, list);
	if (*subj)
		printf("    subject: %s\n", subj);
	if (*obj)
		printf("    object: %s\n", obj);
}

/**
 * do_policy_suggest() - abac policy suggest [POLICY...] [--events LOG]
 * @argc: argument count, the verb in argv[0].
 * @argv: the arguments.
 *
 * Return: 0 (also when there is nothing to suggest), 2 on misuse, 3
 * when the log or the policy cannot be read.
 */
int do_policy_suggest(int argc, char **argv)
{
	struct abac_space *sp = calloc(1, sizeof(*sp));
	struct suggest sg = { 0 };
	struct policy_args a;
	struct log_reader lr;
	struct abac_image v;
	struct abac_diags d;
	struct loaded l = { 0 };
	const struct abac_policy *pols[1];
	size_t r;
	int ret;

	ret = parse_policy_args(argc, argv, &a);
	if (!ret)
		ret = load_policy(&l, a.files, a.nfiles, "suggest");
	if (ret || !sp) {
		free(sp);
		return ret ? ret : ABAC_EXIT_ERROR;
	}
	abac_diags_init(&d);
	ret = ABAC_EXIT_ERROR;
	v = abac_image_view(l.img, l.len);
	pols[0] = l.policy;
	sg.by_deny = calloc(l.policy->nrules + 1, sizeof(*sg.by_deny));
	if (!sg.by_deny || abac_space_init_flags(sp, pols, &v, 1,
						 ABAC_SPACE_UNBOUNDED, &d)) {
		p_diags_fail(&d, "Failed to suggest: the attributes of %s cannot be enumerated",
			     l.name);
		goto out;
	}
	if (log_open(&lr, a.log))
		goto space;
	sg.sp = sp;
	abac_cubes_init(&sg.c, sp);
	suggest_walk(&lr, l.policy, &v, &sg);
	if (abac_cubes_merge(&sg.c)) {
		p_err("Failed to suggest: out of memory");
		goto log;
	}
	if (json_output) {
		abac_json_obj_begin(jw());
		abac_json_kv_str(jw(), "policy", l.policy->name);
		abac_json_kv_u64(jw(), "denials_used", sg.used);
		abac_json_kv_u64(jw(), "denied_by_a_deny_rule", sg.denied_by_rule);
		abac_json_kv_u64(jw(), "not_usable", sg.skipped);
		abac_json_key(jw(), "rules");
		abac_json_arr_begin(jw());
	} else {
		printf("# %lu denial%s of %s's default would be allowed by these rules:\n",
		       sg.used, sg.used == 1 ? "" : "s", l.policy->name);
	}
	for (r = 0; r < sg.c.n; r++)
		print_rule(&sg.c, r, r + 1);
	if (json_output) {
		abac_json_arr_end(jw());
		abac_json_obj_end(jw());
	} else {
		for (r = 0; r < l.policy->nrules; r++)
			if (sg.by_deny[r])
				printf("# %lu denial%s by deny rule '%s': an allow would not change %s\n",
				       sg.by_deny[r], sg.by_deny[r] == 1 ? "" : "s",
				       l.policy->rules[r].id,
				       sg.by_deny[r] == 1 ? "it" : "them");
		if (sg.skipped)
			printf("# %lu denial%s not usable (tags, label or time that do not fit the policy)\n",
			       sg.skipped, sg.skipped == 1 ? "" : "s");
	}
	ret = ABAC_EXIT_OK;
log:
	abac_cubes_free(&sg.c);
	log_close(&lr);
space:
	abac_space_free(sp);
out:
	free(sg.by_deny);
	free(sp);
	loaded_free(&l);
	abac_diags_free(&d);
	return ret;
}
