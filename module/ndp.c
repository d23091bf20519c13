// SPDX-License-Identifier: GPL-2.0
/*
 * Neighbour discovery (RFC 4861) on the guest link: the gateway answers
 * neighbour solicitations for its own addresses, and router solicitations
 * with an advertisement of the prefix (on-link, autonomous: SLAAC), the
 * MTU, and the DNS address and search list (RFC 8106); the "other
 * configuration" flag points to DHCPv6 for the same.  Unsolicited
 * advertisements go out while the device is up: three at start, then one
 * every 200 to 600 seconds.
 */
#include <kunit/visibility.h>
#include <linux/etherdevice.h>
#include <linux/icmpv6.h>
#include <linux/random.h>
#include <net/addrconf.h>
#include <net/ndisc.h>

#include "types.h"
#include "device.h"
#include "output.h"
#include "flow.h"
#include "services.h"

#define UNAT_RA_INITIAL			3	/* MAX_INITIAL_RTR_ADVERTISEMENTS */
#define UNAT_RA_INITIAL_INTERVAL	(4 * HZ)
#define UNAT_RA_MIN_INTERVAL		(200 * HZ)
#define UNAT_RA_MAX_INTERVAL		(600 * HZ)

#define UNAT_ND_OPT_PI_L		0x80	/* on-link */
#define UNAT_ND_OPT_PI_A		0x40	/* autonomous address configuration */

/* Fixed part, link-layer address, MTU, prefix, RDNSS, DNSSL */
#define UNAT_RA_MAX_LEN	(sizeof(struct ra_msg) + 8 + 8 + 32 + 24 + \
			 ALIGN(8 + UNAT_SEARCH_WIRE_MAX, 8))

static const u8 unat_all_nodes_mac[ETH_ALEN] = {
	0x33, 0x33, 0x00, 0x00, 0x00, 0x01
};

/* An option of @len bytes (a multiple of 8), zeroed but for its header. */
static u8 *unat_ndp_put_opt(struct sk_buff *skb, u8 type, unsigned int len)
{
	u8 *opt = skb_put_zero(skb, len);

	opt[0] = type;
	opt[1] = len / 8;
	return opt;
}

/* The ICMPv6 message at skb->data goes from @saddr to @daddr at @dst_mac. */
static void unat_ndp_finish(struct sk_buff *skb, const struct unat_config *cfg,
			    const struct in6_addr *saddr,
			    const struct in6_addr *daddr, const u8 *dst_mac)
{
	struct icmp6hdr *h = (struct icmp6hdr *)skb->data;

	h->icmp6_cksum = unat_icmp6_csum(skb, saddr, daddr);
	unat_frame_push_ipv6(skb, saddr, daddr, IPPROTO_ICMPV6, 255);
	unat_frame_push_eth(skb, dst_mac, cfg->gw_mac, htons(ETH_P_IPV6));
}

/*
 * A router advertisement of @cfg to @daddr (at @dst_mac): the gateway's
 * link-layer address, the link MTU @mtu, the prefix, the DNS address and
 * the search list.
 */
