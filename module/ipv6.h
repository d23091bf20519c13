/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_IPV6_H
#define _UNAT_IPV6_H

#include "frame.h"

enum unat_stat unat_ipv6_parse(struct sk_buff *skb, struct unat_ip6 *ip);
struct unat_config;
bool unat_ipv6_remote_ok(const struct unat_config *cfg,
			 const struct in6_addr *addr);
enum unat_stat unat_ipv6_outbound(const struct unat_ctx *ctx,
				  struct sk_buff *skb,
				  const struct unat_ip6 *ip, bool to_host,
				  struct sk_buff **reply);
enum unat_stat unat_ipv6_input(const struct unat_ctx *ctx,
			       struct sk_buff *skb, struct sk_buff **reply);

#endif /* _UNAT_IPV6_H */
