#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot Debian's 6.12 cloud kernel in QEMU (TCG) on a busybox initramfs
# holding abac, and run a command or the in-VM selftests there.  The host
# kernel may refuse LSM BPF programs; this guest's takes them.
# See Documentation/vmtest.rst.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
vmdir="$top/build/vm"
KPKG_RE='^linux-image-6\.12\.[0-9]+\+deb12-cloud-amd64-unsigned$'

timeout_s=900
icount=0
keep_log=
adds=()
kernel_img=
suite=bpf
part=
have_cmd=0
cmd=()

usage() {
	cat <<'EOF'
Usage: scripts/vmtest.sh [OPTIONS] [-- COMMAND [ARG...]]

Boot Debian's linux-image-6.12.*+deb12-cloud-amd64-unsigned in QEMU (TCG)
with a busybox initramfs holding build/abac, build/abacd, the ELFs of
build/selftests/vm/ and policy-examples/, and run COMMAND there as root,
in /tmp, stdin /dev/null.  COMMAND given as one word is a shell script
('cmd1; cmd2'); several words are quoted and run as one command.  With no
COMMAND, every executable in /abac/selftests/ runs, in name order.

The console streams to stdout.  Exit status: COMMAND's (with no COMMAND:
1 if any selftest failed, else 0); 1 if the guest kernel logged a splat
(WARNING:, BUG:, Oops, KASAN, lockdep, RCU stall, Call Trace:); 124 if
QEMU timed out; 1 if the guest died before COMMAND ended.

Options:
  -a, --add HOST:GUEST   copy the host file or folder HOST into the image
                         at GUEST (absolute); repeatable
  -t, --timeout SECONDS  kill QEMU after SECONDS (default 900)
  -i, --icount           one vCPU and -icount shift=0,sleep=off, so guest
                         time follows executed instructions (benchmarks);
                         the default is 2 vCPUs
  -l, --keep-log FILE    also write the whole console log to FILE
  -k, --kernel BZIMAGE   boot BZIMAGE (e.g. build/kernel/bzImage from
                         scripts/build-kernel.sh, the native abac LSM)
                         instead of Debian's kernel
  -s, --suite NAME       which selftests run when there is no COMMAND:
                         bpf (default: every test but native_*) or native
                         (native_* only, for --kernel); the guest reads it
                         from abac.suite= on its command line
  -p, --part K/N         with no COMMAND, run only the K-th of N shares of
                         the selftests (dealt by the costs in
                         selftests/vm/costs, so that the shares take about
                         as long), so that N guests run one suite side by
                         side; its logs are last[-native]-partK-*.log
  -h, --help             show this help

Environment:
  ABAC_VM_KERNEL_PKG     kernel package to boot (default: the newest that
                         apt-cache lists matching linux-image-6.12.N+deb12-
                         cloud-amd64-unsigned)
  ABAC_VM_APPEND         extra kernel command line arguments

Files (under build/vm/): the fetched kernel (kernel/, debs/), the image
(initramfs.cpio.gz), last-console.log and last-dmesg.log (with --kernel:
last-native-console.log and last-native-dmesg.log).
EOF
}

die() {
	echo "vmtest: $*" >&2
	exit 1
}

need_arg() {
	[ "$2" -ge 2 ] || die "$1 needs an argument (see --help)"
}

