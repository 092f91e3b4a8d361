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

/* ---- Tables ---- */

struct cell {
	char *text;
	enum out_color color;
};

struct table {
	size_t n_columns;
	bool *right;
	struct cell *cells; /* the header row first */
	size_t n_cells, size;
	int error; /* sticky: a failed table_add_cell() */
};

struct table *table_free(struct table *t)
{
	if (!t)
		return NULL;
	for (size_t i = 0; i < t->n_cells; i++)
		free(t->cells[i].text);
	free(t->cells);
	free(t->right);
	free(t);
	return NULL;
}

/* A copy of s with control characters as '?'. */
static char *sanitize(const char *s)
{
	char *copy = strdup(s ?: "");

	if (!copy)
		return NULL;
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return copy;
}

static int push_cell(struct table *t, enum out_color color, char *text)
{
	if (!text)
		return (t->error = -ENOMEM);
	if (t->n_cells == t->size) {
		size_t nsize = t->size ? t->size * 2 : 32;
		struct cell *c = reallocarray(t->cells, nsize, sizeof(*c));

		if (!c) {
			free(text);
			return (t->error = -ENOMEM);
		}
		t->cells = c;
		t->size = nsize;
	}
	t->cells[t->n_cells++] = (struct cell){ .text = text, .color = color };
	return 0;
}

struct table *table_new(const char *header, ...)
{
	_cleanup_(table_freep) struct table *t = NULL;
	va_list ap;
	int r = 0;

	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	va_start(ap, header);
	for (const char *h = header; h && r >= 0; h = va_arg(ap, const char *)) {
		r = push_cell(t, COLOR_NONE, sanitize(h));
		t->n_columns++;
	}
	va_end(ap);
	if (r < 0 || t->n_columns == 0)
		return NULL;
	t->right = calloc(t->n_columns, sizeof(*t->right));
	if (!t->right)
		return NULL;
	return TAKE_PTR(t);
}

void table_set_align_right(struct table *t, size_t col)
{
	if (t && col < t->n_columns)
		t->right[col] = true;
}

int table_add_cell(struct table *t, enum out_color color, const char *text)
{
	if (!t)
		return -EINVAL;
	return push_cell(t, color, sanitize(text));
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
	return t ? t->n_cells / t->n_columns - 1 : 0;
}

/* Display width: code points, so UTF-8 text in a cell does not skew the columns. */
static size_t text_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

static void put_spaces(FILE *f, size_t n)
{
	while (n--)
		fputc(' ', f);
}

int table_print(const struct table *t, FILE *f, bool color)
{
	_cleanup_free_ size_t *width = NULL;
	size_t rows;

	if (!t || !f)
		return -EINVAL;
	if (t->error < 0)
		return t->error;
	width = calloc(t->n_columns, sizeof(*width));
	if (!width)
		return -ENOMEM;
	rows = (t->n_cells + t->n_columns - 1) / t->n_columns;
	for (size_t i = 0; i < t->n_cells; i++) {
		size_t w = text_width(t->cells[i].text);

		if (w > width[i % t->n_columns])
			width[i % t->n_columns] = w;
	}
	for (size_t row = 0; row < rows; row++)
		for (size_t col = 0; col < t->n_columns; col++) {
			size_t i = row * t->n_columns + col;
			const struct cell *c = i < t->n_cells ? &t->cells[i] : NULL;
			const char *text = c ? c->text : "";
			enum out_color cc = row == 0 ? COLOR_BOLD : c ? c->color : COLOR_NONE;
			size_t pad = width[col] - text_width(text);
			bool last = col + 1 == t->n_columns;

			if (col > 0)
				fputs("  ", f);
			if (t->right[col])
				put_spaces(f, pad);
			if (color && cc != COLOR_NONE)
				fprintf(f, "%s%s%s", out_color_on(cc), text, OUT_COLOR_OFF);
			else
				fputs(text, f);
			if (!t->right[col] && !last)
				put_spaces(f, pad);
			if (last)
				fputc('\n', f);
		}
	return ferror(f) ? -EIO : 0;
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
