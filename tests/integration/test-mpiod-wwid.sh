#!/bin/bash
# vm-options: --timeout 900
# A map's WWID is the one udev gives its paths (ID_SERIAL, from scsi_id:
# multipath-tools' default), so that an admin's names carry over: over an
# iSCSI LIO SAN and scsi_debug, each map's dm uuid is mpath-<ID_SERIAL>,
# and LVM sees a PV on the map alone. A reload and a restart keep each map
# as it is (the same dm device, no reload). A map an older mpio made under
# another WWID (README, "Upgrade notes"; here the same table made again by
# hand under another uuid, as mpio 0.1 gave a LU with a SCSI name string)
# is adopted with its paths and not doubled by a map of the new WWID: mpiod
# warns naming both WWIDs, the map goes on working (a failed path is
# reinstated), LVM still sees the PV on it, and once flushed and reloaded,
# as the README says, the map is made again as mpath-<ID_SERIAL>.
# mpiod by hand: the test makes maps behind its back between runs, and
# reads its log.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/integration/lib-mpiod.sh"

command -v pvcreate >/dev/null || t_fail "lvm2 is not installed (scripts/install-deps)"
modprobe dm-mpio || t_fail "modprobe dm-mpio failed"
cfg=/tmp/mpio-cfg
CTL=$MPIO_SRC/multipathctl/multipathctl
mpiod_config "$cfg" "MPIOTEST" "Linux   scsi_debug"
printf '[Defaults]\nCheckInterval=1\n' >"$cfg/mpio.conf"
system_bus

out=$(iscsi_san --vendor MPIOTEST --product SAN-DISK --serial wwid1) || exit 1
mapfile -t is <<<"$out"
out=$(sd_paths 2 1) || exit 1
mapfile -t sd <<<"$out"
t_check "2 iSCSI and 2 scsi_debug paths" test "${#is[@]}" = 2 -a "${#sd[@]}" = 2

# ID_SERIAL of a path in udev's database.
id_serial() { udevadm info -q property -n "$1" | sed -n 's/^ID_SERIAL=//p'; }
# The dm name of the map a path is under ("" if none).
map_of() {
	local h
	h=$(ls -d "/sys/block/${1#/dev/}/holders/"* 2>/dev/null | head -n1)
	[ -z "$h" ] || cat "$h/dm/name"
}
uuid_of() { dmsetup info -c --noheadings -o uuid "$1"; }
devno_of() { dmsetup info -c --noheadings -o major,minor "$1" | tr -d ' '; }
log_since() { tail -n +"$(($1 + 1))" "$MPIOD_LOG"; }
logged_since() { log_since "$1" | grep -q -- "$2"; }
# lvm's warnings about a PV seen twice (on the map and on a path).
DUP='duplicate|Not using device|prefers device'
pv_of_vg() { pvs --noheadings -o pv_name --select vg_name="$1" 2>/dev/null | tr -d ' '; }
pv_on() {
	local pv
	pv=$(pv_of_vg vgw)
	echo "   pvs: PV of vgw is $pv"
	test "$pv" = "/dev/mapper/$1" -o "$pv" = "/dev/mpio/$1"
}
no_dup() { ! pvs 2>&1 | grep -qE "$DUP"; }

wi=$(id_serial "${is[0]}")
ws=$(id_serial "${sd[0]}")
t_step "udev's ID_SERIAL: $wi (iSCSI), $ws (scsi_debug)"
t_check "each LU's paths have one ID_SERIAL" \
	test -n "$wi" -a -n "$ws" -a "$(id_serial "${is[1]}")" = "$wi" -a "$(id_serial "${sd[1]}")" = "$ws"
t_check "the same as scsi_id prints" test "$(dev_wwid "${is[0]}")" = "$wi" -a "$(dev_wwid "${sd[0]}")" = "$ws"

