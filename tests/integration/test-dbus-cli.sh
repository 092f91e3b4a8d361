#!/bin/bash
# vm-options: --timeout 600
# mpiod's D-Bus API and the multipathctl commands that use it, on a real
# system bus: dbus-daemon --system with mpio's policy file, mpiod claiming
# scsi_debug (2 LUNs x 2 paths). Every D-Bus command on human and --json
# output; an unprivileged user can read but not change; claim add/remove make
# a map appear and vanish; monitor sees a path fail; malformed calls get
# errors and mpiod stays up.
# mpiod by hand: the test brings up the system bus itself (dbus-daemon
# --system) and reads mpiod's log on stdout; the bus under systemd is in
# test-systemd-unit.sh.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/integration/lib-mpiod.sh"

CTL=$MPIO_SRC/multipathctl/multipathctl
export MPIO_PIDFILE=/tmp/mpiod.pid
BUS=(org.mpio.Manager1 /org/mpio/Manager1 org.mpio.Manager1)
ctl() { "$CTL" --config-dir "$cfg" "$@"; }
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$CTL" "$@"; }
# ctl_fails STATUS PATTERN ARGS...: exits STATUS with PATTERN on stderr
ctl_fails() {
	local want=$1 pat=$2 rc
	shift 2
	"$@" >/tmp/out 2>/tmp/err
	rc=$?
	sed 's/^/   | /' /tmp/err
	[ "$rc" = "$want" ] && grep -q -- "$pat" /tmp/err
}
# bus_fails PATTERN ARGS...: busctl call fails with PATTERN in its message
bus_fails() {
	local pat=$1
	shift
	! ${BUSCTL:-busctl} call "$@" >/tmp/out 2>/tmp/err && sed 's/^/   | /' /tmp/err && grep -q -- "$pat" /tmp/err
}
json_ok() { jq -e "$1" /tmp/out >/dev/null; }
mpiod_alive() { kill -0 "$(mpiod_pid)"; }
nmaps_is() { test "$(mpio_maps | wc -l)" = "$1"; }
# No path failed, in the kernel's status and in mpiod's view (which follows
# it by events and checks, so it may lag behind).
all_usable() {
	local x
	for x in $(mpio_maps); do output_is "" mpio_paths "$x" F || return 1; done
	"$CTL" status --json | jq -e '.failed_paths == 0' >/dev/null
}

modprobe dm-mpio || t_fail "modprobe dm-mpio failed"
cfg=/tmp/mpio-cfg
mpiod_config "$cfg" "Linux   scsi_debug"
printf '[Defaults]\nRemoveTimeout=1\nCheckInterval=2\n' >"$cfg/mpio.conf"

t_step "system bus with mpio's policy"
system_bus
t_check "system bus socket" test -S /run/dbus/system_bus_socket
"$CTL" status >/tmp/out
t_check "status without mpiod exits 3" test $? = 3
"$CTL" show maps >/tmp/out 2>/tmp/err
t_check "show maps without mpiod: the kernel's view, exit 0, said on stderr" sh -c \
	"test $? = 0 && grep -q 'mpiod is not running' /tmp/err && grep -q '^No maps.' /tmp/out"

