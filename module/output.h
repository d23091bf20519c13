/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_OUTPUT_H
#define _UNAT_OUTPUT_H

#include <linux/skbuff.h>

struct unat_dev;

void unat_deliver(struct unat_dev *unat, struct sk_buff *skb);
void unat_deliver_ip6(struct unat_dev *unat, struct sk_buff *skb,
		      const struct in6_addr *saddr,
		      const struct in6_addr *daddr, u8 nexthdr);
void unat_deliver_ip(struct unat_dev *unat, struct sk_buff *skb, __be32 saddr,
		     __be32 daddr, u8 protocol);

#endif /* _UNAT_OUTPUT_H */
