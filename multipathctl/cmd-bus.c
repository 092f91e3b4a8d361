/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The commands that talk to mpiod over D-Bus (org.mpio.Manager1): the
 * changing commands (fail/reinstate path, switch group, set policy, flush,
 * reload) and monitor; show reads mpiod's state in show-bus.c.
 *
 * D-Bus errors are printed with their message and exit 1; when mpiod is
 * not on the bus, exit 3.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "bus.h"
#include "macro.h"
#include "mpio-names.h"
#include "multipathctl.h"

/* ---- Manager counts, for status ---- */

int bus_manager_counts(unsigned *ret_maps, unsigned *ret_paths, unsigned *ret_failed)
{
	_cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
	const char *props[] = { "NMaps", "NPaths", "NFailedPaths" };
	unsigned *out[] = { ret_maps, ret_paths, ret_failed };
	int r;

	r = sd_bus_open_system(&bus);
	for (size_t i = 0; r >= 0 && i < ARRAY_SIZE(props); i++) {
		uint32_t v = 0;

		r = sd_bus_get_property_trivial(bus, MPIO_BUS_NAME, MPIO_MANAGER_PATH, MPIO_MANAGER_IFACE, props[i],
						NULL, 'u', &v);
		*out[i] = v;
	}
	return r;
}

/* ---- Changing commands ---- */

static int call(const char *what, const char *method, const char *types, ...)
{
	_cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *msg = NULL, *reply = NULL;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	va_list ap;
	int r;

	r = bus_connect(&bus, false);
	if (r < 0)
		return -r;
	r = sd_bus_message_new_method_call(bus, &msg, MPIO_BUS_NAME, MPIO_MANAGER_PATH, MPIO_MANAGER_IFACE, method);
	if (r >= 0 && types) {
		va_start(ap, types);
		r = sd_bus_message_appendv(msg, types, ap);
		va_end(ap);
	}
	if (r < 0) {
		fprintf(stderr, "multipathctl: %s: %s\n", what, strerror(-r));
		return EXIT_FAIL;
	}
	r = sd_bus_call(bus, msg, 0, &e, &reply);
	if (r < 0) {
		r = bus_error(what, &e, r);
		sd_bus_error_free(&e);
		return r;
	}
	return EXIT_OK;
}

static int parse_args_or_help(int argc, char *argv[], int n, char **pos, const char *usage)
{
	int npos, r = args_parse_simple(argc, argv, n, n, pos, &npos);

	if (r > 0)
		printf("Usage: multipathctl %s\n\nSee multipathctl(8).\n", usage);
	return r;
}

#define PARSE(n, usage)                                                  \
	char *pos[argc + 1];                                             \
	int pr = parse_args_or_help(argc, argv, n, pos, usage);          \
	if (pr != 0)                                                     \
		return pr > 0 ? EXIT_OK : EXIT_USAGE

static int cmd_fail_path(int argc, char *argv[])
{
	PARSE(1, "fail path DEV");
	return call("fail path", "FailPath", "s", pos[0]);
}

static int cmd_reinstate_path(int argc, char *argv[])
{
	PARSE(1, "reinstate path DEV");
	return call("reinstate path", "ReinstatePath", "s", pos[0]);
}

static int cmd_switch_group(int argc, char *argv[])
{
	char *end;
	unsigned long n;

	PARSE(2, "switch group MAP N");
	errno = 0;
	n = strtoul(pos[1], &end, 10);
	if (errno || *end || end == pos[1] || n < 1 || n > UINT32_MAX) {
		fprintf(stderr, "multipathctl switch group: '%s' is not a group number (1, 2, ...)\n",
			pos[1]);
		return EXIT_USAGE;
	}
	return call("switch group", "SwitchGroup", "su", pos[0], (uint32_t)n);
}

static int cmd_set_policy(int argc, char *argv[])
{
	PARSE(2, "set policy MAP SELECTOR");
	if (mp_selector_from_string(pos[1]) < 0) {
		fprintf(stderr, "multipathctl set policy: unknown path selector '%s'\n", pos[1]);
		return EXIT_USAGE;
	}
	return call("set policy", "SetPolicy", "ss", pos[0], pos[1]);
}

int cmd_flush(int argc, char *argv[])
{
	PARSE(1, "flush MAP");
	return call("flush", "FlushMap", "s", pos[0]);
}

int cmd_reload(int argc, char *argv[])
{
	PARSE(0, "reload");
	return call("reload", "Reload", NULL);
}

