/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mpiod's published state (daemon/state.c and the log.c beneath it,
 * compiled into this test): reader threads see whole, consistent snapshots
 * while the loop thread rebuilds and swaps them as fast as it can; an old snapshot is freed only after its
 * last reader left (a use-after-free would stop the test under ASan), and
 * nothing is leaked at teardown. The state-file thread writes a snapshot
 * that is one generation, never a mix.
 */
#include <stdatomic.h>
#include <stdarg.h>

#include "../../daemon/log.c"
#include "../../daemon/state.c"
#include "unit.h"

#define READERS 4
#define PUBLISHES 3000
#define MAX_MAPS 6

static atomic_uint bad_handoffs;

/* The subscriber (the D-Bus API in mpiod) compares each new snapshot with the one it replaces. */
static void on_state_changed(Context *c, const struct snapshot *old, const struct snapshot *new)
{
	if (old && (old->generation + 1 != new->generation || old == new))
		atomic_fetch_add(&bad_handoffs, 1);
}

/* ---- a Context whose maps change with every publication ---- */

struct world {
	Context c;
	struct dmap maps[MAX_MAPS], *map_ptrs[MAX_MAPS];
	struct dpath paths[MAX_MAPS][4], *path_ptrs[MAX_MAPS][4];
	char names[MAX_MAPS][32], wwids[MAX_MAPS][48];
};

/*
 * Generation g has g % MAX_MAPS + 1 maps; map i is named "g<g>-m<i>" with
 * i % 4 + 1 paths named "g<g>p<k>". A reader that mixed two snapshots would
 * see names of another generation than the snapshot's own.
 */
static void world_set(struct world *w, uint64_t g)
{
	Context *c = &w->c;

	c->n_maps = g % MAX_MAPS + 1;
	for (size_t i = 0; i < c->n_maps; i++) {
		struct dmap *m = &w->maps[i];

		snprintf(w->names[i], sizeof(w->names[i]), "g%llu-m%zu", (unsigned long long)g, i);
		snprintf(w->wwids[i], sizeof(w->wwids[i]), "wwid-g%llu-%zu", (unsigned long long)g, i);
		m->name = w->names[i];
		m->wwid = w->wwids[i];
		m->size = g;
		m->exists = false; /* no kernel status to read */
		m->n_paths = i % 4 + 1;
		m->paths = w->path_ptrs[i];
		for (size_t k = 0; k < m->n_paths; k++) {
			struct dpath *p = &w->paths[i][k];

			snprintf(p->name, sizeof(p->name), "g%llup%zu", (unsigned long long)g, k);
			snprintf(p->devnum, sizeof(p->devnum), "8:%zu", i * 4 + k);
			p->failed = (g + k) % 2;
			p->alua = MP_ALUA_UNKNOWN;
			w->path_ptrs[i][k] = p;
		}
	}
}

static void world_init(struct world *w, const char *state_file)
{
	memset(w, 0, sizeof(*w));
	w->c.config_dir = (char *)"/etc/mpio";
	w->c.state_file = (char *)state_file;
	w->c.maps = w->map_ptrs;
	for (size_t i = 0; i < MAX_MAPS; i++) {
		w->map_ptrs[i] = &w->maps[i];
		w->maps[i].ctx = &w->c;
		for (int s = 0; s < _MP_SETTING_MAX; s++)
			w->maps[i].settings.origin[s] = "test";
	}
}

/* Is s exactly what world_set() made for its generation? */
static bool snapshot_consistent(const struct snapshot *s)
{
	uint64_t g = s->generation;
	char want[48];

	if (s->n_maps != g % MAX_MAPS + 1 || strcmp(s->config_dir, "/etc/mpio") != 0)
		return false;
	for (size_t i = 0; i < s->n_maps; i++) {
		const struct snap_map *m = &s->maps[i];

		snprintf(want, sizeof(want), "g%llu-m%zu", (unsigned long long)g, i);
		if (!m->name || strcmp(m->name, want) != 0 || m->size != g || m->n_paths != i % 4 + 1)
			return false;
		snprintf(want, sizeof(want), "wwid-g%llu-%zu", (unsigned long long)g, i);
		if (strcmp(m->wwid, want) != 0 || m->n_settings == 0 ||
		    strcmp(m->settings[0].key, "PathGroupingPolicy") != 0)
			return false;
		for (size_t k = 0; k < m->n_paths; k++) {
			snprintf(want, sizeof(want), "g%llup%zu", (unsigned long long)g, k);
			if (strcmp(m->paths[k].name, want) != 0 || m->paths[k].failed != (bool)((g + k) % 2))
				return false;
		}
	}
	return true;
}

