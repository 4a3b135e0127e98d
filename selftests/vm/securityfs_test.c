// SPDX-License-Identifier: GPL-2.0-only
/*
 * What only the native abac LSM has (lsm/, built into the kernel that
 * make kernel builds): its securityfs files under /sys/kernel/security/abac
 * and its records in the audit subsystem.  Every other behaviour is tested
 * by the same suite on both backends; these tests skip on the BPF guest.
 *
 * The images abacd writes are validated by the kernel itself: a bad one
 * is refused and the one in force stays; only CAP_MAC_ADMIN writes any of
 * the files; a denial reaches a listener on the audit netlink socket (as
 * auditd is) with the rule, its sentence and the policy's content hash.
 */
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>

#include "kselftest_harness.h"
#include "vm_kernel.h"
#include "libabac.h"

static const char base_policy[] =
	"version: 1\n"
	"name: vm-native\n"
	"mode: enforce\n"
	"combining: deny-overrides\n"
	"default: deny\n"
	"attributes:\n"
	"  subject:\n"
	"    role: {type: string, values: [nurse, clerk, auditor]}\n"
	"  object:\n"
	"    type: {type: string, values: [record, invoice]}\n"
	"rules:\n"
	"  - id: nurse-reads-records\n"
	"    nlp: \"Nurses may read patient records.\"\n"
	"    effect: allow\n"
	"    ops: [read]\n"
	"    subject: {role: nurse}\n"
	"    object: {type: record}\n"
	"  - id: clerk-never-records\n"
	"    nlp: \"Clerks may never open patient records.\"\n"
	"    effect: deny\n"
	"    ops: [read, write]\n"
	"    subject: {role: clerk}\n"
	"    object: {type: record}\n";

#define RECORD		TEST_DIR "/record.txt"
#define ABAC_AUDIT_ACCESS	1430	/* lsm/abac.h */

/* The value of "key: " in the native status file, or "" (static buffer). */
static const char *status_value(const char *key)
{
	static char val[256];
	char *st = vm_read_file(ABAC_NATIVE_STATUS), *p, *end;
	char pat[64];

	val[0] = '\0';
	snprintf(pat, sizeof(pat), "\n%s: ", key);
	if (st) {
		p = strncmp(st, pat + 1, strlen(pat) - 1) ?
		    strstr(st, pat) : st - 1;
		if (p) {
			p += strlen(pat);
			end = strchr(p, '\n');
			snprintf(val, sizeof(val), "%.*s",
				 (int)(end ? end - p : (long)strlen(p)), p);
		}
	}
	free(st);
	return val;
}

/* write() of @len bytes of @buf to a file of abac's: 0 or the errno. */
static int write_to(const char *name, const void *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd, err;

	snprintf(path, sizeof(path), ABAC_NATIVE_DIR "/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	n = write(fd, buf, len);
	err = n < 0 ? errno : (size_t)n == len ? 0 : EIO;
	close(fd);
	return err;
}

FIXTURE(native) {
	void *img;	/* the image in force after setup */
	size_t len;
};

FIXTURE_SETUP(native)
{
	VM_ONLY(VM_NATIVE, "the native LSM's securityfs files and audit records");
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_apply("base", base_policy));
	ASSERT_EQ(0, vm_mkfile(RECORD, "heart patient\n", "type=record"));
	ASSERT_EQ(0, vm_tag("nurse", "role=nurse"));
	ASSERT_EQ(0, vm_tag("clerk", "role=clerk"));
	ASSERT_EQ(0, abac_native_get_image(&self->img, &self->len));
}

FIXTURE_TEARDOWN(native)
{
	free(self->img);
	vm_untag("nurse");
	vm_untag("clerk");
}

TEST_F(native, the_lsm_is_in_force_and_says_what_it_decides)
{
	ASSERT_TRUE(abac_lsm_active("abac"));
	ASSERT_FALSE(abac_lsm_active("bpf"));
	ASSERT_STREQ("vm-native", status_value("policy"));
	ASSERT_STREQ("enforce", status_value("mode"));
	ASSERT_STREQ("read write exec create delete relabel connect bind listen administer",
		     status_value("ops"));
	/* abacd registered itself with the guard, and its files */
	ASSERT_LT(1, atoi(status_value("agent")));
	ASSERT_LT(3, atoi(status_value("protected_inodes")));
	/* the image in force is the one abacd built, both tags in it */
	ASSERT_NE(0U, ((const struct abac_image_hdr *)self->img)->subj_size);
	ASSERT_NE(0U, ((const struct abac_image_hdr *)self->img)->generation);
}

