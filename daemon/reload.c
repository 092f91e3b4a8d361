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
#include "transport.h"
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

void config_error_text(const struct mp_parse_error *e, int r, char *buf, size_t len)
{
	const char *msg = e->msg[0] ? e->msg : strerror(-r);

	if (e->line > 0)
		snprintf(buf, len, "%s:%u: %s", e->file, e->line, msg);
	else
		snprintf(buf, len, "%s: %s", e->file, msg);
}

/*
 * Reject a reload whose file the running configuration was read from and
 * that is missing now. Taken as absent, it would reset every setting to the
 * defaults (mpio.conf) or claim nothing and drop every path of every map
 * (supported-devices), while it is more likely being replaced: an editor
 * that renames the old file away while it writes the new one, a package
 * upgrade half done. To claim nothing, empty the list; a file removed on
 * purpose counts as absent from the next start on.
 */
static int file_gone(const char *path, struct mp_parse_error *e)
{
	*e = (struct mp_parse_error){};
	snprintf(e->file, sizeof(e->file), "%s", path);
	snprintf(e->msg, sizeof(e->msg), "does not exist any more, and the running configuration "
		 "was read from it");
	return -ENOENT;
}

static int config_read(Context *c, bool initial, struct mp_config **ret_cfg,
		       struct mp_supported **ret_sup, bool *ret_sup_read,
		       struct mp_parse_error *e)
{
	_cleanup_(mp_config_unrefp) struct mp_config *cfg = NULL;
	_cleanup_(mp_supported_unrefp) struct mp_supported *sup = NULL;
	_cleanup_free_ char *main_path = NULL, *sup_path = NULL;
	bool sup_read = true;
	int r;

	if (asprintf(&main_path, "%s/" MP_CONFIG_MAIN_NAME, c->config_dir) < 0 ||
	    asprintf(&sup_path, "%s/" MP_SUPPORTED_DEVICES_NAME, c->config_dir) < 0)
		return -ENOMEM;
	r = mp_config_load(c->mp, c->config_dir, &cfg, e);
	if (r < 0)
		return r;
	if (!initial && mp_config_read_main_file(c->cfg) && !mp_config_read_main_file(cfg))
		return file_gone(main_path, e);
	*e = (struct mp_parse_error){};
	r = mp_supported_parse_file(c->mp, sup_path, &sup, e);
	if (r == -ENOENT) {
		if (!initial && c->supported_read)
			return file_gone(sup_path, e);
		log_msg(LOG_WARNING, "%s does not exist: no device is claimed", sup_path);
		sup_read = false;
		r = mp_supported_parse_string(c->mp, "", sup_path, &sup, e);
	}
	if (r < 0) {
		if (!e->file[0])
			snprintf(e->file, sizeof(e->file), "%s", sup_path);
		return r;
	}
	*ret_cfg = TAKE_PTR(cfg);
	*ret_sup = TAKE_PTR(sup);
	*ret_sup_read = sup_read;
	return 0;
}

int config_load(Context *c, bool initial, struct mp_parse_error *reterr)
{
	_cleanup_(mp_config_unrefp) struct mp_config *cfg = NULL;
	_cleanup_(mp_supported_unrefp) struct mp_supported *sup = NULL;
	struct mp_parse_error e = {};
	bool sup_read = false;
	char text[sizeof(e.file) + sizeof(e.msg) + 16];
	int r;

	r = config_read(c, initial, &cfg, &sup, &sup_read, &e);
	if (r < 0) {
		if (!e.file[0])
			snprintf(e.file, sizeof(e.file), "%s", c->config_dir);
		config_error_text(&e, r, text, sizeof(text));
		log_msg(LOG_ERR, "%s; %s", text, initial ? "cannot start" :
			"configuration rejected, keeping the running one");
		if (reterr)
			*reterr = e;
		return r;
	}

	mp_config_unref(c->cfg);
	c->cfg = TAKE_PTR(cfg);
	mp_supported_unref(c->supported);
	c->supported = TAKE_PTR(sup);
	c->supported_read = sup_read;
	/* Map settings point into the config: resolve them again before anything uses them. */
	maps_resolve_settings(c);
	state_mark_dirty(c);
	return 0;
}

int daemon_reload(Context *c, struct mp_parse_error *reterr)
{
	int r;

	(void)sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu", (unsigned long long)now_usec());
	log_msg(LOG_INFO, "reloading configuration from %s", c->config_dir);
	r = config_load(c, false, reterr);
	if (r >= 0) {
		/* Claims may have changed: look at every disk again, then compare every map. */
		(void)discovery_coldplug(c);
		transport_apply_all(c);
		for (size_t i = 0; i < c->n_maps; i++)
			map_mark_dirty(c, c->maps[i], "configuration reloaded");
		maps_sync_dirty(c);
		log_msg(LOG_INFO, "configuration reloaded");
	}
	(void)sd_notify(0, "READY=1");
	notify_status(c);
	return r;
}
