// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP echo to anywhere, through the host.  Kernel "ping" sockets check
 * net.ipv4.ping_group_range against the calling task, which a kworker
 * fails; so the echo request leaves through ip_local_out() as the guest
 * sent it (identifier, sequence, payload, checksum unchanged), and the
 * answers (echo replies and the errors that quote the request) come back
 * through a kernel raw ICMP socket per flow, filtered to those types.
 */
#include <linux/icmp.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/raw.h>
#include <net/route.h>
#include <net/sock.h>

#include "device.h"
#include "flow.h"
#include "icmp.h"
#include "ping.h"
#include "sock.h"

enum unat_stat unat_ping_input(const struct unat_ctx *ctx, struct sk_buff *skb,
			       const struct unat_ip4 *ip,
			       struct sk_buff **reply)
{
	const struct unat_config *cfg = ctx->cfg;
	struct unat_flow_key key;
	const struct icmphdr *icmph;
	struct unat_skb_cb *cb;

	if (!ctx->unat)
		return UNAT_STAT_DROP_UNSUPPORTED;
	if (cfg->restricted)
		return UNAT_STAT_DROP_RESTRICTED;
	if (unat_config_in_subnet(cfg, ip->daddr) ||
	    ipv4_is_multicast(ip->daddr) || ipv4_is_lbcast(ip->daddr) ||
	    ipv4_is_zeronet(ip->daddr))
		return UNAT_STAT_DROP_NOT_FOR_US;
	if (ip->saddr != cfg->guest)
		return UNAT_STAT_DROP_BAD_SOURCE;
	if (ip->l4len < sizeof(*icmph) ||
	    !pskb_may_pull(skb, ip->l4off + sizeof(*icmph)))
		return UNAT_STAT_DROP_MALFORMED;
	icmph = (const struct icmphdr *)(skb->data + ip->l4off);
	if (icmph->type != ICMP_ECHO || icmph->code)
		return UNAT_STAT_DROP_UNSUPPORTED;
	if (ip->ttl <= 1)
		return unat_icmp_ttl_exceeded(ctx, skb, ip, reply);

	unat_flow_key4(&key, IPPROTO_ICMP, UNAT_FLOW_KIND_NAT, ip->saddr,
		       icmph->un.echo.id, ip->daddr, icmph->un.echo.id);

	cb = unat_cb(skb);
	cb->daddr = ip->daddr;
	cb->dport = 0;
	cb->ttl = ip->ttl - 1;
	cb->tos = ip->tos;
	cb->df = ip->df;
	skb_pull(skb, ip->l4off);

	return unat_sock_out(ctx, &key, UNAT_PING_TIMEOUT, skb,
			     UNAT_STAT_ICMP_OUT);
}

/* Transmit path: the echo request, its ICMP message untouched. */
void unat_ping_send(struct unat_flow *flow, struct sk_buff *skb)
{
	unsigned int len = skb->len;
	struct unat_skb_cb cb;
	__be32 saddr;

	if (!unat_sock_route4(flow, skb, IPPROTO_ICMP, 0, 0, &cb, &saddr))
		return;
	unat_sock_ip_out4(flow, skb, &cb, saddr, IPPROTO_ICMP);
	unat_flow_account(&flow->pkts_out, &flow->bytes_out, len);
}

/* An echo reply for the flow: to the guest, from the remote it pinged. */
static void unat_ping_reply(struct unat_flow *flow, struct sk_buff *skb,
			    unsigned int ihl)
{
	const struct unat_config *cfg = rcu_dereference(flow->unat->config);
	__be32 from = flow->key.raddr.v4;

	skb_pull(skb, ihl);
	unat_flow_account(&flow->pkts_in, &flow->bytes_in, skb->len);
	unat_flow_touch(flow);
	unat_deliver_ip(flow->unat, skb,
			ipv4_is_loopback(from) ? cfg->gateway : from,
			flow->key.gaddr.v4, IPPROTO_ICMP);
}

/*
 * One ICMP message the raw socket saw (skb->data at its IPv4 header):
 * the flow's echo reply, an error quoting the flow's request, or another
 * flow's business.  Consumes @skb.
 */
static void unat_ping_rcv(struct unat_flow *flow, struct sk_buff *skb)
{
	const struct icmphdr *icmph, *qicmph;
	const struct iphdr *iph, *qiph;
	unsigned int ihl, qoff;

	if (!pskb_may_pull(skb, sizeof(*iph)))
		goto drop;
	ihl = ip_hdr(skb)->ihl * 4;
	if (!pskb_may_pull(skb, ihl + sizeof(*icmph)))
		goto drop;
	iph = ip_hdr(skb);
	icmph = (const struct icmphdr *)(skb->data + ihl);
	if (icmph->type == ICMP_ECHOREPLY) {
		if (iph->saddr != flow->key.raddr.v4 ||
		    icmph->un.echo.id != flow->key.rport)
			goto drop;
		unat_ping_reply(flow, skb, ihl);
		return;
	}
	/* an error: the quoted request must be ours */
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
	if (qiph->daddr != flow->key.raddr.v4 || qicmph->type != ICMP_ECHO ||
	    qicmph->un.echo.id != flow->key.rport)
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
 * A ping flow's raw socket has data (softirq): hand everything it queued
 * to @rcv while the flow is open and its device up, else drop it.
 */
void unat_ping_drain(struct sock *sk,
		     void (*rcv)(struct unat_flow *flow, struct sk_buff *skb))
{
	struct unat_flow *flow;
	struct sk_buff *skb;

	rcu_read_lock();
	flow = rcu_dereference_sk_user_data(sk);
	while ((skb = skb_dequeue(&sk->sk_receive_queue))) {
		if (flow && READ_ONCE(flow->state) == UNAT_FLOW_OPEN &&
		    netif_running(flow->unat->dev))
			rcv(flow, skb);
		else
			kfree_skb(skb);
	}
	rcu_read_unlock();
}

static void unat_ping_data_ready(struct sock *sk)
{
	unat_ping_drain(sk, unat_ping_rcv);
}

int unat_ping_open(struct unat_flow *flow)
{
	struct socket *sock;
	int err;

	err = unat_sock_create(flow, AF_INET, SOCK_RAW, IPPROTO_ICMP,
			       unat_ping_data_ready, &sock);
	if (err)
		return err;
	/* only what can answer an echo request */
	raw_sk(sock->sk)->filter.data = ~((1U << ICMP_ECHOREPLY) |
					  (1U << ICMP_DEST_UNREACH) |
					  (1U << ICMP_TIME_EXCEEDED) |
					  (1U << ICMP_PARAMETERPROB));
	flow->host_port = flow->key.rport;
	unat_flow_opened(flow, sock);
	return 0;
}

void unat_ping_release(struct unat_flow *flow)
{
	unat_sock_close(flow->sock);
	flow->sock = NULL;
}
