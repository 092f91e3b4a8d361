/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The commands that talk to mpiod over D-Bus (org.mpio.Manager1): show
 * topology|maps|paths|map, the changing commands (fail/reinstate path,
 * switch group, set policy, flush, reload) and monitor.
 *
 * The show commands read everything with one GetManagedObjects call and
 * print it from that one consistent answer. D-Bus errors are printed with
 * their message and exit 1; when mpiod is not on the bus, exit 3.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "macro.h"
#include "mpio-names.h"
#include "multipathctl.h"

struct cpath {
	char *dev, *devt, *map, *state, *transport, *alua;
	uint32_t group, fail_count;
	int failed, admin_failed;
};

struct cgroup {
	char *state, *selector;
	uint32_t priority;
	char **devs;
	size_t n_devs;
};

struct csetting {
	char *key, *value, *origin;
};

struct cmap {
	char *name, *wwid, *vendor, *product, *state, *selector, *queueing;
	uint64_t size;
	uint32_t current_group;
	int reload_pending, queue_io;
	struct cgroup *groups;
	size_t n_groups;
	struct csetting *settings;
	size_t n_settings;
};

struct topology {
	struct cmap *maps;
	size_t n_maps;
	struct cpath *paths;
	size_t n_paths;
};

/* ---- Errors and connection ---- */

static bool error_is_no_daemon(const sd_bus_error *e)
{
	return sd_bus_error_has_names(e, SD_BUS_ERROR_SERVICE_UNKNOWN, SD_BUS_ERROR_NAME_HAS_NO_OWNER,
				      SD_BUS_ERROR_NO_SERVER, SD_BUS_ERROR_DISCONNECTED,
				      SD_BUS_ERROR_TIMEOUT) ||
	       (e->name && strncmp(e->name, "org.freedesktop.DBus.Error.Spawn.", 33) == 0);
}

/* Print a failed call's error; the exit status for it. */
static int bus_error(const char *what, const sd_bus_error *e, int r)
{
	if (sd_bus_error_has_name(e, SD_BUS_ERROR_ACCESS_DENIED)) {
		fprintf(stderr, "multipathctl: %s: permission denied: %s\n", what,
			e->message ?: "needs root");
		return EXIT_FAIL;
	}
	if (error_is_no_daemon(e)) {
		fprintf(stderr, "multipathctl: %s: mpiod is not reachable on the system bus: %s\n", what,
			e->message ?: e->name);
		return EXIT_NODAEMON;
	}
	fprintf(stderr, "multipathctl: %s: %s\n", what,
		sd_bus_error_is_set(e) ? (e->message ?: e->name) : strerror(-r));
	return EXIT_FAIL;
}

/* Connect to the system bus; on failure the exit status (3) is returned negated. */
static int bus_connect(sd_bus **ret)
{
	int r = sd_bus_open_system(ret);

	if (r < 0) {
		fprintf(stderr, "multipathctl: cannot reach the system bus: %s\n", strerror(-r));
		return -EXIT_NODAEMON;
	}
	return 0;
}

/* ---- Reading the objects ---- */

static void topology_free(struct topology *t)
{
	for (size_t i = 0; i < t->n_maps; i++) {
		struct cmap *m = &t->maps[i];

		free(m->name), free(m->wwid), free(m->vendor), free(m->product), free(m->state);
		free(m->selector), free(m->queueing);
		for (size_t g = 0; g < m->n_groups; g++) {
			free(m->groups[g].state), free(m->groups[g].selector);
			for (size_t k = 0; k < m->groups[g].n_devs; k++)
				free(m->groups[g].devs[k]);
			free(m->groups[g].devs);
		}
		free(m->groups);
		for (size_t k = 0; k < m->n_settings; k++)
			free(m->settings[k].key), free(m->settings[k].value), free(m->settings[k].origin);
		free(m->settings);
	}
	for (size_t i = 0; i < t->n_paths; i++) {
		struct cpath *p = &t->paths[i];

		free(p->dev), free(p->devt), free(p->map), free(p->state), free(p->transport);
		free(p->alua);
	}
	free(t->maps);
	free(t->paths);
}

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

