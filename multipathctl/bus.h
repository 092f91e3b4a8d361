/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The connection to mpiod on the system bus (bus.c), for the commands that
 * talk to it (cmd-bus.c) and for show's reading of its state (show-bus.c):
 * connecting, and a failed call's error as a message and an exit status.
 */
#ifndef MULTIPATHCTL_BUS_H
#define MULTIPATHCTL_BUS_H

#include <stdbool.h>

#include <systemd/sd-bus.h>

/* Does the error say that mpiod is not on the bus (not running, no bus, no answer)? */
bool bus_error_is_no_daemon(const sd_bus_error *e);
/* Does it say that no one owns mpiod's name: it does not run? */
bool bus_error_is_not_running(const sd_bus_error *e);
/* Print a failed call's error ("multipathctl: what: ..."); the exit status for it (1 or 3). */
int bus_error(const char *what, const sd_bus_error *e, int r);
/*
 * Connect to the system bus: 0, or -EXIT_NODAEMON after printing why
 * (quiet: without printing).
 */
int bus_connect(sd_bus **ret, bool quiet);

#endif
