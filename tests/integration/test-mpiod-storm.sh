#!/bin/bash
# vm-options: --timeout 1500 --mem 2048
# A uevent storm on a real system bus: behind 3 scsi_debug hosts with one
# LU each, STORM_LUNS (default 32) more LUs appear at once (3 x 32 paths);
# mpiod must make every map while multipathctl keeps answering (every
# "show maps" succeeds; their times are reported beside those of a call to
# the bus daemon alone, which the storm's load on the guest slows as much;
# tests/faults F18 bounds mpiod's own answer time),
# and mpiod stops within 10 s while udev is still busy with its maps
# (tests/faults F18 is the same storm, larger, with
# I/O and side by side with multipathd).
#   test-mpiod-storm.sh [STORM_LUNS]
# mpiod by hand: the test brings up the system bus itself (dbus-daemon
# --system) and times the CLI against mpiod's loop.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/integration/lib-mpiod.sh"

CTL=$MPIO_SRC/multipathctl/multipathctl
LUNS=${1:-32}
SD_DRV=/sys/bus/pseudo/drivers/scsi_debug
now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }
# show_ms: one "show maps", timed: "MS RC" (MS 30000 if it did not answer).
show_ms() {
	local t0 rc
	t0=$(now_ms)
	timeout 30 "$CTL" show maps >/dev/null 2>&1
	rc=$?
	echo "$(($(now_ms) - t0)) $rc"
}
# bus_ms: one call to the bus daemon alone, timed (ms): the guest's own latency.
bus_ms() {
	local t0
	t0=$(now_ms)
	timeout 30 busctl call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus GetId >/dev/null 2>&1
	echo $(($(now_ms) - t0))
}
# stats MS...: "median max count"
stats() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%d %d %d\n", v[int((NR + 1) / 2)], v[NR], NR }'; }
# full_maps: mpio maps with 3 paths in their live table.
full_maps() {
	dmsetup table --target mpio 2>/dev/null |
		awk '{ n = 0; for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+:[0-9]+$/) n++ } n == 3 { m++ } END { print m + 0 }'
}

modprobe dm-mpio || t_fail "modprobe dm-mpio failed"
cfg=/tmp/mpio-cfg
mpiod_config "$cfg" "Linux   scsi_debug"

t_step "system bus with mpio's policy; 3 scsi_debug paths to one LU"
system_bus
t_check "system bus socket" test -S /run/dbus/system_bus_socket
out=$(sd_paths 3 1) || exit 1
mapfile -t sd <<<"$out"
t_check "3 scsi_debug paths" test ${#sd[@]} = 3

t_step "mpiod on the bus, one map"
mpiod_start "$cfg"
t_check "mpiod owns org.mpio.Manager1" wait_for 30 grep -q "D-Bus API on the system bus" "$MPIOD_LOG"
t_check "1 full map" wait_for 60 output_is 1 full_maps

t_step "storm: $LUNS LUs x 3 paths at once"
bad=0
read -r base _ < <(show_ms)
for _ in 1 2; do read -r b _ < <(show_ms); [ "$b" -lt "$base" ] && base=$b; done
echo "$((LUNS + 1))" >"$SD_DRV/max_luns" || t_fail "cannot set max_luns"
want=$((LUNS + 1)) lat=() blat=() over=() all=-1 scans=()
t0=$(now_ms)
for h in $(grep -l scsi_debug /sys/class/scsi_host/host*/proc_name | xargs -n1 dirname); do
	echo '- - -' >"$h/scan" &
	scans+=($!)
done
while :; do
	read -r ms rc < <(show_ms)
	lat+=("$ms")
	[ "$rc" = 0 ] || bad=$((bad + 1))
	blat+=("$(bus_ms)")
	over+=($((${lat[-1]} - ${blat[-1]})))
	if [ "$(full_maps)" -ge "$want" ]; then all=$(($(now_ms) - t0)); break; fi
	[ $(($(now_ms) - t0)) -lt 600000 ] || break
	kill -0 "$(mpiod_pid)" || break
	sleep 0.5
done
wait "${scans[@]}"
read -r med max n < <(stats "${lat[@]}")
read -r bmed bmax _ < <(stats "${blat[@]}")
read -r _ omax _ < <(stats "${over[@]}")
pid=$(mpiod_pid)
read -r rss hwm < <(awk '/^VmRSS/ { r = $2 } /^VmHWM/ { h = $2 } END { print r, h }' "/proc/$pid/status")
cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$pid/stat")
echo "   $((3 * LUNS)) paths: all $want maps after ${all} ms; show maps during the storm: median ${med} ms, max ${max} ms over ${n} calls (before: ${base} ms); the bus daemon's GetId meanwhile: median ${bmed} ms, max ${bmax} ms (a show maps at most ${omax} ms over the GetId made right after it); mpiod RSS ${rss} kB (peak ${hwm} kB), CPU ${cpu} s"
t_check "all $want maps with 3 paths" test "$all" -ge 0
t_check "every show maps succeeded" test "$bad" = 0

t_step "mpiod stops while udev is still busy with a new map"
# A rule that keeps udev on the uevent of a map mpiod makes live for 60 s
# (its cookie is released after that; a reload's carries FLAG0) stands for
# a udev with minutes of work queued after a storm.
echo 'KERNEL=="dm-*", ACTION=="change", ENV{DM_COOKIE}=="?*", ENV{DM_SUBSYSTEM_UDEV_FLAG0}!="1", RUN+="/bin/sleep 60"' \
	>/run/udev/rules.d/58-test-slow.rules
udevadm control --reload || t_fail "cannot reload the udev rules"
echo "$((LUNS + 2))" >"$SD_DRV/max_luns" || t_fail "cannot set max_luns"
for h in $(grep -l scsi_debug /sys/class/scsi_host/host*/proc_name | xargs -n1 dirname); do
	echo '- - -' >"$h/scan"
done
t_check "one more map" wait_for 120 sh -c "test \$(dmsetup ls --target mpio | wc -l) -ge $((want + 1))"
t_check "its udev work is pending" wait_for 30 sh -c "dmsetup udevcookies | grep -q '^0x'"
t1=$(now_ms)
kill "$pid"
t_check "mpiod stopped within 10 s" wait_for 10 sh -c "! kill -0 $pid"
echo "   stopped after $(($(now_ms) - t1)) ms"
echo "   $(grep -c 'created with' "$MPIOD_LOG") maps created, $(grep -c 'reloading' "$MPIOD_LOG") reloads"
grep -E 'ready:|received|not waiting' "$MPIOD_LOG" | sed 's/^/   /'
t_check "mpiod logged no error" sh -c "! grep -q '^<[0-3]>' $MPIOD_LOG"
rm -f /run/udev/rules.d/58-test-slow.rules
t_done
