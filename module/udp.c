// SPDX-License-Identifier: GPL-2.0
/*
 * UDP through host sockets, over IPv4 and IPv6, with endpoint-independent
 * mapping and filtering (RFC 4787): one kernel UDP socket in the creating
 * netns per guest (address, port), whatever the remote, of the guest's
 * family (IPv6 only for IPv6).  Guest datagrams leave from the transmit
 * path with the socket's port, routed and sent through the host's
 * netfilter by unat_sock_ip_out4() or unat_sock_ip_out6(), their payload
 * never copied; datagrams to that socket from anyone come back through
 * encap_rcv, are re-addressed in place and delivered to the guest; ICMP
 * and ICMPv6 errors about them are relayed.  The families share all of it
 * but their policy, routing, the IP header and checksum, and ICMP.
 */
#include <linux/icmpv6.h>
#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>

#include "types.h"
#include "device.h"
#include "output.h"
#include "flow.h"
#include "services.h"
#include "proto.h"

/*
 * A guest datagram of either family, as the paths they share take it:
 * its IP header as the family's parser left it (@ip4 or @ip6, the other
 * NULL), where its UDP header starts, and its TTL or hop limit.
 */
struct unat_udp_dgram {
	const struct unat_ip4 *ip4;
	const struct unat_ip6 *ip6;
	unsigned int l4off;
	u8 hops;
};

/*
 * Leave a guest datagram's payload for its host socket, going to
 * @daddr:@dport with the IP fields that travel along (unat_skb_cb): the
 * TTL or hop limit less the gateway's, and over IPv4 the TOS and DF.  The
 * guest's checksum goes with its header; one it left unfinished inside the
 * payload is finished first.  Returns OK, or the drop counter.
 */
static enum unat_stat unat_udp_strip(struct sk_buff *skb,
				     const struct unat_udp_dgram *d,
				     const union unat_addr *daddr,
				     __be16 dport)
{
	unsigned int hlen = d->l4off + sizeof(struct udphdr);
	struct unat_skb_cb *cb = unat_cb(skb);

	if (unat_frame_csum_finish(skb, hlen))
		return UNAT_STAT_DROP_NOMEM;
	if (d->ip6) {
		memset(cb, 0, sizeof(*cb));
		cb->daddr6 = daddr->v6;
	} else {
		cb->daddr = daddr->v4;
		cb->tos = d->ip4->tos;
		cb->df = d->ip4->df;
	}
	cb->dport = dport;
	cb->ttl = d->hops - 1;
	skb_pull(skb, hlen);
	return UNAT_STAT_OK;
}

/* A guest datagram with no hop left: time exceeded from the gateway. */
static enum unat_stat unat_udp_expired(const struct unat_ctx *ctx,
				       struct sk_buff *skb,
				       const struct unat_udp_dgram *d,
				       struct sk_buff **reply)
{
	if (d->ip6)
		return unat_icmp6_hop_exceeded(ctx, skb, d->ip6, reply);
	return unat_icmp_ttl_exceeded(ctx, skb, d->ip4, reply);
}

/*
 * The guest's answer to a client of a UDP forward, if @key is a forward's
 * binding: out of the forward's socket, to the client as it really is.
 * Returns OK when it is not one.  Consumes @skb unless a drop counter is
 * returned.
 */
static enum unat_stat unat_udp_fwd_out(const struct unat_ctx *ctx,
				       const struct unat_flow_key *key,
				       struct sk_buff *skb,
				       const struct unat_udp_dgram *d,
				       struct sk_buff **reply)
{
	struct unat_flow *flow = unat_flow_lookup(ctx->unat->flows, key);

	if (!flow)
		return UNAT_STAT_OK;
	/* pairs with smp_store_release() in unat_flow_opened() */
	if (smp_load_acquire(&flow->state) != UNAT_FLOW_OPEN)
		return UNAT_STAT_DROP_FWD_REFUSED;
	if (d->hops <= 1)
		return unat_udp_expired(ctx, skb, d, reply);
	if (unat_udp_strip(skb, d, &flow->dst, flow->dst_port))
		return UNAT_STAT_DROP_NOMEM;
	unat_flow_touch(flow);
	unat_udp_send(flow, skb);
	return UNAT_STAT_UDP_OUT;
}

