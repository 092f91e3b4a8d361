#!/bin/bash
# vm-options: --timeout 3600 --allow rejecting.I/O.to.offline.device|I/O.error|dd_exit_sched|statistics.for.priority|Call.Trace:
# The fault matrix on two LUs (tests/faults/README.md): the three
# scsi_debug paths of the other scripts and a LIO iSCSI LU behind two
# portals, so that each system makes two maps; and a third I_T nexus to the
# LIO LU from another initiator (tcm_loop, no disk) for persistent
# reservations. Each scenario runs for mpio and then for the anchor, in this
# boot, with the data oracle writing to one map throughout.
#   test-faults-lio.sh [SCENARIO...]   (default: F15 F19)
# The scenarios are described in scenarios.sh.
# mpiod by hand: the test alternates it with multipathd.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/faults/lib-faults.sh"
. "$MPIO_SRC/tests/faults/scenarios.sh"

command -v sg_persist >/dev/null || t_fail "sg3-utils is not installed (scripts/install-deps)"
t_step "SAN: 3 scsi_debug paths to one LU, and a LIO iSCSI LU behind 2 portals"
FM_LIO=1 FM_BUS=1
fm_san
[ $# -gt 0 ] || set -- F15 F19
fm_run "$@"
t_done
