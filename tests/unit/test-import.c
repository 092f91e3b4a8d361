/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `multipathctl config import`'s parts: the multipath.conf reader
 * (multipathctl/mpconf.c: quoting, comments, braces, errors with their
 * line), regular expressions to literals (literal.c), and the conversion
 * (import.c): each mapped keyword, no_path_retry's unit, queue_if_no_path's
 * precedence, later lines winning, devices and maps, and what is refused.
 * The multipath.conf texts are written for these tests from the
 * descriptions of multipath.conf(5).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "literal.h"
#include "macro.h"
#include "mpconf.h"
#include "unit.h"

/* ---- the reader ---- */

static struct mpc_file *read_ok(const char *text)
{
	struct mpc_file *f = NULL;
	struct mp_parse_error err = {};
	int r = mpc_parse(text, strlen(text), "t.conf", &f, &err);

	if (r < 0)
		fprintf(stderr, "\n    unexpected: %s:%u: %s\n", err.file, err.line, err.msg);
	CU_ASSERT_EQUAL_FATAL(r, 0);
	return f;
}

static void test_reader_structure(void)
{
	_cleanup_(mpc_file_freep) struct mpc_file *f = read_ok(
		"# comment line\n"
		"  ! another\n"
		"defaults {\n"
		"\tpolling_interval 10 # a comment after the value\n"
		"\tpath_selector \"service-time 0\"!and another\n"
		"\tuid_attribute \"\"\n"
		"}\n"
		"devices {\r\n"
		"\tdevice {\n"
		"\t\tvendor \"A#B!C\"\n"
		"\t\tproduct \"2.5\"\" SSD\"\n"
		"\t\tfeatures    \"  1  queue_if_no_path \"\n"
		"\t}\n"
		"}\n"
		"multipaths{\n"
		"\tmultipath{\n"
		"\t\twwid 36001\n"
		"\t\talias\n"
		"\t\tpath_selector service-time 0\n"
		"\t}\n"
		"}\n");
	const struct mpc_node *d, *dev, *mp;

	CU_ASSERT_STRING_EQUAL(f->path, "t.conf");
	CU_ASSERT_EQUAL_FATAL(f->root.n_children, 3);
	d = &f->root.children[0];
	CU_ASSERT_TRUE(d->section);
	CU_ASSERT_STRING_EQUAL(d->key, "defaults");
	CU_ASSERT_EQUAL(d->line, 3);
	CU_ASSERT_PTR_NULL(d->value);
	CU_ASSERT_EQUAL_FATAL(d->n_children, 3);
	CU_ASSERT_STRING_EQUAL(d->children[0].key, "polling_interval");
	CU_ASSERT_STRING_EQUAL(d->children[0].value, "10");
	CU_ASSERT_EQUAL(d->children[0].line, 4);
	CU_ASSERT_PTR_NULL(d->children[0].extra);
	CU_ASSERT_STRING_EQUAL(d->children[1].value, "service-time 0");
	CU_ASSERT_STRING_EQUAL(d->children[2].value, "");
	CU_ASSERT_STRING_EQUAL(d->children[2].file, "t.conf");

	dev = &f->root.children[1].children[0];
	CU_ASSERT_TRUE(dev->section);
	CU_ASSERT_EQUAL(dev->line, 9);
	CU_ASSERT_STRING_EQUAL(dev->children[0].value, "A#B!C");
	CU_ASSERT_STRING_EQUAL(dev->children[1].value, "2.5\" SSD");
	CU_ASSERT_STRING_EQUAL(dev->children[2].value, "  1  queue_if_no_path ");

	/* no blank needed before '{'; a keyword alone; words after a value kept aside */
	mp = &f->root.children[2].children[0];
	CU_ASSERT_STRING_EQUAL(f->root.children[2].key, "multipaths");
	CU_ASSERT_STRING_EQUAL(mp->key, "multipath");
	CU_ASSERT_PTR_NULL(mp->children[1].value);
	CU_ASSERT_FALSE(mp->children[1].section);
	CU_ASSERT_STRING_EQUAL(mp->children[2].value, "service-time");
	CU_ASSERT_STRING_EQUAL(mp->children[2].extra, "0");
}

static void test_reader_quotes(void)
{
	_cleanup_(mpc_file_freep) struct mpc_file *f = read_ok(
		"a \"\"\"\"\n"		/* one '"' */
		"b \"x\"\"\"\n"		/* x" */
		"c \"\"\n"		/* empty */
		"d \"}{\"\n");		/* braces in a string are plain */

	CU_ASSERT_EQUAL_FATAL(f->root.n_children, 4);
	CU_ASSERT_STRING_EQUAL(f->root.children[0].value, "\"");
	CU_ASSERT_STRING_EQUAL(f->root.children[1].value, "x\"");
	CU_ASSERT_STRING_EQUAL(f->root.children[2].value, "");
	CU_ASSERT_STRING_EQUAL(f->root.children[3].value, "}{");
}

struct read_error_case {
	const char *text;
	unsigned line;
	const char *msg;
};

