#!/bin/bash
# vm-options: --timeout 600 --cpus 5
# An io-affinity map is not reloaded at every sync on a host with more than
# 4 CPUs (review U8): mpiod writes each path's CPU mask as "1", the kernel
# prints it for its CPU count ("01" with 5 CPUs), and mpiod's table compare
# takes both as the same number. A SIGHUP with the same configuration and a
# restart (adoption) reload nothing. mpiod by hand: the test needs its log
# at debug level and its restart without a unit.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/integration/lib-mpiod.sh"

nreloads() { grep -c 'reloading with' "$MPIOD_LOG"; }
# The CPU mask of each path in the table the kernel runs.
masks() { dmsetup table "$m" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+:[0-9]+$/) print $(i + 1) }'; }
sighup() {
	local n
	n=$(grep -c "map $m: configuration reloaded" "$MPIOD_LOG")
	kill -HUP "$(mpiod_pid)"
	wait_for 30 sh -c "test \$(grep -c 'map $m: configuration reloaded' $MPIOD_LOG) -gt $n"
}

t_check "the guest has more than 4 CPUs" test "$(nproc)" -gt 4
modprobe dm-mpio || t_fail "modprobe dm-mpio failed"
cfg=/tmp/mpio-cfg
mpiod_config "$cfg" "Linux   scsi_debug"
printf '[Device]\nVendor=Linux\nProduct=scsi_debug\nHardwareHandler=none\nPathGroupingPolicy=multibus\nPathSelector=io-affinity\n' \
	>"$cfg/mpio.conf"
out=$(sd_paths 2 1) || exit 1
t_check "2 scsi_debug paths" test "$(echo "$out" | wc -l)" = 2
mpiod_start "$cfg" --verbose
m=$(mpio_maps)
t_check "one map" test "$(echo "$m" | wc -l)" = 1
dmsetup table "$m" | sed 's/^/   /'
t_check "io-affinity" sh -c "dmsetup table '$m' | grep -q ' io-affinity '"
t_check "the kernel prints the masks with a leading zero: 01" test "$(masks | sort -u)" = 01

t_step "SIGHUP with the same configuration, then a restart: no reload"
n0=$(nreloads)
t_check "map synced after SIGHUP" sighup
t_check "SIGHUP: table unchanged" grep -q "map $m: configuration reloaded; table unchanged" "$MPIOD_LOG"
mpiod_stop
mpiod_start "$cfg" --verbose
t_check "adopted with its table unchanged" wait_for 10 grep -q "map $m ($m): adopted with 2 paths .*table unchanged" "$MPIOD_LOG"
grep "reloading with\|adopted" "$MPIOD_LOG" | sed 's/^/   /'
t_check "no reload" test "$(nreloads)" = "$n0"

mpiod_finish
for x in $(mpio_maps); do dmsetup remove "$x"; done
t_done
