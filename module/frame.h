/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_FRAME_H
#define _UNAT_FRAME_H

#include <linux/if_ether.h>
#include <linux/ip.h>
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

/* Room before the payload of a frame unat builds: Ethernet, IPv4, UDP. */
#define UNAT_FRAME_HEADROOM \
	(NET_IP_ALIGN + ETH_HLEN + sizeof(struct iphdr) + sizeof(struct udphdr))

struct sk_buff *unat_frame_alloc(unsigned int payload_len);
void unat_frame_push_eth(struct sk_buff *skb, const u8 *dst, const u8 *src,
			 __be16 proto);
void unat_frame_ipv4_hdr(struct iphdr *iph, __be32 saddr, __be32 daddr,
			 u8 protocol, unsigned int tot_len, u8 ttl);
void unat_frame_push_ipv4(struct sk_buff *skb, __be32 saddr, __be32 daddr,
			  u8 protocol);
void unat_frame_push_udp4(struct sk_buff *skb, __be32 saddr, __be32 daddr,
			  __be16 sport, __be16 dport);
bool unat_frame_l4_csum_ok(struct sk_buff *skb, const struct unat_ip4 *ip);

#endif /* _UNAT_FRAME_H */
