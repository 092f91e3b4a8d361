/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mpio.conf: enum names, defaults, the built-in device table (lookups,
 * matching rules, generic ALUA), precedence map > device > built-in >
 * defaults with the origin of every value, conf.d ordering, every error
 * message with its line, and all-or-nothing loading.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config-private.h"
#include "fileio.h"
#include "libmp-private.h"
#include "unit.h"

#define CONFDIR MPIO_FIXTURES "/config"

static struct mp_ctx *new_ctx(void)
{
	struct mp_ctx *ctx = NULL;

	CU_ASSERT_EQUAL_FATAL(mp_ctx_new(&ctx), 0);
	return ctx;
}

static struct mp_config *parse_ok(struct mp_ctx *ctx, const char *text)
{
	struct mp_config *cfg = NULL;
	struct mp_parse_error err = {};
	int r = mp_config_parse_string(ctx, text, "test.conf", &cfg, &err);

	if (r < 0)
		fprintf(stderr, "unexpected: %s:%u: %s\n", err.file, err.line, err.msg);
	CU_ASSERT_EQUAL_FATAL(r, 0);
	return cfg;
}

static struct mp_settings resolve(const struct mp_config *cfg, const char *vendor,
				  const char *product, const char *wwid, unsigned flags)
{
	struct mp_settings s;

	memset(&s, 0xff, sizeof(s));
	CU_ASSERT_EQUAL_FATAL(mp_config_resolve(cfg, vendor, product, wwid, flags, &s), 0);
	return s;
}

static void test_names(void)
{
	CU_ASSERT_STRING_EQUAL(mp_pg_policy_to_string(MP_PG_GROUP_BY_TPG), "group_by_tpg");
	CU_ASSERT_EQUAL(mp_pg_policy_from_string("Group_By_Prio"), MP_PG_GROUP_BY_PRIO);
	CU_ASSERT_EQUAL(mp_pg_policy_from_string("bogus"), _MP_PG_POLICY_INVALID);
	CU_ASSERT_PTR_NULL(mp_pg_policy_to_string(_MP_PG_POLICY_MAX));
	for (int i = 0; i < _MP_SELECTOR_MAX; i++)
		CU_ASSERT_EQUAL(mp_selector_from_string(mp_selector_to_string(i)), i);
	CU_ASSERT_STRING_EQUAL(mp_selector_to_string(MP_SELECTOR_HISTORICAL_SERVICE_TIME),
			       "historical-service-time");
	CU_ASSERT_PTR_NULL(mp_selector_to_string(-1));
	CU_ASSERT_STRING_EQUAL(mp_hw_handler_to_string(MP_HW_HANDLER_HP_SW), "hp_sw");
	CU_ASSERT_EQUAL(mp_hw_handler_from_string(NULL), _MP_HW_HANDLER_INVALID);
	CU_ASSERT_STRING_EQUAL(mp_checker_type_to_string(MP_CHECKER_DIRECTIO), "directio");
	CU_ASSERT_EQUAL(mp_checker_type_from_string("TUR"), MP_CHECKER_TUR);
	CU_ASSERT_STRING_EQUAL(mp_setting_to_string(MP_SETTING_NO_PATH_RETRY), "NoPathRetry");
	CU_ASSERT_EQUAL(mp_setting_from_string("PgInitDelayMsec"), MP_SETTING_PG_INIT_DELAY_MSEC);
	CU_ASSERT_EQUAL(mp_setting_from_string("WriteQuiesceMsec"), MP_SETTING_WRITE_QUIESCE_MSEC);
	CU_ASSERT_STRING_EQUAL(mp_setting_to_string(MP_SETTING_WRITE_QUIESCE_MSEC), "WriteQuiesceMsec");
	CU_ASSERT_EQUAL(mp_setting_from_string("FastIoFailTimeout"), MP_SETTING_FAST_IO_FAIL_TMO);
	CU_ASSERT_EQUAL(mp_setting_from_string("DevLossTimeout"), MP_SETTING_DEV_LOSS_TMO);
	CU_ASSERT_EQUAL(mp_setting_from_string("IscsiRecoveryTimeout"), MP_SETTING_ISCSI_RECOVERY_TMO);
	CU_ASSERT_EQUAL(mp_setting_from_string("EhDeadline"), MP_SETTING_EH_DEADLINE);
	CU_ASSERT_EQUAL(mp_setting_from_string("MaxSectorsKb"), MP_SETTING_MAX_SECTORS_KB);
	CU_ASSERT_EQUAL(mp_setting_from_string("nopathretry"), _MP_SETTING_INVALID);
	CU_ASSERT_PTR_NULL(mp_setting_to_string(_MP_SETTING_MAX));
}

static void test_defaults(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	_cleanup_(mp_config_unrefp) struct mp_config *cfg = parse_ok(ctx, "");
	struct mp_settings s = resolve(cfg, "NOBODY", "Nothing", "3600", 0);

	CU_ASSERT_EQUAL(s.pg_policy, MP_PG_FAILOVER);
	CU_ASSERT_EQUAL(s.selector, MP_SELECTOR_SERVICE_TIME);
	CU_ASSERT_EQUAL(s.hw_handler, MP_HW_HANDLER_NONE);
	CU_ASSERT_EQUAL(s.failback, MP_FAILBACK_MANUAL);
	CU_ASSERT_EQUAL(s.failback_secs, 0);
	CU_ASSERT_EQUAL(s.no_path_retry, MP_NO_PATH_FAIL);
	CU_ASSERT_EQUAL(s.no_path_timeout, 0);
	CU_ASSERT_EQUAL(s.checker, MP_CHECKER_TUR);
	CU_ASSERT_EQUAL(s.check_interval, 5);
	CU_ASSERT_FALSE(s.user_friendly_names);
	CU_ASSERT_EQUAL(s.remove_timeout, 300);
	CU_ASSERT_EQUAL(s.pg_init_retries, 0);
	CU_ASSERT_EQUAL(s.pg_init_delay_msecs, -1);
	CU_ASSERT_EQUAL(s.write_quiesce_msecs, -1);
	/* the transport: 5 s to fail over on FC and iSCSI, the rest the kernel's */
	CU_ASSERT_EQUAL(s.fast_io_fail_tmo, 5);
	CU_ASSERT_EQUAL(s.dev_loss_tmo, MP_TMO_UNSET);
	CU_ASSERT_EQUAL(s.iscsi_recovery_tmo, 5);
	CU_ASSERT_EQUAL(s.eh_deadline, MP_TMO_UNSET);
	CU_ASSERT_EQUAL(s.max_sectors_kb, MP_TMO_UNSET);
	CU_ASSERT_PTR_NULL(s.alias);
	for (int i = 0; i < _MP_SETTING_MAX; i++)
		CU_ASSERT_STRING_EQUAL(s.origin[i], "default");
	/* NULL wwid: no map section applies, that is all */
	s = resolve(cfg, "NOBODY", "Nothing", NULL, 0);
	CU_ASSERT_EQUAL(s.pg_policy, MP_PG_FAILOVER);
}