TEST_F(native, bad_images_are_refused_in_the_kernel_and_the_old_one_stays)
{
	struct abac_image_hdr *h;
	void *now;
	size_t now_len;
	__u8 *bad;
	char loads[64];

	snprintf(loads, sizeof(loads), "%s", status_value("loads"));
	bad = malloc(self->len);
	ASSERT_NE(NULL, bad);
	h = (struct abac_image_hdr *)bad;

	/* one flipped byte: the content hash no longer matches */
	memcpy(bad, self->img, self->len);
	bad[self->len - 1] ^= 0x5a;
	EXPECT_EQ(EBADMSG, write_to("policy", bad, self->len));
	EXPECT_NE(NULL, strstr(status_value("last_error"), "content hash"));

	/* a bad field with a correct hash: the validator's other checks */
	memcpy(bad, self->img, self->len);
	h->mode = 7;
	h->content_hash = abac_image_hash(bad, self->len);
	EXPECT_EQ(EINVAL, write_to("policy", bad, self->len));
	EXPECT_STREQ("unknown mode 7", status_value("last_error"));

	memcpy(bad, self->img, self->len);
	h->rules_off = h->total_records;
	h->content_hash = abac_image_hash(bad, self->len);
	EXPECT_EQ(EINVAL, write_to("policy", bad, self->len));

	/* truncated, wrong magic */
	EXPECT_EQ(EINVAL, write_to("policy", self->img, self->len - ABAC_REC_SIZE));
	EXPECT_EQ(EINVAL, write_to("policy", self->img, 5));
	memcpy(bad, self->img, self->len);
	h->magic ^= 1;
	EXPECT_EQ(EPROTO, write_to("policy", bad, self->len));
	free(bad);

	/* the image in force is byte for byte the old one, and decides */
	ASSERT_EQ(0, abac_native_get_image(&now, &now_len));
	ASSERT_EQ(self->len, now_len);
	ASSERT_EQ(0, memcmp(self->img, now, now_len));
	free(now);
	ASSERT_STREQ(loads, status_value("loads"));
	ASSERT_EQ(EACCES, vm_probe_open("clerk", RECORD, O_RDONLY));
	ASSERT_EQ(0, vm_probe_open("nurse", RECORD, O_RDONLY));

	/* and a good image written directly is taken */
	ASSERT_EQ(0, write_to("policy", self->img, self->len));
	ASSERT_EQ(EACCES, vm_probe_open("clerk", RECORD, O_RDONLY));
}

TEST_F(native, the_other_files_refuse_bad_input_and_keep_what_they_hold)
{
	struct abac_env_state env;
	struct {
		struct abac_guard_hdr h;
		struct abac_guard_ent e;
	} g = { { ABAC_GUARD_MAGIC, 1 }, { 1, 1, 32 } };
	char agent[32];
	void *big;

	snprintf(agent, sizeof(agent), "%s", status_value("agent"));
	memset(&env, 0, sizeof(env));
	EXPECT_EQ(EINVAL, write_to("env", &env, sizeof(env) - 1));
	memset(env.text, 'x', sizeof(env.text));	/* no NUL */
	EXPECT_EQ(EINVAL, write_to("env", &env, sizeof(env)));
	EXPECT_EQ(EINVAL, write_to("guard", &g, sizeof(g)));	/* no kind 32 */
	g.e.kind = ABAC_GUARD_INODE_RAW_CHAR;	/* a major: inode 0 */
	EXPECT_EQ(EINVAL, write_to("guard", &g, sizeof(g)));
	g.e.kind = ABAC_GUARD_INODE_TREE;
	g.h.magic ^= 1;
	EXPECT_EQ(EINVAL, write_to("guard", &g, sizeof(g)));
	g.h.magic ^= 1;
	g.h.nent = 2;
	EXPECT_EQ(EINVAL, write_to("guard", &g, sizeof(g)));
	big = calloc(1, (4U << 20) + 1);
	ASSERT_NE(NULL, big);
	EXPECT_EQ(E2BIG, write_to("state", big, (4U << 20) + 1));
	free(big);
	/* the guard still shields the same agent */
	ASSERT_STREQ(agent, status_value("agent"));
}

