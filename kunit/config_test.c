// SPDX-License-Identifier: GPL-2.0
/*
 * Link attributes: parsing with the device's policy, defaults, validation,
 * and the extack message a user sees for each mistake.
 */
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/inetdevice.h>
#include <net/netlink.h>

#include "types.h"

struct unat_attr_case {
	const char *name;
	int type;
	int len;		/* 0: as the type implies */
	u32 value;
	const char *str;
	const char *msg;	/* NULL: accepted */
};

#define A(a, b, c, d)	htonl(((a) << 24) | ((b) << 16) | ((c) << 8) | (d))

static int unat_put(struct sk_buff *skb, const struct unat_attr_case *c)
{
	switch (c->type) {
	case IFLA_UNAT_PREFIXLEN:
		return nla_put_u8(skb, c->type, c->value);
	case IFLA_UNAT_MTU:
	case IFLA_UNAT_LEASE_TIME:
		return nla_put_u32(skb, c->type, c->value);
	case IFLA_UNAT_DOMAIN:
	case IFLA_UNAT_SEARCH:
		return nla_put_string(skb, c->type, c->str);
	default:
		return nla_put(skb, c->type, c->len ?: 4, &c->value);
	}
}

/*
 * Parse attributes as the rtnetlink core does for IFLA_INFO_DATA, then apply
 * and validate as newlink does.  Returns the error; @msg gets extack's text.
 */
static int unat_try(struct kunit *test, const struct unat_attr_case *cases,
		    int n, struct unat_config *cfg, const char **msg)
{
	struct netlink_ext_ack extack = {};
	struct nlattr *tb[IFLA_UNAT_MAX + 1];
	struct nlattr *nest;
	struct sk_buff *skb;
	int i, err;

	skb = alloc_skb(4096, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	nest = nla_nest_start(skb, 1);
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, 0, unat_put(skb, &cases[i]));
	nla_nest_end(skb, nest);

	unat_config_set_defaults(cfg);
	err = nla_parse_nested_deprecated(tb, IFLA_UNAT_MAX, nest,
					  unat_link_policy, &extack);
	if (!err)
		err = unat_config_apply(cfg, tb, true, &extack) ?:
		      unat_config_validate(cfg, &extack);
	*msg = extack._msg;
	kfree_skb(skb);
	return err;
}

static const struct unat_attr_case unat_cases[] = {
	{ "defaults", 0, 0, 0, NULL, NULL },
	{ "gateway outside", IFLA_UNAT_GATEWAY, 0, A(10, 0, 3, 2), NULL,
	  "gateway must be a host address inside the subnet" },
	{ "gateway is network", IFLA_UNAT_GATEWAY, 0, A(10, 0, 2, 0), NULL,
	  "gateway must be a host address inside the subnet" },
	{ "dns is broadcast", IFLA_UNAT_DNS, 0, A(10, 0, 2, 255), NULL,
	  "DNS address must be a host address inside the subnet" },
	{ "guest equals gateway", IFLA_UNAT_GUEST, 0, A(10, 0, 2, 2), NULL,
	  "guest address must differ from the gateway and DNS addresses" },
	{ "guest outside", IFLA_UNAT_GUEST, 0, A(192, 168, 1, 5), NULL,
	  "guest address must be a host address inside the subnet" },
	{ "prefix too long", IFLA_UNAT_PREFIXLEN, 0, 31, NULL,
	  "subnet prefix length must be between 8 and 30" },
	{ "prefix too short", IFLA_UNAT_PREFIXLEN, 0, 4, NULL,
	  "subnet prefix length must be between 8 and 30" },
	{ "host bits", IFLA_UNAT_SUBNET, 0, A(10, 0, 2, 1), NULL,
	  "subnet address has host bits set" },
	{ "loopback subnet", IFLA_UNAT_SUBNET, 0, A(127, 0, 0, 0), NULL,
	  "subnet must be a unicast IPv4 network" },
	{ "multicast subnet", IFLA_UNAT_SUBNET, 0, A(224, 0, 0, 0), NULL,
	  "subnet must be a unicast IPv4 network" },
	{ "mtu too small", IFLA_UNAT_MTU, 0, 575, NULL,
	  "MTU must be between 576 and 65535" },
	{ "mtu too big", IFLA_UNAT_MTU, 0, 65536, NULL,
	  "MTU must be between 576 and 65535" },
	{ "mtu 1500", IFLA_UNAT_MTU, 0, 1500, NULL, NULL },
	{ "lease too short", IFLA_UNAT_LEASE_TIME, 0, 59, NULL,
	  "lease time must be between 60 s and one year" },
	{ "bad domain", IFLA_UNAT_DOMAIN, 0, 0, "bad..example",
	  "domain is not a valid DNS name" },
	{ "domain char", IFLA_UNAT_DOMAIN, 0, 0, "ex ample",
	  "domain is not a valid DNS name" },
	{ "good domain", IFLA_UNAT_DOMAIN, 0, 0, "corp.example.", NULL },
	{ "bad search", IFLA_UNAT_SEARCH, 0, 0, "a.example b..example",
	  "search list holds an invalid DNS name" },
	{ "good search", IFLA_UNAT_SEARCH, 0, 0, "a.example b.example", NULL },
	{ "read-only mac", IFLA_UNAT_GATEWAY_MAC, 6, 0, NULL,
	  "the gateway MAC address is read-only" },
};

