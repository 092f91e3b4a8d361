#!/bin/bash
# vm-options: --timeout 900 --allow rejecting.I/O.to.offline.device --allow Medium.Error|Unrecovered.read.error|critical.medium.error|I/O.error
# Queueing, timeouts, target errors, suspend/resume and uevents, in bio and
# rq mode, over scsi_debug paths:
# - all paths down with queue_if_no_path, then one path back: no error
#   reaches fio;
# - no_path_timeout 8: queued I/O fails about 8 s after the last path
#   failed, and queueing expires (INFO "queueing expired"; TABLE keeps the
#   configured features); a reinstated path re-arms it, so the next outage
#   is held for 8 s again; fail_if_no_path is not undone by a path's
#   return;
# - a table without paths counts no_path_timeout from its resume: left
#   inactive beyond it, it still queues once resumed;
# - write_quiesce_ms (default 20000): a write that a path refused before
#   dispatch (an offline SCSI device) and a read go to the other path at
#   once (within 5 s, the time dd takes to start on a loaded guest
#   included); a write that failed late waits (F13, tests/faults, proves
#   that on iSCSI);
# - a medium error reaches the caller and fails no path;
# - suspend (flush and noflush), reload and resume under fio --verify lose
#   nothing, and a noflush suspend keeps queue_if_no_path;
# - a path failure sends a PATH_FAILED uevent with DM_PATH and
#   DM_NR_VALID_PATHS.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/kernel/lib-mpio.sh"

mpio_load
out=$(sd_paths 2 1) || exit 1
mapfile -t sd <<<"$out"
a=${sd[0]} b=${sd[1]}
A=$(devnum "$a") B=$(devnum "$b")
now() { date +%s.%N; }
elapsed() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.2f", e - s }'; }
queue_io_is() { test "$(mpio_queue_io mp)" = "$1"; }

# held_read DEV SECS WHAT: fail DEV, the map's last usable path, and read:
# the read must be held (queue_io 1 while it waits) and fail SECS s later.
# The window is wide (SECS - 1 to SECS + 4 s) because starting a process in
# the guest can take seconds on a loaded host; queue_io tells held from
# failed at once.
held_read() {
	local dev=$1 secs=$2 what=$3 t0 t1 rc el
	mpio_msg mp fail_path "$dev"
	t0=$(now)
	(
		timeout 30 dd if=/dev/mapper/mp of=/dev/null bs=4k count=1 iflag=direct status=none
		echo "$? $(now)" >/tmp/held_read
	) &
	t_check "$what: the read is queued (queue_io 1)" wait_for "$secs" queue_io_is 1
	wait $!
	read -r rc t1 </tmp/held_read
	el=$(elapsed "$t0" "$t1")
	echo "   $what: read failed after $el s (rc $rc)"
	t_check "$what: queued read fails, does not hang" test "$rc" != 0 -a "$rc" != 124
	t_check "$what: error arrives between $((secs - 1)) and $((secs + 4)) s: $el s" \
		awk -v e="$el" -v s="$secs" 'BEGIN { exit !(e >= s - 1 && e <= s + 4) }'
}

# timed_io DD-ARGS...: one 4 KiB dd; sets rc and el (seconds).
timed_io() {
	local t0
	t0=$(now)
	timeout 30 dd bs=4k count=1 status=none "$@"
	rc=$?
	el=$(elapsed "$t0" "$(now)")
}
# Path a usable again, and its group (1) the current one.
back_to_a() {
	path_online "$a"
	mpio_msg mp reinstate_path "$A"
	mpio_msg mp switch_group 1
}

fio_bg() {
	fio --name=q --filename=/dev/mapper/mp --rw=randwrite --bs=4k --direct=1 \
		--ioengine=libaio --iodepth=8 --size=32m --runtime="$1" --time_based \
		--verify=crc32c --verify_backlog=256 --verify_fatal=1 --norandommap \
		--output=/tmp/fio.log >/dev/null 2>&1 &
}

t_step "no_path_timeout counts from the resume, not the load"
# A table of no path at all, loaded and left inactive for longer than its
# no_path_timeout. The resume does not wait for udev: udev's probe of the
# new device is held by the queueing as well.
dmsetup create mp --notable || t_fail "dmsetup create mp --notable failed"
t_check "load a table of no path, queue_if_no_path no_path_timeout 10" \
	dmsetup load mp --table "0 $(_sectors "$a") mpio 3 queue_if_no_path no_path_timeout 10 0 0 0"
