#!/bin/bash
# The shell tests' reader of a map's status and table (tests/kernel/lib-mpio.sh),
# on the host: a fake dmsetup prints status and table lines of mpio and
# multipath maps written by hand from the layouts in kernel/README.md (1 and
# 2 groups, failed paths, with and without mpio's "stats", "queueing" and
# "quiesced" sections, a hardware handler with args, queue_if_no_path and
# no_path_timeout, later words a newer module may add), and every reader,
# check and the table builder must give what the layout says; a line off the
# layout, a missing map and a wrong call must fail with a message. Also the
# places where the greps the tests used before went wrong. Needs no VM, no
# device-mapper and no root. Ends with "N passed, N failed" and exits
# non-zero if anything failed.
#
#   tests/cli/test-status-parse.sh
set -uo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

. "$SRC/tests/vm/lib.sh"
. "$SRC/tests/kernel/lib-mpio.sh"

passed=0 failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() {
	echo "FAIL $1"
	[ -s "$TMP/err" ] && sed 's/^/  stderr: /' "$TMP/err"
	failed=$((failed + 1))
}

# run CMD...: CMD in a subshell (a t_fail ends only that), keeping its
# stdout in $out, its stderr in $TMP/err and its status in $rc.
run() {
	out=$("$@" 2>"$TMP/err")
	rc=$?
}
# is WHAT WANT CMD...: CMD succeeds and prints WANT.
is() {
	local what=$1 want=$2
	shift 2
	run "$@"
	if [ "$rc" = 0 ] && [ "$out" = "$want" ]; then
		pass "$what"
	else
		fail "$what: '$*' printed '$out' (status $rc), expected '$want'"
	fi
}
# ok WHAT CMD..., nok WHAT RC CMD...: CMD succeeds; CMD fails with status RC.
ok() {
	local what=$1
	shift
	run "$@"
	if [ "$rc" = 0 ]; then pass "$what"; else fail "$what: '$*' failed (status $rc)"; fi
}
nok() {
	local what=$1 want=$2
	shift 2
	run "$@"
	if [ "$rc" = "$want" ]; then pass "$what"; else fail "$what: '$*' gave status $rc, expected $want"; fi
}
# says WHAT RC TEXT CMD...: CMD fails with status RC and TEXT on stderr.
says() {
	local what=$1 want=$2 text=$3
	shift 3
	run "$@"
	if [ "$rc" = "$want" ] && grep -qF -- "$text" "$TMP/err"; then
		pass "$what"
	else
		fail "$what: '$*' gave status $rc, expected $want and '$text' on stderr"
	fi
}

