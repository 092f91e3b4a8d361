/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * multipathctl show's model, fields and output (multipathctl/show-*.c) on a
 * model built here, as either producer (mpiod's, the kernel's) fills it:
 * the topology tree, the maps and paths tables, --output's columns and
 * errors, the documented JSON and --output's JSON, one map in detail.
 * Output goes to a memory stream and is compared byte for byte.
 */
#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "show-print.h"
#include "unit.h"

static char *xstrdup(const char *s)
{
	char *d = s ? strdup(s) : NULL;

	CU_ASSERT_FATAL(!s || d);
	return d;
}

static void add_path(struct show_model *m, const char *dev, const char *devt, const char *map,
		     unsigned group, const char *hctl, enum show_dm_state dm, const char *checker,
		     enum mp_scsi_state st, enum mp_alua_state alua)
{
	struct show_path *p = show_model_new_path(m);

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	p->dev = xstrdup(dev);
	p->devt = xstrdup(devt);
	p->map = xstrdup(map);
	p->group = group;
	p->hctl = xstrdup(hctl);
	p->dm = dm;
	p->failed = dm == SHOW_DM_FAILED;
	p->checker = xstrdup(checker);
	p->dev_state = st;
	p->alua = alua;
	p->transport = MP_TRANSPORT_ISCSI;
	p->size = 64 << 20;
}

static void add_group(struct show_map *map, enum mp_group_state state, const char *dev)
{
	struct show_group *g = &map->groups[map->n_groups++];

	g->state = state;
	g->selector = xstrdup("service-time");
	CU_ASSERT_EQUAL_FATAL(show_group_add_dev(g, dev), 0);
}

/*
 * Two maps as mpiod shows them: mpatha with an optimized path in group 1
 * and an admin-failed non-optimized one in group 2; mpathb holding I/O with
 * its only path offline. Built out of order: show_model_sort() orders them.
 */
static void model_daemon(struct show_model *m)
{
	struct show_map *a, *b;

	*m = (struct show_model){ .source = SHOW_FROM_DAEMON };
	add_path(m, "sdd", "8:48", "mpatha", 2, "3:0:0:1", SHOW_DM_FAILED, "down", MP_SCSI_RUNNING,
		 MP_ALUA_NONOPTIMIZED);
	m->paths[0].admin_failed = true;
	m->paths[0].fail_count = 2;
	add_path(m, "sdb", "8:16", "mpatha", 1, "2:0:0:1", SHOW_DM_ACTIVE, "up", MP_SCSI_RUNNING,
		 MP_ALUA_OPTIMIZED);
	add_path(m, "sdc", "8:32", "mpathb", 1, "2:0:0:2", SHOW_DM_FAILED, "down", MP_SCSI_OFFLINE,
		 MP_ALUA_UNKNOWN);
	m->paths[2].transport = MP_TRANSPORT_FC;

	b = show_model_new_map(m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	b->name = xstrdup("mpathb");
	b->wwid = xstrdup("3600140502");
	b->dev = xstrdup("dm-1");
	b->devt = xstrdup("254:1");
	b->target = xstrdup(MP_DM_TARGET);
	b->state = xstrdup("active");
	b->features = xstrdup("queue_if_no_path");
	b->hw_handler = xstrdup("");
	b->queueing = MP_QUEUEING_ON;
	b->queue_io = true;
	b->size = 1 << 30;
	b->groups = calloc(1, sizeof(*b->groups));
	CU_ASSERT_PTR_NOT_NULL_FATAL(b->groups);
	add_group(b, MP_GROUP_ENABLED, "sdc");

	a = show_model_new_map(m);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	a->name = xstrdup("mpatha");
	a->wwid = xstrdup("3600140501");
	a->dev = xstrdup("dm-0");
	a->devt = xstrdup("254:0");
	a->target = xstrdup(MP_DM_TARGET);
	a->vendor = xstrdup("LIO-ORG");
	a->product = xstrdup("disk");
	a->state = xstrdup("active");
	a->features = xstrdup("queue_if_no_path queue_mode bio");
	a->hw_handler = xstrdup("alua");
	a->queueing = MP_QUEUEING_ON;
	a->current_group = 1;
	a->size = 64 << 20;
	a->groups = calloc(2, sizeof(*a->groups));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a->groups);
	add_group(a, MP_GROUP_ACTIVE, "sdb");
	add_group(a, MP_GROUP_ENABLED, "sdd");
	show_model_sort(m);
}

