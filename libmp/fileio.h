/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading small whole files (sysfs attributes, config files). libmp-internal. */
#ifndef LIBMP_FILEIO_H
#define LIBMP_FILEIO_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "macro.h"

/*
 * Read all of path into a new buffer, NUL-terminated for convenience (the NUL
 * is not counted in *ret_len). Returns 0, -EFBIG if the file holds more than
 * max bytes, or the negative errno of open()/read() (-ENOENT if missing).
 * Reads in a loop, so sysfs attributes and short reads are handled.
 */
static inline int mp_read_file(const char *path, size_t max, char **ret, size_t *ret_len)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, size = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		if (size - len < 2) {
			size_t nsize = size ? size * 2 : 4096;
			char *p;

			/* max + 2: room to see one byte too many, plus the NUL */
			if (nsize > max + 2)
				nsize = max + 2;
			if (nsize <= size)
				return -EFBIG;
			p = realloc(buf, nsize);
			if (!p)
				return -ENOMEM;
			buf = p;
			size = nsize;
		}
		n = read(fd, buf + len, size - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max)
			return -EFBIG;
	}
	buf[len] = '\0';
	*ret = TAKE_PTR(buf);
	*ret_len = len;
	return 0;
}

#endif
