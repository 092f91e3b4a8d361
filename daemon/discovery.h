/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Discovery: udev's coldplug and uevents, into the model. */
#ifndef MPIOD_DISCOVERY_H
#define MPIOD_DISCOVERY_H

#include "model.h"

/* Listen to udev (before looking: nothing that appears meanwhile is missed). */
int discovery_setup(Context *c);
/* Look at every sd disk there is, as if each had just been added. */
int discovery_coldplug(Context *c);
/* Look at block device name as a new uevent would: 0 if it is a claimed path now, -ENODEV, -ENOENT. */
int discovery_add_path(Context *c, const char *name);
/* Forget a path (until its next uevent or a reload). */
void discovery_remove_path(Context *c, struct dpath *p, const char *why);

#endif
