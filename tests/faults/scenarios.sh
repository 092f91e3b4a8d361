# shellcheck shell=bash
# The fault matrix's scenarios, one function each (F1 is f1, F22a is f22a),
# run by fm_run (lib-faults.sh) after the oracle started writing to the map
# (or, with FM_FS=1, to a file of ext4 on LVM on the map). Each injects its
# fault, sets fm_fail_ms and fm_back_ms where they mean something, adds its
# own pass conditions with fm_require and what it counted with fm_note.
#   F1   the optimized path fails hard under load, comes back, failback
#   F2   the optimized path flaps for FM_FLAP_S (60) seconds: 2, 3, 5 s down
#   F3   the optimized path is deleted and found again by a rescan
#   F4   every path down for half the queueing bound, then back: held, no EIO
#   F4b  every path down beyond the bound: a held read fails at the bound
#   F5   every path down and the daemon killed: held I/O still ends at the bound
#   F6   every path down, suspend --noflush, paths back, reload, resume
#   F7   20 noflush suspend + reload + resume, and 2 reconfigures, under load
#   F8   medium errors on reads: returned up, no path failed
#   F9   commands time out now and then (5 s SCSI timeout) for 40 s
#   F10  on fm_san_iscsi's two portals, every I/O through portal A (the
#        optimized one, alone in its group) made 50, then 200 ms slow at the
#        target: no path failed; the share of I/O A keeps is measured
#   F10b as F10 with both portals optimized (one group): the selector must
#        move most of the I/O off the slow path
#   F11  portal A's backstore fails every I/O 1 s in every 4, for
#        FM_SHAKY_S (60) s: no EIO; how often A was failed and reinstated
#   F12  portal A's backstore drops writes (acknowledged, never written):
#        passes when the oracle finds the lost blocks, which multipath
#        cannot see
#   F13  a ghost write after failover: on fm_san_iscsi's two portals, writes
#        held FM_GHOST_HOLD_S (15) s at the target behind portal A, which the
#        initiator loses meanwhile (test-faults-ghost.sh)
#   F14  BUSY and TASK SET FULL now and then for 30 s: no path failed
#   F16  device, target and host resets on each path in turn under load
#   F17  every path deleted under load (on ext4: while mounted), found again
#        by a rescan within the queueing bound
#   F20  the daemon killed under load and restarted: maps intact, it reinstates
#   F21  each I/O scheduler of the kernel on the paths (and on the anchor's
#        request-based map), with a path failure under each
#   F22a 8 MiB O_DIRECT writes through F1's fault
#   F22b 1 MiB buffered writes with fsync through F1's fault
#   F18  a uevent storm: FM_STORM_LUNS (64) more LUs appear at once behind
#        the three scsi_debug hosts (3 paths each); all their maps must
#        exist, mpiod's answers on one bus connection within 1 s of the bus
#        daemon's during the storm (test-faults-storm.sh)
# With the LIO LU (FM_LIO, test-faults-lio.sh):
#   F15  another I_T nexus holds a persistent reservation (Write Exclusive):
#        the map's writes fail with RESERVATION CONFLICT, returned up; no
#        path is failed; after the release writes go through
#   F19  one path of the LIO LU's map hangs (its iSCSI portal closed, the
#        session's recovery held for 50 s: the path's TEST UNIT READY
#        hangs): the scsi_debug map's failover, the CLI and a reconfigure
#        must not wait for it
FM_FLAP_S=${FM_FLAP_S:-60}
SD_OPTS=/sys/bus/pseudo/drivers/scsi_debug/opts
# The optimized path: the first of the map's table (group 1's), as /dev/sdX.
p0() { echo "/dev/$(basename "$(readlink -f "/sys/dev/block/$(mpio_paths "$MAP" | head -n1)")")"; }

