/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host-side scalability bench of libmp's parsers (not part of make check):
 * the cost of naming one more map in a bindings file of N bindings, of
 * naming N new maps one call each and all in one call, of parsing a
 * supported-devices list and an mpio.conf of N entries, and of resolving
 * the settings of N maps in that config. Built at -O2 against libmp.a (make -C
 * tests/bench scale); run as
 *
 *   tests/bench/scale [DIR [N...]]      DIR: where the files go (default .)
 *
 * DIR should be on a real filesystem: the bindings writes fsync().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libmp.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void die(const char *what, int r, const struct mp_parse_error *e)
{
	fprintf(stderr, "%s: %s", what, strerror(r < 0 ? -r : r));
	if (e && e->msg[0])
		fprintf(stderr, " (%s:%u: %s)", e->file, e->line, e->msg);
	fputc('\n', stderr);
	exit(1);
}

static void wwid_of(unsigned i, char *buf, size_t len)
{
	snprintf(buf, len, "36001405%024x", i + 1);
}

/* The name mpiod would have bound to index i (0-based): mpatha, ..., mpathz, mpathaa... */
static void name_of(unsigned i, char *buf, size_t len)
{
	char letters[8];
	size_t n = 0;
	unsigned long idx = i + 1UL;

	while (idx > 0) {
		idx--;
		letters[n++] = (char)('a' + idx % 26);
		idx /= 26;
	}
	snprintf(buf, len, "mpath");
	for (size_t k = 0; k < n; k++)
		buf[5 + k] = letters[n - 1 - k];
	buf[5 + n] = '\0';
}

static void write_bindings(const char *path, unsigned n)
{
	FILE *f = fopen(path, "w");
	char name[16], wwid[64];

	if (!f)
		die(path, -errno, NULL);
	fputs("# bench bindings\n", f);
	for (unsigned i = 0; i < n; i++) {
		name_of(i, name, sizeof(name));
		wwid_of(i, wwid, sizeof(wwid));
		fprintf(f, "%s %s\n", name, wwid);
	}
	fclose(f);
}

/* One new map named in a file of n - 1 bindings: the n-th map of a cold start. */
static double bench_bindings_one(const char *dir, unsigned n)
{
	char path[4096], wwid[64], *name = NULL;
	struct mp_parse_error e = {};
	double t0, best = 0;
	int r;

	snprintf(path, sizeof(path), "%s/bindings", dir);
	for (int round = 0; round < 3; round++) {
		write_bindings(path, n - 1);
		wwid_of(n - 1, wwid, sizeof(wwid));
		t0 = now_ms();
		r = mp_bindings_get_or_assign(path, wwid, &name, &e);
		t0 = now_ms() - t0;
		if (r != 1)
			die("mp_bindings_get_or_assign", r < 0 ? r : -EPROTO, &e);
		free(name);
		if (round == 0 || t0 < best)
			best = t0;
	}
	return best;
}

/* m new maps, each named by its own call, from an empty file: what a cold start did. */
static double bench_bindings_each(const char *dir, unsigned m)
{
	char path[4096], wwid[64], *name = NULL;
	struct mp_parse_error e = {};
	double t0;
	int r;

	snprintf(path, sizeof(path), "%s/bindings", dir);
	(void)unlink(path);
	t0 = now_ms();
	for (unsigned i = 0; i < m; i++) {
		wwid_of(i, wwid, sizeof(wwid));
		r = mp_bindings_get_or_assign(path, wwid, &name, &e);
		if (r != 1)
			die("mp_bindings_get_or_assign", r < 0 ? r : -EPROTO, &e);
		free(name);
	}
	return now_ms() - t0;
}

/* m new maps named by one call, from an empty file: what a cold start does now. */
static double bench_bindings_many(const char *dir, unsigned m)
{
	char path[4096], (*buf)[64] = calloc(m, sizeof(*buf));
	const char **wwids = calloc(m, sizeof(*wwids));
	char **names = calloc(m, sizeof(*names));
	struct mp_parse_error e = {};
	double t0;
	int r;

	if (!buf || !wwids || !names)
		die("calloc", -ENOMEM, NULL);
	snprintf(path, sizeof(path), "%s/bindings", dir);
	(void)unlink(path);
	for (unsigned i = 0; i < m; i++) {
		wwid_of(i, buf[i], sizeof(buf[i]));
		wwids[i] = buf[i];
	}
	t0 = now_ms();
	r = mp_bindings_get_or_assign_many(path, wwids, m, names, &e);
	t0 = now_ms() - t0;
	if (r != (int)m)
		die("mp_bindings_get_or_assign_many", r < 0 ? r : -EPROTO, &e);
	for (unsigned i = 0; i < m; i++)
		free(names[i]);
	free(names);
	free(wwids);
	free(buf);
	return t0;
}

