#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# /init of the QEMU guest that scripts/vmtest.sh boots (busybox sh, PID 1).
#
# Mounts the usual file systems, runs /abac/cmd (or, without it, the
# executables of one suite in /abac/selftests/, in name order) from /tmp
# with its output on the console, then prints, for the host to parse:
#
#   ABAC-VM-EXIT=<status>
#   ABAC-VM-DMESG-BEGIN
#   ...dmesg...
#   ABAC-VM-DMESG-END
#
# and powers the machine off.

export PATH=/usr/bin:/bin:/usr/sbin:/sbin
export HOME=/root USER=root LOGNAME=root SHELL=/bin/sh TERM=dumb

mkdir -p /dev
mount -t devtmpfs -o mode=0755,nosuid devtmpfs /dev 2>/dev/null
# The kernel may have found no /dev/console in the image: make sure the
# console is our stdin, stdout and stderr.
exec </dev/console >/dev/console 2>&1

mnt() {
	# mnt TYPE DIR [OPTIONS]; a file system the kernel lacks (the native
	# test kernel has no bpf, debugfs, tracefs) is skipped quietly.
	if [ -r /proc/filesystems ] && ! grep -qw "$1" /proc/filesystems; then
		return 0
	fi
	mkdir -p "$2"
	mount -t "$1" ${3:+-o "$3"} "$1" "$2" ||
		echo "vm-init: cannot mount $1 on $2"
}

mnt proc /proc nosuid,nodev,noexec
# Keep kernel messages off the console; they are printed after the run.
echo 3 >/proc/sys/kernel/printk
mnt sysfs /sys nosuid,nodev,noexec
mnt securityfs /sys/kernel/security nosuid,nodev,noexec
mnt cgroup2 /sys/fs/cgroup nosuid,nodev,noexec
mnt bpf /sys/fs/bpf mode=0700
mnt debugfs /sys/kernel/debug
mnt tracefs /sys/kernel/tracing
mnt tmpfs /tmp mode=1777,nosuid,nodev
mnt tmpfs /run mode=0755,nosuid,nodev
mnt devpts /dev/pts mode=0620,ptmxmode=0666
mnt tmpfs /dev/shm mode=1777,nosuid,nodev
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd

# Debian's kernel: the modules vmtest.sh packed (overlayfs, SCTP, loop), loaded
# before any test, as an administrator would have.
if [ -s /abac/modules/order ]; then
	while read -r m; do
		insmod "/abac/modules/$m.ko" ||
			echo "vm-init: cannot load the $m module"
	done </abac/modules/order
fi

hostname abac-vm
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up
chown 1000:1000 /home/alice 2>/dev/null

# The network stack's once-only secrets (TCP sequence numbers, the
# established hash, IP ids, IPv6 flow labels) each flip a static key by
# live-patching kernel text, from a work item, after their first use.
# Under multi-threaded TCG another vCPU can run a stale copy of the
# patched site: one run died with "Oops: int3" in
# secure_tcp_seq_and_ts_off() while net_test made the boot's first TCP
# connection.  Make those first uses here, before any test runs, and
# give the work items time to patch while nothing else runs.
warm_net() {
	for addr in 127.0.0.1 ::1; do
		nc -l -p 7 </dev/null >/dev/null 2>&1 &
		usleep 100000
		nc -w 1 "$addr" 7 </dev/null >/dev/null 2>&1
		wait $! 2>/dev/null
	done
	ping -c 1 -W 1 127.0.0.1 >/dev/null 2>&1
	ping6 -c 1 -W 1 ::1 >/dev/null 2>&1
	usleep 300000
}
warm_net

read -r up _ </proc/uptime
echo "ABAC-VM-BOOT uptime=$up"

