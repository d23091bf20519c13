// SPDX-License-Identifier: GPL-2.0
/*
 * DHCPv4: the parser on hostile input, and the server's answers through a
 * client's life: discover, request, renew, reboot, release, inform, and a
 * second client competing for the one address.
 */
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/udp.h>

#include "types.h"
#include "services.h"
#include "helpers.h"

#define A(a, b, c, d)	htonl(((a) << 24) | ((b) << 16) | ((c) << 8) | (d))
#define GUEST	A(10, 0, 2, 15)
#define GW	A(10, 0, 2, 2)
#define BCAST_FLAG	0x80

struct unat_dhcp_msg {
	u8 type;
	__be32 ciaddr;
	__be32 requested;
	__be32 server_id;
	bool broadcast;
	const u8 *mac;
	const char *client_id;	/* NULL: none */
	u16 max_size;
	const u8 *extra;	/* raw options appended before END */
	unsigned int extra_len;
};

/* The BOOTP part and options of a client message; returns its length. */
static unsigned int unat_test_dhcp_payload(u8 *p, const struct unat_dhcp_msg *m)
{
	unsigned int o = 240;

	memset(p, 0, 240);
	p[0] = 1;
	p[1] = 1;
	p[2] = 6;
	memcpy(p + 4, "\x12\x34\x56\x78", 4);
	if (m->broadcast)
		p[10] = BCAST_FLAG;
	memcpy(p + 12, &m->ciaddr, 4);
	memcpy(p + 28, m->mac, ETH_ALEN);
	memcpy(p + 236, "\x63\x82\x53\x63", 4);
	p[o++] = 53;
	p[o++] = 1;
	p[o++] = m->type;
	if (m->requested) {
		p[o++] = 50;
		p[o++] = 4;
		memcpy(p + o, &m->requested, 4);
		o += 4;
	}
	if (m->server_id) {
		p[o++] = 54;
		p[o++] = 4;
		memcpy(p + o, &m->server_id, 4);
		o += 4;
	}
	if (m->client_id) {
		p[o++] = 61;
		p[o++] = strlen(m->client_id);
		memcpy(p + o, m->client_id, strlen(m->client_id));
		o += strlen(m->client_id);
	}
	if (m->max_size) {
		p[o++] = 57;
		p[o++] = 2;
		p[o++] = m->max_size >> 8;
		p[o++] = m->max_size & 0xff;
	}
	memcpy(p + o, m->extra, m->extra_len);
	o += m->extra_len;
	p[o++] = 255;
	return o;
}

