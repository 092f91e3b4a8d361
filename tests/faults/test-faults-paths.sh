#!/bin/bash
# vm-options: --timeout 3600 --allow rejecting.I/O.to.offline.device|I/O.error|Medium.Error|Unrecovered.read.error|critical.medium.error|Sense.Key
# The fault matrix, path faults (tests/faults/README.md): each scenario
# runs for mpio and then for the anchor (Debian's multipathd and the kernel's
# multipath target) on the same two scsi_debug paths, in this boot, with the
# data oracle writing to the map throughout and checking every block after.
#   test-faults-paths.sh [SCENARIO...]   (default: all of them, in this order)
#   F1   the optimized path fails hard under load, comes back, failback
#   F2   the optimized path flaps for FM_FLAP_S (60) seconds: 2, 3, 5 s down
#   F3   the optimized path is deleted and found again by a rescan
#   F4   every path down for half the queueing bound, then back: held, no EIO
#   F4b  every path down beyond the bound: a held read fails at the bound
#   F5   every path down and the daemon killed: held I/O still ends at the bound
#   F7   20 noflush suspend + reload + resume, and 3 reconfigures, under load
#   F8   medium errors on reads: returned up, no path failed
#   F20  the daemon killed under load and restarted: maps intact, it reinstates
# mpiod by hand: the test alternates it with multipathd and kills it (kill -9).
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/faults/lib-faults.sh"

FM_FLAP_S=${FM_FLAP_S:-60}
SD_OPTS=/sys/bus/pseudo/drivers/scsi_debug/opts
p0() { echo "${PATHS[0]}"; }

# held_read SECS: a 4 KiB direct read of the map, started now, with every
# path down; prints the seconds until it ended (and its status), or "held"
# if it had not ended after SECS (it is left running). SECS stays well under
# the guest's hung-task timeout (30 s): a system that holds I/O past its
# bound is reported here, then released, before the kernel's watchdog fails
# the whole boot.
held_read() {
	local secs=$1 t0 rc
	rm -f /tmp/held-read
	t0=$(now_ms)
	( dd if="$DEV" of=/dev/null bs=4k count=1 iflag=direct status=none; echo $? >/tmp/held-read ) &
	if wait_for "$secs" test -s /tmp/held-read; then
		rc=$(cat /tmp/held-read)
		echo "$(( ($(now_ms) - t0) / 1000 )) rc=$rc"
	else
		echo held
	fi
}
all_down() {
	local d
	for d in "${PATHS[@]}"; do path_offline "$d"; done
	fm_fail_ms=$(ms_until 30 mpio_path_is "$MAP" F "${PATHS[@]}")
}
all_back() {
	local d
	for d in "${PATHS[@]}"; do path_online "$d"; done
	fm_back_ms=$(ms_until 60 fm_all_usable)
}

f1() {
	path_offline "$(p0)"
	fm_fail_ms=$(ms_until 30 mpio_path_is "$MAP" F "$(p0)")
	fm_require "no I/O on the other path" fm_progress 300
	path_online "$(p0)"
	fm_back_ms=$(ms_until 30 mpio_path_is "$MAP" A "$(p0)")
	fm_require "no failback to group 1" wait_for 30 cur_group_is "$MAP" 1
	fm_require "no I/O after the failback" fm_progress 200
}

f2() {
	local end cycles=0 d fc0 fc
	fc0=$(mpio_fail_count "$MAP" "$(p0)")
	end=$(($(date +%s) + FM_FLAP_S))
	while [ "$(date +%s)" -lt "$end" ]; do
		for d in 2 3 5; do
			path_offline "$(p0)"
			sleep "$d" # the fault's length, not a wait for a condition
			path_online "$(p0)"
			sleep "$d"
			cycles=$((cycles + 1))
		done
	done
	fm_back_ms=$(ms_until 60 fm_all_usable)
	fc=$(mpio_fail_count "$MAP" "$(p0)")
	fm_note "$cycles cycles; the kernel failed the path $((fc - fc0)) times"
	fm_require "a path still failed 60 s after the last cycle" test "$fm_back_ms" -ge 0
	fm_require "no I/O after the flapping" fm_progress 200
}

f3() {
	local out
	path_delete "$(p0)"
	fm_fail_ms=$(ms_until 60 npaths_is "$MAP" 1)
	fm_require "the deleted path stayed in the table" test "$fm_fail_ms" -ge 0
	fm_require "no I/O on the other path" fm_progress 300
	scsi_rescan
	fm_back_ms=$(ms_until 60 fm_all_usable)
	fm_require "the rescanned path did not join the map" test "$fm_back_ms" -ge 0
	out=$(sd_devs)
	mapfile -t PATHS <<<"$out"
	fm_note "paths after the rescan: ${PATHS[*]}"
	fm_require "no I/O after the rescan" fm_progress 200
}

f4() {
	all_down
	sleep $((FM_QUEUE_S / 2)) # the outage's length
	fm_require "I/O not held in the outage" test "$(mpio_queue_io "$MAP")" = 1
	all_back
	fm_require "paths not back in 60 s" test "$fm_back_ms" -ge 0
	fm_require "no I/O after the outage" fm_progress 200
}

