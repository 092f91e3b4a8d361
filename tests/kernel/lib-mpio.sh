# shellcheck shell=bash
# Helpers for dm-mpio maps: the target, tables, and the one reader of a
# map's status and table. Source after tests/vm/lib.sh (t_fail, settle,
# devnum, _sectors); tests/integration/lib-mpiod.sh sources it.
#
#   mpio_load                      modprobe dm-mpio, check the target is there
#   mpio_create NAME TABLE         dmsetup create + settle, or fail the test
#   mpio_remove NAME               dmsetup remove (retrying while busy)
#   mpio_msg NAME MSG...           dmsetup message NAME 0 MSG...
#   mpio_table [-t TARGET] [-f FEATURES] [-h HANDLER] SEL PATH... [-g SEL PATH...]...
#                                  a table line (target mpio unless -t): a group
#                                  per SEL ("SELECTOR [ARG...]") with its PATHs
#                                  ("DEV [ARG...]"), sized after the first path
#   fio_ok ARGS...                 run fio, fail the check on errors
#
# Reading a map. NAME is a map of the mpio target or of the kernel's
# multipath target (the same layout without mpio's sections), DEV a node or
# major:minor. What is asked for and is not there (a path, a group, a
# section of the status) fails with status 1 and a message on stderr; so do
# mpio_has_path and mpio_feature, without the message: "no" is an answer
# there. A missing map or a line off the layout fails with 2 and a message;
# a wrong call ends the test (t_fail).
#   mpio_path_state NAME DEV       A (active) or F (failed)
#   mpio_path_group NAME DEV       the group of DEV, from 1
#   mpio_fail_count NAME DEV       how often the target failed DEV
#   mpio_stat NAME DEV FIELD       a counter of DEV (section "stats"):
#                                  ios|bytes|errors|lat_us (mean latency in us)
#   mpio_stat_sum NAME FIELD       ios|bytes|errors|fail_count summed over the paths
#   mpio_paths NAME [A|F]          the paths in table order (those in that state)
#   mpio_cur_group NAME            the current (or next) group, from 1
#   mpio_group_state NAME N        group N: A (active), E (enabled) or D (disabled)
#   mpio_queue_io NAME             1 while the target holds I/O, else 0
#   mpio_pg_init_count NAME        group activations (pg_init) since the load
#   mpio_queueing NAME             on, off or expired (section "queueing")
#   mpio_quiesced NAME             writes held out their quiesce time now
#                                  (section "quiesced", write_quiesce_ms)
#   mpio_info_base NAME            the INFO words of the multipath layout alone
#   mpio_npaths NAME               the number of paths in the table
#   mpio_ngroups NAME              the number of groups in the table
#   mpio_has_path NAME DEV         DEV is in the table
#   mpio_path_args NAME DEV        the table's per-path args of DEV
#   mpio_feature NAME FEATURE      FEATURE is in the table; prints its value if it takes one
#   mpio_hw_handler NAME           the table's hardware handler and its args (empty: none)
#   mpio_selectors NAME            the selector of each group, one per line
# Checks to poll with wait_for
#   mpio_path_is NAME A|F DEV...   every DEV is in that state
#   mpio_has_features NAME [!]FEATURE[=VALUE]...
#                                  the table has each FEATURE (with that value)
#                                  and no !FEATURE
#   mpio_uses NAME [!]SELECTOR     a group uses SELECTOR (with !: none does)
#   npaths_is NAME N, ngroups_is NAME N, cur_group_is NAME N
#   first_dev_is NAME DEV          DEV is the first path of the first group

mpio_load() {
	modprobe dm-mpio || t_fail "modprobe dm-mpio failed"
	dmsetup targets | grep -q '^mpio ' || t_fail "target mpio not registered"
}

mpio_create() {
	dmsetup create "$1" --table "$2" || t_fail "dmsetup create $1 '$2' failed"
	settle
}

mpio_remove() {
	local i
	for ((i = 0; i < 50; i++)); do
		dmsetup remove "$1" 2>/dev/null && return 0
		sleep 0.2
	done
	t_fail "cannot remove $1"
}

mpio_msg() {
	local name=$1
	shift
	dmsetup message "$name" 0 "$@"
}

