// SPDX-License-Identifier: GPL-2.0
/*
 * ARP from the guest: answers for the gateway and DNS addresses, learning
 * the guest's MAC, and every way a frame can be wrong.
 */
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>

#include "helpers.h"

#define A(a, b, c, d)	htonl(((a) << 24) | ((b) << 16) | ((c) << 8) | (d))
#define UNAT_TEST_ARP_LEN	(ETH_HLEN + 28)

static unsigned int unat_test_arp(u8 *buf, u16 op, const u8 *sha, __be32 sip,
				  __be32 tip)
{
	static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct arphdr *arp;
	u8 *p;

	unat_test_eth(buf, bcast, sha, ETH_P_ARP);
	arp = (struct arphdr *)(buf + ETH_HLEN);
	arp->ar_hrd = htons(ARPHRD_ETHER);
	arp->ar_pro = htons(ETH_P_IP);
	arp->ar_hln = ETH_ALEN;
	arp->ar_pln = 4;
	arp->ar_op = htons(op);
	p = (u8 *)(arp + 1);
	memcpy(p, sha, ETH_ALEN);
	memcpy(p + 6, &sip, 4);
	memset(p + 10, 0, ETH_ALEN);
	memcpy(p + 16, &tip, 4);
	return UNAT_TEST_ARP_LEN;
}

static void unat_arp_check_reply(struct kunit *test, struct unat_test_env *env,
				 struct sk_buff *r, __be32 tip, __be32 sip)
{
	const struct ethhdr *eth = (const struct ethhdr *)r->data;
	const struct arphdr *arp = (const struct arphdr *)(r->data + ETH_HLEN);
	const u8 *p = (const u8 *)(arp + 1);

	KUNIT_ASSERT_EQ(test, r->len, (unsigned int)UNAT_TEST_ARP_LEN);
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(eth->h_dest,
						 unat_test_guest_mac));
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(eth->h_source,
						 env->cfg->gw_mac));
	KUNIT_EXPECT_EQ(test, eth->h_proto, htons(ETH_P_ARP));
	KUNIT_EXPECT_EQ(test, arp->ar_op, htons(ARPOP_REPLY));
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(p, env->cfg->gw_mac));
	KUNIT_EXPECT_MEMEQ(test, p + 6, &tip, 4);
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(p + 10, unat_test_guest_mac));
	KUNIT_EXPECT_MEMEQ(test, p + 16, &sip, 4);
}

static void unat_arp_gateway_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	__be32 guest = A(10, 0, 2, 15), tips[] = { A(10, 0, 2, 2),
						    A(10, 0, 2, 3) };
	struct sk_buff *skb, *r;
	u8 buf[64];
	int i;

	for (i = 0; i < ARRAY_SIZE(tips); i++) {
		unat_test_arp(buf, ARPOP_REQUEST, unat_test_guest_mac, guest,
			      tips[i]);
		skb = unat_test_skb(test, buf, UNAT_TEST_ARP_LEN);
		KUNIT_ASSERT_EQ(test, unat_test_input(env, skb, &r),
				UNAT_STAT_ARP_REPLY);
		KUNIT_ASSERT_NOT_NULL(test, r);
		unat_test_own(test, r);
		unat_arp_check_reply(test, env, r, tips[i], guest);
	}
	KUNIT_EXPECT_TRUE(test, env->guest.mac_known);
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(env->guest.mac,
						 unat_test_guest_mac));
}

/* Ethernet minimum-size padding after the ARP body is fine. */
static void unat_arp_padded_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	struct sk_buff *skb, *r;
	u8 buf[60] = {};

	unat_test_arp(buf, ARPOP_REQUEST, unat_test_guest_mac, 0,
		      A(10, 0, 2, 2));
	skb = unat_test_skb(test, buf, sizeof(buf));
	KUNIT_ASSERT_EQ(test, unat_test_input(env, skb, &r),
			UNAT_STAT_ARP_REPLY);
	unat_test_own(test, r);
	unat_arp_check_reply(test, env, r, A(10, 0, 2, 2), 0);
}

