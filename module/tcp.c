// SPDX-License-Identifier: GPL-2.0
/*
 * TCP: a split proxy whose only buffers are the host socket's.
 *
 * A guest SYN makes a flow and a non-blocking connect from the creating
 * netns; the guest gets its SYN-ACK once the host side is established.
 * Guest payload goes into the host socket without a copy
 * (skb_send_sock_locked(): page references), and the guest is ACKed only
 * for what the socket took; the window offered to the guest is the
 * socket's free send space.  Host data is not read out of the socket: it
 * is referenced where it lies in the receive queue, sent to the guest as
 * GSO super-frames, and consumed (tcp_read_sock()) only when the guest
 * ACKs it, so a retransmission finds it still there and a guest that does
 * not read closes the host's window.
 *
 * This file is the engine, the guest's side of a flow: its segments (the
 * handshake, ACKs, data, FIN and RST), data and FIN to it, the window,
 * the retransmission timer, the frames sent it (tcp_out.c builds them).
 * Segments come from tcp_input.c; the host socket's callbacks, its
 * connect and the flow's work are tcp_host.c's.
 *
 * Serialization: the host socket's lock, as TCP's own (see struct
 * unat_tcp).  The socket callbacks run inside it; the transmit path and
 * the timer take its spinlock, or defer to unat_wq when the socket is
 * owned.  Frames go to the guest with BH off, under RCU.
 */
#include <linux/random.h>
#include <net/tcp.h>

#include "device.h"
#include "output.h"
#include "flow.h"
#include "proto.h"
#include "tcp_engine.h"

#define UNAT_TCP_RTO_MIN	(HZ / 5)
#define UNAT_TCP_RTO_MAX	(10 * HZ)
#define UNAT_TCP_RETRIES	12
#define UNAT_TCP_GSO_MAX	(U16_MAX - sizeof(struct iphdr) - \
				 sizeof(struct tcphdr))

/* The flow is over: the reaper closes it at its next pass. */
void unat_tcp_expire(struct unat_tcp *t)
{
	WRITE_ONCE(t->state, UNAT_TCP_CLOSED);
	WRITE_ONCE(t->flow->timeout, 0);
}

/* Bytes the host socket holds that the guest has not ACKed yet. */
static u32 unat_tcp_unread(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *tail = skb_peek_tail(&sk->sk_receive_queue);
	u32 n = READ_ONCE(tp->rcv_nxt) - READ_ONCE(tp->copied_seq);

	if (tail && (TCP_SKB_CB(tail)->tcp_flags & TCPHDR_FIN) && n)
		n--;
	return n;
}

/*
 * What of the host socket's free send space we offer the guest: seven
 * eighths.  The socket counts its skbs' overhead against the space as
 * well as their payload (a few per cent: one skb per up to 64 KiB, or per
 * MAX_SKB_FRAGS guest frames); a window it cannot take in full would cost
 * the guest the rest of its flight (tcp_guest_data_refused).
 */
u32 unat_tcp_offer(const struct sock *sk)
{
	int space = sk_stream_wspace(sk);

	return space > 0 ? space - (space >> 3) : 0;
}

/* The window we offer the guest, from the host socket's send space. */
static u32 unat_tcp_space(struct unat_tcp *t)
{
	struct sock *sk = t->sk;

	if (!sk || t->guest_fin)
		return 0;
	/* and tell us when it grows: unat_tcp_write_space() */
	if (sk->sk_socket)
		set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
	return unat_tcp_offer(sk);
}

/* What of the guest's MTU the flow's IP header leaves to TCP and IPv4's. */
unsigned int unat_tcp_mtu(const struct unat_flow_key *key,
			  unsigned int mtu)
{
	if (key->family == AF_INET6)
		mtu -= sizeof(struct ipv6hdr) - sizeof(struct iphdr);
	return mtu;
}

/* The segment size toward the guest: what it offered, its MTU allowing. */
u16 unat_tcp_guest_mss(const struct unat_flow *flow, u16 offered)
{
	return unat_tcp_mss(offered, unat_tcp_mtu(&flow->key,
						  READ_ONCE(flow->unat->dev->mtu)));
}

/* The segment size the guest may send us. */
u16 unat_tcp_in_mss(struct unat_tcp *t)
{
	return unat_tcp_guest_mss(t->flow, U16_MAX);
}

