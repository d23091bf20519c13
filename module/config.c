// SPDX-License-Identifier: GPL-2.0
/*
 * The guest network's configuration: defaults, link attributes
 * (IFLA_INFO_DATA) and their validation, and `ip -d link` output.
 */
#include <kunit/visibility.h>
#include <linux/etherdevice.h>
#include <linux/inet.h>
#include <linux/inetdevice.h>
#include <net/netlink.h>

#include "types.h"

const struct nla_policy unat_link_policy[IFLA_UNAT_MAX + 1] = {
	[IFLA_UNAT_SUBNET]	= { .type = NLA_BE32 },
	[IFLA_UNAT_PREFIXLEN]	= { .type = NLA_U8 },
	[IFLA_UNAT_GATEWAY]	= { .type = NLA_BE32 },
	[IFLA_UNAT_DNS]		= { .type = NLA_BE32 },
	[IFLA_UNAT_GUEST]	= { .type = NLA_BE32 },
	[IFLA_UNAT_MTU]		= { .type = NLA_U32 },
	[IFLA_UNAT_LEASE_TIME]	= { .type = NLA_U32 },
	[IFLA_UNAT_DOMAIN]	= { .type = NLA_NUL_STRING,
				    .len = UNAT_MAX_SEARCH_LEN },
	[IFLA_UNAT_SEARCH]	= { .type = NLA_NUL_STRING,
				    .len = UNAT_MAX_SEARCH_LEN },
	[IFLA_UNAT_GATEWAY_MAC]	= { .type = NLA_REJECT,
				    .reject_message = "the gateway MAC address is read-only" },
	[IFLA_UNAT_HOSTLOOP]	= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_UNAT_RESTRICT]	= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_UNAT_FWDS]	= { .type = NLA_NESTED },
	[IFLA_UNAT_IPV6]	= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_UNAT_PREFIX6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[IFLA_UNAT_GATEWAY6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[IFLA_UNAT_DNS6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[IFLA_UNAT_GATEWAY6_LL]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[IFLA_UNAT_GUEST6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
};
EXPORT_SYMBOL_IF_KUNIT(unat_link_policy);

void unat_config_set_defaults(struct unat_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->subnet = htonl(UNAT_DEFAULT_SUBNET);
	cfg->prefixlen = UNAT_DEFAULT_PREFIXLEN;
	cfg->netmask = inet_make_mask(cfg->prefixlen);
	cfg->gateway = htonl(UNAT_DEFAULT_GATEWAY);
	cfg->dns = htonl(UNAT_DEFAULT_DNS);
	cfg->guest = htonl(UNAT_DEFAULT_GUEST);
	cfg->lease_time = UNAT_DEFAULT_LEASE_TIME;
	cfg->udp_timeout = UNAT_DEFAULT_UDP_TIMEOUT;
	cfg->tcp_timeout = UNAT_DEFAULT_TCP_TIMEOUT;
	cfg->flow_limit = UNAT_DEFAULT_FLOW_LIMIT;
	cfg->connect_limit = UNAT_DEFAULT_CONNECT_LIMIT;
	cfg->port_share = UNAT_DEFAULT_PORT_SHARE;
	cfg->queue_limit = UNAT_DEFAULT_QUEUE_LIMIT;
	cfg->hostloop = true;
	cfg->ipv6 = true;
	in6_pton(UNAT_DEFAULT_PREFIX6, -1, cfg->prefix6.s6_addr, -1, NULL);
	in6_pton(UNAT_DEFAULT_GATEWAY6, -1, cfg->gateway6.s6_addr, -1, NULL);
	in6_pton(UNAT_DEFAULT_DNS6, -1, cfg->dns6.s6_addr, -1, NULL);
	in6_pton(UNAT_DEFAULT_GATEWAY6_LL, -1, cfg->gateway6_ll.s6_addr, -1,
		 NULL);
	in6_pton(UNAT_DEFAULT_GUEST6, -1, cfg->guest6.s6_addr, -1, NULL);
	eth_random_addr(cfg->gw_mac);
}
EXPORT_SYMBOL_IF_KUNIT(unat_config_set_defaults);

static __be32 unat_host_addr(const struct unat_config *cfg, u32 host)
{
	return cfg->subnet | htonl(host);
}

static int unat_config_apply_subnet(struct unat_config *cfg,
				    struct nlattr *data[], bool create,
				    struct netlink_ext_ack *extack)
{
	if (data[IFLA_UNAT_PREFIXLEN]) {
		u8 plen = nla_get_u8(data[IFLA_UNAT_PREFIXLEN]);

		if (plen < 8 || plen > 30) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_UNAT_PREFIXLEN],
					    "subnet prefix length must be between 8 and 30");
			return -EINVAL;
		}
		cfg->prefixlen = plen;
		cfg->netmask = inet_make_mask(plen);
	}
	if (data[IFLA_UNAT_SUBNET])
		cfg->subnet = nla_get_be32(data[IFLA_UNAT_SUBNET]);
	else if (data[IFLA_UNAT_PREFIXLEN])
		cfg->subnet &= cfg->netmask;

	/* A new subnet moves the unnamed service addresses along, as QEMU's
	 * "net=" does: gateway .2, DNS .3, first guest .15.
	 */
	if (create && (data[IFLA_UNAT_SUBNET] || data[IFLA_UNAT_PREFIXLEN])) {
		cfg->gateway = unat_host_addr(cfg, 2);
		cfg->dns = unat_host_addr(cfg, 3);
		cfg->guest = unat_host_addr(cfg, 15);
	}
	return 0;
}

