// SPDX-License-Identifier: GPL-2.0
/*
 * mpio-ps-io-affinity.c - the io-affinity path selector of dm-mpio.
 *
 * Each path names the CPUs it serves; an I/O submitted on a CPU goes to the
 * path that serves that CPU (the first one in table order if several do).
 * When that path is unusable, or no path serves the CPU, the I/O goes to a
 * usable path that serves a CPU of the same NUMA node, else to any usable
 * path. The CPU-to-path map is built by the constructor and never changes,
 * so selection is a plain array lookup.
 *
 * Selector arguments: none.
 * Per-path arguments: <cpumask> (mandatory, hex as in /proc/irq/x/smp_affinity).
 * Per-path INFO status: <map_misses>, the I/Os this path received for a
 * CPU it does not serve (in a group of several paths: the target does not
 * consult the selector of a single-path group).
 */
#include <linux/cpumask.h>
#include <linux/slab.h>
#include <linux/topology.h>

#include "mpio.h"

struct ioa_group {
	struct mpio_path **cpu_map;	/* nr_cpu_ids entries */
};

struct ioa_path {
	cpumask_var_t cpus;
	atomic_t map_misses;
};

static int ioa_create(struct mpio_group *pg, unsigned int argc, char **argv,
		      char **error)
{
	struct ioa_group *s = pg->ps_ctx;

	if (argc) {
		*error = (char *)pg->ps_type->msg[MPIO_PS_MSG_NO_ARGS];
		return -EINVAL;
	}
	s->cpu_map = kcalloc(nr_cpu_ids, sizeof(*s->cpu_map), GFP_KERNEL);
	if (!s->cpu_map) {
		*error = "io-affinity: out of memory";
		return -ENOMEM;
	}
	return 0;
}

static void ioa_destroy(struct mpio_group *pg)
{
	struct ioa_group *s = pg->ps_ctx;
	unsigned int i;

	for (i = 0; i < pg->nr_paths; i++) {
		struct ioa_path *pi = pg->paths[i]->ps_ctx;

		free_cpumask_var(pi->cpus);
	}
	kfree(s->cpu_map);
}

static int ioa_add_path(struct mpio_group *pg, struct mpio_path *p,
			unsigned int argc, char **argv, char **error)
{
	struct ioa_group *s = pg->ps_ctx;
	struct ioa_path *pi = p->ps_ctx;
	unsigned int cpu;

	if (argc != 1) {
		*error = "io-affinity: each path needs exactly one cpumask";
		return -EINVAL;
	}
	if (!zalloc_cpumask_var(&pi->cpus, GFP_KERNEL)) {
		*error = "io-affinity: out of memory";
		return -ENOMEM;
	}
	if (cpumask_parse(argv[0], pi->cpus) || cpumask_empty(pi->cpus)) {
		*error = "io-affinity: invalid cpumask";
		free_cpumask_var(pi->cpus);
		return -EINVAL;
	}

	/*
	 * cpu_map has nr_cpu_ids entries. No CPU at or above that can exist,
	 * and depending on the kernel, cpumask_parse() or for_each_cpu()
	 * already keeps such bits out; do not rely on either.
	 */
	for_each_cpu(cpu, pi->cpus) {
		if (cpu >= nr_cpu_ids)
			break;
		if (!s->cpu_map[cpu])
			s->cpu_map[cpu] = p;
	}
	return 0;
}

static struct mpio_path *ioa_select_path(struct mpio_group *pg,
					 size_t nr_bytes)
{
	struct ioa_group *s = pg->ps_ctx;
	unsigned int cpu = raw_smp_processor_id();
	unsigned int i, n = pg->nr_paths, start;
	const struct cpumask *node_cpus;
	struct mpio_path *p = s->cpu_map[cpu];
	struct ioa_path *pi;

	if (likely(p && mpio_path_usable(p)))
		return p;

	start = mpio_ps_cpu_start(pg);
	node_cpus = cpumask_of_node(cpu_to_node(cpu));
	for (i = 0; i < n; i++) {
		p = pg->paths[(start + i) % n];
		pi = p->ps_ctx;
		if (mpio_path_usable(p) && cpumask_intersects(pi->cpus, node_cpus))
			goto miss;
	}
	p = mpio_ps_first_usable(pg, start);
	if (!p)
		return NULL;
miss:
	pi = p->ps_ctx;
	atomic_inc(&pi->map_misses);
	return p;
}

static unsigned int ioa_status(struct mpio_group *pg, struct mpio_path *p,
			       status_type_t type, char *result,
			       unsigned int maxlen)
{
	struct ioa_path *pi = p->ps_ctx;
	unsigned int sz = 0;

	switch (type) {
	case STATUSTYPE_INFO:
		DMEMIT("%d ", atomic_read(&pi->map_misses));
		break;
	case STATUSTYPE_TABLE:
		DMEMIT("%*pb ", cpumask_pr_args(pi->cpus));
		break;
	case STATUSTYPE_IMA:
		DMEMIT("cpumask=%*pb map_misses=%d", cpumask_pr_args(pi->cpus),
		       atomic_read(&pi->map_misses));
		break;
	}
	return sz;
}

struct mpio_ps_type mpio_ps_io_affinity = {
	.name = "io-affinity",
	.table_args = 1,
	.info_args = 1,
	.max_path_args = UINT_MAX,	/* ioa_add_path() wants exactly one */
	.group_size = sizeof(struct ioa_group),
	.path_size = sizeof(struct ioa_path),
	.create = ioa_create,
	.destroy = ioa_destroy,
	.add_path = ioa_add_path,
	.select_path = ioa_select_path,
	.status = ioa_status,
};
