/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fake-polkit: a stand-in for polkitd on the system bus, for the tests of
 * mpiod's authorization (tests/integration/test-dbus-polkit-limits.sh).
 *
 *   fake-polkit [--allow UID]... [--hold UID]...
 *
 * It owns org.freedesktop.PolicyKit1 and answers CheckAuthorization for a
 * subject "system-bus-name": authorized if the name's uid was given to
 * --allow; never (the call is kept unanswered, as for a user whose own
 * authentication agent never finishes) if it was given to --hold; else not
 * authorized. Each question is printed on stdout as one line
 * "<allow|hold|deny> <uid> <action>", for the test to count.
 * Run it as the user polkitd, whom polkit's D-Bus policy lets own the name.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "macro.h"

#define MAX_UIDS 64

struct fake {
	uid_t allow[MAX_UIDS], hold[MAX_UIDS];
	size_t n_allow, n_hold;
	sd_bus_message **held;		/* the calls never answered */
	size_t n_held;
};

static bool uid_in(const uid_t *set, size_t n, uid_t uid)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == uid)
			return true;
	return false;
}

/* The bus name in the subject (sa{sv}): its "name" detail. */
static int read_subject_name(sd_bus_message *m, const char **ret)
{
	const char *kind, *key, *name = NULL;
	int r;

	r = sd_bus_message_enter_container(m, 'r', "sa{sv}");
	if (r >= 0)
		r = sd_bus_message_read(m, "s", &kind);
	if (r >= 0)
		r = sd_bus_message_enter_container(m, 'a', "{sv}");
	while (r >= 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		r = sd_bus_message_read(m, "s", &key);
		if (r >= 0 && strcmp(key, "name") == 0)
			r = sd_bus_message_read(m, "v", "s", &name);
		else if (r >= 0)
			r = sd_bus_message_skip(m, "v");
		if (r >= 0)
			r = sd_bus_message_exit_container(m);
	}
	if (r >= 0)
		r = sd_bus_message_exit_container(m);
	if (r >= 0)
		r = sd_bus_message_exit_container(m);
	if (r < 0)
		return r;
	if (strcmp(kind, "system-bus-name") != 0 || !name)
		return -EINVAL;
	*ret = name;
	return 0;
}

static int method_check(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct fake *f = userdata;
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	const char *name, *action;
	uint32_t uid;
	bool allowed;
	int r;

	r = read_subject_name(m, &name);
	if (r >= 0)
		r = sd_bus_message_read(m, "s", &action);
	if (r < 0)
		return sd_bus_error_set_errnof(error, -r, "cannot read the subject: %s", strerror(-r));
	r = sd_bus_call_method(sd_bus_message_get_bus(m), "org.freedesktop.DBus", "/org/freedesktop/DBus",
			       "org.freedesktop.DBus", "GetConnectionUnixUser", error, &reply, "s", name);
	if (r >= 0)
		r = sd_bus_message_read(reply, "u", &uid);
	if (r < 0)
		return r;
	if (uid_in(f->hold, f->n_hold, uid)) {
		sd_bus_message **held = realloc(f->held, (f->n_held + 1) * sizeof(*held));

		if (!held)
			return -ENOMEM;
		f->held = held;
		f->held[f->n_held++] = sd_bus_message_ref(m);
		printf("hold %u %s\n", uid, action);
		fflush(stdout);
		return 1;
	}
	allowed = uid_in(f->allow, f->n_allow, uid);
	printf("%s %u %s\n", allowed ? "allow" : "deny", uid, action);
	fflush(stdout);
	return sd_bus_reply_method_return(m, "(bba{ss})", allowed, 0, 0);
}

static const sd_bus_vtable authority_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("CheckAuthorization", "(sa{sv})sa{ss}us", "(bba{ss})", method_check,
		      SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END
};

static int add_uid(uid_t *set, size_t *n, const char *arg)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (*n >= MAX_UIDS || !*arg || *end)
		return -EINVAL;
	set[(*n)++] = (uid_t)v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "allow", required_argument, NULL, 'a' },
		{ "hold", required_argument, NULL, 'h' },
		{}
	};
	_cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
	_cleanup_(sd_event_unrefp) sd_event *event = NULL;
	struct fake f = {};
	int c, r;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		r = c == 'a' ? add_uid(f.allow, &f.n_allow, optarg) :
		    c == 'h' ? add_uid(f.hold, &f.n_hold, optarg) : -EINVAL;
		if (r < 0) {
			fprintf(stderr, "usage: fake-polkit [--allow UID]... [--hold UID]...\n");
			return 2;
		}
	}
	r = sd_event_default(&event);
	if (r >= 0)
		r = sd_bus_open_system(&bus);
	if (r >= 0)
		r = sd_bus_add_object_vtable(bus, NULL, "/org/freedesktop/PolicyKit1/Authority",
					     "org.freedesktop.PolicyKit1.Authority", authority_vtable, &f);
	if (r >= 0)
		r = sd_bus_request_name(bus, "org.freedesktop.PolicyKit1", 0);
	if (r >= 0)
		r = sd_bus_attach_event(bus, event, SD_EVENT_PRIORITY_NORMAL);
	if (r >= 0)
		r = sd_event_loop(event);
	for (size_t i = 0; i < f.n_held; i++)
		sd_bus_message_unref(f.held[i]);
	free(f.held);
	if (r < 0) {
		fprintf(stderr, "fake-polkit: %s\n", strerror(-r));
		return 1;
	}
	return 0;
}