/* @addr moved into @prefix, keeping its interface identifier. */
static void unat_renumber6(struct in6_addr *addr,
			   const struct in6_addr *prefix)
{
	addr->s6_addr32[0] = prefix->s6_addr32[0];
	addr->s6_addr32[1] = prefix->s6_addr32[1];
}

/*
 * A new prefix renumbers the gateway, DNS and guest addresses that the
 * request does not name: their interface identifiers stay (::2, ::3, ::15
 * by default), at creation and at run time alike.
 */
static void unat_config_apply_ipv6(struct unat_config *cfg,
				   struct nlattr *data[])
{
	if (data[IFLA_UNAT_IPV6])
		cfg->ipv6 = nla_get_u8(data[IFLA_UNAT_IPV6]);
	if (data[IFLA_UNAT_PREFIX6]) {
		cfg->prefix6 = nla_get_in6_addr(data[IFLA_UNAT_PREFIX6]);
		unat_renumber6(&cfg->gateway6, &cfg->prefix6);
		unat_renumber6(&cfg->dns6, &cfg->prefix6);
		unat_renumber6(&cfg->guest6, &cfg->prefix6);
	}
	if (data[IFLA_UNAT_GATEWAY6])
		cfg->gateway6 = nla_get_in6_addr(data[IFLA_UNAT_GATEWAY6]);
	if (data[IFLA_UNAT_DNS6])
		cfg->dns6 = nla_get_in6_addr(data[IFLA_UNAT_DNS6]);
	if (data[IFLA_UNAT_GATEWAY6_LL])
		cfg->gateway6_ll = nla_get_in6_addr(data[IFLA_UNAT_GATEWAY6_LL]);
	if (data[IFLA_UNAT_GUEST6])
		cfg->guest6 = nla_get_in6_addr(data[IFLA_UNAT_GUEST6]);
}

int unat_config_set_domain(struct unat_config *cfg, const struct nlattr *attr,
			   struct netlink_ext_ack *extack)
{
	const char *name = nla_data(attr);
	u8 wire[UNAT_DNS_WIRE_MAX];
	size_t len = strlen(name);

	if (len && (len > UNAT_MAX_NAME_LEN ||
		    unat_dns_name_encode(name, len, wire, sizeof(wire)) < 0)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "domain is not a valid DNS name");
		return -EINVAL;
	}
	strscpy(cfg->domain, name, sizeof(cfg->domain));
	return 0;
}

int unat_config_set_search(struct unat_config *cfg, const struct nlattr *attr,
			   struct netlink_ext_ack *extack)
{
	const char *list = nla_data(attr);
	int ret;

