/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Map sync: the table each map should have, compared with the kernel's;
 * create, reload, adopt, and remove maps; udev's work on them.
 */
#ifndef MPIOD_MAPS_H
#define MPIOD_MAPS_H

#include <stdbool.h>

#include "model.h"

/* Take over the maps of the mpio target found at start-up (dirty, to compare). */
int maps_adopt_existing(Context *c);
/* Arm the sync timer for the maps marked dirty (after the loop's dispatch). */
void maps_schedule_sync(Context *c);
/* Sync every dirty map now: create, or reload when the table differs. */
void maps_sync_dirty(Context *c);
/* At exit: release every udev cookie still pending. */
void maps_finish_batches(Context *c);
/*
 * Remove m's partition maps (kpartx's). Deferred: an open one goes when
 * closed; else an open one fails it with -EBUSY and its name in *ret_open.
 * Returns the number removed or a negative errno.
 */
int map_remove_partitions(Context *c, struct dmap *m, bool deferred, char **ret_open);
/*
 * Remove map m from the kernel; deferred: if it is open, on its last close
 * (returns 1 then). udev's work on the removal is not waited for in the
 * loop. Returns 0, 1 or a negative errno.
 */
int map_remove(Context *c, struct dmap *m, bool deferred);

#endif
