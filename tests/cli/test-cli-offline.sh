#!/bin/bash
# shellcheck disable=SC2015 # pass never fails: 'test && pass || fail' is fine
# multipathctl commands that need neither mpiod nor device-mapper, run on the
# host against the built binary: config check on each seeded error, claim
# add/remove/list round trips that keep comments, show config origins, JSON
# output, exit codes and colour rules. Ends with "N passed, N failed" and
# exits non-zero if anything failed.
#
#   tests/cli/test-cli-offline.sh            (MULTIPATHCTL=path overrides the binary)
set -uo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
CTL=${MULTIPATHCTL:-$SRC/multipathctl/multipathctl}
FIX=$SRC/tests/unit/fixtures
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
unset NO_COLOR
export MPIO_PIDFILE=$TMP/no-such.pid

RUN=$CTL
# shellcheck source=tests/lib-host.sh
. "$SRC/tests/lib-host.sh"

# jq_is NAME FILTER VALUE: jq FILTER on stdout of the last run gives VALUE
# (strings raw, objects and arrays on one line).
jq_is() {
	local got
	got=$(jq -rc "$2" "$TMP/out" 2>&1)
	if [ "$got" = "$3" ]; then pass; else fail "$1: jq '$2' gave '$got', expected '$3'"; fi
}

[ -x "$CTL" ] || { echo "no binary at $CTL (make -C multipathctl)" >&2; exit 1; }
command -v jq >/dev/null || { echo "jq is needed (make deps)" >&2; exit 1; }

# ---- global options ----
run --version; expect "--version" 0 "multipathctl "
run --help; expect "--help" 0 "Usage: multipathctl"
run frobnicate; expect "unknown command" 2 "" "unknown command 'frobnicate'"
run --frob; expect "unknown option" 2 "" "unknown option '--frob'"
run --json=yaml config check; expect "bad --json mode" 2 "" "invalid --json mode"
run config; expect "config without subcommand" 2
run config check --help; expect "config check --help" 0 "Usage: multipathctl config check"
run config check a b; expect "config check, two arguments" 2 "" "unexpected argument 'b'"

# ---- config check: good ----
run config check "$FIX/config/good"
expect "good config dir" 0 "ok (mpio.conf: yes, 2 drop-ins, supported-devices: none)"
run config check "$SRC/conf"
expect "shipped conf/ dir" 0 "supported-devices: 10 entries"
run config check "$SRC/conf/mpio.conf"; expect "shipped mpio.conf" 0 "mpio.conf: ok"
run config check "$SRC/conf/supported-devices"; expect "shipped list" 0 "ok, 10 entries"
run --json config check "$FIX/config/good"; expect "good --json" 0
jq_is "good --json" '.' '{"ok":true,"errors":[]}'
run --config-dir "$FIX/config/good" config check; expect "--config-dir" 0 "good: ok"
run config check --config-dir="$FIX/config/good"; expect "--config-dir= after the command" 0 "good: ok"

# ---- config check: the fixtures with errors ----
run config check "$FIX/config/bad-dropin"
expect "bad drop-in" 1 "" "bad-dropin/mpio.conf.d/50-dup.conf:4: duplicate [Map] section for WWID 3600a0b800011111, first given at"
run config check "$FIX/config/isdir"
expect "mpio.conf is a directory" 1 "" "isdir/mpio.conf: cannot read: Is a directory"
run config check "$FIX/supported-devices-bad"
expect "bad supported-devices" 1 "" "supported-devices-bad:5: unknown bus type \"infiniband\", expected iscsi, fc or sas"
run config check "$TMP/missing"; expect "missing path" 1 "" "missing: cannot access: No such file or directory"
run --json config check "$FIX/config/bad-dropin"; expect "bad drop-in --json" 1
jq_is "bad --json: ok" '.ok' false
jq_is "bad --json: line" '.errors[0].line' 4
jq_is "bad --json: file" '.errors[0].file | endswith("50-dup.conf")' true
jq_is "bad --json: message" '.errors[0].message | startswith("duplicate [Map]")' true
run --json config check "$FIX/config/isdir"; expect "isdir --json" 1
jq_is "isdir --json: line is null" '.errors[0].line' null
[ ! -s "$TMP/err" ] && pass || fail "--json writes nothing to stderr"

