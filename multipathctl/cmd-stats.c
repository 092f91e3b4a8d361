/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `multipathctl stats`: per-path counters from the kernel's status of every
 * mpio map, read through libmp's device-mapper wrappers (no mpiod needed).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "multipathctl.h"
#include "stats.h"

enum { OPT_PROMETHEUS = 1 };

static int stats_opt(int id, char *const *values, void *userdata)
{
	*(bool *)userdata = true;
	return 0;
}

static int cmp_map(const void *a, const void *b)
{
	return strcmp(((const struct mp_dm_map *)a)->name, ((const struct mp_dm_map *)b)->name);
}

static bool wanted(const char *name, char **names, int n)
{
	if (n == 0)
		return true;
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

int cmd_stats(int argc, char *argv[])
{
	static const struct opt opts[] = {
		{ "prometheus", 0, 0, OPT_PROMETHEUS },
	};
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = NULL;
	struct mp_dm_map *maps = NULL;
	struct stats_map *sm = NULL;
	size_t n = 0, n_sm = 0;
	bool prometheus = false;
	char *pos[argc];
	int npos, r, ret = EXIT_FAIL;

	r = args_parse(argc, argv, opts, ARRAY_SIZE(opts), stats_opt, &prometheus, pos, &npos);
	if (r > 0) {
		printf("Usage: multipathctl stats [--prometheus | --json] [MAP...]\n"
		       "\n"
		       "Per-path I/O requests, bytes, errors and average latency of the mpio\n"
		       "maps (all, or those named), from the kernel's status. --prometheus\n"
		       "writes the text format of node_exporter's textfile collector.\n");
		return EXIT_OK;
	}
	if (r < 0)
		return EXIT_USAGE;
	if (prometheus && arg_json) {
		fprintf(stderr, "multipathctl stats: --prometheus and --json exclude each other\n");
		return EXIT_USAGE;
	}

	if (ctl_dm_available("stats") < 0)
		return EXIT_FAIL;
	ctx = ctl_ctx_new();
	if (!ctx)
		return EXIT_FAIL;
	r = mp_dm_list_maps(ctx, NULL, &maps, &n);
	if (r < 0) {
		fprintf(stderr, "multipathctl stats: cannot list the device-mapper maps: %s\n",
			strerror(-r));
		return EXIT_FAIL;
	}
	sort_array(maps, n, sizeof(*maps), cmp_map);
	sm = calloc(n ?: 1, sizeof(*sm));
	if (!sm) {
		fprintf(stderr, "multipathctl stats: out of memory\n");
		goto out;
	}
	for (int i = 0; i < npos; i++) {
		bool found = false;

		for (size_t k = 0; k < n && !found; k++)
			found = strcmp(maps[k].name, pos[i]) == 0;
		if (!found) {
			fprintf(stderr, "multipathctl stats: no mpio map named '%s'\n", pos[i]);
			goto out;
		}
	}
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *params = NULL;
		struct mp_map_status *st = NULL;

		if (!wanted(maps[i].name, pos, npos))
			continue;
		r = mp_dm_get_status(ctx, maps[i].name, &params);
		if (r == -ENXIO)
			continue; /* removed since it was listed */
		if (r >= 0)
			r = mp_dm_parse_status(params, &st);
		if (r < 0) {
			fprintf(stderr, "multipathctl stats: %s: cannot read the status: %s\n",
				maps[i].name, strerror(-r));
			continue;
		}
		sm[n_sm++] = (struct stats_map){ .name = maps[i].name, .status = st };
	}

	if (prometheus)
		r = stats_print_prometheus(stdout, sm, n_sm);
	else if (arg_json) {
		struct json j;

		ctl_json_init(&j);
		stats_print_json(&j, sm, n_sm);
		r = 0;
	} else if (n_sm == 0) {
		printf("No mpio maps.\n");
		r = 0;
	} else
		r = stats_print_table(stdout, sm, n_sm, ctl_color());
	if (r >= 0 && fflush(stdout) == 0 && !ferror(stdout))
		ret = EXIT_OK;
	else
		fprintf(stderr, "multipathctl stats: cannot write the output\n");
out:
	for (size_t i = 0; i < n_sm; i++)
		mp_map_status_free((struct mp_map_status *)sm[i].status);
	free(sm);
	mp_dm_maps_free(maps, n);
	return ret;
}
