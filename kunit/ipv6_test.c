// SPDX-License-Identifier: GPL-2.0
/*
 * IPv6 from the guest: neighbour and router solicitations answered,
 * ICMPv6 echo to the gateway, extension header chains, the IPv6
 * configuration's checks, and every way such a frame can be wrong.
 */
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/icmpv6.h>
#include <linux/inet.h>
#include <linux/random.h>
#include <net/addrconf.h>
#include <net/ip6_checksum.h>
#include <net/ndisc.h>
#include <net/tcp.h>

#include "types.h"
#include "services.h"
#include "proto.h"
#include "demux.h"
#include "helpers.h"

#define T6_HDR		(ETH_HLEN + sizeof(struct ipv6hdr))
#define T6_BUF		256

static const u8 t6_all_nodes_mac[ETH_ALEN] = { 0x33, 0x33, 0, 0, 0, 1 };

/* The guest's link-local address, as SLAAC makes it from its MAC. */
static struct in6_addr t6_guest_ll(void)
{
	return unat_test_addr6("fe80::5054:ff:fe12:3456");
}

/*
 * An IPv6 frame from the guest to @dmac: header from @src to @dst, then
 * @ext bytes of extension headers (their first next header @nh) and the
 * ICMPv6 message @msg of @len bytes, which gets its checksum.  Returns the
 * frame's length.
 */
static unsigned int t6_frame(u8 *buf, const u8 *dmac,
			     const struct in6_addr *src,
			     const struct in6_addr *dst, u8 hop,
			     const u8 *ext, unsigned int elen, u8 nh,
			     const void *msg, unsigned int len)
{
	struct ipv6hdr *ip6h = (struct ipv6hdr *)(buf + ETH_HLEN);
	struct icmp6hdr *h;

	unat_test_eth(buf, dmac, unat_test_guest_mac, ETH_P_IPV6);
	memset(ip6h, 0, sizeof(*ip6h));
	ip6h->version = 6;
	ip6h->payload_len = htons(elen + len);
	ip6h->nexthdr = elen ? nh : IPPROTO_ICMPV6;
	ip6h->hop_limit = hop;
	ip6h->saddr = *src;
	ip6h->daddr = *dst;
	memcpy(buf + T6_HDR, ext, elen);
	h = (struct icmp6hdr *)(buf + T6_HDR + elen);
	memcpy(h, msg, len);
	h->icmp6_cksum = 0;
	h->icmp6_cksum = csum_ipv6_magic(src, dst, len, IPPROTO_ICMPV6,
					 csum_partial(h, len, 0));
	return T6_HDR + elen + len;
}

/* A neighbour solicitation for @target, with a source link-layer address
 * option unless @slla is NULL.  Returns the message length.
 */
static unsigned int t6_ns(u8 *msg, const struct in6_addr *target,
			  const u8 *slla)
{
	struct nd_msg *ns = (struct nd_msg *)msg;

	memset(ns, 0, sizeof(*ns));
	ns->icmph.icmp6_type = NDISC_NEIGHBOUR_SOLICITATION;
	ns->target = *target;
	if (!slla)
		return sizeof(*ns);
	ns->opt[0] = ND_OPT_SOURCE_LL_ADDR;
	ns->opt[1] = 1;
	ether_addr_copy(&ns->opt[2], slla);
	return sizeof(*ns) + 8;
}

static enum unat_stat t6_run(struct kunit *test, struct unat_test_env *env,
			     const u8 *buf, unsigned int len,
			     struct sk_buff **r)
{
	enum unat_stat stat;

	stat = unat_test_input(env, unat_test_skb(test, buf, len), r);
	if (*r)
		unat_test_own(test, *r);
	return stat;
}

/*
 * Check a reply's Ethernet and IPv6 headers and its ICMPv6 checksum;
 * returns its ICMPv6 message and leaves its length in *@len.
 */
static const u8 *t6_check(struct kunit *test, struct unat_test_env *env,
			  struct sk_buff *r, const u8 *dmac,
			  const struct in6_addr *src,
			  const struct in6_addr *dst, u8 hop,
			  unsigned int *len)
{
	const struct ethhdr *eth = (const struct ethhdr *)r->data;
	const struct ipv6hdr *ip6h = (const struct ipv6hdr *)(eth + 1);
	const u8 *msg = (const u8 *)(ip6h + 1);

	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_GE(test, r->len, (unsigned int)T6_HDR + 8);
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(eth->h_dest, dmac));
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(eth->h_source,
						 env->cfg->gw_mac));
	KUNIT_EXPECT_EQ(test, eth->h_proto, htons(ETH_P_IPV6));
	KUNIT_EXPECT_EQ(test, (int)ip6h->version, 6);
	KUNIT_EXPECT_EQ(test, ip6h->nexthdr, IPPROTO_ICMPV6);
	KUNIT_EXPECT_EQ(test, ip6h->hop_limit, hop);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&ip6h->saddr, src));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&ip6h->daddr, dst));
	*len = ntohs(ip6h->payload_len);
	KUNIT_ASSERT_EQ(test, *len, r->len - (unsigned int)T6_HDR);
	KUNIT_EXPECT_EQ(test, csum_ipv6_magic(src, dst, *len, IPPROTO_ICMPV6,
					      csum_partial(msg, *len, 0)),
			(__sum16)0);
	return msg;
}

static void unat_ndp_ns_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	const struct in6_addr targets[] = {
		env->cfg->gateway6, env->cfg->dns6, env->cfg->gateway6_ll,
	};
	struct in6_addr src = t6_guest_ll(), snm;
	u8 buf[T6_BUF], msg[64];
	const struct nd_msg *na;
	struct sk_buff *r;
	unsigned int len;
	int i;

	for (i = 0; i < ARRAY_SIZE(targets); i++) {
		addrconf_addr_solict_mult(&targets[i], &snm);
		len = t6_ns(msg, &targets[i], unat_test_guest_mac);
		len = t6_frame(buf, t6_all_nodes_mac, &src, &snm, 255, NULL, 0,
			       0, msg, len);
		KUNIT_ASSERT_EQ(test, t6_run(test, env, buf, len, &r),
				UNAT_STAT_NDP_NA);
		na = (const struct nd_msg *)t6_check(test, env, r,
						     unat_test_guest_mac,
						     &targets[i], &src, 255,
						     &len);
		KUNIT_ASSERT_EQ(test, len, (unsigned int)sizeof(*na) + 8);
		KUNIT_EXPECT_EQ(test, na->icmph.icmp6_type,
				NDISC_NEIGHBOUR_ADVERTISEMENT);
		KUNIT_EXPECT_EQ(test, (int)na->icmph.icmp6_router, 1);
		KUNIT_EXPECT_EQ(test, (int)na->icmph.icmp6_solicited, 1);
		KUNIT_EXPECT_EQ(test, (int)na->icmph.icmp6_override, 1);
		KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&na->target,
							&targets[i]));
		KUNIT_EXPECT_EQ(test, na->opt[0], ND_OPT_TARGET_LL_ADDR);
		KUNIT_EXPECT_EQ(test, na->opt[1], 1);
		KUNIT_EXPECT_TRUE(test, ether_addr_equal(&na->opt[2],
							 env->cfg->gw_mac));
	}
	KUNIT_EXPECT_TRUE(test, env->guest.mac_known);

	/* unicast (reachability confirmation), without the option */
	len = t6_ns(msg, &env->cfg->gateway6, NULL);
	len = t6_frame(buf, env->cfg->gw_mac, &src, &env->cfg->gateway6, 255,
		       NULL, 0, 0, msg, len);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_NDP_NA);
}

