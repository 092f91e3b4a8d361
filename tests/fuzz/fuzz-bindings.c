/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bindings file (libmp/bindings.c): mp_bindings_lookup() and
 * mp_bindings_get_or_assign() on a fuzzed file and WWID.
 *
 * Input: the file, FUZZ_SEP, then the WWID (without FUZZ_SEP, the WWID is
 * "3600a0b8").
 *
 * Invariants: lookup and assign agree on a file that parses (an existing
 * binding is returned by both, unchanged); a new binding is a generated
 * "mpath" name, reads back by lookup and does not move when asked again;
 * a corrupt file is refused by both and left as it was.
 */
#include "fuzz.h"

static char *file;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	file = fuzz_path("bindings");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mp_parse_error err = {};
	struct fuzz_parts in;
	const char *wwid = "3600a0b8";
	char *looked = NULL, *assigned = NULL, *again = NULL, *before = NULL, *after = NULL;
	ssize_t blen;
	int rl, ra, r;

	fuzz_split(data, size, 2, &in);
	if (in.n > 1)
		wwid = in.part[1];
	fuzz_write_file(file, in.part[0], in.len[0]);
	blen = fuzz_read_file(file, &before);

	rl = mp_bindings_lookup(file, wwid, &looked, &err);
	FUZZ_CHECK(rl == 0 || rl == -ENOENT || rl == -EBADMSG || rl == -EINVAL, "lookup: %d", rl);
	ra = mp_bindings_get_or_assign(file, wwid, &assigned, &err);
	FUZZ_CHECK(ra == 0 || ra == 1 || ra == -EBADMSG || ra == -EINVAL || ra == -ENOSPC,
		   "assign: %d", ra);
	if (rl == 0)
		FUZZ_CHECK(ra == 0 && strcmp(looked, assigned) == 0, "lookup %s, assign %d %s", looked,
			   ra, ra >= 0 ? assigned : "");
	if (rl == -EBADMSG)
		FUZZ_CHECK(ra == -EBADMSG || ra == -EINVAL, "lookup refused the file, assign %d", ra);
	if (ra < 0) {
		FUZZ_CHECK(fuzz_read_file(file, &after) == blen && memcmp(after, before, blen) == 0,
			   "a refused file was changed");
	} else if (ra == 1) {
		FUZZ_CHECK(rl == -ENOENT, "assigned a new name, but lookup said %d", rl);
		FUZZ_CHECK(strncmp(assigned, "mpath", 5) == 0 && assigned[5], "new name %s", assigned);
		r = mp_bindings_lookup(file, wwid, &again, &err);
		FUZZ_CHECK(r == 0 && strcmp(again, assigned) == 0, "new %s, then lookup %d", assigned, r);
		free(again);
		again = NULL;
		r = mp_bindings_get_or_assign(file, wwid, &again, &err);
		FUZZ_CHECK(r == 0 && strcmp(again, assigned) == 0, "new %s, then assign %d", assigned, r);
	}
	free(looked);
	free(assigned);
	free(again);
	free(before);
	free(after);
	fuzz_parts_free(&in);
	return 0;
}