t_step "devices: scsi_debug 2 paths x 2 LUNs, tcm_loop 2 paths of OTHERVND (unclaimed)"
out=$(sd_paths 2 2) || exit 1
mapfile -t sd <<<"$out"
t_check "4 scsi_debug paths" test ${#sd[@]} = 4
out=$(tcmloop_paths 2 --vendor OTHERVND --product DISK --serial other1) || exit 1
mapfile -t other <<<"$out"

t_step "mpiod on the bus"
mpiod_start "$cfg"
t_check "mpiod owns org.mpio.Manager1" wait_for 10 grep -q "D-Bus API on the system bus" "$MPIOD_LOG"
t_check "2 maps" wait_for 10 nmaps_is 2
mapfile -t maps < <(mpio_maps)
m=${maps[0]}
# The built-in scsi_debug entry groups by ALUA state: the maps regroup once
# the alua handler gave the states (a standby path may fail once before).
t_check "maps regrouped by ALUA state" wait_for 30 sh -c "test \$(grep -c 'ALUA state of .*reloading' $MPIOD_LOG) -ge 2"
# Under trixie's 6.12 the first table groups before the alua handler knows
# the states: a standby path held failed there is reinstated by a check
# after the regroup, which took longer than the kernel's view under load.
t_check "every path usable" wait_for 60 all_usable

t_step "status"
t_check "status exits 0" ctl status
"$CTL" status | sed 's/^/   /'
"$CTL" status --json >/tmp/out
t_check "status --json: running, 2 maps, 4 paths" json_ok '.daemon == "running" and .maps == 2 and .paths == 4 and .failed_paths == 0 and .module_loaded'

t_step "show topology / maps / paths / map"
t_check "show (topology) exits 0" sh -c "'$CTL' show >/tmp/out"
sed 's/^/   /' /tmp/out
mpiod_alive || { mpiod_log | tail -30; t_fail "mpiod died"; }
t_check "topology names both maps" sh -c "grep -q '^${maps[0]} ' /tmp/out && grep -q '^${maps[1]} ' /tmp/out"
t_check "show topology --json = show maps --json" sh -c "'$CTL' show topology --json >/tmp/t.json && '$CTL' show maps --json >/tmp/out && cmp -s /tmp/t.json /tmp/out"
jq -c '.maps[0]' /tmp/out | sed 's/^/   /'
t_check "show maps --json: schema" json_ok '(.maps | length == 2) and all(.maps[];
	(.name | type == "string") and (.wwid | type == "string") and .vendor == "Linux" and
	.product == "scsi_debug" and .size == 67108864 and (.groups | length >= 1) and
	all(.groups[]; (.state | IN("active", "enabled", "disabled")) and (.priority | type == "number") and
		(.selector | type == "string") and all(.paths[]; (.dev | test("^sd[a-z]+$")) and
		(.devt | test("^[0-9]+:[0-9]+$")) and (.state == "up" or (.state == "ghost" and .alua_state == "standby")) and (.transport | type == "string") and
		(.alua_state | type == "string"))) and
	([.groups[].paths[]] | length == 2))'
t_check "show maps (table)" sh -c "'$CTL' show maps >/tmp/out && grep -qE '^NAME +DEV +WWID' /tmp/out && grep -qE '^$m .* 2/2 .* active$' /tmp/out"
sed 's/^/   /' /tmp/out
t_check "show paths (table): up, or ghost if standby" sh -c "'$CTL' show paths >/tmp/out && test \$(grep -cE ' up | ghost .* standby ' /tmp/out) = 4"
sed 's/^/   /' /tmp/out
"$CTL" show paths --json=pretty >/tmp/out
t_check "show paths --json: 4 paths with map and group" json_ok '(.paths | length == 4) and all(.paths[]; (.map | type == "string") and .group >= 1 and (.state | IN("up", "ghost")))'
t_check "show map NAME" sh -c "'$CTL' show map $m >/tmp/out && grep -q PathSelector /tmp/out"
sed 's/^/   /' /tmp/out
"$CTL" show map "$m" --json >/tmp/out
t_check "show map --json: map object with settings and origins" json_ok ".name == \"$m\" and (.groups | length >= 1) and .settings.RemoveTimeout.value == \"1\" and (.settings.RemoveTimeout.origin | test(\"mpio.conf:2\"))"
t_check "show map unknown: exit 1" ctl_fails 1 "no map named" "$CTL" show map nosuchmap

t_step "unprivileged user: reads, cannot change"
t_check "nobody: show maps --json" sh -c "setpriv --reuid=65534 --regid=65534 --clear-groups '$CTL' show maps --json >/tmp/out"
t_check "nobody sees 2 maps" json_ok '.maps | length == 2'
t_check "nobody: status exits 0" nobody status
victim=$(jq -r ".maps[] | select(.name == \"$m\") | .groups[0].paths[0].dev" /tmp/out)
t_check "nobody: fail path -> permission denied, exit 1" ctl_fails 1 "permission denied" nobody fail path "$victim"
t_check "nobody: reload -> permission denied" ctl_fails 1 "permission denied" nobody reload
t_check "path still up" sh -c "'$CTL' show paths --json | jq -e '.paths[] | select(.dev == \"$victim\") | .state == \"up\"'"

