#!/bin/bash
# vm-options: --timeout 420 --allow check_flush_dependency
# ALUA over a two-portal iSCSI SAN: with group_by_prio the groups follow the
# ALUA states, and flipping the states under fio --verify moves the I/O to
# the new optimized port without an I/O error. Then an iSCSI logout and
# login under fio: the path leaves and rejoins the map, no I/O error.
# (The stock kernel warns about a workqueue flush dependency in iSCSI
# logout, check_flush_dependency: allowed above, not ours.)
# mpiod by hand: a test config (group_by_prio, CheckInterval) and the log
# lines of each regroup, on mpiod's stdout.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/integration/lib-mpiod.sh"

modprobe dm-mpio || t_fail "modprobe dm-mpio failed"
cfg=/tmp/mpio-cfg
mpiod_config "$cfg" "MPIOTEST"
printf '[Device]\nVendor=MPIOTEST\nPathGroupingPolicy=group_by_prio\nHardwareHandler=alua\nFailback=immediate\nNoPathRetry=queue\nCheckInterval=1\n' \
	>"$cfg/mpio.conf"

out=$(iscsi_san --alua --vendor MPIOTEST --product SAN-DISK --serial alua1) || exit 1
mapfile -t is <<<"$out"
# Implicit ALUA only: with explicit ALUA, the alua handler's activation of a
# non-optimized group would make it optimized again (STPG), undoing the flip.
for g in "$CFS"/core/*/lun*/alua/pg[12]; do echo 1 >"$g/alua_access_type"; done
p1=$(iscsi_devs 127.0.0.1)
p2=$(iscsi_devs 127.0.0.2)
t_check "one path per portal" test -n "$p1" -a -n "$p2"
state() { cat "/sys/block/${1#/dev/}/device/access_state"; }
# The initiator learns a new state from a unit attention: poke both paths.
poke() { dd if="$p1" of=/dev/null bs=4k count=1 iflag=direct status=none; dd if="$p2" of=/dev/null bs=4k count=1 iflag=direct status=none; }
alua_set 127.0.0.2 nonoptimized
poke
t_check "initiator sees $p2 non-optimized" wait_for 10 sh -c "dd if=$p2 of=/dev/null bs=4k count=1 iflag=direct status=none; test \"\$(cat /sys/block/${p2#/dev/}/device/access_state)\" = active/non-optimized"
echo "   $p1: $(state "$p1"), $p2: $(state "$p2")"

t_step "start mpiod: group_by_prio"
mpiod_start "$cfg"
m=$(mpio_maps)
t_check "one map" test "$(mpio_maps | wc -l)" = 1
dmsetup table "$m" | sed 's/^/   /'
t_check "2 groups" test "$(mpio_ngroups "$m")" = 2
t_check "the optimized path $p1 is in the first group" first_dev_is "$m" "$p1"

t_step "flip the ALUA states under fio --verify"
fio_verify "/dev/mapper/$m" 25 /tmp/fio-alua.log
sleep 3
alua_set 127.0.0.1 nonoptimized
alua_set 127.0.0.2 optimized
t_check "mpiod regroups: $p2 first" wait_for 20 first_dev_is "$m" "$p2"
t_check "regroup logged" grep -q "ALUA state of ${p2#/dev/}" "$MPIOD_LOG"
dmsetup table "$m" | sed 's/^/   /'
sleep 1
mapfile -t n < <(ios_in "$m" 2 "$p1" "$p2")
echo "   I/Os in 2 s: $p1 ${n[0]}, $p2 ${n[1]}"
t_check "I/O goes to $p2 only" test "${n[1]}" -gt 0 -a "${n[0]}" = 0
echo "   access_state: $p1 $(state "$p1"), $p2 $(state "$p2")"
dmsetup status "$m" | sed 's/^/   /'

t_step "iSCSI logout and login under the same fio"
iscsi_logout 127.0.0.1
t_check "$p1 leaves the map" wait_for 10 npaths_is "$m" 1
iscsi_login 127.0.0.1
t_check "the portal's path rejoins the map" wait_for 15 npaths_is "$m" 2
wait "$FIO_PID"
rc=$?
t_check "fio exits 0" test "$rc" = 0
t_check "fio saw no I/O error" fio_verify_ok /tmp/fio-alua.log

mpiod_finish
dmsetup remove "$m"
t_done
