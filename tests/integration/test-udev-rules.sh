#!/bin/bash
# vm-options: --timeout 360
# 59-mpio.rules: paths that mpiod takes are set aside for mpio from their
# first uevent (DM_MULTIPATH_DEVICE_PATH=1, SYSTEMD_READY=0, no blkid,
# ID_FS_TYPE=mpath_member), other disks are not; a claim added later applies
# on the next change event. Maps get /dev/mpio/<name>; a partition table
# written on a map gives /dev/mapper/<map>-part1 (kpartx) that holds the
# data written there, and a flush over D-Bus removes the partitions with the map.
# mpiod by hand: 59-mpio.rules is rewritten to ask this tree's multipathctl
# about a test config dir, which mpiod must read too.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/integration/lib-mpiod.sh"

CTL=$MPIO_SRC/multipathctl/multipathctl
ctl() { "$CTL" --config-dir "$cfg" "$@"; }
prop() { udevadm info --query=property --name="$1" | sed -n "s/^$2=//p"; }
is_path() {
	test "$(prop "$1" DM_MULTIPATH_DEVICE_PATH)" = 1 && test "$(prop "$1" SYSTEMD_READY)" = 0 &&
		test "$(prop "$1" ID_FS_TYPE)" = mpath_member
}
not_path() {
	test -z "$(prop "$1" DM_MULTIPATH_DEVICE_PATH)" && test -z "$(prop "$1" SYSTEMD_READY)" &&
		test "$(prop "$1" ID_FS_TYPE)" != mpath_member
}

