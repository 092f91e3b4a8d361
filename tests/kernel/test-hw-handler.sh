#!/bin/bash
# vm-options: --timeout 600
# Group activation through scsi_dh (pg_init) with the alua handler over
# scsi_debug paths, in bio and rq mode. scsi_debug exposes one port in the
# active state and one in standby: group 1 holds the active path, group 2
# the standby one. I/O activates group 1 (pg_init_count); switch_group 2
# sends I/O to the standby path, which fails with a path error: the path is
# failed and the I/O is retried on group 1 after a new activation, so the
# reader sees no error and the data stays intact.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/kernel/lib-mpio.sh"

mpio_load
out=$(sd_alua_paths) || exit 1
{ read -r act; read -r stby; } <<<"$out"
A=$(devnum "$act") S=$(devnum "$stby")
io_pattern /tmp/data 4
# Group 1 is the active group and its path $A active, never failed; group 2
# (the standby path) is enabled.
group1_active() {
	test "$(mpio_group_state mp 1) $(mpio_path_state mp "$act") $(mpio_fail_count mp "$act") $(mpio_group_state mp 2)" = "A A 0 E"
}

for mode in bio rq; do
	t_step "alua, group 1 active path, group 2 standby path, queue_mode $mode"
	mpio_create mp "$(mpio_table -f "queue_mode $mode pg_init_retries 3 pg_init_delay_msecs 200" -h alua \
		round-robin "$act" -g round-robin "$stby")"
	dmsetup table mp
	t_check "table names the alua handler ($mode)" test "$(mpio_hw_handler mp)" = alua
	t_check "write through group 1 ($mode)" io_write /dev/mapper/mp /tmp/data
	dmsetup status mp
	t_check "group 1 activated: pg_init_count >= 1 ($mode)" test "$(mpio_pg_init_count mp)" -ge 1
	t_check "group 1 is the active one ($mode)" group1_active
	t_check "switch_group 2 ($mode)" mpio_msg mp switch_group 2
	t_check "read back: standby path fails, I/O retried on group 1 ($mode)" io_same /dev/mapper/mp /tmp/data
	dmsetup status mp
	t_check "standby path $S failed ($mode)" mpio_path_is mp F "$stby"
	t_check "active path $A still active ($mode)" mpio_path_is mp A "$act"
	t_check "group 1 active again ($mode)" group1_active
	t_check "group 1 activated again: pg_init_count >= 1 ($mode)" test "$(mpio_pg_init_count mp)" -ge 1
	t_check "data intact through the active path ($mode)" io_same "$act" /tmp/data
	mpio_remove mp
done
t_done