static int read_groups(sd_bus_message *m, struct cmap *map)
{
	int r;

	r = sd_bus_message_enter_container(m, 'a', "(susas)");
	if (r < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'r', "susas")) > 0) {
		struct cgroup *a = reallocarray(map->groups, map->n_groups + 1, sizeof(*a)), *g;
		const char *state, *selector, *dev;

		if (!a)
			return -ENOMEM;
		map->groups = a;
		g = &a[map->n_groups++];
		*g = (struct cgroup){};
		r = sd_bus_message_read(m, "sus", &state, &g->priority, &selector);
		if (r < 0)
			return r;
		g->state = strdup(state);
		g->selector = strdup(selector);
		if (!g->state || !g->selector)
			return -ENOMEM;
		r = sd_bus_message_enter_container(m, 'a', "s");
		if (r < 0)
			return r;
		while ((r = sd_bus_message_read(m, "s", &dev)) > 0) {
			char **d = reallocarray(g->devs, g->n_devs + 1, sizeof(*d));

			if (!d)
				return -ENOMEM;
			g->devs = d;
			if (!(d[g->n_devs] = strdup(dev)))
				return -ENOMEM;
			g->n_devs++;
		}
		if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0 ||
		    (r = sd_bus_message_exit_container(m)) < 0)
			return r;
	}
	return r < 0 ? r : sd_bus_message_exit_container(m);
}

static int read_settings(sd_bus_message *m, struct cmap *map)
{
	const char *k, *v, *o;
	int r;

	r = sd_bus_message_enter_container(m, 'a', "(sss)");
	if (r < 0)
		return r;
	while ((r = sd_bus_message_read(m, "(sss)", &k, &v, &o)) > 0) {
		struct csetting *a = reallocarray(map->settings, map->n_settings + 1, sizeof(*a));

		if (!a)
			return -ENOMEM;
		map->settings = a;
		a[map->n_settings] = (struct csetting){ strdup(k), strdup(v), strdup(o) };
		if (!a[map->n_settings].key || !a[map->n_settings].value || !a[map->n_settings].origin)
			return -ENOMEM;
		map->n_settings++;
	}
	return r < 0 ? r : sd_bus_message_exit_container(m);
}

/* One property (name, variant) of a map or path; unknown ones are skipped. */
static int read_property(sd_bus_message *m, struct cmap *map, struct cpath *path)
{
	const char *name, *contents;
	char type;
	int r;

	r = sd_bus_message_read(m, "s", &name);
	if (r < 0)
		return r;
	r = sd_bus_message_peek_type(m, &type, &contents);
	if (r < 0)
		return r;
	r = sd_bus_message_enter_container(m, 'v', contents);
	if (r < 0)
		return r;
#define STR(obj, prop, field) \
	if (obj && strcmp(name, prop) == 0 && strcmp(contents, "s") == 0) r = read_string(m, &obj->field); else
#define NUM(obj, prop, sig, field) \
	if (obj && strcmp(name, prop) == 0 && strcmp(contents, sig) == 0) r = sd_bus_message_read(m, sig, &obj->field); else
	STR(map, "Name", name)
	STR(map, "WWID", wwid)
	STR(map, "Vendor", vendor)
	STR(map, "Product", product)
	STR(map, "State", state)
	STR(map, "Selector", selector)
	STR(map, "Queueing", queueing)
	NUM(map, "Size", "t", size)
	NUM(map, "CurrentGroup", "u", current_group)
	NUM(map, "ReloadPending", "b", reload_pending)
	NUM(map, "QueueIO", "b", queue_io)
	if (map && strcmp(name, "Groups") == 0 && strcmp(contents, "a(susas)") == 0)
		r = read_groups(m, map);
	else
	STR(path, "Name", dev)
	STR(path, "Devt", devt)
	STR(path, "Map", map)
	STR(path, "State", state)
	STR(path, "Transport", transport)
	STR(path, "AluaState", alua)
	NUM(path, "Group", "u", group)
	NUM(path, "FailCount", "u", fail_count)
	NUM(path, "Failed", "b", failed)
	NUM(path, "AdminFailed", "b", admin_failed)
		r = sd_bus_message_skip(m, contents);
#undef STR
#undef NUM
	if (r < 0)
		return r;
	return sd_bus_message_exit_container(m);
}

