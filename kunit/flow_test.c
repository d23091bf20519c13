// SPDX-License-Identifier: GPL-2.0
/*
 * The flow table: lookup, duplicates, the flow limit, flushing; and the
 * DNS query check that guards forwarding.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/in.h>
#include <linux/rcupdate.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <uapi/linux/unat.h>

#include "device.h"
#include "flow.h"
#include "services.h"
#include "helpers.h"

static struct unat_flow_key unat_key(u16 gport)
{
	struct unat_flow_key key = {};

	key.family = AF_INET;
	key.proto = IPPROTO_UDP;
	key.kind = UNAT_FLOW_KIND_NAT;
	key.gaddr.v4 = htonl(0x0a00020f);
	key.gport = htons(gport);
	return key;
}

static void t_nop(struct unat_flow *flow)
{
}

/*
 * The ops of the flows these tests make: no socket, no work; TCP and UDP
 * flows take a local port, as their protocols' ops say.
 */
static const struct unat_flow_ops t_ops = {
	.work		= t_nop,
	.release	= t_nop,
};

static const struct unat_flow_ops t_port_ops = {
	.work		= t_nop,
	.release	= t_nop,
	.own_port	= true,
};

/* Table calls as the transmit path makes them (BH off, RCU), with the
 * expectations outside: a failing one allocates.
 */
static struct unat_flow *t_create(struct unat_flow_table *t,
				  const struct unat_flow_key *key,
				  unsigned int limit, int *err)
{
	bool port = key->proto == IPPROTO_TCP || key->proto == IPPROTO_UDP;
	struct unat_flow *flow;

	local_bh_disable();
	flow = unat_flow_create(t, key, port ? &t_port_ops : &t_ops, limit,
				HZ, err);
	local_bh_enable();
	return flow;
}

static struct unat_flow *t_lookup(struct unat_flow_table *t,
				  const struct unat_flow_key *key)
{
	struct unat_flow *flow;

	rcu_read_lock_bh();
	flow = unat_flow_lookup(t, key);
	rcu_read_unlock_bh();
	return flow;
}

