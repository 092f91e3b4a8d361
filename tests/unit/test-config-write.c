/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writing mpio.conf (libmp/config.c): mp_config_format() writes what the
 * parser reads back to the same values, mp_config_section_check() refuses
 * with the parser's own words, and mp_config_load_overlay() reads a drop-in
 * that is not on disk in its place among the others.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libmp-private.h"
#include "unit.h"

#define CONFDIR MPIO_FIXTURES "/config"

static struct mp_ctx *new_ctx(void)
{
	struct mp_ctx *ctx = NULL;

	CU_ASSERT_EQUAL_FATAL(mp_ctx_new(&ctx), 0);
	return ctx;
}

static struct mp_settings resolve(const struct mp_config *cfg, const char *vendor,
				  const char *product, const char *wwid)
{
	struct mp_settings s;

	CU_ASSERT_EQUAL_FATAL(mp_config_resolve(cfg, vendor, product, wwid, 0, &s), 0);
	return s;
}

static void test_format_round_trip(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	_cleanup_(mp_config_unrefp) struct mp_config *cfg = NULL;
	_cleanup_free_ char *text = NULL;
	struct mp_parse_error err = {};
	struct mp_config_section s[3] = {
		{ .kind = MP_CONFIG_DEFAULTS,
		  .mask = 1u << MP_SETTING_NO_PATH_RETRY | 1u << MP_SETTING_CHECK_INTERVAL |
			  1u << MP_SETTING_USER_FRIENDLY_NAMES,
		  .v = { .no_path_retry = MP_NO_PATH_TIMEOUT, .no_path_timeout = 120,
			 .check_interval = 10, .user_friendly_names = true },
		  .setting_comment[MP_SETTING_NO_PATH_RETRY] = "from no_path_retry 12\n\nline 3" },
		{ .kind = MP_CONFIG_DEVICE, .vendor = "NETAPP", .product = "LUN",
		  .mask = 1u << MP_SETTING_FAILBACK | 1u << MP_SETTING_PG_INIT_DELAY_MSEC |
			  1u << MP_SETTING_HW_HANDLER,
		  .v = { .failback = MP_FAILBACK_DEFERRED, .failback_secs = 30,
			 .pg_init_delay_msecs = 2500, .hw_handler = MP_HW_HANDLER_ALUA },
		  .comment = "an array" },
		{ .kind = MP_CONFIG_MAP, .wwid = "3600a0b8", .mask = 1u << MP_SETTING_ALIAS,
		  .v = { .alias = "db" } },
	};
	struct mp_settings v;

	CU_ASSERT_EQUAL_FATAL(mp_config_format("header\nsecond line", s, 3, &text), 0);
	CU_ASSERT_STRING_EQUAL(text,
			       "# header\n"
			       "# second line\n"
			       "\n"
			       "[Defaults]\n"
			       "# from no_path_retry 12\n"
			       "#\n"
			       "# line 3\n"
			       "NoPathRetry=120\n"
			       "CheckInterval=10\n"
			       "UserFriendlyNames=yes\n"
			       "\n"
			       "# an array\n"
			       "[Device]\n"
			       "Vendor=NETAPP\n"
			       "Product=LUN\n"
			       "HardwareHandler=alua\n"
			       "Failback=30\n"
			       "PgInitDelayMsec=2500\n"
			       "\n"
			       "[Map]\n"
			       "WWID=3600a0b8\n"
			       "Alias=db\n");
	CU_ASSERT_EQUAL_FATAL(mp_config_parse_string(ctx, text, "w.conf", &cfg, &err), 0);
	/* [Defaults] is below the built-in entry of NETAPP LUN: ask for another device */
	v = resolve(cfg, "OTHER", "LUN", NULL);
	CU_ASSERT_EQUAL(v.no_path_retry, MP_NO_PATH_TIMEOUT);
	CU_ASSERT_EQUAL(v.no_path_timeout, 120);
	CU_ASSERT_EQUAL(v.check_interval, 10);
	CU_ASSERT_TRUE(v.user_friendly_names);
	CU_ASSERT_STRING_EQUAL(v.origin[MP_SETTING_NO_PATH_RETRY], "w.conf:8 [Defaults]");
	v = resolve(cfg, "NETAPP", "LUN", "3600a0b8");
	CU_ASSERT_EQUAL(v.failback, MP_FAILBACK_DEFERRED);
	CU_ASSERT_EQUAL(v.failback_secs, 30);
	CU_ASSERT_EQUAL(v.pg_init_delay_msecs, 2500);
	CU_ASSERT_EQUAL(v.hw_handler, MP_HW_HANDLER_ALUA);
	CU_ASSERT_STRING_EQUAL(v.alias, "db");

	/* nothing at all, a header alone */
	free(text);
	text = NULL;
	CU_ASSERT_EQUAL(mp_config_format(NULL, NULL, 0, &text), 0);
	CU_ASSERT_STRING_EQUAL(text, "");
	free(text);
	text = NULL;
	CU_ASSERT_EQUAL(mp_config_format("only", NULL, 0, &text), 0);
	CU_ASSERT_STRING_EQUAL(text, "# only\n");
}

