/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every multipathctl command uses (ctl.c): exit codes, global options,
 * the argument parser, the dispatcher and a few helpers.
 */
#ifndef MULTIPATHCTL_CTL_H
#define MULTIPATHCTL_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "libmp.h"
#include "output.h"

/* Exit codes, documented in multipathctl(8). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,	   /* the command ran and failed */
	EXIT_USAGE = 2,	   /* bad command line */
	EXIT_NODAEMON = 3, /* mpiod is not reachable */
};

/* A command or subcommand: {name, function, help}, as kmod's tools. */
struct cmd {
	const char *name;
	int (*run)(int argc, char *argv[]);
	const char *help;
};

/* Run the subcommand named by argv[1] from table (argv[0] is the parent's name). */
int cmd_dispatch(int argc, char *argv[], const struct cmd *table, size_t n);
/* The lines "<indent><name> <help>" of a command table, for a usage text. */
void cmd_usage_table(FILE *out, const struct cmd *table, size_t n, const char *indent);

/* ---- Global options: accepted before the command and after it ---- */

enum json_mode {
	JSON_OFF,
	JSON_SHORT,  /* --json, --json=short: one line */
	JSON_PRETTY, /* --json=pretty: indented */
};

extern enum json_mode arg_json;
extern const char *arg_config_dir;	/* --config-dir, or MP_CONFIG_DIR */
extern bool arg_config_dir_given;
/* --json=VALUE (NULL: short) of command cmd ("" at the top): 0, or -EINVAL, reported. */
int args_set_json(const char *cmd, const char *value);

/* The pid file mpiod may write; MPIO_PIDFILE overrides it (for tests). */

/*
 * ---- Argument parsing (getopt_long(), in ctl.c) ----
 *
 * Options may come anywhere among the positional arguments; "--" ends them.
 * Long options take their value as the next word or as --name=value, and
 * may be shortened to a prefix that names one option; short options as -x
 * VALUE or -xVALUE. An option with two values (nargs 2) takes the second
 * from the next word, which must not begin with '-'. The global options
 * (--json[=short|pretty], --config-dir DIR, -h/--help) are accepted
 * everywhere and set the variables above.
 */
struct opt {
	const char *name;  /* long name, without "--" */
	char short_name;   /* 0 for none */
	unsigned nargs;	   /* values that follow: 0, 1 or 2 */
	int id;		   /* passed to the handler */
};

/* Called for each option of the command's table with its values. Return < 0 to fail. */
typedef int (*opt_handler)(int id, char *const *values, void *userdata);

/*
 * Parse argv[1..argc) (argv[0] is the command's name, used in messages).
 * Positional arguments are collected in pos[] (argc entries are enough) and
 * counted in *ret_npos. Returns 0; 1 if -h/--help was given (the caller
 * prints its help and exits 0); or -EINVAL after printing the reason.
 */
int args_parse(int argc, char *argv[], const struct opt *opts, size_t n_opts, opt_handler handler,
	       void *userdata, char **pos, int *ret_npos);

/* args_parse() for a command without options of its own, taking min..max positional arguments. */
int args_parse_simple(int argc, char *argv[], int min, int max, char **pos, int *ret_npos);

/* ---- Helpers ---- */

/*
 * Can device-mapper be read (its control node opened)? 0, or a negative
 * errno after saying why plainly, rather than through libdevmapper's
 * messages ("multipathctl <cmd>: device-mapper is not available: ...");
 * with cmd NULL, without a word.
 */
int ctl_dm_available(const char *cmd);
/* A library context logging warnings and errors to stderr. NULL on ENOMEM (reported). */
struct mp_ctx *ctl_ctx_new(void);
/* "file:line: msg" (or "file: msg" for line 0) on stderr. */
void ctl_print_parse_error(const struct mp_parse_error *err);
/* A JSON writer on stdout in the mode of --json. */
void ctl_json_init(struct json *j);
/* Colour for stdout? */
bool ctl_color(void);
/* "<config-dir>/<name>", newly allocated; NULL on ENOMEM (reported). */
char *ctl_config_path(const char *name);
/*
 * Serialise editors of the supported-devices list (libmp leaves that to the
 * caller): an exclusive lock on a sibling of the list, held until the
 * returned fd is closed; a negative errno, reported, if it cannot be had.
 */
int ctl_lock_supported(void);

#endif
