/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_UDP6_H
#define _UNAT_UDP6_H

#include "frame.h"

struct unat_flow;
struct unat_flow_ops;

enum unat_stat unat_udp6_input(const struct unat_ctx *ctx,
			       struct sk_buff *skb,
			       const struct unat_ip6 *ip,
			       struct sk_buff **reply);
int unat_udp6_open(struct unat_flow *flow);
extern const struct unat_flow_ops unat_udp6_flow_ops;
void unat_udp6_send(struct unat_flow *flow, struct sk_buff *skb);
void unat_udp6_deliver(struct unat_flow *flow, struct sk_buff *skb,
		       const struct in6_addr *saddr, __be16 sport);

#endif /* _UNAT_UDP6_H */
