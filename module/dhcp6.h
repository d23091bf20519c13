/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_DHCP6_H
#define _UNAT_DHCP6_H

#include "frame.h"

#define UNAT_DHCP6_CLIENT_PORT	546
#define UNAT_DHCP6_SERVER_PORT	547

enum unat_stat unat_dhcp6_input(const struct unat_ctx *ctx,
				struct sk_buff *skb,
				const struct unat_ip6 *ip,
				struct sk_buff **reply);

#endif /* _UNAT_DHCP6_H */
