// SPDX-License-Identifier: GPL-2.0
/*
 * UDP over IPv6 through host sockets, as udp.c does over IPv4: one kernel
 * UDP socket (IPv6 only) in the creating netns per guest (address, port),
 * whatever the remote (endpoint-independent mapping and filtering).  The
 * payload leaves through ip6_local_out() from the transmit path, never
 * copied; datagrams from anyone come back through encap_rcv and are
 * re-addressed in place; ICMPv6 errors about them are relayed.
 */
#include <linux/icmpv6.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>

#include "config.h"
#include "device.h"
#include "flow.h"
#include "fwd.h"
#include "guest.h"
#include "icmp6.h"
#include "output.h"
#include "policy.h"
#include "sock.h"
#include "udp.h"
#include "udp6.h"

/*
 * Strip a guest datagram down to its payload, what it needs to leave in
 * its unat_skb_cb: to @daddr:@dport, the hop limit less the gateway's.  A
 * checksum left unfinished inside the payload is finished first.  Returns
 * OK, or the drop counter.
 */
static enum unat_stat unat_udp6_strip(struct sk_buff *skb,
				      const struct unat_ip6 *ip,
				      const struct in6_addr *daddr,
				      __be16 dport)
{
	struct unat_skb_cb *cb;

	if (unat_frame_csum_finish(skb, ip->l4off + sizeof(struct udphdr)))
		return UNAT_STAT_DROP_NOMEM;
	cb = unat_cb(skb);
	memset(cb, 0, sizeof(*cb));
	cb->daddr6 = *daddr;
	cb->dport = dport;
	cb->ttl = ip->hop_limit - 1;
	skb_pull(skb, ip->l4off + sizeof(struct udphdr));
	return UNAT_STAT_OK;
}

/*
 * The guest's answer to a client of an IPv6 UDP forward: out of the
 * forward's socket, to the client as it really is.  Consumes @skb unless a
 * drop counter is returned.
 */
static enum unat_stat unat_udp6_fwd_out(const struct unat_ctx *ctx,
					struct unat_flow *flow,
					struct sk_buff *skb,
					const struct unat_ip6 *ip,
					struct sk_buff **reply)
{
	/* pairs with smp_store_release() in unat_flow_opened() */
	if (smp_load_acquire(&flow->state) != UNAT_FLOW_OPEN)
		return UNAT_STAT_DROP_FWD_REFUSED;
	if (ip->hop_limit <= 1)
		return unat_icmp6_hop_exceeded(ctx, skb, ip, reply);
	if (unat_udp6_strip(skb, ip, &flow->dst.v6, flow->dst_port))
		return UNAT_STAT_DROP_NOMEM;
	unat_flow_touch(flow);
	unat_udp6_send(flow, skb);
	return UNAT_STAT_UDP_OUT;
}

/*
 * A datagram from the guest to anywhere but the gateway's own services:
 * find or make its flow, strip the headers, and send or queue the payload.
 * The gateway's address reaches the host's ::1 (hostloop).  Consumes @skb
 * unless a drop counter is returned.
 */
enum unat_stat unat_udp6_input(const struct unat_ctx *ctx,
			       struct sk_buff *skb,
			       const struct unat_ip6 *ip,
			       struct sk_buff **reply)
{
	const struct udphdr *uh = (const struct udphdr *)(skb->data + ip->l4off);
	const struct unat_config *cfg = ctx->cfg;
	struct unat_flow_key key;
	struct unat_flow *flow;
	enum unat_stat ret;
	bool host;

	if (ctx->unat && unat_fwds_used(&ctx->unat->fwds)) {
		/* an answer through a forward: whatever the policy */
		unat_flow_key6(&key, IPPROTO_UDP, UNAT_FLOW_KIND_FWD,
			       &ip->saddr, uh->source, &ip->daddr, uh->dest);
		flow = unat_flow_lookup(ctx->unat->flows, &key);
		if (flow)
			return unat_udp6_fwd_out(ctx, flow, skb, ip, reply);
	}
	host = ipv6_addr_equal(&ip->daddr, &cfg->gateway6);
	ret = unat_ipv6_outbound(ctx, skb, ip, host, reply);
	if (ret)
		return ret;
	unat_guest_note_mac(ctx->guest, eth_hdr(skb)->h_source);

	unat_flow_key6(&key, IPPROTO_UDP, UNAT_FLOW_KIND_NAT, &ip->saddr,
		       uh->source, &in6addr_any, 0);
	if (unat_udp6_strip(skb, ip, host ? &in6addr_loopback : &ip->daddr,
			    uh->dest))
		return UNAT_STAT_DROP_NOMEM;
	return unat_sock_out(ctx, &key, &unat_udp6_flow_ops,
			     (unsigned long)cfg->udp_timeout * HZ,
			     skb, UNAT_STAT_UDP_OUT);
}

/* Transmit path (RCU-bh): one datagram, headers stripped, out of the host
 * from the flow's port.
 */
