/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The table comparison (mp_table_compare(), libmp/table-compare.c): does
 * the table the kernel reports run what mpiod asked for? It parses both
 * tables and puts them in a canonical form (features as a set, paths of a
 * group as a set, CPU masks as numbers).
 *
 * Input: the wanted table's parameters, a newline, then the loaded one's;
 * without a newline both are the input.
 *
 * Invariants: the result is 0, 1 (with a reason) or -EINVAL; a table that
 * parses compares equal to itself; swapping the two gives an error exactly
 * when the original order did. The display parser (mp_dm_parse_table(),
 * the same grammar) takes a table exactly when the comparison does, and
 * every group it gives has a selector and at least one device.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size), *want = text, *have = text, *nl;
	const char *what = NULL;
	int r, self_want, self_have, back;

	nl = strchr(text, '\n');
	if (nl) {
		*nl = '\0';
		have = nl + 1;
	}
	r = mp_table_compare(want, have, &what);
	FUZZ_CHECK(r == 0 || r == -EINVAL || (r == 1 && what && *what), "compare: %d", r);
	self_want = mp_table_compare(want, want, NULL);
	self_have = mp_table_compare(have, have, NULL);
	FUZZ_CHECK(self_want == 0 || self_want == -EINVAL, "want vs itself: %d", self_want);
	FUZZ_CHECK(self_have == 0 || self_have == -EINVAL, "have vs itself: %d", self_have);
	FUZZ_CHECK((r == -EINVAL) == (self_want == -EINVAL || self_have == -EINVAL),
		   "compare %d, but want %d and have %d alone", r, self_want, self_have);
	back = mp_table_compare(have, want, NULL);
	FUZZ_CHECK((back == -EINVAL) == (r == -EINVAL), "compare %d, reversed %d", r, back);
	{
		struct mp_map_table *t = NULL;
		int p = mp_dm_parse_table(want, &t);

		FUZZ_CHECK(p == 0 || p == -EBADMSG, "parse_table: %d", p);
		FUZZ_CHECK((p == 0) == (self_want == 0), "parse_table %d, compare %d", p, self_want);
		for (unsigned g = 0; t && g < t->n_groups; g++)
			FUZZ_CHECK(t->groups[g].n_paths > 0 && t->groups[g].selector, "group %u", g);
		mp_map_table_free(t);
	}
	free(text);
	return 0;
}
