/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mpiod's view for `multipathctl show` (show-read.h): its map and path
 * objects, read with one GetManagedObjects call so that everything shown
 * comes from one consistent answer, and for `show map NAME` the map's
 * settings with one Get (mpiod leaves them out of every listing: they are
 * most of a map's size).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-bus.h>

#include "bus.h"
#include "macro.h"
#include "mpio-names.h"
#include "show-read.h"

static int read_string(sd_bus_message *m, char **ret)
{
	const char *s;
	int r = sd_bus_message_read(m, "s", &s);

	if (r < 0)
		return r;
	free(*ret);
	*ret = strdup(s);
	return *ret ? 0 : -ENOMEM;
}

/* A string property that names an enum value; unknown words keep the default. */
#define READ_ENUM(m, field, from_string)                   \
	({                                                 \
		const char *_s;                            \
		int _r = sd_bus_message_read(m, "s", &_s); \
		if (_r >= 0 && from_string(_s) >= 0)       \
			field = from_string(_s);           \
		_r;                                        \
	})

static int read_groups(sd_bus_message *m, struct show_map *map)
{
	int r;

	r = sd_bus_message_enter_container(m, 'a', "(susas)");
	if (r < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'r', "susas")) > 0) {
		struct show_group *a = reallocarray(map->groups, map->n_groups + 1, sizeof(*a)), *g;
		const char *state, *selector, *dev;
		uint32_t position;

		if (!a)
			return -ENOMEM;
		map->groups = a;
		g = &a[map->n_groups++];
		*g = (struct show_group){};
		/* The position is the group's place in the table, which the model keeps. */
		r = sd_bus_message_read(m, "sus", &state, &position, &selector);
		if (r < 0)
			return r;
		g->state = mp_group_state_from_string(state);
		g->selector = strdup(selector);
		if (!g->selector)
			return -ENOMEM;
		r = sd_bus_message_enter_container(m, 'a', "s");
		if (r < 0)
			return r;
		while ((r = sd_bus_message_read(m, "s", &dev)) > 0)
			if (show_group_add_dev(g, dev) < 0)
				return -ENOMEM;
		if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0 ||
		    (r = sd_bus_message_exit_container(m)) < 0)
			return r;
	}
	return r < 0 ? r : sd_bus_message_exit_container(m);
}

static int read_settings(sd_bus_message *m, struct show_map *map)
{
	const char *k, *v, *o;
	int r;

	r = sd_bus_message_enter_container(m, 'a', "(sss)");
	if (r < 0)
		return r;
	while ((r = sd_bus_message_read(m, "(sss)", &k, &v, &o)) > 0) {
		struct show_setting *a = reallocarray(map->settings, map->n_settings + 1, sizeof(*a));

		if (!a)
			return -ENOMEM;
		map->settings = a;
		a[map->n_settings] = (struct show_setting){ strdup(k), strdup(v), strdup(o) };
		map->n_settings++;
		if (!a[map->n_settings - 1].key || !a[map->n_settings - 1].value ||
		    !a[map->n_settings - 1].origin)
			return -ENOMEM;
	}
	map->has_settings = true;
	return r < 0 ? r : sd_bus_message_exit_container(m);
}

static int read_bool(sd_bus_message *m, bool *ret)
{
	int v, r = sd_bus_message_read(m, "b", &v);

	if (r >= 0)
		*ret = v;
	return r;
}

/* One property (name, variant) of a map; unknown ones, or of another type, are skipped. */
static int read_map_property(sd_bus_message *m, const char *name, const char *type,
			     struct show_map *map)
{
	bool s = strcmp(type, "s") == 0;

