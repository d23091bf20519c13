/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_POLICY_H
#define _UNAT_POLICY_H

#include "frame.h"

struct unat_config;

enum unat_stat unat_ipv4_outbound(const struct unat_ctx *ctx,
				  struct sk_buff *skb,
				  const struct unat_ip4 *ip, bool *to_host,
				  struct sk_buff **reply);
bool unat_ipv6_remote_ok(const struct unat_config *cfg,
			 const struct in6_addr *addr);
enum unat_stat unat_ipv6_outbound(const struct unat_ctx *ctx,
				  struct sk_buff *skb,
				  const struct unat_ip6 *ip, bool to_host,
				  struct sk_buff **reply);

#endif /* _UNAT_POLICY_H */
