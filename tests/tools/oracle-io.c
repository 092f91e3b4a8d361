/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Opening the target, its size, and whole-buffer reads and writes. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "oracle.h"

int oracle_open(const char *path, int flags, int *ret_fd)
{
	int fd = open(path, flags | O_CLOEXEC | O_NOCTTY, 0644);

	if (fd < 0)
		return -errno;
	*ret_fd = fd;
	return 0;
}

/*
 * Open for reading what is on the target rather than in the page cache:
 * O_DIRECT if wanted and the file system takes it (tmpfs does not: EINVAL),
 * else buffered, and oracle_read_block() drops the cached pages first.
 */
int oracle_open_read(const char *path, bool direct, int *ret_fd, bool *ret_direct)
{
	int r;

	if (direct) {
		r = oracle_open(path, O_RDONLY | O_DIRECT, ret_fd);
		if (r != -EINVAL) {
			*ret_direct = r == 0;
			return r;
		}
	}
	*ret_direct = false;
	return oracle_open(path, O_RDONLY, ret_fd);
}

/* The size in bytes of a block device or a regular file. */
int oracle_target_size(int fd, uint64_t *ret)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISBLK(st.st_mode))
		return ioctl(fd, BLKGETSIZE64, ret) < 0 ? -errno : 0;
	if (S_ISREG(st.st_mode)) {
		*ret = (uint64_t)st.st_size;
		return 0;
	}
	return -ENOTBLK;
}

/*
 * pwrite (write) or pread all of len bytes: the count done, short only where
 * a read meets the end of the file, or a negative errno (-EIO where a write
 * makes no progress).
 */
static ssize_t transfer(int fd, void *buf, size_t len, off_t off, bool write)
{
	size_t done = 0;

	while (done < len) {
		char *p = (char *)buf + done;
		off_t at = off + (off_t)done;
		ssize_t n = write ? pwrite(fd, p, len - done, at) : pread(fd, p, len - done, at);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return write ? -EIO : (ssize_t)done;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

ssize_t oracle_pwrite_all(int fd, const void *buf, size_t len, off_t off)
{
	return transfer(fd, (void *)buf, len, off, true);
}

ssize_t oracle_pread_all(int fd, void *buf, size_t len, off_t off)
{
	return transfer(fd, buf, len, off, false);
}

/*
 * Read one block as the target holds it; past the end of a file it reads as
 * zeros. Returns the bytes that were really read, or a negative errno.
 */
int oracle_read_block(int fd, bool direct, void *buf, size_t len, off_t off)
{
	ssize_t n;

	if (!direct)
		(void)posix_fadvise(fd, off, (off_t)len, POSIX_FADV_DONTNEED);
	n = oracle_pread_all(fd, buf, len, off);
	if (n < 0)
		return (int)n;
	memset((char *)buf + n, 0, len - (size_t)n);
	return (int)n;
}

/* A buffer aligned for O_DIRECT, or NULL. */
void *oracle_alloc(size_t len)
{
	void *p;

	return posix_memalign(&p, ORACLE_ALIGN, len) == 0 ? p : NULL;
}

uint64_t oracle_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
