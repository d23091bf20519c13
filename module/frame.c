// SPDX-License-Identifier: GPL-2.0
/*
 * Building frames for the guest, and checking guest checksums.
 */
#include <kunit/visibility.h>
#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/random.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "types.h"

/*
 * A frame whose @payload_len bytes of L4 payload start at skb->data, with
 * headroom for the headers that unat_frame_push_*() prepend.
 */
struct sk_buff *unat_frame_alloc(unsigned int payload_len)
{
	struct sk_buff *skb;

	skb = alloc_skb(UNAT_FRAME_HEADROOM + payload_len, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, UNAT_FRAME_HEADROOM);
	return skb;
}

/*
 * A new frame whose payload is a copy of @len bytes of @skb at @off, with
 * room for headers in front; NULL when memory or @skb falls short.
 */
struct sk_buff *unat_frame_copy(const struct sk_buff *skb, unsigned int off,
				unsigned int len)
{
	struct sk_buff *f = unat_frame_alloc(len);

	if (f && skb_copy_bits(skb, off, skb_put(f, len), len)) {
		kfree_skb(f);
		f = NULL;
	}
	return f;
}

void unat_frame_push_eth(struct sk_buff *skb, const u8 *dst, const u8 *src,
			 __be16 proto)
{
	struct ethhdr *eth = skb_push(skb, ETH_HLEN);

	skb_reset_mac_header(skb);
	ether_addr_copy(eth->h_dest, dst);
	ether_addr_copy(eth->h_source, src);
	eth->h_proto = proto;
}

/* An IPv4 header without options, DF set, checksummed. */
void unat_frame_ipv4_hdr(struct iphdr *iph, __be32 saddr, __be32 daddr,
			 u8 protocol, unsigned int tot_len, u8 ttl)
{
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = 0;
	iph->tot_len = htons(tot_len);
	iph->id = htons(get_random_u16());
	iph->frag_off = htons(IP_DF);
	iph->ttl = ttl;
	iph->protocol = protocol;
	iph->saddr = saddr;
	iph->daddr = daddr;
	ip_send_check(iph);
}

void unat_frame_push_ipv4(struct sk_buff *skb, __be32 saddr, __be32 daddr,
			  u8 protocol)
{
	struct iphdr *iph = skb_push(skb, sizeof(*iph));

	skb_reset_network_header(skb);
	unat_frame_ipv4_hdr(iph, saddr, daddr, protocol, skb->len, 64);
}

/* Prepend a UDP header with a full checksum over the payload. */
void unat_frame_push_udp4(struct sk_buff *skb, __be32 saddr, __be32 daddr,
			  __be16 sport, __be16 dport)
{
	struct udphdr *uh = skb_push(skb, sizeof(*uh));
	__wsum csum;

	skb_reset_transport_header(skb);
	uh->source = sport;
	uh->dest = dport;
	uh->len = htons(skb->len);
	uh->check = 0;
	csum = skb_checksum(skb, 0, skb->len, 0);
	uh->check = csum_tcpudp_magic(saddr, daddr, skb->len, IPPROTO_UDP,
				      csum);
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
}

/*
 * Verify the transport checksum of a guest packet.  A guest that offloads
 * its checksum (virtio NEEDS_CSUM, or the stack of a netns that unat0 sits
 * in) leaves it unfinished: CHECKSUM_PARTIAL frames are trusted.
 */
bool unat_frame_l4_csum_ok(struct sk_buff *skb, const struct unat_ip4 *ip)
{
	__wsum csum;

	if (skb->ip_summed == CHECKSUM_PARTIAL ||
	    skb->ip_summed == CHECKSUM_UNNECESSARY)
		return true;
	csum = skb_checksum(skb, ip->l4off, ip->l4len, 0);
	if (ip->protocol == IPPROTO_ICMP)
		return !csum_fold(csum);
	return !csum_tcpudp_magic(ip->saddr, ip->daddr, ip->l4len,
				  ip->protocol, csum);
}

/* An IPv6 header for the payload at skb->data, no extension headers. */
void unat_frame_push_ipv6(struct sk_buff *skb, const struct in6_addr *saddr,
			  const struct in6_addr *daddr, u8 nexthdr,
			  u8 hop_limit)
{
	unsigned int plen = skb->len;
	struct ipv6hdr *ip6h = skb_push(skb, sizeof(*ip6h));

	skb_reset_network_header(skb);
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->payload_len = htons(plen);
	ip6h->nexthdr = nexthdr;
	ip6h->hop_limit = hop_limit;
	ip6h->saddr = *saddr;
	ip6h->daddr = *daddr;
}

