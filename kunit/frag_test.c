// SPDX-License-Identifier: GPL-2.0
/*
 * Guest fragments through a real unat device, whose netns's reassembly
 * (ip_defrag(), nf_ct_frag6_gather()) runs for real: every hostile kind
 * ends in a counted drop, and a packet comes back from reassembly at most
 * once (fragments_reassembled counts each time it does).
 */
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/inet.h>
#include <linux/rtnetlink.h>
#include <net/addrconf.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/ndisc.h>

#include "device.h"
#include "demux.h"
#include "helpers.h"

#define TF_MAX		8192		/* the largest frame built here */
#define TF_UDP_SPORT	40000
#define TF_UDP_DPORT	7777

/* A test device, its addresses, the frame being built. */
struct tf_env {
	struct unat_test_dev *td;
	u8 gw_mac[ETH_ALEN];
	__be32 src4, gw4, dst4;
	struct in6_addr src6, gw6, dst6;
	u8 *buf;			/* TF_MAX bytes */
	u32 id;				/* the next fragment id */
};

static struct in6_addr tf_addr6(const char *s)
{
	struct in6_addr a;

	in6_pton(s, -1, a.s6_addr, -1, NULL);
	return a;
}

static int tf_init(struct kunit *test)
{
	const struct unat_config *cfg;
	struct tf_env *env;

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	if (!env)
		return -ENOMEM;
	env->buf = kunit_kzalloc(test, TF_MAX, GFP_KERNEL);
	if (!env->buf)
		return -ENOMEM;
	env->td = unat_test_dev(test, false);
	cfg = rcu_dereference_protected(env->td->unat->config, true);
	ether_addr_copy(env->gw_mac, cfg->gw_mac);
	env->src4 = cfg->guest;
	env->gw4 = cfg->gateway;
	env->dst4 = htonl(0xcb007102);		/* 203.0.113.2 */
	env->src6 = tf_addr6("fd75:6e61:7400:2::aa");
	env->gw6 = cfg->gateway6;
	env->dst6 = tf_addr6("2001:db8:1::2");
	env->id = get_random_u32();
	test->priv = env;
	return 0;
}

static u64 tf_count(struct tf_env *env, enum unat_stat s)
{
	return unat_test_dev_count(env->td, s);
}

static void tf_xmit(struct tf_env *env, struct sk_buff *skb)
{
	unat_test_dev_xmit(env->td, skb);
}

static void tf_send(struct kunit *test, struct tf_env *env,
		    unsigned int len)
{
	struct sk_buff *skb = alloc_skb(NET_SKB_PAD + len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, NET_SKB_PAD);
	skb_put_data(skb, env->buf, len);
	tf_xmit(env, skb);
}

/* ------------------------------------------------------------- IPv6 -- */

/* Ethernet and IPv6 headers to @dst; the payload length is set by tf6_send(). */
static unsigned int tf6_hdr(struct tf_env *env, const u8 *dmac,
			    const struct in6_addr *dst, u8 nexthdr, u8 hop)
{
	struct ipv6hdr *ip6h = (struct ipv6hdr *)(env->buf + ETH_HLEN);

	unat_test_eth(env->buf, dmac, unat_test_guest_mac, ETH_P_IPV6);
	memset(ip6h, 0, sizeof(*ip6h));
	ip6h->version = 6;
	ip6h->nexthdr = nexthdr;
	ip6h->hop_limit = hop;
	ip6h->saddr = env->src6;
	ip6h->daddr = *dst;
	return ETH_HLEN + sizeof(*ip6h);
}

/* A fragment header at @off: @frag_off bytes in, more to come if @more. */
static unsigned int tf6_fh(struct tf_env *env, unsigned int off, u8 nexthdr,
			   unsigned int frag_off, bool more, u32 id)
{
	struct frag_hdr *fh = (struct frag_hdr *)(env->buf + off);

	fh->nexthdr = nexthdr;
	fh->reserved = 0;
	fh->frag_off = htons(frag_off | (more ? IP6_MF : 0));
	fh->identification = htonl(id);
	return off + sizeof(*fh);
}

static void tf6_send(struct kunit *test, struct tf_env *env,
		     unsigned int len)
{
	struct ipv6hdr *ip6h = (struct ipv6hdr *)(env->buf + ETH_HLEN);

	ip6h->payload_len = htons(len - ETH_HLEN - sizeof(*ip6h));
	tf_send(test, env, len);
}

/*
 * One fragment of @msg (@mlen bytes of upper-layer @nexthdr to @dst):
 * bytes [@from, @from + @n), the fragment header's id @id.
 */