t_step "monitor --json; fail / reinstate path"
"$CTL" monitor --json >/tmp/mon.json 2>/tmp/mon.err &
mon=$!
sleep 1
t_check "fail path $victim" ctl fail path "$victim"
t_check "kernel has it failed" wait_for 5 mpio_path_is "$m" F "/dev/$victim"
t_check "show paths: down (admin)" sh -c "'$CTL' show paths | grep -q '^$victim .*down (admin)'"
t_check "monitor: PathFailed $victim" wait_for 5 grep -q "\"event\":\"PathFailed\",\"map\":\"$m\",\"path\":\"$victim\",\"devt\":\"[0-9]*:[0-9]*\"" /tmp/mon.json
sleep 3
t_check "checker leaves an admin-failed path failed" mpio_path_is "$m" F "/dev/$victim"
t_check "reinstate path $victim" ctl reinstate path "$victim"
t_check "monitor: PathReinstated" wait_for 5 grep -q "\"event\":\"PathReinstated\".*\"path\":\"$victim\"" /tmp/mon.json
t_check "fail path unknown: exit 1" ctl_fails 1 "No path" "$CTL" fail path sdzz

t_step "a path offlined under I/O: PathFailed"
dd if="/dev/mapper/$m" of=/dev/null bs=64k count=100000 iflag=direct status=none &
ddpid=$!
off=$(jq -r ".maps[] | select(.name == \"$m\") | .groups[0].paths[0].dev" <("$CTL" show maps --json))
# Events of $off from now on (the steps above left some in the log).
nev() { grep "\"event\":\"$1\"" /tmp/mon.json | grep -c "\"path\":\"$off\""; }
nfail=$(nev PathFailed) nrein=$(nev PathReinstated)
path_offline "/dev/$off"
t_check "monitor: PathFailed for offlined $off" wait_for 20 sh -c "test \$(grep '\"event\":\"PathFailed\"' /tmp/mon.json | grep -c '\"path\":\"$off\"') -gt $nfail"
# The other paths may all be ALUA standby (scsi_debug's port states follow
# the host numbers): the map then queues, and dd sleeps until $off is back.
path_online "/dev/$off"
# Under Debian trixie's 6.12.117, mpiod's checks of the path gave no answer
# for about a minute after it was back online (they waited in the kernel,
# most likely for the SCSI host's error recovery), so the bound is long.
t_check "checker reinstates $off: PathReinstated" wait_for 90 sh -c "test \$(grep '\"event\":\"PathReinstated\"' /tmp/mon.json | grep -c '\"path\":\"$off\"') -gt $nrein"
kill "$ddpid" 2>/dev/null
t_check "dd ends once the path is back" wait_for 60 sh -c "! kill -0 $ddpid 2>/dev/null"
wait "$ddpid" 2>/dev/null
grep -E "path $off |$off \(" "$MPIOD_LOG" | tail -6 | sed 's/^/   mpiod: /'
t_step "a path offlined without I/O: the checker fails it"
# No I/O, so the kernel never sees the path fail: only the checker can. sd
# refuses to open an offline device (ENXIO), as an iSCSI LUN after its
# session's recovery timeout; the checker once took that for "the check
# cannot run" and left the path active for good.
# The step above may end with $off failed again (an I/O of dd's that the
# kernel failed on it as it came back, seen under 6.12): the checker
# reinstates it; start from there.
t_check "$off usable before the step" wait_for 60 all_usable
n=$(grep -c '"event":"PathFailed".*"path":"'"$off"'"' /tmp/mon.json)
logline=$(wc -l <"$MPIOD_LOG")
path_offline "/dev/$off"
t_check "checker fails idle offline $off (PathFailed)" wait_for 30 sh -c \
	"test \$(grep -c '\"event\":\"PathFailed\".*\"path\":\"$off\"' /tmp/mon.json) -gt $n"
