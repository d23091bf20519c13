/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_SOCK_H
#define _UNAT_SOCK_H

#include <linux/in6.h>
#include <linux/skbuff.h>

#include "stats.h"

struct unat_flow;

/*
 * What a guest datagram waiting in a flow still needs once its headers are
 * stripped: where it goes, and the IP fields that travel with it.
 */
struct unat_skb_cb {
	struct in6_addr daddr6;		/* IPv6 flows */
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

struct flowi6;
struct socket;
struct unat_ctx;
struct unat_flow_key;
struct unat_flow_ops;

enum unat_stat unat_sock_out(const struct unat_ctx *ctx,
			     const struct unat_flow_key *key,
			     const struct unat_flow_ops *ops,
			     unsigned long timeout, struct sk_buff *skb,
			     enum unat_stat sent);
struct net;
struct sockaddr_storage;
bool unat_sock_local_ok(struct unat_flow *flow, bool local);
bool unat_sock_addr_local(struct net *net, const struct sockaddr_storage *ss);
bool unat_sock_addr_unat(struct net *net, const struct sockaddr_storage *ss);
bool unat_sock_route4(struct unat_flow *flow, struct sk_buff *skb, u8 proto,
		      __be16 sport, unsigned int l4hdr, struct unat_skb_cb *cb,
		      __be32 *saddr);
bool unat_sock_route6(struct unat_flow *flow, struct sk_buff *skb, u8 proto,
		      __be16 sport, unsigned int l4hdr, struct flowi6 *fl6);
void unat_sock_ip_out6(struct unat_flow *flow, struct sk_buff *skb,
		       const struct flowi6 *fl6, u8 proto, u8 hop_limit);
void unat_sock_ip_out4(struct unat_flow *flow, struct sk_buff *skb,
		       const struct unat_skb_cb *cb, __be32 saddr, u8 proto);
int unat_sock_create(struct unat_flow *flow, int family, int type, int proto,
		     void (*data_ready)(struct sock *sk),
		     struct socket **res);
void unat_sock_close(struct socket *sock);

#endif /* _UNAT_SOCK_H */