/* A whole frame from the guest carrying @m; returns the skb. */
static struct sk_buff *unat_test_dhcp_frame(struct kunit *test,
					    struct unat_test_env *env,
					    const struct unat_dhcp_msg *m)
{
	static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	__be32 saddr = m->ciaddr, daddr = m->ciaddr ? GW : htonl(0xffffffff);
	unsigned int l2 = ETH_HLEN, l3 = l2 + 20, l4 = l3 + 8, n;
	u8 *buf = kunit_kzalloc(test, 1500, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	n = unat_test_dhcp_payload(buf + l4, m);
	unat_test_udp(buf + l3, saddr, daddr, 68, 67, n);
	unat_test_ipv4(buf + l2, saddr, daddr, IPPROTO_UDP, 8 + n);
	unat_test_eth(buf, m->ciaddr ? env->cfg->gw_mac : bcast, m->mac,
		      ETH_P_IP);
	return unat_test_skb(test, buf, l4 + n);
}

/* Find option @code in a reply frame; NULL if absent. */
static const u8 *unat_reply_opt(struct sk_buff *r, u8 code, u8 *len)
{
	unsigned int i = ETH_HLEN + 28 + 240;

	while (i + 2 <= r->len && r->data[i] != 255) {
		if (!r->data[i]) {
			i++;
			continue;
		}
		if (r->data[i] == code) {
			*len = r->data[i + 1];
			return r->data + i + 2;
		}
		i += 2 + r->data[i + 1];
	}
	return NULL;
}

static __be32 unat_reply_be32(struct kunit *test, struct sk_buff *r, u8 code)
{
	const u8 *v;
	__be32 x;
	u8 len;

	v = unat_reply_opt(r, code, &len);
	KUNIT_ASSERT_NOT_NULL_MSG(test, v, "option %u missing", code);
	KUNIT_ASSERT_EQ(test, len, 4);
	memcpy(&x, v, 4);
	return x;
}

static u8 unat_reply_type(struct kunit *test, struct sk_buff *r)
{
	const u8 *v;
	u8 len;

	v = unat_reply_opt(r, 53, &len);
	KUNIT_ASSERT_NOT_NULL(test, v);
	return v[0];
}

/* Run @m through unat; returns the reply (owned by the test) or NULL. */
static struct sk_buff *unat_dhcp_run(struct kunit *test,
				     struct unat_test_env *env,
				     const struct unat_dhcp_msg *m,
				     enum unat_stat want)
{
	struct sk_buff *skb = unat_test_dhcp_frame(test, env, m), *r;

	KUNIT_EXPECT_EQ(test, unat_test_input(env, skb, &r), want);
	if (r)
		unat_test_own(test, r);
	return r;
}

static void unat_check_udp_csum(struct kunit *test, struct sk_buff *r)
{
	const struct iphdr *iph = (const struct iphdr *)(r->data + ETH_HLEN);
	unsigned int ulen = r->len - ETH_HLEN - 20;

	KUNIT_EXPECT_EQ(test, ip_fast_csum(iph, 5), 0);
	KUNIT_EXPECT_EQ(test, csum_tcpudp_magic(iph->saddr, iph->daddr, ulen,
						IPPROTO_UDP,
						csum_partial(r->data + ETH_HLEN + 20,
							     ulen, 0)), 0);
}

static void unat_dhcp_exchange_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	struct unat_dhcp_msg m = { .type = UNAT_DHCPDISCOVER,
				   .mac = unat_test_guest_mac,
				   .client_id = "\x01RTQ\x00\x12\x34" };
	const struct iphdr *iph;
	struct sk_buff *r;
	const u8 *v;
	u8 len;

	env->ctx.mtu = 1500;
	r = unat_dhcp_run(test, env, &m, UNAT_STAT_DHCP_OFFER);
	KUNIT_ASSERT_NOT_NULL(test, r);
	unat_check_udp_csum(test, r);
	KUNIT_EXPECT_EQ(test, unat_reply_type(test, r), UNAT_DHCPOFFER);
	KUNIT_EXPECT_EQ(test, *(__be32 *)(r->data + ETH_HLEN + 28 + 16), GUEST);
	KUNIT_EXPECT_EQ(test, unat_reply_be32(test, r, 1), A(255, 255, 255, 0));
	KUNIT_EXPECT_EQ(test, unat_reply_be32(test, r, 3), GW);
	KUNIT_EXPECT_EQ(test, unat_reply_be32(test, r, 6), A(10, 0, 2, 3));
	KUNIT_EXPECT_EQ(test, unat_reply_be32(test, r, 54), GW);
	KUNIT_EXPECT_EQ(test, unat_reply_be32(test, r, 51), htonl(86400));
	v = unat_reply_opt(r, 26, &len);
	KUNIT_ASSERT_NOT_NULL(test, v);
	KUNIT_EXPECT_EQ(test, len, 2);
	KUNIT_EXPECT_EQ(test, (v[0] << 8) | v[1], 1500);
	/* unicast to the offered address at the client's MAC */
	iph = (const struct iphdr *)(r->data + ETH_HLEN);
	KUNIT_EXPECT_EQ(test, iph->daddr, GUEST);
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(r->data, unat_test_guest_mac));
	KUNIT_EXPECT_FALSE(test, env->guest.lease.bound);

	m.type = UNAT_DHCPREQUEST;
	m.requested = GUEST;
	m.server_id = GW;
	r = unat_dhcp_run(test, env, &m, UNAT_STAT_DHCP_ACK);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, unat_reply_type(test, r), UNAT_DHCPACK);
	KUNIT_EXPECT_EQ(test, unat_reply_be32(test, r, 58), htonl(43200));
	KUNIT_EXPECT_TRUE(test, env->guest.lease.bound);
	KUNIT_EXPECT_TRUE(test, env->guest.mac_known);

	/* RENEWING: unicast from the leased address, answered unicast */
	m.requested = 0;
	m.server_id = 0;
	m.ciaddr = GUEST;
	r = unat_dhcp_run(test, env, &m, UNAT_STAT_DHCP_ACK);
	KUNIT_ASSERT_NOT_NULL(test, r);
	iph = (const struct iphdr *)(r->data + ETH_HLEN);
	KUNIT_EXPECT_EQ(test, iph->daddr, GUEST);
	KUNIT_EXPECT_EQ(test, *(__be32 *)(r->data + ETH_HLEN + 28 + 12), GUEST);

	/* RELEASE frees the address, without an answer */
	m.type = UNAT_DHCPRELEASE;
	KUNIT_EXPECT_NULL(test, unat_dhcp_run(test, env, &m,
					      UNAT_STAT_DHCP_RELEASE));
	KUNIT_EXPECT_FALSE(test, env->guest.lease.bound);
}

