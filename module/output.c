// SPDX-License-Identifier: GPL-2.0
/*
 * Frames to the guest: onto the receive side of the device, whence the
 * guest's stack or the macvtap above takes them.  Datagrams larger than
 * the guest's MTU are fragmented here, as a router on its link would.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "types.h"
#include "device.h"
#include "output.h"

/* Hand a whole Ethernet frame built by unat to the guest side. */
void unat_deliver(struct unat_dev *unat, struct sk_buff *skb)
{
	struct net_device *dev = unat->dev;
	unsigned int len = skb->len;

	skb->dev = dev;
	skb->protocol = eth_type_trans(skb, dev);
	/* A datagram from a host socket may still carry an unfinished
	 * checksum (it crossed a veth, say): it stays offloaded, to the
	 * guest's stack or to the vnet header.  Anything else was checked
	 * and re-addressed with its checksum field updated.
	 */
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		skb->ip_summed = CHECKSUM_NONE;
	if (likely(netif_rx(skb) == NET_RX_SUCCESS)) {
		dev_sw_netstats_rx_add(dev, len);
	} else {
		DEV_STATS_INC(dev, rx_dropped);
		unat_stats_inc(unat->stats, UNAT_STAT_DROP_DELIVER);
	}
}

static void unat_deliver_one(struct unat_dev *unat, struct sk_buff *skb,
			     const u8 *mac)
{
	unat_frame_push_eth(skb, mac, rcu_dereference(unat->config)->gw_mac,
			    htons(ETH_P_IP));
	unat_deliver(unat, skb);
}

/* Split @skb (the IP payload) into fragments that fit @mtu. */
static void unat_deliver_fragments(struct unat_dev *unat, struct sk_buff *skb,
				   __be32 saddr, __be32 daddr, u8 protocol,
				   const u8 *mac, unsigned int mtu)
{
	unsigned int step = (mtu - sizeof(struct iphdr)) & ~7U;
	__be16 id = htons(get_random_u16());
	unsigned int off, n;
	struct sk_buff *f;
	struct iphdr *iph;

	for (off = 0; off < skb->len; off += n) {
		n = min(step, skb->len - off);
		f = unat_frame_copy(skb, off, n);
		if (!f) {
			unat_stats_inc(unat->stats, UNAT_STAT_DROP_NOMEM);
			break;
		}
		unat_frame_push_ipv4(f, saddr, daddr, protocol);
		iph = ip_hdr(f);
		iph->id = id;
		iph->frag_off = htons(off >> 3);
		if (off + n < skb->len)
			iph->frag_off |= htons(IP_MF);
		ip_send_check(iph);
		unat_deliver_one(unat, f, mac);
	}
	consume_skb(skb);
}

/*
 * Deliver @skb, whose data is an IPv4 payload of @protocol, to the guest
 * from @saddr.  Consumes @skb.  Called with BH disabled and RCU held.
 */
void unat_deliver_ip(struct unat_dev *unat, struct sk_buff *skb, __be32 saddr,
		     __be32 daddr, u8 protocol)
{
	unsigned int mtu = READ_ONCE(unat->dev->mtu);
	u8 mac[ETH_ALEN];

	lockdep_assert_in_softirq();
	if (!unat_guest_mac(&unat->guest, mac)) {
		unat_stats_inc(unat->stats, UNAT_STAT_DROP_NO_GUEST_MAC);
		kfree_skb(skb);
		return;
	}
	skb_scrub_packet(skb, true);
	if (skb->len + sizeof(struct iphdr) > mtu) {
		unat_deliver_fragments(unat, skb, saddr, daddr, protocol, mac,
				       mtu);
		return;
	}
	if (skb_cow_head(skb, ETH_HLEN + sizeof(struct iphdr))) {
		unat_stats_inc(unat->stats, UNAT_STAT_DROP_NOMEM);
		kfree_skb(skb);
		return;
	}
	unat_frame_push_ipv4(skb, saddr, daddr, protocol);
	unat_deliver_one(unat, skb, mac);
}

/*
 * Split @skb (the IPv6 payload of @nexthdr) into fragments that fit @mtu,
 * each with its fragment header (RFC 8200 4.5), and hand them to the
 * guest at @mac.
 */
static void unat_deliver_fragments6(struct unat_dev *unat, struct sk_buff *skb,
				    const struct in6_addr *saddr,
				    const struct in6_addr *daddr, u8 nexthdr,
				    const u8 *mac, unsigned int mtu)
{
	unsigned int step = (mtu - sizeof(struct ipv6hdr) -
			     sizeof(struct frag_hdr)) & ~7U;
	__be32 id = htonl(get_random_u32());
	const u8 *gw_mac = rcu_dereference(unat->config)->gw_mac;
	struct frag_hdr *fh;
	unsigned int off, n;
	struct sk_buff *f;

	for (off = 0; off < skb->len; off += n) {
		n = min(step, skb->len - off);
		/* the headroom's room for a UDP header takes @fh */
		f = unat_frame_copy(skb, off, n);
		if (!f) {
			unat_stats_inc(unat->stats, UNAT_STAT_DROP_NOMEM);
			break;
		}
		fh = skb_push(f, sizeof(*fh));
		fh->nexthdr = nexthdr;
		fh->reserved = 0;
		fh->frag_off = htons(off);
		if (off + n < skb->len)
			fh->frag_off |= htons(IP6_MF);
		fh->identification = id;
		unat_frame_push_ipv6(f, saddr, daddr, NEXTHDR_FRAGMENT, 64);
		unat_frame_push_eth(f, mac, gw_mac, htons(ETH_P_IPV6));
		unat_deliver(unat, f);
	}
	consume_skb(skb);
}

/*
 * Deliver @skb, an IPv6 payload of @nexthdr, to the guest from @saddr.
 * Payloads past the guest's MTU go in fragments, as over IPv4: the host
 * took them whole (reassembled, or from its own stack).  Consumes @skb.
 * BH disabled, RCU held.
 */
void unat_deliver_ip6(struct unat_dev *unat, struct sk_buff *skb,
		      const struct in6_addr *saddr,
		      const struct in6_addr *daddr, u8 nexthdr)
{
	unsigned int mtu = READ_ONCE(unat->dev->mtu);
	u8 mac[ETH_ALEN];
	enum unat_stat drop;

	lockdep_assert_in_softirq();
	if (!unat_guest_mac(&unat->guest, mac)) {
		drop = UNAT_STAT_DROP_NO_GUEST_MAC;
		goto drop;
	}
	skb_scrub_packet(skb, true);
	if (skb->len + sizeof(struct ipv6hdr) > mtu) {
		unat_deliver_fragments6(unat, skb, saddr, daddr, nexthdr, mac,
					mtu);
		return;
	}
	if (skb_cow_head(skb, ETH_HLEN + sizeof(struct ipv6hdr))) {
		drop = UNAT_STAT_DROP_NOMEM;
		goto drop;
	}
	unat_frame_push_ipv6(skb, saddr, daddr, nexthdr, 64);
	unat_frame_push_eth(skb, mac, rcu_dereference(unat->config)->gw_mac,
			    htons(ETH_P_IPV6));
	unat_deliver(unat, skb);
	return;
drop:
	unat_stats_inc(unat->stats, drop);
	kfree_skb(skb);
}
