// SPDX-License-Identifier: GPL-2.0-only
/*
 * The native abac LSM (lsm/, built into the kernel by
 * scripts/build-kernel.sh), on its real file_open hook in the guest that
 * scripts/vmtest.sh --kernel build/kernel/bzImage --suite native boots.
 * abacd finds no BPF-LSM there and puts its images in through
 * /sys/kernel/security/abac/policy; the tests then check the decisions,
 * the fail-closed cases, the refusal of bad images with the old one kept,
 * the denial records, and that the kernel decides as the shared decision
 * core does on a whole matrix of subjects, labels and open modes.
 */
#include "kselftest_harness.h"
#include "vm_common.h"
#include "matrix.h"
#include "native.h"

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
	"    object: {type: record}\n"
	"  - id: staff-read-invoices\n"
	"    nlp: \"Nurses and clerks may read invoices.\"\n"
	"    effect: allow\n"
	"    ops: [read]\n"
	"    subject: {role: [nurse, clerk]}\n"
	"    object: {type: invoice}\n";

#define RECORD	TEST_DIR "/record.txt"
#define INVOICE	TEST_DIR "/invoice.txt"
#define PLAIN	TEST_DIR "/plain.txt"

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

/* write() of @len bytes of @img to the policy file: 0 or the errno. */
static int write_policy(const void *img, size_t len)
{
	int fd = open(ABAC_NATIVE_POLICY, O_WRONLY);
	ssize_t n;
	int err;

	if (fd < 0)
		return errno;
	n = write(fd, img, len);
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
	ASSERT_EQ(0, access(ABAC_NATIVE_POLICY, F_OK))
		TH_LOG("no native abac LSM: boot build/kernel/bzImage");
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_apply("base", base_policy));
	ASSERT_EQ(0, vm_mkfile(RECORD, "heart patient\n", "type=record"));
	ASSERT_EQ(0, vm_mkfile(INVOICE, "invoice 42\n", "type=invoice"));
	ASSERT_EQ(0, vm_mkfile(PLAIN, "nothing\n", NULL));
	ASSERT_EQ(0, vm_tag("nurse", "role=nurse"));
	ASSERT_EQ(0, vm_tag("clerk", "role=clerk"));
	ASSERT_EQ(0, abac_native_get_image(&self->img, &self->len));
}

FIXTURE_TEARDOWN(native)
{
	free(self->img);
}

TEST_F(native, the_lsm_is_active_and_bpf_lsm_is_not)
{
	ASSERT_TRUE(abac_lsm_active("abac"));
	ASSERT_FALSE(abac_lsm_active("bpf"));
	ASSERT_STREQ("vm-native", status_value("policy"));
	ASSERT_STREQ("enforce", status_value("mode"));
}

TEST_F(native, abacd_put_the_image_it_built_into_the_kernel)
{
	struct abac_diags d;

	abac_diags_init(&d);
	ASSERT_EQ(0, abac_image_check(self->img, self->len, &d));
	abac_diags_free(&d);
	/* both tags are in it: the agent rebuilt and reloaded per tag */
	ASSERT_NE(0U, ((const struct abac_image_hdr *)self->img)->subj_size);
	ASSERT_NE(0U, ((const struct abac_image_hdr *)self->img)->generation);
}

TEST_F(native, tagged_subject_is_allowed_by_an_allow_rule)
{
	ASSERT_EQ(0, vm_probe_open("nurse", RECORD, O_RDONLY));
	ASSERT_EQ(0, vm_probe_open("clerk", INVOICE, O_RDONLY));
}

TEST_F(native, tagged_subject_is_denied_by_a_deny_rule_and_the_event_says_why)
{
	ASSERT_EQ(EACCES, vm_probe_open("clerk", RECORD, O_RDONLY));
	ASSERT_TRUE(vm_log_has("\"clerk-never-records\"",
			       "Clerks may never open patient records.",
			       10000));
	ASSERT_TRUE(vm_log_has("\"path\":\"" RECORD "\"", "\"op\":\"read\"",
			       10000));
	ASSERT_EQ(0, vm_sh("dmesg | grep -q 'abac: denied read of " RECORD
			   ".*clerk-never-records'"));
}