static void tf6_frag(struct kunit *test, struct tf_env *env, const u8 *dmac,
		     const struct in6_addr *dst, u8 nexthdr, const u8 *msg,
		     unsigned int mlen, unsigned int from, unsigned int n,
		     u32 id)
{
	unsigned int off;

	off = tf6_hdr(env, dmac, dst, NEXTHDR_FRAGMENT, 64);
	off = tf6_fh(env, off, nexthdr, from, from + n < mlen, id);
	memcpy(env->buf + off, msg + from, n);
	tf6_send(test, env, off + n);
}

/* An echo request to the gateway of @len bytes (>= 8), checksummed. */
static void tf6_echo(struct tf_env *env, u8 *msg, unsigned int len)
{
	struct icmp6hdr *h = (struct icmp6hdr *)msg;
	unsigned int i;

	memset(h, 0, sizeof(*h));
	h->icmp6_type = ICMPV6_ECHO_REQUEST;
	h->icmp6_identifier = htons(0x4242);
	h->icmp6_sequence = htons(1);
	for (i = sizeof(*h); i < len; i++)
		msg[i] = i;
	h->icmp6_cksum = csum_ipv6_magic(&env->src6, &env->gw6, len,
					 IPPROTO_ICMPV6,
					 csum_partial(msg, len, 0));
}

/* @msg in fragments of @step bytes (a multiple of 8). */
static void tf6_split(struct kunit *test, struct tf_env *env, const u8 *dmac,
		      const struct in6_addr *dst, u8 nexthdr, const u8 *msg,
		      unsigned int mlen, unsigned int step, u32 id)
{
	unsigned int from;

	for (from = 0; from < mlen; from += step)
		tf6_frag(test, env, dmac, dst, nexthdr, msg, mlen, from,
			 min(step, mlen - from), id);
}

/* A fragmented echo to the gateway is answered, once: the control case. */
static void tf6_echo_test(struct kunit *test)
{
	struct tf_env *env = test->priv;
	u8 msg[56];

	tf6_echo(env, msg, sizeof(msg));
	tf6_split(test, env, env->gw_mac, &env->gw6, IPPROTO_ICMPV6, msg,
		  sizeof(msg), 24, env->id);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_FRAGMENT_HELD), 3);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_FRAGMENT_REASSEMBLED), 1);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_ICMP6_ECHO_REPLY), 1);
}

/*
 * Fragments that nf_ct_frag6_gather() leaves as they were (returning 0, as
 * it does for a whole packet): an end not a multiple of 8 with M set, a
 * first fragment without its upper-layer header.  Each once led straight
 * back into reassembly, without bound.
 */
static void tf6_left_as_is_test(struct kunit *test)
{
	static const struct {
		u8 nexthdr;
		unsigned int len;
	} cases[] = {
		{ IPPROTO_UDP, 9 },	/* 9 bytes, M=1 */
		{ IPPROTO_TCP, 8 },	/* a TCP header cut short */
		{ IPPROTO_UDP, 4 },	/* a UDP header cut short */
		{ IPPROTO_ICMPV6, 4 },	/* an ICMPv6 header cut short */
	};
	struct tf_env *env = test->priv;
	unsigned int i, off;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		off = tf6_hdr(env, env->gw_mac, &env->dst6, NEXTHDR_FRAGMENT,
			      64);
		off = tf6_fh(env, off, cases[i].nexthdr, 0, true, env->id + i);
		memset(env->buf + off, 0x5a, cases[i].len);
		tf6_send(test, env, off + cases[i].len);
	}
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_DROP_FRAGMENT_INVALID),
			ARRAY_SIZE(cases));
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_FRAGMENT_REASSEMBLED), 0);
}

/*
 * @n atomic fragment headers, then a first fragment and, in a second
 * frame, its last: netfilter would strip one header per pass.  Refused at
 * the first fragment header past the first.
 */
static void tf6_atomic_chain(struct kunit *test, unsigned int n)
{
	struct tf_env *env = test->priv;
	unsigned int off, i;
	u32 id = env->id;

	off = tf6_hdr(env, env->gw_mac, &env->dst6, NEXTHDR_FRAGMENT, 64);
	for (i = 0; i < n; i++)
		off = tf6_fh(env, off, NEXTHDR_FRAGMENT, 0, false, id + 1 + i);
	off = tf6_fh(env, off, IPPROTO_UDP, 0, true, id);
	memset(env->buf + off, 0, 16);
	tf6_send(test, env, off + 16);
	off = tf6_hdr(env, env->gw_mac, &env->dst6, NEXTHDR_FRAGMENT, 64);
	off = tf6_fh(env, off, IPPROTO_UDP, 16, false, id);
	memset(env->buf + off, 0, 8);
	tf6_send(test, env, off + 8);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_DROP_FRAGMENT_INVALID), 1);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_FRAGMENT_HELD), 1);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_FRAGMENT_REASSEMBLED), 0);
}

