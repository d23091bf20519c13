/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_CONFIG_H
#define _UNAT_CONFIG_H

#include <linux/if_ether.h>
#include <linux/in6.h>
#include <linux/rcupdate.h>
#include <net/ipv6.h>
#include <linux/types.h>
#include <net/netlink.h>
#include <uapi/linux/unat.h>

/* Wire form of the search list: up to 1024 characters of names. */
#define UNAT_SEARCH_WIRE_MAX	(UNAT_MAX_SEARCH_LEN + 2)

/*
 * The guest network as configured.  Immutable once published: a change
 * builds a new copy and swaps the device's RCU pointer under RTNL.
 */
union unat_addr {
	__be32 v4;
	struct in6_addr v6;
};

struct unat_dns_upstream {
	int family;			/* AF_INET or AF_INET6 */
	__be16 port;
	union unat_addr addr;
};

struct unat_config {
	__be32 subnet;
	__be32 netmask;
	__be32 gateway;
	__be32 dns;
	__be32 guest;
	u32 lease_time;			/* seconds */
	u32 udp_timeout;		/* seconds */
	u32 tcp_timeout;		/* seconds, established flows */
	u32 flow_limit;
	u32 connect_limit;		/* guest connects not yet established */
	u32 queue_limit;		/* bytes of frames held for flows */
	u8 port_share;			/* percent of ip_local_port_range */
	u8 prefixlen;
	bool ipv6;			/* NDP, RA, ICMPv6 on the guest link */
	struct in6_addr prefix6;	/* /64, host bits zero */
	struct in6_addr gateway6;	/* in @prefix6 */
	struct in6_addr dns6;		/* in @prefix6 */
	struct in6_addr gateway6_ll;	/* fe80::/64: RA source, default router */
	struct in6_addr guest6;		/* in @prefix6: the DHCPv6 address */
	bool hostloop;
	bool restricted;
	u8 n_dns;
	struct unat_dns_upstream dns_up[UNAT_MAX_DNS_UPSTREAMS];
	u8 gw_mac[ETH_ALEN];
	u16 search_wire_len;
	char domain[UNAT_MAX_NAME_LEN + 1];
	char search[UNAT_MAX_SEARCH_LEN + 1];
	u8 search_wire[UNAT_SEARCH_WIRE_MAX];	/* option 119 payload */
	struct rcu_head rcu;
};

extern const struct nla_policy unat_link_policy[IFLA_UNAT_MAX + 1];

void unat_config_set_defaults(struct unat_config *cfg);
int unat_config_apply(struct unat_config *cfg, struct nlattr *data[],
		      bool create, struct netlink_ext_ack *extack);
int unat_config_validate(const struct unat_config *cfg,
			 struct netlink_ext_ack *extack);
int unat_config_set_domain(struct unat_config *cfg, const struct nlattr *attr,
			   struct netlink_ext_ack *extack);
int unat_config_set_search(struct unat_config *cfg, const struct nlattr *attr,
			   struct netlink_ext_ack *extack);
bool unat_config_same_network(const struct unat_config *a,
			      const struct unat_config *b);
bool unat_config_same_network6(const struct unat_config *a,
			       const struct unat_config *b);
bool unat_config_same_ra(const struct unat_config *a,
			 const struct unat_config *b);
int unat_config_search_names(const struct unat_config *cfg, u8 *buf,
			     size_t len, const u8 **names);
size_t unat_config_nl_size(void);
int unat_config_fill(struct sk_buff *skb, const struct unat_config *cfg,
		     u32 mtu);

static inline bool unat_config_in_subnet(const struct unat_config *cfg,
					 __be32 addr)
{
	return (addr & cfg->netmask) == cfg->subnet;
}

static inline bool unat_config_in_prefix6(const struct unat_config *cfg,
					  const struct in6_addr *addr)
{
	return ipv6_prefix_equal(addr, &cfg->prefix6, UNAT_PREFIX6_LEN);
}

/* One of the gateway's own IPv6 addresses: it answers for these. */
static inline bool unat_config_is_gateway6(const struct unat_config *cfg,
					   const struct in6_addr *addr)
{
	return ipv6_addr_equal(addr, &cfg->gateway6) ||
	       ipv6_addr_equal(addr, &cfg->dns6) ||
	       ipv6_addr_equal(addr, &cfg->gateway6_ll);
}

static inline __be32 unat_config_broadcast(const struct unat_config *cfg)
{
	return cfg->subnet | ~cfg->netmask;
}

#endif /* _UNAT_CONFIG_H */
