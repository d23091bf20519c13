// SPDX-License-Identifier: GPL-2.0
/*
 * IPv6 from the guest: header validation, the extension header chain, and
 * dispatch.  The gateway's own services (NDP, router advertisements,
 * ICMPv6 echo, DHCPv6, DNS) answer here; ICMPv6 echo, UDP and TCP to
 * anywhere go through the host (ping6.c, udp.c, tcp_input.c).
 */
#include <kunit/visibility.h>
#include <net/addrconf.h>
#include <net/ipv6.h>
#include <net/ipv6_frag.h>
#include <net/ndisc.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "types.h"
#include "device.h"
#include "services.h"
#include "proto.h"
#include "demux.h"

/* All_DHCP_Relay_Agents_and_Servers (RFC 8415 7.1) */
static const struct in6_addr unat_all_dhcp6 = {
	.s6_addr = { 0xff, 0x02, [13] = 1, [15] = 2 }
};

/*
 * Walk the extension headers from *@off, its first next header *@nexthdr,
 * as ipv6_skip_exthdr() does, to the upper-layer header (or, in a fragment
 * that is not the first, to its fragment header).  Unlike it, refuse a
 * second fragment header: RFC 8200 4.1 allows one, no sender nests them,
 * and a chain of them would read as unfragmented or be reassembled once
 * per header.  @frag_off gets the fragment header's field; @frag whether
 * there was one.
 */
static enum unat_stat unat_ipv6_skip_ext(const struct sk_buff *skb,
					 unsigned int *off, u8 *nexthdr,
					 __be16 *frag_off, bool *frag)
{
	struct ipv6_opt_hdr _hdr, *hp;
	struct frag_hdr _fh, *fh;

	*frag_off = 0;
	*frag = false;
	while (ipv6_ext_hdr(*nexthdr)) {
		if (*nexthdr == NEXTHDR_NONE)
			return UNAT_STAT_DROP_MALFORMED;
		if (*nexthdr != NEXTHDR_FRAGMENT) {
			hp = skb_header_pointer(skb, *off, sizeof(_hdr), &_hdr);
			if (!hp)
				return UNAT_STAT_DROP_MALFORMED;
			*off += *nexthdr == NEXTHDR_AUTH ? ipv6_authlen(hp) :
							   ipv6_optlen(hp);
			*nexthdr = hp->nexthdr;
			continue;
		}
		if (*frag)
			return UNAT_STAT_DROP_FRAGMENT_INVALID;
		fh = skb_header_pointer(skb, *off, sizeof(_fh), &_fh);
		if (!fh)
			return UNAT_STAT_DROP_MALFORMED;
		*frag = true;
		*frag_off = fh->frag_off;
		/* RFC 8200 4.5: all but the last carry 8-byte multiples */
		if (!unat_frag_len_ok(fh->frag_off & htons(IP6_MF),
				      ntohs(fh->frag_off & htons(IP6_OFFSET)),
				      (int)skb->len - (int)(*off + sizeof(*fh))))
			return UNAT_STAT_DROP_FRAGMENT_INVALID;
		if (fh->frag_off & htons(IP6_OFFSET))
			break;
		*off += sizeof(*fh);
		*nexthdr = fh->nexthdr;
	}
	return *off > skb->len ? UNAT_STAT_DROP_MALFORMED : UNAT_STAT_OK;
}

/*
 * Validate the IPv6 header at ETH_HLEN, walk its extension headers and fill
 * @ip.  Trims Ethernet padding so that skb->len ends with the packet.
 * Returns UNAT_STAT_OK or the drop counter.
 */
enum unat_stat unat_ipv6_parse(struct sk_buff *skb, struct unat_ip6 *ip)
{
	const unsigned int start = ETH_HLEN + sizeof(struct ipv6hdr);
	const struct ipv6hdr *ip6h;
	unsigned int plen, off = start;
	enum unat_stat ret;
	__be16 frag_off;
	u8 nexthdr;
	bool frag;

	if (!pskb_may_pull(skb, start))
		return UNAT_STAT_DROP_MALFORMED;
	ip6h = (const struct ipv6hdr *)(skb->data + ETH_HLEN);
	plen = ntohs(ip6h->payload_len);
	/* a jumbogram (length 0, RFC 2675) never fits an Ethernet frame */
	if (ip6h->version != 6 || !plen || plen > skb->len - start)
		return UNAT_STAT_DROP_MALFORMED;
	if (pskb_trim_rcsum(skb, start + plen))
		return UNAT_STAT_DROP_NOMEM;
	ip6h = (const struct ipv6hdr *)(skb->data + ETH_HLEN);
	if (ipv6_addr_is_multicast(&ip6h->saddr) ||
	    ipv6_addr_loopback(&ip6h->saddr) ||
	    ipv6_addr_v4mapped(&ip6h->saddr))
		return UNAT_STAT_DROP_BAD_SOURCE;

