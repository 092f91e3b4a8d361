#!/bin/bash
# vm-options: --timeout 600
# multipathctl show, with mpiod and without, as an admin reads it: 2
# scsi_debug LUNs of 2 paths each, LUN 0 in the mpio map mpiod makes, LUN 1
# in a map of the kernel's multipath target made by hand (multipath-tools'
# kind, which mpiod leaves alone). With mpiod: its view, plus what only the
# kernel knows: the map's dm-N, each path's H:C:T:L, and the three states of
# a path (device-mapper's, mpiod's verdict, the SCSI device's), followed
# through a path failed by an admin and a path offlined. Without mpiod: the
# kernel's view, said in one line on stderr, with both maps (the multipath
# one marked), the same dm-N, H:C:T:L and states but mpiod's, and paths
# failed in the kernel. Then --output, --json, --kernel, show map, colour
# only on a terminal, an unprivileged user with and without mpiod, no maps.
# mpiod by hand: stopped and started between the steps, on a system bus of
# the test's own (as test-dbus-cli.sh).
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/integration/lib-mpiod.sh"

CTL=$MPIO_SRC/multipathctl/multipathctl
export MPIO_PIDFILE=/tmp/mpiod.pid
# ASCII tree lines ("|-", "`-"), which the checks below read
export LC_ALL=C
NOTE="mpiod is not running: the kernel's view"
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$CTL" "$@"; }
# show ARGS...: multipathctl show ARGS, stdout in /tmp/out, stderr in /tmp/err, its status in $rc
show() {
	"$CTL" show "$@" >/tmp/out 2>/tmp/err
	rc=$?
}
jq_ok() { jq -e "$1" /tmp/out >/dev/null; }
no_escape() { ! grep -q $'\x1b' "$1"; }
# A path in show paths --json: path DEV FILTER
path_ok() { "$CTL" show paths --json | jq -e ".paths[] | select(.dev == \"${1#/dev/}\") | $2" >/dev/null; }
dm_of() { echo "dm-$(dmsetup info -c --noheadings -o minor "$1" | tr -d ' ')"; }
# The prio of an ALUA state, on multipath-tools' scale (multipathctl(8), show).
prio_of() {
	case $1 in
	active/optimized) echo 50 ;; active/non-optimized) echo 10 ;; standby) echo 1 ;;
	unknown) echo null ;; *) echo 0 ;;
	esac
}
# In the tree of show topology (/tmp/out), path DEV's row: its name and dev,
# its H:C:T:L, a size and prio, dm active, the checker's CHECKER (a regex), running.
tree_row_ok() {
	grep -qE "^[| ]*[\`|]-${1#/dev/} +${1#/dev/} +$(scsi_addr "$1") +[0-9.]+M +[0-9-]+ +active +$2 +running " /tmp/out
}
# Every path of show paths --json (in /tmp/out) has the H:C:T:L, ALUA state and prio sysfs gives it.
paths_match_sysfs() {
	local d ok=0
	for d in "$@"; do
		jq -e --arg d "${d#/dev/}" --arg h "$(scsi_addr "$d")" --arg a "$(cat "/sys/block/${d#/dev/}/device/access_state" 2>/dev/null || echo unknown)" \
			--argjson p "$(prio_of "$(cat "/sys/block/${d#/dev/}/device/access_state" 2>/dev/null || echo unknown)")" \
			'.paths[] | select(.dev == $d) | .hctl == $h and .alua_state == $a and .prio == $p' /tmp/out >/dev/null ||
			{ echo "   $d: not as in sysfs: $(jq -c --arg d "${d#/dev/}" '.paths[] | select(.dev == $d)' /tmp/out)"; ok=1; }
	done
	return $ok
}

modprobe dm-mpio || t_fail "modprobe dm-mpio failed"
cfg=/tmp/mpio-cfg
mpiod_config "$cfg" "Linux   scsi_debug"
printf '[Defaults]\nCheckInterval=1\n' >"$cfg/mpio.conf"
system_bus

t_step "devices: scsi_debug, 2 LUNs x 2 paths; LUN 1 in a map of the multipath target"
sd_paths 2 2 >/dev/null || exit 1
mapfile -t l0 < <(sd_devs 0)
mapfile -t l1 < <(sd_devs 1)
t_check "2 paths per LUN" test "${#l0[@]}" = 2 -a "${#l1[@]}" = 2
need_mod dm_multipath
need_mod dm_round_robin
dmsetup create mpt --uuid "mpath-$(dev_wwid "${l1[0]}")" \
	--table "$(mpio_table -t multipath -f queue_if_no_path round-robin "${l1[0]} 1" "${l1[1]} 1")" ||
	t_fail "cannot create the multipath map"
settle
mptdm=$(dm_of mpt)

t_step "without mpiod: the kernel's view, said on stderr"
show
t_check "show: exit 0" test "$rc" = 0
t_check "one line on stderr says mpiod is not running" sh -c "test \$(wc -l </tmp/err) = 1 && grep -q \"$NOTE\" /tmp/err"
sed 's/^/   /' /tmp/out
t_check "the multipath map, marked with its target" grep -qE "^mpt +$mptdm .* multipath$" /tmp/out
show --json
t_check "--json: source kernel, mpt: target multipath, queueing on, its dm-N" \
	jq_ok ".source == \"kernel\" and (.maps | length == 1) and (.maps[0] | .name == \"mpt\" and .target == \"multipath\" and .queueing == \"on\" and .dev == \"$mptdm\" and (.features | test(\"queue_if_no_path\")))"

t_step "mpiod makes the map of LUN 0"
mpiod_start "$cfg"
t_check "one mpio map" wait_for 20 test "$(mpio_maps | wc -l)" = 1
m=$(mpio_maps)
mdm=$(dm_of "$m")
t_check "the map has LUN 0's 2 paths" wait_for 20 npaths_is "$m" 2
# scsi_debug's entry groups by ALUA state: the map regroups once the alua handler gave them.
t_check "every path usable, in mpiod's view too" wait_for 60 sh -c \
	"test -z \"\$(mpio_paths $m F)\" && '$CTL' status --json | jq -e '.failed_paths == 0'"

t_step "with mpiod: its view, with dm-N, H:C:T:L and the three path states"
show topology
t_check "show topology: exit 0, nothing on stderr" test "$rc" = 0 -a ! -s /tmp/err
sed 's/^/   /' /tmp/out
t_check "the map's row: its name, dm-N and WWID" grep -qE "^$m +$mdm .* $(dev_wwid "${l0[0]}")$" /tmp/out
t_check "mpiod's view leaves multipath-tools' map out" sh -c "! grep -q '^mpt ' /tmp/out"
for d in "${l0[@]}"; do
	t_check "${d#/dev/}: its H:C:T:L, dm active, checker up or ghost, device running" tree_row_ok "$d" '(up|ghost)'
done
show paths --json
cp /tmp/out /tmp/daemon.json
t_check "show paths --json: source mpiod, LUN 0's paths" jq_ok '.source == "mpiod" and (.paths | length == 2)'
t_check "each path's H:C:T:L, ALUA state and prio are sysfs'" paths_match_sysfs "${l0[@]}"
t_check "dm_state active, device_state running, state up or ghost" jq_ok \
	'all(.paths[]; .dm_state == "active" and .device_state == "running" and (.state | IN("up", "ghost")) and .map != null)'
show maps --json
t_check "show maps --json: dm-N, target, queueing, features, handler" jq_ok \
	".maps[0] | .dev == \"$mdm\" and .target == \"mpio\" and (.queueing | IN(\"on\", \"off\")) and (.features | type == \"string\") and (.hw_handler | type == \"string\")"
t_check "features and handler are the table's" jq_ok \
	".maps[0] | (.features | test(\"queue_mode\")) and .hw_handler == \"$(mpio_hw_handler "$m")\""
t_step "with mpiod: multipath-tools' map is the kernel's, shown with --kernel"
show map mpt
t_check "show map mpt: exit 1, not in mpiod's view, --kernel named" sh -c \
	"test $rc = 1 && grep -q \"no map named 'mpt' in mpiod's view (--kernel\" /tmp/err"
show map mpt --kernel
t_check "show map mpt --kernel: exit 0, nothing on stderr, target multipath" sh -c \
	"test $rc = 0 && test ! -s /tmp/err && grep -qE '^TARGET +multipath$' /tmp/out"
show maps -k --json
t_check "show maps -k --json: source kernel, both maps" jq_ok \
	"(.source == \"kernel\") and ([.maps[].name] | sort == ([\"$m\", \"mpt\"] | sort))"

t_step "piped: no colour; on a terminal: colour"
show maps
t_check "piped: no escape sequence" no_escape /tmp/out
TERM=xterm script -qec "'$CTL' show maps" /dev/null </dev/null >/tmp/tty.out
t_check "on a terminal: headers bold" grep -q $'\x1b\\[1mNAME' /tmp/tty.out
show paths -o dev,hctl,dm-state,checker,dev-state -n -r
sed 's/^/   /' /tmp/out
t_check "--output, --noheadings, --raw: one line per path, those fields" sh -c \
	"test \$(grep -cE '^sd[a-z]+ [0-9]+:[0-9]+:[0-9]+:[0-9]+ active (up|ghost) running$' /tmp/out) = 2"

victim=${l0[0]#/dev/}
t_step "an admin fails $victim, then reinstates it"
t_check "fail path $victim" "$CTL" fail path "$victim"
t_check "dm failed, checker down (admin), device running" wait_for 10 path_ok "$victim" \
	'.dm_state == "failed" and .state == "down" and .admin_failed and .device_state == "running"'
show paths -o dev,checker
t_check "the table says down (admin)" grep -qE "^$victim +down \(admin\)$" /tmp/out
show map "$m"
t_check "show map: PATHS 1/2" grep -qE '^PATHS +1/2$' /tmp/out
t_check "reinstate path $victim" "$CTL" reinstate path "$victim"
t_check "usable again" wait_for 10 path_ok "$victim" '.dm_state == "active" and (.state | IN("up", "ghost")) and (.admin_failed | not)'

t_step "$victim offlined in sysfs: the device's state, then the checker's and device-mapper's"
path_offline "/dev/$victim"
t_check "device offline" wait_for 5 path_ok "$victim" '.device_state == "offline"'
t_check "failed by the checker: down, dm failed" wait_for 30 path_ok "$victim" '.state == "down" and .dm_state == "failed"'
show
sed 's/^/   /' /tmp/out
t_check "the tree shows it: failed down offline" grep -qE "[\`|]-$victim .* failed +down +offline " /tmp/out
path_online "/dev/$victim"
t_check "back: running, active, up or ghost" wait_for 90 path_ok "$victim" \
	'.device_state == "running" and .dm_state == "active" and (.state | IN("up", "ghost"))'

t_step "an unprivileged user: mpiod's view; the table's features need root"
nobody show --json >/tmp/out 2>/tmp/err
t_check "nobody: exit 0" test $? = 0
t_check "nobody: dm-N and H:C:T:L from sysfs, features null" jq_ok \
	".source == \"mpiod\" and .maps[0].dev == \"$mdm\" and .maps[0].features == null and all(.maps[0].groups[].paths[]; .hctl | test(\"^[0-9]+:[0-9]+:[0-9]+:[0-9]+$\"))"

t_step "mpiod stops: the kernel's view of both maps"
mpiod_stop
show
t_check "show: exit 0, one line on stderr" sh -c "test $rc = 0 && test \$(wc -l </tmp/err) = 1 && grep -q \"$NOTE\" /tmp/err"
sed 's/^/   /' /tmp/out
t_check "both maps, each with its target" sh -c "grep -qE '^$m +$mdm .* mpio$' /tmp/out && grep -qE '^mpt +$mptdm .* multipath$' /tmp/out"
for d in "${l0[@]}"; do
	t_check "${d#/dev/}: H:C:T:L, dm active, no checker, device running" tree_row_ok "$d" -
done
show paths --json
t_check "show paths --json: source kernel, the 4 paths" jq_ok '.source == "kernel" and (.paths | length == 4)'
t_check "each path's H:C:T:L, ALUA state and prio are sysfs'" paths_match_sysfs "${l0[@]}" "${l1[@]}"
t_check "no mpiod verdict (state null), dm active, running" jq_ok \
	'all(.paths[]; .state == null and .dm_state == "active" and .device_state == "running")'
t_check "the same H:C:T:L and dm state for LUN 0 as mpiod's view" sh -c \
	"test \"\$(jq -c '[.paths[] | select(.map == \"$m\") | [.dev, .hctl, .dm_state]]' /tmp/out)\" = \"\$(jq -c '[.paths[] | [.dev, .hctl, .dm_state]]' /tmp/daemon.json)\""
dmsetup message mpt 0 fail_if_no_path
show maps -o name,target,queueing,held
sed 's/^/   /' /tmp/out
t_check "mpt: queueing off after fail_if_no_path" grep -qE '^mpt +multipath +off +no$' /tmp/out
t_step "without mpiod, paths failed in the kernel: one, then both of mpt's"
mt0=$(cat "/sys/block/${l1[0]#/dev/}/dev") mt1=$(cat "/sys/block/${l1[1]#/dev/}/dev")
dmsetup message mpt 0 fail_path "$mt0" || t_fail "cannot fail $mt0 in mpt"
show paths -o dev,map,dm-state,failures -n
sed 's/^/   /' /tmp/out
t_check "${l1[0]#/dev/}: dm failed, 1 failure; ${l1[1]#/dev/}: active" sh -c \
	"grep -qE '^${l1[0]#/dev/} +mpt +failed +1$' /tmp/out && grep -qE '^${l1[1]#/dev/} +mpt +active +0$' /tmp/out"
show maps -o name,paths
t_check "mpt: 1/2 paths usable" grep -qE '^mpt +1/2$' /tmp/out
dmsetup message mpt 0 fail_path "$mt1" || t_fail "cannot fail $mt1 in mpt"
show
sed 's/^/   /' /tmp/out
t_check "the tree: both of mpt's paths failed" sh -c \
	"test \$(grep -cE '[\`|]-sd[a-z]+ .* failed +- +running ' /tmp/out) = 2"
show maps --json
t_check "show maps --json: every path of mpt failed, fail_count 1" jq_ok \
	'.maps[] | select(.name == "mpt") | all(.groups[].paths[]; .dm_state == "failed" and .fail_count == 1)'
show maps -o name,paths
t_check "mpt: 0/2 paths usable" grep -qE '^mpt +0/2$' /tmp/out
dmsetup message mpt 0 reinstate_path "$mt0" && dmsetup message mpt 0 reinstate_path "$mt1" ||
	t_fail "cannot reinstate mpt's paths"
show maps -o name,paths
t_check "mpt: 2/2 after reinstate_path" grep -qE '^mpt +2/2$' /tmp/out

show map "$m" --json
t_check "show map --json: the map, no settings without mpiod" jq_ok \
	".source == \"kernel\" and .name == \"$m\" and .dev == \"$mdm\" and .settings == null and (.groups | length >= 1)"
show map "$m"
t_check "show map: the fields, the tree, no settings" sh -c \
	"grep -qE '^DEV +$mdm$' /tmp/out && grep -qE '^TARGET +mpio$' /tmp/out && grep -q '^NAME ' /tmp/out && ! grep -q '^SETTING' /tmp/out"
show topology -o name,dev,hctl --json
t_check "--output with --json: rows of those fields, groups and paths in children" jq_ok \
	"[.maps[] | select(.name == \"$m\") | .children[].children[] | .hctl] | length == 2"
show map nosuch
t_check "show map nosuch: exit 1" sh -c "test $rc = 1 && grep -q \"no map named 'nosuch'\" /tmp/err"
show paths -o dev,wwid
t_check "a field of maps in show paths: exit 2, named" sh -c "test $rc = 2 && grep -q \"field 'wwid'\" /tmp/err && grep -q 'hctl' /tmp/err"
nobody show >/tmp/out 2>/tmp/err
t_check "nobody without mpiod: exit 1, device-mapper needs root" sh -c "test $? = 1 && grep -q 'needs root' /tmp/err"
sed 's/^/   | /' /tmp/err

t_step "no maps"
dmsetup remove mpt
for x in $(mpio_maps); do dmsetup remove "$x"; done
show
t_check "show: exit 0, No maps." sh -c "test $rc = 0 && test \"\$(cat /tmp/out)\" = 'No maps.'"
show paths --json
t_check "show paths --json: no paths" jq_ok '.source == "kernel" and .paths == []'
show maps -o name,dev --json
t_check "show maps -o --json: an empty array" jq_ok '.maps == []'
t_done