while [ $# -gt 0 ]; do
	case "$1" in
	-a | --add)
		need_arg "$1" $#
		adds+=("$2")
		shift 2
		;;
	--add=*)
		adds+=("${1#*=}")
		shift
		;;
	-t | --timeout)
		need_arg "$1" $#
		timeout_s=$2
		shift 2
		;;
	--timeout=*)
		timeout_s=${1#*=}
		shift
		;;
	-i | --icount)
		icount=1
		shift
		;;
	-l | --keep-log)
		need_arg "$1" $#
		keep_log=$2
		shift 2
		;;
	--keep-log=*)
		keep_log=${1#*=}
		shift
		;;
	-k | --kernel)
		need_arg "$1" $#
		kernel_img=$2
		shift 2
		;;
	--kernel=*)
		kernel_img=${1#*=}
		shift
		;;
	-s | --suite)
		need_arg "$1" $#
		suite=$2
		shift 2
		;;
	--suite=*)
		suite=${1#*=}
		shift
		;;
	-p | --part)
		need_arg "$1" $#
		part=$2
		shift 2
		;;
	--part=*)
		part=${1#*=}
		shift
		;;
	-h | --help)
		usage
		exit 0
		;;
	--)
		shift
		[ $# -gt 0 ] || die "no command after --"
		have_cmd=1
		cmd=("$@")
		break
		;;
	*)
		echo "vmtest: unknown argument: $1" >&2
		usage >&2
		exit 2
		;;
	esac
done

case "$suite" in
bpf | native) ;;
*) die "--suite wants bpf or native, not '$suite'" ;;
esac
if [ -n "$kernel_img" ]; then
	[ -s "$kernel_img" ] || die "--kernel $kernel_img: no such kernel image"
	kernel_img=$(cd "$(dirname "$kernel_img")" && pwd)/$(basename "$kernel_img")
fi
if [ -n "$part" ]; then
	[[ $part =~ ^([1-9][0-9]*)/([1-9][0-9]*)$ ]] &&
		[ "${BASH_REMATCH[1]}" -le "${BASH_REMATCH[2]}" ] ||
		die "--part wants K/N with 1 <= K <= N, not '$part'"
