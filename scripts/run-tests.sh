#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run every abac test and end with one line "N passed, N failed".
#
#   scripts/run-tests.sh [--host-only | --build] [BUILD_DIR]
#
# --build first makes what the suite runs ("make tests"), while the
# native kernel already builds beside it: the kernel is the longest step,
# and the user-space build leaves a core free.  "make check" runs this.
# Host tests (build/selftests/host/*) run here.  The in-VM tests
# (build/selftests/vm/*) run twice, each run in a QEMU guest that
# scripts/vmtest.sh boots: on Debian's 6.12 kernel against the BPF-LSM
# programs (the host kernel refuses LSM BPF programs), and on the kernel
# scripts/build-kernel.sh builds (or finds cached) against the native abac
# LSM.  Each suite is split between guests (vmtest.sh --part): the BPF
# suite in three, the native one in two.  The kernel builds while the
# host tests and the first BPF guest run; the other two BPF guests and
# the native guests start as soon as it is built.
# ABAC_NATIVE=0 leaves the native run out.  Every test program is a
# kselftest-harness binary printing TAP; its "# Totals:" line is what is
# counted.  A program that dies before it prints its totals counts as one
# failure, so a crash is never a pass.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
host_only=0
build=0
case "${1:-}" in
--host-only)
	host_only=1
	shift
	;;
--build)
	build=1
	shift
	;;
