/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_ICMP_SOCK_H
#define _UNAT_ICMP_SOCK_H

#include <linux/list.h>
#include <linux/types.h>

#include "config.h"

struct net;
struct sk_buff;
struct sock;
struct unat_flow;

/*
 * An ICMP echo flow's place among every echo flow of its netns: found by
 * (netns, family, remote, host identifier).  @net is compared, never
 * dereferenced.
 */
struct unat_icmp_ref {
	struct hlist_node node;		/* unat_icmp_hash; its lock */
	const struct net *net;
};

/* What a netns's ICMP socket hands a protocol: every message it saw. */
typedef void (*unat_icmp_rcv_t)(struct net *net, struct sk_buff *skb);

int unat_icmp_sock_attach(struct unat_flow *flow, unat_icmp_rcv_t rcv);
void unat_icmp_sock_detach(struct unat_flow *flow);
struct unat_flow *unat_icmp_sock_lookup(const struct net *net, u8 family,
					const union unat_addr *raddr,
					__be16 id);
int unat_icmp_sock_init(void);
void unat_icmp_sock_uninit(void);

#endif /* _UNAT_ICMP_SOCK_H */
