#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The main job, end to end: boot Debian's 6.12 kernel in QEMU with abac
# inside, apply policy-examples/hospital.yaml, and show a nurse allowed,
# a billing clerk denied, and the denial streaming on `abac events -f`
# with the sentence of the rule that decided it.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
exec "$top/scripts/vmtest.sh" --add "$top/scripts/demo-guest.sh:/abac/demo-guest.sh" \
	-- sh /abac/demo-guest.sh