	ret = unat_dns_list_encode(list, cfg->search_wire,
				   sizeof(cfg->search_wire));
	if (ret < 0) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "search list holds an invalid DNS name");
		return -EINVAL;
	}
	cfg->search_wire_len = ret;
	strscpy(cfg->search, list, sizeof(cfg->search));
	return 0;
}

static int unat_config_apply_names(struct unat_config *cfg,
				   struct nlattr *data[],
				   struct netlink_ext_ack *extack)
{
	int ret = 0;

	if (data[IFLA_UNAT_DOMAIN])
		ret = unat_config_set_domain(cfg, data[IFLA_UNAT_DOMAIN], extack);
	if (!ret && data[IFLA_UNAT_SEARCH])
		ret = unat_config_set_search(cfg, data[IFLA_UNAT_SEARCH], extack);
	return ret;
}

/*
 * Apply the attributes in @data to @cfg, which holds the defaults (create)
 * or a copy of the current configuration (change).  Checks each attribute
 * on its own; unat_config_validate() checks the whole afterwards.
 */
int unat_config_apply(struct unat_config *cfg, struct nlattr *data[],
		      bool create, struct netlink_ext_ack *extack)
{
	int ret;

	if (!data)
		return 0;
	ret = unat_config_apply_subnet(cfg, data, create, extack);
	if (ret)
		return ret;
	if (data[IFLA_UNAT_GATEWAY])
		cfg->gateway = nla_get_be32(data[IFLA_UNAT_GATEWAY]);
	if (data[IFLA_UNAT_DNS])
		cfg->dns = nla_get_be32(data[IFLA_UNAT_DNS]);
	if (data[IFLA_UNAT_GUEST])
		cfg->guest = nla_get_be32(data[IFLA_UNAT_GUEST]);
	if (data[IFLA_UNAT_MTU]) {
		u32 mtu = nla_get_u32(data[IFLA_UNAT_MTU]);

		if (mtu < UNAT_MIN_MTU || mtu > UNAT_MAX_MTU) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_UNAT_MTU],
					    "MTU must be between 576 and 65535");
			return -EINVAL;
		}
	}
	if (data[IFLA_UNAT_LEASE_TIME]) {
		u32 t = nla_get_u32(data[IFLA_UNAT_LEASE_TIME]);

		if (t < UNAT_MIN_LEASE_TIME || t > UNAT_MAX_LEASE_TIME) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_UNAT_LEASE_TIME],
					    "lease time must be between 60 s and one year");
			return -EINVAL;
		}
		cfg->lease_time = t;
	}
	if (data[IFLA_UNAT_HOSTLOOP])
		cfg->hostloop = nla_get_u8(data[IFLA_UNAT_HOSTLOOP]);
	if (data[IFLA_UNAT_RESTRICT])
		cfg->restricted = nla_get_u8(data[IFLA_UNAT_RESTRICT]);
	unat_config_apply_ipv6(cfg, data);
	return unat_config_apply_names(cfg, data, extack);
}
EXPORT_SYMBOL_IF_KUNIT(unat_config_apply);

/* A unicast host address of the subnet: neither network nor broadcast. */
static bool unat_config_host_ok(const struct unat_config *cfg, __be32 addr)
{
	return unat_config_in_subnet(cfg, addr) && addr != cfg->subnet &&
	       addr != unat_config_broadcast(cfg);
}

/* A unicast address of the prefix, not its subnet-router anycast (::). */
static bool unat_config_host6_ok(const struct unat_config *cfg,
				 const struct in6_addr *addr)
{
	return unat_config_in_prefix6(cfg, addr) &&
	       (addr->s6_addr32[2] || addr->s6_addr32[3]);
}

static int unat_config_validate6(const struct unat_config *cfg,
				 struct netlink_ext_ack *extack)
{
	const struct in6_addr *p = &cfg->prefix6;
	int type = ipv6_addr_type(p);

