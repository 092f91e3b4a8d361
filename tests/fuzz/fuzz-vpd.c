/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SCSI VPD page decoders (libmp/vpd.c): the input is a raw page, given
 * to mp_wwid_from_vpd83(), mp_tpg_from_vpd83() and mp_serial_from_vpd80(),
 * in a buffer of exactly its size (ASan sees a read past it). Each decoder
 * that succeeds runs again with an output buffer one byte too small and
 * exactly large enough, both allocated to that size.
 *
 * Invariants: results are printable (a WWID has no blanks), as long as the
 * return value says, the same with an exact buffer, -ERANGE with a short
 * one; the target port group is 0..65535.
 */
#include "fuzz.h"

typedef int (*decoder)(const uint8_t *buf, size_t len, char *out, size_t outlen);

static void check_text(const char *what, decoder fn, const uint8_t *page, size_t size,
		       bool blanks_ok)
{
	char full[MP_WWID_SIZE], *exact, *shorter;
	int r, r2;

	memset(full, 'x', sizeof(full));
	r = fn(page, size, full, sizeof(full));
	if (r < 0) {
		FUZZ_CHECK(r == -EBADMSG || r == -ENODATA || r == -ERANGE, "%s: %d", what, r);
		FUZZ_CHECK(full[0] == 'x', "%s: output written on failure", what);
		return;
	}
	FUZZ_CHECK((size_t)r < sizeof(full) && strlen(full) == (size_t)r, "%s: %d", what, r);
	for (int i = 0; i < r; i++)
		FUZZ_CHECK(full[i] > 0x20 - blanks_ok && full[i] < 0x7f, "%s: byte 0x%02x in \"%s\"",
			   what, (unsigned char)full[i], full);

	exact = fuzz_oom(malloc((size_t)r + 1));
	r2 = fn(page, size, exact, (size_t)r + 1);
	FUZZ_CHECK(r2 == r && strcmp(exact, full) == 0, "%s: exact buffer: %d", what, r2);
	free(exact);
	shorter = fuzz_oom(malloc((size_t)r ?: 1));
	r2 = fn(page, size, shorter, (size_t)r);
	FUZZ_CHECK(r2 == -ERANGE, "%s: short buffer: %d", what, r2);
	free(shorter);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly size bytes: libFuzzer's own buffer may be larger. */
	uint8_t *page = fuzz_oom(malloc(size ?: 1));
	int r;

	if (size)
		memcpy(page, data, size);
	check_text("vpd83", mp_wwid_from_vpd83, page, size, false);
	check_text("vpd80", mp_serial_from_vpd80, page, size, true);
	r = mp_tpg_from_vpd83(page, size);
	FUZZ_CHECK(r == -EBADMSG || r == -ENODATA || (r >= 0 && r <= 0xffff), "tpg: %d", r);
	free(page);
	return 0;
}
