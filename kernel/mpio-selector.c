// SPDX-License-Identifier: GPL-2.0
/*
 * mpio-selector.c - registry of the dm-mpio path selectors, and what they
 * share: their per-group and per-path state, the words of the table and the
 * status that all of them handle alike, and helpers.
 *
 * All selectors are linked into dm-mpio.ko and register from its module
 * init, so a registered type lives as long as the module; device-mapper
 * core pins the module while any table uses the target, hence no per-type
 * reference counting is needed.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
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

static const char *const mpio_ps_msg_text[MPIO_PS_NR_MSGS] = {
	[MPIO_PS_MSG_NO_ARGS] = "takes no selector arguments",
	[MPIO_PS_MSG_PATH_ARGS] = "too many per-path arguments",
	[MPIO_PS_MSG_NOMEM] = "out of memory",
};

static int mpio_register_selector(struct mpio_ps_type *type)
{
	unsigned int i;
	int r = 0;

	if (WARN_ON(!type->select_path))
		return -EINVAL;
	for (i = 0; i < MPIO_PS_NR_MSGS; i++)
		snprintf(type->msg[i], sizeof(type->msg[i]), "%s: %s",
			 type->name, mpio_ps_msg_text[i]);

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

static void mpio_unregister_selector(struct mpio_ps_type *type)
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

static struct mpio_ps_type *const mpio_builtin_selectors[] = {
	&mpio_ps_round_robin,
	&mpio_ps_queue_length,
	&mpio_ps_service_time,
	&mpio_ps_least_blocks,
	&mpio_ps_weighted_path,
	&mpio_ps_historical_service_time,
	&mpio_ps_io_affinity,
};

int mpio_selectors_init(void)
{
	unsigned int i;
	int r;

	for (i = 0; i < ARRAY_SIZE(mpio_builtin_selectors); i++) {
		r = mpio_register_selector(mpio_builtin_selectors[i]);
		if (r)
			goto bad_register;
	}
	return 0;

bad_register:
	while (i--)
		mpio_unregister_selector(mpio_builtin_selectors[i]);
	return r;
}

void mpio_selectors_exit(void)
{
	unsigned int i = ARRAY_SIZE(mpio_builtin_selectors);

	while (i--)
		mpio_unregister_selector(mpio_builtin_selectors[i]);
}

/*
 * ---------------------------------------------------------------------
 * Selector instances: what the target calls
 * ---------------------------------------------------------------------
 */

/*
 * Make @pg use @type with the selector arguments @argv: the shared state,
 * then the selector's own. Sets pg->ps_type on success only.
 */
int mpio_ps_create(struct mpio_group *pg, const struct mpio_ps_type *type,
		   unsigned int argc, char **argv, char **error)
{
	int cpu, r;

	if (argc && !type->create) {
		*error = (char *)type->msg[MPIO_PS_MSG_NO_ARGS];
		return -EINVAL;
	}

	pg->cursor = alloc_percpu(unsigned int);
	if (!pg->cursor)
		goto bad_alloc;
	/* Start each CPU at a different path. */
	for_each_possible_cpu(cpu)
		*per_cpu_ptr(pg->cursor, cpu) = cpu;
	if (type->group_size) {
		pg->ps_ctx = kzalloc(type->group_size, GFP_KERNEL);
		if (!pg->ps_ctx)
			goto bad_alloc_ctx;
	}
	if (type->create) {
		r = type->create(pg, argc, argv, error);
		if (r)
			goto bad_create;
	}
	pg->ps_type = type;
	return 0;

bad_create:
	kfree(pg->ps_ctx);
	pg->ps_ctx = NULL;
	free_percpu(pg->cursor);
	pg->cursor = NULL;
	return r;
bad_alloc_ctx:
	free_percpu(pg->cursor);
	pg->cursor = NULL;
bad_alloc:
	*error = (char *)type->msg[MPIO_PS_MSG_NOMEM];
	return -ENOMEM;
}

/* Free the selector state of @pg and of its paths, if it was created. */
void mpio_ps_destroy(struct mpio_group *pg)
{
	const struct mpio_ps_type *type = pg->ps_type;
	unsigned int i;

	if (!type)
		return;
	if (type->destroy)
		type->destroy(pg);
	for (i = 0; i < pg->nr_paths; i++) {
		kfree(pg->paths[i]->ps_ctx);
		pg->paths[i]->ps_ctx = NULL;
	}
	kfree(pg->ps_ctx);
	pg->ps_ctx = NULL;
	free_percpu(pg->cursor);
	pg->cursor = NULL;
	pg->ps_type = NULL;
}

/*
 * The optional <repeat_count> word, kept for table compatibility with the
 * multipath target. As there, values above 1 are accepted, reported once
 * and treated as 1, because every I/O is routed on its own.
 */
