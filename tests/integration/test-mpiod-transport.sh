#!/bin/bash
# vm-options: --timeout 900 --allow check_flush_dependency
# Transport timeouts and I/O size written by mpiod (mpio.conf(5),
# "Transport timeouts and I/O size"), over a two-portal iSCSI SAN and two
# scsi_debug hosts: IscsiRecoveryTimeout=, EhDeadline= and MaxSectorsKb=
# land in the sessions', hosts' and paths' sysfs when the paths join their
# maps, and the maps take the paths' max_sectors_kb. A write the kernel
# refuses (eh_deadline of an iSCSI host, whose transport does its own error
# handling) is a warning naming the file and the error, and the path is in
# its map all the same. A reload writes the new values, but never
# max_sectors_kb under a live map. With nothing set, an iSCSI session gets
# the default 5 s; with "unset" every value stays what it was. With a
# portal cut, reads go on down the other path once the session's
# recovery_tmo, IscsiRecoveryTimeout=, is over, not after open-iscsi's 120 s.
# (FC needs the hardware: test-transport.c runs its rules on a fake sysfs
# tree.)
# mpiod by hand: configs the test writes, and the log lines on its stdout.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/integration/lib-mpiod.sh"

modprobe dm-mpio || t_fail "modprobe dm-mpio failed"
cfg=/tmp/mpio-cfg
mpiod_config "$cfg" "MPIOTEST" "Linux   scsi_debug"

# Sessions start at open-iscsi's default recovery time, and notice a dead
# connection within 2 s (a NOP-Out every second, answered within one).
NOOP_S=2
out=$(iscsi_san --vendor MPIOTEST --product SAN-DISK --serial tmo1 \
	--node node.session.timeo.replacement_timeout=120 \
	--node "node.conn[0].timeo.noop_out_interval=1" \
	--node "node.conn[0].timeo.noop_out_timeout=1") || exit 1
mapfile -t is <<<"$out"
out=$(sd_paths 2 1) || exit 1
mapfile -t sd <<<"$out"
t_check "2 iSCSI and 2 scsi_debug paths" test "${#is[@]}" = 2 -a "${#sd[@]}" = 2

# The sysfs files of a path's session, host and queue; the map over it.
devdir() { readlink -f "/sys/block/${1#/dev/}/device"; }
recovery_file() { echo "/sys/class/iscsi_session/$(devdir "$1" | grep -o 'session[0-9]*' | head -n1)/recovery_tmo"; }
eh_file() { echo "/sys/class/scsi_host/$(devdir "$1" | grep -o 'host[0-9]*' | head -n1)/eh_deadline"; }
msk_file() { echo "/sys/block/${1#/dev/}/queue/max_sectors_kb"; }
# The dm name of the map a path is under ("" if none).
map_of() {
	local h
	h=$(ls -d "/sys/block/${1#/dev/}/holders/"* 2>/dev/null | head -n1)
	[ -z "$h" ] || cat "$h/dm/name"
}
map_queue() { cat "/sys/block/$(basename "$(readlink -f "/dev/mapper/$1")")/queue/max_sectors_kb"; }
# each_is VALUE FILEFN DEV...: the file of each DEV holds VALUE.
each_is() {
	local v=$1 fn=$2 d
	shift 2
	for d in "$@"; do [ "$(cat "$("$fn" "$d")")" = "$v" ] || return 1; done
}
show() {
	local d
	for d in "${is[@]}" "${sd[@]}"; do
		printf '   %s: eh_deadline %s, max_sectors_kb %s (hw %s)' "$d" "$(cat "$(eh_file "$d")")" \
			"$(cat "$(msk_file "$d")")" "$(cat "/sys/block/${d#/dev/}/queue/max_hw_sectors_kb")"
		case " ${is[*]} " in *" $d "*) printf ', recovery_tmo %s' "$(cat "$(recovery_file "$d")")" ;; esac
		echo
	done
}
# log_since N: mpiod's log after its first N lines.
log_since() { tail -n +"$(($1 + 1))" "$MPIOD_LOG"; }
reloaded() { log_since "$1" | grep -q 'configuration reloaded'; }
nothing_written() { ! log_since "$1" | grep -q -- ' -> '; }
logged_since() { log_since "$1" | grep -q -- "$2"; }

