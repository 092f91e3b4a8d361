/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fields of `multipathctl show` (show-fields.h): one table of them,
 * which the columns, --output, --list-fields, the man page's list and the
 * bash completion follow. A field is one kind of value; where a map, a
 * group and a path each have one (a name, a state, a prio), the field has
 * a value in each of those rows, so that the tree of `show topology` reads
 * across levels.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "macro.h"
#include "show-fields.h"

#define M SHOW_LEVEL_MAP
#define G SHOW_LEVEL_GROUP
#define P SHOW_LEVEL_PATH

static const char *number(char *buf, size_t len, long long v)
{
	if (v < 0)
		return NULL;
	snprintf(buf, len, "%lld", v);
	return buf;
}

static const char *v_name(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	if (r->level == M)
		return r->map->name;
	if (r->level == G) {
		snprintf(buf, len, "group %u", r->group_no);
		return buf;
	}
	return r->path->dev;
}

static const char *v_wwid(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	return r->map->wwid;
}

static const char *v_dev(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	return r->level == M ? r->map->dev : r->path->dev;
}

static const char *v_devt(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	return r->level == M ? r->map->devt : r->path->devt;
}

static const char *v_size(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	uint64_t size = r->level == M ? r->map->size : r->path->size;

	if (size == 0)
		return NULL;
	if (r->exact)
		snprintf(buf, len, "%" PRIu64, size);
	else
		out_format_bytes(size, buf, len);
	return buf;
}

static const char *v_vendor(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	return r->level == M ? r->map->vendor : r->path->vendor;
}

static const char *v_product(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	return r->level == M ? r->map->product : r->path->product;
}

static const char *v_target(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	if (r->map->target && strcmp(r->map->target, MP_DM_TARGET) != 0)
		*c = COLOR_YELLOW;
	return r->map->target;
}

static const char *v_features(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	return r->map->features;
}

static const char *v_hwhandler(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	return r->map->hw_handler;
}

static const char *v_queueing(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	const char *q = mp_queueing_to_string(r->map->queueing);

	if (!q || r->map->queueing == MP_QUEUEING_UNKNOWN)
		return NULL;
	if (r->map->queueing == MP_QUEUEING_EXPIRED)
		*c = COLOR_RED;
	if (!r->map->queue_io || r->exact)
		return q;
	*c = COLOR_YELLOW;
	snprintf(buf, len, "%s, holding I/O", q);
	return buf;
}

static const char *v_held(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	if (r->map->queue_io)
		*c = COLOR_YELLOW;
	return r->map->queue_io ? "yes" : "no";
}

static const char *v_paths(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	size_t usable, n = show_map_paths(r->model, r->map, &usable);

	if (usable < n)
		*c = usable ? COLOR_YELLOW : COLOR_RED;
	snprintf(buf, len, "%zu/%zu", usable, n);
	return buf;
}

static const char *v_state(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	const char *s;

	if (r->level == M) {
		if (r->map->state && strcmp(r->map->state, "active") != 0)
			*c = COLOR_YELLOW;
		if (r->map->reload_pending && !r->exact) {
			snprintf(buf, len, "%s, reload pending", r->map->state ?: "-");
			return buf;
		}
		return r->map->state;
	}
	s = mp_group_state_to_string(r->group->state);
	if (r->group->state == MP_GROUP_ACTIVE)
		*c = COLOR_GREEN;
	else if (r->group->state == MP_GROUP_DISABLED)
		*c = COLOR_RED;
	return s;
}

static const char *v_group(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	if (r->level == M)
		return r->map->current_group ? number(buf, len, r->map->current_group) : NULL;
	if (r->level == G)
		return number(buf, len, r->group_no);
	return r->path->group ? number(buf, len, r->path->group) : NULL;
}

static const char *v_selector(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	return r->group->selector;
}

static const char *v_prio(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	if (r->level == G)
		return number(buf, len, show_group_prio(r->model, r->group));
	return number(buf, len, show_path_prio(r->path));
}

static const char *v_map(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	return r->path->map;
}

static const char *v_hctl(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	return r->path->hctl;
}

