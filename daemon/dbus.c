/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The D-Bus API: org.mpio.Manager1 on the system bus.
 *
 *   /org/mpio/Manager1                 org.mpio.Manager1  counts, methods, signals
 *   /org/mpio/Manager1/map/<name>      org.mpio.Map1      one per map (name escaped)
 *   /org/mpio/Manager1/path/<dev>      org.mpio.Path1     one per path
 *
 * plus org.freedesktop.DBus.ObjectManager on /org/mpio/Manager1, so that a
 * client reads everything with one GetManagedObjects call.
 *
 * Properties are read from the published snapshot (state.c), never from the
 * loop's live objects, so a client sees one consistent state. When a new
 * snapshot is published, dbus_state_changed() (state.c's subscriber)
 * compares it with the previous one and emits the signals and
 * PropertiesChanged for what differs (the kernel's counters are not
 * compared: they change with every I/O).
 *
 * sd-bus runs on the daemon's sd-event loop, so method handlers run on the
 * loop thread and may use the Context directly. Every method validates its
 * arguments first (lookups only, no I/O), then checks that the caller is
 * root or authorized by polkit (polkit_verify_caller()), then acts. The D-Bus policy file lets the calls
 * of anyone through to mpiod for that.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <syslog.h>
#include <unistd.h>

#include "mpio-names.h"
#include "utf8.h"
#include "log.h"
#include "model.h"
#include "state.h"
#include "failover.h"
#include "check.h"
#include "discovery.h"
#include "maps.h"
#include "reload.h"
#include "polkit.h"
#include "dbus.h"

#define ARG_MAX_LEN 4096

static const char *path_state(const struct snap_path *p)
{
	if (p->failed)
		return "down";
	return p->alua == MP_ALUA_STANDBY ? "ghost" : "up";
}

/* The object's name from its path, newly allocated; 0 if the path is not below prefix. */
static int object_name(const char *path, const char *prefix, char **ret)
{
	int r = sd_bus_path_decode(path, prefix, ret);

	if (r > 0 && !**ret) {
		free(*ret);
		*ret = NULL;
		return 0;
	}
	return r;
}

/* ---- Property getters by type: userdata is the field (the object's + the vtable's offset) ---- */

static int prop_str(sd_bus *bus, const char *path, const char *interface, const char *property,
		    sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
	return sd_bus_message_append(reply, "s", (const char *)userdata);
}

static int prop_strp(sd_bus *bus, const char *path, const char *interface, const char *property,
		     sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
	return sd_bus_message_append(reply, "s", *(char **)userdata ?: "");
}

static int prop_bool(sd_bus *bus, const char *path, const char *interface, const char *property,
		     sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
	return sd_bus_message_append(reply, "b", (int)*(bool *)userdata);
}

static int prop_u32(sd_bus *bus, const char *path, const char *interface, const char *property,
		    sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
	return sd_bus_message_append(reply, "u", (uint32_t)*(unsigned *)userdata);
}

static int prop_u64(sd_bus *bus, const char *path, const char *interface, const char *property,
		    sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
	return sd_bus_message_append(reply, "t", *(uint64_t *)userdata);
}

/* ---- Manager properties: counted over the current snapshot ---- */

struct manager_counts {
	uint32_t maps, paths, failed;
	uint64_t generation;
};

static struct manager_counts manager_count(Context *c)
{
	struct manager_counts n = {};
	const struct snapshot *s;

	urcu_memb_read_lock();
	s = state_current(c);
	for (size_t i = 0; s && i < s->n_maps; i++) {
		if (!s->maps[i].name)
			continue;
		n.maps++;
		n.paths += s->maps[i].n_paths;
		for (size_t k = 0; k < s->maps[i].n_paths; k++)
			n.failed += s->maps[i].paths[k].failed;
	}
	if (s)
		n.generation = s->generation;
	urcu_memb_read_unlock();
	return n;
}

static int manager_get_version(sd_bus *bus, const char *path, const char *interface,
			       const char *property, sd_bus_message *reply, void *userdata,
			       sd_bus_error *error)
{
	return sd_bus_message_append(reply, "s", mp_version());
}

/* Escaped: a D-Bus string must be UTF-8, and a directory name need not be (sd-bus would refuse GetAll). */
static int manager_get_config_dir(sd_bus *bus, const char *path, const char *interface,
				  const char *property, sd_bus_message *reply, void *userdata,
				  sd_bus_error *error)
{
	Context *c = userdata;
	_cleanup_free_ char *dir = mp_utf8_escape(c->config_dir ?: "");

	return dir ? sd_bus_message_append(reply, "s", dir) : -ENOMEM;
}

static int manager_get_generation(sd_bus *bus, const char *path, const char *interface,
				  const char *property, sd_bus_message *reply, void *userdata,
				  sd_bus_error *error)
{
	return sd_bus_message_append(reply, "t", manager_count(userdata).generation);
}

static int manager_get_n_maps(sd_bus *bus, const char *path, const char *interface,
			      const char *property, sd_bus_message *reply, void *userdata,
			      sd_bus_error *error)
{
	return sd_bus_message_append(reply, "u", manager_count(userdata).maps);
}

static int manager_get_n_paths(sd_bus *bus, const char *path, const char *interface,
			       const char *property, sd_bus_message *reply, void *userdata,
			       sd_bus_error *error)
{
	return sd_bus_message_append(reply, "u", manager_count(userdata).paths);
}

static int manager_get_n_failed(sd_bus *bus, const char *path, const char *interface,
				const char *property, sd_bus_message *reply, void *userdata,
				sd_bus_error *error)
{
	return sd_bus_message_append(reply, "u", manager_count(userdata).failed);
}

/* ---- Map objects ---- */

static int map_object_find(sd_bus *bus, const char *path, const char *interface, void *userdata,
			   void **ret_found, sd_bus_error *error)
{
	Context *c = userdata;
	_cleanup_free_ char *name = NULL;
	const struct snap_map *m;
	int r;

	r = object_name(path, MPIO_MAP_PATH_PREFIX, &name);
	if (r <= 0)
		return r;
	urcu_memb_read_lock();
	m = snapshot_find_map(state_current(c), name);
	urcu_memb_read_unlock();
	if (!m)
		return 0;
	*ret_found = (void *)m;
	return 1;
}

static int map_node_enumerator(sd_bus *bus, const char *prefix, void *userdata, char ***ret_nodes,
			       sd_bus_error *error)
{
	Context *c = userdata;
	const struct snapshot *s;
	char **nodes;
	size_t n = 0;
	int r = 0;

	urcu_memb_read_lock();
	s = state_current(c);
	nodes = calloc((s ? s->n_maps : 0) + 1, sizeof(*nodes));
	for (size_t i = 0; nodes && s && i < s->n_maps; i++) {
		if (!s->maps[i].name)
			continue;
		r = sd_bus_path_encode(MPIO_MAP_PATH_PREFIX, s->maps[i].name, &nodes[n]);
		if (r < 0)
			break;
		n++;
	}
	urcu_memb_read_unlock();
	if (!nodes || r < 0) {
		for (size_t i = 0; nodes && i < n; i++)
			free(nodes[i]);
		free(nodes);
		return -ENOMEM;
	}
	*ret_nodes = nodes;
	return 0;
}

/* The map's settings as a(sss): key, value, origin. */
static int append_settings(sd_bus_message *reply, const struct snap_map *m)
{
	int r;

	r = sd_bus_message_open_container(reply, 'a', "(sss)");
	if (r < 0)
		return r;
	for (size_t k = 0; k < m->n_settings; k++) {
		r = sd_bus_message_append(reply, "(sss)", m->settings[k].key, m->settings[k].value,
					  m->settings[k].origin);
		if (r < 0)
			return r;
	}
	return sd_bus_message_close_container(reply);
}

static int append_groups(sd_bus_message *reply, const struct snap_map *m)
{
	int r;

	r = sd_bus_message_open_container(reply, 'a', "(susas)");
	if (r < 0)
		return r;
	for (size_t g = 0; g < m->n_groups; g++) {
		r = sd_bus_message_open_container(reply, 'r', "susas");
		if (r < 0)
			return r;
		/* The table orders the groups best first: the priority is the position. */
		r = sd_bus_message_append(reply, "sus", mp_group_state_to_string(m->groups[g].state),
					  (uint32_t)(g + 1), mp_selector_to_string(m->selector));
		if (r < 0)
			return r;
		r = sd_bus_message_open_container(reply, 'a', "s");
		if (r < 0)
			return r;
		for (size_t k = 0; k < m->groups[g].n_paths; k++) {
			r = sd_bus_message_append(reply, "s", m->paths[m->groups[g].paths[k]].name);
			if (r < 0)
				return r;
		}
		r = sd_bus_message_close_container(reply);
		if (r < 0)
			return r;
		r = sd_bus_message_close_container(reply);
		if (r < 0)
			return r;
	}
	return sd_bus_message_close_container(reply);
}

static int map_get_size(sd_bus *bus, const char *path, const char *interface, const char *property,
			sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
	const struct snap_map *m = userdata;

	return sd_bus_message_append(reply, "t", m->size * 512);
}

static int map_get_state(sd_bus *bus, const char *path, const char *interface, const char *property,
			 sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
	const struct snap_map *m = userdata;

	return sd_bus_message_append(reply, "s", m->exists ? "active" : "pending");
}

static int map_get_queueing(sd_bus *bus, const char *path, const char *interface,
			    const char *property, sd_bus_message *reply, void *userdata,
			    sd_bus_error *error)
{
	const struct snap_map *m = userdata;

	return sd_bus_message_append(reply, "s", mp_queueing_to_string(m->queueing) ?: "unknown");
}

static int map_get_selector(sd_bus *bus, const char *path, const char *interface,
			    const char *property, sd_bus_message *reply, void *userdata,
			    sd_bus_error *error)
{
	const struct snap_map *m = userdata;

	return sd_bus_message_append(reply, "s", mp_selector_to_string(m->selector));
}

static int map_get_groups(sd_bus *bus, const char *path, const char *interface, const char *property,
			  sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
	return append_groups(reply, userdata);
}

static int map_get_settings(sd_bus *bus, const char *path, const char *interface,
			    const char *property, sd_bus_message *reply, void *userdata,
			    sd_bus_error *error)
{
	return append_settings(reply, userdata);
}

static int map_get_paths(sd_bus *bus, const char *path, const char *interface, const char *property,
			 sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
	const struct snap_map *m = userdata;
	int r;

	r = sd_bus_message_open_container(reply, 'a', "s");
	for (size_t k = 0; r >= 0 && k < m->n_paths; k++)
		r = sd_bus_message_append(reply, "s", m->paths[k].name);
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

/* ---- Path objects ---- */

static int path_object_find(sd_bus *bus, const char *path, const char *interface, void *userdata,
			    void **ret_found, sd_bus_error *error)
{
	Context *c = userdata;
	_cleanup_free_ char *name = NULL;
	const struct snap_path *p;
	int r;

	r = object_name(path, MPIO_PATH_PATH_PREFIX, &name);
	if (r <= 0)
		return r;
	urcu_memb_read_lock();
	p = snapshot_find_path(state_current(c), name);
	urcu_memb_read_unlock();
	if (!p)
		return 0;
	*ret_found = (void *)p;
	return 1;
}

static int path_node_enumerator(sd_bus *bus, const char *prefix, void *userdata, char ***ret_nodes,
				sd_bus_error *error)
{
	Context *c = userdata;
	const struct snapshot *s;
	char **nodes = NULL;
	size_t n = 0, total = 0;
	int r = 0;

	urcu_memb_read_lock();
	s = state_current(c);
	for (size_t i = 0; s && i < s->n_maps; i++)
		total += s->maps[i].name ? s->maps[i].n_paths : 0;
	nodes = calloc(total + 1, sizeof(*nodes));
	for (size_t i = 0; nodes && s && i < s->n_maps; i++) {
		if (!s->maps[i].name)
			continue;
		for (size_t k = 0; r >= 0 && k < s->maps[i].n_paths; k++) {
			r = sd_bus_path_encode(MPIO_PATH_PATH_PREFIX, s->maps[i].paths[k].name, &nodes[n]);
			if (r >= 0)
				n++;
		}
	}
	urcu_memb_read_unlock();
	if (!nodes || r < 0) {
		for (size_t i = 0; nodes && i < n; i++)
			free(nodes[i]);
		free(nodes);
		return -ENOMEM;
	}
	*ret_nodes = nodes;
	return 0;
}

static int path_get_map(sd_bus *bus, const char *path, const char *interface, const char *property,
			sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
	const struct snap_path *p = userdata;

	return sd_bus_message_append(reply, "s", p->map->name);
}

static int path_get_state(sd_bus *bus, const char *path, const char *interface,
			  const char *property, sd_bus_message *reply, void *userdata,
			  sd_bus_error *error)
{
	return sd_bus_message_append(reply, "s", path_state(userdata));
}

static int path_get_transport(sd_bus *bus, const char *path, const char *interface,
			      const char *property, sd_bus_message *reply, void *userdata,
			      sd_bus_error *error)
{
	const struct snap_path *p = userdata;

	return sd_bus_message_append(reply, "s", mp_transport_to_string(p->transport));
}

static int path_get_alua(sd_bus *bus, const char *path, const char *interface, const char *property,
			 sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
	const struct snap_path *p = userdata;

	return sd_bus_message_append(reply, "s", mp_alua_state_to_string(p->alua));
}

/* ---- Methods: validation and authorization ---- */

/* A name given by a client: not empty, not huge, printable, no '/' except a leading "/dev/". */
static int validate_name(const char *s, const char *what, sd_bus_error *error)
{
	size_t len = strnlen(s, ARG_MAX_LEN + 1);

	if (len == 0)
		return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS, "Empty %s name", what);
	if (len > ARG_MAX_LEN)
		return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
					 "The %s name is longer than %d bytes", what, ARG_MAX_LEN);
	if (strncmp(s, "/dev/", 5) == 0)
		s += 5;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == '/')
			return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
						 "Invalid character in the %s name", what);
	return 0;
}