static void unat_arp_ignored_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	struct sk_buff *skb, *r;
	u8 buf[64];

	/* Someone else's address: not ours to answer. */
	unat_test_arp(buf, ARPOP_REQUEST, unat_test_guest_mac,
		      A(10, 0, 2, 15), A(10, 0, 2, 99));
	skb = unat_test_skb(test, buf, UNAT_TEST_ARP_LEN);
	KUNIT_EXPECT_EQ(test, unat_test_input(env, skb, &r),
			UNAT_STAT_DROP_ARP_IGNORED);
	KUNIT_EXPECT_NULL(test, r);

	/* A reply from the guest: nobody asked. */
	unat_test_arp(buf, ARPOP_REPLY, unat_test_guest_mac, A(10, 0, 2, 15),
		      A(10, 0, 2, 2));
	skb = unat_test_skb(test, buf, UNAT_TEST_ARP_LEN);
	KUNIT_EXPECT_EQ(test, unat_test_input(env, skb, &r),
			UNAT_STAT_DROP_ARP_IGNORED);
	KUNIT_EXPECT_NULL(test, r);

	/* The guest claims the gateway's address: a conflict, no answer. */
	unat_test_arp(buf, ARPOP_REQUEST, unat_test_guest_mac, A(10, 0, 2, 2),
		      A(10, 0, 2, 2));
	skb = unat_test_skb(test, buf, UNAT_TEST_ARP_LEN);
	KUNIT_EXPECT_EQ(test, unat_test_input(env, skb, &r),
			UNAT_STAT_DROP_ARP_IGNORED);
}

enum unat_arp_damage {
	UNAT_ARP_TRUNCATED,
	UNAT_ARP_HLEN,
	UNAT_ARP_PLEN,
	UNAT_ARP_HRD,
	UNAT_ARP_PRO,
	UNAT_ARP_SHA_MISMATCH,
	UNAT_ARP_SHA_MULTICAST,
	UNAT_ARP_SRC_MULTICAST,
	UNAT_ARP_DAMAGE_MAX,
};

static const enum unat_stat unat_arp_damage_stat[] = {
	[UNAT_ARP_TRUNCATED]	 = UNAT_STAT_DROP_MALFORMED,
	[UNAT_ARP_HLEN]		 = UNAT_STAT_DROP_MALFORMED,
	[UNAT_ARP_PLEN]		 = UNAT_STAT_DROP_MALFORMED,
	[UNAT_ARP_HRD]		 = UNAT_STAT_DROP_MALFORMED,
	[UNAT_ARP_PRO]		 = UNAT_STAT_DROP_MALFORMED,
	[UNAT_ARP_SHA_MISMATCH]	 = UNAT_STAT_DROP_BAD_SOURCE,
	[UNAT_ARP_SHA_MULTICAST] = UNAT_STAT_DROP_BAD_SOURCE,
	[UNAT_ARP_SRC_MULTICAST] = UNAT_STAT_DROP_BAD_SOURCE,
};

static void unat_arp_malformed_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	struct sk_buff *skb, *r;
	int d;

	for (d = 0; d < UNAT_ARP_DAMAGE_MAX; d++) {
		unsigned int len = UNAT_TEST_ARP_LEN;
		u8 buf[64];

		unat_test_arp(buf, ARPOP_REQUEST, unat_test_guest_mac,
			      A(10, 0, 2, 15), A(10, 0, 2, 2));
		switch (d) {
		case UNAT_ARP_TRUNCATED:
			len -= 1;
			break;
		case UNAT_ARP_HLEN:
			buf[ETH_HLEN + 4] = 8;
			break;
		case UNAT_ARP_PLEN:
			buf[ETH_HLEN + 5] = 16;
			break;
		case UNAT_ARP_HRD:
			buf[ETH_HLEN + 1] = 6;
			break;
		case UNAT_ARP_PRO:
			buf[ETH_HLEN + 2] = 0x86;
			break;
		case UNAT_ARP_SHA_MISMATCH:
			buf[ETH_HLEN + 8 + 5] ^= 1;
			break;
		case UNAT_ARP_SHA_MULTICAST:
			buf[ETH_HLEN + 8] |= 1;
			buf[6] |= 1;
			break;
		case UNAT_ARP_SRC_MULTICAST:
			buf[6] |= 1;
			break;
		}
		skb = unat_test_skb(test, buf, len);
		KUNIT_EXPECT_EQ_MSG(test, unat_test_input(env, skb, &r),
				    unat_arp_damage_stat[d], "damage %d", d);
		KUNIT_EXPECT_NULL(test, r);
	}
	/* Nothing malformed taught unat a MAC. */
	KUNIT_EXPECT_FALSE(test, env->guest.mac_known);
}

static struct kunit_case unat_arp_cases[] = {
	KUNIT_CASE(unat_arp_gateway_test),
	KUNIT_CASE(unat_arp_padded_test),
	KUNIT_CASE(unat_arp_ignored_test),
	KUNIT_CASE(unat_arp_malformed_test),
	{}
};

struct kunit_suite unat_arp_suite = {
	.name = "unat_arp",
	.test_cases = unat_arp_cases,
};