static const struct read_error_case read_errors[] = {
	{ "defaults {\n\tpolling_interval 5\n\ndevices {\n\tdevice {\n\t}\n}\n", 1,
	  "section \"defaults\" is not closed: no '}' for its '{' by the end of the file" },
	{ "defaults {\n}\n}\n", 3, "'}' without a section to close" },
	{ "defaults {\n\tpath_checker tur }\n}\n", 2,
	  "unexpected '}' after \"path_checker\": a '{' follows a section name, a '}' stands "
	  "alone on its line" },
	{ "defaults {\n} x\n", 2, "unexpected \"x\" after '}': a '}' stands alone on its line" },
	{ "defaults\n{\n}\n", 2, "'{' without a section name before it" },
	{ "defaults { x\n}\n", 1, "unexpected \"x\" after '{'" },
	{ "defaults {\n\tpath_checker \"tur\n}\n", 2, "missing closing quote" },
	{ "\"defaults\" {\n}\n", 1, "expected a keyword, got the quoted string \"defaults\"" },
	{ "defaults {\n\tverbosity\x01 2\n}\n", 2, "control character 0x01 in column 11" },
	{ "a {\nb {\nc {\nd {\ne {\nf {\ng {\nh {\n", 8, "sections nested more than 7 deep" },
	{ "x \"}\" {\n", 1,
	  "unexpected '{' after \"x\": a '{' follows a section name, a '}' stands alone on its "
	  "line" },
};

static void test_reader_errors(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(read_errors); i++) {
		const struct read_error_case *c = &read_errors[i];
		struct mpc_file *f = NULL;
		struct mp_parse_error err = {};

		CU_ASSERT_EQUAL(mpc_parse(c->text, strlen(c->text), "bad.conf", &f, &err), -EBADMSG);
		CU_ASSERT_PTR_NULL(f);
		CU_ASSERT_STRING_EQUAL(err.file, "bad.conf");
		CU_ASSERT_EQUAL(err.line, c->line);
		CU_ASSERT_STRING_EQUAL(err.msg, c->msg);
		if (err.line != c->line || strcmp(err.msg, c->msg) != 0)
			fprintf(stderr, "\n    case %zu: got %u: %s\n", i, err.line, err.msg);
	}
	{
		/* a NUL byte, with its line */
		static const char text[] = "defaults {\n\tverbosity 2\0\n}\n";
		struct mpc_file *f = NULL;
		struct mp_parse_error err = {};

		CU_ASSERT_EQUAL(mpc_parse(text, sizeof(text) - 1, "nul.conf", &f, &err), -EBADMSG);
		CU_ASSERT_EQUAL(err.line, 2);
		CU_ASSERT_STRING_EQUAL(err.msg, "NUL character in line");
	}
	CU_ASSERT_EQUAL(mpc_parse(NULL, 0, "x", NULL, NULL), -EINVAL);
}

/* ---- regular expressions to literals ---- */

struct literal_case {
	const char *re;
	int n;
	const char *texts[4];	/* each "[^]TEXT[$]" */
};

static const struct literal_case literal_cases[] = {
	{ "NETAPP", 1, { "NETAPP" } },
	{ "^NETAPP$", 1, { "^NETAPP$" } },
	{ "LUN.*", 1, { "LUN" } },
	{ "^OPEN-.*", 1, { "^OPEN-" } },
	{ "^LUN.*$", 1, { "^LUN" } },
	{ "MD3[0-9]*", 1, { "MD3" } },
	{ "2145?", 1, { "214" } },
	{ "XSG1+", 1, { "XSG1" } },
	{ "V\\.RAID\\-1", 1, { "V.RAID-1" } },
	{ "Virtual.{0,4}", 1, { "Virtual" } },
	{ ".*", 1, { "" } },
	{ "", 1, { "" } },
	{ "(HITACHI|HP)", 2, { "HITACHI", "HP" } },
	{ "^(DF600F|DF600F-CM)$", 2, { "^DF600F$", "^DF600F-CM$" } },
	{ "^(A|B)C", 2, { "^AC", "^BC" } },
	{ "A|^B$", 2, { "A", "^B$" } },
	{ "[(]|X", 0, { "\"[(]\": \"[(]\" must match a character after \"\", so this is not a "
			"literal prefix" } },
	{ "Box[0-9]+", 0, { "\"Box[0-9]+\": \"[0-9]\" must match a character after \"Box\", so "
			    "this is not a literal prefix" } },
	{ "V.RAID", 0, { "\"V.RAID\": \".\" must match a character after \"V\", so this is not a "
			 "literal prefix" } },
	{ "LUN*$", 0, { "\"LUN*$\": a repetition before '$' makes it more than a literal" } },
	{ "LUN$X", 0, { "\"LUN$X\": '$' before the end" } },
	{ "(A|(B))", 0, { "\"(A|(B))\": a group inside a group" } },
	{ "(A)(B)", 0, { "\"(A)(B)\": more than one group" } },
	{ "(A|B", 0, { "\"(A|B\": '(' without ')'" } },
	{ "A|(B|C)", 0, { "\"A|(B|C)\": '|' outside the group" } },
	{ "\\dX", 0, { "\"\\dX\": '\\d' is not a plain character" } },
	{ "LUN{2}", 0, { "\"LUN{2}\": \"N\" must match a character after \"LU\", so this is not a "
			 "literal prefix" } },
	{ "LUN{x}", 0, { "\"LUN{x}\": '{' is not a valid repetition" } },
	{ "A|B|C|D|E|F|G|H|I", 0, { "more than 8 alternatives" } },
};

