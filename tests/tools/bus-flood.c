/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bus-flood: many calls of one method at once, each on its own system bus
 * connection, for the tests of mpiod's limits on pending authorization
 * (tests/integration/test-dbus-polkit-limits.sh).
 *
 *   bus-flood N DESTINATION PATH INTERFACE METHOD
 *
 * Sends the N calls (allowing interactive authorization, with a 120 s
 * time-out) before it waits for any answer, prints "sent N" once they are
 * all sent, then one line per answer as it comes:
 *   "<ms> ok" or "<ms> <error name> <error message>"
 * (ms since its call was sent), and exits when every call has its answer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>
#include <time.h>

#include "macro.h"

#define CALL_TIMEOUT_USEC (120 * 1000000ULL)

static unsigned int n_left;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* userdata: when the call was sent, ms */
static int on_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	const sd_bus_error *e = sd_bus_message_get_error(m);
	unsigned long long ms = now_ms() - *(uint64_t *)userdata;

	if (e)
		printf("%llu %s %s\n", ms, e->name, e->message ?: "");
	else
		printf("%llu ok\n", ms);
	fflush(stdout);
	if (--n_left == 0)
		return sd_event_exit(sd_bus_get_event(sd_bus_message_get_bus(m)), 0);
	return 0;
}

int main(int argc, char **argv)
{
	_cleanup_(sd_event_unrefp) sd_event *event = NULL;
	sd_bus **buses;
	uint64_t *sent;
	unsigned int n;
	int r;

	if (argc != 6 || (n = (unsigned int)strtoul(argv[1], NULL, 10)) == 0 || n > 10000) {
		fprintf(stderr, "usage: bus-flood N DESTINATION PATH INTERFACE METHOD\n");
		return 2;
	}
	buses = calloc(n, sizeof(*buses));
	sent = calloc(n, sizeof(*sent));
	r = buses && sent ? sd_event_default(&event) : -ENOMEM;
	for (unsigned int i = 0; r >= 0 && i < n; i++) {
		_cleanup_(sd_bus_message_unrefp) sd_bus_message *call = NULL;

		r = sd_bus_open_system(&buses[i]);
		if (r >= 0)
			r = sd_bus_attach_event(buses[i], event, SD_EVENT_PRIORITY_NORMAL);
		if (r >= 0)
			r = sd_bus_message_new_method_call(buses[i], &call, argv[2], argv[3], argv[4], argv[5]);
		if (r >= 0)
			r = sd_bus_message_set_allow_interactive_authorization(call, 1);
		sent[i] = now_ms();
		if (r >= 0)
			r = sd_bus_call_async(buses[i], NULL, call, on_reply, &sent[i], CALL_TIMEOUT_USEC);
		if (r >= 0)
			r = sd_bus_flush(buses[i]);
	}
	if (r >= 0) {
		n_left = n;
		printf("sent %u\n", n);
		fflush(stdout);
		r = sd_event_loop(event);
	}
	for (unsigned int i = 0; buses && i < n; i++)
		sd_bus_flush_close_unref(buses[i]);
	free(buses);
	free(sent);
	if (r < 0) {
		fprintf(stderr, "bus-flood: %s\n", strerror(-r));
		return 1;
	}
	return 0;
}
