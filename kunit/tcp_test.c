// SPDX-License-Identifier: GPL-2.0
/*
 * The TCP engine's pure parts: header and option parsing with malformed
 * input, sequence trimming across wrap-around, window scaling and the
 * no-shrink rule, MSS clamping, and the segments built for the guest
 * (resets, GSO super-frames, checksums).
 */
#include <kunit/test.h>
#include <linux/random.h>
#include <linux/inet.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/tcp.h>

#include "flow.h"
#include "proto.h"
#include "demux.h"
#include "helpers.h"

#define A(a, b, c, d)	htonl(((a) << 24) | ((b) << 16) | ((c) << 8) | (d))
#define GUEST	A(10, 0, 2, 15)
#define REMOTE	A(203, 0, 113, 2)

/*
 * A guest TCP segment: @opts (@optlen bytes, padded by the caller) after
 * the header, @paylen payload bytes, a correct checksum unless @badsum.
 */
static struct sk_buff *unat_test_tcp(struct kunit *test, u8 flags, u32 seq,
				     u32 ack, const u8 *opts,
				     unsigned int optlen, unsigned int paylen,
				     bool badsum, struct unat_ip4 *ip)
{
	unsigned int thlen = sizeof(struct tcphdr) + optlen, off;
	struct tcphdr *th;
	struct sk_buff *skb;
	u8 *buf;

	buf = kunit_kzalloc(test, 128 + thlen + paylen, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	off = unat_test_eth(buf, unat_test_other_mac, unat_test_guest_mac,
			    ETH_P_IP);
	off += unat_test_ipv4(buf + off, GUEST, REMOTE, IPPROTO_TCP,
			      thlen + paylen);
	th = (struct tcphdr *)(buf + off);
	th->source = htons(40000);
	th->dest = htons(80);
	th->seq = htonl(seq);
	th->ack_seq = htonl(ack);
	th->doff = thlen / 4;
	tcp_flag_byte(th) = flags;
	th->window = htons(1000);
	memcpy(th + 1, opts, optlen);
	memset((u8 *)th + thlen, 0xab, paylen);
	th->check = tcp_v4_check(thlen + paylen, GUEST, REMOTE,
				 csum_partial(th, thlen + paylen, 0));
	if (badsum)
		th->check ^= htons(1);
	skb = unat_test_skb(test, buf, off + thlen + paylen);
	KUNIT_ASSERT_EQ(test, unat_ipv4_parse(skb, ip), UNAT_STAT_OK);
	return skb;
}

/* The flow key of the guest's connection 10.0.2.15:40000 → REMOTE:80. */
static void unat_test_key(struct unat_flow_key *key)
{
	unat_flow_key4(key, IPPROTO_TCP, UNAT_FLOW_KIND_NAT, GUEST,
		       htons(40000), REMOTE, htons(80));
}

static int unat_test_parse(struct kunit *test, u8 flags, const u8 *opts,
			   unsigned int optlen, struct unat_tcp_seg *seg)
{
	struct unat_ip4 ip;
	struct sk_buff *skb;

	skb = unat_test_tcp(test, flags, 1, 0, opts, optlen, 0, false, &ip);
	return unat_tcp_parse(skb, &ip, seg);
}

static void unat_tcp_parse_syn_test(struct kunit *test)
{
	/* MSS 1460, SACK permitted, timestamps, NOP, window scale 7 */
	static const u8 opts[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1,
				   0, 0, 0, 0, 1, 3, 3, 7 };
	struct unat_tcp_seg seg;
	struct unat_ip4 ip;
	struct sk_buff *skb;

	KUNIT_ASSERT_EQ(test, unat_test_parse(test, TCPHDR_SYN, opts,
					      sizeof(opts), &seg), 0);
	KUNIT_EXPECT_EQ(test, seg.mss, 1460);
	KUNIT_EXPECT_EQ(test, seg.wscale, 7);
	KUNIT_EXPECT_EQ(test, seg.len, 0);
	KUNIT_EXPECT_EQ(test, seg.doff, 40);
	KUNIT_EXPECT_EQ(test, seg.flags, TCPHDR_SYN);

	/* no options: none recorded */
	KUNIT_ASSERT_EQ(test, unat_test_parse(test, TCPHDR_SYN, NULL, 0, &seg),
			0);
	KUNIT_EXPECT_EQ(test, seg.mss, 0);
	KUNIT_EXPECT_EQ(test, seg.wscale, 0xff);

	/* payload and sequence numbers */
	skb = unat_test_tcp(test, TCPHDR_ACK | TCPHDR_PSH, 0xfffffff0, 77,
			    NULL, 0, 300, false, &ip);
	KUNIT_ASSERT_EQ(test, unat_tcp_parse(skb, &ip, &seg), 0);
	KUNIT_EXPECT_EQ(test, seg.seq, 0xfffffff0);
	KUNIT_EXPECT_EQ(test, seg.ack, 77);
	KUNIT_EXPECT_EQ(test, seg.len, 300);
	KUNIT_EXPECT_EQ(test, seg.window, 1000);
	KUNIT_EXPECT_EQ(test, seg.thoff, ETH_HLEN + sizeof(struct iphdr));
}

static void unat_tcp_parse_opts_test(struct kunit *test)
{
	static const u8 wscale_big[] = { 3, 3, 200, 0 };
	static const u8 zero_len[] = { 2, 0, 0, 0 };
	static const u8 one_len[] = { 8, 1, 0, 0 };
	static const u8 past_end[] = { 1, 1, 8, 10 };
	static const u8 odd_mss[] = { 2, 3, 5, 0 };	/* ignored */
	static const u8 eol_then_junk[] = { 0, 9, 9, 9 };
	struct unat_tcp_seg seg;

	KUNIT_ASSERT_EQ(test, unat_test_parse(test, TCPHDR_SYN, wscale_big, 4,
					      &seg), 0);
	KUNIT_EXPECT_EQ(test, seg.wscale, TCP_MAX_WSCALE);
	KUNIT_EXPECT_EQ(test, unat_test_parse(test, TCPHDR_SYN, zero_len, 4,
					      &seg), UNAT_STAT_DROP_MALFORMED);
	KUNIT_EXPECT_EQ(test, unat_test_parse(test, TCPHDR_SYN, one_len, 4,
					      &seg), UNAT_STAT_DROP_MALFORMED);
	KUNIT_EXPECT_EQ(test, unat_test_parse(test, TCPHDR_SYN, past_end, 4,
					      &seg), UNAT_STAT_DROP_MALFORMED);
	KUNIT_ASSERT_EQ(test, unat_test_parse(test, TCPHDR_SYN, odd_mss, 4,
					      &seg), 0);
	KUNIT_EXPECT_EQ(test, seg.mss, 0);
	KUNIT_EXPECT_EQ(test, unat_test_parse(test, TCPHDR_SYN, eol_then_junk,
					      4, &seg), 0);
	/* options on a non-SYN segment are not looked at */
	KUNIT_EXPECT_EQ(test, unat_test_parse(test, TCPHDR_ACK, zero_len, 4,
					      &seg), 0);
}

static void unat_tcp_parse_bad_test(struct kunit *test)
{
	struct unat_tcp_seg seg;
	struct unat_ip4 ip;
	struct sk_buff *skb;
	struct tcphdr *th;

	KUNIT_EXPECT_EQ(test, unat_test_parse(test, TCPHDR_SYN | TCPHDR_FIN,
					      NULL, 0, &seg),
			UNAT_STAT_DROP_MALFORMED);
	KUNIT_EXPECT_EQ(test, unat_test_parse(test, TCPHDR_SYN | TCPHDR_RST,
					      NULL, 0, &seg),
			UNAT_STAT_DROP_MALFORMED);

	skb = unat_test_tcp(test, TCPHDR_ACK, 1, 1, NULL, 0, 10, true, &ip);
	KUNIT_EXPECT_EQ(test, unat_tcp_parse(skb, &ip, &seg),
			UNAT_STAT_DROP_BAD_CSUM);

	/* data offset below the header, and past the packet */
	skb = unat_test_tcp(test, TCPHDR_ACK, 1, 1, NULL, 0, 10, false, &ip);
	th = (struct tcphdr *)(skb->data + ip.l4off);
	th->doff = 4;
	KUNIT_EXPECT_EQ(test, unat_tcp_parse(skb, &ip, &seg),
			UNAT_STAT_DROP_MALFORMED);
	th->doff = 15;
	KUNIT_EXPECT_EQ(test, unat_tcp_parse(skb, &ip, &seg),
			UNAT_STAT_DROP_MALFORMED);

	/* a transport part shorter than a TCP header */
	ip.l4len = sizeof(struct tcphdr) - 1;
	KUNIT_EXPECT_EQ(test, unat_tcp_parse(skb, &ip, &seg),
			UNAT_STAT_DROP_MALFORMED);
}

/* Random bytes as TCP headers and options: never accepted out of bounds. */
static void unat_tcp_parse_random_test(struct kunit *test)
{
	struct unat_tcp_seg seg;
	struct unat_ip4 ip;
	struct sk_buff *skb;
	u8 opts[40];
	int i, ret;

	for (i = 0; i < 2000; i++) {
		get_random_bytes(opts, sizeof(opts));
		skb = unat_test_tcp(test, get_random_u8() | TCPHDR_SYN, 1, 0,
				    opts, 4 * (get_random_u32() % 11),
				    get_random_u32() % 64, false, &ip);
		ret = unat_tcp_parse(skb, &ip, &seg);
		if (!ret) {
			KUNIT_EXPECT_GE(test, seg.doff, 20);
			KUNIT_EXPECT_LE(test, seg.doff + seg.len, ip.l4len);
			KUNIT_EXPECT_TRUE(test, seg.wscale == 0xff ||
					  seg.wscale <= TCP_MAX_WSCALE);
		} else {
			KUNIT_EXPECT_TRUE(test, unat_stat_is_drop(ret));
		}
	}
}

static void unat_tcp_trim_test(struct kunit *test)
{
	struct unat_tcp_seg seg = { .seq = 1000, .len = 100 };
	bool dup;

	/* in order */
	KUNIT_EXPECT_EQ(test, unat_tcp_trim(1000, &seg, &dup), 0);
	KUNIT_EXPECT_FALSE(test, dup);
	/* overlapping: the first 40 bytes were taken already */
	KUNIT_EXPECT_EQ(test, unat_tcp_trim(1040, &seg, &dup), 40);
	KUNIT_EXPECT_FALSE(test, dup);
	/* all of it old */
	unat_tcp_trim(1100, &seg, &dup);
	KUNIT_EXPECT_TRUE(test, dup);
	/* the FIN after old data is new */
	seg.flags = TCPHDR_FIN;
	KUNIT_EXPECT_EQ(test, unat_tcp_trim(1100, &seg, &dup), 100);
	KUNIT_EXPECT_FALSE(test, dup);
	unat_tcp_trim(1101, &seg, &dup);
	KUNIT_EXPECT_TRUE(test, dup);

	/* across the wrap of the sequence space */
	seg.flags = 0;
	seg.seq = 0xfffffff0;
	seg.len = 64;
	KUNIT_EXPECT_EQ(test, unat_tcp_trim(0xfffffff0, &seg, &dup), 0);
	KUNIT_EXPECT_EQ(test, unat_tcp_trim(0x10, &seg, &dup), 0x20);
	KUNIT_EXPECT_FALSE(test, dup);
	unat_tcp_trim(0x30, &seg, &dup);
	KUNIT_EXPECT_TRUE(test, dup);
	/* a segment ahead of rcv_nxt (out of order) is not trimmed */
	KUNIT_EXPECT_EQ(test, unat_tcp_trim(0xffffff00, &seg, &dup), 0);
	KUNIT_EXPECT_FALSE(test, dup);
}

static void unat_tcp_window_test(struct kunit *test)
{
	u32 adv = 1000;

	/* unscaled, clamped to the field */
	KUNIT_EXPECT_EQ(test, unat_tcp_window(1000, &adv, 100000, 0), 65535);
	KUNIT_EXPECT_EQ(test, adv, 1000 + 65535);
	/* scaled by 7: 1 MiB is 8192 units */
	adv = 1000;
	KUNIT_EXPECT_EQ(test, unat_tcp_window(1000, &adv, 1 << 20, 7), 8192);
	KUNIT_EXPECT_EQ(test, adv, 1000 + (1 << 20));
	/* space shrinks: the right edge stays where it was */
	KUNIT_EXPECT_EQ(test, unat_tcp_window(1000 + 4096, &adv, 0, 7),
			((1 << 20) - 4096) >> 7);
	KUNIT_EXPECT_EQ(test, adv, 1000 + (1 << 20));
	/* units below the scale are not promised */
	adv = 0;
	KUNIT_EXPECT_EQ(test, unat_tcp_window(0, &adv, 200, 7), 1);
	KUNIT_EXPECT_EQ(test, adv, 128);
	/* around the wrap */
	adv = 0xffffff00;
	KUNIT_EXPECT_EQ(test, unat_tcp_window(0xffffff00, &adv, 0x1000, 0),
			0x1000);
	KUNIT_EXPECT_EQ(test, adv, 0xf00);
	KUNIT_EXPECT_EQ(test, unat_tcp_window(0x100, &adv, 0, 0), 0xe00);
	/* the largest scale */
	adv = 0;
	KUNIT_EXPECT_EQ(test, unat_tcp_window(0, &adv, U32_MAX, 14), 65535);
}

static void unat_tcp_mss_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, unat_tcp_mss(1460, 1500), 1460);
	KUNIT_EXPECT_EQ(test, unat_tcp_mss(65483, 1500), 1460);
	KUNIT_EXPECT_EQ(test, unat_tcp_mss(0, 65520), 536);
	KUNIT_EXPECT_EQ(test, unat_tcp_mss(65535, 65520), 65480);
	KUNIT_EXPECT_EQ(test, unat_tcp_mss(1, 1500), 64);
	KUNIT_EXPECT_EQ(test, unat_tcp_mss(U16_MAX, 68), 64);
}

