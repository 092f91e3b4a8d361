/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The connection to mpiod on the system bus (bus.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bus.h"
#include "ctl.h"

bool bus_error_is_not_running(const sd_bus_error *e)
{
	return sd_bus_error_has_names(e, SD_BUS_ERROR_SERVICE_UNKNOWN, SD_BUS_ERROR_NAME_HAS_NO_OWNER);
}

bool bus_error_is_no_daemon(const sd_bus_error *e)
{
	return bus_error_is_not_running(e) ||
	       sd_bus_error_has_names(e, SD_BUS_ERROR_NO_SERVER, SD_BUS_ERROR_DISCONNECTED,
				      SD_BUS_ERROR_TIMEOUT) ||
	       (e->name && strncmp(e->name, "org.freedesktop.DBus.Error.Spawn.", 33) == 0);
}

int bus_error(const char *what, const sd_bus_error *e, int r)
{
	if (sd_bus_error_has_name(e, SD_BUS_ERROR_ACCESS_DENIED)) {
		fprintf(stderr, "multipathctl: %s: permission denied: %s\n", what,
			e->message ?: "needs root");
		return EXIT_FAIL;
	}
	if (bus_error_is_no_daemon(e)) {
		fprintf(stderr, "multipathctl: %s: mpiod is not reachable on the system bus: %s\n", what,
			e->message ?: e->name);
		return EXIT_NODAEMON;
	}
	fprintf(stderr, "multipathctl: %s: %s\n", what,
		sd_bus_error_is_set(e) ? (e->message ?: e->name) : strerror(-r));
	return EXIT_FAIL;
}

int bus_connect(sd_bus **ret, bool quiet)
{
	int r = sd_bus_open_system(ret);

	if (r < 0) {
		if (!quiet)
			fprintf(stderr, "multipathctl: cannot reach the system bus: %s\n", strerror(-r));
		return -EXIT_NODAEMON;
	}
	return 0;
}
