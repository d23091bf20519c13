// SPDX-License-Identifier: GPL-2.0
/*
 * TCP from the guest: header and option parsing, and the sequence and
 * window arithmetic of the engine.  No state: KUnit drives these directly.
 */
#include <kunit/visibility.h>
#include <net/tcp.h>

#include "proto.h"

/* Options that matter on a SYN: MSS and window scale. */
static int unat_tcp_parse_opts(const u8 *p, unsigned int len,
			       struct unat_tcp_seg *seg)
{
	unsigned int olen;

	while (len) {
		switch (p[0]) {
		case TCPOPT_EOL:
			return 0;
		case TCPOPT_NOP:
			p++;
			len--;
			continue;
		}
		if (len < 2)
			return -EINVAL;
		olen = p[1];
		if (olen < 2 || olen > len)
			return -EINVAL;
		if (p[0] == TCPOPT_MSS && olen == TCPOLEN_MSS)
			seg->mss = get_unaligned_be16(p + 2);
		else if (p[0] == TCPOPT_WINDOW && olen == TCPOLEN_WINDOW)
			seg->wscale = min_t(u8, p[2], TCP_MAX_WSCALE);
		p += olen;
		len -= olen;
	}
	return 0;
}

/*
 * Whether a TCP header of @l4len bytes in all fits, and pull it into the
 * linear area; *@doff gets its length.
 */
static bool unat_tcp_hdr_ok(struct sk_buff *skb, unsigned int l4off,
			    unsigned int l4len, unsigned int *doff)
{
	const struct tcphdr *th;

	if (l4len < sizeof(*th) || !pskb_may_pull(skb, l4off + sizeof(*th)))
		return false;
	th = (const struct tcphdr *)(skb->data + l4off);
	*doff = th->doff * 4;
	return *doff >= sizeof(*th) && *doff <= l4len &&
	       pskb_may_pull(skb, l4off + *doff);
}

/* Fill @seg from a TCP header whose size and checksum were checked. */
static int unat_tcp_fill(const struct sk_buff *skb, unsigned int l4off,
			 unsigned int l4len, unsigned int doff,
			 struct unat_tcp_seg *seg)
{
	const struct tcphdr *th = (const struct tcphdr *)(skb->data + l4off);

	memset(seg, 0, sizeof(*seg));
	seg->seq = ntohl(th->seq);
	seg->ack = ntohl(th->ack_seq);
	seg->window = ntohs(th->window);
	seg->flags = tcp_flag_byte(th);
	seg->doff = doff;
	seg->thoff = l4off;
	seg->len = l4len - doff;
	seg->wscale = 0xff;
	if ((seg->flags & (TCPHDR_SYN | TCPHDR_FIN)) ==
	    (TCPHDR_SYN | TCPHDR_FIN) ||
	    (seg->flags & (TCPHDR_SYN | TCPHDR_RST)) ==
	    (TCPHDR_SYN | TCPHDR_RST))
		return UNAT_STAT_DROP_MALFORMED;
	if ((seg->flags & TCPHDR_SYN) &&
	    unat_tcp_parse_opts((const u8 *)(th + 1), doff - sizeof(*th), seg))
		return UNAT_STAT_DROP_MALFORMED;
	return 0;
}

/*
 * Validate the TCP header of a guest packet (checksum included) and fill
 * @seg.  Returns 0 or the drop counter.
 */
int unat_tcp_parse(struct sk_buff *skb, const struct unat_ip4 *ip,
		   struct unat_tcp_seg *seg)
{
	unsigned int doff;

	if (!unat_tcp_hdr_ok(skb, ip->l4off, ip->l4len, &doff))
		return UNAT_STAT_DROP_MALFORMED;
	if (!unat_frame_l4_csum_ok(skb, ip))
		return UNAT_STAT_DROP_BAD_CSUM;
	return unat_tcp_fill(skb, ip->l4off, ip->l4len, doff, seg);
}
EXPORT_SYMBOL_IF_KUNIT(unat_tcp_parse);

/* The same over IPv6. */
int unat_tcp_parse6(struct sk_buff *skb, const struct unat_ip6 *ip,
		    struct unat_tcp_seg *seg)
{
	unsigned int doff;

	if (!unat_tcp_hdr_ok(skb, ip->l4off, ip->l4len, &doff))
		return UNAT_STAT_DROP_MALFORMED;
	if (!unat_frame_l4_csum6_ok(skb, ip))
		return UNAT_STAT_DROP_BAD_CSUM;
	return unat_tcp_fill(skb, ip->l4off, ip->l4len, doff, seg);
}
EXPORT_SYMBOL_IF_KUNIT(unat_tcp_parse6);

/*
 * How many leading bytes of @seg's payload the guest sent before and we
 * have already taken (RFC 9293 3.10.7.4: trim to the window's left edge).
 * *@dup is set when nothing new is left, the FIN included.
 */
