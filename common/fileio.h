/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Small whole files, read and rewritten in one piece: sysfs attributes,
 * config files, the supported-device list, the bindings file. libmp-internal.
 */
#ifndef LIBMP_FILEIO_H
#define LIBMP_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>

/*
 * Read all of path into a new buffer, NUL-terminated for convenience (the NUL
 * is not counted in *ret_len). Returns 0, -EFBIG if the file holds more than
 * max bytes, or the negative errno of open()/read() (-ENOENT if missing).
 * Reads in a loop, so sysfs attributes and short reads are handled.
 */
int mp_read_file(const char *path, size_t max, char **ret, size_t *ret_len);

/* write() all of p, retrying on EINTR and short writes. 0 or a negative errno. */
int mp_write_all(int fd, const void *p, size_t n);

/*
 * Replace path by the concatenation of iov, atomically and durably: a
 * temporary file in the same directory gets mode, the data and an fsync(),
 * is renamed over path, and the directory is synced. Readers see the old
 * file or the new one, never a mix. 0, -EISDIR if path ends in '/', or the
 * negative errno of the step that failed (the temporary file is removed).
 */
int mp_replace_file(const char *path, mode_t mode, const struct iovec *iov, size_t iovcnt);
/*
 * The same for a file that must not exist yet: the complete file appears at
 * path, or -EEXIST if something is there already (which is left alone).
 */
int mp_create_file(const char *path, mode_t mode, const struct iovec *iov, size_t iovcnt);

/*
 * The lines of a text of len bytes, front to back, without their '\n' (the
 * last one may lack it). Never reads past text + len.
 *   struct mp_lines it = MP_LINES_INIT(text, len);
 *   while (mp_lines_next(&it, &l, &llen)) ... it.line is 1-based, it.off
 *   is where the next line starts.
 */
struct mp_lines {
	const char *text;
	size_t len;
	size_t off;		/* start of the next line */
	unsigned line;		/* number of the line last returned */
};
#define MP_LINES_INIT(t, l) ((struct mp_lines){ .text = (t), .len = (l) })

static inline bool mp_lines_next(struct mp_lines *it, const char **ret, size_t *ret_len)
{
	const char *l, *nl;
	size_t n;

	if (it->off >= it->len)
		return false;
	l = it->text + it->off;
	nl = memchr(l, '\n', it->len - it->off);
	n = nl ? (size_t)(nl - l) : it->len - it->off;
	it->off += n + (nl ? 1 : 0);
	it->line++;
	*ret = l;
	*ret_len = n;
	return true;
}

#endif
