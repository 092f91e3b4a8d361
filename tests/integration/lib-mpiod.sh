# shellcheck shell=bash
# Helpers for the mpiod tests; source after tests/vm/lib.sh.
#
#   mpiod_config DIR [LINES...]    a config dir with supported-devices = LINES;
#                                  also installs systemd/59-mpio.rules, asking
#                                  this tree's multipathctl about DIR's claims
#   mpiod_start DIR [ARGS...]      start mpiod on DIR, wait until it is ready
#   mpiod_pid                      pid of the running mpiod
#   mpiod_stop                     SIGTERM, wait for the exit
#   mpiod_log                      the log of every mpiod started so far
#   mpiod_finish                   stop mpiod, print its log, check it logged no error
#   mpio_maps                      names of the mpio maps, one per line
#   map_npaths NAME                paths in the map's table
#   map_ngroups NAME               priority groups in the map's table
#   map_has_dev NAME DEV           is DEV (a node) in the map's table
#   npaths_is NAME N, ngroups_is NAME N, first_dev_is NAME DEV
#                                  checks to poll with wait_for
#   map_cur_group NAME             the kernel's current (or next) group, 1-based
#   cur_group_is NAME N            check to poll with wait_for
#   map_path_ios NAME DEV          I/Os the map sent to DEV (a node) since its load
#   ios_in NAME SECS DEV...        I/Os sent to each DEV during SECS seconds
#   fio_verify DEV SECS LOG        random writes with --verify in the background;
#                                  sets FIO_PID
#   fio_verify_ok LOG              the fio run of LOG saw no error

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

mpiod_start() {
	local dir=$1 n
	shift
	n=$(grep -c ' ready: ' "$MPIOD_LOG" 2>/dev/null)
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
map_npaths() { dmsetup table "$1" | grep -oE ' [0-9]+:[0-9]+' | wc -l; }
map_ngroups() { dmsetup table "$1" | grep -oE '(round-robin|queue-length|service-time|least-blocks|weighted-path|historical-service-time|io-affinity) ' | wc -l; }
npaths_is() { test "$(map_npaths "$1")" = "$2"; }
ngroups_is() { test "$(map_ngroups "$1")" = "$2"; }
# The first path of the first group is DEV (a node).
first_dev_is() {
	test "$(dmsetup table "$1" | grep -oE ' [0-9]+:[0-9]+' | head -1 | tr -d ' ')" = "$(devnum "$2")"
}
# INFO status: 0 <size> mpio <#features> <features...> <#hw> <hw...> <#groups> <current> ...
map_cur_group() { dmsetup status "$1" | awk '{ j = 5 + $4; k = j + 1 + $j; print $(k + 1) }'; }
cur_group_is() { test "$(map_cur_group "$1")" = "$2"; }
map_path_ios() {
	dmsetup status "$1" | awk -v d="$(devnum "$2")" '{ for (s = 1; s <= NF; s++) if ($s == "stats") break; for (k = s + 3; k <= NF; k += 5) if ($k == d) print $(k + 1) }'
}
ios_in() {
	local m=$1 secs=$2 d
	local -a a=()
	shift 2
	for d in "$@"; do a+=("$(map_path_ios "$m" "$d")"); done
	sleep "$secs"
	for d in "$@"; do
		echo $(($(map_path_ios "$m" "$d") - a[0]))
		a=("${a[@]:1}")
	done
}
map_has_dev() { dmsetup table "$1" | grep -qw "$(devnum "$2")"; }

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