static void tf6_atomic_chain_test(struct kunit *test)
{
	static const unsigned int lengths[] = { 1, 50, 500 };
	struct tf_env *env = test->priv;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lengths); i++) {
		unat_test_dev_mark(env->td);
		env->id += 1000;
		tf6_atomic_chain(test, lengths[i]);
	}
}

/*
 * Two fragment headers in one packet, the second atomic: it read as an
 * unfragmented packet.  And a first fragment whose payload starts with a
 * fragment header (what reassembly would leave with one).
 */
static void tf6_nested_test(struct kunit *test)
{
	struct tf_env *env = test->priv;
	unsigned int off;

	off = tf6_hdr(env, env->gw_mac, &env->dst6, NEXTHDR_FRAGMENT, 64);
	off = tf6_fh(env, off, NEXTHDR_FRAGMENT, 0, true, env->id);
	off = tf6_fh(env, off, IPPROTO_UDP, 0, false, env->id + 1);
	memset(env->buf + off, 0, 16);
	tf6_send(test, env, off + 16);

	off = tf6_hdr(env, env->gw_mac, &env->dst6, NEXTHDR_FRAGMENT, 64);
	off = tf6_fh(env, off, NEXTHDR_FRAGMENT, 0, true, env->id + 2);
	off = tf6_fh(env, off, IPPROTO_UDP, 0, false, env->id + 3);
	memset(env->buf + off, 0, 8);
	tf6_send(test, env, off + 8);
	off = tf6_hdr(env, env->gw_mac, &env->dst6, NEXTHDR_FRAGMENT, 64);
	off = tf6_fh(env, off, NEXTHDR_FRAGMENT, 16, false, env->id + 2);
	memset(env->buf + off, 0, 8);
	tf6_send(test, env, off + 8);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_DROP_FRAGMENT_INVALID), 2);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_FRAGMENT_REASSEMBLED), 0);
}

/*
 * Past 65535 bytes: refused before reassembly.  Overlapping: refused by
 * reassembly itself.
 */
static void tf6_refused_test(struct kunit *test)
{
	struct tf_env *env = test->priv;
	u8 msg[40] = {};
	unsigned int off;

	off = tf6_hdr(env, env->gw_mac, &env->dst6, NEXTHDR_FRAGMENT, 64);
	off = tf6_fh(env, off, IPPROTO_UDP, 65528, false, env->id);
	memset(env->buf + off, 0, 16);
	tf6_send(test, env, off + 16);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_DROP_FRAGMENT_INVALID), 1);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_DROP_FRAGMENT), 0);
	/* [0, 24) then [16, 40) */
	tf6_frag(test, env, env->gw_mac, &env->dst6, IPPROTO_UDP, msg, 40, 0,
		 24, env->id + 1);
	tf6_frag(test, env, env->gw_mac, &env->dst6, IPPROTO_UDP, msg, 40, 16,
		 24, env->id + 1);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_DROP_FRAGMENT), 1);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_FRAGMENT_REASSEMBLED), 0);
}

/*
 * A duplicate fragment is taken once; a fragment id reused right after a
 * complete datagram starts a new one.  Each datagram is answered once.
 */
static void tf6_duplicate_reuse_test(struct kunit *test)
{
	struct tf_env *env = test->priv;
	u8 msg[32];

	tf6_echo(env, msg, sizeof(msg));
	tf6_frag(test, env, env->gw_mac, &env->gw6, IPPROTO_ICMPV6, msg,
		 sizeof(msg), 0, 16, env->id);
	tf6_split(test, env, env->gw_mac, &env->gw6, IPPROTO_ICMPV6, msg,
		  sizeof(msg), 16, env->id);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_FRAGMENT_REASSEMBLED), 1);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_ICMP6_ECHO_REPLY), 1);
	tf6_split(test, env, env->gw_mac, &env->gw6, IPPROTO_ICMPV6, msg,
		  sizeof(msg), 16, env->id);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_FRAGMENT_REASSEMBLED), 2);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_ICMP6_ECHO_REPLY), 2);
}

