// SPDX-License-Identifier: GPL-2.0
/*
 * Echo flows through real devices that are up, their shared ICMP sockets
 * in init_net: one socket for every flow of a family, host identifiers
 * unique per remote and rewritten both ways, and errors whose quote lies
 * in a page fragment of a clone, so that every pull may move the head.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/inet.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "types.h"
#include "device.h"
#include "flow.h"
#include "helpers.h"

#define TP_REMOTE4	htonl(0xcb007102)	/* 203.0.113.2 */

/* What the guest side of the test devices received. */
static struct sk_buff_head tp_rx;

static int tp_capture(struct sk_buff *skb, struct net_device *dev,
		      struct packet_type *pt, struct net_device *orig)
{
	struct sk_buff *c = skb_clone(skb, GFP_ATOMIC);

	kfree_skb(skb);
	if (c)
		skb_queue_tail(&tp_rx, c);
	return NET_RX_SUCCESS;
}

static struct packet_type tp_pt = {
	.type = htons(ETH_P_ALL),
	.func = tp_capture,
};

static struct in6_addr tp_remote6(void)
{
	return unat_test_addr6("2001:db8:1::2");
}

static const struct unat_config *tp_cfg(struct unat_test_dev *td)
{
	return rcu_dereference_protected(td->unat->config, true);
}

/* Capture what @td delivers to its guest from now on. */
static void tp_capture_on(struct kunit *test, struct unat_test_dev *td)
{
	skb_queue_head_init(&tp_rx);
	tp_pt.dev = td->dev;
	dev_add_pack(&tp_pt);
}

static void tp_capture_off(void)
{
	dev_remove_pack(&tp_pt);
	skb_queue_purge(&tp_rx);
}

/* The first captured frame with ICMPv6 type @type, or NULL. */
static struct sk_buff *tp_find6(u8 type)
{
	struct sk_buff *skb;

	skb_queue_walk(&tp_rx, skb) {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);

		if (skb->protocol == htons(ETH_P_IPV6) &&
		    ip6h->nexthdr == IPPROTO_ICMPV6 &&
		    skb_network_header(skb)[sizeof(*ip6h)] == type)
			return skb;
	}
	return NULL;
}

/* The first captured IPv4 echo reply, or NULL. */
static struct sk_buff *tp_find4(void)
{
	struct sk_buff *skb;

	skb_queue_walk(&tp_rx, skb) {
		const struct iphdr *iph = ip_hdr(skb);

		if (skb->protocol == htons(ETH_P_IP) &&
		    iph->protocol == IPPROTO_ICMP &&
		    skb_network_header(skb)[iph->ihl * 4] == ICMP_ECHOREPLY)
			return skb;
	}
	return NULL;
}

/* An echo request from the guest at @src6 (or IPv4 if NULL), id @id. */
static void tp_echo(struct kunit *test, struct unat_test_dev *td,
		    const struct in6_addr *src6, __be16 id)
{
	const struct unat_config *cfg = tp_cfg(td);
	unsigned int l3 = src6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr);
	struct in6_addr dst6 = tp_remote6();
	struct icmp6hdr *h;
	struct sk_buff *skb;
	u8 *p;

	skb = alloc_skb(NET_SKB_PAD + ETH_HLEN + l3 + 16, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, NET_SKB_PAD);
	p = skb_put_zero(skb, ETH_HLEN + l3 + 16);
	unat_test_eth(p, cfg->gw_mac, unat_test_guest_mac,
		      src6 ? ETH_P_IPV6 : ETH_P_IP);
	h = (struct icmp6hdr *)(p + ETH_HLEN + l3);
	h->icmp6_identifier = id;		/* the same place in ICMP */
	h->icmp6_sequence = htons(1);
	if (src6) {
		struct ipv6hdr *ip6h = (struct ipv6hdr *)(p + ETH_HLEN);

		ip6h->version = 6;
		ip6h->payload_len = htons(16);
		ip6h->nexthdr = IPPROTO_ICMPV6;
		ip6h->hop_limit = 64;
		ip6h->saddr = *src6;
		ip6h->daddr = dst6;
		h->icmp6_type = ICMPV6_ECHO_REQUEST;
		h->icmp6_cksum = csum_ipv6_magic(src6, &dst6, 16,
						 IPPROTO_ICMPV6,
						 csum_partial(h, 16, 0));
	} else {
		unat_test_ipv4(p + ETH_HLEN, cfg->guest, TP_REMOTE4,
			       IPPROTO_ICMP, 16);
		h->icmp6_type = ICMP_ECHO;
		h->icmp6_cksum = ip_compute_csum(h, 16);
	}
	/* as ARP or neighbour discovery would have taught it (BH off) */
	local_bh_disable();
	unat_guest_note_mac(&td->unat->guest, unat_test_guest_mac);
	local_bh_enable();
	unat_test_dev_xmit(td, skb);
}

