/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_STATS_H
#define _UNAT_STATS_H

#include <linux/types.h>
#include <linux/u64_stats_sync.h>

struct net_device;

/*
 * Per-device event and drop counters, shown by `ethtool -S`.  Every guest
 * frame ends in exactly one of these; the frame handlers return the index.
 * Keep unat_stat_names[] in stats.c in the same order.  Counters run from
 * UNAT_STAT_FIRST to UNAT_STAT_MAX - 1.
 */
enum unat_stat {
	UNAT_STAT_OK,		/* not a counter: "go on" from parsers */
	/* events: the frame was handled */
	UNAT_STAT_FIRST,
	UNAT_STAT_ARP_REPLY = UNAT_STAT_FIRST,
	UNAT_STAT_DHCP_OFFER,
	UNAT_STAT_DHCP_ACK,
	UNAT_STAT_DHCP_NAK,
	UNAT_STAT_DHCP_RELEASE,
	UNAT_STAT_DHCP_DECLINE,
	UNAT_STAT_DHCP_INFORM,
	UNAT_STAT_ICMP_ECHO_REPLY,
	UNAT_STAT_ICMP_ERROR,
	UNAT_STAT_DNS_FAILOVER,
	UNAT_STAT_TCP_SYN,
	UNAT_STAT_TCP_RESET,
	UNAT_STAT_TCP_RETRANSMIT,
	UNAT_STAT_TCP_CONNECT_EVICTED,
	UNAT_STAT_GSO_FROM_GUEST,
	UNAT_STAT_FRAGMENT_REASSEMBLED,
	UNAT_STAT_GSO_TO_GUEST,
	UNAT_STAT_FWD_TCP_ACCEPT,
	UNAT_STAT_FWD_UDP_IN,
	UNAT_STAT_NDP_NA,
	UNAT_STAT_NDP_RA,
	UNAT_STAT_ICMP6_ECHO_REPLY,
	UNAT_STAT_DHCP6_ADVERTISE,
	UNAT_STAT_DHCP6_REPLY,
	/* events that hand the frame on (consumed) */
	UNAT_STAT_FIRST_CONSUMED,
	UNAT_STAT_UDP_OUT = UNAT_STAT_FIRST_CONSUMED,
	UNAT_STAT_DNS_QUERY,
	UNAT_STAT_ICMP_OUT,
	UNAT_STAT_FRAGMENT_HELD,
	UNAT_STAT_TCP_IN,
	/* drops: the frame was counted and freed */
	UNAT_STAT_FIRST_DROP,
	UNAT_STAT_DROP_MALFORMED = UNAT_STAT_FIRST_DROP,
	UNAT_STAT_DROP_BAD_CSUM,
	UNAT_STAT_DROP_BAD_OFFLOAD,
	UNAT_STAT_DROP_UNSUPPORTED,
	UNAT_STAT_DROP_NOT_FOR_US,
	UNAT_STAT_DROP_BAD_SOURCE,
	UNAT_STAT_DROP_FRAGMENT,
	UNAT_STAT_DROP_FRAGMENT_INVALID,
	UNAT_STAT_DROP_NOMEM,
	UNAT_STAT_DROP_ARP_IGNORED,
	UNAT_STAT_DROP_DHCP_IGNORED,
	UNAT_STAT_DROP_DHCP_NO_ADDRESS,
	UNAT_STAT_DROP_DELIVER,
	UNAT_STAT_DROP_RESTRICTED,
	UNAT_STAT_DROP_FLOW_LIMIT,
	UNAT_STAT_DROP_FLOW_BUSY,
	UNAT_STAT_DROP_PORT_SHARE,
	UNAT_STAT_DROP_NO_ROUTE,
	UNAT_STAT_DROP_HOST_REFUSED,
	UNAT_STAT_DROP_DNS_NO_UPSTREAM,
	UNAT_STAT_DROP_DNS_TOO_LARGE,
	UNAT_STAT_DROP_NO_GUEST,
	UNAT_STAT_DROP_TCP_STATE,
	UNAT_STAT_DROP_TCP_BACKLOG,
	UNAT_STAT_DROP_FWD,
	UNAT_STAT_DROP_NDP_IGNORED,
	UNAT_STAT_DROP_IPV6_OFF,
	UNAT_STAT_MAX
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