/* Neighbour discovery in fragments (RFC 6980), and payload length 0. */
static void tf6_ndp_and_jumbo_test(struct kunit *test)
{
	struct tf_env *env = test->priv;
	struct in6_addr snm;
	struct nd_msg *ns;
	u8 msg[32] = {}, mac[ETH_ALEN];
	unsigned int off;

	ns = (struct nd_msg *)msg;
	ns->icmph.icmp6_type = NDISC_NEIGHBOUR_SOLICITATION;
	ns->target = env->gw6;
	ns->opt[0] = ND_OPT_SOURCE_LL_ADDR;
	ns->opt[1] = 1;
	ether_addr_copy(&ns->opt[2], unat_test_guest_mac);
	addrconf_addr_solict_mult(&env->gw6, &snm);
	ns->icmph.icmp6_cksum = csum_ipv6_magic(&env->src6, &snm, sizeof(msg),
						IPPROTO_ICMPV6,
						csum_partial(msg, sizeof(msg),
							     0));
	ipv6_eth_mc_map(&snm, mac);
	tf6_split(test, env, mac, &snm, IPPROTO_ICMPV6, msg, sizeof(msg), 16,
		  env->id);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_FRAGMENT_REASSEMBLED), 0);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_DROP_FRAGMENT_INVALID), 1);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_NDP_NA), 0);

	off = tf6_hdr(env, env->gw_mac, &env->dst6, NEXTHDR_FRAGMENT, 64);
	off = tf6_fh(env, off, IPPROTO_UDP, 0, true, env->id + 1);
	memset(env->buf + off, 0, 8);
	tf_send(test, env, off + 8);		/* payload_len stays 0 */
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_DROP_MALFORMED), 1);
}

/* ------------------------------------------------------------- IPv4 -- */

/* One IPv4 fragment of @msg: bytes [@from, @from + @n), id @id. */
static void tf4_frag(struct kunit *test, struct tf_env *env, __be32 daddr,
		     u8 proto, const u8 *msg, unsigned int mlen,
		     unsigned int from, unsigned int n, u16 id)
{
	struct iphdr *iph = (struct iphdr *)(env->buf + ETH_HLEN);
	unsigned int off = ETH_HLEN + sizeof(*iph);

	unat_test_eth(env->buf, env->gw_mac, unat_test_guest_mac, ETH_P_IP);
	unat_test_ipv4((u8 *)iph, env->src4, daddr, proto, n);
	iph->id = htons(id);
	iph->frag_off = htons(from >> 3 | (from + n < mlen ? IP_MF : 0));
	ip_send_check(iph);
	memcpy(env->buf + off, msg + from, n);
	tf_send(test, env, off + n);
}

static void tf4_split(struct kunit *test, struct tf_env *env, __be32 daddr,
		      u8 proto, const u8 *msg, unsigned int mlen,
		      unsigned int step, u16 id)
{
	unsigned int from;

	for (from = 0; from < mlen; from += step)
		tf4_frag(test, env, daddr, proto, msg, mlen, from,
			 min(step, mlen - from), id);
}

static void tf4_echo(u8 *msg, unsigned int len)
{
	struct icmphdr *h = (struct icmphdr *)msg;
	unsigned int i;

	memset(h, 0, sizeof(*h));
	h->type = ICMP_ECHO;
	h->un.echo.id = htons(0x4242);
	h->un.echo.sequence = htons(1);
	for (i = sizeof(*h); i < len; i++)
		msg[i] = i;
	h->checksum = ip_compute_csum(msg, len);
}

/* The control case, a duplicate, and an id reused at once: each datagram
 * answered once.
 */
static void tf4_echo_test(struct kunit *test)
{
	struct tf_env *env = test->priv;
	u16 id = env->id;
	u8 msg[56];

	tf4_echo(msg, sizeof(msg));
	tf4_split(test, env, env->gw4, IPPROTO_ICMP, msg, sizeof(msg), 24, id);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_FRAGMENT_REASSEMBLED), 1);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_ICMP_ECHO_REPLY), 1);
	tf4_frag(test, env, env->gw4, IPPROTO_ICMP, msg, sizeof(msg), 0, 24,
		 id + 1);
	tf4_split(test, env, env->gw4, IPPROTO_ICMP, msg, sizeof(msg), 24,
		  id + 1);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_FRAGMENT_REASSEMBLED), 2);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_ICMP_ECHO_REPLY), 2);
	tf4_split(test, env, env->gw4, IPPROTO_ICMP, msg, sizeof(msg), 24,
		  id + 1);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_FRAGMENT_REASSEMBLED), 3);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_ICMP_ECHO_REPLY), 3);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_DROP_FRAGMENT_INVALID), 0);
}

/*
 * Datagrams whose first fragment cuts the transport header: reassembled
 * once, then dropped by the transport's own checks.  Overlapping
 * fragments are refused by reassembly.
 */
