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
#include <linux/module.h>
#include <linux/slab.h>

#include "mpio.h"

#define DM_MSG_PREFIX "mpio weighted-path"

#define WP_MAX_WEIGHT 1000

struct wp_group {
	unsigned int __percpu *cursor;
};

struct wp_path {
	unsigned int weight;		/* READ_ONCE, set_path_weight */
};

static int wp_create(struct mpio_group *pg, unsigned int argc, char **argv,
		     char **error)
{
	struct wp_group *s;

	if (argc) {
		*error = "weighted-path: takes no selector arguments";
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
	*error = "weighted-path: out of memory";
	return -ENOMEM;
}

static void wp_destroy(struct mpio_group *pg)
{
	struct wp_group *s = pg->ps_ctx;
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

static int wp_add_path(struct mpio_group *pg, struct mpio_path *p,
		       unsigned int argc, char **argv, char **error)
{
	struct wp_path *pi;
	unsigned int weight = 1;

	if (argc > 1) {
		*error = "weighted-path: too many per-path arguments";
		return -EINVAL;
	}
	if (argc == 1 && mpio_ps_parse_uint(argv[0], 0, WP_MAX_WEIGHT,
					    &weight)) {
		*error = "weighted-path: weight must be 0..1000";
		return -EINVAL;
	}

	pi = kzalloc(sizeof(*pi), GFP_KERNEL);
	if (!pi) {
		*error = "weighted-path: out of memory";
		return -ENOMEM;
	}
	pi->weight = weight;
	p->ps_ctx = pi;
	return 0;
}

static struct mpio_path *wp_select_path(struct mpio_group *pg,
					size_t nr_bytes)
{
	struct wp_group *s = pg->ps_ctx;
	unsigned int i, n = pg->nr_paths;
	unsigned int total = 0, slot;

	for (i = 0; i < n; i++) {
		struct mpio_path *p = pg->paths[i];
		struct wp_path *pi = p->ps_ctx;

		if (mpio_path_usable(p))
			total += READ_ONCE(pi->weight);
	}
	if (!total)	/* only standby paths, if any */
		return mpio_ps_first_usable(pg,
					    mpio_ps_cpu_start(pg, s->cursor));

	slot = this_cpu_inc_return(*s->cursor) % total;
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
	unsigned int sz = 0;
	struct wp_path *pi;

	if (!p) {
		if (type != STATUSTYPE_IMA)
			DMEMIT("0 ");
		return sz;
	}
	pi = p->ps_ctx;
	switch (type) {
	case STATUSTYPE_INFO:
	case STATUSTYPE_TABLE:
		DMEMIT("%u ", READ_ONCE(pi->weight));
		break;
	case STATUSTYPE_IMA:
		DMEMIT("weight=%u", READ_ONCE(pi->weight));
		break;
	}
	return sz;
}

static struct mpio_ps_type wp_type = {
	.name = "weighted-path",
	.table_args = 1,
	.info_args = 1,
	.create = wp_create,
	.destroy = wp_destroy,
	.add_path = wp_add_path,
	.select_path = wp_select_path,
	.set_weight = wp_set_weight,
	.status = wp_status,
};

int mpio_ps_weighted_path_init(void)
{
	return mpio_register_selector(&wp_type);
}

void mpio_ps_weighted_path_exit(void)
{
	mpio_unregister_selector(&wp_type);
}
