/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_IPV6_H
#define _UNAT_IPV6_H

#include "frame.h"

enum unat_stat unat_ipv6_parse(struct sk_buff *skb, struct unat_ip6 *ip);
enum unat_stat unat_ipv6_input(const struct unat_ctx *ctx,
			       struct sk_buff *skb, struct sk_buff **reply);

#endif /* _UNAT_IPV6_H */
