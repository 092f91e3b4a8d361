# shellcheck shell=bash
# The fault matrix's bench: one SAN, two multipath systems taking turns on it
# in one boot, the data oracle on every run, one results line per run.
# Source after tests/vm/lib.sh; it sources tests/integration/lib-mpiod.sh.
#
# The systems (SYS):
#   mpio     mpiod (this tree, started by hand: its log is read for the
#            checks) and the dm-mpio target
#   anchor   Debian's multipathd (unpacked on the host by
#            tests/bench/prepare-multipath-tools, never installed) and the
#            kernel's multipath target
# Both get the same policy, written once below in each one's words: ALUA
# groups (group_by_prio, the alua handler), TUR checks every second,
# failback at once, and I/O queued for FM_QUEUE_S seconds with no path.
#
#   fm_san                  3 scsi_debug paths to one LU: PATHS, DEVNUMS.
#                           scsi_debug gives the port of SCSI host H the ALUA
#                           state H mod 3: three hosts in a row are one
#                           active/optimized, one active/non-optimized and
#                           one standby port (scsi_dh_alua fails I/O sent to
#                           standby, and scsi_debug takes no STPG). Each
#                           system makes 3 groups of them, in that order.
#   fm_san_iscsi            2 iSCSI paths to one LU (test-faults-ghost.sh):
#                           portal A (127.0.0.1, ALUA optimized) and B
#                           (127.0.0.2, non-optimized) each export their own
#                           LIO block backstore, over the dm devices FM_DM_A
#                           and FM_DM_B on one ramdisk, with one identity (one
#                           WWID); the initiator notices a lost portal within
#                           4 s (nop-outs) and fails its I/O 2 s later
#                           (replacement_timeout). PATHS (A first), DEVNUMS;
#                           each system makes 2 groups (FM_NGROUPS)
#   fm_hold_writes MS       writes through portal A wait MS ms at the target
#                           (dm-delay; reads pass at once; 0: no more)
#   fm_held_writes          how many writes portal A's dm device holds now
#   fm_cut PORTAL, fm_mend PORTAL   drop the initiator's traffic to and from
#                           PORTAL:3260 (policy routing blackhole), restore it
#   fm_slow MS              every I/O through portal A waits MS ms at the
#                           target (dm-delay of reads, writes and flushes: a
#                           slow path, not a dead one; 0: no more)
#   fm_flakey UP DOWN [FEATURE...]
#                           portal A's dm device is a dm-flakey: UP seconds
#                           good, DOWN seconds bad, in turn; bad is every I/O
#                           failing, or as the FEATUREs say (drop_writes:
#                           writes acknowledged and not written); off: good
#   fm_io_split             completed I/Os of each path so far ("A B")
#   fm_kcount fail|back DEV [MARK]
#                           the kernel's "failing path" (or "reinstating
#                           path") lines of DEV since the mark (or MARK, an
#                           earlier FM_MARK)
#   fm_start SYS            start SYS's daemon, wait for its map with every
#                           path usable: MAP, DEV (/dev/mapper/MAP), DPID
#   fm_stop SYS             stop the daemon, remove the map, wait for udev
#   fm_write                zero the map, start the oracle writing to it
#                           (4 KiB, 8 deep, O_DIRECT, with read-back, and
#                           FM_WRITE_OPTS) until fm_finish, wait for its
#                           first writes: WPID
#   fm_zero, fm_writer OPT...   the two halves of fm_write, for a scenario
#                           that writes its own way (FM_OWN_WRITER=1 in
#                           fm_run): zero the map; start the oracle on it
#                           (4 KiB, 8 deep, O_DIRECT, read-back, then OPT...),
#                           not waiting: WPID
#   fm_progress N [SECS]    wait until the writer journaled N more records
#   fm_finish SCEN SYS      stop the writer, check the blocks, add the results
#                           line; EIO_OK=1 beforehand when failed writes are the
#                           scenario's expected outcome, FM_EXPECT_LOST=1 when
#                           the scenario loses writes below multipath (F12):
#                           then the run fails unless the oracle found lost
#                           blocks (and none ghost, torn or foreign)
#   fm_run SCENARIO...      each scenario of scenarios.sh for each system
#   _fm_policy VENDOR PRODUCT SUPPORTED [ANCHOR-LINE...]
#                           both systems' policy (below) for the LU VENDOR
#                           PRODUCT: SUPPORTED is mpio's supported-devices
#                           line, ANCHOR-LINEs more lines of the anchor's
#                           device section, $FM_MPIO_LINES more lines of mpio's
#   FM_FS=1                 the oracle writes a file of ext4 on LVM on the map,
#                           and fsck -n must find it clean
#   fm_require WHAT CMD...  the scenario's own pass condition: if CMD fails,
#                           WHAT is added to the run's reasons to fail
#   ms_until SECS CHECK...  milliseconds until CHECK holds (-1: not in SECS)
#   fm_mark                 the fault (or the repair) is now: a mark in the
#                           kernel log
#   fm_timed SECS fail|back "DEV..." CHECK...
#                           wait for CHECK, then print the milliseconds from
#                           the mark to the kernel's last "failing path" (or
#                           "reinstating path") line of the DEVs (nodes or
#                           major:minor), as both targets log them; where the
#                           kernel logged none, the time CHECK took to hold
#                           (polled: coarse on a loaded guest); -1 if neither
#   fm_fail_ms, fm_back_ms  set by scenarios: path failed / reinstated (ms)
#
# The results line (tab-separated, in /results/faults.tsv; tests/faults/run
# turns the lines of every run into the table of tests/faults/README.md):
#   scenario system eio lost ghost torn foreign stall_ms fail_ms back_ms verdict note
# verdict: pass, or fail with the reason. Only mpio's verdicts fail the test:
# the anchor's are what the table compares against.