sleep 12
t0=$(now)
t_check "resume, 12 s after the load" dmsetup resume --noudevsync mp
# /dev/mapper/mp comes once udev is done with the device: read dm-N.
(
	timeout 30 dd if="/dev/dm-$(dmsetup info -c --noheadings -o minor mp | tr -d " ")" of=/dev/null bs=4k count=1 iflag=direct status=none
	echo "$? $(now)" >/tmp/held_read
) &
# Processes start slowly in the guest: the time of the read's failure
# alone cannot tell a held read from one failed at once; the status can.
q=$(mpio_queueing mp)
t_check "queueing on after the resume, not expired: $q" test "$q" = on
t_check "I/O is held (queue_io 1)" wait_for 5 queue_io_is 1
wait $!
read -r rc t1 </tmp/held_read
el=$(elapsed "$t0" "$t1")
echo "   the read failed $el s after the resume (rc $rc)"
t_check "it fails once the bound has run, 9 s or more after the resume: $el s" \
	awk -v e="$el" -v rc="$rc" 'BEGIN { exit !(rc != 0 && rc != 124 && e >= 9) }'
t_check "TABLE has queue_if_no_path no_path_timeout 10" mpio_has_features mp queue_if_no_path no_path_timeout=10
t_check "queueing expired" test "$(mpio_queueing mp)" = expired
mpio_remove mp
udevadm settle --timeout=30

