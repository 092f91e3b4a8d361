/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tables, JSON and colour for multipathctl (see output.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libsmartcols.h>

#include "output.h"
#include "utf8.h"

/* ---- Colour ---- */

bool out_color_decide(bool is_tty, const char *no_color, const char *term)
{
	if (!is_tty)
		return false;
	if (no_color && *no_color)
		return false;
	if (term && strcmp(term, "dumb") == 0)
		return false;
	return true;
}

bool out_color_enabled(int fd)
{
	return out_color_decide(isatty(fd) == 1, getenv("NO_COLOR"), getenv("TERM"));
}

static const char *const color_seq[_COLOR_MAX] = {
	[COLOR_NONE] = "",
	[COLOR_BOLD] = "\x1b[1m",
	[COLOR_GREEN] = "\x1b[32m",
	[COLOR_YELLOW] = "\x1b[33m",
	[COLOR_RED] = "\x1b[1;31m",
	[COLOR_GREY] = "\x1b[2m",
};

const char *out_color_on(enum out_color color)
{
	if (color < 0 || color >= _COLOR_MAX)
		return "";
	return color_seq[color];
}

/* ---- Tables: libsmartcols (what lsblk uses) does the layout ---- */

struct table {
	struct libscols_table *tb;
	size_t n_columns;
	struct libscols_line **lines; /* in the order added */
	size_t n_lines, size;
	size_t next_cell; /* of the last line: n_columns when it is full */
	bool tree[TABLE_MAX_COLUMNS]; /* the column draws the tree (but in raw output) */
	int error; /* sticky: a failed table_add_cell() */
};

struct table *table_free(struct table *t)
{
	if (!t)
		return NULL;
	scols_unref_table(t->tb);
	free(t->lines);
	free(t);
	return NULL;
}

struct table *table_new_columns(const char *const *headers, size_t n)
{
	_cleanup_(table_freep) struct table *t = NULL;

	if (n == 0 || n > TABLE_MAX_COLUMNS)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->tb = scols_new_table();
	if (!t->tb)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!scols_table_new_column(t->tb, headers[i] ?: "", 0, 0))
			return NULL;
	t->n_columns = n;
	return TAKE_PTR(t);
}

struct table *table_new(const char *header, ...)
{
	const char *headers[TABLE_MAX_COLUMNS];
	size_t n = 0;
	va_list ap;

	va_start(ap, header);
	for (const char *h = header; h && n < ARRAY_SIZE(headers); h = va_arg(ap, const char *))
		headers[n++] = h;
	va_end(ap);
	return table_new_columns(headers, n);
}

static struct libscols_column *column(const struct table *t, size_t col)
{
	return t && col < t->n_columns ? scols_table_get_column(t->tb, col) : NULL;
}

void table_set_align_right(struct table *t, size_t col)
{
	struct libscols_column *cl = column(t, col);

	if (cl)
		scols_column_set_flags(cl, scols_column_get_flags(cl) | SCOLS_FL_RIGHT);
}

void table_set_tree(struct table *t, size_t col)
{
	struct libscols_column *cl = column(t, col);

	if (!cl)
		return;
	scols_column_set_flags(cl, scols_column_get_flags(cl) | SCOLS_FL_TREE);
	t->tree[col] = true;
}

void table_set_json_number(struct table *t, size_t col)
{
	struct libscols_column *cl = column(t, col);

	if (cl)
		scols_column_set_json_type(cl, SCOLS_JSON_NUMBER);
}

int table_add_row(struct table *t, int parent)
{
	struct libscols_line *ln, *up = NULL;

	if (!t)
		return -EINVAL;
	if (t->error < 0)
		return t->error;
	if (parent >= 0) {
		if ((size_t)parent >= t->n_lines)
			return (t->error = -EINVAL);
		up = t->lines[parent];
	}
	if (t->n_lines == t->size) {
		size_t nsize = t->size ? t->size * 2 : 32;
		struct libscols_line **a = reallocarray(t->lines, nsize, sizeof(*a));

		if (!a)
			return (t->error = -ENOMEM);
		t->lines = a;
		t->size = nsize;
	}
	ln = scols_table_new_line(t->tb, up);
	if (!ln)
		return (t->error = -ENOMEM);
	t->lines[t->n_lines] = ln;
	t->next_cell = 0;
	return (int)t->n_lines++;
}

int table_add_cell(struct table *t, enum out_color color, const char *text)
{
	struct libscols_cell *ce;
	int r;

	if (!t)
		return -EINVAL;
	if (t->error < 0)
		return t->error;
	if (t->n_lines == 0 || t->next_cell == t->n_columns) {
		r = table_add_row(t, -1);
		if (r < 0)
			return r;
	}
	ce = scols_line_get_cell(t->lines[t->n_lines - 1], t->next_cell++);
	/* NULL: no value (empty in a table, null in JSON) */
	if (!ce || (text && scols_cell_set_data(ce, text) < 0) ||
	    (color != COLOR_NONE && scols_cell_set_color(ce, out_color_on(color)) < 0))
		return (t->error = -ENOMEM);
	return 0;
}

int table_add_cellf(struct table *t, enum out_color color, const char *format, ...)
{
	_cleanup_free_ char *s = NULL;
	va_list ap;
	int r;

	va_start(ap, format);
	r = vasprintf(&s, format, ap);
	va_end(ap);
	if (r < 0) {
		s = NULL;
		return t ? (t->error = -ENOMEM) : -EINVAL;
	}
	return table_add_cell(t, color, s);
}

