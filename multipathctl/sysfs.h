/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What multipathctl reads of sysfs itself, beside libmp's device model
 * (sysfs.c): device-mapper's attributes of its block devices, and a
 * device number's block device.
 */
#ifndef MULTIPATHCTL_SYSFS_H
#define MULTIPATHCTL_SYSFS_H

/*
 * The attribute file of a block device, trimmed of its trailing newline
 * and blanks, as a new string: <dir>/<name>/<attr> ("dev", "dm/name",
 * "dm/uuid"). NULL if it cannot be read (or on ENOMEM).
 */
char *sysfs_block_attr(const char *dir, const char *name, const char *attr);

/* The name of block device devt ("8:32" -> "sdc") under sysfs root (NULL: "/sys"), newly allocated; NULL if none. */
char *sysfs_devt_name(const char *root, const char *devt);

#endif
