/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * multipath-tools' configuration to mpio's (`multipathctl config import`):
 * from the files mpconf.c read, the sections of an mpio.conf drop-in (for
 * mp_config_format()), the supported-devices entries, and a note on every
 * line that was carried over with a change, needs no setting in mpio, or
 * was not carried over, with why. No file is read or written here.
 *
 * Where the settings land: defaults -> [Defaults]; each device -> a
 * [Device] for each vendor and product it stands for (its regular
 * expressions as literals, literal.h) and a supported-devices entry each;
 * each multipath -> a [Map] (several for one WWID merge, the later value
 * winning, as in multipathd). What mpio cannot take yet (blacklist,
 * blacklist_exceptions, overrides, find_multipaths: which devices are
 * taken) is named in one table in import.c.
 */
#ifndef MULTIPATHCTL_IMPORT_H
#define MULTIPATHCTL_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "libmp.h"
#include "mpconf.h"

/* multipath-tools' polling_interval when multipath.conf sets none (multipath.conf(5)). */
#define IMPORT_DEFAULT_POLLING_INTERVAL 5

enum import_kind {
	IMPORT_CHANGED,	/* carried over, with something to know (a unit, a narrower match) */
	IMPORT_SAME,	/* needs no setting: mpio behaves so already */
	IMPORT_DROPPED,	/* not carried over */
	_IMPORT_KIND_MAX,
};

/* What became of one line of the input. */
struct import_note {
	enum import_kind kind;
	unsigned file_idx;	/* the input file's index */
	const char *file;	/* its path, the input's */
	unsigned line;
	char *what;		/* the line, short: "no_path_retry 12", "device NETAPP LUN.*" */
	char *why;
	unsigned seq;		/* the order it was found in */
};

/* A supported-devices entry and the line that asked for it. */
struct import_claim {
	char *entry;		/* vendor padded to 8, then product (claim.h) */
	const char *file;
	unsigned line;
};

struct import {
	struct mp_config_section *sections;	/* [Defaults], the [Device]s, the [Map]s */
	size_t n_sections;
	struct import_claim *claims;
	size_t n_claims;
	struct import_note *notes;		/* by file, then line */
	size_t n_notes;
	const char *bindings_file;	/* bindings_file's value, or NULL */
	bool friendly_names;		/* user_friendly_names yes somewhere: the bindings matter */
	bool has_maps;
	/* the strings the sections point to */
	char **strings;
	size_t n_strings;
};

struct import *import_free(struct import *im);
MP_DEFINE_UNREFP(struct import, import_free)

/*
 * Convert files[0..n): the main file first, then its drop-ins in the order
 * multipathd reads them (dropins_read: the main file's were looked for).
 * builtin (a config without files, or NULL) tells which devices mpio's
 * built-in device table knows: a [Device] for one it does not know gets a
 * note. Returns 0 and a new result in *ret, -EBADMSG with file:line in *err
 * for an unknown section or a section where none belongs, -ENOMEM.
 */
int import_convert(const struct mpc_file *const *files, size_t n, const struct mp_config *builtin,
		   bool dropins_read, struct import **ret, struct mp_parse_error *err);

/*
 * The drop-in directory files[0] names with config_dir, or NULL (a relative
 * path counts as none: import_convert() notes it).
 */
const char *import_config_dir(const struct mpc_file *main);

/* Add a note (for what the command finds beside the conversion). 0 or -ENOMEM. */
int import_note_add(struct import *im, enum import_kind kind, unsigned file_idx, const char *file,
		    unsigned line, const char *what, const char *why);

#endif
