/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The configuration parser (libmp/config.c), on text and on files.
 *
 * Input: mpio.conf, then up to two drop-ins, separated by FUZZ_SEP lines.
 *  - mp_config_parse_string() on the first part;
 *  - mp_config_load() on a directory holding mpio.conf and mpio.conf.d with
 *    the drop-ins as 10-a.conf and 20-b.conf (the directory exists and is
 *    empty without them: the stock install);
 * and for each config that loads: mp_config_resolve() for a few devices
 * and WWIDs (the WWIDs and aliases of the input's own [Map] sections
 * among them), mp_config_wwid_by_alias(), mp_settings_value() of every
 * setting, then mp_table_build() on the settings, whose table must compare
 * equal to itself (mp_table_compare()).
 *
 * Invariants: a resolved setting is in range and has an origin; a config
 * that loads builds a table; a failure fills the parse error.
 */
#include "fuzz.h"

static char *confdir, *mainconf, *dropdir, *drop[2];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	confdir = fuzz_path("etc");
	if (mkdir(confdir, 0755) < 0)
		abort();
	if (asprintf(&mainconf, "%s/mpio.conf", confdir) < 0 ||
	    asprintf(&dropdir, "%s/mpio.conf.d", confdir) < 0 ||
	    asprintf(&drop[0], "%s/10-a.conf", dropdir) < 0 ||
	    asprintf(&drop[1], "%s/20-b.conf", dropdir) < 0)
		abort();
	return 0;
}

static void check_settings(const struct mp_settings *s)
{
	char buf[MP_SETTING_VALUE_MAX];

	FUZZ_CHECK(s->pg_policy >= 0 && s->pg_policy < _MP_PG_POLICY_MAX, "%d", s->pg_policy);
	FUZZ_CHECK(s->selector >= 0 && s->selector < _MP_SELECTOR_MAX, "%d", s->selector);
	FUZZ_CHECK(s->hw_handler >= 0 && s->hw_handler < _MP_HW_HANDLER_MAX, "%d", s->hw_handler);
	FUZZ_CHECK(s->failback >= 0 && s->failback < _MP_FAILBACK_MAX, "%d", s->failback);
	FUZZ_CHECK(s->failback == MP_FAILBACK_DEFERRED || s->failback_secs == 0,
		   "failback %d secs %u", s->failback, s->failback_secs);
	FUZZ_CHECK(s->no_path_retry >= 0 && s->no_path_retry < _MP_NO_PATH_RETRY_MAX, "%d",
		   s->no_path_retry);
	FUZZ_CHECK(s->no_path_retry != MP_NO_PATH_TIMEOUT ||
			   (s->no_path_timeout >= 1 && s->no_path_timeout <= 86400),
		   "timeout %u", s->no_path_timeout);
	FUZZ_CHECK(s->checker >= 0 && s->checker < _MP_CHECKER_TYPE_MAX, "%d", s->checker);
	FUZZ_CHECK(s->check_interval >= 1 && s->check_interval <= 3600, "%u", s->check_interval);
	FUZZ_CHECK(s->remove_timeout <= 604800, "%u", s->remove_timeout);
	FUZZ_CHECK(s->pg_init_retries <= 50, "%u", s->pg_init_retries);
	FUZZ_CHECK(s->pg_init_delay_msecs >= -1 && s->pg_init_delay_msecs <= 60000, "%d",
		   s->pg_init_delay_msecs);
	FUZZ_CHECK(s->write_quiesce_msecs >= -1 && s->write_quiesce_msecs <= 60000, "%d",
		   s->write_quiesce_msecs);
	for (int i = 0; i < _MP_SETTING_MAX; i++) {
		const char *v = mp_settings_value(s, (enum mp_setting)i, buf, sizeof(buf));

		FUZZ_CHECK(s->origin[i] && *s->origin[i], "setting %d has no origin", i);
		FUZZ_CHECK(v || (i == MP_SETTING_ALIAS && !s->alias), "setting %d has no value", i);
	}
}

/* The settings must make a table, and that table must compare equal to itself. */
static void check_table(const struct mp_settings *s)
{
	struct mp_path_info paths[3] = {
		{ .major = 8, .minor = 16, .alua_state = MP_ALUA_OPTIMIZED, .tpg = 1,
		  .serial = "A", .weight = 10, .cpumask = "1" },
		{ .major = 8, .minor = 32, .alua_state = MP_ALUA_STANDBY, .tpg = 2,
		  .serial = "B", .weight = 0, .cpumask = "2" },
		{ .major = 65, .minor = 0, .alua_state = MP_ALUA_NONOPTIMIZED, .tpg = 2,
		  .serial = "B", .failed = true, .weight = 1000, .cpumask = "ff" },
	};
	const char *what = NULL;
	char *table = NULL;
	int r;

	r = mp_table_build(paths, 3, s, &table);
	FUZZ_CHECK(r == 0, "mp_table_build: %d", r);
	r = mp_table_compare(table, table, &what);
	FUZZ_CHECK(r == 0, "table \"%s\" differs from itself: %d %s", table, r, what ?: "");
	free(table);
}

