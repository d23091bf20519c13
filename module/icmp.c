// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP addressed to the gateway itself: echo requests are answered here.
 */
#include <linux/icmp.h>
#include <net/checksum.h>

#include "config.h"
#include "icmp.h"

static struct sk_buff *unat_icmp_echo_reply(const struct unat_ctx *ctx,
					    struct sk_buff *skb,
					    const struct unat_ip4 *ip)
{
	const u8 *guest_mac = eth_hdr(skb)->h_source;
	struct icmphdr *icmph;
	struct sk_buff *r;

	r = unat_frame_alloc(ip->l4len);
	if (!r)
		return NULL;
	icmph = skb_put(r, ip->l4len);
	if (skb_copy_bits(skb, ip->l4off, icmph, ip->l4len)) {
		kfree_skb(r);
		return NULL;
	}
	icmph->type = ICMP_ECHOREPLY;
	icmph->checksum = 0;
	icmph->checksum = csum_fold(csum_partial(icmph, ip->l4len, 0));
	unat_frame_push_ipv4(r, ip->daddr, ip->saddr, IPPROTO_ICMP);
	unat_frame_push_eth(r, guest_mac, ctx->cfg->gw_mac, htons(ETH_P_IP));
	return r;
}

enum unat_stat unat_icmp_input(const struct unat_ctx *ctx,
			       struct sk_buff *skb, const struct unat_ip4 *ip,
			       struct sk_buff **reply)
{
	const struct icmphdr *icmph;

	if (ip->l4len < sizeof(*icmph) ||
	    !pskb_may_pull(skb, ip->l4off + sizeof(*icmph)))
		return UNAT_STAT_DROP_MALFORMED;
	icmph = (const struct icmphdr *)(skb->data + ip->l4off);
	if (icmph->type != ICMP_ECHO)
		return UNAT_STAT_DROP_UNSUPPORTED;
	if (icmph->code)
		return UNAT_STAT_DROP_MALFORMED;
	if (!unat_frame_l4_csum_ok(skb, ip))
		return UNAT_STAT_DROP_BAD_CSUM;
	*reply = unat_icmp_echo_reply(ctx, skb, ip);
	return *reply ? UNAT_STAT_ICMP_ECHO_REPLY : UNAT_STAT_DROP_NOMEM;
}
