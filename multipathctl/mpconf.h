/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading multipath-tools' configuration, /etc/multipath.conf and its
 * drop-ins (and what `multipathd show config` prints, which has the same
 * grammar), into a tree of lines, for `multipathctl config import`. Only the
 * grammar is known here, as multipath.conf(5) gives it; what the sections
 * and keywords mean is import.c's.
 *
 * The grammar, line by line (blanks are spaces and tabs):
 *   KEYWORD VALUE        an attribute; VALUE is a word (no blank, '"', '#',
 *                        '!', '{' or '}') or one string in double quotes, in
 *                        which blanks, '#' and '!' are plain characters and
 *                        "" stands for one '"'
 *   NAME {               opens a (sub)section: the '{' on the name's line
 *   }                    closes it, alone on its line
 *   # ... or ! ...       outside a string: a comment, to the end of the line
 * Words after an attribute's value are kept in the node (multipathd ignores
 * them). Errors name file:line: a '{' or '}' out of its place, a missing
 * closing quote, a '}' with no open section, a section still open at the end
 * of the file (at the line that opened it), a control character, a NUL.
 */
#ifndef MULTIPATHCTL_MPCONF_H
#define MULTIPATHCTL_MPCONF_H

#include <stdbool.h>
#include <stddef.h>

#include "libmp.h"
#include "macro.h"

/* The most a multipath.conf file may hold, as mpio.conf. */
#define MPC_FILE_MAX (4 * 1024 * 1024)

/* One line: an attribute, or a section with the lines inside it. */
struct mpc_node {
	char *key;		/* the keyword or section name */
	char *value;		/* an attribute's value without quotes; NULL for a
				 * section, and for a keyword alone on its line */
	char *extra;		/* what followed the value on its line, or NULL */
	bool section;
	const char *file;	/* the file's path (struct mpc_file's) */
	unsigned line;
	struct mpc_node *children; /* a section's lines, in order */
	size_t n_children;
};

/* A file read: its top-level sections are root's children. */
struct mpc_file {
	char *path;
	struct mpc_node root;
};

/*
 * Read text[0..len) as the file path. Returns 0 and a new tree in *ret
 * (mpc_file_free() it), -EBADMSG with file:line in *err, or -ENOMEM.
 */
int mpc_parse(const char *text, size_t len, const char *path, struct mpc_file **ret,
	      struct mp_parse_error *err);
/* Fill *err (if not NULL) with file, line and the message; for the reader and its users. */
void mpc_error(struct mp_parse_error *err, const char *file, unsigned line, const char *format,
	       ...) _printf_(4, 5);
struct mpc_file *mpc_file_free(struct mpc_file *f);
MP_DEFINE_UNREFP(struct mpc_file, mpc_file_free)

#endif
