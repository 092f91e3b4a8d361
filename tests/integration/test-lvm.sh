#!/bin/bash
# vm-options: --timeout 600
# LVM on a map, with lvm2's default configuration (lvm.conf is not touched):
# LVM must see the PV on the map alone, never on one of its paths. Its
# multipath component detection keys on the holder's dm uuid prefix
# "mpath-", which mpio's maps carry. pvcreate, vgcreate and lvcreate on the
# map work, pvs warns of no duplicate, the LV sits on the map after a
# deactivation and activation (as after a reboot), an ext4 file system on
# the LV takes a path failure under fio --verify, and lsblk calls the map
# "mpath". multipath-tools' maps carry the same uuid: a second LUN (claimed
# too) has a map of the kernel's multipath target, made before mpiod starts,
# which mpiod
# leaves alone (no map of its own, no queueing change at shutdown) and which
# is-claimed does not count as an mpio map. mpiod is started by hand: the
# test is about LVM's view of a map, not about the unit
# (test-systemd-unit.sh covers that).
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/integration/lib-mpiod.sh"

command -v pvcreate >/dev/null || t_fail "lvm2 is not installed (scripts/install-deps)"
modprobe dm-mpio || t_fail "modprobe dm-mpio failed"
cfg=/tmp/mpio-cfg
mpiod_config "$cfg" "Linux   scsi_debug" "OTHERVND"

# lvm's warnings about a PV seen twice (on the map and on a path).
DUP='duplicate|Not using device|prefers device'
# The LV's dm dependencies are exactly the map.
lv_on_map() { test "$(dmsetup deps -o devno vgmp-lv0 2>/dev/null | grep -oE '\([0-9]+, [0-9]+\)')" = "($(dmsetup info -c --noheadings -o major "$m" | tr -d ' '), $(dmsetup info -c --noheadings -o minor "$m" | tr -d ' '))"; }
# pvs names the PV by the map (/dev/mapper/<map> or /dev/mpio/<map>).
pv_is_map() {
	local pv
	pv=$(pvs --noheadings -o pv_name --select vg_name=vgmp 2>/dev/null | tr -d ' ')
	echo "   pvs: PV of vgmp is $pv"
	test "$pv" = "/dev/mapper/$m" -o "$pv" = "/dev/mpio/$m"
}

t_step "lvm2's configuration is its default"
lvmconfig --typeconfig diff 2>/dev/null | sed 's/^/   /'
lvmconfig --type full devices/external_device_info_source devices/multipath_component_detection 2>/dev/null | sed 's/^/   /'

t_step "a LUN of 3 scsi_debug paths; one of 2 tcm_loop paths in a map of the multipath target"
# 3 paths: scsi_debug gives the port of SCSI host N the ALUA state N % 3
# (active/optimized, active/non-optimized, standby), so one path can fail
# over to another that takes I/O. Not a second scsi_debug LUN for the
# multipath map: all of them share one store, so LVM would see the PV there too.
out=$(sd_paths 3 1) || exit 1
mapfile -t sd <<<"$out"
out=$(tcmloop_paths 2 --vendor OTHERVND --product DISK --serial other1) || exit 1
mapfile -t other <<<"$out"
t_check "3 scsi_debug paths, 2 tcm_loop paths" test "${#sd[@]}" = 3 -a "${#other[@]}" = 2
need_mod dm_multipath
need_mod dm_round_robin
owwid=$(dev_wwid "${other[0]}")
dmsetup create mpathx --uuid "mpath-$owwid" \
	--table "$(mpio_table -t multipath -f queue_if_no_path round-robin "${other[0]} 1" "${other[1]} 1")" ||
	t_fail "cannot create the multipath map"
settle
otable=$(dmsetup table mpathx)