/* A guest's duplicate address detection of the gateway's address. */
static void unat_ndp_dad_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	struct in6_addr snm;
	const struct nd_msg *na;
	u8 buf[T6_BUF], msg[64];
	struct sk_buff *r;
	unsigned int len;

	addrconf_addr_solict_mult(&env->cfg->gateway6, &snm);
	len = t6_ns(msg, &env->cfg->gateway6, NULL);
	len = t6_frame(buf, t6_all_nodes_mac, &in6addr_any, &snm, 255, NULL, 0,
		       0, msg, len);
	KUNIT_ASSERT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_NDP_NA);
	na = (const struct nd_msg *)t6_check(test, env, r, t6_all_nodes_mac,
					     &env->cfg->gateway6,
					     &in6addr_linklocal_allnodes, 255,
					     &len);
	KUNIT_EXPECT_EQ(test, (int)na->icmph.icmp6_solicited, 0);

	/* the guest's DAD of its own address: learnt from, not answered */
	len = t6_ns(msg, &(struct in6_addr){ .s6_addr = { 0xfe, 0x80, [15] = 9 } },
		    NULL);
	addrconf_addr_solict_mult(&(struct in6_addr){ .s6_addr = { 0xfe, 0x80, [15] = 9 } },
				  &snm);
	len = t6_frame(buf, t6_all_nodes_mac, &in6addr_any, &snm, 255, NULL, 0,
		       0, msg, len);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_NDP_IGNORED);
	KUNIT_EXPECT_NULL(test, r);
}

/* Walk a router advertisement's options: the first of each type. */
static void t6_ra_opts(struct kunit *test, const u8 *opt, unsigned int len,
		       const u8 **found)
{
	while (len) {
		unsigned int olen;

		KUNIT_ASSERT_GE(test, len, 8U);
		olen = opt[1] * 8;
		KUNIT_ASSERT_NE(test, olen, 0U);
		KUNIT_ASSERT_LE(test, olen, len);
		if (!found[opt[0]])
			found[opt[0]] = opt;
		opt += olen;
		len -= olen;
	}
}

static void unat_ndp_ra_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	static const u8 search[] = {
		7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
		3, 'l', 'a', 'b', 0,
	};
	struct in6_addr src = t6_guest_ll(), all_routers;
	const u8 **found;
	const struct ra_msg *ra;
	u8 buf[T6_BUF], msg[16];
	struct sk_buff *r;
	unsigned int len;
	const u8 *o;

	found = kunit_kzalloc(test, 256 * sizeof(*found), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, found);
	env->cfg->search_wire_len =
		unat_dns_list_encode("example.com lab", env->cfg->search_wire,
				     sizeof(env->cfg->search_wire));
	KUNIT_ASSERT_EQ(test, (size_t)env->cfg->search_wire_len, sizeof(search));
	env->ctx.mtu = 9000;

	all_routers = unat_test_addr6("ff02::2");
	memset(msg, 0, sizeof(msg));
	msg[0] = NDISC_ROUTER_SOLICITATION;
	msg[8] = ND_OPT_SOURCE_LL_ADDR;
	msg[9] = 1;
	ether_addr_copy(msg + 10, unat_test_guest_mac);
	len = t6_frame(buf, t6_all_nodes_mac, &src, &all_routers, 255, NULL, 0,
		       0, msg, 16);
	/* RS goes to 33:33:00:00:00:02; any 33:33 group is taken */
	buf[5] = 2;
	KUNIT_ASSERT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_NDP_RA);
	ra = (const struct ra_msg *)t6_check(test, env, r, unat_test_guest_mac,
					     &env->cfg->gateway6_ll, &src, 255,
					     &len);
	KUNIT_EXPECT_EQ(test, ra->icmph.icmp6_type, NDISC_ROUTER_ADVERTISEMENT);
	KUNIT_EXPECT_EQ(test, ra->icmph.icmp6_hop_limit, 64);
	KUNIT_EXPECT_EQ(test, ntohs(ra->icmph.icmp6_rt_lifetime),
			UNAT_RA_ROUTER_LIFETIME);
	t6_ra_opts(test, (const u8 *)(ra + 1), len - sizeof(*ra), found);

	o = found[ND_OPT_SOURCE_LL_ADDR];
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(o + 2, env->cfg->gw_mac));
	o = found[ND_OPT_MTU];
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(o + 4), 9000U);
	o = found[ND_OPT_PREFIX_INFO];
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_EQ(test, o[1], 4);
	KUNIT_EXPECT_EQ(test, o[2], 64);
	KUNIT_EXPECT_EQ(test, o[3], 0xc0);	/* on-link, autonomous */
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(o + 4),
			UNAT_RA_VALID_LIFETIME);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(o + 8),
			UNAT_RA_PREFERRED_LIFETIME);
	KUNIT_EXPECT_MEMEQ(test, o + 16, "\xfd\x75\x6e\x61\x74\x00\x00\x02"
			   "\0\0\0\0\0\0\0\0", 16);
	o = found[ND_OPT_RDNSS];
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_EQ(test, o[1], 3);
	KUNIT_EXPECT_MEMEQ(test, o + 8, &env->cfg->dns6, 16);
	o = found[ND_OPT_DNSSL];
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_EQ(test, o[1] * 8, (int)ALIGN(8 + sizeof(search), 8));
	KUNIT_EXPECT_MEMEQ(test, o + 8, search, sizeof(search));
	KUNIT_EXPECT_EQ(test, o[8 + sizeof(search)], 0);	/* padding */

	/* from the unspecified address: to all nodes, no option allowed */
	len = t6_frame(buf, t6_all_nodes_mac, &in6addr_any, &all_routers, 255,
		       NULL, 0, 0, msg, 8);
	KUNIT_ASSERT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_NDP_RA);
	t6_check(test, env, r, t6_all_nodes_mac, &env->cfg->gateway6_ll,
		 &in6addr_linklocal_allnodes, 255, &len);
	len = t6_frame(buf, t6_all_nodes_mac, &in6addr_any, &all_routers, 255,
		       NULL, 0, 0, msg, 16);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_MALFORMED);
}

