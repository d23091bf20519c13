// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 from the guest: header validation, and ICMP echo to the gateway.
 */
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/ip.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "proto.h"
#include "demux.h"
#include "helpers.h"

#define A(a, b, c, d)	htonl(((a) << 24) | ((b) << 16) | ((c) << 8) | (d))
#define GUEST	A(10, 0, 2, 15)
#define GW	A(10, 0, 2, 2)
#define DNS	A(10, 0, 2, 3)

/* An echo request from the guest to @daddr with @paylen payload bytes. */
static unsigned int unat_test_ping(struct unat_test_env *env, u8 *buf,
				   __be32 daddr, unsigned int paylen)
{
	unsigned int off = 0, i;
	struct icmphdr *icmph;

	off += unat_test_eth(buf, env->cfg->gw_mac, unat_test_guest_mac,
			     ETH_P_IP);
	off += unat_test_ipv4(buf + off, GUEST, daddr, IPPROTO_ICMP,
			      sizeof(*icmph) + paylen);
	icmph = (struct icmphdr *)(buf + off);
	icmph->type = ICMP_ECHO;
	icmph->code = 0;
	icmph->un.echo.id = htons(0x1234);
	icmph->un.echo.sequence = htons(7);
	for (i = 0; i < paylen; i++)
		buf[off + sizeof(*icmph) + i] = i * 7;
	icmph->checksum = 0;
	icmph->checksum = csum_fold(csum_partial(icmph, sizeof(*icmph) + paylen,
						 0));
	return off + sizeof(*icmph) + paylen;
}

static void unat_check_echo_reply(struct kunit *test,
				  struct unat_test_env *env,
				  const u8 *req, unsigned int len,
				  struct sk_buff *r, __be32 from)
{
	const struct ethhdr *eth = (const struct ethhdr *)r->data;
	const struct iphdr *iph = (const struct iphdr *)(r->data + ETH_HLEN);
	const struct icmphdr *icmph;
	unsigned int l4 = ETH_HLEN + sizeof(*iph);

	KUNIT_ASSERT_EQ(test, r->len, len);
	KUNIT_ASSERT_TRUE(test, skb_is_nonlinear(r) == false);
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(eth->h_dest,
						 unat_test_guest_mac));
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(eth->h_source,
						 env->cfg->gw_mac));
	KUNIT_EXPECT_EQ(test, ip_fast_csum(iph, iph->ihl), 0);
	KUNIT_EXPECT_EQ(test, iph->saddr, from);
	KUNIT_EXPECT_EQ(test, iph->daddr, GUEST);
	KUNIT_EXPECT_EQ(test, ntohs(iph->tot_len), len - ETH_HLEN);
	icmph = (const struct icmphdr *)(r->data + l4);
	KUNIT_EXPECT_EQ(test, icmph->type, ICMP_ECHOREPLY);
	KUNIT_EXPECT_EQ(test, csum_fold(csum_partial(icmph, len - l4, 0)), 0);
	/* id, sequence and payload come back unchanged */
	KUNIT_EXPECT_MEMEQ(test, r->data + l4 + 4, req + l4 + 4, len - l4 - 4);
}

static void unat_icmp_echo_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	__be32 targets[] = { GW, DNS };
	struct sk_buff *skb, *r;
	unsigned int len;
	u8 *buf;
	int i;

	buf = kunit_kzalloc(test, 2048, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < ARRAY_SIZE(targets); i++) {
		len = unat_test_ping(env, buf, targets[i], 56);
		skb = unat_test_skb(test, buf, len);
		KUNIT_ASSERT_EQ(test, unat_test_input(env, skb, &r),
				UNAT_STAT_ICMP_ECHO_REPLY);
		KUNIT_ASSERT_NOT_NULL(test, r);
		unat_test_own(test, r);
		unat_check_echo_reply(test, env, buf, len, r, targets[i]);
	}
}

/* A large echo whose payload is mostly in a page fragment. */
static void unat_icmp_echo_paged_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	struct sk_buff *skb, *r;
	unsigned int len;
	u8 *buf;

	buf = kunit_kzalloc(test, 4096, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = unat_test_ping(env, buf, GW, 3000);
	skb = unat_test_skb_paged(test, buf, len, 40);
	KUNIT_ASSERT_EQ(test, unat_test_input(env, skb, &r),
			UNAT_STAT_ICMP_ECHO_REPLY);
	unat_test_own(test, r);
	unat_check_echo_reply(test, env, buf, len, r, GW);
}

