/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The types every layer uses: configuration, counters, the guest, frames.
 */
#ifndef _UNAT_TYPES_H
#define _UNAT_TYPES_H

#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <linux/if_ether.h>
#include <linux/in6.h>
#include <linux/rcupdate.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <uapi/linux/unat.h>
#include <linux/etherdevice.h>
#include <linux/spinlock.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/udp.h>

/* stats.c */

struct net_device;

/*
 * Per-device event and drop counters, listed in stats_list.h.  Every guest
 * frame ends in exactly one of these; the frame handlers return the index.
 * Counters run from UNAT_STAT_FIRST to UNAT_STAT_MAX - 1.
 */
enum unat_stat {
	UNAT_STAT_OK,		/* not a counter: "go on" from parsers */
#define UNAT_STAT(name, ...)	UNAT_STAT_##name,
#include "stats_list.h"
#undef UNAT_STAT
	UNAT_STAT_MAX,
	/* the first of each part of the list */
	UNAT_STAT_FIRST = UNAT_STAT_ARP_REPLY,
	UNAT_STAT_FIRST_CONSUMED = UNAT_STAT_UDP_OUT,
	UNAT_STAT_FIRST_DROP = UNAT_STAT_DROP_MALFORMED,
};

static inline bool unat_stat_is_drop(enum unat_stat s)
{
	return s >= UNAT_STAT_FIRST_DROP;
}

/* The handler kept the frame (queued or sent it on). */
static inline bool unat_stat_consumed(enum unat_stat s)
{
	return s >= UNAT_STAT_FIRST_CONSUMED && s < UNAT_STAT_FIRST_DROP;
}

/* Written only by the local CPU with BH disabled; read by any. */
struct unat_pcpu_stats {
	u64_stats_t cnt[UNAT_STAT_MAX];
	struct u64_stats_sync syncp;
};

extern const char unat_stat_names[UNAT_STAT_MAX][32];

struct unat_pcpu_stats __percpu *unat_stats_alloc(void);
void unat_stats_free(struct unat_pcpu_stats __percpu *stats);
void unat_stats_inc(struct unat_pcpu_stats __percpu *stats, enum unat_stat s);
void unat_stats_inc_bh(struct unat_pcpu_stats __percpu *stats,
		       enum unat_stat s);
void unat_stats_sum(struct unat_pcpu_stats __percpu *stats,
		    u64 out[UNAT_STAT_MAX]);

/* config.c */

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

/* dnsname.c */

/* Longest wire form of one name: 255 octets (RFC 1035 3.1). */
#define UNAT_DNS_WIRE_MAX	255

int unat_dns_name_encode(const char *name, size_t len, u8 *out,
			 size_t outlen);
int unat_dns_list_encode(const char *list, u8 *out, size_t outlen);

/* guest.c */

#define UNAT_CLIENT_ID_MAX	64
#define UNAT_HOSTNAME_MAX	63

/*
 * What unat knows of the guest behind the device: its MAC address, learned
 * from ARP and DHCP, and its DHCP lease.  One address per device for now;
 * a pool would turn @lease into a table keyed the same way.
 *
 * All fields are protected by @lock, taken from BH context (the transmit
 * path) and with spin_lock_bh() elsewhere.
 */
struct unat_lease {
	bool bound;			/* an ACK was given and not released */
	unsigned long expires;		/* jiffies */
	u8 mac[ETH_ALEN];		/* chaddr of the holder */
	u8 client_id_len;		/* 0: the client sent none */
	u8 client_id[UNAT_CLIENT_ID_MAX];
	char hostname[UNAT_HOSTNAME_MAX + 1];
};

/* DHCPv6 (RFC 8415): a DUID is at most 2 + 128 bytes. */
#define UNAT_DUID_MAX		130

/* The one IA_NA address DHCPv6 gives, and its holder. */
struct unat_lease6 {
	bool bound;			/* a Reply gave it and it was not released */
	unsigned long expires;		/* jiffies */
	u8 duid_len;
	u8 duid[UNAT_DUID_MAX];		/* the holder's client DUID */
};

struct unat_guest {
	spinlock_t lock;		/* the fields below and the lease's */
	bool mac_known;
	u8 mac[ETH_ALEN];
	u64 mac64;			/* @mac for lockless readers; 0: none */
	/*
	 * The interface identifier (low 64 bits) of the last address in the
	 * prefix the guest used or probed: SLAAC, DHCPv6 or static alike.
	 * Forwards over IPv6 connect to it.  0: none yet.  Lockless:
	 * READ_ONCE/WRITE_ONCE.
	 */
	u64 iid6;
	struct unat_lease lease;
	struct unat_lease6 lease6;
};

void unat_guest_init(struct unat_guest *g);
void unat_guest_learn_mac(struct unat_guest *g, const u8 *mac);
void unat_guest_forget_lease(struct unat_guest *g);
void unat_guest_forget_lease6(struct unat_guest *g);
void unat_guest_note_mac(struct unat_guest *g, const u8 *mac);

