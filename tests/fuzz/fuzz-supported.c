/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The supported-device list (libmp/supported.c): mp_supported_parse_string()
 * on the input, then mp_supported_count(), mp_supported_get_entry() and
 * mp_supported_match() for every entry, and a match for a device spelled by
 * the input's first 24 bytes.
 *
 * Invariants: a failure names a line; every vendor/product entry claims the
 * device it spells (some entry does: maybe an earlier one), every bus-type
 * entry claims any device on its transport.
 */
#include "fuzz.h"

#define VENDOR_LEN 8

static void check_entries(const struct mp_supported *list)
{
	int n = mp_supported_count(list), r;

	FUZZ_CHECK(n >= 0, "count %d", n);
	for (int i = 0; i < n; i++) {
		const char *text = NULL;
		enum mp_transport bus;
		unsigned line = 0;
		char vendor[VENDOR_LEN + 1];
		const char *product;
		size_t vlen;

		r = mp_supported_get_entry(list, (unsigned)i, &text, &bus, &line);
		FUZZ_CHECK(r == 0 && text && line > 0, "entry %d: %d", i, r);
		FUZZ_CHECK(strlen(text) <= MP_SUPPORTED_ENTRY_MAX || bus >= 0, "entry \"%s\" too long",
			   text);
		if (bus >= 0) {
			FUZZ_CHECK(bus != MP_TRANSPORT_OTHER && bus < _MP_TRANSPORT_MAX, "bus %d", bus);
			r = mp_supported_match(list, "ANY", "DEVICE", bus);
			FUZZ_CHECK(r >= 0, "bus entry \"%s\" claims nothing: %d", text, r);
			continue;
		}
		vlen = strnlen(text, VENDOR_LEN);
		memcpy(vendor, text, vlen);
		vendor[vlen] = '\0';
		product = text + vlen;
		r = mp_supported_match(list, vendor, product, MP_TRANSPORT_OTHER);
		/* A vendor of blanks only is no vendor: the caller's mistake. */
		if (r == -EINVAL && strspn(vendor, " ") == vlen)
			continue;
		FUZZ_CHECK(r >= 0 && r <= i, "entry %d \"%s\" does not claim \"%s\" \"%s\": %d", i, text,
			   vendor, product, r);
	}
	r = mp_supported_get_entry(list, (unsigned)n, NULL, NULL, NULL);
	FUZZ_CHECK(r == -ERANGE, "entry past the end: %d", r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mp_ctx *ctx = fuzz_ctx();
	struct mp_supported *list = NULL;
	struct mp_parse_error err = {};
	char *text = fuzz_string(data, size);
	int r;

	r = mp_supported_parse_string(ctx, text, "fuzz", &list, &err);
	if (r == 0) {
		char vendor[VENDOR_LEN + 1] = "", product[17] = "";

		check_entries(list);
		/* A device spelled by the input: any answer, but no crash. */
		memcpy(vendor, text, strnlen(text, VENDOR_LEN));
		if (strlen(text) > VENDOR_LEN)
			memcpy(product, text + VENDOR_LEN, strnlen(text + VENDOR_LEN, 16));
		for (int t = 0; t < _MP_TRANSPORT_MAX; t++)
			(void)mp_supported_match(list, vendor, product, (enum mp_transport)t);
		mp_supported_unref(list);
	} else {
		FUZZ_CHECK(r == -EBADMSG && err.msg[0] && err.line > 0, "error %d at line %u: %s", r,
			   err.line, err.msg);
	}
	free(text);
	mp_ctx_unref(ctx);
	return 0;
}