	if (p->s6_addr32[2] || p->s6_addr32[3]) {
		NL_SET_ERR_MSG(extack, "IPv6 prefix is a /64: its last 64 bits must be zero");
		return -EINVAL;
	}
	if (ipv6_addr_any(p) || ipv6_addr_v4mapped(p) ||
	    (type & (IPV6_ADDR_MULTICAST | IPV6_ADDR_LINKLOCAL |
		     IPV6_ADDR_LOOPBACK | IPV6_ADDR_SITELOCAL))) {
		NL_SET_ERR_MSG(extack,
			       "IPv6 prefix must be a global or unique local unicast prefix");
		return -EINVAL;
	}
	if (!unat_config_host6_ok(cfg, &cfg->gateway6)) {
		NL_SET_ERR_MSG(extack, "IPv6 gateway must be a host address inside the prefix");
		return -EINVAL;
	}
	if (!unat_config_host6_ok(cfg, &cfg->dns6)) {
		NL_SET_ERR_MSG(extack, "IPv6 DNS address must be a host address inside the prefix");
		return -EINVAL;
	}
	if (!unat_config_host6_ok(cfg, &cfg->guest6) ||
	    unat_config_is_gateway6(cfg, &cfg->guest6)) {
		NL_SET_ERR_MSG(extack,
			       "IPv6 guest address must be a host address inside the prefix, not the gateway's");
		return -EINVAL;
	}
	if (!(ipv6_addr_type(&cfg->gateway6_ll) & IPV6_ADDR_LINKLOCAL) ||
	    !(ipv6_addr_type(&cfg->gateway6_ll) & IPV6_ADDR_UNICAST)) {
		NL_SET_ERR_MSG(extack, "IPv6 gateway link-local address must be in fe80::/10");
		return -EINVAL;
	}
	return 0;
}

int unat_config_validate(const struct unat_config *cfg,
			 struct netlink_ext_ack *extack)
{
	if (cfg->subnet & ~cfg->netmask) {
		NL_SET_ERR_MSG(extack, "subnet address has host bits set");
		return -EINVAL;
	}
	if (ipv4_is_zeronet(cfg->subnet) || ipv4_is_loopback(cfg->subnet) ||
	    ipv4_is_multicast(cfg->subnet) || ipv4_is_lbcast(cfg->subnet) ||
	    ipv4_is_multicast(unat_config_broadcast(cfg))) {
		NL_SET_ERR_MSG(extack, "subnet must be a unicast IPv4 network");
		return -EINVAL;
	}
	if (!unat_config_host_ok(cfg, cfg->gateway)) {
		NL_SET_ERR_MSG(extack, "gateway must be a host address inside the subnet");
		return -EINVAL;
	}
	if (!unat_config_host_ok(cfg, cfg->dns)) {
		NL_SET_ERR_MSG(extack, "DNS address must be a host address inside the subnet");
		return -EINVAL;
	}
	if (!unat_config_host_ok(cfg, cfg->guest)) {
		NL_SET_ERR_MSG(extack, "guest address must be a host address inside the subnet");
		return -EINVAL;
	}
	if (cfg->guest == cfg->gateway || cfg->guest == cfg->dns) {
		NL_SET_ERR_MSG(extack,
			       "guest address must differ from the gateway and DNS addresses");
		return -EINVAL;
	}
	return unat_config_validate6(cfg, extack);
}
EXPORT_SYMBOL_IF_KUNIT(unat_config_validate);

/* Whether a lease given under @a is still right under @b. */
bool unat_config_same_network(const struct unat_config *a,
			      const struct unat_config *b)
{
	return a->subnet == b->subnet && a->prefixlen == b->prefixlen &&
	       a->gateway == b->gateway && a->guest == b->guest;
}

/* Whether a DHCPv6 binding made under @a still holds under @b. */
bool unat_config_same_network6(const struct unat_config *a,
			       const struct unat_config *b)
{
	return a->ipv6 == b->ipv6 &&
	       ipv6_addr_equal(&a->prefix6, &b->prefix6) &&
	       ipv6_addr_equal(&a->gateway6, &b->gateway6) &&
	       ipv6_addr_equal(&a->dns6, &b->dns6) &&
	       ipv6_addr_equal(&a->gateway6_ll, &b->gateway6_ll) &&
	       ipv6_addr_equal(&a->guest6, &b->guest6);
}

