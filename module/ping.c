// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP echo to anywhere, through the host.  Kernel "ping" sockets check
 * net.ipv4.ping_group_range against the calling task, which a kworker
 * fails; so the echo request leaves through ip_local_out() as the guest
 * sent it (sequence, payload unchanged; the identifier the flow's on the
 * host, icmp_sock.c), and the answers (echo replies and the errors that
 * quote the request) come back through the netns's one raw ICMP socket,
 * filtered to those types, to the flow the hash finds.
 */
#include <linux/icmp.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/raw.h>
#include <net/route.h>
#include <net/sock.h>

#include "device.h"
#include "output.h"
#include "flow.h"
#include "services.h"
#include "proto.h"

/* Transmit path: the echo request, its ICMP message untouched but for
 * the identifier, the flow's on the host.
 */
static void unat_ping_send(struct unat_flow *flow, struct sk_buff *skb)
{
	unsigned int len = skb->len;
	struct unat_skb_cb cb;
	struct icmphdr *icmph;
	__be32 saddr;

	if (!unat_sock_route4(flow, skb, IPPROTO_ICMP, 0, 0, &cb, &saddr))
		return;
	if (flow->host_port != flow->key.gport) {
		if (skb_ensure_writable(skb, sizeof(*icmph))) {
			kfree_skb(skb);
			return;
		}
		icmph = (struct icmphdr *)skb->data;
		csum_replace2(&icmph->checksum, icmph->un.echo.id,
			      flow->host_port);
		icmph->un.echo.id = flow->host_port;
	}
	unat_sock_ip_out4(flow, skb, &cb, saddr, IPPROTO_ICMP);
	unat_flow_account(&flow->pkts_out, &flow->bytes_out, len);
}

/* Put the guest's identifier back (the host's may differ), in place. */
static bool unat_ping_guest_id(struct unat_flow *flow, struct sk_buff *skb,
			       unsigned int off)
{
	struct icmphdr *icmph;

	if (flow->host_port == flow->key.gport)
		return true;
	if (skb_ensure_writable(skb, off + sizeof(*icmph)))
		return false;
	icmph = (struct icmphdr *)(skb->data + off);
	csum_replace2(&icmph->checksum, icmph->un.echo.id, flow->key.gport);
	icmph->un.echo.id = flow->key.gport;
	return true;
}

/* An echo reply for the flow: to the guest, from the remote it pinged. */
static void unat_ping_reply(struct unat_flow *flow, struct sk_buff *skb,
			    unsigned int ihl)
{
	const struct unat_config *cfg = rcu_dereference(flow->unat->config);
	__be32 from = flow->key.raddr.v4;

	if (!unat_ping_guest_id(flow, skb, ihl)) {
		kfree_skb(skb);
		return;
	}
	skb_pull(skb, ihl);
	unat_flow_account(&flow->pkts_in, &flow->bytes_in, skb->len);
	unat_flow_touch(flow);
	unat_deliver_ip(flow->unat, skb,
			ipv4_is_loopback(from) ? cfg->gateway : from,
			flow->key.gaddr.v4, IPPROTO_ICMP);
}

/*
 * One ICMP message the netns's socket saw (skb->data at its IPv4 header):
 * an echo flow's reply, an error quoting a flow's request, or none of
 * unat's business.  Softirq, RCU.  Consumes @skb.
 */