/*
 * Put headers on @skb (payload only) and hand it to the guest.  RCU and BH
 * held.  SYNs carry @optlen bytes of options and an unscaled window.
 */
static void unat_tcp_send(struct unat_tcp *t, struct sk_buff *skb, u32 seq,
			  u8 flags, unsigned int optlen)
{
	struct unat_flow *flow = t->flow;
	struct unat_dev *unat = flow->unat;
	const struct unat_config *cfg = rcu_dereference(unat->config);
	unsigned int len = skb->len;
	bool syn = flags & TCPHDR_SYN;
	u8 mac[ETH_ALEN];
	u16 win;

	lockdep_assert_in_softirq();
	if (!unat_guest_mac(&unat->guest, mac)) {
		unat_stats_inc(unat->stats, UNAT_STAT_DROP_NO_GUEST_MAC);
		kfree_skb(skb);
		return;
	}
	win = unat_tcp_window(t->rcv_nxt, &t->rcv_adv, unat_tcp_space(t),
			      syn ? 0 : t->rcv_wscale);
	unat_tcp_finish(skb, &flow->key, seq, t->rcv_nxt, flags, win, optlen,
			syn ? unat_tcp_in_mss(t) : t->mss,
			t->rcv_wscale ? t->rcv_wscale : 0xff);
	unat_frame_push_eth(skb, mac, cfg->gw_mac,
			    unat_flow_ethertype(&flow->key));
	if (len)
		unat_flow_account(&flow->pkts_in, &flow->bytes_in, len);
	if (skb_is_gso(skb))
		unat_stats_inc(unat->stats, UNAT_STAT_GSO_TO_GUEST);
	unat_deliver(unat, skb);
}

void unat_tcp_send_flags(struct unat_tcp *t, u32 seq, u8 flags)
{
	unsigned int optlen = 0;
	struct sk_buff *skb;

	if (flags & TCPHDR_SYN)
		optlen = t->rcv_wscale ? 8 : 4;
	skb = unat_tcp_frame(optlen, 0);
	if (!skb) {
		unat_stats_inc(t->flow->unat->stats, UNAT_STAT_DROP_NOMEM);
		return;
	}
	unat_tcp_send(t, skb, seq, flags, optlen);
}

void unat_tcp_send_ack(struct unat_tcp *t)
{
	unat_tcp_send_flags(t, t->snd_nxt, TCPHDR_ACK);
}

void unat_tcp_arm(struct unat_tcp *t)
{
	if (!t->dead)
		mod_timer(&t->timer, jiffies + t->rto);
}

/* Reset the guest's side: its connection is gone. */
void unat_tcp_reset_guest(struct unat_tcp *t)
{
	switch (t->state) {
	case UNAT_TCP_CONNECTING:
		unat_tcp_send_flags(t, 0, TCPHDR_RST | TCPHDR_ACK);
		break;
	case UNAT_TCP_SYN_SENT:
	case UNAT_TCP_ESTABLISHED:
		unat_tcp_send_flags(t, t->snd_nxt, TCPHDR_RST | TCPHDR_ACK);
		break;
	case UNAT_TCP_SYN_OUT:
		unat_tcp_send_flags(t, t->snd_nxt, TCPHDR_RST);
		break;
	default:
		return;
	}
	unat_stats_inc(t->flow->unat->stats, UNAT_STAT_TCP_RESET);
	unat_tcp_expire(t);
}

/*
 * Send the guest host data from @seq (@len bytes at most) as one segment
 * or super-frame.  Returns the payload bytes sent.
 */
static u32 unat_tcp_send_data(struct unat_tcp *t, u32 seq, u32 len)
{
	struct sk_buff *skb;
	int got;

	skb = unat_tcp_frame(0, 0);
	if (!skb)
		return 0;
	got = unat_tcp_ref_data(skb, t->sk, seq - t->snd_una, len);
	if (got <= 0) {
		kfree_skb(skb);
		return 0;
	}
	unat_tcp_send(t, skb, seq, TCPHDR_ACK | TCPHDR_PSH, 0);
	return got;
}

/*
 * Send the guest what the host socket holds beyond snd_nxt, as far as the
 * guest's window allows, then our FIN once the host's came and all data
 * went.  Keeps the retransmission timer running while anything is in
 * flight, and probes a zero window.
 */
