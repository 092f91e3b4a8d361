/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Formatters for `multipathctl stats` (see stats.h). The Prometheus output
 * follows the text exposition format 0.0.4: each family's HELP and TYPE lines
 * come once, before all of its samples.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "stats.h"

enum metric_value {
	VALUE_IOS,
	VALUE_BYTES,
	VALUE_ERRORS,
	VALUE_AVG_LAT,
	VALUE_ACTIVE,
	VALUE_FAIL_COUNT,
};

struct metric {
	const char *name;
	const char *type;
	const char *help;
	enum metric_value value;
	bool needs_stats; /* only from mpio's stats section */
};

static const struct metric metrics[] = {
	{ "mpio_path_ios_total", "counter",
	  "I/O requests completed on the path since the map was loaded or its counters cleared.",
	  VALUE_IOS, true },
	{ "mpio_path_bytes_total", "counter",
	  "Bytes transferred on the path since the map was loaded or its counters cleared.",
	  VALUE_BYTES, true },
	{ "mpio_path_errors_total", "counter",
	  "I/O requests that failed on the path since the map was loaded or its counters cleared.",
	  VALUE_ERRORS, true },
	{ "mpio_path_latency_avg_microseconds", "gauge",
	  "Average completion latency of the path's I/O requests, in microseconds.",
	  VALUE_AVG_LAT, true },
	{ "mpio_path_active", "gauge",
	  "1 if the kernel considers the path usable, 0 if it is failed.",
	  VALUE_ACTIVE, false },
	{ "mpio_path_failures_total", "counter",
	  "Times the kernel has failed the path.",
	  VALUE_FAIL_COUNT, false },
};

