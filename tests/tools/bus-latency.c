/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bus-latency: how long mpiod takes to answer, without the cost of starting
 * a process per call, which on a loaded guest is seconds and swamps it
 * (tests/faults F18).
 *
 *   bus-latency INTERVAL_MS
 *
 * On one system bus connection, every INTERVAL_MS until SIGINT or SIGTERM:
 * GetId of the bus daemon (the control: the bus and the guest's scheduling
 * at that moment), then Ping and GetManagedObjects of org.mpio.Manager1.
 * One line per round: "getid MS ping MS objects MS at SECONDS" (a call
 * that failed prints -1; SECONDS: CLOCK_MONOTONIC when the round began, as in
 * the kernel log's stamps).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <time.h>
#include <unistd.h>

#include "macro.h"
#include "mpio-names.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One call, timed: ms, or -1 if it failed. */
static long long timed_call(sd_bus *bus, const char *dest, const char *path, const char *iface,
			    const char *method)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	long long t0 = now_ms();
	int r;

	r = sd_bus_call_method(bus, dest, path, iface, method, &e, &reply, NULL);
	sd_bus_error_free(&e);
	return r < 0 ? -1 : now_ms() - t0;
}

int main(int argc, char **argv)
{
	_cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t stops;
	char *end;
	long interval;
	int r;

	if (argc != 2 || (interval = strtol(argv[1], &end, 10)) <= 0 || *end) {
		fprintf(stderr, "usage: bus-latency INTERVAL_MS\n");
		return 2;
	}
	r = sd_bus_open_system(&bus);
	if (r < 0) {
		fprintf(stderr, "bus-latency: cannot connect to the system bus: %s\n", strerror(-r));
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A stop waits for the round's end: a call cut by the signal would count as failed. */
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	while (!stop) {
		long long t = now_ms(), g, p, o;

		sigprocmask(SIG_BLOCK, &stops, NULL);

		g = timed_call(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "GetId");
		p = timed_call(bus, MPIO_BUS_NAME, MPIO_MANAGER_PATH, "org.freedesktop.DBus.Peer", "Ping");
		o = timed_call(bus, MPIO_BUS_NAME, MPIO_MANAGER_PATH, "org.freedesktop.DBus.ObjectManager",
			       "GetManagedObjects");
		printf("getid %lld ping %lld objects %lld at %lld.%03lld\n", g, p, o, t / 1000, t % 1000);
		fflush(stdout);
		sigprocmask(SIG_UNBLOCK, &stops, NULL);
		usleep(interval * 1000);
	}
	return 0;
}