/* Print with o into a string (freed by the caller). */
static char *print(const struct show_model *m, struct show_print *o,
		   int (*fn)(FILE *, const struct show_model *, const struct show_print *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fn(f, m, o), 0);
	fclose(f);
	return buf;
}

#define ASSERT_TEXT(got, want)                                                      \
	do {                                                                        \
		const char *_g = (got) ?: "(null)";                                 \
		if (strcmp(_g, want) != 0)                                          \
			fprintf(stderr, "\ngot:\n%s\nwant:\n%s\n", _g, want);        \
		CU_ASSERT_STRING_EQUAL(_g, want);                                   \
	} while (0)

static void columns(struct show_print *o, enum show_view view, const char *list,
		    enum show_source source)
{
	struct show_format fmt = {};

	o->view = view;
	if (list)
		CU_ASSERT_EQUAL_FATAL(show_format_parse(list, view, &fmt), 0);
	show_columns_get(list ? &fmt : NULL, view, source, &o->cols);
}

static void test_model(void)
{
	struct show_model m;
	size_t usable;

	model_daemon(&m);
	CU_ASSERT_STRING_EQUAL(m.maps[0].name, "mpatha");
	CU_ASSERT_STRING_EQUAL(m.paths[0].dev, "sdb");
	CU_ASSERT_STRING_EQUAL(show_model_find_path(&m, "sdd")->devt, "8:48");
	CU_ASSERT_PTR_NULL(show_model_find_path(&m, "sda"));
	CU_ASSERT_PTR_NULL(show_model_find_map(&m, "nosuch"));
	CU_ASSERT_EQUAL(show_map_paths(&m, &m.maps[0], &usable), 2);
	CU_ASSERT_EQUAL(usable, 1);
	/* multipath-tools' alua prioritizer's scale */
	CU_ASSERT_EQUAL(show_path_prio(show_model_find_path(&m, "sdb")), 50);
	CU_ASSERT_EQUAL(show_path_prio(show_model_find_path(&m, "sdd")), 10);
	CU_ASSERT_EQUAL(show_path_prio(show_model_find_path(&m, "sdc")), -1);
	/* a group's: its best usable path's; 0 when none is usable; -1 without ALUA */
	CU_ASSERT_EQUAL(show_group_prio(&m, &m.maps[0].groups[0]), 50);
	CU_ASSERT_EQUAL(show_group_prio(&m, &m.maps[0].groups[1]), 0);
	CU_ASSERT_EQUAL(show_group_prio(&m, &m.maps[1].groups[0]), -1);
	show_model_done(&m);
	CU_ASSERT_EQUAL(m.n_maps, 0);
	show_model_done(&m); /* twice is fine */
}

static void test_topology(void)
{
	struct show_model m;
	struct show_print o = {};
	char *s;

	model_daemon(&m);
	columns(&o, SHOW_VIEW_TOPOLOGY, NULL, m.source);
	s = print(&m, &o, show_print_table);
	/* a field without a value in a row's level leaves its cell empty; unknown is "-" */
	ASSERT_TEXT(s,
		    "NAME      DEV  HCTL    SIZE STATE   PRIO DM     CHECKER      DEVICE  ALUA                 QUEUEING        HWHANDLER WWID\n"
		    "mpatha    dm-0          64M active                                                        on              alua      3600140501\n"
		    "|-group 1                   active    50\n"
		    "| `-sdb   sdb  2:0:0:1  64M           50 active up           running active/optimized\n"
		    "`-group 2                   enabled    0\n"
		    "  `-sdd   sdd  3:0:0:1  64M           10 failed down (admin) running active/non-optimized\n"
		    "mpathb    dm-1         1.0G active                                                        on, holding I/O -         3600140502\n"
		    "`-group 1                   enabled    -\n"
		    "  `-sdc   sdc  2:0:0:2  64M            - failed down         offline unknown\n");
	free(s);
	show_model_done(&m);
}

