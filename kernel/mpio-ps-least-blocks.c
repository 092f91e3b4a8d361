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
#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "mpio.h"

#define DM_MSG_PREFIX "mpio least-blocks"

struct lb_group {
	unsigned int __percpu *cursor;
};

struct lb_path {
	atomic64_t in_flight_bytes;
	unsigned int repeat_count;
};

static int lb_create(struct mpio_group *pg, unsigned int argc, char **argv,
		     char **error)
{
	struct lb_group *s;

	if (argc) {
		*error = "least-blocks: takes no selector arguments";
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
	*error = "least-blocks: out of memory";
	return -ENOMEM;
}

static void lb_destroy(struct mpio_group *pg)
{
	struct lb_group *s = pg->ps_ctx;
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

static int lb_add_path(struct mpio_group *pg, struct mpio_path *p,
		       unsigned int argc, char **argv, char **error)
{
	struct lb_path *pi;
	unsigned int repeat_count;
	int r;

	if (argc > 1) {
		*error = "least-blocks: too many per-path arguments";
		return -EINVAL;
	}
	r = mpio_ps_parse_repeat_count("least-blocks", argc, argv,
				       &repeat_count, error);
	if (r)
		return r;

	pi = kzalloc(sizeof(*pi), GFP_KERNEL);
	if (!pi) {
		*error = "least-blocks: out of memory";
		return -ENOMEM;
	}
	atomic64_set(&pi->in_flight_bytes, 0);
	pi->repeat_count = repeat_count;
	p->ps_ctx = pi;
	return 0;
}

static struct mpio_path *lb_select_path(struct mpio_group *pg,
					size_t nr_bytes)
{
	struct lb_group *s = pg->ps_ctx;
	unsigned int i, n = pg->nr_paths;
	unsigned int start = mpio_ps_cpu_start(pg, s->cursor);
	struct mpio_path *best = NULL;
	s64 best_load = S64_MAX;

	for (i = 0; i < n; i++) {
		struct mpio_path *p = pg->paths[(start + i) % n];
		struct lb_path *pi = p->ps_ctx;
		s64 load;

		if (!mpio_path_usable(p))
			continue;
		load = atomic64_read(&pi->in_flight_bytes);
		if (load < best_load) {
			best = p;
			best_load = load;
			if (!load)
				break;
		}
	}
	return best;
}

static void lb_start_io(struct mpio_group *pg, struct mpio_path *p,
			size_t nr_bytes)
{
	struct lb_path *pi = p->ps_ctx;

	atomic64_add(nr_bytes, &pi->in_flight_bytes);
}

static void lb_end_io(struct mpio_group *pg, struct mpio_path *p,
		      size_t nr_bytes, u64 lat_ns)
{
	struct lb_path *pi = p->ps_ctx;

	atomic64_sub(nr_bytes, &pi->in_flight_bytes);
}

static unsigned int lb_status(struct mpio_group *pg, struct mpio_path *p,
			      status_type_t type, char *result,
			      unsigned int maxlen)
{
	unsigned int sz = 0;
	struct lb_path *pi;

	if (!p) {
		if (type != STATUSTYPE_IMA)
			DMEMIT("0 ");
		return sz;
	}
	pi = p->ps_ctx;
	switch (type) {
	case STATUSTYPE_INFO:
		DMEMIT("%lld ", (long long)atomic64_read(&pi->in_flight_bytes));
		break;
	case STATUSTYPE_TABLE:
		DMEMIT("%u ", pi->repeat_count);
		break;
	case STATUSTYPE_IMA:
		DMEMIT("in_flight_bytes=%lld",
		       (long long)atomic64_read(&pi->in_flight_bytes));
		break;
	}
	return sz;
}

static struct mpio_ps_type lb_type = {
	.name = "least-blocks",
	.table_args = 1,
	.info_args = 1,
	.create = lb_create,
	.destroy = lb_destroy,
	.add_path = lb_add_path,
	.select_path = lb_select_path,
	.start_io = lb_start_io,
	.end_io = lb_end_io,
	.status = lb_status,
};

int mpio_ps_least_blocks_init(void)
{
	return mpio_register_selector(&lb_type);
}

void mpio_ps_least_blocks_exit(void)
{
	mpio_unregister_selector(&lb_type);
}
