/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_DNS_H
#define _UNAT_DNS_H

#include "frame.h"

struct sockaddr_storage;
struct unat_dev;

#define UNAT_DNS_HDR_LEN	12
#define UNAT_DNS_PORT		53

/* A UDP query no resolver takes: larger than EDNS allows (RFC 6891) */
#define UNAT_DNS_UDP_MAX	4096
#define UNAT_DNS_UDP_PLAIN	512	/* without EDNS (RFC 1035 4.2.1) */
/* Unanswered queries a device keeps to retry on the next upstream */
#define UNAT_DNS_KEPT_MAX	256

int unat_dns_check_query(const u8 *msg, unsigned int len);
int unat_dns_query_max(const u8 *msg, unsigned int len);
enum unat_stat unat_dns_input6(const struct unat_ctx *ctx,
			       struct sk_buff *skb, const struct unat_ip6 *ip);
enum unat_stat unat_dns_input(const struct unat_ctx *ctx, struct sk_buff *skb,
			      const struct unat_ip4 *ip);
bool unat_dns_upstream(struct unat_dev *unat, u8 idx,
		       struct sockaddr_storage *ss, int *salen);

#endif /* _UNAT_DNS_H */