static int lookup_map(Context *c, const char *name, struct dmap **ret, sd_bus_error *error)
{
	struct dmap *m;
	int r;

	r = validate_name(name, "map", error);
	if (r < 0)
		return r;
	m = map_by_name(c, name);
	if (!m || !m->exists)
		return sd_bus_error_setf(error, MPIO_ERROR_NO_SUCH_MAP, "No map named '%s'", name);
	*ret = m;
	return 0;
}

static int lookup_path(Context *c, const char *name, struct dpath **ret, sd_bus_error *error)
{
	struct dpath *p = NULL;
	int r;

	r = validate_name(name, "path", error);
	if (r < 0)
		return r;
	p = path_lookup(c, name);
	if (!p)
		return sd_bus_error_setf(error, MPIO_ERROR_NO_SUCH_PATH, "No path '%s' (give a device such "
					 "as sdc, or major:minor)", name);
	*ret = p;
	return 0;
}

static void log_caller(sd_bus_message *m, const char *what, const char *arg)
{
	log_msg(LOG_INFO, "D-Bus %s from %s: %s %s", sd_bus_message_get_member(m),
		sd_bus_message_get_sender(m) ?: "?", what, arg);
}

/* A reload that was refused: which file (and line) and why, after what. */
static int reload_error(sd_bus_error *error, const struct mp_parse_error *e, int r, const char *what)
{
	char text[sizeof(e->file) + sizeof(e->msg) + 16];

	config_error_text(e, r, text, sizeof(text));
	return sd_bus_error_setf(error, MPIO_ERROR_FAILED, "%s: %s; the running configuration is kept",
				 what, text);
}