t_check "mpiod logged it down (tur)" sh -c "tail -n +$((logline + 1)) '$MPIOD_LOG' | grep -q '($(devnum "/dev/$off")) checks down (tur: No such device or address), failed it'"
t_check "failed in the kernel" mpio_path_is "$m" F "/dev/$off"
path_online "/dev/$off"
t_check "checker reinstates $off" wait_for 20 mpio_path_is "$m" A "/dev/$off"
t_check "monitor lines are JSON" sh -c "jq -e . /tmp/mon.json >/dev/null"
t_check "monitor saw PropertiesChanged" grep -q '"event":"PropertiesChanged","object":"path"' /tmp/mon.json
head -5 /tmp/mon.json | sed 's/^/   /'

t_step "switch group, set policy, flush, reload"
ng=$("$CTL" show map "$m" --json | jq '.groups | length')
echo "   $m has $ng groups"
t_check "switch group $m $ng" ctl switch group "$m" "$ng"
t_check "switch group $m 99: exit 1" ctl_fails 1 "not 99" "$CTL" switch group "$m" 99
t_check "switch group $m x: usage, exit 2" ctl_fails 2 "not a group number" "$CTL" switch group "$m" x
t_check "set policy $m queue-length" ctl set policy "$m" queue-length
t_check "table uses queue-length" wait_for 5 mpio_uses "$m" queue-length
t_check "show map: selector origin is D-Bus" sh -c "'$CTL' show map $m --json | jq -e '.settings.PathSelector.origin | test(\"D-Bus\")'"
# Settings are read only by an explicit Get: a listing leaves them out, a
# change names them (invalidated, without the value).
t_check "monitor: the map's PropertiesChanged names Settings" wait_for 5 sh -c \
	"jq -s -e 'any(.[]; .event == \"PropertiesChanged\" and .object == \"map\" and .name == \"$m\" and ((.properties // []) | index(\"Settings\") != null))' /tmp/mon.json >/dev/null"
busctl --json=short call org.mpio.Manager1 /org/mpio/Manager1 org.freedesktop.DBus.ObjectManager GetManagedObjects >/tmp/objects.json
t_check "GetManagedObjects has the maps, without Settings" sh -c "grep -q org.mpio.Map1 /tmp/objects.json && ! grep -q Settings /tmp/objects.json"
t_check "Get Settings answers" sh -c "busctl get-property org.mpio.Manager1 \$(busctl --list tree org.mpio.Manager1 | grep '/map/' | head -1) org.mpio.Map1 Settings | grep -q PathSelector"
t_check "set policy bogus: exit 2" ctl_fails 2 "unknown path selector" "$CTL" set policy "$m" bogus
m2=${maps[1]}
t_check "flush $m2" ctl flush "$m2"
t_check "$m2 removed" wait_for 5 sh -c "! dmsetup info $m2 >/dev/null 2>&1"
t_check "monitor: MapRemoved $m2" wait_for 5 grep -q "\"event\":\"MapRemoved\",\"object\":\"map\",\"name\":\"$m2\"" /tmp/mon.json
t_check "reload" ctl reload
t_check "$m2 back after reload" wait_for 10 dmsetup info "$m2"
t_check "monitor: MapAdded $m2" wait_for 5 grep -q "\"event\":\"MapAdded\",\"object\":\"map\",\"name\":\"$m2\"" /tmp/mon.json
t_check "reload resets the selector" wait_for 5 mpio_uses "$m" '!queue-length'
t_check "flush unknown: exit 1" ctl_fails 1 "No map" "$CTL" flush nosuchmap