/*
 * A datagram past the policy to @daddr:@dport, through the NAT flow of
 * @key: found or made, the headers stripped, the payload sent or queued.
 * Consumes @skb unless a drop counter is returned.
 */
static enum unat_stat unat_udp_nat_out(const struct unat_ctx *ctx,
				       const struct unat_flow_key *key,
				       struct sk_buff *skb,
				       const struct unat_udp_dgram *d,
				       const union unat_addr *daddr,
				       __be16 dport)
{
	if (unat_udp_strip(skb, d, daddr, dport))
		return UNAT_STAT_DROP_NOMEM;
	return unat_sock_out(ctx, key, &unat_udp_flow_ops,
			     (unsigned long)ctx->cfg->udp_timeout * HZ, skb,
			     UNAT_STAT_UDP_OUT);
}

/*
 * A datagram from the guest to anywhere but the gateway's own services:
 * find or make its flow, strip the headers, and send or queue the payload.
 * Consumes @skb unless a drop counter is returned.
 */
enum unat_stat unat_udp_input(const struct unat_ctx *ctx, struct sk_buff *skb,
			      const struct unat_ip4 *ip, struct sk_buff **reply)
{
	const struct unat_udp_dgram d = {
		.ip4 = ip,
		.l4off = ip->l4off,
		.hops = ip->ttl,
	};
	const struct unat_config *cfg = ctx->cfg;
	const struct udphdr *uh = (const struct udphdr *)(skb->data + ip->l4off);
	struct unat_flow_key key;
	union unat_addr daddr;
	enum unat_stat ret;
	bool to_host;

	if (!ctx->unat)
		return UNAT_STAT_DROP_UNSUPPORTED;
	if (ip->saddr == cfg->guest && unat_fwds_used(&ctx->unat->fwds)) {
		/* an answer through a forward: whatever the policy */
		unat_flow_key4(&key, IPPROTO_UDP, UNAT_FLOW_KIND_FWD, ip->saddr,
			       uh->source, ip->daddr, uh->dest);
		ret = unat_udp_fwd_out(ctx, &key, skb, &d, reply);
		if (ret)
			return ret;
	}
	ret = unat_ipv4_outbound(ctx, skb, ip, &to_host, reply);
	if (ret)
		return ret;

	/* endpoint-independent: no remote in the key */
	unat_flow_key4(&key, IPPROTO_UDP, UNAT_FLOW_KIND_NAT, ip->saddr,
		       uh->source, 0, 0);
	daddr.v4 = to_host ? htonl(INADDR_LOOPBACK) : ip->daddr;
	return unat_udp_nat_out(ctx, &key, skb, &d, &daddr, uh->dest);
}

/*
 * unat_udp_input() over IPv6.  The gateway's address reaches the host's
 * ::1 (hostloop).
 */
enum unat_stat unat_udp_input6(const struct unat_ctx *ctx,
			       struct sk_buff *skb,
			       const struct unat_ip6 *ip,
			       struct sk_buff **reply)
{
	const struct unat_udp_dgram d = {
		.ip6 = ip,
		.l4off = ip->l4off,
		.hops = ip->hop_limit,
	};
	const struct udphdr *uh = (const struct udphdr *)(skb->data + ip->l4off);
	const struct unat_config *cfg = ctx->cfg;
	struct unat_flow_key key;
	union unat_addr daddr;
	enum unat_stat ret;
	bool host;

	if (ctx->unat && unat_fwds_used(&ctx->unat->fwds)) {
		/* an answer through a forward: whatever the policy */
		unat_flow_key6(&key, IPPROTO_UDP, UNAT_FLOW_KIND_FWD,
			       &ip->saddr, uh->source, &ip->daddr, uh->dest);
		ret = unat_udp_fwd_out(ctx, &key, skb, &d, reply);
		if (ret)
			return ret;
	}
	host = ipv6_addr_equal(&ip->daddr, &cfg->gateway6);
	ret = unat_ipv6_outbound(ctx, skb, ip, host, reply);
	if (ret)
		return ret;
	unat_guest_note_mac(ctx->guest, eth_hdr(skb)->h_source);

	unat_flow_key6(&key, IPPROTO_UDP, UNAT_FLOW_KIND_NAT, &ip->saddr,
		       uh->source, &in6addr_any, 0);
	daddr.v6 = host ? in6addr_loopback : ip->daddr;
	return unat_udp_nat_out(ctx, &key, skb, &d, &daddr, uh->dest);
}

