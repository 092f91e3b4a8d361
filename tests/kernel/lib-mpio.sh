# shellcheck shell=bash
# Helpers for the dm-mpio kernel tests; source after tests/vm/lib.sh.
#
#   mpio_load                      modprobe dm-mpio, check the target is there
#   mpio_create NAME TABLE         dmsetup create + settle, or fail the test
#   mpio_remove NAME               dmsetup remove (retrying while busy)
#   mpio_stat NAME DEV FIELD       a counter of DEV from the status "stats"
#                                  section: ios|bytes|errors|lat_us
#   mpio_info_word NAME N          word N (0-based) of the INFO status
#   mpio_queueing NAME             the INFO status "queueing" word: on, off or
#                                  expired (empty if the status has none)
#   mpio_msg NAME MSG...           dmsetup message NAME 0 MSG...
#   mpio_table SEL SELARGS PPARGS DEV...  one-group table line; PPARGS is a
#                                  list of per-path args, "" for none, or a
#                                  function name called with the index
#   fio_ok ARGS...                 run fio, fail the check on errors

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

# The stats section: "... stats <#paths> 4 <dev> <ios> <bytes> <errors> <lat_us> ..."
mpio_stat() {
	local name=$1 dev=$2 field=$3 idx
	case $field in
	ios) idx=1 ;; bytes) idx=2 ;; errors) idx=3 ;; lat_us) idx=4 ;;
	*) t_fail "mpio_stat: unknown field $field" ;;
	esac
	dmsetup status "$name" | awk -v d="$(devnum "$dev")" -v i="$idx" '{
		for (s = 1; s <= NF; s++) if ($s == "stats") break
		for (k = s + 3; k <= NF; k += 5) if ($k == d) { print $(k + i); exit }
	}'
}

mpio_info_word() {
	dmsetup status "$1" | awk -v n="$2" '{ print $(n + 4) }'
}

mpio_queueing() {
	dmsetup status "$1" | awk '{ for (s = 1; s < NF; s++) if ($s == "queueing") { print $(s + 1); exit } }'
}

# mpio_table SEL "SELARGS" "PATHARG" DEV...: one group; PATHARG is appended
# to every path (may be empty).
mpio_table() {
	local sel=$1 selargs=$2 parg=$3 d nsel=0 nparg=0
	shift 3
	[ -n "$selargs" ] && nsel=$(wc -w <<<"$selargs")
	[ -n "$parg" ] && nparg=$(wc -w <<<"$parg")
	printf '0 %s mpio 0 0 1 1 %s %d %s %d %d' "$(_sectors "$1")" "$sel" "$nsel" \
		"$selargs" $# "$nparg"
	for d in "$@"; do printf ' %s %s' "$(devnum "$d")" "$parg"; done
	echo
}

fio_ok() {
	local log=/tmp/fio.$$.log
	if fio --output-format=terse --terse-version=3 "$@" >"$log" 2>&1; then
		return 0
	fi
	cat "$log" >&2
	return 1
}
