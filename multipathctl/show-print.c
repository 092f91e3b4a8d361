/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The output of `multipathctl show` (show-print.h).
 */
#include <errno.h>
#include <string.h>

#include "macro.h"
#include "show-print.h"

/* ---- Tables and the tree ---- */

static struct table *columns_table(const struct show_print *o)
{
	const char *headers[SHOW_MAX_COLUMNS];
	struct table *t;
	bool json = o->flags & TABLE_JSON;

	for (size_t i = 0; i < o->cols.n; i++)
		headers[i] = json ? o->cols.fields[i]->name : o->cols.fields[i]->header;
	t = table_new_columns(headers, o->cols.n);
	for (size_t i = 0; t && i < o->cols.n; i++)
		if (o->cols.fields[i]->number) {
			table_set_align_right(t, i);
			table_set_json_number(t, i);
		}
	if (t && o->view == SHOW_VIEW_TOPOLOGY)
		table_set_tree(t, 0);
	return t;
}

/* One row of cells: a field without a value at this level is empty, an unknown value "-". */
static int add_row(struct table *t, const struct show_print *o, const struct show_row *row,
		   int parent)
{
	bool json = o->flags & TABLE_JSON;
	int idx = table_add_row(t, parent);

	if (idx < 0)
		return idx;
	for (size_t i = 0; i < o->cols.n; i++) {
		const struct show_field *f = o->cols.fields[i];
		enum out_color color = COLOR_NONE;
		char buf[SHOW_VALUE_MAX];
		const char *v = NULL;

		if (f->levels & row->level)
			v = f->value(row, buf, sizeof(buf), &color);
		if (!json && (f->levels & row->level) && (!v || !*v)) {
			v = "-";
			color = COLOR_GREY;
		}
		table_add_cell(t, color, v);
	}
	return idx;
}

static bool wanted(const struct show_print *o, const struct show_map *map)
{
	return !o->map || (map->name && strcmp(o->map, map->name) == 0);
}

static void add_map_tree(struct table *t, const struct show_model *m, const struct show_print *o,
			 const struct show_map *map)
{
	struct show_row row = { .model = m, .map = map, .level = SHOW_LEVEL_MAP,
				.exact = o->flags & TABLE_JSON };
	int top = add_row(t, o, &row, -1);

	for (size_t g = 0; top >= 0 && g < map->n_groups; g++) {
		const struct show_group *grp = &map->groups[g];
		int gi;

		row = (struct show_row){ .model = m, .map = map, .group = grp, .group_no = g + 1,
					 .level = SHOW_LEVEL_GROUP, .exact = o->flags & TABLE_JSON };
		gi = add_row(t, o, &row, top);
		for (size_t k = 0; gi >= 0 && k < grp->n_paths; k++) {
			row.path = show_model_find_path(m, grp->devs[k]);
			row.level = SHOW_LEVEL_PATH;
			if (row.path)
				add_row(t, o, &row, gi);
		}
	}
	/* Its paths in no group of the loaded table (mpiod knows them; the table does not yet). */
	for (size_t i = 0; top >= 0 && i < m->n_paths; i++) {
		const struct show_path *p = &m->paths[i];

		if (p->group || !p->map || !map->name || strcmp(p->map, map->name) != 0)
			continue;
		row = (struct show_row){ .model = m, .map = map, .path = p, .level = SHOW_LEVEL_PATH,
					 .exact = o->flags & TABLE_JSON };
		add_row(t, o, &row, top);
	}
}

