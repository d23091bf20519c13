// SPDX-License-Identifier: GPL-2.0
/*
 * DHCPv6 server (RFC 8415) on the guest link: Information-Request answered
 * with the DNS address and domain list (stateless), and one address per
 * device (IA_NA) given through Solicit/Advertise/Request/Reply, Rapid
 * Commit, Renew, Rebind, Release, Decline and Confirm.  Its lifetime is
 * the device's lease time.
 */
#include <kunit/visibility.h>
#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <net/addrconf.h>

#include "types.h"
#include "services.h"

enum {
	UNAT_DHCP6_SOLICIT = 1,
	UNAT_DHCP6_ADVERTISE,
	UNAT_DHCP6_REQUEST,
	UNAT_DHCP6_CONFIRM,
	UNAT_DHCP6_RENEW,
	UNAT_DHCP6_REBIND,
	UNAT_DHCP6_REPLY,
	UNAT_DHCP6_RELEASE,
	UNAT_DHCP6_DECLINE,
	UNAT_DHCP6_INFO_REQUEST = 11,
};

enum {
	UNAT_OPT6_CLIENTID	= 1,
	UNAT_OPT6_SERVERID	= 2,
	UNAT_OPT6_IA_NA		= 3,
	UNAT_OPT6_IA_TA		= 4,
	UNAT_OPT6_IAADDR	= 5,
	UNAT_OPT6_STATUS	= 13,
	UNAT_OPT6_RAPID_COMMIT	= 14,
	UNAT_OPT6_DNS_SERVERS	= 23,
	UNAT_OPT6_DOMAIN_LIST	= 24,
};

enum {
	UNAT_STATUS6_SUCCESS	= 0,
	UNAT_STATUS6_NOADDRS	= 2,
	UNAT_STATUS6_NOBINDING	= 3,
	UNAT_STATUS6_NOTONLINK	= 4,
};

#define UNAT_DHCP6_IA_FIXED	12	/* IAID, T1, T2 */
#define UNAT_DHCP6_DUID_LL_LEN	10	/* type 3, hardware type 1, MAC */
#define UNAT_DHCP6_REPLY_MAX	(4 + 4 + UNAT_DHCP6_DUID_LL_LEN + \
				 4 + UNAT_DUID_MAX + \
				 4 + UNAT_DHCP6_IA_FIXED + 4 + 24 + 4 + 2 + \
				 4 + 2 + 4 + 4 + 16 + \
				 4 + UNAT_SEARCH_WIRE_MAX)

/* What a client's message says; pointers into the linear message. */
struct unat_dhcp6_msg {
	u8 type;
	u8 xid[3];
	const u8 *clientid;
	const u8 *serverid;
	const u8 *ia_na;	/* the first IA_NA's body */
	const u8 *ia_ta;
	u16 clientid_len;
	u16 serverid_len;
	u16 ia_na_len;
	bool rapid;
};

/* Keep the first of a singleton option; a repeat is malformed. */
static int unat_dhcp6_once(const u8 **where, u16 *where_len, const u8 *val,
			   u16 len)
{
	if (*where)
		return -EINVAL;
	*where = val;
	*where_len = len;
	return 0;
}

/* Parse the message of @len bytes at @p.  Returns 0 or -EINVAL. */
static int unat_dhcp6_parse(const u8 *p, unsigned int len,
			    struct unat_dhcp6_msg *m)
{
	u16 code, olen, ignored;
	int err = 0;

	memset(m, 0, sizeof(*m));
	if (len < 4)
		return -EINVAL;
	m->type = p[0];
	memcpy(m->xid, p + 1, 3);
	for (p += 4, len -= 4; len && !err; p += 4 + olen, len -= 4 + olen) {
		if (len < 4)
			return -EINVAL;
		code = get_unaligned_be16(p);
		olen = get_unaligned_be16(p + 2);
		if (olen > len - 4)
			return -EINVAL;
		switch (code) {
		case UNAT_OPT6_CLIENTID:
			if (olen < 2 || olen > UNAT_DUID_MAX)
				return -EINVAL;
			err = unat_dhcp6_once(&m->clientid, &m->clientid_len,
					      p + 4, olen);
			break;
		case UNAT_OPT6_SERVERID:
			if (olen < 2 || olen > UNAT_DUID_MAX)
				return -EINVAL;
			err = unat_dhcp6_once(&m->serverid, &m->serverid_len,
					      p + 4, olen);
			break;
		case UNAT_OPT6_IA_NA:
			if (olen < UNAT_DHCP6_IA_FIXED)
				return -EINVAL;
			if (!m->ia_na) {
				m->ia_na = p + 4;
				m->ia_na_len = olen;
			}
			break;
		case UNAT_OPT6_IA_TA:
			err = olen < 4 ? -EINVAL :
			      unat_dhcp6_once(&m->ia_ta, &ignored, p + 4, olen);
			break;
		case UNAT_OPT6_RAPID_COMMIT:
			if (olen)
				return -EINVAL;
			m->rapid = true;
			break;
		}
	}
	return err;
}

