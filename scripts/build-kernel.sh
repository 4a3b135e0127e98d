#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build a small x86-64 kernel with the abac native LSM built in, for
# scripts/vmtest.sh --kernel.  See Documentation/native-lsm.rst.
#
#   scripts/build-kernel.sh [-j JOBS] [--force]
#
# Debian's linux-source-6.12 is unpacked once into build/kernel-src; this
# tree is linked in as security/abac (its top-level Kbuild descends into
# lsm/), and three small edits make the kernel know the new LSM:
# security/Kconfig sources lsm/Kconfig, security/Makefile descends into
# abac/, include/linux/lsm_count.h counts it (one static-call slot per
# LSM).  The configuration is tinyconfig plus lsm/kernel.config.  Objects
# go to build/kernel-obj, so make rebuilds only what changed; the whole
# build is skipped when the hash of lsm/, the config fragment and this
# script matches the one of the last bzImage.  Prints the bzImage path.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
O="$top/build"
src="$O/kernel-src"
obj="$O/kernel-obj"
out="$O/kernel/bzImage"
KSRC_TAR=${KSRC_TAR:-/usr/src/linux-source-6.12.tar.xz}
jobs=2
force=0

die() {
	echo "build-kernel: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case "$1" in
	-j)
		[ $# -ge 2 ] || die "-j needs a number"
		jobs=$2
		shift 2
		;;
	-j*)
		jobs=${1#-j}
		shift
		;;
	--force)
		force=1
		shift
		;;
	-h | --help)
		sed -n '3,17p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		die "unknown argument: $1 (see --help)"
		;;
	esac
done
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "-j wants a positive number, not '$jobs'"

for tool in make gcc flex bison bc perl tar xz; do
	command -v "$tool" >/dev/null ||
		die "$tool is missing (scripts/deps.sh installs what the kernel build needs)"
done
[ -r "$KSRC_TAR" ] || die "$KSRC_TAR is missing (install linux-source-6.12)"

# ---- the cache key --------------------------------------------------------
key=$( (
	cd "$top"
	sha256sum "$KSRC_TAR" Kbuild lsm/* scripts/build-kernel.sh | sort -k2
) | sha256sum | cut -d' ' -f1)
if [ "$force" -eq 0 ] && [ -s "$out" ] && [ "$(cat "$out.key" 2>/dev/null)" = "$key" ]; then
	echo "$out"
	exit 0
fi

# ---- the source -----------------------------------------------------------
if [ ! -f "$src/.abac-unpacked" ]; then
	echo "build-kernel: unpacking $KSRC_TAR into $src" >&2
	rm -rf "$src"
	mkdir -p "$src"
	tar -xJf "$KSRC_TAR" -C "$src" --strip-components=1
	touch "$src/.abac-unpacked"
fi

# Link this tree in; the edits are idempotent.
ln -sfn "$top" "$src/security/abac"
grep -q 'security/abac/lsm/Kconfig' "$src/security/Kconfig" ||
	sed -i 's|^source "security/landlock/Kconfig"$|&\nsource "security/abac/lsm/Kconfig"|' \
		"$src/security/Kconfig"
grep -q 'CONFIG_SECURITY_ABAC' "$src/security/Makefile" ||
	echo 'obj-$(CONFIG_SECURITY_ABAC)		+= abac/' >>"$src/security/Makefile"
if ! grep -q ABAC_ENABLED "$src/include/linux/lsm_count.h"; then
	sed -i -e 's|^#if IS_ENABLED(CONFIG_SECURITY_IPE)$|#if IS_ENABLED(CONFIG_SECURITY_ABAC)\n#define ABAC_ENABLED 1,\n#else\n#define ABAC_ENABLED\n#endif\n\n&|' \
		-e 's|^\t\tIPE_ENABLED)$|\t\tIPE_ENABLED\t\t\\\n\t\tABAC_ENABLED)|' \
		"$src/include/linux/lsm_count.h"
fi
grep -q 'security/abac/lsm/Kconfig' "$src/security/Kconfig" &&
	grep -q 'ABAC_ENABLED)' "$src/include/linux/lsm_count.h" ||
	die "could not hook abac into $src (has the kernel source changed?)"

# ---- configure and build --------------------------------------------------
mkdir -p "$obj" "$(dirname "$out")"
frag="$top/lsm/kernel.config"
make -s -C "$src" O="$obj" tinyconfig >/dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$frag" >/dev/null
make -s -C "$src" O="$obj" olddefconfig >/dev/null
missing=$(grep -E '^CONFIG_[A-Z0-9_]+=' "$frag" | while IFS= read -r want; do
	grep -qxF "$want" "$obj/.config" || echo "$want"
done)
[ -z "$missing" ] || die "the kernel configuration lacks: $(echo $missing)"
# and what the fragment turns off stays off (SLUB_TINY, which tinyconfig
# selects, changes what every path lookup costs: performance.rst)
unwanted=$(sed -n 's/^# \(CONFIG_[A-Z0-9_]*\) is not set$/\1/p' "$frag" | while IFS= read -r off; do
	if grep -qE "^$off=" "$obj/.config"; then echo "$off"; fi
done)
[ -z "$unwanted" ] || die "the kernel configuration has what lsm/kernel.config turns off: $(echo $unwanted)"

log="$O/kernel/build.log"
echo "build-kernel: building bzImage (-j$jobs; log: $log)" >&2
t0=$(date +%s)
if ! make -C "$src" O="$obj" -j"$jobs" bzImage >"$log" 2>&1; then
	grep -E 'error|Error' "$log" | head -20 >&2
	die "the kernel build failed (log: $log)"
fi
if grep -E '^/.*security/abac/.*warning:' "$log" >&2; then
	die "abac compiles with warnings (log: $log)"
fi
cp "$obj/arch/x86/boot/bzImage" "$out.tmp"
mv "$out.tmp" "$out"
echo "$key" >"$out.key"
echo "build-kernel: bzImage ready after $(($(date +%s) - t0)) s" >&2
echo "$out"
