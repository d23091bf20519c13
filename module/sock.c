// SPDX-License-Identifier: GPL-2.0
/*
 * What every protocol's host socket needs, whatever the protocol: the
 * transmit path's way into a flow, the hostloop and loop checks, routing a
 * guest payload and putting its IP header on (transmit path), creating
 * and closing a kernel socket of the creating netns (process context).
 */
#include <linux/icmpv6.h>
#include <linux/in.h>
#include <net/addrconf.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/sock.h>
#include <uapi/linux/unat.h>

#include "types.h"
#include "device.h"
#include "flow.h"

/*
 * Transmit path: find or make the flow of @key, run by @ops, and send @skb
 * through it (its headers stripped, its unat_skb_cb filled).  Returns
 * @sent, with @skb consumed, or the drop counter for the caller to count
 * and free.
 */
enum unat_stat unat_sock_out(const struct unat_ctx *ctx,
			     const struct unat_flow_key *key,
			     const struct unat_flow_ops *ops,
			     unsigned long timeout, struct sk_buff *skb,
			     enum unat_stat sent)
{
	struct unat_flow_table *t = ctx->unat->flows;
	struct unat_flow *flow;
	enum unat_stat ret;
	int err = -EEXIST;

	flow = unat_flow_lookup(t, key);
	if (!flow) {
		flow = unat_flow_create(t, key, ops, ctx->cfg->flow_limit,
					timeout, &err);
		if (!flow)
			return unat_flow_create_stat(err);
	}
	if (err)
		unat_flow_touch(flow);
	ret = unat_flow_queue(flow, skb, ctx->cfg->queue_limit, sent);
	if (!err)
		unat_flow_start_open(flow);
	if (ret != UNAT_STAT_OK)
		return ret;
	flow->ops->send(flow, skb);
	return sent;
}

/*
 * Whether @flow may send where the host routes to itself (@local: its own
 * addresses, its loopback).  The gateway's mapping to the host and
 * forwards' answers may; a guest's flow to a remote that is the host only
 * with hostloop on (otherwise it is counted, and refused).
 */
bool unat_sock_local_ok(struct unat_flow *flow, bool local)
{
	bool ok;

	if (!local || flow->key.kind != UNAT_FLOW_KIND_NAT)
		return true;
	rcu_read_lock();
	ok = rcu_dereference(flow->unat->config)->hostloop;
	rcu_read_unlock();
	if (!ok) {
		unat_stats_inc(flow->unat->stats, UNAT_STAT_DROP_HOST_REFUSED);
		unat_flow_refused(flow);
	}
	return ok;
}

/* Whether the host has @ss's address (process context, @net held). */
bool unat_sock_addr_local(struct net *net, const struct sockaddr_storage *ss)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;

	if (ss->ss_family == AF_INET)
		return ipv4_is_loopback(sin->sin_addr.s_addr) ||
		       inet_addr_type(net, sin->sin_addr.s_addr) == RTN_LOCAL;
	return ipv6_addr_loopback(&sin6->sin6_addr) ||
	       ipv6_chk_addr(net, &sin6->sin6_addr, NULL, 0);
}

/*
 * Whether the host routes @ss into a unat device: back into a guest's
 * link (the creating netns holds unat0 and learns its router
 * advertisements), where the packet would come in again as the guest's, a
 * loop that the kernel's dev_xmit_recursion() bounds too late for the
 * stack.  Process context, @net held.
 */
bool unat_sock_addr_unat(struct net *net, const struct sockaddr_storage *ss)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
	struct flowi6 fl6 = { .daddr = sin6->sin6_addr };
	struct flowi4 fl4 = { .daddr = sin->sin_addr.s_addr };
	struct dst_entry *dst;
	struct rtable *rt;
	bool ret;

	if (ss->ss_family == AF_INET) {
		rt = ip_route_output_key(net, &fl4);
		if (IS_ERR(rt))
			return false;
		ret = unat_dev_is_unat(rt->dst.dev);
		ip_rt_put(rt);
		return ret;
	}
	dst = ip6_route_output(net, NULL, &fl6);
	ret = !dst->error && unat_dev_is_unat(dst->dev);
	dst_release(dst);
	return ret;
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
	/* into a unat device: the guest's own link again, a loop */
	if (unat_dev_is_unat(rt->dst.dev)) {
		ip_rt_put(rt);
		goto drop;
	}
	if (!unat_sock_local_ok(flow, rt->rt_type == RTN_LOCAL)) {
		ip_rt_put(rt);
		kfree_skb(skb);
		return false;
	}
	if (rt->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST) ||
	    skb_cow_head(skb, LL_RESERVED_SPACE(rt->dst.dev) + l4hdr +
			 sizeof(struct iphdr))) {
		ip_rt_put(rt);
		goto drop;
	}
	unat_flow_set_host_addr(flow, &(union unat_addr){ .v4 = fl4.saddr });
	skb_scrub_packet(skb, true);
	skb_clear_hash(skb);
	skb_dst_set(skb, &rt->dst);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	*saddr = fl4.saddr;
	return true;
