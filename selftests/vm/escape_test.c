// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tamper guard on the real hooks in the guest: root inside a tagged
 * cgroup tries, as an attacker would, to change its labels, leave or
 * remake its cgroup, reach abac's BPF objects and pins, stop or steer the
 * agent, and write the agent's files.  Every attempt must fail with the
 * guard's EPERM and show up in the event log as a "guard" event naming
 * what was tried.  Positive controls show the same calls work untagged,
 * and for a subject a rule allows "relabel" or "administer".
 */
#include <sched.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <linux/bpf.h>
#include <linux/sched.h>

#include "kselftest_harness.h"
#include "attempt.h"

static const char guard_policy[] =
	"version: 1\n"
	"name: vm-guard\n"
	"mode: enforce\n"
	"default: deny\n"
	"attributes:\n"
	"  subject:\n"
	"    role: {type: string, values: [worker, admin, labeller]}\n"
	"  object:\n"
	"    type: {type: string, values: [record, invoice, draft]}\n"
	"rules:\n"
	"  - id: workers-read-records\n"
	"    nlp: \"Workers may read records.\"\n"
	"    effect: allow\n"
	"    ops: [read, write]\n"
	"    subject: {role: [worker, admin, labeller]}\n"
	"    object: {type: [record, invoice, draft]}\n"
	"  - id: admins-administer\n"
	"    nlp: \"Administrators may manage abac through its agent.\"\n"
	"    effect: allow\n"
	"    ops: [administer]\n"
	"    subject: {role: admin}\n"
	"  - id: labellers-relabel-invoices\n"
	"    nlp: \"Labellers may relabel invoices and drafts.\"\n"
	"    effect: allow\n"
	"    ops: [relabel]\n"
	"    subject: {role: labeller}\n"
	"    object: {type: [invoice, draft]}\n";

#define OWNED		TEST_DIR "/owned.txt"
#define INVOICE		TEST_DIR "/invoice.txt"
#define FRESH		TEST_DIR "/fresh.txt"

typedef int (*attempt_fn)(const void *arg);

/*
 * Run @fn in a fresh child that first joins test cgroup @cg (while still
 * untagged) and stays root.  Returns 0 when the attempt worked, else the
 * errno it failed with; 250+ for a broken harness.
 */
