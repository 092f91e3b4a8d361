/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The mpio target's INFO status (mp_dm_parse_status(), libmp/dm.c) and what
 * `multipathctl stats` makes of it (multipathctl/stats.c: Prometheus text,
 * JSON and the table, written to /dev/null).
 *
 * Input: the status parameters; with a newline in it, the first line is the
 * map's name (it goes into the Prometheus labels and the JSON strings) and
 * the rest the status, else the map is "mpatha".
 *
 * Invariants: the current group is 0 or one of the groups; every group
 * state and the queueing word are in range; a path's numbers stay within
 * what the kernel can write (major < 4096, minor < 2^20).
 */
#include "fuzz.h"
#include "stats.h"

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	devnull = fopen("/dev/null", "we");
	if (!devnull)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size), *status = text, *nl;
	const char *name = "mpatha";
	struct mp_map_status *st = NULL;
	int r;

	nl = strchr(text, '\n');
	if (nl) {
		*nl = '\0';
		name = text;
		status = nl + 1;
	}
	r = mp_dm_parse_status(status, &st);
	if (r < 0) {
		FUZZ_CHECK(r == -EBADMSG, "parse: %d", r);
		goto out;
	}
	FUZZ_CHECK(st->current_group <= st->n_groups, "current group %u of %u", st->current_group,
		   st->n_groups);
	FUZZ_CHECK(st->queueing >= 0 && st->queueing < _MP_QUEUEING_MAX, "queueing %d", st->queueing);
	for (unsigned g = 0; g < st->n_groups; g++) {
		const struct mp_map_group_status *gs = &st->groups[g];

		FUZZ_CHECK(gs->state >= 0 && gs->state < _MP_GROUP_STATE_MAX, "group state %d",
			   gs->state);
		FUZZ_CHECK(mp_group_state_to_string(gs->state), "group state name");
		for (unsigned p = 0; p < gs->n_paths; p++)
			FUZZ_CHECK(gs->paths[p].major < 4096 && gs->paths[p].minor < (1u << 20),
				   "device %u:%u", gs->paths[p].major, gs->paths[p].minor);
	}
	{
		struct stats_map m = { .name = name, .status = st };
		struct json j;

		(void)stats_print_prometheus(devnull, &m, 1);
		json_init(&j, devnull, true);
		stats_print_json(&j, &m, 1);
		(void)stats_print_table(devnull, &m, 1, true);
	}
	mp_map_status_free(st);
out:
	free(text);
	return 0;
}
