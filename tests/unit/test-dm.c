/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The INFO status parser (mp_dm_parse_status()). Every string is handed over
 * in a heap buffer of exactly its length plus the NUL, so ASan catches a read
 * past the end. The libdevmapper wrappers need device-mapper and are tested
 * in the VM.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libmp-private.h"
#include "unit.h"

static int parse(const char *s, struct mp_map_status **ret)
{
	char *copy = strdup(s);
	int r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
	r = mp_dm_parse_status(copy, ret);
	free(copy);
	return r;
}

static void test_multipath_layout(void)
{
	struct mp_map_status *st = NULL;

	/* as the kernel writes it, trailing space included */
	CU_ASSERT_EQUAL_FATAL(parse("2 0 0 0 2 1 A 0 2 0 8:32 A 0 8:48 A 0 E 0 1 0 8:64 F 3 ", &st), 0);
	CU_ASSERT_FALSE(st->queue_io);
	CU_ASSERT_EQUAL(st->pg_init_count, 0);
	CU_ASSERT_EQUAL(st->current_group, 1);
	CU_ASSERT_EQUAL_FATAL(st->n_groups, 2);
	CU_ASSERT_FALSE(st->has_stats);
	CU_ASSERT_EQUAL(st->groups[0].state, MP_GROUP_ACTIVE);
	CU_ASSERT_EQUAL_FATAL(st->groups[0].n_paths, 2);
	CU_ASSERT_EQUAL(st->groups[0].paths[0].major, 8);
	CU_ASSERT_EQUAL(st->groups[0].paths[0].minor, 32);
	CU_ASSERT_TRUE(st->groups[0].paths[0].active);
	CU_ASSERT_EQUAL(st->groups[0].paths[1].minor, 48);
	CU_ASSERT_EQUAL(st->groups[1].state, MP_GROUP_ENABLED);
	CU_ASSERT_EQUAL_FATAL(st->groups[1].n_paths, 1);
	CU_ASSERT_EQUAL(st->groups[1].paths[0].minor, 64);
	CU_ASSERT_FALSE(st->groups[1].paths[0].active);
	CU_ASSERT_EQUAL(st->groups[1].paths[0].fail_count, 3);
	CU_ASSERT_PTR_NULL(mp_map_status_free(st));
}

static void test_mpio_stats(void)
{
	struct mp_map_status *st = NULL;

	/* service-time: 2 info words per path, then mpio's counters */
	CU_ASSERT_EQUAL_FATAL(parse("2 1 3 0 2 2 D 0 1 2 8:16 F 7 0 0 A 0 2 2 8:32 A 0 4096 1 "
				    "8:48 A 1 0 1 stats 3 4 8:16 0 0 7 0 8:32 10 40960 0 250 "
				    "8:48 5 20480 1 300",
				    &st),
			      0);
	CU_ASSERT_TRUE(st->queue_io);
	CU_ASSERT_EQUAL(st->pg_init_count, 3);
	CU_ASSERT_EQUAL(st->current_group, 2);
	CU_ASSERT_EQUAL(st->groups[0].state, MP_GROUP_DISABLED);
	CU_ASSERT_TRUE_FATAL(st->has_stats);
	CU_ASSERT_EQUAL(st->groups[0].paths[0].errors, 7);
	CU_ASSERT_EQUAL(st->groups[1].paths[0].ios, 10);
	CU_ASSERT_EQUAL(st->groups[1].paths[0].bytes, 40960);
	CU_ASSERT_EQUAL(st->groups[1].paths[0].avg_lat_us, 250);
	CU_ASSERT_EQUAL(st->groups[1].paths[1].ios, 5);
	CU_ASSERT_EQUAL(st->groups[1].paths[1].errors, 1);
	CU_ASSERT_EQUAL(st->groups[1].paths[1].fail_count, 1);
	mp_map_status_free(st);
}