void prometheus_write_label(FILE *f, const char *value)
{
	for (const char *p = value; *p; p++)
		switch (*p) {
		case '\\':
			fputs("\\\\", f);
			break;
		case '"':
			fputs("\\\"", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		default:
			fputc(*p, f);
		}
}

static uint64_t path_value(const struct mp_map_path_status *p, enum metric_value v)
{
	switch (v) {
	case VALUE_IOS:
		return p->ios;
	case VALUE_BYTES:
		return p->bytes;
	case VALUE_ERRORS:
		return p->errors;
	case VALUE_AVG_LAT:
		return p->avg_lat_us;
	case VALUE_ACTIVE:
		return p->active ? 1 : 0;
	case VALUE_FAIL_COUNT:
		return p->fail_count;
	}
	return 0;
}

int stats_print_prometheus(FILE *f, const struct stats_map *maps, size_t n)
{
	for (size_t m = 0; m < ARRAY_SIZE(metrics); m++) {
		const struct metric *mt = &metrics[m];

		fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", mt->name, mt->help, mt->name, mt->type);
		for (size_t i = 0; i < n; i++) {
			const struct mp_map_status *st = maps[i].status;

			if (!st || (mt->needs_stats && !st->has_stats))
				continue;
			for (unsigned g = 0; g < st->n_groups; g++)
				for (unsigned k = 0; k < st->groups[g].n_paths; k++) {
					const struct mp_map_path_status *p = &st->groups[g].paths[k];

					fprintf(f, "%s{map=\"", mt->name);
					prometheus_write_label(f, maps[i].name);
					fprintf(f, "\",path=\"%u:%u\"} %" PRIu64 "\n", p->major,
						p->minor, path_value(p, mt->value));
				}
		}
	}
	return ferror(f) ? -EIO : 0;
}

void stats_print_json(struct json *j, const struct stats_map *maps, size_t n)
{
	static const char *const keys[] = { "ios", "bytes", "errors", "avg_latency_us" };
	static const enum metric_value vals[] = { VALUE_IOS, VALUE_BYTES, VALUE_ERRORS,
						  VALUE_AVG_LAT };

	json_object_begin(j);
	json_key(j, "maps");
	json_array_begin(j);
	for (size_t i = 0; i < n; i++) {
		const struct mp_map_status *st = maps[i].status;

		if (!st)
			continue;
		json_object_begin(j);
		json_kv_string(j, "name", maps[i].name);
		json_kv_bool(j, "queue_io", st->queue_io);
		json_kv_uint(j, "pg_init_count", st->pg_init_count);
		json_kv_uint(j, "current_group", st->current_group);
		json_kv_bool(j, "has_stats", st->has_stats);
		json_key(j, "groups");
		json_array_begin(j);
		for (unsigned g = 0; g < st->n_groups; g++) {
			const struct mp_map_group_status *grp = &st->groups[g];
			char devt[32];

			json_object_begin(j);
			json_kv_uint(j, "number", g + 1);
			json_kv_string(j, "state", mp_group_state_to_string(grp->state));
			json_key(j, "paths");
			json_array_begin(j);
			for (unsigned k = 0; k < grp->n_paths; k++) {
				const struct mp_map_path_status *p = &grp->paths[k];

				snprintf(devt, sizeof(devt), "%u:%u", p->major, p->minor);
				json_object_begin(j);
				json_kv_string(j, "devt", devt);
				json_kv_bool(j, "active", p->active);
				json_kv_uint(j, "fail_count", p->fail_count);
				for (size_t v = 0; v < ARRAY_SIZE(keys); v++) {
					json_key(j, keys[v]);
					if (st->has_stats)
						json_uint(j, path_value(p, vals[v]));
					else
						json_null(j);
				}
				json_object_end(j);
			}
			json_array_end(j);
			json_object_end(j);
		}
		json_array_end(j);
		json_kv_string(j, "queueing", mp_queueing_to_string(st->queueing));
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

static void format_latency(uint64_t us, char *buf, size_t len)
{
	if (us < 10000)
		snprintf(buf, len, "%" PRIu64 "us", us);
	else if (us < 10000000)
		snprintf(buf, len, "%" PRIu64 ".%" PRIu64 "ms", us / 1000, us % 1000 / 100);
	else
		snprintf(buf, len, "%" PRIu64 "s", us / 1000000);
}

int stats_print_table(FILE *f, const struct stats_map *maps, size_t n, bool color)
{
	_cleanup_(table_freep) struct table *t = NULL;

	t = table_new("MAP", "GROUP", "PATH", "STATE", "FAILURES", "IOS", "BYTES", "ERRORS",
		      "AVG-LATENCY", NULL);
	if (!t)
		return -ENOMEM;
	for (size_t c = 4; c <= 8; c++)
		table_set_align_right(t, c);
	/* table_add_cell() failures are sticky: table_print() returns them */
	for (size_t i = 0; i < n; i++) {
		const struct mp_map_status *st = maps[i].status;

		if (!st)
			continue;
		for (unsigned g = 0; g < st->n_groups; g++) {
			const struct mp_map_group_status *grp = &st->groups[g];

			for (unsigned k = 0; k < grp->n_paths; k++) {
				const struct mp_map_path_status *p = &grp->paths[k];
				char bytes[32], lat[32];

				table_add_cell(t, COLOR_NONE, maps[i].name);
				table_add_cellf(t, COLOR_NONE, "%u (%s)", g + 1,
						mp_group_state_to_string(grp->state) ?: "?");
				table_add_cellf(t, COLOR_NONE, "%u:%u", p->major, p->minor);
				table_add_cell(t, p->active ? COLOR_GREEN : COLOR_RED,
					       p->active ? "active" : "failed");
				table_add_cellf(t, p->fail_count ? COLOR_YELLOW : COLOR_NONE, "%u",
						p->fail_count);
				if (!st->has_stats) {
					for (int c = 0; c < 4; c++)
						table_add_cell(t, COLOR_GREY, "-");
					continue;
				}
				out_format_bytes(p->bytes, bytes, sizeof(bytes));
				format_latency(p->avg_lat_us, lat, sizeof(lat));
				table_add_cellf(t, COLOR_NONE, "%" PRIu64, p->ios);
				table_add_cell(t, COLOR_NONE, bytes);
				table_add_cellf(t, p->errors ? COLOR_RED : COLOR_NONE, "%" PRIu64,
						p->errors);
				table_add_cell(t, COLOR_NONE, lat);
			}
		}
	}
	return table_print(t, f, color);
}
