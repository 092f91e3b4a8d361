/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mp_table_compare(): the table mpiod builds against the one the kernel
 * reports. Every "equal" case here is a reload mpiod must not do (each one
 * suspends the map); every "differs" case is one it must do.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libmp-private.h"
#include "unit.h"

static void equal(const char *want, const char *have)
{
	const char *what = NULL;
	int r = mp_table_compare(want, have, &what);

	if (r != 0)
		fprintf(stderr, "\nwant: %s\nhave: %s\n  -> %d (%s), expected equal\n", want, have, r,
			what ?: "");
	CU_ASSERT_EQUAL(r, 0);
}

static void differs(const char *want, const char *have, const char *expect_what)
{
	const char *what = NULL;
	int r = mp_table_compare(want, have, &what);

	if (r != 1)
		fprintf(stderr, "\nwant: %s\nhave: %s\n  -> %d, expected to differ\n", want, have, r);
	CU_ASSERT_EQUAL(r, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(what);
	if (expect_what && !strstr(what, expect_what))
		fprintf(stderr, "\nwhat: '%s', expected '%s' in it\n", what, expect_what);
	CU_ASSERT_PTR_NOT_NULL(strstr(what, expect_what ?: ""));
}

/* What mpiod builds for 2 paths with the defaults, and what the kernel prints back. */
#define WANT_2 "0 0 2 1 service-time 0 1 1 8:16 1 service-time 0 1 1 8:32 1"
#define HAVE_2 "2 queue_mode bio 0 2 1 service-time 0 1 2 8:16 1 1 service-time 0 1 2 8:32 1 1"

static void test_identical(void)
{
	struct mp_path_info p[2] = {
		{ .major = 8, .minor = 32, .tpg = -1, .weight = 1 },
		{ .major = 8, .minor = 16, .tpg = -1, .weight = 1 },
	};
	struct mp_settings s = { .pg_policy = MP_PG_FAILOVER, .selector = MP_SELECTOR_SERVICE_TIME,
				 .pg_init_delay_msecs = -1, .write_quiesce_msecs = -1 };
	char *built = NULL;

	equal(WANT_2, WANT_2);
	equal(WANT_2, HAVE_2);
	/* the builder's own output, against the kernel's form of it */
	CU_ASSERT_EQUAL_FATAL(mp_table_build(p, 2, &s, &built), 0);
	equal(built, HAVE_2);
	free(built);
	/* spacing and a trailing blank as the kernel leaves it */
	equal(WANT_2, "  " HAVE_2 " \n");
	/* an empty map (all paths gone) */
	equal("1 queue_if_no_path 0 0 0", "3 queue_if_no_path queue_mode bio 0 0 0");
}

static void test_kernel_attached_handler(void)
{
	/* scsi_dh_alua attached itself (implicit ALUA): the config names no handler */
	equal(WANT_2, "2 queue_mode bio 1 alua 2 1 service-time 0 1 2 8:16 1 1 "
		      "service-time 0 1 2 8:32 1 1");
	equal("1 queue_if_no_path 0 1 1 round-robin 0 2 1 8:16 1 8:32 1",
	      "3 queue_if_no_path queue_mode bio 1 rdac 1 1 round-robin 0 2 1 8:16 1 8:32 1");
	/* with arguments the kernel keeps for it */
	equal(WANT_2, "2 queue_mode bio 2 alua 1 2 1 service-time 0 1 2 8:16 1 1 "
		      "service-time 0 1 2 8:32 1 1");
	/* the config names the handler that is attached */
	equal("0 1 alua 2 1 service-time 0 1 1 8:16 1 service-time 0 1 1 8:32 1",
	      "2 queue_mode bio 1 alua 2 2 service-time 0 1 2 8:16 1 1 service-time 0 1 2 8:32 1 1");
	/* "retain_attached_hw_handler" is the kernel's behaviour whether written or not */
	equal(WANT_2, "3 retain_attached_hw_handler queue_mode bio 1 alua 2 1 "
		      "service-time 0 1 2 8:16 1 1 service-time 0 1 2 8:32 1 1");
}

static void test_named_handler(void)
{
	/* another handler than the config names */
	differs("0 1 emc 2 1 service-time 0 1 1 8:16 1 service-time 0 1 1 8:32 1",
		"2 queue_mode bio 1 alua 2 1 service-time 0 1 2 8:16 1 1 service-time 0 1 2 8:32 1 1",
		"hardware handler");
	/* named, and the map runs none */
	differs("0 1 alua 2 1 service-time 0 1 1 8:16 1 service-time 0 1 1 8:32 1", HAVE_2,
		"hardware handler");
	/* named with arguments: they count */
	differs("0 2 rdac x 1 1 round-robin 0 1 1 8:16 1",
		"2 queue_mode bio 2 rdac y 1 1 round-robin 0 1 1 8:16 1", "hardware handler");
	equal("0 2 rdac x 1 1 round-robin 0 1 1 8:16 1",
	      "2 queue_mode bio 2 rdac x 1 1 round-robin 0 1 1 8:16 1");
}

static void test_features(void)
{
	const char *want = "5 queue_if_no_path no_path_timeout 30 pg_init_retries 5 0 "
			   "1 1 round-robin 0 1 1 8:16 1";

	/* any order */
	equal(want, "7 pg_init_retries 5 queue_mode bio queue_if_no_path no_path_timeout 30 0 "
		    "1 1 round-robin 0 1 1 8:16 1");
	/* queueing is off in the kernel (e.g. set by hand, or no_path_timeout fired) */
	differs(want, "6 no_path_timeout 30 pg_init_retries 5 queue_mode bio 0 "
		      "1 1 round-robin 0 1 1 8:16 1", "features");
	/* queueing on in the kernel, off in the config */
	differs(WANT_2, "3 queue_if_no_path queue_mode bio 0 2 1 service-time 0 1 2 8:16 1 1 "
			"service-time 0 1 2 8:32 1 1", "features");
	/* a value differs */
	differs(want, "7 queue_if_no_path no_path_timeout 60 pg_init_retries 5 queue_mode bio 0 "
		      "1 1 round-robin 0 1 1 8:16 1", "features");
	/* one more feature in the kernel */
	differs(want, "9 queue_if_no_path no_path_timeout 30 pg_init_retries 5 "
		      "pg_init_delay_msecs 100 queue_mode bio 0 1 1 round-robin 0 1 1 8:16 1",
		"features");
	/* a queue_mode the config asks for counts */
	differs("2 queue_mode rq 0 1 1 round-robin 0 1 1 8:16 1",
		"2 queue_mode bio 0 1 1 round-robin 0 1 1 8:16 1", "features");
	/* the kernel writes its write quiesce time too: the config sets none */
	equal(want, "9 pg_init_retries 5 write_quiesce_ms 20000 queue_mode bio queue_if_no_path "
		    "no_path_timeout 30 0 1 1 round-robin 0 1 1 8:16 1");
	/* one the config asks for counts */
	equal("2 write_quiesce_ms 0 0 1 1 round-robin 0 1 1 8:16 1",
	      "4 write_quiesce_ms 0 queue_mode bio 0 1 1 round-robin 0 1 1 8:16 1");
	differs("2 write_quiesce_ms 0 0 1 1 round-robin 0 1 1 8:16 1",
		"4 write_quiesce_ms 20000 queue_mode bio 0 1 1 round-robin 0 1 1 8:16 1", "features");
}

static void test_path_order(void)
{
	const char *want = "0 0 1 1 round-robin 0 3 1 8:16 1 8:32 1 8:48 1";

	equal(want, "2 queue_mode bio 0 1 1 round-robin 0 3 1 8:48 1 8:16 1 8:32 1");
	/* a path more, a path less, another path */
	differs(want, "2 queue_mode bio 0 1 1 round-robin 0 4 1 8:16 1 8:32 1 8:48 1 8:64 1",
		"paths");
	differs(want, "2 queue_mode bio 0 1 1 round-robin 0 2 1 8:16 1 8:32 1", "paths");
	differs(want, "2 queue_mode bio 0 1 1 round-robin 0 3 1 8:16 1 8:32 1 8:64 1", "paths");
	/* the same paths, grouped otherwise */
	differs(want, "2 queue_mode bio 0 2 1 round-robin 0 2 1 8:16 1 8:32 1 "
		      "round-robin 0 1 1 8:48 1", "groups");
}

static void test_group_priorities(void)
{
	const char *want = "0 0 2 1 round-robin 0 2 1 8:16 1 8:48 1 round-robin 0 1 1 8:32 1";

	/* the kernel writes the group it uses now as the initial one */
	equal(want, "2 queue_mode bio 0 2 2 round-robin 0 2 1 8:48 1 8:16 1 "
		    "round-robin 0 1 1 8:32 1");
	/* the groups in the other order: the standby group would come first */
	differs(want, "2 queue_mode bio 0 2 1 round-robin 0 1 1 8:32 1 "
		      "round-robin 0 2 1 8:16 1 8:48 1", "paths");
	/* a group more */
	differs(want, "2 queue_mode bio 0 3 1 round-robin 0 2 1 8:16 1 8:48 1 "
		      "round-robin 0 1 1 8:32 1 round-robin 0 1 1 8:64 1", "groups");
}

static void test_selector_args(void)
{
	/* another selector */
	differs("0 0 1 1 round-robin 0 1 1 8:16 1",
		"2 queue_mode bio 0 1 1 queue-length 0 1 1 8:16 1", "selector");
	/* the kernel's own group arguments (historical-service-time's defaults) */
	equal("0 0 1 1 historical-service-time 0 1 1 8:16 1",
	      "2 queue_mode bio 0 1 1 historical-service-time 2 10 2 1 1 8:16 1");
	/* group arguments the config gives count */
	differs("0 0 1 1 historical-service-time 2 20 2 1 1 8:16 1",
		"2 queue_mode bio 0 1 1 historical-service-time 2 10 2 1 1 8:16 1", "selector");
	/* per-path: repeat counts and throughputs are the kernel's */
	equal("0 0 1 1 service-time 0 2 1 8:16 1 8:32 1",
	      "2 queue_mode bio 0 1 1 service-time 0 2 2 8:16 1 1 8:32 1 4");
	/* weights are settings */
	equal("0 0 1 1 weighted-path 0 2 1 8:16 10 8:32 0",
	      "2 queue_mode bio 0 1 1 weighted-path 0 2 1 8:32 0 8:16 10");
	differs("0 0 1 1 weighted-path 0 2 1 8:16 10 8:32 0",
		"2 queue_mode bio 0 1 1 weighted-path 0 2 1 8:16 10 8:32 5", "path arguments");
	/* io-affinity: the kernel prints the mask with leading zeros and commas */
	equal("0 0 1 1 io-affinity 0 2 1 8:16 1 8:32 f0",
	      "2 queue_mode bio 0 1 1 io-affinity 0 2 1 8:16 01 8:32 00000000,000000f0");
	differs("0 0 1 1 io-affinity 0 2 1 8:16 1 8:32 f0",
		"2 queue_mode bio 0 1 1 io-affinity 0 2 1 8:16 02 8:32 f0", "path arguments");
	differs("0 0 1 1 io-affinity 0 1 1 8:16 1,00000000",
		"2 queue_mode bio 0 1 1 io-affinity 0 1 1 8:16 1", "path arguments");
}

static void test_malformed(void)
{
	static const char *const bad[] = {
		"",
		"0",
		"0 0",
		"0 0 1",
		"x 0 0 0",
		"1 0 0 0",				/* a feature missing */
		"0 2 alua 0 0",				/* a handler argument missing */
		"0 0 1 1 round-robin 0 2 1 8:16 1",	/* a path missing */
		"0 0 1 1 round-robin 0 1 1 8:16",	/* a path argument missing */
		"0 0 2 1 round-robin 0 1 1 8:16 1",	/* a group missing */
		"0 0 1 1 round-robin 0 1 1 8:16 1 junk", /* words left over */
		"0 0 1 1 round-robin 99999999999999999999 1 1 8:16 1",
		"0 0 1 1 round-robin -1 1 1 8:16 1",
		"2 pg_init_retries 0 0 0",		/* "0" read as the feature's value */
		"0 0 1 1 io-affinity 0 1 1 8:16 xyz",
	};
	const char *what = NULL;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r1 = mp_table_compare(bad[i], HAVE_2, &what);
		int r2 = mp_table_compare(WANT_2, bad[i], &what);

		if (r1 != -EINVAL || r2 != -EINVAL)
			fprintf(stderr, "\n'%s': %d %d\n", bad[i], r1, r2);
		CU_ASSERT_EQUAL(r1, -EINVAL);
		CU_ASSERT_EQUAL(r2, -EINVAL);
	}
	CU_ASSERT_EQUAL(mp_table_compare(NULL, HAVE_2, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mp_table_compare(WANT_2, NULL, NULL), -EINVAL);
	/* ret_what may be NULL */
	CU_ASSERT_EQUAL(mp_table_compare(WANT_2, "0 0 1 1 round-robin 0 1 1 8:16 1", NULL), 1);
}

static const struct unit_test tests[] = {
	{ "identical tables", test_identical },
	{ "a hardware handler the kernel attached itself", test_kernel_attached_handler },
	{ "a hardware handler the config names", test_named_handler },
	{ "features: order, queue_if_no_path, values", test_features },
	{ "paths: order within a group, membership", test_path_order },
	{ "group priorities", test_group_priorities },
	{ "selectors and their arguments", test_selector_args },
	{ "malformed tables", test_malformed },
};

UNIT_MAIN("table-compare", tests)