/* The server's DUID: DUID-LL (RFC 8415 11.4) of the gateway's MAC. */
static void unat_dhcp6_duid(const struct unat_config *cfg, u8 *duid)
{
	put_unaligned_be16(3, duid);
	put_unaligned_be16(1, duid + 2);
	ether_addr_copy(duid + 4, cfg->gw_mac);
}

static bool unat_dhcp6_for_us(const struct unat_config *cfg,
			      const struct unat_dhcp6_msg *m)
{
	u8 duid[UNAT_DHCP6_DUID_LL_LEN];

	unat_dhcp6_duid(cfg, duid);
	return m->serverid_len == sizeof(duid) &&
	       !memcmp(m->serverid, duid, sizeof(duid));
}

static u8 *unat_dhcp6_put(struct sk_buff *skb, u16 code, u16 len)
{
	u8 *opt = skb_put(skb, 4 + len);

	put_unaligned_be16(code, opt);
	put_unaligned_be16(len, opt + 2);
	return opt + 4;
}

static void unat_dhcp6_put_status(struct sk_buff *skb, u16 status)
{
	put_unaligned_be16(status, unat_dhcp6_put(skb, UNAT_OPT6_STATUS, 2));
}

/* The client's IA_NA with the address and @lease, or with @status. */
static void unat_dhcp6_put_ia(struct sk_buff *skb,
			      const struct unat_config *cfg,
			      const struct unat_dhcp6_msg *m, int status)
{
	u32 lease = status ? 0 : cfg->lease_time;
	u8 *ia, *addr;

	ia = unat_dhcp6_put(skb, UNAT_OPT6_IA_NA, UNAT_DHCP6_IA_FIXED +
			    (status ? 4 + 2 : 4 + 24));
	memcpy(ia, m->ia_na, 4);			/* IAID */
	put_unaligned_be32(lease / 2, ia + 4);		/* T1 */
	put_unaligned_be32(lease / 5 * 4, ia + 8);	/* T2 */
	if (status) {
		put_unaligned_be16(UNAT_OPT6_STATUS, ia + 12);
		put_unaligned_be16(2, ia + 14);
		put_unaligned_be16(status, ia + 16);
		return;
	}
	put_unaligned_be16(UNAT_OPT6_IAADDR, ia + 12);
	put_unaligned_be16(24, ia + 14);
	addr = ia + 16;
	memcpy(addr, &cfg->guest6, 16);
	put_unaligned_be32(lease, addr + 16);		/* preferred */
	put_unaligned_be32(lease, addr + 20);		/* valid */
}

/* The DNS address and the domain list, in every answer. */
static void unat_dhcp6_put_names(struct sk_buff *skb,
				 const struct unat_config *cfg)
{
	u8 wire[UNAT_DNS_WIRE_MAX];
	const u8 *names;
	int n;

	memcpy(unat_dhcp6_put(skb, UNAT_OPT6_DNS_SERVERS, 16), &cfg->dns6, 16);
	n = unat_config_search_names(cfg, wire, sizeof(wire), &names);
	if (n)
		memcpy(unat_dhcp6_put(skb, UNAT_OPT6_DOMAIN_LIST, n), names, n);
}

/*
 * An answer of @type to @m: server and client DUIDs, the IA_NA (with the
 * address, or @ia_status) if the client sent one, or else @status at the
 * top when it is not negative, and the DNS options.
 */
