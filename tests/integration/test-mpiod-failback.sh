#!/bin/bash
# vm-options: --timeout 1200 --allow check_flush_dependency
# Failback policies over a two-portal iSCSI SAN with ALUA: the portal of
# port group 1 is active/optimized (group 1 of a group_by_prio map), the
# other active/non-optimized (group 2). Under fio --verify, for each policy
# the optimized path is failed (SCSI device offline: I/O and TUR fail), the
# kernel moves to group 2, the path is restored and the checker reinstates
# it. Then:
#   immediate   mpiod switches back to group 1 at once;
#   manual      the map stays on group 2;
#   followover  stays on group 2 while it is usable; when its path fails in
#               turn, I/O goes to group 1 and stays there after it is back;
#   30 (secs)   stays on group 2 for about 30 s, then switches to group 1
#               (long, as a slow guest may see the reinstatement seconds late).
# Never an I/O error.
# mpiod by hand: one start per Failback= policy on a test config, and the
# failback log lines on mpiod's stdout.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/integration/lib-mpiod.sh"

modprobe dm-mpio || t_fail "modprobe dm-mpio failed"
cfg=/tmp/mpio-cfg
mpiod_config "$cfg" "MPIOTEST"

out=$(iscsi_san --alua --vendor MPIOTEST --product SAN-DISK --serial fb1) || exit 1
# Implicit ALUA only: an explicit STPG on activation would change the states.
for g in "$CFS"/core/*/lun*/alua/pg[12]; do echo 1 >"$g/alua_access_type"; done
alua_set 127.0.0.2 nonoptimized
p1=$(iscsi_devs 127.0.0.1)
p2=$(iscsi_devs 127.0.0.2)
t_check "one path per portal" test -n "$p1" -a -n "$p2"
readp() { dd if="$1" of=/dev/null bs=4k count=1 iflag=direct status=none; }
readp "$p1"
t_check "initiator sees $p2 non-optimized" wait_for 15 sh -c "dd if=$p2 of=/dev/null bs=4k count=1 iflag=direct status=none; test \"\$(cat /sys/block/${p2#/dev/}/device/access_state)\" = active/non-optimized"

m=""
two_groups_p1_first() { ngroups_is "$m" 2 && first_dev_is "$m" "$p1"; }
# use_policy POLICY: (re)start mpiod with Failback=POLICY, map on group 1.
use_policy() {
	[ -e /tmp/mpiod.pid ] && kill -0 "$(mpiod_pid)" 2>/dev/null && mpiod_stop
	printf '[Device]\nVendor=MPIOTEST\nPathGroupingPolicy=group_by_prio\nHardwareHandler=alua\nFailback=%s\nNoPathRetry=queue\nCheckInterval=1\n' \
		"$1" >"$cfg/mpio.conf"
	LOG0=$(cat "$MPIOD_LOG" 2>/dev/null | wc -l)
	mpiod_start "$cfg"
	m=$(mpio_maps)
	t_check "one map" test "$(mpio_maps | wc -l)" = 1
	t_check "2 groups, optimized $p1 first" two_groups_p1_first
	if ! cur_group_is "$m" 1; then
		dmsetup message "$m" 0 switch_group 1
	fi
	t_check "group 1 is current" wait_for 10 cur_group_is "$m" 1
}
# io_only M DEV OTHER: in 2 s, I/O went to DEV and none to OTHER.
io_only() {
	local n
	mapfile -t n < <(ios_in "$1" 2 "$2" "$3")
	echo "   I/Os in 2 s: $2 ${n[0]}, $3 ${n[1]}"
	test "${n[0]}" -gt 0 -a "${n[1]}" = 0
}
# fail_and_restore DEV GROUP: offline DEV until the kernel runs on GROUP, then online it
# and wait for mpiod to reinstate it. Sets REINSTATED to the time (s since epoch, ns).
fail_and_restore() {
	local dev=$1 group=$2 n
	n=$(grep -c "(.*$(devnum "$dev")) checks up (tur), reinstated" "$MPIOD_LOG")
	path_offline "$dev"
	t_check "$dev failed in the kernel" wait_for 30 mpio_path_is "$m" F "$dev"
	t_check "kernel runs on group $group" wait_for 30 cur_group_is "$m" "$group"
	path_online "$dev"
	t_check "$dev reinstated by the checker" wait_for 30 sh -c "test \$(grep -c '($(devnum "$dev")) checks up (tur), reinstated' $MPIOD_LOG) -gt $n"
	REINSTATED=$(date +%s%N)
}
# fail_over_and_back POLICY: with Failback=POLICY and fio running, fail
# the optimized path until the kernel runs on group 2, then restore it.
fail_over_and_back() {
	use_policy "$1"
	FIO_LOG=/tmp/fio-fb-$1.log
	fio_verify "/dev/mapper/$m" 300 "$FIO_LOG"
	sleep 2
	fail_and_restore "$p1" 2
}
# Each scenario runs fio for long enough on a loaded machine and then stops
# it: SIGINT makes fio finish its jobs and report, and exit 128 (0 if the
# runtime ran out first); an I/O or verify error makes it exit 1 at once.
fio_done() {
	kill -INT "$FIO_PID" 2>/dev/null
	wait "$FIO_PID"
	local rc=$?
	t_check "fio stopped without error (exit $rc)" test "$rc" = 0 -o "$rc" = 128
	t_check "fio saw no I/O error" fio_verify_ok "$FIO_LOG"
}
# Failback lines of mpiod since use_policy, for policy $1.
failbacks() { tail -n +$((LOG0 + 1)) "$MPIOD_LOG" | grep -c "map $m: failback from group 2 to group 1 (Failback=$1)"; }