static void test_literals(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(literal_cases); i++) {
		const struct literal_case *c = &literal_cases[i];
		struct literal lits[LITERAL_ALTS_MAX];
		char msg[256] = "";
		int n = literal_parse(c->re, lits, LITERAL_ALTS_MAX, msg, sizeof(msg));

		if (c->n == 0) {
			CU_ASSERT_EQUAL(n, -EINVAL);
			CU_ASSERT_STRING_EQUAL(msg, c->texts[0]);
			if (strcmp(msg, c->texts[0]) != 0)
				fprintf(stderr, "\n    %s: got \"%s\"\n", c->re, msg);
			continue;
		}
		CU_ASSERT_EQUAL(n, c->n);
		if (n != c->n) {
			fprintf(stderr, "\n    %s: %d alternatives (%s)\n", c->re, n, msg);
			continue;
		}
		for (int k = 0; k < n; k++) {
			char got[sizeof(lits) + 3];

			snprintf(got, sizeof(got), "%s%s%s", lits[k].start ? "^" : "", lits[k].text,
				 lits[k].end ? "$" : "");
			CU_ASSERT_STRING_EQUAL(got, c->texts[k]);
			if (strcmp(got, c->texts[k]) != 0)
				fprintf(stderr, "\n    %s: got \"%s\"\n", c->re, got);
		}
	}
}

/* ---- the conversion ---- */

struct conv_result {
	struct mpc_file *files[3];
	size_t n;
	struct import *im;
};

static void conv_done(struct conv_result *c)
{
	for (size_t i = 0; i < c->n; i++)
		mpc_file_free(c->files[i]);
	import_free(c->im);
}

/* Convert one or more files (NULL-terminated texts named t.conf, d1.conf, ...). */
static int convert(struct conv_result *c, const struct mp_config *builtin,
		   struct mp_parse_error *err, const char *text, ...)
{
	static const char *const names[] = { "t.conf", "d1.conf", "d2.conf" };
	va_list ap;

	*c = (struct conv_result){};
	va_start(ap, text);
	for (const char *t = text; t && c->n < ARRAY_SIZE(names); t = va_arg(ap, const char *)) {
		struct mp_parse_error e = {};

		CU_ASSERT_EQUAL_FATAL(mpc_parse(t, strlen(t), names[c->n], &c->files[c->n], &e), 0);
		c->n++;
	}
	va_end(ap);
	return import_convert((const struct mpc_file *const *)c->files, c->n, builtin, false,
			      &c->im, err);
}

static void convert_ok(struct conv_result *c, const char *text)
{
	struct mp_parse_error err = {};
	int r = convert(c, NULL, &err, text, NULL);

	if (r < 0)
		fprintf(stderr, "\n    unexpected: %s:%u: %s\n", err.file, err.line, err.msg);
	CU_ASSERT_EQUAL_FATAL(r, 0);
}

/* The drop-in's text. */
static char *text_of(const struct import *im)
{
	char *t = NULL;

	CU_ASSERT_EQUAL_FATAL(mp_config_format(NULL, im->sections, im->n_sections, &t), 0);
	return t;
}

/* Does the text have this line? */
static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || !p[n]))
			return true;
	return false;
}

#define ASSERT_LINE(text, line)                                                   \
	do {                                                                      \
		CU_ASSERT_TRUE(has_line(text, line));                             \
		if (!has_line(text, line))                                        \
			fprintf(stderr, "\n    no line \"%s\" in:\n%s\n", line, text); \
	} while (0)

/* The first note on file:line of kind whose why holds part (NULL: any). */
static const struct import_note *find_note(const struct import *im, enum import_kind kind,
					   const char *file, unsigned line, const char *part)
{
	for (size_t i = 0; i < im->n_notes; i++) {
		const struct import_note *n = &im->notes[i];

		if (n->kind == kind && n->line == line && strcmp(n->file, file) == 0 &&
		    (!part || strstr(n->why, part) || strstr(n->what, part)))
			return n;
	}
	fprintf(stderr, "\n    no note %d at %s:%u with \"%s\"; notes:\n", kind, file, line,
		part ?: "");
	for (size_t i = 0; i < im->n_notes; i++)
		fprintf(stderr, "      %d %s:%u: %s: %s\n", im->notes[i].kind, im->notes[i].file,
			im->notes[i].line, im->notes[i].what, im->notes[i].why);
	return NULL;
}

