#!/bin/bash
# vm-options: --systemd --timeout 900
# The installed unit as it runs at boot: mpiod starts in sysinit, before the
# paths (iSCSI logs in later) and before the system bus (dbus.socket comes
# after sysinit.target). The lean boot of the bench has no dbus at all.
#  - No ordering cycle: `systemd-analyze verify` of a normal boot transaction
#    with the unit enabled finds none (PrivateTmp= made one).
#  - Hotplug under the unit: paths that appear after mpiod started become
#    maps, and a path the kernel fails and that comes back is reinstated from
#    the kernel's uevents (PrivateNetwork= cut udev's uevents off).
#  - The bus: mpiod, started while there is none, connects when it starts,
#    without a restart; again after the bus restarts, and after it was
#    stopped and started; the maps are not touched. Each change is logged
#    once.
#  - No D-Bus activation: with mpiod stopped, a call fails at once and starts
#    no mpiod.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/integration/lib-mpiod.sh"

jlog() { journalctl -b -u mpiod --no-pager -o cat; }
jcount() { jlog | grep -c "$1"; }
jcount_is() { test "$(jcount "$1")" = "$2"; }
bus_logs_above() { test "$(jcount 'system bus\|D-Bus')" -gt "$1"; }
nmaps() { mpio_maps | wc -l; }
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
ctl_ok() { multipathctl status >/tmp/status 2>&1 && grep -q "maps: 2" /tmp/status; }
not() { ! "$@"; }
mpiod_pid_is() { test "$(systemctl show -p MainPID --value mpiod)" = "$1"; }

t_step "systemd as PID 1, no system bus"
t_check "PID 1 is systemd" test "$(cat /proc/1/comm)" = systemd
t_check "dbus.socket is not running" test "$(systemctl is-active dbus.socket)" != active
t_check "no bus socket" test ! -S /run/dbus/system_bus_socket

t_step "install as the product does (make install PREFIX=/usr), enable the unit"
modprobe dm-mpio || t_fail "modprobe dm-mpio failed"
install -m 0755 "$MPIO_SRC/daemon/mpiod" /usr/sbin/mpiod || t_fail "cannot install mpiod"
install -m 0755 "$MPIO_SRC/multipathctl/multipathctl" /usr/sbin/multipathctl ||
	t_fail "cannot install multipathctl"
make -s -C "$MPIO_SRC/systemd" install PREFIX=/usr || t_fail "make install in systemd/ failed"
systemd-tmpfiles --create /usr/lib/tmpfiles.d/mpio.conf
echo "Linux   scsi_debug" >/etc/mpio/supported-devices
# Healthy paths are checked every 40 s: a short outage is seen through the
# kernel's uevents, not by a check that happens to fall in it.
printf '[Defaults]\nNoPathRetry=queue\nCheckInterval=10\n' >/etc/mpio/mpio.conf
udevadm control --reload
systemctl daemon-reload
t_check "enable exits 0" systemctl enable mpiod
t_check "wanted by sysinit.target" test -L /etc/systemd/system/sysinit.target.wants/mpiod.service

t_step "systemd-analyze verify: the boot transaction has no ordering cycle"
# The distribution's units (not the bench's masks in /etc), the unit enabled,
# and systemd-remount-fs.service in local-fs.target as systemd-fstab-generator
# adds it on every host whose root is in fstab: it pulls in
# local-fs-pre.target, which the unit is ordered before.
v=/tmp/verify-units
mkdir -p $v/sysinit.target.wants $v/local-fs.target.wants
ln -sf /lib/systemd/system/mpiod.service $v/sysinit.target.wants/mpiod.service
ln -sf /lib/systemd/system/systemd-remount-fs.service $v/local-fs.target.wants/
SYSTEMD_UNIT_PATH=$v:/lib/systemd/system SYSTEMD_LOG_LEVEL=debug \
	systemd-analyze verify --man=no graphical.target >/tmp/verify.log 2>&1
grep -E 'cycle|deleted to break' /tmp/verify.log | sed 's/^/   /'
t_check "the transaction starts mpiod" grep -q 'Installed new job mpiod.service/start' /tmp/verify.log
t_check "... and local-fs-pre.target" grep -q 'Installed new job local-fs-pre.target/start' /tmp/verify.log
t_check "... and systemd-tmpfiles-setup.service" \
	grep -q 'Installed new job systemd-tmpfiles-setup.service/start' /tmp/verify.log
t_check "no ordering cycle" sh -c "! grep -q 'ordering cycle' /tmp/verify.log"
t_check "no job deleted" sh -c "! grep -q 'deleted to break' /tmp/verify.log"

t_step "start mpiod before any path and without a bus"
t_check "start exits 0" systemctl start mpiod
t_check "active" test "$(systemctl is-active mpiod)" = active
pid=$(systemctl show -p MainPID --value mpiod)
t_check "no map yet" test "$(nmaps)" = 0