/* An echo request to the gateway, after a hop-by-hop and a destination
 * options header: answered with the same identifier, sequence and data.
 */
static void unat_icmp6_echo_test(struct kunit *test)
{
	static const u8 ext[16] = {
		NEXTHDR_DEST, 0, 1, 4, 0, 0, 0, 0,		/* HBH, PadN */
		IPPROTO_ICMPV6, 0, 1, 4, 0, 0, 0, 0,		/* DST, PadN */
	};
	struct unat_test_env *env = unat_test_env(test);
	struct in6_addr src = unat_test_addr6("fd75:6e61:7400:2::1234");
	struct icmp6hdr *req;
	u8 buf[T6_BUF], msg[72];
	const u8 *rep;
	struct sk_buff *r;
	unsigned int len, i, elen;

	memset(msg, 0, sizeof(msg));
	req = (struct icmp6hdr *)msg;
	req->icmp6_type = ICMPV6_ECHO_REQUEST;
	req->icmp6_identifier = htons(0x1234);
	req->icmp6_sequence = htons(7);
	for (i = 8; i < sizeof(msg); i++)
		msg[i] = i;
	for (elen = 0; elen <= sizeof(ext); elen += 16) {
		len = t6_frame(buf, env->cfg->gw_mac, &src,
			       &env->cfg->gateway6, 64, ext, elen,
			       NEXTHDR_HOP, msg, sizeof(msg));
		KUNIT_ASSERT_EQ(test, t6_run(test, env, buf, len, &r),
				UNAT_STAT_ICMP6_ECHO_REPLY);
		rep = t6_check(test, env, r, unat_test_guest_mac,
			       &env->cfg->gateway6, &src, 64, &len);
		KUNIT_ASSERT_EQ(test, len, (unsigned int)sizeof(msg));
		KUNIT_EXPECT_EQ(test, rep[0], ICMPV6_ECHO_REPLY);
		KUNIT_EXPECT_MEMEQ(test, rep + 4, msg + 4, sizeof(msg) - 4);
	}

	/* to all nodes, or to an address that is not the gateway's */
	len = t6_frame(buf, t6_all_nodes_mac, &src,
		       &in6addr_linklocal_allnodes, 64, NULL, 0, 0, msg,
		       sizeof(msg));
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_UNSUPPORTED);
	len = t6_frame(buf, env->cfg->gw_mac, &src, &env->cfg->prefix6, 64,
		       NULL, 0, 0, msg, sizeof(msg));
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_NOT_FOR_GATEWAY);
	/* paged, as macvtap builds large frames */
	len = t6_frame(buf, env->cfg->gw_mac, &src, &env->cfg->gateway6, 64,
		       NULL, 0, 0, msg, sizeof(msg));
	KUNIT_EXPECT_EQ(test,
			unat_test_input(env, unat_test_skb_paged(test, buf, len,
								 T6_HDR + 4),
					&r),
			UNAT_STAT_ICMP6_ECHO_REPLY);
	if (r)
		unat_test_own(test, r);
}

/* Echo past the gateway: hop limit 1 ends there, with the gateway's
 * time exceeded; link-local and in-prefix destinations, and sources
 * outside the prefix, are refused.
 */
static void unat_icmp6_hop_limit_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	struct in6_addr src = unat_test_addr6("fd75:6e61:7400:2::1234");
	struct in6_addr dst = unat_test_addr6("2001:db8::1");
	struct in6_addr ll = t6_guest_ll();
	const struct ipv6hdr *q;
	u8 buf[T6_BUF], msg[16] = { ICMPV6_ECHO_REQUEST };
	unsigned int len, flen;
	const u8 *err;
	struct sk_buff *r;

	flen = t6_frame(buf, env->cfg->gw_mac, &src, &dst, 1, NULL, 0, 0,
			msg, sizeof(msg));
	KUNIT_ASSERT_EQ(test, t6_run(test, env, buf, flen, &r),
			UNAT_STAT_ICMP_ERROR);
	err = t6_check(test, env, r, unat_test_guest_mac, &env->cfg->gateway6,
		       &src, 64, &len);
	KUNIT_EXPECT_EQ(test, err[0], ICMPV6_TIME_EXCEED);
	KUNIT_EXPECT_EQ(test, err[1], ICMPV6_EXC_HOPLIMIT);
	KUNIT_ASSERT_EQ(test, len, 8 + flen - (unsigned int)ETH_HLEN);
	q = (const struct ipv6hdr *)(err + 8);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&q->daddr, &dst));
	KUNIT_EXPECT_MEMEQ(test, err + 8, buf + ETH_HLEN, flen - ETH_HLEN);

	flen = t6_frame(buf, env->cfg->gw_mac, &src, &ll, 64, NULL, 0, 0,
			msg, sizeof(msg));
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, flen, &r),
			UNAT_STAT_DROP_NOT_FOR_GATEWAY);
	flen = t6_frame(buf, env->cfg->gw_mac, &ll, &dst, 64, NULL, 0, 0,
			msg, sizeof(msg));
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, flen, &r),
			UNAT_STAT_DROP_BAD_SOURCE);
	env->cfg->restricted = true;
	flen = t6_frame(buf, env->cfg->gw_mac, &src, &dst, 64, NULL, 0, 0,
			msg, sizeof(msg));
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, flen, &r),
			UNAT_STAT_DROP_RESTRICTED);
}