void unat_tcp_push(struct unat_tcp *t)
{
	struct sock *sk = t->sk;
	u32 end, len, max, sent;

	if (t->state != UNAT_TCP_ESTABLISHED)
		return;
	end = t->snd_una + unat_tcp_unread(sk);
	max = max_t(u32, UNAT_TCP_GSO_MAX / t->mss * t->mss, t->mss);
	while ((len = unat_tcp_sendable(t->snd_una, t->snd_nxt, t->snd_wnd,
					end))) {
		sent = unat_tcp_send_data(t, t->snd_nxt, min(len, max));
		if (!sent)
			break;
		t->snd_nxt += sent;
	}
	if (unat_tcp_fin_due(sk->sk_shutdown & RCV_SHUTDOWN, t->fin_acked,
			     t->snd_nxt, end)) {
		unat_tcp_send_flags(t, end, TCPHDR_FIN | TCPHDR_ACK);
		t->snd_nxt = end + 1;
		WRITE_ONCE(t->fin_sent, true);
	}
	if (t->snd_nxt != t->snd_una || (!t->snd_wnd && before(t->snd_una, end)))
		if (!timer_pending(&t->timer))
			unat_tcp_arm(t);
}

/* Both directions closed and acknowledged: the flow is done. */
void unat_tcp_check_done(struct unat_tcp *t)
{
	if (t->state == UNAT_TCP_ESTABLISHED && t->guest_fin && t->fin_acked)
		unat_tcp_expire(t);
}

static int unat_tcp_consume_actor(read_descriptor_t *desc,
				  struct sk_buff *skb, unsigned int offset,
				  size_t len)
{
	size_t n = min_t(size_t, len, desc->count);

	desc->count -= n;
	return n;
}

/* The guest ACKed @n more bytes: they leave the host socket at last. */
static void unat_tcp_consume(struct unat_tcp *t, u32 n)
{
	read_descriptor_t desc = {};
	bool fin;

	n = unat_tcp_acked_data(n, unat_tcp_unread(t->sk), &fin);
	if (fin)
		t->fin_acked = true;
	if (!n)
		return;
	desc.count = n;
	tcp_read_sock(t->sk, &desc, unat_tcp_consume_actor);
}

static void unat_tcp_ack(struct unat_tcp *t, const struct unat_tcp_seg *seg)
{
	u32 wnd = (u32)seg->window << t->snd_wscale;

	switch (unat_tcp_ack_check(t->snd_una, t->snd_nxt, seg)) {
	case UNAT_TCP_ACK_AHEAD:
		unat_tcp_send_ack(t);
		return;
	case UNAT_TCP_ACK_NEW:
		unat_tcp_consume(t, seg->ack - t->snd_una);
		t->snd_una = seg->ack;
		t->dupacks = 0;
		t->retries = 0;
		t->rto = UNAT_TCP_RTO_MIN;
		if (t->snd_una == t->snd_nxt)
			del_timer(&t->timer);
		else
			unat_tcp_arm(t);
		break;
	case UNAT_TCP_ACK_DUP:
		/* fast retransmit: go back to the first unACKed byte */
		if (wnd == t->snd_wnd && ++t->dupacks == 3) {
			unat_stats_inc(t->flow->unat->stats,
				       UNAT_STAT_TCP_RETRANSMIT);
			t->snd_nxt = t->snd_una;
		}
		break;
	case UNAT_TCP_ACK_ALL:
		/*
		 * Nothing in flight, so this may answer a zero-window probe:
		 * a guest that answers keeps its connection however long its
		 * window stays shut (RFC 9293 3.8.6.1); only probes that go
		 * unanswered count toward UNAT_TCP_RETRIES.
		 */
		t->retries = 0;
		break;
	case UNAT_TCP_ACK_OLD:
		break;
	}
	t->snd_wnd = wnd;
}

/*
 * The guest's FIN: the host socket sends its own, at once.  The socket's
 * lock is held, bh-locked and not owned, or owned by the flow's work, as
 * inet_shutdown() holds it around the same two steps; its state-change
 * call is left out, since the caller pushes and checks for the end itself.
 */
static void unat_tcp_host_shutdown(struct unat_tcp *t)
{
	struct sock *sk = t->sk;

	lockdep_assert(lockdep_sock_is_held(sk));
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | SEND_SHUTDOWN);
	sk->sk_prot->shutdown(sk, SEND_SHUTDOWN);	/* tcp_shutdown() */
}

