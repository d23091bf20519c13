// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP: echo requests to the gateway itself are answered here; errors are
 * made (TTL running out at the gateway) or relayed (what the host heard
 * about a flow's packets) toward the guest.
 */
#include <linux/icmp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "types.h"
#include "device.h"
#include "output.h"
#include "services.h"

static struct sk_buff *unat_icmp_echo_reply(const struct unat_ctx *ctx,
					    struct sk_buff *skb,
					    const struct unat_ip4 *ip)
{
	const u8 *guest_mac = eth_hdr(skb)->h_source;
	struct icmphdr *icmph;
	struct sk_buff *r;

	r = unat_frame_copy(skb, ip->l4off, ip->l4len);
	if (!r)
		return NULL;
	icmph = (struct icmphdr *)r->data;
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

/* Longest quote of the offending packet in an error (RFC 1812 4.3.2.3). */
#define UNAT_ICMP_QUOTE_MAX	(576 - sizeof(struct iphdr) - sizeof(struct icmphdr))

/*
 * An ICMP error body: the header, and @qlen bytes of quoted packet whose
 * address is returned in @quote for the caller to fill.  Checksummed by
 * unat_icmp_error_finish().
 */
static struct sk_buff *unat_icmp_error_alloc(u8 type, u8 code, u32 info,
					     unsigned int qlen, void **quote)
{
	struct icmphdr *icmph;
	struct sk_buff *skb;

	skb = unat_frame_alloc(sizeof(*icmph) + qlen);
	if (!skb)
		return NULL;
	icmph = skb_put_zero(skb, sizeof(*icmph));
	icmph->type = type;
	icmph->code = code;
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED)
		icmph->un.frag.mtu = htons(info);
	else if (type == ICMP_PARAMETERPROB)
		icmph->un.gateway = htonl(info << 24);
	*quote = skb_put(skb, qlen);
	return skb;
}

static void unat_icmp_error_finish(struct sk_buff *skb)
{
	struct icmphdr *icmph = (struct icmphdr *)skb->data;

	icmph->checksum = 0;
	icmph->checksum = csum_fold(csum_partial(skb->data, skb->len, 0));
}

/*
 * A guest packet whose TTL runs out at the gateway: time exceeded, from
 * the gateway, as the first hop of a traceroute sees it.
 */
enum unat_stat unat_icmp_ttl_exceeded(const struct unat_ctx *ctx,
				      struct sk_buff *skb,
				      const struct unat_ip4 *ip,
				      struct sk_buff **reply)
{
	unsigned int qlen = min_t(unsigned int, skb->len - ETH_HLEN,
				  UNAT_ICMP_QUOTE_MAX);
	const u8 *guest_mac = eth_hdr(skb)->h_source;
	struct sk_buff *r;
	void *quote;

	r = unat_icmp_error_alloc(ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0, qlen,
				  &quote);
	if (!r)
		return UNAT_STAT_DROP_NOMEM;
	if (skb_copy_bits(skb, ETH_HLEN, quote, qlen)) {
		kfree_skb(r);
		return UNAT_STAT_DROP_MALFORMED;
	}
	unat_icmp_error_finish(r);
	unat_frame_push_ipv4(r, ctx->cfg->gateway, ip->saddr, IPPROTO_ICMP);
	unat_frame_push_eth(r, guest_mac, ctx->cfg->gw_mac, htons(ETH_P_IP));
	*reply = r;
	return UNAT_STAT_ICMP_ERROR;
}

/*
 * The host got ICMP @type/@code from @offender about a packet a flow sent:
 * tell the guest, quoting the packet as the guest sent it (from @gaddr:
 * @gport to @raddr:@rport).  @icmp is the host's ICMP message, its data at
 * the quoted IPv4 header; @payload points after the quoted transport header
 * (8 bytes for UDP, ICMP echo).  Softirq.
 */
void unat_icmp_relay_error(struct unat_dev *unat, struct sk_buff *icmp,
			   __be32 offender, u8 type, u8 code, u32 info,
			   __be32 gaddr, __be16 gport, __be32 raddr,
			   __be16 rport, u8 proto, const u8 *payload)
{
	const struct iphdr *inner = (const struct iphdr *)icmp->data;
	const struct unat_config *cfg = rcu_dereference(unat->config);
	unsigned int avail, qlen;
	struct iphdr *qiph;
	struct sk_buff *r;
	u8 *l4;

	if (payload < icmp->data || payload > skb_tail_pointer(icmp))
		return;
	avail = min_t(unsigned int, skb_tail_pointer(icmp) - payload,
		      UNAT_ICMP_QUOTE_MAX - sizeof(*qiph) - 8);
	qlen = sizeof(*qiph) + 8 + avail;
	r = unat_icmp_error_alloc(type, code, info, qlen, (void **)&qiph);
	if (!r)
		return;
	/* the guest's packet as it left the guest */
	memset(qiph, 0, sizeof(*qiph));
	qiph->version = 4;
	qiph->ihl = 5;
	qiph->tot_len = htons(ntohs(inner->tot_len) - inner->ihl * 4 +
			      sizeof(*qiph));
	qiph->id = inner->id;
	qiph->frag_off = inner->frag_off;
	qiph->ttl = 1;
	qiph->protocol = proto;
	qiph->saddr = gaddr;
	qiph->daddr = ipv4_is_loopback(raddr) ? cfg->gateway : raddr;
	ip_send_check(qiph);
	l4 = (u8 *)(qiph + 1);
	memcpy(l4, payload - 8, 8);
	if (proto == IPPROTO_UDP) {
		((struct udphdr *)l4)->source = gport;
		((struct udphdr *)l4)->dest = rport;
		((struct udphdr *)l4)->check = 0;
	} else {
		((struct icmphdr *)l4)->un.echo.id = gport;
	}
	memcpy(l4 + 8, payload, avail);
	unat_icmp_error_finish(r);
	if (ipv4_is_loopback(offender))
		offender = cfg->gateway;
	unat_stats_inc(unat->stats, UNAT_STAT_ICMP_ERROR);
	unat_deliver_ip(unat, r, offender, gaddr, IPPROTO_ICMP);
}

/*
 * The host's connect for a guest SYN (@gaddr:@gport to @raddr:@rport,
 * sequence @seq) failed with @code: destination unreachable to the guest,
 * from @raddr, quoting the SYN's headers as the guest sent them.
 */
void unat_icmp_unreach_syn(struct unat_dev *unat, u8 code, __be32 gaddr,
			   __be16 gport, __be32 raddr, __be16 rport, u32 seq)
{
	struct iphdr *qiph;
	struct sk_buff *r;
	__be16 *ports;

	r = unat_icmp_error_alloc(ICMP_DEST_UNREACH, code, 0,
				  sizeof(*qiph) + 8, (void **)&qiph);
	if (!r)
		return;
	memset(qiph, 0, sizeof(*qiph) + 8);
	unat_frame_ipv4_hdr(qiph, gaddr, raddr, IPPROTO_TCP,
			    sizeof(*qiph) + sizeof(struct tcphdr), 1);
	ports = (__be16 *)(qiph + 1);
	ports[0] = gport;
	ports[1] = rport;
	put_unaligned_be32(seq, ports + 2);
	unat_icmp_error_finish(r);
	unat_stats_inc(unat->stats, UNAT_STAT_ICMP_ERROR);
	unat_deliver_ip(unat, r, raddr, gaddr, IPPROTO_ICMP);
}
