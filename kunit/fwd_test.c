// SPDX-License-Identifier: GPL-2.0
/*
 * Port forwards: what a request may ask (unat_fwd_check()), and how the
 * guest sees a forward's client over IPv4 and IPv6 (unat_fwd_flow_key(),
 * unat_fwd_flow_key6()).
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/inet.h>
#include <net/ipv6.h>
#include <uapi/linux/unat.h>

#include "flow.h"
#include "fwd.h"
#include "helpers.h"

struct unat_fwd_check_case {
	const char *name;
	struct unat_fwd_req req;
	int err;
};

static const struct unat_fwd_check_case unat_fwd_check_cases[] = {
	{ "tcp single", { IPPROTO_TCP, 0, 8080, 80, 1, 0 }, 0 },
	{ "udp range", { IPPROTO_UDP, 0, 6000, 7000, 1024, 0 }, 0 },
	{ "picked port", { IPPROTO_TCP, 0, 0, 80, 1, 0 }, 0 },
	{ "range to the last port", { IPPROTO_TCP, 0, 65534, 80, 2, 0 }, 0 },
	{ "gateway source", { IPPROTO_TCP, 0, 22, 22, 1,
			      UNAT_FWD_F_GATEWAY_SOURCE }, 0 },
	{ "icmp", { IPPROTO_ICMP, 0, 80, 80, 1, 0 }, -EPROTONOSUPPORT },
	{ "no ports", { IPPROTO_TCP, 0, 80, 80, 0, 0 }, -EINVAL },
	{ "too many ports", { IPPROTO_TCP, 0, 1000, 1000, 1025, 0 }, -EINVAL },
	{ "picked port with a range", { IPPROTO_TCP, 0, 0, 80, 2, 0 },
	  -EINVAL },
	{ "host range past 65535", { IPPROTO_TCP, 0, 65535, 80, 2, 0 },
	  -ERANGE },
	{ "guest range past 65535", { IPPROTO_UDP, 0, 80, 65000, 600, 0 },
	  -ERANGE },
	{ "guest port 0", { IPPROTO_TCP, 0, 0, 0, 1, 0 }, -EINVAL },
	{ "multicast address", { IPPROTO_UDP, htonl(0xe0000001), 80, 80, 1,
				 0 }, -EADDRNOTAVAIL },
	{ "broadcast address", { IPPROTO_UDP, htonl(0xffffffff), 80, 80, 1,
				 0 }, -EADDRNOTAVAIL },
};

static void unat_fwd_check_test(struct kunit *test)
{
	const struct unat_fwd_check_case *c;
	int i;

	for (i = 0; i < ARRAY_SIZE(unat_fwd_check_cases); i++) {
		c = &unat_fwd_check_cases[i];
		KUNIT_EXPECT_EQ_MSG(test, unat_fwd_check(&c->req, NULL), c->err,
				    "%s", c->name);
	}
}

/* The key a client gets, first choice of port. */
static struct unat_flow_key unat_fwd_key(const struct unat_config *cfg,
					 u32 client, u16 cport, bool gw,
					 unsigned int try)
{
	struct unat_flow_key key;

	unat_fwd_flow_key(cfg, IPPROTO_TCP, htons(80), htonl(client),
			  htons(cport), gw, try, &key);
	return key;
}

static void unat_fwd_key_client_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	const struct unat_config *cfg = env->cfg;
	struct unat_flow_key key;

	/* a client out there is itself */
	key = unat_fwd_key(cfg, 0xcb007102, 40000, false, 0);
	KUNIT_EXPECT_EQ(test, key.kind, UNAT_FLOW_KIND_FWD);
	KUNIT_EXPECT_EQ(test, key.proto, IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, key.family, AF_INET);
	KUNIT_EXPECT_EQ(test, key.gaddr.v4, cfg->guest);
	KUNIT_EXPECT_EQ(test, ntohs(key.gport), 80);
	KUNIT_EXPECT_EQ(test, ntohl(key.raddr.v4), 0xcb007102);
	KUNIT_EXPECT_EQ(test, ntohs(key.rport), 40000);
	/* unless the forward says otherwise: then the gateway, same port */
	key = unat_fwd_key(cfg, 0xcb007102, 40000, true, 0);
	KUNIT_EXPECT_EQ(test, key.raddr.v4, cfg->gateway);
	KUNIT_EXPECT_EQ(test, ntohs(key.rport), 40000);
}

/* Addresses that would not lead back to the host become the gateway. */
static void unat_fwd_key_hidden_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	const struct unat_config *cfg = env->cfg;
	static const u32 hidden[] = {
		0x7f000001,	/* loopback */
		0x7f0a0b0c,
		0x0a000263,	/* the guest's subnet */
		0x0a00020f,	/* the guest itself */
		0x0a000202,	/* the gateway */
		0x0a000203,	/* the DNS address */
		0x00000000,
	};
	struct unat_flow_key key;
	int i;

	for (i = 0; i < ARRAY_SIZE(hidden); i++) {
		key = unat_fwd_key(cfg, hidden[i], 1234, false, 0);
		KUNIT_EXPECT_EQ_MSG(test, key.raddr.v4, cfg->gateway,
				    "client %08x", hidden[i]);
	}
	/* a neighbour of the subnet is not in it */
	key = unat_fwd_key(cfg, 0x0a000300, 1234, false, 0);
	KUNIT_EXPECT_EQ(test, ntohl(key.raddr.v4), 0x0a000300);
}

