/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `multipathctl stats` formatters (multipathctl/stats.c) on map statuses
 * built here, by hand and through mp_dm_parse_status(): no device-mapper is
 * needed. The Prometheus output is compared in full.
 */
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "unit.h"

static char *capture_prometheus(const struct stats_map *maps, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(stats_print_prometheus(f, maps, n), 0);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	return buf;
}

/* Map "mpatha": group 1 (active) with 8:16 and 8:32, group 2 (enabled) with failed 8:48. */
static struct mp_map_path_status g1_paths[] = {
	{ .major = 8, .minor = 16, .active = true, .fail_count = 0,
	  .ios = 1200, .bytes = 4915200, .errors = 0, .avg_lat_us = 250 },
	{ .major = 8, .minor = 32, .active = true, .fail_count = 2,
	  .ios = 1100, .bytes = 4505600, .errors = 3, .avg_lat_us = 310 },
};
static struct mp_map_path_status g2_paths[] = {
	{ .major = 8, .minor = 48, .active = false, .fail_count = 1,
	  .ios = 0, .bytes = 0, .errors = 0, .avg_lat_us = 0 },
};
static struct mp_map_group_status groups[] = {
	{ .state = MP_GROUP_ACTIVE, .n_paths = 2, .paths = g1_paths },
	{ .state = MP_GROUP_ENABLED, .n_paths = 1, .paths = g2_paths },
};
static const struct mp_map_status mpatha = {
	.queue_io = false, .pg_init_count = 1, .current_group = 1,
	.n_groups = 2, .groups = groups, .has_stats = true, .queueing = MP_QUEUEING_ON,
};

static const char expected_one_map[] =
	"# HELP mpio_path_ios_total I/O requests completed on the path since the map was loaded or its counters cleared.\n"
	"# TYPE mpio_path_ios_total counter\n"
	"mpio_path_ios_total{map=\"mpatha\",path=\"8:16\"} 1200\n"
	"mpio_path_ios_total{map=\"mpatha\",path=\"8:32\"} 1100\n"
	"mpio_path_ios_total{map=\"mpatha\",path=\"8:48\"} 0\n"
	"# HELP mpio_path_bytes_total Bytes transferred on the path since the map was loaded or its counters cleared.\n"
	"# TYPE mpio_path_bytes_total counter\n"
	"mpio_path_bytes_total{map=\"mpatha\",path=\"8:16\"} 4915200\n"
	"mpio_path_bytes_total{map=\"mpatha\",path=\"8:32\"} 4505600\n"
	"mpio_path_bytes_total{map=\"mpatha\",path=\"8:48\"} 0\n"
	"# HELP mpio_path_errors_total I/O requests that failed on the path since the map was loaded or its counters cleared.\n"
	"# TYPE mpio_path_errors_total counter\n"
	"mpio_path_errors_total{map=\"mpatha\",path=\"8:16\"} 0\n"
	"mpio_path_errors_total{map=\"mpatha\",path=\"8:32\"} 3\n"
	"mpio_path_errors_total{map=\"mpatha\",path=\"8:48\"} 0\n"
	"# HELP mpio_path_latency_avg_microseconds Average completion latency of the path's I/O requests, in microseconds.\n"
	"# TYPE mpio_path_latency_avg_microseconds gauge\n"
	"mpio_path_latency_avg_microseconds{map=\"mpatha\",path=\"8:16\"} 250\n"
	"mpio_path_latency_avg_microseconds{map=\"mpatha\",path=\"8:32\"} 310\n"
	"mpio_path_latency_avg_microseconds{map=\"mpatha\",path=\"8:48\"} 0\n"
	"# HELP mpio_path_active 1 if the kernel considers the path usable, 0 if it is failed.\n"
	"# TYPE mpio_path_active gauge\n"
	"mpio_path_active{map=\"mpatha\",path=\"8:16\"} 1\n"
	"mpio_path_active{map=\"mpatha\",path=\"8:32\"} 1\n"
	"mpio_path_active{map=\"mpatha\",path=\"8:48\"} 0\n"
	"# HELP mpio_path_failures_total Times the kernel has failed the path.\n"
	"# TYPE mpio_path_failures_total counter\n"
	"mpio_path_failures_total{map=\"mpatha\",path=\"8:16\"} 0\n"
	"mpio_path_failures_total{map=\"mpatha\",path=\"8:32\"} 2\n"
	"mpio_path_failures_total{map=\"mpatha\",path=\"8:48\"} 1\n";