# ---- config check: seeded errors, one file each (line|message|text) ----
i=0
while IFS='|' read -r line msg text; do
	i=$((i + 1))
	printf '%b' "$text" >"$TMP/seed$i.conf"
	run config check "$TMP/seed$i.conf"
	expect "seeded error $i" 1 "" "$TMP/seed$i.conf:$line: $msg"
done <<'EOF'
1|assignment PathChecker= outside of a section|PathChecker=tur\n
4|expected [Section] or Key=Value, got "PathChecker"|# c\n\n[Defaults]\nPathChecker\n
1|unknown section [Blacklist], expected [Defaults], [Device] or [Map]|[Blacklist]\n
2|unknown key "pathchecker" in [Defaults], did you mean PathChecker=?|[Defaults]\npathchecker=tur\n
2|invalid PathSelector= value "rr": expected round-robin, queue-length, service-time, least-blocks, weighted-path, historical-service-time or io-affinity|[Defaults]\nPathSelector=rr\n
2|invalid NoPathRetry= value "0": expected queue, fail or seconds (1..86400)|[Defaults]\nNoPathRetry=0\n
3|Alias= is only valid in [Map], not in [Device]|[Device]\nVendor=X\nAlias=a\n
2|Vendor= value "TOOLONGVE" is 9 characters long, at most 8 are allowed|[Device]\nVendor=TOOLONGVE\n
4|[Device] section has no Vendor=|[Defaults]\nCheckInterval=5\n\n[Device]\nProduct=LUN\n
1|[Map] section has no WWID=|[Map]\nAlias=x\n
6|duplicate [Map] section for WWID 3600a, first given at|[Map]\nWWID=3600a\n\n[Map]\nAlias=y\nWWID=3600a\n
2|control character 0x01 in column 16|[Defaults]\nCheckInterval=5\x01\n
3|NUL character in line|[Defaults]\n\n# a\x00b\n
EOF

# a directory with errors in both the config and the list reports both
mkdir -p "$TMP/both/mpio.conf.d"
printf '[Defaults]\nFailback=never\n' >"$TMP/both/mpio.conf.d/10-x.conf"
printf 'IBM     2145\n"unterminated\n' >"$TMP/both/supported-devices"
run config check "$TMP/both"
expect "errors in config and list: config" 1 "" "both/mpio.conf.d/10-x.conf:2: invalid Failback= value \"never\""
expect "errors in config and list: list" 1 "" "both/supported-devices:2: missing closing quote"
run --json config check "$TMP/both"; jq_is "both --json: two errors" '.errors | length' 2
printf 'bus:fc\n' >"$TMP/mylist"
run config check --supported-devices "$TMP/mylist"; expect "--supported-devices" 0 "ok, 1 entry"