static void test_tables(void)
{
	struct show_model m;
	struct show_print o = {};
	char *s;

	model_daemon(&m);
	columns(&o, SHOW_VIEW_MAPS, NULL, m.source);
	s = print(&m, &o, show_print_table);
	ASSERT_TEXT(s,
		    "NAME   DEV  WWID       VENDOR  PRODUCT SIZE PATHS QUEUEING        HWHANDLER STATE\n"
		    "mpatha dm-0 3600140501 LIO-ORG disk     64M 1/2   on              alua      active\n"
		    "mpathb dm-1 3600140502 -       -       1.0G 0/1   on, holding I/O -         active\n");
	free(s);
	columns(&o, SHOW_VIEW_PATHS, NULL, m.source);
	s = print(&m, &o, show_print_table);
	ASSERT_TEXT(s,
		    "DEV DEVT HCTL    MAP    GROUP PRIO DM     CHECKER      DEVICE  ALUA                 TRANSPORT\n"
		    "sdb 8:16 2:0:0:1 mpatha     1   50 active up           running active/optimized     iscsi\n"
		    "sdc 8:32 2:0:0:2 mpathb     1    - failed down         offline unknown              fc\n"
		    "sdd 8:48 3:0:0:1 mpatha     2   10 failed down (admin) running active/non-optimized iscsi\n");
	free(s);
	/* --output: the columns named, in their order; +LIST adds to the default */
	columns(&o, SHOW_VIEW_PATHS, "DEV,checker,Dev-State", m.source);
	o.flags = TABLE_NOHEADINGS;
	o.map = "mpatha";
	s = print(&m, &o, show_print_table);
	ASSERT_TEXT(s, "sdb up           running\n"
		       "sdd down (admin) running\n");
	free(s);
	o = (struct show_print){};
	columns(&o, SHOW_VIEW_MAPS, "+features", SHOW_FROM_KERNEL);
	CU_ASSERT_EQUAL(o.cols.n, 12); /* the 10 defaults, TARGET for the kernel's view, FEATURES */
	CU_ASSERT_STRING_EQUAL(o.cols.fields[10]->name, "target");
	CU_ASSERT_STRING_EQUAL(o.cols.fields[11]->name, "features");
	o.flags = TABLE_RAW;
	columns(&o, SHOW_VIEW_TOPOLOGY, "name,features", m.source);
	s = print(&m, &o, show_print_table);
	ASSERT_TEXT(s, "NAME FEATURES\n"
		       "mpatha queue_if_no_path\\x20queue_mode\\x20bio\n"
		       "group\\x201 \n"
		       "sdb \n"
		       "group\\x202 \n"
		       "sdd \n"
		       "mpathb queue_if_no_path\n"
		       "group\\x201 \n"
		       "sdc \n");
	free(s);
	show_model_done(&m);
	/* nothing to show */
	o = (struct show_print){};
	columns(&o, SHOW_VIEW_PATHS, NULL, m.source);
	s = print(&m, &o, show_print_table);
	ASSERT_TEXT(s, "No paths.\n");
	free(s);
}