# mbr_write DEV START:SIZE...: a DOS partition table of Linux partitions (MiB).
le32() {
	local v=$1
	printf "\\$(printf %03o $((v & 255)))\\$(printf %03o $(((v >> 8) & 255)))"
	printf "\\$(printf %03o $(((v >> 16) & 255)))\\$(printf %03o $(((v >> 24) & 255)))"
}
mbr_write() {
	local dev=$1 e
	shift
	{
		head -c 446 /dev/zero
		for e in "$@"; do
			printf '\000\000\000\000\203\000\000\000'
			le32 $((${e%:*} * 2048))
			le32 $((${e#*:} * 2048))
		done
		head -c $(((4 - $#) * 16)) /dev/zero
		printf '\125\252'
	} | dd of="$dev" bs=512 count=1 iflag=fullblock oflag=direct conv=notrunc,fsync status=none
}

modprobe dm-mpio || t_fail "modprobe dm-mpio failed"
cfg=/tmp/mpio-cfg
mpiod_config "$cfg" "Linux   scsi_debug"
printf '[Defaults]\nRemoveTimeout=1\n' >"$cfg/mpio.conf"

t_step "a file system on the unclaimed LUN before anything: blkid sees it"
out=$(tcmloop_paths 1 --vendor OTHERVND --product DISK --serial other1) || exit 1
other=$out
mkfs.ext4 -q -L otherfs "$other" || t_fail "mkfs on $other failed"
udevadm trigger --action=change --settle "$other"

t_step "devices: scsi_debug 2 paths to 1 LUN (claimed), OTHERVND (not claimed)"
out=$(sd_paths 2 1) || exit 1
mapfile -t sd <<<"$out"
settle
for d in "${sd[@]}"; do
	udevadm info --query=property --name="$d" | grep -E 'DM_MULTIPATH|SYSTEMD_READY|ID_FS_TYPE|MPIO_' | sed "s|^|   $d: |"
	t_check "$d: DM_MULTIPATH_DEVICE_PATH=1, SYSTEMD_READY=0, ID_FS_TYPE=mpath_member" is_path "$d"
done
udevadm info --query=property --name="$other" | grep -E 'DM_MULTIPATH|SYSTEMD_READY|ID_FS_TYPE|MPIO_' | sed "s|^|   $other: |"
t_check "$other: no path properties" not_path "$other"
t_check "$other: blkid found its ext4" test "$(prop "$other" ID_FS_TYPE)" = ext4
t_check "$other: by-label link" test -L /dev/disk/by-label/otherfs
t_check "is-claimed ${sd[0]}: exit 0" ctl is-claimed "${sd[0]}"
t_check "is-claimed $other: exit 1" sh -c "! '$CTL' --config-dir $cfg is-claimed $other"
t_check "is-claimed of a partition or junk: exit 1" sh -c "! '$CTL' is-claimed nosuchdev"

t_step "mpiod: one map; the path of an unclaimed vendor stays out until claimed"
mpiod_start "$cfg"
m=$(mpio_maps)
t_check "one map" test "$(echo "$m" | wc -l)" = 1
t_check "/dev/mpio/$m" test -b "/dev/mpio/$m"
for d in "${sd[@]}"; do
	t_check "$d still a path with its map up" is_path "$d"
done
ctl claim add OTHERVND >/dev/null
udevadm trigger --action=change --settle "$other"
t_check "$other after claim add + change event: a path" is_path "$other"
t_check "mpiod made its map" wait_for 20 sh -c "test \$(dmsetup ls --target mpio | wc -l) = 2"
settle
t_check "by-label link now names the map, not $other" wait_for 10 sh -c "readlink -f /dev/disk/by-label/otherfs | grep -q /dev/dm-"
ctl claim remove OTHERVND >/dev/null
t_check "its map goes (RemoveTimeout=1)" wait_for 20 sh -c "test \$(dmsetup ls --target mpio | wc -l) = 1"
udevadm trigger --action=change --settle "$other"
t_check "$other after claim remove: not a path again" not_path "$other"
t_check "by-label link names $other again" wait_for 10 sh -c "test \$(readlink -f /dev/disk/by-label/otherfs) = $other"

t_step "a partition table on the map: kpartx maps its partitions"
t_check "/dev/disk/by-id/dm-uuid-mpath-<WWID> names the map" test "$(readlink -f "/dev/disk/by-id/dm-uuid-$(dmsetup info -c --noheadings -o uuid "$m")")" = "$(readlink -f "/dev/mapper/$m")"
# kpartx's own 60-kpartx.rules runs it on "mpath-" maps: ours must not too.
udevadm test --action=change "/sys/class/block/$(basename "$(readlink -f "/dev/mapper/$m")")" >/tmp/udevtest.log 2>&1
# The programs it would run: "run: '<cmd>'" (systemd 252), "  RUN{program} :
# <cmd>" (systemd 257).
udev_runs() { sed -n "s/^run: '\(.*\)'\$/\1/p; s/^ *RUN{program} *: //p" /tmp/udevtest.log; }
udev_runs | sed 's/^/   run: /'
t_check "a change event of the map runs kpartx once" test "$(udev_runs | grep -c '/kpartx ')" = 1
mbr_write "/dev/mapper/$m" 1:16 17:16
udevadm settle
t_check "/dev/mapper/$m-part1 appears" wait_for 15 test -b "/dev/mapper/$m-part1"
t_check "/dev/mapper/$m-part2 appears" test -b "/dev/mapper/$m-part2"
t_check "/dev/mpio/$m-part1 link" wait_for 5 test -b "/dev/mpio/$m-part1"
dmsetup info -c -o name,uuid,open | sed 's/^/   /'
t_check "part1's dm uuid is part1-mpath-<WWID>" sh -c "dmsetup info -c --noheadings -o uuid '$m-part1' | grep -qx 'part1-$(dmsetup info -c --noheadings -o uuid "$m")'"
t_check "part1 is 16 MiB" test "$(blockdev --getsize64 "/dev/mapper/$m-part1")" = $((16 << 20))
io_pattern /tmp/pat 4
io_write "/dev/mapper/$m-part2" /tmp/pat
t_check "data written on part2 reads back" io_same "/dev/mapper/$m-part2" /tmp/pat
t_check "and sits 16 MiB + 1 MiB into the map" cmp -s <(dd if="/dev/mapper/$m" bs=1M skip=17 count=4 iflag=direct status=none) /tmp/pat
for d in "${sd[@]}"; do
	t_check "$d has no partition nodes of its own" sh -c "! ls ${d}[0-9]* 2>/dev/null"
done

t_step "a new table with one partition: part2 goes"
mbr_write "/dev/mapper/$m" 1:24
udevadm settle
t_check "part2 removed" wait_for 15 test ! -e "/dev/mapper/$m-part2"
t_check "part1 is 24 MiB now" wait_for 5 output_is $((24 << 20)) blockdev --getsize64 "/dev/mapper/$m-part1"

t_step "flush over D-Bus removes the partitions, then the map"
system_bus
mpiod_stop
mpiod_start "$cfg"
t_check "mpiod on the bus" wait_for 10 grep -q "D-Bus API on the system bus" "$MPIOD_LOG"
exec 9<"/dev/mapper/$m-part1"
t_check "flush with part1 open: busy" sh -c "! '$CTL' flush '$m' 2>/tmp/err; cat /tmp/err; grep -q 'is open' /tmp/err"
t_check "part1 is still there" test -b "/dev/mapper/$m-part1"
exec 9<&-
t_check "flush: exit 0" ctl flush "$m"
t_check "the map is gone" sh -c "! dmsetup info '$m' >/dev/null 2>&1"
t_check "its partitions too" sh -c "! dmsetup info '$m-part1' >/dev/null 2>&1"
grep 'removed partition' "$MPIOD_LOG" | sed 's/^/   /'

t_step "all paths gone: after RemoveTimeout its partitions go, then the map (part1 open: deferred)"
udevadm trigger --action=change --settle "${sd[@]}"
t_check "the map is back after a change uevent" wait_for 30 dmsetup info "$m"
t_check "and so is part1" wait_for 30 test -b "/dev/mapper/$m-part1"
exec 9<"/dev/mapper/$m-part1"
for d in "${sd[@]}"; do
	path_delete "$d"
done
t_check "mpiod defers part1's removal (open)" wait_for 30 grep -q "removal deferred until it is closed: partition $m-part1" "$MPIOD_LOG"
t_check "part1 is still there while open" dmsetup info "$m-part1"
exec 9<&-
t_check "part1 goes once closed" wait_for 20 sh -c "! dmsetup info '$m-part1' >/dev/null 2>&1"
t_check "then the map" wait_for 20 sh -c "! dmsetup info '$m' >/dev/null 2>&1"
t_check "no dm device left" sh -c "test -z \"\$(dmsetup ls --target mpio | grep -v 'No devices')\""
grep -E "partition|removed|deferred" "$MPIOD_LOG" | tail -4 | sed 's/^/   /'

mpiod_stop
t_check "mpiod logged no error" sh -c "! grep -q '^<[0-3]>' $MPIOD_LOG"
t_done
