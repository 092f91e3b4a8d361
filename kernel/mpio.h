/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mpio.h - shared definitions of the dm-mpio target and its path selectors.
 *
 * A map owns an array of priority groups; each group owns a fixed array of
 * paths and one path selector instance. Paths and groups never change after
 * the constructor returns (a reload builds a new map), so the I/O path can
 * walk them without a lock. Only path state (is_active) and the current group
 * change at run time; they are written under mpio->lock and read with
 * READ_ONCE().
 */
#ifndef MPIO_H
#define MPIO_H

#include <linux/device-mapper.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/workqueue.h>

#include "mpio-compat.h"

struct mpio;
struct mpio_group;
struct mpio_ps_type;

/*
 * Per-CPU I/O counters of one path, summed when status is read. Reading the
 * clock twice per I/O is a measurable share of the per-I/O cost, so only one
 * I/O in MPIO_LAT_SAMPLE per CPU is timed (all of them for a selector that
 * sets time_every_io); the mean of the samples estimates the mean latency.
 */
#define MPIO_LAT_SAMPLE		64

struct mpio_path_stats {
	u64 ios;		/* I/Os mapped to the path */
	u64 bytes;		/* bytes mapped to the path */
	u64 errors;		/* completions with any error */
	u64 lat_ns;		/* sum of the sampled completion latencies */
	u64 lat_count;		/* completions counted in lat_ns */
};

struct mpio_path {
	struct mpio_group *pg;		/* owning group */
	struct dm_dev *dev;
	struct block_device *bdev;	/* dev->bdev, for the I/O path */
	bool is_active;			/* written under m->lock */
	unsigned int fail_count;	/* under m->lock */
	unsigned int index;		/* position in pg->paths[] */
	void *ps_ctx;			/* selector per-path state */
	struct mpio_path_stats __percpu *stats;
	struct delayed_work activate_work;	/* pg_init through scsi_dh */
};

struct mpio_group {
	struct mpio *m;
	unsigned int nr;		/* 1-based, in table order */
	bool bypassed;			/* disable_group or pg_init busy */
	bool io_hooks;			/* the selector has per-I/O hooks */
	const struct mpio_ps_type *ps_type;
	void *ps_ctx;			/* selector per-group state */
	unsigned int nr_paths;		/* entries of paths[] filled in */
	struct mpio_path *paths[];
};

static inline bool mpio_path_usable(const struct mpio_path *p)
{
	return READ_ONCE(p->is_active);
}

/*
 * Path selector operations. One instance per priority group.
 *
 * @table_args: number of per-path words that status(TABLE) emits.
 * @info_args: number of per-path words that status(INFO) emits.
 * @create: parse the selector arguments, set pg->ps_ctx.
 * @destroy: free pg->ps_ctx and every path's ps_ctx (paths[0..nr_paths-1]).
 * @add_path: parse the per-path arguments of one path, set p->ps_ctx.
 * @select_path: pick a usable path of @pg for @nr_bytes, or NULL. Called
 *	for every I/O without any map-wide lock: it must only use atomics,
 *	per-CPU data and READ_ONCE() state. The target does not ask it in a
 *	group of a single path, where there is nothing to choose.
 * @fail_path, @reinstate_path: optional notifications, under m->lock.
 * @start_io, @end_io: optional, per I/O, lockless. @lat_ns is the
 *	completion latency measured by the target, or 0 if the I/O was not
 *	timed: set @time_every_io to have every I/O timed.
 * @set_weight: optional, for the set_path_weight message.
 * @status: emit the group arguments (@p == NULL) or one path's arguments
 *	for @type; return the number of characters written. Group-level INFO
 *	output must start with its own word count (usually "0 ").
 */
struct mpio_ps_type {
	const char *name;
	unsigned int table_args;
	unsigned int info_args;
	bool time_every_io;

	int (*create)(struct mpio_group *pg, unsigned int argc, char **argv,
		      char **error);
	void (*destroy)(struct mpio_group *pg);
	int (*add_path)(struct mpio_group *pg, struct mpio_path *p,
			unsigned int argc, char **argv, char **error);
	struct mpio_path *(*select_path)(struct mpio_group *pg,
					 size_t nr_bytes);
	void (*fail_path)(struct mpio_group *pg, struct mpio_path *p);
	void (*reinstate_path)(struct mpio_group *pg, struct mpio_path *p);
	void (*start_io)(struct mpio_group *pg, struct mpio_path *p,
			 size_t nr_bytes);
	void (*end_io)(struct mpio_group *pg, struct mpio_path *p,
		       size_t nr_bytes, u64 lat_ns);
	int (*set_weight)(struct mpio_group *pg, struct mpio_path *p,
			  unsigned int weight);
	unsigned int (*status)(struct mpio_group *pg, struct mpio_path *p,
			       status_type_t type, char *result,
			       unsigned int maxlen);

	struct list_head list;		/* registry, private */
};

/* mpio-selector.c: the selector registry. */
int mpio_register_selector(struct mpio_ps_type *type);
void mpio_unregister_selector(struct mpio_ps_type *type);
const struct mpio_ps_type *mpio_find_selector(const char *name);
int mpio_selectors_init(void);
void mpio_selectors_exit(void);

/* Helpers shared by the selectors. */
int mpio_ps_parse_uint(const char *arg, unsigned int min, unsigned int max,
		       unsigned int *val);
int mpio_ps_parse_repeat_count(const char *name, unsigned int argc,
			       char **argv, unsigned int *repeat_count,
			       char **error);
struct mpio_path *mpio_ps_first_usable(struct mpio_group *pg,
				       unsigned int start);
unsigned int mpio_ps_cpu_start(struct mpio_group *pg,
			       unsigned int __percpu *cursor);

/* round-robin's select_path, which the target calls directly. */
struct mpio_path *mpio_rr_select_path(struct mpio_group *pg, size_t nr_bytes);

/* One init/exit pair per selector file. */
int mpio_ps_round_robin_init(void);
void mpio_ps_round_robin_exit(void);
int mpio_ps_queue_length_init(void);
void mpio_ps_queue_length_exit(void);
int mpio_ps_service_time_init(void);
void mpio_ps_service_time_exit(void);
int mpio_ps_least_blocks_init(void);
void mpio_ps_least_blocks_exit(void);
int mpio_ps_weighted_path_init(void);
void mpio_ps_weighted_path_exit(void);
int mpio_ps_hst_init(void);
void mpio_ps_hst_exit(void);
int mpio_ps_io_affinity_init(void);
void mpio_ps_io_affinity_exit(void);

#endif /* MPIO_H */
