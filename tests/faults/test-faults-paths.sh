#!/bin/bash
# vm-options: --timeout 7200 --allow rejecting.I/O.to.offline.device|I/O.error|Medium.Error|Unrecovered.read.error|critical.medium.error|Sense.Key|dd_exit_sched|statistics.for.priority|Call.Trace:
# The fault matrix, path faults (tests/faults/README.md): each scenario
# runs for mpio and then for the anchor (Debian's multipathd and the kernel's
# multipath target) on the same three scsi_debug paths (optimized, non-optimized, standby), in this boot, with the
# data oracle writing to the map throughout and checking every block after.
#   test-faults-paths.sh [SCENARIO...]   (default: all of them, in this order)
# The scenarios are described in scenarios.sh and tests/faults/README.md.
# mpiod by hand: the test alternates it with multipathd and kills it (kill -9).
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/faults/lib-faults.sh"
. "$MPIO_SRC/tests/faults/scenarios.sh"

t_step "SAN: 3 scsi_debug paths to one LU (optimized, non-optimized, standby)"
fm_san
[ $# -gt 0 ] || set -- F1 F2 F3 F4 F4b F5 F6 F7 F8 F9 F14 F16 F17 F20 F21 F22a F22b
fm_run "$@"
t_done