/* The echo flow of @key once its socket is open (unat_wq opens it). */
static struct unat_flow *tp_flow(struct kunit *test, struct unat_test_dev *td,
				 const struct unat_flow_key *key)
{
	struct unat_flow *flow = NULL;
	int i;

	for (i = 0; i < 200; i++) {
		rcu_read_lock();
		flow = unat_flow_lookup(td->unat->flows, key);
		if (flow && READ_ONCE(flow->state) != UNAT_FLOW_OPEN)
			flow = NULL;
		rcu_read_unlock();
		if (flow)
			break;
		usleep_range(10000, 20000);
	}
	KUNIT_ASSERT_NOT_NULL(test, flow);
	return flow;
}

static struct unat_flow *tp_flow6(struct kunit *test, struct unat_test_dev *td,
				  const struct in6_addr *src, __be16 id)
{
	struct in6_addr dst = tp_remote6();
	struct unat_flow_key key;

	unat_flow_key6(&key, IPPROTO_ICMPV6, UNAT_FLOW_KIND_NAT, src, id,
		       &dst, id);
	return tp_flow(test, td, &key);
}

static struct unat_flow *tp_flow4(struct kunit *test, struct unat_test_dev *td,
				  __be16 id)
{
	struct unat_flow_key key;

	unat_flow_key4(&key, IPPROTO_ICMP, UNAT_FLOW_KIND_NAT,
		       tp_cfg(td)->guest, id, TP_REMOTE4, id);
	return tp_flow(test, td, &key);
}

/*
 * Hand @skb (data at the ICMP header, network header before it) to the
 * socket of @flow as the raw socket's receive path does, as the only user
 * of a clone's data: a pull frees the head it had.
 */
static void tp_host_rx(struct unat_flow *flow, struct sk_buff *skb)
{
	struct sock *sk = flow->sock->sk;
	struct sk_buff *clone = skb_clone(skb, GFP_KERNEL);

	kfree_skb(skb);
	if (!clone)
		return;
	local_bh_disable();
	skb_queue_tail(&sk->sk_receive_queue, clone);
	sk->sk_data_ready(sk);
	local_bh_enable();
}

/*
 * An ICMPv6 message from @from to the host: IPv6 header and the first
 * @linear bytes of @msg in the head, the rest in a page.  Checksummed.
 * Not the test's: tp_host_rx() consumes it.
 */