/* A UDP datagram of 32 bytes from @src to @dst:@dport at the gateway MAC. */
static unsigned int t6_udp_frame(struct unat_test_env *env, u8 *buf,
				 const struct in6_addr *src,
				 const struct in6_addr *dst, u8 hop, u16 dport)
{
	struct ipv6hdr *ip6h = (struct ipv6hdr *)(buf + ETH_HLEN);
	struct udphdr *uh = (struct udphdr *)(buf + T6_HDR);
	unsigned int ulen = sizeof(*uh) + 32;

	unat_test_eth(buf, env->cfg->gw_mac, unat_test_guest_mac, ETH_P_IPV6);
	memset(ip6h, 0, sizeof(*ip6h));
	ip6h->version = 6;
	ip6h->payload_len = htons(ulen);
	ip6h->nexthdr = IPPROTO_UDP;
	ip6h->hop_limit = hop;
	ip6h->saddr = *src;
	ip6h->daddr = *dst;
	uh->source = htons(40000);
	uh->dest = htons(dport);
	uh->len = htons(ulen);
	uh->check = 0;
	memset(uh + 1, 0x5a, 32);
	uh->check = csum_ipv6_magic(src, dst, ulen, IPPROTO_UDP,
				    csum_partial(uh, ulen, 0));
	return T6_HDR + ulen;
}

/* UDP past the gateway: the same policy as echo, and hop limit expiry. */
/* Every spelling of the host, the link or nothing is never a remote. */
static void unat_ipv6_remote_test(struct kunit *test)
{
	static const char *const never[] = {
		"::1", "::", "::ffff:127.0.0.1", "::ffff:10.0.2.2",
		"::127.0.0.1", "::203.0.113.2", "fe80::1", "fec0::1",
		"ff02::1", "ff0e::1", "fd75:6e61:7400:2::99",
	};
	struct unat_test_env *env = unat_test_env(test);
	struct in6_addr a;
	int i;

	a = unat_test_addr6("2001:db8:1::2");
	KUNIT_EXPECT_TRUE(test, unat_ipv6_remote_ok(env->cfg, &a));
	a = unat_test_addr6("fd00:1::2");
	KUNIT_EXPECT_TRUE(test, unat_ipv6_remote_ok(env->cfg, &a));
	for (i = 0; i < ARRAY_SIZE(never); i++) {
		a = unat_test_addr6(never[i]);
		KUNIT_EXPECT_FALSE_MSG(test, unat_ipv6_remote_ok(env->cfg, &a),
				       "%s", never[i]);
	}
}

static void unat_udp6_policy_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	struct in6_addr src = unat_test_addr6("fd75:6e61:7400:2::1234");
	struct in6_addr dst = unat_test_addr6("2001:db8::1");
	struct in6_addr ll = t6_guest_ll();
	struct in6_addr mc = unat_test_addr6("ff02::1");
	u8 buf[T6_BUF];
	const u8 *err;
	struct sk_buff *r;
	unsigned int len;

	len = t6_udp_frame(env, buf, &src, &dst, 1, 33434);
	KUNIT_ASSERT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_ICMP_ERROR);
	err = t6_check(test, env, r, unat_test_guest_mac, &env->cfg->gateway6,
		       &src, 64, &len);
	KUNIT_EXPECT_EQ(test, err[0], ICMPV6_TIME_EXCEED);
	len = t6_udp_frame(env, buf, &src, &dst, 64, 53);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_UNSUPPORTED);	/* no device here */
	len = t6_udp_frame(env, buf, &ll, &dst, 64, 53);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_BAD_SOURCE);
	len = t6_udp_frame(env, buf, &src, &mc, 64, 9);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_UNSUPPORTED);
	len = t6_udp_frame(env, buf, &src, &env->cfg->dns6, 64, 9);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_NOT_FOR_GATEWAY);
	env->cfg->hostloop = false;
	len = t6_udp_frame(env, buf, &src, &env->cfg->gateway6, 64, 9);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_NOT_FOR_GATEWAY);
	env->cfg->restricted = true;
	len = t6_udp_frame(env, buf, &src, &dst, 64, 53);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_RESTRICTED);
}

/* A TCP SYN from @src to @dst:80, its checksum spoiled with @bad. */
static unsigned int t6_syn_frame(struct unat_test_env *env, u8 *buf,
				 const struct in6_addr *src,
				 const struct in6_addr *dst, u8 hop, bool bad)
{
	struct ipv6hdr *ip6h = (struct ipv6hdr *)(buf + ETH_HLEN);
	struct tcphdr *th = (struct tcphdr *)(buf + T6_HDR);

	unat_test_eth(buf, env->cfg->gw_mac, unat_test_guest_mac, ETH_P_IPV6);
	memset(ip6h, 0, sizeof(*ip6h) + sizeof(*th));
	ip6h->version = 6;
	ip6h->payload_len = htons(sizeof(*th));
	ip6h->nexthdr = IPPROTO_TCP;
	ip6h->hop_limit = hop;
	ip6h->saddr = *src;
	ip6h->daddr = *dst;
	th->source = htons(40000);
	th->dest = htons(80);
	th->seq = htonl(1000);
	th->doff = sizeof(*th) / 4;
	th->syn = 1;
	th->window = htons(65535);
	th->check = csum_ipv6_magic(src, dst, sizeof(*th), IPPROTO_TCP,
				    csum_partial(th, sizeof(*th), 0));
	if (bad)
		th->check ^= htons(1);
	return T6_HDR + sizeof(*th);
}

/*
 * TCP past the gateway: refused destinations get a reset from where the
 * SYN went, foreign sources and bad checksums nothing, hop limit 1 time
 * exceeded.
 */
static void unat_tcp6_policy_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	struct in6_addr src = unat_test_addr6("fd75:6e61:7400:2::1234");
	struct in6_addr dst = unat_test_addr6("2001:db8::1");
	struct in6_addr ll = unat_test_addr6("fe80::99");
	const struct tcphdr *th;
	const struct ipv6hdr *ip6h;
	u8 buf[T6_BUF];
	struct sk_buff *r;
	unsigned int len;

	len = t6_syn_frame(env, buf, &src, &dst, 64, true);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_BAD_CSUM);
	KUNIT_EXPECT_NULL(test, r);
	len = t6_syn_frame(env, buf, &src, &dst, 1, false);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_ICMP_ERROR);
	KUNIT_EXPECT_NOT_NULL(test, r);
	len = t6_syn_frame(env, buf, &ll, &dst, 64, false);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_BAD_SOURCE);
	KUNIT_EXPECT_NULL(test, r);
	/* a link-local destination: reset, from it, acknowledging the SYN */
	len = t6_syn_frame(env, buf, &src, &ll, 64, false);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_NOT_FOR_GATEWAY);
	KUNIT_ASSERT_NOT_NULL(test, r);
	ip6h = (const struct ipv6hdr *)(r->data + ETH_HLEN);
	th = (const struct tcphdr *)(ip6h + 1);
	KUNIT_EXPECT_EQ(test, ip6h->nexthdr, IPPROTO_TCP);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&ip6h->saddr, &ll));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&ip6h->daddr, &src));
	KUNIT_EXPECT_EQ(test, tcp_flag_byte(th), TCPHDR_RST | TCPHDR_ACK);
	KUNIT_EXPECT_EQ(test, ntohl(th->ack_seq), 1001);
	KUNIT_EXPECT_EQ(test, ntohs(th->source), 80);
	/* the DNS address's other ports, and restrict */
	len = t6_syn_frame(env, buf, &src, &env->cfg->dns6, 64, false);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_NOT_FOR_GATEWAY);
	KUNIT_EXPECT_NOT_NULL(test, r);
	env->cfg->restricted = true;
	len = t6_syn_frame(env, buf, &src, &dst, 64, false);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_RESTRICTED);
	KUNIT_EXPECT_NOT_NULL(test, r);
}

