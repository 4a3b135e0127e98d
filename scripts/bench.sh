#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make bench: abac's benchmark.  Compile time and peak memory on the host,
# then everything else in one QEMU guest booted with one vCPU and
# -icount shift=0,sleep=off, so that guest time follows the instructions
# executed and ratios repeat from run to run.  See
# Documentation/performance.rst.
#
#   scripts/bench.sh [--rounds N] [--scale X] [--runs N] [NRULES...]
#
# The report goes to stdout and to build/bench/report.txt.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
O="$top/build"
rounds=11
scale=1
runs=5
sizes=()

usage() {
	cat <<'EOF2'
Usage: scripts/bench.sh [--rounds N] [--scale X] [--runs N] [NRULES...]

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
	-h | --help) usage; exit 0 ;;
	-*) usage >&2; exit 2 ;;
	*) sizes+=("$1"); shift ;;
	esac
done

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
	echo
	echo "# guest: scripts/vmtest.sh --icount (1 vCPU, -icount shift=0,sleep=off)"
} | tee "$report"

# 3 hours: at scale 1 the guest run takes tens of minutes under TCG.
"$top/scripts/vmtest.sh" --icount --timeout 10800 \
	--add "$O/abac-bench:/usr/bin/abac-bench" \
	--add "$O/bench-true:/abac/bench-true" \
	-- "abac-bench run --rounds $rounds --scale $scale ${sizes[*]:-}" |
	tee -a "$report"
st=${PIPESTATUS[0]}
echo "bench: report in $report" >&2
exit "$st"