static void test_builtin_lookups(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	_cleanup_(mp_config_unrefp) struct mp_config *cfg = parse_ok(ctx, "");
	struct mp_settings s;

	s = resolve(cfg, "NETAPP", "LUN", NULL, 0);
	CU_ASSERT_EQUAL(s.pg_policy, MP_PG_GROUP_BY_PRIO);
	CU_ASSERT_EQUAL(s.hw_handler, MP_HW_HANDLER_ALUA);
	CU_ASSERT_EQUAL(s.failback, MP_FAILBACK_IMMEDIATE);
	CU_ASSERT_EQUAL(s.no_path_retry, MP_NO_PATH_QUEUE);
	CU_ASSERT_EQUAL(s.pg_init_retries, 50);
	CU_ASSERT_EQUAL(s.selector, MP_SELECTOR_SERVICE_TIME);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_PG_POLICY], "built-in device table: NETAPP LUN");
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_PG_INIT_RETRIES],
			       "built-in device table: NETAPP LUN");
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_SELECTOR], "default");

	/* padded INQUIRY strings with sysfs' newline, other case, longer product: same entry */
	s = resolve(cfg, "netapp  ", "LUN C-Mode      \n", NULL, 0);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_PG_POLICY], "built-in device table: NETAPP LUN");
	/* E-Series is another entry of the same vendor */
	s = resolve(cfg, "NETAPP", "INF-01-00", NULL, MP_RESOLVE_TPGS);
	CU_ASSERT_EQUAL(s.hw_handler, MP_HW_HANDLER_RDAC);
	CU_ASSERT_EQUAL(s.no_path_retry, MP_NO_PATH_TIMEOUT);
	CU_ASSERT_EQUAL(s.no_path_timeout, 30);

	/* DGC: the vendor matches exactly, any product */
	s = resolve(cfg, "DGC", "VRAID", NULL, 0);
	CU_ASSERT_EQUAL(s.hw_handler, MP_HW_HANDLER_EMC);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_HW_HANDLER], "built-in device table: DGC");
	s = resolve(cfg, "DGCX", "VRAID", NULL, 0);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_HW_HANDLER], "default");

	s = resolve(cfg, "EMC", "SYMMETRIX", NULL, 0);
	CU_ASSERT_EQUAL(s.pg_policy, MP_PG_MULTIBUS);
	CU_ASSERT_EQUAL(s.no_path_timeout, 30);
	s = resolve(cfg, "3PARdata", "VV", NULL, 0);
	CU_ASSERT_EQUAL(s.no_path_timeout, 90);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_NO_PATH_RETRY],
			       "built-in device table: 3PARdata VV");
	s = resolve(cfg, "PURE", "FlashArray", NULL, 0);
	CU_ASSERT_EQUAL(s.selector, MP_SELECTOR_QUEUE_LENGTH);
	CU_ASSERT_EQUAL(s.no_path_retry, MP_NO_PATH_FAIL);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_NO_PATH_RETRY],
			       "built-in device table: PURE FlashArray");
	s = resolve(cfg, "IBM", "2145", NULL, 0);
	CU_ASSERT_EQUAL(s.pg_policy, MP_PG_GROUP_BY_PRIO);
	s = resolve(cfg, "IBM", "2107900", NULL, 0);
	CU_ASSERT_EQUAL(s.pg_policy, MP_PG_MULTIBUS);
	s = resolve(cfg, "IBM", "2810XIV", NULL, 0);
	CU_ASSERT_EQUAL(s.failback, MP_FAILBACK_DEFERRED);
	CU_ASSERT_EQUAL(s.failback_secs, 15);
	s = resolve(cfg, "HITACHI", "OPEN-V", NULL, 0);
	CU_ASSERT_EQUAL(s.pg_policy, MP_PG_MULTIBUS);
	s = resolve(cfg, "HUAWEI", "XSG1", NULL, 0);
	CU_ASSERT_EQUAL(s.no_path_timeout, 75);
	s = resolve(cfg, "LIO-ORG", "disk0", NULL, 0);
	CU_ASSERT_EQUAL(s.hw_handler, MP_HW_HANDLER_ALUA);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_HW_HANDLER], "built-in device table: LIO-ORG");
	/* scsi_debug reports implicit ALUA with standby ports: never one group */
	s = resolve(cfg, "Linux", "scsi_debug", NULL, 0);
	CU_ASSERT_EQUAL(s.pg_policy, MP_PG_GROUP_BY_PRIO);
	CU_ASSERT_EQUAL(s.hw_handler, MP_HW_HANDLER_ALUA);
	CU_ASSERT_EQUAL(s.failback, MP_FAILBACK_IMMEDIATE);
	/* '_' is literal */
	s = resolve(cfg, "Linux", "scsiXdebug", NULL, 0);
	CU_ASSERT_EQUAL(s.pg_policy, MP_PG_FAILOVER);
}

static void test_generic_alua(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	_cleanup_(mp_config_unrefp) struct mp_config *cfg = parse_ok(ctx, "");
	struct mp_settings s;

	/* unknown device without TPGS: defaults */
	s = resolve(cfg, "NOBODY", "Thing", NULL, 0);
	CU_ASSERT_EQUAL(s.pg_policy, MP_PG_FAILOVER);
	/* with TPGS: the generic ALUA entry */
	s = resolve(cfg, "NOBODY", "Thing", NULL, MP_RESOLVE_TPGS);
	CU_ASSERT_EQUAL(s.pg_policy, MP_PG_GROUP_BY_PRIO);
	CU_ASSERT_EQUAL(s.hw_handler, MP_HW_HANDLER_ALUA);
	CU_ASSERT_EQUAL(s.failback, MP_FAILBACK_IMMEDIATE);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_PG_POLICY],
			       "built-in device table: generic ALUA");
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_NO_PATH_RETRY], "default");
	/* a known array with TPGS keeps its own entry */
	s = resolve(cfg, "EMC", "SYMMETRIX", NULL, MP_RESOLVE_TPGS);
	CU_ASSERT_EQUAL(s.pg_policy, MP_PG_MULTIBUS);
	CU_ASSERT_EQUAL(s.hw_handler, MP_HW_HANDLER_NONE);
}

