// SPDX-License-Identifier: GPL-2.0
/*
 * mpio-ps-round-robin.c - the round-robin path selector of dm-mpio.
 *
 * Every I/O goes to the next usable path of the group. The rotation cursor
 * is per CPU, so concurrent submitters never share a cache line; each CPU
 * cycles through all paths, which spreads the load evenly overall.
 *
 * Selector arguments: none.
 * Per-path arguments: [<repeat_count>] (accepted for compatibility with the
 * multipath target; values above 1 are treated as 1).
 * Per-path INFO status: none.
 */
#include <linux/module.h>
#include <linux/slab.h>

#include "mpio.h"

#define DM_MSG_PREFIX "mpio round-robin"

struct rr_group {
	unsigned int __percpu *cursor;
};

struct rr_path {
	unsigned int repeat_count;
};

static int rr_create(struct mpio_group *pg, unsigned int argc, char **argv,
		     char **error)
{
	struct rr_group *s;
	int cpu;

	if (argc) {
		*error = "round-robin: takes no selector arguments";
		return -EINVAL;
	}

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		goto bad_alloc;
	s->cursor = alloc_percpu(unsigned int);
	if (!s->cursor)
		goto bad_alloc_cursor;
	/* Start each CPU at a different path. */
	for_each_possible_cpu(cpu)
		*per_cpu_ptr(s->cursor, cpu) = cpu;

	pg->ps_ctx = s;
	return 0;

bad_alloc_cursor:
	kfree(s);
bad_alloc:
	*error = "round-robin: out of memory";
	return -ENOMEM;
}

static void rr_destroy(struct mpio_group *pg)
{
	struct rr_group *s = pg->ps_ctx;
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

static int rr_add_path(struct mpio_group *pg, struct mpio_path *p,
		       unsigned int argc, char **argv, char **error)
{
	struct rr_path *pi;
	unsigned int repeat_count;
	int r;

	if (argc > 1) {
		*error = "round-robin: too many per-path arguments";
		return -EINVAL;
	}
	r = mpio_ps_parse_repeat_count("round-robin", argc, argv,
				       &repeat_count, error);
	if (r)
		return r;

	pi = kzalloc(sizeof(*pi), GFP_KERNEL);
	if (!pi) {
		*error = "round-robin: out of memory";
		return -ENOMEM;
	}
	pi->repeat_count = repeat_count;
	p->ps_ctx = pi;
	return 0;
}

/* Called directly by the target (INDIRECT_CALL), so not static. */
struct mpio_path *mpio_rr_select_path(struct mpio_group *pg, size_t nr_bytes)
{
	struct rr_group *s = pg->ps_ctx;
	unsigned int i = this_cpu_inc_return(*s->cursor) % pg->nr_paths;
	struct mpio_path *p = pg->paths[i];

	if (likely(mpio_path_usable(p)))
		return p;
	return mpio_ps_first_usable(pg, i + 1);
}

static unsigned int rr_status(struct mpio_group *pg, struct mpio_path *p,
			      status_type_t type, char *result,
			      unsigned int maxlen)
{
	unsigned int sz = 0;

	if (!p) {
		if (type != STATUSTYPE_IMA)
			DMEMIT("0 ");
		return sz;
	}
	if (type == STATUSTYPE_TABLE) {
		struct rr_path *pi = p->ps_ctx;

		DMEMIT("%u ", pi->repeat_count);
	}
	return sz;
}

static struct mpio_ps_type rr_type = {
	.name = "round-robin",
	.table_args = 1,
	.info_args = 0,
	.create = rr_create,
	.destroy = rr_destroy,
	.add_path = rr_add_path,
	.select_path = mpio_rr_select_path,
	.status = rr_status,
};

int mpio_ps_round_robin_init(void)
{
	return mpio_register_selector(&rr_type);
}

void mpio_ps_round_robin_exit(void)
{
	mpio_unregister_selector(&rr_type);
}