t_step "mpiod makes a map of the scsi_debug LUN alone"
mpiod_start "$cfg"
m=$(mpio_maps)
t_check "one mpio map" test "$(echo "$m" | wc -l)" = 1
t_check "map $m has 3 paths" test "$(mpio_npaths "$m")" = 3
t_check "map $m is scsi_debug's" mpio_has_path "$m" "${sd[0]}"
dmsetup info -c -o name,uuid | sed 's/^/   /'
t_check "its uuid is mpath-<WWID>" test "$(dmsetup info -c --noheadings -o uuid "$m")" = "mpath-$(dev_wwid "${sd[0]}")"
t_check "mpiod says once that it leaves mpathx alone" test "$(grep -c "map mpathx (mpath-$owwid): a map of the kernel's multipath target .*leaving it alone" "$MPIOD_LOG")" = 1
t_check "mpathx's table is untouched" test "$(dmsetup table mpathx)" = "$otable"
t_check "mpiod leaves the paths of mpathx to it" grep -q "map of $owwid: mpathx (target 'multipath', multipath-tools') has its uuid, leaving its paths to it" "$MPIOD_LOG"
grep "mpathx\|$owwid" "$MPIOD_LOG" | sed 's/^/   /'
# The claim rule alone, without the list: a holder counts when it is an mpio map.
mkdir -p /tmp/nolist
t_check "is-claimed ${sd[0]} (no list): a path of an mpio map" sh -c "$MPIO_SRC/multipathctl/multipathctl --config-dir /tmp/nolist is-claimed ${sd[0]} | grep -q 'path of an mpio map'"
t_check "is-claimed ${other[0]} (no list): multipath-tools' map is no mpio map" sh -c "! $MPIO_SRC/multipathctl/multipathctl --config-dir /tmp/nolist is-claimed ${other[0]}"
settle

t_step "pvcreate, vgcreate, lvcreate on /dev/mapper/$m"
t_check "pvcreate /dev/mapper/$m" sh -c "pvcreate -y /dev/mapper/$m >/tmp/pvcreate.log 2>&1"
sed 's/^/   /' /tmp/pvcreate.log
settle
t_check "vgcreate vgmp /dev/mapper/$m" sh -c "vgcreate vgmp /dev/mapper/$m >/tmp/vgcreate.log 2>&1"
sed 's/^/   /' /tmp/vgcreate.log
# On failure here, the rest only repeats it.
[ "$T_FAILED" = 0 ] || t_done
t_check "vgcreate warned of no duplicate" sh -c "! grep -qiE '$DUP' /tmp/vgcreate.log"
t_check "lvcreate -l 100%FREE -n lv0 vgmp" sh -c "lvcreate -y -l 100%FREE -n lv0 vgmp >/tmp/lvcreate.log 2>&1"
sed 's/^/   /' /tmp/lvcreate.log
settle

t_step "LVM sees the PV on the map only"
pvs >/tmp/pvs.log 2>&1
sed 's/^/   /' /tmp/pvs.log
t_check "pvs: no duplicate PV warning" sh -c "! grep -qiE '$DUP' /tmp/pvs.log"
t_check "pvs: the PV is the map" pv_is_map
for d in "${sd[@]}"; do
	t_check "pvs: $d is no PV" sh -c "! pvs --noheadings -o pv_name 2>/dev/null | grep -qw '$d'"
done
dmsetup deps -o devname vgmp-lv0 | sed 's/^/   vgmp-lv0 /'
t_check "the LV's dm deps are the map" lv_on_map
t_check "lsblk: the map is TYPE mpath" test "$(lsblk -dno TYPE "/dev/mapper/$m")" = mpath
lsblk -o NAME,TYPE,SIZE "${sd[0]}" | sed 's/^/   /'

