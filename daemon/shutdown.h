/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The system's shutdown: seen at its start, and queueing turned off. */
#ifndef MPIOD_SHUTDOWN_H
#define MPIOD_SHUTDOWN_H

#include <stdbool.h>

#include "model.h"

/* Watch systemd for the start of a shutdown (nothing without systemd). */
int shutdown_watch_setup(Context *c);
void shutdown_watch_teardown(Context *c);
/* The shutdown has begun: from now on no map queues I/O without a usable path. */
void shutdown_begin(Context *c, const char *why);
/* Asks systemd now; false without systemd or an answer. */
bool system_shutting_down(void);
/* Every mpio map in the kernel fails I/O when it has no usable path. */
void queueing_off(Context *c);

#endif