static void test_prometheus_one_map(void)
{
	const struct stats_map maps[] = { { "mpatha", &mpatha } };
	char *out = capture_prometheus(maps, 1);

	if (strcmp(out, expected_one_map) != 0)
		fprintf(stderr, "\n%s", out ?: "");
	CU_ASSERT_STRING_EQUAL(out, expected_one_map);
	free(out);
}

static size_t count_lines_with(const char *text, const char *needle)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void test_prometheus_families_grouped(void)
{
	struct mp_map_status *parsed = NULL;
	char *out;

	/* a second map without mpio's stats section: only the path state families */
	CU_ASSERT_EQUAL_FATAL(mp_dm_parse_status("2 1 0 0 1 1 A 0 1 0 8:64 A 4 ", &parsed), 0);
	CU_ASSERT_FALSE(parsed->has_stats);
	{
		const struct stats_map maps[] = { { "mpatha", &mpatha }, { "mpathb", parsed } };

		out = capture_prometheus(maps, 2);
	}
	/* every family's HELP and TYPE once, each family's samples after them, together */
	CU_ASSERT_EQUAL(count_lines_with(out, "# HELP "), 6);
	CU_ASSERT_EQUAL(count_lines_with(out, "# TYPE "), 6);
	CU_ASSERT_EQUAL(count_lines_with(out, "map=\"mpathb\""), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mpio_path_active{map=\"mpatha\",path=\"8:48\"} 0\n"
					   "mpio_path_active{map=\"mpathb\",path=\"8:64\"} 1\n"
					   "# HELP mpio_path_failures_total"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mpio_path_failures_total{map=\"mpathb\",path=\"8:64\"} 4\n"));
	CU_ASSERT_PTR_NULL(strstr(out, "mpio_path_ios_total{map=\"mpathb\""));
	free(out);
	mp_map_status_free(parsed);

	/* no maps: the families are still described, which node_exporter accepts */
	out = capture_prometheus(NULL, 0);
	CU_ASSERT_EQUAL(count_lines_with(out, "# TYPE "), 6);
	CU_ASSERT_EQUAL(count_lines_with(out, "{"), 0);
	free(out);
}

static void test_prometheus_label_escaping(void)
{
	struct mp_map_status *parsed = NULL;
	char *out;

	CU_ASSERT_EQUAL_FATAL(mp_dm_parse_status("2 0 0 0 1 1 A 0 1 0 8:0 A 0", &parsed), 0);
	{
		const struct stats_map maps[] = { { "we\"ird\\na\nme", parsed } };

		out = capture_prometheus(maps, 1);
	}
	CU_ASSERT_PTR_NOT_NULL(
		strstr(out, "mpio_path_active{map=\"we\\\"ird\\\\na\\nme\",path=\"8:0\"} 1\n"));
	free(out);
	mp_map_status_free(parsed);
}

static void test_parsed_stats(void)
{
	struct mp_map_status *st = NULL;
	char *out;

	/* the stats section as the kernel writes it fills the same metrics */
	CU_ASSERT_EQUAL_FATAL(mp_dm_parse_status("2 0 0 0 1 1 A 0 2 0 8:16 A 0 8:32 F 1 "
						 "stats 2 4 8:16 10 40960 0 250 8:32 5 20480 1 300",
						 &st), 0);
	{
		const struct stats_map maps[] = { { "mpathc", st } };

		out = capture_prometheus(maps, 1);
	}
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mpio_path_ios_total{map=\"mpathc\",path=\"8:16\"} 10\n"
					   "mpio_path_ios_total{map=\"mpathc\",path=\"8:32\"} 5\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mpio_path_bytes_total{map=\"mpathc\",path=\"8:32\"} 20480\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mpio_path_errors_total{map=\"mpathc\",path=\"8:32\"} 1\n"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(out, "mpio_path_latency_avg_microseconds{map=\"mpathc\",path=\"8:16\"} 250\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "mpio_path_active{map=\"mpathc\",path=\"8:32\"} 0\n"));
	free(out);
	mp_map_status_free(st);
}

static void test_json_and_table(void)
{
	struct mp_map_status *nostats = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	struct json j;

	CU_ASSERT_EQUAL_FATAL(mp_dm_parse_status("2 1 0 0 1 0 E 0 1 0 8:64 F 4", &nostats), 0);
	{
		const struct stats_map maps[] = { { "mpatha", &mpatha }, { "mpathb", nostats } };

		f = open_memstream(&buf, &len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		json_init(&j, f, false);
		stats_print_json(&j, maps, 2);
		fclose(f);
		CU_ASSERT_STRING_EQUAL(buf,
			"{\"maps\":[{\"name\":\"mpatha\",\"queue_io\":false,\"pg_init_count\":1,"
			"\"current_group\":1,\"has_stats\":true,\"groups\":["
			"{\"number\":1,\"state\":\"active\",\"paths\":["
			"{\"devt\":\"8:16\",\"active\":true,\"fail_count\":0,\"ios\":1200,"
			"\"bytes\":4915200,\"errors\":0,\"avg_latency_us\":250},"
			"{\"devt\":\"8:32\",\"active\":true,\"fail_count\":2,\"ios\":1100,"
			"\"bytes\":4505600,\"errors\":3,\"avg_latency_us\":310}]},"
			"{\"number\":2,\"state\":\"enabled\",\"paths\":["
			"{\"devt\":\"8:48\",\"active\":false,\"fail_count\":1,\"ios\":0,"
			"\"bytes\":0,\"errors\":0,\"avg_latency_us\":0}]}],\"queueing\":\"on\"},"
			"{\"name\":\"mpathb\",\"queue_io\":true,\"pg_init_count\":0,"
			"\"current_group\":0,\"has_stats\":false,\"groups\":["
			"{\"number\":1,\"state\":\"enabled\",\"paths\":["
			"{\"devt\":\"8:64\",\"active\":false,\"fail_count\":4,\"ios\":null,"
			"\"bytes\":null,\"errors\":null,\"avg_latency_us\":null}]}],\"queueing\":\"unknown\"}]}\n");
		free(buf);

		buf = NULL;
		f = open_memstream(&buf, &len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		CU_ASSERT_EQUAL(stats_print_table(f, maps, 2, false), 0);
		fclose(f);
		CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
		CU_ASSERT_STRING_EQUAL(buf,
			"MAP    GROUP       PATH STATE  FAILURES  IOS BYTES ERRORS AVG-LATENCY\n"
			"mpatha 1 (active)  8:16 active        0 1200  4.6M      0       250us\n"
			"mpatha 1 (active)  8:32 active        2 1100  4.2M      3       310us\n"
			"mpatha 2 (enabled) 8:48 failed        1    0    0B      0         0us\n"
			"mpathb 1 (enabled) 8:64 failed        4    -     -      -           -\n");
		free(buf);
	}
	mp_map_status_free(nostats);
}

static const struct unit_test tests[] = {
	{ "Prometheus text of one map, in full", test_prometheus_one_map },
	{ "Prometheus families grouped; maps without stats", test_prometheus_families_grouped },
	{ "Prometheus label escaping", test_prometheus_label_escaping },
	{ "counters from a parsed stats section", test_parsed_stats },
	{ "JSON and table", test_json_and_table },
};

UNIT_MAIN("ctl-stats", tests)
