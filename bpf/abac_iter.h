/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * abac_for(): a loop over [start, end) built on the kernel's open-coded
 * number iterator (bpf_iter_num_*, kernel 6.4).  The verifier checks the
 * body once instead of unrolling it, so the decision core's loops over
 * rules and label bytes cost no verifier complexity per iteration.
 * libbpf 1.1 has no such macro; this one is abac's own.
 */
#ifndef _ABAC_ITER_H
#define _ABAC_ITER_H

extern int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __ksym;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __ksym;
extern void bpf_iter_num_destroy(struct bpf_iter_num *it) __ksym;

/*
 * clang 14 emits no BTF for a kfunc named only in a cleanup attribute, and
 * libbpf then cannot resolve it: go through a normal call.
 */
static __always_inline void abac_iter_destroy(struct bpf_iter_num *it)
{
	bpf_iter_num_destroy(it);
}

/*
 * The iterator is destroyed by the cleanup attribute on every way out of
 * the loop, break and return included.  The explicit range test after
 * each step gives the verifier bounds for @i.
 */
#define abac_for(i, start, end)						\
	for (struct bpf_iter_num ___it					\
		__attribute__((aligned(8), cleanup(abac_iter_destroy))), \
		*___once = (bpf_iter_num_new(&___it, (start), (end)),	\
			    (struct bpf_iter_num *)0);			\
	     ({								\
		int *___v = bpf_iter_num_next(&___it);			\
		___v && ((i) = *___v, (i) >= (start) && (i) < (end));	\
	     });							\
	     (void)___once)

#endif /* _ABAC_ITER_H */
