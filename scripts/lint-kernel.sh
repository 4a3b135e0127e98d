#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The kernel's own linters on the native LSM (make lint):
# checkpatch.pl --strict and kernel-doc -Wall on lsm/, from the kernel
# tree scripts/build-kernel.sh unpacks (build/kernel-src).
#
#   scripts/lint-kernel.sh
#
# lsm/*.c and the headers only the kernel reads must be clean.  The three
# headers shared with BPF and user space (abac_abi.h, abac_decide.h,
# abac_image_check.h) are checked with the few message types that cannot
# apply to them ignored: the kernel's BIT()-style helpers and attribute
# macros (noinline, __used, __always_inline) do not exist in BPF and user
# space, each is defined once there instead; _Static_assert is C11's name
# in all three builds; X-macro lists and loop macros reuse an argument by
# design.  Exit status 1 on any finding, 2 when the kernel tree is absent.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ksrc="$top/build/kernel-src"
checkpatch="$ksrc/scripts/checkpatch.pl"
kerneldoc="$ksrc/scripts/kernel-doc"

if [ ! -x "$checkpatch" ] || [ ! -x "$kerneldoc" ]; then
	echo "lint-kernel: no kernel tree in $ksrc (scripts/build-kernel.sh unpacks it)" >&2
	exit 2
fi

cd "$top"
shared=(lsm/abac_abi.h lsm/abac_decide.h lsm/abac_image_check.h)
own=()
for f in lsm/*.c lsm/*.h; do
	case " ${shared[*]} " in *" $f "*) ;; *) own+=("$f") ;; esac
done
shared_ignore=MACRO_ARG_REUSE,MACRO_ARG_UNUSED,COMPLEX_MACRO,CAMELCASE,PREFER_DEFINED_ATTRIBUTE_MACRO

bad=0
run() {
	local out
	out=$("$@" 2>&1) || true
	if [ -n "$out" ]; then
		echo "$out"
		bad=1
	fi
}
run "$checkpatch" --strict --no-tree --quiet --terse --no-summary -f "${own[@]}"
run "$checkpatch" --strict --no-tree --quiet --terse --no-summary \
	--ignore "$shared_ignore" -f "${shared[@]}"
run "$kerneldoc" -Wall -none lsm/*.c lsm/*.h
if [ "$bad" -eq 0 ]; then
	echo "lint-kernel: ${#own[@]} files clean under checkpatch --strict, ${#shared[@]} shared headers clean but for $shared_ignore, kernel-doc -Wall clean"
fi
exit "$bad"
