/* SPDX-License-Identifier: GPL-2.0 */
/*
 * unat's counters, in the order `ethtool -S` and the genl dump show them,
 * with their names there (stable: scripts read them).  Included by
 * types.h and stats.c with UNAT_STAT(name, string) defined; no guard.
 * Three parts: events, events that hand the frame on, drops; types.h names
 * the first counter of each.
 */

/* events: the frame was handled */
UNAT_STAT(ARP_REPLY, "arp_replies")
UNAT_STAT(DHCP_OFFER, "dhcp_offers")
UNAT_STAT(DHCP_ACK, "dhcp_acks")
UNAT_STAT(DHCP_NAK, "dhcp_naks")
UNAT_STAT(DHCP_RELEASE, "dhcp_releases")
UNAT_STAT(DHCP_DECLINE, "dhcp_declines")
UNAT_STAT(DHCP_INFORM, "dhcp_informs")
UNAT_STAT(ICMP_ECHO_REPLY, "icmp_echo_replies")
UNAT_STAT(ICMP_ERROR, "icmp_errors_to_guest")
UNAT_STAT(DNS_FAILOVER, "dns_failovers")
UNAT_STAT(TCP_SYN, "tcp_syns")
UNAT_STAT(TCP_RESET, "tcp_resets_to_guest")
UNAT_STAT(TCP_RETRANSMIT, "tcp_retransmits_to_guest")
UNAT_STAT(TCP_CONNECT_EVICTED, "tcp_connects_evicted")
UNAT_STAT(TCP_GUEST_AHEAD, "tcp_guest_segments_ahead")
UNAT_STAT(TCP_GUEST_REFUSED, "tcp_guest_data_refused")
UNAT_STAT(GSO_FROM_GUEST, "gso_frames_from_guest")
UNAT_STAT(FRAGMENT_REASSEMBLED, "fragments_reassembled")
UNAT_STAT(GSO_TO_GUEST, "gso_frames_to_guest")
UNAT_STAT(FWD_TCP_ACCEPT, "fwd_tcp_accepted")
UNAT_STAT(FWD_UDP_IN, "fwd_udp_in")
UNAT_STAT(NDP_NA, "ndp_na_sent")
UNAT_STAT(NDP_RA, "ndp_ra_sent")
UNAT_STAT(ICMP6_ECHO_REPLY, "icmp6_echo_reply")
UNAT_STAT(DHCP6_ADVERTISE, "dhcp6_advertise")
UNAT_STAT(DHCP6_REPLY, "dhcp6_reply")

/* events that hand the frame on (consumed) */
UNAT_STAT(UDP_OUT, "udp_out")
UNAT_STAT(DNS_QUERY, "dns_queries")
UNAT_STAT(ICMP_OUT, "icmp_out")
UNAT_STAT(FRAGMENT_HELD, "fragments_held")
UNAT_STAT(TCP_SEGMENT_OUT, "tcp_segments_out")

/* drops: the frame was counted and freed */
UNAT_STAT(DROP_MALFORMED, "drop_malformed")
UNAT_STAT(DROP_BAD_CSUM, "drop_bad_checksum")
UNAT_STAT(DROP_BAD_OFFLOAD, "drop_bad_offload")
UNAT_STAT(DROP_UNSUPPORTED, "drop_unsupported")
UNAT_STAT(DROP_NOT_FOR_GATEWAY, "drop_not_for_gateway")
UNAT_STAT(DROP_BAD_SOURCE, "drop_bad_source")
UNAT_STAT(DROP_FRAGMENT, "drop_fragment")
UNAT_STAT(DROP_FRAGMENT_INVALID, "drop_fragment_invalid")
UNAT_STAT(DROP_NOMEM, "drop_nomem")
UNAT_STAT(DROP_ARP_IGNORED, "drop_arp_ignored")
UNAT_STAT(DROP_DHCP_IGNORED, "drop_dhcp_ignored")
UNAT_STAT(DROP_DHCP_NO_ADDRESS, "drop_dhcp_no_address")
UNAT_STAT(DROP_DELIVER, "drop_deliver")
UNAT_STAT(DROP_RESTRICTED, "drop_restricted")
UNAT_STAT(DROP_FLOW_LIMIT, "drop_flow_limit")
UNAT_STAT(DROP_FLOW_BUSY, "drop_flow_busy")
UNAT_STAT(DROP_PORT_SHARE, "drop_port_share")
UNAT_STAT(DROP_NO_ROUTE, "drop_no_route")
UNAT_STAT(DROP_HOST_REFUSED, "drop_host_refused")
UNAT_STAT(DROP_DNS_NO_UPSTREAM, "drop_dns_no_upstream")
UNAT_STAT(DROP_DNS_TOO_LARGE, "drop_dns_too_large")
UNAT_STAT(DROP_NO_GUEST_MAC, "drop_no_guest_mac")
UNAT_STAT(DROP_TCP_STATE, "drop_tcp_state")
UNAT_STAT(DROP_TCP_BACKLOG, "drop_tcp_backlog")
UNAT_STAT(DROP_QUEUE_LIMIT, "drop_queue_limit")
UNAT_STAT(DROP_FWD_REFUSED, "drop_fwd_refused")
UNAT_STAT(DROP_NDP_IGNORED, "drop_ndp_ignored")
UNAT_STAT(DROP_IPV6_OFF, "drop_ipv6_off")
