/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * multipathctl: the admin's command line for mpio.
 *
 * Commands are dispatched through {name, function, help} tables, one level
 * per word ("claim" -> "add"). Commands that only read files or the kernel
 * (config check, show config, claim, stats) work without mpiod; the others
 * talk to it over D-Bus. Output goes through output.c: aligned tables, or
 * JSON with --json.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <systemd/sd-bus.h>

#include "macro.h"
#include "mpio-names.h"
#include "multipathctl.h"

enum json_mode arg_json = JSON_OFF;
const char *arg_config_dir = MP_CONFIG_DIR;
bool arg_config_dir_given = false;

/* ---- Argument parsing ---- */

enum {
	OPT_GLOBAL_JSON = -100,
	OPT_GLOBAL_CONFIG_DIR,
	OPT_GLOBAL_HELP,
};

static const struct opt global_opts[] = {
	{ "json", 0, 0, OPT_GLOBAL_JSON }, /* the value is optional: --json=MODE only */
	{ "config-dir", 0, 1, OPT_GLOBAL_CONFIG_DIR },
	{ "help", 'h', 0, OPT_GLOBAL_HELP },
};

static int set_json(const char *cmd, const char *value)
{
	if (!value || strcmp(value, "short") == 0)
		arg_json = JSON_SHORT;
	else if (strcmp(value, "pretty") == 0)
		arg_json = JSON_PRETTY;
	else if (strcmp(value, "off") == 0)
		arg_json = JSON_OFF;
	else {
		fprintf(stderr, "multipathctl%s%s: invalid --json mode '%s': expected short, "
			"pretty or off\n", *cmd ? " " : "", cmd, value);
		return -EINVAL;
	}
	return 0;
}

static const struct opt *find_long(const struct opt *opts, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0)
			return &opts[i];
	return NULL;
}

static const struct opt *find_short(const struct opt *opts, size_t n, char c)
{
	for (size_t i = 0; i < n; i++)
		if (opts[i].short_name && opts[i].short_name == c)
			return &opts[i];
	return NULL;
}

int args_parse(int argc, char *argv[], const struct opt *opts, size_t n_opts, opt_handler handler,
	       void *userdata, char **pos, int *ret_npos)
{
	const char *cmd = argv[0];
	bool help = false, options_done = false;
	int npos = 0;

	for (int i = 1; i < argc; i++) {
		char *a = argv[i], *inline_value = NULL;
		const struct opt *o = NULL;
		bool global = false;
		char *values[2];

		if (options_done || a[0] != '-' || a[1] == '\0') {
			pos[npos++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			options_done = true;
			continue;
		}
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);

			o = find_long(opts, n_opts, name, len);
			if (!o) {
				o = find_long(global_opts, ARRAY_SIZE(global_opts), name, len);
				global = o != NULL;
			}
			if (eq)
				inline_value = (char *)eq + 1;
		} else if (a[2] == '\0') {
			o = find_short(opts, n_opts, a[1]);
			if (!o) {
				o = find_short(global_opts, ARRAY_SIZE(global_opts), a[1]);
				global = o != NULL;
			}
		}
		if (!o) {
			fprintf(stderr, "multipathctl %s: unknown option '%s' (see --help)\n", cmd, a);
			return -EINVAL;
		}

		if (global && o->id == OPT_GLOBAL_JSON) {
			if (set_json(cmd, inline_value) < 0)
				return -EINVAL;
			continue;
		}
		if (inline_value && o->nargs != 1) {
			fprintf(stderr, "multipathctl %s: option '--%s' takes %s\n", cmd, o->name,
				o->nargs == 0 ? "no value" : "its values as separate words");
			return -EINVAL;
		}
		if (inline_value)
			values[0] = inline_value;
		else {
			if (i + (int)o->nargs >= argc) {
				fprintf(stderr, "multipathctl %s: option '%s' needs %u value%s\n", cmd,
					a, o->nargs, o->nargs == 1 ? "" : "s");
				return -EINVAL;
			}
			for (unsigned k = 0; k < o->nargs; k++)
				values[k] = argv[++i];
		}

		if (!global) {
			int r = handler(o->id, values, userdata);

			if (r < 0)
				return r;
		} else if (o->id == OPT_GLOBAL_CONFIG_DIR) {
			if (!*values[0]) {
				fprintf(stderr, "multipathctl %s: --config-dir needs a directory\n", cmd);
				return -EINVAL;
			}
			arg_config_dir = values[0];
			arg_config_dir_given = true;
		} else if (o->id == OPT_GLOBAL_HELP)
			help = true;
	}
	*ret_npos = npos;
	return help ? 1 : 0;
}

