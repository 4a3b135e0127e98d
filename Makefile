# SPDX-License-Identifier: GPL-2.0-only
#
# abac: build the BPF programs, libabac, the abac CLI and the abacd agent;
# run the tests (make check) and the demo (make demo); build a kernel with
# the native abac LSM (make kernel, see Documentation/native-lsm.rst).
#
# Everything is built under build/.  scripts/deps.sh installs the Debian
# packages this needs; check and demo call it first.

O		?= build
CC		?= gcc
CLANG		?= clang
BPFTOOL		?= bpftool
KSRC_TAR	?= /usr/src/linux-source-6.12.tar.xz
VMLINUX_BTF	?= /sys/kernel/btf/vmlinux

CFLAGS		?= -O2 -g
CFLAGS		+= -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
		   -D_GNU_SOURCE -std=gnu11 -I$(O) -Itools/lib
# What Debian's hardening=+all adds, for every build: make deb packages
# the programs of build/ as they are.
CFLAGS		+= -fstack-protector-strong -fstack-clash-protection -fcf-protection \
		   -D_FORTIFY_SOURCE=2
LDFLAGS		?= -Wl,-z,relro,-z,now
LDLIBS_LIB	:= -lyaml
LDLIBS_BPF	:= -lbpf -lelf -lz