. "$MPIO_SRC/tests/integration/lib-mpiod.sh"
. "$MPIO_SRC/tests/bench/lib-anchor.sh"

ORACLE=$MPIO_SRC/tests/tools/oracle
# The queueing bound: long enough that a loaded guest's script ends an
# outage meant to stay within it in time, short enough that a read held to
# it (and 5 s more) stays under the hung-task timeout set in fm_san.
FM_QUEUE_S=${FM_QUEUE_S:-15}
FM_RESULTS=/results/faults.tsv
FM_CFG=/tmp/mpio-cfg
FM_NOTE=
FM_WHY=()
# The groups each system makes of the paths (fm_san: 3).
FM_NGROUPS=3
fm_fail_ms=- fm_back_ms=-

now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }
ms_until() {
	local secs=$1 t0 end
	shift
	t0=$(now_ms)
	end=$((t0 + secs * 1000))
	until "$@" >/dev/null 2>&1; do
		[ "$(now_ms)" -lt "$end" ] || { echo -1; return 1; }
		sleep 0.05
	done
	echo $(($(now_ms) - t0))
}

fm_mark() {
	FM_MARK="mpio-faults mark $SCEN $SYS $(now_ms)"
	echo "$FM_MARK" >/dev/kmsg
}
# _kernel_ms WHAT DEVNUM...: see fm_timed; prints nothing if a line is missing.
_kernel_ms() {
	local what=$1 n
	shift
	[ -n "${FM_MARK:-}" ] || return 0
	dmesg | awk -v mark="$FM_MARK" -v what="$what" -v want="$*" '
		function ts(l) { sub(/^\[ */, "", l); sub(/\].*/, "", l); return l + 0 }
		BEGIN { n = split(want, d, " "); for (i = 1; i <= n; i++) need[d[i]] = 1 }
		index($0, mark) { t0 = ts($0); on = 1; next }
		!on { next }
		{
			for (k in need) {
				if (k in got) continue
				if ((what == "fail" && ($0 ~ "ailing path " k "[ .]")) ||
				    (what == "back" && ($0 ~ "einstating path " k "[ .]")))
					got[k] = ts($0)
			}
		}
		END {
			if (!on) exit
			last = 0
			for (k in need) { if (!(k in got)) exit; if (got[k] > last) last = got[k] }
			printf "%d\n", (last - t0) * 1000
		}'
}
fm_timed() {
	local secs=$1 what=$2 devs=() d polled k
	for d in $3; do devs+=("$(_mpio_dev "$d")"); done
	shift 3
	# The kernel's lines count even where the polling missed the state
	# (a repair can come before a slow poll sees every path failed).
	polled=$(ms_until "$secs" "$@")
	k=$(_kernel_ms "$what" "${devs[@]}")
	echo "${k:-$polled}"
}

