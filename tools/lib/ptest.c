// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy unit tests (abac policy test), as "opa test" gives Rego: a YAML
 * file beside the policy lists requests and the decision each must get,
 * and the run says which rules no test reaches.
 *
 *	policy: hospital.yaml		# or a list: the layers, top first
 *	tests:
 *	  - name: a cardiology nurse practitioner reads a heart record
 *	    op: read
 *	    subject: {role: nurse-practitioner, department: cardiology}
 *	    object: {type: medical-record, patient-condition: heart}
 *	    env: {threat: high}		# optional
 *	    time: "2026-03-02T10:00"	# optional, the policy's timezone
 *	    expect: allow		# or deny
 *	    rule: np-cardiology-heart	# optional: the deciding rule
 *
 * "object" may instead be "addr: IP:PORT" (a network object).  Each test
 * is decided by abac_explain(), that is abac_decide(), the kernel's code;
 * a rule is covered when it applies to some test's request (it names the
 * operation and its conditions do not make it not-applicable), whether
 * or not it then decides.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <yaml.h>

#include "libabac.h"

#define PTEST_TEXT_MAX	ABAC_PTEST_TEXT_MAX

/* A node of the document, or NULL. */
static yaml_node_t *node(yaml_document_t *doc, int id)
{
	return id ? yaml_document_get_node(doc, id) : NULL;
}

static const char *scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ?
	       (const char *)n->data.scalar.value : NULL;
}

/* The value of @key in mapping @map, or NULL. */
static yaml_node_t *lookup(yaml_document_t *doc, yaml_node_t *map,
			   const char *key)
{
	yaml_node_pair_t *p;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		const char *k = scalar(node(doc, p->key));

		if (k && !strcmp(k, key))
			return node(doc, p->value);
	}
	return NULL;
}

static void where_err(struct abac_diags *d, const char *file, yaml_node_t *n,
		      const char *msg, const char *arg)
{
	abac_diag_add(d, false, file, n ? n->start_mark.line + 1 : 0,
		      n ? n->start_mark.column + 1 : 0, msg, arg);
}

/*
 * "k=v k=v" of a mapping of attributes: a scalar value, or a list (a
 * set's values) joined by commas.
 */
static int pairs_text(yaml_document_t *doc, yaml_node_t *map, char *buf,
		      const char *file, struct abac_diags *d)
{
	char pair[PTEST_TEXT_MAX], *q;
	yaml_node_pair_t *p;
	yaml_node_item_t *it;
	size_t o = 0, po;

	buf[0] = '\0';
	if (!map)
		return 0;
	if (map->type != YAML_MAPPING_NODE) {
		where_err(d, file, map, "%s: expected a mapping of attributes",
			  "request");
		return -EINVAL;
	}
	for (p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(doc, p->key), *v = node(doc, p->value);

		if (!scalar(k) || !v) {
			where_err(d, file, k, "%s: expected NAME: VALUE", "request");
			return -EINVAL;
		}
		/*
		 * The pair as a tag writes it: each value escaped as in a
		 * label (a comma inside a value is not a list), the pair
		 * quoted when a value holds white space ("Dr. Zoë Müller").
		 */
		po = snprintf(pair, sizeof(pair), "%s=", scalar(k));
		if (v->type == YAML_SEQUENCE_NODE) {
			for (it = v->data.sequence.items.start;
			     it < v->data.sequence.items.top &&
			     po < sizeof(pair) - 1; it++) {
				const char *s = scalar(node(doc, *it)) ?: "?";

				if (it != v->data.sequence.items.start)
					pair[po++] = ',';
				po += abac_value_escape(s, strlen(s), pair + po,
							sizeof(pair) - po);
			}
		} else if (scalar(v)) {
			po += abac_value_escape(scalar(v), strlen(scalar(v)),
						pair + po, sizeof(pair) - po);
		} else {
			where_err(d, file, v, "attribute '%s': expected a value or a list",
				  scalar(k));
			return -EINVAL;
		}
		if (po >= sizeof(pair) - 1) {
			where_err(d, file, v, "attribute '%s': value too long",
				  scalar(k));
			return -EINVAL;
		}
		q = abac_pair_quote(pair);
		if (!q) {
			where_err(d, file, map, "%s: out of memory", "request");
			return -ENOMEM;
		}
		o += snprintf(buf + o, PTEST_TEXT_MAX - o, "%s%s", o ? " " : "",
			      q);
		free(q);
		if (o >= PTEST_TEXT_MAX) {
			where_err(d, file, map, "%s: too many attributes", "request");
			return -EINVAL;
		}
	}
	return 0;
}