struct reader {
	struct world *w;
	atomic_bool *stop;
	unsigned long reads, torn, backwards, distinct;
};

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	uint64_t last = 0;

	urcu_memb_register_thread();
	while (!atomic_load(r->stop)) {
		const struct snapshot *s;
		uint64_t g = 0;

		urcu_memb_read_lock();
		s = state_current(&r->w->c);
		if (s) {
			g = s->generation;
			/* Check twice, with the writer running in between: the snapshot must not change or go. */
			if (!snapshot_consistent(s))
				r->torn++;
			sched_yield();
			if (!snapshot_consistent(s) || s->generation != g)
				r->torn++;
		}
		urcu_memb_read_unlock();
		if (g < last)
			r->backwards++;
		if (g != last)
			r->distinct++;
		last = g;
		r->reads++;
	}
	urcu_memb_unregister_thread();
	return NULL;
}

static void test_readers_during_swaps(void)
{
	char tmpl[] = "/tmp/mpio-state-XXXXXX", file[64];
	struct world *w = calloc(1, sizeof(*w));
	struct reader readers[READERS] = {};
	pthread_t threads[READERS];
	atomic_bool stop = false;
	unsigned long reads = 0, distinct = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpl));
	snprintf(file, sizeof(file), "%s/state", tmpl);
	world_init(w, file);
	atomic_store(&bad_handoffs, 0);
	CU_ASSERT_EQUAL_FATAL(state_setup(&w->c), 0);
	state_subscribe(&w->c, on_state_changed);

	for (int i = 0; i < READERS; i++) {
		readers[i] = (struct reader){ .w = w, .stop = &stop };
		CU_ASSERT_EQUAL_FATAL(pthread_create(&threads[i], NULL, reader_main, &readers[i]), 0);
	}
	for (uint64_t g = 1; g <= PUBLISHES; g++) {
		world_set(w, g);
		state_publish(&w->c);
		if (g % 500 == 0)
			state_request_dump(&w->c); /* the state-file thread reads too */
	}
	atomic_store(&stop, true);
	for (int i = 0; i < READERS; i++) {
		pthread_join(threads[i], NULL);
		CU_ASSERT_EQUAL(readers[i].torn, 0);
		CU_ASSERT_EQUAL(readers[i].backwards, 0);
		reads += readers[i].reads;
		distinct += readers[i].distinct;
	}
	CU_ASSERT_EQUAL(atomic_load(&bad_handoffs), 0);
	CU_ASSERT(reads > 0);
	/* The readers saw new snapshots while they ran, not one snapshot only. */
	CU_ASSERT(distinct > READERS);
	printf("\n    %lu reads of %d snapshots, %lu generation changes seen ", reads, PUBLISHES,
	       distinct);
	CU_ASSERT_EQUAL(state_current(&w->c)->generation, PUBLISHES);

	/* A last dump: the file holds the whole last generation. */
	state_request_dump(&w->c);
	for (int i = 0; i < 200; i++) {
		char buf[4096] = "";
		FILE *f = fopen(file, "re");

		if (f) {
			size_t n = fread(buf, 1, sizeof(buf) - 1, f);

			fclose(f);
			buf[n] = '\0';
			if (strstr(buf, "generation 3000\n"))
				break;
		}
		usleep(10 * 1000);
	}
	{
		char buf[8192] = "";
		FILE *f = fopen(file, "re");
		size_t n = 0;

		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		CU_ASSERT_PTR_NOT_NULL(strstr(buf, "generation 3000\n"));
		/* 3000 % 6 + 1 = 1 map, named for its generation, one path */
		CU_ASSERT_PTR_NOT_NULL(strstr(buf, "maps 1\n\nmap g3000-m0\n  wwid wwid-g3000-0\n"));
		CU_ASSERT_PTR_NOT_NULL(strstr(buf, "  path g3000p0 8:0 active alua=unknown"));
		CU_ASSERT_PTR_NULL(strstr(buf, "g2999"));
	}
	state_teardown(&w->c);
	CU_ASSERT_PTR_NULL(w->c.state);
	(void)unlink(file);
	(void)rmdir(tmpl);
	free(w);
}

