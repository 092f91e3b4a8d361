/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `multipathctl claim add/remove` end to end, without the command line:
 * the entry built from the arguments (multipathctl/claim.c) and the atomic
 * editor of the list file (mp_supported_file_add(), _remove()).
 *
 * Input: the list file, FUZZ_SEP, then the arguments: "VENDOR\x1fPRODUCT"
 * (claim add VENDOR PRODUCT), or without \x1f a bus name (claim add --bus).
 *
 * Invariants:
 *  - claim_entry_split() gives back the vendor (without trailing blanks)
 *    and the product that claim_entry_build() was given;
 *  - a file that does not parse is refused (-EBADMSG) and left as it was;
 *  - an entry the CLI builds is accepted by the editor (CLAIM-1), reads
 *    back as the same kind of entry (CLAIM-2) and claims its own device;
 *  - removing it again gives back the file (with a final newline added).
 */
#include "claim.h"
#include "fuzz.h"

static char *list_path;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	list_path = fuzz_path("supported-devices");
	return 0;
}

/* The entry's index in the list at list_path, its kind in *ret_bus; -1 if absent. */
static int find_entry(struct mp_ctx *ctx, const char *entry, enum mp_transport *ret_bus)
{
	struct mp_supported *list = NULL;
	struct mp_parse_error err = {};
	int r, n, found = -1;

	r = mp_supported_parse_file(ctx, list_path, &list, &err);
	FUZZ_CHECK(r == 0, "the edited list does not parse: %d %s:%u: %s", r, err.file, err.line,
		   err.msg);
	n = mp_supported_count(list);
	for (int i = 0; i < n && found < 0; i++) {
		const char *text;

		if (mp_supported_get_entry(list, (unsigned)i, &text, ret_bus, NULL) == 0 &&
		    strcasecmp(text, entry) == 0)
			found = i;
	}
	mp_supported_unref(list);
	return found;
}

static bool claims(struct mp_ctx *ctx, const char *vendor, const char *product)
{
	struct mp_supported *list = NULL;
	int r;

	r = mp_supported_parse_file(ctx, list_path, &list, NULL);
	FUZZ_CHECK(r == 0, "parse: %d", r);
	r = mp_supported_match(list, vendor, product, MP_TRANSPORT_OTHER);
	mp_supported_unref(list);
	return r >= 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mp_ctx *ctx = fuzz_ctx();
	struct mp_parse_error err = {};
	struct mp_supported *list = NULL;
	struct fuzz_parts in;
	char entry[CLAIM_ENTRY_SIZE], arg[CLAIM_ARG_SIZE], msg[256];
	char *vendor = NULL, *product = NULL, *us, *before = NULL, *after = NULL;
	bool bus_arg, parses;
	ssize_t blen;
	int r;

	fuzz_split(data, size, 2, &in);
	if (in.n < 2)
		goto out;
	fuzz_write_file(list_path, in.part[0], in.len[0]);
	blen = fuzz_read_file(list_path, &before);
	parses = mp_supported_parse_file(ctx, list_path, &list, NULL) == 0;
	list = mp_supported_unref(list);

	us = strchr(in.part[1], '\x1f');
	bus_arg = !us;
	if (bus_arg) {
		r = claim_bus_entry(in.part[1], entry, msg, sizeof(msg));
	} else {
		*us = '\0';
		vendor = in.part[1];
		product = us + 1;
		r = claim_entry_build(vendor, product, entry, msg, sizeof(msg));
	}
	if (r < 0) {
		FUZZ_CHECK(r == -EINVAL && msg[0], "build: %d", r);
		goto out;
	}
	if (!bus_arg) {
		char v[9], p[17];
		size_t vl = strlen(vendor);

		claim_entry_split(entry, v, p);
		while (vl > 0 && vendor[vl - 1] == ' ')
			vl--;
		FUZZ_CHECK(strlen(v) == vl && strncmp(v, vendor, vl) == 0 && strcmp(p, product) == 0,
			   "split(\"%s\") = \"%s\" \"%s\"", entry, v, p);
	}

	/* As multipathctl hands it to the editor: vendor/product quoted (CLAIM-1, CLAIM-2). */
	claim_entry_arg(entry, bus_arg, arg);
	r = mp_supported_file_add(list_path, arg, &err);
	if (!parses) {
		char *now = NULL;

		FUZZ_CHECK(r == -EBADMSG || r == -EEXIST, "add to a bad file: %d", r);
		FUZZ_CHECK(fuzz_read_file(list_path, &now) == blen && memcmp(now, before, blen) == 0,
			   "a list that does not parse was changed");
		free(now);
		goto out;
	}
	FUZZ_CHECK(r == 0 || r == -EEXIST, "add \"%s\": %d (%s)", entry, r, err.msg);
	if (r == -EEXIST)
		goto out;
	{
		enum mp_transport kind;

		FUZZ_CHECK(find_entry(ctx, entry, &kind) >= 0, "added \"%s\" is not listed", entry);
		FUZZ_CHECK(bus_arg == (kind >= 0), "\"%s\" was added as a %s entry", entry,
			   kind >= 0 ? "bus-type" : "vendor/product");
	}
	if (!bus_arg)
		FUZZ_CHECK(claims(ctx, vendor, product), "\"%s\" does not claim \"%s\" \"%s\"", entry,
			   vendor, product);

	r = mp_supported_file_remove(list_path, arg, &err);
	FUZZ_CHECK(r == 0, "remove \"%s\": %d (%s)", entry, r, err.msg);
	{
		ssize_t alen = fuzz_read_file(list_path, &after);
		bool nl = blen > 0 && before[blen - 1] != '\n';

		FUZZ_CHECK(alen == blen + nl && memcmp(after, before, (size_t)blen) == 0 &&
				   (!nl || after[blen] == '\n'),
			   "add and remove of \"%s\" did not give the file back", entry);
	}
out:
	free(before);
	free(after);
	fuzz_parts_free(&in);
	mp_ctx_unref(ctx);
	return 0;
}
