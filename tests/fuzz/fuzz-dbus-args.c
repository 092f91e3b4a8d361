/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checks mpiod's D-Bus methods run on their arguments before anything
 * else (daemon/dbus.c, compiled in here for its static functions; no bus is
 * needed: they only fill an sd_bus_error):
 *   validate_name()   map and path names (FailPath, ReinstatePath,
 *                     SwitchGroup, SetPolicy, FlushMap, AddPath, RemovePath),
 *                     through lookup_map() and lookup_path() on a small model
 *   claim_entry()     ClaimDevice and UnclaimDevice's vendor and product,
 *                     whose entry then goes to mp_supported_file_add() as
 *                     edit_claims() does
 *   object_name()     the object path of a map or path object (sd-bus has
 *                     checked it is a valid object path under the prefix)
 *   mp_selector_from_string()   SetPolicy's selector
 *
 * Input: one string (to its first NUL), the name, object path tail and
 * selector; split at its first \x1f it is the vendor and the product.
 *
 * Invariants: an accepted name is 1..4096 bytes without control characters
 * or '/' (but a leading "/dev/"), a refused one sets the error; an accepted
 * vendor and product make an entry that the editor takes as a
 * vendor/product entry (CLAIM-1, CLAIM-2) claiming that device; a decoded
 * object name is not empty.
 */
#include "../../daemon/dbus.c"
#include "fuzz.h"

static Context ctx;
static struct dmap map_a = { .name = (char *)"mpatha", .wwid = (char *)"3600a0b8", .exists = true };
static struct dmap map_b = { .name = (char *)"36001405aabbccdd", .wwid = (char *)"36001405aabbccdd",
			     .exists = true };
static struct dpath path_c = { .name = "sdc", .devnum = "8:32" };
static struct dpath path_d = { .name = "sdd", .devnum = "8:48" };
static struct dmap *maps[] = { &map_a, &map_b };
static struct dpath *paths[] = { &path_c, &path_d };
static char *list_path;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	ctx.maps = maps;
	ctx.n_maps = ctx.cap_maps = 2;
	ctx.paths = paths;
	ctx.n_paths = ctx.cap_paths = 2;
	list_path = fuzz_path("supported-devices");
	return 0;
}

static void check_name(const char *s)
{
	sd_bus_error error = SD_BUS_ERROR_NULL;
	struct dmap *m = NULL;
	struct dpath *p = NULL;
	const char *c = s;
	int r;

	r = validate_name(s, "map", &error);
	FUZZ_CHECK((r < 0) == sd_bus_error_is_set(&error), "validate_name %d", r);
	sd_bus_error_free(&error);
	if (r == 0) {
		size_t len = strlen(s);

		FUZZ_CHECK(len >= 1 && len <= ARG_MAX_LEN, "accepted a name of %zu bytes", len);
		if (strncmp(c, "/dev/", 5) == 0)
			c += 5;
		for (; *c; c++)
			FUZZ_CHECK((unsigned char)*c >= 0x20 && *c != 0x7f && *c != '/',
				   "accepted byte 0x%02x", (unsigned char)*c);
	}
	r = lookup_map(&ctx, s, &m, &error);
	FUZZ_CHECK((r < 0) == sd_bus_error_is_set(&error) && (r < 0 || (m && strcmp(m->name, s) == 0)),
		   "lookup_map %d", r);
	sd_bus_error_free(&error);
	r = lookup_path(&ctx, s, &p, &error);
	FUZZ_CHECK((r < 0) == sd_bus_error_is_set(&error) && (r < 0 || p), "lookup_path %d", r);
	sd_bus_error_free(&error);
	(void)(strnlen(s, ARG_MAX_LEN + 1) <= ARG_MAX_LEN ? mp_selector_from_string(s) : 0);
}

static void check_object_path(const char *s)
{
	static const char *const prefixes[] = { MPIO_MAP_PATH_PREFIX, MPIO_PATH_PATH_PREFIX };

	for (size_t i = 0; i < 2; i++) {
		char *path = NULL, *name = NULL;
		int r;

		if (asprintf(&path, "%s/%s", prefixes[i], s) < 0)
			fuzz_oom(NULL);
		if (sd_bus_object_path_is_valid(path)) {
			r = object_name(path, prefixes[i], &name);
			FUZZ_CHECK(r <= 0 || (name && *name), "object_name(%s) %d", path, r);
			free(name);
		}
		free(path);
	}
}

static void check_claim(struct mp_ctx *mp, const char *vendor, const char *product)
{
	sd_bus_error error = SD_BUS_ERROR_NULL;
	struct mp_supported *list = NULL;
	const char *text = NULL;
	enum mp_transport bus;
	char entry[64], inner[64];
	size_t n;
	int r;

	r = claim_entry(vendor, product, entry, sizeof(entry), &error);
	FUZZ_CHECK((r < 0) == sd_bus_error_is_set(&error), "claim_entry %d", r);
	sd_bus_error_free(&error);
	if (r < 0)
		return;
	/* A vendor/product entry goes to the editor in quotes (CLAIM-1, CLAIM-2). */
	n = strlen(entry);
	FUZZ_CHECK(n >= 2 && entry[0] == '"' && entry[n - 1] == '"' && n - 2 <= MP_SUPPORTED_ENTRY_MAX,
		   "entry %s is not a quoted vendor/product entry", entry);
	snprintf(inner, sizeof(inner), "%.*s", (int)(n - 2), entry + 1);
	fuzz_write_file(list_path, "", 0);
	r = mp_supported_file_add(list_path, entry, NULL);
	FUZZ_CHECK(r == 0, "ClaimDevice(\"%s\", \"%s\"): add \"%s\": %d", vendor, product, entry, r);
	r = mp_supported_parse_file(mp, list_path, &list, NULL);
	FUZZ_CHECK(r == 0 && mp_supported_count(list) == 1, "the list does not parse: %d", r);
	r = mp_supported_get_entry(list, 0, &text, &bus, NULL);
	FUZZ_CHECK(r == 0 && bus == _MP_TRANSPORT_INVALID && strcasecmp(text, inner) == 0,
		   "ClaimDevice(\"%s\", \"%s\") wrote \"%s\", a %s entry", vendor, product, text,
		   bus >= 0 ? "bus-type" : "vendor/product");
	r = mp_supported_match(list, vendor, product, MP_TRANSPORT_OTHER);
	FUZZ_CHECK(r == 0, "\"%s\" does not claim \"%s\" \"%s\"", entry, vendor, product);
	mp_supported_unref(list);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mp_ctx *mp = fuzz_ctx();
	char *s = fuzz_string(data, size), *us;

	check_name(s);
	check_object_path(s);
	us = strchr(s, '\x1f');
	if (us)
		*us = '\0';
	check_claim(mp, s, us ? us + 1 : "");
	free(s);
	mp_ctx_unref(mp);
	return 0;
}
