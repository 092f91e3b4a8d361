#!/bin/bash
# vm-options: --timeout 3600 --mem 4096
# bench-prepare: prepare-multipath-tools
# Cold-start benchmark, run in the VM by tests/bench/run coldstart [NPATHS]
# (plain TCG, 2 vCPUs: see tests/bench/README.md).
#
# Creates NPATHS scsi_debug paths once (4 hosts, NPATHS/4 LUNs, so 4 paths
# per LUN), lets udev settle, then starts each daemon in turn on the same
# devices with no map present: mpiod (fresh config dir) and Debian's
# multipathd (private root unpacked by tests/bench/prepare-multipath-tools).
# For each start: guest wall time from exec until every LUN has a map with 4
# paths in its live table, the daemon's peak RSS (VmHWM) and CPU time. The
# daemon is then stopped, its maps removed, and udev settles again.
#   coldstart.sh [NPATHS] [ROUNDS]   (default 256 "mpiod mpiod multipathd")
# multipathd goes last: it attaches scsi_dh_alua to every path, and scsi_debug
# then rejects I/O on its standby ports (see README.md).
# ROUNDS may also name mpiodv: mpiod -v (debug log, kept in the results dir),
# not counted in the ratio.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/integration/lib-mpiod.sh"
. "$MPIO_SRC/tests/bench/lib-anchor.sh"
npaths=${1:-256}
rounds=${2:-mpiod mpiod multipathd}
nluns=$((npaths / 4))
[ $((nluns * 4)) = "$npaths" ] && [ "$nluns" -ge 1 ] && [ "$nluns" -le 256 ] ||
	t_fail "NPATHS must be a multiple of 4, at most 1024"
[ -x "$MPT/sbin/multipathd" ] || t_fail "no $MPT/sbin/multipathd: run tests/bench/prepare-multipath-tools"
maxwait=$((300 + npaths))  # seconds a daemon gets to build every map
hz=$(getconf CLK_TCK)

