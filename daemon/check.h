/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Path checks: the checker pool, its ticks, and what each result changes. */
#ifndef MPIOD_CHECK_H
#define MPIOD_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

int check_setup(Context *c);
/* Check p after delay_usec (0: now, unless a check of it is running). */
void check_soon(Context *c, struct dpath *p, uint64_t delay_usec);
/* udev reported p's device (uevent), or it was looked at again: check a failed path now. */
void check_device_reported(Context *c, struct dpath *p, bool uevent);

#endif