/* The UDP header, from the flow's port to @dport, on a routed payload;
 * its checksum is the caller's.
 */
static void unat_udp_push(struct unat_flow *flow, struct sk_buff *skb,
			  __be16 dport)
{
	struct udphdr *uh = skb_push(skb, sizeof(*uh));

	skb_reset_transport_header(skb);
	uh->source = flow->host_port;
	uh->dest = dport;
	uh->len = htons(skb->len);
}

/* Over IPv4: routed, the UDP header with a checksum (whether or not the
 * guest's had one), the IPv4 header, and out.  False if it was dropped.
 */
static bool unat_udp_send4(struct unat_flow *flow, struct sk_buff *skb)
{
	struct unat_skb_cb cb;
	__be32 saddr;

	if (!unat_sock_route4(flow, skb, IPPROTO_UDP, flow->host_port,
			      sizeof(struct udphdr), &cb, &saddr))
		return false;
	unat_udp_push(flow, skb, cb.dport);
	udp_set_csum(false, skb, saddr, cb.daddr, skb->len);
	unat_sock_ip_out4(flow, skb, &cb, saddr, IPPROTO_UDP);
	return true;
}

/* Over IPv6 the same, the checksum mandatory.  What it needs of the
 * unat_skb_cb is read first: routing makes the cb the IPv6 layer's.
 */
static bool unat_udp_send6(struct unat_flow *flow, struct sk_buff *skb)
{
	u8 hop_limit = unat_cb(skb)->ttl;
	__be16 dport = unat_cb(skb)->dport;
	struct flowi6 fl6;

	if (!unat_sock_route6(flow, skb, IPPROTO_UDP, flow->host_port,
			      sizeof(struct udphdr), &fl6))
		return false;
	unat_udp_push(flow, skb, dport);
	udp6_set_csum(false, skb, &fl6.saddr, &fl6.daddr, skb->len);
	unat_sock_ip_out6(flow, skb, &fl6, IPPROTO_UDP, hop_limit);
	return true;
}

/* Transmit path (RCU-bh): one datagram, headers stripped, out of the host
 * from the flow's port.
 */
void unat_udp_send(struct unat_flow *flow, struct sk_buff *skb)
{
	unsigned int len = skb->len;
	bool sent;

	if (flow->key.family == AF_INET6)
		sent = unat_udp_send6(flow, skb);
	else
		sent = unat_udp_send4(flow, skb);
	if (sent)
		unat_flow_account(&flow->pkts_out, &flow->bytes_out, len);
}

/*
 * The ports of a datagram for the guest (either family): from @sport to
 * the flow's guest port, a non-zero checksum updated (its addresses were
 * by the caller), and the datagram accounted to the flow.
 */
static void unat_udp_guest_ports(struct unat_flow *flow, struct sk_buff *skb,
				 __be16 sport)
{
	struct udphdr *uh = udp_hdr(skb);

	if (uh->check) {
		inet_proto_csum_replace2(&uh->check, skb, uh->source, sport,
					 false);
		inet_proto_csum_replace2(&uh->check, skb, uh->dest,
					 flow->key.gport, false);
		if (!uh->check)
			uh->check = CSUM_MANGLED_0;
	}
	uh->source = sport;
	uh->dest = flow->key.gport;
	unat_flow_account(&flow->pkts_in, &flow->bytes_in,
			  skb->len - sizeof(*uh));
	unat_flow_touch(flow);
}

/*
 * The addresses of a datagram for the guest, in its UDP checksum: from
 * the IP header it came with to @saddr and the flow's guest address.  A
 * zero checksum over IPv4 is none, and stays so; over IPv6 there is always
 * one.
 */