/* Later choices: other ports, the same for the same client every time. */
static void unat_fwd_key_tries_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	u16 ports[UNAT_FWD_PORT_TRIES];
	struct unat_flow_key key;
	int i, j, same = 0;

	for (i = 0; i < UNAT_FWD_PORT_TRIES; i++) {
		key = unat_fwd_key(env->cfg, 0x7f000001, 5000, false, i);
		ports[i] = ntohs(key.rport);
		KUNIT_EXPECT_EQ(test, key.raddr.v4, env->cfg->gateway);
		if (i)
			KUNIT_EXPECT_GE(test, ports[i], 1024);
		key = unat_fwd_key(env->cfg, 0x7f000001, 5000, false, i);
		KUNIT_EXPECT_EQ(test, ntohs(key.rport), ports[i]);
	}
	KUNIT_EXPECT_EQ(test, ports[0], 5000);
	for (i = 0; i < UNAT_FWD_PORT_TRIES; i++)
		for (j = i + 1; j < UNAT_FWD_PORT_TRIES; j++)
			same += ports[i] == ports[j];
	KUNIT_EXPECT_LE(test, same, 1);
	/* another client's second choice is another port */
	key = unat_fwd_key(env->cfg, 0x7f000002, 5000, false, 1);
	KUNIT_EXPECT_NE(test, ntohs(key.rport), ports[1]);
}

/* An IPv6 forward's host address: unicast and bindable, or refused. */
static void unat_fwd_check6_test(struct kunit *test)
{
	static const struct {
		const char *addr;
		int err;
	} cases[] = {
		{ "::", 0 },
		{ "::1", 0 },
		{ "2001:db8::1", 0 },
		{ "fd00::5", 0 },
		{ "ff02::1", -EADDRNOTAVAIL },
		{ "fe80::1", -EADDRNOTAVAIL },
		{ "::ffff:192.0.2.1", -EADDRNOTAVAIL },
	};
	struct unat_fwd_req req = {
		.proto = IPPROTO_TCP, .port = 8080, .gport = 80, .count = 1,
		.ipv6 = true,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		KUNIT_ASSERT_EQ(test, in6_pton(cases[i].addr, -1,
					       req.addr6.s6_addr, -1, NULL), 1);
		KUNIT_EXPECT_EQ_MSG(test, unat_fwd_check(&req, NULL),
				    cases[i].err, "%s", cases[i].addr);
	}
}

static void unat_test_in6(struct kunit *test, const char *s,
			  struct in6_addr *a)
{
	KUNIT_ASSERT_EQ(test, in6_pton(s, -1, a->s6_addr, -1, NULL), 1);
}

/*
 * An IPv6 client: itself, at the guest's address; the gateway when its
 * address would not lead back here; other ports on later tries.
 */
static void unat_fwd_key6_test(struct kunit *test)
{
	struct unat_test_env *env = unat_test_env(test);
	const struct unat_config *cfg = env->cfg;
	static const char * const hidden[] = {
		"::1", "::", "fe80::1", "::ffff:203.0.113.2",
		"fd75:6e61:7400:2::99",		/* the guest's prefix */
	};
	struct in6_addr guest, client, a;
	struct unat_flow_key key, again;
	int i;

	unat_test_in6(test, "fd75:6e61:7400:2::1234", &guest);
	unat_test_in6(test, "2001:db8:5::2", &client);
	unat_fwd_flow_key6(cfg, &guest, IPPROTO_TCP, htons(80), &client,
			   htons(40000), false, 0, &key);
	KUNIT_EXPECT_EQ(test, key.family, AF_INET6);
	KUNIT_EXPECT_EQ(test, key.kind, UNAT_FLOW_KIND_FWD);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&key.gaddr.v6, &guest));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&key.raddr.v6, &client));
	KUNIT_EXPECT_EQ(test, ntohs(key.gport), 80);
	KUNIT_EXPECT_EQ(test, ntohs(key.rport), 40000);
	/* source gateway */
	unat_fwd_flow_key6(cfg, &guest, IPPROTO_TCP, htons(80), &client,
			   htons(40000), true, 0, &key);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&key.raddr.v6,
						&cfg->gateway6));
	for (i = 0; i < ARRAY_SIZE(hidden); i++) {
		unat_test_in6(test, hidden[i], &a);
		unat_fwd_flow_key6(cfg, &guest, IPPROTO_UDP, htons(53), &a,
				   htons(1234), false, 0, &key);
		KUNIT_EXPECT_TRUE_MSG(test, ipv6_addr_equal(&key.raddr.v6,
							    &cfg->gateway6),
				      "client %s", hidden[i]);
	}
	/* a later try: another port, the same each time */
	unat_fwd_flow_key6(cfg, &guest, IPPROTO_TCP, htons(80), &client,
			   htons(40000), false, 1, &key);
	unat_fwd_flow_key6(cfg, &guest, IPPROTO_TCP, htons(80), &client,
			   htons(40000), false, 1, &again);
	KUNIT_EXPECT_NE(test, ntohs(key.rport), 40000);
	KUNIT_EXPECT_GE(test, ntohs(key.rport), 1024);
	KUNIT_EXPECT_EQ(test, key.rport, again.rport);
}

static struct kunit_case unat_fwd_cases[] = {
	KUNIT_CASE(unat_fwd_check6_test),
	KUNIT_CASE(unat_fwd_key6_test),
	KUNIT_CASE(unat_fwd_check_test),
	KUNIT_CASE(unat_fwd_key_client_test),
	KUNIT_CASE(unat_fwd_key_hidden_test),
	KUNIT_CASE(unat_fwd_key_tries_test),
	{}
};

struct kunit_suite unat_fwd_suite = {
	.name = "unat_fwd",
	.test_cases = unat_fwd_cases,
};
