#!/bin/bash
# vm-options: --timeout 600 --allow rejecting.I/O.to.offline.device|I/O.error
# NoPathRetry=<seconds> through mpiod, two outages in a row: the map's table
# has queue_if_no_path no_path_timeout 8; with every path offline a read is
# held for 8 s, then fails. The paths come back, mpiod's checker reinstates
# them, and the kernel turns queueing on again by itself: mpiod's view (the
# state file, multipathctl show map over D-Bus; multipathctl stats --json
# reads the kernel) says "on", and the second outage is
# held for 8 s again. mpiod's own view follows: "expired" after the 8 s,
# "on" once a path is back. A fail_if_no_path (as mpiod sends at shutdown)
# stays: a returning path does not undo it.
#
# mpiod is started by hand, not by its unit: the bench boots without systemd
# and the test needs mpiod on its own config dir and state file.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/integration/lib-mpiod.sh"

CTL=$MPIO_SRC/multipathctl/multipathctl
N=8
now() { date +%s.%N; }
elapsed() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.2f", e - s }'; }
one_map() { test "$(mpio_maps | wc -l)" = 1; }
# What mpiod's state file (written on SIGUSR1) says of the map's queueing.
state_queueing() {
	kill -USR1 "$(mpiod_pid)"
	awk -v m="$m" '$1 == "map" { cur = $2 } cur == m && $1 == "queueing" { print $2 }' /tmp/mpiod.state
}
state_queueing_is() { test "$(state_queueing)" = "$1"; }
# What mpiod says over D-Bus, through multipathctl show map.
show_queueing() { "$CTL" show map "$m" --json | jq -r .queueing; }
show_queueing_is() { test "$(show_queueing)" = "$1"; }
# What the kernel says, through multipathctl stats --json.
stats_queueing() { "$CTL" stats --json | jq -r --arg m "$m" '.maps[] | select(.name == $m) | .queueing'; }
all_usable() { output_is "" mpio_paths "$m" F; }

# outage WHAT: take every path offline and read from the map; the read must
# be held (queue_io 1), and fail N s after the last path failed: at least N s
# after the paths went, at most N + 4 s after the read was seen held (a
# process start in the guest can take seconds on a loaded host).
held() { test "$(mpio_queue_io "$m")" = 1; }
not_held() { test "$(mpio_queue_io "$m")" = 0; }
outage() {
	local what=$1 t0 t1 th=0 rc el eh d
	t0=$(now)
	for d in "${sd[@]}"; do path_offline "$d"; done
	(
		timeout 60 dd if="/dev/mapper/$m" of=/dev/null bs=4k count=1 iflag=direct status=none
		echo "$? $(now)" >/tmp/outage
	) &
	wait_for "$N" held && th=$(now)
	t_check "$what: the read is held (queue_io 1)" test "$th" != 0
	wait $!
	read -r rc t1 </tmp/outage
	el=$(elapsed "$t0" "$t1")
	eh=$(elapsed "$th" "$t1")
	echo "   $what: read failed $el s after the paths went, $eh s after it was seen held (rc $rc)"
	t_check "$what: the held read fails, does not hang" test "$rc" != 0 -a "$rc" != 124
	t_check "$what: held for the bound ($N s): $el s after the paths went, $eh s after seen held" \
		awk -v e="$el" -v h="$eh" -v n="$N" 'BEGIN { exit !(e >= n && h <= n + 4) }'
}
# paths_back WHAT: bring every path online; mpiod's checker reinstates them.
paths_back() {
	local what=$1 d
	for d in "${sd[@]}"; do path_online "$d"; done
	t_check "$what: mpiod reinstated every path" wait_for 30 all_usable
}

