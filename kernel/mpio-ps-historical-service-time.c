// SPDX-License-Identifier: GPL-2.0
/*
 * mpio-ps-historical-service-time.c - the latency-aware path selector of
 * dm-mpio.
 *
 * Each path keeps an exponentially weighted moving average (EWMA) of its
 * completion latency, its "historical service time" (hst). A new I/O goes
 * to the usable path with the lowest estimate hst * (in_flight + 1), so a
 * path that became slow gets a share that shrinks with its latency.
 *
 * A path that is much slower than the others would never be chosen again
 * and its hst would never learn that the path recovered. So a path with
 * nothing in flight whose last completion is older than
 * hst * <threshold> counts as stale: its estimate drops to zero and it
 * receives one probing I/O. <threshold> is threshold_multiplier, or the
 * number of paths in the group when threshold_multiplier is 0.
 *
 * Selector arguments: [<base_weight> [<threshold_multiplier>]], as for the
 * multipath target: base_weight 0..1023 is the weight of the old average
 * in 1/1024ths (default 972, about 0.95); threshold_multiplier 0..1000
 * (default 0).
 * Per-path arguments: [<repeat_count>] (compatibility, treated as 1).
 * Per-path INFO status: <hst_us> <in_flight>.
 */
#include <linux/atomic.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "mpio.h"

#define DM_MSG_PREFIX "mpio historical-service-time"

#define HST_WEIGHT_SHIFT	10
#define HST_WEIGHT_ONE		(1U << HST_WEIGHT_SHIFT)
#define HST_DEFAULT_WEIGHT	972
#define HST_MAX_THRESHOLD	1000

struct hst_group {
	unsigned int __percpu *cursor;
	unsigned int base_weight;
	unsigned int threshold_multiplier;
};

struct hst_path {
	atomic64_t hst_ns;		/* EWMA of latency, 0 = no sample yet */
	atomic64_t last_finish_ns;	/* time of the last completion */
	atomic_t in_flight;
	unsigned int repeat_count;
};

static int hst_create(struct mpio_group *pg, unsigned int argc, char **argv,
		      char **error)
{
	unsigned int weight = HST_DEFAULT_WEIGHT, threshold = 0;
	struct hst_group *s;

	if (argc > 2) {
		*error = "historical-service-time: too many selector arguments";
		return -EINVAL;
	}
	if (argc >= 1 && mpio_ps_parse_uint(argv[0], 0, HST_WEIGHT_ONE - 1,
					    &weight)) {
		*error = "historical-service-time: base_weight must be 0..1023";
		return -EINVAL;
	}
	if (argc == 2 && mpio_ps_parse_uint(argv[1], 0, HST_MAX_THRESHOLD,
					    &threshold)) {
		*error = "historical-service-time: threshold_multiplier must be 0..1000";
		return -EINVAL;
	}

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		goto bad_alloc;
	s->cursor = alloc_percpu(unsigned int);
	if (!s->cursor)
		goto bad_alloc_cursor;
	s->base_weight = weight;
	s->threshold_multiplier = threshold;
	pg->ps_ctx = s;
	return 0;

bad_alloc_cursor:
	kfree(s);
bad_alloc:
	*error = "historical-service-time: out of memory";
	return -ENOMEM;
}

