/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per-path statistics of mpio maps (`multipathctl stats`), from the parsed
 * INFO status of each map: human table, JSON, and the Prometheus text format
 * for node_exporter's textfile collector.
 */
#ifndef MULTIPATHCTL_STATS_H
#define MULTIPATHCTL_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "libmp.h"
#include "output.h"

struct stats_map {
	const char *name;
	const struct mp_map_status *status;
};

/*
 * Every metric family (# HELP, # TYPE, then its samples for every path of
 * every map, labelled {map="...",path="major:minor"}). Counters the status
 * does not have (has_stats false) are left out for that map. Returns 0 or
 * -EIO.
 */
int stats_print_prometheus(FILE *f, const struct stats_map *maps, size_t n);
/* {"maps":[...]} as documented in multipathctl(8). */
void stats_print_json(struct json *j, const struct stats_map *maps, size_t n);
/* One row per path. */
int stats_print_table(FILE *f, const struct stats_map *maps, size_t n, bool color);

/* A Prometheus label value: backslash, double quote and newline escaped. */
void prometheus_write_label(FILE *f, const char *value);

#endif