struct sk_buff *unat_ndp_ra(const struct unat_config *cfg, u32 mtu,
			    const u8 *dst_mac, const struct in6_addr *daddr)
{
	u8 wire[UNAT_DNS_WIRE_MAX];
	struct sk_buff *skb;
	struct ra_msg *ra;
	const u8 *names;
	int nlen;
	u8 *opt;

	skb = unat_frame_alloc(UNAT_RA_MAX_LEN);
	if (!skb)
		return NULL;
	ra = skb_put_zero(skb, sizeof(*ra));
	ra->icmph.icmp6_type = NDISC_ROUTER_ADVERTISEMENT;
	ra->icmph.icmp6_hop_limit = 64;
	ra->icmph.icmp6_addrconf_other = 1;	/* DHCPv6 has DNS options */
	ra->icmph.icmp6_rt_lifetime = htons(UNAT_RA_ROUTER_LIFETIME);

	opt = unat_ndp_put_opt(skb, ND_OPT_SOURCE_LL_ADDR, 8);
	ether_addr_copy(opt + 2, cfg->gw_mac);
	if (mtu >= IPV6_MIN_MTU) {
		opt = unat_ndp_put_opt(skb, ND_OPT_MTU, 8);
		put_unaligned_be32(mtu, opt + 4);
	}
	opt = unat_ndp_put_opt(skb, ND_OPT_PREFIX_INFO, 32);
	opt[2] = UNAT_PREFIX6_LEN;
	opt[3] = UNAT_ND_OPT_PI_L | UNAT_ND_OPT_PI_A;
	put_unaligned_be32(UNAT_RA_VALID_LIFETIME, opt + 4);
	put_unaligned_be32(UNAT_RA_PREFERRED_LIFETIME, opt + 8);
	memcpy(opt + 16, &cfg->prefix6, sizeof(cfg->prefix6));

	opt = unat_ndp_put_opt(skb, ND_OPT_RDNSS, 24);
	put_unaligned_be32(UNAT_RA_DNS_LIFETIME, opt + 4);
	memcpy(opt + 8, &cfg->dns6, sizeof(cfg->dns6));
	nlen = unat_config_search_names(cfg, wire, sizeof(wire), &names);
	if (nlen) {
		opt = unat_ndp_put_opt(skb, ND_OPT_DNSSL, ALIGN(8 + nlen, 8));
		put_unaligned_be32(UNAT_RA_DNS_LIFETIME, opt + 4);
		memcpy(opt + 8, names, nlen);
	}
	unat_ndp_finish(skb, cfg, &cfg->gateway6_ll, daddr, dst_mac);
	return skb;
}
EXPORT_SYMBOL_IF_KUNIT(unat_ndp_ra);

/* A neighbour advertisement of the gateway's @target. */
static struct sk_buff *unat_ndp_na(const struct unat_config *cfg,
				   const struct in6_addr *target,
				   const struct in6_addr *daddr,
				   const u8 *dst_mac, bool solicited)
{
	struct sk_buff *skb;
	struct nd_msg *na;
	u8 *opt;

	skb = unat_frame_alloc(sizeof(*na) + 8);
	if (!skb)
		return NULL;
	na = skb_put_zero(skb, sizeof(*na));
	na->icmph.icmp6_type = NDISC_NEIGHBOUR_ADVERTISEMENT;
	na->icmph.icmp6_router = 1;
	na->icmph.icmp6_solicited = solicited;
	na->icmph.icmp6_override = 1;
	na->target = *target;
	opt = unat_ndp_put_opt(skb, ND_OPT_TARGET_LL_ADDR, 8);
	ether_addr_copy(opt + 2, cfg->gw_mac);
	unat_ndp_finish(skb, cfg, target, daddr, dst_mac);
	return skb;
}

/*
 * Walk the options after the fixed part (RFC 4861 6.1: none of length
 * zero, none past the end).  The source link-layer address option, if
 * any, must be an Ethernet address: it goes to *@slla.
 */
static bool unat_ndp_opts_ok(const u8 *opt, unsigned int len,
			     const u8 **slla)
{
	unsigned int olen;

	*slla = NULL;
	while (len) {
		if (len < 2)
			return false;
		olen = opt[1] * 8;
		if (!olen || olen > len)
			return false;
		if (opt[0] == ND_OPT_SOURCE_LL_ADDR) {
			if (olen != 8)
				return false;
			*slla = opt + 2;
		}
		opt += olen;
		len -= olen;
	}
	return true;
}

/* Where an answer to @ip goes: its source, or all nodes if unspecified. */
static const struct in6_addr *unat_ndp_answer_to(const struct unat_ip6 *ip,
						 const u8 **dst_mac,
						 const u8 *src_mac)
{
	if (ipv6_addr_any(&ip->saddr)) {
		*dst_mac = unat_all_nodes_mac;
		return &in6addr_linklocal_allnodes;
	}
	*dst_mac = src_mac;
	return &ip->saddr;
}

