/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The BPF verifier's statistics for each program abac loads, on request
 * (ABAC_VERIFIER_STATS=1 in abacd's environment): what loading costs,
 * program by program.  See Documentation/performance.rst.
 */
#ifndef _ABAC_VSTATS_H
#define _ABAC_VSTATS_H

#include <bpf/libbpf.h>

struct abac_vstats;

struct abac_vstats *abac_vstats_arm(struct bpf_object *obj);
void abac_vstats_report(struct abac_vstats *vs, struct bpf_object *obj);

#endif /* _ABAC_VSTATS_H */
