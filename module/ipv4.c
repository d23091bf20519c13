// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 from the guest: header validation and dispatch to the gateway's
 * services.  Later flows hang off the same dispatch.
 */
#include <kunit/visibility.h>
#include <linux/inetdevice.h>
#include <net/ip.h>

#include "types.h"
#include "device.h"
#include "services.h"
#include "proto.h"
#include "demux.h"

#define UNAT_BOOTPS	67

/* Reassembly queues of guest fragments, apart from the host's own. */
#define UNAT_DEFRAG_USER	IP_DEFRAG_MACVLAN

/*
 * Validate the IPv4 header at ETH_HLEN and fill @ip.  Trims Ethernet padding
 * so that skb->len ends with the packet.  Returns UNAT_STAT_OK or the drop counter.
 */
enum unat_stat unat_ipv4_parse(struct sk_buff *skb, struct unat_ip4 *ip)
{
	const struct iphdr *iph;
	unsigned int ihl, tot;

	if (!pskb_may_pull(skb, ETH_HLEN + sizeof(*iph)))
		return UNAT_STAT_DROP_MALFORMED;
	iph = (const struct iphdr *)(skb->data + ETH_HLEN);
	ihl = iph->ihl * 4;
	if (iph->version != 4 || ihl < sizeof(*iph))
		return UNAT_STAT_DROP_MALFORMED;
	if (!pskb_may_pull(skb, ETH_HLEN + ihl))
		return UNAT_STAT_DROP_MALFORMED;
	iph = (const struct iphdr *)(skb->data + ETH_HLEN);
	tot = ntohs(iph->tot_len);
	if (tot < ihl || tot > skb->len - ETH_HLEN)
		return UNAT_STAT_DROP_MALFORMED;
	if (ip_fast_csum(iph, iph->ihl))
		return UNAT_STAT_DROP_BAD_CSUM;
	if (ipv4_is_multicast(iph->saddr) || ipv4_is_lbcast(iph->saddr) ||
	    ipv4_is_loopback(iph->saddr))
		return UNAT_STAT_DROP_BAD_SOURCE;
	if (ip_is_fragment(iph)) {
		if (!unat_frag_len_ok(iph->frag_off & htons(IP_MF),
				      ntohs(iph->frag_off & htons(IP_OFFSET)) << 3,
				      tot - ihl))
			return UNAT_STAT_DROP_FRAGMENT_INVALID;
		if (pskb_trim_rcsum(skb, ETH_HLEN + tot))
			return UNAT_STAT_DROP_NOMEM;
		return UNAT_STAT_FRAGMENT_HELD;
	}

	ip->saddr = iph->saddr;
	ip->daddr = iph->daddr;
	ip->protocol = iph->protocol;
	ip->ttl = iph->ttl;
	ip->tos = iph->tos;
	ip->df = !!(iph->frag_off & htons(IP_DF));
	ip->l4off = ETH_HLEN + ihl;
	ip->l4len = tot - ihl;
	if (pskb_trim_rcsum(skb, ETH_HLEN + tot))
		return UNAT_STAT_DROP_NOMEM;
	return UNAT_STAT_OK;
}
EXPORT_SYMBOL_IF_KUNIT(unat_ipv4_parse);

static bool unat_ipv4_to_gateway(const struct unat_config *cfg, __be32 daddr)
{
	return daddr == cfg->gateway || daddr == cfg->dns;
}

static enum unat_stat unat_udp4_input(const struct unat_ctx *ctx,
				      struct sk_buff *skb,
				      const struct unat_ip4 *ip,
				      struct sk_buff **reply)
{
	const struct unat_config *cfg = ctx->cfg;
	const struct udphdr *uh;
	unsigned int ulen;

