/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mpiod's configuration load and reload (daemon/reload.c and the log.c
 * beneath it, compiled into this test; the layers above are stubs that
 * count their calls). At start-up a missing mpio.conf means the defaults and
 * a missing supported-devices claims nothing. At a reload a file the running
 * configuration was read from must still be there: a missing one is refused,
 * with its name, and the running configuration stays (it would otherwise
 * claim nothing and drop every path of every map).
 */
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>

#include "../../daemon/log.c"
#include "../../daemon/reload.c"
#include "unit.h"

/* ---- the layers above reload.c ---- */

static unsigned coldplugs, syncs;

void maps_resolve_settings(Context *c)
{
}

int discovery_coldplug(Context *c)
{
	coldplugs++;
	return 0;
}

void map_mark_dirty(Context *c, struct dmap *m, const char *fmt, ...)
{
}

void maps_sync_dirty(Context *c)
{
	syncs++;
}

void transport_apply_all(Context *c)
{
}

/* ---- a config directory ---- */

struct world {
	Context c;
	char dir[64], conf[96], sup[96];
};

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	CU_ASSERT_EQUAL(fclose(f), 0);
}

/* A directory with mpio.conf and supported-devices if asked; mpiod's start-up load. */
static void world_start(struct world *w, bool conf, bool sup)
{
	*w = (struct world){};
	snprintf(w->dir, sizeof(w->dir), "/tmp/test-reload.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(w->dir));
	snprintf(w->conf, sizeof(w->conf), "%s/mpio.conf", w->dir);
	snprintf(w->sup, sizeof(w->sup), "%s/supported-devices", w->dir);
	if (conf)
		write_file(w->conf, "[Defaults]\nCheckInterval=2\n");
	if (sup)
		write_file(w->sup, "Linux   scsi_debug\nbus:iscsi\n");
	CU_ASSERT_EQUAL_FATAL(mp_ctx_new(&w->c.mp), 0);
	w->c.config_dir = w->dir;
	CU_ASSERT_EQUAL_FATAL(config_load(&w->c, true, NULL), 0);
	coldplugs = syncs = 0;
}

static void world_end(struct world *w)
{
	(void)unlink(w->conf);
	(void)unlink(w->sup);
	CU_ASSERT_EQUAL(rmdir(w->dir), 0);
	mp_supported_unref(w->c.supported);
	mp_config_unref(w->c.cfg);
	mp_ctx_unref(w->c.mp);
}

static unsigned check_interval(const Context *c)
{
	struct mp_settings s = {};

	CU_ASSERT_EQUAL(mp_config_resolve(c->cfg, "Linux", "scsi_debug", NULL, 0, &s), 0);
	return s.check_interval;
}

/* The running list, kept: same object, same entries. */
static void check_list_kept(const struct world *w, const struct mp_supported *before)
{
	CU_ASSERT_PTR_EQUAL(w->c.supported, before);
	CU_ASSERT_EQUAL(mp_supported_count(w->c.supported), 2);
	CU_ASSERT_EQUAL(mp_supported_match(w->c.supported, "Linux", "scsi_debug", MP_TRANSPORT_SAS), 0);
}

static void test_supported_devices_gone(void)
{
	struct world w;
	struct mp_parse_error e = {};
	const struct mp_supported *before;
	char want[128];

	world_start(&w, true, true);
	before = w.c.supported;
	check_list_kept(&w, before);
	CU_ASSERT_EQUAL(unlink(w.sup), 0);

	CU_ASSERT_EQUAL(daemon_reload(&w.c, &e), -ENOENT);
	CU_ASSERT_STRING_EQUAL(e.file, w.sup);
	CU_ASSERT_EQUAL(e.line, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "does not exist"));
	check_list_kept(&w, before);
	/* nothing was looked at again: no path left its map */
	CU_ASSERT_EQUAL(coldplugs, 0);
	CU_ASSERT_EQUAL(syncs, 0);
	/* the message names the file */
	config_error_text(&e, -ENOENT, want, sizeof(want));
	CU_ASSERT_EQUAL(strncmp(want, w.sup, strlen(w.sup)), 0);

	/* back again: the reload goes through */
	write_file(w.sup, "Linux   scsi_debug\n");
	CU_ASSERT_EQUAL(daemon_reload(&w.c, &e), 0);
	CU_ASSERT_EQUAL(mp_supported_count(w.c.supported), 1);
	CU_ASSERT_EQUAL(coldplugs, 1);
	world_end(&w);
}