static void unat_dhcp_nak_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	struct unat_dhcp_msg m = { .type = UNAT_DHCPREQUEST,
				   .mac = unat_test_guest_mac,
				   .requested = A(192, 168, 1, 50) };
	const struct iphdr *iph;
	struct sk_buff *r;

	/* INIT-REBOOT with an address from another network */
	r = unat_dhcp_run(test, env, &m, UNAT_STAT_DHCP_NAK);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, unat_reply_type(test, r), UNAT_DHCPNAK);
	iph = (const struct iphdr *)(r->data + ETH_HLEN);
	KUNIT_EXPECT_EQ(test, iph->daddr, htonl(0xffffffff));
	KUNIT_EXPECT_TRUE(test, is_broadcast_ether_addr(r->data));
	KUNIT_EXPECT_EQ(test, *(__be32 *)(r->data + ETH_HLEN + 28 + 16), 0);
	KUNIT_EXPECT_NULL(test, unat_reply_opt(r, 51, &(u8){ 0 }));
	KUNIT_EXPECT_FALSE(test, env->guest.lease.bound);

	/* INIT-REBOOT with the right address is acknowledged */
	m.requested = GUEST;
	r = unat_dhcp_run(test, env, &m, UNAT_STAT_DHCP_ACK);
	KUNIT_ASSERT_NOT_NULL(test, r);

	/* A request that chose another server is silently dropped */
	m.server_id = A(10, 0, 2, 9);
	KUNIT_EXPECT_NULL(test, unat_dhcp_run(test, env, &m,
					      UNAT_STAT_DROP_DHCP_IGNORED));
}