t_step "claims: multipathctl claim, ClaimDevice/UnclaimDevice"
t_check "claim add OTHERVND DISK" ctl claim add OTHERVND DISK
t_check "OTHERVND map appears" wait_for 40 nmaps_is 3
settle # udev's probe of the new map done: an unclaimed map is removed only once closed
t_check "show maps lists OTHERVND" wait_for 5 sh -c "'$CTL' show maps --json | jq -e '[.maps[] | select(.vendor == \"OTHERVND\")] | length == 1'"
t_check "ListClaims has it" sh -c "busctl call ${BUS[*]} ListClaims | grep -q OTHERVND"
t_check "nobody may ListClaims" sh -c "setpriv --reuid=65534 --regid=65534 --clear-groups busctl call ${BUS[*]} ListClaims | grep -q OTHERVND"
t_check "claim remove OTHERVND DISK" ctl claim remove OTHERVND DISK
wait_for 30 nmaps_is 2 ||
	grep -E 'unclaimed|remov' "$MPIOD_LOG" | tail -8 | sed 's/^/   /'
t_check "OTHERVND map vanishes" test "$(mpio_maps | wc -l)" = 2
t_check "ClaimDevice over D-Bus" busctl call "${BUS[@]}" ClaimDevice ss OTHERVND DISK
t_check "OTHERVND map appears again" wait_for 40 nmaps_is 3
settle
t_check "ClaimDevice twice: AlreadyClaimed" bus_fails "already claimed" "${BUS[@]}" ClaimDevice ss OTHERVND DISK
BUSCTL="setpriv --reuid=65534 --regid=65534 --clear-groups busctl" t_check "nobody: UnclaimDevice denied" bus_fails "denied" "${BUS[@]}" UnclaimDevice ss OTHERVND DISK
t_check "UnclaimDevice over D-Bus" busctl call "${BUS[@]}" UnclaimDevice ss OTHERVND DISK
wait_for 30 nmaps_is 2 ||
	grep -E 'unclaimed|remov' "$MPIOD_LOG" | tail -8 | sed 's/^/   /'
t_check "OTHERVND map vanishes again" test "$(mpio_maps | wc -l)" = 2
t_check "supported-devices is as before" test "$(cat "$cfg/supported-devices")" = "Linux   scsi_debug"
# A vendor ID that begins with bus: is a vendor, never a transport: the
# entry is written quoted and claims no iSCSI LUN.
t_check "ClaimDevice bus:iscs i" busctl call "${BUS[@]}" ClaimDevice ss bus:iscs i
t_check "written quoted" sh -c "tail -n1 '$cfg/supported-devices' | grep -qx '\"bus:iscsi\"'"
t_check "ListClaims: vendor bus:iscs, product i" sh -c "busctl call ${BUS[*]} ListClaims | grep -q '\"bus:iscs\" \"i\"'"
t_check "UnclaimDevice bus:iscs i" busctl call "${BUS[@]}" UnclaimDevice ss bus:iscs i
t_check "supported-devices is as before again" test "$(cat "$cfg/supported-devices")" = "Linux   scsi_debug"

t_step "reload without supported-devices: refused, claims and maps kept"
claims=$(busctl call "${BUS[@]}" ListClaims)
np=$(mpio_npaths "$m")
mv "$cfg/supported-devices" /tmp/sup.moved
t_check "reload: exit 1, the error names the file" ctl_fails 1 "$cfg/supported-devices: does not exist" "$CTL" reload
t_check "ListClaims unchanged" test "$(busctl call "${BUS[@]}" ListClaims)" = "$claims"
sleep 2 # a reload that went through drops the paths at once
t_check "$m keeps its $np paths" test "$(mpio_npaths "$m")" = "$np"
t_check "still 2 maps" nmaps_is 2
mv /tmp/sup.moved "$cfg/supported-devices"
t_check "reload with the file back" ctl reload

t_step "a drop-in whose name is not UTF-8"
mkdir -p "$cfg/mpio.conf.d"
printf '[Defaults]\nCheckInterval=2\n' >"$cfg/mpio.conf.d/$(printf '\xff')x.conf"
t_check "reload" ctl reload
t_check "show map: the origin, escaped" sh -c "'$CTL' show map $m --json | jq -e '.settings.CheckInterval.origin | test(\"xffx.conf:2\")'"
t_check "show maps still works" sh -c "'$CTL' show maps >/dev/null"
rm -f "$cfg/mpio.conf.d/"*x.conf
t_check "reload without it" ctl reload