/* ---- Methods ---- */

static int method_reload(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	Context *c = userdata;
	struct mp_parse_error e = {};
	int r;

	r = polkit_verify_caller(c, m, error);
	if (r <= 0)
		return r < 0 ? r : 1;
	log_caller(m, "reloading", "the configuration");
	r = daemon_reload(c, &e);
	if (r < 0)
		return reload_error(error, &e, r, "Configuration rejected");
	return sd_bus_reply_method_return(m, NULL);
}

/*
 * The common start of FailPath and ReinstatePath: the path named by the
 * call, in a map, and a caller allowed to change it. Returns 1 with *ret
 * set to go on; otherwise the value the method handler returns.
 */
static int path_change_begin(Context *c, sd_bus_message *m, sd_bus_error *error, struct dpath **ret)
{
	struct dpath *p = NULL;
	const char *dev;
	int r;

	r = sd_bus_message_read(m, "s", &dev);
	if (r < 0)
		return r;
	r = lookup_path(c, dev, &p, error);
	if (r < 0)
		return r;
	if (!p->map || !p->map->exists)
		return sd_bus_error_setf(error, MPIO_ERROR_FAILED, "Path %s is in no map yet", p->name);
	r = polkit_verify_caller(c, m, error);
	if (r < 0)
		return r;
	if (r == 0)
		return 0;
	log_caller(m, "path", p->name);
	*ret = p;
	return 1;
}

static int method_fail_path(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	Context *c = userdata;
	struct dpath *p = NULL;
	int r;

	r = path_change_begin(c, m, error, &p);
	if (r <= 0)
		return r < 0 ? r : 1;
	r = path_set_failed(c, p, true);
	if (r < 0)
		return sd_bus_error_set_errnof(error, r, "The kernel did not fail %s: %m", p->name);
	p->admin_failed = true;
	state_mark_dirty(c);
	return sd_bus_reply_method_return(m, NULL);
}

static int method_reinstate_path(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	Context *c = userdata;
	struct dpath *p = NULL;
	int r;

	r = path_change_begin(c, m, error, &p);
	if (r <= 0)
		return r < 0 ? r : 1;
	r = path_set_failed(c, p, false);
	if (r < 0)
		return sd_bus_error_set_errnof(error, r, "The kernel did not reinstate %s: %m", p->name);
	p->admin_failed = false;
	/* If it is really down, the checker fails it again. */
	check_soon(c, p, 0);
	map_failback(c, p->map, false);
	state_mark_dirty(c);
	return sd_bus_reply_method_return(m, NULL);
}