/* One address: while a lease is held, other clients get nothing. */
static void unat_dhcp_second_client_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	struct unat_dhcp_msg a = { .type = UNAT_DHCPREQUEST,
				   .mac = unat_test_guest_mac,
				   .requested = GUEST };
	struct unat_dhcp_msg b = { .type = UNAT_DHCPDISCOVER,
				   .mac = unat_test_other_mac };

	KUNIT_ASSERT_NOT_NULL(test, unat_dhcp_run(test, env, &a,
						  UNAT_STAT_DHCP_ACK));
	KUNIT_EXPECT_NULL(test, unat_dhcp_run(test, env, &b,
					      UNAT_STAT_DROP_DHCP_NO_ADDRESS));
	b.type = UNAT_DHCPREQUEST;
	b.requested = GUEST;
	KUNIT_EXPECT_NOT_NULL(test, unat_dhcp_run(test, env, &b,
						  UNAT_STAT_DHCP_NAK));
	/* A RELEASE by the other client changes nothing */
	b.type = UNAT_DHCPRELEASE;
	b.requested = 0;
	b.ciaddr = GUEST;
	KUNIT_EXPECT_NULL(test, unat_dhcp_run(test, env, &b,
					      UNAT_STAT_DROP_DHCP_IGNORED));
	KUNIT_EXPECT_TRUE(test, env->guest.lease.bound);

	/* Once the lease expires, the address is free again */
	env->ctx.now += (unsigned long)UNAT_DEFAULT_LEASE_TIME * HZ + 1;
	b.type = UNAT_DHCPDISCOVER;
	b.ciaddr = 0;
	KUNIT_EXPECT_NOT_NULL(test, unat_dhcp_run(test, env, &b,
						  UNAT_STAT_DHCP_OFFER));
}

static void unat_dhcp_inform_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	struct unat_dhcp_msg m = { .type = UNAT_DHCPINFORM,
				   .mac = unat_test_guest_mac,
				   .ciaddr = GUEST };
	struct sk_buff *r;

	r = unat_dhcp_run(test, env, &m, UNAT_STAT_DHCP_INFORM);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, unat_reply_type(test, r), UNAT_DHCPACK);
	KUNIT_EXPECT_EQ(test, *(__be32 *)(r->data + ETH_HLEN + 28 + 16), 0);
	KUNIT_EXPECT_NULL(test, unat_reply_opt(r, 51, &(u8){ 0 }));
	KUNIT_EXPECT_EQ(test, unat_reply_be32(test, r, 6), A(10, 0, 2, 3));
	KUNIT_EXPECT_FALSE(test, env->guest.lease.bound);
}

static void unat_dhcp_broadcast_flag_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	struct unat_dhcp_msg m = { .type = UNAT_DHCPDISCOVER,
				   .mac = unat_test_guest_mac,
				   .broadcast = true };
	const struct iphdr *iph;
	struct sk_buff *r;

	r = unat_dhcp_run(test, env, &m, UNAT_STAT_DHCP_OFFER);
	KUNIT_ASSERT_NOT_NULL(test, r);
	iph = (const struct iphdr *)(r->data + ETH_HLEN);
	KUNIT_EXPECT_EQ(test, iph->daddr, htonl(0xffffffff));
	KUNIT_EXPECT_TRUE(test, is_broadcast_ether_addr(r->data));
}

/* Domain and search list are sent; a search list too big for the client's
 * maximum message size is left out rather than truncated.
 */
static void unat_dhcp_names_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	struct unat_dhcp_msg m = { .type = UNAT_DHCPDISCOVER,
				   .mac = unat_test_guest_mac };
	struct sk_buff *r;
	const u8 *v;
	int i, n;
	u8 len;

	strscpy(env->cfg->domain, "corp.example", sizeof(env->cfg->domain));
	n = 0;
	for (i = 0; i < 20; i++)
		n += scnprintf(env->cfg->search + n, sizeof(env->cfg->search) - n,
			       "sub%02d.corp.example ", i);
	n = unat_dns_list_encode(env->cfg->search, env->cfg->search_wire,
				 sizeof(env->cfg->search_wire));
	KUNIT_ASSERT_GT(test, n, 255);	/* needs RFC 3396 splitting */
	env->cfg->search_wire_len = n;

	r = unat_dhcp_run(test, env, &m, UNAT_STAT_DHCP_OFFER);
	KUNIT_ASSERT_NOT_NULL(test, r);
	v = unat_reply_opt(r, 15, &len);
	KUNIT_ASSERT_NOT_NULL(test, v);
	KUNIT_EXPECT_EQ(test, len, 12);
	KUNIT_EXPECT_MEMEQ(test, v, "corp.example", 12);
	/* 576-byte default limit: no room for a 400-byte search list */
	KUNIT_EXPECT_NULL(test, unat_reply_opt(r, 119, &len));
	KUNIT_EXPECT_LE(test, r->len - ETH_HLEN, 576U);

	m.max_size = 1500;
	r = unat_dhcp_run(test, env, &m, UNAT_STAT_DHCP_OFFER);
	KUNIT_ASSERT_NOT_NULL(test, r);
	v = unat_reply_opt(r, 119, &len);
	KUNIT_ASSERT_NOT_NULL(test, v);
	KUNIT_EXPECT_EQ(test, len, 255);
	KUNIT_EXPECT_MEMEQ(test, v, env->cfg->search_wire, 255);
	/* the continuation instance follows directly */
	KUNIT_EXPECT_EQ(test, v[255], 119);
	KUNIT_EXPECT_EQ(test, v[256], n - 255);
}