struct t6_bad {
	const char *name;
	enum unat_stat stat;
};

static const struct t6_bad t6_bad_cases[] = {
	{ "hop limit below 255", UNAT_STAT_DROP_MALFORMED },
	{ "option of length 0", UNAT_STAT_DROP_MALFORMED },
	{ "option past the end", UNAT_STAT_DROP_MALFORMED },
	{ "truncated solicitation", UNAT_STAT_DROP_MALFORMED },
	{ "multicast target", UNAT_STAT_DROP_MALFORMED },
	{ "DAD with a link-layer address", UNAT_STAT_DROP_MALFORMED },
	{ "link-layer address not the sender's", UNAT_STAT_DROP_BAD_SOURCE },
	{ "bad checksum", UNAT_STAT_DROP_BAD_CSUM },
	{ "multicast source", UNAT_STAT_DROP_BAD_SOURCE },
	{ "payload length past the frame", UNAT_STAT_DROP_MALFORMED },
	{ "payload length 0 (jumbogram)", UNAT_STAT_DROP_MALFORMED },
	{ "version 4 in an IPv6 frame", UNAT_STAT_DROP_MALFORMED },
	{ "truncated header", UNAT_STAT_DROP_MALFORMED },
	{ "extension header past the end", UNAT_STAT_DROP_MALFORMED },
	{ "no next header", UNAT_STAT_DROP_MALFORMED },
	{ "fragment", UNAT_STAT_DROP_FRAGMENT },
	{ "code not 0", UNAT_STAT_DROP_MALFORMED },
	{ "target not the gateway's", UNAT_STAT_DROP_NDP_IGNORED },
	{ "other group", UNAT_STAT_DROP_UNSUPPORTED },
	{ "UDP length not the payload's", UNAT_STAT_DROP_MALFORMED },
	{ "IPv6 off", UNAT_STAT_DROP_IPV6_OFF },
};

/* Build bad case @i into @buf; returns the frame length. */
static unsigned int t6_bad_frame(struct unat_test_env *env, int i, u8 *buf)
{
	struct in6_addr src = t6_guest_ll(), dst, target = env->cfg->gateway6;
	struct ipv6hdr *ip6h = (struct ipv6hdr *)(buf + ETH_HLEN);
	static const u8 hbh[8] = { IPPROTO_ICMPV6, 0, 1, 4 };
	static const u8 frag[8] = { IPPROTO_ICMPV6, 0, 0, 8, 0, 0, 0, 1 };
	u8 msg[64], nh = 0;
	const u8 *ext = NULL, *slla = unat_test_guest_mac;
	unsigned int len, elen = 0;
	u8 hop = 255;

	addrconf_addr_solict_mult(&target, &dst);
	switch (i) {
	case 4:
		target = in6addr_linklocal_allnodes;
		break;
	case 5:
		src = in6addr_any;
		break;
	case 6:
		slla = unat_test_other_mac;
		break;
	case 8:
		src = in6addr_linklocal_allnodes;
		break;
	case 13:
		ext = hbh, elen = 8, nh = NEXTHDR_HOP;
		break;
	case 14:
		ext = hbh, elen = 8, nh = NEXTHDR_NONE;
		break;
	case 15:
		ext = frag, elen = 8, nh = NEXTHDR_FRAGMENT;
		break;
	case 17:
		target = unat_test_addr6("fd75:6e61:7400:2::99");
		break;
	case 18:
		dst = unat_test_addr6("ff02::fb");
		break;
	}
	if (i == 0)
		hop = 64;
	len = t6_ns(msg, &target, slla);
	if (i == 1)
		msg[sizeof(struct nd_msg) + 1] = 0;
	if (i == 2)
		msg[sizeof(struct nd_msg) + 1] = 2;
	if (i == 3)
		len = sizeof(struct nd_msg) - 4;
	if (i == 16)
		msg[1] = 1;
	len = t6_frame(buf, t6_all_nodes_mac, &src, &dst, hop, ext, elen, nh,
		       msg, len);
	switch (i) {
	case 7:
		buf[len - 1] ^= 0x40;
		break;
	case 9:
		ip6h->payload_len = htons(ntohs(ip6h->payload_len) + 1);
		break;
	case 10:
		ip6h->payload_len = 0;
		break;
	case 11:
		ip6h->version = 4;
		break;
	case 12:
		len = ETH_HLEN + 30;
		break;
	case 13:
		buf[T6_HDR + 1] = 9;	/* 80 bytes of options */
		break;
	case 19:
		ip6h->nexthdr = IPPROTO_UDP;
		ip6h->daddr = env->cfg->gateway6;
		break;
	case 20:
		env->cfg->ipv6 = false;
		break;
	}
	return len;
}

static void unat_ipv6_malformed_test(struct kunit *test)
{
	u8 buf[T6_BUF];
	struct sk_buff *r;
	unsigned int len;
	int i;

	for (i = 0; i < ARRAY_SIZE(t6_bad_cases); i++) {
		struct unat_test_env *env = unat_test_env(test);

		len = t6_bad_frame(env, i, buf);
		kunit_info(test, "%s", t6_bad_cases[i].name);
		KUNIT_EXPECT_EQ_MSG(test, t6_run(test, env, buf, len, &r),
				    t6_bad_cases[i].stat, "%s",
				    t6_bad_cases[i].name);
		KUNIT_EXPECT_NULL_MSG(test, r, "%s", t6_bad_cases[i].name);
	}
}

/* Random bytes after a valid IPv6 header and ICMPv6 type: never a crash,
 * never a reply to a malformed message, every frame counted.
 */