static enum unat_stat unat_ndp_rs(const struct unat_ctx *ctx,
				  struct sk_buff *skb,
				  const struct unat_ip6 *ip,
				  struct sk_buff **reply)
{
	const u8 *src_mac = eth_hdr(skb)->h_source;
	const struct in6_addr *daddr;
	const struct rs_msg *rs;
	const u8 *slla, *dst_mac;

	if (ip->l4len < sizeof(*rs))
		return UNAT_STAT_DROP_MALFORMED;
	rs = (const struct rs_msg *)(skb->data + ip->l4off);
	if (!unat_ndp_opts_ok(rs->opt, ip->l4len - sizeof(*rs), &slla) ||
	    (slla && ipv6_addr_any(&ip->saddr)))
		return UNAT_STAT_DROP_MALFORMED;
	if (slla && !ether_addr_equal(slla, src_mac))
		return UNAT_STAT_DROP_BAD_SOURCE;
	unat_guest_note_mac(ctx->guest, src_mac);
	daddr = unat_ndp_answer_to(ip, &dst_mac, src_mac);
	*reply = unat_ndp_ra(ctx->cfg, ctx->mtu, dst_mac, daddr);
	return *reply ? UNAT_STAT_NDP_RA : UNAT_STAT_DROP_NOMEM;
}

/* A solicitation (or advertisement): the fixed part and options checked. */
static enum unat_stat unat_ndp_check_nd(struct sk_buff *skb,
					const struct unat_ip6 *ip,
					const struct nd_msg **msg)
{
	const u8 *slla;

	if (ip->l4len < sizeof(**msg))
		return UNAT_STAT_DROP_MALFORMED;
	*msg = (const struct nd_msg *)(skb->data + ip->l4off);
	if (ipv6_addr_is_multicast(&(*msg)->target) ||
	    !unat_ndp_opts_ok((*msg)->opt, ip->l4len - sizeof(**msg), &slla))
		return UNAT_STAT_DROP_MALFORMED;
	if (slla && !ether_addr_equal(slla, eth_hdr(skb)->h_source))
		return UNAT_STAT_DROP_BAD_SOURCE;
	/* duplicate address detection: no source, no link-layer address,
	 * to the target's solicited-node group (RFC 4861 7.1.1)
	 */
	if (ipv6_addr_any(&ip->saddr) &&
	    (slla || !ipv6_addr_is_solict_mult(&ip->daddr)))
		return UNAT_STAT_DROP_MALFORMED;
	return UNAT_STAT_OK;
}

static enum unat_stat unat_ndp_ns(const struct unat_ctx *ctx,
				  struct sk_buff *skb,
				  const struct unat_ip6 *ip,
				  struct sk_buff **reply)
{
	const u8 *src_mac = eth_hdr(skb)->h_source;
	const struct in6_addr *daddr;
	const struct nd_msg *ns;
	enum unat_stat ret;
	const u8 *dst_mac;

	ret = unat_ndp_check_nd(skb, ip, &ns);
	if (ret)
		return ret;
	unat_guest_note_mac(ctx->guest, src_mac);
	if (!unat_config_is_gateway6(ctx->cfg, &ns->target)) {
		/* the guest probing an address of its own before use */
		if (ipv6_addr_any(&ip->saddr) &&
		    unat_config_in_prefix6(ctx->cfg, &ns->target))
			unat_guest_note_addr6(ctx->guest, &ns->target);
		return UNAT_STAT_DROP_NDP_IGNORED;
	}
	/* a guest probing one of the gateway's addresses is told it is taken */
	daddr = unat_ndp_answer_to(ip, &dst_mac, src_mac);
	*reply = unat_ndp_na(ctx->cfg, &ns->target, daddr, dst_mac,
			     !ipv6_addr_any(&ip->saddr));
	return *reply ? UNAT_STAT_NDP_NA : UNAT_STAT_DROP_NOMEM;
}