static void test_precedence_and_origins(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	_cleanup_(mp_config_unrefp) struct mp_config *cfg = NULL;
	struct mp_settings s;

	cfg = parse_ok(ctx,
		       "[Defaults]\n"				/* 1 */
		       "PathSelector=round-robin\n"		/* 2 */
		       "NoPathRetry=fail\n"			/* 3 */
		       "HardwareHandler=rdac\n"			/* 4 */
		       "PathChecker=directio\n"			/* 5 */
		       "\n"					/* 6 */
		       "[Device]\n"				/* 7 */
		       "Vendor=NETAPP\n"			/* 8 */
		       "Product=LUN\n"				/* 9 */
		       "NoPathRetry=45\n"			/* 10 */
		       "Failback=followover\n"			/* 11 */
		       "# comment\n"				/* 12 */
		       "[Map]\n"				/* 13 */
		       "  WWID = 3600a0b8aaaa  \n"		/* 14 */
		       "Failback=120\n"				/* 15 */
		       "Alias=oradata\n"			/* 16 */
		       "PgInitDelayMsec=500\n"			/* 17 */
		       "[Device]\n"				/* 18 */
		       "Vendor=netapp\n"			/* 19 */
		       "PathChecker=none\n"			/* 20 */
		       "WriteQuiesceMsec=0\n");			/* 21 */

	/* NetApp, not the map: device > built-in > defaults */
	s = resolve(cfg, "NETAPP", "LUN", "3600a0b8bbbb", 0);
	CU_ASSERT_EQUAL(s.selector, MP_SELECTOR_ROUND_ROBIN);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_SELECTOR], "test.conf:2 [Defaults]");
	/* the built-in entry beats [Defaults]... */
	CU_ASSERT_EQUAL(s.hw_handler, MP_HW_HANDLER_ALUA);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_HW_HANDLER], "built-in device table: NETAPP LUN");
	/* ...and a [Device] section beats the built-in entry */
	CU_ASSERT_EQUAL(s.no_path_retry, MP_NO_PATH_TIMEOUT);
	CU_ASSERT_EQUAL(s.no_path_timeout, 45);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_NO_PATH_RETRY], "test.conf:10 [Device NETAPP LUN]");
	CU_ASSERT_EQUAL(s.failback, MP_FAILBACK_FOLLOWOVER);
	/* a later matching [Device] (vendor only) wins over [Defaults] */
	CU_ASSERT_EQUAL(s.checker, MP_CHECKER_NONE);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_CHECKER], "test.conf:20 [Device netapp]");
	CU_ASSERT_EQUAL(s.write_quiesce_msecs, 0);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_WRITE_QUIESCE_MSEC], "test.conf:21 [Device netapp]");
	CU_ASSERT_PTR_NULL(s.alias);
	CU_ASSERT_EQUAL(s.pg_init_delay_msecs, -1);

	/* the map beats the device */
	s = resolve(cfg, "NETAPP", "LUN", "3600a0b8aaaa", 0);
	CU_ASSERT_EQUAL(s.failback, MP_FAILBACK_DEFERRED);
	CU_ASSERT_EQUAL(s.failback_secs, 120);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_FAILBACK], "test.conf:15 [Map 3600a0b8aaaa]");
	CU_ASSERT_STRING_EQUAL(s.alias, "oradata");
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_ALIAS], "test.conf:16 [Map 3600a0b8aaaa]");
	CU_ASSERT_EQUAL(s.pg_init_delay_msecs, 500);
	CU_ASSERT_EQUAL(s.no_path_timeout, 45);

	/* another vendor: defaults only (the [Defaults] handler applies) */
	s = resolve(cfg, "ACME", "Box", "3600a0b8aaaa", 0);
	CU_ASSERT_EQUAL(s.hw_handler, MP_HW_HANDLER_RDAC);
	CU_ASSERT_EQUAL(s.checker, MP_CHECKER_DIRECTIO);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_CHECKER], "test.conf:5 [Defaults]");
	CU_ASSERT_EQUAL(s.failback_secs, 120); /* the map still applies by WWID */

	CU_ASSERT_STRING_EQUAL(mp_config_wwid_by_alias(cfg, "oradata"), "3600a0b8aaaa");
	CU_ASSERT_PTR_NULL(mp_config_wwid_by_alias(cfg, "nope"));
	CU_ASSERT_PTR_NULL(mp_config_wwid_by_alias(NULL, "oradata"));

	/* resolve: bad arguments */
	CU_ASSERT_EQUAL(mp_config_resolve(cfg, "TOOLONGVENDOR", "x", NULL, 0, &s), -EINVAL);
	CU_ASSERT_EQUAL(mp_config_resolve(cfg, "V", "PRODUCT_LONGER_THAN_16", NULL, 0, &s),
			-EINVAL);
	CU_ASSERT_EQUAL(mp_config_resolve(NULL, "V", "P", NULL, 0, &s), -EINVAL);
	CU_ASSERT_EQUAL(mp_config_resolve(cfg, NULL, "P", NULL, 0, &s), -EINVAL);
	CU_ASSERT_EQUAL(mp_config_resolve(cfg, "V", "P", NULL, 0, NULL), -EINVAL);
}

static void test_values(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	_cleanup_(mp_config_unrefp) struct mp_config *cfg = NULL;
	struct mp_settings s;

	cfg = parse_ok(ctx,
		       "# every key, odd spacing, case of values\r\n"
		       "[Defaults]\r\n"
		       "PathGroupingPolicy = GROUP_BY_TPG\r\n"
		       "PathSelector=\thistorical-service-time\n"
		       "HardwareHandler=hp_sw\n"
		       "Failback=Immediate\n"
		       "NoPathRetry=Queue\n"
		       "PathChecker=directio\n"
		       "CheckInterval=3600\n"
		       "UserFriendlyNames=on\n"
		       "RemoveTimeout=0\n"
		       "PgInitRetries=7\n"
		       "PgInitDelayMsec=60000\n"
		       "PgInitDelayMsec=default\n" /* a later assignment wins */
		       "\n");
	s = resolve(cfg, "X", "Y", NULL, 0);
	CU_ASSERT_EQUAL(s.pg_policy, MP_PG_GROUP_BY_TPG);
	CU_ASSERT_EQUAL(s.selector, MP_SELECTOR_HISTORICAL_SERVICE_TIME);
	CU_ASSERT_EQUAL(s.hw_handler, MP_HW_HANDLER_HP_SW);
	CU_ASSERT_EQUAL(s.failback, MP_FAILBACK_IMMEDIATE);
	CU_ASSERT_EQUAL(s.no_path_retry, MP_NO_PATH_QUEUE);
	CU_ASSERT_EQUAL(s.checker, MP_CHECKER_DIRECTIO);
	CU_ASSERT_EQUAL(s.check_interval, 3600);
	CU_ASSERT_TRUE(s.user_friendly_names);
	CU_ASSERT_EQUAL(s.remove_timeout, 0);
	CU_ASSERT_EQUAL(s.pg_init_retries, 7);
	CU_ASSERT_EQUAL(s.pg_init_delay_msecs, -1);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_PG_INIT_DELAY_MSEC], "test.conf:14 [Defaults]");
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_PG_POLICY], "test.conf:3 [Defaults]");

	/* several [Defaults] sections merge, the later wins */
	cfg = mp_config_unref(cfg);
	cfg = parse_ok(ctx, "[Defaults]\nCheckInterval=1\nRemoveTimeout=9\n"
			    "[Defaults]\nCheckInterval=2\nUserFriendlyNames=false\n");
	s = resolve(cfg, "X", "Y", NULL, 0);
	CU_ASSERT_EQUAL(s.check_interval, 2);
	CU_ASSERT_EQUAL(s.remove_timeout, 9);
	CU_ASSERT_FALSE(s.user_friendly_names);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_REMOVE_TIMEOUT], "test.conf:3 [Defaults]");
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_CHECK_INTERVAL], "test.conf:5 [Defaults]");
}

/*
 * The transport settings in [Defaults], [Device] and [Map], with their words
 * in any case. FC timeouts that clash only across sections parse: the rules
 * mend them where they are applied (test-transport.c).
 */