# ---- claim: add/remove/list round trip keeps the file byte for byte ----
mkdir "$TMP/etc"
cp "$SRC/conf/supported-devices" "$TMP/etc/supported-devices"
C=(--config-dir "$TMP/etc")
run "${C[@]}" claim list; expect "claim list" 0 "10 entries in"
grep -qE '^ +40 +"IBM     2145" +IBM +2145 +-$' "$TMP/out" && pass || fail "claim list row of line 40"
run "${C[@]}" claim add ACME "Box 9"
expect "claim add" 0 "Added \"ACME    Box 9\" to $TMP/etc/supported-devices." 
expect "claim add: daemon not running" 0 "mpiod is not running (no $TMP/no-such.pid)"
tail -n1 "$TMP/etc/supported-devices" | grep -qx 'ACME    Box 9' && pass || fail "claim add: line appended"
run "${C[@]}" claim add acme "BOX 9"; expect "claim add duplicate" 1 "" "is already claimed ($TMP/etc/supported-devices:54)"
run "${C[@]}" claim add DGC; expect "claim add duplicate of a quoted entry" 1 "" "\"DGC     \" is already claimed"
run "${C[@]}" claim add --bus FC; expect "claim add --bus" 0 "Added \"bus:fc\""
run "${C[@]}" claim add --bus=iscsi; expect "claim add --bus=" 0 "Added \"bus:iscsi\""
run "${C[@]}" claim add --bus scsi; expect "claim add unknown bus" 2 "" "unknown bus type \"scsi\""
run "${C[@]}" claim add --bus fc IBM; expect "claim add --bus with vendor" 2
run "${C[@]}" claim add IBM 2145-XYZ; expect "claim add covered entry: note" 0 "" "\"IBM     2145\" on line 40 already claims this device"
run "${C[@]}" claim add LONGVENDOR x; expect "claim add long vendor" 2 "" "vendor \"LONGVENDOR\" is 10 characters long, at most 8"
run "${C[@]}" claim add IBM 12345678901234567; expect "claim add long product" 2 "" "product \"12345678901234567\" is 17 characters long, at most 16"
run "${C[@]}" claim add; expect "claim add without arguments" 2
run "${C[@]}" --json claim list; expect "claim list --json" 0
jq_is "claim list --json: count" '.entries | length' 14
jq_is "claim list --json: bus entry" '.entries[] | select(.bus == "fc")' '{"line":55,"entry":"bus:fc","bus":"fc","vendor":null,"product":null}'
jq_is "claim list --json: quoted entry" '.entries[] | select(.line == 34)' '{"line":34,"entry":"DGC     ","bus":null,"vendor":"DGC","product":""}'
run "${C[@]}" claim remove acme "box 9"; expect "claim remove" 0 "Removed \"acme    box 9\""
run "${C[@]}" claim remove --bus fc; expect "claim remove --bus" 0
run "${C[@]}" claim remove --bus iscsi; expect "claim remove --bus iscsi" 0
run "${C[@]}" claim remove IBM 2145-xyz; expect "claim remove covered entry" 0
cmp -s "$SRC/conf/supported-devices" "$TMP/etc/supported-devices" && pass ||
	fail "add then remove gives the original file back, comments included"
run "${C[@]}" claim remove NOSUCH thing; expect "claim remove unknown" 1 "" "\"NOSUCH  thing\" is not claimed"
cmp -s "$SRC/conf/supported-devices" "$TMP/etc/supported-devices" && pass || fail "failed remove changes nothing"
# a commented-out bus entry stays a comment; removing the real one leaves the comment
run "${C[@]}" claim add --bus sas; run "${C[@]}" claim remove --bus sas
grep -qx '#bus:sas' "$TMP/etc/supported-devices" && pass || fail "the comment #bus:sas is kept"
# the file mode is kept
chmod 0640 "$TMP/etc/supported-devices"
run "${C[@]}" claim add HP OPEN; expect "claim add (mode)" 0
[ "$(stat -c %a "$TMP/etc/supported-devices")" = 640 ] && pass || fail "file mode kept"
# a broken list is not touched
printf 'IBM 2145\nbus:token-ring\n' >"$TMP/etc/supported-devices"
run "${C[@]}" claim add NETAPP LUN; expect "claim add on a broken list" 1 "" "supported-devices:2: unknown bus type"
[ "$(wc -l <"$TMP/etc/supported-devices")" = 2 ] && pass || fail "broken list untouched"
# no list yet: list says so, add creates it
mkdir "$TMP/empty"
run --config-dir "$TMP/empty" claim list; expect "claim list without a file" 0 "" "does not exist: no device is claimed"
run --config-dir "$TMP/empty" --json claim list; jq_is "claim list --json without a file" '.entries' '[]'
run --config-dir "$TMP/empty" claim add DGC; expect "claim add creates the file" 0
[ "$(cat "$TMP/empty/supported-devices")" = '"DGC     "' ] && pass || fail "new file holds the quoted entry"
run --config-dir "$TMP/nodir" claim add DGC; expect "claim add without the directory" 1 "" "cannot open"
# a vendor that begins with bus: stays a vendor: written quoted, never a bus type
mkdir "$TMP/busv"
run --config-dir "$TMP/busv" claim add bus:iscs i; expect "claim add vendor bus:iscs" 0 "Added \"bus:iscsi\""
[ "$(cat "$TMP/busv/supported-devices")" = '"bus:iscsi"' ] && pass || fail "vendor bus:iscs + i written quoted"
run --config-dir "$TMP/busv" --json claim list; jq_is "bus:iscs i is a vendor/product entry" '.entries[0] | [.bus, .vendor, .product] | join(",")' ',bus:iscs,i'
run --config-dir "$TMP/busv" claim add bus:x; expect "claim add vendor bus:x" 0 "Added \"bus:x   \""
run --config-dir "$TMP/busv" claim remove bus:iscs i; expect "claim remove vendor bus:iscs" 0
run --config-dir "$TMP/busv" claim remove bus:x; expect "claim remove vendor bus:x" 0
[ -s "$TMP/busv/supported-devices" ] && fail "the vendor entries are removed" || pass