/*
 * Neighbour discovery from the guest (RFC 4861 6.1.1, 7.1.1: hop limit
 * 255, code 0, well-formed options).  Advertisements teach the guest's MAC
 * address and are not answered.
 */
enum unat_stat unat_ndp_input(const struct unat_ctx *ctx, struct sk_buff *skb,
			      const struct unat_ip6 *ip,
			      struct sk_buff **reply)
{
	const struct icmp6hdr *h;
	const struct nd_msg *na;
	enum unat_stat ret;

	if (!pskb_may_pull(skb, ip->l4off + ip->l4len))
		return UNAT_STAT_DROP_MALFORMED;
	h = (const struct icmp6hdr *)(skb->data + ip->l4off);
	if (ip->hop_limit != 255 || h->icmp6_code)
		return UNAT_STAT_DROP_MALFORMED;
	switch (h->icmp6_type) {
	case NDISC_ROUTER_SOLICITATION:
		return unat_ndp_rs(ctx, skb, ip, reply);
	case NDISC_NEIGHBOUR_SOLICITATION:
		return unat_ndp_ns(ctx, skb, ip, reply);
	default:
		ret = unat_ndp_check_nd(skb, ip, &na);
		if (ret)
			return ret;
		if (ipv6_addr_any(&ip->saddr))
			return UNAT_STAT_DROP_MALFORMED;
		unat_guest_note_mac(ctx->guest, eth_hdr(skb)->h_source);
		return UNAT_STAT_DROP_NDP_IGNORED;
	}
}
EXPORT_SYMBOL_IF_KUNIT(unat_ndp_input);

/* Process context: one unsolicited advertisement, and the next planned. */
static void unat_ndp_ra_work(struct work_struct *work)
{
	struct unat_dev *unat = container_of(to_delayed_work(work),
					     struct unat_dev, ra_work);
	const struct unat_config *cfg;
	struct sk_buff *skb = NULL;
	unsigned long next;

	rcu_read_lock();
	cfg = rcu_dereference(unat->config);
	if (cfg->ipv6)
		skb = unat_ndp_ra(cfg, READ_ONCE(unat->dev->mtu),
				  unat_all_nodes_mac,
				  &in6addr_linklocal_allnodes);
	rcu_read_unlock();
	if (skb) {
		local_bh_disable();
		unat_stats_inc(unat->stats, UNAT_STAT_NDP_RA);
		unat_deliver(unat, skb);
		local_bh_enable();
	}
	if (unat->ra_sent < UNAT_RA_INITIAL) {
		unat->ra_sent++;
		next = UNAT_RA_INITIAL_INTERVAL;
	} else {
		next = UNAT_RA_MIN_INTERVAL +
		       get_random_u32_below(UNAT_RA_MAX_INTERVAL -
					    UNAT_RA_MIN_INTERVAL);
	}
	queue_delayed_work(unat_wq, &unat->ra_work, next);
}

void unat_ndp_init(struct unat_dev *unat)
{
	INIT_DELAYED_WORK(&unat->ra_work, unat_ndp_ra_work);
}

/* The device is up: advertise, after the guest's stack saw it come up. */
void unat_ndp_start(struct unat_dev *unat)
{
	unat->ra_sent = 0;
	queue_delayed_work(unat_wq, &unat->ra_work, HZ / 10);
}

/* The device is down, or going: no more advertisements.  RTNL held. */
void unat_ndp_stop(struct unat_dev *unat)
{
	ASSERT_RTNL();
	cancel_delayed_work_sync(&unat->ra_work);
}

/* The IPv6 configuration changed: advertise it now.  RTNL held. */
void unat_ndp_changed(struct unat_dev *unat)
{
	ASSERT_RTNL();
	if (netif_running(unat->dev))
		mod_delayed_work(unat_wq, &unat->ra_work, 0);
}
