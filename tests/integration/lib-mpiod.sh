# shellcheck shell=bash
# Helpers for the mpiod tests; source after tests/vm/lib.sh. They source
# tests/kernel/lib-mpio.sh: its readers of a map's status and table (and the
# checks npaths_is, cur_group_is, ...) are how these tests look at maps.
#
# mpiod_start runs mpiod by hand, not through mpiod.service: the build tree's
# mpiod on a config dir the test writes, its log on stdout in /tmp/mpiod.log
# for the checks to grep, signals at the moments the test chooses, and the
# bench's own init (no systemd: a boot 35-84 s shorter). Each test that uses
# it says in a line near its top why it needs that. The unit as users run it
# is tested under systemd as PID 1 by test-systemd-unit.sh.
#
#   mpiod_config DIR [LINES...]    a config dir with supported-devices = LINES;
#                                  also installs systemd/59-mpio.rules, asking
#                                  this tree's multipathctl about DIR's claims
#   mpiod_start DIR [ARGS...]      start mpiod on DIR, wait until it is ready
#   mpiod_pid                      pid of the running mpiod
#   mpiod_stop                     SIGTERM, wait for the exit
#   system_bus                     start a system bus (dbus-daemon --system) with
#                                  mpio's D-Bus policy installed, wait for its socket
#   mpiod_log                      the log of every mpiod started so far
#   mpiod_finish                   stop mpiod, print its log, check it logged no error
#   mpio_maps                      names of the mpio maps, one per line
#   ios_in NAME SECS DEV...        I/Os sent to each DEV during SECS seconds
#   fio_verify DEV SECS LOG        random writes with --verify in the background;
#                                  sets FIO_PID
#   fio_verify_ok LOG              the fio run of LOG saw no error

. "$MPIO_SRC/tests/kernel/lib-mpio.sh"

MPIOD=$MPIO_SRC/daemon/mpiod
MPIOD_LOG=/tmp/mpiod.log

mpiod_config() {
	local dir=$1 l
	shift
	mkdir -p "$dir" || t_fail "cannot create $dir"
	: >"$dir/supported-devices"
	for l in "$@"; do echo "$l" >>"$dir/supported-devices"; done
	mkdir -p /run/udev/rules.d
	sed "s|/usr/sbin/multipathctl|$MPIO_SRC/multipathctl/multipathctl --config-dir $dir|" \
		"$MPIO_SRC/systemd/59-mpio.rules" >/run/udev/rules.d/59-mpio.rules &&
		udevadm control --reload || t_fail "cannot install 59-mpio.rules"
}

system_bus() {
	mkdir -p /run/dbus /etc/dbus-1/system.d
	cp "$MPIO_SRC/systemd/org.mpio.Manager1.conf" /etc/dbus-1/system.d/ || t_fail "cannot install the D-Bus policy"
	dbus-daemon --system --fork || t_fail "dbus-daemon did not start"
	wait_for 10 test -S /run/dbus/system_bus_socket || t_fail "no system bus socket"
}

mpiod_start() {
	local dir=$1 n
	shift
	n=$(grep -c ' ready: ' "$MPIOD_LOG" 2>/dev/null)
	# At the unit's priority (its Nice=), as systemd would start it.
	nice -n "$(sed -n 's/^Nice=//p' "$MPIO_SRC/systemd/mpiod.service" | grep . || echo 0)" \
		"$MPIOD" --config-dir "$dir" --state-file /tmp/mpiod.state "$@" >>"$MPIOD_LOG" 2>&1 &
	echo $! >/tmp/mpiod.pid
	wait_for 60 sh -c "test \$(grep -c ' ready: ' $MPIOD_LOG) -gt ${n:-0}" || {
		cat "$MPIOD_LOG" >&2
		t_fail "mpiod did not get ready"
	}
}
mpiod_pid() { cat /tmp/mpiod.pid; }
mpiod_stop() {
	local pid
	pid=$(mpiod_pid)
	kill "$pid" 2>/dev/null
	wait_for 20 sh -c "! kill -0 $pid" || t_fail "mpiod did not stop"
}
mpiod_log() { cat "$MPIOD_LOG"; }
mpiod_finish() {
	t_step "mpiod log"
	mpiod_stop
	sed 's/^/   /' "$MPIOD_LOG"
	t_check "mpiod logged no error" sh -c "! grep -q '^<[0-3]>' $MPIOD_LOG"
}

mpio_maps() { dmsetup ls --target mpio 2>/dev/null | awk '$1 != "No" { print $1 }' | sort; }
ios_in() {
	local m=$1 secs=$2 d
	local -a a=()
	shift 2
	for d in "$@"; do a+=("$(mpio_stat "$m" "$d" ios)"); done
	sleep "$secs"
	for d in "$@"; do
		echo $(($(mpio_stat "$m" "$d" ios) - a[0]))
		a=("${a[@]:1}")
	done
}

fio_verify() {
	local dev=$1 secs=$2 log=$3
	fio --name=verify --filename="$dev" --rw=randwrite --bs=4k --direct=1 \
		--ioengine=libaio --iodepth=8 --size=32m --runtime="$secs" --time_based \
		--verify=crc32c --verify_backlog=256 --verify_fatal=1 --norandommap \
		--output="$log" &
	FIO_PID=$!
}
fio_verify_ok() {
	local log=$1
	grep -E 'err=|IOPS' "$log" | head -3
	grep -q 'err= 0' "$log" && ! grep -qi 'verify.*fail\|bad magic' "$log"
}
