/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mpiod's model (daemon/model.c, with the log.c beneath it compiled in):
 * the order in which dirty maps are synced. Once mpiod is ready it syncs
 * maps in 50 ms slices; the rest wait for the next slice. The longest dirty
 * goes first, so that a map marked early is not kept waiting behind maps
 * that a uevent storm keeps marking (the sync took the highest index first:
 * the first map of the list waited for the storm's end).
 */
#include <stdarg.h>
#include <stdio.h>

#include "../../daemon/log.c"
#include "../../daemon/model.c"
#include "unit.h"

/* Until the monotonic clock moves on: two marks get different times. */
static void clock_tick(void)
{
	uint64_t t = now_usec();

	while (now_usec() == t)
		;
}

static void mark(Context *c, struct dmap *m, const char *why)
{
	clock_tick();
	map_mark_dirty(c, m, "%s", why);
}

/* The WWIDs of the dirty maps in sync order, space-separated. */
static void order(Context *c, char *buf, size_t size)
{
	struct dmap **v = NULL;
	size_t n = 0, len = 0;

	CU_ASSERT_EQUAL_FATAL(maps_dirty_oldest_first(c, &v, &n), 0);
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		len += snprintf(buf + len, size - len, "%s%s", i ? " " : "", v[i]->wwid);
	free(v);
}

static void test_oldest_first(void)
{
	Context c = {};
	struct dmap *a, *b, *d;
	char buf[128];

	a = map_get_or_new(&c, "wwid-a");
	b = map_get_or_new(&c, "wwid-b");
	d = map_get_or_new(&c, "wwid-d");
	CU_ASSERT_FATAL(a && b && d);

	order(&c, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "");

	/* Marked in list order: the first in the list is the oldest. */
	mark(&c, a, "path added");
	mark(&c, b, "path added");
	mark(&c, d, "path added");
	order(&c, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "wwid-a wwid-b wwid-d");

	/* Marked again while dirty: it keeps its place. */
	mark(&c, a, "path removed");
	order(&c, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "wwid-a wwid-b wwid-d");
	CU_ASSERT_STRING_EQUAL(a->reason, "path added, path removed");

	/* Synced (a sync clears the mark), then marked again: now the newest. */
	a->dirty = false;
	order(&c, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "wwid-b wwid-d");
	mark(&c, a, "path added");
	order(&c, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "wwid-b wwid-d wwid-a");

	/* A map freed (its slot taken by the last one) changes no one's turn. */
	map_free(&c, b);
	order(&c, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "wwid-d wwid-a");

	while (c.n_maps > 0)
		map_free(&c, c.maps[0]);
	free(c.maps);
}

/*
 * A map made by an older mpio under another WWID (discovery.c): found by
 * the WWID its paths have now as by its uuid's, so that a path seen later
 * joins it rather than a new map, and no new map is made for that WWID.
 */
static void test_paths_wwid(void)
{
	Context c = {};
	struct dmap *m;

	m = map_get_or_new(&c, "8iqn.2026-01.org.example:lun0");
	CU_ASSERT_FATAL(m != NULL);
	CU_ASSERT_PTR_NULL(map_by_wwid(&c, "36001405aaaa"));
	m->path_wwid = strdup("36001405aaaa");
	CU_ASSERT_FATAL(m->path_wwid != NULL);
	CU_ASSERT_PTR_EQUAL(map_by_wwid(&c, "36001405aaaa"), m);
	CU_ASSERT_PTR_EQUAL(map_by_wwid(&c, "8iqn.2026-01.org.example:lun0"), m);
	CU_ASSERT_PTR_EQUAL(map_get_or_new(&c, "36001405aaaa"), m);
	CU_ASSERT_EQUAL(c.n_maps, 1);
	CU_ASSERT_PTR_NULL(map_by_wwid(&c, "36001405aaab"));
	map_free(&c, m); /* frees path_wwid: the sanitizers' leak check says so */
	free(c.maps);
}

static const struct unit_test tests[] = {
	{ "dirty maps sync the longest dirty first", test_oldest_first },
	{ "a map is found by its paths' WWID too", test_paths_wwid },
};

UNIT_MAIN("model", tests)
