/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fields of `multipathctl show` (show-fields.c): each a column of its
 * tables, with a name for --output, a header, a one-line description, the
 * rows it has a value in (maps, groups, paths), and how to read that value
 * from the model; the default columns of each view; --output's parser.
 */
#ifndef MULTIPATHCTL_SHOW_FIELDS_H
#define MULTIPATHCTL_SHOW_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "output.h"
#include "show-model.h"

/* What a row of output is; a field has values in some of them. */
enum show_level {
	SHOW_LEVEL_MAP = 1 << 0,
	SHOW_LEVEL_GROUP = 1 << 1,
	SHOW_LEVEL_PATH = 1 << 2,
};

/* What is shown: the tree of maps, groups and paths, or a table of maps, or of paths. */
enum show_view {
	SHOW_VIEW_TOPOLOGY,
	SHOW_VIEW_MAPS,
	SHOW_VIEW_PATHS,
	_SHOW_VIEW_MAX,
};

/* The rows a view has: a field must have a value in one of them. */
unsigned show_view_levels(enum show_view view);

/* One row: a map, one of its groups (group_no, 1-based), or a path (of a group or not). */
struct show_row {
	const struct show_model *model;
	const struct show_map *map;
	const struct show_group *group;
	unsigned group_no;
	const struct show_path *path;
	enum show_level level;
	bool exact;			/* for JSON: sizes in bytes, words without remarks */
};

struct show_field {
	const char *name;		/* for --output: "dm-state" (any case) */
	const char *header;		/* "DM" */
	unsigned levels;		/* enum show_level: where it has a value */
	bool number;			/* right-aligned; a number in JSON */
	const char *help;
	/*
	 * The value in row (of a level in levels): a static string, or one
	 * written in buf; NULL when unknown. *color may be set.
	 */
	const char *(*value)(const struct show_row *row, char *buf, size_t len,
			     enum out_color *color);
};

/* Long enough for every value but the model's own strings. */
#define SHOW_VALUE_MAX 64

extern const struct show_field show_fields[];
extern const size_t show_n_fields;

/* Columns: fields in order. */
#define SHOW_MAX_COLUMNS TABLE_MAX_COLUMNS
struct show_columns {
	size_t n;
	const struct show_field *fields[SHOW_MAX_COLUMNS];
};

/* --output LIST as given: the fields named, and whether they add to the default ("+LIST"). */
struct show_format {
	bool given;
	bool append;
	struct show_columns cols;
};

/*
 * Parse LIST ("name,dev,hctl" or "+wwid", names in any case) for view.
 * Returns 0; 1 if LIST is "help" (the caller lists the fields); or -EINVAL
 * after saying on stderr which name is wrong and which are valid.
 */
int show_format_parse(const char *list, enum show_view view, struct show_format *ret);
/*
 * The columns to print: the default ones of view (TARGET too when the
 * kernel's view is shown, whose maps may be multipath-tools'), or those
 * of fmt, or both.
 */
void show_columns_get(const struct show_format *fmt, enum show_view view, enum show_source source,
		      struct show_columns *ret);
/* Every field of view with its description, and the default columns (--list-fields). */
void show_fields_list(FILE *f, enum show_view view);

#endif