# The counts of the grammar (above mpio_ctr() in kernel/mpio-target.c) are
# computed here, so that a test names only what it means; the initial group
# is always the first. tests/kernel/test-table-matrix.sh writes its tables
# by hand instead: there the words themselves are under test.
mpio_table() {
	local target=mpio feat="" hw="" size="" ng=1 np nargs a dev
	local -a out sel path grp
	while [ $# -gt 0 ]; do
		case $1 in
		-t | -f | -h)
			[ $# -ge 2 ] || t_fail "mpio_table: $1 needs a value"
			case $1 in -t) target=$2 ;; -f) feat=$2 ;; -h) hw=$2 ;; esac
			shift 2
			;;
		-g) t_fail "mpio_table: -g before the first group" ;;
		-*) t_fail "mpio_table: unknown option $1" ;;
		*) break ;;
		esac
	done
	[ $# -gt 0 ] || t_fail "usage: mpio_table [-t TARGET] [-f FEATURES] [-h HANDLER] SEL PATH... [-g SEL PATH...]..."
	for a in "$@"; do [ "$a" = -g ] && ng=$((ng + 1)); done
	read -ra sel <<<"$feat"
	out=(0 SIZE "$target" ${#sel[@]} "${sel[@]}")
	read -ra sel <<<"$hw"
	out+=(${#sel[@]} "${sel[@]}" "$ng" 1)
	while [ $# -gt 0 ]; do
		read -ra sel <<<"$1"
		if [ ${#sel[@]} = 0 ] || [ "$1" = -g ]; then
			t_fail "mpio_table: a group without a selector"
		fi
		shift
		np=0 nargs="" grp=()
		while [ $# -gt 0 ] && [ "$1" != -g ]; do
			read -ra path <<<"$1"
			[ ${#path[@]} -gt 0 ] || t_fail "mpio_table: an empty path in the group of ${sel[0]}"
			dev=$(_mpio_dev "${path[0]}") || t_fail "mpio_table: no device ${path[0]}"
			[ -z "$nargs" ] || [ "$nargs" = $((${#path[@]} - 1)) ] ||
				t_fail "mpio_table: the paths of a ${sel[0]} group differ in their number of args"
			nargs=$((${#path[@]} - 1)) np=$((np + 1))
			grp+=("$dev" "${path[@]:1}")
			if [ -z "$size" ]; then
				[ -b "${path[0]}" ] || path[0]=/dev/block/$dev
				size=$(_sectors "${path[0]}") || exit 1
			fi
			shift
		done
		[ "$np" -gt 0 ] || t_fail "mpio_table: the group of ${sel[0]} has no path"
		out+=("${sel[0]}" $((${#sel[@]} - 1)) "${sel[@]:1}" "$np" "$nargs" "${grp[@]}")
		if [ $# -gt 0 ]; then
			shift
			[ $# -gt 0 ] || t_fail "mpio_table: -g without a group"
		fi
	done
	out[1]=$size
	echo "${out[*]}"
}

# ---- reading a map's status and table ---------------------------------------
# One awk program walks either layout word by word, as kernel/README.md and
# the comments above mpio_status() and mpio_ctr() describe them: the counted
# words (features, hardware handler, groups, paths) by their counts, then,
# in the INFO status, mpio's sections by name ("stats", "queueing",
# "quiesced"; a word of none of them starts a later section, which is left
# unread). It answers the
# query q (arguments a1, a2) about the first line of the mpio or multipath
# target; a line that does not follow the layout is an error, not a guess.
# Counters stay strings: they are 64-bit, more than awk's numbers hold exactly.
# shellcheck disable=SC2016 # the $ are awk's
_MPIO_WALK='
function bad(what) {
	printf "%s: dmsetup %s: %s, at word %d of: %s\n", name, kind, what, i, $0 >"/dev/stderr"
	exit 2
}
# What was asked for is not there.
function gone(what) {
	printf "%s: %s\n", name, what >"/dev/stderr"
	exit 1
}
function word(what) {
	if (i > NF)
		bad("the line ends before " what)
	return $(i++)
}
function counter(what,   w) {
	w = word(what)
	if (w !~ /^[0-9]+$/)
		bad(what " is not a whole number: " w)
	return w
}
function count(what) {
	return counter(what) + 0
}
function dev(   w) {
	w = word("a path device")
	if (w !~ /^[0-9]+:[0-9]+$/)
		bad("a path device is not major:minor: " w)
	return w
}
# Counter k of the "stats" section, by name.
function statidx(f) {
	return f == "ios" ? 1 : f == "bytes" ? 2 : f == "errors" ? 3 : f == "lat_us" ? 4 : 0
}
function walk(   n, g, p, k, d, c, w, nsel, npp) {
	i = 4
	n = count("the feature count")
	if (kind == "status") {
		# INFO: 2 <queue_io> <pg_init_count>; a later kernel may add words.
		if (n < 2)
			bad("fewer than 2 leading words")
		queue_io = counter("queue_io")
		pg_init = counter("pg_init_count")
		for (k = 3; k <= n; k++)
			word("a leading word")
	} else {
		for (k = 1; k <= n; k++)
			feat[k] = word("a feature")
		nfeat = n
	}
	n = count("the hardware handler word count")
	for (k = 1; k <= n; k++)
		hw = hw (k > 1 ? " " : "") word("a hardware handler word")
	ngroups = count("the group count")
	cur = count("the current group")
	if (cur > ngroups)
		bad("current group " cur " of " ngroups)
	for (g = 1; g <= ngroups; g++) {
		if (kind == "status") {
			gstate[g] = word("a group state")
			if (gstate[g] !~ /^[ADE]$/)
				bad("not a group state: " gstate[g])
		} else
			gsel[g] = word("a selector")
		nsel = count("the selector word count")
		for (k = 1; k <= nsel; k++)
			word("a selector word")
		n = count("the path count")
		npp = count("the per-path word count")
		for (p = 1; p <= n; p++) {
			d = dev()
			if (d in pgroup)
				bad("path " d " twice")
			paths[++npaths] = d
			pgroup[d] = g
			pargs[d] = ""
			if (kind == "status") {
				pstate[d] = word("a path state")
				if (pstate[d] !~ /^[AF]$/)
					bad("not a path state: " pstate[d])
				pfails[d] = counter("a fail count")
			}
			for (k = 1; k <= npp; k++)
				pargs[d] = pargs[d] (k > 1 ? " " : "") word("a per-path word")
		}
	}
	baseend = i - 1
	if (kind == "table") {
		if (i <= NF)
			bad("words after the last group")
		return
	}
	while (i <= NF) {
		if ($i == "stats") {
			i++
			n = count("the stats path count")
			c = count("the counter count")
			if (n != npaths)
				bad("stats of " n " paths in a map of " npaths)
			if (c < 4)
				bad("stats of " c " counters, not 4")
			for (p = 1; p <= n; p++) {
				d = dev()
				if (!(d in pgroup))
					bad("stats of " d ", no path of the map")
				for (k = 1; k <= c; k++) {
					w = counter("a counter")
					if (k <= 4)
						stat[d, k] = w
				}
			}
			hasstats = 1
		} else if ($i == "queueing") {
			i++
			queueing = word("the queueing state")
		} else if ($i == "quiesced") {
			i++
			quiesced = counter("the quiesced count")
		} else
			break
	}
}
function answer(   k, s, v) {
	if (q == "path") {
		if (!(a1 in pgroup))
			gone("no path " a1)
		if (a2 == "state")
			print pstate[a1]
		else if (a2 == "group")
			print pgroup[a1]
		else if (a2 == "fail_count")
			print pfails[a1]
		else if (!hasstats)
			gone("no stats section in the status")
		else
			print stat[a1, statidx(a2)]
	} else if (q == "sum") {
		if (a1 != "fail_count" && !hasstats)
			gone("no stats section in the status")
		for (k = 1; k <= npaths; k++)
			s += a1 == "fail_count" ? pfails[paths[k]] : stat[paths[k], statidx(a1)]
		printf "%.0f\n", s
	} else if (q == "paths") {
		for (k = 1; k <= npaths; k++)
			if (a1 == "" || pstate[paths[k]] == a1)
				print paths[k]
	} else if (q == "has")
		exit !(a1 in pgroup)
	else if (q == "args") {
		if (!(a1 in pgroup))
			gone("no path " a1)
		print pargs[a1]
	}
	else if (q == "npaths")
		print npaths + 0
	else if (q == "ngroups")
		print ngroups
	else if (q == "cur_group")
		print cur
	else if (q == "group_state") {
		if (a1 > ngroups)
			gone("no group " a1 " (" ngroups " groups)")
		print gstate[a1]
	} else if (q == "queue_io")
		print queue_io
	else if (q == "pg_init_count")
		print pg_init
	else if (q == "queueing") {
		if (queueing == "")
			gone("no queueing section in the status")
		print queueing
	} else if (q == "quiesced") {
		if (quiesced == "")
			gone("no quiesced section in the status")
		print quiesced
	} else if (q == "base") {
		s = $4
		for (k = 5; k <= baseend; k++)
			s = s " " $k
		print s
	} else if (q == "feature") {
		for (k = 1; k <= nfeat; k++) {
			v = feat[k] ~ /^(no_path_timeout|pg_init_retries|pg_init_delay_msecs|queue_mode|write_quiesce_ms)$/
			if (feat[k] == a1) {
				if (v)
					print feat[k + 1]
				exit 0
			}
			k += v
		}
		exit 1
	} else if (q == "hw_handler")
		print hw
	else if (q == "selectors")
		for (k = 1; k <= ngroups; k++)
			print gsel[k]
	else
		bad("unknown query " q)
}
$3 == "mpio" || $3 == "multipath" {
	found = 1
	walk()
	answer()
	exit 0
}
END {
	if (!found) {
		printf "%s: not a map of the mpio or multipath target: %s\n", name, $0 >"/dev/stderr"
		exit 2
	}
}
'

# _mpio_walk status|table NAME QUERY [A1 [A2]]: dmsetup's INFO status or
# table of NAME through _MPIO_WALK.
_mpio_walk() {
	local kind=$1 name=$2 out
	[ -n "$name" ] || { echo "$3: no map name" >&2; return 2; }
	out=$(dmsetup "$kind" "$name" 2>&1) || {
		echo "$name: dmsetup $kind failed: $out" >&2
		return 2
	}
	awk -v kind="$kind" -v name="$name" -v q="$3" -v a1="${4:-}" -v a2="${5:-}" \
		"$_MPIO_WALK" <<<"$out"
}
# _mpio_need N USAGE ARGS...: end the test unless there are N ARGS.
_mpio_need() {
	local n=$1 usage=$2
	shift 2
	[ $# = "$n" ] || t_fail "usage: $usage (called with $#: $*)"
}
# _mpio_dev DEV: DEV as major:minor, from a block device node or as it is.
_mpio_dev() {
	if [[ $1 =~ ^[0-9]+:[0-9]+$ ]]; then
		echo "$1"
	elif [ -b "$1" ]; then
		devnum "$1"
	else
		echo "$1: neither a block device nor major:minor" >&2
		return 1
	fi
}
# _mpio_path NAME DEV FIELD: a field of DEV's entries in the INFO status.
_mpio_path() {
	local dev
	dev=$(_mpio_dev "$2") || return 1
	_mpio_walk status "$1" path "$dev" "$3"
}

mpio_path_state() { _mpio_need 2 "mpio_path_state NAME DEV" "$@"; _mpio_path "$1" "$2" state; }
mpio_path_group() { _mpio_need 2 "mpio_path_group NAME DEV" "$@"; _mpio_path "$1" "$2" group; }
mpio_fail_count() { _mpio_need 2 "mpio_fail_count NAME DEV" "$@"; _mpio_path "$1" "$2" fail_count; }
mpio_stat() {
	_mpio_need 3 "mpio_stat NAME DEV ios|bytes|errors|lat_us" "$@"
	case $3 in ios | bytes | errors | lat_us) ;; *) t_fail "mpio_stat: unknown field $3" ;; esac
	_mpio_path "$1" "$2" "$3"
}
mpio_stat_sum() {
	_mpio_need 2 "mpio_stat_sum NAME ios|bytes|errors|fail_count" "$@"
	case $2 in ios | bytes | errors | fail_count) ;; *) t_fail "mpio_stat_sum: cannot sum $2" ;; esac
	_mpio_walk status "$1" sum "$2"
}
mpio_paths() {
	[ $# = 1 ] || [ $# = 2 ] || t_fail "usage: mpio_paths NAME [A|F] (called with $#: $*)"
	case ${2-A} in A | F) ;; *) t_fail "mpio_paths: state A or F, not $2" ;; esac
	_mpio_walk status "$1" paths "${2:-}"
}
mpio_cur_group() { _mpio_need 1 "mpio_cur_group NAME" "$@"; _mpio_walk status "$1" cur_group; }
mpio_group_state() {
	_mpio_need 2 "mpio_group_state NAME N" "$@"
	[[ $2 =~ ^[1-9][0-9]*$ ]] || t_fail "mpio_group_state: groups count from 1, not $2"
	_mpio_walk status "$1" group_state "$2"
}
mpio_queue_io() { _mpio_need 1 "mpio_queue_io NAME" "$@"; _mpio_walk status "$1" queue_io; }
mpio_pg_init_count() { _mpio_need 1 "mpio_pg_init_count NAME" "$@"; _mpio_walk status "$1" pg_init_count; }
mpio_queueing() { _mpio_need 1 "mpio_queueing NAME" "$@"; _mpio_walk status "$1" queueing; }
mpio_quiesced() { _mpio_need 1 "mpio_quiesced NAME" "$@"; _mpio_walk status "$1" quiesced; }
mpio_info_base() { _mpio_need 1 "mpio_info_base NAME" "$@"; _mpio_walk status "$1" base; }
mpio_npaths() { _mpio_need 1 "mpio_npaths NAME" "$@"; _mpio_walk table "$1" npaths; }
mpio_ngroups() { _mpio_need 1 "mpio_ngroups NAME" "$@"; _mpio_walk table "$1" ngroups; }
mpio_has_path() {
	local dev
	_mpio_need 2 "mpio_has_path NAME DEV" "$@"
	# A node gone (a deleted path) is in no table.
	dev=$(_mpio_dev "$2" 2>/dev/null) && _mpio_walk table "$1" has "$dev"
}
mpio_path_args() {
	local dev
	_mpio_need 2 "mpio_path_args NAME DEV" "$@"
	dev=$(_mpio_dev "$2") || return 1
	_mpio_walk table "$1" args "$dev"
}
mpio_feature() {
	_mpio_need 2 "mpio_feature NAME FEATURE" "$@"
	[ -n "$2" ] || t_fail "mpio_feature: no feature named"
	_mpio_walk table "$1" feature "$2"
}
mpio_hw_handler() { _mpio_need 1 "mpio_hw_handler NAME" "$@"; _mpio_walk table "$1" hw_handler; }
mpio_selectors() { _mpio_need 1 "mpio_selectors NAME" "$@"; _mpio_walk table "$1" selectors; }

mpio_path_is() {
	[ $# -ge 3 ] || t_fail "usage: mpio_path_is NAME A|F DEV... (called with $#: $*)"
	local name=$1 state=$2 d
	case $state in A | F) ;; *) t_fail "mpio_path_is: state A or F, not $state" ;; esac
	shift 2
	for d in "$@"; do
		[ "$(mpio_path_state "$name" "$d")" = "$state" ] || return 1
	done
}
# Status 1 from mpio_feature is "not in the table"; 2, no table to ask.
mpio_has_features() {
	[ $# -ge 2 ] || t_fail "usage: mpio_has_features NAME [!]FEATURE[=VALUE]... (called with $#: $*)"
	local name=$1 f want v rc
	shift
	for f in "$@"; do
		want=${f#!}
		want=${want%%=*}
		case $f in !*=*) t_fail "mpio_has_features: $f: a value of an absent feature" ;; esac
		v=$(mpio_feature "$name" "$want")
		rc=$?
		case $f in
		!*) [ "$rc" = 1 ] || return 1 ;;
		*=*) [ "$rc" = 0 ] && [ "$v" = "${f#*=}" ] || return 1 ;;
		*) [ "$rc" = 0 ] || return 1 ;;
		esac
	done
}
mpio_uses() {
	local sels
	_mpio_need 2 "mpio_uses NAME [!]SELECTOR" "$@"
	sels=$(mpio_selectors "$1") || return 1
	case $2 in
	!*) ! grep -qx -- "${2#!}" <<<"$sels" ;;
	*) grep -qx -- "$2" <<<"$sels" ;;
	esac
}
npaths_is() { _mpio_need 2 "npaths_is NAME N" "$@"; test "$(mpio_npaths "$1")" = "$2"; }
ngroups_is() { _mpio_need 2 "ngroups_is NAME N" "$@"; test "$(mpio_ngroups "$1")" = "$2"; }
cur_group_is() { _mpio_need 2 "cur_group_is NAME N" "$@"; test "$(mpio_cur_group "$1")" = "$2"; }
first_dev_is() {
	local dev
	_mpio_need 2 "first_dev_is NAME DEV" "$@"
	dev=$(_mpio_dev "$2") || return 1
	test "$(mpio_paths "$1" | head -n1)" = "$dev"
}

fio_ok() {
	local log=/tmp/fio.$$.log
	if fio --output-format=terse --terse-version=3 "$@" >"$log" 2>&1; then
		return 0
	fi
	cat "$log" >&2
	return 1
}