	ip->saddr = ip6h->saddr;
	ip->daddr = ip6h->daddr;
	ip->hop_limit = ip6h->hop_limit;
	nexthdr = ip6h->nexthdr;
	ret = unat_ipv6_skip_ext(skb, &off, &nexthdr, &frag_off, &frag);
	if (ret)
		return ret;
	if (frag_off & htons(IP6_OFFSET | IP6_MF))
		return UNAT_STAT_FRAGMENT_HELD;
	ip->nexthdr = nexthdr;
	ip->ext = off != start;
	ip->frag = frag;
	ip->l4off = off;
	ip->l4len = skb->len - off;
	return UNAT_STAT_OK;
}
EXPORT_SYMBOL_IF_KUNIT(unat_ipv6_parse);

/*
 * Whether a packet to @daddr is the gateway's: one of its addresses, the
 * all-nodes or all-routers group, or a solicited-node group (NDP).
 */
static bool unat_ipv6_to_gateway(const struct unat_config *cfg,
				 const struct in6_addr *daddr)
{
	if (!ipv6_addr_is_multicast(daddr))
		return unat_config_is_gateway6(cfg, daddr);
	return ipv6_addr_is_ll_all_nodes(daddr) ||
	       ipv6_addr_is_ll_all_routers(daddr) ||
	       ipv6_addr_is_solict_mult(daddr) ||
	       ipv6_addr_equal(daddr, &unat_all_dhcp6);
}

/*
 * UDP from the guest: the gateway's DHCPv6 server and DNS address, or a
 * flow through the host (udp.c).
 */
static enum unat_stat unat_ipv6_udp(const struct unat_ctx *ctx,
				    struct sk_buff *skb,
				    const struct unat_ip6 *ip,
				    struct sk_buff **reply)
{
	const struct unat_config *cfg = ctx->cfg;
	const struct udphdr *uh;

	if (ip->l4len < sizeof(*uh) ||
	    !pskb_may_pull(skb, ip->l4off + sizeof(*uh)))
		return UNAT_STAT_DROP_MALFORMED;
	uh = (const struct udphdr *)(skb->data + ip->l4off);
	if (ntohs(uh->len) != ip->l4len)
		return UNAT_STAT_DROP_MALFORMED;
	/* the checksum is mandatory over IPv6 (RFC 8200 8.1) */
	if (!uh->check || !unat_frame_l4_csum6_ok(skb, ip))
		return UNAT_STAT_DROP_BAD_CSUM;
	if (uh->dest == htons(UNAT_DHCP6_SERVER_PORT) &&
	    unat_ipv6_to_gateway(cfg, &ip->daddr))
		return unat_dhcp6_input(ctx, skb, ip, reply);
	if (uh->dest == htons(UNAT_DNS_PORT) &&
	    ipv6_addr_equal(&ip->daddr, &cfg->dns6))
		return unat_dns_input6(ctx, skb, ip);
	if (ipv6_addr_is_multicast(&ip->daddr))
		return UNAT_STAT_DROP_UNSUPPORTED;
	return unat_udp_input6(ctx, skb, ip, reply);
}

#if IS_ENABLED(CONFIG_NF_DEFRAG_IPV6)
/* Reassembly queues of guest fragments: no conntrack user is zero. */
#define UNAT_DEFRAG6_USER	IP6_DEFRAG_LOCAL_DELIVER

/*
 * What nf_ct_frag6_gather() handed back: the reassembled packet, or a
 * fragment it left as it was (it refuses some in place: an end that is not
 * a multiple of 8, a first fragment without its upper-layer header).
 * Decided from the packet, not the return code: it must carry no fragment
 * header now.  Neighbour discovery never comes in fragments (RFC 6980).
 * Returns UNAT_STAT_OK to take the packet through the input path again.
 */
static enum unat_stat unat_ipv6_reassembled(struct sk_buff *skb)
{
	const struct icmp6hdr *h;
	struct unat_ip6 ip;
	enum unat_stat ret;

	ret = unat_ipv6_parse(skb, &ip);
	if (ret == UNAT_STAT_FRAGMENT_HELD || (!ret && ip.frag))
		return UNAT_STAT_DROP_FRAGMENT_INVALID;
	if (ret || ip.nexthdr != IPPROTO_ICMPV6)
		return ret;
	if (!pskb_may_pull(skb, ip.l4off + sizeof(*h)))
		return UNAT_STAT_DROP_MALFORMED;
	h = (const struct icmp6hdr *)(skb->data + ip.l4off);
	if (h->icmp6_type >= NDISC_ROUTER_SOLICITATION &&
	    h->icmp6_type <= NDISC_REDIRECT)
		return UNAT_STAT_DROP_FRAGMENT_INVALID;
	return UNAT_STAT_OK;
}

