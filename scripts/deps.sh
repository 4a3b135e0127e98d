#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install every Debian package abac needs to build, test and run its VM.
# Idempotent: packages already present are not fetched again.  Nothing is
# downloaded from anywhere but the machine's configured Debian archive.
set -euo pipefail

PKGS=(
	make gcc clang llvm pkg-config
	libclang-rt-14-dev
	libbpf-dev libelf-dev zlib1g-dev libyaml-dev
	bpftool
	qemu-system-x86 busybox-static cpio xz-utils
	linux-source-6.12
	bc bison flex
	python3-docutils debhelper dpkg-dev fakeroot
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done

[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
[ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "deps: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
	"${missing[@]}" >/dev/null
