// SPDX-License-Identifier: GPL-2.0
/*
 * mpio-selector.c - registry of the dm-mpio path selectors and helpers they
 * share.
 *
 * All selectors are linked into dm-mpio.ko and register from its module
 * init, so a registered type lives as long as the module; device-mapper
 * core pins the module while any table uses the target, hence no per-type
 * reference counting is needed.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/string.h>

#include "mpio.h"

#define DM_MSG_PREFIX "mpio selector"

static LIST_HEAD(mpio_selectors);
static DEFINE_MUTEX(mpio_selectors_lock);

static struct mpio_ps_type *__mpio_find_selector(const char *name)
{
	struct mpio_ps_type *t;

	lockdep_assert_held(&mpio_selectors_lock);
	list_for_each_entry(t, &mpio_selectors, list)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

int mpio_register_selector(struct mpio_ps_type *type)
{
	int r = 0;

	if (WARN_ON(!type->create || !type->destroy || !type->add_path ||
		    !type->select_path || !type->status))
		return -EINVAL;

	mutex_lock(&mpio_selectors_lock);
	if (__mpio_find_selector(type->name))
		r = -EEXIST;
	else
		list_add_tail(&type->list, &mpio_selectors);
	mutex_unlock(&mpio_selectors_lock);

	if (r)
		DMERR("selector %s registered twice", type->name);
	return r;
}

void mpio_unregister_selector(struct mpio_ps_type *type)
{
	mutex_lock(&mpio_selectors_lock);
	list_del_init(&type->list);
	mutex_unlock(&mpio_selectors_lock);
}

const struct mpio_ps_type *mpio_find_selector(const char *name)
{
	const struct mpio_ps_type *t;

	mutex_lock(&mpio_selectors_lock);
	t = __mpio_find_selector(name);
	mutex_unlock(&mpio_selectors_lock);
	return t;
}

struct mpio_selector_init {
	int (*init)(void);
	void (*exit)(void);
};

static const struct mpio_selector_init mpio_builtin_selectors[] = {
	{ mpio_ps_round_robin_init, mpio_ps_round_robin_exit },
	{ mpio_ps_queue_length_init, mpio_ps_queue_length_exit },
	{ mpio_ps_service_time_init, mpio_ps_service_time_exit },
	{ mpio_ps_least_blocks_init, mpio_ps_least_blocks_exit },
	{ mpio_ps_weighted_path_init, mpio_ps_weighted_path_exit },
	{ mpio_ps_hst_init, mpio_ps_hst_exit },
	{ mpio_ps_io_affinity_init, mpio_ps_io_affinity_exit },
};

int mpio_selectors_init(void)
{
	unsigned int i;
	int r;

	for (i = 0; i < ARRAY_SIZE(mpio_builtin_selectors); i++) {
		r = mpio_builtin_selectors[i].init();
		if (r)
			goto bad_register;
	}
	return 0;

bad_register:
	while (i--)
		mpio_builtin_selectors[i].exit();
	return r;
}

void mpio_selectors_exit(void)
{
	unsigned int i = ARRAY_SIZE(mpio_builtin_selectors);

	while (i--)
		mpio_builtin_selectors[i].exit();
}

/*
 * Parse a decimal unsigned number that must be the whole word and lie in
 * [min, max].
 */
int mpio_ps_parse_uint(const char *arg, unsigned int min, unsigned int max,
		       unsigned int *val)
{
	unsigned int v;

	if (kstrtouint(arg, 10, &v) || v < min || v > max)
		return -EINVAL;
	*val = v;
	return 0;
}

/*
 * The optional first per-path word of most selectors, kept for table
 * compatibility with the multipath target: <repeat_count>. As there, values
 * above 1 are accepted, reported once and treated as 1, because every I/O is
 * routed on its own.
 */
int mpio_ps_parse_repeat_count(const char *name, unsigned int argc,
			       char **argv, unsigned int *repeat_count,
			       char **error)
{
	*repeat_count = 1;
	if (!argc)
		return 0;
	if (mpio_ps_parse_uint(argv[0], 0, UINT_MAX, repeat_count)) {
		*error = "invalid repeat_count";
		return -EINVAL;
	}
	if (*repeat_count > 1) {
		DMWARN_LIMIT("%s: repeat_count > 1 is deprecated, using 1",
			     name);
		*repeat_count = 1;
	}
	return 0;
}

/* First usable path of @pg, scanning round from index @start. */
struct mpio_path *mpio_ps_first_usable(struct mpio_group *pg,
				       unsigned int start)
{
	unsigned int i, n = pg->nr_paths;

	for (i = 0; i < n; i++) {
		struct mpio_path *p = pg->paths[(start + i) % n];

		if (mpio_path_usable(p))
			return p;
	}
	return NULL;
}

/*
 * A rotating start index for scans, kept per CPU so that ties are broken
 * round robin without a shared cache line.
 */
unsigned int mpio_ps_cpu_start(struct mpio_group *pg,
			       unsigned int __percpu *cursor)
{
	return this_cpu_inc_return(*cursor) % pg->nr_paths;
}
