/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The two producers of show's model (show-model.h): mpiod's view
 * (show-bus.c) and the kernel's (show-kernel.c), and what the kernel adds to
 * either.
 */
#ifndef MULTIPATHCTL_SHOW_READ_H
#define MULTIPATHCTL_SHOW_READ_H

#include <stdbool.h>

#include "ctl.h"
#include "show-model.h"

/*
 * Fill the empty model m with mpiod's maps and paths, and the settings of
 * map settings_of if not NULL (none if there is no such map). Returns 0,
 * or an exit status after saying why on stderr; but when mpiod does not run
 * (no system bus, or no one owns its name) *ret_not_running is set and
 * nothing is said, so that the caller may read the kernel instead.
 */
int show_bus_read(struct show_model *m, const char *settings_of, bool *ret_not_running);

/*
 * Fill the empty model m from device-mapper: the maps of the "mpio" and
 * "multipath" targets, their tables and status, and sysfs under sysfs_root
 * (NULL: "/sys") for their paths' names. Returns 0, or an exit status after
 * saying why on stderr (device-mapper cannot be read: no root).
 */
int show_kernel_read(struct show_model *m, struct mp_ctx *ctx, const char *sysfs_root);

/*
 * Add to m, from either producer, what only the kernel knows, where the
 * model has nothing yet: each map's dm-N, device number and (if
 * device-mapper can be read) table features and hardware handler; with
 * paths, each path's H:C:T:L, SCSI device state, vendor, product, size,
 * and ALUA state and transport (and a map's vendor and product from its
 * paths). What cannot be read stays unknown.
 */
void show_kernel_add_facts(struct show_model *m, struct mp_ctx *ctx, const char *sysfs_root,
			   bool paths);

#endif
