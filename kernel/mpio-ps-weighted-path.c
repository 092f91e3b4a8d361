// SPDX-License-Identifier: GPL-2.0
/*
 * mpio-ps-weighted-path.c - the weighted-path selector of dm-mpio (Windows
 * MPIO: Weighted Paths).
 *
 * Each path has a static weight; usable paths receive I/Os in proportion to
 * their weights. A per-CPU counter walks the cumulative weights of the
 * usable paths, so the split is exact over every window of <sum of weights>
 * I/Os of one CPU, with no shared state written per I/O. Weight 0 marks a
 * standby path, used only while no weighted path is usable.
 *
 * Selector arguments: none.
 * Per-path arguments: [<weight>], 0..1000, default 1.
 * The set_path_weight <dev> <weight> message changes a weight at run time.
 * Per-path INFO status: <weight>.
 */
#include "mpio.h"

#define WP_MAX_WEIGHT 1000

struct wp_path {
	unsigned int weight;		/* READ_ONCE, set_path_weight */
};

static int wp_add_path(struct mpio_group *pg, struct mpio_path *p,
		       unsigned int argc, char **argv, char **error)
{
	struct wp_path *pi = p->ps_ctx;

	pi->weight = 1;
	if (argc == 1 && mpio_ps_parse_uint(argv[0], 0, WP_MAX_WEIGHT,
					    &pi->weight)) {
		*error = "weighted-path: weight must be 0..1000";
		return -EINVAL;
	}
	return 0;
}

static struct mpio_path *wp_select_path(struct mpio_group *pg,
					size_t nr_bytes)
{
	unsigned int i, n = pg->nr_paths;
	unsigned int total = 0, slot;

	for (i = 0; i < n; i++) {
		struct mpio_path *p = pg->paths[i];
		struct wp_path *pi = p->ps_ctx;

		if (mpio_path_usable(p))
			total += READ_ONCE(pi->weight);
	}
	if (!total)	/* only standby paths, if any */
		return mpio_ps_first_usable(pg, mpio_ps_cpu_start(pg));

	slot = this_cpu_inc_return(*pg->cursor) % total;
	for (i = 0; i < n; i++) {
		struct mpio_path *p = pg->paths[i];
		struct wp_path *pi = p->ps_ctx;
		unsigned int w;

		if (!mpio_path_usable(p))
			continue;
		w = READ_ONCE(pi->weight);
		if (slot < w)
			return p;
		slot -= w;
	}
	/* A weight or a path state changed under us: take any usable path. */
	return mpio_ps_first_usable(pg, 0);
}

static int wp_set_weight(struct mpio_group *pg, struct mpio_path *p,
			 unsigned int weight)
{
	struct wp_path *pi = p->ps_ctx;

	if (weight > WP_MAX_WEIGHT)
		return -EINVAL;
	WRITE_ONCE(pi->weight, weight);
	return 0;
}

static unsigned int wp_status(struct mpio_group *pg, struct mpio_path *p,
			      status_type_t type, char *result,
			      unsigned int maxlen)
{
	struct wp_path *pi = p->ps_ctx;
	unsigned int sz = 0;

	if (type == STATUSTYPE_IMA)
		DMEMIT("weight=%u", READ_ONCE(pi->weight));
	else
		DMEMIT("%u ", READ_ONCE(pi->weight));
	return sz;
}

struct mpio_ps_type mpio_ps_weighted_path = {
	.name = "weighted-path",
	.table_args = 1,
	.info_args = 1,
	.max_path_args = 1,
	.path_size = sizeof(struct wp_path),
	.add_path = wp_add_path,
	.select_path = wp_select_path,
	.set_weight = wp_set_weight,
	.status = wp_status,
};
