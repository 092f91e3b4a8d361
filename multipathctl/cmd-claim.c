/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `multipathctl claim add|remove|list`: the supported-devices list, edited
 * in place through libmp (atomically, comments kept), without mpiod. After a
 * change a running mpiod is asked to reload with SIGHUP.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "claim.h"
#include "fileio.h"
#include "macro.h"
#include "mpio-names.h"
#include "multipathctl.h"

/*
 * Ask a running mpiod to reload. The pid file is trusted only if the process
 * it names is called mpiod, so a stale file never gets another process
 * signalled. Nothing here is an error: the list is already written.
 */
static void notify_daemon(void)
{
	const char *pidfile = getenv("MPIO_PIDFILE") ?: MPIOD_PID_FILE;
	_cleanup_free_ char *text = NULL, *comm = NULL, *comm_path = NULL;
	size_t len = 0;
	char *end;
	long pid;
	int r;

	r = mp_read_file(pidfile, 64, &text, &len);
	if (r < 0) {
		printf("mpiod is not running (no %s): it reads the list when it next starts "
		       "or reloads.\n", pidfile);
		return;
	}
	errno = 0;
	pid = strtol(text, &end, 10);
	if (errno || end == text || (*end && *end != '\n') || pid <= 1) {
		fprintf(stderr, "multipathctl: ignoring %s: not a pid; run 'systemctl reload "
			"mpiod' if it runs\n", pidfile);
		return;
	}
	if (asprintf(&comm_path, "/proc/%ld/comm", pid) < 0)
		return;
	r = mp_read_file(comm_path, 64, &comm, &len);
	if (r < 0 || strcmp(comm, "mpiod\n") != 0) {
		printf("mpiod is not running (%s is stale): it reads the list when it next "
		       "starts.\n", pidfile);
		return;
	}
	if (kill((pid_t)pid, SIGHUP) < 0) {
		fprintf(stderr, "multipathctl: cannot signal mpiod (pid %ld): %s; run "
			"'systemctl reload mpiod'\n", pid, strerror(errno));
		return;
	}
	printf("Asked mpiod (pid %ld) to reload.\n", pid);
}

enum { OPT_BUS = 1 };

static int bus_opt(int id, char *const *values, void *userdata)
{
	*(const char **)userdata = values[0];
	return 0;
}

/* The entry of `claim add|remove` from its arguments: VENDOR [PRODUCT] or --bus BUS. */
static int entry_from_args(int argc, char *argv[], char entry[CLAIM_ENTRY_SIZE],
			   const char **ret_vendor, const char **ret_product)
{
	static const struct opt opts[] = {
		{ "bus", 0, 1, OPT_BUS },
	};
	const char *bus = NULL;
	char *pos[argc], msg[256];
	int npos, r;

	r = args_parse(argc, argv, opts, ARRAY_SIZE(opts), bus_opt, &bus, pos, &npos);
	if (r > 0) {
		printf("Usage: multipathctl claim %s VENDOR [PRODUCT]\n"
		       "       multipathctl claim %s --bus iscsi|fc|sas\n"
		       "\n"
		       "The entry is VENDOR padded with spaces to 8 characters, then PRODUCT,\n"
		       "which matches as a prefix. Without PRODUCT, every product of exactly\n"
		       "VENDOR. See mpio-supported-devices(5).\n", argv[0], argv[0]);
		return 1;
	}
	if (r < 0)
		return -EINVAL;
	if (bus) {
		if (npos > 0) {
			fprintf(stderr, "multipathctl claim %s: --bus takes no VENDOR or PRODUCT\n",
				argv[0]);
			return -EINVAL;
		}
		r = claim_bus_entry(bus, entry, msg, sizeof(msg));
		*ret_vendor = *ret_product = NULL;
	} else {
		if (npos < 1 || npos > 2) {
			fprintf(stderr, "multipathctl claim %s: expected VENDOR [PRODUCT] or --bus "
				"BUS (see --help)\n", argv[0]);
			return -EINVAL;
		}
		*ret_vendor = pos[0];
		*ret_product = npos > 1 ? pos[1] : "";
		r = claim_entry_build(pos[0], *ret_product, entry, msg, sizeof(msg));
	}
	if (r < 0) {
		fprintf(stderr, "multipathctl claim %s: %s\n", argv[0], msg);
		return -EINVAL;
	}
	return 0;
}

