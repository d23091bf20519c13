// SPDX-License-Identifier: GPL-2.0
/*
 * Shared fixtures for the unat KUnit suites: a configuration and guest
 * state as a device holds them, and frames built byte by byte.
 */
#include <kunit/resource.h>
#include <linux/etherdevice.h>
#include <linux/inet.h>
#include <linux/rtnetlink.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/addrconf.h>
#include <net/ip.h>

#include "device.h"
#include "demux.h"
#include "helpers.h"

const u8 unat_test_guest_mac[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
const u8 unat_test_other_mac[ETH_ALEN] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };

struct unat_test_env *unat_test_env(struct kunit *test)
{
	struct unat_test_env *env;

	env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env);
	env->cfg = kunit_kzalloc(test, sizeof(*env->cfg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, env->cfg);
	unat_config_set_defaults(env->cfg);
	unat_guest_init(&env->guest);
	env->ctx.cfg = env->cfg;
	env->ctx.guest = &env->guest;
	env->ctx.mtu = UNAT_DEFAULT_MTU;
	env->ctx.now = jiffies;
	return env;
}

static void unat_test_dev_destroy(void *dev)
{
	rtnl_lock();
	unat_dev_destroy_for_test(dev);
	rtnl_unlock();
}

/*
 * A device as `ip link add unatktN type unat` makes it, in init_net, up if
 * @up (its flows then open sockets there); deleted when the test ends.
 */
struct unat_test_dev *unat_test_dev(struct kunit *test, bool up)
{
	struct unat_test_dev *td;
	int err = 0;

	td = kunit_kzalloc(test, sizeof(*td), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, td);
	rtnl_lock();
	td->dev = unat_dev_create_for_test(&init_net, "unatkt%d");
	if (!IS_ERR(td->dev) && up) {
		struct inet6_dev *idev = __in6_dev_get(td->dev);

		/* init_net must not take the device's advertisements */
		if (idev)
			WRITE_ONCE(idev->cnf.disable_ipv6, 1);
		err = dev_open(td->dev, NULL);
	}
	rtnl_unlock();
	KUNIT_ASSERT_FALSE(test, IS_ERR(td->dev));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, unat_test_dev_destroy,
						  td->dev));
	KUNIT_ASSERT_EQ(test, err, 0);
	td->unat = netdev_priv(td->dev);
	unat_test_dev_mark(td);
	return td;
}

/* Delete @td's device now, not when the test ends. */
void unat_test_dev_delete(struct kunit *test, struct unat_test_dev *td)
{
	kunit_release_action(test, unat_test_dev_destroy, td->dev);
	td->dev = NULL;
	td->unat = NULL;
}

/* Counters are counted from here on. */
void unat_test_dev_mark(struct unat_test_dev *td)
{
	unat_stats_sum(td->unat->stats, td->base);
}

/* How much counter @s grew since the mark. */
u64 unat_test_dev_count(struct unat_test_dev *td, enum unat_stat s)
{
	u64 now[UNAT_STAT_MAX];

	unat_stats_sum(td->unat->stats, now);
	return now[s] - td->base[s];
}

/* Hand @skb to the device as the guest's stack or a macvtap would. */
void unat_test_dev_xmit(struct unat_test_dev *td, struct sk_buff *skb)
{
	skb->dev = td->dev;
	local_bh_disable();
	rcu_read_lock_bh();
	unat_xmit(skb, td->dev);
	rcu_read_unlock_bh();
	local_bh_enable();
}

/* Mark @skb's checksum unfinished at @start (from skb->data) + @off. */
void unat_test_partial(struct sk_buff *skb, int start, unsigned int off)
{
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_headroom(skb) + start;
	skb->csum_offset = off;
}

KUNIT_DEFINE_ACTION_WRAPPER(unat_test_kfree_skb, kfree_skb, struct sk_buff *);

/* Free @skb when the test ends. */
void unat_test_own(struct kunit *test, struct sk_buff *skb)
{
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, unat_test_kfree_skb,
						  skb));
}

struct sk_buff *unat_test_skb(struct kunit *test, const void *data,
			      unsigned int len)
{
	struct sk_buff *skb = alloc_skb(len + NET_SKB_PAD, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, NET_SKB_PAD);
	skb_put_data(skb, data, len);
	unat_test_own(test, skb);
	return skb;
}

/* A frame of which only @linear bytes are in the head; the rest in a page,
 * as macvtap builds large frames.
 */
