/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_IPV4_H
#define _UNAT_IPV4_H

#include "frame.h"

enum unat_stat unat_ipv4_parse(struct sk_buff *skb, struct unat_ip4 *ip);
enum unat_stat unat_ipv4_input(const struct unat_ctx *ctx,
			       struct sk_buff *skb, struct sk_buff **reply);

#endif /* _UNAT_IPV4_H */