#define ASSERT_NOTE(im, kind, file, line, part) \
	CU_ASSERT_PTR_NOT_NULL(find_note(im, kind, file, line, part))

static void test_convert_keywords(void)
{
	_cleanup_(conv_done) struct conv_result c;
	_cleanup_free_ char *t = NULL;

	convert_ok(&c, "defaults {\n"
		       "\tpath_grouping_policy multibus\n"		/* 2 */
		       "\tpath_selector \"round-robin 0\"\n"
		       "\tpath_checker readsector0\n"
		       "\tfailback followover\n"			/* 5 */
		       "\tno_path_retry fail\n"
		       "\tuser_friendly_names yes\n"
		       "\tfeatures \"3 queue_if_no_path pg_init_retries 50\"\n"
		       "}\n"
		       "devices {\n"					/* 10 */
		       "\tdevice {\n"
		       "\t\tvendor \"^NETAPP$\"\n"
		       "\t\tproduct \"LUN.*\"\n"
		       "\t\thardware_handler \"1 alua\"\n"
		       "\t\tfailback 30\n"				/* 15 */
		       "\t\tfeatures \"2 pg_init_delay_msecs 2500\"\n"
		       "\t\tpath_grouping_policy group_by_prio\n"
		       "\t\tpath_selector \"queue-length 1 x\"\n"
		       "\t}\n"
		       "}\n"						/* 20 */
		       "multipaths {\n"
		       "\tmultipath {\n"
		       "\t\twwid 3600a098038303053453f463045757a4d\n"
		       "\t\talias oradata\n"
		       "\t\tno_path_retry queue\n"			/* 25 */
		       "\t\tpath_grouping_policy group_by_tpg\n"
		       "\t}\n"
		       "}\n");
	t = text_of(c.im);
	CU_ASSERT_EQUAL(c.im->n_sections, 3);
	ASSERT_LINE(t, "PathGroupingPolicy=multibus");
	ASSERT_LINE(t, "PathSelector=round-robin");
	ASSERT_LINE(t, "PathChecker=directio");
	ASSERT_LINE(t, "Failback=followover");
	ASSERT_LINE(t, "NoPathRetry=fail");
	ASSERT_LINE(t, "UserFriendlyNames=yes");
	ASSERT_LINE(t, "PgInitRetries=50");
	ASSERT_LINE(t, "Vendor=NETAPP");
	ASSERT_LINE(t, "Product=LUN");
	ASSERT_LINE(t, "HardwareHandler=alua");
	ASSERT_LINE(t, "Failback=30");
	ASSERT_LINE(t, "PgInitDelayMsec=2500");
	ASSERT_LINE(t, "PathGroupingPolicy=group_by_prio");
	ASSERT_LINE(t, "PathSelector=queue-length");
	ASSERT_LINE(t, "WWID=3600a098038303053453f463045757a4d");
	ASSERT_LINE(t, "Alias=oradata");
	ASSERT_LINE(t, "NoPathRetry=queue");
	ASSERT_LINE(t, "PathGroupingPolicy=group_by_tpg");
	/* each setting names its line */
	ASSERT_LINE(t, "# t.conf:14: hardware_handler \"1 alua\"");
	CU_ASSERT_TRUE(c.im->friendly_names);
	CU_ASSERT_TRUE(c.im->has_maps);
	ASSERT_NOTE(c.im, IMPORT_CHANGED, "t.conf", 4, "readsector0 reads the first sector");
	ASSERT_NOTE(c.im, IMPORT_CHANGED, "t.conf", 18, "its arguments are not carried over");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 8, "the no_path_retry of t.conf:6 takes "
		    "precedence");
	CU_ASSERT_EQUAL_FATAL(c.im->n_claims, 1);
	CU_ASSERT_STRING_EQUAL(c.im->claims[0].entry, "NETAPP  LUN");
	CU_ASSERT_EQUAL(c.im->claims[0].line, 11);
}

static void test_convert_no_path_retry(void)
{
	_cleanup_(conv_done) struct conv_result a, b;
	_cleanup_free_ char *ta = NULL, *tb = NULL;
	const struct import_note *n;

	/* counted in checker intervals: multipath-tools' default of 5 s */
	convert_ok(&a, "defaults {\n\tno_path_retry 12\n}\n"
		       "multipaths {\n\tmultipath {\n\t\twwid 1\n\t\tno_path_retry 0\n\t}\n}\n");
	ta = text_of(a.im);
	ASSERT_LINE(ta, "NoPathRetry=60");
	ASSERT_LINE(ta, "NoPathRetry=fail");
	n = find_note(a.im, IMPORT_CHANGED, "t.conf", 2, "NoPathRetry=60");
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	CU_ASSERT_STRING_EQUAL(n->why, "NoPathRetry=60: no_path_retry counts checker intervals, "
			       "NoPathRetry= seconds: 12 x multipath-tools' default "
			       "polling_interval 5 s = 60 s");
	ASSERT_LINE(ta, "# t.conf:2: no_path_retry 12 (12 checker intervals of 5 s)");

	/* the polling_interval set, even after it, in a drop-in: the last one counts */
	CU_ASSERT_EQUAL(convert(&b, NULL, NULL,
				"defaults {\n\tno_path_retry 12\n\tpolling_interval 7\n}\n",
				"defaults {\n\tpolling_interval 10\n}\n", NULL), 0);
	tb = text_of(b.im);
	ASSERT_LINE(tb, "NoPathRetry=120");
	ASSERT_LINE(tb, "CheckInterval=10");
	ASSERT_NOTE(b.im, IMPORT_CHANGED, "t.conf", 2,
		    "12 x polling_interval 10 s from d1.conf:2 = 120 s");
	/* the earlier polling_interval lost to the later one, as in multipathd */
	ASSERT_NOTE(b.im, IMPORT_DROPPED, "t.conf", 3,
		    "overridden by d1.conf:2 (polling_interval 10), as in multipathd");
}

