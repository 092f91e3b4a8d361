/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The supported-device list: parsing, every error message with its line,
 * MPIOSupportedDeviceList matching (padding, prefix, case, underscore, bus
 * types) and the atomic editor.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libmp-private.h"
#include "unit.h"

static struct mp_ctx *new_ctx(void)
{
	struct mp_ctx *ctx = NULL;

	CU_ASSERT_EQUAL_FATAL(mp_ctx_new(&ctx), 0);
	return ctx;
}

/* Parse text that must be valid. */
static struct mp_supported *parse_ok(struct mp_ctx *ctx, const char *text)
{
	struct mp_supported *list = NULL;
	struct mp_parse_error err = {};
	int r = mp_supported_parse_string(ctx, text, "test", &list, &err);

	if (r < 0)
		fprintf(stderr, "unexpected: %s:%u: %s\n", err.file, err.line, err.msg);
	CU_ASSERT_EQUAL_FATAL(r, 0);
	return list;
}

static void test_transport_names(void)
{
	CU_ASSERT_STRING_EQUAL(mp_transport_to_string(MP_TRANSPORT_OTHER), "other");
	CU_ASSERT_STRING_EQUAL(mp_transport_to_string(MP_TRANSPORT_ISCSI), "iscsi");
	CU_ASSERT_STRING_EQUAL(mp_transport_to_string(MP_TRANSPORT_FC), "fc");
	CU_ASSERT_STRING_EQUAL(mp_transport_to_string(MP_TRANSPORT_SAS), "sas");
	CU_ASSERT_PTR_NULL(mp_transport_to_string(_MP_TRANSPORT_MAX));
	CU_ASSERT_PTR_NULL(mp_transport_to_string(_MP_TRANSPORT_INVALID));
	for (int t = 0; t < _MP_TRANSPORT_MAX; t++)
		CU_ASSERT_EQUAL(mp_transport_from_string(mp_transport_to_string(t)), t);
	CU_ASSERT_EQUAL(mp_transport_from_string("iSCSI"), MP_TRANSPORT_ISCSI);
	CU_ASSERT_EQUAL(mp_transport_from_string("FC"), MP_TRANSPORT_FC);
	CU_ASSERT_EQUAL(mp_transport_from_string("fcoe"), _MP_TRANSPORT_INVALID);
	CU_ASSERT_EQUAL(mp_transport_from_string(""), _MP_TRANSPORT_INVALID);
	CU_ASSERT_EQUAL(mp_transport_from_string(NULL), _MP_TRANSPORT_INVALID);
}

static void test_parse_entries(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	_cleanup_(mp_supported_unrefp) struct mp_supported *list = NULL;
	static const struct {
		const char *text;
		enum mp_transport bus;
		unsigned line;
	} expect[] = {
		{ "IBM     2145", _MP_TRANSPORT_INVALID, 3 },
		{ "DGC     ", _MP_TRANSPORT_INVALID, 4 },
		{ "bus:iscsi", MP_TRANSPORT_ISCSI, 6 },
		{ "3PARdataVV", _MP_TRANSPORT_INVALID, 8 },
		{ "\" odd\"one", _MP_TRANSPORT_INVALID, 9 },
		{ "bus:fc", MP_TRANSPORT_FC, 10 },
		{ "bus:sas", _MP_TRANSPORT_INVALID, 11 },
		{ "VENDOR  PRODUCT #1", _MP_TRANSPORT_INVALID, 12 },
		{ "NETAPP  LUN", _MP_TRANSPORT_INVALID, 13 },
	};
	const char *text;
	enum mp_transport bus;
	unsigned line;

	list = parse_ok(ctx, "# comment\n"
			     "\n"
			     "  IBM     2145  \n"
			     "\t\"DGC     \"\t\n"
			     "   # indented comment\n"
			     "bus:iscsi\n"
			     " \t \n"
			     "3PARdataVV\n"
			     "\"\" odd\"one\"\n"
			     "BUS:FC\n"
			     "\"bus:sas\"\n"
			     "VENDOR  PRODUCT #1\n"
			     "NETAPP  LUN\r\n"
			     "# no newline at the end");
	CU_ASSERT_EQUAL_FATAL(mp_supported_count(list), (int)ARRAY_SIZE(expect));
	for (unsigned i = 0; i < ARRAY_SIZE(expect); i++) {
		CU_ASSERT_EQUAL(mp_supported_get_entry(list, i, &text, &bus, &line), 0);
		CU_ASSERT_STRING_EQUAL(text, expect[i].text);
		CU_ASSERT_EQUAL(bus, expect[i].bus);
		CU_ASSERT_EQUAL(line, expect[i].line);
	}
	CU_ASSERT_EQUAL(mp_supported_get_entry(list, ARRAY_SIZE(expect), &text, NULL, NULL),
			-ERANGE);
	CU_ASSERT_EQUAL(mp_supported_get_entry(list, 0, NULL, NULL, NULL), 0);
	CU_ASSERT_EQUAL(mp_supported_get_entry(NULL, 0, NULL, NULL, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mp_supported_count(NULL), -EINVAL);
}

static void test_empty_lists(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	const char *texts[] = { "", "\n\n", "# only\n  # comments\n", "   " };

	for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
		_cleanup_(mp_supported_unrefp) struct mp_supported *list = parse_ok(ctx, texts[i]);

		CU_ASSERT_EQUAL(mp_supported_count(list), 0);
		CU_ASSERT_EQUAL(mp_supported_match(list, "IBM", "2145", MP_TRANSPORT_FC), -ENOENT);
	}
}