static void test_format_errors(void)
{
	struct show_format fmt;

	CU_ASSERT_EQUAL(show_format_parse("name,bogus", SHOW_VIEW_MAPS, &fmt), -EINVAL);
	/* a field with no value in the view's rows */
	CU_ASSERT_EQUAL(show_format_parse("hctl", SHOW_VIEW_MAPS, &fmt), -EINVAL);
	CU_ASSERT_EQUAL(show_format_parse("wwid", SHOW_VIEW_PATHS, &fmt), -EINVAL);
	CU_ASSERT_EQUAL(show_format_parse("", SHOW_VIEW_PATHS, &fmt), -EINVAL);
	CU_ASSERT_EQUAL(show_format_parse("dev,", SHOW_VIEW_PATHS, &fmt), -EINVAL);
	CU_ASSERT_EQUAL(show_format_parse("help", SHOW_VIEW_PATHS, &fmt), 1);
	CU_ASSERT_EQUAL(show_format_parse("HCTL,wwid", SHOW_VIEW_TOPOLOGY, &fmt), 0);
	CU_ASSERT_EQUAL(fmt.cols.n, 2);
	CU_ASSERT_FALSE(fmt.append);
	/* every field has a unique name, a header, a description and a level */
	for (size_t i = 0; i < show_n_fields; i++) {
		CU_ASSERT_PTR_NOT_NULL(show_fields[i].header);
		CU_ASSERT_PTR_NOT_NULL(show_fields[i].help);
		CU_ASSERT(show_fields[i].levels != 0);
		for (size_t k = 0; k < i; k++)
			CU_ASSERT(strcmp(show_fields[i].name, show_fields[k].name) != 0);
	}
}

static char *json_of(const struct show_model *m, const struct show_print *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	json_init(&j, f, false);
	CU_ASSERT_EQUAL(show_print_json(&j, m, o), 0);
	fclose(f);
	return buf;
}

static void test_json(void)
{
	struct show_model m;
	struct show_print o = { .view = SHOW_VIEW_PATHS };
	char *s;

	model_daemon(&m);
	s = json_of(&m, &o);
	ASSERT_TEXT(s, "{\"source\":\"mpiod\",\"paths\":["
		       "{\"dev\":\"sdb\",\"devt\":\"8:16\",\"state\":\"up\",\"transport\":\"iscsi\","
		       "\"alua_state\":\"active/optimized\",\"map\":\"mpatha\",\"group\":1,"
		       "\"hctl\":\"2:0:0:1\",\"dm_state\":\"active\",\"admin_failed\":false,"
		       "\"fail_count\":0,\"device_state\":\"running\",\"prio\":50},"
		       "{\"dev\":\"sdc\",\"devt\":\"8:32\",\"state\":\"down\",\"transport\":\"fc\","
		       "\"alua_state\":\"unknown\",\"map\":\"mpathb\",\"group\":1,"
		       "\"hctl\":\"2:0:0:2\",\"dm_state\":\"failed\",\"admin_failed\":false,"
		       "\"fail_count\":0,\"device_state\":\"offline\",\"prio\":null},"
		       "{\"dev\":\"sdd\",\"devt\":\"8:48\",\"state\":\"down\",\"transport\":\"iscsi\","
		       "\"alua_state\":\"active/non-optimized\",\"map\":\"mpatha\",\"group\":2,"
		       "\"hctl\":\"3:0:0:1\",\"dm_state\":\"failed\",\"admin_failed\":true,"
		       "\"fail_count\":2,\"device_state\":\"running\",\"prio\":10}]}\n");
	free(s);
	o = (struct show_print){ .view = SHOW_VIEW_TOPOLOGY, .map = "mpathb" };
	m.source = SHOW_FROM_KERNEL;
	s = json_of(&m, &o);
	ASSERT_TEXT(s, "{\"source\":\"kernel\",\"name\":\"mpathb\",\"wwid\":\"3600140502\","
		       "\"vendor\":null,\"product\":null,\"size\":1073741824,\"groups\":["
		       "{\"state\":\"enabled\",\"priority\":1,\"selector\":\"service-time\",\"prio\":null,"
		       "\"paths\":[{\"dev\":\"sdc\",\"devt\":\"8:32\",\"state\":\"down\","
		       "\"transport\":\"fc\",\"alua_state\":\"unknown\",\"hctl\":\"2:0:0:2\","
		       "\"dm_state\":\"failed\",\"admin_failed\":false,\"fail_count\":0,"
		       "\"device_state\":\"offline\",\"prio\":null}]}],"
		       "\"settings\":null,\"queueing\":\"on\",\"queue_io\":true,\"dev\":\"dm-1\","
		       "\"devt\":\"254:1\",\"target\":\"mpio\",\"state\":\"active\","
		       "\"reload_pending\":false,\"current_group\":null,"
		       "\"features\":\"queue_if_no_path\",\"hw_handler\":\"\"}\n");
	free(s);
	o.map = "nosuch";
	{
		struct json j;
		FILE *f = fopen("/dev/null", "w");

		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		json_init(&j, f, false);
		CU_ASSERT_EQUAL(show_print_json(&j, &m, &o), -ENOENT);
		fclose(f);
	}
	/* --output with --json: libsmartcols' rows of those fields, numbers as numbers */
	o = (struct show_print){ .flags = TABLE_JSON };
	columns(&o, SHOW_VIEW_MAPS, "name,size,held", m.source);
	s = print(&m, &o, show_print_table);
	ASSERT_TEXT(s, "{\n   \"maps\": [\n"
		       "      {\n         \"name\": \"mpatha\",\n         \"size\": 67108864,\n"
		       "         \"held\": \"no\"\n      },{\n"
		       "         \"name\": \"mpathb\",\n         \"size\": 1073741824,\n"
		       "         \"held\": \"yes\"\n      }\n   ]\n}\n");
	free(s);
	show_model_done(&m);
}

