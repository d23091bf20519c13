/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_DHCP_H
#define _UNAT_DHCP_H

#include "frame.h"
#include "guest.h"

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

#endif /* _UNAT_DHCP_H */
