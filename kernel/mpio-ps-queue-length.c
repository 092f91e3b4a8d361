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
#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "mpio.h"

#define DM_MSG_PREFIX "mpio queue-length"

struct ql_group {
	unsigned int __percpu *cursor;
};

struct ql_path {
	atomic_t in_flight;
	unsigned int repeat_count;
};

static int ql_create(struct mpio_group *pg, unsigned int argc, char **argv,
		     char **error)
{
	struct ql_group *s;

	if (argc) {
		*error = "queue-length: takes no selector arguments";
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
	*error = "queue-length: out of memory";
	return -ENOMEM;
}

static void ql_destroy(struct mpio_group *pg)
{
	struct ql_group *s = pg->ps_ctx;
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

static int ql_add_path(struct mpio_group *pg, struct mpio_path *p,
		       unsigned int argc, char **argv, char **error)
{
	struct ql_path *pi;
	unsigned int repeat_count;
	int r;

	if (argc > 1) {
		*error = "queue-length: too many per-path arguments";
		return -EINVAL;
	}
	r = mpio_ps_parse_repeat_count("queue-length", argc, argv,
				       &repeat_count, error);
	if (r)
		return r;

	pi = kzalloc(sizeof(*pi), GFP_KERNEL);
	if (!pi) {
		*error = "queue-length: out of memory";
		return -ENOMEM;
	}
	atomic_set(&pi->in_flight, 0);
	pi->repeat_count = repeat_count;
	p->ps_ctx = pi;
	return 0;
}

static struct mpio_path *ql_select_path(struct mpio_group *pg,
					size_t nr_bytes)
{
	struct ql_group *s = pg->ps_ctx;
	unsigned int i, n = pg->nr_paths;
	unsigned int start = mpio_ps_cpu_start(pg, s->cursor);
	struct mpio_path *best = NULL;
	int best_load = INT_MAX;

	for (i = 0; i < n; i++) {
		struct mpio_path *p = pg->paths[(start + i) % n];
		struct ql_path *pi = p->ps_ctx;
		int load;

		if (!mpio_path_usable(p))
			continue;
		load = atomic_read(&pi->in_flight);
		if (load < best_load) {
			best = p;
			best_load = load;
			if (!load)
				break;
		}
	}
	return best;
}

static void ql_start_io(struct mpio_group *pg, struct mpio_path *p,
			size_t nr_bytes)
{
	struct ql_path *pi = p->ps_ctx;

	atomic_inc(&pi->in_flight);
}

static void ql_end_io(struct mpio_group *pg, struct mpio_path *p,
		      size_t nr_bytes, u64 lat_ns)
{
	struct ql_path *pi = p->ps_ctx;

	atomic_dec(&pi->in_flight);
}

static unsigned int ql_status(struct mpio_group *pg, struct mpio_path *p,
			      status_type_t type, char *result,
			      unsigned int maxlen)
{
	unsigned int sz = 0;
	struct ql_path *pi;

	if (!p) {
		if (type != STATUSTYPE_IMA)
			DMEMIT("0 ");
		return sz;
	}
	pi = p->ps_ctx;
	switch (type) {
	case STATUSTYPE_INFO:
		DMEMIT("%d ", atomic_read(&pi->in_flight));
		break;
	case STATUSTYPE_TABLE:
		DMEMIT("%u ", pi->repeat_count);
		break;
	case STATUSTYPE_IMA:
		DMEMIT("in_flight=%d", atomic_read(&pi->in_flight));
		break;
	}
	return sz;
}

static struct mpio_ps_type ql_type = {
	.name = "queue-length",
	.table_args = 1,
	.info_args = 1,
	.create = ql_create,
	.destroy = ql_destroy,
	.add_path = ql_add_path,
	.select_path = ql_select_path,
	.start_io = ql_start_io,
	.end_io = ql_end_io,
	.status = ql_status,
};

int mpio_ps_queue_length_init(void)
{
	return mpio_register_selector(&ql_type);
}

void mpio_ps_queue_length_exit(void)
{
	mpio_unregister_selector(&ql_type);
}