esac
O=${1:-build}
case "$O" in /*) ;; *) O="$top/$O" ;; esac
logdir="$O/test-logs"
mkdir -p "$logdir"

passed=0
failed=0
skipped=0
# what failed, repeated at the end: CI may show only a run's last lines
failures=()

# count LOG NAME STATUS: add a TAP log's totals to the run's.
count() {
	local log=$1 name=$2 status=$3 totals p f s missing=0
	totals=$(grep -E '^# Totals: pass:[0-9]+ fail:[0-9]+' "$log" || true)
	while IFS= read -r line; do
		failures+=("$name: $line")
	done < <(grep -E '^not ok|^vmtest: (guest did not finish|kernel splat)|^# vmtest: .* exited with status' "$log" || true)
	if [ -z "$totals" ]; then
		echo "not ok - $name: no TAP totals (exit status $status)"
		failures+=("$name: no TAP totals (exit status $status)")
		failed=$((failed + 1))
		return
	fi
	# In a guest's log, a test program that printed no totals (killed,
	# or not run at all) or never finished (the guest stopped inside
	# it) is a failure of its own: its tests are missing from the sums.
	while IFS= read -r line; do
		echo "not ok - $name: $line"
		failures+=("$name: $line")
		failed=$((failed + 1))
		missing=1
	done < <(awk '
		/^# vmtest: running / { cur = $4; seen = 0; next }
		/^# Totals: / { seen = 1; next }
		cur != "" && $0 ~ "^# vmtest: " cur " took " {
			if (!seen)
				print cur ": printed no TAP totals"
			cur = ""
		}
		END { if (cur != "") print cur ": did not finish (the guest stopped inside it)" }
	' "$log")
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
		if [ "$missing" -eq 0 ]; then
			echo "not ok - $name: exit status $status with no failed test"
			failures+=("$name: exit status $status with no failed test")
			failed=$((failed + 1))
		fi
		failures+=("$name: its last lines:")
		while IFS= read -r line; do
			failures+=("$name:   $line")
		done < <(tail -n 8 "$log")
	fi
}

t0=$(date +%s)

# stamp TEXT: a progress line with the seconds since the start.
stamp() {
	echo "# [$(($(date +%s) - t0)) s] $*"
}

# The native-LSM kernel builds (or is found cached) while the host tests
# and the BPF guest run, on both cores: TCG leaves room, and the build
# alone takes about ten minutes on two cores.
native=0
if [ "$host_only" -eq 0 ] && [ "${ABAC_NATIVE:-1}" != 0 ]; then
	native=1
	echo "# building the native-LSM kernel in the background (scripts/build-kernel.sh)"
	"$top/scripts/build-kernel.sh" -j2 >"$logdir/build-kernel.out" \
		2>"$logdir/build-kernel.log" &
	kbuild=$!
fi

if [ "$build" -eq 1 ]; then
	stamp "building the tests (make tests)"
	if ! make -C "$top" --no-print-directory O="$O" tests; then
		echo "not ok - the build failed"
		[ "$native" -eq 0 ] || kill "$kbuild" 2>/dev/null
		echo "0 passed, 1 failed"
		exit 1
	fi
	stamp "built"
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

# guest NAME LOG ARGS...: run scripts/vmtest.sh ARGS in the background,
# its output in LOG and its status in LOG.status; its pid in $guest_pid.
guest() {
	local name=$1 log=$2
	shift 2
	stamp "starting the $name guest"
	( "$top/scripts/vmtest.sh" "$@" >"$log" 2>&1; echo $? >"$log.status" ) &
	guest_pid=$!
}

# finish NAME LOG PID: wait for a guest, show its log, count its tests.
# The log of native guest @1: vm-native.log for the first.
native_log() {
	if [ "$1" -eq 1 ]; then
		echo "$logdir/vm-native.log"
	else
		echo "$logdir/vm-native-$1.log"
	fi
}

# The log of BPF guest @1: vm.log for the first.
bpf_log() {
	if [ "$1" -eq 1 ]; then
		echo "$logdir/vm.log"
	else
		echo "$logdir/vm-$1.log"
	fi
}

finish() {
	local name=$1 log=$2 pid=$3
	wait "$pid"
	stamp "the $name guest is done"
	cat "$log"
	count "$log" "vm-$name" "$(cat "$log.status" 2>/dev/null || echo 1)"
}

if [ "$host_only" -eq 0 ]; then
	# About 20 minutes of TCG for one guest: split the suite between
	# guests, as the native one is, so that no core idles while one
	# guest runs the rest alone.  Beside the kernel build and the native
	# guests each takes longer than vmtest's default 15 minutes.
	#
	# While the native kernel builds, only the first share runs: the
	# kernel build is the start of the longest chain (kernel, then the
	# native guests), and beside two guests it had a core at most and
	# ended 1,100 s into the run.  So the BPF suite is cut in three
	# shares on two cores or more, one running beside the build, the
	# other two starting with the native guests once it is done.
	parts=$(nproc)
	[ "$parts" -le 2 ] || parts=2
	[ "$parts" -lt 2 ] || parts=3
	early=$parts
	[ "$native" -eq 0 ] || early=1
	bpf_parts=$parts
	bpf_pids=()
	bpf_start() {
		local k
		for ((k = $1; k <= $2; k++)); do
			guest "bpf $k/$bpf_parts" "$(bpf_log "$k")" \
				--timeout 2400 --part "$k/$bpf_parts"
			bpf_pids+=("$guest_pid")
		done
	}
	bpf_start 1 "$early"
	native_pids=()
	if [ "$native" -eq 1 ]; then
		wait "$kbuild"
		st=$?
		bpf_start $((early + 1)) "$bpf_parts"
		stamp "the native-LSM kernel is built"
		sed 's/^/# /' "$logdir/build-kernel.log"
		kimg=$(tail -n 1 "$logdir/build-kernel.out")
		if [ "$st" -eq 0 ] && [ -s "$kimg" ]; then
			# The native guests run last, mostly alone: split the
			# suite between as many guests as there are cores (2
			# at most: each guest has 2 vCPUs).
			parts=$(nproc)
			[ "$parts" -le 2 ] || parts=2
			for ((k = 1; k <= parts; k++)); do
				guest "native $k/$parts" "$(native_log "$k")" \
					--timeout 2400 --kernel "$kimg" \
					--suite native --part "$k/$parts"
				native_pids+=("$guest_pid")
			done
		else
			echo "not ok - native: the kernel did not build (log: $logdir/build-kernel.log)"
			failures+=("native: the kernel did not build (log: $logdir/build-kernel.log)")
			failed=$((failed + 1))
		fi
	fi
	for ((k = 1; k <= ${#bpf_pids[@]}; k++)); do
		finish "bpf $k/${#bpf_pids[@]}" "$(bpf_log "$k")" \
			"${bpf_pids[k - 1]}"
	done
	for ((k = 1; k <= ${#native_pids[@]}; k++)); do
		finish "native $k/${#native_pids[@]}" "$(native_log "$k")" \
			"${native_pids[k - 1]}"
	done
fi

stamp "done"
echo "# logs in $logdir"
if [ "${#failures[@]}" -gt 0 ]; then
	echo "# what failed:"
	printf '#   %s\n' "${failures[@]}"
fi
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
