// SPDX-License-Identifier: GPL-2.0
/*
 * DHCPv4 server (RFC 2131, options RFC 2132) for the one guest address of
 * the device: DISCOVER/OFFER, REQUEST/ACK or NAK in every client state,
 * RELEASE, DECLINE and INFORM.
 */
#include <kunit/visibility.h>
#include <linux/etherdevice.h>
#include <linux/inetdevice.h>
#include <linux/jiffies.h>
#include <linux/minmax.h>

#include "types.h"
#include "services.h"

#define UNAT_BOOTREQUEST	1
#define UNAT_BOOTREPLY		2
#define UNAT_DHCP_MAGIC		0x63825363
#define UNAT_DHCP_BROADCAST	0x8000
#define UNAT_BOOTPS		67
#define UNAT_BOOTPC		68
#define UNAT_IPUDP_LEN		28
#define UNAT_DHCP_DEFAULT_MAX	576	/* RFC 2131: every client takes it */
#define UNAT_DHCP_REPLY_MAX	(UNAT_DHCP_FIXED_LEN + 1536)

enum {
	UNAT_OPT_PAD		= 0,
	UNAT_OPT_SUBNET_MASK	= 1,
	UNAT_OPT_ROUTER		= 3,
	UNAT_OPT_DNS		= 6,
	UNAT_OPT_HOSTNAME	= 12,
	UNAT_OPT_DOMAIN		= 15,
	UNAT_OPT_MTU		= 26,
	UNAT_OPT_BROADCAST	= 28,
	UNAT_OPT_REQUESTED	= 50,
	UNAT_OPT_LEASE		= 51,
	UNAT_OPT_MSG_TYPE	= 53,
	UNAT_OPT_SERVER_ID	= 54,
	UNAT_OPT_MAX_SIZE	= 57,
	UNAT_OPT_T1		= 58,
	UNAT_OPT_T2		= 59,
	UNAT_OPT_CLIENT_ID	= 61,
	UNAT_OPT_SEARCH		= 119,
	UNAT_OPT_END		= 255,
};

/* The fixed BOOTP part of a message (RFC 2131 figure 1). */
struct unat_bootp {
	u8 op;
	u8 htype;
	u8 hlen;
	u8 hops;
	__be32 xid;
	__be16 secs;
	__be16 flags;
	__be32 ciaddr;
	__be32 yiaddr;
	__be32 siaddr;
	__be32 giaddr;
	u8 chaddr[16];
	u8 sname[64];
	u8 file[128];
	__be32 magic;
} __packed;

static_assert(sizeof(struct unat_bootp) == UNAT_DHCP_FIXED_LEN);

/* Options with a fixed length: a wrong length makes the message malformed. */
static int unat_dhcp_opt_len(u8 code)
{
	switch (code) {
	case UNAT_OPT_MSG_TYPE:
		return 1;
	case UNAT_OPT_MAX_SIZE:
		return 2;
	case UNAT_OPT_REQUESTED:
	case UNAT_OPT_SERVER_ID:
		return 4;
	default:
		return -1;
	}
}

static int unat_dhcp_parse_opt(struct unat_dhcp_req *req, u8 code,
			       const u8 *val, u8 len)
{
	int want = unat_dhcp_opt_len(code);

	if (want >= 0 && len != want)
		return -EINVAL;
	switch (code) {
	case UNAT_OPT_MSG_TYPE:
		if (req->type)
			return -EINVAL;		/* two message types */
		req->type = val[0];
		break;
	case UNAT_OPT_MAX_SIZE:
		req->max_size = get_unaligned_be16(val);
		break;
	case UNAT_OPT_REQUESTED:
		memcpy(&req->requested, val, 4);
		break;
	case UNAT_OPT_SERVER_ID:
		memcpy(&req->server_id, val, 4);
		break;
	case UNAT_OPT_CLIENT_ID:
		if (len < 2)
			return -EINVAL;		/* RFC 2132 9.14 */
		req->client_id_len = min_t(u8, len, UNAT_CLIENT_ID_MAX);
		memcpy(req->client_id, val, req->client_id_len);
		break;
	case UNAT_OPT_HOSTNAME:
		if (!len)
			return -EINVAL;
		memcpy(req->hostname, val, min_t(u8, len, UNAT_HOSTNAME_MAX));
		break;
	}
	return 0;
}

