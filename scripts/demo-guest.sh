#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside the demo guest (see scripts/demo.sh).  Every step is echoed
# so the output reads as a transcript.
set -e

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "Start the agent: it loads and pins the BPF-LSM programs"
abacd --state-dir /var/lib/abac --log /var/log/abac/events.jsonl \
	>/tmp/abacd.log 2>&1 &
agent=$!
# The verifier checks some 40 programs; under TCG that takes minutes
# (seconds on a real machine).  Wait up to 10 minutes, while abacd lives.
echo "(waiting for abacd: under QEMU's TCG the BPF verifier takes a few minutes)"
i=0
while [ ! -S /run/abac/abacd.sock ] && [ $i -lt 3000 ] &&
	kill -0 "$agent" 2>/dev/null; do
	sleep 0.2; i=$((i + 1))
done
cat /tmp/abacd.log
if [ ! -S /run/abac/abacd.sock ]; then
	echo "abacd did not start (see above)" >&2
	exit 1
fi
echo "(abacd up after $((i / 5)) s)"

step "Check, then apply, the hospital policy (NIST SP 800-162's example)"
run abac policy check /abac/policy-examples/hospital.yaml
run abac policy apply /abac/policy-examples/hospital.yaml
run abac policy show

step "Label the records; they live in xattrs, with the files"
mkdir -p /srv && mount -t tmpfs srv /srv
mkdir -p /srv/ehr/records /srv/billing
echo "Patient 1017: atrial fibrillation, warfarin 5 mg" \
	>/srv/ehr/records/p1017.txt
echo "Invoice 88: 1,200 EUR" >/srv/billing/inv88.txt
run abac label set /srv/ehr/records/p1017.txt type=medical-record patient-condition=heart
run abac label set /srv/billing/inv88.txt type=invoice
run abac label get /srv/ehr/records/p1017.txt /srv/billing/inv88.txt

step "The security team tails denials as they happen"
abac events --follow >/tmp/events.out 2>&1 &
EVENTS=$!
sleep 1

step "A nurse practitioner in cardiology reads a heart patient's record: allowed"
run abac run --name nurse role=nurse-practitioner department=cardiology -- \
	cat /srv/ehr/records/p1017.txt

step "A billing clerk tries the same record: denied by the kernel"
if abac run --name clerk role=billing-clerk department=billing -- \
	cat /srv/ehr/records/p1017.txt; then
	echo "UNEXPECTED: the clerk read the record"; exit 1
fi
step "The clerk still reads invoices"
run abac run --name clerk role=billing-clerk department=billing -- \
	cat /srv/billing/inv88.txt

sleep 2
step "What 'abac events -f' printed"
cat /tmp/events.out
kill $EVENTS 2>/dev/null || true
grep -q "p1017.txt" /tmp/events.out || { echo "UNEXPECTED: no event"; exit 1; }

step "One line of the JSON event log, for the SIEM"
grep p1017 /var/log/abac/events.jsonl | tail -1

step "Status"
run abac status