for mode in bio rq; do
	t_step "queue_if_no_path, all paths down then one back ($mode)"
	mpio_create mp "$(mpio_table -f "queue_if_no_path queue_mode $mode" round-robin "$a" "$b")"
	fio_bg 15
	pid=$!
	sleep 3
	path_offline "$a"
	path_offline "$b"
	t_check "both paths fail ($mode)" wait_for 20 mpio_path_is mp F "$a" "$b"
	t_check "I/O is queued: queue_io 1 ($mode)" wait_for 5 queue_io_is 1
	sleep 3
	t_check "fio still running while queued ($mode)" kill -0 "$pid"
	path_online "$a"
	t_check "reinstate_path $A restarts the queue ($mode)" mpio_msg mp reinstate_path "$A"
	wait "$pid"
	rc=$?
	grep 'err=' /tmp/fio.log | head -2
	t_check "no error reached fio ($mode)" test "$rc" = 0
	t_check "fio reports err=0 ($mode)" grep -q 'err= 0' /tmp/fio.log
	path_online "$b"
	mpio_remove mp

	t_step "no_path_timeout 8 ($mode)"
	mpio_create mp "$(mpio_table -f "queue_if_no_path no_path_timeout 8 queue_mode $mode" round-robin "$a" "$b")"
	t_check "queueing on ($mode)" test "$(mpio_queueing mp)" = on
	mpio_msg mp fail_path "$A"
	held_read "$B" 8 "first outage ($mode)"
	t_check "queueing expired, shown in INFO ($mode)" test "$(mpio_queueing mp)" = expired
	t_check "TABLE keeps the configured queue_if_no_path no_path_timeout 8 ($mode)" \
		mpio_has_features mp queue_if_no_path no_path_timeout=8
	t_check "new I/O fails at once ($mode)" sh -c "! timeout 3 dd if=/dev/mapper/mp of=/dev/null bs=4k count=1 iflag=direct status=none"

	t_step "a usable path re-arms no_path_timeout ($mode)"
	mpio_msg mp reinstate_path "$A"
	t_check "queueing on again after reinstate_path ($mode)" test "$(mpio_queueing mp)" = on
	t_check "I/O works after reinstate ($mode)" timeout 10 dd if=/dev/mapper/mp of=/dev/null bs=4k count=1 iflag=direct status=none
	held_read "$A" 8 "second outage ($mode)"
	t_check "queueing expired again ($mode)" test "$(mpio_queueing mp)" = expired

	t_step "fail_if_no_path is not undone by a returning path ($mode)"
	mpio_msg mp fail_if_no_path
	t_check "queueing off ($mode)" test "$(mpio_queueing mp)" = off
	t_check "TABLE without queue_if_no_path ($mode)" mpio_has_features mp '!queue_if_no_path'
	mpio_msg mp reinstate_path "$B"
	t_check "still off after reinstate_path ($mode)" test "$(mpio_queueing mp)" = off
	mpio_msg mp fail_path "$B"
	t_check "no path, nothing held: queue_io 0 ($mode)" queue_io_is 0
	t0=$(now)
	timeout 30 dd if=/dev/mapper/mp of=/dev/null bs=4k count=1 iflag=direct status=none
	rc=$?
	el=$(elapsed "$t0" "$(now)")
	t_check "with no path, I/O fails, before the 8 s bound: $el s, rc $rc ($mode)" \
		awk -v e="$el" -v rc="$rc" 'BEGIN { exit !(rc != 0 && rc != 124 && e < 7) }'
	mpio_msg mp queue_if_no_path
	t_check "queue_if_no_path message: queueing on ($mode)" test "$(mpio_queueing mp)" = on
	t_check "no path: queue_io 1 ($mode)" queue_io_is 1
	mpio_msg mp reinstate_path "$A"
	t_check "I/O works after reinstate ($mode)" timeout 10 dd if=/dev/mapper/mp of=/dev/null bs=4k count=1 iflag=direct status=none
	mpio_remove mp

	t_step "write_quiesce_ms (default 20000): a write refused by an offline path, and a read, go again at once ($mode)"
	mpio_create mp "$(mpio_table -f "queue_mode $mode" round-robin "$a" -g round-robin "$b")"
	path_offline "$a"
	timed_io of=/dev/mapper/mp if=/dev/zero oflag=direct
	t_check "a write refused before dispatch is retried on $B at once: $el s, rc $rc ($mode)" \
		awk -v e="$el" -v rc="$rc" 'BEGIN { exit !(rc == 0 && e < 5) }'
	t_check "$A failed ($mode)" mpio_path_is mp F "$a"
	back_to_a
	path_offline "$a"
	timed_io if=/dev/mapper/mp of=/dev/null iflag=direct
	t_check "a read is retried at once: $el s, rc $rc ($mode)" \
		awk -v e="$el" -v rc="$rc" 'BEGIN { exit !(rc == 0 && e < 5) }'
	path_online "$a"
	mpio_remove mp

	t_step "medium error is returned, no path failed ($mode)"
	mpio_create mp "$(mpio_table -f "queue_mode $mode" round-robin "$a" "$b")"
	start=$(cat /sys/module/scsi_debug/parameters/medium_error_start)
	echo 2 >/sys/bus/pseudo/drivers/scsi_debug/opts
	t_check "read of the bad sector fails ($mode)" sh -c \
		"! dd if=/dev/mapper/mp of=/dev/null bs=512 count=1 skip=$start iflag=direct status=none"
	echo 0 >/sys/bus/pseudo/drivers/scsi_debug/opts
	dmsetup status mp
	t_check "$A still active ($mode)" mpio_path_is mp A "$a"
	t_check "$B still active ($mode)" mpio_path_is mp A "$b"
	t_check "no fail count ($mode)" test "$(mpio_fail_count mp "$a") $(mpio_fail_count mp "$b")" = "0 0"
	t_check "the error was counted ($mode)" test "$(mpio_stat_sum mp errors)" -ge 1
	t_check "the medium error went to the caller once ($mode)" test "$(mpio_stat_sum mp errors)" = 1
	mpio_remove mp

	t_step "suspend, reload and resume under fio --verify ($mode)"
	table=$(mpio_table -f "queue_if_no_path queue_mode $mode" round-robin "$a" "$b")
	mpio_create mp "$table"
	fio_bg 20
	pid=$!
	ok=1
	for i in 1 2 3; do
		sleep 1
		timeout 30 dmsetup suspend --noflush mp && timeout 30 dmsetup resume mp || ok=0
		sleep 1
		timeout 30 dmsetup suspend mp && timeout 30 dmsetup resume mp || ok=0
		sleep 1
		timeout 30 dmsetup load mp --table "$(dmsetup table mp)" &&
			timeout 30 dmsetup suspend --noflush mp && timeout 30 dmsetup resume mp || ok=0
	done
	t_check "suspend/resume/reload cycles complete ($mode)" test "$ok" = 1
	t_check "queue_if_no_path kept over suspends ($mode)" mpio_has_features mp queue_if_no_path
	wait "$pid"
	rc=$?
	grep 'err=' /tmp/fio.log | head -2
	t_check "fio --verify clean over suspends ($mode)" test "$rc" = 0

	t_step "noflush suspend with all paths down, reload, resume ($mode)"
	fio_bg 12
	pid=$!
	sleep 2
	mpio_msg mp fail_path "$A"
	mpio_msg mp fail_path "$B"
	sleep 2
	t_check "noflush suspend completes with I/O queued ($mode)" timeout 30 dmsetup suspend --noflush mp
	t_check "reload with a fresh table ($mode)" dmsetup load mp --table "$table"
	t_check "resume ($mode)" timeout 30 dmsetup resume mp
	wait "$pid"
	rc=$?
	grep 'err=' /tmp/fio.log | head -2
	t_check "no error reached fio ($mode)" test "$rc" = 0
	mpio_remove mp
done

t_step "uevents"
mpio_create mp "$(mpio_table round-robin "$a" "$b")"
udevadm monitor --kernel --property --subsystem-match=block >/tmp/uevents 2>&1 &
mon=$!
sleep 1
mpio_msg mp fail_path "$A"
mpio_msg mp reinstate_path "$A"
sleep 2
kill "$mon"
grep -E '^DM_' /tmp/uevents
t_check "PATH_FAILED uevent" grep -q 'DM_ACTION=PATH_FAILED' /tmp/uevents
t_check "PATH_REINSTATED uevent" grep -q 'DM_ACTION=PATH_REINSTATED' /tmp/uevents
t_check "DM_PATH names the path" grep -q "DM_PATH=$A" /tmp/uevents
t_check "DM_NR_VALID_PATHS=1 after the failure" grep -q 'DM_NR_VALID_PATHS=1' /tmp/uevents
t_check "DM_TARGET=mpio" grep -q 'DM_TARGET=mpio' /tmp/uevents
t_check "DM_NAME=mp" grep -q 'DM_NAME=mp' /tmp/uevents
mpio_remove mp
t_done