static void test_queueing(void)
{
	static const struct {
		const char *status;
		enum mp_queueing want;
	} cases[] = {
		{ "2 0 0 0 1 1 A 0 1 0 8:0 A 0 stats 1 4 8:0 1 2 3 4 queueing on", MP_QUEUEING_ON },
		{ "2 0 0 0 1 1 A 0 1 0 8:0 F 1 stats 1 4 8:0 1 2 3 4 queueing expired",
		  MP_QUEUEING_EXPIRED },
		{ "2 1 0 0 0 0 stats 0 4 queueing off later 1 x", MP_QUEUEING_OFF },
		{ "2 0 0 0 0 0 queueing on", MP_QUEUEING_ON },
		{ "2 0 0 0 0 0 stats 0 4", MP_QUEUEING_UNKNOWN },		/* an older module */
		{ "2 0 0 0 0 0 stats 0 4 queueing sometimes", MP_QUEUEING_UNKNOWN }, /* a later word */
		{ "2 0 0 0 0 0 stats 0 4 queueing expiredx", MP_QUEUEING_UNKNOWN },
		{ "2 0 0 0 0 0 stats 0 4 queueing o", MP_QUEUEING_UNKNOWN },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct mp_map_status *st = NULL;

		CU_ASSERT_EQUAL_FATAL(parse(cases[i].status, &st), 0);
		if (st->queueing != cases[i].want)
			fprintf(stderr, "\n\"%s\": queueing %d\n", cases[i].status, st->queueing);
		CU_ASSERT_EQUAL(st->queueing, cases[i].want);
		mp_map_status_free(st);
	}
	CU_ASSERT_EQUAL(parse("2 0 0 0 0 0 stats 0 4 queueing", &(struct mp_map_status *){ NULL }),
			-EBADMSG);
	CU_ASSERT_STRING_EQUAL(mp_queueing_to_string(MP_QUEUEING_EXPIRED), "expired");
	CU_ASSERT_STRING_EQUAL(mp_queueing_to_string(MP_QUEUEING_UNKNOWN), "unknown");
	CU_ASSERT_PTR_NULL(mp_queueing_to_string(_MP_QUEUEING_MAX));
	CU_ASSERT_PTR_NULL(mp_queueing_to_string(_MP_QUEUEING_INVALID));
}

static void test_tolerated(void)
{
	static const char *const ok[] = {
		"2 0 0 0 0 0",				/* no groups */
		"2 0 0 0 0 0 stats 0 4",		/* no groups, with stats */
		"2 0 0 0 1 1 A 0 0 0",			/* an empty group */
		"3 0 0 extra 0 1 1 A 0 1 0 8:0 A 0",	/* more features */
		"2 0 0 1 hw 1 1 A 0 1 0 8:0 A 0",	/* handler status words */
		"2 0 0 0 1 1 A 2 x y 1 0 8:0 A 0",	/* selector status words */
		"2 0 0 0 1 1 A 0 1 0 8:0 A 0 stats 1 5 8:0 1 2 3 4 5",	/* a fifth counter */
		"2 0 0 0 1 1 A 0 1 0 8:0 A 0 stats 1 4 8:0 1 2 3 4 later 2 a b", /* a later section */
		"2 0 0 0 1 1 A 0 1 0 8:0 A 0 something-new",
		"\t2  0 0\n0 1 1 A 0 1 0 259:1048575 A 4294967295\n",
	};

	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		struct mp_map_status *st = NULL;
		int r = parse(ok[i], &st);

		if (r != 0)
			fprintf(stderr, "\nrejected: \"%s\": %d\n", ok[i], r);
		CU_ASSERT_EQUAL(r, 0);
		mp_map_status_free(st);
	}
}

static void test_last_fields(void)
{
	struct mp_map_status *st = NULL;

	CU_ASSERT_EQUAL_FATAL(parse("2 0 0 0 1 1 A 0 1 0 8:0 A 0 stats 1 4 8:0 1 2 3 4 later 2 a b", &st), 0);
	CU_ASSERT_TRUE(st->has_stats);
	CU_ASSERT_EQUAL(st->groups[0].paths[0].avg_lat_us, 4);
	mp_map_status_free(st);

	CU_ASSERT_EQUAL_FATAL(parse("\t2  0 0\n0 1 1 A 0 1 0 259:1048575 A 4294967295\n", &st), 0);
	CU_ASSERT_EQUAL(st->groups[0].paths[0].major, 259);
	CU_ASSERT_EQUAL(st->groups[0].paths[0].minor, 1048575);
	CU_ASSERT_EQUAL(st->groups[0].paths[0].fail_count, 4294967295u);
	mp_map_status_free(st);
}