TEST_F(native, only_cap_mac_admin_may_write_its_files)
{
	static const char *const files[] = { "policy", "env", "guard",
					      "state" };
	size_t i;
	pid_t pid;
	int st;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			char path[PATH_MAX];
			int fd;

			/* the files are 0600 root: open first, then drop root */
			snprintf(path, sizeof(path), ABAC_NATIVE_DIR "/%s",
				 files[i]);
			fd = open(path, O_WRONLY);
			if (fd < 0 || setgid(65534) || setuid(65534))
				_exit(2);
			_exit(write(fd, self->img, self->len) < 0 &&
			      errno == EPERM ? 0 : 1);
		}
		ASSERT_EQ(pid, waitpid(pid, &st, 0));
		ASSERT_TRUE(WIFEXITED(st));
		EXPECT_EQ(0, WEXITSTATUS(st)) TH_LOG("%s", files[i]);
	}
}

/*
 * Become the audit daemon: the kernel then sends every record to this
 * netlink socket (auditd does the same).  Returns the socket, or -1.
 */
static int audit_listen(bool on)
{
	struct {
		struct nlmsghdr nh;
		struct audit_status st;
	} req = {};
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT);

	if (fd < 0)
		return -1;
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = AUDIT_SET;
	req.nh.nlmsg_flags = NLM_F_REQUEST;
	req.st.mask = AUDIT_STATUS_PID | AUDIT_STATUS_ENABLED;
	req.st.enabled = 1;
	req.st.pid = on ? getpid() : 0;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The first record of @type holding @needle, into @out; false: none. */
static bool audit_find(int fd, int type, const char *needle, char *out,
		       size_t size)
{
	char buf[4096];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct nlmsghdr *nh;
	ssize_t n;

	while (poll(&p, 1, 5000) > 0) {
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			return false;
		buf[n] = '\0';
		nh = (struct nlmsghdr *)buf;
		if (!NLMSG_OK(nh, (size_t)n) || nh->nlmsg_type != type)
			continue;
		if (strstr(NLMSG_DATA(nh), needle)) {
			snprintf(out, size, "%.*s", (int)(size - 1),
				 (char *)NLMSG_DATA(nh));
			return true;
		}
	}
	return false;
}

TEST_F(native, a_denial_reaches_the_audit_log_with_its_rule_and_policy)
{
	char rec[4096], want[64];
	int fd;

	fd = audit_listen(true);
	ASSERT_LE(0, fd);
	ASSERT_EQ(EACCES, vm_probe_open("clerk", RECORD, O_RDONLY));
	EXPECT_TRUE(audit_find(fd, ABAC_AUDIT_ACCESS, "op=read", rec,
			       sizeof(rec)));
	TH_LOG("%s", rec);
	EXPECT_NE(NULL, strstr(rec, "decision=deny reason=rule"));
	EXPECT_NE(NULL, strstr(rec, "rule=\"clerk-never-records\""));
	/* the sentence has spaces: audit writes it in hex */
	EXPECT_NE(NULL, strstr(rec, " sentence=436C65726B73"));
	EXPECT_NE(NULL, strstr(rec, "policy=\"vm-native\""));
	snprintf(want, sizeof(want), "hash=%s", status_value("content_hash"));
	EXPECT_NE(NULL, strstr(rec, want));
	EXPECT_NE(NULL, strstr(rec, "path=\"" RECORD "\""));
	EXPECT_NE(NULL, strstr(rec, "label=\"type=record\""));
	EXPECT_NE(NULL, strstr(rec, "cgroup=\"/abac-test/clerk\""));
	EXPECT_NE(NULL, strstr(rec, "subject=\"role=0x2\""));
	/* and a new image leaves a policy-load record */
	ASSERT_EQ(0, write_to("policy", self->img, self->len));
	EXPECT_TRUE(audit_find(fd, AUDIT_MAC_POLICY_LOAD, "lsm=abac", rec,
			       sizeof(rec)));
	TH_LOG("%s", rec);
	EXPECT_NE(NULL, strstr(rec, "res=1 policy=\"vm-native\""));
	close(fd);
	close(audit_listen(false));
}

TEST_HARNESS_MAIN