static int mpio_ps_parse_repeat_count(const struct mpio_ps_type *type,
				      const char *arg,
				      unsigned int *repeat_count,
				      char **error)
{
	if (mpio_ps_parse_uint(arg, 0, UINT_MAX, repeat_count)) {
		*error = "invalid repeat_count";
		return -EINVAL;
	}
	if (*repeat_count > 1) {
		DMWARN_LIMIT("%s: repeat_count > 1 is deprecated, using 1",
			     type->name);
		*repeat_count = 1;
	}
	return 0;
}

/* Set up the selector state of path @p from its per-path arguments. */
int mpio_ps_add_path(struct mpio_group *pg, struct mpio_path *p,
		     unsigned int argc, char **argv, char **error)
{
	const struct mpio_ps_type *type = pg->ps_type;
	int r;

	if (argc > type->max_path_args) {
		*error = (char *)type->msg[MPIO_PS_MSG_PATH_ARGS];
		return -EINVAL;
	}
	p->repeat_count = 1;
	if (type->repeat_count && argc) {
		r = mpio_ps_parse_repeat_count(type, argv[0], &p->repeat_count,
					       error);
		if (r)
			return r;
		argc--;
		argv++;
	}
	atomic_set(&p->in_flight, 0);
	atomic64_set(&p->in_flight_bytes, 0);

	if (type->path_size) {
		p->ps_ctx = kzalloc(type->path_size, GFP_KERNEL);
		if (!p->ps_ctx) {
			*error = (char *)type->msg[MPIO_PS_MSG_NOMEM];
			return -ENOMEM;
		}
	}
	if (type->add_path) {
		r = type->add_path(pg, p, argc, argv, error);
		if (r)
			goto bad_add_path;
	}
	return 0;

bad_add_path:
	kfree(p->ps_ctx);
	p->ps_ctx = NULL;
	return r;
}

/*
 * Selector status: the group's arguments (@p == NULL) or one path's words.
 * Group INFO status has no selector word ("0 "), group IMA status nothing;
 * path TABLE status starts with <repeat_count> where the selector takes it.
 */
unsigned int mpio_ps_status(struct mpio_group *pg, struct mpio_path *p,
			    status_type_t type, char *result,
			    unsigned int maxlen)
{
	const struct mpio_ps_type *t = pg->ps_type;
	unsigned int sz = 0;

	if (!p) {
		if (type == STATUSTYPE_TABLE && t->group_status)
			return t->group_status(pg, result, maxlen);
		if (type != STATUSTYPE_IMA)
			DMEMIT("0 ");
		return sz;
	}
	if (type == STATUSTYPE_TABLE && t->repeat_count)
		DMEMIT("%u ", p->repeat_count);
	if (t->status)
		sz += t->status(pg, p, type, result + sz, maxlen - sz);
	return sz;
}

/*
 * ---------------------------------------------------------------------
 * Helpers for the selectors
 * ---------------------------------------------------------------------
 */

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
 * The usable path of @pg with the fewest I/Os (@bytes: bytes) in flight,
 * scanning from a per-CPU rotating index so that equal paths share the
 * load. The selector must set count_ios (count_bytes).
 */
struct mpio_path *mpio_ps_least_in_flight(struct mpio_group *pg, bool bytes)
{
	unsigned int i, n = pg->nr_paths, start = mpio_ps_cpu_start(pg);
	struct mpio_path *best = NULL;
	s64 best_load = S64_MAX;

	for (i = 0; i < n; i++) {
		struct mpio_path *p = pg->paths[(start + i) % n];
		s64 load;

		if (!mpio_path_usable(p))
			continue;
		load = bytes ? atomic64_read(&p->in_flight_bytes) :
			       atomic_read(&p->in_flight);
		if (load < best_load) {
			best = p;
			best_load = load;
			if (!load)
				break;
		}
	}
	return best;
}

/*
 * Status of the in-flight count of @p (@bytes: bytes): "<n> " for INFO,
 * "in_flight=<n>" ("in_flight_bytes=<n>") for IMA, nothing for TABLE.
 */
unsigned int mpio_ps_in_flight_status(struct mpio_path *p, bool bytes,
				      status_type_t type, char *result,
				      unsigned int maxlen)
{
	long long n = bytes ? atomic64_read(&p->in_flight_bytes) :
			      atomic_read(&p->in_flight);
	unsigned int sz = 0;

	if (type == STATUSTYPE_INFO)
		DMEMIT("%lld ", n);
	else if (type == STATUSTYPE_IMA)
		DMEMIT("%s=%lld", bytes ? "in_flight_bytes" : "in_flight", n);
	return sz;
}
