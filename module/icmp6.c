// SPDX-License-Identifier: GPL-2.0
/*
 * ICMPv6 to the gateway: echo requests answered, neighbour discovery
 * handed to ndp.c, the rest dropped and counted.
 */
#include <linux/icmpv6.h>
#include <net/ip6_checksum.h>
#include <net/ndisc.h>

#include "config.h"
#include "icmp6.h"
#include "ndp.h"

/* The checksum of the ICMPv6 message that fills @skb from skb->data. */
__sum16 unat_icmp6_csum(const struct sk_buff *skb,
			const struct in6_addr *saddr,
			const struct in6_addr *daddr)
{
	return csum_ipv6_magic(saddr, daddr, skb->len, IPPROTO_ICMPV6,
			       skb_checksum(skb, 0, skb->len, 0));
}

static struct sk_buff *unat_icmp6_echo_reply(const struct unat_ctx *ctx,
					     struct sk_buff *skb,
					     const struct unat_ip6 *ip)
{
	const u8 *guest_mac = eth_hdr(skb)->h_source;
	struct icmp6hdr *h;
	struct sk_buff *r;

	r = unat_frame_alloc(ip->l4len);
	if (!r)
		return NULL;
	h = skb_put(r, ip->l4len);
	if (skb_copy_bits(skb, ip->l4off, h, ip->l4len)) {
		kfree_skb(r);
		return NULL;
	}
	h->icmp6_type = ICMPV6_ECHO_REPLY;
	h->icmp6_cksum = 0;
	h->icmp6_cksum = unat_icmp6_csum(r, &ip->daddr, &ip->saddr);
	unat_frame_push_ipv6(r, &ip->daddr, &ip->saddr, IPPROTO_ICMPV6, 64);
	unat_frame_push_eth(r, guest_mac, ctx->cfg->gw_mac, htons(ETH_P_IPV6));
	return r;
}

static enum unat_stat unat_icmp6_echo(const struct unat_ctx *ctx,
				      struct sk_buff *skb,
				      const struct unat_ip6 *ip,
				      const struct icmp6hdr *h,
				      struct sk_buff **reply)
{
	if (h->icmp6_code)
		return UNAT_STAT_DROP_MALFORMED;
	/* only the gateway's own addresses answer, not its groups */
	if (!unat_config_is_gateway6(ctx->cfg, &ip->daddr))
		return UNAT_STAT_DROP_UNSUPPORTED;
	*reply = unat_icmp6_echo_reply(ctx, skb, ip);
	return *reply ? UNAT_STAT_ICMP6_ECHO_REPLY : UNAT_STAT_DROP_NOMEM;
}

enum unat_stat unat_icmp6_input(const struct unat_ctx *ctx,
				struct sk_buff *skb, const struct unat_ip6 *ip,
				struct sk_buff **reply)
{
	const struct icmp6hdr *h;

	if (ip->l4len < sizeof(*h) ||
	    !pskb_may_pull(skb, ip->l4off + sizeof(*h)))
		return UNAT_STAT_DROP_MALFORMED;
	if (!unat_frame_l4_csum6_ok(skb, ip))
		return UNAT_STAT_DROP_BAD_CSUM;
	h = (const struct icmp6hdr *)(skb->data + ip->l4off);
	switch (h->icmp6_type) {
	case ICMPV6_ECHO_REQUEST:
		return unat_icmp6_echo(ctx, skb, ip, h, reply);
	case NDISC_ROUTER_SOLICITATION:
	case NDISC_NEIGHBOUR_SOLICITATION:
	case NDISC_NEIGHBOUR_ADVERTISEMENT:
		return unat_ndp_input(ctx, skb, ip, reply);
	default:
		return UNAT_STAT_DROP_UNSUPPORTED;
	}
}