/* A segment built for the guest checksums correctly once finished. */
static void unat_test_check_csum(struct kunit *test, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int len = skb->len - skb_transport_offset(skb);

	KUNIT_ASSERT_TRUE(test, skb->ip_summed == CHECKSUM_PARTIAL);
	KUNIT_EXPECT_EQ(test, ip_fast_csum(iph, iph->ihl), 0);
	KUNIT_EXPECT_EQ(test, ntohs(iph->tot_len), skb->len -
			skb_network_offset(skb));
	/* finish the checksum as a NIC would for each segment */
	skb_shinfo(skb)->gso_size = 0;
	skb_shinfo(skb)->gso_type = 0;
	skb_shinfo(skb)->gso_segs = 0;
	KUNIT_ASSERT_EQ(test, skb_checksum_help(skb), 0);
	KUNIT_EXPECT_EQ(test, tcp_v4_check(len, iph->saddr, iph->daddr,
					   skb_checksum(skb,
							skb_transport_offset(skb),
							len, 0)), 0);
}

static void unat_tcp_rst_test(struct kunit *test)
{
	struct unat_flow_key key;
	struct unat_tcp_seg seg;
	const struct tcphdr *th;
	struct unat_ip4 ip;
	struct sk_buff *skb, *r;

	unat_test_key(&key);
	/* a stray SYN: RST|ACK acknowledging it */
	skb = unat_test_tcp(test, TCPHDR_SYN, 5000, 0, NULL, 0, 0, false, &ip);
	KUNIT_ASSERT_EQ(test, unat_tcp_parse(skb, &ip, &seg), 0);
	r = unat_tcp_rst_for(&key, &seg);
	KUNIT_ASSERT_NOT_NULL(test, r);
	unat_test_own(test, r);
	th = tcp_hdr(r);
	KUNIT_EXPECT_EQ(test, tcp_flag_byte(th), TCPHDR_RST | TCPHDR_ACK);
	KUNIT_EXPECT_EQ(test, ntohl(th->ack_seq), 5001);
	KUNIT_EXPECT_EQ(test, ntohs(th->source), 80);
	KUNIT_EXPECT_EQ(test, ntohs(th->dest), 40000);
	KUNIT_EXPECT_EQ(test, ip_hdr(r)->saddr, REMOTE);
	KUNIT_EXPECT_EQ(test, ip_hdr(r)->daddr, GUEST);
	unat_test_check_csum(test, r);

	/* data with an ACK: RST at the acknowledged sequence */
	skb = unat_test_tcp(test, TCPHDR_ACK, 5000, 777, NULL, 0, 10, false,
			    &ip);
	KUNIT_ASSERT_EQ(test, unat_tcp_parse(skb, &ip, &seg), 0);
	r = unat_tcp_rst_for(&key, &seg);
	KUNIT_ASSERT_NOT_NULL(test, r);
	unat_test_own(test, r);
	KUNIT_EXPECT_EQ(test, tcp_flag_byte(tcp_hdr(r)), TCPHDR_RST);
	KUNIT_EXPECT_EQ(test, ntohl(tcp_hdr(r)->seq), 777);

	/* never a reset for a reset */
	skb = unat_test_tcp(test, TCPHDR_RST, 5000, 0, NULL, 0, 0, false, &ip);
	KUNIT_ASSERT_EQ(test, unat_tcp_parse(skb, &ip, &seg), 0);
	KUNIT_EXPECT_NULL(test, unat_tcp_rst_for(&key, &seg));
}