/* The netns stack leaves checksums to the device: trust CHECKSUM_PARTIAL. */
static void unat_icmp_partial_csum_test(struct kunit *test)
{
	static const int bad[][2] = {
		{ ETH_HLEN, 10 }, { 0, 0 }, { ETH_HLEN + 20, 6 },
	};
	struct unat_test_env *env = unat_test_env(test);
	struct sk_buff *skb, *r;
	unsigned int len;
	u8 buf[128];
	int i;

	len = unat_test_ping(env, buf, GW, 16);
	buf[ETH_HLEN + 20 + 2] ^= 0xff;		/* ICMP checksum now wrong */
	skb = unat_test_skb(test, buf, len);
	KUNIT_EXPECT_EQ(test, unat_test_input(env, skb, &r),
			UNAT_STAT_DROP_BAD_CSUM);
	skb = unat_test_skb(test, buf, len);
	unat_test_partial(skb, ETH_HLEN + 20, 2);
	KUNIT_EXPECT_EQ(test, unat_test_input(env, skb, &r),
			UNAT_STAT_ICMP_ECHO_REPLY);
	unat_test_own(test, r);
	/* but only at the ICMP checksum: not in the IP header, not before */
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		skb = unat_test_skb(test, buf, len);
		unat_test_partial(skb, bad[i][0], bad[i][1]);
		KUNIT_EXPECT_EQ_MSG(test, unat_test_input(env, skb, &r),
				    UNAT_STAT_DROP_BAD_OFFLOAD, "offsets %d",
				    i);
	}
}

/*
 * The offload state a guest may set, for each protocol: a super-frame
 * only as TCP of its family, an unfinished checksum only at the
 * transport's field or, in UDP, inside the payload.  What finishing one
 * leaves: the checksum done, nothing for the host to redo.
 */
static void unat_offload_check_test(struct kunit *test)
{
	static const struct {
		u8 proto;
		int start, off;
		bool ok;
	} cases[] = {
		{ IPPROTO_TCP, 34, 16, true }, { IPPROTO_TCP, 34, 6, false },
		{ IPPROTO_UDP, 34, 6, true }, { IPPROTO_UDP, 42, 2, true },
		{ IPPROTO_UDP, 38, 2, false }, { IPPROTO_UDP, 90, 10, false },
		{ IPPROTO_ICMP, 34, 2, true }, { IPPROTO_ICMP, 14, 10, false },
		{ IPPROTO_ICMP, -4, 0, false }, { IPPROTO_GRE, 34, 2, false },
	};
	enum unat_stat expect;
	struct sk_buff *skb;
	u8 buf[100] = {};
	__sum16 want;
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		skb = unat_test_skb(test, buf, sizeof(buf));
		unat_test_partial(skb, cases[i].start, cases[i].off);
		expect = UNAT_STAT_DROP_BAD_OFFLOAD;
		if (cases[i].ok)
			expect = UNAT_STAT_OK;
		KUNIT_EXPECT_EQ_MSG(test,
				    unat_frame_offload_check(skb, 34,
							     cases[i].proto,
							     false),
				    expect, "case %d", i);
	}
	skb = unat_test_skb(test, buf, sizeof(buf));
	skb_shinfo(skb)->gso_size = 1000;
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	KUNIT_EXPECT_EQ(test, unat_frame_offload_check(skb, 34, IPPROTO_TCP,
						       false), UNAT_STAT_OK);
	KUNIT_EXPECT_EQ(test, unat_frame_offload_check(skb, 34, IPPROTO_TCP,
						       true),
			UNAT_STAT_DROP_BAD_OFFLOAD);
	KUNIT_EXPECT_EQ(test, unat_frame_offload_check(skb, 34, IPPROTO_ICMP,
						       false),
			UNAT_STAT_DROP_BAD_OFFLOAD);
	skb_shinfo(skb)->gso_size = 0;
	skb_shinfo(skb)->gso_type = 0;

	/* ICMP finished in place; UDP's own field left to unat's new header */
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = i * 7;
	buf[36] = 0;
	buf[37] = 0;
	want = ip_compute_csum(buf + 34, sizeof(buf) - 34);
	skb = unat_test_skb(test, buf, sizeof(buf));
	unat_test_partial(skb, 34, 2);
	KUNIT_EXPECT_EQ(test, unat_frame_csum_finish(skb, 34), UNAT_STAT_OK);
	KUNIT_EXPECT_EQ(test, (int)skb->ip_summed, CHECKSUM_NONE);
	KUNIT_EXPECT_EQ(test, *(__sum16 *)(skb->data + 36), want);
	skb = unat_test_skb(test, buf, sizeof(buf));
	unat_test_partial(skb, 34, 6);
	KUNIT_EXPECT_EQ(test, unat_frame_csum_finish(skb, 42), UNAT_STAT_OK);
	KUNIT_EXPECT_EQ(test, (int)skb->ip_summed, CHECKSUM_NONE);
	KUNIT_EXPECT_EQ(test, skb->data[40], buf[40]);
}