/* In-order guest payload into the host socket, then our ACK. */
static void unat_tcp_data(struct unat_tcp *t, struct sk_buff *skb,
			  const struct unat_tcp_seg *seg)
{
	bool fin = seg->flags & TCPHDR_FIN;
	unsigned int skip, len;
	int space, sent = 0;
	bool dup;

	if (!seg->len && !fin)
		return;
	if (after(seg->seq, t->rcv_nxt)) {
		/* out of order: the guest resends from rcv_nxt */
		unat_stats_inc(t->flow->unat->stats, UNAT_STAT_TCP_GUEST_AHEAD);
		unat_tcp_send_ack(t);
		return;
	}
	skip = unat_tcp_trim(t->rcv_nxt, seg, &dup);
	if (dup || t->guest_fin) {
		unat_tcp_send_ack(t);
		return;
	}
	len = seg->len - skip;
	if (len) {
		space = sk_stream_wspace(t->sk);
		if (space > 0)
			sent = skb_send_sock_locked(t->sk, skb,
						    seg->thoff + seg->doff + skip,
						    min_t(unsigned int, len,
							  space));
		sent = max(sent, 0);
		t->rcv_nxt += sent;
		unat_flow_account(&t->flow->pkts_out, &t->flow->bytes_out,
				  sent);
		if (sent < len) {
			unat_stats_inc(t->flow->unat->stats,
				       UNAT_STAT_TCP_GUEST_REFUSED);
			fin = false;
		}
	}
	if (fin) {
		t->rcv_nxt++;
		WRITE_ONCE(t->guest_fin, true);
		unat_tcp_host_shutdown(t);
	}
	unat_tcp_send_ack(t);
}

/* The guest reset its side: the host side is reset too. */
static void unat_tcp_abort_host(struct unat_tcp *t)
{
	unat_tcp_expire(t);
	set_bit(UNAT_TCP_EV_ABORT, &t->events);
	queue_work(unat_wq, &t->flow->open_work);
}

/* A guest connect no longer counts against the connect limit. */
void unat_tcp_connect_done(struct unat_tcp *t)
{
	unat_flow_connect_done(t->flow->unat->flows, &t->connect_node);
}

/* The handshake is done: data may flow. */
static void unat_tcp_establish(struct unat_tcp *t)
{
	unat_tcp_connect_done(t);
	t->state = UNAT_TCP_ESTABLISHED;
	t->snd_una = t->iss + 1;
	t->retries = 0;
	t->rto = UNAT_TCP_RTO_MIN;
	del_timer(&t->timer);
	WRITE_ONCE(t->flow->timeout, (unsigned long)HZ *
		   rcu_dereference(t->flow->unat->config)->tcp_timeout);
}

/*
 * The guest's answer to the SYN a forward sent it (RFC 9293 3.10.7.3):
 * a SYN-ACK makes the connection, a reset refuses it.
 */
static void unat_tcp_syn_answer(struct unat_tcp *t,
				const struct unat_tcp_seg *seg)
{
	bool ack = seg->flags & TCPHDR_ACK;

	if (ack && seg->ack != t->iss + 1) {
		if (!(seg->flags & TCPHDR_RST))
			unat_tcp_send_flags(t, seg->ack, TCPHDR_RST);
		return;
	}
	if (seg->flags & TCPHDR_RST) {
		if (ack)
			unat_tcp_abort_host(t);
		return;
	}
	if (!ack || !(seg->flags & TCPHDR_SYN))
		return;
	t->irs = seg->seq;
	t->rcv_nxt = seg->seq + 1;
	t->rcv_adv = t->rcv_nxt;
	t->mss = unat_tcp_guest_mss(t->flow, seg->mss);
	if (seg->wscale == 0xff)
		t->rcv_wscale = 0;
	else
		t->snd_wscale = seg->wscale;
	t->snd_wnd = seg->window;	/* a SYN's window is not scaled */
	unat_tcp_establish(t);
	unat_tcp_send_ack(t);
	unat_tcp_push(t);
}

/* A reset from the guest, if it falls in the window (RFC 5961 3.2). */
static void unat_tcp_guest_rst(struct unat_tcp *t,
			       const struct unat_tcp_seg *seg)
{
	switch (unat_tcp_rst_check(t->state, t->rcv_nxt, t->rcv_adv,
				   seg->seq)) {
	case UNAT_TCP_RST_IGNORE:
		return;
	case UNAT_TCP_RST_CHALLENGE:
		unat_tcp_send_ack(t);
		return;
	case UNAT_TCP_RST_ACCEPT:
		break;
	}
	unat_tcp_abort_host(t);
}