static void test_malformed(void)
{
	static const char *const bad[] = {
		"",
		" ",
		"2",
		"2 0",
		"2 0 0",
		"2 0 0 0",
		"2 0 0 0 1",
		"1 0 0 0 0 0",			/* fewer than 2 features */
		"0 0 0",
		"2 2 0 0 0 0",			/* queue_io not 0/1 */
		"2 0 x 0 0 0",
		"2 0 -1 0 0 0",
		"2 0 +1 0 0 0",
		"2x 0 0 0 0 0",
		"2 0 0 3 a b",			/* handler status runs out */
		"2 0 0 0 0 1",			/* current group beyond the groups */
		"2 0 0 0 1 2 A 0 0 0",
		"2 0 0 0 1 1",			/* group missing */
		"2 0 0 0 1 1 X 0 0 0",		/* bad group state */
		"2 0 0 0 1 1 AA 0 0 0",
		"2 0 0 0 1 1 A 5 a b 0 0",	/* selector words run out */
		"2 0 0 0 1 1 A 0 1 0",		/* path missing */
		"2 0 0 0 1 1 A 0 1 0 8:32",
		"2 0 0 0 1 1 A 0 1 0 8:32 A",
		"2 0 0 0 1 1 A 0 1 0 8:32 B 0",	/* bad path state */
		"2 0 0 0 1 1 A 0 1 0 8-32 A 0",	/* bad device */
		"2 0 0 0 1 1 A 0 1 0 8: A 0",
		"2 0 0 0 1 1 A 0 1 0 :32 A 0",
		"2 0 0 0 1 1 A 0 1 0 8:32:1 A 0",
		"2 0 0 0 1 1 A 0 1 0 4096:0 A 0", /* major over 12 bits */
		"2 0 0 0 1 1 A 0 1 0 8:1048576 A 0",
		"2 0 0 0 1 1 A 0 1 0 8:32 A -1",
		"2 0 0 0 1 1 A 0 1 0 8:32 A 4294967296",
		"2 0 0 0 1 1 A 0 1 2 8:32 A 0 1", /* info words run out */
		"2 0 0 0 2 1 A 0 1 0 8:32 A 0",	/* second group missing */
		"2 0 0 0 4000000000 1",		/* counts far beyond the text */
		"2 0 0 0 1 1 A 0 4000000000 0 8:0 A 0",
		"2 0 0 0 1 1 A 4294967295 a",
		"99999999999999999999 0 0 0 0 0",
		"2 0 4294967296 0 0 0",		/* pg_init_count over 32 bits */
		"2 0 0 0 1 1 A 0 1 0 8:0 A 0 stats",		/* stats cut short */
		"2 0 0 0 1 1 A 0 1 0 8:0 A 0 stats 1",
		"2 0 0 0 1 1 A 0 1 0 8:0 A 0 stats 1 4",
		"2 0 0 0 1 1 A 0 1 0 8:0 A 0 stats 1 4 8:0 1 2 3",
		"2 0 0 0 1 1 A 0 1 0 8:0 A 0 stats 2 4 8:0 1 2 3 4",	/* count mismatch */
		"2 0 0 0 1 1 A 0 1 0 8:0 A 0 stats 1 3 8:0 1 2 3",	/* too few counters */
		"2 0 0 0 1 1 A 0 1 0 8:0 A 0 stats 1 4 8:16 1 2 3 4",	/* another device */
		"2 0 0 0 1 1 A 0 1 0 8:0 A 0 stats 1 4 8:0 1 2 x 4",
		"2 0 0 0 1 1 A 0 1 0 8:0 A 0 stats 1 5 8:0 1 2 3 4",	/* fifth counter missing */
		"2 0 0 0 1 1 A 0 1 0 8:0 A 0 stats 1 4 8:0 1 2 3 18446744073709551616",
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct mp_map_status *st = NULL;
		int r = parse(bad[i], &st);

		if (r != -EBADMSG)
			fprintf(stderr, "\n\"%s\": %d, expected -EBADMSG\n", bad[i], r);
		CU_ASSERT_EQUAL(r, -EBADMSG);
		CU_ASSERT_PTR_NULL(st);
	}
}

