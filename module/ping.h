/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_PING_H
#define _UNAT_PING_H

#include "frame.h"

struct unat_flow;

#define UNAT_PING_TIMEOUT	(60 * HZ)

enum unat_stat unat_ping_input(const struct unat_ctx *ctx, struct sk_buff *skb,
			       const struct unat_ip4 *ip,
			       struct sk_buff **reply);
void unat_ping_release(struct unat_flow *flow);

#endif /* _UNAT_PING_H */
