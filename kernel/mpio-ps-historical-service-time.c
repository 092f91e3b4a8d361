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
#include <linux/ktime.h>

#include "mpio.h"

#define HST_WEIGHT_SHIFT	10
#define HST_WEIGHT_ONE		(1U << HST_WEIGHT_SHIFT)
#define HST_DEFAULT_WEIGHT	972
#define HST_MAX_THRESHOLD	1000

struct hst_group {
	unsigned int base_weight;
	unsigned int threshold_multiplier;
};

struct hst_path {
	atomic64_t hst_ns;		/* EWMA of latency, 0 = no sample yet */
	atomic64_t last_finish_ns;	/* time of the last completion */
};

static int hst_create(struct mpio_group *pg, unsigned int argc, char **argv,
		      char **error)
{
	struct hst_group *s = pg->ps_ctx;

	s->base_weight = HST_DEFAULT_WEIGHT;
	s->threshold_multiplier = 0;
	if (argc > 2) {
		*error = "historical-service-time: too many selector arguments";
		return -EINVAL;
	}
	if (argc >= 1 && mpio_ps_parse_uint(argv[0], 0, HST_WEIGHT_ONE - 1,
					    &s->base_weight)) {
		*error = "historical-service-time: base_weight must be 0..1023";
		return -EINVAL;
	}
	if (argc == 2 && mpio_ps_parse_uint(argv[1], 0, HST_MAX_THRESHOLD,
					    &s->threshold_multiplier)) {
		*error = "historical-service-time: threshold_multiplier must be 0..1000";
		return -EINVAL;
	}
	return 0;
}

static u64 hst_estimate(struct hst_group *s, struct mpio_group *pg,
			struct mpio_path *p, u64 now)
{
	struct hst_path *pi = p->ps_ctx;
	u64 hst = atomic64_read(&pi->hst_ns);
	int in_flight = atomic_read(&p->in_flight);
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
	unsigned int i, n = pg->nr_paths, start = mpio_ps_cpu_start(pg);
	struct mpio_path *best = NULL;
	u64 best_est = U64_MAX, now = ktime_get_ns();

	for (i = 0; i < n; i++) {
		struct mpio_path *p = pg->paths[(start + i) % n];
		u64 est;

		if (!mpio_path_usable(p))
			continue;
		est = hst_estimate(s, pg, p, now);
		if (!best || est < best_est) {
			best = p;
			best_est = est;
			if (!est)
				break;
		}
	}
	return best;
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
}

static void hst_reinstate_path(struct mpio_group *pg, struct mpio_path *p)
{
	struct hst_path *pi = p->ps_ctx;

	/* Forget the history of a repaired path: probe it afresh. */
	atomic64_set(&pi->hst_ns, 0);
}

static unsigned int hst_group_status(struct mpio_group *pg, char *result,
				     unsigned int maxlen)
{
	struct hst_group *s = pg->ps_ctx;
	unsigned int sz = 0;

	DMEMIT("2 %u %u ", s->base_weight, s->threshold_multiplier);
	return sz;
}

static unsigned int hst_status(struct mpio_group *pg, struct mpio_path *p,
			       status_type_t type, char *result,
			       unsigned int maxlen)
{
	struct hst_path *pi = p->ps_ctx;
	unsigned long long hst_us = atomic64_read(&pi->hst_ns) / 1000;
	unsigned int sz = 0;

	if (type == STATUSTYPE_INFO)
		DMEMIT("%llu %d ", hst_us, atomic_read(&p->in_flight));
	else if (type == STATUSTYPE_IMA)
		DMEMIT("hst_us=%llu in_flight=%d", hst_us,
		       atomic_read(&p->in_flight));
	return sz;
}

struct mpio_ps_type mpio_ps_historical_service_time = {
	.name = "historical-service-time",
	.table_args = 1,
	.info_args = 2,
	.max_path_args = 1,
	.repeat_count = true,
	.time_every_io = true,
	.count_ios = true,
	.group_size = sizeof(struct hst_group),
	.path_size = sizeof(struct hst_path),
	.create = hst_create,
	.select_path = hst_select_path,
	.reinstate_path = hst_reinstate_path,
	.end_io = hst_end_io,
	.group_status = hst_group_status,
	.status = hst_status,
};