static struct unat_flow_table *unat_test_table(struct kunit *test)
{
	struct unat_flow_table *t = unat_flow_table_alloc(NULL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	return t;
}

static void unat_flow_create_lookup_test(struct kunit *test)
{
	struct unat_flow_table *t = unat_test_table(test);
	struct unat_flow_key a = unat_key(1000), b = unat_key(1001);
	struct unat_flow *fa, *again;
	int err;

	KUNIT_EXPECT_NULL(test, t_lookup(t, &a));
	fa = t_create(t, &a, 10, &err);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_PTR_EQ(test, t_lookup(t, &a), fa);
	KUNIT_EXPECT_NULL(test, t_lookup(t, &b));
	/* a second create of the same key returns the first flow */
	again = t_create(t, &a, 10, &err);
	KUNIT_EXPECT_EQ(test, err, -EEXIST);
	KUNIT_EXPECT_PTR_EQ(test, again, fa);
	KUNIT_EXPECT_EQ(test, t->count, 1U);
	/* keys differing only in kind or remote are other flows */
	b = a;
	b.kind = UNAT_FLOW_KIND_DNS;
	KUNIT_EXPECT_NULL(test, t_lookup(t, &b));
	b = a;
	b.raddr.v4 = htonl(1);
	KUNIT_EXPECT_NULL(test, t_lookup(t, &b));

	unat_flow_flush(t);
	KUNIT_EXPECT_EQ(test, t->count, 0U);
	unat_flow_table_free(t);
}

static void unat_flow_limit_test(struct kunit *test)
{
	struct unat_flow_table *t = unat_test_table(test);
	struct unat_flow_key key;
	int i, err;

	for (i = 0; i < 100; i++) {
		struct unat_flow *flow;

		key = unat_key(2000 + i);
		flow = t_create(t, &key, 64, &err);
		if (i < 64) {
			KUNIT_EXPECT_NOT_NULL(test, flow);
			KUNIT_EXPECT_EQ(test, err, 0);
		} else {
			KUNIT_EXPECT_NULL(test, flow);
			KUNIT_EXPECT_EQ(test, err, -ENOSPC);
		}
	}
	KUNIT_EXPECT_EQ(test, t->count, 64U);
	unat_flow_flush(t);
	/* a flushed table refuses new flows until started again */
	key = unat_key(3000);
	KUNIT_EXPECT_NULL(test, t_create(t, &key, 64, &err));
	KUNIT_EXPECT_EQ(test, err, -ENODEV);
	unat_flow_table_free(t);
}

static int unat_count_flow(struct unat_flow *flow, void *arg)
{
	int *n = arg;

	return ++*n == 7 ? -EMSGSIZE : 0;
}

/* A walk stopped by a full message resumes where it stopped. */
static void unat_flow_walk_resume_test(struct kunit *test)
{
	struct unat_flow_table *t = unat_test_table(test);
	unsigned long bucket = 0, idx = 0;
	struct unat_flow_key key;
	int i, err, n = 0, total = 0;

	for (i = 0; i < 20; i++) {
		key = unat_key(4000 + i);
		KUNIT_EXPECT_NOT_NULL(test, t_create(t, &key, 64, &err));
	}
	while (unat_flow_walk(t, &bucket, &idx, unat_count_flow, &n)) {
		total += n - 1;		/* the 7th did not fit */
		n = 0;
	}
	total += n;
	KUNIT_EXPECT_EQ(test, total, 20);
	unat_flow_flush(t);
	unat_flow_table_free(t);
}

static void unat_dns_query_test(struct kunit *test)
{
	static const u8 q[] = { 0xab, 0xcd, 0x01, 0x00, 0x00, 0x01, 0, 0,
				0, 0, 0, 0, 1, 'a', 0, 0, 1, 0, 1 };
	u8 m[sizeof(q)];

	KUNIT_EXPECT_EQ(test, unat_dns_check_query(q, sizeof(q)), 0);
	KUNIT_EXPECT_EQ(test, unat_dns_check_query(q, 11), -EINVAL);
	memcpy(m, q, sizeof(q));
	m[2] |= 0x80;			/* a response */
	KUNIT_EXPECT_EQ(test, unat_dns_check_query(m, sizeof(m)), -EINVAL);
	memcpy(m, q, sizeof(q));
	m[2] |= 0x28;			/* opcode 5: UPDATE */
	KUNIT_EXPECT_EQ(test, unat_dns_check_query(m, sizeof(m)), -EINVAL);
	memcpy(m, q, sizeof(q));
	m[5] = 0;			/* no question */
	KUNIT_EXPECT_EQ(test, unat_dns_check_query(m, sizeof(m)), -EINVAL);
}

/*
 * The largest query a sender may send: 512 bytes without EDNS, its OPT
 * record's payload size clamped to 512..4096 with it; malformed sections
 * refused, compression pointers followed past.
 */
static void unat_dns_size_test(struct kunit *test)
{
	/* one question "a." IN A, then an OPT record of size 0x04d0 (1232) */
	static const u8 q[] = { 0xab, 0xcd, 0x01, 0x00, 0x00, 0x01, 0, 0,
				0, 0, 0, 1, 1, 'a', 0, 0, 1, 0, 1,
				0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0 };
	u8 m[sizeof(q) + 2];

	KUNIT_EXPECT_EQ(test, unat_dns_query_max(q, sizeof(q)), 1232);
	memcpy(m, q, sizeof(q));
	m[11] = 0;				/* no OPT: plain DNS */
	KUNIT_EXPECT_EQ(test, unat_dns_query_max(m, 19), 512);
	m[11] = 1;
	m[22] = 0x1f;				/* 8144: clamped */
	KUNIT_EXPECT_EQ(test, unat_dns_query_max(m, sizeof(q)), 4096);
	m[22] = 0;
	m[23] = 100;				/* below 512: 512 */
	KUNIT_EXPECT_EQ(test, unat_dns_query_max(m, sizeof(q)), 512);
	/* the OPT record cut short, a label past the end, a bad label */
	KUNIT_EXPECT_EQ(test, unat_dns_query_max(q, sizeof(q) - 1), -EINVAL);
	memcpy(m, q, sizeof(q));
	m[12] = 60;
	KUNIT_EXPECT_EQ(test, unat_dns_query_max(m, sizeof(q)), -EINVAL);
	m[12] = 0x80;
	KUNIT_EXPECT_EQ(test, unat_dns_query_max(m, sizeof(q)), -EINVAL);
	/* the question's name as a pointer: followed past, not into */
	memcpy(m, q, sizeof(q));
	m[12] = 0xc0;
	m[13] = 12;
	memmove(m + 14, q + 15, sizeof(q) - 15);
	KUNIT_EXPECT_EQ(test, unat_dns_query_max(m, sizeof(q) - 1), 1232);
	/* 65535 questions claimed in 19 bytes */
	memcpy(m, q, sizeof(q));
	m[4] = 0xff;
	m[5] = 0xff;
	KUNIT_EXPECT_EQ(test, unat_dns_query_max(m, sizeof(q)), -EINVAL);
}

/* The reaper's pass: idle flows go, the others stay, whatever the order. */
static void unat_flow_expiry_test(struct kunit *test)
{
	struct unat_flow_table *t = unat_test_table(test);
	struct unat_flow_key k1 = unat_key(1), k2 = unat_key(2);
	struct unat_flow_key k3 = unat_key(3);
	struct unat_flow *f1, *f2, *f3;
	int err;

	f1 = t_create(t, &k1, 10, &err);
	f2 = t_create(t, &k2, 10, &err);
	f3 = t_create(t, &k3, 10, &err);
	KUNIT_ASSERT_TRUE(test, f1 && f2 && f3);
	/* idle 3 s with a 1 s timeout; fresh; closed (timeout 0) */
	WRITE_ONCE(f1->last_used, jiffies - 3 * HZ);
	WRITE_ONCE(f3->timeout, 0);
	WRITE_ONCE(f3->last_used, jiffies - 1);
	unat_flow_expire(t);
	KUNIT_EXPECT_NULL(test, t_lookup(t, &k1));
	KUNIT_EXPECT_PTR_EQ(test, t_lookup(t, &k2), f2);
	KUNIT_EXPECT_NULL(test, t_lookup(t, &k3));
	KUNIT_EXPECT_EQ(test, t->count, 1);
	/* a second pass changes nothing; then the flow idles out too */
	unat_flow_expire(t);
	KUNIT_EXPECT_EQ(test, t->count, 1);
	WRITE_ONCE(f2->last_used, jiffies - 2 * HZ);
	unat_flow_expire(t);
	KUNIT_EXPECT_EQ(test, t->count, 0);
	KUNIT_EXPECT_NULL(test, t_lookup(t, &k2));
	unat_flow_flush(t);
	unat_flow_table_free(t);
}

/*
 * The connect limit: at the limit a new connect evicts the oldest the
 * remote has not answered, one the remote accepted only when no other is
 * left, and the count never passes the limit.
 */
static void unat_flow_connect_limit_test(struct kunit *test)
{
	struct unat_flow_table *t = unat_test_table(test);
	struct list_head c[6];
	int i;

	for (i = 0; i < ARRAY_SIZE(c); i++)
		INIT_LIST_HEAD(&c[i]);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_NULL(test, unat_flow_connect_add(t, &c[i], 3));
	KUNIT_EXPECT_EQ(test, t->connecting, 3);
	unat_flow_connect_answered(t, &c[0]);
	/* c[0] is the oldest, but answered: c[1] goes, then c[2] */
	KUNIT_EXPECT_PTR_EQ(test, unat_flow_connect_add(t, &c[3], 3), &c[1]);
	KUNIT_EXPECT_PTR_EQ(test, unat_flow_connect_add(t, &c[4], 3), &c[2]);
	KUNIT_EXPECT_TRUE(test, list_empty(&c[1]));
	KUNIT_EXPECT_EQ(test, t->connecting, 3);
	/* an evicted connect that later ends is not counted twice */
	unat_flow_connect_answered(t, &c[1]);
	unat_flow_connect_done(t, &c[1]);
	KUNIT_EXPECT_EQ(test, t->connecting, 3);
	/* all answered: the oldest answered goes */
	unat_flow_connect_answered(t, &c[3]);
	unat_flow_connect_answered(t, &c[4]);
	KUNIT_EXPECT_PTR_EQ(test, unat_flow_connect_add(t, &c[5], 3), &c[0]);
	KUNIT_EXPECT_EQ(test, t->connecting, 3);
	/* one established: room again */
	unat_flow_connect_done(t, &c[3]);
	KUNIT_EXPECT_EQ(test, t->connecting, 2);
	KUNIT_EXPECT_NULL(test, unat_flow_connect_add(t, &c[3], 3));
	for (i = 0; i < ARRAY_SIZE(c); i++)
		unat_flow_connect_done(t, &c[i]);
	KUNIT_EXPECT_EQ(test, t->connecting, 0);
	unat_flow_table_free(t);
}

/*
 * A packet the host refused: a NAT flow that never carried one goes at the
 * next reap; one that did, and a forward's binding, stay until they idle.
 */
static void unat_flow_refused_test(struct kunit *test)
{
	struct unat_flow_table *t = unat_test_table(test);
	struct unat_flow_key k1 = unat_key(1), k2 = unat_key(2);
	struct unat_flow_key k3 = unat_key(3);
	struct unat_flow *f1, *f2, *f3;
	int err;

	k3.kind = UNAT_FLOW_KIND_FWD;
	f1 = t_create(t, &k1, 10, &err);
	f2 = t_create(t, &k2, 10, &err);
	f3 = t_create(t, &k3, 10, &err);
	KUNIT_ASSERT_TRUE(test, f1 && f2 && f3);
	atomic64_set(&f2->pkts_out, 1);
	WRITE_ONCE(f1->last_used, jiffies - 1);
	WRITE_ONCE(f2->last_used, jiffies - 1);
	WRITE_ONCE(f3->last_used, jiffies - 1);
	unat_flow_refused(f1);
	unat_flow_refused(f2);
	unat_flow_refused(f3);
	unat_flow_expire(t);
	KUNIT_EXPECT_NULL(test, t_lookup(t, &k1));
	KUNIT_EXPECT_PTR_EQ(test, t_lookup(t, &k2), f2);
	KUNIT_EXPECT_PTR_EQ(test, t_lookup(t, &k3), f3);
	KUNIT_EXPECT_EQ(test, t->count, 2);
	unat_flow_flush(t);
	unat_flow_table_free(t);
}

/*
 * The port share: TCP and UDP flows of a real device take local ports of
 * its creating netns up to their share of ip_local_port_range; echo
 * flows and a forward's do not; unlinked flows give theirs back.
 */
static void unat_flow_port_share_test(struct kunit *test)
{
	struct unat_test_dev *td = unat_test_dev(test, false);
	struct unat_flow_table *t = td->unat->flows;
	struct unat_config *cfg = rcu_dereference_raw(td->unat->config);
	struct unat_flow_key key;
	unsigned int cap, i;
	int lo, hi, err;

	cfg->port_share = 1;
	inet_get_local_port_range(&init_net, &lo, &hi);
	cap = unat_flow_port_cap(td->unat);
	KUNIT_EXPECT_EQ(test, cap, max((hi - lo + 1) / 100U, 1U));
	for (i = 0; i < cap; i++) {
		key = unat_key(1000 + i);
		key.proto = i & 1 ? IPPROTO_TCP : IPPROTO_UDP;
		t_create(t, &key, UINT_MAX, &err);
		KUNIT_ASSERT_EQ(test, err, 0);
	}
	KUNIT_EXPECT_EQ(test, t->ports, cap);
	key = unat_key(1000 + cap);
	KUNIT_EXPECT_NULL(test, t_create(t, &key, UINT_MAX, &err));
	KUNIT_EXPECT_EQ(test, err, -EADDRINUSE);
	KUNIT_EXPECT_EQ(test, unat_flow_create_stat(err),
			UNAT_STAT_DROP_PORT_SHARE);
	/* no port of their own: not refused, not counted */
	key.proto = IPPROTO_ICMP;
	t_create(t, &key, UINT_MAX, &err);
	KUNIT_EXPECT_EQ(test, err, 0);
	key.proto = IPPROTO_UDP;
	key.kind = UNAT_FLOW_KIND_FWD;
	t_create(t, &key, UINT_MAX, &err);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, t->ports, cap);
	/* a larger share takes more at once */
	cfg->port_share = 2;
	key = unat_key(1000 + cap);
	t_create(t, &key, UINT_MAX, &err);
	KUNIT_EXPECT_EQ(test, err, 0);
	unat_flow_flush(t);
	KUNIT_EXPECT_EQ(test, t->ports, 0U);
	KUNIT_EXPECT_EQ(test, t->count, 0U);
}