/*
 * Parse a client message.  Returns 0, -EINVAL for a malformed one (short,
 * bad cookie, an option running past the end, a bad option length), or
 * -EOPNOTSUPP for one the server does not serve (a BOOTREPLY, plain BOOTP,
 * non-Ethernet hardware, a relayed request).
 */
int unat_dhcp_parse(const u8 *msg, unsigned int len, struct unat_dhcp_req *req)
{
	const struct unat_bootp *bp = (const struct unat_bootp *)msg;
	unsigned int i = UNAT_DHCP_FIXED_LEN;

	memset(req, 0, sizeof(*req));
	if (len < UNAT_DHCP_FIXED_LEN || bp->magic != htonl(UNAT_DHCP_MAGIC))
		return -EINVAL;
	if (bp->op != UNAT_BOOTREQUEST || bp->htype != 1 ||
	    bp->hlen != ETH_ALEN || bp->giaddr)
		return -EOPNOTSUPP;

	while (i < len) {
		u8 code = msg[i], olen;
		int ret;

		if (code == UNAT_OPT_PAD) {
			i++;
			continue;
		}
		if (code == UNAT_OPT_END)
			break;
		if (i + 2 > len)
			return -EINVAL;
		olen = msg[i + 1];
		if (i + 2 + olen > len)
			return -EINVAL;
		ret = unat_dhcp_parse_opt(req, code, msg + i + 2, olen);
		if (ret)
			return ret;
		i += 2 + olen;
	}
	if (!req->type)
		return -EOPNOTSUPP;		/* BOOTP */
	if (req->type > UNAT_DHCPINFORM)
		return -EINVAL;

	req->xid = bp->xid;
	req->flags = bp->flags;
	req->ciaddr = bp->ciaddr;
	req->giaddr = bp->giaddr;
	memcpy(req->chaddr, bp->chaddr, ETH_ALEN);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(unat_dhcp_parse);

/* Options are appended to buf[0..max), leaving room for the END option. */
struct unat_optbuf {
	u8 *buf;
	unsigned int len;
	unsigned int max;
};

/* Append an option, split into several instances past 255 bytes (RFC 3396). */
static int unat_opt_put(struct unat_optbuf *ob, u8 code, const void *val,
			unsigned int len)
{
	unsigned int chunks = max(1U, DIV_ROUND_UP(len, 255));
	const u8 *p = val;

	if (ob->len + len + 2 * chunks + 1 > ob->max)
		return -ENOSPC;
	do {
		unsigned int n = min(len, 255U);

		ob->buf[ob->len++] = code;
		ob->buf[ob->len++] = n;
		memcpy(ob->buf + ob->len, p, n);
		ob->len += n;
		p += n;
		len -= n;
	} while (len);
	return 0;
}

static int unat_opt_put_be32(struct unat_optbuf *ob, u8 code, __be32 v)
{
	return unat_opt_put(ob, code, &v, 4);
}

static int unat_opt_put_u32(struct unat_optbuf *ob, u8 code, u32 v)
{
	return unat_opt_put_be32(ob, code, htonl(v));
}

static int unat_dhcp_put_lease(struct unat_optbuf *ob, u32 lease)
{
	return unat_opt_put_u32(ob, UNAT_OPT_LEASE, lease) ?:
	       unat_opt_put_u32(ob, UNAT_OPT_T1, lease / 2) ?:
	       unat_opt_put_u32(ob, UNAT_OPT_T2, lease / 8 * 7);
}

static int unat_dhcp_put_network(const struct unat_ctx *ctx,
				 struct unat_optbuf *ob)
{
	const struct unat_config *cfg = ctx->cfg;
	__be16 mtu = htons(min_t(u32, ctx->mtu, U16_MAX));

	return unat_opt_put_be32(ob, UNAT_OPT_SUBNET_MASK, cfg->netmask) ?:
	       unat_opt_put_be32(ob, UNAT_OPT_ROUTER, cfg->gateway) ?:
	       unat_opt_put_be32(ob, UNAT_OPT_DNS, cfg->dns) ?:
	       unat_opt_put_be32(ob, UNAT_OPT_BROADCAST,
				 unat_config_broadcast(cfg)) ?:
	       unat_opt_put(ob, UNAT_OPT_MTU, &mtu, 2);
}

/* Names are optional extras: left out when the client's size limit bites. */
static void unat_dhcp_put_names(const struct unat_config *cfg,
				struct unat_optbuf *ob)
{
	if (cfg->domain[0])
		unat_opt_put(ob, UNAT_OPT_DOMAIN, cfg->domain,
			     strlen(cfg->domain));
	if (cfg->search_wire_len)
		unat_opt_put(ob, UNAT_OPT_SEARCH, cfg->search_wire,
			     cfg->search_wire_len);
}

static unsigned int unat_dhcp_reply_limit(const struct unat_dhcp_req *req,
					  unsigned int buflen)
{
	unsigned int limit = UNAT_DHCP_DEFAULT_MAX;

	if (req->max_size > limit)
		limit = req->max_size;
	return min(limit - UNAT_IPUDP_LEN, buflen);
}

/*
 * Build the reply of @type to @req in @buf: the BOOTP fields, then the
 * options.  @yiaddr is the address given (0 for NAK and INFORM).  Returns
 * the message length or a negative error.
 */
int unat_dhcp_build(const struct unat_ctx *ctx,
		    const struct unat_dhcp_req *req, u8 type, __be32 yiaddr,
		    u8 *buf, unsigned int buflen)
{
	const struct unat_config *cfg = ctx->cfg;
	struct unat_bootp *bp = (struct unat_bootp *)buf;
	struct unat_optbuf ob;
	int ret;

	if (buflen < UNAT_DHCP_MIN_LEN)
		return -ENOSPC;
	memset(buf, 0, UNAT_DHCP_MIN_LEN);
	bp->op = UNAT_BOOTREPLY;
	bp->htype = 1;
	bp->hlen = ETH_ALEN;
	bp->xid = req->xid;
	bp->flags = req->flags;
	if (type != UNAT_DHCPNAK)
		bp->ciaddr = req->ciaddr;
	bp->yiaddr = yiaddr;
	memcpy(bp->chaddr, req->chaddr, ETH_ALEN);
	bp->magic = htonl(UNAT_DHCP_MAGIC);

	ob.buf = buf + UNAT_DHCP_FIXED_LEN;
	ob.len = 0;
	ob.max = unat_dhcp_reply_limit(req, buflen) - UNAT_DHCP_FIXED_LEN;
	ret = unat_opt_put(&ob, UNAT_OPT_MSG_TYPE, &type, 1) ?:
	      unat_opt_put_be32(&ob, UNAT_OPT_SERVER_ID, cfg->gateway);
	if (!ret && type == UNAT_DHCPACK && yiaddr)
		ret = unat_dhcp_put_lease(&ob, cfg->lease_time);
	if (!ret && type == UNAT_DHCPOFFER)
		ret = unat_dhcp_put_lease(&ob, cfg->lease_time);
	if (!ret && type != UNAT_DHCPNAK)
		ret = unat_dhcp_put_network(ctx, &ob);
	if (ret)
		return ret;
	if (type != UNAT_DHCPNAK)
		unat_dhcp_put_names(cfg, &ob);
	ob.buf[ob.len++] = UNAT_OPT_END;
	return max_t(unsigned int, UNAT_DHCP_FIXED_LEN + ob.len,
		     UNAT_DHCP_MIN_LEN);
}
EXPORT_SYMBOL_IF_KUNIT(unat_dhcp_build);

enum unat_lease_owner {
	UNAT_LEASE_FREE,
	UNAT_LEASE_MINE,
	UNAT_LEASE_OTHER,
};

/* Whose is the address?  Caller holds the guest lock. */
static enum unat_lease_owner unat_lease_owner(const struct unat_lease *l,
					      const struct unat_dhcp_req *req,
					      unsigned long now)
{
	bool same;

	if (!l->bound || time_after_eq(now, l->expires))
		return UNAT_LEASE_FREE;
	if (l->client_id_len && req->client_id_len)
		same = l->client_id_len == req->client_id_len &&
		       !memcmp(l->client_id, req->client_id, l->client_id_len);
	else
		same = ether_addr_equal(l->mac, req->chaddr);
	return same ? UNAT_LEASE_MINE : UNAT_LEASE_OTHER;
}

static void unat_lease_bind(const struct unat_ctx *ctx,
			    const struct unat_dhcp_req *req)
{
	struct unat_lease *l = &ctx->guest->lease;
	unsigned long secs = ctx->cfg->lease_time;

	l->bound = true;
	l->expires = ctx->now + min_t(unsigned long, secs * HZ,
				      MAX_JIFFY_OFFSET);
	ether_addr_copy(l->mac, req->chaddr);
	l->client_id_len = req->client_id_len;
	memcpy(l->client_id, req->client_id, req->client_id_len);
	strscpy(l->hostname, req->hostname, sizeof(l->hostname));
	unat_guest_learn_mac(ctx->guest, req->chaddr);
}

static enum unat_stat unat_dhcp_request(const struct unat_ctx *ctx,
					const struct unat_dhcp_req *req,
					enum unat_lease_owner owner, u8 *type)
{
	__be32 want = req->requested ?: req->ciaddr;

	/* SELECTING with another server chosen: our offer lapses. */
	if (req->server_id && req->server_id != ctx->cfg->gateway)
		return UNAT_STAT_DROP_DHCP_IGNORED;
	if (!want)
		return UNAT_STAT_DROP_MALFORMED;
	if (want != ctx->cfg->guest || owner == UNAT_LEASE_OTHER) {
		*type = UNAT_DHCPNAK;
		return UNAT_STAT_DHCP_NAK;
	}
	unat_lease_bind(ctx, req);
	*type = UNAT_DHCPACK;
	return UNAT_STAT_DHCP_ACK;
}

/*
 * Decide the answer to @req.  Sets @type to the reply's message type, or
 * leaves it 0 for no reply.  Caller holds the guest lock.
 */
static enum unat_stat unat_dhcp_decide(const struct unat_ctx *ctx,
				       const struct unat_dhcp_req *req,
				       u8 *type)
{
	struct unat_lease *l = &ctx->guest->lease;
	enum unat_lease_owner owner;

	lockdep_assert_held(&ctx->guest->lock);
	owner = unat_lease_owner(l, req, ctx->now);
	switch (req->type) {
	case UNAT_DHCPDISCOVER:
		if (owner == UNAT_LEASE_OTHER)
			return UNAT_STAT_DROP_DHCP_NO_ADDRESS;
		*type = UNAT_DHCPOFFER;
		return UNAT_STAT_DHCP_OFFER;
	case UNAT_DHCPREQUEST:
		return unat_dhcp_request(ctx, req, owner, type);
	case UNAT_DHCPRELEASE:
		if (owner != UNAT_LEASE_MINE || req->ciaddr != ctx->cfg->guest)
			return UNAT_STAT_DROP_DHCP_IGNORED;
		l->bound = false;
		return UNAT_STAT_DHCP_RELEASE;
	case UNAT_DHCPDECLINE:
		if (owner != UNAT_LEASE_MINE)
			return UNAT_STAT_DROP_DHCP_IGNORED;
		l->bound = false;
		return UNAT_STAT_DHCP_DECLINE;
	case UNAT_DHCPINFORM:
		if (!req->ciaddr)
			return UNAT_STAT_DROP_MALFORMED;
		*type = UNAT_DHCPACK;
		return UNAT_STAT_DHCP_INFORM;
	default:
		return UNAT_STAT_DROP_DHCP_IGNORED;
	}
}

/* RFC 2131 4.1: where a server sends its reply (no relays here). */
static void unat_dhcp_reply_dest(const struct unat_dhcp_req *req, u8 type,
				 __be32 yiaddr, __be32 *daddr, const u8 **dmac)
{
	static const u8 bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	*dmac = req->chaddr;
	if (type == UNAT_DHCPNAK ||
	    (!req->ciaddr && (req->flags & htons(UNAT_DHCP_BROADCAST)))) {
		*daddr = htonl(INADDR_BROADCAST);
		*dmac = bcast;
	} else {
		*daddr = req->ciaddr ?: yiaddr;
	}
}

static struct sk_buff *unat_dhcp_reply(const struct unat_ctx *ctx,
				       const struct unat_dhcp_req *req,
				       u8 type, __be32 yiaddr)
{
	const struct unat_config *cfg = ctx->cfg;
	struct sk_buff *skb;
	const u8 *dmac;
	__be32 daddr;
	int len;

	skb = unat_frame_alloc(UNAT_DHCP_REPLY_MAX);
	if (!skb)
		return NULL;
	len = unat_dhcp_build(ctx, req, type, yiaddr, skb->data,
			      UNAT_DHCP_REPLY_MAX);
	if (len < 0) {
		kfree_skb(skb);
		return NULL;
	}
	skb_put(skb, len);
	unat_dhcp_reply_dest(req, type, yiaddr, &daddr, &dmac);
	unat_frame_push_udp4(skb, cfg->gateway, daddr, htons(UNAT_BOOTPS),
			     htons(UNAT_BOOTPC));
	unat_frame_push_ipv4(skb, cfg->gateway, daddr, IPPROTO_UDP);
	unat_frame_push_eth(skb, dmac, cfg->gw_mac, htons(ETH_P_IP));
	return skb;
}

/*
 * A DHCP message from the guest: @len bytes of UDP payload at @off.  The
 * UDP and IP headers were validated by the caller.
 */
enum unat_stat unat_dhcp_input(const struct unat_ctx *ctx,
			       struct sk_buff *skb, unsigned int off,
			       unsigned int len, struct sk_buff **reply)
{
	struct unat_dhcp_req req;
	enum unat_stat stat;
	__be32 yiaddr = 0;
	u8 type = 0;
	int ret;

	if (len > UNAT_DHCP_MAX_LEN || !pskb_may_pull(skb, off + len))
		return UNAT_STAT_DROP_MALFORMED;
	ret = unat_dhcp_parse(skb->data + off, len, &req);
	if (ret)
		return ret == -EOPNOTSUPP ? UNAT_STAT_DROP_DHCP_IGNORED :
					    UNAT_STAT_DROP_MALFORMED;

	spin_lock(&ctx->guest->lock);
	stat = unat_dhcp_decide(ctx, &req, &type);
	spin_unlock(&ctx->guest->lock);
	if (!type)
		return stat;
	if (type == UNAT_DHCPOFFER ||
	    (type == UNAT_DHCPACK && stat == UNAT_STAT_DHCP_ACK))
		yiaddr = ctx->cfg->guest;

	*reply = unat_dhcp_reply(ctx, &req, type, yiaddr);
	return *reply ? stat : UNAT_STAT_DROP_NOMEM;
}
EXPORT_SYMBOL_IF_KUNIT(unat_dhcp_input);
