#!/bin/bash
# vm-options: --timeout 400
# Self-test of the VM bench's path helpers (tests/vm/lib.sh): each helper
# builds what it says, and each fault it injects is seen by the kernel.
. "$MPIO_SRC/tests/vm/lib.sh"

t_step "null_blk"
out=$(nullb_create 2 1) || exit 1
mapfile -t nb <<<"$out"
t_check "2 null_blk devices" test ${#nb[@]} = 2
t_check "null_blk readable" dd if="${nb[1]}" of=/dev/null bs=4k count=16 iflag=direct status=none

t_step "device-mapper stacks"
lin=$(dm_linear lin0 "${nb[0]}") || exit 1
t_check "dm_linear reads" dd if="$lin" of=/dev/null bs=4k count=16 iflag=direct status=none
dm_fail lin0
t_check "dm_fail: I/O errors" sh -c "! dd if=$lin of=/dev/null bs=4k count=1 iflag=direct status=none 2>/dev/null"
dm_restore lin0
t_check "dm_restore: I/O works again" dd if="$lin" of=/dev/null bs=4k count=1 iflag=direct status=none
dm_slow lin0 300
t0=$(date +%s%N)
dd if="$lin" of=/dev/null bs=4k count=1 iflag=direct status=none
ms=$((($(date +%s%N) - t0) / 1000000))
echo "read through dm_slow 300: ${ms} ms"
t_check "dm_slow: a read takes >= 300 ms" test "$ms" -ge 300
dm_restore lin0
fl=$(dm_flakey fl0 "${nb[1]}" 0 60) || exit 1
t_check "dm_flakey down: I/O errors" sh -c "! dd if=$fl of=/dev/null bs=4k count=1 iflag=direct status=none 2>/dev/null"
dl=$(dm_delay dl0 "${nb[1]}" 200) || exit 1
t0=$(date +%s%N)
dd if="$dl" of=/dev/null bs=4k count=1 iflag=direct status=none
ms=$((($(date +%s%N) - t0) / 1000000))
t_check "dm_delay 200: a read takes >= 200 ms ($ms)" test "$ms" -ge 200
er=$(dm_error er0 2048) || exit 1
t_check "dm_error: I/O errors" sh -c "! dd if=$er of=/dev/null bs=4k count=1 iflag=direct status=none 2>/dev/null"
dmsetup remove lin0 fl0 dl0 er0

t_step "scsi_debug: 2 paths to each of 2 LUNs; delete and rescan"
out=$(sd_paths 2 2) || exit 1
mapfile -t sd <<<"$out"
t_check "4 scsi_debug devices" test ${#sd[@]} = 4
t_check "2 paths to LUN 0" test "$(sd_devs 0 | wc -l)" = 2
t_check "2 paths to LUN 1" test "$(sd_devs 1 | wc -l)" = 2
l0=($(sd_devs 0)) l1=($(sd_devs 1))
t_check "paths of LUN 0 share a WWID" test "$(dev_wwid "${l0[0]}")" = "$(dev_wwid "${l0[1]}")"
t_check "LUNs 0 and 1 differ" test "$(dev_wwid "${l0[0]}")" != "$(dev_wwid "${l1[0]}")"
path_offline "${l0[0]}"
t_check "offline: I/O refused" sh -c "! dd if=${l0[0]} of=/dev/null bs=4k count=1 iflag=direct status=none 2>/dev/null"
path_online "${l0[0]}"
t_check "running: I/O works" dd if="${l0[0]}" of=/dev/null bs=4k count=1 iflag=direct status=none
addr=$(scsi_addr "${l0[0]}")
path_delete "${l0[0]}"
t_check "deleted path gone" test ! -e "/sys/class/scsi_device/$addr"
scsi_rescan
t_check "rescan brings it back" wait_for 20 test -e "/sys/class/scsi_device/$addr"
t_check "4 devices again" wait_for 20 lines_are = 4 sd_devs

t_step "tcm_loop: 2 SAS-like paths"
out=$(tcmloop_paths 2 --vendor MPIOSAS --product LOOPDISK --serial sas1) || exit 1
mapfile -t tl <<<"$out"
t_check "2 tcm_loop paths" test ${#tl[@]} = 2
t_check "tcm_loop paths share a WWID" test "$(dev_wwid "${tl[0]}")" = "$(dev_wwid "${tl[1]}")"
t_check "product seen" test "$(dev_inq "${tl[0]}" model)" = LOOPDISK
t_check "tcm_loop hosts differ" test "$(scsi_addr "${tl[0]}" | cut -d: -f1)" != "$(scsi_addr "${tl[1]}" | cut -d: -f1)"

t_step "iSCSI with ALUA port groups"
out=$(iscsi_san --luns 2 --alua --vendor MPIOALUA --product ALUADISK --serial alua) || exit 1
mapfile -t is <<<"$out"
t_check "4 iSCSI paths (2 LUNs x 2 portals)" test ${#is[@]} = 4
p1=$(iscsi_devs 127.0.0.1 | head -n1) p2=$(iscsi_devs 127.0.0.2 | head -n1)
t_check "ALUA handler attached" grep -qx alua "/sys/block/${p1#/dev/}/device/dh_state"
alua_set 127.0.0.2 nonoptimized
rtpg=$(sg_rtpg --decode "$p1")
echo "$rtpg"
t_check "RTPG: group 1 active/optimized" sh -c "echo '$rtpg' | grep -A1 'target port group id : 0x1' | grep -q 'active/optimized'"
t_check "RTPG: group 2 active/non optimized" sh -c "echo '$rtpg' | grep -A1 'target port group id : 0x2' | grep -q 'active/non optimized'"
alua_set 127.0.0.2 standby
t_check "RTPG: group 2 standby" sh -c "sg_rtpg --decode $p1 | grep -A1 'target port group id : 0x2' | grep -q standby"
dd if="$p2" of=/dev/null bs=4k count=1 iflag=direct status=none 2>/dev/null
t_check "initiator sees standby on ${p2}" wait_for 15 grep -q standby "/sys/block/${p2#/dev/}/device/access_state"
alua_set 127.0.0.2 optimized

t_step "iSCSI logout and login"
iscsi_logout 127.0.0.2
t_check "logout: portal 2 paths gone" wait_for 20 lines_are = 0 iscsi_devs 127.0.0.2
t_check "portal 1 paths remain" test "$(iscsi_devs 127.0.0.1 | wc -l)" = 2
iscsi_login 127.0.0.2
t_check "login: portal 2 paths back" wait_for 20 lines_are = 2 iscsi_devs 127.0.0.2

t_done