static void test_mpio_conf_gone(void)
{
	struct world w;
	struct mp_parse_error e = {};
	const struct mp_config *before;

	world_start(&w, true, true);
	before = w.c.cfg;
	CU_ASSERT_EQUAL(check_interval(&w.c), 2);
	CU_ASSERT_EQUAL(unlink(w.conf), 0);

	CU_ASSERT_EQUAL(config_load(&w.c, false, &e), -ENOENT);
	CU_ASSERT_STRING_EQUAL(e.file, w.conf);
	CU_ASSERT_PTR_EQUAL(w.c.cfg, before);
	CU_ASSERT_EQUAL(check_interval(&w.c), 2);
	/* a reload refused for mpio.conf keeps the list too */
	CU_ASSERT_EQUAL(mp_supported_count(w.c.supported), 2);

	/* an empty mpio.conf is a choice: the defaults then apply */
	write_file(w.conf, "");
	CU_ASSERT_EQUAL(config_load(&w.c, false, &e), 0);
	CU_ASSERT_NOT_EQUAL(check_interval(&w.c), 2);
	world_end(&w);
}

/* Started without the files: still missing at a reload is what runs already. */
static void test_missing_from_the_start(void)
{
	struct world w;
	struct mp_parse_error e = {};

	world_start(&w, false, false);
	CU_ASSERT_FALSE(w.c.supported_read);
	CU_ASSERT_EQUAL(mp_supported_count(w.c.supported), 0);
	CU_ASSERT_EQUAL(daemon_reload(&w.c, &e), 0);
	CU_ASSERT_EQUAL(coldplugs, 1);

	/* the list appears (multipathctl claim add creates it): it applies */
	write_file(w.sup, "bus:fc\n");
	CU_ASSERT_EQUAL(daemon_reload(&w.c, &e), 0);
	CU_ASSERT_TRUE(w.c.supported_read);
	CU_ASSERT_EQUAL(mp_supported_count(w.c.supported), 1);
	/* and from then on it must stay */
	CU_ASSERT_EQUAL(unlink(w.sup), 0);
	CU_ASSERT_EQUAL(daemon_reload(&w.c, &e), -ENOENT);
	CU_ASSERT_EQUAL(mp_supported_count(w.c.supported), 1);
	world_end(&w);
}

/* A bad file is refused with its file:line, as before. */
static void test_bad_file(void)
{
	struct world w;
	struct mp_parse_error e = {};

	world_start(&w, true, true);
	write_file(w.sup, "Linux   scsi_debug\nbus:usb\n");
	CU_ASSERT_EQUAL(daemon_reload(&w.c, &e), -EBADMSG);
	CU_ASSERT_STRING_EQUAL(e.file, w.sup);
	CU_ASSERT_EQUAL(e.line, 2);
	CU_ASSERT_EQUAL(mp_supported_count(w.c.supported), 2);
	CU_ASSERT_EQUAL(coldplugs, 0);
	world_end(&w);
}

static const struct unit_test tests[] = {
	{ "reload: supported-devices gone -> refused, list kept", test_supported_devices_gone },
	{ "reload: mpio.conf gone -> refused, settings kept", test_mpio_conf_gone },
	{ "files missing since the start stay optional", test_missing_from_the_start },
	{ "reload: a bad file -> refused with file:line", test_bad_file },
};

UNIT_MAIN("reload", tests)
