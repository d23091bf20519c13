/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_UDP_H
#define _UNAT_UDP_H

#include "frame.h"

struct unat_flow;
struct unat_flow_ops;
union unat_addr;

enum unat_stat unat_udp_input(const struct unat_ctx *ctx, struct sk_buff *skb,
			      const struct unat_ip4 *ip, struct sk_buff **reply);
enum unat_stat unat_udp_input6(const struct unat_ctx *ctx,
			       struct sk_buff *skb,
			       const struct unat_ip6 *ip,
			       struct sk_buff **reply);
int unat_udp_open(struct unat_flow *flow);
void unat_udp_send(struct unat_flow *flow, struct sk_buff *skb);
void unat_udp_release(struct unat_flow *flow);
extern const struct unat_flow_ops unat_udp_flow_ops;
void unat_udp_deliver(struct unat_flow *flow, struct sk_buff *skb,
		      const union unat_addr *saddr, __be16 sport);

#endif /* _UNAT_UDP_H */