f4b() {
	local r
	EIO_OK=1
	all_down
	r=$(held_read $((FM_QUEUE_S + 5)))
	fm_note "bound ${FM_QUEUE_S} s: a read held from the outage ended after $r"
	case $r in
	held) fm_require "a read still held $((FM_QUEUE_S + 5)) s into the outage" false ;;
	*) fm_require "the held read did not end within the bound + 5 s" test "${r%% *}" -le $((FM_QUEUE_S + 5)) ;;
	esac
	all_back
	fm_require "paths not back in 60 s" test "$fm_back_ms" -ge 0
	fm_require "no I/O after the outage" fm_progress 200
}

f5() {
	local r
	EIO_OK=1
	all_down
	fm_kill_daemon
	r=$(held_read $((FM_QUEUE_S + 5)))
	fm_note "bound ${FM_QUEUE_S} s, daemon dead: a read held from the outage ended after $r"
	case $r in
	held) fm_require "I/O held past the bound with the daemon dead" false ;;
	*) fm_require "the held read did not end within the bound + 5 s" test "${r%% *}" -le $((FM_QUEUE_S + 5)) ;;
	esac
	# Recovery: the paths come back and the daemon is started again.
	for d in "${PATHS[@]}"; do path_online "$d"; done
	fm_daemon "$SYS"
	fm_back_ms=$(ms_until 60 fm_all_usable)
	fm_require "paths not back in 60 s after the restart" test "$fm_back_ms" -ge 0
	# The anchor's writes may still be held (queue_if_no_path with nobody
	# to count the retries): the restarted daemon releases them.
	fm_require "no I/O after the restart" fm_progress 200 90
}

f7() {
	local i table max=0 t0 dt
	table=$(dmsetup table "$MAP")
	for i in $(seq 1 20); do
		t0=$(now_ms)
		dmsetup suspend --noflush "$MAP" && dmsetup reload "$MAP" --table "$table" &&
			dmsetup resume "$MAP" || FM_WHY+=("reload $i failed")
		dt=$(($(now_ms) - t0))
		[ "$dt" -le "$max" ] || max=$dt
		[ $((i % 7)) != 0 ] || kill -HUP "$DPID"
		fm_progress 20 || FM_WHY+=("no I/O after reload $i")
	done
	fm_note "20 suspend/reload/resume cycles, longest ${max} ms; 2 reconfigures"
	fm_require "a path failed" wait_for 30 fm_all_usable
	fm_require "the daemon died" fm_daemon_up
}

f8() {
	local i bad=0 fc0 fc d
	fc0=$(mpio_stat_sum "$MAP" fail_count)
	# scsi_debug's opts bit 2: a read of sectors 0x1234 and up returns MEDIUM ERROR.
	echo 2 >"$SD_OPTS" || t_fail "cannot set scsi_debug opts"
	for i in 1 2 3 4 5; do
		if dd if="$DEV" of=/dev/null bs=512 skip=$((0x1234)) count=1 iflag=direct status=none 2>/dev/null; then
			bad=$((bad + 1))
		fi
	done
	echo 0 >"$SD_OPTS"
	fc=$(mpio_stat_sum "$MAP" fail_count)
	fm_note "5 reads of a bad sector: $((5 - bad)) failed; the target failed $((fc - fc0)) paths"
	fm_require "a read of the bad sector succeeded" test "$bad" = 0
	fm_require "a medium error failed a path" test "$fc" = "$fc0"
	for d in "${PATHS[@]}"; do fm_require "$d not usable" mpio_path_is "$MAP" A "$d"; done
	fm_require "no I/O after the medium errors" fm_progress 200
}

f20() {
	local table
	table=$(dmsetup table "$MAP")
	fm_kill_daemon
	fm_require "no I/O with the daemon dead" fm_progress 200
	fm_daemon "$SYS"
	fm_require "the map changed at the restart" wait_for 10 test "$(dmsetup table "$MAP")" = "$table"
	path_offline "$(p0)"
	fm_fail_ms=$(ms_until 30 mpio_path_is "$MAP" F "$(p0)")
	path_online "$(p0)"
	fm_back_ms=$(ms_until 30 mpio_path_is "$MAP" A "$(p0)")
	fm_require "the restarted daemon did not reinstate the path" test "$fm_back_ms" -ge 0
	fm_require "no I/O after the restart" fm_progress 200
}

t_step "SAN: 2 scsi_debug paths to one LU"
fm_san
[ $# -gt 0 ] || set -- F1 F2 F3 F4 F4b F5 F7 F8 F20
for s in "$@"; do
	fn=${s,,}
	declare -F "$fn" >/dev/null || t_fail "no scenario $s"
	fm_each "$s" "$fn"
done
t_step "results"
column -t -s "$(printf '\t')" "$FM_RESULTS" | sed 's/^/   /'
t_check "the anchor's multipathd logged no crash" sh -c "! grep -qiE 'segfault|abort' /tmp/multipathd.log"
t_done
