// SPDX-License-Identifier: GPL-2.0
/*
 * ICMPv6: messages checked; echo requests to the gateway answered (ipv6.c
 * hands those to anywhere else to ping6.c); neighbour discovery handed to
 * ndp.c; errors made (hop limit
 * running out at the gateway) or relayed (what the host heard about a
 * flow's packets) toward the guest.
 */
#include <linux/icmpv6.h>
#include <linux/udp.h>
#include <net/ip6_checksum.h>
#include <net/ndisc.h>

#include "types.h"
#include "device.h"
#include "output.h"
#include "flow.h"
#include "services.h"

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

	r = unat_frame_copy(skb, ip->l4off, ip->l4len);
	if (!r)
		return NULL;
	h = (struct icmp6hdr *)r->data;
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
	/* the gateway's own addresses answer; its groups do not */
	if (ipv6_addr_is_multicast(&ip->daddr))
		return UNAT_STAT_DROP_UNSUPPORTED;
	if (!unat_config_is_gateway6(ctx->cfg, &ip->daddr))
		return UNAT_STAT_DROP_UNSUPPORTED;
	*reply = unat_icmp6_echo_reply(ctx, skb, ip);
	return *reply ? UNAT_STAT_ICMP6_ECHO_REPLY : UNAT_STAT_DROP_NOMEM;
}

/*
 * Whether @ip's ICMPv6 message is whole and its checksum right: OK, its
 * header then in the linear area, or the drop counter.
 */
enum unat_stat unat_icmp6_check(struct sk_buff *skb, const struct unat_ip6 *ip)
{
	if (ip->l4len < sizeof(struct icmp6hdr) ||
	    !pskb_may_pull(skb, ip->l4off + sizeof(struct icmp6hdr)))
		return UNAT_STAT_DROP_MALFORMED;
	if (!unat_frame_l4_csum6_ok(skb, ip))
		return UNAT_STAT_DROP_BAD_CSUM;
	return UNAT_STAT_OK;
}

/* A message unat_icmp6_check() passed, for the gateway or its groups. */
enum unat_stat unat_icmp6_input(const struct unat_ctx *ctx,
				struct sk_buff *skb, const struct unat_ip6 *ip,
				struct sk_buff **reply)
{
	const struct icmp6hdr *h;

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

/* RFC 4443 2.4(c): as much of the offending packet as fits in 1280 bytes */
#define UNAT_ICMP6_QUOTE_MAX \
	(IPV6_MIN_MTU - sizeof(struct ipv6hdr) - sizeof(struct icmp6hdr))

/* An ICMPv6 error with room for @qlen bytes of quote at *@quote. */
static struct sk_buff *unat_icmp6_error_alloc(u8 type, u8 code, u32 info,
					      unsigned int qlen, void **quote)
{
	struct icmp6hdr *h;
	struct sk_buff *skb;

	skb = unat_frame_alloc(sizeof(*h) + qlen);
	if (!skb)
		return NULL;
	h = skb_put_zero(skb, sizeof(*h));
	h->icmp6_type = type;
	h->icmp6_code = code;
	h->icmp6_dataun.un_data32[0] = htonl(info);
	*quote = skb_put(skb, qlen);
	return skb;
}

static void unat_icmp6_error_finish(struct sk_buff *skb,
				    const struct in6_addr *saddr,
				    const struct in6_addr *daddr)
{
	struct icmp6hdr *h = (struct icmp6hdr *)skb->data;

	h->icmp6_cksum = 0;
	h->icmp6_cksum = unat_icmp6_csum(skb, saddr, daddr);
}

/*
 * A guest packet whose hop limit runs out at the gateway: time exceeded,
 * from the gateway's address in the prefix, as traceroute6's first hop.
 */
enum unat_stat unat_icmp6_hop_exceeded(const struct unat_ctx *ctx,
				       struct sk_buff *skb,
				       const struct unat_ip6 *ip,
				       struct sk_buff **reply)
{
	unsigned int qlen = min_t(unsigned int, skb->len - ETH_HLEN,
				  UNAT_ICMP6_QUOTE_MAX);
	const u8 *guest_mac = eth_hdr(skb)->h_source;
	const struct in6_addr *gw = &ctx->cfg->gateway6;
	struct sk_buff *r;
	void *quote;

