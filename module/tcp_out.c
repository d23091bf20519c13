// SPDX-License-Identifier: GPL-2.0
/*
 * TCP segments to the guest.  Their payload is the host socket's received
 * data, referenced where it sits in the socket's receive queue rather than
 * copied; they leave as GSO super-frames with the checksum left to the
 * guest (CHECKSUM_PARTIAL), as a TSO-capable NIC would hand them up.
 */
#include <kunit/visibility.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/tcp.h>

#include "flow.h"
#include "proto.h"

#define UNAT_TCP_HEADROOM	128

/* An empty segment with room for headers and @optlen bytes of options. */
struct sk_buff *unat_tcp_frame(unsigned int optlen, unsigned int datalen)
{
	struct sk_buff *skb;

	skb = alloc_skb(UNAT_TCP_HEADROOM + optlen + datalen, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, UNAT_TCP_HEADROOM + optlen);
	return skb;
}
EXPORT_SYMBOL_IF_KUNIT(unat_tcp_frame);

static void unat_tcp_put_opts(u8 *p, u16 mss, u8 wscale)
{
	*p++ = TCPOPT_MSS;
	*p++ = TCPOLEN_MSS;
	put_unaligned_be16(mss, p);
	p += 2;
	if (wscale == 0xff)
		return;
	*p++ = TCPOPT_NOP;
	*p++ = TCPOPT_WINDOW;
	*p++ = TCPOLEN_WINDOW;
	*p = wscale;
}

/*
 * Put the TCP and IP headers on a segment whose payload is all of the skb,
 * from the remote of @key (raddr:rport) to its guest (gaddr:gport), in the
 * key's family.  @optlen is 0, or for a SYN-ACK 4 (MSS) or 8 (MSS and
 * @wscale).  Payloads larger than @mss become a GSO super-frame.
 */
void unat_tcp_finish(struct sk_buff *skb, const struct unat_flow_key *key,
		     u32 seq, u32 ack, u8 flags, u16 window,
		     unsigned int optlen, u16 mss, u8 wscale)
{
	bool v6 = key->family == AF_INET6;
	unsigned int datalen = skb->len;
	struct tcphdr *th;

	th = skb_push(skb, sizeof(*th) + optlen);
	skb_reset_transport_header(skb);
	memset(th, 0, sizeof(*th));
	th->source = key->rport;
	th->dest = key->gport;
	th->seq = htonl(seq);
	th->ack_seq = htonl(ack);
	th->doff = (sizeof(*th) + optlen) / 4;
	tcp_flag_byte(th) = flags;
	th->window = htons(window);
	if (optlen)
		unat_tcp_put_opts((u8 *)(th + 1), mss,
				  optlen > TCPOLEN_MSS ? wscale : 0xff);
	if (v6)
		th->check = ~tcp_v6_check(skb->len, &key->raddr.v6,
					  &key->gaddr.v6, 0);
	else
		th->check = ~tcp_v4_check(skb->len, key->raddr.v4,
					  key->gaddr.v4, 0);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct tcphdr, check);
	if (datalen > mss && !optlen) {
		skb_shinfo(skb)->gso_size = mss;
		skb_shinfo(skb)->gso_type = v6 ? SKB_GSO_TCPV6 : SKB_GSO_TCPV4;
		skb_shinfo(skb)->gso_segs = DIV_ROUND_UP(datalen, mss);
	}
	if (v6)
		unat_frame_push_ipv6(skb, &key->raddr.v6, &key->gaddr.v6,
				     IPPROTO_TCP, 64);
	else
		unat_frame_push_ipv4(skb, key->raddr.v4, key->gaddr.v4,
				     IPPROTO_TCP);
}
EXPORT_SYMBOL_IF_KUNIT(unat_tcp_finish);

/* Append @len bytes of @from at @off to @to as copies, in fresh pages.
 * Returns the bytes appended.
 */
