# shellcheck shell=bash
# Helpers for the full-boot scenarios (tests/boot/, run with tests/vm/run
# --boot); source after tests/vm/lib.sh and tests/integration/lib-mpiod.sh.
# What a boot writes under $BOOT_STATE lives on the VM's disk: the next boot
# of the same run reads it.
#
#   t_ok TEXT CMD...           t_check that also returns whether CMD succeeded
#   boot_end reboot|poweroff   end this boot; its check counts carry over
#   boot_done                  the summary over every boot; exit 1 if a check failed
#   boot_times N VAR           a runner figure of boot N (BOOT_SECS, TEST_SECS,
#                              SHUTDOWN_SECS, QEMU_SECS; tests/vm/run)
#   san_unit_install           the test's SAN (a LIO iSCSI target with 2 LUNs
#                              behind 127.0.0.1 and 127.0.0.2, ALUA: the
#                              first portal optimized) as a unit that boot
#                              starts before open-iscsi.service
#   san_portal PORTAL on|off   enable or disable a portal of the SAN
#   jmono RE [JOURNALCTL ARGS...]  CLOCK_MONOTONIC seconds of the first line
#                              of this boot's journal that matches RE
#   unit_mono UNIT PROPERTY    a unit's ...TimestampMonotonic, in seconds
#   map_target DEV             the device-mapper target of a dm node's table
#   on_maps_only DEV           every device under dm node DEV is an mpio map

BOOT_STATE=/var/lib/mpio-test
SAN_VENDOR=MPIOBOOT
SAN_PRODUCT=SANLUN
mkdir -p "$BOOT_STATE"

t_ok() {
	local f=$T_FAILED
	t_check "$@"
	[ "$T_FAILED" = "$f" ]
}
boot_end() {
	printf '\nboot %s: %d checks passed, %d failed\n' "$MPIO_BOOT" "$T_PASSED" "$T_FAILED"
	echo "$MPIO_BOOT $T_PASSED $T_FAILED" >>"$BOOT_STATE/checks"
	# Not a global sync: it would wait for whatever a map without paths queues.
	sync "$BOOT_STATE/checks"
	boot_next "$1"
	exit 0
}
boot_done() {
	local b p f
	echo "$MPIO_BOOT $T_PASSED $T_FAILED" >>"$BOOT_STATE/checks"
	printf '\n'
	while read -r b p f; do
		printf 'boot %s: %d checks passed, %d failed\n' "$b" "$p" "$f"
	done <"$BOOT_STATE/checks"
	T_PASSED=$(awk '{ s += $2 } END { print s }' "$BOOT_STATE/checks")
	T_FAILED=$(awk '{ s += $3 } END { print s }' "$BOOT_STATE/checks")
	t_done
}
boot_times() { (. "/results/boot-$1.times" 2>/dev/null && eval "echo \${$2:-}"); }

san_unit_install() {
	cat >/usr/local/sbin/mpio-test-san <<-EOF
		#!/bin/bash
		# The test's SAN, made again at each boot (configfs is empty after a
		# reboot); the LUNs' data is in files under $BOOT_STATE.
		. "$MPIO_SRC/tests/vm/lib.sh"
		LIO_DIR=$BOOT_STATE/san
		iscsi_san --target-only --luns 2 --size 256 --alua \\
			--vendor $SAN_VENDOR --product $SAN_PRODUCT --serial boot || exit 1
		# Implicit ALUA only, as arrays do: portal 127.0.0.2 non-optimized.
		for g in "\$CFS"/core/*/lun*/alua/pg[12]; do echo 1 >"\$g/alua_access_type"; done
		alua_set 127.0.0.2 nonoptimized
	EOF
	chmod 0755 /usr/local/sbin/mpio-test-san
	# Before open-iscsi logs in; after mpiod is up (if it is enabled), so that
	# the paths appear while mpiod runs, as a SAN reached over the network does.
	cat >/etc/systemd/system/mpio-test-san.service <<-EOF
		[Unit]
		Description=mpio test SAN (LIO iSCSI target on 127.0.0.1 and 127.0.0.2)
		DefaultDependencies=no
		After=systemd-modules-load.service local-fs.target mpiod.service
		Before=open-iscsi.service iscsid.service shutdown.target
		Conflicts=shutdown.target
		[Service]
		Type=oneshot
		RemainAfterExit=yes
		ExecStart=/usr/local/sbin/mpio-test-san
		[Install]
		WantedBy=sysinit.target
	EOF
	systemctl daemon-reload && systemctl enable mpio-test-san.service 2>&1
}
san_portal() {
	local i
	case $1 in 127.0.0.1) i=1 ;; 127.0.0.2) i=2 ;; *) t_fail "san_portal: unknown portal $1" ;; esac
	local v=0
	[ "$2" = off ] || v=1
	echo "$v" >"$CFS/iscsi/$ISCSI_IQN/tpgt_$i/enable" ||
		t_fail "cannot turn portal $1 $2"
}

jmono() {
	local re=$1
	shift
	journalctl -b -o short-monotonic --no-pager "$@" 2>/dev/null |
		grep -m1 -E "$re" | sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p'
}
unit_mono() {
	local us
	us=$(systemctl show -p "$2" --value "$1")
	[ -n "$us" ] && [ "$us" != 0 ] && awk -v u="$us" 'BEGIN { printf "%.3f\n", u / 1e6 }'
}
# Seconds from A to B (monotonic seconds), or ? if one is missing.
span() {
	if [ -n "$1" ] && [ -n "$2" ]; then awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; else echo '?'; fi
}

map_target() {
	local b
	b=$(basename "$(readlink -f "$1")")
	dmsetup table "$(cat "/sys/block/$b/dm/name")" 2>/dev/null | awk '{ print $3; exit }'
}
on_maps_only() {
	local b s n=0
	b=$(basename "$(readlink -f "$1")")
	for s in /sys/block/"$b"/slaves/*; do
		[ -e "$s" ] || continue
		n=$((n + 1))
		[ "$(map_target "/dev/${s##*/}")" = mpio ] || return 1
	done
	[ "$n" -gt 0 ]
}
