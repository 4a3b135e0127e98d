#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# An analyst's session with the hospital policy (make demo-analyst): who
# can read heart patients' records, what a policy change would change,
# what yesterday's audit log says about it, the allow rules the recorded
# denials ask for, and the policy's unit tests.  Everything runs on the
# host with build/abac: these are questions about policy, decided with the
# decision core the kernel runs, and need neither root nor the VM.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# ABAC: the abac binary to run (the host test passes the one it tests)
abac=${ABAC:-$top/build/abac}
ex=$top/policy-examples
work=$(mktemp -d /tmp/abac-analyst-XXXXXX)
trap 'rm -rf "$work"' EXIT

# Run and show one command; 1 is an answer (differs, denied), more an error.
step() {
	local rc=0

	printf '\n\033[1m$ %s\033[0m\n' "$*"
	"$@" || rc=$?
	if [ "$rc" -gt 1 ]; then
		echo "demo-analyst: '$*' failed with status $rc" >&2
		exit 1
	fi
}

echo "# 1. Who can read heart patients' records?"
step "$abac" policy who-can read "$ex/hospital.yaml" \
	--object type=medical-record patient-condition=heart

echo
echo "# 2. A proposed change: oncology nurse practitioners may also view"
echo "#    the medical records of cancer patients."
"$abac" policy draft --id np-oncology-cancer \
	"Nurse practitioners in the oncology department may view the medical records of cancer patients." \
	"$ex/hospital.yaml" | tee "$work/rule.yaml"
cat "$ex/hospital.yaml" >"$work/hospital-new.yaml"
grep -v '^#' "$work/rule.yaml" >>"$work/hospital-new.yaml"
step "$abac" policy check "$work/hospital-new.yaml"
step "$abac" policy diff "$ex/hospital.yaml" "$work/hospital-new.yaml"

echo
echo "# 3. Yesterday's audit log, replayed against the change: which"
echo "#    recorded decisions would it decide differently?"
step "$abac" policy replay "$work/hospital-new.yaml" \
	--events "$ex/hospital-audit.sample.jsonl"

echo
echo "# 4. And what would the recorded denials ask for (audit2allow)?"
step "$abac" policy suggest "$ex/hospital.yaml" \
	--events "$ex/hospital-audit.sample.jsonl"

echo
echo "# 5. The policy's own unit tests, with coverage."
step "$abac" policy test --fail-uncovered "$ex/hospital.test.yaml"
