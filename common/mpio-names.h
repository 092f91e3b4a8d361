/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Names mpiod and multipathctl both use, written once: the D-Bus API's
 * names, the polkit action, mpiod's files under /run/mpio and the lock of
 * the supported-device list. Not part of libmp's API. The D-Bus policy
 * (systemd/org.mpio.Manager1.conf) and polkit policy (org.mpio.policy)
 * spell the same names: keep them in step.
 */
#ifndef MPIO_NAMES_H
#define MPIO_NAMES_H

/* The D-Bus API (mpiod's daemon/dbus.c, multipathctl's cmd-bus.c) */
#define MPIO_BUS_NAME		"org.mpio.Manager1"
#define MPIO_MANAGER_PATH	"/org/mpio/Manager1"
#define MPIO_MAP_PATH_PREFIX	MPIO_MANAGER_PATH "/map"	/* + "/<escaped name>" */
#define MPIO_PATH_PATH_PREFIX	MPIO_MANAGER_PATH "/path"	/* + "/<escaped device>" */
#define MPIO_MANAGER_IFACE	"org.mpio.Manager1"
#define MPIO_MAP_IFACE		"org.mpio.Map1"
#define MPIO_PATH_IFACE		"org.mpio.Path1"

#define MPIO_ERROR_NO_SUCH_MAP		"org.mpio.Error.NoSuchMap"
#define MPIO_ERROR_NO_SUCH_PATH		"org.mpio.Error.NoSuchPath"
#define MPIO_ERROR_BUSY			"org.mpio.Error.Busy"
#define MPIO_ERROR_FAILED		"org.mpio.Error.Failed"
#define MPIO_ERROR_ALREADY_CLAIMED	"org.mpio.Error.AlreadyClaimed"
#define MPIO_ERROR_NOT_CLAIMED		"org.mpio.Error.NotClaimed"

/* The polkit action of every method that changes something */
#define MPIO_POLKIT_ACTION	"org.mpio.manage"

/* mpiod's files (tmpfiles.d makes /run/mpio at boot) */
#define MPIOD_PID_FILE		"/run/mpio/mpiod.pid"
#define MPIOD_STATE_FILE	"/run/mpio/state"

/* In the config directory: held while the supported-device list is edited */
#define MPIO_SUPPORTED_LOCK	".supported-devices.lock"

#endif
