/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Whole-file reads and atomic rewrites (fileio.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "macro.h"

int mp_read_file(const char *path, size_t max, char **ret, size_t *ret_len)
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

int mp_write_all(int fd, const void *p, size_t n)
{
	const char *b = p;

	while (n > 0) {
		ssize_t k = write(fd, b, n);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

/*
 * Write iov to the already created temporary file fd, make it durable and
 * rename it to path; or, exclusive, link it there (which fails with -EEXIST
 * when path exists) and remove the temporary name.
 */
static int commit_tmp(int fd, const char *tmp, const char *path, mode_t mode,
		      const struct iovec *iov, size_t iovcnt, bool exclusive)
{
	int r;

	if (fchmod(fd, mode) < 0)
		return -errno;
	for (size_t i = 0; i < iovcnt; i++) {
		r = mp_write_all(fd, iov[i].iov_base, iov[i].iov_len);
		if (r < 0)
			return r;
	}
	if (fsync(fd) < 0)
		return -errno;
	if (exclusive) {
		if (link(tmp, path) < 0)
			return -errno;
		(void)unlink(tmp);
		return 0;
	}
	if (rename(tmp, path) < 0)
		return -errno;
	return 0;
}

static int write_file(const char *path, mode_t mode, const struct iovec *iov, size_t iovcnt,
		      bool exclusive)
{
	_cleanup_free_ char *dir = NULL, *tmp = NULL;
	_cleanup_close_ int fd = -1, dfd = -1;
	const char *slash = strrchr(path, '/'), *base;
	int r;

	if (slash) {
		dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
		base = slash + 1;
	} else {
		dir = strdup(".");
		base = path;
	}
	if (!dir)
		return -ENOMEM;
	if (!*base)
		return -EISDIR;
	if (asprintf(&tmp, "%s/.%s.XXXXXX", dir, base) < 0)
		return -ENOMEM;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = commit_tmp(fd, tmp, path, mode, iov, iovcnt, exclusive);
	if (r < 0) {
		(void)unlink(tmp);
		return r;
	}
	/* The new file is in place; syncing the directory makes the rename durable. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) < 0)
		return -errno;
	return 0;
}

int mp_replace_file(const char *path, mode_t mode, const struct iovec *iov, size_t iovcnt)
{
	return write_file(path, mode, iov, iovcnt, false);
}

int mp_create_file(const char *path, mode_t mode, const struct iovec *iov, size_t iovcnt)
{
	return write_file(path, mode, iov, iovcnt, true);
}