# With FM_LIO=1, fm_san also makes a LIO iSCSI LU (MPIOTEST SAN-DISK)
# behind two portals, 127.0.0.1 in ALUA group pg1 (active/optimized) and
# 127.0.0.2 in pg2 (active/non-optimized), and each system makes a second
# map of it (FM_NMAPS=2): LIO_PATHS in portal order. Implicit ALUA only:
# scsi_dh_alua sends no STPG, so a turn's failover leaves the states as
# they were for the next turn. Besides, a third I_T nexus to that LU, from
# another initiator port (tcm_loop), bound to no disk driver: the daemons
# do not see it, sg_persist does (PR_SG, its SCSI generic node; F15).
LIO_BS=$CFS/core/fileio_0/lun0
fm_lio_san() {
	local out g tpg=$CFS/loopback/naa.5001405000000f01/tpgt_1
	out=$(iscsi_san --alua --vendor MPIOTEST --product SAN-DISK --serial fmlio) || exit 1
	LIO_PATHS=("$(iscsi_devs 127.0.0.1)" "$(iscsi_devs 127.0.0.2)")
	[ "$(echo "$out" | wc -l)" = 2 ] && [ -n "${LIO_PATHS[0]}" ] && [ -n "${LIO_PATHS[1]}" ] ||
		t_fail "expected one LIO path per portal, got: $out"
	for g in pg1 pg2; do echo 1 >"$LIO_BS/alua/$g/alua_access_type" || t_fail "cannot make $g implicit"; done
	alua_set 127.0.0.2 nonoptimized
	alua_rescan "${LIO_PATHS[@]}"
	FM_NMAPS=2
	echo "   LIO paths: ${LIO_PATHS[*]} (127.0.0.1 optimized, 127.0.0.2 non-optimized)"
	need_mod sg
	need_mod tcm_loop
	# LIO keeps its persistent reservations' metadata there: without it a
	# PERSISTENT RESERVE OUT is done but answered NOT READY.
	mkdir -p /var/target/pr
	echo 0 >/sys/bus/scsi/drivers_autoprobe || t_fail "cannot stop the SCSI drivers' autoprobe"
	mkdir -p "$tpg/lun/lun_0" && echo naa.5001405000000f02 >"$tpg/nexus" &&
		ln -s "$LIO_BS" "$tpg/lun/lun_0/store" || t_fail "tcm_loop: cannot make the other nexus"
	wait_for 30 _fm_pr_sg || t_fail "tcm_loop: no SCSI generic node for the other nexus"
	echo 1 >/sys/bus/scsi/drivers_autoprobe
	PR_SG=$(_fm_pr_sg)
	settle
	echo "   the other I_T nexus (tcm_loop, no disk): $PR_SG"
}
# With FM_BUS=1 (F18, F19: the CLI is timed), fm_san starts the system bus
# with mpio's D-Bus policy (system_bus): multipathctl talks to mpiod over it.
# _fm_pr_sg: the SCSI generic node of the LIO LU's device that has no disk.
_fm_pr_sg() {
	local d
	for d in /sys/class/scsi_device/*/device; do
		[ "$(tr -d ' ' <"$d/vendor" 2>/dev/null)" = MPIOTEST ] && [ ! -e "$d/block" ] || continue
		ls "$d/scsi_generic" 2>/dev/null | sed 's|^|/dev/|' | grep . && return 0
	done
	return 1
}

fm_san() {
	local out d
	_fm_need
	out=$(sd_paths 3 1) || exit 1
	mapfile -t PATHS <<<"$out"
	[ ${#PATHS[@]} = 3 ] || t_fail "expected 3 scsi_debug paths, got ${#PATHS[@]}"
	DEVNUMS=()
	for d in "${PATHS[@]}"; do DEVNUMS+=("$(devnum "$d")"); done
	echo "   paths: ${PATHS[*]} (${DEVNUMS[*]})"
	[ -z "${FM_LIO:-}" ] || fm_lio_san
	[ -z "${FM_BUS:-}" ] || system_bus
	_fm_policy Linux scsi_debug "Linux   scsi_debug"
}

# The modules and tools both SANs need, the hung-task timeout, the results.
_fm_need() {
	need_mod dm-mpio
	need_mod dm_multipath
	need_mod scsi_dh_alua
	[ -x "$ORACLE" ] || t_fail "no $ORACLE: make -C tests/tools"
	[ -x "$MPT/sbin/multipathd" ] || t_fail "no $MPT/sbin/multipathd: run tests/bench/prepare-multipath-tools"
	# The bench's hung-task timeout is 30 s; a scenario holds I/O for up to
	# the bound and 5 s more, then (for a system that holds it longer)
	# releases it. Any task blocked for 60 s still fails the boot.
	echo 60 >/proc/sys/kernel/hung_task_timeout_secs || t_fail "cannot set the hung-task timeout"
	: >"$FM_RESULTS"
	uname -r >/results/kernel
}

# _fm_mpio_device VENDOR PRODUCT [LINES]: LINES (each with its newline) go
# at the end of the section.
_fm_mpio_device() {
	printf '[Device]\nVendor=%s\nProduct=%s\n' "$1" "$2"
	printf 'PathGroupingPolicy=group_by_prio\nHardwareHandler=alua\nFailback=immediate\nNoPathRetry=%s\n%s' "$FM_QUEUE_S" "${3:-}"
}
# _fm_mpt_device VENDOR PRODUCT [LINES]: LINES (each on its own line, after
# a newline) go at the end of the device section.
_fm_mpt_device() {
	printf '\tdevice {\n\t\tvendor "%s"\n\t\tproduct "%s"\n' "$1" "$2"
	printf '\t\tpath_grouping_policy group_by_prio\n\t\tprio alua\n\t\thardware_handler "1 alua"\n'
	printf '\t\tpath_checker tur\n\t\tfailback immediate\n\t\tno_path_retry %s%s\n\t}\n' "$FM_QUEUE_S" "${3:-}"
}

# _fm_policy (see the top): with FM_LIO=1, the LIO LU gets the same policy.
_fm_policy() {
	local vendor=$1 product=$2 extra=
	[ $# -le 3 ] || extra=$(printf '\n%s' "${@:4}")
	mpiod_config "$FM_CFG" "$3" ${FM_LIO:+MPIOTEST}
	{
		printf '[Defaults]\nCheckInterval=1\n'
		_fm_mpio_device "$vendor" "$product" "${FM_MPIO_LINES:-}"
		[ -z "${FM_LIO:-}" ] || _fm_mpio_device MPIOTEST SAN-DISK
	} >"$FM_CFG/mpio.conf"
	# The anchor's: the same, in multipath.conf's words. no_path_retry
	# counts checker intervals, here of 1 s.
	MPT_ALSO=${FM_LIO:+MPIOTEST SAN-DISK} mpt_setup \
		"$(printf '\tpolling_interval 1\n\tmax_polling_interval 1')" \
		"$(printf 'devices {\n'; _fm_mpt_device "$vendor" "$product" "$extra"
		   [ -z "${FM_LIO:-}" ] || _fm_mpt_device MPIOTEST SAN-DISK; printf '}\n')" \
		"$vendor" "$product"
}

FM_DM_A=fm-port-a FM_DM_B=fm-port-b
fm_san_iscsi() {
	local ram=/dev/ram0 out d g mb=64
	_fm_need
	need_mod dm-delay
	# One ramdisk, seen through two dm devices: LIO opens each backstore's
	# device exclusively, dm devices share theirs.
	need_mod brd rd_nr=1 rd_size=$((mb * 1024))
	[ -b $ram ] || t_fail "no $ram"
	dm_linear "$FM_DM_A" $ram >/dev/null
	dm_linear "$FM_DM_B" $ram >/dev/null
	# A lost portal is noticed within 2 + 2 s (nop-outs), and its I/O fails
	# 2 s later.
	out=$(iscsi_san --per-portal "/dev/mapper/$FM_DM_A" "/dev/mapper/$FM_DM_B" --size $mb --alua \
		--vendor MPIOTEST --product GHOST-DISK --serial fm-ghost \
		--node node.session.timeo.replacement_timeout=2 \
		--node "node.conn[0].timeo.noop_out_interval=2" \
		--node "node.conn[0].timeo.noop_out_timeout=2") || exit 1
	[ "$(wc -l <<<"$out")" = 2 ] || t_fail "iSCSI: expected 2 paths, got: $out"
	# Portal A optimized, B not; implicit ALUA only, so that activating B's
	# group does not make it optimized.
	for g in "$CFS"/core/*/lun*/alua/pg[12]; do echo 1 >"$g/alua_access_type"; done
	alua_set 127.0.0.2 nonoptimized
	PATHS=("$(iscsi_devs 127.0.0.1)" "$(iscsi_devs 127.0.0.2)")
	DEVNUMS=()
	for d in "${PATHS[@]}"; do DEVNUMS+=("$(devnum "$d")"); done
	FM_NGROUPS=2
	# The initiator reads the new state (RTPG) at a rescan.
	alua_rescan "${PATHS[@]}"
	echo "   paths: ${PATHS[*]} (${DEVNUMS[*]}): $(cat "$(_sdev "${PATHS[0]}")/access_state"), $(cat "$(_sdev "${PATHS[1]}")/access_state")"
	echo "   WWIDs: $(dev_wwid "${PATHS[0]}") $(dev_wwid "${PATHS[1]}"); write cache: $(cat "$CFS"/core/*/lun0p*/attrib/emulate_write_cache | tr '\n' ' ')"
	[ "$(dev_wwid "${PATHS[0]}")" = "$(dev_wwid "${PATHS[1]}")" ] || t_fail "the two portals show two LUs"
	# Policy routing for fm_cut: the local table is looked up after the
	# rules that cut a portal (priority 0 is the local table's by default).
	ip rule add pref 100 lookup local && ip rule del pref 0 || t_fail "cannot move the local routing rule"
	# multipathd sets an iSCSI session's replacement_timeout to its
	# fast_io_fail_tmo, mpiod to IscsiRecoveryTimeout= (both 5 s by
	# default): the same 2 s for both.
	FM_MPIO_LINES=$'IscsiRecoveryTimeout=2\n' _fm_policy MPIOTEST GHOST-DISK MPIOTEST "fast_io_fail_tmo 2"
}
# fm_hold_writes MS: A's dm device delays writes MS ms (reads pass at once).
fm_hold_writes() {
	local lower
	lower=$(_dm_lower "$FM_DM_A")
	if [ "$1" = 0 ]; then
		dm_restore "$FM_DM_A"
	else
		_dm_swap "$FM_DM_A" "0 $(_sectors "$lower") delay $lower 0 0 $lower 0 $1"
	fi
}
# dm-delay's status: reads, writes and flushes held.
fm_held_writes() { dmsetup status "$FM_DM_A" | awk '{ print $3 == "delay" ? $5 : 0 }'; }
fm_cut() {
	ip rule add pref 10 to "$1" ipproto tcp dport 3260 blackhole &&
		ip rule add pref 11 from "$1" ipproto tcp sport 3260 blackhole || t_fail "cannot cut $1"
}
fm_mend() { ip rule del pref 10 && ip rule del pref 11 || t_fail "cannot mend $1"; }
# The table swaps below the target hold its I/O for a moment: the kernel
# log says when, for the log around a scenario's longest write.
_fm_kmsg() { echo "mpio-faults $SCEN $SYS: $*" >/dev/kmsg; }
fm_slow() {
	_fm_kmsg "portal A's device: ${1} ms slow (table swap)"
	if [ "$1" = 0 ]; then
		dm_restore "$FM_DM_A"
	else
		dm_slow "$FM_DM_A" "$1"
	fi
	_fm_kmsg "portal A's device: swapped"
}
fm_flakey() {
	local lower feat=
	_fm_kmsg "portal A's device: flakey $* (table swap)"
	if [ "$1" = off ]; then
		dm_restore "$FM_DM_A"
	else
		lower=$(_dm_lower "$FM_DM_A")
		[ $# -le 2 ] || feat=" $(($# - 2)) ${*:3}"
		_dm_swap "$FM_DM_A" "0 $(_sectors "$lower") flakey $lower 0 $1 $2$feat"
	fi
	_fm_kmsg "portal A's device: swapped"
}
fm_io_split() {
	local d n=()
	for d in "${PATHS[@]}"; do n+=("$(dev_ios "$d")"); done
	echo "${n[*]}"
}
# Prints nothing if the mark has left the kernel's log.
fm_kcount() {
	local dev
	dev=$(_mpio_dev "$2") || return 1
	dmesg | awk -v mark="${3:-$FM_MARK}" -v what="$1" -v k="$dev" '
		index($0, mark) { on = 1; n = 0; next }
		!on { next }
		what == "fail" && $0 ~ "ailing path " k "[ .]" { n++ }
		what == "back" && $0 ~ "einstating path " k "[ .]" { n++ }
		END { if (on) print n }'
}

# fm_target SYS: the dm target SYS's maps use.
fm_target() { case $1 in mpio) echo mpio ;; anchor) echo multipath ;; *) t_fail "unknown system $1" ;; esac; }
fm_maps() { dmsetup ls --target "$(fm_target "$1")" 2>/dev/null | awk '$1 != "No" { print $1 }'; }
fm_all_usable() { [ -n "$(mpio_paths "$MAP" A 2>/dev/null)" ] && output_is "" mpio_paths "$MAP" F && npaths_is "$MAP" "${#PATHS[@]}"; }
fm_daemon_up() { kill -0 "$DPID" 2>/dev/null; }
# fm_map_of SYS DEVNUM: SYS's map whose table holds the path DEVNUM.
fm_map_of() {
	local m
	for m in $(fm_maps "$1"); do
		dmsetup table "$m" | grep -qw -- "$2" && echo "$m"
	done
}
# fm_on sd|lio: the paths the next scenario's map is made of (PATHS,
# DEVNUMS) and its groups (FM_NGROUPS): the scsi_debug LU's, as the last
# rescan named them, or the LIO LU's (FM_LIO).
fm_on() {
	local out d
	case $1 in
	sd) out=$(sd_devs); mapfile -t PATHS <<<"$out"; FM_NGROUPS=3 ;;
	lio) PATHS=("${LIO_PATHS[@]}") FM_NGROUPS=2 ;;
	esac
	DEVNUMS=()
	for d in "${PATHS[@]}"; do DEVNUMS+=("$(devnum "$d")"); done
}