/* "allow"/"deny" into the effect, or -1. */
static int effect_of(const char *s)
{
	if (s && !strcmp(s, "allow"))
		return ABAC_ALLOW;
	if (s && !strcmp(s, "deny"))
		return ABAC_DENY;
	return -1;
}

static void copy_scalar(char *dst, size_t sz, yaml_node_t *n)
{
	snprintf(dst, sz, "%s", scalar(n) ? scalar(n) : "");
}

/* One entry of "tests" into @c; false after an error in @d. */
static bool load_case(yaml_document_t *doc, yaml_node_t *m,
		      struct abac_ptest_case *c, const char *file,
		      struct abac_diags *d)
{
	static const char *const sides[] = { "subject", "object", "env" };
	yaml_node_t *n;
	unsigned int s;

	memset(c, 0, sizeof(*c));
	c->line = m->start_mark.line + 1;
	c->column = m->start_mark.column + 1;
	if (m->type != YAML_MAPPING_NODE) {
		where_err(d, file, m, "%s: each test is a mapping", "tests");
		return false;
	}
	copy_scalar(c->name, sizeof(c->name), lookup(doc, m, "name"));
	if (!c->name[0])
		snprintf(c->name, sizeof(c->name), "line %u", c->line);
	n = lookup(doc, m, "op");
	c->op = abac_op_from_name(scalar(n) ? scalar(n) : "");
	if (c->op < 0) {
		where_err(d, file, n ? n : m, "test '%s': 'op' must name an operation (read, write, exec, ...)",
			  c->name);
		return false;
	}
	n = lookup(doc, m, "expect");
	c->expect = effect_of(scalar(n));
	if (c->expect < 0) {
		where_err(d, file, n ? n : m, "test '%s': 'expect' must be allow or deny",
			  c->name);
		return false;
	}
	for (s = 0; s < 3; s++) {
		n = lookup(doc, m, sides[s]);
		c->given[s] = n != NULL;
		if (pairs_text(doc, n, c->side[s], file, d))
			return false;
	}
	copy_scalar(c->addr, sizeof(c->addr), lookup(doc, m, "addr"));
	copy_scalar(c->time, sizeof(c->time), lookup(doc, m, "time"));
	copy_scalar(c->rule, sizeof(c->rule), lookup(doc, m, "rule"));
	return true;
}

/* The policy files, relative to the test file's directory. */
static int load_policy_names(yaml_document_t *doc, yaml_node_t *root,
			     const char *path, struct abac_ptest *t,
			     struct abac_diags *d)
{
	yaml_node_t *n = lookup(doc, root, "policy");
	const char *slash = strrchr(path, '/'), *names[ABAC_MAX_LAYERS];
	yaml_node_item_t *it;
	char def[4096];
	unsigned int i, k = 0;

	if (!n) {	/* X.test.yaml tests X.yaml */
		snprintf(def, sizeof(def), "%s", slash ? slash + 1 : path);
		if (!strstr(def, ".test.yaml") && lookup(doc, root, "rules")) {
			/* a newcomer's slip: the policy, not its tests */
			size_t l = strlen(def);

			if (l > 5 && !strcmp(def + l - 5, ".yaml"))
				l -= 5;
			snprintf(def + l, sizeof(def) - l, ".test.yaml");
			where_err(d, path, root, "this is a policy, not its tests: give its tests' file (%s beside it, by convention)",
				  def);
			return -EINVAL;
		}
		if (!strstr(def, ".test.yaml")) {
			where_err(d, path, root, "%s: no 'policy' key, and the file is not named POLICY.test.yaml",
				  "tests");
			return -EINVAL;
		}
		strcpy(strstr(def, ".test.yaml"), ".yaml");
		names[k++] = def;
	} else if (n->type == YAML_SEQUENCE_NODE) {
		for (it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top && k < ABAC_MAX_LAYERS;
		     it++)
			names[k++] = scalar(node(doc, *it)) ?: "";
	} else if (scalar(n)) {
		names[k++] = scalar(n);
	}
	if (!k) {
		where_err(d, path, n, "%s: a file name, or a list of layers",
			  "policy");
		return -EINVAL;
	}
	for (i = 0; i < k; i++) {
		if (names[i][0] == '/' || !slash)
			t->policy[i] = strdup(names[i]);
		else if (asprintf(&t->policy[i], "%.*s/%s",
				  (int)(slash - path), path, names[i]) < 0)
			t->policy[i] = NULL;
		if (!t->policy[i])
			return -ENOMEM;
	}
	t->npolicy = k;
	return 0;
}