# 4 paths to each of 2 LUNs: scsi_debug's ALUA makes every other host's port
# standby, so each map has 2 active paths and failing one does not queue.
t_step "hotplug: 2 LUNs x 4 paths appear after mpiod started"
t0=$(date +%s%N)
out=$(sd_paths 4 2) || exit 1
mapfile -t sd <<<"$out"
t_check "8 scsi_debug paths" test ${#sd[@]} = 8
t_check "2 maps from the hotplugged paths" wait_for 60 sh -c "test \$(dmsetup ls --target mpio | grep -vc 'No devices') = 2"
echo "   maps $(ms_since "$t0") ms after the paths were added"
if [ "$(nmaps)" != 2 ]; then
	echo "   (no hotplug: restarting mpiod so that the steps below have maps from the coldplug)"
	systemctl restart mpiod
	wait_for 30 sh -c "test \$(dmsetup ls --target mpio | grep -vc 'No devices') = 2"
	pid=$(systemctl show -p MainPID --value mpiod)
fi
mapfile -t maps < <(mpio_maps)
m=${maps[0]}
t_check "$m: 4 paths" wait_for 30 npaths_is "$m" 4
# scsi_debug's ports alternate between ALUA states: each map has one
# active/optimized path (its first group), one active/non-optimized and two
# standby. The kernel fails the optimized one under I/O, which goes on
# through the non-optimized one: nothing queues.
alua_paths() {
	local d
	for d in "${sd[@]}"; do
		mpio_has_path "$m" "$d" && grep -qx "$1" "/sys/block/${d#/dev/}/device/access_state" &&
			echo "$d"
	done
}
one_optimized() { test "$(alua_paths active/optimized | wc -l)" = 1; }
t_check "$m: one active/optimized path" wait_for 30 one_optimized
t_check "$m: one active/non-optimized path" test "$(alua_paths active/non-optimized | wc -l)" = 1
dev=$(alua_paths active/optimized)
[ -n "$dev" ] || t_fail "no active/optimized path of $m"

t_step "the kernel fails ${dev#/dev/} of $m, then it comes back"
read_until_failed() {
	dd if="/dev/mapper/$m" of=/dev/null bs=4k count=64 iflag=direct status=none
	mpio_path_is "$m" F "$dev"
}
path_offline "$dev"
t_check "the kernel failed it" wait_for 30 read_until_failed
t_check "mpiod saw it (uevent)" wait_for 10 sh -c "journalctl -b -u mpiod -o cat | grep -q 'kernel failed path ${dev#/dev/}'"
path_online "$dev"
t0=$(date +%s%N)
t_check "reinstated" wait_for 40 mpio_path_is "$m" A "$dev"
echo "   reinstated $(ms_since "$t0") ms after the path came back"
jlog | grep -E "${dev#/dev/}" | tail -3 | sed 's/^/   /'

t_step "the bus starts after mpiod: the API comes up without a restart"
tables=$(for x in "${maps[@]}"; do dmsetup table "$x"; done)
t_check "status: not reachable yet" sh -c "! multipathctl status"
t0=$(date +%s%N)
t_check "dbus.socket starts" systemctl start dbus.socket
t_check "multipathctl status reaches mpiod" wait_for 20 ctl_ok
echo "   reached $(ms_since "$t0") ms after dbus.socket started"
t_check "multipathctl show lists both maps" sh -c "multipathctl show maps >/tmp/show && grep -q '${maps[0]}' /tmp/show && grep -q '${maps[1]}' /tmp/show"
t_check "same mpiod" mpiod_pid_is "$pid"
t_check "logged: waiting for the bus, once" jcount_is 'no system bus yet' 1
t_check "logged: API up, once" jcount_is 'D-Bus API on the system bus' 1

t_step "dbus restarts: mpiod reconnects, the maps are untouched"
t0=$(date +%s%N)
t_check "dbus restarts" systemctl restart dbus.service
t_check "multipathctl status reaches mpiod again" wait_for 20 ctl_ok
echo "   reached $(ms_since "$t0") ms after the restart began"
t_check "API up again, logged" wait_for 10 jcount_is 'D-Bus API on the system bus' 2
t_check "the loss logged once" jcount_is 'lost the system bus' 1
t_check "same mpiod" mpiod_pid_is "$pid"

t_step "the bus stops for a while, then starts again"
t_check "dbus stops" systemctl stop dbus.socket dbus.service
t_check "the loss logged" wait_for 10 jcount_is 'lost the system bus' 2
n=$(jcount 'system bus\|D-Bus')
t_check "no log per retry while the bus is away (8 s)" not wait_for 8 bus_logs_above "$n"
t_check "mpiod still active" test "$(systemctl is-active mpiod)" = active
t_check "dbus.socket starts again" systemctl start dbus.socket
t_check "multipathctl status reaches mpiod again" wait_for 20 ctl_ok
t_check "same mpiod" mpiod_pid_is "$pid"
t_check "tables untouched by the bus" test "$(for x in "${maps[@]}"; do dmsetup table "$x"; done)" = "$tables"
jlog | grep -E 'system bus|D-Bus' | sed 's/^/   /'

t_step "no D-Bus activation: a call with mpiod stopped fails at once"
t_check "stop exits 0" systemctl stop mpiod
t0=$(date +%s%N)
t_check "status fails" sh -c "! multipathctl status"
t_check "show reads the kernel instead, and says so" sh -c \
	"multipathctl show maps 2>/tmp/show.err >/tmp/show && grep -q 'mpiod is not running' /tmp/show.err && grep -q '${maps[0]}' /tmp/show"
ms=$(ms_since "$t0")
echo "   answered in $ms ms"
t_check "... within 5 s (no wait for an activation)" test "$ms" -lt 5000
t_check "no mpiod started by the call" test "$(systemctl is-active mpiod)" != active
t_check "no activation file installed" test ! -e /usr/share/dbus-1/system-services/org.mpio.Manager1.service
t_check "mpiod logged no error" sh -c "! journalctl -b -u mpiod -p err --no-pager -o cat | grep -q ."
t_done
