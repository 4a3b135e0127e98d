#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the busybox initramfs that scripts/vmtest.sh boots.
#
#   scripts/mkinitramfs.sh [-o OUTPUT] [--add HOST:GUEST]...
#
# The image (cpio newc, gzip) holds busybox-static with its applet links,
# /init (scripts/vm-init.sh), build/abac and build/abacd in /usr/bin, every
# ELF of build/selftests/vm/ in /abac/selftests/, policy-examples/ in
# /abac/policy-examples, build/deb/*.deb (make check builds them) in
# /abac/deb, the shared libraries all those ELFs need (found with ldd,
# copied to the same paths), and a minimal /etc.  Each --add
# copies one more host file or folder to GUEST; ELF files added that way get
# their libraries too.  Default OUTPUT: build/vm/initramfs.cpio.gz.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
O="$top/build"
out="$O/vm/initramfs.cpio.gz"
BUSYBOX=${BUSYBOX:-/bin/busybox}
adds=()

usage() {
	cat <<EOF
Usage: ${0##*/} [-o OUTPUT] [--add HOST:GUEST]...

Build the QEMU guest's initramfs (cpio newc, gzip) for scripts/vmtest.sh.

  -o, --output FILE     where to write it (default: build/vm/initramfs.cpio.gz)
  -a, --add HOST:GUEST  also copy the host file or folder HOST to GUEST
                        (an absolute path in the image); repeatable
  -h, --help            show this help
EOF
}

die() {
	echo "mkinitramfs: $*" >&2
	exit 1
}

warn() {
	echo "mkinitramfs: warning: $*" >&2
}

while [ $# -gt 0 ]; do
	case "$1" in
	-o | --output)
		[ $# -ge 2 ] || die "$1 needs an argument"
		out=$2
		shift 2
		;;
	-a | --add)
		[ $# -ge 2 ] || die "$1 needs an argument"
		adds+=("$2")
		shift 2
		;;
	-h | --help)
		usage
		exit 0
		;;
	*)
		usage >&2
		exit 2
		;;
	esac
done

command -v cpio >/dev/null || die "cpio is missing (scripts/deps.sh installs it)"
[ -x "$BUSYBOX" ] || die "$BUSYBOX is missing (scripts/deps.sh installs busybox-static)"
"$BUSYBOX" --list-full >/dev/null 2>&1 ||
	die "$BUSYBOX cannot list its applets: is it busybox-static?"
if command -v ldd >/dev/null && ldd "$BUSYBOX" >/dev/null 2>&1; then
	die "$BUSYBOX is dynamically linked; install busybox-static"
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/abac-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT

is_elf() {
	[ -f "$1" ] && [ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]
}

elfs=()	# image files whose libraries must come along

# put SRC DEST: copy a host file or folder into the image at DEST.
put() {
	local src=$1 dst=$stage$2
	mkdir -p "$(dirname "$dst")"
	if [ -d "$src" ]; then
		mkdir -p "$dst"
		cp -a "$src/." "$dst/"
	else
		cp -a "$src" "$dst"
	fi
}

# ---- the skeleton ---------------------------------------------------------
for d in bin sbin usr/bin usr/sbin lib lib64 etc dev proc sys tmp run \
	root home/alice var/lib var/log var/tmp srv mnt abac/selftests; do
	mkdir -p "$stage/$d"
done
chmod 1777 "$stage/tmp" "$stage/var/tmp"
chmod 700 "$stage/root"
# Lets the kernel give /init a console before devtmpfs is mounted; only
# root can make the node, and /init reopens /dev/console anyway.
mknod -m 600 "$stage/dev/console" c 5 1 2>/dev/null || true

cp "$BUSYBOX" "$stage/bin/busybox"
while read -r applet; do
	case "$applet" in
	"" | linuxrc | bin/busybox) continue ;;
	esac
	[ -e "$stage/$applet" ] || [ -L "$stage/$applet" ] ||
		ln -s /bin/busybox "$stage/$applet"
done < <("$BUSYBOX" --list-full)

install -m 755 "$top/scripts/vm-init.sh" "$stage/init"

