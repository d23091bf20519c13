// SPDX-License-Identifier: GPL-2.0
/*
 * A flow's host socket, whatever its protocol: opening (unat_wq), sending
 * (transmit path), releasing (process context, the flow unlinked).
 */
#include <linux/in.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/sock.h>
#include <uapi/linux/unat.h>

#include "device.h"

#include "dns.h"
#include "flow.h"
#include "ping.h"
#include "ping6.h"
#include "sock.h"
#include "tcp.h"
#include "udp.h"

/* unat_wq: open the socket; DNS flows also do all their I/O here. */
void unat_sock_open(struct unat_flow *flow)
{
	int err = -EPROTONOSUPPORT;

	if (flow->key.proto == IPPROTO_TCP) {
		unat_tcp_work(flow);
		return;
	}
	if (flow->key.kind == UNAT_FLOW_KIND_DNS) {
		unat_dns_work(flow);
		return;
	}
	if (flow->key.proto == IPPROTO_UDP)
		err = unat_udp_open(flow);
	else if (flow->key.proto == IPPROTO_ICMP)
		err = unat_ping_open(flow);
	else if (flow->key.proto == IPPROTO_ICMPV6)
		err = unat_ping6_open(flow);
	if (err)
		unat_flow_failed(flow);
}

/* Transmit path: the flow is OPEN. */
void unat_sock_send(struct unat_flow *flow, struct sk_buff *skb)
{
	if (flow->key.proto == IPPROTO_UDP)
		unat_udp_send(flow, skb);
	else if (flow->key.proto == IPPROTO_ICMP)
		unat_ping_send(flow, skb);
	else if (flow->key.proto == IPPROTO_ICMPV6)
		unat_ping6_send(flow, skb);
	else
		kfree_skb(skb);
}

void unat_sock_release(struct unat_flow *flow)
{
	if (flow->key.proto == IPPROTO_TCP)
		unat_tcp_release(flow);
	else if (flow->key.kind == UNAT_FLOW_KIND_DNS)
		unat_dns_release(flow);
	else if (flow->key.proto == IPPROTO_UDP)
		unat_udp_release(flow);
	else if (flow->key.proto == IPPROTO_ICMP ||
		 flow->key.proto == IPPROTO_ICMPV6)
		unat_ping_release(flow);
}

/*
 * Transmit path: find or make the flow of @key and send @skb through it
 * (its headers stripped, its unat_skb_cb filled).  Returns @sent, with
 * @skb consumed, or the drop counter for the caller to count and free.
 */
enum unat_stat unat_sock_out(const struct unat_ctx *ctx,
			     const struct unat_flow_key *key,
			     unsigned long timeout, struct sk_buff *skb,
			     enum unat_stat sent)
{
	struct unat_flow_table *t = ctx->unat->flows;
	struct unat_flow *flow;
	int err;

	flow = unat_flow_lookup(t, key);
	if (!flow) {
		flow = unat_flow_create(t, key, ctx->cfg->flow_limit, timeout,
					&err);
		if (!flow)
			return err == -ENOSPC ? UNAT_STAT_DROP_FLOW_LIMIT :
						UNAT_STAT_DROP_NOMEM;
		if (!err) {
			unat_flow_queue(flow, skb);
			unat_flow_start_open(flow);
			return sent;
		}
	}
	unat_flow_touch(flow);
	if (!unat_flow_queue(flow, skb))
		unat_sock_send(flow, skb);
	return sent;
}

/*
 * Route a guest payload from @flow's socket to its destination, and make
 * it ready for @l4hdr bytes of transport header and an IPv4 header: scrubbed
 * of the guest's side, headroom made, the route attached.  On failure the
 * skb is dropped and counted, and false returned.  @cb gets the skb's
 * unat_skb_cb (skb->cb becomes the IP layer's), @saddr the source.
 */
bool unat_sock_route4(struct unat_flow *flow, struct sk_buff *skb, u8 proto,
		      __be16 sport, unsigned int l4hdr, struct unat_skb_cb *cb,
		      __be32 *saddr)
{
	struct sock *sk = flow->sock->sk;
	struct flowi4 fl4;
	struct rtable *rt;

	*cb = *unat_cb(skb);
	/* a forward answers from the address its client came to */
	rt = ip_route_output_ports(sock_net(sk), &fl4, sk, cb->daddr,
				   flow->key.kind == UNAT_FLOW_KIND_FWD ?
				   flow->host_addr.v4 : 0,
				   cb->dport, sport, proto,
				   cb->tos & INET_DSCP_MASK, 0);
	if (IS_ERR(rt))
		goto drop;
	if (rt->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST) ||
	    skb_cow_head(skb, LL_RESERVED_SPACE(rt->dst.dev) + l4hdr +
			 sizeof(struct iphdr))) {
		ip_rt_put(rt);
		goto drop;
	}
	if (!flow->host_addr.v4)
		WRITE_ONCE(flow->host_addr.v4, fl4.saddr);
	skb_scrub_packet(skb, true);
	skb_clear_hash(skb);
	skb_dst_set(skb, &rt->dst);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	*saddr = fl4.saddr;
	return true;
drop:
	unat_stats_inc(flow->unat->stats, UNAT_STAT_DROP_NO_ROUTE);
	kfree_skb(skb);
	return false;
}

/*
 * Put the IPv4 header on a routed packet (unat_sock_route4()) whose
 * transport header is at skb->data, and send it through the host's
 * netfilter and routing.  DF follows the guest's while the packet fits the
 * route's MTU, as a host socket with IP_PMTUDISC_WANT does: past it the
 * host fragments, so that packets of every size the guest sends get out.
 */
void unat_sock_ip_out4(struct unat_flow *flow, struct sk_buff *skb,
		       const struct unat_skb_cb *cb, __be32 saddr, u8 proto)
{
	struct sock *sk = flow->sock->sk;
	struct net *net = sock_net(sk);
	struct iphdr *iph;

	skb_reset_transport_header(skb);
	iph = skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) >> 2;
	iph->frag_off = cb->df && skb->len <= dst_mtu(skb_dst(skb)) ?
			htons(IP_DF) : 0;
	iph->protocol = proto;
	iph->tos = cb->tos;
	iph->daddr = cb->daddr;
	iph->saddr = saddr;
	iph->ttl = cb->ttl;
	__ip_select_ident(net, iph, 1);
	skb->protocol = htons(ETH_P_IP);
	ip_local_out(net, sk, skb);
}

/*
 * Process context: a kernel socket of the creating netns whose data_ready
 * is @data_ready, with @flow as its user data.
 */
int unat_sock_create(struct unat_flow *flow, int family, int type, int proto,
		     void (*data_ready)(struct sock *sk),
		     struct socket **res)
{
	struct socket *sock;
	struct net *net;
	int err;

	net = unat_creating_net_get(flow->unat);
	if (!net)
		return -ENONET;
	err = sock_create_kern(net, family, type, proto, &sock);
	put_net(net);
	if (err)
		return err;
	write_lock_bh(&sock->sk->sk_callback_lock);
	rcu_assign_sk_user_data(sock->sk, flow);
	sock->sk->sk_data_ready = data_ready;
	write_unlock_bh(&sock->sk->sk_callback_lock);
	*res = sock;
	return 0;
}

/* Detach a unat_sock_create() socket from its flow and close it. */
void unat_sock_close(struct socket *sock)
{
	write_lock_bh(&sock->sk->sk_callback_lock);
	rcu_assign_sk_user_data(sock->sk, NULL);
	write_unlock_bh(&sock->sk->sk_callback_lock);
	sock_release(sock);
}
