/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The table builder: exact output for each grouping policy, ALUA ordering,
 * failed paths, per-path arguments of the selectors, features, hardware
 * handlers, and determinism whatever the input order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libmp-private.h"
#include "unit.h"

#define OPT MP_ALUA_OPTIMIZED
#define NONOPT MP_ALUA_NONOPTIMIZED
#define STANDBY MP_ALUA_STANDBY
#define UNAVAIL MP_ALUA_UNAVAILABLE
#define OFFLINE MP_ALUA_OFFLINE
#define TRANS MP_ALUA_TRANSITIONING
#define UNKNOWN MP_ALUA_UNKNOWN

/* The compiled-in defaults, as mp_config_resolve() gives them for an unknown device. */
static struct mp_settings defaults(void)
{
	return (struct mp_settings){
		.pg_policy = MP_PG_FAILOVER,
		.selector = MP_SELECTOR_SERVICE_TIME,
		.hw_handler = MP_HW_HANDLER_NONE,
		.failback = MP_FAILBACK_MANUAL,
		.no_path_retry = MP_NO_PATH_FAIL,
		.checker = MP_CHECKER_TUR,
		.check_interval = 5,
		.remove_timeout = 300,
		.pg_init_delay_msecs = -1,
		.write_quiesce_msecs = -1,
	};
}

static struct mp_path_info path(unsigned major, unsigned minor, enum mp_alua_state st, int tpg,
				const char *serial, bool failed)
{
	struct mp_path_info p = { .major = major, .minor = minor, .alua_state = st, .tpg = tpg,
				  .failed = failed, .weight = 1 };

	snprintf(p.dev, sizeof(p.dev), "sd%c", 'a' + (char)(minor / 16 % 26));
	snprintf(p.serial, sizeof(p.serial), "%s", serial);
	return p;
}

/* Build and compare; also with the input reversed and rotated: the output must not change. */
static void expect(const struct mp_path_info *paths, size_t n, const struct mp_settings *s,
		   const char *want)
{
	struct mp_path_info *perm = calloc(n ?: 1, sizeof(*perm));
	char *got = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(perm);
	CU_ASSERT_EQUAL_FATAL(mp_table_build(paths, n, s, &got), 0);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "\n got: %s\nwant: %s\n", got, want);
	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);

	for (size_t rot = 0; rot < n; rot++) {
		for (size_t i = 0; i < n; i++)
			perm[i] = paths[(n - 1 - i + rot) % n];
		got = NULL;
		CU_ASSERT_EQUAL_FATAL(mp_table_build(perm, n, s, &got), 0);
		CU_ASSERT_STRING_EQUAL(got, want);
		free(got);
	}
	free(perm);
}

static void test_alua_names(void)
{
	CU_ASSERT_STRING_EQUAL(mp_alua_state_to_string(OPT), "active/optimized");
	CU_ASSERT_STRING_EQUAL(mp_alua_state_to_string(NONOPT), "active/non-optimized");
	for (int i = 0; i < _MP_ALUA_STATE_MAX; i++)
		CU_ASSERT_EQUAL(mp_alua_state_from_string(mp_alua_state_to_string(i)), i);
	CU_ASSERT_EQUAL(mp_alua_state_from_string("Standby"), STANDBY);
	CU_ASSERT_EQUAL(mp_alua_state_from_string("lba-dependent"), _MP_ALUA_STATE_INVALID);
	CU_ASSERT_EQUAL(mp_alua_state_from_string(NULL), _MP_ALUA_STATE_INVALID);
	CU_ASSERT_PTR_NULL(mp_alua_state_to_string(_MP_ALUA_STATE_MAX));
	CU_ASSERT_PTR_NULL(mp_alua_state_to_string(-1));
}

static void test_failover(void)
{
	struct mp_settings s = defaults();
	struct mp_path_info p[] = {
		path(8, 48, UNKNOWN, -1, "", false),
		path(8, 16, UNKNOWN, -1, "", false),
		path(65, 0, UNKNOWN, -1, "", false),
		path(8, 32, UNKNOWN, -1, "", false),
	};

	expect(p, 4, &s,
	       "0 0 4 1 service-time 0 1 1 8:16 1 service-time 0 1 1 8:32 1 "
	       "service-time 0 1 1 8:48 1 service-time 0 1 1 65:0 1");

	/* with ALUA states, the groups follow them; a failed path goes after usable ones */
	p[0].alua_state = OPT;	   /* 8:48 */
	p[1].alua_state = STANDBY; /* 8:16 */
	p[2].alua_state = OPT;	   /* 65:0 */
	p[2].failed = true;
	p[3].alua_state = NONOPT;  /* 8:32 */
	expect(p, 4, &s,
	       "0 0 4 1 service-time 0 1 1 8:48 1 service-time 0 1 1 8:32 1 "
	       "service-time 0 1 1 8:16 1 service-time 0 1 1 65:0 1");
}

