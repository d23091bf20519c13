// SPDX-License-Identifier: GPL-2.0
/*
 * ICMPv6 echo to anywhere, through the host, as ping.c does for IPv4: the
 * echo request leaves through ip6_local_out() with the guest's identifier,
 * sequence and payload (its checksum recomputed for the host's source
 * address); echo replies and the errors that quote the request come back
 * through a kernel raw ICMPv6 socket per flow, filtered to those types.
 */
#include <linux/icmpv6.h>
#include <net/addrconf.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "config.h"
#include "device.h"
#include "flow.h"
#include "icmp6.h"
#include "ipv6.h"
#include "ping.h"
#include "ping6.h"
#include "sock.h"

/* An echo request to @ip's destination, not the gateway's: a flow's. */
enum unat_stat unat_ping6_input(const struct unat_ctx *ctx,
				struct sk_buff *skb,
				const struct unat_ip6 *ip,
				struct sk_buff **reply)
{
	const struct icmp6hdr *h;
	struct unat_flow_key key;
	struct unat_skb_cb *cb;
	enum unat_stat ret;

	ret = unat_ipv6_outbound(ctx, skb, ip, false, reply);
	if (ret)
		return ret;

	h = (const struct icmp6hdr *)(skb->data + ip->l4off);
	unat_flow_key6(&key, IPPROTO_ICMPV6, UNAT_FLOW_KIND_NAT, &ip->saddr,
		       h->icmp6_identifier, &ip->daddr, h->icmp6_identifier);
	cb = unat_cb(skb);
	memset(cb, 0, sizeof(*cb));
	cb->daddr6 = ip->daddr;
	cb->ttl = ip->hop_limit - 1;
	skb_pull(skb, ip->l4off);
	return unat_sock_out(ctx, &key, UNAT_PING_TIMEOUT, skb,
			     UNAT_STAT_ICMP_OUT);
}

/* Transmit path: the echo request, re-sourced from the host. */
void unat_ping6_send(struct unat_flow *flow, struct sk_buff *skb)
{
	u8 hop_limit = unat_cb(skb)->ttl;
	unsigned int len = skb->len;
	struct icmp6hdr *h;
	struct flowi6 fl6;

	if (!unat_sock_route6(flow, skb, IPPROTO_ICMPV6, 0, 0, &fl6))
		return;
	h = (struct icmp6hdr *)skb->data;
	h->icmp6_cksum = 0;
	h->icmp6_cksum = csum_ipv6_magic(&fl6.saddr, &fl6.daddr, len,
					 IPPROTO_ICMPV6,
					 skb_checksum(skb, 0, len, 0));
	skb->ip_summed = CHECKSUM_NONE;
	unat_sock_ip_out6(flow, skb, &fl6, IPPROTO_ICMPV6, hop_limit);
	unat_flow_account(&flow->pkts_out, &flow->bytes_out, len);
}

/* An echo reply for the flow: to the guest, from the remote it pinged. */
static void unat_ping6_reply(struct unat_flow *flow, struct sk_buff *skb)
{
	const struct unat_flow_key *key = &flow->key;
	struct icmp6hdr *h;

	if (skb_ensure_writable(skb, sizeof(*h))) {
		kfree_skb(skb);
		return;
	}
	h = (struct icmp6hdr *)skb->data;
	h->icmp6_cksum = 0;
	h->icmp6_cksum = unat_icmp6_csum(skb, &key->raddr.v6, &key->gaddr.v6);
	skb->ip_summed = CHECKSUM_NONE;
	unat_flow_account(&flow->pkts_in, &flow->bytes_in, skb->len);
	unat_flow_touch(flow);
	unat_deliver_ip6(flow->unat, skb, &key->raddr.v6, &key->gaddr.v6,
			 IPPROTO_ICMPV6);
}

/* Offset of the quoted echo request in an error, which must be ours. */
#define UNAT_PING6_QOFF	(sizeof(struct icmp6hdr) + sizeof(struct ipv6hdr))

static bool unat_ping6_quotes_ours(struct unat_flow *flow, struct sk_buff *skb)
{
	const struct icmp6hdr *qh;
	const struct ipv6hdr *q;

	if (!pskb_may_pull(skb, UNAT_PING6_QOFF + sizeof(*qh)))
		return false;
	q = (const struct ipv6hdr *)(skb->data + sizeof(struct icmp6hdr));
	qh = (const struct icmp6hdr *)(skb->data + UNAT_PING6_QOFF);
	return q->nexthdr == IPPROTO_ICMPV6 &&
	       ipv6_addr_equal(&q->daddr, &flow->key.raddr.v6) &&
	       qh->icmp6_type == ICMPV6_ECHO_REQUEST &&
	       qh->icmp6_identifier == flow->key.rport;
}

/*
 * One ICMPv6 message the raw socket saw (skb->data at its header, the
 * IPv6 header before it): the flow's echo reply, an error quoting the
 * flow's request, or another flow's business.  Consumes @skb.
 */
static void unat_ping6_rcv(struct unat_flow *flow, struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h;
	const struct icmp6hdr *h;

	if (!pskb_may_pull(skb, sizeof(*h)))
		goto drop;
	ip6h = ipv6_hdr(skb);
	if (csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, skb->len,
			    IPPROTO_ICMPV6, skb_checksum(skb, 0, skb->len, 0)))
		goto drop;
	h = (const struct icmp6hdr *)skb->data;
	if (h->icmp6_type == ICMPV6_ECHO_REPLY) {
		if (!ipv6_addr_equal(&ip6h->saddr, &flow->key.raddr.v6) ||
		    h->icmp6_identifier != flow->key.rport)
			goto drop;
		unat_ping6_reply(flow, skb);
		return;
	}
	if (unat_ping6_quotes_ours(flow, skb))
		unat_icmp6_relay_error(flow->unat, skb, sizeof(*h),
				       UNAT_PING6_QOFF, h, &flow->key);
drop:
	kfree_skb(skb);
}

static void unat_ping6_data_ready(struct sock *sk)
{
	unat_ping_drain(sk, unat_ping6_rcv);
}

int unat_ping6_open(struct unat_flow *flow)
{
	static const u8 wanted[] = {
		ICMPV6_ECHO_REPLY, ICMPV6_DEST_UNREACH, ICMPV6_PKT_TOOBIG,
		ICMPV6_TIME_EXCEED, ICMPV6_PARAMPROB,
	};
	struct icmp6_filter *filter;
	struct socket *sock;
	int err, i;

	err = unat_sock_create(flow, AF_INET6, SOCK_RAW, IPPROTO_ICMPV6,
			       unat_ping6_data_ready, &sock);
	if (err)
		return err;
	/* a set bit blocks its type: only what can answer an echo request */
	filter = &raw6_sk(sock->sk)->filter;
	memset(filter, 0xff, sizeof(*filter));
	for (i = 0; i < ARRAY_SIZE(wanted); i++)
		filter->data[wanted[i] >> 5] &= ~(1U << (wanted[i] & 31));
	flow->host_port = flow->key.rport;
	unat_flow_opened(flow, sock);
	return 0;
}