struct unat_dhcp_bad {
	const char *name;
	const u8 *opts;
	unsigned int len;
	int cut;		/* bytes cut from the message's end */
	int want;		/* unat_dhcp_parse() */
};

static const struct unat_dhcp_bad unat_dhcp_bads[] = {
	{ "option past end", (const u8 *)"\x0c\x20\x61\x62\x63", 5, 1, -EINVAL },
	{ "type length 2", (const u8 *)"\x35\x02\x01\x01", 4, 0, -EINVAL },
	{ "two types", (const u8 *)"\x35\x01\x03", 3, 0, -EINVAL },
	{ "requested length 3", (const u8 *)"\x32\x03\x0a\x00\x02", 5, 0,
	  -EINVAL },
	{ "client id length 1", (const u8 *)"\x3d\x01\x01", 3, 0, -EINVAL },
	{ "empty hostname", (const u8 *)"\x0c\x00", 2, 0, -EINVAL },
	{ "length byte missing", (const u8 *)"\x0c", 1, 1, -EINVAL },
	{ "short fixed part", NULL, 0, 60, -EINVAL },
	{ "pads are fine", (const u8 *)"\x00\x00\x00", 3, 0, 0 },
	{ "unknown options are fine", (const u8 *)"\xf0\x03xyz", 5, 0, 0 },
};