static const struct cmd fail_commands[] = {
	{ "path", cmd_fail_path, "DEV  fail a path" },
};
static const struct cmd reinstate_commands[] = {
	{ "path", cmd_reinstate_path, "DEV  reinstate a failed path" },
};
static const struct cmd switch_commands[] = {
	{ "group", cmd_switch_group, "MAP N  make group N of MAP the active one" },
};
static const struct cmd set_commands[] = {
	{ "policy", cmd_set_policy, "MAP SELECTOR  the path selector of MAP's groups" },
};

int cmd_fail(int argc, char *argv[])
{
	return cmd_dispatch(argc, argv, fail_commands, ARRAY_SIZE(fail_commands));
}

int cmd_reinstate(int argc, char *argv[])
{
	return cmd_dispatch(argc, argv, reinstate_commands, ARRAY_SIZE(reinstate_commands));
}

int cmd_switch(int argc, char *argv[])
{
	return cmd_dispatch(argc, argv, switch_commands, ARRAY_SIZE(switch_commands));
}

int cmd_set(int argc, char *argv[])
{
	return cmd_dispatch(argc, argv, set_commands, ARRAY_SIZE(set_commands));
}

/* ---- monitor ---- */

/* The last element of an object path, decoded ("sdc", "mpatha"). */
static char *object_leaf(const char *path, const char **ret_kind)
{
	char *name = NULL;

	if (sd_bus_path_decode(path, MPIO_MANAGER_PATH "/map", &name) > 0) {
		*ret_kind = "map";
		return name;
	}
	if (sd_bus_path_decode(path, MPIO_MANAGER_PATH "/path", &name) > 0) {
		*ret_kind = "path";
		return name;
	}
	*ret_kind = "manager";
	return NULL;
}

static void print_event(const char *event, const char *kind, const char *name, const char *map,
			const char *devt, char **props)
{
	if (arg_json) {
		struct json j;

		json_init(&j, stdout, false);
		json_object_begin(&j);
		json_kv_string(&j, "event", event);
		if (map || devt) {
			json_kv_string(&j, "map", map);
			json_kv_string(&j, "path", name);
			json_kv_string(&j, "devt", devt);
		} else {
			json_kv_string(&j, "object", kind);
			json_kv_string(&j, "name", name);
		}
		if (props) {
			json_key(&j, "properties");
			json_array_begin(&j);
			for (char **p = props; *p; p++)
				json_string(&j, *p);
			json_array_end(&j);
		}
		json_object_end(&j);
	} else if (map || devt)
		printf("%s map %s path %s (%s)\n", event, map ?: "-", name, devt ?: "?");
	else {
		printf("%s %s %s", event, kind, name ?: "");
		for (char **p = props; p && *p; p++)
			printf("%s%s", p == props ? ": " : ", ", *p);
		putchar('\n');
	}
	fflush(stdout);
}

/* Append a copy of name to the NULL-terminated list v of n names. */
static int names_push(char ***v, size_t *n, const char *name)
{
	char **a = reallocarray(*v, *n + 2, sizeof(*a));

	if (!a)
		return -ENOMEM;
	*v = a;
	a[*n] = strdup(name);
	if (!a[*n])
		return -ENOMEM;
	a[++*n] = NULL;
	return 0;
}

static int on_signal_msg(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	sd_bus *bus = sd_bus_message_get_bus(m);
	const char *member = sd_bus_message_get_member(m), *iface = sd_bus_message_get_interface(m);
	const char *kind;
	_cleanup_free_ char *leaf = object_leaf(sd_bus_message_get_path(m), &kind);

	if (!member || !iface)
		return 0;
	if (strcmp(iface, MPIO_MANAGER_IFACE) == 0) {
		const char *a = NULL, *b = NULL;

		if (strcmp(member, "PathFailed") == 0 || strcmp(member, "PathReinstated") == 0) {
			_cleanup_free_ char *opath = NULL, *devt = NULL;

			if (sd_bus_message_read(m, "ss", &a, &b) < 0)
				return 0;
			if (sd_bus_path_encode(MPIO_MANAGER_PATH "/path", b, &opath) >= 0)
				(void)sd_bus_get_property_string(bus, MPIO_BUS_NAME, opath, MPIO_PATH_IFACE, "Devt",
								 NULL, &devt);
			print_event(member, "path", b, a, devt ?: "", NULL);
		} else if (sd_bus_message_read(m, "s", &a) >= 0)
			print_event(member, "map", a, NULL, NULL, NULL);
		return 0;
	}
	if (strcmp(iface, "org.freedesktop.DBus.Properties") == 0 &&
	    strcmp(member, "PropertiesChanged") == 0) {
		char **props = NULL;
		size_t n = 0;
		const char *pname;
		int r;

		if (sd_bus_message_skip(m, "s") < 0 || sd_bus_message_enter_container(m, 'a', "{sv}") < 0)
			return 0;
		while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
			if (sd_bus_message_read(m, "s", &pname) < 0 || sd_bus_message_skip(m, "v") < 0 ||
			    sd_bus_message_exit_container(m) < 0 || names_push(&props, &n, pname) < 0)
				break;
		}
		/* Then those that changed without their value (Settings). */
		if (r >= 0 && sd_bus_message_exit_container(m) >= 0 &&
		    sd_bus_message_enter_container(m, 'a', "s") >= 0)
			while (sd_bus_message_read(m, "s", &pname) > 0 && names_push(&props, &n, pname) >= 0)
				;
		print_event("PropertiesChanged", kind, leaf, NULL, NULL, props ?: (char *[]){ NULL });
		for (size_t i = 0; i < n; i++)
			free(props[i]);
		free(props);
	}
	return 0;
}