t_step "before mpiod: the kernel's values"
show
msk_is0=$(cat "$(msk_file "${is[0]}")")
msk_sd0=$(cat "$(msk_file "${sd[0]}")")
t_check "iSCSI sessions at 120 s (open-iscsi's default, from the login)" each_is 120 recovery_file "${is[@]}"
t_check "hosts' eh_deadline off" each_is off eh_file "${is[@]}" "${sd[@]}"
t_check "max_sectors_kb not yet what the test sets" test "$msk_is0" != 128 -a "$msk_sd0" != 64

t_step "start mpiod: values set per device"
cat >"$cfg/mpio.conf" <<'EOF'
[Device]
Vendor=MPIOTEST
IscsiRecoveryTimeout=17
EhDeadline=23
MaxSectorsKb=128

[Device]
Vendor=Linux
Product=scsi_debug
EhDeadline=31
MaxSectorsKb=64
EOF
mpiod_start "$cfg"
t_check "two maps" wait_for 20 lines_are = 2 mpio_maps
show
mi=$(map_of "${is[0]}")
ms=$(map_of "${sd[0]}")
t_check "the iSCSI paths are in one map ($mi)" test -n "$mi" -a "$(map_of "${is[1]}")" = "$mi"
t_check "the scsi_debug paths are in one map ($ms)" test -n "$ms" -a "$(map_of "${sd[1]}")" = "$ms"
t_check "iSCSI sessions' recovery_tmo 17" each_is 17 recovery_file "${is[@]}"
t_check "recovery_tmo logged with the file and the value before" \
	grep -q "${is[0]#/dev/}: .*/iscsi_session/session[0-9]*/recovery_tmo 120 -> 17" "$MPIOD_LOG"
t_check "scsi_debug hosts' eh_deadline 31" each_is 31 eh_file "${sd[@]}"
# iscsi_tcp's hosts have no host reset: the kernel refuses eh_deadline.
t_check "iSCSI hosts' eh_deadline refused, left off" each_is off eh_file "${is[@]}"
t_check "the refusal is a warning naming the file and the error" \
	grep -q "^<4>.*${is[0]#/dev/}: cannot write 23 to /sys/.*/scsi_host/host[0-9]*/eh_deadline: Invalid argument" "$MPIOD_LOG"
t_check "the iSCSI map has both paths all the same" npaths_is "$mi" 2
t_check "iSCSI paths' max_sectors_kb 128" each_is 128 msk_file "${is[@]}"
t_check "scsi_debug paths' max_sectors_kb 64" each_is 64 msk_file "${sd[@]}"
t_check "the iSCSI map takes 128" test "$(map_queue "$mi")" = 128
t_check "the scsi_debug map takes 64" test "$(map_queue "$ms")" = 64
t_check "the iSCSI map reads" dd if="/dev/mapper/$mi" of=/dev/null bs=1M count=8 iflag=direct status=none

t_step "reload: new values, but no max_sectors_kb under a live map"
sed -i 's/^IscsiRecoveryTimeout=17/IscsiRecoveryTimeout=9/; s/^MaxSectorsKb=128/MaxSectorsKb=96/' "$cfg/mpio.conf"
n=$(wc -l <"$MPIOD_LOG")
kill -HUP "$(mpiod_pid)"
t_check "reloaded" wait_for 20 reloaded "$n"
show
t_check "recovery_tmo 9" each_is 9 recovery_file "${is[@]}"
t_check "max_sectors_kb stays 128 under the map" each_is 128 msk_file "${is[@]}"
t_check "and mpiod says why" logged_since "$n" 'max_sectors_kb stays 128, not 96: the path is under a map already'
mpiod_stop

t_step "nothing set: the default 5 s for iSCSI, the rest left alone"
for d in "${is[@]}"; do echo 40 >"$(recovery_file "$d")" || t_fail "cannot set recovery_tmo"; done
: >"$cfg/mpio.conf"
mpiod_start "$cfg"
show
t_check "recovery_tmo 5" each_is 5 recovery_file "${is[@]}"
t_check "eh_deadline left at 31" each_is 31 eh_file "${sd[@]}"
t_check "max_sectors_kb left at 128" each_is 128 msk_file "${is[@]}"
t_check "and at 64" each_is 64 msk_file "${sd[@]}"
mpiod_stop