static void test_transport_values(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	_cleanup_(mp_config_unrefp) struct mp_config *cfg = NULL;
	struct mp_settings s;

	cfg = parse_ok(ctx,
		       "[Defaults]\n"
		       "FastIoFailTimeout=30\n"
		       "EhDeadline=OFF\n"
		       "MaxSectorsKb=1024\n"
		       "[Device]\n"
		       "Vendor=NETAPP\n"
		       "DevLossTimeout=20\n"
		       "IscsiRecoveryTimeout=15\n"
		       "[Map]\n"
		       "WWID=3600a\n"
		       "DevLossTimeout=Infinity\n"
		       "IscsiRecoveryTimeout=Unset\n");
	s = resolve(cfg, "NETAPP", "LUN", NULL, 0);
	CU_ASSERT_EQUAL(s.fast_io_fail_tmo, 30);
	CU_ASSERT_EQUAL(s.dev_loss_tmo, 20);
	CU_ASSERT_EQUAL(s.iscsi_recovery_tmo, 15);
	CU_ASSERT_EQUAL(s.eh_deadline, MP_TMO_OFF);
	CU_ASSERT_EQUAL(s.max_sectors_kb, 1024);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_FAST_IO_FAIL_TMO], "test.conf:2 [Defaults]");
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_DEV_LOSS_TMO], "test.conf:7 [Device NETAPP]");
	s = resolve(cfg, "NETAPP", "LUN", "3600a", 0);
	CU_ASSERT_EQUAL(s.dev_loss_tmo, MP_DEV_LOSS_INFINITY);
	CU_ASSERT_EQUAL(s.iscsi_recovery_tmo, MP_TMO_UNSET);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_ISCSI_RECOVERY_TMO], "test.conf:12 [Map 3600a]");
	/* another vendor: the defaults */
	s = resolve(cfg, "OTHER", "X", NULL, 0);
	CU_ASSERT_EQUAL(s.dev_loss_tmo, MP_TMO_UNSET);
	CU_ASSERT_EQUAL(s.iscsi_recovery_tmo, 5);
}

/*
 * The text of a setting (mp_settings_value(), what mpiod's D-Bus API and
 * state file and multipathctl show config print) is what mpio.conf takes:
 * each value of each setting, written back and parsed again, is the same.
 */
static void test_value_text(void)
{
	static const char *const confs[] = {
		"[Defaults]\nFailback=immediate\nNoPathRetry=queue\nPgInitDelayMsec=default\n"
		"WriteQuiesceMsec=default\n",
		"[Defaults]\nFailback=manual\nNoPathRetry=fail\nUserFriendlyNames=yes\n",
		"[Defaults]\nFailback=followover\nNoPathRetry=30\nPgInitRetries=50\n",
		"[Defaults]\nFailback=86400\nNoPathRetry=1\nPgInitDelayMsec=0\nCheckInterval=3600\n"
		"RemoveTimeout=604800\nPathChecker=none\nPathSelector=io-affinity\n"
		"HardwareHandler=rdac\nPathGroupingPolicy=group_by_prio\n",
		"[Map]\nWWID=3600a\nAlias=db_data-1\nPgInitDelayMsec=60000\nWriteQuiesceMsec=0\n",
		"[Defaults]\nWriteQuiesceMsec=60000\n",
		"[Defaults]\nFastIoFailTimeout=off\nDevLossTimeout=600\nIscsiRecoveryTimeout=86400\n"
		"EhDeadline=off\nMaxSectorsKb=4\n",
		"[Defaults]\nFastIoFailTimeout=0\nDevLossTimeout=infinity\nIscsiRecoveryTimeout=1\n"
		"EhDeadline=0\nMaxSectorsKb=1048576\n",
		"[Defaults]\nFastIoFailTimeout=unset\nDevLossTimeout=unset\nIscsiRecoveryTimeout=unset\n"
		"EhDeadline=unset\nMaxSectorsKb=unset\n",
		"[Device]\nVendor=X\nFastIoFailTimeout=600\nDevLossTimeout=2147483646\nEhDeadline=86400\n",
	};
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	char buf[MP_SETTING_VALUE_MAX];

	for (size_t i = 0; i < ARRAY_SIZE(confs); i++) {
		_cleanup_(mp_config_unrefp) struct mp_config *cfg = parse_ok(ctx, confs[i]);
		struct mp_settings s = resolve(cfg, "", "", "3600a", 0);
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);

		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		fprintf(f, "[Map]\nWWID=3600b\n");
		for (int id = 0; id < _MP_SETTING_MAX; id++) {
			const char *v = mp_settings_value(&s, id, buf, sizeof(buf));

			if (id == MP_SETTING_ALIAS && !s.alias) {
				CU_ASSERT_PTR_NULL(v);
				continue;
			}
			CU_ASSERT_PTR_NOT_NULL_FATAL(v);
			fprintf(f, "%s=%s\n", mp_setting_to_string(id), v);
		}
		CU_ASSERT_EQUAL_FATAL(fclose(f), 0);
		{
			_cleanup_(mp_config_unrefp) struct mp_config *again = parse_ok(ctx, text);
			struct mp_settings t = resolve(again, "", "", "3600b", 0);

			CU_ASSERT_EQUAL(t.pg_policy, s.pg_policy);
			CU_ASSERT_EQUAL(t.selector, s.selector);
			CU_ASSERT_EQUAL(t.hw_handler, s.hw_handler);
			CU_ASSERT_EQUAL(t.failback, s.failback);
			CU_ASSERT_EQUAL(t.failback_secs, s.failback_secs);
			CU_ASSERT_EQUAL(t.no_path_retry, s.no_path_retry);
			CU_ASSERT_EQUAL(t.no_path_timeout, s.no_path_timeout);
			CU_ASSERT_EQUAL(t.checker, s.checker);
			CU_ASSERT_EQUAL(t.check_interval, s.check_interval);
			CU_ASSERT_EQUAL(t.user_friendly_names, s.user_friendly_names);
			CU_ASSERT_EQUAL(t.remove_timeout, s.remove_timeout);
			CU_ASSERT_EQUAL(t.pg_init_retries, s.pg_init_retries);
			CU_ASSERT_EQUAL(t.pg_init_delay_msecs, s.pg_init_delay_msecs);
			CU_ASSERT_EQUAL(t.write_quiesce_msecs, s.write_quiesce_msecs);
			CU_ASSERT_EQUAL(t.fast_io_fail_tmo, s.fast_io_fail_tmo);
			CU_ASSERT_EQUAL(t.dev_loss_tmo, s.dev_loss_tmo);
			CU_ASSERT_EQUAL(t.iscsi_recovery_tmo, s.iscsi_recovery_tmo);
			CU_ASSERT_EQUAL(t.eh_deadline, s.eh_deadline);
			CU_ASSERT_EQUAL(t.max_sectors_kb, s.max_sectors_kb);
			CU_ASSERT_EQUAL(!t.alias, !s.alias);
			if (t.alias && s.alias)
				CU_ASSERT_STRING_EQUAL(t.alias, s.alias);
		}
		free(text);
	}
	/* The words, and the numbers. */
	{
		struct mp_settings s = { .failback = MP_FAILBACK_DEFERRED, .failback_secs = 15,
					 .no_path_retry = MP_NO_PATH_QUEUE, .pg_init_delay_msecs = -1 };

		CU_ASSERT_STRING_EQUAL(mp_settings_value(&s, MP_SETTING_FAILBACK, buf, sizeof(buf)), "15");
		CU_ASSERT_STRING_EQUAL(mp_settings_value(&s, MP_SETTING_NO_PATH_RETRY, buf, sizeof(buf)),
				       "queue");
		CU_ASSERT_STRING_EQUAL(mp_settings_value(&s, MP_SETTING_PG_INIT_DELAY_MSEC, buf,
							 sizeof(buf)), "default");
		CU_ASSERT_PTR_NULL(mp_settings_value(&s, _MP_SETTING_MAX, buf, sizeof(buf)));
		s.fast_io_fail_tmo = MP_TMO_OFF;
		s.dev_loss_tmo = MP_DEV_LOSS_INFINITY;
		s.iscsi_recovery_tmo = MP_TMO_UNSET;
		s.max_sectors_kb = 512;
		CU_ASSERT_STRING_EQUAL(mp_settings_value(&s, MP_SETTING_FAST_IO_FAIL_TMO, buf,
							 sizeof(buf)), "off");
		CU_ASSERT_STRING_EQUAL(mp_settings_value(&s, MP_SETTING_DEV_LOSS_TMO, buf, sizeof(buf)),
				       "infinity");
		CU_ASSERT_STRING_EQUAL(mp_settings_value(&s, MP_SETTING_ISCSI_RECOVERY_TMO, buf,
							 sizeof(buf)), "unset");
		CU_ASSERT_STRING_EQUAL(mp_settings_value(&s, MP_SETTING_MAX_SECTORS_KB, buf,
							 sizeof(buf)), "512");
		CU_ASSERT_PTR_NULL(mp_settings_value(&s, _MP_SETTING_INVALID, buf, sizeof(buf)));
		CU_ASSERT_PTR_NULL(mp_settings_value(NULL, MP_SETTING_FAILBACK, buf, sizeof(buf)));
	}
}