/* Every prefix of a good status either parses or fails cleanly. */
static void test_prefixes(void)
{
	static const char full[] = "2 1 3 0 2 2 D 0 1 2 8:16 F 7 0 0 A 0 2 2 8:32 A 0 4096 1 "
				   "8:48 A 1 0 1 stats 3 4 8:16 0 0 7 0 8:32 10 40960 0 250 "
				   "8:48 5 20480 1 300";
	unsigned ok = 0;

	for (size_t n = 0; n <= strlen(full); n++) {
		char *s = strndup(full, n);
		struct mp_map_status *st = NULL;
		int r;

		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		r = mp_dm_parse_status(s, &st);
		CU_ASSERT(r == 0 || r == -EBADMSG);
		if (r == 0)
			ok++;
		mp_map_status_free(st);
		free(s);
	}
	/* the whole string, and the cut just before " stats" (stats are optional) */
	CU_ASSERT(ok >= 2);
}

static void test_args(void)
{
	struct mp_map_status *st = NULL;

	CU_ASSERT_EQUAL(mp_dm_parse_status(NULL, &st), -EINVAL);
	CU_ASSERT_EQUAL(mp_dm_parse_status("2 0 0 0 0 0", NULL), -EINVAL);
	CU_ASSERT_PTR_NULL(mp_map_status_free(NULL));
	CU_ASSERT_STRING_EQUAL(mp_group_state_to_string(MP_GROUP_ACTIVE), "active");
	CU_ASSERT_STRING_EQUAL(mp_group_state_to_string(MP_GROUP_DISABLED), "disabled");
	CU_ASSERT_PTR_NULL(mp_group_state_to_string(_MP_GROUP_STATE_MAX));
	CU_ASSERT_PTR_NULL(mp_group_state_to_string(_MP_GROUP_STATE_INVALID));
}

/* The WWID of a map's dm uuid: "mpath-" (today's), "mpio-" (mpio 0.1's), nothing else. */
static void test_uuid_to_wwid(void)
{
	static const char *const not_maps[] = {
		NULL, "", "mpath-", "mpio-", "mpath", "MPATH-3600", "part1-mpath-3600", "LVM-abc",
		"CRYPT-LUKS2-abc", "xmpath-3600",
	};
	const char *u = "mpath-36001405abcdef";

	CU_ASSERT_STRING_EQUAL(MP_UUID_PREFIX, "mpath-");
	CU_ASSERT_PTR_EQUAL(mp_uuid_to_wwid(u), u + strlen(MP_UUID_PREFIX));
	CU_ASSERT_STRING_EQUAL(mp_uuid_to_wwid(u), "36001405abcdef");
	CU_ASSERT_STRING_EQUAL(mp_uuid_to_wwid("mpio-36001405abcdef"), "36001405abcdef");
	CU_ASSERT_STRING_EQUAL(mp_uuid_to_wwid("mpath-mpath-x"), "mpath-x");
	for (size_t i = 0; i < sizeof(not_maps) / sizeof(not_maps[0]); i++)
		CU_ASSERT_PTR_NULL(mp_uuid_to_wwid(not_maps[i]));
}

/*
 * Map names the kernel takes, for every WWID (review U9): the WWID itself
 * when it is one; else a short form, stable and unique, that is one. The
 * dm uuid likewise fits device-mapper's 128 bytes.
 */
