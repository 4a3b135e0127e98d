/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One decision matrix, run on every kernel side: the hospital policy
 * (policy-examples/hospital.yaml) applied through abacd, a set of tagged
 * test cgroups, a set of labelled files, and every open mode.  Each open
 * done by the kernel (crosscheck_test, on the BPF-LSM guest and on the
 * native LSM guest) must end as the decision core (lsm/abac_decide.h) compiled
 * into this very program decides on the image the kernel holds.  Since
 * both kernels are held to the same user-space decisions on the same
 * policy, tags and labels, they decide alike.
 */
#ifndef _ABAC_VM_MATRIX_H
#define _ABAC_VM_MATRIX_H

#include <sys/stat.h>

#include "libabac.h"
#include "vm_common.h"

#define MATRIX_POLICY	"/abac/policy-examples/hospital.yaml"

struct matrix_subject {
	const char *cg;		/* under TEST_CG_ROOT; NULL: untagged */
	const char *tags;
};

static const struct matrix_subject matrix_subjects[] = {
	{ "m-np-cardio", "role=nurse-practitioner department=cardiology" },
	{ "m-doc-onco", "role=doctor department=oncology" },
	{ "m-doc-cardio", "role=doctor department=cardiology" },
	{ "m-clerk", "role=billing-clerk department=billing" },
	{ "m-np-billing", "role=nurse-practitioner department=billing" },
	{ NULL, NULL },
};

/* NULL: the file has no label. */
static const char *const matrix_labels[] = {
	"type=medical-record;patient-condition=heart",
	"type=medical-record;patient-condition=cancer;department=oncology",
	"type=lab-result;department=oncology",
	"type=invoice;department=billing",
	"type=invoice",
	"type=medical-record;patient-condition=heart,cancer",	/* one-value attribute twice */
	"type=medical-recrod",		/* unknown value */
	"type",				/* malformed */
	NULL,
};

static const int matrix_modes[] = { O_RDONLY, O_WRONLY, O_RDWR };

#define MATRIX_NSUBJ	(sizeof(matrix_subjects) / sizeof(matrix_subjects[0]))
#define MATRIX_NLABEL	(sizeof(matrix_labels) / sizeof(matrix_labels[0]))
#define MATRIX_NMODE	(sizeof(matrix_modes) / sizeof(matrix_modes[0]))

/**
 * struct matrix_tally - what a matrix run saw.
 * @opens: opens probed.
 * @allowed: opens that succeeded.
 * @denied: opens refused with EACCES.
 * @mismatches: opens whose outcome differs from the core's decision.
 */
struct matrix_tally {
	unsigned int opens, allowed, denied, mismatches;
};

/*
 * Untag every test cgroup: a policy apply is refused while a cgroup
 * holds tags the new policy does not declare.
 */
static inline void matrix_untag_all(void)
{
	char out[1 << 14], *p, *nl;

	if (vm_sh_out(out, sizeof(out), "find " TEST_CG_ROOT " -mindepth 1 -type d"))
		return;
	for (p = out; (nl = strchr(p, '\n')); p = nl + 1) {
		*nl = '\0';
		vm_untag_path(p);
	}
}

/* Untag the test cgroups, apply the policy, tag the subjects, label the files. */
static inline int matrix_setup(void)
{
	char path[PATH_MAX];
	size_t i;

	matrix_untag_all();
	if (vm_apply_file(MATRIX_POLICY))
		return -1;
	for (i = 0; i < MATRIX_NSUBJ; i++)
		if (matrix_subjects[i].cg &&
		    vm_tag(matrix_subjects[i].cg, matrix_subjects[i].tags))
			return -1;
	for (i = 0; i < MATRIX_NLABEL; i++) {
		snprintf(path, sizeof(path), TEST_DIR "/m%zu", i);
		if (vm_mkfile(path, "matrix\n", matrix_labels[i]))
			return -1;
	}
	return 0;
}

/*
 * What the core decides for an open of label @l with @mode by the
 * subject tagged on cgroup @cg_id: 0 or EACCES.
 */