cat >"$stage/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
alice:x:1000:1000:alice:/home/alice:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$stage/etc/group" <<'EOF'
root:x:0:
abac:x:990:
alice:x:1000:
nogroup:x:65534:
EOF
cat >"$stage/etc/shadow" <<'EOF'
root::0:0:99999:7:::
alice:!:0:0:99999:7:::
nobody:!:0:0:99999:7:::
EOF
chmod 600 "$stage/etc/shadow"
cat >"$stage/etc/nsswitch.conf" <<'EOF'
passwd: files
group: files
shadow: files
hosts: files
EOF
cat >"$stage/etc/hosts" <<'EOF'
127.0.0.1	localhost abac-vm
::1		localhost ip6-localhost ip6-loopback
EOF
echo abac-vm >"$stage/etc/hostname"
: >"$stage/etc/fstab"

# ---- the project ----------------------------------------------------------
for b in abac abacd; do
	if [ -f "$O/$b" ]; then
		install -m 755 "$O/$b" "$stage/usr/bin/$b"
		elfs+=("$stage/usr/bin/$b")
	else
		warn "build/$b is missing (run make); the image has no $b"
	fi
done

if [ -d "$O/selftests/vm" ]; then
	for t in "$O"/selftests/vm/*; do
		is_elf "$t" || continue
		install -m 755 "$t" "$stage/abac/selftests/"
		elfs+=("$stage/abac/selftests/${t##*/}")
	done
fi
# what each costs, for vm-init.sh to split the suite between guests
install -m 644 "$top/selftests/vm/costs" "$stage/abac/vm-costs"

if [ -d "$top/policy-examples" ]; then
	put "$top/policy-examples" /abac/policy-examples
fi

# the Debian packages make check built, for deploy_test
for deb in "$O"/deb/*.deb; do
	if [ -f "$deb" ]; then
		put "$deb" "/abac/deb/${deb##*/}"
	fi
done

for spec in ${adds[@]+"${adds[@]}"}; do
	case "$spec" in
	*:/*) ;;
	*) die "--add $spec: want HOST:GUEST with an absolute GUEST path" ;;
	esac
	host=${spec%:*}
	guest=${spec##*:}
	[ -e "$host" ] || die "--add $spec: $host does not exist"
	put "$host" "$guest"
	while IFS= read -r -d '' f; do
		is_elf "$f" && elfs+=("$f")
	done < <(find "$stage$guest" -type f -print0)
done

# ---- shared libraries -----------------------------------------------------
# ldd prints "name => /path (addr)" for each library and "/path (addr)" for
# the dynamic loader; the vDSO has no path.  Static programs make ldd fail.
libs=()
for e in ${elfs[@]+"${elfs[@]}"}; do
	out_ldd=$(ldd "$e" 2>/dev/null) || continue
	if grep -q 'not found' <<<"$out_ldd"; then
		die "${e#"$stage"}: $(grep 'not found' <<<"$out_ldd" | head -1 | sed 's/^[[:space:]]*//')"
	fi
	while read -r lib; do
		libs+=("$lib")
	done < <(sed -nE 's/^[[:space:]]*([^[:space:]]+ => )?(\/[^[:space:]]+) \(0x[0-9a-f]+\)$/\2/p' \
		<<<"$out_ldd")
done
if [ ${#libs[@]} -gt 0 ]; then
	libs+=(/lib64/ld-linux-x86-64.so.2)
fi
for lib in $(printf '%s\n' ${libs[@]+"${libs[@]}"} | sort -u); do
	mkdir -p "$stage$(dirname "$lib")"
	cp -L "$lib" "$stage$lib"
done
# An ld.so.cache, so the loader finds the libraries in any of their folders.
if [ ${#libs[@]} -gt 0 ]; then
	printf '%s\n' "${libs[@]}" | xargs -n1 dirname | sort -u >"$stage/etc/ld.so.conf"
	if command -v ldconfig >/dev/null || [ -x /sbin/ldconfig ]; then
		PATH=$PATH:/sbin:/usr/sbin ldconfig -r "$stage" 2>/dev/null ||
			warn "ldconfig -r failed; the guest relies on the loader's default paths"
	fi
fi

# ---- pack -----------------------------------------------------------------
mkdir -p "$(dirname "$out")"
tmp_out="$out.tmp.$$"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0) | gzip -1 >"$tmp_out"
mv -f "$tmp_out" "$out"