int show_print_table(FILE *f, const struct show_model *m, const struct show_print *o)
{
	_cleanup_(table_freep) struct table *t = columns_table(o);
	bool json = o->flags & TABLE_JSON;
	size_t rows = 0;

	if (!t)
		return -ENOMEM;
	if (o->view == SHOW_VIEW_PATHS)
		for (size_t i = 0; i < m->n_paths; i++) {
			const struct show_path *p = &m->paths[i];
			struct show_row row = { .model = m, .path = p, .level = SHOW_LEVEL_PATH,
						.exact = json };

			if (o->map && (!p->map || strcmp(o->map, p->map) != 0))
				continue;
			add_row(t, o, &row, -1);
			rows++;
		}
	else
		for (size_t i = 0; i < m->n_maps; i++) {
			struct show_row row = { .model = m, .map = &m->maps[i], .level = SHOW_LEVEL_MAP,
						.exact = json };

			if (!wanted(o, &m->maps[i]))
				continue;
			if (o->view == SHOW_VIEW_TOPOLOGY)
				add_map_tree(t, m, o, &m->maps[i]);
			else
				add_row(t, o, &row, -1);
			rows++;
		}
	if (rows == 0 && !json) {
		fputs(o->view == SHOW_VIEW_PATHS ? "No paths.\n" : "No maps.\n", f);
		return 0;
	}
	return table_print_flags(t, f, o->color && !json, o->flags,
				 o->view == SHOW_VIEW_PATHS ? "paths" : "maps");
}

/* ---- The documented JSON ---- */

static const char *source_name(const struct show_model *m)
{
	return m->source == SHOW_FROM_DAEMON ? "mpiod" : "kernel";
}

static void json_kv_int_or_null(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	if (v < 0)
		json_null(j);
	else
		json_int(j, v);
}

static const char *dm_state_name(enum show_dm_state s)
{
	return s == SHOW_DM_ACTIVE ? "active" : s == SHOW_DM_FAILED ? "failed" : NULL;
}

static void json_path(struct json *j, const struct show_path *p, bool in_list)
{
	json_object_begin(j);
	json_kv_string(j, "dev", p->dev);
	json_kv_string(j, "devt", p->devt);
	json_kv_string(j, "state", p->checker);
	json_kv_string(j, "transport", mp_transport_to_string(p->transport));
	json_kv_string(j, "alua_state", mp_alua_state_to_string(p->alua));
	if (in_list) {
		json_kv_string(j, "map", p->map);
		json_kv_int_or_null(j, "group", p->group ? (long long)p->group : -1);
	}
	json_kv_string(j, "hctl", p->hctl);
	json_kv_string(j, "dm_state", dm_state_name(p->dm));
	json_kv_bool(j, "admin_failed", p->admin_failed);
	json_kv_int_or_null(j, "fail_count", p->dm == SHOW_DM_UNKNOWN ? -1 : (long long)p->fail_count);
	json_kv_string(j, "device_state",
		       p->dev_state == MP_SCSI_UNKNOWN ? NULL : mp_scsi_state_to_string(p->dev_state));
	json_kv_int_or_null(j, "prio", show_path_prio(p));
	json_object_end(j);
}

