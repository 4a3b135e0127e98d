/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Attempts by a tagged subject, for the tamper-guard tests: run a
 * function in a fresh process in a test cgroup, then check that the
 * guard refused it as it should, with the refusal's event in the agent's
 * log (found by the attempt's own pid, so that an earlier refusal of the
 * same kind cannot stand in for it) and the tamper counter moved.
 */
#ifndef _ABAC_VM_ATTEMPT_H
#define _ABAC_VM_ATTEMPT_H

#include "vm_common.h"

/* An attempt: returns 0 when the operation worked, else its errno. */
typedef int (*vm_attempt_fn)(const void *arg);

/*
 * Run @fn(@arg) in a fresh child that first joins test cgroup @cg (NULL:
 * stays in the caller's, untagged) and stays root.  Returns what @fn
 * returned (250+: a broken harness) and the child's pid in *@pid.
 */
static inline int vm_attempt(const char *cg, vm_attempt_fn fn,
			     const void *arg, pid_t *pid)
{
	int st;

	*pid = fork();
	if (*pid < 0)
		return 251;
	if (!*pid) {
		if (cg && vm_join_cg(cg))
			_exit(250);
		_exit(fn(arg) & 0xff);
	}
	if (waitpid(*pid, &st, 0) != *pid || !WIFEXITED(st))
		return 252;
	return WEXITSTATUS(st);
}

/* The guard's tamper counter ("guarded" of abac status), or 0. */
static inline unsigned long long vm_guarded(void)
{
	char out[8192], *p;

	if (vm_sh_out(out, sizeof(out), "abac status --json"))
		return 0;
	p = strstr(out, "\"guarded\":");
	return p ? strtoull(p + strlen("\"guarded\":"), NULL, 10) : 0;
}

/*
 * Wait until the log holds a guard event of @kind by process @pid whose
 * line also holds @text.
 */
static inline bool vm_guard_logged(pid_t pid, const char *kind,
				   const char *text)
{
	char who[32], what[64];
	int waited;

	snprintf(who, sizeof(who), "\"pid\":%d,", (int)pid);
	snprintf(what, sizeof(what), "\"guard\":\"%s\"", kind);
	for (waited = 0; waited <= 10000; waited += 100) {
		char *log = vm_read_file(AGENT_LOG), *line, *save = NULL;
		bool hit = false;

		for (line = log ? strtok_r(log, "\n", &save) : NULL;
		     line && !hit; line = strtok_r(NULL, "\n", &save))
			hit = strstr(line, who) && strstr(line, what) &&
			      strstr(line, text);
		free(log);
		if (hit)
			return true;
		vm_msleep(100);
	}
	return false;
}

/*
 * @fn(@arg) in test cgroup @cg fails with @err, the guard logged a @kind
 * event naming @text for that very process, and the tamper counter moved.
 */
#define ASSERT_GUARDED(err, kind, text, cg, fn, arg)			\
	do {								\
		unsigned long long ___before = vm_guarded();		\
		pid_t ___pid;						\
									\
		ASSERT_EQ(err, vm_attempt(cg, fn, arg, &___pid));	\
		ASSERT_TRUE(vm_guard_logged(___pid, kind, text))	\
			TH_LOG("no %s event naming '%s' from pid %d",	\
			       kind, text, (int)___pid);		\
		ASSERT_LT(___before, vm_guarded())			\
			TH_LOG("the tamper counter did not move");	\
	} while (0)

#define VM_YAMA_SCOPE	"/proc/sys/kernel/yama/ptrace_scope"

static char vm_yama_saved[8];

/*
 * Yama (ptrace_scope 1, the kernel's default) asks CAP_SYS_PTRACE of a
 * tracer that is not its target's ancestor, a capability the guard
 * withholds: with scope 0 what refuses a tagged tracer is the guard's
 * own ptrace hook, which is what the tests are about.
 */
static inline void vm_yama_relax(void)
{
	char *old = vm_read_file(VM_YAMA_SCOPE);

	if (!old)
		return;
	snprintf(vm_yama_saved, sizeof(vm_yama_saved), "%s", old);
	free(old);
	vm_write_file(VM_YAMA_SCOPE, "0\n");
}

static inline void vm_yama_restore(void)
{
	if (vm_yama_saved[0])
		vm_write_file(VM_YAMA_SCOPE, vm_yama_saved);
}

/*
 * The policy the containment tests run under: it allows by default (the
 * guard's refusals do not depend on the policy), so that a refusal seen
 * is the guard's.  "worker" and "other" are two subjects with the same
 * tags, "free" is untagged.
 */
static const char vm_contain_policy[] =
	"version: 1\n"
	"name: vm-containment\n"
	"mode: enforce\n"
	"default: allow\n"
	"attributes:\n"
	"  subject:\n"
	"    role: {type: string, values: [worker]}\n"
	"  object:\n"
	"    type: {type: string, values: [record]}\n"
	"rules:\n"
	"  - id: workers-keep-off-records\n"
	"    nlp: \"Workers may not change records.\"\n"
	"    effect: deny\n"
	"    ops: [write]\n"
	"    subject: {role: worker}\n"
	"    object: {type: record}\n";

/*
 * The agent running @policy (NULL: vm_contain_policy), which declares
 * role worker, and the three cgroups; 0 or -1.
 */
static inline int vm_contain_setup_with(const char *policy)
{
	if (vm_setup() ||
	    vm_apply("containment", policy ? policy : vm_contain_policy) ||
	    vm_tag("worker", "role=worker") || vm_tag("other", "role=worker") ||
	    vm_mkcg("free"))
		return -1;
	vm_yama_relax();
	return 0;
}

static inline int vm_contain_setup(void)
{
	return vm_contain_setup_with(NULL);
}

static inline void vm_contain_teardown(void)
{
	vm_yama_restore();
	vm_untag("worker");
	vm_untag("other");
}

/*
 * A root process that joined test cgroup @cg (NULL: stays untagged) and
 * waits to be killed; its pid, or -1.
 */
static inline pid_t vm_sleeper(const char *cg)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	if (cg && vm_join_cg(cg))
		_exit(250);
	for (;;)
		pause();
}

static inline void vm_reap(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

#endif /* _ABAC_VM_ATTEMPT_H */
