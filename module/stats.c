// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU event and drop counters.
 */
#include <kunit/visibility.h>
#include <linux/percpu.h>
#include <linux/string.h>

#include "types.h"

const char unat_stat_names[UNAT_STAT_MAX][32] = {
#define UNAT_STAT(name, str)[UNAT_STAT_##name] = str,
#include "stats_list.h"
#undef UNAT_STAT
};
EXPORT_SYMBOL_IF_KUNIT(unat_stat_names);

struct unat_pcpu_stats __percpu *unat_stats_alloc(void)
{
	struct unat_pcpu_stats __percpu *stats;
	int cpu;

	stats = alloc_percpu(struct unat_pcpu_stats);
	if (!stats)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats, cpu)->syncp);
	return stats;
}

void unat_stats_free(struct unat_pcpu_stats __percpu *stats)
{
	free_percpu(stats);
}

/* Caller has BH (or preemption) disabled, as ndo_start_xmit does. */
void unat_stats_inc(struct unat_pcpu_stats __percpu *stats, enum unat_stat s)
{
	struct unat_pcpu_stats *st = this_cpu_ptr(stats);

	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->cnt[s]);
	u64_stats_update_end(&st->syncp);
}

/* From process context. */
void unat_stats_inc_bh(struct unat_pcpu_stats __percpu *stats, enum unat_stat s)
{
	local_bh_disable();
	unat_stats_inc(stats, s);
	local_bh_enable();
}

void unat_stats_sum(struct unat_pcpu_stats __percpu *stats,
		    u64 out[UNAT_STAT_MAX])
{
	int cpu, i;

	memset(out, 0, sizeof(u64) * UNAT_STAT_MAX);
	for_each_possible_cpu(cpu) {
		const struct unat_pcpu_stats *st = per_cpu_ptr(stats, cpu);
		u64 snap[UNAT_STAT_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&st->syncp);
			for (i = 0; i < UNAT_STAT_MAX; i++)
				snap[i] = u64_stats_read(&st->cnt[i]);
		} while (u64_stats_fetch_retry(&st->syncp, start));
		for (i = 0; i < UNAT_STAT_MAX; i++)
			out[i] += snap[i];
	}
}
EXPORT_SYMBOL_IF_KUNIT(unat_stats_sum);
