/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Authorization of D-Bus method calls: root, or whoever polkit authorizes
 * for org.mpio.manage.
 */
#ifndef MPIOD_POLKIT_H
#define MPIOD_POLKIT_H

#include <systemd/sd-bus.h>

#include "model.h"

/*
 * 1 if the caller of m may change things; 0 if polkit is being asked (return
 * 1 from the method: the call comes back with the answer); or a negative
 * errno with error set.
 */
int polkit_verify_caller(Context *c, sd_bus_message *m, sd_bus_error *error);
/*
 * Every message the bus delivers, before it is handled: marks the call
 * that comes back with polkit's answer, and drops the answer of one that
 * came back before and did not use it (it failed before
 * polkit_verify_caller()).
 */
void polkit_call_seen(Context *c, sd_bus_message *m);
/* The bus is gone: forget the pending questions (their callers went with it). */
void polkit_queries_drop(Context *c);

#endif