t_step "each map's uuid is mpath-<ID_SERIAL>"
mpiod_start "$cfg"
t_check "two maps" wait_for 20 lines_are = 2 mpio_maps
mi=$(map_of "${is[0]}")
ms=$(map_of "${sd[0]}")
dmsetup info -c -o name,uuid,major,minor | sed 's/^/   /'
t_check "the iSCSI paths are in one map ($mi)" test -n "$mi" -a "$(map_of "${is[1]}")" = "$mi"
t_check "the scsi_debug paths are in one map ($ms)" test -n "$ms" -a "$(map_of "${sd[1]}")" = "$ms"
t_check "the iSCSI map's uuid is mpath-$wi" test "$(uuid_of "$mi")" = "mpath-$wi"
t_check "the scsi_debug map's uuid is mpath-$ws" test "$(uuid_of "$ms")" = "mpath-$ws"
t_check "is-claimed gives each path its ID_SERIAL" \
	sh -c "'$CTL' --config-dir '$cfg' is-claimed --udev ${is[0]#/dev/} | grep -qx 'MPIO_WWID=$wi' &&
	       '$CTL' --config-dir '$cfg' is-claimed --udev ${sd[0]#/dev/} | grep -qx 'MPIO_WWID=$ws'"

t_step "LVM sees the PV on the iSCSI map alone"
pvcreate -q "/dev/mapper/$mi" || t_fail "pvcreate on $mi failed"
vgcreate -q vgw "/dev/mapper/$mi" || t_fail "vgcreate on $mi failed"
pvs 2>&1 | sed 's/^/   /'
t_check "the PV is on the map" pv_on "$mi"
t_check "pvs warns of no duplicate" no_dup

t_step "a reload keeps both maps as they are"
di=$(devno_of "$mi")
ds=$(devno_of "$ms")
n=$(wc -l <"$MPIOD_LOG")
kill -HUP "$(mpiod_pid)"
t_check "reloaded" wait_for 20 logged_since "$n" 'configuration reloaded'
t_check "the same dm devices" test "$(devno_of "$mi")" = "$di" -a "$(devno_of "$ms")" = "$ds"
t_check "no map reloaded or created" sh -c "! tail -n +$((n + 1)) $MPIOD_LOG | grep -qE 'reloading with|created with'"
t_check "still two maps" lines_are = 2 mpio_maps

t_step "a restart adopts both as they are"
mpiod_stop
n=$(wc -l <"$MPIOD_LOG")
mpiod_start "$cfg"
t_check "both adopted unchanged" wait_for 10 sh -c "test \$(tail -n +$((n + 1)) $MPIOD_LOG | grep -c 'adopted with 2 paths .*, table unchanged') = 2"
t_check "the same dm devices" test "$(devno_of "$mi")" = "$di" -a "$(devno_of "$ms")" = "$ds"

t_step "a map an older mpio made under another WWID"
mpiod_stop
old=8iqn.2026-01.org.mpio:wwid1-lun0
table=$(dmsetup table "$mi") || t_fail "no table of $mi"
vgchange -q -an vgw >/dev/null
dmsetup remove "$mi" || t_fail "cannot remove $mi"
dmsetup create "$mi" --uuid "mpath-$old" --table "$table" || t_fail "cannot make $mi again"
settle
t_check "made again under mpath-$old" test "$(uuid_of "$mi")" = "mpath-$old"
t_check "LVM sees the PV on it" pv_on "$mi"
n=$(wc -l <"$MPIOD_LOG")
mpiod_start "$cfg"
dmsetup info -c -o name,uuid | sed 's/^/   /'
t_check "no second map of the LU" wait_for 10 lines_are = 2 mpio_maps
t_check "the map keeps its uuid" test "$(uuid_of "$mi")" = "mpath-$old"
t_check "and both paths" npaths_is "$mi" 2
t_check "the paths are still under it" test "$(map_of "${is[0]}")" = "$mi" -a "$(map_of "${is[1]}")" = "$mi"
t_check "adopted unchanged" logged_since "$n" "map $mi ($old): adopted with 2 paths .*, table unchanged"
t_check "a warning names both WWIDs and what to do" \
	logged_since "$n" "^<4>.*map $mi ($old): its paths' WWID is $wi now, .*flush it .*made as mpath-$wi"
t_check "no map made, none failed to be" sh -c "! tail -n +$((n + 1)) $MPIOD_LOG | grep -qE 'created with|cannot create'"
victim=$(mpio_paths "$mi" | head -n1)
dmsetup message "$mi" 0 fail_path "$victim" || t_fail "cannot fail $victim"
t_check "mpiod reinstates a failed path of it" wait_for 15 mpio_path_is "$mi" A "$victim"
t_check "it reads" dd if="/dev/mapper/$mi" of=/dev/null bs=1M count=4 iflag=direct status=none
t_check "pvs warns of no duplicate" no_dup

t_step "flushed and reloaded (README, Upgrade notes): made as mpath-$wi"
t_check "flush" "$CTL" --config-dir "$cfg" flush "$mi"
t_check "reload" "$CTL" --config-dir "$cfg" reload
t_check "a map of the LU again" wait_for 20 sh -c "test -n \"\$(ls /sys/block/${is[0]#/dev/}/holders/)\""
mi2=$(map_of "${is[0]}")
dmsetup info -c -o name,uuid | sed 's/^/   /'
t_check "its uuid is mpath-$wi" test "$(uuid_of "$mi2")" = "mpath-$wi"
t_check "with both paths" npaths_is "$mi2" 2
t_check "LVM sees the PV on it" pv_on "$mi2"
t_check "pvs warns of no duplicate" no_dup

vgremove -q -f vgw >/dev/null
mpiod_finish
dmsetup remove "$mi2" "$ms"
t_done