# fm_daemon SYS: start SYS's daemon on the map(s) as they are (a restart
# adopts them). Sets DPID.
fm_daemon() {
	case $1 in
	mpio)
		mpiod_start "$FM_CFG"
		DPID=$(mpiod_pid)
		;;
	anchor)
		LD_LIBRARY_PATH=$MPT/lib "$MPT/sbin/multipathd" -d -s >>/tmp/multipathd.log 2>&1 &
		DPID=$!
		;;
	esac
}
fm_start() {
	local sys=$1
	SYS=$sys
	fm_daemon "$sys"
	wait_for 60 lines_are -eq "${FM_NMAPS:-1}" fm_maps "$sys" || t_fail "$sys: not ${FM_NMAPS:-1} maps after 60 s"
	if [ "${FM_NMAPS:-1}" = 1 ]; then
		MAP=$(fm_maps "$sys")
	else
		MAP=$(fm_map_of "$sys" "$(devnum "${PATHS[0]}")")
	fi
	[ -n "$MAP" ] || t_fail "$sys: no map holds ${PATHS[0]}"
	DEV=/dev/mapper/$MAP
	wait_for 30 fm_all_usable || t_fail "$sys: map $MAP does not have ${#PATHS[@]} usable paths: $(dmsetup status "$MAP")"
	wait_for 30 ngroups_is "$MAP" "$FM_NGROUPS" || t_fail "$sys: map $MAP does not have $FM_NGROUPS groups: $(dmsetup table "$MAP")"
	# The optimized path's group is the current one.
	wait_for 30 cur_group_is "$MAP" 1 || t_fail "$sys: group 1 is not current"
	echo "   $sys: map $MAP: $(dmsetup table "$MAP")"
}
# fm_kill_daemon: SIGKILL, wait for it to go.
fm_kill_daemon() {
	kill -9 "$DPID" 2>/dev/null
	wait_for 20 sh -c "! kill -0 $DPID" || t_fail "$SYS: daemon $DPID did not die"
}
fm_stop() {
	local sys=$1 d m
	if fm_daemon_up; then
		kill "$DPID"
		wait_for 30 sh -c "! kill -0 $DPID" || t_fail "$sys: daemon did not stop"
	fi
	for d in "${PATHS[@]}"; do [ "$(path_state "$d")" = running ] || path_online "$d"; done
	for m in $(fm_maps "$sys"); do
		dmsetup remove --retry "$m" >/dev/null 2>&1 || t_fail "$sys: cannot remove map $m"
	done
	settle
	for d in "${PATHS[@]}"; do
		[ -z "$(ls "/sys/block/${d#/dev/}/holders")" ] || t_fail "$sys: $d still has a holder"
	done
}

# With FM_FS=1 the stack on the map is a PV, a VG (fmvg) and an LV with
# ext4, mounted on FM_MNT; the oracle writes a 16 MiB file there (fsync after
# each write). fm_fs_check unmounts it, runs fsck -n, and removes the VG and
# the PV (the map is then free to go).
FM_MNT=/mnt/fm
fm_fs_make() {
	pvcreate -ff -y -q "$DEV" >/dev/null && vgcreate -q fmvg "$DEV" >/dev/null &&
		lvcreate -q -y -l 100%FREE -n lv fmvg >/dev/null || t_fail "$SYS: LVM on $DEV failed"
	mkfs.ext4 -q -F /dev/fmvg/lv || t_fail "$SYS: mkfs.ext4 failed"
	mkdir -p "$FM_MNT" && mount /dev/fmvg/lv "$FM_MNT" || t_fail "$SYS: mount failed"
	echo "   $SYS: ext4 on LV fmvg/lv on $MAP, mounted on $FM_MNT"
}
fm_fs_check() {
	local rc
	umount "$FM_MNT" || { echo "   umount $FM_MNT failed"; return 1; }
	fsck.ext4 -n -f /dev/fmvg/lv 2>&1 | sed 's/^/   fsck: /'
	rc=${PIPESTATUS[0]}
	vgremove -ff -y -q fmvg >/dev/null && pvremove -ff -y -q "$DEV" >/dev/null || t_fail "$SYS: cannot remove fmvg"
	return "$rc"
}

# fm_write: the oracle writes to the map (or, with FM_FS=1, to a file on
# it) until fm_finish.
fm_write() {
	local fsopts=()
	fm_zero
	if [ -n "${FM_FS:-}" ]; then
		fm_fs_make
		WTARGET=$FM_MNT/data
		fsopts=(--file -l 16m)
	fi
	# shellcheck disable=SC2086 # FM_WRITE_OPTS is a list of options
	fm_writer -t 3600 "${fsopts[@]}" ${FM_WRITE_OPTS:-}
	fm_progress 200 || t_fail "$SYS: the writer does not write: $(cat "$WLOG")"
}
# The map is zeroed first, so that a dropped first write reads as lost, not
# as the last run's data.
fm_zero() {
	WTARGET=$DEV
	dd if=/dev/zero of="$DEV" bs=1M count=$(($(blockdev --getsize64 "$DEV") >> 20)) oflag=direct status=none ||
		t_fail "$SYS: cannot zero $DEV"
}
# fm_writer OPT...: the oracle writes to WTARGET (fm_zero's map, or
# fm_write's file); OPTs come after the defaults and override them.
fm_writer() {
	WJ=/tmp/oracle-$SCEN-$SYS.journal
	WLOG=/tmp/oracle-$SCEN-$SYS.log
	rm -f "$WJ"
	"$ORACLE" write -b 4k -q 8 --read-back "$@" "$WTARGET" "$WJ" >"$WLOG" 2>&1 &
	WPID=$!
}
# The writer's journal holds fixed-size records (40 bytes: tests/tools/oracle.h),
# 2 or 3 per write (issue, ack, read-back seen): its size grows with every write.
_wj_size() { stat -c %s "$WJ" 2>/dev/null || echo 0; }
_wj_grew() { [ "$(_wj_size)" -ge "$1" ]; }
# fm_progress N [SECS]: N more journal records within SECS (60) seconds.
fm_progress() { wait_for "${2:-60}" _wj_grew $(($(_wj_size) + $1 * 40)); }
_kv() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" | tail -n1; }
# _stall LINE: "MS AT WHAT", the oracle's longest write or fsync, whichever
# is longer (LINE is its result line): through a file system a write may
# return at once and its fsync wait for the device.
_stall() {
	local w f
	w=$(echo " $1" | _kv max-write-ms) f=$(echo " $1" | _kv max-fsync-ms)
	[ -n "$w" ] || return 0
	if awk -v w="$w" -v f="${f:-0}" 'BEGIN { exit !(f > w) }'; then
		echo "$f $(echo " $1" | _kv max-fsync-at) fsync"
	else
		echo "$w $(echo " $1" | _kv max-write-at) write"
	fi
}
# _stall_log LINE: the kernel's messages from half a second before the
# longest stall (_stall) to half a second after it: what it is to be
# explained by (the oracle's clock is the log's).
_stall_log() {
	local at ms what
	read -r ms at what < <(_stall "$1")
	[ -n "$at" ] && [ -n "$ms" ] || return 0
	echo "   kernel log around the longest $what ($ms ms from $at s; the first 10 and last 20 lines):"
	dmesg | awk -v a="$at" -v ms="$ms" 'match($0, /^\[ *[0-9]+\.[0-9]+\]/) {
		t = substr($0, 2, RLENGTH - 2) + 0
		if (t >= a - 0.5 && t <= a + ms / 1000 + 0.5) l[++n] = $0 }
		END { for (i = 1; i <= n; i++)
			if (i <= 10 || i > n - 20) print "   | " l[i]
			else if (i == 11) print "   | ... " n - 30 " lines ..." }'
}
fm_finish() {
	local scen=$1 sys=$2 eio lost ghost torn foreign stall verdict=pass why=("${FM_WHY[@]}") chk line
	kill -INT "$WPID" 2>/dev/null
	wait_for 120 sh -c "! kill -0 $WPID" || { kill -9 "$WPID"; why+=("writer did not stop"); }
	wait "$WPID" 2>/dev/null
	line=$(grep ' max-write-ms=' "$WLOG" | tail -n1)
	sed 's/^/   /' "$WLOG"
	_stall_log "$line"
	chk=$("$ORACLE" check -m 20 "$WTARGET" "$WJ" 2>&1)
	sed 's/^/   /' <<<"$chk"
	eio=$(echo " $line" | _kv failed)
	read -r stall _ < <(_stall "$line")
	lost=$(_kv lost <<<"$chk") ghost=$(_kv ghost <<<"$chk")
	torn=$(_kv torn <<<"$chk") foreign=$(_kv foreign <<<"$chk")
	[ -n "$eio" ] && [ -n "$lost" ] || why+=("no oracle result")
	[ "${EIO_OK:-0}" = 1 ] || [ "${eio:-1}" = 0 ] || why+=("$eio failed writes")
	if [ "${FM_EXPECT_LOST:-0}" = 1 ]; then
		[ "${lost:-0}" -gt 0 ] || why+=("the oracle found no lost block")
		[ "${ghost:-1}${torn:-1}${foreign:-1}" = 000 ] ||
			why+=("blocks ghost $ghost torn $torn foreign $foreign")
	else
		[ "${lost:-1}${ghost:-1}${torn:-1}${foreign:-1}" = 0000 ] ||
			why+=("blocks lost $lost ghost $ghost torn $torn foreign $foreign")
	fi
	[ -z "${FM_FS:-}" ] || fm_fs_check || why+=("fsck -n found errors")
	[ ${#why[@]} = 0 ] || verdict="fail: $(IFS=';'; echo "${why[*]}")"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$scen" "$sys" "${eio:--}" \
		"${lost:--}" "${ghost:--}" "${torn:--}" "${foreign:--}" "${stall:--}" \
		"$fm_fail_ms" "$fm_back_ms" "$verdict" "${FM_NOTE:--}" >>"$FM_RESULTS"
	echo "   RESULT $scen $sys: eio ${eio:--} lost ${lost:--} ghost ${ghost:--} torn ${torn:--} stall ${stall:--} ms fail ${fm_fail_ms} ms back ${fm_back_ms} ms: $verdict"
	if [ "$sys" = mpio ]; then
		t_check "$scen mpio: $verdict" test "$verdict" = pass
	else
		t_check "$scen anchor: ran (verdict recorded: $verdict)" test -n "$lost"
	fi
	fm_fail_ms=- fm_back_ms=- FM_NOTE='' EIO_OK=0 FM_EXPECT_LOST=0 FM_WHY=()
}
fm_require() {
	local what=$1
	shift
	"$@" >/dev/null 2>&1 || FM_WHY+=("$what")
}
# fm_note TEXT: add TEXT to the run's note (the table's last column).
fm_note() { FM_NOTE=${FM_NOTE:+$FM_NOTE; }$*; }

# fm_each SCEN FUNCTION: run FUNCTION for each system in turn, in this boot:
# start, write, FUNCTION, finish, stop, then FUNCTION_after if there is one.
# FM_SYSTEMS may name one. With FM_OWN_WRITER=1, FUNCTION starts the writer
# itself (fm_zero, fm_writer).
# The anchor's request-based map has an I/O scheduler (mq-deadline), and
# removing it after F17 made Linux 6.1 warn in dd_exit_sched (its request
# counts did not balance). The boot allows that warning and the "Call
# Trace:" line under it (vm-options; any other warning's own first line
# still fails the boot), and it is counted here instead: during an mpio
# turn it fails the test.
_dd_warns() { dmesg | grep -c 'WARNING: .* dd_exit_sched'; }
fm_each() {
	local scen=$1 fn=$2 sys w0
	for sys in ${FM_SYSTEMS:-mpio anchor}; do
		t_step "$scen: $sys"
		SCEN=$scen
		w0=$(_dd_warns)
		fm_start "$sys"
		[ "${FM_OWN_WRITER:-0}" = 1 ] || fm_write
		"$fn"
		fm_finish "$scen" "$sys"
		fm_stop "$sys"
		# A scenario's clean-up once the daemon and its maps are gone.
		! declare -F "${fn}_after" >/dev/null || "${fn}_after"
		if [ "$(_dd_warns)" != "$w0" ]; then
			echo "   $scen $sys: the kernel warned in dd_exit_sched (mq-deadline) during this turn"
			[ "$sys" != mpio ] || t_check "$scen mpio: no mq-deadline warning" false
		fi
	done
}
# fm_run SCENARIO...: each scenario (F1: function f1, from scenarios.sh)
# for each system, then the results of this boot.
fm_run() {
	local s fn
	for s in "$@"; do
		fn=${s,,}
		declare -F "$fn" >/dev/null || t_fail "no scenario $s"
		FM_OWN_WRITER=0
		case $s in
		F13) FM_OWN_WRITER=1 ;;
		F22a) FM_WRITE_OPTS="-b 8m -q 2" ;;
		F22b) FM_WRITE_OPTS="-b 1m -q 4 --buffered" ;;
		# F18 and F19 time the daemons: the writer takes less of the CPUs.
		F18 | F19) FM_WRITE_OPTS="-q 2" ;;
		*) FM_WRITE_OPTS= ;;
		esac
		# With the LIO LU, F15 writes to its map, the others to scsi_debug's.
		case $s in
		F15) fm_on lio ;;
		*) [ -z "${FM_LIO:-}" ] || fm_on sd ;;
		esac
		fm_each "$s${FM_FS:+-ext4}" "$fn"
	done
	t_step "results"
	column -t -s "$(printf '\t')" "$FM_RESULTS" | sed 's/^/   /'
	t_check "the anchor's multipathd logged no crash" sh -c "! grep -qiE 'segfault|abort' /tmp/multipathd.log"
}
