// SPDX-License-Identifier: GPL-2.0
/*
 * TCP from the guest's IP layer: the flow a segment belongs to, and
 * whether policy lets it have one.  A segment of a forward's connection
 * finds its flow before any policy; others go to DNS over TCP, to the host
 * (hostloop) or anywhere, as IPv4's and IPv6's outbound rules say.  A SYN
 * with no flow makes one, its connect to come from unat_wq (tcp_host.c);
 * anything else with no flow, or that policy refuses, is answered with a
 * reset.
 *
 * Context: the transmit path (unat_xmit(): BH off, RCU-bh), any CPU.  A
 * segment goes to the engine under its host socket's spinlock when no one
 * owns the socket, else waits in the flow's backlog for the owner (struct
 * unat_tcp).
 */
#include <net/tcp.h>

#include "device.h"
#include "flow.h"
#include "services.h"
#include "proto.h"
#include "tcp_engine.h"

/*
 * A new guest connect counts against the connect limit @limit; at the
 * limit the table picks one to evict (unat_flow_connect_add()), whose flow
 * expires at once and is reset on both sides by the reaper.  RCU (BH)
 * held: the evicted flow stays valid after the table's lock (its release
 * must take that lock first).
 */
static void unat_tcp_connect_add(struct unat_tcp *t, u32 limit)
{
	struct unat_flow_table *ft = t->flow->unat->flows;
	struct list_head *evicted;
	struct unat_tcp *old;

	evicted = unat_flow_connect_add(ft, &t->connect_node, limit);
	if (!evicted)
		return;
	old = list_entry(evicted, struct unat_tcp, connect_node);
	WRITE_ONCE(old->flow->timeout, 0);
	unat_stats_inc(t->flow->unat->stats, UNAT_STAT_TCP_CONNECT_EVICTED);
}

/* A guest SYN with no flow: make one, its connect to come from unat_wq. */
static enum unat_stat unat_tcp_new(const struct unat_ctx *ctx,
				   const struct unat_flow_key *key,
				   const struct unat_tcp_seg *seg,
				   const union unat_addr *dst)
{
	struct unat_flow *flow;
	struct unat_tcp *t;
	int err;

	t = kzalloc(sizeof(*t), GFP_ATOMIC);
	if (!t)
		return UNAT_STAT_DROP_NOMEM;
	flow = unat_flow_create(ctx->unat->flows, key, &unat_tcp_flow_ops,
				ctx->cfg->flow_limit, UNAT_TCP_CONNECT_TIME,
				&err);
	if (err) {
		kfree(t);
		if (err == -EEXIST)	/* another CPU made it */
			return UNAT_STAT_TCP_SYN;
		return unat_flow_create_stat(err);
	}
	unat_tcp_init(t, flow);
	/* a SYN flood fills the connect limit, never the flow table */
	unat_tcp_connect_add(t, ctx->cfg->connect_limit);
	t->irs = seg->seq;
	t->rcv_nxt = seg->seq + 1;
	t->rcv_adv = t->rcv_nxt;
	t->snd_wnd = seg->window;
	t->mss = unat_tcp_mss(seg->mss, unat_tcp_mtu(key, ctx->mtu));
	if (seg->wscale != 0xff) {
		t->snd_wscale = seg->wscale;
		t->rcv_wscale = UNAT_TCP_WSCALE;
	}
	t->state = UNAT_TCP_CONNECTING;
	flow->dst = *dst;
	flow->dst_port = key->rport;
	flow->tcp = t;
	unat_flow_start_open(flow);
	return UNAT_STAT_TCP_SYN;
}

/* A guest segment for an existing flow: into the engine, or its backlog. */
static enum unat_stat unat_tcp_enqueue(const struct unat_ctx *ctx,
				       struct unat_flow *flow,
				       struct sk_buff *skb,
				       const struct unat_tcp_seg *seg)
{
	enum unat_stat ret = UNAT_STAT_TCP_SEGMENT_OUT;
	struct unat_tcp *t;
	struct sock *sk;

	/* pairs with smp_store_release() in unat_flow_opened() */
	if (smp_load_acquire(&flow->state) != UNAT_FLOW_OPEN)
		return UNAT_STAT_DROP_TCP_STATE;
	t = flow->tcp;
	sk = t->sk;
	*unat_tcp_seg_cb(skb) = *seg;
	bh_lock_sock(sk);
	if (!sock_owned_by_user(sk)) {
		unat_tcp_segment(t, skb);
	} else if (skb_queue_len(&t->backlog) >= UNAT_TCP_BACKLOG_MAX) {
		ret = UNAT_STAT_DROP_TCP_BACKLOG;
	} else if (!unat_flow_charge(ctx->unat->flows, skb,
				     ctx->cfg->queue_limit)) {
		ret = UNAT_STAT_DROP_QUEUE_LIMIT;
	} else {
		skb_queue_tail(&t->backlog, skb);
		if (!t->work_owns)
			queue_work(unat_wq, &flow->open_work);
	}
	bh_unlock_sock(sk);
	return ret;
}