/*
 * A fragment from the guest: reassembled by the kernel's IPv6 defrag of
 * netfilter (nf_defrag_ipv6) in the device's netns, whose limits
 * (net.netfilter.nf_conntrack_frag6_*) bound the memory and time it
 * takes.  A completed packet goes through unat_ipv6_input() again, once
 * (unat_input_reassembled()).
 */
static enum unat_stat unat_ipv6_defrag(const struct unat_ctx *ctx,
				       struct sk_buff *skb)
{
	enum unat_stat ret;
	int err;

	ret = unat_input_defrag_check(ctx, skb);
	if (ret)
		return ret;
	skb_pull(skb, ETH_HLEN);
	skb_reset_network_header(skb);
	err = nf_ct_frag6_gather(dev_net(ctx->unat->dev), skb,
				 UNAT_DEFRAG6_USER);
	if (err == -EINPROGRESS)
		return UNAT_STAT_FRAGMENT_HELD;
	/* not consumed: the whole packet, or a fragment refused or left */
	skb_push(skb, ETH_HLEN);
	skb_reset_mac_header(skb);
	if (err)
		return UNAT_STAT_DROP_FRAGMENT;
	ret = unat_ipv6_reassembled(skb);
	if (ret)
		return ret;
	unat_input_reassembled(ctx, skb);
	return UNAT_STAT_FRAGMENT_HELD;
}
#else
static enum unat_stat unat_ipv6_defrag(const struct unat_ctx *ctx,
				       struct sk_buff *skb)
{
	return unat_input_defrag_check(ctx, skb) ?: UNAT_STAT_DROP_FRAGMENT;
}
#endif

/*
 * An ICMPv6 message to a unicast address or the gateway's groups: an echo
 * request to anywhere but the gateway goes through the host (ping6.c), as
 * IPv4's does; the rest is the gateway's (icmp6.c).
 */
static enum unat_stat unat_ipv6_icmp(const struct unat_ctx *ctx,
				     struct sk_buff *skb,
				     const struct unat_ip6 *ip,
				     struct sk_buff **reply)
{
	const struct icmp6hdr *h;
	enum unat_stat ret;

	ret = unat_icmp6_check(skb, ip);
	if (ret)
		return ret;
	h = (const struct icmp6hdr *)(skb->data + ip->l4off);
	if (h->icmp6_type == ICMPV6_ECHO_REQUEST && !h->icmp6_code &&
	    !ipv6_addr_is_multicast(&ip->daddr) &&
	    !unat_config_is_gateway6(ctx->cfg, &ip->daddr))
		return unat_ping6_input(ctx, skb, ip, reply);
	return unat_icmp6_input(ctx, skb, ip, reply);
}

/*
 * Handle an IPv6 frame from the guest.  A reply for the guest may be left
 * in @reply.  Returns the counter that accounts for the frame.
 */
enum unat_stat unat_ipv6_input(const struct unat_ctx *ctx,
			       struct sk_buff *skb, struct sk_buff **reply)
{
	struct unat_ip6 ip;
	enum unat_stat ret;

	if (!ctx->cfg->ipv6)
		return UNAT_STAT_DROP_IPV6_OFF;
	ret = unat_ipv6_parse(skb, &ip);
	if (ret == UNAT_STAT_FRAGMENT_HELD)
		return unat_ipv6_defrag(ctx, skb);
	if (!ret)
		ret = unat_frame_offload_check(skb, ip.l4off, ip.nexthdr, true);
	if (ret)
		return ret;
	if (unat_config_in_prefix6(ctx->cfg, &ip.saddr) &&
	    !unat_config_is_gateway6(ctx->cfg, &ip.saddr))
		unat_guest_note_addr6(ctx->guest, &ip.saddr);
	if (ip.nexthdr == IPPROTO_ICMPV6 &&
	    (!ipv6_addr_is_multicast(&ip.daddr) ||
	     unat_ipv6_to_gateway(ctx->cfg, &ip.daddr)))
		return unat_ipv6_icmp(ctx, skb, &ip, reply);
	if (ip.nexthdr == IPPROTO_UDP)
		return unat_ipv6_udp(ctx, skb, &ip, reply);
	if (ip.nexthdr == IPPROTO_TCP && !ipv6_addr_is_multicast(&ip.daddr))
		return unat_tcp_input6(ctx, skb, &ip, reply);
	return UNAT_STAT_DROP_UNSUPPORTED;
}
EXPORT_SYMBOL_IF_KUNIT(unat_ipv6_input);
