#!/bin/bash
# vm-options: --timeout 360
# Stopping mpiod: SIGTERM and kill -9 (a restart) leave queue_if_no_path on
# every map; a stop for a shutdown (SIGUSR2 here; SIGTERM while systemd's
# state is "stopping", see test-systemd-unit.sh) turns it off on every mpio
# map, so I/O to a map with no path left fails instead of hanging. The pid
# file /run/mpio/mpiod.pid: written, used by `multipathctl claim` to make
# mpiod reload, removed at exit.
# mpiod by hand: SIGTERM, kill -9 and SIGUSR2 (a shutdown stop) sent by the
# test; the real shutdown under systemd is in test-systemd-unit.sh.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/integration/lib-mpiod.sh"

CTL=$MPIO_SRC/multipathctl/multipathctl
PIDFILE=/run/mpio/mpiod.pid
queueing() { mpio_feature "$1" queue_if_no_path; }
all_queueing() {
	local m
	for m in $(mpio_maps); do queueing "$m" || return 1; done
}
none_queueing() {
	local m
	for m in $(mpio_maps); do ! queueing "$m" || return 1; done
}

modprobe dm-mpio || t_fail "modprobe dm-mpio failed"
cfg=/tmp/mpio-cfg
mpiod_config "$cfg" "Linux   scsi_debug"
printf '[Defaults]\nNoPathRetry=queue\nCheckInterval=1\n' >"$cfg/mpio.conf"
out=$(sd_paths 2 2) || exit 1
mapfile -t sd <<<"$out"
t_check "4 scsi_debug paths" test ${#sd[@]} = 4

t_step "mpiod and its pid file"
mpiod_start "$cfg"
t_check "2 maps" test "$(mpio_maps | wc -l)" = 2
t_check "every map queues without a path" all_queueing
t_check "$PIDFILE holds mpiod's pid" test "$(cat $PIDFILE)" = "$(mpiod_pid)"
"$CTL" --config-dir "$cfg" claim add OTHERVND >/tmp/out
sed 's/^/   /' /tmp/out
t_check "claim add asks mpiod (pid from $PIDFILE) to reload" grep -q "Asked mpiod (pid $(mpiod_pid)) to reload" /tmp/out
t_check "mpiod reloaded" wait_for 10 grep -q "configuration reloaded" "$MPIOD_LOG"
"$CTL" --config-dir "$cfg" claim remove OTHERVND >/dev/null

t_step "SIGTERM: a plain stop leaves queueing on"
mpiod_stop
t_check "logged as a stop that leaves the maps" grep -q "stopping (maps are left as they are)" "$MPIOD_LOG"
t_check "every map still queues" all_queueing
t_check "pid file removed" test ! -e $PIDFILE

t_step "kill -9: queueing stays on, a stale pid file is not trusted"
mpiod_start "$cfg"
kill -9 "$(mpiod_pid)"
wait_for 10 sh -c "! kill -0 $(mpiod_pid)"
t_check "every map still queues" all_queueing
t_check "the stale pid file stays" test -e $PIDFILE
"$CTL" --config-dir "$cfg" claim add OTHERVND >/tmp/out
sed 's/^/   /' /tmp/out
t_check "claim add sees the stale pid file" grep -q "stale" /tmp/out
"$CTL" --config-dir "$cfg" claim remove OTHERVND >/dev/null

t_step "SIGUSR2: stop for a shutdown turns queueing off on every map"
mpiod_start "$cfg"
t_check "the new mpiod replaced the pid file" test "$(cat $PIDFILE)" = "$(mpiod_pid)"
pid=$(mpiod_pid)
kill -USR2 "$pid"
t_check "mpiod stopped" wait_for 20 sh -c "! kill -0 $pid"
grep -E "shutting down|queueing turned off" "$MPIOD_LOG" | sed 's/^/   /'
t_check "logged: 2 maps" grep -q "queueing turned off on 2 maps" "$MPIOD_LOG"
t_check "no map queues any more" none_queueing

t_step "so I/O to a map without paths fails instead of hanging"
m=$(mpio_maps | head -1)
for d in $(dmsetup deps -o devname "$m" | grep -oE 'sd[a-z]+'); do path_offline "/dev/$d"; done
start=$(date +%s)
timeout 60 dd if="/dev/mapper/$m" of=/dev/null bs=4k count=1 iflag=direct 2>/tmp/dd.err
rc=$?
sed 's/^/   dd: /' /tmp/dd.err
t_check "read fails (not time-out): exit $rc" sh -c "test $rc != 0 && test $rc != 124"
t_check "within 30 s" test $(($(date +%s) - start)) -lt 30

t_step "mpiod log"
t_check "mpiod logged no error" sh -c "! grep -q '^<[0-3]>' $MPIOD_LOG"
for m in $(mpio_maps); do dmsetup remove "$m"; done
t_done
