// SPDX-License-Identifier: GPL-2.0-only
/*
 * Open sets in labels on the real hook (Documentation/scale.rst, *Open
 * sets in labels*): a record labelled with 64 patients, names with
 * spaces and non-ASCII letters among them, is read by the physician who
 * is one of them and refused to one who is not; intersects and subset
 * between a label's set and a subject's, both ways; a directory's set
 * applies to the files below it; a relabel by a tagged subject without a
 * rule is refused, and a relabel that takes the subject's member away
 * refuses the very next read (the decision cache is not stale).
 */
#include <sys/xattr.h>
#include <bpf/bpf.h>

#include "kselftest_harness.h"
#include "libabac.h"
#include "vm_common.h"

#define ZOE		"Zo\xc3\xab M\xc3\xbcller"	/* Zoë Müller */
#define REC		TEST_DIR "/rec.txt"
#define WARD		TEST_DIR "/ward.txt"
#define NEEDS		TEST_DIR "/needs.txt"
#define DIR_		TEST_DIR "/ward7"
#define DIR_FILE	DIR_ "/chart.txt"

static const char lsets_policy[] =
	"version: 1\n"
	"name: vm-lsets\n"
	"mode: enforce\n"
	"default: deny\n"
	"attributes:\n"
	"  subject:\n"
	"    role: {type: string, values: [physician, clerk]}\n"
	"    me: {type: string, open: true}\n"
	"    wards: {type: set, open: true}\n"
	"    grants: {type: set, open: true}\n"
	"  object:\n"
	"    type: {type: string, values: [record, form]}\n"
	"    patients: {type: set, open: true}\n"
	"    wards: {type: set, open: true}\n"
	"    needs: {type: set, open: true}\n"
	"rules:\n"
	"  - id: patients-own-records\n"
	"    nlp: \"A physician reads the records of the patients listed on them.\"\n"
	"    effect: allow\n"
	"    ops: [read]\n"
	"    subject: {role: physician}\n"
	"    object: {type: record}\n"
	"    where: [\"subject.me in object.patients\"]\n"
	"  - id: ward-staff-write\n"
	"    nlp: \"Staff of a ward a record names may write it.\"\n"
	"    effect: allow\n"
	"    ops: [write]\n"
	"    object: {type: record}\n"
	"    where: [\"object.wards intersects subject.wards\"]\n"
	"  - id: forms-need-grants\n"
	"    nlp: \"A clerk reads a form whose needs are all granted to them.\"\n"
	"    effect: allow\n"
	"    ops: [read]\n"
	"    subject: {role: clerk}\n"
	"    object: {type: form}\n"
	"    where: [\"object.needs subset subject.grants\"]\n"
	"  - id: forms-cover-grants\n"
	"    nlp: \"A clerk writes a form that needs every grant they hold.\"\n"
	"    effect: allow\n"
	"    ops: [write]\n"
	"    subject: {role: clerk}\n"
	"    object: {type: form}\n"
	"    where: [\"subject.grants subset object.needs\"]\n";

/* "type=record;patients=P-00,...,P-62,Zoë Müller" */
static char *patients_label(void)
{
	static char buf[1024];
	size_t o;
	unsigned int i;

	o = snprintf(buf, sizeof(buf), "type=record;patients=");
	for (i = 0; i < 62; i++)
		o += snprintf(buf + o, sizeof(buf) - o, "P-%02u,", i);
	snprintf(buf + o, sizeof(buf) - o, "Bed 3 / A\\,B," ZOE);
	return buf;
}

FIXTURE(lsets) {
	int unused;
};

FIXTURE_SETUP(lsets)
{
	ASSERT_EQ(0, vm_setup());
	ASSERT_EQ(0, vm_apply("lsets", lsets_policy));
	ASSERT_EQ(0, vm_mkfile(REC, "chart\n", patients_label()));
	ASSERT_EQ(0, vm_mkfile(WARD, "rota\n",
			       "type=record;wards=Ward 7,east,north"));
	ASSERT_EQ(0, vm_mkfile(NEEDS, "form\n", "type=form;needs=g1,g3"));
	mkdir(DIR_, 0755);
	ASSERT_EQ(0, vm_label(DIR_, "type=record;patients=P-77," ZOE));
	ASSERT_EQ(0, vm_mkfile(DIR_FILE, "chart\n", NULL));
	ASSERT_EQ(0, vm_tag("zoe", "role=physician 'me=" ZOE "'"
			    " 'wards=Ward 7'"));
	ASSERT_EQ(0, vm_tag("zoe2", "role=physician 'me=Zoe Muller'"
			    " wards=south"));
	ASSERT_EQ(0, vm_tag("clerk", "role=clerk me=x grants=g1,g2,g3"));
	ASSERT_EQ(0, vm_tag("clerk2", "role=clerk me=y grants=g1"));
}

FIXTURE_TEARDOWN(lsets)
{
	vm_untag("zoe");
	vm_untag("zoe2");
	vm_untag("clerk");
	vm_untag("clerk2");
}