LIB_SRCS	:= $(wildcard tools/lib/*.c)
LIB_OBJS	:= $(patsubst tools/lib/%.c,$(O)/lib/%.o,$(LIB_SRCS))
CLI_SRCS	:= $(wildcard tools/abac/*.c)
CLI_OBJS	:= $(patsubst tools/abac/%.c,$(O)/abac-cli/%.o,$(CLI_SRCS))
AGENT_SRCS	:= $(wildcard tools/abacd/*.c)
AGENT_OBJS	:= $(patsubst tools/abacd/%.c,$(O)/abacd-obj/%.o,$(AGENT_SRCS))
BENCH_SRCS	:= $(filter-out tools/bench/true.c,$(wildcard tools/bench/*.c))
BENCH_OBJS	:= $(patsubst tools/bench/%.c,$(O)/bench-obj/%.o,$(BENCH_SRCS))
BPF_SRCS	:= $(wildcard bpf/*.bpf.c)
BPF_OBJS	:= $(patsubst bpf/%.bpf.c,$(O)/bpf/%.bpf.o,$(BPF_SRCS))
BPF_SKELS	:= $(patsubst bpf/%.bpf.c,$(O)/bpf/%.skel.h,$(BPF_SRCS))
SHARED_HDRS	:= lsm/abac_abi.h lsm/abac_hash.h lsm/abac_decide.h lsm/abac_image_check.h \
		   tools/lib/libabac.h

HOST_TESTS	:= $(patsubst selftests/host/%.c,$(O)/selftests/host/%,$(wildcard selftests/host/*_test.c))
VM_TESTS	:= $(patsubst selftests/vm/%.c,$(O)/selftests/vm/%,$(wildcard selftests/vm/*_test.c))
KSFT		:= $(O)/ksft/kselftest_harness.h

.PHONY: all tests check check-host check-vm demo demo-analyst deps clean fuzz fuzz-build fuzz-cov-build fuzz-seeds bench bench-build kernel lint man install deb deb-test
.DELETE_ON_ERROR:
.SECONDARY:

all: $(O)/abac $(O)/abacd

deps:
	@scripts/deps.sh

# ---- BPF ------------------------------------------------------------------
$(O)/bpf/vmlinux.h:
	@mkdir -p $(@D)
	$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@

$(O)/bpf/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h) $(SHARED_HDRS) $(O)/bpf/vmlinux.h
	@mkdir -p $(@D)
	$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_x86 -I$(O)/bpf -Ibpf -Ilsm \
		-Wall -Wno-unused-function -c $< -o $@

$(O)/bpf/%.skel.h: $(O)/bpf/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@

# ---- user space -------------------------------------------------------------
$(O)/lib/%.o: tools/lib/%.c $(wildcard tools/lib/*.h) $(SHARED_HDRS) $(BPF_SKELS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(O)/libabac.a: $(LIB_OBJS)
	$(AR) rcs $@ $^

$(O)/abac-cli/%.o: tools/abac/%.c $(wildcard tools/abac/*.h) $(wildcard tools/lib/*.h) $(SHARED_HDRS) $(BPF_SKELS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itools/abac -I$(O)/bpf -c $< -o $@

$(O)/abacd-obj/%.o: tools/abacd/%.c $(wildcard tools/abacd/*.h) $(wildcard tools/lib/*.h) $(SHARED_HDRS) $(BPF_SKELS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itools/abacd -I$(O)/bpf -c $< -o $@

$(O)/bench-obj/%.o: tools/bench/%.c $(wildcard tools/bench/*.h) $(wildcard tools/lib/*.h) $(SHARED_HDRS) $(BPF_SKELS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itools/bench -c $< -o $@

$(O)/abac-bench: $(BENCH_OBJS) $(O)/libabac.a
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS_LIB) $(LDLIBS_BPF) -lpthread -lm

# abacd's event formatting timed on the host (no VM): every agent object
# but main.o, so that event_line() runs as abacd runs it.
$(O)/abacd-lines-bench: tools/bench/host/lines.c $(filter-out $(O)/abacd-obj/main.o,$(AGENT_OBJS)) \
		$(O)/libabac.a
	$(CC) $(CFLAGS) $(LDFLAGS) -Itools/abacd -I$(O)/bpf $^ -o $@ $(LDLIBS_LIB) $(LDLIBS_BPF)

# The exec workload's target: no C library, so exec itself is measured.
$(O)/bench-true: tools/bench/true.c
	$(CC) -O2 -static -nostdlib -fno-stack-protector -fno-pie -no-pie $< -o $@

$(O)/abac: $(CLI_OBJS) $(O)/libabac.a
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS_LIB) $(LDLIBS_BPF)

$(O)/abacd: $(AGENT_OBJS) $(O)/libabac.a
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS_LIB) $(LDLIBS_BPF)

# ---- tests ------------------------------------------------------------------
# The kselftest harness comes from Debian's linux-source-6.12, unpacked here.
$(KSFT):
	@mkdir -p $(@D)
	tar -xJf $(KSRC_TAR) -C $(@D) --strip-components=4 \
		linux-source-6.12/tools/testing/selftests/kselftest_harness.h \
		linux-source-6.12/tools/testing/selftests/kselftest.h
	@touch $@

$(O)/selftests/host/%: selftests/host/%.c $(wildcard selftests/*.h) $(O)/libabac.a $(KSFT)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(O)/ksft -Wno-clobbered -Iselftests $< $(O)/libabac.a -o $@ $(LDLIBS_LIB) $(LDLIBS_BPF)

# The benchmark's generator and statistics, tested on the host.
$(O)/selftests/host/bench_test: selftests/host/bench_test.c $(wildcard selftests/*.h tools/bench/*.h) \
		$(O)/bench-obj/gen.o $(O)/bench-obj/stats.o $(O)/bench-obj/table.o \
		$(O)/bench-obj/baseline.o $(O)/bench-obj/workload.o $(O)/libabac.a $(KSFT)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(O)/ksft -Wno-clobbered -Iselftests -Itools/bench $< \
		$(O)/bench-obj/gen.o $(O)/bench-obj/stats.o $(O)/bench-obj/table.o \
		$(O)/bench-obj/baseline.o $(O)/bench-obj/workload.o $(O)/libabac.a \
		-o $@ $(LDLIBS_LIB) $(LDLIBS_BPF)

# abacd's event lines, backlog and state copy, checked on the host against
# the agent's objects.
AGENT_HOST_TESTS := $(O)/selftests/host/events_test $(O)/selftests/host/backlog_test \
		    $(O)/selftests/host/state_test
$(AGENT_HOST_TESTS): $(O)/selftests/host/%: selftests/host/%.c $(wildcard selftests/*.h) \
		$(filter-out $(O)/abacd-obj/main.o,$(AGENT_OBJS)) $(O)/libabac.a $(KSFT)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(O)/ksft -Wno-clobbered -Iselftests -Itools/abacd -I$(O)/bpf $< \
		$(filter-out $(O)/abacd-obj/main.o,$(AGENT_OBJS)) $(O)/libabac.a \
		-o $@ $(LDLIBS_LIB) $(LDLIBS_BPF)

# abacd's outputs for a SIEM (syslog, OCSF, metrics), checked on the host.
$(O)/selftests/host/siem_test: selftests/host/siem_test.c $(wildcard selftests/*.h) \
		$(filter-out $(O)/abacd-obj/main.o,$(AGENT_OBJS)) $(O)/libabac.a $(KSFT)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(O)/ksft -Wno-clobbered -Iselftests -Itools/abacd -I$(O)/bpf $< \
		$(filter-out $(O)/abacd-obj/main.o,$(AGENT_OBJS)) $(O)/libabac.a \
		-o $@ $(LDLIBS_LIB) $(LDLIBS_BPF)

# abacd's directory watcher, on a temporary tree on the host.
$(O)/selftests/host/watch_test: selftests/host/watch_test.c $(wildcard selftests/*.h) \
		$(filter-out $(O)/abacd-obj/main.o,$(AGENT_OBJS)) $(O)/libabac.a $(KSFT)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(O)/ksft -Wno-clobbered -Iselftests -Itools/abacd -I$(O)/bpf $< \
		$(filter-out $(O)/abacd-obj/main.o,$(AGENT_OBJS)) $(O)/libabac.a \
		-o $@ $(LDLIBS_LIB) $(LDLIBS_BPF)

$(O)/selftests/vm/%: selftests/vm/%.c $(wildcard selftests/*.h selftests/vm/*.h) $(O)/libabac.a $(KSFT)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(O)/ksft -Wno-clobbered -Iselftests -Iselftests/vm $< $(O)/libabac.a -o $@ $(LDLIBS_LIB) $(LDLIBS_BPF)

# The packages deploy_test installs in the guest: this version and a
# newer one of the same tree, for the upgrade.
deb-test: all
	@mkdir -p $(O)/deb
	@scripts/build-deb.sh >$(O)/deb/build.log 2>&1 || { cat $(O)/deb/build.log; exit 1; }
	@scripts/build-deb.sh --version $$(dpkg-parsechangelog -l debian/changelog -S Version)+upgrade1 \
		>>$(O)/deb/build.log 2>&1 || { cat $(O)/deb/build.log; exit 1; }

# What the suite runs.  "make check" has scripts/run-tests.sh make it
# while the native kernel builds beside it.
tests: all $(HOST_TESTS) $(VM_TESTS) deb-test

check: deps
	@scripts/run-tests.sh --build $(O)

check-host: all $(HOST_TESTS)
	@scripts/run-tests.sh --host-only $(O)

# The native LSM (lsm/*.c) is built by Kbuild inside a kernel tree, not here.
kernel: deps
	@scripts/build-kernel.sh -j2

# checkpatch --strict and kernel-doc -Wall on lsm/, from the kernel tree
# "make kernel" unpacks.
lint: kernel
	@scripts/lint-kernel.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

# The analyst's session: who-can, draft, diff, replay, suggest, test.
demo-analyst: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo-analyst.sh

# ---- fuzzing ----------------------------------------------------------------
# libFuzzer harnesses (selftests/fuzz/), built with clang and the address
# and undefined-behaviour sanitizers; "make fuzz" runs each for FUZZ_RUNS
# inputs from its checked-in seed corpus.  See Documentation/fuzzing.rst.
FUZZ_RUNS	?= 1000000
FUZZ_SAN	:= -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS	:= -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN) -Wall \
		   -Wno-unused-parameter -D_GNU_SOURCE -std=gnu11 -Itools/lib
FUZZ_LIB	:= policy bindings yaml_tree schema relations rules grants networks layers attr compile index \
		   image explain diag util ctl values kube
FUZZ_LIB_OBJS	:= $(patsubst %,$(O)/fuzz/obj/%.o,$(FUZZ_LIB)) $(O)/fuzz/obj/jline.o
FUZZERS		:= $(patsubst selftests/fuzz/%.c,$(O)/fuzz/%,$(wildcard selftests/fuzz/fuzz_*.c))

$(O)/fuzz/obj/%.o: tools/lib/%.c $(wildcard tools/lib/*.h) $(SHARED_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(O)/fuzz/obj/jline.o: tools/abacd/jline.c $(wildcard tools/abacd/*.h) $(SHARED_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -Itools/abacd -c $< -o $@

$(O)/fuzz/fuzz_%: selftests/fuzz/fuzz_%.c $(wildcard selftests/fuzz/*.h) $(FUZZ_LIB_OBJS)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Iselftests/fuzz $< $(FUZZ_LIB_OBJS) -o $@ $(LDLIBS_LIB)

$(O)/fuzz/mkseeds: selftests/fuzz/mkseeds.c selftests/fuzz/fuzz_tags.h $(O)/libabac.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iselftests/fuzz $< $(O)/libabac.a -o $@ $(LDLIBS_LIB)

fuzz-build: $(FUZZERS)

# The same harnesses with source coverage, to replay a corpus and count
# the lines of libabac it reaches (scripts/fuzz.sh --coverage).
COV_CFLAGS	:= -g -O0 -fprofile-instr-generate -fcoverage-mapping -Wall \
		   -Wno-unused-parameter -D_GNU_SOURCE -std=gnu11 -Itools/lib
COV_LIB_OBJS	:= $(patsubst %,$(O)/fuzz-cov/obj/%.o,$(FUZZ_LIB)) $(O)/fuzz-cov/obj/jline.o
COV_FUZZERS	:= $(patsubst selftests/fuzz/%.c,$(O)/fuzz-cov/%,$(wildcard selftests/fuzz/fuzz_*.c))

$(O)/fuzz-cov/obj/%.o: tools/lib/%.c $(wildcard tools/lib/*.h) $(SHARED_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(COV_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(O)/fuzz-cov/obj/jline.o: tools/abacd/jline.c $(wildcard tools/abacd/*.h) $(SHARED_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(COV_CFLAGS) -fsanitize=fuzzer-no-link -Itools/abacd -c $< -o $@

$(O)/fuzz-cov/fuzz_%: selftests/fuzz/fuzz_%.c $(wildcard selftests/fuzz/*.h) $(COV_LIB_OBJS)
	$(CLANG) $(COV_CFLAGS) -fsanitize=fuzzer -Iselftests/fuzz $< $(COV_LIB_OBJS) -o $@ $(LDLIBS_LIB)

fuzz-cov-build: $(COV_FUZZERS)

# Refresh the image seeds after a change of the image format.
fuzz-seeds: $(O)/fuzz/mkseeds
	rm -f selftests/fuzz/corpus/image/*.img
	$(O)/fuzz/mkseeds selftests/fuzz/corpus/image selftests/fuzz/corpus/policy/*.yaml \
		policy-examples/hospital.yaml+selftests/fuzz/layers/hospital-lower.yaml

fuzz: deps
	@$(MAKE) --no-print-directory fuzz-build
	@scripts/fuzz.sh --runs $(FUZZ_RUNS) $(O)

# The benchmark: long (tens of minutes), so not part of check.
# See Documentation/performance.rst.
bench-build: all $(O)/abac-bench $(O)/bench-true

bench: deps
	@$(MAKE) --no-print-directory bench-build
	@scripts/bench.sh

# ---- install and package ----------------------------------------------------
# make install [DESTDIR=...] [PREFIX=/usr/local]: the programs in sbin,
# the man pages built from Documentation/man/*.rst (rst2man, Debian's
# python3-docutils), bash completion, the example policies, the systemd
# unit, tmpfiles.d and sysusers.d entries and the logrotate file.  The
# Debian package (make deb) installs with PREFIX=/usr.
# See Documentation/deployment.rst.
PREFIX		?= /usr/local
SBINDIR		?= $(PREFIX)/sbin
MANDIR		?= $(PREFIX)/share/man
DATADIR		?= $(PREFIX)/share
SYSCONFDIR	?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
UNITDIR		?= $(PREFIX)/lib/systemd/system
TMPFILESDIR	?= $(PREFIX)/lib/tmpfiles.d
SYSUSERSDIR	?= $(PREFIX)/lib/sysusers.d
RST2MAN		?= rst2man
MAN_PAGES	:= $(patsubst Documentation/man/%.rst,$(O)/man/%,$(filter-out %/abac-bench.8.rst,$(wildcard Documentation/man/*.rst)))
INSTALL		?= install

$(O)/man/%: Documentation/man/%.rst
	@mkdir -p $(@D)
	$(RST2MAN) --exit-status=2 --report=2 $< $@

man: $(MAN_PAGES)

install: all man
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(DATADIR)/bash-completion/completions \
		$(DESTDIR)$(DATADIR)/abac/examples $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(SYSUSERSDIR) \
		$(DESTDIR)$(SYSCONFDIR)/logrotate.d $(DESTDIR)$(SYSCONFDIR)/default \
		$(DESTDIR)$(SYSCONFDIR)/abac
	$(INSTALL) -m 755 $(O)/abac $(O)/abacd $(DESTDIR)$(SBINDIR)/
	$(INSTALL) -m 644 $(MAN_PAGES) $(DESTDIR)$(MANDIR)/man8/
	$(INSTALL) -m 644 scripts/abac-completion.bash \
		$(DESTDIR)$(DATADIR)/bash-completion/completions/abac
	$(INSTALL) -m 644 policy-examples/*.yaml $(DESTDIR)$(DATADIR)/abac/examples/
	sed -e 's|/usr/sbin/abacd|$(SBINDIR)/abacd|' \
	    -e 's|/etc/default/abacd|$(SYSCONFDIR)/default/abacd|' \
	    -e 's|/etc/abac/|$(SYSCONFDIR)/abac/|' scripts/deploy/abacd.service \
		> $(DESTDIR)$(UNITDIR)/abacd.service
	chmod 644 $(DESTDIR)$(UNITDIR)/abacd.service
	$(INSTALL) -m 644 scripts/deploy/abac.tmpfiles $(DESTDIR)$(TMPFILESDIR)/abac.conf
	$(INSTALL) -m 644 scripts/deploy/abac.sysusers $(DESTDIR)$(SYSUSERSDIR)/abac.conf
	$(INSTALL) -m 644 scripts/deploy/abacd.logrotate $(DESTDIR)$(SYSCONFDIR)/logrotate.d/abacd
	$(INSTALL) -m 644 scripts/deploy/abacd.default $(DESTDIR)$(SYSCONFDIR)/default/abacd

# The Debian package, built with Debian's dpkg-buildpackage and debhelper
# from debian/; the .deb lands in build/deb/.
deb: deps
	@scripts/build-deb.sh

clean:
	rm -rf $(O)