static const char *v_dm_state(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	switch (r->path->dm) {
	case SHOW_DM_ACTIVE:
		*c = COLOR_GREEN;
		return "active";
	case SHOW_DM_FAILED:
		*c = COLOR_RED;
		return "failed";
	default:
		return NULL;
	}
}

static const char *v_checker(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	const char *s = r->path->checker;

	if (!s)
		return NULL;
	*c = strcmp(s, "up") == 0 ? COLOR_GREEN : strcmp(s, "down") == 0 ? COLOR_RED : COLOR_YELLOW;
	if (!r->path->admin_failed || r->exact)
		return s;
	snprintf(buf, len, "%s (admin)", s);
	return buf;
}

static const char *v_dev_state(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	enum mp_scsi_state s = r->path->dev_state;

	if (s == MP_SCSI_UNKNOWN)
		return NULL;
	if (s != MP_SCSI_RUNNING)
		*c = s == MP_SCSI_BLOCKED || s == MP_SCSI_QUIESCE ? COLOR_YELLOW : COLOR_RED;
	return mp_scsi_state_to_string(s);
}

static const char *v_alua(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	return mp_alua_state_to_string(r->path->alua);
}

static const char *v_transport(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	return mp_transport_to_string(r->path->transport);
}

static const char *v_failures(const struct show_row *r, char *buf, size_t len, enum out_color *c)
{
	if (r->path->dm == SHOW_DM_UNKNOWN)
		return NULL;
	if (r->path->fail_count)
		*c = COLOR_YELLOW;
	return number(buf, len, r->path->fail_count);
}

const struct show_field show_fields[] = {
	{ "name", "NAME", M | G | P, false, "map name; \"group N\"; path device (sdX)", v_name },
	{ "wwid", "WWID", M, false, "the map's WWID", v_wwid },
	{ "dev", "DEV", M | P, false, "kernel device: dm-N of a map, sdX of a path", v_dev },
	{ "devt", "DEVT", M | P, false, "device number, major:minor", v_devt },
	{ "size", "SIZE", M | P, true, "size (bytes in JSON)", v_size },
	{ "vendor", "VENDOR", M | P, false, "SCSI vendor", v_vendor },
	{ "product", "PRODUCT", M | P, false, "SCSI product", v_product },
	{ "target", "TARGET", M, false,
	  "device-mapper target: mpio, or multipath (multipath-tools' map)", v_target },
	{ "state", "STATE", M | G, false,
	  "map: active, pending (mpiod), suspended; group: active, enabled, disabled", v_state },
	{ "paths", "PATHS", M, false, "usable paths / paths", v_paths },
	{ "queueing", "QUEUEING", M, false,
	  "queueing when no path is usable: on, off, expired", v_queueing },
	{ "held", "HELD", M, false, "I/O is held now, for want of a usable path: yes, no", v_held },
	{ "features", "FEATURES", M, false, "the table's features", v_features },
	{ "hwhandler", "HWHANDLER", M, false, "the table's hardware handler", v_hwhandler },
	{ "group", "GROUP", M | G | P, true,
	  "group number; of a map: the active group; of a path: its group", v_group },
	{ "selector", "SELECTOR", G, false, "the group's path selector", v_selector },
	{ "prio", "PRIO", G | P, true,
	  "ALUA prio, on multipath-tools' scale; of a group: its best usable path's", v_prio },
	{ "map", "MAP", P, false, "the path's map", v_map },
	{ "hctl", "HCTL", P, false, "SCSI address, host:channel:target:lun", v_hctl },
	{ "dm-state", "DM", P, false, "device-mapper's state of the path: active, failed",
	  v_dm_state },
	{ "checker", "CHECKER", P, false,
	  "mpiod's verdict: up, down, ghost (standby); (admin): failed by an admin", v_checker },
	{ "dev-state", "DEVICE", P, false,
	  "SCSI device state: running, offline, blocked, ...", v_dev_state },
	{ "alua", "ALUA", P, false, "ALUA access state", v_alua },
	{ "transport", "TRANSPORT", P, false, "iscsi, fc, sas or other", v_transport },
	{ "failures", "FAILURES", P, true, "how often device-mapper failed the path", v_failures },
};
const size_t show_n_fields = ARRAY_SIZE(show_fields);