static void hst_destroy(struct mpio_group *pg)
{
	struct hst_group *s = pg->ps_ctx;
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

static int hst_add_path(struct mpio_group *pg, struct mpio_path *p,
			unsigned int argc, char **argv, char **error)
{
	struct hst_path *pi;
	unsigned int repeat_count;
	int r;

	if (argc > 1) {
		*error = "historical-service-time: too many per-path arguments";
		return -EINVAL;
	}
	r = mpio_ps_parse_repeat_count("historical-service-time", argc, argv,
				       &repeat_count, error);
	if (r)
		return r;

	pi = kzalloc(sizeof(*pi), GFP_KERNEL);
	if (!pi) {
		*error = "historical-service-time: out of memory";
		return -ENOMEM;
	}
	atomic64_set(&pi->hst_ns, 0);
	atomic64_set(&pi->last_finish_ns, 0);
	atomic_set(&pi->in_flight, 0);
	pi->repeat_count = repeat_count;
	p->ps_ctx = pi;
	return 0;
}

static u64 hst_estimate(struct hst_group *s, struct mpio_group *pg,
			struct hst_path *pi, u64 now)
{
	u64 hst = atomic64_read(&pi->hst_ns);
	int in_flight = atomic_read(&pi->in_flight);
	unsigned int threshold;

	if (!hst)
		return 0;
	if (!in_flight) {
		threshold = s->threshold_multiplier ?: pg->nr_paths;
		if (now - atomic64_read(&pi->last_finish_ns) > hst * threshold)
			return 0;	/* stale: probe it */
	}
	return hst * (in_flight + 1);
}

static struct mpio_path *hst_select_path(struct mpio_group *pg,
					 size_t nr_bytes)
{
	struct hst_group *s = pg->ps_ctx;
	unsigned int i, n = pg->nr_paths;
	unsigned int start = mpio_ps_cpu_start(pg, s->cursor);
	struct mpio_path *best = NULL;
	u64 best_est = U64_MAX, now = ktime_get_ns();

	for (i = 0; i < n; i++) {
		struct mpio_path *p = pg->paths[(start + i) % n];
		u64 est;

		if (!mpio_path_usable(p))
			continue;
		est = hst_estimate(s, pg, p->ps_ctx, now);
		if (!best || est < best_est) {
			best = p;
			best_est = est;
			if (!est)
				break;
		}
	}
	return best;
}

static void hst_start_io(struct mpio_group *pg, struct mpio_path *p,
			 size_t nr_bytes)
{
	struct hst_path *pi = p->ps_ctx;

	atomic_inc(&pi->in_flight);
}

static void hst_end_io(struct mpio_group *pg, struct mpio_path *p,
		       size_t nr_bytes, u64 lat_ns)
{
	struct hst_group *s = pg->ps_ctx;
	struct hst_path *pi = p->ps_ctx;
	s64 old, new;

	old = atomic64_read(&pi->hst_ns);
	do {
		if (!old)
			new = lat_ns;
		else
			new = (old * s->base_weight +
			       lat_ns * (HST_WEIGHT_ONE - s->base_weight)) >>
			      HST_WEIGHT_SHIFT;
		if (!new)
			new = 1;
	} while (!atomic64_try_cmpxchg(&pi->hst_ns, &old, new));

	atomic64_set(&pi->last_finish_ns, ktime_get_ns());
	atomic_dec(&pi->in_flight);
}

static void hst_reinstate_path(struct mpio_group *pg, struct mpio_path *p)
{
	struct hst_path *pi = p->ps_ctx;

	/* Forget the history of a repaired path: probe it afresh. */
	atomic64_set(&pi->hst_ns, 0);
}

static unsigned int hst_status(struct mpio_group *pg, struct mpio_path *p,
			       status_type_t type, char *result,
			       unsigned int maxlen)
{
	struct hst_group *s = pg->ps_ctx;
	unsigned int sz = 0;
	struct hst_path *pi;

	if (!p) {
		if (type == STATUSTYPE_TABLE)
			DMEMIT("2 %u %u ", s->base_weight,
			       s->threshold_multiplier);
		else if (type == STATUSTYPE_INFO)
			DMEMIT("0 ");
		return sz;
	}
	pi = p->ps_ctx;
	switch (type) {
	case STATUSTYPE_INFO:
		DMEMIT("%llu %d ",
		       (unsigned long long)atomic64_read(&pi->hst_ns) / 1000,
		       atomic_read(&pi->in_flight));
		break;
	case STATUSTYPE_TABLE:
		DMEMIT("%u ", pi->repeat_count);
		break;
	case STATUSTYPE_IMA:
		DMEMIT("hst_us=%llu in_flight=%d",
		       (unsigned long long)atomic64_read(&pi->hst_ns) / 1000,
		       atomic_read(&pi->in_flight));
		break;
	}
	return sz;
}

static struct mpio_ps_type hst_type = {
	.name = "historical-service-time",
	.table_args = 1,
	.info_args = 2,
	.time_every_io = true,
	.create = hst_create,
	.destroy = hst_destroy,
	.add_path = hst_add_path,
	.select_path = hst_select_path,
	.reinstate_path = hst_reinstate_path,
	.start_io = hst_start_io,
	.end_io = hst_end_io,
	.status = hst_status,
};

int mpio_ps_hst_init(void)
{
	return mpio_register_selector(&hst_type);
}

void mpio_ps_hst_exit(void)
{
	mpio_unregister_selector(&hst_type);
}