static struct sk_buff *unat_dhcp6_answer(const struct unat_ctx *ctx,
					 struct sk_buff *req,
					 const struct unat_ip6 *ip,
					 const struct unat_dhcp6_msg *m,
					 u8 type, int ia_status, int status)
{
	const struct unat_config *cfg = ctx->cfg;
	struct sk_buff *skb;
	u8 *hdr;

	skb = unat_frame_alloc(UNAT_DHCP6_REPLY_MAX);
	if (!skb)
		return NULL;
	hdr = skb_put(skb, 4);
	hdr[0] = type;
	memcpy(hdr + 1, m->xid, 3);
	unat_dhcp6_duid(cfg, unat_dhcp6_put(skb, UNAT_OPT6_SERVERID,
					    UNAT_DHCP6_DUID_LL_LEN));
	if (m->clientid)
		memcpy(unat_dhcp6_put(skb, UNAT_OPT6_CLIENTID, m->clientid_len),
		       m->clientid, m->clientid_len);
	if (m->ia_na && ia_status >= 0)
		unat_dhcp6_put_ia(skb, cfg, m, ia_status);
	if (status >= 0)
		unat_dhcp6_put_status(skb, status);
	if (type == UNAT_DHCP6_REPLY && m->rapid && m->type == UNAT_DHCP6_SOLICIT)
		unat_dhcp6_put(skb, UNAT_OPT6_RAPID_COMMIT, 0);
	unat_dhcp6_put_names(skb, cfg);
	unat_frame_push_udp6(skb, &cfg->gateway6_ll, &ip->saddr,
			     htons(UNAT_DHCP6_SERVER_PORT),
			     htons(UNAT_DHCP6_CLIENT_PORT));
	unat_frame_push_ipv6(skb, &cfg->gateway6_ll, &ip->saddr, IPPROTO_UDP,
			     64);
	unat_frame_push_eth(skb, eth_hdr(req)->h_source, cfg->gw_mac,
			    htons(ETH_P_IPV6));
	return skb;
}

/* Whether the address may go to @m's client: free, lapsed, or its own. */
static bool unat_lease6_ours(const struct unat_lease6 *l,
			     const struct unat_dhcp6_msg *m, unsigned long now)
{
	if (l->duid_len == m->clientid_len &&
	    !memcmp(l->duid, m->clientid, m->clientid_len))
		return true;
	return !l->bound || time_after_eq(now, l->expires);
}

static bool unat_lease6_held_by(const struct unat_lease6 *l,
				const struct unat_dhcp6_msg *m)
{
	return l->bound && l->duid_len == m->clientid_len &&
	       !memcmp(l->duid, m->clientid, m->clientid_len);
}

/*
 * Decide on a message with a client DUID, under the guest lock: the IA
 * status of the answer (0: the address), and whether there is one at all
 * (-1: drop).  @type gets the answer's type.
 */
static int unat_dhcp6_decide(const struct unat_ctx *ctx,
			     const struct unat_dhcp6_msg *m, u8 *type)
{
	struct unat_lease6 *l = &ctx->guest->lease6;
	unsigned long now = ctx->now;
	bool commit = false;
	int status = 0;

	lockdep_assert_held(&ctx->guest->lock);
	*type = UNAT_DHCP6_REPLY;
	switch (m->type) {
	case UNAT_DHCP6_SOLICIT:
		status = unat_lease6_ours(l, m, now) ? 0 : UNAT_STATUS6_NOADDRS;
		commit = m->rapid && !status;
		if (!commit)
			*type = UNAT_DHCP6_ADVERTISE;
		break;
	case UNAT_DHCP6_REQUEST:
		status = unat_lease6_ours(l, m, now) ? 0 : UNAT_STATUS6_NOADDRS;
		commit = !status;
		break;
	case UNAT_DHCP6_RENEW:
	case UNAT_DHCP6_REBIND:
		status = unat_lease6_held_by(l, m) ? 0 : UNAT_STATUS6_NOBINDING;
		commit = !status;
		break;
	case UNAT_DHCP6_RELEASE:
	case UNAT_DHCP6_DECLINE:
		if (unat_lease6_held_by(l, m))
			l->bound = false;
		return -1;	/* no IA: a top-level Success */
	}
	if (commit && m->ia_na) {
		l->bound = true;
		l->expires = now + ctx->cfg->lease_time * HZ;
		l->duid_len = m->clientid_len;
		memcpy(l->duid, m->clientid, m->clientid_len);
	}
	return status;
}