	if (ip->l4len < sizeof(*uh) ||
	    !pskb_may_pull(skb, ip->l4off + sizeof(*uh)))
		return UNAT_STAT_DROP_MALFORMED;
	uh = (const struct udphdr *)(skb->data + ip->l4off);
	ulen = ntohs(uh->len);
	if (ulen < sizeof(*uh) || ulen > ip->l4len)
		return UNAT_STAT_DROP_MALFORMED;
	if (uh->check && !unat_frame_l4_csum_ok(skb, ip))
		return UNAT_STAT_DROP_BAD_CSUM;
	if (uh->dest == htons(UNAT_BOOTPS)) {
		if (ip->daddr != htonl(INADDR_BROADCAST) &&
		    ip->daddr != unat_config_broadcast(cfg) &&
		    !unat_ipv4_to_gateway(cfg, ip->daddr))
			return UNAT_STAT_DROP_NOT_FOR_GATEWAY;
		return unat_dhcp_input(ctx, skb, ip->l4off + sizeof(*uh),
				       ulen - sizeof(*uh), reply);
	}
	/* only the guest's own address teaches its MAC: a spoofed source
	 * must not redirect the guest's traffic to another MAC
	 */
	if (ctx->unat && ip->saddr == cfg->guest)
		unat_guest_note_mac(ctx->guest, eth_hdr(skb)->h_source);
	if (ip->daddr == cfg->dns && uh->dest == htons(UNAT_DNS_PORT))
		return unat_dns_input(ctx, skb, ip);
	return unat_udp_input(ctx, skb, ip, reply);
}

/*
 * A fragment from the guest: reassembly with the kernel's IPv4 defrag, in
 * the device's netns, whose limits (ipfrag_high_thresh, ipfrag_time) bound
 * the memory and time it takes.  A completed datagram goes through
 * unat_ipv4_input() again, once (unat_input_reassembled()).
 */
static enum unat_stat unat_ipv4_defrag(const struct unat_ctx *ctx,
				       struct sk_buff *skb)
{
	enum unat_stat ret;
	int err;

	ret = unat_input_defrag_check(ctx, skb);
	if (ret)
		return ret;
	/* From here on the fragment is consumed, whatever happens. */
	skb_pull(skb, ETH_HLEN);
	skb_reset_network_header(skb);
	err = ip_defrag(dev_net(ctx->unat->dev), skb, UNAT_DEFRAG_USER);
	if (err == -EINPROGRESS)
		return UNAT_STAT_FRAGMENT_HELD;
	if (err) {
		/* ip_defrag() freed it */
		unat_stats_inc(ctx->unat->stats, UNAT_STAT_DROP_FRAGMENT);
		return UNAT_STAT_FRAGMENT_HELD;
	}
	/* the whole datagram, its Ethernet header in front again */
	skb_push(skb, ETH_HLEN);
	skb_reset_mac_header(skb);
	unat_input_reassembled(ctx, skb);
	return UNAT_STAT_FRAGMENT_HELD;
}

/*
 * Handle an IPv4 frame from the guest.  On success a reply for the guest
 * may be left in @reply.  Returns the counter that accounts for the frame.
 */
enum unat_stat unat_ipv4_input(const struct unat_ctx *ctx,
			       struct sk_buff *skb, struct sk_buff **reply)
{
	struct unat_ip4 ip;
	enum unat_stat ret;

	ret = unat_ipv4_parse(skb, &ip);
	if (ret == UNAT_STAT_FRAGMENT_HELD)
		return unat_ipv4_defrag(ctx, skb);
	if (!ret)
		ret = unat_frame_offload_check(skb, ip.l4off, ip.protocol, false);
	if (ret)
		return ret;
	switch (ip.protocol) {
	case IPPROTO_TCP:
		return unat_tcp_input(ctx, skb, &ip, reply);
	case IPPROTO_UDP:
		return unat_udp4_input(ctx, skb, &ip, reply);
	case IPPROTO_ICMP:
		if (ipv4_is_zeronet(ip.saddr))
			return UNAT_STAT_DROP_BAD_SOURCE;
		if (!unat_ipv4_to_gateway(ctx->cfg, ip.daddr))
			return unat_ping_input(ctx, skb, &ip, reply);
		return unat_icmp_input(ctx, skb, &ip, reply);
	default:
		return UNAT_STAT_DROP_UNSUPPORTED;
	}
}
EXPORT_SYMBOL_IF_KUNIT(unat_ipv4_input);
