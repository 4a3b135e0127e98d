#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make deb: build abac's Debian package with Debian's dpkg-buildpackage
# and debhelper (debian/).  The tracked files are copied to
# build/deb/src/abac-VERSION/ so that dpkg-buildpackage, which writes its
# results into the parent directory, writes them under build/deb/; the
# programs come from this checkout's build/ (made first), not built twice:
# the copies keep their timestamps, so make finds nothing to rebuild.
#
#   scripts/build-deb.sh [--version VERSION]
#
# VERSION (default: debian/changelog's) lets a test build a newer package
# of the same tree, to exercise an upgrade.  Prints the .deb's path last.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
O="$top/build"
version=

while [ $# -gt 0 ]; do
	case "$1" in
	--version) [ $# -ge 2 ] || { echo "build-deb: --version needs a value" >&2; exit 2; }
		version=$2; shift 2 ;;
	-h | --help) sed -n '3,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "build-deb: unknown argument '$1'" >&2; exit 2 ;;
	esac
done

for t in dpkg-buildpackage dh rst2man; do
	command -v "$t" >/dev/null ||
		{ echo "build-deb: $t is missing (scripts/deps.sh installs it)" >&2; exit 1; }
done
make -C "$top" --no-print-directory -j"$(nproc)" all man >&2

[ -n "$version" ] || version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
src="$O/deb/src/abac-$version"
rm -rf "$src"
mkdir -p "$src"
# the tracked files, and the working tree's versions of them
(cd "$top" && git ls-files -z --cached --others --exclude-standard |
	grep -zv '^build/' | xargs -0 cp --preserve=timestamps --parents -t "$src" 2>/dev/null) ||
	(cd "$top" && tar --exclude=./build --exclude=./.git -cf - . | tar -xf - -C "$src")
if [ "$version" != "$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)" ]; then
	{
		echo "abac ($version) unstable; urgency=medium"
		echo
		echo "  * Rebuilt as $version by scripts/build-deb.sh --version."
		echo
		echo " -- abac developers <abac@localhost>  $(date -R)"
		echo
		cat "$top/debian/changelog"
	} >"$src/debian/changelog"
fi
(cd "$src" && ABAC_O="$O" dpkg-buildpackage -b -us -uc >&2)
deb=$(ls "$O"/deb/src/abac_"${version}"_*.deb)
mv "$deb" "$O/deb/"
echo "$O/deb/$(basename "$deb")"