/*
 * The transport timeouts and max_sectors_kb; fast_io_fail_tmo goes to iSCSI
 * sessions as well, as multipathd writes it there; a pair of FC timeouts
 * the kernel would refuse is not carried over.
 */
static void test_convert_transport(void)
{
	_cleanup_(conv_done) struct conv_result c;
	_cleanup_free_ char *t = NULL;

	convert_ok(&c, "defaults {\n"
		       "\tfast_io_fail_tmo 10\n"			/* 2 */
		       "\tdev_loss_tmo infinity\n"
		       "\teh_deadline off\n"
		       "\tmax_sectors_kb 0\n"				/* 5 */
		       "}\n"
		       "devices {\n"
		       "\tdevice {\n"
		       "\t\tvendor NETAPP\n"
		       "\t\tfast_io_fail_tmo off\n"			/* 10 */
		       "\t\tdev_loss_tmo 30\n"
		       "\t\tmax_sectors_kb 512\n"
		       "\t}\n"
		       "\tdevice {\n"
		       "\t\tvendor HP\n"				/* 15 */
		       "\t\tdev_loss_tmo 20\n"
		       "\t\tfast_io_fail_tmo 30\n"
		       "\t\teh_deadline soon\n"
		       "\t\tfast_io_fail_tmo 601\n"
		       "\t}\n"						/* 20 */
		       "}\n"
		       "multipaths {\n\tmultipath {\n\t\twwid 1\n\t\tmax_sectors_kb 64\n\t}\n}\n");
	t = text_of(c.im);
	ASSERT_LINE(t, "FastIoFailTimeout=10");
	ASSERT_LINE(t, "IscsiRecoveryTimeout=10");
	ASSERT_LINE(t, "DevLossTimeout=infinity");
	ASSERT_LINE(t, "EhDeadline=off");
	ASSERT_LINE(t, "MaxSectorsKb=unset");
	ASSERT_LINE(t, "FastIoFailTimeout=off");
	ASSERT_LINE(t, "IscsiRecoveryTimeout=unset");
	ASSERT_LINE(t, "DevLossTimeout=30");
	ASSERT_LINE(t, "MaxSectorsKb=512");
	ASSERT_LINE(t, "DevLossTimeout=20");
	ASSERT_LINE(t, "MaxSectorsKb=64");
	ASSERT_NOTE(c.im, IMPORT_CHANGED, "t.conf", 2, "IscsiRecoveryTimeout=10: multipathd writes "
		    "fast_io_fail_tmo to iSCSI sessions' recovery_tmo too");
	ASSERT_NOTE(c.im, IMPORT_CHANGED, "t.conf", 5, "multipathd reads 0 as not set");
	ASSERT_NOTE(c.im, IMPORT_CHANGED, "t.conf", 10, "multipathd leaves iSCSI sessions alone");
	/* not below the dev_loss_tmo of its section, a word, beyond 600 */
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 17, "FastIoFailTimeout=30 must be less than "
		    "DevLossTimeout=20");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 18, "not a value multipathd takes: off or "
		    "seconds");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 19, "invalid FastIoFailTimeout= value \"601\"");
	CU_ASSERT_PTR_NULL(strstr(t, "FastIoFailTimeout=30"));
}

static void test_convert_no_path_retry_refused(void)
{
	_cleanup_(conv_done) struct conv_result c;

	/* 20000 x 5 s passes NoPathRetry='s bound; words multipathd does not take */
	convert_ok(&c, "defaults {\n\tno_path_retry 20000\n}\n"
		       "devices {\n\tdevice {\n\t\tvendor A\n\t\tno_path_retry forever\n"
		       "\t\tfailback 0\n\t\tuser_friendly_names maybe\n\t}\n}\n");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 2,
		    "mpio.conf would not take it: invalid NoPathRetry= value \"100000\"");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 7, "queue, fail or a number of retries");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 8, "immediate, manual, followover");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 9, "yes or no");
	CU_ASSERT_EQUAL(c.im->n_sections, 0);
}