/*
 * One policy for every guest flow over IPv4: the host's loopback only as
 * the gateway address with hostloop on, never by its own name.
 */
static void unat_ipv4_outbound_test(struct kunit *test)
{
	static const struct {
		__be32 daddr;
		enum unat_stat want;
	} cases[] = {
		{ A(203, 0, 113, 2), UNAT_STAT_OK },
		{ A(127, 0, 0, 1), UNAT_STAT_DROP_NOT_FOR_GATEWAY },
		{ A(127, 0, 0, 2), UNAT_STAT_DROP_NOT_FOR_GATEWAY },
		{ A(127, 255, 255, 254), UNAT_STAT_DROP_NOT_FOR_GATEWAY },
		{ A(0, 0, 0, 0), UNAT_STAT_DROP_NOT_FOR_GATEWAY },
		{ A(0, 1, 2, 3), UNAT_STAT_DROP_NOT_FOR_GATEWAY },
		{ A(0, 255, 255, 255), UNAT_STAT_DROP_NOT_FOR_GATEWAY },
		{ A(1, 0, 0, 0), UNAT_STAT_OK },
		{ A(255, 255, 255, 255), UNAT_STAT_DROP_NOT_FOR_GATEWAY },
		{ A(224, 0, 0, 1), UNAT_STAT_DROP_NOT_FOR_GATEWAY },
		{ A(10, 0, 2, 77), UNAT_STAT_DROP_NOT_FOR_GATEWAY },
		{ DNS, UNAT_STAT_DROP_NOT_FOR_GATEWAY },
		{ GW, UNAT_STAT_OK },
	};
	struct unat_test_env *env = unat_test_env(test);
	struct unat_ip4 ip = { .saddr = GUEST, .ttl = 64 };
	struct sk_buff *skb = unat_test_skb(test, "", 0), *r = NULL;
	bool host;
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ip.daddr = cases[i].daddr;
		KUNIT_EXPECT_EQ_MSG(test,
				    unat_ipv4_outbound(&env->ctx, skb, &ip,
						       &host, &r),
				    cases[i].want, "case %d", i);
		KUNIT_EXPECT_EQ(test, host, ip.daddr == GW);
	}
	env->cfg->hostloop = false;
	ip.daddr = GW;
	KUNIT_EXPECT_EQ(test, unat_ipv4_outbound(&env->ctx, skb, &ip, &host,
						 &r),
			UNAT_STAT_DROP_NOT_FOR_GATEWAY);
	ip.daddr = A(127, 0, 0, 1);
	KUNIT_EXPECT_EQ(test, unat_ipv4_outbound(&env->ctx, skb, &ip, &host,
						 &r),
			UNAT_STAT_DROP_NOT_FOR_GATEWAY);
	ip.daddr = A(203, 0, 113, 2);
	ip.saddr = A(10, 0, 2, 16);
	KUNIT_EXPECT_EQ(test, unat_ipv4_outbound(&env->ctx, skb, &ip, &host,
						 &r),
			UNAT_STAT_DROP_BAD_SOURCE);
	env->cfg->restricted = true;
	KUNIT_EXPECT_EQ(test, unat_ipv4_outbound(&env->ctx, skb, &ip, &host,
						 &r),
			UNAT_STAT_DROP_RESTRICTED);
	KUNIT_EXPECT_NULL(test, r);
}