static void test_multibus(void)
{
	struct mp_settings s = defaults();
	struct mp_path_info p[] = {
		path(8, 32, UNKNOWN, -1, "", false),
		path(8, 16, UNKNOWN, -1, "", true),
		path(259, 3, UNKNOWN, -1, "", false),
	};

	s.pg_policy = MP_PG_MULTIBUS;
	s.selector = MP_SELECTOR_ROUND_ROBIN;
	s.no_path_retry = MP_NO_PATH_QUEUE;
	expect(p, 3, &s, "1 queue_if_no_path 0 1 1 round-robin 0 3 1 8:16 1 8:32 1 259:3 1");
	s.selector = MP_SELECTOR_QUEUE_LENGTH;
	expect(p, 1, &s, "1 queue_if_no_path 0 1 1 queue-length 0 1 1 8:32 1");
	s.selector = MP_SELECTOR_LEAST_BLOCKS;
	expect(p, 2, &s, "1 queue_if_no_path 0 1 1 least-blocks 0 2 1 8:16 1 8:32 1");
	s.selector = MP_SELECTOR_HISTORICAL_SERVICE_TIME;
	expect(p, 2, &s, "1 queue_if_no_path 0 1 1 historical-service-time 0 2 1 8:16 1 8:32 1");
}

static void test_group_by_prio(void)
{
	struct mp_settings s = defaults();
	struct mp_path_info p[] = {
		path(8, 16, NONOPT, 2, "", false),  path(8, 32, OPT, 1, "", false),
		path(8, 48, STANDBY, 3, "", false), path(8, 64, OPT, 1, "", false),
		path(8, 80, UNAVAIL, 4, "", false), path(8, 96, OFFLINE, 4, "", false),
		path(8, 112, TRANS, 4, "", false),  path(8, 128, NONOPT, 2, "", false),
	};

	s.pg_policy = MP_PG_GROUP_BY_PRIO;
	s.hw_handler = MP_HW_HANDLER_ALUA;
	s.no_path_retry = MP_NO_PATH_TIMEOUT;
	s.no_path_timeout = 30;
	expect(p, 8, &s,
	       "3 queue_if_no_path no_path_timeout 30 1 alua 4 1 "
	       "service-time 0 2 1 8:32 1 8:64 1 "
	       "service-time 0 2 1 8:16 1 8:128 1 "
	       "service-time 0 1 1 8:48 1 "
	       "service-time 0 3 1 8:80 1 8:96 1 8:112 1");

	/* No ALUA: every path alike, one group. */
	for (size_t i = 0; i < 4; i++)
		p[i].alua_state = UNKNOWN;
	expect(p, 4, &s,
	       "3 queue_if_no_path no_path_timeout 30 1 alua 1 1 "
	       "service-time 0 4 1 8:16 1 8:32 1 8:48 1 8:64 1");
}

static void test_group_by_prio_failed(void)
{
	struct mp_settings s = defaults();
	struct mp_path_info p[] = {
		path(8, 16, OPT, 1, "", true),
		path(8, 32, OPT, 1, "", true),
		path(8, 48, NONOPT, 2, "", false),
		path(8, 64, STANDBY, 3, "", false),
		path(8, 80, STANDBY, 3, "", true),
	};

	s.pg_policy = MP_PG_GROUP_BY_PRIO;
	/* the optimized group lost both paths: it goes last, the others keep their order */
	expect(p, 5, &s,
	       "0 0 3 1 service-time 0 1 1 8:48 1 service-time 0 2 1 8:64 1 8:80 1 "
	       "service-time 0 2 1 8:16 1 8:32 1");
	/* one optimized path back: its group is first again, failed path included */
	p[1].failed = false;
	expect(p, 5, &s,
	       "0 0 3 1 service-time 0 2 1 8:16 1 8:32 1 service-time 0 1 1 8:48 1 "
	       "service-time 0 2 1 8:64 1 8:80 1");
	/* everything failed: ALUA order among the failed groups */
	for (size_t i = 0; i < 5; i++)
		p[i].failed = true;
	expect(p, 5, &s,
	       "0 0 3 1 service-time 0 2 1 8:16 1 8:32 1 service-time 0 1 1 8:48 1 "
	       "service-time 0 2 1 8:64 1 8:80 1");
}

