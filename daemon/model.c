/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The model (model.h): paths and maps, their lookups and lifecycles, the
 * settings of a map, and the dirty marks.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"
#include "model.h"

/* ---- Paths ---- */

struct dpath *path_by_devt(Context *c, dev_t devt)
{
	for (size_t i = 0; i < c->n_paths; i++)
		if (c->paths[i]->devt == devt)
			return c->paths[i];
	return NULL;
}

struct dpath *path_by_id(Context *c, uint64_t id)
{
	for (size_t i = 0; i < c->n_paths; i++)
		if (c->paths[i]->id == id)
			return c->paths[i];
	return NULL;
}

struct dpath *path_by_name(Context *c, const char *name)
{
	for (size_t i = 0; i < c->n_paths; i++)
		if (strcmp(c->paths[i]->name, name) == 0)
			return c->paths[i];
	return NULL;
}

struct dpath *path_lookup(Context *c, const char *name)
{
	if (strncmp(name, "/dev/", 5) == 0)
		name += 5;
	for (size_t i = 0; i < c->n_paths; i++)
		if (strcmp(c->paths[i]->name, name) == 0 || strcmp(c->paths[i]->devnum, name) == 0)
			return c->paths[i];
	return NULL;
}

void path_free(Context *c, struct dpath *p)
{
	if (!p)
		return;
	if (p->map)
		map_remove_path(p->map, p);
	for (size_t i = 0; i < c->n_paths; i++)
		if (c->paths[i] == p) {
			c->paths[i] = c->paths[--c->n_paths];
			break;
		}
	mp_path_unref(p->mp);
	free(p);
	state_mark_dirty(c);
}

/* ---- Maps ---- */

struct dmap *map_by_wwid(Context *c, const char *wwid)
{
	for (size_t i = 0; i < c->n_maps; i++)
		if (strcmp(c->maps[i]->wwid, wwid) == 0 ||
		    (c->maps[i]->path_wwid && strcmp(c->maps[i]->path_wwid, wwid) == 0))
			return c->maps[i];
	return NULL;
}

struct dmap *map_by_name(Context *c, const char *name)
{
	for (size_t i = 0; i < c->n_maps; i++)
		if (c->maps[i]->name && strcmp(c->maps[i]->name, name) == 0)
			return c->maps[i];
	return NULL;
}

/* The map's settings: the configuration's, for the vendor and product of its first path. */
static void map_resolve(Context *c, struct dmap *m)
{
	const char *vendor = "", *product = "";
	unsigned flags = 0;
	int r;

	for (size_t i = 0; i < m->n_paths; i++) {
		struct mp_path *mp = m->paths[i]->mp;

		if (i == 0) {
			vendor = mp_path_get_vendor(mp) ?: "";
			product = mp_path_get_product(mp) ?: "";
		}
		if (mp_path_get_tpg(mp) >= 0 || m->paths[i]->alua != MP_ALUA_UNKNOWN)
			flags |= MP_RESOLVE_TPGS;
	}
	/* [Map] WWID= names the LU as its paths do now. */
	r = mp_config_resolve(c->cfg, vendor, product, m->path_wwid ?: m->wwid, flags, &m->settings);
	if (r < 0) {
		log_errno(LOG_WARNING, r, "map of %s: cannot resolve settings for '%s' '%s', using defaults",
			  m->wwid, vendor, product);
		(void)mp_config_resolve(c->cfg, "", "", m->wwid, 0, &m->settings);
	}
	if (c->shutting_down) {
		/* shutdown.c: no table loaded from now on may queue without a path. */
		m->settings.no_path_retry = MP_NO_PATH_FAIL;
		m->settings.no_path_timeout = 0;
	}
}

static int cmp_dirty_since(const void *a, const void *b)
{
	const struct dmap *x = *(struct dmap *const *)a, *y = *(struct dmap *const *)b;

	if (x->dirty_since != y->dirty_since)
		return x->dirty_since < y->dirty_since ? -1 : 1;
	return strcmp(x->wwid, y->wwid);
}