static int in_cg(const char *cg, attempt_fn fn, const void *arg)
{
	char procs[PATH_MAX];
	int st, fd;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return 251;
	if (!pid) {
		snprintf(procs, sizeof(procs), TEST_CG_ROOT "/%s/cgroup.procs",
			 cg);
		fd = open(procs, O_WRONLY);
		if (fd < 0 || write(fd, "0", 1) != 1)
			_exit(250);
		close(fd);
		_exit(fn(arg) ? (errno & 0xff) : 0);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return 252;
	return WEXITSTATUS(st);
}

/*
 * The agent's pid, found by the untagged test before any attempt: inside
 * a tagged cgroup /proc/AGENT is out of reach (pidof finds nothing), and
 * an attempt must never fall back to kill(-1, ...).
 */
static pid_t the_agent;

static pid_t find_agent(void)
{
	char out[64];

	if (vm_sh_out(out, sizeof(out), "pidof abacd"))
		return -1;
	return (pid_t)atoi(out);
}

static pid_t agent_pid(void)
{
	if (the_agent <= 1)
		_exit(253);
	return the_agent;
}

/* ---- the attempts: each returns 0 on success, -1 with errno set ----- */

static int set_label(const void *arg)
{
	return setxattr((const char *)arg, "user.abac", "type=invoice", 12, 0);
}

static int fset_label(const void *arg)
{
	int fd = open((const char *)arg, O_RDONLY);

	if (fd < 0)
		return -1;
	return fsetxattr(fd, "user.abac", "type=record", 11, 0);
}

/* Relabel through an fd to a label the labellers' rule also covers. */
static int fset_draft(const void *arg)
{
	int fd = open((const char *)arg, O_RDONLY);

	if (fd < 0)
		return -1;
	return fsetxattr(fd, "user.abac", "type=draft", 10, 0);
}

static int forge_label(const void *arg)
{
	int fd = open(FRESH, O_WRONLY | O_CREAT, 0644);

	if (fd < 0)
		return -1;
	close(fd);
	return setxattr(FRESH, "user.abac", "type=record", 11, 0);
}

static int remove_label(const void *arg)
{
	return removexattr((const char *)arg, "user.abac");
}

/* Write @arg's "path\tdata" to the file. */
static int write_to(const void *arg)
{
	char buf[PATH_MAX], *tab;
	int fd;

	snprintf(buf, sizeof(buf), "%s", (const char *)arg);
	tab = strchr(buf, '\t');
	*tab++ = 0;
	fd = open(buf, O_WRONLY);
	if (fd < 0)
		return -1;
	if (write(fd, tab, strlen(tab)) < 0) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static int do_mkdir(const void *arg)
{
	return mkdir((const char *)arg, 0755);
}

static int do_rmdir(const void *arg)
{
	return rmdir((const char *)arg);
}

static int do_unlink(const void *arg)
{
	return unlink((const char *)arg);
}

static int do_truncate(const void *arg)
{
	return truncate((const char *)arg, 0);
}

static int do_rename(const void *arg)
{
	char to[PATH_MAX];

	snprintf(to, sizeof(to), "%s.moved", (const char *)arg);
	return rename((const char *)arg, to);
}

static int do_create(const void *arg)
{
	int fd = open((const char *)arg, O_WRONLY | O_CREAT | O_EXCL, 0600);

	return fd < 0 ? -1 : close(fd);
}

static int do_chmod(const void *arg)
{
	return chmod((const char *)arg, 0666);
}

/* clone3(CLONE_INTO_CGROUP) into the root cgroup: leave without a write. */
static int clone_into_root(const void *arg)
{
	struct clone_args ca = { .flags = CLONE_INTO_CGROUP,
				 .exit_signal = SIGCHLD };
	int cgfd = open(CG_MOUNT, O_RDONLY | O_DIRECTORY);
	long pid;

	if (cgfd < 0)
		return -1;
	ca.cgroup = cgfd;
	pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid == 0)
		_exit(0);
	if (pid < 0)
		return -1;
	waitpid(pid, NULL, 0);
	return 0;
}

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int bpf_obj_get_pin(const void *arg)
{
	union bpf_attr a = {};

	a.pathname = (uintptr_t)arg;
	return sys_bpf(BPF_OBJ_GET, &a) < 0 ? -1 : 0;
}

static int bpf_prog_load_filter(const void *arg)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr a = {};

	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (uintptr_t)insns;
	a.insn_cnt = 2;
	a.license = (uintptr_t)"GPL";
	return sys_bpf(BPF_PROG_LOAD, &a) < 0 ? -1 : 0;
}

static int bpf_link_detach_first(const void *arg)
{
	union bpf_attr a = {};
	long fd;

	__u32 id;

	a.start_id = 0;
	if (sys_bpf(BPF_LINK_GET_NEXT_ID, &a) < 0)
		return -1;
	id = a.next_id;
	memset(&a, 0, sizeof(a));
	a.link_id = id;
	fd = sys_bpf(BPF_LINK_GET_FD_BY_ID, &a);
	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.link_detach.link_fd = fd;
	return sys_bpf(BPF_LINK_DETACH, &a) < 0 ? -1 : 0;
}

static int do_umount(const void *arg)
{
	return umount2((const char *)arg, MNT_DETACH);
}

static int mount_over(const void *arg)
{
	return mount("none", (const char *)arg, "tmpfs", 0, NULL);
}

static int signal_agent(const void *arg)
{
	const int *sig = arg;

	return kill(agent_pid(), *sig);
}

static int ptrace_agent(const void *arg)
{
	return ptrace(PTRACE_ATTACH, agent_pid(), NULL, NULL) < 0 ? -1 : 0;
}

static int poke_agent_memory(const void *arg)
{
	char byte = 0;
	struct iovec local = { &byte, 1 }, remote = { (void *)0x400000, 1 };

	return process_vm_writev(agent_pid(), &local, 1, &remote, 1, 0) < 0 ?
	       -1 : 0;
}

static int open_agent_proc(const void *arg)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", agent_pid(),
		 (const char *)arg);
	fd = open(path, O_RDWR);
	return fd < 0 ? -1 : close(fd);
}

static int renice_agent(const void *arg)
{
	return setpriority(PRIO_PROCESS, agent_pid(), 19);
}

static int connect_socket(const void *arg)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0), ret;

	strncpy(sa.sun_path, AGENT_SOCK, sizeof(sa.sun_path) - 1);
	ret = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	return ret;
}

/* Set security.abac, the native LSM's own label, to @arg's value. */
static int set_native_label(const void *arg)
{
	return setxattr(OWNED, "security.abac", arg, strlen(arg), 0);
}