static int method_switch_group(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	Context *c = userdata;
	_cleanup_free_ char *params = NULL;
	struct mp_map_status *st = NULL;
	const char *name;
	struct dmap *map = NULL;
	unsigned n_groups;
	uint32_t group;
	char msg[32];
	int r;

	r = sd_bus_message_read(m, "su", &name, &group);
	if (r < 0)
		return r;
	r = lookup_map(c, name, &map, error);
	if (r < 0)
		return r;
	r = polkit_verify_caller(c, m, error);
	if (r <= 0)
		return r < 0 ? r : 1;
	/* The group's range needs the kernel's status: an ioctl, only for a caller who may switch. */
	r = mp_dm_get_status(c->mp, map->name, &params);
	if (r >= 0)
		r = mp_dm_parse_status(params, &st);
	if (r < 0)
		return sd_bus_error_set_errnof(error, r, "Cannot read the status of %s: %m", map->name);
	n_groups = st->n_groups;
	mp_map_status_free(st);
	if (group < 1 || group > n_groups)
		return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
					 "Map %s has groups 1 to %u, not %u", map->name, n_groups, group);
	log_caller(m, "map", map->name);
	snprintf(msg, sizeof(msg), "switch_group %u", group);
	r = mp_dm_message(c->mp, map->name, msg);
	if (r < 0)
		return sd_bus_error_set_errnof(error, r, "Cannot switch %s to group %u: %m", map->name,
					       group);
	state_mark_dirty(c);
	return sd_bus_reply_method_return(m, NULL);
}

static int method_set_policy(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	Context *c = userdata;
	const char *name, *selector;
	enum mp_selector sel;
	struct dmap *map = NULL;
	int r;

	r = sd_bus_message_read(m, "ss", &name, &selector);
	if (r < 0)
		return r;
	r = lookup_map(c, name, &map, error);
	if (r < 0)
		return r;
	sel = strnlen(selector, ARG_MAX_LEN + 1) <= ARG_MAX_LEN ? mp_selector_from_string(selector) :
								  _MP_SELECTOR_INVALID;
	if (sel < 0)
		return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
					 "Unknown path selector (known: round-robin, queue-length, "
					 "service-time, least-blocks, weighted-path, "
					 "historical-service-time, io-affinity)");
	r = polkit_verify_caller(c, m, error);
	if (r <= 0)
		return r < 0 ? r : 1;
	log_caller(m, "selector", mp_selector_to_string(sel));
	if (map->settings.selector != sel) {
		map->settings.selector = sel;
		/* Until the next reload, which resolves the settings from the files again. */
		map->settings.origin[MP_SETTING_SELECTOR] = "D-Bus SetPolicy (until the next reload)";
		map_mark_dirty(c, map, "path selector set to %s over D-Bus", mp_selector_to_string(sel));
	}
	return sd_bus_reply_method_return(m, NULL);
}

/* Ask udev to look at a map again ("change"): kpartx's udev rules then map its partitions. */
static void map_uevent_change(const char *name)
{
	_cleanup_free_ char *dev = NULL, *uevent = NULL;
	struct stat st;
	int fd;

	if (asprintf(&dev, "/dev/mapper/%s", name) < 0 || stat(dev, &st) < 0 ||
	    asprintf(&uevent, "/sys/dev/block/%u:%u/uevent", major(st.st_rdev),
		     minor(st.st_rdev)) < 0)
		return;
	fd = open(uevent, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	(void)!write(fd, "change", 6);
	close(fd);
}

/* Partitions of map, removed at once (not deferred); Busy if one is open. */
static int remove_partitions(Context *c, struct dmap *map, sd_bus_error *error)
{
	_cleanup_free_ char *open_part = NULL;
	int r;

	r = map_remove_partitions(c, map, false, &open_part);
	if (r == -EBUSY)
		return sd_bus_error_setf(error, MPIO_ERROR_BUSY, "Partition %s of map %s is open",
					 open_part, map->name);
	if (r < 0)
		return sd_bus_error_set_errnof(error, r, "Cannot remove the partitions of %s: %m",
					       map->name);
	return r;
}

static int method_flush_map(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	Context *c = userdata;
	const char *name;
	struct dmap *map = NULL;
	int r;

	r = sd_bus_message_read(m, "s", &name);
	if (r < 0)
		return r;
	r = lookup_map(c, name, &map, error);
	if (r < 0)
		return r;
	r = polkit_verify_caller(c, m, error);
	if (r <= 0)
		return r < 0 ? r : 1;
	log_caller(m, "map", map->name);
	r = remove_partitions(c, map, error);
	if (r < 0)
		return r;
	if (mp_dm_is_open(c->mp, map->name) > 0) {
		/* Its partitions are gone: udev runs kpartx again on a change event. */
		if (r > 0)
			map_uevent_change(map->name);
		return sd_bus_error_setf(error, MPIO_ERROR_BUSY, "Map %s is open", map->name);
	}
	r = map_remove(c, map, false);
	if (r < 0 && r != -ENXIO)
		return sd_bus_error_set_errnof(error, r, "Cannot remove %s: %m", map->name);
	log_msg(LOG_INFO, "map %s: flushed; its paths come back with their next uevent or a reload",
		map->name);
	/* Forget its paths too, or the next sync would create the map again at once. */
	while (map->n_paths > 0)
		path_free(c, map->paths[map->n_paths - 1]);
	map_free(c, map);
	return sd_bus_reply_method_return(m, NULL);
}

static int method_add_path(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	Context *c = userdata;
	const char *dev;
	int r;

	r = sd_bus_message_read(m, "s", &dev);
	if (r < 0)
		return r;
	r = validate_name(dev, "path", error);
	if (r < 0)
		return r;
	r = polkit_verify_caller(c, m, error);
	if (r <= 0)
		return r < 0 ? r : 1;
	log_caller(m, "device", dev);
	r = discovery_add_path(c, dev);
	if (r == -ENODEV)
		return sd_bus_error_setf(error, MPIO_ERROR_NO_SUCH_PATH, "No block device '%s'", dev);
	if (r < 0)
		return sd_bus_error_setf(error, MPIO_ERROR_NOT_CLAIMED, "'%s' is not a claimed, usable path "
					 "(see the supported-devices list)", dev);
	return sd_bus_reply_method_return(m, NULL);
}

static int method_remove_path(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	Context *c = userdata;
	struct dpath *p = NULL;
	const char *dev;
	int r;

	r = sd_bus_message_read(m, "s", &dev);
	if (r < 0)
		return r;
	r = lookup_path(c, dev, &p, error);
	if (r < 0)
		return r;
	r = polkit_verify_caller(c, m, error);
	if (r <= 0)
		return r < 0 ? r : 1;
	log_caller(m, "path", p->name);
	discovery_remove_path(c, p, "removed over D-Bus");
	return sd_bus_reply_method_return(m, NULL);
}

/*
 * The supported-devices entry of vendor (1..8 printable ASCII) and product
 * (0..16), in quotes: a vendor/product entry even when it begins with "bus:"
 * (libmp.h, mp_supported_file_add()).
 */
static int claim_entry(const char *vendor, const char *product, char *buf, size_t len,
		       sd_bus_error *error)
{
	size_t vl = strnlen(vendor, ARG_MAX_LEN + 1), pl = strnlen(product, ARG_MAX_LEN + 1);

	if (vl < 1 || vl > 8 || pl > 16)
		return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS, "The vendor has 1 to 8 "
					 "characters, the product at most 16");
	for (const char *s = vendor; *s; s++)
		if (*s < 0x21 || *s > 0x7e || *s == '"')
			return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
						 "The vendor must be printable ASCII without blanks or quotes");
	for (const char *s = product; *s; s++)
		if (*s < 0x20 || *s > 0x7e || *s == '"')
			return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
						 "The product must be printable ASCII without quotes");
	snprintf(buf, len, "\"%-8s%s\"", vendor, product);
	return 0;
}