static void test_convert_queue_if_no_path(void)
{
	_cleanup_(conv_done) struct conv_result a, b;
	_cleanup_free_ char *ta = NULL, *tb = NULL;

	/* alone: queue */
	convert_ok(&a, "devices {\n\tdevice {\n\t\tvendor A\n"
		       "\t\tfeatures \"1 queue_if_no_path\"\n\t}\n"
		       "\tdevice {\n\t\tvendor B\n"
		       "\t\tfeatures \"1 queue_if_no_path\"\n\t\tno_path_retry 3\n\t}\n}\n");
	ta = text_of(a.im);
	ASSERT_LINE(ta, "NoPathRetry=queue");
	ASSERT_NOTE(a.im, IMPORT_CHANGED, "t.conf", 4, "NoPathRetry=queue");
	/* with a no_path_retry in its section, even a later one, that wins */
	ASSERT_LINE(ta, "NoPathRetry=15");
	ASSERT_NOTE(a.im, IMPORT_DROPPED, "t.conf", 8, "the no_path_retry of t.conf:9 takes "
		    "precedence");

	/* a no_path_retry in defaults wins over every queue_if_no_path */
	convert_ok(&b, "defaults {\n\tno_path_retry fail\n}\n"
		       "multipaths {\n\tmultipath {\n\t\twwid 1\n"
		       "\t\tfeatures \"1 queue_if_no_path\"\n\t}\n}\n");
	tb = text_of(b.im);
	CU_ASSERT_FALSE(has_line(tb, "NoPathRetry=queue"));
	ASSERT_NOTE(b.im, IMPORT_DROPPED, "t.conf", 7, "the no_path_retry of t.conf:2");
}

static void test_convert_features(void)
{
	_cleanup_(conv_done) struct conv_result c;

	convert_ok(&c, "defaults {\n"
		       "\tfeatures \"2 queue_mode bio retain_attached_hw_handler no_partitions\"\n"
		       "\tpath_checker emc_clariion\n"
		       "\tpath_selector \"least-pending 0\"\n"
		       "\tpath_grouping_policy group_by_node_name\n"
		       "\tfeatures \"1 pg_init_retries\"\n"
		       "}\n"
		       "devices {\n\tdevice {\n\t\tvendor X\n"
		       "\t\thardware_handler \"1 ana\"\n"			/* 11 */
		       "\t\thardware_handler alua\n"
		       "\t\thardware_handler \"0\"\n"
		       "\t}\n}\n");
	ASSERT_NOTE(c.im, IMPORT_CHANGED, "t.conf", 2, "the count 2 does not match the 4 words");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 2, "queue_mode bio");
	ASSERT_NOTE(c.im, IMPORT_SAME, "t.conf", 2, "retain_attached_hw_handler");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 2, "mpio has no such feature");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 3, "no EMC CLARiiON checker");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 4, "mpio has no PathSelector \"least-pending\"");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 5, "target node name");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 6, "a number must follow it");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 11, "ANA is NVMe's");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 12, "as \"1 alua\", or \"0\"");
	CU_ASSERT_EQUAL_FATAL(c.im->n_sections, 1);
	CU_ASSERT_EQUAL(c.im->sections[0].v.hw_handler, MP_HW_HANDLER_NONE);
}

static void test_convert_later_wins(void)
{
	_cleanup_(conv_done) struct conv_result c;
	_cleanup_free_ char *t = NULL;

	/* two multipath sections for one WWID merge; an alias may name one map only */
	convert_ok(&c, "multipaths {\n"
		       "\tmultipath {\n\t\twwid 1\n\t\talias a\n\t\tfailback manual\n\t}\n"
		       "\tmultipath {\n\t\twwid 2\n\t\talias a\n\t}\n"			/* 7 */
		       "\tmultipath {\n\t\twwid 1\n\t\tfailback immediate\n\t}\n"	/* 11 */
		       "}\n");
	t = text_of(c.im);
	CU_ASSERT_EQUAL(c.im->n_sections, 1);
	ASSERT_LINE(t, "Failback=immediate");
	ASSERT_LINE(t, "Alias=a");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 5, "overridden by t.conf:13 (failback "
		    "immediate)");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 9, "already the alias of wwid 1 (t.conf:4)");
	ASSERT_NOTE(c.im, IMPORT_SAME, "t.conf", 11, "merged into one [Map]");
}