/* Every setting of every value form: formatted, it parses back to the same value. */
static void test_format_every_setting(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();

	for (int id = 0; id < _MP_SETTING_MAX; id++) {
		_cleanup_(mp_config_unrefp) struct mp_config *cfg = NULL;
		_cleanup_free_ char *text = NULL;
		struct mp_parse_error err = {};
		struct mp_config_section s = {
			.kind = id == MP_SETTING_ALIAS ? MP_CONFIG_MAP : MP_CONFIG_DEFAULTS,
			.wwid = id == MP_SETTING_ALIAS ? "36001" : NULL,
			.mask = 1u << id,
			.v = { .pg_policy = MP_PG_GROUP_BY_TPG, .selector = MP_SELECTOR_IO_AFFINITY,
			       .hw_handler = MP_HW_HANDLER_HP_SW, .failback = MP_FAILBACK_FOLLOWOVER,
			       .no_path_retry = MP_NO_PATH_QUEUE, .checker = MP_CHECKER_NONE,
			       .check_interval = 3600, .user_friendly_names = true,
			       .remove_timeout = 0, .pg_init_retries = 50, .pg_init_delay_msecs = -1,
			       .write_quiesce_msecs = 0, .fast_io_fail_tmo = MP_TMO_OFF,
			       .dev_loss_tmo = MP_DEV_LOSS_INFINITY, .iscsi_recovery_tmo = 86400,
			       .eh_deadline = 0, .max_sectors_kb = 4, .alias = "a-name" },
		};
		char a[MP_SETTING_VALUE_MAX], b[MP_SETTING_VALUE_MAX];
		struct mp_settings v;

		CU_ASSERT_EQUAL_FATAL(mp_config_format(NULL, &s, 1, &text), 0);
		CU_ASSERT_EQUAL_FATAL(mp_config_parse_string(ctx, text, "x", &cfg, &err), 0);
		v = resolve(cfg, "X", "Y", s.wwid);
		CU_ASSERT_STRING_EQUAL(mp_settings_value(&v, id, a, sizeof(a)),
				       mp_settings_value(&s.v, id, b, sizeof(b)));
		CU_ASSERT_STRING_NOT_EQUAL(v.origin[id], "default");
	}
}

static void check_refused(const struct mp_config_section *s, const char *msg)
{
	char buf[256] = "";
	_cleanup_free_ char *text = NULL;

	CU_ASSERT_EQUAL(mp_config_section_check(s, buf, sizeof(buf)), -EINVAL);
	if (strcmp(buf, msg) != 0)
		fprintf(stderr, "\n    got \"%s\"\n    expected \"%s\"\n", buf, msg);
	CU_ASSERT_STRING_EQUAL(buf, msg);
	/* what does not check is not written */
	CU_ASSERT_EQUAL(mp_config_format(NULL, s, 1, &text), -EINVAL);
	CU_ASSERT_PTR_NULL(text);
}

