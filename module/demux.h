/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Frames from the guest: the Ethernet, IPv4 and IPv6 dispatch.
 */
#ifndef _UNAT_DEMUX_H
#define _UNAT_DEMUX_H

#include <linux/netdevice.h>

#include "types.h"

/* input.c */

enum unat_stat unat_input(const struct unat_ctx *ctx, struct sk_buff *skb,
			  struct sk_buff **reply);
/*
 * The most datagrams one UDP segmentation offload super-frame of the guest
 * may stand for: what Linux's own UDP_SEGMENT sends at most (128).
 */
#define UNAT_GSO_MAX_SEGS	128

/*
 * Whether a fragment's length fits its place: one that is not the last
 * (@more) carries a non-zero multiple of 8 bytes (RFC 791, RFC 8200 4.5),
 * and none ends (@offset + @len, in bytes) past what a datagram can hold.
 * Checked before reassembly looks up a queue: the kernel's software UFO,
 * cutting a guest's super-frame at the gso_size it chose, makes up to
 * 65000 fragments of one write, each a queue made and killed if let in.
 */
static inline bool unat_frag_len_ok(bool more, unsigned int offset, int len)
{
	if (len < 0 || (more && (!len || len & 7)))
		return false;
	return offset + len <= U16_MAX;
}

bool unat_gso_segs_ok(const struct sk_buff *skb);
struct sk_buff *unat_gso_split(struct sk_buff *skb);
void unat_input_reassembled(const struct unat_ctx *ctx, struct sk_buff *skb);
enum unat_stat unat_input_defrag_check(const struct unat_ctx *ctx,
				       const struct sk_buff *skb);
netdev_tx_t unat_xmit(struct sk_buff *skb, struct net_device *dev);

/* ipv4.c */

enum unat_stat unat_ipv4_parse(struct sk_buff *skb, struct unat_ip4 *ip);
enum unat_stat unat_ipv4_input(const struct unat_ctx *ctx,
			       struct sk_buff *skb, struct sk_buff **reply);

/* ipv6.c */

enum unat_stat unat_ipv6_parse(struct sk_buff *skb, struct unat_ip6 *ip);
enum unat_stat unat_ipv6_input(const struct unat_ctx *ctx,
			       struct sk_buff *skb, struct sk_buff **reply);

#endif /* _UNAT_DEMUX_H */
