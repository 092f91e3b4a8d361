/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * multipathctl's own reads of sysfs (sysfs.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "macro.h"
#include "sysfs.h"

char *sysfs_block_attr(const char *dir, const char *name, const char *attr)
{
	_cleanup_free_ char *path = NULL;
	char *text = NULL;
	size_t len = 0;

	if (asprintf(&path, "%s/%s/%s", dir, name, attr) < 0)
		return NULL;
	if (mp_read_file(path, 4096, &text, &len) < 0)
		return NULL;
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
		text[--len] = '\0';
	return text;
}

char *sysfs_devt_name(const char *root, const char *devt)
{
	_cleanup_free_ char *link = NULL;
	char target[PATH_MAX];
	const char *base;
	ssize_t n;

	if (!devt || strchr(devt, '/') || asprintf(&link, "%s/dev/block/%s", root ?: "/sys", devt) < 0)
		return NULL;
	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0)
		return NULL;
	target[n] = '\0';
	base = strrchr(target, '/');
	return strdup(base ? base + 1 : target);
}
