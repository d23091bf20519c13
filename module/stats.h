/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_STATS_H
#define _UNAT_STATS_H

#include <linux/types.h>
#include <linux/u64_stats_sync.h>

struct net_device;

/*
 * Per-device event and drop counters, shown by `ethtool -S` and the genl
 * dump under the names given here (stable: scripts read them).  Every
 * guest frame ends in exactly one of these; the frame handlers return the
 * index.  Counters run from UNAT_STAT_FIRST to UNAT_STAT_MAX - 1: events,
 * then events that hand the frame on, then drops.
 */
/* events: the frame was handled */
#define UNAT_STATS_EVENTS(X) \
	X(ARP_REPLY, "arp_replies") \
	X(DHCP_OFFER, "dhcp_offers") \
	X(DHCP_ACK, "dhcp_acks") \
	X(DHCP_NAK, "dhcp_naks") \
	X(DHCP_RELEASE, "dhcp_releases") \
	X(DHCP_DECLINE, "dhcp_declines") \
	X(DHCP_INFORM, "dhcp_informs") \
	X(ICMP_ECHO_REPLY, "icmp_echo_replies") \
	X(ICMP_ERROR, "icmp_errors_to_guest") \
	X(DNS_FAILOVER, "dns_failovers") \
	X(TCP_SYN, "tcp_syns") \
	X(TCP_RESET, "tcp_resets_to_guest") \
	X(TCP_RETRANSMIT, "tcp_retransmits_to_guest") \
	X(TCP_CONNECT_EVICTED, "tcp_connects_evicted") \
	X(GSO_FROM_GUEST, "gso_frames_from_guest") \
	X(FRAGMENT_REASSEMBLED, "fragments_reassembled") \
	X(GSO_TO_GUEST, "gso_frames_to_guest") \
	X(FWD_TCP_ACCEPT, "fwd_tcp_accepted") \
	X(FWD_UDP_IN, "fwd_udp_in") \
	X(NDP_NA, "ndp_na_sent") \
	X(NDP_RA, "ndp_ra_sent") \
	X(ICMP6_ECHO_REPLY, "icmp6_echo_reply") \
	X(DHCP6_ADVERTISE, "dhcp6_advertise") \
	X(DHCP6_REPLY, "dhcp6_reply")

/* events that hand the frame on (consumed) */
#define UNAT_STATS_CONSUMED(X) \
	X(UDP_OUT, "udp_out") \
	X(DNS_QUERY, "dns_queries") \
	X(ICMP_OUT, "icmp_out") \
	X(FRAGMENT_HELD, "fragments_held") \
	X(TCP_SEGMENT_OUT, "tcp_segments_out")

/* drops: the frame was counted and freed */
#define UNAT_STATS_DROPS(X) \
	X(DROP_MALFORMED, "drop_malformed") \
	X(DROP_BAD_CSUM, "drop_bad_checksum") \
	X(DROP_BAD_OFFLOAD, "drop_bad_offload") \
	X(DROP_UNSUPPORTED, "drop_unsupported") \
	X(DROP_NOT_FOR_GATEWAY, "drop_not_for_gateway") \
	X(DROP_BAD_SOURCE, "drop_bad_source") \
	X(DROP_FRAGMENT, "drop_fragment") \
	X(DROP_FRAGMENT_INVALID, "drop_fragment_invalid") \
	X(DROP_NOMEM, "drop_nomem") \
	X(DROP_ARP_IGNORED, "drop_arp_ignored") \
	X(DROP_DHCP_IGNORED, "drop_dhcp_ignored") \
	X(DROP_DHCP_NO_ADDRESS, "drop_dhcp_no_address") \
	X(DROP_DELIVER, "drop_deliver") \
	X(DROP_RESTRICTED, "drop_restricted") \
	X(DROP_FLOW_LIMIT, "drop_flow_limit") \
	X(DROP_FLOW_BUSY, "drop_flow_busy") \
	X(DROP_PORT_SHARE, "drop_port_share") \
	X(DROP_NO_ROUTE, "drop_no_route") \
	X(DROP_HOST_REFUSED, "drop_host_refused") \
	X(DROP_DNS_NO_UPSTREAM, "drop_dns_no_upstream") \
	X(DROP_DNS_TOO_LARGE, "drop_dns_too_large") \
	X(DROP_NO_GUEST_MAC, "drop_no_guest_mac") \
	X(DROP_TCP_STATE, "drop_tcp_state") \
	X(DROP_TCP_BACKLOG, "drop_tcp_backlog") \
	X(DROP_FWD_REFUSED, "drop_fwd_refused") \
	X(DROP_NDP_IGNORED, "drop_ndp_ignored") \
	X(DROP_IPV6_OFF, "drop_ipv6_off")

#define UNAT_STAT_ENUM(name, str)	UNAT_STAT_##name,
#define UNAT_STAT_ONE(name, str)	+ 1

enum unat_stat {
	UNAT_STAT_OK,		/* not a counter: "go on" from parsers */
	UNAT_STATS_EVENTS(UNAT_STAT_ENUM)
	UNAT_STATS_CONSUMED(UNAT_STAT_ENUM)
	UNAT_STATS_DROPS(UNAT_STAT_ENUM)
	UNAT_STAT_MAX,
	/* where each part of the list starts */
	UNAT_STAT_FIRST = UNAT_STAT_OK + 1,
	UNAT_STAT_FIRST_CONSUMED = UNAT_STAT_FIRST
		UNAT_STATS_EVENTS(UNAT_STAT_ONE),
	UNAT_STAT_FIRST_DROP = UNAT_STAT_FIRST_CONSUMED
		UNAT_STATS_CONSUMED(UNAT_STAT_ONE),
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
