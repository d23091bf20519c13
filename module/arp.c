// SPDX-License-Identifier: GPL-2.0
/*
 * ARP: the gateway answers for its own addresses (gateway and DNS) and
 * learns the guest's MAC address.  Nothing else is answered.
 */
#include <kunit/visibility.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>

#include "types.h"
#include "services.h"

/* The Ethernet/IPv4 ARP packet after its fixed header. */
struct unat_arp_eth_ip4 {
	u8 sha[ETH_ALEN];
	__be32 sip;
	u8 tha[ETH_ALEN];
	__be32 tip;
} __packed;

#define UNAT_ARP_LEN	(sizeof(struct arphdr) + sizeof(struct unat_arp_eth_ip4))

static struct sk_buff *unat_arp_reply(const struct unat_ctx *ctx,
				      const struct unat_arp_eth_ip4 *req)
{
	struct unat_arp_eth_ip4 *body;
	struct arphdr *arp;
	struct sk_buff *r;

	r = unat_frame_alloc(UNAT_ARP_LEN);
	if (!r)
		return NULL;
	arp = skb_put(r, sizeof(*arp));
	arp->ar_hrd = htons(ARPHRD_ETHER);
	arp->ar_pro = htons(ETH_P_IP);
	arp->ar_hln = ETH_ALEN;
	arp->ar_pln = 4;
	arp->ar_op = htons(ARPOP_REPLY);
	body = skb_put(r, sizeof(*body));
	ether_addr_copy(body->sha, ctx->cfg->gw_mac);
	body->sip = req->tip;
	ether_addr_copy(body->tha, req->sha);
	body->tip = req->sip;
	unat_frame_push_eth(r, req->sha, ctx->cfg->gw_mac, htons(ETH_P_ARP));
	return r;
}

static void unat_arp_learn(const struct unat_ctx *ctx,
			   const struct unat_arp_eth_ip4 *body)
{
	/* Probes (sender 0.0.0.0) and announcements of the guest's address
	 * both tell us who the guest is.
	 */
	if (body->sip && body->sip != ctx->cfg->guest)
		return;
	spin_lock(&ctx->guest->lock);
	unat_guest_learn_mac(ctx->guest, body->sha);
	spin_unlock(&ctx->guest->lock);
}

enum unat_stat unat_arp_input(const struct unat_ctx *ctx, struct sk_buff *skb,
			      struct sk_buff **reply)
{
	const struct unat_config *cfg = ctx->cfg;
	const struct unat_arp_eth_ip4 *body;
	const struct arphdr *arp;

	if (!pskb_may_pull(skb, ETH_HLEN + UNAT_ARP_LEN))
		return UNAT_STAT_DROP_MALFORMED;
	arp = (const struct arphdr *)(skb->data + ETH_HLEN);
	if (arp->ar_hrd != htons(ARPHRD_ETHER) ||
	    arp->ar_pro != htons(ETH_P_IP) ||
	    arp->ar_hln != ETH_ALEN || arp->ar_pln != 4)
		return UNAT_STAT_DROP_MALFORMED;
	body = (const struct unat_arp_eth_ip4 *)(arp + 1);
	if (!is_valid_ether_addr(body->sha) ||
	    !ether_addr_equal(body->sha, eth_hdr(skb)->h_source))
		return UNAT_STAT_DROP_BAD_SOURCE;

	unat_arp_learn(ctx, body);
	if (arp->ar_op != htons(ARPOP_REQUEST))
		return UNAT_STAT_DROP_ARP_IGNORED;
	if (body->tip != cfg->gateway && body->tip != cfg->dns)
		return UNAT_STAT_DROP_ARP_IGNORED;
	if (body->sip == body->tip)
		return UNAT_STAT_DROP_ARP_IGNORED;	/* a conflict, not a question */

	*reply = unat_arp_reply(ctx, body);
	return *reply ? UNAT_STAT_ARP_REPLY : UNAT_STAT_DROP_NOMEM;
}
EXPORT_SYMBOL_IF_KUNIT(unat_arp_input);
