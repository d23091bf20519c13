// SPDX-License-Identifier: GPL-2.0
/*
 * Frames from the guest.  They reach unat through ndo_start_xmit: from the
 * stack of the netns unat0 sits in, or from a macvtap on top of unat0.  This
 * runs with BH disabled, on any number of CPUs at once (lltx, no qdisc).
 */
#include <kunit/visibility.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>

#include "arp.h"
#include "config.h"
#include "device.h"
#include "input.h"
#include "ipv4.h"
#include "ipv6.h"

/* IPv6 multicast (33:33:...): ipv6.c takes the groups the gateway is in. */
static bool unat_input_mcast6(const struct ethhdr *eth)
{
	return eth->h_proto == htons(ETH_P_IPV6) &&
	       eth->h_dest[0] == 0x33 && eth->h_dest[1] == 0x33;
}

/*
 * Handle one frame from the guest, whose Ethernet header is at skb->data.
 * A reply for the guest may be left in @reply.  Returns the counter that
 * accounts for the frame; the caller still owns @skb unless the counter
 * says it was consumed (unat_stat_consumed()).
 */
enum unat_stat unat_input(const struct unat_ctx *ctx, struct sk_buff *skb,
			  struct sk_buff **reply)
{
	const struct ethhdr *eth;

	*reply = NULL;
	if (!pskb_may_pull(skb, ETH_HLEN))
		return UNAT_STAT_DROP_MALFORMED;
	skb_reset_mac_header(skb);
	eth = eth_hdr(skb);
	if (!is_valid_ether_addr(eth->h_source))
		return UNAT_STAT_DROP_BAD_SOURCE;
	if (!is_broadcast_ether_addr(eth->h_dest) &&
	    !ether_addr_equal(eth->h_dest, ctx->cfg->gw_mac) &&
	    !unat_input_mcast6(eth)) {
		return is_multicast_ether_addr(eth->h_dest) ?
		       UNAT_STAT_DROP_UNSUPPORTED : UNAT_STAT_DROP_NOT_FOR_US;
	}

	switch (eth->h_proto) {
	case htons(ETH_P_ARP):
		return unat_arp_input(ctx, skb, reply);
	case htons(ETH_P_IP):
		return unat_ipv4_input(ctx, skb, reply);
	case htons(ETH_P_IPV6):
		return unat_ipv6_input(ctx, skb, reply);
	default:
		return UNAT_STAT_DROP_UNSUPPORTED;
	}
}
EXPORT_SYMBOL_IF_KUNIT(unat_input);

static void unat_count(struct unat_dev *unat, enum unat_stat stat)
{
	unat_stats_inc(unat->stats, stat);
	if (unat_stat_is_drop(stat)) {
		DEV_STATS_INC(unat->dev, tx_dropped);
		net_dbg_ratelimited("%s: guest frame dropped: %s\n",
				    unat->dev->name, unat_stat_names[stat]);
	}
}

/* One frame through unat: counted, freed or handed on, answered. */
static void unat_handle(const struct unat_ctx *ctx, struct sk_buff *skb)
{
	struct sk_buff *reply;
	enum unat_stat stat;

	stat = unat_input(ctx, skb, &reply);
	unat_count(ctx->unat, stat);
	if (unat_stat_is_drop(stat))
		kfree_skb(skb);
	else if (!unat_stat_consumed(stat))
		consume_skb(skb);
	if (reply)
		unat_deliver(ctx->unat, reply);
}

/* A datagram that IPv4 reassembly completed (unat_ipv4_defrag()). */
void unat_input_reassembled(const struct unat_ctx *ctx, struct sk_buff *skb)
{
	unat_handle(ctx, skb);
}

/*
 * The datagrams a UDP segmentation offload super-frame (SKB_GSO_UDP_L4)
 * stands for, as a list; NULL for a malformed one.  Consumes @skb.
 */
struct sk_buff *unat_gso_split(struct sk_buff *skb)
{
	struct sk_buff *segs;

	skb_reset_mac_header(skb);
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		kfree_skb(skb);
		return NULL;
	}
	consume_skb(skb);
	return segs;
}
EXPORT_SYMBOL_IF_KUNIT(unat_gso_split);

/*
 * A TCP super-frame is one segment to the TCP engine, whose payload goes
 * to the host socket whole.  A UDP segmentation offload super-frame
 * (SKB_GSO_UDP_L4) stands for the datagrams the guest meant: split it and
 * handle each.
 */
static void unat_handle_gso(const struct unat_ctx *ctx, struct sk_buff *skb)
{
	struct sk_buff *segs, *seg, *next;

	unat_count(ctx->unat, UNAT_STAT_GSO_FROM_GUEST);
	if (skb_shinfo(skb)->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)) {
		unat_handle(ctx, skb);
		return;
	}
	if (!(skb_shinfo(skb)->gso_type & SKB_GSO_UDP_L4)) {
		unat_count(ctx->unat, UNAT_STAT_DROP_UNSUPPORTED);
		kfree_skb(skb);
		return;
	}
	segs = unat_gso_split(skb);
	if (!segs) {
		unat_count(ctx->unat, UNAT_STAT_DROP_MALFORMED);
		return;
	}
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		unat_handle(ctx, seg);
	}
}

netdev_tx_t unat_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct unat_dev *unat = netdev_priv(dev);
	struct unat_ctx ctx;

	dev_sw_netstats_tx_add(dev, 1, skb->len);
	ctx.cfg = rcu_dereference_bh(unat->config);
	ctx.guest = &unat->guest;
	ctx.mtu = READ_ONCE(dev->mtu);
	ctx.now = jiffies;
	ctx.unat = unat;

	if (skb_is_gso(skb))
		unat_handle_gso(&ctx, skb);
	else
		unat_handle(&ctx, skb);
	return NETDEV_TX_OK;
}
