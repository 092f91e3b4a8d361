/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The transport settings of paths (FastIoFailTimeout=, DevLossTimeout=,
 * IscsiRecoveryTimeout=, EhDeadline=, MaxSectorsKb=): libmp works out and
 * writes what a map's settings ask of each path's kernel objects
 * (libmp/transport.c); this logs each write. A value changed is a notice,
 * a value the rules changed from the setting's is a warning where the
 * administrator set it, a write that failed is a warning naming the file
 * and the error, and never fails the path.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"
#include "model.h"
#include "transport.h"

struct apply {
	const struct dpath *path;
	const struct dmap *map;
	bool quiet_in_use; /* another path of the map: its being under the map is no news */
};

/* The setting a rule overrode, as "DevLossTimeout=30 (origin)", or the kernel's value. */
static void overridden(const struct dmap *m, char *buf, size_t len)
{
	char v[MP_SETTING_VALUE_MAX];

	if (m->settings.dev_loss_tmo == MP_TMO_UNSET)
		snprintf(buf, len, "the kernel's");
	else
		snprintf(buf, len, "%s=%s (%s)", mp_setting_to_string(MP_SETTING_DEV_LOSS_TMO),
			 mp_settings_value(&m->settings, MP_SETTING_DEV_LOSS_TMO, v, sizeof(v)),
			 m->settings.origin[MP_SETTING_DEV_LOSS_TMO]);
}

_printf_(4, 5) static void append(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*pos >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *pos, len - *pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		*pos += (size_t)n;
}

static void log_write(const struct mp_tattr_write *w, void *userdata)
{
	const struct apply *a = userdata;
	const struct dmap *m = a->map;
	const char *name = a->path->name;
	char over[256], v[MP_SETTING_VALUE_MAX], why[512] = "";
	size_t pos = 0;
	int prio = LOG_NOTICE;

	if (!w->value) {
		log_msg(LOG_WARNING, "%s: cannot read %s: %s, leaving it alone", name, w->file,
			strerror(-w->error));
		return;
	}
	if (w->why & MP_TATTR_IN_USE) {
		if (!a->quiet_in_use)
			log_msg(LOG_NOTICE, "%s: %s stays %s, not %s: the path is under a map already "
				"(the value applies when the path is added again)", name, w->file,
				w->old ?: "?", w->value);
		return;
	}
	if (w->error) {
		log_msg(LOG_WARNING, "%s: cannot write %s to %s: %s", name, w->value, w->file,
			strerror(-w->error));
		return;
	}
	overridden(m, over, sizeof(over));
	if (w->why & MP_TATTR_FOR_QUEUEING)
		append(why, sizeof(why), &pos, ", raised from %s to outlast the queueing of %s=%s", over,
		       mp_setting_to_string(MP_SETTING_NO_PATH_RETRY),
		       mp_settings_value(&m->settings, MP_SETTING_NO_PATH_RETRY, v, sizeof(v)));
	if (w->why & MP_TATTR_FOR_FAST_IO_FAIL)
		append(why, sizeof(why), &pos, ", raised from %s above fast_io_fail_tmo", over);
	if (w->why & MP_TATTR_CAPPED)
		append(why, sizeof(why), &pos, ", held there: the kernel takes no more while "
		       "fast_io_fail_tmo is off");
	if (w->why & MP_TATTR_STEP)
		append(why, sizeof(why), &pos, " (a step: the kernel takes the values in this order)");
	if ((w->why & MP_TATTR_MAP_MIN) && m->settings.max_sectors_kb != atoi(w->value))
		append(why, sizeof(why), &pos, " (the most every path of the map takes)");
	if ((w->why & (MP_TATTR_FOR_QUEUEING | MP_TATTR_FOR_FAST_IO_FAIL | MP_TATTR_CAPPED)) &&
	    m->settings.dev_loss_tmo != MP_TMO_UNSET)
		prio = LOG_WARNING; /* the administrator's value is not the one written */
	log_msg(prio, "%s: %s %s -> %s%s", name, w->file, w->old ?: "?", w->value, why);
}

void transport_apply(Context *c, struct dpath *p)
{
	struct dmap *m = p->map;
	struct apply a = { .path = p, .map = m };
	const struct mp_path **v;
	int kb;

	if (!m)
		return;
	(void)mp_path_apply_timeouts(p->mp, &m->settings, log_write, &a);
	if (m->settings.max_sectors_kb == MP_TMO_UNSET)
		return;
	v = calloc(m->n_paths, sizeof(*v));
	if (!v) {
		log_errno(LOG_WARNING, -ENOMEM, "%s: cannot set max_sectors_kb", p->name);
		return;
	}
	for (size_t i = 0; i < m->n_paths; i++)
		v[i] = m->paths[i]->mp;
	kb = mp_paths_max_sectors_kb(v, m->n_paths, m->settings.max_sectors_kb);
	free(v);
	/* This path, then the map's others not under it yet: a smaller limit may have come with it. */
	(void)mp_path_set_max_sectors_kb(p->mp, kb, log_write, &a);
	a.quiet_in_use = true;
	for (size_t i = 0; i < m->n_paths; i++)
		if (m->paths[i] != p) {
			a.path = m->paths[i];
			(void)mp_path_set_max_sectors_kb(m->paths[i]->mp, kb, log_write, &a);
		}
}

void transport_apply_all(Context *c)
{
	for (size_t i = 0; i < c->n_paths; i++)
		transport_apply(c, c->paths[i]);
}