/* A reset for the guest's segment @seg, which @key names. */
static struct sk_buff *unat_tcp_rst_reply(const struct unat_ctx *ctx,
					  struct sk_buff *skb,
					  const struct unat_flow_key *key,
					  const struct unat_tcp_seg *seg)
{
	struct sk_buff *r = unat_tcp_rst_for(key, seg);

	if (r)
		unat_frame_push_eth(r, eth_hdr(skb)->h_source,
				    ctx->cfg->gw_mac, unat_flow_ethertype(key));
	return r;
}

/*
 * A segment of a connection through a forward, whatever the policy: true
 * when @key (the guest's view of it) names one, its verdict in *@ret.
 */
static bool unat_tcp_fwd_segment(const struct unat_ctx *ctx,
				 struct sk_buff *skb,
				 const struct unat_tcp_seg *seg,
				 const struct unat_flow_key *key,
				 enum unat_stat *ret)
{
	struct unat_flow_key fkey = *key;
	struct unat_flow *flow;

	if (!unat_fwds_used(&ctx->unat->fwds))
		return false;
	fkey.kind = UNAT_FLOW_KIND_FWD;
	rcu_read_lock();
	flow = unat_flow_lookup(ctx->unat->flows, &fkey);
	if (flow)
		*ret = unat_tcp_enqueue(ctx, flow, skb, seg);
	rcu_read_unlock();
	return flow;
}

/*
 * A guest segment that policy lets through, @key its flow's, @dst where its
 * connection goes: to its flow, or a SYN to a new one.  Anything else is
 * answered with a reset.
 */
static enum unat_stat unat_tcp_to_flow(const struct unat_ctx *ctx,
				       struct sk_buff *skb,
				       const struct unat_tcp_seg *seg,
				       const struct unat_flow_key *key,
				       const union unat_addr *dst,
				       struct sk_buff **reply)
{
	struct unat_flow *flow;
	enum unat_stat ret;

	rcu_read_lock();
	flow = unat_flow_lookup(ctx->unat->flows, key);
	if (flow)
		ret = unat_tcp_enqueue(ctx, flow, skb, seg);
	else if ((seg->flags & (TCPHDR_SYN | TCPHDR_ACK | TCPHDR_RST)) ==
		 TCPHDR_SYN)
		ret = unat_tcp_new(ctx, key, seg, dst);
	else
		ret = UNAT_STAT_DROP_TCP_STATE;
	rcu_read_unlock();
	if (ret == UNAT_STAT_DROP_TCP_STATE && !flow) {
		*reply = unat_tcp_rst_reply(ctx, skb, key, seg);
		if (*reply)
			ret = UNAT_STAT_TCP_RESET;
	} else if (ret == UNAT_STAT_DROP_FLOW_LIMIT) {
		*reply = unat_tcp_rst_reply(ctx, skb, key, seg);
	}
	return ret;
}

/*
 * Where a guest connection to @ip->daddr:@dport goes (@kind, @dst): DNS
 * over TCP to the DNS address, else as unat_ipv4_outbound() says.  The
 * drop counter when policy refuses it, the TTL's error maybe in @reply.
 */
static enum unat_stat unat_tcp_policy(const struct unat_ctx *ctx,
				      struct sk_buff *skb,
				      const struct unat_ip4 *ip, __be16 dport,
				      u8 *kind, __be32 *dst,
				      struct sk_buff **reply)
{
	enum unat_stat ret;
	bool to_host;

	*kind = UNAT_FLOW_KIND_NAT;
	*dst = ip->daddr;
	if (ip->daddr == ctx->cfg->dns && dport == htons(UNAT_DNS_PORT)) {
		*kind = UNAT_FLOW_KIND_DNS;
		return ip->ttl <= 1 ?
		       unat_icmp_ttl_exceeded(ctx, skb, ip, reply) :
		       UNAT_STAT_OK;
	}
	ret = unat_ipv4_outbound(ctx, skb, ip, &to_host, reply);
	if (to_host) {
		*kind = UNAT_FLOW_KIND_HOST;
		*dst = htonl(INADDR_LOOPBACK);
	}
	return ret;
}