t_step "unset: every value stays"
for d in "${is[@]}"; do echo 40 >"$(recovery_file "$d")" || t_fail "cannot set recovery_tmo"; done
printf '[Defaults]\nIscsiRecoveryTimeout=unset\nFastIoFailTimeout=unset\n' >"$cfg/mpio.conf"
n=$(wc -l <"$MPIOD_LOG")
mpiod_start "$cfg"
show
t_check "recovery_tmo stays 40" each_is 40 recovery_file "${is[@]}"
t_check "nothing written" nothing_written "$n"
t_check "both maps still there" lines_are = 2 mpio_maps
mpiod_stop

# The path I/O goes down is the first group's (PathGroupingPolicy=failover):
# its portal is cut (policy routing drops its packets, as tests/faults do),
# the session notices within NOOP_S, holds the I/O for recovery_tmo, then
# fails it, and the map sends it down the other portal's path.
RTMO=4
t_step "a portal cut: I/O goes on after IscsiRecoveryTimeout=$RTMO, not open-iscsi's 120 s"
for d in "${is[@]}"; do echo 120 >"$(recovery_file "$d")" || t_fail "cannot set recovery_tmo"; done
printf '[Device]\nVendor=MPIOTEST\nPathGroupingPolicy=failover\nIscsiRecoveryTimeout=%s\n' "$RTMO" >"$cfg/mpio.conf"
mpiod_start "$cfg"
t_check "recovery_tmo $RTMO" each_is "$RTMO" recovery_file "${is[@]}"
t_check "the iSCSI map has two groups" wait_for 20 ngroups_is "$mi" 2
active=$(mpio_paths "$mi" | head -n1)
portal=
for p in "${ISCSI_PORTALS[@]}"; do [ "$(devnum "$(iscsi_devs "$p")")" = "$active" ] && portal=$p; done
[ -n "$portal" ] || t_fail "no portal has the active path $active"
# One 4 KiB direct read after the other, each one's end time (ns) in a file.
rm -f /tmp/io-times
(
	while :; do
		dd if="/dev/mapper/$mi" of=/dev/null bs=4k count=1 skip=$((RANDOM % 4096)) iflag=direct \
			status=none || echo "error $(date +%s%N)"
		date +%s%N
	done >/tmp/io-times
) &
io=$!
t_check "reads go on" wait_for 10 lines_are -ge 10 cat /tmp/io-times
ip rule add pref 100 lookup local && ip rule del pref 0 || t_fail "cannot move the local routing rule"
cut=$(date +%s%N)
ip rule add pref 10 to "$portal" ipproto tcp dport 3260 blackhole &&
	ip rule add pref 11 from "$portal" ipproto tcp sport 3260 blackhole || t_fail "cannot cut $portal"
echo "   cut $portal, the path of $active"
t_check "the map fails the path" wait_for 150 mpio_path_is "$mi" F "$active"
failed=$(date +%s%N)
# The reads that ended after the path failed.
after_fail() { awk -v t="$failed" '$1 ~ /^[0-9]+$/ && $1 > t' /tmp/io-times; }
t_check "reads go on after it" wait_for 10 lines_are -ge 10 after_fail
kill "$io"
wait "$io" 2>/dev/null
# The longest wait for a read from the cut on.
stall=$(awk -v c="$cut" '$1 ~ /^[0-9]+$/ { if ($1 > c) { g = $1 - (p > c ? p : c); if (g > m) m = g } p = $1 }
	END { printf "%d", m / 1000000 }' /tmp/io-times)
echo "   longest wait for a read: $stall ms (the path failed $(((failed - cut) / 1000000)) ms after the cut)"
t_check "no read failed" sh -c "! grep -q error /tmp/io-times"
t_check "the wait outlasted recovery_tmo (the session held the I/O)" test "$stall" -ge $((RTMO * 1000 - 500))
t_check "and ended within recovery_tmo + the NOP-Out's $NOOP_S s + a 5 s margin" \
	test "$stall" -le $(((RTMO + NOOP_S + 5) * 1000))
ip rule del pref 10 && ip rule del pref 11 || t_fail "cannot mend $portal"
t_check "the path comes back" wait_for 60 mpio_path_is "$mi" A "$active"
t_check "its session, logged in again, keeps recovery_tmo $RTMO, not iscsid's 120 (mpio.conf(5))" \
	each_is "$RTMO" recovery_file "${is[@]}"

mpiod_finish
dmsetup remove "$mi" "$ms"
t_done