static int read_object(sd_bus_message *m, struct topology *t)
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
		struct cmap *map = NULL;
		struct cpath *path = NULL;

		r = sd_bus_message_read(m, "s", &iface);
		if (r < 0)
			return r;
		if (strcmp(iface, MPIO_MAP_IFACE) == 0) {
			struct cmap *a = reallocarray(t->maps, t->n_maps + 1, sizeof(*a));

			if (!a)
				return -ENOMEM;
			t->maps = a;
			map = &a[t->n_maps++];
			*map = (struct cmap){};
		} else if (strcmp(iface, MPIO_PATH_IFACE) == 0) {
			struct cpath *a = reallocarray(t->paths, t->n_paths + 1, sizeof(*a));

			if (!a)
				return -ENOMEM;
			t->paths = a;
			path = &a[t->n_paths++];
			*path = (struct cpath){};
		}
		if (!map && !path) {
			r = sd_bus_message_skip(m, "a{sv}");
		} else {
			r = sd_bus_message_enter_container(m, 'a', "{sv}");
			if (r < 0)
				return r;
			while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
				r = read_property(m, map, path);
				if (r < 0)
					return r;
				r = sd_bus_message_exit_container(m);
				if (r < 0)
					return r;
			}
			if (r >= 0)
				r = sd_bus_message_exit_container(m);
		}
		if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0)
			return r;
	}
	return r < 0 ? r : sd_bus_message_exit_container(m);
}

/* sda < sdb < sdz < sdaa: shorter names first, then by bytes. */
static int name_cmp(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	return la != lb ? (la < lb ? -1 : 1) : strcmp(a, b);
}

static int map_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cmap *)a)->name ?: "", ((const struct cmap *)b)->name ?: "");
}

static int path_cmp(const void *a, const void *b)
{
	return name_cmp(((const struct cpath *)a)->dev ?: "", ((const struct cpath *)b)->dev ?: "");
}

/* Everything mpiod shows, in one call. Returns 0 or an exit status. */
static int topology_get(sd_bus *bus, struct topology *t)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	r = sd_bus_call_method(bus, MPIO_BUS_NAME, MPIO_MANAGER_PATH, "org.freedesktop.DBus.ObjectManager",
			       "GetManagedObjects", &e, &reply, NULL);
	if (r < 0) {
		r = bus_error("cannot read mpiod's state", &e, r);
		sd_bus_error_free(&e);
		return r;
	}
	r = sd_bus_message_enter_container(reply, 'a', "{oa{sa{sv}}}");
	while (r >= 0 && (r = sd_bus_message_enter_container(reply, 'e', "oa{sa{sv}}")) > 0) {
		r = read_object(reply, t);
		if (r >= 0)
			r = sd_bus_message_exit_container(reply);
	}
	if (r < 0) {
		fprintf(stderr, "multipathctl: cannot parse mpiod's answer: %s\n", strerror(-r));
		return EXIT_FAIL;
	}
	sort_array(t->maps, t->n_maps, sizeof(*t->maps), map_cmp);
	sort_array(t->paths, t->n_paths, sizeof(*t->paths), path_cmp);
	return 0;
}

/*
 * The map's settings: not in GetManagedObjects (mpiod leaves them out of
 * every listing, they are most of a map's size), so read with one Get.
 */
