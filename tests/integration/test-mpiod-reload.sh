#!/bin/bash
# vm-options: --timeout 300
# SIGHUP reloads the configuration. A bad mpio.conf.d file or a bad
# supported-devices file is rejected with file:line, a missing
# supported-devices or mpio.conf with its name, and the running
# configuration keeps working (the map keeps its paths); a good one applies
# (the map is regrouped, under fio --verify, without an I/O error).
# mpiod by hand: the test writes bad config files into a test config dir and
# reads the file:line rejections on mpiod's stdout.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/integration/lib-mpiod.sh"

modprobe dm-mpio || t_fail "modprobe dm-mpio failed"
cfg=/tmp/mpio-cfg
mpiod_config "$cfg" "Linux   scsi_debug"
mkdir -p "$cfg/mpio.conf.d"
printf '[Defaults]\nCheckInterval=2\n' >"$cfg/mpio.conf"

out=$(sd_paths 4 1) || exit 1
mapfile -t sd <<<"$out"
mpiod_start "$cfg"
m=$(mpio_maps)
t_check "one map" test "$(mpio_maps | wc -l)" = 1
# Built-in scsi_debug entry: group_by_prio with the alua handler, whose first
# RTPG gives the states the map is then regrouped by.
t_check "ALUA states learnt, map regrouped" wait_for 20 grep -q "map $m: ALUA state of .*reloading" "$MPIOD_LOG"
groups=$(mpio_ngroups "$m")/$(mpio_npaths "$m")
t_check "group_by_prio: 2 or 3 groups of 4 paths ($groups)" sh -c "echo $groups | grep -qx '[23]/4'"
pid=$(mpiod_pid)

t_step "bad mpio.conf.d file"
printf '[Device]\nVendor=Linux\nNoSuchKey=1\n' >"$cfg/mpio.conf.d/50-bad.conf"
kill -HUP "$pid"
t_check "rejected with file:line" wait_for 10 grep -q "$cfg/mpio.conf.d/50-bad.conf:3: .*configuration rejected" "$MPIOD_LOG"
grep "50-bad.conf" "$MPIOD_LOG" | sed 's/^/   /'
t_check "mpiod still runs" kill -0 "$pid"
t_check "map unchanged" test "$(mpio_ngroups "$m")/$(mpio_npaths "$m")" = "$groups"

t_step "bad supported-devices file"
rm "$cfg/mpio.conf.d/50-bad.conf"
cp "$cfg/supported-devices" /tmp/sup.good
echo "bus:usb" >>"$cfg/supported-devices"
kill -HUP "$pid"
t_check "rejected with file:line" wait_for 10 grep -q "$cfg/supported-devices:2: .*configuration rejected" "$MPIOD_LOG"
grep "supported-devices:2" "$MPIOD_LOG" | sed 's/^/   /'
cp /tmp/sup.good "$cfg/supported-devices"

# A missing file is no empty one: taken as empty, supported-devices would
# claim nothing and every path would leave the map (mpio.conf: every
# setting back to its default). An editor that renames the old file away
# while it writes the new one makes that window.
t_step "supported-devices gone: reload refused, the map keeps its paths"
mv "$cfg/supported-devices" /tmp/sup.moved
nlines=$(wc -l <"$MPIOD_LOG")
kill -HUP "$pid"
t_check "refused, naming the file" wait_for 10 grep -q "^<3>$cfg/supported-devices: does not exist.*configuration rejected" "$MPIOD_LOG"
grep "supported-devices: does not exist" "$MPIOD_LOG" | sed 's/^/   /'
sleep 2 # a reload that went through drops the paths at once
t_check "the map keeps its 4 paths" test "$(mpio_npaths "$m")" = 4
t_check "and its groups" test "$(mpio_ngroups "$m")/$(mpio_npaths "$m")" = "$groups"
t_check "no path left its map" sh -c "! tail -n +$((nlines + 1)) '$MPIOD_LOG' | grep -q 'unclaimed\|removed path'"
mv /tmp/sup.moved "$cfg/supported-devices"

t_step "mpio.conf gone: reload refused, its settings stay"
mv "$cfg/mpio.conf" /tmp/conf.moved
kill -HUP "$pid"
t_check "refused, naming the file" wait_for 10 grep -q "^<3>$cfg/mpio.conf: does not exist.*configuration rejected" "$MPIOD_LOG"
mv /tmp/conf.moved "$cfg/mpio.conf"

t_step "the old configuration still manages the map"
victim=$(devnum "${sd[1]}")
dmsetup message "$m" 0 fail_path "$victim"
t_check "a failed path is reinstated (CheckInterval=2 still applies)" \
	wait_for 10 mpio_path_is "$m" A "$victim"
t_check "mpiod logged it" grep -q "($victim) checks up (tur), reinstated" "$MPIOD_LOG"

t_step "good configuration under fio --verify"
printf '[Device]\nVendor=Linux\nProduct=scsi_debug\nPathGroupingPolicy=failover\n' \
	>"$cfg/mpio.conf.d/60-failover.conf"
fio_verify "/dev/mapper/$m" 10 /tmp/fio-reload.log
sleep 2
kill -HUP "$pid"
t_check "map regrouped: failover, 4 groups" wait_for 10 ngroups_is "$m" 4
t_check "reload logged" grep -q "map $m: configuration reloaded, reloading" "$MPIOD_LOG"
kill -USR1 "$pid"
t_check "state shows the new policy and its origin" \
	wait_for 5 grep -q "PathGroupingPolicy=failover ($cfg/mpio.conf.d/60-failover.conf:4 \[Device" /tmp/mpiod.state
wait "$FIO_PID"
rc=$?
t_check "fio exits 0" test "$rc" = 0
t_check "fio saw no I/O error" fio_verify_ok /tmp/fio-reload.log

t_step "mpiod log"
mpiod_stop
sed 's/^/   /' "$MPIOD_LOG"
t_check "only the four rejections were errors" test "$(grep -c '^<[0-3]>' "$MPIOD_LOG")" = 4
dmsetup remove "$m"
t_done