size_t table_get_rows(const struct table *t)
{
	return t ? t->n_lines : 0;
}

int table_print_flags(const struct table *t, FILE *f, bool color, unsigned flags,
		      const char *json_name)
{
	struct libscols_table *tb;
	int r;

	if (!t || !f)
		return -EINVAL;
	if (t->error < 0)
		return t->error;
	tb = t->tb;
	scols_table_enable_colors(tb, color);
	scols_table_enable_noheadings(tb, !!(flags & TABLE_NOHEADINGS));
	scols_table_enable_raw(tb, !!(flags & TABLE_RAW));
	scols_table_enable_json(tb, !!(flags & TABLE_JSON));
	/* no blanks after a line's last value */
	scols_table_enable_minout(tb, 1);
	if (flags & TABLE_JSON)
		scols_table_set_name(tb, json_name);
	for (size_t col = 0; col < t->n_columns; col++) {
		struct libscols_column *cl = column(t, col);
		int fl = scols_column_get_flags(cl);

		if (color)
			scols_cell_set_color(scols_column_get_header(cl), out_color_on(COLOR_BOLD));
		/* Raw output is for scripts: no tree lines in the names. */
		if ((flags & TABLE_RAW) && (fl & SCOLS_FL_TREE))
			scols_column_set_flags(cl, fl & ~SCOLS_FL_TREE);
	}
	r = scols_table_set_stream(tb, f);
	if (r >= 0)
		r = scols_print_table(tb);
	for (size_t col = 0; (flags & TABLE_RAW) && col < t->n_columns; col++)
		if (t->tree[col])
			scols_column_set_flags(column(t, col),
					       scols_column_get_flags(column(t, col)) | SCOLS_FL_TREE);
	fflush(f);
	if (r < 0)
		return r;
	return ferror(f) ? -EIO : 0;
}

int table_print(const struct table *t, FILE *f, bool color)
{
	return table_print_flags(t, f, color, 0, NULL);
}

/* ---- JSON ---- */

void json_write_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		unsigned char c = *p;
		size_t n;

		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(f, "\\u%04x", c);
			else if (c < 0x80)
				fputc(c, f);
			else if ((n = mp_utf8_seq_len(p)) > 0) {
				fwrite(p, 1, n, f);
				p += n;
				continue;
			} else
				fputs("\\ufffd", f);
		}
		p++;
	}
	fputc('"', f);
}

void json_init(struct json *j, FILE *f, bool pretty)
{
	*j = (struct json){ .f = f, .pretty = pretty };
}

static void newline_indent(struct json *j, unsigned depth)
{
	fputc('\n', j->f);
	for (unsigned i = 0; i < depth; i++)
		fputs("  ", j->f);
}

/* Before any value or key: the separator from the previous item. */
static void json_item(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth == 0)
		return;
	if (j->has_items[j->depth])
		fputc(',', j->f);
	j->has_items[j->depth] = true;
	if (j->pretty)
		newline_indent(j, j->depth);
}

/* After a complete value: the top level ends with a newline. */
static void json_value_done(struct json *j)
{
	if (j->depth == 0)
		fputc('\n', j->f);
}

static void json_open(struct json *j, char c)
{
	json_item(j);
	fputc(c, j->f);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->has_items[j->depth] = false;
}

static void json_close(struct json *j, char c)
{
	bool items = j->has_items[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (j->pretty && items)
		newline_indent(j, j->depth);
	fputc(c, j->f);
	json_value_done(j);
}

void json_object_begin(struct json *j)
{
	json_open(j, '{');
}

void json_object_end(struct json *j)
{
	json_close(j, '}');
}

void json_array_begin(struct json *j)
{
	json_open(j, '[');
}

void json_array_end(struct json *j)
{
	json_close(j, ']');
}

void json_key(struct json *j, const char *key)
{
	json_item(j);
	json_write_string(j->f, key);
	fputs(j->pretty ? ": " : ":", j->f);
	j->after_key = true;
}

void json_string(struct json *j, const char *s)
{
	if (!s) {
		json_null(j);
		return;
	}
	json_item(j);
	json_write_string(j->f, s);
	json_value_done(j);
}

void json_uint(struct json *j, uint64_t v)
{
	json_item(j);
	fprintf(j->f, "%" PRIu64, v);
	json_value_done(j);
}

void json_int(struct json *j, int64_t v)
{
	json_item(j);
	fprintf(j->f, "%" PRId64, v);
	json_value_done(j);
}

void json_bool(struct json *j, bool v)
{
	json_item(j);
	fputs(v ? "true" : "false", j->f);
	json_value_done(j);
}

void json_null(struct json *j)
{
	json_item(j);
	fputs("null", j->f);
	json_value_done(j);
}

void json_kv_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}

void json_kv_uint(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_uint(j, v);
}

void json_kv_int(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_int(j, v);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

/* ---- Sizes ---- */

void out_format_bytes(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	uint64_t div = 1;
	int u = -1;

	if (bytes < 1024) {
		snprintf(buf, len, "%" PRIu64 "B", bytes);
		return;
	}
	while (u < 5 && bytes / div >= 1024) {
		div *= 1024;
		u++;
	}
	if (bytes / div < 10)
		snprintf(buf, len, "%" PRIu64 ".%" PRIu64 "%c", bytes / div,
			 (bytes % div) * 10 / div, units[u]);
	else
		snprintf(buf, len, "%" PRIu64 "%c", bytes / div, units[u]);
}
