/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * multipathctl: the admin's command line for mpio.
 *
 * Commands are dispatched through {name, function, help} tables, one level
 * per word ("claim" -> "add"). Commands that only read files or the kernel
 * (config check, show config, claim, stats) work without mpiod; the others
 * talk to it over D-Bus; show reads the kernel when mpiod does not run.
 * Options are parsed with getopt_long() (ctl.c). Output goes through
 * output.c: tables and trees (libsmartcols), or JSON with --json.
 */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
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
	{ "show", cmd_show, "topology|maps|paths|map NAME|config: show the state (-o fields)" },
	{ "fail", cmd_fail, "fail path DEV: fail a path (root)" },
	{ "reinstate", cmd_reinstate, "reinstate path DEV: reinstate a path (root)" },
	{ "switch", cmd_switch, "switch group MAP N: activate a path group (root)" },
	{ "set", cmd_set, "set policy MAP SELECTOR: change the path selector (root)" },
	{ "flush", cmd_flush, "flush MAP: remove an unused map (root)" },
	{ "reload", cmd_reload, "make mpiod reload its configuration (root)" },
	{ "monitor", cmd_monitor, "print mpiod's events as they happen" },
	{ "config", cmd_config, "config check|import: validate a configuration, import multipath.conf" },
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
	cmd_usage_table(out, commands, ARRAY_SIZE(commands), "  ");
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
	enum { OPT_VERSION = 256, OPT_JSON, OPT_CONFIG_DIR };
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "json", optional_argument, NULL, OPT_JSON },
		{ "config-dir", required_argument, NULL, OPT_CONFIG_DIR },
		{},
	};
	int c;

	/* The user's locale for libsmartcols (UTF-8 tree lines, widths); numbers stay "C" (Prometheus). */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");

	/* Global options before the command ('+': stop at it); the command's parser takes them after it. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", options, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case OPT_VERSION:
			printf("multipathctl %s\n", mp_version());
			return EXIT_OK;
		case OPT_JSON:
			if (args_set_json("", optarg) < 0)
				return EXIT_USAGE;
			break;
		case OPT_CONFIG_DIR:
			if (!*optarg) {
				fprintf(stderr, "multipathctl: --config-dir needs a directory\n");
				return EXIT_USAGE;
			}
			arg_config_dir = optarg;
			arg_config_dir_given = true;
			break;
		case ':':
			fprintf(stderr, "multipathctl: %s needs a directory\n", argv[optind - 1]);
			return EXIT_USAGE;
		default:
			fprintf(stderr, "multipathctl: unknown option '%s' (see --help)\n", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return cmd_status(1, (char *[]){ (char *)"status", NULL });
	for (size_t k = 0; k < ARRAY_SIZE(commands); k++)
		if (strcmp(argv[optind], commands[k].name) == 0)
			return commands[k].run(argc - optind, argv + optind);
	fprintf(stderr, "multipathctl: unknown command '%s' (see --help)\n", argv[optind]);
	return EXIT_USAGE;
}
