/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `multipathctl config import [FILE|-]`: multipath-tools' configuration
 * (/etc/multipath.conf and its drop-ins, or what `multipathd show config`
 * prints) to an mpio drop-in and supported-devices entries, with a report
 * of what could not be carried over, and a note on the bindings file. A dry
 * run unless --write; the result must pass what `config check` runs, on
 * the configuration the drop-in joins, before anything is written, and a
 * write that fails half-way is undone.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "claim.h"
#include "fileio.h"
#include "import.h"
#include "macro.h"
#include "mpconf.h"
#include "multipathctl.h"

/* Where multipath-tools keeps its files (multipath.conf(5)). */
#define MPT_CONF "/etc/multipath.conf"
#define MPT_CONF_DIR "/etc/multipath/conf.d"
#define MPT_BINDINGS "/etc/multipath/bindings"

#define DEFAULT_DROPIN "50-imported.conf"

struct import_args {
	bool write, force, no_dropins;
	const char *dropin;
};

/* A claim the list has already, in an entry of its own or a broader one. */
struct claimed {
	const struct import_claim *claim;
	char by[CLAIM_ENTRY_SIZE];
	unsigned line;
};

/* Everything one run found, for the text or JSON output. */
struct run {
	struct import_args a;
	const char *source;		/* FILE, or "-" */
	struct mpc_file **files;	/* the main file, then its drop-ins */
	size_t n_files;
	const char *dropin_dir;		/* multipath-tools' drop-in directory read, or NULL */
	struct import *im;
	char *text;			/* the drop-in, NULL when it has no section */
	char *dropin_path;
	bool dropin_exists;
	char *supported_path;
	const char **add;		/* claims to add, quoted for mp_supported_file_add_many() */
	const struct import_claim **add_src;
	size_t n_add;
	struct claimed *claimed;	/* claims an entry of the list takes already */
	size_t n_claimed;
	/* bindings */
	const char *bind_src;
	char *bind_dst;
	int bind_count;			/* >= 0, or a negative errno */
	struct mp_parse_error bind_err;
	bool bind_dst_exists, bind_same;
	struct check check;
	bool converted;			/* read and converted: the output has all of the above */
	bool written;
};

static void run_done(struct run *r)
{
	for (size_t i = 0; i < r->n_files; i++)
		mpc_file_free(r->files[i]);
	free(r->files);
	import_free(r->im);
	free(r->text);
	free(r->dropin_path);
	free(r->supported_path);
	for (size_t i = 0; i < r->n_add; i++)
		free((char *)r->add[i]);
	free(r->add);
	free(r->add_src);
	free(r->claimed);
	free(r->bind_dst);
}

/* ---- Reading ---- */

/* Read and parse one multipath.conf file, appended to r->files; errors go to r->check. */
static int read_mpconf(struct run *r, const char *path, const char *name)
{
	_cleanup_free_ char *text = NULL;
	struct mp_parse_error err = {};
	struct mpc_file **a, *f = NULL;
	size_t len = 0;
	int k;

	k = mp_read_file(path, MPC_FILE_MAX, &text, &len);
	if (k == -EFBIG)
		check_error(&r->check, name, 0, "file is larger than %d bytes", MPC_FILE_MAX);
	else if (k < 0)
		check_error(&r->check, name, 0, "cannot read: %s", strerror(-k));
	if (k < 0)
		return k;
	k = mpc_parse(text, len, name, &f, &err);
	if (k < 0) {
		check_error(&r->check, err.file, err.line, "%s", err.msg);
		return k;
	}
	a = reallocarray(r->files, r->n_files + 1, sizeof(*a));
	if (!a) {
		mpc_file_free(f);
		return -ENOMEM;
	}
	r->files = a;
	r->files[r->n_files++] = f;
	return 0;
}

/* A drop-in multipathd reads: a name ending in ".conf" (not a hidden file). */
static int is_dropin(const struct dirent *de)
{
	size_t len = strlen(de->d_name);

	return len > 5 && de->d_name[0] != '.' && strcmp(de->d_name + len - 5, ".conf") == 0;
}

/*
 * multipath-tools' drop-ins: the regular files of dir that is_dropin(), in
 * alphasort()'s order, as multipathd reads them (multipathctl runs in the C
 * locale: byte order).
 */
