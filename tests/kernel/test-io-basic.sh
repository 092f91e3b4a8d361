#!/bin/bash
# vm-options: --timeout 300
# Basic dm-mpio I/O in both queue modes over scsi_debug paths: data goes
# through the map and reads back through each path, round-robin uses every
# path and each path's latency is sampled, fail_path/reinstate_path change
# the status, and the module cannot be removed while a table uses it.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/kernel/lib-mpio.sh"

mpio_load
out=$(sd_paths 2 1) || exit 1
mapfile -t sd <<<"$out"
a=${sd[0]} b=${sd[1]}
io_pattern /tmp/data 8

for mode in bio rq; do
	t_step "queue_mode $mode"
	mpio_create mp "$(mpio_table -f "queue_mode $mode" round-robin "$a" "$b")"
	dmsetup table mp
	dmsetup status mp
	t_check "write through the map" io_write /dev/mapper/mp /tmp/data
	t_check "read back through the map" io_same /dev/mapper/mp /tmp/data
	t_check "read back through $a" io_same "$a" /tmp/data
	t_check "read back through $b" io_same "$b" /tmp/data
	t_check "path $a carried I/O" test "$(mpio_stat mp "$a" ios)" -gt 0
	t_check "path $b carried I/O" test "$(mpio_stat mp "$b" ios)" -gt 0
	# round-robin has no I/O hooks: in bio mode only the timed I/O's
	# completion reads its per-bio data (mpio_timed_bio)
	t_check "latency sampled on $a" test "$(mpio_stat mp "$a" lat_us)" -gt 0
	t_check "latency sampled on $b" test "$(mpio_stat mp "$b" lat_us)" -gt 0

	t_check "fail_path $a" mpio_msg mp fail_path "$(devnum "$a")"
	t_check "$a shows F" mpio_path_is mp F "$a"
	before=$(mpio_stat mp "$a" ios)
	t_check "I/O with one path failed" io_same /dev/mapper/mp /tmp/data
	t_check "failed path got no I/O" test "$(mpio_stat mp "$a" ios)" = "$before"
	t_check "reinstate_path $a" mpio_msg mp reinstate_path "$(devnum "$a")"
	t_check "$a shows A" mpio_path_is mp A "$a"
	t_check "fail count is 1" test "$(mpio_path_state mp "$a") $(mpio_fail_count mp "$a")" = "A 1"
	t_check "unknown message refused" sh -c '! dmsetup message mp 0 bogus 2>/dev/null'
	t_check "module busy while a table uses it" sh -c '! rmmod dm_mpio 2>/dev/null'
	mpio_remove mp
done

t_check "module unloads when unused" rmmod dm_mpio
t_done