# ---- the fake dmsetup: STATUS[map] and TABLE[map], as `dmsetup status|table MAP` print them
declare -A STATUS TABLE
dmsetup() {
	if [ $# = 2 ] && [ "$1" = status ] && [ -n "${STATUS[$2]+x}" ]; then
		echo "${STATUS[$2]}"
	elif [ $# = 2 ] && [ "$1" = table ] && [ -n "${TABLE[$2]+x}" ]; then
		echo "${TABLE[$2]}"
	else
		echo "Device does not exist." >&2
		echo "Command failed." >&2
		return 1
	fi
}
# Sizes the table builder asks for: a node's or /dev/block/MAJ:MIN's.
_sectors() { echo 2097152; }

# One group of 2 weighted paths, both active; the counters, and queueing off
# (no queue_if_no_path). weighted-path shows each path's weight as its
# per-path arg in the table and as its selector info word in the status.
TABLE[one]="0 2097152 mpio 2 queue_mode bio 0 1 1 weighted-path 0 2 1 8:16 1 8:32 3 "
STATUS[one]="0 2097152 mpio 2 0 0 0 1 1 A 0 2 1 8:16 A 0 1 8:32 A 0 3 stats 2 4 8:16 120 491520 0 85 8:32 358 1466368 0 91 queueing off"

# Two groups of service-time (2 info words per path), the first path failed
# 3 times and its group enabled, the kernel on group 2; queue_if_no_path
# with no_path_timeout 30, request-based; queueing on; 64-bit counters.
TABLE[two]="0 4194304 mpio 5 queue_if_no_path no_path_timeout 30 queue_mode rq 0 2 2 service-time 0 1 2 8:48 1 5 service-time 0 2 2 8:64 1 1 68:16 1 0 "
STATUS[two]="0 4194304 mpio 2 0 0 0 2 2 E 0 1 2 8:48 F 3 0 5 A 0 2 2 8:64 A 0 4096 1 68:16 A 1 0 0 stats 3 4 8:48 7 28672 7 0 8:64 1000 18446744073709551615 0 250 68:16 5 20480 1 300 queueing on"

# A hardware handler with args (emc 1 0), pg_init settings, group 1 active
# after 4 activations, group 2's path 68:16 failed twice while 8:16 is
# active: a grep for "8:16 F" finds "68:16 F".
TABLE[hw]="0 2097152 mpio 6 queue_mode bio pg_init_retries 3 pg_init_delay_msecs 200 3 emc 1 0 2 1 round-robin 0 1 1 8:16 1 round-robin 0 1 1 68:16 1 "
STATUS[hw]="0 2097152 mpio 2 0 4 0 2 1 A 0 1 0 8:16 A 0 E 0 1 0 68:16 F 2 stats 2 4 8:16 10 40960 0 100 68:16 3 12288 3 0 queueing off"

# The kernel's multipath target: the same layout without mpio's sections;
# both paths failed, I/O held (queue_io 1). queue-length has one info word.
TABLE[mpt]="0 2097152 multipath 1 queue_if_no_path 0 1 1 queue-length 0 2 1 8:16 1 8:32 1 "
STATUS[mpt]="0 2097152 multipath 2 1 0 0 1 1 A 0 2 1 8:16 F 1 0 8:32 F 1 0 "
# The same map in mpio, counters and all.
STATUS[mpo]="0 2097152 mpio 2 1 0 0 1 1 A 0 2 1 8:16 F 1 0 8:32 F 1 0 stats 2 4 8:16 0 0 0 0 8:32 0 0 0 0 queueing on"

# A map kept without paths (mpiod's RemoveTimeout).
TABLE[empty]="0 2097152 mpio 2 queue_mode bio 0 0 0 "
STATUS[empty]="0 2097152 mpio 2 0 0 0 0 0 stats 0 4 queueing on"

# What a later module may add: a third leading word, handler and selector
# status words, a fifth counter, a section after "queueing".
TABLE[later]="0 1024 mpio 2 queue_mode bio 0 1 1 historical-service-time 2 972 0 1 1 8:0 1 "
STATUS[later]="0 1024 mpio 3 0 0 x 1 hw 1 1 A 2 s1 s2 1 0 8:0 A 0 stats 1 5 8:0 1 2 3 4 5 queueing expired quiesced 3 later 2 a b"

# Every path failed, the current group still marked active: a grep for " A "
# finds the group's letter.
STATUS[down]="0 2097152 mpio 2 1 0 0 1 1 A 0 2 0 8:16 F 1 8:32 F 1 stats 2 4 8:16 5 20480 1 0 8:32 5 20480 1 0 queueing on"

# A linear map is not one of ours.
STATUS[lin]="0 2097152 linear "
TABLE[lin]="0 2097152 linear 8:16 0"

echo "### paths: state, group, fail count"
is "one: 8:16 active" A mpio_path_state one 8:16
is "one: 8:32 in group 1" 1 mpio_path_group one 8:32
is "one: 8:32 never failed" 0 mpio_fail_count one 8:32
is "two: 8:48 failed" F mpio_path_state two 8:48
is "two: 8:48 failed 3 times" 3 mpio_fail_count two 8:48
is "two: 68:16 in group 2" 2 mpio_path_group two 68:16
is "two: 68:16 active again" A mpio_path_state two 68:16
is "two: 68:16 failed once" 1 mpio_fail_count two 68:16
is "hw: 8:16 active, though 68:16 F follows it" A mpio_path_state hw 8:16
is "hw: 68:16 failed" F mpio_path_state hw 68:16
is "hw: 68:16 failed twice" 2 mpio_fail_count hw 68:16
is "mpt (multipath target): 8:32 failed" F mpio_path_state mpt 8:32
is "later: selector status words skipped" A mpio_path_state later 8:0
is "all paths in table order" $'8:48\n8:64\n68:16' mpio_paths two
is "failed paths" 8:48 mpio_paths two F
is "active paths" $'8:64\n68:16' mpio_paths two A
is "no path in a map without groups" "" mpio_paths empty
says "a path not in the map" 1 "one: no path 8:48" mpio_path_state one 8:48

echo "### counters (\"stats\")"
is "one: ios of 8:16" 120 mpio_stat one 8:16 ios
is "one: bytes of 8:32" 1466368 mpio_stat one 8:32 bytes
is "one: lat_us of 8:32" 91 mpio_stat one 8:32 lat_us
is "two: errors of 8:48" 7 mpio_stat two 8:48 errors
is "two: a 64-bit counter as it is" 18446744073709551615 mpio_stat two 8:64 bytes
is "later: the first 4 of 5 counters" 4 mpio_stat later 8:0 lat_us
is "one: ios summed" 478 mpio_stat_sum one ios
is "two: errors summed" 8 mpio_stat_sum two errors
is "two: fail counts summed" 4 mpio_stat_sum two fail_count
is "mpt: fail counts summed without stats" 2 mpio_stat_sum mpt fail_count
is "empty: nothing to sum" 0 mpio_stat_sum empty ios
says "mpt: no stats section" 1 "no stats section" mpio_stat mpt 8:16 ios
says "mpt: no stats to sum" 1 "no stats section" mpio_stat_sum mpt errors

echo "### map: groups, queue_io, pg_init, queueing"
is "one: current group" 1 mpio_cur_group one
is "two: current group 2" 2 mpio_cur_group two
is "hw: current group, after the handler's words" 1 mpio_cur_group hw
is "later: current group, after a third leading word and handler words" 1 mpio_cur_group later
is "two: group 1 enabled" E mpio_group_state two 1
is "two: group 2 active" A mpio_group_state two 2
is "hw: group 2 enabled" E mpio_group_state hw 2
says "two: no group 3" 1 "no group 3" mpio_group_state two 3
is "one: queue_io 0" 0 mpio_queue_io one
is "mpt: queue_io 1" 1 mpio_queue_io mpt
is "hw: pg_init_count 4" 4 mpio_pg_init_count hw
is "one: queueing off" off mpio_queueing one
is "two: queueing on" on mpio_queueing two
is "later: queueing expired, a later section after it" expired mpio_queueing later
says "mpt: no queueing section" 1 "no queueing section" mpio_queueing mpt
is "later: 3 writes quiesced, a later section after it" 3 mpio_quiesced later
says "one: no quiesced section (an older module)" 1 "no quiesced section" mpio_quiesced one
is "mpt and mpo: the same multipath layout" "$(mpio_info_base mpt)" mpio_info_base mpo
is "mpo: the multipath words alone" "2 1 0 0 1 1 A 0 2 1 8:16 F 1 0 8:32 F 1 0" mpio_info_base mpo

echo "### table: paths, groups, args, features, handler, selectors"
is "one: 2 paths" 2 mpio_npaths one
is "two: 3 paths" 3 mpio_npaths two
is "two: 2 groups" 2 mpio_ngroups two
is "empty: 0 paths" 0 mpio_npaths empty
is "empty: 0 groups" 0 mpio_ngroups empty
ok "two: 68:16 is in the table" mpio_has_path two 68:16
nok "two: 8:16 is not" 1 mpio_has_path two 8:16
nok "a gone node is in no table" 1 mpio_has_path two /dev/no-such-disk
is "one: the weight of 8:16 as its per-path arg" 1 mpio_path_args one 8:16
is "one: the weight of 8:32" 3 mpio_path_args one 8:32
is "two: service-time args of 8:48" "1 5" mpio_path_args two 8:48
is "two: no_path_timeout's value" 30 mpio_feature two no_path_timeout
is "two: queue_mode's value" rq mpio_feature two queue_mode
ok "two: queue_if_no_path" mpio_feature two queue_if_no_path
nok "one: no queue_if_no_path" 1 mpio_feature one queue_if_no_path
nok "a value is not a feature" 1 mpio_feature two rq
is "hw: pg_init_delay_msecs' value" 200 mpio_feature hw pg_init_delay_msecs
is "hw: the handler and its args" "emc 1 0" mpio_hw_handler hw
is "one: no handler" "" mpio_hw_handler one
is "two: a selector per group" $'service-time\nservice-time' mpio_selectors two
is "mpt: the multipath target's table" queue-length mpio_selectors mpt

echo "### checks"
ok "mpio_path_is: several paths" mpio_path_is two A 8:64 68:16
nok "mpio_path_is: one of them differs" 1 mpio_path_is two A 8:64 8:48
nok "mpio_path_is: a path not in the map" 1 mpio_path_is two A 8:16
ok "mpio_has_features: flag and value" mpio_has_features two queue_if_no_path no_path_timeout=30
nok "mpio_has_features: another value" 1 mpio_has_features two no_path_timeout=8
ok "mpio_has_features: an absent feature" mpio_has_features one '!queue_if_no_path' queue_mode=bio
nok "mpio_has_features: absent, but there" 1 mpio_has_features mpt '!queue_if_no_path'
nok "mpio_has_features: absent from no map is not true" 1 mpio_has_features nomap '!queue_if_no_path'
ok "mpio_uses" mpio_uses two service-time
ok "mpio_uses: none uses it" mpio_uses two '!queue-length'
nok "mpio_uses: one does" 1 mpio_uses mpt '!queue-length'
ok "npaths_is" npaths_is two 3
ok "ngroups_is" ngroups_is two 2
ok "cur_group_is" cur_group_is two 2
nok "npaths_is: another count" 1 npaths_is two 2
nok "npaths_is 0 of no map is false" 1 npaths_is nomap 0
ok "first_dev_is" first_dev_is two 8:48
nok "first_dev_is: the second" 1 first_dev_is two 8:64
# With a block device at hand, DEV may be its node.
node=""
for n in /dev/loop0 /dev/sda /dev/vda /dev/nvme0n1 /dev/ram0 /dev/*; do [ -b "$n" ] && { node=$n; break; }; done
if [ -n "$node" ]; then
	num=$(devnum "$node")
	TABLE[node]="0 2097152 mpio 0 0 1 1 round-robin 0 1 0 $num "
	STATUS[node]="0 2097152 mpio 2 0 0 0 1 1 A 0 1 0 $num F 9 stats 1 4 $num 1 2 3 4 queueing off"
	is "a node for DEV ($node, $num): state" F mpio_path_state node "$node"
	is "a node for DEV: fail count" 9 mpio_fail_count node "$node"
	ok "first_dev_is with a node" first_dev_is node "$node"
	is "mpio_table: a node becomes major:minor" "0 2097152 mpio 0 0 1 1 round-robin 0 1 0 $num" mpio_table round-robin "$node"
fi

echo "### where the old greps went wrong"
# grep "8:16 F" on hw's status: "68:16 F" matches.
ok "hw: 68:16 F fools a grep for 8:16 F" grep -q '8:16 F' <<<"${STATUS[hw]}"
nok "hw: mpio_path_is says 8:16 is not F" 1 mpio_path_is hw F 8:16
# grep " A " as "no usable path": the group's letter matches.
ok "down: ' A ' is in the status" grep -q ' A ' <<<"${STATUS[down]}"
is "down: no usable path" "" mpio_paths down A
# Groups counted by a list of selector names miss the others.
is "later: a historical-service-time group counts" 1 mpio_ngroups later
# npaths_is NAME 0 once held for a map that was gone.
says "a missing map is an error" 2 "Device does not exist" mpio_npaths nomap

echo "### lines off the layout"
bad() { # bad WHAT LINE TEXT: the INFO status LINE fails (2) saying TEXT
	STATUS[bad]=$2
	says "$1" 2 "$3" mpio_path_state bad 8:0
}
bad "cut short" "0 100 mpio" "the line ends before the feature count"
bad "fewer than 2 leading words" "0 100 mpio 1 0 0 0 0" "fewer than 2 leading words"
bad "a count that is not one" "0 100 mpio 2 0 0 x 1 1 A 0 1 0 8:0 A 0" "not a whole number: x"
bad "current group beyond the groups" "0 100 mpio 2 0 0 0 1 2 A 0 1 0 8:0 A 0" "current group 2 of 1"
bad "a bad group state" "0 100 mpio 2 0 0 0 1 1 X 0 1 0 8:0 A 0" "not a group state: X"
bad "selector words run out" "0 100 mpio 2 0 0 0 1 1 A 5 a b" "ends before a selector word"
bad "a bad device" "0 100 mpio 2 0 0 0 1 1 A 0 1 0 8-0 A 0" "not major:minor: 8-0"
bad "a bad path state" "0 100 mpio 2 0 0 0 1 1 A 0 1 0 8:0 B 0" "not a path state: B"
bad "a negative fail count" "0 100 mpio 2 0 0 0 1 1 A 0 1 0 8:0 A -1" "not a whole number: -1"
bad "info words run out" "0 100 mpio 2 0 0 0 1 1 A 0 1 2 8:0 A 0 1" "ends before a per-path word"
bad "a group missing" "0 100 mpio 2 0 0 0 2 1 A 0 1 0 8:0 A 0" "ends before a group state"
bad "a path twice" "0 100 mpio 2 0 0 0 1 1 A 0 2 0 8:0 A 0 8:0 A 0" "path 8:0 twice"
bad "stats cut short" "0 100 mpio 2 0 0 0 1 1 A 0 1 0 8:0 A 0 stats 1 4 8:0 1 2 3" "ends before a counter"
bad "stats of another count of paths" "0 100 mpio 2 0 0 0 1 1 A 0 1 0 8:0 A 0 stats 2 4 8:0 1 2 3 4" "stats of 2 paths in a map of 1"
bad "stats of 3 counters" "0 100 mpio 2 0 0 0 1 1 A 0 1 0 8:0 A 0 stats 1 3 8:0 1 2 3" "stats of 3 counters"
bad "stats of another device" "0 100 mpio 2 0 0 0 1 1 A 0 1 0 8:0 A 0 stats 1 4 8:16 1 2 3 4" "stats of 8:16, no path"
bad "a counter that is not a number" "0 100 mpio 2 0 0 0 1 1 A 0 1 0 8:0 A 0 stats 1 4 8:0 1 2 x 4" "not a whole number: x"
bad "queueing cut short" "0 100 mpio 2 0 0 0 1 1 A 0 1 0 8:0 A 0 queueing" "ends before the queueing state"
TABLE[bad]="0 100 mpio 0 0 1 1 round-robin 0 1 0 8:0 extra"
says "table: words after the last group" 2 "words after the last group" mpio_npaths bad
says "a linear map" 2 "not a map of the mpio or multipath target" mpio_path_state lin 8:16
says "a linear table" 2 "not a map of the mpio or multipath target" mpio_npaths lin
says "an empty map name" 2 "no map name" mpio_npaths ""

echo "### the table builder"
is "one group, queue_mode" "0 2097152 mpio 2 queue_mode bio 0 1 1 round-robin 0 2 0 8:16 8:32" \
	mpio_table -f "queue_mode bio" round-robin 8:16 8:32
is "a handler, two groups" \
	"0 2097152 mpio 6 queue_mode rq pg_init_retries 3 pg_init_delay_msecs 200 1 alua 2 1 round-robin 0 1 0 8:16 round-robin 0 1 0 8:32" \
	mpio_table -f "queue_mode rq pg_init_retries 3 pg_init_delay_msecs 200" -h alua round-robin 8:16 -g round-robin 8:32
is "per-path args" "0 2097152 mpio 0 0 1 1 service-time 0 2 2 8:16 1 1 8:32 1 0" \
	mpio_table service-time "8:16 1 1" "8:32 1 0"
is "selector args, handler args" "0 2097152 mpio 1 queue_if_no_path 3 emc 1 0 1 1 historical-service-time 2 900 4 1 1 8:16 1" \
	mpio_table -f queue_if_no_path -h "emc 1 0" "historical-service-time 900 4" "8:16 1"
is "the multipath target" "0 2097152 multipath 0 0 1 1 round-robin 0 2 1 8:16 1 8:32 1" \
	mpio_table -t multipath round-robin "8:16 1" "8:32 1"
TABLE[built]=$(mpio_table -f "queue_if_no_path no_path_timeout 8" -h alua "service-time" "8:16 1 1" -g round-robin "8:32" "8:48")
is "a built table reads back: paths" 3 mpio_npaths built
is "a built table reads back: groups" $'service-time\nround-robin' mpio_selectors built
ok "a built table reads back: features" mpio_has_features built queue_if_no_path no_path_timeout=8
is "a built table reads back: handler" alua mpio_hw_handler built
is "a built table reads back: args" "1 1" mpio_path_args built 8:16

echo "### wrong calls end the test"
says "mpio_stat: unknown field" 1 "mpio_stat: unknown field iops" mpio_stat one 8:16 iops
says "mpio_stat: missing field" 1 "usage: mpio_stat NAME DEV" mpio_stat one 8:16
says "mpio_path_state: no device" 1 "usage: mpio_path_state NAME DEV" mpio_path_state one
says "mpio_stat_sum: a mean is not summed" 1 "cannot sum lat_us" mpio_stat_sum one lat_us
says "mpio_paths: bad state" 1 "state A or F, not X" mpio_paths one X
says "mpio_group_state: groups count from 1" 1 "groups count from 1, not 0" mpio_group_state one 0
says "mpio_path_is: bad state" 1 "state A or F, not Z" mpio_path_is one Z 8:16
says "mpio_path_is: no device" 1 "usage: mpio_path_is" mpio_path_is one A
says "mpio_has_features: a value of an absent one" 1 "a value of an absent feature" mpio_has_features one '!x=1'
says "a DEV that is neither" 1 "neither a block device nor major:minor" mpio_path_state one /dev/no-such-disk
says "mpio_table: nothing" 1 "usage: mpio_table" mpio_table
says "mpio_table: option without value" 1 "-f needs a value" mpio_table -f
says "mpio_table: unknown option" 1 "unknown option -x" mpio_table -x 1 round-robin 8:16
says "mpio_table: a group without paths" 1 "has no path" mpio_table round-robin -g round-robin 8:16
says "mpio_table: -g at the end" 1 "-g without a group" mpio_table round-robin 8:16 -g
says "mpio_table: paths differ in their args" 1 "differ in their number of args" mpio_table round-robin "8:16 1" 8:32
says "mpio_table: no device" 1 "no device /dev/no-such-disk" mpio_table round-robin /dev/no-such-disk

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
