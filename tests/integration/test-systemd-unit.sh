#!/bin/bash
# vm-options: --systemd --timeout 600
# mpiod under systemd as PID 1, with the project's units: `systemctl start`
# reaches active (Type=notify, READY=1 after the maps are made), `reload`
# re-reads the configuration (RELOADING=1, then READY=1), the watchdog is
# fed (WatchdogSec=3s: the service stays up and its watchdog timestamp
# advances), `restart` and `stop` are clean and keep queueing on. The
# shutdown that ends the test has a mounted map with no path left: mpiod
# sees the shutdown begin and turns queueing off at once, so the unmount
# does not hang; and queueing is off on the maps when mpiod stops (checked
# at the very end of the shutdown, on the tables read right after mpiod
# exited).
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/kernel/lib-mpio.sh"

t_step "systemd as PID 1"
t_check "PID 1 is systemd" test "$(cat /proc/1/comm)" = systemd
echo "   system state: $(systemctl is-system-running 2>&1), $(cut -d' ' -f1 /proc/uptime) s after boot"
# What the boot spent its time on (the boot is not "finished" while the test runs).
for u in $(systemctl list-units --state=active --no-legend --plain | awk '{ print $1 }'); do
	eval "$(systemctl show -p InactiveExitTimestampMonotonic -p ActiveEnterTimestampMonotonic -- "$u" | tr -d ' ')"
	[ "${ActiveEnterTimestampMonotonic:-0}" -gt "${InactiveExitTimestampMonotonic:-0}" ] &&
		echo "$(((ActiveEnterTimestampMonotonic - InactiveExitTimestampMonotonic) / 1000)) ms $u"
done | sort -rn | head -5 | sed 's/^/   slowest: /'

