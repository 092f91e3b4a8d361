#!/bin/bash
# vm-options: --timeout 360
# kill -9 of mpiod and a restart under fio --verify: no I/O error, and the
# maps are adopted as they are (same device, no reload: the target's
# per-path counters, which a table load resets, keep counting). A path the
# kernel failed while no daemon ran is learnt from the status and
# reinstated by the new daemon's checker.
# mpiod by hand: kill -9 and a restart at a moment the test chooses (a unit's
# Restart= would race it), and the adoption lines on mpiod's stdout.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/integration/lib-mpiod.sh"

modprobe dm-mpio || t_fail "modprobe dm-mpio failed"
cfg=/tmp/mpio-cfg
mpiod_config "$cfg" "Linux   scsi_debug"
# A restart must not rename maps: user-friendly names come from the bindings file.
printf '[Defaults]\nUserFriendlyNames=yes\n' >"$cfg/mpio.conf"

out=$(sd_paths 4 2) || exit 1
mapfile -t sd <<<"$out"
t_check "8 scsi_debug paths" test ${#sd[@]} = 8

t_step "first mpiod"
mpiod_start "$cfg"
mapfile -t maps < <(mpio_maps)
t_check "2 maps, named mpatha and mpathb" test "${maps[*]}" = "mpatha mpathb"
t_check "bindings file written" test "$(grep -c '^mpath' "$cfg/bindings")" = 2
m=mpatha
minor=$(dmsetup info -c --noheadings -o minor "$m")

t_step "kill -9 under fio --verify, a path failed meanwhile, restart"
fio_verify "/dev/mapper/$m" 20 /tmp/fio-restart.log
sleep 4
kill -9 "$(mpiod_pid)"
victim=$(mpio_paths "$m" | head -n1)
dmsetup message "$m" 0 fail_path "$victim"
before=$(mpio_stat_sum "$m" ios)
sleep 1
mpiod_start "$cfg"
after=$(mpio_stat_sum "$m" ios)
echo "   I/Os counted by $m: $before before the restart, $after after it"
t_check "same dm device" test "$(dmsetup info -c --noheadings -o minor "$m")" = "$minor"
t_check "maps adopted" test "$(grep -c 'adopted with 4 paths' "$MPIOD_LOG")" = 2
t_check "no reload: the table's counters kept counting" test "$after" -ge "$before"
no_reload() { ! sed -n '/adopted/,$p' "$MPIOD_LOG" | grep -qE 'reloading|created'; }
t_check "no map reloaded or created" no_reload
t_check "the kernel-failed path is learnt" grep -q "map $m: path .* ($victim) is failed in the kernel" "$MPIOD_LOG"
t_check "and reinstated by the checker" wait_for 10 grep -q "map $m: path .* ($victim) checks up (tur), reinstated" "$MPIOD_LOG"
t_check "the path is active again" mpio_path_is "$m" A "$victim"
wait "$FIO_PID"
rc=$?
t_check "fio exits 0" test "$rc" = 0
t_check "fio saw no I/O error" fio_verify_ok /tmp/fio-restart.log
t_check "same names after the restart" test "$(mpio_maps | tr '\n' ' ')" = "mpatha mpathb "

mpiod_finish
for m in $(mpio_maps); do dmsetup remove "$m"; done
t_done
