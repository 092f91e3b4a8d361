/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every multipathctl command uses (ctl.h): the global options, the
 * argument parser, the dispatcher of subcommand tables, and small helpers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <syslog.h>
#include <unistd.h>

#include "ctl.h"
#include "macro.h"
#include "mpio-names.h"

enum json_mode arg_json = JSON_OFF;
const char *arg_config_dir = MP_CONFIG_DIR;
bool arg_config_dir_given = false;

/* ---- Argument parsing ---- */

enum {
	OPT_GLOBAL_JSON = -100,
	OPT_GLOBAL_CONFIG_DIR,
	OPT_GLOBAL_HELP,
};

static const struct opt global_opts[] = {
	{ "json", 0, 0, OPT_GLOBAL_JSON }, /* the value is optional: --json=MODE only */
	{ "config-dir", 0, 1, OPT_GLOBAL_CONFIG_DIR },
	{ "help", 'h', 0, OPT_GLOBAL_HELP },
};

int args_set_json(const char *cmd, const char *value)
{
	if (!value || strcmp(value, "short") == 0)
		arg_json = JSON_SHORT;
	else if (strcmp(value, "pretty") == 0)
		arg_json = JSON_PRETTY;
	else if (strcmp(value, "off") == 0)
		arg_json = JSON_OFF;
	else {
		fprintf(stderr, "multipathctl%s%s: invalid --json mode '%s': expected short, "
			"pretty or off\n", *cmd ? " " : "", cmd, value);
		return -EINVAL;
	}
	return 0;
}

static const struct opt *find_long(const struct opt *opts, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0)
			return &opts[i];
	return NULL;
}

static const struct opt *find_short(const struct opt *opts, size_t n, char c)
{
	for (size_t i = 0; i < n; i++)
		if (opts[i].short_name && opts[i].short_name == c)
			return &opts[i];
	return NULL;
}

int args_parse(int argc, char *argv[], const struct opt *opts, size_t n_opts, opt_handler handler,
	       void *userdata, char **pos, int *ret_npos)
{
	const char *cmd = argv[0];
	bool help = false, options_done = false;
	int npos = 0;

	for (int i = 1; i < argc; i++) {
		char *a = argv[i], *inline_value = NULL;
		const struct opt *o = NULL;
		bool global = false;
		char *values[2];

		if (options_done || a[0] != '-' || a[1] == '\0') {
			pos[npos++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			options_done = true;
			continue;
		}
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);

			o = find_long(opts, n_opts, name, len);
			if (!o) {
				o = find_long(global_opts, ARRAY_SIZE(global_opts), name, len);
				global = o != NULL;
			}
			if (eq)
				inline_value = (char *)eq + 1;
		} else if (a[2] == '\0') {
			o = find_short(opts, n_opts, a[1]);
			if (!o) {
				o = find_short(global_opts, ARRAY_SIZE(global_opts), a[1]);
				global = o != NULL;
			}
		}
		if (!o) {
			fprintf(stderr, "multipathctl %s: unknown option '%s' (see --help)\n", cmd, a);
			return -EINVAL;
		}

		if (global && o->id == OPT_GLOBAL_JSON) {
			if (args_set_json(cmd, inline_value) < 0)
				return -EINVAL;
			continue;
		}
		if (inline_value && o->nargs != 1) {
			fprintf(stderr, "multipathctl %s: option '--%s' takes %s\n", cmd, o->name,
				o->nargs == 0 ? "no value" : "its values as separate words");
			return -EINVAL;
		}
		if (inline_value)
			values[0] = inline_value;
		else {
			if (i + (int)o->nargs >= argc) {
				fprintf(stderr, "multipathctl %s: option '%s' needs %u value%s\n", cmd,
					a, o->nargs, o->nargs == 1 ? "" : "s");
				return -EINVAL;
			}
			for (unsigned k = 0; k < o->nargs; k++)
				values[k] = argv[++i];
		}

		if (!global) {
			int r = handler(o->id, values, userdata);

			if (r < 0)
				return r;
		} else if (o->id == OPT_GLOBAL_CONFIG_DIR) {
			if (!*values[0]) {
				fprintf(stderr, "multipathctl %s: --config-dir needs a directory\n", cmd);
				return -EINVAL;
			}
			arg_config_dir = values[0];
			arg_config_dir_given = true;
		} else if (o->id == OPT_GLOBAL_HELP)
			help = true;
	}
	*ret_npos = npos;
	return help ? 1 : 0;
}

