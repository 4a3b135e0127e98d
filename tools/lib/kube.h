/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kubernetes pods as abac subjects: a pod list (what "kubectl get pods
 * -o json" and the kubelet's /pods endpoint print) read into the few
 * fields abac needs, the pod's "abac.io/" labels and annotations turned
 * into subject pairs, and the path of the pod's cgroup in the kubelet's
 * layout, for the cgroupfs and the systemd cgroup drivers.
 *
 * The CLI's "abac kube" (tools/abac/kube.c) asks abacd to tag each pod's
 * cgroup with its pairs, through the same control calls as "abac subject".
 */
#ifndef _ABAC_KUBE_H
#define _ABAC_KUBE_H

#include <stdbool.h>
#include <stddef.h>

#define ABAC_KUBE_PREFIX	"abac.io/"
#define ABAC_KUBE_UID_MAX	64	/* bytes of a pod UID */
#define ABAC_KUBE_ERR_MAX	512

enum abac_kube_driver {
	ABAC_KUBE_CGROUPFS,	/* kubepods/burstable/pod<uid> */
	ABAC_KUBE_SYSTEMD,	/* kubepods.slice/.../kubepods-burstable-pod<uid_>.slice */
};

enum abac_kube_qos {
	ABAC_KUBE_GUARANTEED,
	ABAC_KUBE_BURSTABLE,
	ABAC_KUBE_BESTEFFORT,
	ABAC_KUBE_QOS_COUNT,
	ABAC_KUBE_QOS_UNKNOWN = ABAC_KUBE_QOS_COUNT,	/* not in the status */
};

/**
 * struct abac_pod - one pod of a pod list.
 * @ns: its namespace ("" when not given).
 * @name: its name ("" when not given).
 * @uid: the UID its cgroup is named by, checked to be safe in a path
 *	(hex digits and '-'): metadata.uid, or for the API's mirror of a
 *	static pod the static pod's, from its kubernetes.io/config.mirror
 *	annotation.
 * @node: spec.nodeName, "" for a pod not scheduled yet.
 * @qos: status.qosClass.
 * @ended: status.phase is Succeeded or Failed: its containers are gone
 *	for good, and the kubelet removes its cgroup.
 * @line: line of the pod in the text, for messages.
 * @pairs: its subject pairs "name=value", sorted by name.
 * @npairs: entries in @pairs.
 * @tags: @pairs as abacd keeps them: each pair quoted as tag text
 *	(abac_pair_quote()), separated by one space.
 * @err: why the pod cannot be tagged; "" when it can.
 * @uid_unknown: the UID its cgroup is named by is not known (the mirror
 *	of a static pod whose kubernetes.io/config.mirror annotation is not
 *	a UID): no pod cgroup can be said not to be this pod's.
 */
struct abac_pod {
	char *ns, *name, *uid, *node;
	enum abac_kube_qos qos;
	bool ended;
	bool uid_unknown;
	unsigned int line;
	char **pairs;
	size_t npairs;
	char *tags;
	char err[ABAC_KUBE_ERR_MAX];
};

/**
 * struct abac_podlist - the pods of one pod list.
 * @v: the pods.
 * @n: entries in @v.
 */
struct abac_podlist {
	struct abac_pod *v;
	size_t n;
};

/**
 * struct abac_kube_tagged - one cgroup abacd holds tags for, or one it
 *	binds ("subject-bindings --json").
 * @path: its canonical absolute path.
 * @tags: its tag text.
 * @owner: the binding's owner ("kube", "policy"); NULL in a list of
 *	tagged cgroups, which has none.
 */
struct abac_kube_tagged {
	char *path;
	char *tags;
	char *owner;
};

struct abac_diags;

int abac_podlist_parse(const char *file, const char *buf, size_t len,
		       struct abac_podlist *out, struct abac_diags *diags);
void abac_podlist_free(struct abac_podlist *pl);

int abac_kube_pod_cgroup(enum abac_kube_driver drv, enum abac_kube_qos qos,
			 const char *uid, char *out, size_t sz);
int abac_kube_cgroup_uid(enum abac_kube_driver drv, const char *rel,
			 char *uid, size_t sz);
int abac_kube_tagged_parse(const char *buf, size_t len,
			   struct abac_kube_tagged **out, size_t *n);
void abac_kube_tagged_free(struct abac_kube_tagged *v, size_t n);
const char *abac_kube_qos_name(enum abac_kube_qos qos);
const char *abac_kube_driver_name(enum abac_kube_driver drv);

#endif /* _ABAC_KUBE_H */
