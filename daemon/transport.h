/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A path's transport timeouts and I/O size: the map's settings written through libmp, logged. */
#ifndef MPIOD_TRANSPORT_H
#define MPIOD_TRANSPORT_H

#include "model.h"

/*
 * Apply p's map's settings to p's FC remote port, iSCSI session, SCSI host
 * and, when p is not under a map yet, its max_sectors_kb (and that of the
 * map's other paths not under it either, so that all get the same).
 */
void transport_apply(Context *c, struct dpath *p);
/* transport_apply() to every path: after a reload. */
void transport_apply_all(Context *c);

#endif
