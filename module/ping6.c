// SPDX-License-Identifier: GPL-2.0
/*
 * ICMPv6 echo to anywhere, through the host, as ping.c does for IPv4: the
 * echo request leaves through ip6_local_out() with the guest's identifier,
 * sequence and payload (its identifier the flow's on the host, its
 * checksum recomputed for the host's source address); echo replies and the
 * errors that quote the request come back through the netns's one raw
 * ICMPv6 socket (icmp_sock.c), filtered to those types.
 */
#include <linux/icmpv6.h>
#include <net/addrconf.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "types.h"
#include "device.h"
#include "output.h"
#include "flow.h"
#include "services.h"
#include "proto.h"

/* Transmit path: the echo request, re-sourced from the host. */
static void unat_ping6_send(struct unat_flow *flow, struct sk_buff *skb)
{
	u8 hop_limit = unat_cb(skb)->ttl;
	unsigned int len = skb->len;
	struct icmp6hdr *h;
	struct flowi6 fl6;

	if (!unat_sock_route6(flow, skb, IPPROTO_ICMPV6, 0, 0, &fl6))
		return;
	h = (struct icmp6hdr *)skb->data;
	h->icmp6_identifier = flow->host_port;
	h->icmp6_cksum = 0;
	h->icmp6_cksum = csum_ipv6_magic(&fl6.saddr, &fl6.daddr, len,
					 IPPROTO_ICMPV6,
					 skb_checksum(skb, 0, len, 0));
	skb->ip_summed = CHECKSUM_NONE;
	unat_sock_ip_out6(flow, skb, &fl6, IPPROTO_ICMPV6, hop_limit);
	unat_flow_account(&flow->pkts_out, &flow->bytes_out, len);
}

/* Whether a received ICMPv6 message's checksum is wrong: checked only for
 * a flow's, so that the host's other ICMPv6 traffic costs no checksum here.
 */
static bool unat_ping6_csum_bad(struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);

	return csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, skb->len,
			       IPPROTO_ICMPV6,
			       skb_checksum(skb, 0, skb->len, 0));
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
	h->icmp6_identifier = key->gport;
	h->icmp6_cksum = 0;
	h->icmp6_cksum = unat_icmp6_csum(skb, &key->raddr.v6, &key->gaddr.v6);
	skb->ip_summed = CHECKSUM_NONE;
	unat_flow_account(&flow->pkts_in, &flow->bytes_in, skb->len);
	unat_flow_touch(flow);
	unat_deliver_ip6(flow->unat, skb, &key->raddr.v6, &key->gaddr.v6,
			 IPPROTO_ICMPV6);
}

/* Offset of the quoted echo request in an error. */
#define UNAT_PING6_QOFF	(sizeof(struct icmp6hdr) + sizeof(struct ipv6hdr))

/* The open echo flow an error quoting an echo request is for, or NULL. */
static struct unat_flow *unat_ping6_quoted(struct net *net,
					   struct sk_buff *skb)
{
	const struct icmp6hdr *qh;
	const struct ipv6hdr *q;
	union unat_addr raddr;

	if (!pskb_may_pull(skb, UNAT_PING6_QOFF + sizeof(*qh)))
		return NULL;
	q = (const struct ipv6hdr *)(skb->data + sizeof(struct icmp6hdr));
	qh = (const struct icmp6hdr *)(skb->data + UNAT_PING6_QOFF);
	if (q->nexthdr != IPPROTO_ICMPV6 ||
	    qh->icmp6_type != ICMPV6_ECHO_REQUEST)
		return NULL;
	raddr.v6 = q->daddr;
	return unat_icmp_sock_lookup(net, AF_INET6, &raddr,
				     qh->icmp6_identifier);
}

/*
 * One ICMPv6 message the netns's socket saw (skb->data at its header, the
 * IPv6 header before it): an echo flow's reply, an error quoting a flow's
 * request, or none of unat's business.  Softirq, RCU.  Consumes @skb.
 */
static void unat_ping6_rcv(struct net *net, struct sk_buff *skb)
{
	const struct icmp6hdr *h;
	union unat_addr raddr;
	struct unat_flow *flow;

	if (!pskb_may_pull(skb, sizeof(*h)))
		goto drop;
	h = (const struct icmp6hdr *)skb->data;
	if (h->icmp6_type == ICMPV6_ECHO_REPLY) {
		raddr.v6 = ipv6_hdr(skb)->saddr;
		flow = unat_icmp_sock_lookup(net, AF_INET6, &raddr,
					     h->icmp6_identifier);
		if (!flow || unat_ping6_csum_bad(skb))
			goto drop;
		unat_ping6_reply(flow, skb);
		return;
	}
	/* it pulls: the head may move, h is taken again after it */
	flow = unat_ping6_quoted(net, skb);
	if (flow && !unat_ping6_csum_bad(skb))
		unat_icmp6_relay_error(flow->unat, skb, sizeof(*h),
				       UNAT_PING6_QOFF,
				       (const struct icmp6hdr *)skb->data,
				       &flow->key);
drop:
	kfree_skb(skb);
}

static void unat_ping6_work(struct unat_flow *flow)
{
	unat_ping_open(flow, unat_ping6_rcv);
}

static const struct unat_flow_ops unat_ping6_flow_ops = {
	.work		= unat_ping6_work,
	.send		= unat_ping6_send,
	.release	= unat_ping_release,
};

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
	/* unat_ping6_send() computes the checksum anew */
	skb->ip_summed = CHECKSUM_NONE;
	cb = unat_cb(skb);
	memset(cb, 0, sizeof(*cb));
	cb->daddr6 = ip->daddr;
	cb->ttl = ip->hop_limit - 1;
	skb_pull(skb, ip->l4off);
	return unat_sock_out(ctx, &key, &unat_ping6_flow_ops,
			     UNAT_PING_TIMEOUT, skb, UNAT_STAT_ICMP_OUT);
}
