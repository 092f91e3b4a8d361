/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * multipathctl: the admin's command line for mpio.
 *
 * Commands are dispatched through a {name, function, help} table. This first
 * version knows `status`; the D-Bus commands are added as mpiod grows them.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-bus.h>

#include "libmp.h"
#include "macro.h"

#define MPIO_BUS_NAME "org.mpio.Manager1"

/* Exit codes, documented in multipathctl(8). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,     /* the command ran and failed */
	EXIT_USAGE = 2,    /* bad command line */
	EXIT_NODAEMON = 3, /* mpiod is not reachable */
};

struct cmd {
	const char *name;
	int (*run)(int argc, char *argv[]);
	const char *help;
};

static int cmd_status(int argc, char *argv[])
{
	_cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
	bool module = access("/sys/module/dm_mpio", F_OK) == 0;
	int r, running = 0;

	if (argc > 1) {
		fprintf(stderr, "multipathctl status: unexpected argument '%s'\n", argv[1]);
		return EXIT_USAGE;
	}
	printf("kernel module dm-mpio: %s\n", module ? "loaded" : "not loaded");
	r = sd_bus_open_system(&bus);
	if (r >= 0) {
		_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;

		r = sd_bus_call_method(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
				       "org.freedesktop.DBus", "NameHasOwner", NULL, &reply, "s",
				       MPIO_BUS_NAME);
		if (r >= 0)
			r = sd_bus_message_read(reply, "b", &running);
	}
	if (r < 0) {
		printf("mpiod: unknown (system bus not reachable: %s)\n", strerror(-r));
		return EXIT_NODAEMON;
	}
	printf("mpiod: %s\n", running ? "running" : "not running");
	return running ? EXIT_OK : EXIT_NODAEMON;
}

static const struct cmd commands[] = {
	{ "status", cmd_status, "show whether the module is loaded and mpiod runs" },
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: multipathctl [OPTIONS] COMMAND [ARGS]\n"
		"\n"
		"Query and control mpio multipath devices.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].help);
	fprintf(out,
		"\n"
		"Options:\n"
		"  -h, --help      show this help and exit\n"
		"      --version   show the version and exit\n"
		"\n"
		"Exit status: 0 success, 1 failure, 2 usage error, 3 mpiod not reachable.\n");
}

int main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{}
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "+h", options, NULL)) >= 0) {
		switch (opt) {
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("multipathctl %s\n", mp_version());
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return commands[0].run(1, (char *[]){ (char *)"status", NULL });
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(argv[optind], commands[i].name) == 0)
			return commands[i].run(argc - optind, argv + optind);
	fprintf(stderr, "multipathctl: unknown command '%s' (see --help)\n", argv[optind]);
	return EXIT_USAGE;
}