static int read_dropins(struct run *r, const char *dir)
{
	struct dirent **list = NULL;
	int n, k = 0;

	n = scandir(dir, &list, is_dropin, alphasort);
	if (n < 0) {
		if (errno == ENOENT)
			return 0;
		k = -errno;
		check_error(&r->check, dir, 0, "cannot read the directory: %s", strerror(-k));
		return k;
	}
	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *path = NULL;
		struct stat st;

		if (k >= 0 && asprintf(&path, "%s/%s", dir, list[i]->d_name) < 0) {
			path = NULL;
			k = -ENOMEM;
		}
		if (k >= 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
			k = read_mpconf(r, path, path);
		free(list[i]);
	}
	free(list);
	r->dropin_dir = dir;
	return k;
}

/* ---- Converting, checking ---- */

static const char *const kind_names[_IMPORT_KIND_MAX] = {
	[IMPORT_CHANGED] = "changed",
	[IMPORT_SAME] = "same",
	[IMPORT_DROPPED] = "dropped",
};

static const char *const kind_titles[_IMPORT_KIND_MAX] = {
	[IMPORT_CHANGED] = "Carried over with a change",
	[IMPORT_SAME] = "Needs no setting in mpio",
	[IMPORT_DROPPED] = "Not carried over",
};

static char *make_header(const struct run *r)
{
	char *s = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&s, &size);

	if (!f)
		return NULL;
	fprintf(f, "Written by `multipathctl config import` from multipath-tools' configuration:\n");
	for (size_t i = 0; i < r->n_files; i++)
		fprintf(f, "  %s\n", r->files[i]->path);
	fprintf(f, "Each setting names the line it comes from. The import's report lists what\n"
		"was not carried over, and why.");
	if (fclose(f) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

/* The claims to add, and those an entry of the list takes already. */
static int sort_claims(struct mp_ctx *ctx, struct run *r)
{
	_cleanup_(mp_supported_unrefp) struct mp_supported *list = NULL;
	size_t n = r->im->n_claims;

	/* a list with an error is the check's to report */
	(void)mp_supported_parse_file(ctx, r->supported_path, &list, NULL);
	r->add = calloc(n ?: 1, sizeof(*r->add));
	r->add_src = calloc(n ?: 1, sizeof(*r->add_src));
	r->claimed = calloc(n ?: 1, sizeof(*r->claimed));
	if (!r->add || !r->add_src || !r->claimed)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct import_claim *c = &r->im->claims[i];
		char vendor[CLAIM_VENDOR_LEN + 1], product[CLAIM_PRODUCT_LEN + 1], arg[CLAIM_ARG_SIZE];
		int idx = -ENOENT;
		const char *by;
		unsigned line;

		claim_entry_split(c->entry, vendor, product);
		if (list)
			idx = mp_supported_match(list, vendor, product, MP_TRANSPORT_OTHER);
		if (idx >= 0 && mp_supported_get_entry(list, (unsigned)idx, &by, NULL, &line) >= 0) {
			struct claimed *o = &r->claimed[r->n_claimed++];

			o->claim = c;
			o->line = line;
			snprintf(o->by, sizeof(o->by), "%s", by);
			continue;
		}
		claim_entry_arg(c->entry, false, arg);
		r->add[r->n_add] = strdup(arg);
		if (!r->add[r->n_add])
			return -ENOMEM;
		r->add_src[r->n_add++] = c;
	}
	return 0;
}

static void check_bindings(struct run *r)
{
	struct stat st;

	r->bind_src = r->im->bindings_file ?: MPT_BINDINGS;
	r->bind_count = mp_bindings_count(r->bind_src, &r->bind_err);
	r->bind_dst = ctl_config_path(MP_BINDINGS_NAME);
	r->bind_dst_exists = r->bind_dst && stat(r->bind_dst, &st) == 0;
	if (r->bind_count >= 0 && r->bind_dst_exists) {
		_cleanup_free_ char *a = NULL, *b = NULL;
		size_t la = 0, lb = 0;

		r->bind_same = mp_read_file(r->bind_src, 16 << 20, &a, &la) >= 0 &&
			       mp_read_file(r->bind_dst, 16 << 20, &b, &lb) >= 0 && la == lb &&
			       memcmp(a, b, la) == 0;
	}
}

/* ---- Writing ---- */

/* A file's content before the write, to put back if a later step fails. */
struct saved {
	const char *path;
	char *text;	/* NULL: the file did not exist */
	size_t len;
	mode_t mode;
};

