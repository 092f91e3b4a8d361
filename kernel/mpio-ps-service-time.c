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
#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "mpio.h"

#define DM_MSG_PREFIX "mpio service-time"

#define ST_MAX_THROUGHPUT 100

struct st_group {
	unsigned int __percpu *cursor;
};

struct st_path {
	atomic64_t in_flight_bytes;
	unsigned int repeat_count;
	unsigned int throughput;	/* READ_ONCE, set_path_weight */
};

static int st_create(struct mpio_group *pg, unsigned int argc, char **argv,
		     char **error)
{
	struct st_group *s;

	if (argc) {
		*error = "service-time: takes no selector arguments";
		return -EINVAL;
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		goto bad_alloc;
	s->cursor = alloc_percpu(unsigned int);
	if (!s->cursor)
		goto bad_alloc_cursor;
	pg->ps_ctx = s;
	return 0;

bad_alloc_cursor:
	kfree(s);
bad_alloc:
	*error = "service-time: out of memory";
	return -ENOMEM;
}

static void st_destroy(struct mpio_group *pg)
{
	struct st_group *s = pg->ps_ctx;
	unsigned int i;

	for (i = 0; i < pg->nr_paths; i++) {
		kfree(pg->paths[i]->ps_ctx);
		pg->paths[i]->ps_ctx = NULL;
	}
	if (s)
		free_percpu(s->cursor);
	kfree(s);
	pg->ps_ctx = NULL;
}

static int st_add_path(struct mpio_group *pg, struct mpio_path *p,
		       unsigned int argc, char **argv, char **error)
{
	struct st_path *pi;
	unsigned int repeat_count, throughput = 1;
	int r;

	if (argc > 2) {
		*error = "service-time: too many per-path arguments";
		return -EINVAL;
	}
	r = mpio_ps_parse_repeat_count("service-time", argc, argv,
				       &repeat_count, error);
	if (r)
		return r;
	if (argc == 2 && mpio_ps_parse_uint(argv[1], 0, ST_MAX_THROUGHPUT,
					    &throughput)) {
		*error = "service-time: relative_throughput must be 0..100";
		return -EINVAL;
	}

	pi = kzalloc(sizeof(*pi), GFP_KERNEL);
	if (!pi) {
		*error = "service-time: out of memory";
		return -ENOMEM;
	}
	atomic64_set(&pi->in_flight_bytes, 0);
	pi->repeat_count = repeat_count;
	pi->throughput = throughput;
	p->ps_ctx = pi;
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
	struct st_group *s = pg->ps_ctx;
	unsigned int i, n = pg->nr_paths;
	unsigned int start = mpio_ps_cpu_start(pg, s->cursor);
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
		load = atomic64_read(&pi->in_flight_bytes);
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

static void st_start_io(struct mpio_group *pg, struct mpio_path *p,
			size_t nr_bytes)
{
	struct st_path *pi = p->ps_ctx;

	atomic64_add(nr_bytes, &pi->in_flight_bytes);
}

static void st_end_io(struct mpio_group *pg, struct mpio_path *p,
		      size_t nr_bytes, u64 lat_ns)
{
	struct st_path *pi = p->ps_ctx;

	atomic64_sub(nr_bytes, &pi->in_flight_bytes);
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
	unsigned int sz = 0;
	struct st_path *pi;

	if (!p) {
		if (type != STATUSTYPE_IMA)
			DMEMIT("0 ");
		return sz;
	}
	pi = p->ps_ctx;
	switch (type) {
	case STATUSTYPE_INFO:
		DMEMIT("%lld %u ", (long long)atomic64_read(&pi->in_flight_bytes),
		       READ_ONCE(pi->throughput));
		break;
	case STATUSTYPE_TABLE:
		DMEMIT("%u %u ", pi->repeat_count, READ_ONCE(pi->throughput));
		break;
	case STATUSTYPE_IMA:
		DMEMIT("in_flight_bytes=%lld relative_throughput=%u",
		       (long long)atomic64_read(&pi->in_flight_bytes),
		       READ_ONCE(pi->throughput));
		break;
	}
	return sz;
}

static struct mpio_ps_type st_type = {
	.name = "service-time",
	.table_args = 2,
	.info_args = 2,
	.create = st_create,
	.destroy = st_destroy,
	.add_path = st_add_path,
	.select_path = st_select_path,
	.start_io = st_start_io,
	.end_io = st_end_io,
	.set_weight = st_set_weight,
	.status = st_status,
};

int mpio_ps_service_time_init(void)
{
	return mpio_register_selector(&st_type);
}

void mpio_ps_service_time_exit(void)
{
	mpio_unregister_selector(&st_type);
}
