#!/bin/bash
# vm-options: --timeout 600
# mpiod builds the right maps: 4 scsi_debug LUNs with 4 paths each are
# claimed by the supported-device list, a LUN of an unlisted vendor is left
# alone. A storm of change uevents reloads nothing. Then a path is deleted
# and rescanned under fio --verify: no I/O error, and the path leaves and
# rejoins its map. Last, maps whose paths are
# all deleted are kept for RemoveTimeout, then removed (deferred while open).
# mpiod by hand: a test config (RemoveTimeout), its time to ready measured
# from the start, and one log line per map change on mpiod's stdout.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/integration/lib-mpiod.sh"

modprobe dm-mpio || t_fail "modprobe dm-mpio failed"
cfg=/tmp/mpio-cfg
mpiod_config "$cfg" "Linux   scsi_debug"
printf '[Defaults]\nRemoveTimeout=3\n' >"$cfg/mpio.conf"

t_step "devices: scsi_debug 4 paths x 4 LUNs, tcm_loop 2 paths of OTHERVND"
out=$(sd_paths 4 4) || exit 1
mapfile -t sd <<<"$out"
t_check "16 scsi_debug paths" test ${#sd[@]} = 16
out=$(tcmloop_paths 2 --vendor OTHERVND --product DISK --serial other1) || exit 1
mapfile -t other <<<"$out"
t_check "2 OTHERVND paths" test ${#other[@]} = 2

t_step "start mpiod"
t0=$(date +%s%N)
mpiod_start "$cfg"
t1=$(date +%s%N)
echo "   mpiod ready after $(((t1 - t0) / 1000000)) ms: $(grep ' ready: ' "$MPIOD_LOG" | tail -1)"
mapfile -t maps < <(mpio_maps)
dmsetup ls --target mpio
# The paths of every mpio map together.
all_npaths() {
	local x n=0
	for x in $(mpio_maps); do n=$((n + $(mpio_npaths "$x"))); done
	echo "$n"
}
t_check "4 mpio maps" test ${#maps[@]} = 4
for m in "${maps[@]}"; do
	t_check "map $m has 4 paths" test "$(mpio_npaths "$m")" = 4
	t_check "map $m is named by its WWID" sh -c "dmsetup info -c --noheadings -o uuid $m | grep -qx 'mpath-$m'"
done
for d in "${other[@]}"; do
	t_check "unlisted $d is in no map" sh -c "! dmsetup table | grep -qw $(devnum "$d")"
	t_check "unlisted $d has no holder" test -z "$(ls "/sys/block/${d#/dev/}/holders")"
done
t_check "every scsi_debug path is in a map" output_is 16 all_npaths

t_step "SIGUSR1 writes the state"
kill -USR1 "$(mpiod_pid)"
t_check "state file lists 4 maps" wait_for 5 grep -q '^maps 4' /tmp/mpiod.state
grep -m 12 . /tmp/mpiod.state | sed 's/^/   /'

t_step "uevent storm: 10 change events for each of the 18 disks"
# First the regroup of each new map once the alua handler gave the states.
t_check "4 maps regrouped by ALUA state" wait_for 30 sh -c "test \$(grep -c 'ALUA state of .*reloading' $MPIOD_LOG) -ge 4"
sleep 3
n0=$(grep -c 'reloading' "$MPIOD_LOG")
for i in 1 2 3 4 5 6 7 8 9 10; do
	udevadm trigger --action=change --subsystem-match=block --sysname-match='sd*'
done
# 180 events, each through every rule (blkid on each disk): trixie's udev
# took over 60 s for them under TCG on a loaded host.
settle 300
sleep 2
echo "   reloads after the storm: $(($(grep -c 'reloading' "$MPIOD_LOG") - n0))"
t_check "nothing changed: no map reloaded" test "$(grep -c 'reloading' "$MPIOD_LOG")" = "$n0"
t_check "mpiod still runs" kill -0 "$(mpiod_pid)"
t_check "still 4 maps of 4 paths" output_is 16 all_npaths

t_step "path delete and rescan under fio --verify"
m=${maps[0]}
victim=""
for d in "${sd[@]}"; do mpio_has_path "$m" "$d" && { victim=$d; break; }; done
[ -n "$victim" ] || t_fail "no path of $m found"
fio_verify "/dev/mapper/$m" 20 /tmp/fio-maps.log
sleep 3
vnum=$(devnum "$victim")
path_delete "$victim"
t_check "deleted $victim leaves $m" wait_for 10 npaths_is "$m" 3
sleep 2
scsi_rescan
t_check "rescanned path rejoins $m" wait_for 15 npaths_is "$m" 4
wait "$FIO_PID"
rc=$?
t_check "fio exits 0" test "$rc" = 0
t_check "fio saw no I/O error" fio_verify_ok /tmp/fio-maps.log
t_check "one log line per change" grep -q "map $m: removed path ${victim#/dev/} ($vnum)" "$MPIOD_LOG"
t_check "the re-add is logged" grep -qE "map $m: added path sd[a-z]+ \([0-9:]+\)" "$MPIOD_LOG"
errs=$(mpio_stat_sum "$m" errors)
echo "   path I/O errors retried by the target: $errs"

t_step "all paths of two maps deleted: kept for RemoveTimeout=3, then removed"
m1=${maps[1]} m2=${maps[2]}
gone1=() gone2=()
for d in "${sd[@]}"; do
	mpio_has_path "$m1" "$d" && gone1+=("$d")
	mpio_has_path "$m2" "$d" && gone2+=("$d")
done
sleep 60 <"/dev/mapper/$m2" &
holder=$!
# The 8 removals reach mpiod together, as they do from a fast machine: each
# deletion is synchronous and under TCG they came more than mpiod's batching
# window (100 ms after the last change) apart, one reload each. So mpiod
# is stopped meanwhile and finds them all queued on its udev socket.
kill -STOP "$(mpiod_pid)"
for d in "${gone1[@]}" "${gone2[@]}"; do echo 1 >"/sys/block/${d#/dev/}/device/delete"; done
settle
t0=$(date +%s%N)
kill -CONT "$(mpiod_pid)"
t_check "$m1 kept without paths" wait_for 5 npaths_is "$m1" 0
t_check "$m1: one reload for its 4 path removals" test "$(grep -c "map $m1: removed path.*reloading" "$MPIOD_LOG")" = 1
t_check "$m1: removal scheduled, not done at once" grep -q "map $m1: no paths left, removing it in 3 s" "$MPIOD_LOG"
t_check "$m1 removed after the timeout" wait_for 10 sh -c "! dmsetup info $m1 >/dev/null 2>&1"
t1=$(date +%s%N)
echo "   $m1 removed $(((t1 - t0) / 1000000)) ms after its paths were deleted"
t_check "open $m2: removal deferred" wait_for 10 grep -q "map $m2: .*removal deferred" "$MPIOD_LOG"
t_check "$m2 still there while open" dmsetup info "$m2"
kill "$holder"
wait "$holder" 2>/dev/null
t_check "$m2 gone once closed" wait_for 10 sh -c "! dmsetup info $m2 >/dev/null 2>&1"
t_check "2 maps left" test "$(mpio_maps | wc -l)" = 2
mapfile -t maps < <(mpio_maps)

mpiod_finish
for m in "${maps[@]}"; do dmsetup remove "$m"; done
t_done