void unat_udp6_send(struct unat_flow *flow, struct sk_buff *skb)
{
	u8 hop_limit = unat_cb(skb)->ttl;
	__be16 dport = unat_cb(skb)->dport;
	unsigned int len = skb->len;
	struct udphdr *uh;
	struct flowi6 fl6;

	if (!unat_sock_route6(flow, skb, IPPROTO_UDP, flow->host_port,
			      sizeof(*uh), &fl6))
		return;
	uh = skb_push(skb, sizeof(*uh));
	skb_reset_transport_header(skb);
	uh->source = flow->host_port;
	uh->dest = dport;
	uh->len = htons(skb->len);
	udp6_set_csum(false, skb, &fl6.saddr, &fl6.daddr, skb->len);
	unat_sock_ip_out6(flow, skb, &fl6, IPPROTO_UDP, hop_limit);
	unat_flow_account(&flow->pkts_out, &flow->bytes_out, len);
}

/*
 * Hand the guest a datagram that reached the flow's socket from @saddr
 * (a copy, not in the packet) and @sport: re-addressed in place, the UDP
 * checksum updated, a new IPv6 header in front.  skb->data is the UDP
 * header.
 */
void unat_udp6_deliver(struct unat_flow *flow, struct sk_buff *skb,
		       const struct in6_addr *saddr, __be16 sport)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct in6_addr *gaddr = &flow->key.gaddr.v6;
	struct udphdr *uh = udp_hdr(skb);

	inet_proto_csum_replace16(&uh->check, skb, ip6h->saddr.s6_addr32,
				  saddr->s6_addr32, true);
	inet_proto_csum_replace16(&uh->check, skb, ip6h->daddr.s6_addr32,
				  gaddr->s6_addr32, true);
	/* never zero over IPv6: the ports' update follows */
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
	unat_udp_guest_ports(flow, skb, sport);
	unat_deliver_ip6(flow->unat, skb, saddr, gaddr, IPPROTO_UDP);
}

/* encap_rcv: every datagram to a flow's socket, in softirq.  skb->data is
 * the UDP header.  Always consumes the skb.
 */
static int unat_udp6_encap_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct unat_flow *flow = rcu_dereference_sk_user_data(sk);
	const struct unat_config *cfg;
	struct in6_addr saddr;

	if (!flow || READ_ONCE(flow->state) != UNAT_FLOW_OPEN ||
	    !netif_running(flow->unat->dev) ||
	    udp_lib_checksum_complete(skb) ||
	    skb_ensure_writable(skb, sizeof(struct udphdr)))
		goto drop;
	saddr = ipv6_hdr(skb)->saddr;
	if (ipv6_addr_loopback(&saddr)) {
		cfg = rcu_dereference(flow->unat->config);
		if (!cfg->hostloop) {
			unat_stats_inc(flow->unat->stats,
				       UNAT_STAT_DROP_HOST_REFUSED);
			goto drop;
		}
		saddr = cfg->gateway6;
	}
	unat_udp6_deliver(flow, skb, &saddr, udp_hdr(skb)->source);
	return 0;
drop:
	kfree_skb(skb);
	return 0;
}

/* Every ICMPv6 error about our socket's datagrams is ours. */
static int unat_udp6_encap_err_lookup(struct sock *sk, struct sk_buff *skb)
{
	return 0;
}

/*
 * An ICMPv6 error about a datagram a flow sent (softirq): relayed to the
 * guest.  skb->data is the quoted IPv6 header, @udp_offset the quoted
 * UDP header's offset from it.
 */
static void unat_udp6_err(struct sock *sk, struct sk_buff *skb,
			  unsigned int udp_offset)
{
	struct unat_flow *flow = rcu_dereference_sk_user_data(sk);

	if (!flow || !netif_running(flow->unat->dev))
		return;
	unat_icmp6_relay_error(flow->unat, skb, 0, udp_offset, icmp6_hdr(skb),
			       &flow->key);
}

#ifdef UNAT_HAVE_ENCAP_ERR_RCV_OFFSET
static void unat_udp6_encap_err_rcv(struct sock *sk, struct sk_buff *skb,
				    unsigned int udp_offset)
{
	unat_udp6_err(sk, skb, udp_offset);
}
#else
static void unat_udp6_encap_err_rcv(struct sock *sk, struct sk_buff *skb,
				    int err, __be16 port, u32 info,
				    u8 *payload)
{
	unat_udp6_err(sk, skb, payload - sizeof(struct udphdr) - skb->data);
}
#endif

int unat_udp6_open(struct unat_flow *flow)
{
	struct udp_tunnel_sock_cfg tcfg = {
		.encap_rcv = unat_udp6_encap_rcv,
		.encap_err_lookup = unat_udp6_encap_err_lookup,
		.encap_err_rcv = unat_udp6_encap_err_rcv,
	};

	return unat_udp_sock_open(flow, &tcfg);
}

static void unat_udp6_work(struct unat_flow *flow)
{
	if (unat_udp6_open(flow))
		unat_flow_failed(flow);
}

const struct unat_flow_ops unat_udp6_flow_ops = {
	.work		= unat_udp6_work,
	.send		= unat_udp6_send,
	.release	= unat_udp_release,
	.own_port	= true,
};
