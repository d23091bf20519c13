/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_SOCK_H
#define _UNAT_SOCK_H

#include <linux/skbuff.h>

struct unat_flow;

/*
 * What a guest datagram waiting in a flow still needs once its headers are
 * stripped: where it goes, and the IP fields that travel with it.
 */
struct unat_skb_cb {
	__be32 daddr;
	__be16 dport;
	u8 ttl;
	u8 tos;
	bool df;
};

static inline struct unat_skb_cb *unat_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct unat_skb_cb) > sizeof(skb->cb));
	return (struct unat_skb_cb *)skb->cb;
}

void unat_sock_open(struct unat_flow *flow);
void unat_sock_send(struct unat_flow *flow, struct sk_buff *skb);
void unat_sock_release(struct unat_flow *flow);

#endif /* _UNAT_SOCK_H */
