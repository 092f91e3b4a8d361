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

/*
 * An index of the caller's items (positions in its array) by a hash of
 * their key (index.c), for the parsers' duplicate checks. The caller hashes
 * (mp_hash_*) and eq() says whether the item at a position has key. Zero-
 * initialize it; mp_index_done() frees it. Not thread safe.
 */
struct mp_index_slot {
	uint64_t hash;
	size_t item; /* position + 1; 0: an empty slot */
};

struct mp_index {
	struct mp_index_slot *slots;
	size_t cap; /* 0 or a power of two */
	size_t n;
};

typedef bool (*mp_index_eq_fn)(const void *key, size_t item, const void *userdata);

uint64_t mp_hash_mem(const void *p, size_t n);
/* The same hash for keys that compare equal ignoring ASCII case. */
uint64_t mp_hash_mem_ascii_lower(const void *p, size_t n);
uint64_t mp_hash_str(const char *s);
/* 1 and the item's position in *ret_item (if not NULL) if an item has key, else 0. */
int mp_index_find(const struct mp_index *ix, uint64_t hash, mp_index_eq_fn eq, const void *key,
		  const void *userdata, size_t *ret_item);
/* Add item (a position) under hash; it does not check for an equal key. 0 or -ENOMEM. */
int mp_index_add(struct mp_index *ix, uint64_t hash, size_t item);
void mp_index_done(struct mp_index *ix);

#endif
