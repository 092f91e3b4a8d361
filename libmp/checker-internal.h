/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Path checker internals, exposed for the unit tests. Not installed. */
#ifndef LIBMP_CHECKER_INTERNAL_H
#define LIBMP_CHECKER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libmp.h"

/*
 * Interpret the outcome of one TEST UNIT READY: the SCSI status byte, the
 * sg_io_hdr host and driver status, and the sense bytes the device wrote.
 * Fills state, sense_key, asc, ascq and error of *res. Returns true when the
 * command should be sent once more (a UNIT ATTENTION, and retry is allowed).
 */
bool mp_tur_interpret(uint8_t status, uint16_t host_status, uint16_t driver_status,
		      const uint8_t *sense, size_t sense_len, bool retry,
		      struct mp_check_result *res);

#endif
