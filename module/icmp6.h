/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_ICMP6_H
#define _UNAT_ICMP6_H

#include "frame.h"

enum unat_stat unat_icmp6_check(struct sk_buff *skb,
				const struct unat_ip6 *ip);
enum unat_stat unat_icmp6_input(const struct unat_ctx *ctx,
				struct sk_buff *skb, const struct unat_ip6 *ip,
				struct sk_buff **reply);
enum unat_stat unat_icmp6_hop_exceeded(const struct unat_ctx *ctx,
				       struct sk_buff *skb,
				       const struct unat_ip6 *ip,
				       struct sk_buff **reply);

struct unat_dev;
struct unat_flow_key;
struct icmp6hdr;
void unat_icmp6_relay_error(struct unat_dev *unat, const struct sk_buff *skb,
			    unsigned int inner_off, unsigned int qoff,
			    const struct icmp6hdr *h,
			    const struct unat_flow_key *key);

void unat_icmp6_unreach_syn(struct unat_dev *unat, u8 code,
			    const struct unat_flow_key *key, u32 seq);

__sum16 unat_icmp6_csum(const struct sk_buff *skb,
			const struct in6_addr *saddr,
			const struct in6_addr *daddr);

#endif /* _UNAT_ICMP6_H */