static int no_handler(int id, char *const *values, void *userdata)
{
	return -EINVAL;
}

int args_parse_simple(int argc, char *argv[], int min, int max, char **pos, int *ret_npos)
{
	int r = args_parse(argc, argv, NULL, 0, no_handler, NULL, pos, ret_npos);

	if (r != 0)
		return r;
	if (*ret_npos < min) {
		fprintf(stderr, "multipathctl %s: missing argument (see --help)\n", argv[0]);
		return -EINVAL;
	}
	if (*ret_npos > max) {
		fprintf(stderr, "multipathctl %s: unexpected argument '%s'\n", argv[0], pos[max]);
		return -EINVAL;
	}
	return 0;
}

/* ---- Helpers ---- */

static void log_stderr(void *userdata, int priority, const char *file, int line, const char *fn,
		       const char *format, va_list args)
{
	fputs("multipathctl: ", stderr);
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
}

struct mp_ctx *ctl_ctx_new(void)
{
	struct mp_ctx *ctx = NULL;

	if (mp_ctx_new(&ctx) < 0) {
		fprintf(stderr, "multipathctl: out of memory\n");
		return NULL;
	}
	mp_ctx_set_log_fn(ctx, log_stderr, NULL);
	mp_ctx_set_log_priority(ctx, LOG_WARNING);
	return ctx;
}

void ctl_print_parse_error(const struct mp_parse_error *err)
{
	if (err->line > 0)
		fprintf(stderr, "%s:%u: %s\n", err->file, err->line, err->msg);
	else
		fprintf(stderr, "%s: %s\n", err->file, err->msg);
}

void ctl_json_init(struct json *j)
{
	json_init(j, stdout, arg_json == JSON_PRETTY);
}

bool ctl_color(void)
{
	return out_color_enabled(STDOUT_FILENO);
}

char *ctl_config_path(const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", arg_config_dir, name) < 0) {
		fprintf(stderr, "multipathctl: out of memory\n");
		return NULL;
	}
	return p;
}

int ctl_lock_supported(void)
{
	_cleanup_free_ char *path = ctl_config_path(MPIO_SUPPORTED_LOCK);
	int fd;

	if (!path)
		return -ENOMEM;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		int r = -errno;

		fprintf(stderr, "multipathctl: cannot open %s: %s\n", path, strerror(-r));
		return r;
	}
	if (flock(fd, LOCK_EX) < 0) {
		int r = -errno;

		fprintf(stderr, "multipathctl: cannot lock %s: %s\n", path, strerror(-r));
		close(fd);
		return r;
	}
	return fd;
}

/* ---- Dispatch ---- */

void cmd_usage_table(FILE *out, const struct cmd *table, size_t n, const char *indent)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%-14s %s\n", indent, table[i].name, table[i].help);
}

int cmd_dispatch(int argc, char *argv[], const struct cmd *table, size_t n)
{
	const char *parent = argv[0];

	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		FILE *out = argc < 2 ? stderr : stdout;

		fprintf(out, "Usage: multipathctl %s COMMAND [ARGS]\n\nCommands:\n", parent);
		cmd_usage_table(out, table, n, "  ");
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(argv[1], table[i].name) == 0)
			return table[i].run(argc - 1, argv + 1);
	fprintf(stderr, "multipathctl %s: unknown command '%s' (see 'multipathctl %s --help')\n",
		parent, argv[1], parent);
	return EXIT_USAGE;
}
