#!/bin/bash
# vm-options: --timeout 3600 --allow rejecting.I/O.to.offline.device|I/O.error|dd_exit_sched|statistics.for.priority|Call.Trace:
# The fault matrix with a real client on top (tests/faults/README.md): an
# LVM volume group on the map, ext4 on its LV, and the data oracle writing a
# file there (fsync after each write); after each scenario the checker reads
# the file back and fsck -n must find the file system clean. Each scenario
# runs for mpio and then for the anchor on the same three scsi_debug paths (optimized, non-optimized, standby).
#   test-faults-fs.sh [SCENARIO...]   (default: F1 F2 F4 F17)
# The scenarios are described in scenarios.sh.
# mpiod by hand: the test alternates it with multipathd.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/faults/lib-faults.sh"
. "$MPIO_SRC/tests/faults/scenarios.sh"

command -v pvcreate >/dev/null || t_fail "lvm2 is not installed (scripts/install-deps)"
t_step "SAN: 3 scsi_debug paths to one LU (optimized, non-optimized, standby)"
fm_san
FM_FS=1
[ $# -gt 0 ] || set -- F1 F2 F4 F17
fm_run "$@"
t_done