static int load_cases(yaml_document_t *doc, yaml_node_t *root,
		      const char *path, struct abac_ptest *t,
		      struct abac_diags *d)
{
	yaml_node_t *tests = lookup(doc, root, "tests");
	yaml_node_item_t *it;
	size_t n;

	if (!tests || tests->type != YAML_SEQUENCE_NODE ||
	    tests->data.sequence.items.top == tests->data.sequence.items.start) {
		where_err(d, path, tests ? tests : root, "%s: a list of one test or more",
			  "tests");
		return -EINVAL;
	}
	n = tests->data.sequence.items.top - tests->data.sequence.items.start;
	t->v = calloc(n, sizeof(*t->v));
	if (!t->v)
		return -ENOMEM;
	for (it = tests->data.sequence.items.start;
	     it < tests->data.sequence.items.top; it++)
		if (load_case(doc, node(doc, *it), &t->v[t->n], path, d))
			t->n++;
	return d->errors ? -EINVAL : 0;
}

/**
 * abac_ptest_load() - read a policy test file.
 * @path: the file.
 * @t: receives the tests and the policy files they test; free with
 *	abac_ptest_free() (also after a failure).
 * @d: receives errors at FILE:LINE:COL.
 *
 * Return: 0, -ENOENT (or another errno) when the file cannot be read,
 * -EINVAL when it is not a valid test file.
 */
int abac_ptest_load(const char *path, struct abac_ptest *t,
		    struct abac_diags *d)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	char *buf;
	size_t len;
	int err;

	memset(t, 0, sizeof(*t));
	t->file = path;
	err = abac_read_file(path, &buf, &len);
	if (err) {
		abac_diag_add(d, false, path, 0, 0, "cannot read: %s",
			      strerror(-err));
		return err;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		abac_diag_add(d, false, path, parser.problem_mark.line + 1,
			      parser.problem_mark.column + 1, "%s",
			      parser.problem ? parser.problem : "not YAML");
		yaml_parser_delete(&parser);
		free(buf);
		return -EINVAL;
	}
	root = yaml_document_get_root_node(&doc);
	if (!root || root->type != YAML_MAPPING_NODE) {
		abac_diag_add(d, false, path, 1, 1,
			      "a test file is a mapping: policy, tests");
		err = -EINVAL;
	}
	if (!err)
		err = load_policy_names(&doc, root, path, t, d);
	if (!err)
		err = load_cases(&doc, root, path, t, d);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	free(buf);
	return err;
}

