/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Building supported-devices entries from what an admin types
 * (`multipathctl claim add VENDOR PRODUCT`, `claim add --bus iscsi`).
 * The file format is in libmp.h and mpio-supported-devices(5).
 */
#ifndef MULTIPATHCTL_CLAIM_H
#define MULTIPATHCTL_CLAIM_H

#include <stdbool.h>
#include <stddef.h>

#include "libmp.h"

/* The INQUIRY fields an entry is made of: the vendor, then the product. */
#define CLAIM_VENDOR_LEN 8
#define CLAIM_PRODUCT_LEN 16

/* Room for an entry and its NUL. */
#define CLAIM_ENTRY_SIZE (MP_SUPPORTED_ENTRY_MAX + 1)

/*
 * The entry for vendor and product, as the MPIOSupportedDeviceList rules
 * want it: the vendor padded with spaces to 8 characters, then the product
 * (which then matches as a prefix). product may be NULL or "": the entry is
 * then the padded vendor alone and claims every product of exactly that
 * vendor. Both must be printable ASCII; the vendor is 1..8 characters, the
 * product at most 16. Returns 0 and the entry in ret, or -EINVAL with the
 * reason in errbuf.
 */
int claim_entry_build(const char *vendor, const char *product, char ret[CLAIM_ENTRY_SIZE],
		      char *errbuf, size_t errlen);

/*
 * The entry for a bus type: "bus:iscsi", "bus:fc" or "bus:sas" (the name is
 * taken ignoring case). Returns 0, or -EINVAL with the reason in errbuf.
 */
int claim_bus_entry(const char *bus, char ret[CLAIM_ENTRY_SIZE], char *errbuf, size_t errlen);

/* Room for an entry in quotes and its NUL. */
#define CLAIM_ARG_SIZE (MP_SUPPORTED_ENTRY_MAX + 3)

/*
 * What to give mp_supported_file_add()/_remove() for an entry built above: a
 * vendor/product entry in quotes, so that one that begins with "bus:" (the
 * vendor "bus:iscs" with the product "i") is never read as a bus type; a bus
 * entry as it is.
 */
void claim_entry_arg(const char *entry, bool bus, char ret[CLAIM_ARG_SIZE]);

/*
 * Split a vendor/product entry for display: the first 8 characters without
 * trailing blanks, and the rest. vendor needs 9 bytes, product 17.
 */
void claim_entry_split(const char *entry, char vendor[9], char product[17]);

#endif