static void unat_udp_guest_addrs(struct unat_flow *flow, struct sk_buff *skb,
				 const union unat_addr *saddr)
{
	const union unat_addr *gaddr = &flow->key.gaddr;
	struct udphdr *uh = udp_hdr(skb);

	if (flow->key.family == AF_INET6) {
		inet_proto_csum_replace16(&uh->check, skb,
					  ipv6_hdr(skb)->saddr.s6_addr32,
					  saddr->v6.s6_addr32, true);
		inet_proto_csum_replace16(&uh->check, skb,
					  ipv6_hdr(skb)->daddr.s6_addr32,
					  gaddr->v6.s6_addr32, true);
		/* never zero over IPv6: the ports' update follows */
		if (!uh->check)
			uh->check = CSUM_MANGLED_0;
	} else if (uh->check) {
		inet_proto_csum_replace4(&uh->check, skb, ip_hdr(skb)->saddr,
					 saddr->v4, true);
		inet_proto_csum_replace4(&uh->check, skb, ip_hdr(skb)->daddr,
					 gaddr->v4, true);
	}
}

/*
 * Hand the guest a datagram that reached a host socket: re-addressed in
 * place, to come from @saddr (a copy, not in the packet) and @sport to the
 * flow's guest endpoint.  The UDP header stays, its checksum updated for
 * the new addresses and ports, and a new IP header of the flow's family
 * goes in front.  skb->data is the UDP header.
 */
void unat_udp_deliver(struct unat_flow *flow, struct sk_buff *skb,
		      const union unat_addr *saddr, __be16 sport)
{
	const union unat_addr *gaddr = &flow->key.gaddr;

	unat_udp_guest_addrs(flow, skb, saddr);
	unat_udp_guest_ports(flow, skb, sport);
	if (flow->key.family == AF_INET6)
		unat_deliver_ip6(flow->unat, skb, &saddr->v6, &gaddr->v6,
				 IPPROTO_UDP);
	else
		unat_deliver_ip(flow->unat, skb, saddr->v4, gaddr->v4,
				IPPROTO_UDP);
}

/*
 * Where a datagram that reached a NAT flow's socket comes from, for the
 * guest, in @saddr: the host's loopback is the gateway's address, and
 * false unless hostloop lets the host through.
 */
static bool unat_udp_source(struct unat_flow *flow, const struct sk_buff *skb,
			    union unat_addr *saddr)
{
	const struct unat_config *cfg = rcu_dereference(flow->unat->config);

	if (flow->key.family == AF_INET6) {
		saddr->v6 = ipv6_hdr(skb)->saddr;
		if (!ipv6_addr_loopback(&saddr->v6))
			return true;
		saddr->v6 = cfg->gateway6;
	} else {
		saddr->v4 = ip_hdr(skb)->saddr;
		if (!ipv4_is_loopback(saddr->v4))
			return true;
		saddr->v4 = cfg->gateway;
	}
	return cfg->hostloop;
}

/* encap_rcv: every datagram to a flow's socket, in softirq.  skb->data is
 * the UDP header.  Always consumes the skb.
 */
static int unat_udp_encap_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct unat_flow *flow = rcu_dereference_sk_user_data(sk);
	union unat_addr saddr;

	if (!flow || READ_ONCE(flow->state) != UNAT_FLOW_OPEN ||
	    !netif_running(flow->unat->dev) ||
	    udp_lib_checksum_complete(skb) ||
	    skb_ensure_writable(skb, sizeof(struct udphdr)))
		goto drop;
	if (!unat_udp_source(flow, skb, &saddr)) {
		unat_stats_inc(flow->unat->stats, UNAT_STAT_DROP_HOST_REFUSED);
		goto drop;
	}
	unat_udp_deliver(flow, skb, &saddr, udp_hdr(skb)->source);
	return 0;
drop:
	kfree_skb(skb);
	return 0;
}

/* Every ICMP or ICMPv6 error about our socket's datagrams is ours. */
static int unat_udp_encap_err_lookup(struct sock *sk, struct sk_buff *skb)
{
	return 0;
}

/*
 * An ICMP error about a datagram an IPv4 flow sent: relayed with @info.
 * skb->data is the quoted IPv4 header, the quoted UDP header at
 * @udp_offset from it.
 */
static void unat_udp_err4(struct unat_flow *flow, struct sk_buff *skb,
			  unsigned int udp_offset, u32 info)
{
	const struct iphdr *inner = (const struct iphdr *)skb->data;
	const struct udphdr *uh;

	uh = (const struct udphdr *)(skb->data + udp_offset);
	unat_icmp_relay_error(flow->unat, skb, ip_hdr(skb)->saddr,
			      icmp_hdr(skb)->type, icmp_hdr(skb)->code, info,
			      flow->key.gaddr.v4, flow->key.gport,
			      inner->daddr, uh->dest, IPPROTO_UDP,
			      (const u8 *)(uh + 1));
}