# maps_count TARGET: "MAPS FULL", the maps of TARGET and those with 4 paths.
maps_count() {
	dmsetup table --target "$1" 2>/dev/null | awk '
		$1 == "No" { next }
		{ c = 0; for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+:[0-9]+$/) c++; m++; if (c == 4) f++ }
		END { printf "%d %d\n", m, f }'
}
remove_maps() {
	local m d
	settle 600
	for m in $(dmsetup ls --target "$1" | awk '$1 != "No" { print $1 }'); do
		dmsetup remove --retry "$m" || t_fail "cannot remove $1 map $m"
	done
	settle 600
	test "$(maps_count "$1")" = "0 0" || t_fail "$1 maps left after removal"
	for d in "${paths[@]}"; do
		[ -z "$(ls "/sys/block/${d#/dev/}/holders")" ] || t_fail "$d still has a holder"
	done
}
# T0 (for end_log) and T0US: the start of a measurement.
start_clock() {
	T0US=${EPOCHREALTIME/./}
	T0=$EPOCHREALTIME
}
# start_log NAME: a logger for the daemon's output, started (and loaded)
# before the clock starts so that it does not delay the lines; it stamps each
# line with the epoch time. The daemon writes to /tmp/log.fifo. end_log NAME
# turns the stamps into seconds since T0 in /tmp/log-NAME.
start_log() {
	rm -f /tmp/log.fifo /tmp/log.ready
	mkfifo /tmp/log.fifo
	perl -MTime::HiRes=time -e 'open(my $r, ">", "/tmp/log.ready"); close $r;
		open(my $f, "<", "/tmp/log.fifo") or die; $| = 1;
		while (<$f>) { printf "%.6f %s", time, $_ }' >"/tmp/log-$1.raw" &
	LOGGER=$!
	wait_for 60 test -e /tmp/log.ready || t_fail "logger did not start"
}
end_log() {
	wait "$LOGGER"
	awk -v t0="$T0" '{ t = $1; sub(/^[^ ]+ /, ""); printf "%9.3f %s\n", t - t0, $0 }' \
		"/tmp/log-$1.raw" >"/tmp/log-$1"
}

# sysfs_count PREFIX: sets MAPS and FULL, the dm devices whose uuid starts
# with PREFIX and those of them that hold 4 paths (slaves). No fork.
sysfs_count() {
	local d u s sz
	MAPS=0 FULL=0
	for d in /sys/block/dm-*; do
		read -r u 2>/dev/null <"$d/dm/uuid" || continue
		[[ $u == "$1"* ]] || continue
		MAPS=$((MAPS + 1))
		# A map has its size once its table is live (a loaded, inactive one has 0).
		read -r sz 2>/dev/null <"$d/size" || continue
		s=("$d"/slaves/*)
		[ "$sz" != 0 ] && [ ${#s[@]} = 4 ] && [ -e "${s[0]}" ] && FULL=$((FULL + 1))
	done
}

# measure NAME TARGET UUID-PREFIX PIDFILE: polls until every LUN has a full
# map; sets SECS (all maps have 4 paths), SETTLED (and udev is done with
# them), RSS (kB) and CPU (s), and writes a progress trace to /tmp/trace-NAME.
# The loop reads sysfs in bash and forks nothing but the sleep (clock:
# $EPOCHREALTIME, sleep: read -t) so that it takes little of the CPU the
# daemon needs; once sysfs shows every map full, dmsetup must agree that
# every live table has 4 paths.
measure() {
	local name=$1 target=$2 prefix=$3 pid el sfd
	pid=$(cat "$4")
	# Above udev's workers and the daemon, so that the timestamps do not lag.
	renice -n -10 -p $$ >/dev/null
	exec {sfd}<> <(:)
	: >"/tmp/trace-$name"
	while :; do
		sysfs_count "$prefix"
		el=$((${EPOCHREALTIME/./} - T0US))
		printf '%d.%06d %s %s\n' $((el / 1000000)) $((el % 1000000)) "$MAPS" "$FULL" >>"/tmp/trace-$name"
		[ "$FULL" -ge "$nluns" ] && [ "$(maps_count "$target")" = "$nluns $nluns" ] && break
		kill -0 "$pid" 2>/dev/null || t_fail "$name exited before all maps were built"
		[ "$el" -gt $((maxwait * 1000000)) ] && t_fail "$name: only $FULL full maps after ${maxwait}s"
		read -r -t 0.2 -u "$sfd" _
	done
	exec {sfd}<&-
	renice -n 0 -p $$ >/dev/null
	SECS=$(printf '%d.%02d' $((el / 1000000)) $((el % 1000000 / 10000)))
	settle 900
	el=$((${EPOCHREALTIME/./} - T0US))
	SETTLED=$(printf '%d.%02d' $((el / 1000000)) $((el % 1000000 / 10000)))
	# Let the path checkers run a round or two before reading the peak RSS.
	sleep 12
	RSS=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
	CPU=$(awk -v hz="$hz" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$pid/stat")
	# When 25/50/75/100 % of the maps were complete.
	PROGRESS=$(awk -v n="$nluns" '{ for (q = 1; q <= 4; q++) if (!t[q] && $3 >= n * q / 4) t[q] = $1 }
		END { printf "first map %.1fs; 25%% %.1fs, 50%% %.1fs, 75%% %.1fs, 100%% %.1fs",
			first, t[1], t[2], t[3], t[4] } !first && $2 > 0 { first = $1 }' "/tmp/trace-$name")
}

run_mpiod() {
	local name=$1 cfg=/tmp/bench-mpio-$1
	shift
	rm -rf "$cfg" /tmp/mpiod.state
	mpiod_config "$cfg" "Linux   scsi_debug"
	settle 600
	start_log "$name"
	start_clock
	"$MPIOD" --config-dir "$cfg" --state-file /tmp/mpiod.state "$@" >/tmp/log.fifo 2>&1 &
	echo $! >/tmp/daemon.pid
	measure "$name" mpio mpath- /tmp/daemon.pid
	kill "$(cat /tmp/daemon.pid)"
	wait_for 60 sh -c "! kill -0 $(cat /tmp/daemon.pid)" || t_fail "mpiod did not stop"
	end_log "$name"
	remove_maps mpio
}

run_multipathd() {
	local name=$1
	rm -f /etc/multipath/wwids /etc/multipath/bindings
	settle 600
	start_log "$name"
	start_clock
	LD_LIBRARY_PATH=$MPT/lib "$MPT/sbin/multipathd" -d -s >/tmp/log.fifo 2>&1 &
	echo $! >/tmp/daemon.pid
	measure "$name" multipath mpath- /tmp/daemon.pid
	kill "$(cat /tmp/daemon.pid)"
	wait_for 60 sh -c "! kill -0 $(cat /tmp/daemon.pid)" || t_fail "multipathd did not stop"
	end_log "$name"
	remove_maps multipath
}

t_step "devices: $npaths scsi_debug paths, $nluns LUNs x 4"
need_mod dm-mpio
need_mod dm_multipath
t0=$(date +%s)
need_mod scsi_debug vpd_use_hostno=0 add_host=4 num_tgts=1 max_luns="$nluns" dev_size_mb=4
settle 3000
mapfile -t paths < <(sd_devs "")
[ "${#paths[@]}" = "$npaths" ] || t_fail "scsi_debug: expected $npaths paths, got ${#paths[@]}"
echo "   ${#paths[@]} paths; udev settled after $(($(date +%s) - t0)) s (guest $(nproc) CPUs, $(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo) MB)"
mpt_setup

declare -A S U R C L
i=0
for d in $rounds; do
	i=$((i + 1))
	name=$d-$i
	t_step "$name"
	case $d in
	mpiod) run_mpiod "$name" ;;
	mpiodv) run_mpiod "$name" -v ;; # debug log, to see where the time goes; not in the ratio
	multipathd) run_multipathd "$name" ;;
	*) t_fail "unknown daemon $d" ;;
	esac
	# The daemon's own last map-creation log line (mpiod: created/added path,
	# multipathd: addmap/reload, logged just before the ioctl).
	LOGT=$(grep -E 'created with|added path|addmap|reload' "/tmp/log-$name" | tail -1 | awk '{ print $1 }')
	S[$name]=$SECS U[$name]=$SETTLED R[$name]=$RSS C[$name]=$CPU L[$name]=$LOGT
	printf '   %s: all %d maps with 4 paths after %s s, udev settled after %s s; peak RSS %s kB; CPU %s s\n' \
		"$name" "$nluns" "$SECS" "$SETTLED" "$RSS" "$CPU"
	echo "   $PROGRESS; last map change in its log at ${LOGT}s"
	[ "$d" != multipathd ] && grep -m1 ' ready: ' "/tmp/log-$name" | sed 's/^/   log: /'
	cp "/tmp/log-$name" "/tmp/trace-$name" /results/ 2>/dev/null
done

t_step "summary ($npaths paths, $nluns maps; guest wall time under TCG, $(nproc) vCPUs)"
printf '%-14s %10s %10s %10s %12s %10s\n' run 'maps s' '+udev s' 'log s' 'peak RSS kB' 'CPU s'
i=0
for d in $rounds; do
	i=$((i + 1))
	printf '%-14s %10s %10s %10s %12s %10s\n' "$d-$i" "${S[$d-$i]}" "${U[$d-$i]}" "${L[$d-$i]}" "${R[$d-$i]}" "${C[$d-$i]}"
done
# Ratio of the best runs of each (mpiodv runs do not count).
best() { # DAEMON ARRAY
	local -n a=$2
	for k in "${!a[@]}"; do [[ $k == "$1"-* ]] && echo "${a[$k]}"; done | sort -n | head -1
}
bm=$(best mpiod S) bd=$(best multipathd S) um=$(best mpiod U) ud=$(best multipathd U)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; } # no bc on a fresh machine
if [ -n "$bm" ] && [ -n "$bd" ]; then
	printf 'paths %d  maps %d  all maps full: mpiod %ss  multipathd %ss  ratio %s (goal <= 0.25)\n' \
		"$npaths" "$nluns" "$bm" "$bd" "$(ratio "$bm" "$bd")"
	printf 'paths %d  maps %d  and udev done: mpiod %ss  multipathd %ss  ratio %s\n' \
		"$npaths" "$nluns" "$um" "$ud" "$(ratio "$um" "$ud")"
fi