/* Payload larger than the MSS: a GSO super-frame the guest can take. */
static void unat_tcp_gso_test(struct kunit *test)
{
	struct unat_flow_key key;
	struct sk_buff *skb;

	unat_test_key(&key);
	skb = unat_tcp_frame(0, 10000);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	unat_test_own(test, skb);
	get_random_bytes(skb_put(skb, 10000), 10000);
	unat_tcp_finish(skb, &key, 1, 2, TCPHDR_ACK | TCPHDR_PSH, 500, 0,
			1000, 0xff);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->gso_size, 1000);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->gso_segs, 10);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->gso_type, SKB_GSO_TCPV4);
	KUNIT_EXPECT_EQ(test, skb->len, 10000 + 40);
	KUNIT_EXPECT_EQ(test, ntohs(tcp_hdr(skb)->window), 500);
	unat_test_check_csum(test, skb);

	/* a SYN-ACK carries MSS and window scale, and is never GSO */
	skb = unat_tcp_frame(8, 0);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	unat_test_own(test, skb);
	unat_tcp_finish(skb, &key, 1, 2, TCPHDR_SYN | TCPHDR_ACK, 65535, 8,
			1460, 7);
	KUNIT_EXPECT_TRUE(test, tcp_hdr(skb)->doff == 7);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->gso_size, 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16((u8 *)(tcp_hdr(skb) + 1) + 2),
			1460);
	KUNIT_EXPECT_EQ(test, *((u8 *)(tcp_hdr(skb) + 1) + 7), 7);
	unat_test_check_csum(test, skb);
}

