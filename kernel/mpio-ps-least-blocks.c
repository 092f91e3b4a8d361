// SPDX-License-Identifier: GPL-2.0
/*
 * mpio-ps-least-blocks.c - the least-blocks path selector of dm-mpio
 * (Windows MPIO: Least Blocks).
 *
 * Every I/O goes to the usable path with the fewest bytes in flight. Unlike
 * service-time, paths carry no throughput weight.
 *
 * Selector arguments: none.
 * Per-path arguments: [<repeat_count>] (compatibility, treated as 1).
 * Per-path INFO status: <in_flight_bytes>.
 */
#include "mpio.h"

static struct mpio_path *lb_select_path(struct mpio_group *pg,
					size_t nr_bytes)
{
	return mpio_ps_least_in_flight(pg, true);
}

static unsigned int lb_status(struct mpio_group *pg, struct mpio_path *p,
			      status_type_t type, char *result,
			      unsigned int maxlen)
{
	return mpio_ps_in_flight_status(p, true, type, result, maxlen);
}

struct mpio_ps_type mpio_ps_least_blocks = {
	.name = "least-blocks",
	.table_args = 1,
	.info_args = 1,
	.max_path_args = 1,
	.repeat_count = true,
	.count_bytes = true,
	.select_path = lb_select_path,
	.status = lb_status,
};