static int remove_native_label(const void *arg)
{
	return removexattr(OWNED, "security.abac");
}

/* Open one of the native LSM's securityfs files for writing. */
static int open_securityfs(const void *arg)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "/sys/kernel/security/abac/%s",
		 (const char *)arg);
	fd = open(path, strcmp(arg, "events") ? O_WRONLY : O_RDONLY);
	return fd < 0 ? -1 : close(fd);
}

/* Set the clock to what it says now. */
static int set_clock(const void *arg)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return settimeofday(&tv, NULL);
}

/* Load a "module" of garbage: refused before it is even parsed. */
static int load_module(const void *arg)
{
	static const char junk[64] = "not an ELF object";

	return syscall(SYS_init_module, junk, sizeof(junk), "");
}

/* ---- the fixture ---------------------------------------------------- */

FIXTURE(escape) {
	int unused;
};

FIXTURE_SETUP(escape)
{
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_apply("guard", guard_policy));
	ASSERT_EQ(0, vm_mkfile(OWNED, "mine\n", "type=record"));
	ASSERT_EQ(0, vm_mkfile(INVOICE, "bill\n", "type=invoice"));
	ASSERT_EQ(0, vm_tag("worker", "role=worker"));
	ASSERT_EQ(0, vm_tag("admin", "role=admin"));
	ASSERT_EQ(0, vm_tag("labeller", "role=labeller"));
	ASSERT_EQ(0, vm_mkcg("victim"));
	the_agent = find_agent();
	ASSERT_LT(1, the_agent);
	vm_yama_relax();
}

FIXTURE_TEARDOWN(escape)
{
	vm_yama_restore();
	vm_untag("worker");
	vm_untag("admin");
	vm_untag("labeller");
	rmdir(TEST_CG_ROOT "/worker/inner");
	rmdir(TEST_CG_ROOT "/evil");
}

/* Refused with EPERM and logged as a guard event carrying @what and @n. */
#define EXPECT_GUARDED(what, n, expr)					\
	do {								\
		ASSERT_EQ(EPERM, (expr));				\
		ASSERT_TRUE(vm_log_has("\"guard\":\"" what "\"", n, 10000)) \
			TH_LOG("no %s event naming %s", what, n);	\
	} while (0)

/*
 * Refused as the relabel operation (EACCES: no rule allows it on the
 * present label or on the new one) and logged as a denial naming @n.
 */
#define EXPECT_RELABEL_REFUSED(n, expr)					\
	do {								\
		ASSERT_EQ(EACCES, (expr));				\
		ASSERT_TRUE(vm_log_has("\"decision\":\"deny\"",		\
				       "\"op\":\"relabel\",\"path\":\"" n "\"", \
				       10000))				\
			TH_LOG("no relabel denial naming %s", n);	\
	} while (0)

TEST_F_TIMEOUT(escape, labels_cannot_be_changed_forged_or_removed, 120)
{
	char label[64] = "";

	/* 1: relabel a file it owns */
	EXPECT_RELABEL_REFUSED("owned.txt",
			       in_cg("worker", set_label, OWNED));
	/* 2: the same through an fd */
	EXPECT_RELABEL_REFUSED("owned.txt",
			       in_cg("worker", fset_label, OWNED));
	/* 3: forge a label on a file it just created */
	EXPECT_RELABEL_REFUSED("fresh.txt",
			       in_cg("worker", forge_label, NULL));
	/* 4: strip the label */
	EXPECT_RELABEL_REFUSED("owned.txt",
			       in_cg("worker", remove_label, OWNED));
	ASSERT_LT(0, getxattr(OWNED, "user.abac", label, sizeof(label) - 1));
	ASSERT_STREQ("type=record", label);
	ASSERT_GT(0, getxattr(FRESH, "user.abac", label, sizeof(label)));
}

TEST_F_TIMEOUT(escape, a_relabel_rule_lets_only_its_subjects_relabel_its_objects, 120)
{
	char label[64] = "";

	/*
	 * the labeller may relabel an invoice into a draft (relabel is
	 * decided on the label now and on the label it would get)...
	 */
	ASSERT_EQ(0, in_cg("labeller", fset_draft, INVOICE));
	ASSERT_LT(0, getxattr(INVOICE, "user.abac", label, sizeof(label) - 1));
	ASSERT_STREQ("type=draft", label);
	/* ...not into a record, which the rule does not name... */
	ASSERT_EQ(EACCES, in_cg("labeller", fset_label, INVOICE));
	ASSERT_TRUE(vm_log_has("\"op\":\"relabel\"", "invoice.txt", 10000));
	/* ...and may not relabel a record at all */
	EXPECT_RELABEL_REFUSED("owned.txt",
			       in_cg("labeller", set_label, OWNED));
	/* untagged, the owner (root) relabels as before */
	ASSERT_EQ(0, vm_label(OWNED, "type=invoice"));
}