static struct sk_buff *tp_msg6(struct kunit *test,
			       const struct in6_addr *from, u8 *msg,
			       unsigned int len, unsigned int linear)
{
	const struct in6_addr host = unat_test_addr6("2001:db8:9::1");
	struct icmp6hdr *h = (struct icmp6hdr *)msg;
	struct ipv6hdr ip6h = {
		.version = 6, .nexthdr = IPPROTO_ICMPV6, .hop_limit = 64,
		.payload_len = htons(len), .saddr = *from, .daddr = host,
	};
	struct sk_buff *skb;
	struct page *page;

	h->icmp6_cksum = 0;
	h->icmp6_cksum = csum_ipv6_magic(from, &host, len, IPPROTO_ICMPV6,
					 csum_partial(msg, len, 0));
	skb = alloc_skb(NET_SKB_PAD + sizeof(ip6h) + linear, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	page = alloc_page(GFP_KERNEL);
	if (!page)
		kfree_skb(skb);
	KUNIT_ASSERT_NOT_NULL(test, page);
	skb_reserve(skb, NET_SKB_PAD);
	skb_put_data(skb, &ip6h, sizeof(ip6h));
	skb_put_data(skb, msg, linear);
	memcpy(page_address(page), msg + linear, len - linear);
	skb_fill_page_desc(skb, 0, page, 0, len - linear);
	skb->len += len - linear;
	skb->data_len += len - linear;
	skb->truesize += PAGE_SIZE;
	skb_reset_network_header(skb);
	skb_pull(skb, sizeof(ip6h));
	skb_reset_transport_header(skb);
	return skb;
}

/*
 * A Packet Too Big quoting a flow's request, its quote in a page: the
 * error reaches the guest with the type, code and MTU of the message (read
 * after the pulls that moved the head), quoting the guest's identifier.
 */
static void tp6_error_paged_test(struct kunit *test)
{
	struct unat_test_dev *td = unat_test_dev(test, true);
	struct in6_addr src = unat_test_addr6("fd75:6e61:7400:2::aa");
	struct in6_addr remote = tp_remote6(), router;
	struct ipv6hdr *q;
	struct unat_flow *flow;
	struct icmp6hdr *h;
	struct sk_buff *skb, *r;
	u8 msg[8 + 40 + 16] = {};
	const u8 *rep;

	tp_echo(test, td, &src, htons(0x1234));
	flow = tp_flow6(test, td, &src, htons(0x1234));
	tp_capture_on(test, td);
	unat_test_dev_mark(td);
	h = (struct icmp6hdr *)msg;
	h->icmp6_type = ICMPV6_PKT_TOOBIG;
	h->icmp6_mtu = htonl(1280);
	q = (struct ipv6hdr *)(msg + 8);
	q->version = 6;
	q->payload_len = htons(16);
	q->nexthdr = IPPROTO_ICMPV6;
	q->hop_limit = 63;
	q->saddr = unat_test_addr6("2001:db8:9::1");
	q->daddr = remote;
	msg[48] = ICMPV6_ECHO_REQUEST;
	put_unaligned(flow->host_port, (__be16 *)(msg + 52));
	router = unat_test_addr6("2001:db8:7::1");
	skb = tp_msg6(test, &router, msg, sizeof(msg), 8);
	tp_host_rx(flow, skb);
	KUNIT_EXPECT_EQ(test, unat_test_dev_count(td, UNAT_STAT_ICMP_ERROR), 1);
	r = tp_find6(ICMPV6_PKT_TOOBIG);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_FALSE(test, skb_linearize(r));
	rep = skb_network_header(r) + sizeof(struct ipv6hdr);
	KUNIT_EXPECT_EQ(test, rep[1], 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(rep + 4), 1280);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&ipv6_hdr(r)->daddr, &src));
	q = (struct ipv6hdr *)(rep + 8);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&q->saddr, &src));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&q->daddr, &remote));
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(rep + 8 + 40 + 4), 0x1234);
	tp_capture_off();
}

/*
 * Two guest addresses ping one remote with one identifier: one socket for
 * both, two host identifiers, and each reply reaches its own guest with
 * the guest's identifier and a valid checksum; a reply for no flow
 * reaches nobody.
 */