/* A note when another, broader entry already claims the device: the new one changes nothing. */
static void note_covering_entry(const char *path, const char *entry, const char *vendor,
				const char *product)
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = NULL;
	_cleanup_(mp_supported_unrefp) struct mp_supported *list = NULL;
	const char *text;
	unsigned line;
	int idx;

	if (!vendor || mp_ctx_new(&ctx) < 0 ||
	    mp_supported_parse_file(ctx, path, &list, NULL) < 0)
		return;
	idx = mp_supported_match(list, vendor, product, MP_TRANSPORT_OTHER);
	if (idx >= 0 && mp_supported_get_entry(list, (unsigned)idx, &text, NULL, &line) >= 0 &&
	    strcasecmp(text, entry) != 0)
		fprintf(stderr, "multipathctl: note: \"%s\" on line %u already claims this device\n",
			text, line);
}

static int claim_edit(int argc, char *argv[], bool add)
{
	_cleanup_free_ char *path = NULL;
	_cleanup_close_ int lock = -1;
	const char *vendor = NULL, *product = NULL;
	struct mp_parse_error err = {};
	char entry[CLAIM_ENTRY_SIZE], arg[CLAIM_ARG_SIZE];
	int r;

	r = entry_from_args(argc, argv, entry, &vendor, &product);
	if (r != 0)
		return r > 0 ? EXIT_OK : EXIT_USAGE;
	/* --bus leaves vendor NULL */
	claim_entry_arg(entry, !vendor, arg);
	path = ctl_config_path(MP_SUPPORTED_DEVICES_NAME);
	if (!path)
		return EXIT_FAIL;
	lock = ctl_lock_supported();
	if (lock < 0)
		return EXIT_FAIL;

	if (add) {
		note_covering_entry(path, entry, vendor, product);
		r = mp_supported_file_add(path, arg, &err);
	} else
		r = mp_supported_file_remove(path, arg, &err);
	switch (r) {
	case 0:
		break;
	case -EEXIST:
		fprintf(stderr, "multipathctl claim add: \"%s\" is already claimed (%s:%u)\n",
			entry, err.file, err.line);
		return EXIT_FAIL;
	case -ENOENT:
		if (err.line == 0 && strstr(err.msg, "cannot read"))
			fprintf(stderr, "multipathctl claim remove: %s: %s\n", err.file, err.msg);
		else
			fprintf(stderr, "multipathctl claim remove: \"%s\" is not claimed in %s "
				"(see 'multipathctl claim list')\n", entry, path);
		return EXIT_FAIL;
	case -EBADMSG:
		ctl_print_parse_error(&err);
		fprintf(stderr, "multipathctl claim %s: %s has an error, not changed: fix it "
			"first\n", argv[0], path);
		return EXIT_FAIL;
	default:
		if (err.file[0])
			ctl_print_parse_error(&err);
		else
			fprintf(stderr, "multipathctl claim %s: %s\n", argv[0], strerror(-r));
		return EXIT_FAIL;
	}
	/* unlock before signalling: mpiod may read the list at once */
	close(TAKE_FD(lock));
	printf("%s \"%s\" %s %s.\n", add ? "Added" : "Removed", entry, add ? "to" : "from", path);
	notify_daemon();
	return EXIT_OK;
}

static int cmd_claim_add(int argc, char *argv[])
{
	return claim_edit(argc, argv, true);
}

static int cmd_claim_remove(int argc, char *argv[])
{
	return claim_edit(argc, argv, false);
}

