/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The output layer every multipathctl command shares: tables and trees for
 * people (on libsmartcols), a small JSON writer for programs, and the
 * colour decision.
 *
 * Nothing here knows about mpio: these are plain formatters writing to a
 * FILE, so that the unit tests can run them on a memory stream.
 */
#ifndef MULTIPATHCTL_OUTPUT_H
#define MULTIPATHCTL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "macro.h"

/*
 * ---- Colour ----
 *
 * Colour is used only when the output is a terminal, NO_COLOR is unset or
 * empty (https://no-color.org) and TERM is not "dumb".
 */
bool out_color_decide(bool is_tty, const char *no_color, const char *term);
/* out_color_decide() for fd, from the environment. */
bool out_color_enabled(int fd);

enum out_color {
	COLOR_NONE,
	COLOR_BOLD,
	COLOR_GREEN,
	COLOR_YELLOW,
	COLOR_RED,
	COLOR_GREY,
	_COLOR_MAX,
};

/* The escape sequence that starts color ("" for COLOR_NONE or out of range). */
const char *out_color_on(enum out_color color);
#define OUT_COLOR_OFF "\x1b[0m"

/*
 * ---- Tables ----
 *
 * A table has a header row and rows, filled cell by cell in reading order;
 * rows may be the children of earlier rows, drawn as a tree in one column.
 * libsmartcols (util-linux's, as lsblk) lays them out: columns padded to
 * their widest cell, one blank between them, no blank at a line's end.
 * Cells are copied; what could drive a terminal (control characters) is
 * written "\x1b"-style, so that nothing read from a file or the kernel
 * reaches it raw. The same table prints as JSON too: one array of objects
 * named by the headers (lower case), children in "children".
 */
struct table;

#define TABLE_MAX_COLUMNS 64
/* A table with the headers given, NULL-terminated. NULL on ENOMEM (or none, too many). */
struct table *table_new(const char *header, ...);
/* The same from an array of n headers. */
struct table *table_new_columns(const char *const *headers, size_t n);
struct table *table_free(struct table *t);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct table *, table_free);

/* Right-align column col (numbers). */
void table_set_align_right(struct table *t, size_t col);
/* Draw the tree of rows in column col. */
void table_set_tree(struct table *t, size_t col);
/* In JSON, the values of column col are numbers (else strings). */
void table_set_json_number(struct table *t, size_t col);
/*
 * Start a row, a child of row parent (an index this function returned), or
 * at the top with -1. Returns the new row's index, or a negative errno
 * (remembered, as below). table_add_cell() starts a top row by itself when
 * the last row is full.
 */
int table_add_row(struct table *t, int parent);
/*
 * Add the next cell of the last row; color applies only when printing with
 * colour; NULL text is no value (empty; null in JSON). Returns 0 or
 * -ENOMEM; a failure is also remembered, and table_print() returns it, so
 * callers may fill a table without checking each cell.
 */
int table_add_cell(struct table *t, enum out_color color, const char *text);
int table_add_cellf(struct table *t, enum out_color color, const char *format, ...) _printf_(3, 4);
/* Rows added so far. */
size_t table_get_rows(const struct table *t);

enum {
	TABLE_NOHEADINGS = 1 << 0,	/* no header line */
	TABLE_RAW = 1 << 1,		/* one blank between cells, no padding, no tree;
					 * blanks in a value written \x20 (as lsblk -r) */
	TABLE_JSON = 1 << 2,		/* { "<json_name>": [ {...}, ... ] } */
};
/*
 * Print the header (bold with colour) and the rows, as flags say. Returns 0,
 * the error of a failed table_add_cell(), or a negative errno (-EIO).
 */
int table_print_flags(const struct table *t, FILE *f, bool color, unsigned flags,
		      const char *json_name);
int table_print(const struct table *t, FILE *f, bool color);

/*
 * ---- JSON ----
 *
 * A streaming writer: keys come out in the order the caller writes them, so
 * the schema's order is the code's order. Strings are escaped per RFC 8259
 * (quote, backslash and control characters; bytes that are not valid UTF-8
 * become U+FFFD), so the output is always valid UTF-8 JSON. Compact output
 * ends with a newline after the top-level value; pretty output indents by
 * two spaces.
 */
#define JSON_MAX_DEPTH 32

struct json {
	FILE *f;
	bool pretty;
	unsigned depth;
	bool after_key;
	bool has_items[JSON_MAX_DEPTH]; /* the container at this depth has an item already */
};

void json_init(struct json *j, FILE *f, bool pretty);
void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);
void json_key(struct json *j, const char *key);
/* NULL writes null. */
void json_string(struct json *j, const char *s);
void json_uint(struct json *j, uint64_t v);
void json_int(struct json *j, int64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* Key and value in one call. */
void json_kv_string(struct json *j, const char *key, const char *s);
void json_kv_uint(struct json *j, const char *key, uint64_t v);
void json_kv_int(struct json *j, const char *key, int64_t v);
void json_kv_bool(struct json *j, const char *key, bool v);

/* Write s as a quoted JSON string (the escaping above). */
void json_write_string(FILE *f, const char *s);

/* "1.5G"-style sizes (powers of 1024, one decimal under 10) for tables. */
void out_format_bytes(uint64_t bytes, char *buf, size_t len);

#endif