static int save(struct saved *s, const char *path)
{
	struct stat st;
	int k;

	*s = (struct saved){ .path = path, .mode = 0644 };
	k = mp_read_file(path, 16 << 20, &s->text, &s->len);
	if (k == -ENOENT)
		return 0;
	if (k < 0)
		return k;
	if (stat(path, &st) == 0)
		s->mode = st.st_mode & 07777;
	return 0;
}

static void restore(const struct saved *s, struct check *c)
{
	struct iovec iov = { s->text, s->len };
	int k = s->text ? mp_replace_file(s->path, s->mode, &iov, 1) : unlink(s->path) < 0 ? -errno : 0;

	if (k < 0 && k != -ENOENT)
		check_error(c, s->path, 0, "cannot put it back as it was: %s", strerror(-k));
}

/*
 * Write the drop-in, then the entries, under the list's lock; check the
 * result as `config check` does. If a step fails, what was written is put
 * back. Errors go to r->check.
 */
static int write_files(struct mp_ctx *ctx, struct run *r)
{
	_cleanup_close_ int lock = -1;
	_cleanup_free_ char *dir = NULL;
	struct saved old_dropin = {}, old_list = {};
	struct mp_parse_error err = {};
	bool dir_made = false, dropin_written = false, list_written = false;
	int k;

	if (r->text) {
		if (asprintf(&dir, "%s/mpio.conf.d", arg_config_dir) < 0)
			return -ENOMEM;
		if (mkdir(dir, 0755) == 0)
			dir_made = true;
		else if (errno != EEXIST) {
			k = -errno;
			check_error(&r->check, dir, 0, "cannot create: %s", strerror(-k));
			return k;
		}
	}
	lock = ctl_lock_supported();
	if (lock < 0) {
		k = lock;
		check_error(&r->check, r->supported_path, 0, "cannot lock the list: %s", strerror(-k));
		goto undo;
	}
	k = save(&old_dropin, r->dropin_path);
	if (k >= 0)
		k = save(&old_list, r->supported_path);
	if (k < 0) {
		check_error(&r->check, old_list.path ?: r->dropin_path, 0, "cannot read: %s",
			    strerror(-k));
		goto undo;
	}
	if (r->text) {
		struct iovec iov = { r->text, strlen(r->text) };

		k = r->a.force ? mp_replace_file(r->dropin_path, 0644, &iov, 1)
			       : mp_create_file(r->dropin_path, 0644, &iov, 1);
		if (k == -EEXIST)
			check_error(&r->check, r->dropin_path, 0,
				    "exists: not replaced (--force replaces it)");
		else if (k < 0)
			check_error(&r->check, r->dropin_path, 0, "cannot write: %s", strerror(-k));
		if (k < 0)
			goto undo;
		dropin_written = true;
	}
	k = mp_supported_file_add_many(r->supported_path, r->add, r->n_add, &err);
	if (k < 0) {
		check_error(&r->check, err.file[0] ? err.file : r->supported_path, err.line, "%s",
			    err.msg[0] ? err.msg : strerror(-k));
		goto undo;
	}
	list_written = r->n_add > 0;
	/* what mpiod will read now: the check the dry run passed, on the files themselves */
	check_dir(ctx, arg_config_dir, NULL, NULL, &r->check);
	if (r->check.n_errors == 0) {
		r->written = true;
		goto out;
	}
	k = -EBADMSG;
undo:
	if (list_written)
		restore(&old_list, &r->check);
	if (dropin_written)
		restore(&old_dropin, &r->check);
	if (dir_made)
		(void)rmdir(dir);
out:
	free(old_dropin.text);
	free(old_list.text);
	return k < 0 ? k : 0;
}

/* ---- Output ---- */

static void print_notes(const struct import *im)
{
	for (int kind = 0; kind < _IMPORT_KIND_MAX; kind++) {
		size_t n = 0;

		for (size_t i = 0; i < im->n_notes; i++)
			n += im->notes[i].kind == (enum import_kind)kind;
		if (n == 0)
			continue;
		printf("\n%s (%zu):\n", kind_titles[kind], n);
		for (size_t i = 0; i < im->n_notes; i++) {
			const struct import_note *o = &im->notes[i];

			if (o->kind == (enum import_kind)kind)
				printf("  %s:%u: %s: %s\n", o->file, o->line, o->what, o->why);
		}
	}
}

