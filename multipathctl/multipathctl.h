/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * multipathctl's commands (cmd-*.c), for the command table in
 * multipathctl.c; what they all use is in ctl.h.
 */
#ifndef MULTIPATHCTL_H
#define MULTIPATHCTL_H

#include <stdbool.h>
#include <stddef.h>

#include "ctl.h"

/* ---- Commands (cmd-*.c) ---- */

int cmd_config(int argc, char *argv[]);
/* cmd-config.c: show config */
int cmd_show_config(int argc, char *argv[]);
/* cmd-import.c: config import */
int cmd_config_import(int argc, char *argv[]);
/* cmd-show.c: show topology|maps|paths|map, and show's table of subcommands */
int cmd_show(int argc, char *argv[]);
int cmd_claim(int argc, char *argv[]);
int cmd_stats(int argc, char *argv[]);
/* cmd-udev.c: is-claimed, for 59-mpio.rules */
int cmd_is_claimed(int argc, char *argv[]);

/* cmd-bus.c: over D-Bus, to mpiod */
int cmd_fail(int argc, char *argv[]);
int cmd_reinstate(int argc, char *argv[]);
int cmd_switch(int argc, char *argv[]);
int cmd_set(int argc, char *argv[]);
int cmd_flush(int argc, char *argv[]);
int cmd_reload(int argc, char *argv[]);
int cmd_monitor(int argc, char *argv[]);
/* mpiod's NMaps, NPaths, NFailedPaths; a negative errno if it cannot be asked. */
int bus_manager_counts(unsigned *ret_maps, unsigned *ret_paths, unsigned *ret_failed);

#endif