struct sk_buff *unat_test_skb_paged(struct kunit *test, const void *data,
				    unsigned int len, unsigned int linear)
{
	struct sk_buff *skb = alloc_skb(linear + NET_SKB_PAD, GFP_KERNEL);
	unsigned int rest = len - linear;
	struct page *page;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_LE(test, rest, (unsigned int)PAGE_SIZE);
	skb_reserve(skb, NET_SKB_PAD);
	skb_put_data(skb, data, linear);
	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	memcpy(page_address(page), data + linear, rest);
	skb_fill_page_desc(skb, 0, page, 0, rest);
	skb->len += rest;
	skb->data_len += rest;
	skb->truesize += PAGE_SIZE;
	unat_test_own(test, skb);
	return skb;
}

/* Run a guest frame through unat as the transmit path does (BH off). */
enum unat_stat unat_test_input(struct unat_test_env *env, struct sk_buff *skb,
			       struct sk_buff **reply)
{
	enum unat_stat stat;

	local_bh_disable();
	rcu_read_lock_bh();
	stat = unat_input(&env->ctx, skb, reply);
	rcu_read_unlock_bh();
	local_bh_enable();
	return stat;
}

unsigned int unat_test_eth(u8 *buf, const u8 *dst, const u8 *src, u16 proto)
{
	struct ethhdr *eth = (struct ethhdr *)buf;

	ether_addr_copy(eth->h_dest, dst);
	ether_addr_copy(eth->h_source, src);
	eth->h_proto = htons(proto);
	return ETH_HLEN;
}

unsigned int unat_test_ipv4(u8 *buf, __be32 saddr, __be32 daddr, u8 proto,
			    unsigned int l4len)
{
	struct iphdr *iph = (struct iphdr *)buf;

	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->tot_len = htons(sizeof(*iph) + l4len);
	iph->ttl = 64;
	iph->protocol = proto;
	iph->saddr = saddr;
	iph->daddr = daddr;
	ip_send_check(iph);
	return sizeof(*iph);
}

/* UDP header for @paylen bytes already at buf + 8, with a full checksum. */
unsigned int unat_test_udp(u8 *buf, __be32 saddr, __be32 daddr, u16 sport,
			   u16 dport, unsigned int paylen)
{
	struct udphdr *uh = (struct udphdr *)buf;
	unsigned int len = sizeof(*uh) + paylen;

	uh->source = htons(sport);
	uh->dest = htons(dport);
	uh->len = htons(len);
	uh->check = 0;
	uh->check = csum_tcpudp_magic(saddr, daddr, len, IPPROTO_UDP,
				      csum_partial(buf, len, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
	return sizeof(*uh);
}

/*
 * A UDP segmentation offload super-frame from the guest, as its stack or
 * macvtap hands it to unat0: @paylen bytes cut at @mss, checksum left to
 * the device.  Not owned by the test: unat_gso_split() consumes it.
 */
struct sk_buff *unat_test_uso(struct kunit *test, unsigned int paylen,
			      unsigned int mss)
{
	const __be32 guest = htonl(UNAT_DEFAULT_GUEST);
	const __be32 remote = htonl(0xcb007102);	/* 203.0.113.2 */
	unsigned int l4 = ETH_HLEN + sizeof(struct iphdr), len, i;
	struct sk_buff *skb;
	struct udphdr *uh;
	u8 *p;

	len = l4 + sizeof(*uh) + paylen;
	skb = alloc_skb(NET_SKB_PAD + len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, NET_SKB_PAD);
	p = skb_put_zero(skb, len);
	unat_test_eth(p, unat_test_other_mac, unat_test_guest_mac, ETH_P_IP);
	unat_test_ipv4(p + ETH_HLEN, guest, remote, IPPROTO_UDP,
		       sizeof(*uh) + paylen);
	uh = (struct udphdr *)(p + l4);
	uh->source = htons(40000);
	uh->dest = htons(7777);
	uh->len = htons(sizeof(*uh) + paylen);
	uh->check = ~csum_tcpudp_magic(guest, remote,
				       sizeof(*uh) + paylen, IPPROTO_UDP, 0);
	for (i = 0; i < paylen; i++)
		p[l4 + sizeof(*uh) + i] = i * 13 + i / 256;
	skb->protocol = htons(ETH_P_IP);
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, ETH_HLEN);
	skb_set_transport_header(skb, l4);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct udphdr, check);
	skb_shinfo(skb)->gso_size = mss;
	skb_shinfo(skb)->gso_type = SKB_GSO_UDP_L4;
	skb_shinfo(skb)->gso_segs = mss ? DIV_ROUND_UP(paylen, mss) : 0;
	return skb;
}

/* An IPv6 address from its text form (a test's own literal). */
struct in6_addr unat_test_addr6(const char *s)
{
	struct in6_addr a = {};

	in6_pton(s, -1, a.s6_addr, -1, NULL);
	return a;
}
