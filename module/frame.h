/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_FRAME_H
#define _UNAT_FRAME_H

#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/udp.h>

#include "stats.h"

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

#endif /* _UNAT_FRAME_H */
