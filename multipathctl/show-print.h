/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The output of `multipathctl show` (show-print.c), from the model alone:
 * tables and the topology tree (libsmartcols, through output.h), the same
 * rows as JSON when --output names the fields, the fixed JSON schema of
 * --json, and one map in detail.
 */
#ifndef MULTIPATHCTL_SHOW_PRINT_H
#define MULTIPATHCTL_SHOW_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "output.h"
#include "show-fields.h"
#include "show-model.h"

struct show_print {
	enum show_view view;
	const char *map;		/* only this map (show map NAME); NULL: all */
	struct show_columns cols;
	bool color;
	unsigned flags;			/* TABLE_NOHEADINGS, TABLE_RAW, TABLE_JSON */
};

/*
 * The rows of m as a table (maps, paths) or a tree (topology: each map,
 * its groups, their paths; a map's paths in no group under the map), in
 * the columns of o; "No maps." or "No paths." for none (not in JSON).
 * 0 or a negative errno.
 */
int show_print_table(FILE *f, const struct show_model *m, const struct show_print *o);

/*
 * The documented JSON of show (multipathctl(8)): {"source", "maps": [...]}
 * or {"source", "paths": [...]}, or with o->map that map's object with its
 * settings. 0, or -ENOENT if there is no such map.
 */
int show_print_json(struct json *j, const struct show_model *m, const struct show_print *o);

/*
 * Map o->map in detail: each field of a map with its value, the tree of
 * its groups and paths in o's columns, its settings with their origins
 * (when read), as text. 0, -ENOENT if there is no such map, or a negative errno.
 */
int show_print_map(FILE *f, const struct show_model *m, const struct show_print *o);

#endif