t_step "install the units, the udev rules and a configuration"
modprobe dm-mpio || t_fail "modprobe dm-mpio failed"
# The binaries go where the unit and the rules name them (the overlay is
# writable): the unit's sandboxing (PrivateTmp, ProtectHome) would hide a
# source tree under /tmp or /home, so the unit is installed unchanged.
install -m 0755 "$MPIO_SRC/daemon/mpiod" /usr/sbin/mpiod || t_fail "cannot install mpiod"
install -m 0755 "$MPIO_SRC/multipathctl/multipathctl" /usr/sbin/multipathctl || t_fail "cannot install multipathctl"
cp "$MPIO_SRC/systemd/mpiod.service" /etc/systemd/system/mpiod.service
cp "$MPIO_SRC/systemd/59-mpio.rules" /etc/udev/rules.d/59-mpio.rules
cp "$MPIO_SRC/systemd/tmpfiles-mpio.conf" /etc/tmpfiles.d/mpio.conf
systemd-tmpfiles --create /etc/tmpfiles.d/mpio.conf
echo "Linux   scsi_debug" >/etc/mpio/supported-devices
printf '[Defaults]\nNoPathRetry=queue\nPathSelector=round-robin\n' >/etc/mpio/mpio.conf
udevadm control --reload
systemctl daemon-reload
out=$(sd_paths 2 2) || exit 1
mapfile -t sd <<<"$out"
t_check "4 scsi_debug paths" test ${#sd[@]} = 4

t_step "systemctl start mpiod"
t0=$(date +%s%N)
t_check "start exits 0" systemctl start mpiod
echo "   start took $((($(date +%s%N) - t0) / 1000000)) ms"
t_check "active" test "$(systemctl is-active mpiod)" = active
t_check "2 maps made before READY" test "$(dmsetup ls --target mpio | grep -vc 'No devices')" = 2
systemctl show -p StatusText -p MainPID -p WatchdogUSec mpiod | sed 's/^/   /'
t_check "WatchdogUSec=30s (the unit's)" test "$(systemctl show -p WatchdogUSec --value mpiod)" = 30s
t_check "status text from sd_notify" sh -c "systemctl show -p StatusText --value mpiod | grep -q '2 maps, 4 paths'"
t_check "pid file = MainPID" test "$(cat /run/mpio/mpiod.pid)" = "$(systemctl show -p MainPID --value mpiod)"
m=$(dmsetup ls --target mpio | awk '{ print $1 }' | sort | head -1)
t_check "round-robin tables" mpio_uses "$m" round-robin

t_step "systemctl reload mpiod: the configuration is read again"
pid=$(systemctl show -p MainPID --value mpiod)
printf '[Defaults]\nNoPathRetry=queue\nPathSelector=queue-length\n' >/etc/mpio/mpio.conf
t_check "reload exits 0" systemctl reload mpiod
t_check "active after the reload" test "$(systemctl is-active mpiod)" = active
t_check "same process" test "$(systemctl show -p MainPID --value mpiod)" = "$pid"
t_check "tables now queue-length" wait_for 10 mpio_uses "$m" queue-length
journalctl -b -u mpiod --no-pager -o cat | grep -E 'reloading|reloaded' | sed 's/^/   /'
t_check "journal: reloaded" sh -c "journalctl -b -u mpiod --no-pager -o cat | grep -q 'configuration reloaded'"
journalctl -b -u mpiod --no-pager -o short-monotonic | grep -E 'reloading configuration|configuration reloaded' |
	sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p' |
	awk '{ t[NR] = $1 } END { if (NR >= 2) printf "   the reload took %.0f ms\n", (t[NR] - t[1]) * 1000 }'

# A reload blocks the loop while maps are reloaded (each waits for udev):
# under TCG that can take seconds, so the short watchdog comes only now.
t_step "watchdog: WatchdogSec=3s in a drop-in, fed by the event loop"
mkdir -p /etc/systemd/system/mpiod.service.d
printf '[Service]\nWatchdogSec=3s\n' >/etc/systemd/system/mpiod.service.d/test.conf
systemctl daemon-reload
t_check "restart exits 0" systemctl restart mpiod
pid=$(systemctl show -p MainPID --value mpiod)
t_check "WatchdogUSec=3s" test "$(systemctl show -p WatchdogUSec --value mpiod)" = 3s
w1=$(systemctl show -p WatchdogTimestampMonotonic --value mpiod)
sleep 15
w2=$(systemctl show -p WatchdogTimestampMonotonic --value mpiod)
echo "   watchdog timestamps: $w1 -> $w2"
t_check "timestamp advanced" test "$w2" -gt "$w1"
t_check "still active after 15 s" test "$(systemctl is-active mpiod)" = active
t_check "not restarted" test "$(systemctl show -p NRestarts --value mpiod)" = 0
t_check "same process" test "$(systemctl show -p MainPID --value mpiod)" = "$pid"

t_step "systemctl restart and stop: maps stay, queueing stays on"
t_check "restart exits 0" systemctl restart mpiod
t_check "new process" test "$(systemctl show -p MainPID --value mpiod)" != "$pid"
t_check "maps still there, still queueing" mpio_has_features "$m" queue_if_no_path
t_check "stop exits 0" systemctl stop mpiod
t_check "inactive" test "$(systemctl is-active mpiod)" = inactive
t_check "result success" test "$(systemctl show -p Result --value mpiod)" = success
t_check "still queueing after a stop" mpio_has_features "$m" queue_if_no_path
t_check "journal: stopped leaving the maps" sh -c "journalctl -b -u mpiod --no-pager -o cat | grep -q 'maps are left as they are'"
t_check "pid file removed" test ! -e /run/mpio/mpiod.pid

t_step "start again; the shutdown at the end must turn queueing off"
# mpiod stops late in the shutdown, after lvm2's blk-availability.service
# (the unit is ordered before it, as multipathd is), whose blkdeactivate
# removes every map nothing uses. The host's lvm2 makes that happen here
# too: then no map is left when mpiod stops, and "queueing turned off on 0
# maps" is right. This test is about mpiod's part, so blkdeactivate is
# left out (its ExecStop emptied) and the maps stay. What mpiod must do is
# checked against what was there: the tables right after mpiod exited
# (ExecStopPost, before systemd-shutdown detaches every dm device).
if systemctl cat blk-availability.service >/dev/null 2>&1; then
	mkdir -p /etc/systemd/system/blk-availability.service.d
	printf '[Service]\nExecStop=\n' >/etc/systemd/system/blk-availability.service.d/test.conf
fi
printf '[Service]\nExecStopPost=/bin/sh -c "dmsetup table --target mpio >/run/mpio-test/tables-at-stop 2>&1"\n' \
	>/etc/systemd/system/mpiod.service.d/tables-at-stop.conf
systemctl daemon-reload
t_check "start exits 0" systemctl start mpiod
t_check "2 maps before the shutdown" test "$(dmsetup ls --target mpio | grep -vc 'No devices')" = 2

t_step "the shutdown with every path of a mounted map gone"
# ext4 on the first map, written to, then every path of that map offline,
# with data not yet written back: at the shutdown the unmount would wait for
# the queue. mpiod sees the shutdown begin (a job for shutdown.target)
# and turns queueing off at once, so the unmount ends with an I/O error
# instead of hanging until its stop time-out, as it did when mpiod turned
# queueing off only at its own stop.
# The lean boot never reaches local-fs-pre.target; a real one does, and only
# then is the mount's stop ordered before mpiod's (the mount is After= it,
# mpiod Before= it): without it both stop at once and mpiod's own stop
# would free the unmount in time.
# (It refuses a manual start: a unit that wants it pulls it in.)
t_check "local-fs-pre.target reached, as at a real boot" systemd-run -q --unit=mpio-test-fspre \
	-p Wants=local-fs-pre.target -p After=local-fs-pre.target --remain-after-exit true
t_check "local-fs-pre.target active" test "$(systemctl is-active local-fs-pre.target)" = active
# Queueing without a bound (the built-in entry of scsi_debug says 30 s):
# only then can nothing but mpiod end the wait.
printf '[Defaults]\nNoPathRetry=queue\nPathSelector=queue-length\n\n[Device]\nVendor=Linux\nProduct=scsi_debug\nNoPathRetry=queue\n' \
	>/etc/mpio/mpio.conf
systemctl reload mpiod
t_check "$m queues without a bound" wait_for 30 mpio_has_features "$m" queue_if_no_path '!no_path_timeout'
# A mount unit of its own, to give its stop a time-out of 60 s: longer than
# this shutdown may take, whatever the machine's load.
mkfs.ext4 -q "/dev/mapper/$m" && mkdir -p /mnt/onmap
printf '[Mount]\nWhat=/dev/mapper/%s\nWhere=/mnt/onmap\nType=ext4\nTimeoutSec=60\n' "$m" \
	>/run/systemd/system/mnt-onmap.mount
systemctl daemon-reload
t_check "mnt-onmap.mount started" systemctl start mnt-onmap.mount
t_check "the mount unit is ordered after local-fs-pre.target" sh -c \
	"systemctl show -p After --value mnt-onmap.mount | grep -qw local-fs-pre.target"
t_check "ext4 on $m mounted" mountpoint -q /mnt/onmap
echo synced >/mnt/onmap/a && sync
for d in $(dmsetup deps -o devname "$m" | grep -oE 'sd[a-z]+'); do path_offline "/dev/$d"; done
# Dirty data in the page cache and no process left holding the file system
# (one would make the unmount fail at once with EBUSY): the unmount writes
# it back, and waits in the map's queue.
t_check "1 MiB written, not synced" dd if=/dev/urandom of=/mnt/onmap/b bs=64k count=16 status=none
# A read of the map itself (not of the file system) fails its paths and
# waits in the queue.
dd if="/dev/mapper/$m" of=/dev/null bs=4k count=1 iflag=direct status=none 2>/dev/null &
t_check "no usable path left in $m" wait_for 60 output_is "" mpio_paths "$m" A
cut -d' ' -f1 /proc/uptime >/run/mpio-test/script-end
cat >/run/mpio-test/at-shutdown <<EOF
. "$MPIO_SRC/tests/vm/lib.sh"
# Run by systemd-shutdown after every unit has stopped.
journalctl -b -u mpiod --no-pager -o cat | grep -E 'shutting down|queueing turned off' | sed 's/^/   /'
secs=\$(awk -v a="\$(cat /run/mpio-test/script-end)" -v b="\$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%d", b - a }')
echo "   the shutdown took \$secs s from the script's end to here"
t_check "mpiod saw the shutdown begin" sh -c "journalctl -b -u mpiod --no-pager -o cat | grep -q 'the system is shutting down (systemd queued shutdown.target)'"
t_check "shorter than the unmount's stop time-out (60 s): it did not wait for it" test "\$secs" -lt 60
t_check "no unmount timed out" sh -c "! journalctl -b --no-pager -o cat | grep -qiE 'mnt-onmap.mount.*(timed out|timeout)'"
t_check "the tables were read when mpiod had stopped" test -s /run/mpio-test/tables-at-stop
sed 's/^/   /' /run/mpio-test/tables-at-stop
t_check "2 maps when mpiod stopped" test "\$(grep -c ' mpio ' /run/mpio-test/tables-at-stop)" = 2
t_check "queueing off on every one" sh -c "! grep -q queue_if_no_path /run/mpio-test/tables-at-stop"
t_check "journal: turned off on 2 maps" sh -c "journalctl -b -u mpiod --no-pager -o cat | grep -q 'queueing turned off on 2 maps'"
t_done
EOF
t_done
