/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_NDP_H
#define _UNAT_NDP_H

#include "frame.h"

struct unat_config;
struct unat_dev;

/* Lifetimes the router advertisements give, in seconds. */
#define UNAT_RA_ROUTER_LIFETIME		1800
#define UNAT_RA_VALID_LIFETIME		86400
#define UNAT_RA_PREFERRED_LIFETIME	14400
#define UNAT_RA_DNS_LIFETIME		1800	/* RDNSS, DNSSL: 3 intervals */

enum unat_stat unat_ndp_input(const struct unat_ctx *ctx, struct sk_buff *skb,
			      const struct unat_ip6 *ip,
			      struct sk_buff **reply);
struct sk_buff *unat_ndp_ra(const struct unat_config *cfg, u32 mtu,
			    const u8 *dst_mac, const struct in6_addr *daddr);

void unat_ndp_init(struct unat_dev *unat);
void unat_ndp_start(struct unat_dev *unat);
void unat_ndp_stop(struct unat_dev *unat);
void unat_ndp_changed(struct unat_dev *unat);

#endif /* _UNAT_NDP_H */
