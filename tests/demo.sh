#!/bin/bash
# The mpio demo, run inside the test VM by `make demo`: a two-portal iSCSI SAN
# with two LUNs and ALUA, mpiod on the system bus, multipathctl, and a port
# failure and recovery under fio. Writes to the results directory (on the
# host: tests/vm/out/demo/): throughput.dat (per-path MB/s every 0.5 s),
# events.dat, fio.json, fio.log, mpiod.log and failover.png.
#
#   tests/vm/run --follow tests/demo.sh [--fault portal|offline]
#
# --fault portal (the default) disables the SAN's target portal 127.0.0.1, as
# when a controller port goes down: its iSCSI sessions drop and the initiator
# reconnects when the portal comes back. --fault offline takes the optimized
# path's SCSI device offline through sysfs instead.
# mpiod by hand: the bench's own init boots 35-84 s faster than systemd, and
# mpiod's log on stdout becomes mpiod.log in the results.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/integration/lib-mpiod.sh"
export PATH=$MPIO_SRC/multipathctl:$MPIO_SRC/daemon:$PATH
export MPIO_PIDFILE=/tmp/mpiod.pid NO_COLOR=1

fault=portal
[ "${1:-}" = --fault ] && fault=$2
case $fault in portal|offline) ;; *) t_fail "unknown fault $fault (portal or offline)" ;; esac

RES=/results
FIO_SECS=60 FAULT_AT=15 RESTORE_AT=35

say() { printf '\n>>> %s\n' "$*"; }
show() {
	printf '    # %s\n' "$*"
	"$@" 2>&1 | sed 's/^/    /'
	return "${PIPESTATUS[0]}"
}

say "A Debian $(uname -r) kernel is up in a QEMU VM. Loading the mpio target, dm-mpio."
modprobe dm-mpio || t_fail "modprobe dm-mpio failed: build it with make"
show dmsetup targets