struct error_case {
	const char *text;
	unsigned line;
	const char *msg;
};

static const struct error_case error_cases[] = {
	{ "PathChecker=tur\n", 1, "assignment PathChecker= outside of a section" },
	{ "# c\n\n[Defaults]\nPathChecker\n", 4,
	  "expected [Section] or Key=Value, got \"PathChecker\"" },
	{ "[Defaults]\n=tur\n", 2, "missing key before '='" },
	{ "[Blacklist]\n", 1, "unknown section [Blacklist], expected [Defaults], [Device] or [Map]" },
	{ "[defaults]\n", 1, "unknown section [defaults], expected [Defaults], [Device] or [Map]" },
	{ "[GenericALUA]\n", 1,
	  "unknown section [GenericALUA], expected [Defaults], [Device] or [Map]" },
	{ "[Defaults\n", 1, "missing ']' in section header" },
	{ "[Defaults] x\n", 1, "unexpected text after section header [Defaults]" },
	{ "[Defaults]\nPollingInterval=5\n", 2, "unknown key \"PollingInterval\" in [Defaults]" },
	{ "[Defaults]\npathchecker=tur\n", 2,
	  "unknown key \"pathchecker\" in [Defaults], did you mean PathChecker=?" },
	{ "[Device]\nvendor=X\n", 2, "unknown key \"vendor\" in [Device], did you mean Vendor=?" },
	{ "[Defaults]\nVendor=X\n", 2, "Vendor= is only valid in [Device], not in [Defaults]" },
	{ "[Map]\nWWID=1\nProduct=X\n", 3, "Product= is only valid in [Device], not in [Map]" },
	{ "[Device]\nVendor=X\nWWID=1\n", 3, "WWID= is only valid in [Map], not in [Device]" },
	{ "[Device]\nVendor=X\nAlias=a\n", 3, "Alias= is only valid in [Map], not in [Device]" },
	{ "[Defaults]\nAlias=a\n", 2, "Alias= is only valid in [Map], not in [Defaults]" },
	{ "[Defaults]\nPathChecker=\n", 2, "PathChecker= needs a value" },
	{ "[Device]\nVendor= \n", 2, "Vendor= needs a value" },
	{ "[Defaults]\nPathGroupingPolicy=round\n", 2,
	  "invalid PathGroupingPolicy= value \"round\": expected failover, multibus, "
	  "group_by_prio, group_by_serial or group_by_tpg" },
	{ "[Defaults]\nPathSelector=rr\n", 2,
	  "invalid PathSelector= value \"rr\": expected round-robin, queue-length, "
	  "service-time, least-blocks, weighted-path, historical-service-time or io-affinity" },
	{ "[Defaults]\nHardwareHandler=1 alua\n", 2,
	  "invalid HardwareHandler= value \"1 alua\": expected none, alua, emc, rdac or hp_sw" },
	{ "[Defaults]\nPathChecker=readsector0\n", 2,
	  "invalid PathChecker= value \"readsector0\": expected tur, directio or none" },
	{ "[Defaults]\nFailback=0\n", 2,
	  "invalid Failback= value \"0\": expected immediate, manual, followover or seconds "
	  "(1..86400)" },
	{ "[Defaults]\nFailback=86401\n", 2,
	  "invalid Failback= value \"86401\": expected immediate, manual, followover or "
	  "seconds (1..86400)" },
	{ "[Defaults]\nNoPathRetry=-1\n", 2,
	  "invalid NoPathRetry= value \"-1\": expected queue, fail or seconds (1..86400)" },
	{ "[Defaults]\nNoPathRetry=0\n", 2,
	  "invalid NoPathRetry= value \"0\": expected queue, fail or seconds (1..86400)" },
	{ "[Defaults]\nCheckInterval=0\n", 2,
	  "invalid CheckInterval= value \"0\": expected seconds (1..3600)" },
	{ "[Defaults]\nCheckInterval=5s\n", 2,
	  "invalid CheckInterval= value \"5s\": expected seconds (1..3600)" },
	{ "[Defaults]\nCheckInterval=99999999999999999999\n", 2,
	  "invalid CheckInterval= value \"99999999999999999999\": expected seconds (1..3600)" },
	{ "[Defaults]\nUserFriendlyNames=maybe\n", 2,
	  "invalid UserFriendlyNames= value \"maybe\": expected yes or no" },
	{ "[Defaults]\nRemoveTimeout=604801\n", 2,
	  "invalid RemoveTimeout= value \"604801\": expected seconds (0..604800)" },
	{ "[Defaults]\nPgInitRetries=51\n", 2,
	  "invalid PgInitRetries= value \"51\": expected a count (0..50)" },
	{ "[Defaults]\nPgInitDelayMsec=60001\n", 2,
	  "invalid PgInitDelayMsec= value \"60001\": expected default or milliseconds "
	  "(0..60000)" },
	{ "[Defaults]\nWriteQuiesceMsec=20s\n", 2,
	  "invalid WriteQuiesceMsec= value \"20s\": expected default or milliseconds "
	  "(0..60000)" },
	{ "[Defaults]\nWriteQuiesceMsec=60001\n", 2,
	  "invalid WriteQuiesceMsec= value \"60001\": expected default or milliseconds "
	  "(0..60000)" },
	{ "[Defaults]\nFastIoFailTimeout=601\n", 2,
	  "invalid FastIoFailTimeout= value \"601\": expected unset, off or seconds (0..600)" },
	{ "[Defaults]\nFastIoFailTimeout=5s\n", 2,
	  "invalid FastIoFailTimeout= value \"5s\": expected unset, off or seconds (0..600)" },
	{ "[Defaults]\nFastIoFailTimeout=infinity\n", 2,
	  "invalid FastIoFailTimeout= value \"infinity\": expected unset, off or seconds (0..600)" },
	{ "[Defaults]\nDevLossTimeout=0\n", 2,
	  "invalid DevLossTimeout= value \"0\": expected unset, infinity or seconds "
	  "(1..2147483647)" },
	{ "[Defaults]\nDevLossTimeout=off\n", 2,
	  "invalid DevLossTimeout= value \"off\": expected unset, infinity or seconds "
	  "(1..2147483647)" },
	{ "[Defaults]\nDevLossTimeout=2147483648\n", 2,
	  "invalid DevLossTimeout= value \"2147483648\": expected unset, infinity or seconds "
	  "(1..2147483647)" },
	{ "[Defaults]\nIscsiRecoveryTimeout=0\n", 2,
	  "invalid IscsiRecoveryTimeout= value \"0\": expected unset or seconds (1..86400)" },
	{ "[Defaults]\nIscsiRecoveryTimeout=off\n", 2,
	  "invalid IscsiRecoveryTimeout= value \"off\": expected unset or seconds (1..86400)" },
	{ "[Defaults]\nEhDeadline=-1\n", 2,
	  "invalid EhDeadline= value \"-1\": expected unset, off or seconds (0..86400)" },
	{ "[Defaults]\nMaxSectorsKb=3\n", 2,
	  "invalid MaxSectorsKb= value \"3\": expected unset or KiB (4..1048576)" },
	{ "[Defaults]\nMaxSectorsKb=1048577\n", 2,
	  "invalid MaxSectorsKb= value \"1048577\": expected unset or KiB (4..1048576)" },
	{ "[Defaults]\nfastiofailtimeout=5\n", 2,
	  "unknown key \"fastiofailtimeout\" in [Defaults], did you mean FastIoFailTimeout=?" },
	/* one section's FC timeouts: fast_io_fail_tmo below dev_loss_tmo, at the later line */
	{ "[Device]\nVendor=X\nDevLossTimeout=10\nCheckInterval=3\nFastIoFailTimeout=10\n", 5,
	  "FastIoFailTimeout=10 must be less than DevLossTimeout=10 (DevLossTimeout= is on line "
	  "3): the kernel takes an FC port's fast_io_fail_tmo only below its dev_loss_tmo" },
	{ "[Defaults]\nFastIoFailTimeout=30\nDevLossTimeout=20\n", 3,
	  "FastIoFailTimeout=30 must be less than DevLossTimeout=20 (FastIoFailTimeout= is on "
	  "line 2): the kernel takes an FC port's fast_io_fail_tmo only below its dev_loss_tmo" },
	{ "[Map]\nWWID=1\nFastIoFailTimeout=off\nDevLossTimeout=601\n", 4,
	  "DevLossTimeout=601 is more than 600 s with FastIoFailTimeout=off (FastIoFailTimeout= "
	  "is on line 3): the kernel takes an FC port's dev_loss_tmo above 600 s only with "
	  "fast_io_fail_tmo on" },
	/* the value as written: infinity, not its number (review of the branch) */
	{ "[Defaults]\nDevLossTimeout=infinity\nFastIoFailTimeout=off\n", 3,
	  "DevLossTimeout=infinity is more than 600 s with FastIoFailTimeout=off (DevLossTimeout= "
	  "is on line 2): the kernel takes an FC port's dev_loss_tmo above 600 s only with "
	  "fast_io_fail_tmo on" },
	{ "[Map]\nWWID=1\nAlias=a/b\n", 3,
	  "invalid Alias= value \"a/b\": expected 1..127 printable ASCII characters, "
	  "no blanks or '/', not \".\", \"..\" or \"control\"" },
	{ "[Map]\nWWID=1\nAlias=a b\n", 3,
	  "invalid Alias= value \"a b\": expected 1..127 printable ASCII characters, "
	  "no blanks or '/', not \".\", \"..\" or \"control\"" },
	/* names the kernel refuses (review U9) */
	{ "[Map]\nWWID=1\n\nAlias=control\n", 4,
	  "invalid Alias= value \"control\": expected 1..127 printable ASCII characters, "
	  "no blanks or '/', not \".\", \"..\" or \"control\"" },
	{ "[Map]\nWWID=1\nAlias=..\n", 3,
	  "invalid Alias= value \"..\": expected 1..127 printable ASCII characters, "
	  "no blanks or '/', not \".\", \"..\" or \"control\"" },
	{ "[Map]\nWWID=36 00\n", 2,
	  "invalid WWID= value \"36 00\": expected up to 259 printable ASCII characters, "
	  "no blanks" },
	{ "[Device]\nVendor=TOOLONGVE\n", 2,
	  "Vendor= value \"TOOLONGVE\" is 9 characters long, at most 8 are allowed" },
	{ "[Device]\nVendor=X\nProduct=12345678901234567\n", 3,
	  "Product= value \"12345678901234567\" is 17 characters long, at most 16 are allowed" },
	{ "[Device]\nVendor=\xc3\xa9t\xc3\xa9\n", 2, "Vendor= must be printable ASCII" },
	{ "[Device]\nVendor=A\nVendor=B\n", 3, "Vendor= is already set in this section, on line 2" },
	{ "[Map]\nWWID=1\nWWID=1\n", 3, "WWID= is already set in this section, on line 2" },
	{ "[Defaults]\nCheckInterval=5\n\n[Device]\nProduct=LUN\nNoPathRetry=queue\n", 4,
	  "[Device] section has no Vendor=" },
	{ "[Device]\nProduct=LUN\n[Defaults]\n", 1, "[Device] section has no Vendor=" },
	{ "[Map]\nAlias=x\n", 1, "[Map] section has no WWID=" },
	{ "[Map]\nWWID=3600a\n\n[Map]\nAlias=y\nWWID=3600a\n", 6,
	  "duplicate [Map] section for WWID 3600a, first given at test.conf:2" },
	{ "[Map]\nWWID=1\nAlias=db\n[Map]\nAlias=db\nWWID=2\n", 5,
	  "Alias \"db\" is already used by the [Map] section at test.conf:1" },
	/* both clash: the earlier section is named; in one section, the WWID */
	{ "[Map]\nWWID=1\n[Map]\nWWID=2\nAlias=db\n[Map]\nWWID=2\nAlias=db\n", 7,
	  "duplicate [Map] section for WWID 2, first given at test.conf:4" },
	{ "[Map]\nWWID=1\nAlias=db\n[Map]\nWWID=2\n[Map]\nWWID=2\nAlias=db\n", 8,
	  "Alias \"db\" is already used by the [Map] section at test.conf:1" },
	{ "[Map]\nWWID=1\n[Device]\nVendor=A\n[Map]\nWWID=1\n", 6,
	  "duplicate [Map] section for WWID 1, first given at test.conf:2" },
	{ "[Defaults]\nCheckInterval=5\x01\n", 2, "control character 0x01 in column 16" },
	{ "[Defaults]\nPathChecker=tur\n[Defaults]\nPathChecker=bad\n", 4,
	  "invalid PathChecker= value \"bad\": expected tur, directio or none" },
};