static void tf4_cut_overlap_test(struct kunit *test)
{
	struct tf_env *env = test->priv;
	u16 id = env->id;
	u8 msg[48] = {};

	/* a 16-byte "TCP header", a UDP length past the datagram */
	tf4_split(test, env, env->dst4, IPPROTO_TCP, msg, 16, 8, id);
	msg[5] = 100;
	tf4_split(test, env, env->dst4, IPPROTO_UDP, msg, 16, 8, id + 1);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_FRAGMENT_REASSEMBLED), 2);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_DROP_MALFORMED), 2);
	/* [0, 24) then [16, 40) */
	tf4_frag(test, env, env->dst4, IPPROTO_UDP, msg, 40, 0, 24, id + 2);
	tf4_frag(test, env, env->dst4, IPPROTO_UDP, msg, 40, 16, 24, id + 2);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_DROP_FRAGMENT), 1);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_FRAGMENT_REASSEMBLED), 2);
}

/*
 * A super-frame never goes to reassembly: a TSO frame that says it is a
 * fragment, and the segments of a USO frame whose IPv4 header has MF (each
 * segment copies it) are refused, not queued.
 */
static void tf4_gso_test(struct kunit *test)
{
	struct tf_env *env = test->priv;
	struct sk_buff *skb;
	struct iphdr *iph;
	u8 msg[48] = {};

	skb = unat_test_uso(test, 4000, 1000);
	iph = (struct iphdr *)(skb->data + ETH_HLEN);
	memcpy(eth_hdr(skb)->h_dest, env->gw_mac, ETH_ALEN);
	iph->frag_off = htons(IP_MF);
	ip_send_check(iph);
	tf_xmit(env, skb);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_DROP_FRAGMENT_INVALID), 4);

	tf4_frag(test, env, env->dst4, IPPROTO_TCP, msg, 48, 0, 40, env->id);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_FRAGMENT_HELD), 1);
	skb = unat_test_uso(test, 4000, 1000);
	iph = (struct iphdr *)(skb->data + ETH_HLEN);
	memcpy(eth_hdr(skb)->h_dest, env->gw_mac, ETH_ALEN);
	iph->protocol = IPPROTO_TCP;
	iph->frag_off = htons(IP_MF);
	ip_send_check(iph);
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	tf_xmit(env, skb);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_DROP_FRAGMENT_INVALID), 5);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_FRAGMENT_HELD), 1);
	KUNIT_EXPECT_EQ(test, tf_count(env, UNAT_STAT_FRAGMENT_REASSEMBLED), 0);
}

/* The rule itself: no reassembly on a second pass, nor of a super-frame. */
static void tf_defrag_check_test(struct kunit *test)
{
	struct tf_env *env = test->priv;
	struct unat_ctx ctx = { .unat = env->td->unat };
	struct sk_buff *skb = unat_test_skb(test, env->buf, 64);

	KUNIT_EXPECT_EQ(test, unat_input_defrag_check(&ctx, skb),
			UNAT_STAT_OK);
	ctx.reentered = true;
	KUNIT_EXPECT_EQ(test, unat_input_defrag_check(&ctx, skb),
			UNAT_STAT_DROP_FRAGMENT_INVALID);
	ctx.reentered = false;
	skb_shinfo(skb)->gso_size = 1000;
	KUNIT_EXPECT_EQ(test, unat_input_defrag_check(&ctx, skb),
			UNAT_STAT_DROP_FRAGMENT_INVALID);
	skb_shinfo(skb)->gso_size = 0;
	ctx.unat = NULL;
	KUNIT_EXPECT_EQ(test, unat_input_defrag_check(&ctx, skb),
			UNAT_STAT_DROP_FRAGMENT);
}

static struct kunit_case unat_frag_cases[] = {
	KUNIT_CASE(tf6_echo_test),
	KUNIT_CASE(tf6_left_as_is_test),
	KUNIT_CASE(tf6_atomic_chain_test),
	KUNIT_CASE(tf6_nested_test),
	KUNIT_CASE(tf6_refused_test),
	KUNIT_CASE(tf6_duplicate_reuse_test),
	KUNIT_CASE(tf6_ndp_and_jumbo_test),
	KUNIT_CASE(tf4_echo_test),
	KUNIT_CASE(tf4_cut_overlap_test),
	KUNIT_CASE(tf4_gso_test),
	KUNIT_CASE(tf_defrag_check_test),
	{}
};

struct kunit_suite unat_frag_suite = {
	.name = "unat_frag",
	.init = tf_init,
	.test_cases = unat_frag_cases,
};