static void unat_icmp_not_ours_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	struct sk_buff *skb, *r;
	unsigned int len;
	u8 buf[128];

	len = unat_test_ping(env, buf, A(10, 0, 2, 77), 8);
	skb = unat_test_skb(test, buf, len);
	KUNIT_EXPECT_EQ(test, unat_test_input(env, skb, &r),
			UNAT_STAT_DROP_UNSUPPORTED);
	KUNIT_EXPECT_NULL(test, r);

	/* Not an echo request: an echo reply from the guest. */
	len = unat_test_ping(env, buf, GW, 8);
	buf[ETH_HLEN + 20] = ICMP_ECHOREPLY;
	buf[ETH_HLEN + 20 + 2] += 8;	/* keep the checksum right */
	skb = unat_test_skb(test, buf, len);
	KUNIT_EXPECT_EQ(test, unat_test_input(env, skb, &r),
			UNAT_STAT_DROP_UNSUPPORTED);

	/* A frame for another MAC */
	len = unat_test_ping(env, buf, GW, 8);
	buf[0] ^= 2;
	skb = unat_test_skb(test, buf, len);
	KUNIT_EXPECT_EQ(test, unat_test_input(env, skb, &r),
			UNAT_STAT_DROP_NOT_FOR_GATEWAY);
}

struct unat_ip_damage {
	const char *name;
	unsigned int off;	/* byte from the IPv4 header's start */
	u8 xor;
	int trunc;		/* bytes cut from the frame's end */
	bool fix_csum;
	enum unat_stat want;
};

static const struct unat_ip_damage unat_ip_damages[] = {
	{ "version 6", 0, 0x20, 0, true, UNAT_STAT_DROP_MALFORMED },
	{ "ihl 4", 0, 0x01, 0, true, UNAT_STAT_DROP_MALFORMED },
	{ "ihl 15", 0, 0x0a, 0, true, UNAT_STAT_DROP_MALFORMED },
	{ "tot_len too big", 2, 0x10, 0, true, UNAT_STAT_DROP_MALFORMED },
	{ "tot_len below ihl", 3, 0x3a, 0, true, UNAT_STAT_DROP_MALFORMED },
	{ "header checksum", 10, 0x01, 0, false, UNAT_STAT_DROP_BAD_CSUM },
	{ "more fragments, 22 bytes", 6, 0x20, 0, true,
	  UNAT_STAT_DROP_FRAGMENT_INVALID },
	{ "fragment offset", 7, 0x08, 0, true, UNAT_STAT_DROP_FRAGMENT },
	{ "multicast source", 12, 0xea, 0, true, UNAT_STAT_DROP_BAD_SOURCE },
	{ "loopback source", 12, 0x75, 0, true, UNAT_STAT_DROP_BAD_SOURCE },
	{ "truncated header", 0, 0, 50, false, UNAT_STAT_DROP_MALFORMED },
	{ "truncated payload", 0, 0, 4, false, UNAT_STAT_DROP_MALFORMED },
	{ "unknown protocol", 9, 0x2e, 0, true, UNAT_STAT_DROP_UNSUPPORTED },
	{ "icmp truncated", 3, 0x2a ^ 0x1b, 0, true, UNAT_STAT_DROP_MALFORMED },
};