static void test_convert_devices(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = NULL;
	_cleanup_(mp_config_unrefp) struct mp_config *builtin = NULL;
	_cleanup_(conv_done) struct conv_result c;
	_cleanup_free_ char *t = NULL;
	struct mp_parse_error err = {};

	CU_ASSERT_EQUAL_FATAL(mp_ctx_new(&ctx), 0);
	CU_ASSERT_EQUAL_FATAL(mp_config_parse_string(ctx, "", "b", &builtin, &err), 0);
	CU_ASSERT_EQUAL_FATAL(convert(&c, builtin, &err,
		"devices {\n"
		"\tdevice {\n\t\tvendor \"(HITACHI|HP)\"\n\t\tproduct \"^OPEN-\"\n"
		"\t\tfailback immediate\n\t}\n"
		"\tdevice {\n\t\tvendor \"^IBM$\"\n\t\tproduct \"^2145$\"\n"			/* 7 */
		"\t\tno_path_retry queue\n\t}\n"
		"\tdevice {\n\t\tvendor DGC\n\t\tproduct \".*\"\n\t\trevision \".*\"\n\t}\n"	/* 12 */
		"\tdevice {\n\t\tvendor IBM\n\t\tproduct 1722\n\t\trevision 0914\n"		/* 17 */
		"\t\tfailback manual\n\t}\n"
		"\tdevice {\n\t\tvendor ACME\n\t\tproduct \"Box[0-9]+\"\n"			/* 23 */
		"\t\tfailback manual\n\t}\n"
		"\tdevice {\n\t\tvendor \".*\"\n\t\tproduct X\n\t}\n"				/* 28 */
		"\tdevice {\n\t\tvendor LONGVENDOR\n\t}\n"					/* 32 */
		"\tdevice {\n\t\tproduct X\n\t\tfailback manual\n\t}\n"				/* 35 */
		"}\n", NULL), 0);
	t = text_of(c.im);
	/* one [Device] and one entry for each vendor it stands for */
	CU_ASSERT_EQUAL_FATAL(c.im->n_claims, 4);
	CU_ASSERT_STRING_EQUAL(c.im->claims[0].entry, "HITACHI OPEN-");
	CU_ASSERT_STRING_EQUAL(c.im->claims[1].entry, "HP      OPEN-");
	/* "$": the entry takes the product whole, padded */
	CU_ASSERT_STRING_EQUAL(c.im->claims[2].entry, "IBM     2145            ");
	/* any product: the vendor alone, padded */
	CU_ASSERT_STRING_EQUAL(c.im->claims[3].entry, "DGC     ");
	ASSERT_LINE(t, "Vendor=HITACHI");
	ASSERT_LINE(t, "Vendor=HP");
	ASSERT_LINE(t, "Product=2145");
	/* DGC sets nothing: an entry, no [Device] */
	CU_ASSERT_FALSE(strstr(t, "Vendor=DGC") != NULL);
	CU_ASSERT_EQUAL(c.im->n_sections, 3);
	ASSERT_NOTE(c.im, IMPORT_CHANGED, "t.conf", 2, "the vendor is matched whole");
	ASSERT_NOTE(c.im, IMPORT_CHANGED, "t.conf", 7, "takes the product whole (padded)");
	/* HP OPEN- is not in the built-in table, HITACHI OPEN- is */
	ASSERT_NOTE(c.im, IMPORT_CHANGED, "t.conf", 2, "device HP OPEN-");
	for (size_t i = 0; i < c.im->n_notes; i++)
		CU_ASSERT_PTR_NULL(strstr(c.im->notes[i].what, "device HITACHI OPEN-"));
	/* any product: nothing to say about how the product is matched */
	CU_ASSERT_PTR_NULL(strstr(find_note(c.im, IMPORT_CHANGED, "t.conf", 12, "DGC")->why,
				  "the product"));
	/* refused, with every line of the section */
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 18, "see its revision");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 20, "mpio cannot tell revisions apart");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 21, "see its revision");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 25, "\"[0-9]\" must match a character");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 26, "see its product");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 29, "it matches any vendor: mpio needs one");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 30, "see its vendor");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 33, "\"LONGVENDOR\" is 10 characters long");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 36, "has no vendor");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 37, "has no vendor");
}

static void test_convert_devices_long_vendor(void)
{
	_cleanup_(conv_done) struct conv_result c;

	convert_ok(&c, "devices {\n\tdevice {\n\t\tvendor TOOLONGVENDOR\n\t\tfailback manual\n"
		       "\t}\n}\n");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 3,
		    "Vendor= value \"TOOLONGVENDOR\" is 13 characters long, at most 8");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 4, "see its vendor");
	CU_ASSERT_EQUAL(c.im->n_claims, 0);
	CU_ASSERT_EQUAL(c.im->n_sections, 0);
}