static void test_map_detail(void)
{
	struct show_model m;
	struct show_print o = {};
	struct show_map *a;
	char *s;

	model_daemon(&m);
	a = show_model_find_map(&m, "mpatha");
	a->settings = calloc(1, sizeof(*a->settings));
	CU_ASSERT_PTR_NOT_NULL_FATAL(a->settings);
	a->settings[0] = (struct show_setting){ xstrdup("NoPathRetry"), xstrdup("queue"),
						xstrdup("default") };
	a->n_settings = 1;
	a->has_settings = true;
	columns(&o, SHOW_VIEW_TOPOLOGY, "name,hctl,checker", m.source);
	o.map = "mpatha";
	s = print(&m, &o, show_print_map);
	ASSERT_TEXT(s, "NAME      mpatha\n"
		       "WWID      3600140501\n"
		       "DEV       dm-0\n"
		       "DEVT      254:0\n"
		       "SIZE      64M\n"
		       "VENDOR    LIO-ORG\n"
		       "PRODUCT   disk\n"
		       "TARGET    mpio\n"
		       "STATE     active\n"
		       "PATHS     1/2\n"
		       "QUEUEING  on\n"
		       "HELD      no\n"
		       "FEATURES  queue_if_no_path queue_mode bio\n"
		       "HWHANDLER alua\n"
		       "GROUP     1\n"
		       "\n"
		       "NAME      HCTL    CHECKER\n"
		       "mpatha\n"
		       "|-group 1\n"
		       "| `-sdb   2:0:0:1 up\n"
		       "`-group 2\n"
		       "  `-sdd   3:0:0:1 down (admin)\n"
		       "\n"
		       "SETTING     VALUE ORIGIN\n"
		       "NoPathRetry queue default\n");
	free(s);
	o.map = "nosuch";
	{
		FILE *f = fopen("/dev/null", "w");

		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		CU_ASSERT_EQUAL(show_print_map(f, &m, &o), -ENOENT);
		fclose(f);
	}
	show_model_done(&m);
}

static const struct unit_test tests[] = {
	{ "model: order, lookups, prios, usable paths", test_model },
	{ "topology tree, default columns", test_topology },
	{ "maps and paths tables, --output, raw, none", test_tables },
	{ "--output: unknown fields, fields of other rows", test_format_errors },
	{ "JSON: the documented schema, --output's", test_json },
	{ "show map NAME: fields, tree, settings", test_map_detail },
};

UNIT_MAIN("ctl-show", tests)