static void test_map_names(void)
{
	static const char *const bad[] = { NULL, "", ".", "..", "control", "a/b", "/", "mpatha/" };
	char name[MP_MAP_NAME_SIZE], name2[MP_MAP_NAME_SIZE], part[MP_MAP_UUID_SIZE];
	char w127[128], w128[129], w200[201], w200b[201], w122[123], w123[124];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_FALSE(mp_map_name_valid(bad[i]));
	memset(w127, 'a', 127), w127[127] = '\0';
	memset(w128, 'a', 128), w128[128] = '\0';
	CU_ASSERT_TRUE(mp_map_name_valid("mpatha"));
	CU_ASSERT_TRUE(mp_map_name_valid("control1"));
	CU_ASSERT_TRUE(mp_map_name_valid("..."));
	CU_ASSERT_TRUE(mp_map_name_valid(w127));
	CU_ASSERT_FALSE(mp_map_name_valid(w128));

	/* A WWID that is a name names its map. */
	CU_ASSERT_EQUAL(mp_wwid_to_map_name("36001405abcdef", name, sizeof(name)), 0);
	CU_ASSERT_STRING_EQUAL(name, "36001405abcdef");
	CU_ASSERT_EQUAL(mp_wwid_to_map_name(w127, name, sizeof(name)), 0);
	CU_ASSERT_STRING_EQUAL(name, w127);
	CU_ASSERT_EQUAL(mp_wwid_to_map_name("1VENDOR  ab_cd", name, sizeof(name)), 0);
	CU_ASSERT_STRING_EQUAL(name, "1VENDOR  ab_cd");

	/* '/': made '_', and the hash of the whole WWID keeps it apart from "1VENDOR  ab_cd". */
	CU_ASSERT_EQUAL(mp_wwid_to_map_name("1VENDOR  ab/cd", name, sizeof(name)), 0);
	CU_ASSERT_STRING_EQUAL(name, "1VENDOR  ab_cd-8c42975077612615");
	CU_ASSERT_TRUE(mp_map_name_valid(name));
	CU_ASSERT_EQUAL(mp_wwid_to_map_name("1VENDOR  ab/cd", name2, sizeof(name2)), 0);
	CU_ASSERT_STRING_EQUAL(name, name2); /* stable */

	/* Too long: 110 bytes of it, "-" and the hash, 127 in all; WWIDs that differ at the end differ. */
	memset(w200, 'x', 200), w200[200] = '\0';
	memcpy(w200b, w200, sizeof(w200b)), w200b[199] = 'y';
	w200[50] = '/';
	CU_ASSERT_EQUAL(mp_wwid_to_map_name(w200, name, sizeof(name)), 0);
	CU_ASSERT_EQUAL(strlen(name), 127);
	CU_ASSERT_TRUE(mp_map_name_valid(name));
	CU_ASSERT_EQUAL(name[50], '_');
	CU_ASSERT_EQUAL(strncmp(name + 51, w200 + 51, 110 - 51), 0);
	CU_ASSERT_EQUAL(name[110], '-');
	CU_ASSERT_EQUAL(mp_wwid_to_map_name(w200b, name2, sizeof(name2)), 0);
	CU_ASSERT_EQUAL(strlen(name2), 127);
	CU_ASSERT_STRING_NOT_EQUAL(name, name2);
	CU_ASSERT_EQUAL(mp_wwid_to_map_name(w128, name, sizeof(name)), 0);
	CU_ASSERT_EQUAL(strlen(name), 127);

	/* The uuid: "mpath-" and 122 bytes at most; '/' stays where it fits (uuids may hold it). */
	memset(w122, 'b', 122), w122[122] = '\0';
	memset(w123, 'b', 123), w123[123] = '\0';
	CU_ASSERT_EQUAL(mp_wwid_uuid_part("1VENDOR  ab/cd", part, sizeof(part)), 0);
	CU_ASSERT_STRING_EQUAL(part, "1VENDOR  ab/cd");
	CU_ASSERT_EQUAL(mp_wwid_uuid_part(w122, part, sizeof(part)), 0);
	CU_ASSERT_STRING_EQUAL(part, w122);
	CU_ASSERT_EQUAL(mp_wwid_uuid_part(w123, part, sizeof(part)), 0);
	CU_ASSERT_EQUAL(strlen(part), 122);
	CU_ASSERT_EQUAL(strncmp(part, w123, 105), 0);
	CU_ASSERT_EQUAL(part[105], '-');
	CU_ASSERT_EQUAL(mp_wwid_uuid_part(w200, part, sizeof(part)), 0);
	CU_ASSERT_EQUAL(strlen(part), 122);
	CU_ASSERT_EQUAL(part[50], '_');

	/* Arguments */
	CU_ASSERT_EQUAL(mp_wwid_to_map_name(NULL, name, sizeof(name)), -EINVAL);
	CU_ASSERT_EQUAL(mp_wwid_to_map_name("", name, sizeof(name)), -EINVAL);
	CU_ASSERT_EQUAL(mp_wwid_to_map_name("3600", name, 4), -ERANGE);
	CU_ASSERT_EQUAL(mp_wwid_to_map_name("3600", name, 5), 0);
	CU_ASSERT_EQUAL(mp_wwid_to_map_name(w200, name, 127), -ERANGE);
	CU_ASSERT_EQUAL(mp_wwid_uuid_part(w200, part, 122), -ERANGE);
	CU_ASSERT_EQUAL(mp_wwid_uuid_part(NULL, part, sizeof(part)), -EINVAL);
}