/* A linear skb of @len bytes, for the byte budget's tests. */
static struct sk_buff *uq_skb(struct kunit *test, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put_zero(skb, len);
	return skb;
}

/*
 * The device's byte budget: charged up to the limit and never past it, a
 * frame larger than the whole budget never charged, and back to zero once
 * every charged frame left its queue, one by one or purged.
 */
static void unat_flow_charge_test(struct kunit *test)
{
	struct unat_flow_table *t = unat_test_table(test);
	struct sk_buff *skb = uq_skb(test, 1000);
	unsigned int size = skb->truesize, n = 0, i;
	u32 limit = 3 * size + size / 2;
	struct sk_buff_head q;

	kfree_skb(skb);
	skb_queue_head_init(&q);
	for (i = 0; i < 5; i++) {
		skb = uq_skb(test, 1000);
		if (unat_flow_charge(t, skb, limit)) {
			skb_queue_tail(&q, skb);
			n++;
		} else {
			kfree_skb(skb);
		}
		KUNIT_EXPECT_LE(test, atomic_long_read(&t->queued), (long)limit);
	}
	KUNIT_EXPECT_EQ(test, n, 3U);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&t->queued), 3L * size);
	KUNIT_EXPECT_EQ(test, t->queued_peak, 3UL * size);
	skb = unat_flow_dequeue(t, &q);
	KUNIT_EXPECT_NOT_NULL(test, skb);
	kfree_skb(skb);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&t->queued), 2L * size);
	unat_flow_purge(t, &q);
	KUNIT_EXPECT_TRUE(test, skb_queue_empty(&q));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&t->queued), 0L);
	KUNIT_EXPECT_EQ(test, t->queued_peak, 3UL * size);
	KUNIT_EXPECT_NULL(test, unat_flow_dequeue(t, &q));
	skb = uq_skb(test, limit);
	KUNIT_EXPECT_FALSE(test, unat_flow_charge(t, skb, limit));
	kfree_skb(skb);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&t->queued), 0L);
	/* a pure ACK of the host's TCP says 2 bytes: charged its buffer */
	skb = uq_skb(test, 1000);
	skb->truesize = 2;
	KUNIT_EXPECT_TRUE(test, unat_flow_charge(t, skb, limit));
	KUNIT_EXPECT_GE(test, atomic_long_read(&t->queued), (long)size);
	unat_flow_uncharge(t, skb);
	skb->truesize = size;
	kfree_skb(skb);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&t->queued), 0L);
	unat_flow_table_free(t);
}