/* ACKs from the guest: new, duplicate, old, and beyond what was sent. */
static void unat_tcp_ack_test(struct kunit *test)
{
	struct unat_tcp_seg seg = { .flags = TCPHDR_ACK };
	/* 1000 bytes in flight across the wrap: 0xfffffe00 .. 0x1e8 */
	u32 una = 0xfffffe00, nxt = una + 1000;

	seg.ack = una + 500;
	KUNIT_EXPECT_EQ(test, unat_tcp_ack_check(una, nxt, &seg),
			UNAT_TCP_ACK_NEW);
	seg.ack = nxt;
	KUNIT_EXPECT_EQ(test, unat_tcp_ack_check(una, nxt, &seg),
			UNAT_TCP_ACK_NEW);
	seg.ack = nxt + 1;
	KUNIT_EXPECT_EQ(test, unat_tcp_ack_check(una, nxt, &seg),
			UNAT_TCP_ACK_AHEAD);
	seg.ack = una;
	KUNIT_EXPECT_EQ(test, unat_tcp_ack_check(una, nxt, &seg),
			UNAT_TCP_ACK_DUP);
	/* not duplicates: carrying data or a FIN, or nothing in flight */
	seg.len = 10;
	KUNIT_EXPECT_EQ(test, unat_tcp_ack_check(una, nxt, &seg),
			UNAT_TCP_ACK_OLD);
	seg.len = 0;
	seg.flags |= TCPHDR_FIN;
	KUNIT_EXPECT_EQ(test, unat_tcp_ack_check(una, nxt, &seg),
			UNAT_TCP_ACK_OLD);
	seg.flags = TCPHDR_ACK;
	/* nothing in flight: the answer to a zero-window probe */
	KUNIT_EXPECT_EQ(test, unat_tcp_ack_check(una, una, &seg),
			UNAT_TCP_ACK_ALL);
	seg.len = 10;
	KUNIT_EXPECT_EQ(test, unat_tcp_ack_check(una, una, &seg),
			UNAT_TCP_ACK_ALL);
	seg.len = 0;
	KUNIT_EXPECT_EQ(test, unat_tcp_ack_check(una, una, &seg),
			UNAT_TCP_ACK_ALL);
	/* older than snd_una */
	seg.ack = una - 1;
	KUNIT_EXPECT_EQ(test, unat_tcp_ack_check(una, nxt, &seg),
			UNAT_TCP_ACK_OLD);
	/* half the sequence space away: never new */
	seg.ack = una + 0x80000000;
	KUNIT_EXPECT_NE(test, unat_tcp_ack_check(una, nxt, &seg),
			UNAT_TCP_ACK_NEW);
}

