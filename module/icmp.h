/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_ICMP_H
#define _UNAT_ICMP_H

#include "frame.h"

enum unat_stat unat_icmp_input(const struct unat_ctx *ctx,
			       struct sk_buff *skb, const struct unat_ip4 *ip,
			       struct sk_buff **reply);

#endif /* _UNAT_ICMP_H */