/* unat_flow_queue() on @flow as the transmit path calls it. */
static enum unat_stat uq_queue(struct kunit *test, struct unat_flow *flow,
			       u32 limit)
{
	struct sk_buff *skb = uq_skb(test, 1400);
	enum unat_stat ret;

	local_bh_disable();
	ret = unat_flow_queue(flow, skb, limit, UNAT_STAT_UDP_OUT);
	local_bh_enable();
	if (ret != UNAT_STAT_UDP_OUT)
		kfree_skb(skb);
	return ret;
}

/*
 * Frames for flows whose socket is opening: at most UNAT_FLOW_PENDING_MAX
 * a flow (drop_flow_busy), and all flows' together within the device's
 * byte budget (drop_queue_limit); a failed flow gives its frames back, and
 * so does a flushed one.
 */
static void unat_flow_pending_budget_test(struct kunit *test)
{
	struct unat_test_dev *td = unat_test_dev(test, true);
	struct unat_flow_table *t = td->unat->flows;
	struct unat_flow_key k1 = unat_key(30001), k2 = unat_key(30002);
	struct unat_flow *f1, *f2;
	unsigned int i, size;
	u32 limit;
	int err;

	/* flows made without their open work: they stay OPENING */
	local_bh_disable();
	f1 = unat_flow_create(t, &k1, &t_port_ops, 16, 3600 * HZ, &err);
	f2 = unat_flow_create(t, &k2, &t_port_ops, 16, 3600 * HZ, &err);
	local_bh_enable();
	KUNIT_ASSERT_NOT_NULL(test, f1);
	KUNIT_ASSERT_NOT_NULL(test, f2);
	for (i = 0; i < UNAT_FLOW_PENDING_MAX; i++)
		KUNIT_EXPECT_EQ(test, uq_queue(test, f1, U32_MAX),
				UNAT_STAT_UDP_OUT);
	KUNIT_EXPECT_EQ(test, uq_queue(test, f1, U32_MAX),
			UNAT_STAT_DROP_FLOW_BUSY);
	size = atomic_long_read(&t->queued) / UNAT_FLOW_PENDING_MAX;
	KUNIT_EXPECT_EQ(test, atomic_long_read(&t->queued),
			(long)size * UNAT_FLOW_PENDING_MAX);
	/* the budget is the device's: f1's frames leave f2 room for two */
	limit = (UNAT_FLOW_PENDING_MAX + 2) * size;
	KUNIT_EXPECT_EQ(test, uq_queue(test, f2, limit), UNAT_STAT_UDP_OUT);
	KUNIT_EXPECT_EQ(test, uq_queue(test, f2, limit), UNAT_STAT_UDP_OUT);
	KUNIT_EXPECT_EQ(test, uq_queue(test, f2, limit),
			UNAT_STAT_DROP_QUEUE_LIMIT);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&f2->pending), 2U);
	/* f1 fails: its frames are dropped and their bytes free again */
	unat_flow_failed(f1);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&t->queued), 2L * size);
	KUNIT_EXPECT_EQ(test, uq_queue(test, f1, limit),
			UNAT_STAT_DROP_FLOW_BUSY);
	KUNIT_EXPECT_EQ(test, uq_queue(test, f2, limit), UNAT_STAT_UDP_OUT);
	unat_flow_flush(t);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&t->queued), 0L);
	KUNIT_EXPECT_EQ(test, t->count, 0U);
}