# The suite comes from abac.suite= on the kernel command line (vmtest.sh
# --suite): "bpf" (Debian's kernel, the BPF-LSM programs) or "native" (the
# kernel make kernel builds, the abac LSM built in).  Both run every test:
# a test learns the backend from /sys/kernel/security/lsm, and the few
# that are about one backend only skip on the other, saying why.
suite=$(sed -n 's/.*abac\.suite=\([a-z0-9_-]*\).*/\1/p' /proc/cmdline)
suite=${suite:-bpf}
# abac.part=K/N (vmtest.sh --part): only the K-th of N shares of the
# test programs (share_programs() below deals them).
part=$(sed -n 's/.*abac\.part=\([0-9]*\)\/\([0-9]*\).*/\1 \2/p' /proc/cmdline)
share=${part% *}
shares=${part#* }
[ -n "$part" ] || { share=1; shares=1; }

# The test programs of this guest's share, one name a line, in name
# order.  /abac/vm-costs (selftests/vm/costs) says what each costs on
# this suite; the programs are dealt dearest first, each to the share
# with the least so far (ties: by name, to the lowest share), so that
# the guests of a split suite end together.  Every guest deals the same.
share_programs() {
	col=2
	[ "$suite" = native ] && col=3
	for t in /abac/selftests/*; do
		[ -f "$t" ] && [ -x "$t" ] && echo "${t##*/}"
	done | awk -v share="$share" -v shares="$shares" -v col="$col" '
		BEGIN {
			while ((getline l < "/abac/vm-costs") > 0) {
				nf = split(l, f, " ")
				if (nf >= col && f[1] !~ /^#/)
					cost[f[1]] = f[col] + 0
			}
		}
		{ name[NR] = $0; c[NR] = ($0 in cost) ? cost[$0] : 20; ord[NR] = NR }
		END {
			for (i = 2; i <= NR; i++) {
				k = ord[i]
				for (j = i - 1; j >= 1 && c[ord[j]] < c[k]; j--)
					ord[j + 1] = ord[j]
				ord[j + 1] = k
			}
			for (s = 1; s <= shares; s++)
				load[s] = 0
			for (i = 1; i <= NR; i++) {
				best = 1
				for (s = 2; s <= shares; s++)
					if (load[s] < load[best])
						best = s
				load[best] += c[ord[i]]
				part[ord[i]] = best
			}
			for (i = 1; i <= NR; i++)
				if (part[i] == share)
					print name[i]
		}'
}

run_selftests() {
	rc=0
	n=0
	for name in $(share_programs); do
		t=/abac/selftests/$name
		n=$((n + 1))
		echo "# vmtest: running ${t##*/}"
		t0=$(cut -d' ' -f1 /proc/uptime)
		"$t"
		st=$?
		t1=$(cut -d' ' -f1 /proc/uptime)
		# the memory left tells a guest that fills its RAM (rootfs is
		# RAM) from one that dies of something else
		avail=$(sed -n 's/^MemAvailable: *\([0-9]*\) kB/\1/p' /proc/meminfo)
		echo "# vmtest: ${t##*/} took $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s, $((avail / 1024)) MiB available"
		if [ "$st" -ne 0 ]; then
			echo "# vmtest: ${t##*/} exited with status $st"
			rc=1
		fi
	done
	[ "$n" -gt 0 ] || echo "# vmtest: no executable of suite $suite in /abac/selftests/"
	return $rc
}

cd /tmp || cd /
if [ -f /abac/cmd ]; then
	sh /abac/cmd </dev/null
	status=$?
else
	run_selftests </dev/null
	status=$?
fi

# Whatever the command left running goes now, so that it cannot write
# into the dmesg section.
kill -TERM -1 2>/dev/null && sleep 0.2
kill -KILL -1 2>/dev/null

echo "ABAC-VM-EXIT=$status"
echo "ABAC-VM-DMESG-BEGIN"
dmesg
echo "ABAC-VM-DMESG-END"
sync
# A reset, not a power-off: QEMU runs with -no-reboot, so a reset ends
# it, and the native test kernel has no ACPI to power off with.  Should
# the reset fail, PID 1 exiting panics the kernel, and panic=-1 with
# -no-reboot ends the machine just the same.
reboot -f
echo o >/proc/sysrq-trigger 2>/dev/null
sleep 5
exit "$status"
