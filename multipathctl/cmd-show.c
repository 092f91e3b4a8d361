/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `multipathctl show [topology|maps|paths|map NAME|config]`. The first four
 * show one model (show-model.h) of mpiod's view when mpiod runs, else of
 * the kernel's, as `multipath -ll` does without multipathd: its maps from
 * device-mapper, their paths from sysfs, and a line on stderr that
 * mpiod's verdicts on the paths are missing. `show config` is cmd-config.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "macro.h"
#include "multipathctl.h"
#include "show-print.h"
#include "show-read.h"

enum {
	OPT_OUTPUT = 1,
	OPT_LIST_FIELDS,
	OPT_KERNEL,
	OPT_NOHEADINGS,
	OPT_RAW,
};

struct show_args {
	enum show_view view;
	struct show_format fmt;
	bool list_fields;
	bool kernel;
	unsigned flags;
};

static int show_opt(int id, char *const *values, void *userdata)
{
	struct show_args *a = userdata;
	int r;

	switch (id) {
	case OPT_OUTPUT:
		r = show_format_parse(values[0], a->view, &a->fmt);
		if (r < 0)
			return r;
		a->list_fields |= r > 0;
		break;
	case OPT_LIST_FIELDS:
		a->list_fields = true;
		break;
	case OPT_KERNEL:
		a->kernel = true;
		break;
	case OPT_NOHEADINGS:
		a->flags |= TABLE_NOHEADINGS;
		break;
	case OPT_RAW:
		a->flags |= TABLE_RAW;
		break;
	}
	return 0;
}

static int cmd_show_topology(int argc, char *argv[]);
static int cmd_show_maps(int argc, char *argv[]);
static int cmd_show_paths(int argc, char *argv[]);
static int cmd_show_map(int argc, char *argv[]);

static const struct cmd show_commands[] = {
	{ "topology", cmd_show_topology, "every map with its groups and paths, as a tree (the default)" },
	{ "maps", cmd_show_maps, "one line per map" },
	{ "paths", cmd_show_paths, "one line per path" },
	{ "map", cmd_show_map, "NAME  one map, with its settings and their origins" },
	{ "config", cmd_show_config, "effective settings and where each came from" },
};

static void usage(void)
{
	printf("Usage: multipathctl show [topology|maps|paths] [OPTIONS]\n"
	       "       multipathctl show map NAME [OPTIONS]\n"
	       "       multipathctl show config [OPTIONS] (see show config --help)\n"
	       "\n"
	       "The maps, their path groups and their paths: mpiod's view when it runs,\n"
	       "else the kernel's (device-mapper and sysfs; needs root), said on stderr.\n"
	       "\n"
	       "Commands:\n");
	cmd_usage_table(stdout, show_commands, ARRAY_SIZE(show_commands), "  ");
	printf("\n"
	       "Options:\n"
	       "  -o, --output LIST  the columns: field names separated by commas;\n"
	       "                     +LIST adds them to the default ones\n"
	       "      --format LIST  the same as --output\n"
	       "      --list-fields  the fields of the view, described (or: --output help)\n"
	       "  -k, --kernel       read the kernel even when mpiod runs\n"
	       "  -n, --noheadings   no header line\n"
	       "  -r, --raw          no alignment and no tree: values separated by one blank\n"
	       "      --json[=MODE]  JSON: the documented schema; with --output, the rows of\n"
	       "                     those fields\n"
	       "\n"
	       "See multipathctl(8).\n");
}

/* No map name in m: said, with where else to look; the exit status. */
static int no_such_map(const struct show_model *m, const char *name)
{
	fprintf(stderr, "multipathctl show map: no map named '%s'%s\n", name,
		m->source == SHOW_FROM_DAEMON ?
			" in mpiod's view (--kernel shows every map of the kernel, "
			"multipath-tools' too)" : "");
	return EXIT_FAIL;
}

/*
 * The model: mpiod's, or the kernel's when mpiod is not running or with
 * --kernel; 0 or an exit status. A table of mpiod's maps needs nothing of
 * sysfs about their paths (show maps, polled by monitoring, stays cheap).
 */
