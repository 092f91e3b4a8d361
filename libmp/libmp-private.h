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
 * The device directories of a path's iSCSI session or FC remote port (NULL
 * for other transports) and of its SCSI host (NULL if none was found):
 * transport.c writes to their class directories.
 */
const char *mp_path_port_dir(const struct mp_path *p);
const char *mp_path_host_dir(const struct mp_path *p);

/*
 * The kernel's SCSI_DEVICE_BLOCK_MAX_TIMEOUT, in seconds: the largest
 * fast_io_fail_tmo of an FC remote port, and its largest dev_loss_tmo while
 * fast_io_fail_tmo is off (config.c checks sections against it,
 * transport.c writes by it).
 */
#define MP_BLOCK_MAX_TIMEOUT 600

/*
 * The FC remote port timeouts (transport.c), apart from sysfs for the unit
 * tests: fast_io_fail_tmo (MP_TMO_OFF or seconds) and dev_loss_tmo.
 */
struct mp_rport_tmo {
	int fast_io_fail, dev_loss;
};
/*
 * The values a remote port whose values are cur gets from a map's settings
 * s, and MP_TATTR_* flags for dev_loss_tmo's changes by the rules.
 */
unsigned mp_rport_tmo_want(const struct mp_settings *s, const struct mp_rport_tmo *cur,
			   struct mp_rport_tmo *ret);
/* One write of a plan: MP_TATTR_FAST_IO_FAIL_TMO or MP_TATTR_DEV_LOSS_TMO, and its value. */
struct mp_rport_write {
	enum mp_tattr attr;
	int value;
	bool step; /* on the way to want: the kernel takes the values only in that order */
};
#define MP_RPORT_PLAN_MAX 3
/*
 * The writes, in order, that take a remote port from cur to want, each one
 * the kernel takes: how many (0 when nothing changes), or -EINVAL if the
 * kernel takes want in no order (fast_io_fail_tmo not below dev_loss_tmo,
 * dev_loss_tmo above 600 with fast_io_fail_tmo off).
 */
int mp_rport_tmo_plan(const struct mp_rport_tmo *cur, const struct mp_rport_tmo *want,
		      struct mp_rport_write plan[MP_RPORT_PLAN_MAX]);

/* mp_hash_str()'s hash of n bytes; the same for keys that compare equal ignoring ASCII case. */
uint64_t mp_hash_mem(const void *p, size_t n);
uint64_t mp_hash_mem_ascii_lower(const void *p, size_t n);

#endif