static void tp6_host_id_test(struct kunit *test)
{
	struct unat_test_dev *td = unat_test_dev(test, true);
	struct in6_addr a = unat_test_addr6("fd75:6e61:7400:2::aa");
	struct in6_addr b = unat_test_addr6("fd75:6e61:7400:2::bb");
	struct in6_addr remote = tp_remote6();
	struct unat_flow *fa, *fb;
	struct icmp6hdr *h;
	struct sk_buff *r;
	u8 msg[16] = {};
	unsigned int n;

	tp_echo(test, td, &a, htons(0x4242));
	tp_echo(test, td, &b, htons(0x4242));
	fa = tp_flow6(test, td, &a, htons(0x4242));
	fb = tp_flow6(test, td, &b, htons(0x4242));
	KUNIT_EXPECT_PTR_EQ(test, fa->sock, fb->sock);
	KUNIT_EXPECT_NE(test, fa->host_port, fb->host_port);
	KUNIT_EXPECT_TRUE(test, fa->host_port == htons(0x4242) ||
			  fb->host_port == htons(0x4242));

	tp_capture_on(test, td);
	h = (struct icmp6hdr *)msg;
	h->icmp6_type = ICMPV6_ECHO_REPLY;
	h->icmp6_identifier = fb->host_port;
	h->icmp6_sequence = htons(1);
	tp_host_rx(fb, tp_msg6(test, &remote, msg, sizeof(msg), 8));
	r = tp_find6(ICMPV6_ECHO_REPLY);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&ipv6_hdr(r)->daddr, &b));
	KUNIT_ASSERT_FALSE(test, skb_linearize(r));
	h = (struct icmp6hdr *)(skb_network_header(r) + sizeof(struct ipv6hdr));
	KUNIT_EXPECT_EQ(test, ntohs(h->icmp6_identifier), 0x4242);
	KUNIT_EXPECT_EQ(test, csum_ipv6_magic(&remote, &b, sizeof(msg),
					      IPPROTO_ICMPV6,
					      csum_partial(h, sizeof(msg), 0)),
			0);
	n = skb_queue_len(&tp_rx);
	h = (struct icmp6hdr *)msg;
	h->icmp6_identifier = ~(fa->host_port | fb->host_port);
	tp_host_rx(fa, tp_msg6(test, &remote, msg, sizeof(msg), 8));
	KUNIT_EXPECT_EQ(test, skb_queue_len(&tp_rx), n);
	tp_capture_off();
}

/*
 * Two devices ping one remote over IPv4 with one identifier: one socket,
 * two host identifiers; the reply to the second device's comes back with
 * the guest's identifier and its checksum made good again.
 */
static void tp4_two_devices_test(struct kunit *test)
{
	struct unat_test_dev *t1 = unat_test_dev(test, true);
	struct unat_test_dev *t2 = unat_test_dev(test, true);
	struct unat_flow *f1, *f2;
	struct icmphdr *icmph;
	struct sk_buff *skb, *r;
	struct iphdr *iph;
	u8 *p;

	tp_echo(test, t1, NULL, htons(0x77));
	tp_echo(test, t2, NULL, htons(0x77));
	f1 = tp_flow4(test, t1, htons(0x77));
	f2 = tp_flow4(test, t2, htons(0x77));
	KUNIT_EXPECT_PTR_EQ(test, f1->sock, f2->sock);
	KUNIT_ASSERT_NE(test, f1->host_port, f2->host_port);

	tp_capture_on(test, f2->host_port == htons(0x77) ? t1 : t2);
	skb = alloc_skb(NET_SKB_PAD + 36, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, NET_SKB_PAD);
	p = skb_put_zero(skb, 36);
	iph = (struct iphdr *)p;
	unat_test_ipv4(p, TP_REMOTE4, htonl(0xc6336401), IPPROTO_ICMP, 16);
	icmph = (struct icmphdr *)(p + sizeof(*iph));
	icmph->type = ICMP_ECHOREPLY;
	icmph->un.echo.id = f2->host_port == htons(0x77) ? f1->host_port :
							   f2->host_port;
	icmph->un.echo.sequence = htons(1);
	icmph->checksum = ip_compute_csum(icmph, 16);
	skb_reset_network_header(skb);
	tp_host_rx(f2->host_port == htons(0x77) ? f1 : f2, skb);
	r = tp_find4();
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_FALSE(test, skb_linearize(r));
	icmph = (struct icmphdr *)(skb_network_header(r) + sizeof(*iph));
	KUNIT_EXPECT_EQ(test, ntohs(icmph->un.echo.id), 0x77);
	KUNIT_EXPECT_EQ(test, ip_compute_csum(icmph, 16), 0);
	tp_capture_off();
}

static struct kunit_case unat_ping_cases[] = {
	KUNIT_CASE(tp6_error_paged_test),
	KUNIT_CASE(tp6_host_id_test),
	KUNIT_CASE(tp4_two_devices_test),
	{}
};

struct kunit_suite unat_ping_suite = {
	.name = "unat_ping",
	.test_cases = unat_ping_cases,
};