static void test_errors(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();

	for (size_t i = 0; i < ARRAY_SIZE(error_cases); i++) {
		const struct error_case *c = &error_cases[i];
		struct mp_config *cfg = (struct mp_config *)&ctx; /* must stay untouched */
		struct mp_parse_error err = {};
		int r = mp_config_parse_string(ctx, c->text, "test.conf", &cfg, &err);

		if (r != -EBADMSG || err.line != c->line || strcmp(err.msg, c->msg) != 0)
			fprintf(stderr, "\ncase %zu: r=%d line %u: \"%s\"\n   expected line %u: \"%s\"\n",
				i, r, err.line, err.msg, c->line, c->msg);
		CU_ASSERT_EQUAL(r, -EBADMSG);
		CU_ASSERT_EQUAL(err.line, c->line);
		CU_ASSERT_STRING_EQUAL(err.msg, c->msg);
		CU_ASSERT_STRING_EQUAL(err.file, "test.conf");
		CU_ASSERT_PTR_EQUAL(cfg, (struct mp_config *)&ctx);
		/* a NULL error pointer is fine too */
		CU_ASSERT_EQUAL(mp_config_parse_string(ctx, c->text, NULL, &cfg, NULL), -EBADMSG);
	}
	/* the NUL inside a line cannot go through a C string: see the files test */
}