TEST_F_TIMEOUT(escape, the_cgroup_cannot_be_left_split_or_remade, 120)
{
	char buf[PATH_MAX];
	pid_t other;

	/* 5: leave for the parent cgroup */
	EXPECT_GUARDED("cgroup-write", "cgroup.procs",
		       in_cg("worker", write_to,
			     TEST_CG_ROOT "/cgroup.procs\t0"));
	/* 6: move another (untagged) process into its own cgroup */
	other = fork();
	ASSERT_LE(0, other);
	if (!other) {
		pause();
		_exit(0);
	}
	snprintf(buf, sizeof(buf), TEST_CG_ROOT "/worker/cgroup.procs\t%d",
		 other);
	EXPECT_GUARDED("cgroup-write", "cgroup.procs",
		       in_cg("worker", write_to, buf));
	kill(other, SIGKILL);
	waitpid(other, NULL, 0);
	/* 7: threads */
	EXPECT_GUARDED("cgroup-write", "cgroup.threads",
		       in_cg("worker", write_to,
			     TEST_CG_ROOT "/victim/cgroup.threads\t0"));
	/* 8: subtree control */
	EXPECT_GUARDED("cgroup-write", "cgroup.subtree_control",
		       in_cg("worker", write_to,
			     TEST_CG_ROOT "/cgroup.subtree_control\t+pids"));
	/* 9: an untagged sibling */
	EXPECT_GUARDED("cgroup-mkdir", "evil",
		       in_cg("worker", do_mkdir, TEST_CG_ROOT "/evil"));
	/* 10: a child of its own */
	EXPECT_GUARDED("cgroup-mkdir", "inner",
		       in_cg("worker", do_mkdir, TEST_CG_ROOT "/worker/inner"));
	/* 11: remove a cgroup */
	EXPECT_GUARDED("cgroup-rmdir", "victim",
		       in_cg("worker", do_rmdir, TEST_CG_ROOT "/victim"));
	/* 12: clone3(CLONE_INTO_CGROUP) into the root cgroup */
	EXPECT_GUARDED("cgroup-write", "cgroup.procs",
		       in_cg("worker", clone_into_root, NULL));
	/* 13: cgroup.kill of the agent's cgroup (the root cgroup has none: a sibling) */
	EXPECT_GUARDED("cgroup-write", "cgroup.kill",
		       in_cg("worker", write_to,
			     TEST_CG_ROOT "/victim/cgroup.kill\t1"));
	snprintf(buf, sizeof(buf), TEST_CG_ROOT "/victim");
	ASSERT_EQ(0, access(buf, F_OK));
	ASSERT_NE(0, access(TEST_CG_ROOT "/evil", F_OK));
}

TEST_F_TIMEOUT(escape, bpf_programs_maps_and_mounts_are_out_of_reach, 120)
{
	/* 14: reopen a pinned map (any bpf() command is refused first) */
	EXPECT_GUARDED("bpf", "bpf(cmd=7)",
		       in_cg("worker", bpf_obj_get_pin, PIN_DIR "/policy"));
	/* 15: load a program */
	EXPECT_GUARDED("bpf", "bpf(cmd=5)",
		       in_cg("worker", bpf_prog_load_filter, NULL));
	/* 16: find and detach a link */
	EXPECT_GUARDED("bpf", "bpf(cmd=",
		       in_cg("worker", bpf_link_detach_first, NULL));
	/* 18: unmount bpffs: CAP_SYS_ADMIN is withheld before sb_umount */
	EXPECT_GUARDED("capability", "capability sys_admin",
		       in_cg("worker", do_umount, "/sys/fs/bpf"));
	/* 19: mount over a directory */
	EXPECT_GUARDED("mount", "tmpfs", in_cg("worker", mount_over, "/mnt"));
	/* untagged, root loads a program as before */
	ASSERT_EQ(0, bpf_prog_load_filter(NULL));
}