/* Prepend a UDP header with its checksum, mandatory over IPv6. */
void unat_frame_push_udp6(struct sk_buff *skb, const struct in6_addr *saddr,
			  const struct in6_addr *daddr, __be16 sport,
			  __be16 dport)
{
	struct udphdr *uh = skb_push(skb, sizeof(*uh));

	skb_reset_transport_header(skb);
	uh->source = sport;
	uh->dest = dport;
	uh->len = htons(skb->len);
	uh->check = 0;
	uh->check = csum_ipv6_magic(saddr, daddr, skb->len, IPPROTO_UDP,
				    skb_checksum(skb, 0, skb->len, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
}

/* As unat_frame_l4_csum_ok(), for an upper-layer protocol over IPv6. */
bool unat_frame_l4_csum6_ok(struct sk_buff *skb, const struct unat_ip6 *ip)
{
	__wsum csum;

	if (skb->ip_summed == CHECKSUM_PARTIAL ||
	    skb->ip_summed == CHECKSUM_UNNECESSARY)
		return true;
	csum = skb_checksum(skb, ip->l4off, ip->l4len, 0);
	return !csum_ipv6_magic(&ip->saddr, &ip->daddr, ip->l4len, ip->nexthdr,
				csum);
}

/* Where @proto keeps its checksum in its header, or -1. */
static int unat_frame_csum_field(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return offsetof(struct tcphdr, check);
	case IPPROTO_UDP:
		return offsetof(struct udphdr, check);
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return offsetof(struct icmphdr, checksum);
	default:
		return -1;
	}
}

/*
 * The offload state of a guest packet whose transport header, of @proto,
 * is at @l4off.  It is the guest's (a VM sets it through the virtio-net
 * header), so it must describe this packet: a super-frame is TCP of the
 * packet's family (@v6), USO frames having been split before; an
 * unfinished checksum (CHECKSUM_PARTIAL) is the transport's own field or,
 * in UDP, one inside the payload (a tunnel in the guest).  Returns
 * UNAT_STAT_OK or UNAT_STAT_DROP_BAD_OFFLOAD.
 */
enum unat_stat unat_frame_offload_check(const struct sk_buff *skb,
					unsigned int l4off, u8 proto, bool v6)
{
	int start;

	if (skb_is_gso(skb) &&
	    (proto != IPPROTO_TCP ||
	     !(skb_shinfo(skb)->gso_type & (v6 ? SKB_GSO_TCPV6 :
						 SKB_GSO_TCPV4))))
		return UNAT_STAT_DROP_BAD_OFFLOAD;
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return UNAT_STAT_OK;
	start = skb_checksum_start_offset(skb);
	if (start == l4off && skb->csum_offset == unat_frame_csum_field(proto))
		return UNAT_STAT_OK;
	if (proto == IPPROTO_UDP && !skb_is_gso(skb) &&
	    start >= (int)(l4off + sizeof(struct udphdr)) &&
	    start + skb->csum_offset + sizeof(__sum16) <= skb->len)
		return UNAT_STAT_OK;
	return UNAT_STAT_DROP_BAD_OFFLOAD;
}
EXPORT_SYMBOL_IF_KUNIT(unat_frame_offload_check);

/*
 * A guest payload, from @from on, is about to leave through a host socket:
 * finish a checksum the guest left to the device inside it while the
 * guest's layout still holds (unat_frame_offload_check() vetted it), and
 * drop the offload state, which must not reach the host's stack.  One
 * before @from belongs to a header unat rebuilds.  Returns UNAT_STAT_OK or
 * UNAT_STAT_DROP_NOMEM.
 */
enum unat_stat unat_frame_csum_finish(struct sk_buff *skb, unsigned int from)
{
	int start;

	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		start = skb_checksum_start_offset(skb);
		if (start >= (int)from &&
		    (!pskb_may_pull(skb, start + skb->csum_offset +
				    sizeof(__sum16)) ||
		     skb_checksum_help(skb)))
			return UNAT_STAT_DROP_NOMEM;
	}
	skb->ip_summed = CHECKSUM_NONE;
	return UNAT_STAT_OK;
}
EXPORT_SYMBOL_IF_KUNIT(unat_frame_csum_finish);