static void test_section_check(void)
{
	char buf[256];

	check_refused(&(struct mp_config_section){ .kind = MP_CONFIG_DEFAULTS,
						   .mask = 1u << MP_SETTING_NO_PATH_RETRY,
						   .v.no_path_retry = MP_NO_PATH_TIMEOUT,
						   .v.no_path_timeout = 90000 },
		      "invalid NoPathRetry= value \"90000\": expected queue, fail or seconds "
		      "(1..86400)");
	check_refused(&(struct mp_config_section){ .kind = MP_CONFIG_DEFAULTS,
						   .mask = 1u << MP_SETTING_FAILBACK,
						   .v.failback = MP_FAILBACK_DEFERRED },
		      "invalid Failback= value \"0\": expected immediate, manual, followover or "
		      "seconds (1..86400)");
	check_refused(&(struct mp_config_section){ .kind = MP_CONFIG_DEFAULTS,
						   .mask = 1u << MP_SETTING_PG_INIT_RETRIES,
						   .v.pg_init_retries = 51 },
		      "invalid PgInitRetries= value \"51\": expected a count (0..50)");
	check_refused(&(struct mp_config_section){ .kind = MP_CONFIG_DEVICE, .vendor = "X",
						   .mask = 1u << MP_SETTING_ALIAS, .v.alias = "a" },
		      "Alias= is only valid in [Map], not in [Device]");
	check_refused(&(struct mp_config_section){ .kind = MP_CONFIG_MAP, .wwid = "1",
						   .mask = 1u << MP_SETTING_ALIAS, .v.alias = "a/b" },
		      "invalid Alias= value \"a/b\": expected 1..127 printable ASCII characters, "
		      "no blanks or '/', not \".\", \"..\" or \"control\"");
	check_refused(&(struct mp_config_section){ .kind = MP_CONFIG_MAP, .wwid = "1",
						   .mask = 1u << MP_SETTING_ALIAS },
		      "Alias= has no value");
	check_refused(&(struct mp_config_section){ .kind = MP_CONFIG_DEVICE, .product = "LUN" },
		      "[Device] section has no Vendor=");
	check_refused(&(struct mp_config_section){ .kind = MP_CONFIG_MAP },
		      "[Map] section has no WWID=");
	check_refused(&(struct mp_config_section){ .kind = MP_CONFIG_DEVICE, .vendor = "LONGVENDOR" },
		      "Vendor= value \"LONGVENDOR\" is 10 characters long, at most 8 are allowed");
	check_refused(&(struct mp_config_section){ .kind = MP_CONFIG_DEVICE, .vendor = "A",
						   .product = "LUN " },
		      "Product= value \"LUN \" cannot be written: it is empty, has a control "
		      "character or a blank at an end");
	check_refused(&(struct mp_config_section){ .kind = MP_CONFIG_MAP, .wwid = "36 00" },
		      "invalid WWID= value \"36 00\": expected up to 259 printable ASCII "
		      "characters, no blanks");
	check_refused(&(struct mp_config_section){ .kind = MP_CONFIG_DEFAULTS, .wwid = "1" },
		      "WWID= is only valid in [Map], not in [Defaults]");
	check_refused(&(struct mp_config_section){ .kind = MP_CONFIG_DEFAULTS,
						   .mask = 1u << MP_SETTING_SELECTOR,
						   .v.selector = _MP_SELECTOR_MAX },
		      "PathSelector= has no value");
	check_refused(&(struct mp_config_section){ .kind = _MP_CONFIG_SECTION_MAX },
		      "unknown section kind 3");

	CU_ASSERT_EQUAL(mp_config_section_check(&(struct mp_config_section){
							.kind = MP_CONFIG_DEVICE,
							.vendor = "A B", .product = "Compellent Vol" },
						buf, sizeof(buf)), 0);
	CU_ASSERT_EQUAL(mp_config_section_check(NULL, buf, sizeof(buf)), -EINVAL);
	/* no room for the message is fine */
	CU_ASSERT_EQUAL(mp_config_section_check(&(struct mp_config_section){ .kind = MP_CONFIG_MAP },
						NULL, 0), -EINVAL);
}

static void test_format_comments(void)
{
	_cleanup_free_ char *text = NULL;
	struct mp_config_section s = { .kind = MP_CONFIG_DEFAULTS, .comment = "cr\rhere" };

	/* a control character would break the file; a tab would not */
	CU_ASSERT_EQUAL(mp_config_format(NULL, &s, 1, &text), -EINVAL);
	CU_ASSERT_EQUAL(mp_config_format("bell\a", NULL, 0, &text), -EINVAL);
	CU_ASSERT_PTR_NULL(text);
	/* nor would bytes above ASCII: the parser takes them in comments */
	s.comment = "déjà\tvu\n";
	CU_ASSERT_EQUAL(mp_config_format(NULL, &s, 1, &text), 0);
	CU_ASSERT_STRING_EQUAL(text, "# déjà\tvu\n[Defaults]\n");
	CU_ASSERT_EQUAL(mp_config_format(NULL, NULL, 1, &text), -EINVAL);
}

