// SPDX-License-Identifier: GPL-2.0
/*
 * The outbound policy, one per family, for every guest packet past the
 * gateway's own services, whatever its protocol (UDP, TCP, ICMP echo):
 * where the guest may send (restrict, hostloop, the remotes the host can
 * be asked to reach), from which source, with how many hops left.  Called
 * by the protocols on the transmit path (BH, RCU); pure but for the
 * hop-limit error it may leave for the guest.
 */
#include <kunit/visibility.h>
#include <linux/in.h>
#include <net/ipv6.h>

#include "types.h"
#include "services.h"
#include "proto.h"

/*
 * Whether @daddr is somewhere outside the guest link that the host can be
 * asked to reach by its own name: not the gateway's addresses, the subnet,
 * the host's loopback (127/8, reached only as the gateway address), 0/8,
 * multicast or broadcast.
 */
static bool unat_ipv4_remote_ok(const struct unat_config *cfg, __be32 daddr)
{
	/* all of 0/8: ipv4_is_zeronet() is 0.0.0.0 alone since 5.3 */
	return daddr != cfg->dns && !unat_config_in_subnet(cfg, daddr) &&
	       !ipv4_is_loopback(daddr) && !ipv4_is_multicast(daddr) &&
	       !ipv4_is_lbcast(daddr) &&
	       (daddr & htonl(IN_CLASSA_NET)) != 0;
}

/*
 * The policy for a guest packet past the gateway's own services, one for
 * TCP, UDP and ICMP: OK to carry it to a remote, or, with *@to_host set,
 * to the host itself (the gateway address, the host's loopback when
 * hostloop is on); else the drop counter, or the TTL's error for the guest
 * left in @reply.  Flows come from the guest's address.  Where the host
 * routes a remote to itself is checked at the socket (unat_sock_local_ok()).
 */
enum unat_stat unat_ipv4_outbound(const struct unat_ctx *ctx,
				  struct sk_buff *skb,
				  const struct unat_ip4 *ip, bool *to_host,
				  struct sk_buff **reply)
{
	const struct unat_config *cfg = ctx->cfg;

	*to_host = ip->daddr == cfg->gateway;
	if (cfg->restricted)
		return UNAT_STAT_DROP_RESTRICTED;
	if (*to_host ? !cfg->hostloop : !unat_ipv4_remote_ok(cfg, ip->daddr))
		return UNAT_STAT_DROP_NOT_FOR_GATEWAY;
	if (ip->saddr != cfg->guest)
		return UNAT_STAT_DROP_BAD_SOURCE;
	if (ip->ttl <= 1)
		return unat_icmp_ttl_exceeded(ctx, skb, ip, reply);
	return UNAT_STAT_OK;
}
EXPORT_SYMBOL_IF_KUNIT(unat_ipv4_outbound);

/*
 * Whether @addr is somewhere outside the guest link that the host can be
 * asked to reach: unicast, global or unique local, not in the prefix.
 */
bool unat_ipv6_remote_ok(const struct unat_config *cfg,
			 const struct in6_addr *addr)
{
	int type = ipv6_addr_type(addr);

	/* nor IPv4 in IPv6: ::ffff:a.b.c.d, and ::a.b.c.d (first 96 bits 0) */
	return (type & IPV6_ADDR_UNICAST) &&
	       !(type & (IPV6_ADDR_LINKLOCAL | IPV6_ADDR_LOOPBACK |
			 IPV6_ADDR_SITELOCAL | IPV6_ADDR_MAPPED)) &&
	       (addr->s6_addr32[0] | addr->s6_addr32[1] | addr->s6_addr32[2]) &&
	       !unat_config_in_prefix6(cfg, addr);
}
EXPORT_SYMBOL_IF_KUNIT(unat_ipv6_remote_ok);

/*
 * The policy for a guest packet past the gateway, to a remote or, with
 * @to_host, to the host itself (hostloop): OK to carry it, or the drop
 * counter, or the hop limit's error for the guest, left in @reply.  Flows
 * come from the guest's addresses in the prefix.
 */
enum unat_stat unat_ipv6_outbound(const struct unat_ctx *ctx,
				  struct sk_buff *skb,
				  const struct unat_ip6 *ip, bool to_host,
				  struct sk_buff **reply)
{
	const struct unat_config *cfg = ctx->cfg;

	if (cfg->restricted)
		return UNAT_STAT_DROP_RESTRICTED;
	if (to_host ? !cfg->hostloop : !unat_ipv6_remote_ok(cfg, &ip->daddr))
		return UNAT_STAT_DROP_NOT_FOR_GATEWAY;
	if (!unat_config_in_prefix6(cfg, &ip->saddr))
		return UNAT_STAT_DROP_BAD_SOURCE;
	if (ip->hop_limit <= 1)
		return unat_icmp6_hop_exceeded(ctx, skb, ip, reply);
	if (!ctx->unat)
		return UNAT_STAT_DROP_UNSUPPORTED;
	return UNAT_STAT_OK;
}
EXPORT_SYMBOL_IF_KUNIT(unat_ipv6_outbound);