static int no_handler(int id, char *const *values, void *userdata)
{
	return -EINVAL;
}

int args_parse_simple(int argc, char *argv[], int min, int max, char **pos, int *ret_npos)
{
	int r = args_parse(argc, argv, NULL, 0, no_handler, NULL, pos, ret_npos);

	if (r != 0)
		return r;
	if (*ret_npos < min) {
		fprintf(stderr, "multipathctl %s: missing argument (see --help)\n", argv[0]);
		return -EINVAL;
	}
	if (*ret_npos > max) {
		fprintf(stderr, "multipathctl %s: unexpected argument '%s'\n", argv[0], pos[max]);
		return -EINVAL;
	}
	return 0;
}

/* ---- Helpers ---- */

static void log_stderr(void *userdata, int priority, const char *file, int line, const char *fn,
		       const char *format, va_list args)
{
	fputs("multipathctl: ", stderr);
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
}

struct mp_ctx *ctl_ctx_new(void)
{
	struct mp_ctx *ctx = NULL;

	if (mp_ctx_new(&ctx) < 0) {
		fprintf(stderr, "multipathctl: out of memory\n");
		return NULL;
	}
	mp_ctx_set_log_fn(ctx, log_stderr, NULL);
	mp_ctx_set_log_priority(ctx, LOG_WARNING);
	return ctx;
}

void ctl_print_parse_error(const struct mp_parse_error *err)
{
	if (err->line > 0)
		fprintf(stderr, "%s:%u: %s\n", err->file, err->line, err->msg);
	else
		fprintf(stderr, "%s: %s\n", err->file, err->msg);
}

void ctl_json_init(struct json *j)
{
	json_init(j, stdout, arg_json == JSON_PRETTY);
}

bool ctl_color(void)
{
	return out_color_enabled(STDOUT_FILENO);
}

char *ctl_config_path(const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", arg_config_dir, name) < 0) {
		fprintf(stderr, "multipathctl: out of memory\n");
		return NULL;
	}
	return p;
}

/* ---- Dispatch ---- */

static void usage_table(FILE *out, const struct cmd *table, size_t n, const char *indent)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%-14s %s\n", indent, table[i].name, table[i].help);
}

int cmd_dispatch(int argc, char *argv[], const struct cmd *table, size_t n)
{
	const char *parent = argv[0];

	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		FILE *out = argc < 2 ? stderr : stdout;

		fprintf(out, "Usage: multipathctl %s COMMAND [ARGS]\n\nCommands:\n", parent);
		usage_table(out, table, n, "  ");
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(argv[1], table[i].name) == 0)
			return table[i].run(argc - 1, argv + 1);
	fprintf(stderr, "multipathctl %s: unknown command '%s' (see 'multipathctl %s --help')\n",
		parent, argv[1], parent);
	return EXIT_USAGE;
}

/* ---- status ---- */

static int cmd_status(int argc, char *argv[])
{
	_cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
	bool module = access("/sys/module/dm_mpio", F_OK) == 0;
	char *pos[argc];
	int npos, r, running = 0;
	unsigned n_maps = 0, n_paths = 0, n_failed = 0;
	bool have_counts = false;
	const char *daemon;

	r = args_parse_simple(argc, argv, 0, 0, pos, &npos);
	if (r != 0) {
		if (r > 0)
			printf("Usage: multipathctl status [--json]\n\n"
			       "Show whether the kernel module is loaded and mpiod runs, and its\n"
			       "counts of maps, paths and failed paths.\n");
		return r > 0 ? EXIT_OK : EXIT_USAGE;
	}
	r = sd_bus_open_system(&bus);
	if (r >= 0) {
		_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;

		r = sd_bus_call_method(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
				       "org.freedesktop.DBus", "NameHasOwner", NULL, &reply, "s",
				       MPIO_BUS_NAME);
		if (r >= 0)
			r = sd_bus_message_read(reply, "b", &running);
	}
	daemon = r < 0 ? "unknown" : running ? "running" : "not running";
	if (r >= 0 && running)
		have_counts = bus_manager_counts(&n_maps, &n_paths, &n_failed) >= 0;

	if (arg_json) {
		struct json j;

		ctl_json_init(&j);
		json_object_begin(&j);
		json_kv_bool(&j, "module_loaded", module);
		json_kv_string(&j, "daemon", daemon);
		json_key(&j, "bus_error");
		json_string(&j, r < 0 ? strerror(-r) : NULL);
		json_key(&j, "maps");
		have_counts ? json_uint(&j, n_maps) : json_null(&j);
		json_key(&j, "paths");
		have_counts ? json_uint(&j, n_paths) : json_null(&j);
		json_key(&j, "failed_paths");
		have_counts ? json_uint(&j, n_failed) : json_null(&j);
		json_object_end(&j);
	} else {
		bool color = ctl_color();

		printf("kernel module dm-mpio: %s%s%s\n",
		       color ? out_color_on(module ? COLOR_GREEN : COLOR_RED) : "",
		       module ? "loaded" : "not loaded", color ? OUT_COLOR_OFF : "");
		if (r < 0)
			printf("mpiod: unknown (system bus not reachable: %s)\n", strerror(-r));
		else
			printf("mpiod: %s%s%s\n",
			       color ? out_color_on(running ? COLOR_GREEN : COLOR_RED) : "", daemon,
			       color ? OUT_COLOR_OFF : "");
		if (have_counts)
			printf("maps: %u, paths: %u (%s%u failed%s)\n", n_maps, n_paths,
			       color && n_failed ? out_color_on(COLOR_YELLOW) : "", n_failed,
			       color && n_failed ? OUT_COLOR_OFF : "");
	}
	return r >= 0 && running ? EXIT_OK : EXIT_NODAEMON;
}