static int on_sigint(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	return sd_event_exit(sd_event_source_get_event(s), 0);
}

static int on_owner_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	const char *name, *old, *new;

	/* Every client's exit is a NameOwnerChanged: only mpiod's name counts. */
	if (sd_bus_message_read(m, "sss", &name, &old, &new) >= 0 && strcmp(name, MPIO_BUS_NAME) == 0 &&
	    !*new) {
		fprintf(stderr, "multipathctl monitor: mpiod left the bus\n");
		return sd_event_exit(sd_bus_get_event(sd_bus_message_get_bus(m)), EXIT_NODAEMON);
	}
	return 0;
}

int cmd_monitor(int argc, char *argv[])
{
	_cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
	sd_event *event = NULL;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	char *pos[argc + 1];
	int npos, r, code = EXIT_OK;
	sigset_t mask;

	r = args_parse_simple(argc, argv, 0, 0, pos, &npos);
	if (r != 0) {
		if (r > 0)
			printf("Usage: multipathctl monitor [--json]\n\nPrint mpiod's events as they "
			       "happen, one line each, until interrupted.\n");
		return r > 0 ? EXIT_OK : EXIT_USAGE;
	}
	r = bus_connect(&bus, false);
	if (r < 0)
		return -r;
	/* Is it there at all? The same call tells apart "not running" and "not allowed". */
	r = sd_bus_call_method(bus, MPIO_BUS_NAME, MPIO_MANAGER_PATH, "org.freedesktop.DBus.Peer", "Ping", &e,
			       NULL, NULL);
	if (r < 0) {
		r = bus_error("monitor", &e, r);
		sd_bus_error_free(&e);
		return r;
	}
	if ((r = sd_bus_match_signal(bus, NULL, MPIO_BUS_NAME, NULL, MPIO_MANAGER_IFACE, NULL, on_signal_msg,
				     NULL)) < 0 ||
	    (r = sd_bus_match_signal(bus, NULL, MPIO_BUS_NAME, NULL, "org.freedesktop.DBus.Properties",
				     "PropertiesChanged", on_signal_msg, NULL)) < 0 ||
	    (r = sd_bus_add_match(bus, NULL,
				  "type='signal',sender='org.freedesktop.DBus',"
				  "interface='org.freedesktop.DBus',member='NameOwnerChanged',"
				  "arg0='" MPIO_BUS_NAME "'", on_owner_changed, NULL)) < 0) {
		fprintf(stderr, "multipathctl monitor: cannot subscribe: %s\n", strerror(-r));
		return EXIT_FAIL;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	if ((r = sd_event_default(&event)) < 0 ||
	    (r = sd_event_add_signal(event, NULL, SIGINT, on_sigint, NULL)) < 0 ||
	    (r = sd_event_add_signal(event, NULL, SIGTERM, on_sigint, NULL)) < 0 ||
	    (r = sd_bus_attach_event(bus, event, 0)) < 0) {
		fprintf(stderr, "multipathctl monitor: %s\n", strerror(-r));
		sd_event_unref(event);
		return EXIT_FAIL;
	}
	if (!arg_json)
		fprintf(stderr, "Monitoring mpiod's events (Ctrl-C to stop).\n");
	r = sd_event_loop(event);
	if (r > 0)
		code = r;
	else if (r < 0) {
		fprintf(stderr, "multipathctl monitor: %s\n", strerror(-r));
		code = EXIT_FAIL;
	}
	sd_bus_detach_event(bus);
	sd_event_unref(event);
	return code;
}