void abac_ptest_free(struct abac_ptest *t)
{
	unsigned int i;

	for (i = 0; i < t->npolicy; i++)
		free(t->policy[i]);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/*
 * The request of test @c: its attributes resolved against @p, its
 * object by address when it gives one, its clock.  Errors go to @d at
 * the test's place.
 */
static int case_request(const struct abac_policy *p,
			const struct abac_image *img,
			const struct abac_ptest_case *c, const char *file,
			struct abac_attrs *a, struct abac_env *e,
			struct abac_diags *d)
{
	static const char *const where[] = { "subject", "object", "env" };
	struct abac_attrs *dst[3] = { &a[0], &a[1], &e->a };
	const struct abac_attrs *na;
	struct abac_diags rd;
	__u32 family, port, idx;
	__u8 addr[16];
	time_t t;
	unsigned int s;

	memset(a, 0, 2 * sizeof(*a));
	memset(e, 0, sizeof(*e));
	for (s = 0; s < 3; s++) {
		abac_diags_init(&rd);
		if (c->given[s] && abac_attrs_resolve(p, s, where[s],
						      c->side[s], dst[s], &rd)) {
			abac_diag_add(d, false, file, c->line, c->column,
				      "test '%s': %s: %s", c->name, where[s],
				      rd.n ? rd.v[0].msg : "invalid");
			abac_diags_free(&rd);
			return -EINVAL;
		}
		abac_diags_free(&rd);
	}
	if (c->addr[0]) {
		if (abac_parse_addr(c->addr, &family, addr, &port)) {
			abac_diag_add(d, false, file, c->line, c->column,
				      "test '%s': addr '%s': expected IPv4:PORT or [IPv6]:PORT",
				      c->name, c->addr);
			return -EINVAL;
		}
		na = abac_net_find(img, family, addr, port, &idx);
		if (na)
			a[1] = *na;
	}
	/* without a time: Monday 5 January 2026, noon, local */
	if (abac_parse_time(c->time[0] ? c->time : ABAC_PTEST_TIME,
			    p->timezone, &t) ||
	    abac_local_time(t, p->timezone, e)) {
		abac_diag_add(d, false, file, c->line, c->column,
			      "test '%s': time '%s': expected YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]",
			      c->name, c->time);
		return -EINVAL;
	}
	return 0;
}

/* Does test @c's expected rule match the decision's determining rules? */
static bool rule_matches(const struct abac_policy *p,
			 const struct abac_ptest_case *c,
			 const struct abac_explain *x)
{
	size_t i;

	if (!c->rule[0])
		return true;
	if (!strcmp(c->rule, "default"))
		return x->d.outcome == ABAC_OUT_NA;
	for (i = 0; i < x->nrules; i++)
		if (x->rules[i].index < p->nrules &&
		    !strcmp(p->rules[x->rules[i].index].id, c->rule))
			return true;
	return false;
}

/*
 * Decide test @c on its request (@a, @e).  A subject with an open set is
 * decided on an image of its own, which holds its members.
 */
static int case_decide(struct abac_ptest *t, struct abac_ptest_case *c,
		       const struct abac_policy *p,
		       const struct abac_image *img, struct abac_attrs *a,
		       struct abac_env *e, bool *covered,
		       struct abac_diags *d)
{
	struct abac_request rq = { &a[0], &a[1], e };
	struct abac_image own;
	struct abac_explain x;
	struct abac_diags rd;
	void *buf = NULL;
	size_t len, k;

	if (c->given[ABAC_SIDE_SUBJECT] && abac_policy_has_open_sets(p)) {
		abac_diags_init(&rd);
		if (abac_image_build_for(p, "subject",
					 c->side[ABAC_SIDE_SUBJECT], &buf,
					 &len, &a[0], &rd)) {
			abac_diag_add(d, false, t->file ? t->file : "",
				      c->line, c->column, "test '%s': %s",
				      c->name,
				      rd.n ? rd.v[0].msg : "invalid");
			abac_diags_free(&rd);
			return -EINVAL;
		}
		abac_diags_free(&rd);
		own = abac_image_view(buf, len);
		img = &own;
	}
	if (abac_explain(p, img, c->op, &rq, &x)) {
		free(buf);
		return -ENOMEM;
	}
	c->got = x.d;
	c->decided = true;
	c->ok = x.d.effect == c->expect && rule_matches(p, c, &x);
	abac_explain_free(&x);
	for (k = 0; k < p->nrules; k++)
		if ((p->rules[k].ops >> c->op & 1) &&
		    abac_rule_eval_at(img, k, &rq) > ABAC_OUT_NA)
			covered[k] = true;
	free(buf);
	return 0;
}

/**
 * abac_ptest_run() - decide every test of @t with the policy it names.
 * @t: the tests; each case's @got, @ok and @rules are filled.
 * @p: the policy (all its layers), parsed from @t->policy.
 * @img: its image.
 * @covered: @p->nrules flags, set for each rule that applies to a test's
 *	request.
 * @d: receives errors at the tests' places (a value the policy does not
 *	declare, a bad address or time).
 *
 * Return: 0 when every test could be decided (passed or not), -EINVAL
 * when one could not, -ENOMEM.
 */
int abac_ptest_run(struct abac_ptest *t, const struct abac_policy *p,
		   const struct abac_image *img, bool *covered,
		   struct abac_diags *d)
{
	struct abac_attrs a[2];
	struct abac_env e;
	struct abac_ptest_case *c;
	size_t i;
	int err = 0;

	for (i = 0; i < t->n; i++) {
		c = &t->v[i];
		c->decided = false;
		if (case_request(p, img, c, t->file ? t->file : "", a, &e, d)) {
			err = -EINVAL;
			continue;
		}
		if (case_decide(t, c, p, img, a, &e, covered, d))
			err = -EINVAL;
	}
	return err;
}