t_step "Failback=immediate"
fail_over_and_back immediate
t_check "back on group 1 at once" wait_for 5 cur_group_is "$m" 1
echo "   group 1 current $((($(date +%s%N) - REINSTATED) / 1000000)) ms after the reinstatement was seen"
t_check "failback logged" test "$(failbacks immediate)" = 1
t_check "I/O to $p1 only" io_only "$m" "$p1" "$p2"
fio_done

t_step "Failback=manual"
fail_over_and_back manual
sleep 5
t_check "still on group 2, 5 s after the reinstatement" cur_group_is "$m" 2
t_check "I/O to $p2 only" io_only "$m" "$p2" "$p1"
t_check "no failback logged" sh -c "! tail -n +$((LOG0 + 1)) $MPIOD_LOG | grep -q 'map $m: failback'"
t_check "switch group 1 by hand" dmsetup message "$m" 0 switch_group 1
t_check "on group 1" wait_for 5 cur_group_is "$m" 1
t_check "I/O to $p1 only" io_only "$m" "$p1" "$p2"
fio_done

t_step "Failback=followover"
fail_over_and_back followover
sleep 5
t_check "still on group 2 while it is usable" cur_group_is "$m" 2
t_check "I/O to $p2 only" io_only "$m" "$p2" "$p1"
t_check "no failback logged" test "$(failbacks followover)" = 0
t_step "followover: the path of group 2 fails in turn"
fail_and_restore "$p2" 1
sleep 3
t_check "stays on group 1" cur_group_is "$m" 1
t_check "I/O to $p1 only" io_only "$m" "$p1" "$p2"
fio_done

t_step "Failback=30 (seconds)"
fail_over_and_back 30
# The I/O window comes first, right after the reinstatement was seen, so that
# even a late script closes it well before the failback is due; the log is
# read after it to tell a late script from I/O routed to the wrong group.
t_check "I/O to $p2 only" io_only "$m" "$p2" "$p1"
t_check "the window closed before the failback" test "$(failbacks 30)" = 0
t_check "failback scheduled" wait_for 10 grep -q "map $m: group 1 usable again, failing back in 30 s" "$MPIOD_LOG"
t_check "not yet: still on group 2" cur_group_is "$m" 2
t_check "back on group 1 after the delay" wait_for 50 cur_group_is "$m" 1
ms=$((($(date +%s%N) - REINSTATED) / 1000000))
echo "   group 1 current $ms ms after the reinstatement was seen"
# The script sees the reinstatement and the switch late by up to a few
# seconds on a loaded guest, so only a wide window is checked.
t_check "switched 22..45 s after the reinstatement" test "$ms" -ge 22000 -a "$ms" -le 45000
t_check "failback logged" test "$(failbacks 30)" = 1
t_check "I/O to $p1 only" io_only "$m" "$p1" "$p2"
fio_done

mpiod_finish
dmsetup remove "$m"
t_done