static void print_bindings(const struct run *r)
{
	printf("\nBindings (user-friendly names): ");
	if (r->bind_count == -ENOENT) {
		printf("%s does not exist%s\n", r->bind_src,
		       r->im->friendly_names ? ": mpio will name the maps anew" : ".");
		return;
	}
	if (r->bind_count < 0) {
		printf("%s:%u: %s\n  mpio would refuse it as its bindings file: mend it before "
		       "copying it to %s.\n", r->bind_err.file, r->bind_err.line, r->bind_err.msg,
		       r->bind_dst);
		return;
	}
	printf("%s holds %d name%s, in the format mpio reads%s.\n", r->bind_src, r->bind_count,
	       r->bind_count == 1 ? "" : "s",
	       r->im->friendly_names ? "" : " (they name maps only with UserFriendlyNames=yes)");
	if (r->bind_same)
		printf("  %s holds the same names already.\n", r->bind_dst);
	else if (r->bind_dst_exists)
		printf("  %s exists: merge the names into it by hand (each name and each WWID may "
		       "appear once).\n", r->bind_dst);
	else
		printf("  Copy it, so that the maps keep their names:\n    cp -p %s %s\n",
		       r->bind_src, r->bind_dst);
}

static void print_text(const struct run *r)
{
	printf("# %s (%s)\n", r->dropin_path,
	       !r->text ? "nothing to write: no setting was carried over"
	       : !r->dropin_exists ? "new"
	       : r->a.force ? "replaces the file there"
			    : "exists: --write refuses to replace it without --force");
	if (r->text)
		printf("%s", r->text);
	printf("\n# %s: %zu entr%s to add\n", r->supported_path, r->n_add, r->n_add == 1 ? "y" : "ies");
	for (size_t i = 0; i < r->n_add; i++)
		printf("%-28s (%s:%u)\n", r->add[i], r->add_src[i]->file, r->add_src[i]->line);
	for (size_t i = 0; i < r->n_claimed; i++)
		printf("\"%s\" (%s:%u) is claimed already by \"%s\" (line %u)\n",
		       r->claimed[i].claim->entry, r->claimed[i].claim->file,
		       r->claimed[i].claim->line, r->claimed[i].by, r->claimed[i].line);
	print_bindings(r);
	print_notes(r->im);
	printf("\n");
}