/* Teardown with a reader thread that never ran and no snapshot published. */
static void test_setup_teardown_empty(void)
{
	struct world *w = calloc(1, sizeof(*w));

	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	world_init(w, "/nonexistent/state");
	CU_ASSERT_EQUAL_FATAL(state_setup(&w->c), 0);
	CU_ASSERT_PTR_NULL(state_current(&w->c));
	state_teardown(&w->c);
	CU_ASSERT_PTR_NULL(w->c.state);
	state_teardown(&w->c); /* again: a no-op */
	free(w);
}

/*
 * A drop-in whose name is not UTF-8 gives origins that are not: the
 * snapshot holds them escaped, since D-Bus refuses a string that is not
 * valid UTF-8 and every property read of the map would fail.
 */
static void test_origins_utf8(void)
{
	struct world *w = calloc(1, sizeof(*w));
	const struct snapshot *s;
	const struct snap_map *m;
	unsigned found = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	world_init(w, "/nonexistent/state");
	CU_ASSERT_EQUAL_FATAL(state_setup(&w->c), 0);
	world_set(w, MAX_MAPS); /* one map */
	w->maps[0].settings.origin[MP_SETTING_CHECK_INTERVAL] =
		"/etc/mpio/mpio.conf.d/\xff\xe9t\xe9.conf:2 [Defaults]";
	w->maps[0].settings.origin[MP_SETTING_FAILBACK] = "/etc/mpio/mpio.conf.d/\xc3\xa9t\xc3\xa9.conf:3 [Defaults]";
	state_publish(&w->c);
	s = state_current(&w->c);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->n_maps, 1);
	m = &s->maps[0];
	for (size_t k = 0; k < m->n_settings; k++) {
		const char *o = m->settings[k].origin;

		if (strcmp(m->settings[k].key, "CheckInterval") == 0) {
			CU_ASSERT_STRING_EQUAL(o, "/etc/mpio/mpio.conf.d/\\xff\\xe9t\\xe9.conf:2 [Defaults]");
			found++;
		} else if (strcmp(m->settings[k].key, "Failback") == 0) {
			/* valid UTF-8 is kept as it is */
			CU_ASSERT_STRING_EQUAL(o, "/etc/mpio/mpio.conf.d/\xc3\xa9t\xc3\xa9.conf:3 [Defaults]");
			found++;
		}
		for (const unsigned char *p = (const unsigned char *)o; *p;) {
			size_t n = *p < 0x80 ? 1 : mp_utf8_seq_len(p);

			CU_ASSERT_FATAL(n > 0);
			p += n;
		}
	}
	CU_ASSERT_EQUAL(found, 2);
	state_teardown(&w->c);
	free(w);
}

/* ---- Lookups by name: O(1) each, so a GetManagedObjects is linear in the paths (review U5) ---- */

#define PATHS_PER_MAP 4

struct big_world {
	Context c;
	struct dmap *maps, **map_ptrs;
	struct dpath *paths, **path_ptrs;
	char (*names)[32], (*wwids)[48];
};