/* A reset in every state, at and around the window. */
static void unat_tcp_rst_state_test(struct kunit *test)
{
	u32 nxt = 0xffffff00, adv = nxt + 0x1000;
	u8 st;

	for (st = UNAT_TCP_CONNECTING; st <= UNAT_TCP_CLOSED; st++) {
		bool live = st == UNAT_TCP_SYN_SENT ||
			    st == UNAT_TCP_ESTABLISHED;

		KUNIT_EXPECT_EQ(test, unat_tcp_rst_check(st, nxt, adv, nxt),
				live ? UNAT_TCP_RST_ACCEPT :
				       UNAT_TCP_RST_IGNORE);
		KUNIT_EXPECT_EQ(test, unat_tcp_rst_check(st, nxt, adv,
							 nxt + 0x200),
				live ? UNAT_TCP_RST_CHALLENGE :
				       UNAT_TCP_RST_IGNORE);
		KUNIT_EXPECT_EQ(test, unat_tcp_rst_check(st, nxt, adv, nxt - 1),
				UNAT_TCP_RST_IGNORE);
		KUNIT_EXPECT_EQ(test, unat_tcp_rst_check(st, nxt, adv, adv),
				UNAT_TCP_RST_IGNORE);
		KUNIT_EXPECT_EQ(test, unat_tcp_rst_check(st, nxt, adv,
							 nxt + 0x80000000),
				UNAT_TCP_RST_IGNORE);
	}
}

