/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `multipathctl config import`'s parsers and conversion: the multipath.conf
 * reader (multipathctl/mpconf.c), regular expressions to literals
 * (literal.c) and import_convert() (import.c), then mp_config_format() on
 * what it made.
 *
 * Input: multipath.conf, then up to two drop-ins, separated by FUZZ_SEP
 * lines. Each part is read with mpc_parse(); when all read, they are
 * converted together (with mpio's built-in table, to know its devices), and
 * each value of the first part's lines is also given to literal_parse().
 *
 * Invariants: an error has a message and names a file and line; the
 * sections the conversion makes are all written by mp_config_format(), and
 * what it writes parses as mpio.conf (so the import never offers a drop-in
 * that `config check` refuses on its own); the claims parse as a
 * supported-devices list; every note names a file, a line and why; every
 * literal is plain text.
 */
#include "fuzz.h"
#include "import.h"
#include "literal.h"
#include "mpconf.h"

static struct mp_config *builtin;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct mp_ctx *ctx = fuzz_ctx();
	struct mp_parse_error err = {};

	if (mp_config_parse_string(ctx, "", "built-in", &builtin, &err) < 0)
		abort();
	mp_ctx_unref(ctx);
	return 0;
}

static void check_error(int r, const struct mp_parse_error *e)
{
	FUZZ_CHECK(r == -EBADMSG || r == -ENOMEM, "unexpected error %d", r);
	FUZZ_CHECK(e->msg[0] && e->file[0], "error %d without a message or file", r);
	FUZZ_CHECK(e->line > 0, "error \"%s\" without a line", e->msg);
}

static void check_literals(const struct mpc_node *n)
{
	for (size_t i = 0; i < n->n_children; i++) {
		struct literal lits[LITERAL_ALTS_MAX];
		char msg[256] = "";
		int k;

		check_literals(&n->children[i]);
		if (!n->children[i].value)
			continue;
		k = literal_parse(n->children[i].value, lits, LITERAL_ALTS_MAX, msg, sizeof(msg));
		FUZZ_CHECK(k == -EINVAL || (k >= 1 && k <= LITERAL_ALTS_MAX), "literal_parse: %d", k);
		if (k < 0)
			FUZZ_CHECK(msg[0], "refused without a reason");
		for (int a = 0; a < k; a++)
			FUZZ_CHECK(strlen(lits[a].text) <= LITERAL_TEXT_MAX &&
					   !strpbrk(lits[a].text, "\n"),
				   "literal \"%s\"", lits[a].text);
	}
}

static void check_import(struct mp_ctx *ctx, const struct import *im)
{
	struct mp_config *cfg = NULL;
	struct mp_supported *list = NULL;
	struct mp_parse_error err = {};
	char *text = NULL, *claims;
	size_t off = 0;
	int r;

	for (size_t i = 0; i < im->n_notes; i++) {
		const struct import_note *n = &im->notes[i];

		FUZZ_CHECK(n->file && n->line > 0 && n->what && n->why && n->why[0],
			   "note %zu without a file, a line or why", i);
		FUZZ_CHECK(n->kind < _IMPORT_KIND_MAX, "note kind %d", n->kind);
	}
	r = mp_config_format("fuzz", im->sections, im->n_sections, &text);
	FUZZ_CHECK(r == 0, "mp_config_format of the import: %d", r);
	r = mp_config_parse_string(ctx, text, "import.conf", &cfg, &err);
	FUZZ_CHECK(r == 0, "the drop-in does not parse: %u: %s\n%s", err.line, err.msg, text);
	mp_config_unref(cfg);
	free(text);

	claims = fuzz_oom(calloc(im->n_claims + 1, MP_SUPPORTED_ENTRY_MAX + 3));
	for (size_t i = 0; i < im->n_claims; i++)
		off += (size_t)sprintf(claims + off, "\"%s\"\n", im->claims[i].entry);
	r = mp_supported_parse_string(ctx, claims, "claims", &list, &err);
	FUZZ_CHECK(r == 0, "the claims do not parse: %u: %s\n%s", err.line, err.msg, claims);
	mp_supported_unref(list);
	free(claims);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mp_ctx *ctx = fuzz_ctx();
	struct mpc_file *files[3] = {};
	struct import *im = NULL;
	struct fuzz_parts in;
	size_t n = 0;
	int r = 0;

	if (size > 64 * 1024)
		goto out_ctx;
	fuzz_split(data, size, 3, &in);
	for (size_t i = 0; i < in.n && r == 0; i++) {
		static const char *const names[] = { "multipath.conf", "10-a.conf", "20-b.conf" };
		struct mp_parse_error err = {};

		r = mpc_parse(in.part[i], in.len[i], names[i], &files[i], &err);
		if (r < 0)
			check_error(r, &err);
		else
			n++;
	}
	if (n > 0)
		check_literals(&files[0]->root);
	if (r == 0) {
		struct mp_parse_error err = {};

		r = import_convert((const struct mpc_file *const *)files, n, builtin, n > 1, &im,
				   &err);
		if (r < 0)
			check_error(r, &err);
		else
			check_import(ctx, im);
		import_free(im);
	}
	for (size_t i = 0; i < n; i++)
		mpc_file_free(files[i]);
	fuzz_parts_free(&in);
out_ctx:
	mp_ctx_unref(ctx);
	return 0;
}