static const char *const default_columns[_SHOW_VIEW_MAX] = {
	[SHOW_VIEW_TOPOLOGY] = "name,dev,hctl,size,state,prio,dm-state,checker,dev-state,alua,"
			       "queueing,hwhandler,wwid",
	[SHOW_VIEW_MAPS] = "name,dev,wwid,vendor,product,size,paths,queueing,hwhandler,state",
	[SHOW_VIEW_PATHS] = "dev,devt,hctl,map,group,prio,dm-state,checker,dev-state,alua,transport",
};

unsigned show_view_levels(enum show_view view)
{
	return view == SHOW_VIEW_MAPS ? M : view == SHOW_VIEW_PATHS ? P : M | G | P;
}

static const struct show_field *field_find(const char *name, size_t len)
{
	for (size_t i = 0; i < show_n_fields; i++)
		if (strlen(show_fields[i].name) == len && strncasecmp(show_fields[i].name, name, len) == 0)
			return &show_fields[i];
	return NULL;
}

static const char *const view_names[_SHOW_VIEW_MAX] = {
	[SHOW_VIEW_TOPOLOGY] = "topology",
	[SHOW_VIEW_MAPS] = "maps",
	[SHOW_VIEW_PATHS] = "paths",
};

static void fields_names(FILE *f, enum show_view view)
{
	bool first = true;

	for (size_t i = 0; i < show_n_fields; i++)
		if (show_fields[i].levels & show_view_levels(view)) {
			fprintf(f, "%s%s", first ? "" : ", ", show_fields[i].name);
			first = false;
		}
}

/* Add the fields of list (comma-separated) to cols: 0, or -EINVAL, said. */
static int columns_add(struct show_columns *cols, const char *list, enum show_view view)
{
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");
		const struct show_field *f = field_find(p, len);

		if (!f || !(f->levels & show_view_levels(view))) {
			fprintf(stderr, "multipathctl show %s: %s field '%.*s'; the fields of show %s: ",
				view_names[view], f ? "no value for the" : "unknown", (int)len, p,
				view_names[view]);
			fields_names(stderr, view);
			fputs(" (see --list-fields)\n", stderr);
			return -EINVAL;
		}
		if (cols->n == SHOW_MAX_COLUMNS) {
			fprintf(stderr, "multipathctl show %s: more than %d columns\n", view_names[view],
				SHOW_MAX_COLUMNS);
			return -EINVAL;
		}
		cols->fields[cols->n++] = f;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

int show_format_parse(const char *list, enum show_view view, struct show_format *ret)
{
	*ret = (struct show_format){ .given = true };
	if (strcasecmp(list, "help") == 0)
		return 1;
	if (*list == '+') {
		ret->append = true;
		list++;
	}
	return columns_add(&ret->cols, list, view);
}

void show_columns_get(const struct show_format *fmt, enum show_view view, enum show_source source,
		      struct show_columns *ret)
{
	*ret = (struct show_columns){};
	if (!fmt || !fmt->given || fmt->append) {
		/* The defaults are valid names: columns_add() cannot fail on them. */
		(void)columns_add(ret, default_columns[view], view);
		if (source == SHOW_FROM_KERNEL && view != SHOW_VIEW_PATHS)
			(void)columns_add(ret, "target", view);
	}
	for (size_t i = 0; fmt && fmt->given && i < fmt->cols.n && ret->n < SHOW_MAX_COLUMNS; i++)
		ret->fields[ret->n++] = fmt->cols.fields[i];
}

void show_fields_list(FILE *f, enum show_view view)
{
	fprintf(f, "Fields of show %s (--output NAME,... or +NAME,... to add to the default):\n",
		view_names[view]);
	for (size_t i = 0; i < show_n_fields; i++) {
		const struct show_field *fl = &show_fields[i];
		const char *sep = "";
		char where[32] = "";

		if (!(fl->levels & show_view_levels(view)))
			continue;
		for (unsigned l = 0; l < 3; l++)
			if (fl->levels & (1u << l)) {
				strcat(where, sep);
				strcat(where, (const char *[]){ "map", "group", "path" }[l]);
				sep = ",";
			}
		fprintf(f, "  %-10s %-15s %s\n", fl->name, where, fl->help);
	}
	fprintf(f, "Default: %s\n", default_columns[view]);
}
