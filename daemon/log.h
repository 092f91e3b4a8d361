/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon's floor: its log (its own lines, libmp's and libdevmapper's, to
 * stderr with "<N>" level prefixes that the journal reads), the clock, and
 * the temporary file beside a file to replace. Depends on nothing of mpiod.
 */
#ifndef MPIOD_LOG_H
#define MPIOD_LOG_H

#include <stdint.h>
#include <stdio.h>

#include "libmp.h"
#include "macro.h"

void log_set_max_priority(int priority);
_printf_(2, 3) int log_msg(int priority, const char *fmt, ...);
/* Logs "...: strerror(-r)" and returns r; r is a negative errno. */
_printf_(3, 4) int log_errno(int priority, int r, const char *fmt, ...);
/* libmp's messages (through mp's log callback) and libdevmapper's join ours. */
void log_attach_libraries(struct mp_ctx *mp);

/* CLOCK_MONOTONIC in usec. */
uint64_t now_usec(void);

/* A new "<path>.tmp" (its directory made if missing) to rename over path; NULL with errno. */
FILE *fopen_tmp_beside(const char *path, char **ret_tmp);

#endif
