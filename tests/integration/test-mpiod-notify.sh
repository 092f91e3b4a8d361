#!/bin/bash
# vm-options: --timeout 300
# mpiod's sd_notify protocol, read from a NOTIFY_SOCKET of our own: READY
# (with STATUS) once the maps exist, WATCHDOG pings at half of WATCHDOG_USEC,
# RELOADING (with MONOTONIC_USEC) then READY again on SIGHUP, STOPPING on
# SIGTERM. And mpiod is quiet at steady state: no log line while nothing
# changes.
# mpiod by hand: the test is the service manager here, with a NOTIFY_SOCKET
# and WATCHDOG_USEC of its own, to read each sd_notify datagram.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/integration/lib-mpiod.sh"

modprobe dm-mpio || t_fail "modprobe dm-mpio failed"
cfg=/tmp/mpio-cfg
mpiod_config "$cfg" "Linux   scsi_debug"
printf '[Defaults]\nCheckInterval=1\n' >"$cfg/mpio.conf"
out=$(sd_paths 2 1) || exit 1

sock=/tmp/notify.sock
msgs=/tmp/notify.log
# One line per datagram, its fields separated by ';'.
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
out = open(sys.argv[2], "w", buffering=1)
while True:
    out.write(s.recv(4096).decode().strip().replace("\n", ";") + "\n")
' "$sock" "$msgs" &
listener=$!
t_check "listener bound" wait_for 10 test -S "$sock"
nmsg() { grep -c "$1" "$msgs"; }

t_step "start: READY with STATUS, watchdog pings"
NOTIFY_SOCKET=$sock WATCHDOG_USEC=2000000 mpiod_start "$cfg"
m=$(mpio_maps)
t_check "one map" test -n "$m"
t_check "READY=1 sent" wait_for 10 grep -q '^READY=1' "$msgs"
t_check "STATUS names maps and paths" wait_for 10 grep -q 'STATUS=1 maps, 2 paths' "$msgs"
w0=$(nmsg '^WATCHDOG=1')
sleep 5
w1=$(nmsg '^WATCHDOG=1')
echo "   watchdog pings in 5 s: $((w1 - w0))"
t_check "watchdog pinged (every 1 s: 2..10 in 5 s)" test $((w1 - w0)) -ge 2 -a $((w1 - w0)) -le 10

t_step "steady state: quiet"
# Let the ALUA regroup of the new map and the first checks pass.
t_check "map regrouped by ALUA state" wait_for 20 grep -q "map $m: ALUA state of .*reloading" "$MPIOD_LOG"
t_check "every path usable" wait_for 20 output_is "" mpio_paths "$m" F
sleep 3
l0=$(wc -l <"$MPIOD_LOG")
sleep 10
t_check "no log line in 10 s of steady state (CheckInterval=1)" test "$(wc -l <"$MPIOD_LOG")" = "$l0"

t_step "SIGHUP: RELOADING, then READY"
r0=$(nmsg '^RELOADING=1') y0=$(nmsg 'READY=1')
kill -HUP "$(mpiod_pid)"
t_check "RELOADING=1 with MONOTONIC_USEC" wait_for 10 sh -c "test \$(grep -c '^RELOADING=1;MONOTONIC_USEC=[0-9][0-9]*' $msgs) -gt $r0"
t_check "READY=1 after the reload" wait_for 10 sh -c "test \$(grep -c 'READY=1' $msgs) -gt $y0"
t_check "in that order" sh -c "grep -E '^(RELOADING|READY)=1' $msgs | tail -2 | tr '\n' ' ' | grep -q '^RELOADING=1.* READY=1'"

t_step "SIGTERM: STOPPING"
mpiod_stop
t_check "STOPPING=1 sent" grep -q '^STOPPING=1' "$msgs"
kill "$listener"
wait "$listener" 2>/dev/null
sed 's/^/   /' "$msgs" | grep -v WATCHDOG
t_check "mpiod logged no error" sh -c "! grep -q '^<[0-3]>' $MPIOD_LOG"
dmsetup remove "$m"
t_done
