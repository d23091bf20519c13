/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_STATS_H
#define _UNAT_STATS_H

#include <linux/types.h>
#include <linux/u64_stats_sync.h>

struct net_device;

/*
 * Per-device event and drop counters, listed in stats_list.h.  Every guest
 * frame ends in exactly one of these; the frame handlers return the index.
 * Counters run from UNAT_STAT_FIRST to UNAT_STAT_MAX - 1.
 */
enum unat_stat {
	UNAT_STAT_OK,		/* not a counter: "go on" from parsers */
#define UNAT_STAT(name, ...)	UNAT_STAT_##name,
#include "stats_list.h"
#undef UNAT_STAT
	UNAT_STAT_MAX,
	/* the first of each part of the list */
	UNAT_STAT_FIRST = UNAT_STAT_ARP_REPLY,
	UNAT_STAT_FIRST_CONSUMED = UNAT_STAT_UDP_OUT,
	UNAT_STAT_FIRST_DROP = UNAT_STAT_DROP_MALFORMED,
};

static inline bool unat_stat_is_drop(enum unat_stat s)
{
	return s >= UNAT_STAT_FIRST_DROP;
}

/* The handler kept the frame (queued or sent it on). */
static inline bool unat_stat_consumed(enum unat_stat s)
{
	return s >= UNAT_STAT_FIRST_CONSUMED && s < UNAT_STAT_FIRST_DROP;
}

/* Written only by the local CPU with BH disabled; read by any. */
struct unat_pcpu_stats {
	u64_stats_t cnt[UNAT_STAT_MAX];
	struct u64_stats_sync syncp;
};

extern const char unat_stat_names[UNAT_STAT_MAX][32];

struct unat_pcpu_stats __percpu *unat_stats_alloc(void);
void unat_stats_free(struct unat_pcpu_stats __percpu *stats);
void unat_stats_inc(struct unat_pcpu_stats __percpu *stats, enum unat_stat s);
void unat_stats_inc_bh(struct unat_pcpu_stats __percpu *stats,
		       enum unat_stat s);
void unat_stats_sum(struct unat_pcpu_stats __percpu *stats,
		    u64 out[UNAT_STAT_MAX]);

#endif /* _UNAT_STATS_H */
