// SPDX-License-Identifier: GPL-2.0
/*
 * Frames from the guest.  They reach unat through ndo_start_xmit: from the
 * stack of the netns unat0 sits in, or from a macvtap on top of unat0.  This
 * runs with BH disabled, on any number of CPUs at once (lltx, no qdisc).
 */
#include <kunit/visibility.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>

#include "types.h"
#include "device.h"
#include "output.h"
#include "services.h"
#include "demux.h"

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
		       UNAT_STAT_DROP_UNSUPPORTED : UNAT_STAT_DROP_NOT_FOR_GATEWAY;
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

/*
 * The only way back into the input path: a packet that unat made from
 * guest frames (a reassembled datagram, a segment of a super-frame) takes
 * one more pass, marked, and a packet that is already on its second pass
 * never takes a third.  unat_input_defrag_check() refuses reassembly on
 * that pass and unat_handle() never splits, so one frame from the guest
 * enters at most twice, whatever it holds.
 */
static void unat_input_again(const struct unat_ctx *ctx, struct sk_buff *skb)
{
	struct unat_ctx again = *ctx;

	if (ctx->reentered) {
		unat_count(ctx->unat, UNAT_STAT_DROP_FRAGMENT_INVALID);
		kfree_skb(skb);
		return;
	}
	again.reentered = true;
	unat_handle(&again, skb);
}

/* A datagram that reassembly completed (unat_ipv4_defrag(),
 * unat_ipv6_defrag()), its Ethernet header at skb->data.
 */
void unat_input_reassembled(const struct unat_ctx *ctx, struct sk_buff *skb)
{
	unat_count(ctx->unat, UNAT_STAT_FRAGMENT_REASSEMBLED);
	unat_input_again(ctx, skb);
}

/*
 * Whether a guest fragment may go to reassembly: UNAT_STAT_OK, or the drop
 * counter.  Never on a packet's second pass (what reassembly handed back
 * still a fragment: refused, not looped), never for a GSO super-frame (no
 * sender fragments one) nor one with an unfinished checksum, and only with
 * a device's netns to reassemble in.
 */
enum unat_stat unat_input_defrag_check(const struct unat_ctx *ctx,
				       const struct sk_buff *skb)
{
	if (ctx->reentered || skb_is_gso(skb))
		return UNAT_STAT_DROP_FRAGMENT_INVALID;
	/* a sender finishes a checksum before it fragments */
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		return UNAT_STAT_DROP_BAD_OFFLOAD;
	return ctx->unat ? UNAT_STAT_OK : UNAT_STAT_DROP_FRAGMENT;
}
EXPORT_SYMBOL_IF_KUNIT(unat_input_defrag_check);

/*
 * Whether a UDP segmentation offload super-frame, its checksum left to do
 * from its UDP header on, stands for at most UNAT_GSO_MAX_SEGS datagrams.
 * The guest sets gso_size: at 1 a 64 KiB frame would be 65000 sends from
 * one write, in one softirq section.
 */
bool unat_gso_segs_ok(const struct sk_buff *skb)
{
	int paylen = skb->len - skb_checksum_start_offset(skb) -
		     (int)sizeof(struct udphdr);
	unsigned int mss = skb_shinfo(skb)->gso_size;

	return mss && paylen > 0 &&
	       DIV_ROUND_UP(paylen, mss) <= UNAT_GSO_MAX_SEGS;
}
EXPORT_SYMBOL_IF_KUNIT(unat_gso_segs_ok);

/*
 * The datagrams a UDP segmentation offload super-frame (SKB_GSO_UDP_L4)
 * stands for, as a list; NULL for a malformed one.  Consumes @skb, which
 * the caller checked: its checksum left at the UDP field, and no more
 * than UNAT_GSO_MAX_SEGS datagrams (unat_gso_segs_ok()).
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
	/* skb_gso_segment() WARNs on a super-frame with no checksum to do */
	if (skb->ip_summed != CHECKSUM_PARTIAL ||
	    skb->csum_offset != offsetof(struct udphdr, check) ||
	    !unat_gso_segs_ok(skb)) {
		unat_count(ctx->unat, UNAT_STAT_DROP_BAD_OFFLOAD);
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
		unat_input_again(ctx, seg);
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
	ctx.reentered = false;

	if (skb_is_gso(skb))
		unat_handle_gso(&ctx, skb);
	else
		unat_handle(&ctx, skb);
	return NETDEV_TX_OK;
}
EXPORT_SYMBOL_IF_KUNIT(unat_xmit);
