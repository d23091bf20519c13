/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_UDP_H
#define _UNAT_UDP_H

#include "frame.h"

struct unat_flow;
struct unat_flow_ops;

enum unat_stat unat_udp_input(const struct unat_ctx *ctx, struct sk_buff *skb,
			      const struct unat_ip4 *ip, struct sk_buff **reply);
struct udp_tunnel_sock_cfg;
int unat_udp_sock_open(struct unat_flow *flow,
		       struct udp_tunnel_sock_cfg *tcfg);
int unat_udp_open(struct unat_flow *flow);
void unat_udp_send(struct unat_flow *flow, struct sk_buff *skb);
void unat_udp_release(struct unat_flow *flow);
extern const struct unat_flow_ops unat_udp_flow_ops;
void unat_udp_guest_ports(struct unat_flow *flow, struct sk_buff *skb,
			  __be16 sport);
void unat_udp_deliver(struct unat_flow *flow, struct sk_buff *skb,
		      __be32 saddr, __be16 sport);

#endif /* _UNAT_UDP_H */