static void test_overlay(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	struct mp_config *cfg = NULL;
	struct mp_parse_error err = {};
	struct mp_settings s;

	/* between the two drop-ins: 20-later.conf still wins */
	CU_ASSERT_EQUAL_FATAL(mp_config_load_overlay(ctx, CONFDIR "/good", "15-x.conf",
						     "[Defaults]\nCheckInterval=7\nRemoveTimeout=9\n",
						     &cfg, &err), 0);
	s = resolve(cfg, "ACME", "Box", NULL);
	CU_ASSERT_EQUAL(s.check_interval, 30);
	CU_ASSERT_EQUAL(s.remove_timeout, 9);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_REMOVE_TIMEOUT],
			       CONFDIR "/good/mpio.conf.d/15-x.conf:3 [Defaults]");
	CU_ASSERT_TRUE(mp_config_read_main_file(cfg));
	cfg = mp_config_unref(cfg);

	/* last */
	CU_ASSERT_EQUAL_FATAL(mp_config_load_overlay(ctx, CONFDIR "/good", "99-x.conf",
						     "[Defaults]\nCheckInterval=7\n", &cfg, &err), 0);
	CU_ASSERT_EQUAL(resolve(cfg, "A", "B", NULL).check_interval, 7);
	cfg = mp_config_unref(cfg);

	/* in the place of a file of its name: 20-later.conf is not read */
	CU_ASSERT_EQUAL_FATAL(mp_config_load_overlay(ctx, CONFDIR "/good", "20-later.conf", "",
						     &cfg, &err), 0);
	s = resolve(cfg, "ACME", "Box", NULL);
	CU_ASSERT_EQUAL(s.check_interval, 20);
	CU_ASSERT_EQUAL(s.no_path_retry, MP_NO_PATH_QUEUE);
	cfg = mp_config_unref(cfg);

	/* first, in a directory without drop-ins */
	CU_ASSERT_EQUAL_FATAL(mp_config_load_overlay(ctx, CONFDIR "/no-such-dir", "00-a.conf",
						     "[Defaults]\nCheckInterval=3\n", &cfg, &err), 0);
	CU_ASSERT_EQUAL(resolve(cfg, "A", "B", NULL).check_interval, 3);
	cfg = mp_config_unref(cfg);

	/* its errors name it where it would be */
	CU_ASSERT_EQUAL(mp_config_load_overlay(ctx, CONFDIR "/good", "50-imp.conf",
					       "[Map]\nWWID=3600a0b800022222\n", &cfg, &err),
			-EBADMSG);
	CU_ASSERT_PTR_NULL(cfg);
	CU_ASSERT_STRING_EQUAL(err.file, CONFDIR "/good/mpio.conf.d/50-imp.conf");
	CU_ASSERT_EQUAL(err.line, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "duplicate [Map] section for WWID 3600a0b800022222"));

	/* names mpiod would not read */
	CU_ASSERT_EQUAL(mp_config_load_overlay(ctx, CONFDIR "/good", "x.txt", "", &cfg, &err), -EINVAL);
	CU_ASSERT_EQUAL(mp_config_load_overlay(ctx, CONFDIR "/good", ".x.conf", "", &cfg, &err), -EINVAL);
	CU_ASSERT_EQUAL(mp_config_load_overlay(ctx, CONFDIR "/good", "a/b.conf", "", &cfg, &err), -EINVAL);
	CU_ASSERT_EQUAL(mp_config_load_overlay(ctx, CONFDIR "/good", "a.conf", NULL, &cfg, &err), -EINVAL);
	CU_ASSERT_PTR_NULL(cfg);
}

static void test_dropin_names(void)
{
	CU_ASSERT_TRUE(mp_config_dropin_name_valid("50-imported.conf"));
	CU_ASSERT_TRUE(mp_config_dropin_name_valid("x.conf"));
	CU_ASSERT_FALSE(mp_config_dropin_name_valid(".conf"));
	CU_ASSERT_FALSE(mp_config_dropin_name_valid(".x.conf"));
	CU_ASSERT_FALSE(mp_config_dropin_name_valid("x.conf.bak"));
	CU_ASSERT_FALSE(mp_config_dropin_name_valid("d/x.conf"));
	CU_ASSERT_FALSE(mp_config_dropin_name_valid(""));
	CU_ASSERT_FALSE(mp_config_dropin_name_valid(NULL));
}

static const struct unit_test tests[] = {
	{ "format: text, and it parses back", test_format_round_trip },
	{ "format: every setting parses back to its value", test_format_every_setting },
	{ "section check: the parser's own messages", test_section_check },
	{ "format: comments", test_format_comments },
	{ "load with an overlay drop-in", test_overlay },
	{ "drop-in names", test_dropin_names },
};

UNIT_MAIN("config-write", tests)