/* Whether what a router advertisement said under @a still holds under @b. */
bool unat_config_same_ra(const struct unat_config *a,
			 const struct unat_config *b)
{
	return unat_config_same_network6(a, b) &&
	       a->search_wire_len == b->search_wire_len &&
	       !memcmp(a->search_wire, b->search_wire, a->search_wire_len);
}

/*
 * The search list, or else the domain, in wire form for DNSSL and
 * DHCPv6's domain list: its length (0: none), the names in *@names.
 */
int unat_config_search_names(const struct unat_config *cfg, u8 *buf,
			     size_t len, const u8 **names)
{
	int n;

	*names = cfg->search_wire;
	if (cfg->search_wire_len)
		return cfg->search_wire_len;
	if (!cfg->domain[0])
		return 0;
	*names = buf;
	n = unat_dns_name_encode(cfg->domain, strlen(cfg->domain), buf, len);
	return max(n, 0);
}

size_t unat_config_nl_size(void)
{
	return nla_total_size(4) * 4 +		/* SUBNET GATEWAY DNS GUEST */
	       nla_total_size(1) +		/* PREFIXLEN */
	       nla_total_size(4) * 2 +		/* MTU LEASE_TIME */
	       nla_total_size(UNAT_MAX_NAME_LEN + 1) +
	       nla_total_size(UNAT_MAX_SEARCH_LEN + 1) +
	       nla_total_size(ETH_ALEN) +
	       nla_total_size(1) * 3 +		/* HOSTLOOP RESTRICT IPV6 */
	       nla_total_size(sizeof(struct in6_addr)) * 5;
}

int unat_config_fill(struct sk_buff *skb, const struct unat_config *cfg,
		     u32 mtu)
{
	if (nla_put_in_addr(skb, IFLA_UNAT_SUBNET, cfg->subnet) ||
	    nla_put_u8(skb, IFLA_UNAT_PREFIXLEN, cfg->prefixlen) ||
	    nla_put_in_addr(skb, IFLA_UNAT_GATEWAY, cfg->gateway) ||
	    nla_put_in_addr(skb, IFLA_UNAT_DNS, cfg->dns) ||
	    nla_put_in_addr(skb, IFLA_UNAT_GUEST, cfg->guest) ||
	    nla_put_u32(skb, IFLA_UNAT_MTU, mtu) ||
	    nla_put_u32(skb, IFLA_UNAT_LEASE_TIME, cfg->lease_time) ||
	    nla_put(skb, IFLA_UNAT_GATEWAY_MAC, ETH_ALEN, cfg->gw_mac) ||
	    nla_put_u8(skb, IFLA_UNAT_HOSTLOOP, cfg->hostloop) ||
	    nla_put_u8(skb, IFLA_UNAT_RESTRICT, cfg->restricted) ||
	    nla_put_u8(skb, IFLA_UNAT_IPV6, cfg->ipv6) ||
	    nla_put_in6_addr(skb, IFLA_UNAT_PREFIX6, &cfg->prefix6) ||
	    nla_put_in6_addr(skb, IFLA_UNAT_GATEWAY6, &cfg->gateway6) ||
	    nla_put_in6_addr(skb, IFLA_UNAT_DNS6, &cfg->dns6) ||
	    nla_put_in6_addr(skb, IFLA_UNAT_GATEWAY6_LL, &cfg->gateway6_ll) ||
	    nla_put_in6_addr(skb, IFLA_UNAT_GUEST6, &cfg->guest6))
		return -EMSGSIZE;
	if (cfg->domain[0] &&
	    nla_put_string(skb, IFLA_UNAT_DOMAIN, cfg->domain))
		return -EMSGSIZE;
	if (cfg->search[0] &&
	    nla_put_string(skb, IFLA_UNAT_SEARCH, cfg->search))
		return -EMSGSIZE;
	return 0;
}