static void test_group_by_serial(void)
{
	struct mp_settings s = defaults();
	struct mp_path_info p[] = {
		path(8, 16, NONOPT, -1, "CTRL-A", false),
		path(8, 32, OPT, -1, "CTRL-B", false),
		path(8, 48, NONOPT, -1, "CTRL-A", false),
		path(8, 64, NONOPT, -1, "CTRL-B", false),
		path(8, 80, UNKNOWN, -1, "CTRL-C", false),
	};

	s.pg_policy = MP_PG_GROUP_BY_SERIAL;
	s.hw_handler = MP_HW_HANDLER_RDAC;
	/* CTRL-B holds the optimized path, then CTRL-A (non-optimized), then CTRL-C (unknown) */
	expect(p, 5, &s,
	       "0 1 rdac 3 1 service-time 0 2 1 8:32 1 8:64 1 service-time 0 2 1 8:16 1 8:48 1 "
	       "service-time 0 1 1 8:80 1");
	/* without ALUA: by lowest dev_t */
	for (size_t i = 0; i < 5; i++)
		p[i].alua_state = UNKNOWN;
	expect(p, 5, &s,
	       "0 1 rdac 3 1 service-time 0 2 1 8:16 1 8:48 1 service-time 0 2 1 8:32 1 8:64 1 "
	       "service-time 0 1 1 8:80 1");
}

static void test_group_by_tpg(void)
{
	struct mp_settings s = defaults();
	struct mp_path_info p[] = {
		path(8, 16, STANDBY, 1, "", false), path(8, 32, OPT, 2, "", false),
		path(8, 48, STANDBY, 1, "", false), path(8, 64, OPT, 2, "", true),
		path(8, 80, UNKNOWN, -1, "", false), path(8, 96, UNKNOWN, -1, "", false),
	};

	s.pg_policy = MP_PG_GROUP_BY_TPG;
	s.hw_handler = MP_HW_HANDLER_ALUA;
	expect(p, 6, &s,
	       "0 1 alua 3 1 service-time 0 2 1 8:32 1 8:64 1 service-time 0 2 1 8:16 1 8:48 1 "
	       "service-time 0 2 1 8:80 1 8:96 1");
	/* TPG 2 has no usable path left */
	p[1].failed = true;
	expect(p, 6, &s,
	       "0 1 alua 3 1 service-time 0 2 1 8:16 1 8:48 1 service-time 0 2 1 8:80 1 8:96 1 "
	       "service-time 0 2 1 8:32 1 8:64 1");
}

static void test_selector_args(void)
{
	struct mp_settings s = defaults();
	struct mp_path_info p[] = {
		path(8, 16, UNKNOWN, -1, "", false),
		path(8, 32, UNKNOWN, -1, "", false),
	};
	char *out = (char *)"untouched";

	s.pg_policy = MP_PG_MULTIBUS;
	s.selector = MP_SELECTOR_WEIGHTED_PATH;
	p[0].weight = 0;
	p[1].weight = 1000;
	expect(p, 2, &s, "0 0 1 1 weighted-path 0 2 1 8:16 0 8:32 1000");
	p[1].weight = 1001;
	CU_ASSERT_EQUAL(mp_table_build(p, 2, &s, &out), -ERANGE);
	CU_ASSERT_STRING_EQUAL(out, "untouched");

	s.selector = MP_SELECTOR_IO_AFFINITY;
	snprintf(p[0].cpumask, sizeof(p[0].cpumask), "f0");
	snprintf(p[1].cpumask, sizeof(p[1].cpumask), "0000000f,00000000");
	expect(p, 2, &s, "0 0 1 1 io-affinity 0 2 1 8:16 f0 8:32 0000000f,00000000");
	p[1].cpumask[0] = '\0';
	CU_ASSERT_EQUAL(mp_table_build(p, 2, &s, &out), -EINVAL);
	snprintf(p[1].cpumask, sizeof(p[1].cpumask), "f 1");
	CU_ASSERT_EQUAL(mp_table_build(p, 2, &s, &out), -EINVAL);
	memset(p[1].cpumask, 'f', sizeof(p[1].cpumask)); /* not NUL-terminated */
	CU_ASSERT_EQUAL(mp_table_build(p, 2, &s, &out), -EINVAL);
	CU_ASSERT_STRING_EQUAL(out, "untouched");
}