static int settings_get(sd_bus *bus, struct cmap *map)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	_cleanup_free_ char *opath = NULL;
	sd_bus_error e = SD_BUS_ERROR_NULL;
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
			r = EXIT_FAIL;
		} else
			r = bus_error("cannot read the map's settings", &e, r);
		sd_bus_error_free(&e);
		return r;
	}
	r = read_settings(reply, map);
	if (r < 0) {
		fprintf(stderr, "multipathctl: cannot parse mpiod's answer: %s\n", strerror(-r));
		return EXIT_FAIL;
	}
	return 0;
}

static const struct cpath *find_path(const struct topology *t, const char *dev)
{
	for (size_t i = 0; i < t->n_paths; i++)
		if (t->paths[i].dev && strcmp(t->paths[i].dev, dev) == 0)
			return &t->paths[i];
	return NULL;
}

/* ---- Output ---- */

static void json_path(struct json *j, const struct cpath *p, bool with_map)
{
	json_object_begin(j);
	json_kv_string(j, "dev", p->dev);
	json_kv_string(j, "devt", p->devt);
	json_kv_string(j, "state", p->state);
	json_kv_string(j, "transport", p->transport);
	json_kv_string(j, "alua_state", p->alua);
	if (with_map) {
		json_kv_string(j, "map", p->map);
		json_key(j, "group");
		if (p->group)
			json_uint(j, p->group);
		else
			json_null(j);
	}
	json_object_end(j);
}

static void json_map(struct json *j, const struct topology *t, const struct cmap *m, bool settings)
{
	json_object_begin(j);
	json_kv_string(j, "name", m->name);
	json_kv_string(j, "wwid", m->wwid);
	json_kv_string(j, "vendor", m->vendor);
	json_kv_string(j, "product", m->product);
	json_kv_uint(j, "size", m->size);
	json_key(j, "groups");
	json_array_begin(j);
	for (size_t g = 0; g < m->n_groups; g++) {
		json_object_begin(j);
		json_kv_string(j, "state", m->groups[g].state);
		json_kv_uint(j, "priority", m->groups[g].priority);
		json_kv_string(j, "selector", m->groups[g].selector);
		json_key(j, "paths");
		json_array_begin(j);
		for (size_t k = 0; k < m->groups[g].n_devs; k++) {
			const struct cpath *p = find_path(t, m->groups[g].devs[k]);

			if (p)
				json_path(j, p, false);
		}
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
	if (settings) {
		json_key(j, "settings");
		json_object_begin(j);
		for (size_t k = 0; k < m->n_settings; k++) {
			json_key(j, m->settings[k].key);
			json_object_begin(j);
			json_kv_string(j, "value", m->settings[k].value);
			json_kv_string(j, "origin", m->settings[k].origin);
			json_object_end(j);
		}
		json_object_end(j);
	}
	json_kv_string(j, "queueing", m->queueing);
	json_object_end(j);
}

static size_t map_npaths(const struct topology *t, const struct cmap *m, size_t *ret_failed)
{
	size_t n = 0, failed = 0;

	for (size_t i = 0; i < t->n_paths; i++)
		if (t->paths[i].map && m->name && strcmp(t->paths[i].map, m->name) == 0) {
			n++;
			failed += t->paths[i].failed != 0;
		}
	*ret_failed = failed;
	return n;
}

static enum out_color state_color(const char *state)
{
	if (!state)
		return COLOR_NONE;
	if (strcmp(state, "down") == 0 || strcmp(state, "disabled") == 0)
		return COLOR_RED;
	if (strcmp(state, "up") == 0 || strcmp(state, "active") == 0)
		return COLOR_GREEN;
	return COLOR_YELLOW;
}

static void print_map_tree(const struct topology *t, const struct cmap *m, bool color)
{
	char size[32];

	out_format_bytes(m->size, size, sizeof(size));
	printf("%s%s%s (%s) %s %s, %s%s\n", color ? out_color_on(COLOR_BOLD) : "", m->name,
	       color ? OUT_COLOR_OFF : "", m->wwid, m->vendor, m->product, size,
	       m->queue_io ? ", queueing I/O" :
	       m->queueing && strcmp(m->queueing, "expired") == 0 ? ", queueing expired" : "");
	for (size_t g = 0; g < m->n_groups; g++) {
		const struct cgroup *gr = &m->groups[g];
		bool last_group = g + 1 == m->n_groups;
		_cleanup_(table_freep) struct table *tab = table_new("", "", "", "", "", "", NULL);

		printf("%s group %u  %s%s%s  priority %u  %s\n", last_group ? "`-" : "|-",
		       (unsigned)(g + 1), color ? out_color_on(state_color(gr->state)) : "", gr->state,
		       color ? OUT_COLOR_OFF : "", gr->priority, gr->selector);
		for (size_t k = 0; tab && k < gr->n_devs; k++) {
			const struct cpath *p = find_path(t, gr->devs[k]);

			table_add_cellf(tab, COLOR_NONE, "%s %s", last_group ? "  " : "| ",
					k + 1 == gr->n_devs ? "`-" : "|-");
			table_add_cell(tab, COLOR_NONE, gr->devs[k]);
			table_add_cell(tab, COLOR_NONE, p ? p->devt : "?");
			table_add_cell(tab, state_color(p ? p->state : NULL), p ? p->state : "?");
			table_add_cell(tab, COLOR_NONE, p ? p->transport : "?");
			table_add_cell(tab, COLOR_NONE, p ? p->alua : "?");
		}
		if (tab && table_get_rows(tab) > 0) {
			/* The header row of the table is empty: print the rows only. */
			char *buf = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&buf, &len);

			if (f) {
				table_print(tab, f, color);
				fclose(f);
				fputs(strchr(buf, '\n') ? strchr(buf, '\n') + 1 : buf, stdout);
				free(buf);
			}
		}
	}
	if (m->n_groups == 0)
		printf("`- (no groups: %s)\n", m->state ?: "unknown");
}

