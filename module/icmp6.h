/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_ICMP6_H
#define _UNAT_ICMP6_H

#include "frame.h"

enum unat_stat unat_icmp6_input(const struct unat_ctx *ctx,
				struct sk_buff *skb, const struct unat_ip6 *ip,
				struct sk_buff **reply);
enum unat_stat unat_icmp6_hop_exceeded(const struct unat_ctx *ctx,
				       struct sk_buff *skb,
				       const struct unat_ip6 *ip,
				       struct sk_buff **reply);

struct unat_dev;
struct unat_flow_key;
void unat_icmp6_relay_error(struct unat_dev *unat, const struct sk_buff *icmp,
			    const struct in6_addr *offender,
			    const struct unat_flow_key *key,
			    unsigned int qoff);

__sum16 unat_icmp6_csum(const struct sk_buff *skb,
			const struct in6_addr *saddr,
			const struct in6_addr *daddr);

#endif /* _UNAT_ICMP6_H */