static unsigned int unat_tcp_copy_data(struct sk_buff *to,
				       const struct sk_buff *from,
				       unsigned int off, unsigned int len)
{
	unsigned int n, done = 0;
	struct page *page;

	while (done < len && skb_shinfo(to)->nr_frags < MAX_SKB_FRAGS) {
		n = min_t(unsigned int, len - done, PAGE_SIZE);
		page = alloc_page(GFP_ATOMIC);
		if (!page)
			break;
		if (skb_copy_bits(from, off + done, page_address(page), n)) {
			__free_page(page);
			break;
		}
		skb_add_rx_frag(to, skb_shinfo(to)->nr_frags, page, 0, n,
				PAGE_SIZE);
		done += n;
	}
	return done;
}

/*
 * Append @len bytes of @from at @off to @to: page fragments by reference;
 * linear data, frag lists, and the pages of page pools or of zero-copy
 * senders by copy.  Returns the bytes appended: fewer when @to ran out of
 * fragment slots or memory.
 */
static unsigned int unat_tcp_ref_skb(struct sk_buff *to,
				     const struct sk_buff *from,
				     unsigned int off, unsigned int len)
{
	const struct skb_shared_info *si = skb_shinfo(from);
	unsigned int hl = skb_headlen(from), done = 0, start, i, fo, fsz, n;
	bool byref = !skb_zcopy((struct sk_buff *)from) && !from->pp_recycle;
	const skb_frag_t *f;

	if (off < hl) {
		n = min(len, hl - off);
		done = unat_tcp_copy_data(to, from, off, n);
		if (done < n)
			return done;
	}
	start = hl;
	for (i = 0; i < si->nr_frags && done < len; i++, start += fsz) {
		f = &si->frags[i];
		fsz = skb_frag_size(f);
		if (off + done >= start + fsz)
			continue;
		fo = off + done - start;
		n = min(len - done, fsz - fo);
		if (!byref) {
			fo = unat_tcp_copy_data(to, from, off + done, n);
			done += fo;
			if (fo < n)
				return done;
			continue;
		}
		if (skb_shinfo(to)->nr_frags >= MAX_SKB_FRAGS)
			return done;
		get_page(skb_frag_page(f));
		skb_add_rx_frag(to, skb_shinfo(to)->nr_frags,
				skb_frag_page(f), skb_frag_off(f) + fo, n, n);
		done += n;
	}
	if (done < len)		/* the frag list */
		done += unat_tcp_copy_data(to, from, off + done, len - done);
	return done;
}

/*
 * Append to @to the @len bytes that follow the first @off unread bytes of
 * the host socket @sk.  The socket's lock is held.  Returns the bytes
 * appended, fewer when the fragment slots ran out or memory did.
 */
int unat_tcp_ref_data(struct sk_buff *to, struct sock *sk, u32 off,
		      unsigned int len)
{
	u32 seq = tcp_sk(sk)->copied_seq + off;
	unsigned int done = 0, o, n, got;
	struct sk_buff *skb;

	lockdep_assert(lockdep_sock_is_held(sk));
	skb_queue_walk(&sk->sk_receive_queue, skb) {
		o = seq - TCP_SKB_CB(skb)->seq;
		if (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_SYN)
			o--;
		if (o >= skb->len)
			continue;
		n = min(len - done, skb->len - o);
		got = unat_tcp_ref_skb(to, skb, o, n);
		done += got;
		seq += got;
		if (got < n || done == len)
			break;
	}
	return done;
}

/*
 * A reset answering @seg, which has no flow (RFC 9293 3.10.7.1); @key says
 * who sent it (gaddr:gport) and to whom.
 */
struct sk_buff *unat_tcp_rst_for(const struct unat_flow_key *key,
				 const struct unat_tcp_seg *seg)
{
	struct sk_buff *r;
	u32 seq = 0, ack = 0;
	u8 flags = TCPHDR_RST;

	if (seg->flags & TCPHDR_RST)
		return NULL;
	r = unat_tcp_frame(0, 0);
	if (!r)
		return NULL;
	if (seg->flags & TCPHDR_ACK) {
		seq = seg->ack;
	} else {
		ack = seg->seq + seg->len + !!(seg->flags & TCPHDR_SYN) +
		      !!(seg->flags & TCPHDR_FIN);
		flags |= TCPHDR_ACK;
	}
	unat_tcp_finish(r, key, seq, ack, flags, 0, 0, TCP_MSS_DEFAULT, 0xff);
	return r;
}
EXPORT_SYMBOL_IF_KUNIT(unat_tcp_rst_for);