t_step "ext4 on the LV; a path fails and returns under fio --verify"
mkfs.ext4 -q /dev/vgmp/lv0 || t_fail "mkfs.ext4 on the LV failed"
mkdir -p /mnt/lv
mount /dev/vgmp/lv0 /mnt/lv || t_fail "mount of the LV failed"
io_pattern /mnt/lv/pattern 4
sync
cp /mnt/lv/pattern /tmp/pattern
# The path that takes the I/O, once mpiod grouped the paths by ALUA state.
t_check "mpiod grouped the paths by ALUA state" wait_for 60 ngroups_is "$m" 3
victim=
for d in "${sd[@]}"; do
	[ "$(cat "/sys/block/${d#/dev/}/device/access_state")" = active/optimized ] && victim=$d
done
[ -n "$victim" ] || t_fail "no active/optimized path"
echo "   the active/optimized path: $victim"
fio_verify /mnt/lv/fio.dat 300 /tmp/fio-lvm.log
io=$(dev_ios "/dev/mapper/$m")
t_check "fio writes through the map" wait_for 60 ios_past "/dev/mapper/$m" $((io + 100))
n=$(grep -c "($(devnum "$victim")) checks up (tur), reinstated" "$MPIOD_LOG")
path_offline "$victim"
t_check "$victim failed in the kernel" wait_for 60 mpio_path_is "$m" F "$victim"
io=$(dev_ios "/dev/mapper/$m")
t_check "I/O goes on without $victim" wait_for 60 ios_past "/dev/mapper/$m" $((io + 100))
path_online "$victim"
t_check "$victim reinstated by the checker" wait_for 60 sh -c "test \$(grep -c '($(devnum "$victim")) checks up (tur), reinstated' $MPIOD_LOG) -gt $n"
io=$(dev_ios "/dev/mapper/$m")
t_check "I/O goes on after the reinstatement" wait_for 60 ios_past "/dev/mapper/$m" $((io + 100))
kill -INT "$FIO_PID" 2>/dev/null
wait "$FIO_PID"
rc=$?
t_check "fio stopped without error (exit $rc)" test "$rc" = 0 -o "$rc" = 128
t_check "fio saw no I/O error" fio_verify_ok /tmp/fio-lvm.log
t_check "every path usable" wait_for 30 output_is "" mpio_paths "$m" F
umount /mnt/lv || t_fail "umount failed"

t_step "every path down, one deleted: mpiod's reload leaves udev free"
# Nothing that udev runs for the reload's change event may read the map
# (blkid, LVM's pvscan): it would wait on the queued I/O, and with it
# udev's queue, every "udevadm settle" and mpiod, which waits for udev.
for d in "${sd[@]}"; do path_offline "$d"; done
t_check "every path failed in the kernel" wait_for 30 mpio_path_is "$m" F "${sd[@]}"
gone=${sd[2]}
echo 1 >"$(_sdev "$gone")/delete" || t_fail "cannot delete $gone"
t_check "mpiod reloaded $m without $gone" wait_for 20 npaths_is "$m" 2
t_check "udev settles while the map queues" udevadm settle --timeout=10
ps -eo pid,stat,wchan:24,args | grep -E '[p]vscan|[b]lkid -' | sed 's/^/   waiting: /'
t_check "no LVM scan waits on the map" sh -c "! pgrep -f '[l]vm pvscan' >/dev/null"
for d in "${sd[@]:0:2}"; do path_online "$d"; done
scsi_rescan
t_check "the deleted path is back in $m" wait_for 60 npaths_is "$m" 3
t_check "every path usable" wait_for 60 output_is "" mpio_paths "$m" F

t_step "vgchange -an, then -ay (as after a reboot): the LV is on the map again"
t_check "vgchange -an vgmp" vgchange -an vgmp
t_check "the LV is gone" sh -c "! dmsetup info vgmp-lv0 >/dev/null 2>&1"
t_check "vgchange -ay vgmp" sh -c "vgchange -ay vgmp >/tmp/vgchange.log 2>&1"
sed 's/^/   /' /tmp/vgchange.log
settle
t_check "vgchange warned of no duplicate" sh -c "! grep -qiE '$DUP' /tmp/vgchange.log"
t_check "the LV's dm deps are the map" lv_on_map
t_check "the PV is the map" pv_is_map
mount /dev/vgmp/lv0 /mnt/lv || t_fail "mount of the LV failed"
t_check "the file written before the path failure is intact" cmp -s /mnt/lv/pattern /tmp/pattern
umount /mnt/lv
vgchange -an vgmp >/dev/null

t_step "a stop for a shutdown (SIGUSR2) turns queueing off on mpio's map only"
kill -USR2 "$(mpiod_pid)"
t_check "mpiod exits" wait_for 20 sh -c "! kill -0 $(mpiod_pid)"
grep 'queueing turned off' "$MPIOD_LOG" | sed 's/^/   /'
t_check "on 1 map" grep -q 'queueing turned off on 1 maps' "$MPIOD_LOG"
t_check "mpathx still queues" mpio_has_features mpathx queue_if_no_path

mpiod_finish
t_done