# ---- claim: a running mpiod gets SIGHUP, a stale pid file is ignored ----
cp "$SRC/conf/supported-devices" "$TMP/etc/supported-devices"
cp "$(command -v sleep)" "$TMP/mpiod"
# the fake mpiod runs in a subshell that records how it ended, quietly; with
# SIGHUP's default action even where the suite runs with it ignored (under
# nohup, an ignored signal stays ignored across exec and the fake would
# outlive the reload request)
(
	env --default-signal=HUP "$TMP/mpiod" 30 &
	echo $! >"$TMP/mpiod.pid"
	wait $!
	echo $? >"$TMP/mpiod.rc"
) 2>/dev/null &
watcher=$!
while [ ! -s "$TMP/mpiod.pid" ]; do sleep 0.1; done
fake=$(cat "$TMP/mpiod.pid")
MPIO_PIDFILE=$TMP/mpiod.pid run "${C[@]}" claim add HUAWEI XSG2
expect "claim add signals mpiod" 0 "Asked mpiod (pid $fake) to reload."
wait "$watcher"
[ "$(cat "$TMP/mpiod.rc")" = $((128 + 1)) ] && pass || fail "the fake mpiod got SIGHUP"
sleep 30 &
other=$!
echo "$other" >"$TMP/mpiod.pid"
MPIO_PIDFILE=$TMP/mpiod.pid run "${C[@]}" claim remove HUAWEI XSG2
expect "stale pid file" 0 "is stale"
kill -0 "$other" 2>/dev/null && pass || fail "a process that is not mpiod is left alone"
kill "$other"; wait "$other" 2>/dev/null

# ---- show config: values and origins ----
G=(--config-dir "$FIX/config/good")
run "${G[@]}" show config; expect "show config" 0 "Settings for every map ([Defaults]):"
grep -qE "^CheckInterval +30 +$FIX/config/good/mpio.conf.d/20-later.conf:2 \[Defaults\]$" "$TMP/out" &&
	pass || fail "show config: aligned CheckInterval row"
