#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run abac's libFuzzer harnesses, each for a bounded number of inputs.
#
#   scripts/fuzz.sh [--runs N] [--coverage] [BUILD_DIR] [NAME...]
#
# NAME is policy, image, ctl or podlist (build/fuzz/fuzz_NAME); all four when
# none is given.  Each starts from its checked-in seed corpus
# (selftests/fuzz/corpus/NAME, read only) plus what earlier runs kept in
# BUILD_DIR/fuzz/corpus-NAME, with a one-input time limit, a memory
# limit and leak detection.  A crash, a leak, a sanitizer report, a
# timeout or an out-of-memory stops that fuzzer; its input is saved in
# BUILD_DIR/fuzz/artifacts/ and the script fails.  Logs are kept in
# BUILD_DIR/fuzz/logs/.  The closing lines give runs, exec/s and
# coverage per fuzzer, the figures Documentation/fuzzing.rst records.
#
# --coverage then replays every corpus through the harnesses built with
# source coverage (make fuzz-cov-build) and prints llvm-cov's report of
# the lines of libabac, abacd's event-line reader and the decision core
# that the corpora reach.  --runs 0 replays without fuzzing.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
runs=1000000
coverage=0
O=build
while [ $# -gt 0 ]; do
	case "$1" in
	--runs) runs=$2; shift 2 ;;
	--coverage) coverage=1; shift ;;
	--) shift; break ;;
	-*) echo "usage: $0 [--runs N] [--coverage] [BUILD_DIR] [NAME...]" >&2
	    exit 2 ;;
	*) break ;;
	esac
done
if [ $# -gt 0 ] && [ -d "$1" ]; then
	O=$1
	shift
fi
case "$O" in /*) ;; *) O="$top/$O" ;; esac
names=("$@")
[ ${#names[@]} -eq 0 ] && names=(policy image ctl podlist)

# One input may take FUZZ_TIMEOUT seconds of wall time (a hang is a bug).
# libFuzzer measures wall time: on a machine shared with builds and VMs,
# a starved process can stall longer than any input takes; raise it there.
TIMEOUT_S=${FUZZ_TIMEOUT:-10}
RSS_MB=2048		# the whole process, sanitizer quarantine included
MAX_LEN=16384		# bytes of one input

mkdir -p "$O/fuzz/logs" "$O/fuzz/artifacts"
summary=()
failed=0

for name in "${names[@]}"; do
	bin="$O/fuzz/fuzz_$name"
	seeds="$top/selftests/fuzz/corpus/$name"
	work="$O/fuzz/corpus-$name"
	log="$O/fuzz/logs/$name.log"
	dict=()
	[ -f "$top/selftests/fuzz/$name.dict" ] &&
		dict=(-dict="$top/selftests/fuzz/$name.dict")
	if [ ! -x "$bin" ]; then
		echo "fuzz: $bin is missing: run make fuzz-build" >&2
		exit 2
	fi
	mkdir -p "$work"
	echo "# fuzz_$name: $runs inputs (log: $log)"
	start=$(date +%s)
	"$bin" -runs="$runs" -timeout=$TIMEOUT_S -rss_limit_mb=$RSS_MB \
		-max_len=$MAX_LEN -detect_leaks=1 -print_final_stats=1 \
		-artifact_prefix="$O/fuzz/artifacts/$name-" "${dict[@]}" \
		"$work" "$seeds" >"$log" 2>&1
	st=$?
	secs=$(( $(date +%s) - start ))
	done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1)
	execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log")
	rate=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+)/\1/p' "$log")
	rss=$(sed -nE 's/^stat::peak_rss_mb: *([0-9]+)/\1/p' "$log")
	cov=$(sed -nE 's/.* cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+)\/.*/cov \1, ft \2, corpus \3/p' <<<"$done_line")
	if [ $st -ne 0 ] || [ -z "$done_line" ]; then
		failed=1
		grep -E 'ERROR: |SUMMARY: |property failed|Test unit written' "$log" | head -5
		summary+=("fuzz_$name: FAILED after ${execs:-?} inputs (exit $st), see $log")
	else
		summary+=("fuzz_$name: ${execs} inputs in ${secs} s, ${rate} exec/s, ${cov}, peak RSS ${rss} MB; no crash, leak, timeout or OOM")
	fi
done

printf '%s\n' "${summary[@]}"

if [ $coverage -eq 1 ]; then
	cov="$O/fuzz-cov"
	objs=()
	rm -f "$cov"/*.profraw
	for name in "${names[@]}"; do
		if [ ! -x "$cov/fuzz_$name" ]; then
			echo "fuzz: $cov/fuzz_$name is missing: run make fuzz-cov-build" >&2
			exit 2
		fi
		LLVM_PROFILE_FILE="$cov/$name.profraw" "$cov/fuzz_$name" -runs=0 \
			"$O/fuzz/corpus-$name" "$top/selftests/fuzz/corpus/$name" \
			>"$O/fuzz/logs/$name.cov.log" 2>&1 || failed=1
		[ ${#objs[@]} -eq 0 ] && objs=("$cov/fuzz_$name") ||
			objs+=(-object "$cov/fuzz_$name")
	done
	llvm-profdata merge -sparse "$cov"/*.profraw -o "$cov/all.profdata" &&
	(cd "$top" && llvm-cov report "${objs[@]}" \
		-instr-profile="$cov/all.profdata" \
		tools/lib/policy.c tools/lib/yaml_tree.c tools/lib/schema.c \
		tools/lib/relations.c tools/lib/rules.c tools/lib/networks.c \
		tools/lib/layers.c tools/lib/attr.c tools/lib/compile.c tools/lib/index.c \
		tools/lib/image.c \
		tools/lib/util.c tools/lib/diag.c tools/lib/ctl.c \
		tools/abacd/jline.c lsm/abac_decide.h) || failed=1
fi
exit $failed
