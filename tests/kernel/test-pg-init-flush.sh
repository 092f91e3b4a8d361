#!/bin/bash
# vm-options: --timeout 600
# A noflush suspend must not wait forever for group activation (pg_init).
# The suspend stops new activations and waits for those in flight; when the
# last one ends while the current group still needs one (a switch_group,
# or a retry asked for by another path), it must still be woken.
#
# Over scsi_debug paths with the alua handler (group 1: the active port,
# group 2: the standby one), switch_group 1 and a read start a new
# activation of group 1, which scsi_debug's response delay makes last SLOW
# s (its RTPG). While it runs, switch_group 2 and a read make group 2
# current and in need of activation, and a noflush suspend starts. The suspend must return once group 1's activation has
# ended, well within its bound; the reads held meanwhile must complete
# after the resume. The suspend runs in the background and is waited for
# a bounded time, so a hang fails the test instead of stopping it; with
# hung_task_timeout_secs lowered to 40, the kernel reports it too.
# The sequence needs bio mode: in rq mode, dm-rq asks mpio_busy() before
# mapping a request, which answers busy while an activation runs, so the
# read cannot switch groups then (a path's retry still can).
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/kernel/lib-mpio.sh"

SLOW=8		# seconds an RTPG takes while the activation is slowed down
BOUND=90	# seconds the suspend may take before it counts as hung (the
		# hung task detector, checking every 40 s, has spoken by then)

mpio_load
out=$(sd_alua_paths) || exit 1
{ read -r act; read -r stby; } <<<"$out"
echo 40 2>/dev/null >/proc/sys/kernel/hung_task_timeout_secs ||
	echo "   (no hung task detector to lower)"
hz=$(sed -n 's/^CONFIG_HZ=//p' "/boot/config-$(uname -r)" 2>/dev/null)
hz=${hz:-250}

now() { date +%s.%N; }
elapsed() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }
queue_io_is() { test "$(mpio_queue_io mp)" = "$1"; }
group_is_active() { test "$(mpio_group_state mp "$1")" = A; }
# SCSI commands outstanding on a path: group 1's activation is its RTPG.
rtpg_in_flight() { [ "$(cat "$(_sdev "$act")/device_busy")" -ge 1 ]; }
gone() { ! kill -0 "$1" 2>/dev/null; }
# read_bg NAME: a 4 KiB direct read of the map in the background; its exit
# status goes to /tmp/NAME.rc.
read_bg() {
	rm -f "/tmp/$1.rc"
	(
		dd if=/dev/mapper/mp of=/dev/null bs=4k count=1 iflag=direct status=none
		echo $? >"/tmp/$1.rc"
	) &
}

t_step "alua map: group 1 $act (active), group 2 $stby (standby), bio mode"
mpio_create mp "$(mpio_table -f "queue_mode bio" -h alua round-robin "$act" -g round-robin "$stby")"
t_check "a read through group 1" dd if=/dev/mapper/mp of=/dev/null bs=4k count=1 iflag=direct status=none
t_check "group 1 activated" test "$(mpio_pg_init_count mp)" -ge 1
t_check "group 1 current" group_is_active 1

t_step "group 1's activation in flight, then group 2 needs one"
sd_delay $((SLOW * hz))
mpio_msg mp switch_group 1
read_bg r1
t_check "the read waits for group 1's activation (queue_io 1)" wait_for 5 queue_io_is 1
t_check "its RTPG is in flight on $act" wait_for 5 rtpg_in_flight
mpio_msg mp switch_group 2
read_bg r2
t_check "a read makes group 2 current, to be activated" wait_for 5 group_is_active 2
dmsetup status mp
rtpg_in_flight || t_fail "group 1's activation ended before the suspend: raise SLOW"

t_step "noflush suspend while group 1's activation runs"
t0=$(now)
dmsetup suspend --noflush mp &
susp=$!
if ! wait_for "$BOUND" gone "$susp"; then
	echo "   the suspend's kernel stack:"
	sed 's/^/     /' "/proc/$susp/stack" 2>/dev/null
	t_fail "noflush suspend still blocked after $(elapsed "$t0") s (group 1's activation took $SLOW s)"
fi
wait "$susp"
rc=$?
el=$(elapsed "$t0")
echo "   suspend returned after $el s (rc $rc)"
t_check "noflush suspend succeeds" test "$rc" = 0
t_check "it returned within $((2 * SLOW + 10)) s: $el s" \
	awk -v e="$el" -v b=$((2 * SLOW + 10)) 'BEGIN { exit !(e <= b) }'
t_check "the held reads are still waiting" test ! -e /tmp/r1.rc -a ! -e /tmp/r2.rc

t_step "resume: the held reads complete"
sd_delay 1
t_check "resume" timeout 30 dmsetup resume mp
t_check "both reads end" wait_for 60 sh -c 'test -e /tmp/r1.rc -a -e /tmp/r2.rc'
t_check "both reads succeed" test "$(cat /tmp/r1.rc) $(cat /tmp/r2.rc)" = "0 0"
dmsetup status mp
t_check "reads work afterwards" timeout 30 dd if=/dev/mapper/mp of=/dev/null bs=4k count=1 iflag=direct status=none
mpio_remove mp
t_done
