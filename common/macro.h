/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Small helpers shared by libmp, mpiod and multipathctl: scoped cleanup and
 * explicit ownership hand-off. Not part of the public API.
 */
#ifndef MPIO_MACRO_H
#define MPIO_MACRO_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _public_ __attribute__((visibility("default")))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _unused_ __attribute__((unused))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * qsort() of n elements. base may be NULL when n is 0 (an empty list never
 * allocated), which qsort() itself does not allow: its arguments are nonnull.
 */
static inline void sort_array(void *base, size_t n, size_t size,
			      int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

/* Take a pointer out of a cleanup-guarded variable: ownership moves to the caller. */
#define TAKE_PTR(p)                         \
	({                                  \
		__typeof__(p) _p_ = (p);    \
		(p) = NULL;                 \
		_p_;                        \
	})

/* Same for file descriptors. */
#define TAKE_FD(fd)                         \
	({                                  \
		int _fd_ = (fd);            \
		(fd) = -1;                  \
		_fd_;                       \
	})

static inline void freep(void *p)
{
	free(*(void **)p);
}
#define _cleanup_free_ _cleanup_(freep)

static inline void closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
#define _cleanup_close_ _cleanup_(closep)

static inline void fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}
#define _cleanup_fclose_ _cleanup_(fclosep)

/* Define a cleanup helper `namep()` for a destructor `name(T *)` that accepts NULL. */
#define DEFINE_TRIVIAL_CLEANUP_FUNC(type, func) \
	static inline void func##p(type *p)     \
	{                                       \
		if (*p)                         \
			func(*p);               \
	}

#endif
