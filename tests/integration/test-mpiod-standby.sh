#!/bin/bash
# vm-options: --timeout 480
# Standby paths do not flap. scsi_debug (vpd_use_hostno=0) reports implicit
# ALUA, the port state following the host number: active/optimized,
# active/non-optimized, standby. Once scsi_dh_alua is attached, I/O to a
# standby port fails, while TEST UNIT READY still answers.
#  1. The built-in scsi_debug entry (group_by_prio, alua): the map regroups
#     by ALUA state, and under fio --verify no path is failed any more.
#  2. Forced into multibus (one group): mpiod keeps the standby paths failed
#     instead of reinstating them on every check.
# mpiod by hand: two test configs (the built-in entry, then multibus) and the
# counts of kernel-failed and reinstated lines on mpiod's stdout.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/integration/lib-mpiod.sh"

modprobe dm-mpio || t_fail "modprobe dm-mpio failed"
cfg=/tmp/mpio-cfg
mpiod_config "$cfg" "Linux   scsi_debug"
printf '[Defaults]\nCheckInterval=1\n' >"$cfg/mpio.conf"

# Four hosts: their numbers modulo 3 give each state at least once.
out=$(sd_paths 4 1) || exit 1
mapfile -t sd <<<"$out"
t_check "4 scsi_debug paths" test ${#sd[@]} = 4
state() { cat "/sys/block/${1#/dev/}/device/access_state" 2>/dev/null; }
kfails() { grep -c "kernel failed path" "$MPIOD_LOG"; }
reinstates() { grep -c "reinstated" "$MPIOD_LOG"; }

t_step "built-in entry: group_by_prio with the alua handler"
mpiod_start "$cfg"
m=$(mpio_maps)
t_check "one map" test "$(mpio_maps | wc -l)" = 1
states_known() { local d; for d in "${sd[@]}"; do [ -n "$(state "$d")" ] || return 1; done; }
t_check "the alua handler gave every path its state" wait_for 30 states_known
for d in "${sd[@]}"; do echo "   $d: $(state "$d")"; done
standby=()
for d in "${sd[@]}"; do [ "$(state "$d")" = standby ] && standby+=("$d"); done
t_check "at least one standby path" test ${#standby[@]} -ge 1
t_check "map regrouped by ALUA state" wait_for 20 grep -q "map $m: ALUA state of .*reloading" "$MPIOD_LOG"
dmsetup table "$m" | sed 's/^/   /'
t_check "2 or 3 groups" test "$(mpio_ngroups "$m")" -ge 2
# The first I/O may have failed a standby path once, before the regroup.
t_check "every path usable again" wait_for 20 output_is "" mpio_paths "$m" F
f0=$(kfails) r0=$(reinstates)
fio_verify "/dev/mapper/$m" 15 /tmp/fio-sb1.log
wait "$FIO_PID"
t_check "fio exits 0" test $? = 0
t_check "fio saw no I/O error" fio_verify_ok /tmp/fio-sb1.log
t_check "no path failed under fio" test "$(kfails)" = "$f0"
t_check "no path reinstated under fio" test "$(reinstates)" = "$r0"
t_check "every path still usable" output_is "" mpio_paths "$m" F

t_step "forced multibus: standby paths are kept failed"
printf '[Defaults]\nCheckInterval=1\n[Device]\nVendor=Linux\nProduct=scsi_debug\nPathGroupingPolicy=multibus\n' >"$cfg/mpio.conf"
kill -HUP "$(mpiod_pid)"
t_check "one group of 4" wait_for 20 ngroups_is "$m" 1
fio_verify "/dev/mapper/$m" 20 /tmp/fio-sb2.log
for d in "${standby[@]}"; do
	t_check "standby $d kept failed" wait_for 20 grep -q "path ${d#/dev/} ($(devnum "$d")) checks up (tur) but is standby, in a group with active paths: kept failed" "$MPIOD_LOG"
done
sleep 5
f1=$(kfails) r1=$(reinstates)
sleep 8
echo "   in 8 s: $(($(kfails) - f1)) paths failed by the kernel, $(($(reinstates) - r1)) reinstated"
t_check "no flapping: nothing failed or reinstated in 8 s" test "$(kfails)/$(reinstates)" = "$f1/$r1"
for d in "${standby[@]}"; do
	t_check "$d failed in the kernel" mpio_path_is "$m" F "$d"
done
wait "$FIO_PID"
t_check "fio exits 0" test $? = 0
t_check "fio saw no I/O error" fio_verify_ok /tmp/fio-sb2.log

mpiod_finish
dmsetup remove "$m"
t_done