/*
 * An ICMP or ICMPv6 error about a datagram a flow sent (softirq): tell the
 * guest, as an error about the datagram it sent, so traceroute and PMTU
 * work.  skb->data is the quoted IP header, @udp_offset the quoted UDP
 * header's offset from it.  @info is for IPv4: the ICMPv6 relay reads it
 * from the message.
 */
static void unat_udp_err(struct sock *sk, struct sk_buff *skb,
			 unsigned int udp_offset, u32 info)
{
	struct unat_flow *flow = rcu_dereference_sk_user_data(sk);

	if (!flow || !netif_running(flow->unat->dev))
		return;
	if (flow->key.family == AF_INET6)
		unat_icmp6_relay_error(flow->unat, skb, 0, udp_offset,
				       icmp6_hdr(skb), &flow->key);
	else
		unat_udp_err4(flow, skb, udp_offset, info);
}

#ifdef UNAT_HAVE_ENCAP_ERR_RCV_OFFSET
/* Before 6.0's rxrpc rework, the hook got only the UDP header's offset:
 * an IPv4 error's MTU is read here.
 */
static void unat_udp_encap_err_rcv(struct sock *sk, struct sk_buff *skb,
				   unsigned int udp_offset)
{
	u32 info = 0;

	if (sk->sk_family == AF_INET &&
	    icmp_hdr(skb)->type == ICMP_DEST_UNREACH &&
	    icmp_hdr(skb)->code == ICMP_FRAG_NEEDED)
		info = ntohs(icmp_hdr(skb)->un.frag.mtu);
	unat_udp_err(sk, skb, udp_offset, info);
}
#else
static void unat_udp_encap_err_rcv(struct sock *sk, struct sk_buff *skb,
				   int err, __be16 port, u32 info, u8 *payload)
{
	unat_udp_err(sk, skb, payload - sizeof(struct udphdr) - skb->data,
		     info);
}
#endif

/*
 * Process context: the flow's socket, of the flow's family (IPv6 only for
 * IPv6), bound to an ephemeral port of the creating netns, its datagrams
 * and errors coming to the encap callbacks above.
 */
int unat_udp_open(struct unat_flow *flow)
{
	struct udp_tunnel_sock_cfg tcfg = {
		.sk_user_data = flow,
		.encap_type = 1,
		.encap_rcv = unat_udp_encap_rcv,
		.encap_err_lookup = unat_udp_encap_err_lookup,
		.encap_err_rcv = unat_udp_encap_err_rcv,
	};
	struct udp_port_cfg pcfg = {
		.family = flow->key.family,
		.ipv6_v6only = 1,
	};
	struct socket *sock;
	struct net *net;
	int err;

	net = unat_creating_net_get(flow->unat);
	if (!net)
		return -ENONET;
	err = udp_sock_create(net, &pcfg, &sock);
	if (!err) {
		setup_udp_tunnel_sock(net, sock, &tcfg);
		flow->host_port = inet_sk(sock->sk)->inet_sport;
		unat_flow_opened(flow, sock);
	}
	put_net(net);
	return err;
}

/*
 * Process context, after the grace period that ended the flow's lookups.
 * Not udp_tunnel_sock_release(): its synchronize_rcu() per socket held
 * RTNL for over a minute when a device with 5000 UDP flows went away.
 * No grace period is needed here: encap_rcv drops what reaches a socket
 * without a flow or with a closing one, and the flow is freed after a
 * grace period (unat_flow_destroy()).
 */
void unat_udp_release(struct unat_flow *flow)
{
	/* a forward's binding borrows the forward's socket */
	if (flow->sock && flow->key.kind != UNAT_FLOW_KIND_FWD)
		unat_sock_close(flow->sock);
	flow->sock = NULL;
}

static void unat_udp_work(struct unat_flow *flow)
{
	if (unat_udp_open(flow))
		unat_flow_failed(flow);
}

const struct unat_flow_ops unat_udp_flow_ops = {
	.work		= unat_udp_work,
	.send		= unat_udp_send,
	.release	= unat_udp_release,
	.own_port	= true,
};
