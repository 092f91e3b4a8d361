/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The library context: reference count and log routing. */
#include <errno.h>
#include <stdlib.h>

#include "libmp-private.h"

#ifndef MPIO_VERSION
#define MPIO_VERSION "0.1"
#endif

struct mp_ctx {
	int refcount;
	mp_log_fn log_fn;
	void *log_data;
	int log_priority;
};

_public_ int mp_ctx_new(struct mp_ctx **ret)
{
	struct mp_ctx *ctx;

	if (!ret)
		return -EINVAL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->refcount = 1;
	ctx->log_priority = LOG_INFO;
	*ret = ctx;
	return 0;
}

_public_ struct mp_ctx *mp_ctx_ref(struct mp_ctx *ctx)
{
	if (ctx)
		ctx->refcount++;
	return ctx;
}

_public_ struct mp_ctx *mp_ctx_unref(struct mp_ctx *ctx)
{
	if (!ctx || --ctx->refcount > 0)
		return NULL;
	free(ctx);
	return NULL;
}

_public_ void mp_ctx_set_log_fn(struct mp_ctx *ctx, mp_log_fn fn, void *userdata)
{
	if (!ctx)
		return;
	ctx->log_fn = fn;
	ctx->log_data = userdata;
}

_public_ void mp_ctx_set_log_priority(struct mp_ctx *ctx, int priority)
{
	if (ctx)
		ctx->log_priority = priority;
}

_public_ int mp_ctx_get_log_priority(const struct mp_ctx *ctx)
{
	return ctx ? ctx->log_priority : -1;
}

_public_ const char *mp_version(void)
{
	return MPIO_VERSION;
}

void mp_log(const struct mp_ctx *ctx, int priority, const char *file, int line, const char *fn,
	    const char *format, ...)
{
	va_list args;

	if (!ctx || !ctx->log_fn)
		return;
	va_start(args, format);
	ctx->log_fn(ctx->log_data, priority, file, line, fn, format, args);
	va_end(args);
}