static void unat_dhcp_bad_desc(const struct unat_dhcp_bad *b, char *desc)
{
	strscpy(desc, b->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(unat_dhcp_bad, unat_dhcp_bads, unat_dhcp_bad_desc);

static void unat_dhcp_parse_bad_test(struct kunit *test)
{
	const struct unat_dhcp_bad *b = test->param_value;
	struct unat_dhcp_msg m = { .type = UNAT_DHCPDISCOVER,
				   .mac = unat_test_guest_mac,
				   .extra = b->opts, .extra_len = b->len };
	struct unat_dhcp_req req;
	unsigned int n;
	u8 *buf;

	buf = kunit_kzalloc(test, 600, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	n = unat_test_dhcp_payload(buf, &m);
	/* "cut" drops the END option and more, leaving options open-ended */
	KUNIT_EXPECT_EQ(test, unat_dhcp_parse(buf, n - b->cut, &req), b->want);
}

static void unat_dhcp_parse_unserved_test(struct kunit *test)
{
	struct unat_dhcp_msg m = { .type = UNAT_DHCPDISCOVER,
				   .mac = unat_test_guest_mac };
	struct unat_dhcp_req req;
	unsigned int n;
	u8 *buf;

	buf = kunit_kzalloc(test, 600, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	n = unat_test_dhcp_payload(buf, &m);
	KUNIT_ASSERT_EQ(test, unat_dhcp_parse(buf, n, &req), 0);
	KUNIT_EXPECT_EQ(test, req.type, UNAT_DHCPDISCOVER);

	buf[0] = 2;			/* BOOTREPLY */
	KUNIT_EXPECT_EQ(test, unat_dhcp_parse(buf, n, &req), -EOPNOTSUPP);
	buf[0] = 1;
	buf[2] = 16;			/* not Ethernet */
	KUNIT_EXPECT_EQ(test, unat_dhcp_parse(buf, n, &req), -EOPNOTSUPP);
	buf[2] = 6;
	buf[24] = 10;			/* relayed */
	KUNIT_EXPECT_EQ(test, unat_dhcp_parse(buf, n, &req), -EOPNOTSUPP);
	buf[24] = 0;
	buf[236] = 0;			/* bad cookie */
	KUNIT_EXPECT_EQ(test, unat_dhcp_parse(buf, n, &req), -EINVAL);
	buf[236] = 0x63;
	buf[242] = 9;			/* unknown message type */
	KUNIT_EXPECT_EQ(test, unat_dhcp_parse(buf, n, &req), -EINVAL);
	buf[240] = 0xf0;		/* no message type: plain BOOTP */
	KUNIT_EXPECT_EQ(test, unat_dhcp_parse(buf, n, &req), -EOPNOTSUPP);
}

/* Frame-level damage reaching the DHCP server is counted, never answered. */
static void unat_dhcp_frame_bad_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	struct unat_dhcp_msg m = { .type = UNAT_DHCPDISCOVER,
				   .mac = unat_test_guest_mac };
	struct sk_buff *skb, *r;
	u8 *udp;

	/* wrong UDP checksum */
	skb = unat_test_dhcp_frame(test, env, &m);
	udp = skb->data + ETH_HLEN + 20;
	udp[6] ^= 0x55;
	KUNIT_EXPECT_EQ(test, unat_test_input(env, skb, &r),
			UNAT_STAT_DROP_BAD_CSUM);
	KUNIT_EXPECT_NULL(test, r);

	/* no UDP checksum at all is allowed over IPv4 */
	skb = unat_test_dhcp_frame(test, env, &m);
	udp = skb->data + ETH_HLEN + 20;
	udp[6] = 0;
	udp[7] = 0;
	KUNIT_EXPECT_EQ(test, unat_test_input(env, skb, &r),
			UNAT_STAT_DHCP_OFFER);
	if (r)
		unat_test_own(test, r);

	/* UDP length beyond the IP payload */
	skb = unat_test_dhcp_frame(test, env, &m);
	udp = skb->data + ETH_HLEN + 20;
	udp[4] = 0x7f;
	KUNIT_EXPECT_EQ(test, unat_test_input(env, skb, &r),
			UNAT_STAT_DROP_MALFORMED);

	/* UDP length below its header */
	skb = unat_test_dhcp_frame(test, env, &m);
	udp = skb->data + ETH_HLEN + 20;
	udp[4] = 0;
	udp[5] = 7;
	KUNIT_EXPECT_EQ(test, unat_test_input(env, skb, &r),
			UNAT_STAT_DROP_MALFORMED);
}

static struct kunit_case unat_dhcp_cases[] = {
	KUNIT_CASE(unat_dhcp_exchange_test),
	KUNIT_CASE(unat_dhcp_nak_test),
	KUNIT_CASE(unat_dhcp_second_client_test),
	KUNIT_CASE(unat_dhcp_inform_test),
	KUNIT_CASE(unat_dhcp_broadcast_flag_test),
	KUNIT_CASE(unat_dhcp_names_test),
	KUNIT_CASE_PARAM(unat_dhcp_parse_bad_test, unat_dhcp_bad_gen_params),
	KUNIT_CASE(unat_dhcp_parse_unserved_test),
	KUNIT_CASE(unat_dhcp_frame_bad_test),
	{}
};

struct kunit_suite unat_dhcp_suite = {
	.name = "unat_dhcp",
	.test_cases = unat_dhcp_cases,
};
