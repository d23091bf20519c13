/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_ARP_H
#define _UNAT_ARP_H

#include "frame.h"

enum unat_stat unat_arp_input(const struct unat_ctx *ctx, struct sk_buff *skb,
			      struct sk_buff **reply);

#endif /* _UNAT_ARP_H */