t_step "malformed calls"
big=$(head -c 100000 /dev/zero | tr '\0' a)
t_check "FailPath with u: invalid args" bus_fails "" "${BUS[@]}" FailPath u 5
t_check "SwitchGroup with s s: invalid args" bus_fails "" "${BUS[@]}" SwitchGroup ss "$m" one
t_check "FailPath unknown path: NoSuchPath" bus_fails "No path 'sdzz'" "${BUS[@]}" FailPath s sdzz
t_check "SwitchGroup unknown map: NoSuchMap" bus_fails "No map named 'nosuch'" "${BUS[@]}" SwitchGroup su nosuch 1
t_check "SwitchGroup group 0: invalid" bus_fails "not 0" "${BUS[@]}" SwitchGroup su "$m" 0
t_check "SetPolicy unknown selector" bus_fails "Unknown path selector" "${BUS[@]}" SetPolicy ss "$m" fastest
t_check "FailPath 100 kB string: invalid" bus_fails "longer than 4096" "${BUS[@]}" FailPath s "$big"
t_check "SetPolicy 100 kB selector: invalid" bus_fails "Unknown path selector" "${BUS[@]}" SetPolicy ss "$m" "$big"
t_check "ClaimDevice 100 kB vendor: invalid" bus_fails "1 to 8" "${BUS[@]}" ClaimDevice ss "$big" x
t_check "FailPath empty: invalid" bus_fails "Empty path name" "${BUS[@]}" FailPath s ""
t_check "unknown method" bus_fails "" "${BUS[@]}" Explode
t_check "Get on a missing map object" bus_fails "" org.mpio.Manager1 /org/mpio/Manager1/map/nosuch org.freedesktop.DBus.Properties Get ss org.mpio.Map1 Name
t_check "mpiod still up" mpiod_alive
t_check "and still answers" ctl status
t_check "introspection of a map object" sh -c "busctl introspect org.mpio.Manager1 /org/mpio/Manager1/map/\$(busctl tree org.mpio.Manager1 --list | grep /map/ | head -1 | sed 's|.*/map/||') | grep -q Groups"

t_step "mpiod stops: monitor exits 3"
kill -INT "$mon"
wait "$mon"
t_check "monitor exits 0 on SIGINT" test $? = 0
"$CTL" monitor >/tmp/mon2.out 2>/tmp/mon2.err &
mon=$!
sleep 1
mpiod_stop
wait "$mon"
t_check "monitor exits 3 when mpiod leaves" test $? = 3
"$CTL" show maps >/tmp/out 2>/tmp/err
t_check "show maps after stop: the kernel's view of the maps, exit 0" sh -c \
	"test $? = 0 && grep -q 'mpiod is not running' /tmp/err && grep -qE '^$m ' /tmp/out"
t_check "monitor without mpiod: exit 3" ctl_fails 3 "not reachable" "$CTL" monitor

t_step "a configuration directory whose name is not UTF-8"
# A D-Bus string must be UTF-8: ConfigDir unescaped made every GetAll of
# the manager fail (and with it status).
dir2=/tmp/mpio-$(printf '\xff')cfg
cp -a "$cfg" "$dir2"
mpiod_start "$dir2"
t_check "GetAll of the manager answers" busctl call "${BUS[0]}" "${BUS[1]}" org.freedesktop.DBus.Properties GetAll s "${BUS[2]}"
t_check "ConfigDir, escaped" sh -c "busctl get-property ${BUS[*]} ConfigDir | grep -qF 'xffcfg'"
t_check "status answers" "$CTL" status
mpiod_stop
grep '^<[0-3]>' "$MPIOD_LOG" | sed 's/^/   /'
t_check "mpiod logged no error but the refused reload" sh -c \
	"! grep '^<[0-3]>' $MPIOD_LOG | grep -v 'supported-devices: does not exist any more'"
grep 'D-Bus' "$MPIOD_LOG" | head -20 | sed 's/^/   /'
for x in $(mpio_maps); do dmsetup remove "$x"; done
t_done