fi
[[ $timeout_s =~ ^[1-9][0-9]*$ ]] || die "--timeout wants a whole number of seconds, not '$timeout_s'"
for spec in ${adds[@]+"${adds[@]}"}; do
	[[ $spec == *:/* ]] || die "--add $spec: want HOST:GUEST with an absolute GUEST path"
	[ -e "${spec%:*}" ] || die "--add $spec: ${spec%:*} does not exist"
done

for tool in qemu-system-x86_64 cpio gzip xz apt-get dpkg-deb flock timeout; do
	command -v "$tool" >/dev/null ||
		die "$tool is missing (scripts/deps.sh installs what vmtest needs)"
done
[ -x /bin/busybox ] || die "busybox-static is missing (scripts/deps.sh installs it)"

mkdir -p "$vmdir/kernel" "$vmdir/debs"

# ---- the kernel -------------------------------------------------------------
newest_listed() {
	apt-cache pkgnames linux-image-6.12 2>/dev/null | grep -E "$KPKG_RE" |
		sort -V | tail -n 1 || true
}

newest_cached() {
	local d
	for d in "$vmdir"/kernel/*/; do
		[ -s "$d/vmlinuz" ] && basename "$d"
	done | grep -E "$KPKG_RE" | sort -V | tail -n 1 || true
}

# The modules of Debian's kernel the guest loads at boot, in load order
# (a module's dependencies before it): overlayfs for the stacked file
# system tests, SCTP for the socket tests, the loop device for a block
# file system (ext2, by Debian's built-in ext4).  vm-init.sh loads them
# before any test runs, as an administrator would have.
GUEST_MODULES="kernel/fs/overlayfs/overlay kernel/lib/libcrc32c
kernel/net/ipv4/udp_tunnel kernel/net/ipv6/ip6_udp_tunnel kernel/net/sctp/sctp
kernel/drivers/block/loop"

# fetch_kernel PKG: make build/vm/kernel/PKG/{vmlinuz,config,release} and
# modules/ (GUEST_MODULES, uncompressed, and their load order in "order").
fetch_kernel() {
	local pkg=$1 dir="$vmdir/kernel/$1" deb tmp log kver m ko

	# a cache made for another GUEST_MODULES is made anew
	[ -s "$dir/vmlinuz" ] && [ -s "$dir/modules/order" ] &&
		[ "$(cat "$dir/modules/order")" = "$(for m in $GUEST_MODULES; do
			basename "$m"; done)" ] && return 0
	deb=$(find "$vmdir/debs" -maxdepth 1 -name "${pkg}_*.deb" | sort -V | tail -n 1)
	if [ -z "$deb" ]; then
		echo "vmtest: fetching $pkg from the Debian archive" >&2
		log=$(cd "$vmdir/debs" && apt-get download -q "$pkg" 2>&1) || {
			printf '%s\n' "$log" >&2
			die "apt-get download $pkg failed"
		}
		deb=$(find "$vmdir/debs" -maxdepth 1 -name "${pkg}_*.deb" | sort -V | tail -n 1)
		[ -n "$deb" ] || die "apt-get download $pkg left no .deb in $vmdir/debs"
	fi
	tmp=$(mktemp -d "$vmdir/kernel/.extract.XXXXXX")
	if ! dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" ./boot; then
		# Most likely a download cut short: fetch it again next time.
		rm -rf "$tmp" "$deb"
		die "cannot unpack $deb (removed it; run again to fetch it anew)"
	fi
	kver=$(find "$tmp/boot" -name 'vmlinuz-*' -printf '%f\n' | head -n 1)
	kver=${kver#vmlinuz-}
	if [ -z "$kver" ]; then
		rm -rf "$tmp"
		die "$deb has no /boot/vmlinuz-*"
	fi
	mkdir -p "$tmp/modules"
	set --
	for m in $GUEST_MODULES; do
		set -- "$@" "./lib/modules/$kver/$m.ko*"
	done
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards "$@" || {
		rm -rf "$tmp"
		die "$deb lacks one of the modules: $GUEST_MODULES"
	}
	for m in $GUEST_MODULES; do
		ko=$(find "$tmp/lib/modules/$kver/$(dirname "$m")" -name "$(basename "$m").ko*" | head -n 1)
		case $ko in
		*.ko.xz) xz -dc "$ko" >"$tmp/modules/$(basename "$m").ko" ;;
		*.ko) cp "$ko" "$tmp/modules/" ;;
		*) rm -rf "$tmp"; die "cannot unpack $m.ko from $deb" ;;
		esac
		basename "$m" >>"$tmp/modules/order"
	done
	rm -rf "${tmp:?}/lib"
	mv "$tmp/boot/vmlinuz-$kver" "$tmp/vmlinuz"
	mv "$tmp/boot/config-$kver" "$tmp/config" 2>/dev/null || true
	mv "$tmp/boot/System.map-$kver" "$tmp/System.map" 2>/dev/null || true
	rm -rf "${tmp:?}/boot"
	echo "$kver" >"$tmp/release"
	rm -rf "$dir"
	mv "$tmp" "$dir"
}

if [ -n "$kernel_img" ]; then
	vmlinuz=$kernel_img
	kver="$(basename "$kernel_img") (--kernel $kernel_img)"
	kpkg=native
else
	exec 9>"$vmdir/.fetch.lock"
	flock 9
	kpkg=${ABAC_VM_KERNEL_PKG:-}
	if [ -z "$kpkg" ]; then
		kpkg=$(newest_listed)
		[ -n "$kpkg" ] || kpkg=$(newest_cached)
		if [ -z "$kpkg" ]; then
			echo "vmtest: apt-cache knows no 6.12 cloud kernel; running apt-get update" >&2
			apt-get update -qq >&2 || true
			kpkg=$(newest_listed)
		fi
		[ -n "$kpkg" ] || die "no package matches $KPKG_RE (set ABAC_VM_KERNEL_PKG)"
	fi
	fetch_kernel "$kpkg"
	exec 9>&-
	kdir="$vmdir/kernel/$kpkg"
	kver=$(cat "$kdir/release")
	vmlinuz=$kdir/vmlinuz
fi

# ---- the image --------------------------------------------------------------
run=$(mktemp -d "$vmdir/run.XXXXXX")
qemu_pid_file="$run/qemu.pid"
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	if [ -s "$qemu_pid_file" ]; then
		kill "$(cat "$qemu_pid_file")" 2>/dev/null || true
	fi
	[ -f "$run/initramfs.cpio.gz" ] &&
		mv -f "$run/initramfs.cpio.gz" "$vmdir/initramfs.cpio.gz"
	rm -rf "$run"
}
trap cleanup EXIT

