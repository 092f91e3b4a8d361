/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every multipathctl command uses (ctl.h): the global options, the
 * argument parser, the dispatcher of subcommand tables, and small helpers.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
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

/*
 * ---- Argument parsing: getopt_long() ----
 *
 * Each command's table of options, with the global ones, becomes
 * getopt_long()'s; words that are no option come back in order (so that
 * POSIXLY_CORRECT changes nothing). What getopt_long() has not: an option
 * with two values (show config --device VENDOR PRODUCT) takes its second
 * from the next word, which may not look like an option.
 */

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

/* The option whose getopt_long() value is val, in opts or global_opts. */
static const struct opt *opt_by_val(const struct opt *opts, size_t n_opts, int val, bool *ret_global)
{
	size_t i = (size_t)(val - 256);

	*ret_global = i >= n_opts;
	return i < n_opts ? &opts[i] : &global_opts[i - n_opts];
}

/* Why getopt_long() refused the word at argv[at] ('?' or ':' in c); -EINVAL. */
static int option_error(const char *cmd, char *argv[], int at, int c, int optopt_,
			const struct option *lopts)
{
	const char *a = argv[at];

	if (c == ':') {
		fprintf(stderr, "multipathctl %s: option '%s' needs 1 value\n", cmd, a);
		return -EINVAL;
	}
	if (strncmp(a, "--", 2) == 0 && a[2]) {
		/* The options whose name begins with the word's (or is it): one, or several. */
		const char *name = a + 2;
		size_t len = strcspn(name, "="), n = 0;
		const struct option *match = NULL;

		for (const struct option *o = lopts; o->name; o++)
			if (strncmp(o->name, name, len) == 0) {
				match = o;
				n++;
				if (strlen(o->name) == len) {
					n = 1;
					break;
				}
			}
		if (n == 1 && name[len] == '=' && match->has_arg == no_argument) {
			fprintf(stderr, "multipathctl %s: option '--%s' takes no value\n", cmd, match->name);
			return -EINVAL;
		}
		if (n > 1) {
			fprintf(stderr, "multipathctl %s: option '--%.*s' is ambiguous:", cmd, (int)len,
				name);
			for (const struct option *o = lopts; o->name; o++)
				if (strncmp(o->name, name, len) == 0)
					fprintf(stderr, " --%s", o->name);
			fputc('\n', stderr);
			return -EINVAL;
		}
	}
	if (optopt_ > 0 && optopt_ < 256 && strncmp(a, "--", 2) != 0)
		fprintf(stderr, "multipathctl %s: unknown option '-%c' (see --help)\n", cmd, optopt_);
	else
		fprintf(stderr, "multipathctl %s: unknown option '%s' (see --help)\n", cmd, a);
	return -EINVAL;
}

int args_parse(int argc, char *argv[], const struct opt *opts, size_t n_opts, opt_handler handler,
	       void *userdata, char **pos, int *ret_npos)
{
	const size_t n_all = n_opts + ARRAY_SIZE(global_opts);
	struct option lopts[n_all + 1];
	/* '-': words that are no option come back in order (1); ':': a missing value is ':' */
	char shortopts[2 * n_all + 3];
	const char *cmd = argv[0];
	size_t ns = 0;
	bool help = false;
	int npos = 0, c;

	shortopts[ns++] = '-';
	shortopts[ns++] = ':';
	for (size_t i = 0; i < n_all; i++) {
		const struct opt *o = i < n_opts ? &opts[i] : &global_opts[i - n_opts];
		int has_arg = o->nargs ? required_argument : no_argument;

		if (i >= n_opts && o->id == OPT_GLOBAL_JSON)
			has_arg = optional_argument; /* --json=MODE only */
		lopts[i] = (struct option){ o->name, has_arg, NULL, (int)(256 + i) };
		if (o->short_name) {
			shortopts[ns++] = o->short_name;
			if (o->nargs)
				shortopts[ns++] = ':';
		}
	}
	lopts[n_all] = (struct option){};
	shortopts[ns] = '\0';

	optind = 0; /* a new scan: glibc starts afresh */
	opterr = 0; /* the messages are ours */
	for (;;) {
		int at = optind ?: 1, idx = -1;
		const struct opt *o;
		char *values[2];
		bool global;

		c = getopt_long(argc, argv, shortopts, lopts, &idx);
		if (c == -1)
			break;
		if (c == 1) {
			pos[npos++] = optarg;
			continue;
		}
		if (c == '?' || c == ':')
			return option_error(cmd, argv, at < argc ? at : argc - 1, c, optopt, lopts);
		if (c < 256) /* a short option: find it */
			for (size_t i = 0; i < n_all; i++) {
				const struct opt *x = i < n_opts ? &opts[i] : &global_opts[i - n_opts];

				if (x->short_name == c)
					c = (int)(256 + i);
			}
		o = opt_by_val(opts, n_opts, c, &global);
		values[0] = optarg;
		if (o->nargs == 2) {
			/* The second value is the next word; never an option. */
			if (optind >= argc || (argv[optind][0] == '-' && argv[optind][1])) {
				fprintf(stderr, "multipathctl %s: option '--%s' needs 2 values\n", cmd,
					o->name);
				return -EINVAL;
			}
			values[1] = argv[optind++];
		}
		if (!global) {
			int r = handler(o->id, values, userdata);

			if (r < 0)
				return r;
		} else if (o->id == OPT_GLOBAL_JSON) {
			if (args_set_json(cmd, optarg) < 0)
				return -EINVAL;
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
	/* After "--": every word is positional. */
	while (optind < argc)
		pos[npos++] = argv[optind++];
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

#define DM_CONTROL "/dev/mapper/control"

int ctl_dm_available(const char *cmd)
{
	int fd = open(DM_CONTROL, O_RDWR | O_CLOEXEC), r;

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	r = -errno;
	if (cmd)
		fprintf(stderr, "multipathctl %s: device-mapper is not available: %s: %s%s\n", cmd,
			DM_CONTROL, strerror(-r),
			r == -EACCES ? " (reading the kernel's tables needs root)" : "");
	return r;
}

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