static void json_map(struct json *j, const struct show_model *m, const struct show_map *map,
		     bool detail)
{
	json_object_begin(j);
	if (detail)
		json_kv_string(j, "source", source_name(m));
	json_kv_string(j, "name", map->name);
	json_kv_string(j, "wwid", map->wwid);
	json_kv_string(j, "vendor", map->vendor);
	json_kv_string(j, "product", map->product);
	json_kv_uint(j, "size", map->size);
	json_key(j, "groups");
	json_array_begin(j);
	for (size_t g = 0; g < map->n_groups; g++) {
		const struct show_group *grp = &map->groups[g];

		json_object_begin(j);
		json_kv_string(j, "state", mp_group_state_to_string(grp->state));
		json_kv_uint(j, "priority", g + 1);
		json_kv_string(j, "selector", grp->selector);
		json_kv_int_or_null(j, "prio", show_group_prio(m, grp));
		json_key(j, "paths");
		json_array_begin(j);
		for (size_t k = 0; k < grp->n_paths; k++) {
			const struct show_path *p = show_model_find_path(m, grp->devs[k]);

			if (p)
				json_path(j, p, false);
		}
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
	if (detail) {
		json_key(j, "settings");
		if (!map->has_settings)
			json_null(j);
		else {
			json_object_begin(j);
			for (size_t k = 0; k < map->n_settings; k++) {
				json_key(j, map->settings[k].key);
				json_object_begin(j);
				json_kv_string(j, "value", map->settings[k].value);
				json_kv_string(j, "origin", map->settings[k].origin);
				json_object_end(j);
			}
			json_object_end(j);
		}
	}
	json_kv_string(j, "queueing",
		       map->queueing == MP_QUEUEING_UNKNOWN ? NULL : mp_queueing_to_string(map->queueing));
	json_kv_bool(j, "queue_io", map->queue_io);
	json_kv_string(j, "dev", map->dev);
	json_kv_string(j, "devt", map->devt);
	json_kv_string(j, "target", map->target);
	json_kv_string(j, "state", map->state);
	json_kv_bool(j, "reload_pending", map->reload_pending);
	json_kv_int_or_null(j, "current_group", map->current_group ? (long long)map->current_group : -1);
	json_kv_string(j, "features", map->features);
	json_kv_string(j, "hw_handler", map->hw_handler);
	json_object_end(j);
}

int show_print_json(struct json *j, const struct show_model *m, const struct show_print *o)
{
	if (o->map) {
		for (size_t i = 0; i < m->n_maps; i++)
			if (wanted(o, &m->maps[i])) {
				json_map(j, m, &m->maps[i], true);
				return 0;
			}
		return -ENOENT;
	}
	json_object_begin(j);
	json_kv_string(j, "source", source_name(m));
	json_key(j, o->view == SHOW_VIEW_PATHS ? "paths" : "maps");
	json_array_begin(j);
	if (o->view == SHOW_VIEW_PATHS)
		for (size_t i = 0; i < m->n_paths; i++)
			json_path(j, &m->paths[i], true);
	else
		for (size_t i = 0; i < m->n_maps; i++)
			json_map(j, m, &m->maps[i], false);
	json_array_end(j);
	json_object_end(j);
	return 0;
}

/* ---- One map in detail ---- */

int show_print_map(FILE *f, const struct show_model *m, const struct show_print *o)
{
	_cleanup_(table_freep) struct table *facts = table_new("FIELD", "VALUE", NULL);
	_cleanup_(table_freep) struct table *settings = NULL;
	const struct show_map *map = NULL;
	struct show_row row;
	int r;

	for (size_t i = 0; i < m->n_maps && !map; i++)
		if (wanted(o, &m->maps[i]))
			map = &m->maps[i];
	if (!map)
		return -ENOENT;
	if (!facts)
		return -ENOMEM;
	/* Every field of a map, one a line. */
	row = (struct show_row){ .model = m, .map = map, .level = SHOW_LEVEL_MAP };
	for (size_t i = 0; i < show_n_fields; i++) {
		const struct show_field *fl = &show_fields[i];
		enum out_color color = COLOR_NONE;
		char buf[SHOW_VALUE_MAX];
		const char *v;

		if (!(fl->levels & SHOW_LEVEL_MAP))
			continue;
		v = fl->value(&row, buf, sizeof(buf), &color);
		table_add_cell(facts, COLOR_NONE, fl->header);
		table_add_cell(facts, v && *v ? color : COLOR_GREY, v && *v ? v : "-");
	}
	r = table_print_flags(facts, f, o->color, TABLE_NOHEADINGS, NULL);
	if (r < 0)
		return r;
	fputc('\n', f);
	r = show_print_table(f, m, o);
	if (r < 0 || !map->has_settings)
		return r;
	settings = table_new("SETTING", "VALUE", "ORIGIN", NULL);
	if (!settings)
		return -ENOMEM;
	for (size_t k = 0; k < map->n_settings; k++) {
		table_add_cell(settings, COLOR_NONE, map->settings[k].key);
		table_add_cell(settings, COLOR_NONE, map->settings[k].value);
		table_add_cell(settings,
			       strcmp(map->settings[k].origin, "default") == 0 ? COLOR_GREY : COLOR_NONE,
			       map->settings[k].origin);
	}
	fputc('\n', f);
	return table_print(settings, f, o->color);
}