# shquote WORD: WORD as one POSIX sh word.
shquote() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

img_args=()
[ -z "${kdir:-}" ] || img_args+=(--add "$kdir/modules:/abac/modules")
for spec in ${adds[@]+"${adds[@]}"}; do
	img_args+=(--add "$spec")
done
if [ "$have_cmd" -eq 1 ]; then
	{
		echo "# written by scripts/vmtest.sh"
		if [ ${#cmd[@]} -eq 1 ]; then
			printf '%s\n' "${cmd[0]}"
		else
			sep=
			for w in "${cmd[@]}"; do
				printf '%s%s' "$sep" "$(shquote "$w")"
				sep=' '
			done
			echo
		fi
	} >"$run/cmd"
	img_args+=(--add "$run/cmd:/abac/cmd")
fi
"$top/scripts/mkinitramfs.sh" -o "$run/initramfs.cpio.gz" ${img_args[@]+"${img_args[@]}"}

# ---- the run ----------------------------------------------------------------
# A native guest keeps logs of its own, so that it can run beside a BPF one.
logname=last
[ "$kpkg" = native ] && logname=last-native
[ -z "$part" ] || logname+="-part${part%/*}"
console_log="$vmdir/$logname-console.log"
dmesg_log="$vmdir/$logname-dmesg.log"
: >"$dmesg_log"

append="console=ttyS0 panic=-1 quiet loglevel=3 abac.suite=$suite${part:+ abac.part=$part}${ABAC_VM_APPEND:+ $ABAC_VM_APPEND}"
# The native test kernel has neither ACPI nor PCI (scripts/build-kernel.sh
# leaves them out: a quarter of its objects).  QEMU's microvm machine
# boots it with qboot, whose MP table lists every vCPU (SeaBIOS's lists
# only the first when there is no ACPI).  microvm has no keyboard
# controller to reset through: reboot=t resets by triple fault, which
# -no-reboot turns into QEMU's exit.
machine=()
if [ "$kpkg" = native ]; then
	machine=(-M microvm,acpi=off)
	append+=" reboot=t"
fi
# -display none and -serial stdio rather than -nographic: the same serial
# console on stdout, without SeaBIOS's screen output and the monitor.
# The CPU model: qemu64 with RDRAND, so that the guest's CRNG is ready
# 0.1 s into boot (without it, it became ready minutes into a run, and the
# kernel flipping the crng_is_ready static key (text_poke_bp) while the
# other vCPU read /dev/urandom oopsed with "int3" in urandom_read_iter
# under TCG), and the SSE levels Debian's binaries look for.  Not -cpu
# max: with AVX2 and AVX-512 the guest's string functions take vector
# paths TCG emulates slowly; half of the BPF suite costs a tenth more
# host CPU there (Documentation/vmtest.rst).  thread=single: one host
# thread runs both vCPUs in turn, so that none runs a stale copy of code
# another is live-patching (static keys, BPF trampolines: three guests
# died of "Oops: int3" that way under multi-threaded TCG).
cpu=qemu64,+rdrand,+popcnt,+ssse3,+sse4.1,+sse4.2
qemu=(qemu-system-x86_64 "${machine[@]}" -accel tcg,thread=single -cpu "$cpu" -m 1G -no-reboot -nic none
	-display none -vga none -serial stdio -monitor none
	-kernel "$vmlinuz" -initrd "$run/initramfs.cpio.gz"
	-append "$append" -pidfile "$qemu_pid_file")
if [ "$icount" -eq 1 ]; then
	qemu+=(-smp 1 -icount 'shift=0,sleep=off')
else
	qemu+=(-smp 2)
fi

# filter: console on stdin; the log keeps it all, stdout gets all but the
# dmesg section, which goes to its own log; marker values go to $run/.
filter() {
	local line mode=console
	exec 3>"$console_log" 4>"$dmesg_log"
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line%$'\r'}
		printf '%s\n' "$line" >&3
		case $mode in
		console)
			if [[ $line =~ ABAC-VM-EXIT=([0-9]+)$ ]]; then
				echo "${BASH_REMATCH[1]}" >"$run/exit"
			elif [[ $line =~ ABAC-VM-BOOT\ uptime=([0-9.]+)$ ]]; then
				echo "${BASH_REMATCH[1]}" >"$run/boot"
				continue
			elif [ "$line" = ABAC-VM-DMESG-BEGIN ]; then
				mode=dmesg
				continue
			fi
			printf '%s\n' "$line"
			;;
		dmesg)
			if [ "$line" = ABAC-VM-DMESG-END ]; then
				mode=after
			else
				printf '%s\n' "$line" >&4
			fi
			;;
		after)	# the kernel's own last words, if any
			case $line in
			"" | *"reboot: Power down"* | *"reboot: Restarting system"*) ;;
			*) printf '%s\n' "$line" ;;
			esac
			;;
		esac
	done
	exec 3>&- 4>&-
}