static void unat_ip_damage_desc(const struct unat_ip_damage *d, char *desc)
{
	strscpy(desc, d->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(unat_ip_damage, unat_ip_damages, unat_ip_damage_desc);

static void unat_ipv4_malformed_test(struct kunit *test)
{
	const struct unat_ip_damage *d = test->param_value;
	struct unat_test_env *env = unat_test_env(test);
	struct sk_buff *skb, *r;
	struct iphdr *iph;
	unsigned int len;
	u8 buf[128];

	len = unat_test_ping(env, buf, GW, 14);	/* IPv4 total 42 = 0x2a */
	iph = (struct iphdr *)(buf + ETH_HLEN);
	buf[ETH_HLEN + d->off] ^= d->xor;
	if (d->fix_csum)
		ip_send_check(iph);
	skb = unat_test_skb(test, buf, len - d->trunc);
	KUNIT_EXPECT_EQ(test, unat_test_input(env, skb, &r), d->want);
	KUNIT_EXPECT_NULL(test, r);
}

/* Ethernet padding past tot_len is trimmed, not taken as payload. */
static void unat_ipv4_padding_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	struct sk_buff *skb, *r;
	unsigned int len;
	u8 buf[128] = {};

	len = unat_test_ping(env, buf, GW, 0);
	KUNIT_ASSERT_LT(test, len, 60U);
	skb = unat_test_skb(test, buf, 60);
	KUNIT_ASSERT_EQ(test, unat_test_input(env, skb, &r),
			UNAT_STAT_ICMP_ECHO_REPLY);
	unat_test_own(test, r);
	KUNIT_EXPECT_EQ(test, r->len, len);
}

/* Random bytes after a valid Ethernet header never crash or answer. */
static void unat_garbage_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	static const u16 protos[] = { ETH_P_IP, ETH_P_ARP, ETH_P_IPV6, 0x1234 };
	struct sk_buff *skb, *r;
	u8 buf[256];
	int i, answered = 0;

	for (i = 0; i < 2000; i++) {
		unsigned int len = get_random_u32_below(sizeof(buf) + 1);

		get_random_bytes(buf, sizeof(buf));
		if (len >= ETH_HLEN)
			unat_test_eth(buf, i & 1 ? env->cfg->gw_mac :
				      (const u8 *)"\xff\xff\xff\xff\xff\xff",
				      unat_test_guest_mac, protos[i % 4]);
		if (len > ETH_HLEN)
			buf[ETH_HLEN] = (buf[ETH_HLEN] & 0x0f) | 0x40;
		skb = unat_test_skb(test, buf, len);
		unat_test_input(env, skb, &r);
		if (r) {
			answered++;
			kfree_skb(r);
		}
	}
	/* 2000 random frames; a valid checksum by chance answers at most a
	 * handful.
	 */
	KUNIT_EXPECT_LT(test, answered, 5);
}

/* Each datagram the guest meant, whole, in order, with a valid checksum. */
static void unat_uso_check_seg(struct kunit *test, struct sk_buff *seg,
			       unsigned int off, unsigned int n)
{
	unsigned int i, dlen;
	struct unat_ip4 ip;
	u8 *data;

	KUNIT_ASSERT_EQ(test, unat_ipv4_parse(seg, &ip), UNAT_STAT_OK);
	KUNIT_EXPECT_EQ(test, ip.l4len, sizeof(struct udphdr) + n);
	KUNIT_EXPECT_EQ(test, ntohs(((struct udphdr *)(seg->data +
						       ip.l4off))->len),
			sizeof(struct udphdr) + n);
	if (seg->ip_summed == CHECKSUM_PARTIAL)
		KUNIT_ASSERT_EQ(test, skb_checksum_help(seg), 0);
	KUNIT_EXPECT_EQ(test, csum_tcpudp_magic(ip.saddr, ip.daddr, ip.l4len,
						IPPROTO_UDP,
						skb_checksum(seg, ip.l4off,
							     ip.l4len, 0)), 0);
	dlen = ip.l4off + sizeof(struct udphdr);
	data = kunit_kzalloc(test, n, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, data);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(seg, dlen, data, n), 0);
	for (i = 0; i < n; i++)
		if (data[i] != (u8)((off + i) * 13 + (off + i) / 256))
			break;
	KUNIT_EXPECT_EQ(test, i, n);
}

/* A USO super-frame becomes the datagrams it stands for; a bad one none. */
static void unat_uso_split_test(struct kunit *test)
{
	struct sk_buff *segs, *seg, *next;
	unsigned int n = 0, off = 0;

	segs = unat_gso_split(unat_test_uso(test, 10300, 1000));
	KUNIT_ASSERT_NOT_NULL(test, segs);
	skb_list_walk_safe(segs, seg, next) {
		unsigned int want = min(1000U, 10300 - off);

		skb_mark_not_on_list(seg);
		unat_test_own(test, seg);
		unat_uso_check_seg(test, seg, off, want);
		off += want;
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 11);
	KUNIT_EXPECT_EQ(test, off, 10300);

	/* a "super-frame" no larger than one segment is malformed */
	KUNIT_EXPECT_NULL(test, unat_gso_split(unat_test_uso(test, 800, 1000)));
}