static void test_convert_not_carried(void)
{
	_cleanup_(conv_done) struct conv_result c;

	convert_ok(&c, "defaults {\n"
		       "\tfind_multipaths yes\n"
		       "\tqueue_without_daemon no\n"
		       "\tno_such_keyword 1\n"
		       "\thardware_handler \"1 alua\"\n"		/* 5: not in defaults */
		       "\tverbosity\n"
		       "\tpath_checker tur extra words\n"
		       "\tbindings_file /var/lib/mp/bindings\n"
		       "\tmarginal_pathgroups off\n"
		       "\tsan_path_err_threshold 5\n"		/* 10 */
		       "}\n"
		       "blacklist {\n\tdevnode \"^sda$\"\n\tdevice {\n\t\tvendor X\n\t}\n}\n"
		       "blacklist_exceptions {\n}\n"			/* 18 */
		       "overrides {\n\tno_path_retry queue\n}\n"	/* 20 */
		       "devices {\n\tdevice {\n\t\tvendor A\n\t\tproduct_blacklist B\n\t}\n"
		       "\tpolling_interval 5\n}\n"			/* 28 */
		       "stray 1\n");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 2, "find_multipaths");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 3, "mpio keeps queueing as configured");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 4, "not a keyword of multipath.conf(5)");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 5, "not a keyword of the defaults section");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 6, "no value");
	ASSERT_NOTE(c.im, IMPORT_SAME, "t.conf", 7, "\"extra words\", are ignored");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 8, "see the bindings note");
	CU_ASSERT_STRING_EQUAL(c.im->bindings_file, "/var/lib/mp/bindings");
	ASSERT_NOTE(c.im, IMPORT_SAME, "t.conf", 9, "off");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 10, "shaky");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 13, "no deny-list yet");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 15, "no deny-list yet");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 18, "no deny-list yet");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 21, "no overrides section yet");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 26, "no deny-list yet");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 28, "devices holds only device sections");
	ASSERT_NOTE(c.im, IMPORT_DROPPED, "t.conf", 30, "outside of any section");
	/* overrides' no_path_retry is not carried, but still beats queue_if_no_path (none here) */
	CU_ASSERT_FALSE(c.im->friendly_names);
}

struct conv_error_case {
	const char *text;
	unsigned line;
	const char *msg;
};

static const struct conv_error_case conv_errors[] = {
	{ "defaults {\n}\nfoo {\n}\n", 3,
	  "unknown section \"foo\": expected defaults, blacklist, blacklist_exceptions, devices, "
	  "multipaths or overrides" },
	{ "defaults {\n\tdevices {\n\t}\n}\n", 2,
	  "unknown section \"devices\" in defaults: defaults has no sections" },
	{ "devices {\n\tdevices {\n\t}\n}\n", 2,
	  "unknown section \"devices\" in devices: expected device" },
	{ "devices {\n\tdevice\n}\n", 2, "expected '{' after \"device\"" },
	{ "defaults\n", 1, "expected '{' after \"defaults\" on its line" },
	{ "multipaths {\n\tmultipath {\n\t\twwid 1\n\t\tx {\n\t\t}\n\t}\n}\n", 4,
	  "unknown section \"x\" in multipath: multipath has no sections" },
};

static void test_convert_errors(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(conv_errors); i++) {
		const struct conv_error_case *e = &conv_errors[i];
		_cleanup_(conv_done) struct conv_result c;
		struct mp_parse_error err = {};

		CU_ASSERT_EQUAL(convert(&c, NULL, &err, e->text, NULL), -EBADMSG);
		CU_ASSERT_PTR_NULL(c.im);
		CU_ASSERT_STRING_EQUAL(err.file, "t.conf");
		CU_ASSERT_EQUAL(err.line, e->line);
		CU_ASSERT_STRING_EQUAL(err.msg, e->msg);
		if (err.line != e->line || strcmp(err.msg, e->msg))
			fprintf(stderr, "\n    case %zu: got %u: %s\n", i, err.line, err.msg);
	}
}

static void test_config_dir(void)
{
	_cleanup_(mpc_file_freep) struct mpc_file *a = read_ok(
		"defaults {\n\tconfig_dir /etc/mp.d\n}\ndefaults {\n\tconfig_dir /etc/later.d\n}\n");
	_cleanup_(mpc_file_freep) struct mpc_file *b = read_ok(
		"defaults {\n\tconfig_dir relative/dir\n}\n");
	_cleanup_(mpc_file_freep) struct mpc_file *c = read_ok("defaults {\n}\n");

	CU_ASSERT_STRING_EQUAL(import_config_dir(a), "/etc/later.d");
	CU_ASSERT_PTR_NULL(import_config_dir(b));
	CU_ASSERT_PTR_NULL(import_config_dir(c));
}

static const struct unit_test tests[] = {
	{ "reader: sections, values, lines", test_reader_structure },
	{ "reader: quoted strings", test_reader_quotes },
	{ "reader: every error with its line", test_reader_errors },
	{ "regular expressions to literals, and refusals", test_literals },
	{ "convert: each mapped keyword", test_convert_keywords },
	{ "convert: no_path_retry counts polling intervals", test_convert_no_path_retry },
	{ "convert: transport timeouts, max_sectors_kb", test_convert_transport },
	{ "convert: values refused", test_convert_no_path_retry_refused },
	{ "convert: queue_if_no_path yields to no_path_retry", test_convert_queue_if_no_path },
	{ "convert: features, checkers, selectors, handlers", test_convert_features },
	{ "convert: later lines win, maps merge, aliases unique", test_convert_later_wins },
	{ "convert: devices, regexes, claims", test_convert_devices },
	{ "convert: a vendor too long", test_convert_devices_long_vendor },
	{ "convert: what is not carried over", test_convert_not_carried },
	{ "convert: errors with their line", test_convert_errors },
	{ "config_dir", test_config_dir },
};

UNIT_MAIN("import", tests)