grep -qE '^PathChecker +tur +default$' "$TMP/out" && pass || fail "show config: default row"
run "${G[@]}" --json show config; expect "show config --json" 0
jq_is "defaults: CheckInterval" '.settings.CheckInterval.value' 30
jq_is "defaults: CheckInterval origin" '.settings.CheckInterval.origin' "$FIX/config/good/mpio.conf.d/20-later.conf:2 [Defaults]"
jq_is "defaults: UserFriendlyNames" '.settings.UserFriendlyNames' "{\"value\":\"yes\",\"origin\":\"$FIX/config/good/mpio.conf.d/10-site.conf:4 [Defaults]\"}"
jq_is "defaults: PathChecker origin" '.settings.PathChecker.origin' default
jq_is "defaults: Alias unset" '.settings.Alias.value' null
jq_is "defaults: key order" '.settings | keys_unsorted' '["PathGroupingPolicy","PathSelector","HardwareHandler","Failback","NoPathRetry","PathChecker","CheckInterval","UserFriendlyNames","RemoveTimeout","PgInitRetries","PgInitDelayMsec","Alias","WriteQuiesceMsec","FastIoFailTimeout","DevLossTimeout","IscsiRecoveryTimeout","EhDeadline","MaxSectorsKb"]'
run "${G[@]}" --json show config --device ACME Box1 --wwid 3600a0b800011111
jq_is "device: [Device] in mpio.conf" '.settings.PathGroupingPolicy.origin' "$FIX/config/good/mpio.conf:9 [Device ACME Box]"
jq_is "device: later [Device] wins" '.settings.NoPathRetry' "{\"value\":\"60\",\"origin\":\"$FIX/config/good/mpio.conf.d/20-later.conf:6 [Device ACME]\"}"
jq_is "map: Alias" '.settings.Alias.value' db
jq_is "map: echo of the query" '[.vendor, .product, .wwid]' '["ACME","Box1","3600a0b800011111"]'
run "${G[@]}" --json show config --device NETAPP LUN
jq_is "built-in table" '.settings.NoPathRetry' '{"value":"queue","origin":"built-in device table: NETAPP LUN"}'
jq_is "built-in, [Defaults] below it" '.settings.PathSelector.origin' "$FIX/config/good/mpio.conf:3 [Defaults]"
run "${G[@]}" --json show config --device FOO BAR --alua
jq_is "generic ALUA" '.settings.PathGroupingPolicy.origin' "built-in device table: generic ALUA"
run "${G[@]}" --json show config --alias db; jq_is "--alias" '.wwid' 3600a0b800011111
run "${G[@]}" show config --alias nosuch; expect "--alias unknown" 1 "" "no [Map] section has Alias=nosuch"
run "${G[@]}" --json=pretty show config; expect "--json=pretty" 0 '  "settings": {'
run "${G[@]}" show config --device TOOLONGVE x; expect "show config long vendor" 2 "" "at most 8"
run "${G[@]}" show config --device X; expect "--device needs two values" 2 "" "needs 2 values"
run --config-dir "$FIX/config/bad-dropin" show config; expect "show config on a bad config" 1 "" "50-dup.conf:4:"

# ---- the argument parser (getopt_long): values, abbreviations, two-word options ----
run "${G[@]}" show config --device NETAPP --json=pretty
expect "--device's second value is never an option" 2 "" "option '--device' needs 2 values"
run "${G[@]}" --json show config --dev NETAPP LUN; expect "a long option shortened" 0
jq_is "--dev NETAPP LUN" '.settings.NoPathRetry.value' queue
run "${G[@]}" --json show config --device=NETAPP LUN; expect "--device=VENDOR PRODUCT" 0
run "${G[@]}" show config --alua=yes; expect "a value to an option without one" 2 "" "option '--alua' takes no value"
run "${G[@]}" show config --alu=yes; expect "... shortened" 2 "" "option '--alua' takes no value"
run "${G[@]}" show config --al x; expect "a prefix of two options" 2 "" "option '--al' is ambiguous: --alias --alua"
run "${G[@]}" show config --wwid; expect "an option without its value" 2 "" "option '--wwid' needs 1 value"
run "${G[@]}" config check -x; expect "unknown short option" 2 "" "unknown option '-x'"
run "${G[@]}" config check -- --supported-devices
expect "after --, a word is an argument" 1 "" "--supported-devices: cannot access"
run --config-dir; expect "--config-dir without its value" 2 "" "needs a directory"
POSIXLY_CORRECT=1 run "${G[@]}" show config --device NETAPP LUN --json
expect "options after arguments, even with POSIXLY_CORRECT" 0 '"settings"'

