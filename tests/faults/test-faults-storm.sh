#!/bin/bash
# vm-options: --timeout 3600 --mem 3072 --allow rejecting.I/O.to.offline.device|I/O.error|dd_exit_sched|statistics.for.priority|Call.Trace:
# The fault matrix's uevent storm (tests/faults/README.md, F18): on the
# three scsi_debug paths of the other scripts, with the data oracle writing
# to their map, FM_STORM_LUNS more LUs appear at once behind the same three
# hosts; each system in turn, in this boot, must make all their maps while
# its CLI keeps answering (FM_STORM_LUNS, default 64: 192 paths). It boots
# alone (tests/faults/run): the CLI's latency is measured.
#   test-faults-storm.sh [F18]
# mpiod by hand: the test alternates it with multipathd.
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/faults/lib-faults.sh"
. "$MPIO_SRC/tests/faults/scenarios.sh"

t_step "SAN: 3 scsi_debug paths to one LU (optimized, non-optimized, standby)"
FM_BUS=1
fm_san
[ $# -gt 0 ] || set -- F18
fm_run "$@"
t_done
