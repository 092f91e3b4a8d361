/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The TEST UNIT READY checker's reading of what the device and the kernel
 * said (mp_tur_interpret(), libmp/checker.c): the SCSI status byte, the
 * sg_io_hdr host and driver status, and the sense data.
 *
 * Input: status (1 byte), host_status (2), driver_status (2), a flags byte
 * (bit 0: a retry is allowed), then the sense bytes, copied to a buffer of
 * exactly their length.
 *
 * Invariants: the state is one of the enum; UP, GHOST and TRANSITIONING
 * have no error, the others a negative one; a retry is asked only when allowed; the
 * sense fields are 0 without sense data.
 */
#include "checker-internal.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mp_check_result res = {};
	uint16_t host, driver;
	uint8_t *sense;
	size_t slen;
	bool retry, again;

	if (size < 6)
		return 0;
	host = (uint16_t)(data[1] | data[2] << 8);
	driver = (uint16_t)(data[3] | data[4] << 8);
	retry = data[5] & 1;
	slen = size - 6;
	sense = slen ? fuzz_oom(malloc(slen)) : NULL;
	if (slen)
		memcpy(sense, data + 6, slen);

	again = mp_tur_interpret(data[0], host, driver, sense, slen, retry, &res);
	FUZZ_CHECK(res.state >= 0 && res.state < _MP_PATH_CHECK_MAX, "state %d", res.state);
	FUZZ_CHECK(!again || retry, "a retry that was not allowed");
	FUZZ_CHECK((res.state == MP_CHECK_UP || res.state == MP_CHECK_GHOST ||
		    res.state == MP_CHECK_TRANSITIONING) == (res.error == 0) && res.error <= 0,
		   "state %s with error %d", mp_path_check_to_string(res.state), res.error);
	FUZZ_CHECK(res.host_status == host, "host status %u", res.host_status);
	if (slen < 2)
		FUZZ_CHECK(!res.sense_key && !res.asc && !res.ascq, "sense fields without sense");
	FUZZ_CHECK(res.sense_key <= 0xf, "sense key %u", res.sense_key);
	free(sense);
	return 0;
}
