/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The configuration: its load at start-up, and reloads (SIGHUP, D-Bus Reload). */
#ifndef MPIOD_RELOAD_H
#define MPIOD_RELOAD_H

#include <stdbool.h>

#include "model.h"

/*
 * Load mpio.conf (+ mpio.conf.d) and supported-devices from the config
 * directory. All or nothing: on any error the running configuration stays.
 */
int config_load(Context *c, bool initial);
/* Reload the configuration and look at every path and map again. */
int daemon_reload(Context *c);
/* The unit's status line (sd_notify STATUS=): maps and paths. */
void notify_status(Context *c);

#endif