modprobe dm-mpio || t_fail "modprobe dm-mpio failed"
cfg=/tmp/mpio-cfg
mpiod_config "$cfg" "Linux   scsi_debug"
# The built-in scsi_debug entry says NoPathRetry=30: a [Device] section of
# its own overrides it.
printf '[Defaults]\nCheckInterval=1\n[Device]\nVendor=Linux\nProduct=scsi_debug\nNoPathRetry=%s\n' "$N" >"$cfg/mpio.conf"
out=$(sd_paths 2 1) || exit 1
mapfile -t sd <<<"$out"
t_check "2 scsi_debug paths" test ${#sd[@]} = 2

t_step "mpiod makes the map with NoPathRetry=$N"
system_bus
mpiod_start "$cfg"
t_check "mpiod on the bus" wait_for 10 grep -q "D-Bus API on the system bus" "$MPIOD_LOG"
t_check "one map" wait_for 20 one_map
m=$(mpio_maps)
dmsetup table "$m" | sed 's/^/   /'
t_check "table: queue_if_no_path no_path_timeout $N" mpio_has_features "$m" queue_if_no_path "no_path_timeout=$N"
t_check "every path usable" wait_for 30 all_usable
t_check "mpiod's state: queueing on" wait_for 10 state_queueing_is on
t_check "multipathctl show map: queueing on" wait_for 10 show_queueing_is on

t_step "first outage"
outage "first outage"
t_check "kernel: queueing expired" test "$(stats_queueing)" = expired
t_check "mpiod's state: queueing expired" wait_for 10 state_queueing_is expired
t_check "multipathctl show map: queueing expired" show_queueing_is expired
t_check "TABLE still has queue_if_no_path no_path_timeout $N" mpio_has_features "$m" queue_if_no_path "no_path_timeout=$N"
paths_back "first return"
t_check "kernel: queueing on again" test "$(stats_queueing)" = on
t_check "mpiod's state: queueing on again" wait_for 10 state_queueing_is on
t_check "multipathctl show map: queueing on again" show_queueing_is on
"$CTL" show map "$m" | sed 's/^/   /'
t_check "I/O works" timeout 20 dd if="/dev/mapper/$m" of=/dev/null bs=4k count=1 iflag=direct status=none

t_step "second outage"
outage "second outage"
t_check "mpiod's state: queueing expired" wait_for 10 state_queueing_is expired
paths_back "second return"
t_check "mpiod's state: queueing on again" wait_for 10 state_queueing_is on
t_check "multipathctl show map: queueing on again" show_queueing_is on
t_check "I/O works" timeout 20 dd if="/dev/mapper/$m" of=/dev/null bs=4k count=1 iflag=direct status=none

t_step "fail_if_no_path (as at shutdown) is not undone by a returning path"
mpiod_stop
dmsetup message "$m" 0 fail_if_no_path
for d in "${sd[@]}"; do path_offline "$d"; done
for d in "${sd[@]}"; do dmsetup message "$m" 0 fail_path "$(devnum "$d")"; done
for d in "${sd[@]}"; do path_online "$d"; done
for d in "${sd[@]}"; do dmsetup message "$m" 0 reinstate_path "$(devnum "$d")"; done
t_check "kernel: queueing still off" test "$(stats_queueing)" = off
t_check "TABLE without queue_if_no_path" mpio_has_features "$m" '!queue_if_no_path'
for d in "${sd[@]}"; do path_offline "$d"; done
t0=$(now)
timeout 60 dd if="/dev/mapper/$m" of=/dev/null bs=4k count=1 iflag=direct status=none
rc=$?
el=$(elapsed "$t0" "$(now)")
t_check "with no path, nothing held: queue_io 0" not_held
t_check "with no path, a read fails before the $N s bound: $el s (rc $rc)" \
	awk -v e="$el" -v rc="$rc" -v n="$N" 'BEGIN { exit !(rc != 0 && rc != 124 && e < n - 1) }'
for d in "${sd[@]}"; do path_online "$d"; done

t_step "mpiod log"
sed 's/^/   /' "$MPIOD_LOG"
t_check "mpiod logged no error" sh -c "! grep -q '^<[0-3]>' $MPIOD_LOG"
for m in $(mpio_maps); do dmsetup remove "$m"; done
t_done