	if (s && strcmp(name, "Name") == 0)
		return read_string(m, &map->name);
	if (s && strcmp(name, "WWID") == 0)
		return read_string(m, &map->wwid);
	if (s && strcmp(name, "Vendor") == 0)
		return read_string(m, &map->vendor);
	if (s && strcmp(name, "Product") == 0)
		return read_string(m, &map->product);
	if (s && strcmp(name, "State") == 0)
		return read_string(m, &map->state);
	if (s && strcmp(name, "Queueing") == 0)
		return READ_ENUM(m, map->queueing, mp_queueing_from_string);
	if (strcmp(type, "t") == 0 && strcmp(name, "Size") == 0)
		return sd_bus_message_read(m, "t", &map->size);
	if (strcmp(type, "u") == 0 && strcmp(name, "CurrentGroup") == 0)
		return sd_bus_message_read(m, "u", &map->current_group);
	if (strcmp(type, "b") == 0 && strcmp(name, "ReloadPending") == 0)
		return read_bool(m, &map->reload_pending);
	if (strcmp(type, "b") == 0 && strcmp(name, "QueueIO") == 0)
		return read_bool(m, &map->queue_io);
	if (strcmp(type, "a(susas)") == 0 && strcmp(name, "Groups") == 0)
		return read_groups(m, map);
	return sd_bus_message_skip(m, type);
}

static int read_path_property(sd_bus_message *m, const char *name, const char *type,
			      struct show_path *p)
{
	bool s = strcmp(type, "s") == 0;
	int r;

	if (s && strcmp(name, "Name") == 0)
		return read_string(m, &p->dev);
	if (s && strcmp(name, "Devt") == 0)
		return read_string(m, &p->devt);
	if (s && strcmp(name, "Map") == 0) {
		r = read_string(m, &p->map);
		if (r >= 0 && !*p->map) {
			free(p->map);
			p->map = NULL;
		}
		return r;
	}
	if (s && strcmp(name, "State") == 0)
		return read_string(m, &p->checker);
	if (s && strcmp(name, "Transport") == 0)
		return READ_ENUM(m, p->transport, mp_transport_from_string);
	if (s && strcmp(name, "AluaState") == 0)
		return READ_ENUM(m, p->alua, mp_alua_state_from_string);
	if (strcmp(type, "u") == 0 && strcmp(name, "Group") == 0)
		return sd_bus_message_read(m, "u", &p->group);
	if (strcmp(type, "u") == 0 && strcmp(name, "FailCount") == 0)
		return sd_bus_message_read(m, "u", &p->fail_count);
	if (strcmp(type, "b") == 0 && strcmp(name, "Failed") == 0)
		return read_bool(m, &p->failed);
	if (strcmp(type, "b") == 0 && strcmp(name, "AdminFailed") == 0)
		return read_bool(m, &p->admin_failed);
	if (strcmp(type, "b") == 0 && strcmp(name, "KernelActive") == 0) {
		bool active = false;

		r = read_bool(m, &active);
		p->dm = active ? SHOW_DM_ACTIVE : SHOW_DM_FAILED;
		return r;
	}
	return sd_bus_message_skip(m, type);
}

/* The a{sv} of one interface of an object into map or path (one of them set). */
static int read_properties(sd_bus_message *m, struct show_map *map, struct show_path *path)
{
	int r;

	r = sd_bus_message_enter_container(m, 'a', "{sv}");
	if (r < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		const char *name, *type;

		if ((r = sd_bus_message_read(m, "s", &name)) < 0 ||
		    (r = sd_bus_message_peek_type(m, NULL, &type)) < 0 ||
		    (r = sd_bus_message_enter_container(m, 'v', type)) < 0)
			return r;
		r = map ? read_map_property(m, name, type, map) : read_path_property(m, name, type, path);
		if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0 ||
		    (r = sd_bus_message_exit_container(m)) < 0)
			return r;
	}
	return r < 0 ? r : sd_bus_message_exit_container(m);
}