/* ---- show ---- */

enum show_what { SHOW_TOPOLOGY, SHOW_MAPS, SHOW_PATHS, SHOW_MAP };

static int show(int argc, char *argv[], enum show_what what)
{
	_cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
	struct topology t = {};
	struct cmap *one = NULL;
	char *pos[argc];
	int npos, r;
	bool color = ctl_color();

	r = args_parse_simple(argc, argv, what == SHOW_MAP, what == SHOW_MAP, pos, &npos);
	if (r != 0) {
		if (r > 0)
			printf("Usage: multipathctl show %s [--json[=pretty]]\n\nSee multipathctl(8).\n",
			       what == SHOW_MAP ? "map NAME" : argv[0]);
		return r > 0 ? EXIT_OK : EXIT_USAGE;
	}
	r = bus_connect(&bus);
	if (r < 0)
		return -r;
	r = topology_get(bus, &t);
	if (r != 0)
		goto out;
	if (what == SHOW_MAP) {
		for (size_t i = 0; i < t.n_maps && !one; i++)
			if (t.maps[i].name && strcmp(t.maps[i].name, pos[0]) == 0)
				one = &t.maps[i];
		if (!one) {
			fprintf(stderr, "multipathctl show map: no map named '%s'\n", pos[0]);
			r = EXIT_FAIL;
			goto out;
		}
		r = settings_get(bus, one);
		if (r != 0)
			goto out;
	}

	if (arg_json) {
		struct json j;

		ctl_json_init(&j);
		if (what == SHOW_MAP) {
			json_map(&j, &t, one, true);
			goto out;
		}
		json_object_begin(&j);
		json_key(&j, what == SHOW_PATHS ? "paths" : "maps");
		json_array_begin(&j);
		if (what == SHOW_PATHS)
			for (size_t i = 0; i < t.n_paths; i++)
				json_path(&j, &t.paths[i], true);
		else
			for (size_t i = 0; i < t.n_maps; i++)
				json_map(&j, &t, &t.maps[i], false);
		json_array_end(&j);
		json_object_end(&j);
		goto out;
	}

	if (what == SHOW_TOPOLOGY) {
		for (size_t i = 0; i < t.n_maps; i++) {
			if (i)
				putchar('\n');
			print_map_tree(&t, &t.maps[i], color);
		}
		if (t.n_maps == 0)
			printf("No maps.\n");
	} else if (what == SHOW_MAPS) {
		_cleanup_(table_freep) struct table *tab =
			table_new("NAME", "WWID", "VENDOR", "PRODUCT", "SIZE", "PATHS", "STATE", NULL);

		if (!tab) {
			r = EXIT_FAIL;
			goto out;
		}
		table_set_align_right(tab, 4);
		for (size_t i = 0; i < t.n_maps; i++) {
			const struct cmap *m = &t.maps[i];
			size_t failed, n = map_npaths(&t, m, &failed);
			char size[32];

			out_format_bytes(m->size, size, sizeof(size));
			table_add_cell(tab, COLOR_NONE, m->name);
			table_add_cell(tab, COLOR_NONE, m->wwid);
			table_add_cell(tab, COLOR_NONE, m->vendor);
			table_add_cell(tab, COLOR_NONE, m->product);
			table_add_cell(tab, COLOR_NONE, size);
			table_add_cellf(tab, failed ? COLOR_YELLOW : COLOR_NONE, "%zu/%zu", n - failed, n);
			table_add_cell(tab, state_color(m->state), m->state);
		}
		r = table_print(tab, stdout, color) < 0 ? EXIT_FAIL : 0;
	} else if (what == SHOW_PATHS) {
		_cleanup_(table_freep) struct table *tab =
			table_new("DEV", "DEVT", "MAP", "GROUP", "STATE", "TRANSPORT", "ALUA", NULL);

		if (!tab) {
			r = EXIT_FAIL;
			goto out;
		}
		table_set_align_right(tab, 3);
		for (size_t i = 0; i < t.n_paths; i++) {
			const struct cpath *p = &t.paths[i];

			table_add_cell(tab, COLOR_NONE, p->dev);
			table_add_cell(tab, COLOR_NONE, p->devt);
			table_add_cell(tab, COLOR_NONE, p->map);
			if (p->group)
				table_add_cellf(tab, COLOR_NONE, "%u", p->group);
			else
				table_add_cell(tab, COLOR_GREY, "-");
			table_add_cellf(tab, state_color(p->state), "%s%s", p->state,
					p->admin_failed ? " (admin)" : "");
			table_add_cell(tab, COLOR_NONE, p->transport);
			table_add_cell(tab, COLOR_NONE, p->alua);
		}
		r = table_print(tab, stdout, color) < 0 ? EXIT_FAIL : 0;
	} else {
		_cleanup_(table_freep) struct table *tab = table_new("SETTING", "VALUE", "ORIGIN", NULL);

		print_map_tree(&t, one, color);
		printf("\nstate %s%s, current group %u, queueing %s\n\n", one->state,
		       one->reload_pending ? " (reload pending)" : "", one->current_group,
		       one->queueing ?: "unknown");
		for (size_t k = 0; tab && k < one->n_settings; k++) {
			table_add_cell(tab, COLOR_NONE, one->settings[k].key);
			table_add_cell(tab, COLOR_NONE, one->settings[k].value);
			table_add_cell(tab, strcmp(one->settings[k].origin, "default") == 0 ? COLOR_GREY :
											       COLOR_NONE,
				       one->settings[k].origin);
		}
		r = !tab || table_print(tab, stdout, color) < 0 ? EXIT_FAIL : 0;
	}
out:
	topology_free(&t);
	return r;
}

int cmd_show_topology(int argc, char *argv[])
{
	return show(argc, argv, SHOW_TOPOLOGY);
}

int cmd_show_maps(int argc, char *argv[])
{
	return show(argc, argv, SHOW_MAPS);
}

int cmd_show_paths(int argc, char *argv[])
{
	return show(argc, argv, SHOW_PATHS);
}

int cmd_show_map(int argc, char *argv[])
{
	return show(argc, argv, SHOW_MAP);
}

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

	r = bus_connect(&bus);
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
	r = bus_connect(&bus);
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