#define UF_FLOWS	64
#define UF_SPORT	20000

/*
 * A datagram from the guest's port @sport to the gateway's port 9, sent by
 * @td: the host's loopback (hostloop is on), which the test VM routes.
 */
static void uf_udp(struct kunit *test, struct unat_test_dev *td, u16 sport)
{
	const struct unat_config *cfg = rcu_dereference_raw(td->unat->config);
	unsigned int l3 = sizeof(struct iphdr);
	unsigned int l4 = sizeof(struct udphdr) + 8;
	struct sk_buff *skb;
	u8 *p;

	skb = alloc_skb(NET_SKB_PAD + ETH_HLEN + l3 + l4, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, NET_SKB_PAD);
	p = skb_put_zero(skb, ETH_HLEN + l3 + l4);
	unat_test_eth(p, cfg->gw_mac, unat_test_guest_mac, ETH_P_IP);
	unat_test_ipv4(p + ETH_HLEN, cfg->guest, cfg->gateway, IPPROTO_UDP, l4);
	unat_test_udp(p + ETH_HLEN + l3, cfg->guest, cfg->gateway, sport, 9, 8);
	unat_test_dev_xmit(td, skb);
}

/* How many of @td's flows are open, each with its socket. */
static unsigned int uf_open(struct unat_test_dev *td)
{
	struct unat_flow_table *t = td->unat->flows;
	struct unat_flow *flow;
	unsigned int i, n = 0;

	rcu_read_lock();
	for (i = 0; i < ARRAY_SIZE(t->buckets); i++)
		hlist_for_each_entry_rcu(flow, &t->buckets[i], node)
			n += READ_ONCE(flow->state) == UNAT_FLOW_OPEN;
	rcu_read_unlock();
	return n;
}

