/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared CUnit harness for mpio's unit tests. A test file defines its tests
 * with plain functions, lists them in a `struct unit_test` table and calls
 * UNIT_MAIN(suite_name, table). The program prints CUnit's summary plus one
 * line "UNIT-RESULT <suite> <passed> <failed>" that tests/run-check sums up,
 * and exits non-zero if anything failed.
 */
#ifndef MPIO_UNIT_H
#define MPIO_UNIT_H

#include <stdio.h>
#include <stdlib.h>

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
};

static inline int unit_main(const char *suite_name, const struct unit_test *tests, size_t n)
{
	CU_pSuite suite;
	unsigned passed, failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	suite = CU_add_suite(suite_name, NULL, NULL);
	if (!suite)
		return 2;
	for (size_t i = 0; i < n; i++)
		if (!CU_add_test(suite, tests[i].name, tests[i].fn))
			return 2;
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_tests_failed();
	passed = CU_get_number_of_tests_run() - failed;
	printf("UNIT-RESULT %s %u %u\n", suite_name, passed, failed);
	CU_cleanup_registry();
	return failed ? 1 : 0;
}

#define UNIT_MAIN(name, table)                                            \
	int main(void)                                                    \
	{                                                                 \
		return unit_main(name, table, sizeof(table) / sizeof((table)[0])); \
	}

#endif
