// SPDX-License-Identifier: GPL-2.0
/*
 * A flow's host socket, whatever its protocol: opening (unat_wq), sending
 * (transmit path), releasing (process context, the flow unlinked).
 */
#include <linux/in.h>
#include <uapi/linux/unat.h>

#include "dns.h"
#include "flow.h"
#include "ping.h"
#include "sock.h"
#include "udp.h"

/* unat_wq: open the socket; DNS flows also do all their I/O here. */
void unat_sock_open(struct unat_flow *flow)
{
	int err = -EPROTONOSUPPORT;

	if (flow->key.kind == UNAT_FLOW_KIND_DNS) {
		unat_dns_work(flow);
		return;
	}
	if (flow->key.proto == IPPROTO_UDP)
		err = unat_udp_open(flow);
	else if (flow->key.proto == IPPROTO_ICMP)
		err = unat_ping_open(flow);
	if (err)
		unat_flow_failed(flow);
}

/* Transmit path: the flow is OPEN. */
void unat_sock_send(struct unat_flow *flow, struct sk_buff *skb)
{
	if (flow->key.proto == IPPROTO_UDP)
		unat_udp_send(flow, skb);
	else if (flow->key.proto == IPPROTO_ICMP)
		unat_ping_send(flow, skb);
	else
		kfree_skb(skb);
}

void unat_sock_release(struct unat_flow *flow)
{
	if (flow->key.kind == UNAT_FLOW_KIND_DNS)
		unat_dns_release(flow);
	else if (flow->key.proto == IPPROTO_UDP)
		unat_udp_release(flow);
	else if (flow->key.proto == IPPROTO_ICMP)
		unat_ping_release(flow);
}
