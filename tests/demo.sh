#!/bin/bash
# The mpio demo, run inside the test VM by `make demo`: a two-portal iSCSI SAN
# with ALUA, one multipath device over it, and a path failure under load.
. "$MPIO_SRC/tests/vm/lib.sh"

say() { printf '\n>>> %s\n' "$*"; }
show() {
	printf '    $ %s\n' "$*"
	"$@" 2>&1 | sed 's/^/    /'
}

say "A Debian $(uname -r) kernel is up in a QEMU VM. Loading the mpio target."
if modprobe dm-mpio 2>/dev/null && dmsetup targets | grep -q '^mpio '; then
	target=mpio
else
	modprobe dm_multipath || t_fail "neither dm-mpio nor dm-multipath loads"
	target=multipath
	say "dm-mpio is not built yet; the demo uses the in-kernel multipath target instead."
fi
show dmsetup targets

say "Building a SAN: a LIO iSCSI target with ALUA, portals 127.0.0.1 (optimized) and 127.0.0.2 (non-optimized)."
out=$(iscsi_san --alua --vendor MPIODEMO --product SANLUN --serial demo) || exit 1
alua_set 127.0.0.2 nonoptimized
fast=$(iscsi_devs 127.0.0.1) slow=$(iscsi_devs 127.0.0.2)
printf '    %-10s %-12s %-10s %s\n' PATH PORTAL DEVT WWID
for d in $fast $slow; do
	printf '    %-10s %-12s %-10s %s\n' "${d#/dev/}" "$([ "$d" = "$fast" ] && echo 127.0.0.1 || echo 127.0.0.2)" \
		"$(devnum "$d")" "$(dev_wwid "$d")"
done

say "One $target device over both paths: group 1 = the optimized path, group 2 = the non-optimized one."
sz=$(blockdev --getsz "$fast")
table="0 $sz $target 1 queue_if_no_path 0 2 1 round-robin 0 1 1 $(devnum "$fast") 1 round-robin 0 1 1 $(devnum "$slow") 1"
dmsetup create demo --table "$table" || t_fail "cannot create the map"
settle
show dmsetup table demo
show dmsetup status demo

say "fio: random 4k writes with verification, for 20 s. After 5 s the optimized path goes offline."
fio --name=demo --filename=/dev/mapper/demo --direct=1 --rw=randwrite --bs=4k --iodepth=8 \
	--ioengine=libaio --size=32m --time_based --runtime=20 --verify=crc32c --verify_fatal=1 \
	--do_verify=1 --output-format=json --output=/tmp/fio.json &
fio_pid=$!
sleep 5
path_offline "$fast"
say "Path ${fast#/dev/} is offline."
wait_for 10 test "$(mp_path_state demo "$fast")" = F
show dmsetup status demo
sleep 5
say "Restoring ${fast#/dev/} and failing back to group 1."
path_online "$fast"
dmsetup message demo 0 reinstate_path "$(devnum "$fast")"
dmsetup message demo 0 switch_group 1
show dmsetup status demo
wait "$fio_pid"
fio_rc=$?
# fio may print notes before the JSON document.
sed -n '/^{/,$p' /tmp/fio.json >/tmp/fio.clean.json && mv /tmp/fio.clean.json /tmp/fio.json

errors=$(jq '.jobs[0].error' /tmp/fio.json)
ios=$(jq '.jobs[0].write.total_ios' /tmp/fio.json)
stall=$(jq '.jobs[0].write.clat_ns.max / 1000000 | floor' /tmp/fio.json)
say "Summary"
printf '    target:            %s\n' "$target"
printf '    writes completed:  %s, fio errors: %s, fio exit: %s\n' "$ios" "$errors" "$fio_rc"
printf '    longest write:     %s ms (the failover stall)\n' "$stall"
printf '    path %s:          %s\n' "${fast#/dev/}" "$(mp_path_state demo "$fast")"
printf '    path %s:          %s\n' "${slow#/dev/}" "$(mp_path_state demo "$slow")"
dmsetup remove demo
[ "$fio_rc" = 0 ] && [ "$errors" = 0 ] || t_fail "I/O errors during the demo"
say "No I/O error through the path failure and failback."
