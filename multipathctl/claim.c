/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Supported-devices entries from the command line (see claim.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "claim.h"

#define VENDOR_LEN CLAIM_VENDOR_LEN
#define PRODUCT_LEN CLAIM_PRODUCT_LEN

_Static_assert(VENDOR_LEN + PRODUCT_LEN == MP_SUPPORTED_ENTRY_MAX, "entry = vendor + product");

/* The first character that is not printable ASCII, or NULL. */
static const char *find_nonprint(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return s;
	return NULL;
}

int claim_entry_build(const char *vendor, const char *product, char ret[CLAIM_ENTRY_SIZE],
		      char *errbuf, size_t errlen)
{
	size_t vlen, plen;
	const char *bad;

	if (!vendor || !ret) {
		snprintf(errbuf, errlen, "no vendor given");
		return -EINVAL;
	}
	if (!product)
		product = "";
	vlen = strlen(vendor);
	plen = strlen(product);
	if (vlen == 0) {
		snprintf(errbuf, errlen, "the vendor must not be empty");
		return -EINVAL;
	}
	for (int i = 0; i < 2; i++) {
		const char *what = i == 0 ? "vendor" : "product";

		bad = find_nonprint(i == 0 ? vendor : product);
		if (bad) {
			snprintf(errbuf, errlen, "%s contains the character 0x%02x: only "
				 "printable ASCII is allowed", what, (unsigned char)*bad);
			return -EINVAL;
		}
	}
	if (vlen > VENDOR_LEN) {
		snprintf(errbuf, errlen, "vendor \"%s\" is %zu characters long, at most %d are "
			 "allowed (the SCSI INQUIRY vendor ID)", vendor, vlen, VENDOR_LEN);
		return -EINVAL;
	}
	if (plen > PRODUCT_LEN) {
		snprintf(errbuf, errlen, "product \"%s\" is %zu characters long, at most %d are "
			 "allowed (the SCSI INQUIRY product ID)", product, plen, PRODUCT_LEN);
		return -EINVAL;
	}
	snprintf(ret, CLAIM_ENTRY_SIZE, "%-*s%s", VENDOR_LEN, vendor, product);
	return 0;
}

int claim_bus_entry(const char *bus, char ret[CLAIM_ENTRY_SIZE], char *errbuf, size_t errlen)
{
	enum mp_transport t = mp_transport_from_string(bus);

	if (t < 0 || t == MP_TRANSPORT_OTHER) {
		snprintf(errbuf, errlen, "unknown bus type \"%.32s\", expected iscsi, fc or sas",
			 bus ?: "");
		return -EINVAL;
	}
	snprintf(ret, CLAIM_ENTRY_SIZE, "bus:%s", mp_transport_to_string(t));
	return 0;
}

void claim_entry_arg(const char *entry, bool bus, char ret[CLAIM_ARG_SIZE])
{
	snprintf(ret, CLAIM_ARG_SIZE, bus ? "%.*s" : "\"%.*s\"", MP_SUPPORTED_ENTRY_MAX, entry);
}

void claim_entry_split(const char *entry, char vendor[9], char product[17])
{
	size_t n = strnlen(entry, VENDOR_LEN);

	memcpy(vendor, entry, n);
	while (n > 0 && vendor[n - 1] == ' ')
		n--;
	vendor[n] = '\0';
	entry += strnlen(entry, VENDOR_LEN);
	snprintf(product, PRODUCT_LEN + 1, "%s", entry);
}