/* The guest used @addr, an address of its in the prefix (BH). */
static inline void unat_guest_note_addr6(struct unat_guest *g,
					 const struct in6_addr *addr)
{
	u64 iid = get_unaligned_be64(&addr->s6_addr[8]);

	if (READ_ONCE(g->iid6) != iid)
		WRITE_ONCE(g->iid6, iid);
}

/*
 * The guest's IPv6 address in the prefix @prefix (the device's), for
 * connections to it; false while it never used one.
 */
static inline bool unat_guest_addr6(const struct unat_guest *g,
				    const struct in6_addr *prefix,
				    struct in6_addr *addr)
{
	u64 iid = READ_ONCE(g->iid6);

	*addr = *prefix;
	put_unaligned_be64(iid, &addr->s6_addr[8]);
	return iid != 0;
}

/* The guest's MAC, for frames to it; false while unknown. */
static inline bool unat_guest_mac(const struct unat_guest *g, u8 *mac)
{
	u64 v = READ_ONCE(g->mac64);

	u64_to_ether_addr(v, mac);
	return v != 0;
}

/* frame.c */

struct unat_config;
struct unat_dev;
struct unat_guest;

/*
 * What a frame handler needs to answer a guest frame.  Built by the
 * transmit path under RCU-bh; KUnit builds its own.
 */
struct unat_ctx {
	const struct unat_config *cfg;	/* RCU-protected by the caller */
	struct unat_guest *guest;
	u32 mtu;			/* the device's, as the guest's MTU */
	unsigned long now;		/* jiffies */
	struct unat_dev *unat;		/* flows; NULL: gateway services only */
	/*
	 * The packet is one unat made from guest frames (reassembled, or
	 * split from a super-frame) and is on its second and last pass
	 * through the input path: it may not be reassembled or split again
	 * (unat_input_again()).
	 */
	bool reentered;
};

/* A validated IPv4 packet from the guest; offsets from skb->data (the
 * Ethernet header).
 */
struct unat_ip4 {
	__be32 saddr;
	__be32 daddr;
	u8 protocol;
	u8 ttl;
	u8 tos;
	bool df;
	unsigned int l4off;	/* start of the transport header */
	unsigned int l4len;	/* transport header and payload */
};

/* A validated IPv6 packet from the guest, its extension headers skipped;
 * offsets from skb->data (the Ethernet header).
 */
struct unat_ip6 {
	struct in6_addr saddr;
	struct in6_addr daddr;
	u8 nexthdr;		/* the upper-layer protocol */
	u8 hop_limit;
	bool ext;		/* extension headers came before it */
	bool frag;		/* one of them a fragment header (atomic) */
	unsigned int l4off;	/* start of the upper-layer header */
	unsigned int l4len;	/* upper-layer header and payload */
};

/* Room before the payload of a frame unat builds: Ethernet, IPv6 (the
 * larger IP header), UDP.
 */
#define UNAT_FRAME_HEADROOM \
	(NET_IP_ALIGN + ETH_HLEN + sizeof(struct ipv6hdr) + sizeof(struct udphdr))

struct sk_buff *unat_frame_alloc(unsigned int payload_len);
struct sk_buff *unat_frame_copy(const struct sk_buff *skb, unsigned int off,
				unsigned int len);
void unat_frame_push_eth(struct sk_buff *skb, const u8 *dst, const u8 *src,
			 __be16 proto);
void unat_frame_ipv4_hdr(struct iphdr *iph, __be32 saddr, __be32 daddr,
			 u8 protocol, unsigned int tot_len, u8 ttl);
void unat_frame_push_ipv4(struct sk_buff *skb, __be32 saddr, __be32 daddr,
			  u8 protocol);
void unat_frame_push_udp4(struct sk_buff *skb, __be32 saddr, __be32 daddr,
			  __be16 sport, __be16 dport);
bool unat_frame_l4_csum_ok(struct sk_buff *skb, const struct unat_ip4 *ip);
void unat_frame_push_ipv6(struct sk_buff *skb, const struct in6_addr *saddr,
			  const struct in6_addr *daddr, u8 nexthdr,
			  u8 hop_limit);
void unat_frame_push_udp6(struct sk_buff *skb, const struct in6_addr *saddr,
			  const struct in6_addr *daddr, __be16 sport,
			  __be16 dport);
bool unat_frame_l4_csum6_ok(struct sk_buff *skb, const struct unat_ip6 *ip);
enum unat_stat unat_frame_offload_check(const struct sk_buff *skb,
					unsigned int l4off, u8 proto, bool v6);
enum unat_stat unat_frame_csum_finish(struct sk_buff *skb, unsigned int from);

#endif /* _UNAT_TYPES_H */