static void unat_ipv6_random_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	struct in6_addr src = t6_guest_ll(), dst = env->cfg->gateway6;
	static const u8 types[] = {
		NDISC_ROUTER_SOLICITATION, NDISC_NEIGHBOUR_SOLICITATION,
		NDISC_NEIGHBOUR_ADVERTISEMENT, ICMPV6_ECHO_REQUEST,
	};
	u8 buf[T6_BUF], msg[96];
	enum unat_stat stat;
	struct sk_buff *r;
	unsigned int len, n;
	int i;

	for (i = 0; i < 2000; i++) {
		n = 8 + get_random_u32_below(sizeof(msg) - 8);
		get_random_bytes(msg, n);
		msg[0] = types[i % ARRAY_SIZE(types)];
		if (i & 4)
			msg[1] = 0;
		len = t6_frame(buf, env->cfg->gw_mac, &src, &dst,
			       i & 8 ? 64 : 255, NULL, 0, 0, msg, n);
		stat = t6_run(test, env, buf, len, &r);
		KUNIT_EXPECT_LT(test, (int)stat, (int)UNAT_STAT_MAX);
		KUNIT_EXPECT_NE(test, (int)stat, (int)UNAT_STAT_OK);
		if (unat_stat_is_drop(stat))
			KUNIT_EXPECT_NULL(test, r);
	}
}

static void unat_ipv6_config_test(struct kunit *test)
{
	struct unat_config *cfg = unat_test_env(test)->cfg;
	struct unat_config *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);

	KUNIT_EXPECT_TRUE(test, cfg->ipv6);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&cfg->prefix6,
						&(struct in6_addr){ .s6_addr = {
						  0xfd, 0x75, 0x6e, 0x61, 0x74,
						  0x00, 0x00, 0x02 } }));
	KUNIT_EXPECT_EQ(test, cfg->gateway6.s6_addr[15], 2);
	KUNIT_EXPECT_EQ(test, cfg->dns6.s6_addr[15], 3);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&cfg->gateway6_ll,
						&(struct in6_addr){ .s6_addr = {
						  0xfe, 0x80, [15] = 2 } }));
	KUNIT_EXPECT_EQ(test, unat_config_validate(cfg, NULL), 0);

	*c = *cfg;
	c->prefix6.s6_addr[15] = 1;		/* host bits */
	KUNIT_EXPECT_EQ(test, unat_config_validate(c, NULL), -EINVAL);
	*c = *cfg;
	c->prefix6 = unat_test_addr6("fe80::");
	KUNIT_EXPECT_EQ(test, unat_config_validate(c, NULL), -EINVAL);
	*c = *cfg;
	c->prefix6 = unat_test_addr6("ff00::");
	KUNIT_EXPECT_EQ(test, unat_config_validate(c, NULL), -EINVAL);
	*c = *cfg;
	c->gateway6 = unat_test_addr6("fd00::2");	/* outside the prefix */
	KUNIT_EXPECT_EQ(test, unat_config_validate(c, NULL), -EINVAL);
	*c = *cfg;
	c->dns6 = cfg->prefix6;			/* subnet-router anycast */
	KUNIT_EXPECT_EQ(test, unat_config_validate(c, NULL), -EINVAL);
	*c = *cfg;
	c->gateway6_ll = unat_test_addr6("fd75:6e61:7400:2::2");
	KUNIT_EXPECT_EQ(test, unat_config_validate(c, NULL), -EINVAL);
	*c = *cfg;
	c->gateway6 = unat_test_addr6("fd75:6e61:7400:2::1:2");
	KUNIT_EXPECT_EQ(test, unat_config_validate(c, NULL), 0);
}

/* --- DHCPv6 ------------------------------------------------------------ */

#define T6_DHCP_BUF	(T6_HDR + 8 + 200)

static const u8 t6_dhcp_mac[ETH_ALEN] = { 0x33, 0x33, 0, 1, 0, 2 };

/* A DHCPv6 message builder: type, transaction ID, then options. */
struct t6_msg {
	u8 b[200];
	unsigned int len;
};

static void t6_msg_start(struct t6_msg *m, u8 type)
{
	m->b[0] = type;
	m->b[1] = 0xab;
	m->b[2] = 0xcd;
	m->b[3] = 0xef;
	m->len = 4;
}

static void t6_msg_opt(struct t6_msg *m, u16 code, const void *val, u16 len)
{
	put_unaligned_be16(code, m->b + m->len);
	put_unaligned_be16(len, m->b + m->len + 2);
	memcpy(m->b + m->len + 4, val, len);
	m->len += 4 + len;
}

/* Client @who's DUID-LLT-like identifier, and an IA_NA with IAID 7. */
static void t6_msg_client(struct t6_msg *m, u8 who, bool ia)
{
	u8 duid[14] = { 0, 1, 0, 1, 1, 2, 3, 4, 0x52, 0x54, 0, 0, 0, who };
	u8 iana[12] = { 0, 0, 0, 7 };

	t6_msg_opt(m, 1, duid, sizeof(duid));
	if (ia)
		t6_msg_opt(m, 3, iana, sizeof(iana));
}

static void t6_msg_server(struct t6_msg *m, const u8 *mac)
{
	u8 duid[10] = { 0, 3, 0, 1 };

	ether_addr_copy(duid + 4, mac);
	t6_msg_opt(m, 2, duid, sizeof(duid));
}

/* The frame of @m from the guest's link-local address to ff02::1:2. */
static unsigned int t6_dhcp_frame(u8 *buf, const struct t6_msg *m)
{
	struct in6_addr src = t6_guest_ll(), dst = unat_test_addr6("ff02::1:2");
	struct ipv6hdr *ip6h = (struct ipv6hdr *)(buf + ETH_HLEN);
	struct udphdr *uh = (struct udphdr *)(buf + T6_HDR);
	unsigned int ulen = sizeof(*uh) + m->len;

	unat_test_eth(buf, t6_dhcp_mac, unat_test_guest_mac, ETH_P_IPV6);
	memset(ip6h, 0, sizeof(*ip6h));
	ip6h->version = 6;
	ip6h->payload_len = htons(ulen);
	ip6h->nexthdr = IPPROTO_UDP;
	ip6h->hop_limit = 1;
	ip6h->saddr = src;
	ip6h->daddr = dst;
	uh->source = htons(546);
	uh->dest = htons(547);
	uh->len = htons(ulen);
	uh->check = 0;
	memcpy(uh + 1, m->b, m->len);
	uh->check = csum_ipv6_magic(&src, &dst, ulen, IPPROTO_UDP,
				    csum_partial(uh, ulen, 0));
	return T6_HDR + ulen;
}

