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
LDLIBS_LIB	:= -lyaml
LDLIBS_BPF	:= -lbpf -lelf -lz

LIB_SRCS	:= $(wildcard tools/lib/*.c)
LIB_OBJS	:= $(patsubst tools/lib/%.c,$(O)/lib/%.o,$(LIB_SRCS))
CLI_SRCS	:= $(wildcard tools/abac/*.c)
CLI_OBJS	:= $(patsubst tools/abac/%.c,$(O)/abac-cli/%.o,$(CLI_SRCS))
AGENT_SRCS	:= $(wildcard tools/abacd/*.c)
AGENT_OBJS	:= $(patsubst tools/abacd/%.c,$(O)/abacd-obj/%.o,$(AGENT_SRCS))
BPF_SRCS	:= $(wildcard bpf/*.bpf.c)
BPF_OBJS	:= $(patsubst bpf/%.bpf.c,$(O)/bpf/%.bpf.o,$(BPF_SRCS))
BPF_SKELS	:= $(patsubst bpf/%.bpf.c,$(O)/bpf/%.skel.h,$(BPF_SRCS))
SHARED_HDRS	:= lsm/abac_abi.h lsm/abac_decide.h tools/lib/libabac.h

HOST_TESTS	:= $(patsubst selftests/host/%.c,$(O)/selftests/host/%,$(wildcard selftests/host/*_test.c))
VM_TESTS	:= $(patsubst selftests/vm/%.c,$(O)/selftests/vm/%,$(wildcard selftests/vm/*_test.c))
KSFT		:= $(O)/ksft/kselftest_harness.h

.PHONY: all check check-host check-vm demo deps clean kernel
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

$(O)/abac-cli/%.o: tools/abac/%.c $(wildcard tools/abac/*.h) $(SHARED_HDRS) $(BPF_SKELS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itools/abac -I$(O)/bpf -c $< -o $@

$(O)/abacd-obj/%.o: tools/abacd/%.c $(wildcard tools/abacd/*.h) $(SHARED_HDRS) $(BPF_SKELS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itools/abacd -I$(O)/bpf -c $< -o $@

$(O)/abac: $(CLI_OBJS) $(O)/libabac.a
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS_LIB) $(LDLIBS_BPF)

$(O)/abacd: $(AGENT_OBJS) $(O)/libabac.a
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS_LIB) $(LDLIBS_BPF)

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

$(O)/selftests/vm/%: selftests/vm/%.c $(wildcard selftests/*.h selftests/vm/*.h) $(O)/libabac.a $(KSFT)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(O)/ksft -Wno-clobbered -Iselftests -Iselftests/vm $< $(O)/libabac.a -o $@ $(LDLIBS_LIB) $(LDLIBS_BPF)

check: deps
	@$(MAKE) --no-print-directory all $(HOST_TESTS) $(VM_TESTS)
	@scripts/run-tests.sh $(O)

check-host: all $(HOST_TESTS)
	@scripts/run-tests.sh --host-only $(O)

# The native LSM (lsm/*.c) is built by Kbuild inside a kernel tree, not here.
kernel: deps
	@scripts/build-kernel.sh -j2

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

clean:
	rm -rf $(O)
