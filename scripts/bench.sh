#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make bench: abac's benchmark.  Compile time and peak memory on the host,
# then the BPF-LSM backend in one QEMU guest of Debian's kernel, then the
# native LSM in two guests of build/kernel/bzImage ("make kernel"): one
# booted lsm=capability (the limit), one with abac.  Every guest has one
# vCPU and -icount shift=0,sleep=off, so that guest time follows the
# instructions executed: ratios repeat from run to run, and the two
# native boots compare.  See Documentation/performance.rst.
#
#   scripts/bench.sh [--backend bpf|native|both] [--rounds N] [--scale X]
#                    [--runs N] [NRULES...]
#
# The report goes to stdout and to build/bench/report.txt.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
O="$top/build"
rounds=11
scale=1
runs=5
backend=both
sizes=()

usage() {
	cat <<'EOF2'
Usage: scripts/bench.sh [--backend B] [--rounds N] [--scale X] [--runs N]
                        [NRULES...]

  --backend B  bpf, native or both (default both; with both, the native
               backend is left out, and the report says so, when
               build/kernel/bzImage is missing: make kernel builds it)
  --rounds N   interleaved rounds in the guest (default 11)
  --scale X    operations per round multiplied by X (default 1)
  --runs N     host compiles per policy size (default 5)
  NRULES...    policy sizes (default 10 1000 10000 100000)
EOF2
}

need_arg() {
	[ "$2" -ge 2 ] || { echo "bench: $1 needs an argument" >&2; exit 2; }
}

while [ $# -gt 0 ]; do
	case "$1" in
	--rounds) need_arg "$1" $#; rounds=$2; shift 2 ;;
	--scale) need_arg "$1" $#; scale=$2; shift 2 ;;
	--runs) need_arg "$1" $#; runs=$2; shift 2 ;;
	--backend) need_arg "$1" $#; backend=$2; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	-*) usage >&2; exit 2 ;;
	*) sizes+=("$1"); shift ;;
	esac
done

case "$backend" in
bpf | native | both) ;;
*) echo "bench: --backend wants bpf, native or both, not '$backend'" >&2; exit 2 ;;
esac
bz="$O/kernel/bzImage"
if [ "$backend" = native ] && [ ! -s "$bz" ]; then
	echo "bench: build/kernel/bzImage is missing (make kernel)" >&2
	exit 1
fi

for f in abac abacd abac-bench bench-true; do
	[ -x "$O/$f" ] || { echo "bench: build/$f is missing (make bench-build)" >&2; exit 1; }
done

mkdir -p "$O/bench"
report="$O/bench/report.txt"
{
	echo "# abac bench $(date -u +%Y-%m-%dT%H:%M:%SZ)," \
		"commit $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)"
	echo "# host: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
	"$O/abac-bench" compile --runs "$runs" ${sizes[@]+"${sizes[@]}"}
} | tee "$report"

bench_args="--rounds $rounds --scale $scale"
guest_files=(--add "$O/abac-bench:/usr/bin/abac-bench"
	--add "$O/bench-true:/abac/bench-true")

# 3 hours: at scale 1 the guest run takes tens of minutes under TCG.
run_bpf() {
	echo
	echo "# guest: scripts/vmtest.sh --icount (1 vCPU, -icount shift=0,sleep=off)"
	"$top/scripts/vmtest.sh" --icount --timeout 10800 "${guest_files[@]}" \
		-- "abac-bench run $bench_args ${sizes[*]:-}"
}

# The native LSM cannot be detached: its limit is the same kernel booted
# without it, whose figures the second boot takes its ratios against.
run_native() {
	local base="$O/bench/native-baseline.txt" st

	echo
	echo "# guest: scripts/vmtest.sh --icount --kernel build/kernel/bzImage" \
		"(native LSM; key $(cut -c1-12 "$bz.key" 2>/dev/null || echo unknown))"
	echo "# boot 1: lsm=capability (abac not initialised), the limit"
	ABAC_VM_APPEND="lsm=capability" "$top/scripts/vmtest.sh" --icount \
		--timeout 10800 --kernel "$bz" "${guest_files[@]}" \
		-- "abac-bench native --baseline $bench_args ${sizes[*]:-}" |
		tee "$O/bench/native-baseline.log"
	st=${PIPESTATUS[0]}
	[ "$st" -eq 0 ] || return "$st"
	awk '/^abac-bench-baseline /{p=1; print; next}
		p && !/^[a-z0-9+-]+ (ok|failed)( |$)/{exit} p' \
		"$O/bench/native-baseline.log" >"$base"
	[ -s "$base" ] || { echo "bench: the baseline boot printed no baseline" >&2; return 1; }
	echo "# boot 2: the native abac LSM"
	"$top/scripts/vmtest.sh" --icount --timeout 10800 --kernel "$bz" \
		"${guest_files[@]}" --add "$base:/abac/bench-baseline" \
		-- "abac-bench native --versus /abac/bench-baseline $bench_args ${sizes[*]:-}"
}

st=0
if [ "$backend" != native ]; then
	run_bpf | tee -a "$report"
	st=${PIPESTATUS[0]}
fi
if [ "$backend" != bpf ] && [ "$st" -eq 0 ]; then
	if [ -s "$bz" ]; then
		run_native | tee -a "$report"
		st=${PIPESTATUS[0]}
	else
		echo "# native: not measured: build/kernel/bzImage is missing (make kernel)" |
			tee -a "$report"
	fi
fi
echo "bench: report in $report" >&2
exit "$st"
