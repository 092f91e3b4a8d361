/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The configuration (reload.h). A reload re-reads the files, then looks
 * at every disk again (claims may have changed) and compares every map
 * with the table it should have now.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <systemd/sd-daemon.h>

#include "log.h"
#include "model.h"
#include "discovery.h"
#include "maps.h"
#include "reload.h"

void notify_status(Context *c)
{
	size_t failed = 0;

	for (size_t i = 0; i < c->n_paths; i++)
		failed += c->paths[i]->failed;
	(void)sd_notifyf(0, "STATUS=%zu maps, %zu paths (%zu failed)", c->n_maps, c->n_paths,
			 failed);
}

static void log_parse_error(const struct mp_parse_error *e, const char *fallback_file, int r,
			    const char *what)
{
	const char *file = e->file[0] ? e->file : fallback_file;

	if (e->line > 0)
		log_msg(LOG_ERR, "%s:%u: %s; %s", file, e->line, e->msg[0] ? e->msg : strerror(-r),
			what);
	else
		log_msg(LOG_ERR, "%s: %s; %s", file, e->msg[0] ? e->msg : strerror(-r), what);
}

int config_load(Context *c, bool initial)
{
	_cleanup_(mp_config_unrefp) struct mp_config *cfg = NULL;
	_cleanup_(mp_supported_unrefp) struct mp_supported *sup = NULL;
	_cleanup_free_ char *sup_path = NULL;
	const char *what = initial ? "cannot start" : "configuration rejected, keeping the running one";
	struct mp_parse_error e = {};
	int r;

	r = mp_config_load(c->mp, c->config_dir, &cfg, &e);
	if (r < 0) {
		log_parse_error(&e, c->config_dir, r, what);
		return r;
	}
	if (asprintf(&sup_path, "%s/" MP_SUPPORTED_DEVICES_NAME, c->config_dir) < 0)
		return log_errno(LOG_ERR, -ENOMEM, "cannot load configuration");
	memset(&e, 0, sizeof(e));
	r = mp_supported_parse_file(c->mp, sup_path, &sup, &e);
	if (r == -ENOENT) {
		log_msg(LOG_WARNING, "%s does not exist: no device is claimed", sup_path);
		r = mp_supported_parse_string(c->mp, "", sup_path, &sup, &e);
	}
	if (r < 0) {
		log_parse_error(&e, sup_path, r, what);
		return r;
	}

	mp_config_unref(c->cfg);
	c->cfg = TAKE_PTR(cfg);
	mp_supported_unref(c->supported);
	c->supported = TAKE_PTR(sup);
	/* Map settings point into the config: resolve them again before anything uses them. */
	maps_resolve_settings(c);
	state_mark_dirty(c);
	return 0;
}

int daemon_reload(Context *c)
{
	int r;

	(void)sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu", (unsigned long long)now_usec());
	log_msg(LOG_INFO, "reloading configuration from %s", c->config_dir);
	r = config_load(c, false);
	if (r >= 0) {
		/* Claims may have changed: look at every disk again, then compare every map. */
		(void)discovery_coldplug(c);
		for (size_t i = 0; i < c->n_maps; i++)
			map_mark_dirty(c, c->maps[i], "configuration reloaded");
		maps_sync_dirty(c);
		log_msg(LOG_INFO, "configuration reloaded");
	}
	(void)sd_notify(0, "READY=1");
	notify_status(c);
	return r;
}
