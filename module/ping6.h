/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_PING6_H
#define _UNAT_PING6_H

#include "frame.h"

struct unat_flow;

enum unat_stat unat_ping6_input(const struct unat_ctx *ctx,
				struct sk_buff *skb,
				const struct unat_ip6 *ip,
				struct sk_buff **reply);

#endif /* _UNAT_PING6_H */