static int cmd_claim_list(int argc, char *argv[])
{
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = NULL;
	_cleanup_(mp_supported_unrefp) struct mp_supported *list = NULL;
	_cleanup_free_ char *path = NULL;
	struct mp_parse_error err = {};
	char *pos[argc];
	int npos, n, r;

	r = args_parse_simple(argc, argv, 0, 0, pos, &npos);
	if (r > 0) {
		printf("Usage: multipathctl claim list [--json]\n\n"
		       "List the entries of the supported-devices list with their line numbers.\n");
		return EXIT_OK;
	}
	if (r < 0)
		return EXIT_USAGE;
	path = ctl_config_path(MP_SUPPORTED_DEVICES_NAME);
	ctx = ctl_ctx_new();
	if (!path || !ctx)
		return EXIT_FAIL;
	r = mp_supported_parse_file(ctx, path, &list, &err);
	if (r == -ENOENT) {
		if (!arg_json)
			fprintf(stderr, "%s does not exist: no device is claimed.\n", path);
	} else if (r < 0) {
		ctl_print_parse_error(&err);
		return EXIT_FAIL;
	}
	n = list ? mp_supported_count(list) : 0;

	if (arg_json) {
		struct json j;

		ctl_json_init(&j);
		json_object_begin(&j);
		json_kv_string(&j, "file", path);
		json_key(&j, "entries");
		json_array_begin(&j);
		for (int i = 0; i < n; i++) {
			enum mp_transport bus;
			const char *text;
			unsigned line;
			char vendor[9], product[17];

			if (mp_supported_get_entry(list, (unsigned)i, &text, &bus, &line) < 0)
				continue;
			json_object_begin(&j);
			json_kv_uint(&j, "line", line);
			json_kv_string(&j, "entry", text);
			if (bus >= 0) {
				json_kv_string(&j, "bus", mp_transport_to_string(bus));
				json_kv_string(&j, "vendor", NULL);
				json_kv_string(&j, "product", NULL);
			} else {
				claim_entry_split(text, vendor, product);
				json_kv_string(&j, "bus", NULL);
				json_kv_string(&j, "vendor", vendor);
				json_kv_string(&j, "product", product);
			}
			json_object_end(&j);
		}
		json_array_end(&j);
		json_object_end(&j);
		return EXIT_OK;
	}

	if (n == 0) {
		if (list)
			printf("%s lists no entries: no device is claimed.\n", path);
		return EXIT_OK;
	}
	{
		_cleanup_(table_freep) struct table *t =
			table_new("LINE", "ENTRY", "VENDOR", "PRODUCT", "BUS", NULL);

		if (!t)
			return EXIT_FAIL;
		table_set_align_right(t, 0);
		for (int i = 0; i < n; i++) {
			enum mp_transport bus;
			const char *text;
			unsigned line;
			char vendor[9], product[17];

			if (mp_supported_get_entry(list, (unsigned)i, &text, &bus, &line) < 0)
				continue;
			table_add_cellf(t, COLOR_NONE, "%u", line);
			table_add_cellf(t, COLOR_NONE, "\"%s\"", text);
			if (bus >= 0) {
				table_add_cell(t, COLOR_GREY, "-");
				table_add_cell(t, COLOR_GREY, "-");
				table_add_cell(t, COLOR_NONE, mp_transport_to_string(bus));
			} else {
				claim_entry_split(text, vendor, product);
				table_add_cell(t, COLOR_NONE, vendor);
				table_add_cell(t, product[0] ? COLOR_NONE : COLOR_GREY,
					       product[0] ? product : "(any)");
				table_add_cell(t, COLOR_GREY, "-");
			}
		}
		r = table_print(t, stdout, ctl_color());
		if (r < 0)
			return EXIT_FAIL;
		printf("\n%d entr%s in %s.\n", n, n == 1 ? "y" : "ies", path);
	}
	return EXIT_OK;
}

static const struct cmd claim_commands[] = {
	{ "add", cmd_claim_add, "VENDOR [PRODUCT] | --bus BUS  claim devices for mpio" },
	{ "remove", cmd_claim_remove, "VENDOR [PRODUCT] | --bus BUS  remove an entry" },
	{ "list", cmd_claim_list, "list the entries, with line numbers" },
};

int cmd_claim(int argc, char *argv[])
{
	return cmd_dispatch(argc, argv, claim_commands, ARRAY_SIZE(claim_commands));
}