static int edit_claims(sd_bus_message *m, Context *c, bool add, sd_bus_error *error)
{
	_cleanup_free_ char *file = NULL, *lock = NULL;
	const char *vendor, *product;
	struct mp_parse_error e = {};
	char entry[64];
	int r, fd;

	r = sd_bus_message_read(m, "ss", &vendor, &product);
	if (r < 0)
		return r;
	r = claim_entry(vendor, product, entry, sizeof(entry), error);
	if (r < 0)
		return r;
	r = polkit_verify_caller(c, m, error);
	if (r <= 0)
		return r < 0 ? r : 1;
	if (asprintf(&file, "%s/" MP_SUPPORTED_DEVICES_NAME, c->config_dir) < 0 ||
	    asprintf(&lock, "%s/" MPIO_SUPPORTED_LOCK, c->config_dir) < 0)
		return -ENOMEM;
	/* The same lock as multipathctl claim; never wait for it on the loop. */
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return sd_bus_error_set_errnof(error, errno, "Cannot open %s: %m", lock);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return sd_bus_error_setf(error, MPIO_ERROR_BUSY, "%s is being edited", file);
	}
	log_caller(m, "entry", entry);
	r = add ? mp_supported_file_add(file, entry, &e) : mp_supported_file_remove(file, entry, &e);
	close(fd);
	if (r == -EEXIST)
		return sd_bus_error_setf(error, MPIO_ERROR_ALREADY_CLAIMED, "%s is already claimed", entry);
	if (r == -ENOENT)
		return sd_bus_error_setf(error, MPIO_ERROR_NOT_CLAIMED, "%s is not in %s", entry, file);
	if (r < 0)
		return sd_bus_error_setf(error, MPIO_ERROR_FAILED, "%s%s%.0u: %s", e.file[0] ? e.file : file,
					 e.line ? ":" : "", e.line, e.msg[0] ? e.msg : strerror(-r));
	memset(&e, 0, sizeof(e));
	r = daemon_reload(c, &e);
	if (r < 0)
		return reload_error(error, &e, r, "The list changed, but the reload was refused");
	return sd_bus_reply_method_return(m, NULL);
}

static int method_claim_device(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	return edit_claims(m, userdata, true, error);
}

static int method_unclaim_device(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	return edit_claims(m, userdata, false, error);
}

static int method_list_claims(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	Context *c = userdata;
	int n = mp_supported_count(c->supported), r;

	r = sd_bus_message_new_method_return(m, &reply);
	if (r < 0)
		return r;
	r = sd_bus_message_open_container(reply, 'a', "(ssu)");
	if (r < 0)
		return r;
	for (int i = 0; i < n; i++) {
		const char *text = NULL;
		enum mp_transport bus = _MP_TRANSPORT_INVALID;
		unsigned line = 0;
		char vendor[9] = "", product[ARG_MAX_LEN];

		if (mp_supported_get_entry(c->supported, i, &text, &bus, &line) < 0 || !text)
			continue;
		if (bus >= 0) {
			/* A bus entry: its text ("bus:iscsi") as the vendor, no product. */
			r = sd_bus_message_append(reply, "(ssu)", text, "", line);
		} else {
			size_t vl;

			snprintf(vendor, sizeof(vendor), "%.8s", text);
			vl = strlen(vendor);
			while (vl > 0 && vendor[vl - 1] == ' ')
				vendor[--vl] = '\0';
			snprintf(product, sizeof(product), "%s", strlen(text) > 8 ? text + 8 : "");
			r = sd_bus_message_append(reply, "(ssu)", vendor, product, line);
		}
		if (r < 0)
			return r;
	}
	r = sd_bus_message_close_container(reply);
	if (r < 0)
		return r;
	return sd_bus_send(NULL, reply, NULL);
}

/* ---- Vtables ---- */

