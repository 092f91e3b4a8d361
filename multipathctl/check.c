/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Checking a configuration without mpiod (see check.h).
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fileio.h"

#define CONFIG_FILE_MAX (4 * 1024 * 1024)

void check_error(struct check *c, const char *file, unsigned line, const char *format, ...)
{
	struct mp_parse_error *e;
	va_list ap;

	if (c->n_errors >= ARRAY_SIZE(c->errors))
		return;
	e = &c->errors[c->n_errors++];
	snprintf(e->file, sizeof(e->file), "%s", file);
	e->line = line;
	va_start(ap, format);
	vsnprintf(e->msg, sizeof(e->msg), format, ap);
	va_end(ap);
}

static void check_add_error(struct check *c, const struct mp_parse_error *err, int r)
{
	if (err->file[0])
		check_error(c, err->file, err->line, "%s", err->msg);
	else
		check_error(c, "?", 0, "%s", strerror(-r));
}

/* The drop-ins mp_config_load() reads from dir, the overlay (if not NULL) among them. */
static unsigned count_dropins(const char *dir, const char *overlay)
{
	_cleanup_free_ char *d = NULL;
	struct dirent *de;
	unsigned n = overlay ? 1 : 0;
	DIR *dp;

	if (asprintf(&d, "%s/mpio.conf.d", dir) < 0)
		return n;
	dp = opendir(d);
	if (!dp)
		return n;
	while ((de = readdir(dp)))
		if (mp_config_dropin_name_valid(de->d_name) &&
		    !(overlay && strcmp(de->d_name, overlay) == 0))
			n++;
	closedir(dp);
	return n;
}

void check_supported(struct mp_ctx *ctx, const char *path, bool may_be_missing,
			    struct check *c)
{
	_cleanup_(mp_supported_unrefp) struct mp_supported *list = NULL;
	struct mp_parse_error err = {};
	int r;

	r = mp_supported_parse_file(ctx, path, &list, &err);
	if (r == -ENOENT && may_be_missing)
		return;
	if (r < 0) {
		check_add_error(c, &err, r);
		return;
	}
	c->n_supported = mp_supported_count(list);
}

void check_conf_file(struct mp_ctx *ctx, const char *path, struct check *c)
{
	_cleanup_(mp_config_unrefp) struct mp_config *cfg = NULL;
	_cleanup_free_ char *text = NULL;
	struct mp_parse_error err = {};
	size_t len = 0;
	int r;

	r = mp_read_file(path, CONFIG_FILE_MAX, &text, &len);
	if (r == -EFBIG) {
		check_error(c, path, 0, "file is larger than %d bytes", CONFIG_FILE_MAX);
		return;
	}
	if (r < 0) {
		check_error(c, path, 0, "cannot read: %s", strerror(-r));
		return;
	}
	if (strlen(text) != len) {
		/* the parser works on a C string: find the NUL's line ourselves */
		unsigned line = 1;

		for (const char *p = text; *p; p++)
			line += *p == '\n';
		check_error(c, path, line, "NUL character in line");
		return;
	}
	r = mp_config_parse_string(ctx, text, path, &cfg, &err);
	if (r < 0)
		check_add_error(c, &err, r);
}

void check_dir(struct mp_ctx *ctx, const char *dir, const char *overlay_name,
	       const char *overlay_text, struct check *c)
{
	_cleanup_(mp_config_unrefp) struct mp_config *cfg = NULL;
	_cleanup_free_ char *supported = NULL;
	struct mp_parse_error err = {};
	int r;

	if (asprintf(&supported, "%s/" MP_SUPPORTED_DEVICES_NAME, dir) < 0) {
		check_error(c, dir, 0, "out of memory");
		return;
	}
	if (overlay_name)
		r = mp_config_load_overlay(ctx, dir, overlay_name, overlay_text, &cfg, &err);
	else
		r = mp_config_load(ctx, dir, &cfg, &err);
	if (r < 0)
		check_add_error(c, &err, r);
	c->main_file = mp_config_read_main_file(cfg);
	c->n_dropins = count_dropins(dir, overlay_name);
	/* checked even after a config error: report everything at once */
	check_supported(ctx, supported, true, c);
}