static const struct cmd commands[] = {
	{ "status", cmd_status, "whether the module is loaded and mpiod runs, with counts" },
	{ "show", cmd_show, "topology|maps|paths|map NAME|config: show the state" },
	{ "fail", cmd_fail, "fail path DEV: fail a path (root)" },
	{ "reinstate", cmd_reinstate, "reinstate path DEV: reinstate a path (root)" },
	{ "switch", cmd_switch, "switch group MAP N: activate a path group (root)" },
	{ "set", cmd_set, "set policy MAP SELECTOR: change the path selector (root)" },
	{ "flush", cmd_flush, "flush MAP: remove an unused map (root)" },
	{ "reload", cmd_reload, "make mpiod reload its configuration (root)" },
	{ "monitor", cmd_monitor, "print mpiod's events as they happen" },
	{ "config", cmd_config, "config check [FILE|DIR]: validate a configuration" },
	{ "claim", cmd_claim, "claim add|remove|list: edit the supported-devices list" },
	{ "stats", cmd_stats, "per-path I/O statistics (--prometheus for node_exporter)" },
	{ "is-claimed", cmd_is_claimed, "is-claimed DEV: would mpiod take the disk as a path" },
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: multipathctl [OPTIONS] COMMAND [ARGS]\n"
		"\n"
		"Query and control mpio multipath devices.\n"
		"\n"
		"Commands:\n");
	usage_table(out, commands, ARRAY_SIZE(commands), "  ");
	fprintf(out,
		"\n"
		"Options:\n"
		"  -h, --help               show this help and exit\n"
		"      --version            show the version and exit\n"
		"      --json[=MODE]        JSON output: short (the default) or pretty\n"
		"      --config-dir DIR     configuration directory (default " MP_CONFIG_DIR ")\n"
		"\n"
		"Exit status: 0 success, 1 failure, 2 usage error, 3 mpiod not reachable.\n"
		"See multipathctl(8).\n");
}

int main(int argc, char *argv[])
{
	int i;

	/* Global options before the command; the command's parser takes them after it. */
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return EXIT_OK;
		}
		if (strcmp(a, "--version") == 0) {
			printf("multipathctl %s\n", mp_version());
			return EXIT_OK;
		}
		if (strcmp(a, "--json") == 0 || strncmp(a, "--json=", 7) == 0) {
			if (set_json("", a[6] ? a + 7 : NULL) < 0)
				return EXIT_USAGE;
		} else if (strcmp(a, "--config-dir") == 0 || strncmp(a, "--config-dir=", 13) == 0) {
			const char *v = a[12] ? a + 13 : i + 1 < argc ? argv[++i] : NULL;

			if (!v || !*v) {
				fprintf(stderr, "multipathctl: --config-dir needs a directory\n");
				return EXIT_USAGE;
			}
			arg_config_dir = v;
			arg_config_dir_given = true;
		} else {
			fprintf(stderr, "multipathctl: unknown option '%s' (see --help)\n", a);
			return EXIT_USAGE;
		}
	}
	if (i >= argc)
		return cmd_status(1, (char *[]){ (char *)"status", NULL });
	for (size_t k = 0; k < ARRAY_SIZE(commands); k++)
		if (strcmp(argv[i], commands[k].name) == 0)
			return commands[k].run(argc - i, argv + i);
	fprintf(stderr, "multipathctl: unknown command '%s' (see --help)\n", argv[i]);
	return EXIT_USAGE;
}
