/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared between config.c and devtable.c. Not installed. */
#ifndef LIBMP_CONFIG_PRIVATE_H
#define LIBMP_CONFIG_PRIVATE_H

/*
 * The built-in device table, in mpio.conf syntax: [Device] sections plus one
 * [GenericALUA] section (only allowed here) for ALUA devices no entry
 * matches. conf/builtin-devices.conf is a copy, checked by test-config.
 */
const char *mp_builtin_devices_conf(void);

/* Name used in errors about the built-in table, and in origins. */
#define MP_BUILTIN_NAME "built-in device table"

#endif