static void print_json(const struct run *r)
{
	struct json j;

	ctl_json_init(&j);
	json_object_begin(&j);
	json_kv_bool(&j, "ok", r->check.n_errors == 0);
	json_kv_bool(&j, "written", r->written);
	json_key(&j, "sources");
	json_array_begin(&j);
	for (size_t i = 0; i < r->n_files; i++)
		json_string(&j, r->files[i]->path);
	json_array_end(&j);
	json_key(&j, "dropin");
	json_object_begin(&j);
	json_kv_string(&j, "path", r->dropin_path);
	json_kv_bool(&j, "exists", r->dropin_exists);
	json_kv_string(&j, "text", r->text);
	json_object_end(&j);
	json_key(&j, "supported_devices");
	json_object_begin(&j);
	json_kv_string(&j, "path", r->supported_path);
	json_key(&j, "add");
	json_array_begin(&j);
	for (size_t i = 0; i < r->n_add; i++) {
		char vendor[CLAIM_VENDOR_LEN + 1], product[CLAIM_PRODUCT_LEN + 1];

		claim_entry_split(r->add_src[i]->entry, vendor, product);
		json_object_begin(&j);
		json_kv_string(&j, "entry", r->add_src[i]->entry);
		json_kv_string(&j, "vendor", vendor);
		json_kv_string(&j, "product", product);
		json_kv_string(&j, "file", r->add_src[i]->file);
		json_kv_uint(&j, "line", r->add_src[i]->line);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_key(&j, "claimed");
	json_array_begin(&j);
	for (size_t i = 0; i < r->n_claimed; i++) {
		json_object_begin(&j);
		json_kv_string(&j, "entry", r->claimed[i].claim->entry);
		json_kv_string(&j, "by", r->claimed[i].by);
		json_kv_uint(&j, "line", r->claimed[i].line);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	if (r->converted) {
		json_key(&j, "bindings");
		json_object_begin(&j);
		json_kv_string(&j, "source", r->bind_src);
		json_key(&j, "names");
		r->bind_count >= 0 ? json_uint(&j, (unsigned)r->bind_count) : json_null(&j);
		json_kv_string(&j, "error", r->bind_count >= 0 ? NULL
					    : r->bind_count == -ENOENT ? "missing" : r->bind_err.msg);
		json_kv_string(&j, "target", r->bind_dst);
		json_kv_bool(&j, "target_exists", r->bind_dst_exists);
		json_kv_bool(&j, "friendly_names", r->im->friendly_names);
		json_object_end(&j);
	}
	json_key(&j, "report");
	json_array_begin(&j);
	for (size_t i = 0; r->im && i < r->im->n_notes; i++) {
		const struct import_note *o = &r->im->notes[i];

		json_object_begin(&j);
		json_kv_string(&j, "kind", kind_names[o->kind]);
		json_kv_string(&j, "file", o->file);
		json_kv_uint(&j, "line", o->line);
		json_kv_string(&j, "what", o->what);
		json_kv_string(&j, "why", o->why);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_key(&j, "errors");
	json_array_begin(&j);
	for (size_t i = 0; i < r->check.n_errors; i++) {
		json_object_begin(&j);
		json_kv_string(&j, "file", r->check.errors[i].file);
		json_key(&j, "line");
		if (r->check.errors[i].line > 0)
			json_uint(&j, r->check.errors[i].line);
		else
			json_null(&j);
		json_kv_string(&j, "message", r->check.errors[i].msg);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
}

/* The main file, then its drop-ins. Errors go to r->check. */
static int read_sources(struct run *r)
{
	const char *dir = NULL;
	int k;

	k = strcmp(r->source, "-") == 0 ? read_mpconf(r, "/dev/stdin", "<stdin>")
					: read_mpconf(r, r->source, r->source);
	/* standard input is `multipathd show config` output, drop-ins included */
	if (k >= 0 && !r->a.no_dropins && strcmp(r->source, "-") != 0) {
		dir = import_config_dir(r->files[0]);
		if (!dir && strcmp(r->source, MPT_CONF) == 0)
			dir = MPT_CONF_DIR;
		if (dir)
			k = read_dropins(r, dir);
	}
	if (k == -ENOMEM)
		check_error(&r->check, "?", 0, "out of memory");
	return k;
}

/* The files read to the drop-in's text and the claims to add. Errors go to r->check. */
static int convert(struct mp_ctx *ctx, struct run *r)
{
	_cleanup_(mp_config_unrefp) struct mp_config *builtin = NULL;
	struct mp_parse_error err = {};
	int k;

	/* a configuration of no file: what mpio's built-in device table knows */
	k = mp_config_parse_string(ctx, "", "<built-in>", &builtin, &err);
	if (k >= 0)
		k = import_convert((const struct mpc_file *const *)r->files, r->n_files, builtin,
				   r->dropin_dir != NULL, &r->im, &err);
	if (k < 0) {
		check_error(&r->check, err.file[0] ? err.file : "?", err.line, "%s",
			    err.file[0] ? err.msg : strerror(-k));
		return k;
	}
	if (r->im->n_sections > 0) {
		_cleanup_free_ char *header = make_header(r);

		k = header ? mp_config_format(header, r->im->sections, r->im->n_sections, &r->text)
			   : -ENOMEM;
		if (k < 0) {
			check_error(&r->check, "?", 0, "cannot write the drop-in: %s", strerror(-k));
			return k;
		}
	}
	if (asprintf(&r->dropin_path, "%s/mpio.conf.d/%s", arg_config_dir, r->a.dropin) < 0) {
		r->dropin_path = NULL;
		k = -ENOMEM;
	}
	r->supported_path = ctl_config_path(MP_SUPPORTED_DEVICES_NAME);
	if (k < 0 || !r->supported_path || sort_claims(ctx, r) < 0) {
		check_error(&r->check, "?", 0, "out of memory");
		return -ENOMEM;
	}
	r->converted = true;
	return 0;
}

/* ---- The command ---- */

enum {
	OPT_WRITE = 1,
	OPT_FORCE,
	OPT_DROPIN,
	OPT_NO_DROPINS,
};

static int import_opt(int id, char *const *values, void *userdata)
{
	struct import_args *a = userdata;

	switch (id) {
	case OPT_WRITE:
		a->write = true;
		break;
	case OPT_FORCE:
		a->force = true;
		break;
	case OPT_DROPIN:
		a->dropin = values[0];
		break;
	case OPT_NO_DROPINS:
		a->no_dropins = true;
		break;
	}
	return 0;
}

static void usage(void)
{
	printf("Usage: multipathctl config import [--write [--force]] [--dropin NAME]\n"
	       "                                  [--no-dropins] [--json] [FILE|-]\n"
	       "\n"
	       "Turn multipath-tools' configuration into mpio's: FILE (default\n"
	       MPT_CONF ", with the drop-ins of " MPT_CONF_DIR "; - reads\n"
	       "standard input, for `multipathd show config local`) becomes the drop-in\n"
	       "CONFIG-DIR/mpio.conf.d/NAME (default " DEFAULT_DROPIN ") and\n"
	       "supported-devices entries for its devices.\n"
	       "Prints them, a note on the bindings file, and a report of every line that\n"
	       "was carried over with a change, needs no setting, or was not carried over,\n"
	       "with file:line and why. The result is checked as `config check` would check\n"
	       "the configuration it joins; an error fails the import.\n"
	       "\n"
	       "  -w, --write        write the files (without it: a dry run, nothing written)\n"
	       "      --force        replace a drop-in of that name (else --write refuses)\n"
	       "      --dropin NAME  the drop-in's file name, ending in .conf\n"
	       "      --no-dropins   read FILE alone, not the drop-ins of its config_dir\n"
	       "                     (or of " MPT_CONF_DIR ")\n"
	       "\n"
	       "See multipathctl(8) and, for the mapping and its traps, mpio.conf(5),\n"
	       "MIGRATING FROM MULTIPATH-TOOLS.\n");
}

int cmd_config_import(int argc, char *argv[])
{
	static const struct opt opts[] = {
		{ "write", 'w', 0, OPT_WRITE },
		{ "force", 0, 0, OPT_FORCE },
		{ "dropin", 0, 1, OPT_DROPIN },
		{ "no-dropins", 0, 0, OPT_NO_DROPINS },
	};
	_cleanup_(run_done) struct run r = { .a.dropin = DEFAULT_DROPIN, .check = CHECK_INIT };
	_cleanup_(mp_ctx_unrefp) struct mp_ctx *ctx = NULL;
	char *pos[argc];
	struct stat st;
	int npos, k;

	k = args_parse(argc, argv, opts, ARRAY_SIZE(opts), import_opt, &r.a, pos, &npos);
	if (k > 0) {
		usage();
		return EXIT_OK;
	}
	if (k < 0)
		return EXIT_USAGE;
	if (npos > 1) {
		fprintf(stderr, "multipathctl config import: unexpected argument '%s'\n", pos[1]);
		return EXIT_USAGE;
	}
	if (r.a.force && !r.a.write) {
		fprintf(stderr, "multipathctl config import: --force goes with --write\n");
		return EXIT_USAGE;
	}
	if (!mp_config_dropin_name_valid(r.a.dropin)) {
		fprintf(stderr, "multipathctl config import: --dropin '%s': expected a file name "
			"ending in .conf, not starting with '.'\n", r.a.dropin);
		return EXIT_USAGE;
	}
	r.source = npos ? pos[0] : MPT_CONF;
	ctx = ctl_ctx_new();
	if (!ctx)
		return EXIT_FAIL;

	k = read_sources(&r);
	if (k >= 0)
		k = convert(ctx, &r);
	if (k >= 0) {
		r.dropin_exists = lstat(r.dropin_path, &st) == 0;
		check_bindings(&r);
		/* the configuration as it would be: what `config check` runs */
		check_dir(ctx, arg_config_dir, r.text ? r.a.dropin : NULL, r.text, &r.check);
		if (r.check.n_errors > 0)
			k = -EBADMSG;
	}
	if (k >= 0 && r.a.write && r.dropin_exists && !r.a.force && r.text) {
		check_error(&r.check, r.dropin_path, 0, "exists: not replaced (--force replaces it)");
		k = -EEXIST;
	}
	if (k >= 0 && r.a.write)
		k = write_files(ctx, &r);

	if (arg_json) {
		print_json(&r);
		return k < 0 ? EXIT_FAIL : EXIT_OK;
	}
	if (r.converted)
		print_text(&r);
	if (k < 0) {
		for (size_t i = 0; i < r.check.n_errors; i++)
			ctl_print_parse_error(&r.check.errors[i]);
		if (k == -EBADMSG && r.converted)
			fprintf(stderr, "multipathctl config import: the result would not pass "
				"`multipathctl config check`: nothing written\n");
		else if (r.a.write && r.converted)
			fprintf(stderr, "multipathctl config import: nothing written: the files are "
				"as they were\n");
		return EXIT_FAIL;
	}
	if (r.written)
		printf("Written. mpiod reads the new configuration when it next starts or reloads "
		       "(systemctl reload mpiod).\n");
	else
		printf("The configuration of %s with these files passes `multipathctl config "
		       "check`.\nA dry run: nothing written. --write writes the files.\n",
		       arg_config_dir);
	return EXIT_OK;
}
