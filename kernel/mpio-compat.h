/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mpio-compat.h - the kernel API differences between the kernels dm-mpio
 * builds against: Debian bookworm's 6.1, trixie's 6.12 and sid's 7.2.
 */
#ifndef MPIO_COMPAT_H
#define MPIO_COMPAT_H

#include <linux/version.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

/* from_timer() was renamed timer_container_of() in 6.16. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 16, 0)
#define mpio_from_timer(var, t, field) timer_container_of(var, t, field)
#else
#define mpio_from_timer(var, t, field) from_timer(var, t, field)
#endif

/* .prepare_ioctl gained the ioctl command and a forward flag in 6.16. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 16, 0)
#define MPIO_PREPARE_IOCTL_EXTENDED 1
#endif

/*
 * A per-CPU workqueue says so with WQ_PERCPU since 6.17 (the workqueue pull
 * for 6.17, "workqueue: Add new WQ_PERCPU flag"), as the first step towards
 * unbound by default; 7.2 warns at alloc_workqueue() when neither WQ_PERCPU
 * nor WQ_UNBOUND is given. Before, per-CPU is what no flag means. WQ_PERCPU
 * is an enum constant, not a macro: #ifdef cannot see it.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
#define MPIO_WQ_PERCPU WQ_PERCPU
#else
#define MPIO_WQ_PERCPU 0
#endif

struct mapped_device;

/*
 * Exported by dm-mod (drivers/md/dm-rq.c) for the multipath target since
 * 4.x, but declared only in a private header: restart the requests that
 * request-based dm parked on its requeue list.
 */
void dm_mq_kick_requeue_list(struct mapped_device *md);

#endif /* MPIO_COMPAT_H */