/*
 * A guest's gso_size sets how many datagrams one write becomes: at most
 * UNAT_GSO_MAX_SEGS, so a 64 KiB frame cut at 1 byte is refused whole,
 * by the device, as drop_bad_offload.
 */
static void unat_uso_max_segs_test(struct kunit *test)
{
	struct unat_test_dev *td = unat_test_dev(test, true);
	struct sk_buff *skb, *segs, *seg, *next;
	unsigned int n = 0;

	skb = unat_test_uso(test, 8 * UNAT_GSO_MAX_SEGS, 8);
	KUNIT_EXPECT_TRUE(test, unat_gso_segs_ok(skb));
	segs = unat_gso_split(skb);
	KUNIT_ASSERT_NOT_NULL(test, segs);
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		unat_test_own(test, seg);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, UNAT_GSO_MAX_SEGS);

	skb = unat_test_uso(test, 8 * UNAT_GSO_MAX_SEGS + 1, 8);
	KUNIT_EXPECT_FALSE(test, unat_gso_segs_ok(skb));
	unat_test_dev_xmit(td, skb);
	skb = unat_test_uso(test, 65000, 1);
	KUNIT_EXPECT_FALSE(test, unat_gso_segs_ok(skb));
	unat_test_dev_xmit(td, skb);
	KUNIT_EXPECT_EQ(test,
			unat_test_dev_count(td, UNAT_STAT_DROP_BAD_OFFLOAD), 2);
	KUNIT_EXPECT_EQ(test,
			unat_test_dev_count(td, UNAT_STAT_GSO_FROM_GUEST), 2);
	/* no super-frame at all, and no division by it */
	skb = unat_test_uso(test, 1000, 0);
	KUNIT_EXPECT_FALSE(test, unat_gso_segs_ok(skb));
	kfree_skb(skb);
}

/*
 * Fragment lengths, both families: all but the last a non-zero multiple
 * of 8, none ending past 65535 bytes.
 */
static void unat_frag_len_test(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, unat_frag_len_ok(true, 0, 8));
	KUNIT_EXPECT_TRUE(test, unat_frag_len_ok(true, 1480, 1480));
	KUNIT_EXPECT_TRUE(test, unat_frag_len_ok(false, 1480, 1));
	KUNIT_EXPECT_TRUE(test, unat_frag_len_ok(false, 8, 0));
	KUNIT_EXPECT_TRUE(test, unat_frag_len_ok(false, 65528, 7));
	KUNIT_EXPECT_FALSE(test, unat_frag_len_ok(true, 0, 1));
	KUNIT_EXPECT_FALSE(test, unat_frag_len_ok(true, 0, 0));
	KUNIT_EXPECT_FALSE(test, unat_frag_len_ok(true, 8, 1476));
	KUNIT_EXPECT_FALSE(test, unat_frag_len_ok(false, 65528, 8));
	KUNIT_EXPECT_FALSE(test, unat_frag_len_ok(false, 0, -1));
}

static struct kunit_case unat_ipv4_cases[] = {
	KUNIT_CASE(unat_frag_len_test),
	KUNIT_CASE(unat_icmp_echo_test),
	KUNIT_CASE(unat_icmp_echo_paged_test),
	KUNIT_CASE(unat_icmp_partial_csum_test),
	KUNIT_CASE(unat_offload_check_test),
	KUNIT_CASE(unat_ipv4_outbound_test),
	KUNIT_CASE(unat_icmp_not_ours_test),
	KUNIT_CASE_PARAM(unat_ipv4_malformed_test,
			 unat_ip_damage_gen_params),
	KUNIT_CASE(unat_ipv4_padding_test),
	KUNIT_CASE(unat_garbage_test),
	KUNIT_CASE(unat_uso_split_test),
	KUNIT_CASE(unat_uso_max_segs_test),
	{}
};

struct kunit_suite unat_ipv4_suite = {
	.name = "unat_ipv4",
	.test_cases = unat_ipv4_cases,
};