static void test_features_and_handlers(void)
{
	struct mp_settings s = defaults();
	struct mp_path_info p[] = { path(8, 16, UNKNOWN, -1, "", false) };

	s.pg_init_retries = 50;
	expect(p, 1, &s, "2 pg_init_retries 50 0 1 1 service-time 0 1 1 8:16 1");
	s.pg_init_delay_msecs = 0;
	s.hw_handler = MP_HW_HANDLER_EMC;
	expect(p, 1, &s,
	       "4 pg_init_retries 50 pg_init_delay_msecs 0 1 emc 1 1 service-time 0 1 1 8:16 1");
	s.no_path_retry = MP_NO_PATH_TIMEOUT;
	s.no_path_timeout = 86400;
	s.hw_handler = MP_HW_HANDLER_HP_SW;
	s.pg_init_retries = 0;
	s.pg_init_delay_msecs = 60000;
	expect(p, 1, &s,
	       "5 queue_if_no_path no_path_timeout 86400 pg_init_delay_msecs 60000 1 hp_sw 1 1 "
	       "service-time 0 1 1 8:16 1");
	/* write_quiesce_ms only when set: 0 (off) is a value too */
	s.write_quiesce_msecs = 0;
	expect(p, 1, &s,
	       "7 queue_if_no_path no_path_timeout 86400 pg_init_delay_msecs 60000 write_quiesce_ms 0 "
	       "1 hp_sw 1 1 service-time 0 1 1 8:16 1");
	s = defaults();
	s.write_quiesce_msecs = 60000;
	expect(p, 1, &s, "2 write_quiesce_ms 60000 0 1 1 service-time 0 1 1 8:16 1");
	/* no paths left: no groups */
	s = defaults();
	s.no_path_retry = MP_NO_PATH_QUEUE;
	s.hw_handler = MP_HW_HANDLER_ALUA;
	expect(NULL, 0, &s, "1 queue_if_no_path 1 alua 0 0");
}

static void test_bad_input(void)
{
	struct mp_settings s = defaults();
	struct mp_path_info p[] = {
		path(8, 16, UNKNOWN, -1, "", false),
		path(8, 16, UNKNOWN, -1, "", false),
	};
	struct mp_path_info *many;
	char *out = NULL;

	CU_ASSERT_EQUAL(mp_table_build(p, 2, &s, &out), -EINVAL); /* one dev_t twice */
	CU_ASSERT_EQUAL(mp_table_build(NULL, 1, &s, &out), -EINVAL);
	CU_ASSERT_EQUAL(mp_table_build(p, 1, NULL, &out), -EINVAL);
	CU_ASSERT_EQUAL(mp_table_build(p, 1, &s, NULL), -EINVAL);
	s.pg_policy = _MP_PG_POLICY_MAX;
	CU_ASSERT_EQUAL(mp_table_build(p, 1, &s, &out), -EINVAL);
	s = defaults();
	s.selector = -1;
	CU_ASSERT_EQUAL(mp_table_build(p, 1, &s, &out), -EINVAL);
	s = defaults();
	s.no_path_retry = MP_NO_PATH_TIMEOUT;
	s.no_path_timeout = 0;
	CU_ASSERT_EQUAL(mp_table_build(p, 1, &s, &out), -EINVAL);
	s = defaults();
	s.pg_init_retries = 51;
	CU_ASSERT_EQUAL(mp_table_build(p, 1, &s, &out), -EINVAL);
	s = defaults();
	s.pg_init_delay_msecs = 60001;
	CU_ASSERT_EQUAL(mp_table_build(p, 1, &s, &out), -EINVAL);
	s = defaults();
	s.write_quiesce_msecs = 60001;
	CU_ASSERT_EQUAL(mp_table_build(p, 1, &s, &out), -EINVAL);
	s.write_quiesce_msecs = -2;
	CU_ASSERT_EQUAL(mp_table_build(p, 1, &s, &out), -EINVAL);
	CU_ASSERT_PTR_NULL(out);

	/* 1024 paths are fine (failover: 1024 groups), 1025 are not */
	s = defaults();
	many = calloc(1025, sizeof(*many));
	CU_ASSERT_PTR_NOT_NULL_FATAL(many);
	for (unsigned i = 0; i < 1025; i++)
		many[i] = path(8 + i / 256, i % 256, UNKNOWN, -1, "", false);
	CU_ASSERT_EQUAL(mp_table_build(many, 1024, &s, &out), 0);
	CU_ASSERT_PTR_NOT_NULL(out);
	CU_ASSERT_EQUAL(strncmp(out, "0 0 1024 1 service-time 0 1 1 8:0 1 ", 36), 0);
	free(out);
	out = NULL;
	CU_ASSERT_EQUAL(mp_table_build(many, 1025, &s, &out), -EINVAL);
	CU_ASSERT_PTR_NULL(out);
	free(many);
}

static const struct unit_test tests[] = {
	{ "ALUA state names", test_alua_names },
	{ "failover", test_failover },
	{ "multibus and selectors with a repeat count", test_multibus },
	{ "group_by_prio: ALUA order", test_group_by_prio },
	{ "group_by_prio: failed paths", test_group_by_prio_failed },
	{ "group_by_serial", test_group_by_serial },
	{ "group_by_tpg", test_group_by_tpg },
	{ "weighted-path and io-affinity arguments", test_selector_args },
	{ "features and hardware handlers", test_features_and_handlers },
	{ "bad input", test_bad_input },
};

UNIT_MAIN("table", tests)