TEST_F(native, write_is_decided_from_the_open_mode)
{
	ASSERT_EQ(0, vm_probe_open("nurse", RECORD, O_RDONLY));
	ASSERT_EQ(EACCES, vm_probe_open("nurse", RECORD, O_WRONLY));
	ASSERT_EQ(EACCES, vm_probe_open("nurse", RECORD, O_RDWR));
	ASSERT_TRUE(vm_log_has("\"op\":\"write\"", "\"reason\":\"default\"",
			       10000));
}

TEST_F(native, tagged_subject_without_a_matching_rule_gets_the_default)
{
	ASSERT_EQ(0, vm_tag("auditor", "role=auditor"));
	ASSERT_EQ(EACCES, vm_probe_open("auditor", INVOICE, O_RDONLY));
}

TEST_F(native, untagged_process_is_untouched)
{
	ASSERT_EQ(0, vm_probe_open(NULL, RECORD, O_RDONLY));
	ASSERT_EQ(0, vm_probe_open(NULL, RECORD, O_RDWR));
}

TEST_F(native, unlabelled_file_is_untouched)
{
	ASSERT_EQ(0, vm_probe_open("clerk", PLAIN, O_RDONLY));
	ASSERT_EQ(0, vm_probe_open("clerk", PLAIN, O_RDWR));
}

TEST_F(native, child_cgroup_inherits_the_tags_of_its_nearest_tagged_ancestor)
{
	ASSERT_EQ(0, vm_mkcg("clerk/desk"));
	ASSERT_EQ(EACCES, vm_probe_open("clerk/desk", RECORD, O_RDONLY));
	ASSERT_EQ(0, vm_probe_open("clerk/desk", INVOICE, O_RDONLY));
}

TEST_F(native, malformed_or_unknown_label_fails_closed_for_tagged_subjects)
{
	char big[ABAC_LABEL_MAX + 32];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "type=", 5);
	ASSERT_EQ(0, vm_mkfile(TEST_DIR "/bad1", "x\n", "type=recrod"));
	ASSERT_EQ(0, vm_mkfile(TEST_DIR "/bad2", "x\n", "type"));
	ASSERT_EQ(0, vm_mkfile(TEST_DIR "/bad3", "x\n", "colour=blue"));
	ASSERT_EQ(0, vm_mkfile(TEST_DIR "/bad4", "x\n", big));	/* too long */
	ASSERT_EQ(EACCES, vm_probe_open("nurse", TEST_DIR "/bad1", O_RDONLY));
	ASSERT_EQ(EACCES, vm_probe_open("nurse", TEST_DIR "/bad2", O_RDONLY));
	ASSERT_EQ(EACCES, vm_probe_open("nurse", TEST_DIR "/bad3", O_RDONLY));
	ASSERT_EQ(EACCES, vm_probe_open("nurse", TEST_DIR "/bad4", O_RDONLY));
	ASSERT_TRUE(vm_log_has("\"reason\":\"bad-label\"", TEST_DIR "/bad1",
			       10000));
	ASSERT_EQ(0, vm_probe_open(NULL, TEST_DIR "/bad1", O_RDONLY));
}

TEST_F(native, retagging_and_relabelling_change_the_very_next_decision)
{
	ASSERT_EQ(EACCES, vm_probe_open("clerk", RECORD, O_RDONLY));
	ASSERT_EQ(0, vm_tag("clerk", "role=nurse"));
	ASSERT_EQ(0, vm_probe_open("clerk", RECORD, O_RDONLY));
	ASSERT_EQ(0, vm_tag("clerk", "role=clerk"));
	ASSERT_EQ(EACCES, vm_probe_open("clerk", RECORD, O_RDONLY));
	ASSERT_EQ(0, vm_label(RECORD, "type=invoice"));
	ASSERT_EQ(0, vm_probe_open("clerk", RECORD, O_RDONLY));
}

TEST_F(native, audit_mode_allows_and_records_the_would_be_denial)
{
	char audit[sizeof(base_policy) + 64];
	char *p;

	snprintf(audit, sizeof(audit), "%s", base_policy);
	p = strstr(audit, "mode: enforce");
	ASSERT_NE(NULL, p);
	memcpy(p, "mode: audit  ", 13);
	ASSERT_EQ(0, vm_apply("audit", audit));
	ASSERT_STREQ("audit", status_value("mode"));
	ASSERT_EQ(0, vm_probe_open("clerk", RECORD, O_RDONLY));
	ASSERT_TRUE(vm_log_has("\"decision\":\"audit\"",
			       "clerk-never-records", 10000));
}