# ---- show: --output, --list-fields (reading needs mpiod or device-mapper: the VM tests) ----
run show --list-fields; expect "show --list-fields" 0 "Fields of show topology"
grep -qE '^  hctl +path +SCSI address' "$TMP/out" && pass || fail "--list-fields: hctl described"
run show paths -o help; expect "show paths -o help" 0 "Default: dev,devt,hctl,map,group,prio,dm-state,checker,dev-state,alua,transport"
grep -q '^  wwid ' "$TMP/out" && fail "show paths lists no map-only field" || pass
run show maps --format=HELP; expect "--format help, any case" 0 "Fields of show maps"
run show paths -o dev,bogus
expect "unknown field: named, with the valid ones" 2 "" "unknown field 'bogus'; the fields of show paths: name, dev, devt,"
run show maps -o name,hctl; expect "a path field in show maps" 2 "" "no value for the field 'hctl'"
run show -o ''; expect "an empty field" 2 "" "unknown field ''"
run show paths --output; expect "--output without a list" 2 "" "needs 1 value"
run show paths extra; expect "show paths takes no argument" 2 "" "unexpected argument 'extra'"
run show map; expect "show map without a name" 2 "" "missing map name"
run show map a b; expect "show map with two names" 2 "" "unexpected argument 'b'"
run show --help; expect "show --help" 0 "--list-fields"
# every field is in the man page
while read -r f; do
	grep -qE "^\.BR? $(echo "$f" | sed 's/-/\\\\-/g')( |$)" "$SRC/multipathctl/multipathctl.8" && pass ||
		fail "field $f is not in multipathctl(8)"
done < <("$CTL" show --list-fields | awk '/^  [a-z]/ { print $1 }')

# ---- colour: only on a tty, never with NO_COLOR ----
run "${G[@]}" show config
grep -q $'\x1b' "$TMP/out" && fail "no colour when stdout is not a tty" || pass
if script -qec true /dev/null >/dev/null 2>&1; then
	# A terminal's TERM: the caller's may be dumb (no colour: an editor's shell, a CI runner)
	TERM=xterm script -qec "'$CTL' --config-dir '$FIX/config/good' show config" /dev/null >"$TMP/tty" 2>&1
	grep -q $'\x1b\[1mSETTING' "$TMP/tty" && pass || fail "colour on a tty"
	TERM=xterm NO_COLOR=1 script -qec "'$CTL' --config-dir '$FIX/config/good' show config" /dev/null >"$TMP/tty" 2>&1
	grep -q $'\x1b' "$TMP/tty" && fail "NO_COLOR turns colour off on a tty" || pass
fi

# ---- stats without device-mapper: a clear error ----
if ! { exec 3<>/dev/mapper/control; } 2>/dev/null; then
	run stats; expect "stats without device-mapper" 1 "" "device-mapper is not available"
else
	exec 3>&-
fi
run stats --prometheus --json; expect "stats --prometheus --json" 2

# ---- is-claimed: what 59-mpio.rules asks (the VM test covers real disks) ----
run is-claimed; expect "is-claimed without a device" 2 "" "expected one device"
run is-claimed --help; expect "is-claimed --help" 0 "Usage: multipathctl is-claimed"
run is-claimed nosuchdisk0; expect "is-claimed of no device" 1 "nosuchdisk0: not claimed"
run is-claimed /dev/nosuchdisk0; expect "is-claimed /dev/ prefix" 1 "nosuchdisk0: not claimed"
run is-claimed --udev nosuchdisk0; expect "is-claimed --udev: exit 0" 0
[ -s "$TMP/out" ] && fail "is-claimed --udev prints nothing for no path" || pass
run is-claimed ../sda; expect "is-claimed rejects a path" 1 "not claimed"
run is-claimed a b; expect "is-claimed two devices" 2

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
