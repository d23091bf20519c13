/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gateway's own services: ARP, NDP, DHCP, DHCPv6, DNS, ICMP.
 */
#ifndef _UNAT_SERVICES_H
#define _UNAT_SERVICES_H

#include "types.h"

/* icmp.c */

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

/* icmp6.c */

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

/* arp.c */

enum unat_stat unat_arp_input(const struct unat_ctx *ctx, struct sk_buff *skb,
			      struct sk_buff **reply);

/* ndp.c */

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

/* dhcp.c */

#define UNAT_DHCP_FIXED_LEN	240	/* BOOTP fields and magic cookie */
#define UNAT_DHCP_MIN_LEN	300	/* RFC 1542: BOOTP messages pad to this */
#define UNAT_DHCP_MAX_LEN	4096	/* longest request considered */

enum {
	UNAT_DHCPDISCOVER = 1,
	UNAT_DHCPOFFER,
	UNAT_DHCPREQUEST,
	UNAT_DHCPDECLINE,
	UNAT_DHCPACK,
	UNAT_DHCPNAK,
	UNAT_DHCPRELEASE,
	UNAT_DHCPINFORM,
};

/* A client message as parsed: only what the server acts upon. */
struct unat_dhcp_req {
	u8 type;
	u8 client_id_len;
	u16 max_size;			/* option 57, 0 if absent */
	__be32 xid;
	__be16 flags;
	__be32 ciaddr;
	__be32 giaddr;
	__be32 requested;		/* option 50, 0 if absent */
	__be32 server_id;		/* option 54, 0 if absent */
	u8 chaddr[ETH_ALEN];
	u8 client_id[UNAT_CLIENT_ID_MAX];
	char hostname[UNAT_HOSTNAME_MAX + 1];
};

int unat_dhcp_parse(const u8 *msg, unsigned int len,
		    struct unat_dhcp_req *req);
int unat_dhcp_build(const struct unat_ctx *ctx,
		    const struct unat_dhcp_req *req, u8 type, __be32 yiaddr,
		    u8 *buf, unsigned int buflen);
enum unat_stat unat_dhcp_input(const struct unat_ctx *ctx,
			       struct sk_buff *skb, unsigned int off,
			       unsigned int len, struct sk_buff **reply);

/* dhcp6.c */

#define UNAT_DHCP6_CLIENT_PORT	546
#define UNAT_DHCP6_SERVER_PORT	547

enum unat_stat unat_dhcp6_input(const struct unat_ctx *ctx,
				struct sk_buff *skb,
				const struct unat_ip6 *ip,
				struct sk_buff **reply);

/* dns.c */

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

#endif /* _UNAT_SERVICES_H */