TEST_F(native, bad_images_are_refused_and_the_old_one_stays_in_force)
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
	EXPECT_EQ(EBADMSG, write_policy(bad, self->len));
	EXPECT_NE(NULL, strstr(status_value("last_error"), "content hash"));

	/* a bad field with a correct hash: the validator's other checks */
	memcpy(bad, self->img, self->len);
	h->mode = 7;
	h->content_hash = abac_image_hash(bad, self->len);
	EXPECT_EQ(EINVAL, write_policy(bad, self->len));
	EXPECT_STREQ("unknown mode 7", status_value("last_error"));

	memcpy(bad, self->img, self->len);
	h->rules_off = h->total_records;
	h->content_hash = abac_image_hash(bad, self->len);
	EXPECT_EQ(EINVAL, write_policy(bad, self->len));

	/* truncated, wrong magic, too big to be an image */
	EXPECT_EQ(EINVAL, write_policy(self->img, self->len - ABAC_REC_SIZE));
	EXPECT_EQ(EINVAL, write_policy(self->img, 5));
	memcpy(bad, self->img, self->len);
	h->magic ^= 1;
	EXPECT_EQ(EPROTO, write_policy(bad, self->len));
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
	ASSERT_EQ(0, write_policy(self->img, self->len));
	ASSERT_EQ(EACCES, vm_probe_open("clerk", RECORD, O_RDONLY));
}

TEST_F(native, a_policy_the_compiler_rejects_never_reaches_the_kernel)
{
	char out[4096];

	ASSERT_EQ(0, vm_write_file(TEST_DIR "/typo.yaml",
		"version: 1\n"
		"name: typo\n"
		"attributes:\n"
		"  subject:\n"
		"    role: {type: string, values: [nurse, clerk]}\n"
		"  object:\n"
		"    type: {type: string, values: [record]}\n"
		"rules:\n"
		"  - id: r\n"
		"    nlp: \"Clerks may read records.\"\n"
		"    effect: allow\n"
		"    ops: [read]\n"
		"    subject: {role: clerc}\n"
		"    object: {type: record}\n"));
	ASSERT_EQ(1, vm_sh_out(out, sizeof(out),
			       "abac policy apply " TEST_DIR "/typo.yaml"));
	ASSERT_NE(NULL, strstr(out, "typo.yaml:13:")) TH_LOG("%s", out);
	ASSERT_STREQ("vm-native", status_value("policy"));
	ASSERT_EQ(EACCES, vm_probe_open("clerk", RECORD, O_RDONLY));
}

TEST_F(native, only_cap_mac_admin_may_write_a_policy)
{
	pid_t pid;
	int st;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* the file is 0600 root: open it first, then drop root */
		int fd = open(ABAC_NATIVE_POLICY, O_WRONLY);

		if (fd < 0 || setgid(65534) || setuid(65534))
			_exit(2);
		_exit(write(fd, self->img, self->len) < 0 && errno == EPERM ?
		      0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	ASSERT_EQ(0, WEXITSTATUS(st));
}

TEST_F_TIMEOUT(native, the_kernel_decides_as_the_shared_core_on_a_whole_matrix, 300)
{
	struct matrix_tally t;
	void *img;
	size_t len;

	ASSERT_EQ(0, matrix_setup());
	ASSERT_EQ(0, abac_native_get_image(&img, &len));
	ASSERT_EQ(0, matrix_run(img, len, &t));
	free(img);
	matrix_untag_all();
	TH_LOG("%u opens: %u allowed, %u denied, %u mismatches", t.opens,
	       t.allowed, t.denied, t.mismatches);
	ASSERT_EQ(0U, t.mismatches);
	ASSERT_EQ((unsigned int)(MATRIX_NSUBJ * MATRIX_NLABEL * MATRIX_NMODE), t.opens);
	/* not a trivial matrix: both outcomes occur, and nothing else */
	ASSERT_LT(20U, t.allowed);
	ASSERT_LT(20U, t.denied);
	ASSERT_EQ(t.opens, t.allowed + t.denied);
}

TEST_HARNESS_MAIN
