// SPDX-License-Identifier: GPL-2.0
/*
 * mpio-ps-round-robin.c - the round-robin path selector of dm-mpio.
 *
 * Every I/O goes to the next usable path of the group. The rotation cursor
 * is per CPU (pg->cursor), so concurrent submitters never share a cache
 * line; each CPU cycles through all paths, which spreads the load evenly
 * overall.
 *
 * Selector arguments: none.
 * Per-path arguments: [<repeat_count>] (accepted for compatibility with the
 * multipath target; values above 1 are treated as 1).
 * Per-path INFO status: none.
 */
#include "mpio.h"

/* Called directly by the target (INDIRECT_CALL), so not static. */
struct mpio_path *mpio_rr_select_path(struct mpio_group *pg, size_t nr_bytes)
{
	unsigned int i = this_cpu_inc_return(*pg->cursor) % pg->nr_paths;
	struct mpio_path *p = pg->paths[i];

	if (likely(mpio_path_usable(p)))
		return p;
	return mpio_ps_first_usable(pg, i + 1);
}

struct mpio_ps_type mpio_ps_round_robin = {
	.name = "round-robin",
	.table_args = 1,
	.info_args = 0,
	.max_path_args = 1,
	.repeat_count = true,
	.select_path = mpio_rr_select_path,
};
