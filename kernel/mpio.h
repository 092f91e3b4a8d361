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

#include <linux/atomic.h>
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
	unsigned int repeat_count;	/* per-path word kept for TABLE status */
	void *ps_ctx;			/* selector per-path state */
	struct mpio_path_stats __percpu *stats;
	struct delayed_work activate_work;	/* pg_init through scsi_dh */
	/*
	 * In flight on the path, counted for selectors that ask for it
	 * (count_ios, count_bytes); last, away from the fields every I/O reads.
	 */
	atomic_t in_flight;
	atomic64_t in_flight_bytes;
};

struct mpio_group {
	struct mpio *m;
	unsigned int nr;		/* 1-based, in table order */
	bool bypassed;			/* disable_group or pg_init busy */
	bool io_hooks;			/* the selector has per-I/O hooks */
	const struct mpio_ps_type *ps_type;
	unsigned int __percpu *cursor;	/* per-CPU rotation, for the selector */
	void *ps_ctx;			/* selector per-group state */
	unsigned int nr_paths;		/* entries of paths[] filled in */
	struct mpio_path *paths[];
};

static inline bool mpio_path_usable(const struct mpio_path *p)
{
	return READ_ONCE(p->is_active);
}

/* Messages the registry words for each selector ("<name>: ..."). */
enum mpio_ps_msg {
	MPIO_PS_MSG_NO_ARGS,		/* takes no selector arguments */
	MPIO_PS_MSG_PATH_ARGS,		/* too many per-path arguments */
	MPIO_PS_MSG_NOMEM,		/* out of memory */
	MPIO_PS_NR_MSGS,
};

/*
 * A path selector: its policy and the shape of its state. One instance per
 * priority group. The registry (mpio-selector.c) does what all selectors
 * share: it allocates pg->cursor (a per-CPU counter, starting at the CPU's
 * number), a zeroed pg->ps_ctx of @group_size bytes and a zeroed p->ps_ctx
 * of @path_size bytes per path, and frees them; it refuses selector
 * arguments when there is no @create, and more than @max_path_args
 * per-path words; it parses the <repeat_count> word; it counts the I/Os and
 * bytes in flight per path; and it writes the status words every selector
 * writes the same way. Only @select_path is mandatory.
 *
 * @table_args: number of per-path words that status(TABLE) emits.
 * @info_args: number of per-path words that status(INFO) emits.
 * @max_path_args: per-path words accepted.
 * @repeat_count: the first per-path word is <repeat_count>, as for the
 *	multipath target's selectors: accepted, kept for TABLE status, and
 *	treated as 1. @add_path then gets the words after it.
 * @time_every_io: the target times every I/O, not one in MPIO_LAT_SAMPLE,
 *	and passes each latency to @end_io.
 * @count_ios, @count_bytes: keep p->in_flight, p->in_flight_bytes.
 * @create: optional, parse the selector arguments into pg->ps_ctx.
 * @destroy: optional, free what @create and @add_path allocated beyond
 *	the contexts (paths[0..nr_paths-1]).
 * @add_path: optional, parse the per-path arguments of one path into
 *	p->ps_ctx; on an error it frees what it allocated itself.
 * @select_path: pick a usable path of @pg for @nr_bytes, or NULL. Called
 *	for every I/O without any map-wide lock: it must only use atomics,
 *	per-CPU data and READ_ONCE() state. The target does not ask it in a
 *	group of a single path, where there is nothing to choose.
 * @fail_path, @reinstate_path: optional notifications, under m->lock.
 * @start_io, @end_io: optional, per I/O, lockless. @lat_ns is the
 *	completion latency measured by the target, or 0 if the I/O was not
 *	timed. The in-flight counts include the I/O in both.
 * @set_weight: optional, for the set_path_weight message.
 * @group_status: optional, the selector arguments for TABLE status, their
 *	count first (without it: "0 ").
 * @status: optional, one path's words for @type after <repeat_count>;
 *	returns the number of characters written.
 */
struct mpio_ps_type {
	const char *name;
	unsigned int table_args;
	unsigned int info_args;
	unsigned int max_path_args;
	bool repeat_count;
	bool time_every_io;
	bool count_ios;
	bool count_bytes;
	size_t group_size;
	size_t path_size;

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
	unsigned int (*group_status)(struct mpio_group *pg, char *result,
				     unsigned int maxlen);
	unsigned int (*status)(struct mpio_group *pg, struct mpio_path *p,
			       status_type_t type, char *result,
			       unsigned int maxlen);

	/* private to the registry */
	struct list_head list;
	char msg[MPIO_PS_NR_MSGS][64];
};

/* The selectors, one per mpio-ps-*.c file. */
extern struct mpio_ps_type mpio_ps_round_robin;
extern struct mpio_ps_type mpio_ps_queue_length;
extern struct mpio_ps_type mpio_ps_service_time;
extern struct mpio_ps_type mpio_ps_least_blocks;
extern struct mpio_ps_type mpio_ps_weighted_path;
extern struct mpio_ps_type mpio_ps_historical_service_time;
extern struct mpio_ps_type mpio_ps_io_affinity;

/* mpio-selector.c: the registry, used by the target. */
int mpio_selectors_init(void);
void mpio_selectors_exit(void);
const struct mpio_ps_type *mpio_find_selector(const char *name);
int mpio_ps_create(struct mpio_group *pg, const struct mpio_ps_type *type,
		   unsigned int argc, char **argv, char **error);
void mpio_ps_destroy(struct mpio_group *pg);
int mpio_ps_add_path(struct mpio_group *pg, struct mpio_path *p,
		     unsigned int argc, char **argv, char **error);
unsigned int mpio_ps_status(struct mpio_group *pg, struct mpio_path *p,
			    status_type_t type, char *result,
			    unsigned int maxlen);

/* Helpers for the selectors. */
int mpio_ps_parse_uint(const char *arg, unsigned int min, unsigned int max,
		       unsigned int *val);
struct mpio_path *mpio_ps_first_usable(struct mpio_group *pg,
				       unsigned int start);
struct mpio_path *mpio_ps_least_in_flight(struct mpio_group *pg, bool bytes);
unsigned int mpio_ps_in_flight_status(struct mpio_path *p, bool bytes,
				      status_type_t type, char *result,
				      unsigned int maxlen);

/* A rotating start index for scans of @pg, per CPU. */
static inline unsigned int mpio_ps_cpu_start(struct mpio_group *pg)
{
	return this_cpu_inc_return(*pg->cursor) % pg->nr_paths;
}

/* round-robin's select_path, which the target calls directly. */
struct mpio_path *mpio_rr_select_path(struct mpio_group *pg, size_t nr_bytes);

#endif /* MPIO_H */