/*
 * A TCP segment from the guest (transmit path, RCU-bh).  Consumes @skb when
 * it returns UNAT_STAT_TCP_SEGMENT_OUT; a reset for the guest may be left in
 * @reply.
 */
enum unat_stat unat_tcp_input(const struct unat_ctx *ctx, struct sk_buff *skb,
			      const struct unat_ip4 *ip, struct sk_buff **reply)
{
	const struct unat_config *cfg = ctx->cfg;
	union unat_addr dst = {};
	struct unat_flow_key key;
	const struct tcphdr *th;
	struct unat_tcp_seg seg;
	enum unat_stat ret;

	if (!ctx->unat)
		return UNAT_STAT_DROP_UNSUPPORTED;
	ret = unat_tcp_parse(skb, ip, &seg);
	if (ret)
		return ret;
	if (ip->saddr != cfg->guest)
		return UNAT_STAT_DROP_BAD_SOURCE;
	unat_guest_note_mac(ctx->guest, eth_hdr(skb)->h_source);
	th = (const struct tcphdr *)(skb->data + ip->l4off);
	unat_flow_key4(&key, IPPROTO_TCP, UNAT_FLOW_KIND_NAT, ip->saddr,
		       th->source, ip->daddr, th->dest);
	if (unat_tcp_fwd_segment(ctx, skb, &seg, &key, &ret))
		return ret;

	ret = unat_tcp_policy(ctx, skb, ip, th->dest, &key.kind, &dst.v4,
			      reply);
	if (ret) {
		if (!*reply)
			*reply = unat_tcp_rst_reply(ctx, skb, &key, &seg);
		return ret;
	}
	return unat_tcp_to_flow(ctx, skb, &seg, &key, &dst, reply);
}

/*
 * The same over IPv6: connections from the guest's addresses in the
 * prefix; to the DNS address's port 53, to the gateway's address (the
 * host's ::1, with hostloop), or to any remote.
 */
enum unat_stat unat_tcp_input6(const struct unat_ctx *ctx, struct sk_buff *skb,
			       const struct unat_ip6 *ip,
			       struct sk_buff **reply)
{
	const struct unat_config *cfg = ctx->cfg;
	union unat_addr dst = { .v6 = ip->daddr };
	struct unat_flow_key key;
	const struct tcphdr *th;
	struct unat_tcp_seg seg;
	enum unat_stat ret;
	bool host;

	ret = unat_tcp_parse6(skb, ip, &seg);
	if (ret)
		return ret;
	th = (const struct tcphdr *)(skb->data + ip->l4off);
	unat_flow_key6(&key, IPPROTO_TCP, UNAT_FLOW_KIND_NAT, &ip->saddr,
		       th->source, &ip->daddr, th->dest);
	if (ctx->unat && unat_tcp_fwd_segment(ctx, skb, &seg, &key, &ret))
		return ret;

	host = ipv6_addr_equal(&ip->daddr, &cfg->gateway6);
	if (ipv6_addr_equal(&ip->daddr, &cfg->dns6) &&
	    th->dest == htons(UNAT_DNS_PORT)) {
		key.kind = UNAT_FLOW_KIND_DNS;
		ret = unat_config_in_prefix6(cfg, &ip->saddr) ?
		      UNAT_STAT_OK : UNAT_STAT_DROP_BAD_SOURCE;
		if (!ret && !ctx->unat)
			ret = UNAT_STAT_DROP_UNSUPPORTED;
	} else {
		ret = unat_ipv6_outbound(ctx, skb, ip, host, reply);
		key.kind = host ? UNAT_FLOW_KIND_HOST : UNAT_FLOW_KIND_NAT;
		dst.v6 = host ? in6addr_loopback : ip->daddr;
	}
	if (ret) {
		/* refused by policy: as IPv4's, the connect is reset */
		if (ret == UNAT_STAT_DROP_RESTRICTED ||
		    ret == UNAT_STAT_DROP_NOT_FOR_GATEWAY)
			*reply = unat_tcp_rst_reply(ctx, skb, &key, &seg);
		return ret;
	}
	unat_guest_note_mac(ctx->guest, eth_hdr(skb)->h_source);
	return unat_tcp_to_flow(ctx, skb, &seg, &key, &dst, reply);
}