/* n_paths paths, PATHS_PER_MAP to a map; the last map has no name yet (not created). */
static void big_world_init(struct big_world *w, size_t n_paths)
{
	size_t n_maps = n_paths / PATHS_PER_MAP;

	memset(w, 0, sizeof(*w));
	w->maps = calloc(n_maps, sizeof(*w->maps));
	w->map_ptrs = calloc(n_maps, sizeof(*w->map_ptrs));
	w->paths = calloc(n_paths, sizeof(*w->paths));
	w->path_ptrs = calloc(n_paths, sizeof(*w->path_ptrs));
	w->names = calloc(n_maps, sizeof(*w->names));
	w->wwids = calloc(n_maps, sizeof(*w->wwids));
	CU_ASSERT_FATAL(w->maps && w->map_ptrs && w->paths && w->path_ptrs && w->names && w->wwids);
	w->c.config_dir = (char *)"/etc/mpio";
	w->c.maps = w->map_ptrs;
	w->c.n_maps = n_maps;
	for (size_t i = 0; i < n_maps; i++) {
		struct dmap *m = &w->maps[i];

		w->map_ptrs[i] = m;
		snprintf(w->names[i], sizeof(w->names[i]), "mpath%zu", i);
		snprintf(w->wwids[i], sizeof(w->wwids[i]), "36001405%08zx", i);
		m->ctx = &w->c;
		m->name = i + 1 < n_maps ? w->names[i] : NULL;
		m->wwid = w->wwids[i];
		m->n_paths = PATHS_PER_MAP;
		m->paths = &w->path_ptrs[i * PATHS_PER_MAP];
		for (size_t k = 0; k < PATHS_PER_MAP; k++) {
			struct dpath *p = &w->paths[i * PATHS_PER_MAP + k];

			snprintf(p->name, sizeof(p->name), "sd%zu", i * PATHS_PER_MAP + k);
			snprintf(p->devnum, sizeof(p->devnum), "8:%zu", i * PATHS_PER_MAP + k);
			w->path_ptrs[i * PATHS_PER_MAP + k] = p;
		}
	}
}

static void big_world_done(struct big_world *w)
{
	free(w->maps), free(w->map_ptrs), free(w->paths), free(w->path_ptrs);
	free(w->names), free(w->wwids);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Look up every map and path of s by name, checking what is found; the number found wrong. */
static size_t lookup_pass(const struct snapshot *s)
{
	size_t bad = 0;

	for (size_t i = 0; i < s->n_maps; i++) {
		const struct snap_map *m = &s->maps[i];

		if (m->name && snapshot_find_map(s, m->name) != m)
			bad++;
		for (size_t k = 0; k < m->n_paths; k++) {
			const struct snap_path *p = snapshot_find_path(s, m->paths[k].name);

			if (m->name ? p != &m->paths[k] : p != NULL)
				bad++;
		}
	}
	return bad;
}

/*
 * The time of one lookup_pass() over s, as a GetManagedObjects does (sd-bus
 * finds each object it lists), in seconds: passes for at least 10 ms, the
 * fastest of 3 rounds.
 */
static double lookup_all(const struct snapshot *s, size_t n_paths)
{
	double best = 1e9;

	for (int round = 0; round < 3; round++) {
		double t0 = now_s(), t;
		size_t bad = 0, passes = 0;

		do {
			bad += lookup_pass(s);
			passes++;
		} while ((t = now_s() - t0) < 0.01);
		if (t / passes < best)
			best = t / passes;
		CU_ASSERT_EQUAL(bad, 0);
	}
	CU_ASSERT_PTR_NULL(snapshot_find_map(s, "mpathx"));
	CU_ASSERT_PTR_NULL(snapshot_find_path(s, "sdx"));
	CU_ASSERT_PTR_NULL(snapshot_find_path(NULL, "sd0"));
	printf("\n    %zu paths: %.3f ms to find each map and path once ", n_paths, best * 1e3);
	return best;
}

static void test_lookup_scaling(void)
{
	struct big_world small, big;
	struct snapshot *s1, *s8;
	double t1, t8;

	big_world_init(&small, 512);
	big_world_init(&big, 4096);
	s1 = snapshot_build(&small.c, 1);
	s8 = snapshot_build(&big.c, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s8);
	t1 = lookup_all(s1, 512);
	t8 = lookup_all(s8, 4096);
	/*
	 * 8 times the objects: about 8 times the time when each lookup is O(1)
	 * (somewhat more, as the bigger snapshot fits the caches less well), 64
	 * times when each is a scan.
	 */
	printf("(x%.1f) ", t8 / t1);
	CU_ASSERT(t8 < 24 * t1);
	snapshot_free(s1);
	snapshot_free(s8);
	big_world_done(&small);
	big_world_done(&big);
}

static const struct unit_test tests[] = {
	{ "readers see whole snapshots while the loop swaps them", test_readers_during_swaps },
	{ "setup and teardown without a snapshot", test_setup_teardown_empty },
	{ "origins that are not UTF-8 are escaped", test_origins_utf8 },
	{ "lookups by name: linear time over 512 and 4096 paths", test_lookup_scaling },
};

UNIT_MAIN("state", tests)
