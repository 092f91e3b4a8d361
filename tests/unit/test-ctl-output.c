/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * multipathctl's output layer (multipathctl/output.c): the JSON writer and
 * its escaping, the tables (on libsmartcols: alignment, trees, raw, JSON)
 * and the colour decision. Output goes to
 * a memory stream and is compared byte for byte.
 */
#include <errno.h>
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "unit.h"

/* A memory stream and its buffer: write to .f, then call mem_done() to read .buf. */
struct mem {
	FILE *f;
	char *buf;
	size_t len;
};

static void mem_open(struct mem *m)
{
	*m = (struct mem){};
	m->f = open_memstream(&m->buf, &m->len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m->f);
}

static const char *mem_done(struct mem *m)
{
	fclose(m->f);
	m->f = NULL;
	return m->buf;
}

static char *json_escaped(const char *s)
{
	struct mem m;

	mem_open(&m);
	json_write_string(m.f, s);
	mem_done(&m);
	return m.buf;
}

#define ASSERT_ESCAPE(in, out)                             \
	do {                                               \
		char *_s = json_escaped(in);               \
		CU_ASSERT_PTR_NOT_NULL_FATAL(_s);          \
		if (strcmp(_s, out) != 0)                  \
			fprintf(stderr, "\ngot %s\n", _s ?: ""); \
		CU_ASSERT_STRING_EQUAL(_s, out);           \
		free(_s);                                  \
	} while (0)