/* Check an answer's headers; its DHCPv6 message and length. */
static const u8 *t6_dhcp_check(struct kunit *test, struct unat_test_env *env,
			       struct sk_buff *r, u8 type, unsigned int *len)
{
	const struct ipv6hdr *ip6h = (const struct ipv6hdr *)(r->data +
							       ETH_HLEN);
	const struct udphdr *uh = (const struct udphdr *)(ip6h + 1);
	struct in6_addr guest = t6_guest_ll();
	const u8 *msg = (const u8 *)(uh + 1);

	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_GE(test, r->len, (unsigned int)T6_HDR + 8 + 4);
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(r->data, unat_test_guest_mac));
	KUNIT_EXPECT_EQ(test, ip6h->nexthdr, IPPROTO_UDP);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&ip6h->saddr,
						&env->cfg->gateway6_ll));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&ip6h->daddr, &guest));
	KUNIT_EXPECT_EQ(test, ntohs(uh->source), 547);
	KUNIT_EXPECT_EQ(test, ntohs(uh->dest), 546);
	KUNIT_ASSERT_EQ(test, ntohs(uh->len), r->len - (unsigned int)T6_HDR);
	KUNIT_EXPECT_EQ(test, csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr,
					      ntohs(uh->len), IPPROTO_UDP,
					      csum_partial(uh, ntohs(uh->len),
							   0)),
			(__sum16)0);
	KUNIT_EXPECT_EQ(test, msg[0], type);
	KUNIT_EXPECT_MEMEQ(test, msg + 1, "\xab\xcd\xef", 3);
	*len = ntohs(uh->len) - sizeof(*uh);
	return msg;
}

/* The body of option @code in the message, its length in *@olen. */
static const u8 *t6_dhcp_opt(const u8 *msg, unsigned int len, u16 code,
			     u16 *olen)
{
	unsigned int off = 4;

	while (off + 4 <= len) {
		*olen = get_unaligned_be16(msg + off + 2);
		if (get_unaligned_be16(msg + off) == code)
			return off + 4 + *olen <= len ? msg + off + 4 : NULL;
		off += 4 + *olen;
	}
	return NULL;
}

/* The IA_NA of an answer: the address given, or the status inside. */
static int t6_dhcp_ia(struct kunit *test, struct unat_test_env *env,
		      const u8 *msg, unsigned int len)
{
	const u8 *ia, *sub;
	u16 olen;

	ia = t6_dhcp_opt(msg, len, 3, &olen);
	KUNIT_ASSERT_NOT_NULL(test, ia);
	KUNIT_ASSERT_GE(test, olen, 16);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(ia), 7U);	/* IAID */
	sub = ia + 12;
	if (get_unaligned_be16(sub) == 13)
		return get_unaligned_be16(sub + 4);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(sub), 5);	/* IAADDR */
	KUNIT_EXPECT_MEMEQ(test, sub + 4, &env->cfg->guest6, 16);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(sub + 24),
			env->cfg->lease_time);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(ia + 4),
			env->cfg->lease_time / 2);
	return 0;
}

static void unat_dhcp6_info_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	u8 buf[T6_DHCP_BUF];
	struct t6_msg m;
	const u8 *msg, *o;
	struct sk_buff *r;
	unsigned int len;
	u16 olen;

	env->cfg->search_wire_len =
		unat_dns_list_encode("lab", env->cfg->search_wire,
				     sizeof(env->cfg->search_wire));
	t6_msg_start(&m, 11);
	t6_msg_client(&m, 1, false);
	len = t6_dhcp_frame(buf, &m);
	KUNIT_ASSERT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DHCP6_REPLY);
	msg = t6_dhcp_check(test, env, r, 7, &len);
	o = t6_dhcp_opt(msg, len, 2, &olen);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_ASSERT_EQ(test, olen, 10);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(o), 3);	/* DUID-LL */
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(o + 4, env->cfg->gw_mac));
	o = t6_dhcp_opt(msg, len, 1, &olen);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_EQ(test, olen, 14);
	KUNIT_EXPECT_EQ(test, o[13], 1);
	o = t6_dhcp_opt(msg, len, 23, &olen);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_EQ(test, olen, 16);
	KUNIT_EXPECT_MEMEQ(test, o, &env->cfg->dns6, 16);
	o = t6_dhcp_opt(msg, len, 24, &olen);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_EQ(test, olen, 5);
	KUNIT_EXPECT_MEMEQ(test, o, "\x03lab", 5);
	KUNIT_EXPECT_NULL(test, t6_dhcp_opt(msg, len, 3, &olen));
}

/* Run @m through unat; the answer's IA status (0: the address). */
static int t6_dhcp_ask(struct kunit *test, struct unat_test_env *env,
		       struct t6_msg *m, u8 answer, enum unat_stat stat)
{
	u8 buf[T6_DHCP_BUF];
	const u8 *msg;
	struct sk_buff *r;
	unsigned int len;

	len = t6_dhcp_frame(buf, m);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r), stat);
	msg = t6_dhcp_check(test, env, r, answer, &len);
	return t6_dhcp_ia(test, env, msg, len);
}

/* Run @m through unat; the Reply's top-level status. */
static int t6_dhcp_status(struct kunit *test, struct unat_test_env *env,
			  struct t6_msg *m)
{
	u8 buf[T6_DHCP_BUF];
	const u8 *msg, *o;
	struct sk_buff *r;
	unsigned int len;
	u16 olen;

	len = t6_dhcp_frame(buf, m);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DHCP6_REPLY);
	msg = t6_dhcp_check(test, env, r, 7, &len);
	KUNIT_EXPECT_NULL(test, t6_dhcp_opt(msg, len, 3, &olen));
	o = t6_dhcp_opt(msg, len, 13, &olen);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_ASSERT_GE(test, olen, 2);
	return get_unaligned_be16(o);
}