static void test_ref_unref_and_args(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	struct mp_supported *list = parse_ok(ctx, "IBM     2145\n"), *other = NULL;

	CU_ASSERT_PTR_EQUAL(mp_supported_ref(list), list);
	CU_ASSERT_PTR_NULL(mp_supported_unref(list));
	CU_ASSERT_EQUAL(mp_supported_count(list), 1); /* still referenced once */
	CU_ASSERT_PTR_NULL(mp_supported_unref(list));
	CU_ASSERT_PTR_NULL(mp_supported_unref(NULL));
	CU_ASSERT_PTR_NULL(mp_supported_ref(NULL));

	CU_ASSERT_EQUAL(mp_supported_parse_string(NULL, "", NULL, &other, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mp_supported_parse_string(ctx, NULL, NULL, &other, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mp_supported_parse_string(ctx, "", NULL, NULL, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mp_supported_parse_file(ctx, NULL, &other, NULL), -EINVAL);
	CU_ASSERT_PTR_NULL(other);

	/* the list keeps its context alive (ASan would see a use after free) */
	{
		struct mp_ctx *ctx2 = new_ctx();

		other = parse_ok(ctx2, "bus:fc");
		CU_ASSERT_PTR_NULL(mp_ctx_unref(ctx2));
		CU_ASSERT_EQUAL(mp_supported_match(other, "A", "B", MP_TRANSPORT_FC), 0);
		other = mp_supported_unref(other);
	}
}

/* One list, many devices: the padding, prefix, case and underscore rules. */
static void test_match_vendor_product(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	_cleanup_(mp_supported_unrefp) struct mp_supported *list = NULL;
	static const struct {
		const char *vendor, *product;
		int match;
	} cases[] = {
		/* 0: "IBM     2145": vendor of 3 letters padded to 8, product prefix */
		{ "IBM", "2145", 0 },
		{ "IBM     ", "2145            ", 0 },
		{ "IBM     \n", "2145            \n", 0 }, /* as read from sysfs */
		{ "IBM", "2145-CG8", 0 },
		{ "ibm", "2145", 0 },
		{ "IBMX", "2145", -ENOENT },
		{ "IB", "M2145", -ENOENT },
		{ "IBM", "214", -ENOENT },
		{ "IBM", "2107", -ENOENT },
		/* 1: "3PARdataVV": a vendor of exactly 8 */
		{ "3PARdata", "VV", 1 },
		{ "3pardata", "vv", 1 },
		{ "3PARdat", "aVV", -ENOENT },
		/* 2: quoted "DGC     ": the trailing spaces keep DGCX out */
		{ "DGC", "VRAID", 2 },
		{ "DGC", "", 2 },
		{ "DGCX", "VRAID", -ENOENT },
		/* 3: unquoted "LSI" is a bare prefix: LSI and LSILOGIC */
		{ "LSI", "INF-01-00", 3 },
		{ "LSILOGIC", "INF-01-00", 3 },
		/* 4: a full 24-character entry matches exactly, underscores literal */
		{ "MAXTOR", "ATLASU320_18_WLS", 4 },
		{ "maxtor", "atlasu320_18_wls", 4 },
		{ "MAXTOR", "ATLASU320 18 WLS", -ENOENT },
		{ "MAXTOR", "ATLASU320-18-WLS", -ENOENT },
		/* 5: "VENDOR3 PROD_PREFIX": prefix with an underscore */
		{ "VENDOR3", "PROD_PREFIX", 5 },
		{ "VENDOR3", "PROD_PREFIX_A", 5 },
		{ "VENDOR3", "PROD_PREFIX_B", 5 },
		{ "VENDOR3", "PRODXPREFIX_A", -ENOENT },
		{ "VENDOR3", "PROD PREFIX_A", -ENOENT },
		/* 6: product fully padded: "VENDOR1 PRODUCT1        " */
		{ "VENDOR1", "PRODUCT1", 6 },
		{ "VENDOR1", "PRODUCT12", -ENOENT },
		/* 7: two entries could match: the first one in the file wins */
		{ "HITACHI", "OPEN-V", 7 },
		{ "HITACHI", "OPEN-E", 7 },
		{ "HITACHI", "DF600F", 8 },
		/* not listed */
		{ "ATA", "Samsung SSD 870", -ENOENT },
		{ "", "", -ENOENT },
	};

	list = parse_ok(ctx, "IBM     2145\n"
			     "3PARdataVV\n"
			     "\"DGC     \"\n"
			     "LSI\n"
			     "MAXTOR  ATLASU320_18_WLS\n"
			     "VENDOR3 PROD_PREFIX\n"
			     "\"VENDOR1 PRODUCT1        \"\n"
			     "HITACHI OPEN-\n"
			     "HITACHI\n");
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int r = mp_supported_match(list, cases[i].vendor, cases[i].product,
					   MP_TRANSPORT_FC);

		if (r != cases[i].match)
			fprintf(stderr, "case %zu: \"%s\" \"%s\": %d, expected %d\n", i,
				cases[i].vendor, cases[i].product, r, cases[i].match);
		CU_ASSERT_EQUAL(r, cases[i].match);
	}
}

static void test_match_bus(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	_cleanup_(mp_supported_unrefp) struct mp_supported *list = NULL, *sas = NULL;

	list = parse_ok(ctx, "NETAPP  LUN\nbus:iscsi\nbus:FC\n");
	/* any vendor on a claimed transport */
	CU_ASSERT_EQUAL(mp_supported_match(list, "ACME", "Whatever", MP_TRANSPORT_ISCSI), 1);
	CU_ASSERT_EQUAL(mp_supported_match(list, "", "", MP_TRANSPORT_FC), 2);
	CU_ASSERT_EQUAL(mp_supported_match(list, "ACME", "Whatever", MP_TRANSPORT_SAS), -ENOENT);
	CU_ASSERT_EQUAL(mp_supported_match(list, "ACME", "Whatever", MP_TRANSPORT_OTHER), -ENOENT);
	/* a listed vendor matches on any transport, its own entry first */
	CU_ASSERT_EQUAL(mp_supported_match(list, "NETAPP", "LUN C-Mode", MP_TRANSPORT_OTHER), 0);
	CU_ASSERT_EQUAL(mp_supported_match(list, "NETAPP", "LUN C-Mode", MP_TRANSPORT_ISCSI), 0);

	/* a quoted "bus:sas" is a vendor, not a bus type */
	sas = parse_ok(ctx, "\"bus:sas\"\n");
	CU_ASSERT_EQUAL(mp_supported_match(sas, "ACME", "X", MP_TRANSPORT_SAS), -ENOENT);
	CU_ASSERT_EQUAL(mp_supported_match(sas, "bus:sas", "X", MP_TRANSPORT_OTHER), 0);
}

static void test_match_bad_args(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	_cleanup_(mp_supported_unrefp) struct mp_supported *list = parse_ok(ctx, "bus:fc\n");

	CU_ASSERT_EQUAL(mp_supported_match(list, "VENDOR123", "X", MP_TRANSPORT_FC), -EINVAL);
	CU_ASSERT_EQUAL(mp_supported_match(list, "V", "PRODUCT-12345678X", MP_TRANSPORT_FC),
			-EINVAL);
	CU_ASSERT_EQUAL(mp_supported_match(list, "V", "X", _MP_TRANSPORT_MAX), -EINVAL);
	CU_ASSERT_EQUAL(mp_supported_match(list, "V", "X", _MP_TRANSPORT_INVALID), -EINVAL);
	CU_ASSERT_EQUAL(mp_supported_match(list, NULL, "X", MP_TRANSPORT_FC), -EINVAL);
	CU_ASSERT_EQUAL(mp_supported_match(list, "V", NULL, MP_TRANSPORT_FC), -EINVAL);
	CU_ASSERT_EQUAL(mp_supported_match(NULL, "V", "X", MP_TRANSPORT_FC), -EINVAL);
	/* exactly 8 and 16 are fine, padding spaces beyond them too */
	CU_ASSERT_EQUAL(mp_supported_match(list, "VENDOR12   ", "PRODUCT-12345678  ",
					   MP_TRANSPORT_FC),
			0);
}

/* Every error message, on the line it is about. */
static void test_errors(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	static const struct {
		const char *text;
		unsigned line;
		const char *msg;
	} cases[] = {
		{ "# ok\nVENDOR12PRODUCT-123456789\n", 2,
		  "entry is 25 characters long, at most 24 are allowed (8 vendor + 16 product)" },
		{ "\"VENDOR1 PRODUCT1         \"\n", 1,
		  "entry is 25 characters long, at most 24 are allowed (8 vendor + 16 product)" },
		{ "IBM     2145\n\nbus:fcoe\n", 3,
		  "unknown bus type \"fcoe\", expected iscsi, fc or sas" },
		{ "bus:\n", 1, "unknown bus type \"\", expected iscsi, fc or sas" },
		{ "bus:iscsi fc\n", 1, "unknown bus type \"iscsi fc\", expected iscsi, fc or sas" },
		{ "bus:0123456789012345678901234567890123456789\n", 1,
		  "unknown bus type \"01234567890123456789012345678901\", "
		  "expected iscsi, fc or sas" },
		{ "bus:other\n", 1,
		  "bus type \"other\" cannot be claimed, expected iscsi, fc or sas" },
		{ "\n\n\"DGC     \n", 3, "missing closing quote" },
		{ "\"\n", 1, "missing closing quote" },
		{ "\"\"\n", 1, "empty entry" },
		{ "  \"\"  \n", 1, "empty entry" },
		{ "IBM\t2145\n", 1, "non-printable character 0x09 in column 4" },
		{ "ACME\x01\n", 1, "non-printable character 0x01 in column 5" },
		{ "  ACM\xc3\x89\n", 1, "non-printable character 0xc3 in column 6" },
		{ "ACME\rX\n", 1, "non-printable character 0x0d in column 5" },
		{ "IBM     2145\nNETAPP  LUN\nibm     2145\n", 3,
		  "duplicate entry, first given on line 1" },
		{ "bus:iscsi\n# x\nBUS:ISCSI\n", 3, "duplicate entry, first given on line 1" },
		{ "\"DGC\"\nDGC\n", 2, "duplicate entry, first given on line 1" },
		{ "\"BUS:ISCSI\"\nbus:iscsi\nbus:fc\n\"Bus:Iscsi\"\n", 4,
		  "duplicate entry, first given on line 1" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct mp_supported *list = NULL;
		struct mp_parse_error err = {};
		int r = mp_supported_parse_string(ctx, cases[i].text, "supported-devices", &list,
						  &err);

		CU_ASSERT_EQUAL(r, -EBADMSG);
		CU_ASSERT_PTR_NULL(list);
		CU_ASSERT_STRING_EQUAL(err.file, "supported-devices");
		CU_ASSERT_EQUAL(err.line, cases[i].line);
		CU_ASSERT_STRING_EQUAL(err.msg, cases[i].msg);
		if (err.line != cases[i].line || strcmp(err.msg, cases[i].msg) != 0)
			fprintf(stderr, "case %zu: %u: %s\n", i, err.line, err.msg);
	}

	/* no error struct: still fails; unnamed strings are "<string>" */
	{
		struct mp_supported *list = NULL;
		struct mp_parse_error err = {};

		CU_ASSERT_EQUAL(mp_supported_parse_string(ctx, "bus:x", NULL, &list, NULL),
				-EBADMSG);
		CU_ASSERT_EQUAL(mp_supported_parse_string(ctx, "bus:x", NULL, &list, &err),
				-EBADMSG);
		CU_ASSERT_STRING_EQUAL(err.file, "<string>");
		CU_ASSERT_PTR_NULL(list);
	}
}

static void test_parse_files(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	_cleanup_(mp_supported_unrefp) struct mp_supported *sample = NULL, *fixture = NULL;
	struct mp_supported *none = NULL;
	struct mp_parse_error err = {};
	const char *text;

	/* The shipped sample parses, and claims what it says it does. */
#define SAMPLE MPIO_FIXTURES "/../../../conf/supported-devices"
	CU_ASSERT_EQUAL_FATAL(mp_supported_parse_file(ctx, SAMPLE, &sample, &err), 0);
	CU_ASSERT(mp_supported_count(sample) >= 8);
	CU_ASSERT(mp_supported_match(sample, "Linux", "scsi_debug", MP_TRANSPORT_OTHER) >= 0);
	CU_ASSERT(mp_supported_match(sample, "LIO-ORG", "block1", MP_TRANSPORT_ISCSI) >= 0);
	CU_ASSERT(mp_supported_match(sample, "DGC", "VRAID", MP_TRANSPORT_FC) >= 0);
	CU_ASSERT(mp_supported_match(sample, "3PARdata", "VV", MP_TRANSPORT_FC) >= 0);
	CU_ASSERT_EQUAL(mp_supported_match(sample, "ATA", "WDC WD40EFRX", MP_TRANSPORT_OTHER),
			-ENOENT);
	CU_ASSERT_EQUAL(mp_supported_match(sample, "ACME", "X", MP_TRANSPORT_ISCSI), -ENOENT);

	CU_ASSERT_EQUAL_FATAL(mp_supported_parse_file(ctx, MPIO_FIXTURES "/supported-devices",
						      &fixture, &err),
			      0);
	CU_ASSERT_EQUAL(mp_supported_count(fixture), 3);
	CU_ASSERT_EQUAL(mp_supported_get_entry(fixture, 1, &text, NULL, NULL), 0);
	CU_ASSERT_STRING_EQUAL(text, "LIO-ORG ");

	CU_ASSERT_EQUAL(mp_supported_parse_file(ctx, MPIO_FIXTURES "/supported-devices-bad",
						&none, &err),
			-EBADMSG);
	CU_ASSERT_PTR_NULL(none);
	CU_ASSERT_STRING_EQUAL(err.file, MPIO_FIXTURES "/supported-devices-bad");
	CU_ASSERT_EQUAL(err.line, 5);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "unknown bus type \"infiniband\", expected iscsi, fc or sas");

	CU_ASSERT_EQUAL(mp_supported_parse_file(ctx, MPIO_FIXTURES "/no-such-file", &none, &err),
			-ENOENT);
	CU_ASSERT_PTR_NULL(none);
	CU_ASSERT_EQUAL(err.line, 0);
	CU_ASSERT_STRING_EQUAL(err.msg, "cannot read: No such file or directory");

	CU_ASSERT_EQUAL(mp_supported_parse_file(ctx, MPIO_FIXTURES, &none, &err), -EISDIR);
	CU_ASSERT_PTR_NULL(none);
}

/* ---- editor ---- */

struct tmp {
	char dir[64];
	char path[128];
};

static void tmp_make(struct tmp *t)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/mpio-test-supported.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/supported-devices", t->dir);
}

/* Files in t->dir: the list, and no temporary file left behind. */
static int tmp_count_files(const struct tmp *t)
{
	DIR *d = opendir(t->dir);
	struct dirent *de;
	int n = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void tmp_remove(struct tmp *t)
{
	(void)unlink(t->path);
	CU_ASSERT_EQUAL(rmdir(t->dir), 0);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	CU_ASSERT_EQUAL(fclose(f), 0);
}

/* The file's content; the caller frees it. */
static char *get(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = calloc(1, 4096);
	size_t n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	n = fread(buf, 1, 4095, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

#define ASSERT_FILE(path, expect)                              \
	do {                                                   \
		_cleanup_free_ char *_c = get(path);           \
		CU_ASSERT_STRING_EQUAL(_c, expect);            \
		if (strcmp(_c, expect))                        \
			fprintf(stderr, "got:\n[%s]\n", _c);   \
	} while (0)

static const char commented[] = "# Supported arrays.\n"
				"\n"
				"   # keep this indented comment\n"
				"IBM     2145\n"
				"# NetApp, keep me\n"
				"NETAPP  LUN\n"
				"\n";

static void test_add(void)
{
	struct tmp t;
	struct mp_parse_error err = {};
	struct stat st;

	tmp_make(&t);

	/* a missing file is created */
	CU_ASSERT_EQUAL(mp_supported_file_add(t.path, "bus:iscsi", &err), 0);
	ASSERT_FILE(t.path, "bus:iscsi\n");
	CU_ASSERT_EQUAL(stat(t.path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 07777, 0644);

	/* comments and blank lines are kept byte for byte, the mode too */
	put(t.path, commented);
	CU_ASSERT_EQUAL(chmod(t.path, 0640), 0);
	CU_ASSERT_EQUAL(mp_supported_file_add(t.path, "PURE    FlashArray", &err), 0);
	CU_ASSERT_EQUAL(mp_supported_file_add(t.path, "DGC     ", &err), 0);
	CU_ASSERT_EQUAL(mp_supported_file_add(t.path, "BUS:Sas", &err), 0);
	ASSERT_FILE(t.path, "# Supported arrays.\n"
			    "\n"
			    "   # keep this indented comment\n"
			    "IBM     2145\n"
			    "# NetApp, keep me\n"
			    "NETAPP  LUN\n"
			    "\n"
			    "PURE    FlashArray\n"
			    "\"DGC     \"\n"
			    "bus:sas\n");
	CU_ASSERT_EQUAL(stat(t.path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 07777, 0640);
	CU_ASSERT_EQUAL(tmp_count_files(&t), 1);

	/* a file without a final newline gets one before the new entry */
	put(t.path, "IBM     2145");
	CU_ASSERT_EQUAL(mp_supported_file_add(t.path, "bus:fc", &err), 0);
	ASSERT_FILE(t.path, "IBM     2145\nbus:fc\n");

	tmp_remove(&t);
}

static void test_add_quoting_round_trip(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	_cleanup_(mp_supported_unrefp) struct mp_supported *list = NULL;
	static const char *const entries[] = {
		"DGC     ", " LEADING", "#HASHVEN", "\"QUOTED", "ENDS\"", "bus:fc",
		"VENDOR1 PRODUCT1        ", "A",
	};
	struct mp_parse_error err = {};
	struct tmp t;

	tmp_make(&t);
	for (size_t i = 0; i < ARRAY_SIZE(entries); i++)
		CU_ASSERT_EQUAL(mp_supported_file_add(t.path, entries[i], &err), 0);
	ASSERT_FILE(t.path, "\"DGC     \"\n"
			    "\" LEADING\"\n"
			    "\"#HASHVEN\"\n"
			    "\"\"QUOTED\"\n"
			    "ENDS\"\n"
			    "bus:fc\n"
			    "\"VENDOR1 PRODUCT1        \"\n"
			    "A\n");
	CU_ASSERT_EQUAL_FATAL(mp_supported_parse_file(ctx, t.path, &list, &err), 0);
	CU_ASSERT_EQUAL_FATAL(mp_supported_count(list), (int)ARRAY_SIZE(entries));
	for (unsigned i = 0; i < ARRAY_SIZE(entries); i++) {
		const char *text;

		CU_ASSERT_EQUAL(mp_supported_get_entry(list, i, &text, NULL, NULL), 0);
		CU_ASSERT_STRING_EQUAL(text, entries[i]);
	}
	tmp_remove(&t);
}

static void test_add_errors(void)
{
	struct tmp t;
	struct mp_parse_error err = {};
	static const char bad[] = "IBM     2145\nbus:token-ring\n";

	tmp_make(&t);
	put(t.path, commented);

	/* already there, in any case: -EEXIST naming the line */
	CU_ASSERT_EQUAL(mp_supported_file_add(t.path, "netapp  lun", &err), -EEXIST);
	CU_ASSERT_STRING_EQUAL(err.file, t.path);
	CU_ASSERT_EQUAL(err.line, 6);
	CU_ASSERT_STRING_EQUAL(err.msg, "entry \"netapp  lun\" is already listed");
	ASSERT_FILE(t.path, commented);

	/* invalid entries */
	CU_ASSERT_EQUAL(mp_supported_file_add(t.path, "VENDOR12PRODUCT-123456789", &err), -EINVAL);
	CU_ASSERT_EQUAL(err.line, 0);
	CU_ASSERT_STRING_EQUAL(err.msg, "entry is 25 characters long, at most 24 are allowed"
					" (8 vendor + 16 product)");
	CU_ASSERT_EQUAL(mp_supported_file_add(t.path, "bus:usb", &err), -EINVAL);
	CU_ASSERT_STRING_EQUAL(err.msg, "unknown bus type \"usb\", expected iscsi, fc or sas");
	CU_ASSERT_EQUAL(mp_supported_file_add(t.path, "", &err), -EINVAL);
	CU_ASSERT_STRING_EQUAL(err.msg, "empty entry");
	CU_ASSERT_EQUAL(mp_supported_file_add(t.path, "IBM\n", &err), -EINVAL);
	CU_ASSERT_STRING_EQUAL(err.msg, "non-printable character 0x0a in entry");
	CU_ASSERT_EQUAL(mp_supported_file_add(t.path, NULL, &err), -EINVAL);
	CU_ASSERT_EQUAL(mp_supported_file_add(NULL, "IBM", &err), -EINVAL);
	ASSERT_FILE(t.path, commented);

	/* a file that does not parse is not touched */
	put(t.path, bad);
	CU_ASSERT_EQUAL(mp_supported_file_add(t.path, "PURE    FlashArray", &err), -EBADMSG);
	CU_ASSERT_EQUAL(err.line, 2);
	CU_ASSERT_STRING_EQUAL(err.msg,
			       "unknown bus type \"token-ring\", expected iscsi, fc or sas");
	CU_ASSERT_EQUAL(mp_supported_file_remove(t.path, "IBM     2145", &err), -EBADMSG);
	ASSERT_FILE(t.path, bad);

	/* works without an error struct */
	CU_ASSERT_EQUAL(mp_supported_file_add(t.path, "IBM     2145", NULL), -EBADMSG);
	CU_ASSERT_EQUAL(tmp_count_files(&t), 1);
	tmp_remove(&t);

	/* a directory that does not exist */
	CU_ASSERT_EQUAL(mp_supported_file_add("/nonexistent-mpio-dir/list", "IBM", &err), -ENOENT);
	CU_ASSERT_EQUAL(err.line, 0);
}

static void test_remove(void)
{
	struct tmp t;
	struct mp_parse_error err = {};
	struct stat st;

	tmp_make(&t);

	CU_ASSERT_EQUAL(mp_supported_file_remove(t.path, "IBM     2145", &err), -ENOENT);

	put(t.path, commented);
	CU_ASSERT_EQUAL(chmod(t.path, 0600), 0);
	/* in any case; the comment above it stays */
	CU_ASSERT_EQUAL(mp_supported_file_remove(t.path, "netapp  LUN", &err), 0);
	ASSERT_FILE(t.path, "# Supported arrays.\n"
			    "\n"
			    "   # keep this indented comment\n"
			    "IBM     2145\n"
			    "# NetApp, keep me\n"
			    "\n");
	CU_ASSERT_EQUAL(stat(t.path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 07777, 0600);

	/* not there: -ENOENT, and a prefix of an entry is not the entry */
	CU_ASSERT_EQUAL(mp_supported_file_remove(t.path, "NETAPP  LUN", &err), -ENOENT);
	CU_ASSERT_STRING_EQUAL(err.msg, "entry \"NETAPP  LUN\" is not listed");
	CU_ASSERT_EQUAL(mp_supported_file_remove(t.path, "IBM", &err), -ENOENT);
	CU_ASSERT_EQUAL(mp_supported_file_remove(t.path, "IBM     2145 ", &err), -ENOENT);

	/* quoted entries, bus entries, a last line without newline */
	put(t.path, "\t\"DGC     \"  \nbus:iscsi\n# end\nPURE    FlashArray");
	CU_ASSERT_EQUAL(mp_supported_file_remove(t.path, "DGC", &err), -ENOENT);
	CU_ASSERT_EQUAL(mp_supported_file_remove(t.path, "DGC     ", &err), 0);
	CU_ASSERT_EQUAL(mp_supported_file_remove(t.path, "bus:ISCSI", &err), 0);
	CU_ASSERT_EQUAL(mp_supported_file_remove(t.path, "pure    flasharray", &err), 0);
	ASSERT_FILE(t.path, "# end\n");
	CU_ASSERT_EQUAL(tmp_count_files(&t), 1);

	/* add, then remove: back to the same bytes */
	put(t.path, commented);
	CU_ASSERT_EQUAL(mp_supported_file_add(t.path, "HITACHI OPEN-", &err), 0);
	CU_ASSERT_EQUAL(mp_supported_file_remove(t.path, "HITACHI OPEN-", &err), 0);
	ASSERT_FILE(t.path, commented);

	tmp_remove(&t);
}

/* Thousands of entries: a duplicate far from its first, in another case. */
static void test_many_entries(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	size_t len = 5000 * 32 + 64, off = 0;
	struct mp_supported *list = NULL;
	struct mp_parse_error err = {};
	char *text = malloc(len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	off += (size_t)snprintf(text + off, len - off, "bus:fc\n");
	for (unsigned i = 0; i < 5000; i++)
		off += (size_t)snprintf(text + off, len - off, "\"VEND%04uPROD%012u\"\n", i % 100, i);
	list = parse_ok(ctx, text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(list);
	CU_ASSERT_EQUAL(mp_supported_count(list), 5001);
	CU_ASSERT_EQUAL(mp_supported_match(list, "VEND0042", "PROD000000004242", MP_TRANSPORT_OTHER), 4243);
	list = mp_supported_unref(list);
	snprintf(text + off, len - off, "vend0042prod000000004242\n");
	CU_ASSERT_EQUAL(mp_supported_parse_string(ctx, text, "big", &list, &err), -EBADMSG);
	CU_ASSERT_EQUAL(err.line, 5002);
	CU_ASSERT_STRING_EQUAL(err.msg, "duplicate entry, first given on line 4244");
	CU_ASSERT_PTR_NULL(list);
	free(text);
}

static void test_add_many(void)
{
	static const char *const two[] = { "\"PURE    FlashArray\"", "\"HP      OPEN-           \"" };
	static const char *const dup[] = { "\"A       B\"", "\"a       b\"" };
	static const char *const listed[] = { "\"ACME    X\"", "\"NETAPP  LUN\"" };
	struct mp_parse_error err = {};
	char want[sizeof(commented) + 64];
	struct tmp t;

	tmp_make(&t);
	put(t.path, commented);
	/* all at once, in order, quoted as they must be, after the file as it was */
	CU_ASSERT_EQUAL(mp_supported_file_add_many(t.path, two, 2, &err), 0);
	snprintf(want, sizeof(want), "%sPURE    FlashArray\n\"HP      OPEN-           \"\n",
		 commented);
	ASSERT_FILE(t.path, want);
	CU_ASSERT_EQUAL(tmp_count_files(&t), 1);

	/* or none: one listed already, or one given twice */
	put(t.path, commented);
	CU_ASSERT_EQUAL(mp_supported_file_add_many(t.path, listed, 2, &err), -EEXIST);
	CU_ASSERT_EQUAL(err.line, 6);
	CU_ASSERT_STRING_EQUAL(err.msg, "entry \"NETAPP  LUN\" is already listed");
	CU_ASSERT_EQUAL(mp_supported_file_add_many(t.path, dup, 2, &err), -EINVAL);
	CU_ASSERT_STRING_EQUAL(err.msg, "entry \"a       b\" is given twice");
	ASSERT_FILE(t.path, commented);

	/* nothing to add writes nothing, and creates no file */
	CU_ASSERT_EQUAL(mp_supported_file_add_many(t.path, NULL, 0, &err), 0);
	ASSERT_FILE(t.path, commented);
	tmp_remove(&t);
	tmp_make(&t);
	CU_ASSERT_EQUAL(mp_supported_file_add_many(t.path, NULL, 0, &err), 0);
	CU_ASSERT_EQUAL(tmp_count_files(&t), 0);
	CU_ASSERT_EQUAL(mp_supported_file_add_many(t.path, NULL, 1, &err), -EINVAL);
	tmp_remove(&t);
}

static const struct unit_test tests[] = {
	{ "transport names", test_transport_names },
	{ "parse entries, comments, quoting", test_parse_entries },
	{ "empty lists", test_empty_lists },
	{ "ref, unref and arguments", test_ref_unref_and_args },
	{ "match: padding, prefix, case, underscore", test_match_vendor_product },
	{ "match: bus types", test_match_bus },
	{ "match: bad arguments", test_match_bad_args },
	{ "every error message with its line", test_errors },
	{ "thousands of entries", test_many_entries },
	{ "parse files: sample, fixtures, missing", test_parse_files },
	{ "add keeps comments and mode", test_add },
	{ "add quotes what needs it", test_add_quoting_round_trip },
	{ "add errors leave the file alone", test_add_errors },
	{ "remove", test_remove },
	{ "add many entries in one write, or none", test_add_many },
};

UNIT_MAIN("supported", tests)