static void test_json_escaping(void)
{
	ASSERT_ESCAPE("", "\"\"");
	ASSERT_ESCAPE("plain", "\"plain\"");
	ASSERT_ESCAPE("a\"b", "\"a\\\"b\"");
	ASSERT_ESCAPE("back\\slash", "\"back\\\\slash\"");
	ASSERT_ESCAPE("/etc/mpio", "\"/etc/mpio\"");
	ASSERT_ESCAPE("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
	ASSERT_ESCAPE("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	ASSERT_ESCAPE("IBM     2145", "\"IBM     2145\"");
	/* valid UTF-8 passes: 2, 3 and 4 byte sequences */
	ASSERT_ESCAPE("\xc3\xa9t\xc3\xa9", "\"\xc3\xa9t\xc3\xa9\"");
	ASSERT_ESCAPE("\xe2\x82\xac", "\"\xe2\x82\xac\"");
	ASSERT_ESCAPE("\xf0\x9f\x92\xbe", "\"\xf0\x9f\x92\xbe\"");
	/* invalid bytes become U+FFFD, one per byte, and the rest is kept */
	ASSERT_ESCAPE("a\xff" "b", "\"a\\ufffdb\"");
	ASSERT_ESCAPE("\xc3", "\"\\ufffd\"");			/* truncated at the end */
	ASSERT_ESCAPE("\xc3(", "\"\\ufffd(\"");		/* bad continuation */
	ASSERT_ESCAPE("\xc0\xaf", "\"\\ufffd\\ufffd\"");	/* overlong '/' */
	ASSERT_ESCAPE("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"");	/* overlong */
	ASSERT_ESCAPE("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");	/* a surrogate */
	ASSERT_ESCAPE("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");	/* > U+10FFFF */
	ASSERT_ESCAPE("\xe2\x82", "\"\\ufffd\\ufffd\"");	/* cut short, at the NUL */
}

static void write_sample(struct json *j)
{
	json_object_begin(j);
	json_kv_string(j, "name", "mpatha");
	json_kv_uint(j, "size", UINT64_MAX);
	json_kv_int(j, "delay", -1);
	json_kv_bool(j, "ok", true);
	json_kv_string(j, "alias", NULL);
	json_key(j, "groups");
	json_array_begin(j);
	json_object_begin(j);
	json_kv_uint(j, "priority", 1);
	json_key(j, "paths");
	json_array_begin(j);
	json_string(j, "sda");
	json_string(j, "sdb");
	json_array_end(j);
	json_object_end(j);
	json_array_end(j);
	json_key(j, "empty");
	json_object_begin(j);
	json_object_end(j);
	json_key(j, "none");
	json_array_begin(j);
	json_array_end(j);
	json_object_end(j);
}

static void test_json_compact(void)
{
	struct mem m;
	struct json j;

	mem_open(&m);
	json_init(&j, m.f, false);
	write_sample(&j);
	CU_ASSERT_STRING_EQUAL(mem_done(&m),
			       "{\"name\":\"mpatha\",\"size\":18446744073709551615,\"delay\":-1,"
			       "\"ok\":true,\"alias\":null,\"groups\":[{\"priority\":1,\"paths\":"
			       "[\"sda\",\"sdb\"]}],\"empty\":{},\"none\":[]}\n");
	free(m.buf);
}

static void test_json_pretty(void)
{
	struct mem m;
	struct json j;

	mem_open(&m);
	json_init(&j, m.f, true);
	write_sample(&j);
	CU_ASSERT_STRING_EQUAL(mem_done(&m),
			       "{\n"
			       "  \"name\": \"mpatha\",\n"
			       "  \"size\": 18446744073709551615,\n"
			       "  \"delay\": -1,\n"
			       "  \"ok\": true,\n"
			       "  \"alias\": null,\n"
			       "  \"groups\": [\n"
			       "    {\n"
			       "      \"priority\": 1,\n"
			       "      \"paths\": [\n"
			       "        \"sda\",\n"
			       "        \"sdb\"\n"
			       "      ]\n"
			       "    }\n"
			       "  ],\n"
			       "  \"empty\": {},\n"
			       "  \"none\": []\n"
			       "}\n");
	free(m.buf);
}

static void test_json_toplevel(void)
{
	struct mem m;
	struct json j;

	/* one value per line at the top level: the shape of `monitor --json` */
	mem_open(&m);
	json_init(&j, m.f, false);
	json_object_begin(&j);
	json_kv_string(&j, "event", "PathFailed");
	json_object_end(&j);
	json_object_begin(&j);
	json_kv_string(&j, "key with \"quotes\"", "x\ny");
	json_object_end(&j);
	json_string(&j, "bare");
	CU_ASSERT_STRING_EQUAL(mem_done(&m), "{\"event\":\"PathFailed\"}\n"
					     "{\"key with \\\"quotes\\\"\":\"x\\ny\"}\n"
					     "\"bare\"\n");
	free(m.buf);
}

static struct table *sample_table(void)
{
	struct table *t = table_new("NAME", "SIZE", "STATE", NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	table_set_align_right(t, 1);
	CU_ASSERT_EQUAL(table_add_cell(t, COLOR_NONE, "mpatha"), 0);
	CU_ASSERT_EQUAL(table_add_cellf(t, COLOR_NONE, "%d", 5), 0);
	CU_ASSERT_EQUAL(table_add_cell(t, COLOR_GREEN, "active"), 0);
	CU_ASSERT_EQUAL(table_add_cell(t, COLOR_NONE, "b"), 0);
	CU_ASSERT_EQUAL(table_add_cellf(t, COLOR_NONE, "%d", 123456), 0);
	CU_ASSERT_EQUAL(table_add_cell(t, COLOR_RED, "failed"), 0);
	return t;
}

static void test_table_alignment(void)
{
	struct table *t = sample_table();
	struct mem m;

	CU_ASSERT_EQUAL(table_get_rows(t), 2);
	mem_open(&m);
	CU_ASSERT_EQUAL(table_print(t, m.f, false), 0);
	/* left-aligned text, right-aligned numbers, one blank between, none at the end */
	CU_ASSERT_STRING_EQUAL(mem_done(&m), "NAME     SIZE STATE\n"
					     "mpatha      5 active\n"
					     "b      123456 failed\n");
	free(m.buf);
	table_free(t);
}

static void test_table_color(void)
{
	struct table *t = sample_table();
	struct mem m;

	mem_open(&m);
	CU_ASSERT_EQUAL(table_print(t, m.f, true), 0);
	/* escapes do not count in the width; headers bold */
	CU_ASSERT_STRING_EQUAL(mem_done(&m),
			       "\x1b[1mNAME  \x1b[0m \x1b[1m  SIZE\x1b[0m \x1b[1mSTATE\x1b[0m\n"
			       "mpatha      5 \x1b[32mactive\x1b[0m\n"
			       "b      123456 \x1b[1;31mfailed\x1b[0m\n");
	free(m.buf);
	table_free(t);
}

static void test_table_cells(void)
{
	_cleanup_(table_freep) struct table *t = table_new("A", "B", NULL);
	struct mem m;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	/* control characters are written \xNN; UTF-8 counts per character; a partial row ends early */
	CU_ASSERT_PTR_NOT_NULL_FATAL(setlocale(LC_ALL, "C.UTF-8"));
	table_add_cell(t, COLOR_NONE, "x\x1b[2Jy");
	table_add_cell(t, COLOR_NONE, "\xc3\xa9t\xc3\xa9");
	table_add_cell(t, COLOR_NONE, "long cell");
	mem_open(&m);
	CU_ASSERT_EQUAL(table_print(t, m.f, false), 0);
	CU_ASSERT_STRING_EQUAL(mem_done(&m), "A         B\n"
					     "x\\x1b[2Jy \xc3\xa9t\xc3\xa9\n"
					     "long cell\n");
	free(m.buf);
	setlocale(LC_ALL, "C");
	CU_ASSERT_EQUAL(table_get_rows(t), 2);
	CU_ASSERT_PTR_NULL(table_new(NULL));
	CU_ASSERT_PTR_NULL(table_free(NULL));
	CU_ASSERT_EQUAL(table_add_row(t, 7), -EINVAL); /* no row 7 */
	CU_ASSERT_EQUAL(table_add_cell(t, COLOR_NONE, "x"), -EINVAL); /* remembered */
}

/* A tree: rows under rows, in the first column; raw output; JSON with typed values and nulls. */
static void test_table_tree_and_json(void)
{
	_cleanup_(table_freep) struct table *t = table_new("NAME", "SIZE", "STATE", NULL);
	struct mem m;
	int top, g;

	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	table_set_tree(t, 0);
	table_set_align_right(t, 1);
	table_set_json_number(t, 1);
	top = table_add_row(t, -1);
	CU_ASSERT_EQUAL(top, 0);
	table_add_cell(t, COLOR_NONE, "mpatha");
	table_add_cell(t, COLOR_NONE, "64");
	g = table_add_row(t, top);
	CU_ASSERT_EQUAL(g, 1);
	table_add_cell(t, COLOR_NONE, "group 1");
	table_add_cell(t, COLOR_NONE, NULL);
	table_add_cell(t, COLOR_GREEN, "active");
	CU_ASSERT_EQUAL(table_add_row(t, g), 2);
	table_add_cell(t, COLOR_NONE, "sdb");
	table_add_cell(t, COLOR_NONE, "64");
	table_add_cell(t, COLOR_NONE, "up");
	CU_ASSERT_EQUAL(table_add_row(t, top), 3);
	table_add_cell(t, COLOR_NONE, "group 2");

	mem_open(&m);
	CU_ASSERT_EQUAL(table_print(t, m.f, false), 0);
	CU_ASSERT_STRING_EQUAL(mem_done(&m), "NAME      SIZE STATE\n"
					     "mpatha      64\n"
					     "|-group 1      active\n"
					     "| `-sdb     64 up\n"
					     "`-group 2\n");
	free(m.buf);

	mem_open(&m);
	CU_ASSERT_EQUAL(table_print_flags(t, m.f, false, TABLE_RAW | TABLE_NOHEADINGS, NULL), 0);
	/* empty values are empty fields: "mpatha 64 " has three */
	CU_ASSERT_STRING_EQUAL(mem_done(&m), "mpatha 64 \n"
					     "group\\x201  active\n"
					     "sdb 64 up\n"
					     "group\\x202  \n");
	free(m.buf);

	mem_open(&m);
	CU_ASSERT_EQUAL(table_print_flags(t, m.f, false, TABLE_JSON, "maps"), 0);
	CU_ASSERT_STRING_EQUAL(mem_done(&m),
			       "{\n   \"maps\": [\n      {\n         \"name\": \"mpatha\",\n"
			       "         \"size\": 64,\n         \"state\": null,\n"
			       "         \"children\": [\n            {\n"
			       "               \"name\": \"group 1\",\n               \"size\": null,\n"
			       "               \"state\": \"active\",\n"
			       "               \"children\": [\n                  {\n"
			       "                     \"name\": \"sdb\",\n                     \"size\": 64,\n"
			       "                     \"state\": \"up\"\n                  }\n"
			       "               ]\n            },{\n"
			       "               \"name\": \"group 2\",\n               \"size\": null,\n"
			       "               \"state\": null\n            }\n         ]\n      }\n   ]\n}\n");
	free(m.buf);
}

static void test_color_decision(void)
{
	CU_ASSERT_TRUE(out_color_decide(true, NULL, "xterm"));
	CU_ASSERT_TRUE(out_color_decide(true, NULL, NULL));
	CU_ASSERT_TRUE(out_color_decide(true, "", "xterm"));	/* NO_COLOR empty: ignored */
	CU_ASSERT_FALSE(out_color_decide(true, "1", "xterm"));
	CU_ASSERT_FALSE(out_color_decide(true, "0", "xterm"));	/* any non-empty value */
	CU_ASSERT_FALSE(out_color_decide(false, NULL, "xterm"));	/* not a tty */
	CU_ASSERT_FALSE(out_color_decide(true, NULL, "dumb"));

	/* a memory stream is no tty, whatever NO_COLOR says */
	unsetenv("NO_COLOR");
	CU_ASSERT_FALSE(out_color_enabled(-1));
	CU_ASSERT_STRING_EQUAL(out_color_on(COLOR_NONE), "");
	CU_ASSERT_STRING_EQUAL(out_color_on(_COLOR_MAX), "");
}

static void test_format_bytes(void)
{
	static const struct {
		uint64_t v;
		const char *s;
	} cases[] = {
		{ 0, "0B" },		{ 1023, "1023B" },	 { 1024, "1.0K" },
		{ 1536, "1.5K" },	{ 10240, "10K" },	 { 1048575, "1023K" },
		{ 1048576, "1.0M" },	{ 5ULL << 30, "5.0G" },	 { 40ULL << 40, "40T" },
		{ UINT64_MAX, "15E" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[32];

		out_format_bytes(cases[i].v, buf, sizeof(buf));
		if (strcmp(buf, cases[i].s) != 0)
			fprintf(stderr, "\n%zu: got %s\n", i, buf);
		CU_ASSERT_STRING_EQUAL(buf, cases[i].s);
	}
}

static const struct unit_test tests[] = {
	{ "JSON string escaping and UTF-8 repair", test_json_escaping },
	{ "JSON compact output, key order kept", test_json_compact },
	{ "JSON pretty output", test_json_pretty },
	{ "JSON top-level values one per line", test_json_toplevel },
	{ "table alignment", test_table_alignment },
	{ "table colour", test_table_color },
	{ "table cells: control characters, UTF-8, partial rows", test_table_cells },
	{ "table as a tree, raw, and JSON", test_table_tree_and_json },
	{ "colour decision: tty, NO_COLOR, TERM=dumb", test_color_decision },
	{ "human sizes", test_format_bytes },
};

UNIT_MAIN("ctl-output", tests)