unsigned int unat_tcp_trim(u32 rcv_nxt, const struct unat_tcp_seg *seg,
			   bool *dup)
{
	u32 end = seg->seq + seg->len + !!(seg->flags & TCPHDR_FIN);
	u32 skip;

	*dup = false;
	if (!before(seg->seq, rcv_nxt))
		return 0;
	skip = rcv_nxt - seg->seq;
	if (!after(end, rcv_nxt)) {
		*dup = true;
		return min(skip, seg->len);
	}
	return min(skip, seg->len);
}
EXPORT_SYMBOL_IF_KUNIT(unat_tcp_trim);

/*
 * The window field to put in a segment to the guest: the host socket's
 * free send space @space, never moving the right edge back (RFC 9293
 * 3.8.6.2.2); @rcv_adv keeps that edge.  Scaled by @wscale.
 */
u32 unat_tcp_window(u32 rcv_nxt, u32 *rcv_adv, u32 space, u8 wscale)
{
	u32 max = U16_MAX << wscale;
	u32 right;

	space = min(space, max);
	/* a window that would not fit in the field is rounded down */
	space &= ~((1U << wscale) - 1);
	right = rcv_nxt + space;
	if (before(right, *rcv_adv))
		right = *rcv_adv;
	*rcv_adv = right;
	return min(right - rcv_nxt, max) >> wscale;
}
EXPORT_SYMBOL_IF_KUNIT(unat_tcp_window);

/*
 * The segment size toward the guest: what it offered, at most what its MTU
 * carries; 536 when it offered nothing (RFC 9293 3.7.1).
 */
u16 unat_tcp_mss(u16 offered, unsigned int mtu)
{
	int max = (int)mtu - (int)(sizeof(struct iphdr) + sizeof(struct tcphdr));

	if (!offered)
		offered = TCP_MSS_DEFAULT;
	max = clamp(max, 64, 65495);
	return clamp_t(int, offered, 64, max);
}
EXPORT_SYMBOL_IF_KUNIT(unat_tcp_mss);

/* Classify the ACK field of @seg against what was sent (RFC 9293 3.10.7.4). */
enum unat_tcp_ack_verdict unat_tcp_ack_check(u32 snd_una, u32 snd_nxt,
					     const struct unat_tcp_seg *seg)
{
	if (after(seg->ack, snd_nxt))
		return UNAT_TCP_ACK_AHEAD;
	if (after(seg->ack, snd_una))
		return UNAT_TCP_ACK_NEW;
	if (seg->ack != snd_una)
		return UNAT_TCP_ACK_OLD;
	if (snd_nxt == snd_una)
		return UNAT_TCP_ACK_ALL;
	if (!seg->len && !(seg->flags & (TCPHDR_FIN | TCPHDR_SYN)))
		return UNAT_TCP_ACK_DUP;
	return UNAT_TCP_ACK_OLD;
}
EXPORT_SYMBOL_IF_KUNIT(unat_tcp_ack_check);

/*
 * A reset from the guest in unat's @state (enum unat_tcp_state): accepted
 * only at exactly rcv_nxt, challenged elsewhere in the window, ignored
 * outside it or before the guest has a connection (RFC 5961 3.2).
 */
enum unat_tcp_rst_verdict unat_tcp_rst_check(u8 state, u32 rcv_nxt,
					     u32 rcv_adv, u32 seq)
{
	if (state != UNAT_TCP_SYN_SENT && state != UNAT_TCP_ESTABLISHED)
		return UNAT_TCP_RST_IGNORE;
	if (seq == rcv_nxt)
		return UNAT_TCP_RST_ACCEPT;
	if (after(seq, rcv_nxt) && before(seq, rcv_adv))
		return UNAT_TCP_RST_CHALLENGE;
	return UNAT_TCP_RST_IGNORE;
}
EXPORT_SYMBOL_IF_KUNIT(unat_tcp_rst_check);

/*
 * Bytes that may go to the guest now: what lies between snd_nxt and @end
 * (the host's data), within the guest's window from snd_una.
 */
u32 unat_tcp_sendable(u32 snd_una, u32 snd_nxt, u32 snd_wnd, u32 end)
{
	u32 limit = snd_una + snd_wnd;

	if (after(snd_nxt, limit) || after(snd_nxt, end))
		return 0;
	return before(end, limit) ? end - snd_nxt : limit - snd_nxt;
}
EXPORT_SYMBOL_IF_KUNIT(unat_tcp_sendable);

/* Our FIN goes after the host's FIN and the last byte before it. */
bool unat_tcp_fin_due(bool host_fin, bool fin_acked, u32 snd_nxt, u32 end)
{
	return host_fin && !fin_acked && snd_nxt == end;
}
EXPORT_SYMBOL_IF_KUNIT(unat_tcp_fin_due);

/*
 * Of @acked newly acknowledged sequence numbers, the data bytes, with
 * @unread bytes of data in flight or queued: one more is our FIN (*@fin).
 */
u32 unat_tcp_acked_data(u32 acked, u32 unread, bool *fin)
{
	*fin = acked > unread;
	return *fin ? unread : acked;
}
EXPORT_SYMBOL_IF_KUNIT(unat_tcp_acked_data);
