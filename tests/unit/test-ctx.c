/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libmp context: reference counting and log routing. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <syslog.h>

#include "libmp-private.h"
#include "unit.h"

struct captured {
	int calls;
	int priority;
	char text[128];
};

static void capture(void *userdata, int priority, const char *file, int line, const char *fn,
		    const char *format, va_list args)
{
	struct captured *c = userdata;

	c->calls++;
	c->priority = priority;
	vsnprintf(c->text, sizeof(c->text), format, args);
}

static void test_new_rejects_null(void)
{
	CU_ASSERT_EQUAL(mp_ctx_new(NULL), -EINVAL);
}

static void test_ref_unref(void)
{
	struct mp_ctx *ctx = NULL;

	CU_ASSERT_EQUAL_FATAL(mp_ctx_new(&ctx), 0);
	CU_ASSERT_PTR_EQUAL(mp_ctx_ref(ctx), ctx);
	CU_ASSERT_PTR_NULL(mp_ctx_unref(ctx)); /* one reference left */
	CU_ASSERT_EQUAL(mp_ctx_get_log_priority(ctx), LOG_INFO);
	CU_ASSERT_PTR_NULL(mp_ctx_unref(ctx));
	CU_ASSERT_PTR_NULL(mp_ctx_unref(NULL));
}

static void test_log_routing_and_priority(void)
{
	struct mp_ctx *ctx = NULL;
	struct captured cap = { 0 };

	CU_ASSERT_EQUAL_FATAL(mp_ctx_new(&ctx), 0);
	mp_err(ctx, "dropped: no log function yet %d", 1);
	mp_ctx_set_log_fn(ctx, capture, &cap);
	mp_err(ctx, "path %s failed", "sda");
	CU_ASSERT_EQUAL(cap.calls, 1);
	CU_ASSERT_EQUAL(cap.priority, LOG_ERR);
	CU_ASSERT_STRING_EQUAL(cap.text, "path sda failed");
	mp_dbg(ctx, "below the threshold");
	CU_ASSERT_EQUAL(cap.calls, 1);
	mp_ctx_set_log_priority(ctx, LOG_DEBUG);
	mp_dbg(ctx, "now shown");
	CU_ASSERT_EQUAL(cap.calls, 2);
	CU_ASSERT_STRING_EQUAL(cap.text, "now shown");
	mp_ctx_unref(ctx);
}

static const struct unit_test tests[] = {
	{ "new rejects NULL", test_new_rejects_null },
	{ "ref and unref", test_ref_unref },
	{ "log routing and priority", test_log_routing_and_priority },
};

UNIT_MAIN("ctx", tests)