/*
 * What may go to the guest: the window limits, a zero window stops
 * everything (the timer probes), retransmission from snd_una resends.
 */
static void unat_tcp_sendable_test(struct kunit *test)
{
	u32 una = 0xfffff000;

	/* 10000 bytes queued, window 4096 */
	KUNIT_EXPECT_EQ(test, unat_tcp_sendable(una, una, 4096, una + 10000),
			4096);
	KUNIT_EXPECT_EQ(test, unat_tcp_sendable(una, una + 4096, 4096,
						una + 10000), 0);
	/* the window closes, then opens */
	KUNIT_EXPECT_EQ(test, unat_tcp_sendable(una, una, 0, una + 10000), 0);
	KUNIT_EXPECT_EQ(test, unat_tcp_sendable(una, una + 100, 0,
						una + 10000), 0);
	KUNIT_EXPECT_EQ(test, unat_tcp_sendable(una, una + 100, 65536,
						una + 10000), 9900);
	/* after a timeout, everything from snd_una again */
	KUNIT_EXPECT_EQ(test, unat_tcp_sendable(una, una, 65536, una + 10000),
			10000);
	/* nothing queued, or our FIN already past the data */
	KUNIT_EXPECT_EQ(test, unat_tcp_sendable(una, una, 65536, una), 0);
	KUNIT_EXPECT_EQ(test, unat_tcp_sendable(una, una + 1, 65536, una), 0);
	/* a window that shrank below what is in flight */
	KUNIT_EXPECT_EQ(test, unat_tcp_sendable(una, una + 5000, 1000,
						una + 10000), 0);
}

/* Our FIN: after the host's, after all data, once; then counted as ACKed. */
static void unat_tcp_fin_test(struct kunit *test)
{
	u32 end = 0x10;
	bool fin;

	KUNIT_EXPECT_FALSE(test, unat_tcp_fin_due(false, false, end, end));
	KUNIT_EXPECT_FALSE(test, unat_tcp_fin_due(true, false, end - 5, end));
	KUNIT_EXPECT_TRUE(test, unat_tcp_fin_due(true, false, end, end));
	/* sent: snd_nxt is past it */
	KUNIT_EXPECT_FALSE(test, unat_tcp_fin_due(true, false, end + 1, end));
	/* retransmitted from snd_una: due again once the data is resent */
	KUNIT_EXPECT_FALSE(test, unat_tcp_fin_due(true, false, end - 16, end));
	KUNIT_EXPECT_FALSE(test, unat_tcp_fin_due(true, true, end, end));

	KUNIT_EXPECT_EQ(test, unat_tcp_acked_data(100, 300, &fin), 100);
	KUNIT_EXPECT_FALSE(test, fin);
	KUNIT_EXPECT_EQ(test, unat_tcp_acked_data(300, 300, &fin), 300);
	KUNIT_EXPECT_FALSE(test, fin);
	KUNIT_EXPECT_EQ(test, unat_tcp_acked_data(301, 300, &fin), 300);
	KUNIT_EXPECT_TRUE(test, fin);
	KUNIT_EXPECT_EQ(test, unat_tcp_acked_data(1, 0, &fin), 0);
	KUNIT_EXPECT_TRUE(test, fin);
}