static void unat_case_desc(const struct unat_attr_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(unat_attr, unat_cases, unat_case_desc);

static void unat_config_attr_test(struct kunit *test)
{
	const struct unat_attr_case *c = test->param_value;
	struct unat_config *cfg;
	const char *msg = NULL;
	int err;

	cfg = kunit_kzalloc(test, sizeof(*cfg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cfg);
	err = unat_try(test, c, c->type ? 1 : 0, cfg, &msg);
	if (!c->msg) {
		KUNIT_EXPECT_EQ(test, err, 0);
		return;
	}
	KUNIT_EXPECT_LT(test, err, 0);
	KUNIT_ASSERT_NOT_NULL(test, msg);
	KUNIT_EXPECT_STREQ(test, msg, c->msg);
}

/* A short address attribute fails the policy, before unat sees it. */
static void unat_config_short_attr_test(struct kunit *test)
{
	const struct unat_attr_case c = { "short", IFLA_UNAT_GATEWAY, 2 };
	struct unat_config *cfg;
	const char *msg;

	cfg = kunit_kzalloc(test, sizeof(*cfg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cfg);
	KUNIT_EXPECT_EQ(test, unat_try(test, &c, 1, cfg, &msg), -ERANGE);
}

static void unat_config_defaults_test(struct kunit *test)
{
	struct unat_config *cfg;

	cfg = kunit_kzalloc(test, sizeof(*cfg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cfg);
	unat_config_set_defaults(cfg);
	KUNIT_EXPECT_EQ(test, cfg->subnet, A(10, 0, 2, 0));
	KUNIT_EXPECT_EQ(test, cfg->netmask, A(255, 255, 255, 0));
	KUNIT_EXPECT_EQ(test, cfg->gateway, A(10, 0, 2, 2));
	KUNIT_EXPECT_EQ(test, cfg->dns, A(10, 0, 2, 3));
	KUNIT_EXPECT_EQ(test, cfg->guest, A(10, 0, 2, 15));
	KUNIT_EXPECT_TRUE(test, is_valid_ether_addr(cfg->gw_mac));
	KUNIT_EXPECT_EQ(test, unat_config_validate(cfg, NULL), 0);
}

/* A subnet alone moves the service addresses to .2, .3 and .15 in it. */
static void unat_config_subnet_moves_test(struct kunit *test)
{
	const struct unat_attr_case c[] = {
		{ "net", IFLA_UNAT_SUBNET, 0, A(192, 168, 50, 0) },
		{ "plen", IFLA_UNAT_PREFIXLEN, 0, 24 },
		{ "gw", IFLA_UNAT_GATEWAY, 0, A(192, 168, 50, 1) },
	};
	struct unat_config *cfg;
	const char *msg;

	cfg = kunit_kzalloc(test, sizeof(*cfg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cfg);
	KUNIT_ASSERT_EQ(test, unat_try(test, c, 3, cfg, &msg), 0);
	KUNIT_EXPECT_EQ(test, cfg->gateway, A(192, 168, 50, 1));
	KUNIT_EXPECT_EQ(test, cfg->dns, A(192, 168, 50, 3));
	KUNIT_EXPECT_EQ(test, cfg->guest, A(192, 168, 50, 15));
	/* A /29 has no .15: the guest must then be given. */
	{
		const struct unat_attr_case d[] = {
			{ "net", IFLA_UNAT_SUBNET, 0, A(192, 168, 50, 8) },
			{ "plen", IFLA_UNAT_PREFIXLEN, 0, 29 },
		};

		KUNIT_EXPECT_EQ(test, unat_try(test, d, 2, cfg, &msg),
				-EINVAL);
		KUNIT_EXPECT_STREQ(test, msg,
				   "guest address must be a host address inside the subnet");
	}
}

static struct kunit_case unat_config_cases[] = {
	KUNIT_CASE_PARAM(unat_config_attr_test, unat_attr_gen_params),
	KUNIT_CASE(unat_config_short_attr_test),
	KUNIT_CASE(unat_config_defaults_test),
	KUNIT_CASE(unat_config_subnet_moves_test),
	{}
};

struct kunit_suite unat_config_suite = {
	.name = "unat_config",
	.test_cases = unat_config_cases,
};

static void unat_dnsname_encode_test(struct kunit *test)
{
	static const u8 want[] = { 3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm',
				   'p', 'l', 'e', 3, 'o', 'r', 'g', 0 };
	u8 out[UNAT_DNS_WIRE_MAX];

	KUNIT_ASSERT_EQ(test, unat_dns_name_encode("www.example.org", 15, out,
						   sizeof(out)), 17);
	KUNIT_EXPECT_MEMEQ(test, out, want, 17);
	KUNIT_EXPECT_EQ(test,
			unat_dns_name_encode("www.example.org.", 16, out,
					     sizeof(out)), 17);
	KUNIT_EXPECT_EQ(test, unat_dns_name_encode("", 0, out, sizeof(out)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, unat_dns_name_encode(".", 1, out, sizeof(out)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test,
			unat_dns_name_encode("a..b", 4, out, sizeof(out)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, unat_dns_name_encode("a/b", 3, out, sizeof(out)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, unat_dns_name_encode("abc", 3, out, 4), -ENOSPC);
}

static void unat_dnsname_limits_test(struct kunit *test)
{
	char *name = kunit_kzalloc(test, 300, GFP_KERNEL);
	u8 *out = kunit_kzalloc(test, 512, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, name);
	KUNIT_ASSERT_NOT_NULL(test, out);
	memset(name, 'a', 64);
	KUNIT_EXPECT_EQ(test, unat_dns_name_encode(name, 64, out, 512),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, unat_dns_name_encode(name, 63, out, 512),
			65);
	/* 4 labels of 63 and dots: 255 octets of wire form, one too many. */
	memset(name, 'a', 300);
	name[63] = '.';
	name[127] = '.';
	name[191] = '.';
	KUNIT_EXPECT_EQ(test, unat_dns_name_encode(name, 255, out,
						   512), -EINVAL);
	KUNIT_EXPECT_EQ(test, unat_dns_name_encode(name, 253, out,
						   512), 255);
}

static void unat_dnsname_list_test(struct kunit *test)
{
	static const u8 want[] = { 1, 'a', 1, 'b', 0, 1, 'c', 0 };
	u8 out[64];

	KUNIT_EXPECT_EQ(test, unat_dns_list_encode("a.b, c", out, sizeof(out)),
			5 + 3);
	KUNIT_EXPECT_MEMEQ(test, out, want, sizeof(want));
	KUNIT_EXPECT_EQ(test, unat_dns_list_encode("  ", out, sizeof(out)), 0);
	KUNIT_EXPECT_EQ(test, unat_dns_list_encode("a b..c", out, sizeof(out)),
			-EINVAL);
}

static struct kunit_case unat_dnsname_cases[] = {
	KUNIT_CASE(unat_dnsname_encode_test),
	KUNIT_CASE(unat_dnsname_limits_test),
	KUNIT_CASE(unat_dnsname_list_test),
	{}
};

struct kunit_suite unat_dnsname_suite = {
	.name = "unat_dnsname",
	.test_cases = unat_dnsname_cases,
};
