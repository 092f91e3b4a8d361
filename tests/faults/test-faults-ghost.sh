#!/bin/bash
# vm-options: --timeout 3600 --allow check_flush_dependency|rejecting.I/O.to.offline.device|I/O.error|dd_exit_sched|statistics.for.priority|Call.Trace:
# The fault matrix on an iSCSI SAN (tests/faults/README.md): one LU behind
# two portals of a LIO target on loopback, each portal with its own
# backstore over a dm device of one ramdisk (fm_san_iscsi), so that the
# target can hold or fail the I/O of one portal. Each scenario runs for
# mpio and then for the anchor, in this boot.
#   test-faults-ghost.sh [SCENARIO...]   (default: F10 F10b F11 F12 F13)
# The scenarios are described in scenarios.sh.
# (The stock kernel may warn about a workqueue flush dependency when an
# iSCSI session goes, check_flush_dependency: allowed above, not ours.)
. "$MPIO_SRC/tests/vm/lib.sh"
. "$MPIO_SRC/tests/faults/lib-faults.sh"
. "$MPIO_SRC/tests/faults/scenarios.sh"

t_step "SAN: 2 iSCSI portals, one LU, a fault can be put under portal A at the target"
fm_san_iscsi
[ $# -gt 0 ] || set -- F10 F10b F11 F12 F13
fm_run "$@"
t_done