TEST_F_TIMEOUT(escape, the_pins_are_out_of_reach, 120)
{
	VM_ONLY(VM_BPF, "the BPF programs' pins under /sys/fs/bpf/abac; the native LSM has none");
	/* 17: unpin the decision program's link */
	EXPECT_GUARDED("bpffs", "link_hook_file_open",
		       in_cg("worker", do_unlink, PIN_DIR "/link_hook_file_open"));
	/* 19: mount over the pins */
	EXPECT_GUARDED("mount", "tmpfs", in_cg("worker", mount_over, PIN_DIR));
	ASSERT_EQ(0, access(PIN_DIR "/link_hook_file_open", F_OK));
	ASSERT_EQ(0, access(PIN_DIR "/link_guard_bpf", F_OK));
}

TEST_F_TIMEOUT(escape, the_agent_cannot_be_stopped_traced_or_steered, 120)
{
	int sigkill = SIGKILL, sigstop = SIGSTOP, sigterm = SIGTERM;
	char pidstr[32];

	snprintf(pidstr, sizeof(pidstr), "pid %d", agent_pid());
	/* 20-22: signals */
	EXPECT_GUARDED("signal-agent", "signal 9",
		       in_cg("worker", signal_agent, &sigkill));
	EXPECT_GUARDED("signal-agent", "signal 19",
		       in_cg("worker", signal_agent, &sigstop));
	EXPECT_GUARDED("signal-agent", "signal 15",
		       in_cg("worker", signal_agent, &sigterm));
	/* 23: ptrace */
	EXPECT_GUARDED("ptrace-agent", pidstr,
		       in_cg("worker", ptrace_agent, NULL));
	/* 24: write its memory without ptrace */
	EXPECT_GUARDED("ptrace-agent", pidstr,
		       in_cg("worker", poke_agent_memory, NULL));
	/* 25: /proc/PID/mem */
	EXPECT_GUARDED("agent-proc", "/mem", in_cg("worker", open_agent_proc,
						     "mem"));
	/* 26: make it the OOM killer's first choice */
	EXPECT_GUARDED("agent-proc", "/oom_score_adj",
		       in_cg("worker", open_agent_proc, "oom_score_adj"));
	/* 27: starve it */
	EXPECT_GUARDED("agent-sched", "setpriority",
		       in_cg("worker", renice_agent, NULL));
	ASSERT_TRUE(vm_agent_up());
}

TEST_F_TIMEOUT(escape, the_control_socket_takes_only_administrators, 120)
{
	char out[4096];

	/* 28: connect */
	EXPECT_GUARDED("control-socket", "abacd.sock",
		       in_cg("worker", connect_socket, NULL));
	/* 29: re-tag itself through the CLI */
	ASSERT_NE(0, vm_sh("echo 0 > " TEST_CG_ROOT "/worker/cgroup.procs && "
			   "abac subject tag " TEST_CG_ROOT "/worker role=admin"));
	ASSERT_EQ(0, vm_sh_out(out, sizeof(out), "abac subject list"));
	ASSERT_NE(NULL, strstr(out, "role=worker")) TH_LOG("%s", out);
	/* a subject a rule allows "administer" gets through */
	ASSERT_EQ(0, in_cg("admin", connect_socket, NULL));
	ASSERT_EQ(0, vm_sh("echo 0 > " TEST_CG_ROOT "/admin/cgroup.procs && "
			   "abac subject list >/dev/null"));
}

TEST_F_TIMEOUT(escape, the_agents_files_cannot_be_written_or_replaced, 120)
{
	/* 30: overwrite the saved policy */
	EXPECT_GUARDED("protected-file", "policy.yaml",
		       in_cg("worker", write_to,
			     AGENT_STATE "/policy.yaml\tname: evil\n"));
	/* 31: plant a file in the state directory */
	EXPECT_GUARDED("protected-file", "planted",
		       in_cg("worker", do_create, AGENT_STATE "/planted"));
	/* 32: move the saved tags away */
	EXPECT_GUARDED("protected-file", "subjects",
		       in_cg("worker", do_rename, AGENT_STATE "/subjects"));
	/* 33: truncate the event log */
	EXPECT_GUARDED("protected-file", "abac-events.jsonl",
		       in_cg("worker", do_truncate, AGENT_LOG));
	/* 34: delete the event log */
	EXPECT_GUARDED("protected-file", "abac-events.jsonl",
		       in_cg("worker", do_unlink, AGENT_LOG));
	/* 35: open up the state directory */
	EXPECT_GUARDED("protected-file", "abac-state",
		       in_cg("worker", do_chmod, AGENT_STATE));
	/* 36: make the agent's binary writable, to replace it */
	EXPECT_GUARDED("protected-file", "abacd",
		       in_cg("worker", do_chmod, "/usr/bin/abacd"));
	ASSERT_EQ(0, access(AGENT_STATE "/subjects", F_OK));
	ASSERT_NE(0, access(AGENT_STATE "/planted", F_OK));
}