static int show_read(struct show_model *m, struct mp_ctx *ctx, const struct show_args *a,
		     const char *one_map)
{
	bool not_running = false;
	int r;

	if (!a->kernel) {
		r = show_bus_read(m, one_map, &not_running);
		if (r != 0 && !not_running)
			return r;
		if (r == 0)
			show_kernel_add_facts(m, ctx, NULL, a->view != SHOW_VIEW_MAPS || arg_json);
		else {
			show_model_done(m);
			fprintf(stderr, "multipathctl show: mpiod is not running: the kernel's view "
				"(device-mapper, sysfs), without mpiod's verdicts on the paths (CHECKER)\n");
		}
	}
	if (a->kernel || not_running) {
		r = show_kernel_read(m, ctx, NULL);
		if (r != 0)
			return r;
		show_kernel_add_facts(m, ctx, NULL, true);
	}
	if (one_map && !show_model_find_map(m, one_map))
		return no_such_map(m, one_map);
	return 0;
}

static int show(int argc, char *argv[], enum show_view view, bool one_map)
{
	static const struct opt opts[] = {
		{ "output", 'o', 1, OPT_OUTPUT },
		{ "format", 0, 1, OPT_OUTPUT },
		{ "list-fields", 0, 0, OPT_LIST_FIELDS },
		{ "kernel", 'k', 0, OPT_KERNEL },
		{ "noheadings", 'n', 0, OPT_NOHEADINGS },
		{ "raw", 'r', 0, OPT_RAW },
	};
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = NULL;
	struct show_args a = { .view = view };
	struct show_model m = {};
	struct show_print o = {};
	char *pos[argc];
	int npos, r;

	r = args_parse(argc, argv, opts, ARRAY_SIZE(opts), show_opt, &a, pos, &npos);
	if (r > 0) {
		usage();
		return EXIT_OK;
	}
	if (r < 0)
		return EXIT_USAGE;
	if (a.list_fields) {
		show_fields_list(stdout, view);
		return EXIT_OK;
	}
	if (npos != (one_map ? 1 : 0)) {
		if (npos < 1)
			fprintf(stderr, "multipathctl show map: missing map name (see --help)\n");
		else
			fprintf(stderr, "multipathctl show %s: unexpected argument '%s'\n", argv[0],
				pos[one_map ? 1 : 0]);
		return EXIT_USAGE;
	}
	ctx = ctl_ctx_new();
	if (!ctx)
		return EXIT_FAIL;
	/* A path that goes away while it is read is no news here. */
	mp_ctx_set_log_priority(ctx, LOG_ERR);

	r = show_read(&m, ctx, &a, one_map ? pos[0] : NULL);
	if (r != 0)
		goto out;
	o = (struct show_print){ .view = view, .map = one_map ? pos[0] : NULL, .color = ctl_color(),
				 .flags = a.flags };
	show_columns_get(&a.fmt, view, m.source, &o.cols);
	if (arg_json && a.fmt.given) {
		o.flags |= TABLE_JSON;
		r = show_print_table(stdout, &m, &o);
	} else if (arg_json) {
		struct json j;

		ctl_json_init(&j);
		r = show_print_json(&j, &m, &o);
	} else if (one_map)
		r = show_print_map(stdout, &m, &o);
	else
		r = show_print_table(stdout, &m, &o);
	if (r == -ENOENT)
		r = no_such_map(&m, pos[0]);
	else if (r < 0 || fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "multipathctl show: cannot write the output: %s\n",
			strerror(r < 0 ? -r : EIO));
		r = EXIT_FAIL;
	}
out:
	show_model_done(&m);
	return r;
}

static int cmd_show_topology(int argc, char *argv[])
{
	return show(argc, argv, SHOW_VIEW_TOPOLOGY, false);
}

static int cmd_show_maps(int argc, char *argv[])
{
	return show(argc, argv, SHOW_VIEW_MAPS, false);
}

static int cmd_show_paths(int argc, char *argv[])
{
	return show(argc, argv, SHOW_VIEW_PATHS, false);
}

static int cmd_show_map(int argc, char *argv[])
{
	return show(argc, argv, SHOW_VIEW_TOPOLOGY, true);
}

int cmd_show(int argc, char *argv[])
{
	/* "show" alone, or with options only (--help too): the topology's. */
	if (argc < 2 || argv[1][0] == '-')
		return cmd_show_topology(argc, argv);
	return cmd_dispatch(argc, argv, show_commands, ARRAY_SIZE(show_commands));
}