/* A guest segment, the host socket locked.  Consumes @skb. */
void unat_tcp_segment(struct unat_tcp *t, struct sk_buff *skb)
{
	const struct unat_tcp_seg *seg = unat_tcp_seg_cb(skb);

	lockdep_assert(lockdep_sock_is_held(t->sk));
	unat_flow_touch(t->flow);
	if (t->state == UNAT_TCP_CLOSED || t->state == UNAT_TCP_CONNECTING)
		goto out;
	if (t->state == UNAT_TCP_SYN_OUT) {
		unat_tcp_syn_answer(t, seg);
		goto out;
	}
	if (seg->flags & TCPHDR_RST) {
		unat_tcp_guest_rst(t, seg);
		goto out;
	}
	if (seg->flags & TCPHDR_SYN) {
		if (t->state == UNAT_TCP_SYN_SENT && seg->seq == t->irs)
			unat_tcp_send_flags(t, t->iss, TCPHDR_SYN | TCPHDR_ACK);
		else if (t->state == UNAT_TCP_ESTABLISHED)
			unat_tcp_send_ack(t);
		goto out;
	}
	if (!(seg->flags & TCPHDR_ACK))
		goto out;
	if (t->state == UNAT_TCP_SYN_SENT) {
		if (seg->ack != t->iss + 1) {
			unat_tcp_send_flags(t, seg->ack, TCPHDR_RST);
			goto out;
		}
		unat_tcp_establish(t);
	}
	unat_tcp_ack(t, seg);
	unat_tcp_data(t, skb, seg);
	unat_tcp_push(t);
	unat_tcp_check_done(t);
out:
	consume_skb(skb);
}

/* Retransmission timeout or zero-window probe; the socket is locked. */
void unat_tcp_on_timer(struct unat_tcp *t)
{
	lockdep_assert(lockdep_sock_is_held(t->sk));
	if (t->dead || t->state == UNAT_TCP_CLOSED ||
	    t->state == UNAT_TCP_CONNECTING)
		return;
	if (++t->retries > UNAT_TCP_RETRIES) {
		unat_tcp_reset_guest(t);
		return;
	}
	t->rto = min(t->rto * 2, (unsigned long)UNAT_TCP_RTO_MAX);
	if (t->state == UNAT_TCP_SYN_SENT || t->state == UNAT_TCP_SYN_OUT) {
		unat_tcp_send_flags(t, t->iss, t->state == UNAT_TCP_SYN_OUT ?
				    TCPHDR_SYN : TCPHDR_SYN | TCPHDR_ACK);
		unat_tcp_arm(t);
		return;
	}
	if (t->snd_nxt != t->snd_una) {
		unat_stats_inc(t->flow->unat->stats, UNAT_STAT_TCP_RETRANSMIT);
		t->snd_nxt = t->snd_una;
		t->dupacks = 0;
		unat_tcp_push(t);
		return;
	}
	if (!t->snd_wnd && unat_tcp_unread(t->sk)) {
		/* an old sequence number draws an ACK with the window */
		unat_tcp_send_flags(t, t->snd_una - 1, TCPHDR_ACK);
		unat_tcp_arm(t);
		return;
	}
	t->retries = 0;
}

static void unat_tcp_timer(struct timer_list *tl)
{
	struct unat_tcp *t = from_timer(t, tl, timer);
	struct sock *sk = t->sk;

	rcu_read_lock();
	bh_lock_sock(sk);
	if (!sock_owned_by_user(sk)) {
		unat_tcp_on_timer(t);
	} else if (!t->dead) {
		set_bit(UNAT_TCP_EV_TIMER, &t->events);
		queue_work(unat_wq, &t->flow->open_work);
	}
	bh_unlock_sock(sk);
	rcu_read_unlock();
}

/* @t (zeroed) for @flow: its queue and timer, our initial sequence. */
void unat_tcp_init(struct unat_tcp *t, struct unat_flow *flow)
{
	skb_queue_head_init(&t->backlog);
	INIT_LIST_HEAD(&t->connect_node);
	timer_setup(&t->timer, unat_tcp_timer, 0);
	t->flow = flow;
	t->iss = get_random_u32();
	t->rto = UNAT_TCP_RTO_MIN;
}