static int read_object(sd_bus_message *m, struct show_model *model)
{
	const char *opath, *iface;
	int r;

	r = sd_bus_message_read(m, "o", &opath);
	if (r < 0)
		return r;
	r = sd_bus_message_enter_container(m, 'a', "{sa{sv}}");
	if (r < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'e', "sa{sv}")) > 0) {
		r = sd_bus_message_read(m, "s", &iface);
		if (r < 0)
			return r;
		if (strcmp(iface, MPIO_MAP_IFACE) == 0) {
			struct show_map *map = show_model_new_map(model);

			r = map ? read_properties(m, map, NULL) : -ENOMEM;
		} else if (strcmp(iface, MPIO_PATH_IFACE) == 0) {
			struct show_path *p = show_model_new_path(model);

			r = p ? read_properties(m, NULL, p) : -ENOMEM;
		} else
			r = sd_bus_message_skip(m, "a{sv}");
		if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0)
			return r;
	}
	return r < 0 ? r : sd_bus_message_exit_container(m);
}

static int read_settings_of(sd_bus *bus, struct show_map *map)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	_cleanup_free_ char *opath = NULL;
	int r;

	r = sd_bus_path_encode(MPIO_MAP_PATH_PREFIX, map->name, &opath);
	if (r < 0) {
		fprintf(stderr, "multipathctl: %s\n", strerror(-r));
		return EXIT_FAIL;
	}
	r = sd_bus_get_property(bus, MPIO_BUS_NAME, opath, MPIO_MAP_IFACE, "Settings", &e, &reply,
				"a(sss)");
	if (r < 0) {
		if (sd_bus_error_has_names(&e, SD_BUS_ERROR_UNKNOWN_OBJECT, SD_BUS_ERROR_UNKNOWN_INTERFACE)) {
			fprintf(stderr, "multipathctl show map: map '%s' went away while it was read\n",
				map->name);
			return EXIT_FAIL;
		}
		return bus_error("cannot read the map's settings", &e, r);
	}
	r = read_settings(reply, map);
	if (r < 0) {
		fprintf(stderr, "multipathctl: cannot parse mpiod's answer: %s\n", strerror(-r));
		return EXIT_FAIL;
	}
	return 0;
}

int show_bus_read(struct show_model *m, const char *settings_of, bool *ret_not_running)
{
	_cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	_cleanup_(sd_bus_error_free) sd_bus_error e = SD_BUS_ERROR_NULL;
	struct show_map *map;
	int r;

	*ret_not_running = false;
	m->source = SHOW_FROM_DAEMON;
	if (bus_connect(&bus, true) < 0) {
		*ret_not_running = true;
		return EXIT_NODAEMON;
	}
	r = sd_bus_call_method(bus, MPIO_BUS_NAME, MPIO_MANAGER_PATH, "org.freedesktop.DBus.ObjectManager",
			       "GetManagedObjects", &e, &reply, NULL);
	if (r < 0) {
		if (bus_error_is_not_running(&e)) {
			*ret_not_running = true;
			return EXIT_NODAEMON;
		}
		return bus_error("cannot read mpiod's state", &e, r);
	}
	r = sd_bus_message_enter_container(reply, 'a', "{oa{sa{sv}}}");
	while (r >= 0 && (r = sd_bus_message_enter_container(reply, 'e', "oa{sa{sv}}")) > 0) {
		r = read_object(reply, m);
		if (r >= 0)
			r = sd_bus_message_exit_container(reply);
	}
	if (r < 0) {
		fprintf(stderr, "multipathctl: cannot parse mpiod's answer: %s\n", strerror(-r));
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < m->n_maps; i++) {
		m->maps[i].target = strdup(MP_DM_TARGET);
		if (!m->maps[i].target)
			return EXIT_FAIL;
	}
	/* KernelActive of a path in no group of the loaded table says nothing. */
	for (size_t i = 0; i < m->n_paths; i++)
		if (m->paths[i].group == 0)
			m->paths[i].dm = SHOW_DM_UNKNOWN;
	show_model_sort(m);
	if (!settings_of)
		return 0;
	map = show_model_find_map(m, settings_of);
	return map ? read_settings_of(bus, map) : 0;
}