static char *supported_text(unsigned n)
{
	size_t len = (size_t)n * 32 + 1;
	char *text = malloc(len), *p = text;

	if (!text)
		die("malloc", -ENOMEM, NULL);
	for (unsigned i = 0; i < n; i++)
		p += sprintf(p, "\"VEND%04xPROD%012x\"\n", i % 0x10000, i);
	return text;
}

static double bench_supported(struct mp_ctx *ctx, unsigned n)
{
	char *text = supported_text(n);
	struct mp_supported *list = NULL;
	struct mp_parse_error e = {};
	double t0, best = 0;
	int r;

	for (int round = 0; round < 3; round++) {
		t0 = now_ms();
		r = mp_supported_parse_string(ctx, text, "bench", &list, &e);
		t0 = now_ms() - t0;
		if (r < 0)
			die("mp_supported_parse_string", r, &e);
		if (mp_supported_count(list) != (int)n)
			die("mp_supported_count", -EPROTO, NULL);
		list = mp_supported_unref(list);
		if (round == 0 || t0 < best)
			best = t0;
	}
	free(text);
	return best;
}

static char *config_text(unsigned n)
{
	size_t len = (size_t)n * 96 + 64;
	char *text = malloc(len), *p = text;
	char wwid[64], name[16];

	if (!text)
		die("malloc", -ENOMEM, NULL);
	p += sprintf(p, "[Defaults]\nUserFriendlyNames=yes\n");
	for (unsigned i = 0; i < n; i++) {
		wwid_of(i, wwid, sizeof(wwid));
		name_of(i, name, sizeof(name));
		p += sprintf(p, "\n[Map]\nWWID=%s\nAlias=db-%s\n", wwid, name);
	}
	return text;
}

static double bench_config(struct mp_ctx *ctx, unsigned n, double *ret_resolve)
{
	char *text = config_text(n), wwid[64];
	struct mp_config *cfg = NULL;
	struct mp_parse_error e = {};
	struct mp_settings s;
	double t0, best = 0;
	int r;

	for (int round = 0; round < 3; round++) {
		t0 = now_ms();
		r = mp_config_parse_string(ctx, text, "bench", &cfg, &e);
		t0 = now_ms() - t0;
		if (r < 0)
			die("mp_config_parse_string", r, &e);
		if (round == 0 || t0 < best)
			best = t0;
		if (round < 2)
			cfg = mp_config_unref(cfg);
	}
	/* What a sync of every map does: resolve each map's settings by its WWID. */
	t0 = now_ms();
	for (unsigned i = 0; i < n; i++) {
		wwid_of(i, wwid, sizeof(wwid));
		r = mp_config_resolve(cfg, "LIO-ORG", "disk", wwid, 0, &s);
		if (r < 0 || !s.alias)
			die("mp_config_resolve", r < 0 ? r : -EPROTO, NULL);
	}
	*ret_resolve = now_ms() - t0;
	cfg = mp_config_unref(cfg);
	free(text);
	return best;
}

int main(int argc, char **argv)
{
	static const unsigned defaults[] = { 1024, 4096, 20000 };
	const char *dir = argc > 1 ? argv[1] : ".";
	struct mp_ctx *ctx = NULL;
	unsigned n_sizes = argc > 2 ? (unsigned)(argc - 2) : 3;
	int r;

	r = mp_ctx_new(&ctx);
	if (r < 0)
		die("mp_ctx_new", r, NULL);
	printf("%8s %14s %16s %16s %12s %12s %14s\n", "n", "bindings+1 ms", "n names, each",
	       "n names, 1 call", "supported ms", "config ms", "resolve all ms");
	for (unsigned k = 0; k < n_sizes; k++) {
		unsigned n = argc > 2 ? (unsigned)strtoul(argv[2 + k], NULL, 10) : defaults[k];
		double one = bench_bindings_one(dir, n), each = -1, many, sup, cfg, res;

		/* n calls of O(n) work and 2 fsyncs each: only where it ends in reasonable time */
		if (n <= 4096)
			each = bench_bindings_each(dir, n);
		many = bench_bindings_many(dir, n);
		sup = bench_supported(ctx, n);
		cfg = bench_config(ctx, n, &res);
		printf("%8u %14.2f %16.1f %16.1f %12.2f %12.2f %14.2f\n", n, one, each, many, sup, cfg,
		       res);
		fflush(stdout);
	}
	mp_ctx_unref(ctx);
	return 0;
}
