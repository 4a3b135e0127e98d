#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run every abac test and end with one line "N passed, N failed".
#
#   scripts/run-tests.sh [--host-only] [BUILD_DIR]
#
# Host tests (build/selftests/host/*) run here; in-VM tests
# (build/selftests/vm/*) run inside the QEMU guest that scripts/vmtest.sh
# boots on Debian's 6.12 kernel, because the host kernel refuses LSM BPF
# programs; then scripts/build-kernel.sh builds (or finds cached) the
# kernel with the native abac LSM and its suite (native_*) runs on it.
# ABAC_NATIVE=0 leaves the native suite out.  Every test program is a kselftest-harness binary printing TAP;
# its "# Totals:" line is what is counted.  A program that dies before it
# prints its totals counts as one failure, so a crash is never a pass.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
host_only=0
if [ "${1:-}" = "--host-only" ]; then
	host_only=1
	shift
fi
O=${1:-build}
case "$O" in /*) ;; *) O="$top/$O" ;; esac
logdir="$O/test-logs"
mkdir -p "$logdir"

passed=0
failed=0
skipped=0

# count LOG NAME STATUS: add a TAP log's totals to the run's.
count() {
	local log=$1 name=$2 status=$3 totals p f s
	totals=$(grep -E '^# Totals: pass:[0-9]+ fail:[0-9]+' "$log" || true)
	if [ -z "$totals" ]; then
		echo "not ok - $name: no TAP totals (exit status $status)"
		failed=$((failed + 1))
		return
	fi
	while read -r line; do
		# anchored: "xpass:" and "xfail:" must not be read as pass/fail
		p=$(sed -E 's/^# Totals: pass:([0-9]+) .*/\1/' <<<"$line")
		f=$(sed -E 's/^# Totals: pass:[0-9]+ fail:([0-9]+) .*/\1/' <<<"$line")
		s=$(sed -E 's/.* skip:([0-9]+).*/\1/' <<<"$line")
		passed=$((passed + p))
		failed=$((failed + f))
		skipped=$((skipped + s))
	done <<<"$totals"
	if [ "$status" -ne 0 ] && ! grep -qE 'fail:[1-9]' <<<"$totals"; then
		echo "not ok - $name: exit status $status with no failed test"
		failed=$((failed + 1))
	fi
}

# The native-LSM kernel builds (or is found cached) while the host and the
# BPF suites run, on both cores: TCG leaves room, and the build alone
# takes about ten minutes on two cores.
native=0
if [ "$host_only" -eq 0 ] && [ "${ABAC_NATIVE:-1}" != 0 ]; then
	native=1
	echo "# building the native-LSM kernel in the background (scripts/build-kernel.sh)"
	"$top/scripts/build-kernel.sh" -j2 >"$logdir/build-kernel.out" \
		2>"$logdir/build-kernel.log" &
	kbuild=$!
fi

for t in "$O"/selftests/host/*; do
	[ -x "$t" ] || continue
	name=host/$(basename "$t")
	echo "# running $name"
	(cd "$top" && "$t") >"$logdir/$(basename "$t").log" 2>&1
	st=$?
	grep -E '^(not ok|ok|# (Totals|FAIL|SKIP))|^#  ' "$logdir/$(basename "$t").log" |
		grep -vE '^ok ' | head -50
	count "$logdir/$(basename "$t").log" "$name" "$st"
done

if [ "$host_only" -eq 0 ]; then
	echo "# running the in-VM tests (QEMU, Debian 6.12 kernel)"
	# About 12 minutes under TCG on 2 cores, longer while the native
	# kernel builds beside it: more than vmtest's default 15.
	"$top/scripts/vmtest.sh" --timeout 2400 2>&1 | tee "$logdir/vm.log"
	st=${PIPESTATUS[0]}
	count "$logdir/vm.log" "vm" "$st"
fi

if [ "$native" -eq 1 ]; then
	echo "# waiting for the native-LSM kernel"
	wait "$kbuild"
	st=$?
	sed 's/^/# /' "$logdir/build-kernel.log"
	kimg=$(tail -n 1 "$logdir/build-kernel.out")
	if [ "$st" -eq 0 ] && [ -s "$kimg" ]; then
		echo "# running the native suite (QEMU, $kimg)"
		"$top/scripts/vmtest.sh" --kernel "$kimg" --suite native 2>&1 |
			tee "$logdir/vm-native.log"
		st=${PIPESTATUS[0]}
		count "$logdir/vm-native.log" "vm-native" "$st"
	else
		echo "not ok - native: the kernel did not build (log: $logdir/build-kernel.log)"
		failed=$((failed + 1))
	fi
fi

echo "# logs in $logdir"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
