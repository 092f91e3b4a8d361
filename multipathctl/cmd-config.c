/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `multipathctl config check` and `multipathctl show config`: both read the
 * configuration with libmp, without mpiod.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "claim.h"
#include "macro.h"
#include "multipathctl.h"

/* ---- config check ---- */

static bool is_supported_name(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return strncmp(base, MP_SUPPORTED_DEVICES_NAME, strlen(MP_SUPPORTED_DEVICES_NAME)) == 0;
}

static void check_print_summary(const char *target, bool is_dir, const struct check *c)
{
	if (!is_dir) {
		if (c->n_supported >= 0)
			printf("%s: ok, %d entr%s\n", target, c->n_supported,
			       c->n_supported == 1 ? "y" : "ies");
		else
			printf("%s: ok\n", target);
		return;
	}
	printf("%s: ok (mpio.conf: %s, %u drop-in%s, supported-devices: ", target,
	       c->main_file ? "yes" : "none", c->n_dropins, c->n_dropins == 1 ? "" : "s");
	if (c->n_supported >= 0)
		printf("%d entr%s)\n", c->n_supported, c->n_supported == 1 ? "y" : "ies");
	else
		printf("none)\n");
}

enum { OPT_SUPPORTED = 1 };

static int check_opt(int id, char *const *values, void *userdata)
{
	*(bool *)userdata = true;
	return 0;
}

static int cmd_config_check(int argc, char *argv[])
{
	static const struct opt opts[] = {
		{ "supported-devices", 0, 0, OPT_SUPPORTED },
	};
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = NULL;
	struct check c = CHECK_INIT;
	bool force_supported = false, explicit, is_dir = false;
	const char *target;
	char *pos[argc];
	struct stat st;
	int npos, r;

	r = args_parse(argc, argv, opts, ARRAY_SIZE(opts), check_opt, &force_supported, pos, &npos);
	if (r > 0) {
		printf("Usage: multipathctl config check [--supported-devices] [--json] [FILE|DIR]\n"
		       "\n"
		       "Validate a configuration without mpiod: a directory (default: the\n"
		       "--config-dir, " MP_CONFIG_DIR ") with mpio.conf, mpio.conf.d/*.conf and\n"
		       "supported-devices; or one file, in mpio.conf syntax, or in supported-devices\n"
		       "syntax when its name starts with \"supported-devices\" or with\n"
		       "--supported-devices. Errors are printed as file:line: message.\n");
		return EXIT_OK;
	}
	if (r < 0)
		return EXIT_USAGE;
	if (npos > 1) {
		fprintf(stderr, "multipathctl config check: unexpected argument '%s'\n", pos[1]);
		return EXIT_USAGE;
	}
	target = npos == 1 ? pos[0] : arg_config_dir;
	explicit = npos == 1 || arg_config_dir_given;

	ctx = ctl_ctx_new();
	if (!ctx)
		return EXIT_FAIL;
	if (stat(target, &st) < 0) {
		if (errno != ENOENT || explicit || force_supported)
			check_error(&c, target, 0, "cannot access: %s", strerror(errno));
		else
			is_dir = true; /* no /etc/mpio: the built-in defaults apply, which is fine */
	} else if (S_ISDIR(st.st_mode)) {
		is_dir = true;
		if (force_supported)
			check_error(&c, target, 0, "is a directory, not a supported-devices file");
		else
			check_dir(ctx, target, NULL, NULL, &c);
	} else if (force_supported || is_supported_name(target))
		check_supported(ctx, target, false, &c);
	else
		check_conf_file(ctx, target, &c);

	if (arg_json) {
		struct json j;

		ctl_json_init(&j);
		json_object_begin(&j);
		json_kv_bool(&j, "ok", c.n_errors == 0);
		json_key(&j, "errors");
		json_array_begin(&j);
		for (size_t i = 0; i < c.n_errors; i++) {
			json_object_begin(&j);
			json_kv_string(&j, "file", c.errors[i].file);
			json_key(&j, "line");
			if (c.errors[i].line > 0)
				json_uint(&j, c.errors[i].line);
			else
				json_null(&j);
			json_kv_string(&j, "message", c.errors[i].msg);
			json_object_end(&j);
		}
		json_array_end(&j);
		json_object_end(&j);
	} else if (c.n_errors > 0)
		for (size_t i = 0; i < c.n_errors; i++)
			ctl_print_parse_error(&c.errors[i]);
	else
		check_print_summary(target, is_dir, &c);
	return c.n_errors > 0 ? EXIT_FAIL : EXIT_OK;
}

static const struct cmd config_commands[] = {
	{ "check", cmd_config_check, "[FILE|DIR]  validate a configuration without mpiod" },
	{ "import", cmd_config_import, "[FILE|-]  turn multipath-tools' multipath.conf into mpio's" },
};

int cmd_config(int argc, char *argv[])
{
	return cmd_dispatch(argc, argv, config_commands, ARRAY_SIZE(config_commands));
}

/* ---- show config ---- */

enum {
	OPT_DEVICE = 1,
	OPT_WWID,
	OPT_ALIAS,
	OPT_ALUA,
};

struct show_config_args {
	const char *vendor, *product, *wwid, *alias;
	bool alua;
};