/* Arguments of mp_dm_find_by_wwid() are checked before device-mapper is asked. */
static void test_find_args(void)
{
	struct mp_ctx *ctx = NULL;
	char *name = NULL, *target = NULL;

	CU_ASSERT_EQUAL_FATAL(mp_ctx_new(&ctx), 0);
	CU_ASSERT_EQUAL(mp_dm_find_by_wwid(NULL, "3600", &name, &target), -EINVAL);
	CU_ASSERT_EQUAL(mp_dm_find_by_wwid(ctx, NULL, &name, &target), -EINVAL);
	CU_ASSERT_EQUAL(mp_dm_find_by_wwid(ctx, "", &name, &target), -EINVAL);
	CU_ASSERT_EQUAL(mp_dm_find_by_wwid(ctx, "3600", NULL, &target), -EINVAL);
	CU_ASSERT_EQUAL(mp_dm_find_by_wwid(ctx, "3600", &name, NULL), -EINVAL);
	CU_ASSERT_PTR_NULL(name);
	CU_ASSERT_PTR_NULL(target);
	mp_ctx_unref(ctx);
}

/* Arguments of the removals are checked before device-mapper is asked. */
static void test_remove_args(void)
{
	struct mp_ctx *ctx = NULL;
	uint32_t cookie = 0;
	char name[200];

	CU_ASSERT_EQUAL_FATAL(mp_ctx_new(&ctx), 0);
	CU_ASSERT_EQUAL(mp_dm_remove_nowait(ctx, "mpatha", false, NULL), -EINVAL);
	CU_ASSERT_EQUAL(mp_dm_remove_nowait(NULL, "mpatha", true, &cookie), -EINVAL);
	CU_ASSERT_EQUAL(mp_dm_remove_nowait(ctx, NULL, false, &cookie), -EINVAL);
	CU_ASSERT_EQUAL(mp_dm_remove_nowait(ctx, "", false, &cookie), -EINVAL);
	CU_ASSERT_EQUAL(mp_dm_remove_nowait(ctx, "a/b", false, &cookie), -EINVAL);
	CU_ASSERT_EQUAL(mp_dm_remove(ctx, "a/b", false), -EINVAL);
	/* a name longer than device-mapper's 128 bytes */
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	CU_ASSERT_EQUAL(mp_dm_remove_nowait(ctx, name, true, &cookie), -EINVAL);
	/* no task ran: no cookie was taken */
	CU_ASSERT_EQUAL(cookie, 0);
	mp_ctx_unref(ctx);
}

static const struct unit_test tests[] = {
	{ "dm-multipath layout", test_multipath_layout },
	{ "mpio stats section", test_mpio_stats },
	{ "mpio queueing word", test_queueing },
	{ "tolerated variants and extensions", test_tolerated },
	{ "last fields and limits", test_last_fields },
	{ "malformed statuses", test_malformed },
	{ "every prefix fails cleanly", test_prefixes },
	{ "arguments and names", test_args },
	{ "dm uuid to WWID", test_uuid_to_wwid },
	{ "map names and uuids for every WWID", test_map_names },
	{ "find by WWID: arguments", test_find_args },
	{ "removal: arguments", test_remove_args },
};

UNIT_MAIN("dm", tests)
