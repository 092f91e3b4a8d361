// SPDX-License-Identifier: GPL-2.0
/*
 * mpio-ps-queue-length.c - the queue-length path selector of dm-mpio
 * (Windows MPIO: Least Queue Depth).
 *
 * Every I/O goes to the usable path with the fewest I/Os in flight. The
 * in-flight counts are per-path atomics; the scan starts at a per-CPU
 * rotating index so that equal paths share the load.
 *
 * Selector arguments: none.
 * Per-path arguments: [<repeat_count>] (compatibility, treated as 1).
 * Per-path INFO status: <in_flight_ios>.
 */
#include "mpio.h"

static struct mpio_path *ql_select_path(struct mpio_group *pg,
					size_t nr_bytes)
{
	return mpio_ps_least_in_flight(pg, false);
}

static unsigned int ql_status(struct mpio_group *pg, struct mpio_path *p,
			      status_type_t type, char *result,
			      unsigned int maxlen)
{
	return mpio_ps_in_flight_status(p, false, type, result, maxlen);
}

struct mpio_ps_type mpio_ps_queue_length = {
	.name = "queue-length",
	.table_args = 1,
	.info_args = 1,
	.max_path_args = 1,
	.repeat_count = true,
	.count_ios = true,
	.select_path = ql_select_path,
	.status = ql_status,
};