/*
 * A device's UDP flows go in a bounded number of RCU grace periods, not
 * one each: deleting a device with 5000 of them held RTNL for over a
 * minute.  get_state_synchronize_rcu()'s cookie advances by 4 per grace
 * period (RCU_SEQ_CTR_SHIFT).
 */
static void unat_flow_flush_grace_test(struct kunit *test)
{
	struct unat_test_dev *td = unat_test_dev(test, true);
	unsigned long before, gps;
	unsigned int i;

	for (i = 0; i < UF_FLOWS; i++)
		uf_udp(test, td, UF_SPORT + i);
	for (i = 0; i < 200 && uf_open(td) < UF_FLOWS; i++)
		usleep_range(10000, 20000);
	/* where the datagrams went, if not into open flows */
	for (i = 0; i < UNAT_STAT_MAX && uf_open(td) < UF_FLOWS; i++)
		if (unat_test_dev_count(td, i))
			kunit_info(test, "%s %llu\n", unat_stat_names[i],
				   unat_test_dev_count(td, i));
	KUNIT_ASSERT_EQ(test, uf_open(td), UF_FLOWS);
	before = get_state_synchronize_rcu();
	unat_flow_flush(td->unat->flows);
	gps = (get_state_synchronize_rcu() - before) / 4;
	kunit_info(test, "%u UDP flows closed in %lu grace periods\n",
		   UF_FLOWS, gps);
	KUNIT_EXPECT_GE(test, gps, 1UL);
	KUNIT_EXPECT_LT(test, gps, UF_FLOWS / 2UL);
	KUNIT_EXPECT_EQ(test, td->unat->flows->count, 0U);
}

static struct kunit_case unat_flow_cases[] = {
	KUNIT_CASE(unat_flow_create_lookup_test),
	KUNIT_CASE(unat_flow_limit_test),
	KUNIT_CASE(unat_flow_connect_limit_test),
	KUNIT_CASE(unat_flow_charge_test),
	KUNIT_CASE(unat_flow_pending_budget_test),
	KUNIT_CASE(unat_flow_port_share_test),
	KUNIT_CASE(unat_flow_flush_grace_test),
	KUNIT_CASE(unat_flow_walk_resume_test),
	KUNIT_CASE(unat_flow_expiry_test),
	KUNIT_CASE(unat_flow_refused_test),
	KUNIT_CASE(unat_dns_query_test),
	KUNIT_CASE(unat_dns_size_test),
	{}
};

struct kunit_suite unat_flow_suite = {
	.name = "unat_flow",
	.test_cases = unat_flow_cases,
};