static const sd_bus_vtable manager_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("Version", "s", manager_get_version, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("ConfigDir", "s", manager_get_config_dir, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Generation", "t", manager_get_generation, 0,
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("NMaps", "u", manager_get_n_maps, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("NPaths", "u", manager_get_n_paths, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("NFailedPaths", "u", manager_get_n_failed, 0,
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),

	SD_BUS_METHOD("Reload", NULL, NULL, method_reload, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("FailPath", SD_BUS_ARGS("s", dev), SD_BUS_NO_RESULT,
				method_fail_path, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("ReinstatePath", SD_BUS_ARGS("s", dev), SD_BUS_NO_RESULT,
				method_reinstate_path, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("SwitchGroup", SD_BUS_ARGS("s", map, "u", group), SD_BUS_NO_RESULT,
				method_switch_group, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("SetPolicy", SD_BUS_ARGS("s", map, "s", selector), SD_BUS_NO_RESULT,
				method_set_policy, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("FlushMap", SD_BUS_ARGS("s", map), SD_BUS_NO_RESULT,
				method_flush_map, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("AddPath", SD_BUS_ARGS("s", dev), SD_BUS_NO_RESULT,
				method_add_path, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("RemovePath", SD_BUS_ARGS("s", dev), SD_BUS_NO_RESULT,
				method_remove_path, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("ClaimDevice", SD_BUS_ARGS("s", vendor, "s", product),
				SD_BUS_NO_RESULT, method_claim_device, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("UnclaimDevice", SD_BUS_ARGS("s", vendor, "s", product),
				SD_BUS_NO_RESULT, method_unclaim_device, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("ListClaims", SD_BUS_NO_ARGS,
				SD_BUS_RESULT("a(ssu)", claims), method_list_claims,
				SD_BUS_VTABLE_UNPRIVILEGED),

	SD_BUS_SIGNAL_WITH_ARGS("PathFailed", SD_BUS_ARGS("s", map, "s", dev), 0),
	SD_BUS_SIGNAL_WITH_ARGS("PathReinstated", SD_BUS_ARGS("s", map, "s", dev), 0),
	SD_BUS_SIGNAL_WITH_ARGS("MapAdded", SD_BUS_ARGS("s", name), 0),
	SD_BUS_SIGNAL_WITH_ARGS("MapRemoved", SD_BUS_ARGS("s", name), 0),
	SD_BUS_SIGNAL_WITH_ARGS("MapChanged", SD_BUS_ARGS("s", name), 0),
	SD_BUS_VTABLE_END,
};

/*
 * Map and path objects: the object found (map_object_find(), path_object_find())
 * is the snap_map or snap_path of the current snapshot, and each property's
 * getter reads it, by the offset of its field or by a getter of its own. The
 * pointer stays valid while sd-bus dispatches the message: the snapshot is
 * replaced only by state_publish(), on this thread after the dispatch, and
 * freed only after that.
 */
#define MAP_PROPERTY(name, sig, getter, field) \
	SD_BUS_PROPERTY(name, sig, getter, field, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE)

static const sd_bus_vtable map_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("Name", "s", prop_strp, offsetof(struct snap_map, name),
			SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("WWID", "s", prop_strp, offsetof(struct snap_map, wwid),
			SD_BUS_VTABLE_PROPERTY_CONST),
	MAP_PROPERTY("Vendor", "s", prop_str, offsetof(struct snap_map, vendor)),
	MAP_PROPERTY("Product", "s", prop_str, offsetof(struct snap_map, product)),
	MAP_PROPERTY("Size", "t", map_get_size, 0),
	MAP_PROPERTY("State", "s", map_get_state, 0),
	MAP_PROPERTY("ReloadPending", "b", prop_bool, offsetof(struct snap_map, dirty)),
	MAP_PROPERTY("QueueIO", "b", prop_bool, offsetof(struct snap_map, queue_io)),
	MAP_PROPERTY("Queueing", "s", map_get_queueing, 0),
	MAP_PROPERTY("CurrentGroup", "u", prop_u32, offsetof(struct snap_map, current_group)),
	MAP_PROPERTY("Selector", "s", map_get_selector, 0),
	MAP_PROPERTY("Groups", "a(susas)", map_get_groups, 0),
	MAP_PROPERTY("Paths", "as", map_get_paths, 0),
	/*
	 * 13 (key, value, origin) per map, more than the rest of the map: only
	 * an explicit Get reads them, not GetAll or GetManagedObjects; a
	 * map's PropertiesChanged lists them as invalidated, without them.
	 */
	SD_BUS_PROPERTY("Settings", "a(sss)", map_get_settings, 0,
			SD_BUS_VTABLE_PROPERTY_EXPLICIT | SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
	SD_BUS_VTABLE_END,
};

#define PATH_PROPERTY(name, sig, getter, field) \
	SD_BUS_PROPERTY(name, sig, getter, field, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE)
/* Counters change with every I/O: read them when needed, no signal. */
#define PATH_COUNTER(name, field) \
	SD_BUS_PROPERTY(name, "t", prop_u64, offsetof(struct snap_path, field), 0)

static const sd_bus_vtable path_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("Name", "s", prop_str, offsetof(struct snap_path, name),
			SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Devt", "s", prop_str, offsetof(struct snap_path, devnum),
			SD_BUS_VTABLE_PROPERTY_CONST),
	PATH_PROPERTY("Map", "s", path_get_map, 0),
	PATH_PROPERTY("Group", "u", prop_u32, offsetof(struct snap_path, group)),
	PATH_PROPERTY("State", "s", path_get_state, 0),
	PATH_PROPERTY("Failed", "b", prop_bool, offsetof(struct snap_path, failed)),
	PATH_PROPERTY("AdminFailed", "b", prop_bool, offsetof(struct snap_path, admin_failed)),
	PATH_PROPERTY("Transport", "s", path_get_transport, 0),
	PATH_PROPERTY("AluaState", "s", path_get_alua, 0),
	PATH_PROPERTY("KernelActive", "b", prop_bool, offsetof(struct snap_path, kernel_active)),
	PATH_PROPERTY("FailCount", "u", prop_u32, offsetof(struct snap_path, fail_count)),
	PATH_COUNTER("IOs", ios),
	PATH_COUNTER("Bytes", bytes),
	PATH_COUNTER("Errors", errors),
	PATH_COUNTER("AvgLatencyUSec", avg_lat_us),
	SD_BUS_VTABLE_END,
};

/* ---- Signals from snapshot changes ---- */

static bool map_changed(const struct snap_map *a, const struct snap_map *b)
{
	if (a->exists != b->exists || a->dirty != b->dirty || a->size != b->size ||
	    a->n_paths != b->n_paths || a->selector != b->selector || a->queue_io != b->queue_io ||
	    a->queueing != b->queueing ||
	    a->current_group != b->current_group || a->n_groups != b->n_groups ||
	    strcmp(a->vendor, b->vendor) != 0 || a->n_settings != b->n_settings)
		return true;
	for (size_t k = 0; k < a->n_settings; k++)
		if (strcmp(a->settings[k].key, b->settings[k].key) != 0 ||
		    strcmp(a->settings[k].value, b->settings[k].value) != 0 ||
		    strcmp(a->settings[k].origin, b->settings[k].origin) != 0)
			return true;
	for (size_t g = 0; g < a->n_groups; g++)
		if (a->groups[g].state != b->groups[g].state ||
		    a->groups[g].n_paths != b->groups[g].n_paths)
			return true;
	for (size_t k = 0; k < a->n_paths; k++)
		if (strcmp(a->paths[k].name, b->paths[k].name) != 0 ||
		    a->paths[k].failed != b->paths[k].failed || a->paths[k].alua != b->paths[k].alua ||
		    a->paths[k].group != b->paths[k].group)
			return true;
	return false;
}

static bool path_changed(const struct snap_path *a, const struct snap_path *b)
{
	return a->failed != b->failed || a->admin_failed != b->admin_failed || a->alua != b->alua ||
	       a->group != b->group || a->kernel_active != b->kernel_active ||
	       a->fail_count != b->fail_count || strcmp(a->devnum, b->devnum) != 0;
}

static void emit_object(sd_bus *bus, const char *prefix, const char *name, int how)
{
	_cleanup_free_ char *path = NULL;

	if (sd_bus_path_encode(prefix, name, &path) < 0)
		return;
	if (how > 0)
		(void)sd_bus_emit_object_added(bus, path);
	else if (how < 0)
		(void)sd_bus_emit_object_removed(bus, path);
	else
		(void)sd_bus_emit_properties_changed_strv(bus, path,
							  strcmp(prefix, MPIO_MAP_PATH_PREFIX) == 0 ? MPIO_MAP_IFACE :
											    MPIO_PATH_IFACE,
							  NULL);
}

static void emit_map_signal(sd_bus *bus, const char *member, const char *name)
{
	(void)sd_bus_emit_signal(bus, MPIO_MANAGER_PATH, MPIO_MANAGER_IFACE, member, "s", name);
}

static void dbus_state_changed(Context *c, const struct snapshot *old, const struct snapshot *new)
{
	sd_bus *bus = c->bus;
	bool counts = false;

	/* Not while connecting: sd-bus would queue the signals until the bus is there. */
	if (!bus || !c->bus_named || !new)
		return;
	for (size_t i = 0; i < new->n_maps; i++) {
		const struct snap_map *nm = &new->maps[i], *om;

		if (!nm->name)
			continue;
		om = snapshot_find_map(old, nm->name);
		if (!om) {
			emit_object(bus, MPIO_MAP_PATH_PREFIX, nm->name, 1);
			emit_map_signal(bus, "MapAdded", nm->name);
			counts = true;
		} else if (map_changed(om, nm)) {
			emit_object(bus, MPIO_MAP_PATH_PREFIX, nm->name, 0);
			emit_map_signal(bus, "MapChanged", nm->name);
		}
		for (size_t k = 0; k < nm->n_paths; k++) {
			const struct snap_path *np = &nm->paths[k], *op;

			op = snapshot_find_path(old, np->name);
			if (!op) {
				emit_object(bus, MPIO_PATH_PATH_PREFIX, np->name, 1);
				counts = true;
			} else if (path_changed(op, np) || strcmp(op->map->name, nm->name) != 0)
				emit_object(bus, MPIO_PATH_PATH_PREFIX, np->name, 0);
			if ((op ? op->failed : false) != np->failed) {
				(void)sd_bus_emit_signal(bus, MPIO_MANAGER_PATH, MPIO_MANAGER_IFACE,
							 np->failed ? "PathFailed" : "PathReinstated",
							 "ss", nm->name, np->name);
				counts = true;
			}
		}
	}
	for (size_t i = 0; old && i < old->n_maps; i++) {
		const struct snap_map *om = &old->maps[i];

		if (!om->name)
			continue;
		for (size_t k = 0; k < om->n_paths; k++)
			if (!snapshot_find_path(new, om->paths[k].name)) {
				emit_object(bus, MPIO_PATH_PATH_PREFIX, om->paths[k].name, -1);
				counts = true;
			}
		if (!snapshot_find_map(new, om->name)) {
			emit_object(bus, MPIO_MAP_PATH_PREFIX, om->name, -1);
			emit_map_signal(bus, "MapRemoved", om->name);
			counts = true;
		}
	}
	if (counts)
		(void)sd_bus_emit_properties_changed(bus, MPIO_MANAGER_PATH, MPIO_MANAGER_IFACE, "NMaps", "NPaths",
						     "NFailedPaths", "Generation", NULL);
}

/* ---- The connection ---- */

/*
 * mpiod starts at boot before the system bus exists (the unit runs in
 * sysinit, dbus.socket after it), and the bus may restart under it. So the
 * connection is made with sd-bus's watch-bind: when the socket is missing
 * or refuses (a stale socket of a stopped bus), sd-bus waits for it with
 * inotify on its directories, on the event loop, and connects when it is
 * there; the name is requested asynchronously. Nothing here ever blocks the
 * loop or start-up, and the maps are served the same with or without a bus.
 *
 * When the bus closes the connection (it restarted or stopped), a new
 * connection is set up the same way. One that lasted is replaced at once;
 * one that ended soon after it was set up (a bus that refuses us) is
 * replaced after a delay that doubles up to 30 s, so that a broken bus
 * cannot make the loop spin. Each state is logged once: waiting for the
 * bus, the API up, the bus lost.
 */
#define BUS_SOCKET "/run/dbus/system_bus_socket"
#define BUS_STABLE_USEC (30 * 1000000ULL)
#define BUS_BACKOFF_MIN_USEC (1000000ULL)
#define BUS_BACKOFF_MAX_USEC (30 * 1000000ULL)

static int bus_connect(Context *c);

static void bus_drop(Context *c)
{
	polkit_queries_drop(c);
	c->bus = sd_bus_flush_close_unref(c->bus);
	c->bus_named = false;
}

static int on_bus_retry(sd_event_source *s, uint64_t usec, void *userdata)
{
	Context *c = userdata;

	c->bus_retry = sd_event_source_disable_unref(c->bus_retry);
	bus_drop(c);
	(void)bus_connect(c);
	return 0;
}

static void bus_reconnect_later(Context *c)
{
	int r;

	if (c->bus_retry)
		return;
	if (c->bus_since && now_usec() - c->bus_since >= BUS_STABLE_USEC)
		c->bus_backoff = 0;
	else if (c->bus_backoff < BUS_BACKOFF_MIN_USEC)
		c->bus_backoff = BUS_BACKOFF_MIN_USEC;
	else
		c->bus_backoff = c->bus_backoff * 2 < BUS_BACKOFF_MAX_USEC ? c->bus_backoff * 2 :
									   BUS_BACKOFF_MAX_USEC;
	r = sd_event_add_time_relative(c->event, &c->bus_retry, CLOCK_MONOTONIC, c->bus_backoff,
				       100 * 1000, on_bus_retry, c);
	if (r < 0)
		log_errno(LOG_ERR, r, "cannot arm the reconnection to the system bus, no D-Bus API");
}

/* The bus's own messages; everything else goes on to the objects. */
static int on_bus_message(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	Context *c = userdata;

	polkit_call_seen(c, m);
	if (!sd_bus_message_is_signal(m, "org.freedesktop.DBus.Local", "Disconnected"))
		return 0;
	if (!c->bus_lost)
		log_msg(LOG_NOTICE, "%s: the maps are served as before, the D-Bus API comes back "
			"with the bus", c->bus_named ? "lost the system bus" :
			"the system bus closed the connection");
	c->bus_lost = true;
	c->bus_named = false;
	/* Not from inside the bus's own dispatch: from a timer. */
	bus_reconnect_later(c);
	return 1;
}

static int on_name_reply(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
	Context *c = userdata;
	const sd_bus_error *e = sd_bus_message_get_error(reply);
	uint32_t ret = 0;
	int r;

	if (sd_bus_is_open(sd_bus_message_get_bus(reply)) <= 0)
		return 0; /* the connection is gone: on_bus_message() handles it */
	if (e)
		r = -sd_bus_error_get_errno(e);
	else if ((r = sd_bus_message_read(reply, "u", &ret)) >= 0)
		/* 1: now the owner, 4: already it; else another owner has it */
		r = ret == 1 || ret == 4 ? 0 : -EEXIST;
	if (r < 0) {
		log_errno(LOG_ERR, r, "cannot own the D-Bus name %s (another mpiod, or the policy "
			  "file is missing)%s%s", MPIO_BUS_NAME, e ? ": " : "", e ? e->message ?: e->name : "");
		return 0;
	}
	c->bus_named = true;
	c->bus_lost = false;
	log_msg(LOG_INFO, "D-Bus API on the system bus as %s", MPIO_BUS_NAME);
	return 0;
}

static int bus_connect(Context *c)
{
	_cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
	const char *address = secure_getenv("DBUS_SYSTEM_BUS_ADDRESS");
	int r;

	r = sd_bus_new(&bus);
	if (r >= 0)
		r = sd_bus_set_address(bus, address ?: "unix:path=" BUS_SOCKET);
	if (r >= 0)
		r = sd_bus_set_bus_client(bus, true);
	/* What polkit_verify_caller() needs of callers, as sd_bus_open_system() asks. */
	if (r >= 0)
		r = sd_bus_negotiate_creds(bus, true, SD_BUS_CREDS_UID | SD_BUS_CREDS_EUID |
						      SD_BUS_CREDS_EFFECTIVE_CAPS);
	if (r >= 0)
		r = sd_bus_set_watch_bind(bus, true);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot set up a system bus connection, no D-Bus API");
	r = sd_bus_add_object_vtable(bus, NULL, MPIO_MANAGER_PATH, MPIO_MANAGER_IFACE, manager_vtable, c);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot register the D-Bus manager object");
	if ((r = sd_bus_add_fallback_vtable(bus, NULL, MPIO_MAP_PATH_PREFIX, MPIO_MAP_IFACE, map_vtable,
					    map_object_find, c)) < 0 ||
	    (r = sd_bus_add_node_enumerator(bus, NULL, MPIO_MAP_PATH_PREFIX, map_node_enumerator, c)) < 0 ||
	    (r = sd_bus_add_fallback_vtable(bus, NULL, MPIO_PATH_PATH_PREFIX, MPIO_PATH_IFACE, path_vtable,
					    path_object_find, c)) < 0 ||
	    (r = sd_bus_add_node_enumerator(bus, NULL, MPIO_PATH_PATH_PREFIX, path_node_enumerator, c)) < 0 ||
	    (r = sd_bus_add_object_manager(bus, NULL, MPIO_MANAGER_PATH)) < 0 ||
	    (r = sd_bus_add_filter(bus, NULL, on_bus_message, c)) < 0)
		return log_errno(LOG_ERR, r, "cannot register the D-Bus objects");
	r = sd_bus_attach_event(bus, c->event, PRIORITY_BUS);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot attach the bus to the event loop");
	c->bus_since = now_usec();
	r = sd_bus_start(bus);
	if (r < 0) {
		if (!c->bus_lost)
			log_errno(LOG_WARNING, r, "cannot connect to the system bus, trying again "
				  "later; no D-Bus API until then");
		c->bus_lost = true;
		bus_reconnect_later(c);
		return r;
	}
	/* Sent once connected; the reply says whether the API is up. */
	r = sd_bus_request_name_async(bus, NULL, MPIO_BUS_NAME, 0, on_name_reply, c);
	if (r < 0)
		return log_errno(LOG_ERR, r, "cannot ask for the D-Bus name %s", MPIO_BUS_NAME);
	c->bus = TAKE_PTR(bus);
	return 0;
}

int dbus_setup(Context *c)
{
	state_subscribe(c, dbus_state_changed);
	if (!secure_getenv("DBUS_SYSTEM_BUS_ADDRESS") && access(BUS_SOCKET, F_OK) < 0)
		log_msg(LOG_INFO, "no system bus yet (no %s): the D-Bus API comes when it appears",
			BUS_SOCKET);
	return bus_connect(c);
}

void dbus_teardown(Context *c)
{
	c->bus_retry = sd_event_source_disable_unref(c->bus_retry);
	bus_drop(c);
}