static void unat_ping_rcv(struct net *net, struct sk_buff *skb)
{
	const struct icmphdr *icmph, *qicmph;
	const struct iphdr *qiph;
	union unat_addr raddr = {};
	struct unat_flow *flow;
	unsigned int ihl, qoff;

	if (!pskb_may_pull(skb, sizeof(struct iphdr)))
		goto drop;
	ihl = ip_hdr(skb)->ihl * 4;
	if (!pskb_may_pull(skb, ihl + sizeof(*icmph)))
		goto drop;
	icmph = (const struct icmphdr *)(skb->data + ihl);
	if (icmph->type == ICMP_ECHOREPLY) {
		raddr.v4 = ip_hdr(skb)->saddr;
		flow = unat_icmp_sock_lookup(net, AF_INET, &raddr,
					     icmph->un.echo.id);
		if (!flow)
			goto drop;
		unat_ping_reply(flow, skb, ihl);
		return;
	}
	/* an error: the quoted request must be a flow's */
	qoff = ihl + sizeof(*icmph);
	if (!pskb_may_pull(skb, qoff + sizeof(*qiph)))
		goto drop;
	qiph = (const struct iphdr *)(skb->data + qoff);
	qoff += qiph->ihl * 4;
	if (qiph->protocol != IPPROTO_ICMP ||
	    !pskb_may_pull(skb, qoff + sizeof(*qicmph)))
		goto drop;
	qiph = (const struct iphdr *)(skb->data + ihl + sizeof(*icmph));
	qicmph = (const struct icmphdr *)(skb->data + qoff);
	if (qicmph->type != ICMP_ECHO)
		goto drop;
	raddr.v4 = qiph->daddr;
	flow = unat_icmp_sock_lookup(net, AF_INET, &raddr,
				     qicmph->un.echo.id);
	if (!flow)
		goto drop;
	icmph = (const struct icmphdr *)(skb->data + ihl);
	/* unat_icmp_relay_error() reads the quote from skb->data */
	skb_pull(skb, ihl + sizeof(*icmph));
	unat_icmp_relay_error(flow->unat, skb, ip_hdr(skb)->saddr,
			      icmph->type, icmph->code,
			      ntohs(icmph->un.frag.mtu), flow->key.gaddr.v4,
			      flow->key.gport, qiph->daddr, flow->key.rport,
			      IPPROTO_ICMP, skb->data + qoff - ihl -
			      sizeof(*icmph) + sizeof(*qicmph));
drop:
	kfree_skb(skb);
}

/*
 * unat_wq, both families' echo flows: a share of the netns's ICMP socket,
 * whose messages go to @rcv, or the flow fails.
 */
void unat_ping_open(struct unat_flow *flow,
		    void (*rcv)(struct net *net, struct sk_buff *skb))
{
	if (unat_icmp_sock_attach(flow, rcv))
		unat_flow_failed(flow);
	else
		unat_flow_opened(flow, flow->sock);
}

static void unat_ping_work(struct unat_flow *flow)
{
	unat_ping_open(flow, unat_ping_rcv);
}

/* Both families' echo flows: attached, they hold a share of the socket. */
void unat_ping_release(struct unat_flow *flow)
{
	if (flow->sock)
		unat_icmp_sock_detach(flow);
}

static const struct unat_flow_ops unat_ping_flow_ops = {
	.work		= unat_ping_work,
	.send		= unat_ping_send,
	.release	= unat_ping_release,
};

enum unat_stat unat_ping_input(const struct unat_ctx *ctx, struct sk_buff *skb,
			       const struct unat_ip4 *ip,
			       struct sk_buff **reply)
{
	const struct icmphdr *icmph;
	struct unat_flow_key key;
	struct unat_skb_cb *cb;
	enum unat_stat ret;
	bool to_host;

	if (!ctx->unat)
		return UNAT_STAT_DROP_UNSUPPORTED;
	if (ip->l4len < sizeof(*icmph) ||
	    !pskb_may_pull(skb, ip->l4off + sizeof(*icmph)))
		return UNAT_STAT_DROP_MALFORMED;
	icmph = (const struct icmphdr *)(skb->data + ip->l4off);
	if (icmph->type != ICMP_ECHO || icmph->code)
		return UNAT_STAT_DROP_UNSUPPORTED;
	/* the gateway's addresses answer echo themselves (icmp.c) */
	ret = unat_ipv4_outbound(ctx, skb, ip, &to_host, reply);
	if (ret)
		return ret;
	icmph = (const struct icmphdr *)(skb->data + ip->l4off);

	unat_flow_key4(&key, IPPROTO_ICMP, UNAT_FLOW_KIND_NAT, ip->saddr,
		       icmph->un.echo.id, ip->daddr, icmph->un.echo.id);
	/* the message leaves as the guest made it: its checksum too */
	if (unat_frame_csum_finish(skb, ip->l4off))
		return UNAT_STAT_DROP_NOMEM;

	cb = unat_cb(skb);
	cb->daddr = ip->daddr;
	cb->dport = 0;
	cb->ttl = ip->ttl - 1;
	cb->tos = ip->tos;
	cb->df = ip->df;
	skb_pull(skb, ip->l4off);

	return unat_sock_out(ctx, &key, &unat_ping_flow_ops,
			     UNAT_PING_TIMEOUT, skb, UNAT_STAT_ICMP_OUT);
}