static void test_args(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	struct mp_config *cfg = NULL;

	CU_ASSERT_EQUAL(mp_config_parse_string(NULL, "", NULL, &cfg, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mp_config_parse_string(ctx, NULL, NULL, &cfg, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mp_config_parse_string(ctx, "", NULL, NULL, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mp_config_load(NULL, CONFDIR "/good", &cfg, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mp_config_load(ctx, CONFDIR "/good", NULL, NULL), -EINVAL);
	CU_ASSERT_PTR_NULL(mp_config_ref(NULL));
	CU_ASSERT_PTR_NULL(mp_config_unref(NULL));

	/* refcounting: the config and its strings outlive the context's other users */
	CU_ASSERT_EQUAL_FATAL(mp_config_parse_string(ctx, "[Map]\nWWID=1\nAlias=a\n", NULL, &cfg,
						     NULL), 0);
	CU_ASSERT_PTR_EQUAL(mp_config_ref(cfg), cfg);
	CU_ASSERT_PTR_NULL(mp_config_unref(cfg));
	CU_ASSERT_STRING_EQUAL(mp_config_wwid_by_alias(cfg, "a"), "1");
	{
		struct mp_settings s = resolve(cfg, "x", "y", "1", 0);

		CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_ALIAS], "<string>:3 [Map 1]");
	}
	CU_ASSERT_PTR_NULL(mp_config_unref(cfg));
}

static void test_load_dir(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	_cleanup_(mp_config_unrefp) struct mp_config *cfg = NULL;
	struct mp_parse_error err = {};
	struct mp_settings s;

	CU_ASSERT_EQUAL_FATAL(mp_config_load(ctx, CONFDIR "/good", &cfg, &err), 0);
	s = resolve(cfg, "ACME", "Box 2", "3600a0b800011111", 0);
	/* mpio.conf, then 10-site.conf, then 20-later.conf; README and dot files ignored */
	CU_ASSERT_EQUAL(s.check_interval, 30);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_CHECK_INTERVAL],
			       CONFDIR "/good/mpio.conf.d/20-later.conf:2 [Defaults]");
	CU_ASSERT_TRUE(s.user_friendly_names);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_USER_FRIENDLY_NAMES],
			       CONFDIR "/good/mpio.conf.d/10-site.conf:4 [Defaults]");
	CU_ASSERT_EQUAL(s.selector, MP_SELECTOR_ROUND_ROBIN);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_SELECTOR], CONFDIR "/good/mpio.conf:3 [Defaults]");
	CU_ASSERT_EQUAL(s.pg_policy, MP_PG_GROUP_BY_SERIAL);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_PG_POLICY],
			       CONFDIR "/good/mpio.conf:9 [Device ACME Box]");
	/* the drop-in's vendor-wide section comes later: it wins */
	CU_ASSERT_EQUAL(s.no_path_timeout, 60);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_NO_PATH_RETRY],
			       CONFDIR "/good/mpio.conf.d/20-later.conf:6 [Device ACME]");
	CU_ASSERT_STRING_EQUAL(s.alias, "db");
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_ALIAS],
			       CONFDIR "/good/mpio.conf:14 [Map 3600a0b800011111]");
	s = resolve(cfg, "ACME", "Other", "3600a0b800022222", 0);
	CU_ASSERT_EQUAL(s.selector, MP_SELECTOR_QUEUE_LENGTH);
	CU_ASSERT_EQUAL(s.pg_policy, MP_PG_FAILOVER);
	CU_ASSERT_EQUAL(s.no_path_timeout, 60);
	CU_ASSERT_STRING_EQUAL(mp_config_wwid_by_alias(cfg, "db"), "3600a0b800011111");
	cfg = mp_config_unref(cfg);

	/* only drop-ins, no mpio.conf */
	CU_ASSERT_EQUAL_FATAL(mp_config_load(ctx, CONFDIR "/only-dropins", &cfg, &err), 0);
	s = resolve(cfg, "A", "B", NULL, 0);
	CU_ASSERT_EQUAL(s.remove_timeout, 0);
	cfg = mp_config_unref(cfg);

	/* nothing at all: defaults */
	CU_ASSERT_EQUAL_FATAL(mp_config_load(ctx, CONFDIR "/no-such-dir", &cfg, &err), 0);
	s = resolve(cfg, "A", "B", NULL, 0);
	CU_ASSERT_STRING_EQUAL(s.origin[MP_SETTING_REMOVE_TIMEOUT], "default");
}

static void test_load_all_or_nothing(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	_cleanup_(mp_config_unrefp) struct mp_config *good = NULL;
	struct mp_config *cfg = NULL;
	struct mp_parse_error err = {};

	CU_ASSERT_EQUAL_FATAL(mp_config_load(ctx, CONFDIR "/good", &good, &err), 0);
	cfg = good;
	/* a duplicate [Map] in a later drop-in: an error, and the old config stays */
	CU_ASSERT_EQUAL(mp_config_load(ctx, CONFDIR "/bad-dropin", &cfg, &err), -EBADMSG);
	CU_ASSERT_PTR_EQUAL(cfg, good);
	CU_ASSERT_STRING_EQUAL(err.file, CONFDIR "/bad-dropin/mpio.conf.d/50-dup.conf");
	CU_ASSERT_EQUAL(err.line, 4);
	CU_ASSERT_STRING_EQUAL(err.msg, "duplicate [Map] section for WWID 3600a0b800011111, first "
				       "given at " CONFDIR "/bad-dropin/mpio.conf.d/10-ok.conf:2");

	/* an unreadable mpio.conf (a directory here) */
	CU_ASSERT_EQUAL(mp_config_load(ctx, CONFDIR "/isdir", &cfg, &err), -EISDIR);
	CU_ASSERT_PTR_EQUAL(cfg, good);
	CU_ASSERT_STRING_EQUAL(err.file, CONFDIR "/isdir/mpio.conf");
	CU_ASSERT_EQUAL(err.line, 0);
	CU_ASSERT_STRING_EQUAL(err.msg, "cannot read: Is a directory");
}

/* A temporary config dir: mpio.conf holds len bytes of text (none: no file), mpio.conf.d is empty. */
static void temp_dir(char dir[static 32], const char *text, size_t len)
{
	char path[64];

	snprintf(dir, 32, "/tmp/test-config.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/mpio.conf.d", dir);
	CU_ASSERT_EQUAL_FATAL(mkdir(path, 0755), 0);
	if (text) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/mpio.conf", dir);
		f = fopen(path, "we");
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		CU_ASSERT_EQUAL(fwrite(text, 1, len, f), len);
		CU_ASSERT_EQUAL(fclose(f), 0);
	}
}

static void temp_dir_remove(const char *dir)
{
	char path[64];

	snprintf(path, sizeof(path), "%s/mpio.conf", dir);
	(void)unlink(path);
	snprintf(path, sizeof(path), "%s/mpio.conf.d", dir);
	CU_ASSERT_EQUAL(rmdir(path), 0);
	CU_ASSERT_EQUAL(rmdir(dir), 0);
}

/*
 * The stock install: an empty mpio.conf and an empty mpio.conf.d (no drop-in
 * is an empty list, never sorted: qsort() must not get NULL, UBSan says).
 * Whether mpio.conf was read is told apart from its absence.
 */