say "The SAN: a LIO iSCSI target with 2 LUNs behind 2 portals, 127.0.0.1 and 127.0.0.2."
say "ALUA: port group 1 (127.0.0.1) is active/optimized, port group 2 (127.0.0.2) active/non-optimized."
out=$(iscsi_san --luns 2 --alua --vendor MPIODEMO --product SANLUN --serial demo) || exit 1
mapfile -t devs <<<"$out"
[ ${#devs[@]} = 4 ] || t_fail "expected 4 iSCSI paths, got ${#devs[@]}"
# Implicit ALUA only: the states are the array's, the host does not move them.
for g in "$CFS"/core/*/lun*/alua/pg[12]; do echo 1 >"$g/alua_access_type"; done
alua_set 127.0.0.2 nonoptimized
# The initiator learns the new state from a unit attention: read from each path.
nonopt_seen() {
	local d
	for d in $(iscsi_devs 127.0.0.2); do
		dd if="$d" of=/dev/null bs=4k count=1 iflag=direct status=none
		[ "$(cat "/sys/block/${d#/dev/}/device/access_state")" = active/non-optimized ] || return 1
	done
}
wait_for 20 nonopt_seen || t_fail "the initiator does not see 127.0.0.2 as non-optimized"
printf '    %-6s %-10s %-4s %-8s %s\n' PATH PORTAL LUN DEVT "ALUA STATE"
for p in 127.0.0.1 127.0.0.2; do
	for d in $(iscsi_devs $p); do
		printf '    %-6s %-10s %-4s %-8s %s\n' "${d#/dev/}" "$p" "$(scsi_lun "$d")" "$(devnum "$d")" \
			"$(cat "/sys/block/${d#/dev/}/device/access_state")"
	done
done

say "The system bus (dbus-daemon) with mpio's D-Bus policy, then mpiod."
system_bus
# /etc/mpio as a package would leave it: the example supported-devices list,
# and a site setting for this array.
mpiod_config /etc/mpio
cp "$MPIO_SRC/conf/supported-devices" /etc/mpio/supported-devices
cat >/etc/mpio/mpio.conf <<'EOF'
[Defaults]
UserFriendlyNames=yes

# The demo SAN: group paths by ALUA state, fail back to the optimized port
# as soon as it returns, queue I/O rather than fail it if every path is down.
[Device]
Vendor=MPIODEMO
Product=SANLUN
PathGroupingPolicy=group_by_prio
HardwareHandler=alua
Failback=immediate
NoPathRetry=queue
CheckInterval=1
EOF
show cat /etc/mpio/mpio.conf
show multipathctl config check || t_fail "the configuration has errors"
mpiod_start /etc/mpio
wait_for 10 multipathctl status || t_fail "mpiod is not on the bus"
show multipathctl status

say "MPIODEMO is not in the supported-devices list yet, so mpiod leaves these disks alone. Claim them:"
show multipathctl claim add MPIODEMO SANLUN || t_fail "claim add failed"
# A function, so that wait_for counts the maps again on each poll.
nmaps_is() { test "$(mpio_maps | wc -l)" = "$1"; }
wait_for 30 nmaps_is 2 || {
	mpiod_log | tail -20
	t_fail "mpiod did not make 2 maps"
}
mapfile -t maps < <(mpio_maps)
# Both paths of each map in its table, the optimized one in the first group.
m=${maps[0]}
fast='' slow=''
for d in $(iscsi_devs 127.0.0.1); do mpio_has_path "$m" "$d" && fast=$d; done
for d in $(iscsi_devs 127.0.0.2); do mpio_has_path "$m" "$d" && slow=$d; done
[ -n "$fast" ] && [ -n "$slow" ] || t_fail "map $m does not have a path through each portal"
wait_for 20 first_dev_is "$m" "$fast" || t_fail "the optimized path $fast is not in the first group of $m"
wait_for 20 sh -c "test \$(multipathctl show paths --json | jq '[.paths[] | select(.state == \"up\")] | length') = 4" ||
	t_fail "not every path is up"
say "Two maps, one per LUN, each with 2 path groups: the optimized path first."
show multipathctl show topology || t_fail "show topology failed"

fastn=${fast#/dev/} slown=${slow#/dev/}
say "fio: random 4k writes with verification on /dev/mapper/$m for $FIO_SECS s."
say "At $FAULT_AT s the optimized path $fastn fails; at $RESTORE_AT s it comes back."
# A tick to wait on without starting a process: read -t on a FIFO nobody writes.
mkfifo /tmp/tick && exec 7<>/tmp/tick || t_fail "cannot make /tmp/tick"
tick() { read -r -t "$1" -u 7 _; }
# mpiod's events, each stamped with the time it arrived (microseconds).
stamp() { while IFS= read -r l; do echo "${EPOCHREALTIME/./} $l"; done; }
multipathctl monitor --json > >(stamp >/tmp/events) 2>&1 &
mon_pid=$!
# event NAME DEV AFTER: when mpiod first reported NAME for DEV after AFTER
# (microseconds), if it did.
event() { awk -v e="\"$1\"" -v d="\"$2\"" -v a="$3" '$1 > a && index($0, e) && index($0, d) { print $1; exit }' /tmp/events; }
has_event() { test -n "$(event "$@")"; }
T0=${EPOCHREALTIME/./}
# Seconds since T0, 0.1 s resolution: rel [MICROSECONDS]
rel() {
	local us=$((${1:-${EPOCHREALTIME/./}} - T0))
	printf '%d.%d' $((us / 1000000)) $((us / 100000 % 10))
}
until_t() {
	local end=$((T0 + $1 * 1000000))
	while [ "${EPOCHREALTIME/./}" -lt "$end" ]; do tick 0.1; done
}
fio --name=demo --filename="/dev/mapper/$m" --rw=randwrite --bs=4k --direct=1 \
	--ioengine=libaio --iodepth=8 --size=48m --runtime="$FIO_SECS" --time_based \
	--verify=crc32c --verify_backlog=256 --verify_fatal=1 --norandommap \
	--write_lat_log=/tmp/demo --log_avg_msec=0 --log_unix_epoch=1 \
	--output-format=json --output=/tmp/fio.json >/tmp/fio.err 2>&1 &
fio_pid=$!
# The sectors read and written on each path every 0.5 s, with builtins only,
# so that a slow VM does not stretch the period.
sampler() {
	local a b
	while kill -0 "$fio_pid" 2>/dev/null; do
		read -r -a a <"/sys/block/$fastn/stat"
		read -r -a b <"/sys/block/$slown/stat"
		echo "${EPOCHREALTIME/./} $((a[2] + a[6])) $((b[2] + b[6]))"
		tick 0.5
	done
}
sampler >/tmp/samples &
sampler_pid=$!
# The samples as rates: seconds since T0, MB/s on the optimized path, on the other.
rates() {
	awk -v t0="$T0" 'NR > 1 && $1 > pt {
		d = ($1 - pt) / 1e6
		printf "%.1f %.3f %.3f\n", ($1 - t0) / 1e6, ($2 - pa) * 512 / d / 1048576, ($3 - pb) * 512 / d / 1048576
	} { pt = $1; pa = $2; pb = $3 }' /tmp/samples
}
# Mean MB/s of both paths over the rates from FROM to TO seconds.
mean() { rates | awk -v f="$1" -v t="$2" '$1 > f && $1 <= t { a += $2; b += $3; n++ } END { if (n) printf "%.2f %.2f", a / n, b / n; else print "0 0" }'; }
# The first time after AFTER seconds at which the rates satisfy COND (awk).
first_when() { rates | awk -v after="$1" "\$1 > after && ($2) { print \$1; exit }"; }
moving() { test -n "$(first_when "$1" "$2")"; }

# inject down|up: the fault, or its end; says what it did in $what.
inject() {
	local on=$1 portal=$CFS/iscsi/$ISCSI_IQN/tpgt_1/enable
	case $fault-$on in
	portal-down)
		echo 0 >"$portal" || t_fail "cannot disable the portal"
		what="the SAN's portal 127.0.0.1 goes down (LIO target portal group 1 disabled)" ;;
	portal-up)
		echo 1 >"$portal" || t_fail "cannot enable the portal"
		what="portal 127.0.0.1 is back; the initiator logs in again" ;;
	offline-down)
		path_offline "$fast"
		what="path $fastn goes offline (its SCSI device state set to offline)" ;;
	offline-up)
		path_online "$fast"
		what="path $fastn is back online" ;;
	esac
}

until_t "$FAULT_AT"
fault_us=${EPOCHREALTIME/./}
inject down
fault_t=$(rel "$fault_us")
read -r a b <<<"$(mean $((FAULT_AT - 3)) "$fault_t")"
awk -v a="$a" 'BEGIN { exit !(a > 0) }' || t_fail "no I/O on $fastn before the fault: is fio running?"
say "Until now the I/O went through the optimized path: $fastn $a MB/s, $slown $b MB/s."
say "$fault_t s: FAULT: $what."
if [ "$fault" = portal ]; then
	say "The initiator holds the I/O for the session's replacement_timeout (5 s), then fails it to mpio."
fi
wait_for 60 has_event PathFailed "$fastn" "$fault_us" || t_fail "mpiod did not report $fastn failed"
say "$(rel "$(event PathFailed "$fastn" "$fault_us")") s: multipathctl monitor gets mpiod's PathFailed for $fastn."
wait_for 30 moving "$fault_t" '$3 > 0' || t_fail "no I/O through $slown after the fault"
resumed_t=$(first_when "$fault_t" '$3 > 0')
say "$resumed_t s: the I/O goes on through the non-optimized path $slown."
show multipathctl show topology
tick 3
now_t=$(rel)
read -r a b <<<"$(mean "$resumed_t" "$now_t")"
say "From $resumed_t s to $now_t s: $fastn $a MB/s, $slown $b MB/s."
kill -0 "$fio_pid" || t_fail "fio stopped during the failover"

until_t "$RESTORE_AT"
restore_us=${EPOCHREALTIME/./}
inject up
restore_t=$(rel "$restore_us")
say "$restore_t s: RESTORE: $what."
wait_for 60 has_event PathReinstated "$fastn" "$restore_us" || t_fail "mpiod did not report $fastn reinstated"
up_t=$(rel "$(event PathReinstated "$fastn" "$restore_us")")
say "$up_t s: multipathctl monitor gets mpiod's PathReinstated for $fastn (Failback=immediate: group 1 again)."
wait_for 30 moving "$restore_t" '$2 > 0' || t_fail "I/O did not move back to $fastn"
back_t=$(first_when "$restore_t" '$2 > 0')
failback_s=$(awk -v a="$back_t" -v b="$restore_t" 'BEGIN { printf "%.1f", a - b }')
say "$back_t s: FAILBACK: the I/O is back on the optimized path $fastn, $failback_s s after the restore."
show multipathctl show topology

say "fio runs to its end ($FIO_SECS s)."
wait "$fio_pid"
fio_rc=$?
wait "$sampler_pid"
kill "$mon_pid" 2>/dev/null
rates >"$RES/throughput.dat"
sed -i "1i # seconds, MB/s on $fastn (127.0.0.1, optimized), MB/s on $slown (127.0.0.2, non-optimized)" "$RES/throughput.dat"
printf '%s fault\n%s resumed\n%s restore\n%s reinstated\n%s failback\n' \
	"$fault_t" "$resumed_t" "$restore_t" "$up_t" "$back_t" >"$RES/events.dat"
cp /tmp/fio.err "$RES/fio.log"
cp /tmp/demo_lat.1.log "$RES/fio-lat.log"
cp /tmp/events "$RES/monitor.log"
# fio may print notes before the JSON document.
sed -n '/^{/,$p' /tmp/fio.json >"$RES/fio.json"
cat /tmp/fio.err
errors=$(jq '.jobs[0].error' "$RES/fio.json") || errors=unknown
writes=$(jq '.jobs[0].write.total_ios' "$RES/fio.json") || writes=unknown
reads=$(jq '.jobs[0].read.total_ios' "$RES/fio.json") || reads=unknown
if [ "$fio_rc" = 0 ] && [ "$errors" = 0 ] && ! grep -qi 'verify\|bad magic\|crc' /tmp/fio.err; then
	verify="ok, every block read back matched ($reads verify reads)"
else
	verify="FAILED (fio exit status $fio_rc)"
fi
# A stall: the longest gap between two I/O completions in fio's latency log
# (Unix times in ms) from FROM to TO seconds: "MS AT_SECONDS".
gap() {
	awk -F', *' '{ print $1 }' /tmp/demo_lat.1.log | sort -n |
		awk -v t0="$T0" -v from="$1" -v to="$2" '
		BEGIN { from = t0 / 1000 + from * 1000; to = t0 / 1000 + to * 1000 }
		$1 >= from && $1 <= to { if (n++ && $1 - p > g) { g = $1 - p; at = p } p = $1 }
		END { printf "%d %.1f\n", g, (at - t0 / 1000) / 1000 }'
}
plus() { awk -v a="$1" -v b="$2" 'BEGIN { print a + b }'; }
read -r stall_ms stall_at < <(gap "$(plus "$fault_t" -1)" "$(plus "$resumed_t" 2)")
read -r back_ms _ < <(gap "$(plus "$restore_t" -1)" "$(plus "$back_t" 2)")

say "Rendering the chart."
gnuplot -e "data='$RES/throughput.dat'; out='$RES/failover.png'; fault=$fault_t; restore=$restore_t; failback=$back_t; stall=$stall_ms; fast='$fastn (127.0.0.1, optimized)'; slow='$slown (127.0.0.2, non-optimized)'; title='mpio: fio randwrite --verify on map $m, optimized path $fastn fails ($fault) and comes back'" \
	"$MPIO_SRC/tests/demo-chart.gp" || t_fail "gnuplot failed"
test -s "$RES/failover.png" || t_fail "no chart"
mpiod_stop
mpiod_log >"$RES/mpiod.log"

say "Summary"
printf '    paths:     %s(2 portals x 2 LUNs)\n' "$(for d in "${devs[@]}"; do printf '%s ' "${d#/dev/}"; done)"
for mm in "${maps[@]}"; do
	printf '    map:       %s, %s paths in %s groups\n' "$mm" "$(mpio_npaths "$mm")" "$(mpio_ngroups "$mm")"
done
printf '    fio on:    /dev/mapper/%s: optimized path %s, non-optimized %s\n' "$m" "$fastn" "$slown"
printf '    fault:     %s s, %s\n' "$fault_t" "$([ "$fault" = portal ] && echo "portal 127.0.0.1 disabled" || echo "$fastn offline")"
printf '    failover:  I/O on %s from %s s\n' "$slown" "$resumed_t"
printf '    stall:     %s ms without an I/O completion (from %s s), the longest around the fault\n' "$stall_ms" "$stall_at"
printf '    restore:   %s s; PathReinstated for %s reached multipathctl monitor at %s s\n' "$restore_t" "$fastn" "$up_t"
printf '    failback:  I/O on %s from %s s, %s s after the restore; longest gap then %s ms\n' "$fastn" "$back_t" "$failback_s" "$back_ms"
printf '    fio:       %s writes, I/O errors: %s, exit status %s\n' "$writes" "$errors" "$fio_rc"
printf '    verify:    %s\n' "$verify"
printf '    chart:     tests/vm/out/demo/failover.png (data: throughput.dat, events.dat)\n'
[ "$fio_rc" = 0 ] && [ "$errors" = 0 ] || t_fail "fio saw I/O errors or a verify failure"
say "No I/O error through the fault and the failback."