# shellcheck disable=SC2317 # called by the trap
on_signal() {	# on_signal EXIT_STATUS
	trap - INT TERM HUP
	if [ -s "$qemu_pid_file" ]; then
		kill "$(cat "$qemu_pid_file")" 2>/dev/null || true
	fi
	wait 2>/dev/null || true
	echo "vmtest: interrupted" >&2
	exit "$1"
}
trap 'on_signal 130' INT
trap 'on_signal 143' TERM
trap 'on_signal 129' HUP

t0=$(date +%s.%N)
{
	rc=0
	timeout --foreground -k 10 "$timeout_s" "${qemu[@]}" </dev/null 2>&1 || rc=$?
	echo "$rc" >"$run/qemu.rc"
} | filter &
wait $! || true
t1=$(date +%s.%N)
trap - INT TERM HUP
rm -f "$qemu_pid_file"	# QEMU is gone; its pid may be reused

[ -z "$keep_log" ] || cp "$console_log" "$keep_log"

qemu_rc=$(cat "$run/qemu.rc" 2>/dev/null || echo "?")
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
boot=$(cat "$run/boot" 2>/dev/null || echo "?")
status=

if [ -s "$run/exit" ]; then
	status=$(cat "$run/exit")
	gate_log=$dmesg_log
else
	gate_log=$console_log
fi

splat_re='WARNING:|BUG:|Oops|KASAN|possible circular locking|lockdep|rcu_(sched|preempt) (self-)?detected stall|RCU stall|Call Trace:'
splats=$(grep -E "$splat_re" "$gate_log" || true)

echo "vmtest: linux $kver ($kpkg), guest up after ${boot} s, boot+run ${wall} s wall, exit ${status:-none}" >&2

if [ -z "$status" ]; then
	if [ "$qemu_rc" = 124 ] || [ "$qemu_rc" = 137 ]; then
		reason="timed out after $timeout_s s (QEMU killed)"
		final=124
	elif grep -q 'Kernel panic' "$console_log"; then
		reason=$(grep -m1 'Kernel panic' "$console_log" | sed 's/^\[[^]]*\] *//')
		final=1
	else
		reason="QEMU exited with status $qemu_rc before the guest printed ABAC-VM-EXIT"
		final=1
	fi
	echo "vmtest: guest did not finish: $reason (console log: $console_log)" >&2
	if [ -n "$splats" ]; then
		echo "vmtest: kernel splat in guest log:" >&2
		printf '%s\n' "$splats" >&2
	fi
	exit "$final"
fi

if [ -n "$splats" ]; then
	echo "vmtest: kernel splat in guest log:" >&2
	printf '%s\n' "$splats" >&2
	echo "vmtest: full guest dmesg: $dmesg_log" >&2
	exit 1
fi
exit "$status"
