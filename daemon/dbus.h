/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The D-Bus API, org.mpio.Manager1 on the system bus. */
#ifndef MPIOD_DBUS_H
#define MPIOD_DBUS_H

#include "model.h"

/* Connect to the system bus now or when it appears, and again whenever it goes away. */
int dbus_setup(Context *c);
void dbus_teardown(Context *c);

#endif