static void test_load_empty_dropin_dir(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	struct mp_config *cfg = NULL;
	struct mp_parse_error err = {};
	char dir[32];

	temp_dir(dir, "", 0);
	CU_ASSERT_EQUAL(mp_config_load(ctx, dir, &cfg, &err), 0);
	CU_ASSERT_TRUE(mp_config_read_main_file(cfg));
	cfg = mp_config_unref(cfg);
	temp_dir_remove(dir);

	temp_dir(dir, NULL, 0);
	CU_ASSERT_EQUAL(mp_config_load(ctx, dir, &cfg, &err), 0);
	CU_ASSERT_FALSE(mp_config_read_main_file(cfg));
	cfg = mp_config_unref(cfg);
	temp_dir_remove(dir);
	CU_ASSERT_FALSE(mp_config_read_main_file(NULL));
}

/* A NUL byte ends the load with file:line, and frees the open [Map] section's WWID (LeakSanitizer). */
static void test_load_nul_byte(void)
{
	static const char text[] = "[Map]\nWWID=3600a0b8\n\0\n";
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	struct mp_config *cfg = NULL;
	struct mp_parse_error err = {};
	char dir[32], want[64];

	temp_dir(dir, text, sizeof(text) - 1);
	CU_ASSERT_EQUAL(mp_config_load(ctx, dir, &cfg, &err), -EBADMSG);
	CU_ASSERT_PTR_NULL(cfg);
	snprintf(want, sizeof(want), "%s/mpio.conf", dir);
	CU_ASSERT_STRING_EQUAL(err.file, want);
	CU_ASSERT_EQUAL(err.line, 3);
	CU_ASSERT_STRING_EQUAL(err.msg, "NUL character in line");
	temp_dir_remove(dir);
}

/* conf/builtin-devices.conf is the source of the compiled-in text: they must not drift. */
static void test_builtin_file_matches(void)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;

	CU_ASSERT_EQUAL_FATAL(mp_read_file(MPIO_FIXTURES "/../../../conf/builtin-devices.conf",
					   1 << 20, &text, &len), 0);
	if (strcmp(text, mp_builtin_devices_conf()) != 0)
		fprintf(stderr, "\nconf/builtin-devices.conf differs from libmp/devtable.c: "
				"regenerate the string (see the top of devtable.c)\n");
	CU_ASSERT_STRING_EQUAL(text, mp_builtin_devices_conf());
}

/* conf/mpio.conf, the documented example, loads and uses every key. */
static void test_example_config(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	_cleanup_(mp_config_unrefp) struct mp_config *cfg = NULL;
	_cleanup_free_ char *text = NULL;
	struct mp_parse_error err = {};
	size_t len = 0;
	int r;

	CU_ASSERT_EQUAL_FATAL(mp_read_file(MPIO_FIXTURES "/../../../conf/mpio.conf", 1 << 20,
					   &text, &len), 0);
	r = mp_config_parse_string(ctx, text, "mpio.conf", &cfg, &err);
	if (r < 0)
		fprintf(stderr, "\n%s:%u: %s\n", err.file, err.line, err.msg);
	CU_ASSERT_EQUAL_FATAL(r, 0);
	for (int id = 0; id < _MP_SETTING_MAX; id++) {
		char key[64];

		snprintf(key, sizeof(key), "\n#%s=", mp_setting_to_string(id));
		if (!strstr(text, key))
			fprintf(stderr, "\nconf/mpio.conf does not document %s=\n",
				mp_setting_to_string(id));
		CU_ASSERT_PTR_NOT_NULL(strstr(text, key));
	}
}

/* n [Map] sections (WWID 36<i>, Alias db<i>) and [Device] ones between, then extra. */
static char *many_maps(unsigned n, const char *extra)
{
	size_t len = (size_t)n * 80 + strlen(extra) + 1, off = 0;
	char *text = malloc(len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	for (unsigned i = 1; i <= n; i++) {
		off += (size_t)snprintf(text + off, len - off, "[Map]\nWWID=36%08u\nAlias=db%u\n", i, i);
		if (i % 1000 == 0)
			off += (size_t)snprintf(text + off, len - off, "[Device]\nVendor=V%u\n", i);
	}
	snprintf(text + off, len - off, "%s", extra);
	return text;
}

/* Thousands of [Map] sections: duplicates found far apart, each map's settings found. */
static void test_many_maps(void)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = new_ctx();
	struct mp_parse_error err = {};
	struct mp_config *cfg = NULL;
	struct mp_settings st;
	char wwid[32], alias[16];
	char *text;

	text = many_maps(5000, "[Map]\nWWID=3600000007\n");
	CU_ASSERT_EQUAL(mp_config_parse_string(ctx, text, "big.conf", &cfg, &err), -EBADMSG);
	CU_ASSERT_EQUAL(err.line, 3 * 5000 + 2 * 5 + 2);
	CU_ASSERT_STRING_EQUAL(err.msg, "duplicate [Map] section for WWID 3600000007, first given at big.conf:20");
	free(text);
	text = many_maps(5000, "[Map]\nWWID=36new\nAlias=db4321\n");
	CU_ASSERT_EQUAL(mp_config_parse_string(ctx, text, "big.conf", &cfg, &err), -EBADMSG);
	CU_ASSERT_STRING_EQUAL(err.msg, "Alias \"db4321\" is already used by the [Map] section at big.conf:12969");
	CU_ASSERT_PTR_NULL(cfg);
	free(text);

	text = many_maps(5000, "");
	cfg = parse_ok(ctx, text);
	free(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
	for (unsigned i = 1; i <= 5000; i += 7) {
		snprintf(wwid, sizeof(wwid), "36%08u", i);
		snprintf(alias, sizeof(alias), "db%u", i);
		CU_ASSERT_EQUAL(mp_config_resolve(cfg, "X", "Y", wwid, 0, &st), 0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(st.alias);
		CU_ASSERT_STRING_EQUAL(st.alias, alias);
		CU_ASSERT_STRING_EQUAL(mp_config_wwid_by_alias(cfg, alias), wwid);
	}
	CU_ASSERT_EQUAL(mp_config_resolve(cfg, "X", "Y", "36other", 0, &st), 0);
	CU_ASSERT_PTR_NULL(st.alias);
	CU_ASSERT_PTR_NULL(mp_config_wwid_by_alias(cfg, "db0"));
	CU_ASSERT_PTR_NULL(mp_config_wwid_by_alias(cfg, "36000000001"));
	mp_config_unref(cfg);
}

static const struct unit_test tests[] = {
	{ "enum and key names", test_names },
	{ "compiled-in defaults", test_defaults },
	{ "built-in device table lookups", test_builtin_lookups },
	{ "generic ALUA fallback", test_generic_alua },
	{ "precedence map > device > built-in > defaults, origins", test_precedence_and_origins },
	{ "every value form", test_values },
	{ "transport settings in every section", test_transport_values },
	{ "the text of each setting parses back to it", test_value_text },
	{ "every error message with its line", test_errors },
	{ "arguments and refcounting", test_args },
	{ "load a directory: conf.d order", test_load_dir },
	{ "load is all or nothing", test_load_all_or_nothing },
	{ "load: empty mpio.conf.d, mpio.conf read or missing", test_load_empty_dropin_dir },
	{ "load: a NUL byte in an open [Map] section", test_load_nul_byte },
	{ "conf/builtin-devices.conf matches the library", test_builtin_file_matches },
	{ "conf/mpio.conf parses and documents every key", test_example_config },
	{ "thousands of [Map] sections", test_many_maps },
};

UNIT_MAIN("config", tests)