static void unat_dhcp6_stateful_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	const u8 *gw = env->cfg->gw_mac;
	struct t6_msg m;

	t6_msg_start(&m, 1);			/* Solicit */
	t6_msg_client(&m, 1, true);
	KUNIT_EXPECT_EQ(test, t6_dhcp_ask(test, env, &m, 2,
					  UNAT_STAT_DHCP6_ADVERTISE), 0);
	KUNIT_EXPECT_FALSE(test, env->guest.lease6.bound);
	t6_msg_start(&m, 3);			/* Request */
	t6_msg_client(&m, 1, true);
	t6_msg_server(&m, gw);
	KUNIT_EXPECT_EQ(test, t6_dhcp_ask(test, env, &m, 7,
					  UNAT_STAT_DHCP6_REPLY), 0);
	KUNIT_EXPECT_TRUE(test, env->guest.lease6.bound);

	/* another client: no address for it, and no binding */
	t6_msg_start(&m, 1);
	t6_msg_client(&m, 2, true);
	KUNIT_EXPECT_EQ(test, t6_dhcp_ask(test, env, &m, 2,
					  UNAT_STAT_DHCP6_ADVERTISE), 2);
	t6_msg_start(&m, 5);			/* Renew */
	t6_msg_client(&m, 2, true);
	t6_msg_server(&m, gw);
	KUNIT_EXPECT_EQ(test, t6_dhcp_ask(test, env, &m, 7,
					  UNAT_STAT_DHCP6_REPLY), 3);
	/* the holder renews and rebinds */
	t6_msg_start(&m, 5);
	t6_msg_client(&m, 1, true);
	t6_msg_server(&m, gw);
	KUNIT_EXPECT_EQ(test, t6_dhcp_ask(test, env, &m, 7,
					  UNAT_STAT_DHCP6_REPLY), 0);
	t6_msg_start(&m, 6);
	t6_msg_client(&m, 1, true);
	KUNIT_EXPECT_EQ(test, t6_dhcp_ask(test, env, &m, 7,
					  UNAT_STAT_DHCP6_REPLY), 0);
	/* released: the other client gets it at once, with Rapid Commit */
	t6_msg_start(&m, 8);
	t6_msg_client(&m, 1, false);
	t6_msg_server(&m, gw);
	t6_msg_opt(&m, 3, "\0\0\0\7\0\0\0\0\0\0\0\0", 12);
	KUNIT_EXPECT_EQ(test, t6_dhcp_status(test, env, &m), 0);
	KUNIT_EXPECT_FALSE(test, env->guest.lease6.bound);
	t6_msg_start(&m, 1);
	t6_msg_client(&m, 2, true);
	t6_msg_opt(&m, 14, NULL, 0);
	KUNIT_EXPECT_EQ(test, t6_dhcp_ask(test, env, &m, 7,
					  UNAT_STAT_DHCP6_REPLY), 0);
	KUNIT_EXPECT_TRUE(test, env->guest.lease6.bound);
	KUNIT_EXPECT_EQ(test, env->guest.lease6.duid[13], 2);
}

static void unat_dhcp6_bad_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	const u8 *gw = env->cfg->gw_mac;
	u8 buf[T6_DHCP_BUF];
	struct sk_buff *r;
	struct t6_msg m;
	unsigned int len;

	/* Request without a server ID, or with another server's */
	t6_msg_start(&m, 3);
	t6_msg_client(&m, 1, true);
	len = t6_dhcp_frame(buf, &m);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_DHCP_IGNORED);
	t6_msg_server(&m, unat_test_other_mac);
	len = t6_dhcp_frame(buf, &m);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_DHCP_IGNORED);
	/* Solicit naming a server; Information-Request with an IA */
	t6_msg_start(&m, 1);
	t6_msg_client(&m, 1, true);
	t6_msg_server(&m, gw);
	len = t6_dhcp_frame(buf, &m);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_DHCP_IGNORED);
	t6_msg_start(&m, 11);
	t6_msg_client(&m, 1, true);
	len = t6_dhcp_frame(buf, &m);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_DHCP_IGNORED);
	/* two client IDs; an option past the end; a short IA_NA */
	t6_msg_start(&m, 1);
	t6_msg_client(&m, 1, true);
	t6_msg_client(&m, 2, false);
	len = t6_dhcp_frame(buf, &m);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_MALFORMED);
	t6_msg_start(&m, 1);
	t6_msg_client(&m, 1, true);
	put_unaligned_be16(200, m.b + 6);
	len = t6_dhcp_frame(buf, &m);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_MALFORMED);
	t6_msg_start(&m, 1);
	t6_msg_client(&m, 1, false);
	t6_msg_opt(&m, 3, "\0\0\0\7", 4);
	len = t6_dhcp_frame(buf, &m);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_MALFORMED);
	/* a 3-byte message; a client ID of one byte */
	m.len = 3;
	len = t6_dhcp_frame(buf, &m);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_MALFORMED);
	t6_msg_start(&m, 11);
	t6_msg_opt(&m, 1, "\1", 1);
	len = t6_dhcp_frame(buf, &m);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_MALFORMED);
	/* no UDP checksum */
	t6_msg_start(&m, 11);
	len = t6_dhcp_frame(buf, &m);
	memset(buf + T6_HDR + 6, 0, 2);
	KUNIT_EXPECT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DROP_BAD_CSUM);
	KUNIT_EXPECT_FALSE(test, env->guest.lease6.bound);

	/* Confirm of an address off this link */
	t6_msg_start(&m, 4);
	t6_msg_client(&m, 1, false);
	t6_msg_opt(&m, 3, "\0\0\0\7\0\0\0\0\0\0\0\0"
		   "\0\5\0\30\x20\1\xd\xb8\0\0\0\0\0\0\0\0\0\0\0\1"
		   "\0\0\0\0\0\0\0\0", 40);
	len = t6_dhcp_frame(buf, &m);
	KUNIT_ASSERT_EQ(test, t6_run(test, env, buf, len, &r),
			UNAT_STAT_DHCP6_REPLY);
	{
		const u8 *msg, *o;
		u16 olen;

		msg = t6_dhcp_check(test, env, r, 7, &len);
		o = t6_dhcp_opt(msg, len, 13, &olen);
		KUNIT_ASSERT_NOT_NULL(test, o);
		KUNIT_EXPECT_EQ(test, get_unaligned_be16(o), 4);
	}
}

static struct kunit_case unat_ipv6_cases[] = {
	KUNIT_CASE(unat_ndp_ns_test),
	KUNIT_CASE(unat_ndp_dad_test),
	KUNIT_CASE(unat_ndp_ra_test),
	KUNIT_CASE(unat_icmp6_echo_test),
	KUNIT_CASE(unat_icmp6_hop_limit_test),
	KUNIT_CASE(unat_ipv6_remote_test),
	KUNIT_CASE(unat_udp6_policy_test),
	KUNIT_CASE(unat_tcp6_policy_test),
	KUNIT_CASE(unat_ipv6_malformed_test),
	KUNIT_CASE(unat_ipv6_random_test),
	KUNIT_CASE(unat_ipv6_config_test),
	KUNIT_CASE(unat_dhcp6_info_test),
	KUNIT_CASE(unat_dhcp6_stateful_test),
	KUNIT_CASE(unat_dhcp6_bad_test),
	{}
};

struct kunit_suite unat_ipv6_suite = {
	.name = "unat_ipv6",
	.test_cases = unat_ipv6_cases,
};