static void check_config(const struct mp_config *cfg, const struct fuzz_parts *in)
{
	static const char *const devices[][2] = {
		{ "IBM", "2145" }, { "NETAPP", "LUN" }, { "LIO-ORG", "iblock0" },
		{ "DGC", "VRAID" }, { "X", "" }, { "ABCDEFGH", "0123456789abcdef" },
	};
	struct mp_settings s;
	int r;

	for (size_t d = 0; d < sizeof(devices) / sizeof(devices[0]); d++)
		for (unsigned flags = 0; flags <= MP_RESOLVE_TPGS; flags++) {
			r = mp_config_resolve(cfg, devices[d][0], devices[d][1], NULL, flags, &s);
			FUZZ_CHECK(r == 0, "resolve %s %s: %d", devices[d][0], devices[d][1], r);
			check_settings(&s);
		}
	r = mp_config_resolve(cfg, "IBM", "2145", "3600a0b8", MP_RESOLVE_TPGS, &s);
	FUZZ_CHECK(r == 0, "resolve: %d", r);
	check_settings(&s);
	check_table(&s);

	/* The input's own WWID= and Alias= values, whatever they are. */
	for (size_t i = 0; i < in->n; i++)
		for (const char *l = in->part[i]; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
			char word[300];
			const char *v;
			size_t n;

			if (strncmp(l, "WWID=", 5) && strncmp(l, "Alias=", 6))
				continue;
			v = strchr(l, '=') + 1;
			n = strcspn(v, "\n");
			if (n >= sizeof(word))
				continue;
			memcpy(word, v, n);
			word[n] = '\0';
			r = mp_config_resolve(cfg, "IBM", "2145", word, 0, &s);
			FUZZ_CHECK(r == 0, "resolve wwid: %d", r);
			check_settings(&s);
			check_table(&s);
			v = mp_config_wwid_by_alias(cfg, word);
			if (v) {
				r = mp_config_resolve(cfg, "IBM", "2145", v, 0, &s);
				FUZZ_CHECK(r == 0 && s.alias && strcmp(s.alias, word) == 0,
					   "alias %s -> wwid %s -> alias %s", word, v, s.alias ?: "(none)");
			}
		}
}

static void check_error(int r, const struct mp_parse_error *e)
{
	FUZZ_CHECK(r == -EBADMSG || r == -ENOMEM || r == -EFBIG, "unexpected error %d", r);
	FUZZ_CHECK(e->msg[0], "error %d without a message", r);
	FUZZ_CHECK(memchr(e->msg, '\0', sizeof(e->msg)) && memchr(e->file, '\0', sizeof(e->file)),
		   "unterminated error");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mp_ctx *ctx = fuzz_ctx();
	struct mp_config *cfg = NULL;
	struct mp_parse_error err = {};
	struct fuzz_parts in;
	int r;

	if (size > 64 * 1024)
		goto out_ctx;
	fuzz_split(data, size, 3, &in);

	r = mp_config_parse_string(ctx, in.part[0], "fuzz.conf", &cfg, &err);
	if (r == 0) {
		check_config(cfg, &in);
		cfg = mp_config_unref(cfg);
	} else {
		check_error(r, &err);
	}

	fuzz_write_file(mainconf, in.part[0], in.len[0]);
	(void)unlink(drop[0]);
	(void)unlink(drop[1]);
	(void)rmdir(dropdir);
	/* An empty mpio.conf.d too (CFG-1: it once gave qsort() a NULL list). */
	if (mkdir(dropdir, 0755) < 0)
		abort();
	for (size_t i = 1; i < in.n; i++)
		fuzz_write_file(drop[i - 1], in.part[i], in.len[i]);
	err = (struct mp_parse_error){};
	r = mp_config_load(ctx, confdir, &cfg, &err);
	if (r == 0) {
		check_config(cfg, &in);
		cfg = mp_config_unref(cfg);
	} else {
		check_error(r, &err);
	}
	fuzz_parts_free(&in);
out_ctx:
	mp_ctx_unref(ctx);
	return 0;
}