TEST_F(lsets, a_member_of_64_reads_and_another_is_refused)
{
	EXPECT_EQ(0, vm_probe_open("zoe", REC, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("zoe2", REC, O_RDONLY));
	/* write: no ward on the record, the relation is indeterminate */
	EXPECT_EQ(EACCES, vm_probe_open("zoe", REC, O_WRONLY));
}

TEST_F(lsets, intersects_and_subset_both_ways)
{
	EXPECT_EQ(0, vm_probe_open("zoe", WARD, O_WRONLY));
	EXPECT_EQ(EACCES, vm_probe_open("zoe2", WARD, O_WRONLY));
	/* the form's needs {g1, g3} within the grants */
	EXPECT_EQ(0, vm_probe_open("clerk", NEEDS, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("clerk2", NEEDS, O_RDONLY));
	/* the grants within the form's needs */
	EXPECT_EQ(EACCES, vm_probe_open("clerk", NEEDS, O_WRONLY));
	EXPECT_EQ(0, vm_probe_open("clerk2", NEEDS, O_WRONLY));
}

TEST_F(lsets, a_directory_set_applies_to_its_files)
{
	EXPECT_EQ(0, vm_probe_open("zoe", DIR_FILE, O_RDONLY));
	EXPECT_EQ(EACCES, vm_probe_open("zoe2", DIR_FILE, O_RDONLY));
}

static int try_relabel(const void *arg)
{
	const char *l = arg;

	return vm_rc(setxattr(REC, "user.abac", l, strlen(l), 0));
}

TEST_F(lsets, a_relabel_is_decided_and_removing_the_member_refuses_at_once)
{
	static const char fewer[] = "type=record;patients=P-01,P-02";

	/* cached allow first */
	ASSERT_EQ(0, vm_probe_open("zoe", REC, O_RDONLY));
	ASSERT_EQ(0, vm_probe_open("zoe", REC, O_RDONLY));
	/* no rule allows the physician to relabel */
	EXPECT_EQ(EACCES, vm_in_cg("zoe", try_relabel, fewer));
	EXPECT_EQ(0, vm_probe_open("zoe", REC, O_RDONLY));
	/* the owner (untagged) takes Zoë off the list: refused at once */
	ASSERT_EQ(0, vm_label(REC, fewer));
	EXPECT_EQ(EACCES, vm_probe_open("zoe", REC, O_RDONLY));
	/* and back on: allowed at once */
	ASSERT_EQ(0, vm_label(REC, patients_label()));
	EXPECT_EQ(0, vm_probe_open("zoe", REC, O_RDONLY));
}

#define COST_FILES	200
#define FILE_OPEN_LINK	"/sys/fs/bpf/abac/link_hook_file_open"

/* Run count and run time of the program behind pinned link @pin. */
static int prog_stats(const char *pin, __u64 *cnt, __u64 *ns)
{
	struct bpf_link_info li = { 0 };
	struct bpf_prog_info pi = { 0 };
	__u32 len = sizeof(li);
	int lfd = bpf_obj_get(pin), pfd, err = -1;

	if (lfd < 0)
		return -1;
	if (!bpf_obj_get_info_by_fd(lfd, &li, &len)) {
		pfd = bpf_prog_get_fd_by_id(li.prog_id);
		len = sizeof(pi);
		if (pfd >= 0 && !bpf_obj_get_info_by_fd(pfd, &pi, &len)) {
			*cnt = pi.run_cnt;
			*ns = pi.run_time_ns;
			err = 0;
		}
		if (pfd >= 0)
			close(pfd);
	}
	close(lfd);
	return err;
}

/* First opens of files @pre* from cgroup @cg: the mean ns of a run. */
static double open_cost(const char *cg, const char *pre)
{
	__u64 c0, n0, c1 = 0, n1 = 0;
	int st;

	if (prog_stats(FILE_OPEN_LINK, &c0, &n0))
		return -1;
	st = vm_sh("sh -c 'echo $$ > " TEST_CG_ROOT "/%s/cgroup.procs &&"
		   " for f in " TEST_DIR "/%s*; do read -r x < $f; done"
		   " 2>/dev/null; true'", cg, pre);
	if (st || prog_stats(FILE_OPEN_LINK, &c1, &n1) ||
	    c1 - c0 < COST_FILES)
		return -1;
	return (double)(n1 - n0) / (double)(c1 - c0);
}

/*
 * What a label's set costs on the real hook: hook_file_open's mean run
 * time (bpf_stats) over COST_FILES first opens (each reads and parses
 * the label and decides), by the listed physician, of records listing
 * one patient and of records listing 64 (the physician among them).
 * Both are allowed; the second parses 64 members and searches them.
 */
TEST_F(lsets, what_64_members_cost_against_one)
{
	char path[PATH_MAX], *l64 = patients_label();
	double one, big;
	unsigned int i;
	int stats_fd;

	if (vm_backend() == VM_NATIVE)
		SKIP(return, "bpf_stats measure the BPF programs");
	for (i = 0; i < COST_FILES; i++) {
		snprintf(path, sizeof(path), TEST_DIR "/a%03u", i);
		ASSERT_EQ(0, vm_mkfile(path, "x\n",
				       "type=record;patients=" ZOE));
		snprintf(path, sizeof(path), TEST_DIR "/b%03u", i);
		ASSERT_EQ(0, vm_mkfile(path, "x\n", l64));
	}
	ASSERT_EQ(0, vm_probe_open("zoe", TEST_DIR "/a000", O_RDONLY));
	ASSERT_EQ(0, vm_probe_open("zoe", TEST_DIR "/b000", O_RDONLY));
	stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	ASSERT_LE(0, stats_fd);
	one = open_cost("zoe", "a");
	big = open_cost("zoe", "b");
	close(stats_fd);
	TH_LOG("hook_file_open, mean of %u first opens: 1 member %.0f ns, 64 members %.0f ns (x%.2f)",
	       COST_FILES, one, big, big / one);
	EXPECT_LT(0, one);
	EXPECT_LT(0, big);
}

TEST_HARNESS_MAIN
