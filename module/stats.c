// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU event and drop counters.
 */
#include <kunit/visibility.h>
#include <linux/percpu.h>
#include <linux/string.h>

#include "stats.h"

const char unat_stat_names[UNAT_STAT_MAX][32] = {
	[UNAT_STAT_ARP_REPLY]		= "arp_replies",
	[UNAT_STAT_DHCP_OFFER]		= "dhcp_offers",
	[UNAT_STAT_DHCP_ACK]		= "dhcp_acks",
	[UNAT_STAT_DHCP_NAK]		= "dhcp_naks",
	[UNAT_STAT_DHCP_RELEASE]	= "dhcp_releases",
	[UNAT_STAT_DHCP_DECLINE]	= "dhcp_declines",
	[UNAT_STAT_DHCP_INFORM]		= "dhcp_informs",
	[UNAT_STAT_ICMP_ECHO_REPLY]	= "icmp_echo_replies",
	[UNAT_STAT_ICMP_ERROR]		= "icmp_errors_to_guest",
	[UNAT_STAT_DNS_FAILOVER]	= "dns_failovers",
	[UNAT_STAT_TCP_SYN]		= "tcp_syns",
	[UNAT_STAT_TCP_RESET]		= "tcp_resets_to_guest",
	[UNAT_STAT_TCP_RETRANSMIT]	= "tcp_retransmits_to_guest",
	[UNAT_STAT_TCP_CONNECT_EVICTED]	= "tcp_connects_evicted",
	[UNAT_STAT_GSO_FROM_GUEST]	= "gso_frames_from_guest",
	[UNAT_STAT_FRAGMENT_REASSEMBLED] = "fragments_reassembled",
	[UNAT_STAT_GSO_TO_GUEST]	= "gso_frames_to_guest",
	[UNAT_STAT_FWD_TCP_ACCEPT]	= "fwd_tcp_accepted",
	[UNAT_STAT_FWD_UDP_IN]		= "fwd_udp_in",
	[UNAT_STAT_NDP_NA]		= "ndp_na_sent",
	[UNAT_STAT_NDP_RA]		= "ndp_ra_sent",
	[UNAT_STAT_ICMP6_ECHO_REPLY]	= "icmp6_echo_reply",
	[UNAT_STAT_DHCP6_ADVERTISE]	= "dhcp6_advertise",
	[UNAT_STAT_DHCP6_REPLY]		= "dhcp6_reply",
	[UNAT_STAT_UDP_OUT]		= "udp_out",
	[UNAT_STAT_DNS_QUERY]		= "dns_queries",
	[UNAT_STAT_ICMP_OUT]		= "icmp_out",
	[UNAT_STAT_FRAGMENT_HELD]	= "fragments_held",
	[UNAT_STAT_TCP_IN]		= "tcp_segments_out",
	[UNAT_STAT_DROP_MALFORMED]	= "drop_malformed",
	[UNAT_STAT_DROP_BAD_CSUM]	= "drop_bad_checksum",
	[UNAT_STAT_DROP_BAD_OFFLOAD]	= "drop_bad_offload",
	[UNAT_STAT_DROP_UNSUPPORTED]	= "drop_unsupported",
	[UNAT_STAT_DROP_NOT_FOR_US]	= "drop_not_for_gateway",
	[UNAT_STAT_DROP_BAD_SOURCE]	= "drop_bad_source",
	[UNAT_STAT_DROP_FRAGMENT]	= "drop_fragment",
	[UNAT_STAT_DROP_FRAGMENT_INVALID] = "drop_fragment_invalid",
	[UNAT_STAT_DROP_NOMEM]		= "drop_nomem",
	[UNAT_STAT_DROP_ARP_IGNORED]	= "drop_arp_ignored",
	[UNAT_STAT_DROP_DHCP_IGNORED]	= "drop_dhcp_ignored",
	[UNAT_STAT_DROP_DHCP_NO_ADDRESS] = "drop_dhcp_no_address",
	[UNAT_STAT_DROP_DELIVER]	= "drop_deliver",
	[UNAT_STAT_DROP_RESTRICTED]	= "drop_restricted",
	[UNAT_STAT_DROP_FLOW_LIMIT]	= "drop_flow_limit",
	[UNAT_STAT_DROP_FLOW_BUSY]	= "drop_flow_busy",
	[UNAT_STAT_DROP_PORT_SHARE]	= "drop_port_share",
	[UNAT_STAT_DROP_NO_ROUTE]	= "drop_no_route",
	[UNAT_STAT_DROP_HOST_REFUSED]	= "drop_host_refused",
	[UNAT_STAT_DROP_DNS_NO_UPSTREAM] = "drop_dns_no_upstream",
	[UNAT_STAT_DROP_DNS_TOO_LARGE]	= "drop_dns_too_large",
	[UNAT_STAT_DROP_NO_GUEST]	= "drop_no_guest_mac",
	[UNAT_STAT_DROP_TCP_STATE]	= "drop_tcp_state",
	[UNAT_STAT_DROP_TCP_BACKLOG]	= "drop_tcp_backlog",
	[UNAT_STAT_DROP_FWD]		= "drop_fwd_refused",
	[UNAT_STAT_DROP_NDP_IGNORED]	= "drop_ndp_ignored",
	[UNAT_STAT_DROP_IPV6_OFF]	= "drop_ipv6_off",
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