static inline int matrix_expect(const struct abac_image *img, __u64 cg_id,
				const char *label, int mode)
{
	const struct abac_image_hdr *hdr = abac_hdr(img);
	const struct abac_attrs *s = abac_subject_find(img, cg_id);
	struct abac_label_pairs pairs;
	struct abac_object o;
	/* the hospital policy reads no environment */
	struct abac_request rq = { .s = s, .o = &o.a, .e = NULL,
				   .ostore = 1 };
	struct abac_decision d;
	__u32 ops[2], n = 0, i;

	if (!s || !label)
		return 0;
	memset(&o, 0, sizeof(o));
	if (abac_label_parse_obj(img, (const __u8 *)label, strlen(label),
				 &pairs, &o))
		return hdr->mode == ABAC_MODE_AUDIT ? 0 : EACCES;
	if (mode != O_WRONLY)
		ops[n++] = ABAC_OP_READ;
	if (mode != O_RDONLY)
		ops[n++] = ABAC_OP_WRITE;
	for (i = 0; i < n; i++) {
		abac_decide(img, ops[i], &rq, &d);
		if (d.effect != ABAC_ALLOW)
			return hdr->mode == ABAC_MODE_AUDIT ? 0 : EACCES;
	}
	return 0;
}

/*
 * From one fresh process in cgroup @cg (NULL: the caller's, untagged),
 * open every matrix file in every mode; @got[label][mode] receives 0 or
 * the errno.  Returns 0, or -1 when the probe could not run.
 */
static inline int matrix_probe(const char *cg,
			       unsigned char got[MATRIX_NLABEL][MATRIX_NMODE])
{
	unsigned char res[MATRIX_NLABEL][MATRIX_NMODE];
	char path[PATH_MAX];
	size_t li, mi;
	int p[2], st, fd;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		close(p[0]);
		if (cg) {
			snprintf(path, sizeof(path),
				 TEST_CG_ROOT "/%s/cgroup.procs", cg);
			fd = open(path, O_WRONLY);
			if (fd < 0 || write(fd, "0", 1) != 1)
				_exit(250);
			close(fd);
		}
		for (li = 0; li < MATRIX_NLABEL; li++) {
			snprintf(path, sizeof(path), TEST_DIR "/m%zu", li);
			for (mi = 0; mi < MATRIX_NMODE; mi++) {
				fd = open(path, matrix_modes[mi]);
				res[li][mi] = fd < 0 ? (unsigned char)errno : 0;
				if (fd >= 0)
					close(fd);
			}
		}
		_exit(write(p[1], res, sizeof(res)) == sizeof(res) ? 0 : 251);
	}
	close(p[1]);
	st = read(p[0], got, sizeof(res)) == sizeof(res) ? 0 : -1;
	close(p[0]);
	if (waitpid(pid, &fd, 0) != pid || !WIFEXITED(fd) || WEXITSTATUS(fd))
		st = -1;
	return st;
}

/*
 * Probe every (subject, label, mode) and compare with the core's decision
 * on @image, the image the kernel holds.  Mismatches are printed.
 */
static inline int matrix_run(const void *image, size_t len,
			     struct matrix_tally *t)
{
	struct abac_image img = abac_image_view(image, len);
	unsigned char got[MATRIX_NLABEL][MATRIX_NMODE];
	char cgdir[PATH_MAX];
	size_t si, li, mi;
	struct stat st;
	__u64 id;
	int want;

	memset(t, 0, sizeof(*t));
	for (si = 0; si < MATRIX_NSUBJ; si++) {
		const struct matrix_subject *s = &matrix_subjects[si];

		id = 0;
		if (s->cg) {
			snprintf(cgdir, sizeof(cgdir), TEST_CG_ROOT "/%s",
				 s->cg);
			if (stat(cgdir, &st))
				return -errno;
			id = st.st_ino;	/* a cgroup's id is its inode */
		}
		if (matrix_probe(s->cg, got))
			return -EIO;
		for (li = 0; li < MATRIX_NLABEL; li++) {
			for (mi = 0; mi < MATRIX_NMODE; mi++) {
				want = matrix_expect(&img, id,
						     matrix_labels[li],
						     matrix_modes[mi]);
				t->opens++;
				t->allowed += got[li][mi] == 0;
				t->denied += got[li][mi] == EACCES;
				if (got[li][mi] != want) {
					t->mismatches++;
					fprintf(stderr,
						"# matrix: %s opening \"%s\" with mode %d: kernel %d, core %d\n",
						s->cg ? s->cg : "(untagged)",
						matrix_labels[li] ?
						matrix_labels[li] : "(none)",
						matrix_modes[mi], got[li][mi],
						want);
				}
			}
		}
	}
	return 0;
}

#endif /* _ABAC_VM_MATRIX_H */