/*
 * Over IPv6: super-frames of type TCPV6 with the IPv6 pseudo-header in the
 * checksum, and resets from the remote to the guest.
 */
static void unat_tcp_ipv6_test(struct kunit *test)
{
	struct unat_flow_key key;
	struct unat_tcp_seg seg = { .seq = 9, .flags = TCPHDR_SYN };
	struct in6_addr g, r;
	struct ipv6hdr *ip6h;
	struct sk_buff *skb;
	unsigned int len;

	KUNIT_ASSERT_EQ(test, in6_pton("fd75:6e61:7400:2::15", -1, g.s6_addr,
				       -1, NULL), 1);
	KUNIT_ASSERT_EQ(test, in6_pton("2001:db8:5::2", -1, r.s6_addr, -1,
				       NULL), 1);
	unat_flow_key6(&key, IPPROTO_TCP, UNAT_FLOW_KIND_NAT, &g,
		       htons(40000), &r, htons(80));
	skb = unat_tcp_frame(0, 10000);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	unat_test_own(test, skb);
	get_random_bytes(skb_put(skb, 10000), 10000);
	unat_tcp_finish(skb, &key, 1, 2, TCPHDR_ACK, 500, 0, 1440, 0xff);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->gso_type, SKB_GSO_TCPV6);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->gso_segs, 7);
	ip6h = ipv6_hdr(skb);
	KUNIT_EXPECT_EQ(test, (int)ip6h->version, 6);
	KUNIT_EXPECT_EQ(test, ip6h->nexthdr, IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, ntohs(ip6h->payload_len), 10000 + 20);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&ip6h->saddr, &r));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&ip6h->daddr, &g));
	KUNIT_EXPECT_EQ(test, ntohs(tcp_hdr(skb)->source), 80);
	KUNIT_EXPECT_EQ(test, ntohs(tcp_hdr(skb)->dest), 40000);
	len = skb->len - skb_transport_offset(skb);
	skb_shinfo(skb)->gso_size = 0;
	skb_shinfo(skb)->gso_type = 0;
	skb_shinfo(skb)->gso_segs = 0;
	KUNIT_ASSERT_EQ(test, skb_checksum_help(skb), 0);
	KUNIT_EXPECT_EQ(test, csum_ipv6_magic(&r, &g, len, IPPROTO_TCP,
					      skb_checksum(skb,
							   skb_transport_offset(skb),
							   len, 0)), 0);

	/* a stray SYN over IPv6: RST|ACK from the address it went to */
	skb = unat_tcp_rst_for(&key, &seg);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	unat_test_own(test, skb);
	KUNIT_EXPECT_EQ(test, tcp_flag_byte(tcp_hdr(skb)),
			TCPHDR_RST | TCPHDR_ACK);
	KUNIT_EXPECT_EQ(test, ntohl(tcp_hdr(skb)->ack_seq), 10);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&ipv6_hdr(skb)->saddr, &r));
}

static struct kunit_case unat_tcp_cases[] = {
	KUNIT_CASE(unat_tcp_ipv6_test),
	KUNIT_CASE(unat_tcp_parse_syn_test),
	KUNIT_CASE(unat_tcp_parse_opts_test),
	KUNIT_CASE(unat_tcp_parse_bad_test),
	KUNIT_CASE(unat_tcp_parse_random_test),
	KUNIT_CASE(unat_tcp_trim_test),
	KUNIT_CASE(unat_tcp_window_test),
	KUNIT_CASE(unat_tcp_mss_test),
	KUNIT_CASE(unat_tcp_rst_test),
	KUNIT_CASE(unat_tcp_gso_test),
	KUNIT_CASE(unat_tcp_ack_test),
	KUNIT_CASE(unat_tcp_rst_state_test),
	KUNIT_CASE(unat_tcp_sendable_test),
	KUNIT_CASE(unat_tcp_fin_test),
	{}
};

struct kunit_suite unat_tcp_suite = {
	.name = "unat_tcp",
	.test_cases = unat_tcp_cases,
};