static int show_config_opt(int id, char *const *values, void *userdata)
{
	struct show_config_args *a = userdata;

	switch (id) {
	case OPT_DEVICE:
		a->vendor = values[0];
		a->product = values[1];
		break;
	case OPT_WWID:
		a->wwid = values[0];
		break;
	case OPT_ALIAS:
		a->alias = values[0];
		break;
	case OPT_ALUA:
		a->alua = true;
		break;
	}
	return 0;
}

int cmd_show_config(int argc, char *argv[])
{
	static const struct opt opts[] = {
		{ "device", 0, 2, OPT_DEVICE },
		{ "wwid", 0, 1, OPT_WWID },
		{ "alias", 0, 1, OPT_ALIAS },
		{ "alua", 0, 0, OPT_ALUA },
	};
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = NULL;
	_cleanup_(mp_config_unrefp) struct mp_config *cfg = NULL;
	struct show_config_args a = {};
	struct mp_parse_error err = {};
	struct mp_settings s;
	char *pos[argc], entry[CLAIM_ENTRY_SIZE], msg[256];
	int npos, r;

	r = args_parse(argc, argv, opts, ARRAY_SIZE(opts), show_config_opt, &a, pos, &npos);
	if (r > 0) {
		printf("Usage: multipathctl show config [--device VENDOR PRODUCT] [--wwid WWID]\n"
		       "                                [--alias NAME] [--alua] [--json]\n"
		       "\n"
		       "Show the effective settings, and where each came from: for every map\n"
		       "([Defaults]), or for a device (its [Device] sections and built-in entry)\n"
		       "and a map (its [Map] section, by WWID or by Alias=). --alua resolves as\n"
		       "for a device that reports ALUA support. PRODUCT may be \"\".\n");
		return EXIT_OK;
	}
	if (r < 0)
		return EXIT_USAGE;
	if (npos > 0) {
		fprintf(stderr, "multipathctl show config: unexpected argument '%s'\n", pos[0]);
		return EXIT_USAGE;
	}
	if (a.wwid && a.alias) {
		fprintf(stderr, "multipathctl show config: --wwid and --alias exclude each other\n");
		return EXIT_USAGE;
	}
	if (a.vendor && claim_entry_build(a.vendor, a.product, entry, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "multipathctl show config: %s\n", msg);
		return EXIT_USAGE;
	}

	ctx = ctl_ctx_new();
	if (!ctx)
		return EXIT_FAIL;
	r = mp_config_load(ctx, arg_config_dir, &cfg, &err);
	if (r < 0) {
		ctl_print_parse_error(&err);
		return EXIT_FAIL;
	}
	if (a.alias) {
		a.wwid = mp_config_wwid_by_alias(cfg, a.alias);
		if (!a.wwid) {
			fprintf(stderr, "multipathctl show config: no [Map] section has Alias=%s\n",
				a.alias);
			return EXIT_FAIL;
		}
	}
	r = mp_config_resolve(cfg, a.vendor ?: "", a.product ?: "", a.wwid,
			      a.alua ? MP_RESOLVE_TPGS : 0, &s);
	if (r < 0) {
		fprintf(stderr, "multipathctl show config: cannot resolve the settings: %s\n",
			strerror(-r));
		return EXIT_FAIL;
	}

	if (arg_json) {
		struct json j;

		ctl_json_init(&j);
		json_object_begin(&j);
		json_kv_string(&j, "config_dir", arg_config_dir);
		json_kv_string(&j, "vendor", a.vendor);
		json_kv_string(&j, "product", a.vendor ? a.product : NULL);
		json_kv_string(&j, "wwid", a.wwid);
		json_kv_bool(&j, "alua", a.alua);
		json_key(&j, "settings");
		json_object_begin(&j);
		for (int id = 0; id < _MP_SETTING_MAX; id++) {
			char buf[MP_SETTING_VALUE_MAX];

			json_key(&j, mp_setting_to_string(id));
			json_object_begin(&j);
			json_kv_string(&j, "value", mp_settings_value(&s, id, buf, sizeof(buf)));
			json_kv_string(&j, "origin", s.origin[id]);
			json_object_end(&j);
		}
		json_object_end(&j);
		json_object_end(&j);
	} else {
		_cleanup_(table_freep) struct table *t = table_new("SETTING", "VALUE", "ORIGIN", NULL);
		bool color = ctl_color();

		if (!t)
			return EXIT_FAIL;
		for (int id = 0; id < _MP_SETTING_MAX; id++) {
			char buf[MP_SETTING_VALUE_MAX];
			const char *v = mp_settings_value(&s, id, buf, sizeof(buf));
			bool dflt = strcmp(s.origin[id], "default") == 0;

			table_add_cell(t, COLOR_NONE, mp_setting_to_string(id));
			table_add_cell(t, v ? COLOR_NONE : COLOR_GREY, v ?: "-");
			table_add_cell(t, dflt ? COLOR_GREY : COLOR_NONE, s.origin[id]);
		}
		if (a.vendor || a.wwid)
			printf("Settings for%s%s%s%s%s%s%s%s:\n", a.vendor ? " device \"" : "",
			       a.vendor ?: "", a.vendor ? "\" \"" : "", a.vendor ? a.product : "",
			       a.vendor ? "\"" : "", a.wwid ? " map " : "", a.wwid ?: "",
			       a.alua ? " (ALUA)" : "");
		else
			printf("Settings for every map%s ([Defaults]):\n", a.alua ? " (ALUA)" : "");
		r = table_print(t, stdout, color);
		if (r < 0)
			return EXIT_FAIL;
	}
	return EXIT_OK;
}