	r = unat_icmp6_error_alloc(ICMPV6_TIME_EXCEED, ICMPV6_EXC_HOPLIMIT, 0,
				   qlen, &quote);
	if (!r)
		return UNAT_STAT_DROP_NOMEM;
	if (skb_copy_bits(skb, ETH_HLEN, quote, qlen)) {
		kfree_skb(r);
		return UNAT_STAT_DROP_MALFORMED;
	}
	unat_icmp6_error_finish(r, gw, &ip->saddr);
	unat_frame_push_ipv6(r, gw, &ip->saddr, IPPROTO_ICMPV6, 64);
	unat_frame_push_eth(r, guest_mac, ctx->cfg->gw_mac, htons(ETH_P_IPV6));
	*reply = r;
	return UNAT_STAT_ICMP_ERROR;
}

/*
 * The host got the ICMPv6 error @h (in @skb, whose IPv6 header says who
 * sent it) about a packet of the flow @key: tell the guest, quoting the
 * packet as the guest sent it.  In @skb the quoted IPv6 header is at
 * offset @inner_off from skb->data, the quoted transport header at @qoff;
 * both linear, with the first 8 bytes of the latter.  Softirq, RCU held.
 */
void unat_icmp6_relay_error(struct unat_dev *unat, const struct sk_buff *skb,
			    unsigned int inner_off, unsigned int qoff,
			    const struct icmp6hdr *h,
			    const struct unat_flow_key *key)
{
	const struct ipv6hdr *inner = (const struct ipv6hdr *)(skb->data +
							       inner_off);
	const struct unat_config *cfg = rcu_dereference(unat->config);
	struct in6_addr offender = ipv6_hdr(skb)->saddr;
	unsigned int avail;
	struct ipv6hdr *q;
	struct sk_buff *r;
	u8 *l4;

	if (qoff + 8 > skb->len)
		return;
	avail = min_t(unsigned int, skb->len - qoff,
		      UNAT_ICMP6_QUOTE_MAX - sizeof(*q));
	r = unat_icmp6_error_alloc(h->icmp6_type, h->icmp6_code,
				   ntohl(h->icmp6_dataun.un_data32[0]),
				   sizeof(*q) + avail, (void **)&q);
	if (!r)
		return;
	l4 = (u8 *)(q + 1);
	if (skb_copy_bits(skb, qoff, l4, avail)) {
		kfree_skb(r);
		return;
	}
	/* the guest's packet as it left the guest */
	ip6_flow_hdr(q, 0, 0);
	q->payload_len = inner->payload_len;
	q->nexthdr = key->proto;
	q->hop_limit = inner->hop_limit;
	q->saddr = key->gaddr.v6;
	q->daddr = ipv6_addr_loopback(&inner->daddr) ? cfg->gateway6 :
						       inner->daddr;
	if (key->proto == IPPROTO_ICMPV6) {
		((struct icmp6hdr *)l4)->icmp6_identifier = key->gport;
	} else {
		((struct udphdr *)l4)->source = key->gport;
		((struct udphdr *)l4)->check = 0;
	}
	if (ipv6_addr_loopback(&offender))
		offender = cfg->gateway6;
	unat_icmp6_error_finish(r, &offender, &key->gaddr.v6);
	unat_stats_inc(unat->stats, UNAT_STAT_ICMP_ERROR);
	unat_deliver_ip6(unat, r, &offender, &key->gaddr.v6, IPPROTO_ICMPV6);
}

/*
 * The host could not connect for the guest's SYN of the flow @key (its
 * sequence @seq): unreachable @code, from the address the SYN went to, as
 * a router on the way would have said.  Only the first 8 bytes of the TCP
 * header are quoted, as from an IPv4 router: ports and sequence are what
 * the guest's stack matches.
 */
void unat_icmp6_unreach_syn(struct unat_dev *unat, u8 code,
			    const struct unat_flow_key *key, u32 seq)
{
	struct ipv6hdr *q;
	struct sk_buff *r;
	__be16 *ports;

	r = unat_icmp6_error_alloc(ICMPV6_DEST_UNREACH, code, 0,
				   sizeof(*q) + 8, (void **)&q);
	if (!r)
		return;
	memset(q, 0, sizeof(*q) + 8);
	ip6_flow_hdr(q, 0, 0);
	q->payload_len = htons(sizeof(struct tcphdr));
	q->nexthdr = IPPROTO_TCP;
	q->hop_limit = 1;
	q->saddr = key->gaddr.v6;
	q->daddr = key->raddr.v6;
	ports = (__be16 *)(q + 1);
	ports[0] = key->gport;
	ports[1] = key->rport;
	put_unaligned_be32(seq, ports + 2);
	unat_icmp6_error_finish(r, &key->raddr.v6, &key->gaddr.v6);
	unat_stats_inc(unat->stats, UNAT_STAT_ICMP_ERROR);
	unat_deliver_ip6(unat, r, &key->raddr.v6, &key->gaddr.v6,
			 IPPROTO_ICMPV6);
}
