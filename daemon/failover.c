/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Failover (failover.h). The kernel fails a path on an I/O error and
 * reinstates it on its own only by a table load; the daemon's checker,
 * its D-Bus API and its standby rule fail and reinstate paths here, so the
 * kernel's view and the model's never part. Groups are ordered best first
 * in the table: failback is a switch_group to the first group with a
 * usable path, at once, after Failback=<seconds>, or only when the current
 * group has no usable path left (followover).
 */
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>

#include "log.h"
#include "model.h"
#include "failover.h"

int map_send_path_message(Context *c, struct dmap *m, const char *verb, struct dpath *p)
{
	char msg[64];
	int r;

	snprintf(msg, sizeof(msg), "%s %s", verb, p->devnum);
	r = mp_dm_message(c->mp, m->name, msg);
	if (r < 0)
		log_errno(LOG_WARNING, r, "map %s: message '%s' failed", m->name, msg);
	return r;
}

int path_set_failed(Context *c, struct dpath *p, bool failed)
{
	int r;

	if (p->failed == failed)
		return 0;
	r = map_send_path_message(c, p->map, failed ? "fail_path" : "reinstate_path", p);
	if (r < 0)
		return r;
	p->failed = failed;
	state_mark_dirty(c);
	return 0;
}

static int on_failback_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct dmap *m = userdata;

	m->failback_timer = sd_event_source_disable_unref(m->failback_timer);
	map_failback(m->ctx, m, true);
	return 0;
}

void map_failback(Context *c, struct dmap *m, bool timer_fired)
{
	_cleanup_free_ char *params = NULL;
	struct mp_map_status *st = NULL;
	unsigned best = 0;
	bool current_usable = false;
	char msg[32], word[24];
	int r;

	if (!m->exists || m->settings.failback == MP_FAILBACK_MANUAL)
		return;
	if (mp_dm_get_status(c->mp, m->name, &params) < 0 || mp_dm_parse_status(params, &st) < 0)
		return;
	for (unsigned g = 0; g < st->n_groups; g++)
		for (unsigned k = 0; k < st->groups[g].n_paths; k++)
			if (st->groups[g].paths[k].active) {
				if (!best)
					best = g + 1;
				if (g + 1 == st->current_group)
					current_usable = true;
			}
	if (!best || best == st->current_group)
		goto out;
	if (m->settings.failback == MP_FAILBACK_FOLLOWOVER && current_usable)
		goto out;
	if (m->settings.failback == MP_FAILBACK_DEFERRED && !timer_fired) {
		if (!m->failback_timer) {
			r = sd_event_add_time_relative(c->event, &m->failback_timer, CLOCK_MONOTONIC,
						       (uint64_t)m->settings.failback_secs * 1000000,
						       100 * 1000, on_failback_timer, m);
			if (r < 0)
				log_errno(LOG_ERR, r, "map %s: cannot arm the failback timer", m->name);
			else
				log_msg(LOG_INFO, "map %s: group %u usable again, failing back in %u s",
					m->name, best, m->settings.failback_secs);
		}
		goto out;
	}
	snprintf(msg, sizeof(msg), "switch_group %u", best);
	r = mp_dm_message(c->mp, m->name, msg);
	if (r < 0)
		log_errno(LOG_WARNING, r, "map %s: cannot switch to group %u", m->name, best);
	else
		log_msg(LOG_INFO, "map %s: failback from group %u to group %u (%s=%s)", m->name,
			st->current_group, best, mp_setting_to_string(MP_SETTING_FAILBACK),
			mp_settings_value(&m->settings, MP_SETTING_FAILBACK, word, sizeof(word)) ?: "?");
out:
	mp_map_status_free(st);
}
