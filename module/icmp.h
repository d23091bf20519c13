/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_ICMP_H
#define _UNAT_ICMP_H

#include "frame.h"

enum unat_stat unat_icmp_input(const struct unat_ctx *ctx,
			       struct sk_buff *skb, const struct unat_ip4 *ip,
			       struct sk_buff **reply);

enum unat_stat unat_icmp_ttl_exceeded(const struct unat_ctx *ctx,
				      struct sk_buff *skb,
				      const struct unat_ip4 *ip,
				      struct sk_buff **reply);

struct unat_dev;
void unat_icmp_relay_error(struct unat_dev *unat, struct sk_buff *icmp,
			   __be32 offender, u8 type, u8 code, u32 info,
			   __be32 gaddr, __be16 gport, __be32 raddr,
			   __be16 rport, u8 proto, const u8 *payload);

void unat_icmp_unreach_syn(struct unat_dev *unat, u8 code, __be32 gaddr,
			   __be16 gport, __be32 raddr, __be16 rport, u32 seq);

#endif /* _UNAT_ICMP_H */