# start_held_read: a 4 KiB direct read of the map in the background, from
# the moment of the fault (before the test has seen every path fail, which
# a loaded guest's polling can take seconds to see).
# held_read SECS: wait until SECS after the last path failed (the mark plus
# fm_fail_ms) for that read to end; prints the seconds from the last path's
# failure to its end and its status, or "held" (it is then left running).
# SECS stays under the guest's hung-task timeout (fm_san: 60 s): a system
# that holds I/O past its bound is reported here, then released, before the
# kernel's watchdog fails the whole boot.
start_held_read() {
	rm -f /tmp/held-read
	( dd if="$DEV" of=/dev/null bs=4k count=1 iflag=direct status=none; echo "$? $(now_ms)" >/tmp/held-read ) &
}
held_read() {
	local base=$((${FM_MARK##* } + fm_fail_ms)) rc end
	local secs=$(( $1 - ($(now_ms) - base) / 1000 ))
	[ "$secs" -gt 0 ] || secs=1
	if wait_for "$secs" test -s /tmp/held-read; then
		read -r rc end </tmp/held-read
		awk -v ms=$((end - base)) -v rc="$rc" 'BEGIN { printf "%.1f s rc=%s\n", ms / 1000, rc }'
	else
		echo held
	fi
}
# all_down [read]: every path offline (with "read", a held read started at
# once: start_held_read), until the kernel has failed each.
all_down() {
	local d
	fm_mark
	for d in "${PATHS[@]}"; do path_offline "$d"; done
	[ "${1:-}" != read ] || start_held_read
	fm_fail_ms=$(fm_timed 30 fail "${PATHS[*]}" mpio_path_is "$MAP" F "${PATHS[@]}")
}
all_back() {
	local d
	fm_mark
	for d in "${PATHS[@]}"; do path_online "$d"; done
	fm_back_ms=$(fm_timed 60 back "${PATHS[*]}" fm_all_usable)
}

f1() {
	local p
	p=$(p0)
	fm_mark
	path_offline "$p"
	fm_fail_ms=$(fm_timed 30 fail "$p" mpio_path_is "$MAP" F "$p")
	fm_require "no I/O on the other path" fm_progress 300
	fm_mark
	path_online "$p"
	fm_back_ms=$(fm_timed 30 back "$p" mpio_path_is "$MAP" A "$p")
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

# paths_after_rescan: PATHS are the scsi_debug nodes as a rescan named them.
paths_after_rescan() {
	local out
	out=$(sd_devs)
	mapfile -t PATHS <<<"$out"
	fm_note "paths after the rescan: ${PATHS[*]}"
}

f3() {
	fm_mark
	path_delete "$(p0)"
	fm_fail_ms=$(ms_until 60 npaths_is "$MAP" $((${#PATHS[@]} - 1)))
	fm_require "the deleted path stayed in the table" test "$fm_fail_ms" -ge 0
	fm_require "no I/O on the other path" fm_progress 300
	scsi_rescan
	fm_back_ms=$(ms_until 60 fm_all_usable)
	fm_require "the rescanned path did not join the map" test "$fm_back_ms" -ge 0
	paths_after_rescan
	fm_require "no I/O after the rescan" fm_progress 200
}

# repair_at MS CMD...: run CMD in the background MS milliseconds after the
# fault's mark, with a mark of its own in the kernel log ("repair"), whatever
# the script is busy with then: a loaded guest's polling can take longer
# than an outage meant to stay within the queueing bound. REPAIR_PID;
# the file FM_REPAIRING exists from the moment the repair starts.
# repaired: wait for it, then measure from its mark.
repair_at() {
	local at=$((${FM_MARK##* } + $1))
	shift
	FM_REPAIRING=/tmp/mpio-faults-repairing-$SCEN-$SYS
	rm -f "$FM_REPAIRING"
	(
		now=$(now_ms)
		[ "$now" -ge "$at" ] || sleep "$(awk -v ms=$((at - now)) 'BEGIN { printf "%.3f", ms / 1000 }')"
		: >"$FM_REPAIRING"
		echo "mpio-faults repair $SCEN $SYS" >/dev/kmsg
		"$@"
	) &
	REPAIR_PID=$!
}
repaired() {
	wait "$REPAIR_PID"
	FM_MARK="mpio-faults repair $SCEN $SYS"
}
paths_online() { local d; for d in "${PATHS[@]}"; do path_online "$d"; done; }
# held_now: the target holds I/O for want of a path. mpio's status says so
# (queue_io 1); the multipath target's queue_io word means I/O held for a
# group's activation, not for want of a path, so the anchor is not asked.
held_now() { [ "$SYS" != mpio ] || test "$(mpio_queue_io "$MAP")" = 1; }
# held_until_repair WHAT: ask held_now every 0.2 s until the repair starts.
# Answers before the first "held" are not counted (the last path may not
# have failed yet); after it, an answer "not held" counts if the repair had
# not started when it was given (a path may be back by then), and the first
# one's status line goes in the note. The scenario fails if one counted.
# A loaded guest may start the repair before the first "held", which the
# note says (no EIO with the outage's stall still shows the hold).
held_until_repair() {
	local what=$1 n=0 held=0 st=
	while [ ! -e "$FM_REPAIRING" ]; do
		if held_now; then
			held=$((held + 1)) n=$((n + 1))
		elif [ "$held" -gt 0 ] && [ ! -e "$FM_REPAIRING" ]; then
			n=$((n + 1))
			[ -n "$st" ] || st=$(dmsetup status "$MAP" 2>&1)
		fi
		sleep 0.2
	done
	[ "$SYS" != mpio ] || fm_note "queue_io 1 in $held of $n answers before the repair${st:+ (not held: $st)}"
	fm_require "$what" test "$held" = "$n"
}
# fm_kernel_ms WHAT "DEV...": fm_timed's figure from the kernel's lines
# alone, without polling (-1 if a line is missing).
fm_kernel_ms() {
	local what=$1 devs=() d k
	for d in $2; do devs+=("$(_mpio_dev "$d")"); done
	k=$(_kernel_ms "$what" "${devs[@]}")
	echo "${k:--1}"
}

f4() {
	fm_mark
	for d in "${PATHS[@]}"; do path_offline "$d"; done
	repair_at $((FM_QUEUE_S * 1000 / 2)) paths_online
	# Asked at once: a poll of every path's state first can take the whole
	# outage on a loaded guest.
	held_until_repair "I/O not held in the outage"
	fm_fail_ms=$(fm_kernel_ms fail "${PATHS[*]}")
	repaired
	fm_back_ms=$(fm_timed 60 back "${PATHS[*]}" fm_all_usable)
	fm_require "paths not back in 60 s" test "$fm_back_ms" -ge 0
	fm_require "no I/O after the outage" fm_progress 200
}

f4b() {
	local r
	EIO_OK=1
	all_down read
	r=$(held_read $((FM_QUEUE_S + 5)))
	fm_note "bound ${FM_QUEUE_S} s: a read held since the last path failed ended after $r"
	case $r in
	held) fm_require "a read still held $((FM_QUEUE_S + 5)) s into the outage" false ;;
	*) fm_require "the held read did not end within the bound + 5 s" awk -v t="${r%% *}" -v b=$((FM_QUEUE_S + 5)) 'BEGIN { exit !(t <= b) }' ;;
	esac
	all_back
	fm_require "paths not back in 60 s" test "$fm_back_ms" -ge 0
	fm_require "no I/O after the outage" fm_progress 200
}

f5() {
	local r
	EIO_OK=1
	all_down read
	fm_kill_daemon
	r=$(held_read $((FM_QUEUE_S + 5)))
	fm_note "bound ${FM_QUEUE_S} s, daemon dead: a read held since the last path failed ended after $r"
	case $r in
	held) fm_require "I/O held past the bound with the daemon dead" false ;;
	*) fm_require "the held read did not end within the bound + 5 s" awk -v t="${r%% *}" -v b=$((FM_QUEUE_S + 5)) 'BEGIN { exit !(t <= b) }' ;;
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

# _f7_step NAME CMD...: run one step of a cycle and add its time (ms) to
# the array NAME (the caller's); false if it failed.
_f7_step() {
	local -n times=$1
	local t0 rc
	shift
	t0=$(now_ms)
	"$@"
	rc=$?
	times+=($(($(now_ms) - t0)))
	return $rc
}
# _f7_stat MS...: "median/max"
_f7_stat() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%d/%d", v[int((NR + 1) / 2)], v[NR] }'; }
f7() {
	local i table sus=() rel=() res=() cyc=() t0
	table=$(dmsetup table "$MAP")
	for i in $(seq 1 20); do
		t0=$(now_ms)
		_f7_step sus dmsetup suspend --noflush "$MAP" && _f7_step rel dmsetup reload "$MAP" --table "$table" &&
			_f7_step res dmsetup resume "$MAP" || {
			FM_WHY+=("reload $i failed")
			dmsetup resume "$MAP" # not left suspended for the cycles after
		}
		cyc+=($(($(now_ms) - t0)))
		[ $((i % 7)) != 0 ] || kill -HUP "$DPID"
		fm_progress 20 || FM_WHY+=("no I/O after reload $i")
	done
	# Each step is a dmsetup process: on a loaded guest its start-up is most of it.
	fm_note "20 suspend/reload/resume cycles, median/longest ms: cycle $(_f7_stat "${cyc[@]}"), suspend $(_f7_stat "${sus[@]}"), reload $(_f7_stat "${rel[@]}"), resume $(_f7_stat "${res[@]}"); 2 reconfigures"
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

f6() {
	local table t0
	table=$(dmsetup table "$MAP")
	all_down
	fm_require "I/O not held in the outage" wait_for 10 held_now
	dmsetup suspend --noflush "$MAP" || FM_WHY+=("suspend --noflush failed")
	for d in "${PATHS[@]}"; do path_online "$d"; done
	t0=$(now_ms)
	dmsetup reload "$MAP" --table "$table" && dmsetup resume "$MAP" || FM_WHY+=("reload or resume failed")
	fm_note "suspend --noflush with every path down; reload + resume took $(($(now_ms) - t0)) ms"
	fm_back_ms=$(ms_until 60 fm_all_usable)
	fm_require "paths not back in 60 s" test "$fm_back_ms" -ge 0
	fm_require "no I/O after the resume" fm_progress 200
}

# sd_fault OPTS EVERY_NTH: scsi_debug's fault injection (on every device:
# both paths), or off with "0 0".
sd_fault() {
	echo "$2" >/sys/bus/pseudo/drivers/scsi_debug/every_nth &&
		echo "$1" >"$SD_OPTS" || t_fail "cannot set scsi_debug opts $1 every_nth $2"
}

f9() {
	local d fc0 fc
	fc0=$(mpio_stat_sum "$MAP" fail_count)
	for d in "${PATHS[@]}"; do echo 5 >"$(_sdev "$d")/timeout"; done
	# opts bit 4: every every_nth-th command is not answered (it times out).
	sd_fault 4 400
	sleep 40 # the fault's length
	sd_fault 0 0
	for d in "${PATHS[@]}"; do echo 30 >"$(_sdev "$d")/timeout"; done
	fm_back_ms=$(ms_until 90 fm_all_usable)
	fc=$(mpio_stat_sum "$MAP" fail_count)
	fm_note "every 400th command unanswered for 40 s (SCSI timeout 5 s): the target failed paths $((fc - fc0)) times"
	fm_require "a path still failed 90 s after the timeouts stopped" test "$fm_back_ms" -ge 0
	fm_require "no I/O after the timeouts" fm_progress 200
}

# F10-F13 run on fm_san_iscsi (test-faults-ghost.sh): the target puts a
# fault under portal A alone, whose path is PATHS[0].
# slow_phase MS SECS: every I/O through A MS ms slow (0: not) for SECS
# seconds; sets SHARE, the percent of the paths' I/Os that went through A,
# and PHASE, what the phase gave.
slow_phase() {
	local a0 b0 a1 b1 t0 ms n
	fm_slow "$1"
	read -r a0 b0 <<<"$(fm_io_split)"
	t0=$(now_ms)
	sleep "$2" # the fault's length
	read -r a1 b1 <<<"$(fm_io_split)"
	ms=$(($(now_ms) - t0))
	n=$((a1 - a0 + b1 - b0))
	SHARE=-1
	[ "$n" = 0 ] || SHARE=$((100 * (a1 - a0) / n))
	PHASE="$1 ms: $SHARE% of $n I/Os through A ($((n * 1000 / ms))/s)"
	echo "   $SYS: $PHASE"
}
# slow_phases: A not slowed for 10 s, then 50 ms and 200 ms slow for 15 s
# each, then not. PHASES says what each gave; SHARE is the last one's.
slow_phases() {
	local ms secs=10
	PHASES=
	for ms in 0 50 200; do
		slow_phase "$ms" "$secs"
		PHASES=${PHASES:+$PHASES, }$PHASE
		secs=15
	done
	fm_slow 0
}
_selectors() { mpio_selectors "$MAP" | sort -u | paste -sd/; }

# F10: A is alone in the current group, so no selector can move I/O off it:
# both systems keep it there, slow, and must not fail it.
f10() {
	local fc0 fc
	fc0=$(mpio_stat_sum "$MAP" fail_count)
	slow_phases
	fc=$(mpio_stat_sum "$MAP" fail_count)
	fm_note "A alone in its group ($(_selectors)): $PHASES; paths failed $((fc - fc0)) times"
	fm_require "a slow path was failed" test "$fc" = "$fc0"
	fm_require "no I/O after the slow path" fm_progress 200
}

# F10b: B made optimized too, so that group_by_prio puts both paths in one
# group (each system regroups the map under load); A slowed as in F10; then
# B non-optimized again and the map back to two groups.
f10b() {
	local fc0 fc ms
	alua_set 127.0.0.2 optimized
	alua_rescan "${PATHS[@]}"
	ms=$(ms_until 60 ngroups_is "$MAP" 1)
	fm_require "the two optimized paths not in one group after 60 s" test "$ms" -ge 0
	if [ "$ms" -ge 0 ]; then
		fc0=$(mpio_stat_sum "$MAP" fail_count)
		slow_phases
		fc=$(mpio_stat_sum "$MAP" fail_count)
		fm_note "A and B in one group after ${ms} ms ($(_selectors)): $PHASES; paths failed $((fc - fc0)) times"
		fm_require "a slow path was failed" test "$fc" = "$fc0"
		fm_require "$SHARE% of the I/O stayed on a path 200 ms slow" test "$SHARE" -lt 50
	fi
	alua_set 127.0.0.2 nonoptimized
	alua_rescan "${PATHS[@]}"
	fm_require "not two groups again after 60 s" wait_for 60 ngroups_is "$MAP" 2
	fm_require "group 1 not current after the regrouping" wait_for 30 cur_group_is "$MAP" 1
	fm_require "no I/O after the slow path" fm_progress 200
}

# F11: LIO answers a failed backstore I/O with CHECK CONDITION; the note
# says which sense the initiator logged, and how often each system failed
# and reinstated A (neither holds a shaky path out in this policy).
FM_SHAKY_S=${FM_SHAKY_S:-60}
f11() {
	local a=${PATHS[0]} fc0 fc back a0 b0 a1 b1 key asc mark
	fc0=$(mpio_fail_count "$MAP" "$a")
	read -r a0 b0 <<<"$(fm_io_split)"
	fm_mark
	mark=$FM_MARK
	fm_flakey 3 1
	sleep "$FM_SHAKY_S" # the fault's length
	fm_mark
	fm_flakey off
	read -r a1 b1 <<<"$(fm_io_split)"
	fm_back_ms=$(fm_timed 60 back "$a" fm_all_usable)
	fc=$(mpio_fail_count "$MAP" "$a")
	back=$(fm_kcount back "$a" "$mark")
	key=$(dmesg | grep -a "\[${a#/dev/}\].*Sense Key" | tail -n1 | sed 's/.*Sense Key : *//; s/ *\[.*//')
	asc=$(dmesg | grep -a "\[${a#/dev/}\].*Add. Sense" | tail -n1 | sed 's/.*Add. Sense: *//')
	fm_note "A's backstore up 3 s, down 1 s for ${FM_SHAKY_S} s; sense ${key:-none}/${asc:-none}; A failed $((fc - fc0)) times, reinstated ${back:-?} times; $((100 * (a1 - a0) / (a1 - a0 + b1 - b0 + 1)))% of the I/O through A"
	fm_require "a path still failed 60 s after the errors stopped" test "$fm_back_ms" -ge 0
	fm_require "no I/O after the errors" fm_progress 200
}

# F12: A's backstore drops the writes it gets (acknowledged, not written)
# while A carries them. No path fails and no I/O errs: multipath cannot
# see it, and the run passes when the oracle finds the lost blocks
# (FM_EXPECT_LOST).
f12() {
	local fc0 fc a0 b0 a1 b1
	FM_EXPECT_LOST=1
	fc0=$(mpio_stat_sum "$MAP" fail_count)
	read -r a0 b0 <<<"$(fm_io_split)"
	fm_flakey 0 3600 drop_writes
	fm_require "no I/O while A dropped writes" fm_progress 300
	fm_flakey off
	read -r a1 b1 <<<"$(fm_io_split)"
	fc=$(mpio_stat_sum "$MAP" fail_count)
	fm_note "A dropped writes while $((a1 - a0)) I/Os went through A and $((b1 - b0)) through B; paths failed $((fc - fc0)) times"
	fm_require "a path was failed" test "$fc" = "$fc0"
	fm_require "no I/O after the drops" fm_progress 200
}

# F13: the oracle writes 8 blocks, each twice, 8 deep (its own writer:
# FM_OWN_WRITER in fm_run). The first writes go to portal A and are held
# at the target; the initiator loses A (its packets dropped), fails A's I/O
# 2 s after it noticed, and the multipath layer sends those writes again
# through B; the second writes follow through B. When the held writes land,
# a block that reads back the first generation after the second was
# acknowledged and read back is a ghost. The check waits until A holds no
# write any more.
FM_GHOST_HOLD_S=${FM_GHOST_HOLD_S:-15}
_writer_done() { ! kill -0 "$WPID" 2>/dev/null; }
_held_some() { [ "$(fm_held_writes)" -gt 0 ]; }
_held_none() { [ "$(fm_held_writes)" = 0 ]; }
f13() {
	local p t0 held writer_ms landed_ms
	p=$(p0)
	fm_zero
	fm_hold_writes $((FM_GHOST_HOLD_S * 1000))
	t0=$(now_ms)
	# 8 blocks (32 KiB), in order, each written twice: 16 writes.
	fm_writer -l 32k -p sequential -n 16
	# The fault comes while the first writes are held, at once: the
	# initiator needs up to 6 s to fail them, the hold is 15 s.
	wait_for 10 _held_some || t_fail "$SYS: no write held at portal A: $(cat "$WLOG")"
	fm_mark
	fm_cut 127.0.0.1
	held=$(fm_held_writes)
	fm_fail_ms=$(fm_timed 30 fail "$p" mpio_path_is "$MAP" F "$p")
	fm_require "the path through portal A did not fail" test "$fm_fail_ms" -ge 0
	wait_for $((FM_GHOST_HOLD_S + 45)) _writer_done || FM_WHY+=("the writer did not finish")
	writer_ms=$(($(now_ms) - t0))
	# The check sees only what has landed: wait for the held writes.
	wait_for $((FM_GHOST_HOLD_S + 30)) _held_none || FM_WHY+=("writes still held at portal A")
	landed_ms=$(($(now_ms) - t0))
	fm_hold_writes 0
	fm_mark
	fm_mend 127.0.0.1
	fm_back_ms=$(fm_timed 60 back "$p" fm_all_usable)
	fm_require "the path through portal A did not come back" test "$fm_back_ms" -ge 0
	fm_note "writes held ${FM_GHOST_HOLD_S} s at portal A ($held just after A was cut); the writer finished after ${writer_ms} ms, the held writes had landed after ${landed_ms} ms"
	echo "   map: $(dmsetup table "$MAP")"
}

f14() {
	local fc0 fc
	fc0=$(mpio_stat_sum "$MAP" fail_count)
	# opts 0x8000 (host busy) and 0x800 (TASK SET FULL now and then) on every 20th command.
	sd_fault $((0x8800)) 20
	sleep 30 # the fault's length
	sd_fault 0 0
	fc=$(mpio_stat_sum "$MAP" fail_count)
	fm_note "BUSY and TASK SET FULL on every 20th command for 30 s: the target failed paths $((fc - fc0)) times"
	fm_require "BUSY or QUEUE FULL failed a path" test "$fc" = "$fc0"
	fm_require "no I/O after the storm" fm_progress 200
}

f16() {
	local d kind fc0 fc n=0
	fc0=$(mpio_stat_sum "$MAP" fail_count)
	for kind in -d -t -b -H; do
		for d in "${PATHS[@]}"; do
			sg_reset "$kind" "$d" >/dev/null 2>&1 && n=$((n + 1))
			fm_progress 40 || FM_WHY+=("no I/O after sg_reset $kind $d")
		done
	done
	fc=$(mpio_stat_sum "$MAP" fail_count)
	fm_back_ms=$(ms_until 60 fm_all_usable)
	fm_note "$n resets (device, target, bus, host) done; the target failed paths $((fc - fc0)) times"
	fm_require "a path still failed 60 s after the resets" test "$fm_back_ms" -ge 0
}

f21() {
	local sched d done=() q
	q=/sys/block/${PATHS[0]#/dev/}/queue/scheduler
	for sched in $(tr -d '[]' <"$q"); do
		for d in "${PATHS[@]}"; do echo "$sched" >"/sys/block/${d#/dev/}/queue/scheduler" || FM_WHY+=("cannot set $sched on $d"); done
		# The anchor's map is request-based: it has a scheduler of its own.
		q=/sys/block/$(basename "$(readlink -f "$DEV")")/queue/scheduler
		if [ -w "$q" ] && grep -qw "$sched" "$q"; then echo "$sched" >"$q"; fi
		path_offline "$(p0)"
		wait_for 30 mpio_path_is "$MAP" F "$(p0)" || FM_WHY+=("$sched: path not failed")
		fm_progress 100 || FM_WHY+=("$sched: no I/O on the other path")
		path_online "$(p0)"
		wait_for 30 fm_all_usable || FM_WHY+=("$sched: path not reinstated")
		fm_progress 100 || FM_WHY+=("$sched: no I/O after the reinstatement")
		done+=("$sched")
		q=/sys/block/${PATHS[0]#/dev/}/queue/scheduler
	done
	for d in "${PATHS[@]}"; do echo mq-deadline >"/sys/block/${d#/dev/}/queue/scheduler" 2>/dev/null; done
	fm_note "schedulers: ${done[*]}"
}

# F22: F1's fault with large or buffered writes (FM_WRITE_OPTS, set by fm_run).
f22a() { f1; }
f22b() { f1; }

_gone_or_repaired() { npaths_is "$MAP" 0 || ! kill -0 "$REPAIR_PID" 2>/dev/null; }
f17() {
	fm_mark
	repair_at $((FM_QUEUE_S * 1000 / 2)) scsi_rescan
	# All at once, without path_delete's settle after each: with the
	# standby path failed, udev's queue may drain only once I/O flows
	# again, and a path deleted after the rescan would never come back.
	for d in "${PATHS[@]}"; do
		echo 1 >"$(_sdev "$d")/delete" || FM_WHY+=("cannot delete $d")
	done
	# The deleted paths leave the table (F3 checks that on its own); here
	# the rescan may come before a slow poll sees the map without paths.
	ms_until 60 _gone_or_repaired >/dev/null
	if npaths_is "$MAP" 0; then
		fm_fail_ms=$(($(now_ms) - ${FM_MARK##* }))
		held_until_repair "I/O not held with no path"
	elif kill -0 "$REPAIR_PID" 2>/dev/null; then
		fm_require "the deleted paths stayed in the table" false
	else
		fm_note "the rescan came before the test saw the map without paths"
	fi
	repaired
	fm_back_ms=$(ms_until 60 fm_all_usable)
	fm_require "the rescanned paths did not join the map" test "$fm_back_ms" -ge 0
	paths_after_rescan
	fm_require "no I/O after the rescan" fm_progress 200
}

f20() {
	local table p
	table=$(dmsetup table "$MAP")
	p=$(p0)
	fm_kill_daemon
	fm_require "no I/O with the daemon dead" fm_progress 200
	fm_daemon "$SYS"
	fm_require "the map changed at the restart" wait_for 10 test "$(dmsetup table "$MAP")" = "$table"
	fm_mark
	path_offline "$p"
	fm_fail_ms=$(fm_timed 30 fail "$p" mpio_path_is "$MAP" F "$p")
	fm_mark
	path_online "$p"
	fm_back_ms=$(fm_timed 30 back "$p" mpio_path_is "$MAP" A "$p")
	fm_require "the restarted daemon did not reinstate the path" test "$fm_back_ms" -ge 0
	fm_require "no I/O after the restart" fm_progress 200
}


# ---- with the LIO LU (FM_LIO) -----------------------------------------------
# _iscsi_session PORTAL: the sysfs dir of the iSCSI session to PORTAL.
_iscsi_session() {
	local s
	for s in /sys/class/iscsi_session/session*; do
		grep -qx "$1" "$s"/device/connection*/iscsi_connection/*/persistent_address 2>/dev/null &&
			echo "$s" && return 0
	done
	return 1
}
# The daemon's threads asleep in a SCSI command sent through SG_IO (a TUR
# check), and how many threads it has.
_sgio_threads() { grep -l 'blk_execute_rq' /proc/"$DPID"/task/*/wchan 2>/dev/null | wc -l; }
_sgio_hung() { [ "$(_sgio_threads)" -gt 0 ]; }
_threads() { awk '/^Threads:/ { print $2 }' "/proc/$DPID/status"; }
_state_is() { [ "$(path_state "$1")" = "$2" ]; }
CTL=$MPIO_SRC/multipathctl/multipathctl
# multipathd's client (a command line, for timeout and for cli_round).
MPT_CLI="env LD_LIBRARY_PATH=$MPT/lib $MPT/sbin/multipathd"
# cli_round: each read-only command of SYS's CLI once, timed (30 s at
# most); CLI_MAX (ms) and CLI_WORST (the slowest command), CLI_N calls,
# CLI_BAD the commands that failed. The CLI runs at nice -10, above the
# oracle's writers, which keep a TCG guest's CPUs busy: the time is the
# daemon's answer more than the guest's scheduling.
CLI_MAX=0 CLI_WORST='' CLI_N=0 CLI_BAD=()
_cli_cmds() {
	case $SYS in
	mpio)
		printf '%s\n' "$CTL status" "$CTL show topology" "$CTL show maps" "$CTL show paths" \
			"$CTL show map $LIO_MAP" "$CTL show map $MAP" "$CTL show config" "$CTL stats"
		;;
	anchor)
		local c
		for c in "show paths" "show maps" "show topology" "show status" "show daemon" \
			"show map $LIO_MAP topology" "show config"; do
			echo "$MPT_CLI $c"
		done
		;;
	esac
}
cli_round() {
	local cmd t0 dt rc
	while read -r cmd; do
		t0=$(now_ms)
		# shellcheck disable=SC2086 # a command line
		timeout 30 nice -n -10 $cmd >/dev/null 2>&1
		rc=$?
		dt=$(($(now_ms) - t0))
		CLI_N=$((CLI_N + 1))
		[ "$rc" = 0 ] || CLI_BAD+=("${cmd#"$MPIO_SRC"/} (rc $rc)")
		[ "$dt" -le "$CLI_MAX" ] || { CLI_MAX=$dt CLI_WORST=${cmd##*/}; }
	done < <(_cli_cmds)
}
# reconfigure_ms: SYS's reconfigure, in ms until it is done. mpio's
# Reload (multipathctl reload) answers when it is done; multipathd's
# reconfigure command answers at once, and `show daemon` says "configure"
# until it is done.
# shellcheck disable=SC2086 # a command line
_mpt_configured() { ! $MPT_CLI show daemon 2>/dev/null | grep -q configure; }
reconfigure_ms() {
	local t0
	t0=$(now_ms)
	# shellcheck disable=SC2086 # MPT_CLI is a command line
	case $SYS in
	mpio) timeout 60 nice -n -10 "$CTL" reload >/dev/null 2>&1 || FM_WHY+=("multipathctl reload failed") ;;
	anchor) timeout 60 nice -n -10 $MPT_CLI reconfigure >/dev/null 2>&1 && wait_for 60 _mpt_configured ;;
	esac
	echo $(($(now_ms) - t0))
}

f19() {
	local sess tpg=$CFS/iscsi/$ISCSI_IQN/tpgt_2 b=${LIO_PATHS[1]} mark_b t_b0 p rc_ms left b_fail thr
	local base base_cmd bound rc0 thr0 t0 exec_ms
	sess=$(_iscsi_session 127.0.0.2) || t_fail "no iSCSI session to 127.0.0.2"
	LIO_MAP=$(fm_map_of "$SYS" "$(devnum "$b")")
	# The CLI's own time on this (loaded) guest, before the fault.
	CLI_MAX=0 CLI_WORST='' CLI_N=0 CLI_BAD=()
	cli_round
	base=$CLI_MAX base_cmd=$CLI_WORST
	# The client's own start, without the daemon.
	t0=$(now_ms)
	timeout 30 nice -n -10 "$CTL" --version >/dev/null 2>&1
	exec_ms=$(($(now_ms) - t0))
	rc0=$(reconfigure_ms)
	thr0=$(_threads)
	CLI_MAX=0 CLI_WORST='' CLI_N=0 CLI_BAD=()
	# The session's recovery may last 300 s: until the portal opens again,
	# the path's commands are held (blocked), a check's TUR among them.
	echo 300 >"$sess/recovery_tmo" || t_fail "cannot set the recovery timeout of $sess"
	fm_mark
	mark_b=$FM_MARK t_b0=$(now_ms)
	echo 0 >"$tpg/enable" || t_fail "cannot close the portal 127.0.0.2"
	fm_require "$b not blocked" wait_for 20 _state_is "$b" blocked
	fm_require "no check hung on $b" wait_for 20 _sgio_hung
	echo "   $SYS: $b $(path_state "$b"); $(_sgio_threads) daemon thread(s) in blk_execute_rq"
	cli_round
	# The other map's failover, during the stall.
	p=$(p0)
	fm_mark
	path_offline "$p"
	fm_fail_ms=$(fm_timed 30 fail "$p" mpio_path_is "$MAP" F "$p")
	fm_require "no I/O on the other path" fm_progress 100
	rc_ms=$(reconfigure_ms)
	left=$(path_state "$b")
	fm_mark
	path_online "$p"
	fm_back_ms=$(fm_timed 30 back "$p" mpio_path_is "$MAP" A "$p")
	cli_round
	thr=$(_threads)
	[ "$(path_state "$b")" = blocked ] || FM_WHY+=("the stall ended before the test did: it proved nothing")
	# The portal opens again: the session logs in, the path comes back.
	echo 1 >"$tpg/enable" || t_fail "cannot open the portal 127.0.0.2"
	wait_for 90 _state_is "$b" running || FM_WHY+=("$b not running 90 s after the portal opened")
	echo 5 >"$sess/recovery_tmo"
	b_fail=$(FM_MARK=$mark_b _kernel_ms fail "$(devnum "$b")")
	fm_note "TUR check of $b hung (blocked: portal closed, iSCSI recovery 300 s) for $(($(now_ms) - t_b0)) ms; meanwhile: $MAP's failover ${fm_fail_ms} ms, reinstated ${fm_back_ms} ms; CLI max ${CLI_MAX} ms (${CLI_WORST}) over ${CLI_N} calls (before the fault: max ${base} ms, ${base_cmd}; multipathctl --version, no daemon asked: ${exec_ms} ms)${CLI_BAD:+, failed: ${CLI_BAD[*]}}; reconfigure ${rc_ms} ms (before the fault: ${rc0} ms), $b still ${left} after it; the daemon failed $b after ${b_fail:--} ms; daemon threads: $thr0 before, $thr at the end of the stall"
	fm_require "the failover took ${fm_fail_ms} ms (bound 5000)" test "$fm_fail_ms" -ge 0 -a "$fm_fail_ms" -le 5000
	fm_require "the reinstatement took ${fm_back_ms} ms (bound 10000)" test "$fm_back_ms" -ge 0 -a "$fm_back_ms" -le 10000
	# 1 s; on a guest so loaded that the CLI took longer before the fault,
	# twice that.
	bound=$((base * 2 > 1000 ? base * 2 : 1000))
	fm_require "a CLI call took ${CLI_MAX} ms (${CLI_WORST}; bound ${bound})" test "$CLI_MAX" -lt "$bound"
	fm_require "CLI calls failed: ${CLI_BAD[*]}" test ${#CLI_BAD[@]} = 0
	bound=$((rc0 * 2 > 5000 ? rc0 * 2 : 5000))
	fm_require "the reconfigure took ${rc_ms} ms (bound ${bound})" test "$rc_ms" -le "$bound"
	fm_require "the stall ended before the reconfigure did: the test proved nothing" test "$left" = blocked
	# One stuck checker thread for the hung device, not one more per check
	# (mpio's pool; multipathd does not check a blocked device).
	[ "$SYS" != mpio ] || fm_require "the daemon went from $thr0 to $thr threads" test "$thr" -le $((thr0 + 1))
	fm_require "$LIO_MAP: a path still failed 60 s after the portal opened" wait_for 60 output_is "" mpio_paths "$LIO_MAP" F
	fm_require "no I/O after the stall" fm_progress 200
}

# ioerr_sum: commands that ended in error on the map's paths (ioerr_cnt).
ioerr_sum() {
	local d n=0
	for d in "${PATHS[@]}"; do n=$((n + $(($(cat "$(_sdev "$d")/ioerr_cnt"))))); done
	echo "$n"
}
_ioerr_grew() { [ "$(ioerr_sum)" -ge "$1" ]; }
PR_KEY=0x4d50494f
# pr_out ARGS: a PERSISTENT RESERVE OUT from the other nexus; its errors
# are printed. The first command after the nexus's login may meet a unit
# attention: one retry.
pr_out() {
	sg_persist --out --no-inquiry "$@" "$PR_SG" >/tmp/pr.out 2>&1 ||
		sg_persist --out --no-inquiry "$@" "$PR_SG" >/tmp/pr.out 2>&1 ||
		{ sed 's/^/   sg_persist: /' /tmp/pr.out; return 1; }
}

f15() {
	local fc0 fc e0 e1 nfail holder
	EIO_OK=1
	fc0=$(mpio_stat_sum "$MAP" fail_count)
	e0=$(ioerr_sum)
	fm_mark
	# The other nexus registers and takes a Write Exclusive reservation.
	pr_out --register-ignore --param-sark="$PR_KEY" || t_fail "sg_persist: cannot register on $PR_SG"
	pr_out --reserve --param-rk="$PR_KEY" --prout-type=1 || t_fail "sg_persist: cannot reserve on $PR_SG"
	holder=$(sg_persist --in --no-inquiry --read-reservation "$PR_SG" 2>&1 | tr -s ' \n' ' ')
	echo "   $SYS: $holder"
	fm_require "the map's writes did not fail under the reservation" wait_for 30 _ioerr_grew $((e0 + 20))
	sleep 10 # the reservation's length
	pr_out --release --param-rk="$PR_KEY" --prout-type=1 || t_fail "sg_persist: cannot release"
	pr_out --register-ignore --param-sark=0 || t_fail "sg_persist: cannot unregister"
	e1=$(ioerr_sum)
	fm_require "no write went through after the release" fm_progress 200
	fc=$(mpio_stat_sum "$MAP" fail_count)
	nfail=$(dmesg | awk -v m="$FM_MARK" 'index($0, m) { on = 1 } on && /ailing path/' | wc -l)
	fm_note "reservation held ~10 s: $((e1 - e0)) commands ended in RESERVATION CONFLICT on the paths (ioerr_cnt; EIO column: failed writes, expected here); paths failed: $((fc - fc0)) (kernel log: $nfail)"
	fm_require "a reservation conflict failed a path" test "$fc" = "$fc0" -a "$nfail" = 0
	fm_require "a path not usable after the release" wait_for 30 fm_all_usable
}

# ---- the uevent storm (test-faults-storm.sh) --------------------------------
FM_STORM_LUNS=${FM_STORM_LUNS:-64}
SD_DRV=/sys/bus/pseudo/drivers/scsi_debug
# _full_maps: SYS's maps with 3 paths in their live table.
_full_maps() {
	dmsetup table --target "$(fm_target "$SYS")" 2>/dev/null |
		awk '{ n = 0; for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+:[0-9]+$/) n++ } n == 3 { m++ } END { print m + 0 }'
}
_sd_hosts() { grep -l scsi_debug /sys/class/scsi_host/host*/proc_name | xargs -n1 dirname; }
# _list_ms: one list call of SYS's CLI, timed (ms; 30000 if it did not answer).
# _list_ms: the CLI's "show maps" of the system under test, timed: prints
# "MS RC". _bus_ms: a call to the bus daemon itself (GetId), timed: the
# control, which shows how long any call takes on the guest at that moment.
_list_ms() {
	local t0 rc
	t0=$(now_ms)
	# shellcheck disable=SC2086 # MPT_CLI is a command line
	case $SYS in
	mpio) timeout 30 nice -n -10 "$CTL" show maps >/dev/null 2>&1 ;;
	anchor) timeout 30 nice -n -10 $MPT_CLI show maps >/dev/null 2>&1 ;;
	esac
	rc=$?
	echo "$(($(now_ms) - t0)) $rc"
}
_bus_ms() {
	local t0
	t0=$(now_ms)
	timeout 30 nice -n -10 busctl call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus GetId >/dev/null 2>&1
	echo $(($(now_ms) - t0))
}
_med_max() { sort -n | awk '{ v[NR] = $1 } END { printf "%d %d %d", v[int((NR + 1) / 2)], v[NR], NR }'; }
# mpio's answer times without a process start per call (which on the
# storm's loaded guest takes seconds and swamps them): tests/tools/bus-latency
# on one connection, every 500 ms, GetId of the bus daemon (the control),
# then mpiod's Ping and GetManagedObjects (what show maps asks); at the CLI
# calls' priority (nice -10), so that it measures the daemons, not its own
# turn on the CPUs among udev's workers. mpiod runs at its unit's Nice=
# (mpiod_start), multipathd at the real-time priority it sets itself.
BUS_LATENCY=$MPIO_SRC/tests/tools/bus-latency
f18() {
	local want=$((FM_STORM_LUNS + 1)) t0 all=-1 lat=() bus=() over=() full limit=600 rss hwm cpu med max n scans=() base ms rc b bmed bmax omax
	local sampler= pmed pmax gmed smed smax
	CLI_BAD=()
	read -r base _ < <(_list_ms)
	if [ "$SYS" = mpio ]; then
		[ -x "$BUS_LATENCY" ] || t_fail "$BUS_LATENCY missing (make -C tests/tools)"
		nice -n -10 "$BUS_LATENCY" 500 >/tmp/f18-bus-latency.txt 2>&1 &
		sampler=$!
	fi
	wait_for 30 sh -c "echo $want >$SD_DRV/max_luns" || t_fail "cannot set scsi_debug's max_luns to $want"
	fm_mark
	t0=$(now_ms)
	# Every host scans its new LUs at once: 3 x FM_STORM_LUNS devices appear.
	for h in $(_sd_hosts); do
		echo '- - -' >"$h/scan" &
		scans+=($!)
	done
	while :; do
		read -r ms rc < <(_list_ms)
		b=$(_bus_ms)
		lat+=("$ms") bus+=("$b") over+=($((ms - b)))
		[ "$rc" = 0 ] || CLI_BAD+=("show maps (rc $rc)")
		full=$(_full_maps)
		if [ "$full" -ge "$want" ]; then all=$(($(now_ms) - t0)); break; fi
		[ $(($(now_ms) - t0)) -lt $((limit * 1000)) ] || break
		fm_daemon_up || break
		sleep 0.5 # the sampling interval
	done
	wait "${scans[@]}"
	read -r med max n < <(printf '%s\n' "${lat[@]}" | _med_max)
	read -r bmed bmax _ < <(printf '%s\n' "${bus[@]}" | _med_max)
	read -r _ omax _ < <(printf '%s\n' "${over[@]}" | _med_max)
	if [ -n "$sampler" ]; then
		kill "$sampler"
		wait "$sampler"
		# Per round: getid G ping P objects O (-1: failed); mpiod's share is O - G.
		local ok=/tmp/f18-bus-latency.ok rounds
		awk '$1 == "getid" && $2 >= 0 && $4 >= 0 && $6 >= 0' /tmp/f18-bus-latency.txt >"$ok"
		rounds=$(wc -l <"$ok")
		read -r gmed _ < <(awk '{ print $2 }' "$ok" | _med_max)
		read -r pmed pmax _ < <(awk '{ print $4 - $2 }' "$ok" | _med_max)
		read -r smed smax _ < <(awk '{ print $6 - $2 }' "$ok" | _med_max)
		[ "$(grep -c '^getid' /tmp/f18-bus-latency.txt)" = "$rounds" ] || CLI_BAD+=("a sampled call failed")
		fm_note "on one bus connection every 500 ms ($rounds rounds): the bus daemon's GetId median ${gmed} ms; mpiod's Ping over it median ${pmed} ms, max ${pmax} ms; its GetManagedObjects over it median ${smed} ms, max ${smax} ms"
		fm_require "no round of bus-latency answered" test "$rounds" -gt 0
		fm_require "mpiod's GetManagedObjects took ${smax} ms longer than the bus daemon's GetId on the same connection (bound 1000)" test "$smax" -lt 1000
	fi
	read -r rss hwm < <(awk '/^VmRSS/ { r = $2 } /^VmHWM/ { h = $2 } END { print r, h }' "/proc/$DPID/status")
	cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$DPID/stat")
	fm_note "$((3 * FM_STORM_LUNS)) paths of $FM_STORM_LUNS new LUs at once: all $want maps after ${all} ms ($(_full_maps) full); CLI show maps during the storm: median ${med} ms, max ${max} ms over ${n} calls (before the storm: ${base} ms; the bus daemon's GetId at the same moments: median ${bmed} ms, max ${bmax} ms; the CLI at most ${omax} ms over it)${CLI_BAD:+, failed: ${CLI_BAD[*]}}; daemon RSS ${rss} kB (peak ${hwm} kB), CPU ${cpu} s"
	fm_require "not all $want maps after ${limit} s" test "$all" -ge 0
	# The anchor's CLI has no bus: its call is bounded against the control
	# call made right after it, a process start each (reported: mpio's is
	# bounded on the sampler's figures above, its CLI's are reported).
	[ "$SYS" = mpio ] ||
		fm_require "a CLI call took ${omax} ms longer than the bus daemon's GetId during the storm (bound 1000)" test "$omax" -lt 1000
	fm_require "CLI calls failed: ${CLI_BAD[*]}" test ${#CLI_BAD[@]} = 0
	fm_require "no I/O after the storm" fm_progress 200
}
# After the turn (the daemon and its maps are gone): the storm's devices go,
# so that the next turn gets a storm of its own.
f18_after() {
	local d
	for d in $(sd_devs); do
		[ "$(scsi_lun "$d")" = 0 ] || echo 1 >"$(_sdev "$d")/delete"
	done
	settle 600
	wait_for 30 sh -c "echo 1 >$SD_DRV/max_luns" || t_fail "cannot set scsi_debug's max_luns back to 1"
	[ "$(sd_devs | wc -l)" = 3 ] || t_fail "storm devices left: $(sd_devs | tr '\n' ' ')"
}
