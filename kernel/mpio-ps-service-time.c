// SPDX-License-Identifier: GPL-2.0
/*
 * mpio-ps-service-time.c - the service-time path selector of dm-mpio.
 *
 * Every I/O goes to the usable path whose estimated service time is the
 * lowest, the estimate being the bytes in flight on the path (including the
 * new I/O) divided by the path's relative throughput. A path with relative
 * throughput 0 is only used when no path with a positive one is usable.
 *
 * Selector arguments: none.
 * Per-path arguments: [<repeat_count> [<relative_throughput>]], with
 * relative_throughput in 0..100 (default 1), as for the multipath target.
 * The set_path_weight message changes relative_throughput.
 * Per-path INFO status: <in_flight_bytes> <relative_throughput>.
 */
#include "mpio.h"

#define ST_MAX_THROUGHPUT 100

struct st_path {
	unsigned int throughput;	/* READ_ONCE, set_path_weight */
};

/* [<relative_throughput>], after <repeat_count>. */
static int st_add_path(struct mpio_group *pg, struct mpio_path *p,
		       unsigned int argc, char **argv, char **error)
{
	struct st_path *pi = p->ps_ctx;

	pi->throughput = 1;
	if (argc == 1 && mpio_ps_parse_uint(argv[0], 0, ST_MAX_THROUGHPUT,
					    &pi->throughput)) {
		*error = "service-time: relative_throughput must be 0..100";
		return -EINVAL;
	}
	return 0;
}

/*
 * Is path a (load @la, throughput @ta) strictly better than path b for an
 * I/O of @n bytes? Compares (la + n) / ta with (lb + n) / tb without a
 * division: loads are bounded by the memory in flight, so the products fit
 * in 64 bits.
 */
static bool st_better(u64 la, unsigned int ta, u64 lb, unsigned int tb,
		      size_t n)
{
	if (!ta || !tb) {
		if (ta != tb)
			return ta > tb;
		return la < lb;
	}
	return (la + n) * tb < (lb + n) * ta;
}

static struct mpio_path *st_select_path(struct mpio_group *pg,
					size_t nr_bytes)
{
	unsigned int i, n = pg->nr_paths, start = mpio_ps_cpu_start(pg);
	struct mpio_path *best = NULL;
	unsigned int best_tp = 0;
	u64 best_load = 0;

	for (i = 0; i < n; i++) {
		struct mpio_path *p = pg->paths[(start + i) % n];
		struct st_path *pi = p->ps_ctx;
		unsigned int tp;
		u64 load;

		if (!mpio_path_usable(p))
			continue;
		load = atomic64_read(&p->in_flight_bytes);
		tp = READ_ONCE(pi->throughput);
		if (!best || st_better(load, tp, best_load, best_tp,
				       nr_bytes)) {
			best = p;
			best_load = load;
			best_tp = tp;
		}
	}
	return best;
}

static int st_set_weight(struct mpio_group *pg, struct mpio_path *p,
			 unsigned int weight)
{
	struct st_path *pi = p->ps_ctx;

	if (weight > ST_MAX_THROUGHPUT)
		return -EINVAL;
	WRITE_ONCE(pi->throughput, weight);
	return 0;
}

static unsigned int st_status(struct mpio_group *pg, struct mpio_path *p,
			      status_type_t type, char *result,
			      unsigned int maxlen)
{
	struct st_path *pi = p->ps_ctx;
	unsigned int sz;

	sz = mpio_ps_in_flight_status(p, true, type, result, maxlen);
	if (type == STATUSTYPE_IMA)
		DMEMIT(" relative_throughput=%u", READ_ONCE(pi->throughput));
	else
		DMEMIT("%u ", READ_ONCE(pi->throughput));
	return sz;
}

struct mpio_ps_type mpio_ps_service_time = {
	.name = "service-time",
	.table_args = 2,
	.info_args = 2,
	.max_path_args = 2,
	.repeat_count = true,
	.count_bytes = true,
	.path_size = sizeof(struct st_path),
	.add_path = st_add_path,
	.select_path = st_select_path,
	.set_weight = st_set_weight,
	.status = st_status,
};