TEST_F_TIMEOUT(escape, the_agents_own_cgroup_cannot_be_tagged, 120)
{
	char out[4096];

	/* the root cgroup holds every process, abacd included */
	ASSERT_NE(0, vm_sh_out(out, sizeof(out),
			       "abac subject tag " CG_MOUNT " role=worker"));
	ASSERT_NE(NULL, strstr(out, "holds abacd itself")) TH_LOG("%s", out);
	/* the agent still manages: it was not tagged */
	ASSERT_EQ(0, vm_apply("guard", guard_policy));
}

/*
 * security.abac is the native LSM's own label: no tagged task sets or
 * removes it, whatever its capabilities and whatever a relabel rule says;
 * untagged, CAP_MAC_ADMIN does, and it wins over user.abac.
 */
TEST_F_TIMEOUT(escape, the_native_label_is_the_administrators_alone, 120)
{
	char label[64] = "";

	VM_ONLY(VM_NATIVE, "security.abac is the native LSM's label; BPF reads only user.abac");
	EXPECT_GUARDED("label-set", "owned.txt",
		       in_cg("labeller", set_native_label, "type=invoice"));
	EXPECT_GUARDED("label-set", "owned.txt",
		       in_cg("worker", set_native_label, "type=invoice"));
	ASSERT_GT(0, getxattr(OWNED, "security.abac", label, sizeof(label)));
	/* untagged root: a malformed label is refused, a good one taken */
	ASSERT_NE(0, set_native_label("type"));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(0, set_native_label("type=invoice"));
	/*
	 * it wins over user.abac (type=record): the labeller, who may
	 * relabel invoices but not records, relabels the file
	 */
	ASSERT_EQ(0, in_cg("labeller", fset_draft, OWNED));
	EXPECT_GUARDED("label-remove", "owned.txt",
		       in_cg("worker", remove_native_label, NULL));
	ASSERT_EQ(0, remove_native_label(NULL));
	/* without it, user.abac applies again: a record is not relabelled */
	ASSERT_EQ(0, vm_label(OWNED, "type=record"));
	ASSERT_EQ(EACCES, in_cg("labeller", fset_draft, OWNED));
}

TEST_F_TIMEOUT(escape, the_native_lsms_files_are_out_of_reach, 120)
{
	static const char *const files[] = { "policy", "env", "guard",
					      "state", "events" };
	size_t i;

	VM_ONLY(VM_NATIVE, "the native LSM's securityfs files; BPF's maps are behind bpf()");
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		EXPECT_GUARDED("securityfs", files[i],
			       in_cg("worker", open_securityfs, files[i]));
	}
	/* status stays readable; untagged root writes as before */
	ASSERT_EQ(0, access("/sys/kernel/security/abac/status", R_OK));
	ASSERT_EQ(0, open_securityfs("state"));
	ASSERT_EQ(0, vm_apply("guard", guard_policy));
}

TEST_F_TIMEOUT(escape, the_clock_and_kernel_modules_are_out_of_reach, 120)
{
	/* the capabilities are withheld before the clock or the loader */
	EXPECT_GUARDED("capability", "capability sys_time",
		       in_cg("worker", set_clock, NULL));
	EXPECT_GUARDED("capability", "capability sys_module",
		       in_cg("worker", load_module, NULL));
	/* untagged root sets the clock, and gets past abac to the loader */
	ASSERT_EQ(0, set_clock(NULL));
	ASSERT_NE(0, load_module(NULL));
	ASSERT_NE(EPERM, errno);
}

TEST_F_TIMEOUT(escape, untagged_root_is_not_hindered, 120)
{
	ASSERT_EQ(0, vm_mkcg("free"));
	ASSERT_EQ(0, vm_label(OWNED, "type=invoice"));
	ASSERT_EQ(0, mkdir(TEST_CG_ROOT "/free/sub", 0755));
	ASSERT_EQ(0, rmdir(TEST_CG_ROOT "/free/sub"));
	ASSERT_EQ(0, connect_socket(NULL));
	ASSERT_EQ(0, kill(agent_pid(), 0));
	ASSERT_EQ(0, in_cg("free", set_label, OWNED));
}

TEST_HARNESS_MAIN
