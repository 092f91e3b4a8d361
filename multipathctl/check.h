/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Checking a configuration as mpiod would read it, without mpiod: what
 * `multipathctl config check` runs, and what `config import` runs on the
 * configuration its drop-in would join before it writes anything.
 */
#ifndef MULTIPATHCTL_CHECK_H
#define MULTIPATHCTL_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "libmp.h"
#include "macro.h"

/* What a check found: errors, and what was read for the summary. */
struct check {
	struct mp_parse_error errors[4];
	size_t n_errors;
	bool main_file;		/* <dir>/mpio.conf was read */
	unsigned n_dropins;	/* *.conf files in <dir>/mpio.conf.d */
	int n_supported;	/* entries of the supported-devices list, -1 if none read */
};
#define CHECK_INIT ((struct check){ .n_supported = -1 })

/* Record an error (the first few are kept). */
void check_error(struct check *c, const char *file, unsigned line, const char *format, ...)
	_printf_(4, 5);

/*
 * dir as mpiod reads it: mpio.conf, the drop-ins of mpio.conf.d, supported-devices
 * (which may be missing). With overlay_name, the drop-in of that name is
 * read as if it held overlay_text (mp_config_load_overlay()).
 */
void check_dir(struct mp_ctx *ctx, const char *dir, const char *overlay_name,
	       const char *overlay_text, struct check *c);
/* One supported-devices list. */
void check_supported(struct mp_ctx *ctx, const char *path, bool may_be_missing, struct check *c);
/* One file in mpio.conf syntax, alone (no drop-ins). */
void check_conf_file(struct mp_ctx *ctx, const char *path, struct check *c);

#endif