/* Confirm: every address the client holds still on this link? */
static int unat_dhcp6_confirm(const struct unat_config *cfg,
			      const struct unat_dhcp6_msg *m)
{
	const u8 *p = m->ia_na + UNAT_DHCP6_IA_FIXED;
	unsigned int len = m->ia_na_len - UNAT_DHCP6_IA_FIXED;
	struct in6_addr addr;
	u16 olen;

	for (; len >= 4; p += 4 + olen, len -= 4 + olen) {
		olen = get_unaligned_be16(p + 2);
		if (olen > len - 4)
			return -EINVAL;
		if (get_unaligned_be16(p) != UNAT_OPT6_IAADDR)
			continue;
		if (olen < 24)
			return -EINVAL;
		memcpy(&addr, p + 4, 16);
		if (!unat_config_in_prefix6(cfg, &addr))
			return UNAT_STATUS6_NOTONLINK;
	}
	return UNAT_STATUS6_SUCCESS;
}

/* Whether @m has the identifiers its type requires (RFC 8415 16). */
static bool unat_dhcp6_valid(const struct unat_config *cfg,
			     const struct unat_dhcp6_msg *m)
{
	switch (m->type) {
	case UNAT_DHCP6_SOLICIT:
	case UNAT_DHCP6_REBIND:
	case UNAT_DHCP6_CONFIRM:
		return m->clientid && !m->serverid &&
		       (m->type != UNAT_DHCP6_CONFIRM || m->ia_na);
	case UNAT_DHCP6_REQUEST:
	case UNAT_DHCP6_RENEW:
	case UNAT_DHCP6_RELEASE:
	case UNAT_DHCP6_DECLINE:
		return m->clientid && unat_dhcp6_for_us(cfg, m);
	case UNAT_DHCP6_INFO_REQUEST:
		return !m->ia_na && !m->ia_ta &&
		       (!m->serverid || unat_dhcp6_for_us(cfg, m));
	default:
		return false;
	}
}

/*
 * A DHCPv6 message from the guest: @ip's UDP datagram to port 547, its
 * header checked.  An answer may be left in @reply.
 */
enum unat_stat unat_dhcp6_input(const struct unat_ctx *ctx,
				struct sk_buff *skb,
				const struct unat_ip6 *ip,
				struct sk_buff **reply)
{
	unsigned int off = ip->l4off + sizeof(struct udphdr);
	unsigned int len = ip->l4len - sizeof(struct udphdr);
	int ia_status = -1, status = -1;
	struct unat_dhcp6_msg m;
	u8 type = UNAT_DHCP6_REPLY;

	if (!ipv6_addr_is_multicast(&ip->daddr) &&
	    !unat_config_is_gateway6(ctx->cfg, &ip->daddr))
		return UNAT_STAT_DROP_NOT_FOR_GATEWAY;
	if (!pskb_may_pull(skb, off + len) ||
	    unat_dhcp6_parse(skb->data + off, len, &m))
		return UNAT_STAT_DROP_MALFORMED;
	if (!unat_dhcp6_valid(ctx->cfg, &m))
		return UNAT_STAT_DROP_DHCP_IGNORED;
	unat_guest_note_mac(ctx->guest, eth_hdr(skb)->h_source);

	switch (m.type) {
	case UNAT_DHCP6_INFO_REQUEST:
		break;
	case UNAT_DHCP6_CONFIRM:
		status = unat_dhcp6_confirm(ctx->cfg, &m);
		if (status < 0)
			return UNAT_STAT_DROP_MALFORMED;
		break;
	default:
		spin_lock(&ctx->guest->lock);
		ia_status = unat_dhcp6_decide(ctx, &m, &type);
		spin_unlock(&ctx->guest->lock);
		if (ia_status < 0)
			status = UNAT_STATUS6_SUCCESS;
		else if (!m.ia_na)
			status = UNAT_STATUS6_NOADDRS;
	}
	*reply = unat_dhcp6_answer(ctx, skb, ip, &m, type, ia_status, status);
	if (!*reply)
		return UNAT_STAT_DROP_NOMEM;
	return type == UNAT_DHCP6_ADVERTISE ? UNAT_STAT_DHCP6_ADVERTISE :
					      UNAT_STAT_DHCP6_REPLY;
}
EXPORT_SYMBOL_IF_KUNIT(unat_dhcp6_input);
