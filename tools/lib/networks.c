// SPDX-License-Identifier: GPL-2.0-only
/*
 * Network objects: the "networks:" section of a policy, each a name, its
 * address blocks, its port ranges and the object attributes it gives.
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "parse.h"

/* "10.0.0.0/8", "2001:db8::/32" or a plain address (a /32 or /128). */
static bool parse_cidr(struct pctx *c, const struct ynode *n,
		       struct abac_cidr *out, const char *what)
{
	char buf[64], q[SHOW_BYTES], *slash, *end;
	unsigned int max, i;
	long pfx;

	if (!abac_parse_expect(c, n, YN_SCALAR, "a CIDR"))
		return false;
	if (n->len >= sizeof(buf))
		goto bad;
	memcpy(buf, n->s, n->len + 1);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, buf, out->addr) == 1) {
		out->family = 4;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, out->addr) == 1) {
		out->family = 6;
		max = 128;
	} else {
		goto bad;
	}
	pfx = max;
	if (slash) {
		pfx = strtol(slash + 1, &end, 10);
		if (*end || end == slash + 1 || pfx < 0 || pfx > (long)max)
			goto bad;
	}
	out->prefix = pfx;
	for (i = pfx; i < 128; i++)
		if (out->addr[i / 8] & (0x80 >> (i % 8))) {
			pwarn(c, n, "%s: '%s' has host bits set past /%ld; they are ignored",
			      what, show(n->s, n->len, q), pfx);
			break;
		}
	for (i = pfx; i < 128; i++)
		out->addr[i / 8] &= ~(0x80 >> (i % 8));
	return true;
bad:
	perr(c, n, "%s: '%s' is not an IPv4 or IPv6 address or CIDR block",
	     what, show(n->s, n->len, q));
	return false;
}

/* A port (443) or a range ("8000-8999"). */
static bool parse_port(struct pctx *c, const struct ynode *n, __u16 *lo,
		       __u16 *hi, const char *what)
{
	char q[SHOW_BYTES], *end;
	unsigned long a, b;

	if (!abac_parse_expect(c, n, YN_SCALAR, "a port"))
		return false;
	a = strtoul(n->s, &end, 10);
	b = a;
	if (end != n->s && *end == '-')
		b = strtoul(end + 1, &end, 10);
	if (*end || end == n->s || a > 65535 || b > 65535 || a > b) {
		perr(c, n, "%s: port '%s' must be N or N-M with 0 <= N <= M <= 65535",
		     what, show(n->s, n->len, q));
		return false;
	}
	*lo = a;
	*hi = b;
	return true;
}

static void parse_net(struct pctx *c, const struct ynode *key,
		      const struct ynode *n, struct abac_net_def *net)
{
	static const struct key_spec keys[] = {
		{ "cidrs", true },
		{ "ports", false },
		{ "attributes", false },
	};
	const struct ynode *vals[3];
	char what[128], err[256];
	struct abac_attr_def *a;
	unsigned int cnt;
	size_t i;
	int attr;

	snprintf(what, sizeof(what), "network '%s'", net->name);
	if (!abac_parse_expect(c, n, YN_MAP, what))
		return;
	abac_parse_fields(c, n, keys, 3, vals, what);
	if (vals[0] && abac_parse_expect(c, vals[0], YN_SEQ, "'cidrs'")) {
		if (!vals[0]->n)
			perr(c, vals[0], "%s: cidrs must not be empty", what);
		net->cidrs = calloc(vals[0]->n + 1, sizeof(*net->cidrs));
		for (i = 0; net->cidrs && i < vals[0]->n; i++)
			if (parse_cidr(c, vals[0]->kids[i],
				       &net->cidrs[net->ncidrs], what))
				net->ncidrs++;
	}
	if (vals[1] && abac_parse_expect(c, vals[1], YN_SEQ, "'ports'")) {
		net->port_lo = calloc(vals[1]->n + 1, sizeof(__u16));
		net->port_hi = calloc(vals[1]->n + 1, sizeof(__u16));
		for (i = 0; net->port_lo && net->port_hi && i < vals[1]->n; i++)
			if (parse_port(c, vals[1]->kids[i],
				       &net->port_lo[net->nports],
				       &net->port_hi[net->nports], what))
				net->nports++;
	}
	if (vals[2] && abac_parse_expect(c, vals[2], YN_MAP, "'attributes'")) {
		for (i = 0; i + 1 < vals[2]->n; i += 2) {
			const struct ynode *k = vals[2]->kids[i];
			const struct ynode *v = vals[2]->kids[i + 1];

			attr = abac_attr_find(c->p, ABAC_SIDE_OBJECT, k->s,
					      k->len);
			if (attr < 0) {
				perr(c, k, "%s: unknown object attribute '%s'",
				     what, k->s);
				continue;
			}
			a = &abac_policy_attrs(c->p, ABAC_SIDE_OBJECT,
					       &cnt)[attr];
			a->used = true;
			if (!abac_parse_expect(c, v, YN_SCALAR, "a value"))
				continue;
			if (abac_attr_word(a, v->s, v->len,
					   &net->attrs.v[attr], err,
					   sizeof(err)))
				perr(c, v, "%s: %s", what, err);
		}
	}
	(void)key;
}

void abac_parse_networks(struct pctx *c, const struct ynode *n)
{
	struct abac_policy *p = c->p;
	struct abac_net_def *net;
	size_t i;

	if (!abac_parse_expect(c, n, YN_MAP, "'networks'"))
		return;
	p->nets = calloc(n->n / 2 + 1, sizeof(*p->nets));
	if (!p->nets) {
		perr(c, n, "out of memory");
		return;
	}
	for (i = 0; i + 1 < n->n && !c->stop; i += 2) {
		if (n->kids[i]->dup)
			continue;
		if (p->nnets == ABAC_MAX_NETS) {
			perr(c, n->kids[i],
			     "more than %d networks (ABAC_MAX_NETS)",
			     ABAC_MAX_NETS);
			return;
		}
		net = &p->nets[p->nnets];
		if (!abac_parse_name(c, n->kids[i], "network name", &net->name))
			continue;
		net->line = n->kids[i]->line;
		net->column = n->kids[i]->col;
		p->nnets++;
		parse_net(c, n->kids[i], n->kids[i + 1], net);
	}
}
