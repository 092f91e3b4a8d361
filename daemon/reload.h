/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The configuration: its load at start-up, and reloads (SIGHUP, D-Bus Reload). */
#ifndef MPIOD_RELOAD_H
#define MPIOD_RELOAD_H

#include <stdbool.h>

#include "model.h"

/*
 * Load mpio.conf (+ mpio.conf.d) and supported-devices from the config
 * directory. All or nothing: on any error the running configuration stays.
 * At start-up (initial) a missing mpio.conf means the defaults and a missing
 * supported-devices claims nothing; at a reload, a file the running
 * configuration was read from and that is missing now is an error. Errors
 * are logged, and put in *reterr if not NULL (its file is always set).
 */
int config_load(Context *c, bool initial, struct mp_parse_error *reterr);
/* Reload the configuration and look at every path and map again; errors as config_load(). */
int daemon_reload(Context *c, struct mp_parse_error *reterr);
/* "file:line: message" (or "file: message") of a rejected configuration, into buf. */
void config_error_text(const struct mp_parse_error *e, int r, char *buf, size_t len);
/* The unit's status line (sd_notify STATUS=): maps and paths. */
void notify_status(Context *c);

#endif
