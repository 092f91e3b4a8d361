#!/bin/bash
# vm-options: --timeout 300
# Smoke test of the VM bench: both device-mapper targets load, and real
# multipath I/O works over scsi_debug and over a two-portal iSCSI SAN.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/kernel/lib-mpio.sh"

t_step "modules"
t_check "dm-mpio loads" modprobe dm-mpio
t_check "target mpio registered" sh -c 'dmsetup targets | grep -q "^mpio "'
t_check "in-kernel multipath loads" modprobe dm_multipath
t_check "target multipath registered" sh -c 'dmsetup targets | grep -q "^multipath "'

# multipath_io NAME DEV1 DEV2: a multibus map over two paths; data written
# through the map reads back through the map and through each path, and
# both paths carried I/O.
multipath_io() {
	local name=$1 a=$2 b=$3 before_a before_b
	t_check "$a and $b share one WWID" test "$(dev_wwid "$a")" = "$(dev_wwid "$b")"
	dmsetup create "$name" --table "$(mpio_table -t multipath round-robin "$a 1" "$b 1")" ||
		t_fail "cannot create $name"
	settle
	io_pattern "/tmp/$name.dat" 8
	before_a=$(dev_ios "$a") before_b=$(dev_ios "$b")
	t_check "write through $name" io_write "/dev/mapper/$name" "/tmp/$name.dat"
	t_check "read back through $name" io_same "/dev/mapper/$name" "/tmp/$name.dat"
	t_check "read back through path $a" io_same "$a" "/tmp/$name.dat"
	t_check "read back through path $b" io_same "$b" "/tmp/$name.dat"
	t_check "I/O went over $a" test "$(dev_ios "$a")" -gt $((before_a + 8))
	t_check "I/O went over $b" test "$(dev_ios "$b")" -gt $((before_b + 8))
}

t_step "scsi_debug: 2 paths to 1 LUN"
out=$(sd_paths 2 1) || exit 1
mapfile -t sd <<<"$out"
t_check "2 scsi_debug paths" test ${#sd[@]} = 2
multipath_io sdmp "${sd[0]}" "${sd[1]}"

t_step "iSCSI: LIO target, portals 127.0.0.1 and 127.0.0.2"
out=$(iscsi_san --vendor MPIOTEST --product SMOKE --serial smoke1) || exit 1
mapfile -t is <<<"$out"
t_check "2 iSCSI paths" test ${#is[@]} = 2
t_check "one session per portal" test "$(iscsi_devs 127.0.0.1 | wc -l)" = 1 -a "$(iscsi_devs 127.0.0.2 | wc -l)" = 1
t_check "vendor seen by the initiator" test "$(dev_inq "${is[0]}" vendor)" = MPIOTEST
multipath_io ismp "${is[0]}" "${is[1]}"

t_step "a path fault is seen"
path_offline "${is[0]}"
t_check "sysfs state offline" test "$(path_state "${is[0]}")" = offline
t_check "I/O continues on the other path" io_same /dev/mapper/ismp /tmp/ismp.dat
t_check "multipath marks ${is[0]} failed" wait_for 10 mpio_path_is ismp F "${is[0]}"
t_check "the other path stays active" mpio_path_is ismp A "${is[1]}"
path_online "${is[0]}"
dmsetup message ismp 0 reinstate_path "$(devnum "${is[0]}")"
t_check "reinstated path active" mpio_path_is ismp A "${is[0]}"
t_check "data intact after the fault" io_same /dev/mapper/ismp /tmp/ismp.dat

dmsetup remove ismp sdmp
t_done