drop:
	unat_stats_inc(flow->unat->stats, UNAT_STAT_DROP_NO_ROUTE);
	unat_flow_refused(flow);
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
 * Route a guest payload from @flow's socket over IPv6, as
 * unat_sock_route4() does over IPv4: to the unat_skb_cb's address and
 * port from @sport, room made for @l4hdr and an IPv6 header, the route
 * attached.  @fl6 gets the route's addresses.  On failure the skb is
 * dropped and counted, and false returned.  Read the cb before: it becomes
 * the IPv6 layer's.
 */
bool unat_sock_route6(struct unat_flow *flow, struct sk_buff *skb, u8 proto,
		      __be16 sport, unsigned int l4hdr, struct flowi6 *fl6)
{
	struct sock *sk = flow->sock->sk;
	struct dst_entry *dst;

	memset(fl6, 0, sizeof(*fl6));
	fl6->flowi6_proto = proto;
	fl6->daddr = unat_cb(skb)->daddr6;
	/* a forward answers from the address its client came to */
	if (flow->key.kind == UNAT_FLOW_KIND_FWD)
		fl6->saddr = flow->host_addr.v6;
	if (proto == IPPROTO_ICMPV6) {
		fl6->fl6_icmp_type = ICMPV6_ECHO_REQUEST;
	} else {
		fl6->fl6_sport = sport;
		fl6->fl6_dport = unat_cb(skb)->dport;
	}
	dst = ip6_dst_lookup_flow(sock_net(sk), sk, fl6, NULL);
	if (IS_ERR(dst))
		goto drop;
	if (unat_dev_is_unat(dst->dev)) {
		dst_release(dst);
		goto drop;
	}
	if (!unat_sock_local_ok(flow, dst->dev->flags & IFF_LOOPBACK)) {
		dst_release(dst);
		kfree_skb(skb);
		return false;
	}
	if (skb_cow_head(skb, LL_RESERVED_SPACE(dst->dev) + l4hdr +
			 sizeof(struct ipv6hdr))) {
		dst_release(dst);
		goto drop;
	}
	unat_flow_set_host_addr(flow, &(union unat_addr){ .v6 = fl6->saddr });
	skb_scrub_packet(skb, true);
	skb_clear_hash(skb);
	skb_dst_set(skb, dst);
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
	return true;
drop:
	unat_stats_inc(flow->unat->stats, UNAT_STAT_DROP_NO_ROUTE);
	unat_flow_refused(flow);
	kfree_skb(skb);
	return false;
}

/*
 * Put the IPv6 header on a routed packet (unat_sock_route6()) whose
 * transport header is at skb->data, and send it through the host's
 * netfilter and routing.  Past the path MTU the host fragments, as the
 * IPv4 path does, so that packets of every size the guest sends get out.
 */
void unat_sock_ip_out6(struct unat_flow *flow, struct sk_buff *skb,
		       const struct flowi6 *fl6, u8 proto, u8 hop_limit)
{
	struct sock *sk = flow->sock->sk;
	struct ipv6hdr *ip6h;

	skb_reset_transport_header(skb);
	ip6h = skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->payload_len = htons(skb->len - sizeof(*ip6h));
	ip6h->nexthdr = proto;
	ip6h->hop_limit = hop_limit;
	ip6h->saddr = fl6->saddr;
	ip6h->daddr = fl6->daddr;
	skb->protocol = htons(ETH_P_IPV6);
	skb->ignore_df = 1;
	ip6_local_out(sock_net(sk), sk, skb);
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
