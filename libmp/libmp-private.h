/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libmp internals shared between its .c files. Not installed. */
#ifndef LIBMP_PRIVATE_H
#define LIBMP_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h>

#include "libmp.h"
#include "macro.h"

void mp_log(const struct mp_ctx *ctx, int priority, const char *file, int line, const char *fn,
	    const char *format, ...) _printf_(6, 7);

#define mp_log_cond(ctx, prio, ...)                                                  \
	do {                                                                         \
		if ((prio) <= mp_ctx_get_log_priority(ctx))                          \
			mp_log(ctx, prio, __FILE__, __LINE__, __func__, __VA_ARGS__); \
	} while (0)

#define mp_dbg(ctx, ...) mp_log_cond(ctx, LOG_DEBUG, __VA_ARGS__)
#define mp_info(ctx, ...) mp_log_cond(ctx, LOG_INFO, __VA_ARGS__)
#define mp_err(ctx, ...) mp_log_cond(ctx, LOG_ERR, __VA_ARGS__)

/*
 * mp_wwid_from_sysfs() for a caller that has read vpd_pg83 already (NULL or
 * len83 0: the device has none); reads only what else it needs (vpd_pg80).
 */
int mp_wwid_from_sysfs_pg83(const char *sysfs_dev_dir, const uint8_t *pg83, size_t len83,
			    char *out, size_t outlen);

/* mp_hash_str()'s hash of n bytes; the same for keys that compare equal ignoring ASCII case. */
uint64_t mp_hash_mem(const void *p, size_t n);
uint64_t mp_hash_mem_ascii_lower(const void *p, size_t n);

#endif
