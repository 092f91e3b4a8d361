/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fake sysfs trees for the unit tests, built at run time in a temporary
 * directory (so no symlinks are committed) and laid out like the kernel's:
 * /class/block/<name> links to the block device under /devices, whose
 * "device" link goes to the H:C:T:L directory, below the transport's
 * objects. One tree per test program: fake_root names it.
 */
#ifndef MPIO_FAKE_SYSFS_H
#define MPIO_FAKE_SYSFS_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "macro.h"
#include "unit.h"

static char fake_root[64];

/* A new empty tree, /tmp/mpio-test-<name>-XXXXXX. */
static inline void fake_sysfs_make(const char *name)
{
	snprintf(fake_root, sizeof(fake_root), "/tmp/mpio-test-%s-XXXXXX", name);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(fake_root));
}

/* a/b: a new string. */
static inline char *fake_join(const char *a, const char *b)
{
	char *s = NULL;

	CU_ASSERT_FATAL(asprintf(&s, "%s/%s", a, b) >= 0);
	return s;
}

/* mkdir -p of the directory part of fake_root/rel. */
static inline void fake_mkparents(const char *rel)
{
	_cleanup_free_ char *path = fake_join(fake_root, rel);

	for (char *p = path + strlen(fake_root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(path, 0755) < 0)
			CU_ASSERT_EQUAL_FATAL(errno, EEXIST);
		*p = '/';
	}
}

static inline void fake_put_bytes(const char *rel, const void *data, size_t len)
{
	_cleanup_free_ char *path = fake_join(fake_root, rel);
	int fd;

	fake_mkparents(rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL_FATAL(write(fd, data, len), (ssize_t)len);
	close(fd);
}

/* dir/name holds text. */
static inline void fake_put(const char *dir, const char *name, const char *text)
{
	_cleanup_free_ char *rel = fake_join(dir, name);

	fake_put_bytes(rel, text, strlen(text));
}

static inline void fake_link(const char *rel, const char *target)
{
	_cleanup_free_ char *path = fake_join(fake_root, rel);

	fake_mkparents(rel);
	CU_ASSERT_EQUAL_FATAL(symlink(target, path), 0);
}

/* A SCSI disk: block dir at <hctl_dir>/block/<name>, with the links sysfs has. */
static inline void fake_add_disk(const char *hctl_dir, const char *name, const char *devno,
				 const char *sectors, const char *vendor, const char *model)
{
	_cleanup_free_ char *blkdir = fake_join(hctl_dir, "block"), *blk = fake_join(blkdir, name);
	_cleanup_free_ char *devlink = fake_join(blk, "device");
	_cleanup_free_ char *classlink = fake_join("class/block", name);
	_cleanup_free_ char *up3 = fake_join("../../..", strrchr(hctl_dir, '/') + 1);
	_cleanup_free_ char *up2 = fake_join("../..", blk);

	fake_put(blk, "dev", devno);
	fake_put(blk, "size", sectors);
	fake_link(devlink, up3);	/* <hctl>/block/<name>/device -> ../../../<H:C:T:L> */
	fake_link(classlink, up2);	/* class/block/<name> -> ../../<block dir> */
	fake_put(hctl_dir, "vendor", vendor);
	fake_put(hctl_dir, "model", model);
	fake_put(hctl_dir, "rev", "4.0 \n");
	fake_put(hctl_dir, "state", "running\n");
}

static inline int fake_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static inline void fake_sysfs_remove(void)
{
	CU_ASSERT_EQUAL(nftw(fake_root, fake_rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

#endif
