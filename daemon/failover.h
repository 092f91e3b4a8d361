/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Failover as the daemon drives it: a path failed or reinstated in the
 * kernel and in the model at once, and failback to the best group.
 */
#ifndef MPIOD_FAILOVER_H
#define MPIOD_FAILOVER_H

#include <stdbool.h>

#include "model.h"

/* The message "<verb> <major:minor of p>" to map m (logged if it fails); 0 or a negative errno. */
int map_send_path_message(Context *c, struct dmap *m, const char *verb, struct dpath *p);
/*
 * Fail (failed) or reinstate p in the kernel (fail_path, reinstate_path),
 * then in the model; nothing if it already is. On a negative errno the
 * kernel refused (logged) and p is unchanged. p must be in an existing map.
 */
int path_set_failed(Context *c, struct dpath *p, bool failed);
/*
 * A path of m came back: switch to the best group with a usable path when
 * the Failback policy says so (Failback=<seconds>: arm its timer, unless
 * timer_fired).
 */
void map_failback(Context *c, struct dmap *m, bool timer_fired);

#endif