int maps_dirty_oldest_first(Context *c, struct dmap ***ret, size_t *ret_n)
{
	struct dmap **v = NULL;
	size_t n = 0;

	for (size_t i = 0; i < c->n_maps; i++)
		n += c->maps[i]->dirty;
	if (n > 0) {
		v = calloc(n, sizeof(*v));
		if (!v)
			return -ENOMEM;
		n = 0;
		for (size_t i = 0; i < c->n_maps; i++)
			if (c->maps[i]->dirty)
				v[n++] = c->maps[i];
		sort_array(v, n, sizeof(*v), cmp_dirty_since);
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

void maps_resolve_settings(Context *c)
{
	for (size_t i = 0; i < c->n_maps; i++)
		map_resolve(c, c->maps[i]);
}

struct dmap *map_get_or_new(Context *c, const char *wwid)
{
	struct dmap *m = map_by_wwid(c, wwid);
	char part[MP_MAP_UUID_SIZE];

	if (m)
		return m;
	/*
	 * A map adopted at start knows the WWID its uuid holds: for a WWID too
	 * long for a uuid, a short form (mp_wwid_uuid_part()). Its first path
	 * tells the whole WWID.
	 */
	if (mp_wwid_uuid_part(wwid, part, sizeof(part)) >= 0 && strcmp(part, wwid) != 0 &&
	    (m = map_by_wwid(c, part))) {
		char *full = strdup(wwid);

		if (!full)
			return NULL;
		free(m->wwid);
		m->wwid = full;
		map_resolve(c, m);
		state_mark_dirty(c);
		return m;
	}
	if (c->n_maps == c->cap_maps) {
		size_t cap = c->cap_maps ? c->cap_maps * 2 : 32;
		struct dmap **a = reallocarray(c->maps, cap, sizeof(*a));

		if (!a)
			return NULL;
		c->maps = a;
		c->cap_maps = cap;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->wwid = strdup(wwid);
	if (!m->wwid) {
		free(m);
		return NULL;
	}
	m->ctx = c;
	map_resolve(c, m);
	c->maps[c->n_maps++] = m;
	state_mark_dirty(c);
	return m;
}

void map_free(Context *c, struct dmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_paths; i++)
		m->paths[i]->map = NULL;
	for (size_t i = 0; i < c->n_maps; i++)
		if (c->maps[i] == m) {
			c->maps[i] = c->maps[--c->n_maps];
			break;
		}
	sd_event_source_disable_unref(m->remove_timer);
	sd_event_source_disable_unref(m->failback_timer);
	free(m->paths);
	free(m->name);
	free(m->wwid);
	free(m->path_wwid);
	free(m->adopted_table);
	free(m);
	state_mark_dirty(c);
}

int map_add_path(Context *c, struct dmap *m, struct dpath *p)
{
	if (m->n_paths == m->cap_paths) {
		size_t cap = m->cap_paths ? m->cap_paths * 2 : 4;
		struct dpath **a = reallocarray(m->paths, cap, sizeof(*a));

		if (!a)
			return -ENOMEM;
		m->paths = a;
		m->cap_paths = cap;
	}
	m->paths[m->n_paths++] = p;
	p->map = m;
	if (m->n_paths == 1)
		map_resolve(c, m); /* the settings follow the device's vendor and product */
	return 0;
}

void map_remove_path(struct dmap *m, struct dpath *p)
{
	for (size_t i = 0; i < m->n_paths; i++)
		if (m->paths[i] == p) {
			m->paths[i] = m->paths[--m->n_paths];
			break;
		}
	p->map = NULL;
}

/* ---- Marks ---- */

void map_mark_dirty(Context *c, struct dmap *m, const char *fmt, ...)
{
	uint64_t now = now_usec();
	size_t len = strlen(m->reason);
	va_list ap;

	/* Collect the reasons, for the one log line of the reload. */
	if (len + 8 < sizeof(m->reason)) {
		if (len > 0) {
			strcpy(m->reason + len, ", ");
			len += 2;
		}
		va_start(ap, fmt);
		vsnprintf(m->reason + len, sizeof(m->reason) - len, fmt, ap);
		va_end(ap);
		if (strlen(m->reason) + 1 >= sizeof(m->reason))
			strcpy(m->reason + sizeof(m->reason) - 5, "...");
	}
	if (!m->dirty)
		m->dirty_since = now;
	m->dirty = true;
	state_mark_dirty(c);
	if (c->first_dirty == 0)
		c->first_dirty = now;
	c->last_dirty = now;
}
